//! Ranking periods, tiers and period reward pools (R-5.1 ..) on the SBF binary: a whole period
//! cycle with the bank's clock moved (points, end of period, registration, claims, expiry), the attacks on
//! each new instruction, the claims pause bound, and conservation on chain; and the money of a period's
//! pools bound by address, unbounded pools, frozen vaults and repeated pauses (R-5.7, issue 16).
use anchor_lang::prelude::Pubkey;
use anchor_spl::token::spl_token;
use referral::errors::ReferralError;
use referral::logic::periods::{days_from_civil, period_index};
use referral::logic::rewards::reward_share;
use referral_client::ix;
use referral_client::{pda, Hub, HubConfig, Member, Period, PeriodKind, Registration, RewardClaim, RewardPool, Tier};
use referral_tests::tokens::TOKEN;
use referral_tests::{assert_custom_error, replace_account, Fixture, TestKeypair, TestSigner};

const DAY: i64 = 86_400;
const SOL: u64 = 1_000_000_000;

/// 2030-03-10 12:00 UTC, inside period index (2030 - 1970) * 12 + 2 (March 2030).
fn march_2030() -> i64 {
    days_from_civil(2030, 3, 10) * DAY + DAY / 2
}

/// A hub without a collection (level-1 referral share 10%), tiers at 1,000 / 10,000 / 50,000 referral
/// points with 50% / 30% / 20% shares, a 1-day registration window and a 2-day claim window. Five
/// referrers each with one referee; `points` gives each referrer its referral points in March 2030.
struct World {
    fx: Fixture,
    hub: Pubkey,
    admin: TestKeypair,
    reporter: TestKeypair,
    referrers: Vec<TestKeypair>,
    index: u32,
    period: Pubkey,
}

async fn world(points: &[u64]) -> World {
    let mut fx = Fixture::new().await;
    fx.set_time(march_2030()).await;
    let reporter = fx.wallet().await;
    let mut c = HubConfig::with_defaults(Pubkey::default());
    c.reporters = vec![reporter.pubkey()];
    c.tiers = vec![
        Tier { threshold: 1_000, share_bps: 5_000 },
        Tier { threshold: 10_000, share_bps: 3_000 },
        Tier { threshold: 50_000, share_bps: 2_000 },
    ];
    c.registration_window_seconds = DAY as u32;
    c.claim_window_seconds = 2 * DAY as u32;
    let admin = fx.wallet().await;
    let hub = fx.create_hub(&admin, 1, c).await.expect("create hub");
    let mut referrers = Vec::new();
    for &p in points {
        let referrer = fx.member_under(&hub, None).await;
        let referee = fx.member_under(&hub, Some(&referrer)).await;
        let trade = fx.trade_of(&hub, &referee.pubkey()).await;
        // Level 1 earns 10% of the base points.
        fx.send(&[ix::award_points(&reporter.pubkey(), &hub, &trade, p * 10)], &[&reporter]).await.expect("award");
        assert_eq!(fx.member(&hub, &referrer.pubkey()).await.referral_points, p);
        referrers.push(referrer);
    }
    let index = period_index(&PeriodKind::CalendarMonth, march_2030());
    World { fx, hub, admin, reporter, referrers, index, period: pda::period(&hub, index).0 }
}

impl World {
    async fn period_state(&mut self) -> Period {
        self.fx.account::<Period>(&self.period).await.expect("period account")
    }
    async fn open(&mut self) {
        let payer = self.fx.payer();
        self.fx.send(&[ix::open_period(&payer.pubkey(), &self.hub, self.index)], &[]).await.expect("open period");
    }
    async fn register(&mut self, who: usize) -> Result<referral_tests::Sent, referral_tests::Failed> {
        let payer = self.fx.payer();
        let w = self.referrers[who].pubkey();
        self.fx.send(&[ix::register(&payer.pubkey(), &self.hub, &self.period, &w)], &[]).await
    }
    async fn claim_sol(&mut self, who: usize, funder: &Pubkey) -> Result<referral_tests::Sent, referral_tests::Failed> {
        let w = self.referrers[who].insecure_clone();
        self.fx.send(&[ix::claim_reward(&w.pubkey(), &self.hub, &self.period, funder)], &[&w]).await
    }
    fn registration(&self, who: usize) -> Pubkey {
        pda::registration(&self.period, &pda::member(&self.hub, &self.referrers[who].pubkey()).0).0
    }
    /// What `who` should get from a pool of `funded`, by the formula on the period's final totals.
    async fn expected(&mut self, who: usize, funded: u64) -> u64 {
        let p = self.period_state().await;
        let r = self.fx.account::<Registration>(&self.registration(who)).await.expect("registration");
        let n = usize::from(p.tier_count);
        reward_share(funded, &p.tier_shares_bps[..n], &p.tier_totals[..n], r.tier, r.points).expect("formula")
    }
}

