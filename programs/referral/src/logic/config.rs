//! Hub configuration: defaults and validation. Every impossible configuration has a named error.
use anchor_lang::prelude::Pubkey;

use crate::constants::*;
use crate::errors::ReferralError;
use crate::logic::milestones;
use crate::logic::periods::{period_bounds, period_index, shortest_period_seconds};
use crate::state::{ConfigDelay, HubConfig, HubRules, PeriodKind, Tier};

/// Default ambassador tiers: Campaign Representative, Brand Ambassador, Global Ambassador
/// with 50% / 30% / 20% of a period's reward pool.
pub fn default_tiers() -> [Tier; 3] {
    [
        Tier { threshold: 11_000, share_bps: 5_000 },
        Tier { threshold: 65_000, share_bps: 3_000 },
        Tier { threshold: 255_000, share_bps: 2_000 },
    ]
}

impl HubConfig {
    /// The spec's defaults. With a collection: the default milestone schedule and `min_stake_to_earn` 1
    /// (Tensor). Without one (`Pubkey::default()`): no milestones, flat level-1 share, every referrer earns.
    pub fn with_defaults(collection: Pubkey) -> HubConfig {
        let staking = collection != Pubkey::default();
        HubConfig {
            referrer_fee_bps: DEFAULT_REFERRER_FEE_BPS,
            referee_multiplier_bps: DEFAULT_REFEREE_MULTIPLIER_BPS,
            flat_level1_share_bps: DEFAULT_FLAT_LEVEL1_SHARE_BPS,
            depth: DEFAULT_DEPTH,
            level_shares_bps: [DEFAULT_LEVEL2_SHARE_BPS, 0, 0],
            invite_only: false,
            collection,
            min_stake_to_earn: u16::from(staking),
            min_stake_seconds: 0,
            milestones: if staking { milestones::default_schedule().to_vec() } else { Vec::new() },
            period: PeriodKind::CalendarMonth,
            config_delay: ConfigDelay::NextPeriod,
            tiers: default_tiers().to_vec(),
            registration_window_seconds: DEFAULT_REGISTRATION_WINDOW_SECONDS,
            claim_window_seconds: 0,
            reporters: Vec::new(),
        }
    }

    /// Checks every rule of and the related sections; returns the first violation found.
    pub fn validate(&self) -> Result<(), ReferralError> {
        let bps = [self.referrer_fee_bps, self.flat_level1_share_bps];
        if bps.iter().chain(self.level_shares_bps.iter()).any(|&b| b > BPS_DENOMINATOR) {
            return Err(ReferralError::BpsAboveOneHundredPercent);
        }
        if self.referrer_fee_bps > MAX_REFERRER_FEE_BPS {
            return Err(ReferralError::ReferrerFeeAboveCap);
        }
        if !(BPS_DENOMINATOR..=MAX_MULTIPLIER_BPS).contains(&self.referee_multiplier_bps) {
            return Err(ReferralError::MultiplierOutOfRange);
        }
        if self.depth == 0 || self.depth > MAX_DEPTH {
            return Err(ReferralError::InvalidDepth);
        }
        // level_shares_bps[i] is level i + 2; it must be 0 when i + 2 > depth.
        let credited_extra_levels = usize::from(self.depth.saturating_sub(1));
        if self.level_shares_bps.iter().skip(credited_extra_levels).any(|&b| b != 0) {
            return Err(ReferralError::LevelShareBeyondDepth);
        }
        milestones::validate(&self.milestones)?;
        let staking = self.collection != Pubkey::default();
        if !staking && (!self.milestones.is_empty() || self.min_stake_to_earn > 0 || self.min_stake_seconds > 0) {
            return Err(ReferralError::StakingWithoutCollection);
        }
        if self.min_stake_seconds > MAX_MIN_STAKE_SECONDS {
            return Err(ReferralError::MinStakeTimeAboveCap);
        }
        if let ConfigDelay::Seconds(s) = self.config_delay {
            if s < MIN_CONFIG_NOTICE_SECONDS {
                return Err(ReferralError::ConfigDelayTooShort);
            }
        }
        self.validate_tiers()?;
        if let PeriodKind::Fixed { seconds, origin } = self.period {
            if seconds < MIN_PERIOD_SECONDS {
                return Err(ReferralError::PeriodTooShort);
            }
            if origin < 0 {
                return Err(ReferralError::PeriodOriginNegative);
            }
        }
        // D-27: the registration window closes before the period after next starts.
        let registration = self.registration_window_seconds;
        if registration < MIN_REGISTRATION_WINDOW_SECONDS || registration > shortest_period_seconds(&self.period) {
            return Err(ReferralError::RegistrationWindowOutOfRange);
        }
        if self.claim_window_seconds != 0 && self.claim_window_seconds < MIN_CLAIM_WINDOW_SECONDS {
            return Err(ReferralError::ClaimWindowTooShort);
        }
        self.validate_reporters()
    }

