//! 花名册核对 (issue 12): the township office's page for the national system's list
//! (`roster.html`, bin `ruhu-roster`, its own wasm bundle). The office imports the
//! 全国防返贫监测信息系统's export (.xlsx, .xls or .csv), keeps it on the device, sees it per
//! village (households, persons, visited or not), exports each village's prefilled drafts
//! (`ruhu.export/1`) for its surveyor, and after the visits reads the 机账实核对台账 and the
//! 动态管理清单 — offline, over the same store as the office's other pages.
//!
//! Everything it shows is the core's: the reader ([`crate::core::roster::read`], errors naming
//! file, sheet, row and column), the drafts ([`crate::core::roster::prefill`]), the
//! reconciliation, its codes, the ledger's table and CSV, and the dynamic list
//! ([`crate::core::reconcile`]). This module reads files, keeps the roster, filters and lays
//! out.
//!
//! # Routes and files
//!
//! | route | tab | file |
//! |---|---|---|
//! | `#/roster` | 花名册: import, warnings, villages, 导出预填入户 | `roster/import.rs`, `roster/villages.rs` |
//! | `#/roster/ledger` | 机账实核对台账 (village, code, CSV, print) | `roster/ledger.rs` |
//! | `#/roster/changes` | 动态管理清单 | `roster/changes.rs` |
//! | | the kept file, the records, the Memos | `roster/data.rs` |
//!
//! The tabs are one mounted page (like 汇总's): the records and the reconciliation are read
//! and computed once. A bare `roster.html` opens `#/roster`. Any other route is another page's
//! and is handed over (the printed record to `office.html`, the editor to `app.html`). The
//! township's tabs (汇总 / 台账 / 季度报告) link here as 花名册核对, and this page's tabs link
//! back.
//!
//! # Why a page of its own (bundle sizes)
//!
//! The .xlsx/.xls reader (calamine, with the zip and XML parsers it needs) and GBK (encoding_rs,
//! which links every CJK table) are too big for the office's first load (450 KB gzip, about
//! 325 KB used) and have no place in the surveyor's bundles. This page is built with the app
//! crate's feature `roster` (`ruhu-core/xlsx`, which brings `gbk`), only for bin `ruhu-roster`
//! (`required-features`); `public/roster.html` passes `data-cargo-features="roster"` to Trunk.
//! Measured on the release build (Trunk, wasm-opt z; `gzip -9` of the wasm) on 2026-12-04, by
//! building `ruhu-roster` with the feature changed:
//!
//! | `ruhu-roster` built with | wasm | gzip | added |
//! |---|---|---|---|
//! | `roster = []` (the CSV reader for UTF-8/UTF-16 only) | 716 KB | 290 KB | — |
//! | `roster = ["ruhu-core/gbk"]` (+ encoding_rs) | 866 KB | 415 KB | **+124 KB** |
//! | `roster = ["ruhu-core/xlsx"]` (+ calamine, its zip and XML readers) — what ships | 1,137 KB | 554 KB | **+139 KB** |
//!
//! The CSV reader itself, the reconciliation and the drafts are in all three (measured in
//! `ruhu_core::roster`'s docs as a cdylib: +38 KB and +19 KB gzip). The page's whole first
//! load is about 575–581 KB gzip (`./x.sh size`, `tests/e2e/bench/roster.mjs`); the office's
//! (`office.html`, no roster code, the 花名册核对 tab a link) stayed at 327 KB, the start page at
//! 192 KB (350 KB and 200.8 KB once main's receipts and conflicts work was merged in). There is no first-load budget for this page: the clerk opens it on a PC, once
//! cached by the service worker it loads from the device, and it is not the page a surveyor's
//! phone opens.
//!
//! # Where the surveyor sees it
//!
//! Not on this page: a draft imported on the phone shows as 待入户 in the home list
//! (`core::listing::Entry::pending`, `roster::prefill::is_pending`) until its visit date is set,
//! and the form marks what the surveyor changed against the roster ([`marks`]).
//!
//! # Tests
//!
//! `tests/e2e/specs/roster.spec.mjs` (both pages, two devices; `./x.sh e2e
//! specs/roster.spec.mjs` after `./x.sh build`): the office refuses a CSV whose ID Excel turned
//! into `1.50722E+17` (file, row and column named; nothing kept), imports an .xlsx roster
//! (`tests/e2e/fixtures/roster-e2e.xlsx`, written by `cargo run --example roster-fixture`:
//! title row, synonyms, sex as 1/2, IDs with spaces and an apostrophe), sees it per village,
//! keeps it across a reload, refuses a bad file over it and keeps it (a fault case of
//! `lib/faults.mjs`: nothing lost, the clerk told), exports one village's drafts (checked: format, 户编号, no visit
//! date, members, category); the surveyor imports them like any file (新增 2), sees 待入户 in the
//! full app's list and the start page's, completes a visit that drops a member and adds a
//! newborn (the form lists and marks exactly those two against the roster; 待入户 gone, the
//! other household still 待入户); the office imports the visit, and the 机账实核对台账 shows the
//! household `matched` (已核对) with exactly `member-missing` and `member-added`, the others
//! `not-visited`; filters by code and village, the CSV (name, BOM, header, `="户编号"`), the
//! link to the printed record (followed), the 动态管理清单's persons to add and to remove.
//! Routes: `tests/ui_wasm.rs` (`routes_parse_and_link`, `routes_link_across_the_three_pages`).
//! 待入户 in the list: `ruhu_core::listing`'s `roster_drafts_are_pending_until_visited`.
//! Benchmark: `tests/e2e/bench/roster.mjs` (figures in `tests/bench/README.md`, *The roster
//! page*): 30,000 persons against 6,000 records, about 1.2 s to read and reconcile in the page.

