//! Sealevel attack classes per instruction: missing signer, wrong owner, wrong PDA / seeds,
//! type cosplay, duplicate mutable accounts, arbitrary program substitution, re-initialisation, and
//! pre-funding grief. Every attack fails with a named error and changes nothing: each test reads the
//! accounts involved before and after.
use anchor_lang::error::ErrorCode as Anchor;
use anchor_lang::prelude::Pubkey;
use anchor_lang::solana_program::instruction::Instruction;
use referral::errors::ReferralError;
use referral_client::ix::{self, Referral};
use referral_client::{pda, HubConfig};
use referral_tests::{assert_custom_error, replace_account, Fixture, TestKeypair, TestSigner};

fn config() -> HubConfig {
    HubConfig::with_defaults(Pubkey::default())
}

/// Copies the account at `key` to a fresh address owned by `owner` (same data, same lamports).
fn unsign(ix: &mut Instruction, key: &Pubkey) {
    for meta in ix.accounts.iter_mut().filter(|m| m.pubkey == *key) {
        meta.is_signer = false;
    }
}

/// Fixture, an open hub, and two members (alice, bob) of it.
async fn setup() -> (Fixture, Pubkey, TestKeypair, TestKeypair) {
    let mut fx = Fixture::new().await;
    let hub = fx.hub_with(config()).await;
    let alice = fx.member_under(&hub, None).await;
    let bob = fx.member_under(&hub, None).await;
    (fx, hub, alice, bob)
}

// create_hub: missing signer, wrong seeds, substituted system program, a signer's wallet passed as
// the hub (duplicate writable), re-initialisation.
#[tokio::test]
async fn create_hub_attacks() {
    let mut fx = Fixture::new().await;
    let victim = fx.wallet().await;
    let attacker = fx.wallet().await;
    let victim_hub = pda::hub(&victim.pubkey(), 1).0;
    let watch = [victim_hub, victim.pubkey(), attacker.pubkey()];
    let before = fx.snapshot(&watch).await;

    // Missing signer: the attacker creates a hub in the victim's name (victim becomes admin).
    let mut ix = ix::create_hub(&victim.pubkey(), &attacker.pubkey(), 1, config());
    unsign(&mut ix, &victim.pubkey());
    assert_custom_error(fx.send(&[ix], &[&attacker]).await, Anchor::AccountNotSigner);

    // Wrong PDA: the hub address of another id.
    let mut ix = ix::create_hub(&attacker.pubkey(), &attacker.pubkey(), 1, config());
    replace_account(&mut ix, &pda::hub(&attacker.pubkey(), 1).0, pda::hub(&attacker.pubkey(), 2).0);
    assert_custom_error(fx.send(&[ix], &[&attacker]).await, Anchor::ConstraintSeeds);

    // Arbitrary program: the system program slot holds another program.
    let mut ix = ix::create_hub(&attacker.pubkey(), &attacker.pubkey(), 1, config());
    replace_account(&mut ix, &anchor_lang::system_program::ID, referral::ID);
    assert_custom_error(fx.send(&[ix], &[&attacker]).await, Anchor::InvalidProgramId);

    // Duplicate writable: the payer's own wallet passed as the hub account.
    let mut ix = ix::create_hub(&attacker.pubkey(), &attacker.pubkey(), 1, config());
    replace_account(&mut ix, &pda::hub(&attacker.pubkey(), 1).0, attacker.pubkey());
    assert_custom_error(fx.send(&[ix], &[&attacker]).await, Anchor::ConstraintSeeds);
    assert_eq!(fx.snapshot(&watch).await, before);

    // Re-initialisation: a second create_hub at the same address with another config.
    let hub = fx.create_hub(&victim, 1, config()).await.expect("hub");
    let before = fx.snapshot(&[hub, victim.pubkey()]).await;
    let mut other = config();
    other.referrer_fee_bps = 5_000;
    assert_custom_error(fx.create_hub(&victim, 1, other).await, ReferralError::HubAlreadyExists);
    assert_eq!(fx.snapshot(&[hub, victim.pubkey()]).await, before);
}

