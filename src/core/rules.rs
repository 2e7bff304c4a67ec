//! The risk engine (`ruhu-rules/1`, `../shared/spec/rules.md`): computes the figures of a
//! record and runs every rule. The engine suggests; the people decide.
//!
//! # The rules
//!
//! One table in this file (`rule_codes!`) names every rule once: its [`RuleCode`] (the enum
//! every [`Finding`] carries, written to files as the kebab-case code of `rules.md`), its
//! severity, and its definition, a [`Rule`] in one of the files under `rules/` that gives
//! the short Chinese title, *why* the rule exists (with its source) and the check itself. The
//! table's order is the [`CATALOG`]'s: the order in which the rules run and report, what the
//! CLI's `ruhu rules` prints, what a surveyor reads when they tap a finding (为什么？).
//!
//! [`evaluate`] runs the catalogue once, in order. The two rules that read the risk verdict
//! (`judgement-reason-missing`, `elimination-with-risk`, marked `after_risks`) come after
//! every `risk` rule, so that one pass sees the verdict; a test checks that order. Every
//! finding's message is one Chinese sentence that carries its figures
//! (`家庭人均纯收入 5,333.33 元（纯收入 16,000.00 元 ÷ 3 人），低于 2023 年监测标准
//! 7,000.00 元（未经核对）。`), and names the JSON paths of the fields it is about. The
//! figures ([`figures`]) are exact decimals; a quotient is rounded half-up to 2 decimals
//! (2.505 → 2.51, not the banker's 2.50), a negative half away from zero.
//!
//! What keeps one evaluation at a few microseconds (`cargo bench --bench evaluate`):
//! `answer-missing` formats a message and a path only for the answers that are missing; the
//! catalogue runs once in order instead of twice followed by a sort; ID numbers already
//! stored normalised are not copied to be normalised again; the person keys of
//! `id-number-duplicate` and `id-number-elsewhere` are `[u8; 18]` arrays ([`person_key`])
//! compared pairwise, not a `HashMap<String, _>` per household; `head-count` and
//! `spouse-count` count before they collect, `assessors-too-few` counts without a list, and
//! `key-group` writes its message in place.
//!
//! # Tests
//!
//! `cargo test --test rules_table` (about 60 tests, well under a second): one table test per
//! code (a test fails when a catalogue code has none), each with cases where the rule fires
//! and near misses where it stays silent, the catalogue against `rules.md` (codes, severities,
//! the documented extras), and the Evaluation: `identify_monitored`, `identify_yes_below_line`,
//! `identify_yes_rigid_expense`, `identify_review_for_other_risks` and `identify_no` cover the
//! five branches of `identify` and the `suggested_category` of each; `suggested_risk_types`,
//! `can_finalize`, `findings_come_in_catalogue_order`; `figures` (A26, net, A27 and the
//! after-A28 figures, half-up rounding, negative figures); `evaluation_json_shape` (the keys
//! and types of `rules.md`'s Evaluation, and a lossless round trip). The cases start from the
//! complete household of `crate::testkit::complete` (no finding at all) through
//! `tests/common`: `with(|h| …)` changes it, `eval(&h)` evaluates it with
//! `Policy::shipped(2023)` on 2023-03-01, `fires(&ev, code, severity, paths, fragments)`
//! checks one finding (severity, exact paths, one sentence, the figures in the message) and
//! `silent(&ev, code)` that a rule did not fire.

use std::collections::HashMap;

use chrono::NaiveDate;
use rust_decimal::Decimal;
use uuid::Uuid;

use super::dates::whole_months;
use super::evaluation::{Evaluation, Finding, Identify, KeyGroup, MemberGroups, Severity, ENGINE};
use super::id_number::{self, IdError, IdInfo};
use super::money::{round2, Money};
use super::policy::Policy;
use super::record::{Category, Household, IdType, Member, RiskType};

mod completeness;
mod consistency;
mod guarantees;
mod income;
mod key_groups;
mod monitoring;

