//! The 台账 tab: the notice's four ledgers, each on screen, printable (A4 landscape) and
//! downloadable as CSV (UTF-8 with BOM, for Excel and WPS).
//!
//! Four sub-tabs with their counts. Each ledger: its title, 单位 / 统计范围 / 户数 / 制表日期,
//! the table (`ledger_table.rs`: one row per household, the head's name links to the editor, a
//! 打印 link per row), **导出 CSV** and **打印**, and on paper the 填表人 / 审核人 / 盖章 line.
//! Columns, cells and who is in each ledger are the core's (`core::township::ledgers`); a
//! checkbox widens ledger (b) to every household (recomputed).
//!
//! **CSV** is `township::to_csv` (UTF-8 with BOM, CRLF, one row per household, ID numbers as
//! `="…"`, formulas guarded), saved with a Blob and `<a download>` as
//! `额尔和乡-一般农户特殊档案-2023-03-20.csv` ([`csv_file_name`]: township, the ledger's short
//! title, today; `信息核实核查台账`, `监测对象帮扶核查台账`, `监测对象台账` for the others). The
//! core's `Ledger::file_name` (`额尔和乡_信息核实核查台账_2023-03-25.csv`) is not what these
//! pages use.
//!
//! **No XLSX.** An XLSX writer for wasm (`rust_xlsxwriter`, or zip + deflate + XML) adds a zip
//! and deflate implementation plus the OOXML parts to the office's bundle — tens of KB gzip —
//! for a file Excel and WPS open as well as CSV with BOM.

use std::collections::HashMap;

use leptos::prelude::*;
use uuid::Uuid;

use super::data::{Computed, TownshipData};
use super::download::{download, safe_name};
use super::ledger_table::{ledger_html, LedgerTable};
use crate::core::township::ledgers::{LedgerKind, Tabular};
use crate::core::township::{to_csv, View};
use crate::ui::clock;
use crate::ui::router::Route;

/// The short name of a ledger in file names.
fn file_title(kind: LedgerKind) -> &'static str {
    match kind {
        LedgerKind::SpecialArchive => "一般农户特殊档案",
        LedgerKind::Verification => "信息核实核查台账",
        LedgerKind::Unresolved => "监测对象帮扶核查台账",
        LedgerKind::Monitoring => "监测对象台账",
    }
}

/// `额尔和乡-一般农户特殊档案-2023-03-20.csv`.
pub fn csv_file_name(township: &str, kind: LedgerKind, day: chrono::NaiveDate) -> String {
    format!("{}-{}-{day}.csv", safe_name(township), file_title(kind))
}

fn rows_of(view: &View, kind: LedgerKind) -> usize {
    match kind {
        LedgerKind::SpecialArchive => view.special_archive.rows.len(),
        LedgerKind::Verification => view.verification.rows.len(),
        LedgerKind::Unresolved => view.unresolved.rows.len(),
        LedgerKind::Monitoring => view.monitoring.rows.len(),
    }
}

fn csv_of(view: &View, kind: LedgerKind) -> Vec<u8> {
    match kind {
        LedgerKind::SpecialArchive => to_csv(&view.special_archive),
        LedgerKind::Verification => to_csv(&view.verification),
        LedgerKind::Unresolved => to_csv(&view.unresolved),
        LedgerKind::Monitoring => to_csv(&view.monitoring),
    }
}

fn table_of(view: &View, kind: LedgerKind) -> &dyn Tabular {
    match kind {
        LedgerKind::SpecialArchive => &view.special_archive,
        LedgerKind::Verification => &view.verification,
        LedgerKind::Unresolved => &view.unresolved,
        LedgerKind::Monitoring => &view.monitoring,
    }
}

/// 台账: the ledger `code` (the first one when empty).
#[component]
pub fn LedgersPage(computed: Computed, code: String) -> impl IntoView {
    let data = expect_context::<TownshipData>();
    let view = computed.view.clone();
    let kind = if code.is_empty() {
        Some(LedgerKind::SpecialArchive)
    } else {
        LedgerKind::ALL.iter().copied().find(|k| k.code() == code)
    };

    let nav = LedgerKind::ALL
        .iter()
        .map(|&k| {
            let current = if Some(k) == kind { "page" } else { "false" };
            view! {
                <a href=Route::TownshipLedger(k.code().to_string()).href() aria-current=current data-ledger-link=k.code()>
                    {file_title(k)}" "<span class="count">{rows_of(&view, k)}</span>
                </a>
            }
        })
        .collect_view();

    let Some(kind) = kind else {
        return view! {
            <nav class="subtabs no-print" aria-label="台账">{nav}</nav>
            <p class="alert" role="alert">{format!("没有“{code}”这个台账。")}</p>
        }
        .into_any();
    };

    let township = view.summary.township_name.clone();
    let table = table_of(&view, kind);
    let columns = table.columns();
    let rows = table.table_rows();
    let count = rows.len();
    let records: HashMap<Uuid, Uuid> =
        view.summary.lines.iter().map(|l| (l.household_id, l.record_id)).collect();
    let error = RwSignal::new(None::<String>);
    let save_csv = {
        let view = view.clone();
        let township = township.clone();
        move |_| {
            let bytes = csv_of(&view, kind);
            let name = csv_file_name(&township, kind, clock::today());
            error.set(download(&bytes, &name, "text/csv;charset=utf-8").err());
        }
    };
    let print = move |_| {
        let _ = window().print();
    };
    let scope = (kind == LedgerKind::Verification).then(|| {
        view! {
            <label class="check no-print">
                <input type="checkbox" name="verification-all" prop:checked=move || data.verification_all.get()
                    on:change=move |ev| data.verification_all.set(event_target_checked(&ev))/>
                <span>"也列入一般农户（通知只要求脱贫户和监测对象）"</span>
            </label>
        }
    });
    let today = clock::today();

    view! {
        <nav class="subtabs no-print" aria-label="台账">{nav}</nav>
        <section class="ledger-page" data-ledger-page=kind.code()>
            <h2 class="ledger-title">{kind.title()}</h2>
            <p class="muted">{kind.note()}</p>
            <p class="ledger-meta">
                {format!("单位：{township}　统计范围：{}　共 {count} 户　制表日期：{today}", computed.period.label())}
            </p>
            {scope}
            <div class="actions no-print">
                <button type="button" class="button" data-action="csv" on:click=save_csv>"导出 CSV"</button>
                <button type="button" class="button" data-action="print" on:click=print>"打印"</button>
            </div>
            {move || error.get().map(|e| view! { <p class="alert" role="alert">{e}</p> })}
            {if count == 0 {
                view! { <p class="muted">"本台账没有农户。"</p> }.into_any()
            } else {
                view! { <LedgerTable html=ledger_html(kind.code(), &columns, &rows, &records)/> }.into_any()
            }}
            <p class="signature-line print-only">"填表人：__________　　审核人：__________　　乡村振兴办公室（盖章）"</p>
        </section>
    }
    .into_any()
}
