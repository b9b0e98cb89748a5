//! The demo marketplace in the bank: market config, listings, purchases.
use anchor_lang::prelude::Pubkey;
use referral_client::market;
use solana_keypair::Keypair;
use solana_signer::Signer;

use crate::tokens::TOKEN;
use crate::{Failed, Fixture, Sent};

/// A listed NFT.
pub struct Listed {
    /// The NFT's mint.
    pub mint: Pubkey,
    /// The seller.
    pub seller: Pubkey,
}

impl Fixture {
    /// A bank with both SBF programs: referral and the demo marketplace.
    pub async fn with_marketplace() -> Fixture {
        Fixture::with_programs(&[("referral", referral::ID), ("demo_marketplace", market::ID)]).await
    }

    /// Creates the marketplace config for `hub`; returns the treasury.
    pub async fn init_market(&mut self, hub: &Pubkey) -> Pubkey {
        let admin = self.wallet().await;
        let treasury = Pubkey::new_unique();
        self.fund(&treasury, 1_000_000_000).await;
        let ix = market::init_market(&admin.pubkey(), hub, &treasury);
        if let Err(f) = self.send(&[ix], &[&admin]).await {
            panic!("init_market: {:?}\n{}", f.error, f.logs.join("\n"));
        }
        treasury
    }

    /// `seller` lists a fresh NFT (mint at `mint`'s address) at `price` lamports.
    pub async fn list_nft(&mut self, seller: &Keypair, mint: &Keypair, price: u64) -> Listed {
        let (mint, token) = self.nft_at(mint, &seller.pubkey(), crate::tokens::NftSpec::of(Pubkey::default())).await;
        let ix = market::list(&seller.pubkey(), &mint, &token, price);
        if let Err(f) = self.send(&[ix], &[seller]).await {
            panic!("list: {:?}\n{}", f.error, f.logs.join("\n"));
        }
        Listed { mint, seller: seller.pubkey() }
    }

    /// `buyer` buys `listed` (with the referral CPI when `route`).
    pub async fn buy(
        &mut self,
        hub: &Pubkey,
        treasury: &Pubkey,
        buyer: &Keypair,
        listed: &Listed,
        route: bool,
    ) -> Result<Sent, Failed> {
        let buyer_token = self.ata(&buyer.pubkey(), &listed.mint, TOKEN).await;
        let trade = self.trade_of(hub, &buyer.pubkey()).await;
        let ix = market::buy(&buyer_token, &listed.seller, treasury, &listed.mint, hub, &trade, route);
        self.send(&[ix], &[buyer]).await
    }
}
