//! The rule engine against `../shared/spec/rules.md`: one table test per rule code (each with
//! cases where the rule fires and near misses where it stays silent), then the Evaluation:
//! `identify`, `suggested_category`, `suggested_risk_types`, `key_groups`, `can_finalize`, the
//! computed figures and the JSON shape.
//!
//! Every case starts from `common::complete_household()` (which has no finding at all) and
//! changes only what the case is about.

mod common;

use std::collections::{BTreeSet, HashMap};

use serde_json::Value;

use common::*;
use ruhu::core::evaluation::{Identify, KeyGroup, Severity};
use ruhu::core::id_number;
use ruhu::core::record::{
    Category, DisasterType, EliminationMethod, Health, HouseGrade, IdType, Labor, Relation,
    RiskType, Sex, WaterIssue, WorkArea,
};
use ruhu::core::rules::{PersonElsewhere, CATALOG};

use Severity::{Error, Info, Risk, Warning};

// ---------------------------------------------------------------------------------------
// The catalogue against the spec
// ---------------------------------------------------------------------------------------

/// The codes of `rules.md` by severity, for when `../shared` is not next to the repo.
const SPEC_FALLBACK: &[(&str, Severity)] = &[
    ("answer-missing", Error),
    ("members-missing", Error),
    ("head-count", Error),
    ("spouse-count", Error),
    ("id-number-invalid", Error),
    ("id-number-duplicate", Error),
    ("id-sex-mismatch", Error),
    ("phone-invalid", Error),
    ("money-invalid", Error),
    ("surveyor-missing", Error),
    ("assessors-too-few", Error),
    ("water-issue-missing", Error),
    ("house-grade-missing", Error),
    ("disaster-type-missing", Error),
    ("judgement-reason-missing", Error),
    ("identified-on-missing", Error),
    ("elimination-method-missing", Error),
    ("elimination-with-risk", Error),
    ("visit-date-future", Error),
    ("income-below-line", Risk),
    ("rigid-expense", Risk),
    ("dropout", Risk),
    ("uninsured", Risk),
    ("unsafe-water", Risk),
    ("unsafe-housing", Risk),
    ("housing-unassessed", Risk),
    ("income-near-line", Warning),
    ("insured-inconsistent", Warning),
    ("labor-age-mismatch", Warning),
    ("unresolved-over-year", Warning),
    ("development-measures-missing", Warning),
    ("measures-missing", Warning),
    ("elimination-premature", Warning),
    ("elimination-no-labor", Warning),
    ("elimination-unmarked", Warning),
    ("elimination-months-mismatch", Warning),
    ("key-group", Info),
];

/// The codes the engine adds beyond the spec, with their severity.
const EXTRA: &[(&str, Severity)] = &[
    ("health-exclusive", Error),
    ("period-invalid", Warning),
    ("income-drop", Warning),
    ("id-number-elsewhere", Warning),
];

/// The code tables of `rules.md` (section *Codes the engine must report*), read at test time;
/// the embedded list when the file is not there.
fn spec_codes() -> Vec<(String, Severity)> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/spec/rules.md");
    let Ok(text) = std::fs::read_to_string(&path) else {
        eprintln!("{} not found: using the embedded list", path.display());
        return SPEC_FALLBACK.iter().map(|(c, s)| (c.to_string(), *s)).collect();
    };
    let mut out = Vec::new();
    let mut in_codes = false;
    let mut severity = None;
    for line in text.lines() {
        if let Some(h) = line.strip_prefix("## ") {
            in_codes = h.starts_with("Codes the engine must report");
        } else if let Some(h) = line.strip_prefix("### ") {
            severity = match h.trim() {
                "Errors" => Some(Error),
                "Risks" => Some(Risk),
                "Warnings" => Some(Warning),
                "Info" => Some(Info),
                other => panic!("unknown severity section {other:?} in rules.md"),
            };
        } else if in_codes && line.starts_with("| `") {
            let code = line.split('`').nth(1).expect("a code cell");
            out.push((code.to_string(), severity.expect("a code table under a severity heading")));
        }
    }
    assert!(out.len() >= SPEC_FALLBACK.len(), "rules.md lists fewer codes than expected: {out:?}");
    out
}

fn is_kebab(code: &str) -> bool {
    !code.is_empty()
        && code.split('-').all(|w| {
            !w.is_empty() && w.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        })
}

#[test]
fn catalog_codes_are_unique_kebab_case_with_title_and_why() {
    let mut seen = BTreeSet::new();
    for r in CATALOG {
        assert!(is_kebab(r.code), "`{}` is not kebab-case", r.code);
        assert!(seen.insert(r.code), "`{}` is in the catalogue twice", r.code);
        assert!(!r.title.trim().is_empty(), "`{}` has no title", r.code);
        assert!(!r.why.trim().is_empty(), "`{}` has no why", r.code);
        assert!(ruhu::core::rules::rule(r.code).is_some_and(|x| std::ptr::eq(x, *r)));
    }
    assert!(ruhu::core::rules::rule("no-such-rule").is_none());
}

#[test]
fn every_spec_code_is_in_the_catalog_with_its_severity() {
    let spec = spec_codes();
    for (code, severity) in &spec {
        let r = ruhu::core::rules::rule(code)
            .unwrap_or_else(|| panic!("rules.md lists `{code}`, the catalogue does not"));
        assert_eq!(r.severity, *severity, "severity of `{code}`");
    }
    // Everything else the catalogue holds is one of the documented extras.
    let spec: BTreeSet<&str> = spec.iter().map(|(c, _)| c.as_str()).collect();
    let extra: Vec<(&str, Severity)> =
        CATALOG.iter().filter(|r| !spec.contains(r.code)).map(|r| (r.code, r.severity)).collect();
    assert_eq!(extra, EXTRA);
}

#[test]
fn every_catalog_code_has_its_table_test() {
    // `income-below-line` is tested by `fn income_below_line()` in this file.
    let source = include_str!("rules_table.rs");
    for r in CATALOG {
        let test = format!("#[test]\nfn {}() {{", r.code.replace('-', "_"));
        assert!(
            source.contains(&test),
            "`{}` has no table test `{}`",
            r.code,
            &test[8..test.len() - 4]
        );
    }
}

#[test]
fn rules_that_read_the_risk_verdict_come_after_every_risk_rule() {
    // The engine runs the catalogue once, in order: a rule that reads `risk_found` must see
    // every risk rule's findings.
    let last_risk = CATALOG.iter().rposition(|r| r.severity == Risk).unwrap();
    for (i, r) in CATALOG.iter().enumerate().filter(|(_, r)| r.after_risks) {
        assert!(i > last_risk, "`{}` reads the risk verdict but runs before a risk rule", r.code);
    }
    assert!(CATALOG.iter().any(|r| r.after_risks));
}

#[test]
fn the_complete_household_has_no_finding() {
    let ev = eval(&complete_household());
    assert_codes(&ev, &[]);
    assert!(ev.can_finalize);
    assert!(!ev.at_risk);
    assert_eq!(ev.identify, Identify::No);
}

#[test]
fn findings_come_in_catalogue_order() {
    // One finding each from early, middle and late rules, across both kinds of rule.
    let h = with(|h| {
        h.guarantees.safe_water = Some(false);
        h.guarantees.water_issues = vec![WaterIssue::Quality];
        h.visit.surveyor.clear();
        h.members[0].health = vec![Health::Chronic];
        h.elimination.eliminated = Some(true);
        h.elimination.method = Some(EliminationMethod::Natural);
        h.elimination.marked_in_system = Some(false);
    });
    let ev = eval(&h);
    assert_codes(
        &ev,
        &[
            "surveyor-missing",
            "unsafe-water",
            "judgement-reason-missing",
            "elimination-with-risk",
            "elimination-unmarked",
            "key-group",
        ],
    );
    let order: Vec<usize> = ev
        .findings
        .iter()
        .map(|f| CATALOG.iter().position(|r| r.code == f.code).unwrap())
        .collect();
    assert!(order.windows(2).all(|w| w[0] <= w[1]), "{order:?}");
}

// ---------------------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------------------

fn missing_paths(h: &ruhu::core::record::Household) -> Vec<String> {
    let ev = eval(h);
    let found = findings(&ev, "answer-missing");
    for f in &found {
        assert_eq!(f.severity, Error);
        assert_eq!(f.paths.len(), 1, "one path per answer: {:?}", f.paths);
        assert_sentence(&f.message);
        assert!(f.message.ends_with("未填写。") || f.message.contains("未填写"), "{}", f.message);
    }
    found.iter().map(|f| f.paths[0].clone()).collect()
}

