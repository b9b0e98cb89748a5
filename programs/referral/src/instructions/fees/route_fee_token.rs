//! `route_fee_token`: a marketplace reports a trade paid in an SPL Token or Token-2022 mint.
use anchor_lang::prelude::*;
use anchor_spl::associated_token::{self, AssociatedToken, Create};
use anchor_spl::token_interface::spl_token_2022::instruction::AuthorityType;
use anchor_spl::token_interface::{self, Mint, SetAuthority, TokenAccount, TokenInterface, TransferChecked};

use super::{close_trade, eligible_share, open_trade, Opened, RouteFeeArgs, RouteFeeResult};
use crate::constants::MEMBER_SEED;
use crate::errors::ReferralError;
use crate::logic::fees::ShareOutcome;
use crate::logic::tokens::{route_block, VaultState};
use crate::state::{Hub, Member};
use crate::utils::token::{mint_traits, payer_cpi_guarded, vault_state};

#[derive(Accounts)]
pub struct RouteFeeToken<'info> {
    /// An authorised reporter of the hub.
    pub reporter: Signer<'info>,
    /// The hub (read only, R-5.5).
    pub hub: AccountLoader<'info, Hub>,
    /// The Member of the trader's wallet (`args.trader`), or that wallet's empty Member address (see
    /// `route_fee`). Unchecked by Anchor (CHECK): `load_trader` proves it is one or the other.
    #[account(mut)]
    pub trader: UncheckedAccount<'info>,
    /// The trader's referrer, required when it has one (its key must be the one the trader stores).
    #[account(mut)]
    pub referrer: Option<AccountLoader<'info, Member>>,
    /// Authority of `payer_token`; pays the vault's rent on first use, and becomes the vault's close
    /// authority then, so it can take that rent back whenever the vault is empty (docs/DECISIONS.md D-57).
    #[account(mut)]
    pub payer: Signer<'info>,
    /// The token account the fee is paid from.
    #[account(mut, token::mint = mint, token::token_program = token_program)]
    pub payer_token: InterfaceAccount<'info, TokenAccount>,
    /// The fee's mint (SPL Token or Token-2022).
    #[account(mint::token_program = token_program)]
    pub mint: InterfaceAccount<'info, Mint>,
    /// The referrer's fee vault for this mint: the associated token account of the referrer's Member,
    /// required when a share is due (`ReferrerVaultMissing`), refused for a non-member's report.
    /// Unchecked by Anchor (CHECK): created here when empty by the ATA program, which checks the address;
    /// otherwise `vault_state` checks it is a token account of this mint owned by the referrer's Member.
    #[account(mut)]
    pub referrer_vault: Option<UncheckedAccount<'info>>,
    /// The mint's token program (SPL Token or Token-2022).
    pub token_program: Interface<'info, TokenInterface>,
    pub associated_token_program: Program<'info, AssociatedToken>,
    pub system_program: Program<'info, System>,
    // remaining_accounts: the referrer's upline members, levels 2..=depth, writable.
}

