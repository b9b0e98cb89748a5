//! Instruction builders: one function per program instruction, accounts in the program's order.
use anchor_lang::prelude::Pubkey;
use anchor_lang::solana_program::instruction::{AccountMeta, Instruction};
use anchor_lang::{system_program, InstructionData, ToAccountMetas};
use anchor_spl::{associated_token, token};
use referral::errors::ReferralError;
use referral::state::{HubConfig, Member};
use referral::{accounts, instruction, RouteFeeArgs};

use crate::pda;

fn build(accounts: impl ToAccountMetas, data: impl InstructionData, remaining: &[Pubkey]) -> Instruction {
    let mut metas = accounts.to_account_metas(None);
    metas.extend(remaining.iter().map(|k| AccountMeta::new(*k, false)));
    Instruction { program_id: referral::ID, accounts: metas, data: data.data() }
}

/// `create_hub`: `creator` signs and becomes admin; `payer` pays rent.
pub fn create_hub(creator: &Pubkey, payer: &Pubkey, hub_id: u64, config: HubConfig) -> Instruction {
    let (hub, _) = pda::hub(creator, hub_id);
    build(
        accounts::CreateHub { creator: *creator, payer: *payer, hub, system_program: system_program::ID },
        instruction::CreateHub { hub_id, config },
        &[],
    )
}

/// How a wallet names its referrer when joining or setting one later.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Referral {
    /// No referrer.
    None,
    /// The referrer's wallet address used as the code.
    Address {
        /// The referrer's wallet.
        referrer_wallet: Pubkey,
        /// The referrer's upline member accounts (see [`upline`]).
        upline: Vec<Pubkey>,
    },
    /// A vanity code, as typed (normalised on-chain), and its owner's wallet.
    Code {
        /// The code as the user typed it.
        code: String,
        /// The wallet the code resolves to (read from the code account).
        referrer_wallet: Pubkey,
        /// The referrer's upline member accounts (see [`upline`]).
        upline: Vec<Pubkey>,
    },
}

struct ReferralAccounts {
    referrer: Option<Pubkey>,
    code_account: Option<Pubkey>,
    code: Option<String>,
    upline: Vec<Pubkey>,
}

fn referral_accounts(hub: &Pubkey, referral: Referral) -> Result<ReferralAccounts, ReferralError> {
    Ok(match referral {
        Referral::None => ReferralAccounts { referrer: None, code_account: None, code: None, upline: vec![] },
        Referral::Address { referrer_wallet, upline } => ReferralAccounts {
            referrer: Some(pda::member(hub, &referrer_wallet).0),
            code_account: None,
            code: None,
            upline,
        },
        Referral::Code { code, referrer_wallet, upline } => ReferralAccounts {
            referrer: Some(pda::member(hub, &referrer_wallet).0),
            code_account: Some(pda::code(hub, &code)?.0),
            code: Some(code),
            upline,
        },
    })
}

/// `join`: `wallet` joins `hub`, rent paid by `payer`. Fails only when a code is not normalisable.
pub fn join(wallet: &Pubkey, payer: &Pubkey, hub: &Pubkey, referral: Referral) -> Result<Instruction, ReferralError> {
    let r = referral_accounts(hub, referral)?;
    Ok(build(
        accounts::Join {
            wallet: *wallet,
            payer: *payer,
            hub: *hub,
            member: pda::member(hub, wallet).0,
            referrer: r.referrer,
            code_account: r.code_account,
            system_program: system_program::ID,
        },
        instruction::Join { code: r.code },
        &r.upline,
    ))
}

/// `set_referrer`: the member of `wallet` in `hub` sets its referrer (never `Referral::None`).
pub fn set_referrer(wallet: &Pubkey, hub: &Pubkey, referral: Referral) -> Result<Instruction, ReferralError> {
    let r = referral_accounts(hub, referral)?;
    let referrer = r.referrer.ok_or(ReferralError::ReferrerAccountMissing)?;
    Ok(build(
        accounts::SetReferrer {
            wallet: *wallet,
            hub: *hub,
            member: pda::member(hub, wallet).0,
            referrer,
            code_account: r.code_account,
        },
        instruction::SetReferrer { code: r.code },
        &r.upline,
    ))
}

