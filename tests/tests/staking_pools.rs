//! Referral-boosted staking pools (R-6.1 ..) on the SBF binary: boosts that start, stop and move,
//! exact accrual against hand-computed figures and against the f64 reference over a random sequence,
//! payouts bounded by funding, and the attacks.
use anchor_lang::prelude::Pubkey;
use referral::errors::ReferralError;
use referral_client::ix::{self, PoolToken};
use referral_client::{pda, HubConfig, PoolPosition, StakingPool};
use referral_tests::tokens::TOKEN;
use referral_tests::{assert_custom_error, replace_account, Fixture, TestKeypair, TestSigner};

const T0: i64 = 1_900_000_000;
const RATE: u64 = 1_000;

/// A hub without a collection; `a` referred `b`, `b` referred `c`, `d` has no referrer; a stake mint and a
/// reward mint (SPL Token), every wallet holding stake tokens; two pools (ids 1 and 2) emitting `RATE`
/// per second from `T0` for 10,000 s, each funded at creation with exactly `RATE x 10,000` rewards.
struct World {
    fx: Fixture,
    hub: Pubkey,
    admin: TestKeypair,
    users: Vec<TestKeypair>,
    stake: PoolToken,
    reward: PoolToken,
    pools: [Pubkey; 2],
}

async fn world() -> World {
    let mut fx = Fixture::new().await;
    fx.set_time(T0 - 100).await;
    let admin = fx.wallet().await;
    let hub = fx.create_hub(&admin, 1, HubConfig::with_defaults(Pubkey::default())).await.expect("hub");
    let a = fx.member_under(&hub, None).await;
    let b = fx.member_under(&hub, Some(&a)).await;
    let c = fx.member_under(&hub, Some(&b)).await;
    let d = fx.member_under(&hub, None).await;
    let auth = TestKeypair::new();
    let stake = PoolToken { mint: fx.mint(&auth, 6, TOKEN).await, token_program: TOKEN };
    let reward = PoolToken { mint: fx.mint(&auth, 6, TOKEN).await, token_program: TOKEN };
    let users = vec![a, b, c, d];
    for u in &users {
        let token = fx.ata(&u.pubkey(), &stake.mint, TOKEN).await;
        fx.mint_to(&auth, &stake.mint, &token, 1_000_000_000, TOKEN).await;
        fx.ata(&u.pubkey(), &reward.mint, TOKEN).await;
    }
    let funder_token = fx.ata(&admin.pubkey(), &reward.mint, TOKEN).await;
    fx.mint_to(&auth, &reward.mint, &funder_token, 100 * RATE * 10_000, TOKEN).await;
    let mut pools = [Pubkey::default(); 2];
    for (i, id) in [1u32, 2].iter().enumerate() {
        let schedule = ix::Schedule { rate: RATE, start: T0, end: T0 + 10_000, funding: RATE * 10_000 };
        let create = ix::create_staking_pool(&admin.pubkey(), &hub, *id, stake, reward, &funder_token, schedule);
        fx.send(&[create], &[&admin]).await.expect("create pool");
        pools[i] = pda::staking_pool(&hub, *id).0;
    }
    World { fx, hub, admin, users, stake, reward, pools }
}

impl World {
    fn referrer(&self, u: usize) -> Option<Pubkey> {
        match u {
            1 => Some(self.users[0].pubkey()),
            2 => Some(self.users[1].pubkey()),
            _ => None,
        }
    }
    fn stake_ix(&self, p: usize, u: usize, amount: u64) -> referral_client::Instruction {
        let owner = self.users[u].pubkey();
        let token = pda::ata(&owner, &self.stake.mint, &TOKEN);
        ix::pool_stake(&owner, &self.hub, &self.pools[p], self.stake, &token, self.referrer(u).as_ref(), amount)
    }
    fn withdraw_ix(&self, p: usize, u: usize, amount: u64) -> referral_client::Instruction {
        let owner = self.users[u].pubkey();
        let token = pda::ata(&owner, &self.stake.mint, &TOKEN);
        ix::pool_withdraw(&owner, &self.hub, &self.pools[p], self.stake, &token, self.referrer(u).as_ref(), amount)
    }
    fn claim_ix(&self, p: usize, u: usize) -> referral_client::Instruction {
        let owner = self.users[u].pubkey();
        let dest = pda::ata(&owner, &self.reward.mint, &TOKEN);
        ix::pool_claim(&owner, &self.hub, &self.pools[p], self.reward, &dest, None)
    }
    fn funder_token(&self) -> Pubkey {
        pda::ata(&self.admin.pubkey(), &self.reward.mint, &TOKEN)
    }
    async fn send(
        &mut self,
        u: usize,
        ixn: referral_client::Instruction,
    ) -> Result<referral_tests::Sent, referral_tests::Failed> {
        let k = self.users[u].insecure_clone();
        self.fx.send(&[ixn], &[&k]).await
    }
    fn position_key(&self, p: usize, u: usize) -> Pubkey {
        pda::position(&self.pools[p], &pda::member(&self.hub, &self.users[u].pubkey()).0).0
    }
    async fn position(&mut self, p: usize, u: usize) -> Option<PoolPosition> {
        let key = self.position_key(p, u);
        self.fx.account::<PoolPosition>(&key).await
    }
    async fn pool(&mut self, p: usize) -> StakingPool {
        self.fx.account::<StakingPool>(&self.pools[p]).await.expect("pool")
    }
    async fn weight(&mut self, p: usize, u: usize) -> u128 {
        self.position(p, u).await.map(|x| x.stake().weight()).unwrap_or(0)
    }
    async fn reward_balance(&mut self, u: usize) -> u64 {
        let owner = self.users[u].pubkey();
        self.fx.token_balance(&pda::ata(&owner, &self.reward.mint, &TOKEN)).await
    }
}

