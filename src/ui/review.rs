//! The review page (`#/h/<id>/review`): the household, its members, the figures, the
//! people's judgement beside the engine's and every finding; `完成` (only when the engine says
//! the record can be final) and `修改` (back to draft).
//!
//! The summary lists the household, the members, A21–A28 with A26/A27, 三保障, 五 with the
//! engine's verdict and 六–八 when they apply, written as escaped HTML text (one string, not a
//! tree of views: see `tests/bench/README.md`, *First-load size*); then every finding, each
//! tappable as in the risk panel. **完成** is enabled only when `evaluation.can_finalize` (no
//! error finding stands) and sets `status: final`; until then the page says how many errors are
//! left. A final record shows `本记录已完成，现为只读。 [修改]` above the form, and the whole form
//! is one `<fieldset disabled>` (member cards still open to be read); **修改** sets it back to
//! draft. Every change, these two included, is saved by the autosave as a new revision.

use std::fmt::Write;

use leptos::prelude::*;

use crate::ui::parts::when;

use crate::core::evaluation::Severity;
use crate::core::record::{Household, Status, MEASURE_KEYS};
use crate::core::rules::{yuan, MemberFacts};
use crate::core::township::charts::escape as esc;
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
    if s.trim().is_empty() {
        "未填".to_string()
    } else {
        s.to_string()
    }
}

fn date(d: Option<chrono::NaiveDate>) -> String {
    d.map(|d| d.format("%Y-%m-%d").to_string()).unwrap_or_else(|| "未填".into())
}

fn money(m: &Option<crate::core::money::Money>) -> String {
    m.as_ref().map(|m| m.to_text()).unwrap_or_else(|| "未填".into())
}

/// A read-only summary written as HTML text: it is rebuilt whole when the record changes, so a
/// string set as `inner_html` does the job of a tree of view types at a fraction of the code
/// size. Every text goes through [`esc`].
struct Html(String);

impl Html {
    fn open(&mut self, title: &str) {
        let _ =
            write!(self.0, "<section class=\"card\"><h3>{}</h3><dl class=\"summary\">", esc(title));
    }
    fn row(&mut self, term: &str, value: &str) {
        let _ = write!(self.0, "<div><dt>{}</dt><dd>{}</dd></div>", esc(term), esc(value));
    }
    fn close(&mut self) {
        self.0.push_str("</dl></section>");
    }
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
    let summary = Memo::new(move |_| record.with(|h| evaluation.with(|e| summary_html(h, e))));
    view! {
        <section class="review" aria-labelledby="review-h">
            <h2 id="review-h">"复核"</h2>
            <p><a class="back" href=move || back.get()>"‹ 返回填写"</a></p>
            <div class="review-summary" inner_html=move || summary.get()></div>
            <section class="card">
                <h3>"研判发现"</h3>
                <FindingList/>
            </section>
            <div class="finalize card">
                {when(move || ui.readonly.get(), move || view! {
                    <p class="ok">"本记录已完成。"</p>
                    <button type="button" class="button big" on:click=reopen>"修改"</button>
                }.into_any())}
                {when(move || !ui.readonly.get(), move || view! {
                    {when(move || !can_finalize.get(), move || view! {
                        <p class="alert">{move || format!("还有 {} 处错误，改正后才能完成。点上面的错误可直接去改。", errors.get())}</p>
                    }.into_any())}
                    <button type="button" class="button primary big" disabled=move || !can_finalize.get() on:click=finalize>"完成"</button>
                }.into_any())}
            </div>
        </section>
    }
}

