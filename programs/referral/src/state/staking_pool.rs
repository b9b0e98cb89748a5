//! Referral-boosted staking pools (R-6.1 .. ): a pool per hub and id, a position per pool and member.
use anchor_lang::prelude::*;

use crate::logic::pools::{Accrual, Stake};

/// A staking pool of a hub, PDA `[STAKING_POOL_SEED, hub, pool_id LE]`: stakers deposit `stake_mint`
/// and earn `reward_mint` at `rate` per second from `start` to `end`, shared by weight.
/// The pool owns two token accounts, `[STAKE_VAULT_SEED, pool]` and `[REWARD_VAULT_SEED, pool]`, so
/// principal and rewards never mix, even when both mints are the same.
///
/// A rate cut (a lower rate or an earlier end) waits `MIN_CONFIG_NOTICE_SECONDS` in `next_*` before
/// `apply_staking_rate` makes it the schedule; a raise applies at once.
///
/// Size: 8 discriminator + 32 hub + 2 x 32 mints + 2 x 32 token programs + 2 x 32 vaults + 4 pool_id
/// + 8 rate + 3 x 8 start/end/last_update + 4 x 16 acc/acc_carry/total_weight/emitted + 3 x 8
/// total_staked/funded/paid + 8 next_rate + 2 x 8 next_end/next_at + 1 bump = 381 bytes
/// ([`StakingPool::SPACE`]).
#[account]
#[derive(InitSpace, Debug, PartialEq, Eq)]
pub struct StakingPool {
    /// The hub. 32 bytes.
    pub hub: Pubkey,
    /// What is staked. 32 bytes.
    pub stake_mint: Pubkey,
    /// What is paid out. 32 bytes.
    pub reward_mint: Pubkey,
    /// Token program of `stake_mint`. 32 bytes.
    pub stake_token_program: Pubkey,
    /// Token program of `reward_mint`. 32 bytes.
    pub reward_token_program: Pubkey,
    /// The stake vault. 32 bytes.
    pub stake_vault: Pubkey,
    /// The reward vault. 32 bytes.
    pub reward_vault: Pubkey,
    /// Admin-chosen id (a seed). 4 bytes.
    pub pool_id: u32,
    /// Reward base units per second. 8 bytes.
    pub rate: u64,
    /// First second of emission. 8 bytes.
    pub start: i64,
    /// First second after emission; moves later by the time the pool has no weight (D-50). 8 bytes.
    pub end: i64,
    /// Last time the accumulator was brought up to date. 8 bytes.
    pub last_update: i64,
    /// Reward units per unit of weight, x 2^64. 16 bytes.
    pub acc: u128,
    /// Remainder of the last accumulator step (units x 2^64 not yet spread). 16 bytes.
    pub acc_carry: u128,
    /// Sum of the positions' weights. 16 bytes.
    pub total_weight: u128,
    /// Reward units emitted so far. 16 bytes.
    pub emitted: u128,
    /// Stake held (what arrived). 8 bytes.
    pub total_staked: u64,
    /// Rewards deposited by the operator (what arrived). 8 bytes.
    pub funded: u64,
    /// Rewards paid out (never above `funded`). 8 bytes.
    pub paid: u64,
    /// The pending rate cut's rate (meaningful while `next_at != 0`). 8 bytes.
    pub next_rate: u64,
    /// The pending rate cut's end. 8 bytes.
    pub next_end: i64,
    /// When the pending rate cut may be applied (0: none pending). 8 bytes.
    pub next_at: i64,
    /// Canonical bump (the pool signs for its vaults). 1 byte.
    pub bump: u8,
}

impl StakingPool {
    /// Bytes allocated, discriminator included.
    pub const SPACE: usize = 8 + StakingPool::INIT_SPACE;

    /// The accrual state (`logic::pools`).
    pub fn accrual(&self) -> Accrual {
        Accrual {
            rate: self.rate,
            start: self.start,
            end: self.end,
            last_update: self.last_update,
            acc: self.acc,
            acc_carry: self.acc_carry,
            total_weight: self.total_weight,
            emitted: self.emitted,
        }
    }

    /// Stores an accrual state.
    pub fn set_accrual(&mut self, a: &Accrual) {
        self.rate = a.rate;
        self.start = a.start;
        self.end = a.end;
        self.last_update = a.last_update;
        self.acc = a.acc;
        self.acc_carry = a.acc_carry;
        self.total_weight = a.total_weight;
        self.emitted = a.emitted;
    }
}

/// A member's position in a staking pool, PDA `[POSITION_SEED, pool, member]`. Created by its
/// owner's first stake, or by a referee's stake when the referrer has none (paid by that staker: the
/// referrer's +5% needs somewhere to accrue, R-6.2).
///
/// Size: 8 discriminator + 4 x 32 pool/member/wallet/referrer_position + 3 x 8 staked/own_bonus/granted
/// + 2 x 16 referral_weight/snapshot + 3 x 8 carry/owed/paid + 1 bonus_valid + 1 bump = 218 bytes
/// ([`PoolPosition::SPACE`]).
#[account]
#[derive(InitSpace, Debug, PartialEq, Eq)]
pub struct PoolPosition {
    /// The pool. 32 bytes.
    pub pool: Pubkey,
    /// The member (its Member account). 32 bytes.
    pub member: Pubkey,
    /// The member's wallet: the only signer that stakes, withdraws and claims here. 32 bytes.
    pub wallet: Pubkey,
    /// The referrer's position in this pool, which this position's +5% is credited to (default = none yet).
    /// 32 bytes.
    pub referrer_position: Pubkey,
    /// Amount staked. 8 bytes.
    pub staked: u64,
    /// +10% of `staked` while the bonus is valid and the member has a referrer. 8 bytes.
    pub own_bonus: u64,
    /// +5% of `staked` credited to the referrer's position, stored so its removal is exact. 8 bytes.
    pub granted: u64,
    /// Bonuses this position receives from its referees' stakes. 16 bytes.
    pub referral_weight: u128,
    /// The pool accumulator at the last settlement. 16 bytes.
    pub snapshot: u128,
    /// Remainder of the last settlement (units x 2^64). 8 bytes.
    pub carry: u64,
    /// Rewards settled, not claimed. 8 bytes.
    pub owed: u64,
    /// Rewards claimed. 8 bytes.
    pub paid: u64,
    /// The bonus in this pool is valid until the first withdrawal; never restored (R-6.4, D-50). 1 byte.
    pub bonus_valid: bool,
    /// Canonical bump. 1 byte.
    pub bump: u8,
}

impl PoolPosition {
    /// Bytes allocated, discriminator included.
    pub const SPACE: usize = 8 + PoolPosition::INIT_SPACE;

    /// The stake state (`logic::pools`).
    pub fn stake(&self) -> Stake {
        Stake {
            staked: self.staked,
            own_bonus: self.own_bonus,
            granted: self.granted,
            referral_weight: self.referral_weight,
            snapshot: self.snapshot,
            carry: self.carry,
            owed: self.owed,
            bonus_valid: self.bonus_valid,
        }
    }

    /// Stores a stake state.
    pub fn set_stake(&mut self, s: &Stake) {
        self.staked = s.staked;
        self.own_bonus = s.own_bonus;
        self.granted = s.granted;
        self.referral_weight = s.referral_weight;
        self.snapshot = s.snapshot;
        self.carry = s.carry;
        self.owed = s.owed;
        self.bonus_valid = s.bonus_valid;
    }
}
