//! Creating a PDA account with a named error when it already exists.
//!
//! Anchor's `init` turns "already exists" into the System Program's generic `AccountAlreadyInUse`; users
//! and integrators deserve `AlreadyMember`, `CodeTaken`, `HubAlreadyExists`. This helper also survives the
//! pre-funding grief (someone sends lamports to the address before it is created): it tops up, allocates
//! and assigns instead of calling `create_account`, which would fail on a funded address.
use anchor_lang::prelude::*;
use anchor_lang::system_program::{
    allocate, assign, create_account, transfer, Allocate, Assign, CreateAccount, Transfer,
};

use crate::errors::ReferralError;

/// Creates `target` (a PDA of this program signed by `seeds`) with `space` bytes owned by `owner`, rent
/// paid by `payer`. Fails with `exists` when the account already holds data or belongs to a program.
pub fn create_pda<'info>(
    payer: &AccountInfo<'info>,
    target: &AccountInfo<'info>,
    system_program: &AccountInfo<'info>,
    seeds: &[&[u8]],
    space: usize,
    owner: &Pubkey,
    exists: ReferralError,
) -> Result<()> {
    if !target.data_is_empty() || *target.owner != anchor_lang::system_program::ID {
        return Err(exists.into());
    }
    let rent = Rent::get()?.minimum_balance(space);
    let signer = &[seeds];
    let space_u64 = u64::try_from(space).map_err(|_| ReferralError::MathOverflow)?;
    let current = target.lamports();
    if current == 0 {
        let accounts = CreateAccount { from: payer.clone(), to: target.clone() };
        return create_account(
            CpiContext::new_with_signer(system_program.key(), accounts, signer),
            rent,
            space_u64,
            owner,
        );
    }
    let top_up = rent.saturating_sub(current);
    if top_up > 0 {
        let accounts = Transfer { from: payer.clone(), to: target.clone() };
        transfer(CpiContext::new(system_program.key(), accounts), top_up)?;
    }
    allocate(
        CpiContext::new_with_signer(system_program.key(), Allocate { account_to_allocate: target.clone() }, signer),
        space_u64,
    )?;
    assign(
        CpiContext::new_with_signer(system_program.key(), Assign { account_to_assign: target.clone() }, signer),
        owner,
    )
}

/// Writes `value` (discriminator + borsh) into a freshly created account of this program.
pub fn write_account<T: AccountSerialize>(target: &AccountInfo, value: &T) -> Result<()> {
    let mut data = target.try_borrow_mut_data()?;
    let mut cursor: &mut [u8] = &mut data;
    value.try_serialize(&mut cursor)
}

/// Writes `value` (discriminator + its bytes) into a freshly created zero-copy account of this program.
pub fn write_zero_copy<T: bytemuck::Pod + Discriminator>(target: &AccountInfo, value: &T) -> Result<()> {
    let mut data = target.try_borrow_mut_data()?;
    let disc = T::DISCRIMINATOR;
    let bytes = bytemuck::bytes_of(value);
    let end = disc.len().checked_add(bytes.len()).ok_or(ReferralError::MathOverflow)?;
    let slot = data.get_mut(..end).ok_or(ErrorCode::AccountDidNotSerialize)?;
    let (head, tail) = slot.split_at_mut(disc.len());
    head.copy_from_slice(disc);
    tail.copy_from_slice(bytes);
    Ok(())
}
