//! Builders for the demo marketplace (the integration example of ).
use anchor_lang::prelude::Pubkey;
use anchor_lang::solana_program::instruction::{AccountMeta, Instruction};
use anchor_lang::{system_program, InstructionData, ToAccountMetas};
use anchor_spl::token;
use demo_marketplace::state::{ESCROW_SEED, LISTING_SEED, MARKET_SEED, REPORTER_SEED};

use crate::ix::Trade;
use crate::pda;

/// The marketplace's program id.
pub const ID: Pubkey = demo_marketplace::ID;

/// The market of `admin` (one per admin; only the admin's signature creates it).
pub fn market(admin: &Pubkey) -> Pubkey {
    Pubkey::find_program_address(&[MARKET_SEED, admin.as_ref()], &ID).0
}

/// The reporter PDA of `market` (list it in the hub's `reporters`).
pub fn reporter(market: &Pubkey) -> Pubkey {
    Pubkey::find_program_address(&[REPORTER_SEED, market.as_ref()], &ID).0
}

/// The listing of `mint` on `market`.
pub fn listing(market: &Pubkey, mint: &Pubkey) -> Pubkey {
    Pubkey::find_program_address(&[LISTING_SEED, market.as_ref(), mint.as_ref()], &ID).0
}

/// The escrow of a listing.
pub fn escrow(listing: &Pubkey) -> Pubkey {
    Pubkey::find_program_address(&[ESCROW_SEED, listing.as_ref()], &ID).0
}

fn build(accounts: impl ToAccountMetas, data: impl InstructionData, remaining: &[Pubkey]) -> Instruction {
    let mut metas = accounts.to_account_metas(None);
    metas.extend(remaining.iter().map(|k| AccountMeta::new(*k, false)));
    Instruction { program_id: ID, accounts: metas, data: data.data() }
}

/// `init_market`: `admin` creates its market for `hub`, fees to `treasury`.
pub fn init_market(admin: &Pubkey, hub: &Pubkey, treasury: &Pubkey) -> Instruction {
    build(
        demo_marketplace::accounts::InitMarket {
            admin: *admin,
            market: market(admin),
            system_program: system_program::ID,
        },
        demo_marketplace::instruction::InitMarket { hub: *hub, treasury: *treasury },
        &[],
    )
}

/// `list`: `seller` lists `mint` (held in `seller_token`) on `market` at `price` lamports.
pub fn list(market: &Pubkey, seller: &Pubkey, mint: &Pubkey, seller_token: &Pubkey, price: u64) -> Instruction {
    let listing = listing(market, mint);
    build(
        demo_marketplace::accounts::List {
            seller: *seller,
            market: *market,
            mint: *mint,
            seller_token: *seller_token,
            listing,
            escrow: escrow(&listing),
            token_program: token::ID,
            system_program: system_program::ID,
        },
        demo_marketplace::instruction::List { price },
        &[],
    )
}

/// `buy` on `market`: the fee is routed through the referral program by CPI. `trade` names the buyer
/// (`trader_wallet`, who signs), its referrer and upline in `hub`.
pub fn buy(
    market: &Pubkey,
    buyer_token: &Pubkey,
    seller: &Pubkey,
    treasury: &Pubkey,
    mint: &Pubkey,
    hub: &Pubkey,
    trade: &Trade,
) -> Instruction {
    build(
        buy_accounts(market, buyer_token, seller, treasury, mint, hub, trade),
        demo_marketplace::instruction::Buy {},
        &trade.upline,
    )
}

/// `buy_plain` (benchmark build `demo_marketplace_bench.so` only): the same purchase with the whole fee
/// sent to the treasury, to measure what the referral CPI costs.
#[cfg(feature = "bench")]
pub fn buy_plain(
    market: &Pubkey,
    buyer_token: &Pubkey,
    seller: &Pubkey,
    treasury: &Pubkey,
    mint: &Pubkey,
    hub: &Pubkey,
    trade: &Trade,
) -> Instruction {
    build(
        buy_accounts(market, buyer_token, seller, treasury, mint, hub, trade),
        demo_marketplace::instruction::BuyPlain {},
        &[],
    )
}

#[allow(clippy::too_many_arguments)]
fn buy_accounts(
    market: &Pubkey,
    buyer_token: &Pubkey,
    seller: &Pubkey,
    treasury: &Pubkey,
    mint: &Pubkey,
    hub: &Pubkey,
    trade: &Trade,
) -> demo_marketplace::accounts::Buy {
    let listing = listing(market, mint);
    demo_marketplace::accounts::Buy {
        buyer: trade.trader_wallet,
        seller: *seller,
        market: *market,
        treasury: *treasury,
        mint: *mint,
        listing,
        escrow: escrow(&listing),
        buyer_token: *buyer_token,
        token_program: token::ID,
        system_program: system_program::ID,
        referral_program: referral::ID,
        hub: *hub,
        buyer_member: pda::member(hub, &trade.trader_wallet).0,
        referrer: trade.referrer_wallet.map(|w| pda::member(hub, &w).0),
        reporter: reporter(market),
    }
}
