//! `route_fee`: a marketplace reports a trade paid in SOL (R-4.1 .. ).
use anchor_lang::prelude::*;

use super::{close_trade, eligible_share, open_trade, Opened, RouteFeeArgs, RouteFeeResult};
use crate::logic::fees::ShareOutcome;
use crate::state::{Hub, Member};
use crate::utils::transfer::transfer_lamports;

#[derive(Accounts)]
pub struct RouteFee<'info> {
    /// An authorised reporter of the hub (a marketplace PDA signing by CPI, or an operator key).
    pub reporter: Signer<'info>,
    /// The hub. Read only: the per-trade path writes no hub-wide account.
    pub hub: AccountLoader<'info, Hub>,
    /// The Member of the trader's wallet (`args.trader`) in this hub, or, when that wallet is not a member,
    /// its empty Member address (then nothing is credited and nothing moves). Unchecked by Anchor (CHECK):
    /// `load_trader` proves it is one or the other.
    #[account(mut)]
    pub trader: UncheckedAccount<'info>,
    /// The trader's referrer (its Member), required when the trader has one: its key must be the one the
    /// trader's Member stores (so it is a Member of this hub).
    #[account(mut)]
    pub referrer: Option<AccountLoader<'info, Member>>,
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
    /// 4. Transfer the share from the payer into the referrer's Member account; no Member is
    ///    borrowed during the transfer.
    /// 5. Add it to the referrer's claimable balance; credit own and referral points in the current
    ///    period.
    /// 6. Emit `FeeRouted`; return (share, remainder, credited, points, outcome) as return data.
    pub fn handler(ctx: Context<'info, Self>, args: RouteFeeArgs) -> Result<RouteFeeResult> {
        let a = ctx.accounts;
        let hub_key = a.hub.key();
        let hub = a.hub.load()?;
        let referrer = a.referrer.as_ref();
        let trader = match open_trade(&hub, &hub_key, a.reporter.key, &a.trader, &args.trader, referrer)? {
            Opened::Skip(outcome) => return Ok(RouteFeeResult::nothing(args.fee, outcome)),
            Opened::Trade(trader) => trader,
        };
        let clock = Clock::get()?;
        let mut result = RouteFeeResult::nothing(args.fee, ShareOutcome::NoReferrer);
        if let Some(r) = referrer {
            let share = eligible_share(&hub.rules, &*r.load()?, args.fee, clock.slot);
            result = match share {
                Err(outcome) => RouteFeeResult::nothing(args.fee, outcome),
                Ok(s) => {
                    transfer_lamports(&a.payer, r.as_ref(), &a.system_program, s.referrer_share)?;
                    RouteFeeResult::routed(s, s.referrer_share)
                }
            };
        }
        let claimable = result.credited;
        let upline = ctx.remaining_accounts;
        close_trade(&hub, &hub_key, &clock, &trader, referrer, upline, args, Pubkey::default(), claimable, result)
    }
}
