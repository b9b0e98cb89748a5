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

#[allow(clippy::too_many_arguments)]
pub fn run(
    chain: &Chain,
    payer: &Keypair,
    so: &Path,
    program_keypair: &Path,
    hub_config: Option<&Path>,
    hub_id: Option<u64>,
    dry_run: bool,
    skip_existing: bool,
) -> Result<Out> {
    let elf = std::fs::read(so)
        .with_context(|| format!("cannot read {}: build it with `bash scripts/build-sbf.sh`", so.display()))?;
    let program = load_keypair(program_keypair)?;
    // The ELF does not name its id in a parseable place; the keypair must be one of the two programs
    // built here, and the hub (when asked for) is created through the referral program.
    let known = [referral::ID, demo_marketplace::ID];
    if !known.contains(&program.pubkey()) {
        bail!(
            "{} holds {}, which is neither the referral program ({}) nor the demo marketplace ({}): deploy \
             with a matching program keypair from keys/, or change declare_id! and rebuild",
            program_keypair.display(),
            program.pubkey(),
            referral::ID,
            demo_marketplace::ID
        );
    }
    if hub_config.is_some() && program.pubkey() != referral::ID {
        bail!("--hub-config creates a hub through the referral program: deploy the referral program with it");
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
        if skip_existing && hub.is_none() {
            return Ok(Out::kv("already deployed (nothing sent)", summary));
        }
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
    let total = plan.transactions.len();
    let (first, rest) = plan.transactions.split_first().ok_or_else(|| anyhow!("empty deploy plan"))?;
    let (last, writes) = rest.split_last().ok_or_else(|| anyhow!("deploy plan without a deploy transaction"))?;
    chain.send(first, payer, &[&buffer]).context("deploy transaction 1 (create the buffer)")?;
    bar.inc(1);
    // The writes are independent: sent in flight together, then confirmed (one by one they would take a
    // slot each, ~10 minutes for a 1.3 MB program).
    chain
        .send_all(writes, payer, &[], |n| bar.inc(n))
        .with_context(|| format!("deploy transactions 2..{} (write the program into the buffer)", total - 1))?;
    chain.send(last, payer, &[&program]).with_context(|| format!("deploy transaction {total} (deploy)"))?;
    bar.inc(1);
    bar.finish_and_clear();
    let mut result = summary;
    if let Some((id, config)) = hub {
        // A program deployed in slot s runs from slot s + 1 (the loader's visibility delay).
        chain.wait_for_next_slot()?;
        let sig = chain.send(&[ix::create_hub(&payer.pubkey(), &payer.pubkey(), id, config)], payer, &[])?;
        result["hub_signature"] = json!(sig);
    }
    Ok(Out::kv("deployed", result))
}
