//! The CLI as a user meets it: argument errors, a missing keypair, an unreachable RPC URL (a clear
//! message within seconds), JSON output that parses, and the embedded demo's checks.
use std::process::{Command, Output};
use std::time::{Duration, Instant};

fn referral(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_referral"))
        .args(args)
        .env("HOME", std::env::temp_dir()) // no Solana CLI config of the machine leaks in
        .output()
        .expect("run the referral binary")
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn no_panic(o: &Output) {
    let e = stderr(o);
    assert!(!e.contains("panicked"), "a Rust panic reached the user:\n{e}");
}

const HUB: &str = "FX99cs7nEKSWFNh5GgnppBD94mGKiMrfD9ghC9uuq6YS";

// usage errors are clap's: exit code 2 and a message naming the problem.
#[test]
fn argument_errors() {
    let o = referral(&["frobnicate"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("unrecognized subcommand"), "{}", stderr(&o));
    let o = referral(&["show-hub", "--hub", "not-a-key"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("--hub"), "{}", stderr(&o));
    let o = referral(&["join", "--hub", HUB, "--code", "a", "--referrer", HUB]);
    assert_eq!(o.status.code(), Some(2), "code and referrer conflict");
    no_panic(&o);
}

// a missing keypair file says what to do.
#[test]
fn missing_keypair() {
    let o = referral(&["--keypair", "/nonexistent/id.json", "show-member", "--hub", HUB]);
    assert_eq!(o.status.code(), Some(1));
    let e = stderr(&o);
    assert!(e.contains("keypair file /nonexistent/id.json not found") && e.contains("solana-keygen new"), "{e}");
    no_panic(&o);
}

// an unreachable RPC URL gives a clear message within seconds, not a hang.
#[test]
fn unreachable_rpc() {
    let start = Instant::now();
    let o = referral(&["--url", "http://127.0.0.1:9", "show-hub", "--hub", HUB]);
    let took = start.elapsed();
    assert_eq!(o.status.code(), Some(1));
    let e = stderr(&o);
    assert!(e.contains("cannot reach the RPC node at http://127.0.0.1:9") && e.contains("--url"), "{e}");
    assert!(took < Duration::from_secs(10), "took {took:?}");
    no_panic(&o);
}

// create-hub --dry-run validates a TOML config with the program's rules and prints JSON.
#[test]
fn create_hub_dry_run_json() {
    let dir = tempfile::tempdir().expect("tempdir");
    let kp = dir.path().join("id.json");
    std::fs::write(&kp, solana_keypair_for_test(&[1u8; 32])).expect("write keypair");
    let cfg = dir.path().join("hub.toml");
    std::fs::write(&cfg, "hub_id = 7\nreferrer_fee_bps = 400\ndepth = 3\nlevel_shares_bps = [500, 200, 0]\n")
        .expect("write config");
    let o = referral(&[
        "--output",
        "json",
        "--keypair",
        kp.to_str().expect("path"),
        "create-hub",
        "--config",
        cfg.to_str().expect("path"),
        "--dry-run",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("JSON output parses");
    assert_eq!(v["hub_id"], 7);
    assert!(v["config"].as_str().expect("config").contains("referrer_fee_bps: 400"));
    // A rule violation is named before anything is sent.
    std::fs::write(&cfg, "referrer_fee_bps = 6000\n").expect("write config");
    let o = referral(&[
        "--keypair",
        kp.to_str().expect("path"),
        "create-hub",
        "--config",
        cfg.to_str().expect("path"),
        "--dry-run",
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("ReferrerFeeAboveCap"), "{}", stderr(&o));
    no_panic(&o);
}

/// A keypair file's contents (JSON array of 64 bytes) for the keypair with this secret seed.
fn solana_keypair_for_test(seed: &[u8; 32]) -> String {
    let kp = solana_keypair::Keypair::new_from_array(*seed);
    format!("{:?}", kp.to_bytes().to_vec())
}

// the demo's JSON output parses and its own checks hold (needs the SBF binaries, built by the
// test command first).
#[test]
fn demo_json() {
    let o = referral(&["demo", "--output", "json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("demo JSON parses");
    assert_eq!(v["members"].as_array().map(Vec::len), Some(11));
    assert_eq!(v["trades"].as_array().map(Vec::len), Some(10));
    assert_eq!(v["conservation"]["every_fee_split_exactly"], true);
    assert_eq!(v["conservation"]["every_lamport_accounted"], true);
    assert_eq!(v["leaderboard"][0]["name"], "alice");
}

// the deploy script's dry run prints the plan (program id, size, transactions, rents, hub) as JSON
// and sends nothing (the RPC URL is unreachable on purpose).
#[test]
fn deploy_dry_run() {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../..");
    let dir = tempfile::tempdir().expect("tempdir");
    let kp = dir.path().join("id.json");
    std::fs::write(&kp, solana_keypair_for_test(&[9u8; 32])).expect("write keypair");
    let so = format!("{root}/target/deploy/referral.so");
    let program_kp = format!("{root}/keys/referral-keypair.json");
    let cfg = format!("{root}/migrations/hub.example.toml");
    let o = referral(&[
        "--url",
        "http://127.0.0.1:9",
        "--output",
        "json",
        "--keypair",
        kp.to_str().expect("path"),
        "deploy",
        "--program-so",
        &so,
        "--program-keypair",
        &program_kp,
        "--hub-config",
        &cfg,
        "--dry-run",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("JSON");
    assert_eq!(v["program"], referral::ID.to_string());
    assert!(v["transactions"].as_u64().expect("count") > 100);
    assert!(v["hub"].is_string());
    // The wrong program keypair is refused with what to do.
    let o = referral(&[
        "--keypair",
        kp.to_str().expect("path"),
        "deploy",
        "--program-so",
        &so,
        "--program-keypair",
        kp.to_str().expect("path"),
        "--dry-run",
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("neither the referral program"), "{}", stderr(&o));
    assert!(stderr(&o).contains("matching program keypair from keys/"), "{}", stderr(&o));
    no_panic(&o);
    // the marketplace deploys beside the referral program, but a hub is created through the latter.
    let market_kp = format!("{root}/keys/demo_marketplace-keypair.json");
    let market_so = format!("{root}/target/deploy/demo_marketplace.so");
    let o = referral(&[
        "--keypair",
        kp.to_str().expect("path"),
        "--output",
        "json",
        "deploy",
        "--program-so",
        &market_so,
        "--program-keypair",
        &market_kp,
        "--dry-run",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("JSON");
    assert_eq!(v["program"], demo_marketplace::ID.to_string());
    let o = referral(&[
        "--keypair",
        kp.to_str().expect("path"),
        "deploy",
        "--program-so",
        &market_so,
        "--program-keypair",
        &market_kp,
        "--hub-config",
        &cfg,
        "--dry-run",
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("--hub-config creates a hub through the referral program"), "{}", stderr(&o));
    no_panic(&o);
}
