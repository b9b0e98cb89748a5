//! NFT staking (R-3.1 .. ): collection checks on-chain from Token Metadata accounts, escrow,
//! receipts, unstake, minimum stake time, and what a pause may not block.
use anchor_lang::error::ErrorCode as Anchor;
use anchor_lang::prelude::Pubkey;
use anchor_spl::metadata::mpl_token_metadata::types::TokenStandard;
use referral::errors::ReferralError;
use referral::state::PAUSE_STAKING;
use referral_client::ix::{self, Referral};
use referral_client::{pda, HubConfig, StakeReceipt};
use referral_tests::tokens::{metadata_account, metadata_bytes, NftSpec, TOKEN};
use referral_tests::{assert_custom_error, Fixture, TestKeypair, TestSigner};

const COLLECTION: Pubkey = Pubkey::new_from_array([77; 32]);

async fn staking_hub(fx: &mut Fixture, min_stake_seconds: u32) -> Pubkey {
    let mut config = HubConfig::with_defaults(COLLECTION);
    config.min_stake_seconds = min_stake_seconds;
    fx.hub_with(config).await
}

async fn stake(
    fx: &mut Fixture,
    hub: &Pubkey,
    owner: &TestKeypair,
    mint: &Pubkey,
    token: &Pubkey,
) -> Result<referral_tests::Sent, referral_tests::Failed> {
    let ix = ix::stake_nft(&owner.pubkey(), &owner.pubkey(), hub, mint, token);
    fx.send(&[ix], &[owner]).await
}

async fn set_clock(fx: &mut Fixture, unix_timestamp: i64) {
    let mut clock: anchor_lang::prelude::Clock = fx.ctx.banks_client.get_sysvar().await.expect("clock");
    clock.unix_timestamp = unix_timestamp;
    fx.ctx.set_sysvar(&clock);
}

// a verified NFT of the collection is escrowed; the receipt records owner, asset,
// time; the member's count goes up.
#[tokio::test]
async fn stake_escrows_and_counts() {
    let mut fx = Fixture::new().await;
    let hub = staking_hub(&mut fx, 0).await;
    let alice = fx.member_under(&hub, None).await;
    let (mint, token) = fx.nft(&alice.pubkey(), NftSpec::of(COLLECTION)).await;
    stake(&mut fx, &hub, &alice, &mint, &token).await.expect("stake");
    let receipt_key = pda::stake_receipt(&hub, &mint).0;
    let receipt: StakeReceipt = fx.account(&receipt_key).await.expect("receipt");
    assert_eq!(receipt.owner, alice.pubkey());
    assert_eq!(receipt.mint, mint);
    assert_eq!(receipt.hub, hub);
    assert!(receipt.staked_at > 0);
    let escrow = pda::stake_escrow(&receipt_key).0;
    assert_eq!(fx.token_balance(&escrow).await, 1);
    assert_eq!(fx.token_balance(&token).await, 0);
    assert_eq!(fx.member(&hub, &alice.pubkey()).await.staked_count, 1);
    assert_eq!(fx.raw(&receipt_key).await.expect("receipt").data.len(), StakeReceipt::SPACE);
}

