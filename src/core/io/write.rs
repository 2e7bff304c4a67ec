//! Writing record files: one record as pretty JSON ([`write_record`]), a `ruhu.export/1`
//! batch with every record's `computed` block ([`write_batch`], which runs the engine with the
//! same cross-record context as the CLI: the people index and each record's previous visit
//! from [`crate::visits`]), and a file name a person recognises ([`export_file_name`]).
//! Money is written as 2-decimal strings.

use chrono::{DateTime, FixedOffset, NaiveDate};
use serde::Serialize;
use serde_json::Value;
use uuid::Uuid;

use crate::evaluation::Evaluation;
use crate::json;
use crate::policy::Policy;
use crate::record::{Extra, Household, Timestamp, HOUSEHOLD_FORMAT};
use crate::rules::{self, Context};

use super::detect::EXPORT_FORMAT;
use super::read::ExportFile;

/// The record with its `computed` block `{ total_income, per_capita_net, evaluation }`.
pub fn with_computed(h: &Household, eval: &Evaluation) -> Household {
    let mut out = h.clone();
    out.format = HOUSEHOLD_FORMAT.to_string();
    let evaluation = json::to_value(eval);
    let figure = |key: &str| evaluation.get(key).cloned().unwrap_or(Value::Null);
    let mut computed = serde_json::Map::new();
    computed.insert("total_income".into(), figure("total_income"));
    computed.insert("per_capita_net".into(), figure("per_capita_net"));
    computed.insert("evaluation".into(), evaluation);
    out.computed = Some(Value::Object(computed));
    out
}

/// One record as pretty JSON (what the app saves and exports for one household).
pub fn write_record(h: &Household) -> String {
    let mut h = h.clone();
    h.format = HOUSEHOLD_FORMAT.to_string();
    json::to_string_pretty(&h)
}

/// A batch file of these records, each with its `computed` block evaluated under `policy`
/// (today = `ctx_today`, for `visit-date-future`).
///
/// The same bytes as serialising an [`ExportFile`] of [`with_computed`] records, made without
/// copying a record or building its evaluation's JSON tree: the file's frame is serialised
/// with no records, and each record is written straight into it with its `computed` block
/// spliced in where `Household` puts that field (see `write_with_computed`).
pub fn write_batch(
    records: &[Household],
    policy: &Policy,
    exported_at: DateTime<FixedOffset>,
    ctx_today: NaiveDate,
) -> String {
    let (prefix, suffix) = frame(policy, exported_at);
    let index = crate::followup::people_index(records);
    let previous = crate::visits::previous_of_each(records);
    let mut out = Vec::with_capacity(prefix.len() + suffix.len() + records.len() * 4608);
    out.extend_from_slice(&prefix);
    let mut record = Vec::new();
    for (i, (h, prev)) in records.iter().zip(&previous).enumerate() {
        let mut ctx = Context::new(policy, ctx_today);
        ctx.people_elsewhere = Some(&index);
        ctx.previous = prev.map(|i| &records[i]);
        if i > 0 {
            out.push(b',');
        }
        write_with_computed(&mut out, &mut record, h, &rules::evaluate(h, ctx));
    }
    out.extend_from_slice(&suffix);
    // Compact: export files travel through WeChat and are read by programs; compact JSON is
    // about half the size of pretty JSON and twice as fast to write and read.
    String::from_utf8(out).expect("serde_json writes UTF-8")
}

/// The file's frame around its records: the text before the first record
/// (`{"format":…,"records":[`) and after the last (`]}`).
fn frame(policy: &Policy, exported_at: DateTime<FixedOffset>) -> (Vec<u8>, Vec<u8>) {
    let frame = json::to_vec(&ExportFile {
        format: EXPORT_FORMAT.to_string(),
        exported_at: Some(Timestamp(exported_at)),
        policy: Some(policy.clone()),
        records: Vec::new(),
        extra: Extra::new(),
    });
    const EMPTY: &[u8] = b"\"records\":[]";
    let at =
        frame.windows(EMPTY.len()).rposition(|w| w == EMPTY).expect("the frame lists its records")
            + EMPTY.len()
            - 1;
    (frame[..at].to_vec(), frame[at..].to_vec())
}

