//! Moving the SOL fee share: one System Program transfer, invoked without re-borrowing the accounts.
//!
//! Anchor's `system_program::transfer` builds a `CpiContext`, clones its account infos into vectors and
//! borrows each account's data and lamports again to check them; the runtime checks the same things
//! (signer, writable, owner) itself. The unchecked invoke is sound here because no account's data is
//! borrowed while it runs: the caller holds no `AccountLoader` borrow of the destination Member, whose
//! data it writes only after the transfer returns (docs/DECISIONS.md D-43).
use anchor_lang::prelude::*;
use anchor_lang::solana_program::program::invoke_unchecked;
use anchor_lang::solana_program::system_instruction;

/// Transfers `lamports` from `from` (a signer) to `to` through the System Program.
pub fn transfer_lamports<'info>(
    from: &AccountInfo<'info>,
    to: &AccountInfo<'info>,
    system_program: &AccountInfo<'info>,
    lamports: u64,
) -> Result<()> {
    let ix = system_instruction::transfer(from.key, to.key, lamports);
    invoke_unchecked(&ix, &[from.clone(), to.clone(), system_program.clone()]).map_err(Into::into)
}
