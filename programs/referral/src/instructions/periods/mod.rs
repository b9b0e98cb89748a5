//! Ranking periods' rewards: open a period, fund its pools, register ranked members'
//! final figures, claim, and return what is left to the funders.
pub mod claim_reward;
pub mod claim_reward_token;
pub mod close_pool;
pub mod close_pool_token;
pub mod close_registration;
pub mod fund_pool;
pub mod fund_pool_token;
pub mod open_period;
pub mod register;

pub use claim_reward::*;
pub use claim_reward_token::*;
pub use close_pool::*;
pub use close_pool_token::*;
pub use close_registration::*;
pub use fund_pool::*;
pub use fund_pool_token::*;
pub use open_period::*;
pub use register::*;

use anchor_lang::error::ErrorCode;
use anchor_lang::prelude::*;

use crate::constants::{MAX_POOLS_PER_PERIOD, POOL_SEED};
use crate::errors::ReferralError;
use crate::events::RewardClaimed;
use crate::logic::rewards::{claims_pause_holds, pool_closable, reward_share};
use crate::state::{Hub, Period, Registration, RewardPool, PAUSE_CLAIMS};
use crate::utils::create::{create_pda, write_account};

/// The pool `[POOL_SEED, period, funder, mint]` as funding finds it: created here (the funder pays the
/// rent; index = the period's next pool bit, `TooManyPools` past 64) when empty, else loaded (owner and
/// discriminator checked, as `Account` would). Funding is open until the registration window closes
/// (`PeriodClosed`), so a pool's size is final when claims open.
pub fn pool_for_funding<'info>(
    funder: &AccountInfo<'info>,
    period: &mut Account<'info, Period>,
    pool: &AccountInfo<'info>,
    system_program: &AccountInfo<'info>,
    mint: Pubkey,
    token_program: Pubkey,
    bump: u8,
) -> Result<RewardPool> {
    let now = Clock::get()?.unix_timestamp;
    require!(now < period.registration_end, ReferralError::PeriodClosed);
    if !pool.data_is_empty() {
        require_keys_eq!(*pool.owner, crate::ID, ErrorCode::AccountOwnedByWrongProgram);
        let data = pool.try_borrow_data()?;
        return RewardPool::try_deserialize(&mut &data[..]);
    }
    require!(period.pool_count < MAX_POOLS_PER_PERIOD, ReferralError::TooManyPools);
    let period_key = period.key();
    let seeds: &[&[u8]] = &[POOL_SEED, period_key.as_ref(), funder.key.as_ref(), mint.as_ref(), &[bump]];
    // The address is empty (checked above), so the "exists" error cannot occur.
    create_pda(funder, pool, system_program, seeds, RewardPool::SPACE, &crate::ID, ReferralError::MathOverflow)?;
    let index = period.pool_count;
    period.pool_count = index.checked_add(1).ok_or(ReferralError::MathOverflow)?;
    period.open_pools = period.open_pools.checked_add(1).ok_or(ReferralError::MathOverflow)?;
    Ok(RewardPool { period: period_key, funder: *funder.key, mint, token_program, funded: 0, claimed: 0, index, bump })
}

/// Adds `credited` to the pool's size and writes it back.
pub fn record_funding(pool_info: &AccountInfo, mut pool: RewardPool, credited: u64) -> Result<RewardPool> {
    pool.funded = pool.funded.checked_add(credited).ok_or(ReferralError::MathOverflow)?;
    write_account(pool_info, &pool)?;
    Ok(pool)
}

/// The steps every reward claim takes, SOL or token: claims are open from the end of the
/// registration window while the pool is open (`ClaimsNotOpen` before); a claims pause holds them back
/// for at most 7 days from when it was set (`RewardClaimsPaused`, R-1.4); once per pool
/// (`AlreadyClaimed`); the amount is the formula of `logic::rewards::reward_share` on the pool's final
/// size. Records the claim on the registration and the pool, emits `RewardClaimed`, returns the amount.
pub fn take_claim(
    hub: &Hub,
    period: &Period,
    pool_key: Pubkey,
    pool: &mut RewardPool,
    registration: &mut Registration,
) -> Result<u64> {
    let now = Clock::get()?.unix_timestamp;
    require!(now >= period.registration_end, ReferralError::ClaimsNotOpen);
    require!(
        !claims_pause_holds(hub.is_paused(PAUSE_CLAIMS), hub.claims_paused_at, now),
        ReferralError::RewardClaimsPaused
    );
    let bit = 1u64.checked_shl(u32::from(pool.index)).ok_or(ReferralError::MathOverflow)?;
    require!(registration.claimed_mask & bit == 0, ReferralError::AlreadyClaimed);
    let count = usize::from(period.tier_count);
    let shares = period.tier_shares_bps.get(..count).ok_or(ReferralError::MathOverflow)?;
    let totals = period.tier_totals.get(..count).ok_or(ReferralError::MathOverflow)?;
    let amount = reward_share(pool.funded, shares, totals, registration.tier, registration.points)
        .ok_or(ReferralError::MathOverflow)?;
    pool.claimed = pool.claimed.checked_add(amount).ok_or(ReferralError::MathOverflow)?;
    require!(pool.claimed <= pool.funded, ReferralError::MathOverflow);
    registration.claimed_mask |= bit;
    emit!(RewardClaimed {
        period: registration.period,
        pool: pool_key,
        member: registration.member,
        mint: pool.mint,
        amount
    });
    Ok(amount)
}

/// The check every pool closing makes: after the claim window, and not before a week of open claims has
/// followed the hold of the last claims pause (`ClaimWindowOpen`, R-1.4, R-5.4). Counts the pool out of
/// the period's open pools.
pub fn closing_pool(hub: &Hub, period: &mut Period) -> Result<()> {
    let now = Clock::get()?.unix_timestamp;
    require!(pool_closable(period.claim_end, hub.claims_paused_at, now), ReferralError::ClaimWindowOpen);
    period.open_pools = period.open_pools.checked_sub(1).ok_or(ReferralError::MathOverflow)?;
    Ok(())
}
