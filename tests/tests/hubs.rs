//! Hubs: permissionless creation, many per deployment, whole configuration stored and validated.
use anchor_lang::prelude::Pubkey;
use referral::errors::ReferralError;
use referral_client::{pda, ConfigDelay, Hub, HubConfig, Milestone, PeriodKind, Tier};
use referral_tests::{assert_custom_error, Fixture, TestSigner};

fn collection() -> Pubkey {
    Pubkey::new_from_array([42; 32])
}

// anyone creates hubs; many live side by side (several creators, several ids per creator); the
// admin is the creator; nothing is pending or paused.
#[tokio::test]
async fn many_hubs_permissionless() {
    let mut fx = Fixture::new().await;
    let alice = fx.wallet().await;
    let bob = fx.wallet().await;
    let a1 = fx.create_hub(&alice, 1, HubConfig::with_defaults(collection())).await.expect("alice hub 1");
    let a2 = fx.create_hub(&alice, 2, HubConfig::with_defaults(Pubkey::default())).await.expect("alice hub 2");
    let b1 = fx.create_hub(&bob, 1, HubConfig::with_defaults(collection())).await.expect("bob hub 1");
    assert_ne!(a1, a2);
    assert_ne!(a1, b1);
    for (key, creator, id) in [(a1, alice.pubkey(), 1u64), (a2, alice.pubkey(), 2), (b1, bob.pubkey(), 1)] {
        let hub: Hub = fx.account(&key).await.expect("hub exists");
        assert_eq!(hub.creator, creator);
        assert_eq!(hub.hub_id, id);
        assert_eq!(hub.admin, creator);
        assert_eq!(hub.pending_admin, Pubkey::default());
        assert_eq!(hub.paused, 0);
        assert_eq!(hub.bump, pda::hub(&creator, id).1);
        let raw = fx.raw(&key).await.expect("raw hub");
        assert_eq!(raw.data.len(), Hub::SPACE);
        assert_eq!(raw.owner, referral::ID);
    }
}

// the whole configuration is stored as given, including what later issues use.
#[tokio::test]
async fn whole_config_stored() {
    let mut fx = Fixture::new().await;
    let creator = fx.wallet().await;
    let reporter = Pubkey::new_from_array([9; 32]);
    let config = HubConfig {
        referrer_fee_bps: 5_000,
        referee_multiplier_bps: 11_000,
        flat_level1_share_bps: 0,
        depth: 4,
        level_shares_bps: [700, 300, 100],
        invite_only: true,
        collection: collection(),
        min_stake_to_earn: 3,
        min_stake_seconds: 86_400,
        milestones: (1..=8u16)
            .map(|i| Milestone {
                count: i * 5,
                multiplier_bps: 10_000 + i * 1_000,
                share_bps: i * 500,
                step_multiplier_bps: 10,
                step_share_bps: 5,
            })
            .collect(),
        period: PeriodKind::Fixed { seconds: 7 * 86_400, origin: 1_767_225_600 },
        config_delay: ConfigDelay::Seconds(8 * 86_400),
        tiers: vec![
            Tier { threshold: 1, share_bps: 2_500 },
            Tier { threshold: 2, share_bps: 2_500 },
            Tier { threshold: 3, share_bps: 2_500 },
            Tier { threshold: u64::MAX, share_bps: 2_500 },
        ],
        registration_window_seconds: 7 * 86_400,
        claim_window_seconds: u32::MAX,
        reporters: vec![
            reporter,
            Pubkey::new_from_array([10; 32]),
            Pubkey::new_from_array([11; 32]),
            Pubkey::new_from_array([12; 32]),
        ],
    };
    let key = fx.create_hub(&creator, 7, config.clone()).await.expect("max config");
    let hub: Hub = fx.account(&key).await.expect("hub");
    assert_eq!(hub.config(), config);
}

