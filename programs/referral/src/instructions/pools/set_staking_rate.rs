//! `set_staking_rate`: the hub admin changes a pool's rate and end: a raise at once, a cut after notice
//!
use anchor_lang::prelude::*;

use crate::constants::MIN_CONFIG_NOTICE_SECONDS;
use crate::errors::ReferralError;
use crate::events::StakingRateChanged;
use crate::logic::pools::{covered, is_raise, set_rate};
use crate::state::{Hub, StakingPool};

#[derive(Accounts)]
pub struct SetStakingRate<'info> {
    /// The hub admin.
    pub admin: Signer<'info>,
    /// The hub.
    #[account(has_one = admin @ ReferralError::NotAdmin)]
    pub hub: AccountLoader<'info, Hub>,
    /// The pool, of this hub.
    #[account(mut, constraint = pool.hub == hub.key() @ ReferralError::WrongHub)]
    pub pool: Account<'info, StakingPool>,
}

impl SetStakingRate<'_> {
    /// Steps:
    /// 1. The new end is not in the past (`RateEndInThePast`) and is after the start (`InvalidSchedule`).
    /// 2. Checkpoint the pool at now (what accrued under the old rate stays accrued).
    /// 3. A raise (rate and end both at least what they are) applies at once (`logic::pools::set_rate`) and
    ///    withdraws any pending cut; a cut (a lower rate or an earlier end) is stored as pending and applies
    ///    only from `MIN_CONFIG_NOTICE_SECONDS` (7 days) later, by `apply_staking_rate`: stakers keep the
    ///    terms they staked for over the notice, as hub configuration changes do.
    /// 4. Either way the schedule is covered by the pool's funding: emitted + rate x (end - now) <= funded
    ///    (`EmissionExceedsFunding`, R-6.6), so no rate can brick the pool.
    /// 5. Emit `StakingRateChanged` (`effective_at` = now for a raise).
    pub fn handler(ctx: Context<Self>, rate: u64, end: i64) -> Result<()> {
        let now = Clock::get()?.unix_timestamp;
        require!(end >= now, ReferralError::RateEndInThePast);
        let pool = &mut ctx.accounts.pool;
        require!(end > pool.start, ReferralError::InvalidSchedule);
        let mut accrual = pool.accrual();
        let mut next = accrual;
        set_rate(&mut next, now, rate, end).map_err(ReferralError::from)?;
        require!(covered(&next, pool.funded), ReferralError::EmissionExceedsFunding);
        let effective_at = if is_raise(&accrual, rate, end) {
            accrual = next;
            pool.next_at = 0;
            now
        } else {
            crate::logic::pools::advance(&mut accrual, now).map_err(ReferralError::from)?;
            let at = now.checked_add(i64::from(MIN_CONFIG_NOTICE_SECONDS)).ok_or(ReferralError::MathOverflow)?;
            pool.next_rate = rate;
            pool.next_end = end;
            pool.next_at = at;
            at
        };
        pool.set_accrual(&accrual);
        emit!(StakingRateChanged { pool: pool.key(), rate, end, effective_at });
        Ok(())
    }
}
