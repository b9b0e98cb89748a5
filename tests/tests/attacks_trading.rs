//! Sealevel attack classes on the staking, fee-routing and claim instructions: missing signer,
//! someone else's account, forged accounts (wrong owner), type cosplay, accounts of another hub or mint.
//! Every attack fails with a named error and changes nothing.
use anchor_lang::error::ErrorCode as Anchor;
use anchor_lang::prelude::Pubkey;
use referral::errors::ReferralError;
use referral_client::ix::{self, Trade};
use referral_client::{pda, HubConfig};
use referral_tests::tokens::{NftSpec, TOKEN};
use referral_tests::{assert_custom_error, replace_account, Fixture, TestKeypair, TestSigner};

const COLLECTION: Pubkey = Pubkey::new_from_array([55; 32]);
const SOL: u64 = 1_000_000_000;

struct World {
    fx: Fixture,
    hub: Pubkey,
    reporter: TestKeypair,
    referrer: TestKeypair,
    trader: TestKeypair,
    other: TestKeypair,
}

/// A hub where `referrer` (1 NFT staked) referred `trader`, who paid 20 SOL of fees once, so the referrer
/// has 1 SOL claimable; `other` is an unrelated member.
async fn world() -> World {
    let mut fx = Fixture::new().await;
    let reporter = fx.wallet().await;
    let mut c = HubConfig::with_defaults(COLLECTION);
    c.reporters = vec![reporter.pubkey()];
    let hub = fx.hub_with(c).await;
    let referrer = fx.member_under(&hub, None).await;
    fx.stake_many(&hub, &referrer, COLLECTION, 1).await;
    let trader = fx.member_under(&hub, Some(&referrer)).await;
    let other = fx.member_under(&hub, None).await;
    let trade = fx.trade_of(&hub, &trader.pubkey()).await;
    let ixr = ix::route_fee(&reporter.pubkey(), &hub, &trader.pubkey(), &trade, 20 * SOL, 10);
    fx.send(&[ixr], &[&reporter, &trader]).await.expect("route");
    World { fx, hub, reporter, referrer, trader, other }
}

// claim_fees: missing signer, someone else's member, a forged member, type cosplay.
#[tokio::test]
async fn claim_fees_attacks() {
    let World { mut fx, hub, referrer, other, .. } = world().await;
    let ref_m = pda::member(&hub, &referrer.pubkey()).0;
    let watch = [ref_m, referrer.pubkey(), other.pubkey()];
    let before = fx.snapshot(&watch).await;
    // Missing signer: `other` pays the fee and claims to the referrer's wallet without its signature.
    let mut ixc = ix::claim_fees(&referrer.pubkey(), &hub);
    ixc.accounts[0].is_signer = false;
    assert_custom_error(fx.send(&[ixc], &[&other]).await, Anchor::AccountNotSigner);
    // Someone else's member: `other` signs and names the referrer's member.
    let mut ixc = ix::claim_fees(&other.pubkey(), &hub);
    replace_account(&mut ixc, &pda::member(&hub, &other.pubkey()).0, ref_m);
    assert_custom_error(fx.send(&[ixc], &[&other]).await, ReferralError::NotMemberWallet);
    // A forged copy of the referrer's member, owned by another program.
    let fake = fx.forged_copy(&ref_m, Pubkey::new_unique()).await;
    let mut ixc = ix::claim_fees(&referrer.pubkey(), &hub);
    replace_account(&mut ixc, &ref_m, fake);
    assert_custom_error(fx.send(&[ixc], &[&referrer]).await, Anchor::AccountOwnedByWrongProgram);
    // Type cosplay: the hub passed as the member.
    let mut ixc = ix::claim_fees(&referrer.pubkey(), &hub);
    replace_account(&mut ixc, &ref_m, hub);
    assert_custom_error(fx.send(&[ixc], &[&referrer]).await, Anchor::AccountDiscriminatorMismatch);
    assert_eq!(fx.snapshot(&watch).await, before);
}

