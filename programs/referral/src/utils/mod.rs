//! Account helpers shared by instructions.
pub mod create;
pub mod referral;
