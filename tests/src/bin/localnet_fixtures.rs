//! Genesis accounts for the local validator (issue 12, `scripts/localnet.sh`): funded wallets, NFTs of a
//! collection with their Token Metadata accounts (the Metaplex program does not run here, so its accounts
//! are written at genesis exactly as the test bank writes them, D-21), and the hub config of the local hub.
//!
//!   localnet_fixtures <dir>
//!
//! Writes `<dir>/accounts/*.json` (the format of `solana account --output json`, loaded with
//! `solana-test-validator --account-dir`), `<dir>/wallets/<name>.json` (keypairs, Solana CLI format),
//! `<dir>/hub.toml` (migrations/hub.example.toml with the collection, a milestone table and the demo
//! marketplace's reporter) and `<dir>/fixture.json` (every address the end-to-end tests use).
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use anchor_lang::__private::base64::{engine::general_purpose::STANDARD, Engine};
use anchor_lang::prelude::Pubkey;
use anchor_lang::solana_program::program_pack::Pack;
use anchor_spl::token::spl_token;
use referral_tests::tokens::{metadata_account, metadata_bytes, NftSpec};
use solana_keypair::Keypair;
use solana_signer::Signer;

/// The wallets of the local cluster, each funded at genesis.
const WALLETS: [&str; 8] = ["admin", "alice", "bob", "carol", "dave", "erin", "seller", "browser"];
/// Lamports each wallet holds at genesis (1,000 SOL).
const WALLET_LAMPORTS: u64 = 1_000_000_000_000;
/// NFTs of the collection held at genesis: `bob` stakes them (CLI test), `seller` lists them on the demo
/// marketplace, `browser` holds one.
const NFTS: [(&str, usize); 3] = [("bob", 2), ("browser", 1), ("seller", 3)];

fn main() {
    let Some(dir) = std::env::args().nth(1).map(PathBuf::from) else {
        eprintln!("usage: localnet_fixtures <dir>");
        std::process::exit(2);
    };
    if let Err(e) = run(&dir) {
        eprintln!("localnet_fixtures: {e}");
        std::process::exit(1);
    }
}

fn run(dir: &Path) -> Result<(), String> {
    let accounts = dir.join("accounts");
    let wallets = dir.join("wallets");
    for d in [&accounts, &wallets] {
        std::fs::create_dir_all(d).map_err(|e| format!("{}: {e}", d.display()))?;
    }
    let mut fixture = String::from("{\n  \"wallets\": {");
    let mut keys = Vec::new();
    for (i, name) in WALLETS.iter().enumerate() {
        let kp = Keypair::new();
        let bytes = kp.to_bytes().iter().map(|b| b.to_string()).collect::<Vec<_>>().join(",");
        write(&wallets.join(format!("{name}.json")), &format!("[{bytes}]"))?;
        write_account(&accounts, &kp.pubkey(), WALLET_LAMPORTS, &[], &Pubkey::default())?;
        let sep = if i == 0 { "" } else { "," };
        let _ = write!(fixture, "{sep}\n    \"{name}\": \"{}\"", kp.pubkey());
        keys.push((*name, kp.pubkey()));
    }
    fixture.push_str("\n  },\n");
    let key = |n: &str| keys.iter().find(|(k, _)| *k == n).map(|(_, p)| *p).unwrap_or_default();

    // The collection: any key works as a collection mint for the metadata's verified collection field.
    let collection = Keypair::new().pubkey();
    let _ = writeln!(fixture, "  \"collection\": \"{collection}\",\n  \"nfts\": {{");
    let token_rent = |len: usize| solana_rent::Rent::default().minimum_balance(len);
    for (n, (owner_name, count)) in NFTS.iter().enumerate() {
        let owner = key(owner_name);
        let mut mints = Vec::new();
        for _ in 0..*count {
            let mint = Keypair::new().pubkey();
            let edition = referral_client::pda::master_edition(&mint);
            let mut data = vec![0u8; spl_token::state::Mint::LEN];
            spl_token::state::Mint {
                mint_authority: Some(edition).into(),
                supply: 1,
                decimals: 0,
                is_initialized: true,
                freeze_authority: Some(edition).into(),
            }
            .pack_into_slice(&mut data);
            write_account(&accounts, &mint, token_rent(data.len()), &data, &spl_token::ID)?;
            let ata = referral_client::pda::ata(&owner, &mint, &spl_token::ID);
            let mut data = vec![0u8; spl_token::state::Account::LEN];
            spl_token::state::Account {
                mint,
                owner,
                amount: 1,
                state: spl_token::state::AccountState::Initialized,
                ..spl_token::state::Account::default()
            }
            .pack_into_slice(&mut data);
            write_account(&accounts, &ata, token_rent(data.len()), &data, &spl_token::ID)?;
            let md = metadata_account(
                metadata_bytes(&mint, &key("admin"), NftSpec::of(collection)),
                anchor_spl::metadata::ID,
            );
            write_account(&accounts, &referral_client::pda::metadata(&mint), md.lamports, &md.data, &md.owner)?;
            mints.push(format!("\"{mint}\""));
        }
        let sep = if n + 1 == NFTS.len() { "" } else { "," };
        let _ = writeln!(fixture, "    \"{owner_name}\": [{}]{sep}", mints.join(", "));
    }
    let market = referral_client::market::market(&key("admin"));
    let reporter = referral_client::market::reporter(&market);
    let _ = writeln!(fixture, "  }},\n  \"market\": \"{market}\",\n  \"reporter\": \"{reporter}\"\n}}");
    write(&dir.join("fixture.json"), &fixture)?;

    // The local hub: the example config with the collection, milestones and the marketplace's reporter.
    let example = include_str!("../../../migrations/hub.example.toml");
    let mut hub = String::new();
    for line in example.lines() {
        match line.split_whitespace().next() {
            Some("min_stake_to_earn") => hub.push_str("min_stake_to_earn = 0\n"),
            Some("#") if line.contains("collection =") => {
                let _ = writeln!(hub, "collection = \"{collection}\"");
            }
            Some("#") if line.contains("reporters =") => {
                let _ = writeln!(hub, "reporters = [\"{reporter}\", \"{}\"]", key("admin"));
            }
            Some("[[tiers]]") if !hub.contains("[[milestones]]") => {
                hub.push_str(MILESTONES);
                hub.push_str(line);
                hub.push('\n');
            }
            _ => {
                hub.push_str(line);
                hub.push('\n');
            }
        }
    }
    write(&dir.join("hub.toml"), &hub)?;
    println!("{}", dir.display());
    Ok(())
}

/// Tensor-style milestones for the local hub: staked NFTs -> own multiplier and referee share.
const MILESTONES: &str = "[[milestones]]\ncount = 1\nmultiplier_bps = 11000\nshare_bps = 1000\n\
[[milestones]]\ncount = 2\nmultiplier_bps = 12000\nshare_bps = 1500\n";

fn write(path: &Path, text: &str) -> Result<(), String> {
    std::fs::write(path, text).map_err(|e| format!("{}: {e}", path.display()))
}

/// One genesis account in the JSON of `solana account --output json`.
fn write_account(dir: &Path, key: &Pubkey, lamports: u64, data: &[u8], owner: &Pubkey) -> Result<(), String> {
    let json = format!(
        "{{\"pubkey\":\"{key}\",\"account\":{{\"lamports\":{lamports},\"data\":[\"{}\",\"base64\"],\"owner\":\"{owner}\",\"executable\":false,\"rentEpoch\":0,\"space\":{}}}}}",
        STANDARD.encode(data),
        data.len()
    );
    write(&dir.join(format!("{key}.json")), &json)
}
