//! `route_fee_token`: a marketplace reports a trade paid in an SPL Token or Token-2022 mint.
use anchor_lang::prelude::*;
use anchor_spl::associated_token::{self, AssociatedToken, Create};
use anchor_spl::token_interface::{self, Mint, TokenAccount, TokenInterface, TransferChecked};

use super::{close_trade, eligible_share, open_trade, RouteFeeArgs, RouteFeeResult};
use crate::errors::ReferralError;
use crate::state::{Hub, Member};

#[derive(Accounts)]
pub struct RouteFeeToken<'info> {
    /// An authorised reporter of the hub.
    pub reporter: Signer<'info>,
    /// The hub (read only, R-5.5).
    pub hub: Account<'info, Hub>,
    /// CHECK: the trader's Member PDA or an empty account (see `route_fee`); loaded by `load_trader`.
    #[account(mut)]
    pub trader: UncheckedAccount<'info>,
    /// The trader's referrer, required when it has one.
    #[account(mut, constraint = referrer.hub == hub.key() @ ReferralError::ReferrerNotMember)]
    pub referrer: Option<Account<'info, Member>>,
    /// Authority of `payer_token`; pays the vault's rent on first use.
    #[account(mut)]
    pub payer: Signer<'info>,
    /// The token account the fee is paid from.
    #[account(mut, token::mint = mint, token::token_program = token_program)]
    pub payer_token: InterfaceAccount<'info, TokenAccount>,
    /// The fee's mint (SPL Token or Token-2022).
    #[account(mint::token_program = token_program)]
    pub mint: InterfaceAccount<'info, Mint>,
    /// CHECK: the referrer's fee vault for this mint: the associated token account of the referrer's Member
    /// (created here when empty, by the ATA program, which checks the address; otherwise checked to be a
    /// token account of this mint owned by the referrer's Member). Required with a referrer.
    #[account(mut)]
    pub referrer_vault: Option<UncheckedAccount<'info>>,
    pub token_program: Interface<'info, TokenInterface>,
    pub associated_token_program: Program<'info, AssociatedToken>,
    pub system_program: Program<'info, System>,
    // remaining_accounts: the referrer's upline members, levels 2..=depth, writable.
}

impl<'info> RouteFeeToken<'info> {
    /// Steps:
    /// 1. Reporter listed; paused routing moves nothing (as `route_fee`).
    /// 2. Load the trader; check the referrer against its stored link.
    /// 3. If the referrer is eligible and its share is non-zero: create its vault if needed
    ///    (payer pays, R-4.2), transfer the share with `transfer_checked`, and record what arrived
    ///    (a Token-2022 transfer fee is withheld from it, R-4.2).
    /// 4. Credit points; emit `FeeRouted`; return the result.
    pub fn handler(ctx: Context<'info, Self>, args: RouteFeeArgs) -> Result<RouteFeeResult> {
        let a = ctx.accounts;
        let Some(trader) = open_trade(&a.hub, &a.reporter.key(), &a.trader, a.referrer.as_ref())? else {
            return Ok(RouteFeeResult::nothing(args.fee));
        };
        let mut result = RouteFeeResult::nothing(args.fee);
        if let Some(referrer) = a.referrer.as_ref() {
            let vault = a.referrer_vault.as_ref().ok_or(ReferralError::WrongFeeVault)?;
            if let Some(s) = eligible_share(&a.hub, referrer, args.fee) {
                if s.referrer_share > 0 {
                    let before = vault_balance(vault, &referrer.key(), a)?;
                    let before = match before {
                        Some(amount) => amount,
                        None => {
                            let create = Create {
                                payer: a.payer.to_account_info(),
                                associated_token: vault.to_account_info(),
                                authority: referrer.to_account_info(),
                                mint: a.mint.to_account_info(),
                                system_program: a.system_program.to_account_info(),
                                token_program: a.token_program.to_account_info(),
                            };
                            associated_token::create_idempotent(CpiContext::new(associated_token::ID, create))?;
                            0
                        }
                    };
                    let transfer = TransferChecked {
                        from: a.payer_token.to_account_info(),
                        mint: a.mint.to_account_info(),
                        to: vault.to_account_info(),
                        authority: a.payer.to_account_info(),
                    };
                    token_interface::transfer_checked(
                        CpiContext::new(a.token_program.key(), transfer),
                        s.referrer_share,
                        a.mint.decimals,
                    )?;
                    let after = vault_balance(vault, &referrer.key(), a)?.ok_or(ReferralError::WrongFeeVault)?;
                    result.credited = after.checked_sub(before).ok_or(ReferralError::MathOverflow)?;
                }
                result.referrer_share = s.referrer_share;
                result.remainder = s.remainder;
            }
        }
        let mint = a.mint.key();
        close_trade(&a.hub, trader, a.referrer.as_mut(), ctx.remaining_accounts, args, mint, result)
    }
}

/// The vault's balance, `None` when it does not exist yet. An existing vault must be a token account of
/// the token program, of this mint, owned by the referrer's Member.
fn vault_balance(vault: &AccountInfo, referrer: &Pubkey, a: &RouteFeeToken) -> Result<Option<u64>> {
    if vault.data_is_empty() {
        return Ok(None);
    }
    require_keys_eq!(*vault.owner, a.token_program.key(), ReferralError::WrongFeeVault);
    let data = vault.try_borrow_data()?;
    let account = TokenAccount::try_deserialize(&mut &data[..]).map_err(|_| ReferralError::WrongFeeVault)?;
    require!(account.owner == *referrer && account.mint == a.mint.key(), ReferralError::WrongFeeVault);
    Ok(Some(account.amount))
}
