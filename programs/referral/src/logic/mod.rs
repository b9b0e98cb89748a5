//! Pure rules: no account types, no syscalls, exact integers. Each module carries its own tests.
pub mod codes;
pub mod config;
pub mod fees;
pub mod milestones;
pub mod periods;
pub mod points;
pub mod pools;
pub mod rewards;
pub mod tokens;
