//! Evidence photos and signatures in files (issue 15): the importer's refusal of a file
//! whose attachment does not match its `sha256`, the export that fills the photos' bytes
//! from the page, the split for Web Share, and `ruhu validate` / `ruhu evaluate` on
//! `tests/fixtures/evidence/` (`good.json`: a photo and a signature; `tampered.json`: the
//! same with a second photo whose bytes were changed after its `sha256` was written).

use std::collections::HashMap;
use std::process::{Command, Output};

use chrono::DateTime;
use serde_json::Value;
use uuid::Uuid;

use ruhu::core::evidence::{self, Stroke};
use ruhu::core::io::{self, read_export, write_batch_with_attachments};
use ruhu::core::lineage;
use ruhu::core::policy::Policy;
use ruhu::core::record::{AttachmentKind, Household, SignRole};
use ruhu::core::sample;

fn fixture(name: &str) -> String {
    format!("{}/tests/fixtures/evidence/{name}", env!("CARGO_MANIFEST_DIR"))
}

fn ruhu(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_ruhu")).args(args).output().expect("the ruhu binary runs")
}

fn text(b: &[u8]) -> String {
    String::from_utf8(b.to_vec()).unwrap()
}

fn at() -> DateTime<chrono::FixedOffset> {
    DateTime::parse_from_rfc3339("2023-02-21T08:00:00+08:00").unwrap()
}

/// `n` bytes that differ from photo to photo.
fn jpeg(seed: u32, n: usize) -> Vec<u8> {
    let mut x = seed.wrapping_mul(2654435761).wrapping_add(1);
    let mut out = vec![0xFF, 0xD8];
    while out.len() < n {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        out.push(x as u8);
    }
    out
}

/// Sample households, each with `photos` photos as the store keeps them (`data` empty) and
/// a signature; the photos' bytes by attachment id.
fn with_photos(n: usize, photos: usize, size: usize) -> (Vec<Household>, HashMap<Uuid, Vec<u8>>) {
    let mut records = sample::households(n, 2, 2023);
    let mut blobs = HashMap::new();
    let mut k = 0u32;
    for h in &mut records {
        for p in 0..photos {
            k += 1;
            let bytes = jpeg(k, size);
            let id = Uuid::from_u128(0xA000_0000 + k as u128);
            let a = evidence::new_photo(
                id,
                &format!("佐证{p}"),
                "",
                None,
                "image/jpeg",
                &bytes,
                Some((1600, 1200)),
                None,
            );
            h.attachments.push(a);
            blobs.insert(id, bytes);
        }
        let svg = evidence::signature_svg(
            &[Stroke { points: vec![(1.0, 1.0), (30.0, 40.0), (60.0, 10.0)] }],
            300,
            150,
        );
        let surveyor = h.visit.surveyor.clone();
        let sig = evidence::new_signature(
            Uuid::from_u128(0xB000_0000 + k as u128),
            SignRole::Surveyor,
            &surveyor,
            &svg,
            h,
            None,
        );
        h.attachments.push(sig);
    }
    (records, blobs)
}

/// The path of the first place two JSON trees differ.
fn first_difference(a: &Value, b: &Value, at: &str) -> Option<String> {
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            if x.keys().ne(y.keys()) {
                return Some(format!("{at}: keys {:?} vs {:?}", x.keys(), y.keys()));
            }
            x.iter().find_map(|(k, v)| first_difference(v, &y[k], &format!("{at}.{k}")))
        }
        (Value::Array(x), Value::Array(y)) if x.len() == y.len() => x
            .iter()
            .zip(y)
            .enumerate()
            .find_map(|(i, (v, w))| first_difference(v, w, &format!("{at}[{i}]"))),
        _ if a == b => None,
        _ => Some(format!("{at}: {a} vs {b}")),
    }
}

// ---------------------------------------------------------------------------------------
// Reading.

