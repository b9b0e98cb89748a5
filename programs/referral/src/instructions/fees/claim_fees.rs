//! `claim_fees`: a member claims its accrued SOL fee share to its own wallet. Never paused.
use anchor_lang::prelude::*;

use crate::errors::ReferralError;
use crate::events::FeesClaimed;
use crate::state::Member;

#[derive(Accounts)]
pub struct ClaimFees<'info> {
    /// The member's wallet: signs and receives the lamports.
    #[account(mut)]
    pub wallet: Signer<'info>,
    /// The member whose account holds the accrued lamports.
    #[account(mut, constraint = member.load()?.wallet == wallet.key() @ ReferralError::NotMemberWallet)]
    pub member: AccountLoader<'info, Member>,
}

impl ClaimFees<'_> {
    /// Steps:
    /// 1. `NothingToClaim` when the claimable balance is zero (other claims are separate instructions, so
    ///    this never blocks them).
    /// 2. Move `claimable_lamports` from the Member account to the wallet (the Member keeps its rent).
    /// 3. Zero the balance; emit `FeesClaimed`; return the amount.
    pub fn handler(ctx: Context<Self>) -> Result<u64> {
        let a = ctx.accounts;
        let (amount, hub) = {
            let mut m = a.member.load_mut()?;
            let amount = m.claimable_lamports;
            require!(amount > 0, ReferralError::NothingToClaim);
            m.claimable_lamports = 0;
            (amount, m.hub)
        };
        a.member.sub_lamports(amount)?;
        a.wallet.add_lamports(amount)?;
        emit!(FeesClaimed { hub, member: a.member.key(), mint: Pubkey::default(), amount });
        Ok(amount)
    }
}
