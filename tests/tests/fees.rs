//! Points and fee routing (R-4.1 ..) on the SBF binary, balances read before and
//! after every money movement.
use anchor_lang::prelude::Pubkey;
use referral::errors::ReferralError;
use referral::events::FeeRouted;
use referral_client::ix::{self, Referral, Trade};
use referral_client::{decode, pda, Credited, HubConfig, RouteFeeResult, ShareOutcome};
use referral_tests::tokens::{TOKEN, TOKEN_2022};
use referral_tests::{assert_custom_error, Fixture, TestKeypair, TestSigner};

const COLLECTION: Pubkey = Pubkey::new_from_array([88; 32]);
const SOL: u64 = 1_000_000_000;

/// A hub without a collection: flat 10% level-1 share, every referrer earns.
fn flat(c: &mut HubConfig) {
    c.collection = Pubkey::default();
    c.milestones.clear();
    c.min_stake_to_earn = 0;
}

struct Setup {
    fx: Fixture,
    hub: Pubkey,
    reporter: TestKeypair,
}

async fn setup(config: impl FnOnce(&mut HubConfig)) -> Setup {
    let mut fx = Fixture::new().await;
    let reporter = fx.wallet().await;
    let mut c = HubConfig::with_defaults(COLLECTION);
    c.reporters = vec![reporter.pubkey()];
    config(&mut c);
    let hub = fx.hub_with(c).await;
    Setup { fx, hub, reporter }
}

impl Setup {
    /// Routes a SOL fee; checks the return data against the event.
    async fn route(
        &mut self,
        payer: &TestKeypair,
        trader: &Pubkey,
        fee: u64,
        base: u64,
    ) -> Result<RouteFeeResult, referral_tests::Failed> {
        let trade = self.fx.trade_of(&self.hub, trader).await;
        let ix = ix::route_fee(&self.reporter.pubkey(), &self.hub, &payer.pubkey(), &trade, fee, base);
        let reporter = self.reporter.insecure_clone();
        let sent = self.fx.send(&[ix], &[&reporter, payer]).await?;
        let (program, data) = sent.return_data.expect("route_fee returns data");
        assert_eq!(program, referral::ID);
        let r = decode::return_data::<RouteFeeResult>(&data).expect("RouteFeeResult");
        // the FeeRouted event says the same as the return data (none when nothing happened).
        match decode::events::<FeeRouted>(&sent.logs).as_slice() {
            [] => assert_eq!(r.own_points + r.referrer_share, 0, "no event only when nothing happened"),
            [e] => {
                assert_eq!((e.fee, e.referrer_share, e.credited), (fee, r.referrer_share, r.credited));
                assert_eq!((e.own_points, e.referral_points), (r.own_points, r.referral_points));
                assert_eq!(e.trader, pda::member(&self.hub, trader).0);
            }
            many => panic!("{} FeeRouted events", many.len()),
        }
        Ok(r)
    }

    /// Routes a token fee paid by `payer` from `payer_token` for its own trade; returns the result.
    async fn route_token(
        &mut self,
        payer: &TestKeypair,
        payer_token: &Pubkey,
        mint: &Pubkey,
        program: Pubkey,
        fee: u64,
    ) -> RouteFeeResult {
        let trade = self.fx.trade_of(&self.hub, &payer.pubkey()).await;
        let reporter = self.reporter.insecure_clone();
        let ixt = ix::route_fee_token(
            &reporter.pubkey(),
            &self.hub,
            &payer.pubkey(),
            payer_token,
            mint,
            &program,
            &trade,
            fee,
            0,
        );
        let sent = self.fx.send(&[ixt], &[&reporter, payer]).await.expect("route token fee");
        decode::return_data(&sent.return_data.expect("route_fee_token returns data").1).expect("RouteFeeResult")
    }

    async fn award(&mut self, trader: &Pubkey, base: u64) -> Result<Credited, referral_tests::Failed> {
        let trade = self.fx.trade_of(&self.hub, trader).await;
        let ix = ix::award_points(&self.reporter.pubkey(), &self.hub, &trade, base);
        let reporter = self.reporter.insecure_clone();
        let sent = self.fx.send(&[ix], &[&reporter]).await?;
        Ok(decode::return_data::<Credited>(&sent.return_data.expect("return data").1).expect("Credited"))
    }
}

