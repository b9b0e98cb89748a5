//! Points and fee routing (the per-trade path) and claims.
pub mod award_points;
pub mod claim_fees;
pub mod claim_token_fees;
pub mod route_fee;
pub mod route_fee_token;

pub use award_points::*;
pub use claim_fees::*;
pub use claim_token_fees::*;
pub use route_fee::*;
pub use route_fee_token::*;

use anchor_lang::prelude::*;

use crate::errors::ReferralError;
use crate::state::Hub;

/// Arguments of a trade report (`route_fee`, `route_fee_token`).
#[derive(AnchorSerialize, AnchorDeserialize, Clone, Copy, Debug, PartialEq, Eq)]
pub struct RouteFeeArgs {
    /// The fee the trader paid: lamports, or base units of the mint.
    pub fee: u64,
    /// Base points the trade earned (before multipliers).
    pub base_points: u64,
}

/// What `route_fee` / `route_fee_token` return to the caller as return data.
#[derive(AnchorSerialize, AnchorDeserialize, Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RouteFeeResult {
    /// Taken from the payer for the referrer (referrer_share + remainder == fee, R-4.6).
    pub referrer_share: u64,
    /// Left with the payer, for the marketplace to send where it sends its fees.
    pub remainder: u64,
    /// What arrived in the referrer's claimable balance (less than `referrer_share` only when a Token-2022
    /// transfer fee was withheld, R-4.2).
    pub credited: u64,
    /// Own points credited to the trader.
    pub own_points: u64,
    /// Referral points credited to the upline, all levels.
    pub referral_points: u64,
}

/// only a listed reporter's signature creates points.
pub fn check_reporter(hub: &Hub, reporter: &Pubkey) -> Result<()> {
    require!(hub.config.reporters.iter().any(|r| r == reporter), ReferralError::UnauthorizedReporter);
    Ok(())
}
