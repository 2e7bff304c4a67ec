//! Reading and writing record files: one `ruhu.household/1` record or a `ruhu.export/1`
//! batch (`household-format.md`). Plain Rust on text and bytes, no file system: the CLI and
//! the web app both use it.
//!
//! Reading refuses, with a Chinese message and the JSON path of the cause, anything that is
//! not a record of a format version we know. It drops each record's `computed` block (the
//! app recomputes it) and keeps unknown keys (the record types hold them in `extra`).
//! Writing puts money as 2-decimal strings and adds the `computed` block on export.

use std::fmt;

use chrono::{DateTime, FixedOffset, NaiveDate};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::evaluation::Evaluation;
use super::json;
use super::policy::Policy;
use super::reads::{object_reader, read_as, Plain};
use super::record::{Extra, Household, Timestamp, HOUSEHOLD_FORMAT};
use super::rules::{self, Context};

/// The version tag of a batch file.
pub const EXPORT_FORMAT: &str = "ruhu.export/1";

/// Inputs larger than this are refused before parsing (a batch of a whole township with
/// photos stays well below it).
pub const MAX_INPUT_BYTES: usize = 64 * 1024 * 1024;

/// Why a text could not be read: the JSON path of the cause (may be empty) and a Chinese
/// message. Displays as `path: message`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadError {
    pub path: String,
    pub message: String,
}

impl ReadError {
    fn new(path: impl Into<String>, message: impl Into<String>) -> ReadError {
        ReadError { path: path.into(), message: message.into() }
    }
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.is_empty() {
            f.write_str(&self.message)
        } else {
            write!(f, "{}: {}", self.path, self.message)
        }
    }
}

impl std::error::Error for ReadError {}

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
    /// `null_is_empty`.
    NullIsEmpty: Vec<Household> = null_is_empty
);
object_reader!(ExportFile required(format) { format: Plain, exported_at: Plain, policy: Plain, records: NullIsEmpty });

/// `"records": null` reads as no records.
fn null_is_empty<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Vec<Household>, D::Error> {
    Ok(Option::<Vec<Household>>::deserialize(d)?.unwrap_or_default())
}

/// Which kind of file a `format` tag names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Household,
    Export,
}

/// Checks a `format` tag: a known name with major version 1 (`/1`, `/1.1`, `/1.2.0`).
fn check_format(tag: &str, path: &str) -> Result<Kind, ReadError> {
    let (name, version) = tag.split_once('/').unwrap_or((tag, ""));
    let (kind, expected) = match name {
        "ruhu.household" => (Kind::Household, HOUSEHOLD_FORMAT),
        "ruhu.export" => (Kind::Export, EXPORT_FORMAT),
        _ => {
            return Err(ReadError::new(
                path,
                format!("未知的格式 \"{tag}\"（本程序读取单户记录 {HOUSEHOLD_FORMAT} 或批量文件 {EXPORT_FORMAT}）"),
            ))
        }
    };
    let mut parts = version.split('.');
    let major_ok = parts.next() == Some("1");
    let minor_ok = parts.all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()));
    if major_ok && minor_ok {
        Ok(kind)
    } else {
        Err(ReadError::new(path, format!("不支持的格式版本 \"{tag}\"（本程序支持 {expected}）")))
    }
}

fn json_kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "是/否值",
        Value::Number(_) => "数字",
        Value::String(_) => "字符串",
        Value::Array(_) => "列表",
        Value::Object(_) => "对象",
    }
}

/// Reads the bytes of a file: refuses what is too large or not UTF-8 text (with a hint for
/// the usual suspects: an Excel workbook, a GBK or UTF-16 text), then [`read_export`].
pub fn read_bytes(bytes: &[u8]) -> Result<ExportFile, ReadError> {
    check_size(bytes.len())?;
    if bytes.starts_with(b"PK\x03\x04") {
        return Err(ReadError::new("", "这是压缩包或 Excel 表格（.xlsx），不是入户记录 JSON 文件"));
    }
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return Err(ReadError::new("", "文件是 UTF-16 编码，请另存为 UTF-8 编码的 JSON 文件"));
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => read_export(text),
        Err(e) => {
            let before = &bytes[..e.valid_up_to()];
            let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
            Err(ReadError::new(
                "",
                format!("不是 UTF-8 编码的文本（第 {line} 行有无法识别的字节），可能是 GBK 编码或二进制文件；入户记录文件应为 UTF-8 编码的 JSON"),
            ))
        }
    }
}