    fn validate_tiers(&self) -> Result<(), ReferralError> {
        if self.tiers.len() > usize::from(MAX_TIERS) {
            return Err(ReferralError::TooManyTiers);
        }
        let mut prev = 0u64;
        let mut share_sum = 0u32;
        for t in &self.tiers {
            if t.share_bps > BPS_DENOMINATOR {
                return Err(ReferralError::BpsAboveOneHundredPercent);
            }
            if t.threshold <= prev {
                return Err(ReferralError::TiersNotIncreasing);
            }
            prev = t.threshold;
            share_sum = share_sum.saturating_add(u32::from(t.share_bps));
        }
        if share_sum > u32::from(BPS_DENOMINATOR) {
            return Err(ReferralError::TierSharesAboveOneHundredPercent);
        }
        Ok(())
    }

    fn validate_reporters(&self) -> Result<(), ReferralError> {
        if self.reporters.len() > usize::from(MAX_REPORTERS) {
            return Err(ReferralError::TooManyReporters);
        }
        for (i, r) in self.reporters.iter().enumerate() {
            if *r == Pubkey::default() || self.reporters.iter().take(i).any(|q| q == r) {
                return Err(ReferralError::InvalidReporter);
            }
        }
        Ok(())
    }
}

impl HubRules {
    /// When a change proposed at `now` under these (current) rules may apply: after the delay in
    /// seconds, or at the start of a ranking period (the default), and never before the compiled-in notice
    /// [`MIN_CONFIG_NOTICE_SECONDS`] has passed, whatever the delay kind. With the default delay that is
    /// the first period start at least the notice away.
    pub fn change_effective_at(&self, now: i64) -> i64 {
        let earliest = now.saturating_add(i64::from(MIN_CONFIG_NOTICE_SECONDS));
        match self.config_delay() {
            ConfigDelay::Seconds(s) => now.saturating_add(i64::from(s)).max(earliest),
            ConfigDelay::NextPeriod => {
                let period = self.period();
                let (start, end) = period_bounds(&period, period_index(&period, earliest));
                if start >= earliest {
                    start
                } else {
                    end
                }
            }
        }
    }
}

#[cfg(test)]
#[allow(clippy::arithmetic_side_effects)] // test arithmetic on known small values, not an input path
mod tests {
    use super::*;

    fn collection() -> Pubkey {
        Pubkey::new_from_array([7; 32])
    }

    fn err(c: &HubConfig) -> String {
        match c.validate() {
            Ok(()) => "ok".into(),
            Err(e) => format!("{e:?}"),
        }
    }

    // defaults are valid, with and without a collection; the fee share defaults to 5%.
    #[test]
    fn defaults_are_valid() {
        let c = HubConfig::with_defaults(collection());
        assert_eq!(err(&c), "ok");
        assert_eq!(c.referrer_fee_bps, 500);
        assert_eq!(c.min_stake_to_earn, 1);
        assert_eq!(c.milestones.len(), 3);
        let flat = HubConfig::with_defaults(Pubkey::default());
        assert_eq!(err(&flat), "ok");
        assert_eq!(flat.min_stake_to_earn, 0);
        assert!(flat.milestones.is_empty());
    }