#[test]
fn answer_missing() {
    // Household answers.
    let ev = eval(&with(|h| h.address.village.clear()));
    fires(&ev, "answer-missing", Error, &["address.village"], &["村", "未填写"]);
    assert_eq!(missing_paths(&with(|h| h.category = None)), ["category"]);
    assert_eq!(missing_paths(&with(|h| h.visit.date = None)), ["visit.date"]);

    // Each member answer, on the third member: one path each, naming the member.
    type Edit = fn(&mut ruhu::core::record::Member);
    let member_answers: [(&str, Edit); 17] = [
        ("name", |m| m.name.clear()),
        ("sex", |m| m.sex = None),
        ("id_type", |m| m.id_type = None),
        ("id_number", |m| m.id_number.clear()),
        ("relation", |m| m.relation = None),
        ("ethnicity", |m| m.ethnicity.clear()),
        ("political", |m| m.political = None),
        ("health", |m| m.health.clear()),
        ("education", |m| m.education = None),
        ("labor", |m| m.labor = None),
        ("medical_insurance", |m| m.medical_insurance = None),
        ("critical_illness_insurance", |m| m.critical_illness_insurance = None),
        ("medical_assistance", |m| m.medical_assistance = None),
        ("dibao", |m| m.dibao = None),
        ("tekun", |m| m.tekun = None),
        ("pension_insurance", |m| m.pension_insurance = None),
        ("relocated", |m| m.relocated = None),
    ];
    for (key, edit) in member_answers {
        let h = with(|h| edit(&mut h.members[2]));
        assert_eq!(missing_paths(&h), [format!("members[2].{key}")], "{key}");
    }
    let ev = eval(&with(|h| h.members[2].labor = None));
    fires(
        &ev,
        "answer-missing",
        Error,
        &["members[2].labor"],
        &["第3位成员敖海龙", "A12 劳动技能"],
    );
    // A member without a name is named by their number.
    let ev = eval(&with(|h| h.members[2].name.clear()));
    fires(&ev, "answer-missing", Error, &["members[2].name"], &["第3位成员", "A3 姓名"]);

    // A21–A25 are required; A28 may be empty (read as 0).
    for (key, edit) in [
        ("production", (|h| h.income.production = None) as fn(&mut ruhu::core::record::Household)),
        ("wage", |h| h.income.wage = None),
        ("property", |h| h.income.property = None),
        ("transfer", |h| h.income.transfer = None),
        ("production_cost", |h| h.income.production_cost = None),
    ] {
        assert_eq!(missing_paths(&with(edit)), [format!("income.{key}")], "{key}");
    }
    assert_eq!(missing_paths(&with(|h| h.income.other_expense = None)), Vec::<String>::new());

    // A29–A32.
    for (key, edit) in [
        ("dropout", (|h| h.guarantees.dropout = None) as fn(&mut ruhu::core::record::Household)),
        ("all_insured", |h| h.guarantees.all_insured = None),
        ("safe_water", |h| h.guarantees.safe_water = None),
        ("dangerous_house", |h| h.guarantees.dangerous_house = None),
    ] {
        assert_eq!(missing_paths(&with(edit)), [format!("guarantees.{key}")], "{key}");
    }

    // Judgement: required of a household that is not a monitoring object…
    let h = with(|h| {
        h.judgement.at_risk = None;
        h.judgement.identify = None;
    });
    assert_eq!(missing_paths(&h), ["judgement.at_risk", "judgement.identify"]);
    // …not of a monitoring object (near miss).
    let h = with(|h| {
        make_monitored(h, d(2022, 11, 1));
        h.judgement.at_risk = None;
        h.judgement.identify = None;
    });
    assert_eq!(missing_paths(&h), Vec::<String>::new());

    // Sections 六–八: required of a monitoring object…
    let h = with(|h| {
        make_monitored(h, d(2022, 11, 1));
        h.risk.types.clear();
        h.measures.ecology.applied = None;
        h.elimination.eliminated = None;
    });
    assert_eq!(
        missing_paths(&h),
        ["risk.types", "measures.ecology.applied", "elimination.eliminated"]
    );
    let h = with(|h| {
        make_monitored(h, d(2022, 11, 1));
        set_all_measures(h, None);
    });
    let expected: Vec<String> = ruhu::core::record::MEASURE_KEYS
        .iter()
        .map(|(k, _, _)| format!("measures.{k}.applied"))
        .collect();
    assert_eq!(missing_paths(&h), expected);
    let ev = eval(&h);
    assert!(findings(&ev, "answer-missing").iter().any(|f| f.message.contains("A36 金融帮扶")));
    // …and of a household the people decided to identify…
    let h = with(|h| h.judgement.identify = Some(true));
    assert_eq!(
        missing_paths(&h).len(),
        1 + 12 + 1,
        "risk.types, 12 measures and elimination.eliminated: {:?}",
        missing_paths(&h)
    );
    // …but not of a household that is neither (the complete household leaves them empty).
    assert_eq!(missing_paths(&complete_household()), Vec::<String>::new());
}

#[test]
fn members_missing() {
    let ev = eval(&with(|h| h.members.clear()));
    fires(&ev, "members-missing", Error, &["members"], &["家庭成员"]);
    silent(&ev, "head-count");
    assert_eq!(ev.household_size, 0);
    assert_eq!(ev.per_capita_net, None);
    // Near miss: the head alone is a household.
    let ev = eval(&with(|h| h.members.truncate(1)));
    silent(&ev, "members-missing");
    silent(&ev, "head-count");
}

#[test]
fn head_count() {
    let ev = eval(&with(|h| h.members[0].relation = Some(Relation::Other)));
    fires(&ev, "head-count", Error, &["members"], &["没有户主"]);
    let ev = eval(&with(|h| h.members[1].relation = Some(Relation::Head)));
    fires(&ev, "head-count", Error, &["members[0].relation", "members[1].relation"], &["2位户主"]);
    // Near miss: exactly one head, whatever position.
    let ev = eval(&with(|h| h.members.swap(0, 2)));
    silent(&ev, "head-count");
}

#[test]
fn spouse_count() {
    let ev = eval(&with(|h| h.members[3].relation = Some(Relation::Spouse)));
    fires(
        &ev,
        "spouse-count",
        Error,
        &["members[1].relation", "members[3].relation"],
        &["2位成员", "配偶"],
    );
    // Near misses: one spouse, or none (a widowed head).
    silent(&eval(&complete_household()), "spouse-count");
    silent(&eval(&with(|h| drop(h.members.remove(1)))), "spouse-count");
}

/// The head's ID with its last character replaced by `c`.
fn with_check(id: &str, c: char) -> String {
    format!("{}{c}", &id[..17])
}

#[test]
fn id_number_invalid() {
    let head_id = complete_household().members[0].id_number.clone();
    let good = head_id.chars().last().unwrap();
    let bad = if good == '0' { '1' } else { '0' };

    let ev = eval(&with(|h| h.members[0].id_number = with_check(&head_id, bad)));
    fires(
        &ev,
        "id-number-invalid",
        Error,
        &["members[0].id_number"],
        &["第1位成员敖永军", "校验码错误", &format!("应为 {good}")],
    );
    silent(&ev, "id-sex-mismatch"); // a wrong number tells no sex

    let ev = eval(&with(|h| {
        h.members[0].id_number.pop();
    }));
    fires(&ev, "id-number-invalid", Error, &["members[0].id_number"], &["18位", "现有17位"]);

    let ev = eval(&with(|h| h.members[0].id_number = format!("{}Y", &head_id[..17])));
    fires(&ev, "id-number-invalid", Error, &["members[0].id_number"], &["数字或X"]);

    // An impossible birth date with a correct check character.
    let first17 = format!("{}19750230011", common::AREA);
    let impossible = format!("{first17}{}", id_number::check_char(first17.as_bytes()));
    let ev = eval(&with(|h| h.members[0].id_number = impossible.clone()));
    fires(&ev, "id-number-invalid", Error, &["members[0].id_number"], &["19750230", "不存在"]);

    // Born after the visit.
    let ev = eval(&with(|h| h.members[3].id_number = id(d(2023, 2, 21), 42)));
    fires(
        &ev,
        "id-number-invalid",
        Error,
        &["members[3].id_number"],
        &["2023-02-21", "晚于走访日期"],
    );
    // Near miss: born on the visit day.
    silent(&eval(&with(|h| h.members[3].id_number = id(d(2023, 2, 20), 42))), "id-number-invalid");

    // A lower-case x is read as X (near miss).
    let seq = (0u16..1000).step_by(2).find(|s| id(d(1977, 8, 5), *s).ends_with('X')).unwrap();
    let with_x = id(d(1977, 8, 5), seq);
    silent(&eval(&with(|h| h.members[1].id_number = with_x.to_lowercase())), "id-number-invalid");

    // 残疾人证: the holder's ID + category 1–7 + grade 1–4.
    let cert = |suffix: &str| {
        let h = with(|h| {
            h.members[0].id_type = Some(IdType::DisabilityCert);
            h.members[0].id_number = format!("{head_id}{suffix}");
            h.members[0].health = vec![Health::Disabled];
            h.judgement.reason = "残疾等级较轻，收入稳定".into();
        });
        eval(&h)
    };
    fires(&cert("82"), "id-number-invalid", Error, &["members[0].id_number"], &["第19位", "1–7"]);
    fires(&cert("45"), "id-number-invalid", Error, &["members[0].id_number"], &["第20位", "1–4"]);
    fires(&cert(""), "id-number-invalid", Error, &["members[0].id_number"], &["20位", "现有18位"]);
    silent(&cert("74"), "id-number-invalid");
    silent(&cert("13"), "id-number-invalid");
    // A resident ID of 20 characters is not a resident ID.
    let ev = eval(&with(|h| h.members[0].id_number = format!("{head_id}42")));
    fires(&ev, "id-number-invalid", Error, &["members[0].id_number"], &["18位", "现有20位"]);
}