// b (referred by a) stakes 10,000: b weighs 11,000 (+10%), a's position is created
// on demand with 500 (+5%). c (referred by b) stakes 20,000: c 22,000, b 12,000. The boosts are per pool:
// pool 2 is untouched. b withdraws 1: its +10% and a's +5% from it go, c's +5% to b stays; staking again
// does not restore it (D-50). Total weight == the sum of the positions' weights throughout.
#[tokio::test]
async fn boosts_start_stop_and_move() {
    let mut w = world().await;
    w.fx.set_time(T0 + 10).await;
    w.send(1, w.stake_ix(0, 1, 10_000)).await.expect("b stakes");
    assert_eq!((w.weight(0, 1).await, w.weight(0, 0).await), (11_000, 500));
    let a_pos = w.position(0, 0).await.expect("a's position created on demand");
    assert_eq!((a_pos.staked, a_pos.referral_weight, a_pos.wallet), (0, 500, w.users[0].pubkey()));
    w.send(2, w.stake_ix(0, 2, 20_000)).await.expect("c stakes");
    assert_eq!((w.weight(0, 2).await, w.weight(0, 1).await, w.weight(0, 0).await), (22_000, 12_000, 500));
    assert_eq!(w.pool(0).await.total_weight, 22_000 + 12_000 + 500);
    assert!(w.position(1, 1).await.is_none() && w.pool(1).await.total_weight == 0, "pool 2 untouched");
    w.send(1, w.stake_ix(1, 1, 10_000)).await.expect("b stakes in pool 2");
    assert_eq!((w.weight(1, 1).await, w.weight(1, 0).await), (11_000, 500));

    // a withdrawal ends b's bonus in pool 1 only.
    w.send(1, w.withdraw_ix(0, 1, 1)).await.expect("b withdraws 1");
    let b = w.position(0, 1).await.expect("b");
    assert_eq!((b.staked, b.own_bonus, b.granted, b.referral_weight, b.bonus_valid), (9_999, 0, 0, 1_000, false));
    assert_eq!(w.weight(0, 0).await, 0, "a's +5% from b is removed exactly");
    assert_eq!(w.weight(0, 2).await, 22_000, "c's own bonus is its own");
    assert_eq!((w.weight(1, 1).await, w.weight(1, 0).await), (11_000, 500), "pool 2 unaffected");
    w.send(1, w.stake_ix(0, 1, 5_001)).await.expect("b stakes again");
    assert_eq!(w.weight(0, 1).await, 15_000 + 1_000, "the bonus stays invalid after a later increase");
    let total: u128 = [w.weight(0, 0).await, w.weight(0, 1).await, w.weight(0, 2).await].iter().sum();
    assert_eq!(w.pool(0).await.total_weight, total);
}

// exact accrual on hand-computed figures. From T0: b alone with a's +5% (11,000 + 500) for
// 100 s, then c joins (22,000; b 12,000) for 100 s, then b withdraws everything. Rewards before a weight
// change are never lost: each claim equals the integral, rounded down, the fractions carried.
#[tokio::test]
async fn accrual_is_exact() {
    let mut w = world().await;
    w.send(1, w.stake_ix(0, 1, 10_000)).await.expect("b stakes before the start");
    w.fx.set_time(T0 + 100).await;
    w.send(2, w.stake_ix(0, 2, 20_000)).await.expect("c stakes at T0 + 100");
    w.fx.set_time(T0 + 200).await;
    // b: 100,000 x 11,000 / 11,500 + 100,000 x 12,000 / 34,500 = 95,652.17.. + 34,782.60.. = 130,434.78..
    w.send(1, w.claim_ix(0, 1)).await.expect("b claims");
    assert_eq!(w.reward_balance(1).await, 130_434);
    // a: 100,000 x 500 / 11,500 + 100,000 x 500 / 34,500 = 4,347.82.. + 1,449.27.. = 5,797.10..
    w.send(0, w.claim_ix(0, 0)).await.expect("a claims its +5%");
    assert_eq!(w.reward_balance(0).await, 5_797);
    // c: 100,000 x 22,000 / 34,500 = 63,768.11..
    w.send(2, w.claim_ix(0, 2)).await.expect("c claims");
    assert_eq!(w.reward_balance(2).await, 63_768);
    let pool = w.pool(0).await;
    assert_eq!(pool.emitted, 200_000);
    assert_eq!(pool.paid, 130_434 + 5_797 + 63_768, "3 units left in the carries, never lost");
    assert_custom_error(w.send(2, w.claim_ix(0, 2)).await, ReferralError::NothingToClaim);
    // b takes everything out: its stake comes back whole.
    let stake_before = w.fx.token_balance(&pda::ata(&w.users[1].pubkey(), &w.stake.mint, &TOKEN)).await;
    w.send(1, w.withdraw_ix(0, 1, 10_000)).await.expect("b withdraws all");
    let stake_after = w.fx.token_balance(&pda::ata(&w.users[1].pubkey(), &w.stake.mint, &TOKEN)).await;
    assert_eq!(stake_after - stake_before, 10_000);
    // c takes everything out too: its bonus ends, so b's +5% from it goes and the pool has no weight.
    w.send(2, w.withdraw_ix(0, 2, 20_000)).await.expect("c withdraws all");
    assert_eq!(w.pool(0).await.total_weight, 0);
    // With no weight the schedule waits (D-50): d, staking 4,800 s later, gets the 9,800 s left of it.
    w.fx.set_time(T0 + 5_000).await;
    w.send(3, w.stake_ix(0, 3, 1)).await.expect("d stakes");
    assert_eq!(w.pool(0).await.end, T0 + 10_000 + 4_800, "the end moved by the idle time");
    w.fx.set_time(T0 + 30_000).await;
    w.send(3, w.claim_ix(0, 3)).await.expect("d claims");
    assert_eq!(w.reward_balance(3).await, 9_800 * RATE, "the whole rest of the schedule");
    let pool = w.pool(0).await;
    assert_eq!(pool.emitted, u128::from(RATE) * 10_000, "R-6.1: rate x duration, nothing lost to idle time");
    assert!(pool.paid <= pool.funded && pool.funded == RATE * 10_000);
}

