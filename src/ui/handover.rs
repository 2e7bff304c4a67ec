//! The hand-over between the start page (`index.html`, [`start`](mod@super::start)) and the full app
//! (`app.html`): everything one page leaves for the other is here — the routes the start page
//! opens the full app at, the home list's snapshot and the files picked on the start page (the
//! store keys of both), and the build's identity that the snapshot is stamped with.
//!
//! **Routes, not flags.** What the start page asks of the full app is in the address it opens,
//! so nothing is left in sessionStorage and a reload or 返回 cannot do it twice:
//! - a row, `N 次入户 ›`, 设置 (every link into `app.html#/…`, [`follow_links_into_app`]) and
//!   新建入户 (`app.html#/new`): [`open_in_app`] *replaces* the start page by the full app at
//!   that route with `?from=start` after the fragment (which [`Route::parse`] ignores). The
//!   full app, starting with that mark ([`arrived_from_start`], before it mounts), rewrites its
//!   history to `#/` with the route on top, so 返回 from the record is the full app's list in
//!   the same document, not a second page load. `#/new` stores a new draft and replaces itself
//!   with the draft's editor (`ui::app`), so 返回 goes to the list, not to another new draft.
//! - 导入记录, 导出全部, 选择, 导出本村: an [`Intent`], a route of its own — `#/import`,
//!   `#/export`, `#/export/<village, percent-encoded>`, `#/select` — that shows the full app's
//!   home list (`ui::app` maps it to the list, so the list is not loaded twice). The home takes
//!   it as it opens ([`take_intent`]: the address becomes `#/`, no history entry) and carries
//!   it out once its list has loaded (the download needs no tap; 选择 opens selection mode).
//!   For 导入记录 the start page first keeps the picked files in the store ([`stash_import`]:
//!   structured-cloned `File`s under `~import`); the full app takes them and runs the ordinary
//!   import ([`import_stashed`]). One tap, one file picker.
//!
//! **The snapshot.** The start page has no rule engine, no record reader or writer and no
//! form, so it cannot compute the home list (入户排查); it shows the list's snapshot,
//! [`listing::Snapshot`] (the `Entry` list, each entry's export state and the record count),
//! which the full app's home keeps after every list it computes from a full read of the store
//! ([`Keeper::keep`]; after an import, whose list is patched rather than read, the home reads
//! the store again in the background for it). It is kept as two app values (`store::AppValues`,
//! in IndexedDB `meta` after every record id): the JSON under `~list` and its [`stamp`] under
//! `~list-stamp`. The stamp (`core::listing::stamp`) is what the list depends on:
//! - *generation*: a random token that **every** write transaction of the store puts in the
//!   same transaction (`RecordStore::generation`; the contract test
//!   `every_write_changes_the_generation` runs on both stores). The full app reads it *before*
//!   it reads the records, so a write in between makes the snapshot stale, never wrong.
//!   Another tab's writes change it too. Keeping the snapshot is not a write of records: it
//!   leaves the generation as it is.
//! - *policy*: the settings' policy as JSON (a new monitoring line changes verdicts);
//! - *today*: ages from ID numbers and overdue visits change with the date;
//! - *build*: [`BUILD`], a hash of the sources, the manifests and `Cargo.lock` that the app
//!   crate's `build.rs` computes in every build (a new version's rules may judge differently).
//!   It cannot be missing: the app reads it with `env!`, so no build can be stamped with a
//!   placeholder.
//!
//! The start page reads the record count, the generation, the stamp and the list in one
//! transaction ([`read_list`]) and makes the stamp of now. Equal: it shows the list. Not equal,
//! no snapshot, or one it cannot read: it replaces itself by `app.html#/`, whose list is
//! computed and becomes the new snapshot. No record stored: it shows the empty list (nothing to
//! be stale). The full app remembers the stamp it kept last ([`Keeper`], in its context), so a
//! list loaded again unchanged is not written again; the home says `data-snapshot="kept"` once
//! its snapshot is stored (tests wait for it).
//!
//! **What it costs.** The precache holds the start page's bundle besides the full app's (it
//! repeats Leptos' runtime, the store and the list views). The first record opened from the
//! start page loads `app.html` from the device. After an edit, the next start is the full app
//! until its list has been shown once. Opening the list of 5,000 households (5,739 records):
//! 0.33–0.37 s on the start page, 0.95–0.97 s in the full app (`records-bench.mjs`, fresh page
//! loads, no service worker; figures in `tests/bench/README.md`).
//!
//! **Tests.** Native: `core::listing`'s `snapshot_round_trips_the_list` (300 sample households:
//! the list read back equals the computed one, filters and search included) and
//! `stamp_changes_with_what_the_list_depends_on`; the store contract's
//! `every_write_changes_the_generation` and `app_values_round_trip` on memory (and on IndexedDB
//! in `tests/store_wasm.rs`). Browser: `tests/ui_wasm.rs` (the intents' routes, the snapshot
//! kept and read back through this module, stale after a write, the files kept and taken once);
//! `tests/e2e/specs/start.spec.mjs`: after importing the six-household batch through the start
//! page, its rows (household, record, village, title, tags, export mark) equal the full app's
//! and it loaded no other bundle; search and 有风险 select the same rows; a row opens the record
//! in `app.html` and 返回 shows the full app's list; an edit, a new monitoring line and a stamp
//! from another build each send the start page to the full app, whose list shows the edit and
//! becomes the snapshot again; 新建入户 makes one draft and 返回 lists it. The PWA test opens
//! the full app from the start page offline. Every other spec that starts on `index.html` goes
//! through the hand-over (imports through the kept files, exports through the intents).

