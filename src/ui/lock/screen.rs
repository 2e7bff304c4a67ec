//! The lock screen: an input 密码 and 解锁, mounted alone (the page's app is not mounted and
//! no record is read until it opens). A wrong PIN says how many wrong ones there were and
//! how long to wait; 解锁 stays disabled while the wait runs (it survives a reload: the count
//! is stored, `super::Attempts`).

use leptos::prelude::*;

use super::{unlock, Attempts, Refused};

/// The lock screen; `opened` is called once the key is held.
#[component]
pub fn LockScreen(opened: Callback<()>) -> impl IntoView {
    let secret = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    let message = RwSignal::new(None::<String>);
    let progress = RwSignal::new(None::<String>);
    // The time now, ticking while a wait runs.
    let now = RwSignal::new(js_sys::Date::now());
    let until = RwSignal::new({
        let a = Attempts::load();
        js_sys::Date::now() + a.left_ms()
    });
    let tick = set_interval_with_handle(
        move || {
            now.set(js_sys::Date::now());
        },
        std::time::Duration::from_millis(250),
    )
    .ok();
    on_cleanup(move || {
        if let Some(t) = tick {
            t.clear();
        }
    });
    let left_s = move || ((until.get() - now.get()) / 1000.0).ceil().max(0.0);
    let waiting = move || left_s() > 0.0;

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() || waiting() {
            return;
        }
        let pin = secret.get_untracked();
        if pin.is_empty() {
            message.set(Some("请输入应用锁密码。".to_string()));
            return;
        }
        busy.set(true);
        message.set(None);
        leptos::task::spawn_local(async move {
            let result = unlock(&pin, move |done, total| {
                progress.set(Some(format!("正在转换本机数据… {done}/{total}")));
            })
            .await;
            busy.set(false);
            match result {
                Ok(()) => {
                    secret.set(String::new());
                    opened.run(());
                }
                Err(Refused::Wait(ms)) => {
                    until.set(js_sys::Date::now() + ms);
                    now.set(js_sys::Date::now());
                }
                Err(Refused::Wrong { failed, wait_s }) => {
                    secret.set(String::new());
                    until.set(js_sys::Date::now() + wait_s * 1000.0);
                    now.set(js_sys::Date::now());
                    message.set(Some(format!("密码不对（已错 {failed} 次）。")));
                }
                Err(Refused::Failed(e)) => message.set(Some(e)),
            }
        });
    };

    view! {
        <main id="main" class="lock-screen">
            <section class="page" aria-labelledby="lock-h">
                <h1 id="lock-h">"应用已上锁"</h1>
                <p class="muted">"本机的记录已加密保存。请输入应用锁密码解锁。"</p>
                <form on:submit=submit>
                    <label class="field">
                        <span>"密码"</span>
                        <input type="password" name="lock-secret" autocomplete="current-password"
                            prop:value=move || secret.get()
                            on:input=move |ev| secret.set(event_target_value(&ev))/>
                    </label>
                    <button type="submit" class="button primary big"
                        prop:disabled=move || busy.get() || waiting()>"解锁"</button>
                </form>
                {move || message.get().map(|m| view! { <p class="alert" role="alert">{m}</p> })}
                {move || waiting().then(|| view! {
                    <p class="warn" role="status" data-testid="lock-wait">
                        {move || format!("请等 {} 秒后再试。", left_s())}
                    </p>
                })}
                {move || busy.get().then(|| view! {
                    <p class="muted" role="status">{move || progress.get().unwrap_or_else(|| "正在解锁…".to_string())}</p>
                })}
                <details class="lock-forgot">
                    <summary>"忘记密码？"</summary>
                    <p>
                        "应用锁没有后门：忘记密码，本机加密保存的记录就再也打不开，谁也无法找回。"
                        "只能在浏览器的网站设置中清除本网站的数据，然后重新开始；"
                        "还没有送达乡镇的记录会随之丢失。"
                    </p>
                </details>
            </section>
        </main>
    }
}