// a whole period on the SBF binary with the bank's clock moved: points earned
// in March 2030; a SOL pool and a token pool funded; registration refused before the end, opened by
// anyone after it, once per member, for ranked members only, into the tier totals; claims refused before
// the window closes, exact by the formula, once per pool; funding and registration refused after the
// window; pools closed after the claim window with the rest back to the funders (claims + returned ==
// funded); registrations closed with the rent back to their payer.
#[tokio::test]
async fn a_whole_period_cycle() {
    // Referral points: 60,000 (tier 2), 20,000 (tier 1), 5,000 (tier 0), 500 (unranked), 12,000 (tier 1).
    let mut w = world(&[60_000, 20_000, 5_000, 500, 12_000]).await;
    let (hub, period, index) = (w.hub, w.period, w.index);
    w.open().await;
    let p = w.period_state().await;
    assert_eq!((p.start, p.end), (days_from_civil(2030, 3, 1) * DAY, days_from_civil(2030, 4, 1) * DAY));
    assert_eq!((p.registration_end, p.claim_end), (p.end + DAY, p.end + 3 * DAY));
    assert_eq!(p.thresholds(), &[1_000, 10_000, 50_000]);
    assert_custom_error(
        w.fx.send(&[ix::open_period(&w.fx.payer().pubkey(), &hub, index)], &[]).await,
        ReferralError::PeriodAlreadyOpen,
    );
    assert_custom_error(
        w.fx.send(&[ix::open_period(&w.fx.payer().pubkey(), &hub, index + 1)], &[]).await,
        ReferralError::PeriodNotStarted,
    );

    // Funding: 10 SOL by one funder, 1,000,000 token units by another; several pools per period.
    let sol_funder = w.fx.wallet().await;
    w.fx.send(&[ix::fund_pool(&sol_funder.pubkey(), &period, 10 * SOL)], &[&sol_funder]).await.expect("fund SOL");
    assert_custom_error(
        w.fx.send(&[ix::fund_pool(&sol_funder.pubkey(), &period, 0)], &[&sol_funder]).await,
        ReferralError::ZeroFunding,
    );
    let token_funder = w.fx.wallet().await;
    let auth = TestKeypair::new();
    let mint = w.fx.mint(&auth, 6, TOKEN).await;
    let funder_token = w.fx.ata(&token_funder.pubkey(), &mint, TOKEN).await;
    w.fx.mint_to(&auth, &mint, &funder_token, 1_000_000, TOKEN).await;
    let fund_token =
        |amount| ix::fund_pool_token(&token_funder.pubkey(), &funder_token, &period, &mint, &TOKEN, amount);
    w.fx.send(&[fund_token(600_000)], &[&token_funder]).await.expect("fund tokens");
    w.fx.send(&[fund_token(400_000)], &[&token_funder]).await.expect("top up tokens");
    let sol_pool = pda::reward_pool(&period, &sol_funder.pubkey(), &Pubkey::default()).0;
    let token_pool = pda::reward_pool(&period, &token_funder.pubkey(), &mint).0;
    let tp = w.fx.account::<RewardPool>(&token_pool).await.expect("token pool");
    assert_eq!((tp.funded, tp.index, tp.mint), (1_000_000, 1, mint));
    assert_eq!(w.fx.token_balance(&pda::pool_vault(&token_pool, &mint, &TOKEN)).await, 1_000_000);

    // Registration before the end of the period.
    assert_custom_error(w.register(0).await, ReferralError::PeriodNotEnded);

    // End of the period: registration opens; anyone registers; unranked members are refused.
    w.fx.set_time(p.end).await;
    let payer = w.fx.payer().pubkey();
    for who in [0, 1, 2, 4] {
        w.register(who).await.expect("register a ranked member");
    }
    assert_custom_error(w.register(3).await, ReferralError::NotRanked);
    assert_custom_error(w.register(0).await, ReferralError::AlreadyRegistered);
    let p = w.period_state().await;
    assert_eq!(p.registered, 4);
    assert_eq!(p.tier_members[..3], [4, 3, 1]);
    assert_eq!(p.tier_totals[..3], [97_000, 92_000, 60_000]);
    let r0 = w.fx.account::<Registration>(&w.registration(0)).await.expect("registration");
    assert_eq!((r0.points, r0.tier, r0.wallet, r0.payer), (60_000, 2, w.referrers[0].pubkey(), payer));
    let m0: Member = w.fx.member(&hub, &w.referrers[0].pubkey()).await;
    assert_eq!((m0.period, m0.prev_period, m0.prev_referral_points), (index + 1, index, 60_000), "rolled over");
    // Funding stays open during the registration window; claims do not.
    w.fx.send(&[ix::fund_pool(&sol_funder.pubkey(), &period, SOL)], &[&sol_funder]).await.expect("late funding");
    assert_custom_error(w.claim_sol(0, &sol_funder.pubkey()).await, ReferralError::ClaimsNotOpen);

    // After the registration window: the pools' sizes are final; claims open.
    w.fx.set_time(p.registration_end).await;
    assert_custom_error(
        w.fx.send(&[ix::fund_pool(&sol_funder.pubkey(), &period, SOL)], &[&sol_funder]).await,
        ReferralError::PeriodClosed,
    );
    assert_custom_error(w.fx.send(&[fund_token(1)], &[&token_funder]).await, ReferralError::PeriodClosed);
    assert_custom_error(w.register(3).await, ReferralError::RegistrationClosed);
    let funded_sol = 11 * SOL;
    let mut claimed_sol = 0;
    // Each claim is recorded in a RewardClaim account, its rent paid by the wallet until the pool closes.
    let record_rent = solana_rent::Rent::default().minimum_balance(RewardClaim::SPACE);
    for who in [0, 1, 2, 4] {
        let wallet = w.referrers[who].pubkey();
        let before = w.fx.lamports(&wallet).await;
        let expected = w.expected(who, funded_sol).await;
        w.claim_sol(who, &sol_funder.pubkey()).await.expect("claim SOL");
        assert_eq!(w.fx.lamports(&wallet).await + record_rent - before, expected, "member {who}");
        claimed_sol += expected;
    }
    assert_custom_error(w.claim_sol(0, &sol_funder.pubkey()).await, ReferralError::AlreadyClaimed);
    // Member 0 (all three tiers): 11 SOL x (50% x 60/97 + 30% x 60/92 + 20% x 60/60).
    assert_eq!(w.expected(0, funded_sol).await, 3_402_061_855 + 2_152_173_913 + 2_200_000_000);
    // Token claims by two members; the others leave theirs unclaimed.
    let mut claimed_tokens = 0;
    for who in [0, 2] {
        let wallet = w.referrers[who].insecure_clone();
        let dest = w.fx.ata(&wallet.pubkey(), &mint, TOKEN).await;
        let expected = w.expected(who, 1_000_000).await;
        let ixc = ix::claim_reward_token(&wallet.pubkey(), &hub, &period, &token_funder.pubkey(), &mint, &TOKEN, &dest);
        w.fx.send(std::slice::from_ref(&ixc), &[&wallet]).await.expect("claim tokens");
        assert_eq!(w.fx.token_balance(&dest).await, expected);
        claimed_tokens += expected;
        assert_custom_error(w.fx.send(&[ixc], &[&wallet]).await, ReferralError::AlreadyClaimed);
    }

    // Closing: not before the claim window ends.
    let close_sol = ix::close_pool(&hub, &period, &sol_funder.pubkey());
    assert_custom_error(w.fx.send(std::slice::from_ref(&close_sol), &[]).await, ReferralError::ClaimWindowOpen);
    // A registration that did not claim from every pool stays open while a pool is open.
    let member1 = pda::member(&hub, &w.referrers[1].pubkey()).0;
    assert_custom_error(
        w.fx.send(&[ix::close_registration(&period, &member1, &payer)], &[]).await,
        ReferralError::PoolsStillOpen,
    );
    w.fx.set_time(p.claim_end).await;
    let sol_before = w.fx.lamports(&sol_funder.pubkey()).await;
    let pool_lamports = w.fx.lamports(&sol_pool).await;
    w.fx.send(&[close_sol], &[]).await.expect("close the SOL pool");
    let returned_sol = w.fx.lamports(&sol_funder.pubkey()).await - sol_before;
    let rent = solana_rent::Rent::default().minimum_balance(RewardPool::SPACE);
    assert_eq!(returned_sol, pool_lamports, "every lamport back to the funder");
    assert_eq!(claimed_sol + (returned_sol - rent), funded_sol, "R-5.4: claims + returned == funded (SOL)");
    let tokens_before = w.fx.token_balance(&funder_token).await;
    let close_token = ix::close_pool_token(&hub, &period, &token_funder.pubkey(), &mint, &TOKEN);
    w.fx.send(&[close_token], &[]).await.expect("close the token pool");
    let returned_tokens = w.fx.token_balance(&funder_token).await - tokens_before;
    assert_eq!(claimed_tokens + returned_tokens, 1_000_000, "R-5.4: claims + returned == funded (tokens)");
    assert!(w.fx.raw(&token_pool).await.is_none() && w.fx.raw(&sol_pool).await.is_none(), "pools closed");
    assert_eq!(w.period_state().await.open_pools, 0);

    // Every pool is closed: every registration closes, its rent back to the payer.
    let payer_before = w.fx.lamports(&payer).await;
    for who in [0, 1, 2, 4] {
        let member = pda::member(&hub, &w.referrers[who].pubkey()).0;
        w.fx.send(&[ix::close_registration(&period, &member, &payer)], &[]).await.expect("close registration");
    }
    assert_eq!(w.period_state().await.open_registrations, 0);
    // The payer got back the four registrations' rent, less the fees of those four transactions.
    let rent = 4 * solana_rent::Rent::default().minimum_balance(Registration::SPACE);
    let back = w.fx.lamports(&payer).await - payer_before;
    assert!(back <= rent && back > rent - 100_000, "{back} lamports back of {rent} rent");
}

