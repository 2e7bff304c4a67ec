//! 清除本机数据 (issue 14, part 9): the hand-over wipe, before the phone goes to another
//! cadre. In 设置, after the person types `清除` and taps 清除本机数据:
//!
//! 1. **What the township has not received** is listed first: every household whose records
//!    the township has not received in their current state, by the same rule as the home
//!    list's `未送达乡镇 N 户` (`store::exchange::not_received`, on `core::visits`'
//!    households and `core::receipt`'s statuses; nothing is judged here), with `先导出这些记录`
//!    (all their visits, the ordinary export: `ui::transfer::run_export_records`) and the number of
//!    records with unsaved edits (the editor's journal). Then `确定清除` or `取消`.
//! 2. **Everything is removed**: every IndexedDB database of the origin (`store::wipe`: the
//!    records, their history, marks, receipts and conflicts, the start page's snapshot and
//!    stash, the office's records and roster), localStorage (settings, the device id, the
//!    journal, report drafts, anything another version left) and sessionStorage. The app
//!    itself stays: the service worker's registration and its Cache Storage, so the emptied
//!    app still opens offline. Then the page goes to the start page, empty.
//! 3. **Other tabs** of the app are told on the `BroadcastChannel` (`store::broadcast::
//!    post_wipe`): each forgets its own sessionStorage and reloads (public/sw-register.js).
//!    A tab that was saving as it went may write once more on its way out or as it loads
//!    again, so the wipe runs twice: tell, wait 300 ms, delete, clear; again. Whatever a
//!    reloading tab wrote in between is gone in the second pass, and it loads again into the
//!    empty store.
//!
//! The page's own `<html>` carries `data-wiping` meanwhile, so that its own post does not
//! reload it. Tested end to end in `tests/e2e/specs/wipe.spec.mjs`.

use std::collections::HashMap;
use std::sync::Arc;

use leptos::prelude::*;
use uuid::Uuid;
use wasm_bindgen_futures::JsFuture;

use super::SettingsContext;
use crate::core::listing;
use crate::core::policy::Policy;
use crate::core::record::Household;
use crate::store::exchange;
use crate::store::{AnyStore, RecordMeta, RecordStore};
use crate::ui::transfer::{provide_transfer_context, run_export_records, ExportResult};
use crate::ui::{clock, editor::journal, expect_store};

/// What the person types to confirm.
const CONFIRM: &str = "清除";

/// The households the township has not received, and their records.
#[derive(Debug, Clone, PartialEq)]
struct Unsent {
    /// `(村, 户主, visits)` per household, in list order.
    households: Vec<(String, String, usize)>,
    /// Every visit of those households (what `先导出这些记录` exports).
    records: Vec<Household>,
    /// Records with edits not saved yet (the editor's journal).
    unsaved: usize,
}

#[derive(Debug, Clone, PartialEq)]
enum Step {
    /// The confirmation is asked.
    Ask,
    /// Reading the store.
    Checking,
    /// What would be lost is shown (or why it could not be read).
    Listed(Result<Arc<Unsent>, String>),
    /// Deleting; `slow` once it has taken a while.
    Wiping { slow: bool },
    /// The wipe failed (nothing reloads).
    Failed(String),
}

async fn unsent(store: AnyStore, policy: Policy) -> Result<Unsent, String> {
    let records = store.list().await.map_err(|e| e.to_string())?;
    let metas: HashMap<Uuid, RecordMeta> =
        store.list_meta().await.map_err(|e| e.to_string())?.into_iter().collect();
    let entries = listing::entries(&records, &policy, clock::today());
    let unsent = exchange::not_received(&records, &metas);
    let not_received: Vec<&listing::Entry> =
        entries.iter().filter(|e| unsent.contains(&e.household_id)).collect();
    let households = not_received
        .iter()
        .map(|e| (e.village_label().to_string(), e.head_label().to_string(), e.visits.len()))
        .collect();
    let records = listing::records_of(not_received.iter().copied())
        .into_iter()
        .map(|i| records[i].clone())
        .collect();
    Ok(Unsent { households, records, unsaved: journal::ids().len() })
}

async fn sleep(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        if let Some(w) = web_sys::window() {
            let _ = w.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms);
        }
    });
    let _ = JsFuture::from(promise).await;
}

/// Removes everything (see the module docs), then opens the emptied start page.
async fn wipe_device() -> Result<(), String> {
    let window = web_sys::window().ok_or("没有浏览器窗口")?;
    if let Some(root) = window.document().and_then(|d| d.document_element()) {
        let _ = root.set_attribute("data-wiping", "");
    }
    for _ in 0..2 {
        crate::store::broadcast::post_wipe();
        sleep(300).await;
        crate::store::wipe::delete_every_database().await.map_err(|e| e.to_string())?;
        for storage in [window.local_storage(), window.session_storage()] {
            if let Ok(Some(s)) = storage {
                s.clear().map_err(|_| "浏览器的本地存储无法清除".to_string())?;
            }
        }
    }
    window.location().replace("./").map_err(|_| "无法重新打开应用".to_string())
}

