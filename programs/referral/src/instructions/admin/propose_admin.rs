//! `propose_admin`: step one of the admin transfer; `Pubkey::default()` withdraws a proposal.
use anchor_lang::prelude::*;

use crate::errors::ReferralError;
use crate::state::Hub;

#[derive(Accounts)]
pub struct ProposeAdmin<'info> {
    pub admin: Signer<'info>,
    #[account(mut, has_one = admin @ ReferralError::NotAdmin)]
    pub hub: AccountLoader<'info, Hub>,
}

impl ProposeAdmin<'_> {
    /// Steps: store the proposed admin; it takes over only when it signs `accept_admin`.
    pub fn handler(ctx: Context<Self>, new_admin: Pubkey) -> Result<()> {
        ctx.accounts.hub.load_mut()?.pending_admin = new_admin;
        Ok(())
    }
}