// join: missing signer, forged hub and referrer (wrong owner), another wallet's member address
// (wrong seeds), substituted system program, referrer repeated (duplicate writable), re-initialisation.
#[tokio::test]
async fn join_attacks() {
    let (mut fx, hub, alice, bob) = setup().await;
    let victim = fx.wallet().await;
    let attacker = fx.wallet().await;
    let alice_m = pda::member(&hub, &alice.pubkey()).0;
    let victim_m = pda::member(&hub, &victim.pubkey()).0;
    let watch = [hub, alice_m, victim_m, pda::member(&hub, &attacker.pubkey()).0, attacker.pubkey()];
    let before = fx.snapshot(&watch).await;
    let via_alice = Referral::Address { referrer_wallet: alice.pubkey(), upline: vec![] };

    // Missing signer: the attacker joins the victim under alice, paying for it.
    let mut ix = ix::join(&victim.pubkey(), &attacker.pubkey(), &hub, via_alice.clone()).expect("ix");
    unsign(&mut ix, &victim.pubkey());
    assert_custom_error(fx.send(&[ix], &[&attacker]).await, Anchor::AccountNotSigner);

    // Wrong owner: a copy of the hub owned by another program (e.g. a hub with sign-ups forced open).
    let fake_hub = fx.forged_copy(&hub, anchor_lang::system_program::ID).await;
    let ix = ix::join(&attacker.pubkey(), &attacker.pubkey(), &fake_hub, Referral::None).expect("ix");
    assert_custom_error(fx.send(&[ix], &[&attacker]).await, Anchor::AccountOwnedByWrongProgram);

    // Wrong owner: a forged referrer member.
    let fake_ref = fx.forged_copy(&alice_m, Pubkey::new_unique()).await;
    let mut ix = ix::join(&attacker.pubkey(), &attacker.pubkey(), &hub, via_alice.clone()).expect("ix");
    replace_account(&mut ix, &alice_m, fake_ref);
    assert_custom_error(fx.send(&[ix], &[&attacker]).await, Anchor::AccountOwnedByWrongProgram);

    // Type cosplay: the hub account passed as the referrer member.
    let mut ix = ix::join(&attacker.pubkey(), &attacker.pubkey(), &hub, via_alice.clone()).expect("ix");
    replace_account(&mut ix, &alice_m, hub);
    assert_custom_error(fx.send(&[ix], &[&attacker]).await, Anchor::AccountDiscriminatorMismatch);

    // Wrong seeds: the attacker signs but the member address is the victim's.
    let mut ix = ix::join(&attacker.pubkey(), &attacker.pubkey(), &hub, Referral::None).expect("ix");
    replace_account(&mut ix, &pda::member(&hub, &attacker.pubkey()).0, victim_m);
    assert_custom_error(fx.send(&[ix], &[&attacker]).await, Anchor::ConstraintSeeds);

    // Arbitrary program in the system program slot.
    let mut ix = ix::join(&attacker.pubkey(), &attacker.pubkey(), &hub, Referral::None).expect("ix");
    replace_account(&mut ix, &anchor_lang::system_program::ID, referral::ID);
    assert_custom_error(fx.send(&[ix], &[&attacker]).await, Anchor::InvalidProgramId);

    // Duplicate writable: the referrer passed again as its own upline (would double-count it).
    let dup = Referral::Address { referrer_wallet: alice.pubkey(), upline: vec![alice_m] };
    assert_custom_error(fx.join(&hub, &attacker, dup).await, ReferralError::UplineMismatch);
    // Duplicate writable: the referrer's address passed as the new member account.
    let mut ix = ix::join(&attacker.pubkey(), &attacker.pubkey(), &hub, via_alice.clone()).expect("ix");
    replace_account(&mut ix, &pda::member(&hub, &attacker.pubkey()).0, alice_m);
    assert_custom_error(fx.send(&[ix], &[&attacker]).await, Anchor::ConstraintSeeds);
    assert_eq!(fx.snapshot(&watch).await, before);

    // Re-initialisation: bob joins again, under alice this time.
    let bob_m = pda::member(&hub, &bob.pubkey()).0;
    let before = fx.snapshot(&[bob_m, alice_m]).await;
    assert_custom_error(fx.join(&hub, &bob, via_alice).await, ReferralError::AlreadyMember);
    assert_eq!(fx.snapshot(&[bob_m, alice_m]).await, before);
}

