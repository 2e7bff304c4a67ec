//! A table test per reconciliation code: each case changes the roster or the record of one
//! matched household and names the codes it expects — exactly those. Every code fires in one
//! case and stays silent in a near miss.

use chrono::{DateTime, NaiveDate};
use rust_decimal::Decimal;

use super::*;
use crate::id_number::make;
use crate::money::Money;
use crate::record::{Category, Member, Sex};
use crate::roster::{self, prefill, Roster};

fn d(y: i32, m: u32, dd: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, dd).unwrap()
}

fn id(y: i32, seq: u16) -> String {
    make("150722", d(y, 3, 4), seq)
}

const HEADER: &str = "户编号,行政村,姓名,证件号码,性别,与户主关系,户类型,监测对象类别,识别监测时间,\
                      风险是否消除,人均纯收入（元）,享受低保政策情况,是否特困供养人员,是否参加城乡居民基本医疗保险";

/// H1: a 边缘易致贫户 of three in 一村, identified 2022-06, not eliminated, 9,000 yuan per head.
fn roster() -> Roster {
    let text = format!(
        "{HEADER}\n\
         H1,一村,张伟,{},男,户主,脱贫户,边缘易致贫户,202206,否,9000,否,否,是\n\
         H1,一村,李芳,{},女,配偶,脱贫户,边缘易致贫户,202206,否,9000,否,否,是\n\
         H1,一村,张小,{},男,之子,脱贫户,边缘易致贫户,202206,否,9000,否,否,是\n",
        id(1970, 11),
        id(1972, 22),
        id(2000, 33)
    );
    roster::read("花名册.csv", text.as_bytes()).unwrap()
}

fn now() -> chrono::DateTime<chrono::FixedOffset> {
    DateTime::parse_from_rfc3339("2023-02-20T09:00:00+08:00").unwrap()
}

/// The visit of H1: its draft, visited on 2023-02-20, with income for 9,000 per head.
fn visit(r: &Roster) -> Household {
    let mut h = prefill::draft(&r.file, &r.households[0], now());
    h.visit.date = Some(d(2023, 2, 20));
    set_per_capita(&mut h, "9000");
    h
}

fn set_per_capita(h: &mut Household, per_head: &str) {
    let total = Decimal::from_str_exact(per_head).unwrap() * Decimal::from(h.members.len());
    h.income.production = Some(Money::parse("0"));
    h.income.wage = Some(Money::Amount(total));
    h.income.property = Some(Money::parse("0"));
    h.income.transfer = Some(Money::parse("0"));
    h.income.production_cost = Some(Money::parse("0"));
}

fn today() -> NaiveDate {
    d(2023, 2, 24)
}

fn run(r: &Roster, records: &[Household], policy: &Policy) -> Reconciliation {
    reconcile(r, records, policy, today())
}

fn codes(rec: &Reconciliation) -> Vec<Code> {
    rec.households.iter().flat_map(|h| h.differences.iter().map(|d| d.code)).collect()
}

fn member<'a>(h: &'a mut Household, name: &str) -> &'a mut Member {
    h.members.iter_mut().find(|m| m.name == name).unwrap()
}

struct Case {
    name: &'static str,
    change: fn(&mut Roster, &mut Household),
    policy: Option<Policy>,
    expect: &'static [Code],
}

fn case(
    name: &'static str,
    change: fn(&mut Roster, &mut Household),
    expect: &'static [Code],
) -> Case {
    Case { name, change, policy: None, expect }
}

