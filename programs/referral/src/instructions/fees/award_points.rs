//! `award_points`: a reporter grants points for activity that is not a fee.
use anchor_lang::prelude::*;

use crate::errors::ReferralError;
use crate::events::PointsAwarded;
use crate::state::{Hub, Member, PAUSE_ROUTING};
use crate::utils::credit::{check_referrer, credit_points, load_trader, Credited};

#[derive(Accounts)]
pub struct AwardPoints<'info> {
    /// An authorised reporter of the hub.
    pub reporter: Signer<'info>,
    /// The hub (read only, R-5.5).
    pub hub: AccountLoader<'info, Hub>,
    /// The Member of the trader's wallet (`trader`), or that wallet's empty Member address (not a member:
    /// nothing is credited). Unchecked by Anchor (CHECK): `load_trader` proves it is one or the other.
    #[account(mut)]
    pub trader: UncheckedAccount<'info>,
    /// The member's referrer, required when it has one (its key must be the one the member stores).
    #[account(mut)]
    pub referrer: Option<AccountLoader<'info, Member>>,
    // remaining_accounts: the referrer's upline members, levels 2..=depth, writable.
}

impl<'info> AwardPoints<'info> {
    /// Steps:
    /// 1. Reporter listed; refused while routing is paused (`RoutingPaused`: no trade depends on it).
    /// 2. Load `trader`'s Member (its empty Member address: nothing credited, and no referrer or upline
    ///    accounts may be passed, `NonMemberTakesNoReferrer`); check its referrer.
    /// 3. Credit own and referral points exactly as a trade would, moving no money.
    /// 4. Emit `PointsAwarded`; return the points credited.
    pub fn handler(ctx: Context<'info, Self>, trader: Pubkey, base_points: u64) -> Result<Credited> {
        let a = ctx.accounts;
        let hub_key = a.hub.key();
        let hub = a.hub.load()?;
        require!(hub.rules.is_reporter(a.reporter.key), ReferralError::UnauthorizedReporter);
        require!(!hub.is_paused(PAUSE_ROUTING), ReferralError::RoutingPaused);
        let Some(member) = load_trader(&a.trader, &hub_key, &trader)? else {
            require!(
                a.referrer.is_none() && ctx.remaining_accounts.is_empty(),
                ReferralError::NonMemberTakesNoReferrer
            );
            return Ok(Credited::default());
        };
        let mut m = member.load_mut()?;
        check_referrer(&m, a.referrer.as_ref().map(|r| r.key()).as_ref())?;
        let mut referrer = a.referrer.as_ref().map(|r| r.load_mut()).transpose()?;
        let clock = Clock::get()?;
        let credited =
            credit_points(&hub.rules, &clock, &mut m, referrer.as_deref_mut(), ctx.remaining_accounts, base_points)?;
        emit!(PointsAwarded {
            hub: hub_key,
            trader: member.key(),
            own_points: credited.own_points,
            referral_points: credited.referral_points,
        });
        Ok(credited)
    }
}
