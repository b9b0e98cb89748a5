//! `close_registration`: anyone closes a registration that can no longer claim, its rent back to its
//! payer.
use anchor_lang::prelude::*;

use crate::errors::ReferralError;
use crate::logic::rewards::registration_closable;
use crate::state::{Period, Registration};

#[derive(Accounts)]
pub struct CloseRegistration<'info> {
    /// The period.
    #[account(mut)]
    pub period: Account<'info, Period>,
    /// The registration, closed here.
    #[account(
        mut,
        close = payer,
        constraint = registration.period == period.key() @ ReferralError::WrongPeriod,
        has_one = payer @ ReferralError::WrongRecipient,
    )]
    pub registration: Account<'info, Registration>,
    /// Who paid the registration's rent. Unchecked by Anchor (CHECK): `has_one` on the registration
    /// proves it; it only receives lamports.
    #[account(mut)]
    pub payer: UncheckedAccount<'info>,
}

impl CloseRegistration<'_> {
    /// Steps:
    /// 1. The registration window has closed (so the member cannot be registered again, and the period's
    ///    pools are all created), and the member claimed from every pool of the period, or every pool has
    ///    returned its rest, or every pool could have (14 days after the claim window: no claims pause can
    ///    hold a pool longer, D-47), so a pool that can never close strands no registration
    ///    (`logic::rewards::registration_closable`, `PoolsStillOpen`).
    /// 2. Count it out of the period's open registrations; close it to its payer.
    pub fn handler(ctx: Context<Self>) -> Result<()> {
        let a = ctx.accounts;
        let now = Clock::get()?.unix_timestamp;
        require!(now >= a.period.registration_end, ReferralError::PoolsStillOpen);
        let closable = registration_closable(
            a.period.claim_end,
            a.registration.claims,
            a.period.pool_count,
            a.period.open_pools,
            now,
        );
        require!(closable, ReferralError::PoolsStillOpen);
        a.period.open_registrations = a.period.open_registrations.checked_sub(1).ok_or(ReferralError::MathOverflow)?;
        Ok(())
    }
}
