//! Referral-boosted staking pools (R-6.1 .. ): weights, boosts and exact reward accrual.
//!
//! A pool emits `rate` reward units per second from `start` to `end`, shared by weight. The accumulator
//! `acc` counts reward units per unit of weight, scaled by 2^64 ([`ACC_SCALE_BITS`]); each update adds
//! `(rate x seconds x 2^64 + acc_carry) / total_weight` and keeps the remainder in `acc_carry`, so no
//! fraction of an emission is dropped at the pool. A position owes `(weight x (acc - snapshot) + carry)
//! / 2^64` and keeps its own remainder in `carry`, so no fraction is dropped at the position either: the
//! only loss is what remains in the carries (below one unit per position plus one at the pool).
//!
//! With no weight in the pool, time does not count: the schedule is extended by the idle time, so the
//! whole `rate x (end - start)` is emitted once someone stakes (docs/DECISIONS.md D-50).
use crate::logic::rewards::mul_wide;

/// The accumulator's scale: 2^64 (R-6.1: at least 1e12).
pub const ACC_SCALE_BITS: u32 = 64;

/// Bonus of a referred staker on its own stake: 10% (R-6.2).
pub const OWN_BONUS_DIVISOR: u64 = 10;
/// Bonus credited to the referrer's position from a referee's stake: 5% (R-6.2).
pub const REFERRER_BONUS_DIVISOR: u64 = 20;

/// A pool's accrual state, as the pool account stores it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Accrual {
    /// Reward units per second.
    pub rate: u64,
    /// First second of emission.
    pub start: i64,
    /// First second after emission (moves later while the pool has no weight).
    pub end: i64,
    /// Last time the accumulator was brought up to date.
    pub last_update: i64,
    /// Reward units per unit of weight, x 2^64.
    pub acc: u128,
    /// Remainder of the last accumulator step's division (units x 2^64 not yet spread).
    pub acc_carry: u128,
    /// Sum of the positions' weights.
    pub total_weight: u128,
    /// Reward units emitted so far (into the accumulator).
    pub emitted: u128,
}

/// Overflow of an accrual step (cannot happen while emissions stay within u64 in total, see [`advance`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Overflow;

/// Brings `a` up to `now`: emits `rate` per second of `[max(last_update, start), min(now, end))` into the
/// accumulator; with no weight, extends `end` by the idle time instead. `now` before `last_update` changes
/// nothing. The accumulator cannot overflow while the total emission stays below 2^64 units: each step adds
/// at most `emission x 2^64`.
pub fn advance(a: &mut Accrual, now: i64) -> Result<(), Overflow> {
    if now <= a.last_update {
        return Ok(());
    }
    let from = a.last_update.max(a.start);
    if now > from && from < a.end {
        if a.total_weight == 0 {
            // Idle: the remaining schedule waits for the first weight.
            a.end = a.end.saturating_add(now.saturating_sub(from));
        } else {
            let to = now.min(a.end);
            let seconds = u128::try_from(to.saturating_sub(from)).map_err(|_| Overflow)?;
            let emission = u128::from(a.rate).checked_mul(seconds).ok_or(Overflow)?;
            let scaled =
                emission.checked_shl(ACC_SCALE_BITS).filter(|s| s >> ACC_SCALE_BITS == emission).ok_or(Overflow)?;
            let numerator = scaled.checked_add(a.acc_carry).ok_or(Overflow)?;
            let step = numerator.checked_div(a.total_weight).ok_or(Overflow)?;
            a.acc_carry = numerator.checked_rem(a.total_weight).ok_or(Overflow)?;
            a.acc = a.acc.checked_add(step).ok_or(Overflow)?;
            a.emitted = a.emitted.checked_add(emission).ok_or(Overflow)?;
        }
    }
    a.last_update = now;
    Ok(())
}

