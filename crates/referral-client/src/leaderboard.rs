//! The period leaderboard, computed from chain state by every client (CLI, demo, app): the
//! members of a hub ordered by their referral points in a period, ties broken by Member address, with the
//! tier each reached and how far it is from the next one.
use anchor_lang::prelude::Pubkey;
use referral::logic::rewards::tier_reached;
use referral::state::Member;

/// The default tiers' names, in order.
pub const DEFAULT_TIER_NAMES: [&str; 3] = ["Campaign Representative", "Brand Ambassador", "Global Ambassador"];

/// The display name of tier `index` (0-based) of a hub with `count` tiers: the default names for a
/// three-tier hub, else "Tier n".
pub fn tier_name(index: u8, count: usize) -> String {
    match DEFAULT_TIER_NAMES.get(usize::from(index)) {
        Some(name) if count == DEFAULT_TIER_NAMES.len() => (*name).to_string(),
        _ => format!("Tier {}", u16::from(index) + 1),
    }
}

/// One line of the leaderboard.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Row {
    /// 1-based rank: by referral points, then by Member address (deterministic ties).
    pub rank: u32,
    /// The Member account.
    pub member: Pubkey,
    /// The member's wallet.
    pub wallet: Pubkey,
    /// Referral points in the period.
    pub points: u64,
    /// Highest tier reached, 0-based; `None` = unranked.
    pub tier: Option<u8>,
    /// The next tier and the points still missing to reach it; `None` at the top tier.
    pub next: Option<(u8, u64)>,
}

/// The leaderboard of period `index` among `members` (each with its address), under tier `thresholds`
/// (strictly increasing): members with points in that period, best first. A member's points of a period
/// are its current figures when they are of that period, or its kept previous figures
/// (`Member::referral_points_in`), which is what registration reads.
pub fn leaderboard(members: &[(Pubkey, Member)], index: u32, thresholds: &[u64]) -> Vec<Row> {
    let mut rows: Vec<(Pubkey, &Member, u64)> = members
        .iter()
        .map(|(key, m)| (*key, m, m.referral_points_in(index)))
        .filter(|(_, _, points)| *points > 0)
        .collect();
    rows.sort_by(|a, b| b.2.cmp(&a.2).then(a.0.cmp(&b.0)));
    rows.into_iter()
        .enumerate()
        .map(|(i, (member, m, points))| {
            let tier = tier_reached(thresholds, points);
            let next_index = tier.map_or(0, |t| usize::from(t) + 1);
            let next = thresholds
                .get(next_index)
                .map(|&threshold| (u8::try_from(next_index).unwrap_or(u8::MAX), threshold.saturating_sub(points)));
            Row { rank: u32::try_from(i + 1).unwrap_or(u32::MAX), member, wallet: m.wallet, points, tier, next }
        })
        .collect()
}

/// Ranked members of a period who are not registered yet, while that can still be done: from the end of
/// the period until its registration window closes (R-5.4: an unregistered member gets nothing). Before
/// the end, every ranked member is listed with the window it must be registered in. Returns one line per
/// member, saying what to run.
pub fn registration_warnings(
    rows: &[Row],
    registered: &[Pubkey],
    index: u32,
    end: i64,
    registration_end: i64,
    now: i64,
) -> Vec<String> {
    if now >= registration_end {
        return Vec::new();
    }
    rows.iter()
        .filter(|r| r.tier.is_some() && !registered.contains(&r.member))
        .map(|r| {
            let when = if now < end {
                format!("registration opens at unix {end} (end of period {index}) and closes at unix {registration_end}")
            } else {
                format!("registration closes at unix {registration_end} ({} s left)", registration_end - now)
            };
            format!(
                "{} is ranked ({} points) but not registered for period {index}: {when}; run `referral register --period {index} --wallet {}` (or --all)",
                r.wallet, r.points, r.wallet
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn member(wallet: u8, period: u32, points: u64, prev_period: u32, prev_points: u64) -> (Pubkey, Member) {
        let m = Member {
            wallet: Pubkey::new_from_array([wallet; 32]),
            period,
            referral_points: points,
            prev_period,
            prev_referral_points: prev_points,
            ..Member::default()
        };
        (Pubkey::new_from_array([wallet.wrapping_add(100); 32]), m)
    }

    const TIERS: [u64; 3] = [11_000, 65_000, 255_000];

    // ordered by referral points, ties broken by Member address, current and previous period read
    // from the figures each member still holds; tier and distance to the next tier.
    #[test]
    fn ordered_with_deterministic_ties_and_tiers() {
        let members = vec![
            member(1, 10, 70_000, 9, 300_000),
            member(2, 10, 5_000, 9, 0),
            member(3, 10, 70_000, 9, 11_000),
            member(4, 9, 64_999, 8, 1), // not touched since period 9: its current figures are of 9
            member(5, 8, 400_000, 7, 1), // rolled away before 9: nothing in 9 or 10
        ];
        let current = leaderboard(&members, 10, &TIERS);
        let order: Vec<u8> = current.iter().map(|r| r.wallet.to_bytes()[0]).collect();
        assert_eq!(order, vec![1, 3, 2], "70,000 twice (member address breaks the tie), then 5,000");
        assert_eq!(current[0].rank, 1);
        assert_eq!(current[1].rank, 2);
        assert_eq!((current[0].tier, current[0].next), (Some(1), Some((2, 185_000))));
        assert_eq!((current[2].tier, current[2].next), (None, Some((0, 6_000))));
        let previous = leaderboard(&members, 9, &TIERS);
        type View = (u8, u64, Option<u8>, Option<(u8, u64)>);
        let view: Vec<View> = previous.iter().map(|r| (r.wallet.to_bytes()[0], r.points, r.tier, r.next)).collect();
        assert_eq!(
            view,
            vec![
                (1, 300_000, Some(2), None),
                (4, 64_999, Some(0), Some((1, 1))),
                (3, 11_000, Some(0), Some((1, 54_000)))
            ]
        );
        assert!(leaderboard(&members, 11, &TIERS).is_empty());
    }

    #[test]
    fn tier_names() {
        assert_eq!(tier_name(0, 3), "Campaign Representative");
        assert_eq!(tier_name(2, 3), "Global Ambassador");
        assert_eq!(tier_name(0, 4), "Tier 1");
        assert_eq!(tier_name(3, 4), "Tier 4");
    }

    // ranked, unregistered members are warned until the registration window closes, not after.
    #[test]
    fn unregistered_ranked_members_are_warned_until_the_window_closes() {
        let members = vec![member(1, 10, 70_000, 9, 0), member(2, 10, 20_000, 9, 0), member(3, 10, 500, 9, 0)];
        let rows = leaderboard(&members, 10, &TIERS);
        let registered = vec![members[0].0];
        let (end, close) = (1_000, 2_000);
        let during = registration_warnings(&rows, &registered, 10, end, close, 1_500);
        assert_eq!(during.len(), 1, "only the ranked, unregistered member: {during:?}");
        assert!(during[0].contains(&members[1].1.wallet.to_string()) && during[0].contains("500 s left"));
        let before = registration_warnings(&rows, &registered, 10, end, close, 999);
        assert!(before[0].contains("registration opens at unix 1000"));
        assert!(registration_warnings(&rows, &registered, 10, end, close, close).is_empty());
    }
}
