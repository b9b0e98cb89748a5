//! Ranking periods' rewards: open a period, fund its pools, register ranked members'
//! final figures, claim, and return what is left to the funders.
pub mod claim_reward;
pub mod claim_reward_token;
pub mod close_pool;
pub mod close_pool_token;
pub mod close_registration;
pub mod close_reward_claim;
pub mod collect_reward;
pub mod fund_pool;
pub mod fund_pool_token;
pub mod open_period;
pub mod register;

pub use claim_reward::*;
pub use claim_reward_token::*;
pub use close_pool::*;
pub use close_pool_token::*;
pub use close_registration::*;
pub use close_reward_claim::*;
pub use collect_reward::*;
pub use fund_pool::*;
pub use fund_pool_token::*;
pub use open_period::*;
pub use register::*;

use anchor_lang::error::ErrorCode;
use anchor_lang::prelude::*;

use crate::constants::{POOL_SEED, REWARD_CLAIM_SEED};
use crate::errors::ReferralError;
use crate::events::RewardClaimed;
use crate::logic::rewards::{claims_pause_holds, pool_closable, reward_share};
use crate::state::{Hub, Period, Registration, RewardClaim, RewardPool, PAUSE_CLAIMS};
use crate::utils::create::{create_pda, write_account};

/// The pool `[POOL_SEED, period, funder, mint]` as funding finds it: created here (the funder pays the
/// rent; index = the period's next pool number; a period holds any number of pools, R-5.7) when empty,
/// storing `vault` as its vault; else loaded (owner and discriminator checked, as `Account` would) and its
/// stored vault must be `vault` (`WrongPoolVault`). Funding is open until the registration window closes
/// (`PeriodClosed`), so a pool's size is final when claims open.
#[allow(clippy::too_many_arguments)]
pub fn pool_for_funding<'info>(
    funder: &AccountInfo<'info>,
    period: &mut Account<'info, Period>,
    pool: &AccountInfo<'info>,
    system_program: &AccountInfo<'info>,
    mint: Pubkey,
    token_program: Pubkey,
    vault: Pubkey,
    bump: u8,
) -> Result<RewardPool> {
    let now = Clock::get()?.unix_timestamp;
    require!(now < period.registration_end, ReferralError::PeriodClosed);
    if !pool.data_is_empty() {
        require_keys_eq!(*pool.owner, crate::ID, ErrorCode::AccountOwnedByWrongProgram);
        let data = pool.try_borrow_data()?;
        let existing = RewardPool::try_deserialize(&mut &data[..])?;
        require_keys_eq!(existing.vault, vault, ReferralError::WrongPoolVault);
        return Ok(existing);
    }
    let period_key = period.key();
    let seeds: &[&[u8]] = &[POOL_SEED, period_key.as_ref(), funder.key.as_ref(), mint.as_ref(), &[bump]];
    // The address is empty (checked above), so the "exists" error cannot occur.
    create_pda(funder, pool, system_program, seeds, RewardPool::SPACE, &crate::ID, ReferralError::MathOverflow)?;
    let index = period.pool_count;
    period.pool_count = index.checked_add(1).ok_or(ReferralError::MathOverflow)?;
    period.open_pools = period.open_pools.checked_add(1).ok_or(ReferralError::MathOverflow)?;
    Ok(RewardPool {
        period: period_key,
        funder: *funder.key,
        mint,
        token_program,
        vault,
        funded: 0,
        claimed: 0,
        deferred: 0,
        index,
        returned: false,
        bump,
    })
}

/// Adds `credited` to the pool's size and writes it back.
pub fn record_funding(pool_info: &AccountInfo, mut pool: RewardPool, credited: u64) -> Result<RewardPool> {
    pool.funded = pool.funded.checked_add(credited).ok_or(ReferralError::MathOverflow)?;
    write_account(pool_info, &pool)?;
    Ok(pool)
}

