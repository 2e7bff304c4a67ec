//! The 季度报告 tab: the quarterly report draft (一季度防返贫监测和帮扶重点核查工作报告) with the
//! notice's five sections. The figures come from the records (`township::report::draft`);
//! what the office writes is kept on this device in `localStorage` under
//! `ruhu.report:<year>-Q<q>:<unit>` (one entry per quarter and per unit: the township, or a
//! village), as `ruhu.report-edits/1` JSON. Printable, and exportable as a `.txt` file.

use gloo_storage::{LocalStorage, Storage};
use leptos::prelude::*;

use super::data::{Computed, Period};
use super::download::{download, safe_name};
use crate::core::township::report::{self, chinese_date, ReportEdits, SectionKey};
use crate::ui::clock;

/// The `localStorage` key of a report's edits.
pub fn storage_key(edits: &ReportEdits) -> String {
    format!("ruhu.{}", edits.storage_key())
}

/// The stored edits of a quarter's report for a unit; empty ones when none are stored.
fn load(year: i32, quarter: u8, unit: &str) -> (ReportEdits, Option<String>) {
    let empty = ReportEdits::new(year, quarter, unit);
    match LocalStorage::raw().get_item(&storage_key(&empty)) {
        Ok(Some(text)) => match ReportEdits::from_json(&text) {
            Ok(e) => (e, None),
            Err(e) => (empty, Some(format!("{e}；已改用空白报告。"))),
        },
        Ok(None) => (empty, None),
        Err(_) => (empty, Some("无法读取浏览器存储，报告文字不会被保存。".to_string())),
    }
}

fn save(edits: &ReportEdits) -> Result<(), String> {
    LocalStorage::raw()
        .set_item(&storage_key(edits), &edits.to_json())
        .map_err(|_| "报告文字没有保存（浏览器存储已满或被禁用）。".to_string())
}

/// The sections whose paragraphs are generated from the figures (and may be rewritten).
fn generated(key: SectionKey) -> bool {
    matches!(key, SectionKey::Basic | SectionKey::Dynamic | SectionKey::Problems)
}

