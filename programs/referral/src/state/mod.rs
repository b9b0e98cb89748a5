//! Account types. Each struct documents every field and its size; `SPACE` constants are the exact
//! allocation (8-byte Anchor discriminator included) and are checked against `InitSpace` in tests.
pub mod code;
pub mod hub;
pub mod member;
pub mod pending;
pub mod period;
pub mod stake;
pub mod staking_pool;

pub use code::*;
pub use hub::*;
pub use member::*;
pub use pending::*;
pub use period::*;
pub use stake::*;
pub use staking_pool::*;