use chrono::NaiveDate;
use leptos::prelude::*;
use wasm_bindgen::{JsCast, JsValue};

use super::router::{Route, SURVEYOR_PAGE};
use super::transfer::{import::run_import, Transfer};
use crate::core::listing::{self, Snapshot};
use crate::core::policy::Policy;
use crate::store::{AnyStore, AppValues, StoreError};

/// The build's identity: a hash of what the app is compiled from, set by the crate's `build.rs`.
pub const BUILD: &str = env!("RUHU_BUILD");

/// The app value of the home list's snapshot: its JSON ([`listing::Snapshot`]).
const LIST: &str = "~list";
/// The app value of the snapshot's [`stamp`].
const LIST_STAMP: &str = "~list-stamp";
/// The app object of the files picked on the start page ([`stash_import`]).
const IMPORT: &str = "~import";
/// After the fragment of an address the start page opens (`app.html#/h/…?from=start`): put
/// the list under this route ([`arrived_from_start`]).
const FROM_START: &str = "from=start";

/// What a button of the start page asks of the full app's home list: a route of its own
/// ([`Route::Intent`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Intent {
    /// 导入记录 (`#/import`): import the files kept in the store ([`stash_import`]).
    Import,
    /// 导出全部 (`#/export`).
    ExportAll,
    /// 导出本村 of this village, as the list names it (`#/export/<village>`, percent-encoded).
    ExportVillage(String),
    /// 选择 (`#/select`): the list in selection mode.
    Select,
}

impl Intent {
    /// The route's path (after the `#`).
    pub fn path(&self) -> String {
        match self {
            Intent::Import => "/import".to_string(),
            Intent::ExportAll => "/export".to_string(),
            Intent::ExportVillage(v) => format!("/export/{}", percent_encode(v)),
            Intent::Select => "/select".to_string(),
        }
    }

    /// The intent of a route's path segments, if they are one.
    pub fn parse(segments: &[&str]) -> Option<Intent> {
        match segments {
            ["import"] => Some(Intent::Import),
            ["export"] => Some(Intent::ExportAll),
            ["export", village] => percent_decode(village).map(Intent::ExportVillage),
            ["select"] => Some(Intent::Select),
            _ => None,
        }
    }
}