#[test]
fn each_code_fires_and_stays_silent_in_a_near_miss() {
    use Code::*;
    let mut line_8000 = Policy::shipped(2023);
    line_8000.monitoring_line = Decimal::from(8000);
    line_8000.confirmed = true;
    let cases = vec![
        case("baseline: the visit says what the roster says", |_, _| {}, &[]),
        case("category-differs", |_, h| h.category = Some(Category::General), &[CategoryDiffers]),
        case(
            "near miss: 脱贫户 matches either exited_*",
            |r, h| {
                r.households[0].category = Some(crate::roster::RosterCategory::Exited);
                h.category = Some(Category::ExitedUnsupported);
            },
            &[],
        ),
        case("near miss: category unanswered", |_, h| h.category = None, &[]),
        case(
            "eliminated-differs",
            |_, h| h.elimination.eliminated = Some(true),
            &[EliminatedDiffers],
        ),
        case("near miss: A46 unanswered", |_, h| h.elimination.eliminated = None, &[]),
        case(
            "identified-on-differs",
            |_, h| h.monitoring.identified_on = Some(d(2022, 7, 1)),
            &[IdentifiedOnDiffers],
        ),
        case(
            "near miss: another day of the same month",
            |_, h| h.monitoring.identified_on = Some(d(2022, 6, 30)),
            &[],
        ),
        case("income-line-differs", |_, h| set_per_capita(h, "6999.99"), &[IncomeLineDiffers]),
        case(
            "near miss: exactly on the line is not below it",
            |_, h| set_per_capita(h, "7000"),
            &[],
        ),
        case(
            "near miss: income not fully answered",
            |_, h| {
                set_per_capita(h, "10");
                h.income.property = None;
            },
            &[],
        ),
        Case {
            name: "income-line-differs by the given policy's line (8,000), not a constant",
            change: |r, h| {
                r.households[0].per_capita_income = Some(Money::parse("7500"));
                set_per_capita(h, "8500");
            },
            policy: Some(line_8000.clone()),
            expect: &[IncomeLineDiffers],
        },
        case(
            "near miss: the same figures by the shipped 2023 line (7,000)",
            |r, h| {
                r.households[0].per_capita_income = Some(Money::parse("7500"));
                set_per_capita(h, "8500");
            },
            &[],
        ),
        case(
            "member-missing",
            |_, h| {
                h.members.retain(|m| m.name != "张小");
                set_per_capita(h, "9000");
            },
            &[MemberMissing],
        ),
        case("near miss: members reordered", |_, h| h.members.reverse(), &[]),
        case(
            "member-added",
            |_, h| {
                let mut baby = Member::new(Uuid::from_u128(9));
                baby.name = "张宝".into();
                baby.relation = Some(Relation::Grandson);
                h.members.push(baby);
                set_per_capita(h, "9000");
            },
            &[MemberAdded],
        ),
        case(
            "near miss: a person without an ID on both sides is matched by name",
            |r, h| {
                r.households[0].persons[2].id_number.clear();
                member(h, "张小").id_number.clear();
            },
            &[RosterIdInvalid],
        ),
        case(
            "near miss: a changed ID is not hidden by the same name",
            |_, h| member(h, "张小").id_number = id(2000, 35),
            &[MemberMissing, MemberAdded],
        ),
        case("name-differs", |_, h| member(h, "张小").name = "张晓".into(), &[NameDiffers]),
        case("near miss: name unanswered", |_, h| member(h, "张小").name.clear(), &[]),
        case(
            "relation-differs",
            |_, h| member(h, "张小").relation = Some(Relation::Grandson),
            &[RelationDiffers],
        ),
        case("near miss: relation unanswered", |_, h| member(h, "张小").relation = None, &[]),
        case("sex-differs", |_, h| member(h, "张小").sex = Some(Sex::Female), &[SexDiffers]),
        case("near miss: sex unanswered", |_, h| member(h, "张小").sex = None, &[]),
        case("dibao-differs", |_, h| member(h, "张伟").dibao = Some(true), &[DibaoDiffers]),
        case(
            "near miss: 城市低保 is no answer to A17",
            |r, h| {
                r.households[0].persons[0].dibao = None;
                member(h, "张伟").dibao = Some(true);
            },
            &[],
        ),
        case("tekun-differs", |_, h| member(h, "张伟").tekun = Some(true), &[TekunDiffers]),
        case("near miss: tekun unanswered", |_, h| member(h, "张伟").tekun = None, &[]),
        case(
            "medical-insurance-differs",
            |_, h| member(h, "李芳").medical_insurance = Some(false),
            &[MedicalInsuranceDiffers],
        ),
        case(
            "near miss: insurance unanswered",
            |_, h| member(h, "李芳").medical_insurance = None,
            &[],
        ),
        case("not-visited", |_, h| h.visit.date = None, &[NotVisited]),
        case(
            "roster-id-invalid",
            |r, _| {
                let p = &mut r.households[0].persons[1];
                p.id_number.replace_range(17.., if p.id_number.ends_with('0') { "1" } else { "0" });
            },
            &[RosterIdInvalid, MemberMissing, MemberAdded],
        ),
    ];
    for c in cases {
        let mut r = roster();
        let mut h = visit(&r);
        (c.change)(&mut r, &mut h);
        let policy = c.policy.clone().unwrap_or_else(|| Policy::shipped(2023));
        let rec = run(&r, &[h], &policy);
        let mut got = codes(&rec);
        got.sort();
        let mut want = c.expect.to_vec();
        want.sort();
        assert_eq!(got, want, "{}: {:#?}", c.name, rec.households);
        for d in rec.households.iter().flat_map(|h| &h.differences) {
            assert!(!d.message.is_empty(), "{}", c.name);
        }
    }
}

