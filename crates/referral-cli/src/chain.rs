//! The cluster, over JSON-RPC: read and decode accounts (through `referral-client`), send transactions,
//! and turn RPC and program failures into errors that say what to do.
use std::time::Duration;

use anchor_lang::prelude::Pubkey;
use anchor_lang::{AccountDeserialize, Discriminator};
use anyhow::{anyhow, bail, Result};
use referral_client::Instruction;
use solana_commitment_config::CommitmentConfig;
use solana_keypair::Keypair;
use solana_rpc_client::rpc_client::RpcClient;
use solana_rpc_client_api::config::{RpcAccountInfoConfig, RpcProgramAccountsConfig};
use solana_rpc_client_api::filter::{Memcmp, RpcFilterType};
use solana_signer::Signer;
use solana_transaction::Transaction;

/// How long one RPC request may take before the command gives up.
pub const RPC_TIMEOUT: Duration = Duration::from_secs(8);

pub struct Chain {
    pub rpc: RpcClient,
    pub url: String,
}

impl Chain {
    pub fn new(url: &str) -> Chain {
        Chain {
            rpc: RpcClient::new_with_timeout_and_commitment(
                url.to_string(),
                RPC_TIMEOUT,
                CommitmentConfig::confirmed(),
            ),
            url: url.to_string(),
        }
    }

    fn unreachable(&self, e: impl std::fmt::Display) -> anyhow::Error {
        anyhow!(
            "cannot reach the RPC node at {} ({e}). Check --url (or `json_rpc_url` in ~/.config/solana/cli/config.yml), \
             or start a local validator",
            self.url
        )
    }

    /// Raw account data, `None` when absent.
    pub fn data(&self, key: &Pubkey) -> Result<Option<Vec<u8>>> {
        let r = self
            .rpc
            .get_account_with_commitment(key, CommitmentConfig::confirmed())
            .map_err(|e| self.unreachable(e))?;
        Ok(r.value.map(|a| a.data))
    }

    /// The account at `key` decoded as `T`, `None` when absent.
    pub fn account<T: AccountDeserialize>(&self, key: &Pubkey) -> Result<Option<T>> {
        match self.data(key)? {
            None => Ok(None),
            Some(d) => Ok(Some(referral_client::decode::account::<T>(&d).map_err(|e| anyhow!("{key}: {e}"))?)),
        }
    }

    /// Every account of type `T` of the referral program whose 32 bytes at `offset` equal `key`.
    pub fn program_accounts<T: AccountDeserialize + Discriminator>(
        &self,
        offset: usize,
        key: &Pubkey,
    ) -> Result<Vec<(Pubkey, T)>> {
        let config = RpcProgramAccountsConfig {
            filters: Some(vec![
                RpcFilterType::Memcmp(Memcmp::new_raw_bytes(0, T::DISCRIMINATOR.to_vec())),
                RpcFilterType::Memcmp(Memcmp::new_raw_bytes(offset, key.to_bytes().to_vec())),
            ]),
            account_config: RpcAccountInfoConfig {
                encoding: Some(solana_account_decoder_client_types::UiAccountEncoding::Base64),
                ..RpcAccountInfoConfig::default()
            },
            with_context: None,
            sort_results: Some(true),
        };
        let raw =
            self.rpc.get_program_ui_accounts_with_config(&referral::ID, config).map_err(|e| self.unreachable(e))?;
        let mut out = Vec::with_capacity(raw.len());
        for (k, ui) in raw {
            use anchor_lang::__private::base64::{engine::general_purpose::STANDARD, Engine};
            let data = match &ui.data {
                solana_account_decoder_client_types::UiAccountData::Binary(b64, _) => {
                    STANDARD.decode(b64).map_err(|e| anyhow!("{k}: undecodable account data ({e})"))?
                }
                _ => bail!("{k}: the RPC node did not return base64 data"),
            };
            out.push((k, referral_client::decode::account::<T>(&data).map_err(|e| anyhow!("{k}: {e}"))?));
        }
        Ok(out)
    }

    /// Signs with `payer` (fee payer) and `signers`, sends, waits for confirmation.
    pub fn send(&self, ixs: &[Instruction], payer: &Keypair, signers: &[&Keypair]) -> Result<String> {
        let blockhash = self.rpc.get_latest_blockhash().map_err(|e| self.unreachable(e))?;
        let all = with_payer(payer, signers);
        let tx = Transaction::new_signed_with_payer(ixs, Some(&payer.pubkey()), &all, blockhash);
        match self.rpc.send_and_confirm_transaction(&tx) {
            Ok(sig) => Ok(sig.to_string()),
            Err(e) => bail!("{}", explain(&e.to_string())),
        }
    }
}

