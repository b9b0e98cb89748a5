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
pub mod cpi_report;
pub mod errors;
pub mod events;
pub mod instructions;
pub mod logic;
pub mod state;
pub mod utils;

pub use instructions::admin::*;
pub use instructions::fees::*;
pub use instructions::hub::*;
pub use instructions::member::*;
pub use instructions::periods::*;
pub use instructions::pools::*;
pub use instructions::staking::*;
pub use logic::fees::ShareOutcome;
pub use state::*;
pub use utils::credit::Credited;

declare_id!("FX99cs7nEKSWFNh5GgnppBD94mGKiMrfD9ghC9uuq6YS");

#[cfg(all(feature = "fast-entry", target_os = "solana"))]
mod entrypoint;

#[cfg(any(not(feature = "no-entrypoint"), feature = "fast-entry"))]
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

    /// Proposes a configuration change, applicable after the hub's delay.
    pub fn propose_config(ctx: Context<ProposeConfig>, config: HubConfig) -> Result<()> {
        ProposeConfig::handler(ctx, config)
    }

    /// Applies a pending configuration change once its delay has passed; anyone may call it.
    pub fn apply_config(ctx: Context<ApplyConfig>) -> Result<()> {
        ApplyConfig::handler(ctx)
    }

    /// Withdraws a pending configuration change.
    pub fn cancel_config(ctx: Context<CancelConfig>) -> Result<()> {
        CancelConfig::handler(ctx)
    }

    /// Proposes a new admin, who takes over by accepting.
    pub fn propose_admin(ctx: Context<ProposeAdmin>, new_admin: Pubkey) -> Result<()> {
        ProposeAdmin::handler(ctx, new_admin)
    }

    /// The proposed admin accepts the admin role.
    pub fn accept_admin(ctx: Context<AcceptAdmin>) -> Result<()> {
        AcceptAdmin::handler(ctx)
    }

    /// Pauses or resumes sign-ups, staking, fee routing and claims separately.
    pub fn set_pause(ctx: Context<SetPause>, paused: u8) -> Result<()> {
        SetPause::handler(ctx, paused)
    }

    /// Joins a hub, optionally through a code or a referrer's address (R-2.1 .. ).
    /// Remaining accounts: the referrer's upline (its referrer, that one's referrer, ...), writable, up to 3.
    pub fn join<'info>(ctx: Context<'info, Join<'info>>, code: Option<String>) -> Result<()> {
        Join::handler(ctx, code)
    }

    /// Sets a referrer later, only while the member has none and no referees.
    /// Remaining accounts: the referrer's upline (its referrer, that one's referrer, ...), writable, up to 3.
    pub fn set_referrer<'info>(ctx: Context<'info, SetReferrer<'info>>, code: Option<String>) -> Result<()> {
        SetReferrer::handler(ctx, code)
    }

    /// Creates a unique, never-reassigned referral code for the signing member.
    pub fn make_code(ctx: Context<MakeCode>, code: String) -> Result<()> {
        MakeCode::handler(ctx, code)
    }

    /// Stakes an NFT of the hub's collection into escrow; one receipt per NFT.
    pub fn stake_nft(ctx: Context<StakeNft>) -> Result<()> {
        StakeNft::handler(ctx)
    }

    /// Returns a staked NFT to its staker after the minimum stake time; never paused.
    pub fn unstake_nft(ctx: Context<UnstakeNft>) -> Result<()> {
        UnstakeNft::handler(ctx)
    }

    /// Reports a trade paid in SOL: referrer's fee share and points; called by marketplaces by CPI.
    /// Remaining accounts: the referrer's upline for levels 2..=hub depth (depth - 1 at most), writable.
    pub fn route_fee<'info>(ctx: Context<'info, RouteFee<'info>>, args: RouteFeeArgs) -> Result<RouteFeeResult> {
        RouteFee::handler(ctx, args)
    }

    /// Reports a trade paid in an SPL Token or Token-2022 mint.
    /// Remaining accounts: the referrer's upline for levels 2..=hub depth (depth - 1 at most), writable.
    pub fn route_fee_token<'info>(
        ctx: Context<'info, RouteFeeToken<'info>>,
        args: RouteFeeArgs,
    ) -> Result<RouteFeeResult> {
        RouteFeeToken::handler(ctx, args)
    }

    /// Grants points for activity that is not a fee, with the same multipliers and referral credit.
    /// Remaining accounts: the referrer's upline for levels 2..=hub depth (depth - 1 at most), writable.
    pub fn award_points<'info>(
        ctx: Context<'info, AwardPoints<'info>>,
        trader: Pubkey,
        base_points: u64,
    ) -> Result<Credited> {
        AwardPoints::handler(ctx, trader, base_points)
    }

    /// Claims the member's accrued SOL fee share to its wallet.
    pub fn claim_fees(ctx: Context<ClaimFees>) -> Result<u64> {
        ClaimFees::handler(ctx)
    }

    /// Claims the member's accrued fee share in one mint to its wallet's token account.
    pub fn claim_token_fees(ctx: Context<ClaimTokenFees>) -> Result<u64> {
        ClaimTokenFees::handler(ctx)
    }

    /// Opens a ranking period's reward book, fixing its timeline and tiers; anyone may call it.
    pub fn open_period(ctx: Context<OpenPeriod>, index: u32) -> Result<()> {
        OpenPeriod::handler(ctx, index)
    }

    /// Funds the caller's SOL reward pool of a period, until its registration window closes.
    pub fn fund_pool(ctx: Context<FundPool>, amount: u64) -> Result<()> {
        FundPool::handler(ctx, amount)
    }

    /// Funds the caller's reward pool of a period in an SPL Token or Token-2022 mint.
    pub fn fund_pool_token(ctx: Context<FundPoolToken>, amount: u64) -> Result<()> {
        FundPoolToken::handler(ctx, amount)
    }

    /// Registers a ranked member's final figures of an ended period in its tier totals; anyone.
    pub fn register(ctx: Context<Register>) -> Result<()> {
        Register::handler(ctx)
    }

    /// Claims a registered member's share of a period's SOL pool, once per pool.
    pub fn claim_reward(ctx: Context<ClaimReward>) -> Result<u64> {
        ClaimReward::handler(ctx)
    }

    /// Claims a registered member's share of a period's token pool, once per pool.
    pub fn claim_reward_token(ctx: Context<ClaimRewardToken>) -> Result<u64> {
        ClaimRewardToken::handler(ctx)
    }

    /// Returns what is left in a SOL pool to its funder after the claim window; anyone.
    pub fn close_pool(ctx: Context<ClosePool>) -> Result<()> {
        ClosePool::handler(ctx)
    }

    /// Returns what is left in a token pool to its funder after the claim window; anyone.
    pub fn close_pool_token(ctx: Context<ClosePoolToken>) -> Result<()> {
        ClosePoolToken::handler(ctx)
    }

    /// Closes a registration that can no longer claim, its rent back to its payer; anyone.
    pub fn close_registration(ctx: Context<CloseRegistration>) -> Result<()> {
        CloseRegistration::handler(ctx)
    }

    /// Closes a reward claim's record once nothing is owed and no second claim can be made, its rent back
    /// to the claimer; anyone.
    pub fn close_reward_claim(ctx: Context<CloseRewardClaim>) -> Result<()> {
        CloseRewardClaim::handler(ctx)
    }

    /// Pays a period reward whose claim was deferred because the token could not move then.
    pub fn collect_reward(ctx: Context<CollectReward>) -> Result<u64> {
        CollectReward::handler(ctx)
    }

    /// Creates a referral-boosted staking pool of the hub with its schedule and initial funding, which
    /// must cover it (admin, R-6.1, R-6.6).
    pub fn create_staking_pool(
        ctx: Context<CreateStakingPool>,
        pool_id: u32,
        rate: u64,
        start: i64,
        end: i64,
        funding: u64,
    ) -> Result<()> {
        CreateStakingPool::handler(ctx, pool_id, rate, start, end, funding)
    }

    /// Deposits more rewards into a staking pool (admin, R-6.1, R-6.6).
    pub fn fund_staking_pool(ctx: Context<FundStakingPool>, amount: u64) -> Result<()> {
        FundStakingPool::handler(ctx, amount)
    }

    /// Changes a staking pool's rate and end after checkpointing it: a raise at once, a cut after a 7-day
    /// notice; funding must cover it (admin, R-6.5, R-6.6, R-1.3).
    pub fn set_staking_rate(ctx: Context<SetStakingRate>, rate: u64, end: i64) -> Result<()> {
        SetStakingRate::handler(ctx, rate, end)
    }

    /// Applies a staking pool's pending rate cut once its 7-day notice has passed; anyone.
    pub fn apply_staking_rate(ctx: Context<ApplyStakingRate>) -> Result<()> {
        ApplyStakingRate::handler(ctx)
    }

    /// Takes back reward funding that no accrued or future emission can claim (admin, R-6.6).
    pub fn withdraw_staking_excess(ctx: Context<WithdrawStakingExcess>, amount: u64) -> Result<()> {
        WithdrawStakingExcess::handler(ctx, amount)
    }

    /// Stakes into a pool; the member's +10% and its referrer's +5% follow while valid.
    pub fn pool_stake<'info>(ctx: Context<'info, PoolStake<'info>>, amount: u64) -> Result<()> {
        PoolStake::handler(ctx, amount)
    }

    /// Withdraws stake; the member's referral bonus in this pool ends for good.
    pub fn pool_withdraw(ctx: Context<PoolWithdraw>, amount: u64) -> Result<()> {
        PoolWithdraw::handler(ctx, amount)
    }

    /// Claims a position's accrued pool rewards; a referral made since the last stake takes effect first
    ///
    pub fn pool_claim<'info>(ctx: Context<'info, PoolClaim<'info>>) -> Result<u64> {
        PoolClaim::handler(ctx)
    }
}
