//! Period rewards: which tiers a member reached, and what it claims from a pool.
//!
//! A member whose referral points in a period reach tier `t`'s threshold reached tiers `0..=t` (tiers
//! are cumulative: a Global Ambassador is also a Brand Ambassador and a Campaign Representative). Its
//! points count in the total of every tier it reached. From a pool of `pool` base units it claims, for
//! each tier `t` it reached, `floor(pool x share_bps[t] x points / (10_000 x total[t]))`, summed. Each
//! term is rounded down on its own, so over the members of a tier the terms sum to at most
//! `pool x share_bps[t] / 10_000` (their points sum to `total[t]`), and over the tiers to at most `pool`
//! (the shares sum to at most 100%): claims can never exceed the pool. What rounding, empty tiers and
//! unclaimed shares leave goes back to the pool's funder (docs/DECISIONS.md D-48).
use crate::constants::{BPS_DENOMINATOR, MAX_CLAIMS_PAUSE_SECONDS};

/// The highest tier (0-based) that `points` reach under `thresholds` (strictly increasing), or `None`
/// below the first threshold (unranked).
pub fn tier_reached(thresholds: &[u64], points: u64) -> Option<u8> {
    let reached = thresholds.iter().take_while(|&&t| points >= t).count();
    let top = reached.checked_sub(1)?;
    u8::try_from(top).ok()
}

/// `a x b` as a 256-bit number `(high, low)`.
pub fn mul_wide(a: u128, b: u128) -> (u128, u128) {
    const LOW64: u128 = u64::MAX as u128;
    let (a0, a1) = (a & LOW64, a.wrapping_shr(64));
    let (b0, b1) = (b & LOW64, b.wrapping_shr(64));
    // Each partial product of two 64-bit halves fits in 128 bits.
    let p00 = a0.wrapping_mul(b0);
    let p01 = a0.wrapping_mul(b1);
    let p10 = a1.wrapping_mul(b0);
    let p11 = a1.wrapping_mul(b1);
    let (mid, mid_carry) = p01.overflowing_add(p10);
    let (low, low_carry) = p00.overflowing_add(mid.wrapping_shl(64));
    let high = p11
        .wrapping_add(mid.wrapping_shr(64))
        .wrapping_add(u128::from(mid_carry).wrapping_shl(64))
        .wrapping_add(u128::from(low_carry));
    (high, low)
}

/// `floor(a x b / d)` exactly (the product is taken in 256 bits); `None` when `d` is 0 or the quotient
/// does not fit in 128 bits.
pub fn mul_div_floor(a: u128, b: u128, d: u128) -> Option<u128> {
    if d == 0 {
        return None;
    }
    let (high, low) = mul_wide(a, b);
    if high == 0 {
        return low.checked_div(d);
    }
    if high >= d {
        return None;
    }
    // Long division of (high, low) by d, one bit of `low` at a time; the remainder stays below d.
    let mut rem = high;
    let mut quotient = 0u128;
    for bit in (0..128u32).rev() {
        let overflow = rem.wrapping_shr(127) == 1;
        rem = rem.wrapping_shl(1) | (low.wrapping_shr(bit) & 1);
        quotient = quotient.wrapping_shl(1);
        if overflow || rem >= d {
            rem = rem.wrapping_sub(d);
            quotient |= 1;
        }
    }
    Some(quotient)
}

/// What a member with `points` that reached tier `top` claims from a pool of `pool`, given the period's
/// tier shares (bps) and tier totals: the sum over `t in 0..=top` of
/// `floor(pool x shares_bps[t] x points / (10_000 x totals[t]))`. A tier whose total is 0 pays nothing
/// (it cannot happen for a tier the member reached and was registered in). `None` only on inputs no
/// registration can produce (points above a total, a share above 100%), so callers map it to an error.
pub fn reward_share(pool: u64, shares_bps: &[u16], totals: &[u128], top: u8, points: u64) -> Option<u64> {
    let mut sum = 0u64;
    for t in 0..=usize::from(top) {
        let share = u128::from(*shares_bps.get(t)?);
        let total = *totals.get(t)?;
        if total == 0 || u128::from(points) > total || share > u128::from(BPS_DENOMINATOR) {
            return None;
        }
        let tier_pool = u128::from(pool).checked_mul(share)?; // < 2^78
        let denominator = total.checked_mul(u128::from(BPS_DENOMINATOR))?; // total <= u64::MAX x 2^32
        let term = mul_div_floor(tier_pool, u128::from(points), denominator)?;
        sum = sum.checked_add(u64::try_from(term).ok()?)?;
    }
    Some(sum)
}