#[test]
fn a_tampered_file_is_refused_by_name_and_gives_nothing() {
    let tampered = std::fs::read_to_string(fixture("tampered.json")).unwrap();
    let e = read_export(&tampered).unwrap_err();
    assert_eq!(e.path, "records[0].attachments[1].sha256");
    assert_eq!(
        e.message,
        "张伟户的照片“残疾人证”内容与其 sha256 不符，文件可能已损坏或被改动。整个文件未读入。"
    );
    assert!(io::read_bytes(tampered.as_bytes()).is_err());
    assert!(ruhu::core::transfer::read_file(tampered.as_bytes()).is_err(), "the app's import");
    // Without the check (what `ruhu validate` reads), every record is there.
    assert_eq!(io::read_bytes_unverified(tampered.as_bytes()).unwrap().records.len(), 2);

    // Not base64: refused too, with its own message.
    let mut v: Value = serde_json::from_str(&tampered).unwrap();
    v["records"][0]["attachments"][1]["data"] = "@@@@".into();
    v["records"][1]["attachments"] = v["records"][0]["attachments"].clone();
    let e = read_export(&v.to_string()).unwrap_err();
    assert_eq!(e.path, "records[0].attachments[1].data");
    assert_eq!(
        e.message,
        "张伟户的照片“残疾人证”内容不是有效的 base64，文件可能已损坏。另有 1 处附件错误。整个文件未读入。"
    );
}

#[test]
fn a_good_file_reads_and_its_photos_come_out_as_they_went_in() {
    let good = std::fs::read_to_string(fixture("good.json")).unwrap();
    let mut file = read_export(&good).unwrap();
    let h = &mut file.records[0];
    assert_eq!(h.attachments.len(), 2);
    let photo = h.attachments[0].clone();
    let taken = evidence::take_photo_bytes(h);
    assert_eq!(taken.len(), 1);
    assert_eq!(taken[0].0, photo.id);
    assert_eq!(evidence::sha256_hex(&taken[0].1), photo.sha256);
    assert!(h.attachments[0].data.is_empty(), "stored without its bytes");
    assert!(!h.attachments[1].data.is_empty(), "the signature stays inline");
    assert!(evidence::signature_text(&h.attachments[1]).unwrap().starts_with("<svg"));
    // A single record with a photo as the store keeps it (no data): read, with a warning only.
    let single = io::write_record(h);
    let back = read_export(&single).unwrap();
    assert_eq!(back.records[0], *h);
    let ds = evidence::check_attachments(h);
    assert_eq!(ds.len(), 1);
    assert_eq!(ds[0].code.code(), "attachment-data-missing");
}

// ---------------------------------------------------------------------------------------
// Writing.

#[test]
fn the_export_fills_the_photos_from_the_page_and_reads_back_to_the_stored_records() {
    let (records, blobs) = with_photos(6, 2, 3000);
    let policy = Policy::shipped(2023);
    let today = sample::today();
    let mut gone = blobs.clone();
    let lost = records[2].attachments[1].id;
    gone.remove(&lost);
    let out =
        write_batch_with_attachments(&records, &policy, at(), today, &|id| gone.get(&id).cloned());
    assert_eq!(out.missing.len(), 1);
    assert_eq!(out.missing[0].attachment, lost);
    assert_eq!(out.missing[0].record, records[2].id);
    assert!(out.missing[0].label.ends_with("的照片“佐证1”"), "{}", out.missing[0].label);

    let all =
        write_batch_with_attachments(&records, &policy, at(), today, &|id| blobs.get(&id).cloned());
    assert!(all.missing.is_empty());
    let v: Value = serde_json::from_str(&all.text).unwrap();
    assert_eq!(v["format"], "ruhu.export/1");
    let a = &v["records"][0]["attachments"][0];
    assert_eq!(
        a["data"].as_str().unwrap(),
        evidence::base64_encode(&blobs[&records[0].attachments[0].id])
    );
    assert!(v["records"][0]["computed"].is_object(), "computed blocks as in write_batch");
    // The same file as write_batch but for the data.
    let plain: Value =
        serde_json::from_str(&io::write_batch(&records, &policy, at(), today)).unwrap();
    let mut emptied = v.clone();
    for r in emptied["records"].as_array_mut().unwrap() {
        for a in r["attachments"].as_array_mut().unwrap() {
            if a["kind"] == "photo" {
                a["data"] = "".into();
            }
        }
    }
    assert_eq!(first_difference(&emptied, &plain, "$"), None);

    // Imported: verified, the bytes taken out, and each record is the stored one again (the
    // same content hash, so the merge sees the same record: 未变).
    let mut file = read_export(&all.text).unwrap();
    let mut got = HashMap::new();
    for (h, original) in file.records.iter_mut().zip(&records) {
        got.extend(evidence::take_photo_bytes(h));
        assert_eq!(h, original);
        assert_eq!(lineage::content_hash(h), lineage::content_hash(original));
        assert!(evidence::signature_states(h)
            .iter()
            .all(|(_, s)| *s == evidence::SignatureState::Current));
    }
    assert_eq!(got, blobs);
}

