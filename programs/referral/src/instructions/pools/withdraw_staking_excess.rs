//! `withdraw_staking_excess`: the hub admin takes back reward funding of a staking pool that no accrued
//! or future emission can claim.
use anchor_lang::prelude::*;
use anchor_spl::token_interface::{Mint, TokenAccount, TokenInterface};

use super::pay_from_pool;
use crate::errors::ReferralError;
use crate::events::StakingPoolExcessWithdrawn;
use crate::logic::pools::{advance, excess, set_rate};
use crate::state::{Hub, StakingPool};

#[derive(Accounts)]
pub struct WithdrawStakingExcess<'info> {
    /// The hub admin.
    pub admin: Signer<'info>,
    /// The hub.
    #[account(has_one = admin @ ReferralError::NotAdmin)]
    pub hub: AccountLoader<'info, Hub>,
    /// The pool, of this hub.
    #[account(mut, constraint = pool.hub == hub.key() @ ReferralError::WrongHub)]
    pub pool: Account<'info, StakingPool>,
    /// The reward mint.
    #[account(address = pool.reward_mint @ ReferralError::WrongPoolAccount, mint::token_program = token_program)]
    pub reward_mint: InterfaceAccount<'info, Mint>,
    /// The pool's reward vault, by the address the pool stored.
    #[account(mut, address = pool.reward_vault @ ReferralError::WrongPoolAccount)]
    pub reward_vault: InterfaceAccount<'info, TokenAccount>,
    /// A token account of the admin for the reward mint: the excess goes there.
    #[account(mut, token::mint = reward_mint, token::authority = admin, token::token_program = token_program)]
    pub destination: InterfaceAccount<'info, TokenAccount>,
    /// The reward mint's token program (SPL Token or Token-2022).
    pub token_program: Interface<'info, TokenInterface>,
}

impl WithdrawStakingExcess<'_> {
    /// Steps:
    /// 1. `amount > 0` (`ZeroAmount`).
    /// 2. Bring the pool up to date (`logic::pools::advance`). What may go is what the reward vault holds
    ///    beyond the books (tokens sent to it directly), plus what the funding holds beyond what the pool
    ///    emitted (paid or owed) and what its schedule can still emit (`logic::pools::excess`), measured
    ///    on the schedule in force and on a pending rate change alike, so both stay covered; `amount` must
    ///    not exceed it (`NoExcessFunding`, R-6.6).
    /// 3. Pay it from the reward vault to the admin's account, signed by the pool; what came from the
    ///    funding leaves `funded`.
    /// 4. Emit `StakingPoolExcessWithdrawn`.
    pub fn handler(ctx: Context<Self>, amount: u64) -> Result<()> {
        require!(amount > 0, ReferralError::ZeroAmount);
        let a = ctx.accounts;
        let now = Clock::get()?.unix_timestamp;
        let mut accrual = a.pool.accrual();
        advance(&mut accrual, now).map_err(ReferralError::from)?;
        let mut funding_excess = excess(&accrual, a.pool.funded);
        if a.pool.next_at != 0 {
            let mut pending = accrual;
            set_rate(&mut pending, now, a.pool.next_rate, a.pool.next_end.max(now)).map_err(ReferralError::from)?;
            funding_excess = funding_excess.min(excess(&pending, a.pool.funded));
        }
        let books = a.pool.funded.checked_sub(a.pool.paid).ok_or(ReferralError::MathOverflow)?;
        let unbooked = a.reward_vault.amount.saturating_sub(books);
        let available = funding_excess.checked_add(unbooked).ok_or(ReferralError::MathOverflow)?;
        require!(amount <= available, ReferralError::NoExcessFunding);
        a.pool.set_accrual(&accrual);
        let from_funding = amount.saturating_sub(unbooked);
        a.pool.funded = a.pool.funded.checked_sub(from_funding).ok_or(ReferralError::MathOverflow)?;
        pay_from_pool(&a.pool, &a.reward_vault, &a.destination, &a.reward_mint, &a.token_program, amount)?;
        emit!(StakingPoolExcessWithdrawn { pool: a.pool.key(), amount, funded: a.pool.funded });
        Ok(())
    }
}
