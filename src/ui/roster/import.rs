//! 导入花名册: the file input (.xlsx, .xls, .csv), the core's reader, and its report — the
//! error naming file, sheet, row and column as the core gives it, or what was read and its
//! warnings. Only a file that reads is kept (replacing the roster kept before); a refused
//! file changes nothing.

use std::sync::Arc;

use leptos::prelude::*;

use super::data::{keep_file, read_file, RosterData, RosterFile, Shared};
use crate::core::roster::Warning;
use crate::ui::expect_store;
use crate::ui::transfer::file::{picked_files, read_bytes};

/// What the last import said (kept in [`RosterData::import`], so that it outlives the page's
/// re-render when the new roster arrives).
#[derive(Clone, Debug, PartialEq)]
pub enum Outcome {
    Reading(String),
    Refused(String),
    Read { file: String, households: usize, people: usize },
}

/// How many warnings are listed (the rest are counted).
const SHOWN_WARNINGS: usize = 50;

/// The 导入花名册 card.
#[component]
pub fn RosterImport() -> impl IntoView {
    let data = expect_context::<RosterData>();
    let outcome = data.import;
    let store = expect_store();
    let on_change = move |ev: leptos::ev::Event| {
        let (input, picked) = picked_files(&ev);
        let Some(file) = picked.into_iter().next() else { return };
        let store = store.clone();
        let name = file.name();
        outcome.set(Some(Outcome::Reading(name.clone())));
        leptos::task::spawn_local(async move {
            let bytes = match read_bytes(&file).await {
                Ok(b) => b,
                Err(e) => {
                    outcome.set(Some(Outcome::Refused(format!("{name}：文件读不出来：{e}"))));
                    return;
                }
            };
            let f = RosterFile { name: name.clone(), bytes };
            match read_file(&f) {
                Err(e) => outcome.set(Some(Outcome::Refused(e.to_string()))),
                Ok(r) => {
                    let (households, people) = (r.households.len(), r.people());
                    if let Err(e) = keep_file(&store, &f).await {
                        data.store_error.set(Some(e));
                    } else {
                        data.store_error.set(None);
                    }
                    data.roster.set(Some(Some(Shared(Arc::new(r)))));
                    outcome.set(Some(Outcome::Read { file: name, households, people }));
                }
            }
            input.set_value("");
        });
    };

    let report = move || {
        outcome.get().map(|o| match o {
            Outcome::Reading(name) => {
                view! { <p class="muted" role="status">{format!("正在读取 {name}…")}</p> }
                    .into_any()
            }
            Outcome::Refused(message) => view! {
                <div class="alert roster-error" role="alert">
                    <p>"花名册没有导入（原来保存的花名册不变）："</p>
                    <pre class="roster-problems">{message}</pre>
                </div>
            }
            .into_any(),
            Outcome::Read { file, households, people } => view! {
                <p class="ok" role="status" data-roster-imported="">
                    {format!("已导入 {file}：{households} 户 {people} 人。")}
                </p>
            }
            .into_any(),
        })
    };

    view! {
        <div class="card roster-import no-print">
            <label class="button" for="import-roster">"导入花名册"</label>
            <input id="import-roster" class="visually-hidden" type="file"
                accept=".xlsx,.xls,.csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet,application/vnd.ms-excel,text/csv"
                on:change=on_change/>
            <p class="muted small">"全国防返贫监测信息系统导出的花名册（.xlsx、.xls 或 .csv）。导入后保存在本机，下次打开仍在。"</p>
            {report}
            {move || data.store_error.get().map(|e| view! { <p class="alert" role="alert">{e}</p> })}
        </div>
    }
}

/// The roster's warnings (unknown labels, IDs, households without 户主), as the core words them.
#[component]
pub fn RosterWarnings(warnings: Vec<Warning>) -> impl IntoView {
    if warnings.is_empty() {
        return ().into_any();
    }
    let n = warnings.len();
    let more = n.saturating_sub(SHOWN_WARNINGS);
    view! {
        <details class="card roster-warnings" data-warnings=n>
            <summary>{format!("花名册提示 {n} 条")}</summary>
            <ul>
                {warnings.into_iter().take(SHOWN_WARNINGS).map(|w| view! {
                    <li data-warning=w.code.code()>{w.to_string()}</li>
                }).collect_view()}
            </ul>
            {(more > 0).then(|| view! { <p class="muted">{format!("另有 {more} 条未列出。")}</p> })}
        </details>
    }
    .into_any()
}