impl Chain {
    /// Sends independent transactions (each signed by `payer` and `signers`) in flight together, in
    /// waves of [`WAVE`], and waits until every one is confirmed, re-sending those a node dropped with a new
    /// blockhash. `progress` is told how many were confirmed. A transaction that fails stops the command
    /// with the program's error.
    pub fn send_all(
        &self,
        txs: &[Vec<Instruction>],
        payer: &Keypair,
        signers: &[&Keypair],
        mut progress: impl FnMut(u64),
    ) -> Result<()> {
        use solana_rpc_client_api::config::RpcSendTransactionConfig;
        let all = with_payer(payer, signers);
        let send_config = RpcSendTransactionConfig { skip_preflight: true, ..RpcSendTransactionConfig::default() };
        for wave in txs.chunks(WAVE) {
            let mut pending: Vec<&Vec<Instruction>> = wave.iter().collect();
            for _attempt in 0..SEND_ATTEMPTS {
                if pending.is_empty() {
                    break;
                }
                let blockhash = self.rpc.get_latest_blockhash().map_err(|e| self.unreachable(e))?;
                let mut sigs = Vec::with_capacity(pending.len());
                for ixs in &pending {
                    let tx = Transaction::new_signed_with_payer(ixs, Some(&payer.pubkey()), &all, blockhash);
                    let sig = self
                        .rpc
                        .send_transaction_with_config(&tx, send_config)
                        .map_err(|e| anyhow!("{}", explain(&e.to_string())))?;
                    sigs.push(sig);
                }
                // Poll until all are confirmed or the blockhash expires (~60 s); then re-send the rest.
                let deadline = std::time::Instant::now() + Duration::from_secs(60);
                let mut left: Vec<usize> = (0..pending.len()).collect();
                while !left.is_empty() && std::time::Instant::now() < deadline {
                    std::thread::sleep(Duration::from_millis(400));
                    let mut still = Vec::new();
                    for part in left.chunks(256) {
                        let keys: Vec<_> = part.iter().filter_map(|&i| sigs.get(i).copied()).collect();
                        let statuses = self.rpc.get_signature_statuses(&keys).map_err(|e| self.unreachable(e))?.value;
                        for (&i, status) in part.iter().zip(statuses) {
                            match status {
                                Some(s) if s.satisfies_commitment(CommitmentConfig::confirmed()) => {
                                    if let Some(err) = s.err {
                                        bail!(
                                            "transaction {} failed: {err}",
                                            sigs.get(i).map(|s| s.to_string()).unwrap_or_default()
                                        );
                                    }
                                    progress(1);
                                }
                                _ => still.push(i),
                            }
                        }
                    }
                    left = still;
                }
                pending = left.iter().filter_map(|&i| pending.get(i).copied()).collect();
            }
            if !pending.is_empty() {
                bail!(
                    "{} transactions were not confirmed after {SEND_ATTEMPTS} attempts: is the node at {} producing blocks?",
                    pending.len(),
                    self.url
                );
            }
        }
        Ok(())
    }
}

impl Chain {
    /// Waits (at most 30 s) until the node is past the slot it is in now.
    pub fn wait_for_next_slot(&self) -> Result<()> {
        let start = self.rpc.get_slot().map_err(|e| self.unreachable(e))?;
        for _ in 0..300 {
            if self.rpc.get_slot().map_err(|e| self.unreachable(e))? > start {
                return Ok(());
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        bail!("the node at {} stayed at slot {start} for 30 s: is it producing blocks?", self.url)
    }
}

/// The signers of a transaction: the fee payer first, then the others (the payer once).
fn with_payer<'a>(payer: &'a Keypair, signers: &[&'a Keypair]) -> Vec<&'a Keypair> {
    let mut all = vec![payer];
    all.extend(signers.iter().copied().filter(|s| s.pubkey() != payer.pubkey()));
    all
}

/// Transactions in flight at once in [`Chain::send_all`].
pub const WAVE: usize = 512;
/// Times [`Chain::send_all`] sends a transaction that is not confirmed before giving up.
pub const SEND_ATTEMPTS: usize = 4;

/// Turns an RPC send error into one line: the program's named error when the logs carry one.
pub fn explain(raw: &str) -> String {
    if let Some(i) = raw.find("Error Code: ") {
        let rest = &raw[i..];
        let end = rest.find("\",").or_else(|| rest.find('"')).unwrap_or(rest.len());
        return format!("the program refused the transaction: {}", &rest[..end]);
    }
    if raw.contains("Attempt to debit an account but found no record of a prior credit") {
        return "the fee payer has no SOL on this cluster: fund the --keypair wallet (e.g. `solana airdrop 1`)".into();
    }
    format!("transaction failed: {raw}")
}

/// A rule of the program broken before anything is sent (e.g. an invalid code), as an error.
pub fn rule(e: referral::errors::ReferralError) -> anyhow::Error {
    anyhow!("{e:?}: {e}")
}
