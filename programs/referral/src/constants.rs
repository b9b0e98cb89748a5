//! Seeds, hard caps, bounds and defaults. Every PDA seed the program uses is named here (and only here).
//! Each is a `#[constant]`, so it appears in the IDL (`idl/referral.json`, "constants") for clients in
//! any language; the pause and member flag bits are `#[constant]`s beside their account types.
use anchor_lang::prelude::*;

/// Seed of a [`crate::state::Hub`]: `[HUB_SEED, creator, hub_id (u64 LE)]`.
#[constant]
pub const HUB_SEED: &[u8] = b"hub";
/// Seed of a [`crate::state::Member`]: `[MEMBER_SEED, hub, wallet]`.
#[constant]
pub const MEMBER_SEED: &[u8] = b"member";
/// Seed of a [`crate::state::ReferralCode`]: `[CODE_SEED, hub, normalised code bytes]`.
#[constant]
pub const CODE_SEED: &[u8] = b"code";
/// Seed of a [`crate::state::StakeReceipt`]: `[STAKE_SEED, hub, nft mint]`.
#[constant]
pub const STAKE_SEED: &[u8] = b"stake";
/// Seed of the escrow token account holding a staked NFT: `[ESCROW_SEED, receipt]`.
#[constant]
pub const ESCROW_SEED: &[u8] = b"escrow";
/// Seed of a [`crate::state::PendingConfig`]: `[PENDING_SEED, hub]`.
#[constant]
pub const PENDING_SEED: &[u8] = b"pending";
/// Seed of a [`crate::state::Period`]: `[PERIOD_SEED, hub, period index (u32 LE)]`.
#[constant]
pub const PERIOD_SEED: &[u8] = b"period";
/// Seed of a [`crate::state::RewardPool`]: `[POOL_SEED, period, funder, mint]` (mint = default for SOL).
#[constant]
pub const POOL_SEED: &[u8] = b"pool";
/// Seed of a [`crate::state::Registration`]: `[REGISTRATION_SEED, period, member]`.
#[constant]
pub const REGISTRATION_SEED: &[u8] = b"registration";
/// Seed of a [`crate::state::RewardClaim`]: `[REWARD_CLAIM_SEED, pool, registration]`.
#[constant]
pub const REWARD_CLAIM_SEED: &[u8] = b"reward_claim";
/// Seed of a [`crate::state::StakingPool`]: `[STAKING_POOL_SEED, hub, pool id (u32 LE)]`.
#[constant]
pub const STAKING_POOL_SEED: &[u8] = b"staking_pool";
/// Seed of a staking pool's stake vault (a token account owned by the pool): `[STAKE_VAULT_SEED, pool]`.
#[constant]
pub const STAKE_VAULT_SEED: &[u8] = b"stake_vault";
/// Seed of a staking pool's reward vault (a token account owned by the pool): `[REWARD_VAULT_SEED, pool]`.
#[constant]
pub const REWARD_VAULT_SEED: &[u8] = b"reward_vault";
/// Seed of a [`crate::state::PoolPosition`]: `[POSITION_SEED, pool, member]`.
#[constant]
pub const POSITION_SEED: &[u8] = b"position";
/// Seed of a Token Metadata account (the Metaplex program's own seed): `[b"metadata", program, mint]`.
#[constant]
pub const METADATA_SEED: &[u8] = b"metadata";
/// Last seed of a Metaplex master edition: `[b"metadata", program, mint, b"edition"]`. A Metaplex NFT's
/// mint and freeze authorities belong to it (R-3.1, docs/DECISIONS.md D-35).
#[constant]
pub const EDITION_SEED: &[u8] = b"edition";

