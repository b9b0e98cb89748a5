//! Program-derived addresses. Seeds come from `referral::constants`, the one place they are defined.
use anchor_lang::prelude::Pubkey;
use referral::constants::{CODE_SEED, HUB_SEED, MEMBER_SEED};
use referral::errors::ReferralError;
use referral::logic::codes;

/// The hub of `creator` with id `hub_id`, and its bump.
pub fn hub(creator: &Pubkey, hub_id: u64) -> (Pubkey, u8) {
    Pubkey::find_program_address(&[HUB_SEED, creator.as_ref(), &hub_id.to_le_bytes()], &referral::ID)
}

/// The member account of `wallet` in `hub`, and its bump.
pub fn member(hub: &Pubkey, wallet: &Pubkey) -> (Pubkey, u8) {
    Pubkey::find_program_address(&[MEMBER_SEED, hub.as_ref(), wallet.as_ref()], &referral::ID)
}

/// The code account of `code` (normalised first, as the program does) in `hub`, and its bump.
pub fn code(hub: &Pubkey, code: &str) -> Result<(Pubkey, u8), ReferralError> {
    let normalized = codes::normalize(code)?;
    Ok(Pubkey::find_program_address(&[CODE_SEED, hub.as_ref(), normalized.as_bytes()], &referral::ID))
}
