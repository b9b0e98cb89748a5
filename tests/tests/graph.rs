//! Members, codes and the referral graph (R-2.1 .. ): joining, codes, set-once relationships, late
//! binding, acyclicity, upline verification and level counts.
use anchor_lang::prelude::Pubkey;
use referral::errors::ReferralError;
use referral::state::PAUSE_SIGNUPS;
use referral_client::ix::{self, Referral};
use referral_client::{pda, HubConfig, Member, ReferralCode};
use referral_tests::{assert_custom_error, Fixture, TestKeypair, TestSigner};

async fn open_hub(fx: &mut Fixture) -> Pubkey {
    fx.hub_with(HubConfig::with_defaults(Pubkey::default())).await
}

// join without a code: a Member per hub and wallet, no referrer, zero counts.
#[tokio::test]
async fn join_without_code() {
    let mut fx = Fixture::new().await;
    let hub = open_hub(&mut fx).await;
    let w = fx.wallet().await;
    fx.join(&hub, &w, Referral::None).await.expect("join");
    let m = fx.member(&hub, &w.pubkey()).await;
    assert_eq!(m.hub, hub);
    assert_eq!(m.wallet, w.pubkey());
    assert!(!m.has_referrer());
    assert_eq!(m.referee_counts, [0; 4]);
    assert_eq!(m.bump, pda::member(&hub, &w.pubkey()).1);
    assert!(m.joined_at > 0);
    // The same wallet may join another hub: membership is per hub and wallet.
    let hub2 = open_hub(&mut fx).await;
    fx.join(&hub2, &w, Referral::None).await.expect("join second hub");
    assert_eq!(fx.member(&hub2, &w.pubkey()).await.hub, hub2);
}

// a wallet joins a hub once; the second attempt is a named error and changes nothing.
#[tokio::test]
async fn join_once() {
    let mut fx = Fixture::new().await;
    let hub = open_hub(&mut fx).await;
    let a = fx.member_under(&hub, None).await;
    let w = fx.member_under(&hub, None).await;
    let key = pda::member(&hub, &w.pubkey()).0;
    let before = fx.snapshot(&[key, pda::member(&hub, &a.pubkey()).0]).await;
    let via = fx.by_address(&hub, &a.pubkey()).await;
    assert_custom_error(fx.join(&hub, &w, via).await, ReferralError::AlreadyMember);
    assert_eq!(fx.snapshot(&[key, pda::member(&hub, &a.pubkey()).0]).await, before);
}

// join with a code; the code resolves to its owner, case-insensitively.
#[tokio::test]
async fn join_with_code() {
    let mut fx = Fixture::new().await;
    let hub = open_hub(&mut fx).await;
    let alice = fx.member_under(&hub, None).await;
    fx.make_code(&hub, &alice, "Alice-2026").await.expect("make code");
    let code: ReferralCode = fx.account(&pda::code(&hub, "alice-2026").expect("code").0).await.expect("code account");
    assert_eq!(code.code, "alice-2026");
    assert_eq!(code.owner, alice.pubkey());
    assert_eq!(code.hub, hub);

    let bob = fx.wallet().await;
    let via = fx.by_code(&hub, "ALICE-2026").await;
    fx.join(&hub, &bob, via).await.expect("join with code");
    let b = fx.member(&hub, &bob.pubkey()).await;
    assert_eq!(b.referrer, pda::member(&hub, &alice.pubkey()).0);
    assert_eq!(fx.member(&hub, &alice.pubkey()).await.referee_counts, [1, 0, 0, 0]);
}