/// Where each record of a batch's text is, without its `computed` member: for every element
/// of the top-level `records` array, two byte ranges of `bytes` whose concatenation is the
/// record as written, minus `,"computed":…` (so, for a file the app exported, the very bytes
/// the store keeps for that record: `json::to_vec` of it). `None` when the text is not a
/// top-level object with a `records` array of objects, or a key is written with escapes.
///
/// A cheap scan (strings, nesting), not a parse: call it on a text that [`read_bytes`] read.
/// It lets the import find an exact copy of a stored record by comparing bytes, without
/// encoding the incoming record; bytes that differ prove nothing (the caller then compares
/// the encoded record).
pub fn batch_records_as_written(bytes: &[u8]) -> Option<Vec<[std::ops::Range<usize>; 2]>> {
    let mut i = skip_ws(bytes, 0);
    if bytes.strip_prefix(b"\xEF\xBB\xBF").is_some() {
        i = skip_ws(bytes, 3);
    }
    if bytes.get(i) != Some(&b'{') {
        return None;
    }
    i += 1;
    loop {
        i = skip_ws(bytes, i);
        match bytes.get(i)? {
            b'}' => return None,
            b',' => i = skip_ws(bytes, i + 1),
            _ => {}
        }
        let (key, after) = scan_key(bytes, i)?;
        i = after;
        if key == b"records" {
            return records_spans(bytes, i);
        }
        i = skip_value(bytes, i)?;
    }
}

/// The elements of the array at `i` (objects), each without its `computed` member.
fn records_spans(bytes: &[u8], mut i: usize) -> Option<Vec<[std::ops::Range<usize>; 2]>> {
    if bytes.get(i) != Some(&b'[') {
        return None;
    }
    i += 1;
    let mut out = Vec::new();
    loop {
        i = skip_ws(bytes, i);
        match bytes.get(i)? {
            b']' => return Some(out),
            b',' => i = skip_ws(bytes, i + 1),
            _ => {}
        }
        if bytes.get(i) != Some(&b'{') {
            return None;
        }
        let start = i;
        i += 1;
        // The members: `(key start, value end)`, and which one is `computed`.
        let mut previous_end = None;
        let mut computed = None;
        loop {
            i = skip_ws(bytes, i);
            match bytes.get(i)? {
                b'}' => break,
                b',' => i = skip_ws(bytes, i + 1),
                _ => {}
            }
            let key_start = i;
            let (key, after) = scan_key(bytes, i)?;
            let end = skip_value(bytes, after)?;
            if key == b"computed" && computed.is_none() {
                computed = Some((previous_end, key_start, end));
            }
            previous_end = Some(end);
            i = end;
        }
        i += 1;
        out.push(match computed {
            // `…,"computed":{…}…`: from the comma before it to the end of its value.
            Some((Some(prev), _, end)) => [start..prev, end..i],
            // The first member: from its key to the next member's key (or the end).
            Some((None, key_start, end)) => {
                let next = skip_ws(bytes, end);
                let next =
                    if bytes.get(next) == Some(&b',') { skip_ws(bytes, next + 1) } else { next };
                [start..key_start, next..i]
            }
            None => [start..i, i..i],
        });
    }
}

fn skip_ws(bytes: &[u8], mut i: usize) -> usize {
    while matches!(bytes.get(i), Some(b' ' | b'\n' | b'\r' | b'\t')) {
        i += 1;
    }
    i
}

/// A key without escapes at `i` and the position of its value (after the colon).
fn scan_key(bytes: &[u8], i: usize) -> Option<(&[u8], usize)> {
    if bytes.get(i) != Some(&b'"') {
        return None;
    }
    let end = skip_string(bytes, i)?;
    let key = &bytes[i + 1..end - 1];
    if key.contains(&b'\\') {
        return None;
    }
    let colon = skip_ws(bytes, end);
    (bytes.get(colon) == Some(&b':')).then(|| (key, skip_ws(bytes, colon + 1)))
}

/// The end of the string starting at `i` (just after its closing quote).
fn skip_string(bytes: &[u8], mut i: usize) -> Option<usize> {
    i += 1;
    loop {
        let at = bytes.get(i..)?.iter().position(|&b| b == b'"' || b == b'\\')?;
        i += at;
        if bytes[i] == b'"' {
            return Some(i + 1);
        }
        i += 2;
    }
}

/// The end of the value starting at `i`.
fn skip_value(bytes: &[u8], mut i: usize) -> Option<usize> {
    match bytes.get(i)? {
        b'"' => skip_string(bytes, i),
        b'{' | b'[' => {
            let mut depth = 0usize;
            loop {
                match bytes.get(i)? {
                    b'"' => {
                        i = skip_string(bytes, i)?;
                        continue;
                    }
                    b'{' | b'[' => depth += 1,
                    b'}' | b']' => {
                        depth -= 1;
                        if depth == 0 {
                            return Some(i + 1);
                        }
                    }
                    _ => {}
                }
                i += 1;
            }
        }
        _ => {
            while !matches!(
                bytes.get(i),
                None | Some(b',' | b'}' | b']' | b' ' | b'\n' | b'\r' | b'\t')
            ) {
                i += 1;
            }
            Some(i)
        }
    }
}

fn check_size(len: usize) -> Result<(), ReadError> {
    if len > MAX_INPUT_BYTES {
        let mb = len as f64 / (1024.0 * 1024.0);
        return Err(ReadError::new(
            "",
            format!(
                "文件过大（{mb:.1} MB），超过 {} MB 的上限；请分村或分批导出",
                MAX_INPUT_BYTES / (1024 * 1024)
            ),
        ));
    }
    Ok(())
}

