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

/// One step of the NFT milestone schedule. 10 bytes, the same in borsh (instruction arguments) and
/// in the zero-copy hub (five `u16`, no padding).
///
/// With `n` NFTs staked and this the last milestone with `count <= n`, the member's values are
/// `base + (n - count) * step`, never above the next milestone's base (see `logic::milestones`).
#[derive(
    AnchorSerialize,
    AnchorDeserialize,
    InitSpace,
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    Default,
    bytemuck::Pod,
    bytemuck::Zeroable,
)]
#[repr(C)]
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

/// Everything an operator configures, as instruction arguments and pending changes carry
/// it (borsh, vectors and enums). The hub stores it as [`HubRules`] (fixed size, zero-copy); the two
/// convert both ways without loss for every valid configuration. Serialized size is at most
/// [`HubConfig::INIT_SPACE`].
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

/// The hub's rules as the hub stores them: [`HubConfig`] in a fixed-size, zero-copy layout, so every trade
/// reads them by a cast instead of a borsh decode (docs/DECISIONS.md D-43). Vectors become arrays with a
/// count (unused slots are zero); `PeriodKind` becomes `period_seconds` (0 = calendar months) and
/// `period_origin`; `ConfigDelay` becomes `config_delay_seconds` (0 = the next period: a delay of 0 seconds
/// is not a valid configuration, D-38); `bool` becomes `u8`.
///
/// Size: 328 bytes, fields ordered by alignment (8-byte values, keys, 4-, 2-, 1-byte values) so `repr(C)`
/// adds no hidden padding; 1 named byte rounds it to its 8-byte alignment.
///
/// | field | bytes |
/// |---|---:|
/// | period_origin | 8 |
/// | tier_thresholds | 4 x 8 = 32 |
/// | collection | 32 |
/// | reporters | 4 x 32 = 128 |
/// | period_seconds, config_delay_seconds, min_stake_seconds, registration_window_seconds, claim_window_seconds | 5 x 4 = 20 |
/// | referrer_fee_bps, referee_multiplier_bps, flat_level1_share_bps, level_shares_bps (3), min_stake_to_earn, tier_shares_bps (4) | 11 x 2 = 22 |
/// | milestones | 8 x 10 = 80 |
/// | depth, invite_only, milestone_count, tier_count, reporter_count | 5 |
/// | _padding | 1 |
#[zero_copy]
#[derive(Debug, PartialEq, Eq, Default)]
pub struct HubRules {
    /// Start of period 0 for fixed-length periods (unix seconds). 8 bytes.
    pub period_origin: i64,
    /// Ambassador tier thresholds, `tier_count` used. 32 bytes.
    pub tier_thresholds: [u64; MAX_TIERS as usize],
    /// NFT collection for staking; default = no staking. 32 bytes.
    pub collection: Pubkey,
    /// Authorised reporters, `reporter_count` used. 128 bytes.
    pub reporters: [Pubkey; MAX_REPORTERS as usize],
    /// Fixed period length in seconds; 0 = calendar months. 4 bytes.
    pub period_seconds: u32,
    /// Delay of configuration changes in seconds; 0 = the next period. 4 bytes.
    pub config_delay_seconds: u32,
    /// Minimum stake time. 4 bytes.
    pub min_stake_seconds: u32,
    /// Registration window after a period. 4 bytes.
    pub registration_window_seconds: u32,
    /// Claim window after registration; 0 = one period. 4 bytes.
    pub claim_window_seconds: u32,
    /// Referrer's fee share, bps. 2 bytes.
    pub referrer_fee_bps: u16,
    /// Referee multiplier, bps. 2 bytes.
    pub referee_multiplier_bps: u16,
    /// Level-1 share without a collection, bps. 2 bytes.
    pub flat_level1_share_bps: u16,
    /// Shares of levels 2, 3, 4, bps. 6 bytes.
    pub level_shares_bps: [u16; 3],
    /// NFTs a referrer needs for the fee share. 2 bytes.
    pub min_stake_to_earn: u16,
    /// Tier shares of a reward pool, bps, `tier_count` used. 8 bytes.
    pub tier_shares_bps: [u16; MAX_TIERS as usize],
    /// Milestone schedule, `milestone_count` used. 80 bytes.
    pub milestones: [Milestone; MAX_MILESTONES as usize],
    /// Credited upline depth, 1..=4. 1 byte.
    pub depth: u8,
    /// 1 when joining needs a code or a referrer. 1 byte.
    pub invite_only: u8,
    /// Milestones used. 1 byte.
    pub milestone_count: u8,
    /// Tiers used. 1 byte.
    pub tier_count: u8,
    /// Reporters used. 1 byte.
    pub reporter_count: u8,
    /// Alignment padding, always zero. 1 byte.
    pub _padding: [u8; 1],
}

