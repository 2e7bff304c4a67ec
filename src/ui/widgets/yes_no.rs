//! 是/否 as a two-button segmented control. Unanswered (`null`) shows neither pressed: it is
//! not 否.

use leptos::prelude::*;

use super::{Field, Lens, Question};

/// A yes/no question (A2, A14–A20, A29–A32, …).
#[component]
pub fn YesNo(
    lens: Lens<Option<bool>>,
    #[prop(optional)] code: &'static str,
    #[prop(into)] label: String,
    #[prop(optional)] hint: &'static str,
    /// Text of the two buttons (`是`/`否` unless a question reads better otherwise).
    #[prop(default = "是")]
    yes: &'static str,
    #[prop(default = "否")] no: &'static str,
) -> impl IntoView {
    yes_no_view(lens, code, label, hint, yes, no)
}

/// The view of a yes/no question (a plain function: table-driven sections call it in a loop).
pub fn yes_no_view(
    lens: Lens<Option<bool>>,
    code: &'static str,
    label: String,
    hint: &'static str,
    yes: &'static str,
    no: &'static str,
) -> AnyView {
    let Field { record, value, messages, error, ids, path } = Field::new(&lens);
    let button = move |answer: bool, text: &'static str| {
        let lens = lens.clone();
        view! {
            <button type="button" role="radio" class="seg-btn"
                aria-checked=move || if value.get() == Some(answer) { "true" } else { "false" }
                on:click=move |_| {
                    if value.get_untracked() != Some(answer) {
                        lens.write(record, Some(answer));
                    }
                }>
                {text}
            </button>
        }
    };
    view! {
        <Question path=path.clone() messages=messages code=code label=label hint=hint>
            <div class="seg" role="radiogroup"
                aria-labelledby=ids.label.clone() aria-describedby=ids.messages.clone()
                aria-invalid=move || error.attr()>
                {button(true, yes)}
                {button(false, no)}
            </div>
        </Question>
    }
    .into_any()
}
