//! Writes a sample batch of the township office (`ruhu.export/1`, with `computed` blocks) made
//! by the core generator (`ruhu::core::testkit::sample`), for the browser tests, the benchmark and demos.
//!
//! ```sh
//! cargo run --example township-fixture                       # tests/e2e/fixtures/township-200.json
//! cargo run --release --example township-fixture -- 4400 12 2023 /tmp/township-5000.json 5000
//! ```
//! Arguments: households, villages, seed, output path, and optionally how many records to keep
//! (the first ones: the benchmark's 5,000). The records are evaluated with the shipped 2023
//! policy (monitoring line 7,000) on the sample's "today" (2023-03-25).

use chrono::{FixedOffset, TimeZone};

use ruhu::core::io::write_batch;
use ruhu::core::policy::Policy;
use ruhu::core::testkit::sample;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let arg = |i: usize, default: &str| args.get(i).cloned().unwrap_or_else(|| default.to_string());
    let households: usize = arg(0, "200").parse().expect("households: a number");
    let villages: usize = arg(1, "5").parse().expect("villages: a number");
    let seed: u64 = arg(2, "20230215").parse().expect("seed: a number");
    let out = arg(3, "tests/e2e/fixtures/township-200.json");

    let mut records = sample::households(households, villages, seed);
    if let Some(keep) = args.get(4) {
        records.truncate(keep.parse().expect("records: a number"));
    }
    let exported_at = FixedOffset::east_opt(8 * 3600)
        .expect("offset")
        .with_ymd_and_hms(2023, 3, 25, 9, 0, 0)
        .single()
        .expect("time");
    let text = write_batch(&records, &Policy::shipped(2023), exported_at, sample::today());
    std::fs::write(&out, text).unwrap_or_else(|e| panic!("cannot write {out}: {e}"));
    eprintln!(
        "{out}: {} records of {households} households in {villages} villages (seed {seed})",
        records.len()
    );
}
