//! Reading and writing back: every fixture survives equal in meaning, unknown keys at every
//! level survive, `null` and `false` stay apart, an incoming `computed` block is ignored.

use chrono::{DateTime, NaiveDate};
use ruhu::core::io::{
    read_export, read_records, with_computed, write_batch, write_record, EXPORT_FORMAT,
};
use ruhu::core::money::Money;
use ruhu::core::policy::Policy;
use ruhu::core::record::Household;
use ruhu::core::rules::evaluate_simple;
use serde_json::{json, Map, Value};

fn fixtures_dir() -> String {
    format!("{}/tests/fixtures", env!("CARGO_MANIFEST_DIR"))
}

/// Every record fixture (not the policy files, not the bad inputs).
fn record_fixtures() -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = std::fs::read_dir(fixtures_dir())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .filter(|p| !p.file_name().unwrap().to_string_lossy().starts_with("policy-"))
        .map(|p| {
            (
                p.file_name().unwrap().to_string_lossy().into_owned(),
                std::fs::read_to_string(&p).unwrap(),
            )
        })
        .collect();
    out.sort();
    assert!(
        out.len() >= 6,
        "the fixtures are there: {:?}",
        out.iter().map(|f| &f.0).collect::<Vec<_>>()
    );
    out
}

const MONEY_KEYS: [&str; 7] = [
    "production",
    "wage",
    "property",
    "transfer",
    "production_cost",
    "other_expense",
    "loan_amount_wan",
];

/// The meaning of a record's JSON: money as 2-decimal strings, ID numbers upper-case, text
/// trimmed, the version tag's major version, and unanswered values (`null`, `""`, `[]`, `{}`,
/// or absent) left out — but `false` and `0` kept. `computed` is dropped (recomputed on read).
fn meaning(v: &Value) -> Value {
    norm(v, None).unwrap_or(Value::Null)
}

fn norm(v: &Value, key: Option<&str>) -> Option<Value> {
    match v {
        Value::Null => None,
        Value::String(s) if s.trim().is_empty() => None,
        Value::Array(a) if a.is_empty() => None,
        Value::String(s) if key.is_some_and(|k| MONEY_KEYS.contains(&k)) => {
            Some(Value::String(Money::parse(s).to_text()))
        }
        Value::Number(n) if key.is_some_and(|k| MONEY_KEYS.contains(&k)) => {
            Some(Value::String(Money::parse(&n.to_string()).to_text()))
        }
        Value::String(s) if key == Some("id_number") => {
            Some(Value::String(s.trim().to_uppercase()))
        }
        Value::String(s) if key == Some("format") && s.starts_with("ruhu.household/1") => {
            Some(Value::String("ruhu.household/1".into()))
        }
        Value::String(s) => Some(Value::String(s.trim().to_string())),
        Value::Array(a) => {
            Some(Value::Array(a.iter().map(|x| norm(x, None).unwrap_or(Value::Null)).collect()))
        }
        Value::Object(o) => {
            let m: Map<String, Value> = o
                .iter()
                .filter(|(k, _)| k.as_str() != "computed")
                .filter_map(|(k, x)| norm(x, Some(k)).map(|x| (k.clone(), x)))
                .collect();
            (!m.is_empty()).then_some(Value::Object(m))
        }
        other => Some(other.clone()),
    }
}

/// The record objects of a fixture: the file itself, or its `records`.
fn record_values(text: &str) -> Vec<Value> {
    let v: Value = serde_json::from_str(text).unwrap();
    match v.get("records") {
        Some(Value::Array(rs)) => rs.clone(),
        _ => vec![v],
    }
}

#[test]
fn every_fixture_reads_and_writes_back_equal_in_meaning() {
    for (name, text) in record_fixtures() {
        let records = read_records(&text).unwrap_or_else(|e| panic!("{name}: {e}"));
        let originals = record_values(&text);
        assert_eq!(records.len(), originals.len(), "{name}");
        for (i, (h, original)) in records.iter().zip(&originals).enumerate() {
            let written: Value = serde_json::from_str(&write_record(h)).unwrap();
            assert_eq!(meaning(&written), meaning(original), "{name} record {i}");
            // Written money is always a string with 2 decimals.
            for key in MONEY_KEYS.iter().take(6) {
                let m = &written["income"][key];
                assert!(
                    m.is_null()
                        || m.as_str()
                            .is_some_and(|s| s.split_once('.').is_some_and(|(_, f)| f.len() == 2)),
                    "{name} {key}: {m}"
                );
            }
            // And it reads back to the same record.
            assert_eq!(&read_records(&write_record(h)).unwrap()[0], h, "{name} record {i}");
        }
    }
}

