//! 入户排查 on the start page: the list from its snapshot when the snapshot still holds, the
//! empty list when nothing is stored, else the full app (see [`super`]).

use std::sync::Arc;

use leptos::prelude::*;

use crate::core::receipt::Status as ReceiptStatus;
use crate::store::AnyStore;
use crate::ui::expect_store;
use crate::ui::handover::{self, open_in_app, Intent};
use crate::ui::home::filters::{FilterBar, NotReceivedCount};
use crate::ui::home::list::HomeList;
use crate::ui::home::{HomeData, ListState};
use crate::ui::router::Route;
use crate::ui::settings::SettingsContext;
use crate::ui::transfer::file::picked_files;

/// What the start page can show.
#[derive(Clone)]
enum Shown {
    /// The list (from the snapshot, or empty).
    List(Arc<HomeData>),
    /// The store could not be read.
    Failed(String),
}

/// Opens the full app's home list to carry out `intent`.
fn hand_to_app(intent: Intent) {
    open_in_app(&Route::Intent(intent));
}

/// The start page's home.
#[component]
pub fn StartHome() -> impl IntoView {
    let store: AnyStore = expect_store();
    let stash = store.clone();
    let SettingsContext { settings, .. } = expect_context::<SettingsContext>();
    let shown = RwSignal::new(None::<Shown>);
    // The township requires the app lock and it is off: the full app's list says so, with
    // the way to 设置 › 应用锁 (this bundle stays within its budget without the notice).
    let lock_required = settings.with_untracked(|s| s.lock_required);
    leptos::task::spawn_local(async move {
        if lock_required {
            open_in_app(&Route::Home);
            return;
        }
        let policy = settings.with_untracked(|s| s.policy.clone());
        let next = match handover::read_list(&store, &policy, crate::ui::clock::today()).await {
            Ok(Some(snapshot)) => Shown::List(Arc::new(HomeData::from_snapshot(snapshot))),
            Ok(None) => {
                open_in_app(&Route::Home);
                return;
            }
            Err(e) => Shown::Failed(e.to_string()),
        };
        shown.try_set(Some(next));
    });

    ListState::provide();
    let export_village =
        Callback::new(|village: String| hand_to_app(Intent::ExportVillage(village)));
    let busy = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    let on_pick = move |ev: leptos::ev::Event| {
        let (_, picked) = picked_files(&ev);
        if picked.is_empty() || busy.get_untracked() {
            return;
        }
        // The lock was turned on in another tab since this page opened: nothing is kept here
        // (it would be plain); the full app asks for the PIN first.
        if crate::ui::lock::is_set() {
            open_in_app(&Route::Home);
            return;
        }
        busy.set(true);
        let store = stash.clone();
        leptos::task::spawn_local(async move {
            match handover::stash_import(&store, &picked).await {
                Ok(()) => hand_to_app(Intent::Import),
                Err(e) => {
                    error.set(Some(e.to_string()));
                    busy.set(false);
                }
            }
        });
    };

    view! {
        <section class="page home">
            <h1>"入户排查"</h1>
            <button type="button" class="button primary big" on:click=|_| open_in_app(&Route::New)>"新建入户"</button>
            {move || error.get().map(|e| view! { <p class="alert" role="alert">{e}</p> })}
            <div class="transfer-bar">
                <label class="button file-button" for="import-records">"导入记录"</label>
                <input id="import-records" class="visually-hidden" type="file" multiple on:change=on_pick prop:disabled=move || busy.get()/>
                <button type="button" class="button" on:click=|_| hand_to_app(Intent::ExportAll)>"导出全部"</button>
                <button type="button" class="button" aria-pressed="false" on:click=|_| hand_to_app(Intent::Select)>"选择"</button>
            </div>
            {move || busy.get().then(|| view! { <p class="muted" role="status">"正在处理…"</p> })}
            // Standing conflicts are resolved in the full app (the snapshot counts them).
            {move || match shown.get() {
                Some(Shown::List(d)) if d.conflict_count > 0 => {
                    let n = d.conflict_count;
                    Some(view! {
                        <p class="conflict-count warn" role="status" data-count=n>
                            {format!("有 {n} 条冲突待处理：两个版本都已保存，需要您选择。")}
                            <button type="button" class="button small" on:click=|_| open_in_app(&Route::Home)>"去处理"</button>
                        </p>
                    })
                }
                _ => None,
            }}
            {move || match shown.get() {
                Some(Shown::List(d)) => {
                    let n = d.entries.iter().filter(|e| e.township != ReceiptStatus::Received).count();
                    Some(view! { <NotReceivedCount count=n households=d.entries.len()/> })
                }
                _ => None,
            }}
            <FilterBar/>
            {move || match shown.get() {
                None => view! { <p class="muted">"正在读取…"</p> }.into_any(),
                Some(Shown::Failed(e)) => view! { <p class="alert" role="alert">{e}</p> }.into_any(),
                Some(Shown::List(d)) => view! { <HomeList data=d export_village=export_village/> }.into_any(),
            }}
        </section>
    }
}
