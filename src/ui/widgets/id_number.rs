//! A6 证件号码 on the numeric keyboard, with an `X` key beside it.
//!
//! Why numeric + an X key rather than the text keyboard: 17 of 18 characters (and 19 of 20 on
//! a 残疾人证) are digits, and the numeric pad puts them under the thumb in big keys; the
//! check character is `X` in about 1 ID of 11, and one tap on the key beside the field types
//! it at the caret without closing the keyboard. The text keyboard would make every digit a
//! long-press or a layout switch on most Chinese IMEs. A lower-case `x` typed on a hardware or
//! text keyboard is stored as `X`, as the format asks.

use leptos::prelude::*;

use super::{Field, Lens, Question};
use crate::core::id_number::normalise;

/// Inserts `X` into `text` at the character range `start..end` (the caret or a selection);
/// returns the new text and the caret after the X.
pub fn insert_x(text: &str, start: usize, end: usize) -> (String, usize) {
    let chars: Vec<char> = text.chars().collect();
    let start = start.min(chars.len());
    let end = end.clamp(start, chars.len());
    let mut out: String = chars[..start].iter().collect();
    out.push('X');
    out.extend(&chars[end..]);
    (out, start + 1)
}

/// The ID number of a member; `children` shows what the number tells (birth date, age, sex).
#[component]
pub fn IdNumberInput(
    lens: Lens<String>,
    #[prop(optional)] code: &'static str,
    #[prop(into)] label: String,
    #[prop(optional)] hint: &'static str,
    #[prop(optional)] children: Option<Children>,
) -> impl IntoView {
    let Field { record, value, messages, error, ids, path } = Field::new(&lens);
    let input: NodeRef<leptos::html::Input> = NodeRef::new();
    let write = {
        let lens = lens.clone();
        move |text: &str| {
            let stored = normalise(text);
            if stored != value.get_untracked() {
                lens.write(record, stored);
            }
        }
    };
    let type_x = {
        let write = write.clone();
        move |_| {
            let Some(el) = input.get() else { return };
            let text = el.value();
            let len = text.chars().count();
            let start = el.selection_start().ok().flatten().map(|n| n as usize).unwrap_or(len);
            let end = el.selection_end().ok().flatten().map(|n| n as usize).unwrap_or(start);
            let (next, caret) = insert_x(&text, start, end);
            el.set_value(&next);
            write(&next);
            let _ = el.focus();
            let _ = el.set_selection_range(caret as u32, caret as u32);
        }
    };
    view! {
        <Question path=path.clone() messages=messages code=code label=label hint=hint>
            <div class="with-key">
                <input type="text" inputmode="numeric" autocomplete="off" spellcheck="false" maxlength="24"
                    class="id-number" node_ref=input name=path
                    aria-labelledby=ids.label.clone() aria-describedby=ids.messages.clone()
                    aria-invalid=move || error.attr()
                    prop:value=move || value.get()
                    on:input=move |ev| write(&event_target_value(&ev))/>
                <button type="button" class="key-x" aria-label="输入X"
                    on:pointerdown=|ev| ev.prevent_default()
                    on:click=type_x>"X"</button>
            </div>
            {children.map(|c| c())}
        </Question>
    }
}
