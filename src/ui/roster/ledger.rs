//! 机账实核对台账: the reconciliation ([`crate::core::reconcile`]) as the core's table
//! (`reconcile::LedgerTable`: one row per difference, a household without any gets one row
//! saying 一致), per village (the first village when the page opens: a banner's whole ledger,
//! 9,000 rows for 30,000 persons, takes Chromium about 6 s to lay out; one village's well under
//! one) and filtered by code. The filters only choose which of the core's
//! households and differences are shown; every cell, code, label and sentence is the core's.
//!
//! A row's 户主 links to the record that counts for it, as the office prints it
//! (`office.html#/h/<id>/print`), and 编辑 to the surveyor's editor (`app.html#/h/<id>`); a
//! roster household without a record has no link. **导出 CSV** is `township::to_csv` of the
//! shown rows (UTF-8 with BOM, CRLF, ID numbers kept as text, formulas guarded), as
//! `额尔和乡-机账实核对台账-宝山村-2023-03-20.csv`; **打印** prints the table on A4 landscape
//! (`style/print.css`'s ledger sheet, `style/roster.css`) with the 填表人 / 审核人 line.

use leptos::prelude::*;

use super::data::Shared;
use crate::core::listing::NO_VILLAGE;
use crate::core::reconcile::{Code, DynamicList, LedgerTable, Reconciliation, Status};
use crate::core::township::ledgers::{CellKind, Tabular};
use crate::core::township::to_csv;
use crate::ui::clock;
use crate::ui::router::Route;
use crate::ui::township::download::{download, safe_name};
use crate::ui::township::html::{attr, esc};

/// The code filter's value for households without any difference.
const SAME: &str = "same";

/// The village filter's value for every village (a village may be named `""`).
pub const ALL_VILLAGES: &str = "*";

/// The households (and, with a code, only their differences of that code) the filters keep.
pub fn filtered(rec: &Reconciliation, village: Option<&str>, code: Option<&str>) -> Reconciliation {
    let households = rec
        .households
        .iter()
        .filter(|h| village.is_none_or(|v| h.village == v))
        .filter_map(|h| match code {
            None => Some(h.clone()),
            Some(SAME) => {
                (h.status == Status::Matched && h.differences.is_empty()).then(|| h.clone())
            }
            Some(c) => {
                let differences: Vec<_> =
                    h.differences.iter().filter(|d| d.code.code() == c).cloned().collect();
                (!differences.is_empty()).then(|| {
                    let mut h = h.clone();
                    h.differences = differences;
                    h
                })
            }
        })
        .collect();
    Reconciliation {
        format: rec.format,
        roster: rec.roster.clone(),
        records: rec.records,
        households,
        changes: DynamicList::default(),
    }
}

/// The villages of the reconciliation, in its order.
pub fn villages(rec: &Reconciliation) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for h in &rec.households {
        if !out.contains(&h.village) {
            out.push(h.village.clone());
        }
    }
    out
}

/// How many differences of each code (households for `not-visited`), in the codes' order.
fn code_counts(rec: &Reconciliation) -> Vec<(Code, usize)> {
    Code::ALL
        .iter()
        .map(|&c| {
            (c, rec.households.iter().flat_map(|h| &h.differences).filter(|d| d.code == c).count())
        })
        .filter(|(_, n)| *n > 0)
        .collect()
}

/// The table as HTML (text escaped): the core's columns and cells, the head linking to the
/// record's print view.
fn table_html(rec: &Reconciliation) -> String {
    let table = LedgerTable(rec);
    let columns = table.columns();
    let rows = table.table_rows();
    let mut out = String::with_capacity(256 + rows.len() * 400);
    out.push_str("<table class=\"ledger reconcile-ledger\"><thead><tr>");
    for c in &columns {
        out.push_str(&format!(
            "<th scope=\"col\"{}>{}</th>",
            if *c == "说明" { " class=\"long\"" } else { "" },
            esc(c)
        ));
    }
    out.push_str("<th scope=\"col\" class=\"no-print\">入户表</th></tr></thead><tbody>");
    for (record, cells) in &rows {
        let has_record = !record.is_nil();
        let id = record.to_string();
        let code = cells.get(6).map(|c| c.text.as_str()).unwrap_or("");
        out.push_str(&format!(
            "<tr{}{}{}>",
            attr("data-code", if code.is_empty() { SAME } else { code }),
            attr("data-village", cells.get(1).map(|c| c.text.as_str()).unwrap_or("")),
            if has_record { attr("data-record", &id) } else { String::new() },
        ));
        for (i, c) in cells.iter().enumerate() {
            let class = match c.kind {
                CellKind::Number => " class=\"num\"",
                CellKind::Digits => " class=\"digits\"",
                CellKind::Date => " class=\"date\"",
                CellKind::Text if columns.get(i) == Some(&"说明") => " class=\"long\"",
                CellKind::Text => "",
            };
            if i == 3 && has_record {
                out.push_str(&format!(
                    "<td class=\"head\"><a{}>{}</a></td>",
                    attr("href", &Route::Print(id.clone()).href()),
                    esc(&c.text)
                ));
            } else {
                out.push_str(&format!("<td{class}>{}</td>", esc(&c.text)));
            }
        }
        if has_record {
            out.push_str(&format!(
                "<td class=\"no-print\"><a class=\"print-link\"{}>查看</a> <a{}>编辑</a></td></tr>",
                attr("href", &Route::Print(id.clone()).href()),
                attr("href", &Route::Editor(id).href()),
            ));
        } else {
            out.push_str("<td class=\"no-print\"></td></tr>");
        }
    }
    out.push_str("</tbody></table>");
    out
}

