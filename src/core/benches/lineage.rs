//! Benchmark: what record lineage costs (issue 13), natively. Prints figures only; no timing is
//! asserted. Run with `cargo bench -p ruhu-core --bench lineage`.
//!
//! - **Bytes per record**: the 5,000-household sample batch (`sample::households(5000, 12,
//!   2023)`, 5,904 records, compact JSON with `computed`, as `io::write_batch` writes it)
//!   without lineage, with a lineage of one device (the app's ids are 32 hex digits), of two,
//!   and of two with one `from` hash; and the compact size of a lineage object alone.
//! - **Time per save**: `lineage::save` on a traced record (one and two devices) and on an
//!   untraced one (it hashes the state saved on), beside what the store does at every save
//!   anyway (`json::to_vec` of the record); `content_hash`; `merge::decide` of a traced pair and
//!   of a pair where one side has no lineage.

use std::hint::black_box;
use std::time::{Duration, Instant};

use chrono::{FixedOffset, TimeZone};
use ruhu_core::lineage::{self, DeviceId};
use ruhu_core::record::Household;
use ruhu_core::{io, json, merge, policy::Policy, sample};

const A: &str = "4f1c2a9e6b3d4e7f8a9b0c1d2e3f4a5b";
const B: &str = "9d8e7f6a5b4c4d3e8f2a1b0c9d8e7f6a";

/// Median time of one call of `f`, over `runs` rounds of `n` calls.
fn per_call(n: u32, runs: usize, mut f: impl FnMut()) -> Duration {
    let mut times: Vec<Duration> = (0..runs)
        .map(|_| {
            let t = Instant::now();
            for _ in 0..n {
                f();
            }
            t.elapsed() / n
        })
        .collect();
    times.sort();
    times[times.len() / 2]
}

fn us(d: Duration) -> String {
    format!("{:9.3} µs", d.as_secs_f64() * 1e6)
}

/// `h` with the lineage of `saves` saves on `devices` (round robin), as the app would make.
fn with_lineage(h: &Household, devices: &[&str], untraced_origin: bool) -> Household {
    let mut h = h.clone();
    let ids: Vec<DeviceId> = devices.iter().map(|d| DeviceId::new(d).unwrap()).collect();
    if untraced_origin {
        let base = h.clone();
        lineage::save(&mut h, &base, &ids[0]);
    } else {
        lineage::begin(&mut h, &ids[0]);
    }
    // About 30 saves, spread over the devices: the counters' digits, as in the field.
    for i in 0..30 {
        let base = h.clone();
        lineage::save(&mut h, &base, &ids[i % ids.len()]);
    }
    h
}

fn main() {
    let records = sample::households(5000, 12, 2023);
    let at =
        FixedOffset::east_opt(8 * 3600).unwrap().with_ymd_and_hms(2023, 3, 25, 9, 0, 0).unwrap();
    let size = |rs: &[Household]| {
        io::write_batch(rs, &Policy::shipped(2023), at, sample::today()).len() as f64
    };
    let n = records.len() as f64;
    let plain = size(&records);
    println!(
        "{} records, batch {:.1} MB, {:.0} bytes per record",
        records.len(),
        plain / 1e6,
        plain / n
    );
    let variants: [(&str, &[&str], bool); 3] = [
        ("one device", &[A], false),
        ("two devices", &[A, B], false),
        ("two devices + one `from` hash", &[A, B], true),
    ];
    for (label, devices, untraced) in variants {
        let with: Vec<Household> =
            records.iter().map(|h| with_lineage(h, devices, untraced)).collect();
        let l = json::to_string(with[0].lineage.as_ref().unwrap());
        let grown = size(&with);
        println!(
            "  lineage of {label:30} +{:5.1} bytes per record (+{:.2} %); the object alone {} bytes: {l}",
            (grown - plain) / n,
            (grown - plain) / plain * 100.0,
            l.len(),
        );
    }

    let h = records.iter().max_by_key(|h| json::to_vec(h).len()).unwrap().clone();
    println!("\nper save, on the largest record ({} bytes of JSON):", json::to_vec(&h).len());
    let dev = DeviceId::new(A).unwrap();
    let one = with_lineage(&h, &[A], false);
    let two = with_lineage(&h, &[A, B], false);
    for (label, base) in
        [("traced, one device", &one), ("traced, two devices", &two), ("untraced (older app)", &h)]
    {
        // The same record saved again and again on top of `base` (no clone in the loop).
        let mut next = base.clone();
        let t = per_call(2000, 9, || lineage::save(black_box(&mut next), base, &dev));
        println!("  lineage::save, {label:26} {}", us(t));
    }
    let per = |n, f: &mut dyn FnMut()| us(per_call(n, 9, f));
    println!(
        "  json::to_vec (the store writes it per save) {}",
        per(2000, &mut || {
            black_box(json::to_vec(black_box(&one)));
        })
    );
    println!(
        "  lineage::content_hash                      {}",
        per(500, &mut || {
            black_box(lineage::content_hash(black_box(&one)));
        })
    );
    let mut later = one.clone();
    lineage::save(&mut later, &one, &dev);
    println!(
        "  merge::decide, traced pair (an update)     {}",
        per(2000, &mut || {
            black_box(merge::decide(black_box(&later), Some(&one), &[]));
        })
    );
    // An older export against a traced record, at the same revision: the content is compared.
    let mut old_edit = h.clone();
    old_edit.revision = later.revision;
    old_edit.phone = "13900000000".into();
    println!(
        "  merge::decide, one side without lineage    {}",
        per(500, &mut || {
            black_box(merge::decide(black_box(&old_edit), Some(&later), &[]));
        })
    );
    // A record taken up from an older one against that older one: hashes it (`from`).
    let taken_up = with_lineage(&h, &[A], true);
    println!(
        "  merge::decide, `from` against the old one  {}",
        per(500, &mut || {
            black_box(merge::decide(black_box(&taken_up), Some(&h), &[]));
        })
    );
}