/// The single-record fixtures of version 1 are byte for byte what `write_record` makes, so
/// they show the real file form (money as strings, every key present). After a change to the
/// record types, rewrite them (and the batch, with `write_batch`) with
/// `UPDATE_SNAPSHOTS=1 cargo test --test roundtrip the_example_files` and review the diff.
#[test]
fn the_example_files_are_what_the_app_writes() {
    let update = std::env::var_os("UPDATE_SNAPSHOTS").is_some();
    for (name, text) in record_fixtures() {
        let path = format!("{}/{name}", fixtures_dir());
        if name.starts_with("batch") {
            if update {
                let file = read_export(&text).unwrap();
                let at = file.exported_at.expect("the batch has exported_at").0;
                let today = at.date_naive();
                let compact: Value = serde_json::from_str(&write_batch(
                    &file.records,
                    &Policy::shipped(2023),
                    at,
                    today,
                ))
                .unwrap();
                std::fs::write(&path, ruhu::core::json::to_string_pretty(&compact)).unwrap();
            }
            continue;
        }
        if name.starts_with("minor") {
            continue; // hand-written on purpose: numbers, omitted keys, a lower-case x
        }
        let written = write_record(&read_records(&text).unwrap()[0]);
        if update {
            std::fs::write(&path, &written).unwrap();
        }
        assert!(
            written == text,
            "{name} is not what write_record writes; if the record types changed on purpose, run\n\
             \tUPDATE_SNAPSHOTS=1 cargo test --test roundtrip the_example_files\nand review the diff"
        );
    }
}

#[test]
fn minor_version_numbers_and_lower_case_x_are_normalised() {
    let text =
        std::fs::read_to_string(format!("{}/minor-version-1.1.json", fixtures_dir())).unwrap();
    let h = &read_records(&text).unwrap()[0];
    assert_eq!(h.format, "ruhu.household/1");
    assert_eq!(h.members[0].id_number, "15072219501108058X");
    let v: Value = serde_json::from_str(&write_record(h)).unwrap();
    assert_eq!(
        v["income"]["transfer"], "9800.50",
        "a JSON number is written as a 2-decimal string"
    );
    assert_eq!(v["income"]["production"], "0.00");
    assert_eq!(v["gps"], json!({ "lat": 48.4821, "lon": 124.5137, "accuracy_m": 12 }));
    assert_eq!(v["income"]["transfer_detail"]["pension"], "2240.50");
    assert_eq!(v["members"][0]["note"], "分散供养特困人员，侄子沃建国照料");
    assert_eq!(v["visit"]["weather"], "晴 −21℃");
}

/// Adds `x_future` to every object, with a value that says where it was put.
fn plant(v: &mut Value, path: &str, count: &mut usize) {
    match v {
        Value::Object(o) => {
            for (k, x) in o.iter_mut() {
                plant(x, &format!("{path}.{k}"), count);
            }
            o.insert(
                "x_future".into(),
                json!({ "at": path, "list": [1, "二", null, false], "nothing": null }),
            );
            *count += 1;
        }
        Value::Array(a) => {
            for (i, x) in a.iter_mut().enumerate() {
                plant(x, &format!("{path}[{i}]"), count);
            }
        }
        _ => {}
    }
}

fn count_planted(v: &Value, path: &str) -> usize {
    match v {
        Value::Object(o) => {
            let here = usize::from(o.get("x_future").is_some_and(|x| {
                x["at"] == path
                    && x["list"] == json!([1, "二", null, false])
                    && x["nothing"].is_null()
            }));
            here + o
                .iter()
                .filter(|(k, _)| *k != "x_future")
                .map(|(k, x)| count_planted(x, &format!("{path}.{k}")))
                .sum::<usize>()
        }
        Value::Array(a) => {
            a.iter().enumerate().map(|(i, x)| count_planted(x, &format!("{path}[{i}]"))).sum()
        }
        _ => 0,
    }
}

#[test]
fn unknown_keys_survive_at_every_level() {
    for (name, text) in record_fixtures() {
        for mut original in record_values(&text) {
            original.as_object_mut().unwrap().remove("computed");
            let mut planted = 0;
            plant(&mut original, "$", &mut planted);
            assert!(planted >= 8, "{name}: keys planted in {planted} objects");
            let h =
                &read_records(&original.to_string()).unwrap_or_else(|e| panic!("{name}: {e}"))[0];
            let written: Value = serde_json::from_str(&write_record(h)).unwrap();
            assert_eq!(
                count_planted(&written, "$"),
                planted,
                "{name}: every unknown key kept, in its place"
            );
            assert_eq!(meaning(&written), meaning(&original), "{name}");
        }
    }
    // The batch's own unknown keys are kept by read_export.
    let batch = json!({ "format": "ruhu.export/1", "records": [], "device": { "model": "荣耀 X40", "app": "1.0" } });
    let file = read_export(&batch.to_string()).unwrap();
    assert_eq!(serde_json::to_value(&file).unwrap()["device"], batch["device"]);
}