/// What a position of `weight` earned since its `snapshot` of the accumulator, with its `carry`:
/// `(units, new carry)` where `units x 2^64 + new carry == weight x (acc - snapshot) + carry`.
pub fn earned(weight: u128, acc: u128, snapshot: u128, carry: u64) -> Result<(u64, u64), Overflow> {
    let delta = acc.checked_sub(snapshot).ok_or(Overflow)?;
    let (high, low) = mul_wide(weight, delta);
    let (low, overflow) = low.overflowing_add(u128::from(carry));
    let high = high.checked_add(u128::from(overflow)).ok_or(Overflow)?;
    // (high, low) >> 64 must fit in u64 units: high must be 0 and low >> 64 < 2^64.
    if high != 0 {
        return Err(Overflow);
    }
    let units = u64::try_from(low >> ACC_SCALE_BITS).map_err(|_| Overflow)?;
    let rest = u64::try_from(low & u128::from(u64::MAX)).map_err(|_| Overflow)?;
    Ok((units, rest))
}

/// The bonuses a stake of `staked` carries: `(own, granted)`: +10% on the staker's own
/// weight and +5% credited to its referrer's position, both only while the staker has a referrer and its
/// bonus in this pool is valid (a decrease of its stake makes it invalid for good).
pub fn bonuses(staked: u64, has_referrer: bool, bonus_valid: bool) -> (u64, u64) {
    if has_referrer && bonus_valid {
        (staked / OWN_BONUS_DIVISOR, staked / REFERRER_BONUS_DIVISOR)
    } else {
        (0, 0)
    }
}

/// A position's weight: its stake, its own bonus, and the bonuses its referees grant it.
pub fn weight(staked: u64, own_bonus: u64, referral_weight: u128) -> u128 {
    u128::from(staked).saturating_add(u128::from(own_bonus)).saturating_add(referral_weight)
}

/// A position's accrual and weight state, as the position account stores it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Stake {
    /// Amount staked.
    pub staked: u64,
    /// +10% of `staked` while its bonus is valid and it has a referrer.
    pub own_bonus: u64,
    /// +5% of `staked` credited to the referrer's position (stored so removing it is exact, R-6.4).
    pub granted: u64,
    /// Bonuses granted to this position by its referees' stakes.
    pub referral_weight: u128,
    /// The pool accumulator when this position was last settled.
    pub snapshot: u128,
    /// Remainder of the last settlement (units x 2^64 not yet owed).
    pub carry: u64,
    /// Rewards settled and not claimed yet.
    pub owed: u64,
    /// The bonus is valid until the first decrease of the stake; it is never restored.
    pub bonus_valid: bool,
}

impl Stake {
    /// A new position: nothing staked, bonus valid, settled at `acc`.
    pub fn new(acc: u128) -> Stake {
        Stake { snapshot: acc, bonus_valid: true, ..Stake::default() }
    }

    /// Its weight.
    pub fn weight(&self) -> u128 {
        weight(self.staked, self.own_bonus, self.referral_weight)
    }

    /// Settles what it earned up to the accumulator `acc`.
    pub fn settle(&mut self, acc: u128) -> Result<(), Overflow> {
        let (units, carry) = earned(self.weight(), acc, self.snapshot, self.carry)?;
        self.owed = self.owed.checked_add(units).ok_or(Overflow)?;
        self.carry = carry;
        self.snapshot = acc;
        Ok(())
    }
}

/// A change of a staker's stake in a pool.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Change {
    /// `amount` more staked (what arrived).
    Stake(u64),
    /// `amount` withdrawn: the staker's bonus in this pool becomes invalid.
    Withdraw(u64),
    /// No stake moves: both positions are settled and the staker's bonuses recomputed with its referrer
    /// present: a referral made after staking takes effect at this settlement.
    Link,
}

/// Why a change cannot be made.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PoolError {
    /// Arithmetic beyond the documented bounds.
    Overflow,
    /// More withdrawn than staked.
    WithdrawTooMuch,
}

impl From<Overflow> for PoolError {
    fn from(_: Overflow) -> PoolError {
        PoolError::Overflow
    }
}

