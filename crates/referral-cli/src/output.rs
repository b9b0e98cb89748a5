//! Tables for people, JSON for scripts.
use anchor_lang::prelude::Pubkey;
use comfy_table::{presets::UTF8_FULL_CONDENSED, Table};
use referral_client::{Hub, Member, PendingConfig};
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

pub fn leaderboard(rows: &[(Pubkey, Member)]) -> Out {
    let mut t = table(&["rank", "wallet", "referral points", "own points", "direct referees"]);
    let mut js = Vec::new();
    for (i, (_, m)) in rows.iter().enumerate() {
        t.add_row(vec![
            (i + 1).to_string(),
            m.wallet.to_string(),
            m.referral_points.to_string(),
            m.own_points.to_string(),
            m.referee_counts[0].to_string(),
        ]);
        js.push(json!({"rank": i + 1, "wallet": m.wallet.to_string(), "referral_points": m.referral_points, "own_points": m.own_points}));
    }
    Out { json: Value::Array(js), sections: vec![("leaderboard".into(), Section::Table(t))] }
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
    Out { json: serde_json::to_value(r).unwrap_or(Value::Null), sections }
}
