//! `close_registration`: anyone closes a registration that can no longer claim, its rent back to its
//! payer.
use anchor_lang::prelude::*;

use crate::errors::ReferralError;
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
    ///    pools are all created), and the member claimed from every pool of the period or every pool is
    ///    closed (`PoolsStillOpen`): nothing can be claimed with it any more.
    /// 2. Count it out of the period's open registrations; close it to its payer.
    pub fn handler(ctx: Context<Self>) -> Result<()> {
        let a = ctx.accounts;
        let now = Clock::get()?.unix_timestamp;
        require!(now >= a.period.registration_end, ReferralError::PoolsStillOpen);
        // Pools are created only before the registration window closes and each claim of this registration
        // created one record of a distinct pool, so `claims == pool_count` means every pool was claimed.
        let claimed_all = a.registration.claims >= a.period.pool_count;
        require!(claimed_all || a.period.open_pools == 0, ReferralError::PoolsStillOpen);
        a.period.open_registrations = a.period.open_registrations.checked_sub(1).ok_or(ReferralError::MathOverflow)?;
        Ok(())
    }
}
