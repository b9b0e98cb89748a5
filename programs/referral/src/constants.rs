//! Seeds, hard caps and defaults. Every PDA seed the program uses is named here (and only here).

/// Seed of a [`crate::state::Hub`]: `[HUB_SEED, creator, hub_id (u64 LE)]`.
pub const HUB_SEED: &[u8] = b"hub";
/// Seed of a [`crate::state::Member`]: `[MEMBER_SEED, hub, wallet]`.
pub const MEMBER_SEED: &[u8] = b"member";
/// Seed of a [`crate::state::ReferralCode`]: `[CODE_SEED, hub, normalised code bytes]`.
pub const CODE_SEED: &[u8] = b"code";

/// Seed of a [`crate::state::StakeReceipt`]: `[STAKE_SEED, hub, nft mint]`.
pub const STAKE_SEED: &[u8] = b"stake";
/// Seed of the escrow token account holding a staked NFT: `[ESCROW_SEED, receipt]`.
pub const ESCROW_SEED: &[u8] = b"escrow";
/// Seed of a Token Metadata account (the Metaplex program's own seed): `[b"metadata", program, mint]`.
pub const METADATA_SEED: &[u8] = b"metadata";

/// Seed of a [`crate::state::PendingConfig`]: `[PENDING_SEED, hub]`.
pub const PENDING_SEED: &[u8] = b"pending";

/// One in basis points.
pub const BPS_DENOMINATOR: u16 = 10_000;
/// Hard cap on the referrer's fee share, compiled in: no hub can configure more than 50%.
pub const MAX_REFERRER_FEE_BPS: u16 = 5_000;
/// Default referrer fee share: 5% (R-1.2, Tensor).
pub const DEFAULT_REFERRER_FEE_BPS: u16 = 500;
/// Default own multiplier of a referee without staked NFTs: 1.05x.
pub const DEFAULT_REFEREE_MULTIPLIER_BPS: u16 = 10_500;
/// Upper bound on any points multiplier (own, referee, milestone): 5.00x. Above this a configuration is
/// treated as a mistake (a multiplier is a bps value over 10,000, not a share).
pub const MAX_MULTIPLIER_BPS: u16 = 50_000;
/// Deepest upline a hub may credit, and the number of levels a member counts below it.
pub const MAX_DEPTH: u8 = 4;
/// Default credited depth: the referrer and the referrer's referrer.
pub const DEFAULT_DEPTH: u8 = 2;
/// Default level-2 referral share: 5% of the referee's base points.
pub const DEFAULT_LEVEL2_SHARE_BPS: u16 = 500;
/// Default flat level-1 share for hubs without a collection (no milestones): 10%.
pub const DEFAULT_FLAT_LEVEL1_SHARE_BPS: u16 = 1_000;
/// Most milestones a schedule may hold.
pub const MAX_MILESTONES: usize = 8;
/// Most ambassador tiers a hub may define.
pub const MAX_TIERS: usize = 4;
/// Most authorised reporters a hub may list.
pub const MAX_REPORTERS: usize = 4;
/// Referral code length bounds after normalisation.
pub const MIN_CODE_LEN: usize = 3;
/// Longest code: also the longest a single PDA seed may be.
pub const MAX_CODE_LEN: usize = 32;
/// Default registration window after a period ends: 7 days.
pub const DEFAULT_REGISTRATION_WINDOW_SECONDS: u32 = 7 * 24 * 3600;
/// Shortest fixed-length ranking period a hub may choose: one hour.
pub const MIN_PERIOD_SECONDS: u32 = 3_600;
