//! Test fixture for the referral program (marginfi's test-utils habit): one place that starts the bank
//! with the real SBF binary, funds wallets, sends transactions, reads accounts and returns the compute
//! units consumed. Tests build instructions and decode accounts only through `referral-client`.
pub mod compute;
pub mod hub;
pub mod market;
pub mod tokens;

use std::path::PathBuf;

use anchor_lang::prelude::Pubkey;
use anchor_lang::solana_program::instruction::Instruction;
use anchor_lang::AccountDeserialize;
use solana_account::{Account, AccountSharedData};
pub use solana_instruction_error::InstructionError;
use solana_keypair::Keypair;
use solana_program_test::{BanksClientError, ProgramTest, ProgramTestContext};
use solana_signer::Signer;
use solana_transaction::Transaction;
pub use solana_transaction_error::TransactionError;

pub use solana_keypair::Keypair as TestKeypair;
pub use solana_signer::Signer as TestSigner;

/// Lamports every wallet made by [`Fixture::wallet`] starts with: 100 SOL.
pub const WALLET_LAMPORTS: u64 = 100_000_000_000;

/// Where `scripts/build-sbf.sh` puts the program binaries.
pub fn deploy_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..").join("target").join("deploy")
}

/// Reads `target/deploy/<name>.so`. A missing binary FAILS the test (never a skip): build it with
/// `scripts/build-sbf.sh`.
pub fn program_binary(name: &str) -> Vec<u8> {
    let path = deploy_dir().join(format!("{name}.so"));
    match std::fs::read(&path) {
        Ok(bytes) => bytes,
        Err(e) => panic!(
            "SBF binary {} is missing ({e}). Build it with `scripts/build-sbf.sh` (the README's test \
             command does this first).",
            path.display()
        ),
    }
}

/// A keypair from the Solana CLI's JSON file format (an array of 64 numbers).
pub fn keypair_from_json(text: &str) -> Keypair {
    let bytes: Vec<u8> = text
        .trim()
        .trim_start_matches('[')
        .trim_end_matches(']')
        .split(',')
        .map(|n| n.trim().parse().unwrap_or_else(|_| panic!("not a keypair file: {n:?}")))
        .collect();
    Keypair::try_from(bytes.as_slice()).unwrap_or_else(|e| panic!("not a keypair: {e}"))
}

/// A transaction that landed.
#[derive(Debug, Clone)]
pub struct Sent {
    /// Compute units of each top-level instruction of the referral program, in order.
    pub referral_cu: Vec<u64>,
    /// The transaction's logs.
    pub logs: Vec<String>,
    /// Return data of the transaction, if any: (program, bytes).
    pub return_data: Option<(Pubkey, Vec<u8>)>,
}

/// A transaction that failed.
#[derive(Debug, Clone)]
pub struct Failed {
    /// The transaction error.
    pub error: TransactionError,
    /// The transaction's logs (may be empty for failures before execution).
    pub logs: Vec<String>,
}

impl Failed {
    /// The custom program error code, if the failure is one.
    pub fn custom_code(&self) -> Option<u32> {
        match &self.error {
            TransactionError::InstructionError(_, InstructionError::Custom(code)) => Some(*code),
            _ => None,
        }
    }
}

/// Asserts `result` failed with the custom error `expected` (a `ReferralError` or Anchor `ErrorCode`).
#[track_caller]
pub fn assert_custom_error<T>(result: Result<T, Failed>, expected: impl Into<u32> + std::fmt::Debug + Copy) {
    let code: u32 = expected.into();
    match result {
        Ok(_) => panic!("expected error {expected:?} ({code}), but the transaction succeeded"),
        Err(f) => assert_eq!(
            f.custom_code(),
            Some(code),
            "expected error {expected:?} ({code}), got {:?}\nlogs:\n{}",
            f.error,
            f.logs.join("\n")
        ),
    }
}

/// Replaces every account meta `from` in `ix` with `to` (to craft an attack); panics when `from` is not in
/// the instruction, so an attack test cannot silently send the honest instruction.
#[track_caller]
pub fn replace_account(ix: &mut Instruction, from: &Pubkey, to: Pubkey) {
    let mut found = false;
    for meta in ix.accounts.iter_mut().filter(|m| m.pubkey == *from) {
        meta.pubkey = to;
        found = true;
    }
    assert!(found, "{from} is not in the instruction");
}

/// Compute units of the top-level invocations of `program` in `logs` ("Program X invoke [1]" ...
/// "Program X consumed N of M compute units").
pub fn top_level_cu(logs: &[String], program: &Pubkey) -> Vec<u64> {
    let invoke_top = format!("Program {program} invoke [1]");
    let consumed = format!("Program {program} consumed ");
    let mut depth = 0usize;
    let mut in_top = false;
    let mut out = Vec::new();
    for line in logs {
        if line.contains(" invoke [") {
            depth += 1;
            if depth == 1 {
                in_top = *line == invoke_top;
            }
        } else if line.ends_with(" success") || line.contains(" failed: ") {
            depth = depth.saturating_sub(1);
        } else if depth == 1 && in_top && line.starts_with(&consumed) {
            let n = line[consumed.len()..].split(' ').next().and_then(|s| s.parse().ok());
            out.push(n.unwrap_or_else(|| panic!("unparsable CU line: {line}")));
        }
    }
    out
}

