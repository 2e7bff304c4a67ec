//! The village table: one row per figure, one column per village and one for the township.
//! A figure above zero is a button listing its households (one listener on the table reads
//! the cell's `data-figure` and `data-village`).

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use super::data::{mark, Computed, Drill, TownshipData};
use super::figures::{figure, rows};
use super::html::{attr, esc};

/// The table as HTML.
fn table_html(c: &Computed) -> String {
    let s = &c.view.summary;
    let mut out = String::with_capacity(32 * 1024);
    out.push_str("<table class=\"village-table\" data-testid=\"village-table\"><thead><tr><th scope=\"col\">指标</th>");
    for t in &s.villages {
        out.push_str(&format!("<th scope=\"col\">{}</th>", esc(&t.name)));
    }
    out.push_str(&format!(
        "<th scope=\"col\" class=\"total\">{}合计</th></tr></thead><tbody>",
        esc(&s.township_name)
    ));
    let columns = s.villages.len() + 2;
    let mut group = "";
    for row in rows(s) {
        if row.group != group {
            group = row.group;
            out.push_str(&format!("<tr class=\"group\"><th colspan=\"{columns}\" scope=\"colgroup\"><span class=\"group-label\">{group}</span></th></tr>"));
        }
        out.push_str(&format!(
            "<tr{}><th scope=\"row\">{}</th>",
            attr("data-row", &row.key),
            esc(&row.label)
        ));
        let unit = if row.people { "人" } else { "户" };
        let cells = s
            .villages
            .iter()
            .map(|t| (Some(t.name.as_str()), t))
            .chain(std::iter::once((None, &s.township)));
        for (village, t) in cells {
            let n = figure(t, &row.key).map(|f| f.count).unwrap_or(0);
            let place = match village {
                Some(v) => attr("data-village", v),
                None => " class=\"total\" data-total=\"\"".to_string(),
            };
            out.push_str(&format!("<td{}{place}>", attr("data-figure", &row.key)));
            if n == 0 {
                out.push_str("<span class=\"zero\">0</span>");
            } else {
                let title =
                    format!("{}{}：{n}{unit}", village.unwrap_or(&s.township_name), row.label);
                out.push_str(&format!(
                    "<button type=\"button\" class=\"fig\"{}>{n}</button>",
                    attr("title", &title)
                ));
            }
            out.push_str("</td>");
        }
        out.push_str("</tr>");
    }
    out.push_str("</tbody></table>");
    out
}

/// Figures by village, with the township's total in the last column.
#[component]
pub fn VillageTable(computed: Computed) -> impl IntoView {
    let data = expect_context::<TownshipData>();
    let on_click = move |ev: leptos::ev::MouseEvent| {
        let Some(target) = ev.target().and_then(|t| t.dyn_into::<web_sys::Element>().ok()) else {
            return;
        };
        let Ok(Some(button)) = target.closest("button.fig") else { return };
        let Ok(Some(cell)) = button.closest("td") else { return };
        if let Some(key) = cell.get_attribute("data-figure") {
            data.drill.set(Some(Drill { key, village: cell.get_attribute("data-village") }));
        }
    };
    // The benchmark's end mark: the table is in the document.
    Effect::new(move |_| mark("township-rendered"));
    view! { <div class="table-scroll" on:click=on_click inner_html=table_html(&computed)></div> }
}
