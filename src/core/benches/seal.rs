//! Benchmark: what sealed files cost (issue 14), natively. Prints figures only; no timing is
//! asserted. Run with `cargo bench -p ruhu-core --features seal --bench seal`.
//!
//! - **Sealing an export of 5,000 households** (`sample::households(5000, 12, 2023)`, 5,904
//!   records, as `io::write_batch` writes it): the export itself, `seal::seal` of its bytes
//!   (age X25519 + ASCII armour), `seal::open` back, and the sizes plain and sealed. The
//!   budget: sealing adds under 0.5 s.
//! - **The identity under a passphrase**: `seal::lock_identity` and `unlock_identity` at
//!   `IDENTITY_WORK_FACTOR` (scrypt 2^18), each once per round; and key generation.

use std::hint::black_box;
use std::time::{Duration, Instant};

use chrono::{FixedOffset, TimeZone};
use ruhu_core::seal::{self, Identity, IDENTITY_WORK_FACTOR};
use ruhu_core::{io, policy::Policy, sample};

/// Median, min and max of `runs` timings of `f`.
fn time(runs: usize, mut f: impl FnMut()) -> (Duration, Duration, Duration) {
    let mut t: Vec<Duration> = (0..runs)
        .map(|_| {
            let s = Instant::now();
            f();
            s.elapsed()
        })
        .collect();
    t.sort();
    (t[t.len() / 2], t[0], t[t.len() - 1])
}

fn ms((med, min, max): (Duration, Duration, Duration)) -> String {
    let f = |d: Duration| d.as_secs_f64() * 1e3;
    format!("{:8.1} ms (min {:.1}, max {:.1})", f(med), f(min), f(max))
}

fn main() {
    let records = sample::households(5000, 12, 2023);
    let at =
        FixedOffset::east_opt(8 * 3600).unwrap().with_ymd_and_hms(2023, 3, 25, 9, 0, 0).unwrap();
    let policy = Policy::shipped(2023);
    let export = || io::write_batch(&records, &policy, at, sample::today());
    let plain = export();
    let id = Identity::generate();
    let to = id.recipient();
    let sealed = seal::seal(plain.as_bytes(), &to);
    assert_eq!(seal::open(&sealed, &id, "bench").unwrap(), plain.as_bytes());

    println!("sealed files (issue 14), natively, {} records", records.len());
    println!(
        "  export size: plain {:.1} MB, sealed (armoured) {:.1} MB (+{:.1} %)",
        plain.len() as f64 / 1e6,
        sealed.len() as f64 / 1e6,
        (sealed.len() as f64 / plain.len() as f64 - 1.0) * 100.0
    );
    println!("  io::write_batch (the export)     {}", ms(time(5, || drop(black_box(export())))));
    println!(
        "  seal::seal of it (added)         {}",
        ms(time(7, || drop(black_box(seal::seal(black_box(plain.as_bytes()), &to)))))
    );
    println!(
        "  seal::open of it                 {}",
        ms(time(7, || drop(black_box(seal::open(black_box(&sealed), &id, "bench").unwrap()))))
    );
    println!(
        "  Identity::generate               {}",
        ms(time(20, || drop(black_box(Identity::generate()))))
    );
    let locked = seal::lock_identity(&id, "乡镇办 口令 2026", "2026-12-04");
    println!(
        "  lock_identity, scrypt 2^{IDENTITY_WORK_FACTOR}        {}",
        ms(time(5, || drop(black_box(seal::lock_identity(&id, "乡镇办 口令 2026", "2026-12-04")))))
    );
    println!(
        "  unlock_identity, scrypt 2^{IDENTITY_WORK_FACTOR}      {}",
        ms(time(5, || drop(black_box(
            seal::unlock_identity(&locked, "乡镇办 口令 2026").unwrap()
        ))))
    );
}
