//! NFT staking (Tensor): stake an NFT of the hub's collection, unstake it.
pub mod stake_nft;
pub mod unstake_nft;

pub use stake_nft::*;
pub use unstake_nft::*;
