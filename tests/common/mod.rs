//! Test records for the native tests: one complete, valid household and small helpers to
//! change it and evaluate it.
//!
//! Use it from a test file with `mod common;` (from `tests/bench/…` with
//! `#[path = "../common/mod.rs"] mod common;`). Every helper is deterministic: fixed UUIDs,
//! a fixed visit date and a fixed `today`, so results never depend on the clock.
//!
//! ```ignore
//! mod common;
//! use common::*;
//! let h = with(|h| h.guarantees.safe_water = Some(false));
//! let ev = eval(&h);
//! ```
#![allow(dead_code)]

use std::collections::HashMap;
use std::str::FromStr;

use chrono::{FixedOffset, NaiveDate, TimeZone};
use rust_decimal::Decimal;
use uuid::Uuid;

use ruhu::core::evaluation::{Evaluation, Finding, Severity};
use ruhu::core::id_number;
use ruhu::core::money::Money;
use ruhu::core::policy::Policy;
use ruhu::core::record::{
    Category, Education, EliminationMethod, Health, Household, IdType, Labor, Member, Political,
    Relation, RiskType, Sex, WorkArea,
};
use ruhu::core::rules::{evaluate, Context, PersonElsewhere};

/// 莫力达瓦达斡尔族自治旗's administrative area code: the first six digits of its IDs.
pub const AREA: &str = "150722";
/// The monitoring year of [`policy`].
pub const YEAR: i32 = 2023;

/// `NaiveDate` from year, month, day.
pub fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).expect("a real date")
}

/// The day of the visit: 2023-02-20 (the first quarter's 重点核查).
pub fn visit_date() -> NaiveDate {
    d(2023, 2, 20)
}

/// "Today" for every evaluation here: 2023-03-01.
pub fn today() -> NaiveDate {
    d(2023, 3, 1)
}

/// The shipped 2023 policy: line 7,000 yuan, near-line factor 1.2, 6 and 12 months.
pub fn policy() -> Policy {
    Policy::shipped(YEAR)
}

/// A money answer from text (`money("5000")`, `money("1.234")` for an invalid one).
pub fn money(text: &str) -> Option<Money> {
    Some(Money::parse(text))
}

/// An exact decimal from text.
pub fn dec(text: &str) -> Decimal {
    Decimal::from_str(text).expect("a decimal")
}

/// A valid 18-character resident ID of 莫旗 for this birth date; an odd `seq` is male, an
/// even one female (the 17th digit is the last digit of `seq`).
pub fn id(birth: NaiveDate, seq: u16) -> String {
    id_number::make(AREA, birth, seq)
}

/// A deterministic UUID (`uuid(7)` is `00000000-0000-0000-0000-000000000007`).
pub fn uuid(n: u128) -> Uuid {
    Uuid::from_u128(n)
}

/// A complete member: healthy, insured (A14–A16), no 低保/特困, pension insured, not relocated,
/// 群众, not working away. Sex and ID follow `birth` and `sex` (`seq` chooses the sequence
/// number; its parity is fixed to match `sex`).
pub fn member(
    n: u128,
    name: &str,
    sex: Sex,
    birth: NaiveDate,
    seq: u16,
    relation: Relation,
) -> Member {
    let seq = match sex {
        Sex::Male => seq | 1,
        Sex::Female => seq & !1,
    };
    Member {
        id: uuid(0x100 + n),
        name: name.to_string(),
        sex: Some(sex),
        id_type: Some(IdType::ResidentId),
        id_number: id(birth, seq),
        relation: Some(relation),
        ethnicity: "汉族".to_string(),
        political: Some(Political::Masses),
        health: vec![Health::Healthy],
        education: Some(Education::Junior),
        labor: Some(Labor::Ordinary),
        work_area: None,
        medical_insurance: Some(true),
        critical_illness_insurance: Some(true),
        medical_assistance: Some(false),
        dibao: Some(false),
        tekun: Some(false),
        pension_insurance: Some(true),
        relocated: Some(false),
        ..Default::default()
    }
}

