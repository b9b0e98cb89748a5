//! A configuration change waiting for its delay, readable on-chain by anyone.
use anchor_lang::prelude::*;

use crate::state::HubConfig;

/// Pending configuration, PDA `[PENDING_SEED, hub]`: at most one per hub; closed (rent to its payer) when
/// applied or cancelled.
///
/// Size: 8 discriminator + 1 bump + 32 hub + 32 payer + 8 proposed_at + 8 effective_at + 338 config
/// = 427 bytes ([`PendingConfig::SPACE`]).
#[account]
#[derive(InitSpace, Debug, PartialEq, Eq)]
pub struct PendingConfig {
    /// Canonical bump of this PDA. 1 byte.
    pub bump: u8,
    /// The hub the change is for. 32 bytes.
    pub hub: Pubkey,
    /// Who paid the rent (gets it back on apply or cancel). 32 bytes.
    pub payer: Pubkey,
    /// Unix time of the proposal. 8 bytes.
    pub proposed_at: i64,
    /// Unix time from which anyone may apply it. 8 bytes.
    pub effective_at: i64,
    /// The new configuration, validated at proposal. 338 bytes.
    pub config: HubConfig,
}

impl PendingConfig {
    /// Bytes allocated, discriminator included.
    pub const SPACE: usize = 8 + PendingConfig::INIT_SPACE;
}