fn village_label(v: &str) -> &str {
    if v.is_empty() {
        NO_VILLAGE
    } else {
        v
    }
}

/// `额尔和乡-机账实核对台账-宝山村-2023-03-20.csv` (`全部村` without a village).
pub fn csv_file_name(township: &str, village: Option<&str>, day: chrono::NaiveDate) -> String {
    let mut name = String::new();
    if !township.is_empty() {
        name.push_str(&safe_name(township));
        name.push('-');
    }
    let village = village.map(|v| safe_name(village_label(v))).unwrap_or_else(|| "全部村".into());
    format!("{name}机账实核对台账-{village}-{day}.csv")
}

/// 机账实核对台账, per village, filterable by code.
#[component]
pub fn LedgerPage(rec: Shared<Reconciliation>, township: String) -> impl IntoView {
    // The first village to start with: a banner's whole ledger (9,000 rows for 30,000 persons)
    // takes the browser seconds to lay out, one village's a fraction of a second.
    let first = villages(&rec).into_iter().next();
    let village = RwSignal::new(first.clone());
    let code = RwSignal::new(None::<String>);
    let error = RwSignal::new(None::<String>);
    let shown = {
        let rec = rec.clone();
        Memo::new(move |_| {
            let v = village.get();
            let c = code.get();
            Shared(std::sync::Arc::new(filtered(&rec, v.as_deref(), c.as_deref())))
        })
    };
    let village_options = villages(&rec)
        .into_iter()
        .map(|v| {
            let selected = first.as_deref() == Some(v.as_str());
            view! { <option value=v.clone() selected=selected>{village_label(&v).to_string()}</option> }
        })
        .collect_view();
    // The code filter counts within the chosen village.
    let code_options = {
        let rec = rec.clone();
        move || {
            let v = village.get();
            let in_village = filtered(&rec, v.as_deref(), None);
            let same = filtered(&in_village, None, Some(SAME)).households.len();
            let mut options = vec![view! { <option value="">"全部问题"</option> }.into_any()];
            options.extend(code_counts(&in_village).into_iter().map(|(c, n)| {
                view! { <option value=c.code()>{format!("{}（{n}）", c.label())}</option> }
                    .into_any()
            }));
            options.push(
                view! { <option value=SAME>{format!("一致（{same} 户）")}</option> }.into_any(),
            );
            options.collect_view()
        }
    };
    let save_csv = {
        let township = township.clone();
        move |_| {
            let bytes = to_csv(&LedgerTable(&shown.get()));
            let name = csv_file_name(&township, village.get().as_deref(), clock::today());
            error.set(download(&bytes, &name, "text/csv;charset=utf-8").err());
        }
    };
    let print = move |_| {
        let _ = window().print();
    };
    let meta = {
        let township = township.clone();
        let file = rec.roster.file.clone();
        move || {
            let s = shown.get();
            let households = s.households.len();
            let rows = s.households.iter().map(|h| h.differences.len().max(1)).sum::<usize>();
            let v = village
                .get()
                .map(|v| village_label(&v).to_string())
                .unwrap_or_else(|| "全部村".into());
            let c = code.get().map(|c| {
                Code::from_code(&c).map(|c| c.label().to_string()).unwrap_or_else(|| "一致".into())
            });
            format!(
                "单位：{township}　花名册：{file}　范围：{v}{}　共 {households} 户 {rows} 行　制表日期：{}",
                c.map(|c| format!("（{c}）")).unwrap_or_default(),
                clock::today()
            )
        }
    };

    view! {
        <section class="ledger-page reconcile-page" data-ledger-page="reconcile">
            <h2 class="ledger-title">"机账实核对台账"</h2>
            <p class="muted no-print">"花名册（全国防返贫监测信息系统）与本机入户记录逐户核对：每户按最近一次入户记录，列出不一致之处。"</p>
            <div class="roster-filters no-print">
                <label>"村 "
                    <select name="roster-village" on:change=move |ev| {
                        let v = event_target_value(&ev);
                        village.set(if v == ALL_VILLAGES { None } else { Some(v) });
                    }>
                        <option value=ALL_VILLAGES>"全部村"</option>
                        {village_options}
                    </select>
                </label>
                <label>"问题 "
                    <select name="roster-code" on:change=move |ev| {
                        let v = event_target_value(&ev);
                        code.set((!v.is_empty()).then_some(v));
                    }>
                        {code_options}
                    </select>
                </label>
            </div>
            <p class="ledger-meta">{meta}</p>
            <div class="actions no-print">
                <button type="button" class="button" data-action="csv" on:click=save_csv>"导出 CSV"</button>
                <button type="button" class="button" data-action="print" on:click=print>"打印"</button>
            </div>
            {move || error.get().map(|e| view! { <p class="alert" role="alert">{e}</p> })}
            {move || {
                let s = shown.get();
                if s.households.is_empty() {
                    view! { <p class="muted">"没有符合条件的农户。"</p> }.into_any()
                } else {
                    view! { <div class="table-scroll ledger-scroll" inner_html=table_html(&s)></div> }.into_any()
                }
            }}
            <p class="signature-line print-only">"填表人：__________　　审核人：__________　　乡村振兴办公室（盖章）"</p>
        </section>
    }
}
