//! How the IndexedDB store keeps values sealed with the app lock on (`store::vault`): every
//! value about people goes through here on its way in and out, so that plain and sealed
//! values are both read, and written as the vault's mode says.
//!
//! - `records` and `history`: the `json` bytes become the envelope (a `Uint8Array` that begins
//!   with `vault::MAGIC`), place `record/<record id>` for the record and each of its history
//!   entries (a state is copied from the record into its history as it is). The copies for
//!   indexes (`id`, `household_id`, `revision`, `updated_at`, `in_history`) stay plain: they
//!   name no person.
//! - `meta`: a record's marks (export mark, receipts, a standing conflict with the incoming
//!   record) and the app values (the home list's snapshot and its stamp, the roster page's
//!   file, files picked on the start page): a sealed value is a `Uint8Array` envelope at place
//!   `meta/<key>` whose plain text starts with one byte of kind — `j` JSON text (marks), `s` a
//!   string (`AppValues`), `v` a JS value in the small binary form below (app objects). Plain
//!   values are JS objects and strings, as before the lock; `~generation` (a random token) is
//!   never sealed.
//!
//! The binary form of a JS value (`v`): a tag byte, then — 0 `undefined`, 1 `null`, 2 false,
//! 3 true, 4 a number (f64, little-endian), 5 a string (u32 length, UTF-8), 6 a `Uint8Array`
//! (u32 length, bytes), 7 an array (u32 count, values), 8 an object (u32 count, then key
//! string and value each), 9 a `File` (name, type, lastModified, bytes). Files are read
//! (`arrayBuffer()`) before the write's transaction opens; reading gives new `File`s with the
//! same name, type, date and bytes.

use js_sys::{Array, Object, Uint8Array};
use wasm_bindgen::{JsCast, JsValue};

use std::collections::HashMap;

use super::{js_failed, record_id, AsRead, StoreError, WRITTEN_PREFIX};
use crate::core::record::Household;
use crate::store::vault;

/// The vault's place of a record's JSON (the record and its history entries).
pub(super) fn record_place(id: &str) -> String {
    format!("record/{id}")
}

fn meta_place(key: &str) -> String {
    format!("meta/{key}")
}

/// A record's JSON as it is to be stored: sealed when the lock is on.
pub(super) fn record_json(id: &str, plain: &[u8]) -> Result<Uint8Array, StoreError> {
    if !cfg!(feature = "vault") {
        // The start page's bundle has no cipher (nothing below is compiled into it).
        return Ok(Uint8Array::from(plain));
    }
    Ok(match vault::seal(&record_place(id), plain)? {
        Some(envelope) => Uint8Array::from(envelope.as_slice()),
        None => Uint8Array::from(plain),
    })
}

fn is_sealed_array(bytes: &Uint8Array) -> bool {
    bytes.length() >= 4 && {
        let mut head = [0u8; 4];
        bytes.subarray(0, 4).copy_to(&mut head);
        vault::is_sealed(&head)
    }
}

/// The plain JSON of every sealed record value among `values` (by index), opened all at once
/// through WebCrypto (`vault::web`); empty when WebCrypto does not hold the key (then each is
/// opened in Rust as it is read).
pub(super) async fn open_many(values: &Array) -> Result<HashMap<usize, Vec<u8>>, StoreError> {
    if !vault::web_held() {
        return Ok(HashMap::new());
    }
    #[cfg(feature = "vault")]
    {
        let json = JsValue::from_str("json");
        let mut at = Vec::new();
        let mut items = Vec::new();
        for (i, v) in values.iter().enumerate() {
            let j = js_sys::Reflect::get(&v, &json).map_err(js_failed)?;
            if let Some(bytes) = j.dyn_ref::<Uint8Array>().filter(|b| is_sealed_array(b)) {
                at.push(i);
                items.push((record_place(&record_id(&v)?), bytes.clone()));
            }
        }
        if items.is_empty() {
            return Ok(HashMap::new());
        }
        let plain = vault::web::open_all(&items).await?;
        Ok(at.into_iter().zip(plain).collect())
    }
    #[cfg(not(feature = "vault"))]
    {
        let _ = (values, record_id);
        Ok(HashMap::new())
    }
}

