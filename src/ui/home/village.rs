//! One village of the home list: its households (the first rows, more on request) and
//! `导出本村`.

use std::sync::Arc;

use leptos::prelude::*;

use super::row::EntryRow;
use super::HomeData;

/// Rows shown at first, and added per `显示更多`.
const PAGE: usize = 40;

/// A village heading, its export button and its rows.
#[component]
pub fn VillageGroup(
    village: String,
    indexes: Vec<usize>,
    data: Arc<HomeData>,
    export: Callback<String>,
) -> impl IntoView {
    let limit = RwSignal::new(PAGE);
    let total = indexes.len();
    // 导出本村: every household of the village, whatever the filters show.
    let export_village = {
        let village = village.clone();
        move |_| export.run(village.clone())
    };
    let rows = {
        let data = data.clone();
        move || {
            let n = limit.get().min(total);
            indexes[..n]
                .iter()
                .map(|&i| view! { <EntryRow entry=data.entries[i].clone() export=data.export[i]/> })
                .collect_view()
        }
    };
    view! {
        <section class="village" data-village=village.clone()>
            <div class="village-head">
                <h2>{village.clone()}<span class="muted count">{format!(" {total} 户")}</span></h2>
                <button type="button" class="button small" on:click=export_village>"导出本村"</button>
            </div>
            <ul class="records">{rows}</ul>
            {move || (limit.get() < total).then(|| view! {
                <button type="button" class="button small more" on:click=move |_| limit.update(|l| *l += PAGE)>
                    {format!("显示更多（还有 {} 户）", total - limit.get())}
                </button>
            })}
        </section>
    }
}