/// `make_code`: the member of `wallet` in `hub` creates `code` (normalised on-chain and here).
pub fn make_code(wallet: &Pubkey, payer: &Pubkey, hub: &Pubkey, code: &str) -> Result<Instruction, ReferralError> {
    Ok(build(
        accounts::MakeCode {
            wallet: *wallet,
            payer: *payer,
            hub: *hub,
            member: pda::member(hub, wallet).0,
            code_account: pda::code(hub, code)?.0,
            system_program: system_program::ID,
        },
        instruction::MakeCode { code: code.to_string() },
        &[],
    ))
}

/// The upline a `join`/`set_referrer` through `referrer` must pass: the referrer's referrer, that one's
/// referrer, ... up to `MAX_DEPTH - 1` member accounts. `fetch` reads a Member by address.
pub fn upline(referrer: &Member, fetch: impl FnMut(&Pubkey) -> Option<Member>) -> Vec<Pubkey> {
    upline_to_depth(referrer, referral::constants::MAX_DEPTH, fetch)
}

/// The upline a trade report credits: the referrer's ancestors for levels 2..=`depth` (the hub's depth),
/// i.e. at most `depth - 1` accounts.
pub fn upline_to_depth(referrer: &Member, depth: u8, mut fetch: impl FnMut(&Pubkey) -> Option<Member>) -> Vec<Pubkey> {
    let mut out = Vec::new();
    let mut next = referrer.referrer;
    while next != Pubkey::default() && out.len() < usize::from(depth.saturating_sub(1)) {
        out.push(next);
        match fetch(&next) {
            Some(m) => next = m.referrer,
            None => break,
        }
    }
    out
}

/// `stake_nft`: `owner` stakes the NFT `mint` held in `owner_token`; `payer` pays the receipt and escrow.
pub fn stake_nft(owner: &Pubkey, payer: &Pubkey, hub: &Pubkey, mint: &Pubkey, owner_token: &Pubkey) -> Instruction {
    let receipt = pda::stake_receipt(hub, mint).0;
    build(
        accounts::StakeNft {
            owner: *owner,
            payer: *payer,
            hub: *hub,
            member: pda::member(hub, owner).0,
            mint: *mint,
            owner_token: *owner_token,
            metadata: pda::metadata(mint),
            receipt,
            escrow: pda::stake_escrow(&receipt).0,
            token_program: token::ID,
            system_program: system_program::ID,
        },
        instruction::StakeNft {},
        &[],
    )
}

/// `unstake_nft`: the NFT goes back to `destination` (a token account of `owner` for `mint`); the rent of
/// the receipt and the escrow to `payer`, who paid it (the receipt's `payer`).
pub fn unstake_nft(owner: &Pubkey, payer: &Pubkey, hub: &Pubkey, mint: &Pubkey, destination: &Pubkey) -> Instruction {
    let receipt = pda::stake_receipt(hub, mint).0;
    build(
        accounts::UnstakeNft {
            owner: *owner,
            payer: *payer,
            hub: *hub,
            member: pda::member(hub, owner).0,
            mint: *mint,
            receipt,
            escrow: pda::stake_escrow(&receipt).0,
            destination: *destination,
            token_program: token::ID,
        },
        instruction::UnstakeNft {},
        &[],
    )
}

/// Who a trade report credits: the trader's wallet, and (when it has one) its referrer's wallet and the
/// upline members above the referrer up to the hub's depth ([`upline_to_depth`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Trade {
    /// The trader's wallet (its Member PDA is derived; it need not exist).
    pub trader_wallet: Pubkey,
    /// The trader's referrer's wallet, if any.
    pub referrer_wallet: Option<Pubkey>,
    /// The referrer's upline member accounts for levels 2..=depth.
    pub upline: Vec<Pubkey>,
}