#[test]
fn id_number_duplicate() {
    let h = with(|h| {
        h.members[3].id_number = h.members[2].id_number.clone();
        h.members[3].sex = Some(Sex::Male);
    });
    let son_id = h.members[2].id_number.clone();
    let ev = eval(&h);
    fires(
        &ev,
        "id-number-duplicate",
        Error,
        &["members[2].id_number", "members[3].id_number"],
        &["第3位成员敖海龙和第4位成员敖雪", &son_id],
    );
    // A 残疾人证 holds its holder's ID: the same person twice.
    let h = with(|h| {
        h.members[1].id_type = Some(IdType::DisabilityCert);
        h.members[1].id_number = format!("{}{}", h.members[0].id_number, "43");
        h.members[1].sex = Some(Sex::Male);
    });
    fires(
        &eval(&h),
        "id-number-duplicate",
        Error,
        &["members[0].id_number", "members[1].id_number"],
        &["同一人"],
    );
    // Three times the same person: one finding naming all three.
    let h = with(|h| {
        for i in 1..=3 {
            h.members[i].id_number = h.members[0].id_number.clone();
            h.members[i].sex = Some(Sex::Male);
        }
    });
    let ev = eval(&h);
    fires(
        &ev,
        "id-number-duplicate",
        Error,
        &[
            "members[0].id_number",
            "members[1].id_number",
            "members[2].id_number",
            "members[3].id_number",
        ],
        &["第1位成员敖永军和第2位成员李桂芝和第3位成员敖海龙和第4位成员敖雪"],
    );
    // Spaces (even wide ones) and a lower-case x do not hide a duplicate.
    let seq = (1u16..1000).step_by(2).find(|s| id(d(2000, 6, 18), *s).ends_with('X')).unwrap();
    let x_id = id(d(2000, 6, 18), seq);
    let h = with(|h| {
        h.members[2].id_number = x_id.clone();
        h.members[3].id_number = format!("{}\u{3000}{}", &x_id[..17], "x");
        h.members[3].sex = Some(Sex::Male);
    });
    fires(
        &eval(&h),
        "id-number-duplicate",
        Error,
        &["members[2].id_number", "members[3].id_number"],
        &[&x_id],
    );
    // Near miss: twins, same birth date, different sequence numbers.
    let h = with(|h| {
        let mut twin = h.members[3].clone();
        twin.id = uuid(0x199);
        twin.name = "敖霜".into();
        twin.id_number = id(d(2010, 9, 1), 44);
        h.members.push(twin);
    });
    silent(&eval(&h), "id-number-duplicate");
}

#[test]
fn id_sex_mismatch() {
    let ev = eval(&with(|h| h.members[0].sex = Some(Sex::Female)));
    fires(
        &ev,
        "id-sex-mismatch",
        Error,
        &["members[0].sex", "members[0].id_number"],
        &["第1位成员敖永军", "填为女", "表示男"],
    );
    // Near misses: matching sex; no sex given (answer-missing instead).
    silent(&eval(&complete_household()), "id-sex-mismatch");
    let ev = eval(&with(|h| h.members[0].sex = None));
    silent(&ev, "id-sex-mismatch");
    assert!(ev.has("answer-missing"));
}

#[test]
fn health_exclusive() {
    let ev = eval(&with(|h| h.members[1].health = vec![Health::Healthy, Health::Chronic]));
    fires(&ev, "health-exclusive", Error, &["members[1].health"], &["第2位成员李桂芝", "健康"]);
    // Near miss: the others combine.
    let ev = eval(&with(|h| {
        h.members[1].health = vec![Health::Chronic, Health::Disabled, Health::SeriousIllness]
    }));
    silent(&ev, "health-exclusive");
}

#[test]
fn phone_invalid() {
    for bad in ["1391234567", "12912345678", "0470-461234", "4612345"] {
        let ev = eval(&with(|h| h.phone = bad.into()));
        fires(&ev, "phone-invalid", Error, &["phone"], &[bad]);
    }
    // Near misses: mobile, landline with or without hyphen, no phone at all.
    for ok in ["13947012345", "0470-4612345", "04704612345", ""] {
        silent(&eval(&with(|h| h.phone = ok.into())), "phone-invalid");
    }
}

#[test]
fn money_invalid() {
    let ev = eval(&with(|h| h.income.production = money("1.234")));
    fires(&ev, "money-invalid", Error, &["income.production"], &["A21", "1.234", "两位小数"]);
    assert_eq!(ev.total_income, None);
    assert_eq!(ev.per_capita_net, None);
    silent(&ev, "income-below-line");
    let ev = eval(&with(|h| h.income.wage = money("-5")));
    fires(&ev, "money-invalid", Error, &["income.wage"], &["A22", "-5.00", "负数"]);
    let ev = eval(&with(|h| h.income.other_expense = money("12a")));
    fires(
        &ev,
        "money-invalid",
        Error,
        &["income.other_expense"],
        &["A28", "12a", "不是有效的金额"],
    );
    assert_eq!(ev.per_capita_after_rigid, None);
    assert_eq!(ev.per_capita_net, Some(dec("12000")));
    let ev = eval(&with(|h| h.measures.finance.loan_amount_wan = money("5.125")));
    fires(&ev, "money-invalid", Error, &["measures.finance.loan_amount_wan"], &["A36", "5.125"]);
    // Near misses: thousands separators, full-width digits, 1 or 2 decimals, zero.
    for ok in ["1,200.5", "１２００", "0.01", "0"] {
        silent(&eval(&with(|h| h.income.property = money(ok))), "money-invalid");
    }
}

#[test]
fn surveyor_missing() {
    fires(
        &eval(&with(|h| h.visit.surveyor.clear())),
        "surveyor-missing",
        Error,
        &["visit.surveyor"],
        &["排查人"],
    );
    fires(
        &eval(&with(|h| h.visit.surveyor = "  ".into())),
        "surveyor-missing",
        Error,
        &["visit.surveyor"],
        &[],
    );
    silent(&eval(&complete_household()), "surveyor-missing");
}

#[test]
fn assessors_too_few() {
    let ev =
        eval(&with(|h| h.visit.assessors = vec!["王建国".into(), " 王建国 ".into(), "".into()]));
    fires(&ev, "assessors-too-few", Error, &["visit.assessors"], &["不少于2人", "现有1人"]);
    let ev = eval(&with(|h| h.visit.assessors.clear()));
    fires(&ev, "assessors-too-few", Error, &["visit.assessors"], &["现有0人"]);
    // Near miss: two distinct people.
    silent(
        &eval(&with(|h| h.visit.assessors = vec!["李秀英".into(), "王建国".into()])),
        "assessors-too-few",
    );
}

#[test]
fn water_issue_missing() {
    let ev = eval(&with(|h| h.guarantees.safe_water = Some(false)));
    fires(
        &ev,
        "water-issue-missing",
        Error,
        &["guarantees.water_issues"],
        &["A31", "水质", "水量"],
    );
    let ev = eval(&with(|h| {
        h.guarantees.safe_water = Some(false);
        h.guarantees.water_issues = vec![WaterIssue::Quantity];
    }));
    silent(&ev, "water-issue-missing");
}

#[test]
fn house_grade_missing() {
    let ev = eval(&with(|h| h.guarantees.dangerous_house = Some(true)));
    fires(&ev, "house-grade-missing", Error, &["guarantees.house_grade"], &["A32"]);
    silent(&ev, "unsafe-housing");
    silent(&ev, "housing-unassessed");
    let ev = eval(&with(|h| {
        h.guarantees.dangerous_house = Some(true);
        h.guarantees.house_grade = Some(HouseGrade::D);
    }));
    silent(&ev, "house-grade-missing");
}

#[test]
fn disaster_type_missing() {
    let ev = eval(&with(|h| {
        make_monitored(h, d(2022, 11, 1));
        h.risk.types = vec![RiskType::NaturalDisaster];
    }));
    fires(&ev, "disaster-type-missing", Error, &["risk.disaster_types"], &["因自然灾害", "A33a"]);
    // Near misses: the type is chosen; 因灾 is not 因自然灾害.
    let ev = eval(&with(|h| {
        make_monitored(h, d(2022, 11, 1));
        h.risk.types = vec![RiskType::NaturalDisaster];
        h.risk.disaster_types = vec![DisasterType::Flood];
    }));
    silent(&ev, "disaster-type-missing");
    let ev = eval(&with(|h| {
        make_monitored(h, d(2022, 11, 1));
        h.risk.types = vec![RiskType::Disaster];
    }));
    silent(&ev, "disaster-type-missing");
}

#[test]
fn identified_on_missing() {
    for c in [Category::MonitoredUnstable, Category::MonitoredMarginal, Category::MonitoredHardship]
    {
        let ev = eval(&with(|h| {
            make_monitored(h, d(2022, 11, 1));
            h.category = Some(c);
            h.monitoring.identified_on = None;
        }));
        fires(
            &ev,
            "identified-on-missing",
            Error,
            &["monitoring.identified_on"],
            &[c.label(), "识别"],
        );
    }
    // Near miss: not a monitoring object.
    let ev = eval(&with(|h| h.category = Some(Category::ExitedSupported)));
    silent(&ev, "identified-on-missing");
}

#[test]
fn elimination_method_missing() {
    let ev = eval(&with(|h| {
        make_monitored(h, d(2022, 2, 1));
        h.elimination.eliminated = Some(true);
        h.elimination.marked_in_system = Some(true);
    }));
    fires(&ev, "elimination-method-missing", Error, &["elimination.method"], &["A47"]);
    let ev = eval(&with(|h| {
        make_monitored(h, d(2022, 2, 1));
        eliminate(h, EliminationMethod::Natural);
    }));
    silent(&ev, "elimination-method-missing");
}

#[test]
fn judgement_reason_missing() {
    // A risk, not identified, no reason.
    let risky = |h: &mut ruhu::core::record::Household| {
        h.guarantees.safe_water = Some(false);
        h.guarantees.water_issues = vec![WaterIssue::Quality];
        h.judgement.at_risk = Some(true);
    };
    let ev = eval(&with(risky));
    fires(
        &ev,
        "judgement-reason-missing",
        Error,
        &["judgement.reason"],
        &["本户有风险信号（饮水安全未解决）", "不纳入监测", "原因"],
    );
    // A key-group member, no risk.
    let ev = eval(&with(|h| h.members[1].health = vec![Health::Chronic]));
    fires(&ev, "judgement-reason-missing", Error, &["judgement.reason"], &["本户有重点人群成员"]);
    // Both.
    let ev = eval(&with(|h| {
        risky(h);
        h.members[1].health = vec![Health::Chronic];
    }));
    fires(
        &ev,
        "judgement-reason-missing",
        Error,
        &["judgement.reason"],
        &["风险信号（饮水安全未解决）且有重点人群成员"],
    );
    // Near misses: a reason given; identified; a monitoring object; nothing to explain.
    silent(
        &eval(&with(|h| {
            risky(h);
            h.judgement.reason = "饮水改造工程已列入2023年计划".into();
        })),
        "judgement-reason-missing",
    );
    silent(
        &eval(&with(|h| {
            risky(h);
            h.judgement.identify = Some(true);
        })),
        "judgement-reason-missing",
    );
    silent(
        &eval(&with(|h| {
            risky(h);
            make_monitored(h, d(2022, 11, 1));
        })),
        "judgement-reason-missing",
    );
    silent(&eval(&complete_household()), "judgement-reason-missing");
}

