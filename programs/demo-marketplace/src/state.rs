//! Marketplace accounts and seeds.
use anchor_lang::prelude::*;

/// Seed of the singleton [`Market`]: `[MARKET_SEED]`.
pub const MARKET_SEED: &[u8] = b"market";
/// Seed of a [`Listing`]: `[LISTING_SEED, mint]`.
pub const LISTING_SEED: &[u8] = b"listing";
/// Seed of a listing's escrow token account: `[ESCROW_SEED, listing]`.
pub const ESCROW_SEED: &[u8] = b"escrow";
/// Seed of the reporter PDA that signs `route_fee` (listed as a reporter in the hub): `[REPORTER_SEED]`.
pub const REPORTER_SEED: &[u8] = b"reporter";
/// The marketplace fee: 2%.
pub const FEE_BPS: u64 = 200;
/// Base points per trade: one point per 0.001 SOL of price.
pub const LAMPORTS_PER_POINT: u64 = 1_000_000;

/// Marketplace config. 8 + 32 + 32 + 1 + 1 = 74 bytes.
#[account]
#[derive(InitSpace)]
pub struct Market {
    /// Referral hub the marketplace reports to.
    pub hub: Pubkey,
    /// Wallet receiving the marketplace's share of fees.
    pub treasury: Pubkey,
    /// Bump of this PDA.
    pub bump: u8,
    /// Bump of the reporter PDA.
    pub reporter_bump: u8,
}

/// A listing. 8 + 32 + 32 + 8 + 1 + 1 = 82 bytes.
#[account]
#[derive(InitSpace)]
pub struct Listing {
    /// Seller, paid on purchase.
    pub seller: Pubkey,
    /// The NFT listed.
    pub mint: Pubkey,
    /// Price in lamports.
    pub price: u64,
    /// Bump of this PDA.
    pub bump: u8,
    /// Bump of its escrow.
    pub escrow_bump: u8,
}

#[error_code]
pub enum MarketError {
    #[msg("Arithmetic overflow")]
    MathOverflow,
    #[msg("The hub passed is not the marketplace's hub")]
    WrongHub,
    #[msg("The treasury passed is not the marketplace's treasury")]
    WrongTreasury,
    #[msg("The seller passed is not the listing's seller")]
    WrongSeller,
    #[msg("Price must be above zero")]
    ZeroPrice,
}
