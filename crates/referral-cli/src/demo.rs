//! `referral demo`: a whole referral economy on an embedded bank running the real SBF programs
//! (solana-program-test 4.2.2 through the project's fixture), printed as tables or JSON.
//!
//! A hub with an NFT collection and depth 3; twelve wallets; codes, links by address, a late binding;
//! NFT stakes at several milestones; purchases on the demo marketplace, each routing its 2% fee through
//! `route_fee` by CPI; an award of points; claims; the end of the ranking period (pool, registrations,
//! claims); a referral-boosted staking pool with a withdrawal that cancels a bonus. Then: who referred whom,
//! each member's milestone, points and claimable fees, the leaderboard, the CU of each instruction, and the
//! conservation checks.
use std::collections::BTreeMap;

use anchor_lang::prelude::Pubkey;
use anyhow::{bail, Result};
use indicatif::{ProgressBar, ProgressStyle};
use referral::events::{FeeRouted, PoolClosed, RewardClaimed};
use referral::logic::{milestones, points};
use referral_client::ix::{self, Referral};
use referral_client::leaderboard::{leaderboard, tier_name, Row};
use referral_client::{decode, market, pda, HubConfig, Member, Period, Tier};
use referral_tests::{deploy_dir, nested_cu, top_level_cu, Fixture, Sent, TestKeypair, TestSigner};
use serde::Serialize;

use crate::chain::rule;

const COLLECTION: Pubkey = Pubkey::new_from_array([0xC0; 32]);
const SOL: u64 = 1_000_000_000;
const NAMES: [&str; 12] =
    ["alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi", "ivan", "judy", "mallory", "oscar"];

/// Everything the demo shows; also its JSON output.
#[derive(Serialize, Debug)]
pub struct DemoReport {
    pub hub: String,
    pub tree: Vec<String>,
    pub members: Vec<MemberRow>,
    pub leaderboard: Vec<LeaderRow>,
    pub trades: Vec<TradeRow>,
    pub compute_units: Vec<CuRow>,
    pub conservation: Conservation,
    pub period_end: PeriodEnd,
    pub staking_pool: PoolDemo,
}

/// A referral-boosted staking pool (R-6.x): who staked, their weights with the boosts, a withdrawal that
/// cancels one, the rewards, and the pool's books.
#[derive(Serialize, Debug, Clone)]
pub struct PoolDemo {
    pub rate_per_second: u64,
    pub seconds: i64,
    pub positions: Vec<PoolRow>,
    pub cancelled: String,
    pub emitted: u64,
    pub paid: u64,
    pub undistributed_dust: u64,
    pub paid_within_emitted: bool,
}

#[derive(Serialize, Debug, Clone)]
pub struct PoolRow {
    pub name: String,
    pub staked: u64,
    pub weight_before: String,
    pub weight_after: String,
    pub bonus_valid: bool,
    pub rewards: u64,
}

/// The end of the ranking period: the pool, the registrations, each member's reward, and the
/// conservation line (claims + returned to the funder == funded).
#[derive(Serialize, Debug, Clone)]
pub struct PeriodEnd {
    pub period: u32,
    pub pool_funded_lamports: u64,
    pub payouts: Vec<PayoutRow>,
    pub claimed_lamports: u64,
    pub returned_to_funder_lamports: u64,
    pub claims_plus_returned_equals_funded: bool,
}

#[derive(Serialize, Debug, Clone)]
pub struct PayoutRow {
    pub name: String,
    pub referral_points: u64,
    pub tier: String,
    pub reward_sol: String,
}

#[derive(Serialize, Debug, Clone)]
pub struct MemberRow {
    pub name: String,
    pub wallet: String,
    pub referrer: Option<String>,
    pub direct_referees: u32,
    pub members_below: u32,
    pub nfts_staked: u16,
    pub own_multiplier: String,
    pub referee_share: String,
    pub own_points: u64,
    pub referral_points: u64,
    pub claimable_sol: String,
    pub claimed_sol: String,
}

#[derive(Serialize, Debug, Clone)]
pub struct LeaderRow {
    pub rank: usize,
    pub name: String,
    pub referral_points: u64,
    pub tier: String,
}