/// The sealed JSON of each record of a write of many (an import) with the lock on, all at
/// once through WebCrypto before the write's transaction opens; `None` otherwise (then each
/// is sealed in Rust as it is written).
pub(super) async fn seal_many(
    records: &[Household],
    as_read: &[AsRead<'_>],
) -> Result<Option<Vec<Uint8Array>>, StoreError> {
    if records.len() <= 16 || !vault::sealing() || !vault::web_held() {
        return Ok(None);
    }
    #[cfg(feature = "vault")]
    {
        let mut buffer = Vec::new();
        let items: Vec<(String, Uint8Array)> = records
            .iter()
            .enumerate()
            .map(|(i, r)| {
                let plain = match as_read.get(i).copied().flatten() {
                    Some([a, b]) if a.starts_with(WRITTEN_PREFIX) => {
                        let json = Uint8Array::new_with_length((a.len() + b.len()) as u32);
                        json.subarray(0, a.len() as u32).copy_from(a);
                        json.subarray(a.len() as u32, (a.len() + b.len()) as u32).copy_from(b);
                        json
                    }
                    _ => {
                        buffer.clear();
                        crate::core::json::append(&mut buffer, r);
                        Uint8Array::from(&buffer[..])
                    }
                };
                (record_place(&r.id.to_string()), plain)
            })
            .collect();
        vault::web::seal_all(&items).await.map(Some)
    }
    #[cfg(not(feature = "vault"))]
    {
        let _ = (as_read, WRITTEN_PREFIX);
        Ok(None)
    }
}

/// A stored `json` (a record's or a history entry's) as the current mode stores it: sealed
/// while sealing, plain while opening; `None` when it already is.
pub(super) fn refit_json(id: &str, json: &JsValue) -> Result<Option<JsValue>, StoreError> {
    if !cfg!(feature = "vault") {
        return Ok(None);
    }
    let Some(bytes) = json.dyn_ref::<Uint8Array>() else {
        // Text (an old form): stored as bytes, sealed when sealing.
        return match json.as_string() {
            Some(text) if vault::sealing() => Ok(Some(record_json(id, text.as_bytes())?.into())),
            _ => Ok(None),
        };
    };
    match (vault::mode(), is_sealed_array(bytes)) {
        (vault::Mode::Sealing, false) => Ok(Some(record_json(id, &bytes.to_vec())?.into())),
        (vault::Mode::Opening | vault::Mode::Plain, true) => {
            let plain = vault::open(&record_place(id), &bytes.to_vec())?.into_owned();
            Ok(Some(Uint8Array::from(plain.as_slice()).into()))
        }
        _ => Ok(None),
    }
}

fn sealed_or(
    key: &str,
    kind: u8,
    plain: &[u8],
    or: impl FnOnce() -> Result<JsValue, StoreError>,
) -> Result<JsValue, StoreError> {
    if !vault::sealing() {
        // Refused while locked; plain otherwise.
        vault::seal(&meta_place(key), b"")?;
        return or();
    }
    let mut text = Vec::with_capacity(plain.len() + 1);
    text.push(kind);
    text.extend_from_slice(plain);
    let envelope = vault::seal(&meta_place(key), &text)?.unwrap_or_default();
    Ok(Uint8Array::from(envelope.as_slice()).into())
}

/// The plain text of a sealed `meta` value of `kind`, or `None` when the value is not sealed.
fn opened(key: &str, kind: u8, value: &JsValue) -> Result<Option<Vec<u8>>, StoreError> {
    let Some(bytes) = value.dyn_ref::<Uint8Array>() else { return Ok(None) };
    let plain = vault::open(&meta_place(key), &bytes.to_vec())?.into_owned();
    match plain.split_first() {
        Some((&k, _)) if k == kind => Ok(Some(plain[1..].to_vec())),
        _ => Err(StoreError::corrupt(format!("本机保存的 {key}"), "不是预期的类型")),
    }
}

/// A record's marks (their JSON text) as stored: a JS object, or sealed.
pub(super) fn meta_value(key: &str, json: &str) -> Result<JsValue, StoreError> {
    if !cfg!(feature = "vault") {
        return js_sys::JSON::parse(json).map_err(js_failed);
    }
    sealed_or(key, b'j', json.as_bytes(), || js_sys::JSON::parse(json).map_err(js_failed))
}

/// The JSON text of a stored record's marks.
pub(super) fn meta_text(key: &str, value: &JsValue) -> Result<String, StoreError> {
    if !cfg!(feature = "vault") && value.is_instance_of::<Uint8Array>() {
        return Err(StoreError::corrupt(format!("本机保存的 {key}"), "已加密（应用锁）"));
    }
    if let Some(plain) = opened(key, b'j', value)? {
        return String::from_utf8(plain).map_err(|e| StoreError::corrupt("存储的标记", e));
    }
    js_sys::JSON::stringify(value)
        .map_err(js_failed)?
        .as_string()
        .ok_or_else(|| StoreError::corrupt("存储的值", "不是 JSON"))
}

/// An app value's text as stored.
pub(super) fn app_string(key: &str, text: &str) -> Result<JsValue, StoreError> {
    if !cfg!(feature = "vault") {
        return Ok(JsValue::from_str(text));
    }
    sealed_or(key, b's', text.as_bytes(), || Ok(JsValue::from_str(text)))
}

/// The text of a stored app value (`None` when absent or not text).
pub(super) fn app_string_of(key: &str, value: &JsValue) -> Result<Option<String>, StoreError> {
    if !cfg!(feature = "vault") {
        return Ok(value.as_string());
    }
    if let Some(plain) = opened(key, b's', value)? {
        return String::from_utf8(plain).map(Some).map_err(|e| StoreError::corrupt(key, e));
    }
    Ok(value.as_string())
}

/// An app object as stored: itself, or sealed (its `File`s read first).
pub(super) async fn app_object(key: &str, value: &JsValue) -> Result<JsValue, StoreError> {
    // A real `cfg`, not `cfg!`: the start page's bundle must not carry the encoder (1.7 KB).
    #[cfg(not(feature = "vault"))]
    {
        let _ = key;
        Ok(value.clone())
    }
    #[cfg(feature = "vault")]
    {
        if !vault::sealing() {
            vault::seal(&meta_place(key), b"")?;
            return Ok(value.clone());
        }
        let files = read_files(value).await?;
        let mut out = Vec::new();
        encode(value, &mut files.into_iter(), &mut out)?;
        sealed_or(key, b'v', &out, || Ok(value.clone()))
    }
}

/// A stored app object as it was put (`undefined` stays `undefined`).
pub(super) fn app_object_of(key: &str, value: &JsValue) -> Result<JsValue, StoreError> {
    #[cfg(not(feature = "vault"))]
    {
        let _ = key;
        Ok(value.clone())
    }
    #[cfg(feature = "vault")]
    match opened(key, b'v', value)? {
        Some(plain) => {
            let mut at = 0;
            decode(&plain, &mut at)
                .ok_or_else(|| StoreError::corrupt(format!("本机保存的 {key}"), "格式不对"))
        }
        None => Ok(value.clone()),
    }
}

/// A stored `meta` value as the current mode stores it (the pass), when it is not already so:
/// `Some(new value)`. `~generation` and other non-personal keys are left as they are by the
/// caller. Values holding `File`s are the caller's (they need reading first).
pub(super) fn refit_meta(key: &str, value: &JsValue) -> Result<Option<JsValue>, StoreError> {
    let is_sealed = value.is_instance_of::<Uint8Array>();
    let is_app = key.starts_with('~');
    match (vault::mode(), is_sealed) {
        (vault::Mode::Sealing, false) => {
            if let Some(text) = value.as_string() {
                return app_string(key, &text).map(Some);
            }
            if is_app {
                let mut out = Vec::new();
                encode(value, &mut std::iter::empty(), &mut out)?;
                sealed_or(key, b'v', &out, || Ok(value.clone())).map(Some)
            } else {
                let text = meta_text(key, value)?;
                meta_value(key, &text).map(Some)
            }
        }
        (vault::Mode::Opening | vault::Mode::Plain, true) => {
            let Some(bytes) = value.dyn_ref::<Uint8Array>() else { return Ok(None) };
            let plain = vault::open(&meta_place(key), &bytes.to_vec())?.into_owned();
            let (kind, body) = plain
                .split_first()
                .ok_or_else(|| StoreError::corrupt(format!("本机保存的 {key}"), "是空的"))?;
            let text = || String::from_utf8(body.to_vec()).map_err(|e| StoreError::corrupt(key, e));
            match kind {
                b'j' => js_sys::JSON::parse(&text()?).map(Some).map_err(js_failed),
                b's' => Ok(Some(JsValue::from_str(&text()?))),
                b'v' => {
                    let mut at = 0;
                    decode(body, &mut at)
                        .map(Some)
                        .ok_or_else(|| StoreError::corrupt(format!("本机保存的 {key}"), "格式不对"))
                }
                _ => Err(StoreError::corrupt(format!("本机保存的 {key}"), "不是预期的类型")),
            }
        }
        _ => Ok(None),
    }
}

/// Whether a JS value holds a `File` (or a `Blob`) anywhere.
pub(super) fn has_files(value: &JsValue) -> bool {
    if value.is_instance_of::<web_sys::Blob>() {
        return true;
    }
    if let Some(a) = value.dyn_ref::<Array>() {
        return a.iter().any(|v| has_files(&v));
    }
    if value.is_object() && !value.is_instance_of::<Uint8Array>() {
        return Object::values(value.unchecked_ref()).iter().any(|v| has_files(&v));
    }
    false
}

/// The bytes of every `File` in a value, in the order [`encode`] meets them.
#[cfg(feature = "vault")]
pub(super) async fn read_files(value: &JsValue) -> Result<Vec<Vec<u8>>, StoreError> {
    let mut files = Vec::new();
    collect_files(value, &mut files);
    let mut out = Vec::with_capacity(files.len());
    for f in files {
        let buffer =
            wasm_bindgen_futures::JsFuture::from(f.array_buffer()).await.map_err(js_failed)?;
        out.push(Uint8Array::new(&buffer).to_vec());
    }
    Ok(out)
}

#[cfg(feature = "vault")]
fn collect_files(value: &JsValue, out: &mut Vec<web_sys::Blob>) {
    if let Some(b) = value.dyn_ref::<web_sys::Blob>() {
        out.push(b.clone());
    } else if let Some(a) = value.dyn_ref::<Array>() {
        a.iter().for_each(|v| collect_files(&v, out));
    } else if value.is_object() && !value.is_instance_of::<Uint8Array>() {
        let entries = Object::entries(value.unchecked_ref());
        for e in entries.iter() {
            collect_files(&Array::from(&e).get(1), out);
        }
    }
}

fn put_len(out: &mut Vec<u8>, n: usize) -> Result<(), StoreError> {
    let n = u32::try_from(n).map_err(|_| StoreError::failed("值太大，无法加密保存"))?;
    out.extend_from_slice(&n.to_le_bytes());
    Ok(())
}

fn put_str(out: &mut Vec<u8>, s: &str) -> Result<(), StoreError> {
    put_len(out, s.len())?;
    out.extend_from_slice(s.as_bytes());
    Ok(())
}

/// Writes a JS value in the binary form (module docs); `files` gives each `File`'s bytes.
pub(super) fn encode(
    value: &JsValue,
    files: &mut impl Iterator<Item = Vec<u8>>,
    out: &mut Vec<u8>,
) -> Result<(), StoreError> {
    if value.is_undefined() {
        out.push(0);
    } else if value.is_null() {
        out.push(1);
    } else if let Some(b) = value.as_bool() {
        out.push(if b { 3 } else { 2 });
    } else if let Some(n) = value.as_f64() {
        out.push(4);
        out.extend_from_slice(&n.to_le_bytes());
    } else if let Some(s) = value.as_string() {
        out.push(5);
        put_str(out, &s)?;
    } else if let Some(a) = value.dyn_ref::<Uint8Array>() {
        out.push(6);
        put_len(out, a.length() as usize)?;
        out.extend_from_slice(&a.to_vec());
    } else if let Some(a) = value.dyn_ref::<Array>() {
        out.push(7);
        put_len(out, a.length() as usize)?;
        for v in a.iter() {
            encode(&v, files, out)?;
        }
    } else if let Some(f) = value.dyn_ref::<web_sys::File>() {
        let bytes = files.next().ok_or_else(|| StoreError::failed("文件还没有读出"))?;
        out.push(9);
        put_str(out, &f.name())?;
        put_str(out, &f.type_())?;
        out.extend_from_slice(&f.last_modified().to_le_bytes());
        put_len(out, bytes.len())?;
        out.extend_from_slice(&bytes);
    } else if value.is_object() && !value.is_instance_of::<web_sys::Blob>() {
        let entries = Object::entries(value.unchecked_ref());
        out.push(8);
        put_len(out, entries.length() as usize)?;
        for e in entries.iter() {
            let e = Array::from(&e);
            put_str(out, &e.get(0).as_string().unwrap_or_default())?;
            encode(&e.get(1), files, out)?;
        }
    } else {
        return Err(StoreError::failed("这种值无法加密保存"));
    }
    Ok(())
}

fn take<'a>(bytes: &'a [u8], at: &mut usize, n: usize) -> Option<&'a [u8]> {
    let s = bytes.get(*at..at.checked_add(n)?)?;
    *at += n;
    Some(s)
}

