//! The IndexedDB [`RecordStore`], written directly on `web-sys` (no wrapper crate).
//!
//! Database `ruhu`, version [`DB_VERSION`]:
//! - `records`: key path `id`; value `{ id, household_id, revision, updated_at, json }`
//!   where `json` is the record's JSON (`ruhu.household/1`, unknown keys kept) as UTF-8
//!   bytes (a `Uint8Array`; text is read too) and the other fields are copies for indexes a
//!   later version may add.
//! - `history`: auto-increment key; value `{ record_id, revision, json }`; index
//!   `record_id`. Key order within one record is save order.
//!
//! Why bytes and not a JS object: reading records back is then one byte copy per record into
//! wasm memory, instead of a structured clone of a deep object, `JSON.stringify` and a
//! UTF-16 → UTF-8 conversion (see `.team/docs/web.md` for the figures).
//! - `meta`: out-of-line key = record id; value = the [`RecordMeta`] JSON.
//!
//! A `put` writes `records` and `history` and prunes the history in one readwrite
//! transaction. The connection is opened once per database name and kept; it closes itself
//! when another tab needs a version upgrade.

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use js_sys::{Array, Function, Promise, JSON};
use uuid::Uuid;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{
    DomException, IdbDatabase, IdbIndexParameters, IdbKeyRange, IdbObjectStore, IdbObjectStoreParameters, IdbOpenDbRequest,
    IdbRequest, IdbTransaction, IdbTransactionMode, IdbVersionChangeEvent,
};

use super::{decode, decode_bytes, encode, RecordMeta, RecordStore, StoreError, HISTORY_LIMIT};
use crate::core::record::Household;

/// The app's database.
pub const DB_NAME: &str = "ruhu";
/// The schema version; [`upgrade`] brings any older database up to it.
pub const DB_VERSION: u32 = 1;

const RECORDS: &str = "records";
const HISTORY: &str = "history";
const META: &str = "meta";
const BY_RECORD: &str = "record_id";

thread_local! {
    static CONNECTIONS: RefCell<HashMap<String, IdbDatabase>> = RefCell::new(HashMap::new());
}

/// A handle on one IndexedDB database. Cheap to clone; the connection is shared.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IdbStore {
    name: String,
}

impl Default for IdbStore {
    fn default() -> Self {
        IdbStore { name: DB_NAME.to_string() }
    }
}

impl IdbStore {
    /// The app's database (`ruhu`).
    pub fn new() -> Self {
        Self::default()
    }

    /// Another database with the same schema (tests use one per test).
    pub fn named(name: impl Into<String>) -> Self {
        IdbStore { name: name.into() }
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    /// Opens (and if needed creates or upgrades) the database, now, to report failures early.
    pub async fn open(&self) -> Result<(), StoreError> {
        self.db().await.map(drop)
    }

    /// Closes the connection and deletes the whole database.
    pub async fn delete_database(&self) -> Result<(), StoreError> {
        if let Some(db) = CONNECTIONS.with(|c| c.borrow_mut().remove(&self.name)) {
            db.close();
        }
        let factory = factory()?;
        let req = factory.delete_database(&self.name).map_err(js_failed)?;
        request(&req).await.map(drop)
    }

    async fn db(&self) -> Result<IdbDatabase, StoreError> {
        if let Some(db) = CONNECTIONS.with(|c| c.borrow().get(&self.name).cloned()) {
            return Ok(db);
        }
        let db = open(&self.name).await?;
        // Another tab wants to upgrade: let it, and reopen on next use.
        let name = self.name.clone();
        let on_change = Closure::<dyn FnMut(JsValue)>::new({
            let db = db.clone();
            move |_| {
                db.close();
                CONNECTIONS.with(|c| c.borrow_mut().remove(&name));
            }
        });
        db.set_onversionchange(Some(on_change.as_ref().unchecked_ref()));
        let name = self.name.clone();
        let on_close = Closure::<dyn FnMut(JsValue)>::new(move |_| {
            CONNECTIONS.with(|c| c.borrow_mut().remove(&name));
        });
        db.set_onclose(Some(on_close.as_ref().unchecked_ref()));
        // The handlers live as long as the page.
        on_change.forget();
        on_close.forget();
        CONNECTIONS.with(|c| c.borrow_mut().insert(self.name.clone(), db.clone()));
        Ok(db)
    }

    async fn tx(&self, stores: &[&str], mode: IdbTransactionMode) -> Result<Tx, StoreError> {
        let db = self.db().await?;
        let names: Array = stores.iter().map(|s| JsValue::from_str(s)).collect();
        let tx = db.transaction_with_str_sequence_and_mode(&names, mode).map_err(js_failed)?;
        Ok(Tx::new(tx))
    }
}

/// A transaction and a promise of its end, registered before any request is made.
struct Tx {
    tx: IdbTransaction,
    done: Promise,
}

impl Tx {
    fn new(tx: IdbTransaction) -> Tx {
        let done = Promise::new(&mut |resolve: Function, reject: Function| {
            tx.set_oncomplete(Some(&resolve));
            tx.set_onerror(Some(&reject));
            tx.set_onabort(Some(&reject));
        });
        Tx { tx, done }
    }