/// Applies `change` to `staker` at `now` (R-6.2 .. ): brings the pool up to date, settles the
/// staker and its referrer's position (`referrer`, when the staker has a referrer) at the accumulator,
/// changes the stake, recomputes the staker's bonuses (a withdrawal invalidates them for good, removing
/// the +10% and exactly the +5% it had granted), and moves the pool's total weight by the two positions'
/// weight changes.
pub fn apply(
    pool: &mut Accrual,
    now: i64,
    staker: &mut Stake,
    mut referrer: Option<&mut Stake>,
    change: Change,
) -> Result<(), PoolError> {
    advance(pool, now)?;
    staker.settle(pool.acc)?;
    if let Some(r) = referrer.as_deref_mut() {
        r.settle(pool.acc)?;
    }
    let before = staker.weight().checked_add(referrer.as_deref().map_or(0, Stake::weight)).ok_or(Overflow)?;
    match change {
        Change::Stake(amount) => staker.staked = staker.staked.checked_add(amount).ok_or(Overflow)?,
        Change::Withdraw(amount) => {
            staker.staked = staker.staked.checked_sub(amount).ok_or(PoolError::WithdrawTooMuch)?;
            staker.bonus_valid = false;
        }
        Change::Link => {}
    }
    let (own, granted) = bonuses(staker.staked, referrer.is_some(), staker.bonus_valid);
    if let Some(r) = referrer.as_deref_mut() {
        let without = r.referral_weight.checked_sub(u128::from(staker.granted)).ok_or(Overflow)?;
        r.referral_weight = without.checked_add(u128::from(granted)).ok_or(Overflow)?;
    }
    staker.own_bonus = own;
    staker.granted = granted;
    let after = staker.weight().checked_add(referrer.as_deref().map_or(0, Stake::weight)).ok_or(Overflow)?;
    pool.total_weight = pool.total_weight.checked_sub(before).and_then(|t| t.checked_add(after)).ok_or(Overflow)?;
    Ok(())
}

/// Settles `position` at `now` and takes what it is owed (the claim, R-6.5).
pub fn claim(pool: &mut Accrual, now: i64, position: &mut Stake) -> Result<u64, Overflow> {
    advance(pool, now)?;
    position.settle(pool.acc)?;
    Ok(core::mem::take(&mut position.owed))
}

/// Changes the rate and the end from `now` on (R-6.5: the pool is checkpointed first, so what accrued
/// under the old rate stays accrued).
pub fn set_rate(pool: &mut Accrual, now: i64, rate: u64, end: i64) -> Result<(), Overflow> {
    advance(pool, now)?;
    pool.rate = rate;
    pool.end = end;
    Ok(())
}

/// A withdrawal of principal that always goes through. With the reward arithmetic working it is
/// [`apply`] with [`Change::Withdraw`] (`Ok(false)`). If that arithmetic fails (it cannot while emission
/// stays covered by funding, see [`covered`], but principal must never depend on it), the stake still
/// comes off: nothing is emitted for the time since the pool's last update, each of the two positions
/// keeps what it can still settle at the accumulator as it stands and forfeits what it cannot, the
/// bonuses end as [`apply`] would end them, and the pool's total weight drops by the same amount
/// (`Ok(true)`: rewards were forfeited). Only withdrawing more than staked is refused. On any error
/// nothing is changed.
pub fn withdraw(
    pool: &mut Accrual,
    now: i64,
    staker: &mut Stake,
    mut referrer: Option<&mut Stake>,
    amount: u64,
) -> Result<bool, PoolError> {
    let (pool0, staker0, referrer0) = (*pool, *staker, referrer.as_deref().copied());
    let restore = |pool: &mut Accrual, staker: &mut Stake, referrer: Option<&mut Stake>| {
        *pool = pool0;
        *staker = staker0;
        if let (Some(r), Some(r0)) = (referrer, referrer0) {
            *r = r0;
        }
    };
    match apply(pool, now, staker, referrer.as_deref_mut(), Change::Withdraw(amount)) {
        Ok(()) => Ok(false),
        Err(PoolError::WithdrawTooMuch) => {
            restore(pool, staker, referrer);
            Err(PoolError::WithdrawTooMuch)
        }
        Err(PoolError::Overflow) => {
            restore(pool, staker, referrer.as_deref_mut());
            let left = staker.staked.checked_sub(amount).ok_or(PoolError::WithdrawTooMuch)?;
            let before = staker.weight().saturating_add(referrer.as_deref().map_or(0, Stake::weight));
            settle_or_forfeit(staker, pool.acc);
            if let Some(r) = referrer.as_deref_mut() {
                settle_or_forfeit(r, pool.acc);
                r.referral_weight = r.referral_weight.saturating_sub(u128::from(staker.granted));
            }
            staker.staked = left;
            staker.bonus_valid = false;
            staker.own_bonus = 0;
            staker.granted = 0;
            let after = staker.weight().saturating_add(referrer.as_deref().map_or(0, Stake::weight));
            pool.total_weight = pool.total_weight.saturating_sub(before).saturating_add(after);
            pool.last_update = pool.last_update.max(now);
            Ok(true)
        }
    }
}