/// Hub account, PDA `[HUB_SEED, creator, hub_id LE]`. Zero-copy (`AccountLoader`): every trade reads it.
///
/// Size: 8 discriminator + 8 hub_id + 32 creator + 32 admin + 32 pending_admin + 328 rules
/// + 8 claims_paused_at + 1 bump + 1 paused + 6 padding = 456 bytes ([`Hub::SPACE`]). The 6 named padding
/// bytes round the struct to its 8-byte alignment.
///
/// Pending configuration changes live in their own PDA `[b"pending", hub]` so the hub read by every
/// trade stays small; periods, reward pools and staking pools are their own accounts. The one field added
/// since issue 3 is `claims_paused_at`, the bound of the claims pause (R-1.4, issue 10).
#[account(zero_copy)]
#[derive(Debug, PartialEq, Eq)]
pub struct Hub {
    /// Creator-chosen id that tells the creator's hubs apart (a seed). 8 bytes.
    pub hub_id: u64,
    /// Wallet that created the hub (a seed). 32 bytes.
    pub creator: Pubkey,
    /// Current admin (starts as the creator). 32 bytes.
    pub admin: Pubkey,
    /// Proposed next admin, `Pubkey::default()` when none; accepted by its own signature. 32 bytes.
    pub pending_admin: Pubkey,
    /// The programme's rules. 328 bytes.
    pub rules: HubRules,
    /// Unix time the claims pause (`PAUSE_CLAIMS`) was last set, 0 if never. It holds reward claims back
    /// for at most `MAX_CLAIMS_PAUSE_SECONDS` from then, cannot be set again within twice that, and no
    /// reward pool closes before twice that has passed (R-1.4, docs/DECISIONS.md D-47). 8 bytes.
    pub claims_paused_at: i64,
    /// Canonical bump of the hub PDA, stored so it is never searched again. 1 byte.
    pub bump: u8,
    /// Pause bits `PAUSE_*`. 1 byte.
    pub paused: u8,
    /// Alignment padding, always zero. 6 bytes.
    pub _padding: [u8; 6],
}

impl Hub {
    /// Bytes allocated for a hub, discriminator included.
    pub const SPACE: usize = 8 + core::mem::size_of::<Hub>();

    /// True when the `PAUSE_*` bit `part` is set.
    pub fn is_paused(&self, part: u8) -> bool {
        self.paused & part != 0
    }

    /// The hub's configuration in its argument form.
    pub fn config(&self) -> HubConfig {
        self.rules.to_config()
    }
}

impl HubRules {
    /// The stored form of a configuration. `config` must be valid (`HubConfig::validate`): vectors no
    /// longer than their arrays, no zero delay in seconds.
    pub fn from_config(config: &HubConfig) -> HubRules {
        let mut r = HubRules {
            period_origin: 0,
            collection: config.collection,
            config_delay_seconds: match config.config_delay {
                ConfigDelay::NextPeriod => 0,
                ConfigDelay::Seconds(s) => s,
            },
            min_stake_seconds: config.min_stake_seconds,
            registration_window_seconds: config.registration_window_seconds,
            claim_window_seconds: config.claim_window_seconds,
            referrer_fee_bps: config.referrer_fee_bps,
            referee_multiplier_bps: config.referee_multiplier_bps,
            flat_level1_share_bps: config.flat_level1_share_bps,
            level_shares_bps: config.level_shares_bps,
            min_stake_to_earn: config.min_stake_to_earn,
            depth: config.depth,
            invite_only: u8::from(config.invite_only),
            ..HubRules::default()
        };
        if let PeriodKind::Fixed { seconds, origin } = config.period {
            r.period_seconds = seconds;
            r.period_origin = origin;
        }
        for (slot, m) in r.milestones.iter_mut().zip(&config.milestones) {
            *slot = *m;
            r.milestone_count = r.milestone_count.saturating_add(1);
        }
        for ((threshold, share), t) in r.tier_thresholds.iter_mut().zip(r.tier_shares_bps.iter_mut()).zip(&config.tiers)
        {
            (*threshold, *share) = (t.threshold, t.share_bps);
            r.tier_count = r.tier_count.saturating_add(1);
        }
        for (slot, k) in r.reporters.iter_mut().zip(&config.reporters) {
            *slot = *k;
            r.reporter_count = r.reporter_count.saturating_add(1);
        }
        r
    }

    /// The configuration these rules store.
    pub fn to_config(&self) -> HubConfig {
        let tiers = self.tier_thresholds.iter().zip(self.tier_shares_bps.iter()).take(usize::from(self.tier_count));
        HubConfig {
            referrer_fee_bps: self.referrer_fee_bps,
            referee_multiplier_bps: self.referee_multiplier_bps,
            flat_level1_share_bps: self.flat_level1_share_bps,
            depth: self.depth,
            level_shares_bps: self.level_shares_bps,
            invite_only: self.invite_only != 0,
            collection: self.collection,
            min_stake_to_earn: self.min_stake_to_earn,
            min_stake_seconds: self.min_stake_seconds,
            milestones: self.milestones().to_vec(),
            period: self.period(),
            config_delay: self.config_delay(),
            tiers: tiers.map(|(&threshold, &share_bps)| Tier { threshold, share_bps }).collect(),
            registration_window_seconds: self.registration_window_seconds,
            claim_window_seconds: self.claim_window_seconds,
            reporters: self.reporters().to_vec(),
        }
    }

    /// The milestones in use.
    pub fn milestones(&self) -> &[Milestone] {
        self.milestones.get(..usize::from(self.milestone_count)).unwrap_or(&self.milestones)
    }

    /// The reporters in use.
    pub fn reporters(&self) -> &[Pubkey] {
        self.reporters.get(..usize::from(self.reporter_count)).unwrap_or(&self.reporters)
    }

    /// How ranking periods are cut.
    pub fn period(&self) -> PeriodKind {
        match self.period_seconds {
            0 => PeriodKind::CalendarMonth,
            seconds => PeriodKind::Fixed { seconds, origin: self.period_origin },
        }
    }

    /// When configuration changes apply.
    pub fn config_delay(&self) -> ConfigDelay {
        match self.config_delay_seconds {
            0 => ConfigDelay::NextPeriod,
            s => ConfigDelay::Seconds(s),
        }
    }

    /// True when the hub runs NFT staking (a collection is configured).
    pub fn has_collection(&self) -> bool {
        self.collection != Pubkey::default()
    }

    /// True when `key` is an authorised reporter.
    pub fn is_reporter(&self, key: &Pubkey) -> bool {
        self.reporters().iter().any(|r| r == key)
    }
}
