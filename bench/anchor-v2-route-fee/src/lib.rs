//! Issue 9, option (b): `route_fee` on anchor-lang 2.0.0-rc.2 (pinocchio-based, zero-copy accounts), for
//! measurement only (docs/DECISIONS.md D-44). It is the same instruction as programs/referral's: same
//! program id, discriminator, arguments, accounts and account layouts (Hub, Member), and the same checks
//! (D-7, D-12, D-26, D-36, D-39): listed reporter; paused routing moves nothing; the trader account is the
//! named wallet's Member of the hub, or that wallet's empty canonical Member address; the referrer is the
//! trader's stored referrer; the upline is verified link by link; stakes count from the next slot; the
//! share moves by a System transfer; points are credited per period; an event and the result are emitted.
//! What it leaves out is everything else the adopted program does (other instructions, token routes).
use anchor_lang::prelude::*;
use bytemuck::{Pod, Zeroable};
use pinocchio::sysvars::Sysvar;
#[cfg(target_arch = "bpf")]
use solana_compiler_builtins as _;

declare_id!("FX99cs7nEKSWFNh5GgnppBD94mGKiMrfD9ghC9uuq6YS");

const MEMBER_SEED: &[u8] = b"member";
const PAUSE_ROUTING: u8 = 1 << 2;
const BPS: u64 = 10_000;
const SYSTEM: Address = Address::new_from_array([0; 32]);
const PDA_MARKER: &[u8] = b"ProgramDerivedAddress";

#[derive(Clone, Copy, Pod, Zeroable)]
#[repr(C)]
pub struct Milestone {
    pub count: u16,
    pub multiplier_bps: u16,
    pub share_bps: u16,
    pub step_multiplier_bps: u16,
    pub step_share_bps: u16,
}

#[derive(Clone, Copy, Pod, Zeroable)]
#[repr(C)]
pub struct HubRules {
    pub period_origin: i64,
    pub tier_thresholds: [u64; 4],
    pub collection: Address,
    pub reporters: [Address; 4],
    pub period_seconds: u32,
    pub config_delay_seconds: u32,
    pub min_stake_seconds: u32,
    pub registration_window_seconds: u32,
    pub claim_window_seconds: u32,
    pub referrer_fee_bps: u16,
    pub referee_multiplier_bps: u16,
    pub flat_level1_share_bps: u16,
    pub level_shares_bps: [u16; 3],
    pub min_stake_to_earn: u16,
    pub tier_shares_bps: [u16; 4],
    pub milestones: [Milestone; 8],
    pub depth: u8,
    pub invite_only: u8,
    pub milestone_count: u8,
    pub tier_count: u8,
    pub reporter_count: u8,
    pub _padding: [u8; 1],
}

#[account]
pub struct Hub {
    pub hub_id: u64,
    pub creator: Address,
    pub admin: Address,
    pub pending_admin: Address,
    pub rules: HubRules,
    pub claims_paused_at: i64,
    pub bump: u8,
    pub paused: u8,
    pub _padding: [u8; 6],
}

#[account]
pub struct Member {
    pub joined_at: i64,
    pub last_stake_slot: u64,
    pub own_points: u64,
    pub referral_points: u64,
    pub prev_own_points: u64,
    pub prev_referral_points: u64,
    pub claimable_lamports: u64,
    pub lifetime_fee_lamports: u64,
    pub hub: Address,
    pub wallet: Address,
    pub referrer: Address,
    pub referee_counts: [u32; 4],
    pub period: u32,
    pub prev_period: u32,
    pub staked_count: u16,
    pub fresh_stakes: u16,
    pub bump: u8,
    pub flags: u8,
    pub _padding: [u8; 2],
}

#[error_code]
pub enum ReferralError {
    UnauthorizedReporter = 6054,
    ReferrerMismatch = 6056,
    ReferrerAccountMissing = 6031,
    UplineMismatch = 6026,
    UplineIncomplete = 6027,
    UplineNotWritable = 6028,
    WrongHub = 6040,
    TraderMemberMismatch = 6067,
    NotAMember = 6099,
}

