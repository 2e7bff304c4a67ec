//! 历史版本 (`/h/:id/history`): the saved states of one record, newest first (the store
//! keeps the last 20), what each save changed, and `恢复此版本`, which saves that state's
//! content as a new revision (nothing is lost: the state restored over stays in the history).
//!
//! Each state shows its revision, time and status and what that save changed (labels from
//! `core::transfer::differences` against the state before it, ignoring `revision` and
//! `updated_at`); the newest is `当前版本`. `恢复此版本` is `core::transfer::restore`: revision
//! `max(current, state) + 1`, `updated_at` now, one save of this device on top of the current
//! state (`lineage`), saved through the store like any edit.

use leptos::prelude::*;
use uuid::Uuid;

use crate::core::record::Household;
use crate::core::transfer::{self, differences};
use crate::store::{RecordStore, HISTORY_LIMIT};
use crate::ui::router::Route;
use crate::ui::{clock, device, expect_store};

/// Keys every save changes; not worth listing as "what changed".
const NOISE: [&str; 2] = ["revision", "updated_at"];

/// The history page of record `id`.
#[component]
pub fn HistoryPage(id: String) -> impl IntoView {
    let Ok(uuid) = Uuid::parse_str(&id) else {
        return view! { <section class="page"><h1>"找不到这条记录"</h1></section> }.into_any();
    };
    let store = expect_store();
    let reload = Trigger::new();
    let message = RwSignal::new(None::<String>);
    let loaded = crate::ui::load::load(move || {
        reload.track();
        let store = store.clone();
        async move {
            let current = store.get(uuid).await.map_err(|e| e.to_string())?;
            let states = store.history(uuid).await.map_err(|e| e.to_string())?;
            Ok::<_, String>((current, states))
        }
    });
    let writer = expect_store();
    let restore = move |state: Household| {
        let store = writer.clone();
        leptos::task::spawn_local(async move {
            let result = async {
                let current = store.get(state.id).await?.unwrap_or_else(|| state.clone());
                let restored = transfer::restore(&current, &state, clock::now(), &device::id());
                store.put(&restored).await.map(|()| restored.revision)
            }
            .await;
            message.set(Some(match result {
                Ok(rev) => format!("已恢复第 {} 版的内容，保存为第 {rev} 版。", state.revision),
                Err(e) => format!("没有恢复：{e}"),
            }));
            reload.notify();
        });
    };
    let restore = Callback::new(restore);
    (move || match loaded.get() {
        None => view! { <p class="page muted">"正在读取…"</p> }.into_any(),
        Some(Err(e)) => view! { <section class="page"><p class="alert" role="alert">{e}</p></section> }.into_any(),
        Some(Ok((None, _))) => view! { <section class="page"><h1>"找不到这条记录"</h1></section> }.into_any(),
        Some(Ok((Some(current), states))) => {
            let title = format!(
                "{} {}",
                if current.address.village.is_empty() { "（未填村）" } else { current.address.village.as_str() },
                current.head_name()
            );
            let household = Route::Household(current.household_id.to_string()).href();
            let editor = Route::Editor(current.id.to_string()).href();
            let n = states.len();
            let items = states
                .iter()
                .enumerate()
                .map(|(i, state)| {
                    let older = states.get(i + 1);
                    let is_current = i == 0 && state.revision == current.revision;
                    view! { <StateItem state=state.clone() older=older.cloned() is_current=is_current restore=restore/> }
                })
                .collect_view();
            view! {
                <section class="page history">
                    <p><a class="back" href=editor>"‹ 返回记录"</a>" · "<a href=household>"本户各次入户"</a></p>
                    <h1>"历史版本"</h1>
                    <p class="muted">{title}{format!(" · 保存过的最近 {n} 个版本（最多保留 {HISTORY_LIMIT} 个），新的在前")}</p>
                    {move || message.get().map(|m| view! { <p class="ok" role="status">{m}</p> })}
                    <ol class="states">{items}</ol>
                </section>
            }
            .into_any()
        }
    })
    .into_any()
}

/// One saved state: revision, time, status, what it changed, and 恢复此版本.
#[component]
fn StateItem(
    state: Household,
    older: Option<Household>,
    is_current: bool,
    restore: Callback<Household>,
) -> impl IntoView {
    let what = match &older {
        None => "最早保存的版本".to_string(),
        Some(o) => {
            let diffs: Vec<_> = differences(o, &state)
                .into_iter()
                .filter(|d| !NOISE.contains(&d.path.as_str()))
                .collect();
            let labels: Vec<&str> = diffs.iter().map(|d| d.label.as_str()).collect();
            match diffs.len() {
                0 => "内容没有变化".to_string(),
                // A few: with the values (`村：霍日里村 → 哈力村`).
                1..=3 => {
                    let each: Vec<String> = diffs
                        .iter()
                        .map(|d| format!("{}：{} → {}", d.label, d.local, d.incoming))
                        .collect();
                    format!("改了 {}", each.join("；"))
                }
                n if n > 6 => format!("改了 {}等 {n} 项", labels[..6].join("、")),
                _ => format!("改了 {}", labels.join("、")),
            }
        }
    };
    let head = format!(
        "第 {} 版 · {} · {}",
        state.revision,
        state.updated_at.0.format("%Y-%m-%d %H:%M:%S"),
        state.status.label()
    );
    let revision = state.revision;
    view! {
        <li class="state" data-revision=revision>
            <p class="state-head"><strong>{head}</strong>{is_current.then(|| view! { <span class="tag">"当前版本"</span> })}</p>
            <p class="muted small">{what}</p>
            {(!is_current).then(|| view! {
                <button type="button" class="button small" on:click=move |_| restore.run(state.clone())>"恢复此版本"</button>
            })}
        </li>
    }
}
