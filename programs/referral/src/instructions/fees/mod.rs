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
use crate::events::FeeRouted;
use crate::logic::fees::{referrer_eligible, split, FeeSplit};
use crate::logic::periods::period_index;
use crate::state::{Hub, Member, PAUSE_ROUTING};
use crate::utils::credit::{check_referrer, credit_points, load_trader};

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

impl RouteFeeResult {
    /// Nothing moved, nothing credited: the whole fee stays with the payer.
    pub fn nothing(fee: u64) -> RouteFeeResult {
        RouteFeeResult { remainder: fee, ..RouteFeeResult::default() }
    }
}

/// The steps a trade report takes before any money moves: the reporter is listed; while routing
/// is paused, or when the trader is not a member, nothing happens (`None`); the referrer passed is the
/// trader's stored referrer.
pub fn open_trade<'info>(
    hub: &Account<'info, Hub>,
    reporter: &Pubkey,
    trader: &'info AccountInfo<'info>,
    referrer: Option<&Account<'info, Member>>,
) -> Result<Option<Account<'info, Member>>> {
    check_reporter(hub, reporter)?;
    if hub.is_paused(PAUSE_ROUTING) {
        return Ok(None);
    }
    let Some(trader) = load_trader(trader, &hub.key())? else {
        return Ok(None);
    };
    check_referrer(&trader, referrer)?;
    Ok(Some(trader))
}

/// The referrer's split of `fee`, when it is eligible for a fee share and the share is non-zero.
pub fn eligible_share(hub: &Hub, referrer: &Member, fee: u64) -> Option<FeeSplit> {
    if !referrer_eligible(referrer.staked_count, hub.config.min_stake_to_earn) {
        return None;
    }
    Some(split(fee, hub.config.referrer_fee_bps))
}

/// The steps after the money moved: credit points in the current period, write the
/// trader, emit `FeeRouted` (`mint` default for SOL), and return the completed result.
pub fn close_trade<'info>(
    hub: &Account<'info, Hub>,
    mut trader: Account<'info, Member>,
    referrer: Option<&mut Account<'info, Member>>,
    upline: &'info [AccountInfo<'info>],
    args: RouteFeeArgs,
    mint: Pubkey,
    mut result: RouteFeeResult,
) -> Result<RouteFeeResult> {
    let period = period_index(&hub.config.period, Clock::get()?.unix_timestamp);
    let credited = credit_points(hub, period, &mut trader, referrer, upline, args.base_points)?;
    trader.exit(&crate::ID)?;
    result.own_points = credited.own_points;
    result.referral_points = credited.referral_points;
    emit!(FeeRouted {
        hub: hub.key(),
        trader: trader.key(),
        referrer: trader.referrer,
        mint,
        fee: args.fee,
        referrer_share: result.referrer_share,
        credited: result.credited,
        own_points: result.own_points,
        referral_points: result.referral_points,
    });
    Ok(result)
}

/// only a listed reporter's signature creates points.
pub fn check_reporter(hub: &Hub, reporter: &Pubkey) -> Result<()> {
    require!(hub.config.reporters.iter().any(|r| r == reporter), ReferralError::UnauthorizedReporter);
    Ok(())
}
