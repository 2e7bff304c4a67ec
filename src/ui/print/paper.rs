//! The paper form 《农牧户基本情况摸底排查表》 filled with one record, sections 一 to 八.

use leptos::prelude::*;

use super::choices::{of, yes_no, Choices};
use super::measures::MeasureTable;
use super::members::MemberTable;
use super::signatures::Signatures;
use crate::core::money::{format_yuan, Money};
use crate::core::record::{Category, DisasterType, EliminationMethod, Household, HouseGrade, RiskType, WaterIssue};
use crate::core::rules::figures;

/// An answer written on the line (blank line when empty).
fn fill(text: String) -> impl IntoView {
    let empty = text.trim().is_empty();
    view! { <span class="fill" class:empty=empty>{text}</span> }
}

fn money(m: &Option<Money>) -> String {
    match m {
        Some(Money::Amount(d)) => format_yuan(*d),
        Some(Money::Invalid(s)) => s.clone(),
        None => String::new(),
    }
}

fn tick(label: &str, on: bool) -> Vec<(String, bool)> {
    vec![(label.to_string(), on)]
}

/// One record on A4, laid out like the paper form.
#[component]
pub fn PaperForm(record: Household) -> impl IntoView {
    let h = record;
    let fig = figures(&h);
    let cat = h.category;
    let is = |c: Category| cat == Some(c);
    let exited = cat.is_some_and(Category::is_exited);
    let monitored = cat.is_some_and(Category::is_monitored);
    let a = &h.address;
    let g = &h.guarantees;
    let j = &h.judgement;
    let e = &h.elimination;
    let i = &h.income;
    let period = format!(
        "{}至{}",
        h.visit.period_start.map(|d| d.format("%Y年%-m月%-d日").to_string()).unwrap_or_else(|| "＿＿＿＿".into()),
        h.visit.period_end.map(|d| d.format("%Y年%-m月%-d日").to_string()).unwrap_or_else(|| "＿＿＿＿".into())
    );
    let amount = |code: &'static str, label: &'static str, value: String| {
        view! { <p class="amount"><span class="code">{code}</span>{label}{fill(value)}"元"</p> }
    };
    let water_issues = of(WaterIssue::ALL, &g.water_issues, |x| x.label());
    let grades = of(HouseGrade::ALL, &g.house_grade.into_iter().collect::<Vec<_>>(), |x| x.label());
    let risk_types = of(RiskType::ALL, &h.risk.types, |x| x.label());
    let disaster_types = of(DisasterType::ALL, &h.risk.disaster_types, |x| x.label());
    let methods = of(EliminationMethod::ALL, &e.method.into_iter().collect::<Vec<_>>(), |x| x.label());
    let visit = h.visit.date.map(|d| d.format("%Y年%-m月%-d日").to_string()).unwrap_or_default();

    view! {
        <article class="paper" data-record=h.id.to_string()>
            <header class="paper-head">
                <h1>"农牧户基本情况摸底排查表"</h1>
                <p class="paper-meta">"走访日期："{fill(visit)}</p>
            </header>

            <section class="sec" data-section="1">
                <h2>"一、基本信息"</h2>
                <p>"家庭住址："{fill(a.banner.clone())}" "{fill(a.township.clone())}"（乡镇） "{fill(a.village.clone())}"（村） "
                    {fill(a.group.clone())}"（自然村/村民小组）"</p>
                <p><span class="code">"A1"</span>"户属性："
                    <Choices options=tick("一般农牧户", is(Category::General))/>
                    <Choices options=tick("脱贫户", exited)/>"（"
                    <Choices options=vec![("脱贫享受政策户".into(), is(Category::ExitedSupported)), ("脱贫不享受政策户".into(), is(Category::ExitedUnsupported))]/>"）"
                    <Choices options=tick("监测对象", monitored)/>"（"
                    <Choices options=vec![
                        ("脱贫不稳定户".into(), is(Category::MonitoredUnstable)),
                        ("边缘易致贫户".into(), is(Category::MonitoredMarginal)),
                        ("突发严重困难户".into(), is(Category::MonitoredHardship)),
                    ]/>"）"
                </p>
                {monitored.then(|| view! {
                    <p class="small">"识别为监测对象时间："{fill(h.monitoring.identified_on.map(|d| d.to_string()).unwrap_or_default())}</p>
                })}
                <p><span class="code">"A2"</span>"大中型易地扶贫搬迁集中安置区："<Choices options=yes_no(h.resettlement_site)/>
                    "　户主联系电话："{fill(h.phone.clone())}</p>
            </section>

            <section class="sec" data-section="2">
                <h2>"二、家庭成员信息"</h2>
                <MemberTable members=h.members.clone()/>
            </section>

            <section class="sec" data-section="3">
                <h2>"三、收支情况（周期：" {period} "）"</h2>
                <div class="amounts">
                    {amount("A21", "生产经营性收入", money(&i.production))}
                    {amount("A22", "工资性收入", money(&i.wage))}
                    {amount("A23", "财产性收入", money(&i.property))}
                    {amount("A24", "转移性收入", money(&i.transfer))}
                    {amount("A25", "生产经营性支出", money(&i.production_cost))}
                    {amount("A26", "家庭总收入", fig.total_income.map(format_yuan).unwrap_or_default())}
                    {amount("A27", "家庭人均纯收入", fig.per_capita_net.map(format_yuan).unwrap_or_default())}
                </div>
                <p class="amount"><span class="code">"A28"</span>"其他支出"{fill(money(&i.other_expense))}"元，具体为："
                    {fill(i.other_expense_note.clone())}</p>
                <p class="small muted">"（因病因学因灾因意外事故等刚性支出较大或收入大幅缩减的金额）A26、A27 由系统按 A21–A25 计算。"</p>
            </section>

            <section class="sec" data-section="4">
                <h2>"四、三保障和安全饮水"</h2>
                <p><span class="code">"A29"</span>"是否有适龄儿童少年失学辍学："<Choices options=yes_no(g.dropout)/></p>
                <p><span class="code">"A30"</span>"是否全部参加城乡居民基本医疗保险："<Choices options=yes_no(g.all_insured)/></p>
                <p><span class="code">"A31"</span>"是否解决安全饮水："<Choices options=yes_no(g.safe_water)/>"　如选否，具体为："<Choices options=water_issues/></p>
                <p><span class="code">"A32"</span>"是否危房："<Choices options=yes_no(g.dangerous_house)/>"　如选是，具体为："<Choices options=grades/></p>
            </section>

            <section class="sec" data-section="5">
                <h2>"五、风险研判"</h2>
                <p>"是否存在致贫返贫风险："<Choices options=yes_no(j.at_risk)/>"，是否需要新识别为监测对象："<Choices options=yes_no(j.identify)/>"。"</p>
                <p>"（不符合纳入和不在系统监测的填写至此）选否填写具体原因："{fill(j.reason.clone())}</p>
                <Signatures surveyor=h.visit.surveyor.clone() assessors=h.visit.assessors.clone()/>
            </section>

            <section class="sec" data-section="6">
                <h2>"六、监测对象风险类型"</h2>
                <p class="small muted">"（已监测的对照系统核实；新纳入监测的对照主要风险在A33中选，如选因自然灾害的，继续选填A33a类型）"</p>
                <p><span class="code">"A33"</span>"风险类型："<Choices options=risk_types/>
                    {(!h.risk.other_note.is_empty()).then(|| view! { "（其他："{fill(h.risk.other_note.clone())}"）" })}</p>
                <p><span class="code">"A33a"</span>"因自然灾害："<Choices options=disaster_types/></p>
            </section>

            <section class="sec" data-section="7">
                <h2>"七、监测对象帮扶措施"</h2>
                <MeasureTable measures=h.measures.clone()/>
            </section>

            <section class="sec" data-section="8">
                <h2>"八、监测对象风险消除"</h2>
                <p><span class="code">"A46"</span>"风险是否消除："<Choices options=yes_no(e.eliminated)/>
                    "　"<span class="code">"A47"</span>"风险消除方式："<Choices options=methods/></p>
                <p><span class="code">"A48"</span>"是否在全国防返贫监测系统内标注风险消除："<Choices options=yes_no(e.marked_in_system)/></p>
                <p><span class="code">"A49"</span>"风险消除时间间隔（月）："{fill(e.months.map(|m| m.to_string()).unwrap_or_default())}</p>
            </section>
            <footer class="paper-foot small muted">{format!("记录 {} · 第 {} 版", h.id, h.revision)}</footer>
        </article>
    }
}
