//! How the data key crosses the app's pages within one session without being stored in plain
//! form: moving from the full app to the office, the roster page or a reload of the same tab
//! does not ask for the PIN again.
//!
//! At unlock the page makes a *session key*: a WebCrypto AES-GCM 256 key generated
//! **non-extractable** (its bytes can never be read by a script), kept in its own IndexedDB
//! database `ruhu-keys` (store `keys`, under a random session id, as the structured-cloned
//! `CryptoKey` itself). The data key is encrypted with it (a random 96-bit IV) and the result
//! is put in `sessionStorage["ruhu.session"]` with the session id: `sessionStorage` belongs to
//! this tab only and is gone when the tab closes. The next page of the tab reads both and
//! decrypts the data key with `crypto.subtle.decrypt`. Neither half opens anything alone: the
//! wrapped key needs the `CryptoKey`, which only this origin's pages can use and none can
//! export; the `CryptoKey` alone wraps nothing.
//!
//! When the app locks (5 minutes in the background, `super`), the lock is turned off, or the
//! tab is closed, the `sessionStorage` item goes; the `CryptoKey` is deleted with it (and
//! entries of tabs closed without locking are deleted after a day, at the next unlock).
//!
//! **What it does not protect against**: the browser writes IndexedDB and (for restoring
//! tabs) `sessionStorage` to the disk, and a non-extractable key is only unreadable *to
//! scripts*: someone who copies the browser's profile folder while a tab is unlocked can
//! recover the data key from the two. A page of this origin that runs while unlocked (this
//! app's own) can use the key; a script injected into the page could too (the
//! Content-Security-Policy is what keeps other scripts out).

use js_sys::{Array, Object, Reflect, Uint8Array};
use serde::{Deserialize, Serialize};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{IdbDatabase, IdbOpenDbRequest, IdbRequest, IdbTransactionMode};

use super::kdf::subtle;
use crate::store::vault::{base64_decode, base64_into};

/// The database of session keys.
pub const KEYS_DB: &str = "ruhu-keys";
const KEYS: &str = "keys";
/// The `sessionStorage` item of this tab's wrapped data key.
pub const SESSION_ITEM: &str = "ruhu.session";
/// Session keys older than this are deleted at the next unlock (a tab closed while unlocked).
const STALE_MS: f64 = 24.0 * 3600.0 * 1000.0;

#[derive(Serialize, Deserialize)]
struct Item {
    id: String,
    iv: String,
    wrapped: String,
}

fn session_storage() -> Option<web_sys::Storage> {
    web_sys::window()?.session_storage().ok().flatten()
}

fn set(o: &Object, k: &str, v: &JsValue) {
    let _ = Reflect::set(o, &JsValue::from_str(k), v);
}

fn gcm(iv: &[u8]) -> Object {
    let p = Object::new();
    set(&p, "name", &JsValue::from_str("AES-GCM"));
    set(&p, "iv", &Uint8Array::from(iv));
    p
}

fn b64(bytes: &[u8]) -> String {
    let mut s = String::new();
    base64_into(bytes, &mut s);
    s
}

/// Keeps `data_key` for this tab's next pages (module docs).
pub async fn begin(data_key: &[u8; 32]) -> Result<(), String> {
    let subtle = subtle()?;
    let usages = Array::of2(&JsValue::from_str("encrypt"), &JsValue::from_str("decrypt"));
    let params = Object::new();
    set(&params, "name", &JsValue::from_str("AES-GCM"));
    set(&params, "length", &JsValue::from_f64(256.0));
    let key = subtle.generate_key_with_object(&params, false, &usages).map_err(js_text)?;
    let key: web_sys::CryptoKey = JsFuture::from(key).await.map_err(js_text)?.unchecked_into();
    let mut iv = [0u8; 12];
    crate::store::vault::random(&mut iv).map_err(|e| e.to_string())?;
    let wrapped =
        subtle.encrypt_with_object_and_u8_array(&gcm(&iv), &key, data_key).map_err(js_text)?;
    let wrapped = Uint8Array::new(&JsFuture::from(wrapped).await.map_err(js_text)?).to_vec();
    let id = uuid::Uuid::new_v4().simple().to_string();
    let db = open().await?;
    let entry = Object::new();
    set(&entry, "key", &key);
    set(&entry, "at", &JsValue::from_f64(js_sys::Date::now()));
    let tx =
        db.transaction_with_str_and_mode(KEYS, IdbTransactionMode::Readwrite).map_err(js_text)?;
    let store = tx.object_store(KEYS).map_err(js_text)?;
    // Entries of tabs closed while unlocked, a day old: deleted.
    let all = wait(&store.get_all_keys().map_err(js_text)?).await?;
    let values = wait(&store.get_all().map_err(js_text)?).await?;
    let (all, values): (Array, Array) = (all.unchecked_into(), values.unchecked_into());
    for (k, v) in all.iter().zip(values.iter()) {
        let at = Reflect::get(&v, &JsValue::from_str("at")).ok().and_then(|a| a.as_f64());
        if at.is_none_or(|at| js_sys::Date::now() - at > STALE_MS) {
            let _ = store.delete(&k);
        }
    }
    wait(&store.put_with_key(&entry, &JsValue::from_str(&id)).map_err(js_text)?).await?;
    let item = Item { id, iv: b64(&iv), wrapped: b64(&wrapped) };
    let text = serde_json::to_string(&item).map_err(|e| e.to_string())?;
    session_storage()
        .ok_or("无法使用 sessionStorage")?
        .set_item(SESSION_ITEM, &text)
        .map_err(js_text)?;
    Ok(())
}

