//! 三、收支情况 (A21–A28). A26 and A27 are computed by the engine and shown live, never typed.
//!
//! A26 家庭总收入, 家庭纯收入 and A27 人均纯收入 (with 人数) are the evaluation's
//! `total_income`, `net_income` and `per_capita_net`; the monitoring line beside them says
//! 未经核对 while the policy is not confirmed. Under the figures stand the warnings on the
//! whole of `income` (`income-near-line`, `income-drop`); `income-below-line` is a risk, shown
//! in the risk panel, not here.

use leptos::prelude::*;

use crate::core::rules::yuan;
use crate::ui::editor::Editing;
use crate::ui::widgets::{messages_at, Lens, MoneyInput, TextInput};

/// Section 三.
#[component]
pub fn IncomeSection() -> impl IntoView {
    let Editing { record, evaluation } = expect_context::<Editing>();
    let period = Memo::new(move |_| {
        record.with(|h| match (h.visit.period_start, h.visit.period_end) {
            (Some(s), Some(e)) => {
                format!("（周期：{}至{}）", s.format("%Y年%-m月%-d日"), e.format("%Y年%-m月%-d日"))
            }
            _ => String::new(),
        })
    });
    let figures = Memo::new(move |_| {
        evaluation.with(|e| {
            (
                e.total_income,
                e.net_income,
                e.per_capita_net,
                e.household_size,
                e.policy.monitoring_line,
                e.policy.confirmed,
                e.policy.year,
            )
        })
    });
    // Error and warning findings on the whole of `income` (near the line, a drop).
    let messages = messages_at("income".to_string());
    let shown = |d: Option<rust_decimal::Decimal>, why: &'static str| {
        d.map(|d| format!("{} 元", yuan(d))).unwrap_or_else(|| why.to_string())
    };
    view! {
        <section class="form-section card" id="f-income" aria-labelledby="s3-h">
            <h2 id="s3-h">"三、收支情况"<span class="hh-period">{move || period.get()}</span></h2>
            <MoneyInput lens=Lens::new("income.production", |h| h.income.production.clone(), |h, v| h.income.production = v) code="A21" label="生产经营性收入"/>
            <MoneyInput lens=Lens::new("income.wage", |h| h.income.wage.clone(), |h, v| h.income.wage = v) code="A22" label="工资性收入"/>
            <MoneyInput lens=Lens::new("income.property", |h| h.income.property.clone(), |h, v| h.income.property = v) code="A23" label="财产性收入"/>
            <MoneyInput lens=Lens::new("income.transfer", |h| h.income.transfer.clone(), |h, v| h.income.transfer = v) code="A24" label="转移性收入"/>
            <MoneyInput lens=Lens::new("income.production_cost", |h| h.income.production_cost.clone(), |h, v| h.income.production_cost = v) code="A25" label="生产经营性支出"/>
            <dl class="computed" aria-live="polite">
                <div id="f-computed-total_income">
                    <dt><span class="q-code">"A26"</span>"家庭总收入"</dt>
                    <dd data-testid="a26">{move || shown(figures.get().0, "—（金额有误）")}</dd>
                </div>
                <div>
                    <dt>"家庭纯收入"</dt>
                    <dd>{move || shown(figures.get().1, "—")}</dd>
                </div>
                <div id="f-computed-per_capita_net">
                    <dt><span class="q-code">"A27"</span>"家庭人均纯收入"</dt>
                    <dd data-testid="a27">{move || {
                        let (_, _, pc, n, _, _, _) = figures.get();
                        if n == 0 { "—（尚无家庭成员）".to_string() } else { shown(pc, "—（金额有误）") }
                    }}<small>{move || format!("{}人", figures.get().3)}</small></dd>
                </div>
                <div>
                    <dt>{move || format!("{}年监测标准", figures.get().6)}</dt>
                    <dd data-testid="policy-line">{move || format!("{} 元", yuan(figures.get().4))}
                        {move || (!figures.get().5).then(|| view! { <small class="unconfirmed">"未经核对"</small> })}</dd>
                </div>
            </dl>
            <div class="q-messages">
                {move || messages.get().into_iter().map(|m| view! { <p class="q-msg warning" data-code=m.code.as_str()>{m.message}</p> }).collect_view()}
            </div>
            <MoneyInput lens=Lens::new("income.other_expense", |h| h.income.other_expense.clone(), |h, v| h.income.other_expense = v)
                code="A28" label="其他支出" hint="因病因学因灾因意外事故等刚性支出较大或收入大幅缩减的金额；没有可不填"/>
            <TextInput lens=Lens::new("income.other_expense_note", |h| h.income.other_expense_note.clone(), |h, v| h.income.other_expense_note = v)
                code="A28" label="具体为" placeholder="如：住院治疗、子女上学"/>
            <crate::ui::evidence::field_photos::FieldPhotos path="income.other_expense"/>
        </section>
    }
}
