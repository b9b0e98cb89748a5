//! `close_reward_claim`: anyone closes a reward claim's record once nothing is owed on it and no second
//! claim can be made, the rent back to the wallet that claimed.
use anchor_lang::prelude::*;

use crate::errors::ReferralError;
use crate::state::{RewardClaim, RewardPool};

#[derive(Accounts)]
pub struct CloseRewardClaim<'info> {
    /// The claim record, closed here.
    #[account(
        mut,
        close = wallet,
        has_one = pool @ ReferralError::WrongPool,
        has_one = registration @ ReferralError::WrongPool,
        has_one = wallet @ ReferralError::WrongRecipient,
    )]
    pub claim: Account<'info, RewardClaim>,
    /// The pool the claim was made from. Unchecked by Anchor (CHECK): `has_one` on the claim proves the
    /// address; the handler reads whether it is closed or has returned its rest.
    pub pool: UncheckedAccount<'info>,
    /// The registration that claimed. Unchecked by Anchor (CHECK): `has_one` on the claim proves the
    /// address; the handler reads whether it is closed.
    pub registration: UncheckedAccount<'info>,
    /// The wallet that claimed and paid the record's rent. Unchecked by Anchor (CHECK): `has_one` on the
    /// claim proves it; it only receives lamports.
    #[account(mut)]
    pub wallet: UncheckedAccount<'info>,
}

impl CloseRewardClaim<'_> {
    /// Steps:
    /// 1. Nothing is owed on the claim (`RewardStillOwed`: collect it first).
    /// 2. No second claim from this pool by this registration can be made: the pool is closed (no data at
    ///    its address, which can never hold a pool again: pools are created only before their period's
    ///    registration window closes) or has returned its rest (it takes no claims), or the registration is
    ///    closed (it cannot be made again after the registration window) (`PoolNotClosed`).
    /// 3. Close the record, its rent to the wallet that claimed.
    pub fn handler(ctx: Context<Self>) -> Result<()> {
        let a = ctx.accounts;
        require!(a.claim.owed == 0, ReferralError::RewardStillOwed);
        let pool_done = a.pool.data_is_empty()
            || (*a.pool.owner == crate::ID
                && RewardPool::try_deserialize(&mut &a.pool.try_borrow_data()?[..]).is_ok_and(|p| p.returned));
        require!(pool_done || a.registration.data_is_empty(), ReferralError::PoolNotClosed);
        Ok(())
    }
}
