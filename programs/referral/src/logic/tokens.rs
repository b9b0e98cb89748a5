//! Which token fee shares can move, and which claims can: the decision table of
//! docs/DECISIONS.md D-37 as a pure function of what the mint and the accounts look like.
//!
//! The rule: a fee share never fails a trade for the referrer's sake. When the share's transfer could fail
//! or could be taken back (a frozen vault, a vault that would be created frozen, a transfer hook, a
//! permanent delegate, a non-transferable or paused mint, a payer whose CPI guard forbids the transfer),
//! the trade report moves nothing and says why; the whole fee stays with the payer. A claim that cannot
//! succeed fails with a named error before the token program is called.
use crate::errors::ReferralError;
use crate::logic::fees::ShareOutcome;

/// What the fee's mint allows, read from its Token-2022 extensions (all `false` for SPL Token mints).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct MintTraits {
    /// A transfer hook program is set: every transfer calls it, with accounts we do not pass.
    pub transfer_hook: bool,
    /// A permanent delegate is set: it can transfer or burn from any account of the mint.
    pub permanent_delegate: bool,
    /// The mint is non-transferable.
    pub non_transferable: bool,
    /// The mint is paused (pausable extension): no transfer succeeds.
    pub paused: bool,
    /// New accounts of the mint start frozen (default account state extension).
    pub default_frozen: bool,
    /// The mint's authority can later block transfers without a freeze: a pausable extension with an
    /// authority, or a transfer hook extension with an authority or a program (staked principal could be
    /// held, R-6.6).
    pub can_block: bool,
}

/// The referrer's fee vault for the mint, as the trade report finds it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum VaultState {
    /// Not created yet (it would be created by this report).
    Missing,
    /// Exists and is frozen.
    Frozen,
    /// Exists, not frozen, holding this balance.
    Open(u64),
}

/// Why a token fee share cannot be routed, or `None` when it can. Checked in the order of the table:
/// the mint's own rules first (they hold for every account), then the vault, then the payer.
pub fn route_block(mint: &MintTraits, vault: VaultState, payer_cpi_guard: bool) -> Option<ShareOutcome> {
    if mint.non_transferable {
        return Some(ShareOutcome::NonTransferable);
    }
    if mint.transfer_hook {
        return Some(ShareOutcome::TransferHook);
    }
    if mint.permanent_delegate {
        return Some(ShareOutcome::PermanentDelegate);
    }
    if mint.paused {
        return Some(ShareOutcome::MintPaused);
    }
    match vault {
        VaultState::Frozen => return Some(ShareOutcome::VaultFrozen),
        VaultState::Missing if mint.default_frozen => return Some(ShareOutcome::DefaultFrozen),
        VaultState::Missing | VaultState::Open(_) => {}
    }
    if payer_cpi_guard {
        return Some(ShareOutcome::PayerCpiGuard);
    }
    None
}

/// Whether a claim of a token fee share can move: each case that would make the token program
/// fail is a named error instead. A permanent delegate does not stop a claim (taking the tokens out of its
/// reach is what the member wants).
pub fn claim_check(mint: &MintTraits, vault_frozen: bool, destination_frozen: bool) -> Result<(), ReferralError> {
    if mint.non_transferable {
        return Err(ReferralError::NonTransferableMint);
    }
    if mint.transfer_hook {
        return Err(ReferralError::TransferHookUnsupported);
    }
    if mint.paused {
        return Err(ReferralError::MintPaused);
    }
    if vault_frozen {
        return Err(ReferralError::VaultFrozen);
    }
    if destination_frozen {
        return Err(ReferralError::DestinationFrozen);
    }
    Ok(())
}

