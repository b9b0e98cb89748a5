//! `report_frozen_pool`: anyone who finds a token pool's vault frozen records it, so the pool cannot be
//! returned to its funder until a whole claim window has passed since.
use anchor_lang::prelude::*;
use anchor_spl::token_interface::TokenAccount;

use crate::errors::ReferralError;
use crate::events::PoolFrozenReported;
use crate::logic::rewards::frozen_close_not_before;
use crate::state::{Period, RewardPool};

#[derive(Accounts)]
pub struct ReportFrozenPool<'info> {
    /// The period.
    pub period: Account<'info, Period>,
    /// A token pool of the period, whose closing is pushed back.
    #[account(mut, constraint = pool.period == period.key() @ ReferralError::WrongPeriod)]
    pub pool: Account<'info, RewardPool>,
    /// The pool's vault, by the address the pool stored.
    #[account(address = pool.vault @ ReferralError::WrongPoolVault)]
    pub vault: InterfaceAccount<'info, TokenAccount>,
}

impl ReportFrozenPool<'_> {
    /// Steps:
    /// 1. Claims of the period are open (`ReportTooEarly` before the registration window has closed); the
    ///    vault is frozen now (`VaultNotFrozen`: a report is a fact anyone can check, not a claim).
    /// 2. The pool may not close before a whole claim window (`claim_end - registration_end`) from now
    ///    (`logic::rewards::frozen_close_not_before`): a mint's freeze authority that freezes the vault to
    ///    keep members from claiming keeps the funder from taking the pool back as long.
    /// 3. Emit `PoolFrozenReported`.
    pub fn handler(ctx: Context<Self>) -> Result<()> {
        let a = ctx.accounts;
        let now = Clock::get()?.unix_timestamp;
        require!(now >= a.period.registration_end, ReferralError::ReportTooEarly);
        require!(a.vault.is_frozen(), ReferralError::VaultNotFrozen);
        let window = a.period.claim_end.saturating_sub(a.period.registration_end);
        a.pool.close_not_before = frozen_close_not_before(a.pool.close_not_before, now, window);
        emit!(PoolFrozenReported {
            period: a.period.key(),
            pool: a.pool.key(),
            close_not_before: a.pool.close_not_before
        });
        Ok(())
    }
}
