//! `propose_config`: the admin proposes a new configuration, applied only after the hub's delay.
use anchor_lang::prelude::*;

use crate::constants::PENDING_SEED;
use crate::errors::ReferralError;
use crate::logic::periods::{period_bounds, period_index};
use crate::state::{ConfigDelay, Hub, HubConfig, PendingConfig};
use crate::utils::create::{create_pda, write_account};

#[derive(Accounts)]
pub struct ProposeConfig<'info> {
    pub admin: Signer<'info>,
    #[account(mut)]
    pub payer: Signer<'info>,
    #[account(has_one = admin @ ReferralError::NotAdmin)]
    pub hub: Account<'info, Hub>,
    /// CHECK: created here at `[PENDING_SEED, hub]` (seeds constraint); `ConfigChangePending` if it exists.
    #[account(mut, seeds = [PENDING_SEED, hub.key().as_ref()], bump)]
    pub pending: UncheckedAccount<'info>,
    pub system_program: Program<'info, System>,
}

impl ProposeConfig<'_> {
    /// Steps:
    /// 1. Validate the whole new configuration.
    /// 2. effective_at = now + the hub's delay, or the start of the next ranking period (the default).
    /// 3. Create the pending account (one at a time: `ConfigChangePending`), readable by everyone.
    pub fn handler(ctx: Context<Self>, config: HubConfig) -> Result<()> {
        config.validate()?;
        let a = &ctx.accounts;
        let now = Clock::get()?.unix_timestamp;
        let current = &a.hub.config;
        let effective_at = match current.config_delay {
            ConfigDelay::Seconds(s) => now.saturating_add(i64::from(s)),
            ConfigDelay::NextPeriod => period_bounds(&current.period, period_index(&current.period, now)).1,
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