#[derive(Serialize, Debug, Clone)]
pub struct TradeRow {
    pub buyer: String,
    pub price_sol: String,
    pub fee_lamports: u64,
    pub referrer: Option<String>,
    pub referrer_share_lamports: u64,
    pub treasury_lamports: u64,
    pub buyer_points: u64,
    pub referral_points: u64,
}

#[derive(Serialize, Debug, Clone)]
pub struct CuRow {
    pub instruction: String,
    pub calls: usize,
    pub min: u64,
    pub max: u64,
}

#[derive(Serialize, Debug, Clone)]
pub struct Conservation {
    pub trades: usize,
    pub buyers_paid_lamports: u64,
    pub sellers_received_lamports: u64,
    pub treasury_received_lamports: u64,
    pub referrers_received_lamports: u64,
    pub every_fee_split_exactly: bool,
    pub every_lamport_accounted: bool,
}

fn sol(lamports: u64) -> String {
    format!("{}.{:09}", lamports / SOL, lamports % SOL)
}

fn x(bps: u16) -> String {
    format!("{}.{:04}x", bps / 10_000, bps % 10_000)
}

fn pct(bps: u16) -> String {
    format!("{}.{:02}%", bps / 100, bps % 100)
}

struct Demo {
    fx: Fixture,
    hub: Pubkey,
    operator: TestKeypair,
    wallets: Vec<TestKeypair>,
    cu: BTreeMap<String, Vec<u64>>,
    bar: ProgressBar,
}

impl Demo {
    fn name(&self, wallet: &Pubkey) -> String {
        self.wallets
            .iter()
            .position(|w| w.pubkey() == *wallet)
            .map(|i| NAMES[i].to_string())
            .unwrap_or_else(|| wallet.to_string())
    }

    fn w(&self, name: &str) -> &TestKeypair {
        let i = NAMES.iter().position(|n| *n == name).unwrap_or(0);
        &self.wallets[i]
    }

    fn record(&mut self, name: &str, sent: &Sent) {
        for cu in top_level_cu(&sent.logs, &referral::ID) {
            self.cu.entry(name.to_string()).or_default().push(cu);
        }
        self.bar.inc(1);
    }

    async fn step(
        &mut self,
        name: &str,
        ixs: &[referral_client::Instruction],
        signers: &[&TestKeypair],
    ) -> Result<Sent> {
        match self.fx.send(ixs, signers).await {
            Ok(sent) => {
                self.record(name, &sent);
                Ok(sent)
            }
            Err(f) => bail!("{name} failed in the demo: {:?}\n{}", f.error, f.logs.join("\n")),
        }
    }

    async fn join(&mut self, who: &str, via: Option<(&str, bool)>) -> Result<()> {
        let wallet = self.w(who).insecure_clone();
        let referral = match via {
            None => Referral::None,
            Some((code, true)) => self.fx.by_code(&self.hub, code).await,
            Some((referrer, false)) => {
                let r = self.w(referrer).pubkey();
                self.fx.by_address(&self.hub, &r).await
            }
        };
        let ixn = ix::join(&wallet.pubkey(), &wallet.pubkey(), &self.hub, referral).map_err(rule)?;
        self.step("join", &[ixn], &[&wallet]).await.map(|_| ())
    }
}