/// Text as one path segment: every byte but ASCII letters, digits and `-._~` as `%XX`.
fn percent_encode(s: &str) -> String {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let mut out = String::with_capacity(s.len() * 3);
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(b as char);
        } else {
            out.extend(['%', HEX[usize::from(b >> 4)] as char, HEX[usize::from(b & 15)] as char]);
        }
    }
    out
}

/// The text of a percent-encoded segment (`None` unless it decodes to UTF-8).
fn percent_decode(s: &str) -> Option<String> {
    let mut bytes = Vec::with_capacity(s.len());
    let mut rest = s.as_bytes();
    while let Some((&b, tail)) = rest.split_first() {
        if b == b'%' {
            let hex = std::str::from_utf8(tail.get(..2)?).ok()?;
            bytes.push(u8::from_str_radix(hex, 16).ok()?);
            rest = &tail[2..];
        } else {
            bytes.push(b);
            rest = tail;
        }
    }
    String::from_utf8(bytes).ok()
}

/// Replaces this page (the start page) by the full app at `route`. The start page is not
/// left in the history. A route other than the list (or an intent, which becomes the list) is
/// marked `?from=start`, so that the full app puts its own list under it
/// ([`arrived_from_start`]).
pub fn open_in_app(route: &Route) {
    let mut address = format!("{SURVEYOR_PAGE}{}", route.fragment());
    if !matches!(route, Route::Home | Route::Intent(_)) {
        address.push('?');
        address.push_str(FROM_START);
    }
    let _ = window().location().replace(&address);
}

/// Whether a URL fragment carries the start page's mark (`…?from=start`).
pub fn is_from_start(hash: &str) -> bool {
    let fragment = hash.split_once('#').map_or(hash, |(_, f)| f);
    fragment.split_once('?').is_some_and(|(_, query)| query.split('&').any(|p| p == FROM_START))
}

/// In the full app, before it mounts: when the start page opened it at a route marked
/// `?from=start` ([`open_in_app`]), the history becomes `#/` with that route on top (the mark
/// gone).
pub fn arrived_from_start() {
    let hash = window().location().hash().unwrap_or_default();
    if !is_from_start(&hash) {
        return;
    }
    let route = Route::parse(&hash);
    let Ok(history) = window().history() else { return };
    let null = JsValue::NULL;
    let _ = history.replace_state_with_url(&null, "", Some(&Route::Home.fragment()));
    if route != Route::Home {
        let _ = history.push_state_with_url(&null, "", Some(&route.fragment()));
    }
}

/// The start page's link handling: a click on a link into the full app (`app.html#…`)
/// replaces the start page ([`open_in_app`]) instead of adding a history entry, so that 返回
/// from there goes to the full app's list. Removed with the calling component.
pub fn follow_links_into_app() {
    let links = window_event_listener(leptos::ev::click, |ev| {
        if ev.default_prevented()
            || ev.button() != 0
            || ev.ctrl_key()
            || ev.meta_key()
            || ev.shift_key()
            || ev.alt_key()
        {
            return;
        }
        let Some(link) = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .and_then(|e| e.closest("a[href]").ok().flatten())
        else {
            return;
        };
        let href = link.get_attribute("href").unwrap_or_default();
        if href.starts_with(SURVEYOR_PAGE) {
            ev.prevent_default();
            open_in_app(&Route::parse(&href));
        }
    });
    on_cleanup(move || links.remove());
}

/// The intent in the address, taken (the full app's home, as it opens): on an intent's route
/// the address becomes the list's own (`#/`, in place, no history entry), so that reloading or
/// 返回 does not do it again.
pub fn take_intent() -> Option<Intent> {
    let Route::Intent(intent) = Route::current() else { return None };
    let _ = window().location().replace(&Route::Home.fragment());
    Some(intent)
}

/// The stamp of a list read at `generation` and evaluated under `policy` on `today`, in this
/// build.
pub fn stamp(generation: &str, policy: &Policy, today: NaiveDate) -> String {
    listing::stamp(generation, policy, today, BUILD)
}

