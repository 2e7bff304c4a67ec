//! A date answer (`YYYY-MM-DD`) with the phone's date picker.

use chrono::NaiveDate;
use leptos::prelude::*;

use super::{Field, Lens, Question};

/// A date; clearing the picker makes the answer empty.
#[component]
pub fn DateInput(
    lens: Lens<Option<NaiveDate>>,
    #[prop(optional)] code: &'static str,
    #[prop(into)] label: String,
    #[prop(optional)] hint: &'static str,
) -> impl IntoView {
    let Field { record, value, messages, error, ids, path } = Field::new(&lens);
    view! {
        <Question path=path.clone() messages=messages code=code label=label hint=hint>
            <input type="date" name=path
                aria-labelledby=ids.label.clone() aria-describedby=ids.messages.clone()
                aria-invalid=move || error.attr()
                prop:value=move || value.get().map(|d| d.format("%Y-%m-%d").to_string()).unwrap_or_default()
                on:input=move |ev| {
                    let text = event_target_value(&ev);
                    let date = NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").ok();
                    if date != value.get_untracked() {
                        lens.write(record, date);
                    }
                }/>
        </Question>
    }
}
