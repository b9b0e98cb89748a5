//! Account helpers shared by instructions.
pub mod create;
pub mod credit;
pub mod pda;
pub mod referral;
pub mod token;