// the attacks on the new instructions fail with named errors and change nothing: wrong period,
// wrong hub, someone else's registration, wrong pool mint, a forged registration (wrong owner), type
// cosplay, a pool closed to someone other than its funder, a registration closed to someone other than
// its payer, and early/late registration and claims (in a_whole_period_cycle).
#[tokio::test]
async fn period_attacks() {
    let mut w = world(&[20_000, 5_000]).await;
    let (hub, period, index) = (w.hub, w.period, w.index);
    w.open().await;
    let funder = w.fx.wallet().await;
    w.fx.send(&[ix::fund_pool(&funder.pubkey(), &period, SOL)], &[&funder]).await.expect("fund");
    // Another hub (same reporter), its own period and pool.
    let mut c = HubConfig::with_defaults(Pubkey::default());
    c.reporters = vec![w.reporter.pubkey()];
    c.registration_window_seconds = DAY as u32;
    let hub2 = w.fx.hub_with(c).await;
    let payer = w.fx.payer().pubkey();
    w.fx.send(&[ix::open_period(&payer, &hub2, index)], &[]).await.expect("open hub2's period");
    let period2 = pda::period(&hub2, index).0;
    w.fx.send(&[ix::fund_pool(&funder.pubkey(), &period2, SOL)], &[&funder]).await.expect("fund hub2");
    let end = w.period_state().await.end;
    w.fx.set_time(end).await;
    w.register(0).await.expect("register 0");
    w.register(1).await.expect("register 1");
    let sol_pool = pda::reward_pool(&period, &funder.pubkey(), &Pubkey::default()).0;
    let pool2 = pda::reward_pool(&period2, &funder.pubkey(), &Pubkey::default()).0;
    let (reg0, reg1) = (w.registration(0), w.registration(1));
    let watch = [period, period2, sol_pool, pool2, reg0, reg1, w.referrers[0].pubkey()];
    let before = w.fx.snapshot(&watch).await;

    // Register a member of this hub into the other hub's period.
    let wallet0 = w.referrers[0].pubkey();
    let mut ixr = ix::register(&payer, &hub2, &period2, &wallet0);
    replace_account(&mut ixr, &pda::member(&hub2, &wallet0).0, pda::member(&hub, &wallet0).0);
    assert_custom_error(w.fx.send(&[ixr], &[]).await, ReferralError::WrongHub);
    // This hub with the other hub's period.
    let mut ixr = ix::register(&payer, &hub, &period, &wallet0);
    replace_account(&mut ixr, &period, period2);
    assert_custom_error(w.fx.send(&[ixr], &[]).await, ReferralError::WrongHub);
    assert_eq!(w.fx.snapshot(&watch).await, before);

    let p = w.period_state().await;
    w.fx.set_time(p.registration_end).await;
    let before_claims = w.fx.snapshot(&watch).await;
    let w0 = w.referrers[0].insecure_clone();
    let w1 = w.referrers[1].insecure_clone();
    let claim = |wallet: &Pubkey| ix::claim_reward(wallet, &hub, &period, &funder.pubkey());
    // Wrong period: the other hub's pool with this period's registration.
    let mut ixc = claim(&w0.pubkey());
    replace_account(&mut ixc, &sol_pool, pool2);
    assert_custom_error(w.fx.send(&[ixc], &[&w0]).await, ReferralError::WrongPeriod);
    // Someone else's registration.
    let mut ixc = claim(&w0.pubkey());
    replace_account(&mut ixc, &reg0, reg1);
    assert_custom_error(w.fx.send(&[ixc], &[&w0]).await, ReferralError::NotRegistrationWallet);
    // A forged registration (a copy owned by another program).
    let fake = w.fx.forged_copy(&reg1, Pubkey::new_unique()).await;
    let mut ixc = claim(&w1.pubkey());
    replace_account(&mut ixc, &reg1, fake);
    assert_custom_error(w.fx.send(&[ixc], &[&w1]).await, anchor_lang::error::ErrorCode::AccountOwnedByWrongProgram);
    // Type cosplay: the pool passed as the registration.
    let mut ixc = claim(&w1.pubkey());
    replace_account(&mut ixc, &reg1, sol_pool);
    assert_custom_error(w.fx.send(&[ixc], &[&w1]).await, anchor_lang::error::ErrorCode::AccountDiscriminatorMismatch);
    // The other hub with this period (its claims pause would be the wrong one).
    let mut ixc = claim(&w0.pubkey());
    replace_account(&mut ixc, &hub, hub2);
    assert_custom_error(w.fx.send(&[ixc], &[&w0]).await, ReferralError::WrongHub);
    // Wrong pool mint: the SOL pool claimed as a token pool.
    let auth = TestKeypair::new();
    let mint = w.fx.mint(&auth, 6, TOKEN).await;
    let dest = w.fx.ata(&w0.pubkey(), &mint, TOKEN).await;
    let other_token = w.fx.ata(&Pubkey::new_unique(), &mint, TOKEN).await;
    let mut ixt = ix::claim_reward_token(&w0.pubkey(), &hub, &period, &funder.pubkey(), &mint, &TOKEN, &dest);
    let token_pool = pda::reward_pool(&period, &funder.pubkey(), &mint).0;
    replace_account(&mut ixt, &pda::pool_vault(&token_pool, &mint, &TOKEN), other_token);
    replace_account(&mut ixt, &token_pool, sol_pool);
    assert_custom_error(w.fx.send(&[ixt], &[&w0]).await, ReferralError::WrongPoolMint);
    assert_eq!(w.fx.snapshot(&watch).await, before_claims);

    // Closing to someone else.
    w.fx.set_time(p.claim_end).await;
    let thief = Pubkey::new_unique();
    let closing = [period, sol_pool, reg0, funder.pubkey()];
    let before_close = w.fx.snapshot(&closing).await;
    let mut ixp = ix::close_pool(&hub, &period, &funder.pubkey());
    replace_account(&mut ixp, &funder.pubkey(), thief);
    assert_custom_error(w.fx.send(&[ixp], &[]).await, ReferralError::WrongRecipient);
    let member0 = pda::member(&hub, &wallet0).0;
    let ixg = ix::close_registration(&period, &member0, &thief);
    assert_custom_error(w.fx.send(&[ixg], &[]).await, ReferralError::WrongRecipient);
    assert_eq!(w.fx.raw(&thief).await, None);
    assert_eq!(w.fx.snapshot(&closing).await, before_close);
}

// the claims pause holds reward claims back for at most 7 days from when it was set; it
// cannot be set again within 14 days of the last one; no pool closes until a week of open claims has
// followed the hold; fee claims are never paused (D-25).
#[tokio::test]
async fn claims_pause_is_bounded() {
    let mut w = world(&[20_000]).await;
    let (hub, period) = (w.hub, w.period);
    w.open().await;
    let funder = w.fx.wallet().await;
    w.fx.send(&[ix::fund_pool(&funder.pubkey(), &period, SOL)], &[&funder]).await.expect("fund");
    let p = w.period_state().await;
    w.fx.set_time(p.end).await;
    w.register(0).await.expect("register");
    w.fx.set_time(p.registration_end).await;
    let admin = w.admin.insecure_clone();
    let pause = |bits| ix::set_pause(&admin.pubkey(), &hub, bits);
    w.fx.send(&[pause(referral::state::PAUSE_CLAIMS)], &[&admin]).await.expect("pause claims");
    let paused_at = p.registration_end;
    assert_eq!(w.fx.account::<Hub>(&hub).await.expect("hub").claims_paused_at, paused_at);
    let snap = w.fx.snapshot(&[w.registration(0), w.referrers[0].pubkey()]).await;
    assert_custom_error(w.claim_sol(0, &funder.pubkey()).await, ReferralError::RewardClaimsPaused);
    assert_eq!(w.fx.snapshot(&[w.registration(0), w.referrers[0].pubkey()]).await, snap);
    // The claim window ends while claims are held: the pool cannot be closed.
    w.fx.set_time(p.claim_end).await;
    assert_custom_error(
        w.fx.send(&[ix::close_pool(&hub, &period, &funder.pubkey())], &[]).await,
        ReferralError::ClaimWindowOpen,
    );
    // Unpause and pause again within 14 days: refused.
    w.fx.send(&[pause(0)], &[&admin]).await.expect("resume");
    assert_custom_error(
        w.fx.send(&[pause(referral::state::PAUSE_CLAIMS)], &[&admin]).await,
        ReferralError::ClaimsPauseCooldown,
    );
    // Paused again by other means would still not hold claims past 7 days from the pause that began it.
    w.fx.force_pause(&hub, referral::state::PAUSE_CLAIMS).await;
    w.fx.set_time(paused_at + 7 * DAY).await;
    w.claim_sol(0, &funder.pubkey()).await.expect("the hold is over: the claim goes through");
    assert_custom_error(
        w.fx.send(&[ix::close_pool(&hub, &period, &funder.pubkey())], &[]).await,
        ReferralError::ClaimWindowOpen,
    );
    w.fx.set_time(paused_at + 14 * DAY).await;
    w.fx.send(&[ix::close_pool(&hub, &period, &funder.pubkey())], &[])
        .await
        .expect("close after a week of open claims");
    w.fx.send(&[pause(referral::state::PAUSE_CLAIMS)], &[&admin]).await.expect("a new pause after 14 days");
}

