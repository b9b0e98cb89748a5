//! Compute-unit measurement of every instruction on the SBF binary, shared by the ceiling test
//! (`tests/compute.rs`) and the report (`scripts/compute-report.sh` -> docs/COMPUTE.md).
//!
//! Keys are fixed (seeded keypairs) so `find_program_address` costs the same on every run: its cost
//! depends on how many bumps it tries, which depends on the seeds.
use anchor_lang::prelude::Pubkey;
use referral_client::ix::Referral;
use referral_client::{pda, Hub, HubConfig, Member, ReferralCode};
use solana_keypair::Keypair;
use solana_signer::Signer;

use crate::{Fixture, Sent};

/// The unix time scenarios without a clock of their own run at (2030-01-15T12:00:00Z).
const FIXED_TIME: i64 = 1_894_708_800;

/// One measured instruction.
#[derive(Debug, Clone)]
pub struct Measurement {
    /// Instruction and scenario.
    pub name: &'static str,
    /// Compute units consumed by the referral program's top-level instruction.
    pub cu: u64,
    /// Ceiling pinned by the tests; a regression above it fails `tests/compute.rs`.
    pub ceiling: u64,
    /// Size in bytes of the account the instruction creates, if any.
    pub account_bytes: Option<usize>,
    /// Rent-exempt minimum of that account, lamports.
    pub rent_lamports: Option<u64>,
}

/// Ceilings per scenario: about 15% above the figures measured when they were pinned, so an
/// accidental regression fails while a toolchain patch bump does not.
pub const CEILINGS: &[(&str, u64)] = &[
    ("create_hub (default config)", 7_600),
    ("join (no referrer)", 7_600),
    ("join (referrer by address, no upline)", 8_100),
    ("join (code, referrer at depth 3: 4 counts written)", 12_400),
    ("make_code", 17_000),
    ("set_referrer (by address, upline 1)", 3_500),
    ("stake_nft", 25_700),
    ("unstake_nft", 10_400),
    ("route_fee (SOL, referrer, depth 2)", 3_700),
    ("route_fee (SOL, trader not a member)", 1_700),
    ("route_fee (SOL, routing paused: nothing happens)", 500),
    ("route_fee_token (SPL, first use: creates the vault)", 29_500),
    ("route_fee_token (SPL, vault exists)", 10_300),
    ("award_points (referrer, depth 2)", 3_700),
    ("claim_fees", 2_250),
    ("claim_token_fees", 7_400),
    ("route_fee inside buy (CPI, depth 2)", 3_700),
    ("demo marketplace buy (referral CPI, referred buyer)", 27_100),
    ("demo marketplace buy (referral CPI, buyer not a member)", 24_300),
    ("bench build: buy (referral CPI, referred buyer)", 27_200),
    ("bench build: buy_plain (plain fee transfer)", 20_600),
    ("set_pause", 1_100),
    ("propose_admin", 1_100),
    ("accept_admin", 1_100),
    ("propose_config", 10_200),
    ("cancel_config", 3_400),
    ("apply_config", 3_900),
    ("open_period", 9_200),
    ("fund_pool (SOL, creates the pool)", 14_600),
    ("fund_pool (SOL, tops up)", 12_000),
    ("fund_pool_token (creates the pool and its vault)", 41_000),
    ("register (tier 3 of 3)", 10_300),
    ("claim_reward (SOL, creates its claim record)", 12_300),
    ("claim_reward_token (creates its claim record)", 21_300),
    ("claim_reward_token (deferred: the vault is frozen)", 19_400),
    ("collect_reward", 11_500),
    ("close_reward_claim", 2_500),
    ("close_pool (SOL)", 5_800),
    ("close_pool_token", 14_800),
    ("close_registration", 4_400),
    ("set_pause (claims: records the time)", 1_300),
    ("route_fee (SOL, the referrer's 1st referee)", 3_400),
    ("route_fee (SOL, the referrer's 100th referee)", 3_400),
    ("create_staking_pool (its two vaults, funded)", 33_100),
    ("fund_staking_pool", 8_500),
    ("pool_stake (no referrer, creates the position)", 17_400),
    ("pool_stake (referred, creates its and the referrer's positions)", 24_100),
    ("pool_stake (referred, both positions exist)", 17_100),
    ("pool_claim", 14_500),
    ("pool_withdraw (referred: ends the bonus)", 15_400),
    ("pool_withdraw (no referrer)", 13_600),
    ("set_staking_rate (raise: at once)", 4_000),
    ("set_staking_rate (cut: waits the notice)", 4_000),
    ("apply_staking_rate", 3_600),
    ("withdraw_staking_excess", 9_600),
];

/// CU of each scenario before issue 9 (commit e64428e: Hub and Member as borsh `Account<T>`, Anchor's
/// system-transfer CPI, `find_program_address` for the non-member proof, programs loaded by loader v2),
/// kept once beside the current figures.
pub const BEFORE_ISSUE_9: &[(&str, u64)] = &[
    ("create_hub (default config)", 8_476),
    ("join (no referrer)", 8_241),
    ("join (referrer by address, no upline)", 9_965),
    ("make_code", 15_745),
    ("join (code, referrer at depth 3: 4 counts written)", 16_244),
    ("set_referrer (by address, upline 1)", 7_085),
    ("stake_nft", 24_193),
    ("unstake_nft", 12_367),
    ("route_fee (SOL, referrer, depth 2)", 9_562),
    ("route_fee (SOL, trader not a member)", 7_532),
    ("route_fee_token (SPL, first use: creates the vault)", 29_373),
    ("route_fee_token (SPL, vault exists)", 12_706),
    ("award_points (referrer, depth 2)", 7_157),
    ("route_fee (SOL, routing paused: nothing happens)", 2_923),
    ("claim_fees", 2_805),
    ("claim_token_fees", 6_488),
    ("set_pause", 3_821),
    ("propose_config", 9_709),
    ("cancel_config", 3_692),
    ("apply_config", 6_184),
    ("propose_admin", 3_849),
    ("accept_admin", 3_846),
    ("route_fee inside buy (CPI, depth 2)", 9_562),
    ("demo marketplace buy (referral CPI, referred buyer)", 31_351),
    ("demo marketplace buy (referral CPI, buyer not a member)", 29_661),
    ("bench build: buy (referral CPI, referred buyer)", 31_393),
    ("bench build: buy_plain (plain fee transfer)", 17_877),
];

