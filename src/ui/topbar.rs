//! The top bar of both pages (the surveyor's and the township office's): the brand and the
//! three sections 记录 / 汇总 / 设置. A link to the other page loads it (see `router`).

use leptos::prelude::*;

use super::router::{Route, RouterContext};

/// The top bar; the section of the current route is marked `aria-current="page"`.
#[component]
pub fn TopBar() -> impl IntoView {
    let router = expect_context::<RouterContext>();
    let section = move || {
        let now = router.route.get();
        if now.is_office() || matches!(now, Route::Roster(_)) {
            1
        } else if now == Route::Settings {
            2
        } else if now == Route::Home {
            0
        } else {
            3
        }
    };
    let link = move |label: &'static str, route: Route, n: u8| {
        let current = move || if section() == n { "page" } else { "false" };
        view! { <a href=route.href() aria-current=current>{label}</a> }
    };
    view! {
        <header class="topbar">
            <a class="brand" href=Route::Home.href()>"入户"</a>
            <nav class="topnav">
                {link("记录", Route::Home, 0)}
                {link("汇总", Route::Township, 1)}
                {link("设置", Route::Settings, 2)}
            </nav>
        </header>
    }
}
