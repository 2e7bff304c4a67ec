//! 花名册 per village: households, persons, how many were visited (the reconciliation's
//! `matched`: a visited record belongs to the household, by the core's `visits` rule), and per
//! village 导出预填入户 — the village's prefilled drafts as one `ruhu.export/1` file
//! (`roster::prefill::write_drafts`), sealed to the surveyor's phone (`drafts_export`), which
//! the village's surveyor imports like any other file. Tapping a village lists its households (户主, 户编号, 人数, 已入户 / 未入户).

use leptos::prelude::*;

use super::data::{RosterData, Shared};
use super::drafts_export::DraftsExport;
use crate::core::listing::NO_VILLAGE;
use crate::core::reconcile::{Reconciliation, Status};
use crate::core::roster::Roster;
use crate::ui::clock;
use crate::ui::township::download::safe_name;
use crate::ui::township::html::{attr, esc};

/// One village's counts.
struct VillageLine {
    name: String,
    households: usize,
    people: usize,
    visited: usize,
}

pub fn village_label(v: &str) -> &str {
    if v.is_empty() {
        NO_VILLAGE
    } else {
        v
    }
}

/// Whether each roster household was visited (by the reconciliation's status).
fn visited_flags(roster: &Roster, rec: Option<&Reconciliation>) -> Vec<bool> {
    let mut out = vec![false; roster.households.len()];
    for h in rec.map(|r| r.households.as_slice()).unwrap_or_default() {
        if let (Some(i), Status::Matched) = (h.roster_index, h.status) {
            if let Some(v) = out.get_mut(i) {
                *v = true;
            }
        }
    }
    out
}

fn lines(roster: &Roster, visited: &[bool]) -> Vec<VillageLine> {
    roster
        .villages()
        .into_iter()
        .map(|v| {
            let mut line =
                VillageLine { name: v.to_string(), households: 0, people: 0, visited: 0 };
            for (i, h) in roster.households.iter().enumerate() {
                if h.address.village == v {
                    line.households += 1;
                    line.people += h.persons.len();
                    line.visited += usize::from(visited[i]);
                }
            }
            line
        })
        .collect()
}

/// The households of one village as an HTML table (text escaped).
fn households_html(roster: &Roster, visited: &[bool], village: &str) -> String {
    let mut out = String::from(
        "<table class=\"ledger roster-households\"><thead><tr><th scope=\"col\">户主</th><th scope=\"col\">户编号</th><th scope=\"col\">人数</th><th scope=\"col\">户类型</th><th scope=\"col\">入户</th></tr></thead><tbody>",
    );
    for (i, h) in roster.households.iter().enumerate() {
        if h.address.village != village {
            continue;
        }
        let head = h.head().map(|p| p.name.as_str()).unwrap_or("");
        let seen = visited[i];
        out.push_str(&format!(
            "<tr{}><td class=\"head\">{}</td><td class=\"digits\">{}</td><td class=\"num\">{}</td><td>{}</td><td>{}</td></tr>",
            attr("data-visited", if seen { "yes" } else { "no" }),
            esc(head),
            esc(h.household_no.as_deref().unwrap_or("")),
            h.persons.len(),
            esc(h.category.map(|c| c.label()).unwrap_or("")),
            if seen { "已入户" } else { "未入户" },
        ));
    }
    out.push_str("</tbody></table>");
    out
}

/// `额尔和乡-宝山村-预填入户-2023-02-10.json`.
pub fn drafts_file_name(roster: &Roster, village: &str, day: chrono::NaiveDate) -> String {
    let township = roster
        .households
        .iter()
        .find(|h| h.address.village == village && !h.address.township.is_empty())
        .map(|h| h.address.township.as_str())
        .unwrap_or("");
    let mut name = String::new();
    if !township.is_empty() {
        name.push_str(&safe_name(township));
        name.push('-');
    }
    name.push_str(&safe_name(village_label(village)));
    format!("{name}-预填入户-{day}.json")
}

/// The village table with each village's 导出预填入户.
#[component]
pub fn VillagesPage(roster: Shared<Roster>) -> impl IntoView {
    let data = expect_context::<RosterData>();
    let open = RwSignal::new(None::<String>);
    // The village whose 导出预填入户 form is open.
    let exporting = RwSignal::new(None::<String>);
    let visited = {
        let roster = roster.clone();
        Memo::new(move |_| {
            let rec = data.reconciliation.get();
            Shared(std::sync::Arc::new(visited_flags(&roster, rec.as_deref())))
        })
    };

    let table = {
        let roster = roster.clone();
        move || {
            let flags = visited.get();
            let rows = lines(&roster, &flags)
                .into_iter()
                .map(|l| {
                    let export = {
                        let name = l.name.clone();
                        move |_| exporting.set(Some(name.clone()))
                    };
                    let toggle = {
                        let name = l.name.clone();
                        move |_| {
                            open.update(|o| {
                                *o = if o.as_deref() == Some(&name) {
                                    None
                                } else {
                                    Some(name.clone())
                                }
                            })
                        }
                    };
                    let expanded = {
                        let name = l.name.clone();
                        move || if open.get().as_deref() == Some(&name) { "true" } else { "false" }
                    };
                    view! {
                        <tr data-village=l.name.clone()>
                            <th scope="row">
                                <button type="button" class="link" aria-expanded=expanded on:click=toggle>
                                    {village_label(&l.name).to_string()}
                                </button>
                            </th>
                            <td class="num" data-col="households">{l.households}</td>
                            <td class="num" data-col="people">{l.people}</td>
                            <td class="num" data-col="visited">{l.visited}</td>
                            <td class="num" data-col="not-visited">{l.households - l.visited}</td>
                            <td class="no-print">
                                <button type="button" class="button small" data-action="drafts" on:click=export>
                                    "导出预填入户"
                                </button>
                            </td>
                        </tr>
                    }
                })
                .collect_view();
            view! {
                <div class="table-scroll">
                    <table class="village-table roster-villages">
                        <thead><tr>
                            <th scope="col">"行政村"</th><th scope="col">"户数"</th><th scope="col">"人数"</th>
                            <th scope="col">"已入户"</th><th scope="col">"未入户"</th><th scope="col" class="no-print">"预填"</th>
                        </tr></thead>
                        <tbody>{rows}</tbody>
                    </table>
                </div>
            }
        }
    };

    let households = {
        let roster = roster.clone();
        move || {
            let v = open.get()?;
            let flags = visited.get();
            let html = households_html(&roster, &flags, &v);
            Some(view! {
                <section class="roster-village" data-village-open=v.clone()>
                    <h3>{format!("{} 的农户", village_label(&v))}</h3>
                    <div class="table-scroll" inner_html=html></div>
                </section>
            })
        }
    };

    view! {
        <p class="muted no-print">
            "“已入户”按本机的入户记录（各村排查人导出、在“记录”页导入的文件）计。预填入户文件是每户一份草稿，排查人导入后在“待入户”中逐户入户。"
        </p>
        {table}
        {move || exporting.get().map(|v| {
            let name = drafts_file_name(&roster, &v, clock::today());
            view! { <DraftsExport roster=roster.clone() village=v file_name=name/> }
        })}
        {households}
    }
}
