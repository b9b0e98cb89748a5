//! `list`: the seller escrows an NFT at a price.
use anchor_lang::prelude::*;
use anchor_spl::token::{self, Mint, Token, TokenAccount, TransferChecked};

use crate::state::{Listing, Market, MarketError, ESCROW_SEED, LISTING_SEED, MARKET_SEED};

#[derive(Accounts)]
pub struct List<'info> {
    #[account(mut)]
    pub seller: Signer<'info>,
    /// The market the NFT is listed on.
    #[account(seeds = [MARKET_SEED, market.admin.as_ref()], bump = market.bump)]
    pub market: Account<'info, Market>,
    pub mint: Account<'info, Mint>,
    #[account(mut, token::mint = mint, token::authority = seller)]
    pub seller_token: Account<'info, TokenAccount>,
    #[account(
        init,
        payer = seller,
        space = 8 + Listing::INIT_SPACE,
        seeds = [LISTING_SEED, market.key().as_ref(), mint.key().as_ref()],
        bump,
    )]
    pub listing: Account<'info, Listing>,
    #[account(
        init,
        payer = seller,
        seeds = [ESCROW_SEED, listing.key().as_ref()],
        bump,
        token::mint = mint,
        token::authority = listing,
    )]
    pub escrow: Account<'info, TokenAccount>,
    pub token_program: Program<'info, Token>,
    pub system_program: Program<'info, System>,
}

impl List<'_> {
    /// Steps: refuse a zero price; move the NFT into escrow; store the listing.
    pub fn handler(ctx: Context<Self>, price: u64) -> Result<()> {
        require!(price > 0, MarketError::ZeroPrice);
        let a = &ctx.accounts;
        let transfer = TransferChecked {
            from: a.seller_token.to_account_info(),
            mint: a.mint.to_account_info(),
            to: a.escrow.to_account_info(),
            authority: a.seller.to_account_info(),
        };
        token::transfer_checked(CpiContext::new(token::ID, transfer), 1, a.mint.decimals)?;
        let listing = Listing {
            seller: a.seller.key(),
            mint: a.mint.key(),
            price,
            bump: ctx.bumps.listing,
            escrow_bump: ctx.bumps.escrow,
        };
        ctx.accounts.listing.set_inner(listing);
        Ok(())
    }
}
