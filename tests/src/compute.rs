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
    ("create_hub (default config)", 9_500),
    ("join (no referrer)", 9_300),
    ("join (referrer by address, no upline)", 11_200),
    ("join (code, referrer at depth 3: 4 counts written)", 18_200),
    ("make_code", 18_000),
    ("set_referrer (by address, upline 1)", 7_900),
    ("stake_nft", 26_000),
    ("unstake_nft", 14_200),
    ("route_fee (SOL, referrer, depth 2)", 10_800),
    ("route_fee (SOL, trader not a member)", 3_500),
    ("route_fee_token (SPL, first use: creates the vault)", 33_100),
    ("route_fee_token (SPL, vault exists)", 14_000),
    ("award_points (referrer, depth 2)", 8_000),
    ("claim_fees", 3_200),
    ("claim_token_fees", 7_100),
    ("route_fee inside buy (CPI, depth 2)", 10_800),
    ("demo marketplace buy (referral CPI)", 35_600),
    ("demo marketplace buy_plain (plain fee transfer)", 20_400),
    ("set_pause", 4_500),
    ("propose_admin", 4_600),
    ("accept_admin", 4_600),
    ("propose_config", 11_300),
    ("cancel_config", 4_400),
    ("apply_config", 7_300),
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
    config.reporters = vec![reporter.pubkey(), referral_client::market::reporter()];
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

    measure_trading(&mut fx, &hub, &reporter, collection, &wallets, &mut push).await;
    measure_admin(&mut fx, &hub, &creator, &wallets[9], &mut push).await;
    out
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
    let mut config = fx.account::<Hub>(hub).await.expect("hub").config;
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
    collection: Pubkey,
    wallets: &[Keypair],
    push: &mut impl FnMut(&'static str, u64, Option<usize>),
) {
    use crate::tokens::{NftSpec, TOKEN};
    use referral_client::{ix, market, RouteFeeArgs};
    let (w1, w2) = (&wallets[1], &wallets[2]);

    let name = "stake_nft";
    let (mint, token) = fx.nft_at(&fixed(50), &w1.pubkey(), NftSpec::of(collection)).await;
    let cu = cu_of(name, fx.send(&[ix::stake_nft(&w1.pubkey(), &w1.pubkey(), hub, &mint, &token)], &[w1]).await);
    push(name, cu, Some(referral_client::StakeReceipt::SPACE));
    let (mint2, token2) = fx.nft_at(&fixed(51), &w1.pubkey(), NftSpec::of(collection)).await;
    cu_of("stake 2", fx.send(&[ix::stake_nft(&w1.pubkey(), &w1.pubkey(), hub, &mint2, &token2)], &[w1]).await);
    let name = "unstake_nft";
    let cu = cu_of(name, fx.send(&[ix::unstake_nft(&w1.pubkey(), hub, &mint2, &token2)], &[w1]).await);
    push(name, cu, None);

    // w2 trades: referrer w1 (1 NFT staked, eligible), level 2 w0.
    let trade = fx.trade_of(hub, &w2.pubkey()).await;
    assert_eq!(trade.upline.len(), 1, "depth 2: one upline account");
    let args = RouteFeeArgs { fee: 2_000_000_000, base_points: 5_000 };
    let name = "route_fee (SOL, referrer, depth 2)";
    let cu = cu_of(
        name,
        fx.send(&[ix::route_fee(&reporter.pubkey(), hub, &w2.pubkey(), &trade, args)], &[reporter, w2]).await,
    );
    push(name, cu, None);
    let name = "route_fee (SOL, trader not a member)";
    let stranger = fixed(30);
    fx.fund(&stranger.pubkey(), crate::WALLET_LAMPORTS).await;
    let none = fx.trade_of(hub, &stranger.pubkey()).await;
    let cu = cu_of(
        name,
        fx.send(&[ix::route_fee(&reporter.pubkey(), hub, &stranger.pubkey(), &none, args)], &[reporter, &stranger])
            .await,
    );
    push(name, cu, None);

    let auth = fixed(31);
    let fee_mint = fx.mint_at(&fixed(32), &auth, 6, TOKEN).await;
    let w2_token = fx.ata(&w2.pubkey(), &fee_mint, TOKEN).await;
    fx.mint_to(&auth, &fee_mint, &w2_token, 1_000_000_000, TOKEN).await;
    let targs = RouteFeeArgs { fee: 1_000_000, base_points: 100 };
    for name in ["route_fee_token (SPL, first use: creates the vault)", "route_fee_token (SPL, vault exists)"] {
        let ixt =
            ix::route_fee_token(&reporter.pubkey(), hub, &w2.pubkey(), &w2_token, &fee_mint, &TOKEN, &trade, targs);
        let cu = cu_of(name, fx.send(&[ixt], &[reporter, w2]).await);
        push(name, cu, None);
    }

    let name = "award_points (referrer, depth 2)";
    let cu = cu_of(name, fx.send(&[ix::award_points(&reporter.pubkey(), hub, &trade, 1_000)], &[reporter]).await);
    push(name, cu, None);

    let name = "claim_fees";
    let cu = cu_of(name, fx.send(&[ix::claim_fees(&w1.pubkey(), hub)], &[w1]).await);
    push(name, cu, None);
    let name = "claim_token_fees";
    let w1_token = fx.ata(&w1.pubkey(), &fee_mint, TOKEN).await;
    let cu =
        cu_of(name, fx.send(&[ix::claim_token_fees(&w1.pubkey(), hub, &fee_mint, &TOKEN, &w1_token)], &[w1]).await);
    push(name, cu, None);

    // The same purchase twice, by the same referred buyer: with the referral CPI and with a plain fee.
    let treasury = fx.init_market(hub).await;
    let seller = fixed(40);
    fx.fund(&seller.pubkey(), crate::WALLET_LAMPORTS).await;
    for (name, key, route) in [
        ("demo marketplace buy (referral CPI)", 60u8, true),
        ("demo marketplace buy_plain (plain fee transfer)", 61u8, false),
    ] {
        let listed = fx.list_nft(&seller, &fixed(key), 10_000_000_000).await;
        let sent = fx.buy(hub, &treasury, w2, &listed, route).await;
        if let Ok(s) = &sent {
            if route {
                let inner = crate::nested_cu(&s.logs, &referral::ID);
                assert_eq!(inner.len(), 1, "one route_fee CPI inside buy");
                push("route_fee inside buy (CPI, depth 2)", inner[0], None);
            }
        }
        let cu = cu_of_program(name, sent, &market::ID);
        push(name, cu, None);
    }
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
        "| instruction (scenario) | CU | ceiling pinned in tests | account created (bytes) | rent (lamports) |\n",
    );
    s.push_str("|---|---:|---:|---:|---:|\n");
    for r in rows {
        let bytes = r.account_bytes.map(|b| b.to_string()).unwrap_or_else(|| "-".into());
        let rent = r.rent_lamports.map(|b| b.to_string()).unwrap_or_else(|| "-".into());
        s.push_str(&format!("| {} | {} | {} | {} | {} |\n", r.name, r.cu, r.ceiling, bytes, rent));
    }
    let cu = |name: &str| rows.iter().find(|r| r.name == name).map(|r| r.cu);
    s.push_str("\n## Goals (SPEC R-8.1)\n\n");
    s.push_str("- Every instruction under 60,000 CU: ");
    let max = rows.iter().max_by_key(|r| r.cu);
    s.push_str(&match max {
        Some(r) => format!("the largest is {} at {} CU.\n", r.name, r.cu),
        None => "nothing measured.\n".into(),
    });
    if let Some(rf) = cu("route_fee (SOL, referrer, depth 2)") {
        let verdict = if rf <= 10_000 { "meets" } else { "misses" };
        s.push_str(&format!(
            "- `route_fee` (SOL, referrer, depth 2): {rf} CU; ceiling 40,000, goal 10,000: {verdict} the goal.\n"
        ));
    }
    if let (Some(rf), Some(base), Some(award)) = (
        cu("route_fee (SOL, referrer, depth 2)"),
        cu("route_fee (SOL, trader not a member)"),
        cu("award_points (referrer, depth 2)"),
    ) {
        s.push_str(&format!(
            "- What `route_fee` spends, from the scenarios above: {base} CU to enter, load the hub, check the reporter \
             and return (the non-member path); {} CU to load, verify, credit and write the three Member accounts and \
             emit the event (award_points minus that); {} CU for the fee split and the system-transfer CPI into the \
             referrer's account (route_fee minus award_points).\n",
            award.saturating_sub(base),
            rf.saturating_sub(award)
        ));
    }
    if let (Some(buy), Some(plain), Some(inner)) = (
        cu("demo marketplace buy (referral CPI)"),
        cu("demo marketplace buy_plain (plain fee transfer)"),
        cu("route_fee inside buy (CPI, depth 2)"),
    ) {
        let ratio = buy as f64 / plain as f64;
        let verdict = if ratio <= 1.3 { "meets" } else { "misses" };
        let extra = buy.saturating_sub(plain);
        s.push_str(&format!(
            "- Marketplace `buy` with the referral CPI / the same `buy` with a plain fee transfer: {buy} / {plain} = \
             {ratio:.2}; goal <= 1.30: {verdict} the goal. The CPI adds {extra} CU: {inner} CU inside `route_fee` \
             itself, {} CU for the CPI (invoke, account and data copies, return data) and the caller's \
             preparation, less the plain version's one fee transfer.\n",
            extra.saturating_sub(inner)
        ));
    }
    s
}