/// Settles `position` at `acc` if its earnings can be computed; otherwise forfeits them (the position
/// restarts from `acc` with no carry).
fn settle_or_forfeit(position: &mut Stake, acc: u128) {
    if position.settle(acc).is_err() {
        position.snapshot = acc;
        position.carry = 0;
    }
}

/// What a pool has promised as of its last update (call after [`advance`]): everything emitted so far
/// plus `rate` for every second of the schedule still ahead. Idle time does not change it (the end
/// moves with it). `None` only when it exceeds u128.
pub fn promised(a: &Accrual) -> Option<u128> {
    let from = a.last_update.max(a.start);
    let remaining = u128::try_from(a.end.saturating_sub(from).max(0)).ok()?;
    a.emitted.checked_add(u128::from(a.rate).checked_mul(remaining)?)
}

/// Whether `funded` covers the pool's promise: emitted + rate x remaining time <= funded, hence
/// also rate x remaining time <= funded - paid (paid <= emitted). While it holds, total emission stays
/// below 2^64 units, so no accrual step, settlement or claim can overflow ([`advance`], [`earned`]): the
/// pool cannot be bricked by its own arithmetic.
pub fn covered(a: &Accrual, funded: u64) -> bool {
    promised(a).is_some_and(|p| p <= u128::from(funded))
}

/// What `funded` holds beyond the promise: no accrued or future emission can claim it, so the admin may
/// take it back. 0 when the promise is not covered.
pub fn excess(a: &Accrual, funded: u64) -> u64 {
    promised(a).map_or(0, |p| u64::try_from(u128::from(funded).saturating_sub(p)).unwrap_or(0))
}

/// Whether changing the schedule of `a` to `rate` until `end` only improves it for stakers (the rate
/// and the end both at least what they are): such a change applies at once; any other is a cut, which
/// waits for the notice.
pub fn is_raise(a: &Accrual, rate: u64, end: i64) -> bool {
    rate >= a.rate && end >= a.end
}

#[cfg(test)]
#[allow(clippy::arithmetic_side_effects, clippy::expect_used)] // test code on known values, not an input path
mod tests {
    use super::*;

    // +10% own and +5% to the referrer, only with a referrer and a valid bonus; rounded down.
    #[test]
    fn bonus_rules() {
        assert_eq!(bonuses(1_000, true, true), (100, 50));
        assert_eq!(bonuses(1_000, false, true), (0, 0));
        assert_eq!(bonuses(1_000, true, false), (0, 0));
        assert_eq!(bonuses(19, true, true), (1, 0));
        assert_eq!(bonuses(u64::MAX, true, true), (u64::MAX / 10, u64::MAX / 20));
        assert_eq!(weight(1_000, 100, 50), 1_150);
        assert_eq!(weight(u64::MAX, u64::MAX, u128::from(u64::MAX)), 3 * u128::from(u64::MAX));
    }