/// An attachment whose bytes the page could not give (its Blob is gone): written without
/// `data`, reported so the page can say so before sharing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MissingBytes {
    pub record: Uuid,
    pub attachment: Uuid,
    /// `张伟户的照片“危房正面”`.
    pub label: String,
}

/// A batch written with its attachments' bytes ([`write_batch_with_attachments`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FilledBatch {
    /// The `ruhu.export/1` text.
    pub text: String,
    /// The attachments written without `data`.
    pub missing: Vec<MissingBytes>,
}

/// [`write_batch`] with every attachment's `data` filled (base64): an attachment whose
/// `data` is empty (a photo, as the store keeps it) gets the bytes `bytes(id)` gives, and
/// its `sha256` and `bytes` when those are empty; one `bytes` has none for is written
/// without `data` and listed in `missing`. Signatures keep their own `data`.
pub fn write_batch_with_attachments(
    records: &[Household],
    policy: &Policy,
    exported_at: DateTime<FixedOffset>,
    ctx_today: NaiveDate,
    bytes: &dyn Fn(Uuid) -> Option<Vec<u8>>,
) -> FilledBatch {
    let mut split = split_for_share(records, policy, exported_at, ctx_today, bytes, usize::MAX);
    let text = split.parts.pop().map(|p| p.text).unwrap_or_else(|| {
        let (mut prefix, suffix) = frame(policy, exported_at);
        prefix.extend_from_slice(&suffix);
        String::from_utf8(prefix).expect("serde_json writes UTF-8")
    });
    FilledBatch { text, missing: split.missing }
}

/// One file of a split export ([`split_for_share`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SharePart {
    /// `额尔和乡-额尔和村-2023-02-20-35户-第1份共3份.json` (without the suffix when alone).
    pub name: String,
    /// The `ruhu.export/1` text.
    pub text: String,
    /// How many households (`household_id`s) and records it holds.
    pub households: usize,
    pub records: usize,
    /// One household alone larger than the limit: shared alone, it may be refused.
    pub over_limit: bool,
}

/// An export split into files ([`split_for_share`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SplitExport {
    pub parts: Vec<SharePart>,
    /// The attachments written without `data` ([`write_batch_with_attachments`]).
    pub missing: Vec<MissingBytes>,
}

/// The export of `records` with their attachments' bytes (as
/// [`write_batch_with_attachments`]) split into `ruhu.export/1` files of at most `limit`
/// bytes each (`crate::evidence::SHARE_LIMIT_BYTES` for Web Share): whole households per
/// file (every visit of one `household_id` together), households filled in the order first
/// met, each file's records in the batch's order; a household larger than `limit` goes alone in its file, marked `over_limit`.
/// Every record's `computed` block is evaluated with the whole batch's context (the people
/// of every household, each record's previous visit), as in one file. Named as
/// [`export_file_name`] of the whole batch (dated by `exported_at`), with `-第k份共n份`
/// before `.json` when there are several; one file keeps the plain name. No records: no file.
pub fn split_for_share(
    records: &[Household],
    policy: &Policy,
    exported_at: DateTime<FixedOffset>,
    ctx_today: NaiveDate,
    bytes: &dyn Fn(Uuid) -> Option<Vec<u8>>,
    limit: usize,
) -> SplitExport {
    let (prefix, suffix) = frame(policy, exported_at);
    let index = crate::followup::people_index(records);
    let previous = crate::visits::previous_of_each(records);
    let mut missing = Vec::new();
    let mut scratch = Vec::new();
    let mut written: Vec<Vec<u8>> = records
        .iter()
        .zip(&previous)
        .map(|(h, prev)| {
            let mut ctx = Context::new(policy, ctx_today);
            ctx.people_elsewhere = Some(&index);
            ctx.previous = prev.map(|i| &records[i]);
            let eval = rules::evaluate(h, ctx);
            let mut out = Vec::new();
            match filled(h, bytes, &mut missing) {
                Some(full) => write_with_computed(&mut out, &mut scratch, &full, &eval),
                None => write_with_computed(&mut out, &mut scratch, h, &eval),
            }
            out
        })
        .collect();
    // Households in the order first met, each with its records.
    let mut groups: Vec<Vec<usize>> = Vec::new();
    let mut at: std::collections::HashMap<Uuid, usize> = std::collections::HashMap::new();
    for (i, h) in records.iter().enumerate() {
        let g = *at.entry(h.household_id).or_insert_with(|| {
            groups.push(Vec::new());
            groups.len() - 1
        });
        groups[g].push(i);
    }
    // Greedy packing: a file's size is its frame, its records and the commas between them.
    let frame_len = prefix.len() + suffix.len();
    let group_len = |g: &[usize]| g.iter().map(|&i| written[i].len() + 1).sum::<usize>();
    let mut packs: Vec<(Vec<usize>, usize)> = Vec::new(); // (groups, size)
    for (gi, g) in groups.iter().enumerate() {
        let len = group_len(g);
        match packs.last_mut() {
            Some((gs, size)) if size.saturating_add(len) <= limit => {
                gs.push(gi);
                *size += len;
            }
            _ => packs.push((vec![gi], frame_len - 1 + len)),
        }
    }
    let base = export_file_name(records, exported_at.date_naive());
    let n = packs.len();
    let parts = packs
        .into_iter()
        .enumerate()
        .map(|(k, (gs, size))| {
            let mut out = Vec::with_capacity(size);
            out.extend_from_slice(&prefix);
            // The records in the batch's order (one file: the same text as unsplit).
            let mut members: Vec<usize> =
                gs.iter().flat_map(|&gi| groups[gi].iter().copied()).collect();
            members.sort_unstable();
            let count = members.len();
            for (n, i) in members.into_iter().enumerate() {
                if n > 0 {
                    out.push(b',');
                }
                out.extend_from_slice(&std::mem::take(&mut written[i]));
            }
            out.extend_from_slice(&suffix);
            let name = if n == 1 {
                base.clone()
            } else {
                let stem = base.strip_suffix(".json").unwrap_or(&base);
                format!("{stem}-第{}份共{n}份.json", k + 1)
            };
            SharePart {
                name,
                over_limit: out.len() > limit,
                text: String::from_utf8(out).expect("serde_json writes UTF-8"),
                households: gs.len(),
                records: count,
            }
        })
        .collect();
    SplitExport { parts, missing }
}