// the golden example. A has 10 NFTs staked and refers B; A earns 2,000 base points, B 5,000, and
// B pays 20 SOL of fees. A: 2,500 own (1.25x), 750 referral (15% of 5,000), 1 SOL claimable. B: 5,250 own
// (1.05x). Balances: B pays exactly 1 SOL to A's account; the other 19 SOL never leave B.
#[tokio::test]
async fn golden_example() {
    let mut s = setup(|_| {}).await;
    let hub = s.hub;
    let a = s.fx.member_under(&hub, None).await;
    s.fx.stake_many(&hub, &a, COLLECTION, 10).await;
    let b = s.fx.member_under(&hub, Some(&a)).await;
    let a_m = pda::member(&hub, &a.pubkey()).0;

    let credited = s.award(&a.pubkey(), 2_000).await.expect("award A");
    assert_eq!(credited, Credited { own_points: 2_500, referral_points: 0 });

    let b_before = s.fx.lamports(&b.pubkey()).await;
    let a_acc_before = s.fx.lamports(&a_m).await;
    let r = s.route(&b, &b.pubkey(), 20 * SOL, 5_000).await.expect("route B's fee");
    assert_eq!(
        r,
        RouteFeeResult {
            referrer_share: SOL,
            remainder: 19 * SOL,
            credited: SOL,
            own_points: 5_250,
            referral_points: 750,
            outcome: ShareOutcome::Routed,
        }
    );
    assert_eq!(r.referrer_share + r.remainder, 20 * SOL);
    assert_eq!(s.fx.lamports(&b.pubkey()).await, b_before - SOL, "B pays exactly the share (tx fee is the fixture's)");
    assert_eq!(s.fx.lamports(&a_m).await, a_acc_before + SOL);

    let am = s.fx.member(&hub, &a.pubkey()).await;
    assert_eq!((am.own_points, am.referral_points, am.claimable_lamports), (2_500, 750, SOL));
    let bm = s.fx.member(&hub, &b.pubkey()).await;
    assert_eq!((bm.own_points, bm.referral_points), (5_250, 0));

    // A claims 1 SOL to its wallet; a second claim is NothingToClaim and changes nothing.
    let before = s.fx.lamports(&a.pubkey()).await;
    s.fx.send(&[ix::claim_fees(&a.pubkey(), &hub)], &[&a]).await.expect("claim");
    assert_eq!(s.fx.lamports(&a.pubkey()).await, before + SOL);
    assert_eq!(s.fx.lamports(&a_m).await, a_acc_before);
    assert_eq!(s.fx.member(&hub, &a.pubkey()).await.claimable_lamports, 0);
    let snap = s.fx.snapshot(&[a_m, a.pubkey()]).await;
    assert_custom_error(s.fx.send(&[ix::claim_fees(&a.pubkey(), &hub)], &[&a]).await, ReferralError::NothingToClaim);
    assert_eq!(s.fx.snapshot(&[a_m, a.pubkey()]).await, snap);
}

// multipliers and levels. Chain R2 <- R1 <- T (depth 2, level-2 share 5%): T trades with
// 1,000 base points; R1 (3 NFTs) earns its milestone share 11%; R2 earns 5%; a level-3 member nothing.
#[tokio::test]
async fn levels_and_multipliers() {
    let mut s = setup(|_| {}).await;
    let hub = s.hub;
    let r3 = s.fx.member_under(&hub, None).await;
    let r2 = s.fx.member_under(&hub, Some(&r3)).await;
    let r1 = s.fx.member_under(&hub, Some(&r2)).await;
    s.fx.stake_many(&hub, &r1, COLLECTION, 3).await;
    let t = s.fx.member_under(&hub, Some(&r1)).await;
    let payer = s.fx.wallet().await;
    let r = s.route(&payer, &t.pubkey(), 0, 1_000).await.expect("route");
    assert_eq!(r.own_points, 1_050); // referred, unstaked: 1.05x
    assert_eq!(r.referral_points, 110 + 50);
    assert_eq!(s.fx.member(&hub, &r1.pubkey()).await.referral_points, 110); // 10% + 2 x 0.5% = 11%
    assert_eq!(s.fx.member(&hub, &r2.pubkey()).await.referral_points, 50);
    assert_eq!(s.fx.member(&hub, &r3.pubkey()).await.referral_points, 0);
    // a staker's own multiplier is its milestone, with or without a referrer (no stacking).
    let r = s.route(&payer, &r1.pubkey(), 0, 1_000).await.expect("route r1");
    assert_eq!(r.own_points, 1_150); // 3 NFTs: 1.10x + 2 x 0.025x
                                     // An unreferred, unstaked trader: 1.00x, no referral points.
    let r = s.route(&payer, &r3.pubkey(), 0, 1_000).await.expect("route r3");
    assert_eq!((r.own_points, r.referral_points), (1_000, 0));
}