    // the accumulator step on exact integers: before the start nothing; within the schedule
    // rate x seconds spread by weight with the remainder carried; after the end nothing more; idle time
    // extends the schedule.
    #[test]
    fn accrual_steps() {
        let mut a = Accrual { rate: 10, start: 100, end: 200, last_update: 0, total_weight: 3, ..Accrual::default() };
        advance(&mut a, 50).expect("before start");
        assert_eq!((a.acc, a.emitted, a.last_update), (0, 0, 50));
        advance(&mut a, 101).expect("one second");
        // 10 units x 2^64 / 3: quotient and remainder.
        let scaled = 10u128 << 64;
        assert_eq!((a.acc, a.acc_carry, a.emitted), (scaled / 3, scaled % 3, 10));
        advance(&mut a, 102).expect("another");
        assert_eq!(a.acc, (2 * scaled) / 3, "the carry makes two steps exact");
        advance(&mut a, 500).expect("past the end");
        assert_eq!(a.emitted, 1_000, "rate x (end - start)");
        advance(&mut a, 600).expect("nothing more");
        assert_eq!(a.emitted, 1_000);
        // Idle: no weight from 100 to 150 extends the end by 50.
        let mut b = Accrual { rate: 1, start: 100, end: 200, last_update: 0, ..Accrual::default() };
        advance(&mut b, 150).expect("idle");
        assert_eq!((b.end, b.emitted), (250, 0));
        b.total_weight = 7;
        advance(&mut b, 400).expect("runs to the new end");
        assert_eq!(b.emitted, 100, "the whole rate x (end - start) of the original schedule is emitted");
        // Time does not run backwards.
        advance(&mut b, 10).expect("earlier");
        assert_eq!(b.last_update, 400);
    }

    // a position's earnings carry their remainder; the largest emission and weights fit.
    #[test]
    fn earnings_exact_and_bounded() {
        let acc = (10u128 << 64) / 3;
        let (units, carry) = earned(1, acc, 0, 0).expect("earned");
        assert_eq!((units, u128::from(carry)), (3, acc & u128::from(u64::MAX)));
        let (units2, _) = earned(1, acc * 2, acc, carry).expect("again");
        assert_eq!(units + units2, 6, "6.66.. units over two steps, the fraction carried");
        // The whole u64 emission to a weight of 1 fits the accumulator and the earnings.
        let mut a = Accrual { rate: u64::MAX, start: 0, end: 1, last_update: 0, total_weight: 1, ..Accrual::default() };
        advance(&mut a, 1).expect("max emission");
        assert_eq!(earned(1, a.acc, 0, 0).expect("max"), (u64::MAX, 0));
        assert_eq!(earned(2, a.acc, 0, 0), Err(Overflow), "a weight above the pool's total cannot be");
    }

    // the promise is emitted + rate x remaining; idle time does not change it; the bound and the
    // excess on exact integers.
    #[test]
    fn promise_and_excess() {
        let mut a = Accrual { rate: 10, start: 100, end: 200, last_update: 50, ..Accrual::default() };
        assert_eq!(promised(&a), Some(1_000), "before the start: the whole schedule");
        assert!(covered(&a, 1_000) && !covered(&a, 999));
        assert_eq!((excess(&a, 1_500), excess(&a, 999)), (500, 0));
        advance(&mut a, 150).expect("idle");
        assert_eq!((a.end, promised(&a)), (250, Some(1_000)), "idle time moves the end, not the promise");
        a.total_weight = 1;
        advance(&mut a, 200).expect("run");
        assert_eq!((a.emitted, promised(&a)), (500, Some(1_000)));
        advance(&mut a, 10_000).expect("past the end");
        assert_eq!((a.emitted, promised(&a), excess(&a, 1_200)), (1_000, Some(1_000), 200));
        // A rate no funding can cover: u64::MAX per second for a year.
        let huge = Accrual { rate: u64::MAX, start: 0, end: 365 * 86_400, ..Accrual::default() };
        assert!(!covered(&huge, u64::MAX));
        assert_eq!(excess(&huge, u64::MAX), 0);
    }