// invite-only hubs refuse a join without a code or address, and accept both links.
#[tokio::test]
async fn invite_only() {
    let mut fx = Fixture::new().await;
    let mut config = HubConfig::with_defaults(Pubkey::default());
    config.invite_only = true;
    let admin = fx.wallet().await;
    let hub = fx.create_hub(&admin, 1, config).await.expect("hub");
    let w = fx.wallet().await;
    assert_custom_error(fx.join(&hub, &w, Referral::None).await, ReferralError::InviteOnly);
    assert!(fx.raw(&pda::member(&hub, &w.pubkey()).0).await.is_none());

    // The hub's admin is the root of an invite-only hub: it joins without a code (docs/DECISIONS.md).
    fx.join(&hub, &admin, Referral::None).await.expect("admin joins its invite-only hub");
    let seed = admin;
    fx.make_code(&hub, &seed, "seed").await.expect("code");
    let via = fx.by_code(&hub, "seed").await;
    fx.join(&hub, &w, via).await.expect("join by code");
    let w2 = fx.wallet().await;
    let via = fx.by_address(&hub, &seed.pubkey()).await;
    fx.join(&hub, &w2, via).await.expect("join by address");
    assert_eq!(fx.member(&hub, &seed.pubkey()).await.referee_counts[0], 2);
}

// paused sign-ups refuse join and set_referrer with a named error.
#[tokio::test]
async fn signups_paused() {
    let mut fx = Fixture::new().await;
    let hub = open_hub(&mut fx).await;
    let a = fx.member_under(&hub, None).await;
    let b = fx.member_under(&hub, None).await;
    fx.force_pause(&hub, PAUSE_SIGNUPS).await;
    let w = fx.wallet().await;
    assert_custom_error(fx.join(&hub, &w, Referral::None).await, ReferralError::SignupsPaused);
    let via = fx.by_address(&hub, &a.pubkey()).await;
    assert_custom_error(fx.set_referrer(&hub, &b, via).await, ReferralError::SignupsPaused);
}

// codes are normalised, validated, unique per hub and never reassigned.
#[tokio::test]
async fn codes_unique_and_validated() {
    let mut fx = Fixture::new().await;
    let hub = open_hub(&mut fx).await;
    let alice = fx.member_under(&hub, None).await;
    let mallory = fx.member_under(&hub, None).await;
    fx.make_code(&hub, &alice, "summer_sale").await.expect("code");
    let code_key = pda::code(&hub, "summer_sale").expect("code").0;
    let before = fx.snapshot(&[code_key]).await;
    // Any casing of a taken code is the same code.
    assert_custom_error(fx.make_code(&hub, &mallory, "SUMMER_SALE").await, ReferralError::CodeTaken);
    assert_custom_error(fx.make_code(&hub, &alice, "summer_sale").await, ReferralError::CodeTaken);
    assert_eq!(fx.snapshot(&[code_key]).await, before, "a code is never reassigned");

    // Bad codes cannot even be addressed by the client; send them with a valid address to see the
    // program's own refusal.
    let long = "x".repeat(33);
    for (bad, err) in [
        ("ab", ReferralError::CodeLength),
        (long.as_str(), ReferralError::CodeLength),
        ("has space", ReferralError::CodeCharacter),
        ("bad!code", ReferralError::CodeCharacter),
        ("émile", ReferralError::CodeCharacter),
    ] {
        let mut ix = ix::make_code(&alice.pubkey(), &alice.pubkey(), &hub, "placeholder").expect("builder");
        ix.data = anchor_lang::InstructionData::data(&referral::instruction::MakeCode { code: bad.to_string() });
        assert_custom_error(fx.send(&[ix], &[&alice]).await, err);
    }
}

/// A chain w[0] <- w[1] <- ... <- w[n-1] (each joined under the previous, by address).
async fn chain(fx: &mut Fixture, hub: &Pubkey, n: usize) -> Vec<TestKeypair> {
    let mut out: Vec<TestKeypair> = Vec::new();
    for _ in 0..n {
        let w = fx.member_under(hub, out.last()).await;
        out.push(w);
    }
    out
}

async fn member_keys(hub: &Pubkey, ws: &[TestKeypair]) -> Vec<Pubkey> {
    ws.iter().map(|w| pda::member(hub, &w.pubkey()).0).collect()
}

// the member's own address works as a code before any vanity code exists.
#[tokio::test]
async fn pubkey_as_code() {
    let mut fx = Fixture::new().await;
    let hub = open_hub(&mut fx).await;
    let alice = fx.member_under(&hub, None).await;
    let bob = fx.wallet().await;
    let via = fx.by_address(&hub, &alice.pubkey()).await;
    fx.join(&hub, &bob, via).await.expect("join by address");
    assert_eq!(fx.member(&hub, &bob.pubkey()).await.referrer, pda::member(&hub, &alice.pubkey()).0);
}

