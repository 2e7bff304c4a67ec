//! The printable household record (`#/h/<id>/print`): one stored record laid out like the
//! paper form 《农牧户基本情况摸底排查表》 on A4 — sections 一 to 八 with their A-codes, the
//! member table, and lines for the signatures of 本户排查人 and the 风险研判人 (at least 2).
//! On screen it is a preview with a 打印 button; `style/print.css` hides the app around it.

use leptos::prelude::*;
use uuid::Uuid;

use super::expect_store;
use super::router::Route;
use crate::store::RecordStore;

mod choices;
mod measures;
mod members;
mod paper;
mod signatures;

pub use paper::PaperForm;

/// Loads the record `id` and shows it as the paper form.
#[component]
pub fn PrintPage(id: String) -> impl IntoView {
    let Ok(uuid) = Uuid::parse_str(&id) else {
        return view! { <section class="page"><h1>"找不到这条记录"</h1></section> }.into_any();
    };
    let store = expect_store();
    let loaded = super::load::load(move || {
        let store = store.clone();
        async move { store.get(uuid).await.map_err(|e| e.to_string()) }
    });
    let edit = Route::Editor(id.clone()).href();
    let back = move |_| {
        let _ = window().history().and_then(|h| h.back());
    };
    let print = move |_| {
        let _ = window().print();
    };
    view! {
        <section class="page print-page">
            <div class="print-toolbar no-print">
                <button type="button" class="button" on:click=back>"‹ 返回"</button>
                <a class="button" href=edit>"编辑"</a>
                <button type="button" class="button primary" data-action="print" on:click=print>"打印"</button>
            </div>
            <p class="muted no-print">"按 A4 纸排版；打印时只输出排查表。签字栏请打印后手写。"</p>
            {move || match loaded.get() {
                None => view! { <p class="muted">"正在打开…"</p> }.into_any(),
                Some(Ok(Some(record))) => view! { <div class="paper-scroll"><PaperForm record=record/></div> }.into_any(),
                Some(Ok(None)) => view! {
                    <h1>"找不到这条记录"</h1>
                    <p class="muted">"它可能已被删除，或者是在另一台手机上建的。"</p>
                }
                .into_any(),
                Some(Err(e)) => view! { <p class="alert" role="alert">{e}</p> }.into_any(),
            }}
        </section>
    }
    .into_any()
}