/// One rule: defined once, with its why. A rule's file gives its title, why and check and
/// takes its code and severity from [`RuleCode`]'s table (`..Rule::of(RuleCode::X)`).
pub struct Rule {
    /// The code, typed (what a [`Finding`] carries).
    pub id: RuleCode,
    /// The same code as written to files (`id.as_str()`).
    pub code: &'static str,
    /// `id.severity()`.
    pub severity: Severity,
    /// A short Chinese name.
    pub title: &'static str,
    /// Why the rule exists, and its source.
    pub why: &'static str,
    /// Reads the risk verdict (`Facts::risks`): it must come after every `risk` rule in the
    /// [`CATALOG`] (a test checks this).
    pub after_risks: bool,
    pub check: fn(&Facts, &mut Out),
}

/// Defines [`RuleCode`] and [`CATALOG`] from one table: variant, code, severity, rule.
macro_rules! rule_codes {
    ($($variant:ident = $code:literal, $severity:ident, $rule:path;)*) => {
        /// The code of a rule, and of each [`Finding`] it reports: one variant per rule of the
        /// [`CATALOG`], in its order. Written to files (`computed.evaluation.findings[].code`)
        /// as the kebab-case code of `rules.md` ([`RuleCode::as_str`]), and read back only
        /// from those codes (another one is an error naming it, `未知的代码 "…"`, as for the
        /// form's codes). [`RuleCode::severity`] is the rule's severity,
        /// [`RuleCode::rule`] its definition (title, why, check). Code compares findings with
        /// these variants, never with strings; `==` with a `&str` is there for tests that
        /// read the codes of `rules.md`.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum RuleCode {
            $($variant,)*
        }

        impl RuleCode {
            /// Every code, in catalogue order.
            pub const ALL: &'static [RuleCode] = &[$(RuleCode::$variant),*];

            /// The code written to files (`income-below-line`).
            pub const fn as_str(self) -> &'static str {
                match self {
                    $(RuleCode::$variant => $code,)*
                }
            }

            /// How much the rule's findings weigh.
            pub const fn severity(self) -> Severity {
                match self {
                    $(RuleCode::$variant => Severity::$severity,)*
                }
            }

            /// The rule: title, why, check.
            pub fn rule(self) -> &'static Rule {
                match self {
                    $(RuleCode::$variant => &$rule,)*
                }
            }

            /// The code written as `s`, if it is one of ours.
            pub fn from_code(s: &str) -> Option<RuleCode> {
                match s {
                    $($code => Some(RuleCode::$variant),)*
                    _ => None,
                }
            }
        }

        /// Every rule the engine runs, in the order it runs them and reports their findings
        /// (the order of [`RuleCode`]). The rules marked `after_risks` come after every `risk`
        /// rule, so one pass sees the risk verdict.
        pub static CATALOG: &[&Rule] = &[$(&$rule),*];
    };
}

