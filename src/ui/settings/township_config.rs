//! 设置 › 导入乡镇配置: the township's `ruhu.config/1` file (made by the office page,
//! `township/keys.rs`) read by `core::config::read_config` (errors refuse it, all listed;
//! warnings shown), then **what it changes** listed (`TownshipConfig::changes` against this
//! phone's settings as a configuration, [`current`]) before anything is applied: `确定`
//! applies exactly that ([`apply`]), `取消` keeps everything. Of the file's monitoring lines the
//! one of the settings' year is taken (else the latest year); the settings hold one policy.
//! A configuration that requires the app lock (`lock_required`) leaves a notice
//! (`lock_required`) at the top of 设置 and on the home list while the lock is off (the lock
//! itself is 设置 › 应用锁's).

use leptos::prelude::*;

use super::{Settings, SettingsContext};
use crate::core::config::{read_config, ConfigSeverity, TownshipConfig};
use crate::core::policy::Policy;
use crate::ui::transfer::file;

/// This phone's settings as a township configuration (what [`TownshipConfig::changes`]
/// compares with).
pub fn current(s: &Settings) -> TownshipConfig {
    let mut c = TownshipConfig::new(s.township.clone());
    c.banner = s.banner.clone();
    c.villages = s.villages.clone();
    c.policies = vec![s.policy.clone()];
    c.recipient = (!s.township_key.is_empty()).then(|| s.township_key.clone());
    c.lock_required = s.lock_required;
    c
}

/// The configuration as it will be applied to `s`: of its policies only the one of the
/// settings' year, else the latest year (none: the settings' policy stays).
pub fn as_applied(mut config: TownshipConfig, s: &Settings) -> TownshipConfig {
    let chosen: Option<Policy> = config
        .policy(s.policy.year)
        .or_else(|| config.policies.iter().max_by_key(|p| p.year))
        .cloned();
    config.policies = chosen.into_iter().collect();
    config
}

/// Applies a configuration (as [`as_applied`] made it) to the settings.
pub fn apply(config: &TownshipConfig, s: &mut Settings) {
    s.township = config.township.clone();
    if !config.banner.is_empty() {
        s.banner = config.banner.clone();
    }
    s.villages = config.villages.clone();
    if let Some(p) = config.policies.first() {
        s.policy = p.clone();
    }
    s.township_key = config.recipient.clone().unwrap_or_default();
    s.lock_required = config.lock_required;
}

/// A configuration read and not yet applied.
#[derive(Clone, Debug, PartialEq)]
struct Pending {
    file: String,
    config: TownshipConfig,
    changes: Vec<String>,
    warnings: Vec<String>,
}

/// The 导入乡镇配置 card (and the notice of a required app lock).
#[component]
pub fn TownshipConfigImport() -> impl IntoView {
    let SettingsContext { settings, .. } = expect_context::<SettingsContext>();
    let pending = RwSignal::new(None::<Pending>);
    let refused = RwSignal::new(None::<(String, Vec<String>)>);
    let note = RwSignal::new(None::<String>);

    let on_change = move |ev: leptos::ev::Event| {
        let (input, picked) = file::picked_files(&ev);
        let Some(f) = picked.into_iter().next() else { return };
        pending.set(None);
        refused.set(None);
        note.set(None);
        leptos::task::spawn_local(async move {
            let name = f.name();
            let bytes = file::read_bytes(&f).await;
            input.set_value("");
            let read = match bytes {
                Ok(b) => read_config(&b).map_err(|errors| {
                    errors
                        .iter()
                        .filter(|d| d.severity == ConfigSeverity::Error)
                        .map(|d| d.message.clone())
                        .collect::<Vec<_>>()
                }),
                Err(e) => Err(vec![format!("文件无法读取（{e}）")]),
            };
            match read {
                Ok(read) => {
                    let config = settings.with_untracked(|s| as_applied(read.config, s));
                    let changes = settings.with_untracked(|s| config.changes(&current(s)));
                    let warnings = read.warnings.iter().map(|w| w.message.clone()).collect();
                    pending.set(Some(Pending { file: name, config, changes, warnings }));
                }
                Err(reasons) => refused.set(Some((name, reasons))),
            }
        });
    };
    let confirm = move |_| {
        let Some(p) = pending.get_untracked() else { return };
        settings.update(|s| apply(&p.config, s));
        pending.set(None);
        note.set(Some(format!("已应用乡镇配置（{}）", p.config.township)));
    };
    let cancel = move |_| {
        pending.set(None);
        note.set(Some("已取消，本机设置没有改变".to_string()));
    };

    let preview = move || {
        pending.get().map(|p| {
            let from = [p.config.issued_by.as_str(), p.config.issued_at.as_str()]
                .iter()
                .filter(|s| !s.is_empty())
                .copied()
                .collect::<Vec<_>>()
                .join("，");
            let title = if from.is_empty() {
                format!("{}：{}", p.file, p.config.township)
            } else {
                format!("{}：{}（{from}）", p.file, p.config.township)
            };
            let same = p.changes.is_empty();
            view! {
                <div class="config-preview" data-testid="config-preview">
                    <p><strong>{title}</strong></p>
                    {if same {
                        view! { <p class="muted">"与本机设置相同，没有要改的。"</p> }.into_any()
                    } else {
                        view! {
                            <p>"导入后将作如下改动："</p>
                            <ul class="config-changes">
                                {p.changes.into_iter().map(|c| view! { <li>{c}</li> }).collect_view()}
                            </ul>
                        }
                        .into_any()
                    }}
                    {(!p.warnings.is_empty()).then(|| view! {
                        <ul class="warn config-warnings">
                            {p.warnings.into_iter().map(|w| view! { <li>{w}</li> }).collect_view()}
                        </ul>
                    })}
                    <div class="actions">
                        {(!same).then(|| view! {
                            <button type="button" class="button primary" on:click=confirm>"确定"</button>
                        })}
                        <button type="button" class="button" on:click=cancel>"取消"</button>
                    </div>
                </div>
            }
        })
    };

    view! {
        <super::LockRequired/>
        <section class="card township-config" aria-labelledby="township-config-h">
            <h2 id="township-config-h">"乡镇配置"</h2>
            <p class="muted small">"乡镇办发来的配置文件（村、监测标准、乡镇公钥、应用锁），导入前会列出要改的内容。"</p>
            <label class="button file-button" for="import-config">"导入乡镇配置"</label>
            <input id="import-config" class="visually-hidden" type="file" accept=".json,.txt,application/json,text/plain"
                on:change=on_change/>
            {move || refused.get().map(|(name, reasons)| view! {
                <div class="alert" role="alert">
                    <p>{format!("{name}：没有导入（本机设置没有改变）")}</p>
                    <ul>{reasons.into_iter().map(|r| view! { <li>{r}</li> }).collect_view()}</ul>
                </div>
            })}
            {preview}
            {move || note.get().map(|n| view! { <p class="muted" role="status">{n}</p> })}
        </section>
    }
}
