//! ruhu (入户): the household record, the risk engine, and (on wasm32) the surveyor web app.

pub mod core;
pub mod store;
#[cfg(target_arch = "wasm32")]
pub mod ui;
