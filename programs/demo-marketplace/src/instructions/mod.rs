//! One file per instruction.
pub mod buy;
pub mod init_market;
pub mod list;

pub use buy::*;
pub use init_market::*;
pub use list::*;
