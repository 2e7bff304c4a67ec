//! The paper form 《农牧户基本情况摸底排查表》 filled with one record, sections 一 to 八, as
//! HTML text (see `township::html` for why text).

use leptos::prelude::*;

use super::choices::{choices, of, yes_no};
use super::measures::measure_table;
use super::members::member_table;
use super::signatures::signatures;
use crate::core::money::{format_yuan, Money};
use crate::core::record::{
    Category, DisasterType, EliminationMethod, HouseGrade, Household, RiskType, WaterIssue,
};
use crate::core::rules::figures;
use crate::ui::township::html::esc;

/// An answer written on the line (a blank line when empty).
fn fill(out: &mut String, text: &str) {
    let class = if text.trim().is_empty() { "fill empty" } else { "fill" };
    out.push_str(&format!("<span class=\"{class}\">{}</span>", esc(text)));
}

fn code(out: &mut String, c: &str) {
    out.push_str(&format!("<span class=\"code\">{c}</span>"));
}

fn money(m: &Option<Money>) -> String {
    match m {
        Some(Money::Amount(d)) => format_yuan(*d),
        Some(Money::Invalid(s)) => s.clone(),
        None => String::new(),
    }
}

fn day(d: Option<chrono::NaiveDate>) -> String {
    d.map(|d| d.format("%Y年%-m月%-d日").to_string()).unwrap_or_default()
}

