//! The 季度报告 tab: the quarterly report draft (一季度防返贫监测和帮扶重点核查工作报告) with the
//! notice's five sections. The figures come from the records (`township::report::draft`);
//! what the office writes is kept on this device in `localStorage` (sealed with the app lock
//! on, `store::vault`) under `ruhu.report:<year>-Q<q>:<unit>` (one entry per quarter and per unit: the township, or a
//! village), as `ruhu.report-edits/1` JSON. The text is typed above; below is the draft as it prints.
//! Printable, and exportable as a `.txt` file. (Generated paragraphs are not edited here;
//! `ReportEdits::overrides`, when stored, are honoured by the draft.)
//!
//! The report is for the period's quarter (with 全部记录, the latest visit's quarter, and a
//! note). **报告单位**: the township (to 莫旗乡村振兴局, signed 额尔和乡人民政府, with 分村看) or one
//! village (to 乡乡村振兴办公室). Sections 一 重点核查基本情况, 二 动态管理情况 and 四
//! 存在问题及建议 are filled from the figures (`core::township::report::draft`); every section
//! has a text box (三 and 五 are text only). Below the boxes the draft shows exactly as it prints.
//!
//! The text is written to `localStorage` on every keystroke and read when the page or the unit
//! changes. It is apart from the records and not exported with them: the page says to export
//! the text before changing phones or clearing the browser. The 报告日期 field sets the date
//! under the signature (default today).
//!
//! **导出文本**: `Report::to_text()` as `<title>-<today>.txt`, UTF-8 with BOM and CRLF line
//! ends (old Windows Notepad shows LF-only files on one line).

use chrono::NaiveDate;
use gloo_storage::{LocalStorage, Storage};
use leptos::prelude::*;

use super::data::{Computed, Period};
use super::download::{download, safe_name};
use super::html::esc;
use crate::core::record::Timestamp;
use crate::core::township::report::{self, chinese_date, Report, ReportEdits, SectionKey};
use crate::ui::clock;

/// The `localStorage` key of a report's edits.
pub fn storage_key(edits: &ReportEdits) -> String {
    format!("ruhu.{}", edits.storage_key())
}

/// The stored edits of a quarter's report for a unit; empty ones when none are stored.
fn load(year: i32, quarter: u8, unit: &str) -> (ReportEdits, Option<String>) {
    let empty = ReportEdits::new(year, quarter, unit);
    let key = storage_key(&empty);
    match LocalStorage::raw().get_item(&key) {
        // Sealed with the app lock on (`store::vault`), else plain JSON.
        Ok(Some(text)) => match crate::store::vault::open_text(&key, &text) {
            Ok(text) => match ReportEdits::from_json(&text) {
                Ok(e) => (e, None),
                Err(e) => (empty, Some(format!("{e}；已改用空白报告。"))),
            },
            Err(e) => (empty, Some(format!("报告文字无法读取：{e}"))),
        },
        Ok(None) => (empty, None),
        Err(_) => (empty, Some("无法读取浏览器存储，报告文字不会被保存。".to_string())),
    }
}

fn save(edits: &ReportEdits) -> Result<(), String> {
    let key = storage_key(edits);
    let text = crate::store::vault::seal_text(&key, &edits.to_json())
        .map_err(|e| format!("报告文字没有保存：{e}"))?;
    LocalStorage::raw()
        .set_item(&key, &text)
        .map_err(|_| "报告文字没有保存（浏览器存储已满或被禁用）。".to_string())
}

/// The sections whose paragraphs are generated from the figures.
fn generated(key: SectionKey) -> bool {
    matches!(key, SectionKey::Basic | SectionKey::Dynamic | SectionKey::Problems)
}

/// The draft as it prints: the generated paragraphs and the office's text (an empty text-only
/// section shows its hint in brackets, as in the exported text).
fn report_html(r: &Report) -> String {
    let mut out = String::with_capacity(8 * 1024);
    out.push_str(&format!(
        "<h2 class=\"report-title\">{}</h2><p class=\"addressee\">{}</p><p class=\"para\">{}</p>",
        esc(&r.title),
        esc(&r.addressee),
        esc(&r.opening)
    ));
    for s in &r.sections {
        out.push_str(&format!(
            "<section class=\"report-section\" data-section=\"{}\"><h3>{}</h3>",
            s.key.code(),
            esc(&s.heading)
        ));
        for p in &s.generated {
            out.push_str(&format!("<p class=\"para generated\">{}</p>", esc(p)));
        }
        let lines: Vec<&str> = s.text.lines().map(str::trim).filter(|l| !l.is_empty()).collect();
        if lines.is_empty() && s.generated.is_empty() {
            out.push_str(&format!("<p class=\"para hint\">（{}）</p>", esc(s.hint)));
        }
        for l in lines {
            out.push_str(&format!("<p class=\"para text\">{}</p>", esc(l)));
        }
        out.push_str("</section>");
    }
    out.push_str(&format!(
        "<div class=\"report-sign\"><p>{}</p><p>{}</p></div>",
        esc(&r.signer),
        esc(&chinese_date(r.date))
    ));
    out
}

