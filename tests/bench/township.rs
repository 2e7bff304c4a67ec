//! Benchmark: the township office view over 5,000 stored records (`sample::households`,
//! 12 villages: 4,300 households, the rest their earlier visits and older revisions).
//! Prints the median and the fastest time of each stage and of the whole (the fastest is
//! the better figure on a busy machine): select the latest visits and
//! evaluate them, the summary, the four ledgers, their CSV, both SVG charts and the report
//! text. Run with `cargo bench --bench township`.
//!
//! The target is under 1 s in the browser (issue 5); natively this gives the baseline.
//! No timing is asserted: this prints figures only.

use std::hint::black_box;
use std::time::{Duration, Instant};

use ruhu::core::policy::Policy;
use ruhu::core::record::Household;
use ruhu::core::sample;
use ruhu::core::township::report::{self, ReportEdits};
use ruhu::core::township::{self, csv, ledgers, Options};

const RECORDS: usize = 5_000;
const RUNS: usize = 11;

fn records() -> (Vec<Household>, usize) {
    let mut n = 4_300;
    loop {
        let mut r = sample::households(n, 12, 2023);
        if r.len() >= RECORDS {
            r.truncate(RECORDS);
            let households =
                r.iter().map(|h| h.household_id).collect::<std::collections::HashSet<_>>().len();
            return (r, households);
        }
        n += 100;
    }
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn ms(d: Duration) -> String {
    format!("{:8.1} ms", d.as_secs_f64() * 1000.0)
}

fn main() {
    let t = Instant::now();
    let (records, households) = records();
    let generated = t.elapsed();
    let options = Options::new(Policy::shipped(2023), sample::today());
    println!(
        "township view over {} records ({} households, 12 villages); sample generated in {}",
        records.len(),
        households,
        ms(generated).trim()
    );

    let stages = [
        "select + evaluate",
        "summary",
        "ledgers (4)",
        "CSV (4)",
        "charts (2)",
        "report text",
        "total",
    ];
    let mut times: Vec<Vec<Duration>> = vec![Vec::new(); stages.len()];
    let mut sizes = (0, 0, 0, 0);
    for _ in 0..RUNS {
        let start = Instant::now();
        let t0 = Instant::now();
        let sel = township::select(black_box(&records), &options);
        let t1 = Instant::now();
        let summary = township::summarize(&sel);
        let t2 = Instant::now();
        let a = ledgers::special_archive(&sel);
        let b = ledgers::verification(&sel);
        let c = ledgers::unresolved(&sel);
        let d = ledgers::monitoring(&sel);
        let t3 = Instant::now();
        let csv_bytes = csv::to_csv(&a).len()
            + csv::to_csv(&b).len()
            + csv::to_csv(&c).len()
            + csv::to_csv(&d).len();
        let t4 = Instant::now();
        let bars = township::charts::village_bars(&summary);
        let income = township::charts::income_strip(&sel);
        let t5 = Instant::now();
        let text = report::draft(&summary, &ReportEdits::new(2023, 1, "")).to_text();
        let t6 = Instant::now();
        black_box((&bars, &income, &text));
        sizes = (
            csv_bytes,
            bars.len(),
            income.len(),
            a.rows.len() + b.rows.len() + c.rows.len() + d.rows.len(),
        );
        for (i, (x, y)) in [(t0, t1), (t1, t2), (t2, t3), (t3, t4), (t4, t5), (t5, t6), (start, t6)]
            .into_iter()
            .enumerate()
        {
            times[i].push(y - x);
        }
    }
    println!("{RUNS} runs:            median       fastest");
    for (name, t) in stages.iter().zip(times) {
        let fastest = t.iter().min().copied().unwrap_or_default();
        println!("  {name:<18} {}   {}", ms(median(t)), ms(fastest));
    }
    println!(
        "ledger rows {} · CSV {} KB · bar chart {} KB · income chart {} KB",
        sizes.3,
        sizes.0 / 1024,
        sizes.1 / 1024,
        sizes.2 / 1024
    );
}