// R-6.6 (issue 16, item 3): a pool never promises more than it holds. The attack: a rate no funding
// covers (u64::MAX per second) made every accrual step overflow, so every withdraw, claim and rate change
// failed with MathOverflow and the staked principal was locked for good. Now the bound is checked at
// creation (funding must cover rate x duration) and at every rate change, with named errors that change
// nothing; within the bound the pool pays every claim (PoolUnderfunded cannot arise).
#[tokio::test]
async fn emission_is_bounded_by_funding() {
    let mut w = world().await;
    let admin = w.admin.insecure_clone();
    let from = w.funder_token();
    let watch = [w.pools[0], pda::staking_pool(&w.hub, 3).0, pda::reward_vault(&w.pools[0]), from];
    let before = w.fx.snapshot(&watch).await;
    // At creation: one unit short of rate x duration, and the bricking rate.
    for (rate, funding) in [(RATE, RATE * 10_000 - 1), (u64::MAX, 1_000)] {
        let schedule = ix::Schedule { rate, start: T0, end: T0 + 10_000, funding };
        let create = ix::create_staking_pool(&admin.pubkey(), &w.hub, 3, w.stake, w.reward, &from, schedule);
        assert_custom_error(w.fx.send(&[create], &[&admin]).await, ReferralError::EmissionExceedsFunding);
    }
    // At a rate change: the bricking rate, and one unit per second more than the funding covers.
    w.send(3, w.stake_ix(0, 3, 1_000)).await.expect("d stakes");
    let before_stake = w.fx.snapshot(&watch).await;
    assert_ne!(before, before_stake);
    w.fx.set_time(T0 + 5_000).await;
    for rate in [u64::MAX, RATE + 1] {
        let rerate = ix::set_staking_rate(&admin.pubkey(), &w.hub, &w.pools[0], rate, T0 + 10_000);
        assert_custom_error(w.fx.send(&[rerate], &[&admin]).await, ReferralError::EmissionExceedsFunding);
    }
    assert_eq!(w.fx.snapshot(&watch).await, before_stake, "refused schedules change nothing");
    // Funding raises what a schedule may promise (the bound holds after any funding: it only grows):
    // exactly covered, 5,000 s emitted + 2 x RATE x 5,000 s == 15,000 x RATE.
    let fund = ix::fund_staking_pool(&admin.pubkey(), &w.hub, &w.pools[0], &from, w.reward, 5_000 * RATE);
    w.fx.send(&[fund], &[&admin]).await.expect("top up");
    let rerate = ix::set_staking_rate(&admin.pubkey(), &w.hub, &w.pools[0], 2 * RATE, T0 + 10_000);
    w.fx.send(&[rerate], &[&admin]).await.expect("a raise covered by the top-up applies at once");
    // The whole emission is paid: d is the only staker.
    w.fx.set_time(T0 + 20_000).await;
    w.send(3, w.claim_ix(0, 3)).await.expect("claim everything");
    let pool = w.pool(0).await;
    // 5,000 s at RATE, then 5,000 s at 2 x RATE, all to one weight of 1,000: exact, no dust.
    assert_eq!((pool.emitted, pool.paid, pool.funded), (u128::from(15_000 * RATE), 15_000 * RATE, 15_000 * RATE));
}

