//! Reading a record file: one `ruhu.household/1` record or a `ruhu.export/1` batch
//! ([`ExportFile`]), from bytes ([`read_bytes`]) or text ([`read_export`], [`read_records`]),
//! one record as the store keeps it ([`parse_household`]), and policy files
//! ([`read_policy`]). What the file is comes first ([`super::detect`]); every refusal is a
//! [`ReadError`] in Chinese ([`super::messages`]).

use serde::{Deserialize, Serialize};

use crate::policy::Policy;
use crate::reads::{object_reader, read_as, Plain};
use crate::record::{Extra, Household, Timestamp, HOUSEHOLD_FORMAT};

use super::detect::{check_format, check_size, detect, peek, text, Kind, EXPORT_FORMAT, OBJECT};
use super::messages::{parse, ReadError};

/// A batch file `ruhu.export/1`: the records and the policy their evaluations used.
/// (Read by [`object_reader!`], as the record's objects are.)
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ExportFile {
    /// Always `ruhu.export/1` when written.
    pub format: String,
    /// When the file was written (RFC 3339 with offset).
    #[serde(default)]
    pub exported_at: Option<Timestamp>,
    /// The parameters the exported evaluations used.
    #[serde(default)]
    pub policy: Option<Policy>,
    #[serde(default, deserialize_with = "null_is_empty")]
    pub records: Vec<Household>,
    /// Unknown keys, kept.
    #[serde(flatten)]
    pub extra: Extra,
}

impl Default for ExportFile {
    fn default() -> Self {
        ExportFile {
            format: String::new(),
            exported_at: None,
            policy: None,
            records: Vec::new(),
            extra: Extra::new(),
        }
    }
}

read_as!(
    /// Read with `null_is_empty`.
    NullIsEmpty: Vec<Household> = null_is_empty
);
object_reader!(ExportFile required(format) { format: Plain, exported_at: Plain, policy: Plain, records: NullIsEmpty });

/// `"records": null` reads as no records.
fn null_is_empty<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Vec<Household>, D::Error> {
    Ok(Option::<Vec<Household>>::deserialize(d)?.unwrap_or_default())
}

/// Reads the bytes of a file: refuses what is too large or not UTF-8 text (with a hint for
/// the usual suspects: an Excel workbook, a GBK or UTF-16 text), then [`read_export`].
pub fn read_bytes(bytes: &[u8]) -> Result<ExportFile, ReadError> {
    read_export(text(bytes)?)
}

/// [`read_bytes`] without the attachments' check ([`verify_attachments`]): for `ruhu
/// validate`, which lists every attachment's problem instead of refusing the file.
pub fn read_bytes_unverified(bytes: &[u8]) -> Result<ExportFile, ReadError> {
    read_export_unverified(text(bytes)?)
}

/// Reads a batch file or a single record (decided by its `format`) into the records.
pub fn read_records(text: &str) -> Result<Vec<Household>, ReadError> {
    read_export(text).map(|e| e.records)
}

/// Reads a batch file or a single record (decided by its `format`). A single record comes
/// back as a batch of one without `exported_at` and `policy`. The attachments are checked
/// ([`verify_attachments`]): one whose `data` is not base64, does not match its `sha256` or
/// is too large refuses the whole file, naming the household and the attachment.
pub fn read_export(text: &str) -> Result<ExportFile, ReadError> {
    let file = read_export_unverified(text)?;
    verify_attachments(&file)?;
    Ok(file)
}

/// Refuses a file with an attachment error ([`crate::evidence::check_attachments`], errors
/// only: `attachment-data-invalid`, `attachment-sha256-mismatch`, `attachment-too-large`):
/// the first one's path (`records[2].attachments[0].sha256`) and message, with how many
/// others there are. Warnings (a photo without `data`, …) do not refuse.
pub fn verify_attachments(file: &ExportFile) -> Result<(), ReadError> {
    let batch = file.records.len() != 1 || file.exported_at.is_some();
    let mut first: Option<ReadError> = None;
    let mut more = 0;
    for (i, h) in file.records.iter().enumerate() {
        if h.attachments.is_empty() {
            continue;
        }
        for d in crate::evidence::check_attachments(h) {
            if d.severity != crate::evaluation::Severity::Error {
                continue;
            }
            if first.is_some() {
                more += 1;
                continue;
            }
            let path = if batch { format!("records[{i}].{}", d.path) } else { d.path.clone() };
            first = Some(ReadError::new(path, d.message));
        }
    }
    match first {
        None => Ok(()),
        Some(mut e) => {
            if more > 0 {
                e.message.push_str(&format!("另有 {more} 处附件错误。"));
            }
            e.message.push_str("整个文件未读入。");
            Err(e)
        }
    }
}

