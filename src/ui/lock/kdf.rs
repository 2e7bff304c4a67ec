//! The key-encryption key from the PIN or passphrase: PBKDF2-HMAC-SHA256 through WebCrypto
//! (`crypto.subtle.deriveBits`, 256 bits), with the lock's salt and iteration count
//! (`store::vault::KDF_ITERATIONS` for a new lock). The measured cost is in `store::vault`'s
//! docs and `tests/bench/README.md`.

use js_sys::{Array, Object, Reflect, Uint8Array};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

/// The browser's `crypto.subtle`, missing outside secure contexts (a page served over plain
/// http from another machine).
pub fn subtle() -> Result<web_sys::SubtleCrypto, String> {
    let crypto = window_or_worker_crypto().ok_or("此浏览器不提供加密功能，无法使用应用锁。")?;
    let subtle = Reflect::get(&crypto, &JsValue::from_str("subtle")).unwrap_or(JsValue::UNDEFINED);
    if subtle.is_undefined() || subtle.is_null() {
        return Err(
            "此页面不是安全连接（需要 https），浏览器不提供加密功能，无法使用应用锁。".to_string()
        );
    }
    Ok(subtle.unchecked_into())
}

fn window_or_worker_crypto() -> Option<JsValue> {
    let c = Reflect::get(&js_sys::global(), &JsValue::from_str("crypto")).ok()?;
    (!c.is_undefined()).then_some(c)
}

fn set(o: &Object, k: &str, v: &JsValue) {
    let _ = Reflect::set(o, &JsValue::from_str(k), v);
}

fn failed(what: &str) -> impl Fn(JsValue) -> String + '_ {
    move |e| {
        let detail = Reflect::get(&e, &JsValue::from_str("message"))
            .ok()
            .and_then(|m| m.as_string())
            .unwrap_or_default();
        format!("{what}失败：{detail}")
    }
}

/// 256 bits derived from `secret` with PBKDF2-HMAC-SHA256.
pub async fn derive(secret: &str, salt: &[u8], iterations: u32) -> Result<[u8; 32], String> {
    let subtle = subtle()?;
    let usages = Array::of1(&JsValue::from_str("deriveBits"));
    let raw = Uint8Array::from(secret.as_bytes());
    let base = subtle
        .import_key_with_str("raw", &raw, "PBKDF2", false, &usages)
        .map_err(failed("密钥派生"))?;
    let base: web_sys::CryptoKey =
        JsFuture::from(base).await.map_err(failed("密钥派生"))?.unchecked_into();
    let params = Object::new();
    set(&params, "name", &JsValue::from_str("PBKDF2"));
    set(&params, "hash", &JsValue::from_str("SHA-256"));
    set(&params, "salt", &Uint8Array::from(salt));
    set(&params, "iterations", &JsValue::from_f64(f64::from(iterations)));
    let bits = subtle.derive_bits_with_object(&params, &base, 256).map_err(failed("密钥派生"))?;
    let bits = JsFuture::from(bits).await.map_err(failed("密钥派生"))?;
    Uint8Array::new(&bits).to_vec().try_into().map_err(|_| "密钥派生失败：长度不对".to_string())
}