/// Everything of the record, read-only, as HTML text.
fn summary_html(h: &Household, e: &crate::core::evaluation::Evaluation) -> String {
    let mut out = Html(String::with_capacity(4096));
    let a = &h.address;
    let address = format!(
        "{}{}{}{}",
        a.banner,
        a.township,
        a.village,
        if a.group.is_empty() { String::new() } else { format!("（{}）", a.group) }
    );
    out.open("一、基本信息");
    out.row("走访日期", &date(h.visit.date));
    out.row("收入周期", &format!("{} 至 {}", date(h.visit.period_start), date(h.visit.period_end)));
    out.row("家庭住址", &address);
    out.row("A1 户属性", h.category.map(|c| c.label()).unwrap_or("未填"));
    if h.is_monitored() {
        out.row("识别为监测对象日期", &date(h.monitoring.identified_on));
    }
    out.row("A2 易地扶贫搬迁集中安置区", yes_no(h.resettlement_site));
    out.row("户主联系电话", &or_blank(&h.phone));
    out.row("本户排查人", &or_blank(&h.visit.surveyor));
    out.row(
        "风险研判人",
        &if h.visit.assessors.is_empty() {
            "未填".to_string()
        } else {
            h.visit.assessors.join("、")
        },
    );
    out.close();

    let _ = write!(
        out.0,
        "<section class=\"card\"><h3>{}</h3><div class=\"review-table\"><table class=\"members-table\"><thead><tr>\
         <th>序号</th><th>姓名</th><th>关系</th><th>性别年龄</th><th>证件号码</th><th>健康</th><th>劳动技能</th></tr></thead><tbody>",
        esc(&format!("二、家庭成员（{}人）", h.members.len()))
    );
    for (i, m) in h.members.iter().enumerate() {
        let facts = MemberFacts::of(m, h.visit.date);
        let age = facts.age.map(|a| format!("{a}岁")).unwrap_or_default();
        let health: Vec<&str> = m.health.iter().map(|x| x.label()).collect();
        let cells = [
            (i + 1).to_string(),
            or_blank(&m.name),
            m.relation.map(|r| r.label()).unwrap_or("未填").to_string(),
            format!("{} {age}", m.sex.map(|s| s.label()).unwrap_or("未填")),
            or_blank(&m.id_number),
            if health.is_empty() { "未填".to_string() } else { health.join("、") },
            m.labor.map(|l| l.label()).unwrap_or("未填").to_string(),
        ];
        out.0.push_str("<tr>");
        for (k, c) in cells.iter().enumerate() {
            let _ =
                write!(out.0, "<td{}>{}</td>", if k == 4 { " class=\"mono\"" } else { "" }, esc(c));
        }
        out.0.push_str("</tr>");
    }
    out.0.push_str("</tbody></table></div></section>");

    let i = &h.income;
    let fig = |d: Option<rust_decimal::Decimal>| {
        d.map(|d| format!("{} 元", yuan(d))).unwrap_or_else(|| "—".into())
    };
    out.open("三、收支情况");
    out.row("A21 生产经营性收入", &money(&i.production));
    out.row("A22 工资性收入", &money(&i.wage));
    out.row("A23 财产性收入", &money(&i.property));
    out.row("A24 转移性收入", &money(&i.transfer));
    out.row("A25 生产经营性支出", &money(&i.production_cost));
    out.row("A26 家庭总收入", &fig(e.total_income));
    out.row("A27 家庭人均纯收入", &fig(e.per_capita_net));
    let note = if i.other_expense_note.is_empty() {
        String::new()
    } else {
        format!("（{}）", i.other_expense_note)
    };
    out.row("A28 其他支出", &format!("{}{note}", money(&i.other_expense)));
    out.row("扣除其他支出后人均", &fig(e.per_capita_after_rigid));
    out.row(
        "监测标准",
        &format!(
            "{} 元{}",
            yuan(e.policy.monitoring_line),
            if e.policy.confirmed { "" } else { "（未经核对）" }
        ),
    );
    out.close();

    let g = &h.guarantees;
    out.open("四、三保障和安全饮水");
    out.row("A29 适龄儿童少年失学辍学", yes_no(g.dropout));
    out.row("A30 全部参加基本医疗保险", yes_no(g.all_insured));
    let water: String = g.water_issues.iter().map(|w| format!(" · {}", w.label())).collect();
    out.row("A31 解决安全饮水", &format!("{}{water}", yes_no(g.safe_water)));
    let grade = g.house_grade.map(|x| format!(" · {}", x.label())).unwrap_or_default();
    out.row("A32 危房", &format!("{}{grade}", yes_no(g.dangerous_house)));
    out.close();

    out.open("五、风险研判");
    out.row("系统研判", &e.verdict());
    out.row("是否存在致贫返贫风险", yes_no(h.judgement.at_risk));
    if !h.is_monitored() {
        out.row("是否需要新识别为监测对象", yes_no(h.judgement.identify));
    }
    if !h.judgement.reason.is_empty() {
        out.row("具体原因", &h.judgement.reason);
    }
    out.close();

    if crate::ui::form::monitoring_sections(h) {
        let labels = |v: Vec<&str>| if v.is_empty() { "未填".to_string() } else { v.join("、") };
        let applied: Vec<&str> = MEASURE_KEYS
            .iter()
            .zip(h.measures.applied())
            .filter(|(_, a)| *a == Some(true))
            .map(|((_, code, label), _)| if *code == "A45" { "其他" } else { *label })
            .collect();
        out.open("六至八、监测对象");
        out.row("A33 风险类型", &labels(h.risk.types.iter().map(|t| t.label()).collect()));
        if !h.risk.disaster_types.is_empty() {
            out.row(
                "A33a 因自然灾害",
                &labels(h.risk.disaster_types.iter().map(|t| t.label()).collect()),
            );
        }
        out.row(
            "A34–A45 帮扶措施",
            &if applied.is_empty() { "无".to_string() } else { applied.join("、") },
        );
        out.row("A46 风险是否消除", yes_no(h.elimination.eliminated));
        if let Some(m) = h.elimination.method {
            out.row("A47 风险消除方式", m.label());
        }
        out.close();
    }
    out.0
}
