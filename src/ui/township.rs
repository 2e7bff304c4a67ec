//! The township office's pages (乡镇汇总, issue 5), over every record stored on the device
//! (imported from many surveyors), offline:
//!
//! - `#/township` — 汇总: figures per village and for the township, SVG charts, and the
//!   households behind any figure that is tapped;
//! - `#/township/ledgers/<ledger>` — 台账: the notice's four ledgers, on screen, printable and
//!   as CSV;
//! - `#/township/report` — 季度报告: the quarterly report draft, its text kept on the device;
//! - `#/township/keys` — 密钥与配置: the township's key pair for sealed files (`ui::seal`) and
//!   the township configuration file (乡镇配置, `core::config`) for the surveyors' phones.
//!
//! The records are read once when the office opens these pages and everything is computed
//! once per period in [`data::TownshipData::computed`]; switching tabs re-uses it. They render
//! what the core computes (`core::township`: selection, figures, ledgers, CSV, charts, the
//! report); this module is the web side.
//!
//! # Where things are
//!
//! | file | what |
//! |---|---|
//! | `township.rs` | [`Township`]: loads, then shows the tab of the route |
//! | `township/data.rs` | the `TownshipData` context: records read once, `Memo<Computed>` over `township::view` |
//! | `township/figures.rs` | the rows of the village table and their keys |
//! | `township/html.rs` | escaped HTML text for the big read-only parts |
//! | `township/tabs.rs`, `period_picker.rs` | 汇总 / 台账 / 季度报告; 统计范围 and the policy used |
//! | `township/summary.rs`, `village_table.rs`, `figure_list.rs`, `chart.rs` | 汇总: the table, the households behind a figure, the charts |
//! | `township/ledgers.rs`, `ledger_table.rs`, `download.rs` | 台账: the four ledgers, CSV, print |
//! | `township/report.rs` | 季度报告: text boxes and the draft as it prints |
//! | `township/keys.rs`, `config_maker.rs` | 密钥与配置: the key pair (create, backup once, the public key) and 乡镇配置 |
//! | `ui/print.rs` + `print/` | `#/h/<id>/print`: a record as the paper form on A4 |
//! | `style/township.css`, `style/print.css` | screen and paper |
//!
//! # Routes
//!
//! These pages live in their own page and wasm bundle, `office.html` (bin `ruhu-office`,
//! [`super::office`]), so a surveyor's phone never loads their code; both pages share the
//! store, the settings and the service worker, and a route of the other page is handed over to
//! it (an old `index.html#/township` link opens `office.html#/township`).
//!
//! | route | page |
//! |---|---|
//! | `#/township` | 汇总 |
//! | `#/township/ledgers`, `#/township/ledgers/<code>` | 台账 (`special-archive`, `verification`, `unresolved`, `monitoring`; none = the first) |
//! | `#/township/report` | 季度报告 |
//! | `#/township/keys` | 密钥与配置 (shown without records) |
//! | `#/h/<id>/print` | one record printed like the paper form (`<id>` = record id) |
//!
//! The three township routes are **one mounted page**: the office's app maps them to the same
//! `Route::Township` before choosing the page, so switching tabs keeps the loaded records and
//! the computed view (the e2e spec checks that `township::view` ran once across tab switches).
//!
//! # Tests
//!
//! `tests/e2e/specs/township.spec.mjs`: the 200-household fixture (5 villages, 232 records, of
//! which the device keeps 226 — an older revision of a stored record never replaces it) is put
//! into the app's IndexedDB through the store's schema (independent of the import UI, which
//! the records specs test), with a confirmed 2023 policy. **Every expected value is computed in
//! the test's JS from the fixture's records** (`tests/e2e/lib/township.mjs`: latest visits,
//! incomes in cents with half-up rounding, risk rules, key groups from the ID numbers, ledger
//! predicates and order), not read from the app: every figure of the table; the lists behind
//! figures, a chart segment and a dot; each ledger's households in order and the CSV download
//! (name, BOM, CRLF, header, `="ID"`); ledger (b) widened; the report's figures, its text kept
//! across a reload and per unit, the `.txt` export; printing (see [`super::print`]); a head's
//! name and a 村民小组 holding HTML show as text everywhere and nothing runs; a device without
//! records says so and links to the import. The fixture is
//! `tests/e2e/fixtures/township-200.json`, written by `cargo run --example township-fixture`
//! (200 households, 5 villages, seed 20230215, the shipped 2023 policy): regenerate and commit
//! it after a change to the generator. The benchmark: `tests/bench/README.md`.

use leptos::prelude::*;

use super::router::{Route, RouterContext};

mod chart;
mod config_maker;
pub mod data;
pub mod download;
mod figure_list;
pub mod figures;
pub mod html;
mod key_restore;
mod keys;
mod ledger_table;
mod ledgers;
mod period_picker;
mod report;
mod summary;
mod tabs;
mod village_table;

use data::provide_township_data;
use keys::KeysPage;
use ledgers::LedgersPage;
use period_picker::PeriodPicker;
use report::ReportPage;
use summary::SummaryPage;
use tabs::Tabs;

/// 乡镇汇总: loads the records, then shows the tab the route names.
#[component]
pub fn Township() -> impl IntoView {
    let data = provide_township_data();
    let router = expect_context::<RouterContext>();

    let body = move || {
        // The township's key and configuration need no records.
        if router.route.get() == Route::TownshipKeys {
            return view! { <KeysPage/> }.into_any();
        }
        match data.computed.get() {
        None => view! { <p class="muted" role="status">"正在读取本机记录…"</p> }.into_any(),
        Some(Err(e)) => view! { <p class="alert" role="alert">{e}</p> }.into_any(),
        Some(Ok(c)) if c.view.summary.records_read == 0 => view! {
            <div class="card">
                <p>"本机还没有入户记录。"</p>
                <p class="muted">"请在“记录”页导入各村排查人导出的记录文件（JSON），再回到这里查看汇总、台账和季度报告。"</p>
                <p><a class="button" href=Route::Home.href()>"去导入记录"</a></p>
            </div>
        }
        .into_any(),
        Some(Ok(c)) => match router.route.get() {
            Route::TownshipLedger(code) => view! { <LedgersPage computed=c code=code/> }.into_any(),
            Route::TownshipReport => view! { <ReportPage computed=c/> }.into_any(),
            _ => view! { <SummaryPage computed=c/> }.into_any(),
        },
    }
    };

    view! {
        <section class="page township">
            <h1 class="no-print">"乡镇汇总"</h1>
            <Tabs/>
            {move || (router.route.get() != Route::TownshipKeys).then(|| view! { <PeriodPicker/> })}
            {body}
        </section>
    }
}