/// Runs the demo; `progress` shows a progress bar on stderr.
pub async fn run(progress: bool) -> Result<DemoReport> {
    for program in ["referral", "demo_marketplace"] {
        let path = deploy_dir().join(format!("{program}.so"));
        if !path.exists() {
            bail!(
                "{} is missing: build the programs first with `bash scripts/build-sbf.sh` (from the repository root)",
                path.display()
            );
        }
    }
    let bar = if progress { ProgressBar::new(100) } else { ProgressBar::hidden() };
    bar.set_style(
        ProgressStyle::with_template("{spinner} {msg:<28} [{bar:30}] {pos}/{len} transactions")
            .map_err(|e| anyhow::anyhow!("progress bar: {e}"))?
            .progress_chars("=> "),
    );
    bar.set_message("starting the bank");
    let mut fx = Fixture::with_marketplace().await;
    let operator = fx.wallet().await;
    let shop_market = fx.new_market().await;
    let mut config = HubConfig::with_defaults(COLLECTION);
    config.depth = 3;
    config.level_shares_bps = [500, 250, 0];
    config.reporters = vec![operator.pubkey(), shop_market.reporter];
    // Tiers scaled to a demo's volume (the defaults are 11,000 / 65,000 / 255,000 referral points).
    config.tiers = vec![
        Tier { threshold: 1_000, share_bps: 5_000 },
        Tier { threshold: 5_000, share_bps: 3_000 },
        Tier { threshold: 20_000, share_bps: 2_000 },
    ];
    let hub =
        fx.create_hub(&operator, 1, config.clone()).await.map_err(|f| anyhow::anyhow!("create_hub: {:?}", f.error))?;
    let mut wallets = Vec::new();
    for _ in NAMES {
        wallets.push(fx.wallet().await);
    }
    let mut d = Demo { fx, hub, operator, wallets, cu: BTreeMap::new(), bar };

    d.bar.set_message("members, codes, links");
    d.join("alice", None).await?;
    let alice = d.w("alice").insecure_clone();
    let code = ix::make_code(&alice.pubkey(), &alice.pubkey(), &hub, "Alice").map_err(rule)?;
    d.step("make_code", &[code], &[&alice]).await?;
    d.join("bob", Some(("ALICE", true))).await?;
    d.join("carol", Some(("bob", false))).await?;
    d.join("dave", Some(("carol", false))).await?;
    d.join("erin", Some(("alice", true))).await?;
    d.join("frank", Some(("bob", false))).await?;
    let bob = d.w("bob").insecure_clone();
    let code = ix::make_code(&bob.pubkey(), &bob.pubkey(), &hub, "bob-nft").map_err(rule)?;
    d.step("make_code", &[code], &[&bob]).await?;
    d.join("grace", Some(("bob-nft", true))).await?;
    d.join("heidi", None).await?;
    d.join("ivan", Some(("frank", false))).await?;
    d.join("judy", Some(("frank", false))).await?;
    d.join("mallory", None).await?;
    // Late binding: heidi joined alone and sets erin as referrer later.
    let heidi = d.w("heidi").insecure_clone();
    let via = d.fx.by_address(&hub, &d.w("erin").pubkey()).await;
    let late = ix::set_referrer(&heidi.pubkey(), &hub, via).map_err(rule)?;
    d.step("set_referrer", &[late], &[&heidi]).await?;

    d.bar.set_message("staking NFTs");
    for (who, n) in [("alice", 10usize), ("bob", 3), ("erin", 1), ("frank", 1)] {
        let owner = d.w(who).insecure_clone();
        for _ in 0..n {
            let (mint, token) = d.fx.nft(&owner.pubkey(), referral_tests::tokens::NftSpec::of(COLLECTION)).await;
            let s = ix::stake_nft(&owner.pubkey(), &owner.pubkey(), &hub, &mint, &token);
            d.step("stake_nft", &[s], &[&owner]).await?;
        }
    }
    d.fx.next_slot().await; // stakes count for fees and milestones from the next slot

    d.bar.set_message("opening the ranking period");
    // The operator opens this month's reward book and funds its pool.
    let operator = d.operator.insecure_clone();
    let now = d.fx.clock().await.unix_timestamp;
    let index = referral::logic::periods::period_index(&config.period, now);
    let period = pda::period(&hub, index).0;
    d.step("open_period", &[ix::open_period(&operator.pubkey(), &hub, index)], &[&operator]).await?;
    let pool_funded = 5 * SOL;
    d.step("fund_pool", &[ix::fund_pool(&operator.pubkey(), &period, pool_funded)], &[&operator]).await?;

    d.bar.set_message("trading on the marketplace");
    d.fx.init_market(&shop_market, &hub).await;
    let treasury = shop_market.treasury;
    let shop = d.fx.wallet().await;
    let purchases = [
        ("dave", 12 * SOL),
        ("carol", 8 * SOL),
        ("grace", 5 * SOL),
        ("judy", 20 * SOL),
        ("ivan", 3 * SOL),
        ("heidi", 7 * SOL),
        ("mallory", 4 * SOL),
        ("oscar", 6 * SOL),
        ("erin", 2 * SOL + SOL / 2),
        ("bob", 15 * SOL),
    ];
    let mut trades = Vec::new();
    let mut cons = Conservation {
        trades: 0,
        buyers_paid_lamports: 0,
        sellers_received_lamports: 0,
        treasury_received_lamports: 0,
        referrers_received_lamports: 0,
        every_fee_split_exactly: true,
        every_lamport_accounted: true,
    };
    for (who, price) in purchases {
        let buyer = d.w(who).insecure_clone();
        let listed = d.fx.list_nft(&shop_market, &shop, &TestKeypair::new(), price).await;
        let buyer_token = d.fx.ata(&buyer.pubkey(), &listed.mint, referral_tests::tokens::TOKEN).await;
        let trade = d.fx.trade_of(&hub, &buyer.pubkey()).await;
        let referrer_member = trade.referrer_wallet.map(|w| pda::member(&hub, &w).0);
        let listing = market::listing(&shop_market.address, &listed.mint);
        let rents = d.fx.lamports(&listing).await + d.fx.lamports(&market::escrow(&listing)).await;
        let mut watch = vec![buyer.pubkey(), shop.pubkey(), treasury];
        watch.extend(referrer_member);
        let before = balances(&mut d.fx, &watch).await;
        let buy =
            market::buy(&shop_market.address, &buyer_token, &shop.pubkey(), &treasury, &listed.mint, &hub, &trade);
        let sent = d.step("demo marketplace buy", &[buy], &[&buyer]).await?;
        for cu in top_level_cu(&sent.logs, &market::ID) {
            d.cu.entry("demo marketplace buy (incl. CPI)".into()).or_default().push(cu);
        }
        for cu in nested_cu(&sent.logs, &referral::ID) {
            d.cu.entry("route_fee (by CPI)".into()).or_default().push(cu);
        }
        let after = balances(&mut d.fx, &watch).await;
        let fee = price * 2 / 100;
        let event = decode::events::<FeeRouted>(&sent.logs).into_iter().next();
        let share = event.as_ref().map(|e| e.referrer_share).unwrap_or(0);
        let paid = before[0] - after[0];
        let seller = after[1] - before[1] - rents;
        let to_treasury = after[2] - before[2];
        let to_referrer = if referrer_member.is_some() { after[3] - before[3] } else { 0 };
        cons.trades += 1;
        cons.buyers_paid_lamports += paid;
        cons.sellers_received_lamports += seller;
        cons.treasury_received_lamports += to_treasury;
        cons.referrers_received_lamports += to_referrer;
        cons.every_fee_split_exactly &=
            share + (fee - share) == fee && to_treasury == fee - share && to_referrer == share;
        cons.every_lamport_accounted &= paid == seller + to_treasury + to_referrer;
        trades.push(TradeRow {
            buyer: who.to_string(),
            price_sol: sol(price),
            fee_lamports: fee,
            referrer: trade.referrer_wallet.map(|w| d.name(&w)),
            referrer_share_lamports: share,
            treasury_lamports: to_treasury,
            buyer_points: event.as_ref().map(|e| e.own_points).unwrap_or(0),
            referral_points: event.as_ref().map(|e| e.referral_points).unwrap_or(0),
        });
    }

    d.bar.set_message("points and claims");
    // Points for activity that is not a fee (listings, quests): the operator awards them.
    for (who, base) in [("alice", 2_000u64), ("bob", 60_000), ("dave", 40_000)] {
        let w = d.w(who).pubkey();
        let trade = d.fx.trade_of(&hub, &w).await;
        let award = ix::award_points(&operator.pubkey(), &hub, &trade, base);
        d.step("award_points", &[award], &[&operator]).await?;
    }
    let mut claimed = BTreeMap::new();
    for who in ["alice", "frank"] {
        let w = d.w(who).insecure_clone();
        let amount = d.fx.member(&hub, &w.pubkey()).await.claimable_lamports;
        if amount > 0 {
            d.step("claim_fees", &[ix::claim_fees(&w.pubkey(), &hub)], &[&w]).await?;
            claimed.insert(w.pubkey(), amount);
        }
    }
    // A direct fee report from the operator (no marketplace): bob pays 1 SOL of fees.
    let trade = d.fx.trade_of(&hub, &bob.pubkey()).await;
    let report = ix::route_fee(&operator.pubkey(), &hub, &bob.pubkey(), &trade, SOL, 500);
    d.step("route_fee", &[report], &[&operator, &bob]).await?;

    // Read back the final state.
    let mut members: Vec<(Pubkey, Member)> = Vec::new();
    for w in &d.wallets {
        if let Some(m) = d.fx.account::<Member>(&pda::member(&hub, &w.pubkey()).0).await {
            members.push((w.pubkey(), m));
        }
    }
    let by_member: BTreeMap<Pubkey, Pubkey> = members.iter().map(|(w, _)| (pda::member(&hub, w).0, *w)).collect();
    let rows: Vec<MemberRow> = members
        .iter()
        .map(|(w, m)| {
            let b = milestones::benefits(&config.milestones, m.staked_count);
            MemberRow {
                name: d.name(w),
                wallet: w.to_string(),
                referrer: by_member.get(&m.referrer).map(|r| d.name(r)),
                direct_referees: m.referee_counts[0],
                members_below: m.referee_counts.iter().sum(),
                nfts_staked: m.staked_count,
                own_multiplier: x(points::own_multiplier_bps(
                    &referral_client::state::HubRules::from_config(&config),
                    m.staked_count,
                    m.has_referrer(),
                )),
                referee_share: pct(b.share_bps),
                own_points: m.own_points,
                referral_points: m.referral_points,
                claimable_sol: sol(m.claimable_lamports),
                claimed_sol: sol(claimed.get(w).copied().unwrap_or(0)),
            }
        })
        .collect();
    // the leaderboard as every client computes it (referral-client), this period.
    let keyed: Vec<(Pubkey, Member)> = members.iter().map(|(w, m)| (pda::member(&hub, w).0, *m)).collect();
    let thresholds: Vec<u64> = config.tiers.iter().map(|t| t.threshold).collect();
    let tier_of = |t: Option<u8>| t.map(|i| tier_name(i, thresholds.len())).unwrap_or_else(|| "unranked".into());
    let board = leaderboard(&keyed, index, &thresholds);
    let leaderboard = board
        .iter()
        .map(|r| LeaderRow {
            rank: r.rank as usize,
            name: d.name(&r.wallet),
            referral_points: r.points,
            tier: tier_of(r.tier),
        })
        .collect();
    let period_end = end_of_period(&mut d, index, pool_funded, &board, &tier_of).await?;
    let staking_pool = staking_pool_demo(&mut d).await?;
    let tree = render_tree(&rows);
    let compute_units =
        d.cu.iter()
            .map(|(k, v)| CuRow {
                instruction: k.clone(),
                calls: v.len(),
                min: v.iter().copied().min().unwrap_or(0),
                max: v.iter().copied().max().unwrap_or(0),
            })
            .collect();
    Ok(DemoReport {
        hub: hub.to_string(),
        tree,
        members: rows,
        leaderboard,
        trades,
        compute_units,
        conservation: cons,
        period_end,
        staking_pool,
    })
}

