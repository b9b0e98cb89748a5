//! `award_points`: a reporter grants points for activity that is not a fee.
use anchor_lang::prelude::*;

use super::check_reporter;
use crate::errors::ReferralError;
use crate::events::PointsAwarded;
use crate::state::{Hub, Member, PAUSE_ROUTING};
use crate::utils::credit::{check_referrer, credit_points, load_trader, Credited};

#[derive(Accounts)]
pub struct AwardPoints<'info> {
    /// An authorised reporter of the hub.
    pub reporter: Signer<'info>,
    /// The hub (read only, R-5.5).
    pub hub: Account<'info, Hub>,
    /// The Member of the trader's wallet (`trader`), or that wallet's empty Member address (not a member:
    /// nothing is credited). Unchecked by Anchor (CHECK): `load_trader` proves it is one or the other.
    #[account(mut)]
    pub trader: UncheckedAccount<'info>,
    /// The member's referrer, required when it has one.
    #[account(mut, constraint = referrer.hub == hub.key() @ ReferralError::ReferrerNotMember)]
    pub referrer: Option<Account<'info, Member>>,
    // remaining_accounts: the referrer's upline members, levels 2..=depth, writable.
}

impl<'info> AwardPoints<'info> {
    /// Steps:
    /// 1. Reporter listed; refused while routing is paused (`RoutingPaused`: no trade depends on it).
    /// 2. Load `trader`'s Member (its empty Member address: nothing credited); check its referrer.
    /// 3. Credit own and referral points exactly as a trade would, moving no money.
    /// 4. Emit `PointsAwarded`; return the points credited.
    pub fn handler(ctx: Context<'info, Self>, trader: Pubkey, base_points: u64) -> Result<Credited> {
        let a = ctx.accounts;
        let hub = &a.hub;
        check_reporter(hub, &a.reporter.key())?;
        require!(!hub.is_paused(PAUSE_ROUTING), ReferralError::RoutingPaused);
        let Some(mut trader) = load_trader(&a.trader, &hub.key(), &trader)? else {
            return Ok(Credited::default());
        };
        check_referrer(&trader, a.referrer.as_ref())?;
        let clock = Clock::get()?;
        let credited =
            credit_points(hub, &clock, &mut trader, a.referrer.as_mut(), ctx.remaining_accounts, base_points)?;
        trader.exit(&crate::ID)?;
        emit!(PointsAwarded {
            hub: hub.key(),
            trader: trader.key(),
            own_points: credited.own_points,
            referral_points: credited.referral_points,
        });
        Ok(credited)
    }
}
