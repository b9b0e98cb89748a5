//! Tables for people, JSON for scripts.
use anchor_lang::prelude::Pubkey;
use comfy_table::{presets::UTF8_FULL_CONDENSED, Table};
use referral_client::leaderboard::{tier_name, Row};
use referral_client::{Hub, Member, PendingConfig, Period, RewardPool};
use serde_json::{json, Value};

use crate::demo::DemoReport;
use crate::Format;

/// A command's result: one JSON value, and the tables (or lines) that show it to a person.
pub struct Out {
    pub json: Value,
    pub sections: Vec<(String, Section)>,
}

pub enum Section {
    Table(Table),
    Lines(Vec<String>),
}

impl Out {
    /// A title and a flat JSON object shown as a two-column table.
    pub fn kv(title: &str, json: Value) -> Out {
        let mut t = table(&["field", "value"]);
        if let Value::Object(map) = &json {
            for (k, v) in map {
                t.add_row(vec![k.clone(), v.as_str().map(str::to_string).unwrap_or_else(|| v.to_string())]);
            }
        }
        Out { json, sections: vec![(title.to_string(), Section::Table(t))] }
    }

    pub fn print(&self, format: Format) {
        match format {
            Format::Json => println!("{}", serde_json::to_string_pretty(&self.json).unwrap_or_else(|_| "{}".into())),
            Format::Table => {
                for (title, s) in &self.sections {
                    println!("\n{title}");
                    match s {
                        Section::Table(t) => println!("{t}"),
                        Section::Lines(ls) => ls.iter().for_each(|l| println!("  {l}")),
                    }
                }
            }
        }
    }
}

fn table(header: &[&str]) -> Table {
    let mut t = Table::new();
    t.load_preset(UTF8_FULL_CONDENSED).set_header(header.to_vec());
    t
}

pub fn hub(key: &Pubkey, h: &Hub, pending: Option<&PendingConfig>) -> Out {
    let c = &h.config();
    let json = json!({
        "hub": key.to_string(), "creator": h.creator.to_string(), "hub_id": h.hub_id, "admin": h.admin.to_string(),
        "paused": h.paused, "referrer_fee_bps": c.referrer_fee_bps, "referee_multiplier_bps": c.referee_multiplier_bps,
        "depth": c.depth, "level_shares_bps": c.level_shares_bps, "invite_only": c.invite_only,
        "collection": c.collection.to_string(), "min_stake_to_earn": c.min_stake_to_earn,
        "milestones": c.milestones.iter().map(|m| json!({"count": m.count, "multiplier_bps": m.multiplier_bps, "share_bps": m.share_bps, "step_multiplier_bps": m.step_multiplier_bps, "step_share_bps": m.step_share_bps})).collect::<Vec<_>>(),
        "tiers": c.tiers.iter().map(|t| json!({"threshold": t.threshold, "share_bps": t.share_bps})).collect::<Vec<_>>(),
        "reporters": c.reporters.iter().map(|r| r.to_string()).collect::<Vec<_>>(),
        "period": format!("{:?}", c.period),
        "pending_change": pending.map(|p| json!({ "effective_at_unix": p.effective_at, "config": format!("{:?}", p.config) })),
    });
    Out::kv("hub", json)
}

pub fn member(key: &Pubkey, m: &Member) -> Out {
    Out::kv(
        "member",
        json!({
            "member": key.to_string(), "wallet": m.wallet.to_string(), "referrer_member": m.referrer.to_string(),
            "direct_referees": m.referee_counts[0], "referee_counts": m.referee_counts, "nfts_staked": m.staked_count,
            "period": m.period, "own_points": m.own_points, "referral_points": m.referral_points,
            "claimable_lamports": m.claimable_lamports, "lifetime_fee_lamports": m.lifetime_fee_lamports,
        }),
    )
}

