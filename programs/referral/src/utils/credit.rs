//! Points crediting shared by `route_fee`, `route_fee_token` and `award_points`.
//!
//! The upline is verified link by link (R-2.5, docs/DECISIONS.md D-12): the referrer passed must be the
//! trader's stored referrer, and each further account the stored referrer of the level below; each is
//! proven a Member of this hub by owner + discriminator + stored hub.
use anchor_lang::prelude::*;

use crate::constants::MEMBER_SEED;
use crate::errors::ReferralError;
use crate::logic::periods::period_index;
use crate::logic::points::{apply_bps, level_share_bps, own_multiplier_bps};
use crate::state::{HubRules, Member};
use crate::utils::pda::is_canonical_address;

/// Points credited by one report.
#[derive(AnchorSerialize, AnchorDeserialize, Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Credited {
    /// Own points credited to the trader (base x own multiplier).
    pub own_points: u64,
    /// Referral points credited to the upline, all levels together.
    pub referral_points: u64,
}

/// Moves `m` into `period`: on the first touch in a later period the current figures become the
/// kept "previous period" figures and the current ones restart at zero; relationships and stakes stay.
pub fn roll_period(m: &mut Member, period: u32) {
    if m.period == period {
        return;
    }
    m.prev_period = m.period;
    m.prev_own_points = m.own_points;
    m.prev_referral_points = m.referral_points;
    m.flags = 0; // the flags describe the previous period, which just changed
    m.period = period;
    m.own_points = 0;
    m.referral_points = 0;
}

/// Loads the Member of the reported trader `wallet` (R-4.1, docs/DECISIONS.md D-26): the account must
/// be that wallet's Member of `hub` (owner + discriminator + stored hub + stored wallet), or, when the
/// wallet is not a member, the empty account at that wallet's canonical Member address (`None`: nothing
/// is credited and nothing moves, so a marketplace can pass the address of every buyer). So whoever
/// builds the report cannot credit another member's referrer, nor skip the trader's own by passing some
/// other empty account: `TraderMemberMismatch`.
pub fn load_trader<'info>(
    info: &'info AccountInfo<'info>,
    hub: &Pubkey,
    wallet: &Pubkey,
) -> Result<Option<AccountLoader<'info, Member>>> {
    if *info.owner == anchor_lang::system_program::ID && info.data_is_empty() {
        let seeds: [&[u8]; 3] = [MEMBER_SEED, hub.as_ref(), wallet.as_ref()];
        require!(is_canonical_address(&seeds, &crate::ID, info.key), ReferralError::TraderMemberMismatch);
        return Ok(None);
    }
    let loader: AccountLoader<'info, Member> = AccountLoader::try_from(info)?;
    {
        let m = loader.load()?;
        require_keys_eq!(m.hub, *hub, ReferralError::WrongHub);
        require_keys_eq!(m.wallet, *wallet, ReferralError::TraderMemberMismatch);
    }
    Ok(Some(loader))
}

/// Checks the referrer passed (its key) against the trader's stored link.
pub fn check_referrer(trader: &Member, referrer: Option<&Pubkey>) -> Result<()> {
    match (trader.has_referrer(), referrer) {
        (false, None) => Ok(()),
        (true, Some(r)) if *r == trader.referrer => Ok(()),
        (true, None) => err!(ReferralError::ReferrerAccountMissing),
        _ => err!(ReferralError::ReferrerMismatch),
    }
}

/// The accounts of a report's upline, levels 2..=depth, as the instruction received them: Anchor's
/// `AccountInfo`s (`route_fee_token`, `award_points`) or the entrypoint's views (`route_fee`, D-45). Each
/// is checked the same way before it is credited.
pub trait UplineMembers {
    /// How many accounts were passed.
    fn count(&self) -> usize;
    /// Runs `f` on the Member at `index`, after checking, in this order: it was passed
    /// (`UplineIncomplete`), its key is `expected` (`UplineMismatch`), it is writable
    /// (`UplineNotWritable`), it is a Member (owner and discriminator, Anchor's errors).
    fn with_member<R>(&self, index: usize, expected: &Pubkey, f: impl FnOnce(&mut Member) -> Result<R>) -> Result<R>;
}

impl<'info> UplineMembers for &'info [AccountInfo<'info>] {
    fn count(&self) -> usize {
        self.len()
    }

    fn with_member<R>(&self, index: usize, expected: &Pubkey, f: impl FnOnce(&mut Member) -> Result<R>) -> Result<R> {
        let info = self.get(index).ok_or(ReferralError::UplineIncomplete)?;
        require_keys_eq!(info.key(), *expected, ReferralError::UplineMismatch);
        require!(info.is_writable, ReferralError::UplineNotWritable);
        let loader: AccountLoader<'info, Member> = AccountLoader::try_from(info)?;
        let mut m = loader.load_mut()?;
        f(&mut m)
    }
}

/// Credits `base` points of `trader` in the period of `clock`: own points to the trader, referral points to
/// the referrer and to levels 2..=depth through `upline` (exactly the accounts the chain has up to the
/// hub's depth, writable, in order, each a Member of the referrer's hub). Milestones use the NFTs counted
/// in the clock's slot (stakes count from the next slot). The referrer must already be checked with
/// [`check_referrer`].
pub fn credit_points(
    config: &HubRules,
    clock: &Clock,
    trader: &mut Member,
    referrer: Option<&mut Member>,
    upline: impl UplineMembers,
    base: u64,
) -> Result<Credited> {
    let has_collection = config.has_collection();
    let period = period_index(&config.period(), clock.unix_timestamp);
    roll_period(trader, period);
    let own = apply_bps(base, own_multiplier_bps(config, trader.counted_stakes(clock.slot), trader.has_referrer()));
    trader.own_points = trader.own_points.saturating_add(own);
    let mut credited = Credited { own_points: own, referral_points: 0 };

    let Some(l1) = referrer else {
        require!(upline.count() == 0, ReferralError::UplineMismatch);
        return Ok(credited);
    };
    roll_period(l1, period);
    let pts = apply_bps(base, level_share_bps(config, 1, l1.counted_stakes(clock.slot), has_collection));
    l1.referral_points = l1.referral_points.saturating_add(pts);
    credited.referral_points = pts;

    let hub = l1.hub;
    let mut expected = l1.referrer;
    let mut used = 0usize;
    let mut level = 2u8;
    while level <= config.depth && expected != Pubkey::default() {
        let (pts, next) = upline.with_member(used, &expected, |m| {
            require_keys_eq!(m.hub, hub, ReferralError::WrongHub);
            roll_period(m, period);
            let pts = apply_bps(base, level_share_bps(config, level, 0, has_collection));
            m.referral_points = m.referral_points.saturating_add(pts);
            Ok((pts, m.referrer))
        })?;
        credited.referral_points = credited.referral_points.saturating_add(pts);
        expected = next;
        used = used.saturating_add(1);
        level = level.saturating_add(1);
    }
    require!(upline.count() == used, ReferralError::UplineMismatch);
    Ok(credited)
}