// R-6.6 (issue 16, item 4c): funding beyond what the schedule can emit was locked for ever. The admin now
// takes back exactly what no accrued or future emission can claim: one unit more is refused
// (NoExcessFunding, nothing changes), someone who is not the admin is refused (NotAdmin), and what stays
// covers every claim.
#[tokio::test]
async fn excess_funding_is_returnable() {
    let mut w = world().await;
    let admin = w.admin.insecure_clone();
    let from = w.funder_token();
    let fund = ix::fund_staking_pool(&admin.pubkey(), &w.hub, &w.pools[0], &from, w.reward, 7_777);
    w.fx.send(&[fund], &[&admin]).await.expect("over-fund");
    w.send(1, w.stake_ix(0, 1, 10_000)).await.expect("b stakes");
    w.fx.set_time(T0 + 4_000).await;
    let (hub, pool0, reward) = (w.hub, w.pools[0], w.reward);
    let take = |amount| ix::withdraw_staking_excess(&admin.pubkey(), &hub, &pool0, reward, &from, amount);
    let watch = [w.pools[0], pda::reward_vault(&w.pools[0]), from];
    let before = w.fx.snapshot(&watch).await;
    assert_custom_error(w.fx.send(&[take(7_778)], &[&admin]).await, ReferralError::NoExcessFunding);
    assert_custom_error(w.fx.send(&[take(0)], &[&admin]).await, ReferralError::ZeroAmount);
    let d = w.users[3].insecure_clone();
    let by_d = ix::withdraw_staking_excess(&d.pubkey(), &w.hub, &w.pools[0], w.reward, &from, 1);
    assert_custom_error(w.fx.send(&[by_d], &[&d]).await, ReferralError::NotAdmin);
    assert_eq!(w.fx.snapshot(&watch).await, before, "refused withdrawals change nothing");
    let vault_before = w.fx.token_balance(&pda::reward_vault(&w.pools[0])).await;
    w.fx.send(&[take(7_777)], &[&admin]).await.expect("the whole excess");
    assert_eq!(w.fx.token_balance(&pda::reward_vault(&w.pools[0])).await, vault_before - 7_777);
    assert_eq!(w.pool(0).await.funded, RATE * 10_000);
    // After the end, what was never claimable (here: nothing more) stays for the owed rewards.
    w.fx.set_time(T0 + 20_000).await;
    assert_custom_error(w.fx.send(&[take(1)], &[&admin]).await, ReferralError::NoExcessFunding);
    w.send(1, w.claim_ix(0, 1)).await.expect("b claims (11,000 of 11,500 weight)");
    w.send(0, w.claim_ix(0, 0)).await.expect("a claims (b's +5%)");
    let pool = w.pool(0).await;
    assert!(u128::from(pool.paid) <= pool.emitted && pool.emitted == u128::from(RATE * 10_000));
    let dust = pool.funded - pool.paid;
    assert!(dust <= 2, "only the carries stay: {dust}");
}

// R-6.6 (issue 16, item 3): the principal of a pool whose reward arithmetic cannot be computed still
// leaves. The attack state (a pool left with an emission beyond u64, as an unbounded rate made it) is
// written into the bank directly, since no instruction can create it any more: claims and stakes fail
// with MathOverflow, a withdrawal pays the principal back exactly, forfeits only the rewards that cannot
// be computed (PoolRewardsForfeited) and ends the bonus as any withdrawal does.
#[tokio::test]
async fn principal_leaves_a_bricked_pool() {
    let mut w = world().await;
    w.send(1, w.stake_ix(0, 1, 10_000)).await.expect("b stakes");
    w.fx.set_time(T0 + 10).await;
    let mut pool = w.pool(0).await;
    pool.rate = u64::MAX;
    pool.end = T0 + 1_000_000;
    w.fx.write_account(&w.pools[0], &pool).await;
    assert_custom_error(w.send(1, w.claim_ix(0, 1)).await, ReferralError::MathOverflow);
    let stake_balance = |w: &World| pda::ata(&w.users[1].pubkey(), &w.stake.mint, &TOKEN);
    let owner_token = stake_balance(&w);
    let before = w.fx.token_balance(&owner_token).await;
    let sent = w.send(1, w.withdraw_ix(0, 1, 4_000)).await.expect("principal leaves");
    let forfeited = referral_client::decode::events::<referral::events::PoolRewardsForfeited>(&sent.logs);
    assert_eq!(forfeited.len(), 1, "the forfeit is said");
    assert_eq!((forfeited[0].pool, forfeited[0].withdrawn), (w.pools[0], 4_000));
    assert_eq!(w.fx.token_balance(&owner_token).await, before + 4_000);
    let b = w.position(0, 1).await.expect("b");
    assert_eq!((b.staked, b.own_bonus, b.granted, b.bonus_valid), (6_000, 0, 0, false));
    assert_eq!(w.position(0, 0).await.expect("a").stake().weight(), 0, "the +5% left with the bonus");
    let pool = w.pool(0).await;
    assert_eq!((pool.total_weight, pool.total_staked), (6_000, 6_000));
    w.send(1, w.withdraw_ix(0, 1, 6_000)).await.expect("the rest leaves too");
    assert_eq!(w.fx.token_balance(&owner_token).await, before + 10_000);
}