#[test]
fn elimination_with_risk() {
    let ev = eval(&with(|h| {
        make_monitored(h, d(2022, 2, 1));
        eliminate(h, EliminationMethod::Assisted);
        h.guarantees.dropout = Some(true);
    }));
    fires(
        &ev,
        "elimination-with-risk",
        Error,
        &["elimination.eliminated"],
        &["风险信号（义务教育保障未落实）", "A46"],
    );
    // Every risk is named, in catalogue order.
    let ev = eval(&with(|h| {
        make_monitored(h, d(2022, 2, 1));
        eliminate(h, EliminationMethod::Assisted);
        h.guarantees.dropout = Some(true);
        set_income(h, ["16000", "0", "0", "0", "0", "0"]);
    }));
    fires(
        &ev,
        "elimination-with-risk",
        Error,
        &["elimination.eliminated"],
        &["（人均纯收入低于监测标准、义务教育保障未落实）"],
    );
    assert!(!ev.can_finalize);
    // Near misses: eliminated without a risk; a risk without elimination.
    let ev = eval(&with(|h| {
        make_monitored(h, d(2022, 2, 1));
        eliminate(h, EliminationMethod::Assisted);
    }));
    silent(&ev, "elimination-with-risk");
    let ev = eval(&with(|h| {
        make_monitored(h, d(2022, 2, 1));
        h.guarantees.dropout = Some(true);
    }));
    silent(&ev, "elimination-with-risk");
}

#[test]
fn visit_date_future() {
    let ev = eval(&with(|h| h.visit.date = Some(d(2023, 3, 2))));
    fires(&ev, "visit-date-future", Error, &["visit.date"], &["2023-03-02", "2023-03-01"]);
    // Near miss: visited today.
    silent(&eval(&with(|h| h.visit.date = Some(today()))), "visit-date-future");
}

#[test]
fn period_invalid() {
    let ev = eval(&with(|h| h.visit.period_start = Some(d(2022, 3, 1))));
    fires(
        &ev,
        "period-invalid",
        Warning,
        &["visit.period_start", "visit.period_end"],
        &["2022-03-01", "2023-02-20", "不足12个月"],
    );
    let ev = eval(&with(|h| h.visit.period_start = h.visit.period_end));
    fires(&ev, "period-invalid", Warning, &["visit.period_start", "visit.period_end"], &["不早于"]);
    let ev = eval(&with(|h| h.visit.period_start = Some(d(2021, 2, 20))));
    fires(
        &ev,
        "period-invalid",
        Warning,
        &["visit.period_start", "visit.period_end"],
        &["2021-02-20", "超过12个月"],
    );
    // Near misses: exactly 12 months (the seed's 2022-02-15 to 2023-02-15); a period not given.
    silent(
        &eval(&with(|h| {
            h.visit.period_start = Some(d(2022, 2, 15));
            h.visit.period_end = Some(d(2023, 2, 15));
        })),
        "period-invalid",
    );
    silent(&eval(&with(|h| h.visit.period_start = None)), "period-invalid");
}

// ---------------------------------------------------------------------------------------
// Risks
// ---------------------------------------------------------------------------------------

#[test]
fn income_below_line() {
    // 3 people, net 16,000 → 5,333.33 a head.
    let h = with(|h| {
        h.members.truncate(3);
        set_income(h, ["20000", "0", "0", "0", "4000", "0"]);
        h.judgement.at_risk = Some(true);
        h.judgement.identify = Some(true);
        make_sections_answered(h);
    });
    let ev = eval(&h);
    fires(
        &ev,
        "income-below-line",
        Risk,
        &["income"],
        &[
            "家庭人均纯收入 5,333.33 元",
            "16,000.00 元",
            "3 人",
            "2023 年",
            "7,000.00 元",
            "未经核对",
        ],
    );
    assert_codes(&ev, &["income-below-line"]);
    assert_eq!(ev.per_capita_net, Some(dec("5333.33")));
    // Near miss: exactly on the line is not below it (but is near it).
    let ev = eval(&with(|h| set_income(h, ["28000", "0", "0", "0", "0", "0"])));
    assert_eq!(ev.per_capita_net, Some(dec("7000")));
    silent(&ev, "income-below-line");
    fires(&ev, "income-near-line", Warning, &["income"], &["7,000.00 元"]);
    // One cent below.
    let ev = eval(&with(|h| set_income(h, ["27999.96", "0", "0", "0", "0", "0"])));
    fires(&ev, "income-below-line", Risk, &["income"], &["6,999.99 元"]);
    // Near miss: incomplete income is not judged (answer-missing says why).
    let ev = eval(&with(|h| {
        set_income(h, ["100", "0", "0", "0", "0", "0"]);
        h.income.wage = None;
    }));
    silent(&ev, "income-below-line");
    // A confirmed policy drops the "unconfirmed" note.
    let mut p = policy();
    p.confirmed = true;
    let h = with(|h| set_income(h, ["20000", "0", "0", "0", "0", "0"]));
    let ev = ruhu::core::rules::evaluate_simple(&h, &p, today());
    let f = the(&ev, "income-below-line");
    assert!(f.message.contains("5,000.00 元") && !f.message.contains("未经核对"), "{}", f.message);
}

/// Answers sections 六–八 for an identified household: 因病, A40 是, not eliminated.
fn make_sections_answered(h: &mut ruhu::core::record::Household) {
    h.risk.types = vec![RiskType::Illness];
    set_all_measures(h, Some(false));
    h.measures.health.applied = Some(true);
    h.elimination.eliminated = Some(false);
}

#[test]
fn rigid_expense() {
    let ev = eval(&with(|h| {
        h.income.other_expense = money("24000");
        h.income.other_expense_note = "大病住院医疗费".into();
    }));
    fires(
        &ev,
        "rigid-expense",
        Risk,
        &["income.other_expense"],
        &[
            "家庭人均纯收入 12,000.00 元",
            "7,000.00 元",
            "24,000.00 元",
            "大病住院医疗费",
            "6,000.00 元",
        ],
    );
    assert_eq!(ev.per_capita_after_rigid, Some(dec("6000")));
    // Near miss: after the expense exactly on the line.
    let ev = eval(&with(|h| h.income.other_expense = money("20000")));
    assert_eq!(ev.per_capita_after_rigid, Some(dec("7000")));
    silent(&ev, "rigid-expense");
    // Near miss: already below the line: that is income-below-line, not rigid-expense.
    let ev = eval(&with(|h| set_income(h, ["20000", "0", "0", "0", "0", "10000"])));
    assert!(ev.has("income-below-line"));
    silent(&ev, "rigid-expense");
}

#[test]
fn dropout() {
    fires(
        &eval(&with(|h| h.guarantees.dropout = Some(true))),
        "dropout",
        Risk,
        &["guarantees.dropout"],
        &["A29", "失学辍学"],
    );
    silent(&eval(&complete_household()), "dropout");
    silent(&eval(&with(|h| h.guarantees.dropout = None)), "dropout");
}

#[test]
fn uninsured() {
    let ev = eval(&with(|h| h.guarantees.all_insured = Some(false)));
    fires(&ev, "uninsured", Risk, &["guarantees.all_insured"], &["A30", "基本医疗"]);
    let ev = eval(&with(|h| {
        h.guarantees.all_insured = Some(false);
        h.members[3].medical_insurance = Some(false);
    }));
    fires(
        &ev,
        "uninsured",
        Risk,
        &["guarantees.all_insured", "members[3].medical_insurance"],
        &["1 名成员", "第4位成员敖雪"],
    );
    let ev = eval(&with(|h| {
        h.members[1].medical_insurance = Some(false);
        h.members[3].medical_insurance = Some(false);
    }));
    fires(
        &ev,
        "uninsured",
        Risk,
        &["guarantees.all_insured", "members[1].medical_insurance", "members[3].medical_insurance"],
        &["2 名成员", "第2位成员李桂芝、第4位成员敖雪"],
    );
    // Near misses: everyone insured; an unanswered A14 is not a "no".
    silent(&eval(&complete_household()), "uninsured");
    silent(&eval(&with(|h| h.members[3].medical_insurance = None)), "uninsured");
}

#[test]
fn unsafe_water() {
    let ev = eval(&with(|h| {
        h.guarantees.safe_water = Some(false);
        h.guarantees.water_issues = vec![WaterIssue::Quality, WaterIssue::Quantity];
    }));
    fires(
        &ev,
        "unsafe-water",
        Risk,
        &["guarantees.safe_water"],
        &["水质不达标、水量不达标", "饮水安全"],
    );
    silent(&eval(&complete_household()), "unsafe-water");
}

#[test]
fn unsafe_housing() {
    for (grade, label) in [(HouseGrade::C, "C级"), (HouseGrade::D, "D级")] {
        let ev = eval(&with(|h| {
            h.guarantees.dangerous_house = Some(true);
            h.guarantees.house_grade = Some(grade);
        }));
        fires(
            &ev,
            "unsafe-housing",
            Risk,
            &["guarantees.dangerous_house", "guarantees.house_grade"],
            &[label, "危房"],
        );
        silent(&ev, "housing-unassessed");
    }
    // Near misses: unassessed is its own risk; a grade on a house that is not dangerous.
    let ev = eval(&with(|h| {
        h.guarantees.dangerous_house = Some(true);
        h.guarantees.house_grade = Some(HouseGrade::Unassessed);
    }));
    silent(&ev, "unsafe-housing");
    silent(&eval(&with(|h| h.guarantees.house_grade = Some(HouseGrade::C))), "unsafe-housing");
}

