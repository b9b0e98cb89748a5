//! The referrer's share of a marketplace fee.
//!
//! `share = floor(fee * bps / 10_000)`, `remainder = fee - share`: every division rounds down, the rounding
//! remainder stays with the payer, and `share + remainder == fee` for every input (no lamport or token is
//! created or lost). u128 intermediate, so no input overflows.
use anchor_lang::prelude::{AnchorDeserialize, AnchorSerialize};

use crate::constants::BPS_DENOMINATOR;

/// Why a trade report moved the referrer's share or why it moved nothing. Returned in
/// `RouteFeeResult::outcome` and the `FeeRouted` event, so a marketplace and an indexer can tell a routed
/// share from each reason for routing none. Whenever it is not `Routed`, nothing left the payer.
#[derive(AnchorSerialize, AnchorDeserialize, Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ShareOutcome {
    /// The referrer's share moved to its claimable balance.
    Routed,
    /// The trader is not a member of the hub (its Member address is empty).
    NotMember,
    /// The hub's fee routing is paused.
    RoutingPaused,
    /// The trader has no referrer.
    #[default]
    NoReferrer,
    /// The referrer has fewer NFTs counted than `min_stake_to_earn` (R-3.5; stakes count from the slot
    /// after they were made).
    NotEligible,
    /// The share rounds down to zero (or the hub's fee share is 0).
    ZeroShare,
    /// The referrer's vault for this mint is frozen: a transfer into it would fail.
    VaultFrozen,
    /// The mint's accounts start frozen (Token-2022 default account state) and the vault does not exist:
    /// it would be created frozen.
    DefaultFrozen,
    /// The mint has a transfer hook (Token-2022): the hook program could fail the trade.
    TransferHook,
    /// The mint has a permanent delegate (Token-2022), who could take the referrer's tokens at will.
    PermanentDelegate,
    /// The mint is non-transferable (Token-2022).
    NonTransferable,
    /// The mint is paused (Token-2022 pausable extension).
    MintPaused,
    /// The payer's token account has the CPI guard on: the payer's signature cannot move it by CPI.
    PayerCpiGuard,
}

/// How a fee splits between the referrer and the payer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FeeSplit {
    /// Moved to the referrer's claimable balance.
    pub referrer_share: u64,
    /// Never leaves the payer; the marketplace sends it where it sends its fees today.
    pub remainder: u64,
}

/// Splits `fee` with a referrer share of `share_bps` (callers pass <= 10,000; larger values are treated
/// as 10,000 so the share can never exceed the fee).
pub fn split(fee: u64, share_bps: u16) -> FeeSplit {
    let bps = share_bps.min(BPS_DENOMINATOR);
    // u64 when the product fits (fees below ~1.8e15 base units: SBF divides u64 natively), else u128.
    if let Some(product) = fee.checked_mul(u64::from(bps)) {
        let referrer_share = product.checked_div(u64::from(BPS_DENOMINATOR)).unwrap_or(0).min(fee);
        return FeeSplit { referrer_share, remainder: fee.saturating_sub(referrer_share) };
    }
    let bps = u128::from(bps);
    let share = u128::from(fee).saturating_mul(bps).checked_div(u128::from(BPS_DENOMINATOR)).unwrap_or(0);
    // share <= fee because bps <= 10,000, so both conversions and the subtraction are exact.
    let referrer_share = u64::try_from(share).unwrap_or(fee).min(fee);
    FeeSplit { referrer_share, remainder: fee.saturating_sub(referrer_share) }
}

/// Whether a referrer with `staked` NFTs earns the fee share on a hub requiring `min_stake_to_earn`
/// (R-3.5; 0 means every referrer earns).
pub fn referrer_eligible(staked: u16, min_stake_to_earn: u16) -> bool {
    staked >= min_stake_to_earn
}

#[cfg(test)]
#[allow(clippy::arithmetic_side_effects)] // test arithmetic on known small values, not an input path
mod tests {
    use super::*;

    // 5% of 20 SOL is 1 SOL.
    #[test]
    fn golden() {
        assert_eq!(split(20_000_000_000, 500), FeeSplit { referrer_share: 1_000_000_000, remainder: 19_000_000_000 });
    }

    // rounding down, remainder to the payer; edges.
    #[test]
    fn rounding_and_edges() {
        assert_eq!(split(0, 500), FeeSplit { referrer_share: 0, remainder: 0 });
        assert_eq!(split(19, 500), FeeSplit { referrer_share: 0, remainder: 19 }); // 0.95 rounds down
        assert_eq!(split(20, 500), FeeSplit { referrer_share: 1, remainder: 19 });
        assert_eq!(split(39, 500), FeeSplit { referrer_share: 1, remainder: 38 });
        assert_eq!(split(u64::MAX, 10_000), FeeSplit { referrer_share: u64::MAX, remainder: 0 });
        assert_eq!(
            split(u64::MAX, 5_000),
            FeeSplit { referrer_share: u64::MAX / 2, remainder: u64::MAX - u64::MAX / 2 }
        );
        assert_eq!(split(u64::MAX, 0), FeeSplit { referrer_share: 0, remainder: u64::MAX });
        assert_eq!(split(100, u16::MAX), FeeSplit { referrer_share: 100, remainder: 0 });
    }

    // eligibility by staked count.
    #[test]
    fn eligibility() {
        assert!(referrer_eligible(0, 0));
        assert!(!referrer_eligible(0, 1));
        assert!(referrer_eligible(1, 1));
        assert!(referrer_eligible(u16::MAX, u16::MAX));
        assert!(!referrer_eligible(4, 5));
    }

    /// xorshift64*: a deterministic generator, so a failure reproduces from its printed input.
    fn next(state: &mut u64) -> u64 {
        *state ^= *state >> 12;
        *state ^= *state << 25;
        *state ^= *state >> 27;
        state.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    // conservation over 100,000 random (fee, bps, milestone) inputs: share + remainder == fee,
    // share == floor(fee * bps / 10_000) computed independently, and the share never exceeds the fee.
    #[test]
    fn conservation_property() {
        let mut s = 0x9E37_79B9_7F4A_7C15u64;
        let schedule = crate::logic::milestones::default_schedule();
        for i in 0..100_000u32 {
            // Mix magnitudes: small fees exercise rounding, large ones overflow paths.
            let fee = match i % 4 {
                0 => next(&mut s) % 1_000,
                1 => next(&mut s) % 1_000_000_000_000,
                2 => next(&mut s),
                _ => u64::MAX - next(&mut s) % 1_000,
            };
            let bps = (next(&mut s) % 5_001) as u16;
            let staked = (next(&mut s) % 80) as u16;
            // The milestone share is what the hub would credit as referral points; the fee share uses bps
            // only when the referrer is eligible. Both paths must conserve.
            let share_bps = if referrer_eligible(staked, 1) { bps } else { 0 };
            let milestone = crate::logic::milestones::benefits(&schedule, staked);
            let r = split(fee, share_bps);
            assert_eq!(r.referrer_share.checked_add(r.remainder), Some(fee), "fee {fee} bps {share_bps}");
            let expected = (u128::from(fee) * u128::from(share_bps) / 10_000) as u64;
            assert_eq!(r.referrer_share, expected, "fee {fee} bps {share_bps}");
            assert!(r.referrer_share <= fee);
            let m = split(fee, milestone.share_bps);
            assert_eq!(m.referrer_share + m.remainder, fee);
        }
    }
}
