//! Events emitted at the end of each instruction (read by indexers, the CLI and the app).
use anchor_lang::prelude::*;

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