// mints whose pool could not pay out, or could be emptied by a delegate, are refused up front.
#[tokio::test]
async fn token_pools_refuse_unsafe_mints() {
    use anchor_spl::token_2022::spl_token_2022;
    use anchor_spl::token_2022::spl_token_2022::extension::ExtensionType;
    use referral_tests::tokens::TOKEN_2022;
    let mut w = world(&[20_000]).await;
    let period = w.period;
    w.open().await;
    let funder = w.fx.wallet().await;
    let auth = TestKeypair::new();
    let delegate = Pubkey::new_unique();
    let init = move |mint: &Pubkey| {
        vec![spl_token_2022::instruction::initialize_permanent_delegate(&spl_token_2022::ID, mint, &delegate)
            .expect("init")]
    };
    let mint = w.fx.mint_2022(&auth, 6, &[ExtensionType::PermanentDelegate], init, None).await;
    let funder_token = w.fx.ata(&funder.pubkey(), &mint, TOKEN_2022).await;
    w.fx.mint_to(&auth, &mint, &funder_token, 1_000, TOKEN_2022).await;
    let pool = pda::reward_pool(&period, &funder.pubkey(), &mint).0;
    let snap = w.fx.snapshot(&[period, pool, funder_token]).await;
    let ixf = ix::fund_pool_token(&funder.pubkey(), &funder_token, &period, &mint, &TOKEN_2022, 1_000);
    assert_custom_error(w.fx.send(&[ixf], &[&funder]).await, ReferralError::PermanentDelegateMint);
    let hook = Pubkey::new_unique();
    let a = auth.pubkey();
    let init = move |mint: &Pubkey| {
        vec![spl_token_2022::extension::transfer_hook::instruction::initialize(
            &spl_token_2022::ID,
            mint,
            Some(a),
            Some(hook),
        )
        .expect("init")]
    };
    let hooked = w.fx.mint_2022(&auth, 6, &[ExtensionType::TransferHook], init, None).await;
    let hooked_token = w.fx.ata(&funder.pubkey(), &hooked, TOKEN_2022).await;
    let ixf = ix::fund_pool_token(&funder.pubkey(), &hooked_token, &period, &hooked, &TOKEN_2022, 1);
    assert_custom_error(w.fx.send(&[ixf], &[&funder]).await, ReferralError::TransferHookUnsupported);
    assert_eq!(w.fx.snapshot(&[period, pool, funder_token]).await, snap);
}

// with a period open and funded, and members registered, the per-trade path still writes no shared
// account: route_fee and award_points write only the trader's and upline's Members and the payer; the
// hub, the period and its pools are never writable, and the program accepts exactly that.
#[tokio::test]
async fn per_trade_path_writes_no_period_account() {
    let mut w = world(&[20_000]).await;
    let (hub, period) = (w.hub, w.period);
    w.open().await;
    let funder = w.fx.wallet().await;
    w.fx.send(&[ix::fund_pool(&funder.pubkey(), &period, SOL)], &[&funder]).await.expect("fund");
    let pool = pda::reward_pool(&period, &funder.pubkey(), &Pubkey::default()).0;
    let referrer = w.referrers[0].insecure_clone();
    let trader = w.fx.member_under(&hub, Some(&referrer)).await;
    let trade = w.fx.trade_of(&hub, &trader.pubkey()).await;
    let reporter = w.reporter.insecure_clone();
    let route = ix::route_fee(&reporter.pubkey(), &hub, &trader.pubkey(), &trade, SOL, 100);
    let award = ix::award_points(&reporter.pubkey(), &hub, &trade, 100);
    let trader_m = pda::member(&hub, &trader.pubkey()).0;
    let referrer_m = pda::member(&hub, &referrer.pubkey()).0;
    for (ixn, expected) in [(&route, vec![trader_m, referrer_m, trader.pubkey()]), (&award, vec![trader_m, referrer_m])]
    {
        let mut writable: Vec<Pubkey> = ixn.accounts.iter().filter(|m| m.is_writable).map(|m| m.pubkey).collect();
        writable.sort();
        let mut expected = expected;
        expected.sort();
        assert_eq!(writable, expected);
        for shared in [hub, period, pool] {
            assert!(!ixn.accounts.iter().any(|m| m.pubkey == shared && m.is_writable));
        }
    }
    let before = w.fx.snapshot(&[hub, period, pool]).await;
    w.fx.send(&[route], &[&reporter, &trader]).await.expect("route_fee");
    w.fx.send(&[award], &[&reporter]).await.expect("award_points");
    assert_eq!(w.fx.snapshot(&[hub, period, pool]).await, before, "no shared account changed");
}

// D-49: a Token-2022 pool with a 1% transfer fee: the pool counts what arrived; claims pay the
// formula on that; closing harvests the fees withheld in the vault to the mint so the vault can be closed,
// and claims + returned == funded (what arrived).
#[tokio::test]
async fn transfer_fee_pool_pays_out_and_closes() {
    use referral_tests::tokens::TOKEN_2022;
    let mut w = world(&[60_000, 5_000]).await;
    let (hub, period) = (w.hub, w.period);
    w.open().await;
    let funder = w.fx.wallet().await;
    let auth = TestKeypair::new();
    let mint = w.fx.mint_with_transfer_fee(&auth, 6, 100, 1_000_000_000).await;
    let funder_token = w.fx.ata(&funder.pubkey(), &mint, TOKEN_2022).await;
    w.fx.mint_to(&auth, &mint, &funder_token, 1_000_000, TOKEN_2022).await;
    let ixf = ix::fund_pool_token(&funder.pubkey(), &funder_token, &period, &mint, &TOKEN_2022, 1_000_000);
    w.fx.send(&[ixf], &[&funder]).await.expect("fund with a transfer-fee mint");
    let pool = pda::reward_pool(&period, &funder.pubkey(), &mint).0;
    let funded = w.fx.account::<RewardPool>(&pool).await.expect("pool").funded;
    assert_eq!(funded, 990_000, "the pool counts what arrived: 1% was withheld");
    let p = w.period_state().await;
    w.fx.set_time(p.end).await;
    w.register(0).await.expect("register 0");
    w.register(1).await.expect("register 1");
    w.fx.set_time(p.registration_end).await;
    let wallet = w.referrers[0].insecure_clone();
    let dest = w.fx.ata(&wallet.pubkey(), &mint, TOKEN_2022).await;
    let expected = w.expected(0, funded).await;
    let ixc = ix::claim_reward_token(&wallet.pubkey(), &hub, &period, &funder.pubkey(), &mint, &TOKEN_2022, &dest);
    w.fx.send(&[ixc], &[&wallet]).await.expect("claim");
    // Token-2022 rounds its fee up: ceil(1% of the amount).
    let fee = |amount: u64| amount.div_ceil(100);
    assert_eq!(w.fx.token_balance(&dest).await, expected - fee(expected), "1% of the claim withheld on the way");
    w.fx.set_time(p.claim_end).await;
    let before = w.fx.token_balance(&funder_token).await;
    let ixp = ix::close_pool_token(&hub, &period, &funder.pubkey(), &mint, &TOKEN_2022);
    w.fx.send(&[ixp], &[]).await.expect("close: the vault's withheld fees are harvested first");
    let returned_after_fee = w.fx.token_balance(&funder_token).await - before;
    let returned = funded - expected;
    assert_eq!(returned_after_fee, returned - fee(returned), "the rest, less the transfer fee");
    assert!(w.fx.raw(&pda::pool_vault(&pool, &mint, &TOKEN_2022)).await.is_none(), "vault closed");
    assert_eq!(expected + returned, funded, "R-5.4: claims + returned == funded");
}

