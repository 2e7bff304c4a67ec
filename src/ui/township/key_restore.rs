//! 从备份恢复乡镇密钥, on the 密钥与配置 tab of a device that keeps no key (a new computer, or
//! the browser's data cleared): the backup file `下载私钥备份` saved (armoured age under the
//! key's passphrase) and that passphrase; `ui::seal::restore_key` opens it (scrypt: several
//! seconds, 正在恢复… painted first) and gives its recipient, then the backup is kept as it is
//! in the store's app values, exactly as a key made on this device — so files sealed to the
//! township before open here again. A wrong passphrase or another file is refused in Chinese
//! and nothing is kept; a key that appeared meanwhile (another tab) is never replaced. The
//! backup is not offered for download again (it exists: the file just read).

use leptos::prelude::*;

use crate::store::AppValues;
use crate::ui::seal::{self, StoredKey, BACKUP_KEY, IDENTITY_KEY, RECIPIENT_KEY};
use crate::ui::transfer::file;
use crate::ui::{clock, expect_store};

/// The restore form; `restored` gets the key as now kept.
#[component]
pub fn KeyRestore(restored: Callback<StoredKey>) -> impl IntoView {
    let store = expect_store();
    let picked = RwSignal::new(None::<(String, String)>);
    let pass = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let working = RwSignal::new(false);

    let on_file = move |ev: leptos::ev::Event| {
        let input: web_sys::HtmlInputElement = event_target(&ev);
        let Some(f) = input.files().and_then(|l| l.get(0)) else { return };
        let name = f.name();
        leptos::task::spawn_local(async move {
            match file::read_bytes(&f).await.map(String::from_utf8) {
                Ok(Ok(text)) => {
                    error.set(None);
                    picked.set(Some((name, text)));
                }
                _ => error.set(Some(format!("{name}：无法读取（不是文本文件）"))),
            }
        });
    };

    let restore = move || {
        if working.get_untracked() {
            return;
        }
        let Some((name, backup)) = picked.get_untracked() else {
            error.set(Some("请先选择私钥备份文件".into()));
            return;
        };
        let p = pass.get_untracked();
        if p.is_empty() {
            error.set(Some("请输入私钥口令".into()));
            return;
        }
        error.set(None);
        working.set(true);
        let store = store.clone();
        // Paint 正在恢复… before scrypt keeps the page busy.
        request_animation_frame(move || {
            set_timeout(
                move || {
                    leptos::task::spawn_local(async move {
                        let result = async {
                            let recipient = seal::restore_key(&backup, &p)
                                .map_err(|e| format!("{name}：{e}"))?;
                            if seal::stored_key(&store).await?.locked.is_some() {
                                return Err(
                                    "本机已有乡镇密钥，没有恢复（原来的密钥不变）".to_string()
                                );
                            }
                            let at =
                                format!("{}（从备份恢复）", clock::now().format("%Y-%m-%d %H:%M"));
                            store
                                .put_app_values(&[
                                    (IDENTITY_KEY, &backup),
                                    (RECIPIENT_KEY, &recipient),
                                    (BACKUP_KEY, &at),
                                ])
                                .await
                                .map_err(|e| format!("密钥没有保存：{e}"))?;
                            Ok(StoredKey {
                                locked: Some(backup),
                                recipient: Some(recipient),
                                backup: Some(at),
                            })
                        }
                        .await;
                        working.set(false);
                        match result {
                            Ok(k) => {
                                pass.set(String::new());
                                restored.run(k);
                            }
                            Err(e) => error.set(Some(e)),
                        }
                    });
                },
                std::time::Duration::from_millis(20),
            )
        });
    };

    view! {
        <form class="key-restore" data-testid="key-restore" on:submit=move |ev: leptos::ev::SubmitEvent| { ev.prevent_default(); restore(); }>
            <h3>"从备份恢复乡镇密钥"</h3>
            <p class="muted small">"换了电脑或清除过浏览器数据时：选择当初下载的私钥备份文件，输入它的口令。"</p>
            <label class="field">
                <span>"私钥备份文件"</span>
                <input type="file" name="key-backup" accept=".txt,text/plain" on:change=on_file/>
            </label>
            <label class="field">
                <span>"备份的私钥口令"</span>
                <input type="password" name="key-backup-passphrase" autocomplete="current-password"
                    prop:value=move || pass.get() on:input=move |ev| pass.set(event_target_value(&ev))/>
            </label>
            <button type="submit" class="button" prop:disabled=move || working.get()>"恢复乡镇密钥"</button>
            {move || working.get().then(|| view! { <p class="muted" role="status">"正在恢复（约需数秒）…"</p> })}
            {move || error.get().map(|e| view! { <p class="alert" role="alert">{e}</p> })}
        </form>
    }
}