/// A complete, valid household that evaluates with no finding at all (no error, risk,
/// warning or info):
///
/// - 额尔和乡 额尔和村 第三村民小组, 一般农牧户, phone 13947012345, visited 2023-02-20 by
///   王建国 with 王建国 and 李秀英 as 风险研判人; income period 2022-02-20 to 2023-02-20.
/// - 4 members: 敖永军 (head, 达斡尔族, male, born 1975-03-12, 中共党员, ordinary labor),
///   李桂芝 (spouse, 汉族, female, 1977-08-05), 敖海龙 (son, 达斡尔族, 2000-06-18, skilled,
///   works in the township), 敖雪 (daughter, 达斡尔族, 2010-09-01, 12 years old, junior
///   school, no labor). All healthy and insured.
/// - Income: production 36,000, wage 18,000, property 1,200, transfer 2,800, production cost
///   10,000 → total 58,000.00, net 48,000.00, per capita 12,000.00 (above 7,000 × 1.2 = 8,400);
///   A28 other expense 0.
/// - 三保障 and water fine, no dangerous house; judgement: no risk, not identified.
/// - Sections 六–八 left unanswered (they are not asked of a household that is neither
///   monitored nor identified).
pub fn complete_household() -> Household {
    let mut h = Household::new(
        uuid(1),
        uuid(2),
        FixedOffset::east_opt(8 * 3600).unwrap().with_ymd_and_hms(2023, 2, 20, 9, 12, 0).unwrap(),
        visit_date(),
    );
    h.visit.surveyor = "王建国".into();
    h.visit.assessors = vec!["王建国".into(), "李秀英".into()];
    h.address.village = "额尔和村".into();
    h.address.group = "第三村民小组".into();
    h.category = Some(Category::General);
    h.phone = "13947012345".into();

    let mut head = member(1, "敖永军", Sex::Male, d(1975, 3, 12), 11, Relation::Head);
    head.ethnicity = "达斡尔族".into();
    head.political = Some(Political::CpcMember);
    let mut spouse = member(2, "李桂芝", Sex::Female, d(1977, 8, 5), 22, Relation::Spouse);
    spouse.education = Some(Education::Primary);
    let mut son = member(3, "敖海龙", Sex::Male, d(2000, 6, 18), 31, Relation::Son);
    son.ethnicity = "达斡尔族".into();
    son.education = Some(Education::Senior);
    son.labor = Some(Labor::Skilled);
    son.work_area = Some(WorkArea::InTownship);
    son.political = Some(Political::CylMember);
    let mut daughter = member(4, "敖雪", Sex::Female, d(2010, 9, 1), 42, Relation::Daughter);
    daughter.ethnicity = "达斡尔族".into();
    daughter.labor = Some(Labor::None);
    daughter.pension_insurance = Some(false);
    h.members = vec![head, spouse, son, daughter];

    let i = &mut h.income;
    i.production = money("36000");
    i.wage = money("18000");
    i.property = money("1200");
    i.transfer = money("2800");
    i.production_cost = money("10000");
    i.other_expense = money("0");

    let g = &mut h.guarantees;
    g.dropout = Some(false);
    g.all_insured = Some(true);
    g.safe_water = Some(true);
    g.dangerous_house = Some(false);

    h.judgement.at_risk = Some(false);
    h.judgement.identify = Some(false);
    h
}

/// [`complete_household`] changed by `f`.
pub fn with(f: impl FnOnce(&mut Household)) -> Household {
    let mut h = complete_household();
    f(&mut h);
    h
}

/// Sets A21–A25 (production, wage, property, transfer, production cost) and A28.
pub fn set_income(
    h: &mut Household,
    [production, wage, property, transfer, cost, other]: [&str; 6],
) {
    let i = &mut h.income;
    i.production = money(production);
    i.wage = money(wage);
    i.property = money(property);
    i.transfer = money(transfer);
    i.production_cost = money(cost);
    i.other_expense = money(other);
}

/// Makes `h` a complete monitoring object (边缘易致贫户 by default) identified on
/// `identified_on`: A33 因病, every measure answered 否 except A40 健康帮扶 是, risk not
/// eliminated. Change what a test needs afterwards.
pub fn make_monitored(h: &mut Household, identified_on: NaiveDate) {
    h.category = Some(Category::MonitoredMarginal);
    h.monitoring.identified_on = Some(identified_on);
    h.risk.types = vec![RiskType::Illness];
    set_all_measures(h, Some(false));
    h.measures.health.applied = Some(true);
    h.elimination.eliminated = Some(false);
}

