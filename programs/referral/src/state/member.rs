//! A wallet's membership of one hub: its place in the referral graph, its counts, and the figures
//! that later instructions (staking, fee routing, periods) update in place.
use anchor_lang::prelude::*;

use crate::constants::MAX_DEPTH;

/// Member account, PDA `[MEMBER_SEED, hub, wallet]`: one per hub and wallet. Zero-copy (`AccountLoader`):
/// every trade reads and writes up to four of them, and a cast costs a fraction of a borsh round trip
/// (docs/DECISIONS.md D-43).
///
/// Size: 8 discriminator + 192 fields = 200 bytes ([`Member::SPACE`]; goal <= 200). Fields are ordered by
/// alignment (8-byte values, keys, 4-, 2-, 1-byte values) so the `repr(C)` layout has no hidden padding;
/// the only padding is the 2 named bytes at the end that round the struct to its 8-byte alignment. Every
/// byte:
///
/// | field | bytes | why it is here |
/// |---|---:|---|
/// | joined_at | 8 | unix time of joining (display; period maths of later issues) |
/// | last_stake_slot | 8 | slot of the latest stake: a stake counts from the next slot on (D-36) |
/// | own_points | 8 | own points this period (R-4.3) |
/// | referral_points | 8 | referral points this period, the ranking key (R-5.6) |
/// | prev_own_points | 8 | final own points of `prev_period` |
/// | prev_referral_points | 8 | final referral points of `prev_period` (tier registration, R-5.4) |
/// | claimable_lamports | 8 | SOL fee share accrued in this account's own lamports, not yet claimed (R-4.2, R-4.8) |
/// | lifetime_fee_lamports | 8 | all SOL fee share ever credited (display; never decreases) |
/// | hub | 32 | identity: proves with owner + discriminator which hub this member is of (no seed re-derivation) |
/// | wallet | 32 | identity: the wallet that signs for this member |
/// | referrer | 32 | the referrer's *Member* address (default = none): upline checks are key compares (R-2.5) |
/// | referee_counts | 16 | members below at levels 1..=4, `[0]` = direct referees; u32 each |
/// | period | 4 | index of the ranking period `own_points`/`referral_points` belong to (R-5.2) |
/// | prev_period | 4 | index of the previous period whose final figures are kept (R-5.2) |
/// | staked_count | 2 | NFTs staked now (R-3.3; milestone input, u16 as the schedule's counts) |
/// | fresh_stakes | 2 | how many of them were staked in slot `last_stake_slot` (not counted in that slot) |
/// | bump | 1 | canonical bump, so clients and CPI callers never search for it |
/// | flags | 1 | `MEMBER_FLAG_*`: registration of `prev_period` (R-5.4; claims are recorded per pool on the `Registration`) |
/// | _padding | 2 | rounds the struct to its 8-byte alignment (zero; never read) |
///
/// Token fee shares live in per-mint vault accounts of the member, pool positions in per-pool
/// accounts (R-6.x), stake receipts per NFT: none of those grow this account.
#[account(zero_copy)]
#[derive(Debug, PartialEq, Eq, Default)]
pub struct Member {
    /// Unix time the member joined. 8 bytes.
    pub joined_at: i64,
    /// Slot of the member's latest stake. 8 bytes.
    pub last_stake_slot: u64,
    /// Own points in `period`. 8 bytes.
    pub own_points: u64,
    /// Referral points in `period`. 8 bytes.
    pub referral_points: u64,
    /// Own points at the end of `prev_period`. 8 bytes.
    pub prev_own_points: u64,
    /// Referral points at the end of `prev_period`. 8 bytes.
    pub prev_referral_points: u64,
    /// SOL fee share claimable, held as this account's lamports above rent. 8 bytes.
    pub claimable_lamports: u64,
    /// SOL fee share credited over the member's lifetime. 8 bytes.
    pub lifetime_fee_lamports: u64,
    /// Hub this member belongs to. 32 bytes.
    pub hub: Pubkey,
    /// Wallet that owns this membership. 32 bytes.
    pub wallet: Pubkey,
    /// Member account of the referrer; `Pubkey::default()` when none. Set once. 32 bytes.
    pub referrer: Pubkey,
    /// Members below at each level: `[0]` direct referees, `[1]` their referees, .... 16 bytes.
    pub referee_counts: [u32; MAX_DEPTH as usize],
    /// Ranking period of the current figures. 4 bytes.
    pub period: u32,
    /// Previous period kept readable. 4 bytes.
    pub prev_period: u32,
    /// NFTs currently staked. 2 bytes.
    pub staked_count: u16,
    /// Of `staked_count`, the NFTs staked in slot `last_stake_slot`: they count for fee eligibility and
    /// milestones only from the next slot (docs/DECISIONS.md D-36). 2 bytes.
    pub fresh_stakes: u16,
    /// Canonical bump of this PDA. 1 byte.
    pub bump: u8,
    /// `MEMBER_FLAG_*` bits. 1 byte.
    pub flags: u8,
    /// Alignment padding, always zero. 2 bytes.
    pub _padding: [u8; 2],
}

/// `Member::flags`: the previous period's figures are registered in its tier totals; the
/// `Registration` account holds them from then on. Bits 1..=7 are unused (zero).
#[constant]
pub const MEMBER_FLAG_PREV_REGISTERED: u8 = 1 << 0;

impl Member {
    /// Bytes allocated for a member, discriminator included.
    pub const SPACE: usize = 8 + core::mem::size_of::<Member>();

    /// True when the member has a referrer.
    pub fn has_referrer(&self) -> bool {
        self.referrer != Pubkey::default()
    }

    /// Direct referees (level 1).
    pub fn direct_referees(&self) -> u32 {
        self.referee_counts[0]
    }

    /// Referral points of period `index` as this member's figures still hold them: the current figures
    /// when they are of `index`, the kept previous figures when those are, else 0 (the member earned
    /// nothing in `index`, or its figures rolled past it). With the registration window no longer than
    /// the shortest period (D-27), a period's figures are still held throughout its registration window.
    pub fn referral_points_in(&self, index: u32) -> u64 {
        if self.period == index {
            self.referral_points
        } else if self.prev_period == index {
            self.prev_referral_points
        } else {
            0
        }
    }

    /// NFTs that count for fee eligibility and milestones in `slot`: a stake counts from
    /// the slot after it was made, so stake, trade and unstake in one transaction or slot earn nothing.
    pub fn counted_stakes(&self, slot: u64) -> u16 {
        crate::logic::milestones::counted_stakes(self.staked_count, self.fresh_stakes, self.last_stake_slot, slot)
    }
}