#[test]
fn messages_carry_their_figures() {
    let r = roster();
    let mut h = visit(&r);
    set_per_capita(&mut h, "6500");
    h.category = Some(Category::General);
    member(&mut h, "张小").relation = Some(Relation::Grandson);
    let rec = run(&r, &[h], &Policy::shipped(2023));
    let m: Vec<&str> = rec.households[0].differences.iter().map(|d| d.message.as_str()).collect();
    assert_eq!(
        m,
        vec![
            "花名册的户类型为“监测对象 · 边缘易致贫户”，入户记录的户属性为“一般农牧户”。",
            "花名册人均纯收入 9,000.00 元，不低于 2023 年监测标准 7,000.00 元（未经核对）；入户记录人均纯收入 6,500.00 元，低于监测标准。",
            &format!("张小（{}）在花名册中的与户主关系为“之子”，入户记录为“之孙子”。", id(2000, 33)),
        ]
    );
    let income = &rec.households[0].differences[1];
    assert_eq!(
        (income.roster.as_str(), income.record.as_str()),
        (Some("9000.00"), Some("6500.00"))
    );
}

#[test]
fn not_visited_without_any_record_and_not_in_roster_only_for_exited_or_monitored() {
    let r = roster();
    let rec = run(&r, &[], &Policy::shipped(2023));
    assert_eq!(rec.households.len(), 1);
    assert_eq!((rec.households[0].status, rec.households[0].record_id), (Status::NotVisited, None));
    assert!(rec.households[0].differences[0].message.contains("没有入户记录"));

    // A household the roster does not know: no 户编号, no shared ID.
    let mut other = visit(&r);
    other.extra.clear();
    other.household_id = Uuid::from_u128(77);
    other.id = Uuid::from_u128(78);
    for (i, m) in other.members.iter_mut().enumerate() {
        m.id_number = id(1990, 100 + i as u16);
    }
    let rec = run(&r, &[other.clone()], &Policy::shipped(2023));
    assert_eq!(codes(&rec), vec![Code::NotVisited, Code::NotInRoster]);
    let last = rec.households.last().unwrap();
    assert_eq!(
        (last.status, last.record_id, last.household_no.as_deref()),
        (Status::NotInRoster, Some(other.id), None)
    );
    assert_eq!(
        last.differences[0].message,
        "一村张伟户（监测对象 · 边缘易致贫户，3 人）有入户记录，但不在花名册中。"
    );
    other.category = Some(Category::General);
    let rec = run(&r, &[other], &Policy::shipped(2023));
    assert_eq!(
        codes(&rec),
        vec![Code::NotVisited],
        "a general household is not expected in the list"
    );
}

