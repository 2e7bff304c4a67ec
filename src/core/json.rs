//! One way out to JSON for the record types, and helpers built on it.
//!
//! Every distinct serde serializer or deserializer a type is used with is a separate copy of
//! that type's serde code in the WebAssembly build (for `Household`, tens of KB each). So the
//! core writes JSON in exactly one way — compact, into a `Vec<u8>` ([`to_vec`]) — and reads
//! records in exactly one way ([`crate::core::io::parse`]: serde_path_to_error over a
//! `serde_json` slice reader). Pretty text and `Value` trees are made from those bytes.

use serde::Serialize;
use serde_json::Value;

/// Compact JSON bytes: the one serializer the record types are used with.
pub fn to_vec<T: Serialize + ?Sized>(v: &T) -> Vec<u8> {
    serde_json::to_vec(v).expect("record types always serialise (string keys, no failing impls)")
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
