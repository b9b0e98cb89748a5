//! Hub lifecycle and administration.
pub mod create_hub;

pub use create_hub::*;
