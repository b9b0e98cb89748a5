//! NFT milestone schedule: staked count -> (own multiplier bps, share of referee points bps).
//!
//! Within a segment the value is `base + (n - count) * step`, capped at the next milestone's base; past the
//! last milestone it keeps growing by that milestone's step (0 in the default schedule, so benefits are
//! capped at 50 staked). All maths in u64, so no input can overflow, and results fit back in u16 because
//! the cap is a u16 milestone value or, for the last segment, saturates at `u16::MAX`.
use crate::constants::{BPS_DENOMINATOR, MAX_MILESTONES, MAX_MULTIPLIER_BPS};
use crate::errors::ReferralError;
use crate::state::Milestone;

/// What a milestone gives a member with `n` NFTs staked.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Benefits {
    /// Own points multiplier, bps over 10,000; 0 means "no staking benefits" (n below the first milestone).
    pub multiplier_bps: u16,
    /// Share of each referee's base points, bps.
    pub share_bps: u16,
}

impl Benefits {
    /// No staking benefits.
    pub const NONE: Benefits = Benefits { multiplier_bps: 0, share_bps: 0 };
}

/// The default schedule of SPEC: 1 NFT 1.10x / 10% (+0.025x, +0.5% each), 10 NFTs 1.25x / 15%
/// (+0.0125x, +0.25% each), 50 NFTs 1.50x / 25% (capped).
pub fn default_schedule() -> [Milestone; 3] {
    [
        Milestone { count: 1, multiplier_bps: 11_000, share_bps: 1_000, step_multiplier_bps: 250, step_share_bps: 50 },
        Milestone { count: 10, multiplier_bps: 12_500, share_bps: 1_500, step_multiplier_bps: 125, step_share_bps: 25 },
        Milestone { count: 50, multiplier_bps: 15_000, share_bps: 2_500, step_multiplier_bps: 0, step_share_bps: 0 },
    ]
}

/// Benefits for `n` NFTs staked under `schedule` (validated by [`validate`]).
pub fn benefits(schedule: &[Milestone], n: u16) -> Benefits {
    // Last milestone reached: counts are strictly increasing, so scan from the top.
    let Some(i) = schedule.iter().rposition(|m| m.count <= n) else {
        return Benefits::NONE;
    };
    let Some(m) = schedule.get(i) else { return Benefits::NONE };
    let next = i.checked_add(1).and_then(|j| schedule.get(j));
    let extra = u64::from(n.saturating_sub(m.count));
    let grow = |base: u16, step: u16, cap: Option<u16>| -> u16 {
        let v = u64::from(base).saturating_add(extra.saturating_mul(u64::from(step)));
        let v = match cap {
            Some(c) => v.min(u64::from(c)),
            None => v,
        };
        u16::try_from(v).unwrap_or(u16::MAX)
    };
    Benefits {
        multiplier_bps: grow(m.multiplier_bps, m.step_multiplier_bps, next.map(|x| x.multiplier_bps))
            .min(MAX_MULTIPLIER_BPS),
        share_bps: grow(m.share_bps, m.step_share_bps, next.map(|x| x.share_bps)).min(BPS_DENOMINATOR),
    }
}

/// NFTs that count in `slot` for a member with `staked` NFTs, `fresh` of which were staked in
/// `last_stake_slot` (R-3.4, R-3.5, docs/DECISIONS.md D-36): a stake counts from the slot after it was
/// made, so an NFT borrowed for one transaction (stake, trade, unstake) never earns a fee share or a
/// milestone.
pub fn counted_stakes(staked: u16, fresh: u16, last_stake_slot: u64, slot: u64) -> u16 {
    if slot == last_stake_slot {
        staked.saturating_sub(fresh)
    } else {
        staked
    }
}

/// Checks a schedule: at most 8 entries; counts strictly increasing from >= 1; multipliers
/// in 1.00x..=5.00x; shares <= 100%; base values never decreasing from one milestone to the next (so
/// "never above the next milestone's base" never pulls a value below its own base).
pub fn validate(schedule: &[Milestone]) -> Result<(), ReferralError> {
    if schedule.len() > usize::from(MAX_MILESTONES) {
        return Err(ReferralError::TooManyMilestones);
    }
    let mut prev: Option<&Milestone> = None;
    for m in schedule {
        if m.share_bps > BPS_DENOMINATOR || m.step_share_bps > BPS_DENOMINATOR {
            return Err(ReferralError::BpsAboveOneHundredPercent);
        }
        if m.multiplier_bps < BPS_DENOMINATOR
            || m.multiplier_bps > MAX_MULTIPLIER_BPS
            || m.step_multiplier_bps > MAX_MULTIPLIER_BPS
        {
            return Err(ReferralError::MultiplierOutOfRange);
        }
        match prev {
            None if m.count == 0 => return Err(ReferralError::MilestonesNotIncreasing),
            Some(p) if m.count <= p.count => return Err(ReferralError::MilestonesNotIncreasing),
            Some(p) if m.multiplier_bps < p.multiplier_bps || m.share_bps < p.share_bps => {
                return Err(ReferralError::MilestoneValuesDecrease)
            }
            _ => {}
        }
        prev = Some(m);
    }
    Ok(())
}

#[cfg(test)]
#[allow(clippy::arithmetic_side_effects)] // test arithmetic on known small values, not an input path
mod tests {
    use super::*;

