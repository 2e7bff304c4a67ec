//! The home page (`#/`, 入户排查) of the full app (`app.html`): start a record, import and
//! export, and every household on the phone grouped by village, with its status, the engine's
//! risk badge and its 户属性; search and filters; selection to export several.
//!
//! - `新建入户`, then a bar: `导入记录` (a file input, one or many files), `导出全部`, `选择`
//!   (selection mode: a checkbox per household, then `导出所选`).
//! - One row per **household**: its latest visit (which record that is, is `core::visits`'s
//!   rule), grouped by village ([`listing::by_village`]: Unicode order, `（未填村）` last), most
//!   recently changed first within a village. A village heading has `导出本村` (every
//!   household of the village, whatever the filters show). A village shows 40 rows and
//!   `显示更多` adds 40 (`village`).
//! - A row (`row`): head (members), 户属性, status tag (`草稿` / `已完成`), the engine's risk
//!   badge (`有风险`, `有风险 · 建议纳入监测`, or `无风险信号`), `重点人群 N人`, `身份证号重复`
//!   (a member's ID number is also listed in another household), the export mark, village and
//!   visit date; `N 次入户 ›` opens the household page.
//! - Search (`filters`): names, ID numbers (a lower-case x finds X) and phone (spaces and
//!   hyphens ignored); several words must all match. Filters: 有风险, 监测对象, 重点人群,
//!   身份证号重复, status.
//!
//! **Speed.** The list is evaluated once per load ([`listing::entries`]: each household's
//! latest visit, with the people index of all households for `id-number-elsewhere` and its
//! previous visit for `income-drop`); typing in the search box or toggling a filter only
//! re-selects from it (one `Memo` in [`list::HomeList`]), so 5,000 households stay quick
//! (figures in `tests/bench/README.md`, `records-bench.mjs`). After an import the list is not
//! read again: the records the import wrote are put into the loaded list (in the store's
//! order, by id; the last written state of a record wins; export marks unchanged, an import
//! never writes them) and the list is evaluated again, once the import's report has been
//! painted. An import that wrote nothing leaves the list as it is. Other changes (a conflict
//! resolved, export marks, settings) read the store again.
//!
//! **Shown before it is read.** The records are read and evaluated whole at each load (about
//! 2 s for 5,000 sealed records on the test machine); meanwhile the first load shows the list's
//! snapshot when it still holds (`handover::read_list`: one value to read and open, the same
//! check as the start page's), with 正在读取全部记录… above it. Actions that need the records
//! (export, select, intents) wait for the full list; the rows only open households. So an
//! unlock, or a page opened at `app.html#/`, has its rows on screen after one value.
//!
//! **The start page.** Each list computed from a full read of the store is kept as the list's
//! snapshot for the start page (`index.html`, [`start`](mod@super::start)); after a patched list the store
//! is read again in the background for it. The page says `data-snapshot="kept"` once it is
//! stored. The start page shows the same rows, search and filters from it (`list`, `filters`,
//! `row` and `village` are shared), and what its buttons ask for arrives here as the route
//! this page opens at ([`handover::Intent`], carried out once the list has loaded). See
//! [`super::handover`].

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use leptos::prelude::*;
use uuid::Uuid;

use super::handover::{self, Intent, Keeper};
use super::router::{navigate, Route};
use super::settings::{Settings, SettingsContext};
use super::transfer::conflict::{ConflictCount, StandingConflicts};
use super::transfer::{
    file, provide_transfer_context, run_export, run_export_records, ExportResult, ImportInput,
    ImportResult,
};
use super::{clock, expect_store};
use crate::core::listing::{self, Entry, Filter};
use crate::core::receipt::Status as ReceiptStatus;
use crate::core::record::Household;
use crate::core::transfer::ExportState;
use crate::store::exchange::{self, Standing};
use crate::store::{RecordMeta, RecordStore};

pub mod filters;
pub mod list;
mod row;
mod village;

use filters::{FilterBar, NotReceivedCount};
use list::HomeList;