/// The steps every reward claim takes, SOL or token: claims are open from the end of the
/// registration window while the pool is open and has not returned its rest (`ClaimsNotOpen` before,
/// `PoolReturned` after); a claims pause holds them back for at most 7 days from when it was set
/// (`RewardClaimsPaused`, R-1.4); once per pool and registration:
/// the claim's [`RewardClaim`] record is created here at `[REWARD_CLAIM_SEED, pool, registration]`, the
/// wallet paying its rent (`AlreadyClaimed` when it exists); the amount is the formula of
/// `logic::rewards::reward_share` on the pool's final size. With `defer` (the token cannot move now) the
/// amount is kept for the member in the vault: recorded as owed on the claim record and in the pool's
/// `deferred`, paid later by `collect_reward`. Records the claim on the registration and the pool, emits
/// `RewardClaimed`, returns the amount.
pub struct Claiming<'a, 'info> {
    /// The member's wallet: signs, pays the claim record's rent.
    pub wallet: &'a AccountInfo<'info>,
    /// The claim record's address (seeds checked by the accounts struct).
    pub record: &'a AccountInfo<'info>,
    /// The System Program.
    pub system_program: &'a AccountInfo<'info>,
    /// The claim record's canonical bump.
    pub bump: u8,
}

/// See [`Claiming`].
#[allow(clippy::too_many_arguments)]
pub fn take_claim(
    c: Claiming,
    hub: &Hub,
    period: &Period,
    pool_key: Pubkey,
    pool: &mut RewardPool,
    registration_key: Pubkey,
    registration: &mut Registration,
    defer: bool,
) -> Result<u64> {
    let now = Clock::get()?.unix_timestamp;
    require!(now >= period.registration_end, ReferralError::ClaimsNotOpen);
    require!(!pool.returned, ReferralError::PoolReturned);
    require!(
        !claims_pause_holds(hub.is_paused(PAUSE_CLAIMS), hub.claims_paused_at, now),
        ReferralError::RewardClaimsPaused
    );
    let seeds: &[&[u8]] = &[REWARD_CLAIM_SEED, pool_key.as_ref(), registration_key.as_ref(), &[c.bump]];
    create_pda(
        c.wallet,
        c.record,
        c.system_program,
        seeds,
        RewardClaim::SPACE,
        &crate::ID,
        ReferralError::AlreadyClaimed,
    )?;
    let count = usize::from(period.tier_count);
    let shares = period.tier_shares_bps.get(..count).ok_or(ReferralError::MathOverflow)?;
    let totals = period.tier_totals.get(..count).ok_or(ReferralError::MathOverflow)?;
    let amount = reward_share(pool.funded, shares, totals, registration.tier, registration.points)
        .ok_or(ReferralError::MathOverflow)?;
    pool.claimed = pool.claimed.checked_add(amount).ok_or(ReferralError::MathOverflow)?;
    require!(pool.claimed <= pool.funded, ReferralError::MathOverflow);
    registration.claims = registration.claims.checked_add(1).ok_or(ReferralError::MathOverflow)?;
    let owed = if defer { amount } else { 0 };
    pool.deferred = pool.deferred.checked_add(owed).ok_or(ReferralError::MathOverflow)?;
    let record = RewardClaim {
        pool: pool_key,
        registration: registration_key,
        wallet: *c.wallet.key,
        amount,
        owed,
        bump: c.bump,
    };
    write_account(c.record, &record)?;
    emit!(RewardClaimed {
        period: registration.period,
        pool: pool_key,
        member: registration.member,
        mint: pool.mint,
        amount,
        deferred: defer
    });
    Ok(amount)
}

/// The check every pool closing makes: after the claim window, and not before a week of open claims has
/// followed the hold of the last claims pause that began within the window (`logic::rewards::pool_closable`,
/// `ClaimWindowOpen`, R-1.4, R-5.4). Counts the pool out of the period's open pools.
pub fn closing_pool(hub: &Hub, period: &mut Period) -> Result<()> {
    let now = Clock::get()?.unix_timestamp;
    require!(pool_closable(period.claim_end, hub.claims_paused_at, now), ReferralError::ClaimWindowOpen);
    period.open_pools = period.open_pools.checked_sub(1).ok_or(ReferralError::MathOverflow)?;
    Ok(())
}