// join: pre-funding the member address (so `create_account` would fail) does not block joining.
#[tokio::test]
async fn join_survives_prefunded_address() {
    let (mut fx, hub, _alice, _bob) = setup().await;
    let w = fx.wallet().await;
    let member = pda::member(&hub, &w.pubkey()).0;
    fx.fund(&member, 1_000_000).await; // rent-exempt as an empty account, short of a Member's rent
    fx.join(&hub, &w, Referral::None).await.expect("join on a pre-funded address");
    let raw = fx.raw(&member).await.expect("member");
    assert_eq!(raw.owner, referral::ID);
    assert_eq!(raw.lamports, solana_rent::Rent::default().minimum_balance(referral_client::Member::SPACE));
    assert_eq!(fx.member(&hub, &w.pubkey()).await.wallet, w.pubkey());
}

// make_code: missing signer, someone else's member, forged member (wrong owner), member of
// another hub, wrong code address, payer passed as the code account, re-initialisation.
#[tokio::test]
async fn make_code_attacks() {
    let (mut fx, hub, alice, bob) = setup().await;
    let alice_m = pda::member(&hub, &alice.pubkey()).0;
    let code = pda::code(&hub, "alice").expect("code").0;
    let hub2 = fx.hub_with(config()).await;
    fx.join(&hub2, &bob, Referral::None).await.expect("join hub2");
    let watch = [alice_m, code, bob.pubkey()];
    let before = fx.snapshot(&watch).await;

    // Missing signer: bob pays and makes a code for alice's member without her signature.
    let mut ix = ix::make_code(&alice.pubkey(), &bob.pubkey(), &hub, "alice").expect("ix");
    unsign(&mut ix, &alice.pubkey());
    assert_custom_error(fx.send(&[ix], &[&bob]).await, Anchor::AccountNotSigner);

    // Wrong signer: bob signs but passes alice's member.
    let mut ix = ix::make_code(&bob.pubkey(), &bob.pubkey(), &hub, "alice").expect("ix");
    replace_account(&mut ix, &pda::member(&hub, &bob.pubkey()).0, alice_m);
    assert_custom_error(fx.send(&[ix], &[&bob]).await, ReferralError::NotMemberWallet);

    // Wrong owner: a forged member for bob.
    let bob_m = pda::member(&hub, &bob.pubkey()).0;
    let fake = fx.forged_copy(&bob_m, Pubkey::new_unique()).await;
    let mut ix = ix::make_code(&bob.pubkey(), &bob.pubkey(), &hub, "alice").expect("ix");
    replace_account(&mut ix, &bob_m, fake);
    assert_custom_error(fx.send(&[ix], &[&bob]).await, Anchor::AccountOwnedByWrongProgram);

    // Member of another hub.
    let mut ix = ix::make_code(&bob.pubkey(), &bob.pubkey(), &hub, "alice").expect("ix");
    replace_account(&mut ix, &bob_m, pda::member(&hub2, &bob.pubkey()).0);
    assert_custom_error(fx.send(&[ix], &[&bob]).await, ReferralError::WrongHub);

    // Wrong PDA: the code account of another code.
    let mut ix = ix::make_code(&bob.pubkey(), &bob.pubkey(), &hub, "alice").expect("ix");
    replace_account(&mut ix, &code, pda::code(&hub, "other").expect("code").0);
    assert_custom_error(fx.send(&[ix], &[&bob]).await, ReferralError::CodeAddressMismatch);

    // Duplicate writable: the payer passed as the code account.
    let mut ix = ix::make_code(&bob.pubkey(), &bob.pubkey(), &hub, "alice").expect("ix");
    replace_account(&mut ix, &code, bob.pubkey());
    assert_custom_error(fx.send(&[ix], &[&bob]).await, ReferralError::CodeAddressMismatch);
    assert_eq!(fx.snapshot(&watch).await, before);

    // Re-initialisation: the code exists; neither its owner nor anyone else can make it again.
    fx.make_code(&hub, &alice, "alice").await.expect("code");
    let before = fx.snapshot(&[code]).await;
    assert_custom_error(fx.make_code(&hub, &bob, "alice").await, ReferralError::CodeTaken);
    assert_custom_error(fx.make_code(&hub, &alice, "Alice").await, ReferralError::CodeTaken);
    assert_eq!(fx.snapshot(&[code]).await, before);
}