/// Whether a claims pause set at `paused_at` (0 = never) still holds reward claims back at `now`: only for
/// `MAX_CLAIMS_PAUSE_SECONDS` (R-1.4, docs/DECISIONS.md D-47).
pub fn claims_pause_holds(paused_bit: bool, paused_at: i64, now: i64) -> bool {
    paused_bit && now < paused_at.saturating_add(i64::from(MAX_CLAIMS_PAUSE_SECONDS))
}

/// Whether a new claims pause may start at `now`: not within twice `MAX_CLAIMS_PAUSE_SECONDS` of the last
/// one, so in any such stretch claims are open at least half of the time.
pub fn claims_pause_allowed(last_paused_at: i64, now: i64) -> bool {
    last_paused_at == 0
        || now >= last_paused_at.saturating_add(2i64.saturating_mul(i64::from(MAX_CLAIMS_PAUSE_SECONDS)))
}

/// Whether a reward pool of a period whose claim window ends at `claim_end` may be closed at `now` (its
/// rest going back to the funder): after the claim window, and, when the last claims pause began before
/// the window ended, not before `MAX_CLAIMS_PAUSE_SECONDS` of open claims have followed its hold, so a
/// pause can delay claims but never make members lose them. A pause that begins after the window has
/// ended does not delay the pool (R-1.4, D-47): a new pause needs twice `MAX_CLAIMS_PAUSE_SECONDS` since
/// the last, so the one before it began at least that long before, and its own delay ends no later than
/// `now`. All pauses together therefore delay a pool's closing by less than twice
/// `MAX_CLAIMS_PAUSE_SECONDS` past its claim window: re-pausing at every cooldown cannot hold a funder's
/// remainder for longer.
pub fn pool_closable(claim_end: i64, last_paused_at: i64, now: i64) -> bool {
    let after_pause = if last_paused_at == 0 || last_paused_at >= claim_end {
        i64::MIN
    } else {
        last_paused_at.saturating_add(2i64.saturating_mul(i64::from(MAX_CLAIMS_PAUSE_SECONDS)))
    };
    now >= claim_end && now >= after_pause
}

/// Whether a registration may be closed at `now` (after the registration window, checked by the
/// caller): it claimed from every pool of the period (`claims >= pool_count`: pools are created only before
/// the window closes, and each claim records a distinct pool), or no pool is open any more, or every pool
/// could have been closed (`claim_end` + twice `MAX_CLAIMS_PAUSE_SECONDS`, the latest any pause can hold a
/// pool, see [`pool_closable`]), so a pool that can never close (a frozen vault) strands no registration's
/// rent.
pub fn registration_closable(claim_end: i64, claims: u32, pool_count: u32, open_pools: u32, now: i64) -> bool {
    let every_pool_closable = claim_end.saturating_add(2i64.saturating_mul(i64::from(MAX_CLAIMS_PAUSE_SECONDS)));
    claims >= pool_count || open_pools == 0 || now >= every_pool_closable
}

#[cfg(test)]
#[allow(clippy::arithmetic_side_effects, clippy::expect_used)] // test code on known values, not an input path
mod tests {
    use super::*;
    use num_bigint::BigUint;

    const DEFAULT_THRESHOLDS: [u64; 3] = [11_000, 65_000, 255_000];
    const DEFAULT_SHARES: [u16; 3] = [5_000, 3_000, 2_000];

    // Campaign Representative >= 11,000, Brand Ambassador >= 65,000, Global Ambassador >= 255,000;
    // below the first threshold a member is unranked.
    #[test]
    fn tiers_at_their_thresholds() {
        let t = &DEFAULT_THRESHOLDS;
        assert_eq!(tier_reached(t, 0), None);
        assert_eq!(tier_reached(t, 10_999), None);
        assert_eq!(tier_reached(t, 11_000), Some(0));
        assert_eq!(tier_reached(t, 64_999), Some(0));
        assert_eq!(tier_reached(t, 65_000), Some(1));
        assert_eq!(tier_reached(t, 254_999), Some(1));
        assert_eq!(tier_reached(t, 255_000), Some(2));
        assert_eq!(tier_reached(t, u64::MAX), Some(2));
        assert_eq!(tier_reached(&[], u64::MAX), None);
        assert_eq!(tier_reached(&[1, 2, 3, u64::MAX], u64::MAX), Some(3));
    }