    // every bps above 10,000 and the 5,000 cap.
    #[test]
    fn bps_bounds() {
        let base = HubConfig::with_defaults(collection());
        let mut c = base.clone();
        c.referrer_fee_bps = 5_000;
        assert_eq!(err(&c), "ok");
        c.referrer_fee_bps = 5_001;
        assert_eq!(err(&c), "ReferrerFeeAboveCap");
        c.referrer_fee_bps = 10_001;
        assert_eq!(err(&c), "BpsAboveOneHundredPercent");
        let mut c = base.clone();
        c.flat_level1_share_bps = 10_001;
        assert_eq!(err(&c), "BpsAboveOneHundredPercent");
        let mut c = base.clone();
        c.level_shares_bps[0] = 10_001;
        assert_eq!(err(&c), "BpsAboveOneHundredPercent");
        let mut c = base.clone();
        c.referee_multiplier_bps = 9_999;
        assert_eq!(err(&c), "MultiplierOutOfRange");
        c.referee_multiplier_bps = 50_001;
        assert_eq!(err(&c), "MultiplierOutOfRange");
        c.referee_multiplier_bps = 10_000;
        assert_eq!(err(&c), "ok");
    }

    // depth 1..=4 and no share beyond it.
    #[test]
    fn depth_rules() {
        let mut c = HubConfig::with_defaults(collection());
        c.depth = 0;
        assert_eq!(err(&c), "InvalidDepth");
        c.depth = 5;
        assert_eq!(err(&c), "InvalidDepth");
        c.depth = 1;
        assert_eq!(err(&c), "LevelShareBeyondDepth"); // default level-2 share of 500
        c.level_shares_bps = [0, 0, 0];
        assert_eq!(err(&c), "ok");
        c.depth = 4;
        c.level_shares_bps = [500, 300, 100];
        assert_eq!(err(&c), "ok");
        c.depth = 3;
        assert_eq!(err(&c), "LevelShareBeyondDepth");
    }

    // a bad schedule, or staking settings without a collection.
    #[test]
    fn schedule_and_collection() {
        let mut c = HubConfig::with_defaults(collection());
        c.milestones.swap(0, 1);
        assert_eq!(err(&c), "MilestonesNotIncreasing");
        let mut c = HubConfig::with_defaults(Pubkey::default());
        c.milestones = milestones::default_schedule().to_vec();
        assert_eq!(err(&c), "StakingWithoutCollection");
        let mut c = HubConfig::with_defaults(Pubkey::default());
        c.min_stake_to_earn = 1;
        assert_eq!(err(&c), "StakingWithoutCollection");
        let mut c = HubConfig::with_defaults(Pubkey::default());
        c.min_stake_seconds = 60;
        assert_eq!(err(&c), "StakingWithoutCollection");
    }

    // tiers strictly increasing, <= 4, shares <= 100% in total.
    #[test]
    fn tiers() {
        let base = HubConfig::with_defaults(collection());
        let mut c = base.clone();
        c.tiers.push(Tier { threshold: 1_000_000, share_bps: 0 });
        assert_eq!(err(&c), "ok");
        c.tiers.push(Tier { threshold: 2_000_000, share_bps: 0 });
        assert_eq!(err(&c), "TooManyTiers");
        let mut c = base.clone();
        c.tiers[1].threshold = 11_000;
        assert_eq!(err(&c), "TiersNotIncreasing");
        let mut c = base.clone();
        c.tiers[0].threshold = 0;
        assert_eq!(err(&c), "TiersNotIncreasing");
        let mut c = base.clone();
        c.tiers[2].share_bps = 2_001;
        assert_eq!(err(&c), "TierSharesAboveOneHundredPercent");
        c.tiers[2].share_bps = 10_001;
        assert_eq!(err(&c), "BpsAboveOneHundredPercent");
        let mut c = base;
        c.tiers.clear();
        assert_eq!(err(&c), "ok");
    }

    // fixed periods at least an hour, from a non-negative origin.
    #[test]
    fn periods() {
        let mut c = HubConfig::with_defaults(collection());
        c.period = PeriodKind::Fixed { seconds: 3_599, origin: 0 };
        assert_eq!(err(&c), "PeriodTooShort");
        c.period = PeriodKind::Fixed { seconds: 3_600, origin: -1 };
        assert_eq!(err(&c), "PeriodOriginNegative");
        c.period = PeriodKind::Fixed { seconds: 7 * 86_400, origin: 1_700_000_000 };
        assert_eq!(err(&c), "ok");
    }

