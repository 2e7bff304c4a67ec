//! Reader errors in Chinese: [`ReadError`] (the JSON path of the cause and a message a
//! surveyor can act on) and [`parse`], the one way the core reads typed JSON, which turns
//! `serde_json`'s English errors into such messages (`records[1].members[1].relation: 未知的代码
//! "boss"`, `不是有效的 JSON：第 3 行第 9 列，此处应为一个值…`).
//!
//! This module depends on nothing of `io` but [`crate::json::path_at`]: [`crate::policy`]
//! reads policy files with [`parse`] without depending on the `io` façade, and the façade's
//! readers use it too (no cycle: `policy → io::messages → json`, `io::read → policy`).

use std::fmt;

use serde::Deserialize;

use crate::json;
use crate::record::HOUSEHOLD_FORMAT;

use super::detect::EXPORT_FORMAT;

/// Why a text could not be read: the JSON path of the cause (may be empty) and a Chinese
/// message. Displays as `path: message`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadError {
    pub path: String,
    pub message: String,
}

impl ReadError {
    pub(crate) fn new(path: impl Into<String>, message: impl Into<String>) -> ReadError {
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

/// A serde_json syntax error in Chinese, with its line and column.
pub(super) fn syntax_message(e: &serde_json::Error, text: &str) -> String {
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

#[cfg(test)]
mod tests {
    use crate::io::read_records;
    use crate::io::test_support::record_json;

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
}