/// 清除本机数据: the confirmation, the list of what the township has not received, the wipe.
#[component]
pub fn WipeData() -> impl IntoView {
    provide_transfer_context();
    let SettingsContext { settings, .. } = expect_context::<SettingsContext>();
    let store = expect_store();
    let typed = RwSignal::new(String::new());
    let step = RwSignal::new(Step::Ask);
    let confirmed = move || typed.with(|t| t.trim() == CONFIRM);

    let check = move |_| {
        if !confirmed() {
            return;
        }
        step.set(Step::Checking);
        let store = store.clone();
        let policy = settings.with_untracked(|s| s.policy.clone());
        leptos::task::spawn_local(async move {
            step.set(Step::Listed(unsent(store, policy).await.map(Arc::new)));
        });
    };
    let wipe = move |_| {
        step.set(Step::Wiping { slow: false });
        leptos::task::spawn_local(async move {
            sleep(5000).await;
            if step.with_untracked(|s| matches!(s, Step::Wiping { .. })) {
                step.set(Step::Wiping { slow: true });
            }
        });
        leptos::task::spawn_local(async move {
            if let Err(e) = wipe_device().await {
                if let Some(root) = document().document_element() {
                    let _ = root.remove_attribute("data-wiping");
                }
                step.set(Step::Failed(format!(
                    "清除没有完成：{e}。请关闭本应用的其他窗口后重试。"
                )));
            }
        });
    };
    let cancel = move |_| {
        typed.set(String::new());
        step.set(Step::Ask);
    };

    let listed = move |unsent: Result<Arc<Unsent>, String>| {
        match unsent {
        Ok(u) if u.households.is_empty() => view! {
            <p class="ok" data-testid="wipe-unsent" data-count="0">"乡镇已收到本机的全部记录。"</p>
        }
        .into_any(),
        Ok(u) => {
            let records = u.records.clone();
            let export = move |_| run_export_records(records.clone());
            view! {
                <p class="warn" data-testid="wipe-unsent" data-count=u.households.len()>
                    {format!("乡镇尚未收到以下 {} 户（{} 条记录），清除后无法找回：", u.households.len(), u.records.len())}
                </p>
                <ul class="wipe-list">
                    {u.households.iter().map(|(village, head, visits)| view! {
                        <li>{format!("{village} · {head}")}{(*visits > 1).then(|| format!("（{visits} 次入户）"))}</li>
                    }).collect_view()}
                </ul>
                <button type="button" class="button" on:click=export>"先导出这些记录"</button>
                <ExportResult/>
            }
            .into_any()
        }
        Err(e) => view! {
            <p class="alert" role="alert">{format!("无法读取本机记录，不能列出乡镇尚未收到的记录：{e}")}</p>
        }
        .into_any(),
    }
    };
    let unsaved =
        move |u: &Result<Arc<Unsent>, String>| {
            let n = u.as_ref().map(|u| u.unsaved).unwrap_or(0);
            (n > 0).then(|| view! {
            <p class="warn">{format!("另有 {n} 条记录有尚未保存的修改，清除后也会丢失。")}</p>
        })
        };

    view! {
        <section class="card wipe" aria-labelledby="wipe-h">
            <h2 id="wipe-h">"清除本机数据"</h2>
            <p class="muted">"把手机交给他人前使用：删除本机的全部入户记录、历史版本、设置、导出和回执标记。应用本身保留，清除后仍可离线打开。清除后无法恢复。"</p>
            {move || match step.get() {
                Step::Ask => view! {
                    <label class="field">
                        <span>{format!("请输入“{CONFIRM}”确认")}</span>
                        <input type="text" name="wipe-confirm" autocomplete="off"
                            prop:value=move || typed.get()
                            on:input=move |ev| typed.set(event_target_value(&ev))/>
                    </label>
                    <button type="button" class="button danger" disabled=move || !confirmed() on:click=check.clone()>
                        "清除本机数据"
                    </button>
                }
                .into_any(),
                Step::Checking => view! { <p class="muted" role="status">"正在查看乡镇尚未收到的记录…"</p> }.into_any(),
                Step::Listed(u) => view! {
                    <div role="status">
                        {listed(u.clone())}
                        {unsaved(&u)}
                    </div>
                    <div class="actions">
                        <button type="button" class="button danger" on:click=wipe>"确定清除"</button>
                        <button type="button" class="button" on:click=cancel>"取消"</button>
                    </div>
                }
                .into_any(),
                Step::Wiping { slow } => view! {
                    <p class="muted" role="status">"正在清除本机数据…"</p>
                    {slow.then(|| view! { <p class="warn">"仍在等待：如在其他窗口打开了本应用，请关闭它们。"</p> })}
                }
                .into_any(),
                Step::Failed(e) => view! {
                    <p class="alert" role="alert">{e}</p>
                    <button type="button" class="button" on:click=cancel>"返回"</button>
                }
                .into_any(),
            }}
        </section>
    }
}