    fn big(v: u128) -> BigUint {
        BigUint::from(v)
    }

    // The 256-bit product and division against arbitrary-precision integers, at the edges and on a
    // deterministic spread of values.
    #[test]
    fn mul_div_floor_is_exact() {
        let edges =
            [0u128, 1, 2, 3, 10_000, u64::MAX as u128, (u64::MAX as u128) + 1, u128::MAX / 3, u128::MAX - 1, u128::MAX];
        let mut x = 0x9e37_79b9_7f4a_7c15_f39c_c060_5ced_c834u128;
        let mut values = edges.to_vec();
        for _ in 0..200 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            values.push(x >> (x % 128));
        }
        for &a in &values {
            for &b in values.iter().step_by(7) {
                for &d in values.iter().step_by(11) {
                    let exact = if d == 0 { None } else { Some(big(a) * big(b) / big(d)) };
                    let expected = exact.filter(|q| *q <= big(u128::MAX)).map(|q| u128::try_from(q).expect("fits"));
                    assert_eq!(mul_div_floor(a, b, d), expected, "{a} x {b} / {d}");
                }
            }
        }
    }

    // the formula on a worked example: a 1,000,000-unit pool, default shares 50/30/20; A has 300,000
    // points (all three tiers), B 100,000 (two), C 20,000 (one). Totals: tier 0 = 420,000, tier 1 = 400,000,
    // tier 2 = 300,000.
    #[test]
    fn worked_example() {
        let totals = [420_000u128, 400_000, 300_000];
        let a = reward_share(1_000_000, &DEFAULT_SHARES, &totals, 2, 300_000).expect("a");
        let b = reward_share(1_000_000, &DEFAULT_SHARES, &totals, 1, 100_000).expect("b");
        let c = reward_share(1_000_000, &DEFAULT_SHARES, &totals, 0, 20_000).expect("c");
        // A: 500,000 x 300/420 = 357,142 (.857) + 300,000 x 300/400 = 225,000 + 200,000 = 782,142.
        assert_eq!(a, 357_142 + 225_000 + 200_000);
        // B: 500,000 x 100/420 = 119,047 (.619) + 300,000 x 100/400 = 75,000.
        assert_eq!(b, 119_047 + 75_000);
        // C: 500,000 x 20/420 = 23,809 (.523).
        assert_eq!(c, 23_809);
        // Two units of rounding dust stay in the pool.
        assert_eq!(1_000_000 - (a + b + c), 2);
    }

    // edge cases: the largest pool and points, a lone member taking a whole tier, empty tiers,
    // shares below 100%, and inputs no registration can produce.
    #[test]
    fn edges() {
        let max = u64::MAX;
        // One member with every point of every tier takes every share: the whole pool when shares sum to 100%.
        let totals = [u128::from(max); 3];
        let m = u128::from(max);
        let expected = m * 5_000 / 10_000 + m * 3_000 / 10_000 + m * 2_000 / 10_000;
        assert_eq!(reward_share(max, &DEFAULT_SHARES, &totals, 2, max), Some(u64::try_from(expected).expect("fits")));
        assert_eq!(reward_share(max, &[10_000], &[u128::from(max)], 0, max), Some(max));
        assert_eq!(reward_share(0, &DEFAULT_SHARES, &totals, 2, max), Some(0));
        // Points of a tier summed over many members exceed u64.
        let huge = [u128::from(max) * 4_000_000_000];
        assert_eq!(reward_share(max, &[10_000], &huge, 0, max), Some(max / 4_000_000_000));
        // Shares below 100%: a lone tier-0 member of 20/30/20 (70%) takes 20%.
        assert_eq!(reward_share(1_000, &[2_000, 3_000, 2_000], &[5, 0, 0], 0, 5), Some(200));
        // Impossible inputs.
        assert_eq!(reward_share(1_000, &DEFAULT_SHARES, &[10, 0, 0], 1, 10), None, "a reached tier with no total");
        assert_eq!(reward_share(1_000, &DEFAULT_SHARES, &[10, 10, 10], 0, 11), None, "points above the total");
        assert_eq!(reward_share(1_000, &[10_001], &[10], 0, 10), None, "a share above 100%");
        assert_eq!(reward_share(1_000, &DEFAULT_SHARES, &[10, 10, 10], 3, 10), None, "a tier that does not exist");
    }

    /// xorshift64*: a small deterministic generator, so every run is reproducible from its seed.
    struct Rng(u64);
    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 >> 12;
            self.0 ^= self.0 << 25;
            self.0 ^= self.0 >> 27;
            self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
        }
        fn below(&mut self, n: u64) -> u64 {
            self.next() % n
        }
    }

    // conservation and exactness over 100 seeded random populations of 1,000 to 2,999 members:
    // random tiers (1 to 4, random strictly increasing thresholds, random shares summing to at most 100%),
    // random points (most members unranked, some at the tops of u64), 1 to 4 pools of random size per
    // period. For each pool: every claim equals the formula computed with arbitrary-precision integers;
    // the claims never exceed the pool, so claims + returned == funded with returned >= 0; and what is
    // returned is exactly the unassigned shares and empty tiers plus rounding dust below one unit per
    // (member, tier) term.
    #[test]
    fn random_populations_conserve_every_pool() {
        let started = std::time::Instant::now();
        let mut members_seen = 0usize;
        for seed in 1..=100u64 {
            let mut rng = Rng(seed.wrapping_mul(0x9e37_79b9_7f4a_7c15));
            let tiers = 1 + rng.below(4) as usize;
            let mut thresholds = Vec::new();
            let mut last = 0u64;
            for _ in 0..tiers {
                let span = if rng.below(10) == 0 { u64::MAX / 8 } else { 100_000 };
                last += 1 + rng.below(span);
                thresholds.push(last);
            }
            let mut shares = Vec::new();
            let mut left = 10_000u16;
            for _ in 0..tiers {
                let s = u16::try_from(rng.below(u64::from(left) + 1)).expect("bps");
                shares.push(s);
                left -= s;
            }
            // Points: 60% below the first tier, the rest spread over the tiers, 1% near u64::MAX.
            let n = 1_000 + rng.below(2_000) as usize;
            members_seen += n;
            let points: Vec<u64> = (0..n)
                .map(|_| match rng.below(100) {
                    0 => u64::MAX - rng.below(1_000_000),
                    1..=60 => rng.below(thresholds[0]),
                    _ => thresholds[0].saturating_add(rng.below(last.saturating_mul(2))),
                })
                .collect();
            // Registration: every ranked member adds its points to each tier it reached.
            let mut totals = [0u128; 4];
            let mut registered = Vec::new();
            for &p in &points {
                if let Some(top) = tier_reached(&thresholds, p) {
                    for total in totals.iter_mut().take(usize::from(top) + 1) {
                        *total += u128::from(p);
                    }
                    registered.push((p, top));
                }
            }
            for _ in 0..1 + rng.below(4) {
                let pool = match rng.below(3) {
                    0 => rng.below(1_000),
                    1 => rng.next(),
                    _ => 1_000_000_000 * (1 + rng.below(1_000)),
                };
                let mut claimed = 0u128;
                let mut terms = 0u128;
                for &(p, top) in &registered {
                    let got = reward_share(pool, &shares, &totals, top, p).expect("a registered member's claim");
                    let mut exact = BigUint::from(0u8);
                    for t in 0..=usize::from(top) {
                        exact += BigUint::from(pool) * BigUint::from(shares[t]) * BigUint::from(p)
                            / (BigUint::from(totals[t]) * BigUint::from(10_000u32));
                        terms += 1;
                    }
                    assert_eq!(BigUint::from(got), exact, "seed {seed}: claim of {p} points, tier {top}");
                    claimed += u128::from(got);
                }
                assert!(claimed <= u128::from(pool), "seed {seed}: claims {claimed} exceed the pool {pool}");
                let returned = u128::from(pool) - claimed;
                assert_eq!(claimed + returned, u128::from(pool));
                // What no registered member could claim: shares of empty tiers and the unassigned rest.
                let assigned: u128 = (0..tiers).filter(|&t| totals[t] > 0).map(|t| u128::from(shares[t])).sum();
                let unassigned = u128::from(pool) - u128::from(pool) * assigned / 10_000;
                let dust = returned - unassigned.min(returned);
                assert!(dust <= terms + 1, "seed {seed}: dust {dust} above {terms} terms");
            }
        }
        assert!(members_seen >= 100_000, "{members_seen} members in 100 runs");
        eprintln!("random_populations_conserve_every_pool: 100 runs, {members_seen} members, {:?}", started.elapsed());
    }

    // the claims pause holds reward claims back for at most 7 days, cannot be set again within 14
    // days of the last one, and no pool closes before 7 days of open claims followed the hold.
    #[test]
    fn claims_pause_bound() {
        let week = i64::from(MAX_CLAIMS_PAUSE_SECONDS);
        let at = 1_800_000_000;
        assert!(claims_pause_holds(true, at, at));
        assert!(claims_pause_holds(true, at, at + week - 1));
        assert!(!claims_pause_holds(true, at, at + week));
        assert!(!claims_pause_holds(false, at, at));
        assert!(claims_pause_allowed(0, at));
        assert!(!claims_pause_allowed(at, at + 2 * week - 1));
        assert!(claims_pause_allowed(at, at + 2 * week));
        let claim_end = at + 3 * 86_400;
        assert!(!pool_closable(claim_end, 0, claim_end - 1));
        assert!(pool_closable(claim_end, 0, claim_end));
        assert!(!pool_closable(claim_end, at, claim_end), "the pause's hold and a week of open claims first");
        assert!(!pool_closable(claim_end, at, at + 2 * week - 1));
        assert!(pool_closable(claim_end, at, at + 2 * week));
        assert!(pool_closable(claim_end, at - 30 * 86_400, claim_end), "an old pause does not matter");
    }

    // R-5.7 (issue 16, 4d): an admin who pauses again at every cooldown's end holds a pool's
    // remainder at most twice the pause bound past the claim window: pauses that begin after the window
    // no longer delay the closing, and the last one before it delays it by at most 14 days.
    #[test]
    fn repeated_pauses_cannot_hold_a_pool_forever() {
        let week = i64::from(MAX_CLAIMS_PAUSE_SECONDS);
        let claim_end = 1_800_000_000;
        // The last pause before the window's end began one second before it: 14 days of delay at most.
        let last_inside = claim_end - 1;
        assert!(!pool_closable(claim_end, last_inside, claim_end + 2 * week - 2));
        assert!(pool_closable(claim_end, last_inside, claim_end + 2 * week - 1));
        // Re-pausing at every cooldown end after the window: each later pause leaves the pool closable.
        let mut paused_at = last_inside;
        let mut closable_at = None;
        for n in 1..=20 {
            paused_at += 2 * week; // the earliest a new pause may start
            assert!(claims_pause_allowed(paused_at - 2 * week, paused_at));
            if pool_closable(claim_end, paused_at, paused_at) {
                closable_at.get_or_insert(n);
            }
        }
        assert_eq!(closable_at, Some(1), "the first pause after the window already does not delay");
        // Before the fix a pause after the window delayed the pool by 14 days each time, forever.
        assert!(pool_closable(claim_end, claim_end, claim_end));
        assert!(pool_closable(claim_end, claim_end + 100 * week, claim_end + 100 * week));
    }

    // R-5.7 (issue 16, audit F2): a registration closes once it claimed every pool, once no pool is open,
    // or once every pool could have closed (14 days after the claim window), whatever an unclosable pool.
    #[test]
    fn registrations_never_wait_for_an_unclosable_pool() {
        let week = i64::from(MAX_CLAIMS_PAUSE_SECONDS);
        let claim_end = 1_800_000_000;
        assert!(registration_closable(claim_end, 3, 3, 1, claim_end - 1), "claimed every pool");
        assert!(registration_closable(claim_end, 1, 3, 0, claim_end), "every pool returned");
        assert!(!registration_closable(claim_end, 1, 3, 1, claim_end + 2 * week - 1), "a pool may still close");
        assert!(registration_closable(claim_end, 1, 3, 1, claim_end + 2 * week), "every pool could have closed");
        // Every pool is closable by then, whatever the pauses (pool_closable's own bound).
        assert!(pool_closable(claim_end, claim_end - 1, claim_end + 2 * week));
    }
}
