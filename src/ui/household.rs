//! One household across visits (`/household/:household_id`): its visits in order, `再次入户`
//! (a follow-up visit prefilled from the latest one), export of the household or of one
//! visit, and each visit's saved states (`/h/:id/history`, see [`history`]).
//!
//! # The household page (`#/household/<household_id>`)
//!
//! Its visits in order, oldest first (`第 1 次入户 · 2023-02-20` …), each with status,
//! revision, last save, surveyor and export mark, and `打开` / `历史版本` / `导出`; `再次入户`
//! and `导出本户` at the top. The editor links to it (`本户各次入户`), and a row of the home
//! list does (`N 次入户 ›`).
//!
//! # Follow-up visit (再次入户)
//!
//! [`start_follow_up`] makes the new visit with `core::followup::start` from the household's
//! latest record and opens it in the editor: same `household_id`, new `id`, revision 1, draft,
//! today's visit date and the 12-month income period before it, `previous_id` = the latest
//! record. Kept: address, category, phone, monitoring, members (same member ids), 三保障,
//! risk, measures, elimination, assessors. Cleared: income A21–A28 and the judgement (a new
//! period must be asked again), attachments. The surveyor is the settings' one (the previous
//! visit's when the settings have none).
//!
//! What differs from the previous visit is `core::followup::changes(previous, current)`
//! (paths; members matched by id; `visit` and the record's own keys ignored). The editor
//! provides it as [`PreviousVisit`] (`record`, `changed`): `is_changed(path)` is true when the
//! path changed or a whole element containing it is new (a new member marks all its fields),
//! and `changed_under("income")` counts a section. On the form, every changed field is marked
//! without the form's code doing anything: the questions carry `data-path`, and
//! [`changes::ChangedFieldStyles`] renders a style sheet from the changed paths (a blue edge and
//! a `有变化` tag after the label), so fields are marked whenever they are rendered (a section
//! opened later, a member card added). Above the form, [`ChangesSummary`] says
//! `与上次入户（2023-02-20）相比：N 项有变化` and lists each changed field by name. Right after
//! `再次入户` the cleared income and judgement show as changed until they are answered again.
//!
//! The previous visit also feeds the engine: the editor's evaluation uses it as
//! `rules::Context::previous` (`income-drop`), with the other households' people as
//! `Context::people_elsewhere` ([`related`]).
//!
//! # Tests
//!
//! `tests/e2e/specs/records-visits.spec.mjs`: `再次入户` (the editor of a new record of the
//! same household, the changes card, the generated marks, the household's two visits in
//! order); history (four states, `恢复此版本` of the second → a fifth state with its content);
//! the same ID in two imported households → the import report and `身份证号重复` on both rows
//! and the filter. `records-form.spec.mjs`: an ID typed that another household lists gets
//! `id-number-elsewhere` at the field as it is typed, and a follow-up marks the form's changed
//! questions.

use std::collections::HashMap;

use leptos::prelude::*;
use uuid::Uuid;

use super::router::{navigate, Route};
use super::settings::SettingsContext;
use super::transfer::{self, provide_transfer_context, run_export, ExportResult, ExportTag};
use super::{clock, expect_store};
use crate::core::followup;
use crate::core::record::Household;
use crate::store::{AnyStore, RecordMeta, RecordStore};

pub mod changes;
pub mod history;
pub mod related;

pub use changes::ChangesSummary;
pub use history::HistoryPage;
pub use related::{is_changed, load_related, provide_previous_visit, PreviousVisit, Related};

/// The visits of one household, oldest first in the order of [`crate::core::visits`] (the
/// last is the latest).
pub fn visits_of(all: Vec<Household>, household_id: Uuid) -> Vec<Household> {
    let mut visits: Vec<Household> =
        all.into_iter().filter(|h| h.household_id == household_id).collect();
    crate::core::visits::sort(&mut visits);
    visits
}

/// Starts a follow-up visit (再次入户) from `latest`, stores it and opens it in the editor.
pub async fn start_follow_up(
    store: &AnyStore,
    latest: &Household,
    surveyor: &str,
) -> Result<Uuid, String> {
    let mut next = followup::start(latest, Uuid::new_v4(), clock::now(), clock::today(), surveyor);
    crate::core::lineage::begin(&mut next, &crate::ui::device::id());
    store.put(&next).await.map_err(|e| e.to_string())?;
    navigate(&Route::Editor(next.id.to_string()));
    Ok(next.id)
}

