//! One ledger as a table: the core's columns and cells, one row per household, the head's
//! name linking to the record's editor and a link to its print view.

use std::collections::HashMap;

use leptos::prelude::*;
use uuid::Uuid;

use super::html::{attr, esc};
use crate::core::township::ledgers::{Cell, CellKind};
use crate::ui::router::Route;

/// The column of the head's name in every ledger (序号, 村, 村民小组, 户主, …).
const HEAD_COLUMN: usize = 3;

/// Columns that hold sentences: they get room instead of wrapping every two characters.
const LONG: [&str; 8] = [
    "重点人群成员",
    "未纳入原因",
    "系统研判",
    "取消或降低低保",
    "未参保人员",
    "已落实帮扶措施",
    "帮扶措施",
    "核查事项",
];

/// The table as HTML; `records` maps a household to the record that counts.
pub fn ledger_html(
    code: &str,
    columns: &[&str],
    rows: &[(Uuid, Vec<Cell>)],
    records: &HashMap<Uuid, Uuid>,
) -> String {
    let mut out = String::with_capacity(256 + rows.len() * 600);
    out.push_str(&format!("<table class=\"ledger\"{}><thead><tr>", attr("data-ledger", code)));
    let long: Vec<bool> = columns.iter().map(|c| LONG.contains(c)).collect();
    for (c, is_long) in columns.iter().zip(&long) {
        out.push_str(if *is_long {
            "<th scope=\"col\" class=\"long\">"
        } else {
            "<th scope=\"col\">"
        });
        out.push_str(&esc(c));
        out.push_str("</th>");
    }
    out.push_str("<th scope=\"col\" class=\"no-print\">入户表</th></tr></thead><tbody>");
    for (household, cells) in rows {
        let record = records.get(household).map(|r| r.to_string()).unwrap_or_default();
        out.push_str(&format!("<tr data-household=\"{household}\">"));
        for (i, c) in cells.iter().enumerate() {
            let class = match c.kind {
                CellKind::Number => " class=\"num\"",
                CellKind::Digits => " class=\"digits\"",
                CellKind::Date => " class=\"date\"",
                CellKind::Text if long.get(i) == Some(&true) => " class=\"long\"",
                CellKind::Text => "",
            };
            if i == HEAD_COLUMN {
                out.push_str(&format!(
                    "<td class=\"head\"><a{}>{}</a></td>",
                    attr("href", &Route::Editor(record.clone()).href()),
                    esc(&c.text)
                ));
            } else {
                out.push_str(&format!("<td{class}>{}</td>", esc(&c.text)));
            }
        }
        out.push_str(&format!(
            "<td class=\"no-print\"><a class=\"print-link\"{}>打印</a></td></tr>",
            attr("href", &Route::Print(record).href())
        ));
    }
    out.push_str("</tbody></table>");
    out
}

/// A ledger's rows in a sideways-scrolling box.
#[component]
pub fn LedgerTable(html: String) -> impl IntoView {
    view! { <div class="table-scroll ledger-scroll" inner_html=html></div> }
}