    // R-6.6 (issue 16, item 3): an uncovered rate overflows the accrual (the bricked pool of the report);
    // a withdrawal of principal still goes through, forfeiting only what cannot be computed; a covered
    // pool's withdrawal is exactly `apply`.
    #[test]
    fn principal_leaves_whatever_the_reward_arithmetic() {
        let mut pool = Accrual { rate: u64::MAX, start: 0, end: 1_000_000, last_update: 0, ..Accrual::default() };
        let mut referrer = Stake::new(0);
        let mut staker = Stake::new(0);
        apply(&mut pool, 0, &mut staker, Some(&mut referrer), Change::Stake(1_000)).expect("stake");
        assert_eq!((staker.weight(), referrer.weight(), pool.total_weight), (1_100, 50, 1_150));
        // Ten seconds at u64::MAX per second: the step does not fit, every rule that advances fails.
        assert_eq!(claim(&mut pool.clone(), 10, &mut staker.clone()), Err(Overflow));
        let (p0, s0, r0) = (pool, staker, referrer);
        assert_eq!(
            apply(&mut pool, 10, &mut staker, Some(&mut referrer), Change::Withdraw(400)),
            Err(PoolError::Overflow)
        );
        (pool, staker, referrer) = (p0, s0, r0);
        assert_eq!(withdraw(&mut pool, 10, &mut staker, Some(&mut referrer), 1_001), Err(PoolError::WithdrawTooMuch));
        assert_eq!((pool, staker, referrer), (p0, s0, r0), "a refused withdrawal changes nothing");
        assert_eq!(withdraw(&mut pool, 10, &mut staker, Some(&mut referrer), 400), Ok(true));
        assert_eq!((staker.staked, staker.own_bonus, staker.granted, staker.bonus_valid), (600, 0, 0, false));
        assert_eq!((referrer.weight(), pool.total_weight, pool.last_update), (0, 600, 10));
        assert_eq!(pool.total_weight, staker.weight() + referrer.weight());
        // A covered pool: `withdraw` is `apply`.
        let mut covered_pool = Accrual { rate: 10, start: 0, end: 100, last_update: 0, ..Accrual::default() };
        let mut s = Stake::new(0);
        apply(&mut covered_pool, 0, &mut s, None, Change::Stake(100)).expect("stake");
        let (mut p2, mut s2) = (covered_pool, s);
        apply(&mut p2, 50, &mut s2, None, Change::Withdraw(10)).expect("apply");
        assert_eq!(withdraw(&mut covered_pool, 50, &mut s, None, 10), Ok(false));
        assert_eq!((covered_pool, s), (p2, s2));
    }

    // a referral made after staking takes effect at the position's next settlement: what accrued
    // before is settled at the old weight, the +10% and the +5% count from then on.
    #[test]
    fn late_referral_links_at_settlement() {
        let mut pool = Accrual { rate: 1_000, start: 0, end: 1_000, last_update: 0, ..Accrual::default() };
        let mut staker = Stake::new(0);
        let mut referrer = Stake::new(0);
        apply(&mut pool, 0, &mut staker, None, Change::Stake(1_000)).expect("stake alone");
        apply(&mut pool, 100, &mut staker, Some(&mut referrer), Change::Link).expect("link");
        assert_eq!(staker.owed, 100_000, "100 s at the whole rate before the link");
        assert_eq!((staker.weight(), referrer.weight(), pool.total_weight), (1_100, 50, 1_150));
        let got = claim(&mut pool, 215, &mut staker).expect("claim");
        // 115 s x 1,000 x 1,100 / 1,150 = 110,000 after the link.
        assert_eq!(got, 100_000 + 110_000);
    }

    /// splitmix64, seeded: every run reproducible.
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

    /// The reference: the same pools computed the simple way, in f64: weights recomputed from scratch
    /// from the stakes (not kept incrementally), rewards integrated as rate x seconds x weight / total
    /// between events, the schedule's remaining seconds counted down only while some weight is staked.
    struct Reference {
        rate: f64,
        start: i64,
        remaining: f64,
        last: i64,
        earned: Vec<f64>,
        emitted: f64,
    }

    const USERS: usize = 8;
    /// Referrer of each user (index), `None` for the roots: 0 <- 1 <- 2, 0 <- 3, 4 <- 5, 6, 7.
    const REFERRER: [Option<usize>; USERS] = [None, Some(0), Some(1), Some(0), None, Some(4), None, None];

