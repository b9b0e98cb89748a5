//! Issue 8, point 1: nobody chooses whose referrer a trade pays, nor skips it.
//!
//! The trade report names the trader's wallet; the Member credited must be that wallet's Member of the
//! hub, and an "empty" trader account must be that wallet's own Member address. Each test first builds the
//! attack a buyer (or a careless reporter) could send before this rule, then shows it refused with a named
//! error and no account changed; the honest report still works.
use anchor_lang::error::ErrorCode as Anchor;
use anchor_lang::prelude::Pubkey;
use referral::errors::ReferralError;
use referral_client::ix::{self, Trade};
use referral_client::{decode, market, pda, HubConfig, RouteFeeResult, ShareOutcome};
use referral_tests::tokens::TOKEN;
use referral_tests::{assert_custom_error, replace_account, Fixture, TestKeypair, TestSigner};

const COLLECTION: Pubkey = Pubkey::new_from_array([31; 32]);
const SOL: u64 = 1_000_000_000;

/// Two referral pairs: `a` (1 NFT) referred the buyer `b`; `c` (1 NFT) referred `d`. `stranger` is not a
/// member.
struct Pairs {
    hub: Pubkey,
    a: TestKeypair,
    b: TestKeypair,
    c: TestKeypair,
    d: TestKeypair,
    stranger: TestKeypair,
}

async fn pairs(fx: &mut Fixture, reporters: Vec<Pubkey>) -> Pairs {
    let mut config = HubConfig::with_defaults(COLLECTION);
    config.reporters = reporters;
    let hub = fx.hub_with(config).await;
    let a = fx.member_under(&hub, None).await;
    let c = fx.member_under(&hub, None).await;
    fx.stake_many(&hub, &a, COLLECTION, 1).await;
    fx.stake_many(&hub, &c, COLLECTION, 1).await;
    let b = fx.member_under(&hub, Some(&a)).await;
    let d = fx.member_under(&hub, Some(&c)).await;
    let stranger = fx.wallet().await;
    Pairs { hub, a, b, c, d, stranger }
}

impl Pairs {
    fn members(&self) -> Vec<Pubkey> {
        let mut keys: Vec<Pubkey> =
            [&self.a, &self.b, &self.c, &self.d].iter().map(|w| pda::member(&self.hub, &w.pubkey()).0).collect();
        keys.extend([self.a.pubkey(), self.b.pubkey(), self.stranger.pubkey()]);
        keys
    }
}

