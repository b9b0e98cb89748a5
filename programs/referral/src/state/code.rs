//! A vanity referral code. Created once, never reassigned or closed.
use anchor_lang::prelude::*;

use crate::constants::MAX_CODE_LEN;

/// Referral code account, PDA `[CODE_SEED, hub, code]` where `code` is the normalised code.
///
/// Size: 8 discriminator + 1 bump + 32 hub + 32 owner + 8 created_at + (4 + 32) code = 117 bytes
/// ([`ReferralCode::SPACE`]). The PDA address makes the code unique per hub; since the account is never
/// closed, a code is never reassigned.
#[account]
#[derive(InitSpace, Debug, PartialEq, Eq)]
pub struct ReferralCode {
    /// Canonical bump of this PDA. 1 byte.
    pub bump: u8,
    /// Hub the code belongs to. 32 bytes.
    pub hub: Pubkey,
    /// Wallet of the member the code resolves to. 32 bytes.
    pub owner: Pubkey,
    /// Unix time of creation. 8 bytes.
    pub created_at: i64,
    /// The normalised code (3..=32 of a-z 0-9 - _). 4 + 32 bytes.
    #[max_len(MAX_CODE_LEN)]
    pub code: String,
}

impl ReferralCode {
    /// Bytes allocated for a code, discriminator included.
    pub const SPACE: usize = 8 + ReferralCode::INIT_SPACE;
}
