//! A row of printed tick boxes, as on the paper form (□ 是 ■ 否).

use leptos::prelude::*;

/// The options with their tick state; a ticked box is filled.
#[component]
pub fn Choices(options: Vec<(String, bool)>) -> impl IntoView {
    options
        .into_iter()
        .map(|(label, on)| {
            view! {
                <span class="choice" class:on=on data-on=on.to_string()>
                    <span class="box" aria-hidden="true"></span>{label}
                </span>
            }
        })
        .collect_view()
}

/// 是 / 否 for a yes-no answer (neither ticked when unanswered).
pub fn yes_no(answer: Option<bool>) -> Vec<(String, bool)> {
    vec![("是".to_string(), answer == Some(true)), ("否".to_string(), answer == Some(false))]
}

/// Every option of a code list, ticked when chosen.
pub fn of<T: Copy + PartialEq>(all: &[T], chosen: &[T], label: impl Fn(T) -> &'static str) -> Vec<(String, bool)> {
    all.iter().map(|&x| (label(x).to_string(), chosen.contains(&x))).collect()
}
