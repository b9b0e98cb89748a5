//! Referral protocol for Solana marketplaces: hubs (one operator's programme each), members, codes and a
//! set-once referral graph; NFT staking milestones, fee routing, ranking periods and boosted pools build
//! on them. The specification is `SPEC.md` (rules R-x.y); design decisions are in docs/DECISIONS.md.
//!
//! This file is the table of contents: one documented line per instruction, each delegating to its own
//! file under `instructions/<domain>/`.
#![allow(unexpected_cfgs)]

#[cfg(target_arch = "bpf")]
use solana_compiler_builtins as _;

use anchor_lang::prelude::*;

pub mod constants;
pub mod errors;
pub mod events;
pub mod instructions;
pub mod logic;
pub mod state;
pub mod utils;

pub use instructions::hub::*;
pub use instructions::member::*;
pub use state::*;

declare_id!("FX99cs7nEKSWFNh5GgnppBD94mGKiMrfD9ghC9uuq6YS");

#[cfg(not(feature = "no-entrypoint"))]
solana_security_txt::security_txt! {
    name: "Referral protocol",
    project_url: "https://example.invalid/referral-protocol",
    contacts: "email:security@example.invalid",
    policy: "Report privately to the contact above; see README.md#security. Do not test on mainnet.",
    preferred_languages: "en",
    source_code: "https://example.invalid/referral-protocol",
    auditors: "None yet"
}

#[program]
pub mod referral {
    use super::*;

    /// Creates a hub owned by its creator with a validated configuration.
    pub fn create_hub(ctx: Context<CreateHub>, hub_id: u64, config: HubConfig) -> Result<()> {
        CreateHub::handler(ctx, hub_id, config)
    }

    /// Joins a hub, optionally through a code or a referrer's address (R-2.1 .. ).
    pub fn join<'info>(ctx: Context<'info, Join<'info>>, code: Option<String>) -> Result<()> {
        Join::handler(ctx, code)
    }

    /// Sets a referrer later, only while the member has none and no referees.
    pub fn set_referrer<'info>(ctx: Context<'info, SetReferrer<'info>>, code: Option<String>) -> Result<()> {
        SetReferrer::handler(ctx, code)
    }

    /// Creates a unique, never-reassigned referral code for the signing member.
    pub fn make_code(ctx: Context<MakeCode>, code: String) -> Result<()> {
        MakeCode::handler(ctx, code)
    }
}
