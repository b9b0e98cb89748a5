//! Making the referral relationship, shared by `join` and `set_referrer`.
//!
//! Upline proof: every Member stores its referrer's Member *address*; an upline account passed in is the
//! right one when its key equals the link stored in the level below, and it is a Member of this hub when
//! it is owned by this program, carries the Member discriminator and stores this hub (only this program
//! can have written such an account, and `join` creates at most one per hub and wallet). No seed is
//! re-derived; see docs/DECISIONS.md ("Proving accounts").
use anchor_lang::prelude::*;

use crate::constants::MAX_DEPTH;
use crate::errors::ReferralError;
use crate::logic::codes;
use crate::state::{Member, ReferralCode};

/// Links `member` (whose account is `member_key`) to `referrer`, after checking, and adds one
/// to the level counts of the referrer and of every member above it up to [`MAX_DEPTH`] levels.
///
/// `upline` must hold exactly the referrer's own upline (its referrer, that one's referrer, ...) up to
/// `MAX_DEPTH - 1` accounts, writable, in order.
///
/// Acyclicity (docs/DECISIONS.md): `member` has no referees, so nothing lies below it, so the referrer
/// (and everything above the referrer) is not below it; linking it adds no cycle. The walk still refuses
/// `member_key` anywhere in the chain, as a second net.
pub fn bind_referrer<'info>(
    member: &mut Member,
    member_key: Pubkey,
    referrer_key: Pubkey,
    referrer: &mut Member,
    upline: &'info [AccountInfo<'info>],
) -> Result<()> {
    if referrer_key == member_key || referrer.wallet == member.wallet {
        return err!(ReferralError::SelfReferral);
    }
    if member.has_referrer() {
        return err!(ReferralError::ReferrerAlreadySet);
    }
    if member.referee_counts.iter().any(|&c| c != 0) {
        return err!(ReferralError::HasReferees);
    }
    if referrer.hub != member.hub {
        return err!(ReferralError::WrongHub);
    }

    // Walk the referrer's upline: level 2 is referrer.referrer, and so on, up to MAX_DEPTH levels. Each
    // account is checked first and counted after the whole chain is proven (nothing is written before).
    let mut loaded: Vec<AccountLoader<'info, Member>> = Vec::with_capacity(upline.len());
    let mut expected = referrer.referrer;
    let mut level = 1usize;
    while expected != Pubkey::default() && level < usize::from(MAX_DEPTH) {
        let info = upline.get(loaded.len()).ok_or(ReferralError::UplineIncomplete)?;
        if info.key() != expected {
            return err!(ReferralError::UplineMismatch);
        }
        if info.key() == member_key {
            return err!(ReferralError::ReferralCycle);
        }
        if !info.is_writable {
            return err!(ReferralError::UplineNotWritable);
        }
        let acc: AccountLoader<'info, Member> = AccountLoader::try_from(info)?;
        {
            let m = acc.load()?;
            if m.hub != member.hub {
                return err!(ReferralError::WrongHub);
            }
            expected = m.referrer;
        }
        loaded.push(acc);
        level = level.checked_add(1).ok_or(ReferralError::MathOverflow)?;
    }
    if upline.len() != loaded.len() {
        // More accounts than the chain has: refuse rather than ignore what the caller meant.
        return err!(ReferralError::UplineMismatch);
    }

    let direct = referrer.referee_counts.get_mut(0).ok_or(ReferralError::MathOverflow)?;
    *direct = direct.checked_add(1).ok_or(ReferralError::MathOverflow)?;
    for (i, acc) in loaded.iter().enumerate() {
        let mut m = acc.load_mut()?;
        let slot = m.referee_counts.get_mut(i.saturating_add(1)).ok_or(ReferralError::MathOverflow)?;
        *slot = slot.checked_add(1).ok_or(ReferralError::MathOverflow)?;
    }
    member.referrer = referrer_key;
    Ok(())
}

/// Checks the code a member signs up with: when `code` is given, `code_account` must be the
/// hub's account for the normalised code and `referrer` its owner's Member. With no code, a `referrer`
/// alone is the "pubkey as code" link. Returns whether a referrer is being bound.
pub fn check_code(
    hub: &Pubkey,
    code: Option<&str>,
    code_account: Option<&ReferralCode>,
    referrer: Option<&Member>,
) -> Result<bool> {
    match (code, code_account) {
        (Some(raw), Some(acc)) => {
            let normalized = codes::normalize(raw)?;
            if acc.hub != *hub || acc.code.as_bytes() != normalized.as_bytes() {
                return err!(ReferralError::CodeMismatch);
            }
            let referrer = referrer.ok_or(ReferralError::ReferrerAccountMissing)?;
            if referrer.wallet != acc.owner {
                return err!(ReferralError::CodeOwnerMismatch);
            }
            Ok(true)
        }
        (None, None) => Ok(referrer.is_some()),
        _ => err!(ReferralError::CodeAccountMissing),
    }
}
