//! The review page (`#/h/<id>/review`): the household, its members, the figures, the
//! people's judgement beside the engine's and every finding; `完成` (only when the engine says
//! the record can be final) and `修改` (back to draft).

use leptos::prelude::*;

use crate::core::evaluation::Severity;
use crate::core::record::{Household, Status, MEASURE_KEYS};
use crate::core::rules::{yuan, MemberFacts};
use crate::ui::editor::Editing;
use crate::ui::form::FormUi;
use crate::ui::risk::FindingList;
use crate::ui::router::Route;

fn yes_no(v: Option<bool>) -> &'static str {
    match v {
        Some(true) => "是",
        Some(false) => "否",
        None => "未填",
    }
}

fn or_blank(s: &str) -> String {
    if s.trim().is_empty() { "未填".to_string() } else { s.to_string() }
}

fn date(d: Option<chrono::NaiveDate>) -> String {
    d.map(|d| d.format("%Y-%m-%d").to_string()).unwrap_or_else(|| "未填".into())
}

fn money(m: &Option<crate::core::money::Money>) -> String {
    m.as_ref().map(|m| m.to_text()).unwrap_or_else(|| "未填".into())
}

/// A row of a definition list.
fn row(term: impl Into<String>, value: impl Into<String>) -> impl IntoView {
    view! { <div><dt>{term.into()}</dt><dd>{value.into()}</dd></div> }
}

/// The summary of one record, for review.
#[component]
pub fn Review() -> impl IntoView {
    let Editing { record, evaluation } = expect_context::<Editing>();
    let ui = expect_context::<FormUi>();
    let can_finalize = Memo::new(move |_| evaluation.with(|e| e.can_finalize));
    let errors = Memo::new(move |_| evaluation.with(|e| e.of(Severity::Error).count()));
    let finalize = move |_| {
        if can_finalize.get_untracked() {
            record.update(|h| h.status = Status::Final);
        }
    };
    let reopen = move |_| record.update(|h| h.status = Status::Draft);
    let back = Memo::new(move |_| Route::Editor(record.with(|h| h.id.to_string())).href());
    let summary = move || record.with(|h| evaluation.with(|e| summary_view(h, e)));
    view! {
        <section class="review" aria-labelledby="review-h">
            <h2 id="review-h">"复核"</h2>
            <p><a class="back" href=move || back.get()>"‹ 返回填写"</a></p>
            {summary}
            <section class="card">
                <h3>"研判发现"</h3>
                <FindingList/>
            </section>
            <div class="finalize card">
                <Show when=move || !ui.readonly.get() fallback=move || view! {
                    <p class="ok">"本记录已完成。"</p>
                    <button type="button" class="button big" on:click=reopen>"修改"</button>
                }>
                    <Show when=move || !can_finalize.get()>
                        <p class="alert">{move || format!("还有 {} 处错误，改正后才能完成。点上面的错误可直接去改。", errors.get())}</p>
                    </Show>
                    <button type="button" class="button primary big" disabled=move || !can_finalize.get() on:click=finalize>"完成"</button>
                </Show>
            </div>
        </section>
    }
}

