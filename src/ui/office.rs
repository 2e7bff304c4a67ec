//! The township office's app (`office.html`, its own wasm bundle): 乡镇汇总 / 台账 / 季度报告
//! and the printed record, over the same store and settings as the surveyor's app. A
//! surveyor's phone never loads this code unless someone opens 汇总.
//!
//! The three township routes (`#/township`, `#/township/ledgers…`, `#/township/report`) map to
//! one mounted [`Township`] page, so a tab switch keeps the records and the computed view;
//! `#/h/<id>/print` is the printed record. Any other route belongs to the surveyor's app and is
//! handed over to it. A bare `office.html` opens 汇总. Routes and data: [`super::township`].

use leptos::prelude::*;

use super::app::not_found;
use super::print::PrintPage;
use super::provide_store_context;
use super::router::{hand_over, provide_router_context, Page, Route};
use super::settings::provide_settings_context;
use super::topbar::TopBar;
use super::township::Township;
use super::transfer::conflict::ConflictNotice;
use crate::store::{AnyStore, IdbStore};

/// The whole office app. `store` defaults to the device's IndexedDB (tests pass a memory store).
#[component]
pub fn OfficeApp(#[prop(optional)] store: Option<AnyStore>) -> impl IntoView {
    provide_store_context(store.unwrap_or_else(|| AnyStore::Idb(IdbStore::new())));
    provide_settings_context();
    let router = provide_router_context(Page::Office);

    // The township's tabs share one page: it loads and computes once, then follows the route.
    let page_route = Memo::new(move |_| match router.route.get() {
        route if route.is_township() => Route::Township,
        route => route,
    });
    let page = move || match page_route.get() {
        Route::Township => view! { <Township/> }.into_any(),
        Route::Print(id) => view! { <PrintPage id=id/> }.into_any(),
        Route::NotFound(path) => not_found(path).into_any(),
        // The surveyor's routes (records, editor, settings) are the other page.
        route => {
            hand_over(&route);
            view! { <p class="page muted" role="status">"正在打开…"</p> }.into_any()
        }
    };

    view! {
        <TopBar/>
        <main id="main"><ConflictNotice/>{page}</main>
    }
}
