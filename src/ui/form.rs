//! The household form 《农牧户基本情况摸底排查表》 (A1–A49), section by section in the paper's
//! order, the live risk panel under it and the review page (`#/h/<id>/review`).
//!
//! Every answer is written straight into [`Editing::record`] through the widgets of
//! [`crate::ui::widgets`]; every verdict, figure and message shown comes from
//! [`Editing::evaluation`] (the core's rule engine). The form decides only what the paper
//! decides: which questions are shown (skip logic, [`skip`]) and how an answer is typed.
//!
//! # Where things are
//!
//! | file | what |
//! |---|---|
//! | `form.rs` | [`FormPage`] (contexts, the form or the review page, risk panel, snackbar), [`Form`] (一–八) |
//! | `form/basic.rs` | 一 基本信息: visit, income period, address, A1, 识别日期, A2, phone, 排查人, 研判人 |
//! | `form/members.rs`, `form/member_card.rs` | 二 家庭成员信息: the list, one card per member (A3–A20) |
//! | `form/income.rs` | 三 收支情况: A21–A25, A26/A27 from the engine, A28 and 具体为 |
//! | `form/guarantees.rs` | 四 三保障和安全饮水: A29–A32 with their follow-ups |
//! | `form/judgement.rs` | 五 风险研判: the people's answers beside the engine's suggestion |
//! | `form/risk_types.rs`, `form/measures.rs`, `form/elimination.rs` | 六 A33/A33a, 七 A34–A45, 八 A46–A49 |
//! | `ui/evidence/signatures.rs` | 签字: the signature lines and the pad (after the sections, outside their read-only fieldset) |
//! | `form/skip.rs` | the skip-logic table and `clear_hidden` |
//! | `form/nav.rs` | from a finding's path to its field |
//! | `ui/evidence.rs` + `evidence/` | 佐证材料: the photos' section, 添加照片 beside A10/A28/A32 |
//! | `form/snackbar.rs` | 撤销 for a removed member or cleared sections 六–八 |
//! | `widgets.rs` + `widgets/` | `Lens`, `MemberRef`, `FieldContext`, the field widgets, `dom_id` |
//! | `risk.rs` + `risk/findings.rs` | the sticky risk panel and the finding list (also on the review page) |
//! | `review.rs` | the review page: summary, findings, 完成 / 修改 |
//! | `style/form.css` | form, widgets, risk panel, review (linked from `public/app.html`) |
//!
//! # Routes
//!
//! `#/h/<id>` is the form, `#/h/<id>/review` its review page. The surveyor's app
//! (`ui/app.rs`) maps both to the same editor page before choosing what to mount, so switching
//! between them keeps the loaded record, the autosave and the evaluation: the form stays
//! mounted (hidden) under the review page and comes back where it was.
//!
//! # How an answer gets into the record
//!
//! - [`Editing`] (`ui/editor.rs`) holds `record: RwSignal<Household>` and `evaluation:
//!   Memo<Evaluation>`; the autosave (`ui/editor/autosave.rs`) watches `record`.
//! - A `Lens<T>` names one place of the record: its JSON path (`members[2].id_number`), a
//!   getter and a setter. Every widget takes a lens, reads its value through its own memo
//!   (`lens.memo(record)`) and writes with one `record.update` (`lens.write`): one write, one
//!   save, one evaluation. Text is kept exactly as typed.
//! - `MemberRef` makes the lenses of one member. The member cards are made again whenever the
//!   list of member ids changes (added, moved, removed; not a keyed `<For>`), so the paths
//!   inside a card never change while it lives; which cards are open is kept by member id
//!   ([`FormUi::open_members`]).
//! - The engine's findings reach the fields through `FieldContext`: one effect turns the
//!   evaluation into the error and warning messages of each path and sets a path's signal only
//!   when its messages changed. (Risk and info findings are not shown at fields: the risk
//!   panel lists them.)
//!
//! # Keystroke cost
//!
//! The budget is 16 ms of work per keystroke with 30 members; it measures about 1–2 ms (the
//! figures and how they are taken: `tests/bench/README.md`). What keeps it there:
//! - Every widget reads its value through its own memo, so a keystroke re-renders only the
//!   field typed in; a memo that recomputes to the same value stops there.
//! - A member's fields do not depend on the record: one effect per member (`MemberRef`)
//!   compares the record's member with the member's own signal and sets it only when that
//!   member changed. Typing in one member re-runs that member's field memos; the other members'
//!   fields are not touched.
//! - Findings reach fields the same way (one effect, one signal per path, set only on change),
//!   not as hundreds of memos on the evaluation. Without these two cuts every field was marked
//!   on every keystroke (7–20 ms of script per key with all 30 cards open).
//! - The evaluation memo runs once per keystroke (the whole engine on the record). Cards are
//!   closed by default (a phone shows one at a time); a closed card mounts no field widgets.
//!
//! # Size
//!
//! The form is the biggest view of the app. Its cost is per *kind* of widget and per generic
//! instantiation (each `Choice<T>` / `MultiCheck<T>` enum, the ID field, the money field), not
//! per question, so the enum widgets are generic only in a thin layer over indices and their
//! view is built once; the review summary is escaped HTML text. Describing the sections as
//! data would not buy much. Figures: `tests/bench/README.md`, *First-load size*.
//!
//! # Tests
//!
//! - `tests/e2e/specs/form.spec.mjs` (Playwright, 360×740): settings → 新建入户; a new form
//!   shows no unfilled-answer errors; a finding in the panel focuses its field; every section
//!   filled (4 members, the X key, move up/down, remove and 撤销); the verdict changes as the
//!   wage is typed, with A26/A27 in the section and the bar; an ID error, then the live birth
//!   date, age and sex; money keeps `12a` with its message and `1,500` as typed; reload
//!   mid-form; the skip logic of A31/A32, 五 and 六–八; offline reload; review → 完成 →
//!   read-only → 修改; a draft with an error cannot be finalized; no request leaves the origin.
//! - `tests/form_wasm.rs` (wasm-bindgen-test in Chromium): `MoneyInput` keeps `12a` as
//!   `Money::Invalid` with the engine's message, blank is unanswered, an outside change
//!   replaces the text; `YesNo` unanswered is not 否; `dom_id` and its fallbacks; the X key's
//!   insertion; A10 exclusivity and A33 order; `clear_hidden` on every row of the skip table.
//! - `tests/e2e/perf/form-keystroke.mjs`: the keystroke figures (prints, does not assert).

