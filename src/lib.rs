//! ruhu (入户): the surveyor web app, the township office's pages and the storage adapters
//! around the domain core ([`core`], the `ruhu-core` crate: plain Rust, no web crate).

pub use ruhu_core as core;
pub mod store;
#[cfg(target_arch = "wasm32")]
pub mod ui;
