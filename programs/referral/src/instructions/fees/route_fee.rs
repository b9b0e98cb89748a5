//! `route_fee`: a marketplace reports a trade paid in SOL (R-4.1 .. ).
//!
//! The per-trade path: every marketplace calls it on every trade. In the deployed build it runs from the
//! program's entrypoint on the raw input, with no `AccountInfo` built (docs/DECISIONS.md D-45): [`process`]
//! makes every check the `RouteFee` accounts struct declares, with Anchor's own error codes, then the
//! steps of [`RouteFee::handler`]'s documentation. The struct stays the instruction's interface: the IDL,
//! the client's builder and the `cpi` module marketplaces call are generated from it.
use anchor_lang::error::ErrorCode;
use anchor_lang::prelude::*;
use pinocchio::account::AccountView;

use super::{eligible_share, RouteFeeArgs, RouteFeeResult};
use crate::constants::MEMBER_SEED;
use crate::errors::ReferralError;
use crate::logic::fees::ShareOutcome;
use crate::state::{Hub, Member, PAUSE_ROUTING};
use crate::utils::credit::{check_referrer, credit_points, UplineMembers};
use crate::utils::pda::is_canonical_address;

#[derive(Accounts)]
pub struct RouteFee<'info> {
    /// An authorised reporter of the hub (a marketplace PDA signing by CPI, or an operator key).
    pub reporter: Signer<'info>,
    /// The hub. Read only: the per-trade path writes no hub-wide account.
    pub hub: AccountLoader<'info, Hub>,
    /// The Member of the trader's wallet (`args.trader`) in this hub, or, when that wallet is not a member,
    /// its empty Member address (then nothing is credited and nothing moves). Unchecked by Anchor (CHECK):
    /// `process` proves it is one or the other.
    #[account(mut)]
    pub trader: UncheckedAccount<'info>,
    /// The trader's referrer (its Member), required when the trader has one: its key must be the one the
    /// trader's Member stores (so it is a Member of this hub).
    #[account(mut)]
    pub referrer: Option<AccountLoader<'info, Member>>,
    /// Pays the referrer's share (a signer of the outer transaction or a PDA of the caller).
    #[account(mut)]
    pub payer: Signer<'info>,
    pub system_program: Program<'info, System>,
    // remaining_accounts: the referrer's upline members, levels 2..=depth, writable.
}

impl<'info> RouteFee<'info> {
    /// Steps (run by [`process`] from the program's entrypoint in the deployed build):
    /// 1. The reporter is listed. While routing is paused the trade goes on: nothing moves, no
    ///    points, the whole fee stays with the payer (docs/DECISIONS.md D-24).
    /// 2. The trader account is `args.trader`'s Member of this hub, or that wallet's empty canonical Member
    ///    address (not a member: nothing moves, and a referrer or upline passed is refused,
    ///    `NonMemberTakesNoReferrer`); the referrer is its stored referrer. The instruction data is
    ///    exactly the arguments (48 bytes after the discriminator; trailing bytes are refused).
    /// 3. Split the fee: the referrer's share only if it has `min_stake_to_earn` NFTs counted
    ///    (R-3.5; stakes count from the next slot); rounding down, remainder to the payer.
    /// 4. Transfer the share from the payer into the referrer's Member account; no Member is
    ///    borrowed during the transfer.
    /// 5. Add it to the referrer's claimable balance; credit own and referral points in the current
    ///    period to the trader, the referrer and the upline, verified link by link.
    /// 6. Emit `FeeRouted`; return (share, remainder, credited, points, outcome) as return data.
    ///
    /// Reached through Anchor's dispatcher only in a build without the `fast-entry` feature, which the
    /// project never deploys (scripts/build-sbf.sh builds with it): there it refuses, so no second
    /// implementation of the per-trade path exists.
    pub fn handler(_ctx: Context<'info, Self>, _args: RouteFeeArgs) -> Result<RouteFeeResult> {
        err!(ReferralError::RouteFeeNeedsProgramEntry)
    }
}

