//! Program-derived addresses. Seeds come from `referral::constants`, the one place they are defined.
use anchor_lang::prelude::Pubkey;
use referral::constants::{
    CODE_SEED, EDITION_SEED, ESCROW_SEED, HUB_SEED, MEMBER_SEED, METADATA_SEED, PENDING_SEED, PERIOD_SEED, POOL_SEED,
    POSITION_SEED, REGISTRATION_SEED, REWARD_CLAIM_SEED, REWARD_VAULT_SEED, STAKE_SEED, STAKE_VAULT_SEED,
    STAKING_POOL_SEED,
};
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

/// The stake receipt of `mint` in `hub`, and its bump.
pub fn stake_receipt(hub: &Pubkey, mint: &Pubkey) -> (Pubkey, u8) {
    Pubkey::find_program_address(&[STAKE_SEED, hub.as_ref(), mint.as_ref()], &referral::ID)
}

/// The escrow token account of a stake receipt, and its bump.
pub fn stake_escrow(receipt: &Pubkey) -> (Pubkey, u8) {
    Pubkey::find_program_address(&[ESCROW_SEED, receipt.as_ref()], &referral::ID)
}

/// The Token Metadata account of `mint` (Metaplex's canonical PDA).
pub fn metadata(mint: &Pubkey) -> Pubkey {
    let program = anchor_spl::metadata::ID;
    Pubkey::find_program_address(&[METADATA_SEED, program.as_ref(), mint.as_ref()], &program).0
}

/// The master edition of `mint` (Metaplex's canonical PDA): a Metaplex NFT's mint and freeze authority.
pub fn master_edition(mint: &Pubkey) -> Pubkey {
    let program = anchor_spl::metadata::ID;
    Pubkey::find_program_address(&[METADATA_SEED, program.as_ref(), mint.as_ref(), EDITION_SEED], &program).0
}

/// The fee vault of `member` for `mint`: the member's associated token account under `token_program`.
pub fn fee_vault(member: &Pubkey, mint: &Pubkey, token_program: &Pubkey) -> Pubkey {
    anchor_spl::associated_token::get_associated_token_address_with_program_id(member, mint, token_program)
}

/// The associated token account of `wallet` for `mint` under `token_program`.
pub fn ata(wallet: &Pubkey, mint: &Pubkey, token_program: &Pubkey) -> Pubkey {
    anchor_spl::associated_token::get_associated_token_address_with_program_id(wallet, mint, token_program)
}

/// The pending configuration change of `hub`, and its bump.
pub fn pending_config(hub: &Pubkey) -> (Pubkey, u8) {
    Pubkey::find_program_address(&[PENDING_SEED, hub.as_ref()], &referral::ID)
}

/// The ranking period `index` of `hub` (its reward book, R-5.4), and its bump.
pub fn period(hub: &Pubkey, index: u32) -> (Pubkey, u8) {
    Pubkey::find_program_address(&[PERIOD_SEED, hub.as_ref(), &index.to_le_bytes()], &referral::ID)
}

/// The reward pool of `funder` in `mint` (default for SOL) for `period`, and its bump.
pub fn reward_pool(period: &Pubkey, funder: &Pubkey, mint: &Pubkey) -> (Pubkey, u8) {
    Pubkey::find_program_address(&[POOL_SEED, period.as_ref(), funder.as_ref(), mint.as_ref()], &referral::ID)
}

/// The vault of a token reward pool: the pool's associated token account for `mint`.
pub fn pool_vault(pool: &Pubkey, mint: &Pubkey, token_program: &Pubkey) -> Pubkey {
    ata(pool, mint, token_program)
}

/// The registration of `member` (a Member address) for `period`, and its bump.
pub fn registration(period: &Pubkey, member: &Pubkey) -> (Pubkey, u8) {
    Pubkey::find_program_address(&[REGISTRATION_SEED, period.as_ref(), member.as_ref()], &referral::ID)
}

/// The record of `registration`'s claim from reward pool `pool`, and its bump.
pub fn reward_claim(pool: &Pubkey, registration: &Pubkey) -> (Pubkey, u8) {
    Pubkey::find_program_address(&[REWARD_CLAIM_SEED, pool.as_ref(), registration.as_ref()], &referral::ID)
}

/// Staking pool `pool_id` of `hub`, and its bump.
pub fn staking_pool(hub: &Pubkey, pool_id: u32) -> (Pubkey, u8) {
    Pubkey::find_program_address(&[STAKING_POOL_SEED, hub.as_ref(), &pool_id.to_le_bytes()], &referral::ID)
}

/// A staking pool's stake vault (a token account owned by the pool).
pub fn stake_vault(pool: &Pubkey) -> Pubkey {
    Pubkey::find_program_address(&[STAKE_VAULT_SEED, pool.as_ref()], &referral::ID).0
}

/// A staking pool's reward vault (a token account owned by the pool).
pub fn reward_vault(pool: &Pubkey) -> Pubkey {
    Pubkey::find_program_address(&[REWARD_VAULT_SEED, pool.as_ref()], &referral::ID).0
}

/// The position of `member` (a Member address) in staking pool `pool`, and its bump.
pub fn position(pool: &Pubkey, member: &Pubkey) -> (Pubkey, u8) {
    Pubkey::find_program_address(&[POSITION_SEED, pool.as_ref(), member.as_ref()], &referral::ID)
}
