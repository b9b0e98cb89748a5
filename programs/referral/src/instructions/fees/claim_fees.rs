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
    /// 1. The amount is every lamport the Member account holds above its rent: its claimable balance, and
    ///    any lamports someone sent to the account directly (they would otherwise be locked;
    ///    docs/DECISIONS.md D-57). `NothingToClaim` when that is zero (other claims are separate
    ///    instructions, so this never blocks them).
    /// 2. Move it from the Member account to the wallet (the Member keeps its rent).
    /// 3. Zero the claimable balance; emit `FeesClaimed`; return the amount.
    pub fn handler(ctx: Context<Self>) -> Result<u64> {
        let a = ctx.accounts;
        let rent = Rent::get()?.minimum_balance(Member::SPACE);
        let amount = a.member.to_account_info().lamports().saturating_sub(rent);
        let hub = {
            let mut m = a.member.load_mut()?;
            require!(amount > 0, ReferralError::NothingToClaim);
            m.claimable_lamports = 0;
            m.hub
        };
        a.member.sub_lamports(amount)?;
        a.wallet.add_lamports(amount)?;
        emit!(FeesClaimed { hub, member: a.member.key(), mint: Pubkey::default(), amount });
        Ok(amount)
    }
}