/// One record as the paper form, in HTML.
pub fn paper_html(h: &Household) -> String {
    let mut o = String::with_capacity(24 * 1024);
    let out = &mut o;
    let fig = figures(h);
    let cat = h.category;
    let is = |c: Category| cat == Some(c);
    let monitored = cat.is_some_and(Category::is_monitored);
    let (a, g, j, e, i) = (&h.address, &h.guarantees, &h.judgement, &h.elimination, &h.income);

    out.push_str(&format!("<article class=\"paper\" data-record=\"{}\"><header class=\"paper-head\"><h1>农牧户基本情况摸底排查表</h1><p class=\"paper-meta\">走访日期：", h.id));
    fill(out, &day(h.visit.date));
    out.push_str("</p></header>");

    // 一
    out.push_str("<section class=\"sec\" data-section=\"1\"><h2>一、基本信息</h2><p>家庭住址：");
    fill(out, &a.banner);
    out.push(' ');
    fill(out, &a.township);
    out.push_str("（乡镇） ");
    fill(out, &a.village);
    out.push_str("（村） ");
    fill(out, &a.group);
    out.push_str("（自然村/村民小组）</p><p>");
    code(out, "A1");
    out.push_str("户属性：");
    choices(
        out,
        &[("一般农牧户", is(Category::General)), ("脱贫户", cat.is_some_and(Category::is_exited))],
    );
    out.push('（');
    choices(
        out,
        &[
            ("脱贫享受政策户", is(Category::ExitedSupported)),
            ("脱贫不享受政策户", is(Category::ExitedUnsupported)),
        ],
    );
    out.push('）');
    choices(out, &[("监测对象", monitored)]);
    out.push('（');
    choices(
        out,
        &[
            ("脱贫不稳定户", is(Category::MonitoredUnstable)),
            ("边缘易致贫户", is(Category::MonitoredMarginal)),
            ("突发严重困难户", is(Category::MonitoredHardship)),
        ],
    );
    out.push_str("）</p>");
    if monitored {
        out.push_str("<p class=\"small\">识别为监测对象时间：");
        fill(out, &h.monitoring.identified_on.map(|d| d.to_string()).unwrap_or_default());
        out.push_str("</p>");
    }
    out.push_str("<p>");
    code(out, "A2");
    out.push_str("大中型易地扶贫搬迁集中安置区：");
    yes_no(out, h.resettlement_site);
    out.push_str("　户主联系电话：");
    fill(out, &h.phone);
    out.push_str("</p></section>");

    // 二
    out.push_str("<section class=\"sec\" data-section=\"2\"><h2>二、家庭成员信息</h2>");
    member_table(out, &h.members);
    out.push_str("</section>");

    // 三
    let period = format!(
        "{}至{}",
        h.visit
            .period_start
            .map(|d| d.format("%Y年%-m月%-d日").to_string())
            .unwrap_or_else(|| "＿＿＿＿".into()),
        h.visit
            .period_end
            .map(|d| d.format("%Y年%-m月%-d日").to_string())
            .unwrap_or_else(|| "＿＿＿＿".into())
    );
    out.push_str(&format!("<section class=\"sec\" data-section=\"3\"><h2>三、收支情况（周期：{}）</h2><div class=\"amounts\">", esc(&period)));
    let amounts = [
        ("A21", "生产经营性收入", money(&i.production)),
        ("A22", "工资性收入", money(&i.wage)),
        ("A23", "财产性收入", money(&i.property)),
        ("A24", "转移性收入", money(&i.transfer)),
        ("A25", "生产经营性支出", money(&i.production_cost)),
        ("A26", "家庭总收入", fig.total_income.map(format_yuan).unwrap_or_default()),
        ("A27", "家庭人均纯收入", fig.per_capita_net.map(format_yuan).unwrap_or_default()),
    ];
    for (c, label, value) in amounts {
        out.push_str("<p class=\"amount\">");
        code(out, c);
        out.push_str(label);
        fill(out, &value);
        out.push_str("元</p>");
    }
    out.push_str("</div><p class=\"amount\">");
    code(out, "A28");
    out.push_str("其他支出");
    fill(out, &money(&i.other_expense));
    out.push_str("元，具体为：");
    fill(out, &i.other_expense_note);
    out.push_str("</p><p class=\"small muted\">（因病因学因灾因意外事故等刚性支出较大或收入大幅缩减的金额）A26、A27 由系统按 A21–A25 计算。</p></section>");

    // 四
    out.push_str("<section class=\"sec\" data-section=\"4\"><h2>四、三保障和安全饮水</h2><p>");
    code(out, "A29");
    out.push_str("是否有适龄儿童少年失学辍学：");
    yes_no(out, g.dropout);
    out.push_str("</p><p>");
    code(out, "A30");
    out.push_str("是否全部参加城乡居民基本医疗保险：");
    yes_no(out, g.all_insured);
    out.push_str("</p><p>");
    code(out, "A31");
    out.push_str("是否解决安全饮水：");
    yes_no(out, g.safe_water);
    out.push_str("　如选否，具体为：");
    of(out, WaterIssue::ALL, &g.water_issues, |x| x.label());
    out.push_str("</p><p>");
    code(out, "A32");
    out.push_str("是否危房：");
    yes_no(out, g.dangerous_house);
    out.push_str("　如选是，具体为：");
    of(out, HouseGrade::ALL, g.house_grade.as_slice(), |x| x.label());
    out.push_str("</p></section>");

    // 五
    out.push_str(
        "<section class=\"sec\" data-section=\"5\"><h2>五、风险研判</h2><p>是否存在致贫返贫风险：",
    );
    yes_no(out, j.at_risk);
    out.push_str("，是否需要新识别为监测对象：");
    yes_no(out, j.identify);
    out.push_str("。</p><p>（不符合纳入和不在系统监测的填写至此）选否填写具体原因：");
    fill(out, &j.reason);
    out.push_str("</p>");
    signatures(out, h);
    out.push_str("</section>");

    // 六
    out.push_str("<section class=\"sec\" data-section=\"6\"><h2>六、监测对象风险类型</h2><p class=\"small muted\">（已监测的对照系统核实；新纳入监测的对照主要风险在A33中选，如选因自然灾害的，继续选填A33a类型）</p><p>");
    code(out, "A33");
    out.push_str("风险类型：");
    of(out, RiskType::ALL, &h.risk.types, |x| x.label());
    if !h.risk.other_note.is_empty() {
        out.push_str("（其他：");
        fill(out, &h.risk.other_note);
        out.push('）');
    }
    out.push_str("</p><p>");
    code(out, "A33a");
    out.push_str("因自然灾害：");
    of(out, DisasterType::ALL, &h.risk.disaster_types, |x| x.label());
    out.push_str("</p></section>");

    // 七
    out.push_str("<section class=\"sec\" data-section=\"7\"><h2>七、监测对象帮扶措施</h2>");
    measure_table(out, &h.measures);
    out.push_str("</section>");

    // 八
    out.push_str("<section class=\"sec\" data-section=\"8\"><h2>八、监测对象风险消除</h2><p>");
    code(out, "A46");
    out.push_str("风险是否消除：");
    yes_no(out, e.eliminated);
    out.push('　');
    code(out, "A47");
    out.push_str("风险消除方式：");
    of(out, EliminationMethod::ALL, e.method.as_slice(), |x| x.label());
    out.push_str("</p><p>");
    code(out, "A48");
    out.push_str("是否在全国防返贫监测系统内标注风险消除：");
    yes_no(out, e.marked_in_system);
    out.push_str("</p><p>");
    code(out, "A49");
    out.push_str("风险消除时间间隔（月）：");
    fill(out, &e.months.map(|m| m.to_string()).unwrap_or_default());
    out.push_str("</p></section>");
    out.push_str(&format!(
        "<footer class=\"paper-foot small muted\">记录 {} · 第 {} 版</footer></article>",
        h.id, h.revision
    ));
    o
}

/// One record on A4, laid out like the paper form.
#[component]
pub fn PaperForm(record: Household) -> impl IntoView {
    view! { <div class="paper-host" inner_html=paper_html(&record)></div> <super::evidence::EvidencePage record=record/> }
}
