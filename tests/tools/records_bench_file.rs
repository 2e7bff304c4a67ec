//! Writes a `ruhu.export/1` batch of sample households for the browser benchmark of export
//! and import (`node tests/e2e/bench/records-bench.mjs`, see tests/bench/README.md, *Records on the phone*).
//!
//! `cargo run --release --example records_bench_file -- [HOUSEHOLDS] [FILE] [RECORDS]`
//! (default 5000 households, `records-5000.json`; with RECORDS, exactly that many records:
//! households are added until there are enough, and the list is cut there). The records are
//! `ruhu::core::testkit::sample::households(n, 12, 2023)`: each household's latest visit, about one in
//! eight with an earlier visit, about one in thirty with an older revision of the same record.

use std::env;
use std::fs;

use chrono::{FixedOffset, TimeZone};
use ruhu::core::testkit::sample;
use ruhu::core::{io, policy::Policy};

fn main() {
    let mut args = env::args().skip(1);
    let n: usize = args.next().map(|a| a.parse().expect("HOUSEHOLDS is a number")).unwrap_or(5000);
    let path = args.next().unwrap_or_else(|| format!("records-{n}.json"));
    let wanted: Option<usize> = args.next().map(|a| a.parse().expect("RECORDS is a number"));
    let mut records = sample::households(n, 12, 2023);
    if let Some(wanted) = wanted {
        let mut more = n;
        while records.len() < wanted {
            more += 100;
            records = sample::households(more, 12, 2023);
        }
        records.truncate(wanted);
    }
    let n = records.iter().map(|h| h.household_id).collect::<std::collections::HashSet<_>>().len();
    let at =
        FixedOffset::east_opt(8 * 3600).unwrap().with_ymd_and_hms(2023, 3, 25, 9, 0, 0).unwrap();
    let text = io::write_batch(&records, &Policy::shipped(2023), at, sample::today());
    fs::write(&path, &text).expect("the file can be written");
    eprintln!(
        "{path}: {} households, {} records, {:.1} MB",
        n,
        records.len(),
        text.len() as f64 / 1e6
    );
}