#[test]
fn an_id_in_two_roster_households_is_reported_on_both() {
    let text = format!(
        "{HEADER}\nH1,一村,张伟,{a},男,户主,一般农户,,,,,,,\nH2,一村,王强,{b},男,户主,一般农户,,,,,,,\nH2,一村,张伟,{a},男,之子,一般农户,,,,,,,\n",
        a = id(1970, 11),
        b = id(1960, 31)
    );
    let r = roster::read("a.csv", text.as_bytes()).unwrap();
    let rec = run(&r, &[], &Policy::shipped(2023));
    let two: Vec<&Difference> = rec
        .households
        .iter()
        .flat_map(|h| &h.differences)
        .filter(|d| d.code == Code::RosterIdInTwoHouseholds)
        .collect();
    assert_eq!(two.len(), 2);
    assert!(
        two[0].message.contains("同时登记在本户（户编号 H1）和户编号 H2"),
        "{}",
        two[0].message
    );
    // Near miss: another ID in H2.
    let text = text.replacen(
        &format!("H2,一村,张伟,{}", id(1970, 11)),
        &format!("H2,一村,张伟,{}", id(1990, 13)),
        1,
    );
    let r = roster::read("a.csv", text.as_bytes()).unwrap();
    assert!(!codes(&run(&r, &[], &Policy::shipped(2023))).contains(&Code::RosterIdInTwoHouseholds));
}

#[test]
fn records_are_matched_by_household_no_then_head_then_shared_members() {
    let r = roster();
    // Without the roster key, by the head's ID.
    let mut by_head = visit(&r);
    by_head.extra.clear();
    by_head.household_id = Uuid::from_u128(1);
    let rec = run(&r, &[by_head.clone()], &Policy::shipped(2023));
    assert_eq!(
        (rec.households[0].status, rec.households[0].record_id),
        (Status::Matched, Some(by_head.id))
    );
    // Without it and with another head, by the members it shares.
    let mut shared = by_head.clone();
    member(&mut shared, "张伟").id_number = id(1971, 15);
    let rec = run(&r, &[shared.clone()], &Policy::shipped(2023));
    assert_eq!(rec.households[0].status, Status::Matched);
    assert_eq!(codes(&rec), vec![Code::MemberMissing, Code::MemberAdded]);

    // A visited record wins over the undated draft of the same household.
    let draft = prefill::draft(&r.file, &r.households[0], now());
    let rec = run(&r, &[draft.clone(), by_head.clone()], &Policy::shipped(2023));
    assert_eq!(rec.households.len(), 1);
    assert_eq!(rec.households[0].record_id, Some(by_head.id));
    // Only the draft: not visited, and the draft named.
    let rec = run(&r, std::slice::from_ref(&draft), &Policy::shipped(2023));
    assert_eq!(
        (rec.households[0].status, rec.households[0].record_id),
        (Status::NotVisited, Some(draft.id))
    );
    assert!(rec.households[0].differences[0].message.contains("待入户"));
    assert_eq!(rec.records, 1);
}

#[test]
fn the_json_has_exactly_the_contract_keys() {
    let r = roster();
    let mut h = visit(&r);
    h.members.pop();
    let v = crate::json::to_value(&run(&r, &[h], &Policy::shipped(2023)));
    let keys = |v: &Value| v.as_object().unwrap().keys().cloned().collect::<Vec<_>>();
    assert_eq!(keys(&v), vec!["format", "roster", "records", "households"]);
    assert_eq!(v["format"], "ruhu.reconcile/1");
    assert_eq!(keys(&v["roster"]), vec!["file", "households", "people", "unused_columns"]);
    let hh = &v["households"][0];
    assert_eq!(
        keys(hh),
        vec!["household_no", "head_id_number", "village", "record_id", "status", "differences"]
    );
    assert_eq!(hh["status"], "matched");
    let diff = &hh["differences"][0];
    assert_eq!(keys(diff), vec!["code", "id_number", "roster", "record", "message"]);
    assert_eq!(
        (diff["code"].as_str(), diff["id_number"].as_str()),
        (Some("member-missing"), Some(id(2000, 33).as_str()))
    );
    assert_eq!((diff["roster"].as_str(), &diff["record"]), (Some("张小"), &Value::Null));
}