    fn store(&self, name: &str) -> Result<IdbObjectStore, StoreError> {
        self.tx.object_store(name).map_err(js_failed)
    }

    /// Waits for the commit. A failed or aborted transaction reports its cause.
    async fn commit(self) -> Result<(), StoreError> {
        match JsFuture::from(self.done).await {
            Ok(_) => Ok(()),
            Err(_) => Err(self.tx.error().map(dom_error).unwrap_or_else(|| StoreError::failed("事务被中止"))),
        }
    }

    /// Gives up on the transaction after a failed request (nothing of it is written).
    fn abort(&self) {
        let _ = self.tx.abort();
    }
}

fn factory() -> Result<web_sys::IdbFactory, StoreError> {
    let global = js_sys::global();
    let idb = js_sys::Reflect::get(&global, &JsValue::from_str("indexedDB")).map_err(StoreError::unavailable_js)?;
    idb.dyn_into::<web_sys::IdbFactory>().map_err(|_| StoreError::unavailable("浏览器不支持 IndexedDB"))
}

async fn open(name: &str) -> Result<IdbDatabase, StoreError> {
    let req: IdbOpenDbRequest = factory()?.open_with_u32(name, DB_VERSION).map_err(StoreError::unavailable_js)?;
    let upgrade_error: Rc<RefCell<Option<StoreError>>> = Rc::default();
    let on_upgrade = Closure::<dyn FnMut(IdbVersionChangeEvent)>::new({
        let req = req.clone();
        let upgrade_error = upgrade_error.clone();
        move |event: IdbVersionChangeEvent| {
            let result = req
                .result()
                .and_then(|db| db.dyn_into::<IdbDatabase>().map_err(JsValue::from))
                .and_then(|db| upgrade(&db, event.old_version() as u32));
            if let Err(e) = result {
                *upgrade_error.borrow_mut() = Some(js_failed(e));
                if let Some(tx) = req.transaction() {
                    let _ = tx.abort();
                }
            }
        }
    });
    req.set_onupgradeneeded(Some(on_upgrade.as_ref().unchecked_ref()));
    let result = request(&req).await;
    req.set_onupgradeneeded(None);
    drop(on_upgrade);
    if let Some(e) = upgrade_error.borrow_mut().take() {
        return Err(StoreError::unavailable(format!("数据库升级失败（{}）", e.message)));
    }
    let db = result.map_err(|e| StoreError::unavailable(e.message))?;
    db.dyn_into::<IdbDatabase>().map_err(|_| StoreError::unavailable("打开的不是数据库"))
}

/// Brings a database from `old` to [`DB_VERSION`], one step per version. A later version
/// adds `if old < 2 { … }` below and never changes an earlier step.
fn upgrade(db: &IdbDatabase, old: u32) -> Result<(), JsValue> {
    if old < 1 {
        let keyed = IdbObjectStoreParameters::new();
        keyed.set_key_path(&JsValue::from_str("id"));
        db.create_object_store_with_optional_parameters(RECORDS, &keyed)?;

        let auto = IdbObjectStoreParameters::new();
        auto.set_auto_increment(true);
        let history = db.create_object_store_with_optional_parameters(HISTORY, &auto)?;
        let by_record = IdbIndexParameters::new();
        by_record.set_unique(false);
        history.create_index_with_str_and_optional_parameters(BY_RECORD, BY_RECORD, &by_record)?;

        db.create_object_store(META)?;
    }
    Ok(())
}

/// Waits for one request and gives its result. The handlers are registered at once (not at
/// the first poll), so several requests can be issued before any is awaited.
fn request(req: &IdbRequest) -> impl std::future::Future<Output = Result<JsValue, StoreError>> {
    let promise = Promise::new(&mut |resolve: Function, reject: Function| {
        req.set_onsuccess(Some(&resolve));
        req.set_onerror(Some(&reject));
    });
    let req = req.clone();
    async move {
        let outcome = JsFuture::from(promise).await;
        req.set_onsuccess(None);
        req.set_onerror(None);
        match outcome {
            Ok(_) => req.result().map_err(js_failed),
            Err(_) => Err(req.error().ok().flatten().map(dom_error).unwrap_or_else(|| StoreError::failed("请求失败"))),
        }
    }
}

fn dom_error(e: DomException) -> StoreError {
    match e.name().as_str() {
        "QuotaExceededError" => StoreError::quota(),
        "InvalidStateError" | "UnknownError" => StoreError::failed(format!("{}（{}），请重新打开应用", e.name(), e.message())),
        _ => StoreError::failed(format!("{}（{}）", e.name(), e.message())),
    }
}

fn js_failed(e: JsValue) -> StoreError {
    match e.dyn_into::<DomException>() {
        Ok(dom) => dom_error(dom),
        Err(other) => StoreError::failed(other.as_string().unwrap_or_else(|| format!("{other:?}"))),
    }
}

impl StoreError {
    fn unavailable_js(e: JsValue) -> StoreError {
        StoreError::unavailable(js_failed(e).message)
    }
}

fn to_js(json: &str) -> Result<JsValue, StoreError> {
    JSON::parse(json).map_err(js_failed)
}

fn to_text(value: &JsValue) -> Result<String, StoreError> {
    JSON::stringify(value)
        .map_err(js_failed)?
        .as_string()
        .ok_or_else(|| StoreError::corrupt("存储的值", "不是 JSON"))
}

/// The record of a stored record or history entry (its `json`: UTF-8 bytes, or text).
fn record_of(value: &JsValue) -> Result<Household, StoreError> {
    let json = js_sys::Reflect::get(value, &JsValue::from_str("json")).map_err(js_failed)?;
    if let Some(bytes) = json.dyn_ref::<js_sys::Uint8Array>() {
        decode_bytes(&bytes.to_vec())
    } else if let Some(text) = json.as_string() {
        decode(&text)
    } else {
        Err(StoreError::corrupt("存储的记录", "缺少 json"))
    }
}

fn object(fields: &[(&str, JsValue)]) -> Result<js_sys::Object, StoreError> {
    let o = js_sys::Object::new();
    for (k, v) in fields {
        js_sys::Reflect::set(&o, &JsValue::from_str(k), v).map_err(js_failed)?;
    }
    Ok(o)
}

fn key(id: Uuid) -> JsValue {
    JsValue::from_str(&id.to_string())
}

/// Issues the writes of one record: the record, a history entry. No waiting.
fn write_record(records: &IdbObjectStore, history: &IdbObjectStore, r: &Household, json: &str) -> Result<(), StoreError> {
    let json: JsValue = js_sys::Uint8Array::from(json.as_bytes()).into();
    let revision = JsValue::from_f64(r.revision as f64);
    let record = object(&[
        ("id", key(r.id)),
        ("household_id", key(r.household_id)),
        ("revision", revision.clone()),
        ("updated_at", JsValue::from_str(&r.updated_at.0.to_rfc3339())),
        ("json", json.clone()),
    ])?;
    records.put(&record).map_err(js_failed)?;
    let entry = object(&[("record_id", key(r.id)), ("revision", revision), ("json", json)])?;
    history.add(&entry).map_err(js_failed)?;
    Ok(())
}

/// The history keys of a record, oldest first (a request issued now, awaited later).
fn history_keys(history: &IdbObjectStore, id: Uuid) -> Result<impl std::future::Future<Output = Result<Array, StoreError>>, StoreError> {
    let index = history.index(BY_RECORD).map_err(js_failed)?;
    let range = IdbKeyRange::only(&key(id)).map_err(js_failed)?;
    let pending = request(&index.get_all_keys_with_key(&range).map_err(js_failed)?);
    Ok(async move { pending.await.map(JsCast::unchecked_into) })
}

/// Deletes the history entries of `keys` but the newest `keep`.
fn drop_oldest(history: &IdbObjectStore, keys: &Array, keep: usize) -> Result<(), StoreError> {
    let excess = (keys.length() as usize).saturating_sub(keep);
    for k in keys.iter().take(excess) {
        history.delete(&k).map_err(js_failed)?;
    }
    Ok(())
}

impl RecordStore for IdbStore {
    async fn get(&self, id: Uuid) -> Result<Option<Household>, StoreError> {
        let tx = self.tx(&[RECORDS], IdbTransactionMode::Readonly).await?;
        let value = request(&tx.store(RECORDS)?.get(&key(id)).map_err(js_failed)?).await?;
        if value.is_undefined() {
            return Ok(None);
        }
        record_of(&value).map(Some)
    }