// a referrer below min_stake_to_earn gets no fee share (nothing moves); rounding down.
#[tokio::test]
async fn eligibility_and_rounding() {
    let mut s = setup(|_| {}).await;
    let hub = s.hub;
    let unstaked = s.fx.member_under(&hub, None).await;
    let t = s.fx.member_under(&hub, Some(&unstaked)).await;
    let um = pda::member(&hub, &unstaked.pubkey()).0;
    let before = s.fx.snapshot(&[t.pubkey()]).await;
    let u_lamports = s.fx.lamports(&um).await;
    let r = s.route(&t, &t.pubkey(), 20 * SOL, 100).await.expect("route");
    assert_eq!((r.referrer_share, r.remainder, r.credited), (0, 20 * SOL, 0));
    assert_eq!(s.fx.snapshot(&[t.pubkey()]).await, before, "nothing left the payer");
    assert_eq!(s.fx.lamports(&um).await, u_lamports);

    // Everyone earns on a hub with min_stake_to_earn 0 (no collection): 5% of 39 lamports rounds to 1.
    let mut s = setup(flat).await;
    let hub = s.hub;
    let r0 = s.fx.member_under(&hub, None).await;
    let t = s.fx.member_under(&hub, Some(&r0)).await;
    let before = s.fx.lamports(&t.pubkey()).await;
    let r = s.route(&t, &t.pubkey(), 39, 0).await.expect("route");
    assert_eq!((r.referrer_share, r.remainder), (1, 38));
    assert_eq!(s.fx.lamports(&t.pubkey()).await, before - 1);
    let r = s.route(&t, &t.pubkey(), 19, 0).await.expect("route");
    assert_eq!((r.referrer_share, r.remainder), (0, 19));
    assert_eq!(s.fx.member(&hub, &r0.pubkey()).await.claimable_lamports, 1);
}

// only a listed reporter creates points or moves fees.
#[tokio::test]
async fn unauthorised_reporter() {
    let mut s = setup(|_| {}).await;
    let hub = s.hub;
    let a = s.fx.member_under(&hub, None).await;
    let t = s.fx.member_under(&hub, Some(&a)).await;
    let keys = [pda::member(&hub, &a.pubkey()).0, pda::member(&hub, &t.pubkey()).0, t.pubkey()];
    let before = s.fx.snapshot(&keys).await;
    let mallory = s.fx.wallet().await;
    let trade = s.fx.trade_of(&hub, &t.pubkey()).await;
    let ixr = ix::route_fee(&mallory.pubkey(), &hub, &t.pubkey(), &trade, SOL, 1_000);
    assert_custom_error(s.fx.send(&[ixr], &[&mallory, &t]).await, ReferralError::UnauthorizedReporter);
    let ixa = ix::award_points(&mallory.pubkey(), &hub, &trade, 1_000);
    assert_custom_error(s.fx.send(&[ixa], &[&mallory]).await, ReferralError::UnauthorizedReporter);
    // A listed reporter's key without its signature.
    let mut ixr = ix::route_fee(&s.reporter.pubkey(), &hub, &t.pubkey(), &trade, SOL, 1);
    ixr.accounts[0].is_signer = false;
    assert_custom_error(s.fx.send(&[ixr], &[&t]).await, anchor_lang::error::ErrorCode::AccountNotSigner);
    assert_eq!(s.fx.snapshot(&keys).await, before);
}