// the leaderboard computed from the bank's Member accounts by the client crate: ordered by
// referral points, ties broken by Member address, current and previous period, tier and distance to the
// next tier; ranked members not registered are warned while the registration window is open.
#[tokio::test]
async fn leaderboard_from_chain_state() {
    use referral_client::leaderboard::{leaderboard, registration_warnings};
    let mut w = world(&[20_000, 20_000, 5_000, 500]).await;
    let (hub, index) = (w.hub, w.index);
    w.open().await;
    let mut members = Vec::new();
    for r in &w.referrers {
        let key = pda::member(&hub, &r.pubkey()).0;
        members.push((key, w.fx.account::<Member>(&key).await.expect("member")));
    }
    let p = w.period_state().await;
    let rows = leaderboard(&members, index, p.thresholds());
    let points: Vec<u64> = rows.iter().map(|r| r.points).collect();
    assert_eq!(points, vec![20_000, 20_000, 5_000, 500]);
    assert!(rows[0].member < rows[1].member, "equal points: the lower Member address ranks first");
    assert_eq!((rows[0].tier, rows[0].next), (Some(1), Some((2, 30_000))));
    assert_eq!((rows[3].tier, rows[3].next), (None, Some((0, 500))));
    // After the period ends, the figures are the members' previous period once they roll over.
    w.fx.set_time(p.end).await;
    w.register(0).await.expect("register");
    let m0 = w.fx.account::<Member>(&members[0].0).await.expect("member");
    assert_eq!((m0.period, m0.referral_points), (index + 1, 0));
    members[0].1 = m0;
    let previous = leaderboard(&members, index, p.thresholds());
    assert_eq!(previous.iter().map(|r| r.points).collect::<Vec<_>>(), vec![20_000, 20_000, 5_000, 500]);
    assert!(leaderboard(&members, index + 1, p.thresholds()).is_empty(), "nothing earned in the new period yet");
    let registered = vec![members[0].0];
    let now = w.fx.clock().await.unix_timestamp;
    let warnings = registration_warnings(&previous, &registered, index, p.end, p.registration_end, now);
    assert_eq!(warnings.len(), 2, "two ranked members are not registered yet: {warnings:?}");
    assert!(
        registration_warnings(&previous, &registered, index, p.end, p.registration_end, p.registration_end).is_empty()
    );
}

// R-5.7 (issue 16, item 1): a decoy vault cannot lock a pool's remainder. The attack: anyone creates an
// empty token account of the pool's mint owned by the pool, and names it as the vault: before, closing
// the pool with it after the claim window marked the pool closed and left the real vault's remainder
// unmovable. Every instruction that funds, pays from, reports or closes the pool now names the vault the
// pool stored (its associated token account): the decoy is refused with WrongPoolVault and changes
// nothing, and the honest close returns the real vault's remainder to the funder.
#[tokio::test]
async fn decoy_vault_cannot_lock_a_pool() {
    let mut w = world(&[20_000]).await;
    let (hub, period) = (w.hub, w.period);
    w.open().await;
    let funder = w.fx.wallet().await;
    let auth = TestKeypair::new();
    let mint = w.fx.mint(&auth, 6, TOKEN).await;
    let funder_token = w.fx.ata(&funder.pubkey(), &mint, TOKEN).await;
    w.fx.mint_to(&auth, &mint, &funder_token, 1_000_000, TOKEN).await;
    let fund = |amount| ix::fund_pool_token(&funder.pubkey(), &funder_token, &period, &mint, &TOKEN, amount);
    w.fx.send(&[fund(600_000)], &[&funder]).await.expect("fund");
    let pool = pda::reward_pool(&period, &funder.pubkey(), &mint).0;
    let vault = pda::pool_vault(&pool, &mint, &TOKEN);
    assert_eq!(w.fx.account::<RewardPool>(&pool).await.expect("pool").vault, vault, "the pool stores its vault");
    let decoy = w.fx.token_account_at(&pool, &mint).await;
    let watch = [period, pool, vault, decoy, funder_token];
    let before = w.fx.snapshot(&watch).await;
    // A top-up into the decoy.
    let mut ixf = fund(1);
    replace_account(&mut ixf, &vault, decoy);
    assert_custom_error(w.fx.send(&[ixf], &[&funder]).await, ReferralError::WrongPoolVault);
    let p = w.period_state().await;
    w.fx.set_time(p.end).await;
    w.register(0).await.expect("register");
    w.fx.set_time(p.registration_end).await;
    let before = {
        let mut b = before;
        b[0] = w.fx.raw(&period).await; // the registration counted in the period
        b
    };
    // A claim paid from the decoy.
    let m = w.referrers[0].insecure_clone();
    let dest = w.fx.ata(&m.pubkey(), &mint, TOKEN).await;
    let mut ixc = ix::claim_reward_token(&m.pubkey(), &hub, &period, &funder.pubkey(), &mint, &TOKEN, &dest);
    replace_account(&mut ixc, &vault, decoy);
    assert_custom_error(w.fx.send(&[ixc], &[&m]).await, ReferralError::WrongPoolVault);
    // The close with the decoy, after the claim window.
    w.fx.set_time(p.claim_end).await;
    let close = ix::close_pool_token(&hub, &period, &funder.pubkey(), &mint, &TOKEN);
    let mut decoy_close = close.clone();
    replace_account(&mut decoy_close, &vault, decoy);
    assert_custom_error(w.fx.send(&[decoy_close], &[]).await, ReferralError::WrongPoolVault);
    assert_eq!(w.fx.snapshot(&watch).await, before, "refused: nothing changed, the pool is open");
    // The honest close: the real vault's whole remainder goes back, the pool and its vault close.
    w.fx.send(&[close], &[]).await.expect("close with the real vault");
    assert_eq!(w.fx.token_balance(&funder_token).await, 1_000_000, "every token back (nothing was claimed)");
    assert!(w.fx.raw(&pool).await.is_none() && w.fx.raw(&vault).await.is_none());
    assert_eq!(w.fx.token_balance(&decoy).await, 0, "the decoy never held anything");
}

