//! Proving that an address is the canonical PDA of given seeds, cheaply (docs/DECISIONS.md D-39, D-43).
//!
//! `find_program_address` costs 1,500 CU per bump it tries (one `create_program_address` syscall each).
//! The same search with the SHA-256 and curve-point syscalls costs a fraction of that per bump: the
//! address for bump `b` is `sha256(seeds || [b] || program_id || "ProgramDerivedAddress")`, valid when it
//! is not a point of the ed25519 curve, and the canonical bump is the highest valid one.
use anchor_lang::prelude::*;
use solana_sha256_hasher::hashv;

/// The marker appended to every PDA derivation (the runtime's own).
const PDA_MARKER: &[u8] = b"ProgramDerivedAddress";

/// True when `key` is the canonical program-derived address of `seeds` (at most 3) under `program_id`,
/// i.e. `Pubkey::find_program_address(seeds, program_id).0 == *key`.
pub fn is_canonical_address(seeds: &[&[u8]; 3], program_id: &Pubkey, key: &Pubkey) -> bool {
    for bump in (0..=u8::MAX).rev() {
        let bump_seed = [bump];
        let parts: [&[u8]; 6] = [seeds[0], seeds[1], seeds[2], &bump_seed, program_id.as_ref(), PDA_MARKER];
        let candidate = Pubkey::new_from_array(hashv(&parts).to_bytes());
        if !candidate.is_on_curve() {
            return candidate == *key;
        }
    }
    false
}

/// [`is_canonical_address`] for two seeds.
pub fn is_canonical_address2(seeds: &[&[u8]; 2], program_id: &Pubkey, key: &Pubkey) -> bool {
    for bump in (0..=u8::MAX).rev() {
        let bump_seed = [bump];
        let parts: [&[u8]; 5] = [seeds[0], seeds[1], &bump_seed, program_id.as_ref(), PDA_MARKER];
        let candidate = Pubkey::new_from_array(hashv(&parts).to_bytes());
        if !candidate.is_on_curve() {
            return candidate == *key;
        }
    }
    false
}

#[cfg(test)]
#[allow(clippy::arithmetic_side_effects)] // test arithmetic on known small values, not an input path
mod tests {
    use super::*;

    // the cheap proof agrees with `find_program_address` for many seeds (so for many canonical
    // bumps), and refuses every other address, including the same seeds' non-canonical PDAs.
    #[test]
    fn agrees_with_find_program_address() {
        let program = crate::ID;
        let mut refused = 0;
        for i in 0..300u32 {
            let hub = Pubkey::new_from_array([(i % 251) as u8; 32]);
            let mut w = [7u8; 32];
            w[..4].copy_from_slice(&i.to_le_bytes());
            let wallet = Pubkey::new_from_array(w);
            let seeds: [&[u8]; 3] = [b"member", hub.as_ref(), wallet.as_ref()];
            let (canonical, bump) = Pubkey::find_program_address(&seeds, &program);
            assert!(is_canonical_address(&seeds, &program, &canonical), "seed {i}");
            assert!(!is_canonical_address(&seeds, &program, &wallet));
            for lower in (0..bump).rev().take(3) {
                if let Ok(other) =
                    Pubkey::create_program_address(&[b"member", hub.as_ref(), wallet.as_ref(), &[lower]], &program)
                {
                    assert!(!is_canonical_address(&seeds, &program, &other), "a non-canonical bump is refused");
                    refused += 1;
                }
            }
        }
        assert!(refused > 100, "non-canonical PDAs were tried ({refused})");
        for i in 0..100u8 {
            let hub = Pubkey::new_from_array([i; 32]);
            let (canonical, _) = Pubkey::find_program_address(&[b"pending", hub.as_ref()], &program);
            assert!(is_canonical_address2(&[b"pending", hub.as_ref()], &program, &canonical));
            assert!(!is_canonical_address2(&[b"pending", hub.as_ref()], &program, &hub));
        }
    }
}