/// `route_fee`: `reporter` reports a SOL `fee` paid by `payer` for `trade` (whose wallet the report names),
/// which earned `base_points`.
pub fn route_fee(
    reporter: &Pubkey,
    hub: &Pubkey,
    payer: &Pubkey,
    trade: &Trade,
    fee: u64,
    base_points: u64,
) -> Instruction {
    let args = RouteFeeArgs { trader: trade.trader_wallet, fee, base_points };
    build(
        accounts::RouteFee {
            reporter: *reporter,
            hub: *hub,
            trader: pda::member(hub, &trade.trader_wallet).0,
            referrer: trade.referrer_wallet.map(|w| pda::member(hub, &w).0),
            payer: *payer,
            system_program: system_program::ID,
        },
        instruction::RouteFee { args },
        &trade.upline,
    )
}

/// `route_fee_token`: a `fee` in `mint` (of `token_program`) paid from `payer_token` for `trade`.
#[allow(clippy::too_many_arguments)]
pub fn route_fee_token(
    reporter: &Pubkey,
    hub: &Pubkey,
    payer: &Pubkey,
    payer_token: &Pubkey,
    mint: &Pubkey,
    token_program: &Pubkey,
    trade: &Trade,
    fee: u64,
    base_points: u64,
) -> Instruction {
    let args = RouteFeeArgs { trader: trade.trader_wallet, fee, base_points };
    let referrer = trade.referrer_wallet.map(|w| pda::member(hub, &w).0);
    build(
        accounts::RouteFeeToken {
            reporter: *reporter,
            hub: *hub,
            trader: pda::member(hub, &trade.trader_wallet).0,
            referrer,
            payer: *payer,
            payer_token: *payer_token,
            mint: *mint,
            referrer_vault: referrer.map(|r| pda::fee_vault(&r, mint, token_program)),
            token_program: *token_program,
            associated_token_program: associated_token::ID,
            system_program: system_program::ID,
        },
        instruction::RouteFeeToken { args },
        &trade.upline,
    )
}

/// `award_points`: `reporter` grants `base_points` to `trade.trader_wallet`.
pub fn award_points(reporter: &Pubkey, hub: &Pubkey, trade: &Trade, base_points: u64) -> Instruction {
    build(
        accounts::AwardPoints {
            reporter: *reporter,
            hub: *hub,
            trader: pda::member(hub, &trade.trader_wallet).0,
            referrer: trade.referrer_wallet.map(|w| pda::member(hub, &w).0),
        },
        instruction::AwardPoints { trader: trade.trader_wallet, base_points },
        &trade.upline,
    )
}

/// `claim_fees`: the member of `wallet` claims its SOL fee share.
pub fn claim_fees(wallet: &Pubkey, hub: &Pubkey) -> Instruction {
    build(accounts::ClaimFees { wallet: *wallet, member: pda::member(hub, wallet).0 }, instruction::ClaimFees {}, &[])
}

/// `claim_token_fees`: the member of `wallet` claims its fee share in `mint` to `destination`.
pub fn claim_token_fees(
    wallet: &Pubkey,
    hub: &Pubkey,
    mint: &Pubkey,
    token_program: &Pubkey,
    destination: &Pubkey,
) -> Instruction {
    let member = pda::member(hub, wallet).0;
    build(
        accounts::ClaimTokenFees {
            wallet: *wallet,
            member,
            mint: *mint,
            vault: pda::fee_vault(&member, mint, token_program),
            destination: *destination,
            token_program: *token_program,
        },
        instruction::ClaimTokenFees {},
        &[],
    )
}

/// `propose_config`: the admin proposes `config` for `hub` (applies after the hub's delay).
pub fn propose_config(admin: &Pubkey, payer: &Pubkey, hub: &Pubkey, config: HubConfig) -> Instruction {
    build(
        accounts::ProposeConfig {
            admin: *admin,
            payer: *payer,
            hub: *hub,
            pending: pda::pending_config(hub).0,
            system_program: system_program::ID,
        },
        instruction::ProposeConfig { config },
        &[],
    )
}

