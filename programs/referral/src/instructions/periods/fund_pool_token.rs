//! `fund_pool_token`: anyone funds a period's reward pool in an SPL Token or Token-2022 mint.
use anchor_lang::prelude::*;
use anchor_spl::associated_token::{self, AssociatedToken, Create};
use anchor_spl::token_interface::{self, Mint, TokenAccount, TokenInterface, TransferChecked};

use super::{pool_for_funding, record_funding};
use crate::constants::POOL_SEED;
use crate::errors::ReferralError;
use crate::events::PoolFunded;
use crate::logic::tokens::fund_check;
use crate::state::Period;
use crate::utils::token::{mint_traits, payer_cpi_guarded};

#[derive(Accounts)]
pub struct FundPoolToken<'info> {
    /// Pays the amount from `funder_token` (and the rent of the pool and its vault when they are created);
    /// gets back what is not claimed.
    #[account(mut)]
    pub funder: Signer<'info>,
    /// The funder's token account the amount comes from.
    #[account(mut, token::mint = mint, token::token_program = token_program)]
    pub funder_token: InterfaceAccount<'info, TokenAccount>,
    /// The period funded.
    #[account(mut)]
    pub period: Account<'info, Period>,
    /// The funder's pool of this period in `mint`, `[POOL_SEED, period, funder, mint]`, created on first
    /// funding. Unchecked by Anchor (CHECK): the seeds constraint proves the address; an existing one is
    /// loaded as a `RewardPool` (owner and discriminator).
    #[account(mut, seeds = [POOL_SEED, period.key().as_ref(), funder.key().as_ref(), mint.key().as_ref()], bump)]
    pub pool: UncheckedAccount<'info>,
    /// The mint.
    #[account(mint::token_program = token_program)]
    pub mint: InterfaceAccount<'info, Mint>,
    /// The pool's vault: its associated token account for `mint`. Unchecked by Anchor (CHECK): on the
    /// pool's first funding it is created idempotently by the associated token program, which checks the
    /// address (the canonical associated address of the pool and mint) and, when it exists, its owner and
    /// mint; the pool stores it, and every later instruction names it by that address (`WrongPoolVault`).
    #[account(mut)]
    pub vault: UncheckedAccount<'info>,
    /// The mint's token program (SPL Token or Token-2022).
    pub token_program: Interface<'info, TokenInterface>,
    pub associated_token_program: Program<'info, AssociatedToken>,
    pub system_program: Program<'info, System>,
}

impl FundPoolToken<'_> {
    /// Steps:
    /// 1. `amount > 0` (`ZeroFunding`); the mint's tokens can be paid out and not taken back, and the
    ///    funder's account lets the program move them (`fund_check`, named errors); the registration
    ///    window has not closed (`PeriodClosed`).
    /// 2. Create the pool on first funding (the period's next pool number; no limit, R-5.7) storing its
    ///    vault, created when missing by the associated token program (which proves its address); a top-up
    ///    names the stored vault (`WrongPoolVault`).
    /// 3. Transfer `amount` into the vault; add what arrived (after any Token-2022 transfer fee) to the
    ///    pool's size.
    /// 4. Emit `PoolFunded`.
    pub fn handler(ctx: Context<Self>, amount: u64) -> Result<()> {
        require!(amount > 0, ReferralError::ZeroFunding);
        let a = ctx.accounts;
        let guarded = payer_cpi_guarded(&a.funder_token.to_account_info(), a.funder.key)?;
        fund_check(&mint_traits(&a.mint.to_account_info())?, guarded)?;
        let pool = pool_for_funding(
            &a.funder,
            &mut a.period,
            &a.pool,
            &a.system_program,
            a.mint.key(),
            a.token_program.key(),
            a.vault.key(),
            ctx.bumps.pool,
        )?;
        let create = Create {
            payer: a.funder.to_account_info(),
            associated_token: a.vault.to_account_info(),
            authority: a.pool.to_account_info(),
            mint: a.mint.to_account_info(),
            system_program: a.system_program.to_account_info(),
            token_program: a.token_program.to_account_info(),
        };
        associated_token::create_idempotent(CpiContext::new(associated_token::ID, create))?;
        let before = vault_amount(&a.vault)?;
        let transfer = TransferChecked {
            from: a.funder_token.to_account_info(),
            mint: a.mint.to_account_info(),
            to: a.vault.to_account_info(),
            authority: a.funder.to_account_info(),
        };
        token_interface::transfer_checked(CpiContext::new(a.token_program.key(), transfer), amount, a.mint.decimals)?;
        let credited = vault_amount(&a.vault)?.checked_sub(before).ok_or(ReferralError::MathOverflow)?;
        let pool = record_funding(&a.pool, pool, credited)?;
        emit!(PoolFunded {
            period: a.period.key(),
            pool: a.pool.key(),
            funder: a.funder.key(),
            mint: a.mint.key(),
            amount: credited,
            funded: pool.funded
        });
        Ok(())
    }
}

/// The balance of the pool's vault (a token account, as the associated token program just proved).
fn vault_amount(vault: &AccountInfo) -> Result<u64> {
    let data = vault.try_borrow_data()?;
    let account = TokenAccount::try_deserialize(&mut &data[..]).map_err(|_| ReferralError::WrongPoolVault)?;
    Ok(account.amount)
}