/// `YYYY-MM-DD` from a date input.
fn parse_day(s: &str) -> Option<NaiveDate> {
    let mut it = s.trim().splitn(3, '-').map(|p| p.parse::<u32>().ok());
    let (y, m, d) = (it.next()??, it.next()??, it.next()??);
    NaiveDate::from_ymd_opt(y as i32, m, d)
}

/// 季度报告: the office's text on top, the draft as it prints below; print and text export.
#[component]
pub fn ReportPage(computed: Computed) -> impl IntoView {
    let view = computed.view.clone();
    let quarter = computed.quarter;
    let township = view.summary.township_name.clone();
    let villages: Vec<String> = view.summary.villages.iter().map(|t| t.name.clone()).collect();
    let unit = RwSignal::new(String::new());
    let (first, first_error) = load(quarter.year, quarter.q, "");
    let error = RwSignal::new(first_error);
    let edits = RwSignal::new(first);
    let draft = Memo::new(move |_| edits.with(|e| report::draft(&view.summary, e)));

    // One change by people: apply it, stamp it and keep it.
    let change = move |f: &dyn Fn(&mut ReportEdits)| {
        edits.update(|e| {
            f(e);
            e.updated_at = Some(Timestamp(clock::now()));
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
        let date = parse_day(&event_target_value(&ev));
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
    let today = computed.view.summary.today;
    let all_note = (computed.period == Period::All).then(|| {
        format!(
            "统计范围为全部记录，报告按最近走访所在的{}命名；只统计本季度走访请在上方选择该季度。",
            quarter.label()
        )
    });

    // The text boxes, built once per unit so that typing never rebuilds one.
    let boxes = move || {
        unit.track();
        let (texts, date) = edits.with_untracked(|e| {
            (
                SectionKey::ALL.iter().map(|k| e.text(*k).to_string()).collect::<Vec<_>>(),
                e.date.unwrap_or(today),
            )
        });
        let sections = SectionKey::ALL
            .iter()
            .zip(texts)
            .enumerate()
            .map(|(i, (&key, initial))| {
                let what = if generated(key) { "补充文字" } else { "本节文字" };
                let heading = format!("{}、{}（{what}）", ["一", "二", "三", "四", "五"][i], key.label());
                let hint = draft.with_untracked(|r| r.section(key).hint);
                view! {
                    <label class="field">
                        <span>{heading}</span>
                        <textarea name=format!("text-{}", key.code()) rows="4" placeholder=hint prop:value=initial
                            on:input=move |ev| { let t = event_target_value(&ev); change(&|e| e.set_text(key, &t)); }></textarea>
                    </label>
                }
            })
            .collect_view();
        view! {
            <label class="field">
                <span>"报告日期"</span>
                <input type="date" name="report-date" prop:value=date.to_string() on:change=on_date/>
            </label>
            {sections}
        }
    };

    view! {
        <div class="report-controls no-print card">
            <label class="field">
                <span>"报告单位"</span>
                <select name="unit" on:change=on_unit>
                    <option value="" selected=true>{format!("{township}（全乡）")}</option>
                    {villages.into_iter().map(|v| { let label = v.clone(); view! { <option value=v>{label}</option> } }).collect_view()}
                </select>
            </label>
            {all_note.map(|n| view! { <p class="warn">{n}</p> })}
            {boxes}
            <div class="actions">
                <button type="button" class="button" data-action="txt" on:click=export>"导出文本"</button>
                <button type="button" class="button" data-action="print" on:click=print>"打印"</button>
            </div>
            <p class="muted small">{move || format!("文字随时保存在本机浏览器中（{}），换手机或清除浏览器数据前请先导出文本。", edits.with(storage_key))}</p>
            {move || error.get().map(|e| view! { <p class="alert" role="alert">{e}</p> })}
        </div>
        <article class="report-paper" data-testid="report" inner_html=move || draft.with(report_html)></article>
    }
}
