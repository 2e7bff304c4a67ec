//! 四、三保障和安全饮水 (A29–A32), with A31 否 → 水质/水量 and A32 是 → C级/D级/未鉴定.

use leptos::prelude::*;

use crate::ui::parts::when;

use crate::ui::editor::Editing;
use crate::ui::widgets::{Choice, Lens, MultiCheck, YesNo};

use super::skip::gating;
use super::snackbar::Snackbar;

/// Section 四.
#[component]
pub fn GuaranteesSection() -> impl IntoView {
    let Editing { record, .. } = expect_context::<Editing>();
    let snackbar = expect_context::<Snackbar>();
    let water = gating(
        Lens::new(
            "guarantees.safe_water",
            |h| h.guarantees.safe_water,
            |h, v| h.guarantees.safe_water = v,
        ),
        snackbar,
    );
    let house = gating(
        Lens::new(
            "guarantees.dangerous_house",
            |h| h.guarantees.dangerous_house,
            |h, v| h.guarantees.dangerous_house = v,
        ),
        snackbar,
    );
    let unsafe_water = Memo::new(move |_| record.with(|h| h.guarantees.safe_water == Some(false)));
    let dangerous = Memo::new(move |_| record.with(|h| h.guarantees.dangerous_house == Some(true)));
    view! {
        <section class="form-section card" id="f-guarantees" aria-labelledby="s4-h">
            <h2 id="s4-h">"四、三保障和安全饮水"</h2>
            <YesNo lens=Lens::new("guarantees.dropout", |h| h.guarantees.dropout, |h, v| h.guarantees.dropout = v) code="A29" label="是否有适龄儿童少年失学辍学"/>
            <YesNo lens=Lens::new("guarantees.all_insured", |h| h.guarantees.all_insured, |h, v| h.guarantees.all_insured = v) code="A30" label="是否全部参加城乡居民基本医疗保险"/>
            <YesNo lens=water code="A31" label="是否解决安全饮水"/>
            {when(move || unsafe_water.get(), move || view! {
                <MultiCheck lens=Lens::new("guarantees.water_issues", |h| h.guarantees.water_issues.clone(), |h, v| h.guarantees.water_issues = v)
                    code="A31" label="如选否，具体为"/>
            }.into_any())}
            <YesNo lens=house code="A32" label="是否危房"/>
            {when(move || dangerous.get(), move || view! {
                <Choice lens=Lens::new("guarantees.house_grade", |h| h.guarantees.house_grade, |h, v| h.guarantees.house_grade = v)
                    code="A32" label="如选是，具体为"/>
                <crate::ui::evidence::field_photos::FieldPhotos path="guarantees.dangerous_house"/>
            }.into_any())}
        </section>
    }
}
