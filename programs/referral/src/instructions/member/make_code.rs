//! `make_code`: a member creates a vanity referral code.
use anchor_lang::prelude::*;

use crate::constants::CODE_SEED;
use crate::errors::ReferralError;
use crate::events::CodeCreated;
use crate::logic::codes;
use crate::state::{Hub, Member, ReferralCode};
use crate::utils::create::{create_pda, write_account};

#[derive(Accounts)]
pub struct MakeCode<'info> {
    /// The member's wallet.
    pub wallet: Signer<'info>,
    /// Pays the code's rent.
    #[account(mut)]
    pub payer: Signer<'info>,
    /// The hub the code is for.
    pub hub: AccountLoader<'info, Hub>,
    /// The member the code resolves to.
    #[account(
        constraint = member.load()?.hub == hub.key() @ ReferralError::WrongHub,
        constraint = member.load()?.wallet == wallet.key() @ ReferralError::NotMemberWallet,
    )]
    pub member: AccountLoader<'info, Member>,
    /// The code account, created here at `[CODE_SEED, hub, normalised code]`. Unchecked by Anchor (CHECK):
    /// the handler checks the address (the seed is the normalised code, which a seeds constraint on the raw
    /// argument could not express) and `create_pda` that it is empty (`CodeTaken` otherwise).
    #[account(mut)]
    pub code_account: UncheckedAccount<'info>,
    pub system_program: Program<'info, System>,
}

impl MakeCode<'_> {
    /// Steps:
    /// 1. Normalise the code (lowercase; 3..=32 of a-z 0-9 - _; named errors otherwise).
    /// 2. Check `code_account` is the PDA of (hub, normalised code) (`CodeAddressMismatch`).
    /// 3. Create it (`CodeTaken` if it exists: codes are unique and never reassigned).
    /// 4. Store hub, owner wallet, time and code; emit `CodeCreated`.
    pub fn handler(ctx: Context<Self>, code: String) -> Result<()> {
        let normalized = codes::normalize(&code)?;
        let accounts = &ctx.accounts;
        let hub_key = accounts.hub.key();
        let (address, bump) =
            Pubkey::find_program_address(&[CODE_SEED, hub_key.as_ref(), normalized.as_bytes()], &crate::ID);
        if address != accounts.code_account.key() {
            return err!(ReferralError::CodeAddressMismatch);
        }
        let seeds: &[&[u8]] = &[CODE_SEED, hub_key.as_ref(), normalized.as_bytes(), &[bump]];
        create_pda(
            &accounts.payer,
            &accounts.code_account,
            &accounts.system_program,
            seeds,
            ReferralCode::SPACE,
            &crate::ID,
            ReferralError::CodeTaken,
        )?;
        let owner = accounts.wallet.key();
        let record = ReferralCode {
            bump,
            hub: hub_key,
            owner,
            created_at: Clock::get()?.unix_timestamp,
            code: normalized.as_str().to_string(),
        };
        write_account(&accounts.code_account, &record)?;
        emit!(CodeCreated { hub: hub_key, owner, code: record.code });
        Ok(())
    }
}
