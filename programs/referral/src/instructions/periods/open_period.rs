//! `open_period`: anyone opens a ranking period's reward book.
use anchor_lang::prelude::*;

use crate::constants::{PENDING_SEED, PERIOD_SEED};
use crate::errors::ReferralError;
use crate::events::PeriodOpened;
use crate::logic::periods::{period_index, period_times};
use crate::state::{Hub, PendingConfig, Period};
use crate::utils::create::{create_pda, write_account};
use crate::utils::pda::is_canonical_address2;

#[derive(Accounts)]
#[instruction(index: u32)]
pub struct OpenPeriod<'info> {
    /// Pays the period account's rent.
    #[account(mut)]
    pub payer: Signer<'info>,
    /// The hub.
    pub hub: AccountLoader<'info, Hub>,
    /// The hub's pending configuration address `[PENDING_SEED, hub]`, empty when no change is pending.
    /// Unchecked by Anchor (CHECK): the handler proves it is the canonical address, so a due change cannot
    /// be hidden by naming another account.
    pub pending: UncheckedAccount<'info>,
    /// The period, created here at `[PERIOD_SEED, hub, index LE]`. Unchecked by Anchor (CHECK): the seeds
    /// constraint proves the address; `PeriodAlreadyOpen` if it exists.
    #[account(mut, seeds = [PERIOD_SEED, hub.key().as_ref(), &index.to_le_bytes()], bump)]
    pub period: UncheckedAccount<'info>,
    pub system_program: Program<'info, System>,
}

impl OpenPeriod<'_> {
    /// Steps:
    /// 1. The period has started (`PeriodNotStarted`: a future period's tiers could still change) and its
    ///    registration window has not closed (`PeriodClosed`); no configuration change is due
    ///    (`ConfigChangeDue`: it is applied first, by anyone, so the period takes the tiers in force,
    ///    never the replaced ones).
    /// 2. Create the period account (`PeriodAlreadyOpen` if it exists) holding its timeline
    ///    (`logic::periods::period_times`) and the hub's tiers now in force.
    /// 3. Emit `PeriodOpened`.
    pub fn handler(ctx: Context<Self>, index: u32) -> Result<()> {
        let a = ctx.accounts;
        let hub_key = a.hub.key();
        let rules = a.hub.load()?.rules;
        let now = Clock::get()?.unix_timestamp;
        require!(index <= period_index(&rules.period(), now), ReferralError::PeriodNotStarted);
        let times = period_times(&rules.period(), index, rules.registration_window_seconds, rules.claim_window_seconds);
        // A fixed period's origin may lie ahead: period 0 then starts there, not before (audit F10).
        require!(now >= times.start, ReferralError::PeriodNotStarted);
        require!(now < times.registration_end, ReferralError::PeriodClosed);
        require!(
            is_canonical_address2(&[PENDING_SEED, hub_key.as_ref()], &crate::ID, a.pending.key),
            ReferralError::WrongPendingAccount
        );
        if !a.pending.data_is_empty() && *a.pending.owner == crate::ID {
            let pending = PendingConfig::try_deserialize(&mut &a.pending.try_borrow_data()?[..])?;
            require!(now < pending.effective_at, ReferralError::ConfigChangeDue);
        }
        let bump = ctx.bumps.period;
        let index_bytes = index.to_le_bytes();
        let seeds: &[&[u8]] = &[PERIOD_SEED, hub_key.as_ref(), &index_bytes, &[bump]];
        create_pda(
            &a.payer,
            &a.period,
            &a.system_program,
            seeds,
            Period::SPACE,
            &crate::ID,
            ReferralError::PeriodAlreadyOpen,
        )?;
        let period = Period {
            hub: hub_key,
            opener: a.payer.key(),
            index,
            start: times.start,
            end: times.end,
            registration_end: times.registration_end,
            claim_end: times.claim_end,
            tier_thresholds: rules.tier_thresholds,
            tier_shares_bps: rules.tier_shares_bps,
            tier_totals: [0; 4],
            tier_members: [0; 4],
            registered: 0,
            open_registrations: 0,
            tier_count: rules.tier_count,
            pool_count: 0,
            open_pools: 0,
            bump,
        };
        write_account(&a.period, &period)?;
        emit!(PeriodOpened { hub: hub_key, period: a.period.key(), index, end: times.end });
        Ok(())
    }
}