use leptos::prelude::*;

use super::app::not_found;
use super::provide_store_context;
use super::router::{hand_over, provide_router_context, Page, Route, RouterContext};
use super::settings::{provide_settings_context, SettingsContext};
use super::topbar::TopBar;
use crate::store::{AnyStore, IdbStore};

mod changes;
pub mod data;
mod drafts_export;
mod import;
mod ledger;
pub mod marks;
mod villages;

use changes::ChangesPage;
use data::provide_roster_data;
use import::{RosterImport, RosterWarnings};
use ledger::LedgerPage;
use villages::VillagesPage;

/// The roster page's app. `store` defaults to the device's IndexedDB.
#[component]
pub fn RosterApp(#[prop(optional)] store: Option<AnyStore>) -> impl IntoView {
    provide_store_context(store.unwrap_or_else(|| AnyStore::Idb(IdbStore::new())));
    provide_settings_context();
    let router = provide_router_context(Page::Roster);
    let on_page = Memo::new(move |_| match router.route.get() {
        Route::Roster(_) => Route::Roster(String::new()),
        route => route,
    });
    let page = move || match on_page.get() {
        Route::Roster(_) => view! { <RosterPage/> }.into_any(),
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

/// The tabs: the township's three (other page) and this page's three.
#[component]
fn RosterTabs() -> impl IntoView {
    let router = expect_context::<RouterContext>();
    let tab = move |label: &'static str, code: &'static str| {
        let current = move || match router.route.get() {
            Route::Roster(t) if t == code => "page",
            _ => "false",
        };
        view! { <a href=Route::Roster(code.to_string()).href() aria-current=current data-roster-tab=code>{label}</a> }
    };
    view! {
        <nav class="tabs no-print" aria-label="乡镇汇总">
            <a href=Route::Township.href()>"汇总"</a>
            <a href=Route::TownshipLedger(String::new()).href()>"台账"</a>
            <a href=Route::TownshipReport.href()>"季度报告"</a>
            <a href=Route::TownshipKeys.href()>"密钥与配置"</a>
        </nav>
        <nav class="subtabs no-print" aria-label="花名册核对">
            {tab("花名册", "")}
            {tab("机账实核对台账", "ledger")}
            {tab("动态管理清单", "changes")}
        </nav>
    }
}

/// The page: loads, then shows the tab of the route.
#[component]
fn RosterPage() -> impl IntoView {
    let data = provide_roster_data();
    let router = expect_context::<RouterContext>();
    let SettingsContext { settings, .. } = expect_context::<SettingsContext>();
    let body = move || {
        let tab = match router.route.get() {
            Route::Roster(t) => t,
            _ => String::new(),
        };
        let Some(roster) = data.roster.get() else {
            return view! { <p class="muted" role="status">"正在读取保存的花名册…"</p> }.into_any();
        };
        let Some(roster) = roster else {
            return view! {
                <RosterImport/>
                <div class="card"><p>"本机还没有花名册。"</p>
                <p class="muted">"请导入全国防返贫监测信息系统导出的花名册：导入后可按村导出预填入户文件，入户记录导入后可核对机账实。"</p></div>
            }
            .into_any();
        };
        let township = roster
            .households
            .iter()
            .map(|h| h.address.township.as_str())
            .find(|t| !t.is_empty())
            .map(str::to_string)
            .unwrap_or_else(|| settings.with_untracked(|s| s.township.clone()));
        let records_error =
            data.records.with(|r| r.as_ref().and_then(|r| r.as_ref().err().cloned()));
        let summary = format!(
            "花名册 {}：{} 户 {} 人，{} 个村{}",
            roster.file,
            roster.households.len(),
            roster.people(),
            roster.villages().len(),
            if roster.unused_columns.is_empty() {
                String::new()
            } else {
                format!("；未使用的列：{}", roster.unused_columns.join("、"))
            }
        );
        let rec = data.reconciliation.get();
        let records =
            data.records.with(|r| r.as_ref().and_then(|r| r.as_ref().ok().map(|v| v.len())));
        let content = match (tab.as_str(), rec) {
            ("", _) => view! {
                <RosterImport/>
                <RosterWarnings warnings=roster.warnings.clone()/>
                <VillagesPage roster=roster.clone()/>
            }
            .into_any(),
            (_, None) => {
                view! { <p class="muted" role="status">"正在读取本机记录…"</p> }.into_any()
            }
            ("ledger", Some(rec)) => view! { <LedgerPage rec=rec township=township/> }.into_any(),
            ("changes", Some(rec)) => view! { <ChangesPage rec=rec township=township/> }.into_any(),
            (other, _) => {
                view! { <p class="alert" role="alert">{format!("没有“{other}”这一页。")}</p> }
                    .into_any()
            }
        };
        view! {
            <p class="roster-summary no-print" data-roster-file=roster.file.clone()>{summary}</p>
            {records.map(|n| view! { <p class="muted small no-print">{format!("本机入户记录 {n} 份。")}</p> })}
            {records_error.map(|e| view! { <p class="alert" role="alert">{e}</p> })}
            {content}
        }
        .into_any()
    };
    view! {
        <section class="page township roster">
            <h1 class="no-print">"花名册核对"</h1>
            <RosterTabs/>
            {body}
        </section>
    }
}
