//! The engine's result: the Evaluation object of `rules.md`, exported under
//! `computed.evaluation`.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::policy::Policy;
use super::record::{Category, RiskType};
use super::rules::RuleCode;
use crate::codes;

/// The engine's name and version.
pub const ENGINE: &str = "ruhu-rules/1";

codes! {
    /// How much a finding weighs.
    pub enum Severity {
        /// The record is wrong or incomplete; it cannot be `final`.
        Error = "error": "错误",
        /// A 致贫返贫风险 signal; any one makes `at_risk` true.
        Risk = "risk": "风险",
        /// Needs a person's look; blocks nothing.
        Warning = "warning": "提醒",
        /// A fact worth seeing (key groups).
        Info = "info": "信息",
    }
}

/// One finding: a stable code, its severity, a Chinese sentence with its figures, and the
/// JSON paths of the fields it is about.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Finding {
    /// The rule that reported it (written as its kebab-case code).
    pub code: RuleCode,
    pub severity: Severity,
    pub message: String,
    pub paths: Vec<String>,
}

codes! {
    /// The engine's identification suggestion.
    pub enum Identify {
        Yes = "yes": "建议纳入监测",
        Review = "review": "需研判",
        No = "no": "暂无风险",
        Monitored = "monitored": "已是监测对象",
    }
}

codes! {
    /// 重点人群 (the notice, 一（二）).
    pub enum KeyGroup {
        SeriousIllness = "serious_illness": "大病患者",
        Chronic = "chronic": "慢性病患者",
        SevereDisability = "severe_disability": "重度残疾人",
        Tekun = "tekun": "分散供养特困人员",
        LeftBehindChild = "left_behind_child": "留守儿童",
        DisabledElderly = "disabled_elderly": "失能老年人",
    }
}

/// The key groups of one member.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MemberGroups {
    pub member_id: Uuid,
    pub groups: Vec<KeyGroup>,
}

/// Everything the engine concluded about one record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Evaluation {
    pub record_id: Uuid,
    pub engine: String,
    pub policy: Policy,
    pub household_size: usize,
    /// A26 家庭总收入; `null` when an income answer is not a valid amount.
    #[serde(with = "opt_decimal")]
    pub total_income: Option<Decimal>,
    #[serde(with = "opt_decimal")]
    pub net_income: Option<Decimal>,
    /// A27 家庭人均纯收入; `null` also when there is no member.
    #[serde(with = "opt_decimal")]
    pub per_capita_net: Option<Decimal>,
    #[serde(with = "opt_decimal")]
    pub per_capita_after_rigid: Option<Decimal>,
    pub at_risk: bool,
    pub identify: Identify,
    pub suggested_category: Option<Category>,
    pub suggested_risk_types: Vec<RiskType>,
    pub key_groups: Vec<MemberGroups>,
    pub findings: Vec<Finding>,
    pub can_finalize: bool,
}

impl Evaluation {
    /// Findings of one severity.
    pub fn of(&self, severity: Severity) -> impl Iterator<Item = &Finding> {
        self.findings.iter().filter(move |f| f.severity == severity)
    }

    /// Whether a finding with this code stands (`has(RuleCode::IncomeDrop)`; a `&str` code
    /// also does, for tests).
    pub fn has<C>(&self, code: C) -> bool
    where
        RuleCode: PartialEq<C>,
    {
        self.findings.iter().any(|f| f.code == code)
    }

    /// Findings that point at this field path (exactly, or at something inside it).
    pub fn at<'a>(&'a self, path: &'a str) -> impl Iterator<Item = &'a Finding> + 'a {
        self.findings.iter().filter(move |f| f.paths.iter().any(|p| p == path))
    }

    /// The one-line verdict for the sticky bar: `有风险 · 建议纳入监测（边缘易致贫户）`.
    pub fn verdict(&self) -> String {
        let head = if self.at_risk { "有风险" } else { "无风险信号" };
        match (self.identify, self.suggested_category) {
            (Identify::Yes, Some(c)) => format!("{head} · 建议纳入监测（{}）", c.short_label()),
            (i, _) => format!("{head} · {}", i.label()),
        }
    }
}

/// Money figures as 2-decimal strings.
pub(crate) mod opt_decimal {
    use rust_decimal::Decimal;
    use serde::{Deserialize, Deserializer, Serializer};
    use std::str::FromStr;

    pub fn serialize<S: Serializer>(v: &Option<Decimal>, s: S) -> Result<S::Ok, S::Error> {
        match v {
            Some(d) => s.serialize_str(&crate::money::format_plain(*d)),
            None => s.serialize_none(),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Decimal>, D::Error> {
        match Option::<String>::deserialize(d)? {
            Some(s) => Decimal::from_str(&s).map(Some).map_err(serde::de::Error::custom),
            None => Ok(None),
        }
    }
}