/// [`read_export`] without the attachments' check.
///
/// A well-formed batch whose every record carries its tag — every file the app writes — is
/// read in one typed pass, the tags checked on the result. Anything else (a single record,
/// an untagged record, any error) goes the careful way, `read_checked`, whose first pass
/// checks the syntax and the tags before the typed one, so that a file of an unknown version
/// is refused for its version, whatever else is wrong in it. Both ways accept and refuse the
/// same files with the same messages; the quick one only saves a pass over a batch.
pub fn read_export_unverified(text: &str) -> Result<ExportFile, ReadError> {
    check_size(text.len())?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.trim_start().starts_with('{') {
        if let Ok(mut file) = serde_json::from_slice::<ExportFile>(text.as_bytes()) {
            let tagged = |tag: &str, kind: Kind| {
                !tag.is_empty() && check_format(tag, "").is_ok_and(|k| k == kind)
            };
            if tagged(&file.format, Kind::Export)
                && file.records.iter().all(|h| tagged(&h.format, Kind::Household))
            {
                file.format = EXPORT_FORMAT.to_string();
                for h in &mut file.records {
                    h.format = HOUSEHOLD_FORMAT.to_string();
                    h.computed = None;
                }
                return Ok(file);
            }
        }
    }
    read_checked(text)
}

/// [`read_export`] in two passes: a cheap one ([`detect`]) that checks the syntax and the
/// format tags (of the file and of each record in a batch) and skips everything else, then
/// the typed one ([`parse`]), which names the JSON path of any type or code error.
fn read_checked(text: &str) -> Result<ExportFile, ReadError> {
    match detect(text)? {
        Kind::Household => {
            let h = parse_household(text.as_bytes())?;
            Ok(ExportFile {
                format: EXPORT_FORMAT.to_string(),
                exported_at: None,
                policy: None,
                records: vec![h],
                extra: Extra::new(),
            })
        }
        Kind::Export => {
            let mut file: ExportFile = parse(text.as_bytes())?;
            file.format = EXPORT_FORMAT.to_string();
            for h in &mut file.records {
                h.format = HOUSEHOLD_FORMAT.to_string();
                h.computed = None;
            }
            Ok(file)
        }
    }
}

/// Reads a policy file (`rules.md`, *Policy*): `year` and `monitoring_line` required.
pub fn read_policy(text: &str) -> Result<Policy, ReadError> {
    check_size(text.len())?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let peek = peek(text)?;
    if peek.kind != OBJECT {
        return Err(ReadError::new(
            "",
            format!("政策参数文件应为一个对象（{{…}}），实际是{}", peek.kind),
        ));
    }
    let _: Policy = parse(text.as_bytes())?;
    // The same checks as the app's settings (line > 0, factor ≥ 1).
    Policy::from_json(text).map_err(|e| match e.split_once(": ") {
        Some((path, msg)) if !path.contains(' ') => ReadError::new(path, msg),
        _ => ReadError::new("", e),
    })
}

/// One record from its JSON bytes (as the store keeps it): `computed` dropped, the tag set.
/// Errors name the JSON path, in Chinese.
pub fn parse_household(bytes: &[u8]) -> Result<Household, ReadError> {
    let mut h: Household = parse(bytes)?;
    h.format = HOUSEHOLD_FORMAT.to_string();
    h.computed = None;
    Ok(h)
}

#[cfg(test)]
mod tests {
    use chrono::DateTime;
    use serde_json::Value;
    use uuid::Uuid;

    use super::*;
    use crate::io::test_support::record_json;
    use crate::io::{write_batch, write_record};
    use crate::json;

