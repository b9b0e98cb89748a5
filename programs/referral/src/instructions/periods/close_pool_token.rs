//! `close_pool_token`: after the claim window, anyone returns what is left in a token pool to its funder
//!
use anchor_lang::prelude::*;
use anchor_lang::solana_program::program::invoke;
use anchor_spl::associated_token::get_associated_token_address_with_program_id;
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
    /// A token pool of the period: its rest goes back to the funder; it is closed (rent to the funder)
    /// once no deferred claim is left to collect.
    #[account(
        mut,
        constraint = pool.period == period.key() @ ReferralError::WrongPeriod,
        constraint = pool.mint == mint.key() @ ReferralError::WrongPoolMint,
        has_one = funder @ ReferralError::WrongRecipient,
    )]
    pub pool: Account<'info, RewardPool>,
    /// The pool's funder. Unchecked by Anchor (CHECK): `has_one` on the pool proves it is the funder; it
    /// receives the rent of the pool and its vault.
    #[account(mut)]
    pub funder: UncheckedAccount<'info>,
    /// The funder's associated token account for `mint`: what is left goes there (an account the funder
    /// did not choose is refused, `WrongDestination`).
    #[account(
        mut,
        address = get_associated_token_address_with_program_id(&funder.key(), &mint.key(), &token_program.key())
            @ ReferralError::WrongDestination,
    )]
    pub funder_token: InterfaceAccount<'info, TokenAccount>,
    /// The pool's mint (writable: transfer fees withheld in the vault are harvested to it, so the vault
    /// can be closed).
    #[account(mut, mint::token_program = token_program)]
    pub mint: InterfaceAccount<'info, Mint>,
    /// The pool's vault: the address the pool stored when it was created, never another token account the
    /// pool might own, so the pool cannot be closed while its vault holds funds.
    #[account(mut, address = pool.vault @ ReferralError::WrongPoolVault)]
    pub vault: InterfaceAccount<'info, TokenAccount>,
    /// The mint's token program (SPL Token or Token-2022).
    pub token_program: Interface<'info, TokenInterface>,
}

impl ClosePoolToken<'_> {
    /// Steps:
    /// 1. The first time: after the claim window, and a week of open claims after the hold of the last
    ///    claims pause that began within it (`ClaimWindowOpen`, D-47); count the pool out of the period's
    ///    open pools; the pool has returned (it takes no more claims).
    /// 2. Send the vault's balance less what deferred claims still hold to the funder's associated token
    ///    account (a named error when the mint or the accounts would stop it, D-37: nothing changes).
    /// 3. Once no deferred claim is left (now, or after the last `collect_reward`, by calling this again):
    ///    harvest transfer fees withheld in the vault to the mint (Token-2022), close the vault and the
    ///    pool, their rent to the funder.
    /// 4. Emit `PoolClosed`.
    pub fn handler(ctx: Context<Self>) -> Result<()> {
        let a = ctx.accounts;
        if !a.pool.returned {
            closing_pool(&*a.hub.load()?, &mut a.period)?;
            a.pool.returned = true;
        }
        let deferred = a.pool.deferred;
        let returned = a.vault.amount.checked_sub(deferred).ok_or(ReferralError::MathOverflow)?;
        let (period, funder, mint, bump) = (a.pool.period, a.pool.funder, a.pool.mint, a.pool.bump);
        let seeds: &[&[u8]] = &[POOL_SEED, period.as_ref(), funder.as_ref(), mint.as_ref(), &[bump]];
        if returned > 0 {
            let pool = a.pool.to_account_info();
            pay_out(&a.vault, &a.funder_token, &a.mint, pool, &a.token_program, seeds, returned)?;
        }
        emit!(PoolClosed {
            period: a.period.key(),
            pool: a.pool.key(),
            funder: a.funder.key(),
            mint: a.mint.key(),
            funded: a.pool.funded,
            claimed: a.pool.claimed,
            returned,
            deferred
        });
        if deferred > 0 {
            return Ok(());
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
        a.pool.close(a.funder.to_account_info())
    }
}
