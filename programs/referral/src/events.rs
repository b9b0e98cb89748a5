//! Events emitted at the end of each instruction (read by indexers, the CLI and the app).
use anchor_lang::prelude::*;

use crate::logic::fees::ShareOutcome;

/// A hub was created.
#[event]
pub struct HubCreated {
    pub hub: Pubkey,
    pub creator: Pubkey,
    pub hub_id: u64,
}

/// A wallet joined a hub; `referrer` is the referrer's Member or default.
#[event]
pub struct MemberJoined {
    pub hub: Pubkey,
    pub member: Pubkey,
    pub wallet: Pubkey,
    pub referrer: Pubkey,
}

/// A member without a referrer set one later.
#[event]
pub struct ReferrerSet {
    pub hub: Pubkey,
    pub member: Pubkey,
    pub referrer: Pubkey,
}

/// A referral code was created.
#[event]
pub struct CodeCreated {
    pub hub: Pubkey,
    pub owner: Pubkey,
    pub code: String,
}

/// An NFT was staked; `staked_count` is the member's count after it.
#[event]
pub struct NftStaked {
    pub hub: Pubkey,
    pub member: Pubkey,
    pub mint: Pubkey,
    pub staked_count: u16,
}

/// An NFT was unstaked.
#[event]
pub struct NftUnstaked {
    pub hub: Pubkey,
    pub member: Pubkey,
    pub mint: Pubkey,
    pub staked_count: u16,
}

/// A trade was reported: `mint` is `Pubkey::default()` for SOL.
#[event]
pub struct FeeRouted {
    pub hub: Pubkey,
    pub trader: Pubkey,
    pub referrer: Pubkey,
    pub mint: Pubkey,
    pub fee: u64,
    pub referrer_share: u64,
    pub credited: u64,
    pub own_points: u64,
    pub referral_points: u64,
    /// `Routed`, or why the referrer's share did not move.
    pub outcome: ShareOutcome,
}

/// Points were awarded for activity that is not a fee.
#[event]
pub struct PointsAwarded {
    pub hub: Pubkey,
    pub trader: Pubkey,
    pub own_points: u64,
    pub referral_points: u64,
}

/// A member claimed its accrued fee share; `mint` is default for SOL.
#[event]
pub struct FeesClaimed {
    pub hub: Pubkey,
    pub member: Pubkey,
    pub mint: Pubkey,
    pub amount: u64,
}

/// A ranking period's reward book was opened; registration opens at `end`.
#[event]
pub struct PeriodOpened {
    pub hub: Pubkey,
    pub period: Pubkey,
    pub index: u32,
    pub end: i64,
}

/// A reward pool was funded: `amount` arrived (after any transfer fee), `funded` is its size now;
/// `mint` is default for SOL.
#[event]
pub struct PoolFunded {
    pub period: Pubkey,
    pub pool: Pubkey,
    pub funder: Pubkey,
    pub mint: Pubkey,
    pub amount: u64,
    pub funded: u64,
}

/// A ranked member's final figures were registered into the period's tier totals.
#[event]
pub struct MemberRegistered {
    pub period: Pubkey,
    pub member: Pubkey,
    pub wallet: Pubkey,
    pub points: u64,
    pub tier: u8,
}

/// A registered member claimed its share of a pool; `mint` is default for SOL.
#[event]
pub struct RewardClaimed {
    /// The period.
    pub period: Pubkey,
    /// The reward pool.
    pub pool: Pubkey,
    /// The member (its Member account).
    pub member: Pubkey,
    /// The pool's mint (default for SOL).
    pub mint: Pubkey,
    /// The member's share of the pool.
    pub amount: u64,
    /// The token could not move now (frozen vault or destination, paused or hooked mint): the amount is
    /// kept for the member and paid by `collect_reward`.
    pub deferred: bool,
}

/// A pool returned its rest to its funder after the claim window; it is closed unless deferred
/// claims are still to be collected.
#[event]
pub struct PoolClosed {
    /// The period.
    pub period: Pubkey,
    /// The reward pool.
    pub pool: Pubkey,
    /// Its funder, who got `returned`.
    pub funder: Pubkey,
    /// The pool's mint (default for SOL).
    pub mint: Pubkey,
    /// What arrived in the pool.
    pub funded: u64,
    /// What was claimed from it (paid or deferred).
    pub claimed: u64,
    /// What went back to the funder by this instruction.
    pub returned: u64,
    /// Claimed but still to be collected: kept in the vault, the pool stays open until it is 0.
    pub deferred: u64,
}

/// A referral-boosted staking pool was created.
#[event]
pub struct StakingPoolCreated {
    pub hub: Pubkey,
    pub pool: Pubkey,
    pub pool_id: u32,
    pub rate: u64,
    pub start: i64,
    pub end: i64,
}

/// A member's stake in a pool changed: its stake and weight after, and the pool's total.
#[event]
pub struct PoolStakeChanged {
    pub pool: Pubkey,
    pub member: Pubkey,
    pub staked: u64,
    pub weight: u128,
    pub total_weight: u128,
}

/// A member claimed a pool's rewards.
#[event]
pub struct PoolRewardClaimed {
    pub pool: Pubkey,
    pub member: Pubkey,
    pub amount: u64,
}

/// A deferred period reward was collected.
#[event]
pub struct RewardCollected {
    /// The reward pool.
    pub pool: Pubkey,
    /// The wallet that claimed, which received it.
    pub wallet: Pubkey,
    /// What was paid (base units of the pool's mint).
    pub amount: u64,
}

/// A staking pool's rate and end were set: from `effective_at` (now for a raise; a cut
/// waits 7 days and is applied by `apply_staking_rate`).
#[event]
pub struct StakingRateChanged {
    /// The staking pool.
    pub pool: Pubkey,
    /// Reward base units per second.
    pub rate: u64,
    /// First second after emission.
    pub end: i64,
    /// When the schedule takes (or took) effect.
    pub effective_at: i64,
}

/// The hub admin took back reward funding of a staking pool that no accrued or future emission can
/// claim.
#[event]
pub struct StakingPoolExcessWithdrawn {
    /// The staking pool.
    pub pool: Pubkey,
    /// What left the reward vault (base units of the reward mint).
    pub amount: u64,
    /// The pool's funding after it (what arrived, less what was withdrawn).
    pub funded: u64,
}

/// A staker's withdrawal went through although the pool's reward arithmetic failed: its
/// principal left, the rewards that could not be computed were forfeited.
#[event]
pub struct PoolRewardsForfeited {
    /// The staking pool.
    pub pool: Pubkey,
    /// The withdrawing member (its Member account).
    pub member: Pubkey,
    /// The principal withdrawn (base units of the stake mint).
    pub withdrawn: u64,
}