// The one place that names the rules: one line per rule, in the order the engine runs them
// and reports their findings — the variant, the code written to files (`rules.md`), the
// severity, the rule's definition (title, why, check) in `rules/*.rs`.
rule_codes! {
    AnswerMissing = "answer-missing", Error, completeness::ANSWER_MISSING;
    MembersMissing = "members-missing", Error, completeness::MEMBERS_MISSING;
    SurveyorMissing = "surveyor-missing", Error, completeness::SURVEYOR_MISSING;
    AssessorsTooFew = "assessors-too-few", Error, completeness::ASSESSORS_TOO_FEW;
    WaterIssueMissing = "water-issue-missing", Error, completeness::WATER_ISSUE_MISSING;
    HouseGradeMissing = "house-grade-missing", Error, completeness::HOUSE_GRADE_MISSING;
    DisasterTypeMissing = "disaster-type-missing", Error, completeness::DISASTER_TYPE_MISSING;
    IdentifiedOnMissing = "identified-on-missing", Error, completeness::IDENTIFIED_ON_MISSING;
    EliminationMethodMissing = "elimination-method-missing", Error, completeness::ELIMINATION_METHOD_MISSING;
    HeadCount = "head-count", Error, consistency::HEAD_COUNT;
    SpouseCount = "spouse-count", Error, consistency::SPOUSE_COUNT;
    IdNumberInvalid = "id-number-invalid", Error, consistency::ID_NUMBER_INVALID;
    IdNumberDuplicate = "id-number-duplicate", Error, consistency::ID_NUMBER_DUPLICATE;
    IdSexMismatch = "id-sex-mismatch", Error, consistency::ID_SEX_MISMATCH;
    HealthExclusive = "health-exclusive", Error, consistency::HEALTH_EXCLUSIVE;
    PhoneInvalid = "phone-invalid", Error, consistency::PHONE_INVALID;
    MoneyInvalid = "money-invalid", Error, consistency::MONEY_INVALID;
    VisitDateFuture = "visit-date-future", Error, consistency::VISIT_DATE_FUTURE;
    PeriodInvalid = "period-invalid", Warning, consistency::PERIOD_INVALID;
    IncomeBelowLine = "income-below-line", Risk, income::INCOME_BELOW_LINE;
    RigidExpense = "rigid-expense", Risk, income::RIGID_EXPENSE;
    Dropout = "dropout", Risk, guarantees::DROPOUT;
    Uninsured = "uninsured", Risk, guarantees::UNINSURED;
    UnsafeWater = "unsafe-water", Risk, guarantees::UNSAFE_WATER;
    UnsafeHousing = "unsafe-housing", Risk, guarantees::UNSAFE_HOUSING;
    HousingUnassessed = "housing-unassessed", Risk, guarantees::HOUSING_UNASSESSED;
    JudgementReasonMissing = "judgement-reason-missing", Error, completeness::JUDGEMENT_REASON_MISSING;
    EliminationWithRisk = "elimination-with-risk", Error, monitoring::ELIMINATION_WITH_RISK;
    IncomeNearLine = "income-near-line", Warning, income::INCOME_NEAR_LINE;
    IncomeDrop = "income-drop", Warning, income::INCOME_DROP;
    InsuredInconsistent = "insured-inconsistent", Warning, guarantees::INSURED_INCONSISTENT;
    LaborAgeMismatch = "labor-age-mismatch", Warning, consistency::LABOR_AGE_MISMATCH;
    IdNumberElsewhere = "id-number-elsewhere", Warning, consistency::ID_NUMBER_ELSEWHERE;
    UnresolvedOverYear = "unresolved-over-year", Warning, monitoring::UNRESOLVED_OVER_YEAR;
    DevelopmentMeasuresMissing = "development-measures-missing", Warning, monitoring::DEVELOPMENT_MEASURES_MISSING;
    MeasuresMissing = "measures-missing", Warning, monitoring::MEASURES_MISSING;
    EliminationPremature = "elimination-premature", Warning, monitoring::ELIMINATION_PREMATURE;
    EliminationNoLabor = "elimination-no-labor", Warning, monitoring::ELIMINATION_NO_LABOR;
    EliminationUnmarked = "elimination-unmarked", Warning, monitoring::ELIMINATION_UNMARKED;
    EliminationMonthsMismatch = "elimination-months-mismatch", Warning, monitoring::ELIMINATION_MONTHS_MISMATCH;
    KeyGroup = "key-group", Info, key_groups::KEY_GROUP;
}

impl Rule {
    /// A rule with this code and its severity, without a title, a why or a check: the base
    /// each rule's definition fills in (`Rule { title, why, check, ..Rule::of(code) }`).
    pub const fn of(id: RuleCode) -> Rule {
        fn no_check(_: &Facts, _: &mut Out) {}
        Rule {
            id,
            code: id.as_str(),
            severity: id.severity(),
            title: "",
            why: "",
            after_risks: false,
            check: no_check,
        }
    }
}

/// The rule with this code (as written to files).
pub fn rule(code: &str) -> Option<&'static Rule> {
    RuleCode::from_code(code).map(RuleCode::rule)
}

/// Where another household holds a person: for `id-number-elsewhere`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonElsewhere {
    pub household_id: Uuid,
    pub record_id: Uuid,
    /// The other household's village and head (`额尔和村 张伟户`).
    pub label: String,
}

