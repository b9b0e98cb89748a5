//! Membership, codes and the referral relationship.
pub mod join;
pub mod make_code;
pub mod set_referrer;

pub use join::*;
pub use make_code::*;
pub use set_referrer::*;
