//! Instruction builders: one function per program instruction, accounts in the program's order.
use anchor_lang::prelude::Pubkey;
use anchor_lang::solana_program::instruction::{AccountMeta, Instruction};
use anchor_lang::{system_program, InstructionData, ToAccountMetas};
use referral::errors::ReferralError;
use referral::state::{HubConfig, Member};
use referral::{accounts, instruction};

use crate::pda;

fn build(accounts: impl ToAccountMetas, data: impl InstructionData, remaining: &[Pubkey]) -> Instruction {
    let mut metas = accounts.to_account_metas(None);
    metas.extend(remaining.iter().map(|k| AccountMeta::new(*k, false)));
    Instruction { program_id: referral::ID, accounts: metas, data: data.data() }
}

/// `create_hub`: `creator` signs and becomes admin; `payer` pays rent.
pub fn create_hub(creator: &Pubkey, payer: &Pubkey, hub_id: u64, config: HubConfig) -> Instruction {
    let (hub, _) = pda::hub(creator, hub_id);
    build(
        accounts::CreateHub { creator: *creator, payer: *payer, hub, system_program: system_program::ID },
        instruction::CreateHub { hub_id, config },
        &[],
    )
}

/// How a wallet names its referrer when joining or setting one later.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Referral {
    /// No referrer.
    None,
    /// The referrer's wallet address used as the code.
    Address {
        /// The referrer's wallet.
        referrer_wallet: Pubkey,
        /// The referrer's upline member accounts (see [`upline`]).
        upline: Vec<Pubkey>,
    },
    /// A vanity code, as typed (normalised on-chain), and its owner's wallet.
    Code {
        /// The code as the user typed it.
        code: String,
        /// The wallet the code resolves to (read from the code account).
        referrer_wallet: Pubkey,
        /// The referrer's upline member accounts (see [`upline`]).
        upline: Vec<Pubkey>,
    },
}

struct ReferralAccounts {
    referrer: Option<Pubkey>,
    code_account: Option<Pubkey>,
    code: Option<String>,
    upline: Vec<Pubkey>,
}

fn referral_accounts(hub: &Pubkey, referral: Referral) -> Result<ReferralAccounts, ReferralError> {
    Ok(match referral {
        Referral::None => ReferralAccounts { referrer: None, code_account: None, code: None, upline: vec![] },
        Referral::Address { referrer_wallet, upline } => ReferralAccounts {
            referrer: Some(pda::member(hub, &referrer_wallet).0),
            code_account: None,
            code: None,
            upline,
        },
        Referral::Code { code, referrer_wallet, upline } => ReferralAccounts {
            referrer: Some(pda::member(hub, &referrer_wallet).0),
            code_account: Some(pda::code(hub, &code)?.0),
            code: Some(code),
            upline,
        },
    })
}

/// `join`: `wallet` joins `hub`, rent paid by `payer`. Fails only when a code is not normalisable.
pub fn join(wallet: &Pubkey, payer: &Pubkey, hub: &Pubkey, referral: Referral) -> Result<Instruction, ReferralError> {
    let r = referral_accounts(hub, referral)?;
    Ok(build(
        accounts::Join {
            wallet: *wallet,
            payer: *payer,
            hub: *hub,
            member: pda::member(hub, wallet).0,
            referrer: r.referrer,
            code_account: r.code_account,
            system_program: system_program::ID,
        },
        instruction::Join { code: r.code },
        &r.upline,
    ))
}

/// `set_referrer`: the member of `wallet` in `hub` sets its referrer (never `Referral::None`).
pub fn set_referrer(wallet: &Pubkey, hub: &Pubkey, referral: Referral) -> Result<Instruction, ReferralError> {
    let r = referral_accounts(hub, referral)?;
    let referrer = r.referrer.ok_or(ReferralError::ReferrerAccountMissing)?;
    Ok(build(
        accounts::SetReferrer {
            wallet: *wallet,
            hub: *hub,
            member: pda::member(hub, wallet).0,
            referrer,
            code_account: r.code_account,
        },
        instruction::SetReferrer { code: r.code },
        &r.upline,
    ))
}

/// `make_code`: the member of `wallet` in `hub` creates `code` (normalised on-chain and here).
pub fn make_code(wallet: &Pubkey, payer: &Pubkey, hub: &Pubkey, code: &str) -> Result<Instruction, ReferralError> {
    Ok(build(
        accounts::MakeCode {
            wallet: *wallet,
            payer: *payer,
            hub: *hub,
            member: pda::member(hub, wallet).0,
            code_account: pda::code(hub, code)?.0,
            system_program: system_program::ID,
        },
        instruction::MakeCode { code: code.to_string() },
        &[],
    ))
}

/// The upline a `join`/`set_referrer` through `referrer` must pass: the referrer's referrer, that one's
/// referrer, ... up to `MAX_DEPTH - 1` member accounts. `fetch` reads a Member by address.
pub fn upline(referrer: &Member, mut fetch: impl FnMut(&Pubkey) -> Option<Member>) -> Vec<Pubkey> {
    let mut out = Vec::new();
    let mut next = referrer.referrer;
    while next != Pubkey::default() && out.len() < usize::from(referral::constants::MAX_DEPTH) - 1 {
        out.push(next);
        match fetch(&next) {
            Some(m) => next = m.referrer,
            None => break,
        }
    }
    out
}