/// Reads a batch file or a single record (decided by its `format`) into the records.
pub fn read_records(text: &str) -> Result<Vec<Household>, ReadError> {
    read_export(text).map(|e| e.records)
}

/// Reads a batch file or a single record (decided by its `format`). A single record comes
/// back as a batch of one without `exported_at` and `policy`.
///
/// A well-formed batch whose every record carries its tag — every file the app writes — is
/// read in one typed pass, the tags checked on the result. Anything else (a single record,
/// an untagged record, any error) goes the careful way, `read_checked`, whose first pass
/// checks the syntax and the tags before the typed one, so that a file of an unknown version
/// is refused for its version, whatever else is wrong in it. Both ways accept and refuse the
/// same files with the same messages; the quick one only saves a pass over a batch.
pub fn read_export(text: &str) -> Result<ExportFile, ReadError> {
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

/// [`read_export`] in two passes: a cheap one ([`Peek`]) that checks the syntax and the
/// format tags (of the file and of each record in a batch) and skips everything else, then
/// the typed one ([`parse`]), which names the JSON path of any type or code error.
fn read_checked(text: &str) -> Result<ExportFile, ReadError> {
    let peek: Peek =
        serde_json::from_str(text).map_err(|e| ReadError::new("", syntax_message(&e, text)))?;
    if peek.kind != OBJECT {
        return Err(ReadError::new(
            "",
            format!("不是入户记录：文件内容是{}，应为一个对象（{{…}}），含 \"format\": \"{HOUSEHOLD_FORMAT}\"", peek.kind),
        ));
    }
    let kind = match &peek.format {
        None => {
            return Err(ReadError::new(
                "format",
                format!("缺少 format 键，不是入户记录文件（应为 \"{HOUSEHOLD_FORMAT}\" 或 \"{EXPORT_FORMAT}\"）"),
            ))
        }
        Some(Value::String(tag)) => check_format(tag, "format")?,
        Some(other) => {
            return Err(ReadError::new("format", format!("应为字符串（如 \"{HOUSEHOLD_FORMAT}\"），实际是{}", json_kind(other))))
        }
    };
    match kind {
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
            match &peek.records {
                Some(RecordsPeek::NotList(kind)) => {
                    return Err(ReadError::new(
                        "records",
                        format!("应为记录的列表（[…]），实际是{kind}"),
                    ));
                }
                Some(RecordsPeek::Items(items)) => {
                    for (i, item) in items.iter().enumerate() {
                        let path = format!("records[{i}]");
                        if item.kind != OBJECT {
                            return Err(ReadError::new(
                                path,
                                format!("应为一户的记录（对象），实际是{}", item.kind),
                            ));
                        }
                        // A record inside a batch may leave out its own tag; one that has it
                        // must be a household record of a version we know.
                        if let Some(tag) = &item.format {
                            let fpath = format!("{path}.format");
                            let Value::String(tag) = tag else {
                                return Err(ReadError::new(
                                    fpath,
                                    format!(
                                        "应为字符串（如 \"{HOUSEHOLD_FORMAT}\"），实际是{}",
                                        json_kind(tag)
                                    ),
                                ));
                            };
                            if check_format(tag, &fpath)? != Kind::Household {
                                return Err(ReadError::new(fpath, format!("批量文件中的每条记录应为 {HOUSEHOLD_FORMAT}，这里是 \"{tag}\"")));
                            }
                        }
                    }
                }
                None => {}
            }
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
    let peek: Peek =
        serde_json::from_str(text).map_err(|e| ReadError::new("", syntax_message(&e, text)))?;
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

/// The one way the core reads typed JSON: `serde_json` over a byte slice (see
/// [`crate::json`] for why there is only one). The first error comes back with its JSON
/// path (from the reader's position, [`json::path_at`]) and a Chinese message.
pub fn parse<T: for<'de> Deserialize<'de>>(bytes: &[u8]) -> Result<T, ReadError> {
    serde_json::from_slice(bytes).map_err(|e| {
        if e.is_syntax() || e.is_eof() {
            return ReadError::new("", syntax_message(&e, &String::from_utf8_lossy(bytes)));
        }
        let inner = e.to_string();
        // serde_json appends " at line L column C" to data errors; the path says where.
        let inner = inner.rsplit_once(" at line ").map(|(m, _)| m.to_string()).unwrap_or(inner);
        let (path, message) = data_message(&inner, json::path_at(bytes, e.line(), e.column()));
        ReadError::new(path, message)
    })
}

const OBJECT: &str = "对象";

/// What the first pass learns of a file: the kind of the top value, its `format`, and for a
/// batch the kind and `format` of each record; everything else is skipped unparsed.
struct Peek {
    kind: &'static str,
    format: Option<Value>,
    records: Option<RecordsPeek>,
}

enum RecordsPeek {
    NotList(&'static str),
    Items(Vec<ItemPeek>),
}

struct ItemPeek {
    kind: &'static str,
    format: Option<Value>,
}

/// A visitor that notes the kind of a JSON value and, for an object, its `format` (and, when
/// `records` is wanted, the records' kinds and tags).
struct KindVisitor {
    want_records: bool,
}

/// What [`KindVisitor`] saw.
struct Seen {
    kind: &'static str,
    format: Option<Value>,
    records: Option<RecordsPeek>,
}

impl Seen {
    fn of(kind: &'static str) -> Seen {
        Seen { kind, format: None, records: None }
    }
}

impl<'de> serde::de::Visitor<'de> for KindVisitor {
    type Value = Seen;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_bool<E>(self, _: bool) -> Result<Seen, E> {
        Ok(Seen::of("是/否值"))
    }
    fn visit_i64<E>(self, _: i64) -> Result<Seen, E> {
        Ok(Seen::of("数字"))
    }
    fn visit_u64<E>(self, _: u64) -> Result<Seen, E> {
        Ok(Seen::of("数字"))
    }
    fn visit_f64<E>(self, _: f64) -> Result<Seen, E> {
        Ok(Seen::of("数字"))
    }
    fn visit_str<E>(self, _: &str) -> Result<Seen, E> {
        Ok(Seen::of("字符串"))
    }
    fn visit_unit<E>(self) -> Result<Seen, E> {
        Ok(Seen::of("null"))
    }
    fn visit_none<E>(self) -> Result<Seen, E> {
        Ok(Seen::of("null"))
    }
    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Seen, A::Error> {
        while seq.next_element::<serde::de::IgnoredAny>()?.is_some() {}
        Ok(Seen::of("列表"))
    }
    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Seen, A::Error> {
        let mut seen = Seen::of(OBJECT);
        while let Some(key) = map.next_key::<std::borrow::Cow<'de, str>>()? {
            match &*key {
                "format" => seen.format = Some(map.next_value()?),
                "records" if self.want_records => {
                    seen.records = Some(map.next_value::<RecordsPeekSeed>()?.0)
                }
                _ => {
                    map.next_value::<serde::de::IgnoredAny>()?;
                }
            }
        }
        Ok(seen)
    }
}

impl<'de> Deserialize<'de> for Peek {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Peek, D::Error> {
        let seen = d.deserialize_any(KindVisitor { want_records: true })?;
        Ok(Peek { kind: seen.kind, format: seen.format, records: seen.records })
    }
}

impl<'de> Deserialize<'de> for ItemPeek {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<ItemPeek, D::Error> {
        let seen = d.deserialize_any(KindVisitor { want_records: false })?;
        Ok(ItemPeek { kind: seen.kind, format: seen.format })
    }
}

/// `records`: a list of items to peek at, or the kind of whatever else it is (`null` is no records).
struct RecordsPeekSeed(RecordsPeek);

impl<'de> Deserialize<'de> for RecordsPeekSeed {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<RecordsPeekSeed, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = RecordsPeek;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a list of records")
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                mut seq: A,
            ) -> Result<RecordsPeek, A::Error> {
                let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0));
                while let Some(item) = seq.next_element::<ItemPeek>()? {
                    items.push(item);
                }
                Ok(RecordsPeek::Items(items))
            }
            fn visit_unit<E>(self) -> Result<RecordsPeek, E> {
                Ok(RecordsPeek::Items(Vec::new()))
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<RecordsPeek, A::Error> {
                while map.next_entry::<serde::de::IgnoredAny, serde::de::IgnoredAny>()?.is_some() {}
                Ok(RecordsPeek::NotList(OBJECT))
            }
            fn visit_bool<E>(self, _: bool) -> Result<RecordsPeek, E> {
                Ok(RecordsPeek::NotList("是/否值"))
            }
            fn visit_i64<E>(self, _: i64) -> Result<RecordsPeek, E> {
                Ok(RecordsPeek::NotList("数字"))
            }
            fn visit_u64<E>(self, _: u64) -> Result<RecordsPeek, E> {
                Ok(RecordsPeek::NotList("数字"))
            }
            fn visit_f64<E>(self, _: f64) -> Result<RecordsPeek, E> {
                Ok(RecordsPeek::NotList("数字"))
            }
            fn visit_str<E>(self, _: &str) -> Result<RecordsPeek, E> {
                Ok(RecordsPeek::NotList("字符串"))
            }
        }
        d.deserialize_any(V).map(RecordsPeekSeed)
    }
}

