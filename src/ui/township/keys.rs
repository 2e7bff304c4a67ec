//! 密钥与配置 (`#/township/keys`): the township's key pair for sealed files, and below it the
//! township configuration ([`super::config_maker`]).
//!
//! - **Create** (`生成乡镇密钥`, once per device): a passphrase of at least 8 characters typed
//!   twice (`私钥口令`, `确认私钥口令`), then `ui::seal::create_key` — an age X25519 identity,
//!   locked under the passphrase (`core::seal::lock_identity`, scrypt 2^18: several seconds in
//!   the browser, 正在生成… painted first) — kept in the store's app values (`ui::seal`
//!   names them). A device that already keeps a key never makes another over it (checked
//!   again just before writing): sealed files made for the old one would be lost.
//! - **The public key** (`乡镇公钥`, `age1…`) is shown with `复制公钥`, to give to every
//!   surveyor (or put in the 乡镇配置 below).
//! - **Backup, once**: `下载私钥备份` saves the locked identity as
//!   `乡镇私钥备份-<乡镇>-<date>.txt` (what `age -d -i` reads, asking for the passphrase), then
//!   keeps when it was downloaded; from then on the page says 私钥备份已于 … 下载 and offers
//!   it no more (one copy to keep safe, not one in every download folder).
//! - **Restore** (`从备份恢复乡镇密钥`, on a device without a key: [`super::key_restore`]): the
//!   backup file and its passphrase; kept as if made here.

use leptos::prelude::*;

use super::config_maker::ConfigMaker;
use super::download::safe_name;
use super::key_restore::KeyRestore;
use crate::store::AppValues;
use crate::ui::seal::{self, StoredKey, BACKUP_KEY, IDENTITY_KEY, RECIPIENT_KEY};
use crate::ui::settings::SettingsContext;
use crate::ui::transfer::file;
use crate::ui::{clock, expect_store};

/// `乡镇私钥备份-额尔和乡-2026-12-04.txt`.
pub fn backup_file_name(township: &str, day: chrono::NaiveDate) -> String {
    let t = safe_name(township.trim());
    if t.is_empty() {
        format!("乡镇私钥备份-{day}.txt")
    } else {
        format!("乡镇私钥备份-{t}-{day}.txt")
    }
}