fn take_len(bytes: &[u8], at: &mut usize) -> Option<usize> {
    Some(u32::from_le_bytes(take(bytes, at, 4)?.try_into().ok()?) as usize)
}

fn take_str(bytes: &[u8], at: &mut usize) -> Option<String> {
    let n = take_len(bytes, at)?;
    String::from_utf8(take(bytes, at, n)?.to_vec()).ok()
}

/// Reads a JS value of the binary form (`None` when it is not one).
pub(super) fn decode(bytes: &[u8], at: &mut usize) -> Option<JsValue> {
    let tag = *take(bytes, at, 1)?.first()?;
    Some(match tag {
        0 => JsValue::UNDEFINED,
        1 => JsValue::NULL,
        2 => JsValue::FALSE,
        3 => JsValue::TRUE,
        4 => JsValue::from_f64(f64::from_le_bytes(take(bytes, at, 8)?.try_into().ok()?)),
        5 => JsValue::from_str(&take_str(bytes, at)?),
        6 => {
            let n = take_len(bytes, at)?;
            Uint8Array::from(take(bytes, at, n)?).into()
        }
        7 => {
            let n = take_len(bytes, at)?;
            let a = Array::new();
            for _ in 0..n {
                a.push(&decode(bytes, at)?);
            }
            a.into()
        }
        8 => {
            let n = take_len(bytes, at)?;
            let o = Object::new();
            for _ in 0..n {
                let k = take_str(bytes, at)?;
                let v = decode(bytes, at)?;
                js_sys::Reflect::set(&o, &JsValue::from_str(&k), &v).ok()?;
            }
            o.into()
        }
        9 => {
            let name = take_str(bytes, at)?;
            let kind = take_str(bytes, at)?;
            let modified = f64::from_le_bytes(take(bytes, at, 8)?.try_into().ok()?);
            let n = take_len(bytes, at)?;
            let parts = Array::of1(&Uint8Array::from(take(bytes, at, n)?));
            let options = web_sys::FilePropertyBag::new();
            options.set_type(&kind);
            options.set_last_modified(modified);
            web_sys::File::new_with_u8_array_sequence_and_options(&parts, &name, &options)
                .ok()?
                .into()
        }
        _ => return None,
    })
}
