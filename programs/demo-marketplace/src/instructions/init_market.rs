//! `init_market`: an admin creates its market (not front-runnable: the address derives from the admin).
use anchor_lang::prelude::*;

use crate::state::{Market, MARKET_SEED, REPORTER_SEED};

#[derive(Accounts)]
pub struct InitMarket<'info> {
    /// The market's admin; a seed of its address, so only its signature can create it.
    #[account(mut)]
    pub admin: Signer<'info>,
    #[account(init, payer = admin, space = 8 + Market::INIT_SPACE, seeds = [MARKET_SEED, admin.key().as_ref()], bump)]
    pub market: Account<'info, Market>,
    pub system_program: Program<'info, System>,
}

impl InitMarket<'_> {
    /// Steps: store the admin, the hub, the treasury and both bumps (the reporter PDA
    /// `[REPORTER_SEED, market]` holds no data; the hub's admin lists it as a reporter).
    pub fn handler(ctx: Context<Self>, hub: Pubkey, treasury: Pubkey) -> Result<()> {
        let market = ctx.accounts.market.key();
        let (_, reporter_bump) = Pubkey::find_program_address(&[REPORTER_SEED, market.as_ref()], &crate::ID);
        let admin = ctx.accounts.admin.key();
        ctx.accounts.market.set_inner(Market { admin, hub, treasury, bump: ctx.bumps.market, reporter_bump });
        Ok(())
    }
}