// R-6.7 (issue 16, item 4e): a referral made after staking used to start its +10% / +5% only at the
// member's next stake. It now takes effect at the position's next settlement: d stakes alone, then sets
// c as its referrer; d's claim must name c (ReferrerAccountMissing otherwise, nothing changes), settles
// what d earned alone at its old weight, then the bonuses count; naming a referrer when there is nothing
// to link is refused (ReferrerMismatch). Nothing is lost or counted twice: the claims sum to the emission.
#[tokio::test]
async fn late_referral_takes_effect_at_the_next_claim() {
    let mut w = world().await;
    w.send(3, w.stake_ix(0, 3, 10_000)).await.expect("d stakes without a referrer");
    w.fx.set_time(T0 + 100).await;
    let (hub, c, d) = (w.hub, w.users[2].insecure_clone(), w.users[3].insecure_clone());
    let via = w.fx.by_address(&hub, &c.pubkey()).await;
    w.fx.set_referrer(&hub, &d, via).await.expect("d sets c as its referrer");
    let dest = pda::ata(&d.pubkey(), &w.reward.mint, &TOKEN);
    let claim = |link: Option<&Pubkey>| ix::pool_claim(&d.pubkey(), &hub, &w.pools[0], w.reward, &dest, link);
    let (unlinked, linked) = (claim(None), claim(Some(&c.pubkey())));
    let watch = [w.pools[0], w.position_key(0, 3), w.position_key(0, 2), dest];
    let before = w.fx.snapshot(&watch).await;
    assert_custom_error(w.send(3, unlinked.clone()).await, ReferralError::ReferrerAccountMissing);
    assert_eq!(w.fx.snapshot(&watch).await, before);
    w.send(3, linked.clone()).await.expect("the claim links the referral");
    assert_eq!(w.reward_balance(3).await, 100 * RATE, "100 s alone, at the old weight");
    assert_eq!((w.weight(0, 3).await, w.weight(0, 2).await), (11_000, 500), "+10% and c's +5% from now on");
    let d_position = w.position(0, 3).await.expect("d");
    assert_eq!(d_position.referrer_position, w.position_key(0, 2));
    w.fx.set_time(T0 + 215).await;
    let before = w.fx.snapshot(&watch).await;
    assert_custom_error(w.send(3, linked).await, ReferralError::ReferrerMismatch);
    assert_eq!(w.fx.snapshot(&watch).await, before);
    w.send(3, unlinked).await.expect("d claims");
    w.send(2, w.claim_ix(0, 2)).await.expect("c claims its +5%");
    // 115 s x RATE shared 11,000 : 500.
    assert_eq!(w.reward_balance(3).await, 100 * RATE + 110 * RATE);
    assert_eq!(w.reward_balance(2).await, 5 * RATE);
    let pool = w.pool(0).await;
    assert_eq!((pool.emitted, pool.paid), (u128::from(215 * RATE), 215 * RATE), "nothing lost or counted twice");
}

// the attacks: someone else's position, a position of another pool, a stake in another mint, the
// referrer's position of another pool, withdrawing more than staked, a pool created or re-rated by
// someone who is not the admin. Each fails with a named error and changes nothing.
#[tokio::test]
async fn pool_attacks() {
    let mut w = world().await;
    w.fx.set_time(T0 + 10).await;
    w.send(1, w.stake_ix(0, 1, 10_000)).await.expect("b stakes in pool 1");
    w.send(1, w.stake_ix(1, 1, 10_000)).await.expect("b stakes in pool 2");
    w.send(3, w.stake_ix(0, 3, 10_000)).await.expect("d stakes in pool 1");
    let watch = [
        w.pools[0],
        w.pools[1],
        w.position_key(0, 1),
        w.position_key(1, 1),
        w.position_key(0, 3),
        w.position_key(0, 0),
    ];
    let before = w.fx.snapshot(&watch).await;
    // d withdraws from b's position.
    let mut ixw = w.withdraw_ix(0, 3, 1_000);
    replace_account(&mut ixw, &w.position_key(0, 3), w.position_key(0, 1));
    assert_custom_error(w.send(3, ixw).await, ReferralError::WrongPosition);
    // b withdraws from pool 1 with its position of pool 2.
    let mut ixw = w.withdraw_ix(0, 1, 1_000);
    replace_account(&mut ixw, &w.position_key(0, 1), w.position_key(1, 1));
    assert_custom_error(w.send(1, ixw).await, ReferralError::WrongPosition);
    // b withdraws naming a's position of pool 2 as its referrer's.
    let mut ixw = w.withdraw_ix(0, 1, 1_000);
    replace_account(&mut ixw, &w.position_key(0, 0), w.position_key(1, 0));
    assert_custom_error(w.send(1, ixw).await, ReferralError::WrongReferrerPosition);
    // b stakes with a's pool-2 position as the referrer's position.
    let mut ixs = w.stake_ix(0, 1, 1_000);
    replace_account(&mut ixs, &w.position_key(0, 0), w.position_key(1, 0));
    assert_custom_error(w.send(1, ixs).await, ReferralError::WrongReferrerPosition);
    // A stake from a token account of another mint.
    let auth = TestKeypair::new();
    let other = w.fx.mint(&auth, 6, TOKEN).await;
    let other_token = w.fx.ata(&w.users[3].pubkey(), &other, TOKEN).await;
    let mut ixs = w.stake_ix(0, 3, 1_000);
    replace_account(&mut ixs, &pda::ata(&w.users[3].pubkey(), &w.stake.mint, &TOKEN), other_token);
    assert_custom_error(w.send(3, ixs).await, anchor_lang::error::ErrorCode::ConstraintTokenMint);
    // The pool's mint swapped for another.
    let mut ixs = w.stake_ix(0, 3, 1_000);
    replace_account(&mut ixs, &w.stake.mint, other);
    assert_custom_error(w.send(3, ixs).await, ReferralError::WrongPoolAccount);
    // More than staked.
    assert_custom_error(w.send(3, w.withdraw_ix(0, 3, 10_001)).await, ReferralError::WithdrawMoreThanStaked);
    // Not the admin.
    let d = w.users[3].pubkey();
    let d_token = pda::ata(&d, &w.reward.mint, &TOKEN);
    let schedule = ix::Schedule { rate: RATE, start: T0, end: T0 + 1, funding: RATE };
    let create = ix::create_staking_pool(&d, &w.hub, 9, w.stake, w.reward, &d_token, schedule);
    assert_custom_error(w.send(3, create).await, ReferralError::NotAdmin);
    let rerate = ix::set_staking_rate(&d, &w.hub, &w.pools[0], 1, T0 + 20_000);
    assert_custom_error(w.send(3, rerate).await, ReferralError::NotAdmin);
    assert_eq!(w.fx.snapshot(&watch).await, before);
}