/// The period leaderboard with tiers, and the registration warnings.
pub fn leaderboard(index: u32, rows: &[Row], tier_count: usize, warnings: &[String]) -> Out {
    let mut t = table(&["rank", "wallet", "referral points", "tier", "to next tier"]);
    let mut js = Vec::new();
    for r in rows {
        let tier = r.tier.map(|i| tier_name(i, tier_count)).unwrap_or_else(|| "unranked".into());
        let next = r.next.map(|(i, d)| format!("{d} to {}", tier_name(i, tier_count))).unwrap_or_else(|| "-".into());
        t.add_row(vec![r.rank.to_string(), r.wallet.to_string(), r.points.to_string(), tier.clone(), next]);
        js.push(json!({
            "rank": r.rank, "wallet": r.wallet.to_string(), "member": r.member.to_string(),
            "referral_points": r.points, "tier": r.tier, "tier_name": tier,
            "next_tier": r.next.map(|(i, d)| json!({ "tier": i, "points_missing": d })),
        }));
    }
    let mut sections = vec![(format!("leaderboard, period {index}"), Section::Table(t))];
    if !warnings.is_empty() {
        sections.push(("warning: ranked members not registered".into(), Section::Lines(warnings.to_vec())));
    }
    Out { json: json!({ "period": index, "rows": js, "warnings": warnings }), sections }
}

/// A period's reward book: timeline, tiers, totals, and its pools.
pub fn period(key: &Pubkey, p: &Period, pools: &[(Pubkey, RewardPool)]) -> Out {
    let n = usize::from(p.tier_count);
    let tiers: Vec<Value> = (0..n)
        .map(|i| {
            json!({
                "tier": tier_name(u8::try_from(i).unwrap_or(u8::MAX), n), "threshold": p.tier_thresholds[i],
                "share_bps": p.tier_shares_bps[i], "total_points": p.tier_totals[i].to_string(),
                "members": p.tier_members[i],
            })
        })
        .collect();
    let pool_rows: Vec<Value> = pools
        .iter()
        .map(|(k, pool)| {
            json!({
                "pool": k.to_string(), "funder": pool.funder.to_string(),
                "asset": if pool.is_sol() { "SOL (lamports)".to_string() } else { pool.mint.to_string() },
                "funded": pool.funded, "claimed": pool.claimed, "index": pool.index,
            })
        })
        .collect();
    let mut summary = Out::kv(
        "period",
        json!({
            "period": key.to_string(), "index": p.index, "start_unix": p.start, "end_unix": p.end,
            "registration_end_unix": p.registration_end, "claim_end_unix": p.claim_end,
            "registered": p.registered, "open_pools": p.open_pools,
        }),
    );
    let mut t = table(&["tier", "threshold", "share (bps)", "registered members", "total points"]);
    for v in &tiers {
        t.add_row(vec![
            v["tier"].as_str().unwrap_or("").to_string(),
            v["threshold"].to_string(),
            v["share_bps"].to_string(),
            v["members"].to_string(),
            v["total_points"].as_str().unwrap_or("").to_string(),
        ]);
    }
    summary.sections.push(("tiers".into(), Section::Table(t)));
    let mut t = table(&["pool", "funder", "asset", "funded", "claimed"]);
    for v in &pool_rows {
        let cell = |k: &str| v[k].as_str().map(str::to_string).unwrap_or_else(|| v[k].to_string());
        t.add_row(vec![cell("pool"), cell("funder"), cell("asset"), cell("funded"), cell("claimed")]);
    }
    summary.sections.push(("pools".into(), Section::Table(t)));
    if let Value::Object(map) = &mut summary.json {
        map.insert("tiers".into(), Value::Array(tiers));
        map.insert("pools".into(), Value::Array(pool_rows));
    }
    summary
}

