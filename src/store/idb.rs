//! The IndexedDB [`RecordStore`], written directly on `web-sys` (no wrapper crate).
//!
//! Database `ruhu`, version [`DB_VERSION`] (`upgrade` has one `if old < N` step per version
//! and never changes an earlier one; a connection that sees `versionchange` closes itself so
//! that another tab can upgrade, and is opened again on next use):
//! - `records`: key path `id`; value `{ id, household_id, revision, updated_at, json,
//!   in_history? }` where `json` is the record's JSON (`ruhu.household/1`, unknown keys kept)
//!   as UTF-8 bytes (a `Uint8Array`; text is read too), the other fields are copies for
//!   indexes a later version may add, and `in_history: false` marks a state that has no
//!   history entry yet (written by `put_all`, i.e. imported; absent = it has one).
//! - `history`: auto-increment key; value `{ record_id, revision, json }` (the same `json`);
//!   index `record_id`. Key order within one record is save order. A record's saved states are
//!   its entries, then its current state when that is marked `in_history: false`.
//! - `meta`: out-of-line key = record id; value = the [`RecordMeta`] JSON as a JS object. Keys
//!   that start with `~` (after every id in key order, so outside the range
//!   [`RecordStore::list_meta`] reads) are the app's own: `~generation` (a new random token put
//!   by every write transaction, [`RecordStore::generation`]), and the values the pages leave
//!   for each other ([`AppValues`] texts and [`IdbStore::put_app_object`] objects; their keys
//!   and meaning are `ui::handover`'s: the home list's snapshot, files picked on the start
//!   page).
//! - `attachments` (version 2, issue 15): key path `id` (the attachment id); value `{ id,
//!   record_id, mime, bytes, blob }` — `blob` a `Blob` of the photo's bytes, or `sealed` (a
//!   `Uint8Array` envelope at place `attachment/<id>`) instead with the app lock on; index
//!   `record_id`. A record's `delete` removes its attachments in the same transaction
//!   (`attachments` module).
//!
//! A `put` writes `records` and `history` and prunes the history in one readwrite
//! transaction. A `put_all` (import) writes only `records` for new records — one request per
//! record instead of three (record, history entry, history lookup), which is what an import
//! of thousands of records costs; a state without an entry gets one when a later write
//! replaces it. Requests are issued before any is awaited; the transaction stays active across
//! the awaits because wasm-bindgen-futures polls in microtasks of the request's success event.
//! The connection is opened once per database name and kept. When the browser closes it (a
//! `close` event, a `versionchange`, or a connection found closed: `transaction()` throws
//! `InvalidStateError`) it is forgotten and opened again by the next request; a write that
//! was running is aborted by the browser and reported, and the editor's autosave retries it.
//!
//! `put_over` (a save on top of the state the editor loaded) reads the stored value in the
//! write's own transaction, decodes it and compares it with the expected state
//! ([`super::same_state`]); when it differs the transaction is aborted before anything was
//! put, so another tab's save that committed first is never overwritten.
//!
//! **Why bytes and not JS objects.** Listing reads every record back. As bytes that is one
//! copy per record into wasm memory; as objects it was a structured clone of a deep object
//! (for 5,000 four-member records about 0.9 s before any decoding, measured in Chromium on a
//! 2-core machine), then `JSON.stringify` and a UTF-16 → UTF-8 copy. With bytes `list()` of
//! 5,000 records takes about 0.7 s in a release build (`tests/store_wasm.rs` prints it;
//! unoptimised code decodes several times slower); what remains is about
//! half IndexedDB's own read and half decoding `Household`.
//!
//! **Why hand-written and not `idb` 0.6 or `rexie` 0.6.** This file (about 950 lines) has
//! exactly the pieces needed — one multi-store transaction for put + history + prune,
//! requests issued before they are awaited, reads of every value or key in one request, the
//! `versionchange` close — with no extra crate in a wasm build at its size budget, and errors
//! mapped straight from the `DOMException` name (`QuotaExceededError` → the quota message).

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use js_sys::{Array, Function, Promise};
use uuid::Uuid;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{
    DomException, IdbDatabase, IdbIndexParameters, IdbKeyRange, IdbObjectStore,
    IdbObjectStoreParameters, IdbOpenDbRequest, IdbRequest, IdbTransaction, IdbTransactionMode,
    IdbVersionChangeEvent,
};

use super::{
    check_app_key, decode, decode_bytes, same_bytes, same_state, AppValues, AppValuesRead, AsRead,
    ExportMark, Held, Lazy, Over, RecordMeta, RecordStore, StoreError, HISTORY_LIMIT,
    WRITTEN_PREFIX,
};
use crate::core::record::Household;
use crate::store::vault;

mod attachments;
mod reseal;
mod sealed;

pub use reseal::{Census, Resealed, BATCH as RESEAL_BATCH};

/// The app's database.
pub const DB_NAME: &str = "ruhu";
/// The schema version; `upgrade` brings any older database up to it.
pub const DB_VERSION: u32 = 2;

const RECORDS: &str = "records";
const HISTORY: &str = "history";
const META: &str = "meta";
const ATTACHMENTS: &str = "attachments";
const BY_RECORD: &str = "record_id";
/// The `meta` key of the store's generation (see the module's doc); every record id sorts
/// before `~`.
const GENERATION: &str = "~generation";
/// A record value's mark that its current state has no history entry yet (see
/// [`IdbStore::write`]).
const IN_HISTORY: &str = "in_history";

