//! Hub administration: delayed configuration changes readable on-chain, two-step admin
//! transfer, separate pauses that never block exits.
use anchor_lang::error::ErrorCode as Anchor;
use anchor_lang::prelude::Pubkey;
use referral::constants::MIN_CONFIG_NOTICE_SECONDS;
use referral::errors::ReferralError;
use referral::logic::periods::{period_bounds, period_index};
use referral::state::{PAUSE_CLAIMS, PAUSE_ROUTING, PAUSE_SIGNUPS, PAUSE_STAKING};
use referral_client::ix::{self, Referral};
use referral_client::{pda, ConfigDelay, Hub, HubConfig, HubRules, PendingConfig, PeriodKind};
use referral_tests::{assert_custom_error, Fixture, TestKeypair, TestSigner};

async fn now(fx: &mut Fixture) -> i64 {
    let c: anchor_lang::prelude::Clock = fx.ctx.banks_client.get_sysvar().await.expect("clock");
    c.unix_timestamp
}

async fn hub_of(fx: &mut Fixture, delay: ConfigDelay) -> (Pubkey, TestKeypair) {
    let admin = fx.wallet().await;
    let mut c = HubConfig::with_defaults(Pubkey::default());
    c.config_delay = delay;
    let hub = fx.create_hub(&admin, 1, c).await.expect("hub");
    (hub, admin)
}

// a change is pending and readable on-chain until the start of the first period at least the
// compiled-in notice away (the default delay); before that nobody can apply it; after it anyone can.
#[tokio::test]
async fn config_change_waits_for_next_period() {
    let mut fx = Fixture::new().await;
    let (hub, admin) = hub_of(&mut fx, ConfigDelay::NextPeriod).await;
    let mut next = HubConfig::with_defaults(Pubkey::default());
    next.referrer_fee_bps = 1_000;
    fx.send(&[ix::propose_config(&admin.pubkey(), &admin.pubkey(), &hub, next.clone())], &[&admin])
        .await
        .expect("propose");
    let t = now(&mut fx).await;
    let boundary = HubRules::from_config(&HubConfig::with_defaults(Pubkey::default())).change_effective_at(t);
    let (start, _) = period_bounds(&PeriodKind::CalendarMonth, period_index(&PeriodKind::CalendarMonth, boundary));
    assert_eq!(start, boundary, "a period start");
    assert!(boundary >= t + i64::from(MIN_CONFIG_NOTICE_SECONDS), "at least the notice away");
    let pending: PendingConfig = fx.account(&pda::pending_config(&hub).0).await.expect("pending readable");
    assert_eq!((pending.config.clone(), pending.effective_at, pending.hub), (next.clone(), boundary, hub));

    let cranker = fx.wallet().await;
    let before = fx.snapshot(&[hub]).await;
    assert_custom_error(
        fx.send(&[ix::apply_config(&cranker.pubkey(), &hub, &admin.pubkey())], &[&cranker]).await,
        ReferralError::ConfigNotYetEffective,
    );
    assert_eq!(fx.snapshot(&[hub]).await, before);
    // A second proposal while one is pending is refused.
    assert_custom_error(
        fx.send(&[ix::propose_config(&admin.pubkey(), &admin.pubkey(), &hub, next.clone())], &[&admin]).await,
        ReferralError::ConfigChangePending,
    );
    fx.set_time(boundary).await;
    let admin_lamports = fx.lamports(&admin.pubkey()).await;
    let rent = fx.lamports(&pda::pending_config(&hub).0).await;
    fx.send(&[ix::apply_config(&cranker.pubkey(), &hub, &admin.pubkey())], &[&cranker]).await.expect("apply");
    let h: Hub = fx.account(&hub).await.expect("hub");
    assert_eq!(h.config(), next);
    assert!(fx.raw(&pda::pending_config(&hub).0).await.is_none());
    assert_eq!(fx.lamports(&admin.pubkey()).await, admin_lamports + rent, "rent back to the proposer");
}