/// What the start page may show, read in one transaction: the snapshot's list while its stamp
/// equals the one made now, the empty list when no record is stored, else `None` (the full app
/// must compute the list).
pub async fn read_list(
    store: &impl AppValues,
    policy: &Policy,
    today: NaiveDate,
) -> Result<Option<Snapshot>, StoreError> {
    let read = store.read_app_values(&[LIST_STAMP, LIST]).await?;
    if read.records == 0 {
        return Ok(Some(Snapshot {
            entries: Vec::new(),
            export: Vec::new(),
            records: 0,
            conflicts: 0,
        }));
    }
    let [kept, json] = <[Option<String>; 2]>::try_from(read.values).unwrap_or_default();
    if kept.as_deref() != Some(stamp(&read.generation, policy, today).as_str()) {
        return Ok(None);
    }
    let Some(snapshot) = json.and_then(|j| serde_json::from_str::<Snapshot>(&j).ok()) else {
        return Ok(None);
    };
    Ok((snapshot.entries.len() == snapshot.export.len()).then_some(snapshot))
}

/// The full app's memory of the snapshot it kept last (one per page, in its context), so that
/// a list loaded again unchanged is not written again.
#[derive(Clone, Copy)]
pub struct Keeper {
    last: StoredValue<String>,
}

impl Keeper {
    /// A keeper for this page, in its context (the full app's, `ui::app`).
    pub fn provide() -> Keeper {
        let keeper = Keeper { last: StoredValue::new(String::new()) };
        provide_context(keeper);
        keeper
    }

    /// This page's keeper.
    pub fn expect() -> Keeper {
        expect_context::<Keeper>()
    }

    /// Whether the snapshot this page kept last has this stamp (then there is nothing to keep).
    pub fn has_kept(&self, stamp: &str) -> bool {
        self.last.try_with_value(|last| last == stamp).unwrap_or(false)
    }

    /// Keeps `list` as the snapshot, under `stamp` (from [`stamp`], made before the records
    /// were read), for the start page. Not a write of records: the generation stays.
    pub async fn keep(
        self,
        store: &impl AppValues,
        stamp: String,
        list: &Snapshot,
    ) -> Result<(), StoreError> {
        let json = serde_json::to_string(list).map_err(StoreError::failed)?;
        store.put_app_values(&[(LIST, &json), (LIST_STAMP, &stamp)]).await?;
        self.last.try_set_value(stamp);
        Ok(())
    }
}

/// 导入记录 on the start page: keeps the picked files in the device's store for the full app
/// (replacing any kept before). Only IndexedDB can keep files.
pub async fn stash_import(store: &AnyStore, files: &[web_sys::File]) -> Result<(), StoreError> {
    let idb = store.idb().ok_or_else(|| StoreError::unavailable("这里不能暂存文件"))?;
    let list: js_sys::Array = files.iter().collect();
    idb.put_app_object(IMPORT, &list).await
}

/// The files [`stash_import`] kept, removed from the store (none on a store that cannot keep
/// files).
pub async fn take_import(store: &AnyStore) -> Result<Vec<web_sys::File>, StoreError> {
    let Some(idb) = store.idb() else { return Ok(Vec::new()) };
    let list: js_sys::Array = idb.take_app_object(IMPORT).await?.dyn_into().unwrap_or_default();
    Ok(list.iter().filter_map(|f| f.dyn_into::<web_sys::File>().ok()).collect())
}

/// The full app at `#/import`: takes the files the start page kept and imports them as if
/// they had been picked here.
pub fn import_stashed(store: AnyStore, t: Transfer) {
    leptos::task::spawn_local(async move {
        match take_import(&store).await {
            Ok(files) if !files.is_empty() => run_import(store, t, files, None),
            Ok(_) => {}
            Err(e) => t.error.set(Some(e.to_string())),
        }
    });
}