/// `apply_config`: anyone applies the pending change; `payer` is who paid its rent (refunded).
pub fn apply_config(cranker: &Pubkey, hub: &Pubkey, payer: &Pubkey) -> Instruction {
    build(
        accounts::ApplyConfig { cranker: *cranker, hub: *hub, pending: pda::pending_config(hub).0, payer: *payer },
        instruction::ApplyConfig {},
        &[],
    )
}

/// `cancel_config`: the admin withdraws the pending change.
pub fn cancel_config(admin: &Pubkey, hub: &Pubkey, payer: &Pubkey) -> Instruction {
    build(
        accounts::CancelConfig { admin: *admin, hub: *hub, pending: pda::pending_config(hub).0, payer: *payer },
        instruction::CancelConfig {},
        &[],
    )
}

/// `propose_admin`.
pub fn propose_admin(admin: &Pubkey, hub: &Pubkey, new_admin: &Pubkey) -> Instruction {
    build(accounts::ProposeAdmin { admin: *admin, hub: *hub }, instruction::ProposeAdmin { new_admin: *new_admin }, &[])
}

/// `accept_admin`.
pub fn accept_admin(new_admin: &Pubkey, hub: &Pubkey) -> Instruction {
    build(accounts::AcceptAdmin { new_admin: *new_admin, hub: *hub }, instruction::AcceptAdmin {}, &[])
}

/// `set_pause`: `paused` is a combination of `referral::state::PAUSE_*` bits.
pub fn set_pause(admin: &Pubkey, hub: &Pubkey, paused: u8) -> Instruction {
    build(accounts::SetPause { admin: *admin, hub: *hub }, instruction::SetPause { paused }, &[])
}

/// `open_period`: opens period `index` of `hub` (anyone; `payer` pays the rent).
pub fn open_period(payer: &Pubkey, hub: &Pubkey, index: u32) -> Instruction {
    build(
        accounts::OpenPeriod {
            payer: *payer,
            hub: *hub,
            pending: pda::pending_config(hub).0,
            period: pda::period(hub, index).0,
            system_program: system_program::ID,
        },
        instruction::OpenPeriod { index },
        &[],
    )
}

/// `fund_pool`: `funder` adds `amount` lamports to its SOL pool of `period`.
pub fn fund_pool(funder: &Pubkey, period: &Pubkey, amount: u64) -> Instruction {
    build(
        accounts::FundPool {
            funder: *funder,
            period: *period,
            pool: pda::reward_pool(period, funder, &Pubkey::default()).0,
            system_program: system_program::ID,
        },
        instruction::FundPool { amount },
        &[],
    )
}

/// `fund_pool_token`: `funder` adds `amount` of `mint` from `funder_token` to its pool of `period`.
pub fn fund_pool_token(
    funder: &Pubkey,
    funder_token: &Pubkey,
    period: &Pubkey,
    mint: &Pubkey,
    token_program: &Pubkey,
    amount: u64,
) -> Instruction {
    let pool = pda::reward_pool(period, funder, mint).0;
    build(
        accounts::FundPoolToken {
            funder: *funder,
            funder_token: *funder_token,
            period: *period,
            pool,
            mint: *mint,
            vault: pda::pool_vault(&pool, mint, token_program),
            token_program: *token_program,
            associated_token_program: associated_token::ID,
            system_program: system_program::ID,
        },
        instruction::FundPoolToken { amount },
        &[],
    )
}

/// `register`: registers the member of `wallet` in `hub` for `period` (anyone; `payer` pays the rent).
pub fn register(payer: &Pubkey, hub: &Pubkey, period: &Pubkey, wallet: &Pubkey) -> Instruction {
    let member = pda::member(hub, wallet).0;
    build(
        accounts::Register {
            payer: *payer,
            hub: *hub,
            period: *period,
            member,
            registration: pda::registration(period, &member).0,
            system_program: system_program::ID,
        },
        instruction::Register {},
        &[],
    )
}