#[derive(Clone, Copy, AnchorSerialize, AnchorDeserialize)]
pub struct RouteFeeArgs {
    pub trader: Address,
    pub fee: u64,
    pub base_points: u64,
}

#[derive(Clone, Copy, Default, AnchorSerialize, AnchorDeserialize)]
pub struct RouteFeeResult {
    pub referrer_share: u64,
    pub remainder: u64,
    pub credited: u64,
    pub own_points: u64,
    pub referral_points: u64,
    pub outcome: u8,
}

#[event]
pub struct FeeRouted {
    pub hub: Address,
    pub trader: Address,
    pub referrer: Address,
    pub mint: Address,
    pub fee: u64,
    pub referrer_share: u64,
    pub credited: u64,
    pub own_points: u64,
    pub referral_points: u64,
    pub outcome: u8,
}

#[derive(Accounts)]
pub struct RouteFee {
    pub reporter: Signer,
    pub hub: Account<Hub>,
    #[account(mut)]
    pub trader: UncheckedAccount,
    #[account(mut)]
    pub referrer: Option<UncheckedAccount>,
    #[account(mut)]
    pub payer: Signer,
    pub system_program: Program<System>,
}

#[program]
pub mod referral {
    use super::*;

    pub fn route_fee(ctx: &mut Context<RouteFee>, args: RouteFeeArgs) -> Result<RouteFeeResult> {
        let upline = ctx.remaining_accounts()?;
        handle(&mut ctx.accounts, args, &upline)
    }
}

const ROUTED: u8 = 0;
const NOT_MEMBER: u8 = 1;
const PAUSED: u8 = 2;
const NO_REFERRER: u8 = 3;
const NOT_ELIGIBLE: u8 = 4;
const ZERO_SHARE: u8 = 5;

fn nothing(fee: u64, outcome: u8) -> RouteFeeResult {
    RouteFeeResult { remainder: fee, outcome, ..RouteFeeResult::default() }
}

/// The Member stored in `view` (this program's account with the Member discriminator), for writing.
fn member_mut(view: &mut AccountView) -> Result<&mut Member> {
    if !view.owned_by(&ID) {
        return Err(ProgramError::IllegalOwner.into());
    }
    // SAFETY: no other reference to this account's data is alive (each account is loaded once, and the
    // System transfer has returned before any Member is loaded).
    let data = unsafe { view.borrow_unchecked_mut() };
    let (disc, body) = data.split_at_mut_checked(8).ok_or(ProgramError::InvalidAccountData)?;
    if disc != Member::DISCRIMINATOR {
        return Err(ProgramError::InvalidAccountData.into());
    }
    let body = body.get_mut(..core::mem::size_of::<Member>()).ok_or(ProgramError::InvalidAccountData)?;
    bytemuck::try_from_bytes_mut(body).map_err(|_| ProgramError::InvalidAccountData.into())
}

fn member(view: &AccountView) -> Result<&Member> {
    if !view.owned_by(&ID) {
        return Err(ProgramError::IllegalOwner.into());
    }
    // SAFETY: read-only view, no mutable reference alive.
    let data = unsafe { view.borrow_unchecked() };
    let (disc, body) = data.split_at_checked(8).ok_or(ProgramError::InvalidAccountData)?;
    if disc != Member::DISCRIMINATOR {
        return Err(ProgramError::InvalidAccountData.into());
    }
    let body = body.get(..core::mem::size_of::<Member>()).ok_or(ProgramError::InvalidAccountData)?;
    bytemuck::try_from_bytes(body).map_err(|_| ProgramError::InvalidAccountData.into())
}

