//! The start page (`index.html`, the folder's address and the manifest's `start_url` `./`):
//! what a surveyor's phone loads first, in a bundle of its own (bin `ruhu-start`) about a third
//! of the full app's — no rule engine, no record reader or writer, no form.
//!
//! **Why a page of its own.** The first-load budget (200 KB gzip for everything a first visit
//! loads, `./x.sh size`) could not be met by the surveyor's app as one bundle (over 500 KB:
//! the UI and its reactive code are two thirds of it, so no library swap gets near), and the
//! one tool that splits a Leptos wasm into lazily loaded parts was not trusted with an offline
//! records app. So the first page shows only the home list, and everything else is the full
//! app (`app.html`, bin `ruhu-app`), which the service worker precaches in the background on
//! that first visit.
//!
//! **What it shows.** The home list (入户排查) exactly as the full app shows it — the same
//! rows, count, search and filters (`ui::home`'s `list`, `filters`, `row` and `village` are
//! shared) — but not computed: from the list's snapshot, which the full app keeps, while the
//! snapshot's stamp (the store's generation, the policy, the day, the build) equals the one made
//! now; otherwise it hands over to the full app, which reads the records, shows the list and
//! keeps a new snapshot. With no record stored there is nothing to be stale: the empty list is
//! shown as it is. How the snapshot is kept and checked, and how each control reaches the full
//! app, is [`super::handover`].
//!
//! **Everything else is the full app's**, and the start page's controls look and sit as there:
//! a row, `N 次入户 ›` and 设置 are links into `app.html#/…` that replace this page; 新建入户
//! opens `app.html#/new`; 导入记录 keeps the picked files in the store and opens `#/import`;
//! 导出全部, 选择 and 导出本村 open `#/export`, `#/select` and `#/export/<village>` (the
//! [`handover::Intent`](super::handover::Intent) routes). Any other route opened here (an old
//! link, a bookmark) is handed over to the page that shows it.

use leptos::prelude::*;

use super::app::not_found;
use super::handover::follow_links_into_app;
use super::provide_store_context;
use super::router::{hand_over, provide_router_context, Page, Route};
use super::settings::provide_settings_context;
use super::topbar::TopBar;
use crate::store::{AnyStore, IdbStore};

mod home;

use home::StartHome;

/// The start page: the top bar and the home list; any other route is the full app's (or the
/// office's) and is handed over.
#[component]
pub fn StartApp() -> impl IntoView {
    provide_store_context(AnyStore::Idb(IdbStore::new()));
    provide_settings_context();
    let router = provide_router_context(Page::Start);
    follow_links_into_app();
    let page = move || match router.route.get() {
        Route::Home => view! { <StartHome/> }.into_any(),
        Route::NotFound(path) => not_found(path).into_any(),
        route => {
            hand_over(&route);
            view! { <p class="page muted" role="status">"正在打开…"</p> }.into_any()
        }
    };
    view! {
        <TopBar/>
        <main id="main">{page}</main>
    }
}
