//! The period the township pages count (a quarter, or every stored visit), and the policy
//! the records are judged by.

use leptos::prelude::*;

use super::data::{Period, TownshipData};
use crate::core::money::format_yuan;

/// 统计范围 and 监测标准.
#[component]
pub fn PeriodPicker() -> impl IntoView {
    let data = expect_context::<TownshipData>();
    let options = move || {
        let Some(Ok(loaded)) = data.loaded.get() else { return Vec::new() };
        let mut periods: Vec<Period> =
            loaded.quarters.iter().map(|q| Period::Quarter(*q)).collect();
        periods.push(Period::All);
        periods
    };
    let current = move || {
        data.computed
            .with(|c| c.as_ref().and_then(|r| r.as_ref().ok()).map(|c| c.period.code()))
            .unwrap_or_default()
    };
    let on_change = move |ev| {
        if let Some(p) = Period::parse(&event_target_value(&ev)) {
            data.drill.set(None);
            data.period.set(Some(p));
        }
    };
    let facts = move || {
        data.computed.with(|c| {
            let c = c.as_ref()?.as_ref().ok()?;
            let s = &c.view.summary;
            let policy = &s.policy;
            let confirmed = if policy.confirmed { "已核对" } else { "未经核对" };
            Some((
                format!(
                    "{} · {} 户（读取 {} 条记录，每户按最近一次走访计）",
                    s.township_name, s.township.households.count, s.records_read
                ),
                format!(
                    "监测标准：{} 年 {} 元/人·年（{}）",
                    policy.year,
                    format_yuan(policy.monitoring_line),
                    confirmed
                ),
                c.policy_note.clone(),
                policy.confirmed,
            ))
        })
    };

    view! {
        <div class="period no-print">
            <label class="field inline">
                <span>"统计范围"</span>
                <select name="period" on:change=on_change prop:value=current>
                    {move || {
                        let now = current();
                        options()
                            .into_iter()
                            .map(|p| {
                                let code = p.code();
                                let selected = code == now;
                                view! { <option value=code selected=selected>{p.label()}</option> }
                            })
                            .collect_view()
                    }}
                </select>
            </label>
            {move || facts().map(|(count, line, note, confirmed)| view! {
                <p class="muted" data-testid="township-count">{count}</p>
                <p class=if confirmed { "muted" } else { "warn" } data-testid="township-policy">{line}</p>
                {note.map(|n| view! { <p class="warn">{n}</p> })}
            })}
        </div>
    }
}
