//! 入户排查 on the start page: the list from its snapshot when the snapshot still holds, the
//! empty list when nothing is stored, else the full app (see [`super`]).

use std::sync::Arc;

use leptos::prelude::*;

use super::{hand_to_app, Intent};
use crate::core::listing::Snapshot;
use crate::store::{AnyStore, ListSnapshot, RecordStore};
use crate::ui::expect_store;
use crate::ui::home::filters::FilterBar;
use crate::ui::home::list::HomeList;
use crate::ui::home::{snapshot_stamp, HomeData, ListState};
use crate::ui::router::{open_in_app, Route};
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

/// The list if the snapshot holds; `None` when the full app must compute it.
fn from_snapshot(s: ListSnapshot, policy: &crate::core::policy::Policy) -> Option<HomeData> {
    if s.records == 0 {
        return Some(HomeData::default());
    }
    if s.stamp.as_deref()
        != Some(snapshot_stamp(&s.generation, policy, crate::ui::clock::today()).as_str())
    {
        return None;
    }
    let snapshot: Snapshot = serde_json::from_str(s.json.as_deref()?).ok()?;
    (snapshot.entries.len() == snapshot.export.len()).then(|| HomeData::from_snapshot(snapshot))
}

/// The start page's home.
#[component]
pub fn StartHome() -> impl IntoView {
    let store: AnyStore = expect_store();
    let stash = store.clone();
    let SettingsContext { settings, .. } = expect_context::<SettingsContext>();
    let shown = RwSignal::new(None::<Shown>);
    leptos::task::spawn_local(async move {
        let read = store.list_snapshot().await;
        let policy = settings.with_untracked(|s| s.policy.clone());
        let next = match read {
            Ok(s) => match from_snapshot(s, &policy) {
                Some(data) => Shown::List(Arc::new(data)),
                None => {
                    open_in_app(&Route::Home);
                    return;
                }
            },
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
        #[allow(irrefutable_let_patterns)]
        let AnyStore::Idb(store) = stash.clone() else {
            return;
        };
        if picked.is_empty() || busy.get_untracked() {
            return;
        }
        busy.set(true);
        leptos::task::spawn_local(async move {
            match store.stash_import(&picked).await {
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
            <FilterBar/>
            {move || match shown.get() {
                None => view! { <p class="muted">"正在读取…"</p> }.into_any(),
                Some(Shown::Failed(e)) => view! { <p class="alert" role="alert">{e}</p> }.into_any(),
                Some(Shown::List(d)) => view! { <HomeList data=d export_village=export_village/> }.into_any(),
            }}
        </section>
    }
}
