//! A hash router: `#/`, `#/h/<id>`, `#/h/<id>/print`, `#/h/<id>/history`, `#/h/<id>/review`,
//! `#/household/<household_id>`, `#/settings`, `#/township`, `#/township/ledgers/<ledger>`,
//! `#/township/report`.
//!
//! The route lives in the URL's fragment, so every route is served by the same page from any
//! static host, from a sub-folder, and from the service worker when offline.
//!
//! The app is two pages (two wasm bundles, see README.md, *Measurements › Size*): the surveyor's
//! `index.html` (records, editor, settings) and the township office's `office.html`
//! (`#/township…` and the printed record `#/h/<id>/print`). [`Route::href`] links within the
//! page as a bare fragment and across to the other page with that page's address, so a person
//! moves between them as within one app; each page sends a route of the other one over to it.

use std::sync::atomic::{AtomicBool, Ordering};

use leptos::prelude::*;

/// The address of the surveyor's page, relative to either page (the folder: `index.html`).
pub const SURVEYOR_PAGE: &str = "./";
/// The address of the township office's page, relative to either page.
pub const OFFICE_PAGE: &str = "office.html";

/// Whether this page is the township office's (set once by `ui::start_office`).
static ON_OFFICE_PAGE: AtomicBool = AtomicBool::new(false);

/// Marks this page as the office's (`true`) or the surveyor's (`false`, the default).
pub fn set_office_page(office: bool) {
    ON_OFFICE_PAGE.store(office, Ordering::Relaxed);
}

/// Whether this page is the township office's.
pub fn on_office_page() -> bool {
    ON_OFFICE_PAGE.load(Ordering::Relaxed)
}

/// The pages of the app.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Route {
    /// `/`: the list of records.
    Home,
    /// `/h/:id`: the editor of one record (the id as written in the URL).
    Editor(String),
    /// `/h/:id/history`: the saved states of one record.
    History(String),
    /// `/household/:household_id`: one household's visits.
    Household(String),
    /// `/h/:id/review`: the review page of one record (same editor, review shown).
    Review(String),
    /// `/settings`.
    Settings,
    /// `/township`: the township summary.
    Township,
    /// `/township/ledgers/:ledger`: one ledger of the township (its code, e.g. `verification`;
    /// empty for the first one).
    TownshipLedger(String),
    /// `/township/report`: the quarterly report draft.
    TownshipReport,
    /// `/h/:id/print`: one record laid out like the paper form, for printing.
    Print(String),
    /// Anything else (the path as written).
    NotFound(String),
}

impl Route {
    /// The route of a URL fragment (`#/h/…`, with or without the `#`; anything before the
    /// `#`, such as `office.html`, is ignored).
    pub fn parse(hash: &str) -> Route {
        let path = hash.split_once('#').map_or(hash, |(_, fragment)| fragment);
        let path = path.split(['?', '#']).next().unwrap_or("");
        let path = path.trim_end_matches('/');
        let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
        match segments.as_slice() {
            [] => Route::Home,
            ["h", id] => Route::Editor((*id).to_string()),
            ["h", id, "print"] => Route::Print((*id).to_string()),
            ["h", id, "history"] => Route::History((*id).to_string()),
            ["household", id] => Route::Household((*id).to_string()),
            ["h", id, "review"] => Route::Review((*id).to_string()),
            ["settings"] => Route::Settings,
            ["township"] => Route::Township,
            ["township", "ledgers"] => Route::TownshipLedger(String::new()),
            ["township", "ledgers", code] => Route::TownshipLedger((*code).to_string()),
            ["township", "report"] => Route::TownshipReport,
            _ => Route::NotFound(path.to_string()),
        }
    }

    /// The link to this route from the page it is on: `#/h/…` on the same page,
    /// `office.html#/township` or `./#/h/…` across (see [`Route::is_office`]).
    pub fn href(&self) -> String {
        self.href_from(on_office_page())
    }

    /// The link to this route from the office's page (`true`) or the surveyor's.
    pub fn href_from(&self, office: bool) -> String {
        let fragment = self.fragment();
        match (self.is_office(), office) {
            (true, false) => format!("{OFFICE_PAGE}{fragment}"),
            (false, true) => format!("{SURVEYOR_PAGE}{fragment}"),
            _ => fragment,
        }
    }

    /// Whether this route is shown by the township office's page (`office.html`): the
    /// township's tabs and the printed record. Everything else is the surveyor's.
    pub fn is_office(&self) -> bool {
        self.is_township() || matches!(self, Route::Print(_))
    }

    /// The URL fragment of this route (`#/h/…`).
    pub fn fragment(&self) -> String {
        match self {
            Route::Home => "#/".to_string(),
            Route::Editor(id) => format!("#/h/{id}"),
            Route::History(id) => format!("#/h/{id}/history"),
            Route::Household(id) => format!("#/household/{id}"),
            Route::Review(id) => format!("#/h/{id}/review"),
            Route::Settings => "#/settings".to_string(),
            Route::Township => "#/township".to_string(),
            Route::TownshipLedger(code) if code.is_empty() => "#/township/ledgers".to_string(),
            Route::TownshipLedger(code) => format!("#/township/ledgers/{code}"),
            Route::TownshipReport => "#/township/report".to_string(),
            Route::Print(id) => format!("#/h/{id}/print"),
            Route::NotFound(path) => format!("#{path}"),
        }
    }

    /// Whether this is one of the township office's pages (they share one loaded view).
    pub fn is_township(&self) -> bool {
        matches!(self, Route::Township | Route::TownshipLedger(_) | Route::TownshipReport)
    }

    /// The route the browser shows now.
    pub fn current() -> Route {
        Route::parse(&window().location().hash().unwrap_or_default())
    }
}

/// The current route, for every component (`expect_context::<RouterContext>()`).
#[derive(Clone, Copy)]
pub struct RouterContext {
    pub route: Memo<Route>,
}

/// Follows the URL fragment and provides [`RouterContext`].
pub fn provide_router_context() -> RouterContext {
    let hash = RwSignal::new(Route::current());
    let listener = window_event_listener_untyped("hashchange", move |_| hash.set(Route::current()));
    on_cleanup(move || listener.remove());
    let ctx = RouterContext { route: Memo::new(move |_| hash.get()) };
    provide_context(ctx);
    ctx
}

/// Goes to a route (adds a browser history entry, like following a link); a route of the
/// other page loads that page.
pub fn navigate(route: &Route) {
    let location = window().location();
    let href = route.href();
    let _ = if href.starts_with('#') { location.set_hash(&href) } else { location.assign(&href) };
}

/// Replaces this page by the other one at the same route (a route of the office opened on
/// the surveyor's page, from an old link or bookmark, or the other way round).
pub fn hand_over(route: &Route) {
    let _ = window().location().replace(&route.href());
}
