//! `claim_reward`: a registered member claims its share of a period's SOL pool.
use anchor_lang::prelude::*;

use super::{take_claim, Claiming};
use crate::constants::REWARD_CLAIM_SEED;
use crate::errors::ReferralError;
use crate::state::{Hub, Period, Registration, RewardPool};

#[derive(Accounts)]
pub struct ClaimReward<'info> {
    /// The registered member's wallet: signs, receives the reward, pays the claim record's rent.
    #[account(mut)]
    pub wallet: Signer<'info>,
    /// The hub (its claims pause, R-1.4).
    #[account(constraint = hub.key() == period.hub @ ReferralError::WrongHub)]
    pub hub: AccountLoader<'info, Hub>,
    /// The period.
    pub period: Account<'info, Period>,
    /// A SOL pool of the period.
    #[account(
        mut,
        constraint = pool.period == period.key() @ ReferralError::WrongPeriod,
        constraint = pool.is_sol() @ ReferralError::WrongPoolMint,
    )]
    pub pool: Account<'info, RewardPool>,
    /// The member's registration for the period.
    #[account(
        mut,
        constraint = registration.period == period.key() @ ReferralError::WrongPeriod,
        constraint = registration.wallet == wallet.key() @ ReferralError::NotRegistrationWallet,
    )]
    pub registration: Account<'info, Registration>,
    /// The claim's record, created here at `[REWARD_CLAIM_SEED, pool, registration]`: once per pool
    /// (`AlreadyClaimed` when it exists). Unchecked by Anchor (CHECK): the seeds constraint proves the
    /// address.
    #[account(mut, seeds = [REWARD_CLAIM_SEED, pool.key().as_ref(), registration.key().as_ref()], bump)]
    pub claim: UncheckedAccount<'info>,
    pub system_program: Program<'info, System>,
}

impl ClaimReward<'_> {
    /// Steps:
    /// 1. The claim rules of `take_claim`: claims open (after the registration window), not held by a
    ///    claims pause (at most 7 days, R-1.4), once per pool (the claim record is created); the amount by
    ///    the formula: for each tier t the member reached,
    ///    `floor(funded x tier_share_bps[t] x points / (10,000 x tier_total[t]))`, summed.
    /// 2. Move the amount from the pool account's lamports to the wallet (the pool stays rent-exempt:
    ///    claims never exceed what was funded above its rent).
    ///
    /// Returns the amount.
    pub fn handler(ctx: Context<Self>) -> Result<u64> {
        let a = ctx.accounts;
        let pool_key = a.pool.key();
        let claiming = Claiming {
            wallet: &a.wallet.to_account_info(),
            record: &a.claim.to_account_info(),
            system_program: &a.system_program.to_account_info(),
            bump: ctx.bumps.claim,
        };
        let registration_key = a.registration.key();
        let amount = take_claim(
            claiming,
            &*a.hub.load()?,
            &a.period,
            pool_key,
            &mut a.pool,
            registration_key,
            &mut a.registration,
            false,
        )?;
        if amount > 0 {
            a.pool.sub_lamports(amount)?;
            a.wallet.add_lamports(amount)?;
        }
        Ok(amount)
    }
}
