//! One file per instruction, grouped by domain.
pub mod admin;
pub mod fees;
pub mod hub;
pub mod member;
pub mod periods;
pub mod pools;
pub mod staking;