/// A new draft for today with the settings' defaults (旗, 乡镇, 本户排查人).
pub fn new_record(settings: &Settings) -> Household {
    let mut h = Household::new(Uuid::new_v4(), Uuid::new_v4(), clock::now(), clock::today());
    if !settings.banner.is_empty() {
        h.address.banner = settings.banner.clone();
    }
    if !settings.township.is_empty() {
        h.address.township = settings.township.clone();
    }
    h.visit.surveyor = settings.surveyor.clone();
    crate::core::lineage::begin(&mut h, &super::device::id());
    h
}

/// The list as loaded: one entry per household and its export state.
#[derive(Debug, Default)]
pub struct HomeData {
    pub entries: Vec<Entry>,
    /// The export state of each entry's latest record (same order as `entries`).
    pub export: Vec<ExportState>,
    /// Every stored record (as loaded), for export and import without reading the store again.
    pub records: Arc<Vec<Household>>,
    /// The records' export marks, as loaded.
    metas: Arc<HashMap<Uuid, RecordMeta>>,
    /// How many records the entries come from.
    pub record_count: usize,
    /// The conflicts that stand, each with the stored record (`store::exchange`).
    pub conflicts: Arc<Vec<(Household, Standing)>>,
    /// How many conflicts stand (also when shown from a snapshot, without them).
    pub conflict_count: usize,
    /// The stamp this list's snapshot is valid under, when it is a full read (not a list
    /// patched after an import): the store's generation read before the records, and the
    /// policy and day the entries were evaluated with.
    stamp: Option<String>,
}

impl HomeData {
    /// A list shown from its snapshot (the start page): entries without their records.
    pub fn from_snapshot(s: crate::core::listing::Snapshot) -> HomeData {
        HomeData {
            entries: s.entries,
            export: s.export,
            record_count: s.records,
            conflict_count: s.conflicts,
            ..HomeData::default()
        }
    }
}

/// Loads and evaluates the list (once per load).
async fn load(
    store: crate::store::AnyStore,
    policy: crate::core::policy::Policy,
) -> Result<Arc<HomeData>, String> {
    let t0 = file::now_ms();
    // Read before the records: a write in between makes the snapshot stale, never wrong.
    let generation = store.generation().await.map_err(|e| e.to_string())?;
    let records = store.list().await.map_err(|e| e.to_string())?;
    let metas: HashMap<Uuid, RecordMeta> =
        store.list_meta().await.map_err(|e| e.to_string())?.into_iter().collect();
    let t1 = file::now_ms();
    let today = clock::today();
    let mut data = evaluate(Arc::new(records), Arc::new(metas), &policy, today);
    data.stamp = Some(handover::stamp(&generation, &policy, today));
    file::log_timing(&format!(
        "home-load records={} households={} read_ms={:.0} evaluate_ms={:.0}",
        data.records.len(),
        data.entries.len(),
        t1 - t0,
        file::now_ms() - t1
    ));
    Ok(Arc::new(data))
}

/// The list after an import: the records loaded before with what the import wrote (each in
/// place of the state it replaced; the last written state of a record wins), in the order
/// the store lists them (by id), evaluated again; nothing is read from the store. (An import
/// writes records only, never their export marks.)
fn patched(
    before: &HomeData,
    written: Vec<Household>,
    policy: &crate::core::policy::Policy,
) -> Arc<HomeData> {
    let t0 = file::now_ms();
    let mut by_id: HashMap<Uuid, Household> =
        before.records.iter().map(|r| (r.id, r.clone())).collect();
    by_id.extend(written.into_iter().map(|r| (r.id, r)));
    let mut records: Vec<Household> = by_id.into_values().collect();
    records.sort_unstable_by_key(|r| r.id);
    let data = evaluate(Arc::new(records), before.metas.clone(), policy, clock::today());
    file::log_timing(&format!(
        "home-load records={} households={} read_ms=0 evaluate_ms={:.0} patched=1",
        data.records.len(),
        data.entries.len(),
        file::now_ms() - t0
    ));
    Arc::new(data)
}