/// The ceiling pinned for `name`.
pub fn ceiling(name: &str) -> u64 {
    CEILINGS.iter().find(|(n, _)| *n == name).map(|(_, c)| *c).unwrap_or_else(|| panic!("no ceiling for {name}"))
}

fn fixed(n: u8) -> Keypair {
    Keypair::new_from_array([n; 32])
}

fn cu_of(name: &str, sent: Result<Sent, crate::Failed>) -> u64 {
    cu_of_program(name, sent, &referral::ID)
}

fn cu_of_program(name: &str, sent: Result<Sent, crate::Failed>, program: &Pubkey) -> u64 {
    match sent {
        Ok(s) => match crate::top_level_cu(&s.logs, program).as_slice() {
            [cu] => *cu,
            other => panic!("{name}: expected one top-level instruction of {program}, measured {other:?}"),
        },
        Err(f) => panic!("{name} failed: {:?}\n{}", f.error, f.logs.join("\n")),
    }
}

/// Runs every instruction once in a fresh bank and returns what each consumed.
pub async fn measure_all() -> Vec<Measurement> {
    let mut fx = Fixture::with_marketplace().await;
    fx.set_time(FIXED_TIME).await;
    let rent = solana_rent::Rent::default();
    let mut out = Vec::new();
    let mut push = |name: &'static str, cu: u64, bytes: Option<usize>| {
        out.push(Measurement {
            name,
            cu,
            ceiling: ceiling(name),
            account_bytes: bytes,
            rent_lamports: bytes.map(|b| rent.minimum_balance(b)),
        });
    };

    let creator = fixed(1);
    let wallets: Vec<Keypair> = (10..20).map(fixed).collect();
    for k in std::iter::once(&creator).chain(wallets.iter()) {
        fx.fund(&k.pubkey(), crate::WALLET_LAMPORTS).await;
    }

    let reporter = fixed(2);
    fx.fund(&reporter.pubkey(), crate::WALLET_LAMPORTS).await;
    let collection = Pubkey::new_from_array([7; 32]);
    let name = "create_hub (default config)";
    let mut config = HubConfig::with_defaults(collection);
    config.reporters = vec![reporter.pubkey()];
    let ix = referral_client::ix::create_hub(&creator.pubkey(), &creator.pubkey(), 1, config);
    let cu = cu_of(name, fx.send(&[ix], &[&creator]).await);
    push(name, cu, Some(Hub::SPACE));
    let hub = pda::hub(&creator.pubkey(), 1).0;

    // Chain w0 <- w1 <- w2 <- w3, then w4 joins under w3 by code: four counts written.
    let name = "join (no referrer)";
    let cu = cu_of(name, fx.join(&hub, &wallets[0], Referral::None).await);
    push(name, cu, Some(Member::SPACE));

    let name = "join (referrer by address, no upline)";
    let via = fx.by_address(&hub, &wallets[0].pubkey()).await;
    let cu = cu_of(name, fx.join(&hub, &wallets[1], via).await);
    push(name, cu, Some(Member::SPACE));

    for i in 2..4 {
        let via = fx.by_address(&hub, &wallets[i - 1].pubkey()).await;
        cu_of("chain", fx.join(&hub, &wallets[i], via).await);
    }

    let name = "make_code";
    let cu = cu_of(name, fx.make_code(&hub, &wallets[3], "Depth-3").await);
    push(name, cu, Some(ReferralCode::SPACE));

    let name = "join (code, referrer at depth 3: 4 counts written)";
    let via = fx.by_code(&hub, "depth-3").await;
    let cu = cu_of(name, fx.join(&hub, &wallets[4], via).await);
    push(name, cu, Some(Member::SPACE));

    let name = "set_referrer (by address, upline 1)";
    cu_of("join w5", fx.join(&hub, &wallets[5], Referral::None).await);
    let via = fx.by_address(&hub, &wallets[1].pubkey()).await;
    let cu = cu_of(name, fx.set_referrer(&hub, &wallets[5], via).await);
    push(name, cu, None);

    measure_trading(&mut fx, &hub, &reporter, &creator, collection, &wallets, &mut push).await;
    measure_admin(&mut fx, &hub, &creator, &wallets[9], &mut push).await;
    measure_periods(&mut fx, &mut push).await;
    measure_popular_referrer(&mut fx, &mut push).await;
    measure_staking_pools(&mut fx, &mut push).await;
    measure_market(&mut fx, false, &mut push).await;
    // The plain-fee baseline exists only in the marketplace's benchmark build: measure both purchases there,
    // in a second bank set up the same way, so the comparison is between two instructions of one binary.
    let mut bench = Fixture::with_bench_marketplace().await;
    measure_market(&mut bench, true, &mut push).await;
    out
}