/// `claim_reward`: `wallet` claims its share of the SOL pool of `funder` in `period` of `hub`.
pub fn claim_reward(wallet: &Pubkey, hub: &Pubkey, period: &Pubkey, funder: &Pubkey) -> Instruction {
    let member = pda::member(hub, wallet).0;
    let pool = pda::reward_pool(period, funder, &Pubkey::default()).0;
    let registration = pda::registration(period, &member).0;
    build(
        accounts::ClaimReward {
            wallet: *wallet,
            hub: *hub,
            period: *period,
            pool,
            registration,
            claim: pda::reward_claim(&pool, &registration).0,
            system_program: system_program::ID,
        },
        instruction::ClaimReward {},
        &[],
    )
}

/// `claim_reward_token`: `wallet` claims its share of the `mint` pool of `funder` in `period` of `hub`
/// into `destination` (a token account of the wallet).
#[allow(clippy::too_many_arguments)]
pub fn claim_reward_token(
    wallet: &Pubkey,
    hub: &Pubkey,
    period: &Pubkey,
    funder: &Pubkey,
    mint: &Pubkey,
    token_program: &Pubkey,
    destination: &Pubkey,
) -> Instruction {
    let member = pda::member(hub, wallet).0;
    let pool = pda::reward_pool(period, funder, mint).0;
    let registration = pda::registration(period, &member).0;
    build(
        accounts::ClaimRewardToken {
            wallet: *wallet,
            hub: *hub,
            period: *period,
            pool,
            registration,
            mint: *mint,
            vault: pda::pool_vault(&pool, mint, token_program),
            destination: *destination,
            claim: pda::reward_claim(&pool, &registration).0,
            token_program: *token_program,
            system_program: system_program::ID,
        },
        instruction::ClaimRewardToken {},
        &[],
    )
}

/// `close_pool`: returns what is left in `funder`'s SOL pool of `period` to the funder (anyone).
pub fn close_pool(hub: &Pubkey, period: &Pubkey, funder: &Pubkey) -> Instruction {
    build(
        accounts::ClosePool {
            hub: *hub,
            period: *period,
            pool: pda::reward_pool(period, funder, &Pubkey::default()).0,
            funder: *funder,
        },
        instruction::ClosePool {},
        &[],
    )
}

/// `close_pool_token`: returns what is left in `funder`'s `mint` pool of `period` to the funder's associated
/// token account.
pub fn close_pool_token(
    hub: &Pubkey,
    period: &Pubkey,
    funder: &Pubkey,
    mint: &Pubkey,
    token_program: &Pubkey,
) -> Instruction {
    let pool = pda::reward_pool(period, funder, mint).0;
    build(
        accounts::ClosePoolToken {
            hub: *hub,
            period: *period,
            pool,
            funder: *funder,
            funder_token: pda::ata(funder, mint, token_program),
            mint: *mint,
            vault: pda::pool_vault(&pool, mint, token_program),
            token_program: *token_program,
        },
        instruction::ClosePoolToken {},
        &[],
    )
}

/// `close_registration`: closes the registration of `member` (a Member address) for `period`, its rent
/// back to `payer` (who paid it; anyone may send this).
pub fn close_registration(period: &Pubkey, member: &Pubkey, payer: &Pubkey) -> Instruction {
    build(
        accounts::CloseRegistration {
            period: *period,
            registration: pda::registration(period, member).0,
            payer: *payer,
        },
        instruction::CloseRegistration {},
        &[],
    )
}

/// `close_reward_claim`: closes the record of `registration`'s claim from `pool` once nothing is owed and
/// the pool is closed or returned, or the registration closed; its rent back to `wallet`, who claimed
/// (anyone may send this).
pub fn close_reward_claim(pool: &Pubkey, registration: &Pubkey, wallet: &Pubkey) -> Instruction {
    close_reward_claim_at(&pda::reward_claim(pool, registration).0, pool, registration, wallet)
}

/// [`close_reward_claim`] for a record known by its address (`record`, e.g. listed by wallet).
pub fn close_reward_claim_at(record: &Pubkey, pool: &Pubkey, registration: &Pubkey, wallet: &Pubkey) -> Instruction {
    build(
        accounts::CloseRewardClaim { claim: *record, pool: *pool, registration: *registration, wallet: *wallet },
        instruction::CloseRewardClaim {},
        &[],
    )
}