// a delay in seconds; cancel; only the admin proposes or cancels; invalid configs are refused.
#[tokio::test]
async fn config_change_seconds_cancel_and_guards() {
    let mut fx = Fixture::new().await;
    let (hub, admin) = hub_of(&mut fx, ConfigDelay::Seconds(MIN_CONFIG_NOTICE_SECONDS + 3_600)).await;
    let mallory = fx.wallet().await;
    let mut next = HubConfig::with_defaults(Pubkey::default());
    next.depth = 3;
    assert_custom_error(
        fx.send(&[ix::propose_config(&mallory.pubkey(), &mallory.pubkey(), &hub, next.clone())], &[&mallory]).await,
        ReferralError::NotAdmin,
    );
    let mut bad = next.clone();
    bad.referrer_fee_bps = 9_000;
    assert_custom_error(
        fx.send(&[ix::propose_config(&admin.pubkey(), &admin.pubkey(), &hub, bad)], &[&admin]).await,
        ReferralError::ReferrerFeeAboveCap,
    );
    let t = now(&mut fx).await;
    fx.send(&[ix::propose_config(&admin.pubkey(), &admin.pubkey(), &hub, next.clone())], &[&admin])
        .await
        .expect("propose");
    let p: PendingConfig = fx.account(&pda::pending_config(&hub).0).await.expect("pending");
    let delay = i64::from(MIN_CONFIG_NOTICE_SECONDS) + 3_600;
    assert!(p.effective_at >= t + delay && p.effective_at <= t + delay + 100);
    assert_custom_error(
        fx.send(&[ix::cancel_config(&mallory.pubkey(), &hub, &admin.pubkey())], &[&mallory]).await,
        ReferralError::NotAdmin,
    );
    fx.send(&[ix::cancel_config(&admin.pubkey(), &hub, &admin.pubkey())], &[&admin]).await.expect("cancel");
    assert!(fx.raw(&pda::pending_config(&hub).0).await.is_none());
    let h: Hub = fx.account(&hub).await.expect("hub");
    assert_eq!(h.config().depth, 2, "cancelled: unchanged");
}

// admin transfer is two-step; only the proposed key can accept.
#[tokio::test]
async fn admin_transfer_two_step() {
    let mut fx = Fixture::new().await;
    let (hub, admin) = hub_of(&mut fx, ConfigDelay::NextPeriod).await;
    let next = fx.wallet().await;
    let mallory = fx.wallet().await;
    assert_custom_error(
        fx.send(&[ix::propose_admin(&mallory.pubkey(), &hub, &mallory.pubkey())], &[&mallory]).await,
        ReferralError::NotAdmin,
    );
    fx.send(&[ix::propose_admin(&admin.pubkey(), &hub, &next.pubkey())], &[&admin]).await.expect("propose");
    let h: Hub = fx.account(&hub).await.expect("hub");
    assert_eq!((h.admin, h.pending_admin), (admin.pubkey(), next.pubkey()), "nothing changes until accepted");
    assert_custom_error(
        fx.send(&[ix::accept_admin(&mallory.pubkey(), &hub)], &[&mallory]).await,
        ReferralError::NotPendingAdmin,
    );
    fx.send(&[ix::accept_admin(&next.pubkey(), &hub)], &[&next]).await.expect("accept");
    let h: Hub = fx.account(&hub).await.expect("hub");
    assert_eq!((h.admin, h.pending_admin), (next.pubkey(), Pubkey::default()));
    assert_custom_error(
        fx.send(&[ix::set_pause(&admin.pubkey(), &hub, PAUSE_SIGNUPS)], &[&admin]).await,
        ReferralError::NotAdmin,
    );
    // Missing signature of the admin.
    let mut ixp = ix::set_pause(&next.pubkey(), &hub, PAUSE_SIGNUPS);
    ixp.accounts[0].is_signer = false;
    assert_custom_error(fx.send(&[ixp], &[&mallory]).await, Anchor::AccountNotSigner);
}

// each part pauses separately; unknown bits are refused; exits stay open.
#[tokio::test]
async fn pauses_are_separate() {
    let mut fx = Fixture::new().await;
    let (hub, admin) = hub_of(&mut fx, ConfigDelay::NextPeriod).await;
    let m = fx.member_under(&hub, None).await;
    assert_custom_error(
        fx.send(&[ix::set_pause(&admin.pubkey(), &hub, 0x10)], &[&admin]).await,
        ReferralError::InvalidPauseBits,
    );
    fx.send(&[ix::set_pause(&admin.pubkey(), &hub, PAUSE_STAKING | PAUSE_ROUTING | PAUSE_CLAIMS)], &[&admin])
        .await
        .expect("pause");
    // Sign-ups are not paused: joining and making codes work.
    fx.member_under(&hub, Some(&m)).await;
    fx.send(&[ix::set_pause(&admin.pubkey(), &hub, PAUSE_SIGNUPS)], &[&admin]).await.expect("pause sign-ups");
    let w = fx.wallet().await;
    assert_custom_error(fx.join(&hub, &w, Referral::None).await, ReferralError::SignupsPaused);
    fx.send(&[ix::set_pause(&admin.pubkey(), &hub, 0)], &[&admin]).await.expect("resume");
    fx.join(&hub, &w, Referral::None).await.expect("join after resume");
}
