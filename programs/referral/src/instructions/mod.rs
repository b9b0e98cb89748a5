//! One file per instruction, grouped by domain.
pub mod hub;
pub mod member;
