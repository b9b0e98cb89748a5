//! Points: own points from the trader's multiplier, referral points for each upline level
//! from the trader's BASE points. All floor divisions, u128 intermediates, saturating at u64::MAX (a
//! member cannot overflow its counters; it stops growing at 1.8e19 points).
use crate::constants::BPS_DENOMINATOR;
use crate::logic::milestones::{self, Benefits};
use crate::state::HubRules;

/// `floor(base * bps / 10_000)`, saturating. In u64 when the product fits (every realistic input: SBF
/// divides u64 natively, u128 in software), else in u128.
pub fn apply_bps(base: u64, bps: u16) -> u64 {
    if let Some(product) = base.checked_mul(u64::from(bps)) {
        return product.checked_div(u64::from(BPS_DENOMINATOR)).unwrap_or(0);
    }
    let v = u128::from(base).saturating_mul(u128::from(bps)).checked_div(u128::from(BPS_DENOMINATOR)).unwrap_or(0);
    u64::try_from(v).unwrap_or(u64::MAX)
}

/// The trader's own multiplier: its staking multiplier when it has at least one NFT staked and
/// the schedule gives it one; otherwise the referee multiplier (default 1.05x) when it has a referrer;
/// otherwise 1.00x. The referee bonus never stacks with the staking multiplier.
pub fn own_multiplier_bps(config: &HubRules, staked: u16, has_referrer: bool) -> u16 {
    let staking = milestones::benefits(config.milestones(), staked);
    if staked >= 1 && staking != Benefits::NONE {
        staking.multiplier_bps
    } else if has_referrer {
        config.referee_multiplier_bps
    } else {
        BPS_DENOMINATOR
    }
}

/// Share of a referee's base points earned by its level-`level` upline (1 = the referrer):
/// level 1 earns its milestone share on a hub with a collection, the flat level-1 share otherwise;
/// levels 2..=depth earn the hub's per-level share; deeper levels earn nothing.
pub fn level_share_bps(config: &HubRules, level: u8, referrer_staked: u16, has_collection: bool) -> u16 {
    if level == 0 || level > config.depth {
        return 0;
    }
    if level == 1 {
        return if has_collection {
            milestones::benefits(config.milestones(), referrer_staked).share_bps
        } else {
            config.flat_level1_share_bps
        };
    }
    let idx = usize::from(level.saturating_sub(2));
    config.level_shares_bps.get(idx).copied().unwrap_or(0)
}

#[cfg(test)]
#[allow(clippy::arithmetic_side_effects)] // test arithmetic on known small values, not an input path
mod tests {
    use super::*;
    use crate::state::HubConfig;
    use anchor_lang::prelude::Pubkey;

    fn hub() -> HubRules {
        HubRules::from_config(&HubConfig::with_defaults(Pubkey::new_from_array([1; 32])))
    }

    // golden example: A (10 NFTs) earns 2,000 base -> 2,500 own; B (referred, 0 NFTs) earns 5,000
    // base -> 5,250 own; A gets 15% of B's base = 750 referral points.
    #[test]
    fn golden_example() {
        let c = hub();
        assert_eq!(apply_bps(2_000, own_multiplier_bps(&c, 10, false)), 2_500);
        assert_eq!(apply_bps(5_000, own_multiplier_bps(&c, 0, true)), 5_250);
        assert_eq!(apply_bps(5_000, level_share_bps(&c, 1, 10, true)), 750);
    }

    // multiplier precedence: staking beats the referee bonus; neither gives 1.00x.
    #[test]
    fn own_multiplier_precedence() {
        let c = hub();
        assert_eq!(own_multiplier_bps(&c, 0, false), 10_000);
        assert_eq!(own_multiplier_bps(&c, 0, true), 10_500);
        assert_eq!(own_multiplier_bps(&c, 1, true), 11_000); // not 11,000 * 1.05
        assert_eq!(own_multiplier_bps(&c, 5, false), 12_000);
        assert_eq!(own_multiplier_bps(&c, 60, true), 15_000);
        let flat = HubRules::from_config(&HubConfig::with_defaults(Pubkey::default()));
        assert_eq!(own_multiplier_bps(&flat, 3, true), 10_500); // no schedule: staking gives nothing
    }

    // level shares: milestone share at level 1, per-level shares below, nothing past depth.
    #[test]
    fn level_shares() {
        let mut c = hub();
        assert_eq!(level_share_bps(&c, 1, 0, true), 0); // an unstaked referrer earns no milestone share
        assert_eq!(level_share_bps(&c, 1, 15, true), 1_625);
        assert_eq!(level_share_bps(&c, 2, 0, true), 500);
        assert_eq!(level_share_bps(&c, 3, 0, true), 0); // default depth 2
        assert_eq!(level_share_bps(&c, 0, 0, true), 0);
        c.depth = 4;
        c.level_shares_bps = [500, 300, 100];
        assert_eq!(level_share_bps(&c, 3, 0, true), 300);
        assert_eq!(level_share_bps(&c, 4, 0, true), 100);
        assert_eq!(level_share_bps(&c, 5, 0, true), 0);
        let flat = HubRules::from_config(&HubConfig::with_defaults(Pubkey::default()));
        assert_eq!(level_share_bps(&flat, 1, 0, false), 1_000);
    }

    // floors and saturation.
    #[test]
    fn apply_bps_edges() {
        assert_eq!(apply_bps(0, 15_000), 0);
        assert_eq!(apply_bps(1, 10_500), 1); // 1.05 rounds down
        assert_eq!(apply_bps(19, 10_500), 19); // 19.95 rounds down
        assert_eq!(apply_bps(20, 10_500), 21);
        assert_eq!(apply_bps(u64::MAX, 10_000), u64::MAX);
        assert_eq!(apply_bps(u64::MAX, 50_000), u64::MAX); // saturates instead of overflowing
        assert_eq!(apply_bps(u64::MAX, 0), 0);
    }
}