/// A serde_json syntax error in Chinese, with its line and column.
fn syntax_message(e: &serde_json::Error, text: &str) -> String {
    use serde_json::error::Category;
    let (line, col) = (e.line(), e.column());
    if e.classify() == Category::Eof {
        if text.trim().is_empty() {
            return "文件是空的，不是入户记录".into();
        }
        return format!(
            "文件不完整：在第 {line} 行第 {col} 列意外结束（可能是保存或传输时被截断）"
        );
    }
    let start = text.trim_start();
    if !start.starts_with(['{', '[', '"', '-', 't', 'f', 'n'])
        && !start.starts_with(|c: char| c.is_ascii_digit())
    {
        let line = start.lines().next().unwrap_or("");
        let head: String = line.chars().take(20).filter(|c| !c.is_control()).collect();
        let more = if start.chars().count() > head.chars().count() { "…" } else { "" };
        return format!("不是 JSON 文件（开头是“{head}{more}”）；入户记录文件是 {HOUSEHOLD_FORMAT} 或 {EXPORT_FORMAT} 格式的 JSON");
    }
    let full = e.to_string();
    let bare = full.rsplit_once(" at line ").map(|(m, _)| m).unwrap_or(&full);
    let what = match bare {
        "expected value" => {
            "此处应为一个值（对象、列表、字符串、数字、true、false 或 null）".to_string()
        }
        "expected ident" => "无效的字面量（应为 true、false 或 null）".into(),
        "expected `:`" => "此处应为冒号 “:”".into(),
        "expected `,` or `}`" => "此处应为逗号 “,” 或 “}”".into(),
        "expected `,` or `]`" => "此处应为逗号 “,” 或 “]”".into(),
        "key must be a string" => "键必须是带双引号的字符串".into(),
        "trailing comma" => "多余的逗号".into(),
        "trailing characters" => "JSON 结束后还有多余的内容".into(),
        "recursion limit exceeded" => "嵌套层数过深".into(),
        "invalid escape" => "无效的转义序列（反斜杠 \\ 后的字符不对）".into(),
        "invalid number" => "无效的数字".into(),
        "number out of range" => "数字超出范围".into(),
        "control character (\\u0000-\\u001F) found while parsing a string" => {
            "字符串中有控制字符（如未转义的换行）".into()
        }
        m if m.contains("unicode") || m.contains("surrogate") => "无效的 Unicode 转义".into(),
        m => format!("语法错误（{m}）"),
    };
    format!("不是有效的 JSON：第 {line} 行第 {col} 列，{what}")
}