/// 季度报告: the draft, its editable text, print and text export.
#[component]
pub fn ReportPage(computed: Computed) -> impl IntoView {
    let view = computed.view.clone();
    let quarter = computed.quarter;
    let township = view.summary.township_name.clone();
    let villages: Vec<String> = view.summary.villages.iter().map(|t| t.name.clone()).collect();
    let unit = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let (first, first_error) = load(quarter.year, quarter.q, "");
    error.set(first_error);
    let edits = RwSignal::new(first);
    let draft = Memo::new({
        let view = view.clone();
        move |_| edits.with(|e| report::draft(&view.summary, e))
    });

    // One change by people: apply it, stamp it and keep it.
    let change = move |f: &dyn Fn(&mut ReportEdits)| {
        edits.update(|e| {
            f(e);
            e.updated_at = Some(crate::core::record::Timestamp(clock::now()));
        });
        error.set(edits.with_untracked(save).err());
    };
    let on_unit = move |ev| {
        let u = event_target_value(&ev);
        let (e, err) = load(quarter.year, quarter.q, &u);
        error.set(err);
        edits.set(e);
        unit.set(u);
    };
    let on_date = move |ev| {
        let value = event_target_value(&ev);
        let date = chrono::NaiveDate::parse_from_str(&value, "%Y-%m-%d").ok();
        change(&|e| e.date = date);
    };
    let export = move |_| {
        let r = draft.get_untracked();
        // CRLF and a byte-order mark, so that Windows Notepad (also before Windows 10) shows it right.
        let mut bytes = b"\xEF\xBB\xBF".to_vec();
        bytes.extend_from_slice(r.to_text().replace('\n', "\r\n").as_bytes());
        let name = format!("{}-{}.txt", safe_name(&r.title), clock::today());
        error.set(download(&bytes, &name, "text/plain;charset=utf-8").err());
    };
    let print = move |_| {
        let _ = window().print();
    };
    let today = view.summary.today;
    let date_value = move || edits.with(|e| e.date.unwrap_or(today).to_string());
    let key_text = move || edits.with(storage_key);
    let all_note = (computed.period == Period::All).then(|| {
        view! {
            <p class="warn">{format!(
                "统计范围为全部记录，报告按最近走访所在的{}命名；只统计本季度走访请在上方选择该季度。",
                quarter.label()
            )}</p>
        }
    });

    // The sections, built once per unit so that typing never rebuilds a text box.
    let sections = move || {
        unit.track();
        SectionKey::ALL
            .iter()
            .map(|&key| {
                let code = key.code();
                let overridden = Memo::new(move |_| edits.with(|e| e.overrides.contains_key(code)));
                let paragraphs = move || {
                    draft.with(|r| r.section(key).generated.iter().map(|p| view! { <p class="para generated">{p.clone()}</p> }).collect_view())
                };
                let rewrite = move || {
                    if overridden.get() {
                        let initial = edits.with_untracked(|e| e.overrides.get(code).cloned().unwrap_or_default());
                        view! {
                            <label class="field no-print">
                                <span>"本节数字段落（已手工改写，不再随记录更新）"</span>
                                <textarea name=format!("override-{code}") rows="8" prop:value=initial
                                    on:input=move |ev| { let t = event_target_value(&ev); change(&|e| e.set_override(key, Some(&t))); }></textarea>
                            </label>
                            <p class="no-print">
                                <button type="button" class="button small" on:click=move |_| change(&|e| e.set_override(key, None))>
                                    "恢复自动生成"
                                </button>
                            </p>
                        }
                        .into_any()
                    } else if generated(key) {
                        view! {
                            <p class="no-print">
                                <button type="button" class="button small" on:click=move |_| {
                                    let now = draft.with_untracked(|r| r.section(key).generated.join("\n"));
                                    change(&|e| e.set_override(key, Some(&now)));
                                }>"改写本节数字段落"</button>
                            </p>
                        }
                        .into_any()
                    } else {
                        ().into_any()
                    }
                };
                let initial = edits.with_untracked(|e| e.text(key).to_string());
                let hint = draft.with_untracked(|r| r.section(key).hint);
                let printed = move || {
                    edits.with(|e| {
                        let lines: Vec<String> = e.text(key).lines().map(str::trim).filter(|l| !l.is_empty()).map(str::to_string).collect();
                        if lines.is_empty() && !generated(key) {
                            view! { <p class="para hint">{format!("（{hint}）")}</p> }.into_any()
                        } else {
                            lines.into_iter().map(|l| view! { <p class="para">{l}</p> }).collect_view().into_any()
                        }
                    })
                };
                view! {
                    <section class="report-section" data-section=code>
                        <h3>{move || draft.with(|r| r.section(key).heading.clone())}</h3>
                        <div class="generated-text" class:overridden=move || overridden.get()>{paragraphs}</div>
                        {rewrite}
                        <label class="field no-print">
                            <span>{if generated(key) { "补充文字" } else { "本节文字" }}</span>
                            <textarea name=format!("text-{code}") rows="5" placeholder=hint prop:value=initial
                                on:input=move |ev| { let t = event_target_value(&ev); change(&|e| e.set_text(key, &t)); }></textarea>
                        </label>
                        <div class="print-only">{printed}</div>
                    </section>
                }
            })
            .collect_view()
    };

    view! {
        <div class="report-controls no-print card">
            <label class="field">
                <span>"报告单位"</span>
                <select name="unit" on:change=on_unit>
                    <option value="" selected=true>{format!("{township}（全乡）")}</option>
                    {villages.into_iter().map(|v| view! { <option value=v.clone()>{v.clone()}</option> }).collect_view()}
                </select>
            </label>
            <label class="field">
                <span>"报告日期"</span>
                <input type="date" name="report-date" prop:value=date_value on:change=on_date/>
            </label>
            {all_note}
            <div class="actions">
                <button type="button" class="button" data-action="txt" on:click=export>"导出文本"</button>
                <button type="button" class="button" data-action="print" on:click=print>"打印"</button>
            </div>
            <p class="muted small">{move || format!("文字随时保存在本机浏览器中（{}），换手机或清除浏览器数据前请先导出文本。", key_text())}</p>
            {move || error.get().map(|e| view! { <p class="alert" role="alert">{e}</p> })}
        </div>
        <article class="report-paper" data-testid="report">
            <h2 class="report-title">{move || draft.with(|r| r.title.clone())}</h2>
            <p class="addressee">{move || draft.with(|r| r.addressee.clone())}</p>
            <p class="para">{move || draft.with(|r| r.opening.clone())}</p>
            {sections}
            <div class="report-sign">
                <p>{move || draft.with(|r| r.signer.clone())}</p>
                <p>{move || draft.with(|r| chinese_date(r.date))}</p>
            </div>
        </article>
    }
}