// route_fee: a trader account of another program, of another hub, or of another type.
#[tokio::test]
async fn route_fee_attacks() {
    let World { mut fx, hub, reporter, referrer, trader, .. } = world().await;
    let trader_m = pda::member(&hub, &trader.pubkey()).0;
    let ref_m = pda::member(&hub, &referrer.pubkey()).0;
    let mut c = HubConfig::with_defaults(COLLECTION);
    c.reporters = vec![reporter.pubkey()];
    let hub2 = fx.hub_with(c).await;
    fx.join(&hub2, &trader, referral_client::ix::Referral::None).await.expect("join hub2");
    let watch = [trader_m, ref_m, trader.pubkey()];
    let before = fx.snapshot(&watch).await;
    let trade = fx.trade_of(&hub, &trader.pubkey()).await;
    let build = || ix::route_fee(&reporter.pubkey(), &hub, &trader.pubkey(), &trade, SOL, 1_000);
    // Forged trader (a copy owned by another program).
    let fake = fx.forged_copy(&trader_m, Pubkey::new_unique()).await;
    let mut ixr = build();
    replace_account(&mut ixr, &trader_m, fake);
    assert_custom_error(fx.send(&[ixr], &[&reporter, &trader]).await, Anchor::AccountOwnedByWrongProgram);
    // Type cosplay: the hub (program-owned, another account type) as the trader.
    let mut ixr = build();
    replace_account(&mut ixr, &trader_m, hub);
    assert_custom_error(fx.send(&[ixr], &[&reporter, &trader]).await, Anchor::AccountDiscriminatorMismatch);
    // The trader's member in another hub (same reporter listed there too).
    let mut ixr = build();
    replace_account(&mut ixr, &trader_m, pda::member(&hub2, &trader.pubkey()).0);
    assert_custom_error(fx.send(&[ixr], &[&reporter, &trader]).await, ReferralError::WrongHub);
    assert_eq!(fx.snapshot(&watch).await, before);
}

// route_fee from the program's entrypoint (D-45): the checks Anchor's accounts struct declares, made
// by hand there, each refused with Anchor's own error: missing signers, a substituted System Program,
// read-only accounts that must be writable, accounts repeated (duplicate writable), too many accounts.
#[tokio::test]
async fn route_fee_entry_checks_refuse_malformed_calls() {
    let World { mut fx, hub, reporter, referrer, trader, .. } = world().await;
    let trader_m = pda::member(&hub, &trader.pubkey()).0;
    let ref_m = pda::member(&hub, &referrer.pubkey()).0;
    let watch = [trader_m, ref_m, trader.pubkey(), reporter.pubkey()];
    let before = fx.snapshot(&watch).await;
    let trade = fx.trade_of(&hub, &trader.pubkey()).await;
    let build = || ix::route_fee(&reporter.pubkey(), &hub, &trader.pubkey(), &trade, SOL, 1_000);
    let position = |ixr: &anchor_lang::solana_program::instruction::Instruction, key: &Pubkey| {
        ixr.accounts.iter().position(|m| m.pubkey == *key).expect("account in the instruction")
    };
    // The reporter does not sign (the trader pays the transaction fee and signs as payer).
    let mut ixr = build();
    ixr.accounts[0].is_signer = false;
    assert_custom_error(fx.send(&[ixr], &[&trader]).await, Anchor::AccountNotSigner);
    // The payer does not sign.
    let mut ixr = build();
    let payer = position(&ixr, &trader.pubkey());
    ixr.accounts[payer].is_signer = false;
    assert_custom_error(fx.send(&[ixr], &[&reporter]).await, Anchor::AccountNotSigner);
    // Another program in the System Program's place.
    let mut ixr = build();
    let system = anchor_lang::solana_program::system_program::ID;
    replace_account(&mut ixr, &system, referral_client::market::ID);
    assert_custom_error(fx.send(&[ixr], &[&reporter, &trader]).await, Anchor::InvalidProgramId);
    // The trader's Member, the referrer's Member or the payer passed read-only.
    for key in [trader_m, ref_m, trader.pubkey()] {
        let mut ixr = build();
        let i = position(&ixr, &key);
        ixr.accounts[i].is_writable = false;
        assert_custom_error(fx.send(&[ixr], &[&reporter, &trader]).await, Anchor::ConstraintMut);
    }
    // Duplicates: the trader's Member as its own referrer, the referrer again as its upline.
    let mut ixr = build();
    replace_account(&mut ixr, &ref_m, trader_m);
    assert_custom_error(fx.send(&[ixr], &[&reporter, &trader]).await, ReferralError::ReferrerMismatch);
    let mut ixr = build();
    ixr.accounts.push(anchor_lang::solana_program::instruction::AccountMeta::new(ref_m, false));
    assert_custom_error(fx.send(&[ixr], &[&reporter, &trader]).await, ReferralError::UplineMismatch);
    // More accounts than route_fee takes (6 and an upline of at most 3).
    let mut ixr = build();
    for _ in 0..4 {
        ixr.accounts.push(anchor_lang::solana_program::instruction::AccountMeta::new(Pubkey::new_unique(), false));
    }
    assert_custom_error(fx.send(&[ixr], &[&reporter, &trader]).await, ReferralError::UplineMismatch);
    // Instruction data cut short.
    let mut ixr = build();
    ixr.data.truncate(20);
    assert_custom_error(fx.send(&[ixr], &[&reporter, &trader]).await, Anchor::InstructionDidNotDeserialize);
    assert_eq!(fx.snapshot(&watch).await, before);
}