#[test]
fn a_large_export_is_split_into_whole_households() {
    // 12 households of about 41 KB of base64 each; one household has two visits.
    let (mut records, blobs) = with_photos(12, 3, 10_000);
    let mut later = records[4].clone();
    later.id = Uuid::from_u128(0xC0FFEE);
    later.previous_id = Some(records[4].id);
    later.visit.date = later.visit.date.map(|d| d + chrono::Days::new(30));
    for a in &mut later.attachments {
        a.id = Uuid::from_u128(a.id.as_u128() + 0x1_0000_0000);
    }
    let mut blobs = blobs;
    for (a, b) in later.attachments.iter().zip(&records[4].attachments) {
        if let Some(bytes) = blobs.get(&b.id).cloned() {
            blobs.insert(a.id, bytes);
        }
    }
    records.push(later);
    let policy = Policy::shipped(2023);
    let today = sample::today();
    let bytes = |id: Uuid| blobs.get(&id).cloned();
    let whole = write_batch_with_attachments(&records, &policy, at(), today, &bytes).text;
    let limit = 100_000;
    let split = evidence::split_for_share(&records, &policy, at(), today, &bytes, limit);
    assert!(split.missing.is_empty());
    let n = split.parts.len();
    assert!(n > whole.len() / limit && n < 13, "{n} files for {} bytes", whole.len());
    let stem = io::export_file_name(&records, at().date_naive());
    let stem = stem.strip_suffix(".json").unwrap();
    let mut seen: Vec<Household> = Vec::new();
    for (k, part) in split.parts.iter().enumerate() {
        assert_eq!(part.name, format!("{stem}-第{}份共{n}份.json", k + 1));
        assert!(part.text.len() <= limit, "{}: {} bytes", part.name, part.text.len());
        assert!(!part.over_limit);
        let file = read_export(&part.text).unwrap_or_else(|e| panic!("{}: {e}", part.name));
        assert_eq!(file.records.len(), part.records);
        let households: std::collections::HashSet<Uuid> =
            file.records.iter().map(|h| h.household_id).collect();
        assert_eq!(households.len(), part.households);
        seen.extend(file.records);
    }
    // Every record once; the two visits of one household in one file.
    let whole_file = read_export(&whole).unwrap();
    let mut want = whole_file.records.clone();
    want.sort_by_key(|h| h.id);
    let mut got = seen.clone();
    got.sort_by_key(|h| h.id);
    assert_eq!(got, want);
    let part_of = |id: Uuid| {
        split
            .parts
            .iter()
            .position(|p| read_export(&p.text).unwrap().records.iter().any(|h| h.id == id))
            .unwrap()
    };
    assert_eq!(part_of(records[4].id), part_of(Uuid::from_u128(0xC0FFEE)));
    // The computed blocks are those of one file (the whole batch's context).
    let computed = |text: &str| -> HashMap<String, Value> {
        let v: Value = serde_json::from_str(text).unwrap();
        v["records"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| (r["id"].as_str().unwrap().to_string(), r["computed"].clone()))
            .collect()
    };
    let all = computed(&whole);
    for part in &split.parts {
        for (id, c) in computed(&part.text) {
            assert_eq!(c, all[&id], "{id}");
        }
    }

    // Under the limit: one file with the plain name, the same text as the whole.
    let one = evidence::split_for_share(&records, &policy, at(), today, &bytes, whole.len());
    assert_eq!(one.parts.len(), 1);
    assert_eq!(one.parts[0].name, format!("{stem}.json"));
    assert_eq!(one.parts[0].text, whole);

    // A household larger than the limit goes alone and is reported.
    let small = evidence::split_for_share(&records, &policy, at(), today, &bytes, 30_000);
    assert_eq!(small.parts.len(), 12, "one file per household");
    assert!(small.parts.iter().all(|p| p.over_limit && p.households == 1));
    assert!(evidence::split_for_share(&[], &policy, at(), today, &bytes, limit).parts.is_empty());
    assert_eq!(evidence::share_limit(false), 45 * 1024 * 1024);
    // Sealed (armoured: base64 in lines of 64), the largest part still fits the share limit.
    let sealed = evidence::share_limit(true) / 3 * 4 / 64 * 65 + 200;
    assert!(sealed < evidence::SHARE_LIMIT_BYTES, "{sealed}");
}

// ---------------------------------------------------------------------------------------
// The CLI.