// set_referrer: missing signer, someone else's member, forged referrer (wrong owner), type cosplay,
// referrer or member of another hub, member == referrer (duplicate writable), set twice.
#[tokio::test]
async fn set_referrer_attacks() {
    let (mut fx, hub, alice, bob) = setup().await;
    let mallory = fx.member_under(&hub, None).await;
    let alice_m = pda::member(&hub, &alice.pubkey()).0;
    let bob_m = pda::member(&hub, &bob.pubkey()).0;
    let mallory_m = pda::member(&hub, &mallory.pubkey()).0;
    let watch = [alice_m, bob_m, mallory_m];
    let before = fx.snapshot(&watch).await;
    let via_mallory = Referral::Address { referrer_wallet: mallory.pubkey(), upline: vec![] };

    // Missing signer: mallory binds bob under herself without bob's signature.
    let mut ix = ix::set_referrer(&bob.pubkey(), &hub, via_mallory.clone()).expect("ix");
    unsign(&mut ix, &bob.pubkey());
    assert_custom_error(fx.send(&[ix], &[&mallory]).await, Anchor::AccountNotSigner);

    // Wrong signer: mallory signs as wallet but passes bob's member.
    let mut ix = ix::set_referrer(
        &mallory.pubkey(),
        &hub,
        Referral::Address { referrer_wallet: alice.pubkey(), upline: vec![] },
    )
    .expect("ix");
    replace_account(&mut ix, &mallory_m, bob_m);
    assert_custom_error(fx.send(&[ix], &[&mallory]).await, ReferralError::NotMemberWallet);

    // Wrong owner: a forged referrer.
    let fake = fx.forged_copy(&alice_m, Pubkey::new_unique()).await;
    let mut ix =
        ix::set_referrer(&bob.pubkey(), &hub, Referral::Address { referrer_wallet: alice.pubkey(), upline: vec![] })
            .expect("ix");
    replace_account(&mut ix, &alice_m, fake);
    assert_custom_error(fx.send(&[ix], &[&bob]).await, Anchor::AccountOwnedByWrongProgram);

    // Type cosplay: a code account passed as the referrer.
    fx.make_code(&hub, &alice, "alice").await.expect("code");
    let code = pda::code(&hub, "alice").expect("code").0;
    let mut ix =
        ix::set_referrer(&bob.pubkey(), &hub, Referral::Address { referrer_wallet: alice.pubkey(), upline: vec![] })
            .expect("ix");
    replace_account(&mut ix, &alice_m, code);
    assert_custom_error(fx.send(&[ix], &[&bob]).await, Anchor::AccountDiscriminatorMismatch);

    // Referrer from another hub; member from another hub.
    let hub2 = fx.hub_with(config()).await;
    fx.join(&hub2, &alice, Referral::None).await.expect("alice joins hub2");
    fx.join(&hub2, &bob, Referral::None).await.expect("bob joins hub2");
    let mut ix =
        ix::set_referrer(&bob.pubkey(), &hub, Referral::Address { referrer_wallet: alice.pubkey(), upline: vec![] })
            .expect("ix");
    replace_account(&mut ix, &alice_m, pda::member(&hub2, &alice.pubkey()).0);
    assert_custom_error(fx.send(&[ix], &[&bob]).await, ReferralError::ReferrerNotMember);
    let mut ix =
        ix::set_referrer(&bob.pubkey(), &hub, Referral::Address { referrer_wallet: alice.pubkey(), upline: vec![] })
            .expect("ix");
    replace_account(&mut ix, &bob_m, pda::member(&hub2, &bob.pubkey()).0);
    assert_custom_error(fx.send(&[ix], &[&bob]).await, ReferralError::WrongHub);

    // Duplicate writable: member and referrer the same account.
    let via_self = Referral::Address { referrer_wallet: bob.pubkey(), upline: vec![] };
    assert_custom_error(fx.set_referrer(&hub, &bob, via_self).await, ReferralError::SelfReferral);
    assert_eq!(fx.snapshot(&watch).await, before);

    // Re-initialisation of the relationship: bob binds to alice, then tries mallory.
    let via_alice = Referral::Address { referrer_wallet: alice.pubkey(), upline: vec![] };
    fx.set_referrer(&hub, &bob, via_alice).await.expect("first binding");
    let before = fx.snapshot(&watch).await;
    assert_custom_error(fx.set_referrer(&hub, &bob, via_mallory).await, ReferralError::ReferrerAlreadySet);
    assert_eq!(fx.snapshot(&watch).await, before);
}