/// A serde data error in Chinese. A missing field's path names the field itself.
fn data_message(msg: &str, path: String) -> (String, String) {
    let last = path.rsplit('.').next().unwrap_or("").to_string();
    if let Some(field) = msg.strip_prefix("missing field `").and_then(|r| r.strip_suffix('`')) {
        let path = if path.is_empty() { field.to_string() } else { format!("{path}.{field}") };
        return (path, "缺少必填项".into());
    }
    if let Some(field) = msg.strip_prefix("duplicate field `").and_then(|r| r.strip_suffix('`')) {
        return (path, format!("键 \"{field}\" 出现了两次"));
    }
    for (prefix, kind) in [("invalid type: ", "类型不对"), ("invalid value: ", "取值不对")]
    {
        if let Some(rest) = msg.strip_prefix(prefix) {
            if let Some((got, expected)) = rest.rsplit_once(", expected ") {
                return (
                    path,
                    format!("{kind}：应为{}，实际是 {}", expected_text(expected), got_text(got)),
                );
            }
        }
    }
    if msg.starts_with("UUID parsing failed") {
        return (path, "不是有效的 UUID（如 \"6f1c2d3e-4b5a-4c6d-8e7f-901a2b3c4d5e\"）".into());
    }
    const CHRONO: [&str; 7] = [
        "input is out of range",
        "no possible date and time matching input",
        "input is not enough for unique date and time",
        "input contains invalid characters",
        "premature end of input",
        "trailing input",
        "bad or unsupported format string",
    ];
    if CHRONO.contains(&msg) {
        let what = if last.ends_with("_at") {
            "不是有效的时间（应为 RFC 3339 格式，如 \"2023-02-20T09:12:00+08:00\"）"
        } else {
            "不是有效的日期（应为 YYYY-MM-DD，如 \"2023-02-20\"）"
        };
        return (path, what.into());
    }
    (path, msg.to_string())
}

fn expected_text(e: &str) -> String {
    match e {
        "a boolean" => "是/否（true 或 false）".into(),
        "a string" => "字符串".into(),
        "a sequence" => "列表（[…]）".into(),
        "a map" => "对象（{…}）".into(),
        "u8" | "u16" | "u32" | "u64" | "usize" => "非负整数".into(),
        "i8" | "i16" | "i32" | "i64" | "isize" => "整数".into(),
        "f32" | "f64" => "数字".into(),
        e if e.starts_with("struct ") => "对象（{…}）".into(),
        e if e.starts_with("a code of ") => "代码（字符串）".into(),
        e if e.contains("UUID") || e.contains("uuid") => "UUID 字符串".into(),
        e if e.contains("formatted date") || e.contains("date string") => "日期字符串".into(),
        e => e.into(),
    }
}

fn got_text(g: &str) -> String {
    let inner = |p: &str| g.strip_prefix(p).map(|r| r.trim_matches('`').to_string());
    if g == "null" {
        return "null（空）".into();
    }
    if g == "map" {
        return "对象".into();
    }
    if g == "sequence" {
        return "列表".into();
    }
    if let Some(b) = inner("boolean ") {
        return b;
    }
    if let Some(n) = inner("integer ").or_else(|| inner("floating point ")) {
        return format!("数字 {n}");
    }
    if let Some(s) = g.strip_prefix("string ") {
        return format!("字符串 {s}");
    }
    g.to_string()
}

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
    let index = super::followup::people_index(records);
    let previous = previous_visits(records);
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
    #[serde(serialize_with = "super::evaluation::opt_decimal::serialize")]
    total_income: Option<rust_decimal::Decimal>,
    #[serde(serialize_with = "super::evaluation::opt_decimal::serialize")]
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