// route_fee_token / claim_token_fees: a vault that is not the referrer's, a vault of another member,
// a destination of another wallet.
#[tokio::test]
async fn token_vault_attacks() {
    let World { mut fx, hub, reporter, referrer, trader, other } = world().await;
    let auth = TestKeypair::new();
    let mint = fx.mint(&auth, 6, TOKEN).await;
    let t_token = fx.ata(&trader.pubkey(), &mint, TOKEN).await;
    fx.mint_to(&auth, &mint, &t_token, 1_000_000, TOKEN).await;
    let trade: Trade = fx.trade_of(&hub, &trader.pubkey()).await;
    let ref_m = pda::member(&hub, &referrer.pubkey()).0;
    let vault = pda::fee_vault(&ref_m, &mint, &TOKEN);
    let (fee, base) = (100_000, 0);
    // The trader's own token account passed as the referrer's vault: the share would go back to it.
    let mut ixt =
        ix::route_fee_token(&reporter.pubkey(), &hub, &trader.pubkey(), &t_token, &mint, &TOKEN, &trade, fee, base);
    let other_token = fx.ata(&other.pubkey(), &mint, TOKEN).await;
    replace_account(&mut ixt, &vault, other_token);
    let before = fx.snapshot(&[t_token, other_token]).await;
    assert_custom_error(fx.send(&[ixt], &[&reporter, &trader]).await, ReferralError::WrongFeeVault);
    assert_eq!(fx.snapshot(&[t_token, other_token]).await, before);
    // The real route, so the vault holds 5,000.
    let ixt =
        ix::route_fee_token(&reporter.pubkey(), &hub, &trader.pubkey(), &t_token, &mint, &TOKEN, &trade, fee, base);
    fx.send(&[ixt], &[&reporter, &trader]).await.expect("route");
    assert_eq!(fx.token_balance(&vault).await, 5_000);
    // `other` claims from the referrer's vault into its own token account.
    let mut ixc = ix::claim_token_fees(&other.pubkey(), &hub, &mint, &TOKEN, &other_token);
    replace_account(&mut ixc, &pda::fee_vault(&pda::member(&hub, &other.pubkey()).0, &mint, &TOKEN), vault);
    assert_custom_error(fx.send(&[ixc], &[&other]).await, ReferralError::WrongFeeVault);
    // The referrer claims, but to `other`'s token account.
    let ixc = ix::claim_token_fees(&referrer.pubkey(), &hub, &mint, &TOKEN, &other_token);
    assert_custom_error(fx.send(&[ixc], &[&referrer]).await, ReferralError::WrongDestination);
    assert_eq!(fx.token_balance(&vault).await, 5_000);
}

// unstake_nft: a forged receipt, another stake's escrow, someone else's receipt.
#[tokio::test]
async fn unstake_attacks() {
    let World { mut fx, hub, referrer, other, .. } = world().await;
    let (mint, token) = fx.nft(&other.pubkey(), NftSpec::of(COLLECTION)).await;
    fx.send(&[ix::stake_nft(&other.pubkey(), &other.pubkey(), &hub, &mint, &token)], &[&other]).await.expect("stake");
    let receipt = pda::stake_receipt(&hub, &mint).0;
    let escrow = pda::stake_escrow(&receipt).0;
    let watch = [receipt, escrow, token, pda::member(&hub, &other.pubkey()).0];
    let before = fx.snapshot(&watch).await;
    // Forged receipt naming the referrer as owner, owned by another program.
    let fake = fx.forged_copy(&receipt, Pubkey::new_unique()).await;
    let r_token = fx.ata(&referrer.pubkey(), &mint, TOKEN).await;
    let mut ixu = ix::unstake_nft(&referrer.pubkey(), &other.pubkey(), &hub, &mint, &r_token);
    replace_account(&mut ixu, &receipt, fake);
    assert_custom_error(fx.send(&[ixu], &[&referrer]).await, Anchor::AccountOwnedByWrongProgram);
    // The referrer's own stake escrow passed for other's NFT.
    let (mint2, token2) = fx.nft(&referrer.pubkey(), NftSpec::of(COLLECTION)).await;
    fx.send(&[ix::stake_nft(&referrer.pubkey(), &referrer.pubkey(), &hub, &mint2, &token2)], &[&referrer])
        .await
        .expect("stake 2");
    let escrow2 = pda::stake_escrow(&pda::stake_receipt(&hub, &mint2).0).0;
    let mut ixu = ix::unstake_nft(&other.pubkey(), &other.pubkey(), &hub, &mint, &token);
    replace_account(&mut ixu, &escrow, escrow2);
    assert_custom_error(fx.send(&[ixu], &[&other]).await, ReferralError::WrongTokenAccount);
    assert_eq!(fx.snapshot(&watch).await, before);
}
