//! The WebAssembly cost of the core's `seal` feature (issue 14): a program that reads and
//! writes an export (what every page that exports does) and, with `--features seal`, also
//! seals it, opens it, parses a recipient and an identity, and locks and unlocks the identity
//! under a passphrase. The difference of the two release `.wasm` files (after `wasm-opt -Oz`,
//! gzip -9) is what a page pays for sealed files. Built, not run:
//!
//! ```sh
//! cargo build --release --target wasm32-unknown-unknown --example seal-size
//! cargo build --release --target wasm32-unknown-unknown --example seal-size --features seal
//! ```
//!
//! (`tests/bench/README.md`, *Sealed files*, has the figures and the whole command.)

use std::hint::black_box;

fn main() {
    let input: &[u8] = black_box(b"{\"format\":\"ruhu.export/1\",\"records\":[]}");
    let Ok(batch) = ruhu::core::io::read_bytes(input) else { return };
    let at = chrono::DateTime::parse_from_rfc3339(black_box("2023-03-25T09:00:00+08:00")).unwrap();
    let day = at.date_naive();
    let policy = ruhu::core::policy::Policy::shipped(2023);
    let out = ruhu::core::io::write_batch(&batch.records, &policy, at, day);
    #[cfg(feature = "seal")]
    let out = {
        use ruhu::core::seal;
        let id = seal::parse_identity(black_box("AGE-SECRET-KEY-1…"))
            .unwrap_or_else(|_| seal::Identity::generate());
        let to = seal::parse_recipient(black_box("age1…")).unwrap_or_else(|_| id.recipient());
        let sealed = seal::seal(out.as_bytes(), &to);
        let locked = seal::lock_identity(&id, black_box("p"), "2026");
        let _ = black_box(seal::unlock_identity(&locked, black_box("p")));
        String::from_utf8(seal::open(&sealed, &id, "x").unwrap_or_default()).unwrap_or_default()
    };
    black_box(out);
}