    fn at(n: u16) -> (u16, u16) {
        let b = benefits(&default_schedule(), n);
        (b.multiplier_bps, b.share_bps)
    }

    // the four examples of the spec.
    #[test]
    fn spec_examples() {
        assert_eq!(at(5), (12_000, 1_200)); // 1.20x, 12%
        assert_eq!(at(15), (13_125, 1_625)); // 1.3125x, 16.25%
        assert_eq!(at(9), (12_500, 1_400)); // 1.25x (capped), 14%
        assert_eq!(at(60), (15_000, 2_500)); // 1.50x, 25%
    }

    // edge cases.
    #[test]
    fn edges() {
        assert_eq!(at(0), (0, 0));
        assert_eq!(at(1), (11_000, 1_000));
        assert_eq!(at(2), (11_250, 1_050));
        assert_eq!(at(10), (12_500, 1_500));
        assert_eq!(at(49), (15_000, 2_475)); // 12,500 + 39 * 125 = 17,375 capped at 15,000
        assert_eq!(at(50), (15_000, 2_500));
        assert_eq!(at(51), (15_000, 2_500));
        assert_eq!(at(u16::MAX), (15_000, 2_500));
        assert_eq!(benefits(&[], 7), Benefits::NONE);
    }

    // the last segment keeps its step, saturating at the 5x / 100% caps.
    #[test]
    fn last_segment_growth_saturates() {
        let s = [Milestone {
            count: 1,
            multiplier_bps: 10_000,
            share_bps: 100,
            step_multiplier_bps: 40_000,
            step_share_bps: 9_000,
        }];
        assert_eq!(benefits(&s, 1), Benefits { multiplier_bps: 10_000, share_bps: 100 });
        assert_eq!(benefits(&s, 2), Benefits { multiplier_bps: 50_000, share_bps: 9_100 });
        assert_eq!(benefits(&s, u16::MAX), Benefits { multiplier_bps: 50_000, share_bps: 10_000 });
    }

    // schedule validation.
    #[test]
    fn validation() {
        assert!(validate(&default_schedule()).is_ok());
        assert!(validate(&[]).is_ok());
        let m = |count, mult, share| Milestone {
            count,
            multiplier_bps: mult,
            share_bps: share,
            step_multiplier_bps: 0,
            step_share_bps: 0,
        };
        let nine: Vec<_> = (1..=9).map(|i| m(i, 10_000, 0)).collect();
        assert!(matches!(validate(&nine), Err(ReferralError::TooManyMilestones)));
        assert!(validate(&nine[..8]).is_ok());
        assert!(matches!(validate(&[m(0, 11_000, 0)]), Err(ReferralError::MilestonesNotIncreasing)));
        assert!(matches!(validate(&[m(5, 11_000, 0), m(5, 12_000, 0)]), Err(ReferralError::MilestonesNotIncreasing)));
        assert!(matches!(validate(&[m(5, 11_000, 0), m(4, 12_000, 0)]), Err(ReferralError::MilestonesNotIncreasing)));
        assert!(matches!(validate(&[m(1, 12_000, 0), m(4, 11_000, 0)]), Err(ReferralError::MilestoneValuesDecrease)));
        assert!(matches!(
            validate(&[m(1, 11_000, 500), m(4, 11_000, 400)]),
            Err(ReferralError::MilestoneValuesDecrease)
        ));
        assert!(matches!(validate(&[m(1, 9_999, 0)]), Err(ReferralError::MultiplierOutOfRange)));
        assert!(matches!(validate(&[m(1, 50_001, 0)]), Err(ReferralError::MultiplierOutOfRange)));
        assert!(validate(&[m(1, 50_000, 10_000)]).is_ok());
        assert!(matches!(validate(&[m(1, 11_000, 10_001)]), Err(ReferralError::BpsAboveOneHundredPercent)));
        let mut step = m(1, 11_000, 0);
        step.step_share_bps = 10_001;
        assert!(matches!(validate(&[step]), Err(ReferralError::BpsAboveOneHundredPercent)));
    }

    // stakes made in the current slot do not count until the next slot; older stakes do.
    #[test]
    fn stakes_count_from_the_next_slot() {
        assert_eq!(counted_stakes(0, 0, 0, 0), 0);
        assert_eq!(counted_stakes(1, 1, 100, 100), 0); // staked in this slot
        assert_eq!(counted_stakes(1, 1, 100, 101), 1); // one slot later
        assert_eq!(counted_stakes(10, 1, 100, 100), 9); // nine older ones count
        assert_eq!(counted_stakes(10, 1, 99, 100), 10);
        assert_eq!(counted_stakes(3, 5, 7, 7), 0); // never below zero
        assert_eq!(counted_stakes(u16::MAX, u16::MAX, u64::MAX, u64::MAX), 0);
        assert_eq!(counted_stakes(u16::MAX, 1, 0, u64::MAX), u16::MAX);
        // With the default schedule, one fresh NFT of one gives no benefits in its own slot.
        let s = default_schedule();
        assert_eq!(benefits(&s, counted_stakes(1, 1, 5, 5)), Benefits::NONE);
        assert_eq!(benefits(&s, counted_stakes(1, 1, 5, 6)).share_bps, 1_000);
    }
}
