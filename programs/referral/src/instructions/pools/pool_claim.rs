//! `pool_claim`: a member claims the rewards its position accrued.
use anchor_lang::prelude::*;
use anchor_spl::token_interface::{Mint, TokenAccount, TokenInterface};

use crate::constants::STAKING_POOL_SEED;
use crate::errors::ReferralError;
use crate::events::PoolRewardClaimed;
use crate::logic::pools::claim;
use crate::state::{PoolPosition, StakingPool};
use crate::utils::token::pay_out;

#[derive(Accounts)]
pub struct PoolClaim<'info> {
    /// The position's wallet.
    pub owner: Signer<'info>,
    /// The pool.
    #[account(mut)]
    pub pool: Account<'info, StakingPool>,
    /// The owner's position in this pool.
    #[account(
        mut,
        constraint = position.pool == pool.key() @ ReferralError::WrongPosition,
        constraint = position.wallet == owner.key() @ ReferralError::WrongPosition,
    )]
    pub position: Account<'info, PoolPosition>,
    /// The reward mint.
    #[account(address = pool.reward_mint @ ReferralError::WrongPoolAccount, mint::token_program = token_program)]
    pub reward_mint: InterfaceAccount<'info, Mint>,
    /// The pool's reward vault.
    #[account(mut, address = pool.reward_vault @ ReferralError::WrongPoolAccount)]
    pub reward_vault: InterfaceAccount<'info, TokenAccount>,
    /// A token account of the owner for the reward mint.
    #[account(mut, token::mint = reward_mint, token::authority = owner, token::token_program = token_program)]
    pub destination: InterfaceAccount<'info, TokenAccount>,
    pub token_program: Interface<'info, TokenInterface>,
}

impl PoolClaim<'_> {
    /// Steps (never paused, R-1.4):
    /// 1. Bring the pool up to date and settle the position (`logic::pools::claim`); `NothingToClaim`
    ///    when it is owed nothing.
    /// 2. The reward vault holds it (`PoolUnderfunded` otherwise: payouts never exceed what was funded).
    /// 3. Pay it out of the reward vault, signed by the pool; count it paid; emit `PoolRewardClaimed`.
    ///
    /// Returns the amount.
    pub fn handler(ctx: Context<Self>) -> Result<u64> {
        let a = ctx.accounts;
        let now = Clock::get()?.unix_timestamp;
        let mut accrual = a.pool.accrual();
        let mut stake = a.position.stake();
        let amount = claim(&mut accrual, now, &mut stake).map_err(ReferralError::from)?;
        require!(amount > 0, ReferralError::NothingToClaim);
        require!(a.reward_vault.amount >= amount, ReferralError::PoolUnderfunded);
        a.position.set_stake(&stake);
        a.position.paid = a.position.paid.checked_add(amount).ok_or(ReferralError::MathOverflow)?;
        a.pool.set_accrual(&accrual);
        a.pool.paid = a.pool.paid.checked_add(amount).ok_or(ReferralError::MathOverflow)?;
        let (hub, id, bump) = (a.pool.hub, a.pool.pool_id.to_le_bytes(), a.pool.bump);
        let seeds: &[&[u8]] = &[STAKING_POOL_SEED, hub.as_ref(), &id, &[bump]];
        pay_out(
            &a.reward_vault,
            &a.destination,
            &a.reward_mint,
            a.pool.to_account_info(),
            &a.token_program,
            seeds,
            amount,
        )?;
        emit!(PoolRewardClaimed { pool: a.pool.key(), member: a.position.member, amount });
        Ok(amount)
    }
}
