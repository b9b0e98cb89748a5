//! `register`: anyone registers a ranked member's final figures of an ended period.
use anchor_lang::prelude::*;

use crate::constants::REGISTRATION_SEED;
use crate::errors::ReferralError;
use crate::events::MemberRegistered;
use crate::logic::periods::period_index;
use crate::logic::rewards::tier_reached;
use crate::state::{Hub, Member, Period, Registration, MEMBER_FLAG_PREV_REGISTERED};
use crate::utils::create::{create_pda, write_account};
use crate::utils::credit::roll_period;

#[derive(Accounts)]
pub struct Register<'info> {
    /// Pays the registration's rent (an operator's crank or the member), refunded when it is closed.
    #[account(mut)]
    pub payer: Signer<'info>,
    /// The hub.
    pub hub: AccountLoader<'info, Hub>,
    /// The period, of this hub.
    #[account(mut, constraint = period.hub == hub.key() @ ReferralError::WrongHub)]
    pub period: Account<'info, Period>,
    /// The member registered, of this hub (its figures roll over to the current period here, as a trade
    /// would roll them).
    #[account(mut, constraint = member.load()?.hub == hub.key() @ ReferralError::WrongHub)]
    pub member: AccountLoader<'info, Member>,
    /// The registration, created here at `[REGISTRATION_SEED, period, member]`. Unchecked by Anchor
    /// (CHECK): the seeds constraint proves the address; `AlreadyRegistered` if it exists.
    #[account(mut, seeds = [REGISTRATION_SEED, period.key().as_ref(), member.key().as_ref()], bump)]
    pub registration: UncheckedAccount<'info>,
    pub system_program: Program<'info, System>,
}

impl Register<'_> {
    /// Steps:
    /// 1. The period has ended (`PeriodNotEnded`) and its registration window is open
    ///    (`RegistrationClosed`).
    /// 2. Roll the member to the current period; its referral points of the period are its current or
    ///    kept previous figures (`Member::referral_points_in`; the window is no longer than the shortest
    ///    period, D-27, so they are still held).
    /// 3. The points reach a tier of the period (`NotRanked` below the first threshold, R-5.3).
    /// 4. Create the registration (`AlreadyRegistered`: once per member), add the points to the total of
    ///    every tier reached, count the member; flag the member's previous period as registered.
    /// 5. Emit `MemberRegistered`.
    pub fn handler(ctx: Context<Self>) -> Result<()> {
        let a = ctx.accounts;
        let now = Clock::get()?.unix_timestamp;
        require!(now >= a.period.end, ReferralError::PeriodNotEnded);
        require!(now < a.period.registration_end, ReferralError::RegistrationClosed);
        let current = period_index(&a.hub.load()?.rules.period(), now);
        let index = a.period.index;
        let (points, wallet) = {
            let mut m = a.member.load_mut()?;
            roll_period(&mut m, current);
            let points = m.referral_points_in(index);
            if m.prev_period == index {
                m.flags |= MEMBER_FLAG_PREV_REGISTERED;
            }
            (points, m.wallet)
        };
        let tier = tier_reached(a.period.thresholds(), points).ok_or(ReferralError::NotRanked)?;
        let period_key = a.period.key();
        let member_key = a.member.key();
        let bump = ctx.bumps.registration;
        let seeds: &[&[u8]] = &[REGISTRATION_SEED, period_key.as_ref(), member_key.as_ref(), &[bump]];
        create_pda(
            &a.payer,
            &a.registration,
            &a.system_program,
            seeds,
            Registration::SPACE,
            &crate::ID,
            ReferralError::AlreadyRegistered,
        )?;
        let registration = Registration {
            period: period_key,
            member: member_key,
            wallet,
            payer: a.payer.key(),
            points,
            claims: 0,
            tier,
            bump,
        };
        write_account(&a.registration, &registration)?;
        let period = &mut a.period;
        for t in 0..=usize::from(tier) {
            let total = period.tier_totals.get_mut(t).ok_or(ReferralError::MathOverflow)?;
            *total = total.checked_add(u128::from(points)).ok_or(ReferralError::MathOverflow)?;
            let members = period.tier_members.get_mut(t).ok_or(ReferralError::MathOverflow)?;
            *members = members.checked_add(1).ok_or(ReferralError::MathOverflow)?;
        }
        period.registered = period.registered.checked_add(1).ok_or(ReferralError::MathOverflow)?;
        period.open_registrations = period.open_registrations.checked_add(1).ok_or(ReferralError::MathOverflow)?;
        emit!(MemberRegistered { period: period_key, member: member_key, wallet, points, tier });
        Ok(())
    }
}
