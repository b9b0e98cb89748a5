//! `pool_withdraw`: a member withdraws stake; its referral bonus in this pool ends.
use anchor_lang::prelude::*;
use anchor_spl::token_interface::{Mint, TokenAccount, TokenInterface};

use super::pay_from_pool;
use crate::errors::ReferralError;
use crate::events::{PoolRewardsForfeited, PoolStakeChanged};
use crate::logic::pools::withdraw;
use crate::state::{PoolPosition, StakingPool};

#[derive(Accounts)]
pub struct PoolWithdraw<'info> {
    /// The position's wallet.
    pub owner: Signer<'info>,
    /// The pool.
    #[account(mut)]
    pub pool: Account<'info, StakingPool>,
    /// The owner's position in this pool.
    #[account(
        mut,
        constraint = position.pool == pool.key() @ ReferralError::WrongPosition,
        constraint = position.wallet == owner.key() @ ReferralError::WrongPosition,
    )]
    pub position: Account<'info, PoolPosition>,
    /// The referrer's position this position credits its +5% to, required when it has one.
    #[account(mut, constraint = referrer_position.key() == position.referrer_position @ ReferralError::WrongReferrerPosition)]
    pub referrer_position: Option<Account<'info, PoolPosition>>,
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
}

impl PoolWithdraw<'_> {
    /// Steps (never paused: a stake can always be taken back, R-1.4):
    /// 1. `amount > 0` (`ZeroAmount`); the referrer's position is passed when this one credits one
    ///    (`WrongReferrerPosition`).
    /// 2. `logic::pools::withdraw`: bring the pool up to date, settle both positions, take the amount off
    ///    the stake (`WithdrawMoreThanStaked`), end the bonus in this pool for good (the +10% and exactly
    ///    the +5% it granted are removed, R-6.4), move the pool's total weight. Principal never waits on
    ///    the reward arithmetic: should it fail, the stake still comes off and the rewards that
    ///    cannot be computed are forfeited (`PoolRewardsForfeited`).
    /// 3. Pay the amount out of the stake vault, signed by the pool.
    /// 4. Emit `PoolStakeChanged`.
    pub fn handler(ctx: Context<Self>, amount: u64) -> Result<()> {
        require!(amount > 0, ReferralError::ZeroAmount);
        let a = ctx.accounts;
        let now = Clock::get()?.unix_timestamp;
        let has_referrer = a.position.referrer_position != Pubkey::default();
        require!(has_referrer == a.referrer_position.is_some(), ReferralError::WrongReferrerPosition);
        let mut accrual = a.pool.accrual();
        let mut stake = a.position.stake();
        let forfeited = match a.referrer_position.as_mut() {
            Some(rp) => {
                let mut rs = rp.stake();
                let forfeited =
                    withdraw(&mut accrual, now, &mut stake, Some(&mut rs), amount).map_err(ReferralError::from)?;
                rp.set_stake(&rs);
                forfeited
            }
            None => withdraw(&mut accrual, now, &mut stake, None, amount).map_err(ReferralError::from)?,
        };
        a.position.set_stake(&stake);
        a.pool.set_accrual(&accrual);
        a.pool.total_staked = a.pool.total_staked.checked_sub(amount).ok_or(ReferralError::MathOverflow)?;
        pay_from_pool(&a.pool, &a.stake_vault, &a.owner_token, &a.stake_mint, &a.token_program, amount)?;
        if forfeited {
            emit!(PoolRewardsForfeited { pool: a.pool.key(), member: a.position.member, withdrawn: amount });
        }
        emit!(PoolStakeChanged {
            pool: a.pool.key(),
            member: a.position.member,
            staked: a.position.staked,
            weight: stake.weight(),
            total_weight: accrual.total_weight,
        });
        Ok(())
    }
}
