//! `apply_staking_rate`: anyone applies a staking pool's pending rate cut once its notice has passed
//!
use anchor_lang::prelude::*;

use crate::errors::ReferralError;
use crate::events::StakingRateChanged;
use crate::logic::pools::{covered, set_rate};
use crate::state::StakingPool;

#[derive(Accounts)]
pub struct ApplyStakingRate<'info> {
    /// The pool with a pending cut.
    #[account(mut)]
    pub pool: Account<'info, StakingPool>,
}

impl ApplyStakingRate<'_> {
    /// Steps:
    /// 1. A cut is pending (`NoPendingRateChange`) and its notice has passed (`RateChangeNotYetEffective`).
    /// 2. Checkpoint the pool at now under the old rate, then set the pending rate and end (an end already
    ///    past is now: the schedule ends here); the pending change is cleared.
    /// 3. The schedule is covered by the funding (`EmissionExceedsFunding`; a cut only lowers the promise,
    ///    and the excess was computed on the old schedule until now, so this holds).
    /// 4. Emit `StakingRateChanged`.
    pub fn handler(ctx: Context<Self>) -> Result<()> {
        let now = Clock::get()?.unix_timestamp;
        let pool = &mut ctx.accounts.pool;
        require!(pool.next_at != 0, ReferralError::NoPendingRateChange);
        require!(now >= pool.next_at, ReferralError::RateChangeNotYetEffective);
        let mut accrual = pool.accrual();
        let end = pool.next_end.max(now);
        set_rate(&mut accrual, now, pool.next_rate, end).map_err(ReferralError::from)?;
        require!(covered(&accrual, pool.funded), ReferralError::EmissionExceedsFunding);
        pool.set_accrual(&accrual);
        pool.next_at = 0;
        emit!(StakingRateChanged { pool: pool.key(), rate: accrual.rate, end, effective_at: now });
        Ok(())
    }
}