/// Everything of the record, read-only.
fn summary_view(h: &Household, e: &crate::core::evaluation::Evaluation) -> impl IntoView {
    let a = &h.address;
    let address = format!("{}{}{}{}", a.banner, a.township, a.village, if a.group.is_empty() { String::new() } else { format!("（{}）", a.group) });
    let period = format!("{} 至 {}", date(h.visit.period_start), date(h.visit.period_end));
    let members: Vec<_> = h
        .members
        .iter()
        .enumerate()
        .map(|(i, m)| {
            let facts = MemberFacts::of(m, h.visit.date);
            let age = facts.age.map(|a| format!("{a}岁")).unwrap_or_default();
            let health: Vec<&str> = m.health.iter().map(|x| x.label()).collect();
            view! {
                <tr>
                    <td>{i + 1}</td>
                    <td>{or_blank(&m.name)}</td>
                    <td>{m.relation.map(|r| r.label()).unwrap_or("未填")}</td>
                    <td>{format!("{} {age}", m.sex.map(|s| s.label()).unwrap_or("未填"))}</td>
                    <td class="mono">{or_blank(&m.id_number)}</td>
                    <td>{if health.is_empty() { "未填".to_string() } else { health.join("、") }}</td>
                    <td>{m.labor.map(|l| l.label()).unwrap_or("未填")}</td>
                </tr>
            }
        })
        .collect();
    let i = &h.income;
    let g = &h.guarantees;
    let fig = |d: Option<rust_decimal::Decimal>| d.map(|d| format!("{} 元", yuan(d))).unwrap_or_else(|| "—".into());
    let applied: Vec<&str> = MEASURE_KEYS
        .iter()
        .zip(h.measures.applied())
        .filter(|(_, a)| *a == Some(true))
        .map(|((_, code, label), _)| if *code == "A45" { "其他" } else { *label })
        .collect();
    let monitoring = crate::ui::form::monitoring_sections(h);
    view! {
        <section class="card">
            <h3>"一、基本信息"</h3>
            <dl class="summary">
                {row("走访日期", date(h.visit.date))}
                {row("收入周期", period)}
                {row("家庭住址", address)}
                {row("A1 户属性", h.category.map(|c| c.label()).unwrap_or("未填"))}
                {h.is_monitored().then(|| row("识别为监测对象日期", date(h.monitoring.identified_on)))}
                {row("A2 易地扶贫搬迁集中安置区", yes_no(h.resettlement_site))}
                {row("户主联系电话", or_blank(&h.phone))}
                {row("本户排查人", or_blank(&h.visit.surveyor))}
                {row("风险研判人", if h.visit.assessors.is_empty() { "未填".to_string() } else { h.visit.assessors.join("、") })}
            </dl>
        </section>
        <section class="card">
            <h3>{format!("二、家庭成员（{}人）", h.members.len())}</h3>
            <div class="table-scroll">
                <table class="members-table">
                    <thead><tr><th>"序号"</th><th>"姓名"</th><th>"关系"</th><th>"性别年龄"</th><th>"证件号码"</th><th>"健康"</th><th>"劳动技能"</th></tr></thead>
                    <tbody>{members}</tbody>
                </table>
            </div>
        </section>
        <section class="card">
            <h3>"三、收支情况"</h3>
            <dl class="summary">
                {row("A21 生产经营性收入", money(&i.production))}
                {row("A22 工资性收入", money(&i.wage))}
                {row("A23 财产性收入", money(&i.property))}
                {row("A24 转移性收入", money(&i.transfer))}
                {row("A25 生产经营性支出", money(&i.production_cost))}
                {row("A26 家庭总收入", fig(e.total_income))}
                {row("A27 家庭人均纯收入", fig(e.per_capita_net))}
                {row("A28 其他支出", format!("{}{}", money(&i.other_expense), if i.other_expense_note.is_empty() { String::new() } else { format!("（{}）", i.other_expense_note) }))}
                {row("扣除其他支出后人均", fig(e.per_capita_after_rigid))}
                {row("监测标准", format!("{} 元{}", yuan(e.policy.monitoring_line), if e.policy.confirmed { "" } else { "（未经核对）" }))}
            </dl>
        </section>
        <section class="card">
            <h3>"四、三保障和安全饮水"</h3>
            <dl class="summary">
                {row("A29 适龄儿童少年失学辍学", yes_no(g.dropout))}
                {row("A30 全部参加基本医疗保险", yes_no(g.all_insured))}
                {row("A31 解决安全饮水", format!("{}{}", yes_no(g.safe_water), g.water_issues.iter().map(|w| format!(" · {}", w.label())).collect::<String>()))}
                {row("A32 危房", format!("{}{}", yes_no(g.dangerous_house), g.house_grade.map(|x| format!(" · {}", x.label())).unwrap_or_default()))}
            </dl>
        </section>
        <section class="card">
            <h3>"五、风险研判"</h3>
            <dl class="summary">
                {row("系统研判", e.verdict())}
                {row("是否存在致贫返贫风险", yes_no(h.judgement.at_risk))}
                {(!h.is_monitored()).then(|| row("是否需要新识别为监测对象", yes_no(h.judgement.identify)))}
                {(!h.judgement.reason.is_empty()).then(|| row("具体原因", h.judgement.reason.clone()))}
            </dl>
        </section>
        {monitoring.then(|| view! {
            <section class="card">
                <h3>"六至八、监测对象"</h3>
                <dl class="summary">
                    {row("A33 风险类型", if h.risk.types.is_empty() { "未填".to_string() } else { h.risk.types.iter().map(|t| t.label()).collect::<Vec<_>>().join("、") })}
                    {(!h.risk.disaster_types.is_empty()).then(|| row("A33a 因自然灾害", h.risk.disaster_types.iter().map(|t| t.label()).collect::<Vec<_>>().join("、")))}
                    {row("A34–A45 帮扶措施", if applied.is_empty() { "无".to_string() } else { applied.join("、") })}
                    {row("A46 风险是否消除", yes_no(h.elimination.eliminated))}
                    {h.elimination.method.map(|m| row("A47 风险消除方式", m.label()))}
                </dl>
            </section>
        })}
    }
}
