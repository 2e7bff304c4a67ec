//! One import conflict, side by side: the fields that differ, ours beside theirs, and the
//! person's choice — `用导入的` (the incoming record is written as it came, its revision set
//! to `max(ours, theirs) + 1` and its lineage descending from both, so the choice wins
//! wherever the record goes next) or
//! `保留本机的` (nothing is written).
//!
//! The card shows a table of the fields that differ (`core::transfer::differences`: a JSON diff
//! of the two records without `computed`, members and attachments matched by `id`, labelled
//! with the form's names and values — `第2位成员（敖文华） · A12 劳动技能 | 普通劳动力 |
//! 弱劳动力或半劳动力`), and which revision and when each side was saved. On a phone (under
//! 600 px, `style/records.css`) each row shows the field's name on a line of its own and the
//! two values below it, half the width each (a CSS grid on the rows; explicit ARIA table roles
//! keep it a table for screen readers): in three columns a value had 85 px and an 11-digit
//! phone number wrapped. Nothing is written until a person chooses:
//!
//! - `用导入的` (`core::transfer::take_incoming`, on this device): every key, `updated_at` and
//!   status as it came; "ours" is what the store holds at the moment of the choice. Its
//!   lineage descends from both sides and its revision is above both: the choice wins the next
//!   time the records meet — on this phone a later import of either old version is an older
//!   state (stale, never a silent overwrite), and on the other phone our export is a plain
//!   update. Our previous state stays in the history.
//! - `保留本机的`: nothing is written (yet), so the other phone sees the conflict again when it
//!   imports ours, and a later import of theirs here is a conflict again. The core has the
//!   resolution that would settle it, `core::transfer::keep_local` (our content as a new state
//!   descending from both); the conflict UI of issue 13 is to write it, and to keep the other
//!   state until a person has chosen.

use leptos::prelude::*;

use super::expect_transfer;
use crate::core::transfer::{self, Conflict};
use crate::store::RecordStore;
use crate::ui::{device, expect_store};

/// What the person chose.
#[derive(Clone, Debug, PartialEq)]
enum Choice {
    Open,
    Working,
    TookIncoming,
    KeptLocal,
    Failed(String),
}

/// The side-by-side view of one conflict with its two choices.
#[component]
pub fn ConflictView(conflict: Conflict) -> impl IntoView {
    let store = expect_store();
    let t = expect_transfer();
    let choice = RwSignal::new(Choice::Open);
    let Conflict { file, local, incoming, differences, .. } = conflict;
    let title = {
        let village = if incoming.address.village.is_empty() {
            "（未填村）"
        } else {
            incoming.address.village.as_str()
        };
        let head = if incoming.head_name().is_empty() {
            "（未填户主）"
        } else {
            incoming.head_name()
        };
        format!("{village} {head}")
    };
    let sub = format!(
        "本机：第 {} 版，{} 修改 · 导入（{}）：第 {} 版，{} 修改",
        local.revision,
        local.updated_at.0.format("%m-%d %H:%M"),
        file,
        incoming.revision,
        incoming.updated_at.0.format("%m-%d %H:%M")
    );
    let take = move |_| {
        let store = store.clone();
        let incoming = incoming.clone();
        choice.set(Choice::Working);
        leptos::task::spawn_local(async move {
            let result = async {
                // Above whatever the phone holds now (it may have been saved since the import).
                let now = store.get(incoming.id).await?;
                let base = now.as_ref().unwrap_or(&incoming);
                store.put(&transfer::take_incoming(base, &incoming, &device::id())).await
            }
            .await;
            match result {
                Ok(()) => {
                    choice.set(Choice::TookIncoming);
                    t.changed.notify();
                }
                Err(e) => choice.set(Choice::Failed(e.to_string())),
            }
        });
    };
    let keep = move |_| choice.set(Choice::KeptLocal);
    let rows = differences
        .into_iter()
        .map(|d| {
            view! {
                <tr role="row" data-path=d.path.clone()>
                    <th role="rowheader" scope="row">{d.label}</th>
                    <td role="cell" class="local">{d.local}</td>
                    <td role="cell" class="incoming">{d.incoming}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <article class="conflict card" data-record=local.id.to_string() data-choice=move || match choice.get() {
            Choice::Open | Choice::Working => "open",
            Choice::TookIncoming => "incoming",
            Choice::KeptLocal => "local",
            Choice::Failed(_) => "failed",
        }>
            <h3>{title}</h3>
            <p class="muted small">{sub}</p>
            // On a phone the CSS lays each row out as a grid (the field's name above its two
            // values); the explicit roles keep it a table for screen readers.
            <div class="diff-wrap">
                <table class="diff" role="table">
                    <thead role="rowgroup">
                        <tr role="row">
                            <th role="columnheader" scope="col">"项目"</th>
                            <th role="columnheader" scope="col">"本机"</th>
                            <th role="columnheader" scope="col">"导入"</th>
                        </tr>
                    </thead>
                    <tbody role="rowgroup">{rows}</tbody>
                </table>
            </div>
            {move || match choice.get() {
                Choice::Open | Choice::Failed(_) => view! {
                    <div class="actions">
                        <button type="button" class="button" on:click=take.clone()>"用导入的"</button>
                        <button type="button" class="button" on:click=keep>"保留本机的"</button>
                    </div>
                    {match choice.get_untracked() {
                        Choice::Failed(e) => Some(view! { <p class="alert" role="alert">{format!("没有保存：{e}")}</p> }),
                        _ => None,
                    }}
                }
                .into_any(),
                Choice::Working => view! { <p class="muted">"正在保存…"</p> }.into_any(),
                Choice::TookIncoming => view! { <p class="ok" role="status">"已改用导入的版本"</p> }.into_any(),
                Choice::KeptLocal => view! { <p class="ok" role="status">"已保留本机的版本"</p> }.into_any(),
            }}
        </article>
    }
}
