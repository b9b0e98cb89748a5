//! `stake_nft`: a member stakes an SPL NFT of the hub's collection into escrow.
use anchor_lang::prelude::*;
use anchor_spl::metadata::mpl_token_metadata::types::TokenStandard;
use anchor_spl::metadata::{self, MetadataAccount};
use anchor_spl::token::{self, InitializeAccount3, Mint, Token, TokenAccount, TransferChecked};

use crate::constants::{ESCROW_SEED, METADATA_SEED, STAKE_SEED};
use crate::errors::ReferralError;
use crate::state::{Hub, Member, StakeReceipt, PAUSE_STAKING};
use crate::utils::create::{create_pda, write_account};

#[derive(Accounts)]
pub struct StakeNft<'info> {
    /// The NFT's holder and the member's wallet.
    pub owner: Signer<'info>,
    /// Pays the receipt's and the escrow's rent.
    #[account(mut)]
    pub payer: Signer<'info>,
    /// The hub; its `config.collection` is the collection staked NFTs must belong to.
    pub hub: Account<'info, Hub>,
    /// The owner's membership, whose `staked_count` goes up.
    #[account(
        mut,
        constraint = member.hub == hub.key() @ ReferralError::WrongHub,
        constraint = member.wallet == owner.key() @ ReferralError::NotMemberWallet,
    )]
    pub member: Account<'info, Member>,
    /// The NFT's mint (SPL Token).
    pub mint: Account<'info, Mint>,
    /// The owner's token account holding the NFT.
    #[account(mut)]
    pub owner_token: Account<'info, TokenAccount>,
    /// The mint's Token Metadata account (owner checked by the type, address in the handler).
    pub metadata: Account<'info, MetadataAccount>,
    /// CHECK: created here at `[STAKE_SEED, hub, mint]` (seeds constraint); `AlreadyStaked` if it exists.
    #[account(mut, seeds = [STAKE_SEED, hub.key().as_ref(), mint.key().as_ref()], bump)]
    pub receipt: UncheckedAccount<'info>,
    /// CHECK: created here at `[ESCROW_SEED, receipt]` (seeds constraint) as a token account of the receipt.
    #[account(mut, seeds = [ESCROW_SEED, receipt.key().as_ref()], bump)]
    pub escrow: UncheckedAccount<'info>,
    pub token_program: Program<'info, Token>,
    pub system_program: Program<'info, System>,
}

impl StakeNft<'_> {
    /// Steps:
    /// 1. Refuse when the hub has no collection or staking is paused.
    /// 2. The mint is an NFT: decimals 0 and supply 1 (`NotAnNft`).
    /// 3. The signer holds it: its token account has this mint, is owned by the signer, holds 1.
    /// 4. The metadata is the canonical Token Metadata PDA of the mint; programmable NFTs are refused;
    ///    its collection is verified and is the hub's.
    /// 5. Create the receipt (`AlreadyStaked` if it exists) and the escrow token account (authority: the
    ///    receipt); move the NFT into escrow.
    /// 6. `staked_count += 1`.
    pub fn handler(ctx: Context<Self>) -> Result<()> {
        let a = &ctx.accounts;
        let hub = &a.hub;
        require!(hub.has_collection(), ReferralError::StakingDisabled);
        require!(!hub.is_paused(PAUSE_STAKING), ReferralError::StakingPaused);
        require!(a.mint.decimals == 0 && a.mint.supply == 1, ReferralError::NotAnNft);
        let mint_key = a.mint.key();
        require!(
            a.owner_token.mint == mint_key && a.owner_token.owner == a.owner.key() && a.owner_token.amount == 1,
            ReferralError::NotNftOwner
        );
        let (metadata_address, _) =
            Pubkey::find_program_address(&[METADATA_SEED, metadata::ID.as_ref(), mint_key.as_ref()], &metadata::ID);
        require_keys_eq!(a.metadata.key(), metadata_address, ReferralError::InvalidMetadataAccount);
        require_keys_eq!(a.metadata.mint, mint_key, ReferralError::InvalidMetadataAccount);
        match a.metadata.token_standard {
            Some(TokenStandard::ProgrammableNonFungible | TokenStandard::ProgrammableNonFungibleEdition) => {
                return err!(ReferralError::ProgrammableNftUnsupported)
            }
            Some(TokenStandard::Fungible | TokenStandard::FungibleAsset) => return err!(ReferralError::NotAnNft),
            _ => {}
        }
        let collection = a.metadata.collection.as_ref().ok_or(ReferralError::WrongCollection)?;
        require_keys_eq!(collection.key, hub.config.collection, ReferralError::WrongCollection);
        require!(collection.verified, ReferralError::CollectionNotVerified);

        let hub_key = hub.key();
        let receipt_bump = ctx.bumps.receipt;
        let escrow_bump = ctx.bumps.escrow;
        let receipt_key = a.receipt.key();
        let receipt_seeds: &[&[u8]] = &[STAKE_SEED, hub_key.as_ref(), mint_key.as_ref(), &[receipt_bump]];
        create_pda(
            &a.payer,
            &a.receipt,
            &a.system_program,
            receipt_seeds,
            StakeReceipt::SPACE,
            &crate::ID,
            ReferralError::AlreadyStaked,
        )?;
        let escrow_seeds: &[&[u8]] = &[ESCROW_SEED, receipt_key.as_ref(), &[escrow_bump]];
        create_pda(
            &a.payer,
            &a.escrow,
            &a.system_program,
            escrow_seeds,
            TokenAccount::LEN,
            &token::ID,
            ReferralError::AlreadyStaked,
        )?;
        let init = InitializeAccount3 {
            account: a.escrow.to_account_info(),
            mint: a.mint.to_account_info(),
            authority: a.receipt.to_account_info(),
        };
        token::initialize_account3(CpiContext::new(token::ID, init))?;
        let transfer = TransferChecked {
            from: a.owner_token.to_account_info(),
            mint: a.mint.to_account_info(),
            to: a.escrow.to_account_info(),
            authority: a.owner.to_account_info(),
        };
        token::transfer_checked(CpiContext::new(token::ID, transfer), 1, 0)?;

        let receipt = StakeReceipt {
            bump: receipt_bump,
            escrow_bump,
            hub: hub_key,
            owner: a.owner.key(),
            mint: mint_key,
            staked_at: Clock::get()?.unix_timestamp,
        };
        write_account(&a.receipt, &receipt)?;
        let member = &mut ctx.accounts.member;
        member.staked_count = member.staked_count.checked_add(1).ok_or(ReferralError::MathOverflow)?;
        emit!(crate::events::NftStaked {
            hub: hub_key,
            member: member.key(),
            mint: mint_key,
            staked_count: member.staked_count
        });
        Ok(())
    }
}
