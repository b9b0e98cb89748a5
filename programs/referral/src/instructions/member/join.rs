//! `join`: a wallet becomes a member of a hub, with or without a referrer (R-2.1 .. ).
use anchor_lang::prelude::*;

use crate::constants::MEMBER_SEED;
use crate::errors::ReferralError;
use crate::events::MemberJoined;
use crate::state::{Hub, Member, ReferralCode, PAUSE_SIGNUPS};
use crate::utils::create::{create_pda, write_zero_copy};
use crate::utils::referral::{bind_referrer, check_code};

#[derive(Accounts)]
pub struct Join<'info> {
    /// The joining wallet; a seed of the member address.
    pub wallet: Signer<'info>,
    /// Pays the member's rent (may be the wallet).
    #[account(mut)]
    pub payer: Signer<'info>,
    /// The hub joined. Read only: sign-ups take no hub-wide write lock.
    pub hub: AccountLoader<'info, Hub>,
    /// The new Member, created here. Unchecked by Anchor (CHECK): the seeds constraint proves the address,
    /// `create_pda` that it is empty (`AlreadyMember` otherwise).
    #[account(mut, seeds = [MEMBER_SEED, hub.key().as_ref(), wallet.key().as_ref()], bump)]
    pub member: UncheckedAccount<'info>,
    /// The referrer's Member account, when joining through a code or a referrer's address.
    #[account(mut, constraint = referrer.load()?.hub == hub.key() @ ReferralError::ReferrerNotMember)]
    pub referrer: Option<AccountLoader<'info, Member>>,
    /// The code account, when joining with a code.
    pub code_account: Option<Account<'info, ReferralCode>>,
    pub system_program: Program<'info, System>,
    // remaining_accounts: the referrer's upline members (its referrer, ...), writable, up to 3.
}

impl<'info> Join<'info> {
    /// Steps:
    /// 1. Refuse when sign-ups are paused.
    /// 2. Check the code against its account and the referrer, or take the referrer alone as the
    ///    "address as code" link; refuse no referrer on an invite-only hub unless the wallet is the hub's
    ///    admin, its root.
    /// 3. Create the member PDA (`AlreadyMember` if it exists, R-2.1).
    /// 4. Bind the referrer and count the new member at every upline level (R-2.3 .. ).
    /// 5. Write the member and emit `MemberJoined`.
    pub fn handler(ctx: Context<'info, Self>, code: Option<String>) -> Result<()> {
        let accounts = ctx.accounts;
        let hub_key = accounts.hub.key();
        let (paused, invite_only, admin) = {
            let hub = accounts.hub.load()?;
            (hub.is_paused(PAUSE_SIGNUPS), hub.rules.invite_only != 0, hub.admin)
        };
        if paused {
            return err!(ReferralError::SignupsPaused);
        }
        let mut referrer = accounts.referrer.as_ref().map(|r| r.load_mut()).transpose()?;
        let has_referrer =
            check_code(&hub_key, code.as_deref(), accounts.code_account.as_deref(), referrer.as_deref())?;
        let wallet = accounts.wallet.key();
        // The admin is the root of an invite-only hub: someone must be first.
        if invite_only && !has_referrer && wallet != admin {
            return err!(ReferralError::InviteOnly);
        }

        let member_key = accounts.member.key();
        let mut member = Member {
            bump: ctx.bumps.member,
            hub: hub_key,
            wallet,
            joined_at: Clock::get()?.unix_timestamp,
            ..Member::default()
        };
        let seeds: &[&[u8]] = &[MEMBER_SEED, hub_key.as_ref(), wallet.as_ref(), &[member.bump]];
        create_pda(
            &accounts.payer,
            &accounts.member,
            &accounts.system_program,
            seeds,
            Member::SPACE,
            &crate::ID,
            ReferralError::AlreadyMember,
        )?;
        match (referrer.as_deref_mut(), accounts.referrer.as_ref()) {
            (Some(r), Some(loader)) => bind_referrer(&mut member, member_key, loader.key(), r, ctx.remaining_accounts)?,
            _ if !ctx.remaining_accounts.is_empty() => return err!(ReferralError::UplineMismatch),
            _ => {}
        }
        write_zero_copy(&accounts.member, &member)?;
        emit!(MemberJoined { hub: hub_key, member: member_key, wallet, referrer: member.referrer });
        Ok(())
    }
}
