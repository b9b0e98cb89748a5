//! `referral`: the command-line tool of the referral protocol (SPEC ), with Solana CLI habits:
//! `--url`, `--keypair` (default ~/.config/solana/id.json), `--output table|json`. `referral demo` runs a
//! whole referral economy on an embedded bank with the real SBF programs.
mod chain;
mod config;
mod demo;
mod deploy;
mod hub_toml;
mod output;
mod periods;
mod pools;

use std::path::PathBuf;
use std::process::ExitCode;

use anchor_lang::prelude::Pubkey;
use anyhow::{anyhow, bail, Context, Result};
use clap::{Parser, Subcommand, ValueEnum};
use referral_client::ix::{self, Referral};
use referral_client::{pda, Hub, Member, PendingConfig, ReferralCode, StakeReceipt};
use serde_json::json;
use solana_signer::Signer;

use chain::Chain;
use output::Out;
use periods::PeriodRef;

#[derive(Parser, Debug)]
#[command(name = "referral", version, about = "Operate and use referral hubs of the referral protocol on Solana")]
struct Cli {
    /// RPC URL or moniker (localhost, devnet, testnet, mainnet-beta) [default: from the Solana CLI config, else localhost]
    #[arg(short = 'u', long, global = true)]
    url: Option<String>,
    /// Signer keypair file [default: from the Solana CLI config, else ~/.config/solana/id.json]
    #[arg(short = 'k', long, global = true)]
    keypair: Option<PathBuf>,
    /// Output format: tables for people, JSON for scripts
    #[arg(short = 'o', long, global = true, value_enum, default_value_t = Format::Table)]
    output: Format,
    #[command(subcommand)]
    command: Command,
}