fn canonical(hub: &Address, wallet: &Address, key: &Address) -> bool {
    for bump in (0..=u8::MAX).rev() {
        let b = [bump];
        let parts: [&[u8]; 6] = [MEMBER_SEED, hub.as_ref(), wallet.as_ref(), &b, ID.as_ref(), PDA_MARKER];
        let candidate = Address::new_from_array(solana_sha256_hasher::hashv(&parts).to_bytes());
        if !candidate.is_on_curve() {
            return candidate == *key;
        }
    }
    false
}

fn apply_bps(base: u64, bps: u16) -> u64 {
    match base.checked_mul(u64::from(bps)) {
        Some(p) => p / BPS,
        None => ((u128::from(base) * u128::from(bps)) / u128::from(BPS)).min(u128::from(u64::MAX)) as u64,
    }
}

fn benefits(rules: &HubRules, n: u16) -> (u16, u16) {
    let ms = &rules.milestones[..usize::from(rules.milestone_count).min(8)];
    let Some(i) = ms.iter().rposition(|m| m.count <= n) else { return (0, 0) };
    let m = ms[i];
    let next = ms.get(i + 1);
    let extra = u64::from(n - m.count);
    let grow = |base: u16, step: u16, cap: Option<u16>| {
        let v = u64::from(base) + extra * u64::from(step);
        let v = cap.map_or(v, |c| v.min(u64::from(c)));
        u16::try_from(v).unwrap_or(u16::MAX)
    };
    (
        grow(m.multiplier_bps, m.step_multiplier_bps, next.map(|x| x.multiplier_bps)).min(50_000),
        grow(m.share_bps, m.step_share_bps, next.map(|x| x.share_bps)).min(10_000),
    )
}

fn counted(m: &Member, slot: u64) -> u16 {
    if m.last_stake_slot == slot {
        m.staked_count.saturating_sub(m.fresh_stakes)
    } else {
        m.staked_count
    }
}

fn civil_month_index(now: i64) -> u32 {
    if now < 0 {
        return 0;
    }
    let z = now / 86_400 + 719_468;
    let era = z / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    u32::try_from((year - 1970) * 12 + month - 1).unwrap_or(u32::MAX)
}

fn period(rules: &HubRules, now: i64) -> u32 {
    if rules.period_seconds == 0 {
        civil_month_index(now)
    } else if now < rules.period_origin {
        0
    } else {
        u32::try_from((now - rules.period_origin) / i64::from(rules.period_seconds)).unwrap_or(u32::MAX)
    }
}

fn roll(m: &mut Member, p: u32) {
    if m.period != p {
        m.prev_period = m.period;
        m.prev_own_points = m.own_points;
        m.prev_referral_points = m.referral_points;
        m.flags = 0;
        m.period = p;
        m.own_points = 0;
        m.referral_points = 0;
    }
}