/// `collect_reward`: `wallet` collects its deferred claim by `registration` from the `mint` pool `pool`
/// into `destination` (a token account of the wallet).
pub fn collect_reward(
    wallet: &Pubkey,
    pool: &Pubkey,
    registration: &Pubkey,
    mint: &Pubkey,
    token_program: &Pubkey,
    destination: &Pubkey,
) -> Instruction {
    build(
        accounts::CollectReward {
            wallet: *wallet,
            claim: pda::reward_claim(pool, registration).0,
            pool: *pool,
            mint: *mint,
            vault: pda::pool_vault(pool, mint, token_program),
            destination: *destination,
            token_program: *token_program,
        },
        instruction::CollectReward {},
        &[],
    )
}

/// The tokens of a staking pool as its instructions name them: mint and token program.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PoolToken {
    /// The mint.
    pub mint: Pubkey,
    /// Its token program.
    pub token_program: Pubkey,
}

/// A staking pool's schedule: `rate` reward units per second from `start` to `end`, and the `funding`
/// the admin puts in at creation, which must cover it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Schedule {
    /// Reward base units per second.
    pub rate: u64,
    /// First second of emission.
    pub start: i64,
    /// First second after emission.
    pub end: i64,
    /// Initial funding (base units of the reward mint) from the admin's `admin_token`.
    pub funding: u64,
}

/// `create_staking_pool`: the hub admin creates pool `pool_id` of `hub`, funding it from `admin_token`.
pub fn create_staking_pool(
    admin: &Pubkey,
    hub: &Pubkey,
    pool_id: u32,
    stake: PoolToken,
    reward: PoolToken,
    admin_token: &Pubkey,
    schedule: Schedule,
) -> Instruction {
    let Schedule { rate, start, end, funding } = schedule;
    let pool = pda::staking_pool(hub, pool_id).0;
    build(
        accounts::CreateStakingPool {
            admin: *admin,
            hub: *hub,
            pool,
            stake_mint: stake.mint,
            reward_mint: reward.mint,
            stake_vault: pda::stake_vault(&pool),
            reward_vault: pda::reward_vault(&pool),
            admin_token: *admin_token,
            stake_token_program: stake.token_program,
            reward_token_program: reward.token_program,
            system_program: system_program::ID,
        },
        instruction::CreateStakingPool { pool_id, rate, start, end, funding },
        &[],
    )
}

/// `fund_staking_pool`: the hub admin deposits `amount` of the reward mint from `admin_token`.
pub fn fund_staking_pool(
    admin: &Pubkey,
    hub: &Pubkey,
    pool: &Pubkey,
    admin_token: &Pubkey,
    reward: PoolToken,
    amount: u64,
) -> Instruction {
    build(
        accounts::FundStakingPool {
            admin: *admin,
            hub: *hub,
            pool: *pool,
            admin_token: *admin_token,
            reward_vault: pda::reward_vault(pool),
            reward_mint: reward.mint,
            token_program: reward.token_program,
        },
        instruction::FundStakingPool { amount },
        &[],
    )
}

/// `apply_staking_rate`: applies `pool`'s pending rate cut once its notice has passed (anyone).
pub fn apply_staking_rate(pool: &Pubkey) -> Instruction {
    build(accounts::ApplyStakingRate { pool: *pool }, instruction::ApplyStakingRate {}, &[])
}

/// `set_staking_rate`: the hub admin sets `rate` and `end` of `pool` (a cut waits 7 days: see
/// [`apply_staking_rate`]).
pub fn set_staking_rate(admin: &Pubkey, hub: &Pubkey, pool: &Pubkey, rate: u64, end: i64) -> Instruction {
    build(
        accounts::SetStakingRate { admin: *admin, hub: *hub, pool: *pool },
        instruction::SetStakingRate { rate, end },
        &[],
    )
}

