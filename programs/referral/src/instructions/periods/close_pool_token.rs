//! `close_pool_token`: after the claim window, anyone returns what is left in a token pool to its funder
//!
use anchor_lang::prelude::*;
use anchor_lang::solana_program::program::invoke;
use anchor_spl::token_2022::spl_token_2022::extension::transfer_fee::instruction::harvest_withheld_tokens_to_mint;
use anchor_spl::token_interface::{self, CloseAccount, Mint, TokenAccount, TokenInterface};

use super::closing_pool;
use crate::constants::POOL_SEED;
use crate::errors::ReferralError;
use crate::events::PoolClosed;
use crate::state::{Hub, Period, RewardPool};
use crate::utils::token::{pay_out, withheld_fees};

#[derive(Accounts)]
pub struct ClosePoolToken<'info> {
    /// The hub (its claims pause, R-1.4).
    #[account(constraint = hub.key() == period.hub @ ReferralError::WrongHub)]
    pub hub: AccountLoader<'info, Hub>,
    /// The period.
    #[account(mut)]
    pub period: Account<'info, Period>,
    /// A token pool of the period, closed here (its rent to the funder).
    #[account(
        mut,
        close = funder,
        constraint = pool.period == period.key() @ ReferralError::WrongPeriod,
        constraint = pool.mint == mint.key() @ ReferralError::WrongPoolMint,
        has_one = funder @ ReferralError::WrongRecipient,
    )]
    pub pool: Account<'info, RewardPool>,
    /// The pool's funder. Unchecked by Anchor (CHECK): `has_one` on the pool proves it is the funder; it
    /// receives the rent of the pool and its vault.
    #[account(mut)]
    pub funder: UncheckedAccount<'info>,
    /// A token account of the funder for `mint`: what is left goes there.
    #[account(
        mut,
        constraint = funder_token.owner == funder.key() @ ReferralError::WrongDestination,
        constraint = funder_token.mint == mint.key() @ ReferralError::WrongDestination,
    )]
    pub funder_token: InterfaceAccount<'info, TokenAccount>,
    /// The pool's mint (writable: transfer fees withheld in the vault are harvested to it, so the vault
    /// can be closed).
    #[account(mut, mint::token_program = token_program)]
    pub mint: InterfaceAccount<'info, Mint>,
    /// The pool's vault, emptied and closed here: the address the pool stored when it was created, never
    /// another token account the pool might own, so the pool cannot be closed while its vault holds funds
    ///
    #[account(mut, address = pool.vault @ ReferralError::WrongPoolVault)]
    pub vault: InterfaceAccount<'info, TokenAccount>,
    /// The mint's token program (SPL Token or Token-2022).
    pub token_program: Interface<'info, TokenInterface>,
}

impl ClosePoolToken<'_> {
    /// Steps:
    /// 1. After the claim window, a week of open claims after the hold of the last claims pause that began
    ///    within it (D-47), and a whole claim window after the vault was last reported frozen
    ///    (`ClaimWindowOpen`); count the pool out of the period's open pools.
    /// 2. Send the vault's whole balance to the funder's token account (a named error when the mint or
    ///    the accounts would stop it, D-37); harvest transfer fees withheld in the vault to the mint
    ///    (Token-2022); close the vault and the pool (rent to the funder).
    /// 3. Emit `PoolClosed`.
    pub fn handler(ctx: Context<Self>) -> Result<()> {
        let a = ctx.accounts;
        closing_pool(&*a.hub.load()?, &mut a.period, &a.pool)?;
        let returned = a.vault.amount;
        let (period, funder, mint, bump) = (a.pool.period, a.pool.funder, a.pool.mint, a.pool.bump);
        let seeds: &[&[u8]] = &[POOL_SEED, period.as_ref(), funder.as_ref(), mint.as_ref(), &[bump]];
        if returned > 0 {
            let pool = a.pool.to_account_info();
            pay_out(&a.vault, &a.funder_token, &a.mint, pool, &a.token_program, seeds, returned)?;
        }
        // A Token-2022 account holding withheld transfer fees cannot be closed: harvest them to the mint
        // first (permissionless; they belong to the mint's withdraw authority, not to the pool).
        if withheld_fees(&a.vault.to_account_info())? > 0 {
            let harvest = harvest_withheld_tokens_to_mint(&a.token_program.key(), &a.mint.key(), &[&a.vault.key()])?;
            invoke(&harvest, &[a.mint.to_account_info(), a.vault.to_account_info()])?;
        }
        let close = CloseAccount {
            account: a.vault.to_account_info(),
            destination: a.funder.to_account_info(),
            authority: a.pool.to_account_info(),
        };
        token_interface::close_account(CpiContext::new_with_signer(a.token_program.key(), close, &[seeds]))?;
        emit!(PoolClosed {
            period: a.period.key(),
            pool: a.pool.key(),
            funder: a.funder.key(),
            mint: a.mint.key(),
            funded: a.pool.funded,
            claimed: a.pool.claimed,
            returned
        });
        Ok(())
    }
}