#[test]
fn housing_unassessed() {
    let ev = eval(&with(|h| {
        h.guarantees.dangerous_house = Some(true);
        h.guarantees.house_grade = Some(HouseGrade::Unassessed);
    }));
    fires(&ev, "housing-unassessed", Risk, &["guarantees.house_grade"], &["未鉴定"]);
    let ev = eval(&with(|h| {
        h.guarantees.dangerous_house = Some(true);
        h.guarantees.house_grade = Some(HouseGrade::C);
    }));
    silent(&ev, "housing-unassessed");
}

// ---------------------------------------------------------------------------------------
// Warnings
// ---------------------------------------------------------------------------------------

#[test]
fn income_near_line() {
    let ev = eval(&with(|h| set_income(h, ["28000", "0", "0", "0", "0", "0"])));
    fires(
        &ev,
        "income-near-line",
        Warning,
        &["income"],
        &["家庭人均纯收入 7,000.00 元", "7,000.00 元", "8,400.00 元", "1.2 倍"],
    );
    // 8,399.99 is inside the band; 8,400.00 is not.
    let ev = eval(&with(|h| set_income(h, ["33599.96", "0", "0", "0", "0", "0"])));
    fires(&ev, "income-near-line", Warning, &["income"], &["8,399.99 元"]);
    silent(&eval(&with(|h| set_income(h, ["33600", "0", "0", "0", "0", "0"]))), "income-near-line");
    // Below the line is a risk, not a warning.
    silent(
        &eval(&with(|h| set_income(h, ["27999.96", "0", "0", "0", "0", "0"]))),
        "income-near-line",
    );
    // The band ends at line × factor exactly, not at its rounded figure: 7,000 × 1.2000005 =
    // 8,400.0035, so 8,400.00 is still inside.
    let mut p = policy();
    p.near_line_factor = dec("1.2000005");
    let h = with(|h| set_income(h, ["33600", "0", "0", "0", "0", "0"]));
    let ev = ruhu::core::rules::evaluate_simple(&h, &p, today());
    fires(&ev, "income-near-line", Warning, &["income"], &["8,400.00 元", "1.2000005 倍"]);
}

#[test]
fn income_drop() {
    let previous = with(|h| {
        h.id = uuid(0x900);
        h.visit.date = Some(d(2022, 2, 18));
    });
    // 12,000.00 → 8,400.00 a head: down exactly 30%.
    let h = with(|h| set_income(h, ["33600", "0", "0", "0", "0", "0"]));
    let ev = eval_with(&h, Some(&previous), None);
    fires(
        &ev,
        "income-drop",
        Warning,
        &["income"],
        &["2022-02-18", "12,000.00 元", "8,400.00 元", "下降 30%"],
    );
    // Near miss: 8,400.04 is down 29.9997%.
    let h = with(|h| set_income(h, ["33600.16", "0", "0", "0", "0", "0"]));
    silent(&eval_with(&h, Some(&previous), None), "income-drop");
    // Near misses: no previous visit; a previous visit whose income was incomplete.
    let h = with(|h| set_income(h, ["20000", "0", "0", "0", "0", "0"]));
    silent(&eval(&h), "income-drop");
    let incomplete = with(|h| h.income.wage = None);
    silent(&eval_with(&h, Some(&incomplete), None), "income-drop");
}

#[test]
fn insured_inconsistent() {
    let ev = eval(&with(|h| h.members[1].medical_insurance = Some(false)));
    fires(
        &ev,
        "insured-inconsistent",
        Warning,
        &["guarantees.all_insured", "members[1].medical_insurance"],
        &["A30", "1 名成员"],
    );
    let ev = eval(&with(|h| h.guarantees.all_insured = Some(false)));
    fires(&ev, "insured-inconsistent", Warning, &["guarantees.all_insured"], &["全部 4 名成员"]);
    // Near misses: consistent either way.
    silent(&eval(&complete_household()), "insured-inconsistent");
    silent(
        &eval(&with(|h| {
            h.guarantees.all_insured = Some(false);
            h.members[1].medical_insurance = Some(false);
        })),
        "insured-inconsistent",
    );
}

#[test]
fn labor_age_mismatch() {
    // The daughter, 12, as ordinary labor.
    let ev = eval(&with(|h| h.members[3].labor = Some(Labor::Ordinary)));
    fires(
        &ev,
        "labor-age-mismatch",
        Warning,
        &["members[3].labor"],
        &["第4位成员敖雪", "12岁", "普通劳动力"],
    );
    // 15 vs 16 (born 2007-02-21 / 2007-02-20, visit 2023-02-20).
    let aged = |birth, labor| {
        with(|h| {
            h.members[3].id_number = id(birth, 42);
            h.members[3].labor = Some(labor);
            h.members[3].education = Some(ruhu::core::record::Education::Senior);
        })
    };
    fires(
        &eval(&aged(d(2007, 2, 21), Labor::Skilled)),
        "labor-age-mismatch",
        Warning,
        &["members[3].labor"],
        &["15岁", "技能劳动力"],
    );
    silent(&eval(&aged(d(2007, 2, 20), Labor::Skilled)), "labor-age-mismatch");
    // Healthy and 16–59 with no labor.
    let ev = eval(&aged(d(2007, 2, 20), Labor::None));
    fires(
        &ev,
        "labor-age-mismatch",
        Warning,
        &["members[3].labor", "members[3].health"],
        &["16岁", "健康", "无劳动力"],
    );
    silent(&eval(&aged(d(2007, 2, 21), Labor::None)), "labor-age-mismatch");
    let ev = eval(&with(|h| h.members[0].labor = Some(Labor::Lost)));
    fires(
        &ev,
        "labor-age-mismatch",
        Warning,
        &["members[0].labor", "members[0].health"],
        &["47岁", "丧失劳动力"],
    );
    // 59 vs 60.
    let old = |birth| {
        with(|h| {
            h.members[0].id_number = id(birth, 11);
            h.members[0].labor = Some(Labor::Lost);
        })
    };
    fires(
        &eval(&old(d(1963, 2, 21))),
        "labor-age-mismatch",
        Warning,
        &["members[0].labor", "members[0].health"],
        &["59岁"],
    );
    silent(&eval(&old(d(1963, 2, 20))), "labor-age-mismatch");
    // Near miss: not healthy.
    silent(
        &eval(&with(|h| {
            h.members[0].labor = Some(Labor::Lost);
            h.members[0].health = vec![Health::Disabled];
        })),
        "labor-age-mismatch",
    );
}

#[test]
fn id_number_elsewhere() {
    let h = complete_household();
    let mut index: HashMap<String, Vec<PersonElsewhere>> = HashMap::new();
    index.insert(
        h.members[2].id_number.clone(),
        vec![PersonElsewhere {
            household_id: uuid(0x77),
            record_id: uuid(0x78),
            label: "额尔和村 张伟户".into(),
        }],
    );
    let ev = eval_with(&h, None, Some(&index));
    fires(
        &ev,
        "id-number-elsewhere",
        Warning,
        &["members[2].id_number"],
        &["第3位成员敖海龙", "额尔和村 张伟户"],
    );
    // Near misses: listed only in this household's own records; no index.
    let mut own: HashMap<String, Vec<PersonElsewhere>> = HashMap::new();
    own.insert(
        h.members[2].id_number.clone(),
        vec![PersonElsewhere {
            household_id: h.household_id,
            record_id: uuid(0x79),
            label: "额尔和村 敖永军户".into(),
        }],
    );
    silent(&eval_with(&h, None, Some(&own)), "id-number-elsewhere");
    silent(&eval(&h), "id-number-elsewhere");
}

#[test]
fn unresolved_over_year() {
    // Identified 2022-02-20, visited 2023-02-20: 12 months.
    let ev = eval(&with(|h| make_monitored(h, d(2022, 2, 20))));
    fires(
        &ev,
        "unresolved-over-year",
        Warning,
        &["monitoring.identified_on", "elimination.eliminated"],
        &["12 个月"],
    );
    // Near miss: 11 months.
    silent(&eval(&with(|h| make_monitored(h, d(2022, 2, 21)))), "unresolved-over-year");
    // Near misses: 兜底户 (低保 or 特困); eliminated; not a monitoring object.
    silent(
        &eval(&with(|h| {
            make_monitored(h, d(2021, 6, 1));
            h.members[1].dibao = Some(true);
        })),
        "unresolved-over-year",
    );
    silent(
        &eval(&with(|h| {
            make_monitored(h, d(2021, 6, 1));
            h.members[0].tekun = Some(true);
        })),
        "unresolved-over-year",
    );
    silent(
        &eval(&with(|h| {
            make_monitored(h, d(2021, 6, 1));
            eliminate(h, EliminationMethod::Assisted);
        })),
        "unresolved-over-year",
    );
    silent(
        &eval(&with(|h| h.monitoring.identified_on = Some(d(2021, 6, 1)))),
        "unresolved-over-year",
    );
}

