//! The domain core: plain Rust, no web crate. Record types, money, dates, ID numbers,
//! policy, the rule engine and import/export. `cargo test` tests it natively; the web app
//! and the CLI use the same code.

pub mod codes;
pub mod dates;
pub mod evaluation;
pub mod followup;
pub mod id_number;
pub mod io;
pub mod json;
pub mod listing;
pub mod merge;
pub mod money;
pub mod policy;
pub mod reads;
pub mod record;
pub mod rules;
pub mod sample;
pub mod township;
pub mod transfer;