// the referrer passed must be the trader's stored referrer, and upline accounts the stored chain;
// a trader who is not a member gets nothing and pays nothing.
#[tokio::test]
async fn referrer_and_upline_checked() {
    let mut s = setup(|c| c.min_stake_to_earn = 0).await;
    let hub = s.hub;
    let top = s.fx.member_under(&hub, None).await;
    let a = s.fx.member_under(&hub, Some(&top)).await;
    let other = s.fx.member_under(&hub, None).await;
    let t = s.fx.member_under(&hub, Some(&a)).await;
    let keys = [
        pda::member(&hub, &a.pubkey()).0,
        pda::member(&hub, &other.pubkey()).0,
        pda::member(&hub, &t.pubkey()).0,
        t.pubkey(),
    ];
    let before = s.fx.snapshot(&keys).await;
    let (fee, base) = (SOL, 100);
    let good = s.fx.trade_of(&hub, &t.pubkey()).await;
    assert_eq!(good.upline, vec![pda::member(&hub, &top.pubkey()).0]);
    let cases = [
        (Trade { referrer_wallet: Some(other.pubkey()), ..good.clone() }, ReferralError::ReferrerMismatch),
        (Trade { referrer_wallet: None, upline: vec![], ..good.clone() }, ReferralError::ReferrerAccountMissing),
        (Trade { upline: vec![], ..good.clone() }, ReferralError::UplineIncomplete),
        (Trade { upline: vec![pda::member(&hub, &other.pubkey()).0], ..good.clone() }, ReferralError::UplineMismatch),
        (
            Trade { upline: vec![good.upline[0], pda::member(&hub, &other.pubkey()).0], ..good.clone() },
            ReferralError::UplineMismatch,
        ),
    ];
    let reporter = s.reporter.insecure_clone();
    for (trade, err) in cases {
        let ixr = ix::route_fee(&reporter.pubkey(), &hub, &t.pubkey(), &trade, fee, base);
        assert_custom_error(s.fx.send(&[ixr], &[&reporter, &t]).await, err);
    }
    assert_eq!(s.fx.snapshot(&keys).await, before);

    // Not a member: no account at the trader's PDA.
    let stranger = s.fx.wallet().await;
    let before = s.fx.lamports(&stranger.pubkey()).await;
    let r = s.route(&stranger, &stranger.pubkey(), SOL, 100).await.expect("route for a non-member");
    assert_eq!(r, RouteFeeResult::nothing(SOL, ShareOutcome::NotMember));
    assert_eq!(s.fx.lamports(&stranger.pubkey()).await, before);
}

// route_fee writes only the trader's and upline's Members, the payer (and, for tokens, the payer's
// token account and the referrer's vault): no hub-wide or shared account.
#[tokio::test]
async fn writable_set_of_route_fee() {
    let mut s = setup(|c| c.min_stake_to_earn = 0).await;
    let hub = s.hub;
    let top = s.fx.member_under(&hub, None).await;
    let a = s.fx.member_under(&hub, Some(&top)).await;
    let t = s.fx.member_under(&hub, Some(&a)).await;
    let trade = s.fx.trade_of(&hub, &t.pubkey()).await;
    let ixr = ix::route_fee(&s.reporter.pubkey(), &hub, &t.pubkey(), &trade, SOL, 100);
    let mut writable: Vec<Pubkey> = ixr.accounts.iter().filter(|m| m.is_writable).map(|m| m.pubkey).collect();
    writable.sort();
    let mut expected = vec![
        pda::member(&hub, &t.pubkey()).0,
        pda::member(&hub, &a.pubkey()).0,
        pda::member(&hub, &top.pubkey()).0,
        t.pubkey(),
    ];
    expected.sort();
    assert_eq!(writable, expected);
    assert!(ixr.accounts.iter().any(|m| m.pubkey == hub && !m.is_writable), "hub is passed read-only");
    // And the program accepts exactly that (it would fail writing a read-only account).
    let reporter = s.reporter.insecure_clone();
    s.fx.send(&[ixr], &[&reporter, &t]).await.expect("route with the minimal writable set");

    let mint_auth = TestKeypair::new();
    let mint = s.fx.mint(&mint_auth, 6, TOKEN).await;
    let ixt = ix::route_fee_token(
        &s.reporter.pubkey(),
        &hub,
        &t.pubkey(),
        &Pubkey::new_unique(),
        &mint,
        &TOKEN,
        &trade,
        1,
        1,
    );
    let mut writable: Vec<Pubkey> = ixt.accounts.iter().filter(|m| m.is_writable).map(|m| m.pubkey).collect();
    writable.sort();
    assert_eq!(writable.len(), 6, "3 members, payer, payer token account, referrer vault");
    assert!(writable.contains(&pda::fee_vault(&pda::member(&hub, &a.pubkey()).0, &mint, &TOKEN)));
    assert!(!writable.contains(&hub) && !writable.contains(&mint));
}

