//! `route_fee`: a marketplace reports a trade paid in SOL (R-4.1 .. ).
use anchor_lang::prelude::*;
use anchor_lang::system_program::{transfer, Transfer};

use super::{close_trade, eligible_share, open_trade, Opened, RouteFeeArgs, RouteFeeResult};
use crate::errors::ReferralError;
use crate::logic::fees::ShareOutcome;
use crate::state::{Hub, Member};

#[derive(Accounts)]
pub struct RouteFee<'info> {
    /// An authorised reporter of the hub (a marketplace PDA signing by CPI, or an operator key).
    pub reporter: Signer<'info>,
    /// The hub. Read only: the per-trade path writes no hub-wide account.
    pub hub: Account<'info, Hub>,
    /// The Member of the trader's wallet (`args.trader`) in this hub, or, when that wallet is not a member,
    /// its empty Member address (then nothing is credited and nothing moves). Unchecked by Anchor (CHECK):
    /// `load_trader` proves it is one or the other.
    #[account(mut)]
    pub trader: UncheckedAccount<'info>,
    /// The trader's referrer (its Member), required when the trader has one.
    #[account(mut, constraint = referrer.hub == hub.key() @ ReferralError::ReferrerNotMember)]
    pub referrer: Option<Account<'info, Member>>,
    /// Pays the referrer's share (a signer of the outer transaction or a PDA of the caller).
    #[account(mut)]
    pub payer: Signer<'info>,
    pub system_program: Program<'info, System>,
    // remaining_accounts: the referrer's upline members, levels 2..=depth, writable.
}

impl<'info> RouteFee<'info> {
    /// Steps:
    /// 1. The reporter is listed. While routing is paused the trade goes on: nothing moves, no
    ///    points, the whole fee stays with the payer (docs/DECISIONS.md D-24).
    /// 2. The trader account is `args.trader`'s Member of this hub, or that wallet's empty Member address
    ///    (not a member: nothing moves); the referrer is its stored referrer.
    /// 3. Split the fee: the referrer's share only if it has `min_stake_to_earn` NFTs counted
    ///    (R-3.5; stakes count from the next slot); rounding down, remainder to the payer.
    /// 4. Transfer the share from the payer into the referrer's Member account; add it to its claimable
    ///    balance.
    /// 5. Credit own and referral points in the current period.
    /// 6. Emit `FeeRouted`; return (share, remainder, credited, points, outcome) as return data.
    pub fn handler(ctx: Context<'info, Self>, args: RouteFeeArgs) -> Result<RouteFeeResult> {
        let a = ctx.accounts;
        let trader = match open_trade(&a.hub, &a.reporter.key(), &a.trader, &args.trader, a.referrer.as_ref())? {
            Opened::Skip(outcome) => return Ok(RouteFeeResult::nothing(args.fee, outcome)),
            Opened::Trade(trader) => trader,
        };
        let clock = Clock::get()?;
        let mut result = RouteFeeResult::nothing(args.fee, ShareOutcome::NoReferrer);
        if let Some(referrer) = a.referrer.as_mut() {
            match eligible_share(&a.hub, referrer, args.fee, clock.slot) {
                Err(outcome) => result.outcome = outcome,
                Ok(s) => {
                    let accounts = Transfer { from: a.payer.to_account_info(), to: referrer.to_account_info() };
                    transfer(CpiContext::new(a.system_program.key(), accounts), s.referrer_share)?;
                    referrer.claimable_lamports =
                        referrer.claimable_lamports.checked_add(s.referrer_share).ok_or(ReferralError::MathOverflow)?;
                    referrer.lifetime_fee_lamports = referrer.lifetime_fee_lamports.saturating_add(s.referrer_share);
                    result = RouteFeeResult::routed(s, s.referrer_share);
                }
            }
        }
        close_trade(
            &a.hub,
            &clock,
            trader,
            a.referrer.as_mut(),
            ctx.remaining_accounts,
            args,
            Pubkey::default(),
            result,
        )
    }
}
