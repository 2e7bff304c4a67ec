//! The township summary page (`/township`). A placeholder until the summary is built.

use leptos::prelude::*;

/// 乡镇汇总: the records of the township at a glance.
#[component]
pub fn Township() -> impl IntoView {
    view! {
        <section class="page">
            <h1>"乡镇汇总"</h1>
            <p class="muted">"汇总页面正在建设中。"</p>
        </section>
    }
}