/// The end of period `index`: the clock moves past the period's end; every ranked member is registered
/// (permissionless, the operator's crank pays); after the registration window each claims its reward; after
/// the claim window the operator closes the pool and gets back what was not paid out.
async fn end_of_period(
    d: &mut Demo,
    index: u32,
    funded: u64,
    board: &[Row],
    tier_of: &dyn Fn(Option<u8>) -> String,
) -> Result<PeriodEnd> {
    d.bar.set_message("ending the ranking period");
    let hub = d.hub;
    let operator = d.operator.insecure_clone();
    let period = pda::period(&hub, index).0;
    let times = d.fx.account::<Period>(&period).await.ok_or_else(|| anyhow::anyhow!("period {index} is not open"))?;
    d.fx.set_time(times.end).await;
    let ranked: Vec<&Row> = board.iter().filter(|r| r.tier.is_some()).collect();
    for r in &ranked {
        d.step("register", &[ix::register(&operator.pubkey(), &hub, &period, &r.wallet)], &[&operator]).await?;
    }
    d.fx.set_time(times.registration_end).await;
    let mut payouts = Vec::new();
    let mut claimed = 0;
    for r in &ranked {
        let wallet = d.wallets.iter().find(|w| w.pubkey() == r.wallet).map(|w| w.insecure_clone());
        let Some(wallet) = wallet else { continue };
        let sent = d
            .step("claim_reward", &[ix::claim_reward(&r.wallet, &hub, &period, &operator.pubkey())], &[&wallet])
            .await?;
        let amount = decode::events::<RewardClaimed>(&sent.logs).first().map(|e| e.amount).unwrap_or(0);
        claimed += amount;
        payouts.push(PayoutRow {
            name: d.name(&r.wallet),
            referral_points: r.points,
            tier: tier_of(r.tier),
            reward_sol: sol(amount),
        });
    }
    d.fx.set_time(times.claim_end).await;
    let sent = d.step("close_pool", &[ix::close_pool(&hub, &period, &operator.pubkey())], &[&operator]).await?;
    let returned = decode::events::<PoolClosed>(&sent.logs).first().map(|e| e.returned).unwrap_or(0);
    d.bar.finish_and_clear();
    Ok(PeriodEnd {
        period: index,
        pool_funded_lamports: funded,
        payouts,
        claimed_lamports: claimed,
        returned_to_funder_lamports: returned,
        claims_plus_returned_equals_funded: claimed + returned == funded,
    })
}