/// splitmix64, seeded.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

// .. on the SBF binary: 300 random steps over both pools and the four users (stakes, partial
// and full withdrawals, claims, time steps, rate changes), mirrored on the host by the same rules
// (`logic::pools`, themselves checked against an f64 reference in the program's unit tests): after every
// step each position and pool on chain equals the mirror exactly, the pool's total weight is the sum of its
// positions' weights, and every claim pays exactly what the mirror owes; paid never exceeds funded.
#[tokio::test]
async fn random_sequence_matches_the_rules() {
    use referral::logic::pools::{advance, apply, claim, covered, is_raise, set_rate, Accrual, Change, Stake};
    let mut w = world().await;
    let admin = w.admin.insecure_clone();
    let funder_token = pda::ata(&admin.pubkey(), &w.reward.mint, &TOKEN);
    for p in 0..2 {
        let fund =
            ix::fund_staking_pool(&admin.pubkey(), &w.hub, &w.pools[p], &funder_token, w.reward, 40 * RATE * 10_000);
        w.fx.send(&[fund], &[&admin]).await.expect("fund");
    }
    let mut accruals: Vec<Accrual> = Vec::new();
    for p in 0..2 {
        accruals.push(w.pool(p).await.accrual());
    }
    let mut mirror: Vec<Vec<Option<Stake>>> = vec![vec![None; 4]; 2];
    let referrer_of = |u: usize| match u {
        1 => Some(0usize),
        2 => Some(1),
        _ => None,
    };
    let mut rng = Rng(0x5EED_0011);
    let mut now = T0 - 100;
    let mut counts = [0usize; 5];
    for step in 0..300 {
        let p = rng.below(2) as usize;
        let u = rng.below(4) as usize;
        match rng.below(10) {
            0..=2 => {
                let span = if rng.below(3) == 0 { 5_000 } else { 300 };
                now += 1 + rng.below(span) as i64;
                w.fx.set_time(now).await;
                counts[0] += 1;
                continue;
            }
            3..=5 => {
                let amount = 1 + rng.below(100_000);
                w.send(u, w.stake_ix(p, u, amount)).await.expect("stake");
                let acc = accruals[p].acc;
                let mut s = mirror[p][u].unwrap_or(Stake::new(acc));
                match referrer_of(u) {
                    Some(r) => {
                        let mut rs = mirror[p][r].unwrap_or(Stake::new(acc));
                        apply(&mut accruals[p], now, &mut s, Some(&mut rs), Change::Stake(amount)).expect("mirror");
                        mirror[p][r] = Some(rs);
                    }
                    None => apply(&mut accruals[p], now, &mut s, None, Change::Stake(amount)).expect("mirror"),
                }
                mirror[p][u] = Some(s);
                counts[1] += 1;
            }
            6 | 7 => {
                let Some(mut s) = mirror[p][u].filter(|s| s.staked > 0) else { continue };
                let amount = if rng.below(3) == 0 { s.staked } else { 1 + rng.below(s.staked) };
                w.send(u, w.withdraw_ix(p, u, amount)).await.expect("withdraw");
                match referrer_of(u) {
                    Some(r) => {
                        let mut rs = mirror[p][r].expect("referrer position");
                        apply(&mut accruals[p], now, &mut s, Some(&mut rs), Change::Withdraw(amount)).expect("mirror");
                        mirror[p][r] = Some(rs);
                    }
                    None => apply(&mut accruals[p], now, &mut s, None, Change::Withdraw(amount)).expect("mirror"),
                }
                mirror[p][u] = Some(s);
                counts[2] += 1;
            }
            8 => {
                let Some(mut s) = mirror[p][u] else { continue };
                let mut a = accruals[p];
                let owed = claim(&mut a, now, &mut s).expect("mirror");
                if owed == 0 {
                    assert_custom_error(w.send(u, w.claim_ix(p, u)).await, ReferralError::NothingToClaim);
                    continue;
                }
                let pool = w.pool(p).await;
                assert!(owed <= pool.funded - pool.paid, "step {step}: a covered pool holds what it owes (R-6.6)");
                let before = w.reward_balance(u).await;
                w.send(u, w.claim_ix(p, u)).await.expect("claim");
                assert_eq!(w.reward_balance(u).await - before, owed, "step {step}: the claim pays what is owed");
                accruals[p] = a;
                mirror[p][u] = Some(s);
                counts[3] += 1;
            }
            _ => {
                let rate = 1 + rng.below(3_000);
                let end = accruals[p].end.max(now) + rng.below(20_000) as i64;
                let admin = w.admin.insecure_clone();
                let funded = w.pool(p).await.funded;
                let mut next = accruals[p];
                set_rate(&mut next, now, rate, end).expect("mirror");
                let rerate = ix::set_staking_rate(&admin.pubkey(), &w.hub, &w.pools[p], rate, end);
                if covered(&next, funded) {
                    w.fx.send(&[rerate], &[&admin]).await.expect("set rate");
                    if is_raise(&accruals[p], rate, end) {
                        accruals[p] = next;
                    } else {
                        // a cut waits its notice; the pool is only checkpointed.
                        advance(&mut accruals[p], now).expect("mirror");
                    }
                    counts[4] += 1;
                } else {
                    // a schedule the funding does not cover is refused.
                    assert_custom_error(w.fx.send(&[rerate], &[&admin]).await, ReferralError::EmissionExceedsFunding);
                }
            }
        }
        for q in 0..2 {
            let pool = w.pool(q).await;
            assert_eq!(pool.accrual(), accruals[q], "step {step}: pool {q} on chain == the rules");
            assert!(pool.paid <= pool.funded, "step {step}: paid within funding");
            let mut sum = 0u128;
            for (v, expected) in mirror[q].iter().enumerate() {
                let on_chain = w.position(q, v).await.map(|x| x.stake());
                assert_eq!(on_chain, *expected, "step {step}: position {q}/{v} on chain == the rules");
                sum += on_chain.map_or(0, |s| s.weight());
            }
            assert_eq!(pool.total_weight, sum, "step {step}: total weight == sum of weights");
        }
    }
    assert!(counts.iter().all(|&c| c > 5), "every kind of step ran: {counts:?}");
}

