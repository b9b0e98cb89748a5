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
use crate::logic::fees::{referrer_eligible, split, FeeSplit, ShareOutcome};
use crate::state::{Hub, HubRules, Member, PAUSE_ROUTING};
use crate::utils::credit::{check_referrer, credit_points, load_trader};

/// Arguments of a trade report (`route_fee`, `route_fee_token`). 48 bytes of borsh ([`RouteFeeArgs::LEN`]).
#[derive(AnchorSerialize, AnchorDeserialize, Clone, Copy, Debug, PartialEq, Eq)]
pub struct RouteFeeArgs {
    /// The trader's wallet: the Member credited must be this wallet's Member of the hub, or, when the
    /// wallet is not a member, the `trader` account must be its (empty) Member address.
    pub trader: Pubkey,
    /// The fee the trader paid: lamports, or base units of the mint.
    pub fee: u64,
    /// Base points the trade earned (before multipliers).
    pub base_points: u64,
}

impl RouteFeeArgs {
    /// Serialized size (borsh): the wallet and two u64.
    pub const LEN: usize = 32 + 8 + 8;
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
    /// `Routed`, or why nothing moved (then `referrer_share` is 0 and `remainder` the whole fee).
    pub outcome: ShareOutcome,
}

impl RouteFeeResult {
    /// Serialized size (borsh): five u64 and the one-byte outcome.
    pub const LEN: usize = 5 * 8 + 1;

    /// Nothing moved, nothing credited: the whole fee stays with the payer, for `outcome`'s reason.
    pub fn nothing(fee: u64, outcome: ShareOutcome) -> RouteFeeResult {
        RouteFeeResult { remainder: fee, outcome, ..RouteFeeResult::default() }
    }

    /// The `FeeRouted` event of this result: `trader` is the trader's Member, `referrer` its stored referrer
    /// (default when none), `mint` default for SOL.
    pub fn event(&self, hub: Pubkey, trader: Pubkey, referrer: Pubkey, mint: Pubkey, fee: u64) -> FeeRouted {
        FeeRouted {
            hub,
            trader,
            referrer,
            mint,
            fee,
            referrer_share: self.referrer_share,
            credited: self.credited,
            own_points: self.own_points,
            referral_points: self.referral_points,
            outcome: self.outcome,
        }
    }

    /// The share of `s` moved and `credited` arrived.
    pub fn routed(s: FeeSplit, credited: u64) -> RouteFeeResult {
        RouteFeeResult {
            referrer_share: s.referrer_share,
            remainder: s.remainder,
            credited,
            outcome: ShareOutcome::Routed,
            ..RouteFeeResult::default()
        }
    }
}

/// A trade report after its first checks: either it stops here (nothing moves, for this reason) or it
/// goes on with the trader's Member.
pub enum Opened<'info> {
    /// Nothing moves and nothing is credited.
    Skip(ShareOutcome),
    /// The trader is a member: its referrer (if any) is checked.
    Trade(AccountLoader<'info, Member>),
}

/// The steps a trade report takes before any money moves: the reporter is listed; while routing
/// is paused nothing happens; the trader account is the reported wallet's Member, or its empty Member
/// address for a non-member, whose report takes no referrer, vault or upline accounts
/// (`others_passed`, `NonMemberTakesNoReferrer`: nothing passed is silently ignored); the referrer passed
/// is the trader's stored referrer (and so a Member of this hub: the link was made by `bind_referrer`,
/// which checked it).
pub fn open_trade<'info>(
    hub: &Hub,
    hub_key: &Pubkey,
    reporter: &Pubkey,
    trader: &'info AccountInfo<'info>,
    trader_wallet: &Pubkey,
    referrer: Option<&AccountLoader<'info, Member>>,
    others_passed: bool,
) -> Result<Opened<'info>> {
    require!(hub.rules.is_reporter(reporter), ReferralError::UnauthorizedReporter);
    if hub.is_paused(PAUSE_ROUTING) {
        return Ok(Opened::Skip(ShareOutcome::RoutingPaused));
    }
    let Some(trader) = load_trader(trader, hub_key, trader_wallet)? else {
        require!(referrer.is_none() && !others_passed, ReferralError::NonMemberTakesNoReferrer);
        return Ok(Opened::Skip(ShareOutcome::NotMember));
    };
    check_referrer(&*trader.load()?, referrer.map(|r| r.key()).as_ref())?;
    Ok(Opened::Trade(trader))
}

/// The referrer's split of `fee` in `slot`, or why it gets none: fewer NFTs counted than the hub's
/// `min_stake_to_earn` (R-3.5; a stake counts from the slot after it was made), or a zero share.
pub fn eligible_share(
    rules: &HubRules,
    referrer: &Member,
    fee: u64,
    slot: u64,
) -> core::result::Result<FeeSplit, ShareOutcome> {
    if !referrer_eligible(referrer.counted_stakes(slot), rules.min_stake_to_earn) {
        return Err(ShareOutcome::NotEligible);
    }
    let s = split(fee, rules.referrer_fee_bps);
    if s.referrer_share == 0 {
        return Err(ShareOutcome::ZeroShare);
    }
    Ok(s)
}

/// The steps after the money moved: credit points in the current period to the
/// trader, its referrer (adding `claimable` lamports to its balance, SOL only) and the upline, emit
/// `FeeRouted` (`mint` default for SOL), and return the completed result.
#[allow(clippy::too_many_arguments)]
pub fn close_trade<'info>(
    hub: &Hub,
    hub_key: &Pubkey,
    clock: &Clock,
    trader: &AccountLoader<'info, Member>,
    referrer: Option<&AccountLoader<'info, Member>>,
    upline: &'info [AccountInfo<'info>],
    args: RouteFeeArgs,
    mint: Pubkey,
    claimable: u64,
    mut result: RouteFeeResult,
) -> Result<RouteFeeResult> {
    let mut t = trader.load_mut()?;
    let mut r = referrer.map(|r| r.load_mut()).transpose()?;
    if let Some(r) = r.as_deref_mut() {
        if claimable > 0 {
            r.claimable_lamports = r.claimable_lamports.checked_add(claimable).ok_or(ReferralError::MathOverflow)?;
            r.lifetime_fee_lamports = r.lifetime_fee_lamports.saturating_add(claimable);
        }
    }
    let credited = credit_points(&hub.rules, clock, &mut t, r.as_deref_mut(), upline, args.base_points)?;
    result.own_points = credited.own_points;
    result.referral_points = credited.referral_points;
    emit!(result.event(*hub_key, trader.key(), t.referrer, mint, args.fee));
    Ok(result)
}

#[cfg(test)]
mod tests {
    use super::*;

    // a trade report's arguments and return data are LEN bytes of borsh.
    #[test]
    fn result_len() {
        let r = RouteFeeResult { outcome: ShareOutcome::PayerCpiGuard, ..RouteFeeResult::default() };
        assert_eq!(borsh::to_vec(&r).ok().map(|v| v.len()), Some(RouteFeeResult::LEN));
        let args = RouteFeeArgs { trader: Pubkey::new_unique(), fee: u64::MAX, base_points: 1 };
        assert_eq!(borsh::to_vec(&args).ok().map(|v| v.len()), Some(RouteFeeArgs::LEN));
    }
}
