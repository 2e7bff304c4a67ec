//! The search box and the filters of the home list.

use leptos::prelude::*;

use super::ListState;
use crate::core::record::Status;

/// 搜索 (name, ID number, phone) and the filters 有风险, 监测对象, 重点人群, 身份证号重复,
/// 未送达乡镇 (no receipt names the current state), status.
#[component]
pub fn FilterBar() -> impl IntoView {
    let ListState { filter, .. } = expect_context::<ListState>();
    let toggle = move |label: &'static str,
                       get: fn(&crate::core::listing::Filter) -> bool,
                       set: fn(&mut crate::core::listing::Filter, bool)| {
        view! {
            <label class="chip">
                <input type="checkbox" prop:checked=move || filter.with(get)
                    on:change=move |ev| { let on = event_target_checked(&ev); filter.update(|f| set(f, on)); }/>
                <span>{label}</span>
            </label>
        }
    };
    view! {
        <div class="filters" role="search">
            <input type="search" class="search" placeholder="搜索姓名、身份证号、电话" aria-label="搜索姓名、身份证号、电话"
                prop:value=move || filter.with(|f| f.query.clone())
                on:input=move |ev| { let q = event_target_value(&ev); filter.update(|f| f.query = q); }/>
            <div class="chips">
                {toggle("有风险", |f| f.at_risk, |f, on| f.at_risk = on)}
                {toggle("监测对象", |f| f.monitored, |f, on| f.monitored = on)}
                {toggle("重点人群", |f| f.key_group, |f, on| f.key_group = on)}
                {toggle("身份证号重复", |f| f.duplicate, |f, on| f.duplicate = on)}
                {toggle("未送达乡镇", |f| f.not_received, |f, on| f.not_received = on)}
                <label class="chip select">
                    <span class="visually-hidden">"状态"</span>
                    <select aria-label="状态" on:change=move |ev| {
                        let v = event_target_value(&ev);
                        filter.update(|f| f.status = Status::from_code(&v));
                    }>
                        <option value="" selected=move || filter.with(|f| f.status.is_none())>"全部状态"</option>
                        <option value="draft" selected=move || filter.with(|f| f.status == Some(Status::Draft))>"草稿"</option>
                        <option value="final" selected=move || filter.with(|f| f.status == Some(Status::Final))>"已完成"</option>
                    </select>
                </label>
            </div>
        </div>
    }
}

/// `未送达乡镇 N 户` (households with a record whose current state no receipt names), with
/// `只看未送达` to filter to them (nothing when the list is empty).
#[component]
pub fn NotReceivedCount(count: usize, households: usize) -> impl IntoView {
    let ListState { filter, .. } = expect_context::<ListState>();
    let on = move || filter.with(|f| f.not_received);
    (households > 0).then(|| {
        view! {
            <p class="township-count muted" data-testid="not-received" data-count=count>
                {format!("未送达乡镇 {count} 户")}
                {(count > 0).then(|| view! {
                    <button type="button" class="button small" aria-pressed=move || on().to_string()
                        on:click=move |_| filter.update(|f| f.not_received = !f.not_received)>
                        {move || if on() { "显示全部" } else { "只看未送达" }}
                    </button>
                })}
            </p>
        }
    })
}
