//! `set_staking_rate`: the hub admin changes a pool's rate and end.
use anchor_lang::prelude::*;

use crate::errors::ReferralError;
use crate::logic::pools::{covered, set_rate};
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
    /// 2. Checkpoint the pool at now (what accrued under the old rate stays accrued), then set the rate
    ///    and the end (`logic::pools::set_rate`).
    /// 3. The new schedule is covered by the pool's funding: emitted + rate x (end - now) <= funded
    ///    (`EmissionExceedsFunding`, R-6.6), so no rate can brick the pool.
    pub fn handler(ctx: Context<Self>, rate: u64, end: i64) -> Result<()> {
        let now = Clock::get()?.unix_timestamp;
        require!(end >= now, ReferralError::RateEndInThePast);
        let pool = &mut ctx.accounts.pool;
        require!(end > pool.start, ReferralError::InvalidSchedule);
        let mut accrual = pool.accrual();
        set_rate(&mut accrual, now, rate, end).map_err(ReferralError::from)?;
        require!(covered(&accrual, pool.funded), ReferralError::EmissionExceedsFunding);
        pool.set_accrual(&accrual);
        Ok(())
    }
}