// R-5.7 (issue 16, item 2): dust funding cannot squat a period. The attack: 64 wallets funding 1 lamport
// each filled the 64 pool slots and the operator's real pool was refused (TooManyPools). Claims are now
// recorded per pool and registration (a RewardClaim account), so a period holds any number of pools: 70
// dust pools, then the operator's pool is accepted; members claim the pools they choose, once each
// (AlreadyClaimed), the record's rent back to the wallet once the pool is closed (PoolNotClosed before).
#[tokio::test]
async fn dust_pools_cannot_squat_a_period() {
    let mut w = world(&[20_000, 12_000]).await;
    let (hub, period) = (w.hub, w.period);
    w.open().await;
    let mut squatters = Vec::new();
    for _ in 0..70 {
        let s = w.fx.wallet().await;
        w.fx.send(&[ix::fund_pool(&s.pubkey(), &period, 1)], &[&s]).await.expect("dust pool");
        squatters.push(s);
    }
    let operator = w.fx.wallet().await;
    w.fx.send(&[ix::fund_pool(&operator.pubkey(), &period, 10 * SOL)], &[&operator]).await.expect("the real pool");
    let real = pda::reward_pool(&period, &operator.pubkey(), &Pubkey::default()).0;
    assert_eq!(w.fx.account::<RewardPool>(&real).await.expect("pool").index, 70);
    assert_eq!((w.period_state().await.pool_count, w.period_state().await.open_pools), (71, 71));
    let p = w.period_state().await;
    w.fx.set_time(p.end).await;
    w.register(0).await.expect("register 0");
    w.register(1).await.expect("register 1");
    w.fx.set_time(p.registration_end).await;
    let wallet = w.referrers[0].pubkey();
    let registration = w.registration(0);
    let record = pda::reward_claim(&real, &registration).0;
    let expected = w.expected(0, 10 * SOL).await;
    let before = w.fx.lamports(&wallet).await;
    w.claim_sol(0, &operator.pubkey()).await.expect("claim the real pool");
    let record_rent = solana_rent::Rent::default().minimum_balance(RewardClaim::SPACE);
    assert_eq!(w.fx.lamports(&wallet).await, before + expected - record_rent, "the wallet pays the record's rent");
    let r = w.fx.account::<RewardClaim>(&record).await.expect("claim record");
    assert_eq!((r.pool, r.wallet, r.amount), (real, wallet, expected));
    let watch = [real, record, registration, wallet];
    let snap = w.fx.snapshot(&watch).await;
    assert_custom_error(w.claim_sol(0, &operator.pubkey()).await, ReferralError::AlreadyClaimed);
    assert_eq!(w.fx.snapshot(&watch).await, snap, "a second claim changes nothing");
    // A dust pool pays nothing (1 lamport x share x points / total rounds down) but records the claim.
    w.claim_sol(0, &squatters[0].pubkey()).await.expect("claim a dust pool");
    assert_eq!(w.fx.account::<Registration>(&registration).await.expect("registration").claims, 2);
    // The record outlives the claim only until its pool is closed.
    let close_record = ix::close_reward_claim(&real, &registration, &wallet);
    assert_custom_error(w.fx.send(std::slice::from_ref(&close_record), &[]).await, ReferralError::PoolNotClosed);
    let member0 = pda::member(&hub, &wallet).0;
    let payer = w.fx.payer().pubkey();
    assert_custom_error(
        w.fx.send(&[ix::close_registration(&period, &member0, &payer)], &[]).await,
        ReferralError::PoolsStillOpen,
    );
    // Member 1 claims the real pool too; after the claim window every pool closes.
    w.claim_sol(1, &operator.pubkey()).await.expect("member 1 claims");
    w.fx.set_time(p.claim_end).await;
    for funder in squatters.iter().map(|s| s.pubkey()).chain([operator.pubkey()]) {
        w.fx.send(&[ix::close_pool(&hub, &period, &funder)], &[]).await.expect("close a pool");
    }
    assert_eq!(w.period_state().await.open_pools, 0);
    let wallet_before = w.fx.lamports(&wallet).await;
    w.fx.send(std::slice::from_ref(&close_record), &[]).await.expect("close the record");
    assert_eq!(w.fx.lamports(&wallet).await, wallet_before + record_rent, "rent back to the claimer");
    assert!(w.fx.raw(&record).await.is_none());
    // Someone else as the rent's recipient is refused.
    let other_record = ix::close_reward_claim(
        &pda::reward_pool(&period, &squatters[0].pubkey(), &Pubkey::default()).0,
        &registration,
        &Pubkey::new_unique(),
    );
    assert_custom_error(w.fx.send(&[other_record], &[]).await, ReferralError::WrongRecipient);
    w.fx.send(&[ix::close_registration(&period, &member0, &payer)], &[]).await.expect("every pool closed");
}

// R-5.7 (issue 16, item 4a, and the review of what landed first): a funder holding the mint's freeze
// authority cannot hold members back and take the pool. The attack: freeze the pool's vault (or the
// members' token accounts) through the claim window, then close the pool and take everything back. A
// claim whose token cannot move now is not refused any more: its share is kept for the member in the
// vault (deferred), the funder's close returns only what nobody claimed, and the member collects once the
// token moves; the pool closes when the last deferred claim is collected. No watcher is needed.
#[tokio::test]
async fn blocked_claims_are_kept_for_the_members() {
    let mut w = world(&[20_000, 12_000]).await;
    let (hub, period) = (w.hub, w.period);
    w.open().await;
    let funder = w.fx.wallet().await;
    let mint = w.fx.freezable_mint(&funder, 6).await;
    let funder_token = w.fx.ata(&funder.pubkey(), &mint, TOKEN).await;
    w.fx.mint_to(&funder, &mint, &funder_token, 1_000_000, TOKEN).await;
    let fund = ix::fund_pool_token(&funder.pubkey(), &funder_token, &period, &mint, &TOKEN, 1_000_000);
    w.fx.send(&[fund], &[&funder]).await.expect("fund");
    let pool = pda::reward_pool(&period, &funder.pubkey(), &mint).0;
    let vault = pda::pool_vault(&pool, &mint, &TOKEN);
    let p = w.period_state().await;
    w.fx.set_time(p.end).await;
    w.register(0).await.expect("register 0");
    w.register(1).await.expect("register 1");
    w.fx.set_time(p.registration_end).await;
    let freeze = |account: &Pubkey| {
        spl_token::instruction::freeze_account(&TOKEN, account, &mint, &funder.pubkey(), &[]).expect("ix")
    };
    // The funder freezes the vault for member 0's claim, and member 1's own token account.
    let (m0, m1) = (w.referrers[0].insecure_clone(), w.referrers[1].insecure_clone());
    let (dest0, dest1) = (w.fx.ata(&m0.pubkey(), &mint, TOKEN).await, w.fx.ata(&m1.pubkey(), &mint, TOKEN).await);
    w.fx.send(&[freeze(&vault)], &[&funder]).await.expect("freeze the vault");
    let (e0, e1) = (w.expected(0, 1_000_000).await, w.expected(1, 1_000_000).await);
    let claim = |m: &TestKeypair, dest: &Pubkey| {
        ix::claim_reward_token(&m.pubkey(), &hub, &period, &funder.pubkey(), &mint, &TOKEN, dest)
    };
    let sent = w.fx.send(&[claim(&m0, &dest0)], &[&m0]).await.expect("a blocked claim is kept, not refused");
    let event = referral_client::decode::events::<referral::events::RewardClaimed>(&sent.logs);
    assert_eq!((event[0].amount, event[0].deferred), (e0, true));
    let thaw = |account: &Pubkey| {
        spl_token::instruction::thaw_account(&TOKEN, account, &mint, &funder.pubkey(), &[]).expect("ix")
    };
    w.fx.send(&[thaw(&vault), freeze(&dest1)], &[&funder]).await.expect("thaw the vault, freeze member 1");
    w.fx.send(&[claim(&m1, &dest1)], &[&m1]).await.expect("a frozen destination defers too");
    let record0 = pda::reward_claim(&pool, &w.registration(0)).0;
    assert_eq!(w.fx.account::<RewardClaim>(&record0).await.expect("record").owed, e0);
    let rp = w.fx.account::<RewardPool>(&pool).await.expect("pool");
    assert_eq!((rp.claimed, rp.deferred), (e0 + e1, e0 + e1));
    // The funder freezes the vault again and closes at the end of the claim window: only what nobody
    // claimed could go back, and even that waits while the vault is frozen.
    w.fx.send(&[freeze(&vault)], &[&funder]).await.expect("freeze again");
    w.fx.set_time(p.claim_end).await;
    let close = ix::close_pool_token(&hub, &period, &funder.pubkey(), &mint, &TOKEN);
    assert_custom_error(w.fx.send(std::slice::from_ref(&close), &[]).await, ReferralError::VaultFrozen);
    w.fx.send(&[thaw(&vault)], &[&funder]).await.expect("thaw to get the rest");
    let before = w.fx.token_balance(&funder_token).await;
    w.fx.send(std::slice::from_ref(&close), &[]).await.expect("the rest goes back");
    assert_eq!(w.fx.token_balance(&funder_token).await - before, 1_000_000 - e0 - e1, "never the members' shares");
    let rp = w.fx.account::<RewardPool>(&pool).await.expect("the pool stays for the deferred claims");
    assert!(rp.returned);
    assert_eq!(w.fx.token_balance(&vault).await, e0 + e1);
    // No more claims once returned; collection is refused while still blocked, and works once it is not.
    let registration1 = w.registration(1);
    let collect1 = ix::collect_reward(&m1.pubkey(), &pool, &registration1, &mint, &TOKEN, &dest1);
    assert_custom_error(w.fx.send(std::slice::from_ref(&collect1), &[&m1]).await, ReferralError::DestinationFrozen);
    let decoy = w.fx.token_account_at(&pool, &mint).await;
    let mut from_decoy = collect1.clone();
    replace_account(&mut from_decoy, &vault, decoy);
    assert_custom_error(w.fx.send(&[from_decoy], &[&m1]).await, ReferralError::WrongPoolVault);
    let fresh = w.fx.token_account_at(&m1.pubkey(), &mint).await;
    let mut collect1_fresh = collect1.clone();
    replace_account(&mut collect1_fresh, &dest1, fresh);
    w.fx.send(&[collect1_fresh], &[&m1]).await.expect("member 1 collects into another account of its own");
    assert_eq!(w.fx.token_balance(&fresh).await, e1);
    let registration0 = w.registration(0);
    let collect0 = ix::collect_reward(&m0.pubkey(), &pool, &registration0, &mint, &TOKEN, &dest0);
    w.fx.send(std::slice::from_ref(&collect0), &[&m0]).await.expect("member 0 collects");
    assert_eq!(w.fx.token_balance(&dest0).await, e0);
    assert_custom_error(w.fx.send(&[collect0], &[&m0]).await, ReferralError::NothingToClaim);
    // The last collection done, closing again closes the vault and the pool.
    w.fx.send(&[close], &[]).await.expect("close the emptied pool");
    assert!(w.fx.raw(&pool).await.is_none() && w.fx.raw(&vault).await.is_none());
    assert_eq!(w.period_state().await.open_pools, 0, "counted out once");
}