// a report for B's trade that passes D's Member (and D's referrer C) would pay C and credit D;
// one that passes some empty account instead of B's Member would skip A. Both are refused:
// TraderMemberMismatch, nothing changes. A non-member's own empty Member address is accepted (nothing
// moves, outcome NotMember); any other empty account for it is refused. The honest report pays A.
#[tokio::test]
async fn route_fee_credits_only_the_reported_wallets_member() {
    let mut fx = Fixture::new().await;
    let reporter = fx.wallet().await;
    let p = pairs(&mut fx, vec![reporter.pubkey()]).await;
    let hub = p.hub;
    let watch = p.members();
    let before = fx.snapshot(&watch).await;
    let b_trade = fx.trade_of(&hub, &p.b.pubkey()).await;
    let d_trade = fx.trade_of(&hub, &p.d.pubkey()).await;

    // The attack: B's trade, D's Member and D's referrer C.
    let redirected = Trade { trader_wallet: p.b.pubkey(), ..d_trade.clone() };
    let mut attack = ix::route_fee(&reporter.pubkey(), &hub, &p.b.pubkey(), &redirected, SOL, 1_000);
    replace_account(&mut attack, &pda::member(&hub, &p.b.pubkey()).0, pda::member(&hub, &p.d.pubkey()).0);
    assert_custom_error(fx.send(&[attack], &[&reporter, &p.b]).await, ReferralError::TraderMemberMismatch);
    // The attack: B's trade reported with an empty account that is not B's Member (skips A).
    let skipped = Trade { trader_wallet: p.b.pubkey(), referrer_wallet: None, upline: vec![] };
    let mut attack = ix::route_fee(&reporter.pubkey(), &hub, &p.b.pubkey(), &skipped, SOL, 1_000);
    replace_account(&mut attack, &pda::member(&hub, &p.b.pubkey()).0, Pubkey::new_unique());
    assert_custom_error(fx.send(&[attack], &[&reporter, &p.b]).await, ReferralError::TraderMemberMismatch);
    // The same with the stranger's canonical (empty) Member address while naming B.
    let mut attack = ix::route_fee(&reporter.pubkey(), &hub, &p.b.pubkey(), &skipped, SOL, 1_000);
    replace_account(&mut attack, &pda::member(&hub, &p.b.pubkey()).0, pda::member(&hub, &p.stranger.pubkey()).0);
    assert_custom_error(fx.send(&[attack], &[&reporter, &p.b]).await, ReferralError::TraderMemberMismatch);
    // A non-member named with an empty account other than its own Member address.
    let none = fx.trade_of(&hub, &p.stranger.pubkey()).await;
    let mut attack = ix::route_fee(&reporter.pubkey(), &hub, &p.stranger.pubkey(), &none, SOL, 1_000);
    replace_account(&mut attack, &pda::member(&hub, &p.stranger.pubkey()).0, Pubkey::new_unique());
    assert_custom_error(fx.send(&[attack], &[&reporter, &p.stranger]).await, ReferralError::TraderMemberMismatch);
    assert_eq!(fx.snapshot(&watch).await, before, "refused reports change nothing");

    // The non-member's own address: accepted, nothing moves.
    let ixr = ix::route_fee(&reporter.pubkey(), &hub, &p.stranger.pubkey(), &none, SOL, 1_000);
    let sent = fx.send(&[ixr], &[&reporter, &p.stranger]).await.expect("non-member trade");
    let r: RouteFeeResult = decode::return_data(&sent.return_data.expect("return data").1).expect("result");
    assert_eq!(r, RouteFeeResult::nothing(SOL, ShareOutcome::NotMember));
    assert_eq!(fx.snapshot(&watch).await, before);

    // The honest report of B's trade pays A, not C.
    let ixr = ix::route_fee(&reporter.pubkey(), &hub, &p.b.pubkey(), &b_trade, 20 * SOL, 1_000);
    fx.send(&[ixr], &[&reporter, &p.b]).await.expect("B's trade");
    assert_eq!(fx.member(&hub, &p.a.pubkey()).await.claimable_lamports, SOL);
    assert_eq!(fx.member(&hub, &p.c.pubkey()).await.claimable_lamports, 0);
    assert_eq!(fx.member(&hub, &p.d.pubkey()).await.own_points, 0);
}

// award_points binds its trader the same way.
#[tokio::test]
async fn award_points_credits_only_the_named_wallets_member() {
    let mut fx = Fixture::new().await;
    let reporter = fx.wallet().await;
    let p = pairs(&mut fx, vec![reporter.pubkey()]).await;
    let hub = p.hub;
    let watch = p.members();
    let before = fx.snapshot(&watch).await;
    let d_trade = fx.trade_of(&hub, &p.d.pubkey()).await;
    let redirected = Trade { trader_wallet: p.b.pubkey(), ..d_trade };
    let mut attack = ix::award_points(&reporter.pubkey(), &hub, &redirected, 1_000);
    replace_account(&mut attack, &pda::member(&hub, &p.b.pubkey()).0, pda::member(&hub, &p.d.pubkey()).0);
    assert_custom_error(fx.send(&[attack], &[&reporter]).await, ReferralError::TraderMemberMismatch);
    assert_eq!(fx.snapshot(&watch).await, before);
    let b_trade = fx.trade_of(&hub, &p.b.pubkey()).await;
    fx.send(&[ix::award_points(&reporter.pubkey(), &hub, &b_trade, 1_000)], &[&reporter]).await.expect("award");
    assert_eq!(fx.member(&hub, &p.a.pubkey()).await.referral_points, 100);
    assert_eq!(fx.member(&hub, &p.c.pubkey()).await.referral_points, 0);
}

