//! `cargo run -p idl-gen` writes idl/<program>.json for every program; `-- --check` fails when a committed
//! IDL differs from what the code generates (SPEC ). Uses anchor-lang-idl's builder, the library
//! behind `anchor idl build`, so no Anchor CLI is needed.
use std::path::{Path, PathBuf};
use std::process::ExitCode;

const PROGRAMS: [(&str, &str); 2] =
    [("programs/referral", "referral"), ("programs/demo-marketplace", "demo_marketplace")];

fn main() -> ExitCode {
    let check = std::env::args().any(|a| a == "--check");
    // anchor-lang-idl 0.1.4 passes a literal "+{toolchain}" to cargo when RUSTUP_TOOLCHAIN is set (which
    // rustup sets under `cargo run`); without it, cargo resolves the toolchain as usual.
    std::env::remove_var("RUSTUP_TOOLCHAIN");
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut stale = Vec::new();
    for (dir, name) in PROGRAMS {
        let idl = match anchor_lang_idl::build::IdlBuilder::new().program_path(root.join(dir)).resolution(true).build()
        {
            Ok(idl) => idl,
            Err(e) => {
                eprintln!(
                    "error: building the IDL of {dir} failed: {e:#}. Run with ANCHOR_LOG=1 to see cargo's output."
                );
                return ExitCode::FAILURE;
            }
        };
        let json = match serde_json::to_string_pretty(&idl) {
            Ok(j) => j + "\n",
            Err(e) => {
                eprintln!("error: serializing the IDL of {dir}: {e}");
                return ExitCode::FAILURE;
            }
        };
        let path = root.join("idl").join(format!("{name}.json"));
        if check {
            if std::fs::read_to_string(&path).ok().as_deref() != Some(json.as_str()) {
                stale.push(path);
            }
        } else if let Err(e) = write(&path, &json) {
            eprintln!("error: writing {}: {e}", path.display());
            return ExitCode::FAILURE;
        } else {
            println!("wrote {}", path.display());
        }
    }
    if !stale.is_empty() {
        for p in &stale {
            eprintln!("error: {} differs from the code: run `cargo run -p idl-gen` and commit it", p.display());
        }
        return ExitCode::FAILURE;
    }
    if check {
        println!("idl/ matches the code");
    }
    ExitCode::SUCCESS
}

fn write(path: &Path, json: &str) -> std::io::Result<()> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    std::fs::write(path, json)
}

/// Checks on the committed IDLs that integrators rely on (issue 8, point 6; ). `--check` proves the
/// files match the code; these prove the code says what integrators need.
#[cfg(test)]
mod tests {
    use serde_json::Value;

    fn load(name: &str) -> Value {
        let path = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../idl").join(format!("{name}.json"));
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
    }