/// Compute units of every invocation of `program` at any depth ("Program X consumed N of M").
pub fn nested_cu(logs: &[String], program: &Pubkey) -> Vec<u64> {
    let consumed = format!("Program {program} consumed ");
    logs.iter()
        .filter_map(|l| l.strip_prefix(&consumed))
        .map(|rest| rest.split(' ').next().and_then(|n| n.parse().ok()).unwrap_or_else(|| panic!("unparsable: {rest}")))
        .collect()
}

/// The bank, its payer, and helpers. One per test.
pub struct Fixture {
    /// The program-test context (bank, payer, last blockhash).
    pub ctx: ProgramTestContext,
    nonce: u32,
}

impl Fixture {
    /// Starts a bank with the referral program loaded from `target/deploy/referral.so`.
    pub async fn new() -> Fixture {
        Fixture::with_programs(&[("referral", referral::ID)]).await
    }

    /// Starts a bank with the given SBF programs (name of the .so in target/deploy, program id).
    pub async fn with_programs(programs: &[(&str, Pubkey)]) -> Fixture {
        let mut pt = ProgramTest::default();
        pt.prefer_bpf(true);
        // Loaded as a mainnet deploy leaves them: upgradeable loader (v3), a 36-byte program account pointing
        // at a program-data account that holds the ELF. (Loader v2 would keep the whole ELF in the program
        // account, and a CPI that names the program as an account, e.g. an absent optional account, would
        // then pay ~2,400 CU per 600 KB that no mainnet call pays.) From an explicit path, so a missing
        // binary fails instead of falling back to anything else.
        for (name, id) in programs {
            let elf = program_binary(name);
            for (address, account) in
                solana_program_binaries::bpf_loader_upgradeable_program_accounts(id, &elf, &Default::default())
            {
                pt.add_genesis_account(address, account);
            }
        }
        let ctx = pt.start_with_context().await;
        Fixture { ctx, nonce: 0 }
    }

    /// The fee payer of every transaction (funded by the bank).
    pub fn payer(&self) -> Keypair {
        self.ctx.payer.insecure_clone()
    }

    /// A new wallet holding [`WALLET_LAMPORTS`].
    pub async fn wallet(&mut self) -> Keypair {
        let kp = Keypair::new();
        self.fund(&kp.pubkey(), WALLET_LAMPORTS).await;
        kp
    }

    /// Transfers `lamports` from the payer to `to`.
    pub async fn fund(&mut self, to: &Pubkey, lamports: u64) {
        let payer = self.ctx.payer.pubkey();
        let ix = anchor_lang::solana_program::system_instruction::transfer(&payer, to, lamports);
        if let Err(f) = self.send(&[ix], &[]).await {
            panic!("funding {to} failed: {:?}", f.error);
        }
    }

    /// Sends `ixs` in one transaction paid by the fixture's payer and signed by whichever of `signers`
    /// the instructions need. A compute-budget instruction with a per-transaction nonce makes every
    /// transaction unique, so a repeated attempt is executed (and fails for its own reason) instead of
    /// being dropped as already processed.
    pub async fn send(&mut self, ixs: &[Instruction], signers: &[&Keypair]) -> Result<Sent, Failed> {
        self.nonce = self.nonce.wrapping_add(1);
        let mut all = Vec::with_capacity(ixs.len() + 1);
        all.push(solana_compute_budget_interface::ComputeBudgetInstruction::set_compute_unit_limit(
            1_400_000 - self.nonce % 100_000,
        ));
        all.extend_from_slice(ixs);
        let payer = self.ctx.payer.insecure_clone();
        let mut tx = Transaction::new_with_payer(&all, Some(&payer.pubkey()));
        let required: Vec<Pubkey> =
            tx.message.account_keys[..usize::from(tx.message.header.num_required_signatures)].to_vec();
        let mut keys: Vec<&Keypair> = vec![&payer];
        for s in signers {
            if required.contains(&s.pubkey()) && !keys.iter().any(|k| k.pubkey() == s.pubkey()) {
                keys.push(s);
            }
        }
        // The bank's latest blockhash, not the one from start-up: long runs (the deploy test sends ~700
        // transactions) outlive a blockhash's 150-slot validity when the machine is busy.
        let blockhash = match self.ctx.banks_client.get_latest_blockhash().await {
            Ok(h) => h,
            Err(e) => panic!("banks client failure (latest blockhash): {e}"),
        };
        if let Err(e) = tx.try_sign(&keys, blockhash) {
            return Err(Failed { error: TransactionError::SignatureFailure, logs: vec![format!("signing: {e}")] });
        }
        let res = self.ctx.banks_client.process_transaction_with_metadata(tx).await;
        let res = match res {
            Ok(r) => r,
            Err(BanksClientError::TransactionError(error)) => return Err(Failed { error, logs: vec![] }),
            Err(e) => panic!("banks client failure (not a transaction error): {e}"),
        };
        let meta = res.metadata.unwrap_or_else(|| panic!("no metadata for transaction: {:?}", res.result));
        match res.result {
            Ok(()) => Ok(Sent {
                referral_cu: top_level_cu(&meta.log_messages, &referral::ID),
                return_data: meta.return_data.map(|r| (r.program_id, r.data)),
                logs: meta.log_messages,
            }),
            Err(error) => Err(Failed { error, logs: meta.log_messages }),
        }
    }

