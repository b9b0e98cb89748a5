//! Ranking periods' rewards: the period's tier totals, its reward pools, and the
//! registrations of ranked members' final figures.
use anchor_lang::prelude::*;

use crate::constants::MAX_TIERS;

/// A ranking period of a hub, PDA `[PERIOD_SEED, hub, index u32 LE]`, opened by anyone (rent paid by the
/// opener) from the period's start until its registration window closes. It fixes the period's timeline
/// and tiers when opened (the hub's rules then), and accumulates the tier totals as ranked members are
/// registered. Trades never touch it.
///
/// Size: 8 discriminator + 32 hub + 32 opener + 4 index + 4 x 8 timeline + 4 x 8 thresholds + 4 x 2 shares
/// + 4 x 16 totals + 4 x 4 tier members + 4 registered + 4 open_registrations + 4 pool_count + 4 open_pools
/// + 1 tier_count + 1 bump = 246 bytes ([`Period::SPACE`]).
#[account]
#[derive(InitSpace, Debug, PartialEq, Eq)]
pub struct Period {
    /// The hub. 32 bytes.
    pub hub: Pubkey,
    /// Who paid the rent (for the record; a period account is never closed). 32 bytes.
    pub opener: Pubkey,
    /// Period index (R-5.1: months since January 1970, or fixed periods since the origin). 4 bytes.
    pub index: u32,
    /// First second of the period. 8 bytes.
    pub start: i64,
    /// First second after it: registration opens. 8 bytes.
    pub end: i64,
    /// First second after the registration window: funding stops, the pools' sizes are final and claims
    /// open. 8 bytes.
    pub registration_end: i64,
    /// First second after the claim window: pools can be closed, their rest going back to the funder. 8 bytes.
    pub claim_end: i64,
    /// Tier thresholds in force when the period was opened, `tier_count` used. 32 bytes.
    pub tier_thresholds: [u64; MAX_TIERS as usize],
    /// Tier shares of each pool, bps, `tier_count` used. 8 bytes.
    pub tier_shares_bps: [u16; MAX_TIERS as usize],
    /// Referral points of the registered members who reached each tier, summed (u128: a sum of u64). 64 bytes.
    pub tier_totals: [u128; MAX_TIERS as usize],
    /// Registered members who reached each tier. 16 bytes.
    pub tier_members: [u32; MAX_TIERS as usize],
    /// Members registered. 4 bytes.
    pub registered: u32,
    /// Registrations not closed yet. 4 bytes.
    pub open_registrations: u32,
    /// Pools ever created for this period (unbounded: claims are recorded per pool and registration in
    /// [`RewardClaim`] accounts, so dust pools cannot exhaust a table, R-5.7). 4 bytes.
    pub pool_count: u32,
    /// Pools not closed yet: while any is open, registrations that did not claim from it stay open. 4 bytes.
    pub open_pools: u32,
    /// Tiers used. 1 byte.
    pub tier_count: u8,
    /// Canonical bump. 1 byte.
    pub bump: u8,
}

impl Period {
    /// Bytes allocated, discriminator included.
    pub const SPACE: usize = 8 + Period::INIT_SPACE;

    /// The thresholds in use.
    pub fn thresholds(&self) -> &[u64] {
        self.tier_thresholds.get(..usize::from(self.tier_count)).unwrap_or(&self.tier_thresholds)
    }
}

/// A reward pool of a period, PDA `[POOL_SEED, period, funder, mint]` (`mint` = default for SOL): what
/// one funder put in for the period's ranked members in one asset. SOL is held as this account's
/// lamports above rent; a token pool's tokens in the pool's associated token account (its vault), whose
/// address the pool stores when it is created: every instruction that pays from, funds or closes the pool
/// names that vault by address.
///
/// A claim the token cannot pay at once (a frozen vault or destination, a paused or hooked mint) is not
/// refused: its amount is kept for the member in the vault (`deferred`) and collected later
/// (`collect_reward`), so nobody can block claims to take a pool back.
///
/// Size: 8 discriminator + 32 period + 32 funder + 32 mint + 32 token_program + 32 vault + 8 funded
/// + 8 claimed + 8 deferred + 4 index + 1 returned + 1 bump = 198 bytes ([`RewardPool::SPACE`]).
#[account]
#[derive(InitSpace, Debug, PartialEq, Eq)]
pub struct RewardPool {
    /// The period. 32 bytes.
    pub period: Pubkey,
    /// Who funded it, and gets back what is not claimed (D-48). 32 bytes.
    pub funder: Pubkey,
    /// The mint, default for SOL. 32 bytes.
    pub mint: Pubkey,
    /// The mint's token program, default for SOL. 32 bytes.
    pub token_program: Pubkey,
    /// The pool's vault: its associated token account for `mint` (proven by the associated token program
    /// when the pool is created), default for SOL (the pool account itself holds the lamports). 32 bytes.
    pub vault: Pubkey,
    /// What arrived in the pool (after any Token-2022 transfer fee): the size claims are computed from,
    /// final when the registration window closes. 8 bytes.
    pub funded: u64,
    /// Claimed so far, paid or deferred (never above `funded`). 8 bytes.
    pub claimed: u64,
    /// Claimed but not paid yet: kept in the vault for the claimers (`RewardClaim::owed`), never returned
    /// to the funder. 8 bytes.
    pub deferred: u64,
    /// The pool's number in its period (0, 1, ...: the order pools were created), for display. 4 bytes.
    pub index: u32,
    /// The funder got the rest back (`close_pool_token` after the claim window): no more claims. The pool
    /// stays open only while deferred claims are still to be collected. 1 byte.
    pub returned: bool,
    /// Canonical bump (the pool signs for its vault). 1 byte.
    pub bump: u8,
}

