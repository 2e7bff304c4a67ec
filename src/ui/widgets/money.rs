//! Money in yuan (A21–A28, A36 万元) with the decimal keyboard. The text typed is kept as typed
//! in the field; the record gets `Money::parse` of it, so an invalid text is kept as
//! `Money::Invalid` and the engine's `money-invalid` finding shows its Chinese problem here.

use leptos::prelude::*;

use super::{Field, Lens, Question};
use crate::core::money::Money;

/// The answer for a typed text: blank is unanswered, anything else is kept (valid or not).
pub fn parse_money(text: &str) -> Option<Money> {
    if text.trim().is_empty() {
        None
    } else {
        Some(Money::parse(text))
    }
}

/// A money answer.
#[component]
pub fn MoneyInput(
    lens: Lens<Option<Money>>,
    #[prop(optional)] code: &'static str,
    #[prop(into)] label: String,
    #[prop(optional)] hint: &'static str,
    /// The unit after the input.
    #[prop(default = "元")]
    unit: &'static str,
) -> impl IntoView {
    let Field { record, value, messages, error, ids, path } = Field::new(&lens);
    // What the surveyor typed (`1,200`, `12.5`, `12a`): shown as typed, not as the file writes it.
    let text = RwSignal::new(value.get_untracked().map(|m| m.to_text()).unwrap_or_default());
    // A change from elsewhere (undo, another field's skip logic) replaces the text.
    Effect::new(move |_| {
        let v = value.get();
        if text.with_untracked(|t| parse_money(t)) != v {
            text.set(v.map(|m| m.to_text()).unwrap_or_default());
        }
    });
    view! {
        <Question path=path.clone() messages=messages code=code label=label hint=hint>
            <div class="with-unit">
                <input type="text" inputmode="decimal" autocomplete="off" name=path
                    aria-labelledby=ids.label.clone() aria-describedby=ids.messages.clone()
                    aria-invalid=move || error.attr()
                    prop:value=move || text.get()
                    on:input=move |ev| {
                        let typed = event_target_value(&ev);
                        let money = parse_money(&typed);
                        text.set(typed);
                        if money != value.get_untracked() {
                            lens.write(record, money);
                        }
                    }/>
                <span class="unit">{unit}</span>
            </div>
        </Question>
    }
}