use leptos::prelude::*;

use crate::ui::parts::when;
use uuid::Uuid;

use crate::core::record::{Household, Status};
use crate::ui::editor::Editing;
use crate::ui::router::{Route, RouterContext};
use crate::ui::widgets::provide_field_context;

mod basic;
mod elimination;
mod guarantees;
mod income;
mod judgement;
mod measures;
mod member_card;
mod members;
pub mod nav;
mod risk_types;
pub mod skip;
pub mod snackbar;

use nav::Nav;
use snackbar::{Snackbar, SnackbarHost};

/// What the form's parts share besides the record.
#[derive(Clone, Copy)]
pub struct FormUi {
    /// The member cards that are open (by member id).
    pub open_members: RwSignal<Vec<Uuid>>,
    /// The record is final: the form is read-only until 修改.
    pub readonly: Memo<bool>,
    /// Sections 六–八 apply: a monitoring object, or a household to be newly identified.
    pub monitoring_sections: Memo<bool>,
}

/// Whether sections 六–八 apply to a record (the form's relevance rule, as the format says:
/// filled for monitoring objects and for newly identified households).
pub fn monitoring_sections(h: &Household) -> bool {
    h.is_monitored() || h.judgement.identify == Some(true)
}

/// Provides the form's contexts ([`FormUi`], field messages, navigation, snackbar).
pub fn provide_form_context() -> FormUi {
    let Editing { record, evaluation } = expect_context::<Editing>();
    // Read-only while another window edits the record (`editor::lock`).
    let writable = use_context::<crate::ui::editor::Writable>().is_none_or(|w| w.0);
    provide_field_context(evaluation);
    let ui = FormUi {
        open_members: RwSignal::new(Vec::new()),
        readonly: Memo::new(move |_| !writable || record.with(|h| h.status == Status::Final)),
        monitoring_sections: Memo::new(move |_| record.with(monitoring_sections)),
    };
    provide_context(ui);
    provide_context(Snackbar::new());
    crate::ui::evidence::provide_photos();
    ui
}

/// The editor's body: the form (or the review page on `#/h/<id>/review`), the risk panel
/// and the undo snackbar.
#[component]
pub fn FormPage() -> impl IntoView {
    let ui = provide_form_context();
    let Editing { record, .. } = expect_context::<Editing>();
    let router = expect_context::<RouterContext>();
    let reviewing = Memo::new(move |_| matches!(router.route.get(), Route::Review(_)));
    provide_context(Nav::new(reviewing));
    let reopen = move |_| record.update(|h| h.status = Status::Draft);
    view! {
        {when(move || ui.readonly.get() && record.with(|h| h.status == Status::Final), move || view! {
            <div class="final-banner" role="status">
                <span>"本记录已完成，现为只读。"</span>
                <button type="button" class="button small" on:click=reopen>"修改"</button>
            </div>
        }.into_any())}
        <div class="form-wrap" class:hidden=move || reviewing.get()>
            <Form/>
        </div>
        {when(move || reviewing.get(), move || view! {
            <crate::ui::review::Review/>
        }.into_any())}
        <crate::ui::risk::RiskPanel/>
        <SnackbarHost/>
    }
}

/// The form: sections 一–八 (六–八 only when they apply). Read-only while the record is final.
#[component]
pub fn Form() -> impl IntoView {
    let ui = expect_context::<FormUi>();
    view! {
        <form class="hh-form" on:submit=|ev| ev.prevent_default() novalidate>
            <fieldset class="form-body" disabled=move || ui.readonly.get()>
                <basic::BasicSection/>
                <members::MembersSection/>
                <income::IncomeSection/>
                <guarantees::GuaranteesSection/>
                <judgement::JudgementSection/>
                {when(move || ui.monitoring_sections.get(), move || view! {
                    <risk_types::RiskTypesSection/>
                    <measures::MeasuresSection/>
                    <elimination::EliminationSection/>
                }.into_any())}
                <crate::ui::evidence::section::EvidenceSection/>
            </fieldset>
            <crate::ui::evidence::signatures::SignaturesSection/>
        </form>
    }
}