#[test]
fn development_measures_missing() {
    // Identified 2022-08-20: 6 months; three members can work; only A40 applied.
    let ev = eval(&with(|h| make_monitored(h, d(2022, 8, 20))));
    fires(
        &ev,
        "development-measures-missing",
        Warning,
        &[
            "measures.industry.applied",
            "measures.employment.applied",
            "measures.finance.applied",
            "measures.public_post.applied",
        ],
        &["3 名", "6 个月"],
    );
    // Near miss: 5 months.
    silent(&eval(&with(|h| make_monitored(h, d(2022, 8, 21)))), "development-measures-missing");
    // Near misses: one development measure applied; nobody can work; eliminated.
    for apply in [
        (|h| h.measures.industry.applied = Some(true)) as fn(&mut ruhu::core::record::Household),
        |h| h.measures.employment.applied = Some(true),
        |h| h.measures.finance.applied = Some(true),
        |h| h.measures.public_post.applied = Some(true),
    ] {
        silent(
            &eval(&with(|h| {
                make_monitored(h, d(2022, 2, 1));
                apply(h);
            })),
            "development-measures-missing",
        );
    }
    silent(
        &eval(&with(|h| {
            make_monitored(h, d(2022, 2, 1));
            for m in &mut h.members {
                m.labor = Some(Labor::Lost);
                m.health = vec![Health::Disabled];
            }
        })),
        "development-measures-missing",
    );
    // Weak labor counts as able to work.
    let ev = eval(&with(|h| {
        make_monitored(h, d(2022, 2, 1));
        for m in &mut h.members {
            m.labor = Some(Labor::None);
            m.health = vec![Health::Chronic];
        }
        h.members[0].labor = Some(Labor::Weak);
    }));
    fires(
        &ev,
        "development-measures-missing",
        Warning,
        &[
            "measures.industry.applied",
            "measures.employment.applied",
            "measures.finance.applied",
            "measures.public_post.applied",
        ],
        &["1 名"],
    );
}

#[test]
fn measures_missing() {
    let ev = eval(&with(|h| {
        make_monitored(h, d(2022, 11, 1));
        h.measures.health.applied = Some(false);
    }));
    fires(&ev, "measures-missing", Warning, &["measures"], &["A34–A45"]);
    // A household the people decided to identify.
    let ev = eval(&with(|h| {
        h.judgement.identify = Some(true);
        h.risk.types = vec![RiskType::Illness];
        set_all_measures(h, Some(false));
        h.elimination.eliminated = Some(false);
    }));
    fires(&ev, "measures-missing", Warning, &["measures"], &[]);
    // Near misses: one measure applied; eliminated; neither monitored nor identified.
    silent(&eval(&with(|h| make_monitored(h, d(2022, 11, 1)))), "measures-missing");
    silent(
        &eval(&with(|h| {
            make_monitored(h, d(2022, 2, 1));
            set_all_measures(h, Some(false));
            eliminate(h, EliminationMethod::Natural);
        })),
        "measures-missing",
    );
    silent(&eval(&complete_household()), "measures-missing");
}

#[test]
fn elimination_premature() {
    // Identified 2022-08-21: 5 months; assisted elimination needs 6.
    let ev = eval(&with(|h| {
        make_monitored(h, d(2022, 8, 21));
        eliminate(h, EliminationMethod::Assisted);
    }));
    fires(
        &ev,
        "elimination-premature",
        Warning,
        &["elimination.method", "monitoring.identified_on"],
        &["不少于 6 个月", "只有 5 个月"],
    );
    // Near misses: 6 months; natural elimination has no minimum.
    silent(
        &eval(&with(|h| {
            make_monitored(h, d(2022, 8, 20));
            eliminate(h, EliminationMethod::Assisted);
        })),
        "elimination-premature",
    );
    silent(
        &eval(&with(|h| {
            make_monitored(h, d(2022, 8, 21));
            eliminate(h, EliminationMethod::Natural);
        })),
        "elimination-premature",
    );
}

#[test]
fn elimination_no_labor() {
    let no_labor = |h: &mut ruhu::core::record::Household| {
        make_monitored(h, d(2022, 2, 1));
        eliminate(h, EliminationMethod::Natural);
        for m in &mut h.members {
            m.labor = Some(Labor::None);
            m.health = vec![Health::Chronic];
        }
        h.members[0].labor = Some(Labor::Lost);
        h.members[0].dibao = Some(true);
    };
    fires(
        &eval(&with(no_labor)),
        "elimination-no-labor",
        Warning,
        &["elimination.eliminated"],
        &["无劳动能力", "低保或特困供养"],
    );
    // Near misses: one weak worker; no 低保/特困; not eliminated.
    silent(
        &eval(&with(|h| {
            no_labor(h);
            h.members[2].labor = Some(Labor::Weak);
        })),
        "elimination-no-labor",
    );
    silent(
        &eval(&with(|h| {
            no_labor(h);
            h.members[0].dibao = Some(false);
        })),
        "elimination-no-labor",
    );
    silent(
        &eval(&with(|h| {
            no_labor(h);
            h.elimination.eliminated = Some(false);
        })),
        "elimination-no-labor",
    );
}

#[test]
fn elimination_unmarked() {
    let ev = eval(&with(|h| {
        make_monitored(h, d(2022, 2, 1));
        eliminate(h, EliminationMethod::Natural);
        h.elimination.marked_in_system = Some(false);
    }));
    fires(
        &ev,
        "elimination-unmarked",
        Warning,
        &["elimination.marked_in_system"],
        &["A48", "机账实"],
    );
    silent(
        &eval(&with(|h| {
            make_monitored(h, d(2022, 2, 1));
            eliminate(h, EliminationMethod::Natural);
        })),
        "elimination-unmarked",
    );
}

#[test]
fn elimination_months_mismatch() {
    // Identified 2022-02-20: 12 months at the visit.
    let given = |months| {
        eval(&with(|h| {
            make_monitored(h, d(2022, 2, 20));
            eliminate(h, EliminationMethod::Assisted);
            h.elimination.months = Some(months);
        }))
    };
    fires(
        &given(10),
        "elimination-months-mismatch",
        Warning,
        &["elimination.months", "monitoring.identified_on"],
        &["10 个月", "12 个月"],
    );
    fires(
        &given(14),
        "elimination-months-mismatch",
        Warning,
        &["elimination.months", "monitoring.identified_on"],
        &["14 个月"],
    );
    for near in [11, 12, 13] {
        silent(&given(near), "elimination-months-mismatch");
    }
}

// ---------------------------------------------------------------------------------------
// Info: key groups
// ---------------------------------------------------------------------------------------

/// The key groups of member `i`.
fn groups(h: &ruhu::core::record::Household, i: usize) -> Vec<KeyGroup> {
    let ev = eval(h);
    ev.key_groups
        .iter()
        .find(|g| g.member_id == h.members[i].id)
        .map(|g| g.groups.clone())
        .unwrap_or_default()
}

#[test]
fn key_group() {
    let h = with(|h| h.members[1].health = vec![Health::SeriousIllness, Health::Chronic]);
    let ev = eval(&h);
    fires(
        &ev,
        "key-group",
        Info,
        &["members[1].name"],
        &["第2位成员李桂芝", "45岁", "大病患者、慢性病患者"],
    );
    assert_eq!(groups(&h, 1), [KeyGroup::SeriousIllness, KeyGroup::Chronic]);
    // One finding per member in a group.
    let h = with(|h| {
        h.members[1].health = vec![Health::Chronic];
        h.members[0].tekun = Some(true);
    });
    let ev = eval(&h);
    let found = findings(&ev, "key-group");
    assert_eq!(found.len(), 2);
    assert_eq!(found[0].paths, ["members[0].name"]);
    assert!(found[0].message.contains("分散供养特困人员"));
    assert_eq!(found[1].paths, ["members[1].name"]);
    silent(&eval(&complete_household()), "key-group");
}

#[test]
fn key_group_serious_illness_and_chronic() {
    assert_eq!(
        groups(&with(|h| h.members[0].health = vec![Health::SeriousIllness]), 0),
        [KeyGroup::SeriousIllness]
    );
    assert_eq!(
        groups(&with(|h| h.members[0].health = vec![Health::Chronic]), 0),
        [KeyGroup::Chronic]
    );
    // Near miss: disabled without a certificate of grade 1–2 is not 重度残疾.
    assert_eq!(groups(&with(|h| h.members[0].health = vec![Health::Disabled]), 0), []);
}

#[test]
fn key_group_severe_disability() {
    let cert = |grade: u8| {
        with(|h| {
            let m = &mut h.members[0];
            m.id_type = Some(IdType::DisabilityCert);
            m.id_number = format!("{}4{grade}", m.id_number);
            m.health = vec![Health::Disabled];
        })
    };
    assert_eq!(groups(&cert(1), 0), [KeyGroup::SevereDisability]);
    assert_eq!(groups(&cert(2), 0), [KeyGroup::SevereDisability]);
    fires(&eval(&cert(2)), "key-group", Info, &["members[0].name"], &["重度残疾人"]);
    // Near miss: grade 3 and 4 are not severe.
    assert_eq!(groups(&cert(3), 0), []);
    assert_eq!(groups(&cert(4), 0), []);
    // An invalid certificate says nothing about its grade.
    let h = with(|h| {
        let m = &mut h.members[0];
        m.id_type = Some(IdType::DisabilityCert);
        m.id_number = format!("{}81", m.id_number);
    });
    assert_eq!(groups(&h, 0), []);
}

#[test]
fn key_group_tekun() {
    assert_eq!(groups(&with(|h| h.members[0].tekun = Some(true)), 0), [KeyGroup::Tekun]);
    assert_eq!(groups(&with(|h| h.members[0].dibao = Some(true)), 0), []);
}