fn handle(a: &mut RouteFee, args: RouteFeeArgs, upline: &[AccountView]) -> Result<RouteFeeResult> {
    let hub_key = *a.hub.address();
    let rules = a.hub.rules;
    let reporters = &rules.reporters[..usize::from(rules.reporter_count).min(4)];
    if !reporters.iter().any(|r| r == a.reporter.address()) {
        return Err(ReferralError::UnauthorizedReporter.into());
    }
    if a.hub.paused & PAUSE_ROUTING != 0 {
        return Ok(nothing(args.fee, PAUSED));
    }
    // The trader: the named wallet's Member, or its empty canonical Member address.
    let mut trader_view = *a.trader.account();
    if trader_view.owned_by(&SYSTEM) && trader_view.is_data_empty() {
        if !canonical(&hub_key, &args.trader, trader_view.address()) {
            return Err(ReferralError::TraderMemberMismatch.into());
        }
        return Ok(nothing(args.fee, NOT_MEMBER));
    }
    let (stored_referrer, trader_has_referrer) = {
        let t = member(&trader_view)?;
        if t.hub != hub_key {
            return Err(ReferralError::WrongHub.into());
        }
        if t.wallet != args.trader {
            return Err(ReferralError::TraderMemberMismatch.into());
        }
        (t.referrer, t.referrer != SYSTEM)
    };
    let mut referrer_view = a.referrer.as_ref().map(|r| *r.account());
    match (&referrer_view, trader_has_referrer) {
        (None, false) => {}
        (Some(r), true) if *r.address() == stored_referrer => {}
        (None, true) => return Err(ReferralError::ReferrerAccountMissing.into()),
        _ => return Err(ReferralError::ReferrerMismatch.into()),
    }
    let clock = Clock::get()?;
    let mut result = nothing(args.fee, NO_REFERRER);
    if let Some(r) = &referrer_view {
        let rm = member(r)?;
        if counted(rm, clock.slot) < rules.min_stake_to_earn {
            result.outcome = NOT_ELIGIBLE;
        } else {
            let share = apply_bps(args.fee, rules.referrer_fee_bps.min(10_000));
            if share == 0 {
                result.outcome = ZERO_SHARE;
            } else {
                pinocchio_system::instructions::Transfer { from: a.payer.account(), to: r, lamports: share }
                    .invoke()?;
                result = RouteFeeResult {
                    referrer_share: share,
                    remainder: args.fee - share,
                    credited: share,
                    outcome: ROUTED,
                    ..RouteFeeResult::default()
                };
            }
        }
    }
    // Credit points.
    let p = period(&rules, clock.unix_timestamp);
    let t = member_mut(&mut trader_view)?;
    roll(t, p);
    let staked = counted(t, clock.slot);
    let (stake_mult, _) = benefits(&rules, staked);
    let mult = if staked >= 1 && stake_mult != 0 {
        stake_mult
    } else if t.referrer != SYSTEM {
        rules.referee_multiplier_bps
    } else {
        10_000
    };
    let own = apply_bps(args.base_points, mult);
    t.own_points = t.own_points.saturating_add(own);
    result.own_points = own;
    if let Some(r) = referrer_view.as_mut() {
        let l1 = member_mut(r)?;
        roll(l1, p);
        if result.outcome == ROUTED {
            l1.claimable_lamports = l1.claimable_lamports.checked_add(result.credited).ok_or(ProgramError::ArithmeticOverflow)?;
            l1.lifetime_fee_lamports = l1.lifetime_fee_lamports.saturating_add(result.credited);
        }
        let share = if rules.collection != SYSTEM { benefits(&rules, counted(l1, clock.slot)).1 } else { rules.flat_level1_share_bps };
        let pts = apply_bps(args.base_points, share);
        l1.referral_points = l1.referral_points.saturating_add(pts);
        result.referral_points = pts;
        let mut expected = l1.referrer;
        let mut used = 0usize;
        let mut level = 2u8;
        while level <= rules.depth && expected != SYSTEM {
            let mut view = *upline.get(used).ok_or(ReferralError::UplineIncomplete)?;
            if *view.address() != expected {
                return Err(ReferralError::UplineMismatch.into());
            }
            if !view.is_writable() {
                return Err(ReferralError::UplineNotWritable.into());
            }
            let m = member_mut(&mut view)?;
            if m.hub != hub_key {
                return Err(ReferralError::WrongHub.into());
            }
            roll(m, p);
            let pts = apply_bps(args.base_points, rules.level_shares_bps[usize::from(level - 2)]);
            m.referral_points = m.referral_points.saturating_add(pts);
            result.referral_points = result.referral_points.saturating_add(pts);
            expected = m.referrer;
            used += 1;
            level += 1;
        }
        if upline.len() != used {
            return Err(ReferralError::UplineMismatch.into());
        }
    } else if !upline.is_empty() {
        return Err(ReferralError::UplineMismatch.into());
    }
    emit!(FeeRouted {
        hub: hub_key,
        trader: *trader_view.address(),
        referrer: stored_referrer,
        mint: SYSTEM,
        fee: args.fee,
        referrer_share: result.referrer_share,
        credited: result.credited,
        own_points: result.own_points,
        referral_points: result.referral_points,
        outcome: result.outcome,
    });
    Ok(result)
}