    #[test]
    fn reads_a_single_record_and_drops_computed() {
        let text = record_json(r#","computed":{"total_income":"1"},"future_key":[1,2]"#);
        let rs = read_records(&text).unwrap();
        assert_eq!(rs.len(), 1);
        assert_eq!(rs[0].computed, None);
        assert_eq!(rs[0].extra.get("future_key"), Some(&serde_json::json!([1, 2])));
        assert_eq!(rs[0].id, Uuid::from_u128(1));
    }

    /// The one-pass read of a batch gives exactly what the two-pass read gives, and every
    /// file it does not take (or that fails) goes the two-pass way, so refusals keep their
    /// order: a file of an unknown version is refused for its version first.
    #[test]
    fn quick_and_checked_reads_agree() {
        let hs = crate::sample::households(40, 3, 2023);
        let at = DateTime::parse_from_rfc3339("2023-02-21T08:00:00+08:00").unwrap();
        let text = write_batch(&hs, &Policy::shipped(2023), at, crate::sample::today());
        let pretty = json::to_string_pretty(&serde_json::from_str::<Value>(&text).unwrap());
        let untagged = text.replacen(r#""format":"ruhu.household/1","#, "", 1);
        let minor = text
            .replace("ruhu.household/1", "ruhu.household/1.2")
            .replace("ruhu.export/1", "ruhu.export/1.3");
        let extra_key = text.replacen('{', r#"{"app_batch_note":[1,{"a":null}],"#, 1);
        for (name, t) in [
            ("compact", &text),
            ("pretty", &pretty),
            ("untagged", &untagged),
            ("minor", &minor),
            ("extra", &extra_key),
        ] {
            let quick = read_export(t).unwrap_or_else(|e| panic!("{name}: {e}"));
            assert_eq!(quick, read_checked(t).unwrap(), "{name}");
            assert_eq!(quick.records.len(), hs.len(), "{name}");
            assert!(
                quick.records.iter().all(|h| h.format == HOUSEHOLD_FORMAT && h.computed.is_none()),
                "{name}"
            );
        }
        assert_eq!(read_export(&text).unwrap().records, hs);
        assert!(read_export(&extra_key).unwrap().extra.contains_key("app_batch_note"));

        // A newer record tag behind an older type error: the tag is what is reported.
        let second = text.match_indices(r#""format":"ruhu.household/1""#).nth(1).unwrap().0;
        assert!(
            text.find(r#""revision":"#).unwrap() < second,
            "the type error comes first in the file"
        );
        let mut bad = text.clone();
        let tag = r#""format":"ruhu.household/1""#;
        bad.replace_range(second..second + tag.len(), r#""format":"ruhu.household/2""#);
        let bad = bad.replacen(r#""revision":"#, r#""revision":"x","was":"#, 1);
        let e = read_export(&bad).unwrap_err();
        assert_eq!(
            (e.path.as_str(), e.message.starts_with("不支持的格式版本")),
            ("records[1].format", true),
            "{e}"
        );
        // A batch inside a batch: typed fine, refused for its tag.
        let nested =
            text.replacen(r#""format":"ruhu.household/1""#, r#""format":"ruhu.export/1""#, 1);
        assert!(read_export(&nested).unwrap_err().message.contains("批量文件中的每条记录"));
        // A single record: the same as before.
        let one = write_record(&hs[0]);
        assert_eq!(read_export(&one).unwrap().records, vec![hs[0].clone()]);
    }

    #[test]
    fn policy_files() {
        let p = read_policy(r#"{"year":2023,"monitoring_line":"7000"}"#).unwrap();
        assert_eq!(p.year, 2023);
        let e = read_policy(r#"{"year":2023}"#).unwrap_err();
        assert_eq!(e.to_string(), "monitoring_line: 缺少必填项");
        let e = read_policy(r#"{"year":2023,"monitoring_line":"-1"}"#).unwrap_err();
        assert_eq!(e.path, "monitoring_line");
        let e = read_policy(r#"{"year":"二〇二三","monitoring_line":"7000"}"#).unwrap_err();
        assert_eq!(e.path, "year");
        assert!(read_policy("[]").is_err());
    }
}
