//! `有变化`: on a follow-up visit, the fields that differ from the household's previous
//! visit, listed above the form, and marked on the form itself: every element of the editor
//! with a `data-path` attribute (the form's questions) whose path changed gets a blue edge
//! and a `有变化` tag, by a generated style sheet ([`ChangedFieldStyles`], adopted by the
//! document through CSSOM, `parts::adopted_style`: the page's Content-Security-Policy blocks a
//! `<style>` element) — so fields are marked whenever they are rendered, without touching the
//! form's code. A form that marks
//! fields itself can use [`PreviousVisit::is_changed`](super::PreviousVisit::is_changed)
//! instead (then drop the style sheet).

use leptos::prelude::*;

use super::related::PreviousVisit;
use crate::core::transfer::field_label;
use crate::ui::editor::Editing;
use crate::ui::parts::adopted_style;
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
            <ChangedFieldStyles/>
            <details class="changes card" data-changes=n open=open>
                <summary>
                    "与上次入户（" <a href=href>{when}</a> "）相比："
                    {if n == 0 { "没有变化".to_string() } else { format!("{n} 项有变化") }}
                </summary>
                <ul class="changes-list">
                    {items.into_iter().map(|(path, label)| view! {
                        <li data-change=path>{label}" "<span class="tag changed">"有变化"</span></li>
                    }).collect_view()}
                </ul>
            </details>
        })
    })
    .into_any()
}

/// CSS selectors of the elements whose `data-path` is a changed path or lies inside one
/// (`members[3]` also marks `members[3].name`). Paths are the engine's (ASCII names, dots,
/// brackets, digits); anything else (`members-removed:…`) is skipped.
pub fn changed_selectors(changed: &[String]) -> Vec<String> {
    let safe = |p: &str| {
        !p.is_empty()
            && p.bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'[' | b']'))
    };
    changed
        .iter()
        .filter(|p| safe(p))
        .flat_map(|p| {
            [
                format!(r#"[data-path="{p}"]"#),
                format!(r#"[data-path^="{p}."]"#),
                format!(r#"[data-path^="{p}["]"#),
            ]
        })
        .collect()
}

/// The style sheet that marks changed fields in the editor (see the module comment); it
/// renders nothing itself.
#[component]
pub fn ChangedFieldStyles() -> impl IntoView {
    let Some(prev) = use_context::<PreviousVisit>() else { return };
    let css = move || {
        let selectors = prev.changed.with(|c| changed_selectors(c));
        if selectors.is_empty() {
            return String::new();
        }
        let within: Vec<String> = selectors.iter().map(|s| format!(".editor {s}")).collect();
        let all = within.join(",\n");
        let first: Vec<String> =
            within.iter().map(|s| format!("{s} > :first-child::after")).collect();
        format!(
            "{all} {{ box-shadow: inset 3px 0 0 #1d4391; padding-left: 0.5rem; }}\n{} {{ content: \"有变化\"; display: inline-block; margin-left: 0.4rem; padding: 0 0.45rem; font-size: 0.75rem; font-weight: 600; line-height: 1.5; color: #1d4391; background: #e6efff; border-radius: 999px; }}",
            first.join(",\n")
        )
    };
    adopted_style(css);
}
