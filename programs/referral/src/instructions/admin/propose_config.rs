//! `propose_config`: the admin proposes a new configuration, applied only after the hub's delay.
use anchor_lang::prelude::*;

use crate::constants::PENDING_SEED;
use crate::errors::ReferralError;
use crate::state::{Hub, HubConfig, PendingConfig};
use crate::utils::create::{create_pda, write_account};

#[derive(Accounts)]
pub struct ProposeConfig<'info> {
    pub admin: Signer<'info>,
    #[account(mut)]
    pub payer: Signer<'info>,
    #[account(has_one = admin @ ReferralError::NotAdmin)]
    pub hub: AccountLoader<'info, Hub>,
    /// The pending change, created here at `[PENDING_SEED, hub]`. Unchecked by Anchor (CHECK): the seeds
    /// constraint proves the address; `ConfigChangePending` if it exists.
    #[account(mut, seeds = [PENDING_SEED, hub.key().as_ref()], bump)]
    pub pending: UncheckedAccount<'info>,
    pub system_program: Program<'info, System>,
}

impl ProposeConfig<'_> {
    /// Steps:
    /// 1. Validate the whole new configuration, including the compiled-in bounds (R-1.3: at most
    ///    30 days of minimum stake time, at least 7 days' notice for a delay in seconds).
    /// 2. The period schedule stays the hub's (`PeriodKindLocked`: points, registrations and reward pools
    ///    are indexed by it, R-5.1).
    /// 3. effective_at = now + the hub's delay, or the start of a ranking period (the default), never less
    ///    than 7 days after now (`HubConfig::change_effective_at`).
    /// 4. Create the pending account (one at a time: `ConfigChangePending`), readable by everyone.
    pub fn handler(ctx: Context<Self>, config: HubConfig) -> Result<()> {
        config.validate()?;
        let a = &ctx.accounts;
        let now = Clock::get()?.unix_timestamp;
        let effective_at = {
            let hub = a.hub.load()?;
            require!(config.period == hub.rules.period(), ReferralError::PeriodKindLocked);
            hub.rules.change_effective_at(now)
        };
        let hub_key = a.hub.key();
        let bump = ctx.bumps.pending;
        let seeds: &[&[u8]] = &[PENDING_SEED, hub_key.as_ref(), &[bump]];
        create_pda(
            &a.payer,
            &a.pending,
            &a.system_program,
            seeds,
            PendingConfig::SPACE,
            &crate::ID,
            ReferralError::ConfigChangePending,
        )?;
        let pending =
            PendingConfig { bump, hub: hub_key, payer: a.payer.key(), proposed_at: now, effective_at, config };
        write_account(&a.pending, &pending)
    }
}
