//! The township office's pages (乡镇汇总, issue 5), over every record stored on the device
//! (imported from many surveyors), offline:
//!
//! - `#/township` — 汇总: figures per village and for the township, SVG charts, and the
//!   households behind any figure that is tapped;
//! - `#/township/ledgers/<ledger>` — 台账: the notice's four ledgers, on screen, printable and
//!   as CSV;
//! - `#/township/report` — 季度报告: the quarterly report draft, its text kept on the device.
//!
//! The records are read once when the office opens these pages and everything is computed
//! once per period in [`data::TownshipData::computed`]; switching tabs re-uses it.

use leptos::prelude::*;

use super::router::{Route, RouterContext};

mod chart;
pub mod data;
mod download;
mod figure_list;
pub mod figures;
pub mod html;
mod ledger_table;
mod ledgers;
mod period_picker;
mod report;
mod summary;
mod tabs;
mod village_table;

use data::provide_township_data;
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
            <PeriodPicker/>
            {body}
        </section>
    }
}
