//! The households of the home list, by village, with the count above them: the part of the
//! home page that the start page (`index.html`, from the list's snapshot) and the full app
//! (`app.html`, from the records) show alike.

use std::sync::Arc;

use leptos::prelude::*;

use super::village::VillageGroup;
use super::{HomeData, ListState};
use crate::core::listing::{self, Filter};

/// `共 N 户（M 条记录）` and the village groups that pass the page's filter. `export_village`
/// is what 导出本村 does (the full app exports; the start page hands the request to the full app).
#[component]
pub fn HomeList(data: Arc<HomeData>, export_village: Callback<String>) -> impl IntoView {
    let state = expect_context::<ListState>();
    if data.entries.is_empty() {
        return view! { <p class="muted">"还没有记录。"</p> }.into_any();
    }
    let groups = {
        let data = data.clone();
        Memo::new(move |_| listing::by_village(&data.entries, &state.filter.get()))
    };
    let count = {
        let data = data.clone();
        move || {
            let shown: usize = groups.with(|g| g.iter().map(|(_, is)| is.len()).sum());
            if state.filter.with(Filter::is_empty) {
                format!("共 {} 户（{} 条记录）", data.entries.len(), data.record_count)
            } else {
                format!("共 {} 户，符合条件 {shown} 户", data.entries.len())
            }
        }
    };
    view! {
        <p class="muted list-count" data-testid="list-count">{count}</p>
        {move || groups.get().into_iter().map(|(village, indexes)| {
            let d = data.clone();
            view! { <VillageGroup village=village indexes=indexes data=d export=export_village/> }
        }).collect_view()}
    }
    .into_any()
}