/// The record with every empty `data` filled from `bytes` (and an empty `sha256` and
/// `bytes` set from them), or `None` when none is empty (write it as it is). An attachment
/// `bytes` has nothing for is reported in `missing`.
fn filled(
    h: &Household,
    bytes: &dyn Fn(Uuid) -> Option<Vec<u8>>,
    missing: &mut Vec<MissingBytes>,
) -> Option<Household> {
    if h.attachments.iter().all(|a| !a.data.is_empty()) {
        return None;
    }
    let mut full = h.clone();
    for a in &mut full.attachments {
        if !a.data.is_empty() {
            continue;
        }
        match bytes(a.id) {
            Some(b) => {
                a.data = crate::evidence::base64_encode(&b);
                if a.sha256.is_empty() {
                    a.sha256 = crate::evidence::sha256_hex(&b);
                }
                if a.bytes.is_none() {
                    a.bytes = Some(b.len() as u64);
                }
            }
            None => missing.push(MissingBytes {
                record: h.id,
                attachment: a.id,
                label: format!(
                    "{}的{}",
                    crate::evidence::household_label(h),
                    crate::evidence::attachment_label(a)
                ),
            }),
        }
    }
    Some(full)
}

/// The `computed` block of [`with_computed`], borrowing the evaluation.
#[derive(Serialize)]
struct ComputedOut<'a> {
    #[serde(serialize_with = "crate::evaluation::opt_decimal::serialize")]
    total_income: Option<rust_decimal::Decimal>,
    #[serde(serialize_with = "crate::evaluation::opt_decimal::serialize")]
    per_capita_net: Option<rust_decimal::Decimal>,
    evaluation: &'a Evaluation,
}

