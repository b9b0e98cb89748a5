//! `stake_nft`: a member stakes an SPL NFT of the hub's collection into escrow.
use anchor_lang::prelude::*;
use anchor_lang::solana_program::program_option::COption;
use anchor_spl::metadata::mpl_token_metadata::types::TokenStandard;
use anchor_spl::metadata::{self, MetadataAccount};
use anchor_spl::token::{self, InitializeAccount3, Mint, Token, TokenAccount, TransferChecked};

use crate::constants::{EDITION_SEED, ESCROW_SEED, METADATA_SEED, STAKE_SEED};
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
    /// The hub; its `rules.collection` is the collection staked NFTs must belong to.
    pub hub: AccountLoader<'info, Hub>,
    /// The owner's membership, whose `staked_count` goes up.
    #[account(
        mut,
        constraint = member.load()?.hub == hub.key() @ ReferralError::WrongHub,
        constraint = member.load()?.wallet == owner.key() @ ReferralError::NotMemberWallet,
    )]
    pub member: AccountLoader<'info, Member>,
    /// The NFT's mint (SPL Token).
    pub mint: Account<'info, Mint>,
    /// The owner's token account holding the NFT.
    #[account(mut)]
    pub owner_token: Account<'info, TokenAccount>,
    /// The mint's Token Metadata account (owner checked by the type, address in the handler).
    pub metadata: Account<'info, MetadataAccount>,
    /// The stake receipt, created here at `[STAKE_SEED, hub, mint]`. Unchecked by Anchor (CHECK): the seeds
    /// constraint proves the address; `AlreadyStaked` if it exists.
    #[account(mut, seeds = [STAKE_SEED, hub.key().as_ref(), mint.key().as_ref()], bump)]
    pub receipt: UncheckedAccount<'info>,
    /// The escrow, created here at `[ESCROW_SEED, receipt]` as a token account of the receipt. Unchecked by
    /// Anchor (CHECK): the seeds constraint proves the address.
    #[account(mut, seeds = [ESCROW_SEED, receipt.key().as_ref()], bump)]
    pub escrow: UncheckedAccount<'info>,
    pub token_program: Program<'info, Token>,
    pub system_program: Program<'info, System>,
}

impl StakeNft<'_> {
    /// Steps:
    /// 1. Refuse when the hub has no collection or staking is paused.
    /// 2. The mint is an NFT: decimals 0 and supply 1 (`NotAnNft`), and nobody can mint a second token or
    ///    freeze the escrow: its mint and freeze authorities are none or its master edition, as Metaplex
    ///    sets them (`NftStillMintable`, `NftFreezable`; docs/DECISIONS.md D-35).
    /// 3. The signer holds it: its token account has this mint, is owned by the signer, holds 1.
    /// 4. The metadata is the canonical Token Metadata PDA of the mint; programmable NFTs are refused;
    ///    its collection is verified and is the hub's.
    /// 5. Create the receipt (`AlreadyStaked` if it exists) and the escrow token account (authority: the
    ///    receipt); move the NFT into escrow.
    /// 6. `staked_count += 1`; the stake counts for fees and milestones from the next slot, and
    ///    its unlock time is fixed now by the hub's minimum stake time (R-1.3; docs/DECISIONS.md D-36).
    pub fn handler(ctx: Context<Self>) -> Result<()> {
        let a = &ctx.accounts;
        let (collection, min_stake_seconds, paused) = {
            let hub = a.hub.load()?;
            (hub.rules.collection, hub.rules.min_stake_seconds, hub.is_paused(PAUSE_STAKING))
        };
        require!(collection != Pubkey::default(), ReferralError::StakingDisabled);
        require!(!paused, ReferralError::StakingPaused);
        require!(a.mint.decimals == 0 && a.mint.supply == 1, ReferralError::NotAnNft);
        let mint_key = a.mint.key();
        check_authorities(&a.mint, &mint_key)?;
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
        let nft_collection = a.metadata.collection.as_ref().ok_or(ReferralError::WrongCollection)?;
        require_keys_eq!(nft_collection.key, collection, ReferralError::WrongCollection);
        require!(nft_collection.verified, ReferralError::CollectionNotVerified);

        let hub_key = a.hub.key();
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

        let clock = Clock::get()?;
        let receipt = StakeReceipt {
            bump: receipt_bump,
            escrow_bump,
            hub: hub_key,
            owner: a.owner.key(),
            mint: mint_key,
            staked_at: clock.unix_timestamp,
            staked_slot: clock.slot,
            unlock_at: clock.unix_timestamp.saturating_add(i64::from(min_stake_seconds)),
            payer: a.payer.key(),
        };
        write_account(&a.receipt, &receipt)?;
        let member_key = ctx.accounts.member.key();
        let mut member = ctx.accounts.member.load_mut()?;
        member.staked_count = member.staked_count.checked_add(1).ok_or(ReferralError::MathOverflow)?;
        if member.last_stake_slot != clock.slot {
            member.last_stake_slot = clock.slot;
            member.fresh_stakes = 0;
        }
        member.fresh_stakes = member.fresh_stakes.checked_add(1).ok_or(ReferralError::MathOverflow)?;
        emit!(crate::events::NftStaked {
            hub: hub_key,
            member: member_key,
            mint: mint_key,
            staked_count: member.staked_count
        });
        Ok(())
    }
}

/// A Metaplex NFT's mint and freeze authorities belong to its master edition `[b"metadata", program,
/// mint, b"edition"]`, a PDA only Token Metadata signs for, which never mints a second token of it. Any
/// other mint authority could mint more ("one NFT" staked twice, or sold while counted); any other freeze
/// authority could freeze the escrow and trap the NFT.
fn check_authorities(mint: &Mint, mint_key: &Pubkey) -> Result<()> {
    let mut edition: Option<Pubkey> = None;
    let mut is_edition = |key: &Pubkey| {
        let e = *edition.get_or_insert_with(|| {
            let seeds = [METADATA_SEED, metadata::ID.as_ref(), mint_key.as_ref(), EDITION_SEED];
            Pubkey::find_program_address(&seeds, &metadata::ID).0
        });
        *key == e
    };
    if let COption::Some(authority) = mint.mint_authority {
        require!(is_edition(&authority), ReferralError::NftStillMintable);
    }
    if let COption::Some(authority) = mint.freeze_authority {
        require!(is_edition(&authority), ReferralError::NftFreezable);
    }
    Ok(())
}
