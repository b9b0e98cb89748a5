//! Reading what token accounts allow: the mint's Token-2022 extensions, a vault's state,
//! a payer's CPI guard. The decisions are in `logic::tokens` (pure, tested on the host).
use anchor_lang::prelude::*;
use anchor_spl::token_2022::spl_token_2022::extension::{
    cpi_guard::CpiGuard, default_account_state::DefaultAccountState, non_transferable::NonTransferable,
    pausable::PausableConfig, permanent_delegate::PermanentDelegate, transfer_fee::TransferFeeAmount,
    transfer_hook::TransferHook, BaseStateWithExtensions, StateWithExtensions,
};
use anchor_spl::token_2022::spl_token_2022::state::{Account as Token2022Account, AccountState, Mint as Token2022Mint};
use anchor_spl::token_interface::{self, Mint, TokenAccount, TokenInterface, TransferChecked};

use crate::errors::ReferralError;
use crate::logic::tokens::{claim_check, MintTraits, VaultState};

/// The traits of `mint` (an account of `token_program`, already checked to be a mint of it). SPL Token
/// mints have no extensions; a Token-2022 mint's are read from its TLV data.
pub fn mint_traits(mint: &AccountInfo) -> Result<MintTraits> {
    if *mint.owner != anchor_spl::token_2022::ID {
        return Ok(MintTraits::default());
    }
    let data = mint.try_borrow_data()?;
    let state = StateWithExtensions::<Token2022Mint>::unpack(&data)?;
    let set = |key: Option<Pubkey>| key.is_some();
    let hook = state.get_extension::<TransferHook>().ok();
    let pausable = state.get_extension::<PausableConfig>().ok();
    let can_block = hook.is_some_and(|e| set(e.authority.into()) || set(e.program_id.into()))
        || pausable.is_some_and(|e| set(e.authority.into()));
    Ok(MintTraits {
        can_block,
        transfer_hook: hook.is_some_and(|e| set(e.program_id.into())),
        permanent_delegate: state.get_extension::<PermanentDelegate>().is_ok_and(|e| set(e.delegate.into())),
        non_transferable: state.get_extension::<NonTransferable>().is_ok(),
        paused: pausable.is_some_and(|e| bool::from(e.paused)),
        default_frozen: state
            .get_extension::<DefaultAccountState>()
            .is_ok_and(|e| e.state == AccountState::Frozen as u8),
    })
}

/// The referrer's fee vault: missing (empty), or a token account of `token_program` for `mint` owned by
/// the referrer's Member (`WrongFeeVault` otherwise), frozen or open with its balance.
pub fn vault_state(
    vault: &AccountInfo,
    token_program: &Pubkey,
    mint: &Pubkey,
    referrer: &Pubkey,
) -> Result<VaultState> {
    if vault.data_is_empty() {
        return Ok(VaultState::Missing);
    }
    require_keys_eq!(*vault.owner, *token_program, ReferralError::WrongFeeVault);
    let data = vault.try_borrow_data()?;
    let account = TokenAccount::try_deserialize(&mut &data[..]).map_err(|_| ReferralError::WrongFeeVault)?;
    require!(account.owner == *referrer && account.mint == *mint, ReferralError::WrongFeeVault);
    Ok(if account.is_frozen() { VaultState::Frozen } else { VaultState::Open(account.amount) })
}

/// Whether the CPI guard of `token_account` (Token-2022) stops its owner `payer` from moving it by CPI,
/// which is how every share moves.
pub fn payer_cpi_guarded(token_account: &AccountInfo, payer: &Pubkey) -> Result<bool> {
    if *token_account.owner != anchor_spl::token_2022::ID {
        return Ok(false);
    }
    let data = token_account.try_borrow_data()?;
    let state = StateWithExtensions::<Token2022Account>::unpack(&data)?;
    Ok(state.base.owner == *payer && state.get_extension::<CpiGuard>().is_ok_and(|e| bool::from(e.lock_cpi)))
}

/// Pays `amount` out of `from`, a token account owned by one of this program's PDAs (`authority`, signing
/// with `seeds`), into `to`: a fee claim, a reward claim, a pool's rest going back to its funder. A
/// transfer the mint or the accounts would stop fails first with a named error (`claim_check`, R-4.8,
/// docs/DECISIONS.md D-37), never with a raw token-program error.
pub fn pay_out<'info>(
    from: &InterfaceAccount<'info, TokenAccount>,
    to: &InterfaceAccount<'info, TokenAccount>,
    mint: &InterfaceAccount<'info, Mint>,
    authority: AccountInfo<'info>,
    token_program: &Interface<'info, TokenInterface>,
    seeds: &[&[u8]],
    amount: u64,
) -> Result<()> {
    claim_check(&mint_traits(&mint.to_account_info())?, from.is_frozen(), to.is_frozen())?;
    let transfer = TransferChecked {
        from: from.to_account_info(),
        mint: mint.to_account_info(),
        to: to.to_account_info(),
        authority,
    };
    token_interface::transfer_checked(
        CpiContext::new_with_signer(token_program.key(), transfer, &[seeds]),
        amount,
        mint.decimals,
    )
}

/// Transfer fees withheld in a Token-2022 token account (0 for SPL Token accounts and mints without a
/// transfer fee). Such an account cannot be closed until they are harvested to the mint.
pub fn withheld_fees(token_account: &AccountInfo) -> Result<u64> {
    if *token_account.owner != anchor_spl::token_2022::ID {
        return Ok(0);
    }
    let data = token_account.try_borrow_data()?;
    let state = StateWithExtensions::<Token2022Account>::unpack(&data)?;
    Ok(state.get_extension::<TransferFeeAmount>().map(|f| u64::from(f.withheld_amount)).unwrap_or(0))
}
