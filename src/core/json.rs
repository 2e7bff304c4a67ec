//! One way out to JSON for the record types, and helpers built on it.
//!
//! Every distinct serde serializer or deserializer a type is used with is a separate copy of
//! that type's serde code in the WebAssembly build (for `Household`, tens of KB each). So the
//! core writes JSON in exactly one way — compact, into a `Vec<u8>` ([`to_vec`]) — and reads
//! records in exactly one way ([`crate::io::parse`]: `serde_json` over a byte slice, the
//! JSON path of an error found from the reader's position by [`path_at`]). Pretty text and
//! `Value` trees are made from those bytes.

use serde::Serialize;
use serde_json::Value;

/// Compact JSON bytes: the one serializer the record types are used with.
pub fn to_vec<T: Serialize + ?Sized>(v: &T) -> Vec<u8> {
    serde_json::to_vec(v).expect("record types always serialise (string keys, no failing impls)")
}

/// Appends the compact JSON of `v` to `out` (the same serializer as [`to_vec`]: `to_vec`
/// is this into a new vector).
pub fn append<T: Serialize + ?Sized>(out: &mut Vec<u8>, v: &T) {
    serde_json::to_writer(out, v)
        .expect("record types always serialise (string keys, no failing impls)")
}

/// Compact JSON text.
pub fn to_string<T: Serialize + ?Sized>(v: &T) -> String {
    String::from_utf8(to_vec(v)).expect("serde_json writes UTF-8")
}

/// The JSON tree of a value (through its bytes, so no second serializer is compiled in).
pub fn to_value<T: Serialize + ?Sized>(v: &T) -> Value {
    serde_json::from_slice(&to_vec(v)).expect("serde_json reads what it wrote")
}

/// Pretty JSON text with a final newline (files meant to be read by people too).
pub fn to_string_pretty<T: Serialize + ?Sized>(v: &T) -> String {
    let mut s = serde_json::to_string_pretty(&to_value(v)).expect("JSON values always serialise");
    s.push('\n');
    s
}

/// The JSON path (`records[1].members[1].relation`) of the value at a `serde_json` error
/// position (1-based line, column in bytes): where the reader was when a value turned out
/// to be wrong. The reader reports its position just after the value it rejected, and
/// before the comma that would end it, so the innermost open key or index is the path.
///
/// This is how the core names the path of a type or code error without a path-tracking
/// deserializer (which would be a second, larger copy of the record code in the wasm build).
pub fn path_at(bytes: &[u8], line: usize, column: usize) -> String {
    // The byte offset of (line, column).
    let mut offset = 0;
    let mut l = 1;
    while l < line && offset < bytes.len() {
        if bytes[offset] == b'\n' {
            l += 1;
        }
        offset += 1;
    }
    let end = (offset + column).min(bytes.len());

    enum Frame {
        Object { key: Option<String>, reading_key: bool },
        Array { index: usize },
    }
    let mut stack: Vec<Frame> = Vec::new();
    let mut i = 0;
    while i < end {
        match bytes[i] {
            b'{' => stack.push(Frame::Object { key: None, reading_key: true }),
            b'[' => stack.push(Frame::Array { index: 0 }),
            b'}' | b']' => {
                stack.pop();
            }
            b':' => {
                if let Some(Frame::Object { reading_key, .. }) = stack.last_mut() {
                    *reading_key = false;
                }
            }
            b',' => match stack.last_mut() {
                Some(Frame::Object { key, reading_key }) => {
                    *key = None;
                    *reading_key = true;
                }
                Some(Frame::Array { index }) => *index += 1,
                None => {}
            },
            b'"' => {
                let start = i + 1;
                i += 1;
                while i < bytes.len() && bytes[i] != b'"' {
                    i += if bytes[i] == b'\\' { 2 } else { 1 };
                }
                if let Some(Frame::Object { key, reading_key: true }) = stack.last_mut() {
                    let raw = &bytes[start..i.min(bytes.len())];
                    *key = Some(if raw.contains(&b'\\') {
                        let mut quoted = Vec::with_capacity(raw.len() + 2);
                        quoted.push(b'"');
                        quoted.extend_from_slice(raw);
                        quoted.push(b'"');
                        serde_json::from_slice::<String>(&quoted)
                            .unwrap_or_else(|_| String::from_utf8_lossy(raw).into_owned())
                    } else {
                        String::from_utf8_lossy(raw).into_owned()
                    });
                }
            }
            _ => {}
        }
        i += 1;
    }
    let mut path = String::new();
    for frame in &stack {
        match frame {
            Frame::Object { key: Some(k), .. } => {
                if !path.is_empty() {
                    path.push('.');
                }
                path.push_str(k);
            }
            Frame::Object { key: None, .. } => {}
            Frame::Array { index } => {
                path.push('[');
                path.push_str(&index.to_string());
                path.push(']');
            }
        }
    }
    path
}

#[cfg(test)]
mod tests {
    use super::path_at;

    /// The path at the error serde_json reports for `T` reading `text`.
    fn error_path<T: serde::de::DeserializeOwned + std::fmt::Debug>(text: &str) -> String {
        let e = serde_json::from_str::<T>(text).unwrap_err();
        path_at(text.as_bytes(), e.line(), e.column())
    }

    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code)]
    struct Outer {
        records: Vec<Inner>,
    }
    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code)]
    struct Inner {
        id: u32,
        #[serde(default)]
        tags: Vec<bool>,
        #[serde(default, rename = "we\"ird")]
        weird: Option<u8>,
    }

    #[test]
    fn paths_of_errors() {
        assert_eq!(error_path::<Outer>(r#"{"records":[{"id":1},{"id":"x"}]}"#), "records[1].id");
        assert_eq!(
            error_path::<Outer>("{\"records\": [\n {\"id\": 1, \"tags\": [true, 3]}\n]}"),
            "records[0].tags[1]"
        );
        assert_eq!(
            error_path::<Outer>(r#"{"records":[{"id":1},{"tags":[]}]}"#),
            "records[1]",
            "a missing field: the object"
        );
        assert_eq!(
            error_path::<Outer>(r#"{"records":[{"we\"ird": 300, "id": 1}]}"#),
            "records[0].we\"ird"
        );
        assert_eq!(error_path::<Outer>(r#"{"records": 5}"#), "records");
        assert_eq!(
            error_path::<Outer>(r#"{"x": "a,b:{[", "records": [{"id": -1}]}"#),
            "records[0].id"
        );
    }
}
