//! Receipts (回执): the township office says which states of which records it received, and
//! the surveyor's app marks each record against them — 乡镇已接收, 接收后有修改, or not yet
//! (issue 13). Pure functions; the office's import makes one ([`make`], [`write()`]), the
//! surveyor's app reads it ([`read`]) and asks [`status`] (or [`Index::status`]) per record.
//!
//! # The file: `ruhu.receipt/1` (a contract, like `household-format.md`)
//!
//! ```json
//! { "format": "ruhu.receipt/1",
//!   "issued_at": "2023-02-21T10:05:00+08:00",
//!   "office": { "device": "9d8e7f6a5b4c4d3e8f2a1b0c9d8e7f6a", "name": "额尔和乡乡村振兴办公室" },
//!   "records": [
//!     { "id": "93ea5ab6-c892-422c-b5a0-5c3b93e518e6",
//!       "household_id": "0b7e2c1a-…",
//!       "revision": 31,
//!       "lineage": { "saves": { "4f1c2a9e6b3d4e7f8a9b0c1d2e3f4a5b": 31 }, "revision": 31 },
//!       "sha256": "5d41402abc4b2a76b9719d911017c592…" } ] }
//! ```
//!
//! - `format`: `ruhu.receipt/1` (minor versions `/1.x` are read; another major version is
//!   refused). `issued_at`: when the office made it (RFC 3339 with offset; the caller's clock).
//! - `office.device`: the office's device id (as in `lineage.saves`); `office.name`: who
//!   received, for people (`额尔和乡乡村振兴办公室`).
//! - `records`: one entry per state received: the record's `id`, `household_id`, `revision`,
//!   its `lineage` exactly as received (omitted for a record from before lineage), and
//!   `sha256`, its content hash (`lineage::content_hash`: SHA-256 of the record's compact JSON
//!   as ruhu writes it, without `computed` and `lineage`). Unknown keys at any level are kept.
//! - What it lists: the office lists what it now holds of the files it imported — records
//!   added, updated, unchanged, stale (it holds a later state) and in conflict (it holds both
//!   states until a person resolves them); not the refused ones.
//!
//! # The status of a stored record against a receipt
//!
//! | the stored state `S`, an entry `R` for its `id` | status |
//! |---|---|
//! | `S`'s content hash is `R.sha256` (the state received) | 乡镇已接收 ([`Status::Received`]) |
//! | `R` descends from `S` (`S` traced and its counters at or below `R`'s, or `S`'s hash in `R.lineage.from`): the office holds a later state, with all of this one | 乡镇已接收 |
//! | `S` descends from `R` and differs (`R` traced and below `S`'s counters, or `R.sha256` in `S.lineage.from`, or `S` saved by an older app after `R`'s state) | 接收后有修改 ([`Status::ChangedSince`]) |
//! | anything else: no entry, edited apart from what was received, or it cannot be told | 未送达乡镇 ([`Status::NotReceived`]) |
//!
//! Several entries (several receipts, or a record received twice) give the best of them:
//! received, else changed since, else not received. The rules are `merge::decide`'s, on the
//! entry's summary of a state (revision, lineage, hash) instead of the state itself. When both
//! the stored state and the entry are traced the counters decide and nothing is hashed (a
//! hash costs about 50 µs; the counters well under 1 µs), except at equal counters, where the
//! hash must match.

use std::collections::HashMap;

use serde::Serialize;
use uuid::Uuid;

use crate::io::{self, ReadError};
use crate::lineage::{self, DeviceId, Lineage, Order};
use crate::reads::{object_reader, Plain};
use crate::record::{Extra, Household, NullDefault, Timestamp};

/// The version tag of a receipt.
pub const RECEIPT_FORMAT: &str = "ruhu.receipt/1";

/// A receipt file (module docs).
#[derive(Debug, Clone, PartialEq, Serialize, Default)]
pub struct Receipt {
    /// Always `ruhu.receipt/1` when written.
    pub format: String,
    pub issued_at: Timestamp,
    pub office: Office,
    pub records: Vec<Received>,
    #[serde(flatten)]
    pub extra: Extra,
}

object_reader!(Receipt required(format, issued_at, office, records) {
    format: Plain, issued_at: Plain, office: Plain, records: NullDefault,
});

/// Who received.
#[derive(Debug, Clone, PartialEq, Serialize, Default)]
pub struct Office {
    /// The office's device id.
    pub device: String,
    /// For people: `额尔和乡乡村振兴办公室`.
    pub name: String,
    #[serde(flatten)]
    pub extra: Extra,
}

object_reader!(Office required(device) { device: Plain, name: Plain });