    fn reference_weights(staked: &[u64], valid: &[bool]) -> Vec<f64> {
        let mut w: Vec<f64> = staked.iter().map(|&s| s as f64).collect();
        for u in 0..USERS {
            if let (Some(r), true) = (REFERRER[u], valid[u]) {
                w[u] += (staked[u] / 10) as f64;
                w[r] += (staked[u] / 20) as f64;
            }
        }
        w
    }

    impl Reference {
        fn advance(&mut self, now: i64, weights: &[f64]) {
            let total: f64 = weights.iter().sum();
            let from = self.last.max(self.start);
            if now > from && total > 0.0 {
                let seconds = ((now - from) as f64).min(self.remaining);
                let emission = self.rate * seconds;
                for (e, w) in self.earned.iter_mut().zip(weights) {
                    *e += emission * w / total;
                }
                self.emitted += emission;
                self.remaining -= seconds;
            }
            self.last = self.last.max(now);
        }
    }

    // ..: a seeded random model test of 2,000 steps over 2 pools and 8 users with referrals
    // (stakes, partial and full withdrawals, claims, time steps, rate changes), against the f64 reference.
    // After every step: total weight == the sum of the positions' weights == the reference's weights; no
    // user's accrued rewards (paid + owed) ever decrease; paid <= emitted <= rate x time; and, settling
    // everyone, paid + owed + undistributed == emitted within 1 unit per position plus 1 (the carries),
    // each user's total within 2 units of the reference.
    #[test]
    fn random_model_against_the_reference() {
        let mut worst = 0f64;
        for seed in 1..=4u64 {
            let mut rng = Rng(seed);
            let mut pools: Vec<Accrual> = (0..2)
                .map(|p| Accrual {
                    rate: 1_000 + 999_000 * p,
                    start: 1_000,
                    end: 1_000 + 30 * 86_400,
                    last_update: 0,
                    ..Accrual::default()
                })
                .collect();
            let mut refs: Vec<Reference> = pools
                .iter()
                .map(|a| Reference {
                    rate: a.rate as f64,
                    start: a.start,
                    remaining: (a.end - a.start) as f64,
                    last: 0,
                    earned: vec![0.0; USERS],
                    emitted: 0.0,
                })
                .collect();
            let mut positions = vec![vec![Stake::new(0); USERS]; 2];
            let mut paid = vec![vec![0u64; USERS]; 2];
            let mut accrued_before = vec![vec![0u64; USERS]; 2];
            let mut now = 0i64;
            for step in 0..2_000 {
                let p = rng.below(2) as usize;
                let u = rng.below(USERS as u64) as usize;
                let staked: Vec<u64> = positions[p].iter().map(|s| s.staked).collect();
                let valid: Vec<bool> = positions[p].iter().map(|s| s.bonus_valid).collect();
                let weights_before = reference_weights(&staked, &valid);
                match rng.below(10) {
                    0..=2 => {
                        let span = if rng.below(4) == 0 { 5 * 86_400 } else { 3_600 };
                        let dt = 1 + rng.below(span) as i64;
                        now += dt;
                        continue;
                    }
                    3..=5 => {
                        let span = if rng.below(5) == 0 { 1_000_000_000_000 } else { 10_000 };
                        let amount = 1 + rng.below(span);
                        refs[p].advance(now, &weights_before);
                        let (a, b) = split_referrer(&mut positions[p], u);
                        apply(&mut pools[p], now, a, b, Change::Stake(amount)).expect("stake");
                    }
                    6 | 7 => {
                        let have = positions[p][u].staked;
                        if have == 0 {
                            continue;
                        }
                        let amount = if rng.below(3) == 0 { have } else { 1 + rng.below(have) };
                        refs[p].advance(now, &weights_before);
                        let (a, b) = split_referrer(&mut positions[p], u);
                        apply(&mut pools[p], now, a, b, Change::Withdraw(amount)).expect("withdraw");
                        let (a, b) = split_referrer(&mut positions[p], u);
                        assert_eq!(
                            apply(&mut pools[p], now, a, b, Change::Withdraw(have + 1)),
                            Err(PoolError::WithdrawTooMuch),
                            "step {step}"
                        );
                    }
                    8 => {
                        refs[p].advance(now, &weights_before);
                        paid[p][u] += claim(&mut pools[p], now, &mut positions[p][u]).expect("claim");
                    }
                    _ => {
                        // A rate change: the pool is checkpointed first; the reference too.
                        refs[p].advance(now, &weights_before);
                        let old = pools[p];
                        let rate = 1 + rng.below(2_000_000);
                        let end = old.end.max(now) + rng.below(10 * 86_400) as i64;
                        set_rate(&mut pools[p], now, rate, end).expect("rate");
                        refs[p].rate = rate as f64;
                        refs[p].remaining = (end - now.max(pools[p].start)).max(0) as f64;
                    }
                }
                // Invariants, every pool.
                for q in 0..2 {
                    let sum: u128 = positions[q].iter().map(Stake::weight).sum();
                    assert_eq!(pools[q].total_weight, sum, "seed {seed} step {step}: total weight == sum of weights");
                    let staked: Vec<u64> = positions[q].iter().map(|s| s.staked).collect();
                    let valid: Vec<bool> = positions[q].iter().map(|s| s.bonus_valid).collect();
                    let reference: f64 = reference_weights(&staked, &valid).iter().sum();
                    assert_eq!(reference, sum as f64, "seed {seed} step {step}: weights as the rules say");
                    // Settle everyone on a copy and compare the books.
                    let mut pool = pools[q];
                    advance(&mut pool, now).expect("advance");
                    let mut owed_total = 0u128;
                    for (i, s) in positions[q].iter().enumerate() {
                        let mut s = *s;
                        s.settle(pool.acc).expect("settle");
                        let accrued = paid[q][i] + s.owed;
                        assert!(
                            accrued >= accrued_before[q][i],
                            "seed {seed} step {step}: user {i} lost accrued rewards"
                        );
                        accrued_before[q][i] = accrued;
                        owed_total += u128::from(s.owed);
                    }
                    let paid_total: u128 = paid[q].iter().map(|&x| u128::from(x)).sum();
                    let dust = pool.emitted - paid_total - owed_total;
                    assert!(
                        dust <= USERS as u128 + 1,
                        "seed {seed} step {step}: {dust} units undistributed beyond the carries"
                    );
                    let mut reference = refs[q].clone_state();
                    reference.advance(now, &reference_weights(&staked, &valid));
                    assert!(
                        (reference.emitted - pool.emitted as f64).abs() <= 1.0,
                        "seed {seed} step {step}: emitted {} vs {}",
                        pool.emitted,
                        reference.emitted
                    );
                    for (i, (expected, &got)) in reference.earned.iter().zip(&accrued_before[q]).enumerate() {
                        let diff = (expected - got as f64).abs();
                        worst = worst.max(diff);
                        assert!(diff <= 2.0, "seed {seed} step {step}: user {i} earned {got} vs reference {expected}");
                    }
                }
            }
        }
        eprintln!(
            "random_model_against_the_reference: 4 seeds x 2,000 steps, worst per-user difference {worst:.6} units"
        );
    }

    /// The staker `u`'s position and its referrer's, from one vector.
    fn split_referrer(positions: &mut [Stake], u: usize) -> (&mut Stake, Option<&mut Stake>) {
        match REFERRER[u] {
            None => (&mut positions[u], None),
            Some(r) if r < u => {
                let (low, high) = positions.split_at_mut(u);
                (&mut high[0], Some(&mut low[r]))
            }
            Some(r) => {
                let (low, high) = positions.split_at_mut(r);
                (&mut low[u], Some(&mut high[0]))
            }
        }
    }

    impl Reference {
        fn clone_state(&self) -> Reference {
            Reference {
                rate: self.rate,
                start: self.start,
                remaining: self.remaining,
                last: self.last,
                earned: self.earned.clone(),
                emitted: self.emitted,
            }
        }
    }
}
