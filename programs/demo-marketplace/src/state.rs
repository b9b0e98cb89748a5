//! Marketplace accounts and seeds.
use anchor_lang::prelude::*;

/// Seed of a [`Market`]: `[MARKET_SEED, admin]`. One market per admin; its address derives from the
/// admin's key, so nobody else can create it first.
#[constant]
pub const MARKET_SEED: &[u8] = b"market";
/// Seed of a [`Listing`]: `[LISTING_SEED, market, mint]`.
#[constant]
pub const LISTING_SEED: &[u8] = b"listing";
/// Seed of a listing's escrow token account: `[ESCROW_SEED, listing]`.
#[constant]
pub const ESCROW_SEED: &[u8] = b"escrow";
/// Seed of a market's reporter PDA, the key a hub lists to accept this market's trade reports:
/// `[REPORTER_SEED, market]`. Each market has its own, so another market of this program cannot report
/// to a hub that listed this one.
#[constant]
pub const REPORTER_SEED: &[u8] = b"reporter";
/// The marketplace fee: 2%.
#[constant]
pub const FEE_BPS: u64 = 200;
/// Base points per trade: one point per 0.001 SOL of price.
#[constant]
pub const LAMPORTS_PER_POINT: u64 = 1_000_000;

/// A market, PDA `[MARKET_SEED, admin]`. 8 + 32 + 32 + 32 + 1 + 1 = 106 bytes.
#[account]
#[derive(InitSpace)]
pub struct Market {
    /// The admin who created it (a seed).
    pub admin: Pubkey,
    /// Referral hub the marketplace reports to.
    pub hub: Pubkey,
    /// Wallet receiving the marketplace's share of fees.
    pub treasury: Pubkey,
    /// Bump of this PDA.
    pub bump: u8,
    /// Bump of the reporter PDA.
    pub reporter_bump: u8,
}

/// A listing, PDA `[LISTING_SEED, market, mint]`. 8 + 32 + 32 + 8 + 1 + 1 = 82 bytes.
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
    #[msg("A seller cannot buy its own listing (it would turn the fee into its own referral points)")]
    SelfPurchase,
}
