//! The households behind a tapped figure, each linking to its record's editor and print view.

use leptos::html;
use leptos::prelude::*;

use super::data::{Computed, TownshipData};
use super::figures::{figure, label, tally};
use super::html::{attr, esc};
use crate::core::money::format_yuan;
use crate::core::township::summary::Line;
use crate::ui::router::Route;

/// How many households are listed before 显示更多.
const PAGE: usize = 100;

/// The households as list items (HTML).
fn items_html(lines: &[&Line]) -> String {
    let mut out = String::with_capacity(lines.len() * 400);
    for l in lines {
        let category = l.category.map(|c| c.short_label()).unwrap_or("未填写户属性");
        let income = l
            .per_capita_net
            .map(|d| format!("人均 {} 元", format_yuan(d)))
            .unwrap_or_else(|| "人均纯收入未算出".to_string());
        let group = if l.group.is_empty() { String::new() } else { format!(" {}", l.group) };
        out.push_str(&format!(
            "<li data-household=\"{}\"><a class=\"record-link\"{}><span class=\"title\">{}</span><span class=\"muted\">{}</span></a><a class=\"print-link no-print\"{}>打印</a></li>",
            l.household_id,
            attr("href", &Route::Editor(l.record_id.to_string()).href()),
            esc(&format!("{}{} {}户（{}人）", l.village, group, l.head, l.size)),
            esc(&format!("{category} · {income} · {}", l.verdict)),
            attr("href", &Route::Print(l.record_id.to_string()).href()),
        ));
    }
    out
}

/// The list of the figure in [`TownshipData::drill`]; nothing when no figure is tapped.
#[component]
pub fn FigureList(computed: Computed) -> impl IntoView {
    let data = expect_context::<TownshipData>();
    let shown = RwSignal::new(PAGE);
    let panel = NodeRef::<html::Section>::new();
    // A new figure starts at the top of its list, scrolled into view.
    // (Only the drill is tracked: the panel is rebuilt on every change, so tracking it or
    // setting `shown` unconditionally would loop.)
    // Not on the first run: coming back to the tab shows the list where it is, without a jump.
    Effect::new(move |first_done: Option<()>| {
        if data.drill.get().is_some() && first_done.is_some() {
            if shown.get_untracked() != PAGE {
                shown.set(PAGE);
            }
            if let Some(el) = panel.get_untracked() {
                el.scroll_into_view();
            }
        }
    });

    move || {
        let drill = data.drill.get()?;
        let summary = &computed.view.summary;
        let t = tally(summary, drill.village.as_deref())?;
        let fig = figure(t, &drill.key)?;
        let lines = summary.lines(&fig);
        let place = drill.village.clone().unwrap_or_else(|| summary.township_name.clone());
        let what = match drill.key.strip_prefix("household:") {
            Some(_) => lines.first().map(|l| format!("{}户", l.head)).unwrap_or_default(),
            None => label(summary, &drill.key),
        };
        let count = if fig.count == fig.households.len() {
            format!("{} 户", fig.count)
        } else {
            format!("{} 人，{} 户", fig.count, fig.households.len())
        };
        let total = lines.len();
        let items = items_html(&lines[..lines.len().min(shown.get())]);
        Some(view! {
            <section class="figure-list card" node_ref=panel aria-live="polite" data-testid="figure-list"
                data-figure=drill.key.clone() data-village=drill.village.clone().unwrap_or_default()>
                <div class="figure-list-head">
                    <h2>{format!("{place} · {what}：{count}")}</h2>
                    <button type="button" class="button small no-print" on:click=move |_| data.drill.set(None)>"关闭"</button>
                </div>
                <ul class="records" inner_html=items></ul>
                {(total > shown.get()).then(|| view! {
                    <p class="no-print">
                        <button type="button" class="button small" on:click=move |_| shown.update(|n| *n += PAGE)>
                            {format!("再显示 {} 户（共 {total} 户）", PAGE.min(total - shown.get_untracked()))}
                        </button>
                    </p>
                })}
            </section>
        })
    }
}