/// What the engine needs besides the record.
#[derive(Clone, Copy)]
pub struct Context<'a> {
    pub policy: &'a Policy,
    /// Today (for `visit-date-future`).
    pub today: NaiveDate,
    /// The household's previous visit (for `income-drop`), if any.
    pub previous: Option<&'a Household>,
    /// 18-character ID → the other households that list it (for `id-number-elsewhere`).
    pub people_elsewhere: Option<&'a HashMap<String, Vec<PersonElsewhere>>>,
}

impl<'a> Context<'a> {
    pub fn new(policy: &'a Policy, today: NaiveDate) -> Self {
        Context { policy, today, previous: None, people_elsewhere: None }
    }
}

/// The money figures of a record (`rules.md`, *Computed figures*).
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Figures {
    pub household_size: usize,
    pub total_income: Option<Decimal>,
    pub net_income: Option<Decimal>,
    pub per_capita_net: Option<Decimal>,
    pub per_capita_after_rigid: Option<Decimal>,
    pub other_expense: Decimal,
    /// A21–A25 are all answered with valid amounts: the income rules can judge.
    pub income_complete: bool,
}

/// Computes A26, A27 and the other figures. An unanswered amount counts as 0; an invalid one
/// makes the figures that use it `None`.
pub fn figures(h: &Household) -> Figures {
    let i = &h.income;
    let amount = |m: &Option<Money>| -> Option<Decimal> {
        match m {
            None => Some(Decimal::ZERO),
            Some(m) => m.valid(),
        }
    };
    let n = h.members.len();
    let total = (|| {
        Some(
            amount(&i.production)? + amount(&i.wage)? + amount(&i.property)? + amount(&i.transfer)?,
        )
    })();
    let net = total.and_then(|t| Some(t - amount(&i.production_cost)?));
    let other = amount(&i.other_expense);
    let per = |x: Decimal| (n > 0).then(|| round2(x / Decimal::from(n)));
    let income_complete = [&i.production, &i.wage, &i.property, &i.transfer, &i.production_cost]
        .iter()
        .all(|m| m.as_ref().is_some_and(|m| m.valid().is_some()));
    Figures {
        household_size: n,
        total_income: total,
        net_income: net,
        per_capita_net: net.and_then(per),
        per_capita_after_rigid: net.zip(other).and_then(|(net, o)| per(net - o)),
        other_expense: other.unwrap_or_default(),
        income_complete,
    }
}

/// What the engine read from one member's ID.
#[derive(Debug, Clone, PartialEq)]
pub struct MemberFacts {
    /// `None` when no number is given.
    pub id: Option<Result<IdInfo, IdError>>,
    /// Whole years on the visit date, from a valid ID.
    pub age: Option<u32>,
    /// The holder's 18-character ID inside either kind of number (as
    /// [`id_number::person_key`], without allocating), for duplicates and other households.
    pub person_key: Option<[u8; 18]>,
}

/// [`id_number::person_key`] as a fixed array: spaces dropped, upper-cased, the first 18
/// characters of an ASCII number of at least 18.
pub fn person_key(s: &str) -> Option<[u8; 18]> {
    let mut key = [0u8; 18];
    let mut n = 0;
    for c in s.chars().filter(|c| !c.is_whitespace()) {
        if !c.is_ascii() {
            return None;
        }
        if n < 18 {
            key[n] = c.to_ascii_uppercase() as u8;
        }
        n += 1;
    }
    (n >= 18).then_some(key)
}

/// The key as text (always ASCII).
pub fn key_str(key: &[u8; 18]) -> &str {
    std::str::from_utf8(key).unwrap_or_default()
}

impl MemberFacts {
    pub fn of(m: &Member, visit: Option<NaiveDate>) -> MemberFacts {
        if blank(&m.id_number) {
            return MemberFacts { id: None, age: None, person_key: None };
        }
        let kind = m.id_type.unwrap_or(if m.id_number.len() == 20 {
            IdType::DisabilityCert
        } else {
            IdType::ResidentId
        });
        let id = id_number::parse(kind, &m.id_number, visit);
        let age = match (&id, visit) {
            (Ok(info), Some(v)) => Some(id_number::age_on(info.birth, v)),
            _ => None,
        };
        MemberFacts { id: Some(id), age, person_key: person_key(&m.id_number) }
    }