/// The data key this tab kept ([`begin`]), if it has one that opens.
pub async fn resume() -> Option<[u8; 32]> {
    let text = session_storage()?.get_item(SESSION_ITEM).ok()??;
    let item: Item = serde_json::from_str(&text).ok()?;
    let (iv, wrapped) = (base64_decode(&item.iv)?, base64_decode(&item.wrapped)?);
    let db = open().await.ok()?;
    let tx = db.transaction_with_str(KEYS).ok()?;
    let entry =
        wait(&tx.object_store(KEYS).ok()?.get(&JsValue::from_str(&item.id)).ok()?).await.ok()?;
    let key: web_sys::CryptoKey =
        Reflect::get(&entry, &JsValue::from_str("key")).ok()?.dyn_into().ok()?;
    let plain = subtle().ok()?.decrypt_with_object_and_u8_array(&gcm(&iv), &key, &wrapped).ok()?;
    let plain = JsFuture::from(plain).await.ok()?;
    Uint8Array::new(&plain).to_vec().try_into().ok()
}

/// Ends this tab's session: the `sessionStorage` item at once, the session key after.
pub async fn end() {
    let Some(storage) = session_storage() else { return };
    let item = storage.get_item(SESSION_ITEM).ok().flatten();
    let _ = storage.remove_item(SESSION_ITEM);
    let Some(item) = item.and_then(|t| serde_json::from_str::<Item>(&t).ok()) else { return };
    if let Ok(db) = open().await {
        if let Ok(tx) = db.transaction_with_str_and_mode(KEYS, IdbTransactionMode::Readwrite) {
            if let Ok(req) =
                tx.object_store(KEYS).and_then(|s| s.delete(&JsValue::from_str(&item.id)))
            {
                let _ = wait(&req).await;
            }
        }
    }
}

/// Ends every session of every tab (the lock turned off): the database of session keys goes.
pub async fn end_all() {
    end().await;
    let Some(factory) = web_sys::window().and_then(|w| w.indexed_db().ok().flatten()) else {
        return;
    };
    CONNECTION.with(|c| {
        if let Some(db) = c.borrow_mut().take() {
            db.close();
        }
    });
    if let Ok(req) = factory.delete_database(KEYS_DB) {
        let _ = wait(&req).await;
    }
}

thread_local! {
    static CONNECTION: std::cell::RefCell<Option<IdbDatabase>> = const { std::cell::RefCell::new(None) };
}

async fn open() -> Result<IdbDatabase, String> {
    if let Some(db) = CONNECTION.with(|c| c.borrow().clone()) {
        return Ok(db);
    }
    let factory = web_sys::window()
        .and_then(|w| w.indexed_db().ok().flatten())
        .ok_or("无法打开本机存储（IndexedDB）")?;
    let req: IdbOpenDbRequest = factory.open_with_u32(KEYS_DB, 1).map_err(js_text)?;
    let on_upgrade = Closure::<dyn FnMut()>::new({
        let req = req.clone();
        move || {
            if let Ok(db) = req.result().and_then(|d| d.dyn_into::<IdbDatabase>()) {
                let _ = db.create_object_store(KEYS);
            }
        }
    });
    req.set_onupgradeneeded(Some(on_upgrade.as_ref().unchecked_ref()));
    let db = wait(&req).await;
    req.set_onupgradeneeded(None);
    drop(on_upgrade);
    let db: IdbDatabase = db?.dyn_into().map_err(|_| "打开的不是数据库".to_string())?;
    // Let another tab delete it (the lock turned off there).
    let on_change = Closure::<dyn FnMut()>::new({
        let db = db.clone();
        move || {
            db.close();
            CONNECTION.with(|c| c.borrow_mut().take());
        }
    });
    db.set_onversionchange(Some(on_change.as_ref().unchecked_ref()));
    on_change.forget();
    CONNECTION.with(|c| *c.borrow_mut() = Some(db.clone()));
    Ok(db)
}

async fn wait(req: &IdbRequest) -> Result<JsValue, String> {
    let promise = js_sys::Promise::new(&mut |resolve, reject| {
        req.set_onsuccess(Some(&resolve));
        req.set_onerror(Some(&reject));
    });
    let outcome = JsFuture::from(promise).await;
    req.set_onsuccess(None);
    req.set_onerror(None);
    match outcome {
        Ok(_) => req.result().map_err(js_text),
        Err(e) => Err(js_text(e)),
    }
}

fn js_text(e: JsValue) -> String {
    Reflect::get(&e, &JsValue::from_str("message"))
        .ok()
        .and_then(|m| m.as_string())
        .or_else(|| e.as_string())
        .unwrap_or_else(|| "浏览器拒绝了这次操作".to_string())
}
