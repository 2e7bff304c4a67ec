//! Benchmark: a banner's roster of 30,000 persons (about 9,000 households in 12 villages,
//! 36 columns, one title row), read from .xlsx and from a GBK .csv, and reconciled against
//! 6,000 records (the latest visits of 6,000 of its households, made from their drafts, with
//! a member dropped in every 10th and a newborn in every 7th). Prints the median and the
//! fastest time of each stage (the fastest is the better figure on a busy machine). Run with
//! `cargo bench --bench roster`.
//!
//! The target is under 1 s natively (issue 12) for reading and reconciling; no timing is
//! asserted: this prints figures only.

use std::hint::black_box;
use std::time::{Duration, Instant};

use chrono::{DateTime, NaiveDate};
use ruhu::core::policy::Policy;
use ruhu::core::reconcile;
use ruhu::core::roster::{self, prefill};

#[path = "../tools/roster_data.rs"]
mod roster_data;
use roster_data::{gbk_csv, records, rows, xlsx};

const PERSONS: usize = 30_000;
const RECORDS: usize = 6_000;
const RUNS: usize = 5;

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn ms(d: Duration) -> String {
    format!("{:8.1} ms", d.as_secs_f64() * 1000.0)
}

fn time<T>(f: impl Fn() -> T) -> (Duration, Duration) {
    let mut v = Vec::with_capacity(RUNS);
    for _ in 0..RUNS {
        let t = Instant::now();
        black_box(f());
        v.push(t.elapsed());
    }
    (median(v.clone()), *v.iter().min().unwrap())
}

fn main() {
    let t = Instant::now();
    let rows = rows(PERSONS);
    let xlsx = xlsx(&rows);
    let csv = gbk_csv(&rows);
    let roster = roster::read("花名册.xlsx", &xlsx).expect("the roster reads");
    let records = records(&roster, RECORDS);
    println!(
        "roster: {} persons in {} households, {} villages; xlsx {} KB, GBK csv {} KB; {} records; generated in {}",
        roster.people(),
        roster.households.len(),
        roster.villages().len(),
        xlsx.len() / 1024,
        csv.len() / 1024,
        records.len(),
        ms(t.elapsed()).trim()
    );
    let policy = Policy::shipped(2023);
    let today = NaiveDate::from_ymd_opt(2023, 2, 28).unwrap();
    let rec = reconcile::reconcile(&roster, &records, &policy, today);
    let matched = rec.households.iter().filter(|h| h.status == reconcile::Status::Matched).count();
    let differences: usize = rec.households.iter().map(|h| h.differences.len()).sum();
    let mut warnings: std::collections::BTreeMap<&str, usize> = Default::default();
    for w in &roster.warnings {
        *warnings.entry(w.code.code()).or_default() += 1;
    }
    let mut codes: std::collections::BTreeMap<&str, usize> = Default::default();
    for d in rec.households.iter().flat_map(|h| &h.differences) {
        *codes.entry(d.code.code()).or_default() += 1;
    }
    println!("reconciled: {matched} matched, {differences} differences {codes:?}");
    println!("roster warnings: {warnings:?}");

    let stages: [(&str, (Duration, Duration)); 8] = [
        ("read xlsx", time(|| roster::read("花名册.xlsx", &xlsx).unwrap())),
        (
            "  of which the workbook's cells (calamine)",
            time(|| roster::table::read_workbook(&xlsx).unwrap()),
        ),
        ("read GBK csv", time(|| roster::read("花名册.csv", &csv).unwrap())),
        (
            "  of which decoding and splitting",
            time(|| roster::table::parse_csv(&roster::table::decode(&csv).unwrap().0)),
        ),
        ("reconcile", time(|| reconcile::reconcile(&roster, &records, &policy, today))),
        (
            "  of which the latest visits (visits::latest_of_each)",
            time(|| ruhu::core::visits::latest_of_each(&records).len()),
        ),
        (
            "read xlsx + reconcile",
            time(|| {
                let r = roster::read("花名册.xlsx", &xlsx).unwrap();
                reconcile::reconcile(&r, &records, &policy, today)
            }),
        ),
        (
            "drafts of one village (ruhu.export/1)",
            time(|| {
                let now = DateTime::parse_from_rfc3339("2023-02-20T09:00:00+08:00").unwrap();
                prefill::write_drafts(&roster, Some("额尔和村"), &policy, now, today)
            }),
        ),
    ];
    println!("{:<40} {:>11} {:>11}", "stage", "median", "fastest");
    for (name, (med, min)) in stages {
        println!("{name:<40} {} {}", ms(med), ms(min));
    }
}
