//! Ranking periods from the command line: show and open a period, fund a pool, register
//! ranked members (one, or every ranked member with a progress bar), claim rewards, close pools, and the
//! leaderboard with its registration warnings. Every address, instruction and decoding comes from
//! `referral-client`.
use anchor_lang::prelude::Pubkey;
use anyhow::{anyhow, bail, Result};
use indicatif::{ProgressBar, ProgressStyle};
use referral_client::leaderboard::{leaderboard, registration_warnings, Row};
use referral_client::logic::periods::period_index;
use referral_client::logic::rewards::reward_share;
use referral_client::{decode, ix, pda, Hub, Member, PendingConfig, Period, Registration, RewardClaim, RewardPool};
use serde_json::json;
use solana_keypair::Keypair;
use solana_signer::Signer;

use crate::chain::Chain;
use crate::output::{self, Out};

/// Which period a command is about: `current`, `previous`, or an index.
pub fn parse_period(text: &str) -> Result<PeriodRef> {
    match text {
        "current" => Ok(PeriodRef::Current),
        "previous" => Ok(PeriodRef::Previous),
        n => n
            .parse::<u32>()
            .map(PeriodRef::Index)
            .map_err(|_| anyhow!("--period takes `current`, `previous` or a period index, not {n:?}")),
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PeriodRef {
    Current,
    Previous,
    Index(u32),
}

/// Unix time now (this machine's clock: the windows are days long, a few seconds of skew do not matter).
pub fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
        .unwrap_or(0)
}

fn load_hub(chain: &Chain, hub: &Pubkey) -> Result<Hub> {
    chain.account(hub)?.ok_or_else(|| anyhow!("no hub at {hub} on {}: check --hub and --url", chain.url))
}

/// The period index `which` names for `hub` now.
pub fn resolve(chain: &Chain, hub: &Pubkey, which: PeriodRef) -> Result<u32> {
    let current = period_index(&load_hub(chain, hub)?.rules.period(), now());
    Ok(match which {
        PeriodRef::Current => current,
        PeriodRef::Previous => current
            .checked_sub(1)
            .ok_or_else(|| anyhow!("period {current} is the hub's first: there is no previous"))?,
        PeriodRef::Index(i) => i,
    })
}

fn load_period(chain: &Chain, hub: &Pubkey, index: u32) -> Result<(Pubkey, Period)> {
    let key = pda::period(hub, index).0;
    let period = chain.account(&key)?.ok_or_else(|| {
        anyhow!("period {index} of hub {hub} is not open: run `referral period open --hub {hub} --period {index}`")
    })?;
    Ok((key, period))
}

/// `referral period show`.
pub fn show(chain: &Chain, hub: &Pubkey, which: PeriodRef) -> Result<Out> {
    let index = resolve(chain, hub, which)?;
    let (key, period) = load_period(chain, hub, index)?;
    let pools = chain.program_accounts::<RewardPool>(decode::PERIOD_FIELD_OFFSET, &key)?;
    Ok(output::period(&key, &period, &pools))
}

/// `referral period open`.
pub fn open(chain: &Chain, kp: &Keypair, hub: &Pubkey, which: PeriodRef) -> Result<Out> {
    let index = resolve(chain, hub, which)?;
    // A due configuration change is applied first (anyone may): a period takes the tiers in force.
    let mut ixs = Vec::new();
    let pending: Option<PendingConfig> = chain.account(&pda::pending_config(hub).0)?;
    let applied = pending.as_ref().is_some_and(|p| now() >= p.effective_at);
    if let Some(p) = pending.filter(|_| applied) {
        ixs.push(ix::apply_config(&kp.pubkey(), hub, &p.payer));
    }
    ixs.push(ix::open_period(&kp.pubkey(), hub, index));
    let sig = chain.send(&ixs, kp, &[])?;
    Ok(Out::kv(
        "period opened",
        json!({
            "period": pda::period(hub, index).0.to_string(),
            "index": index,
            "applied_due_configuration": applied,
            "signature": sig
        }),
    ))
}

/// `referral close-claims`: closes `wallet`'s reward claim records whose pool is closed, their rent back
/// to the wallet (anyone may send them).
pub fn close_claims(chain: &Chain, kp: &Keypair, wallet: Option<Pubkey>) -> Result<Out> {
    let wallet = wallet.unwrap_or_else(|| kp.pubkey());
    let records = chain.program_accounts::<RewardClaim>(decode::REWARD_CLAIM_WALLET_OFFSET, &wallet)?;
    let mut closed = Vec::new();
    let mut waiting = 0usize;
    for (key, record) in &records {
        // Closable once nothing is owed and no second claim can be made (the program's rule).
        let pool_done = match chain.account::<RewardPool>(&record.pool)? {
            None => true,
            Some(p) => p.returned,
        };
        let registration_closed = chain.data(&record.registration)?.is_none_or(|d| d.is_empty());
        if record.owed > 0 || !(pool_done || registration_closed) {
            waiting += 1;
            continue;
        }
        let sig =
            chain.send(&[ix::close_reward_claim_at(key, &record.pool, &record.registration, &wallet)], kp, &[])?;
        closed.push(json!({ "record": key.to_string(), "pool": record.pool.to_string(), "signature": sig }));
    }
    Ok(Out::kv(
        "claim records",
        json!({ "wallet": wallet.to_string(), "closed": closed.len(), "still_needed": waiting, "details": closed }),
    ))
}

/// `referral fund-pool`: lamports, or base units of `mint`.
pub fn fund(
    chain: &Chain,
    kp: &Keypair,
    hub: &Pubkey,
    which: PeriodRef,
    amount: u64,
    mint: Option<(Pubkey, Pubkey)>,
) -> Result<Out> {
    let index = resolve(chain, hub, which)?;
    let (period, _) = load_period(chain, hub, index)?;
    let ixn = match mint {
        None => ix::fund_pool(&kp.pubkey(), &period, amount),
        Some((mint, tp)) => {
            let from = pda::ata(&kp.pubkey(), &mint, &tp);
            ix::fund_pool_token(&kp.pubkey(), &from, &period, &mint, &tp, amount)
        }
    };
    let sig = chain.send(&[ixn], kp, &[])?;
    let pool = pda::reward_pool(&period, &kp.pubkey(), &mint.map(|m| m.0).unwrap_or_default()).0;
    Ok(Out::kv("pool funded", json!({ "period": index, "pool": pool.to_string(), "amount": amount, "signature": sig })))
}

/// Ranked members of period `index` and the registrations made so far.
fn ranked(chain: &Chain, hub: &Pubkey, period_key: &Pubkey, period: &Period) -> Result<(Vec<Row>, Vec<Pubkey>)> {
    let members = chain.program_accounts::<Member>(decode::MEMBER_HUB_OFFSET, hub)?;
    let rows = leaderboard(&members, period.index, period.thresholds());
    let registered = chain
        .program_accounts::<Registration>(decode::PERIOD_FIELD_OFFSET, period_key)?
        .into_iter()
        .map(|(_, r)| r.member)
        .collect();
    Ok((rows, registered))
}

/// `referral register`: one wallet, or every ranked, unregistered member (progress bar).
pub fn register(
    chain: &Chain,
    kp: &Keypair,
    hub: &Pubkey,
    which: PeriodRef,
    wallet: Option<Pubkey>,
    progress: bool,
) -> Result<Out> {
    let index = resolve(chain, hub, which)?;
    let (period_key, period) = load_period(chain, hub, index)?;
    let t = now();
    if t < period.end {
        bail!(
            "period {index} has not ended: registration opens at unix {} ({} s from now)",
            period.end,
            period.end - t
        );
    }
    if t >= period.registration_end {
        bail!("the registration window of period {index} closed at unix {}", period.registration_end);
    }
    let wallets: Vec<Pubkey> = match wallet {
        Some(w) => vec![w],
        None => {
            let (rows, registered) = ranked(chain, hub, &period_key, &period)?;
            rows.into_iter().filter(|r| r.tier.is_some() && !registered.contains(&r.member)).map(|r| r.wallet).collect()
        }
    };
    let bar =
        if progress && wallets.len() > 1 { ProgressBar::new(wallets.len() as u64) } else { ProgressBar::hidden() };
    bar.set_style(
        ProgressStyle::with_template("registering {bar:30} {pos}/{len} {msg}")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    let mut done = Vec::new();
    let mut failed = Vec::new();
    for w in &wallets {
        bar.set_message(w.to_string());
        match chain.send(&[ix::register(&kp.pubkey(), hub, &period_key, w)], kp, &[]) {
            Ok(sig) => done.push(json!({ "wallet": w.to_string(), "signature": sig })),
            Err(e) => failed.push(json!({ "wallet": w.to_string(), "error": format!("{e:#}") })),
        }
        bar.inc(1);
    }
    bar.finish_and_clear();
    if wallet.is_some() && !failed.is_empty() {
        bail!("{}", failed[0]["error"].as_str().unwrap_or("registration failed"));
    }
    Ok(Out::kv(
        "registration",
        json!({ "period": index, "registered": done.len(), "failed": failed.len(), "details": done, "failures": failed }),
    ))
}

/// `referral claim-reward`: from one pool (`--funder`, with `--mint` for tokens), or from every pool of the
/// period the wallet has not claimed from yet.
pub fn claim(
    chain: &Chain,
    kp: &Keypair,
    hub: &Pubkey,
    which: PeriodRef,
    funder: Option<Pubkey>,
    mint: Option<Pubkey>,
) -> Result<Out> {
    let index = resolve(chain, hub, which)?;
    let (period_key, period) = load_period(chain, hub, index)?;
    let member = pda::member(hub, &kp.pubkey()).0;
    let reg_key = pda::registration(&period_key, &member).0;
    let reg: Registration = chain.account(&reg_key)?.ok_or_else(|| {
        anyhow!("{} is not registered for period {index}: it can claim nothing from its pools", kp.pubkey())
    })?;
    let pools = chain.program_accounts::<RewardPool>(decode::PERIOD_FIELD_OFFSET, &period_key)?;
    let tiers = usize::from(period.tier_count);
    let share = |p: &RewardPool| {
        reward_share(p.funded, &period.tier_shares_bps[..tiers], &period.tier_totals[..tiers], reg.tier, reg.points)
            .unwrap_or(0)
    };
    let mut chosen: Vec<&RewardPool> = Vec::new();
    let mut to_collect: Vec<(Pubkey, &RewardPool)> = Vec::new();
    let mut nothing_for_you = 0usize;
    for (key, p) in &pools {
        if funder.is_some_and(|f| p.funder != f) || mint.is_some_and(|m| p.mint != m) {
            continue;
        }
        // Claimed already: its claim record exists; what it still owes (a deferred claim) is collected.
        if let Some(record) = chain.account::<RewardClaim>(&pda::reward_claim(key, &reg_key).0)? {
            if record.owed > 0 {
                to_collect.push((*key, p));
            }
            continue;
        }
        // Claiming every pool: skip those that would pay this member nothing (dust pools).
        if funder.is_none() && share(p) == 0 {
            nothing_for_you += 1;
            continue;
        }
        chosen.push(p);
    }
    if chosen.is_empty() && to_collect.is_empty() {
        bail!(
            "nothing left to claim for period {index}: every matching pool is claimed, pays you nothing \
             ({nothing_for_you} such), or there is none"
        );
    }
    let mut claims = Vec::new();
    for p in chosen {
        let sig = if p.is_sol() {
            chain.send(&[ix::claim_reward(&kp.pubkey(), hub, &period_key, &p.funder)], kp, &[])?
        } else {
            let dest = pda::ata(&kp.pubkey(), &p.mint, &p.token_program);
            let create = anchor_spl::associated_token::spl_associated_token_account::instruction::create_associated_token_account_idempotent(
                &kp.pubkey(), &kp.pubkey(), &p.mint, &p.token_program,
            );
            let claim =
                ix::claim_reward_token(&kp.pubkey(), hub, &period_key, &p.funder, &p.mint, &p.token_program, &dest);
            chain.send(&[create, claim], kp, &[])?
        };
        // A token that cannot move now (a frozen vault or account, a paused mint) defers the claim: its
        // amount is kept for the member and collected later.
        let pool_key = pda::reward_pool(&period_key, &p.funder, &p.mint).0;
        let deferred =
            chain.account::<RewardClaim>(&pda::reward_claim(&pool_key, &reg_key).0)?.is_some_and(|r| r.owed > 0);
        claims.push(json!({
            "funder": p.funder.to_string(), "mint": p.mint.to_string(), "deferred": deferred, "signature": sig
        }));
    }
    let mut collected = Vec::new();
    for (pool_key, p) in to_collect {
        let dest = pda::ata(&kp.pubkey(), &p.mint, &p.token_program);
        let collect = ix::collect_reward(&kp.pubkey(), &pool_key, &reg_key, &p.mint, &p.token_program, &dest);
        match chain.send(&[collect], kp, &[]) {
            Ok(sig) => collected.push(json!({ "pool": pool_key.to_string(), "signature": sig })),
            Err(e) => collected.push(json!({ "pool": pool_key.to_string(), "still_deferred": format!("{e:#}") })),
        }
    }
    Ok(Out::kv(
        "rewards claimed",
        json!({
            "period": index,
            "claims": claims,
            "collected": collected,
            "skipped_pools_paying_nothing": nothing_for_you
        }),
    ))
}

/// `referral close-pool`: returns what is left in a pool to its funder after the claim window.
pub fn close_pool(
    chain: &Chain,
    kp: &Keypair,
    hub: &Pubkey,
    which: PeriodRef,
    funder: Pubkey,
    mint: Option<Pubkey>,
) -> Result<Out> {
    let index = resolve(chain, hub, which)?;
    let (period_key, _) = load_period(chain, hub, index)?;
    let pool_key = pda::reward_pool(&period_key, &funder, &mint.unwrap_or_default()).0;
    let pool: RewardPool = chain.account(&pool_key)?.ok_or_else(|| anyhow!("no such pool ({pool_key})"))?;
    let ixn = if pool.is_sol() {
        ix::close_pool(hub, &period_key, &funder)
    } else {
        ix::close_pool_token(hub, &period_key, &funder, &pool.mint, &pool.token_program)
    };
    let sig = chain.send(&[ixn], kp, &[])?;
    Ok(Out::kv("pool closed", json!({ "pool": pool_key.to_string(), "signature": sig })))
}

/// `referral leaderboard`: the period's members by referral points with tiers, and warnings for ranked
/// members not registered while registration is still possible.
pub fn board(chain: &Chain, hub: &Pubkey, which: PeriodRef, limit: usize) -> Result<Out> {
    let h = load_hub(chain, hub)?;
    let index = resolve(chain, hub, which)?;
    let thresholds = h.rules.tier_thresholds.get(..usize::from(h.rules.tier_count)).unwrap_or(&[]).to_vec();
    let members = chain.program_accounts::<Member>(decode::MEMBER_HUB_OFFSET, hub)?;
    let mut rows = leaderboard(&members, index, &thresholds);
    let (period_key, _) = pda::period(hub, index);
    let warnings = match chain.account::<Period>(&period_key)? {
        Some(p) => {
            let registered: Vec<Pubkey> = chain
                .program_accounts::<Registration>(decode::PERIOD_FIELD_OFFSET, &period_key)?
                .into_iter()
                .map(|(_, r)| r.member)
                .collect();
            registration_warnings(&rows, &registered, index, p.end, p.registration_end, now())
        }
        None => Vec::new(),
    };
    rows.truncate(limit);
    Ok(output::leaderboard(index, &rows, usize::from(h.rules.tier_count), &warnings))
}