/// The entries and export states of these records.
fn evaluate(
    records: Arc<Vec<Household>>,
    metas: Arc<HashMap<Uuid, RecordMeta>>,
    policy: &crate::core::policy::Policy,
    today: chrono::NaiveDate,
) -> HomeData {
    let mut entries = listing::entries(&records, policy, today);
    for e in &mut entries {
        e.township = exchange::household_status(&e.visits, &records, &metas);
    }
    let conflicts = Arc::new(exchange::standing_in(&records, &metas));
    let export = entries
        .iter()
        .map(|e| {
            ExportState::of(
                e.revision,
                metas
                    .get(&e.record_id)
                    .and_then(|m| m.export.as_ref())
                    .map(|m| (m.exported_at, m.revision)),
            )
            .via(metas.get(&e.record_id).and_then(|m| m.export.as_ref()).is_some_and(|m| m.shared))
        })
        .collect();
    HomeData {
        entries,
        export,
        record_count: records.len(),
        records,
        metas,
        stamp: None,
        conflict_count: conflicts.len(),
        conflicts,
    }
}

/// Keeps this fully read list as the list's snapshot for the start page (in the background;
/// a failure only means the start page hands over to this page next time).
fn keep_snapshot(
    store: crate::store::AnyStore,
    keeper: Keeper,
    data: &HomeData,
    done: RwSignal<bool>,
) {
    let Some(stamp) = data.stamp.clone() else { return };
    if keeper.has_kept(&stamp) {
        done.set(true);
        return;
    }
    let snapshot = listing::Snapshot {
        entries: data.entries.clone(),
        export: data.export.clone(),
        records: data.record_count,
        conflicts: data.conflict_count,
    };
    leptos::task::spawn_local(async move {
        match keeper.keep(&store, stamp, &snapshot).await {
            Ok(()) => {
                done.try_set(true);
            }
            Err(e) => web_sys::console::warn_1(&format!("列表快照未保存：{e}").into()),
        }
    });
}

/// After an import (the list was patched, not read): reads the store again in the background
/// and keeps that list's snapshot.
fn refresh_snapshot(
    store: crate::store::AnyStore,
    keeper: Keeper,
    policy: crate::core::policy::Policy,
    done: RwSignal<bool>,
) {
    leptos::task::spawn_local(async move {
        if let Ok(data) = load(store.clone(), policy).await {
            keep_snapshot(store, keeper, &data, done);
        }
    });
}

/// What the list shows and which households are selected.
#[derive(Clone, Copy)]
pub struct ListState {
    pub filter: RwSignal<Filter>,
    /// Selection mode is on.
    pub selecting: RwSignal<bool>,
    /// Selected households.
    pub selected: RwSignal<HashSet<Uuid>>,
}

impl ListState {
    /// A fresh state (no filter, not selecting) in this page's context.
    pub fn provide() -> ListState {
        let state = ListState {
            filter: RwSignal::new(Filter::default()),
            selecting: RwSignal::new(false),
            selected: RwSignal::new(HashSet::new()),
        };
        provide_context(state);
        state
    }
}