/// The demo marketplace: a hub listing the market's reporter, a chain w0 <- w1 (1 NFT staked) <- buyer,
/// and purchases of a 10 SOL NFT. The deployed build: a referred buyer (and the `route_fee` CPI inside
/// it), and a buyer who is not a member. The benchmark build (`bench`): the referred buyer with the
/// referral CPI and with the plain fee transfer.
async fn measure_market(fx: &mut Fixture, bench: bool, push: &mut impl FnMut(&'static str, u64, Option<usize>)) {
    use crate::tokens::NftSpec;
    use referral_client::{ix, market};
    let [creator, admin, w0, w1, buyer, stranger, seller] = [70, 71, 72, 73, 74, 75, 76].map(fixed);
    for k in [&creator, &admin, &w0, &w1, &buyer, &stranger, &seller] {
        fx.fund(&k.pubkey(), crate::WALLET_LAMPORTS).await;
    }
    // A fixed clock: the figures must not depend on the day the report is made.
    fx.set_time(FIXED_TIME).await;
    let m = fx.market_of(admin).await;
    let collection = Pubkey::new_from_array([77; 32]);
    let mut config = HubConfig::with_defaults(collection);
    config.reporters = vec![m.reporter];
    let ix = referral_client::ix::create_hub(&creator.pubkey(), &creator.pubkey(), 2, config);
    cu_of("hub for the market", fx.send(&[ix], &[&creator]).await);
    let hub = pda::hub(&creator.pubkey(), 2).0;
    fx.init_market(&m, &hub).await;
    cu_of("join w0", fx.join(&hub, &w0, Referral::None).await);
    let via = fx.by_address(&hub, &w0.pubkey()).await;
    cu_of("join w1", fx.join(&hub, &w1, via).await);
    let via = fx.by_address(&hub, &w1.pubkey()).await;
    cu_of("join buyer", fx.join(&hub, &buyer, via).await);
    let (mint, token) = fx.nft_at(&fixed(78), &w1.pubkey(), NftSpec::of(collection)).await;
    cu_of("stake w1", fx.send(&[ix::stake_nft(&w1.pubkey(), &w1.pubkey(), &hub, &mint, &token)], &[&w1]).await);
    fx.next_slot().await;
    // (scenario, mint key, buyer, with the referral CPI, record the route_fee CPI inside it)
    let purchases: [(&'static str, u8, &Keypair, bool, bool); 2] = if bench {
        [
            ("bench build: buy (referral CPI, referred buyer)", 80, &buyer, true, false),
            ("bench build: buy_plain (plain fee transfer)", 81, &buyer, false, false),
        ]
    } else {
        [
            ("demo marketplace buy (referral CPI, referred buyer)", 80, &buyer, true, true),
            ("demo marketplace buy (referral CPI, buyer not a member)", 81, &stranger, true, false),
        ]
    };
    for (name, key, who, route, inner) in purchases {
        let listed = fx.list_nft(&m, &seller, &fixed(key), 10_000_000_000).await;
        let sent = fx.buy(&hub, &m, who, &listed, route).await;
        if let (Ok(s), true) = (&sent, inner) {
            let cpi = crate::nested_cu(&s.logs, &referral::ID);
            assert_eq!(cpi.len(), 1, "one route_fee CPI inside buy");
            push("route_fee inside buy (CPI, depth 2)", cpi[0], None);
        }
        push(name, cu_of_program(name, sent, &market::ID), None);
    }
}

/// Referral-boosted staking pools (issue 11), fixed keys and clock: create and fund a pool, stakes with and
/// without a referrer (creating the referrer's position, or with it existing), withdrawals, a claim, a rate
/// change.
async fn measure_staking_pools(fx: &mut Fixture, push: &mut impl FnMut(&'static str, u64, Option<usize>)) {
    use crate::tokens::TOKEN;
    use referral_client::ix::{self, PoolToken};
    use referral_client::{PoolPosition, StakingPool};
    let [admin, a, b, d, stake_key, reward_key] = [120, 121, 122, 123, 124, 125].map(fixed);
    for k in [&admin, &a, &b, &d] {
        fx.fund(&k.pubkey(), crate::WALLET_LAMPORTS).await;
    }
    let t0 = 1_900_000_000;
    fx.set_time(t0).await;
    let hub = fx.create_hub(&admin, 1, HubConfig::with_defaults(Pubkey::default())).await.expect("pool hub");
    cu_of("join a", fx.join(&hub, &a, Referral::None).await);
    let via = fx.by_address(&hub, &a.pubkey()).await;
    cu_of("join b", fx.join(&hub, &b, via).await);
    cu_of("join d", fx.join(&hub, &d, Referral::None).await);
    let stake = PoolToken { mint: fx.mint_at(&stake_key, &admin, 6, TOKEN).await, token_program: TOKEN };
    let reward = PoolToken { mint: fx.mint_at(&reward_key, &admin, 6, TOKEN).await, token_program: TOKEN };
    for k in [&a, &b, &d, &admin] {
        let t = fx.ata(&k.pubkey(), &stake.mint, TOKEN).await;
        fx.mint_to(&admin, &stake.mint, &t, 1_000_000_000, TOKEN).await;
        fx.ata(&k.pubkey(), &reward.mint, TOKEN).await;
    }
    let funder_token = fx.ata(&admin.pubkey(), &reward.mint, TOKEN).await;
    fx.mint_to(&admin, &reward.mint, &funder_token, 1_000_000_000_000, TOKEN).await;
    let name = "create_staking_pool (its two vaults, funded)";
    let schedule = ix::Schedule { rate: 1_000, start: t0, end: t0 + 1_000_000, funding: 1_000_000_000 };
    let create = ix::create_staking_pool(&admin.pubkey(), &hub, 1, stake, reward, &funder_token, schedule);
    push(name, cu_of(name, fx.send(&[create], &[&admin]).await), Some(StakingPool::SPACE));
    let pool = pda::staking_pool(&hub, 1).0;
    let name = "fund_staking_pool";
    let fund = ix::fund_staking_pool(&admin.pubkey(), &hub, &pool, &funder_token, reward, 1_000_000_000);
    push(name, cu_of(name, fx.send(&[fund], &[&admin]).await), None);
    let token = |k: &Keypair| pda::ata(&k.pubkey(), &stake.mint, &TOKEN);
    let aw = a.pubkey();
    let name = "pool_stake (no referrer, creates the position)";
    let ixs = ix::pool_stake(&d.pubkey(), &hub, &pool, stake, &token(&d), None, 10_000);
    push(name, cu_of(name, fx.send(&[ixs], &[&d]).await), Some(PoolPosition::SPACE));
    fx.set_time(t0 + 10).await;
    let name = "pool_stake (referred, creates its and the referrer's positions)";
    let ixs = ix::pool_stake(&b.pubkey(), &hub, &pool, stake, &token(&b), Some(&aw), 10_000);
    push(name, cu_of(name, fx.send(&[ixs], &[&b]).await), Some(PoolPosition::SPACE));
    fx.set_time(t0 + 20).await;
    let name = "pool_stake (referred, both positions exist)";
    let ixs = ix::pool_stake(&b.pubkey(), &hub, &pool, stake, &token(&b), Some(&aw), 10_000);
    push(name, cu_of(name, fx.send(&[ixs], &[&b]).await), None);
    fx.set_time(t0 + 30).await;
    let name = "pool_claim";
    let dest = pda::ata(&b.pubkey(), &reward.mint, &TOKEN);
    let claim = ix::pool_claim(&b.pubkey(), &hub, &pool, reward, &dest, None);
    push(name, cu_of(name, fx.send(&[claim], &[&b]).await), None);
    let name = "pool_withdraw (referred: ends the bonus)";
    let ixw = ix::pool_withdraw(&b.pubkey(), &hub, &pool, stake, &token(&b), Some(&aw), 5_000);
    push(name, cu_of(name, fx.send(&[ixw], &[&b]).await), None);
    let name = "pool_withdraw (no referrer)";
    let ixw = ix::pool_withdraw(&d.pubkey(), &hub, &pool, stake, &token(&d), None, 5_000);
    push(name, cu_of(name, fx.send(&[ixw], &[&d]).await), None);
    let name = "set_staking_rate (raise: at once)";
    let ixr = ix::set_staking_rate(&admin.pubkey(), &hub, &pool, 1_000, t0 + 1_500_000);
    push(name, cu_of(name, fx.send(&[ixr], &[&admin]).await), None);
    let name = "set_staking_rate (cut: waits the notice)";
    let ixr = ix::set_staking_rate(&admin.pubkey(), &hub, &pool, 500, t0 + 1_500_000);
    push(name, cu_of(name, fx.send(&[ixr], &[&admin]).await), None);
    fx.set_time(t0 + 30 + i64::from(referral::constants::MIN_CONFIG_NOTICE_SECONDS)).await;
    let name = "apply_staking_rate";
    push(name, cu_of(name, fx.send(&[ix::apply_staking_rate(&pool)], &[&admin]).await), None);
    let name = "withdraw_staking_excess";
    let admin_token = pda::ata(&admin.pubkey(), &reward.mint, &TOKEN);
    let ixe = ix::withdraw_staking_excess(&admin.pubkey(), &hub, &pool, reward, &admin_token, 1_000);
    push(name, cu_of(name, fx.send(&[ixe], &[&admin]).await), None);
}

/// A popular referrer: a referrer with 100 direct referees; `route_fee` for its 1st and its 100th
/// referee. The CU do not grow with popularity; what a popular referrer costs is its write lock, taken by
/// every referee trade (see the report).
async fn measure_popular_referrer(fx: &mut Fixture, push: &mut impl FnMut(&'static str, u64, Option<usize>)) {
    use referral_client::ix;
    let [creator, reporter, referrer] = [110, 111, 112].map(fixed);
    for k in [&creator, &reporter, &referrer] {
        fx.fund(&k.pubkey(), crate::WALLET_LAMPORTS).await;
    }
    let mut config = HubConfig::with_defaults(Pubkey::default());
    config.reporters = vec![reporter.pubkey()];
    let hub = fx.create_hub(&creator, 1, config).await.expect("popular hub");
    cu_of("join referrer", fx.join(&hub, &referrer, Referral::None).await);
    let mut referees = Vec::new();
    for i in 0..100u32 {
        let referee = Keypair::new_from_array(core::array::from_fn(|b| if b < 4 { i.to_le_bytes()[b] } else { 113 }));
        fx.fund(&referee.pubkey(), crate::WALLET_LAMPORTS).await;
        let via = fx.by_address(&hub, &referrer.pubkey()).await;
        cu_of("join referee", fx.join(&hub, &referee, via).await);
        referees.push(referee);
    }
    assert_eq!(fx.member(&hub, &referrer.pubkey()).await.referee_counts[0], 100);
    for (name, referee) in [
        ("route_fee (SOL, the referrer's 1st referee)", &referees[0]),
        ("route_fee (SOL, the referrer's 100th referee)", &referees[99]),
    ] {
        let trade = fx.trade_of(&hub, &referee.pubkey()).await;
        let ixr = ix::route_fee(&reporter.pubkey(), &hub, &referee.pubkey(), &trade, 2_000_000_000, 5_000);
        push(name, cu_of(name, fx.send(&[ixr], &[&reporter, referee]).await), None);
    }
}

/// Period rewards (issue 10), in a hub of their own with fixed keys and a fixed clock (March 2030): open a
/// period, fund a SOL and a token pool, register a member, claim from both pools, close both pools and the
/// registration, and the claims pause.
async fn measure_periods(fx: &mut Fixture, push: &mut impl FnMut(&'static str, u64, Option<usize>)) {
    use crate::tokens::TOKEN;
    use referral::logic::periods::{days_from_civil, period_index};
    use referral_client::{ix, Period, PeriodKind, Registration, RewardClaim, RewardPool};
    let [creator, reporter, referrer, referee, funder, mint_key] = [90, 91, 92, 93, 94, 95].map(fixed);
    for k in [&creator, &reporter, &referrer, &referee, &funder] {
        fx.fund(&k.pubkey(), crate::WALLET_LAMPORTS).await;
    }
    let march = days_from_civil(2030, 3, 10) * 86_400;
    fx.set_time(march).await;
    let mut config = HubConfig::with_defaults(Pubkey::default());
    config.reporters = vec![reporter.pubkey()];
    let hub = fx.create_hub(&creator, 1, config).await.expect("period hub");
    cu_of("join referrer", fx.join(&hub, &referrer, Referral::None).await);
    let via = fx.by_address(&hub, &referrer.pubkey()).await;
    cu_of("join referee", fx.join(&hub, &referee, via).await);
    let trade = fx.trade_of(&hub, &referee.pubkey()).await;
    // 300,000 referral points: the top default tier (Global Ambassador).
    cu_of("award", fx.send(&[ix::award_points(&reporter.pubkey(), &hub, &trade, 3_000_000)], &[&reporter]).await);
    let index = period_index(&PeriodKind::CalendarMonth, march);
    let period = pda::period(&hub, index).0;
    let f = funder.pubkey();

    let name = "open_period";
    push(name, cu_of(name, fx.send(&[ix::open_period(&f, &hub, index)], &[&funder]).await), Some(Period::SPACE));
    let name = "fund_pool (SOL, creates the pool)";
    let cu = cu_of(name, fx.send(&[ix::fund_pool(&f, &period, 10_000_000_000)], &[&funder]).await);
    push(name, cu, Some(RewardPool::SPACE));
    let name = "fund_pool (SOL, tops up)";
    push(name, cu_of(name, fx.send(&[ix::fund_pool(&f, &period, 1_000_000_000)], &[&funder]).await), None);
    let mint = fx.mint_at(&mint_key, &creator, 6, TOKEN).await;
    let funder_token = fx.ata(&f, &mint, TOKEN).await;
    fx.mint_to(&creator, &mint, &funder_token, 1_000_000_000, TOKEN).await;
    let name = "fund_pool_token (creates the pool and its vault)";
    let ixf = ix::fund_pool_token(&f, &funder_token, &period, &mint, &TOKEN, 1_000_000_000);
    push(name, cu_of(name, fx.send(&[ixf], &[&funder]).await), Some(RewardPool::SPACE));

    let end = days_from_civil(2030, 4, 1) * 86_400;
    fx.set_time(end).await;
    let name = "register (tier 3 of 3)";
    let ixr = ix::register(&f, &hub, &period, &referrer.pubkey());
    push(name, cu_of(name, fx.send(&[ixr], &[&funder]).await), Some(Registration::SPACE));
    fx.set_time(end + 7 * 86_400).await;
    let w = referrer.pubkey();
    let name = "claim_reward (SOL, creates its claim record)";
    let cu = cu_of(name, fx.send(&[ix::claim_reward(&w, &hub, &period, &f)], &[&referrer]).await);
    push(name, cu, Some(RewardClaim::SPACE));
    let dest = fx.ata(&w, &mint, TOKEN).await;
    let name = "claim_reward_token (creates its claim record)";
    let ixc = ix::claim_reward_token(&w, &hub, &period, &f, &mint, &TOKEN, &dest);
    push(name, cu_of(name, fx.send(&[ixc], &[&referrer]).await), Some(RewardClaim::SPACE));
    // A pool in a mint whose freeze authority (the funder here) froze the vault: anyone reports it.
    let freezable = fx.freezable_mint_at(&fixed(96), &funder, 6).await;
    let freezable_token = fx.ata(&f, &freezable, TOKEN).await;
    fx.mint_to(&funder, &freezable, &freezable_token, 1_000, TOKEN).await;
    fx.set_time(end).await;
    let ixf = ix::fund_pool_token(&f, &freezable_token, &period, &freezable, &TOKEN, 1_000);
    cu_of("fund freezable", fx.send(&[ixf], &[&funder]).await);
    fx.set_time(end + 7 * 86_400).await;
    let vault = pda::pool_vault(&pda::reward_pool(&period, &f, &freezable).0, &freezable, &TOKEN);
    let freeze =
        anchor_spl::token::spl_token::instruction::freeze_account(&TOKEN, &vault, &freezable, &f, &[]).expect("freeze");
    fx.send(&[freeze], &[&funder]).await.expect("freeze the vault");
    let freezable_dest = fx.ata(&w, &freezable, TOKEN).await;
    let name = "claim_reward_token (deferred: the vault is frozen)";
    let ixc = ix::claim_reward_token(&w, &hub, &period, &f, &freezable, &TOKEN, &freezable_dest);
    push(name, cu_of(name, fx.send(&[ixc], &[&referrer]).await), None);
    let thaw =
        anchor_spl::token::spl_token::instruction::thaw_account(&TOKEN, &vault, &freezable, &f, &[]).expect("thaw");
    fx.send(&[thaw], &[&funder]).await.expect("thaw the vault");
    let name = "collect_reward";
    let freezable_pool = pda::reward_pool(&period, &f, &freezable).0;
    let registration = pda::registration(&period, &pda::member(&hub, &w).0).0;
    let ixl = ix::collect_reward(&w, &freezable_pool, &registration, &freezable, &TOKEN, &freezable_dest);
    push(name, cu_of(name, fx.send(&[ixl], &[&referrer]).await), None);

    let claim_end = fx.account::<Period>(&period).await.expect("period").claim_end;
    fx.set_time(claim_end).await;
    let name = "close_pool (SOL)";
    push(name, cu_of(name, fx.send(&[ix::close_pool(&hub, &period, &f)], &[&funder]).await), None);
    let name = "close_pool_token";
    let ixp = ix::close_pool_token(&hub, &period, &f, &mint, &TOKEN);
    push(name, cu_of(name, fx.send(&[ixp], &[&funder]).await), None);
    let name = "close_reward_claim";
    let member = pda::member(&hub, &w).0;
    let sol_pool = pda::reward_pool(&period, &f, &Pubkey::default()).0;
    let ixk = ix::close_reward_claim(&sol_pool, &registration, &w);
    push(name, cu_of(name, fx.send(&[ixk], &[&funder]).await), None);
    let name = "close_registration";
    push(name, cu_of(name, fx.send(&[ix::close_registration(&period, &member, &f)], &[&funder]).await), None);
    let name = "set_pause (claims: records the time)";
    let c = creator.pubkey();
    let paused = referral::state::PAUSE_CLAIMS;
    push(name, cu_of(name, fx.send(&[ix::set_pause(&c, &hub, paused)], &[&creator]).await), None);
}

/// Administration, last: `apply_config` moves the clock to the next period.
async fn measure_admin(
    fx: &mut Fixture,
    hub: &Pubkey,
    admin: &Keypair,
    next_admin: &Keypair,
    push: &mut impl FnMut(&'static str, u64, Option<usize>),
) {
    use referral_client::ix;
    let a = admin.pubkey();
    let name = "set_pause";
    push(name, cu_of(name, fx.send(&[ix::set_pause(&a, hub, 0)], &[admin]).await), None);
    let mut config = fx.account::<Hub>(hub).await.expect("hub").config();
    config.referrer_fee_bps = 600;
    let name = "propose_config";
    let cu = cu_of(name, fx.send(&[ix::propose_config(&a, &a, hub, config.clone())], &[admin]).await);
    push(name, cu, Some(referral_client::PendingConfig::SPACE));
    let name = "cancel_config";
    push(name, cu_of(name, fx.send(&[ix::cancel_config(&a, hub, &a)], &[admin]).await), None);
    cu_of("propose again", fx.send(&[ix::propose_config(&a, &a, hub, config)], &[admin]).await);
    let pending: referral_client::PendingConfig = fx.account(&pda::pending_config(hub).0).await.expect("pending");
    let mut clock: anchor_lang::prelude::Clock = fx.ctx.banks_client.get_sysvar().await.expect("clock");
    clock.unix_timestamp = pending.effective_at;
    fx.ctx.set_sysvar(&clock);
    let name = "apply_config";
    push(name, cu_of(name, fx.send(&[ix::apply_config(&a, hub, &a)], &[admin]).await), None);
    let name = "propose_admin";
    push(name, cu_of(name, fx.send(&[ix::propose_admin(&a, hub, &next_admin.pubkey())], &[admin]).await), None);
    let name = "accept_admin";
    push(name, cu_of(name, fx.send(&[ix::accept_admin(&next_admin.pubkey(), hub)], &[next_admin]).await), None);
}

/// Staking, fee routing, claims and the marketplace purchase, on the chain w0 <- w1 <- w2 built above.
async fn measure_trading(
    fx: &mut Fixture,
    hub: &Pubkey,
    reporter: &Keypair,
    admin: &Keypair,
    collection: Pubkey,
    wallets: &[Keypair],
    push: &mut impl FnMut(&'static str, u64, Option<usize>),
) {
    use crate::tokens::{NftSpec, TOKEN};
    use referral_client::ix;
    let (w1, w2) = (&wallets[1], &wallets[2]);

    let name = "stake_nft";
    let (mint, token) = fx.nft_at(&fixed(50), &w1.pubkey(), NftSpec::of(collection)).await;
    let cu = cu_of(name, fx.send(&[ix::stake_nft(&w1.pubkey(), &w1.pubkey(), hub, &mint, &token)], &[w1]).await);
    push(name, cu, Some(referral_client::StakeReceipt::SPACE));
    let (mint2, token2) = fx.nft_at(&fixed(51), &w1.pubkey(), NftSpec::of(collection)).await;
    cu_of("stake 2", fx.send(&[ix::stake_nft(&w1.pubkey(), &w1.pubkey(), hub, &mint2, &token2)], &[w1]).await);
    fx.next_slot().await; // stakes count from the next slot (D-36)
    let name = "unstake_nft";
    let cu = cu_of(name, fx.send(&[ix::unstake_nft(&w1.pubkey(), &w1.pubkey(), hub, &mint2, &token2)], &[w1]).await);
    push(name, cu, None);

    // w2 trades: referrer w1 (1 NFT staked, eligible), level 2 w0.
    let trade = fx.trade_of(hub, &w2.pubkey()).await;
    assert_eq!(trade.upline.len(), 1, "depth 2: one upline account");
    let (fee, base) = (2_000_000_000, 5_000);
    let name = "route_fee (SOL, referrer, depth 2)";
    let cu = cu_of(
        name,
        fx.send(&[ix::route_fee(&reporter.pubkey(), hub, &w2.pubkey(), &trade, fee, base)], &[reporter, w2]).await,
    );
    push(name, cu, None);
    let name = "route_fee (SOL, trader not a member)";
    let stranger = fixed(30);
    fx.fund(&stranger.pubkey(), crate::WALLET_LAMPORTS).await;
    let none = fx.trade_of(hub, &stranger.pubkey()).await;
    let cu = cu_of(
        name,
        fx.send(
            &[ix::route_fee(&reporter.pubkey(), hub, &stranger.pubkey(), &none, fee, base)],
            &[reporter, &stranger],
        )
        .await,
    );
    push(name, cu, None);

    let auth = fixed(31);
    let fee_mint = fx.mint_at(&fixed(32), &auth, 6, TOKEN).await;
    let w2_token = fx.ata(&w2.pubkey(), &fee_mint, TOKEN).await;
    fx.mint_to(&auth, &fee_mint, &w2_token, 1_000_000_000, TOKEN).await;
    for name in ["route_fee_token (SPL, first use: creates the vault)", "route_fee_token (SPL, vault exists)"] {
        let ixt = ix::route_fee_token(
            &reporter.pubkey(),
            hub,
            &w2.pubkey(),
            &w2_token,
            &fee_mint,
            &TOKEN,
            &trade,
            1_000_000,
            100,
        );
        let cu = cu_of(name, fx.send(&[ixt], &[reporter, w2]).await);
        push(name, cu, None);
    }

    let name = "award_points (referrer, depth 2)";
    let cu = cu_of(name, fx.send(&[ix::award_points(&reporter.pubkey(), hub, &trade, 1_000)], &[reporter]).await);
    push(name, cu, None);

    // The entry cost of a trade report: routing paused, so it stops after the reporter check (the same
    // accounts as the non-member scenario: no referrer to load).
    let a = admin.pubkey();
    let pause = referral::state::PAUSE_ROUTING;
    cu_of("pause routing", fx.send(&[ix::set_pause(&a, hub, pause)], &[admin]).await);
    let name = "route_fee (SOL, routing paused: nothing happens)";
    let cu = cu_of(
        name,
        fx.send(
            &[ix::route_fee(&reporter.pubkey(), hub, &stranger.pubkey(), &none, fee, base)],
            &[reporter, &stranger],
        )
        .await,
    );
    push(name, cu, None);
    cu_of("resume routing", fx.send(&[ix::set_pause(&a, hub, 0)], &[admin]).await);

    let name = "claim_fees";
    let cu = cu_of(name, fx.send(&[ix::claim_fees(&w1.pubkey(), hub)], &[w1]).await);
    push(name, cu, None);
    let name = "claim_token_fees";
    let w1_token = fx.ata(&w1.pubkey(), &fee_mint, TOKEN).await;
    let cu =
        cu_of(name, fx.send(&[ix::claim_token_fees(&w1.pubkey(), hub, &fee_mint, &TOKEN, &w1_token)], &[w1]).await);
    push(name, cu, None);
}

/// docs/COMPUTE.md.
pub fn render_markdown(rows: &[Measurement]) -> String {
    let mut s = String::new();
    s.push_str("# Compute units and account sizes\n\n");
    s.push_str("Generated by `scripts/compute-report.sh` from the SBF binary (`target/deploy/referral.so`) run in\n");
    s.push_str("solana-program-test 4.2.2. Do not edit by hand. CU are those of the referral program's top-level\n");
    s.push_str("instruction (from the `consumed` log line), with fixed keys so PDA searches cost the same each run.\n");
    s.push_str(
        "Build: nightly-2026-10-15 + sbpf-linker 0.2.6, SBPF v3, release profile (pinned in scripts/build-sbf.sh).\n\n",
    );
    s.push_str(
        "| instruction (scenario) | CU | CU before issue 9 | ceiling pinned in tests | account created (bytes) | rent (lamports) |\n",
    );
    s.push_str("|---|---:|---:|---:|---:|---:|\n");
    for r in rows {
        let bytes = r.account_bytes.map(|b| b.to_string()).unwrap_or_else(|| "-".into());
        let rent = r.rent_lamports.map(|b| b.to_string()).unwrap_or_else(|| "-".into());
        let before = BEFORE_ISSUE_9.iter().find(|(n, _)| *n == r.name).map(|(_, c)| c.to_string());
        let before = before.unwrap_or_else(|| "-".into());
        s.push_str(&format!("| {} | {} | {} | {} | {} | {} |\n", r.name, r.cu, before, r.ceiling, bytes, rent));
    }
    s.push_str(
        "\n\"Before issue 9\" is the last report with borsh accounts (commit e64428e); its test harness loaded the\n\
         programs with loader v2, whose program account holds the whole ELF, so a CPI naming the referral program\n\
         as an account (the non-member purchase) also paid ~2,440 CU for it; the harness now loads them with the\n\
         upgradeable loader, as a mainnet deploy does.\n",
    );
    let cu = |name: &str| rows.iter().find(|r| r.name == name).map(|r| r.cu);
    s.push_str("\n## Goals (SPEC R-8.1)\n\n");
    s.push_str("- Every instruction under 60,000 CU: ");
    let max = rows.iter().max_by_key(|r| r.cu);
    s.push_str(&match max {
        Some(r) => format!("the largest is {} at {} CU.\n", r.name, r.cu),
        None => "nothing measured.\n".into(),
    });
    if let (Some(rf), Some(base)) =
        (cu("route_fee (SOL, referrer, depth 2)"), cu("route_fee (SOL, trader not a member)"))
    {
        let verdict = |v: u64, goal: u64| if v <= goal { "meets" } else { "misses" };
        s.push_str(&format!(
            "- `route_fee` (SOL, referrer, depth 2): {rf} CU; SPEC bound 40,000, ceiling pinned in tests {}, goal \
             4,500: {} the goal.\n",
            ceiling("route_fee (SOL, referrer, depth 2)"),
            verdict(rf, 4_500)
        ));
        s.push_str(&format!(
            "- `route_fee`, trader not a member: {base} CU; goal 1,500: {} the goal.\n",
            verdict(base, 1_500)
        ));
    }
    if let (Some(rf), Some(none), Some(entry)) = (
        cu("route_fee (SOL, referrer, depth 2)"),
        cu("route_fee (SOL, trader not a member)"),
        cu("route_fee (SOL, routing paused: nothing happens)"),
    ) {
        s.push_str(&format!(
            "- What `route_fee` spends, from the scenarios above (it runs from the program's entrypoint, \
             D-45): {entry} CU to parse the input, check the instruction data, load the hub, check the reporter and \
             return (routing paused); {} CU more to prove that an empty trader account is the reported wallet's \
             canonical Member address (the non-member path minus that: one sha256 and one curve check per bump \
             tried, newest first, ~375 CU each; the fixed wallet of this scenario needs 3); {} CU more, on the \
             member path, to verify the three Member accounts (owner, discriminator, stored hub, wallet and \
             referrer links), the stake age, credit points, split the fee, move the lamports with one System \
             transfer and write the return data and the event (route_fee minus the paused path).\n",
            none.saturating_sub(entry),
            rf.saturating_sub(entry),
        ));
    }
    if let (Some(buy), Some(plain), Some(deployed), Some(inner)) = (
        cu("bench build: buy (referral CPI, referred buyer)"),
        cu("bench build: buy_plain (plain fee transfer)"),
        cu("demo marketplace buy (referral CPI, referred buyer)"),
        cu("route_fee inside buy (CPI, depth 2)"),
    ) {
        let ratio = buy as f64 / plain as f64;
        let extra = buy.saturating_sub(plain);
        let verdict = if extra <= 6_000 { "meets" } else { "misses" };
        s.push_str(&format!(
            "- What the referral adds to a marketplace `buy` (benchmark build, one binary: `buy` with the referral \
             CPI minus `buy_plain` with a plain fee transfer): {buy} - {plain} = {extra} CU, ratio {ratio:.2}; goal \
             <= 6,000 CU: {verdict} the goal. Of it, {inner} CU run inside `route_fee` itself (measured in the \
             deployed build, whose `buy` costs {deployed} CU); the rest is the CPI (invoke, account and data \
             copies, return data) and the caller's preparation, less the plain version's one fee transfer.\n"
        ));
    }
    if let (Some(first), Some(hundredth), Some(buy)) = (
        cu("route_fee (SOL, the referrer's 1st referee)"),
        cu("route_fee (SOL, the referrer's 100th referee)"),
        cu("bench build: buy (referral CPI, referred buyer)"),
    ) {
        // agave cost-model `MAX_WRITABLE_ACCOUNT_UNITS` (block_cost_limits.rs): CU of all transactions that
        // write one account, per block.
        const ACCOUNT_UNITS_PER_BLOCK: u64 = 24_000_000;
        let per_block = ACCOUNT_UNITS_PER_BLOCK / buy.max(1);
        s.push_str(&format!(
            "- A very popular referrer (R-5.5): `route_fee` for its 1st referee costs {first} CU, for its 100th \
             {hundredth} CU: the per-trade cost does not grow with popularity (nothing is iterated or stored per \
             referee). What popularity costs is the referrer's write lock: every referee trade writes the \
             referrer's Member (its points and fee share), so those trades run one after another, and a block \
             accepts at most {ACCOUNT_UNITS_PER_BLOCK} CU of transactions writing one account (agave's \
             `MAX_WRITABLE_ACCOUNT_UNITS`): with a {buy}-CU marketplace purchase, at most ~{per_block} referee \
             purchases per block (~{} per second at 2.5 blocks per second), fewer by the transaction's signature \
             and lock costs and by the compute-unit limit the marketplace requests (the scheduler counts the \
             requested limit until execution). Unrelated referrers' referees never contend: no hub-wide account \
             is written.\n",
            per_block * 5 / 2
        ));
    }
    s
}

/// One scenario of the framework comparison of issue 9: the CU of the adopted build (anchor-lang 1.2,
/// zero-copy accounts, `route_fee` from the program's entrypoint) and of option (b), the same `route_fee` on anchor-lang 2.0.0-rc.2
/// (`bench/anchor-v2-route-fee`), each measured on its SBF binary from the same account state.
#[derive(Debug, Clone)]
pub struct OptionRow {
    /// Scenario.
    pub name: &'static str,
    /// The adopted build: anchor-lang 1.2.2, zero-copy Hub and Member, `route_fee` from the program's entrypoint.
    pub a: u64,
    /// Option (b): anchor-lang 2.0.0-rc.2.
    pub b: u64,
}

/// Measures both options on the same state: each binary is loaded at the referral program id in a bank of
/// its own (with the marketplace's benchmark build), and the hub and members are written directly with
/// the same bytes (the layouts are the same), so only the framework differs.
pub async fn measure_options() -> Vec<OptionRow> {
    let a = measure_route_paths("referral").await;
    let b = measure_route_paths("referral_v2_bench").await;
    a.into_iter().zip(b).map(|((name, a), (_, b))| OptionRow { name, a, b }).collect()
}

/// `route_fee` (a referred trader at depth 2, a non-member) and a marketplace purchase with the referral CPI
/// and with a plain fee transfer, with `binary` as the referral program.
async fn measure_route_paths(binary: &str) -> Vec<(&'static str, u64)> {
    use crate::tokens::TOKEN;
    use referral_client::{ix, market};
    let mut fx = Fixture::with_programs(&[(binary, referral::ID), ("demo_marketplace_bench", market::ID)]).await;
    fx.set_time(FIXED_TIME).await;
    let [creator, reporter, w0, w1, w2, stranger, admin, seller] = [1, 2, 10, 11, 12, 30, 71, 76].map(fixed);
    for k in [&reporter, &w2, &stranger, &admin, &seller] {
        fx.fund(&k.pubkey(), crate::WALLET_LAMPORTS).await;
    }
    let m = fx.market_of(admin).await;
    let hub = pda::hub(&creator.pubkey(), 1).0;
    let mut config = HubConfig::with_defaults(Pubkey::new_from_array([7; 32]));
    config.reporters = vec![reporter.pubkey(), m.reporter];
    let state = Hub {
        hub_id: 1,
        creator: creator.pubkey(),
        admin: creator.pubkey(),
        pending_admin: Pubkey::default(),
        rules: referral_client::HubRules::from_config(&config),
        claims_paused_at: 0,
        bump: pda::hub(&creator.pubkey(), 1).1,
        paused: 0,
        _padding: [0; 6],
    };
    fx.set_program_account(&hub, referral_client::decode::zero_copy_bytes(&state));
    // w0 <- w1 (1 NFT staked in an earlier slot) <- w2.
    let key = |w: &Keypair| pda::member(&hub, &w.pubkey());
    let mut members = Vec::new();
    for (w, referrer, staked) in [(&w0, None, 0), (&w1, Some(&w0), 1), (&w2, Some(&w1), 0)] {
        let member = Member {
            hub,
            wallet: w.pubkey(),
            referrer: referrer.map(|r| key(r).0).unwrap_or_default(),
            staked_count: staked,
            bump: key(w).1,
            ..Member::default()
        };
        members.push((key(w).0, member));
    }
    for (address, member) in &members {
        fx.set_program_account(address, referral_client::decode::zero_copy_bytes(member));
    }
    let trade = fx.trade_of(&hub, &w2.pubkey()).await;
    let none = fx.trade_of(&hub, &stranger.pubkey()).await;
    let (fee, base) = (2_000_000_000, 5_000);
    let mut out = Vec::new();
    let route = ix::route_fee(&reporter.pubkey(), &hub, &w2.pubkey(), &trade, fee, base);
    out.push(("route_fee (SOL, referrer, depth 2)", cu_of("route (a/b)", fx.send(&[route], &[&reporter, &w2]).await)));
    let route = ix::route_fee(&reporter.pubkey(), &hub, &stranger.pubkey(), &none, fee, base);
    out.push((
        "route_fee (SOL, trader not a member)",
        cu_of("non-member (a/b)", fx.send(&[route], &[&reporter, &stranger]).await),
    ));
    fx.init_market(&m, &hub).await;
    let mut buys = Vec::new();
    for (key, route) in [(80u8, true), (81u8, false)] {
        let listed = fx.list_nft(&m, &seller, &fixed(key), 10_000_000_000).await;
        let _ = fx.ata(&w2.pubkey(), &listed.mint, TOKEN).await;
        let sent = fx.buy(&hub, &m, &w2, &listed, route).await;
        buys.push(cu_of_program("buy (a/b)", sent, &market::ID));
    }
    out.push(("marketplace buy with the referral CPI (benchmark build)", buys[0]));
    out.push(("marketplace buy_plain, plain fee transfer (benchmark build)", buys[1]));
    out.push(("what the referral adds to the buy", buys[0].saturating_sub(buys[1])));
    out
}

/// The framework comparison section of docs/COMPUTE.md (issue 9, docs/DECISIONS.md D-44).
pub fn render_options(rows: &[OptionRow]) -> String {
    let mut s = String::from(
        "\n## Issue 9: the adopted build beside option (b)\n\n\
         Both binaries run the same `route_fee` from the same account state (written directly, the layouts are \
         the same), each loaded at the referral program id next to the marketplace's benchmark build. Adopted: \
         `target/deploy/referral.so`, anchor-lang 1.2.2 with zero-copy Hub and Member (option a) and `route_fee` \
         dispatched from the program's own entrypoint (D-45). Option (b): `target/deploy/referral_v2_bench.so`, \
         the same instruction on anchor-lang 2.0.0-rc.2 (`bench/anchor-v2-route-fee`, measurement only). Option \
         (a) alone, with `route_fee` behind Anchor's dispatcher, measured 5,604 / 3,164 / 9,515 CU for the three \
         goals (commit 15378f8, D-44).\n\n\
         | scenario | adopted: anchor-lang 1.2.2, zero-copy, own route_fee entry | (b) anchor-lang 2.0.0-rc.2 | goal |\n|---|---:|---:|---:|\n",
    );
    for r in rows {
        let goal = match r.name {
            "route_fee (SOL, referrer, depth 2)" => "4,500",
            "route_fee (SOL, trader not a member)" => "1,500",
            "what the referral adds to the buy" => "6,000",
            _ => "-",
        };
        s.push_str(&format!("| {} | {} | {} | {goal} |\n", r.name, r.a, r.b));
    }
    s
}
