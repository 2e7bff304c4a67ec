//! The printable household record (`#/h/<id>/print`): one stored record laid out like the
//! paper form 《农牧户基本情况摸底排查表》 on A4 — sections 一 to 八 with their A-codes, the
//! member table, and lines for the signatures of 本户排查人 and the 风险研判人 (at least 2).
//! On screen it is a preview with a 打印 button; `style/print.css` hides the app around it.
//!
//! - **佐证材料** (issue 15): after the form, a page of the record's photos with what each
//!   documents and its caption (`print/evidence.rs`).
//!
//! # Printing
//!
//! `style/print.css`: everything inside `@media print`, plus `@page { size: A4; margin: 12mm
//! 10mm }` and a named `@page landscape { size: A4 landscape }`.
//! - The app's chrome never prints: top bar, tabs, period picker, buttons, text boxes,
//!   toolbars, anything `.no-print`; `.print-only` shows.
//! - **A record** (`#/h/<id>/print`, a route of the office's page, reachable from every
//!   drill-down list and ledger row): the paper form on A4 portrait — 一 基本信息 (address, A1
//!   with its tick boxes, A2, phone), 二 the member table A3–A20 (blank rows up to 5, as on the
//!   paper), 三 A21–A28 with A26/A27 computed, 四 A29–A32, 五 the judgement and reason with
//!   **signature lines**: 本户排查人 (typed name and a line) and 风险研判人（不少于2人）, each
//!   assessor's name with a line and at least two lines; a line signed on the phone shows the
//!   signature's SVG (`print/signatures.rs`), with 签字后有修改 beside one made before a later
//!   change (`core::evidence::signature_states`), and a 户主 line when the head signed; 六 A33/A33a, 七 A34–A45 with every
//!   item of the paper form ticked or not, 八 A46–A49; the record id and revision in small
//!   print. 打印 calls `window.print()`. The sheet is HTML text (`print/paper.rs`), every text
//!   escaped. On a phone (up to 480 px) the sheet is shown at its own size (210 mm, text 14 px)
//!   in a frame that scrolls sideways — scaled to fit (0.44) it could not be read, and what is
//!   seen is what prints; on a tablet (481–820 px) it is scaled to 0.8 (`zoom`, screen only).
//! - **Ledgers** print on A4 landscape (`page: landscape`), the header row repeated on each
//!   page, with 填表人 / 审核人 / 盖章 lines (`ui/township/ledgers.rs`).
//! - **The report** prints as its draft (title, addressee, sections, signer and date).
//! - **汇总** prints its table and charts.
//!
//! `tests/e2e/specs/township.spec.mjs` checks it: from a drill-down list to `#/h/<id>/print`,
//! sections 一–八, A-codes, members, signature lines; `emulateMedia({ media: 'print' })` hides
//! the top bar and toolbars; the `@page` rules are there; a record's PDF is A4 portrait, a
//! ledger's A4 landscape. `audit-360.spec.mjs` checks the phone's preview scale.

use leptos::prelude::*;
use uuid::Uuid;

use super::expect_store;
use super::router::Route;
use crate::store::RecordStore;

mod choices;
mod evidence;
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
            <p class="muted no-print">"按 A4 纸排版；打印时只输出排查表。未在手机上签字的签字栏请打印后手写。"</p>
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
