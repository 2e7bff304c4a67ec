//! The surveyor's app (`app.html`): contexts, the top bar and the page of the current route.
//! The township office's routes are another page (`office.html`, [`super::office`]).

use leptos::prelude::*;

use super::handover::Keeper;
use super::household::{HistoryPage, HouseholdPage};
use super::router::{hand_over, provide_router_context, Page, Route};
use super::settings::provide_settings_context;
use super::topbar::TopBar;
use super::{editor::EditorPage, home::Home, provide_store_context, settings::SettingsPage};
use crate::store::{AnyStore, IdbStore};

/// The whole surveyor app. `store` defaults to the device's IndexedDB (tests pass a memory store).
#[component]
pub fn App(#[prop(optional)] store: Option<AnyStore>) -> impl IntoView {
    provide_store_context(store.unwrap_or_else(|| AnyStore::Idb(IdbStore::new())));
    provide_settings_context();
    let router = provide_router_context(Page::Surveyor);
    Keeper::provide();

    // The editor and its review page share one page (switching keeps the record open); an
    // intent of the start page is the home list, which takes it and becomes `#/` in place
    // (so the list is not loaded twice).
    let page_route = Memo::new(move |_| match router.route.get() {
        Route::Review(id) => Route::Editor(id),
        Route::Intent(_) => Route::Home,
        route => route,
    });
    let page = move || match page_route.get() {
        Route::Home => view! { <Home/> }.into_any(),
        Route::Editor(id) | Route::Review(id) => view! { <EditorPage id=id/> }.into_any(),
        Route::History(id) => view! { <HistoryPage id=id/> }.into_any(),
        Route::Household(id) => view! { <HouseholdPage id=id/> }.into_any(),
        Route::Settings => view! { <SettingsPage/> }.into_any(),
        Route::New => {
            new_draft();
            view! { <p class="page muted" role="status">"正在新建…"</p> }.into_any()
        }
        Route::NotFound(path) => not_found(path).into_any(),
        // The office's routes (乡镇汇总, the printed record) are the other page.
        route => {
            hand_over(&route);
            view! { <p class="page muted" role="status">"正在打开乡镇汇总…"</p> }.into_any()
        }
    };

    view! {
        <TopBar/>
        <main id="main">{page}</main>
    }
}

/// `#/new` (the start page's 新建入户): stores a new draft with the settings' defaults and
/// opens it in place of `#/new`, so that 返回 from it goes to the list, not to a second draft.
fn new_draft() {
    let store = super::expect_store();
    let settings = expect_context::<super::settings::SettingsContext>().settings.get_untracked();
    let record = super::home::new_record(&settings);
    leptos::task::spawn_local(async move {
        use crate::store::RecordStore;
        match store.put(&record).await {
            Ok(()) => {
                let _ =
                    window().location().replace(&Route::Editor(record.id.to_string()).fragment());
            }
            Err(e) => {
                let _ = window().alert_with_message(&format!("新建失败：{e}"));
                let _ = window().location().replace(&Route::Home.fragment());
            }
        }
    });
}

/// 找不到这个页面, with the path as written and a way home.
pub fn not_found(path: String) -> impl IntoView {
    view! {
        <section class="page">
            <h1>"找不到这个页面"</h1>
            <p class="muted">{path}</p>
            <p><a class="button" href=Route::Home.href()>"回到首页"</a></p>
        </section>
    }
}