/// A staking pool of the hub (R-6.1 .. ): bob (referred by alice) and carol (referred by bob) stake;
/// their +10% and their referrers' +5% show in the weights (alice, who stakes nothing, earns from bob's
/// +5%); after ten minutes carol withdraws one token, which cancels her bonus and bob's +5% from her;
/// after ten more minutes everyone claims. The pool's books: paid + dust == emitted.
async fn staking_pool_demo(d: &mut Demo) -> Result<PoolDemo> {
    use referral_client::ix::PoolToken;
    use referral_client::{PoolPosition, StakingPool};
    use referral_tests::tokens::TOKEN;
    d.bar.set_message("a referral-boosted staking pool");
    let hub = d.hub;
    let operator = d.operator.insecure_clone();
    let auth = TestKeypair::new();
    let stake = PoolToken { mint: d.fx.mint(&auth, 6, TOKEN).await, token_program: TOKEN };
    let reward = PoolToken { mint: d.fx.mint(&auth, 6, TOKEN).await, token_program: TOKEN };
    let rate = 1_000u64;
    let start = d.fx.clock().await.unix_timestamp;
    // The operator funds the whole schedule at creation (R-6.6: a pool never promises more than it holds),
    // tops it up by 1,000 units, and takes that excess back: no emission could ever claim it.
    let funder_token = d.fx.ata(&operator.pubkey(), &reward.mint, TOKEN).await;
    d.fx.mint_to(&auth, &reward.mint, &funder_token, rate * 86_400 + 1_000, TOKEN).await;
    let schedule = ix::Schedule { rate, start, end: start + 86_400, funding: rate * 86_400 };
    let create = ix::create_staking_pool(&operator.pubkey(), &hub, 1, stake, reward, &funder_token, schedule);
    d.step("create_staking_pool", &[create], &[&operator]).await?;
    let pool = pda::staking_pool(&hub, 1).0;
    let fund = ix::fund_staking_pool(&operator.pubkey(), &hub, &pool, &funder_token, reward, 1_000);
    d.step("fund_staking_pool", &[fund], &[&operator]).await?;
    let excess = ix::withdraw_staking_excess(&operator.pubkey(), &hub, &pool, reward, &funder_token, 1_000);
    d.step("withdraw_staking_excess", &[excess], &[&operator]).await?;
    let names = ["alice", "bob", "carol"];
    let mut tokens = Vec::new();
    for who in names {
        let w = d.w(who).pubkey();
        let t = d.fx.ata(&w, &stake.mint, TOKEN).await;
        d.fx.mint_to(&auth, &stake.mint, &t, 1_000_000, TOKEN).await;
        d.fx.ata(&w, &reward.mint, TOKEN).await;
        tokens.push(t);
    }
    let referrer = |d: &Demo, who: &str| match who {
        "bob" => Some(d.w("alice").pubkey()),
        "carol" => Some(d.w("bob").pubkey()),
        _ => None,
    };
    for (who, amount) in [("bob", 10_000u64), ("carol", 20_000)] {
        let k = d.w(who).insecure_clone();
        let i = names.iter().position(|n| *n == who).unwrap_or(0);
        let r = referrer(d, who);
        let ixs = ix::pool_stake(&k.pubkey(), &hub, &pool, stake, &tokens[i], r.as_ref(), amount);
        d.step("pool_stake", &[ixs], &[&k]).await?;
    }
    let position_key = |d: &Demo, who: &str| pda::position(&pool, &pda::member(&hub, &d.w(who).pubkey()).0).0;
    let mut before = Vec::new();
    for who in names {
        let key = position_key(d, who);
        before.push(d.fx.account::<PoolPosition>(&key).await.map(|p| p.stake().weight()).unwrap_or(0));
    }
    d.fx.set_time(start + 600).await;
    let carol = d.w("carol").insecure_clone();
    let r = referrer(d, "carol");
    let ixw = ix::pool_withdraw(&carol.pubkey(), &hub, &pool, stake, &tokens[2], r.as_ref(), 1);
    d.step("pool_withdraw", &[ixw], &[&carol]).await?;
    d.fx.set_time(start + 1_200).await;
    let mut positions = Vec::new();
    for (i, who) in names.iter().enumerate() {
        let k = d.w(who).insecure_clone();
        let dest = pda::ata(&k.pubkey(), &reward.mint, &TOKEN);
        // Every referral here was made before its member staked, so no claim links one.
        d.step("pool_claim", &[ix::pool_claim(&k.pubkey(), &hub, &pool, reward, &dest, None)], &[&k]).await?;
        let p = d.fx.account::<PoolPosition>(&position_key(d, who)).await.ok_or_else(|| anyhow::anyhow!("position"))?;
        positions.push(PoolRow {
            name: who.to_string(),
            staked: p.staked,
            weight_before: before[i].to_string(),
            weight_after: p.stake().weight().to_string(),
            bonus_valid: p.bonus_valid,
            rewards: d.fx.token_balance(&dest).await,
        });
    }
    let state = d.fx.account::<StakingPool>(&pool).await.ok_or_else(|| anyhow::anyhow!("pool"))?;
    let emitted = u64::try_from(state.emitted).unwrap_or(u64::MAX);
    Ok(PoolDemo {
        rate_per_second: rate,
        seconds: 1_200,
        positions,
        cancelled: "carol withdrew 1 token at 600 s: her +10% and bob's +5% from her ended".into(),
        emitted,
        paid: state.paid,
        undistributed_dust: emitted.saturating_sub(state.paid),
        paid_within_emitted: state.paid <= emitted && emitted.saturating_sub(state.paid) <= 3,
    })
}

