//! Sealed files in a real browser (the app crate's `seal` feature on wasm32): key generation
//! draws from `crypto.getRandomValues` through getrandom's `js` backend, a file seals and
//! opens, a changed one is refused, and the identity's scrypt (2^18) is timed in Chromium.
//! The pages do not use the feature yet, so `./x.sh test` runs this file on its own with it:
//! `CHROMEDRIVER=/usr/bin/chromedriver cargo test --release --target wasm32-unknown-unknown --features seal --test seal_wasm -- --nocapture`
#![cfg(all(target_arch = "wasm32", feature = "seal"))]

use ruhu::core::seal::{self, Identity};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
fn keys_come_from_the_browser_and_files_open() {
    let a = Identity::generate();
    let b = Identity::generate();
    assert_ne!(a.recipient(), b.recipient(), "two keys differ: real randomness");
    let plain = "{\"format\":\"ruhu.export/1\",\"records\":[]}".as_bytes();
    let sealed = seal::seal(plain, &a.recipient());
    assert_ne!(seal::seal(plain, &a.recipient()), sealed, "a fresh file key each time");
    assert_eq!(seal::open(&sealed, &a, "x.txt").unwrap(), plain);
    assert_eq!(seal::open(&sealed, &b, "x.txt").unwrap_err().code(), "sealed-wrong-identity");
    let cut = &sealed[..sealed.len() / 2];
    assert_eq!(seal::open(cut, &a, "x.txt").unwrap_err().code(), "sealed-truncated");
}

#[wasm_bindgen_test]
fn the_identity_passphrase_in_the_browser() {
    let id = Identity::generate();
    let t0 = js_sys::Date::now();
    let locked = seal::lock_identity(&id, "乡镇办 口令 2026", "2026-12-04");
    let t1 = js_sys::Date::now();
    let back = seal::unlock_identity(&locked, "乡镇办 口令 2026").unwrap();
    let t2 = js_sys::Date::now();
    assert_eq!(back.recipient(), id.recipient());
    console_log!(
        "scrypt 2^{} in the browser: lock {:.0} ms, unlock {:.0} ms",
        seal::IDENTITY_WORK_FACTOR,
        t1 - t0,
        t2 - t1
    );
}
