//! `pool_stake`: a member stakes into a staking pool; its referrer's +5% follows.
use anchor_lang::prelude::*;
use anchor_spl::token_interface::{Mint, TokenAccount, TokenInterface};

use super::{deposit, position_at, referrer_position, save_position};
use crate::constants::POSITION_SEED;
use crate::errors::ReferralError;
use crate::events::PoolStakeChanged;
use crate::logic::pools::{apply, Change};
use crate::state::{Hub, Member, StakingPool, PAUSE_STAKING};
use crate::utils::token::payer_cpi_guarded;

#[derive(Accounts)]
pub struct PoolStake<'info> {
    /// The member's wallet: signs, pays the tokens and the rent of the positions created.
    #[account(mut)]
    pub owner: Signer<'info>,
    /// The hub (its staking pause, R-1.4).
    #[account(constraint = hub.key() == pool.hub @ ReferralError::WrongHub)]
    pub hub: AccountLoader<'info, Hub>,
    /// The pool.
    #[account(mut)]
    pub pool: Account<'info, StakingPool>,
    /// The owner's Member of the pool's hub.
    #[account(
        constraint = member.load()?.wallet == owner.key() @ ReferralError::NotMemberWallet,
        constraint = member.load()?.hub == pool.hub @ ReferralError::WrongHub,
    )]
    pub member: AccountLoader<'info, Member>,
    /// The owner's position, `[POSITION_SEED, pool, member]`, created on the first stake. Unchecked by
    /// Anchor (CHECK): the seeds constraint proves the address; an existing one is loaded and checked.
    #[account(mut, seeds = [POSITION_SEED, pool.key().as_ref(), member.key().as_ref()], bump)]
    pub position: UncheckedAccount<'info>,
    /// The member's referrer (its Member), required when it has one.
    pub referrer_member: Option<AccountLoader<'info, Member>>,
    /// The referrer's position in this pool, created here when it has none. Unchecked by Anchor (CHECK):
    /// `position_at` proves it is the referrer's position in this pool.
    #[account(mut)]
    pub referrer_position: Option<UncheckedAccount<'info>>,
    /// The stake mint.
    #[account(address = pool.stake_mint @ ReferralError::WrongPoolAccount, mint::token_program = token_program)]
    pub stake_mint: InterfaceAccount<'info, Mint>,
    /// The owner's token account of the stake mint.
    #[account(mut, token::mint = stake_mint, token::authority = owner, token::token_program = token_program)]
    pub owner_token: InterfaceAccount<'info, TokenAccount>,
    /// The pool's stake vault.
    #[account(mut, address = pool.stake_vault @ ReferralError::WrongPoolAccount)]
    pub stake_vault: InterfaceAccount<'info, TokenAccount>,
    pub token_program: Interface<'info, TokenInterface>,
    pub system_program: Program<'info, System>,
}

impl<'info> PoolStake<'info> {
    /// Steps:
    /// 1. `amount > 0` (`ZeroAmount`); staking not paused (`StakingPaused`); the owner's account lets the
    ///    program move its tokens (`FunderCpiGuard`).
    /// 2. The referrer: when the member has one, its Member and its position in this pool are required
    ///    (`ReferrerAccountMissing`, `ReferrerMismatch`, `WrongReferrerPosition`); the position is created
    ///    here when the referrer has none (the staker pays: the +5% needs somewhere to accrue, D-50).
    /// 3. Load or create the owner's position.
    /// 4. Transfer `amount` into the stake vault; what arrived is the stake (Token-2022 transfer fees).
    /// 5. `logic::pools::apply`: bring the pool up to date, settle both positions, add the stake,
    ///    recompute the +10% and the +5% (while the bonus is valid), move the pool's total weight.
    /// 6. Write the positions and the pool; emit `PoolStakeChanged`.
    pub fn handler(ctx: Context<'info, Self>, amount: u64) -> Result<()> {
        require!(amount > 0, ReferralError::ZeroAmount);
        let a = ctx.accounts;
        require!(!a.hub.load()?.is_paused(PAUSE_STAKING), ReferralError::StakingPaused);
        require!(!payer_cpi_guarded(&a.owner_token.to_account_info(), a.owner.key)?, ReferralError::FunderCpiGuard);
        let now = Clock::get()?.unix_timestamp;
        let pool_key = a.pool.key();
        let member_key = a.member.key();
        let stored_referrer = a.member.load()?.referrer;
        let referrer = referrer_position(
            stored_referrer != Pubkey::default(),
            &stored_referrer,
            &a.referrer_member,
            &a.referrer_position,
            &a.owner,
            &a.system_program,
            &pool_key,
            a.pool.acc,
        )?;
        let mut position = position_at(
            &a.owner,
            &a.position,
            &a.system_program,
            &pool_key,
            &member_key,
            a.owner.key,
            Some(ctx.bumps.position),
            a.pool.acc,
        )?;
        let owner = a.owner.to_account_info();
        let arrived = deposit(&a.owner_token, &a.stake_vault, &a.stake_mint, owner, &a.token_program, amount)?;
        require!(arrived > 0, ReferralError::ZeroAmount);

        let mut accrual = a.pool.accrual();
        let mut stake = position.stake();
        match referrer {
            Some((info, mut rp)) => {
                let mut rs = rp.stake();
                apply(&mut accrual, now, &mut stake, Some(&mut rs), Change::Stake(arrived))
                    .map_err(ReferralError::from)?;
                rp.set_stake(&rs);
                save_position(info, &rp)?;
                position.referrer_position = info.key();
            }
            None => apply(&mut accrual, now, &mut stake, None, Change::Stake(arrived)).map_err(ReferralError::from)?,
        }
        position.set_stake(&stake);
        save_position(&a.position, &position)?;
        a.pool.set_accrual(&accrual);
        a.pool.total_staked = a.pool.total_staked.checked_add(arrived).ok_or(ReferralError::MathOverflow)?;
        emit!(PoolStakeChanged {
            pool: pool_key,
            member: member_key,
            staked: position.staked,
            weight: stake.weight(),
            total_weight: accrual.total_weight,
        });
        Ok(())
    }
}