    async fn put(&self, record: &Household) -> Result<(), StoreError> {
        self.put_all(std::slice::from_ref(record)).await
    }

    async fn put_all(&self, records: &[Household]) -> Result<(), StoreError> {
        let encoded = records.iter().map(encode).collect::<Result<Vec<_>, _>>()?;
        let tx = self.tx(&[RECORDS, HISTORY], IdbTransactionMode::Readwrite).await?;
        let result: Result<(), StoreError> = async {
            let (rs, hs) = (tx.store(RECORDS)?, tx.store(HISTORY)?);
            for (r, json) in records.iter().zip(&encoded) {
                write_record(&rs, &hs, r, json)?;
            }
            // Prune each record's history: issue every key lookup, then delete as they answer.
            let mut seen = std::collections::HashSet::new();
            let lookups = records
                .iter()
                .filter(|r| seen.insert(r.id))
                .map(|r| history_keys(&hs, r.id))
                .collect::<Result<Vec<_>, _>>()?;
            for lookup in lookups {
                drop_oldest(&hs, &lookup.await?, HISTORY_LIMIT)?;
            }
            Ok(())
        }
        .await;
        if let Err(e) = result {
            tx.abort();
            return Err(e);
        }
        tx.commit().await
    }

    async fn list(&self) -> Result<Vec<Household>, StoreError> {
        let tx = self.tx(&[RECORDS], IdbTransactionMode::Readonly).await?;
        let all: Array = request(&tx.store(RECORDS)?.get_all().map_err(js_failed)?).await?.unchecked_into();
        all.iter().map(|v| record_of(&v)).collect()
    }

