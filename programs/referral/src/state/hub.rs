//! A hub: one operator's referral programme. Many hubs live in one deployment.
use anchor_lang::prelude::*;

use crate::constants::{MAX_MILESTONES, MAX_REPORTERS, MAX_TIERS};

/// Pause bit: sign-ups (join, set_referrer) are paused.
#[constant]
pub const PAUSE_SIGNUPS: u8 = 1 << 0;
/// Pause bit: NFT staking is paused (unstake stays open, R-1.4).
#[constant]
pub const PAUSE_STAKING: u8 = 1 << 1;
/// Pause bit: fee routing and point awards are paused; a trade report then moves nothing.
#[constant]
pub const PAUSE_ROUTING: u8 = 1 << 2;
/// Pause bit: claims are paused (bounded, see docs/DECISIONS.md; ).
#[constant]
pub const PAUSE_CLAIMS: u8 = 1 << 3;

/// One step of the NFT milestone schedule. 10 bytes.
///
/// With `n` NFTs staked and this the last milestone with `count <= n`, the member's values are
/// `base + (n - count) * step`, never above the next milestone's base (see `logic::milestones`).
#[derive(AnchorSerialize, AnchorDeserialize, InitSpace, Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct Milestone {
    /// NFTs staked at which this milestone starts (>= 1, strictly increasing). 2 bytes.
    pub count: u16,
    /// Own points multiplier at `count`, bps over 10,000 (11,000 = 1.10x). 2 bytes.
    pub multiplier_bps: u16,
    /// Share of each referee's base points at `count`, bps (1,000 = 10%). 2 bytes.
    pub share_bps: u16,
    /// Multiplier added per NFT above `count`, bps (250 = +0.025x). 2 bytes.
    pub step_multiplier_bps: u16,
    /// Share added per NFT above `count`, bps (50 = +0.5%). 2 bytes.
    pub step_share_bps: u16,
}

/// An ambassador tier and its share of a period reward pool. 10 bytes.
#[derive(AnchorSerialize, AnchorDeserialize, InitSpace, Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct Tier {
    /// Referral points in a period needed to reach the tier (strictly increasing). 8 bytes.
    pub threshold: u64,
    /// Share of the period reward pool for members who reached it, bps. 2 bytes.
    pub share_bps: u16,
}

/// How ranking periods are cut. 13 bytes (1 tag + largest variant).
#[derive(AnchorSerialize, AnchorDeserialize, InitSpace, Clone, Copy, Debug, PartialEq, Eq)]
pub enum PeriodKind {
    /// Calendar months in UTC, each starting 00:00 UTC on the 1st (the default).
    CalendarMonth,
    /// Fixed-length periods of `seconds`, the first starting at unix time `origin`.
    Fixed { seconds: u32, origin: i64 },
}

/// When a configuration change proposed by the admin takes effect. 5 bytes.
#[derive(AnchorSerialize, AnchorDeserialize, InitSpace, Clone, Copy, Debug, PartialEq, Eq)]
pub enum ConfigDelay {
    /// At the start of the next ranking period (the default).
    NextPeriod,
    /// This many seconds after the proposal.
    Seconds(u32),
}