#[test]
fn validate_reports_attachments_by_file_and_household() {
    let path = fixture("tampered.json");
    let o = ruhu(&["validate", "--today", "2023-02-24", &path]);
    assert_eq!(o.status.code(), Some(1), "stderr: {}", text(&o.stderr));
    let out = text(&o.stdout);
    let sections: Vec<&str> = out.split("== ").collect();
    let zhang = sections.iter().find(|s| s.contains("户主：张伟")).unwrap();
    assert!(zhang.starts_with(&format!("{path} · 第 1/2 条 ==")), "{zhang}");
    assert!(
        zhang.contains(
            "佐证材料：照片2张：门牌照片、残疾人证；签名1个：本户排查人孟庆春（1个签字后有修改）"
        ),
        "{zhang}"
    );
    assert!(zhang.contains("附件问题（1 条，其中 1 条错误）"), "{zhang}");
    assert!(
        zhang.contains(
            "  - [attachment-sha256-mismatch] 错误：张伟户的照片“残疾人证”内容与其 sha256 不符，文件可能已损坏或被改动。\n      位置：attachments[1].sha256"
        ),
        "{zhang}"
    );
    let guo = sections.iter().find(|s| s.contains("户主：郭建华")).unwrap();
    assert!(!guo.contains("附件问题") && !guo.contains("佐证材料"), "{guo}");
    assert!(
        out.contains(&format!("1 个文件的附件有错误（内容与 sha256 不符、不是有效的 base64 或过大），应用会拒绝导入整个文件：{path}")),
        "{out}"
    );

    // The good file: its evidence listed, no attachment problem, nothing refused.
    let good = fixture("good.json");
    let o = ruhu(&["validate", "--today", "2023-02-24", &good]);
    let out = text(&o.stdout);
    assert_eq!(o.status.code(), Some(0), "{out}");
    assert!(out.contains("佐证材料：照片1张：门牌照片；签名1个：本户排查人孟庆春"), "{out}");
    assert!(!out.contains("附件问题") && !out.contains("拒绝导入"), "{out}");
}

#[test]
fn evaluate_refuses_a_tampered_file_as_the_importer_does() {
    let path = fixture("tampered.json");
    let o = ruhu(&["evaluate", "--today", "2023-02-24", &path]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(
        text(&o.stderr),
        format!("ruhu: {path}: records[0].attachments[1].sha256: 张伟户的照片“残疾人证”内容与其 sha256 不符，文件可能已损坏或被改动。整个文件未读入。\n")
    );
    let o = ruhu(&["evaluate", "--today", "2023-02-24", &fixture("good.json")]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    // The records are those of the format; photos in ruhu.export/1 are found by kind.
    let file = read_export(&std::fs::read_to_string(fixture("good.json")).unwrap()).unwrap();
    assert_eq!(file.records[0].attachments[0].kind, Some(AttachmentKind::Photo));
}

#[test]
fn an_exported_record_with_photos_imports_again_as_unchanged() {
    use ruhu::core::transfer::{self, IncomingFile};
    let (records, blobs) = with_photos(4, 2, 2000);
    let policy = Policy::shipped(2023);
    let text = write_batch_with_attachments(&records, &policy, at(), sample::today(), &|id| {
        blobs.get(&id).cloned()
    })
    .text;
    let read = |name: &str, t: &str| IncomingFile {
        name: name.into(),
        result: transfer::read_file(t.as_bytes()),
    };
    let tampered = std::fs::read_to_string(fixture("tampered.json")).unwrap();
    let mut files = vec![read("批量.json", &text), read("改过.json", &tampered)];
    let taken = transfer::take_photos(&mut files);
    assert_eq!(taken.bytes, blobs, "every photo's bytes, by attachment id");
    assert_eq!(taken.changed, vec![true; records.len()], "the refused file has no records");
    let stored: HashMap<Uuid, Household> = records.iter().map(|h| (h.id, h.clone())).collect();
    let plan = transfer::plan(files, &stored, &HashMap::new());
    assert!(plan.writes.is_empty() && plan.conflicts.is_empty(), "{}", plan.summary());
    assert_eq!(plan.tally.unchanged, records.len());
    assert_eq!(plan.refused.len(), 1);
    assert_eq!(
        plan.refused[0].message(),
        "改过.json：records[0].attachments[1].sha256: 张伟户的照片“残疾人证”内容与其 sha256 不符，文件可能已损坏或被改动。整个文件未读入。"
    );
}
