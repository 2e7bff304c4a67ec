//! The app shell: contexts, the top bar and the page of the current route.

use leptos::prelude::*;

use super::router::{provide_router_context, Route};
use super::settings::provide_settings_context;
use super::household::{HistoryPage, HouseholdPage};
use super::{editor::EditorPage, home::Home, print::PrintPage, provide_store_context, settings::SettingsPage, township::Township};
use crate::store::{AnyStore, IdbStore};

/// The whole app. `store` defaults to the device's IndexedDB (tests pass a memory store).
#[component]
pub fn App(#[prop(optional)] store: Option<AnyStore>) -> impl IntoView {
    provide_store_context(store.unwrap_or_else(|| AnyStore::Idb(IdbStore::new())));
    provide_settings_context();
    let router = provide_router_context();

    // The township's tabs share one page (it loads and computes once, then follows the route);
    // so do the editor and its review page (switching keeps the record open).
    let page_route = Memo::new(move |_| match router.route.get() {
        route if route.is_township() => Route::Township,
        Route::Review(id) => Route::Editor(id),
        route => route,
    });
    let page = move || match page_route.get() {
        Route::Home => view! { <Home/> }.into_any(),
        Route::Editor(id) | Route::Review(id) => view! { <EditorPage id=id/> }.into_any(),
        Route::Print(id) => view! { <PrintPage id=id/> }.into_any(),
        Route::History(id) => view! { <HistoryPage id=id/> }.into_any(),
        Route::Household(id) => view! { <HouseholdPage id=id/> }.into_any(),
        Route::Settings => view! { <SettingsPage/> }.into_any(),
        Route::Township | Route::TownshipLedger(_) | Route::TownshipReport => view! { <Township/> }.into_any(),
        Route::NotFound(path) => view! {
            <section class="page">
                <h1>"找不到这个页面"</h1>
                <p class="muted">{path}</p>
                <p><a class="button" href=Route::Home.href()>"回到首页"</a></p>
            </section>
        }
        .into_any(),
    };
    let current = move |r: Route| {
        move || {
            let now = router.route.get();
            if now == r || (r == Route::Township && now.is_township()) { "page" } else { "false" }
        }
    };

    view! {
        <header class="topbar">
            <a class="brand" href=Route::Home.href()>"入户"</a>
            <nav class="topnav">
                <a href=Route::Home.href() aria-current=current(Route::Home)>"记录"</a>
                <a href=Route::Township.href() aria-current=current(Route::Township)>"汇总"</a>
                <a href=Route::Settings.href() aria-current=current(Route::Settings)>"设置"</a>
            </nav>
        </header>
        <main id="main">{page}</main>
    }
}