// a code must match its account and its owner must be the referrer passed.
#[tokio::test]
async fn code_must_match_referrer() {
    let mut fx = Fixture::new().await;
    let hub = open_hub(&mut fx).await;
    let alice = fx.member_under(&hub, None).await;
    let mallory = fx.member_under(&hub, None).await;
    fx.make_code(&hub, &alice, "alice").await.expect("code");
    fx.make_code(&hub, &mallory, "mallory").await.expect("code");
    let bob = fx.wallet().await;
    let keys = member_keys(&hub, &[alice.insecure_clone(), mallory.insecure_clone()]).await;
    let before = fx.snapshot(&keys).await;
    // Alice's code with Mallory as referrer: the code does not belong to her.
    let wrong_owner = Referral::Code { code: "alice".into(), referrer_wallet: mallory.pubkey(), upline: vec![] };
    assert_custom_error(fx.join(&hub, &bob, wrong_owner).await, ReferralError::CodeOwnerMismatch);
    // The code string says "alice" but the account passed is Mallory's code account.
    let mut ix = ix::join(
        &bob.pubkey(),
        &bob.pubkey(),
        &hub,
        Referral::Code { code: "mallory".into(), referrer_wallet: mallory.pubkey(), upline: vec![] },
    )
    .expect("ix");
    ix.data = anchor_lang::InstructionData::data(&referral::instruction::Join { code: Some("alice".into()) });
    assert_custom_error(fx.send(&[ix], &[&bob]).await, ReferralError::CodeMismatch);
    // A code account without a code string.
    let mut ix = ix::join(
        &bob.pubkey(),
        &bob.pubkey(),
        &hub,
        Referral::Code { code: "alice".into(), referrer_wallet: alice.pubkey(), upline: vec![] },
    )
    .expect("ix");
    ix.data = anchor_lang::InstructionData::data(&referral::instruction::Join { code: None });
    assert_custom_error(fx.send(&[ix], &[&bob]).await, ReferralError::CodeAccountMissing);
    assert_eq!(fx.snapshot(&keys).await, before);
    assert!(fx.raw(&pda::member(&hub, &bob.pubkey()).0).await.is_none());
}

// the relationship is set once; a second attempt is rejected, not ignored.
#[tokio::test]
async fn relationship_set_once() {
    let mut fx = Fixture::new().await;
    let hub = open_hub(&mut fx).await;
    let a = fx.member_under(&hub, None).await;
    let c = fx.member_under(&hub, None).await;
    let b = fx.member_under(&hub, Some(&a)).await;
    let keys = member_keys(&hub, &[a.insecure_clone(), b.insecure_clone(), c.insecure_clone()]).await;
    let before = fx.snapshot(&keys).await;
    let via = fx.by_address(&hub, &c.pubkey()).await;
    assert_custom_error(fx.set_referrer(&hub, &b, via).await, ReferralError::ReferrerAlreadySet);
    assert_eq!(fx.snapshot(&keys).await, before);
    // One referrer may have any number of referees.
    for _ in 0..5 {
        fx.member_under(&hub, Some(&a)).await;
    }
    assert_eq!(fx.member(&hub, &a.pubkey()).await.referee_counts[0], 6);
}

// a member without a referrer sets one later; counts follow.
#[tokio::test]
async fn late_binding() {
    let mut fx = Fixture::new().await;
    let hub = open_hub(&mut fx).await;
    let ws = chain(&mut fx, &hub, 2).await; // w0 <- w1
    let late = fx.member_under(&hub, None).await;
    fx.make_code(&hub, &ws[1], "w1code").await.expect("code");
    let via = fx.by_code(&hub, "W1CODE").await;
    fx.set_referrer(&hub, &late, via).await.expect("late binding by code");
    let m = fx.member(&hub, &late.pubkey()).await;
    assert_eq!(m.referrer, pda::member(&hub, &ws[1].pubkey()).0);
    assert_eq!(fx.member(&hub, &ws[1].pubkey()).await.referee_counts, [1, 0, 0, 0]);
    assert_eq!(fx.member(&hub, &ws[0].pubkey()).await.referee_counts, [1, 1, 0, 0]);
}

