//! A hash router: `#/`, `#/h/<id>`, `#/h/<id>/print`, `#/h/<id>/history`, `#/h/<id>/review`,
//! `#/household/<household_id>`, `#/settings`, `#/township`, `#/township/ledgers/<ledger>`,
//! `#/township/report`.
//!
//! The route lives in the URL's fragment, so every route is served by the same `index.html`
//! from any static host, from a sub-folder, and from the service worker when offline.

use leptos::prelude::*;

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
    /// The route of a URL fragment (`#/h/…`, with or without the `#`).
    pub fn parse(hash: &str) -> Route {
        let path = hash.trim_start_matches('#');
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

    /// The link to this route (`#/h/…`).
    pub fn href(&self) -> String {
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

/// Goes to a route (adds a browser history entry, like following a link).
pub fn navigate(route: &Route) {
    let _ = window().location().set_hash(&route.href());
}