// wrong collection, unverified collection, no collection, fungible mints, programmable NFTs
// and NFTs the signer does not hold are refused with named errors; nothing changes.
#[tokio::test]
async fn stake_rejections() {
    let mut fx = Fixture::new().await;
    let hub = staking_hub(&mut fx, 0).await;
    let alice = fx.member_under(&hub, None).await;
    let bob = fx.member_under(&hub, None).await;
    let alice_m = pda::member(&hub, &alice.pubkey()).0;

    let cases = [
        (NftSpec::of(Pubkey::new_unique()), ReferralError::WrongCollection),
        (NftSpec { verified: false, ..NftSpec::of(COLLECTION) }, ReferralError::CollectionNotVerified),
        (NftSpec { collection: None, ..NftSpec::of(COLLECTION) }, ReferralError::WrongCollection),
        (
            NftSpec { standard: Some(TokenStandard::ProgrammableNonFungible), ..NftSpec::of(COLLECTION) },
            ReferralError::ProgrammableNftUnsupported,
        ),
        (NftSpec { standard: Some(TokenStandard::FungibleAsset), ..NftSpec::of(COLLECTION) }, ReferralError::NotAnNft),
    ];
    for (spec, err) in cases {
        let (mint, token) = fx.nft(&alice.pubkey(), spec).await;
        let before = fx.snapshot(&[alice_m, token, pda::stake_receipt(&hub, &mint).0]).await;
        assert_custom_error(stake(&mut fx, &hub, &alice, &mint, &token).await, err);
        assert_eq!(fx.snapshot(&[alice_m, token, pda::stake_receipt(&hub, &mint).0]).await, before);
    }

    // Fungible: decimals > 0, or supply > 1.
    let authority = TestKeypair::new();
    let mint = fx.mint(&authority, 6, TOKEN).await;
    let token = fx.ata(&alice.pubkey(), &mint, TOKEN).await;
    fx.mint_to(&authority, &mint, &token, 1, TOKEN).await;
    fx.write_metadata(&mint, &authority.pubkey(), NftSpec::of(COLLECTION));
    assert_custom_error(stake(&mut fx, &hub, &alice, &mint, &token).await, ReferralError::NotAnNft);
    let (mint, token) = fx.nft(&alice.pubkey(), NftSpec::of(COLLECTION)).await;
    let other = fx.ata(&bob.pubkey(), &mint, TOKEN).await;
    // A second token minted: supply 2 (the fixture's nft() leaves the authority unknown, so make one).
    let authority = TestKeypair::new();
    let mint2 = fx.mint(&authority, 0, TOKEN).await;
    let t2 = fx.ata(&alice.pubkey(), &mint2, TOKEN).await;
    fx.mint_to(&authority, &mint2, &t2, 2, TOKEN).await;
    fx.write_metadata(&mint2, &authority.pubkey(), NftSpec::of(COLLECTION));
    assert_custom_error(stake(&mut fx, &hub, &alice, &mint2, &t2).await, ReferralError::NotAnNft);

    // Not the holder: bob passes alice's token account, or his own empty one.
    assert_custom_error(stake(&mut fx, &hub, &bob, &mint, &token).await, ReferralError::NotNftOwner);
    assert_custom_error(stake(&mut fx, &hub, &bob, &mint, &other).await, ReferralError::NotNftOwner);
    assert_eq!(fx.token_balance(&token).await, 1);
    assert_eq!(fx.member(&hub, &alice.pubkey()).await.staked_count, 0);
}

// the metadata must be owned by Token Metadata and sit at the mint's canonical metadata address.
#[tokio::test]
async fn metadata_account_checks() {
    let mut fx = Fixture::new().await;
    let hub = staking_hub(&mut fx, 0).await;
    let alice = fx.member_under(&hub, None).await;
    let (mint, token) = fx.nft(&alice.pubkey(), NftSpec::of(COLLECTION)).await;
    // Forged metadata owned by another program at the canonical address.
    let md = referral_client::pda::metadata(&mint);
    let genuine = fx.raw(&md).await.expect("metadata");
    fx.set_raw(&md, metadata_account(genuine.data.clone(), Pubkey::new_unique()));
    assert_custom_error(stake(&mut fx, &hub, &alice, &mint, &token).await, Anchor::AccountOwnedByWrongProgram);
    fx.set_raw(&md, genuine);
    // A genuine-looking metadata (owned by Token Metadata) at another address: the metadata of a
    // different, verified mint passed for this one.
    let (other_mint, _) = fx.nft(&alice.pubkey(), NftSpec::of(COLLECTION)).await;
    let mut ixn = ix::stake_nft(&alice.pubkey(), &alice.pubkey(), &hub, &mint, &token);
    for m in ixn.accounts.iter_mut().filter(|m| m.pubkey == md) {
        m.pubkey = referral_client::pda::metadata(&other_mint);
    }
    assert_custom_error(fx.send(&[ixn], &[&alice]).await, ReferralError::InvalidMetadataAccount);
    // Metadata written for another mint at a non-canonical address.
    let fake = Pubkey::new_unique();
    fx.set_raw(
        &fake,
        metadata_account(metadata_bytes(&mint, &alice.pubkey(), NftSpec::of(COLLECTION)), anchor_spl::metadata::ID),
    );
    let mut ixn = ix::stake_nft(&alice.pubkey(), &alice.pubkey(), &hub, &mint, &token);
    for m in ixn.accounts.iter_mut().filter(|m| m.pubkey == md) {
        m.pubkey = fake;
    }
    assert_custom_error(fx.send(&[ixn], &[&alice]).await, ReferralError::InvalidMetadataAccount);
    assert_eq!(fx.token_balance(&token).await, 1);
}

