//! `close_pool`: after the claim window, anyone returns what is left in a SOL pool to its funder.
use anchor_lang::prelude::*;

use super::closing_pool;
use crate::errors::ReferralError;
use crate::events::PoolClosed;
use crate::state::{Hub, Period, RewardPool};

#[derive(Accounts)]
pub struct ClosePool<'info> {
    /// The hub (its claims pause, R-1.4).
    #[account(constraint = hub.key() == period.hub @ ReferralError::WrongHub)]
    pub hub: AccountLoader<'info, Hub>,
    /// The period.
    #[account(mut)]
    pub period: Account<'info, Period>,
    /// A SOL pool of the period, closed here: every lamport (what is left and the rent) goes to the funder.
    #[account(
        mut,
        close = funder,
        constraint = pool.period == period.key() @ ReferralError::WrongPeriod,
        constraint = pool.is_sol() @ ReferralError::WrongPoolMint,
        has_one = funder @ ReferralError::WrongRecipient,
    )]
    pub pool: Account<'info, RewardPool>,
    /// The pool's funder. Unchecked by Anchor (CHECK): `has_one` on the pool proves it is the funder; it
    /// only receives lamports.
    #[account(mut)]
    pub funder: UncheckedAccount<'info>,
}

impl ClosePool<'_> {
    /// Steps:
    /// 1. After the claim window, and a week of open claims after the hold of the last claims pause that
    ///    began within it (`ClaimWindowOpen`, D-47); count the pool out of the period's open pools.
    /// 2. Close the pool to its funder: unclaimed shares, empty tiers and rounding dust go back (D-48).
    /// 3. Emit `PoolClosed` with what went back above the rent.
    pub fn handler(ctx: Context<Self>) -> Result<()> {
        let a = ctx.accounts;
        closing_pool(&*a.hub.load()?, &mut a.period)?;
        let rent = Rent::get()?.minimum_balance(RewardPool::SPACE);
        let returned = a.pool.to_account_info().lamports().saturating_sub(rent);
        emit!(PoolClosed {
            period: a.period.key(),
            pool: a.pool.key(),
            funder: a.funder.key(),
            mint: Pubkey::default(),
            funded: a.pool.funded,
            claimed: a.pool.claimed,
            returned,
            deferred: 0
        });
        Ok(())
    }
}