    async fn delete(&self, id: Uuid) -> Result<(), StoreError> {
        let tx = self.tx(&[RECORDS, HISTORY, META], IdbTransactionMode::Readwrite).await?;
        let result: Result<(), StoreError> = async {
            tx.store(RECORDS)?.delete(&key(id)).map_err(js_failed)?;
            tx.store(META)?.delete(&key(id)).map_err(js_failed)?;
            let history = tx.store(HISTORY)?;
            let keys = history_keys(&history, id)?.await?;
            drop_oldest(&history, &keys, 0)
        }
        .await;
        if let Err(e) = result {
            tx.abort();
            return Err(e);
        }
        tx.commit().await
    }

    async fn history(&self, id: Uuid) -> Result<Vec<Household>, StoreError> {
        let tx = self.tx(&[HISTORY], IdbTransactionMode::Readonly).await?;
        let index = tx.store(HISTORY)?.index(BY_RECORD).map_err(js_failed)?;
        let range = IdbKeyRange::only(&key(id)).map_err(js_failed)?;
        let entries: Array = request(&index.get_all_with_key(&range).map_err(js_failed)?).await?.unchecked_into();
        let mut states = entries
            .iter()
            .map(|e| record_of(&e))
            .collect::<Result<Vec<_>, _>>()?;
        states.reverse();
        Ok(states)
    }