/// Everything an operator configures. The whole configuration is stored at creation even
/// where later instructions use it, so no migration is needed when those land. Serialized size is at most
/// [`HubConfig::INIT_SPACE`] (vectors are stored with their maximum length reserved).
#[derive(AnchorSerialize, AnchorDeserialize, InitSpace, Clone, Debug, PartialEq, Eq)]
pub struct HubConfig {
    /// Referrer's share of a referee's marketplace fee, bps; <= 5,000 (R-1.2, default 500). 2 bytes.
    pub referrer_fee_bps: u16,
    /// Own multiplier of a referee without staked NFTs, bps (R-4.3, default 10,500). 2 bytes.
    pub referee_multiplier_bps: u16,
    /// Level-1 referral share when the hub has no collection (R-4.4, default 1,000). 2 bytes.
    pub flat_level1_share_bps: u16,
    /// Upline levels credited with referral points, 1..=4 (R-2.5, default 2). 1 byte.
    pub depth: u8,
    /// Referral points share of levels 2, 3 and 4, bps; 0 beyond `depth` (R-4.4, default [500, 0, 0]). 6 bytes.
    pub level_shares_bps: [u16; 3],
    /// Joining needs a code or a referrer's address (R-2.1, default false). 1 byte.
    pub invite_only: bool,
    /// NFT collection for staking; `Pubkey::default()` = no staking. 32 bytes.
    pub collection: Pubkey,
    /// NFTs a referrer must have staked to earn the fee share; 0 = every referrer. 2 bytes.
    pub min_stake_to_earn: u16,
    /// Seconds an NFT must stay staked before unstaking (R-3.3, default 0). 4 bytes.
    pub min_stake_seconds: u32,
    /// Milestone schedule, <= 8 entries. 4 + 8 * 10 = 84 bytes reserved.
    #[max_len(MAX_MILESTONES)]
    pub milestones: Vec<Milestone>,
    /// Ranking periods. 13 bytes.
    pub period: PeriodKind,
    /// Delay before configuration changes apply. 5 bytes.
    pub config_delay: ConfigDelay,
    /// Ambassador tiers, <= 4. 4 + 4 * 10 = 44 bytes reserved.
    #[max_len(MAX_TIERS)]
    pub tiers: Vec<Tier>,
    /// Seconds after a period ends during which members' figures can be registered (R-5.4, default 7 days). 4 bytes.
    pub registration_window_seconds: u32,
    /// Seconds after the registration window during which rewards can be claimed; 0 = one period. 4 bytes.
    pub claim_window_seconds: u32,
    /// Keys allowed to report trading activity, <= 4. 4 + 4 * 32 = 132 bytes reserved.
    #[max_len(MAX_REPORTERS)]
    pub reporters: Vec<Pubkey>,
}

/// Hub account, PDA `[HUB_SEED, creator, hub_id LE]`.
///
/// Size: 8 discriminator + 1 bump + 32 creator + 8 id + 32 admin + 32 pending_admin + 1 paused
/// + [`HubConfig::INIT_SPACE`] (= 338) = 452 bytes ([`Hub::SPACE`]).
///
/// Later issues add no field here: pending configuration changes live in their own PDA
/// `[b"pending", hub]` so the hub read by every trade stays small; periods' reward pools and staking
/// pools are their own accounts.
#[account]
#[derive(InitSpace, Debug, PartialEq, Eq)]
pub struct Hub {
    /// Canonical bump of the hub PDA, stored so it is never searched again. 1 byte.
    pub bump: u8,
    /// Wallet that created the hub (a seed). 32 bytes.
    pub creator: Pubkey,
    /// Creator-chosen id that tells the creator's hubs apart (a seed). 8 bytes.
    pub hub_id: u64,
    /// Current admin (starts as the creator). 32 bytes.
    pub admin: Pubkey,
    /// Proposed next admin, `Pubkey::default()` when none; accepted by its own signature. 32 bytes.
    pub pending_admin: Pubkey,
    /// Pause bits `PAUSE_*`. 1 byte.
    pub paused: u8,
    /// The programme's rules. 338 bytes.
    pub config: HubConfig,
}

impl Hub {
    /// Bytes allocated for a hub, discriminator included.
    pub const SPACE: usize = 8 + Hub::INIT_SPACE;

    /// True when the `PAUSE_*` bit `part` is set.
    pub fn is_paused(&self, part: u8) -> bool {
        self.paused & part != 0
    }

    /// True when the hub runs NFT staking (a collection is configured).
    pub fn has_collection(&self) -> bool {
        self.config.collection != Pubkey::default()
    }
}