// self-referral is rejected, at join and later.
#[tokio::test]
async fn self_referral_rejected() {
    let mut fx = Fixture::new().await;
    let hub = open_hub(&mut fx).await;
    let a = fx.member_under(&hub, None).await;
    let key = pda::member(&hub, &a.pubkey()).0;
    let before = fx.snapshot(&[key]).await;
    // set_referrer naming itself: refused before anything is loaded mutably (member == referrer).
    let via = Referral::Address { referrer_wallet: a.pubkey(), upline: vec![] };
    assert_custom_error(fx.set_referrer(&hub, &a, via).await, ReferralError::SelfReferral);
    // Through its own code.
    fx.make_code(&hub, &a, "me-me").await.expect("code");
    let before_code = fx.snapshot(&[key]).await;
    let via = fx.by_code(&hub, "me-me").await;
    assert_custom_error(fx.set_referrer(&hub, &a, via).await, ReferralError::SelfReferral);
    assert_eq!(fx.snapshot(&[key]).await, before_code);
    assert_eq!(before, before_code, "the member account is untouched throughout");
    // At join, naming one's own (not yet existing) member as referrer: the referrer must be a member
    // (an empty account is owned by the System Program, not this program).
    let b = fx.wallet().await;
    let via = Referral::Address { referrer_wallet: b.pubkey(), upline: vec![] };
    assert_custom_error(fx.join(&hub, &b, via).await, anchor_lang::error::ErrorCode::AccountOwnedByWrongProgram);
    assert!(fx.raw(&pda::member(&hub, &b.pubkey()).0).await.is_none());
}

// cycle attack A -> B then B -> A: B joined under A, so A has a referee and cannot bind to B.
#[tokio::test]
async fn cycle_two_members() {
    let mut fx = Fixture::new().await;
    let hub = open_hub(&mut fx).await;
    let a = fx.member_under(&hub, None).await;
    let b = fx.member_under(&hub, Some(&a)).await;
    let keys = member_keys(&hub, &[a.insecure_clone(), b.insecure_clone()]).await;
    let before = fx.snapshot(&keys).await;
    let via = fx.by_address(&hub, &b.pubkey()).await;
    assert_custom_error(fx.set_referrer(&hub, &a, via).await, ReferralError::HasReferees);
    assert_eq!(fx.snapshot(&keys).await, before);
}

// cycle attack on a chain of 5: the root binding to the tail is refused, as is any member with
// referees binding anywhere (late binding by a member that has referees).
#[tokio::test]
async fn cycle_chain_of_five() {
    let mut fx = Fixture::new().await;
    let hub = open_hub(&mut fx).await;
    let ws = chain(&mut fx, &hub, 5).await;
    let keys = member_keys(&hub, &ws).await;
    let before = fx.snapshot(&keys).await;
    let via = fx.by_address(&hub, &ws[4].pubkey()).await;
    assert_custom_error(fx.set_referrer(&hub, &ws[0], via).await, ReferralError::HasReferees);
    // An unrelated member with referees cannot late-bind either, even to an unrelated referrer.
    let outsider = fx.member_under(&hub, None).await;
    let _child = fx.member_under(&hub, Some(&outsider)).await;
    let via = fx.by_address(&hub, &ws[2].pubkey()).await;
    assert_custom_error(fx.set_referrer(&hub, &outsider, via).await, ReferralError::HasReferees);
    assert_eq!(fx.snapshot(&keys).await, before);
    // Members in the middle already have a referrer: set-once refuses them first.
    let via = fx.by_address(&hub, &ws[4].pubkey()).await;
    assert_custom_error(fx.set_referrer(&hub, &ws[2], via).await, ReferralError::ReferrerAlreadySet);
}