// award_points credits points with the same multipliers and referral credit, moving no money.
#[tokio::test]
async fn award_points_moves_no_money() {
    let mut s = setup(|_| {}).await;
    let hub = s.hub;
    let a = s.fx.member_under(&hub, None).await;
    s.fx.stake_many(&hub, &a, COLLECTION, 1).await;
    let t = s.fx.member_under(&hub, Some(&a)).await;
    let a_m = pda::member(&hub, &a.pubkey()).0;
    let lamports = (s.fx.lamports(&a_m).await, s.fx.lamports(&t.pubkey()).await);
    let c = s.award(&t.pubkey(), 10_000).await.expect("award");
    assert_eq!(c, Credited { own_points: 10_500, referral_points: 1_000 });
    assert_eq!((s.fx.lamports(&a_m).await, s.fx.lamports(&t.pubkey()).await), lamports);
    assert_eq!(s.fx.member(&hub, &a.pubkey()).await.claimable_lamports, 0);
}

// SPL fees: the referrer's vault is created on first use, paid by the payer; the share
// arrives; the referrer claims it to its own token account; claiming an empty vault is NothingToClaim.
#[tokio::test]
async fn spl_token_fees() {
    let mut s = setup(|c| c.min_stake_to_earn = 0).await;
    let hub = s.hub;
    let a = s.fx.member_under(&hub, None).await;
    let t = s.fx.member_under(&hub, Some(&a)).await;
    let auth = TestKeypair::new();
    let mint = s.fx.mint(&auth, 6, TOKEN).await;
    let t_token = s.fx.ata(&t.pubkey(), &mint, TOKEN).await;
    s.fx.mint_to(&auth, &mint, &t_token, 1_000_000, TOKEN).await;
    let a_m = pda::member(&hub, &a.pubkey()).0;
    let vault = pda::fee_vault(&a_m, &mint, &TOKEN);
    assert!(s.fx.raw(&vault).await.is_none());
    let payer_lamports = s.fx.lamports(&t.pubkey()).await;
    let supply = s.fx.supply(&mint).await;
    for round in 0..2 {
        let r = s.route_token(&t, &t_token, &mint, TOKEN, 200_001).await;
        assert_eq!((r.referrer_share, r.remainder, r.credited), (10_000, 190_001, 10_000), "round {round}");
    }
    assert_eq!(s.fx.token_balance(&vault).await, 20_000);
    assert_eq!(s.fx.token_balance(&t_token).await, 1_000_000 - 20_000);
    assert_eq!(s.fx.supply(&mint).await, supply, "no token created or lost");
    let vault_rent = s.fx.lamports(&vault).await;
    assert_eq!(s.fx.lamports(&t.pubkey()).await, payer_lamports - vault_rent, "the payer paid the vault's rent once");

    let a_token = s.fx.ata(&a.pubkey(), &mint, TOKEN).await;
    s.fx.send(&[ix::claim_token_fees(&a.pubkey(), &hub, &mint, &TOKEN, &a_token)], &[&a]).await.expect("claim");
    assert_eq!(s.fx.token_balance(&a_token).await, 20_000);
    assert_eq!(s.fx.token_balance(&vault).await, 0);
    assert_custom_error(
        s.fx.send(&[ix::claim_token_fees(&a.pubkey(), &hub, &mint, &TOKEN, &a_token)], &[&a]).await,
        ReferralError::NothingToClaim,
    );
    // Claiming to someone else's token account is refused.
    let t_dest = s.fx.ata(&t.pubkey(), &mint, TOKEN).await;
    assert_custom_error(
        s.fx.send(&[ix::claim_token_fees(&a.pubkey(), &hub, &mint, &TOKEN, &t_dest)], &[&a]).await,
        ReferralError::WrongDestination,
    );
}