/// A 1-unit token pool in a mint whose freeze authority (the attacker, its funder) froze the vault for
/// good: a pool that can never close. Returns (attacker, mint, pool).
async fn frozen_dust_pool(w: &mut World) -> (TestKeypair, Pubkey, Pubkey) {
    let period = w.period;
    let attacker = w.fx.wallet().await;
    let mint = w.fx.freezable_mint(&attacker, 0).await;
    let token = w.fx.ata(&attacker.pubkey(), &mint, TOKEN).await;
    w.fx.mint_to(&attacker, &mint, &token, 1, TOKEN).await;
    let fund = ix::fund_pool_token(&attacker.pubkey(), &token, &period, &mint, &TOKEN, 1);
    w.fx.send(&[fund], &[&attacker]).await.expect("a 1-unit pool");
    let pool = pda::reward_pool(&period, &attacker.pubkey(), &mint).0;
    let vault = pda::pool_vault(&pool, &mint, &TOKEN);
    let freeze = spl_token::instruction::freeze_account(&TOKEN, &vault, &mint, &attacker.pubkey(), &[]).expect("ix");
    w.fx.send(&[freeze], &[&attacker]).await.expect("freeze it for good");
    (attacker, mint, pool)
}

// R-5.7 (review of what landed first, F2): a pool that can never close (a 1-unit pool whose vault its
// funder froze) stranded every registration's and claim record's rent for the period. Registrations now
// close once every pool could have closed (14 days after the claim window), and a claim record once its
// registration is closed, whatever that pool.
#[tokio::test]
async fn an_unclosable_pool_strands_no_rent() {
    let mut w = world(&[20_000]).await;
    let (hub, period) = (w.hub, w.period);
    w.open().await;
    let (attacker, mint, pool) = frozen_dust_pool(&mut w).await;
    let p = w.period_state().await;
    w.fx.set_time(p.end).await;
    w.register(0).await.expect("register");
    w.fx.set_time(p.registration_end).await;
    let m = w.referrers[0].insecure_clone();
    let dest = w.fx.ata(&m.pubkey(), &mint, TOKEN).await;
    let claim = ix::claim_reward_token(&m.pubkey(), &hub, &period, &attacker.pubkey(), &mint, &TOKEN, &dest);
    w.fx.send(&[claim], &[&m]).await.expect("a claim of 0 (1 unit x 50%, rounded down)");
    let registration = w.registration(0);
    let record = pda::reward_claim(&pool, &registration).0;
    let member = pda::member(&hub, &m.pubkey()).0;
    let payer = w.fx.payer().pubkey();
    let close_reg = ix::close_registration(&period, &member, &payer);
    let close_record = ix::close_reward_claim(&pool, &registration, &m.pubkey());
    w.fx.set_time(p.claim_end + 14 * DAY - 1).await;
    let close_pool = ix::close_pool_token(&hub, &period, &attacker.pubkey(), &mint, &TOKEN);
    assert_custom_error(w.fx.send(std::slice::from_ref(&close_pool), &[]).await, ReferralError::VaultFrozen);
    // Claimed every pool: the registration closes already, and with it the record.
    w.fx.send(std::slice::from_ref(&close_reg), &[]).await.expect("claimed every pool");
    let wallet_before = w.fx.lamports(&m.pubkey()).await;
    w.fx.send(&[close_record], &[]).await.expect("the registration is closed: the record closes");
    let record_rent = solana_rent::Rent::default().minimum_balance(RewardClaim::SPACE);
    assert_eq!(w.fx.lamports(&m.pubkey()).await, wallet_before + record_rent);
    assert!(w.fx.raw(&record).await.is_none());
}

// R-5.7 (review, F2): a member who did not claim the unclosable pool gets its registration closed 14 days
// after the claim window (every pool could have closed by then), not never.
#[tokio::test]
async fn registrations_close_after_every_pool_could_have() {
    let mut w = world(&[20_000]).await;
    let (hub, period) = (w.hub, w.period);
    w.open().await;
    frozen_dust_pool(&mut w).await;
    let p = w.period_state().await;
    w.fx.set_time(p.end).await;
    w.register(0).await.expect("register");
    let member = pda::member(&hub, &w.referrers[0].pubkey()).0;
    let payer = w.fx.payer().pubkey();
    let close_reg = ix::close_registration(&period, &member, &payer);
    w.fx.set_time(p.claim_end + 14 * DAY - 1).await;
    assert_custom_error(w.fx.send(std::slice::from_ref(&close_reg), &[]).await, ReferralError::PoolsStillOpen);
    w.fx.set_time(p.claim_end + 14 * DAY).await;
    w.fx.send(&[close_reg], &[]).await.expect("every pool could have closed by now");
    assert_eq!(w.period_state().await.open_registrations, 0);
}