// R-6.5 (review of what landed first, F4): the admin could cut a pool's rate to nothing and take
// its funding back in one transaction, with no notice to stakers who locked principal for the advertised
// rate. A cut (a lower rate or an earlier end) now waits 7 days: the old rate keeps running, the excess
// stays measured on it, applying early is refused (RateChangeNotYetEffective), and after the notice
// anyone applies it; a raise applies at once and withdraws a pending cut.
#[tokio::test]
async fn rate_cuts_wait_their_notice() {
    let mut w = world().await;
    let admin = w.admin.insecure_clone();
    w.send(3, w.stake_ix(0, 3, 1_000)).await.expect("d stakes");
    w.fx.set_time(T0 + 1_000).await;
    let (hub, pool) = (w.hub, w.pools[0]);
    let cut = ix::set_staking_rate(&admin.pubkey(), &hub, &pool, 0, T0 + 10_000);
    w.fx.send(&[cut], &[&admin]).await.expect("a cut is scheduled");
    let p = w.pool(0).await;
    let notice = i64::from(referral::constants::MIN_CONFIG_NOTICE_SECONDS);
    assert_eq!((p.rate, p.next_rate, p.next_at), (RATE, 0, T0 + 1_000 + notice), "the old rate runs on");
    // Nothing freed before the cut applies: the old schedule is fully funded, no excess.
    let from = w.funder_token();
    let take = ix::withdraw_staking_excess(&admin.pubkey(), &hub, &pool, w.reward, &from, 1);
    assert_custom_error(w.fx.send(std::slice::from_ref(&take), &[&admin]).await, ReferralError::NoExcessFunding);
    let apply = ix::apply_staking_rate(&pool);
    let before = w.fx.snapshot(&[pool]).await;
    assert_custom_error(w.fx.send(std::slice::from_ref(&apply), &[]).await, ReferralError::RateChangeNotYetEffective);
    assert_eq!(w.fx.snapshot(&[pool]).await, before);
    // A raise withdraws the pending cut and applies at once.
    let same = ix::set_staking_rate(&admin.pubkey(), &hub, &pool, RATE, T0 + 10_000);
    w.fx.send(&[same], &[&admin]).await.expect("keep the terms");
    assert_eq!(w.pool(0).await.next_at, 0);
    assert_custom_error(w.fx.send(std::slice::from_ref(&apply), &[]).await, ReferralError::NoPendingRateChange);
    // Cut again, wait the notice (past the schedule's end here: the old rate ran to its end), apply.
    let cut = ix::set_staking_rate(&admin.pubkey(), &hub, &pool, 0, T0 + 10_000);
    w.fx.send(&[cut], &[&admin]).await.expect("cut again");
    w.fx.set_time(T0 + 1_000 + notice).await;
    w.fx.send(&[apply], &[]).await.expect("anyone applies it after the notice");
    let p = w.pool(0).await;
    assert_eq!((p.rate, p.next_at, p.emitted), (0, 0, u128::from(RATE) * 10_000), "stakers kept the whole schedule");
    w.send(3, w.claim_ix(0, 3)).await.expect("d claims it all");
    assert_eq!(w.reward_balance(3).await, RATE * 10_000);
}

