//! `claim_token_fees`: a member claims its accrued fee share in one mint to its own wallet.
use anchor_lang::prelude::*;
use anchor_spl::token_interface::{Mint, TokenAccount, TokenInterface};

use crate::constants::MEMBER_SEED;
use crate::errors::ReferralError;
use crate::events::FeesClaimed;
use crate::state::Member;
use crate::utils::token::pay_out;

#[derive(Accounts)]
pub struct ClaimTokenFees<'info> {
    /// The member's wallet.
    pub wallet: Signer<'info>,
    /// The member owning the vault (signs the transfer with its seeds).
    #[account(constraint = member.load()?.wallet == wallet.key() @ ReferralError::NotMemberWallet)]
    pub member: AccountLoader<'info, Member>,
    /// The mint claimed.
    #[account(mint::token_program = token_program)]
    pub mint: InterfaceAccount<'info, Mint>,
    /// The member's fee vault for this mint.
    #[account(
        mut,
        constraint = vault.owner == member.key() @ ReferralError::WrongFeeVault,
        constraint = vault.mint == mint.key() @ ReferralError::WrongFeeVault,
    )]
    pub vault: InterfaceAccount<'info, TokenAccount>,
    /// A token account of the wallet for this mint.
    #[account(
        mut,
        constraint = destination.owner == wallet.key() @ ReferralError::WrongDestination,
        constraint = destination.mint == mint.key() @ ReferralError::WrongDestination,
    )]
    pub destination: InterfaceAccount<'info, TokenAccount>,
    pub token_program: Interface<'info, TokenInterface>,
}

impl ClaimTokenFees<'_> {
    /// Steps:
    /// 1. `NothingToClaim` when the vault is empty; a named error (never a raw token-program error) when
    ///    the mint, the vault or the destination would make the transfer fail (`claim_check`: frozen
    ///    vault or destination, transfer hook, non-transferable or paused mint; docs/DECISIONS.md D-37).
    /// 2. Transfer the whole vault balance to the wallet's token account, signed by the Member PDA.
    /// 3. Emit `FeesClaimed`; return the amount sent (a Token-2022 transfer fee may withhold part of it).
    pub fn handler(ctx: Context<Self>) -> Result<u64> {
        let a = ctx.accounts;
        let amount = a.vault.amount;
        require!(amount > 0, ReferralError::NothingToClaim);
        let (hub, bump) = {
            let m = a.member.load()?;
            (m.hub, m.bump)
        };
        let wallet = a.wallet.key();
        let seeds: &[&[u8]] = &[MEMBER_SEED, hub.as_ref(), wallet.as_ref(), &[bump]];
        pay_out(&a.vault, &a.destination, &a.mint, a.member.to_account_info(), &a.token_program, seeds, amount)?;
        emit!(FeesClaimed { hub, member: a.member.key(), mint: a.mint.key(), amount });
        Ok(amount)
    }
}