#[derive(Copy, Clone, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Table,
    Json,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Run a whole referral economy on an embedded bank with the real programs and print what happened
    Demo,
    /// Deploy the program through the upgradeable loader (the keypair pays and becomes upgrade authority),
    /// then optionally create a hub from a config file
    Deploy {
        /// The program binary
        #[arg(long, default_value = "target/deploy/referral.so")]
        program_so: PathBuf,
        /// The program's keypair (its public key must be the id declared in the binary)
        #[arg(long, default_value = "keys/referral-keypair.json")]
        program_keypair: PathBuf,
        /// A hub config file to create a hub from after the deploy
        #[arg(long)]
        hub_config: Option<PathBuf>,
        /// Hub id for --hub-config [default: `hub_id` in the file, else 1]
        #[arg(long)]
        hub_id: Option<u64>,
        /// Print what would be sent, send nothing
        #[arg(long)]
        dry_run: bool,
        /// Succeed without sending anything when the program already exists (instead of refusing)
        #[arg(long)]
        skip_existing: bool,
    },
    /// Create a hub from a TOML config file (see migrations/hub.example.toml); the keypair becomes admin
    CreateHub {
        /// The hub config file
        #[arg(long)]
        config: PathBuf,
        /// Hub id (tells your hubs apart) [default: `hub_id` in the file, else 1]
        #[arg(long)]
        hub_id: Option<u64>,
        /// Print what would be sent, send nothing
        #[arg(long)]
        dry_run: bool,
    },
    /// Change a hub's configuration (admin): propose from a TOML file, then apply once the hub's delay has
    /// passed (anyone may apply), or cancel
    Configure {
        #[arg(long)]
        hub: Pubkey,
        /// Propose the configuration in this file
        #[arg(long, conflicts_with_all = ["apply", "cancel"])]
        config: Option<PathBuf>,
        /// Apply the pending change (after its effective time)
        #[arg(long, conflicts_with = "cancel")]
        apply: bool,
        /// Cancel the pending change
        #[arg(long)]
        cancel: bool,
    },
    /// Pause parts of a hub (admin); `--parts none` resumes everything. Unstaking and fee claims are never
    /// paused
    Pause {
        #[arg(long)]
        hub: Pubkey,
        /// Comma-separated: signups, staking, routing, claims, or none
        #[arg(long, value_delimiter = ',', required = true)]
        parts: Vec<String>,
    },
    /// Show a hub's configuration
    ShowHub {
        #[arg(long)]
        hub: Pubkey,
    },
    /// Create a referral code for your membership
    MakeCode {
        #[arg(long)]
        hub: Pubkey,
        /// 3-32 characters of a-z, 0-9, '-' and '_' (uppercase is lowercased)
        code: String,
    },
    /// Join a hub, optionally through a code or a referrer's address
    Join {
        #[arg(long)]
        hub: Pubkey,
        /// A referral code
        #[arg(long, conflicts_with = "referrer")]
        code: Option<String>,
        /// A referrer's wallet address (works as a code)
        #[arg(long)]
        referrer: Option<Pubkey>,
    },
    /// Stake an NFT of the hub's collection (held in your associated token account)
    Stake {
        #[arg(long)]
        hub: Pubkey,
        #[arg(long)]
        mint: Pubkey,
    },
    /// Unstake an NFT back to your associated token account
    Unstake {
        #[arg(long)]
        hub: Pubkey,
        #[arg(long)]
        mint: Pubkey,
    },
    /// Claim your accrued fee share: SOL, or one token with --mint
    Claim {
        #[arg(long)]
        hub: Pubkey,
        #[arg(long)]
        mint: Option<Pubkey>,
        /// The mint's token program (SPL Token by default; pass Token-2022's id for its mints)
        #[arg(long)]
        token_program: Option<Pubkey>,
    },
    /// Show a member (yours by default)
    ShowMember {
        #[arg(long)]
        hub: Pubkey,
        #[arg(long)]
        wallet: Option<Pubkey>,
    },
    /// The hub's members ordered by referral points in a period, with tiers; warns about ranked members
    /// not registered while registration is open
    Leaderboard {
        #[arg(long)]
        hub: Pubkey,
        /// `current`, `previous` or a period index
        #[arg(long, default_value = "current", value_parser = periods::parse_period)]
        period: PeriodRef,
        #[arg(long, default_value_t = 20)]
        limit: usize,
    },
    /// A ranking period's reward book: show it, or open it (anyone; the keypair pays the rent)
    Period {
        #[command(subcommand)]
        action: PeriodAction,
    },
    /// Fund your reward pool of a period (until its registration window closes): lamports, or base units
    /// of --mint taken from your associated token account
    FundPool {
        #[arg(long)]
        hub: Pubkey,
        /// `current`, `previous` or a period index
        #[arg(long, default_value = "current", value_parser = periods::parse_period)]
        period: PeriodRef,
        /// Lamports for SOL, base units for a token
        #[arg(long)]
        amount: u64,
        #[arg(long)]
        mint: Option<Pubkey>,
        /// The mint's token program (SPL Token by default)
        #[arg(long)]
        token_program: Option<Pubkey>,
    },
    /// Register ranked members' final figures of an ended period (anyone may; the keypair pays the rent,
    /// refunded when the registration is closed): one wallet, or --all ranked, unregistered members
    Register {
        #[arg(long)]
        hub: Pubkey,
        /// `previous` (default), `current` or a period index
        #[arg(long, default_value = "previous", value_parser = periods::parse_period)]
        period: PeriodRef,
        #[arg(long, required_unless_present = "all", conflicts_with = "all")]
        wallet: Option<Pubkey>,
        #[arg(long)]
        all: bool,
    },
    /// Claim your rewards of a period: from every pool you have not claimed from, or one (--funder, --mint)
    ClaimReward {
        #[arg(long)]
        hub: Pubkey,
        /// `previous` (default), `current` or a period index
        #[arg(long, default_value = "previous", value_parser = periods::parse_period)]
        period: PeriodRef,
        #[arg(long)]
        funder: Option<Pubkey>,
        #[arg(long)]
        mint: Option<Pubkey>,
    },
    /// Referral-boosted staking pools: create, fund, rate, stake, withdraw, claim, show
    Pool {
        #[command(subcommand)]
        action: pools::PoolAction,
    },
    /// Close your reward claim records that are no longer needed (their rent back to you); anyone may
    /// close another wallet's with --wallet
    CloseClaims {
        /// Whose records [default: the keypair's wallet]
        #[arg(long)]
        wallet: Option<Pubkey>,
    },
    /// After a period's claim window, return what is left in a pool to its funder (anyone)
    ClosePool {
        #[arg(long)]
        hub: Pubkey,
        #[arg(long, value_parser = periods::parse_period)]
        period: PeriodRef,
        #[arg(long)]
        funder: Pubkey,
        #[arg(long)]
        mint: Option<Pubkey>,
    },
}

