//! The same cipher through WebCrypto, for many values at once where waiting is harmless:
//! listing every record, comparing an import with what is stored, sealing an import's
//! records before its transaction opens. The browser's AES-GCM runs on its own threads
//! with the processor's AES instructions; RustCrypto's `aes-gcm` in wasm has no such
//! instructions (measured in Chromium here: 5,000 records of 3.7 KB opened in about 1.7 s in
//! Rust at `opt-level = "z"`, about 0.3 s through WebCrypto, `tests/bench/README.md`). The
//! envelope is the same ([`super::MAGIC`] ‖ nonce ‖ ciphertext and tag, associated data
//! `ruhu/<place>`), so a value sealed by either opens with the other (`tests/vault_wasm.rs`).
//!
//! The data key is imported as a non-extractable `CryptoKey` when the app unlocks
//! ([`hold`]); without it (tests that hold only the Rust key) the callers fall back to Rust.

use std::cell::RefCell;

use js_sys::{Array, Object, Promise, Reflect, Uint8Array};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

use super::{StoreError, MAGIC, NONCE, TAG};

thread_local! {
    static KEY: RefCell<Option<web_sys::CryptoKey>> = const { RefCell::new(None) };
}

fn subtle() -> Result<web_sys::SubtleCrypto, StoreError> {
    let crypto = Reflect::get(&js_sys::global(), &JsValue::from_str("crypto"))
        .ok()
        .filter(|c| !c.is_undefined())
        .ok_or_else(|| StoreError::failed("浏览器不提供加密功能"))?;
    let subtle = Reflect::get(&crypto, &JsValue::from_str("subtle")).unwrap_or(JsValue::UNDEFINED);
    if subtle.is_undefined() {
        return Err(StoreError::failed("浏览器不提供加密功能（需要 https）"));
    }
    Ok(subtle.unchecked_into())
}

fn failed(e: JsValue) -> StoreError {
    let name = Reflect::get(&e, &JsValue::from_str("name")).ok().and_then(|n| n.as_string());
    StoreError::corrupt(
        "本机加密保存的数据",
        format!(
            "无法解密（{}）",
            name.unwrap_or_else(|| "数据被改动，或不是用本机的密钥加密的".into())
        ),
    )
}

/// Imports the data key (non-extractable) for the bulk operations; replaces one held before.
pub async fn hold(key: &[u8; 32]) -> Result<(), StoreError> {
    let usages = Array::of2(&JsValue::from_str("encrypt"), &JsValue::from_str("decrypt"));
    let raw = Uint8Array::from(key.as_slice());
    let p =
        subtle()?.import_key_with_str("raw", &raw, "AES-GCM", false, &usages).map_err(failed)?;
    let k: web_sys::CryptoKey = JsFuture::from(p).await.map_err(failed)?.unchecked_into();
    KEY.with(|c| *c.borrow_mut() = Some(k));
    Ok(())
}

/// Drops the WebCrypto copy of the key.
pub fn clear() {
    KEY.with(|c| c.borrow_mut().take());
}

/// Whether the WebCrypto key is held.
pub fn held() -> bool {
    KEY.with(|c| c.borrow().is_some())
}

fn params(iv: &JsValue, place: &str) -> Object {
    let p = Object::new();
    let _ = Reflect::set(&p, &JsValue::from_str("name"), &JsValue::from_str("AES-GCM"));
    let _ = Reflect::set(&p, &JsValue::from_str("iv"), iv);
    let mut aad = Vec::with_capacity(5 + place.len());
    aad.extend_from_slice(b"ruhu/");
    aad.extend_from_slice(place.as_bytes());
    let _ = Reflect::set(&p, &JsValue::from_str("additionalData"), &Uint8Array::from(&aad[..]));
    p
}

/// Opens sealed envelopes, each at its place, all at once: their plain bytes in order.
pub async fn open_all(items: &[(String, Uint8Array)]) -> Result<Vec<Vec<u8>>, StoreError> {
    let key = KEY.with(|c| c.borrow().clone()).ok_or_else(|| StoreError::failed("密钥未载入"))?;
    let subtle = subtle()?;
    let promises: Array = Array::new();
    for (place, env) in items {
        let n = env.length();
        if n < (MAGIC.len() + NONCE + TAG) as u32 {
            return Err(StoreError::corrupt(format!("本机加密保存的“{place}”"), "长度不对"));
        }
        let iv = env.subarray(MAGIC.len() as u32, (MAGIC.len() + NONCE) as u32);
        let ct = env.subarray((MAGIC.len() + NONCE) as u32, n);
        let p = subtle
            .decrypt_with_object_and_js_u8_array(&params(&iv, place), &key, &ct)
            .map_err(failed)?;
        promises.push(&p);
    }
    let all: Array =
        JsFuture::from(Promise::all(&promises)).await.map_err(failed)?.unchecked_into();
    Ok(all.iter().map(|b| Uint8Array::new(&b).to_vec()).collect())
}

/// Seals plain values, each at its place, all at once: the envelopes in order.
pub async fn seal_all(items: &[(String, Uint8Array)]) -> Result<Vec<Uint8Array>, StoreError> {
    let key = KEY.with(|c| c.borrow().clone()).ok_or_else(|| StoreError::failed("密钥未载入"))?;
    let subtle = subtle()?;
    let mut nonces = vec![0u8; items.len() * NONCE];
    super::random(&mut nonces)?;
    let nonces = Uint8Array::from(&nonces[..]);
    let promises: Array = Array::new();
    for (i, (place, plain)) in items.iter().enumerate() {
        let iv = nonces.subarray((i * NONCE) as u32, ((i + 1) * NONCE) as u32);
        let p = subtle
            .encrypt_with_object_and_js_u8_array(&params(&iv, place), &key, plain)
            .map_err(failed)?;
        promises.push(&p);
    }
    let all: Array =
        JsFuture::from(Promise::all(&promises)).await.map_err(failed)?.unchecked_into();
    let head = (MAGIC.len() + NONCE) as u32;
    Ok(all
        .iter()
        .enumerate()
        .map(|(i, ct)| {
            let ct = Uint8Array::new(&ct);
            let out = Uint8Array::new_with_length(head + ct.length());
            out.subarray(0, MAGIC.len() as u32).copy_from(MAGIC);
            out.set(
                &nonces.subarray((i * NONCE) as u32, ((i + 1) * NONCE) as u32),
                MAGIC.len() as u32,
            );
            out.set(&ct, head);
            out
        })
        .collect())
}
