//! Digits: a phone number (text kept as typed, numeric keyboard) and a whole count of months.

use leptos::prelude::*;

use super::{Field, Lens, Question, TextInput};

/// A number typed on a phone's number pad and kept as text. `inputmode` is `numeric` by
/// default; 户主联系电话 uses `tel`, the dial pad, which also has the hyphen of a landline
/// (`0470-4612345`, as the phone rule's message shows; `04704612345` is accepted too).
#[component]
pub fn NumericInput(
    lens: Lens<String>,
    #[prop(optional)] code: &'static str,
    #[prop(into)] label: String,
    #[prop(optional)] hint: &'static str,
    #[prop(default = "off")] autocomplete: &'static str,
    #[prop(default = "numeric")] inputmode: &'static str,
) -> impl IntoView {
    view! { <TextInput lens=lens code=code label=label hint=hint inputmode=inputmode autocomplete=autocomplete/> }
}

/// A count typed as text: blank is unanswered, whole numbers are the answer, anything else
/// is an error (shown at the field; the answer stays empty).
pub fn parse_count(text: &str) -> Result<Option<u32>, std::num::ParseIntError> {
    let t = text.trim();
    if t.is_empty() {
        return Ok(None);
    }
    t.parse::<u32>().map(Some)
}

/// A whole count (A36 贷款期限（月）, A49 月数).
#[component]
pub fn CountInput(
    lens: Lens<Option<u32>>,
    #[prop(optional)] code: &'static str,
    #[prop(into)] label: String,
    #[prop(optional)] hint: &'static str,
    #[prop(default = "个月")] unit: &'static str,
) -> impl IntoView {
    let Field { record, value, messages, error, ids, path } = Field::new(&lens);
    let text = RwSignal::new(value.get_untracked().map(|n| n.to_string()).unwrap_or_default());
    Effect::new(move |_| {
        let v = value.get();
        if text.with_untracked(|t| parse_count(t).ok().flatten()) != v {
            text.set(v.map(|n| n.to_string()).unwrap_or_default());
        }
    });
    let bad = move || text.with(|t| parse_count(t).is_err());
    view! {
        <Question path=path.clone() messages=messages code=code label=label hint=hint>
            <div class="with-unit">
                <input type="text" inputmode="numeric" autocomplete="off" name=path
                    aria-labelledby=ids.label.clone() aria-describedby=ids.messages.clone()
                    aria-invalid=move || if bad() || error.get() { "true" } else { "false" }
                    prop:value=move || text.get()
                    on:input=move |ev| {
                        let typed = event_target_value(&ev);
                        let n = parse_count(&typed).ok().flatten();
                        text.set(typed);
                        if n != value.get_untracked() {
                            lens.write(record, n);
                        }
                    }/>
                <span class="unit">{unit}</span>
            </div>
            {move || bad().then(|| view! { <p class="q-msg error">"请填写整数"</p> })}
        </Question>
    }
}