    pub fn info(&self) -> Option<&IdInfo> {
        self.id.as_ref().and_then(|r| r.as_ref().ok())
    }
}

/// Everything a rule may read: the record, the policy and what was derived from them.
pub struct Facts<'a> {
    pub h: &'a Household,
    pub ctx: Context<'a>,
    pub policy: &'a Policy,
    pub visit: Option<NaiveDate>,
    pub members: Vec<MemberFacts>,
    pub figures: Figures,
    /// Whole months from `monitoring.identified_on` to `visit.date`.
    pub months_monitored: Option<u32>,
    /// The category is `monitored_*`.
    pub monitored: bool,
    /// Sections 六–八 apply: a monitoring object, or `judgement.identify` is yes.
    pub monitoring_sections: bool,
    /// `elimination.eliminated` is yes.
    pub eliminated: bool,
    /// Key groups per member (computed before the rules run).
    pub key_groups: Vec<MemberGroups>,
    /// The codes of the rules that found a risk, in catalogue order: complete once every risk
    /// rule has run, i.e. for every `after_risks` rule.
    pub risks: Vec<RuleCode>,
}

impl<'a> Facts<'a> {
    pub fn new(h: &'a Household, ctx: Context<'a>) -> Facts<'a> {
        let visit = h.visit.date;
        let members: Vec<MemberFacts> =
            h.members.iter().map(|m| MemberFacts::of(m, visit)).collect();
        let monitored = h.is_monitored();
        let mut facts = Facts {
            h,
            ctx,
            policy: ctx.policy,
            visit,
            members,
            figures: figures(h),
            months_monitored: h
                .monitoring
                .identified_on
                .zip(visit)
                .map(|(a, b)| whole_months(a, b)),
            monitored,
            monitoring_sections: monitored || h.judgement.identify == Some(true),
            eliminated: h.elimination.eliminated == Some(true),
            key_groups: Vec::new(),
            risks: Vec::new(),
        };
        facts.key_groups = key_groups::compute(&facts);
        facts
    }

    /// Members with their index and facts.
    pub fn members(&self) -> impl Iterator<Item = (usize, &'a Member, &MemberFacts)> + '_ {
        self.h.members.iter().zip(&self.members).enumerate().map(|(i, (m, f))| (i, m, f))
    }

    /// The policy year.
    pub fn year(&self) -> i32 {
        self.policy.year
    }

    /// A `risk` finding stands (for the `after_risks` rules).
    pub fn risk_found(&self) -> bool {
        !self.risks.is_empty()
    }

    /// The titles of the risks found, `、`-joined (`饮水安全未解决、住房安全未保障`).
    pub fn risk_titles(&self) -> String {
        let titles: Vec<&str> = self.risks.iter().map(|c| c.rule().title).collect();
        titles.join("、")
    }
}

/// Collects the findings of one rule.
pub struct Out<'r> {
    rule: &'r Rule,
    findings: &'r mut Vec<Finding>,
}

impl Out<'_> {
    /// Reports one finding of this rule.
    pub fn push(&mut self, message: String, paths: Vec<String>) {
        self.findings.push(Finding {
            code: self.rule.id,
            severity: self.rule.severity,
            message,
            paths,
        });
    }
}

/// An unanswered text: empty, or only spaces (stops at the first character that is not one).
pub fn blank(s: &str) -> bool {
    s.chars().all(char::is_whitespace)
}

/// `members[2].id_number`.
pub fn member_path(i: usize, key: &str) -> String {
    format!("members[{i}].{key}")
}

/// `第2位成员（张三）`: how a message names a member.
pub fn member_name(i: usize, m: &Member) -> String {
    if m.name.is_empty() {
        format!("第{}位成员", i + 1)
    } else {
        format!("第{}位成员{}", i + 1, m.name)
    }
}

