//! 设置 › 应用锁: turn the app lock on (`新密码`, `确认新密码`, `开启应用锁`, then `确定`),
//! change its PIN (`当前密码`, `新密码`, `确认新密码`, `修改密码`) or turn it off
//! (`当前密码`, `关闭应用锁`, then `确定`). Before the lock is set the section says plainly
//! what a forgotten PIN costs — the households on this phone that the township has not
//! received (`未送达乡镇 N 户`, `store::exchange::not_received`, as the home list counts it) —
//! and offers to export every record first (`先导出全部记录`). What the lock does is
//! `ui::lock`; the encryption is `store::vault`.

use leptos::prelude::*;

/// The section, in the bundles built with the lock (feature `vault`); nothing elsewhere.
pub fn section() -> AnyView {
    #[cfg(feature = "vault")]
    {
        view! { <AppLock/> }.into_any()
    }
    #[cfg(not(feature = "vault"))]
    {
        ().into_any()
    }
}

#[cfg(feature = "vault")]
#[component]
fn AppLock() -> impl IntoView {
    use std::collections::HashMap;

    use crate::store::RecordStore;
    use crate::ui::lock;
    use crate::ui::transfer::{provide_transfer_context, run_export, ExportResult};

    provide_transfer_context();
    let on = RwSignal::new(lock::is_set());
    let current = RwSignal::new(String::new());
    let new = RwSignal::new(String::new());
    let again = RwSignal::new(String::new());
    let confirming = RwSignal::new(None::<&'static str>);
    let busy = RwSignal::new(None::<String>);
    let message = RwSignal::new(None::<(bool, String)>);
    let not_received = RwSignal::new(None::<Result<usize, String>>);

    let store = crate::ui::expect_store();
    leptos::task::spawn_local(async move {
        let count = async {
            let records = store.list().await.map_err(|e| e.to_string())?;
            let metas: HashMap<_, _> =
                store.list_meta().await.map_err(|e| e.to_string())?.into_iter().collect();
            Ok(crate::store::exchange::not_received(&records, &metas).len())
        }
        .await;
        not_received.try_set(Some(count));
    });

    let progress = move |done: u32, total: u32| {
        busy.set(Some(format!("正在转换本机数据… {done}/{total}")));
    };
    let clear = move || {
        current.set(String::new());
        new.set(String::new());
        again.set(String::new());
    };
    let ask_on = move |_| {
        message.set(None);
        match lock::check_secret(&new.get_untracked(), &again.get_untracked()) {
            Ok(()) => confirming.set(Some("on")),
            Err(e) => message.set(Some((false, e))),
        }
    };
    let ask_off = move |_| {
        message.set(None);
        if current.get_untracked().is_empty() {
            message.set(Some((false, "请先输入当前密码。".to_string())));
        } else {
            confirming.set(Some("off"));
        }
    };
    let change = move |_| {
        message.set(None);
        let (cur, n, a) = (current.get_untracked(), new.get_untracked(), again.get_untracked());
        if cur.is_empty() {
            message.set(Some((false, "请先输入当前密码。".to_string())));
            return;
        }
        if let Err(e) = lock::check_secret(&n, &a) {
            message.set(Some((false, e)));
            return;
        }
        busy.set(Some("正在修改密码…".to_string()));
        leptos::task::spawn_local(async move {
            let r = lock::change(&cur, &n).await;
            busy.set(None);
            match r {
                Ok(()) => {
                    clear();
                    message.set(Some((true, "密码已修改。下次解锁请用新密码。".to_string())));
                }
                Err(e) => message.set(Some((false, e))),
            }
        });
    };
    let confirm = move |_| {
        let Some(what) = confirming.get_untracked() else { return };
        confirming.set(None);
        busy.set(Some(
            if what == "on" { "正在开启应用锁…" } else { "正在关闭应用锁…" }.to_string(),
        ));
        let (cur, n) = (current.get_untracked(), new.get_untracked());
        leptos::task::spawn_local(async move {
            let r = if what == "on" {
                lock::turn_on(&n, progress).await
            } else {
                lock::turn_off(&cur, progress).await
            };
            busy.set(None);
            on.set(lock::is_set());
            match r {
                Ok(()) => {
                    clear();
                    message.set(Some((
                        true,
                        if what == "on" {
                            "应用锁已开启：本机保存的记录、历史、设置和报告草稿都已加密。"
                                .to_string()
                        } else {
                            "应用锁已关闭：本机数据不再加密。".to_string()
                        },
                    )));
                }
                Err(e) => message.set(Some((false, e))),
            }
        });
    };

    let cost = move || {
        match not_received.get() {
        None => "正在统计乡镇还没有收到的记录…".to_string(),
        Some(Err(e)) => format!("无法统计乡镇还没有收到的记录：{e}"),
        Some(Ok(0)) => "本机的记录乡镇都已收到（未送达乡镇 0 户）。".to_string(),
        Some(Ok(n)) => format!(
            "本机有 {n} 户的记录乡镇还没有收到（未送达乡镇 {n} 户）：忘记密码，这些记录就永远丢失了。请先导出，送达乡镇。"
        ),
    }
    };
    let secret_input =
        |label: &'static str, name: &'static str, value: RwSignal<String>, auto: &'static str| {
            view! {
                <label class="field">
                    <span>{label}</span>
                    <input type="password" name=name autocomplete=auto
                        prop:value=move || value.get()
                        on:input=move |ev| value.set(event_target_value(&ev))/>
                </label>
            }
        };
    let idle = move || busy.get().is_none();

    view! {
        <section class="card app-lock" aria-labelledby="lock-h" data-testid="app-lock">
            <h2 id="lock-h">"应用锁"</h2>
            {move || if on.get() {
                view! {
                    <p class="ok" data-testid="lock-state">"应用锁已开启：本机数据加密保存。打开应用、或在后台超过 5 分钟后，要输入密码。"</p>
                    {secret_input("当前密码", "lock-current", current, "current-password")}
                    {secret_input("新密码", "lock-new", new, "new-password")}
                    {secret_input("确认新密码", "lock-again", again, "new-password")}
                    <div class="button-row">
                        <button type="button" class="button" on:click=change prop:disabled=move || !idle()>"修改密码"</button>
                        <button type="button" class="button" on:click=ask_off prop:disabled=move || !idle()>"关闭应用锁"</button>
                    </div>
                }.into_any()
            } else {
                view! {
                    <p data-testid="lock-state">"开启后，打开应用、或在后台超过 5 分钟后，要输入密码；本机保存的记录、历史、设置和报告草稿都加密保存。"</p>
                    <p class="warn" data-testid="lock-cost">
                        "忘记密码就再也打不开本机的记录（没有后门，谁也无法找回）。"{cost}
                    </p>
                    <button type="button" class="button" on:click=move |_| {
                        run_export(|records| crate::ui::editor::journal::with_unsaved(
                            records,
                            &crate::ui::device::id(),
                            crate::core::record::Timestamp(crate::ui::clock::now()),
                        ))
                    }>"先导出全部记录"</button>
                    <ExportResult/>
                    {secret_input("新密码", "lock-new", new, "new-password")}
                    {secret_input("确认新密码", "lock-again", again, "new-password")}
                    <p class="muted">"至少 6 位数字，或至少 8 个字符的密码短语（越长越安全）。"</p>
                    <button type="button" class="button primary" on:click=ask_on prop:disabled=move || !idle()>"开启应用锁"</button>
                }.into_any()
            }}
            {move || confirming.get().map(|what| view! {
                <div class="warn lock-confirm" role="alertdialog" aria-labelledby="lock-confirm-h">
                    <p id="lock-confirm-h">
                        {if what == "on" {
                            view! { "确定开启应用锁？请记住密码：忘记密码，本机的记录就再也打不开。"{cost} }.into_any()
                        } else {
                            view! { "确定关闭应用锁？关闭后本机数据不再加密，拿到手机的人就能看到。" }.into_any()
                        }}
                    </p>
                    <div class="button-row">
                        <button type="button" class="button primary" on:click=confirm>"确定"</button>
                        <button type="button" class="button" on:click=move |_| confirming.set(None)>"取消"</button>
                    </div>
                </div>
            })}
            {move || busy.get().map(|b| view! { <p class="muted" role="status">{b}</p> })}
            {move || message.get().map(|(ok, m)| if ok {
                view! { <p class="ok" role="status">{m}</p> }.into_any()
            } else {
                view! { <p class="alert" role="alert">{m}</p> }.into_any()
            })}
        </section>
    }
}