// R-5.7 (review, F7): whoever closes a token pool cannot send the funder's rest to an account the funder
// did not choose (any token account the funder owns could be created by anyone): only its associated
// token account is accepted (WrongDestination), nothing changes.
#[tokio::test]
async fn the_rest_goes_to_the_funders_own_account() {
    let mut w = world(&[20_000]).await;
    let (hub, period) = (w.hub, w.period);
    w.open().await;
    let funder = w.fx.wallet().await;
    let auth = TestKeypair::new();
    let mint = w.fx.mint(&auth, 6, TOKEN).await;
    let funder_token = w.fx.ata(&funder.pubkey(), &mint, TOKEN).await;
    w.fx.mint_to(&auth, &mint, &funder_token, 1_000, TOKEN).await;
    let fund = ix::fund_pool_token(&funder.pubkey(), &funder_token, &period, &mint, &TOKEN, 1_000);
    w.fx.send(&[fund], &[&funder]).await.expect("fund");
    let p = w.period_state().await;
    w.fx.set_time(p.claim_end).await;
    let other = w.fx.token_account_at(&funder.pubkey(), &mint).await;
    let close = ix::close_pool_token(&hub, &period, &funder.pubkey(), &mint, &TOKEN);
    let mut elsewhere = close.clone();
    replace_account(&mut elsewhere, &funder_token, other);
    let pool = pda::reward_pool(&period, &funder.pubkey(), &mint).0;
    let watch = [pool, other, funder_token];
    let before = w.fx.snapshot(&watch).await;
    assert_custom_error(w.fx.send(&[elsewhere], &[]).await, ReferralError::WrongDestination);
    assert_eq!(w.fx.snapshot(&watch).await, before);
    w.fx.send(&[close], &[]).await.expect("to the funder's associated account");
    assert_eq!(w.fx.token_balance(&funder_token).await, 1_000);
}

// R-5.4 (review, F10): a hub with fixed periods whose origin lies ahead: period 0 cannot be opened before
// it starts (PeriodNotStarted), only from its start.
#[tokio::test]
async fn a_future_origin_period_opens_at_its_start() {
    let mut fx = Fixture::new().await;
    fx.set_time(march_2030()).await;
    let origin = march_2030() + 10 * DAY;
    let mut c = HubConfig::with_defaults(Pubkey::default());
    c.period = PeriodKind::Fixed { seconds: 7 * DAY as u32, origin };
    c.registration_window_seconds = DAY as u32;
    let hub = fx.hub_with(c).await;
    let payer = fx.payer().pubkey();
    assert_custom_error(fx.send(&[ix::open_period(&payer, &hub, 0)], &[]).await, ReferralError::PeriodNotStarted);
    assert!(fx.raw(&pda::period(&hub, 0).0).await.is_none());
    fx.set_time(origin).await;
    fx.send(&[ix::open_period(&payer, &hub, 0)], &[]).await.expect("open at its start");
}

// R-1.4 (issue 16, item 4d): an admin who pauses claims again at every cooldown's end cannot hold a
// funder's remainder: pauses that begin after the claim window do not delay the pool, so all pauses
// together delay its closing by less than 14 days past the window.
#[tokio::test]
async fn repeated_claims_pauses_cannot_hold_a_pool() {
    let mut w = world(&[20_000]).await;
    let (hub, period) = (w.hub, w.period);
    w.open().await;
    let funder = w.fx.wallet().await;
    w.fx.send(&[ix::fund_pool(&funder.pubkey(), &period, SOL)], &[&funder]).await.expect("fund");
    let p = w.period_state().await;
    w.fx.set_time(p.end).await;
    w.register(0).await.expect("register");
    let admin = w.admin.insecure_clone();
    let pause = |bits| ix::set_pause(&admin.pubkey(), &hub, bits);
    // The last pause that can begin inside the claim window: one second before it ends.
    let first = p.claim_end - 1;
    w.fx.set_time(first).await;
    w.fx.send(&[pause(referral::state::PAUSE_CLAIMS)], &[&admin]).await.expect("pause");
    let close = ix::close_pool(&hub, &period, &funder.pubkey());
    w.fx.set_time(first + 14 * DAY - 1).await;
    assert_custom_error(w.fx.send(std::slice::from_ref(&close), &[]).await, ReferralError::ClaimWindowOpen);
    // The admin pauses again the moment the cooldown allows: before issue 16 this delayed the pool by 14
    // more days, and again after that, for ever.
    w.fx.set_time(first + 14 * DAY).await;
    w.fx.send(&[pause(0), pause(referral::state::PAUSE_CLAIMS)], &[&admin]).await.expect("pause again");
    assert_eq!(w.fx.account::<Hub>(&hub).await.expect("hub").claims_paused_at, first + 14 * DAY);
    let before = w.fx.lamports(&funder.pubkey()).await;
    let pool_lamports = w.fx.lamports(&pda::reward_pool(&period, &funder.pubkey(), &Pubkey::default()).0).await;
    w.fx.send(&[close], &[]).await.expect("the pool closes within 14 days of its window's end");
    assert_eq!(w.fx.lamports(&funder.pubkey()).await, before + pool_lamports);
}

// R-5.4 (issue 16, item 4b): a period opened when a configuration change is already due would have kept
// the replaced tiers for the whole period. open_period now refuses (ConfigChangeDue, nothing created)
// until the change is applied; apply_config and open_period in one transaction open it with the new tiers.
#[tokio::test]
async fn open_period_never_takes_replaced_tiers() {
    let mut w = world(&[20_000]).await;
    let hub = w.hub;
    let admin = w.admin.insecure_clone();
    let mut c = HubConfig::with_defaults(Pubkey::default());
    c.reporters = vec![w.reporter.pubkey()];
    c.tiers = vec![Tier { threshold: 2_000, share_bps: 6_000 }, Tier { threshold: 20_000, share_bps: 4_000 }];
    c.registration_window_seconds = DAY as u32;
    c.claim_window_seconds = 2 * DAY as u32;
    let payer = w.fx.payer().pubkey();
    w.fx.send(&[ix::propose_config(&admin.pubkey(), &payer, &hub, c)], &[&admin]).await.expect("propose");
    // The change takes effect at the next period's start (April 2030).
    let april = days_from_civil(2030, 4, 1) * DAY;
    w.fx.set_time(april).await;
    let next = w.index + 1;
    let next_period = pda::period(&hub, next).0;
    let open = ix::open_period(&payer, &hub, next);
    assert_custom_error(w.fx.send(std::slice::from_ref(&open), &[]).await, ReferralError::ConfigChangeDue);
    assert!(w.fx.raw(&next_period).await.is_none(), "nothing created");
    // A pending address that is not the hub's is refused too (the due change cannot be hidden).
    let mut hidden = open.clone();
    replace_account(&mut hidden, &pda::pending_config(&hub).0, Pubkey::new_unique());
    assert_custom_error(w.fx.send(&[hidden], &[]).await, ReferralError::WrongPendingAccount);
    let apply = ix::apply_config(&payer, &hub, &payer);
    w.fx.send(&[apply, open], &[]).await.expect("apply, then open");
    let p = w.fx.account::<Period>(&next_period).await.expect("period");
    assert_eq!(p.thresholds(), &[2_000, 20_000], "the tiers in force, never the replaced ones");
    assert_eq!(&p.tier_shares_bps[..2], &[6_000, 4_000]);
}