impl RewardPool {
    /// Bytes allocated, discriminator included.
    pub const SPACE: usize = 8 + RewardPool::INIT_SPACE;

    /// True for a SOL pool.
    pub fn is_sol(&self) -> bool {
        self.mint == Pubkey::default()
    }
}

/// A ranked member's final figures of a period, PDA `[REGISTRATION_SEED, period, member]`: created once
/// by anyone during the registration window, it carries what claims need after the Member has
/// moved on to later periods. Closed (rent back to its payer) once the member has claimed from every pool
/// of the period, or every pool is closed.
///
/// Size: 8 discriminator + 32 period + 32 member + 32 wallet + 32 payer + 8 points + 4 claims + 1 tier
/// + 1 bump = 150 bytes ([`Registration::SPACE`]).
#[account]
#[derive(InitSpace, Debug, PartialEq, Eq)]
pub struct Registration {
    /// The period. 32 bytes.
    pub period: Pubkey,
    /// The member (its Member account). 32 bytes.
    pub member: Pubkey,
    /// The member's wallet: the only signer that can claim, and where rewards go. 32 bytes.
    pub wallet: Pubkey,
    /// Who paid the rent, and gets it back when the registration is closed. 32 bytes.
    pub payer: Pubkey,
    /// The member's referral points in the period. 8 bytes.
    pub points: u64,
    /// Pools of the period the member claimed from (each claim is recorded by its [`RewardClaim`]; when
    /// this equals the period's `pool_count` it claimed from every pool). 4 bytes.
    pub claims: u32,
    /// Highest tier reached, 0-based (the member counts in tiers `0..=tier`). 1 byte.
    pub tier: u8,
    /// Canonical bump. 1 byte.
    pub bump: u8,
}

impl Registration {
    /// Bytes allocated, discriminator included.
    pub const SPACE: usize = 8 + Registration::INIT_SPACE;
}

/// A claim of a registered member from one pool, PDA `[REWARD_CLAIM_SEED, pool, registration]`: its
/// existence is what makes a second claim from the same pool fail (`AlreadyClaimed`), so a period can hold
/// any number of pools. Created by the claim (the member's wallet pays the rent). Closed by anyone
/// once nothing is owed on it and no second claim can be made (its pool is closed or has returned its
/// rest, or its registration is closed), the rent back to the wallet (`close_reward_claim`).
///
/// Size: 8 discriminator + 32 pool + 32 registration + 32 wallet + 8 amount + 8 owed + 1 bump = 121 bytes
/// ([`RewardClaim::SPACE`]).
#[account]
#[derive(InitSpace, Debug, PartialEq, Eq)]
pub struct RewardClaim {
    /// The pool claimed from. 32 bytes.
    pub pool: Pubkey,
    /// The registration that claimed. 32 bytes.
    pub registration: Pubkey,
    /// The member's wallet: it claimed, paid the rent and gets it back. 32 bytes.
    pub wallet: Pubkey,
    /// What the claim took from the pool. 8 bytes.
    pub amount: u64,
    /// The part of `amount` not paid yet (the token could not move when claimed); `collect_reward` pays it.
    /// 8 bytes.
    pub owed: u64,
    /// Canonical bump. 1 byte.
    pub bump: u8,
}

impl RewardClaim {
    /// Bytes allocated, discriminator included.
    pub const SPACE: usize = 8 + RewardClaim::INIT_SPACE;
}
