//! The editor page (`/h/:id`): takes the record's lock ([`lock`]: one editor per record),
//! loads the record, puts back unsaved edits from the [`journal`], provides [`Editing`] to the
//! form, and saves every change (see [`autosave`]).
//!
//! - Read-only in a second window: 此记录正在另一窗口中编辑; it shows the other window's saves
//!   as they happen and becomes editable when the other window leaves the record.
//! - 未保存 and the reason while a save fails (retried; 重试, and 导出此记录 which exports the
//!   record with its unsaved edits); the page (`beforeunload`) and the editor (a route away,
//!   [`may_leave`], asked by the router) ask before they are left while a save fails or the
//!   record was saved elsewhere.
//! - Saved elsewhere meanwhile (another window, an import): both versions' differing fields
//!   side by side, 保留本窗口的修改 (a state descending from both) or 用另一版本.
//! - Edits put back from the journal: 上次未保存的修改已恢复 with 放弃这些修改.
//! - While an editor is open the document carries `data-editing` (the update prompt of
//!   another tab waits for it to go before it reloads the page; `public/sw-register.js`).

use std::cell::{Cell, RefCell};

use leptos::prelude::*;
use uuid::Uuid;

use super::router::Route;
use super::settings::SettingsContext;
use super::{clock, expect_store};
use crate::core::evaluation::Evaluation;
use crate::core::record::Household;
use crate::store::RecordStore;

pub mod autosave;
pub mod journal;
pub mod lock;

use autosave::{Autosave, SaveState};
use journal::Found;

/// The record being edited, and the engine's live verdict on it.
#[derive(Clone, Copy)]
pub struct Editing {
    pub record: RwSignal<Household>,
    pub evaluation: Memo<Evaluation>,
}

/// Whether the form may be changed here (the record is not open for editing in another
/// window). Provided by the editor; absent (a test mounting the form alone) means yes.
#[derive(Clone, Copy)]
pub struct Writable(pub bool);

thread_local! {
    /// The record open with edits that are not saved and cannot be soon, and why.
    static UNSAVED: RefCell<Option<(Uuid, String)>> = const { RefCell::new(None) };
    /// How many editors are open (the document's `data-editing`).
    static OPEN: Cell<u32> = const { Cell::new(0) };
}

/// Why the open record's edits are not saved, if they are not (a failed save, or the record
/// saved elsewhere meanwhile).
pub fn unsaved_reason() -> Option<String> {
    UNSAVED.with(|u| u.borrow().as_ref().map(|(_, why)| why.clone()))
}

/// Whether the app may go to `to` now: yes unless it leaves a record whose edits are not
/// saved and the person, asked, stays. (The router asks on every change of route.)
pub fn may_leave(to: &Route) -> bool {
    let Some((id, why)) = UNSAVED.with(|u| u.borrow().clone()) else { return true };
    let id = id.to_string();
    if matches!(to, Route::Editor(x) | Route::Review(x) if *x == id) {
        return true;
    }
    window()
        .confirm_with_message(&format!(
            "此记录有未保存的修改（{why}）\n\n修改已暂存在本机，下次打开此记录时会恢复。仍要离开吗？"
        ))
        .unwrap_or(true)
}

fn set_editing(open: bool) {
    let n = OPEN.with(|o| {
        let n = if open { o.get() + 1 } else { o.get().saturating_sub(1) };
        o.set(n);
        n
    });
    if let Some(root) = document().document_element() {
        let _ = if n > 0 {
            root.set_attribute("data-editing", "")
        } else {
            root.remove_attribute("data-editing")
        };
    }
}

