//! Demo NFT marketplace (SPEC ): list an NFT, buy it for SOL with a 2% fee. On `buy` the fee is
//! reported to the referral program by CPI, signed by the market's reporter PDA and naming the signing
//! buyer as the trader: the referral program takes the referrer's share from the buyer and returns the
//! remainder, which goes to the treasury. Each market belongs to the admin who created it (its address
//! derives from the admin's key, so nobody can create it first) and has its own reporter PDA.
//! `buy_plain` (the same purchase with the whole fee sent to the treasury) exists only in the benchmark
//! build (feature `bench-plain-fee`), to measure what the referral CPI costs (docs/COMPUTE.md).
#![allow(unexpected_cfgs)]

#[cfg(target_arch = "bpf")]
use solana_compiler_builtins as _;

use anchor_lang::prelude::*;

pub mod instructions;
pub mod state;

pub use instructions::*;
pub use state::*;

declare_id!("FkMa2EskNCfZkCyfeWp3fRuaH4r3JeLSYDrsVxYU7hxp");

#[program]
pub mod demo_marketplace {
    use super::*;

    /// Creates the signing admin's market: its referral hub and fee treasury.
    pub fn init_market(ctx: Context<InitMarket>, hub: Pubkey, treasury: Pubkey) -> Result<()> {
        InitMarket::handler(ctx, hub, treasury)
    }

    /// Lists an NFT at `price` lamports; the NFT moves into the listing's escrow.
    pub fn list(ctx: Context<List>, price: u64) -> Result<()> {
        List::handler(ctx, price)
    }

    /// Buys a listed NFT, routing the 2% fee through the referral program by CPI.
    /// Remaining accounts: the buyer's referrer's upline for levels 2..=hub depth, writable.
    pub fn buy<'info>(ctx: Context<'info, Buy<'info>>) -> Result<()> {
        Buy::handler(ctx, true)
    }

    /// Benchmark build only: the same purchase with the whole fee sent to the treasury (no referral CPI).
    #[cfg(feature = "bench-plain-fee")]
    pub fn buy_plain<'info>(ctx: Context<'info, Buy<'info>>) -> Result<()> {
        Buy::handler(ctx, false)
    }
}
