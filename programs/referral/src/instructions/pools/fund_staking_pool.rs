//! `fund_staking_pool`: the hub admin deposits more rewards into a staking pool.
use anchor_lang::prelude::*;
use anchor_spl::token_interface::{Mint, TokenAccount, TokenInterface};

use super::deposit;
use crate::errors::ReferralError;
use crate::state::{Hub, StakingPool};

#[derive(Accounts)]
pub struct FundStakingPool<'info> {
    /// The hub admin: pays the rewards, and alone can take back what no emission can claim
    /// (`withdraw_staking_excess`), so funding goes back to whoever gave it.
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
    /// The admin's token account of the reward mint.
    #[account(mut, token::mint = reward_mint, token::authority = admin, token::token_program = token_program)]
    pub admin_token: InterfaceAccount<'info, TokenAccount>,
    /// The pool's reward vault, by the address the pool stored.
    #[account(mut, address = pool.reward_vault @ ReferralError::WrongPoolAccount)]
    pub reward_vault: InterfaceAccount<'info, TokenAccount>,
    /// The reward mint's token program (SPL Token or Token-2022).
    pub token_program: Interface<'info, TokenInterface>,
}

impl FundStakingPool<'_> {
    /// Steps: `amount > 0` (`ZeroAmount`); transfer it from the admin into the reward vault; add what
    /// arrived (after any Token-2022 transfer fee) to `funded`. Funding only raises `funded`, so the pool's
    /// promise stays covered; it makes room for a later rate.
    pub fn handler(ctx: Context<Self>, amount: u64) -> Result<()> {
        require!(amount > 0, ReferralError::ZeroAmount);
        let a = ctx.accounts;
        let admin = a.admin.to_account_info();
        let arrived = deposit(&a.admin_token, &a.reward_vault, &a.reward_mint, admin, &a.token_program, amount)?;
        a.pool.funded = a.pool.funded.checked_add(arrived).ok_or(ReferralError::MathOverflow)?;
        Ok(())
    }
}
