//! Hub administration: delayed configuration changes and two-step admin transfer, pauses.
pub mod accept_admin;
pub mod apply_config;
pub mod cancel_config;
pub mod propose_admin;
pub mod propose_config;
pub mod set_pause;

pub use accept_admin::*;
pub use apply_config::*;
pub use cancel_config::*;
pub use propose_admin::*;
pub use propose_config::*;
pub use set_pause::*;
