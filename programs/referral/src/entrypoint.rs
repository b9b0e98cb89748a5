//! The program's entrypoint in the deployed build (feature `fast-entry`, docs/DECISIONS.md D-45).
//!
//! Anchor's generated entrypoint turns the whole input into `AccountInfo`s (two reference-counted
//! allocations per account, ~180 CU each) before dispatching. `route_fee`, which every marketplace calls on
//! every trade, runs instead on pinocchio's allocation-free views of the same input
//! ([`crate::instructions::fees::route_fee::process`], which makes every check its Anchor accounts struct
//! declares); every other instruction goes to Anchor's dispatcher (`crate::entry`) exactly as before.
use core::mem::MaybeUninit;

use anchor_lang::solana_program::entrypoint::{deserialize, SUCCESS};
use anchor_lang::Discriminator;
use pinocchio::account::AccountView;

use crate::instructions::fees::route_fee;

/// Most accounts `route_fee` takes: its 6 and an upline of at most 3.
const ROUTE_FEE_MAX_ACCOUNTS: usize = 9;

/// # Safety
/// Called by the runtime with the program's serialized input, valid for the whole execution.
#[no_mangle]
pub unsafe extern "C" fn entrypoint(input: *mut u8) -> u64 {
    let mut views = [const { MaybeUninit::<AccountView>::uninit() }; ROUTE_FEE_MAX_ACCOUNTS];
    // SAFETY: `input` is the runtime's serialized input; the views borrow it for the whole execution.
    let (program_id, count, data) = unsafe { pinocchio::entrypoint::deserialize(input, &mut views) };
    // SAFETY: the first 8 bytes of the input are the number of accounts the runtime serialized.
    let total = unsafe { *(input as *const u64) };
    if data.get(..8) == Some(crate::instruction::RouteFee::DISCRIMINATOR) && *program_id == crate::ID {
        // More accounts than route_fee can take: refused, as the upline check would refuse them.
        if total > ROUTE_FEE_MAX_ACCOUNTS as u64 {
            let error = anchor_lang::error!(crate::errors::ReferralError::UplineMismatch);
            error.log();
            return u64::from(anchor_lang::prelude::ProgramError::from(error));
        }
        // SAFETY: `deserialize` initialised the first `count` views.
        let accounts = unsafe { core::slice::from_raw_parts(views.as_ptr() as *const AccountView, count) };
        return match route_fee::process(accounts, data.get(8..).unwrap_or(&[])) {
            Ok(()) => SUCCESS,
            Err(error) => {
                error.log();
                u64::from(anchor_lang::prelude::ProgramError::from(error))
            }
        };
    }
    // SAFETY: as above; every other instruction sees the input exactly as Anchor's entrypoint would.
    let (program_id, accounts, data) = unsafe { deserialize(input) };
    match crate::entry(program_id, &accounts, data) {
        Ok(()) => SUCCESS,
        Err(error) => error.into(),
    }
}

anchor_lang::solana_program::entrypoint::custom_heap_default!();
anchor_lang::solana_program::entrypoint::custom_panic_default!();