/// One state received.
#[derive(Debug, Clone, PartialEq, Serialize, Default)]
pub struct Received {
    pub id: Uuid,
    pub household_id: Uuid,
    pub revision: u64,
    /// Its lineage as received; absent for a record from before lineage.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lineage: Option<Lineage>,
    /// Its content hash (`lineage::content_hash`).
    pub sha256: String,
    #[serde(flatten)]
    pub extra: Extra,
}

object_reader!(Received required(id, household_id, revision, sha256) {
    id: Plain, household_id: Plain, revision: Plain, lineage: Plain, sha256: Plain,
});

impl Received {
    /// The entry for one state.
    pub fn of(h: &Household) -> Received {
        Received {
            id: h.id,
            household_id: h.household_id,
            revision: h.revision,
            lineage: h.lineage.clone(),
            sha256: lineage::content_hash(h),
            extra: Extra::new(),
        }
    }
}

/// The receipt of an office (`device`, `name`) for `records`, issued at `issued_at`.
pub fn make<'a>(
    records: impl IntoIterator<Item = &'a Household>,
    device: &DeviceId,
    name: &str,
    issued_at: Timestamp,
) -> Receipt {
    Receipt {
        format: RECEIPT_FORMAT.to_string(),
        issued_at,
        office: Office {
            device: device.as_str().to_string(),
            name: name.to_string(),
            extra: Extra::new(),
        },
        records: records.into_iter().map(Received::of).collect(),
        extra: Extra::new(),
    }
}

/// The receipt as a file: pretty JSON with a final newline.
pub fn write(r: &Receipt) -> String {
    crate::json::to_string_pretty(r)
}

/// `回执-额尔和乡乡村振兴办公室-2023-02-21-35条.json` (only characters safe in file names).
pub fn file_name(r: &Receipt) -> String {
    let mut parts = vec!["回执".to_string()];
    let name = io::write::safe_part(&r.office.name);
    if !name.is_empty() {
        parts.push(name);
    }
    parts.push(r.issued_at.0.format("%Y-%m-%d").to_string());
    parts.push(format!("{}条", r.records.len()));
    format!("{}.json", parts.join("-"))
}

/// Reads a receipt file: size and text as for records (`io::read_bytes`), then the tag, the
/// types (errors name the JSON path, in Chinese), and each entry's lineage and hash.
pub fn read(bytes: &[u8]) -> Result<Receipt, ReadError> {
    let text = io::detect::text(bytes)?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    #[derive(serde::Deserialize)]
    struct Tag {
        format: Option<serde_json::Value>,
    }
    let tag: Tag = io::parse(text.as_bytes())?;
    let format = match tag.format {
        Some(serde_json::Value::String(s)) => s,
        _ => {
            return Err(ReadError::new("format", format!("不是回执文件（应为 {RECEIPT_FORMAT}）")))
        }
    };
    let (name, version) = format.split_once('/').unwrap_or((&format, ""));
    if name != "ruhu.receipt" {
        return Err(ReadError::new(
            "format",
            format!("不是回执文件：格式为 \"{format}\"（应为 {RECEIPT_FORMAT}）"),
        ));
    }
    let mut parts = version.split('.');
    let major = parts.next() == Some("1");
    if !major || !parts.all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit())) {
        return Err(ReadError::new(
            "format",
            format!("不支持的回执版本 \"{format}\"（本程序支持 {RECEIPT_FORMAT}）"),
        ));
    }
    let mut r: Receipt = io::parse(text.as_bytes())?;
    r.format = RECEIPT_FORMAT.to_string();
    for (i, e) in r.records.iter().enumerate() {
        if e.revision > lineage::MAX_SAFE_INTEGER {
            return Err(ReadError::new(
                format!("records[{i}].revision"),
                format!("版本号 {} 超过上限 {}", e.revision, lineage::MAX_SAFE_INTEGER),
            ));
        }
        if let Some(Err(why)) = e.lineage.as_ref().map(lineage::check_lineage) {
            return Err(ReadError::new(format!("records[{i}].lineage"), why.message()));
        }
        if e.sha256.len() != 64 || !e.sha256.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(ReadError::new(
                format!("records[{i}].sha256"),
                "不是 64 位十六进制的哈希值",
            ));
        }
    }
    for e in &mut r.records {
        e.sha256.make_ascii_lowercase();
    }
    Ok(r)
}

/// Where a stored record stands with the township (module docs).
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Default,
    serde::Serialize,
    serde::Deserialize,
)]
pub enum Status {
    /// No receipt names this state or a later one.
    #[default]
    NotReceived,
    /// The office received an earlier state; this one was saved since.
    ChangedSince,
    /// The office holds this state (or a later one with all of it).
    Received,
}

