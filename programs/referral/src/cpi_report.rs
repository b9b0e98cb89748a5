//! A lean CPI into `route_fee` for marketplaces (docs/DECISIONS.md D-45): the same instruction Anchor's
//! generated `cpi::route_fee` sends (the metas are checked against `accounts::RouteFee` in a test), built
//! without its generic context and invoked without re-borrowing every account, so the per-trade call
//! costs the caller less. The caller must hold no borrow of these accounts' data or lamports while it
//! runs (as when it passes only `AccountInfo`s, `Signer`s and `UncheckedAccount`s, like the demo
//! marketplace); with a borrow held, use `crate::cpi::route_fee`, which checks.
use anchor_lang::prelude::*;
use anchor_lang::solana_program::instruction::{AccountMeta, Instruction};
use anchor_lang::solana_program::program::{get_return_data, invoke_signed_unchecked};
use anchor_lang::Discriminator;

use crate::errors::ReferralError;
use crate::{RouteFeeArgs, RouteFeeResult};

/// The accounts of a `route_fee` call, in the caller's hands.
pub struct RouteFeeAccounts<'a, 'info> {
    /// The reporter the hub lists (the caller's PDA signs with `signer_seeds`).
    pub reporter: &'a AccountInfo<'info>,
    /// The hub.
    pub hub: &'a AccountInfo<'info>,
    /// The trader's Member, or its empty Member address.
    pub trader: &'a AccountInfo<'info>,
    /// The trader's referrer's Member, when it has one.
    pub referrer: Option<&'a AccountInfo<'info>>,
    /// The referral program (invoked; also the placeholder of an absent referrer).
    pub referral_program: &'a AccountInfo<'info>,
    /// Pays the referrer's share.
    pub payer: &'a AccountInfo<'info>,
    /// The System Program.
    pub system_program: &'a AccountInfo<'info>,
    /// The referrer's upline, levels 2..=depth.
    pub upline: &'a [AccountInfo<'info>],
}

impl RouteFeeAccounts<'_, '_> {
    /// The instruction's account metas, in `accounts::RouteFee`'s order, then the upline.
    pub fn metas(&self) -> Vec<AccountMeta> {
        let mut metas = Vec::with_capacity(self.upline.len().saturating_add(6));
        metas.push(AccountMeta::new_readonly(*self.reporter.key, true));
        metas.push(AccountMeta::new_readonly(*self.hub.key, false));
        metas.push(AccountMeta::new(*self.trader.key, false));
        metas.push(match self.referrer {
            Some(r) => AccountMeta::new(*r.key, false),
            None => AccountMeta::new_readonly(crate::ID, false),
        });
        metas.push(AccountMeta::new(*self.payer.key, true));
        metas.push(AccountMeta::new_readonly(*self.system_program.key, false));
        metas.extend(self.upline.iter().map(|u| AccountMeta::new(*u.key, false)));
        metas
    }
}

/// Calls `route_fee` with `args`, signed with `signer_seeds` (the reporter PDA's), and returns its result.
pub fn route_fee(accounts: &RouteFeeAccounts, args: RouteFeeArgs, signer_seeds: &[&[&[u8]]]) -> Result<RouteFeeResult> {
    let mut data = Vec::with_capacity(8usize.saturating_add(RouteFeeArgs::LEN));
    data.extend_from_slice(crate::instruction::RouteFee::DISCRIMINATOR);
    args.serialize(&mut data)?;
    let ix = Instruction { program_id: crate::ID, accounts: accounts.metas(), data };
    let mut infos = Vec::with_capacity(accounts.upline.len().saturating_add(7));
    infos.extend_from_slice(&[
        accounts.reporter.clone(),
        accounts.hub.clone(),
        accounts.trader.clone(),
        accounts.referrer.unwrap_or(accounts.referral_program).clone(),
        accounts.payer.clone(),
        accounts.system_program.clone(),
        accounts.referral_program.clone(),
    ]);
    infos.extend_from_slice(accounts.upline);
    invoke_signed_unchecked(&ix, &infos, signer_seeds)?;
    let (program, returned) = get_return_data().ok_or(ReferralError::RouteFeeReturnMissing)?;
    require_keys_eq!(program, crate::ID, ReferralError::RouteFeeReturnMissing);
    RouteFeeResult::try_from_slice(&returned).map_err(|_| ReferralError::RouteFeeReturnMissing.into())
}

#[cfg(test)]
mod tests {
    use super::*;
    use anchor_lang::ToAccountMetas;

    // the lean call names the same accounts, in the same order and with the same flags, as
    // Anchor's generated instruction, with and without a referrer and upline.
    #[test]
    fn metas_match_anchors() {
        let keys: Vec<Pubkey> = (1..=9u8).map(|b| Pubkey::new_from_array([b; 32])).collect();
        let mut lamports: Vec<u64> = vec![0; keys.len()];
        let mut data: Vec<Vec<u8>> = vec![vec![]; keys.len()];
        let owner = Pubkey::default();
        let infos: Vec<AccountInfo> = keys
            .iter()
            .zip(lamports.iter_mut())
            .zip(data.iter_mut())
            .map(|((k, l), d)| AccountInfo::new(k, false, true, l, d, &owner, false))
            .collect();
        for (referrer, upline) in [(Some(&infos[3]), &infos[6..8]), (None, &infos[6..6])] {
            let lean = RouteFeeAccounts {
                reporter: &infos[0],
                hub: &infos[1],
                trader: &infos[2],
                referrer,
                referral_program: &infos[8],
                payer: &infos[4],
                system_program: &infos[5],
                upline,
            };
            let mut anchor = crate::accounts::RouteFee {
                reporter: keys[0],
                hub: keys[1],
                trader: keys[2],
                referrer: referrer.map(|r| *r.key),
                payer: keys[4],
                system_program: keys[5],
            }
            .to_account_metas(None);
            anchor.extend(upline.iter().map(|u| AccountMeta::new(*u.key, false)));
            assert_eq!(lean.metas(), anchor);
        }
    }
}
