//! The township pages' tabs: 汇总 / 台账 / 季度报告 / 密钥与配置, and 花名册核对 (the roster page,
//! `roster.html`: its own bundle, `ui::roster`).

use leptos::prelude::*;

use crate::ui::router::{Route, RouterContext};

/// The tabs, as links (each tab has its own address).
#[component]
pub fn Tabs() -> impl IntoView {
    let router = expect_context::<RouterContext>();
    let tab = move |label: &'static str, target: Route| {
        let href = target.href();
        let current = move || {
            let now = router.route.get();
            let same = std::mem::discriminant(&now) == std::mem::discriminant(&target);
            if same {
                "page"
            } else {
                "false"
            }
        };
        view! { <a href=href aria-current=current>{label}</a> }
    };
    view! {
        <nav class="tabs no-print" aria-label="乡镇汇总">
            {tab("汇总", Route::Township)}
            {tab("台账", Route::TownshipLedger(String::new()))}
            {tab("季度报告", Route::TownshipReport)}
            {tab("密钥与配置", Route::TownshipKeys)}
            <a href=Route::Roster(String::new()).href() data-roster-link="">"花名册核对"</a>
        </nav>
    }
}
