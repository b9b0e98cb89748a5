//! `referral deploy`: the deploy script's engine (SPEC, `migrations/deploy.sh`). Sends the plan of
//! `referral_client::deploy` over RPC with a progress bar, then creates a hub from a config file.
use std::path::Path;

use anyhow::{anyhow, bail, Context, Result};
use indicatif::{ProgressBar, ProgressStyle};
use referral_client::{deploy, ix, pda};
use serde_json::json;
use solana_keypair::Keypair;
use solana_signer::Signer;

use crate::chain::Chain;
use crate::config::load_keypair;
use crate::hub_toml::HubToml;
use crate::output::Out;

pub fn run(
    chain: &Chain,
    payer: &Keypair,
    so: &Path,
    program_keypair: &Path,
    hub_config: Option<&Path>,
    hub_id: Option<u64>,
    dry_run: bool,
) -> Result<Out> {
    let elf = std::fs::read(so)
        .with_context(|| format!("cannot read {}: build it with `bash scripts/build-sbf.sh`", so.display()))?;
    let program = load_keypair(program_keypair)?;
    if program.pubkey() != referral::ID {
        bail!(
            "{} holds {}, but the binary declares {}: deploy with the matching program keypair, or change declare_id! and rebuild",
            program_keypair.display(),
            program.pubkey(),
            referral::ID
        );
    }
    let hub = match hub_config {
        Some(path) => {
            let text = std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
            let file = HubToml::parse(&text)?;
            let id = hub_id.or(file.hub_id).unwrap_or(1);
            Some((id, file.to_config()?))
        }
        None => None,
    };
    let buffer = Keypair::new();
    let plan = deploy::plan(&payer.pubkey(), &program.pubkey(), &buffer.pubkey(), &payer.pubkey(), &elf)
        .map_err(|e| anyhow!(e))?;
    let summary = json!({
        "url": chain.url,
        "program": plan.program.to_string(),
        "program_bytes": plan.program_len,
        "transactions": plan.transactions.len(),
        "buffer_rent_lamports": plan.buffer_lamports,
        "program_rent_lamports": plan.program_lamports,
        "upgrade_authority": payer.pubkey().to_string(),
        "hub": hub.as_ref().map(|(id, _)| pda::hub(&payer.pubkey(), *id).0.to_string()),
        "note": "the cluster must accept SBPF v3 programs (agave 4.x)",
    });
    if dry_run {
        return Ok(Out::kv("deploy (dry run: nothing sent)", summary));
    }
    if chain.data(&program.pubkey())?.is_some() {
        bail!(
            "{} already exists on {}: this command deploys fresh programs only (upgrade with `solana program deploy`)",
            program.pubkey(),
            chain.url
        );
    }
    let bar = ProgressBar::new(plan.transactions.len() as u64);
    bar.set_style(
        ProgressStyle::with_template("deploying [{bar:40}] {pos}/{len} transactions {msg}")
            .map_err(|e| anyhow!("progress bar: {e}"))?
            .progress_chars("=> "),
    );
    for (i, tx) in plan.transactions.iter().enumerate() {
        chain
            .send(tx, payer, &[&buffer, &program])
            .with_context(|| format!("deploy transaction {} of {}", i + 1, plan.transactions.len()))?;
        bar.inc(1);
    }
    bar.finish_and_clear();
    let mut result = summary;
    if let Some((id, config)) = hub {
        let sig = chain.send(&[ix::create_hub(&payer.pubkey(), &payer.pubkey(), id, config)], payer, &[])?;
        result["hub_signature"] = json!(sig);
    }
    Ok(Out::kv("deployed", result))
}
