//! The demo marketplace in the bank: markets, listings, purchases.
use anchor_lang::prelude::Pubkey;
use referral_client::market;
use solana_keypair::Keypair;
use solana_signer::Signer;

use crate::tokens::TOKEN;
use crate::{Failed, Fixture, Sent};

/// A market of the demo marketplace: its admin, address, reporter PDA (list it in the hub) and treasury.
pub struct Market {
    /// The admin who creates it (its address derives from this key).
    pub admin: Keypair,
    /// The market PDA.
    pub address: Pubkey,
    /// The market's reporter PDA: the key a hub lists to accept its trade reports.
    pub reporter: Pubkey,
    /// Where the marketplace's part of each fee goes.
    pub treasury: Pubkey,
}

/// A listed NFT.
pub struct Listed {
    /// The NFT's mint.
    pub mint: Pubkey,
    /// The seller.
    pub seller: Pubkey,
}

impl Fixture {
    /// A bank with the referral program and the deployed demo marketplace (no `buy_plain`).
    pub async fn with_marketplace() -> Fixture {
        Fixture::with_programs(&[("referral", referral::ID), ("demo_marketplace", market::ID)]).await
    }

    /// A bank with the referral program and the marketplace's benchmark build (with `buy_plain`), for the
    /// compute report's baseline.
    pub async fn with_bench_marketplace() -> Fixture {
        Fixture::with_programs(&[("referral", referral::ID), ("demo_marketplace_bench", market::ID)]).await
    }

    /// A funded admin and the addresses of its market (not created yet: list `reporter` in the hub, then
    /// call [`Fixture::init_market`]).
    pub async fn new_market(&mut self) -> Market {
        let admin = self.wallet().await;
        self.market_of(admin).await
    }

    /// The market of `admin` (funded by the caller), with a funded treasury.
    pub async fn market_of(&mut self, admin: Keypair) -> Market {
        let address = market::market(&admin.pubkey());
        let treasury = Pubkey::new_unique();
        self.fund(&treasury, 1_000_000_000).await;
        Market { reporter: market::reporter(&address), admin, address, treasury }
    }

    /// Creates `m` for `hub`.
    pub async fn init_market(&mut self, m: &Market, hub: &Pubkey) {
        let ix = market::init_market(&m.admin.pubkey(), hub, &m.treasury);
        let admin = m.admin.insecure_clone();
        if let Err(f) = self.send(&[ix], &[&admin]).await {
            panic!("init_market: {:?}\n{}", f.error, f.logs.join("\n"));
        }
    }

    /// `seller` lists a fresh NFT (mint at `mint`'s address) on `m` at `price` lamports.
    pub async fn list_nft(&mut self, m: &Market, seller: &Keypair, mint: &Keypair, price: u64) -> Listed {
        let (mint, token) = self.nft_at(mint, &seller.pubkey(), crate::tokens::NftSpec::of(Pubkey::default())).await;
        let ix = market::list(&m.address, &seller.pubkey(), &mint, &token, price);
        if let Err(f) = self.send(&[ix], &[seller]).await {
            panic!("list: {:?}\n{}", f.error, f.logs.join("\n"));
        }
        Listed { mint, seller: seller.pubkey() }
    }

    /// `buyer` buys `listed` on `m`: with the referral CPI (`buy`), or, when not `route`, the benchmark
    /// build's `buy_plain`.
    pub async fn buy(
        &mut self,
        hub: &Pubkey,
        m: &Market,
        buyer: &Keypair,
        listed: &Listed,
        route: bool,
    ) -> Result<Sent, Failed> {
        let ix = self.buy_ix(hub, m, buyer, listed, route).await;
        self.send(&[ix], &[buyer]).await
    }

    /// The purchase instruction of [`Fixture::buy`] (the buyer's token account is created first).
    pub async fn buy_ix(
        &mut self,
        hub: &Pubkey,
        m: &Market,
        buyer: &Keypair,
        listed: &Listed,
        route: bool,
    ) -> referral_client::Instruction {
        let buyer_token = self.ata(&buyer.pubkey(), &listed.mint, TOKEN).await;
        let trade = self.trade_of(hub, &buyer.pubkey()).await;
        let build = if route { market::buy } else { market::buy_plain };
        build(&m.address, &buyer_token, &listed.seller, &m.treasury, &listed.mint, hub, &trade)
    }
}
