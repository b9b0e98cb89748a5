//! Issue 8, point 4: staking counts only real, held NFTs.
//!
//! A mint whose authority could mint a second token, or freeze the escrow, is refused (a Metaplex NFT's
//! authorities belong to its master edition). A stake counts for fee eligibility and milestones from the
//! slot after it was made (docs/DECISIONS.md D-36): an NFT borrowed for one transaction (stake, trade,
//! unstake) earns nothing.
use anchor_lang::prelude::Pubkey;
use anchor_spl::token::spl_token;
use referral::errors::ReferralError;
use referral_client::ix;
use referral_client::{decode, pda, HubConfig, RouteFeeResult, ShareOutcome};
use referral_tests::tokens::{Authority, NftSpec, TOKEN};
use referral_tests::{assert_custom_error, Fixture, TestKeypair, TestSigner};

const COLLECTION: Pubkey = Pubkey::new_from_array([61; 32]);
const SOL: u64 = 1_000_000_000;

async fn staking_hub(fx: &mut Fixture, reporter: &TestKeypair) -> Pubkey {
    let mut config = HubConfig::with_defaults(COLLECTION);
    config.reporters = vec![reporter.pubkey()];
    fx.hub_with(config).await
}

// the NFT's creator kept its mint authority: staking is refused (NftStillMintable) and
// nothing changes; the attack it prevents is shown next: the creator mints a second token of the "NFT".
// A kept freeze authority is refused too (NftFreezable): it could freeze the escrow and trap the NFT.
// Authorities with the master edition (Metaplex) or with nobody are accepted.
#[tokio::test]
async fn mints_that_can_still_mint_or_freeze_are_refused() {
    let mut fx = Fixture::new().await;
    let reporter = fx.wallet().await;
    let hub = staking_hub(&mut fx, &reporter).await;
    let alice = fx.member_under(&hub, None).await;
    let creator = fx.wallet().await;
    let spec = NftSpec { mint_authority: Authority::Creator, ..NftSpec::of(COLLECTION) };
    let (mint, token) = fx.nft_by(&TestKeypair::new(), &creator, &alice.pubkey(), spec).await;
    let member = pda::member(&hub, &alice.pubkey()).0;
    let receipt = pda::stake_receipt(&hub, &mint).0;
    let watch = [member, token, receipt];
    let before = fx.snapshot(&watch).await;
    let stake = ix::stake_nft(&alice.pubkey(), &alice.pubkey(), &hub, &mint, &token);
    assert_custom_error(fx.send(&[stake], &[&alice]).await, ReferralError::NftStillMintable);
    assert_eq!(fx.snapshot(&watch).await, before);
    // What a live mint authority can do: a second token of the same mint.
    let other = fx.ata(&creator.pubkey(), &mint, TOKEN).await;
    fx.mint_to(&creator, &mint, &other, 1, TOKEN).await;
    assert_eq!(fx.supply(&mint).await, 2, "not one of a kind any more");

    let spec = NftSpec { freeze_authority: Authority::Creator, ..NftSpec::of(COLLECTION) };
    let (mint, token) = fx.nft_by(&TestKeypair::new(), &creator, &alice.pubkey(), spec).await;
    let freeze = spl_token::instruction::freeze_account(&TOKEN, &token, &mint, &creator.pubkey(), &[]).unwrap();
    let thaw = spl_token::instruction::thaw_account(&TOKEN, &token, &mint, &creator.pubkey(), &[]).unwrap();
    fx.send(&[freeze, thaw], &[&creator]).await.expect("the freeze authority can freeze any account of the mint");
    let stake = ix::stake_nft(&alice.pubkey(), &alice.pubkey(), &hub, &mint, &token);
    assert_custom_error(fx.send(&[stake], &[&alice]).await, ReferralError::NftFreezable);

    for (m, f) in [(Authority::Edition, Authority::Edition), (Authority::Nobody, Authority::Nobody)] {
        let spec = NftSpec { mint_authority: m, freeze_authority: f, ..NftSpec::of(COLLECTION) };
        let (mint, token) = fx.nft_by(&TestKeypair::new(), &creator, &alice.pubkey(), spec).await;
        let stake = ix::stake_nft(&alice.pubkey(), &alice.pubkey(), &hub, &mint, &token);
        fx.send(&[stake], &[&alice]).await.expect("a Metaplex-shaped NFT stakes");
    }
    assert_eq!(fx.member(&hub, &alice.pubkey()).await.staked_count, 2);
}

