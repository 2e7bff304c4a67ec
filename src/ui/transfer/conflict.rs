//! Conflicts, side by side, until a person resolves them (issue 13). A conflict is an incoming
//! state edited apart from ours (`core::merge`): the import keeps it in the store
//! (`store::exchange`, a *standing* conflict) and changes nothing of ours; it stands — listed on
//! the home page under 待处理的冲突 ([`StandingConflicts`], with a count at the top of the
//! page, on the start page and on the office's pages) — until a person chooses here. Nothing
//! is merged silently, whatever the revision numbers say.
//!
//! The card shows a table of the fields that differ (`core::transfer::differences`: a JSON diff
//! of the two records without `computed` and `lineage`, members and attachments matched by
//! `id`, labelled with the form's names and values — `第2位成员（敖文华） · A12 劳动技能 |
//! 普通劳动力 | 弱劳动力或半劳动力`), 本机 beside 文件, and which revision and when each side
//! was saved. On a phone (under 600 px, `style/records.css`) each row shows the field's name on
//! a line of its own and the two values below it, half the width each (a CSS grid on the rows;
//! explicit ARIA table roles keep it a table for screen readers).
//!
//! The three choices, each a **new state descending from both** (`core::lineage::resolve`, on
//! this device), so that either old state met later — on this phone or another — is an older
//! state (未变), and the choice wins wherever the record goes next:
//! - `保留本机` (`core::transfer::keep_local`): our content;
//! - `采用文件` (`core::transfer::take_incoming`): the incoming record as it came (every key,
//!   `updated_at`, status);
//! - `逐项选择`: a checkbox per field, then `按所选保存` (`core::transfer::pick`): our record
//!   with the ticked fields taken from the file (a member's field into our member with that
//!   id; a member only one side has, added or removed).
//!
//! "Ours" is what the store holds at the moment of the choice (it may have been saved since
//! the import). The resolution is put and the conflict removed (`store::exchange::resolve`);
//! our previous state stays in the history.

use leptos::prelude::*;

use super::expect_transfer;
use crate::core::record::Household;
use crate::core::transfer::{self, Conflict};
use crate::store::exchange::{self, Standing};
use crate::store::RecordStore;
use crate::ui::{device, expect_store};

/// What the person chose.
#[derive(Clone, Debug, PartialEq)]
enum Choice {
    Open,
    Picking,
    Working,
    TookIncoming,
    KeptLocal,
    Picked,
    Failed(String),
}

/// How the person resolves.
#[derive(Clone, Copy, Debug, PartialEq)]
enum How {
    Local,
    Incoming,
    Pick,
}

/// A standing conflict as the card shows it: against the stored record.
pub fn of_standing(local: Household, s: Standing) -> Conflict {
    let differences = transfer::differences(&local, &s.incoming);
    Conflict { file: s.file, local, incoming: s.incoming, differences, local_file: None }
}

/// The conflicts that stand on this phone, each as a card (nothing when there is none).
#[component]
pub fn StandingConflicts(list: Vec<(Household, Standing)>) -> impl IntoView {
    (!list.is_empty()).then(|| {
        let n = list.len();
        view! {
            <section id="conflicts" class="standing-conflicts card" data-count=n>
                <h2>{format!("待处理的冲突 {n} 条")}</h2>
                <p class="muted small">"同一户在两处分别修改过。两个版本都已保存，请逐条比较后选择：保留本机、采用文件，或逐项选择。选择前本机记录不会被替换。"</p>
                {list.into_iter().map(|(local, s)| view! { <ConflictView conflict=of_standing(local, s)/> }).collect_view()}
            </section>
        }
    })
}

/// `冲突待处理 N` at the top of a page, scrolling to the list (nothing when none stands).
#[component]
pub fn ConflictCount(count: usize) -> impl IntoView {
    (count > 0).then(|| {
        let go = move |_| {
            if let Some(el) = document().get_element_by_id("conflicts") {
                el.scroll_into_view();
            }
        };
        view! {
            <p class="conflict-count warn" role="status" data-count=count>
                {format!("有 {count} 条冲突待处理：两个版本都已保存，需要您选择。")}
                <button type="button" class="button small" on:click=go>"去处理"</button>
            </p>
        }
    })
}

