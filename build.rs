//! The build's identity, `RUHU_BUILD`: a hash of what the app is compiled from — every `.rs`
//! file under `src/` (the app, the core, the CLI), `Cargo.toml`, `src/core/Cargo.toml` and
//! `Cargo.lock` — as 16 hex digits.
//!
//! The home list's snapshot is stamped with it (`ui::handover::stamp`), so that the start page
//! never shows a list that another build's rules judged. Every build computes it here —
//! release or debug, Trunk, `cargo build`, the tests — so no build can go without it (the app
//! reads it with `env!`) and none is stamped with a placeholder. Two builds of the same
//! sources get the same identity, whichever command made them.

use std::env;
use std::fs;
use std::path::{Path, PathBuf};

/// FNV-1a, 64 bits: small, stable and enough to tell builds apart (not a security measure).
struct Fnv(u64);

impl Fnv {
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 ^= u64::from(*b);
            self.0 = self.0.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
}

/// Every `.rs` file under `dir`.
fn sources(dir: &Path, out: &mut Vec<PathBuf>) {
    let entries = fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
    for entry in entries {
        let path = entry.expect("a directory entry").path();
        if path.is_dir() {
            sources(&path, out);
        } else if path.extension().is_some_and(|x| x == "rs") {
            out.push(path);
        }
    }
}

fn main() {
    let root = PathBuf::from(env::var_os("CARGO_MANIFEST_DIR").expect("run by cargo"));
    let mut files = Vec::new();
    sources(&root.join("src"), &mut files);
    files.extend(["Cargo.toml", "src/core/Cargo.toml", "Cargo.lock"].map(|f| root.join(f)));
    let mut named: Vec<(String, PathBuf)> = files
        .into_iter()
        .map(|f| {
            let name = f.strip_prefix(&root).expect("under the crate").to_string_lossy();
            (name.replace('\\', "/"), f)
        })
        .collect();
    named.sort();

    let mut hash = Fnv(0xcbf2_9ce4_8422_2325);
    for (name, path) in &named {
        let bytes = fs::read(path).unwrap_or_else(|e| panic!("{name}: {e}"));
        hash.write(name.as_bytes());
        hash.write(&(bytes.len() as u64).to_le_bytes());
        hash.write(&bytes);
    }
    println!("cargo:rustc-env=RUHU_BUILD={:016x}", hash.0);
    // A directory: cargo runs this again when any file under it changes, is added or removed.
    for watched in ["src", "Cargo.toml", "Cargo.lock", "build.rs"] {
        println!("cargo:rerun-if-changed={watched}");
    }
}