/// 入户排查: 新建入户, import/export, and the households by village.
#[component]
pub fn Home() -> impl IntoView {
    let store = expect_store();
    let SettingsContext { settings, .. } = expect_context::<SettingsContext>();
    let t = provide_transfer_context();
    let error = RwSignal::new(None::<String>);
    // The list as last loaded; after an import, the records it wrote are put into it.
    let last: StoredValue<Option<Arc<HomeData>>> = StoredValue::new(None);
    // The first list from its snapshot while the full read runs (asked first, so that its one
    // value is read before the records).
    let early = RwSignal::new(None::<Arc<HomeData>>);
    {
        let store = store.clone();
        leptos::task::spawn_local(async move {
            let policy = settings.with_untracked(|s| s.policy.clone());
            if let Ok(Some(s)) = handover::read_list(&store, &policy, clock::today()).await {
                early.try_set(Some(Arc::new(HomeData::from_snapshot(s))));
            }
        });
    }
    let data = super::load::load({
        let store = store.clone();
        move || {
            t.changed.track();
            let policy = settings.with(|s| s.policy.clone());
            let written = t.written.try_update_value(Option::take).flatten();
            let store = store.clone();
            async move {
                let data = match (written, last.get_value()) {
                    (Some(written), Some(before)) => Ok(patched(&before, written, &policy)),
                    _ => load(store, policy).await,
                };
                if let Ok(d) = &data {
                    last.set_value(Some(d.clone()));
                    t.loaded.set_value(Some(d.records.clone()));
                }
                data
            }
        }
    });
    let state = ListState::provide();

    // The list's snapshot for the start page: kept after each full read, read again after an
    // import. `data-snapshot="kept"` on the page once it is stored (tests wait for it).
    let kept = RwSignal::new(false);
    let keeper = Keeper::expect();
    Effect::new({
        let store = store.clone();
        move |_| {
            let Some(Ok(d)) = data.get() else { return };
            kept.set(false);
            if d.stamp.is_some() {
                keep_snapshot(store.clone(), keeper, &d, kept);
            } else {
                refresh_snapshot(
                    store.clone(),
                    keeper,
                    settings.with_untracked(|s| s.policy.clone()),
                    kept,
                );
            }
        }
    });

    let create = move |_| {
        let store = store.clone();
        let record = new_record(&settings.get_untracked());
        leptos::task::spawn_local(async move {
            match store.put(&record).await {
                Ok(()) => navigate(&Route::Editor(record.id.to_string())),
                Err(e) => error.set(Some(e.to_string())),
            }
        });
    };
    // Another tab's write (`store::broadcast`): the list is read again, at most once a second
    // and only while this page is seen (else when it is shown again).
    listen_to_other_tabs(t.changed);

    let loaded = move || data.get_untracked().and_then(Result::ok);
    let export_all = move |_: ()| match loaded() {
        Some(d) => run_export_records(with_unsaved((*d.records).clone())),
        None => run_export(|all| all),
    };
    let export_selected = move |_| {
        let chosen = state.selected.get_untracked();
        match loaded() {
            Some(d) => export_households(&d, &chosen),
            None => run_export(move |all| {
                all.into_iter().filter(|h| chosen.contains(&h.household_id)).collect()
            }),
        }
    };
    let toggle_selecting = move |_| {
        state.selecting.update(|s| *s = !*s);
        state.selected.update(HashSet::clear);
    };
    let export_village = Callback::new(move |village: String| {
        if let Some(d) = loaded() {
            export_households(
                &d,
                &households_of(d.entries.iter().filter(|e| e.village_label() == village)),
            );
        }
    });

    // What the start page's buttons asked for (the route this page opened at), once the list
    // is here.
    let intent = StoredValue::new(handover::take_intent());
    let store_for_intent = expect_store();
    Effect::new(move |done: Option<bool>| {
        if done == Some(true) || !matches!(data.get(), Some(Ok(_))) {
            return done.unwrap_or(false);
        }
        match intent.try_update_value(Option::take).flatten() {
            Some(Intent::ExportAll) => export_all(()),
            Some(Intent::ExportVillage(v)) => export_village.run(v),
            Some(Intent::Select) => state.selecting.set(true),
            Some(Intent::Import) => handover::import_stashed(store_for_intent.clone(), t),
            None => {}
        }
        true
    });

    view! {
        <section class="page home" data-snapshot=move || if kept.get() { "kept" } else { "" }>
            <h1>"入户排查"</h1>
            <super::settings::LockRequired/>
            <button type="button" class="button primary big" on:click=create>"新建入户"</button>
            {move || error.get().map(|e| view! { <p class="alert" role="alert">{e}</p> })}
            <div class="transfer-bar">
                <ImportInput/>
                <button type="button" class="button" on:click=move |_| export_all(()) prop:disabled=move || t.busy.get()>"导出全部"</button>
                <button type="button" class="button" aria-pressed=move || state.selecting.get().to_string() on:click=toggle_selecting>
                    {move || if state.selecting.get() { "取消选择" } else { "选择" }}
                </button>
            </div>
            {move || t.busy.get().then(|| view! { <p class="muted" role="status">"正在处理…"</p> })}
            {move || state.selecting.get().then(|| {
                let n = move || state.selected.with(HashSet::len);
                view! {
                    <div class="selection-bar">
                        <span>{move || format!("已选 {} 户", n())}</span>
                        <button type="button" class="button primary" on:click=export_selected prop:disabled=move || n() == 0 || t.busy.get()>
                            "导出所选"
                        </button>
                    </div>
                }
            })}
            {move || data.get().and_then(Result::ok).map(|d| {
                let not_received = d.entries.iter().filter(|e| e.township != ReceiptStatus::Received).count();
                view! {
                    <ConflictCount count=d.conflict_count/>
                    <NotReceivedCount count=not_received households=d.entries.len()/>
                }
            })}
            <ImportResult/>
            <ExportResult/>
            {move || t.resolved.get().map(|m| view! { <p class="ok resolved-note" role="status">{m}</p> })}
            {move || data.get().and_then(Result::ok).map(|d| view! { <StandingConflicts list=(*d.conflicts).clone()/> })}
            <FilterBar/>
            {move || match data.get() {
                None => match early.get() {
                    Some(d) => view! {
                        <p class="muted" role="status" data-testid="list-early">"正在读取全部记录…"</p>
                        <HomeList data=d export_village=export_village/>
                    }
                    .into_any(),
                    None => view! { <p class="muted">"正在读取…"</p> }.into_any(),
                },
                Some(Err(e)) => view! { <p class="alert" role="alert">{e}</p> }.into_any(),
                Some(Ok(d)) => view! { <HomeList data=d export_village=export_village/> }.into_any(),
            }}
        </section>
    }
}

