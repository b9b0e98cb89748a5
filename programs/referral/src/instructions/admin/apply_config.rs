//! `apply_config`: anyone applies a pending configuration once its delay has passed.
use anchor_lang::prelude::*;

use crate::errors::ReferralError;
use crate::state::{Hub, HubRules, PendingConfig};

#[derive(Accounts)]
pub struct ApplyConfig<'info> {
    /// Anyone (a crank, the admin): the change was announced and its time has come.
    pub cranker: Signer<'info>,
    #[account(mut)]
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

impl ApplyConfig<'_> {
    /// Steps: refuse before `effective_at` (`ConfigNotYetEffective`); copy the configuration into the
    /// hub; close the pending account (rent to its payer).
    pub fn handler(ctx: Context<Self>) -> Result<()> {
        let now = Clock::get()?.unix_timestamp;
        require!(now >= ctx.accounts.pending.effective_at, ReferralError::ConfigNotYetEffective);
        ctx.accounts.hub.load_mut()?.rules = HubRules::from_config(&ctx.accounts.pending.config);
        Ok(())
    }
}