/// The side-by-side view of one conflict with its choices.
#[component]
pub fn ConflictView(conflict: Conflict) -> impl IntoView {
    let store = expect_store();
    let t = expect_transfer();
    let choice = RwSignal::new(Choice::Open);
    let picked = RwSignal::new(std::collections::BTreeSet::<String>::new());
    let Conflict { file, local, incoming, differences, .. } = conflict;
    // The household as this phone knows it (the differences say what the file has).
    let title = {
        let village = if local.address.village.is_empty() {
            "（未填村）"
        } else {
            local.address.village.as_str()
        };
        let head =
            if local.head_name().is_empty() { "（未填户主）" } else { local.head_name() };
        format!("{village} {head}")
    };
    let sub = format!(
        "本机：第 {} 版，{} 修改 · 文件（{}）：第 {} 版，{} 修改",
        local.revision,
        local.updated_at.0.format("%m-%d %H:%M"),
        file,
        incoming.revision,
        incoming.updated_at.0.format("%m-%d %H:%M")
    );
    let resolve = Callback::new(move |how: How| {
        let store = store.clone();
        let incoming = incoming.clone();
        let take: Vec<String> = picked.get_untracked().into_iter().collect();
        choice.set(Choice::Working);
        leptos::task::spawn_local(async move {
            let result = async {
                // On top of whatever the phone holds now (it may have been saved since).
                let now = store.get(incoming.id).await.map_err(|e| e.to_string())?;
                let ours = now.as_ref().unwrap_or(&incoming);
                let me = device::id();
                let r = match how {
                    How::Incoming => transfer::take_incoming(ours, &incoming, &me),
                    How::Local => transfer::keep_local(ours, &incoming, &me),
                    How::Pick => {
                        let take: Vec<&str> = take.iter().map(String::as_str).collect();
                        transfer::pick(ours, &incoming, &take, &me)?
                    }
                };
                exchange::resolve(&store, &r).await.map_err(|e| e.to_string())
            }
            .await;
            match result {
                Ok(()) => {
                    let (done, note) = match how {
                        How::Incoming => (Choice::TookIncoming, "已采用文件的版本"),
                        How::Local => (Choice::KeptLocal, "已保留本机的版本"),
                        How::Pick => (Choice::Picked, "已按所选保存"),
                    };
                    choice.set(done);
                    // The page reads the store again (the card goes with the conflict): the
                    // note stays on the page.
                    t.resolved.set(Some(note.to_string()));
                    t.changed.notify();
                }
                Err(e) => choice.set(Choice::Failed(e)),
            }
        });
    });
    let picking = move || choice.get() == Choice::Picking;
    let rows = differences
        .into_iter()
        .map(|d| {
            let path = d.path.clone();
            let can_pick = path != "revision";
            let toggle = {
                let path = path.clone();
                move |ev| {
                    let on = event_target_checked(&ev);
                    let path = path.clone();
                    picked.update(|p| {
                        if on {
                            p.insert(path);
                        } else {
                            p.remove(&path);
                        }
                    });
                }
            };
            let label = d.label.clone();
            view! {
                <tr role="row" data-path=d.path.clone()>
                    <th role="rowheader" scope="row">
                        {move || (picking() && can_pick).then(|| view! {
                            <input type="checkbox" class="pick" aria-label=format!("采用文件的：{label}")
                                on:change=toggle.clone()/>
                        })}
                        {d.label}
                    </th>
                    <td role="cell" class="local">{d.local}</td>
                    <td role="cell" class="incoming">{d.incoming}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <article class="conflict card" data-record=local.id.to_string() data-choice=move || match choice.get() {
            Choice::Open | Choice::Working | Choice::Picking => "open",
            Choice::TookIncoming => "incoming",
            Choice::KeptLocal => "local",
            Choice::Picked => "picked",
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
                            <th role="columnheader" scope="col">"文件"</th>
                        </tr>
                    </thead>
                    <tbody role="rowgroup">{rows}</tbody>
                </table>
            </div>
            {move || match choice.get() {
                Choice::Open | Choice::Failed(_) => view! {
                    <div class="actions">
                        <button type="button" class="button" on:click=move |_| resolve.run(How::Local)>"保留本机"</button>
                        <button type="button" class="button" on:click=move |_| resolve.run(How::Incoming)>"采用文件"</button>
                        <button type="button" class="button" on:click=move |_| choice.set(Choice::Picking)>"逐项选择"</button>
                    </div>
                    {match choice.get_untracked() {
                        Choice::Failed(e) => Some(view! { <p class="alert" role="alert">{format!("没有保存：{e}")}</p> }),
                        _ => None,
                    }}
                }
                .into_any(),
                Choice::Picking => view! {
                    <p class="muted small">"勾选要采用文件版本的项目，其余保留本机的。"</p>
                    <div class="actions">
                        <button type="button" class="button primary" on:click=move |_| resolve.run(How::Pick)>"按所选保存"</button>
                        <button type="button" class="button" on:click=move |_| choice.set(Choice::Open)>"取消"</button>
                    </div>
                }
                .into_any(),
                Choice::Working => view! { <p class="muted">"正在保存…"</p> }.into_any(),
                Choice::TookIncoming => view! { <p class="ok" role="status">"已采用文件的版本"</p> }.into_any(),
                Choice::KeptLocal => view! { <p class="ok" role="status">"已保留本机的版本"</p> }.into_any(),
                Choice::Picked => view! { <p class="ok" role="status">"已按所选保存"</p> }.into_any(),
            }}
        </article>
    }
}

/// On the office's pages: how many conflicts stand on this device, with a way to them (the
/// home list of the surveyor's app, where they are resolved). The figures count the stored
/// state of such a record until a person has chosen.
#[component]
pub fn ConflictNotice() -> impl IntoView {
    let store = expect_store();
    let count = RwSignal::new(0usize);
    leptos::task::spawn_local(async move {
        if let Ok(list) = exchange::standing(&store).await {
            count.try_set(list.len());
        }
    });
    move || {
        let n = count.get();
        (n > 0).then(|| {
            view! {
                <p class="conflict-count warn" role="status" data-count=n>
                    {format!("有 {n} 条冲突待处理：汇总按本机的版本计算，请先选择保留哪个版本。")}
                    // Straight to the full app's list, where the conflicts are (not the start page).
                <a class="button small" href=format!("{}#/", crate::ui::router::SURVEYOR_PAGE)>"去处理"</a>
                </p>
            }
        })
    }
}
