//! What a file is, before it is read: the format tags (`ruhu.household/1`, `ruhu.export/1`,
//! minor versions such as `/1.1` accepted, other major versions refused), the size limit,
//! the bytes that are not a UTF-8 text (an Excel workbook, GBK, UTF-16), and the cheap first
//! pass (`Peek`) that checks the syntax and every tag of a batch before the typed read, so
//! that a file of an unknown version is refused for its version and not for a type error
//! further in. The messages are Chinese ([`super::messages`]).

use std::fmt;

use serde::Deserialize;
use serde_json::Value;

use crate::record::HOUSEHOLD_FORMAT;

use super::messages::{syntax_message, ReadError};

/// The version tag of a batch file.
pub const EXPORT_FORMAT: &str = "ruhu.export/1";

/// Inputs larger than this are refused before parsing (a batch of a whole township with
/// photos stays well below it).
pub const MAX_INPUT_BYTES: usize = 64 * 1024 * 1024;

/// The first line of an ASCII-armoured age file (a sealed file, [`crate::seal`]).
pub const ARMOR_BEGIN: &str = "-----BEGIN AGE ENCRYPTED FILE-----";
/// The last line of an ASCII-armoured age file.
pub const ARMOR_END: &str = "-----END AGE ENCRYPTED FILE-----";
/// The first line of a binary age file (`age` without `-a`).
pub const AGE_BINARY_MAGIC: &[u8] = b"age-encryption.org/v1\n";

/// Whether `bytes` are a sealed file (age, armoured or binary), whatever its content: the
/// armour's first line (after a byte-order mark or blank space a text editor may add) or the
/// binary header. Needs no feature: a page that cannot open one still says what it is.
pub fn is_sealed(bytes: &[u8]) -> bool {
    let b = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let start = b.iter().take(1024).position(|c| !c.is_ascii_whitespace()).unwrap_or(0);
    let b = &b[start..];
    b.starts_with(ARMOR_BEGIN.as_bytes()) || b.starts_with(AGE_BINARY_MAGIC)
}

/// The message of a sealed file given to a reader of plain files.
pub const SEALED_MESSAGE: &str = "此文件已加密（age），需要乡镇私钥才能打开";

/// Refuses an input larger than [`MAX_INPUT_BYTES`].
pub(super) fn check_size(len: usize) -> Result<(), ReadError> {
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

/// The text of a file's bytes: refuses what is too large or not UTF-8 text, with a hint for
/// the usual suspects (an Excel workbook, a GBK or UTF-16 text).
pub(crate) fn text(bytes: &[u8]) -> Result<&str, ReadError> {
    check_size(bytes.len())?;
    if is_sealed(bytes) {
        return Err(ReadError::new("", SEALED_MESSAGE));
    }
    if bytes.starts_with(b"PK\x03\x04") {
        return Err(ReadError::new("", "这是压缩包或 Excel 表格（.xlsx），不是入户记录 JSON 文件"));
    }
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return Err(ReadError::new("", "文件是 UTF-16 编码，请另存为 UTF-8 编码的 JSON 文件"));
    }
    std::str::from_utf8(bytes).map_err(|e| {
        let before = &bytes[..e.valid_up_to()];
        let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
        ReadError::new(
            "",
            format!("不是 UTF-8 编码的文本（第 {line} 行有无法识别的字节），可能是 GBK 编码或二进制文件；入户记录文件应为 UTF-8 编码的 JSON"),
        )
    })
}

/// The first pass over a text ([`Peek`]): its syntax, that it is an object, and its `format`
/// tag; for a batch also that `records` is a list of objects whose tags (where given) are
/// household records of a version we know. Everything else is skipped unparsed, so that a
/// file of an unknown version is refused for its version whatever else is wrong in it.
pub(super) fn detect(text: &str) -> Result<Kind, ReadError> {
    let peek = peek(text)?;
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
    if kind == Kind::Export {
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
                            return Err(ReadError::new(
                                fpath,
                                format!(
                                    "批量文件中的每条记录应为 {HOUSEHOLD_FORMAT}，这里是 \"{tag}\""
                                ),
                            ));
                        }
                    }
                }
            }
            None => {}
        }
    }
    Ok(kind)
}

/// [`Peek`] at a text; a syntax error comes back in Chinese with its line and column.
pub(super) fn peek(text: &str) -> Result<Peek, ReadError> {
    serde_json::from_str(text).map_err(|e| ReadError::new("", syntax_message(&e, text)))
}

/// Which kind of file a `format` tag names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    Household,
    Export,
}

/// Checks a `format` tag: a known name with major version 1 (`/1`, `/1.1`, `/1.2.0`).
pub(super) fn check_format(tag: &str, path: &str) -> Result<Kind, ReadError> {
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

pub(super) fn json_kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "是/否值",
        Value::Number(_) => "数字",
        Value::String(_) => "字符串",
        Value::Array(_) => "列表",
        Value::Object(_) => "对象",
    }
}

pub(super) const OBJECT: &str = "对象";

/// What the first pass learns of a file: the kind of the top value, its `format`, and for a
/// batch the kind and `format` of each record; everything else is skipped unparsed.
pub(super) struct Peek {
    pub(super) kind: &'static str,
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::io::test_support::record_json;
    use crate::io::{read_bytes, read_records};

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
    fn refuses_huge_input_cheaply() {
        let big = " ".repeat(MAX_INPUT_BYTES + 1);
        let e = read_records(&big).unwrap_err();
        assert!(e.message.contains("文件过大"), "{e}");
        let e = read_bytes(b"PK\x03\x04rest").unwrap_err();
        assert!(e.message.contains("Excel"), "{e}");
        let e = read_bytes(b"age-encryption.org/v1\n-> X25519 abc\n").unwrap_err();
        assert_eq!(e.message, SEALED_MESSAGE);
        let armoured = format!("\u{feff}\r\n{ARMOR_BEGIN}\r\nYWdl\r\n{ARMOR_END}\r\n");
        assert!(is_sealed(armoured.as_bytes()));
        assert_eq!(read_bytes(armoured.as_bytes()).unwrap_err().message, SEALED_MESSAGE);
        assert!(!is_sealed(b"{\"format\":\"-----BEGIN AGE ENCRYPTED FILE-----\"}"));
        assert!(!is_sealed(b"age-encryption.org/v2\n"));
        let e = read_bytes(b"{\"a\":\n\"\xd5\xc5\xce\xb0\"}").unwrap_err();
        assert!(e.message.contains("UTF-8") && e.message.contains("第 2 行"), "{e}");
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
}
