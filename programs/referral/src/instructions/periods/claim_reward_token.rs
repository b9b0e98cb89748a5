//! `claim_reward_token`: a registered member claims its share of a period's token pool.
use anchor_lang::prelude::*;
use anchor_spl::token_interface::{Mint, TokenAccount, TokenInterface};

use super::{take_claim, Claiming};
use crate::constants::{POOL_SEED, REWARD_CLAIM_SEED};
use crate::errors::ReferralError;
use crate::logic::tokens::claim_check;
use crate::state::{Hub, Period, Registration, RewardPool};
use crate::utils::token::{mint_traits, pay_out};

#[derive(Accounts)]
pub struct ClaimRewardToken<'info> {
    /// The registered member's wallet: signs, pays the claim record's rent; the reward goes to its token
    /// account.
    #[account(mut)]
    pub wallet: Signer<'info>,
    /// The hub (its claims pause, R-1.4).
    #[account(constraint = hub.key() == period.hub @ ReferralError::WrongHub)]
    pub hub: AccountLoader<'info, Hub>,
    /// The period.
    pub period: Account<'info, Period>,
    /// A token pool of the period, in `mint`.
    #[account(
        mut,
        constraint = pool.period == period.key() @ ReferralError::WrongPeriod,
        constraint = pool.mint == mint.key() @ ReferralError::WrongPoolMint,
    )]
    pub pool: Account<'info, RewardPool>,
    /// The member's registration for the period.
    #[account(
        mut,
        constraint = registration.period == period.key() @ ReferralError::WrongPeriod,
        constraint = registration.wallet == wallet.key() @ ReferralError::NotRegistrationWallet,
    )]
    pub registration: Account<'info, Registration>,
    /// The pool's mint.
    #[account(mint::token_program = token_program)]
    pub mint: InterfaceAccount<'info, Mint>,
    /// The pool's vault: the address the pool stored when it was created (its associated token account
    /// for `mint`), never another token account the pool might own.
    #[account(mut, address = pool.vault @ ReferralError::WrongPoolVault)]
    pub vault: InterfaceAccount<'info, TokenAccount>,
    /// A token account of the wallet for `mint`.
    #[account(
        mut,
        constraint = destination.owner == wallet.key() @ ReferralError::WrongDestination,
        constraint = destination.mint == mint.key() @ ReferralError::WrongDestination,
    )]
    pub destination: InterfaceAccount<'info, TokenAccount>,
    /// The claim's record, created here at `[REWARD_CLAIM_SEED, pool, registration]`: once per pool
    /// (`AlreadyClaimed` when it exists). Unchecked by Anchor (CHECK): the seeds constraint proves the
    /// address.
    #[account(mut, seeds = [REWARD_CLAIM_SEED, pool.key().as_ref(), registration.key().as_ref()], bump)]
    pub claim: UncheckedAccount<'info>,
    /// The mint's token program (SPL Token or Token-2022).
    pub token_program: Interface<'info, TokenInterface>,
    pub system_program: Program<'info, System>,
}

impl ClaimRewardToken<'_> {
    /// Steps:
    /// 1. Whether the token can move now: the mint (paused, hooked), the vault and the destination (frozen)
    ///    (`claim_check`, D-37).
    /// 2. The claim rules of `take_claim` (claims open, not held by a claims pause, once per pool: the
    ///    claim record is created; the amount by the formula of `claim_reward`, R-5.4). When the token
    ///    cannot move, the claim is not refused: its amount is kept for the member (deferred) and paid by
    ///    `collect_reward` once it can, so blocking transfers never lets a funder take members' shares back
    ///
    /// 3. Otherwise transfer the amount from the vault to the wallet's token account, signed by the pool.
    ///
    /// Returns the amount paid now (a Token-2022 transfer fee may withhold part of it on the way); 0 when
    /// the claim was deferred (the `RewardClaimed` event says so).
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
        let traits = mint_traits(&a.mint.to_account_info())?;
        let defer = claim_check(&traits, a.vault.is_frozen(), a.destination.is_frozen()).is_err();
        let amount = take_claim(
            claiming,
            &*a.hub.load()?,
            &a.period,
            pool_key,
            &mut a.pool,
            registration_key,
            &mut a.registration,
            defer,
        )?;
        if amount == 0 || defer {
            return Ok(0);
        }
        let (period, funder, mint, bump) = (a.pool.period, a.pool.funder, a.pool.mint, a.pool.bump);
        let seeds: &[&[u8]] = &[POOL_SEED, period.as_ref(), funder.as_ref(), mint.as_ref(), &[bump]];
        pay_out(&a.vault, &a.destination, &a.mint, a.pool.to_account_info(), &a.token_program, seeds, amount)?;
        Ok(amount)
    }
}
