//! 导出预填入户 of one village, sealed to the phone of the village's surveyor (`ui::seal`,
//! *Prefilled drafts*): the drafts carry the roster's names and ID numbers.
//!
//! The form asks for the surveyor's 本机公钥 (`排查人手机公钥`, from 设置 › 本机公钥 on the
//! phone, `age1…`; remembered per village in the store's app values under [`VILLAGE_KEYS`],
//! so the next export of that village is one tap). `加密导出` seals the file to that key and to
//! the township's own when this device keeps it (so the office can open its own file with
//! `age -d -i` or import it), armoured in a `.txt` named by village and date. `不加密导出`
//! remains for a township that does not seal (said plainly: anyone who gets the file reads it).
//! A bad key is refused in Chinese and nothing is downloaded.

use std::collections::BTreeMap;

use leptos::prelude::*;

use crate::core::roster::{prefill, Roster};
use crate::store::AppValues;
use crate::ui::settings::SettingsContext;
use crate::ui::transfer::file::download;
use crate::ui::{clock, expect_store, seal};

/// The app value of the remembered phone keys, `{"村名":"age1…"}`.
pub const VILLAGE_KEYS: &str = "~village-keys";

async fn village_keys(store: &crate::store::AnyStore) -> BTreeMap<String, String> {
    store
        .read_app_values(&[VILLAGE_KEYS])
        .await
        .ok()
        .and_then(|r| r.values.into_iter().next().flatten())
        .and_then(|j| serde_json::from_str(&j).ok())
        .unwrap_or_default()
}

/// The export form of `village`'s drafts; `file_name` is the plain file's name (`….json`).
#[component]
pub fn DraftsExport(
    roster: super::data::Shared<Roster>,
    village: String,
    file_name: String,
) -> impl IntoView {
    let store = expect_store();
    let SettingsContext { settings, .. } = expect_context::<SettingsContext>();
    let key = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let said = RwSignal::new(None::<String>);
    {
        let (store, village) = (store.clone(), village.clone());
        leptos::task::spawn_local(async move {
            if let Some(k) = village_keys(&store).await.remove(&village) {
                key.try_set(k);
            }
        });
    }
    let text = {
        let (roster, village) = (roster.clone(), village.clone());
        move || {
            let policy = settings.with_untracked(|s| s.policy.clone());
            prefill::write_drafts(&roster, Some(&village), &policy, clock::now(), clock::today())
        }
    };
    let sealed = {
        let (text, village, name) = (text.clone(), village.clone(), file_name.clone());
        move |_| {
            let typed = key.get_untracked();
            let phone = match seal::check_recipient(&typed) {
                Ok(k) => k,
                Err(e) if typed.trim().is_empty() => {
                    let _ = e;
                    error.set(Some(
                        "请填写本村排查人手机的公钥（在手机“设置 › 本机公钥”中复制）".into(),
                    ));
                    return;
                }
                Err(e) => {
                    error.set(Some(format!("{e}（没有导出）")));
                    return;
                }
            };
            let (store, text, village, name) =
                (store.clone(), text.clone(), village.clone(), name.clone());
            leptos::task::spawn_local(async move {
                let mut to = vec![phone.clone()];
                if let Ok(seal::StoredKey { recipient: Some(own), .. }) =
                    seal::stored_key(&store).await
                {
                    to.push(own);
                }
                let file = seal::sealed_name(&name);
                match seal::seal_to_all(&text(), &to).and_then(|armour| download(&file, &armour)) {
                    Ok(()) => {
                        error.set(None);
                        key.set(phone.clone());
                        said.set(Some(format!("已导出 {file}（已加密，只有本村排查人的手机{}能打开），请发给排查人导入。", if to.len() > 1 { "和乡镇办" } else { "" })));
                        let mut keys = village_keys(&store).await;
                        if keys.get(&village) != Some(&phone) {
                            keys.insert(village, phone);
                            let json = serde_json::to_string(&keys).unwrap_or_default();
                            if let Err(e) = store.put_app_values(&[(VILLAGE_KEYS, &json)]).await {
                                said.update(|s| {
                                    if let Some(s) = s {
                                        s.push_str(&format!("（公钥没有记住：{e}）"))
                                    }
                                });
                            }
                        }
                    }
                    Err(e) => error.set(Some(e)),
                }
            });
        }
    };
    let plain = move |_| match download(&file_name, &text()) {
        Ok(()) => {
            error.set(None);
            said.set(Some(format!("已导出 {file_name}（未加密：拿到文件的人都能看到姓名和身份证号），请发给本村排查人导入。")));
        }
        Err(e) => error.set(Some(e)),
    };
    view! {
        <section class="card drafts-export" data-drafts-village=village.clone() aria-label="导出预填入户">
            <h3>{format!("导出预填入户：{}", super::villages::village_label(&village))}</h3>
            <label class="field">
                <span>"排查人手机公钥"</span>
                <input type="text" name="phone-key" autocomplete="off" spellcheck="false" autocapitalize="none"
                    placeholder="age1…" prop:value=move || key.get() on:input=move |ev| key.set(event_target_value(&ev))/>
            </label>
            <p class="muted small">"在排查人手机的“设置 › 本机公钥”中复制，微信发来即可（公钥可以公开）。本机会按村记住。"</p>
            <div class="actions">
                <button type="button" class="button primary" on:click=sealed>"加密导出"</button>
                <button type="button" class="button" on:click=plain>"不加密导出"</button>
            </div>
            {move || error.get().map(|e| view! { <p class="alert" role="alert">{e}</p> })}
            {move || said.get().map(|s| view! { <p class="ok" role="status">{s}</p> })}
        </section>
    }
}
