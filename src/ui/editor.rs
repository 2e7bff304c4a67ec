//! The editor page (`/h/:id`): loads one record, provides [`Editing`] to the form, and
//! saves every change (see [`autosave`]).

use leptos::prelude::*;
use uuid::Uuid;

use super::router::Route;
use super::settings::SettingsContext;
use super::{clock, expect_store};
use crate::core::evaluation::Evaluation;
use crate::core::record::Household;
use crate::store::RecordStore;

pub mod autosave;

use autosave::{Autosave, SaveState};

/// The record being edited, and the engine's live verdict on it.
#[derive(Clone, Copy)]
pub struct Editing {
    pub record: RwSignal<Household>,
    pub evaluation: Memo<Evaluation>,
}

/// Loads the record `id` from the store and opens the [`Editor`] on it.
#[component]
pub fn EditorPage(id: String) -> impl IntoView {
    let Ok(uuid) = Uuid::parse_str(&id) else {
        return view! { <Missing/> }.into_any();
    };
    let store = expect_store();
    let loaded = super::load::load(move || {
        let store = store.clone();
        async move { store.get(uuid).await.map_err(|e| e.to_string()) }
    });
    (move || match loaded.get() {
        None => view! { <p class="page muted">"正在打开…"</p> }.into_any(),
        Some(Ok(Some(record))) => view! { <Editor initial=record/> }.into_any(),
        Some(Ok(None)) => view! { <Missing/> }.into_any(),
        Some(Err(e)) => view! {
            <section class="page">
                <p class="alert" role="alert">{e}</p>
            </section>
        }
        .into_any(),
    })
    .into_any()
}

/// No record under this id.
#[component]
fn Missing() -> impl IntoView {
    view! {
        <section class="page">
            <h1>"找不到这条记录"</h1>
            <p class="muted">"它可能已被删除，或者是在另一台手机上建的。"</p>
            <p><a class="button" href=Route::Home.href()>"回到首页"</a></p>
        </section>
    }
}

/// Edits one loaded record: provides [`Editing`], saves changes, renders the form.
#[component]
pub fn Editor(initial: Household) -> impl IntoView {
    let SettingsContext { settings, .. } = expect_context::<SettingsContext>();
    let today = clock::today();
    // The other households' people and the previous visit arrive from the store shortly.
    let related = super::household::load_related(&initial);
    let record = RwSignal::new(initial);
    let evaluation = Memo::new(move |_| {
        // The settings' policy for a visit of its year, else the visit year's shipped line.
        related.with(|r| {
            record.with(|h| {
                settings.with(|s| r.evaluate(h, &s.policy.for_visit(h.visit.date), today))
            })
        })
    });
    provide_context(Editing { record, evaluation });
    super::household::provide_previous_visit(record, related);

    let status = RwSignal::new(SaveState::Saved);
    let autosave = StoredValue::new_local(Autosave::start(expect_store(), record, status));

    let title = move || {
        record.with(|h| {
            let village = if h.address.village.is_empty() {
                "（未填村）"
            } else {
                h.address.village.as_str()
            };
            format!("{village} {}", h.head_name())
        })
    };
    view! {
        <section class="page editor">
            <div class="editor-bar">
                <a class="back" href=Route::Home.href()>"‹ 记录"</a>
                <h1 class="editor-title">{title}</h1>
                <SaveStatus status=status retry=move || autosave.with_value(Autosave::flush)/>
                <a class="household-link" href=move || record.with(|h| Route::Household(h.household_id.to_string()).href())>"本户各次入户"</a>
            </div>
            <crate::ui::household::ChangesSummary/>
            <crate::ui::form::FormPage/>
        </section>
    }
}

/// 已保存 / 保存中 / 保存失败 (with a retry button).
#[component]
fn SaveStatus(
    status: RwSignal<SaveState>,
    retry: impl Fn() + Clone + Send + Sync + 'static,
) -> impl IntoView {
    move || {
        let state = status.get();
        let retry = retry.clone();
        view! {
            <p class="save-status" data-save-state=state.code() role=if matches!(state, SaveState::Failed(_)) { "alert" } else { "status" }>
                {state.label()}
                {matches!(state, SaveState::Failed(_)).then(|| view! {
                    <button type="button" class="button small" on:click=move |_| retry()>"重试"</button>
                })}
            </p>
        }
    }
}