// the upline passed must be exactly the referrer's chain: wrong, missing, extra, read-only or
// repeated accounts are refused and nothing changes.
#[tokio::test]
async fn upline_verified_link_by_link() {
    let mut fx = Fixture::new().await;
    let hub = open_hub(&mut fx).await;
    let ws = chain(&mut fx, &hub, 4).await; // w0 <- w1 <- w2 <- w3
    let other = fx.member_under(&hub, None).await;
    let keys = member_keys(&hub, &ws).await;
    let other_key = pda::member(&hub, &other.pubkey()).0;
    let newbie = fx.wallet().await;
    let good = fx.by_address(&hub, &ws[3].pubkey()).await;
    let Referral::Address { upline, .. } = good.clone() else { unreachable!() };
    assert_eq!(upline, vec![keys[2], keys[1], keys[0]]);
    let mut all = keys.clone();
    all.push(other_key);
    let before = fx.snapshot(&all).await;

    let with = |upline: Vec<Pubkey>| Referral::Address { referrer_wallet: ws[3].pubkey(), upline };
    let cases = [
        (with(vec![keys[2], keys[1]]), ReferralError::UplineIncomplete),
        (with(vec![]), ReferralError::UplineIncomplete),
        (with(vec![keys[2], other_key, keys[0]]), ReferralError::UplineMismatch),
        (with(vec![keys[1], keys[2], keys[0]]), ReferralError::UplineMismatch),
        (with(vec![keys[2], keys[1], keys[0], other_key]), ReferralError::UplineMismatch),
        (with(vec![keys[3], keys[2], keys[1]]), ReferralError::UplineMismatch), // the referrer repeated
    ];
    for (referral, err) in cases {
        assert_custom_error(fx.join(&hub, &newbie, referral).await, err);
        assert_eq!(fx.snapshot(&all).await, before);
    }
    // Read-only upline account.
    let mut ix = ix::join(&newbie.pubkey(), &newbie.pubkey(), &hub, good.clone()).expect("ix");
    let last = ix.accounts.len() - 1;
    ix.accounts[last].is_writable = false;
    assert_custom_error(fx.send(&[ix], &[&newbie]).await, ReferralError::UplineNotWritable);
    // Upline accounts passed without a referrer.
    let mut ix = ix::join(&newbie.pubkey(), &newbie.pubkey(), &hub, Referral::None).expect("ix");
    ix.accounts.push(anchor_lang::solana_program::instruction::AccountMeta::new(keys[0], false));
    assert_custom_error(fx.send(&[ix], &[&newbie]).await, ReferralError::UplineMismatch);
    assert_eq!(fx.snapshot(&all).await, before);
    assert!(fx.raw(&pda::member(&hub, &newbie.pubkey()).0).await.is_none());

    fx.join(&hub, &newbie, good).await.expect("the exact upline is accepted");
}

// counts reach 4 levels up and no further; the upline is fixed once made.
#[tokio::test]
async fn level_counts_to_depth_four() {
    let mut fx = Fixture::new().await;
    let hub = open_hub(&mut fx).await;
    let ws = chain(&mut fx, &hub, 6).await; // w0 <- w1 <- ... <- w5
    let counts = |m: Member| m.referee_counts;
    assert_eq!(counts(fx.member(&hub, &ws[0].pubkey()).await), [1, 1, 1, 1]); // w5 is 5 levels below: not counted
    assert_eq!(counts(fx.member(&hub, &ws[1].pubkey()).await), [1, 1, 1, 1]);
    assert_eq!(counts(fx.member(&hub, &ws[2].pubkey()).await), [1, 1, 1, 0]);
    assert_eq!(counts(fx.member(&hub, &ws[4].pubkey()).await), [1, 0, 0, 0]);
    assert_eq!(counts(fx.member(&hub, &ws[5].pubkey()).await), [0, 0, 0, 0]);
    // A tree: w1 gets two more direct referees, one of which gets a referee.
    let x = fx.member_under(&hub, Some(&ws[1])).await;
    fx.member_under(&hub, Some(&ws[1])).await;
    fx.member_under(&hub, Some(&x)).await;
    assert_eq!(counts(fx.member(&hub, &ws[1].pubkey()).await), [3, 2, 1, 1]);
    assert_eq!(counts(fx.member(&hub, &ws[0].pubkey()).await), [1, 3, 2, 1]);
    // Each member's referrer link is the Member address of the one above (fixed, R-2.5).
    for i in 1..6 {
        assert_eq!(fx.member(&hub, &ws[i].pubkey()).await.referrer, pda::member(&hub, &ws[i - 1].pubkey()).0);
    }
}
