//! The start page (`index.html`): what a surveyor's phone loads first, in a bundle about a
//! third of the full app's (no rule engine, no record reader or writer, no form).
//!
//! It shows the home list (入户排查) from the list's snapshot: the entries, export states and
//! record count that the full app (`app.html`, [`super::home`]) computed from the records and
//! kept in the store, stamped with what the list depends on — the store's generation (every
//! write of records or marks changes it), the policy, the day and the build
//! ([`crate::core::listing::stamp`]). The snapshot is shown only while the stamp made now
//! equals the kept one; otherwise the start page hands over to the full app, which reads the
//! records, shows the list and keeps a new snapshot. With no record stored there is nothing to
//! stamp: the empty list is shown as it is.
//!
//! Everything else is the full app's: a row opens `app.html#/h/…` (every link into the full
//! app replaces the start page, and the full app puts its own list under the route, so 返回
//! goes to a list without loading the start page again); 新建入户 opens `app.html#/new`; 导入记录 keeps the picked files in the store and 导出全部 / 选择 / 导出本村
//! leave an [`Intent`] for the full app's home, which carries them out on arrival.

use leptos::prelude::*;

use super::app::not_found;
use super::provide_store_context;
use super::router::{hand_over, open_in_app, provide_router_context, Route};
use super::settings::provide_settings_context;
use super::topbar::TopBar;
use crate::store::{AnyStore, IdbStore};

mod home;

use home::StartHome;

/// The sessionStorage key of the pending [`Intent`].
const INTENT: &str = "ruhu-intent";

/// What a button of the start page asked the full app to do.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Intent {
    /// 导入记录: import the files kept in the store.
    Import,
    /// 导出全部.
    ExportAll,
    /// 导出本村 of this village (as the list names it).
    ExportVillage(String),
    /// 选择: the list in selection mode.
    Select,
}

impl Intent {
    fn encode(&self) -> String {
        match self {
            Intent::Import => "import".into(),
            Intent::ExportAll => "export-all".into(),
            Intent::ExportVillage(v) => format!("export-village:{v}"),
            Intent::Select => "select".into(),
        }
    }

    fn decode(s: &str) -> Option<Intent> {
        match s {
            "import" => Some(Intent::Import),
            "export-all" => Some(Intent::ExportAll),
            "select" => Some(Intent::Select),
            _ => s.strip_prefix("export-village:").map(|v| Intent::ExportVillage(v.to_string())),
        }
    }
}

/// Leaves `intent` for the full app and opens its home list.
pub fn hand_to_app(intent: Intent) {
    if let Ok(Some(s)) = window().session_storage() {
        let _ = s.set_item(INTENT, &intent.encode());
    }
    open_in_app(&Route::Home);
}

/// The intent the start page left, taken (the full app's home calls this once its list is loaded).
pub fn take_intent() -> Option<Intent> {
    let s = window().session_storage().ok().flatten()?;
    let v = s.get_item(INTENT).ok().flatten()?;
    let _ = s.remove_item(INTENT);
    Intent::decode(&v)
}

/// The start page: the top bar and the home list; any other route is the full app's (or the
/// office's) and is handed over.
#[component]
pub fn StartApp() -> impl IntoView {
    provide_store_context(AnyStore::Idb(IdbStore::new()));
    provide_settings_context();
    let router = provide_router_context();
    // A link into the full app replaces this page (see `open_in_app`), so that 返回 from
    // there goes to the full app's list.
    let links = window_event_listener(leptos::ev::click, |ev| {
        use wasm_bindgen::JsCast;
        if ev.default_prevented()
            || ev.button() != 0
            || ev.ctrl_key()
            || ev.meta_key()
            || ev.shift_key()
            || ev.alt_key()
        {
            return;
        }
        let Some(link) = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .and_then(|e| e.closest("a[href]").ok().flatten())
        else {
            return;
        };
        let href = link.get_attribute("href").unwrap_or_default();
        if href.starts_with(super::router::SURVEYOR_PAGE) {
            ev.prevent_default();
            open_in_app(&Route::parse(&href));
        }
    });
    on_cleanup(move || links.remove());
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
