//! The household form. A placeholder until the real form replaces this file: it shows the
//! record's village and edits `address.village`, so the save path can be tested end to end.

use leptos::prelude::*;

use crate::ui::editor::Editing;

/// The form of the record in [`Editing`].
#[component]
pub fn Form() -> impl IntoView {
    let Editing { record, .. } = expect_context::<Editing>();
    let village = move || record.with(|h| h.address.village.clone());
    view! {
        <section class="form card">
            <p data-testid="village">"村：" {village}</p>
            <label class="field">
                <span>"村"</span>
                <input type="text" name="village" prop:value=village
                    on:input=move |ev| record.update(|h| h.address.village = event_target_value(&ev))/>
            </label>
        </section>
    }
}