#[test]
fn null_and_false_stay_apart() {
    let path = format!("{}/exited-below-line.json", fixtures_dir());
    let mut v: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    v["guarantees"]["dropout"] = Value::Null;
    v["guarantees"]["all_insured"] = json!(false);
    v["members"][0]["dibao"] = json!(false);
    v["members"][1]["dibao"] = Value::Null;
    v["judgement"]["identify"] = Value::Null;
    v["measures"]["ecology"]["applied"] = json!(false);
    v["measures"]["living"]["applied"] = Value::Null;
    v["elimination"]["marked_in_system"] = json!(false);
    let h = &read_records(&v.to_string()).unwrap()[0];
    assert_eq!((h.guarantees.dropout, h.guarantees.all_insured), (None, Some(false)));
    assert_eq!((h.members[0].dibao, h.members[1].dibao), (Some(false), None));
    let w: Value = serde_json::from_str(&write_record(h)).unwrap();
    for (path, expected) in [
        ("/guarantees/dropout", Value::Null),
        ("/guarantees/all_insured", json!(false)),
        ("/members/0/dibao", json!(false)),
        ("/members/1/dibao", Value::Null),
        ("/judgement/identify", Value::Null),
        ("/measures/ecology/applied", json!(false)),
        ("/measures/living/applied", Value::Null),
        ("/elimination/marked_in_system", json!(false)),
    ] {
        assert_eq!(w.pointer(path), Some(&expected), "{path}");
    }
    // The engine sees the difference too: unanswered A29 is an error, "no" is not.
    let eval =
        evaluate_simple(h, &Policy::shipped(2023), NaiveDate::from_ymd_opt(2023, 2, 24).unwrap());
    assert!(eval.at("guarantees.dropout").any(|f| f.code == "answer-missing"));
    assert!(!eval.at("members[0].dibao").any(|f| f.code == "answer-missing"));
    assert!(eval.at("members[1].dibao").any(|f| f.code == "answer-missing"));
}

#[test]
fn computed_on_input_is_ignored_and_recomputed() {
    let path = format!("{}/batch-2023q1.json", fixtures_dir());
    let mut batch: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    // The fixture's computed figures are the engine's (A26 of 张伟's household: 81000).
    assert_eq!(batch["records"][0]["computed"]["total_income"], "81000.00");
    assert_eq!(batch["records"][0]["computed"]["per_capita_net"], "22000.00");
    // Forged figures are not believed.
    batch["records"][0]["computed"] = json!({ "total_income": "1.00", "per_capita_net": "0.25", "evaluation": { "identify": "yes" } });
    let records = read_records(&batch.to_string()).unwrap();
    assert!(records.iter().all(|h| h.computed.is_none()));
    let at = DateTime::parse_from_rfc3339("2023-03-01T08:00:00+08:00").unwrap();
    let policy = Policy::shipped(2023);
    let again: Value = serde_json::from_str(&write_batch(
        &records,
        &policy,
        at,
        NaiveDate::from_ymd_opt(2023, 3, 1).unwrap(),
    ))
    .unwrap();
    assert_eq!(again["format"], EXPORT_FORMAT);
    assert_eq!(again["exported_at"], "2023-03-01T08:00:00+08:00");
    let c = &again["records"][0]["computed"];
    assert_eq!(
        (c["total_income"].as_str(), c["per_capita_net"].as_str()),
        (Some("81000.00"), Some("22000.00"))
    );
    assert_eq!(c["evaluation"]["identify"], "no");
    assert_eq!(c["evaluation"]["record_id"], again["records"][0]["id"]);
    // Every record of the fixture batch carries the figures the engine computes now.
    let fixture: Value = serde_json::from_str(
        &std::fs::read_to_string(format!("{}/batch-2023q1.json", fixtures_dir())).unwrap(),
    )
    .unwrap();
    for (i, h) in records.iter().enumerate() {
        let e = evaluate_simple(h, &policy, NaiveDate::from_ymd_opt(2023, 2, 24).unwrap());
        let c = &fixture["records"][i]["computed"];
        let text = |d: Option<rust_decimal::Decimal>| d.map(ruhu::core::money::format_plain);
        assert_eq!(
            c["total_income"].as_str().map(String::from),
            text(e.total_income),
            "record {i}"
        );
        assert_eq!(
            c["per_capita_net"].as_str().map(String::from),
            text(e.per_capita_net),
            "record {i}"
        );
        assert_eq!(c["evaluation"]["identify"].as_str(), Some(e.identify.code()), "record {i}");
    }
}

#[test]
fn with_computed_and_write_record() {
    let path = format!("{}/serious-illness.json", fixtures_dir());
    let h: Household = read_records(&std::fs::read_to_string(path).unwrap()).unwrap().remove(0);
    let e =
        evaluate_simple(&h, &Policy::shipped(2023), NaiveDate::from_ymd_opt(2023, 2, 24).unwrap());
    let out: Value = serde_json::from_str(&write_record(&with_computed(&h, &e))).unwrap();
    assert_eq!(out["computed"]["total_income"], "50000.00");
    assert_eq!(out["computed"]["per_capita_net"], "13666.67");
    assert_eq!(out["computed"]["evaluation"]["suggested_category"], "monitored_hardship");
    assert_eq!(out["computed"]["evaluation"], serde_json::to_value(&e).unwrap());
    // Reading it back drops the block again and gives the same record.
    assert_eq!(read_records(&out.to_string()).unwrap()[0], h);
}
