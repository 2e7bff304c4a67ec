//! One ledger as a table: the core's columns and cells, one row per household, the head's
//! name linking to the record.

use std::collections::HashMap;

use leptos::prelude::*;
use uuid::Uuid;

use crate::core::township::ledgers::{Cell, CellKind};
use crate::ui::router::Route;

/// The column of the head's name in every ledger (序号, 村, 村民小组, 户主, …).
const HEAD_COLUMN: usize = 3;

/// Columns that hold sentences: they get room instead of wrapping every two characters.
const LONG: [&str; 8] = ["重点人群成员", "未纳入原因", "系统研判", "取消或降低低保", "未参保人员", "已落实帮扶措施", "帮扶措施", "核查事项"];

/// A ledger's rows; `records` maps a household to the record that counts.
#[component]
pub fn LedgerTable(
    code: &'static str,
    columns: Vec<&'static str>,
    rows: Vec<(Uuid, Vec<Cell>)>,
    records: HashMap<Uuid, Uuid>,
) -> impl IntoView {
    let long: Vec<bool> = columns.iter().map(|c| LONG.contains(c)).collect();
    let body = rows
        .into_iter()
        .map(|(household, cells)| {
            let record = records.get(&household).map(|r| r.to_string()).unwrap_or_default();
            let edit = Route::Editor(record.clone()).href();
            let print = Route::Print(record).href();
            let cells = cells
                .into_iter()
                .enumerate()
                .map(|(i, c)| {
                    let class = match c.kind {
                        CellKind::Number => "num",
                        CellKind::Digits => "digits",
                        CellKind::Date => "date",
                        CellKind::Text if long.get(i) == Some(&true) => "long",
                        CellKind::Text => "",
                    };
                    if i == HEAD_COLUMN {
                        view! { <td class="head"><a href=edit.clone()>{c.text}</a></td> }.into_any()
                    } else {
                        view! { <td class=class>{c.text}</td> }.into_any()
                    }
                })
                .collect_view();
            view! {
                <tr data-household=household.to_string()>
                    {cells}
                    <td class="no-print"><a class="print-link" href=print>"打印"</a></td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <div class="table-scroll ledger-scroll">
            <table class="ledger" data-ledger=code>
                <thead>
                    <tr>
                        {columns.iter().map(|c| view! { <th scope="col" class:long=LONG.contains(c)>{*c}</th> }).collect_view()}
                        <th scope="col" class="no-print">"入户表"</th>
                    </tr>
                </thead>
                <tbody>{body}</tbody>
            </table>
        </div>
    }
}
