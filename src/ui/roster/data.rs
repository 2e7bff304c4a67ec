//! The roster page's data: the kept 花名册 file, the office's stored records, and what the
//! core computes from them — the roster as read ([`roster::read`]) and the reconciliation
//! ([`reconcile::reconcile`]) — each once, in a [`Memo`], never per render.
//!
//! **Where the roster is kept.** The file itself (its name and bytes), under the app key
//! [`ROSTER_KEY`] beside the records in the same IndexedDB (`IdbStore::put_app_object`: a
//! structured clone of `{ name, bytes: Uint8Array }`, not a record, so the store's generation
//! and the surveyor's list are untouched). On load it is read again by the core: the reader is
//! the one source of what the roster says (a newer build reads an old file with its newer
//! rules), and reading is well under the 2 s the page may take (`tests/bench/README.md`). A
//! file that cannot be read is never kept: the roster kept before stays.
//!
//! **Records** are every record stored on this device (`store.list()`, what the office
//! imported on its 记录 page), read once when the page opens; the reconciliation takes the
//! latest visit per household by the core's one rule (`visits`), inside `reconcile`.
//!
//! Performance marks `roster-start`, `roster-loaded` (file and records read), `roster-read`
//! and `roster-reconciled`, and `ruhu-bench roster …` console lines with the milliseconds,
//! are what `tests/e2e/bench/roster.mjs` measures.

use std::sync::Arc;

use leptos::prelude::*;
use wasm_bindgen::{JsCast, JsValue};

use crate::core::reconcile::{self, Reconciliation};
use crate::core::record::Household;
use crate::core::roster::{self, Roster};
use crate::store::{AnyStore, RecordStore};
use crate::ui::settings::SettingsContext;
use crate::ui::transfer::file::{log_timing, now_ms};
use crate::ui::{clock, expect_store};

/// The app key the kept roster file lives under (see the module docs).
pub const ROSTER_KEY: &str = "~roster-file";

/// A roster file as picked: its name and bytes.
#[derive(Debug)]
pub struct RosterFile {
    pub name: String,
    pub bytes: Vec<u8>,
}

/// A shared value that compares by pointer (a new computation is a new value).
#[derive(Debug)]
pub struct Shared<T>(pub Arc<T>);

impl<T> Clone for Shared<T> {
    fn clone(&self) -> Self {
        Shared(self.0.clone())
    }
}

impl<T> PartialEq for Shared<T> {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }
}

impl<T> std::ops::Deref for Shared<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.0
    }
}

/// The roster page's context (`expect_context::<RosterData>()`).
#[derive(Clone, Copy)]
pub struct RosterData {
    /// The roster as the core read it: `None` while the kept file is being read, `Some(None)`
    /// when none is kept.
    pub roster: RwSignal<Option<Option<Shared<Roster>>>>,
    /// The stored records: `None` while they are read.
    pub records: RwSignal<Option<Result<Shared<Vec<Household>>, String>>>,
    /// The roster against the records (`None` until both are there).
    pub reconciliation: Memo<Option<Shared<Reconciliation>>>,
    /// The last failure to read or keep the file, for people.
    pub store_error: RwSignal<Option<String>>,
    /// What the last import said.
    pub import: RwSignal<Option<super::import::Outcome>>,
}

fn mark(name: &str) {
    if let Some(p) = window().performance() {
        let _ = p.mark(name);
    }
}

/// Reads a roster file as the core does, timed (the benchmark reads the console line).
pub fn read_file(f: &RosterFile) -> Result<Roster, roster::RosterError> {
    let t = now_ms();
    let read = roster::read(&f.name, &f.bytes);
    let ms = now_ms() - t;
    mark("roster-read");
    log_timing(&format!("roster read ms={ms:.1} bytes={}", f.bytes.len()));
    read
}

/// Reads the kept file and the records, and provides [`RosterData`].
pub fn provide_roster_data() -> RosterData {
    let SettingsContext { settings, .. } = expect_context::<SettingsContext>();
    let roster = RwSignal::new(None);
    let records = RwSignal::new(None::<Result<Shared<Vec<Household>>, String>>);
    let store_error = RwSignal::new(None);
    let reconciliation = Memo::new(move |_| {
        let r: Shared<Roster> = roster.get()??;
        let hs = records.get()?.ok()?;
        let policy = settings.with(|s| s.policy.clone());
        let t = now_ms();
        let rec = reconcile::reconcile(&r, &hs, &policy, clock::today());
        let ms = now_ms() - t;
        mark("roster-reconciled");
        log_timing(&format!(
            "roster reconcile ms={ms:.1} persons={} households={} records={}",
            r.people(),
            r.households.len(),
            hs.len()
        ));
        Some(Shared(Arc::new(rec)))
    });
    let import = RwSignal::new(None);
    let data = RosterData { roster, records, reconciliation, store_error, import };
    provide_context(data);

    mark("roster-start");
    let store = expect_store();
    leptos::task::spawn_local(async move {
        let kept = load_file(&store).await;
        let listed = store.list().await;
        mark("roster-loaded");
        records.set(Some(
            listed.map(|v| Shared(Arc::new(v))).map_err(|e| format!("读取本机记录失败：{e}")),
        ));
        let read = match kept {
            Ok(Some(f)) => match read_file(&f) {
                Ok(r) => Some(Shared(Arc::new(r))),
                Err(e) => {
                    store_error.set(Some(format!("保存的花名册读不出来了，请重新导入：{e}")));
                    None
                }
            },
            Ok(None) => None,
            Err(e) => {
                store_error.set(Some(e));
                None
            }
        };
        roster.set(Some(read));
    });
    data
}

/// The kept roster file, if any.
async fn load_file(store: &AnyStore) -> Result<Option<RosterFile>, String> {
    let Some(idb) = store.idb() else { return Ok(None) };
    let value =
        idb.get_app_object(ROSTER_KEY).await.map_err(|e| format!("读取保存的花名册失败：{e}"))?;
    if value.is_undefined() || value.is_null() {
        return Ok(None);
    }
    let get = |k: &str| js_sys::Reflect::get(&value, &JsValue::from_str(k)).ok();
    let name = get("name").and_then(|v| v.as_string()).unwrap_or_else(|| "花名册".to_string());
    let bytes = get("bytes")
        .and_then(|v| v.dyn_into::<js_sys::Uint8Array>().ok())
        .map(|a| a.to_vec())
        .ok_or("保存的花名册已损坏，请重新导入。")?;
    Ok(Some(RosterFile { name, bytes }))
}

/// Keeps `file` as the roster (replacing the one kept before).
pub async fn keep_file(store: &AnyStore, file: &RosterFile) -> Result<(), String> {
    let Some(idb) = store.idb() else { return Ok(()) };
    let o = js_sys::Object::new();
    let set = |k: &str, v: &JsValue| js_sys::Reflect::set(&o, &JsValue::from_str(k), v).map(drop);
    set("name", &JsValue::from_str(&file.name))
        .and_then(|_| set("bytes", &js_sys::Uint8Array::from(file.bytes.as_slice()).into()))
        .and_then(|_| set("kept_at", &JsValue::from_str(&clock::now().to_rfc3339())))
        .map_err(|_| "花名册没有保存：浏览器拒绝了这个值。".to_string())?;
    idb.put_app_object(ROSTER_KEY, &o).await.map_err(|e| format!("花名册没有保存：{e}"))
}
