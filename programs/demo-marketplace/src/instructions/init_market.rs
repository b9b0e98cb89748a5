//! `init_market`: the singleton marketplace config.
use anchor_lang::prelude::*;

use crate::state::{Market, MARKET_SEED, REPORTER_SEED};

#[derive(Accounts)]
pub struct InitMarket<'info> {
    #[account(mut)]
    pub admin: Signer<'info>,
    #[account(init, payer = admin, space = 8 + Market::INIT_SPACE, seeds = [MARKET_SEED], bump)]
    pub market: Account<'info, Market>,
    pub system_program: Program<'info, System>,
}

impl InitMarket<'_> {
    /// Steps: store the hub, the treasury and both bumps (the reporter PDA holds no data).
    pub fn handler(ctx: Context<Self>, hub: Pubkey, treasury: Pubkey) -> Result<()> {
        let (_, reporter_bump) = Pubkey::find_program_address(&[REPORTER_SEED], &crate::ID);
        ctx.accounts.market.set_inner(Market { hub, treasury, bump: ctx.bumps.market, reporter_bump });
        Ok(())
    }
}
