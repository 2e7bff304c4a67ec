//! Section 七 监测对象帮扶措施 (A34–A45): each measure's 是/否, every item of the paper form
//! with the chosen ones ticked, and the 其他 text; A36 with the loan's date, term and amount.

use leptos::prelude::*;

use super::choices::{of, yes_no, Choices};
use crate::core::money::Money;
use crate::core::record::*;

fn row(code: &'static str, label: &'static str, applied: Option<bool>, items: Vec<(String, bool)>, other: String) -> impl IntoView {
    let other = (!other.is_empty()).then(|| view! { <span class="fill">{other}</span> });
    view! {
        <tr data-measure=code>
            <th scope="row"><span class="code">{code}</span>{label}</th>
            <td class="applied"><Choices options=yes_no(applied)/></td>
            <td class="items"><Choices options=items/>{other}</td>
        </tr>
    }
}

/// The twelve measures of a record.
#[component]
pub fn MeasureTable(measures: Measures) -> impl IntoView {
    let m = measures;
    let f = &m.finance;
    let loan = format!(
        "脱贫人口小额信贷：贷款时间 {}　贷款期限 {}　贷款金额（万元）{}",
        f.loan_date.map(|d| d.to_string()).unwrap_or_else(|| "＿＿＿＿".into()),
        f.loan_term_months.map(|n| format!("{n} 个月")).unwrap_or_else(|| "＿＿＿＿".into()),
        f.loan_amount_wan.as_ref().map(Money::to_text).unwrap_or_else(|| "＿＿＿＿".into()),
    );
    let finance = view! {
        <tr data-measure="A36">
            <th scope="row"><span class="code">"A36"</span>"金融帮扶"</th>
            <td class="applied"><Choices options=yes_no(f.applied)/></td>
            <td class="items">{loan}{(!f.other.is_empty()).then(|| view! { <span class="fill">{f.other.clone()}</span> })}</td>
        </tr>
    };
    view! {
        <table class="measures">
            <tbody>
                {row("A34", "产业帮扶", m.industry.applied, of(IndustryItem::ALL, &m.industry.items, |x| x.label()), m.industry.other.clone())}
                {row("A35", "就业帮扶", m.employment.applied, of(EmploymentItem::ALL, &m.employment.items, |x| x.label()), m.employment.other.clone())}
                {finance}
                {row("A37", "生态帮扶", m.ecology.applied, of(EcologyItem::ALL, &m.ecology.items, |x| x.label()), m.ecology.other.clone())}
                {row("A38", "公益岗位帮扶", m.public_post.applied, of(PublicPostItem::ALL, &m.public_post.items, |x| x.label()), m.public_post.other.clone())}
                {row("A39", "教育帮扶", m.education.applied, of(EducationItem::ALL, &m.education.items, |x| x.label()), m.education.other.clone())}
                {row("A40", "健康帮扶", m.health.applied, of(HealthItem::ALL, &m.health.items, |x| x.label()), m.health.other.clone())}
                {row("A41", "生活条件改善", m.living.applied, of(LivingItem::ALL, &m.living.items, |x| x.label()), m.living.other.clone())}
                {row("A42", "基础设施建设", m.infrastructure.applied, of(InfrastructureItem::ALL, &m.infrastructure.items, |x| x.label()), m.infrastructure.other.clone())}
                {row("A43", "综合保障", m.social_security.applied, of(SocialSecurityItem::ALL, &m.social_security.items, |x| x.label()), m.social_security.other.clone())}
                {row("A44", "扶志扶智", m.motivation.applied, of(MotivationItem::ALL, &m.motivation.items, |x| x.label()), m.motivation.other.clone())}
                {row("A45", "其他", m.other.applied, Vec::new(), m.other.other.clone())}
            </tbody>
        </table>
    }
}
