//! The findings of the evaluation in Chinese, grouped by severity; each one goes to its field
//! when tapped and tells the rule's *why* on demand (from the rule catalogue).

use leptos::prelude::*;

use crate::ui::parts::when;

use crate::core::evaluation::{Finding, Severity};
use crate::ui::editor::Editing;
use crate::ui::form::nav::Nav;

/// The findings by severity (错误, 风险, 提醒, 信息). `on_go` runs after a tap sent the
/// surveyor to a field (the panel closes).
#[component]
pub fn FindingList(#[prop(optional)] on_go: Option<Callback<()>>) -> impl IntoView {
    let Editing { evaluation, .. } = expect_context::<Editing>();
    let findings = Memo::new(move |_| evaluation.with(|e| e.findings.clone()));
    let group = move |severity: Severity, title: &'static str| {
        let list = Memo::new(move |_| {
            findings
                .with(|f| f.iter().filter(|x| x.severity == severity).cloned().collect::<Vec<_>>())
        });
        view! {
            {when(move || list.with(|l| !l.is_empty()), move || view! {
                <section class="finding-group" data-severity=severity.code()>
                    <h3>{move || format!("{title}（{}）", list.with(Vec::len))}</h3>
                    <ul class="findings">
                        {move || list.get().into_iter().map(|f| view! { <FindingItem finding=f on_go=on_go/> }).collect_view()}
                    </ul>
                </section>
            }.into_any())}
        }
    };
    view! {
        <div class="finding-list">
            {when(move || findings.with(|f| f.is_empty()), move || view! {
                <p class="muted">"没有发现问题。"</p>
            }.into_any())}
            {group(Severity::Error, "错误")}
            {group(Severity::Risk, "风险")}
            {group(Severity::Warning, "提醒")}
            {group(Severity::Info, "信息")}
        </div>
    }
}

/// One finding: its message (a button to its field) and 为什么 (the rule's why).
#[component]
fn FindingItem(finding: Finding, on_go: Option<Callback<()>>) -> impl IntoView {
    let nav = expect_context::<Nav>();
    let why_open = RwSignal::new(false);
    let path = finding.paths.first().cloned();
    let rule = finding.code.rule();
    let go = move |_| {
        if let Some(p) = &path {
            nav.go(p);
            if let Some(cb) = on_go {
                cb.run(());
            }
        }
    };
    view! {
        <li class="finding" data-code=finding.code.as_str() data-severity=finding.severity.code()>
            <button type="button" class="finding-go" on:click=go>{finding.message.clone()}</button>
            <button type="button" class="why-toggle" aria-expanded=move || if why_open.get() { "true" } else { "false" }
                on:click=move |_| why_open.update(|o| *o = !*o)>"为什么？"</button>
            {when(move || why_open.get(), move || view! {
                <p class="why"><strong>{rule.title}"："</strong>{rule.why}</p>
            }.into_any())}
        </li>
    }
}
