//! The household form 《农牧户基本情况摸底排查表》 (A1–A49), section by section in the paper's
//! order, the live risk panel under it and the review page (`#/h/<id>/review`).
//!
//! Every answer is written straight into [`Editing::record`] through the widgets of
//! [`crate::ui::widgets`]; every verdict, figure and message shown comes from
//! [`Editing::evaluation`]. Questions the paper makes conditional are shown only when they
//! apply, and their answers are cleared when they stop applying ([`skip`]).

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
    provide_field_context(evaluation);
    let ui = FormUi {
        open_members: RwSignal::new(Vec::new()),
        readonly: Memo::new(move |_| record.with(|h| h.status == Status::Final)),
        monitoring_sections: Memo::new(move |_| record.with(monitoring_sections)),
    };
    provide_context(ui);
    provide_context(Snackbar::new());
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
        {when(move || ui.readonly.get(), move || view! {
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
            </fieldset>
        </form>
    }
}