/// The household's previous visit among `records` (for `income-drop`): the record named by
/// `previous_id`, else the latest earlier visit of the same household.
pub fn previous_visit<'a>(records: &'a [Household], h: &Household) -> Option<&'a Household> {
    if let Some(prev) = h.previous_id.and_then(|p| records.iter().find(|r| r.id == p)) {
        return Some(prev);
    }
    let date = h.visit.date?;
    records
        .iter()
        .filter(|r| r.household_id == h.household_id && r.id != h.id)
        .filter(|r| r.visit.date.is_some_and(|d| d < date))
        .max_by_key(|r| r.visit.date)
}

/// [`previous_visit`] for every record at once (index into `records`), without comparing
/// every pair: records are grouped by household first.
pub fn previous_visits(records: &[Household]) -> Vec<Option<usize>> {
    let mut by_household: std::collections::HashMap<uuid::Uuid, Vec<usize>> =
        std::collections::HashMap::new();
    let mut by_id: std::collections::HashMap<uuid::Uuid, usize> = std::collections::HashMap::new();
    for (i, h) in records.iter().enumerate() {
        by_household.entry(h.household_id).or_default().push(i);
        by_id.entry(h.id).or_insert(i);
    }
    records
        .iter()
        .map(|h| {
            if let Some(&i) = h.previous_id.and_then(|p| by_id.get(&p)) {
                return Some(i);
            }
            let date = h.visit.date?;
            by_household[&h.household_id]
                .iter()
                .copied()
                .filter(|&i| {
                    records[i].id != h.id && records[i].visit.date.is_some_and(|d| d < date)
                })
                .max_by_key(|&i| records[i].visit.date)
        })
        .collect()
}

/// A file name a person recognises: `额尔和乡-额尔和村-2023-02-20-张伟.json` for one
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
    match records {
        [one] => parts.push(safe_part(one.head_name())),
        many => parts.push(format!("{}户", many.len())),
    }
    let name: Vec<String> = parts.into_iter().filter(|p| !p.is_empty()).collect();
    format!("{}.json", name.join("-"))
}