#[test]
fn key_group_left_behind_child() {
    let daughter = 3;
    // Both parents (head and spouse) work outside the county.
    let both_away = |h: &mut ruhu::core::record::Household| {
        h.members[0].work_area = Some(WorkArea::OutOfProvince);
        h.members[1].work_area = Some(WorkArea::InProvince);
    };
    let h = with(both_away);
    assert_eq!(groups(&h, daughter), [KeyGroup::LeftBehindChild]);
    fires(
        &eval(&h),
        "key-group",
        Info,
        &["members[3].name"],
        &["第4位成员敖雪", "12岁", "留守儿童"],
    );
    assert_eq!(
        groups(
            &with(|h| {
                h.members[0].work_area = Some(WorkArea::Abroad);
                h.members[1].work_area = Some(WorkArea::Abroad);
            }),
            daughter
        ),
        [KeyGroup::LeftBehindChild]
    );
    // Near miss: one parent works in the county.
    assert_eq!(
        groups(
            &with(|h| {
                both_away(h);
                h.members[1].work_area = Some(WorkArea::InCounty);
            }),
            daughter
        ),
        []
    );
    assert_eq!(
        groups(
            &with(|h| {
                both_away(h);
                h.members[1].work_area = None;
            }),
            daughter
        ),
        []
    );
    // Near miss: 16 is not a child (the son, 22, is not one either).
    let h = with(|h| {
        both_away(h);
        h.members[3].id_number = id(d(2007, 2, 20), 42);
        h.members[3].labor = Some(Labor::Weak);
    });
    assert_eq!(groups(&h, daughter), []);
    let h = with(|h| {
        both_away(h);
        h.members[3].id_number = id(d(2007, 2, 21), 42);
    });
    assert_eq!(groups(&h, daughter), [KeyGroup::LeftBehindChild]);
    assert_eq!(groups(&with(both_away), 2), []);

    // A grandchild: the parents are the head's children and their spouses.
    let with_grandchild = |son_area: Option<WorkArea>, wife_area: Option<WorkArea>| {
        with(|h| {
            h.members[2].work_area = son_area;
            let mut wife =
                member(5, "孟丽", Sex::Female, d(2001, 4, 2), 62, Relation::DaughterInLaw);
            wife.work_area = wife_area;
            let mut baby = member(6, "敖小宝", Sex::Male, d(2020, 5, 5), 71, Relation::Grandson);
            baby.labor = Some(Labor::None);
            baby.education = Some(ruhu::core::record::Education::Preschool);
            baby.pension_insurance = Some(false);
            h.members.push(wife);
            h.members.push(baby);
        })
    };
    let mut h = with_grandchild(Some(WorkArea::OutOfProvince), Some(WorkArea::OutOfProvince));
    // The head's children and their spouses are the grandchild's parents, but a member under
    // 16 is nobody's parent: the head's daughter (12, at home) does not keep the grandson
    // from counting as left behind…
    assert_eq!(groups(&h, 5), [KeyGroup::LeftBehindChild]);
    // …and without her, both parents are away and the grandparents at home do not change that.
    h.members.remove(daughter);
    assert_eq!(groups(&h, 4), [KeyGroup::LeftBehindChild]);
    assert!(h.members[0].work_area.is_none() && h.members[1].work_area.is_none());
    // A parent in the county: not left behind.
    let mut h = with_grandchild(Some(WorkArea::OutOfProvince), Some(WorkArea::InTownship));
    h.members.remove(daughter);
    assert_eq!(groups(&h, 4), []);
    // The son in the county, his wife away: not left behind either.
    let mut h = with_grandchild(Some(WorkArea::InCounty), Some(WorkArea::Abroad));
    h.members.remove(daughter);
    assert_eq!(groups(&h, 4), []);
}

#[test]
fn key_group_disabled_elderly() {
    let elder = |birth, labor| {
        with(|h| {
            let mut grandpa = member(7, "敖德胜", Sex::Male, birth, 13, Relation::Father);
            grandpa.ethnicity = "达斡尔族".into();
            grandpa.labor = Some(labor);
            grandpa.health = vec![Health::Disabled];
            grandpa.education = Some(ruhu::core::record::Education::Illiterate);
            h.members.push(grandpa);
        })
    };
    assert_eq!(groups(&elder(d(1963, 2, 20), Labor::Lost), 4), [KeyGroup::DisabledElderly]);
    fires(
        &eval(&elder(d(1945, 1, 1), Labor::Lost)),
        "key-group",
        Info,
        &["members[4].name"],
        &["78岁", "失能老年人"],
    );
    // Near misses: 59; 60 with no labor (not lost).
    assert_eq!(groups(&elder(d(1963, 2, 21), Labor::Lost), 4), []);
    assert_eq!(groups(&elder(d(1963, 2, 20), Labor::None), 4), []);
}

#[test]
fn key_groups_are_listed_only_for_members_in_a_group() {
    let h = with(|h| {
        h.members[0].health = vec![Health::Chronic];
        h.members[2].tekun = Some(true);
        h.members[2].health = vec![Health::SeriousIllness];
    });
    let ev = eval(&h);
    let listed: Vec<_> = ev.key_groups.iter().map(|g| (g.member_id, g.groups.clone())).collect();
    assert_eq!(
        listed,
        [
            (h.members[0].id, vec![KeyGroup::Chronic]),
            (h.members[2].id, vec![KeyGroup::SeriousIllness, KeyGroup::Tekun])
        ]
    );
    assert!(eval(&complete_household()).key_groups.is_empty());
}

// ---------------------------------------------------------------------------------------
// The Evaluation
// ---------------------------------------------------------------------------------------

/// Income 16,000 net for 4: 4,000 a head, below the line.
fn below_line(h: &mut ruhu::core::record::Household) {
    set_income(h, ["16000", "0", "0", "0", "0", "0"]);
}

#[test]
fn identify_monitored() {
    for c in [Category::MonitoredUnstable, Category::MonitoredMarginal, Category::MonitoredHardship]
    {
        let ev = eval(&with(|h| {
            make_monitored(h, d(2022, 11, 1));
            h.category = Some(c);
            below_line(h);
        }));
        assert!(ev.at_risk);
        assert_eq!((ev.identify, ev.suggested_category), (Identify::Monitored, None), "{c:?}");
    }
    let ev = eval(&with(|h| make_monitored(h, d(2022, 11, 1))));
    assert!(!ev.at_risk);
    assert_eq!(ev.identify, Identify::Monitored);
}

#[test]
fn identify_yes_below_line() {
    for (c, suggested) in [
        (Category::ExitedSupported, Category::MonitoredUnstable),
        (Category::ExitedUnsupported, Category::MonitoredUnstable),
        (Category::General, Category::MonitoredMarginal),
    ] {
        let ev = eval(&with(|h| {
            h.category = Some(c);
            below_line(h);
            // Another risk too: income still decides.
            h.guarantees.dropout = Some(true);
        }));
        assert_eq!((ev.identify, ev.suggested_category), (Identify::Yes, Some(suggested)), "{c:?}");
        assert!(ev.at_risk);
    }
}

#[test]
fn identify_yes_rigid_expense() {
    for c in [Category::General, Category::ExitedSupported] {
        let ev = eval(&with(|h| {
            h.category = Some(c);
            h.income.other_expense = money("30000");
        }));
        assert!(ev.has("rigid-expense"));
        assert_eq!(
            (ev.identify, ev.suggested_category),
            (Identify::Yes, Some(Category::MonitoredHardship)),
            "{c:?}"
        );
    }
}

#[test]
fn identify_review_for_other_risks() {
    type Edit = fn(&mut ruhu::core::record::Household);
    let risks: [(&str, Edit); 5] = [
        ("dropout", |h| h.guarantees.dropout = Some(true)),
        ("uninsured", |h| h.guarantees.all_insured = Some(false)),
        ("unsafe-water", |h| {
            h.guarantees.safe_water = Some(false);
            h.guarantees.water_issues = vec![WaterIssue::Quality];
        }),
        ("unsafe-housing", |h| {
            h.guarantees.dangerous_house = Some(true);
            h.guarantees.house_grade = Some(HouseGrade::D);
        }),
        ("housing-unassessed", |h| {
            h.guarantees.dangerous_house = Some(true);
            h.guarantees.house_grade = Some(HouseGrade::Unassessed);
        }),
    ];
    for (code, edit) in risks {
        let ev = eval(&with(edit));
        assert!(ev.has(code));
        assert!(ev.at_risk, "{code}");
        assert_eq!((ev.identify, ev.suggested_category), (Identify::Review, None), "{code}");
    }
}

#[test]
fn identify_no() {
    // Warnings and info are not risks.
    let ev = eval(&with(|h| {
        set_income(h, ["30000", "0", "0", "0", "0", "0"]);
        h.members[0].health = vec![Health::SeriousIllness];
        h.judgement.reason = "大病已报销，收入稳定".into();
    }));
    assert_codes(&ev, &["income-near-line", "key-group"]);
    assert!(!ev.at_risk);
    assert_eq!((ev.identify, ev.suggested_category), (Identify::No, None));
    assert!(ev.suggested_risk_types.is_empty());
}

