//! Section 七 监测对象帮扶措施 (A34–A45): each measure's 是/否, every item of the paper form
//! with the chosen ones ticked, and the 其他 text; A36 with the loan's date, term and amount.

use super::choices::{of, yes_no};
use crate::core::money::Money;
use crate::core::record::*;
use crate::ui::township::html::esc;

fn row(
    out: &mut String,
    code: &str,
    label: &str,
    applied: Option<bool>,
    items: impl FnOnce(&mut String),
    other: &str,
) {
    out.push_str(&format!("<tr data-measure=\"{code}\"><th scope=\"row\"><span class=\"code\">{code}</span>{label}</th><td class=\"applied\">"));
    yes_no(out, applied);
    out.push_str("</td><td class=\"items\">");
    items(out);
    if !other.is_empty() {
        out.push_str(&format!("<span class=\"fill\">{}</span>", esc(other)));
    }
    out.push_str("</td></tr>");
}

/// The twelve measures of a record.
pub fn measure_table(out: &mut String, m: &Measures) {
    let f = &m.finance;
    let blank = || "＿＿＿＿".to_string();
    let loan = format!(
        "脱贫人口小额信贷：贷款时间 {}　贷款期限 {}　贷款金额（万元）{}",
        f.loan_date.map(|d| d.to_string()).unwrap_or_else(blank),
        f.loan_term_months.map(|n| format!("{n} 个月")).unwrap_or_else(blank),
        f.loan_amount_wan.as_ref().map(Money::to_text).unwrap_or_else(blank),
    );
    out.push_str("<table class=\"measures\"><tbody>");
    row(
        out,
        "A34",
        "产业帮扶",
        m.industry.applied,
        |o| of(o, IndustryItem::ALL, &m.industry.items, |x| x.label()),
        &m.industry.other,
    );
    row(
        out,
        "A35",
        "就业帮扶",
        m.employment.applied,
        |o| of(o, EmploymentItem::ALL, &m.employment.items, |x| x.label()),
        &m.employment.other,
    );
    row(out, "A36", "金融帮扶", f.applied, |o| o.push_str(&esc(&loan)), &f.other);
    row(
        out,
        "A37",
        "生态帮扶",
        m.ecology.applied,
        |o| of(o, EcologyItem::ALL, &m.ecology.items, |x| x.label()),
        &m.ecology.other,
    );
    row(
        out,
        "A38",
        "公益岗位帮扶",
        m.public_post.applied,
        |o| of(o, PublicPostItem::ALL, &m.public_post.items, |x| x.label()),
        &m.public_post.other,
    );
    row(
        out,
        "A39",
        "教育帮扶",
        m.education.applied,
        |o| of(o, EducationItem::ALL, &m.education.items, |x| x.label()),
        &m.education.other,
    );
    row(
        out,
        "A40",
        "健康帮扶",
        m.health.applied,
        |o| of(o, HealthItem::ALL, &m.health.items, |x| x.label()),
        &m.health.other,
    );
    row(
        out,
        "A41",
        "生活条件改善",
        m.living.applied,
        |o| of(o, LivingItem::ALL, &m.living.items, |x| x.label()),
        &m.living.other,
    );
    row(
        out,
        "A42",
        "基础设施建设",
        m.infrastructure.applied,
        |o| of(o, InfrastructureItem::ALL, &m.infrastructure.items, |x| x.label()),
        &m.infrastructure.other,
    );
    row(
        out,
        "A43",
        "综合保障",
        m.social_security.applied,
        |o| of(o, SocialSecurityItem::ALL, &m.social_security.items, |x| x.label()),
        &m.social_security.other,
    );
    row(
        out,
        "A44",
        "扶志扶智",
        m.motivation.applied,
        |o| of(o, MotivationItem::ALL, &m.motivation.items, |x| x.label()),
        &m.motivation.other,
    );
    row(out, "A45", "其他", m.other.applied, |_| {}, &m.other.other);
    out.push_str("</tbody></table>");
}
