//! Domain helpers: hubs, members, codes. Each wraps one client builder and `Fixture::send`.
use anchor_lang::prelude::Pubkey;
use referral_client::ix::{self, Referral};
use referral_client::{pda, HubConfig, Member, ReferralCode};
use solana_keypair::Keypair;
use solana_signer::Signer;

use crate::{Failed, Fixture, Sent};

impl Fixture {
    /// Creates hub `hub_id` of `creator` (who also pays), returning its address.
    pub async fn create_hub(&mut self, creator: &Keypair, hub_id: u64, config: HubConfig) -> Result<Pubkey, Failed> {
        let ix = ix::create_hub(&creator.pubkey(), &creator.pubkey(), hub_id, config);
        self.send(&[ix], &[creator]).await?;
        Ok(pda::hub(&creator.pubkey(), hub_id).0)
    }

    /// A new creator wallet and a hub of it with `config`.
    pub async fn hub_with(&mut self, config: HubConfig) -> Pubkey {
        let creator = self.wallet().await;
        match self.create_hub(&creator, 1, config).await {
            Ok(hub) => hub,
            Err(f) => panic!("create_hub failed: {:?}\n{}", f.error, f.logs.join("\n")),
        }
    }

    /// The referral link "referrer's address as code", with the upline read from chain.
    pub async fn by_address(&mut self, hub: &Pubkey, referrer_wallet: &Pubkey) -> Referral {
        let upline = self.upline_of(hub, referrer_wallet).await;
        Referral::Address { referrer_wallet: *referrer_wallet, upline }
    }

    /// The referral link through `code`: the owner is read from the code account, the upline from chain.
    pub async fn by_code(&mut self, hub: &Pubkey, code: &str) -> Referral {
        let address = pda::code(hub, code).unwrap_or_else(|e| panic!("code {code:?}: {e:?}")).0;
        let owner = match self.account::<ReferralCode>(&address).await {
            Some(c) => c.owner,
            None => panic!("code {code:?} does not exist"),
        };
        let upline = self.upline_of(hub, &owner).await;
        Referral::Code { code: code.to_string(), referrer_wallet: owner, upline }
    }

    /// The upline a member joining under `referrer_wallet` must pass (client rule `ix::upline`).
    pub async fn upline_of(&mut self, hub: &Pubkey, referrer_wallet: &Pubkey) -> Vec<Pubkey> {
        let mut chain = std::collections::HashMap::new();
        let first = pda::member(hub, referrer_wallet).0;
        let mut next = first;
        for _ in 0..referral::constants::MAX_DEPTH {
            let Some(m) = self.account::<Member>(&next).await else { break };
            let up = m.referrer;
            chain.insert(next, m);
            if up == Pubkey::default() {
                break;
            }
            next = up;
        }
        match chain.get(&first) {
            Some(referrer) => ix::upline(referrer, |k| chain.get(k).cloned()),
            None => vec![],
        }
    }

    /// `wallet` joins `hub` through `referral`, paying its own rent.
    pub async fn join(&mut self, hub: &Pubkey, wallet: &Keypair, referral: Referral) -> Result<Sent, Failed> {
        let ix = ix::join(&wallet.pubkey(), &wallet.pubkey(), hub, referral)
            .unwrap_or_else(|e| panic!("join builder: {e:?}"));
        self.send(&[ix], &[wallet]).await
    }

    /// A new wallet that joined `hub` under `referrer` (by address), or without one.
    pub async fn member_under(&mut self, hub: &Pubkey, referrer: Option<&Keypair>) -> Keypair {
        let w = self.wallet().await;
        let referral = match referrer {
            Some(r) => self.by_address(hub, &r.pubkey()).await,
            None => Referral::None,
        };
        if let Err(f) = self.join(hub, &w, referral).await {
            panic!("join failed: {:?}\n{}", f.error, f.logs.join("\n"));
        }
        w
    }

    /// The member of `wallet` in `hub` (panics when absent).
    pub async fn member(&mut self, hub: &Pubkey, wallet: &Pubkey) -> Member {
        let key = pda::member(hub, wallet).0;
        self.account::<Member>(&key).await.unwrap_or_else(|| panic!("{wallet} is not a member of {hub}"))
    }

    /// `wallet`'s member creates `code`.
    pub async fn make_code(&mut self, hub: &Pubkey, wallet: &Keypair, code: &str) -> Result<Sent, Failed> {
        let ix = ix::make_code(&wallet.pubkey(), &wallet.pubkey(), hub, code)
            .unwrap_or_else(|e| panic!("make_code builder: {e:?}"));
        self.send(&[ix], &[wallet]).await
    }

    /// `wallet`'s member sets its referrer later.
    pub async fn set_referrer(&mut self, hub: &Pubkey, wallet: &Keypair, referral: Referral) -> Result<Sent, Failed> {
        let ix =
            ix::set_referrer(&wallet.pubkey(), hub, referral).unwrap_or_else(|e| panic!("set_referrer builder: {e:?}"));
        self.send(&[ix], &[wallet]).await
    }
}

impl Fixture {
    /// Who a trade of `trader` in `hub` credits, read from chain (client rule `ix::upline_to_depth`).
    pub async fn trade_of(&mut self, hub: &Pubkey, trader: &Pubkey) -> referral_client::ix::Trade {
        let depth = self.account::<referral_client::Hub>(hub).await.expect("hub").rules.depth;
        let member = self.account::<Member>(&pda::member(hub, trader).0).await;
        let Some(member) = member.filter(|m| m.has_referrer()) else {
            return referral_client::ix::Trade { trader_wallet: *trader, referrer_wallet: None, upline: vec![] };
        };
        let referrer: Member = self.account(&member.referrer).await.expect("referrer member");
        let mut chain = std::collections::HashMap::new();
        let mut next = referrer.referrer;
        while next != Pubkey::default() && chain.len() < usize::from(depth) {
            let Some(m) = self.account::<Member>(&next).await else { break };
            let up = m.referrer;
            chain.insert(next, m);
            next = up;
        }
        let upline = ix::upline_to_depth(&referrer, depth, |k| chain.get(k).cloned());
        referral_client::ix::Trade { trader_wallet: *trader, referrer_wallet: Some(referrer.wallet), upline }
    }

    /// Stakes `n` fresh NFTs of `collection` for `owner` in `hub`, then moves to the next slot, where
    /// they count (D-36).
    pub async fn stake_many(&mut self, hub: &Pubkey, owner: &Keypair, collection: Pubkey, n: usize) {
        for _ in 0..n {
            let (mint, token) = self.nft(&owner.pubkey(), crate::tokens::NftSpec::of(collection)).await;
            let ix = ix::stake_nft(&owner.pubkey(), &owner.pubkey(), hub, &mint, &token);
            if let Err(f) = self.send(&[ix], &[owner]).await {
                panic!("stake failed: {:?}\n{}", f.error, f.logs.join("\n"));
            }
        }
        self.next_slot().await;
    }
}

impl Fixture {
    /// Writes pause bits straight into a hub account, for tests whose hub admin key is not at hand (the
    /// `set_pause` instruction itself is tested in tests/admin.rs).
    pub async fn force_pause(&mut self, hub: &Pubkey, bits: u8) {
        let mut raw = self.raw(hub).await.expect("hub");
        let mut h: referral_client::Hub = referral_client::decode::account(&raw.data).expect("hub");
        h.paused = bits;
        raw.data = referral_client::decode::zero_copy_bytes(&h);
        self.set_raw(hub, raw);
    }
}
