//! Several answers from a `codes!` enumeration as checkboxes (A10, A31 问题, A33, measure items).
//!
//! Like [`super::Choice`], the generic [`MultiCheck`] maps values to indices and the view is
//! built once, by the non-generic [`multi_check_view`].

use leptos::prelude::*;

use super::{choice::labels, messages_at, Code, Lens, Question, QuestionIds};
use crate::ui::editor::Editing;

/// Toggles `v` in `list`; `exclusive` (A10 健康) stands alone: choosing it clears the others,
/// choosing another clears it. New choices go to the end (A33: the first is the main risk).
pub fn toggle<T: PartialEq + Copy>(list: &mut Vec<T>, v: T, on: bool, exclusive: Option<T>) {
    if on {
        if !list.contains(&v) {
            match exclusive {
                Some(x) if x == v => list.clear(),
                Some(x) => list.retain(|&y| y != x),
                None => {}
            }
            list.push(v);
        }
    } else {
        list.retain(|&y| y != v);
    }
}

/// A lens on a list of enumeration values as a lens on their indices in `T::all()` (order kept).
pub fn indices_lens<T: Code>(lens: Lens<Vec<T>>) -> Lens<Vec<usize>> {
    lens.map(
        |list: Vec<T>| list.iter().filter_map(|v| T::all().iter().position(|x| x == v)).collect(),
        |list: Vec<usize>| list.into_iter().filter_map(|i| T::all().get(i).copied()).collect(),
    )
}

/// A multiple choice.
#[component]
pub fn MultiCheck<T: Code>(
    lens: Lens<Vec<T>>,
    #[prop(optional)] code: &'static str,
    #[prop(into)] label: String,
    #[prop(optional)] hint: &'static str,
    /// The choice that excludes the others.
    #[prop(optional)]
    exclusive: Option<T>,
    /// Marks the first choice as 主要 (A33).
    #[prop(optional)]
    first_is_main: bool,
    /// Lays the boxes out one per line (long labels).
    #[prop(optional)]
    column: bool,
) -> impl IntoView {
    let codes: Vec<&'static str> = T::all().iter().map(|v| v.code()).collect();
    let exclusive = exclusive.and_then(|x| T::all().iter().position(|v| *v == x));
    multi_check_view(
        indices_lens(lens),
        codes,
        labels::<T>(),
        code,
        label,
        hint,
        exclusive,
        first_is_main,
        column,
    )
}

/// The view of a multiple choice over indices.
#[allow(clippy::too_many_arguments)]
pub fn multi_check_view(
    lens: Lens<Vec<usize>>,
    codes: Vec<&'static str>,
    labels: Vec<&'static str>,
    code: &'static str,
    label: String,
    hint: &'static str,
    exclusive: Option<usize>,
    first_is_main: bool,
    column: bool,
) -> AnyView {
    let Editing { record, .. } = expect_context::<Editing>();
    let value = lens.memo(record);
    let messages = messages_at(lens.path.clone());
    let ids = QuestionIds::new(&lens.path);
    let path = lens.path.clone();
    let boxes = labels
        .iter()
        .zip(codes)
        .enumerate()
        .map(|(i, (&text, code))| {
            let lens = lens.clone();
            let checked = move || value.with(|l| l.contains(&i));
            let main = move || first_is_main && value.with(|l| l.first() == Some(&i));
            view! {
                <label class="check-chip" class:main=main>
                    <input type="checkbox" value=code prop:checked=checked
                        on:change=move |ev| {
                            let on = event_target_checked(&ev);
                            let mut list = value.get_untracked();
                            toggle(&mut list, i, on, exclusive);
                            lens.write(record, list);
                        }/>
                    <span>{text}</span>
                    {move || main().then(|| view! { <em class="main-mark">"主要"</em> })}
                </label>
            }
        })
        .collect_view();
    view! {
        <Question path=path.clone() messages=messages code=code label=label hint=hint>
            <div class=if column { "checks column" } else { "checks" } role="group"
                aria-labelledby=ids.label.clone() aria-describedby=ids.messages.clone()>
                {boxes}
            </div>
        </Question>
    }
    .into_any()
}