    // D-27: the registration window is at least an hour and at most the shortest period (so a
    // member's final figures cannot roll away before they can be registered); an explicit claim window is
    // at least a day, 0 = one period.
    #[test]
    fn reward_windows() {
        let mut c = HubConfig::with_defaults(collection());
        assert_eq!(c.registration_window_seconds, 7 * 86_400);
        for (window, verdict) in [
            (MIN_REGISTRATION_WINDOW_SECONDS - 1, "RegistrationWindowOutOfRange"),
            (MIN_REGISTRATION_WINDOW_SECONDS, "ok"),
            (28 * 86_400, "ok"),
            (28 * 86_400 + 1, "RegistrationWindowOutOfRange"),
            (0, "RegistrationWindowOutOfRange"),
        ] {
            c.registration_window_seconds = window;
            assert_eq!(err(&c), verdict, "calendar months, window {window}");
        }
        c.period = PeriodKind::Fixed { seconds: 86_400, origin: 0 };
        c.registration_window_seconds = 86_400;
        assert_eq!(err(&c), "ok");
        c.registration_window_seconds = 86_401;
        assert_eq!(err(&c), "RegistrationWindowOutOfRange");
        let mut c = HubConfig::with_defaults(collection());
        for (window, verdict) in [
            (0, "ok"),
            (1, "ClaimWindowTooShort"),
            (MIN_CLAIM_WINDOW_SECONDS - 1, "ClaimWindowTooShort"),
            (MIN_CLAIM_WINDOW_SECONDS, "ok"),
            (u32::MAX, "ok"),
        ] {
            c.claim_window_seconds = window;
            assert_eq!(err(&c), verdict, "claim window {window}");
        }
    }

    // compiled-in bounds: the minimum stake time is capped at 30 days; a delay in seconds gives at
    // least 7 days of notice.
    #[test]
    fn admin_bounds() {
        let mut c = HubConfig::with_defaults(collection());
        c.min_stake_seconds = MAX_MIN_STAKE_SECONDS;
        assert_eq!(err(&c), "ok");
        c.min_stake_seconds = MAX_MIN_STAKE_SECONDS + 1;
        assert_eq!(err(&c), "MinStakeTimeAboveCap");
        c.min_stake_seconds = u32::MAX;
        assert_eq!(err(&c), "MinStakeTimeAboveCap");
        let mut c = HubConfig::with_defaults(collection());
        c.config_delay = ConfigDelay::Seconds(0);
        assert_eq!(err(&c), "ConfigDelayTooShort");
        c.config_delay = ConfigDelay::Seconds(MIN_CONFIG_NOTICE_SECONDS - 1);
        assert_eq!(err(&c), "ConfigDelayTooShort");
        c.config_delay = ConfigDelay::Seconds(MIN_CONFIG_NOTICE_SECONDS);
        assert_eq!(err(&c), "ok");
        c.config_delay = ConfigDelay::Seconds(u32::MAX);
        assert_eq!(err(&c), "ok");
    }

