//! `fund_staking_pool`: the operator (anyone) deposits rewards into a staking pool.
use anchor_lang::prelude::*;
use anchor_spl::token_interface::{self, Mint, TokenAccount, TokenInterface, TransferChecked};

use super::balance;
use crate::errors::ReferralError;
use crate::state::StakingPool;

#[derive(Accounts)]
pub struct FundStakingPool<'info> {
    /// Pays the rewards.
    pub funder: Signer<'info>,
    /// The pool.
    #[account(mut)]
    pub pool: Account<'info, StakingPool>,
    /// The reward mint.
    #[account(address = pool.reward_mint @ ReferralError::WrongPoolAccount, mint::token_program = token_program)]
    pub reward_mint: InterfaceAccount<'info, Mint>,
    /// The funder's token account of the reward mint.
    #[account(mut, token::mint = reward_mint, token::authority = funder, token::token_program = token_program)]
    pub funder_token: InterfaceAccount<'info, TokenAccount>,
    /// The pool's reward vault.
    #[account(mut, address = pool.reward_vault @ ReferralError::WrongPoolAccount)]
    pub reward_vault: InterfaceAccount<'info, TokenAccount>,
    pub token_program: Interface<'info, TokenInterface>,
}

impl FundStakingPool<'_> {
    /// Steps: `amount > 0` (`ZeroAmount`); transfer it into the reward vault; add what arrived (after any
    /// Token-2022 transfer fee) to `funded`.
    pub fn handler(ctx: Context<Self>, amount: u64) -> Result<()> {
        require!(amount > 0, ReferralError::ZeroAmount);
        let a = ctx.accounts;
        let before = a.reward_vault.amount;
        let transfer = TransferChecked {
            from: a.funder_token.to_account_info(),
            mint: a.reward_mint.to_account_info(),
            to: a.reward_vault.to_account_info(),
            authority: a.funder.to_account_info(),
        };
        token_interface::transfer_checked(
            CpiContext::new(a.token_program.key(), transfer),
            amount,
            a.reward_mint.decimals,
        )?;
        let arrived = balance(&a.reward_vault)?.checked_sub(before).ok_or(ReferralError::MathOverflow)?;
        a.pool.funded = a.pool.funded.checked_add(arrived).ok_or(ReferralError::MathOverflow)?;
        Ok(())
    }
}