    async fn get_meta(&self, id: Uuid) -> Result<Option<RecordMeta>, StoreError> {
        let tx = self.tx(&[META], IdbTransactionMode::Readonly).await?;
        let value = request(&tx.store(META)?.get(&key(id)).map_err(js_failed)?).await?;
        if value.is_undefined() {
            return Ok(None);
        }
        serde_json::from_str(&to_text(&value)?).map(Some).map_err(|e| StoreError::corrupt(format!("记录 {id} 的标记"), e))
    }

    async fn put_meta(&self, id: Uuid, meta: &RecordMeta) -> Result<(), StoreError> {
        let json = serde_json::to_string(meta).map_err(StoreError::failed)?;
        let tx = self.tx(&[META], IdbTransactionMode::Readwrite).await?;
        tx.store(META)?.put_with_key(&to_js(&json)?, &key(id)).map_err(js_failed)?;
        tx.commit().await
    }

    async fn put_meta_all(&self, metas: &[(Uuid, RecordMeta)]) -> Result<(), StoreError> {
        let encoded = metas.iter().map(|(id, m)| Ok((*id, serde_json::to_string(m).map_err(StoreError::failed)?))).collect::<Result<Vec<_>, StoreError>>()?;
        let tx = self.tx(&[META], IdbTransactionMode::Readwrite).await?;
        let result: Result<(), StoreError> = (|| {
            let store = tx.store(META)?;
            for (id, json) in &encoded {
                store.put_with_key(&to_js(json)?, &key(*id)).map_err(js_failed)?;
            }
            Ok(())
        })();
        if let Err(e) = result {
            tx.abort();
            return Err(e);
        }
        tx.commit().await
    }

    async fn list_meta(&self) -> Result<Vec<(Uuid, RecordMeta)>, StoreError> {
        let tx = self.tx(&[META], IdbTransactionMode::Readonly).await?;
        let store = tx.store(META)?;
        let keys = request(&store.get_all_keys().map_err(js_failed)?);
        let values = request(&store.get_all().map_err(js_failed)?);
        let keys: Array = keys.await?.unchecked_into();
        let values: Array = values.await?.unchecked_into();
        keys.iter()
            .zip(values.iter())
            .map(|(k, v)| {
                let k = k.as_string().unwrap_or_default();
                let id = Uuid::parse_str(&k).map_err(|e| StoreError::corrupt("标记", e))?;
                let meta = serde_json::from_str(&to_text(&v)?).map_err(|e| StoreError::corrupt(format!("记录 {id} 的标记"), e))?;
                Ok((id, meta))
            })
            .collect()
    }

    async fn clear(&self) -> Result<(), StoreError> {
        let tx = self.tx(&[RECORDS, HISTORY, META], IdbTransactionMode::Readwrite).await?;
        for name in [RECORDS, HISTORY, META] {
            tx.store(name)?.clear().map_err(js_failed)?;
        }
        tx.commit().await
    }
}