    fn instruction<'a>(idl: &'a Value, name: &str) -> &'a Value {
        idl["instructions"]
            .as_array()
            .and_then(|v| v.iter().find(|i| i["name"] == name))
            .unwrap_or_else(|| panic!("no {name}"))
    }

    fn docs(v: &Value) -> Vec<String> {
        v["docs"]
            .as_array()
            .map(|d| d.iter().filter_map(|l| l.as_str().map(String::from)).collect())
            .unwrap_or_default()
    }

    // Multi-line account docs survive whole: Anchor drops a doc line that starts with "CHECK:", so a
    // description that began with it lost its first line. No account doc may start mid-sentence, and the
    // unchecked accounts of the trade path are documented.
    #[test]
    fn account_docs_survive_whole() {
        for name in ["referral", "demo_marketplace"] {
            let idl = load(name);
            for ix in idl["instructions"].as_array().expect("instructions") {
                for acc in ix["accounts"].as_array().expect("accounts") {
                    let d = docs(acc);
                    if let Some(first) = d.first() {
                        let c = first.chars().next().unwrap_or(' ');
                        assert!(
                            c.is_uppercase() || c == '`',
                            "{name}.{}.{}: doc starts mid-sentence: {first:?}",
                            ix["name"],
                            acc["name"]
                        );
                    }
                }
            }
        }
        let idl = load("referral");
        for (ix, acc) in [
            ("route_fee", "trader"),
            ("route_fee_token", "trader"),
            ("route_fee_token", "referrer_vault"),
            ("award_points", "trader"),
            ("join", "member"),
            ("create_hub", "hub"),
        ] {
            let accounts = instruction(&idl, ix)["accounts"].as_array().expect("accounts").clone();
            let a = accounts.iter().find(|a| a["name"] == acc).unwrap_or_else(|| panic!("{ix}.{acc}"));
            let text = docs(a).join(" ");
            assert!(text.contains("(CHECK)"), "{ix}.{acc} documents why it is unchecked: {text:?}");
            assert!(docs(a).len() >= 2, "{ix}.{acc}: the whole multi-line doc: {text:?}");
        }
    }

    // Seeds, code rules, limits and flag bits are constants in the IDL.
    #[test]
    fn constants_are_published() {
        let idl = load("referral");
        let names: Vec<&str> =
            idl["constants"].as_array().expect("constants").iter().filter_map(|c| c["name"].as_str()).collect();
        for c in [
            "HUB_SEED",
            "MEMBER_SEED",
            "CODE_SEED",
            "STAKE_SEED",
            "ESCROW_SEED",
            "PENDING_SEED",
            "METADATA_SEED",
            "EDITION_SEED",
            "MIN_CODE_LEN",
            "MAX_CODE_LEN",
            "CODE_ALPHABET",
            "MAX_DEPTH",
            "MAX_REFERRER_FEE_BPS",
            "MAX_MILESTONES",
            "MAX_TIERS",
            "MAX_REPORTERS",
            "MAX_MIN_STAKE_SECONDS",
            "MIN_CONFIG_NOTICE_SECONDS",
            "PAUSE_SIGNUPS",
            "PAUSE_STAKING",
            "PAUSE_ROUTING",
            "PAUSE_CLAIMS",
            "MEMBER_FLAG_PREV_REGISTERED",
        ] {
            assert!(names.contains(&c), "constant {c} missing from the IDL ({names:?})");
        }
        let seed =
            idl["constants"].as_array().and_then(|v| v.iter().find(|c| c["name"] == "MEMBER_SEED")).expect("seed");
        assert_eq!(seed["value"], "[109, 101, 109, 98, 101, 114]", "b\"member\"");
        let market = idl_names(&load("demo_marketplace"));
        for c in ["MARKET_SEED", "REPORTER_SEED", "LISTING_SEED", "ESCROW_SEED", "FEE_BPS"] {
            assert!(market.contains(&c.to_string()), "marketplace constant {c} missing");
        }
    }

    fn idl_names(idl: &Value) -> Vec<String> {
        idl["constants"]
            .as_array()
            .map(|v| v.iter().filter_map(|c| c["name"].as_str().map(String::from)).collect())
            .unwrap_or_default()
    }

    // The extra accounts each instruction needs are stated in its IDL docs; the error a trade report gets
    // without its referrer names the trade case.
    #[test]
    fn remaining_accounts_and_errors_are_explained() {
        let idl = load("referral");
        for ix in ["join", "set_referrer", "route_fee", "route_fee_token", "award_points"] {
            let text = docs(instruction(&idl, ix)).join(" ");
            assert!(text.contains("Remaining accounts:"), "{ix} docs name its remaining accounts: {text:?}");
            assert!(text.contains("upline"), "{ix}: {text:?}");
        }
        for ix in ["route_fee", "route_fee_token", "award_points"] {
            assert!(docs(instruction(&idl, ix)).join(" ").contains("depth"), "{ix}: by hub depth");
        }
        let market = load("demo_marketplace");
        assert!(docs(instruction(&market, "buy")).join(" ").contains("Remaining accounts:"));
        let err = idl["errors"]
            .as_array()
            .and_then(|v| v.iter().find(|e| e["name"] == "ReferrerAccountMissing"))
            .expect("error");
        let msg = err["msg"].as_str().unwrap_or("");
        assert!(msg.contains("trade report") && msg.contains("route_fee"), "{msg}");
    }

    // Anchor.toml lists both programs with the ids their IDLs declare.
    #[test]
    fn anchor_toml_lists_every_program() {
        let path = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../Anchor.toml");
        let toml = std::fs::read_to_string(&path).expect("Anchor.toml");
        for name in ["referral", "demo_marketplace"] {
            let address = load(name)["address"].as_str().expect("address").to_string();
            assert!(toml.contains(&format!("{name} = \"{address}\"")), "Anchor.toml lacks {name} = \"{address}\"");
        }
    }
}
