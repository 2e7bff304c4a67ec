//! The live risk panel: a bar fixed at the bottom of the editor with the engine's verdict, the
//! number of errors, A27 and whether the monitoring line is confirmed; it opens to every
//! finding, grouped by severity. Tapping a finding goes to its field.
//!
//! The bar: `Evaluation::verdict()` (`有风险 · 建议纳入监测（边缘易致贫户）`), `N处错误` or
//! `无错误`, `A27 … 元`, and `监测标准未经核对` while the policy is unconfirmed — one memo, so
//! the bar re-renders only when one of these changes. Opened, it lists the findings grouped
//! 错误 / 风险 / 提醒 / 信息 ([`FindingList`]); each goes to its field (`form::nav`), and
//! `为什么？` shows the rule's title and *why* from the catalogue (`rules::rule(code)`).
//! `复核并完成` opens the review page.

use leptos::prelude::*;

use crate::ui::parts::when;

use crate::core::evaluation::Severity;
use crate::core::rules::yuan;
use crate::ui::editor::Editing;
use crate::ui::router::Route;

mod findings;

pub use findings::FindingList;

/// What the bar shows (one memo: the bar re-renders only when one of these changes).
#[derive(Clone, Debug, PartialEq)]
struct Bar {
    verdict: String,
    at_risk: bool,
    errors: usize,
    a27: Option<String>,
    confirmed: bool,
}

/// The sticky risk panel.
#[component]
pub fn RiskPanel() -> impl IntoView {
    let Editing { record, evaluation } = expect_context::<Editing>();
    let open = RwSignal::new(false);
    let bar = Memo::new(move |_| {
        evaluation.with(|e| Bar {
            verdict: e.verdict(),
            at_risk: e.at_risk,
            errors: e.of(Severity::Error).count(),
            a27: if e.household_size > 0 { e.per_capita_net.map(yuan) } else { None },
            confirmed: e.policy.confirmed,
        })
    });
    let review_href = Memo::new(move |_| Route::Review(record.with(|h| h.id.to_string())).href());
    view! {
        <aside class="risk-panel" class:open=move || open.get() aria-label="研判结果" data-testid="risk-panel">
            <button type="button" class="risk-bar" aria-expanded=move || if open.get() { "true" } else { "false" }
                aria-controls="risk-findings" on:click=move |_| open.update(|o| *o = !*o)>
                {move || {
                    let b = bar.get();
                    view! {
                        <span class="verdict" class:at-risk=b.at_risk data-testid="verdict">{b.verdict.clone()}</span>
                        <span class="bar-figures">
                            <span class="errors" class:none=b.errors == 0 data-testid="error-count">
                                {if b.errors == 0 { "无错误".to_string() } else { format!("{}处错误", b.errors) }}
                            </span>
                            <span data-testid="bar-a27">{format!("A27 {}", b.a27.clone().map(|a| format!("{a} 元")).unwrap_or_else(|| "—".into()))}</span>
                            {(!b.confirmed).then(|| view! { <span class="unconfirmed">"监测标准未经核对"</span> })}
                        </span>
                    }
                }}
                <span class="chevron" aria-hidden="true">{move || if open.get() { "▾" } else { "▴" }}</span>
            </button>
            {when(move || open.get(), move || view! {
                <div class="risk-findings" id="risk-findings">
                    <FindingList on_go=Callback::new(move |_: ()| open.set(false))/>
                    <a class="button primary review-link" href=move || review_href.get() on:click=move |_| open.set(false)>"复核并完成"</a>
                </div>
            }.into_any())}
        </aside>
    }
}
