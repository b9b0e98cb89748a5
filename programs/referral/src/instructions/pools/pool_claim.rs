//! `pool_claim`: a member claims the rewards its position accrued.
use anchor_lang::prelude::*;
use anchor_spl::token_interface::{Mint, TokenAccount, TokenInterface};

use super::{pay_from_pool, referrer_position, save_position};
use crate::errors::ReferralError;
use crate::events::{PoolRewardClaimed, PoolStakeChanged};
use crate::logic::pools::{apply, claim, Change};
use crate::state::{Member, PoolPosition, StakingPool};

#[derive(Accounts)]
pub struct PoolClaim<'info> {
    /// The position's wallet; pays the rent of its referrer's position when a late referral creates it.
    #[account(mut)]
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
    /// The position's Member (its referrer now: a referral made after the last stake links here, R-6.7).
    #[account(constraint = member.key() == position.member @ ReferralError::WrongPosition)]
    pub member: AccountLoader<'info, Member>,
    /// The member's referrer (its Member): required exactly when a referral made after the position's
    /// last stake is still to take effect (the position has stake, no referrer position yet, its bonus is
    /// valid and the member now has a referrer); refused otherwise.
    pub referrer_member: Option<AccountLoader<'info, Member>>,
    /// The referrer's position in this pool, created here when it has none (the owner pays), with
    /// `referrer_member`. Unchecked by Anchor (CHECK): `position_at` proves it is the referrer's position
    /// in this pool.
    #[account(mut)]
    pub referrer_position: Option<UncheckedAccount<'info>>,
    /// The reward mint.
    #[account(address = pool.reward_mint @ ReferralError::WrongPoolAccount, mint::token_program = token_program)]
    pub reward_mint: InterfaceAccount<'info, Mint>,
    /// The pool's reward vault, by the address the pool stored.
    #[account(mut, address = pool.reward_vault @ ReferralError::WrongPoolAccount)]
    pub reward_vault: InterfaceAccount<'info, TokenAccount>,
    /// A token account of the owner for the reward mint.
    #[account(mut, token::mint = reward_mint, token::authority = owner, token::token_program = token_program)]
    pub destination: InterfaceAccount<'info, TokenAccount>,
    /// The reward mint's token program (SPL Token or Token-2022).
    pub token_program: Interface<'info, TokenInterface>,
    pub system_program: Program<'info, System>,
}

impl<'info> PoolClaim<'info> {
    /// Steps (never paused, R-1.4):
    /// 1. A referral made after the position's last stake takes effect now: with the referrer's
    ///    Member and position (created when missing; `ReferrerAccountMissing`, `ReferrerMismatch`,
    ///    `WrongReferrerPosition`), both positions are settled at the old weights, then the +10% and the
    ///    +5% count (`logic::pools::apply` with `Change::Link`). Referrer accounts are refused when there
    ///    is nothing to link (`ReferrerMismatch`).
    /// 2. Bring the pool up to date and settle the position (`logic::pools::claim`); `NothingToClaim`
    ///    when it is owed nothing (unless step 1 linked a referral: that is kept, and 0 returned). Owed: `weight x (acc - snapshot) / 2^64` since the last settlement plus
    ///    what earlier settlements left owed.
    /// 3. The reward vault holds it (`PoolUnderfunded` otherwise: payouts never exceed what was funded).
    /// 4. Pay it out of the reward vault, signed by the pool; count it paid; emit `PoolRewardClaimed`.
    ///
    /// Returns the amount.
    pub fn handler(ctx: Context<'info, Self>) -> Result<u64> {
        let a = ctx.accounts;
        let now = Clock::get()?.unix_timestamp;
        let mut accrual = a.pool.accrual();
        let mut stake = a.position.stake();
        let stored_referrer = a.member.load()?.referrer;
        // Nothing to link on a position with no stake (one created for a referrer by its referee's
        // stake): its own first stake links it.
        let link = a.position.referrer_position == Pubkey::default()
            && stored_referrer != Pubkey::default()
            && a.position.bonus_valid
            && a.position.staked > 0;
        let pool_key = a.pool.key();
        let linked = referrer_position(
            link,
            &stored_referrer,
            &a.referrer_member,
            &a.referrer_position,
            &a.owner,
            &a.system_program,
            &pool_key,
            accrual.acc,
        )?;
        if let Some((rp, mut referrer)) = linked {
            let mut rs = referrer.stake();
            apply(&mut accrual, now, &mut stake, Some(&mut rs), Change::Link).map_err(ReferralError::from)?;
            referrer.set_stake(&rs);
            save_position(rp, &referrer)?;
            a.position.referrer_position = rp.key();
            emit!(PoolStakeChanged {
                pool: pool_key,
                member: a.position.member,
                staked: stake.staked,
                weight: stake.weight(),
                total_weight: accrual.total_weight,
            });
        }
        let amount = claim(&mut accrual, now, &mut stake).map_err(ReferralError::from)?;
        if amount == 0 && link {
            // Nothing owed, but the referral took effect: keep it.
            a.position.set_stake(&stake);
            a.pool.set_accrual(&accrual);
            return Ok(0);
        }
        require!(amount > 0, ReferralError::NothingToClaim);
        require!(a.reward_vault.amount >= amount, ReferralError::PoolUnderfunded);
        a.position.set_stake(&stake);
        a.position.paid = a.position.paid.checked_add(amount).ok_or(ReferralError::MathOverflow)?;
        a.pool.set_accrual(&accrual);
        a.pool.paid = a.pool.paid.checked_add(amount).ok_or(ReferralError::MathOverflow)?;
        pay_from_pool(&a.pool, &a.reward_vault, &a.destination, &a.reward_mint, &a.token_program, amount)?;
        emit!(PoolRewardClaimed { pool: a.pool.key(), member: a.position.member, amount });
        Ok(amount)
    }
}