/// The referral program's system account id (the System Program), as account views compare it.
const SYSTEM_PROGRAM: Pubkey = anchor_lang::solana_program::system_program::ID;

/// `route_fee` from the entrypoint: `accounts` in `RouteFee`'s order, then the upline; `data` the
/// instruction data after the discriminator. Sets the return data.
pub fn process(accounts: &[AccountView], data: &[u8]) -> Result<()> {
    let [reporter, hub, trader, referrer, payer, system_program, upline @ ..] = accounts else {
        return err!(ErrorCode::AccountNotEnoughKeys);
    };
    // Exactly the arguments: trailing bytes are refused, not ignored (an integrator's encoding error).
    require!(data.len() == RouteFeeArgs::LEN, ErrorCode::InstructionDidNotDeserialize);
    let args = RouteFeeArgs::deserialize(&mut &data[..]).map_err(|_| ErrorCode::InstructionDidNotDeserialize)?;
    // The checks Anchor derives from `RouteFee`, in its order: types as loaded, then constraints.
    require!(reporter.is_signer(), ErrorCode::AccountNotSigner);
    let hub_data = hub.try_borrow()?;
    let hub_state: &Hub = zero_copy(hub, &hub_data)?;
    let referrer = if *referrer.address() == crate::ID {
        None
    } else {
        zero_copy::<Member>(referrer, &referrer.try_borrow()?)?;
        Some(referrer)
    };
    require!(payer.is_signer(), ErrorCode::AccountNotSigner);
    require!(*system_program.address() == SYSTEM_PROGRAM, ErrorCode::InvalidProgramId);
    require!(trader.is_writable(), ErrorCode::ConstraintMut);
    require!(referrer.is_none_or(|r| r.is_writable()), ErrorCode::ConstraintMut);
    require!(payer.is_writable(), ErrorCode::ConstraintMut);

    let result = route(hub.address(), hub_state, reporter, trader, referrer, payer, upline, args)?;
    // The result as Anchor returns it (borsh), serialised on the stack.
    let mut bytes = [0u8; RouteFeeResult::LEN];
    result.serialize(&mut &mut bytes[..])?;
    anchor_lang::solana_program::program::set_return_data(&bytes);
    Ok(())
}

