//! Benchmark: reading and writing the 5,000-household batch of the browser's records bench
//! (`sample::households(5000, 12, 2023)`, 5,904 records, 25.9 MB of compact JSON with
//! `computed`), natively. Prints the median and fastest of each step: `io::read_bytes` of
//! the whole batch (what an import reads), `io::parse_household` of every record's stored
//! bytes (what listing the store decodes), and `io::write_batch` (what an export writes).
//! Run with `cargo bench --bench read`.
//!
//! The browser figures (`node tests/e2e/bench/records-bench.mjs 5000`) are the goal (import
//! and export under 1 s); this is the same code without the browser, to compare readers.
//! No timing is asserted: this prints figures only.

use std::hint::black_box;
use std::time::{Duration, Instant};

use chrono::{FixedOffset, TimeZone};
use ruhu::core::{io, json, policy::Policy, sample};

const RUNS: usize = 9;

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn report(label: &str, times: Vec<Duration>) {
    let fastest = *times.iter().min().unwrap();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!("{:8.1} ms median, {:8.1} ms fastest  {label}", ms(median(times)), ms(fastest));
}

fn main() {
    let records = sample::households(5000, 12, 2023);
    let at =
        FixedOffset::east_opt(8 * 3600).unwrap().with_ymd_and_hms(2023, 3, 25, 9, 0, 0).unwrap();
    let text = io::write_batch(&records, &Policy::shipped(2023), at, sample::today());
    let stored: Vec<Vec<u8>> = records.iter().map(json::to_vec).collect();
    println!("{} records, batch {:.1} MB ({RUNS} runs)", records.len(), text.len() as f64 / 1e6);

    let mut read = Vec::new();
    let mut each = Vec::new();
    let mut write = Vec::new();
    for _ in 0..RUNS {
        let t = Instant::now();
        let file = io::read_bytes(black_box(text.as_bytes())).expect("the batch reads");
        read.push(t.elapsed());
        assert_eq!(file.records.len(), records.len());

        let t = Instant::now();
        for bytes in &stored {
            black_box(io::parse_household(black_box(bytes)).expect("a stored record reads"));
        }
        each.push(t.elapsed());

        let t = Instant::now();
        black_box(io::write_batch(
            black_box(&records),
            &Policy::shipped(2023),
            at,
            sample::today(),
        ));
        write.push(t.elapsed());
    }
    report("io::read_bytes, the whole batch (import)", read);
    report("io::parse_household, each stored record (list)", each);
    report("io::write_batch (export)", write);
}