#[derive(Subcommand, Debug)]
enum PeriodAction {
    /// Timeline, tiers, totals and pools of a period
    Show {
        #[arg(long)]
        hub: Pubkey,
        /// `current`, `previous` or a period index
        #[arg(long, default_value = "current", value_parser = periods::parse_period)]
        period: PeriodRef,
    },
    /// Open a period (from its start until its registration window closes); a configuration change that
    /// is due is applied first, in the same transaction
    Open {
        #[arg(long)]
        hub: Pubkey,
        #[arg(long, default_value = "current", value_parser = periods::parse_period)]
        period: PeriodRef,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let format = cli.output;
    match run(cli) {
        Ok(out) => {
            out.print(format);
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn run(cli: Cli) -> Result<Out> {
    let url = config::resolve_url(cli.url.as_deref());
    // Creating the client opens no connection: commands that need none (demo, dry runs) never touch it.
    let chain = Chain::new(&url);
    let signer = || config::load_keypair(&config::resolve_keypair_path(cli.keypair.as_deref()));
    match cli.command {
        Command::Demo => {
            // program-test logs every instruction at debug level unless told otherwise.
            if std::env::var_os("RUST_LOG").is_none() {
                std::env::set_var("RUST_LOG", "error");
            }
            // One thread: program-test's bank ticks in a task of this runtime, which must not run while the
            // fixture moves the bank to the next slot (a multi-thread runtime can freeze a bank mid-tick).
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .context("starting the async runtime")?;
            let report = rt.block_on(demo::run(cli.output == Format::Table))?;
            Ok(output::demo(&report))
        }
        Command::Deploy { program_so, program_keypair, hub_config, hub_id, dry_run, skip_existing } => deploy::run(
            &chain,
            &signer()?,
            &program_so,
            &program_keypair,
            hub_config.as_deref(),
            hub_id,
            dry_run,
            skip_existing,
        ),
        Command::CreateHub { config: path, hub_id, dry_run } => {
            let text = std::fs::read_to_string(&path).with_context(|| format!("cannot read {}", path.display()))?;
            let file = hub_toml::HubToml::parse(&text)?;
            let config = file.to_config()?;
            let id = hub_id.or(file.hub_id).unwrap_or(1);
            let kp = signer()?;
            let hub = pda::hub(&kp.pubkey(), id).0;
            let summary = json!({ "hub": hub.to_string(), "admin": kp.pubkey().to_string(), "hub_id": id, "url": url, "config": format!("{config:?}") });
            if dry_run {
                return Ok(Out::kv("create-hub (dry run: nothing sent)", summary));
            }
            if chain.data(&hub)?.is_some() {
                bail!("hub {hub} (id {id}) already exists: pick another --hub-id");
            }
            let sig = chain.send(&[ix::create_hub(&kp.pubkey(), &kp.pubkey(), id, config)], &kp, &[])?;
            Ok(Out::kv("hub created", json!({ "hub": hub.to_string(), "hub_id": id, "signature": sig })))
        }
        Command::ShowHub { hub } => {
            let h: Hub = chain.account(&hub)?.ok_or_else(|| anyhow!("no hub at {hub} on {url}"))?;
            let pending: Option<PendingConfig> = chain.account(&pda::pending_config(&hub).0)?;
            Ok(output::hub(&hub, &h, pending.as_ref()))
        }
        Command::Configure { hub, config, apply, cancel } => {
            let kp = signer()?;
            let pending_key = pda::pending_config(&hub).0;
            if let Some(path) = config {
                let text = std::fs::read_to_string(&path).with_context(|| format!("cannot read {}", path.display()))?;
                let new = hub_toml::HubToml::parse(&text)?.to_config()?;
                let sig = chain.send(&[ix::propose_config(&kp.pubkey(), &kp.pubkey(), &hub, new)], &kp, &[])?;
                let p: Option<PendingConfig> = chain.account(&pending_key)?;
                let at = p.map(|p| p.effective_at).unwrap_or_default();
                return Ok(Out::kv(
                    "configuration change proposed",
                    json!({ "effective_at_unix": at, "signature": sig }),
                ));
            }
            let p: PendingConfig =
                chain.account(&pending_key)?.ok_or_else(|| anyhow!("hub {hub} has no pending configuration change"))?;
            let ixn = if apply {
                ix::apply_config(&kp.pubkey(), &hub, &p.payer)
            } else if cancel {
                ix::cancel_config(&kp.pubkey(), &hub, &p.payer)
            } else {
                bail!("say what to do: --config <FILE> to propose, --apply or --cancel");
            };
            let sig = chain.send(&[ixn], &kp, &[])?;
            Ok(Out::kv(if apply { "configuration applied" } else { "change cancelled" }, json!({ "signature": sig })))
        }
        Command::Pause { hub, parts } => {
            let mut bits = 0u8;
            for p in &parts {
                bits |= match p.as_str() {
                    "signups" => referral::state::PAUSE_SIGNUPS,
                    "staking" => referral::state::PAUSE_STAKING,
                    "routing" => referral::state::PAUSE_ROUTING,
                    "claims" => referral::state::PAUSE_CLAIMS,
                    "none" => 0,
                    other => bail!("unknown part {other:?}: use signups, staking, routing, claims or none"),
                };
            }
            let kp = signer()?;
            let sig = chain.send(&[ix::set_pause(&kp.pubkey(), &hub, bits)], &kp, &[])?;
            Ok(Out::kv("pause bits set", json!({ "paused": bits, "signature": sig })))
        }
        Command::MakeCode { hub, code } => {
            let kp = signer()?;
            let ixn = ix::make_code(&kp.pubkey(), &kp.pubkey(), &hub, &code)
                .map_err(|e| anyhow!("invalid code {code:?}: {e} (3-32 of a-z, 0-9, '-', '_')"))?;
            let sig = chain.send(&[ixn], &kp, &[])?;
            let normalized = referral::logic::codes::normalize(&code).map(|c| c.as_str().to_string()).unwrap_or(code);
            Ok(Out::kv("code created", json!({ "code": normalized, "signature": sig })))
        }
        Command::Join { hub, code, referrer } => {
            let kp = signer()?;
            let referral = match (code, referrer) {
                (Some(code), _) => {
                    let key = pda::code(&hub, &code).map_err(|e| anyhow!("invalid code {code:?}: {e}"))?.0;
                    let c: ReferralCode =
                        chain.account(&key)?.ok_or_else(|| anyhow!("code {code:?} does not exist in hub {hub}"))?;
                    Referral::Code { code, referrer_wallet: c.owner, upline: upline(&chain, &hub, &c.owner)? }
                }
                (None, Some(r)) => Referral::Address { referrer_wallet: r, upline: upline(&chain, &hub, &r)? },
                (None, None) => Referral::None,
            };
            let sig = chain.send(
                &[ix::join(&kp.pubkey(), &kp.pubkey(), &hub, referral).map_err(crate::chain::rule)?],
                &kp,
                &[],
            )?;
            Ok(Out::kv("joined", json!({ "member": pda::member(&hub, &kp.pubkey()).0.to_string(), "signature": sig })))
        }
        Command::Stake { hub, mint } => {
            let kp = signer()?;
            let token = pda::ata(&kp.pubkey(), &mint, &anchor_spl::token::ID);
            let sig = chain.send(&[ix::stake_nft(&kp.pubkey(), &kp.pubkey(), &hub, &mint, &token)], &kp, &[])?;
            Ok(Out::kv("staked", json!({ "mint": mint.to_string(), "signature": sig })))
        }
        Command::Unstake { hub, mint } => {
            let kp = signer()?;
            let token = pda::ata(&kp.pubkey(), &mint, &anchor_spl::token::ID);
            let receipt = pda::stake_receipt(&hub, &mint).0;
            let Some(receipt) = chain.account::<StakeReceipt>(&receipt)? else {
                bail!("{mint} is not staked in hub {hub}: `referral member --hub {hub}` lists your stakes");
            };
            let unstake = ix::unstake_nft(&kp.pubkey(), &receipt.payer, &hub, &mint, &token);
            let sig = chain.send(&[unstake], &kp, &[])?;
            Ok(Out::kv("unstaked", json!({ "mint": mint.to_string(), "signature": sig })))
        }
        Command::Claim { hub, mint, token_program } => {
            let kp = signer()?;
            let sig = match mint {
                None => chain.send(&[ix::claim_fees(&kp.pubkey(), &hub)], &kp, &[])?,
                Some(mint) => {
                    let tp = token_program.unwrap_or(anchor_spl::token::ID);
                    let dest = pda::ata(&kp.pubkey(), &mint, &tp);
                    chain.send(&[ix::claim_token_fees(&kp.pubkey(), &hub, &mint, &tp, &dest)], &kp, &[])?
                }
            };
            Ok(Out::kv("claimed", json!({ "signature": sig })))
        }
        Command::ShowMember { hub, wallet } => {
            let wallet = match wallet {
                Some(w) => w,
                None => signer()?.pubkey(),
            };
            let key = pda::member(&hub, &wallet).0;
            let m: Member = chain.account(&key)?.ok_or_else(|| anyhow!("{wallet} is not a member of hub {hub}"))?;
            Ok(output::member(&key, &m))
        }
        Command::Leaderboard { hub, period, limit } => periods::board(&chain, &hub, period, limit),
        Command::Period { action: PeriodAction::Show { hub, period } } => periods::show(&chain, &hub, period),
        Command::Period { action: PeriodAction::Open { hub, period } } => {
            periods::open(&chain, &signer()?, &hub, period)
        }
        Command::FundPool { hub, period, amount, mint, token_program } => {
            let asset = mint.map(|m| (m, token_program.unwrap_or(anchor_spl::token::ID)));
            periods::fund(&chain, &signer()?, &hub, period, amount, asset)
        }
        Command::Register { hub, period, wallet, all: _ } => {
            periods::register(&chain, &signer()?, &hub, period, wallet, cli.output == Format::Table)
        }
        Command::ClaimReward { hub, period, funder, mint } => {
            periods::claim(&chain, &signer()?, &hub, period, funder, mint)
        }
        Command::CloseClaims { wallet } => periods::close_claims(&chain, &signer()?, wallet),
        Command::Pool { action } => pools::run(&chain, signer, action),
        Command::ClosePool { hub, period, funder, mint } => {
            periods::close_pool(&chain, &signer()?, &hub, period, funder, mint)
        }
    }
}

/// The upline a join under `referrer` must pass, read from chain (client rule `ix::upline`).
fn upline(chain: &Chain, hub: &Pubkey, referrer: &Pubkey) -> Result<Vec<Pubkey>> {
    let m: Member = chain
        .account(&pda::member(hub, referrer).0)?
        .ok_or_else(|| anyhow!("the referrer {referrer} is not a member of hub {hub}"))?;
    let mut failure = None;
    let up = ix::upline(&m, |k| match chain.account::<Member>(k) {
        Ok(m) => m,
        Err(e) => {
            failure = Some(e);
            None
        }
    });
    match failure {
        Some(e) => Err(e),
        None => Ok(up),
    }
}