/// Runs every rule on one record.
pub fn evaluate(h: &Household, ctx: Context) -> Evaluation {
    let mut facts = Facts::new(h, ctx);
    let mut findings = Vec::with_capacity(8);
    // One pass in catalogue order. The rules that read the risk verdict come after every
    // risk rule, so `facts.risks` is complete when the first of them runs.
    for rule in CATALOG {
        let before = findings.len();
        (rule.check)(&facts, &mut Out { rule, findings: &mut findings });
        if rule.severity == Severity::Risk && findings.len() > before {
            facts.risks.push(rule.id);
        }
    }

    let at_risk = findings.iter().any(|f| f.severity == Severity::Risk);
    let has = |code: RuleCode| findings.iter().any(|f| f.code == code);
    let category = h.category;
    let (identify, suggested_category) = if category.is_some_and(Category::is_monitored) {
        (Identify::Monitored, None)
    } else if has(RuleCode::IncomeBelowLine) {
        let c = if category.is_some_and(Category::is_exited) {
            Category::MonitoredUnstable
        } else {
            Category::MonitoredMarginal
        };
        (Identify::Yes, Some(c))
    } else if has(RuleCode::RigidExpense) {
        (Identify::Yes, Some(Category::MonitoredHardship))
    } else if at_risk {
        (Identify::Review, None)
    } else {
        (Identify::No, None)
    };
    let suggested_risk_types = if at_risk || identify == Identify::Monitored {
        suggest_risk_types(&facts)
    } else {
        Vec::new()
    };
    let can_finalize = !findings.iter().any(|f| f.severity == Severity::Error);
    let fig = facts.figures;
    Evaluation {
        record_id: h.id,
        engine: ENGINE.to_string(),
        policy: ctx.policy.clone(),
        household_size: fig.household_size,
        total_income: fig.total_income,
        net_income: fig.net_income,
        per_capita_net: fig.per_capita_net,
        per_capita_after_rigid: fig.per_capita_after_rigid,
        at_risk,
        identify,
        suggested_category,
        suggested_risk_types,
        key_groups: facts.key_groups,
        findings,
        can_finalize,
    }
}

/// The risk types (A33) the record points at, main one first. Derived from the members and
/// the A28 note, in this order (each at most once):
/// 1. `illness` 因病 — a member with 患有大病 or 长期慢性病, or the A28 note names 病/医;
/// 2. `disability` 因残 — a member with 残疾 or a 残疾人证;
/// 3. `schooling` 因学 — A29 失学辍学 is yes, or the A28 note names 学;
/// 4. `accident` 因意外事故 — the A28 note names 意外/事故/车祸;
/// 5. `natural_disaster` 因自然灾害 — the A28 note names 灾/洪/涝/旱/雹/冻 (then A33a must be chosen);
/// 6. `epidemic` 因疫情 — the A28 note names 疫/新冠;
/// 7. `labor_shortage` 因缺劳力 — members are listed and none has 普通/技能劳动力.
///
/// They are offered only when the household is at risk or monitored; people choose.
pub fn suggest_risk_types(f: &Facts) -> Vec<RiskType> {
    use super::record::{Health, Labor};
    let note = f.h.income.other_expense_note.as_str();
    let names = |keys: &[&str]| keys.iter().any(|k| note.contains(k));
    let members = &f.h.members;
    let mut out = Vec::new();
    let mut add = |cond: bool, t: RiskType| {
        if cond && !out.contains(&t) {
            out.push(t)
        }
    };
    add(
        members.iter().any(|m| {
            m.health.iter().any(|h| matches!(h, Health::SeriousIllness | Health::Chronic))
        }) || names(&["病", "医"]),
        RiskType::Illness,
    );
    add(
        members.iter().any(|m| {
            m.health.contains(&Health::Disabled) || m.id_type == Some(IdType::DisabilityCert)
        }),
        RiskType::Disability,
    );
    add(f.h.guarantees.dropout == Some(true) || names(&["学"]), RiskType::Schooling);
    add(names(&["意外", "事故", "车祸"]), RiskType::Accident);
    add(names(&["灾", "洪", "涝", "旱", "雹", "冻"]), RiskType::NaturalDisaster);
    add(names(&["疫", "新冠"]), RiskType::Epidemic);
    add(
        !members.is_empty()
            && !members.iter().any(|m| matches!(m.labor, Some(Labor::Ordinary | Labor::Skilled))),
        RiskType::LaborShortage,
    );
    out
}

