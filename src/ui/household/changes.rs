//! `有变化`: on a follow-up visit, the fields that differ from the household's previous
//! visit, listed above the form (the form may also mark each field through
//! [`PreviousVisit::is_changed`](super::PreviousVisit::is_changed)).

use leptos::prelude::*;

use super::related::PreviousVisit;
use crate::core::transfer::field_label;
use crate::ui::editor::Editing;
use crate::ui::router::Route;

/// The list of what changed since the previous visit (nothing on a first visit).
#[component]
pub fn ChangesSummary() -> impl IntoView {
    let Some(prev) = use_context::<PreviousVisit>() else { return ().into_any() };
    let Editing { record, .. } = expect_context::<Editing>();
    (move || {
        let previous = prev.record.get()?;
        let changed = prev.changed.get();
        let when = previous.visit.date.map(|d| d.format("%Y-%m-%d").to_string()).unwrap_or_else(|| "上次".into());
        let href = Route::Editor(previous.id.to_string()).href();
        let items = record.with(|h| {
            changed.iter().map(|p| (p.clone(), field_label(p, Some(h)).unwrap_or_else(|| p.clone()))).collect::<Vec<_>>()
        });
        let n = items.len();
        let open = n > 0 && n <= 12;
        Some(view! {
            <details class="changes card" data-changes=n open=open>
                <summary>
                    "与上次入户（" <a href=href>{when}</a> "）相比："
                    {if n == 0 { "没有变化".to_string() } else { format!("{n} 项有变化") }}
                </summary>
                <ul class="changes-list">
                    {items.into_iter().map(|(path, label)| view! {
                        <li data-path=path>{label}" "<span class="tag changed">"有变化"</span></li>
                    }).collect_view()}
                </ul>
            </details>
        })
    })
    .into_any()
}