/// Steps 1 to 6 of [`RouteFee::handler`].
#[allow(clippy::too_many_arguments)]
fn route(
    hub_key: &Pubkey,
    hub: &Hub,
    reporter: &AccountView,
    trader: &AccountView,
    referrer: Option<&AccountView>,
    payer: &AccountView,
    upline: &[AccountView],
    args: RouteFeeArgs,
) -> Result<RouteFeeResult> {
    let rules = &hub.rules;
    require!(rules.is_reporter(reporter.address()), ReferralError::UnauthorizedReporter);
    if hub.is_paused(PAUSE_ROUTING) {
        return Ok(RouteFeeResult::nothing(args.fee, ShareOutcome::RoutingPaused));
    }
    // 2. The trader: the named wallet's Member, or its empty canonical Member address.
    if trader.owned_by(&SYSTEM_PROGRAM) && trader.is_data_empty() {
        let seeds: [&[u8]; 3] = [MEMBER_SEED, hub_key.as_ref(), args.trader.as_ref()];
        require!(is_canonical_address(&seeds, &crate::ID, trader.address()), ReferralError::TraderMemberMismatch);
        require!(referrer.is_none() && upline.is_empty(), ReferralError::NonMemberTakesNoReferrer);
        return Ok(RouteFeeResult::nothing(args.fee, ShareOutcome::NotMember));
    }
    let stored_referrer = {
        let data = trader.try_borrow()?;
        let t: &Member = zero_copy(trader, &data)?;
        require_keys_eq!(t.hub, *hub_key, ReferralError::WrongHub);
        require_keys_eq!(t.wallet, args.trader, ReferralError::TraderMemberMismatch);
        check_referrer(t, referrer.map(|r| r.address()))?;
        t.referrer
    };
    // 3, 4. The share, moved before any Member is borrowed for writing.
    let clock = Clock::get()?;
    let mut result = RouteFeeResult::nothing(args.fee, ShareOutcome::NoReferrer);
    if let Some(r) = referrer {
        let share = eligible_share(rules, zero_copy::<Member>(r, &r.try_borrow()?)?, args.fee, clock.slot);
        result = match share {
            Ok(s) => {
                pinocchio_system::instructions::Transfer { from: payer, to: r, lamports: s.referrer_share }.invoke()?;
                RouteFeeResult::routed(s, s.referrer_share)
            }
            Err(outcome) => RouteFeeResult::nothing(args.fee, outcome),
        };
    }
    // 5. Points, and the referrer's claimable balance.
    let mut trader_data = trader.try_borrow_mut()?;
    let t: &mut Member = zero_copy_mut(&mut trader_data)?;
    let mut referrer_data = referrer.map(|r| r.try_borrow_mut()).transpose()?;
    let l1 = referrer_data.as_deref_mut().map(zero_copy_mut).transpose()?;
    let l1 = match l1 {
        Some(l1) if result.outcome == ShareOutcome::Routed => {
            l1.claimable_lamports =
                l1.claimable_lamports.checked_add(result.credited).ok_or(ReferralError::MathOverflow)?;
            l1.lifetime_fee_lamports = l1.lifetime_fee_lamports.saturating_add(result.credited);
            Some(l1)
        }
        other => other,
    };
    let credited = credit_points(rules, &clock, t, l1, Upline(upline), args.base_points)?;
    result.own_points = credited.own_points;
    result.referral_points = credited.referral_points;
    // 6. The event (the return data is set by the caller).
    emit!(result.event(*hub_key, *trader.address(), stored_referrer, Pubkey::default(), args.fee));
    Ok(result)
}

/// The upline as the entrypoint's views, checked as [`UplineMembers`] requires.
struct Upline<'a>(&'a [AccountView]);

impl UplineMembers for Upline<'_> {
    fn count(&self) -> usize {
        self.0.len()
    }

    fn with_member<R>(&self, index: usize, expected: &Pubkey, f: impl FnOnce(&mut Member) -> Result<R>) -> Result<R> {
        let view = self.0.get(index).ok_or(ReferralError::UplineIncomplete)?;
        require_keys_eq!(*view.address(), *expected, ReferralError::UplineMismatch);
        require!(view.is_writable(), ReferralError::UplineNotWritable);
        let mut data = view.try_borrow_mut()?;
        zero_copy::<Member>(view, &data)?;
        f(zero_copy_mut(&mut data)?)
    }
}

/// The checks `AccountLoader<T>` makes when it loads an account, with its error codes: owned by this
/// program, long enough, `T`'s discriminator; then the cast.
fn zero_copy<'a, T: bytemuck::Pod + Discriminator>(view: &AccountView, data: &'a [u8]) -> Result<&'a T> {
    require!(view.owned_by(&crate::ID), ErrorCode::AccountOwnedByWrongProgram);
    let disc = data.get(..8).ok_or(ErrorCode::AccountDiscriminatorNotFound)?;
    require!(disc == T::DISCRIMINATOR, ErrorCode::AccountDiscriminatorMismatch);
    let body = data.get(8..core::mem::size_of::<T>().saturating_add(8)).ok_or(ErrorCode::AccountDidNotDeserialize)?;
    bytemuck::try_from_bytes(body).map_err(|_| ErrorCode::AccountDidNotDeserialize.into())
}

/// A Member already checked by [`zero_copy`], for writing.
fn zero_copy_mut(data: &mut [u8]) -> Result<&mut Member> {
    let body = data.get_mut(8..Member::SPACE).ok_or(ErrorCode::AccountDidNotDeserialize)?;
    bytemuck::try_from_bytes_mut(body).map_err(|_| ErrorCode::AccountDidNotDeserialize.into())
}