#[test]
fn suggested_risk_types() {
    use RiskType::*;
    // Not offered to a household that is neither at risk nor monitored.
    let ev = eval(&with(|h| {
        h.members[0].health = vec![Health::SeriousIllness];
        h.judgement.reason = "已报销".into();
    }));
    assert!(ev.suggested_risk_types.is_empty());

    // Everything at once, main first, each once.
    let ev = eval(&with(|h| {
        below_line(h);
        h.members[0].health = vec![Health::Chronic];
        h.members[1].id_type = Some(IdType::DisabilityCert);
        h.members[1].id_number = format!("{}43", h.members[1].id_number);
        h.guarantees.dropout = Some(true);
        h.income.other_expense_note = "车祸后住院，洪灾冲毁大棚，新冠隔离".into();
    }));
    assert_eq!(
        ev.suggested_risk_types,
        [Illness, Disability, Schooling, Accident, NaturalDisaster, Epidemic]
    );

    // Each source on its own.
    type Edit = fn(&mut ruhu::core::record::Household);
    let cases: [(Edit, &[RiskType]); 12] = [
        (|h| h.members[2].health = vec![Health::SeriousIllness], &[Illness]),
        (|h| h.income.other_expense_note = "看病".into(), &[Illness]),
        (|h| h.income.other_expense_note = "医药费".into(), &[Illness]),
        (|h| h.members[2].health = vec![Health::Disabled], &[Disability]),
        (|h| h.guarantees.dropout = Some(true), &[Schooling]),
        (|h| h.income.other_expense_note = "大学学费".into(), &[Schooling]),
        (|h| h.income.other_expense_note = "意外摔伤".into(), &[Accident]),
        (|h| h.income.other_expense_note = "旱灾减产".into(), &[NaturalDisaster]),
        (|h| h.income.other_expense_note = "冰雹".into(), &[NaturalDisaster]),
        (|h| h.income.other_expense_note = "疫情停工".into(), &[Epidemic]),
        (
            |h| {
                for m in &mut h.members {
                    m.labor = Some(Labor::Weak);
                    m.health = vec![Health::Chronic];
                }
            },
            &[Illness, LaborShortage],
        ),
        (|_| {}, &[]),
    ];
    for (i, (edit, expected)) in cases.into_iter().enumerate() {
        let ev = eval(&with(|h| {
            below_line(h);
            edit(h);
        }));
        assert!(ev.at_risk);
        assert_eq!(ev.suggested_risk_types, expected, "case {i}");
    }

    // Offered to a monitored household even without a risk.
    let ev = eval(&with(|h| {
        make_monitored(h, d(2022, 11, 1));
        h.members[0].health = vec![Health::Chronic];
    }));
    assert!(!ev.at_risk);
    assert_eq!(ev.suggested_risk_types, [Illness]);
}

#[test]
fn can_finalize() {
    assert!(eval(&complete_household()).can_finalize);
    // Risks, warnings and info do not block.
    let ev = eval(&with(|h| {
        below_line(h);
        h.judgement.at_risk = Some(true);
        h.judgement.identify = Some(true);
        make_sections_answered(h);
        h.members[0].health = vec![Health::Chronic];
        h.measures.health.applied = Some(false);
    }));
    assert!(
        ev.has("income-below-line") && ev.has("measures-missing") && ev.has("key-group"),
        "{}",
        show(&ev)
    );
    assert!(ev.of(Error).next().is_none(), "{}", show(&ev));
    assert!(ev.can_finalize);
    // Any error blocks.
    let ev = eval(&with(|h| h.phone = "123".into()));
    assert_codes(&ev, &["phone-invalid"]);
    assert!(!ev.can_finalize);
}

#[test]
fn figures() {
    let ev = eval(&complete_household());
    assert_eq!(ev.household_size, 4);
    assert_eq!(ev.total_income, Some(dec("58000")));
    assert_eq!(ev.net_income, Some(dec("48000")));
    assert_eq!(ev.per_capita_net, Some(dec("12000")));
    assert_eq!(ev.per_capita_after_rigid, Some(dec("12000")));

    // Rounding half-up to 2 decimals: 10.02 / 4 = 2.505 → 2.51; 20,000 / 3 = 6,666.666… → 6,666.67.
    let ev = eval(&with(|h| set_income(h, ["10.02", "0", "0", "0", "0", "0"])));
    assert_eq!(ev.per_capita_net, Some(dec("2.51")));
    let ev = eval(&with(|h| {
        h.members.truncate(3);
        set_income(h, ["20000", "0", "0", "0", "0", "0"]);
    }));
    assert_eq!(ev.per_capita_net, Some(dec("6666.67")));
    // 10.06 / 4 = 2.515 → 2.52 (not to even).
    let ev = eval(&with(|h| set_income(h, ["10.06", "0", "0", "0", "0", "0"])));
    assert_eq!(ev.per_capita_net, Some(dec("2.52")));

    // Net and per capita can be negative; the half rounds away from zero.
    let ev = eval(&with(|h| set_income(h, ["1000", "0", "0", "0", "5000", "0"])));
    assert_eq!(
        (ev.total_income, ev.net_income, ev.per_capita_net),
        (Some(dec("1000")), Some(dec("-4000")), Some(dec("-1000")))
    );
    fires(&ev, "income-below-line", Risk, &["income"], &["-1,000.00 元", "-4,000.00 元"]);
    let ev = eval(&with(|h| set_income(h, ["0", "0", "0", "0", "10.02", "0"])));
    assert_eq!(ev.per_capita_net, Some(dec("-2.51")));
    // After A28.
    let ev = eval(&with(|h| set_income(h, ["12000", "0", "0", "0", "0", "12000.02"])));
    assert_eq!(ev.per_capita_after_rigid, Some(dec("-0.01")));
    // A28 empty reads as 0.
    let ev = eval(&with(|h| h.income.other_expense = None));
    assert_eq!(ev.per_capita_after_rigid, Some(dec("12000")));
    // Unanswered amounts count as 0 in the figures (and answer-missing says so).
    let ev = eval(&with(|h| h.income.wage = None));
    assert_eq!(ev.total_income, Some(dec("40000")));

    // In the JSON: strings with exactly 2 decimals.
    let ev = eval(&with(|h| set_income(h, ["10.02", "0", "0", "0", "20", "0"])));
    let v = serde_json::to_value(&ev).unwrap();
    assert_eq!(v["total_income"], "10.02");
    assert_eq!(v["net_income"], "-9.98");
    assert_eq!(v["per_capita_net"], "-2.50");
    assert_eq!(v["per_capita_after_rigid"], "-2.50");
    let v = serde_json::to_value(eval(&complete_household())).unwrap();
    assert_eq!(v["per_capita_net"], "12000.00");
}

fn is_money_text(v: &Value) -> bool {
    v.as_str().is_some_and(|s| {
        let s = s.strip_prefix('-').unwrap_or(s);
        let (int, frac) = s.split_once('.').unwrap_or(("", ""));
        !int.is_empty()
            && int.bytes().all(|b| b.is_ascii_digit())
            && frac.len() == 2
            && frac.bytes().all(|b| b.is_ascii_digit())
    })
}

fn keys(v: &Value) -> BTreeSet<&str> {
    v.as_object().expect("an object").keys().map(String::as_str).collect()
}

#[test]
fn evaluation_json_shape() {
    let h = complete_household();
    let v = serde_json::to_value(eval(&h)).unwrap();
    let expected: BTreeSet<&str> = [
        "record_id",
        "engine",
        "policy",
        "household_size",
        "total_income",
        "net_income",
        "per_capita_net",
        "per_capita_after_rigid",
        "at_risk",
        "identify",
        "suggested_category",
        "suggested_risk_types",
        "key_groups",
        "findings",
        "can_finalize",
    ]
    .into();
    assert_eq!(keys(&v), expected);
    assert_eq!(v["record_id"], h.id.to_string());
    assert!(uuid::Uuid::parse_str(v["record_id"].as_str().unwrap()).is_ok());
    assert_eq!(v["engine"], "ruhu-rules/1");
    let p = &v["policy"];
    assert_eq!(p["year"], 2023);
    assert_eq!(p["monitoring_line"], "7000");
    for key in [
        "year",
        "monitoring_line",
        "near_line_factor",
        "elimination_min_months",
        "unresolved_flag_months",
    ] {
        assert!(p.get(key).is_some(), "policy.{key}");
    }
    assert!(
        p["near_line_factor"].is_string()
            && p["elimination_min_months"].is_u64()
            && p["unresolved_flag_months"].is_u64()
    );
    assert_eq!(v["household_size"], 4);
    for key in ["total_income", "net_income", "per_capita_net", "per_capita_after_rigid"] {
        assert!(is_money_text(&v[key]), "{key}: {}", v[key]);
    }
    assert_eq!(v["at_risk"], false);
    assert_eq!(v["identify"], "no");
    assert!(v["suggested_category"].is_null());
    assert_eq!(v["suggested_risk_types"], serde_json::json!([]));
    assert_eq!(v["key_groups"], serde_json::json!([]));
    assert_eq!(v["findings"], serde_json::json!([]));
    assert_eq!(v["can_finalize"], true);

    // A household with something in every list.
    let h = with(|h| {
        below_line(h);
        h.members[1].health = vec![Health::Chronic];
    });
    let v = serde_json::to_value(eval(&h)).unwrap();
    assert_eq!(keys(&v), expected);
    assert_eq!(v["at_risk"], true);
    assert_eq!(v["identify"], "yes");
    assert_eq!(v["suggested_category"], "monitored_marginal");
    assert_eq!(v["suggested_risk_types"], serde_json::json!(["illness"]));
    assert_eq!(
        v["key_groups"],
        serde_json::json!([{ "member_id": h.members[1].id.to_string(), "groups": ["chronic"] }])
    );
    for f in v["findings"].as_array().unwrap() {
        assert_eq!(keys(f), ["code", "message", "paths", "severity"].into());
        assert!(is_kebab(f["code"].as_str().unwrap()));
        assert!(["error", "risk", "warning", "info"].contains(&f["severity"].as_str().unwrap()));
        assert!(f["message"].is_string());
        assert!(f["paths"].as_array().unwrap().iter().all(Value::is_string));
    }
    let first = &v["findings"][0];
    assert_eq!(first["code"], "income-below-line");
    assert_eq!(first["severity"], "risk");
    assert_eq!(first["paths"], serde_json::json!(["income"]));
    // The identify codes of rules.md.
    for (i, code) in [
        (Identify::Yes, "yes"),
        (Identify::Review, "review"),
        (Identify::No, "no"),
        (Identify::Monitored, "monitored"),
    ] {
        assert_eq!(serde_json::to_value(i).unwrap(), code);
    }
    // It reads back as the same Evaluation.
    let ev = eval(&h);
    let back: ruhu::core::evaluation::Evaluation =
        serde_json::from_value(serde_json::to_value(&ev).unwrap()).unwrap();
    assert_eq!(back, ev);
}
