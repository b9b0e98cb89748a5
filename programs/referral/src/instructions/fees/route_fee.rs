//! `route_fee`: a marketplace reports a trade paid in SOL (R-4.1 .. ).
use anchor_lang::prelude::*;
use anchor_lang::system_program::{transfer, Transfer};

use super::{close_trade, eligible_share, open_trade, RouteFeeArgs, RouteFeeResult};
use crate::errors::ReferralError;
use crate::state::{Hub, Member};

#[derive(Accounts)]
pub struct RouteFee<'info> {
    /// An authorised reporter of the hub (a marketplace PDA signing by CPI, or an operator key).
    pub reporter: Signer<'info>,
    /// The hub. Read only: the per-trade path writes no hub-wide account.
    pub hub: Account<'info, Hub>,
    /// CHECK: the trader's Member PDA, or an empty account when the trader is not a member (then nothing
    /// is credited and nothing moves); loaded and checked by `load_trader`.
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
    ///    points, the whole fee stays with the payer (docs/DECISIONS.md).
    /// 2. Load the trader's Member (none: nothing moves); check the referrer is its stored referrer.
    /// 3. Split the fee: the referrer's share only if it has `min_stake_to_earn` NFTs staked
    ///    rounding down, remainder to the payer.
    /// 4. Transfer the share from the payer into the referrer's Member account; add it to its claimable
    ///    balance.
    /// 5. Credit own and referral points in the current period.
    /// 6. Emit `FeeRouted`; return (share, remainder, credited, points) as return data.
    pub fn handler(ctx: Context<'info, Self>, args: RouteFeeArgs) -> Result<RouteFeeResult> {
        let a = ctx.accounts;
        let Some(trader) = open_trade(&a.hub, &a.reporter.key(), &a.trader, a.referrer.as_ref())? else {
            return Ok(RouteFeeResult::nothing(args.fee));
        };
        let mut result = RouteFeeResult::nothing(args.fee);
        if let Some(referrer) = a.referrer.as_mut() {
            if let Some(s) = eligible_share(&a.hub, referrer, args.fee) {
                if s.referrer_share > 0 {
                    let accounts = Transfer { from: a.payer.to_account_info(), to: referrer.to_account_info() };
                    transfer(CpiContext::new(a.system_program.key(), accounts), s.referrer_share)?;
                    referrer.claimable_lamports =
                        referrer.claimable_lamports.checked_add(s.referrer_share).ok_or(ReferralError::MathOverflow)?;
                    referrer.lifetime_fee_lamports = referrer.lifetime_fee_lamports.saturating_add(s.referrer_share);
                }
                result.referrer_share = s.referrer_share;
                result.remainder = s.remainder;
                result.credited = s.referrer_share;
            }
        }
        close_trade(&a.hub, trader, a.referrer.as_mut(), ctx.remaining_accounts, args, Pubkey::default(), result)
    }
}
