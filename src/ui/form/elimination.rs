//! 八、监测对象风险消除 (A46–A49): A47–A49 only when A46 is 是.

use leptos::prelude::*;

use crate::ui::parts::when;

use crate::ui::editor::Editing;
use crate::ui::widgets::{Choice, CountInput, Lens, YesNo};

use super::skip::gating;
use super::snackbar::Snackbar;

/// Section 八.
#[component]
pub fn EliminationSection() -> impl IntoView {
    let Editing { record, .. } = expect_context::<Editing>();
    let snackbar = expect_context::<Snackbar>();
    let eliminated = gating(
        Lens::new(
            "elimination.eliminated",
            |h| h.elimination.eliminated,
            |h, v| h.elimination.eliminated = v,
        ),
        snackbar,
    );
    let on = eliminated.memo(record);
    view! {
        <section class="form-section card" id="f-elimination" aria-labelledby="s8-h">
            <h2 id="s8-h">"八、监测对象风险消除"</h2>
            <YesNo lens=eliminated code="A46" label="风险是否消除"/>
            {when(move || on.get() == Some(true), move || view! {
                <Choice lens=Lens::new("elimination.method", |h| h.elimination.method, |h, v| h.elimination.method = v) code="A47" label="风险消除方式"/>
                <YesNo lens=Lens::new("elimination.marked_in_system", |h| h.elimination.marked_in_system, |h, v| h.elimination.marked_in_system = v)
                    code="A48" label="是否在全国防返贫监测系统内标注风险消除"/>
                <CountInput lens=Lens::new("elimination.months", |h| h.elimination.months, |h, v| h.elimination.months = v) code="A49" label="风险消除时间间隔（月）"/>
            }.into_any())}
        </section>
    }
}
