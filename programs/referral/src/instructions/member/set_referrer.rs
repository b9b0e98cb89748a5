//! `set_referrer`: a member without a referrer sets one later, only while it has no referees.
use anchor_lang::prelude::*;

use crate::errors::ReferralError;
use crate::events::ReferrerSet;
use crate::state::{Hub, Member, ReferralCode, PAUSE_SIGNUPS};
use crate::utils::referral::{bind_referrer, check_code};

#[derive(Accounts)]
pub struct SetReferrer<'info> {
    /// The member's wallet.
    pub wallet: Signer<'info>,
    /// The member's hub.
    pub hub: Account<'info, Hub>,
    /// The member setting its referrer: proven by owner, discriminator, stored hub and stored wallet.
    #[account(
        mut,
        constraint = member.hub == hub.key() @ ReferralError::WrongHub,
        constraint = member.wallet == wallet.key() @ ReferralError::NotMemberWallet,
    )]
    pub member: Account<'info, Member>,
    /// The referrer's Member account.
    #[account(mut, constraint = referrer.hub == hub.key() @ ReferralError::ReferrerNotMember)]
    pub referrer: Account<'info, Member>,
    /// The code account, when the referrer is named by a code.
    pub code_account: Option<Account<'info, ReferralCode>>,
    // remaining_accounts: the referrer's upline members (its referrer, ...), writable, up to 3.
}

impl<'info> SetReferrer<'info> {
    /// Steps:
    /// 1. Refuse when sign-ups are paused: a late binding is a sign-up through a link.
    /// 2. Check the code against its account and the referrer, if a code is given.
    /// 3. Refuse a member that has a referrer or referees, and self-referral.
    /// 4. Bind and count at every upline level; emit `ReferrerSet`.
    pub fn handler(ctx: Context<'info, Self>, code: Option<String>) -> Result<()> {
        let accounts = ctx.accounts;
        if accounts.hub.is_paused(PAUSE_SIGNUPS) {
            return err!(ReferralError::SignupsPaused);
        }
        let hub_key = accounts.hub.key();
        check_code(&hub_key, code.as_deref(), accounts.code_account.as_deref(), Some(&accounts.referrer))?;
        let member_key = accounts.member.key();
        bind_referrer(&mut accounts.member, member_key, &mut accounts.referrer, ctx.remaining_accounts)?;
        emit!(ReferrerSet { hub: hub_key, member: member_key, referrer: accounts.referrer.key() });
        Ok(())
    }
}
