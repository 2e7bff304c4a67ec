//! The settings page (`/settings`).

use leptos::prelude::*;
use rust_decimal::Decimal;
use std::str::FromStr;

use super::{
    parse_names, DeviceKey, SettingsContext, StorageStatus, TownshipConfigImport, TownshipKey,
};
use crate::core::policy::Policy;

/// 设置: the surveyor, the defaults of new records, the policy, and the device's storage.
#[component]
pub fn SettingsPage() -> impl IntoView {
    let SettingsContext { settings, error } = expect_context::<SettingsContext>();
    let line_error = RwSignal::new(None::<String>);

    let text = move |f: fn(&super::Settings) -> String| move || settings.with(f);
    let on_line = move |ev| {
        let value = event_target_value(&ev);
        match Decimal::from_str(value.trim()) {
            Ok(line) if line > Decimal::ZERO => {
                line_error.set(None);
                settings.update(|s| {
                    if s.policy.monitoring_line != line {
                        s.policy.monitoring_line = line;
                        s.policy.confirmed = false;
                        s.policy.source = "本机设置（未经核对）".to_string();
                    }
                });
            }
            _ => line_error.set(Some("请填写大于 0 的金额（元/人·年）".to_string())),
        }
    };
    let on_year = move |ev| {
        if let Ok(year) = event_target_value(&ev).trim().parse::<i32>() {
            if (2000..=2100).contains(&year) {
                settings.update(|s| {
                    if s.policy.year != year {
                        s.policy = Policy::shipped(year);
                    }
                });
            }
        }
    };
    let confirmed = move || settings.with(|s| s.policy.confirmed);

    view! {
        <section class="page settings">
            <h1>"设置"</h1>
            {move || error.get().map(|e| view! { <p class="alert" role="alert">{e}</p> })}
            <TownshipConfigImport/>

            <section class="card" aria-labelledby="who-h">
                <h2 id="who-h">"排查人"</h2>
                <label class="field">
                    <span>"本户排查人（本机使用者）"</span>
                    <input type="text" name="surveyor" autocomplete="name" prop:value=text(|s| s.surveyor.clone())
                        on:change=move |ev| settings.update(|s| s.surveyor = event_target_value(&ev).trim().to_string())/>
                </label>
                <label class="field">
                    <span>"常用风险研判人（每行一个）"</span>
                    <textarea name="assessors" rows="3" prop:value=text(|s| s.assessors.join("\n"))
                        on:change=move |ev| settings.update(|s| s.assessors = parse_names(&event_target_value(&ev)))></textarea>
                </label>
            </section>

            <section class="card" aria-labelledby="where-h">
                <h2 id="where-h">"地区"</h2>
                <label class="field">
                    <span>"旗"</span>
                    <input type="text" name="banner" prop:value=text(|s| s.banner.clone())
                        on:change=move |ev| settings.update(|s| s.banner = event_target_value(&ev).trim().to_string())/>
                </label>
                <label class="field">
                    <span>"乡镇"</span>
                    <input type="text" name="township" prop:value=text(|s| s.township.clone())
                        on:change=move |ev| settings.update(|s| s.township = event_target_value(&ev).trim().to_string())/>
                </label>
                <label class="field">
                    <span>"本乡镇的村（每行一个）"</span>
                    <textarea name="villages" rows="5" prop:value=text(|s| s.villages.join("\n"))
                        on:change=move |ev| settings.update(|s| s.villages = parse_names(&event_target_value(&ev)))></textarea>
                </label>
            </section>

            <section class="card" aria-labelledby="policy-h">
                <h2 id="policy-h">"监测标准"</h2>
                <p data-testid="policy-state" class=move || if confirmed() { "ok" } else { "warn" }>
                    {move || if confirmed() { "已核对".to_string() } else { "未经核对：出厂默认值须按当年文件核对后再作依据。".to_string() }}
                </p>
                <label class="field">
                    <span>"年度"</span>
                    <input type="number" name="policy-year" inputmode="numeric" min="2000" max="2100"
                        prop:value=move || settings.with(|s| s.policy.year.to_string()) on:change=on_year/>
                </label>
                <label class="field">
                    <span>"防止返贫监测范围（元/人·年）"</span>
                    <input type="text" name="monitoring-line" inputmode="decimal"
                        prop:value=move || settings.with(|s| s.policy.monitoring_line.normalize().to_string()) on:change=on_line/>
                </label>
                {move || line_error.get().map(|e| view! { <p class="alert" role="alert">{e}</p> })}
                <p class="muted">{move || settings.with(|s| format!("来源：{}", s.policy.source))}</p>
                <label class="check">
                    <input type="checkbox" name="policy-confirmed" prop:checked=confirmed
                        on:change=move |ev| {
                            let on = event_target_checked(&ev);
                            settings.update(|s| {
                                s.policy.confirmed = on;
                                s.policy.source = if on { "本乡镇核对".to_string() } else { "本机设置（未经核对）".to_string() };
                            });
                        }/>
                    <span>"我已按当年文件核对以上年度和监测标准"</span>
                </label>
            </section>

            <TownshipKey/>
            <DeviceKey/>
            {super::lock::section()}
            <StorageStatus/>
            <super::wipe::WipeData/>
        </section>
    }
}