/// Whether a mint can fund a period reward pool: refused up front, with a named error, when its
/// tokens could not be paid out (non-transferable, transfer hook, paused, a vault that would start
/// frozen) or could be taken out of the pool (permanent delegate). A frozen funder account fails in the
/// token program itself, before anything moves.
pub fn fund_check(mint: &MintTraits, funder_cpi_guard: bool) -> Result<(), ReferralError> {
    if mint.non_transferable {
        return Err(ReferralError::NonTransferableMint);
    }
    if mint.transfer_hook {
        return Err(ReferralError::TransferHookUnsupported);
    }
    if mint.permanent_delegate {
        return Err(ReferralError::PermanentDelegateMint);
    }
    if mint.paused {
        return Err(ReferralError::MintPaused);
    }
    if mint.default_frozen {
        return Err(ReferralError::DefaultFrozenMint);
    }
    if funder_cpi_guard {
        return Err(ReferralError::FunderCpiGuard);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const PLAIN: MintTraits = MintTraits {
        transfer_hook: false,
        permanent_delegate: false,
        non_transferable: false,
        paused: false,
        default_frozen: false,
        can_block: false,
    };

    // a plain mint routes into a missing or open vault; every blocking case routes nothing and says
    // which; the mint's rules win over the vault's, the vault's over the payer's.
    #[test]
    fn route_table() {
        assert_eq!(route_block(&PLAIN, VaultState::Missing, false), None);
        assert_eq!(route_block(&PLAIN, VaultState::Open(7), false), None);
        assert_eq!(route_block(&PLAIN, VaultState::Frozen, false), Some(ShareOutcome::VaultFrozen));
        assert_eq!(route_block(&PLAIN, VaultState::Open(0), true), Some(ShareOutcome::PayerCpiGuard));
        let default_frozen = MintTraits { default_frozen: true, ..PLAIN };
        assert_eq!(route_block(&default_frozen, VaultState::Missing, false), Some(ShareOutcome::DefaultFrozen));
        // A vault the freeze authority thawed takes shares like any other.
        assert_eq!(route_block(&default_frozen, VaultState::Open(0), false), None);
        assert_eq!(route_block(&default_frozen, VaultState::Frozen, false), Some(ShareOutcome::VaultFrozen));
        let cases = [
            (MintTraits { transfer_hook: true, ..PLAIN }, ShareOutcome::TransferHook),
            (MintTraits { permanent_delegate: true, ..PLAIN }, ShareOutcome::PermanentDelegate),
            (MintTraits { non_transferable: true, ..PLAIN }, ShareOutcome::NonTransferable),
            (MintTraits { paused: true, ..PLAIN }, ShareOutcome::MintPaused),
        ];
        for (mint, outcome) in cases {
            for vault in [VaultState::Missing, VaultState::Frozen, VaultState::Open(1)] {
                for guard in [false, true] {
                    assert_eq!(route_block(&mint, vault, guard), Some(outcome), "{mint:?} {vault:?} {guard}");
                }
            }
        }
        // Precedence among the mint's own rules.
        let all = MintTraits {
            transfer_hook: true,
            permanent_delegate: true,
            non_transferable: true,
            paused: true,
            default_frozen: true,
            can_block: true,
        };
        assert_eq!(route_block(&all, VaultState::Missing, true), Some(ShareOutcome::NonTransferable));
        let hook_and_delegate = MintTraits { transfer_hook: true, permanent_delegate: true, ..PLAIN };
        assert_eq!(route_block(&hook_and_delegate, VaultState::Open(0), false), Some(ShareOutcome::TransferHook));
    }

    // claims fail with a named error where the token program would fail; a permanent delegate or a
    // default-frozen mint (with a thawed vault) does not stop a claim.
    #[test]
    fn claim_table() {
        let err = |m: MintTraits, v: bool, d: bool| claim_check(&m, v, d).err().map(|e| format!("{e:?}"));
        assert_eq!(err(PLAIN, false, false), None);
        assert_eq!(err(MintTraits { permanent_delegate: true, ..PLAIN }, false, false), None);
        assert_eq!(err(MintTraits { default_frozen: true, ..PLAIN }, false, false), None);
        assert_eq!(err(PLAIN, true, false).as_deref(), Some("VaultFrozen"));
        assert_eq!(err(PLAIN, false, true).as_deref(), Some("DestinationFrozen"));
        assert_eq!(
            err(MintTraits { transfer_hook: true, ..PLAIN }, false, false).as_deref(),
            Some("TransferHookUnsupported")
        );
        assert_eq!(
            err(MintTraits { non_transferable: true, ..PLAIN }, false, false).as_deref(),
            Some("NonTransferableMint")
        );
        assert_eq!(err(MintTraits { paused: true, ..PLAIN }, true, true).as_deref(), Some("MintPaused"));
    }

    // a pool's mint is refused up front when its tokens could not be paid out or could be taken.
    #[test]
    fn fund_check_table() {
        let name = |traits: MintTraits, guard: bool| fund_check(&traits, guard).err().map(|e| format!("{e:?}"));
        let ok = MintTraits::default();
        assert_eq!(name(ok, false), None);
        let cases = [
            (MintTraits { non_transferable: true, ..ok }, "NonTransferableMint"),
            (MintTraits { transfer_hook: true, ..ok }, "TransferHookUnsupported"),
            (MintTraits { permanent_delegate: true, ..ok }, "PermanentDelegateMint"),
            (MintTraits { paused: true, ..ok }, "MintPaused"),
            (MintTraits { default_frozen: true, ..ok }, "DefaultFrozenMint"),
        ];
        for (traits, error) in cases {
            assert_eq!(name(traits, false).as_deref(), Some(error));
        }
        assert_eq!(name(ok, true).as_deref(), Some("FunderCpiGuard"));
    }
}
