//! Rust client for the referral program: PDAs, instruction builders and account decoding, used by
//! the tests, the CLI and the app. Nothing else in the workspace derives an address, builds an instruction
//! or decodes an account of this program by hand.
//!
//! The program's pure rules (`logic`: codes, configuration, milestones) and its types (`state`, `errors`,
//! `constants`) are re-exported, so a client computes exactly what the program computes.
pub mod decode;
pub mod deploy;
pub mod ix;
pub mod leaderboard;
pub mod market;
pub mod pda;

pub use referral::state::{
    ConfigDelay, Hub, HubConfig, HubRules, Member, Milestone, PendingConfig, Period, PeriodKind, PoolPosition,
    ReferralCode, Registration, RewardClaim, RewardPool, StakeReceipt, StakingPool, Tier,
};
pub use referral::{constants, errors, events, logic, state, ID as PROGRAM_ID};
pub use referral::{Credited, RouteFeeArgs, RouteFeeResult, ShareOutcome};

/// Re-exported so users of the client need no direct anchor dependency for the common types.
pub use anchor_lang::prelude::Pubkey;
pub use anchor_lang::solana_program::instruction::{AccountMeta, Instruction};
