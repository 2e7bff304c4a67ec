//! One answer from a `codes!` enumeration, with its Chinese labels: tappable chips for a
//! handful of choices, a native picker (`<select>`) for long lists.
//!
//! The generic [`Choice`] only maps the enumeration to indices; the view is built once, by the
//! non-generic [`choice_view`] (one copy of the view code in the wasm, not one per enum).

use leptos::prelude::*;

use super::{Code, Field, Lens, Question};

/// More choices than this become a `<select>`.
const CHIPS_MAX: usize = 6;

/// A lens on an enumeration answer as a lens on the index of the value in `T::all()`.
pub fn index_lens<T: Code>(lens: Lens<Option<T>>) -> Lens<Option<usize>> {
    lens.map(
        |v: Option<T>| v.and_then(|v| T::all().iter().position(|x| *x == v)),
        |i: Option<usize>| i.and_then(|i| T::all().get(i).copied()),
    )
}

/// The labels of an enumeration, in order.
pub fn labels<T: Code>() -> Vec<&'static str> {
    T::all().iter().map(|v| v.label()).collect()
}

/// A single choice (A1, A4, A5, A7, A9, A11–A13, A32 grade, A47).
#[component]
pub fn Choice<T: Code>(
    lens: Lens<Option<T>>,
    #[prop(optional)] code: &'static str,
    #[prop(into)] label: String,
    #[prop(optional)] hint: &'static str,
    /// Offers `None` as a choice of its own with this label (A13: `不外出务工`).
    #[prop(optional)]
    none_label: Option<&'static str>,
    /// Forces a `<select>` (long labels or many choices).
    #[prop(optional)]
    select: bool,
    /// Lays chips out one per line (long labels).
    #[prop(optional)]
    column: bool,
) -> impl IntoView {
    let codes: Vec<&'static str> = T::all().iter().map(|v| v.code()).collect();
    choice_view(
        index_lens(lens),
        codes,
        labels::<T>(),
        code,
        label,
        hint,
        none_label,
        select,
        column,
    )
}

/// The view of a single choice over indices.
#[allow(clippy::too_many_arguments)]
pub fn choice_view(
    lens: Lens<Option<usize>>,
    codes: Vec<&'static str>,
    labels: Vec<&'static str>,
    code: &'static str,
    label: String,
    hint: &'static str,
    none_label: Option<&'static str>,
    select: bool,
    column: bool,
) -> AnyView {
    let Field { record, value, messages, error, ids, path } = Field::new(&lens);
    let invalid = move || error.attr();
    let as_select = select || labels.len() + usize::from(none_label.is_some()) > CHIPS_MAX;

    let control = if as_select {
        let empty = none_label.unwrap_or("请选择");
        let options = labels
            .iter()
            .zip(&codes)
            .enumerate()
            .map(|(i, (&text, &code))| view! { <option value=code prop:selected=move || value.get() == Some(i)>{text}</option> })
            .collect_view();
        view! {
            <select class="pick" aria-labelledby=ids.label.clone() aria-describedby=ids.messages.clone()
                aria-invalid=invalid
                on:change=move |ev| {
                    let v = event_target_value(&ev);
                    lens.write(record, codes.iter().position(|c| *c == v));
                }>
                <option value="" prop:selected=move || value.get().is_none()>{empty}</option>
                {options}
            </select>
        }
        .into_any()
    } else {
        let chip = move |v: Option<usize>, text: &'static str| {
            let lens = lens.clone();
            view! {
                <button type="button" role="radio" class="chip"
                    aria-checked=move || if value.get() == v { "true" } else { "false" }
                    on:click=move |_| {
                        if value.get_untracked() != v {
                            lens.write(record, v);
                        }
                    }>
                    {text}
                </button>
            }
        };
        let mut chips: Vec<_> =
            labels.iter().enumerate().map(|(i, &text)| chip.clone()(Some(i), text)).collect();
        if let Some(text) = none_label {
            chips.push(chip(None, text));
        }
        view! {
            <div class=if column { "chips column" } else { "chips" } role="radiogroup"
                aria-labelledby=ids.label.clone() aria-describedby=ids.messages.clone() aria-invalid=invalid>
                {chips}
            </div>
        }
        .into_any()
    };
    view! {
        <Question path=path.clone() messages=messages code=code label=label hint=hint>
            {control}
        </Question>
    }
    .into_any()
}
