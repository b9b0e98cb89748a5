//! `accept_admin`: step two of the admin transfer: the proposed admin signs and takes over.
use anchor_lang::prelude::*;

use crate::errors::ReferralError;
use crate::state::Hub;

#[derive(Accounts)]
pub struct AcceptAdmin<'info> {
    pub new_admin: Signer<'info>,
    #[account(
        mut,
        constraint = hub.load()?.pending_admin == new_admin.key() && new_admin.key() != Pubkey::default() @ ReferralError::NotPendingAdmin,
    )]
    pub hub: AccountLoader<'info, Hub>,
}

impl AcceptAdmin<'_> {
    /// Steps: admin = the signer; clear the proposal.
    pub fn handler(ctx: Context<Self>) -> Result<()> {
        let mut hub = ctx.accounts.hub.load_mut()?;
        hub.admin = ctx.accounts.new_admin.key();
        hub.pending_admin = Pubkey::default();
        Ok(())
    }
}