thread_local! {
    static CONNECTIONS: RefCell<HashMap<String, IdbDatabase>> = RefCell::new(HashMap::new());
    /// Every write transaction fails with this while set ([`IdbStore::fail_writes_for_test`]).
    static FAIL_WRITES: RefCell<Option<StoreError>> = const { RefCell::new(None) };
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

    /// How many values each object store holds: `(records, history, meta)` (tests and
    /// diagnostics: what a write really stored).
    pub async fn value_counts(&self) -> Result<(u32, u32, u32), StoreError> {
        let tx = self.tx(&[RECORDS, HISTORY, META], IdbTransactionMode::Readonly).await?;
        let count = |name: &str| -> Result<_, StoreError> {
            Ok(request(&tx.store(name)?.count().map_err(js_failed)?))
        };
        let (r, h) = (count(RECORDS)?, count(HISTORY)?);
        let m = request(&tx.store(META)?.count_with_key(&record_marks()?).map_err(js_failed)?);
        let n = |v: JsValue| v.as_f64().unwrap_or(0.0) as u32;
        Ok((n(r.await?), n(h.await?), n(m.await?)))
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

    /// Writes records in one transaction. `pending`: their states get no history entry now
    /// (an import); each becomes one when a later write replaces it. Either way, a replaced
    /// state without an entry gets one first, so the history always ends with the current
    /// state and keeps the last [`HISTORY_LIMIT`] states.
    ///
    /// Requests: a new record is one `put` (after one `getAllKeys` for the whole write when it
    /// has many records); a stored one adds a `get`, and a history lookup for pruning when an
    /// entry was added. Every request is issued before any is awaited.
    ///
    /// `over`: the state the one record of `records` was edited from ([`RecordStore::put_over`]);
    /// the stored value is read in this transaction, and when it holds another state the
    /// transaction is aborted (nothing written) and [`Over::Changed`] returned.
    async fn write(
        &self,
        records: &[Household],
        as_read: &[AsRead<'_>],
        pending: bool,
        over: Option<&Household>,
    ) -> Result<Over, StoreError> {
        if records.is_empty() {
            return Ok(Over::Written);
        }
        // Many records with the lock on: sealed all at once before the transaction opens.
        let presealed = sealed::seal_many(records, as_read).await?;
        let tx = self.tx(&[RECORDS, HISTORY, META], IdbTransactionMode::Readwrite).await?;
        let result: Result<Over, StoreError> = async {
            bump(&tx)?;
            let (rs, hs) = (tx.store(RECORDS)?, tx.store(HISTORY)?);
            let n = Names::new();
            // The ids, each once, and their stored values.
            let mut first: HashMap<Uuid, usize> = HashMap::new();
            let ids: Vec<(Uuid, JsValue)> = records
                .iter()
                .filter(|r| first.insert(r.id, first.len()).is_none())
                .map(|r| (r.id, key(r.id)))
                .collect();
            let keys: Vec<JsValue> = ids.iter().map(|(_, k)| k.clone()).collect();
            let stored = stored_values(&rs, &keys).await?;
            if let (Some(base), Some(Some(v))) = (over, stored.first()) {
                let now = record_of(v)?;
                if !same_state(&now, base) {
                    return Ok(Over::Changed(Box::new(now)));
                }
            }
            let mut replaced: HashMap<Uuid, Replaced> = HashMap::new();
            // The records stored before this write (the others have only the history entries it adds).
            let mut existed = std::collections::HashSet::new();
            for ((id, _), value) in ids.iter().zip(stored) {
                if let Some(v) = value {
                    existed.insert(*id);
                    if !has_history_entry(&v, &n)? {
                        replaced.insert(*id, Replaced::Stored(v));
                    }
                }
            }
            let key_of: HashMap<Uuid, &JsValue> = ids.iter().map(|(id, k)| (*id, k)).collect();
            let mut entries_added: Vec<Uuid> = Vec::new();
            // Each record is encoded into one reused buffer and copied out as its JS array.
            let mut buffer = Vec::new();
            for (i, r) in records.iter().enumerate() {
                let id_key = key_of[&r.id];
                let id_text = r.id.to_string();
                let json = match as_read.get(i).copied().flatten() {
                    _ if presealed.is_some() => presealed.as_ref().expect("sealed")[i].clone(),
                    // Bytes read from a file that this app wrote: the record as it would be
                    // encoded (with the lock on, sealed from one copy of them).
                    Some([a, b]) if a.starts_with(WRITTEN_PREFIX) && vault::sealing() => {
                        buffer.clear();
                        buffer.extend_from_slice(a);
                        buffer.extend_from_slice(b);
                        sealed::record_json(&id_text, &buffer)?
                    }
                    Some([a, b]) if a.starts_with(WRITTEN_PREFIX) => {
                        let json = js_sys::Uint8Array::new_with_length((a.len() + b.len()) as u32);
                        json.subarray(0, a.len() as u32).copy_from(a);
                        json.subarray(a.len() as u32, (a.len() + b.len()) as u32).copy_from(b);
                        json
                    }
                    _ => {
                        buffer.clear();
                        crate::core::json::append(&mut buffer, r);
                        sealed::record_json(&id_text, &buffer)?
                    }
                };
                let revision = JsValue::from_f64(r.revision as f64);
                // The state this one replaces, if it has no history entry yet, gets one.
                if let Some(prev) = replaced.remove(&r.id) {
                    match prev {
                        Replaced::Stored(v) => {
                            let entry = js_sys::Object::new();
                            set(&entry, &n.record_id, id_key)?;
                            set(&entry, &n.revision, &get(&v, &n.revision)?)?;
                            // As the lock's mode stores it (a pass may not have reached it).
                            let json = get(&v, &n.json)?;
                            let json = sealed::refit_json(&id_text, &json)?.unwrap_or(json);
                            set(&entry, &n.json, &json)?;
                            hs.add(&entry).map_err(js_failed)?;
                        }
                        Replaced::Earlier(earlier, json) => {
                            put_with_json(&hs, true, &n, &json, |e| {
                                set(e, &n.record_id, id_key)?;
                                set(e, &n.revision, &earlier)
                            })?;
                        }
                    }
                    entries_added.push(r.id);
                }
                let household = key(r.household_id);
                let updated_at = JsValue::from_str(&r.updated_at.0.to_rfc3339());
                put_with_json(&rs, false, &n, &json, |v| {
                    set(v, &n.id, id_key)?;
                    set(v, &n.household_id, &household)?;
                    set(v, &n.revision, &revision)?;
                    set(v, &n.updated_at, &updated_at)?;
                    if pending {
                        set(v, &n.in_history, &JsValue::FALSE)?;
                    }
                    Ok(())
                })?;
                if pending {
                    replaced.insert(r.id, Replaced::Earlier(revision, json));
                } else {
                    put_with_json(&hs, true, &n, &json, |e| {
                        set(e, &n.record_id, id_key)?;
                        set(e, &n.revision, &revision)
                    })?;
                    entries_added.push(r.id);
                }
            }
            // Prune the histories that grew: issue every key lookup, then delete as they answer.
            // With its current state pending, a record keeps one entry less. A record new in
            // this write has only the entries it added: no lookup unless they are too many.
            let keep = if pending { HISTORY_LIMIT - 1 } else { HISTORY_LIMIT };
            let mut added: HashMap<Uuid, usize> = HashMap::new();
            for id in &entries_added {
                *added.entry(*id).or_default() += 1;
            }
            let mut seen = std::collections::HashSet::new();
            entries_added
                .retain(|id| seen.insert(*id) && (existed.contains(id) || added[id] > keep));
            let lookups = entries_added
                .iter()
                .map(|id| history_keys(&hs, *id))
                .collect::<Result<Vec<_>, _>>()?;
            for lookup in lookups {
                drop_oldest(&hs, &lookup.await?, keep)?;
            }
            Ok(Over::Written)
        }
        .await;
        match result {
            Ok(Over::Written) => {
                tx.commit().await?;
                super::broadcast::post(&records.iter().map(|r| r.id).collect::<Vec<_>>());
                Ok(Over::Written)
            }
            Ok(changed) => {
                let _ = tx.tx.abort();
                Ok(changed)
            }
            Err(e) => tx.finish(Err(e)).await.map(|()| Over::Written),
        }
    }

    /// A transaction on a connection that is open: when the kept one was closed under us (the
    /// browser closed it, or a `versionchange` closed it before our handler ran),
    /// `transaction()` throws `InvalidStateError`; the connection is then forgotten and opened
    /// again, once.
    async fn tx(&self, stores: &[&str], mode: IdbTransactionMode) -> Result<Tx, StoreError> {
        if mode == IdbTransactionMode::Readwrite {
            if let Some(e) = FAIL_WRITES.with(|f| f.borrow().clone()) {
                return Err(e);
            }
            // With the lock on and no key, nothing is written (it would be plain).
            vault::refuse_if_locked()?;
        }
        let names: Array = stores.iter().map(|s| JsValue::from_str(s)).collect();
        let db = self.db().await?;
        match db.transaction_with_str_sequence_and_mode(&names, mode) {
            Ok(tx) => Ok(Tx::new(tx)),
            Err(e) if is_invalid_state(&e) => {
                self.forget(&db);
                let db = self.db().await?;
                let tx =
                    db.transaction_with_str_sequence_and_mode(&names, mode).map_err(js_failed)?;
                Ok(Tx::new(tx))
            }
            Err(e) => Err(js_failed(e)),
        }
    }

    /// Forgets the kept connection if it is `db` (closes it first).
    fn forget(&self, db: &IdbDatabase) {
        db.close();
        CONNECTIONS.with(|c| {
            let mut c = c.borrow_mut();
            if c.get(&self.name).is_some_and(|kept| kept == db) {
                c.remove(&self.name);
            }
        });
    }

    /// Makes every write transaction of every IndexedDB store of this page fail with `error`
    /// (as the browser reports a full disk: [`StoreError::quota`]) until called with `None`;
    /// reads still work. For tests (the e2e fault suite through `ruhu-debug`: Chromium's
    /// `Storage.overrideQuotaForOrigin` does not limit a test profile's IndexedDB).
    pub fn fail_writes_for_test(error: Option<StoreError>) {
        FAIL_WRITES.with(|f| *f.borrow_mut() = error);
    }

    /// Closes the kept connection without telling the store, as a browser does when it closes
    /// a database under a page: the next request finds it closed and opens it again. For tests
    /// (`tests/store_wasm.rs`, and the e2e fault suite through `ruhu-debug`).
    pub fn close_connection_for_test(&self) {
        if let Some(db) = CONNECTIONS.with(|c| c.borrow().get(&self.name).cloned()) {
            db.close();
        }
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
            Err(_) => Err(self
                .tx
                .error()
                .map(dom_error)
                .unwrap_or_else(|| StoreError::failed("事务被中止"))),
        }
    }

    /// Commits when the requests were all issued (`result` is `Ok`), else aborts the
    /// transaction — nothing of it is written — and returns the error.
    async fn finish(self, result: Result<(), StoreError>) -> Result<(), StoreError> {
        match result {
            Ok(()) => self.commit().await,
            Err(e) => {
                let _ = self.tx.abort();
                Err(e)
            }
        }
    }
}

fn factory() -> Result<web_sys::IdbFactory, StoreError> {
    let global = js_sys::global();
    let idb = js_sys::Reflect::get(&global, &JsValue::from_str("indexedDB"))
        .map_err(StoreError::unavailable_js)?;
    idb.dyn_into::<web_sys::IdbFactory>()
        .map_err(|_| StoreError::unavailable("浏览器不支持 IndexedDB"))
}

async fn open(name: &str) -> Result<IdbDatabase, StoreError> {
    let req: IdbOpenDbRequest =
        factory()?.open_with_u32(name, DB_VERSION).map_err(StoreError::unavailable_js)?;
    let upgrade_error: Rc<RefCell<Option<StoreError>>> = Rc::default();
    let on_upgrade = Closure::<dyn FnMut(IdbVersionChangeEvent)>::new({
        let req = req.clone();
        let upgrade_error = upgrade_error.clone();
        move |event: IdbVersionChangeEvent| {
            let result = req
                .result()
                .and_then(|db| db.dyn_into::<IdbDatabase>())
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
    if old < 2 {
        let keyed = IdbObjectStoreParameters::new();
        keyed.set_key_path(&JsValue::from_str("id"));
        let attachments = db.create_object_store_with_optional_parameters(ATTACHMENTS, &keyed)?;
        let by_record = IdbIndexParameters::new();
        by_record.set_unique(false);
        attachments
            .create_index_with_str_and_optional_parameters(BY_RECORD, BY_RECORD, &by_record)?;
    }
    Ok(())
}

/// The `meta` keys of records (not the app's own `~…` values).
fn record_marks() -> Result<JsValue, StoreError> {
    IdbKeyRange::upper_bound_with_open(&JsValue::from_str("~"), true)
        .map(Into::into)
        .map_err(js_failed)
}

/// Puts a new [`GENERATION`] token in a write transaction (which must include `meta`).
fn bump(tx: &Tx) -> Result<(), StoreError> {
    let token = JsValue::from_str(&Uuid::new_v4().simple().to_string());
    tx.store(META)?.put_with_key(&token, &JsValue::from_str(GENERATION)).map_err(js_failed)?;
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
            Err(_) => Err(req
                .error()
                .ok()
                .flatten()
                .map(dom_error)
                .unwrap_or_else(|| StoreError::failed("请求失败"))),
        }
    }
}

/// Whether a thrown value is an `InvalidStateError` (a closed connection).
fn is_invalid_state(e: &JsValue) -> bool {
    e.dyn_ref::<DomException>().is_some_and(|d| d.name() == "InvalidStateError")
}

fn dom_error(e: DomException) -> StoreError {
    match e.name().as_str() {
        "QuotaExceededError" => StoreError::quota(),
        "InvalidStateError" | "UnknownError" => {
            StoreError::failed(format!("{}（{}），请重新打开应用", e.name(), e.message()))
        }
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

/// A record's marks (JSON text) as stored under `id` in `meta` (sealed with the lock on).
fn to_js(id: Uuid, json: &str) -> Result<JsValue, StoreError> {
    sealed::meta_value(&id.to_string(), json)
}

/// The JSON text of the marks stored under `id`.
fn to_text(id: Uuid, value: &JsValue) -> Result<String, StoreError> {
    sealed::meta_text(&id.to_string(), value)
}

/// The record of a stored record or history entry (its `json`: UTF-8 bytes, or text).
fn record_of(value: &JsValue) -> Result<Household, StoreError> {
    let json = js_sys::Reflect::get(value, &JsValue::from_str("json")).map_err(js_failed)?;
    if let Some(bytes) = json.dyn_ref::<js_sys::Uint8Array>() {
        let bytes = bytes.to_vec();
        if vault::is_sealed(&bytes) {
            return decode_bytes(&vault::open(&sealed::record_place(&record_id(value)?), &bytes)?);
        }
        decode_bytes(&bytes)
    } else if let Some(text) = json.as_string() {
        decode(&text)
    } else {
        Err(StoreError::corrupt("存储的记录", "缺少 json"))
    }
}

/// The record id of a stored record (`id`) or history entry (`record_id`).
fn record_id(value: &JsValue) -> Result<String, StoreError> {
    let id = js_sys::Reflect::get(value, &JsValue::from_str("id")).map_err(js_failed)?;
    let id = match id.as_string() {
        Some(id) => id,
        None => js_sys::Reflect::get(value, &JsValue::from_str("record_id"))
            .map_err(js_failed)?
            .as_string()
            .unwrap_or_default(),
    };
    Ok(id)
}

fn key(id: Uuid) -> JsValue {
    JsValue::from_str(&id.to_string())
}

/// Property names of the stored values, made into JS strings once per call (not once per
/// record).
struct Names {
    id: JsValue,
    household_id: JsValue,
    revision: JsValue,
    updated_at: JsValue,
    json: JsValue,
    record_id: JsValue,
    in_history: JsValue,
}

impl Names {
    fn new() -> Names {
        Names {
            id: JsValue::from_str("id"),
            household_id: JsValue::from_str("household_id"),
            revision: JsValue::from_str("revision"),
            updated_at: JsValue::from_str("updated_at"),
            json: JsValue::from_str("json"),
            record_id: JsValue::from_str("record_id"),
            in_history: JsValue::from_str(IN_HISTORY),
        }
    }
}

fn set(o: &js_sys::Object, k: &JsValue, v: &JsValue) -> Result<(), StoreError> {
    js_sys::Reflect::set(o, k, v).map(drop).map_err(js_failed)
}

fn get(o: &JsValue, k: &JsValue) -> Result<JsValue, StoreError> {
    js_sys::Reflect::get(o, k).map_err(js_failed)
}

/// Whether a stored record value's current state already has a history entry (`in_history`
/// is only ever written as `false`; values without it, as every `put` writes them, have one).
fn has_history_entry(value: &JsValue, n: &Names) -> Result<bool, StoreError> {
    Ok(get(value, &n.in_history)? != JsValue::FALSE)
}

/// Issues `store.put(value)` / `store.add(value)` for a value whose `json` is `json`, with
/// `fill` setting the other properties.
///
/// `json` is a JS array of its own (a copy of the bytes), not a view on wasm memory:
/// IndexedDB stores a typed array with the *whole* buffer behind it (structured clone), so a
/// view would store all of wasm memory with every record (tried: an import of 5,000 records
/// then blocks the page for minutes). One array can be put several times (a record and its
/// history entry): the value is cloned when the request is made.
fn put_with_json(
    store: &IdbObjectStore,
    add: bool,
    n: &Names,
    json: &js_sys::Uint8Array,
    fill: impl FnOnce(&js_sys::Object) -> Result<(), StoreError>,
) -> Result<(), StoreError> {
    let value = js_sys::Object::new();
    fill(&value)?;
    set(&value, &n.json, json)?;
    let request = if add { store.add(&value) } else { store.put(&value) };
    request.map(drop).map_err(js_failed)
}

/// Whether a stored value holds exactly `r`: the same revision, and its JSON the bytes `r`
/// came as (`as_read`) or else the bytes `r` would be stored as (compared without decoding).
fn same_json(
    value: &JsValue,
    r: &Household,
    as_read: AsRead<'_>,
    n: &Names,
    buffer: &mut Vec<u8>,
) -> Result<bool, StoreError> {
    if get(value, &n.revision)?.as_f64() != Some(r.revision as f64) {
        return Ok(false);
    }
    let json = get(value, &n.json)?;
    if let Some(bytes) = json.dyn_ref::<js_sys::Uint8Array>() {
        buffer.resize(bytes.length() as usize, 0);
        bytes.copy_to(buffer);
        if vault::is_sealed(buffer) {
            let plain = vault::open(&sealed::record_place(&r.id.to_string()), buffer)?;
            return Ok(same_bytes(&plain, as_read, || crate::core::json::to_vec(r)));
        }
        Ok(same_bytes(buffer, as_read, || crate::core::json::to_vec(r)))
    } else {
        Ok(json.as_string().is_some_and(|text| {
            same_bytes(text.as_bytes(), as_read, || crate::core::json::to_vec(r))
        }))
    }
}

/// The state a write replaces, when it must become a history entry first.
enum Replaced {
    /// A stored value (its `json` is already a JS array: no copy through wasm).
    Stored(JsValue),
    /// An earlier record of the same write: its revision and its JSON array.
    Earlier(JsValue, js_sys::Uint8Array),
}

/// The stored values of the records' ids, for those that are stored. A few ids are looked up
/// one by one; many (an import) by first asking for every stored key in one request, so that
/// new records cost no lookup.
async fn stored_values(
    rs: &IdbObjectStore,
    ids: &[JsValue],
) -> Result<Vec<Option<JsValue>>, StoreError> {
    let exists: Vec<bool> = if ids.len() <= 16 {
        vec![true; ids.len()]
    } else {
        let keys = request(&rs.get_all_keys().map_err(js_failed)?).await?;
        let keys = js_sys::Set::new(&keys);
        ids.iter().map(|id| keys.has(id)).collect()
    };
    // Issue every lookup, then wait for them in order.
    let pending = ids
        .iter()
        .zip(&exists)
        .map(|(id, &e)| e.then(|| rs.get(id).map(|r| request(&r)).map_err(js_failed)).transpose())
        .collect::<Result<Vec<_>, _>>()?;
    let mut out = Vec::with_capacity(ids.len());
    for p in pending {
        out.push(match p {
            Some(p) => Some(p.await?).filter(|v| !v.is_undefined()),
            None => None,
        });
    }
    Ok(out)
}

/// The history keys of a record, oldest first (a request issued now, awaited later).
fn history_keys(
    history: &IdbObjectStore,
    id: Uuid,
) -> Result<impl std::future::Future<Output = Result<Array, StoreError>>, StoreError> {
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
        self.write(std::slice::from_ref(record), &[], false, None).await.map(drop)
    }

    async fn put_over(&self, record: &Household, base: &Household) -> Result<Over, StoreError> {
        self.write(std::slice::from_ref(record), &[], false, Some(base)).await
    }

    async fn put_all(&self, records: &[Household]) -> Result<(), StoreError> {
        self.write(records, &[], true, None).await.map(drop)
    }

    async fn put_all_as_read(
        &self,
        records: &[Household],
        as_read: &[AsRead<'_>],
    ) -> Result<(), StoreError> {
        self.write(records, as_read, true, None).await.map(drop)
    }

    async fn list(&self) -> Result<Vec<Household>, StoreError> {
        let tx = self.tx(&[RECORDS], IdbTransactionMode::Readonly).await?;
        let all: Array =
            request(&tx.store(RECORDS)?.get_all().map_err(js_failed)?).await?.unchecked_into();
        let mut opened = sealed::open_many(&all).await?;
        all.iter()
            .enumerate()
            .map(|(i, v)| match opened.remove(&i) {
                Some(plain) => decode_bytes(&plain),
                None => record_of(&v),
            })
            .collect()
    }

    async fn delete(&self, id: Uuid) -> Result<(), StoreError> {
        let tx =
            self.tx(&[RECORDS, HISTORY, META, ATTACHMENTS], IdbTransactionMode::Readwrite).await?;
        let result: Result<(), StoreError> = async {
            bump(&tx)?;
            tx.store(RECORDS)?.delete(&key(id)).map_err(js_failed)?;
            tx.store(META)?.delete(&key(id)).map_err(js_failed)?;
            attachments::delete_of_record(&tx.store(ATTACHMENTS)?, id).await?;
            let history = tx.store(HISTORY)?;
            let keys = history_keys(&history, id)?.await?;
            drop_oldest(&history, &keys, 0)
        }
        .await;
        tx.finish(result).await?;
        super::broadcast::post(&[id]);
        Ok(())
    }

    async fn history(&self, id: Uuid) -> Result<Vec<Household>, StoreError> {
        Ok(self.histories(&[id]).await?.pop().unwrap_or_default())
    }

    async fn histories(&self, ids: &[Uuid]) -> Result<Vec<Vec<Household>>, StoreError> {
        let tx = self.tx(&[RECORDS, HISTORY], IdbTransactionMode::Readonly).await?;
        let (rs, index) =
            (tx.store(RECORDS)?, tx.store(HISTORY)?.index(BY_RECORD).map_err(js_failed)?);
        // Issue every request, then read the answers in order.
        let pending = ids
            .iter()
            .map(|id| {
                let current = request(&rs.get(&key(*id)).map_err(js_failed)?);
                let range = IdbKeyRange::only(&key(*id)).map_err(js_failed)?;
                Ok((current, request(&index.get_all_with_key(&range).map_err(js_failed)?)))
            })
            .collect::<Result<Vec<_>, StoreError>>()?;
        let n = Names::new();
        let mut out = Vec::with_capacity(ids.len());
        for (current, entries) in pending {
            let (current, entries) = (current.await?, entries.await?);
            let entries: Array = entries.unchecked_into();
            let mut states = Vec::with_capacity(entries.length() as usize + 1);
            // The current state, when it has no entry yet (imported, not edited since).
            if !current.is_undefined() && !has_history_entry(&current, &n)? {
                states.push(record_of(&current)?);
            }
            for e in entries.iter().rev() {
                if states.len() == HISTORY_LIMIT {
                    break;
                }
                states.push(record_of(&e)?);
            }
            out.push(states);
        }
        Ok(out)
    }

    async fn compare<'a>(
        &self,
        records: &[&Household],
        as_read: impl FnOnce() -> Vec<AsRead<'a>>,
    ) -> Result<Vec<Held>, StoreError> {
        if records.is_empty() {
            return Ok(Vec::new());
        }
        let tx = self.tx(&[RECORDS], IdbTransactionMode::Readonly).await?;
        let rs = tx.store(RECORDS)?;
        let n = Names::new();
        let mut stored: HashMap<Uuid, JsValue> = HashMap::new();
        if records.len() <= 16 {
            let mut seen = std::collections::HashSet::new();
            let pending = records
                .iter()
                .filter(|r| seen.insert(r.id))
                .map(|r| Ok((r.id, request(&rs.get(&key(r.id)).map_err(js_failed)?))))
                .collect::<Result<Vec<_>, StoreError>>()?;
            for (id, p) in pending {
                let v = p.await?;
                if !v.is_undefined() {
                    stored.insert(id, v);
                }
            }
        } else {
            // Many (an import): every stored value in one request; reading them is IndexedDB's
            // part of a listing, decoding them (the larger part) is skipped.
            let all: Array = request(&rs.get_all().map_err(js_failed)?).await?.unchecked_into();
            stored.reserve(all.length() as usize);
            for v in all.iter() {
                let id = get(&v, &n.id)?.as_string().and_then(|s| Uuid::parse_str(&s).ok());
                let id = id.ok_or_else(|| StoreError::corrupt("存储的记录", "缺少 id"))?;
                stored.insert(id, v);
            }
        }
        let mut buffer = Vec::new();
        let mut as_read = Lazy::new(as_read);
        // Sealed values opened all at once (WebCrypto) when there are many.
        let ids: Vec<Uuid> = stored.keys().copied().collect();
        let values: Array = ids.iter().map(|id| stored[id].clone()).collect();
        let plain: HashMap<Uuid, Vec<u8>> = if ids.len() > 16 {
            sealed::open_many(&values).await?.into_iter().map(|(i, p)| (ids[i], p)).collect()
        } else {
            HashMap::new()
        };
        records
            .iter()
            .enumerate()
            .map(|(i, r)| {
                let Some(v) = stored.get(&r.id) else { return Ok(Held::Absent) };
                if let Some(p) = plain.get(&r.id) {
                    let same = get(v, &n.revision)?.as_f64() == Some(r.revision as f64)
                        && same_bytes(p, as_read.get(i), || crate::core::json::to_vec(r));
                    return if same {
                        Ok(Held::Same)
                    } else {
                        decode_bytes(p).map(|h| Held::Other(Box::new(h)))
                    };
                }
                if same_json(v, r, as_read.get(i), &n, &mut buffer)? {
                    Ok(Held::Same)
                } else {
                    record_of(v).map(|h| Held::Other(Box::new(h)))
                }
            })
            .collect()
    }

    async fn get_meta(&self, id: Uuid) -> Result<Option<RecordMeta>, StoreError> {
        let tx = self.tx(&[META], IdbTransactionMode::Readonly).await?;
        let value = request(&tx.store(META)?.get(&key(id)).map_err(js_failed)?).await?;
        if value.is_undefined() {
            return Ok(None);
        }
        serde_json::from_str(&to_text(id, &value)?)
            .map(Some)
            .map_err(|e| StoreError::corrupt(format!("记录 {id} 的标记"), e))
    }

    async fn put_meta(&self, id: Uuid, meta: &RecordMeta) -> Result<(), StoreError> {
        let json = serde_json::to_string(meta).map_err(StoreError::failed)?;
        let value = to_js(id, &json)?;
        let tx = self.tx(&[META], IdbTransactionMode::Readwrite).await?;
        bump(&tx)?;
        tx.store(META)?.put_with_key(&value, &key(id)).map_err(js_failed)?;
        tx.commit().await?;
        super::broadcast::post(&[]);
        Ok(())
    }

    async fn put_meta_all(&self, metas: &[(Uuid, RecordMeta)]) -> Result<(), StoreError> {
        let encoded = metas
            .iter()
            .map(|(id, m)| Ok((*id, serde_json::to_string(m).map_err(StoreError::failed)?)))
            .collect::<Result<Vec<_>, StoreError>>()?;
        let tx = self.tx(&[META], IdbTransactionMode::Readwrite).await?;
        let result: Result<(), StoreError> = (|| {
            bump(&tx)?;
            let store = tx.store(META)?;
            for (id, json) in &encoded {
                store.put_with_key(&to_js(*id, json)?, &key(*id)).map_err(js_failed)?;
            }
            Ok(())
        })();
        tx.finish(result).await?;
        super::broadcast::post(&[]);
        Ok(())
    }

    async fn list_meta(&self) -> Result<Vec<(Uuid, RecordMeta)>, StoreError> {
        let tx = self.tx(&[META], IdbTransactionMode::Readonly).await?;
        let store = tx.store(META)?;
        let marks = record_marks()?;
        let keys = request(&store.get_all_keys_with_key(&marks).map_err(js_failed)?);
        let values = request(&store.get_all_with_key(&marks).map_err(js_failed)?);
        let keys: Array = keys.await?.unchecked_into();
        let values: Array = values.await?.unchecked_into();
        keys.iter()
            .zip(values.iter())
            .map(|(k, v)| {
                let k = k.as_string().unwrap_or_default();
                let id = Uuid::parse_str(&k).map_err(|e| StoreError::corrupt("标记", e))?;
                let meta = serde_json::from_str(&to_text(id, &v)?)
                    .map_err(|e| StoreError::corrupt(format!("记录 {id} 的标记"), e))?;
                Ok((id, meta))
            })
            .collect()
    }

    async fn set_export_marks(&self, marks: &[(Uuid, ExportMark)]) -> Result<(), StoreError> {
        if marks.is_empty() {
            return Ok(());
        }
        let tx = self.tx(&[META], IdbTransactionMode::Readwrite).await?;
        let result: Result<(), StoreError> = async {
            bump(&tx)?;
            let store = tx.store(META)?;
            // The marks there are: every one in two requests when many, else one by one.
            let mut existing: HashMap<Uuid, JsValue> = HashMap::new();
            if marks.len() <= 16 {
                let pending = marks
                    .iter()
                    .map(|(id, _)| Ok((*id, request(&store.get(&key(*id)).map_err(js_failed)?))))
                    .collect::<Result<Vec<_>, StoreError>>()?;
                for (id, p) in pending {
                    let v = p.await?;
                    if !v.is_undefined() {
                        existing.insert(id, v);
                    }
                }
            } else {
                let marks = record_marks()?;
                let keys = request(&store.get_all_keys_with_key(&marks).map_err(js_failed)?);
                let values = request(&store.get_all_with_key(&marks).map_err(js_failed)?);
                let (keys, values): (Array, Array) =
                    (keys.await?.unchecked_into(), values.await?.unchecked_into());
                for (k, v) in keys.iter().zip(values.iter()) {
                    if let Some(id) = k.as_string().and_then(|k| Uuid::parse_str(&k).ok()) {
                        existing.insert(id, v);
                    }
                }
            }
            for (id, mark) in marks {
                let mut meta: RecordMeta = match existing.get(id) {
                    Some(v) => serde_json::from_str(&to_text(*id, v)?)
                        .map_err(|e| StoreError::corrupt(format!("记录 {id} 的标记"), e))?,
                    None => RecordMeta::default(),
                };
                meta.export = Some(mark.clone());
                let json = serde_json::to_string(&meta).map_err(StoreError::failed)?;
                store.put_with_key(&to_js(*id, &json)?, &key(*id)).map_err(js_failed)?;
            }
            Ok(())
        }
        .await;
        tx.finish(result).await?;
        super::broadcast::post(&[]);
        Ok(())
    }

    async fn clear(&self) -> Result<(), StoreError> {
        let tx =
            self.tx(&[RECORDS, HISTORY, META, ATTACHMENTS], IdbTransactionMode::Readwrite).await?;
        for name in [RECORDS, HISTORY, META, ATTACHMENTS] {
            tx.store(name)?.clear().map_err(js_failed)?;
        }
        bump(&tx)?;
        tx.commit().await?;
        super::broadcast::post(&[]);
        Ok(())
    }

    async fn update_meta(
        &self,
        ids: &[Uuid],
        mut change: impl FnMut(Uuid, Option<RecordMeta>) -> Option<RecordMeta>,
    ) -> Result<(), StoreError> {
        if ids.is_empty() {
            return Ok(());
        }
        let tx = self.tx(&[META], IdbTransactionMode::Readwrite).await?;
        let result: Result<(), StoreError> = async {
            bump(&tx)?;
            let store = tx.store(META)?;
            // Every read issued before any is awaited; the writes as the reads answer.
            let pending = ids
                .iter()
                .map(|id| Ok((*id, request(&store.get(&key(*id)).map_err(js_failed)?))))
                .collect::<Result<Vec<_>, StoreError>>()?;
            for (id, p) in pending {
                let v = p.await?;
                let meta: Option<RecordMeta> = if v.is_undefined() {
                    None
                } else {
                    Some(
                        serde_json::from_str(&to_text(id, &v)?)
                            .map_err(|e| StoreError::corrupt(format!("记录 {id} 的标记"), e))?,
                    )
                };
                match change(id, meta) {
                    Some(m) => {
                        let json = serde_json::to_string(&m).map_err(StoreError::failed)?;
                        store.put_with_key(&to_js(id, &json)?, &key(id)).map_err(js_failed)?;
                    }
                    None => {
                        store.delete(&key(id)).map_err(js_failed)?;
                    }
                }
            }
            Ok(())
        }
        .await;
        tx.finish(result).await
    }

    async fn generation(&self) -> Result<String, StoreError> {
        let tx = self.tx(&[META], IdbTransactionMode::Readonly).await?;
        let value =
            request(&tx.store(META)?.get(&JsValue::from_str(GENERATION)).map_err(js_failed)?)
                .await?;
        Ok(value.as_string().unwrap_or_default())
    }
}

impl AppValues for IdbStore {
    async fn read_app_values(&self, keys: &[&str]) -> Result<AppValuesRead, StoreError> {
        let tx = self.tx(&[RECORDS, META], IdbTransactionMode::Readonly).await?;
        let meta = tx.store(META)?;
        let get = |k: &str| -> Result<_, StoreError> {
            Ok(request(&meta.get(&JsValue::from_str(k)).map_err(js_failed)?))
        };
        // Every request issued before any is awaited.
        let count = request(&tx.store(RECORDS)?.count().map_err(js_failed)?);
        let generation = get(GENERATION)?;
        let pending = keys.iter().map(|k| get(k)).collect::<Result<Vec<_>, _>>()?;
        let records = count.await?.as_f64().unwrap_or(0.0) as u32;
        let generation = generation.await?.as_string().unwrap_or_default();
        let mut values = Vec::with_capacity(keys.len());
        for (k, p) in keys.iter().zip(pending) {
            values.push(sealed::app_string_of(k, &p.await?)?);
        }
        Ok(AppValuesRead { records, generation, values })
    }

    async fn put_app_values(&self, values: &[(&str, &str)]) -> Result<(), StoreError> {
        for (k, _) in values {
            check_app_key(k)?;
        }
        let stored =
            values.iter().map(|(k, v)| sealed::app_string(k, v)).collect::<Result<Vec<_>, _>>()?;
        let tx = self.tx(&[META], IdbTransactionMode::Readwrite).await?;
        let meta = tx.store(META)?;
        let result = values.iter().zip(&stored).try_for_each(|((k, _), v)| {
            meta.put_with_key(v, &JsValue::from_str(k)).map(drop).map_err(js_failed)
        });
        tx.finish(result).await
    }
}

impl IdbStore {
    /// Keeps a JS value under an app key (see [`AppValues`]; a structured clone, so it may be
    /// what only a browser can store, such as `File`s), replacing one kept before. Not a write
    /// of records: the generation stays.
    pub async fn put_app_object(&self, key: &str, value: &JsValue) -> Result<(), StoreError> {
        check_app_key(key)?;
        let value = sealed::app_object(key, value).await?;
        let tx = self.tx(&[META], IdbTransactionMode::Readwrite).await?;
        let result = tx
            .store(META)?
            .put_with_key(&value, &JsValue::from_str(key))
            .map(drop)
            .map_err(js_failed);
        tx.finish(result).await
    }

    /// The value [`put_app_object`](Self::put_app_object) kept under `key`, left in the store
    /// (`undefined` when there is none): the roster page's kept 花名册 file (`ui::roster`).
    pub async fn get_app_object(&self, key: &str) -> Result<JsValue, StoreError> {
        check_app_key(key)?;
        let tx = self.tx(&[META], IdbTransactionMode::Readonly).await?;
        let value =
            request(&tx.store(META)?.get(&JsValue::from_str(key)).map_err(js_failed)?).await?;
        sealed::app_object_of(key, &value)
    }

    /// The value [`put_app_object`](Self::put_app_object) kept under `key`, removed from the
    /// store in the same transaction (`undefined` when there is none).
    pub async fn take_app_object(&self, key: &str) -> Result<JsValue, StoreError> {
        check_app_key(key)?;
        let tx = self.tx(&[META], IdbTransactionMode::Readwrite).await?;
        let meta = tx.store(META)?;
        let k = JsValue::from_str(key);
        let value = request(&meta.get(&k).map_err(js_failed)?).await?;
        meta.delete(&k).map_err(js_failed)?;
        tx.commit().await?;
        sealed::app_object_of(key, &value)
    }
}
