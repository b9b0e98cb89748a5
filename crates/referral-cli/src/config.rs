//! Solana CLI habits: `--url` (monikers or a URL; default from ~/.config/solana/cli/config.yml, else
//! localhost), `--keypair` (default from the same file, else ~/.config/solana/id.json).
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use solana_keypair::{read_keypair_file, Keypair};

/// What the Solana CLI config file says (only the two keys we use).
#[derive(Default, Debug, PartialEq, Eq)]
pub struct SolanaConfig {
    pub json_rpc_url: Option<String>,
    pub keypair_path: Option<String>,
}

fn home() -> PathBuf {
    std::env::var_os("HOME").map(PathBuf::from).unwrap_or_else(|| PathBuf::from("."))
}

/// Reads `key: value` lines of the Solana CLI's YAML config (flat keys, optional quotes). A full YAML
/// parser is not needed for the two scalar keys we read.
pub fn parse_solana_config(text: &str) -> SolanaConfig {
    let mut c = SolanaConfig::default();
    for line in text.lines() {
        let Some((k, v)) = line.split_once(':') else { continue };
        let v = v.trim().trim_matches(|ch| ch == '"' || ch == '\'').to_string();
        match k.trim() {
            "json_rpc_url" if !v.is_empty() => c.json_rpc_url = Some(v),
            "keypair_path" if !v.is_empty() => c.keypair_path = Some(v),
            _ => {}
        }
    }
    c
}

fn solana_config() -> SolanaConfig {
    let path = home().join(".config/solana/cli/config.yml");
    std::fs::read_to_string(path).map(|t| parse_solana_config(&t)).unwrap_or_default()
}

/// The RPC URL for `--url` (monikers: localhost, devnet, testnet, mainnet-beta; short forms l, d, t, m).
pub fn resolve_url(arg: Option<&str>) -> String {
    let raw = arg.map(str::to_string).or_else(|| solana_config().json_rpc_url).unwrap_or_else(|| "localhost".into());
    match raw.as_str() {
        "l" | "localhost" => "http://127.0.0.1:8899".into(),
        "d" | "devnet" => "https://api.devnet.solana.com".into(),
        "t" | "testnet" => "https://api.testnet.solana.com".into(),
        "m" | "mainnet-beta" => "https://api.mainnet-beta.solana.com".into(),
        _ => raw,
    }
}

/// The keypair path for `--keypair`.
pub fn resolve_keypair_path(arg: Option<&Path>) -> PathBuf {
    arg.map(Path::to_path_buf)
        .or_else(|| solana_config().keypair_path.map(PathBuf::from))
        .unwrap_or_else(|| home().join(".config/solana/id.json"))
}

/// Loads the signer, with an error that says what to do.
pub fn load_keypair(path: &Path) -> Result<Keypair> {
    if !path.exists() {
        anyhow::bail!(
            "keypair file {} not found: pass --keypair <FILE>, or create one with `solana-keygen new -o {}`",
            path.display(),
            path.display()
        );
    }
    read_keypair_file(path)
        .map_err(|e| anyhow::anyhow!("{e}"))
        .with_context(|| format!("{} is not a keypair file (a JSON array of 64 bytes)", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_cli_config() {
        let c = parse_solana_config("---\njson_rpc_url: \"https://api.devnet.solana.com\"\nwebsocket_url: ''\nkeypair_path: /home/u/.config/solana/id.json\ncommitment: confirmed\n");
        assert_eq!(c.json_rpc_url.as_deref(), Some("https://api.devnet.solana.com"));
        assert_eq!(c.keypair_path.as_deref(), Some("/home/u/.config/solana/id.json"));
        assert_eq!(parse_solana_config(""), SolanaConfig::default());
    }

    #[test]
    fn monikers() {
        assert_eq!(resolve_url(Some("l")), "http://127.0.0.1:8899");
        assert_eq!(resolve_url(Some("devnet")), "https://api.devnet.solana.com");
        assert_eq!(resolve_url(Some("http://10.0.0.1:8899")), "http://10.0.0.1:8899");
    }
}
