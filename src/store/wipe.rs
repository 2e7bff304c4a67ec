//! Removing every database this origin keeps (清除本机数据, issue 14 part 9; the page is
//! `ui::settings::wipe`). The app's own database is [`super::idb::DB_NAME`] (`ruhu`); any
//! other one of the origin (another version of the app, a test) goes too: the names are the
//! known ones plus what `indexedDB.databases()` lists where the browser has it (Chromium,
//! Safari 14+, Firefox 126+). Each is deleted through [`IdbStore::delete_database`], which first
//! closes this page's connection. Another tab's connection closes itself on the
//! `versionchange` the deletion sends (`idb`), so the deletion waits only for that; a
//! connection that never closes would keep the deletion waiting (the page says so after a
//! few seconds).
//!
//! Nothing else is here: localStorage and sessionStorage are the page's to clear, and Cache
//! Storage (the service worker's copy of the app) stays, so the emptied app still opens
//! offline.

use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

use super::idb::{IdbStore, DB_NAME};
use super::StoreError;

/// Deletes every database of the origin; gives their names.
pub async fn delete_every_database() -> Result<Vec<String>, StoreError> {
    let mut names = vec![DB_NAME.to_string()];
    for name in listed_databases().await {
        if !names.contains(&name) {
            names.push(name);
        }
    }
    for name in &names {
        IdbStore::named(name.clone()).delete_database().await?;
    }
    Ok(names)
}

/// The names `indexedDB.databases()` gives (none where the browser lacks it or it fails).
pub async fn listed_databases() -> Vec<String> {
    let get = |o: &wasm_bindgen::JsValue, k: &str| js_sys::Reflect::get(o, &k.into()).ok();
    let Some(factory) = get(&js_sys::global(), "indexedDB") else { return Vec::new() };
    let Some(list) = get(&factory, "databases").and_then(|f| f.dyn_into::<js_sys::Function>().ok())
    else {
        return Vec::new();
    };
    let Some(promise) =
        list.call0(&factory).ok().and_then(|p| p.dyn_into::<js_sys::Promise>().ok())
    else {
        return Vec::new();
    };
    let Ok(found) = JsFuture::from(promise).await else { return Vec::new() };
    js_sys::Array::from(&found)
        .iter()
        .filter_map(|d| get(&d, "name").and_then(|n| n.as_string()))
        .collect()
}