/// Evaluates with the policy and today only (no previous visit, no other households).
pub fn evaluate_simple(h: &Household, policy: &Policy, today: NaiveDate) -> Evaluation {
    evaluate(h, Context::new(policy, today))
}

/// `5,333.33`.
pub fn yuan(d: Decimal) -> String {
    super::money::format_yuan(d)
}

/// The key groups of a member, by index, if any.
pub fn groups_of<'f>(f: &'f Facts, member_id: Uuid) -> Option<&'f [KeyGroup]> {
    f.key_groups.iter().find(|g| g.member_id == member_id).map(|g| g.groups.as_slice())
}

impl RuleCode {
    /// The rule's short Chinese title.
    pub fn title(self) -> &'static str {
        self.rule().title
    }

    /// Why the rule exists, and its source.
    pub fn why(self) -> &'static str {
        self.rule().why
    }
}

/// The code as written to files (`income-below-line`): what the CLI prints.
impl std::fmt::Display for RuleCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl serde::Serialize for RuleCode {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> serde::Deserialize<'de> for RuleCode {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<RuleCode, D::Error> {
        struct V;
        impl serde::de::Visitor<'_> for V {
            type Value = RuleCode;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a code of RuleCode")
            }
            fn visit_str<E: serde::de::Error>(self, s: &str) -> Result<RuleCode, E> {
                RuleCode::from_code(s).ok_or_else(|| E::custom(format!("未知的代码 \"{s}\"")))
            }
        }
        d.deserialize_str(V)
    }
}

impl PartialEq<str> for RuleCode {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for RuleCode {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl PartialEq<RuleCode> for str {
    fn eq(&self, other: &RuleCode) -> bool {
        self == other.as_str()
    }
}

impl PartialEq<RuleCode> for &str {
    fn eq(&self, other: &RuleCode) -> bool {
        *self == other.as_str()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The table names each rule once: `ALL` is the catalogue, each code's rule is its own,
    /// and the strings read back as the codes they came from.
    #[test]
    fn one_table_names_every_rule() {
        assert_eq!(RuleCode::ALL.len(), CATALOG.len());
        for (code, rule) in RuleCode::ALL.iter().zip(CATALOG) {
            assert!(std::ptr::eq(code.rule(), *rule), "{code}");
            assert_eq!(
                (rule.id, rule.code, rule.severity),
                (*code, code.as_str(), code.severity())
            );
            assert_eq!(RuleCode::from_code(code.as_str()), Some(*code));
            assert_eq!(code.to_string(), code.as_str());
            assert_eq!((code.title(), code.why()), (rule.title, rule.why));
            assert!(!code.title().is_empty() && !code.why().is_empty(), "{code}");
            let json = serde_json::to_string(code).unwrap();
            assert_eq!(json, format!("\"{}\"", code.as_str()));
            assert_eq!(serde_json::from_str::<RuleCode>(&json).unwrap(), *code);
        }
        assert!(RuleCode::ALL.windows(2).all(|w| w[0] < w[1]), "the order is the catalogue's");
    }

    #[test]
    fn codes_compare_with_their_strings_and_unknown_ones_are_refused() {
        assert!(RuleCode::IncomeDrop == "income-drop");
        assert!("income-drop" == RuleCode::IncomeDrop);
        assert!(RuleCode::IncomeDrop != "income-below-line");
        assert_eq!(RuleCode::from_code("no-such-rule"), None);
        assert_eq!(rule("no-such-rule").map(|r| r.code), None);
        let e = serde_json::from_str::<RuleCode>("\"no-such-rule\"").unwrap_err().to_string();
        assert!(e.starts_with("未知的代码 \"no-such-rule\""), "{e}");
        let e = serde_json::from_str::<Finding>(
            r#"{"code":"boss","severity":"info","message":"","paths":[]}"#,
        )
        .unwrap_err()
        .to_string();
        assert!(e.contains("未知的代码 \"boss\""), "{e}");
    }
}