impl Status {
    /// For people: `乡镇已接收`, `接收后有修改`, `未送达乡镇`.
    pub fn label(&self) -> &'static str {
        match self {
            Status::Received => "乡镇已接收",
            Status::ChangedSince => "接收后有修改",
            Status::NotReceived => "未送达乡镇",
        }
    }

    /// For CSS and tests (`data-receipt`).
    pub fn code(&self) -> &'static str {
        match self {
            Status::Received => "received",
            Status::ChangedSince => "changed",
            Status::NotReceived => "not-received",
        }
    }
}

/// The status of `stored` against one entry (module docs' table).
pub fn status_of(stored: &Household, r: &Received) -> Status {
    if r.id != stored.id {
        return Status::NotReceived;
    }
    let traced_r = r.lineage.as_ref().filter(|l| l.revision == r.revision);
    // Both traced: the counters decide, without hashing (equal ones need the same content).
    if let (Some(s), Some(rl)) = (lineage::traced(stored), traced_r) {
        return match lineage::order(&s.saves, &rl.saves) {
            Order::Before => Status::Received,
            Order::After => Status::ChangedSince,
            Order::Same if lineage::content_hash(stored) == r.sha256 => Status::Received,
            Order::Same | Order::Concurrent => Status::NotReceived,
        };
    }
    let hash = lineage::content_hash(stored);
    if hash == r.sha256 {
        return Status::Received;
    }
    // The office holds a later state.
    if let (Some(s), Some(rl)) = (lineage::traced(stored), &r.lineage) {
        match lineage::order(&s.saves, &rl.saves) {
            Order::Before => return Status::Received,
            // The state `R` was saved on by an older app.
            Order::Same if traced_r.is_none() => return Status::Received,
            _ => {}
        }
    }
    if r.lineage.as_ref().is_some_and(|l| l.from.contains(&hash)) {
        return Status::Received;
    }
    // This state is a later one.
    if let (Some(rl), Some(sl)) = (traced_r, &stored.lineage) {
        let o = lineage::order(&rl.saves, &sl.saves);
        let traced_s = lineage::traced(stored).is_some();
        if o == Order::Before || (!traced_s && o == Order::Same) {
            return Status::ChangedSince;
        }
    }
    if stored.lineage.as_ref().is_some_and(|l| l.from.contains(&r.sha256)) {
        return Status::ChangedSince;
    }
    Status::NotReceived
}

/// The best status of `stored` against several entries (any receipts): received, else
/// changed since, else not received.
pub fn status<'a>(stored: &Household, entries: impl IntoIterator<Item = &'a Received>) -> Status {
    entries.into_iter().map(|r| status_of(stored, r)).max().unwrap_or(Status::NotReceived)
}

/// The entries of many receipts by record id, for the home list.
#[derive(Debug, Clone, Default)]
pub struct Index {
    by_id: HashMap<Uuid, Vec<Received>>,
}

