//! `与花名册不同`: on a record made from a roster draft (`roster` key,
//! `core::roster::prefill`), the answers the surveyor changed against what the roster
//! prefilled (`prefill::changed_against_roster`: a changed answer, a member the roster does not
//! list, a roster person no longer listed; an answer the roster left open and the visit gave is
//! not a change). Shown the way a follow-up visit shows `有变化` (`ui::household::changes`): a
//! list above the form, and every form element whose `data-path` changed marked by a generated
//! style sheet (an orange edge and a `与花名册不同` tag; adopted through CSSOM,
//! `parts::adopted_style`, as the page's Content-Security-Policy blocks `<style>` elements),
//! so the form's code is untouched.
//!
//! On a follow-up visit (a previous visit of the household exists) the `有变化` marks against
//! that visit are shown instead: the previous visit is what the surveyor checks against then,
//! and two tags on one field would say two things at once.
//!
//! In the surveyor's bundle (`ruhu-app`): it needs only the drafts' code, not the reader.

use leptos::prelude::*;

use crate::core::roster::prefill::{changed_against_roster, origin, ORIGIN_KEY};
use crate::core::transfer::field_label;
use crate::ui::editor::Editing;
use crate::ui::household::changes::changed_selectors;
use crate::ui::household::PreviousVisit;
use crate::ui::parts::adopted_style;

/// The list of what differs from the roster, and the style sheet marking those fields (nothing
/// for a record without a `roster` key, or on a follow-up visit).
#[component]
pub fn RosterChanges() -> impl IntoView {
    let Editing { record, .. } = expect_context::<Editing>();
    let previous = use_context::<PreviousVisit>();
    let changed = Memo::new(move |_| {
        if previous.is_some_and(|p| p.record.with(|r| r.is_some())) {
            return Vec::new();
        }
        record.with(|h| {
            if h.extra.contains_key(ORIGIN_KEY) {
                changed_against_roster(h)
            } else {
                Vec::new()
            }
        })
    });
    let file = Memo::new(move |_| record.with(|h| origin(h).map(|o| o.file)));
    // The marks on the form (nothing without a roster origin; `changed` is empty on a
    // follow-up visit).
    adopted_style(move || {
        if file.with(Option::is_none) {
            return String::new();
        }
        let selectors = changed.with(|c| changed_selectors(c));
        if selectors.is_empty() {
            String::new()
        } else {
            let within: Vec<String> = selectors.iter().map(|s| format!(".editor {s}")).collect();
            let first: Vec<String> =
                within.iter().map(|s| format!("{s} > :first-child::after")).collect();
            format!(
                "{} {{ box-shadow: inset 3px 0 0 #a05a00; padding-left: 0.5rem; }}\n{} {{ content: \"与花名册不同\"; display: inline-block; margin-left: 0.4rem; padding: 0 0.45rem; font-size: 0.75rem; font-weight: 600; line-height: 1.5; color: #7a4300; background: #fff0dc; border-radius: 999px; }}",
                within.join(",\n"),
                first.join(",\n")
            )
        }
    });
    move || {
        let file = file.get()?;
        if previous.is_some_and(|p| p.record.with(|r| r.is_some())) {
            return None;
        }
        let items = changed.with(|c| {
            record.with(|h| {
                c.iter()
                    .map(|p| (p.clone(), field_label(p, Some(h)).unwrap_or_else(|| p.clone())))
                    .collect::<Vec<_>>()
            })
        });
        let n = items.len();
        let open = n > 0 && n <= 12;
        Some(view! {
            <details class="changes card roster-changes" data-roster-changes=n open=open>
                <summary>
                    {format!("预填自花名册（{file}）。与花名册相比：")}
                    {if n == 0 { "没有改动".to_string() } else { format!("{n} 项有改动") }}
                </summary>
                <ul class="changes-list">
                    {items.into_iter().map(|(path, label)| view! {
                        <li data-roster-change=path>{label}" "<span class="tag roster-changed">"与花名册不同"</span></li>
                    }).collect_view()}
                </ul>
            </details>
        })
    }
}
