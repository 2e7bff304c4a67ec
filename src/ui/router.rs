//! A hash router: `#/`, `#/h/<id>`, `#/h/<id>/review`, `#/h/<id>/history`, `#/h/<id>/print`,
//! `#/household/<household_id>`, `#/settings`, `#/new`, the start page's intents (`#/import`,
//! `#/export`, `#/export/<village>`, `#/select`: [`handover::Intent`]), `#/township`,
//! `#/township/ledgers/<ledger>`, `#/township/report`, `#/township/keys`, `#/roster`,
//! `#/roster/<tab>` (the roster page `roster.html`). Anything after a `?` in the fragment is
//! ignored (the start page marks its hand-over so, [`handover::open_in_app`]).
//!
//! The route lives in the URL's fragment, so every route is one of three static files
//! (`index.html`, `app.html`, `office.html`) on any static host, from a sub-folder, with no
//! server rewrite, and from the service worker when offline without special cases.
//!
//! Hand-written (this file, about 220 lines with the routes' parsing, their links and the
//! hand-over between pages) rather than `leptos_router` 0.8, for the above and because it adds
//! no crate to a bundle that is at its size budget (not measured against `leptos_router`; its
//! route matching, history integration and `<A>` components are code we would not use).
//!
//! The app is three pages (three wasm bundles): the start page `index.html` (the home list
//! from its snapshot, `ui::start`), the surveyor's `app.html` (records, editor, settings, and
//! the home list too) and the township office's `office.html` (`#/township…` and the printed
//! record `#/h/<id>/print`). Each page's app provides [`RouterContext`] (the route as a
//! `Memo`, and which page it is); [`Route::href`] links within the page as a bare fragment and
//! across to another page with that page's address, so a person moves between them as within
//! one app; each page sends a route of another one over to it ([`hand_over`]). [`navigate`]
//! goes to a route as a link would.

use leptos::prelude::*;

use super::handover::{self, Intent};

/// The start page (`index.html`, the folder's address): the home list from its snapshot.
pub const START_PAGE: &str = "./";
/// The surveyor's full app (`app.html`): the home list, the editor, records, settings.
pub const SURVEYOR_PAGE: &str = "app.html";
/// The township office's page.
pub const OFFICE_PAGE: &str = "office.html";
/// The township office's roster page (花名册核对: its own bundle, with the .xlsx reader).
pub const ROSTER_PAGE: &str = "roster.html";

/// The three pages (three wasm bundles) of the app.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Page {
    /// `index.html`: the start page, small, shows the home list from its snapshot (`ui::start`).
    Start,
    /// `app.html`: everything of the surveyor's.
    Surveyor,
    /// `office.html`: 乡镇汇总 and the printed record.
    Office,
    /// `roster.html`: the township office's 花名册 (import, prefilled drafts, 机账实核对台账,
    /// 动态管理清单), a bundle of its own because the .xlsx reader is large (`ui::roster`).
    Roster,
}