pub fn demo(r: &DemoReport) -> Out {
    let mut sections = vec![("Who referred whom".to_string(), Section::Lines(r.tree.clone()))];
    let mut t = table(&[
        "member",
        "referrer",
        "direct",
        "below",
        "NFTs",
        "own x",
        "referee share",
        "own pts",
        "referral pts",
        "claimable SOL",
        "claimed SOL",
    ]);
    for m in &r.members {
        t.add_row(vec![
            m.name.clone(),
            m.referrer.clone().unwrap_or_else(|| "-".into()),
            m.direct_referees.to_string(),
            m.members_below.to_string(),
            m.nfts_staked.to_string(),
            m.own_multiplier.clone(),
            m.referee_share.clone(),
            m.own_points.to_string(),
            m.referral_points.to_string(),
            m.claimable_sol.clone(),
            m.claimed_sol.clone(),
        ]);
    }
    sections.push(("Members (milestone, points, fees)".into(), Section::Table(t)));
    let mut t = table(&[
        "buyer",
        "price SOL",
        "fee (lamports)",
        "referrer",
        "referrer share",
        "to treasury",
        "buyer pts",
        "referral pts",
    ]);
    for x in &r.trades {
        t.add_row(vec![
            x.buyer.clone(),
            x.price_sol.clone(),
            x.fee_lamports.to_string(),
            x.referrer.clone().unwrap_or_else(|| "-".into()),
            x.referrer_share_lamports.to_string(),
            x.treasury_lamports.to_string(),
            x.buyer_points.to_string(),
            x.referral_points.to_string(),
        ]);
    }
    sections.push(("Marketplace purchases (2% fee, routed by CPI)".into(), Section::Table(t)));
    let mut t = table(&["rank", "member", "referral points", "tier"]);
    for l in &r.leaderboard {
        t.add_row(vec![l.rank.to_string(), l.name.clone(), l.referral_points.to_string(), l.tier.clone()]);
    }
    sections.push(("Leaderboard (this period)".into(), Section::Table(t)));
    let mut t = table(&["instruction", "calls", "min CU", "max CU"]);
    for c in &r.compute_units {
        t.add_row(vec![c.instruction.clone(), c.calls.to_string(), c.min.to_string(), c.max.to_string()]);
    }
    sections.push(("Compute units (SBF binaries)".into(), Section::Table(t)));
    let c = &r.conservation;
    sections.push((
        "Conservation".into(),
        Section::Lines(vec![
            format!("{} purchases: buyers paid {} lamports", c.trades, c.buyers_paid_lamports),
            format!(
                "= sellers {} + treasury {} + referrers {}",
                c.sellers_received_lamports, c.treasury_received_lamports, c.referrers_received_lamports
            ),
            format!("every fee split exactly (share + remainder = fee): {}", c.every_fee_split_exactly),
            format!("every lamport accounted for: {}", c.every_lamport_accounted),
        ]),
    ));
    let e = &r.period_end;
    let mut t = table(&["member", "referral points", "tier", "reward SOL"]);
    for p in &e.payouts {
        t.add_row(vec![p.name.clone(), p.referral_points.to_string(), p.tier.clone(), p.reward_sol.clone()]);
    }
    sections.push((
        format!("End of period {}: registered members' rewards from the period pool", e.period),
        Section::Table(t),
    ));
    sections.push((
        "Period pool conservation".into(),
        Section::Lines(vec![
            format!("pool funded {} lamports", e.pool_funded_lamports),
            format!(
                "= claimed {} + returned to the funder {} (rounding dust, unclaimed shares)",
                e.claimed_lamports, e.returned_to_funder_lamports
            ),
            format!("claims + returned == funded: {}", e.claims_plus_returned_equals_funded),
        ]),
    ));
    let sp = &r.staking_pool;
    let mut t = table(&["member", "staked", "weight (first 600 s)", "weight (after)", "bonus valid", "rewards"]);
    for p in &sp.positions {
        t.add_row(vec![
            p.name.clone(),
            p.staked.to_string(),
            p.weight_before.clone(),
            p.weight_after.clone(),
            p.bonus_valid.to_string(),
            p.rewards.to_string(),
        ]);
    }
    sections.push((
        format!("Referral-boosted staking pool ({} per second for {} s)", sp.rate_per_second, sp.seconds),
        Section::Table(t),
    ));
    sections.push((
        "Staking pool books".into(),
        Section::Lines(vec![
            sp.cancelled.clone(),
            format!("emitted {} = paid {} + undistributed dust {}", sp.emitted, sp.paid, sp.undistributed_dust),
            format!("paid within emitted, dust below one unit per position: {}", sp.paid_within_emitted),
        ]),
    ));
    Out { json: serde_json::to_value(r).unwrap_or(Value::Null), sections }
}
