//! A staked NFT: one receipt per NFT, the NFT itself escrowed in a program-owned token account.
use anchor_lang::prelude::*;

/// Stake receipt, PDA `[STAKE_SEED, hub, mint]`: at most one per NFT and hub, so an NFT cannot be staked
/// twice. Closed on unstake, its rent and the escrow's back to whoever paid them (`payer`).
///
/// Size: 8 discriminator + 1 bump + 1 escrow_bump + 32 hub + 32 owner + 32 mint + 8 staked_at
/// + 8 staked_slot + 8 unlock_at + 32 payer = 162 bytes ([`StakeReceipt::SPACE`]).
#[account]
#[derive(InitSpace, Debug, PartialEq, Eq)]
pub struct StakeReceipt {
    /// Canonical bump of this PDA (it signs for the escrow). 1 byte.
    pub bump: u8,
    /// Canonical bump of the escrow token account `[ESCROW_SEED, receipt]`. 1 byte.
    pub escrow_bump: u8,
    /// Hub the NFT is staked in. 32 bytes.
    pub hub: Pubkey,
    /// Wallet that staked it and alone can unstake it. 32 bytes.
    pub owner: Pubkey,
    /// The NFT's mint. 32 bytes.
    pub mint: Pubkey,
    /// Unix time of staking. 8 bytes.
    pub staked_at: i64,
    /// Slot of staking: the NFT counts for its member from the next slot (docs/DECISIONS.md D-36). 8 bytes.
    pub staked_slot: u64,
    /// Earliest unix time of unstaking under the rules in force when it was staked: a later
    /// configuration change can shorten the lock, never lengthen it. 8 bytes.
    pub unlock_at: i64,
    /// Who paid the rent of this receipt and of the escrow (the owner or a sponsor): it gets both back on
    /// unstake. 32 bytes.
    pub payer: Pubkey,
}

impl StakeReceipt {
    /// Bytes allocated for a receipt, discriminator included.
    pub const SPACE: usize = 8 + StakeReceipt::INIT_SPACE;
}