/// The household page.
#[component]
pub fn HouseholdPage(id: String) -> impl IntoView {
    let Ok(household_id) = Uuid::parse_str(&id) else {
        return view! { <NoHousehold/> }.into_any();
    };
    let store = expect_store();
    let t = provide_transfer_context();
    let loaded = super::load::load(move || {
        t.changed.track();
        let store = store.clone();
        async move {
            let visits = visits_of(store.list().await.map_err(|e| e.to_string())?, household_id);
            let metas: HashMap<Uuid, RecordMeta> =
                store.list_meta().await.map_err(|e| e.to_string())?.into_iter().collect();
            Ok::<_, String>((visits, metas))
        }
    });
    (move || match loaded.get() {
        None => view! { <p class="page muted">"正在读取…"</p> }.into_any(),
        Some(Err(e)) => {
            view! { <section class="page"><p class="alert" role="alert">{e}</p></section> }
                .into_any()
        }
        Some(Ok((visits, _))) if visits.is_empty() => view! { <NoHousehold/> }.into_any(),
        Some(Ok((visits, metas))) => {
            view! { <HouseholdView visits=visits metas=metas/> }.into_any()
        }
    })
    .into_any()
}

#[component]
fn NoHousehold() -> impl IntoView {
    view! {
        <section class="page">
            <h1>"找不到这一户"</h1>
            <p><a class="button" href=Route::Home.href()>"回到首页"</a></p>
        </section>
    }
}

/// The loaded household: visits, 再次入户, export.
#[component]
fn HouseholdView(visits: Vec<Household>, metas: HashMap<Uuid, RecordMeta>) -> impl IntoView {
    let SettingsContext { settings, .. } = expect_context::<SettingsContext>();
    let latest = visits.last().cloned().expect("a household has a visit");
    let household_id = latest.household_id;
    let village = if latest.address.village.is_empty() {
        "（未填村）".to_string()
    } else {
        latest.address.village.clone()
    };
    let head = if latest.head_name().is_empty() {
        "（未填户主）".to_string()
    } else {
        latest.head_name().to_string()
    };
    let store = expect_store();
    let error = RwSignal::new(None::<String>);
    let starting = RwSignal::new(false);
    let follow_up = move |_| {
        if starting.get_untracked() {
            return;
        }
        starting.set(true);
        let latest = latest.clone();
        let store = store.clone();
        let surveyor = settings.with_untracked(|s| s.surveyor.clone());
        leptos::task::spawn_local(async move {
            if let Err(e) = start_follow_up(&store, &latest, &surveyor).await {
                error.set(Some(e));
                starting.set(false);
            }
        });
    };
    let export_household = move |_| run_export(move |all| visits_of(all, household_id));
    let count = visits.len();
    let items = visits
        .into_iter()
        .enumerate()
        .map(|(i, v)| {
            let state = transfer::export_state(&v, metas.get(&v.id));
            view! { <VisitItem number=i + 1 visit=v state=state/> }
        })
        .collect_view();
    view! {
        <section class="page household" data-household=household_id.to_string()>
            <p><a class="back" href=Route::Home.href()>"‹ 记录"</a></p>
            <h1>{village}" "{head}"户"</h1>
            <div class="actions">
                <button type="button" class="button primary" on:click=follow_up prop:disabled=move || starting.get()>"再次入户"</button>
                <button type="button" class="button" on:click=export_household>"导出本户"</button>
            </div>
            <p class="muted small">"再次入户：以最近一次入户为底稿新建一次入户（成员、地址等沿用，收支和研判重新填写），变化处会标出。"</p>
            {move || error.get().map(|e| view! { <p class="alert" role="alert">{e}</p> })}
            <ExportResult/>
            <h2>{format!("入户记录（{count} 次）")}</h2>
            <ol class="visits">{items}</ol>
        </section>
    }
}

/// One visit: its date, status, who, export mark; open, history, export.
#[component]
fn VisitItem(
    number: usize,
    visit: Household,
    state: crate::core::transfer::ExportState,
) -> impl IntoView {
    let id = visit.id;
    let date = visit
        .visit
        .date
        .map(|d| d.format("%Y-%m-%d").to_string())
        .unwrap_or_else(|| "（未填日期）".into());
    let who = if visit.visit.surveyor.is_empty() {
        String::new()
    } else {
        format!(" · 排查人 {}", visit.visit.surveyor)
    };
    let meta = format!(
        "{} · 第 {} 版 · {} 修改{who}",
        visit.status.label(),
        visit.revision,
        visit.updated_at.0.format("%m-%d %H:%M")
    );
    let export_one =
        move |_| run_export(move |all| all.into_iter().filter(|h| h.id == id).collect());
    view! {
        <li class="visit" data-record=id.to_string()>
            <div class="visit-head">
                <a class="visit-title" href=Route::Editor(id.to_string()).href()>{format!("第 {number} 次入户 · {date}")}</a>
                <ExportTag state=state/>
            </div>
            <p class="muted small">{meta}</p>
            <div class="actions">
                <a class="button small" href=Route::Editor(id.to_string()).href()>"打开"</a>
                <a class="button small" href=Route::History(id.to_string()).href()>"历史版本"</a>
                <button type="button" class="button small" on:click=export_one>"导出"</button>
            </div>
        </li>
    }
}
