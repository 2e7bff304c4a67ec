//! 设置 › 乡镇公钥: the township's public key (`age1…`) that every export of this phone is
//! sealed to (`ui::seal`). Kept when the input loses focus or on `保存`, only once
//! `core::seal::parse_recipient` accepts it: a bad key is said in Chinese (its reason: not
//! `age1…`, a private key, wrong length, a mistyped character) and the key in use stays.
//! `清除公钥` is the only way to stop sealing (said plainly).

use leptos::prelude::*;

use super::SettingsContext;
use crate::core::config::short_key;
use crate::ui::seal;

/// The 乡镇公钥 card.
#[component]
pub fn TownshipKey() -> impl IntoView {
    let SettingsContext { settings, .. } = expect_context::<SettingsContext>();
    let draft = RwSignal::new(settings.with_untracked(|s| s.township_key.clone()));
    let error = RwSignal::new(None::<String>);
    let note = RwSignal::new(None::<String>);

    let save = move || {
        let text = draft.get_untracked();
        let current = settings.with_untracked(|s| s.township_key.clone());
        note.set(None);
        if text.trim().is_empty() {
            error.set((!current.is_empty()).then(|| {
                "乡镇公钥为空，没有保存；原来的公钥仍在使用（不再加密请点“清除公钥”）".to_string()
            }));
            return;
        }
        match seal::check_recipient(&text) {
            Ok(key) => {
                error.set(None);
                if key != current {
                    settings.update(|s| s.township_key = key.clone());
                    note.set(Some("乡镇公钥已保存".to_string()));
                }
                draft.set(key);
            }
            Err(e) => {
                let kept = if current.is_empty() {
                    "没有保存"
                } else {
                    "没有保存，原来的公钥仍在使用"
                };
                error.set(Some(format!("{e}（{kept}）")));
            }
        }
    };
    let clear = move |_| {
        settings.update(|s| s.township_key.clear());
        draft.set(String::new());
        error.set(None);
        note.set(Some("已清除乡镇公钥：此后导出的文件不再加密".to_string()));
    };
    let key = move || settings.with(|s| s.township_key.clone());

    view! {
        <section class="card township-key" aria-labelledby="township-key-h">
            <h2 id="township-key-h">"加密导出"</h2>
            <p data-testid="township-key-state" class=move || if key().is_empty() { "warn" } else { "ok" }>
                {move || {
                    let k = key();
                    if k.is_empty() {
                        "未设置乡镇公钥：导出的文件不加密，任何拿到文件的人都能看到其中的个人信息。".to_string()
                    } else {
                        format!("已设置（{}）：导出和分享的文件都已加密，只有乡镇能打开。", short_key(&k))
                    }
                }}
            </p>
            <label class="field">
                <span>"乡镇公钥"</span>
                <input type="text" name="township-key" autocomplete="off" spellcheck="false"
                    autocapitalize="none" placeholder="age1…"
                    prop:value=move || draft.get()
                    on:input=move |ev| draft.set(event_target_value(&ev))
                    on:change=move |_| save()/>
            </label>
            {move || error.get().map(|e| view! { <p class="alert" role="alert">{e}</p> })}
            {move || note.get().map(|n| view! { <p class="muted" role="status">{n}</p> })}
            <div class="actions">
                <button type="button" class="button" on:click=move |_| save()>"保存"</button>
                {move || (!key().is_empty()).then(|| view! {
                    <button type="button" class="button" on:click=clear>"清除公钥"</button>
                })}
            </div>
            <p class="muted small">"公钥由乡镇乡村振兴办公室提供（以 age1 开头），也可以通过“导入乡镇配置”设置。"</p>
        </section>
    }
}