    // when a change applies. Seconds: now + delay (>= the notice). Next period: the first period
    // start at least 7 days away, so a proposal in the last second of a month waits for the month after.
    #[test]
    fn change_effective_at() {
        use crate::logic::periods::days_from_civil;
        let day = 86_400i64;
        let ts = |y, m, d, s| days_from_civil(y, m, d) * day + s;
        let notice = i64::from(MIN_CONFIG_NOTICE_SECONDS);
        let mut c = HubConfig::with_defaults(collection());
        // A delay of 0 seconds is not storable (validate) and reads back as "next period"; the rule
        // still gives the notice to any delay it is handed.
        let at = |c: &HubConfig, now: i64| HubRules::from_config(c).change_effective_at(now);
        // Default delay, calendar months.
        assert_eq!(at(&c, ts(2026, 11, 1, 0)), ts(2026, 12, 1, 0));
        assert_eq!(at(&c, ts(2026, 11, 24, 0)), ts(2026, 12, 1, 0)); // exactly 7 days
        assert_eq!(at(&c, ts(2026, 11, 24, 1)), ts(2027, 1, 1, 0)); // 1 s short of 7 days
        assert_eq!(at(&c, ts(2026, 11, 30, 86_399)), ts(2027, 1, 1, 0)); // last second
        assert_eq!(at(&c, ts(2024, 2, 22, 0)), ts(2024, 3, 1, 0)); // leap February: 8 days
        assert_eq!(at(&c, ts(2026, 12, 31, 0)), ts(2027, 2, 1, 0)); // across a year end
                                                                    // Default delay, fixed periods of one hour: the first boundary at least the notice away.
        c.period = PeriodKind::Fixed { seconds: 3_600, origin: 0 };
        assert_eq!(at(&c, 1_000_000 * 3_600), 1_000_000 * 3_600 + notice);
        assert_eq!(at(&c, 1_000_000 * 3_600 + 1), 1_000_000 * 3_600 + notice + 3_600);
        // A schedule that starts in the future: its origin, when far enough away.
        c.period = PeriodKind::Fixed { seconds: 3_600, origin: 2_000_000_000 };
        assert_eq!(at(&c, 1_000_000_000), 2_000_000_000);
        // Seconds: the delay when at least the notice (validated), never less than the notice.
        c.config_delay = ConfigDelay::Seconds(MIN_CONFIG_NOTICE_SECONDS + 10);
        assert_eq!(at(&c, 5), 5 + notice + 10);
        c.config_delay = ConfigDelay::Seconds(1); // not storable (validate), and still gives the notice
        assert_eq!(at(&c, 5), 5 + notice);
        c.config_delay = ConfigDelay::Seconds(u32::MAX);
        assert_eq!(at(&c, i64::MAX - 1), i64::MAX);
    }

    // the hub stores a configuration as fixed-size rules and reads it back unchanged, for the
    // defaults and for configurations that fill every array.
    #[test]
    fn rules_round_trip() {
        let k = |b: u8| Pubkey::new_from_array([b; 32]);
        let mut full = HubConfig::with_defaults(collection());
        full.milestones = (1..=8u16)
            .map(|i| crate::state::Milestone {
                count: i * 5,
                multiplier_bps: 10_000 + i * 1_000,
                share_bps: i * 500,
                step_multiplier_bps: 10,
                step_share_bps: 5,
            })
            .collect();
        full.tiers = vec![
            Tier { threshold: 1, share_bps: 2_500 },
            Tier { threshold: 2, share_bps: 2_500 },
            Tier { threshold: 3, share_bps: 2_500 },
            Tier { threshold: u64::MAX, share_bps: 2_500 },
        ];
        full.reporters = vec![k(1), k(2), k(3), k(4)];
        full.period = PeriodKind::Fixed { seconds: 7 * 86_400, origin: 1_767_225_600 };
        full.config_delay = ConfigDelay::Seconds(u32::MAX);
        full.invite_only = true;
        full.depth = 4;
        full.level_shares_bps = [500, 300, 100];
        let mut empty = HubConfig::with_defaults(Pubkey::default());
        empty.tiers.clear();
        for c in [HubConfig::with_defaults(collection()), HubConfig::with_defaults(Pubkey::default()), full, empty] {
            assert_eq!(err(&c), "ok");
            let rules = HubRules::from_config(&c);
            assert_eq!(rules.to_config(), c);
            assert_eq!(rules.milestones(), &c.milestones[..]);
            assert_eq!(rules.reporters(), &c.reporters[..]);
        }
    }

    // at most 4 distinct, non-default reporters.
    #[test]
    fn reporters() {
        let mut c = HubConfig::with_defaults(collection());
        let k = |b: u8| Pubkey::new_from_array([b; 32]);
        c.reporters = vec![k(1), k(2), k(3), k(4)];
        assert_eq!(err(&c), "ok");
        c.reporters.push(k(5));
        assert_eq!(err(&c), "TooManyReporters");
        c.reporters = vec![k(1), k(1)];
        assert_eq!(err(&c), "InvalidReporter");
        c.reporters = vec![Pubkey::default()];
        assert_eq!(err(&c), "InvalidReporter");
    }
}
