//! A byte scanner over a batch's text: where each record is as written, without its
//! `computed` member ([`batch_records_as_written`]). The import uses it to find exact copies
//! of stored records by comparing bytes instead of encoding every incoming record.

/// Where each record of a batch's text is, without its `computed` member: for every element
/// of the top-level `records` array, two byte ranges of `bytes` whose concatenation is the
/// record as written, minus `,"computed":…` (so, for a file the app exported, the very bytes
/// the store keeps for that record: `json::to_vec` of it). `None` when the text is not a
/// top-level object with a `records` array of objects, or a key is written with escapes.
///
/// A cheap scan (strings, nesting), not a parse: call it on a text that [`read_bytes`](super::read_bytes) read.
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

#[cfg(test)]
mod tests {
    use chrono::DateTime;
    use serde_json::Value;

    use super::*;
    use crate::io::{parse_household, read_bytes, write_batch};
    use crate::json;
    use crate::policy::Policy;

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
}