// the flash stake of the issue. The referrer borrows an NFT for one transaction: stake,
// the referee's 20 SOL trade, unstake. The transaction succeeds but the fresh stake does not count: no fee
// share (NotEligible), no milestone share of the referee's points. Staked in one slot and traded in the
// next, the NFT counts.
#[tokio::test]
async fn stake_trade_unstake_in_one_transaction_earns_nothing() {
    let mut fx = Fixture::new().await;
    let reporter = fx.wallet().await;
    let hub = staking_hub(&mut fx, &reporter).await;
    let r = fx.member_under(&hub, None).await;
    let t = fx.member_under(&hub, Some(&r)).await;
    let (mint, token) = fx.nft(&r.pubkey(), NftSpec::of(COLLECTION)).await;
    let trade = fx.trade_of(&hub, &t.pubkey()).await;
    let stake = ix::stake_nft(&r.pubkey(), &r.pubkey(), &hub, &mint, &token);
    let report = ix::route_fee(&reporter.pubkey(), &hub, &t.pubkey(), &trade, 20 * SOL, 1_000);
    let unstake = ix::unstake_nft(&r.pubkey(), &r.pubkey(), &hub, &mint, &token);
    let r_m = pda::member(&hub, &r.pubkey()).0;
    let before = fx.lamports(&r_m).await;
    let sent = fx.send(&[stake.clone(), report.clone(), unstake], &[&r, &reporter, &t]).await.expect("flash stake");
    let events = decode::events::<referral::events::FeeRouted>(&sent.logs);
    assert_eq!(events.len(), 1);
    assert_eq!((events[0].referrer_share, events[0].outcome), (0, ShareOutcome::NotEligible));
    let m = fx.member(&hub, &r.pubkey()).await;
    assert_eq!((m.claimable_lamports, m.referral_points, m.staked_count), (0, 0, 0));
    assert_eq!(fx.lamports(&r_m).await, before);
    assert_eq!(fx.token_balance(&token).await, 1, "the NFT went back to its lender");

    // Stake and trade in the same slot, in separate transactions: still not counted.
    fx.send(&[stake], &[&r]).await.expect("stake");
    let sent = fx.send(std::slice::from_ref(&report), &[&reporter, &t]).await.expect("trade");
    let res: RouteFeeResult = decode::return_data(&sent.return_data.expect("return").1).expect("result");
    assert_eq!((res.referrer_share, res.outcome), (0, ShareOutcome::NotEligible));
    // The next slot: the NFT counts (10% milestone share, 5% fee share).
    fx.next_slot().await;
    let sent = fx.send(&[report], &[&reporter, &t]).await.expect("trade");
    let res: RouteFeeResult = decode::return_data(&sent.return_data.expect("return").1).expect("result");
    assert_eq!((res.referrer_share, res.outcome, res.referral_points), (SOL, ShareOutcome::Routed, 100));
}

// a fresh stake does not raise a milestone in its own slot either: the referrer with 9
// NFTs staked earlier and a 10th staked now earns the 9-NFT share (14%), and 15% from the next slot; a
// trader's fresh first NFT does not replace its 1.05x referee multiplier until the next slot.
#[tokio::test]
async fn fresh_stakes_do_not_raise_milestones_in_their_slot() {
    let mut fx = Fixture::new().await;
    let reporter = fx.wallet().await;
    let hub = staking_hub(&mut fx, &reporter).await;
    let r = fx.member_under(&hub, None).await;
    fx.stake_many(&hub, &r, COLLECTION, 9).await;
    let t = fx.member_under(&hub, Some(&r)).await;
    let trade = fx.trade_of(&hub, &t.pubkey()).await;
    let (mint, token) = fx.nft(&r.pubkey(), NftSpec::of(COLLECTION)).await;
    fx.send(&[ix::stake_nft(&r.pubkey(), &r.pubkey(), &hub, &mint, &token)], &[&r]).await.expect("10th");
    let (tm, tt) = fx.nft(&t.pubkey(), NftSpec::of(COLLECTION)).await;
    fx.send(&[ix::stake_nft(&t.pubkey(), &t.pubkey(), &hub, &tm, &tt)], &[&t]).await.expect("trader's first");
    let ixa = ix::award_points(&reporter.pubkey(), &hub, &trade, 1_000);
    let sent = fx.send(std::slice::from_ref(&ixa), &[&reporter]).await.expect("award");
    let c: referral_client::Credited = decode::return_data(&sent.return_data.expect("return").1).expect("credited");
    assert_eq!((c.own_points, c.referral_points), (1_050, 140));
    fx.next_slot().await;
    let sent = fx.send(&[ixa], &[&reporter]).await.expect("award");
    let c: referral_client::Credited = decode::return_data(&sent.return_data.expect("return").1).expect("credited");
    assert_eq!((c.own_points, c.referral_points), (1_100, 150));
}