#[test]
fn the_dynamic_list() {
    let text = format!(
        "{HEADER}\n\
         H1,一村,张伟,{},男,户主,脱贫户,边缘易致贫户,202206,否,9000,否,否,是\n\
         H1,一村,李芳,{},女,配偶,脱贫户,边缘易致贫户,202206,否,9000,否,否,是\n\
         H1,一村,张小,{},男,之子,脱贫户,边缘易致贫户,202206,否,9000,否,否,是\n\
         H2,一村,王强,{},男,户主,一般农户,,,,9000,否,否,是\n",
        id(1970, 11),
        id(1972, 22),
        id(2000, 33),
        id(1960, 31)
    );
    let r = roster::read("花名册.csv", text.as_bytes()).unwrap();
    let mut h1 = visit(&r);
    h1.members.retain(|m| m.name != "张小");
    let mut baby = Member::new(Uuid::from_u128(9));
    baby.name = "张宝".into();
    baby.relation = Some(Relation::Grandson);
    h1.members.push(baby);
    h1.elimination.eliminated = Some(true);
    h1.elimination.method = Some(EliminationMethod::Assisted);
    let mut h2 = prefill::draft(&r.file, &r.households[1], now());
    h2.visit.date = Some(d(2023, 2, 21));
    set_per_capita(&mut h2, "5000");
    h2.category = Some(Category::ExitedSupported);
    let rec = run(&r, &[h1, h2], &Policy::shipped(2023));
    let l = &rec.changes;
    assert_eq!(l.persons_to_add.iter().map(|p| p.name.as_str()).collect::<Vec<_>>(), vec!["张宝"]);
    assert_eq!(
        l.persons_to_remove.iter().map(|p| p.name.as_str()).collect::<Vec<_>>(),
        vec!["张小"]
    );
    assert_eq!(l.persons_to_remove[0].household.household_no.as_deref(), Some("H1"));
    assert_eq!(l.eliminations.len(), 1);
    assert_eq!(l.eliminations[0].method, Some(EliminationMethod::Assisted));
    assert_eq!(l.category_changes.len(), 1);
    assert_eq!(
        (l.category_changes[0].roster.as_str(), l.category_changes[0].record),
        ("general", Category::ExitedSupported)
    );
    assert_eq!(l.households_to_identify.len(), 1);
    let i = &l.households_to_identify[0];
    assert_eq!(
        (i.household.head_name.as_str(), i.suggested_category),
        ("王强", Some(Category::MonitoredUnstable))
    );
    assert!(i.reasons.iter().any(|m| m.contains("5,000.00")), "{:?}", i.reasons);
}

#[test]
fn the_ledger_as_csv_keeps_ids_as_text() {
    let r = roster();
    let mut h = visit(&r);
    h.members.pop();
    set_per_capita(&mut h, "9000");
    let rec = run(&r, &[h], &Policy::shipped(2023));
    let csv = String::from_utf8(crate::township::to_csv(&LedgerTable(&rec))).unwrap();
    let lines: Vec<&str> = csv.trim_start_matches('\u{feff}').lines().collect();
    assert_eq!(
        lines[0],
        "序号,村,户编号,户主,户主证件号码,状态,代码,问题,证件号码,花名册,入户记录,说明"
    );
    assert_eq!(lines.len(), 2);
    assert!(
        lines[1].starts_with(&format!(
            "1,一村,\"=\"\"H1\"\"\",张伟,\"=\"\"{}\"\"\",已核对,member-missing,花名册有、记录中没有的成员,\"=\"\"{}\"\"\",张小,,花名册中的张小",
            id(1970, 11),
            id(2000, 33)
        )),
        "{}",
        lines[1]
    );
}
