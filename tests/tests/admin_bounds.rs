//! Issue 8, point 3: admin power is bounded. Compiled-in caps and a minimum notice hold
//! whatever the hub's delay kind; a stake keeps the unlock time of the rules it was made under; no
//! configuration change traps a staked NFT or an earned fee.
use anchor_lang::prelude::Pubkey;
use referral::constants::{MAX_MIN_STAKE_SECONDS, MIN_CONFIG_NOTICE_SECONDS};
use referral::errors::ReferralError;
use referral::logic::periods::days_from_civil;
use referral_client::ix;
use referral_client::{pda, ConfigDelay, Hub, HubConfig, PendingConfig, StakeReceipt};
use referral_tests::tokens::NftSpec;
use referral_tests::{assert_custom_error, Fixture, TestKeypair, TestSigner};

const COLLECTION: Pubkey = Pubkey::new_from_array([41; 32]);
const OTHER_COLLECTION: Pubkey = Pubkey::new_from_array([42; 32]);
const DAY: i64 = 86_400;
const NOTICE: i64 = MIN_CONFIG_NOTICE_SECONDS as i64;

async fn propose(
    fx: &mut Fixture,
    admin: &TestKeypair,
    hub: &Pubkey,
    c: HubConfig,
) -> Result<(), referral_tests::Failed> {
    fx.send(&[ix::propose_config(&admin.pubkey(), &admin.pubkey(), hub, c)], &[admin]).await.map(|_| ())
}

async fn apply(fx: &mut Fixture, admin: &TestKeypair, hub: &Pubkey) -> Result<(), referral_tests::Failed> {
    fx.send(&[ix::apply_config(&admin.pubkey(), hub, &admin.pubkey())], &[admin]).await.map(|_| ())
}

// the century lock is refused: a minimum stake time above 30 days, at creation or in a
// proposal, is MinStakeTimeAboveCap; a delay in seconds shorter than the 7-day notice (Seconds(0) gave
// none) is ConfigDelayTooShort. Nothing is created.
#[tokio::test]
async fn caps_refuse_the_century_lock_and_the_instant_change() {
    let mut fx = Fixture::new().await;
    let admin = fx.wallet().await;
    let mut c = HubConfig::with_defaults(COLLECTION);
    c.min_stake_seconds = u32::MAX;
    assert_custom_error(fx.create_hub(&admin, 1, c).await, ReferralError::MinStakeTimeAboveCap);
    let mut c = HubConfig::with_defaults(COLLECTION);
    c.config_delay = ConfigDelay::Seconds(0);
    assert_custom_error(fx.create_hub(&admin, 1, c).await, ReferralError::ConfigDelayTooShort);
    assert!(fx.raw(&pda::hub(&admin.pubkey(), 1).0).await.is_none());

    let hub = fx.create_hub(&admin, 1, HubConfig::with_defaults(COLLECTION)).await.expect("hub");
    let before = fx.snapshot(&[hub, pda::pending_config(&hub).0]).await;
    let mut lock = HubConfig::with_defaults(COLLECTION);
    lock.min_stake_seconds = u32::MAX;
    assert_custom_error(propose(&mut fx, &admin, &hub, lock).await, ReferralError::MinStakeTimeAboveCap);
    let mut lock = HubConfig::with_defaults(COLLECTION);
    lock.min_stake_seconds = MAX_MIN_STAKE_SECONDS + 1;
    assert_custom_error(propose(&mut fx, &admin, &hub, lock).await, ReferralError::MinStakeTimeAboveCap);
    let mut instant = HubConfig::with_defaults(COLLECTION);
    instant.config_delay = ConfigDelay::Seconds(0);
    assert_custom_error(propose(&mut fx, &admin, &hub, instant).await, ReferralError::ConfigDelayTooShort);
    assert_eq!(fx.snapshot(&[hub, pda::pending_config(&hub).0]).await, before);
}

// the attack of the issue: a proposal in the last second of a month with the default "next period"
// delay. It gets the full notice: it applies at the first month start at least 7 days away (January 1st,
// not December 1st); nobody can apply it a second earlier.
#[tokio::test]
async fn last_second_proposal_gets_the_full_notice() {
    let mut fx = Fixture::new().await;
    let admin = fx.wallet().await;
    let hub = fx.create_hub(&admin, 1, HubConfig::with_defaults(COLLECTION)).await.expect("hub");
    let last_second = days_from_civil(2026, 12, 1) * DAY - 1;
    fx.set_time(last_second).await;
    let mut next = HubConfig::with_defaults(COLLECTION);
    next.referrer_fee_bps = 100;
    propose(&mut fx, &admin, &hub, next.clone()).await.expect("propose");
    let p: PendingConfig = fx.account(&pda::pending_config(&hub).0).await.expect("pending");
    let january = days_from_civil(2027, 1, 1) * DAY;
    assert_eq!(p.effective_at, january);
    assert!(p.effective_at - last_second >= NOTICE);
    for t in [last_second + 1, january - 1] {
        fx.set_time(t).await;
        assert_custom_error(apply(&mut fx, &admin, &hub).await, ReferralError::ConfigNotYetEffective);
    }
    fx.set_time(january).await;
    apply(&mut fx, &admin, &hub).await.expect("apply");
    let h: Hub = fx.account(&hub).await.expect("hub");
    assert_eq!(h.config(), next);
}