// R-6.6 (review, F5, F8): funding is the admin's (a third party's top-up could only have gone back to the
// admin): someone else is refused (NotAdmin). Tokens sent straight to the reward vault, outside the
// books, are returnable too, and only they beyond the schedule's excess.
#[tokio::test]
async fn funding_is_the_admins_and_stray_tokens_are_returnable() {
    let mut w = world().await;
    let admin = w.admin.insecure_clone();
    let d = w.users[3].insecure_clone();
    let d_reward = pda::ata(&d.pubkey(), &w.reward.mint, &TOKEN);
    let by_d = ix::fund_staking_pool(&d.pubkey(), &w.hub, &w.pools[0], &d_reward, w.reward, 1);
    assert_custom_error(w.fx.send(&[by_d], &[&d]).await, ReferralError::NotAdmin);
    let vault = pda::reward_vault(&w.pools[0]);
    let from = w.funder_token();
    let stray = anchor_spl::token::spl_token::instruction::transfer(&TOKEN, &from, &vault, &admin.pubkey(), &[], 555)
        .expect("ix");
    w.fx.send(&[stray], &[&admin]).await.expect("tokens sent to the vault directly");
    let (hub, pool, reward) = (w.hub, w.pools[0], w.reward);
    let take = |amount| ix::withdraw_staking_excess(&admin.pubkey(), &hub, &pool, reward, &from, amount);
    assert_custom_error(w.fx.send(&[take(556)], &[&admin]).await, ReferralError::NoExcessFunding);
    let before = w.fx.token_balance(&from).await;
    w.fx.send(&[take(555)], &[&admin]).await.expect("the stray tokens go back");
    assert_eq!(w.fx.token_balance(&from).await, before + 555);
    assert_eq!(w.pool(0).await.funded, RATE * 10_000, "the books did not move");
}

// R-6.6 (review, F3): a stake mint whose authority could later pause it or give it a transfer hook could
// hold staked principal (the program refuses hooked transfers, a paused mint refuses every transfer):
// such mints are refused at creation (StakeMintCanBlockTransfers); a plain Token-2022 mint is accepted.
#[tokio::test]
async fn stake_mints_that_can_block_transfers_are_refused() {
    use anchor_spl::token_2022::spl_token_2022;
    use anchor_spl::token_2022::spl_token_2022::extension::ExtensionType;
    use referral_tests::tokens::TOKEN_2022;
    let mut w = world().await;
    let admin = w.admin.insecure_clone();
    let auth = TestKeypair::new();
    let a = auth.pubkey();
    let hook_later = move |mint: &Pubkey| {
        vec![spl_token_2022::extension::transfer_hook::instruction::initialize(
            &spl_token_2022::ID,
            mint,
            Some(a),
            None,
        )
        .expect("init")]
    };
    let pausable = move |mint: &Pubkey| {
        vec![spl_token_2022::extension::pausable::instruction::initialize(&spl_token_2022::ID, mint, &a).expect("init")]
    };
    let from = w.funder_token();
    for (id, (ext, init, refused)) in (10u32..).zip([
        (
            ExtensionType::TransferHook,
            Box::new(hook_later) as Box<dyn Fn(&Pubkey) -> Vec<referral_client::Instruction>>,
            true,
        ),
        (ExtensionType::Pausable, Box::new(pausable), true),
        (ExtensionType::MetadataPointer, Box::new(|_: &Pubkey| vec![]), false),
    ]) {
        let types: &[ExtensionType] = if refused { &[ext] } else { &[] };
        let mint = w.fx.mint_2022(&auth, 6, types, init, None).await;
        let stake = PoolToken { mint, token_program: TOKEN_2022 };
        let schedule = ix::Schedule { rate: 1, start: T0, end: T0 + 10, funding: 10 };
        let create = ix::create_staking_pool(&admin.pubkey(), &w.hub, id, stake, w.reward, &from, schedule);
        let key = pda::staking_pool(&w.hub, id).0;
        if refused {
            assert_custom_error(w.fx.send(&[create], &[&admin]).await, ReferralError::StakeMintCanBlockTransfers);
            assert!(w.fx.raw(&key).await.is_none(), "nothing created");
        } else {
            w.fx.send(&[create], &[&admin]).await.expect("a plain Token-2022 stake mint");
        }
    }
}

// R-6.7 (review, F9): a late referral links at a claim even when the position is owed nothing (the
// schedule is over): the claim returns 0 instead of failing and the link stays.
#[tokio::test]
async fn a_late_referral_links_with_nothing_owed() {
    let mut w = world().await;
    w.send(3, w.stake_ix(0, 3, 10_000)).await.expect("d stakes");
    w.fx.set_time(T0 + 20_000).await;
    w.send(3, w.claim_ix(0, 3)).await.expect("d claims everything");
    let (hub, c, d) = (w.hub, w.users[2].insecure_clone(), w.users[3].insecure_clone());
    let via = w.fx.by_address(&hub, &c.pubkey()).await;
    w.fx.set_referrer(&hub, &d, via).await.expect("d sets c as its referrer");
    let dest = pda::ata(&d.pubkey(), &w.reward.mint, &TOKEN);
    let link = ix::pool_claim(&d.pubkey(), &hub, &w.pools[0], w.reward, &dest, Some(&c.pubkey()));
    w.send(3, link).await.expect("nothing owed, the link is kept");
    assert_eq!(w.position(0, 3).await.expect("d").referrer_position, w.position_key(0, 2));
    assert_eq!((w.weight(0, 3).await, w.weight(0, 2).await), (11_000, 500));
}