impl<'info> RouteFeeToken<'info> {
    /// Steps:
    /// 1. Reporter listed; paused routing moves nothing (as `route_fee`).
    /// 2. The trader account is `args.trader`'s Member or its empty Member address (then no referrer,
    ///    vault or upline may be passed, `NonMemberTakesNoReferrer`); the referrer is its stored referrer
    ///
    /// 3. If the referrer is eligible and its share is non-zero (only then is its vault required,
    ///    `ReferrerVaultMissing`), and nothing about the mint, the vault or the payer's account would make
    ///    the transfer fail or be taken back (`route_block`, docs/DECISIONS.md D-37; otherwise nothing
    ///    moves and `outcome` says why): create its vault if needed (payer pays, R-4.2; the payer becomes
    ///    its close authority, so it can take the rent back whenever the vault is empty, D-57), transfer
    ///    the share with `transfer_checked`, and record what arrived (a Token-2022 transfer fee is withheld
    ///    from it, R-4.2).
    /// 4. Credit points; emit `FeeRouted`; return the result.
    pub fn handler(ctx: Context<'info, Self>, args: RouteFeeArgs) -> Result<RouteFeeResult> {
        let a = ctx.accounts;
        let hub_key = a.hub.key();
        let hub = a.hub.load()?;
        let referrer = a.referrer.as_ref();
        let others = a.referrer_vault.is_some() || !ctx.remaining_accounts.is_empty();
        let trader = match open_trade(&hub, &hub_key, a.reporter.key, &a.trader, &args.trader, referrer, others)? {
            Opened::Skip(outcome) => return Ok(RouteFeeResult::nothing(args.fee, outcome)),
            Opened::Trade(trader) => trader,
        };
        let clock = Clock::get()?;
        let mut result = RouteFeeResult::nothing(args.fee, ShareOutcome::NoReferrer);
        if let Some(r) = referrer {
            let (share, referrer_wallet, referrer_bump) = {
                let m = r.load()?;
                (eligible_share(&hub.rules, &m, args.fee, clock.slot), m.wallet, m.bump)
            };
            result = match share {
                Err(outcome) => RouteFeeResult::nothing(args.fee, outcome),
                Ok(s) => {
                    let vault = a.referrer_vault.as_ref().ok_or(ReferralError::ReferrerVaultMissing)?;
                    let signer: &[&[u8]] = &[MEMBER_SEED, hub_key.as_ref(), referrer_wallet.as_ref(), &[referrer_bump]];
                    match move_share(a, vault, r.as_ref(), signer, s.referrer_share)? {
                        Ok(credited) => RouteFeeResult::routed(s, credited),
                        Err(outcome) => RouteFeeResult::nothing(args.fee, outcome),
                    }
                }
            };
        }
        let mint = a.mint.key();
        close_trade(&hub, &hub_key, &clock, &trader, referrer, ctx.remaining_accounts, args, mint, 0, result)
    }
}

/// Moves `share` from the payer's token account into the referrer's vault, creating the vault on first
/// use (the payer pays the rent and becomes the vault's close authority, the referrer's Member signing
/// with `referrer_seeds`), and returns what arrived; unless the mint, the vault or the payer's account
/// would make the transfer fail or let it be taken back: then nothing moves and the outcome says why.
fn move_share<'info>(
    a: &RouteFeeToken<'info>,
    vault: &AccountInfo<'info>,
    referrer: &AccountInfo<'info>,
    referrer_seeds: &[&[u8]],
    share: u64,
) -> Result<core::result::Result<u64, ShareOutcome>> {
    let token_program = a.token_program.key();
    let mint = a.mint.key();
    let state = vault_state(vault, &token_program, &mint, referrer.key)?;
    let guarded = payer_cpi_guarded(&a.payer_token.to_account_info(), a.payer.key)?;
    if let Some(outcome) = route_block(&mint_traits(&a.mint.to_account_info())?, state, guarded) {
        return Ok(Err(outcome));
    }
    let before = match state {
        VaultState::Open(amount) => amount,
        VaultState::Frozen => return err!(ReferralError::VaultFrozen), // route_block returned VaultFrozen
        VaultState::Missing => {
            let create = Create {
                payer: a.payer.to_account_info(),
                associated_token: vault.clone(),
                authority: referrer.clone(),
                mint: a.mint.to_account_info(),
                system_program: a.system_program.to_account_info(),
                token_program: a.token_program.to_account_info(),
            };
            associated_token::create_idempotent(CpiContext::new(associated_token::ID, create))?;
            let close_authority = SetAuthority { current_authority: referrer.clone(), account_or_mint: vault.clone() };
            token_interface::set_authority(
                CpiContext::new_with_signer(token_program, close_authority, &[referrer_seeds]),
                AuthorityType::CloseAccount,
                Some(a.payer.key()),
            )?;
            0
        }
    };
    let transfer = TransferChecked {
        from: a.payer_token.to_account_info(),
        mint: a.mint.to_account_info(),
        to: vault.clone(),
        authority: a.payer.to_account_info(),
    };
    token_interface::transfer_checked(CpiContext::new(token_program, transfer), share, a.mint.decimals)?;
    let after = match vault_state(vault, &token_program, &mint, referrer.key)? {
        VaultState::Open(amount) => amount,
        VaultState::Missing | VaultState::Frozen => return err!(ReferralError::WrongFeeVault),
    };
    Ok(Ok(after.checked_sub(before).ok_or(ReferralError::MathOverflow)?))
}