    /// Raw account, `None` when it does not exist.
    pub async fn raw(&mut self, key: &Pubkey) -> Option<Account> {
        self.ctx.banks_client.get_account(*key).await.unwrap_or_else(|e| panic!("get_account {key}: {e}"))
    }

    /// Raw accounts, for before/after comparisons.
    pub async fn snapshot(&mut self, keys: &[Pubkey]) -> Vec<Option<Account>> {
        let mut out = Vec::with_capacity(keys.len());
        for k in keys {
            out.push(self.raw(k).await);
        }
        out
    }

    /// Decodes the account at `key` as `T` through `referral-client`; `None` when it does not exist.
    pub async fn account<T: AccountDeserialize>(&mut self, key: &Pubkey) -> Option<T> {
        let raw = self.raw(key).await?;
        Some(referral_client::decode::account::<T>(&raw.data).unwrap_or_else(|e| panic!("{key}: {e}")))
    }

    /// Writes an account directly into the bank (to craft attack inputs).
    pub fn set_raw(&mut self, key: &Pubkey, account: Account) {
        self.ctx.set_account(key, &AccountSharedData::from(account));
    }

    /// Rewrites the data of the existing program account at `key` with `value` (discriminator + borsh),
    /// keeping its owner and lamports: a state no instruction can produce, to show what a rule does with
    /// it (the bricked pool of issue 16).
    pub async fn write_account<T: anchor_lang::AccountSerialize>(&mut self, key: &Pubkey, value: &T) {
        let mut acc = self.raw(key).await.unwrap_or_else(|| panic!("{key}: no account to rewrite"));
        let mut data = Vec::with_capacity(acc.data.len());
        value.try_serialize(&mut data).unwrap_or_else(|e| panic!("serialize {key}: {e}"));
        data.resize(acc.data.len(), 0);
        acc.data = data;
        self.set_raw(key, acc);
    }

    /// The bank's clock.
    pub async fn clock(&mut self) -> anchor_lang::prelude::Clock {
        match self.ctx.banks_client.get_sysvar().await {
            Ok(c) => c,
            Err(e) => panic!("clock sysvar: {e}"),
        }
    }

    /// Moves the bank to the next slot (a stake counts for fees and milestones from the slot after it was
    /// made, docs/DECISIONS.md D-36). The unix time is kept. Run the fixture on a current-thread runtime
    /// (`#[tokio::test]`'s default): program-test ticks the bank in a task that must not run during a warp.
    pub async fn next_slot(&mut self) {
        let clock = self.clock().await;
        if let Err(e) = self.ctx.warp_to_slot(clock.slot + 1) {
            panic!("warp to slot {}: {e:?}", clock.slot + 1);
        }
        let mut after = self.clock().await;
        if after.unix_timestamp != clock.unix_timestamp {
            after.unix_timestamp = clock.unix_timestamp;
            self.ctx.set_sysvar(&after);
        }
    }

    /// Sets the bank's clock to unix time `t` (slot unchanged).
    pub async fn set_time(&mut self, t: i64) {
        let mut clock = self.clock().await;
        clock.unix_timestamp = t;
        self.ctx.set_sysvar(&clock);
    }

    /// A copy of the account at `key`, owned by `owner`, at a new address (a forged account).
    pub async fn forged_copy(&mut self, key: &Pubkey, owner: Pubkey) -> Pubkey {
        let mut acc = self.raw(key).await.unwrap_or_else(|| panic!("{key}: no account to copy"));
        acc.owner = owner;
        let fake = Pubkey::new_unique();
        self.set_raw(&fake, acc);
        fake
    }

    /// Writes `data` as a rent-exempt account owned by the referral program (state written directly, for
    /// the framework comparison of the compute report).
    pub fn set_program_account(&mut self, key: &Pubkey, data: Vec<u8>) {
        let lamports = solana_rent::Rent::default().minimum_balance(data.len());
        self.set_raw(key, Account { lamports, data, owner: referral::ID, executable: false, rent_epoch: 0 });
    }

    /// Lamports at `key` (0 when absent).
    pub async fn lamports(&mut self, key: &Pubkey) -> u64 {
        self.raw(key).await.map(|a| a.lamports).unwrap_or(0)
    }
}