/// `withdraw_staking_excess`: the hub admin takes `amount` of `pool`'s funding that no emission can claim
/// back to `destination` (its token account of the reward mint).
pub fn withdraw_staking_excess(
    admin: &Pubkey,
    hub: &Pubkey,
    pool: &Pubkey,
    reward: PoolToken,
    destination: &Pubkey,
    amount: u64,
) -> Instruction {
    build(
        accounts::WithdrawStakingExcess {
            admin: *admin,
            hub: *hub,
            pool: *pool,
            reward_mint: reward.mint,
            reward_vault: pda::reward_vault(pool),
            destination: *destination,
            token_program: reward.token_program,
        },
        instruction::WithdrawStakingExcess { amount },
        &[],
    )
}

/// `pool_stake`: `owner` stakes `amount` from `owner_token` into `pool` of `hub`; `referrer_wallet` is
/// its referrer (read from its Member), whose position receives the +5%.
pub fn pool_stake(
    owner: &Pubkey,
    hub: &Pubkey,
    pool: &Pubkey,
    stake: PoolToken,
    owner_token: &Pubkey,
    referrer_wallet: Option<&Pubkey>,
    amount: u64,
) -> Instruction {
    let member = pda::member(hub, owner).0;
    let referrer_member = referrer_wallet.map(|w| pda::member(hub, w).0);
    build(
        accounts::PoolStake {
            owner: *owner,
            hub: *hub,
            pool: *pool,
            member,
            position: pda::position(pool, &member).0,
            referrer_member,
            referrer_position: referrer_member.map(|m| pda::position(pool, &m).0),
            owner_token: *owner_token,
            stake_vault: pda::stake_vault(pool),
            stake_mint: stake.mint,
            token_program: stake.token_program,
            system_program: system_program::ID,
        },
        instruction::PoolStake { amount },
        &[],
    )
}

/// `pool_withdraw`: `owner` withdraws `amount` of its stake in `pool` of `hub` to `owner_token`.
pub fn pool_withdraw(
    owner: &Pubkey,
    hub: &Pubkey,
    pool: &Pubkey,
    stake: PoolToken,
    owner_token: &Pubkey,
    referrer_wallet: Option<&Pubkey>,
    amount: u64,
) -> Instruction {
    let member = pda::member(hub, owner).0;
    build(
        accounts::PoolWithdraw {
            owner: *owner,
            pool: *pool,
            position: pda::position(pool, &member).0,
            referrer_position: referrer_wallet.map(|w| pda::position(pool, &pda::member(hub, w).0).0),
            owner_token: *owner_token,
            stake_vault: pda::stake_vault(pool),
            stake_mint: stake.mint,
            token_program: stake.token_program,
        },
        instruction::PoolWithdraw { amount },
        &[],
    )
}

/// Whether a `pool_claim` of `position` must name the referrer (`link_referrer`): a referral made after
/// the position's last stake takes effect at the claim when the member has a referrer now, the
/// position has stake but no referrer position yet, and its bonus is still valid.
pub fn claim_links_referrer(position: &referral::state::PoolPosition, member: &Member) -> bool {
    position.referrer_position == Pubkey::default()
        && member.referrer != Pubkey::default()
        && position.bonus_valid
        && position.staked > 0
}

/// `pool_claim`: `owner` claims its position's rewards in `pool` of `hub` into `destination`;
/// `link_referrer` is the referrer's wallet when the claim links a late referral ([`claim_links_referrer`]).
pub fn pool_claim(
    owner: &Pubkey,
    hub: &Pubkey,
    pool: &Pubkey,
    reward: PoolToken,
    destination: &Pubkey,
    link_referrer: Option<&Pubkey>,
) -> Instruction {
    let member = pda::member(hub, owner).0;
    let referrer_member = link_referrer.map(|w| pda::member(hub, w).0);
    build(
        accounts::PoolClaim {
            owner: *owner,
            pool: *pool,
            position: pda::position(pool, &member).0,
            member,
            referrer_member,
            referrer_position: referrer_member.map(|m| pda::position(pool, &m).0),
            reward_vault: pda::reward_vault(pool),
            destination: *destination,
            reward_mint: reward.mint,
            token_program: reward.token_program,
            system_program: system_program::ID,
        },
        instruction::PoolClaim {},
        &[],
    )
}
