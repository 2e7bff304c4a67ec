//! Writing record files: one record as pretty JSON ([`write_record`]), a `ruhu.export/1`
//! batch with every record's `computed` block ([`write_batch`], which runs the engine with the
//! same cross-record context as the CLI: the people index and each record's previous visit
//! from [`crate::visits`]), and a file name a person recognises ([`export_file_name`]).
//! Money is written as 2-decimal strings.

use chrono::{DateTime, FixedOffset, NaiveDate};
use serde::Serialize;
use serde_json::Value;

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
    let index = crate::followup::people_index(records);
    let previous = crate::visits::previous_of_each(records);
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
    let mut out = Vec::with_capacity(frame.len() + records.len() * 4608);
    out.extend_from_slice(&frame[..at]);
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
    out.extend_from_slice(&frame[at..]);
    // Compact: export files travel through WeChat and are read by programs; compact JSON is
    // about half the size of pretty JSON and twice as fast to write and read.
    String::from_utf8(out).expect("serde_json writes UTF-8")
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