/// Appends `json::to_vec(&with_computed(h, eval))` to `out`, without cloning `h`: the record
/// is serialised as it is (`record` is a reusable buffer) and the `computed` field put where
/// `Household` writes it — after every other field, before the unknown keys (flattened last).
/// A record this cannot be done for exactly (no tag, a `computed` of its own, unknown keys
/// not where expected) is written the plain way.
fn write_with_computed(out: &mut Vec<u8>, record: &mut Vec<u8>, h: &Household, eval: &Evaluation) {
    let plain = |out: &mut Vec<u8>| out.extend_from_slice(&json::to_vec(&with_computed(h, eval)));
    if h.format != HOUSEHOLD_FORMAT || h.computed.is_some() {
        return plain(out);
    }
    record.clear();
    json::append(record, h);
    // The record ends with `,"key":value…}` for its unknown keys (the map's own entries), or `}`.
    let extra = if h.extra.is_empty() { Vec::new() } else { json::to_vec(&h.extra) };
    let entries = if extra.len() > 2 { &extra[1..extra.len() - 1] } else { &[][..] };
    let tail = if entries.is_empty() { 1 } else { entries.len() + 2 };
    let at = record.len().saturating_sub(tail);
    let fits = record.len() > tail
        && record.last() == Some(&b'}')
        && (entries.is_empty()
            || (record[at] == b',' && &record[at + 1..record.len() - 1] == entries));
    if !fits {
        return plain(out);
    }
    out.extend_from_slice(&record[..at]);
    out.extend_from_slice(b",\"computed\":");
    let computed = ComputedOut {
        total_income: eval.total_income,
        per_capita_net: eval.per_capita_net,
        evaluation: eval,
    };
    json::append(out, &computed);
    out.extend_from_slice(&record[at..]);
}

/// A file name a person recognises and that names no person (a file name is not sealed, and
/// travels in every chat it is sent to): `额尔和乡-额尔和村-2023-02-20-1户.json` for one
/// record, `额尔和乡-额尔和村-2023-02-20-12户.json` for several in one village,
/// `额尔和乡-2023-02-20-35户.json` across villages. Only characters safe in file names.
pub fn export_file_name(records: &[Household], date: NaiveDate) -> String {
    fn common<'a>(
        records: &'a [Household],
        f: impl Fn(&'a Household) -> &'a str,
    ) -> Option<&'a str> {
        let first = f(records.first()?);
        (!first.is_empty() && records.iter().all(|h| f(h) == first)).then_some(first)
    }
    let township = common(records, |h| h.address.township.as_str());
    let village = township.and(common(records, |h| h.address.village.as_str()));
    let mut parts: Vec<String> = Vec::new();
    match township {
        Some(t) => parts.push(safe_part(t)),
        None => parts.push("入户记录".into()),
    }
    if let Some(v) = village {
        parts.push(safe_part(v));
    }
    parts.push(date.format("%Y-%m-%d").to_string());
    // The count only: never the head's name (issue 14).
    parts.push(format!("{}户", records.len()));
    let name: Vec<String> = parts.into_iter().filter(|p| !p.is_empty()).collect();
    format!("{}.json", name.join("-"))
}