// in the demo marketplace the buyer builds the `buy` instruction. Passing another member's
// Member and referrer, or an empty account, as its own fails (the marketplace names the signing buyer);
// the plain-fee purchase is not an instruction of the deployed program (InstructionFallbackNotFound).
// The honest purchase pays the buyer's own referrer.
#[tokio::test]
async fn marketplace_buyer_cannot_redirect_or_skip_its_referrer() {
    let mut fx = Fixture::with_marketplace().await;
    let m = fx.new_market().await;
    let p = pairs(&mut fx, vec![m.reporter]).await;
    let hub = p.hub;
    fx.init_market(&m, &hub).await;
    let seller = fx.wallet().await;
    let listed = fx.list_nft(&m, &seller, &TestKeypair::new(), 10 * SOL).await;
    let buyer_token = fx.ata(&p.b.pubkey(), &listed.mint, TOKEN).await;
    let mut watch = p.members();
    watch.extend([m.treasury, seller.pubkey(), market::listing(&m.address, &listed.mint), buyer_token]);
    let before = fx.snapshot(&watch).await;

    let honest = fx.buy_ix(&hub, &m, &p.b, &listed, true).await;
    // D's Member and D's referrer C in B's purchase.
    let d_trade = fx.trade_of(&hub, &p.d.pubkey()).await;
    let redirected = Trade { trader_wallet: p.b.pubkey(), ..d_trade };
    let mut attack =
        market::buy(&m.address, &buyer_token, &seller.pubkey(), &m.treasury, &listed.mint, &hub, &redirected);
    replace_account(&mut attack, &pda::member(&hub, &p.b.pubkey()).0, pda::member(&hub, &p.d.pubkey()).0);
    assert_custom_error(fx.send(&[attack], &[&p.b]).await, ReferralError::TraderMemberMismatch);
    // An empty account instead of B's Member, no referrer.
    let skipped = Trade { trader_wallet: p.b.pubkey(), referrer_wallet: None, upline: vec![] };
    let mut attack = market::buy(&m.address, &buyer_token, &seller.pubkey(), &m.treasury, &listed.mint, &hub, &skipped);
    replace_account(&mut attack, &pda::member(&hub, &p.b.pubkey()).0, Pubkey::new_unique());
    assert_custom_error(fx.send(&[attack], &[&p.b]).await, ReferralError::TraderMemberMismatch);
    // The plain-fee purchase (the compute report's baseline) does not exist in the deployed program.
    let b_trade = fx.trade_of(&hub, &p.b.pubkey()).await;
    let plain =
        market::buy_plain(&m.address, &buyer_token, &seller.pubkey(), &m.treasury, &listed.mint, &hub, &b_trade);
    assert_custom_error(fx.send(&[plain], &[&p.b]).await, Anchor::InstructionFallbackNotFound);
    assert_eq!(fx.snapshot(&watch).await, before, "refused purchases change nothing");

    fx.send(&[honest], &[&p.b]).await.expect("honest purchase");
    let share = 10 * SOL * 2 / 100 * 5 / 100;
    assert_eq!(fx.member(&hub, &p.a.pubkey()).await.claimable_lamports, share);
    assert_eq!(fx.member(&hub, &p.c.pubkey()).await.claimable_lamports, 0);
}

// `init_market` cannot be front-run: the market's address derives from its admin, so an
// attacker signing for the admin's market address fails the seeds check, and a market the attacker
// creates for itself has its own reporter PDA, which the hub does not list: its purchases cannot create
// points in the hub.
#[tokio::test]
async fn init_market_is_not_front_runnable() {
    let mut fx = Fixture::with_marketplace().await;
    let m = fx.new_market().await;
    let mut config = HubConfig::with_defaults(COLLECTION);
    config.reporters = vec![m.reporter];
    let hub = fx.hub_with(config).await;
    let attacker = fx.wallet().await;
    // The attack: create the admin's market first, pointing at the attacker's treasury.
    let mut attack = market::init_market(&attacker.pubkey(), &hub, &attacker.pubkey());
    replace_account(&mut attack, &market::market(&attacker.pubkey()), m.address);
    assert_custom_error(fx.send(&[attack], &[&attacker]).await, Anchor::ConstraintSeeds);
    assert!(fx.raw(&m.address).await.is_none(), "the admin's market does not exist yet");
    fx.init_market(&m, &hub).await;
    let stored: demo_marketplace::state::Market = fx.account(&m.address).await.expect("market");
    assert_eq!((stored.admin, stored.hub, stored.treasury), (m.admin.pubkey(), hub, m.treasury));

    // The attacker's own market for the same hub: its reporter is not listed.
    let own = fx.market_of(attacker).await;
    fx.init_market(&own, &hub).await;
    assert_ne!(own.reporter, m.reporter);
    let a = fx.member_under(&hub, None).await;
    let buyer = fx.member_under(&hub, Some(&a)).await;
    let seller = fx.wallet().await;
    let listed = fx.list_nft(&own, &seller, &TestKeypair::new(), SOL).await;
    let before = fx.snapshot(&[pda::member(&hub, &buyer.pubkey()).0]).await;
    assert_custom_error(fx.buy(&hub, &own, &buyer, &listed, true).await, ReferralError::UnauthorizedReporter);
    assert_eq!(fx.snapshot(&[pda::member(&hub, &buyer.pubkey()).0]).await, before);
}
