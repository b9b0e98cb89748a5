//! Account helpers shared by instructions.
pub mod create;
pub mod credit;
pub mod referral;
pub mod token;
