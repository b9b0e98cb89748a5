//! `cancel_config`: the admin withdraws a pending configuration change.
use anchor_lang::prelude::*;

use crate::errors::ReferralError;
use crate::state::{Hub, PendingConfig};

#[derive(Accounts)]
pub struct CancelConfig<'info> {
    pub admin: Signer<'info>,
    #[account(has_one = admin @ ReferralError::NotAdmin)]
    pub hub: AccountLoader<'info, Hub>,
    #[account(
        mut,
        close = payer,
        constraint = pending.hub == hub.key() @ ReferralError::WrongHub,
        has_one = payer @ ReferralError::WrongDestination,
    )]
    pub pending: Account<'info, PendingConfig>,
    /// Who paid the pending account's rent, refunded. Unchecked (CHECK): `has_one` on `pending` proves it.
    #[account(mut)]
    pub payer: UncheckedAccount<'info>,
}

impl CancelConfig<'_> {
    /// Steps: close the pending account (rent to its payer); the hub's configuration is unchanged.
    pub fn handler(_ctx: Context<Self>) -> Result<()> {
        Ok(())
    }
}