// the spec's defaults (5% fee share, 1.05x referee, depth 2 at 5%, milestone table, tiers).
#[tokio::test]
async fn defaults_stored() {
    let mut fx = Fixture::new().await;
    let key = fx.hub_with(HubConfig::with_defaults(collection())).await;
    let hub: Hub = fx.account(&key).await.expect("hub");
    let c = hub.config();
    assert_eq!(c.referrer_fee_bps, 500);
    assert_eq!(c.referee_multiplier_bps, 10_500);
    assert_eq!(c.depth, 2);
    assert_eq!(c.level_shares_bps, [500, 0, 0]);
    assert!(!c.invite_only);
    assert_eq!(c.min_stake_to_earn, 1);
    assert_eq!(
        c.milestones[1],
        Milestone { count: 10, multiplier_bps: 12_500, share_bps: 1_500, step_multiplier_bps: 125, step_share_bps: 25 }
    );
    assert_eq!(c.period, PeriodKind::CalendarMonth);
    assert_eq!(c.config_delay, ConfigDelay::NextPeriod);
    assert_eq!(
        c.tiers.iter().map(|t| (t.threshold, t.share_bps)).collect::<Vec<_>>(),
        vec![(11_000, 5_000), (65_000, 3_000), (255_000, 2_000)]
    );
    assert_eq!(c.registration_window_seconds, 7 * 86_400);
}

// every impossible configuration is refused on-chain with its named error, and no hub is created.
#[tokio::test]
async fn invalid_configs_rejected_on_chain() {
    let mut fx = Fixture::new().await;
    let creator = fx.wallet().await;
    let base = HubConfig::with_defaults(collection());
    let mut cases: Vec<(HubConfig, ReferralError)> = Vec::new();
    let mut c = base.clone();
    c.referrer_fee_bps = 10_001;
    cases.push((c, ReferralError::BpsAboveOneHundredPercent));
    let mut c = base.clone();
    c.referrer_fee_bps = 5_001;
    cases.push((c, ReferralError::ReferrerFeeAboveCap));
    let mut c = base.clone();
    c.level_shares_bps[0] = 10_001;
    cases.push((c, ReferralError::BpsAboveOneHundredPercent));
    let mut c = base.clone();
    c.referee_multiplier_bps = 9_000;
    cases.push((c, ReferralError::MultiplierOutOfRange));
    let mut c = base.clone();
    c.depth = 5;
    cases.push((c, ReferralError::InvalidDepth));
    let mut c = base.clone();
    c.depth = 1;
    cases.push((c, ReferralError::LevelShareBeyondDepth));
    let mut c = base.clone();
    c.milestones.swap(1, 2);
    cases.push((c, ReferralError::MilestonesNotIncreasing));
    let mut c = base.clone();
    c.milestones = (1..=9).map(|i| Milestone { count: i, multiplier_bps: 10_000, ..Milestone::default() }).collect();
    cases.push((c, ReferralError::TooManyMilestones));
    let mut c = base.clone();
    c.milestones[0].share_bps = 10_001;
    cases.push((c, ReferralError::BpsAboveOneHundredPercent));
    let mut c = HubConfig::with_defaults(Pubkey::default());
    c.min_stake_to_earn = 1;
    cases.push((c, ReferralError::StakingWithoutCollection));
    let mut c = base.clone();
    c.tiers[2].threshold = 10;
    cases.push((c, ReferralError::TiersNotIncreasing));
    let mut c = base.clone();
    c.tiers[0].share_bps = 6_000;
    cases.push((c, ReferralError::TierSharesAboveOneHundredPercent));
    let mut c = base.clone();
    c.period = PeriodKind::Fixed { seconds: 60, origin: 0 };
    cases.push((c, ReferralError::PeriodTooShort));
    let mut c = base.clone();
    c.reporters = vec![Pubkey::new_from_array([1; 32]); 2];
    cases.push((c, ReferralError::InvalidReporter));
    let mut c = base.clone();
    c.reporters = (1..=5).map(|i| Pubkey::new_from_array([i; 32])).collect();
    cases.push((c, ReferralError::TooManyReporters));

    for (i, (config, expected)) in cases.into_iter().enumerate() {
        let id = 100 + i as u64;
        let key = pda::hub(&creator.pubkey(), id).0;
        let before = fx.lamports(&creator.pubkey()).await;
        assert_custom_error(fx.create_hub(&creator, id, config).await, expected);
        assert!(fx.raw(&key).await.is_none(), "case {i}: no hub may exist after a refused config");
        // Only the transaction fee (paid by the fixture payer, not the creator) is spent.
        assert_eq!(fx.lamports(&creator.pubkey()).await, before, "case {i}: creator's lamports unchanged");
    }
}