// Token-2022 with a transfer fee: what the referrer is credited is what arrived in its vault.
#[tokio::test]
async fn token_2022_transfer_fee_credited_as_arrived() {
    let mut s = setup(|c| c.min_stake_to_earn = 0).await;
    let hub = s.hub;
    let a = s.fx.member_under(&hub, None).await;
    let t = s.fx.member_under(&hub, Some(&a)).await;
    let auth = TestKeypair::new();
    let mint = s.fx.mint_with_transfer_fee(&auth, 6, 100, 1_000_000).await; // 1% transfer fee
    let t_token = s.fx.ata(&t.pubkey(), &mint, TOKEN_2022).await;
    s.fx.mint_to(&auth, &mint, &t_token, 10_000_000, TOKEN_2022).await;
    let r = s.route_token(&t, &t_token, &mint, TOKEN_2022, 2_000_000).await;
    // 5% of 2,000,000 = 100,000 leaves the payer; the mint withholds 1% (1,000) in the vault.
    assert_eq!((r.referrer_share, r.remainder, r.credited), (100_000, 1_900_000, 99_000));
    let vault = pda::fee_vault(&pda::member(&hub, &a.pubkey()).0, &mint, &TOKEN_2022);
    assert_eq!(s.fx.token_balance(&vault).await, 99_000);
    assert_eq!(s.fx.token_balance(&t_token).await, 10_000_000 - 100_000);
}

// while routing is paused a trade still goes through: nothing moves, no points; award_points is
// refused with a named error. Claims are never paused.
#[tokio::test]
async fn routing_paused() {
    let mut s = setup(|c| c.min_stake_to_earn = 0).await;
    let hub = s.hub;
    let a = s.fx.member_under(&hub, None).await;
    let t = s.fx.member_under(&hub, Some(&a)).await;
    s.route(&t, &t.pubkey(), 20 * SOL, 0).await.expect("route");
    s.fx.force_pause(&hub, referral::state::PAUSE_ROUTING | referral::state::PAUSE_CLAIMS).await;
    let keys = [pda::member(&hub, &a.pubkey()).0, pda::member(&hub, &t.pubkey()).0, t.pubkey()];
    let before = s.fx.snapshot(&keys).await;
    let r = s.route(&t, &t.pubkey(), 20 * SOL, 1_000).await.expect("route while paused");
    assert_eq!(r, RouteFeeResult::nothing(20 * SOL, ShareOutcome::RoutingPaused));
    assert_eq!(s.fx.snapshot(&keys).await, before);
    assert_custom_error(s.award(&t.pubkey(), 1).await, ReferralError::RoutingPaused);
    s.fx.send(&[ix::claim_fees(&a.pubkey(), &hub)], &[&a]).await.expect("claims stay open");
}

// points roll over lazily into a new period; the previous period's figures stay readable.
#[tokio::test]
async fn points_roll_over_per_period() {
    let mut s = setup(flat).await;
    let hub = s.hub;
    let a = s.fx.member_under(&hub, None).await;
    let t = s.fx.member_under(&hub, Some(&a)).await;
    let payer = s.fx.wallet().await;
    s.route(&payer, &t.pubkey(), 0, 1_000).await.expect("route");
    let m = s.fx.member(&hub, &t.pubkey()).await;
    let p = m.period;
    assert_eq!(m.own_points, 1_050);
    // Jump to the next calendar month.
    let mut clock: anchor_lang::prelude::Clock = s.fx.ctx.banks_client.get_sysvar().await.expect("clock");
    let (_, end) = referral::logic::periods::period_bounds(&referral_client::PeriodKind::CalendarMonth, p);
    clock.unix_timestamp = end;
    s.fx.ctx.set_sysvar(&clock);
    s.route(&payer, &t.pubkey(), 0, 2_000).await.expect("route next period");
    let m = s.fx.member(&hub, &t.pubkey()).await;
    assert_eq!((m.period, m.own_points, m.prev_period, m.prev_own_points), (p + 1, 2_100, p, 1_050));
    let am = s.fx.member(&hub, &a.pubkey()).await;
    assert_eq!((am.period, am.referral_points, am.prev_referral_points), (p + 1, 200, 100));
    let _ = Referral::None;
}
