//! `fund_pool`: anyone funds a period's reward pool in SOL.
use anchor_lang::prelude::*;
use anchor_lang::system_program::{transfer, Transfer};

use super::{pool_for_funding, record_funding};
use crate::constants::POOL_SEED;
use crate::errors::ReferralError;
use crate::events::PoolFunded;
use crate::state::Period;

#[derive(Accounts)]
pub struct FundPool<'info> {
    /// Pays the amount (and the pool's rent when it is created); gets back what is not claimed.
    #[account(mut)]
    pub funder: Signer<'info>,
    /// The period funded.
    #[account(mut)]
    pub period: Account<'info, Period>,
    /// The funder's SOL pool of this period, `[POOL_SEED, period, funder, default]`, created on first
    /// funding. Unchecked by Anchor (CHECK): the seeds constraint proves the address; an existing one is
    /// loaded as a `RewardPool` (owner and discriminator).
    #[account(mut, seeds = [POOL_SEED, period.key().as_ref(), funder.key().as_ref(), Pubkey::default().as_ref()], bump)]
    pub pool: UncheckedAccount<'info>,
    pub system_program: Program<'info, System>,
}

impl FundPool<'_> {
    /// Steps:
    /// 1. `amount > 0` (`ZeroFunding`); the registration window has not closed (`PeriodClosed`).
    /// 2. Create the pool on first funding (the period's next pool number; no limit, R-5.7).
    /// 3. Move `amount` lamports from the funder into the pool account; add them to its size.
    /// 4. Emit `PoolFunded`.
    pub fn handler(ctx: Context<Self>, amount: u64) -> Result<()> {
        require!(amount > 0, ReferralError::ZeroFunding);
        let a = ctx.accounts;
        let pool = pool_for_funding(
            &a.funder,
            &mut a.period,
            &a.pool,
            &a.system_program,
            Pubkey::default(),
            Pubkey::default(),
            Pubkey::default(),
            ctx.bumps.pool,
        )?;
        let accounts = Transfer { from: a.funder.to_account_info(), to: a.pool.to_account_info() };
        transfer(CpiContext::new(a.system_program.key(), accounts), amount)?;
        let pool = record_funding(&a.pool, pool, amount)?;
        emit!(PoolFunded {
            period: a.period.key(),
            pool: a.pool.key(),
            funder: a.funder.key(),
            mint: Pubkey::default(),
            amount,
            funded: pool.funded
        });
        Ok(())
    }
}
