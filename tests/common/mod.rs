//! Test records for the native tests: the complete, valid household of the core's builder
//! (`ruhu::core::testkit::complete`) and small helpers to change it and evaluate it.
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

use chrono::NaiveDate;
use rust_decimal::Decimal;
use uuid::Uuid;

use ruhu::core::evaluation::{Evaluation, Finding, Severity};
use ruhu::core::money::Money;
use ruhu::core::policy::Policy;
use ruhu::core::record::{Category, EliminationMethod, Household, Member, Relation, RiskType, Sex};
use ruhu::core::rules::{evaluate, Context, PersonElsewhere};
use ruhu::core::testkit;

/// 莫力达瓦达斡尔族自治旗's administrative area code: the first six digits of its IDs.
pub const AREA: &str = testkit::AREA;
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
    testkit::money(text)
}

/// An exact decimal from text.
pub fn dec(text: &str) -> Decimal {
    Decimal::from_str(text).expect("a decimal")
}

/// A valid 18-character resident ID of 莫旗 for this birth date; an odd `seq` is male, an
/// even one female (the 17th digit is the last digit of `seq`).
pub fn id(birth: NaiveDate, seq: u16) -> String {
    testkit::id(birth, seq)
}

/// A deterministic UUID (`uuid(7)` is `00000000-0000-0000-0000-000000000007`).
pub fn uuid(n: u128) -> Uuid {
    testkit::uuid(n)
}

/// A complete member ([`testkit::complete_member`]): healthy, insured (A14–A16), no
/// 低保/特困, pension insured, not relocated, 群众, not working away. Sex and ID follow
/// `birth` and `sex` (`seq` chooses the sequence number; its parity is fixed to match `sex`).
pub fn member(
    n: u128,
    name: &str,
    sex: Sex,
    birth: NaiveDate,
    seq: u16,
    relation: Relation,
) -> Member {
    testkit::complete_member(n, name, sex, birth, seq, relation)
}

/// The complete, valid household of [`testkit::complete`], which evaluates with no finding
/// at all: 额尔和乡 额尔和村, four members with generated IDs, 达斡尔族 and 汉族, 12,000
/// yuan a head, 三保障 fine, judgement answered (the full description is on
/// `ruhu_core::testkit::complete`).
pub fn complete_household() -> Household {
    testkit::complete().build()
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
