//! `set_pause`: the admin pauses or resumes parts of the hub.
use anchor_lang::prelude::*;

use crate::errors::ReferralError;
use crate::state::{Hub, PAUSE_CLAIMS, PAUSE_ROUTING, PAUSE_SIGNUPS, PAUSE_STAKING};

#[derive(Accounts)]
pub struct SetPause<'info> {
    pub admin: Signer<'info>,
    #[account(mut, has_one = admin @ ReferralError::NotAdmin)]
    pub hub: AccountLoader<'info, Hub>,
}

impl SetPause<'_> {
    /// Steps: refuse unknown bits; store `paused`. What a pause never blocks (unstaking, fee claims) is
    /// enforced by those instructions ignoring it (docs/DECISIONS.md D-25).
    pub fn handler(ctx: Context<Self>, paused: u8) -> Result<()> {
        let known = PAUSE_SIGNUPS | PAUSE_STAKING | PAUSE_ROUTING | PAUSE_CLAIMS;
        require!(paused & !known == 0, ReferralError::InvalidPauseBits);
        ctx.accounts.hub.load_mut()?.paused = paused;
        Ok(())
    }
}