async fn balances(fx: &mut Fixture, keys: &[Pubkey]) -> Vec<u64> {
    let mut out = Vec::with_capacity(keys.len());
    for k in keys {
        out.push(fx.lamports(k).await);
    }
    out
}

/// Who referred whom, as an indented tree (roots are members without a referrer).
fn render_tree(rows: &[MemberRow]) -> Vec<String> {
    fn walk(rows: &[MemberRow], name: &str, prefix: &str, last: bool, out: &mut Vec<String>, root: bool) {
        let Some(r) = rows.iter().find(|r| r.name == name) else { return };
        let label = format!("{} ({} NFTs, {} referral pts)", r.name, r.nfts_staked, r.referral_points);
        if root {
            out.push(label);
        } else {
            out.push(format!("{prefix}{}{label}", if last { "└── " } else { "├── " }));
        }
        let kids: Vec<&MemberRow> = rows.iter().filter(|c| c.referrer.as_deref() == Some(name)).collect();
        let child_prefix =
            if root { String::new() } else { format!("{prefix}{}", if last { "    " } else { "│   " }) };
        for (i, k) in kids.iter().enumerate() {
            walk(rows, &k.name, &child_prefix, i + 1 == kids.len(), out, false);
        }
    }
    let mut out = Vec::new();
    for r in rows.iter().filter(|r| r.referrer.is_none()) {
        walk(rows, &r.name, "", true, &mut out, true);
    }
    out
}
