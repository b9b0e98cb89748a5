//! `close_reward_claim`: anyone closes a reward claim's record once its pool is closed, the rent back to
//! the wallet that claimed.
use anchor_lang::prelude::*;

use crate::errors::ReferralError;
use crate::state::RewardClaim;

#[derive(Accounts)]
pub struct CloseRewardClaim<'info> {
    /// The claim record, closed here.
    #[account(mut, close = wallet, has_one = pool @ ReferralError::WrongPool, has_one = wallet @ ReferralError::WrongRecipient)]
    pub claim: Account<'info, RewardClaim>,
    /// The pool the claim was made from, which must be closed: no data left at its address (a pool's
    /// address can never hold a pool again: pools are created only before their period's registration
    /// window closes, and closed only after its claim window). Unchecked by Anchor (CHECK): `has_one` on
    /// the claim proves the address; the handler checks it is empty.
    pub pool: UncheckedAccount<'info>,
    /// The wallet that claimed and paid the record's rent. Unchecked by Anchor (CHECK): `has_one` on the
    /// claim proves it; it only receives lamports.
    #[account(mut)]
    pub wallet: UncheckedAccount<'info>,
}

impl CloseRewardClaim<'_> {
    /// Steps:
    /// 1. The pool is closed (`PoolNotClosed` while it holds data): the record is what stops a second
    ///    claim from an open pool, and a closed pool takes no claims.
    /// 2. Close the record, its rent to the wallet that claimed.
    pub fn handler(ctx: Context<Self>) -> Result<()> {
        require!(ctx.accounts.pool.data_is_empty(), ReferralError::PoolNotClosed);
        Ok(())
    }
}
