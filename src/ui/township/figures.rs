//! The figures of the village table: one row per figure, each under a stable key
//! (`households`, `category:general`, `risk:income-below-line`, `key_group:chronic`,
//! `ledger:verification`…) that the table, the drill-down list and the tests share.

use std::borrow::Cow;

use uuid::Uuid;

use crate::core::township::ledgers::LedgerKind;
use crate::core::township::{Figure, Summary, Tally};

/// One row of the table.
#[derive(Clone, Debug, PartialEq)]
pub struct Row {
    /// The block the row belongs to (`户属性`…); the first row of a block shows it.
    pub group: &'static str,
    pub key: String,
    pub label: String,
    /// The count is of people, not households.
    pub people: bool,
}

fn row(group: &'static str, key: impl Into<String>, label: impl Into<String>) -> Row {
    Row { group, key: key.into(), label: label.into(), people: false }
}

fn people(group: &'static str, key: impl Into<String>, label: impl Into<String>) -> Row {
    Row { group, key: key.into(), label: label.into(), people: true }
}

/// The rows, in order. A category row for records without one appears only when some
/// record lacks it.
pub fn rows(s: &Summary) -> Vec<Row> {
    let t = &s.township;
    let mut out = vec![
        row("核查情况", "households", "核查户数"),
        people("核查情况", "people", "人口（人）"),
        row("核查情况", "incomplete", "有错误未定稿"),
    ];
    for l in &t.categories {
        if l.code != "unknown" || l.figure.count > 0 {
            let label = l.label.rsplit(" · ").next().unwrap_or(&l.label).to_string();
            out.push(row("户属性", format!("category:{}", l.code), label));
        }
    }
    out.push(row("户属性", "exited", "脱贫户合计"));
    out.push(row("户属性", "monitored", "监测对象合计"));
    out.push(people("户属性", "monitored_people", "监测对象人口（人）"));
    out.push(row("新识别", "identify_suggested", "系统建议纳入监测"));
    out.push(row("新识别", "identify_decided", "研判拟纳入监测"));
    out.push(row("风险信号（户）", "at_risk", "有风险信号"));
    for l in &t.risks {
        out.push(row("风险信号（户）", format!("risk:{}", l.code), l.label.clone()));
    }
    out.push(row("风险信号（户）", "near_line", "收入接近监测标准"));
    for l in &t.key_groups {
        out.push(people("重点人群（人）", format!("key_group:{}", l.code), l.label.clone()));
    }
    out.push(people("重点人群（人）", "key_group_people", "重点人群合计"));
    out.push(row("重点人群（人）", "key_group_households", "涉及户数（户）"));
    out.push(row("风险消除（监测对象）", "eliminated", "已消除风险"));
    out.push(row("风险消除（监测对象）", "eliminated_assisted", "帮扶消除"));
    out.push(row("风险消除（监测对象）", "eliminated_natural", "自然消除"));
    out.push(row("风险消除（监测对象）", "eliminated_unmarked", "未在系统标注消除"));
    out.push(row("风险消除（监测对象）", "not_eliminated", "未消除风险"));
    out.push(row(
        "台账（户）",
        format!("ledger:{}", LedgerKind::SpecialArchive.code()),
        "一般农户特殊档案",
    ));
    out.push(row(
        "台账（户）",
        format!("ledger:{}", LedgerKind::Verification.code()),
        "信息核实核查台账",
    ));
    out.push(row("台账（户）", "unresolved_over_year", "识别1年以上未消除"));
    out.push(row("台账（户）", "development_missing", "有劳动能力未落实开发式帮扶"));
    out.push(row(
        "台账（户）",
        format!("ledger:{}", LedgerKind::Monitoring.code()),
        "监测对象台账",
    ));
    out
}

fn labelled<'a>(
    list: &'a [crate::core::township::summary::Labelled],
    code: &str,
) -> Option<Cow<'a, Figure>> {
    list.iter().find(|l| l.code == code).map(|l| Cow::Borrowed(&l.figure))
}

/// A tally's figure under a key.
pub fn figure<'a>(t: &'a Tally, key: &str) -> Option<Cow<'a, Figure>> {
    let b = |f: &'a Figure| Some(Cow::Borrowed(f));
    if let Some((kind, code)) = key.split_once(':') {
        return match kind {
            "category" => labelled(&t.categories, code),
            "risk" => labelled(&t.risks, code),
            "warning" => labelled(&t.warnings, code),
            "key_group" => labelled(&t.key_groups, code),
            "risk_type" => labelled(&t.risk_types, code),
            "household" => {
                let id =
                    Uuid::parse_str(code).ok().filter(|id| t.households.households.contains(id))?;
                Some(Cow::Owned(Figure { count: 1, households: vec![id] }))
            }
            "ledger" => match code {
                "special-archive" => b(&t.special_archive),
                "verification" => b(&t.verification),
                "unresolved" => b(&t.unresolved_ledger),
                "monitoring" => b(&t.monitored),
                _ => None,
            },
            _ => None,
        };
    }
    match key {
        "households" => b(&t.households),
        "people" => b(&t.people),
        "incomplete" => b(&t.incomplete),
        "exited" => b(&t.exited),
        "monitored" => b(&t.monitored),
        "monitored_people" => b(&t.monitored_people),
        "identify_suggested" => b(&t.identify_suggested),
        "identify_decided" => b(&t.identify_decided),
        "at_risk" => b(&t.at_risk),
        "near_line" => b(&t.near_line),
        "below_line" => b(&t.below_line),
        "key_group_people" => b(&t.key_group_people),
        "key_group_households" => b(&t.key_group_households),
        "eliminated" => b(&t.eliminated),
        "eliminated_assisted" => b(&t.eliminated_assisted),
        "eliminated_natural" => b(&t.eliminated_natural),
        "eliminated_unmarked" => b(&t.eliminated_unmarked),
        "not_eliminated" => {
            let households: Vec<Uuid> = t
                .monitored
                .households
                .iter()
                .filter(|id| !t.eliminated.households.contains(id))
                .copied()
                .collect();
            Some(Cow::Owned(Figure { count: households.len(), households }))
        }
        "unresolved_over_year" => b(&t.unresolved_over_year),
        "development_missing" => b(&t.development_missing),
        _ => None,
    }
}

/// The tally of a village, or the township's (`None`).
pub fn tally<'a>(s: &'a Summary, village: Option<&str>) -> Option<&'a Tally> {
    match village {
        None => Some(&s.township),
        Some(v) => s.village(v),
    }
}

/// The row label of a key (for the drill-down title).
pub fn label(s: &Summary, key: &str) -> String {
    rows(s).into_iter().find(|r| r.key == key).map(|r| r.label).unwrap_or_else(|| key.to_string())
}
