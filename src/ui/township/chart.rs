//! An SVG chart drawn by the core (`township::charts`) as a string, shown as it is; a tap on
//! a mark lists its households (a bar segment: the village's households of that category;
//! a dot: that household).

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use super::data::{Drill, TownshipData};

/// One chart. `name` is a stable test hook (`data-chart`).
#[component]
pub fn Chart(svg: String, name: &'static str) -> impl IntoView {
    let data = expect_context::<TownshipData>();
    let on_click = move |ev: leptos::ev::MouseEvent| {
        let Some(target) = ev.target().and_then(|t| t.dyn_into::<web_sys::Element>().ok()) else {
            return;
        };
        if let Ok(Some(dot)) = target.closest("[data-household]") {
            if let Some(id) = dot.get_attribute("data-household") {
                data.drill.set(Some(Drill { key: format!("household:{id}"), village: None }));
            }
        } else if let Ok(Some(bar)) = target.closest("[data-village][data-category]") {
            if let (Some(v), Some(c)) =
                (bar.get_attribute("data-village"), bar.get_attribute("data-category"))
            {
                data.drill.set(Some(Drill { key: format!("category:{c}"), village: Some(v) }));
            }
        }
    };
    view! { <figure class="chart" data-chart=name on:click=on_click inner_html=svg></figure> }
}