/// Keeps letters, digits, CJK and `_`/`·`; drops path separators, reserved and control
/// characters and spaces; at most 24 characters.
pub(crate) fn safe_part(s: &str) -> String {
    s.chars().filter(|c| c.is_alphanumeric() || matches!(c, '_' | '·')).take(24).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::io::test_support::household;
    use crate::io::{previous_visits, read_export};

    /// `write_batch` as it was written before splicing: every record cloned with its
    /// `computed` block as a JSON tree, the whole file serialised at once.
    fn write_batch_cloning(
        records: &[Household],
        policy: &Policy,
        at: DateTime<FixedOffset>,
        today: NaiveDate,
    ) -> String {
        let index = crate::followup::people_index(records);
        let previous = previous_visits(records);
        let out = records
            .iter()
            .zip(&previous)
            .map(|(h, prev)| {
                let mut ctx = Context::new(policy, today);
                ctx.people_elsewhere = Some(&index);
                ctx.previous = prev.map(|i| &records[i]);
                with_computed(h, &rules::evaluate(h, ctx))
            })
            .collect();
        let file = ExportFile {
            format: EXPORT_FORMAT.into(),
            exported_at: Some(Timestamp(at)),
            policy: Some(policy.clone()),
            records: out,
            extra: Extra::new(),
        };
        json::to_string(&file)
    }

    #[test]
    fn write_batch_splices_the_same_bytes() {
        let mut hs = crate::sample::households(80, 3, 2023);
        hs[0].extra.insert("app_note".into(), serde_json::json!({ "a": [1, 2], "b": "}" }));
        hs[0].extra.insert("z".into(), Value::Null);
        hs[1].format.clear();
        hs[2].computed = Some(serde_json::json!({ "x": 1 }));
        hs[3].previous_id = Some(hs[4].id);
        hs[5].extra.insert("computed".into(), serde_json::json!("an unknown key of that name"));
        hs[6].members.clear();
        hs[7].income.wage = Some(crate::money::Money::parse("abc"));
        let policy = Policy::shipped(2023);
        let at = DateTime::parse_from_rfc3339("2023-02-21T08:00:00+08:00").unwrap();
        let today = crate::sample::today();
        assert_eq!(
            write_batch(&hs, &policy, at, today),
            write_batch_cloning(&hs, &policy, at, today)
        );
        assert_eq!(
            write_batch(&hs[..1], &policy, at, today),
            write_batch_cloning(&hs[..1], &policy, at, today)
        );
        assert_eq!(
            write_batch(&[], &policy, at, today),
            write_batch_cloning(&[], &policy, at, today)
        );
    }

    #[test]
    fn batch_round_trip_with_computed() {
        let hs = vec![household(1, "额尔和村", "张伟"), household(2, "额尔和村", "敖文明")];
        let policy = Policy::shipped(2023);
        let at = DateTime::parse_from_rfc3339("2023-02-21T08:00:00+08:00").unwrap();
        let text = write_batch(&hs, &policy, at, NaiveDate::from_ymd_opt(2023, 3, 1).unwrap());
        let v: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(v["format"], EXPORT_FORMAT);
        assert_eq!(v["exported_at"], "2023-02-21T08:00:00+08:00");
        assert_eq!(v["policy"]["monitoring_line"], "7000");
        let c = &v["records"][1]["computed"];
        assert_eq!(c["total_income"], "0.00");
        assert_eq!(c["per_capita_net"], "0.00");
        assert_eq!(c["evaluation"]["record_id"], "00000000-0000-0000-0000-000000000002");
        let file = read_export(&text).unwrap();
        assert_eq!(file.records, hs);
        assert_eq!(file.policy, Some(policy));
        assert_eq!(file.exported_at, Some(Timestamp(at)));
    }

    #[test]
    fn write_record_writes_the_tag_and_money_as_strings() {
        let mut h = household(1, "额尔和村", "张伟");
        h.format.clear();
        h.income.wage = Some(crate::money::Money::parse("12000"));
        let v: Value = serde_json::from_str(&write_record(&h)).unwrap();
        assert_eq!(v["format"], HOUSEHOLD_FORMAT);
        assert_eq!(v["income"]["wage"], "12000.00");
        assert!(v.get("computed").is_none());
        assert!(write_record(&h).contains("张伟"), "CJK is written as is, not escaped");
    }

    #[test]
    fn file_names() {
        let d = NaiveDate::from_ymd_opt(2023, 2, 20).unwrap();
        let a = household(1, "额尔和村", "张伟");
        assert_eq!(
            export_file_name(std::slice::from_ref(&a), d),
            "额尔和乡-额尔和村-2023-02-20-1户.json"
        );
        let many: Vec<Household> = (0..12).map(|i| household(i, "额尔和村", "某")).collect();
        assert_eq!(export_file_name(&many, d), "额尔和乡-额尔和村-2023-02-20-12户.json");
        let mut mixed = many.clone();
        mixed[3].address.village = "西瓦尔图村".into();
        assert_eq!(export_file_name(&mixed, d), "额尔和乡-2023-02-20-12户.json");
        mixed[4].address.township = "腾克镇".into();
        assert_eq!(export_file_name(&mixed, d), "入户记录-2023-02-20-12户.json");
        assert_eq!(export_file_name(&[], d), "入户记录-2023-02-20-0户.json");
        let mut odd = household(1, "额尔和/村", "张 伟:*?");
        odd.address.township = "..\\额尔和乡".into();
        let name = export_file_name(std::slice::from_ref(&odd), d);
        assert_eq!(name, "额尔和乡-额尔和村-2023-02-20-1户.json");
        assert!(!name.contains("张") && !name.contains("伟"), "no person's name: {name}");
        let mut nameless = household(1, "", "");
        nameless.members.clear();
        assert_eq!(
            export_file_name(std::slice::from_ref(&nameless), d),
            "额尔和乡-2023-02-20-1户.json"
        );
    }
}
