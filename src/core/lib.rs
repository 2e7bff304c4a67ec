//! The domain core: plain Rust, no web crate. Record types, money, dates, ID numbers,
//! policy, the rule engine and import/export. `cargo test` tests it natively; the web app
//! and the CLI use the same code.
//!
//! What follows is the whole codebase's architecture (`src/ARCHITECTURE.md`).
//!
#![doc = include_str!("../ARCHITECTURE.md")]

pub mod codes;
pub mod config;
pub mod dates;
pub mod evaluation;
pub mod evidence;
pub mod followup;
pub mod id_number;
pub mod io;
pub mod json;
pub mod lineage;
pub mod listing;
pub mod merge;
pub mod money;
pub mod policy;
pub mod reads;
pub mod receipt;
pub mod reconcile;
pub mod record;
pub mod roster;
pub mod rules;
#[cfg(any(test, feature = "testkit"))]
pub mod sample;
#[cfg(feature = "seal")]
pub mod seal;
#[cfg(any(test, feature = "testkit"))]
pub mod testkit;
pub mod township;
pub mod transfer;
pub mod visits;

/// What the exported macros ([`reads::object_reader!`], [`codes!`]) name, so that a crate
/// using them needs no `serde` of its own. Not part of the API.
#[doc(hidden)]
pub mod __private {
    pub use serde;
    pub use serde_json;
}