/// Keeps letters, digits, CJK and `_`/`·`; drops path separators, reserved and control
/// characters and spaces; at most 24 characters.
fn safe_part(s: &str) -> String {
    s.chars().filter(|c| c.is_alphanumeric() || matches!(c, '_' | '·')).take(24).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::{Member, Relation};
    use uuid::Uuid;

    fn household(n: u128, village: &str, head: &str) -> Household {
        let now = DateTime::parse_from_rfc3339("2023-02-20T09:12:00+08:00").unwrap();
        let d = NaiveDate::from_ymd_opt(2023, 2, 20).unwrap();
        let mut h = Household::new(Uuid::from_u128(n), Uuid::from_u128(n + 1000), now, d);
        h.address.village = village.into();
        let mut m = Member::new(Uuid::from_u128(n + 2000));
        m.name = head.into();
        m.relation = Some(Relation::Head);
        h.members.push(m);
        h
    }

    fn record_json(extra: &str) -> String {
        format!(
            r#"{{"format":"ruhu.household/1","id":"00000000-0000-0000-0000-000000000001",
            "household_id":"00000000-0000-0000-0000-000000000002","revision":1,"status":"draft",
            "created_at":"2023-02-20T09:12:00+08:00","updated_at":"2023-02-20T09:12:00+08:00"{extra}}}"#
        )
    }

    #[test]
    fn reads_a_single_record_and_drops_computed() {
        let text = record_json(r#","computed":{"total_income":"1"},"future_key":[1,2]"#);
        let rs = read_records(&text).unwrap();
        assert_eq!(rs.len(), 1);
        assert_eq!(rs[0].computed, None);
        assert_eq!(rs[0].extra.get("future_key"), Some(&serde_json::json!([1, 2])));
        assert_eq!(rs[0].id, Uuid::from_u128(1));
    }

    #[test]
    fn format_versions() {
        let minor = record_json("").replace("ruhu.household/1", "ruhu.household/1.1");
        let rs = read_records(&minor).unwrap();
        assert_eq!(rs[0].format, HOUSEHOLD_FORMAT, "a minor version is read as version 1");
        let e = read_records(&record_json("").replace("ruhu.household/1", "ruhu.household/2"))
            .unwrap_err();
        assert_eq!(
            e.to_string(),
            r#"format: 不支持的格式版本 "ruhu.household/2"（本程序支持 ruhu.household/1）"#
        );
        let e = read_records(&record_json("").replace("ruhu.household/1", "ruhu.household/1.x"))
            .unwrap_err();
        assert!(e.message.contains("不支持的格式版本"), "{e}");
        let e =
            read_records(&record_json("").replace("ruhu.household/1", "something/1")).unwrap_err();
        assert!(e.message.starts_with("未知的格式 \"something/1\""), "{e}");
        let e = read_records(&record_json("").replace(r#""format":"ruhu.household/1","#, ""))
            .unwrap_err();
        assert_eq!(e.path, "format");
        assert!(e.message.contains("缺少 format"), "{e}");
        let e = read_records(&record_json("").replace(r#""ruhu.household/1""#, "1")).unwrap_err();
        assert!(e.message.contains("应为字符串"), "{e}");
    }

    #[test]
    fn not_json_not_object() {
        let e = read_records("{\n  \"format\": \"ruhu.household/1\",\n  \"id\": ,\n}").unwrap_err();
        assert_eq!(e.path, "");
        assert!(e.message.contains("第 3 行第 9 列"), "{e}");
        let e = read_records("户主姓名,身份证号\n张伟,1507").unwrap_err();
        assert!(e.message.starts_with("不是 JSON 文件（开头是“户主姓名,身份证号…”）"), "{e}");
        let e = read_records("").unwrap_err();
        assert!(e.message.contains("空"), "{e}");
        let e = read_records(r#"{"format": "ruhu.household/1", "id": "#).unwrap_err();
        assert!(e.message.contains("不完整"), "{e}");
        let e = read_records("[1, 2]").unwrap_err();
        assert!(e.message.contains("列表"), "{e}");
        // Deeply nested junk is refused without exhausting the stack.
        let deep = "[".repeat(100_000);
        let e = read_records(&deep).unwrap_err();
        assert!(e.message.contains("不完整"), "{e}");
        let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
        let e = read_records(&deep).unwrap_err();
        assert!(e.message.contains("列表"), "{e}");
        let deep = format!(
            r#"{{"format": "ruhu.household/1", "extra": {}{}}}"#,
            "[".repeat(100_000),
            "]".repeat(100_000)
        );
        let e = read_records(&deep).unwrap_err();
        assert!(e.message.contains("嵌套层数过深"), "{e}");
    }

    #[test]
    fn refuses_huge_input_cheaply() {
        let big = " ".repeat(MAX_INPUT_BYTES + 1);
        let e = read_records(&big).unwrap_err();
        assert!(e.message.contains("文件过大"), "{e}");
        let e = read_bytes(b"PK\x03\x04rest").unwrap_err();
        assert!(e.message.contains("Excel"), "{e}");
        let e = read_bytes(b"{\"a\":\n\"\xd5\xc5\xce\xb0\"}").unwrap_err();
        assert!(e.message.contains("UTF-8") && e.message.contains("第 2 行"), "{e}");
    }

    #[test]
    fn paths_of_type_and_code_errors() {
        let bad_member = r#","members":[{"id":"00000000-0000-0000-0000-000000000003","relation":"head"},
            {"id":"00000000-0000-0000-0000-000000000004","relation":"boss"}]"#;
        let batch = format!(
            r#"{{"format":"ruhu.export/1","exported_at":"2023-02-21T08:00:00+08:00","records":[{},{}]}}"#,
            record_json(""),
            record_json(bad_member)
        );
        let e = read_records(&batch).unwrap_err();
        assert_eq!(e.to_string(), r#"records[1].members[1].relation: 未知的代码 "boss""#);

        let e = read_records(&record_json(r#","income":{"wage":true}"#)).unwrap_err();
        assert_eq!(e.path, "income.wage");
        assert!(e.message.starts_with("类型不对") && e.message.contains("true"), "{e}");
        let e = read_records(&record_json(r#","elimination":{"months":-3}"#)).unwrap_err();
        assert_eq!(e.path, "elimination.months");
        assert!(e.message.contains("非负整数"), "{e}");
        let e = read_records(&record_json(r#","visit":{"date":"2023-02-30"}"#)).unwrap_err();
        assert_eq!(e.path, "visit.date");
        assert!(e.message.contains("YYYY-MM-DD"), "{e}");
        let e = read_records(
            &record_json("").replace(r#""id":"00000000-0000-0000-0000-000000000001","#, ""),
        )
        .unwrap_err();
        assert_eq!((e.path.as_str(), e.message.as_str()), ("id", "缺少必填项"));
        let e =
            read_records(&record_json("").replace("00000000-0000-0000-0000-000000000001", "abc"))
                .unwrap_err();
        assert_eq!(e.path, "id");
        assert!(e.message.contains("UUID"), "{e}");
    }

    #[test]
    fn batch_record_formats() {
        let batch = |r: String| format!(r#"{{"format":"ruhu.export/1.3","records":[{r}]}}"#);
        let untagged = record_json("").replace(r#""format":"ruhu.household/1","#, "");
        assert_eq!(read_records(&batch(untagged)).unwrap().len(), 1);
        let v2 = record_json("").replace("ruhu.household/1", "ruhu.household/2");
        assert_eq!(read_records(&batch(v2)).unwrap_err().path, "records[0].format");
        let nested = record_json("").replace("ruhu.household/1", "ruhu.export/1");
        assert!(read_records(&batch(nested)).unwrap_err().message.contains("批量文件中的每条记录"));
        let e = read_records(r#"{"format":"ruhu.export/1","records":{}}"#).unwrap_err();
        assert_eq!(e.path, "records");
        let e = read_records(r#"{"format":"ruhu.export/1","records":[3]}"#).unwrap_err();
        assert_eq!(e.path, "records[0]");
        assert!(read_records(r#"{"format":"ruhu.export/1","records":[]}"#).unwrap().is_empty());
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

    /// The pieces of each record without `computed` (`batch_records_as_written`).
    fn as_written(text: &str) -> Option<Vec<Vec<u8>>> {
        let b = text.as_bytes();
        batch_records_as_written(b)
            .map(|v| v.into_iter().map(|[a, c]| [&b[a], &b[c]].concat()).collect())
    }

    #[test]
    fn records_as_written_are_the_stored_bytes() {
        // An exported batch: each record without `computed` is exactly what the store keeps.
        let mut hs = crate::sample::households(60, 3, 2023);
        hs[0].extra.insert("app_note".into(), serde_json::json!({ "a": [1, "]}\"{"], "b": "}" }));
        hs[3].previous_id = Some(hs[4].id);
        hs[5].extra.insert("计算".into(), serde_json::json!("x"));
        hs[6].members.clear();
        let policy = Policy::shipped(2023);
        let at = DateTime::parse_from_rfc3339("2023-02-21T08:00:00+08:00").unwrap();
        let text = write_batch(&hs, &policy, at, crate::sample::today());
        let read = read_bytes(text.as_bytes()).unwrap().records;
        let written = as_written(&text).unwrap();
        assert_eq!(written.len(), read.len());
        for (w, r) in written.iter().zip(&read) {
            assert_eq!(*w, json::to_vec(r));
            assert_eq!(parse_household(w).unwrap(), *r);
        }
        // Pretty text: other bytes, but still each record without its `computed` member.
        let pretty = json::to_string_pretty(&serde_json::from_str::<Value>(&text).unwrap());
        let written = as_written(&pretty).unwrap();
        for (w, r) in written.iter().zip(&read) {
            assert_ne!(*w, json::to_vec(r));
            assert_eq!(parse_household(w).unwrap(), *r);
        }
        // `computed` first, last, alone, absent; other keys before `records`; a BOM.
        let t = "\u{feff} {\"format\":\"x\",\"policy\":{\"records\":[1]},\"records\":[{\"computed\":{\"a\":[]},\"id\":1} , {\"id\":2,\"computed\":null}, {\"computed\":\"}\"},{\"id\":\"\\\"\"}], \"z\":0}";
        let b = batch_records_as_written(t.as_bytes()).unwrap();
        let got: Vec<String> =
            b.iter().map(|[a, c]| format!("{}{}", &t[a.clone()], &t[c.clone()])).collect();
        assert_eq!(got, ["{\"id\":1}", "{\"id\":2}", "{}", "{\"id\":\"\\\"\"}"]);
        // Not a batch, or not one this can tell.
        for t in [
            "[]",
            "{\"records\":5}",
            "{\"records\":[1]}",
            "{\"rec\\u006frds\":[]}",
            "{\"records\":[{\"a\":",
            "{\"format\":1}",
        ] {
            assert_eq!(batch_records_as_written(t.as_bytes()), None, "{t}");
        }
        assert_eq!(batch_records_as_written(b"{\"records\":[]}"), Some(Vec::new()));
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

    #[test]
    fn file_names() {
        let d = NaiveDate::from_ymd_opt(2023, 2, 20).unwrap();
        let a = household(1, "额尔和村", "张伟");
        assert_eq!(
            export_file_name(std::slice::from_ref(&a), d),
            "额尔和乡-额尔和村-2023-02-20-张伟.json"
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
        assert_eq!(name, "额尔和乡-额尔和村-2023-02-20-张伟.json");
        let mut nameless = household(1, "", "");
        nameless.members.clear();
        assert_eq!(
            export_file_name(std::slice::from_ref(&nameless), d),
            "额尔和乡-2023-02-20.json"
        );
    }

    #[test]
    fn previous_visit_by_id_or_date() {
        let a = household(1, "额尔和村", "张伟");
        let mut later = a.clone();
        later.id = Uuid::from_u128(99);
        later.visit.date = NaiveDate::from_ymd_opt(2023, 8, 1);
        let b = household(2, "霍日里村", "郭建华");
        let all = [a.clone(), b.clone(), later.clone()];
        assert_eq!(previous_visit(&all, &later).map(|h| h.id), Some(a.id));
        assert_eq!(previous_visit(&all, &a), None);
        let mut linked = later.clone();
        linked.previous_id = Some(b.id);
        assert_eq!(previous_visit(&all, &linked).map(|h| h.id), Some(b.id), "previous_id wins");
        assert_eq!(previous_visits(&all), vec![None, None, Some(0)]);
        let all = [a.clone(), b, later, linked];
        assert_eq!(previous_visits(&all), vec![None, None, Some(0), Some(1)]);
    }
}