// a stake keeps the unlock time of the rules it was made under. Alice stakes under a
// 1-day minimum; the admin raises it to the 30-day cap and moves the hub to another collection; after the
// change applies Alice unstakes at once (her lock was 1 day). Bob stakes under the 30-day rule and is
// locked 30 days; when the admin lowers the minimum to 0 Bob profits at once (a change never lengthens a
// lock, and a shorter one helps). Fees earned before the changes stay claimable.
#[tokio::test]
async fn stakes_keep_their_unlock_time_and_fees_stay_claimable() {
    let mut fx = Fixture::new().await;
    let admin = fx.wallet().await;
    let reporter = fx.wallet().await;
    let mut c = HubConfig::with_defaults(COLLECTION);
    c.min_stake_seconds = DAY as u32;
    c.reporters = vec![reporter.pubkey()];
    c.config_delay = ConfigDelay::Seconds(MIN_CONFIG_NOTICE_SECONDS); // changes apply 7 days after proposal
    let hub = fx.create_hub(&admin, 1, c.clone()).await.expect("hub");
    let alice = fx.member_under(&hub, None).await;
    let bob = fx.member_under(&hub, None).await;
    let t0 = fx.clock().await.unix_timestamp;
    let (a_mint, a_token) = fx.nft(&alice.pubkey(), NftSpec::of(COLLECTION)).await;
    fx.send(&[ix::stake_nft(&alice.pubkey(), &alice.pubkey(), &hub, &a_mint, &a_token)], &[&alice])
        .await
        .expect("alice stakes");
    let receipt: StakeReceipt = fx.account(&pda::stake_receipt(&hub, &a_mint).0).await.expect("receipt");
    assert_eq!(receipt.unlock_at, receipt.staked_at + DAY);
    // Alice earns a fee share before any change.
    fx.next_slot().await;
    let trader = fx.member_under(&hub, Some(&alice)).await;
    let trade = fx.trade_of(&hub, &trader.pubkey()).await;
    let ixr = ix::route_fee(&reporter.pubkey(), &hub, &trader.pubkey(), &trade, 20_000_000_000, 0);
    fx.send(&[ixr], &[&reporter, &trader]).await.expect("route");
    assert_eq!(fx.member(&hub, &alice.pubkey()).await.claimable_lamports, 1_000_000_000);

    // The admin's worst allowed change: the 30-day lock, another collection, no fee share for anyone.
    let mut worse = c.clone();
    worse.min_stake_seconds = MAX_MIN_STAKE_SECONDS;
    worse.collection = OTHER_COLLECTION;
    worse.referrer_fee_bps = 0;
    worse.min_stake_to_earn = 50;
    propose(&mut fx, &admin, &hub, worse).await.expect("propose");
    let p: PendingConfig = fx.account(&pda::pending_config(&hub).0).await.expect("pending");
    fx.set_time(p.effective_at).await;
    apply(&mut fx, &admin, &hub).await.expect("apply");
    assert!(fx.clock().await.unix_timestamp < t0 + i64::from(MAX_MIN_STAKE_SECONDS));
    // Alice's NFT is not trapped: her lock was 1 day; her fee is not trapped either.
    let a_back = fx.ata(&alice.pubkey(), &a_mint, referral_tests::tokens::TOKEN).await;
    fx.send(&[ix::unstake_nft(&alice.pubkey(), &alice.pubkey(), &hub, &a_mint, &a_back)], &[&alice])
        .await
        .expect("alice unstakes");
    assert_eq!(fx.token_balance(&a_back).await, 1);
    fx.send(&[ix::claim_fees(&alice.pubkey(), &hub)], &[&alice]).await.expect("alice claims");

    // Bob stakes under the new rules: 30 days.
    let (b_mint, b_token) = fx.nft(&bob.pubkey(), NftSpec::of(OTHER_COLLECTION)).await;
    fx.send(&[ix::stake_nft(&bob.pubkey(), &bob.pubkey(), &hub, &b_mint, &b_token)], &[&bob]).await.expect("bob");
    let bob_receipt: StakeReceipt = fx.account(&pda::stake_receipt(&hub, &b_mint).0).await.expect("receipt");
    assert_eq!(bob_receipt.unlock_at, bob_receipt.staked_at + i64::from(MAX_MIN_STAKE_SECONDS));
    let b_back = fx.ata(&bob.pubkey(), &b_mint, referral_tests::tokens::TOKEN).await;
    let unstake_bob = ix::unstake_nft(&bob.pubkey(), &bob.pubkey(), &hub, &b_mint, &b_back);
    assert_custom_error(
        fx.send(std::slice::from_ref(&unstake_bob), &[&bob]).await,
        ReferralError::MinStakeTimeNotReached,
    );
    // The admin lowers the minimum to 0: after the notice Bob may leave although his receipt said 30 days.
    let h: Hub = fx.account(&hub).await.expect("hub");
    let mut better = h.config();
    better.min_stake_seconds = 0;
    propose(&mut fx, &admin, &hub, better).await.expect("propose");
    let p: PendingConfig = fx.account(&pda::pending_config(&hub).0).await.expect("pending");
    fx.set_time(p.effective_at).await;
    assert!(p.effective_at < bob_receipt.unlock_at, "before Bob's own unlock time");
    apply(&mut fx, &admin, &hub).await.expect("apply");
    fx.send(&[unstake_bob], &[&bob]).await.expect("bob unstakes under the shorter rule");
}
