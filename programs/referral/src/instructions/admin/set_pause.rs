//! `set_pause`: the admin pauses or resumes parts of the hub.
use anchor_lang::prelude::*;

use crate::errors::ReferralError;
use crate::logic::rewards::claims_pause_allowed;
use crate::state::{Hub, PAUSE_CLAIMS, PAUSE_ROUTING, PAUSE_SIGNUPS, PAUSE_STAKING};

#[derive(Accounts)]
pub struct SetPause<'info> {
    pub admin: Signer<'info>,
    #[account(mut, has_one = admin @ ReferralError::NotAdmin)]
    pub hub: AccountLoader<'info, Hub>,
}

impl SetPause<'_> {
    /// Steps:
    /// 1. Refuse unknown bits (`InvalidPauseBits`).
    /// 2. When the claims pause goes from off to on: refuse it within `2 x MAX_CLAIMS_PAUSE_SECONDS` of the
    ///    last one (`ClaimsPauseCooldown`), and record the time (`claims_paused_at`): the pause holds reward
    ///    claims back for at most `MAX_CLAIMS_PAUSE_SECONDS` from then (R-1.4, docs/DECISIONS.md D-47).
    /// 3. Store `paused`.
    ///
    /// What a pause never blocks (unstaking, fee claims) is enforced by those instructions ignoring it
    /// (docs/DECISIONS.md D-25).
    pub fn handler(ctx: Context<Self>, paused: u8) -> Result<()> {
        let known = PAUSE_SIGNUPS | PAUSE_STAKING | PAUSE_ROUTING | PAUSE_CLAIMS;
        require!(paused & !known == 0, ReferralError::InvalidPauseBits);
        let mut hub = ctx.accounts.hub.load_mut()?;
        if paused & PAUSE_CLAIMS != 0 && !hub.is_paused(PAUSE_CLAIMS) {
            let now = Clock::get()?.unix_timestamp;
            require!(claims_pause_allowed(hub.claims_paused_at, now), ReferralError::ClaimsPauseCooldown);
            hub.claims_paused_at = now;
        }
        hub.paused = paused;
        Ok(())
    }
}
