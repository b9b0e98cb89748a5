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

/// The marketplace config PDA.
pub fn market() -> Pubkey {
    Pubkey::find_program_address(&[MARKET_SEED], &ID).0
}

/// The marketplace's reporter PDA (list it in the hub's `reporters`).
pub fn reporter() -> Pubkey {
    Pubkey::find_program_address(&[REPORTER_SEED], &ID).0
}

/// The listing of `mint`.
pub fn listing(mint: &Pubkey) -> Pubkey {
    Pubkey::find_program_address(&[LISTING_SEED, mint.as_ref()], &ID).0
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

/// `init_market`.
pub fn init_market(admin: &Pubkey, hub: &Pubkey, treasury: &Pubkey) -> Instruction {
    build(
        demo_marketplace::accounts::InitMarket { admin: *admin, market: market(), system_program: system_program::ID },
        demo_marketplace::instruction::InitMarket { hub: *hub, treasury: *treasury },
        &[],
    )
}

/// `list`: `seller` lists `mint` (held in `seller_token`) at `price` lamports.
pub fn list(seller: &Pubkey, mint: &Pubkey, seller_token: &Pubkey, price: u64) -> Instruction {
    let listing = listing(mint);
    build(
        demo_marketplace::accounts::List {
            seller: *seller,
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

/// `buy` (`route` = true: fee routed through the referral program) or `buy_plain`. `trade` names the
/// buyer (`trader_wallet`), its referrer and upline in `hub`.
#[allow(clippy::too_many_arguments)]
pub fn buy(
    buyer_token: &Pubkey,
    seller: &Pubkey,
    treasury: &Pubkey,
    mint: &Pubkey,
    hub: &Pubkey,
    trade: &Trade,
    route: bool,
) -> Instruction {
    let listing = listing(mint);
    let accounts = demo_marketplace::accounts::Buy {
        buyer: trade.trader_wallet,
        seller: *seller,
        market: market(),
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
        reporter: reporter(),
    };
    if route {
        build(accounts, demo_marketplace::instruction::Buy {}, &trade.upline)
    } else {
        build(accounts, demo_marketplace::instruction::BuyPlain {}, &[])
    }
}
