//! `collect_reward`: a member collects a period reward whose claim was deferred because the token could
//! not move then.
use anchor_lang::prelude::*;
use anchor_spl::token_interface::{Mint, TokenAccount, TokenInterface};

use crate::constants::POOL_SEED;
use crate::errors::ReferralError;
use crate::events::RewardCollected;
use crate::state::{RewardClaim, RewardPool};
use crate::utils::token::pay_out;

#[derive(Accounts)]
pub struct CollectReward<'info> {
    /// The wallet that claimed: signs; the reward goes to its token account.
    pub wallet: Signer<'info>,
    /// The deferred claim, of this wallet.
    #[account(mut, has_one = wallet @ ReferralError::NotRegistrationWallet, has_one = pool @ ReferralError::WrongPool)]
    pub claim: Account<'info, RewardClaim>,
    /// The token pool the claim was made from (its vault holds the deferred amount).
    #[account(mut, constraint = pool.mint == mint.key() @ ReferralError::WrongPoolMint)]
    pub pool: Account<'info, RewardPool>,
    /// The pool's mint.
    #[account(mint::token_program = token_program)]
    pub mint: InterfaceAccount<'info, Mint>,
    /// The pool's vault, by the address the pool stored.
    #[account(mut, address = pool.vault @ ReferralError::WrongPoolVault)]
    pub vault: InterfaceAccount<'info, TokenAccount>,
    /// A token account of the wallet for `mint`.
    #[account(
        mut,
        constraint = destination.owner == wallet.key() @ ReferralError::WrongDestination,
        constraint = destination.mint == mint.key() @ ReferralError::WrongDestination,
    )]
    pub destination: InterfaceAccount<'info, TokenAccount>,
    /// The mint's token program (SPL Token or Token-2022).
    pub token_program: Interface<'info, TokenInterface>,
}

impl CollectReward<'_> {
    /// Steps (never paused, R-1.4):
    /// 1. The claim still owes something (`NothingToClaim`).
    /// 2. Pay it from the vault to the wallet's token account, signed by the pool (a named error while
    ///    the mint or the accounts still stop it, D-37: nothing changes and it can be retried).
    /// 3. `claim.owed = 0`, the pool's deferred total drops by it; emit `RewardCollected`.
    ///
    /// Returns the amount.
    pub fn handler(ctx: Context<Self>) -> Result<u64> {
        let a = ctx.accounts;
        let amount = a.claim.owed;
        require!(amount > 0, ReferralError::NothingToClaim);
        let (period, funder, mint, bump) = (a.pool.period, a.pool.funder, a.pool.mint, a.pool.bump);
        let seeds: &[&[u8]] = &[POOL_SEED, period.as_ref(), funder.as_ref(), mint.as_ref(), &[bump]];
        pay_out(&a.vault, &a.destination, &a.mint, a.pool.to_account_info(), &a.token_program, seeds, amount)?;
        a.claim.owed = 0;
        a.pool.deferred = a.pool.deferred.checked_sub(amount).ok_or(ReferralError::MathOverflow)?;
        emit!(RewardCollected { pool: a.pool.key(), wallet: a.wallet.key(), amount });
        Ok(amount)
    }
}
