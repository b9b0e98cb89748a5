//! Account decoding: discriminator checked, then borsh. The only place account bytes are read.
use anchor_lang::AccountDeserialize;
use std::fmt;

/// Why account bytes could not be decoded as the asked type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecodeError {
    /// The type asked for.
    pub expected: &'static str,
    /// What went wrong (wrong discriminator, too short, ...).
    pub reason: String,
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "account is not a valid {}: {}", self.expected, self.reason)
    }
}

impl std::error::Error for DecodeError {}

/// Decodes `data` (a whole account's data) as `T`, checking its discriminator.
pub fn account<T: AccountDeserialize>(data: &[u8]) -> Result<T, DecodeError> {
    let mut slice = data;
    T::try_deserialize(&mut slice).map_err(|e| DecodeError {
        expected: std::any::type_name::<T>().rsplit("::").next().unwrap_or("account"),
        reason: e.to_string(),
    })
}

/// The bytes of a zero-copy account (`Hub`, `Member`): discriminator, then the struct as laid out in
/// memory. For tools and tests that write accounts directly.
pub fn zero_copy_bytes<T: bytemuck::Pod + anchor_lang::Discriminator>(value: &T) -> Vec<u8> {
    let mut data = T::DISCRIMINATOR.to_vec();
    data.extend_from_slice(bytemuck::bytes_of(value));
    data
}

/// Decodes a program's return data (e.g. `RouteFeeResult` from `route_fee`).
pub fn return_data<T: anchor_lang::AnchorDeserialize>(data: &[u8]) -> Result<T, DecodeError> {
    T::try_from_slice(data).map_err(|e| DecodeError {
        expected: std::any::type_name::<T>().rsplit("::").next().unwrap_or("return data"),
        reason: e.to_string(),
    })
}

/// Events of type `T` emitted in a transaction's logs ("Program data: <base64>" lines whose bytes start
/// with `T`'s discriminator). Lines of other events are skipped.
pub fn events<T: anchor_lang::Event>(logs: &[String]) -> Vec<T> {
    use anchor_lang::__private::base64::{engine::general_purpose::STANDARD, Engine};
    logs.iter()
        .filter_map(|l| l.strip_prefix("Program data: "))
        .filter_map(|b64| STANDARD.decode(b64.trim()).ok())
        .filter_map(|bytes| {
            let body = bytes.strip_prefix(T::DISCRIMINATOR)?;
            T::try_from_slice(body).ok()
        })
        .collect()
}

/// A token account's balance and the amount a Token-2022 transfer fee withheld in it (still part of the
/// mint's supply until harvested; 0 for SPL Token accounts and mints without a transfer fee).
pub fn token_amounts(data: &[u8]) -> Result<(u64, u64), DecodeError> {
    use anchor_spl::token_2022::spl_token_2022::extension::{
        transfer_fee::TransferFeeAmount, BaseStateWithExtensions, StateWithExtensions,
    };
    use anchor_spl::token_2022::spl_token_2022::state::Account;
    let state = StateWithExtensions::<Account>::unpack(data)
        .map_err(|e| DecodeError { expected: "TokenAccount", reason: e.to_string() })?;
    let withheld = state.get_extension::<TransferFeeAmount>().map(|f| u64::from(f.withheld_amount)).unwrap_or(0);
    Ok((state.base.amount, withheld))
}

/// Transfer fees harvested into a Token-2022 mint and not withdrawn yet (0 for SPL Token mints and mints
/// without a transfer fee): still part of the supply, held by no token account.
pub fn mint_withheld(data: &[u8]) -> Result<u64, DecodeError> {
    use anchor_spl::token_2022::spl_token_2022::extension::{
        transfer_fee::TransferFeeConfig, BaseStateWithExtensions, StateWithExtensions,
    };
    use anchor_spl::token_2022::spl_token_2022::state::Mint;
    if data.len() <= 82 {
        return Ok(0);
    }
    let state = StateWithExtensions::<Mint>::unpack(data)
        .map_err(|e| DecodeError { expected: "Mint", reason: e.to_string() })?;
    Ok(state.get_extension::<TransferFeeConfig>().map(|c| u64::from(c.withheld_amount)).unwrap_or(0))
}

/// Byte offset of `Member::hub` in a Member account (after the 8-byte discriminator): the filter
/// `getProgramAccounts` uses to list a hub's members.
pub const MEMBER_HUB_OFFSET: usize = 8 + core::mem::offset_of!(referral::state::Member, hub);

/// Byte offset of the `period` field of a `Registration` and of a `RewardPool` (their first field, after
/// the discriminator): the filter that lists a period's registrations or pools.
pub const PERIOD_FIELD_OFFSET: usize = 8;

/// Offset of `wallet` in a [`referral::state::RewardClaim`] account (after the discriminator and `pool`),
/// to list a wallet's claim records.
pub const REWARD_CLAIM_WALLET_OFFSET: usize = 8 + 32;

#[cfg(test)]
mod tests {
    use super::*;
    use anchor_lang::prelude::Pubkey;
    use referral::state::Member;

    // the client's decoding and layout facts are the program's own.
    #[test]
    fn member_hub_offset_matches_the_layout() {
        let hub = Pubkey::new_from_array([5; 32]);
        let m = Member { bump: 254, hub, wallet: Pubkey::new_from_array([6; 32]), ..Member::default() };
        let data = zero_copy_bytes(&m);
        assert_eq!(data.len(), Member::SPACE);
        assert_eq!(&data[MEMBER_HUB_OFFSET..MEMBER_HUB_OFFSET + 32], hub.as_ref());
        assert_eq!(account::<Member>(&data).expect("round trip"), m);
    }
}