impl Index {
    pub fn new<'a>(receipts: impl IntoIterator<Item = &'a Receipt>) -> Index {
        let mut by_id: HashMap<Uuid, Vec<Received>> = HashMap::new();
        for r in receipts {
            for e in &r.records {
                by_id.entry(e.id).or_default().push(e.clone());
            }
        }
        Index { by_id }
    }

    /// [`status`] of `stored` against every entry for its id.
    pub fn status(&self, stored: &Household) -> Status {
        status(stored, self.by_id.get(&stored.id).into_iter().flatten())
    }

    /// How many of `records` have not reached the township in their current state
    /// (not received, or changed since).
    pub fn not_received<'a>(&self, records: impl IntoIterator<Item = &'a Household>) -> usize {
        records.into_iter().filter(|h| self.status(h) != Status::Received).count()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testkit;

    fn dev(s: &str) -> DeviceId {
        DeviceId::new(s).unwrap()
    }

    fn at() -> Timestamp {
        Timestamp(testkit::at("2023-02-21T10:05:00+08:00"))
    }

    /// A line of states on device `a`: created, then saved `n` times.
    fn states(n: usize) -> Vec<Household> {
        let mut h = testkit::household().village("额尔和村").build();
        lineage::begin(&mut h, &dev("a"));
        let mut out = vec![h.clone()];
        for i in 0..n {
            let base = h.clone();
            h.phone = format!("1390000000{i}");
            lineage::save(&mut h, &base, &dev("a"));
            out.push(h.clone());
        }
        out
    }

    #[test]
    fn the_status_table() {
        let s = states(3);
        let receipt = |h: &Household| make([h], &dev("office"), "额尔和乡", at());
        let st = |stored: &Household, got: &Household| status(stored, &receipt(got).records);
        // The state received.
        assert_eq!(st(&s[2], &s[2]), Status::Received);
        // The office holds a later state.
        assert_eq!(st(&s[1], &s[3]), Status::Received);
        // Saved since it was received.
        assert_eq!(st(&s[3], &s[1]), Status::ChangedSince);
        // Edited apart from what was received.
        let mut apart = s[1].clone();
        apart.phone = "1".into();
        lineage::save(&mut apart, &s[1], &dev("b"));
        assert_eq!(st(&apart, &s[3]), Status::NotReceived);
        assert_eq!(st(&s[3], &apart), Status::NotReceived);
        // Another record.
        let other = testkit::household().id(5).build();
        assert_eq!(st(&other, &s[3]), Status::NotReceived);
        assert_eq!(status(&s[3], &[]), Status::NotReceived);

        // Records from before lineage: by the hash only, and through `from`.
        let old = testkit::household().revision(9).build();
        assert_eq!(st(&old, &old), Status::Received);
        let mut edited = old.clone();
        edited.phone = "2".into();
        lineage::save(&mut edited, &old, &dev("a"));
        assert_eq!(st(&edited, &old), Status::ChangedSince);
        assert_eq!(st(&old, &edited), Status::Received);
        let mut old_edit = old.clone();
        old_edit.revision += 1;
        old_edit.phone = "3".into();
        assert_eq!(st(&old_edit, &old), Status::NotReceived);

        // Saved by an older app after the state received: changed since (it descends).
        let mut by_older_app = s[2].clone();
        by_older_app.revision += 1;
        by_older_app.phone = "4".into();
        assert_eq!(st(&by_older_app, &s[2]), Status::ChangedSince);
        assert_eq!(st(&s[2], &by_older_app), Status::Received);

        // Equal counters with other content (a bug or a crafted file): not this state.
        let mut same_counters = s[2].clone();
        same_counters.phone = "5".into();
        assert_eq!(st(&same_counters, &s[2]), Status::NotReceived);

        // Several entries: the best.
        let both = [receipt(&s[1]), receipt(&s[3])];
        assert_eq!(Index::new(&both).status(&s[3]), Status::Received);
        assert_eq!(Index::new(&both[..1]).status(&s[3]), Status::ChangedSince);
        assert_eq!(Index::new(&both).not_received([&s[3], &apart, &other]), 2);
        assert_eq!(Status::Received.label(), "乡镇已接收");
        assert_eq!(Status::ChangedSince.label(), "接收后有修改");
    }

    #[test]
    fn writes_and_reads_back() {
        let s = states(2);
        let old = testkit::household().id(7).revision(3).build();
        let r = make([&s[2], &old], &dev("office-1"), "额尔和乡乡村振兴办公室", at());
        let text = write(&r);
        assert!(
            text.starts_with("{\n  \"format\": \"ruhu.receipt/1\",\n  \"issued_at\""),
            "{text}"
        );
        assert!(!text.contains("\"lineage\": null"), "absent, not null");
        let back = read(text.as_bytes()).unwrap();
        assert_eq!(back, r);
        assert_eq!(file_name(&r), "回执-额尔和乡乡村振兴办公室-2023-02-21-2条.json");
        // Unknown keys are kept; a minor version is read.
        let newer = text.replacen("ruhu.receipt/1", "ruhu.receipt/1.2", 1).replacen(
            "\"office\": {",
            "\"office\": { \"phone\": \"0470\",",
            1,
        );
        let back = read(newer.as_bytes()).unwrap();
        assert_eq!(back.office.extra["phone"], "0470");
        assert_eq!(back.format, RECEIPT_FORMAT);
    }

    #[test]
    fn refuses_what_is_not_a_receipt() {
        let s = states(1);
        let text = write(&make([&s[1]], &dev("o"), "乡", at()));
        let e = |t: &str| read(t.as_bytes()).unwrap_err();
        assert!(e(&text.replace("ruhu.receipt/1", "ruhu.receipt/2"))
            .message
            .contains("不支持的回执版本"));
        assert!(e(&text.replace("ruhu.receipt/1", "ruhu.export/1"))
            .message
            .starts_with("不是回执文件"));
        assert!(e(r#"{"records": []}"#).message.starts_with("不是回执文件"));
        assert!(e("[1").message.contains("不完整"), "{}", e("[1"));
        let hash = &read(text.as_bytes()).unwrap().records[0].sha256;
        let bad = text.replace(hash.as_str(), "abc");
        assert_eq!(e(&bad).path, "records[0].sha256");
        let huge = text.replacen("\"revision\": 2,", "\"revision\": 9007199254740992,", 1);
        assert_eq!(e(&huge).path, "records[0].revision");
        let bad_device = text.replacen("\"a\": 2", "\"a b\": 2", 1);
        assert_eq!(e(&bad_device).path, "records[0].lineage");
        assert_eq!(
            e(&text.replacen("\"revision\": 2,", "\"revision\": \"2\",", 1)).path,
            "records[0].revision"
        );
    }
}
