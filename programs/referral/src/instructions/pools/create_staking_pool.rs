//! `create_staking_pool`: the hub admin creates a referral-boosted staking pool.
use anchor_lang::prelude::*;
use anchor_spl::token_interface::{Mint, TokenAccount, TokenInterface};

use super::deposit;
use crate::constants::{REWARD_VAULT_SEED, STAKE_VAULT_SEED, STAKING_POOL_SEED};
use crate::errors::ReferralError;
use crate::events::StakingPoolCreated;
use crate::logic::pools::covered;
use crate::logic::tokens::fund_check;
use crate::state::{Hub, StakingPool};
use crate::utils::token::mint_traits;

#[derive(Accounts)]
#[instruction(pool_id: u32)]
pub struct CreateStakingPool<'info> {
    /// The hub admin; pays the rent of the pool and its two vaults, and the initial funding.
    #[account(mut)]
    pub admin: Signer<'info>,
    /// The hub.
    #[account(has_one = admin @ ReferralError::NotAdmin)]
    pub hub: AccountLoader<'info, Hub>,
    /// The pool, created at `[STAKING_POOL_SEED, hub, pool_id LE]`.
    #[account(
        init,
        payer = admin,
        space = StakingPool::SPACE,
        seeds = [STAKING_POOL_SEED, hub.key().as_ref(), &pool_id.to_le_bytes()],
        bump,
    )]
    pub pool: Account<'info, StakingPool>,
    /// What is staked.
    #[account(mint::token_program = stake_token_program)]
    pub stake_mint: InterfaceAccount<'info, Mint>,
    /// What is paid out.
    #[account(mint::token_program = reward_token_program)]
    pub reward_mint: InterfaceAccount<'info, Mint>,
    /// The stake vault, owned by the pool.
    #[account(
        init,
        payer = admin,
        seeds = [STAKE_VAULT_SEED, pool.key().as_ref()],
        bump,
        token::mint = stake_mint,
        token::authority = pool,
        token::token_program = stake_token_program,
    )]
    pub stake_vault: InterfaceAccount<'info, TokenAccount>,
    /// The reward vault, owned by the pool.
    #[account(
        init,
        payer = admin,
        seeds = [REWARD_VAULT_SEED, pool.key().as_ref()],
        bump,
        token::mint = reward_mint,
        token::authority = pool,
        token::token_program = reward_token_program,
    )]
    pub reward_vault: InterfaceAccount<'info, TokenAccount>,
    /// The admin's token account of the reward mint the initial funding comes from.
    #[account(
        mut,
        token::mint = reward_mint,
        token::authority = admin,
        token::token_program = reward_token_program,
    )]
    pub admin_token: InterfaceAccount<'info, TokenAccount>,
    /// The stake mint's token program (SPL Token or Token-2022).
    pub stake_token_program: Interface<'info, TokenInterface>,
    /// The reward mint's token program (SPL Token or Token-2022).
    pub reward_token_program: Interface<'info, TokenInterface>,
    pub system_program: Program<'info, System>,
}

impl CreateStakingPool<'_> {
    /// Steps:
    /// 1. The schedule ends after it starts (`InvalidSchedule`); both mints can move through the program
    ///    and cannot be taken from its vaults (`fund_check`, D-49: no hook, permanent delegate,
    ///    non-transferable, paused or default-frozen mint); the stake mint's authority cannot later pause
    ///    it or give it a transfer hook, which would hold principal (`StakeMintCanBlockTransfers`, R-6.6).
    /// 2. Store the pool (Anchor created it and its two vaults at their PDAs, the admin paying).
    /// 3. Move `funding` from the admin's account into the reward vault; what arrived (after any
    ///    Token-2022 transfer fee) is the pool's funding. The schedule must be covered by it:
    ///    rate x (end - max(start, now)) <= funded (`EmissionExceedsFunding`, R-6.6): a pool never
    ///    promises more than it holds, so no rate can brick it.
    /// 4. Emit `StakingPoolCreated`.
    ///
    /// Accrual: each second of the schedule emits `rate` units, shared by weight; the accumulator
    /// per unit of weight grows by `rate x seconds x 2^64 / total_weight` (remainder carried) and a
    /// position of weight w earns `w x (acc - snapshot) / 2^64` (remainder carried) between settlements.
    pub fn handler(ctx: Context<Self>, pool_id: u32, rate: u64, start: i64, end: i64, funding: u64) -> Result<()> {
        require!(end > start, ReferralError::InvalidSchedule);
        let a = ctx.accounts;
        let stake_traits = mint_traits(&a.stake_mint.to_account_info())?;
        fund_check(&stake_traits, false)?;
        require!(!stake_traits.can_block, ReferralError::StakeMintCanBlockTransfers);
        fund_check(&mint_traits(&a.reward_mint.to_account_info())?, false)?;
        let now = Clock::get()?.unix_timestamp;
        a.pool.set_inner(StakingPool {
            hub: a.hub.key(),
            stake_mint: a.stake_mint.key(),
            reward_mint: a.reward_mint.key(),
            stake_token_program: a.stake_token_program.key(),
            reward_token_program: a.reward_token_program.key(),
            stake_vault: a.stake_vault.key(),
            reward_vault: a.reward_vault.key(),
            pool_id,
            rate,
            start,
            end,
            last_update: now,
            acc: 0,
            acc_carry: 0,
            total_weight: 0,
            emitted: 0,
            total_staked: 0,
            funded: 0,
            paid: 0,
            next_rate: 0,
            next_end: 0,
            next_at: 0,
            bump: ctx.bumps.pool,
        });
        if funding > 0 {
            let admin = a.admin.to_account_info();
            let (from, vault, mint, program) =
                (&a.admin_token, &a.reward_vault, &a.reward_mint, &a.reward_token_program);
            a.pool.funded = deposit(from, vault, mint, admin, program, funding)?;
        }
        require!(covered(&a.pool.accrual(), a.pool.funded), ReferralError::EmissionExceedsFunding);
        emit!(StakingPoolCreated { hub: a.hub.key(), pool: a.pool.key(), pool_id, rate, start, end });
        Ok(())
    }
}
