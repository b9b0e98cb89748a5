//! `unstake_nft`: the staker takes its NFT back, the receipt and escrow close. Never paused.
use anchor_lang::prelude::*;
use anchor_spl::token::{self, CloseAccount, Mint, Token, TokenAccount, TransferChecked};

use crate::constants::STAKE_SEED;
use crate::errors::ReferralError;
use crate::state::{Hub, Member, StakeReceipt};

#[derive(Accounts)]
pub struct UnstakeNft<'info> {
    /// The wallet that staked the NFT; receives the NFT.
    pub owner: Signer<'info>,
    /// Who paid the rent of the receipt and the escrow when the NFT was staked (the owner or a sponsor):
    /// both rents go back to it. Unchecked by Anchor (CHECK): the receipt's `has_one = payer` proves it; it
    /// only receives lamports.
    #[account(mut)]
    pub payer: UncheckedAccount<'info>,
    /// The hub (its minimum stake time applies).
    pub hub: AccountLoader<'info, Hub>,
    /// The owner's membership, whose `staked_count` goes down.
    #[account(
        mut,
        constraint = member.load()?.hub == hub.key() @ ReferralError::WrongHub,
        constraint = member.load()?.wallet == owner.key() @ ReferralError::NotMemberWallet,
    )]
    pub member: AccountLoader<'info, Member>,
    /// The staked NFT's mint.
    #[account(constraint = mint.key() == receipt.mint @ ReferralError::WrongTokenAccount)]
    pub mint: Account<'info, Mint>,
    /// The stake receipt, closed to its payer.
    #[account(
        mut,
        close = payer,
        constraint = receipt.hub == hub.key() @ ReferralError::WrongHub,
        constraint = receipt.owner == owner.key() @ ReferralError::NotStakeOwner,
        has_one = payer @ ReferralError::WrongRecipient,
    )]
    pub receipt: Account<'info, StakeReceipt>,
    /// The escrow: a token account of this mint whose authority is the receipt (only this program could
    /// have made one).
    #[account(
        mut,
        constraint = escrow.owner == receipt.key() @ ReferralError::WrongTokenAccount,
        constraint = escrow.mint == receipt.mint @ ReferralError::WrongTokenAccount,
    )]
    pub escrow: Account<'info, TokenAccount>,
    /// Where the NFT goes: a token account of the owner for this mint.
    #[account(
        mut,
        constraint = destination.owner == owner.key() @ ReferralError::WrongDestination,
        constraint = destination.mint == receipt.mint @ ReferralError::WrongDestination,
    )]
    pub destination: Account<'info, TokenAccount>,
    pub token_program: Program<'info, Token>,
}

impl UnstakeNft<'_> {
    /// Steps:
    /// 1. Refuse before the stake's unlock time: the one fixed when it was staked, or the one today's
    ///    rules give if that is earlier (R-3.3; a configuration change never lengthens a lock, R-1.3).
    /// 2. Move the NFT from escrow to the owner, signed by the receipt; close the escrow, its rent to
    ///    whoever paid it (the receipt's `payer`).
    /// 3. `staked_count -= 1` at once (and the fresh count when it was staked in this slot); the receipt
    ///    closes (rent to its payer).
    pub fn handler(ctx: Context<Self>) -> Result<()> {
        let a = &ctx.accounts;
        let clock = Clock::get()?;
        let today = a.receipt.staked_at.saturating_add(i64::from(a.hub.load()?.rules.min_stake_seconds));
        require!(clock.unix_timestamp >= a.receipt.unlock_at.min(today), ReferralError::MinStakeTimeNotReached);

        let hub_key = a.hub.key();
        let mint_key = a.receipt.mint;
        let seeds: &[&[u8]] = &[STAKE_SEED, hub_key.as_ref(), mint_key.as_ref(), &[a.receipt.bump]];
        let signer = &[seeds];
        let transfer = TransferChecked {
            from: a.escrow.to_account_info(),
            mint: a.mint.to_account_info(),
            to: a.destination.to_account_info(),
            authority: a.receipt.to_account_info(),
        };
        token::transfer_checked(CpiContext::new_with_signer(token::ID, transfer, signer), 1, 0)?;
        let close = CloseAccount {
            account: a.escrow.to_account_info(),
            destination: a.payer.to_account_info(),
            authority: a.receipt.to_account_info(),
        };
        token::close_account(CpiContext::new_with_signer(token::ID, close, signer))?;

        let staked_this_slot = a.receipt.staked_slot == clock.slot;
        let member_key = ctx.accounts.member.key();
        let mut member = ctx.accounts.member.load_mut()?;
        member.staked_count = member.staked_count.checked_sub(1).ok_or(ReferralError::MathOverflow)?;
        if staked_this_slot && member.last_stake_slot == clock.slot {
            member.fresh_stakes = member.fresh_stakes.saturating_sub(1);
        }
        emit!(crate::events::NftUnstaked {
            hub: hub_key,
            member: member_key,
            mint: mint_key,
            staked_count: member.staked_count
        });
        Ok(())
    }
}
