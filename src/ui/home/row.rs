//! One household in the home list: head, village group, 户属性, status (草稿 / 已完成, or
//! 待入户 for a roster draft not visited yet: `Entry::pending`), the engine's risk badge, key
//! groups, a person listed in another household, the export mark, its visits.

use leptos::prelude::*;

use super::ListState;
use crate::core::evaluation::Identify;
use crate::core::listing::Entry;
use crate::core::record::Status;
use crate::core::transfer::ExportState;
use crate::ui::router::Route;
use crate::ui::transfer::ExportTag;

/// `乡镇已接收` / `接收后有修改` (回执); nothing before a receipt names the household.
fn receipt_tag(status: crate::core::receipt::Status) -> Option<impl IntoView> {
    use crate::core::receipt::Status;
    (status != Status::NotReceived).then(|| {
        view! { <span class="tag receipt" data-receipt=status.code()>{status.label()}</span> }
    })
}

/// One row.
#[component]
pub fn EntryRow(entry: Entry, export: ExportState) -> impl IntoView {
    let ListState { selecting, selected, .. } = expect_context::<ListState>();
    let hid = entry.household_id;
    let editor = Route::Editor(entry.record_id.to_string()).href();
    let household = Route::Household(hid.to_string()).href();
    let category = entry.category.map(|c| c.short_label()).unwrap_or("未填户属性");
    let status = match entry.status {
        // A roster draft not visited yet (`core::roster::prefill::is_pending`).
        Status::Draft if entry.pending => {
            view! { <span class="tag status pending" data-pending="">"待入户"</span> }
        }
        Status::Draft => view! { <span class="tag status draft">"草稿"</span> },
        Status::Final => view! { <span class="tag status final">"已完成"</span> },
    };
    let (risk_class, risk) = if entry.at_risk {
        (
            "tag risk at-risk",
            if entry.identify == Identify::Yes {
                "有风险 · 建议纳入监测"
            } else {
                "有风险"
            },
        )
    } else {
        ("tag risk no-risk", "无风险信号")
    };
    let key_groups = (entry.key_group_members > 0).then(|| view! { <span class="tag key-group">{format!("重点人群 {}人", entry.key_group_members)}</span> });
    let elsewhere = (!entry.elsewhere.is_empty()).then(|| {
        let why = entry.elsewhere.join("\n");
        view! { <span class="tag duplicate" title=why>"身份证号重复"</span> }
    });
    let visits = entry.visits.len();
    let title = format!("{}（{}人）", entry.head_label(), entry.members);
    let date = entry.visit_date.map(|d| d.format("%Y-%m-%d").to_string()).unwrap_or_default();
    let place = format!("{} · {date}", entry.village_label());
    view! {
        <li class="entry" data-household=hid.to_string() data-record=entry.record_id.to_string()
            data-risk=if entry.at_risk { "yes" } else { "no" }>
            {move || selecting.get().then(|| view! {
                <label class="select-box">
                    <input type="checkbox" aria-label=format!("选择 {}", title.clone())
                        prop:checked=move || selected.with(|s| s.contains(&hid))
                        on:change=move |ev| {
                            let on = event_target_checked(&ev);
                            selected.update(|s| { if on { s.insert(hid); } else { s.remove(&hid); } });
                        }/>
                </label>
            })}
            <a class="record-link" href=editor>
                <span class="title">{format!("{}（{}人）", entry.head_label(), entry.members)}</span>
                <span class="tags">
                    <span class="tag category">{category}</span>
                    {status}
                    <span class=risk_class>{risk}</span>
                    {key_groups}
                    {elsewhere}
                    <ExportTag state=export/>
                    {receipt_tag(entry.township)}
                </span>
                <span class="muted small">{place}</span>
            </a>
            <a class="visits-link" href=household aria-label=format!("{} 各次入户", entry.head_label())>
                {format!("{visits} 次入户 ›")}
            </a>
        </li>
    }
}
