//! 七、监测对象帮扶措施 (A34–A45): each measure is 是/否; its items only when it is 是
//! (A36: the loan's date, term and amount in 万元; A45: a text).

use leptos::prelude::*;

use crate::ui::parts::when;

use crate::core::record::{
    EcologyItem, EducationItem, EmploymentItem, HealthItem, IndustryItem, InfrastructureItem,
    LivingItem, MotivationItem, PublicPostItem, SocialSecurityItem,
};
use crate::ui::editor::Editing;
use crate::ui::widgets::{
    indices_lens, messages_at, multi_check_view, CountInput, DateInput, Lens, MoneyInput,
    TextInput, YesNo,
};

use super::skip::gating;
use super::snackbar::Snackbar;

/// One measure with items (A34, A35, A37–A44), over item indices (one copy of the view code).
fn measure_view(
    applied: Lens<Option<bool>>,
    items: Lens<Vec<usize>>,
    codes: Vec<&'static str>,
    labels: Vec<&'static str>,
    other: Lens<String>,
    code: &'static str,
    label: &'static str,
) -> AnyView {
    let Editing { record, .. } = expect_context::<Editing>();
    let snackbar = expect_context::<Snackbar>();
    let applied = gating(applied, snackbar);
    let items = gating(items, snackbar);
    let on = applied.memo(record);
    let chosen = items.memo(record);
    let other_index = codes.iter().position(|c| *c == "other");
    let has_other =
        Memo::new(move |_| chosen.with(|l| other_index.is_some_and(|o| l.contains(&o))));
    view! {
        <div class="measure">
            <YesNo lens=applied code=code label=label/>
            {when(move || on.get() == Some(true), move || view! {
                {multi_check_view(items.clone(), codes.clone(), labels.clone(), code, format!("{label}：具体措施"), "", None, false, true)}
                {
                    let other = other.clone();
                    move || has_other.get().then(|| view! { <TextInput lens=other.clone() label="其他（请注明）"/> })
                }
            }.into_any())}
        </div>
    }
    .into_any()
}

macro_rules! measure {
    ($key:ident, $item:ty, $code:literal, $label:literal) => {
        measure_view(
            Lens::new(
                concat!("measures.", stringify!($key), ".applied"),
                |h| h.measures.$key.applied,
                |h, v| h.measures.$key.applied = v,
            ),
            indices_lens::<$item>(Lens::new(
                concat!("measures.", stringify!($key), ".items"),
                |h| h.measures.$key.items.clone(),
                |h, v| h.measures.$key.items = v,
            )),
            <$item>::ALL.iter().map(|v| v.code()).collect(),
            <$item>::ALL.iter().map(|v| v.label()).collect(),
            Lens::new(
                concat!("measures.", stringify!($key), ".other"),
                |h| h.measures.$key.other.clone(),
                |h, v| h.measures.$key.other = v,
            ),
            $code,
            $label,
        )
    };
}

/// Section 七.
#[component]
pub fn MeasuresSection() -> impl IntoView {
    let Editing { record, .. } = expect_context::<Editing>();
    let snackbar = expect_context::<Snackbar>();
    let finance = gating(
        Lens::new(
            "measures.finance.applied",
            |h| h.measures.finance.applied,
            |h, v| h.measures.finance.applied = v,
        ),
        snackbar,
    );
    let finance_on = finance.memo(record);
    let other = gating(
        Lens::new(
            "measures.other.applied",
            |h| h.measures.other.applied,
            |h, v| h.measures.other.applied = v,
        ),
        snackbar,
    );
    let other_on = other.memo(record);
    // `measures-missing`, `development-measures-missing` point at `measures`.
    let messages = messages_at("measures".to_string());
    view! {
        <section class="form-section card" id="f-measures" aria-labelledby="s7-h">
            <h2 id="s7-h">"七、监测对象帮扶措施"</h2>
            <div class="q-messages">
                {move || messages.get().into_iter().map(|m| view! { <p class="q-msg warning" data-code=m.code.as_str()>{m.message}</p> }).collect_view()}
            </div>
            {measure!(industry, IndustryItem, "A34", "产业帮扶")}
            {measure!(employment, EmploymentItem, "A35", "就业帮扶")}
            <div class="measure">
                <YesNo lens=finance code="A36" label="金融帮扶"/>
                {when(move || finance_on.get() == Some(true), move || view! {
                    <fieldset class="group">
                        <legend>"脱贫人口小额信贷"</legend>
                        <DateInput lens=Lens::new("measures.finance.loan_date", |h| h.measures.finance.loan_date, |h, v| h.measures.finance.loan_date = v) label="贷款时间"/>
                        <CountInput lens=Lens::new("measures.finance.loan_term_months", |h| h.measures.finance.loan_term_months, |h, v| h.measures.finance.loan_term_months = v) label="贷款期限"/>
                        <MoneyInput lens=Lens::new("measures.finance.loan_amount_wan", |h| h.measures.finance.loan_amount_wan.clone(), |h, v| h.measures.finance.loan_amount_wan = v) label="贷款金额" unit="万元"/>
                    </fieldset>
                }.into_any())}
            </div>
            {measure!(ecology, EcologyItem, "A37", "生态帮扶")}
            {measure!(public_post, PublicPostItem, "A38", "公益岗位帮扶")}
            {measure!(education, EducationItem, "A39", "教育帮扶")}
            {measure!(health, HealthItem, "A40", "健康帮扶")}
            {measure!(living, LivingItem, "A41", "生活条件改善")}
            {measure!(infrastructure, InfrastructureItem, "A42", "基础设施建设")}
            {measure!(social_security, SocialSecurityItem, "A43", "综合保障")}
            {measure!(motivation, MotivationItem, "A44", "扶志扶智")}
            <div class="measure">
                <YesNo lens=other code="A45" label="其他"/>
                {when(move || other_on.get() == Some(true), move || view! {
                    <TextInput lens=Lens::new("measures.other.other", |h| h.measures.other.other.clone(), |h, v| h.measures.other.other = v) label="其他帮扶措施（请注明）"/>
                }.into_any())}
            </div>
        </section>
    }
}
