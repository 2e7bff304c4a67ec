//! A date answer (`YYYY-MM-DD`) with the phone's date picker.

use chrono::NaiveDate;
use leptos::prelude::*;

use super::{field_context, messages_at, question::shows_error, Lens, Question, QuestionIds};
use crate::ui::editor::Editing;

/// A date; clearing the picker makes the answer empty.
#[component]
pub fn DateInput(
    lens: Lens<Option<NaiveDate>>,
    #[prop(optional)] code: &'static str,
    #[prop(into)] label: String,
    #[prop(optional)] hint: &'static str,
) -> impl IntoView {
    let Editing { record, .. } = expect_context::<Editing>();
    let value = lens.memo(record);
    let messages = messages_at(lens.path.clone());
    let reveal = field_context().reveal_missing;
    let ids = QuestionIds::new(&lens.path);
    let path = lens.path.clone();
    view! {
        <Question path=path.clone() messages=messages code=code label=label hint=hint>
            <input type="date" name=path
                aria-labelledby=ids.label.clone() aria-describedby=ids.messages.clone()
                aria-invalid=move || if messages.with(|m| shows_error(m, reveal.get())) { "true" } else { "false" }
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
