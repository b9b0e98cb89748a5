//! `buy` (and `buy_plain`, in the benchmark build only): the buyer pays the price; the seller gets
//! price - 2%; the fee goes to the treasury, less the referrer's share when routed through the referral
//! program by CPI.
use anchor_lang::prelude::*;
use anchor_lang::system_program::{transfer, Transfer};
use anchor_spl::token::{self, CloseAccount, Mint, Token, TokenAccount, TransferChecked};
use referral::program::Referral;
use referral::RouteFeeArgs;

use crate::state::{
    Listing, Market, MarketError, FEE_BPS, LAMPORTS_PER_POINT, LISTING_SEED, MARKET_SEED, REPORTER_SEED,
};

#[derive(Accounts)]
pub struct Buy<'info> {
    #[account(mut)]
    pub buyer: Signer<'info>,
    /// The seller, paid the price less the fee. Unchecked (CHECK): must be the listing's seller (`address`).
    #[account(mut, address = listing.seller @ MarketError::WrongSeller)]
    pub seller: UncheckedAccount<'info>,
    #[account(seeds = [MARKET_SEED, market.admin.as_ref()], bump = market.bump)]
    pub market: Account<'info, Market>,
    /// Receives the marketplace's part of the fee. Unchecked (CHECK): must be the market's treasury.
    #[account(mut, address = market.treasury @ MarketError::WrongTreasury)]
    pub treasury: UncheckedAccount<'info>,
    pub mint: Account<'info, Mint>,
    #[account(
        mut,
        close = seller,
        seeds = [LISTING_SEED, market.key().as_ref(), mint.key().as_ref()],
        bump = listing.bump,
    )]
    pub listing: Account<'info, Listing>,
    #[account(mut, token::mint = mint, token::authority = listing)]
    pub escrow: Account<'info, TokenAccount>,
    #[account(mut, token::mint = mint, token::authority = buyer)]
    pub buyer_token: Account<'info, TokenAccount>,
    pub token_program: Program<'info, Token>,
    pub system_program: Program<'info, System>,
    // --- referral accounts (read by `buy` only) ---
    pub referral_program: Program<'info, Referral>,
    /// The referral hub. Unchecked here (CHECK): must be the market's; the referral program checks the rest.
    #[account(address = market.hub @ MarketError::WrongHub)]
    pub hub: UncheckedAccount<'info>,
    /// The buyer's Member in the hub, or its empty Member address when the buyer is not a member.
    /// Unchecked here (CHECK): the referral program proves it is the signing buyer's.
    #[account(mut)]
    pub buyer_member: UncheckedAccount<'info>,
    /// The buyer's referrer's Member, when it has one. Unchecked here (CHECK): the referral program checks
    /// it is the one the buyer's Member stores.
    #[account(mut)]
    pub referrer: Option<UncheckedAccount<'info>>,
    /// The market's reporter PDA `[REPORTER_SEED, market]`, the key the hub lists; signs the CPI. Holds no
    /// data (CHECK: the seeds constraint proves the address).
    #[account(seeds = [REPORTER_SEED, market.key().as_ref()], bump = market.reporter_bump)]
    pub reporter: UncheckedAccount<'info>,
    // remaining_accounts: the referrer's upline members, passed through to `route_fee`.
}

impl<'info> Buy<'info> {
    /// Steps:
    /// 1. The buyer is not the seller (`SelfPurchase`: a wash trade with oneself would turn 1.9% of any
    ///    price into ranking points); fee = price x 2% (rounded down).
    /// 2. With `route`: CPI `route_fee` (trader and payer: the signing buyer, reporter: the market's PDA);
    ///    the referrer's share leaves the buyer there, and the returned remainder goes to the treasury.
    ///    Without (benchmark build only): the whole fee does.
    /// 3. Pay the seller price - fee; give the NFT to the buyer; close the escrow and the listing.
    pub fn handler(ctx: Context<'info, Self>, route: bool) -> Result<()> {
        let a = &ctx.accounts;
        require_keys_neq!(a.buyer.key(), a.listing.seller, MarketError::SelfPurchase);
        let price = a.listing.price;
        let fee = price.checked_mul(FEE_BPS).ok_or(MarketError::MathOverflow)? / 10_000;
        let to_treasury = if route {
            let market = a.market.key();
            let seeds: &[&[u8]] = &[REPORTER_SEED, market.as_ref(), &[a.market.reporter_bump]];
            let args = RouteFeeArgs { trader: a.buyer.key(), fee, base_points: price / LAMPORTS_PER_POINT };
            let report = referral::cpi_report::RouteFeeAccounts {
                reporter: &a.reporter,
                hub: &a.hub,
                trader: &a.buyer_member,
                referrer: a.referrer.as_ref().map(|r| r.as_ref()),
                referral_program: &a.referral_program,
                payer: &a.buyer,
                system_program: &a.system_program,
                upline: ctx.remaining_accounts,
            };
            referral::cpi_report::route_fee(&report, args, &[seeds])?.remainder
        } else {
            fee
        };
        let pay = |to: &AccountInfo<'info>, amount: u64| -> Result<()> {
            let accounts = Transfer { from: a.buyer.to_account_info(), to: to.clone() };
            transfer(CpiContext::new(a.system_program.key(), accounts), amount)
        };
        pay(&a.treasury, to_treasury)?;
        pay(&a.seller, price.checked_sub(fee).ok_or(MarketError::MathOverflow)?)?;

        let mint_key = a.mint.key();
        let market = a.market.key();
        let seeds: &[&[u8]] = &[LISTING_SEED, market.as_ref(), mint_key.as_ref(), &[a.listing.bump]];
        let signer = &[seeds];
        let nft = TransferChecked {
            from: a.escrow.to_account_info(),
            mint: a.mint.to_account_info(),
            to: a.buyer_token.to_account_info(),
            authority: a.listing.to_account_info(),
        };
        token::transfer_checked(CpiContext::new_with_signer(token::ID, nft, signer), 1, a.mint.decimals)?;
        let close = CloseAccount {
            account: a.escrow.to_account_info(),
            destination: a.seller.to_account_info(),
            authority: a.listing.to_account_info(),
        };
        token::close_account(CpiContext::new_with_signer(token::ID, close, signer))
    }
}
