//! Deploying a program through the upgradeable BPF loader (loader v3), as transactions to send in order:
//! create a buffer, write the ELF into it in chunks, deploy from it. Pure: the CLI sends the plan over
//! RPC, the tests send it to the embedded bank (SPEC ).
#![allow(deprecated)] // the loader-v3 builders Anchor re-exports carry deprecation notes of the SDK split

use anchor_lang::prelude::{Pubkey, UpgradeableLoaderState};
use anchor_lang::solana_program::bpf_loader_upgradeable as loader;
use anchor_lang::solana_program::instruction::Instruction;

/// Bytes of ELF per write transaction: a write instruction carries its bytes plus ~110 bytes of
/// accounts, signatures and headers, under the 1,232-byte transaction limit.
pub const CHUNK: usize = 900;

/// What a deployment will do and cost.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DeployPlan {
    /// The program's address (the program keypair's public key).
    pub program: Pubkey,
    /// The temporary buffer account's address.
    pub buffer: Pubkey,
    /// Size of the ELF.
    pub program_len: usize,
    /// Rent of the buffer (returned when the deploy consumes it).
    pub buffer_lamports: u64,
    /// Rent of the program account.
    pub program_lamports: u64,
    /// Transactions in order: `[create buffer]`, one per chunk `[write]`, `[deploy]`.
    pub transactions: Vec<Vec<Instruction>>,
}

/// Rent-exempt minimum for `len` bytes (the default rent: what mainnet, devnet and test banks use).
pub fn rent(len: usize) -> u64 {
    // lamports_per_byte_year 3480 x exemption 2 years, over (128 bytes of account overhead + data).
    (128u64.saturating_add(len as u64)).saturating_mul(3_480).saturating_mul(2)
}

/// The transactions deploying `elf` at `program` (signers: payer for all; `buffer` for the first;
/// `authority` for writes and deploy; `program` for the deploy), with `authority` as upgrade authority
/// and room for the program to grow to twice its size.
pub fn plan(
    payer: &Pubkey,
    program: &Pubkey,
    buffer: &Pubkey,
    authority: &Pubkey,
    elf: &[u8],
) -> Result<DeployPlan, String> {
    let len = elf.len();
    let buffer_lamports = rent(UpgradeableLoaderState::size_of_buffer(len));
    let program_lamports = rent(UpgradeableLoaderState::size_of_program());
    let mut transactions = Vec::new();
    transactions
        .push(loader::create_buffer(payer, buffer, authority, buffer_lamports, len).map_err(|e| e.to_string())?);
    for (i, chunk) in elf.chunks(CHUNK).enumerate() {
        let offset = u32::try_from(i.saturating_mul(CHUNK)).map_err(|_| "program larger than 4 GiB".to_string())?;
        transactions.push(vec![loader::write(buffer, authority, offset, chunk.to_vec())]);
    }
    let max_len = len.saturating_mul(2);
    transactions.push(
        loader::deploy_with_max_program_len(payer, program, buffer, authority, program_lamports, max_len)
            .map_err(|e| e.to_string())?,
    );
    Ok(DeployPlan {
        program: *program,
        buffer: *buffer,
        program_len: len,
        buffer_lamports,
        program_lamports,
        transactions,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    // the deploy plan: buffer, one write per chunk, deploy.
    #[test]
    fn plan_shape() {
        let k = |b| Pubkey::new_from_array([b; 32]);
        let elf = vec![7u8; 2 * CHUNK + 1];
        let p = plan(&k(1), &k(2), &k(3), &k(1), &elf).expect("plan");
        assert_eq!(p.transactions.len(), 1 + 3 + 1);
        assert_eq!(p.transactions[1].len(), 1);
        assert_eq!(rent(0), 890_880); // the well-known rent-exempt minimum of an empty account
    }
}