impl Page {
    /// The page this code runs on: the one whose app provided the [`RouterContext`] it runs
    /// under. Code under no page's app (a test that mounts nothing, a task that outlived its
    /// owner) is taken to be on the surveyor's page.
    pub fn current() -> Page {
        use_context::<RouterContext>().map_or(Page::Surveyor, |r| r.page)
    }
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
    /// `/new`: makes a new draft and opens it (the start page's 新建入户).
    New,
    /// `/import`, `/export`, `/export/<village>`, `/select`: the home list, then what a button
    /// of the start page asked for ([`handover::Intent`]).
    Intent(Intent),
    /// `/township`: the township summary.
    Township,
    /// `/township/ledgers/:ledger`: one ledger of the township (its code, e.g. `verification`;
    /// empty for the first one).
    TownshipLedger(String),
    /// `/township/report`: the quarterly report draft.
    TownshipReport,
    /// `/township/keys`: the township's key pair (sealed files) and its configuration file.
    TownshipKeys,
    /// `/h/:id/print`: one record laid out like the paper form, for printing.
    Print(String),
    /// `/roster`, `/roster/:tab`: the roster page's tabs (`""` 花名册, `ledger` 机账实核对台账,
    /// `changes` 动态管理清单), on `roster.html`.
    Roster(String),
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
            ["new"] => Route::New,
            ["township"] => Route::Township,
            ["township", "ledgers"] => Route::TownshipLedger(String::new()),
            ["township", "ledgers", code] => Route::TownshipLedger((*code).to_string()),
            ["township", "report"] => Route::TownshipReport,
            ["township", "keys"] => Route::TownshipKeys,
            ["roster"] => Route::Roster(String::new()),
            ["roster", tab] => Route::Roster((*tab).to_string()),
            _ => Intent::parse(&segments)
                .map_or_else(|| Route::NotFound(path.to_string()), Route::Intent),
        }
    }

    /// The link to this route from the page it is on: a bare fragment when this page shows
    /// it, else the other page's address with the fragment (see [`Route::page`]).
    pub fn href(&self) -> String {
        self.href_from(Page::current())
    }

    /// The link to this route from `from`.
    pub fn href_from(&self, from: Page) -> String {
        let fragment = self.fragment();
        match (self.page(), from) {
            // The home list is on the start page and on the full app: each keeps its own.
            (Page::Start, Page::Start | Page::Surveyor) => fragment,
            (to, from) if to == from => fragment,
            (Page::Start, _) => format!("{START_PAGE}{fragment}"),
            (Page::Surveyor, _) => format!("{SURVEYOR_PAGE}{fragment}"),
            (Page::Office, _) => format!("{OFFICE_PAGE}{fragment}"),
            (Page::Roster, _) => format!("{ROSTER_PAGE}{fragment}"),
        }
    }

    /// The page that shows this route: the office's routes on `office.html`, the home list
    /// on the start page (and the full app, see [`Route::href_from`]), the rest on `app.html`.
    pub fn page(&self) -> Page {
        if matches!(self, Route::Roster(_)) {
            Page::Roster
        } else if self.is_office() {
            Page::Office
        } else if *self == Route::Home {
            Page::Start
        } else {
            Page::Surveyor
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
            Route::New => "#/new".to_string(),
            Route::Intent(intent) => format!("#{}", intent.path()),
            Route::Township => "#/township".to_string(),
            Route::TownshipLedger(code) if code.is_empty() => "#/township/ledgers".to_string(),
            Route::TownshipLedger(code) => format!("#/township/ledgers/{code}"),
            Route::TownshipReport => "#/township/report".to_string(),
            Route::TownshipKeys => "#/township/keys".to_string(),
            Route::Print(id) => format!("#/h/{id}/print"),
            Route::Roster(tab) if tab.is_empty() => "#/roster".to_string(),
            Route::Roster(tab) => format!("#/roster/{tab}"),
            Route::NotFound(path) => format!("#{path}"),
        }
    }

    /// Whether this is one of the township office's pages (they share one loaded view).
    pub fn is_township(&self) -> bool {
        matches!(
            self,
            Route::Township
                | Route::TownshipLedger(_)
                | Route::TownshipReport
                | Route::TownshipKeys
        )
    }

    /// The route the browser shows now.
    pub fn current() -> Route {
        Route::parse(&window().location().hash().unwrap_or_default())
    }
}

/// The current route and the page showing it, for every component
/// (`expect_context::<RouterContext>()`).
#[derive(Clone, Copy)]
pub struct RouterContext {
    pub route: Memo<Route>,
    /// The page this is (each page's app says so: [`provide_router_context`]).
    pub page: Page,
}

/// Follows the URL fragment and provides [`RouterContext`] for `page` (called once, by the
/// page's app).
pub fn provide_router_context(page: Page) -> RouterContext {
    let hash = RwSignal::new(Route::current());
    let listener = window_event_listener_untyped("hashchange", move |_| {
        let next = Route::current();
        // Leaving a record whose edits are not saved asks first; staying puts its address back.
        if !super::editor::may_leave(&next) {
            let old = hash.get_untracked().fragment();
            if let Ok(history) = window().history() {
                let _ =
                    history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&old));
            }
            return;
        }
        hash.set(next)
    });
    on_cleanup(move || listener.remove());
    let ctx = RouterContext { route: Memo::new(move |_| hash.get()), page };
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
/// the surveyor's page, from an old link or bookmark, or the other way round; any route but
/// the list on the start page, [`handover::open_in_app`]).
pub fn hand_over(route: &Route) {
    if Page::current() == Page::Start && route.page() == Page::Surveyor {
        handover::open_in_app(route);
    } else {
        let _ = window().location().replace(&route.href());
    }
}
