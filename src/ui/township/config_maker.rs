//! 乡镇配置 (on 密钥与配置): the township configuration file for the surveyors' phones,
//! `ruhu.config/1` (`core::config::write_config`): the township and banner, its villages, the
//! monitoring line of this device's settings (with whether it was confirmed), the township's
//! public key when this device has made one, and whether the app lock is required. It names no
//! person and is never sealed; `生成乡镇配置` checks it with `read_config` (what the phones
//! will do), downloads `乡镇配置-<乡镇>-<date>.json`, and offers `分享` as `.txt` where the
//! browser shares that file. Each surveyor imports it in 设置 › 导入乡镇配置, which lists what
//! it changes before applying it.

use leptos::prelude::*;

use super::download::safe_name;
use crate::core::config::{read_config, write_config, ConfigSeverity, TownshipConfig};
use crate::ui::clock;
use crate::ui::settings::{parse_names, SettingsContext};
use crate::ui::transfer::file;

/// `乡镇配置-额尔和乡-2026-12-04.json`.
pub fn config_file_name(township: &str, day: chrono::NaiveDate) -> String {
    format!("乡镇配置-{}-{day}.json", safe_name(township.trim()))
}

/// A configuration written, ready to share.
#[derive(Clone, Debug, PartialEq)]
struct Made {
    name: String,
    text: String,
}

/// The 乡镇配置 card.
#[component]
pub fn ConfigMaker(recipient: Signal<Option<String>>) -> impl IntoView {
    let SettingsContext { settings, .. } = expect_context::<SettingsContext>();
    let township = RwSignal::new(settings.with_untracked(|s| s.township.clone()));
    let villages = RwSignal::new(settings.with_untracked(|s| s.villages.join("\n")));
    let with_policy = RwSignal::new(true);
    let lock_required = RwSignal::new(false);
    let errors = RwSignal::new(Vec::<String>::new());
    let made = RwSignal::new(None::<Made>);
    let share_note = RwSignal::new(None::<String>);

    let make = move |_| {
        share_note.set(None);
        let s = settings.get_untracked();
        let mut c = TownshipConfig::new(township.get_untracked().trim());
        c.banner = s.banner.clone();
        c.villages = parse_names(&villages.get_untracked());
        if with_policy.get_untracked() {
            c.policies = vec![s.policy.clone()];
        }
        c.recipient = recipient.get_untracked();
        c.lock_required = lock_required.get_untracked();
        c.issued_at = clock::now().to_rfc3339();
        c.issued_by = format!("{}乡村振兴办公室", c.township);
        let text = write_config(&c);
        // What each phone will read: refuse here what they would refuse.
        match read_config(text.as_bytes()) {
            Ok(_) => {
                let name = config_file_name(&c.township, clock::today());
                match file::download(&name, &text) {
                    Ok(()) => {
                        errors.set(Vec::new());
                        made.set(Some(Made { name, text }));
                    }
                    Err(e) => errors.set(vec![e]),
                }
            }
            Err(diags) => {
                made.set(None);
                errors.set(
                    diags
                        .into_iter()
                        .filter(|d| d.severity == ConfigSeverity::Error)
                        .map(|d| d.message)
                        .collect(),
                );
            }
        }
    };

    let policy_line = move || {
        settings.with(|s| {
            format!(
                "包含本机的监测标准：{} 年 {} 元/人·年（{}）",
                s.policy.year,
                s.policy.monitoring_line.normalize(),
                if s.policy.confirmed {
                    "已核对"
                } else {
                    "未经核对：请先在设置中核对"
                }
            )
        })
    };

    let result = move || {
        made.get().map(|m| {
            let share_name = file::share_name(&m.name);
            let can_share = file::can_share(&share_name, &m.text);
            let share = {
                let (n, t) = (share_name.clone(), m.text.clone());
                move |_| {
                    let (n, t) = (n.clone(), t.clone());
                    leptos::task::spawn_local(async move {
                        share_note.set(Some(match file::share_or_download(&n, &t).await {
                            Ok(file::Shared::Sent) => "已分享".to_string(),
                            Ok(file::Shared::Cancelled) => "已取消分享".to_string(),
                            Ok(file::Shared::Downloaded) => "此浏览器不能直接分享文件，已再次下载".to_string(),
                            Err(e) => format!("分享失败：{e}"),
                        }));
                    });
                }
            };
            view! {
                <div class="config-result" role="status" data-testid="config-result">
                    <p>"已下载乡镇配置："<span class="file-name">{m.name.clone()}</span></p>
                    <p class="muted small">"不含个人信息，不加密。请发给各村排查人，在“设置 › 导入乡镇配置”中导入。"</p>
                    {can_share.then(|| view! {
                        <button type="button" class="button" on:click=share>"分享"</button>
                    })}
                    {move || share_note.get().map(|n| view! { <p class="muted">{n}</p> })}
                </div>
            }
        })
    };

    view! {
        <section class="card township-config-maker" aria-labelledby="config-maker-h">
            <h2 id="config-maker-h">"乡镇配置"</h2>
            <p class="muted small">"发给全乡镇的排查人，让每部手机的村、监测标准、乡镇公钥和应用锁设置一致。"</p>
            <label class="field">
                <span>"配置的乡镇"</span>
                <input type="text" name="config-township" prop:value=move || township.get()
                    on:input=move |ev| township.set(event_target_value(&ev))/>
            </label>
            <label class="field">
                <span>"配置的村（每行一个）"</span>
                <textarea name="config-villages" rows="5" prop:value=move || villages.get()
                    on:input=move |ev| villages.set(event_target_value(&ev))></textarea>
            </label>
            <label class="check">
                <input type="checkbox" name="config-policy" prop:checked=move || with_policy.get()
                    on:change=move |ev| with_policy.set(event_target_checked(&ev))/>
                <span>{policy_line}</span>
            </label>
            <p class="muted small">{move || match recipient.get() {
                Some(r) => format!("包含乡镇公钥：{}", crate::core::config::short_key(&r)),
                None => "本机还没有乡镇密钥：配置中不含公钥，排查人导出的文件不会加密。".to_string(),
            }}</p>
            <label class="check">
                <input type="checkbox" name="config-lock" prop:checked=move || lock_required.get()
                    on:change=move |ev| lock_required.set(event_target_checked(&ev))/>
                <span>"要求排查人开启应用锁"</span>
            </label>
            <div class="actions">
                <button type="button" class="button primary" on:click=make>"生成乡镇配置"</button>
            </div>
            {move || {
                let e = errors.get();
                (!e.is_empty()).then(|| view! {
                    <div class="alert" role="alert">
                        <p>"配置没有生成："</p>
                        <ul>{e.into_iter().map(|m| view! { <li>{m}</li> }).collect_view()}</ul>
                    </div>
                })
            }}
            {result}
        </section>
    }
}
