//! Free text (names, notes): what is typed is what is kept.

use leptos::prelude::*;

use super::{Field, Lens, Question};

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
    let Field { record, value, messages, error, ids, path } = Field::new(&lens);
    view! {
        <Question path=path.clone() messages=messages code=code label=label hint=hint>
            <input type="text" inputmode=inputmode autocomplete=autocomplete placeholder=placeholder
                name=path
                aria-labelledby=ids.label.clone() aria-describedby=ids.messages.clone()
                aria-invalid=move || error.attr()
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
    let Field { record, value, messages, error, ids, path } = Field::new(&lens);
    view! {
        <Question path=path.clone() messages=messages code=code label=label hint=hint>
            <textarea rows=rows placeholder=placeholder name=path
                aria-labelledby=ids.label.clone() aria-describedby=ids.messages.clone()
                aria-invalid=move || error.attr()
                prop:value=move || value.get()
                on:input=move |ev| lens.write(record, event_target_value(&ev))></textarea>
        </Question>
    }
}