/// The 密钥与配置 tab.
#[component]
pub fn KeysPage() -> impl IntoView {
    let store = expect_store();
    let SettingsContext { settings, .. } = expect_context::<SettingsContext>();
    let key = RwSignal::new(None::<Result<StoredKey, String>>);
    let pass = RwSignal::new(String::new());
    let again = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let note = RwSignal::new(None::<String>);
    let working = RwSignal::new(false);

    {
        let store = store.clone();
        leptos::task::spawn_local(async move {
            let read = seal::stored_key(&store).await;
            key.try_set(Some(read));
        });
    }

    let create = {
        let store = store.clone();
        move || {
            if working.get_untracked() {
                return;
            }
            if !seal::AVAILABLE {
                error.set(Some("此页面不能生成密钥".into()));
                return;
            }
            let (p, a) = (pass.get_untracked(), again.get_untracked());
            if let Some(why) = seal::passphrase_problem(&p, &a) {
                error.set(Some(why));
                return;
            }
            error.set(None);
            working.set(true);
            let store = store.clone();
            // Paint 正在生成… before scrypt keeps the page busy.
            request_animation_frame(move || {
                set_timeout(
                    move || {
                        leptos::task::spawn_local(async move {
                            let result = async {
                                // Never over a key already kept (another tab may have made one).
                                if seal::stored_key(&store).await?.locked.is_some() {
                                    return Err("本机已有乡镇密钥，没有再生成（原来的密钥不变）"
                                        .to_string());
                                }
                                let created = clock::now().to_rfc3339();
                                let (recipient, locked) = seal::create_key(&p, &created);
                                store
                                    .put_app_values(&[
                                        (IDENTITY_KEY, &locked),
                                        (RECIPIENT_KEY, &recipient),
                                    ])
                                    .await
                                    .map_err(|e| format!("密钥没有保存：{e}"))?;
                                Ok(StoredKey {
                                    locked: Some(locked),
                                    recipient: Some(recipient),
                                    backup: None,
                                })
                            }
                            .await;
                            match result {
                                Ok(k) => {
                                    pass.set(String::new());
                                    again.set(String::new());
                                    note.set(Some("乡镇密钥已生成。请马上下载私钥备份。".into()));
                                    key.set(Some(Ok(k)));
                                }
                                Err(e) => {
                                    error.set(Some(e));
                                    key.set(Some(seal::stored_key(&store).await));
                                }
                            }
                            working.set(false);
                        });
                    },
                    std::time::Duration::from_millis(20),
                )
            });
        }
    };

    let backup = {
        let store = store.clone();
        move |_| {
            let Some(Ok(k)) = key.get_untracked() else { return };
            let (Some(locked), None) = (k.locked.clone(), k.backup.clone()) else { return };
            let township = settings.with_untracked(|s| s.township.clone());
            let name = backup_file_name(&township, clock::today());
            if let Err(e) = file::download(&name, &locked) {
                error.set(Some(format!("备份没有下载：{e}")));
                return;
            }
            let at = clock::now().format("%Y-%m-%d %H:%M").to_string();
            let store = store.clone();
            leptos::task::spawn_local(async move {
                match store.put_app_values(&[(BACKUP_KEY, &at)]).await {
                    Ok(()) => {
                        note.set(Some(format!("私钥备份已下载：{name}")));
                        key.set(Some(Ok(StoredKey { backup: Some(at), ..k })));
                    }
                    Err(e) => error.set(Some(format!("备份已下载，但下载记录没有保存：{e}"))),
                }
            });
        }
    };

    let copy = move |text: String| {
        leptos::task::spawn_local(async move {
            note.set(Some(if crate::ui::clipboard::copy(&text).await {
                "公钥已复制，可粘贴到微信发给排查人。".to_string()
            } else {
                "无法复制：请长按公钥手动复制。".to_string()
            }));
        })
    };

    let body = move || {
        match key.get() {
        None => view! { <p class="muted" role="status">"正在读取本机的乡镇密钥…"</p> }.into_any(),
        Some(Err(e)) => view! { <p class="alert" role="alert">{e}</p> }.into_any(),
        Some(Ok(StoredKey { locked: Some(_), recipient, backup: backed_up })) => {
            let recipient = recipient.unwrap_or_default();
            let to_copy = recipient.clone();
            let backup_part = match backed_up {
                Some(at) => view! {
                    <p class="ok" data-testid="backup-state">{format!(
                        "私钥备份已于 {at} 下载（只提供一次）。备份文件受口令保护，请存放在安全的地方；丢失私钥和备份，加密文件就再也打不开。"
                    )}</p>
                }
                .into_any(),
                None => view! {
                    <p class="warn" data-testid="backup-state">"私钥备份还没有下载：只能下载一次，请存到U盘等安全的地方。"</p>
                    <button type="button" class="button primary" on:click=backup.clone()>"下载私钥备份"</button>
                }
                .into_any(),
            };
            view! {
                <p>"乡镇公钥（发给各村排查人，填在他们的“设置 › 乡镇公钥”中）："</p>
                <p><code class="recipient" data-testid="recipient">{recipient}</code></p>
                <div class="actions">
                    <button type="button" class="button" on:click=move |_| copy(to_copy.clone())>"复制公钥"</button>
                </div>
                <p class="muted small">"私钥用口令加密后保存在本机浏览器中，导入加密文件时输入口令。清除浏览器数据会删掉它。"</p>
                {backup_part}
            }
            .into_any()
        }
        Some(Ok(_)) => view! {
            <p>"本机还没有乡镇密钥。生成后，把公钥发给各村排查人：他们导出的文件用公钥加密，只有本机（凭口令）或私钥备份能打开。"</p>
            <form on:submit={
                let create = create.clone();
                move |ev: leptos::ev::SubmitEvent| { ev.prevent_default(); create(); }
            }>
                <label class="field">
                    <span>"私钥口令"</span>
                    <input type="password" name="new-key-passphrase" autocomplete="new-password"
                        prop:value=move || pass.get() on:input=move |ev| pass.set(event_target_value(&ev))/>
                </label>
                <label class="field">
                    <span>"确认私钥口令"</span>
                    <input type="password" name="new-key-passphrase-again" autocomplete="new-password"
                        prop:value=move || again.get() on:input=move |ev| again.set(event_target_value(&ev))/>
                </label>
                <p class="muted small">"口令至少 8 个字符。忘记口令，私钥就无法使用，加密文件也打不开。"</p>
                <button type="submit" class="button primary" prop:disabled=move || working.get()>"生成乡镇密钥"</button>
            </form>
            <KeyRestore restored=Callback::new(move |k: StoredKey| {
                note.set(Some("乡镇密钥已从备份恢复：此前加密给乡镇的文件可以在本机打开。".into()));
                key.set(Some(Ok(k)));
            })/>
        }
        .into_any(),
    }
    };

    let recipient = Signal::derive(move || match key.get() {
        Some(Ok(StoredKey { locked: Some(_), recipient, .. })) => recipient,
        _ => None,
    });

    view! {
        <section class="card township-keys" aria-labelledby="keys-h">
            <h2 id="keys-h">"乡镇密钥（加密文件）"</h2>
            {body}
            {move || working.get().then(|| view! { <p class="muted" role="status">"正在生成并加密私钥（约需数秒）…"</p> })}
            {move || error.get().map(|e| view! { <p class="alert" role="alert">{e}</p> })}
            {move || note.get().map(|n| view! { <p class="muted" role="status" data-testid="keys-note">{n}</p> })}
        </section>
        <ConfigMaker recipient=recipient/>
    }
}