/// Records for an export, each with its unsaved edits from the editor's journal, if any
/// (`editor::journal::with_unsaved`).
fn with_unsaved(records: Vec<Household>) -> Vec<Household> {
    super::editor::journal::with_unsaved(
        records,
        &super::device::id(),
        crate::core::record::Timestamp(clock::now()),
    )
}

/// Notifies `changed` when another tab wrote records or marks: after a second, if this page is
/// visible then, else when it becomes visible.
fn listen_to_other_tabs(changed: Trigger) {
    use std::cell::Cell;
    use std::rc::Rc;
    let stale = Rc::new(Cell::new(false));
    let timer: Rc<Cell<bool>> = Rc::default();
    let reload = {
        let stale = stale.clone();
        move || {
            if stale.get() && document().visibility_state() == web_sys::VisibilityState::Visible {
                stale.set(false);
                changed.notify();
            }
        }
    };
    let heard = crate::store::broadcast::subscribe({
        let reload = reload.clone();
        move |_| {
            stale.set(true);
            if !timer.replace(true) {
                let (reload, timer) = (reload.clone(), timer.clone());
                set_timeout(
                    move || {
                        timer.set(false);
                        reload();
                    },
                    std::time::Duration::from_secs(1),
                );
            }
        }
    })
    .map(send_wrapper::SendWrapper::new);
    let shown = window_event_listener_untyped("visibilitychange", move |_| reload());
    on_cleanup(move || {
        drop(heard);
        shown.remove();
    });
}

/// The households of these entries (for the village export).
pub fn households_of<'a>(entries: impl IntoIterator<Item = &'a Entry>) -> HashSet<Uuid> {
    entries.into_iter().map(|e| e.household_id).collect()
}

/// Exports every record (every visit) of these households, as loaded.
pub fn export_households(data: &HomeData, households: &HashSet<Uuid>) {
    run_export_records(with_unsaved(
        data.records.iter().filter(|h| households.contains(&h.household_id)).cloned().collect(),
    ));
}