/// Sets every measure's `applied` (A34–A45).
pub fn set_all_measures(h: &mut Household, applied: Option<bool>) {
    let m = &mut h.measures;
    m.industry.applied = applied;
    m.employment.applied = applied;
    m.finance.applied = applied;
    m.ecology.applied = applied;
    m.public_post.applied = applied;
    m.education.applied = applied;
    m.health.applied = applied;
    m.living.applied = applied;
    m.infrastructure.applied = applied;
    m.social_security.applied = applied;
    m.motivation.applied = applied;
    m.other.applied = applied;
}

/// Marks the risk eliminated (A46–A48) by `method`, marked in the system.
pub fn eliminate(h: &mut Household, method: EliminationMethod) {
    h.elimination.eliminated = Some(true);
    h.elimination.method = Some(method);
    h.elimination.marked_in_system = Some(true);
}

/// Evaluates with [`policy`] and [`today`] (no previous visit, no other households).
pub fn eval(h: &Household) -> Evaluation {
    let p = policy();
    evaluate(h, Context::new(&p, today()))
}

/// Evaluates with [`policy`] and [`today`], the household's previous visit (for
/// `income-drop`) and the index of people listed in other households (for
/// `id-number-elsewhere`).
pub fn eval_with(
    h: &Household,
    previous: Option<&Household>,
    people_elsewhere: Option<&HashMap<String, Vec<PersonElsewhere>>>,
) -> Evaluation {
    let p = policy();
    let ctx = Context { previous, people_elsewhere, ..Context::new(&p, today()) };
    evaluate(h, ctx)
}

/// The codes of the findings, in report order.
pub fn codes(ev: &Evaluation) -> Vec<&str> {
    ev.findings.iter().map(|f| f.code.as_str()).collect()
}

/// The findings with this code.
pub fn findings<'e>(ev: &'e Evaluation, code: &str) -> Vec<&'e Finding> {
    ev.findings.iter().filter(|f| f.code == code).collect()
}

/// The one finding with this code; panics (listing every finding) when there is not exactly one.
pub fn the<'e>(ev: &'e Evaluation, code: &str) -> &'e Finding {
    let found = findings(ev, code);
    assert_eq!(found.len(), 1, "expected exactly one `{code}` finding, got:\n{}", show(ev));
    found[0]
}

/// Asserts that exactly one `code` finding stands, with this severity and exactly these
/// paths, and that its message is one Chinese sentence containing every fragment. Returns it.
pub fn fires<'e>(
    ev: &'e Evaluation,
    code: &str,
    severity: Severity,
    paths: &[&str],
    fragments: &[&str],
) -> &'e Finding {
    let f = the(ev, code);
    assert_eq!(f.severity, severity, "severity of `{code}`");
    assert_eq!(f.paths, paths, "paths of `{code}`");
    assert_sentence(&f.message);
    for frag in fragments {
        assert!(f.message.contains(frag), "message of `{code}` lacks {frag:?}: {}", f.message);
    }
    f
}

/// Asserts that no `code` finding stands.
pub fn silent(ev: &Evaluation, code: &str) {
    assert!(!ev.has(code), "`{code}` should not fire:\n{}", show(ev));
}

/// Asserts that the findings are exactly these codes, in this order.
pub fn assert_codes(ev: &Evaluation, expected: &[&str]) {
    assert_eq!(codes(ev), expected, "findings:\n{}", show(ev));
}

/// A message is one Chinese sentence: it has Chinese text, ends with `。` and has no other `。`.
pub fn assert_sentence(message: &str) {
    assert!(
        message.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
        "not Chinese: {message}"
    );
    assert!(message.ends_with('。'), "not one sentence (no final 。): {message}");
    assert_eq!(message.matches('。').count(), 1, "more than one sentence: {message}");
}

/// Every finding on its own line, for assertion messages.
pub fn show(ev: &Evaluation) -> String {
    ev.findings
        .iter()
        .map(|f| format!("  {} [{}] {:?} {}", f.code, f.severity.code(), f.paths, f.message))
        .collect::<Vec<_>>()
        .join("\n")
}