/// Takes the record's lock, loads the record `id` from the store and opens the [`Editor`] on
/// it: editable when the lock is held, else read-only (and loaded again at every write of
/// another window, and when the lock comes).
#[component]
pub fn EditorPage(id: String) -> impl IntoView {
    let Ok(uuid) = Uuid::parse_str(&id) else {
        return view! { <Missing/> }.into_any();
    };
    let store = expect_store();
    let lock = lock::RecordLock::request(uuid);
    let held = lock.held;
    let lock = send_wrapper::SendWrapper::new(lock);
    on_cleanup(move || lock.release());
    let loaded = super::load::load(move || {
        let store = store.clone();
        let held = held.get();
        async move {
            match held {
                None => None,
                Some(held) => Some((held, store.get(uuid).await.map_err(|e| e.to_string()))),
            }
        }
    });
    // Read-only: another window's save is shown.
    let heard = crate::store::broadcast::subscribe(move |ids| {
        if held.get_untracked() == Some(false) && ids.contains(&uuid) {
            loaded.refetch();
        }
    })
    .map(send_wrapper::SendWrapper::new);
    on_cleanup(move || drop(heard));
    (move || match loaded.get() {
        None | Some(None) => view! { <p class="page muted">"正在打开…"</p> }.into_any(),
        Some(Some((held, Ok(Some(record))))) => {
            view! { <Editor initial=record editable=held/> }.into_any()
        }
        Some(Some((_, Ok(None)))) => view! { <Missing/> }.into_any(),
        Some(Some((_, Err(e)))) => view! {
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
/// `editable`: this window holds the record's lock (else the form is read-only).
#[component]
pub fn Editor(initial: Household, #[prop(default = true)] editable: bool) -> impl IntoView {
    let SettingsContext { settings, .. } = expect_context::<SettingsContext>();
    super::transfer::provide_transfer_context();
    let today = clock::today();
    // Unsaved edits of an earlier page, from the journal.
    let found =
        if editable { journal::find(&initial, &super::device::id()) } else { Found::Nothing };
    let (shown, saved, parent, apart, restored) = match found {
        Found::Nothing => (initial.clone(), initial, None, None, false),
        Found::Restore(entry) => {
            let mut shown = entry.record;
            shown.revision = initial.revision;
            shown.updated_at = initial.updated_at;
            shown.lineage = initial.lineage.clone();
            (shown, initial, entry.parent, None, true)
        }
        Found::Apart(entry) => (entry.record, entry.base, entry.parent, Some(initial), false),
    };
    // The other households' people and the previous visit arrive from the store shortly.
    let related = super::household::load_related(&shown);
    let record = RwSignal::new(shown);
    let evaluation = Memo::new(move |_| {
        // The settings' policy for a visit of its year, else the visit year's shipped line.
        related.with(|r| {
            record.with(|h| {
                settings.with(|s| r.evaluate(h, &s.policy.for_visit(h.visit.date), today))
            })
        })
    });
    provide_context(Editing { record, evaluation });
    provide_context(Writable(editable));
    super::household::provide_previous_visit(record, related);

    let saver = Autosave::start(expect_store(), record, saved, parent, editable);
    if let Some(other) = apart {
        saver.set_changed(other);
    }
    let status = saver.status;
    let other = saver.other;
    let closing = send_wrapper::SendWrapper::new(saver.clone());
    let autosave = StoredValue::new_local(saver);
    let restored = RwSignal::new(restored);
    let id = record.with_untracked(|h| h.id);

    // What the leave guards ask about.
    Effect::new(move |_| {
        let state = status.get();
        UNSAVED.with(|u| {
            let mut u = u.borrow_mut();
            if let Some(why) = state.reason() {
                *u = Some((id, why));
            } else if u.as_ref().is_some_and(|(i, _)| *i == id) {
                *u = None;
            }
        });
    });
    let on_unload = window_event_listener(leptos::ev::beforeunload, move |ev| {
        if status.get_untracked().is_unsaved() {
            ev.prevent_default();
            ev.set_return_value("此记录有未保存的修改");
        }
    });
    set_editing(true);
    on_cleanup(move || {
        on_unload.remove();
        UNSAVED.with(|u| {
            let mut u = u.borrow_mut();
            if u.as_ref().is_some_and(|(i, _)| *i == id) {
                *u = None;
            }
        });
        // `data-editing` goes once the last save has committed (or failed: the journal has
        // it), so that an update waiting for it does not reload under the save.
        closing.flush();
        let settled = js_sys::Promise::from(closing.when_saved());
        leptos::task::spawn_local(async move {
            let _ = wasm_bindgen_futures::JsFuture::from(settled).await;
            set_editing(false);
        });
    });

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
    let export_unsaved = move |_| {
        let state = autosave.with_value(Autosave::export_unsaved);
        super::transfer::run_export_records(vec![state]);
    };
    view! {
        <section class="page editor" data-editable=editable.to_string()>
            <div class="editor-bar">
                <a class="back" href=Route::Home.href()>"‹ 记录"</a>
                <h1 class="editor-title">{title}</h1>
                <SaveStatus status=status retry=move || autosave.with_value(Autosave::flush)/>
                <a class="household-link" href=move || record.with(|h| Route::Household(h.household_id.to_string()).href())>"本户各次入户"</a>
            </div>
            {(!editable).then(|| view! {
                <p class="elsewhere-banner alert" role="status" data-testid="elsewhere">
                    "此记录正在另一窗口中编辑，这里只能查看。那边关闭此记录后，这里即可编辑。"
                </p>
            })}
            {move || match status.get() { SaveState::Failed(why) => Some(why), _ => None }.map(|why| view! {
                <div class="unsaved-banner alert" role="alert" data-testid="unsaved">
                    <p>"未保存："{why}</p>
                    <p class="muted">"保存成功前请不要清除浏览器数据。"</p>
                    <button type="button" class="button" on:click=export_unsaved>"导出此记录（含未保存的修改）"</button>
                    <super::transfer::ExportResult/>
                </div>
            })}
            {move || other.get().map(|theirs| view! {
                <ChangedElsewhere mine=record theirs=theirs
                    keep=move || autosave.with_value(Autosave::keep_mine)
                    take=move || autosave.with_value(Autosave::take_theirs)/>
            })}
            {move || restored.get().then(|| view! {
                <div class="journal-banner" role="status" data-testid="restored">
                    <span>"上次未保存的修改已恢复到表单中。"</span>
                    <button type="button" class="button small" on:click=move |_| {
                        autosave.with_value(Autosave::discard);
                        restored.set(false);
                    }>"放弃这些修改"</button>
                    <button type="button" class="button small" on:click=move |_| restored.set(false)>"知道了"</button>
                </div>
            })}
            <crate::ui::household::ChangesSummary/>
            <crate::ui::roster::marks::RosterChanges/>
            <crate::ui::form::FormPage/>
        </section>
    }
}

/// The record was saved elsewhere while this window edited it: what differs, side by side,
/// and the two ways on.
#[component]
fn ChangedElsewhere(
    mine: RwSignal<Household>,
    theirs: Household,
    keep: impl Fn() + Send + Sync + 'static,
    take: impl Fn() + Send + Sync + 'static,
) -> impl IntoView {
    let rows = mine.with_untracked(|m| crate::core::transfer::diff::differences(m, &theirs));
    let rows: Vec<_> = rows
        .into_iter()
        .filter(|d| !matches!(d.path.as_str(), "revision" | "updated_at"))
        .take(12)
        .collect();
    view! {
        <div class="changed-banner alert" role="alert" data-testid="changed-elsewhere">
            <p>"此记录已在别处（另一窗口或导入）保存了另一版本。本窗口的修改没有覆盖它，也没有丢失：请选择保留哪一版。"</p>
            <table class="changed-rows">
                <thead><tr><th>"项目"</th><th>"本窗口"</th><th>"另一版本"</th></tr></thead>
                <tbody>
                    {rows.into_iter().map(|d| view! {
                        <tr><td>{d.label}</td><td>{d.local}</td><td>{d.incoming}</td></tr>
                    }).collect_view()}
                </tbody>
            </table>
            <button type="button" class="button primary" on:click=move |_| keep()>"保留本窗口的修改"</button>
            <button type="button" class="button" on:click=move |_| take()>"用另一版本"</button>
        </div>
    }
}

/// 已保存 / 保存中 / 未保存 (with a retry button).
#[component]
fn SaveStatus(
    status: RwSignal<SaveState>,
    retry: impl Fn() + Clone + Send + Sync + 'static,
) -> impl IntoView {
    move || {
        let state = status.get();
        let retry = retry.clone();
        view! {
            <p class="save-status" data-save-state=state.code() role=if state.is_unsaved() { "alert" } else { "status" }>
                {state.label()}
                {matches!(state, SaveState::Failed(_)).then(|| view! {
                    <button type="button" class="button small" on:click=move |_| retry()>"重试"</button>
                })}
            </p>
        }
    }
}