// an NFT cannot be staked twice (the receipt exists and the NFT is in escrow).
#[tokio::test]
async fn no_double_stake() {
    let mut fx = Fixture::new().await;
    let hub = staking_hub(&mut fx, 0).await;
    let alice = fx.member_under(&hub, None).await;
    let (mint, token) = fx.nft(&alice.pubkey(), NftSpec::of(COLLECTION)).await;
    stake(&mut fx, &hub, &alice, &mint, &token).await.expect("stake");
    let receipt = pda::stake_receipt(&hub, &mint).0;
    let before = fx.snapshot(&[receipt, pda::member(&hub, &alice.pubkey()).0]).await;
    // The holder's token account is empty now: the program refuses before touching the receipt.
    assert_custom_error(stake(&mut fx, &hub, &alice, &mint, &token).await, ReferralError::NotNftOwner);
    assert_eq!(fx.snapshot(&[receipt, pda::member(&hub, &alice.pubkey()).0]).await, before);
}

// unstake returns the NFT, closes receipt and escrow (rent back), count down at once; only the
// staker may unstake; the minimum stake time holds.
#[tokio::test]
async fn unstake_returns_and_closes() {
    let mut fx = Fixture::new().await;
    let hub = staking_hub(&mut fx, 3_600).await;
    let alice = fx.member_under(&hub, None).await;
    let bob = fx.member_under(&hub, None).await;
    let (mint, token) = fx.nft(&alice.pubkey(), NftSpec::of(COLLECTION)).await;
    stake(&mut fx, &hub, &alice, &mint, &token).await.expect("stake");
    let receipt = pda::stake_receipt(&hub, &mint).0;
    let escrow = pda::stake_escrow(&receipt).0;
    let staked_at = fx.account::<StakeReceipt>(&receipt).await.expect("receipt").staked_at;

    // Too early.
    let unstake = |who: &TestKeypair, dest: Pubkey| ix::unstake_nft(&who.pubkey(), &who.pubkey(), &hub, &mint, &dest);
    assert_custom_error(fx.send(&[unstake(&alice, token)], &[&alice]).await, ReferralError::MinStakeTimeNotReached);
    set_clock(&mut fx, staked_at + 3_600).await;
    // Someone else (with a token account of his own for the mint).
    let bob_token = fx.ata(&bob.pubkey(), &mint, TOKEN).await;
    let mut by_bob = ix::unstake_nft(&bob.pubkey(), &alice.pubkey(), &hub, &mint, &bob_token);
    // bob's member must be his own (NotMemberWallet otherwise): the receipt check is what refuses him.
    by_bob.accounts[3].pubkey = pda::member(&hub, &bob.pubkey()).0;
    assert_custom_error(fx.send(&[by_bob], &[&bob]).await, ReferralError::NotStakeOwner);
    // Alice, to a token account that is not hers.
    assert_custom_error(fx.send(&[unstake(&alice, bob_token)], &[&alice]).await, ReferralError::WrongDestination);

    let rent_back = fx.lamports(&receipt).await + fx.lamports(&escrow).await;
    let before = fx.lamports(&alice.pubkey()).await;
    fx.send(&[unstake(&alice, token)], &[&alice]).await.expect("unstake");
    assert_eq!(fx.token_balance(&token).await, 1);
    assert!(fx.raw(&receipt).await.is_none());
    assert!(fx.raw(&escrow).await.is_none());
    assert_eq!(fx.lamports(&alice.pubkey()).await, before + rent_back);
    assert_eq!(fx.member(&hub, &alice.pubkey()).await.staked_count, 0);
    // And the NFT can be staked again.
    stake(&mut fx, &hub, &alice, &mint, &token).await.expect("stake again");
}

// pausing staking blocks new stakes but never unstaking; a hub without a collection has no staking.
#[tokio::test]
async fn pause_never_blocks_unstake() {
    let mut fx = Fixture::new().await;
    let hub = staking_hub(&mut fx, 0).await;
    let alice = fx.member_under(&hub, None).await;
    let (mint, token) = fx.nft(&alice.pubkey(), NftSpec::of(COLLECTION)).await;
    let (mint2, token2) = fx.nft(&alice.pubkey(), NftSpec::of(COLLECTION)).await;
    stake(&mut fx, &hub, &alice, &mint, &token).await.expect("stake");
    fx.force_pause(&hub, PAUSE_STAKING).await;
    assert_custom_error(stake(&mut fx, &hub, &alice, &mint2, &token2).await, ReferralError::StakingPaused);
    fx.send(&[ix::unstake_nft(&alice.pubkey(), &alice.pubkey(), &hub, &mint, &token)], &[&alice])
        .await
        .expect("unstake while paused");

    let flat = fx.hub_with(HubConfig::with_defaults(Pubkey::default())).await;
    fx.join(&flat, &alice, Referral::None).await.expect("join");
    assert_custom_error(stake(&mut fx, &flat, &alice, &mint2, &token2).await, ReferralError::StakingDisabled);
}
