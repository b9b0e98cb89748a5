//! Referral-boosted staking pools (R-6.1 .. ): create and fund a pool, change its rate, stake,
//! withdraw and claim. The rules (weights, boosts, accrual) are `logic::pools`; these files move tokens
//! and keep the accounts.
pub mod apply_staking_rate;
pub mod create_staking_pool;
pub mod fund_staking_pool;
pub mod pool_claim;
pub mod pool_stake;
pub mod pool_withdraw;
pub mod set_staking_rate;
pub mod withdraw_staking_excess;

pub use apply_staking_rate::*;
pub use create_staking_pool::*;
pub use fund_staking_pool::*;
pub use pool_claim::*;
pub use pool_stake::*;
pub use pool_withdraw::*;
pub use set_staking_rate::*;
pub use withdraw_staking_excess::*;

use anchor_lang::error::ErrorCode;
use anchor_lang::prelude::*;
use anchor_spl::token_interface::{self, Mint, TokenAccount, TokenInterface, TransferChecked};

use crate::constants::{POSITION_SEED, STAKING_POOL_SEED};
use crate::errors::ReferralError;
use crate::logic::pools::{Overflow, PoolError};
use crate::state::{Member, PoolPosition, StakingPool};
use crate::utils::create::{create_pda, write_account};
use crate::utils::token::pay_out;

impl From<Overflow> for ReferralError {
    fn from(_: Overflow) -> ReferralError {
        ReferralError::MathOverflow
    }
}

impl From<PoolError> for ReferralError {
    fn from(e: PoolError) -> ReferralError {
        match e {
            PoolError::Overflow => ReferralError::MathOverflow,
            PoolError::WithdrawTooMuch => ReferralError::WithdrawMoreThanStaked,
        }
    }
}

/// The position at `info`: loaded (owner, discriminator, and stored pool and member checked, D-7), or,
/// when the address is empty, created there by `payer` at `[POSITION_SEED, pool, member]` (with `bump`,
/// or the canonical bump searched when `None`; `WrongReferrerPosition` when the address is not it).
#[allow(clippy::too_many_arguments)]
pub fn position_at<'info>(
    payer: &AccountInfo<'info>,
    info: &AccountInfo<'info>,
    system_program: &AccountInfo<'info>,
    pool: &Pubkey,
    member: &Pubkey,
    wallet: &Pubkey,
    bump: Option<u8>,
    acc: u128,
) -> Result<PoolPosition> {
    if !info.data_is_empty() {
        require_keys_eq!(*info.owner, crate::ID, ErrorCode::AccountOwnedByWrongProgram);
        let data = info.try_borrow_data()?;
        let position = PoolPosition::try_deserialize(&mut &data[..])?;
        require!(position.pool == *pool && position.member == *member, ReferralError::WrongReferrerPosition);
        return Ok(position);
    }
    let bump = match bump {
        Some(b) => b,
        None => {
            let (address, b) =
                Pubkey::find_program_address(&[POSITION_SEED, pool.as_ref(), member.as_ref()], &crate::ID);
            require_keys_eq!(address, *info.key, ReferralError::WrongReferrerPosition);
            b
        }
    };
    let seeds: &[&[u8]] = &[POSITION_SEED, pool.as_ref(), member.as_ref(), &[bump]];
    create_pda(payer, info, system_program, seeds, PoolPosition::SPACE, &crate::ID, ReferralError::MathOverflow)?;
    Ok(PoolPosition {
        pool: *pool,
        member: *member,
        wallet: *wallet,
        referrer_position: Pubkey::default(),
        staked: 0,
        own_bonus: 0,
        granted: 0,
        referral_weight: 0,
        snapshot: acc,
        carry: 0,
        owed: 0,
        paid: 0,
        bonus_valid: true,
        bump,
    })
}

/// The referrer's position a stake or a claim works with, from the accounts passed: `needed` says whether
/// the instruction must name the referrer (`ReferrerAccountMissing` when it does not, `ReferrerMismatch`
/// when it names one it must not, or another than `stored_referrer`, the member's own); the position is
/// loaded or created (`position_at`, paid by `payer`). `None` when not needed.
#[allow(clippy::too_many_arguments)]
pub fn referrer_position<'a, 'info>(
    needed: bool,
    stored_referrer: &Pubkey,
    referrer_member: &Option<AccountLoader<'info, Member>>,
    referrer_position: &'a Option<UncheckedAccount<'info>>,
    payer: &AccountInfo<'info>,
    system_program: &AccountInfo<'info>,
    pool: &Pubkey,
    acc: u128,
) -> Result<Option<(&'a UncheckedAccount<'info>, PoolPosition)>> {
    match (needed, referrer_member, referrer_position) {
        (false, None, None) => Ok(None),
        (false, _, _) => err!(ReferralError::ReferrerMismatch),
        (true, Some(rm), Some(rp)) => {
            require_keys_eq!(rm.key(), *stored_referrer, ReferralError::ReferrerMismatch);
            let wallet = rm.load()?.wallet;
            let position = position_at(payer, rp, system_program, pool, stored_referrer, &wallet, None, acc)?;
            Ok(Some((rp, position)))
        }
        (true, _, _) => err!(ReferralError::ReferrerAccountMissing),
    }
}

/// Pays `amount` out of one of `pool`'s vaults (`from`) into `to`, signed by the pool (`pay_out`'s named
/// errors when the token cannot move).
pub fn pay_from_pool<'info>(
    pool: &Account<'info, StakingPool>,
    from: &InterfaceAccount<'info, TokenAccount>,
    to: &InterfaceAccount<'info, TokenAccount>,
    mint: &InterfaceAccount<'info, Mint>,
    token_program: &Interface<'info, TokenInterface>,
    amount: u64,
) -> Result<()> {
    let (hub, id, bump) = (pool.hub, pool.pool_id.to_le_bytes(), pool.bump);
    let seeds: &[&[u8]] = &[STAKING_POOL_SEED, hub.as_ref(), &id, &[bump]];
    pay_out(from, to, mint, pool.to_account_info(), token_program, seeds, amount)
}

/// Moves `amount` of `mint` from `from` (signed by `authority`) into `vault` and returns what arrived
/// (less any Token-2022 transfer fee).
pub fn deposit<'info>(
    from: &InterfaceAccount<'info, TokenAccount>,
    vault: &InterfaceAccount<'info, TokenAccount>,
    mint: &InterfaceAccount<'info, Mint>,
    authority: AccountInfo<'info>,
    token_program: &Interface<'info, TokenInterface>,
    amount: u64,
) -> Result<u64> {
    let before = balance(vault)?;
    let transfer = TransferChecked {
        from: from.to_account_info(),
        mint: mint.to_account_info(),
        to: vault.to_account_info(),
        authority,
    };
    token_interface::transfer_checked(CpiContext::new(token_program.key(), transfer), amount, mint.decimals)?;
    Ok(balance(vault)?.checked_sub(before).ok_or(ReferralError::MathOverflow)?)
}

/// Writes a position back (discriminator and borsh).
pub fn save_position(info: &AccountInfo, position: &PoolPosition) -> Result<()> {
    write_account(info, position)
}

/// The balance of a token account just written by a CPI (read from its data).
pub fn balance(account: &InterfaceAccount<TokenAccount>) -> Result<u64> {
    let info = account.to_account_info();
    let data = info.try_borrow_data()?;
    Ok(TokenAccount::try_deserialize(&mut &data[..])?.amount)
}
