//! Free text (names, notes): what is typed is what is kept.

use leptos::prelude::*;

use super::{field_context, messages_at, question::shows_error, Lens, Question, QuestionIds};
use crate::ui::editor::Editing;

/// A one-line text answer.
#[component]
pub fn TextInput(
    lens: Lens<String>,
    #[prop(optional)] code: &'static str,
    #[prop(into)] label: String,
    #[prop(optional)] hint: &'static str,
    #[prop(optional)] placeholder: &'static str,
    /// The phone keyboard to ask for (`text`, `numeric`, `tel`, `decimal`).
    #[prop(default = "text")]
    inputmode: &'static str,
    #[prop(default = "off")] autocomplete: &'static str,
    /// Extra content under the input (quick picks, live facts).
    #[prop(optional)]
    children: Option<Children>,
) -> impl IntoView {
    let Editing { record, .. } = expect_context::<Editing>();
    let value = lens.memo(record);
    let messages = messages_at(lens.path.clone());
    let reveal = field_context().reveal_missing;
    let ids = QuestionIds::new(&lens.path);
    let path = lens.path.clone();
    view! {
        <Question path=path.clone() messages=messages code=code label=label hint=hint>
            <input type="text" inputmode=inputmode autocomplete=autocomplete placeholder=placeholder
                name=path
                aria-labelledby=ids.label.clone() aria-describedby=ids.messages.clone()
                aria-invalid=move || if messages.with(|m| shows_error(m, reveal.get())) { "true" } else { "false" }
                prop:value=move || value.get()
                on:input=move |ev| lens.write(record, event_target_value(&ev))/>
            {children.map(|c| c())}
        </Question>
    }
}

/// A longer text answer (具体原因, 具体为).
#[component]
pub fn TextArea(
    lens: Lens<String>,
    #[prop(optional)] code: &'static str,
    #[prop(into)] label: String,
    #[prop(optional)] hint: &'static str,
    #[prop(optional)] placeholder: &'static str,
    #[prop(default = 3)] rows: u32,
) -> impl IntoView {
    let Editing { record, .. } = expect_context::<Editing>();
    let value = lens.memo(record);
    let messages = messages_at(lens.path.clone());
    let reveal = field_context().reveal_missing;
    let ids = QuestionIds::new(&lens.path);
    let path = lens.path.clone();
    view! {
        <Question path=path.clone() messages=messages code=code label=label hint=hint>
            <textarea rows=rows placeholder=placeholder name=path
                aria-labelledby=ids.label.clone() aria-describedby=ids.messages.clone()
                aria-invalid=move || if messages.with(|m| shows_error(m, reveal.get())) { "true" } else { "false" }
                prop:value=move || value.get()
                on:input=move |ev| lens.write(record, event_target_value(&ev))></textarea>
        </Question>
    }
}
