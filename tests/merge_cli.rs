//! `ruhu merge --out OUT FILE...` (issue 13): the merge rule through the CLI, its report
//! (`ruhu.merge/1`, exactly its keys), its exit codes and the file it writes.

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::process::{Command, Output};

use chrono::DateTime;
use serde_json::Value;

use ruhu::core::io;
use ruhu::core::lineage::{self, DeviceId};
use ruhu::core::policy::Policy;
use ruhu::core::record::Household;
use ruhu::core::testkit;

fn ruhu(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_ruhu")).args(args).output().expect("the ruhu binary runs")
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).expect("stdout is UTF-8")
}

fn stderr(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).expect("stderr is UTF-8")
}

/// A directory of this test's own (tests run in parallel).
fn dir(test: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("ruhu-merge-test-{}-{test}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn path(d: &std::path::Path, name: &str) -> String {
    d.join(name).to_string_lossy().into_owned()
}

/// Writes `records` as a single record file (one) or a batch (several).
fn write(d: &std::path::Path, name: &str, records: &[Household]) -> String {
    let text = match records {
        [one] => io::write_record(one),
        _ => io::write_batch(
            records,
            &Policy::shipped(2023),
            DateTime::parse_from_rfc3339("2023-02-21T08:00:00+08:00").unwrap(),
            testkit::visit_date(),
        ),
    };
    let p = path(d, name);
    std::fs::write(&p, text).unwrap();
    p
}

fn dev(s: &str) -> DeviceId {
    DeviceId::new(s).unwrap()
}

/// Record `n` of household `n + 100`, created on `device`.
fn created(n: u128, device: &str) -> Household {
    let mut h = testkit::household().id(n).household_id(n + 100).village("额尔和村").build();
    lineage::begin(&mut h, &dev(device));
    h
}

/// `h` saved `times` more times on `device`, each save another phone number.
fn saved(h: &Household, device: &str, times: usize) -> Household {
    let mut h = h.clone();
    for i in 0..times {
        let base = h.clone();
        h.phone = format!("{device}-{i}");
        lineage::save(&mut h, &base, &dev(device));
    }
    h
}

/// Runs `merge --out OUT files…` and gives the exit code and the report.
fn merge(out: &str, files: &[&str]) -> (Option<i32>, Value, Output) {
    let mut args = vec!["merge", "--out", out, "--today", "2023-02-24"];
    args.extend_from_slice(files);
    let o = ruhu(&args);
    let report = if o.stdout.is_empty() {
        Value::Null
    } else {
        serde_json::from_str(&stdout(&o)).expect("merge prints JSON")
    };
    (o.status.code(), report, o)
}

fn ids(v: &Value) -> Vec<String> {
    v.as_array().unwrap().iter().map(|x| x.as_str().unwrap().to_string()).collect()
}

fn id(n: u128) -> String {
    testkit::uuid(n).to_string()
}

/// The records of OUT as read back.
fn read_out(out: &str) -> Vec<Household> {
    let file = io::read_bytes(&std::fs::read(out).expect("OUT written")).expect("OUT reads back");
    assert_eq!(file.format, io::EXPORT_FORMAT);
    file.records
}

fn keys(v: &Value) -> BTreeSet<&str> {
    v.as_object().unwrap().keys().map(String::as_str).collect()
}

#[test]
fn a_descendant_updates_and_the_report_has_exactly_its_keys() {
    let d = dir("descends");
    let first = created(1, "cadre");
    let later = saved(&first, "cadre", 3);
    let other = created(2, "cadre");
    let a = write(&d, "a.json", std::slice::from_ref(&first));
    let b = write(&d, "b.json", &[later.clone(), other.clone()]);
    let out = path(&d, "out.json");

    let (code, r, o) = merge(&out, &[&a, &b]);
    assert_eq!(code, Some(0), "{}", stderr(&o));
    assert_eq!(
        keys(&r),
        ["added", "conflicts", "format", "refused", "unchanged", "updated"].into()
    );
    assert_eq!(r["format"], "ruhu.merge/1");
    assert_eq!(ids(&r["updated"]), vec![id(1)]);
    assert_eq!(ids(&r["added"]), vec![id(2)]);
    assert!(ids(&r["unchanged"]).is_empty());
    assert_eq!(r["conflicts"], Value::Array(vec![]));
    assert_eq!(r["refused"], Value::Array(vec![]));
    let back = read_out(&out);
    assert_eq!(back.len(), 2, "one state per record");
    assert!(back.contains(&later) && back.contains(&other));

    // The other way round: the older state is stale, the later one kept.
    let (code, r, _) = merge(&out, &[&b, &a]);
    assert_eq!(code, Some(0));
    assert_eq!(ids(&r["unchanged"]), vec![id(1)]);
    assert_eq!(ids(&r["added"]), vec![id(2)]);
    assert!(read_out(&out).contains(&later));

    // The same file twice: unchanged.
    let (code, r, _) = merge(&out, &[&a, &a]);
    assert_eq!((code, ids(&r["unchanged"])), (Some(0), vec![id(1)]));
}

#[test]
fn copies_edited_apart_are_a_conflict_whatever_the_revisions() {
    let d = dir("apart");
    let base = created(1, "cadre");
    // The office corrected one field once; the cadre kept typing: 30 more saves.
    let office = saved(&base, "office", 1);
    let cadre = saved(&base, "cadre", 30);
    assert!(cadre.revision > office.revision + 20);
    let x = write(&d, "office.json", std::slice::from_ref(&office));
    let y = write(&d, "cadre.json", std::slice::from_ref(&cadre));
    let out = path(&d, "out.json");

    for (first, second, kept) in [(&x, &y, &office), (&y, &x, &cadre)] {
        let (code, r, o) = merge(&out, &[first, second]);
        assert_eq!(code, Some(1), "a conflict stands: {}", stderr(&o));
        assert!(stderr(&o).contains("冲突"), "{}", stderr(&o));
        let c = r["conflicts"].as_array().unwrap();
        assert_eq!(c.len(), 1);
        assert_eq!(keys(&c[0]), ["id", "kept", "other"].into());
        assert_eq!(keys(&c[0]["kept"]), ["file", "revision"].into());
        assert_eq!(c[0]["id"], id(1));
        assert_eq!(c[0]["kept"]["file"], first.as_str());
        assert_eq!(c[0]["other"]["file"], second.as_str());
        let other = if kept == &office { &cadre } else { &office };
        assert_eq!(c[0]["kept"]["revision"], kept.revision);
        assert_eq!(c[0]["other"]["revision"], other.revision);
        assert!(ids(&r["added"]).is_empty() && ids(&r["updated"]).is_empty());
        // The first seen is what OUT holds.
        assert_eq!(read_out(&out), vec![kept.clone()]);
    }

    // A resolution (a person chose, on the office's device) settles it: it descends from both.
    let resolved = lineage::resolve(&cadre, &office, &dev("office"));
    let z = write(&d, "resolved.json", std::slice::from_ref(&resolved));
    let (code, r, _) = merge(&out, &[&x, &y, &z]);
    assert_eq!(code, Some(0));
    assert_eq!(r["conflicts"], Value::Array(vec![]));
    assert_eq!(ids(&r["updated"]), vec![id(1)]);
    assert_eq!(read_out(&out), vec![resolved]);
}

#[test]
fn crafted_records_are_refused_with_a_reason() {
    let d = dir("crafted");
    let good = created(1, "cadre");
    let mut other_household = saved(&good, "cadre", 1);
    other_household.household_id = testkit::uuid(999);
    let mut huge = created(2, "cadre");
    huge.revision = (1 << 53) + 7;
    let mut max = created(3, "cadre");
    max.revision = u64::MAX;
    let a = write(&d, "a.json", std::slice::from_ref(&good));
    let b = write(&d, "b.json", &[other_household, huge, max]);
    let out = path(&d, "out.json");

    let (code, r, o) = merge(&out, &[&a, &b]);
    assert_eq!(code, Some(0), "refusals are reported, not a conflict: {}", stderr(&o));
    assert_eq!(ids(&r["added"]), vec![id(1)]);
    let refused = r["refused"].as_array().unwrap();
    assert_eq!(refused.len(), 3, "{refused:?}");
    for x in refused {
        assert_eq!(keys(x), ["file", "id", "reason"].into());
        assert_eq!(x["file"], b.as_str());
    }
    assert_eq!(refused[0]["id"], id(1));
    assert!(refused[0]["reason"].as_str().unwrap().contains("另一户"), "{}", refused[0]);
    assert_eq!(refused[1]["id"], id(2));
    let reason = refused[1]["reason"].as_str().unwrap();
    assert!(reason.contains("9007199254740999") && reason.contains("超过上限"), "{reason}");
    assert_eq!(refused[2]["id"], id(3));
    // The good record is kept as it was.
    assert_eq!(read_out(&out), vec![good]);

    // A revision beyond any integer the reader takes: the file is unreadable (exit 2).
    let text = std::fs::read_to_string(&a).unwrap().replacen(
        "\"revision\": 1,",
        "\"revision\": 100000000000000000000,",
        1,
    );
    std::fs::write(path(&d, "beyond.json"), text).unwrap();
    let fresh = path(&d, "fresh.json");
    let (code, r, o) = merge(&fresh, &[&a, &path(&d, "beyond.json")]);
    assert_eq!((code, r), (Some(2), Value::Null));
    assert!(stderr(&o).contains("beyond.json"), "{}", stderr(&o));
    assert!(!std::path::Path::new(&fresh).exists(), "nothing written");
}

#[test]
fn old_files_without_lineage_are_a_conflict_when_content_differs() {
    let d = dir("old");
    let old = |rev: u64, village: &str| {
        testkit::household().id(1).household_id(101).revision(rev).village(village).build()
    };
    let at_office = write(&d, "office.json", &[old(3, "额尔和村")]);
    let from_cadre = write(&d, "cadre.json", &[old(9, "霍日里村")]);
    let copy = write(&d, "copy.json", &[old(3, "额尔和村")]);
    let out = path(&d, "out.json");

    // Before issue 13 the higher revision (9) silently won.
    let (code, r, _) = merge(&out, &[&at_office, &from_cadre]);
    assert_eq!(code, Some(1));
    assert_eq!(r["conflicts"][0]["kept"]["revision"], 3);
    assert_eq!(r["conflicts"][0]["other"]["revision"], 9);
    assert_eq!(read_out(&out)[0].address.village, "额尔和村");
    let (code, r, _) = merge(&out, &[&from_cadre, &at_office]);
    assert_eq!((code, r["conflicts"][0]["kept"]["revision"].clone()), (Some(1), 9.into()));

    // The same content: unchanged.
    let (code, r, _) = merge(&out, &[&at_office, &copy]);
    assert_eq!((code, ids(&r["unchanged"])), (Some(0), vec![id(1)]));

    // A copy saved on top of exactly the old state (its hash in `from`) is an update.
    let mut taken_up = old(3, "额尔和村");
    let base = taken_up.clone();
    taken_up.phone = "13900000000".into();
    lineage::save(&mut taken_up, &base, &dev("cadre"));
    let newer = write(&d, "newer.json", &[taken_up.clone()]);
    let (code, r, _) = merge(&out, &[&at_office, &newer]);
    assert_eq!((code, ids(&r["updated"])), (Some(0), vec![id(1)]));
    assert_eq!(read_out(&out), vec![taken_up]);
}

#[test]
fn exit_codes_and_what_is_written() {
    let d = dir("exit");
    let a = write(&d, "a.json", &[created(1, "cadre"), created(2, "cadre")]);
    let out = path(&d, "out.json");

    // Unreadable input: exit 2, nothing on stdout, nothing written.
    std::fs::write(path(&d, "bad.json"), "{\"format\": \"ruhu.export/1\", \"records\": [").unwrap();
    let (code, r, o) = merge(&out, &[&a, &path(&d, "bad.json"), &path(&d, "missing.json")]);
    assert_eq!((code, r), (Some(2), Value::Null));
    let err = stderr(&o);
    assert!(err.contains("bad.json") && err.contains("不完整"), "{err}");
    assert!(err.contains("missing.json") && err.contains("文件不存在"), "{err}");
    assert!(!std::path::Path::new(&out).exists());

    // Bad usage: exit 2.
    assert_eq!(ruhu(&["merge", &a]).status.code(), Some(2));
    assert!(stderr(&ruhu(&["merge", &a])).contains("--out"));
    assert_eq!(ruhu(&["merge", "--out", &out]).status.code(), Some(2));
    assert_eq!(ruhu(&["merge", "--out", &out, "--bogus", &a]).status.code(), Some(2));

    // Fine: exit 0, OUT is a batch with computed blocks and the input's policy, and the
    // output may be one of the inputs (read whole before it is replaced).
    let (code, r, o) = merge(&out, &[&a]);
    assert_eq!(code, Some(0), "{}", stderr(&o));
    assert!(stderr(&o).is_empty(), "{}", stderr(&o));
    assert_eq!(ids(&r["added"]), vec![id(1), id(2)]);
    let v: Value = serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    assert_eq!(v["format"], "ruhu.export/1");
    assert_eq!(v["policy"]["year"], 2023);
    assert!(v["records"].as_array().unwrap().iter().all(|r| r["computed"].is_object()));
    let (code, r, _) = merge(&a, &[&a, &out]);
    assert_eq!((code, ids(&r["unchanged"])), (Some(0), vec![id(1), id(2)]));
    assert_eq!(read_out(&a).len(), 2);
    let left: Vec<_> = std::fs::read_dir(&d)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with('.'))
        .collect();
    assert!(left.is_empty(), "no temporary file left: {left:?}");
    let _ = std::fs::remove_dir_all(&d);
}