/// One in basis points.
#[constant]
pub const BPS_DENOMINATOR: u16 = 10_000;
/// Hard cap on the referrer's fee share, compiled in: no hub can configure more than 50%.
#[constant]
pub const MAX_REFERRER_FEE_BPS: u16 = 5_000;
/// Default referrer fee share: 5% (R-1.2, Tensor).
#[constant]
pub const DEFAULT_REFERRER_FEE_BPS: u16 = 500;
/// Default own multiplier of a referee without staked NFTs: 1.05x.
#[constant]
pub const DEFAULT_REFEREE_MULTIPLIER_BPS: u16 = 10_500;
/// Upper bound on any points multiplier (own, referee, milestone): 5.00x. Above this a configuration is
/// treated as a mistake (a multiplier is a bps value over 10,000, not a share).
#[constant]
pub const MAX_MULTIPLIER_BPS: u16 = 50_000;
/// Deepest upline a hub may credit, and the number of levels a member counts below it.
/// A trade report passes the referrer's upline, levels 2..=depth: at most `MAX_DEPTH - 1` accounts.
#[constant]
pub const MAX_DEPTH: u8 = 4;
/// Default credited depth: the referrer and the referrer's referrer.
#[constant]
pub const DEFAULT_DEPTH: u8 = 2;
/// Default level-2 referral share: 5% of the referee's base points.
#[constant]
pub const DEFAULT_LEVEL2_SHARE_BPS: u16 = 500;
/// Default flat level-1 share for hubs without a collection (no milestones): 10%.
#[constant]
pub const DEFAULT_FLAT_LEVEL1_SHARE_BPS: u16 = 1_000;
/// Most milestones a schedule may hold.
#[constant]
pub const MAX_MILESTONES: u8 = 8;
/// Most ambassador tiers a hub may define.
#[constant]
pub const MAX_TIERS: u8 = 4;
/// Most authorised reporters a hub may list.
#[constant]
pub const MAX_REPORTERS: u8 = 4;
/// Shortest referral code, in bytes after normalisation.
#[constant]
pub const MIN_CODE_LEN: u8 = 3;
/// Longest referral code: also the longest a single PDA seed may be.
#[constant]
pub const MAX_CODE_LEN: u8 = 32;
/// The characters a normalised code may hold; ASCII `A-Z` is lowercased first, anything else is
/// `CodeCharacter`.
#[constant]
pub const CODE_ALPHABET: &str = "abcdefghijklmnopqrstuvwxyz0123456789-_";
/// Default registration window after a period ends: 7 days.
#[constant]
pub const DEFAULT_REGISTRATION_WINDOW_SECONDS: u32 = 7 * 24 * 3600;
/// Shortest registration window a hub may set: one hour.
#[constant]
pub const MIN_REGISTRATION_WINDOW_SECONDS: u32 = 3_600;
/// Shortest calendar month, 28 days: the longest registration window a hub with calendar-month periods
/// may set, so that a member's final figures cannot roll away before they can be registered (D-27).
#[constant]
pub const SHORTEST_MONTH_SECONDS: u32 = 28 * 24 * 3600;
/// Shortest explicit claim window a hub may set: one day (0 means one period).
#[constant]
pub const MIN_CLAIM_WINDOW_SECONDS: u32 = 24 * 3600;
/// Longest a claims pause holds back period reward claims: 7 days from when it was set.
/// A new claims pause cannot start until twice this after the last one started, and a reward pool cannot
/// be closed until this long after the last claims pause ended its hold; pauses that start after a
/// period's claim window do not delay its pools, so all pauses together delay a pool's closing by at
/// most twice this (docs/DECISIONS.md D-47).
#[constant]
pub const MAX_CLAIMS_PAUSE_SECONDS: u32 = 7 * 24 * 3600;
/// Shortest fixed-length ranking period a hub may choose: one hour.
#[constant]
pub const MIN_PERIOD_SECONDS: u32 = 3_600;
/// Longest minimum stake time a hub may set: 30 days. No configuration can lock a staked
/// NFT for longer, and a stake keeps the unlock time of the rules it was made under.
#[constant]
pub const MAX_MIN_STAKE_SECONDS: u32 = 30 * 24 * 3600;
/// Shortest notice of a configuration change, whatever the hub's delay kind: 7 days between the
/// proposal and the earliest moment it can apply.
#[constant]
pub const MIN_CONFIG_NOTICE_SECONDS: u32 = 7 * 24 * 3600;
