//! Referral code normalisation: 3..=32 characters of a-z 0-9 '-' '_' after lowercasing ASCII.
use crate::constants::{MAX_CODE_LEN, MIN_CODE_LEN};
use crate::errors::ReferralError;

/// A normalised code: at most 32 bytes, each one of a-z 0-9 - _.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NormalizedCode {
    bytes: [u8; MAX_CODE_LEN as usize],
    len: u8,
}

impl NormalizedCode {
    /// The code's bytes (the PDA seed).
    pub fn as_bytes(&self) -> &[u8] {
        // len <= MAX_CODE_LEN by construction in `normalize`.
        self.bytes.get(..usize::from(self.len)).unwrap_or(&[])
    }

    /// The code as text (always ASCII).
    pub fn as_str(&self) -> &str {
        core::str::from_utf8(self.as_bytes()).unwrap_or("")
    }
}

/// Lowercases ASCII uppercase and checks length and alphabet. Non-ASCII input (including look-alike
/// Unicode letters) is rejected, never folded: a code must read the same everywhere it is shown.
pub fn normalize(input: &str) -> Result<NormalizedCode, ReferralError> {
    let raw = input.as_bytes();
    if raw.len() < usize::from(MIN_CODE_LEN) || raw.len() > usize::from(MAX_CODE_LEN) {
        // Byte length: a multi-byte character makes a code longer, and is rejected below anyway.
        return Err(ReferralError::CodeLength);
    }
    let mut bytes = [0u8; MAX_CODE_LEN as usize];
    for (slot, &b) in bytes.iter_mut().zip(raw) {
        *slot = match b {
            b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' => b,
            b'A'..=b'Z' => b.to_ascii_lowercase(),
            _ => return Err(ReferralError::CodeCharacter),
        };
    }
    // raw.len() <= 32 checked above.
    let len = u8::try_from(raw.len()).map_err(|_| ReferralError::CodeLength)?;
    Ok(NormalizedCode { bytes, len })
}

#[cfg(test)]
#[allow(clippy::arithmetic_side_effects)] // test arithmetic on known small values, not an input path
mod tests {
    use super::*;

    fn ok(s: &str) -> String {
        normalize(s).map(|c| c.as_str().to_string()).unwrap_or_else(|e| format!("ERR {e:?}"))
    }

    //
    #[test]
    fn lowercases_and_keeps_the_alphabet() {
        assert_eq!(ok("Alice-2024_X"), "alice-2024_x");
        assert_eq!(ok("abc"), "abc");
        assert_eq!(ok("a-_"), "a-_");
        assert_eq!(ok("ZZZ"), "zzz");
        assert_eq!(ok(&"x".repeat(32)), "x".repeat(32));
    }

    //
    #[test]
    fn rejects_bad_lengths() {
        assert!(matches!(normalize(""), Err(ReferralError::CodeLength)));
        assert!(matches!(normalize("ab"), Err(ReferralError::CodeLength)));
        assert!(matches!(normalize(&"x".repeat(33)), Err(ReferralError::CodeLength)));
    }

    //
    #[test]
    fn rejects_characters_outside_the_alphabet() {
        for bad in ["ab c", "abc!", "a.bc", "abc/", "ab\u{0}c", "émile", "аbc" /* Cyrillic a */, "ab+c"] {
            assert!(
                matches!(normalize(bad), Err(ReferralError::CodeCharacter | ReferralError::CodeLength)),
                "{bad:?} must be rejected"
            );
        }
        assert!(matches!(normalize("abc d"), Err(ReferralError::CodeCharacter)));
        assert!(matches!(normalize("ABC?"), Err(ReferralError::CodeCharacter)));
    }

    // normalisation is idempotent and case-insensitive.
    #[test]
    fn idempotent_and_case_insensitive() {
        for s in ["Alice", "ALICE", "alice", "aLiCe"] {
            let n = normalize(s).ok().map(|c| c.as_str().to_string());
            assert_eq!(n.as_deref(), Some("alice"));
            let again = normalize("alice").ok().map(|c| c.as_str().to_string());
            assert_eq!(n, again);
        }
    }

    // the alphabet published in the IDL (`CODE_ALPHABET`) is exactly what `normalize` keeps, for
    // every ASCII byte; uppercase letters map onto it.
    #[test]
    fn published_alphabet_matches_normalize() {
        use crate::constants::CODE_ALPHABET;
        for b in 0u8..=127 {
            let code = [b, b, b];
            let Ok(text) = core::str::from_utf8(&code) else { continue }; // every b < 128 is ASCII
            let kept = normalize(text).map(|c| c.as_bytes()[0]);
            match kept {
                Ok(c) => {
                    assert!(CODE_ALPHABET.as_bytes().contains(&c), "{b} normalises to {c} outside the alphabet");
                    assert_eq!(c, b.to_ascii_lowercase());
                }
                Err(e) => {
                    assert!(matches!(e, ReferralError::CodeCharacter), "{b}: {e:?}");
                    assert!(!CODE_ALPHABET.as_bytes().contains(&b.to_ascii_lowercase()), "{b} refused");
                }
            }
        }
    }
}
