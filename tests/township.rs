//! The township office core (issue 5): the sample generator, the latest-visit rule, the
//! figures, the four ledgers, their CSV, the charts and the report draft.
//!
//! The expected figures and ledger sets are computed here with straight loops over the raw
//! records (the engine is only used for key groups and risk findings, which it owns), never
//! with the township code under test.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use chrono::{Datelike, Duration, NaiveDate};
use rust_decimal::{Decimal, RoundingStrategy};
use uuid::Uuid;

use ruhu::core::evaluation::{Identify, KeyGroup, Severity};
use ruhu::core::id_number;
use ruhu::core::money::Money;
use ruhu::core::policy::Policy;
use ruhu::core::record::{Category, Household, IdType, Labor, Relation, RiskType, Status};
use ruhu::core::rules;
use ruhu::core::sample;
use ruhu::core::township::ledgers::{self, Tabular};
use ruhu::core::township::report::{self, ReportEdits, SectionKey};
use ruhu::core::township::{self, csv, Figure, Options};

const SEED: u64 = 20230215;

fn fixture() -> Vec<Household> {
    sample::households(200, 5, SEED)
}

fn options() -> Options {
    Options::new(Policy::shipped(2023), sample::today())
}

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

// ---------------------------------------------------------------------------------------
// Independent helpers (straight loops over the records).

/// Each household's latest record: latest visit date, then revision, updated_at, id.
fn latest(records: &[Household]) -> Vec<&Household> {
    let mut best: HashMap<Uuid, &Household> = HashMap::new();
    for h in records {
        match best.get(&h.household_id) {
            Some(b)
                if (b.visit.date, b.revision, b.updated_at, b.id)
                    >= (h.visit.date, h.revision, h.updated_at, h.id) => {}
            _ => {
                best.insert(h.household_id, h);
            }
        }
    }
    best.into_values().collect()
}

/// The previous visit: the latest record of the household visited before.
fn previous<'a>(records: &'a [Household], h: &Household) -> Option<&'a Household> {
    let mut out: Option<&Household> = None;
    for r in records {
        let earlier = r.household_id == h.household_id
            && r.id != h.id
            && r.visit.date < h.visit.date
            && r.visit.date.is_some();
        if earlier && out.is_none_or(|o| (o.visit.date, o.revision) < (r.visit.date, r.revision)) {
            out = Some(r);
        }
    }
    out
}

fn ids<'a>(hs: impl IntoIterator<Item = &'a Household>) -> BTreeSet<Uuid> {
    hs.into_iter().map(|h| h.household_id).collect()
}

fn set(f: &Figure) -> BTreeSet<Uuid> {
    f.households.iter().copied().collect()
}

fn months(from: NaiveDate, to: NaiveDate) -> i32 {
    let mut m = (to.year() - from.year()) * 12 + to.month() as i32 - from.month() as i32;
    if to.day() < from.day() {
        m -= 1;
    }
    m
}

fn amount(m: &Option<Money>) -> Decimal {
    match m {
        Some(Money::Amount(d)) => *d,
        _ => Decimal::ZERO,
    }
}

fn per_capita(h: &Household) -> Decimal {
    let i = &h.income;
    let net = amount(&i.production) + amount(&i.wage) + amount(&i.property) + amount(&i.transfer)
        - amount(&i.production_cost);
    (net / Decimal::from(h.members.len()))
        .round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero)
}

fn key18(s: &str) -> String {
    s.chars().take(18).collect()
}

fn dibao_cancelled(h: &Household, prev: Option<&Household>) -> usize {
    let Some(p) = prev else { return 0 };
    let mut n = 0;
    for m in &h.members {
        if m.dibao == Some(false) {
            for pm in &p.members {
                if pm.dibao == Some(true) && key18(&pm.id_number) == key18(&m.id_number) {
                    n += 1;
                }
            }
        }
    }
    n
}

fn dibao_lowered(h: &Household, prev: Option<&Household>) -> bool {
    let Some(p) = prev else { return false };
    let before: Vec<String> =
        p.members.iter().filter(|m| m.dibao == Some(true)).map(|m| key18(&m.id_number)).collect();
    let now: Vec<String> =
        h.members.iter().filter(|m| m.dibao == Some(true)).map(|m| key18(&m.id_number)).collect();
    if before.is_empty() || before.iter().any(|k| !now.contains(k)) {
        return false;
    }
    let (was, is) = (amount(&p.income.transfer), amount(&h.income.transfer));
    was > Decimal::ZERO && (was - is) / was >= Decimal::new(2, 1)
}

fn key_groups(h: &Household) -> Vec<Vec<KeyGroup>> {
    rules::evaluate_simple(h, &Policy::shipped(2023), sample::today())
        .key_groups
        .into_iter()
        .map(|g| g.groups)
        .collect()
}

fn bottom(h: &Household) -> bool {
    h.members.iter().any(|m| m.dibao == Some(true) || m.tekun == Some(true))
}

fn over_year(h: &Household) -> bool {
    h.is_monitored()
        && h.elimination.eliminated != Some(true)
        && months(h.monitoring.identified_on.unwrap(), h.visit.date.unwrap()) >= 12
        && !bottom(h)
}

fn no_development(h: &Household) -> bool {
    let ms = &h.measures;
    h.is_monitored()
        && h.elimination.eliminated != Some(true)
        && months(h.monitoring.identified_on.unwrap(), h.visit.date.unwrap()) >= 6
        && h.members
            .iter()
            .any(|m| matches!(m.labor, Some(Labor::Ordinary | Labor::Skilled | Labor::Weak)))
        && ![ms.industry.applied, ms.employment.applied, ms.finance.applied, ms.public_post.applied]
            .contains(&Some(true))
}

fn verification_issue(h: &Household, prev: Option<&Household>) -> bool {
    dibao_cancelled(h, prev) > 0
        || dibao_lowered(h, prev)
        || h.members.iter().any(|m| m.medical_insurance == Some(false))
        || h.guarantees.all_insured == Some(false)
        || h.guarantees.dangerous_house == Some(true)
        || h.guarantees.safe_water == Some(false)
        || h.risk.types.contains(&RiskType::Disaster)
        || h.risk.types.contains(&RiskType::NaturalDisaster)
}

fn in_scope(h: &Household) -> bool {
    matches!(
        h.category,
        Some(
            Category::ExitedSupported
                | Category::ExitedUnsupported
                | Category::MonitoredUnstable
                | Category::MonitoredMarginal
                | Category::MonitoredHardship
        )
    ) || h.judgement.identify == Some(true)
}

// ---------------------------------------------------------------------------------------
// The sample generator.

#[test]
fn sample_is_deterministic_and_reads_back_unchanged() {
    let a = fixture();
    assert_eq!(a, fixture(), "same seed, same records");
    assert_ne!(a, sample::households(200, 5, SEED + 1), "another seed, other records");
    for h in &a {
        let text = serde_json::to_string(h).unwrap();
        let back: Household = serde_json::from_str(&text).unwrap();
        assert_eq!(&back, h, "record {} changed on the round trip", h.id);
        assert_eq!(serde_json::to_string(&back).unwrap(), text);
    }
}

#[test]
fn sample_is_realistic() {
    let records = fixture();
    let latest = latest(&records);
    assert_eq!(latest.len(), 200, "200 households");
    assert!(records.len() > 200, "with earlier visits and older revisions");
    let villages: BTreeSet<&str> = latest.iter().map(|h| h.address.village.as_str()).collect();
    assert_eq!(villages.len(), 5, "{villages:?}");
    assert!(villages.iter().all(|v| sample::VILLAGES.contains(v)));

    let mut ethnicities = BTreeSet::new();
    let mut categories = BTreeSet::new();
    let (mut certs, mut away, mut eliminated, mut disaster, mut water, mut housing, mut reasons) =
        (0, 0, 0, 0, 0, 0, 0);
    let mut seen_ids = BTreeSet::new();
    for h in &latest {
        let visit = h.visit.date.unwrap();
        assert!(visit >= d(2023, 2, 16) && visit <= d(2023, 3, 20), "{visit}");
        assert!((2..=7).contains(&h.members.len()), "{} members", h.members.len());
        assert_eq!(h.members.iter().filter(|m| m.relation == Some(Relation::Head)).count(), 1);
        for m in &h.members {
            let info = id_number::parse(m.id_type.unwrap(), &m.id_number, Some(visit))
                .unwrap_or_else(|e| panic!("{}: {e}", m.id_number));
            assert_eq!(Some(info.sex), m.sex, "sex from the ID");
            assert!(
                seen_ids.insert(key18(&m.id_number)),
                "one person, one household: {}",
                m.id_number
            );
            assert!(!m.name.is_empty() && !m.name.contains(','));
            ethnicities.insert(m.ethnicity.clone());
            certs += (m.id_type == Some(IdType::DisabilityCert)) as usize;
            away += m.work_area.is_some_and(|w| w.outside_county()) as usize;
        }
        categories.insert(h.category.unwrap());
        if h.is_monitored() {
            assert!(h.monitoring.identified_on.unwrap() < visit);
            assert!(!h.risk.types.is_empty());
        }
        eliminated += (h.elimination.eliminated == Some(true)) as usize;
        disaster += h.risk.types.contains(&RiskType::NaturalDisaster) as usize;
        water += (h.guarantees.safe_water == Some(false)) as usize;
        housing += (h.guarantees.dangerous_house == Some(true)) as usize;
        reasons += !h.judgement.reason.is_empty() as usize;
        // `final` exactly when the engine has no error.
        let ev = rules::evaluate_simple(h, &Policy::shipped(2023), visit);
        assert_eq!(
            h.status == Status::Final,
            ev.can_finalize,
            "{:?}",
            ev.of(Severity::Error).collect::<Vec<_>>()
        );
    }
    for e in ["达斡尔族", "汉族", "蒙古族", "鄂温克族"] {
        assert!(ethnicities.contains(e), "{e}");
    }
    assert_eq!(categories.len(), 6, "every category: {categories:?}");
    for (what, n) in [
        ("残疾人证", certs),
        ("外出务工", away),
        ("风险消除", eliminated),
        ("自然灾害", disaster),
        ("饮水", water),
        ("危房", housing),
        ("原因", reasons),
    ] {
        assert!(n > 0, "no {what}");
    }
    // Incomes around the line: some below, some in the band, most above.
    let pcs: Vec<Decimal> = latest.iter().map(|h| per_capita(h)).collect();
    let line = Decimal::from(7000);
    assert!(
        pcs.iter().any(|p| *p < line) && pcs.iter().any(|p| *p >= line && *p < Decimal::from(8400))
    );
    assert!(pcs.iter().filter(|p| **p >= line).count() > 150);
    // Follow-up visits: earlier dates, same household, 低保 taken away from some.
    let revisited: Vec<&&Household> =
        latest.iter().filter(|h| previous(&records, h).is_some()).collect();
    assert!(revisited.len() >= 10, "{}", revisited.len());
    assert!(revisited
        .iter()
        .all(|h| previous(&records, h).unwrap().visit.date.unwrap().year() == 2022));
    assert!(revisited.iter().any(|h| dibao_cancelled(h, previous(&records, h)) > 0));
    assert!(revisited.iter().all(|h| h.previous_id == previous(&records, h).map(|p| p.id)));
    // Key groups of every kind appear.
    let groups: BTreeSet<KeyGroup> = latest.iter().flat_map(|h| key_groups(h)).flatten().collect();
    for g in [
        KeyGroup::SeriousIllness,
        KeyGroup::Chronic,
        KeyGroup::LeftBehindChild,
        KeyGroup::DisabledElderly,
    ] {
        assert!(groups.contains(&g), "{g:?}");
    }
    // Earlier visits and older revisions are valid records too.
    for h in &records {
        let v = h.visit.date.unwrap();
        for m in &h.members {
            assert!(
                id_number::parse(m.id_type.unwrap(), &m.id_number, Some(v)).is_ok(),
                "{} on {v}",
                m.id_number
            );
        }
        assert!(h.revision >= 1);
    }
}

#[test]
fn sample_scales_to_any_size() {
    assert!(sample::households(0, 5, 1).is_empty());
    let one = sample::households(1, 1, 1);
    assert_eq!(latest(&one).len(), 1);
    let many = sample::households(300, 14, 3);
    let names: BTreeSet<String> = latest(&many).iter().map(|h| h.address.village.clone()).collect();
    assert!(names.contains("第13村") || names.contains("第14村"), "{names:?}");
}

// ---------------------------------------------------------------------------------------
// Which record counts.

#[test]
fn latest_visit_counts_and_earlier_is_previous() {
    let records = fixture();
    let sel = township::select(&records, &options());
    assert_eq!(sel.entries.len(), 200);
    assert_eq!(sel.records_read, records.len());
    let expected: HashMap<Uuid, Uuid> =
        latest(&records).iter().map(|h| (h.household_id, h.id)).collect();
    for e in &sel.entries {
        assert_eq!(expected[&e.household_id()], e.record.id);
        // An older revision of the same record is never the previous visit.
        assert_eq!(e.previous.map(|p| p.id), previous(&records, e.record).map(|p| p.id));
        if let Some(p) = e.previous {
            assert_ne!(p.id, e.record.id);
        }
    }
    // The fixture has older revisions after the latest ones: the higher revision won.
    let stale: Vec<&Household> =
        records.iter().filter(|h| expected[&h.household_id] == h.id).collect();
    assert!(stale.len() > 200, "some records exist in two revisions");
    for h in stale {
        assert!(sel.entry(h.household_id).unwrap().record.revision >= h.revision);
    }
}

#[test]
fn latest_visit_rule_in_detail() {
    let base = fixture()[0].clone();
    let mk = |id: u128, date: NaiveDate, revision: u64| {
        let mut h = base.clone();
        h.id = Uuid::from_u128(id);
        h.visit.date = Some(date);
        h.revision = revision;
        h.previous_id = None;
        h
    };
    let mut a = mk(1, d(2022, 6, 1), 5);
    a.phone = "13900000001".into();
    let b = mk(2, d(2022, 11, 1), 1);
    let c1 = mk(3, d(2023, 2, 20), 1);
    let mut c2 = mk(3, d(2023, 2, 20), 2);
    c2.phone = "13900000003".into();
    // Latest date wins over higher revision; higher revision wins on the same record.
    for order in [vec![&c2, &a, &b, &c1], vec![&c1, &b, &a, &c2], vec![&a, &c2, &c1, &b]] {
        let records: Vec<Household> = order.into_iter().cloned().collect();
        let sel = township::select(&records, &options());
        assert_eq!(sel.entries.len(), 1);
        let e = &sel.entries[0];
        assert_eq!((e.record.id, e.record.revision), (c2.id, 2));
        assert_eq!(e.previous.map(|p| p.id), Some(b.id), "the latest earlier visit");
        assert_eq!(e.visits, 3);
    }
    // previous_id names the previous visit when it is earlier.
    let mut c3 = c2.clone();
    c3.revision = 3;
    c3.previous_id = Some(a.id);
    let records = vec![a.clone(), b.clone(), c3.clone()];
    let sel = township::select(&records, &options());
    assert_eq!(sel.entries[0].previous.map(|p| p.id), Some(a.id));
    // A window: only visits inside count; the previous visit may be outside.
    let opts = options().window(d(2022, 7, 1), d(2022, 12, 31));
    let sel = township::select(&records, &opts);
    assert_eq!(sel.entries[0].record.id, b.id);
    assert_eq!(sel.entries[0].previous.map(|p| p.id), Some(a.id));
    let opts = options().window(d(2023, 4, 1), d(2023, 6, 30));
    assert!(township::select(&records, &opts).entries.is_empty());
}

// ---------------------------------------------------------------------------------------
// The figures.

#[test]
fn summary_figures_match_independent_counts() {
    let records = fixture();
    let summary = township::summarize(&township::select(&records, &options()));
    let latest = latest(&records);
    let policy = Policy::shipped(2023);
    let villages: BTreeSet<String> = latest.iter().map(|h| h.address.village.clone()).collect();
    assert_eq!(summary.villages.iter().map(|t| t.name.clone()).collect::<BTreeSet<_>>(), villages);
    assert_eq!(summary.township_name, "额尔和乡");

    // Each tally against the records of its village (and the township against all).
    let mut units: Vec<(&township::Tally, Vec<&Household>)> = summary
        .villages
        .iter()
        .map(|t| (t, latest.iter().copied().filter(|h| h.address.village == t.name).collect()))
        .collect();
    units.push((&summary.township, latest.clone()));
    for (t, hs) in units {
        let name = &t.name;
        assert_eq!(t.households.count, hs.len(), "{name}");
        assert_eq!(set(&t.households), ids(hs.iter().copied()));
        assert_eq!(
            t.people.count,
            hs.iter().map(|h| h.members.len()).sum::<usize>(),
            "{name} people"
        );
        for c in Category::ALL {
            let want = ids(hs.iter().copied().filter(|h| h.category == Some(*c)));
            assert_eq!(set(t.category(Some(*c))), want, "{name} {c:?}");
            assert_eq!(t.category(Some(*c)).count, want.len());
        }
        let monitored: Vec<&Household> = hs
            .iter()
            .copied()
            .filter(|h| h.category.is_some_and(|c| c.code().starts_with("monitored")))
            .collect();
        assert_eq!(set(&t.monitored), ids(monitored.iter().copied()), "{name} monitored");
        assert_eq!(
            t.monitored_people.count,
            monitored.iter().map(|h| h.members.len()).sum::<usize>()
        );
        let elim =
            ids(monitored.iter().copied().filter(|h| h.elimination.eliminated == Some(true)));
        assert_eq!(set(&t.eliminated), elim, "{name} eliminated");
        assert_eq!(t.eliminated_assisted.count + t.eliminated_natural.count, elim.len());

        // Engine-owned facts: key groups, risk findings, the identification suggestion.
        let mut by_group: BTreeMap<KeyGroup, usize> = BTreeMap::new();
        let mut by_risk: BTreeMap<String, BTreeSet<Uuid>> = BTreeMap::new();
        let mut suggested = BTreeSet::new();
        let mut members_in_groups = 0;
        for h in &hs {
            let ev = rules::evaluate_simple(h, &policy, sample::today());
            for g in &ev.key_groups {
                members_in_groups += 1;
                for k in &g.groups {
                    *by_group.entry(*k).or_default() += 1;
                }
            }
            for f in ev.of(Severity::Risk) {
                by_risk.entry(f.code.to_string()).or_default().insert(h.household_id);
            }
            if ev.identify == Identify::Yes {
                suggested.insert(h.household_id);
            }
        }
        for g in KeyGroup::ALL {
            assert_eq!(
                t.key_group(*g).count,
                by_group.get(g).copied().unwrap_or(0),
                "{name} {g:?}"
            );
        }
        assert_eq!(t.key_group_people.count, members_in_groups);
        for l in &t.risks {
            assert_eq!(
                set(&l.figure),
                by_risk.get(&l.code).cloned().unwrap_or_default(),
                "{name} {}",
                l.code
            );
        }
        assert_eq!(
            by_risk.keys().filter(|k| !t.risks.iter().any(|l| &&l.code == k)).count(),
            0,
            "every risk code has a slot"
        );
        assert_eq!(set(&t.identify_suggested), suggested, "{name} suggested");
        let decided = ids(hs
            .iter()
            .copied()
            .filter(|h| !h.is_monitored() && h.judgement.identify == Some(true)));
        assert_eq!(set(&t.identify_decided), decided);

        // Straight from the fields.
        let line = policy.monitoring_line;
        assert_eq!(
            set(&t.below_line),
            ids(hs.iter().copied().filter(|h| per_capita(h) < line)),
            "{name} below"
        );
        assert_eq!(
            set(&t.near_line),
            ids(hs
                .iter()
                .copied()
                .filter(|h| per_capita(h) >= line && per_capita(h) < Decimal::from(8400)))
        );
        assert_eq!(
            set(&t.unresolved_over_year),
            ids(hs.iter().copied().filter(|h| over_year(h))),
            "{name} over a year"
        );
        assert_eq!(
            set(&t.development_missing),
            ids(hs.iter().copied().filter(|h| no_development(h)))
        );
        assert_eq!(
            t.uninsured_people.count,
            hs.iter()
                .flat_map(|h| &h.members)
                .filter(|m| m.medical_insurance == Some(false))
                .count()
        );
        assert_eq!(
            set(&t.water),
            ids(hs.iter().copied().filter(|h| h.guarantees.safe_water == Some(false)))
        );
        assert_eq!(
            set(&t.housing),
            ids(hs.iter().copied().filter(|h| h.guarantees.dangerous_house == Some(true)))
        );
        let in_scope_cancelled: usize = hs
            .iter()
            .filter(|h| in_scope(h))
            .map(|h| dibao_cancelled(h, previous(&records, h)))
            .sum();
        assert_eq!(t.dibao_cancelled.count, in_scope_cancelled, "{name} 低保");
        assert_eq!(
            set(&t.revisited),
            ids(hs.iter().copied().filter(|h| previous(&records, h).is_some()))
        );
    }
    // Non-trivial fixture: the interesting figures are not all zero.
    let t = &summary.township;
    for (what, f) in [
        ("monitored", &t.monitored),
        ("eliminated", &t.eliminated),
        ("suggested", &t.identify_suggested),
        ("over a year", &t.unresolved_over_year),
        ("below line", &t.below_line),
        ("低保 cancelled", &t.dibao_cancelled),
        ("verification", &t.verification),
    ] {
        assert!(f.count > 0, "{what} is 0");
    }
    // The sum of the villages is the township.
    assert_eq!(
        summary.villages.iter().map(|v| v.households.count).sum::<usize>(),
        t.households.count
    );
    assert_eq!(
        summary.villages.iter().map(|v| v.key_group_people.count).sum::<usize>(),
        t.key_group_people.count
    );
    // Tapping a figure lists its households.
    let lines = summary.lines(&t.monitored);
    assert_eq!(lines.len(), t.monitored.count);
    assert!(lines.iter().all(|l| l.category.is_some_and(|c| c.is_monitored())));
    assert!(lines.iter().all(|l| !l.head.is_empty() && !l.village.is_empty()));
}

// ---------------------------------------------------------------------------------------
// The ledgers.

#[test]
fn each_ledger_holds_exactly_its_households() {
    let records = fixture();
    let sel = township::select(&records, &options());
    let latest = latest(&records);
    let row_set = |v: Vec<Uuid>| -> BTreeSet<Uuid> {
        let n = v.len();
        let s: BTreeSet<Uuid> = v.into_iter().collect();
        assert_eq!(s.len(), n, "one row per household");
        s
    };

    // (a) key-group members, not identified.
    let a = ledgers::special_archive(&sel);
    let want_a = ids(latest.iter().copied().filter(|h| {
        !h.is_monitored() && !key_groups(h).is_empty() && h.judgement.identify != Some(true)
    }));
    assert!(!want_a.is_empty());
    assert_eq!(row_set(a.household_ids()), want_a);
    for r in &a.rows {
        let h = latest.iter().find(|h| h.household_id == r.base.household_id).unwrap();
        assert_eq!(r.reason, h.judgement.reason);
        assert_eq!(r.key_members.len(), key_groups(h).len());
    }
    assert!(a.rows.iter().any(|r| !r.reason.is_empty()));

    // (b) the notice's scope and every issue kind.
    let b = ledgers::verification(&sel);
    let want_b = ids(latest
        .iter()
        .copied()
        .filter(|h| in_scope(h) && verification_issue(h, previous(&records, h))));
    assert_eq!(row_set(b.household_ids()), want_b);
    let mut all = options();
    all.verification_all_households = true;
    let b_all = ledgers::verification(&township::select(&records, &all));
    let want_all =
        ids(latest.iter().copied().filter(|h| verification_issue(h, previous(&records, h))));
    assert_eq!(row_set(b_all.household_ids()), want_all);
    assert!(want_all.len() > want_b.len());
    for r in &b.rows {
        let h = latest.iter().find(|h| h.household_id == r.base.household_id).unwrap();
        assert_eq!(r.dibao_cancelled.len(), dibao_cancelled(h, previous(&records, h)));
        assert_eq!(
            r.uninsured.len(),
            h.members.iter().filter(|m| m.medical_insurance == Some(false)).count()
        );
    }
    for issue in [
        ledgers::Issue::DibaoCancelled,
        ledgers::Issue::Uninsured,
        ledgers::Issue::Housing,
        ledgers::Issue::Water,
        ledgers::Issue::Disaster,
    ] {
        assert!(b_all.rows.iter().any(|r| r.issues.contains(&issue)), "{issue:?}");
    }

    // (c) a year or more unresolved (兜底 excepted), or labour without development measures.
    let c = ledgers::unresolved(&sel);
    let want_c = ids(latest.iter().copied().filter(|h| over_year(h) || no_development(h)));
    assert!(!want_c.is_empty());
    assert_eq!(row_set(c.household_ids()), want_c);
    for r in &c.rows {
        let h = latest.iter().find(|h| h.household_id == r.base.household_id).unwrap();
        assert_eq!((r.over_year, r.no_development), (over_year(h), no_development(h)));
    }

    // (d) every monitoring object.
    let m = ledgers::monitoring(&sel);
    assert_eq!(
        row_set(m.household_ids()),
        ids(latest.iter().copied().filter(|h| h.is_monitored()))
    );
    for r in &m.rows {
        let h = latest.iter().find(|h| h.household_id == r.base.household_id).unwrap();
        assert_eq!(r.risk_types, h.risk.types);
        let applied = h.measures.applied().iter().filter(|a| **a == Some(true)).count();
        assert_eq!(r.measures.len(), applied);
    }

    // Rows in village order, and the ledgers agree with the summary's figures.
    let summary = township::summarize(&sel);
    let order: Vec<&str> = sel.villages.iter().map(String::as_str).collect();
    let pos: Vec<usize> =
        m.rows.iter().map(|r| order.iter().position(|v| *v == r.base.village).unwrap()).collect();
    assert!(pos.windows(2).all(|w| w[0] <= w[1]), "{pos:?}");
    assert_eq!(set(&summary.township.special_archive), want_a);
    assert_eq!(set(&summary.township.verification), want_b);
    assert_eq!(set(&summary.township.unresolved_ledger), want_c);
}

#[test]
fn a_lowered_dibao_is_flagged_as_a_hint() {
    let records = fixture();
    let sel = township::select(&records, &options());
    let e = sel.entries.iter().find(|e| e.previous.is_some() && in_scope(e.record)).unwrap();
    let hid = e.household_id();
    let mut records = records.clone();
    // Put the same member on 低保 in both visits and halve A24.
    let (latest_id, prev_id) = (e.record.id, e.previous.unwrap().id);
    let person = key18(&e.record.members[0].id_number);
    for h in records.iter_mut().filter(|h| h.household_id == hid) {
        for m in &mut h.members {
            m.dibao = Some(key18(&m.id_number) == person);
        }
        if h.id == prev_id {
            h.income.transfer = Some(Money::Amount(Decimal::from(6000)));
        }
        if h.id == latest_id {
            h.income.transfer = Some(Money::Amount(Decimal::from(4700)));
        }
    }
    let sel = township::select(&records, &options());
    let b = ledgers::verification(&sel);
    let row = b.rows.iter().find(|r| r.base.household_id == hid).expect("in ledger (b)");
    assert!(row.issues.contains(&ledgers::Issue::DibaoLowered));
    assert_eq!(row.dibao_lowered, Some((Decimal::from(6000), Decimal::from(4700))));
    assert!(row.dibao_cancelled.is_empty());
    // A 19 % drop is not enough.
    for h in records.iter_mut().filter(|h| h.id == latest_id) {
        h.income.transfer = Some(Money::Amount(Decimal::from(4860)));
    }
    let sel = township::select(&records, &options());
    assert!(ledgers::verification(&sel)
        .rows
        .iter()
        .all(|r| !r.issues.contains(&ledgers::Issue::DibaoLowered) || r.base.household_id != hid));
}

// ---------------------------------------------------------------------------------------
// CSV.

/// A small RFC 4180 reader: rows of fields, CRLF line ends.
fn parse_csv(text: &str) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    let mut row = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if quoted {
            match c {
                '"' if chars.peek() == Some(&'"') => {
                    chars.next();
                    field.push('"');
                }
                '"' => quoted = false,
                c => field.push(c),
            }
        } else {
            match c {
                '"' => quoted = true,
                ',' => row.push(std::mem::take(&mut field)),
                '\r' => {
                    assert_eq!(chars.next(), Some('\n'), "CR only as part of CRLF");
                    row.push(std::mem::take(&mut field));
                    rows.push(std::mem::take(&mut row));
                }
                '\n' => panic!("bare LF outside quotes"),
                c => field.push(c),
            }
        }
    }
    assert!(field.is_empty() && row.is_empty(), "the file ends with CRLF");
    rows
}

#[test]
fn csv_bytes_have_bom_header_and_one_row_per_household() {
    let mut records = fixture();
    // A head whose name has a comma and a quote; a reason with a line break.
    let sel = township::select(&records, &options());
    let target = ledgers::monitoring(&sel).rows[0].base.record_id;
    let archive_target = ledgers::special_archive(&sel).rows[0].base.record_id;
    for h in records.iter_mut() {
        if h.id == target {
            let head = h.members.iter_mut().find(|m| m.relation == Some(Relation::Head)).unwrap();
            head.name = "Anna, \"安娜\"".into();
        }
        if h.id == archive_target {
            h.judgement.reason = "第一行\n第二行，含逗号".into();
        }
    }
    let view = township::view(&records, &options());

    let check =
        |bytes: Vec<u8>, table: &dyn Fn() -> (Vec<&'static str>, usize)| -> Vec<Vec<String>> {
            assert_eq!(&bytes[..3], b"\xEF\xBB\xBF", "UTF-8 BOM");
            let text = std::str::from_utf8(&bytes[3..]).expect("UTF-8");
            assert!(text.ends_with("\r\n"));
            let rows = parse_csv(text);
            let (columns, n) = table();
            assert_eq!(
                rows[0],
                columns.iter().map(|c| c.to_string()).collect::<Vec<_>>(),
                "header row"
            );
            assert_eq!(rows.len(), n + 1, "header + one row per household");
            assert!(rows.iter().all(|r| r.len() == columns.len()), "every row has every column");
            for (i, r) in rows.iter().enumerate().skip(1) {
                assert_eq!(r[0], i.to_string(), "序号");
                assert!(
                    r[4].starts_with("=\"150722") && r[4].ends_with('"') && r[4].len() == 21,
                    "ID as Excel text: {}",
                    r[4]
                );
            }
            rows
        };

    let dcsv = csv::to_csv(&view.monitoring);
    let rows = check(dcsv.clone(), &|| (view.monitoring.columns(), view.monitoring.rows.len()));
    let header = "序号,村,村民小组,户主,身份证号,人口,户属性,识别时间,监测时长（月）,风险类型,自然灾害类型,帮扶措施,风险是否消除,消除方式,系统标注消除,家庭人均纯收入（元）,排查人,走访日期\r\n";
    assert!(dcsv[3..].starts_with(header.as_bytes()));
    let anna =
        rows.iter().find(|r| r[3].starts_with("Anna")).expect("the row of the head with a comma");
    assert_eq!(anna[3], "Anna, \"安娜\"");
    let raw = String::from_utf8(dcsv).unwrap();
    assert!(raw.contains(",\"Anna, \"\"安娜\"\"\","), "quoted, quotes doubled");

    let a = check(csv::to_csv(&view.special_archive), &|| {
        (view.special_archive.columns(), view.special_archive.rows.len())
    });
    assert!(
        a.iter().any(|r| r.contains(&"第一行\n第二行，含逗号".to_string())),
        "a line break survives inside quotes"
    );
    assert_eq!(
        a[0][7..16],
        [
            "重点人群成员",
            "重点人群类别",
            "家庭人均纯收入（元）",
            "是否存在致贫返贫风险",
            "系统研判",
            "研判结果",
            "未纳入原因",
            "风险研判人",
            "佐证材料"
        ]
    );
    assert!(a[1..].iter().all(|r| r[15] == "无"), "the sample has no evidence");
    let b = check(csv::to_csv(&view.verification), &|| {
        (view.verification.columns(), view.verification.rows.len())
    });
    assert_eq!(b[0][..7], ["序号", "村", "村民小组", "户主", "身份证号", "人口", "户属性"]);
    assert_eq!(b[0][b[0].len() - 2..], ["排查人", "走访日期"]);
    check(csv::to_csv(&view.unresolved), &|| {
        (view.unresolved.columns(), view.unresolved.rows.len())
    });

    // The plain variant for other programs: no BOM, the ID as digits.
    let plain =
        csv::to_csv_with(&view.monitoring, csv::CsvOptions { bom: false, excel_text: false });
    let rows = parse_csv(std::str::from_utf8(&plain).unwrap());
    assert!(rows[1][4].len() == 18 && rows[1][4].starts_with("150722"));
    // Each row's ID is the head's.
    for (row, r) in rows.iter().skip(1).zip(&view.monitoring.rows) {
        assert_eq!(row[4], r.base.head_id_number);
        assert_eq!(row[1], r.base.village);
    }
    assert_eq!(
        view.monitoring.file_name("额尔和乡", d(2023, 3, 25)),
        "额尔和乡_监测对象台账_2023-03-25.csv"
    );
}

// ---------------------------------------------------------------------------------------
// SVG.

/// Checks that `s` is well-formed XML: balanced tags, quoted attributes, only the five
/// predefined entities (or numeric ones), no raw `<` or `&` in text. Returns the element
/// names in document order.
fn well_formed(s: &str) -> Vec<String> {
    let mut stack: Vec<String> = Vec::new();
    let mut names = Vec::new();
    let b = s.as_bytes();
    let mut i = 0;
    let check_text = |t: &str| {
        let mut rest = t;
        while let Some(p) = rest.find('&') {
            let after = &rest[p + 1..];
            let end = after.find(';').unwrap_or_else(|| panic!("unterminated entity in {t:?}"));
            let name = &after[..end];
            assert!(
                ["amp", "lt", "gt", "quot", "apos"].contains(&name) || name.starts_with('#'),
                "unknown entity &{name};"
            );
            rest = &after[end + 1..];
        }
        assert!(!t.contains('<'));
    };
    while i < b.len() {
        if b[i] == b'<' {
            let end = s[i..].find('>').map(|e| i + e).expect("unclosed tag");
            let tag = &s[i + 1..end];
            if let Some(name) = tag.strip_prefix('/') {
                let open =
                    stack.pop().unwrap_or_else(|| panic!("closing </{name}> without opening"));
                assert_eq!(open, name.trim(), "mismatched tags");
            } else {
                let self_closing = tag.ends_with('/');
                let tag = tag.trim_end_matches('/');
                let name: String = tag.chars().take_while(|c| !c.is_whitespace()).collect();
                assert!(
                    !name.is_empty()
                        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == ':'),
                    "bad name {name:?}"
                );
                // Attributes: name="value" pairs, values without < or a raw quote.
                let mut rest = tag[name.len()..].trim_start();
                let mut attrs = BTreeSet::new();
                while !rest.is_empty() {
                    let eq = rest.find('=').expect("attribute without value");
                    let an = rest[..eq].trim();
                    assert!(attrs.insert(an.to_string()), "duplicate attribute {an} in <{name}>");
                    let v = &rest[eq + 1..];
                    assert!(v.starts_with('"'), "unquoted attribute {an}");
                    let close = v[1..].find('"').expect("unterminated attribute value") + 1;
                    check_text(&v[1..close]);
                    rest = v[close + 1..].trim_start();
                }
                names.push(name.clone());
                if !self_closing {
                    stack.push(name);
                }
            }
            i = end + 1;
        } else {
            let end = s[i..].find('<').map(|e| i + e).unwrap_or(b.len());
            check_text(&s[i..end]);
            assert!(!stack.is_empty() || s[i..end].trim().is_empty(), "text outside the root");
            i = end;
        }
    }
    assert!(stack.is_empty(), "unclosed: {stack:?}");
    names
}

/// Every `<text>` of a chart as a box in viewBox units: (left, right, top, bottom, text). The
/// width is estimated for the widest font a phone may use (1 em per Chinese character or
/// full-width sign, 0.6 em per ASCII character), so the test holds whatever font renders it.
fn chart_texts(svg: &str) -> Vec<(f64, f64, f64, f64, String)> {
    let root_size: f64 =
        attr(&svg[..svg.find('>').unwrap()], "font-size").unwrap().parse().unwrap();
    let mut out = Vec::new();
    let mut rest = svg;
    while let Some(at) = rest.find("<text ") {
        let open_end = at + rest[at..].find('>').unwrap();
        let tag = &rest[at..open_end];
        let close = open_end + rest[open_end..].find("</text>").unwrap();
        let text = rest[open_end + 1..close]
            .replace("&amp;", "&")
            .replace("&lt;", "<")
            .replace("&gt;", ">");
        let num = |name: &str| attr(tag, name).map(|v| v.parse::<f64>().unwrap());
        let (x, y, size) =
            (num("x").unwrap(), num("y").unwrap(), num("font-size").unwrap_or(root_size));
        let width: f64 =
            text.chars().map(|c| if c.is_ascii() { 0.6 } else { 1.0 }).sum::<f64>() * size;
        let left = match attr(tag, "text-anchor").as_deref() {
            Some("end") => x - width,
            Some("middle") => x - width / 2.0,
            _ => x,
        };
        out.push((left, left + width, y - 0.9 * size, y + 0.15 * size, text));
        rest = &rest[close..];
    }
    out
}

fn attr(tag: &str, name: &str) -> Option<String> {
    let key = format!(" {name}=\"");
    let at = tag.find(&key)? + key.len();
    Some(tag[at..at + tag[at..].find('"')?].to_string())
}

/// The charts' text is at least 14 units (12.6 CSS px in the 324 px frame of a 360 px phone)
/// and still fits: inside the viewBox, no two texts on top of each other — with a six-character
/// village name, a record without a category (a seventh legend item), an unconfirmed line (its
/// own line of text) and incomes far above the line (a long axis whose labels are thinned).
#[test]
fn chart_text_is_phone_sized_and_fits() {
    let mut records = fixture();
    let first = records[0].household_id;
    for h in records.iter_mut().filter(|h| h.household_id == first) {
        h.address.village = "乌兰托格嘎查".into();
        h.category = None;
    }
    let rich: BTreeSet<Uuid> = records.iter().map(|h| h.household_id).step_by(8).collect();
    for h in records.iter_mut().filter(|h| rich.contains(&h.household_id)) {
        h.income.wage = Some(Money::parse("900000"));
    }
    let mut confirmed = options();
    confirmed.policy.confirmed = true;
    for opts in [options(), confirmed] {
        let view = township::view(&records, &opts);
        let ticks = view.income_svg.matches("stroke=\"#999\"").count();
        assert!(ticks >= 10, "a long axis: {ticks} ticks");
        for svg in [&view.bars_svg, &view.income_svg] {
            let vb: Vec<f64> =
                attr(svg, "viewBox").unwrap().split(' ').map(|v| v.parse().unwrap()).collect();
            let texts = chart_texts(svg);
            assert!(texts.len() >= 10);
            assert!(svg.contains("乌兰托格嘎查"));
            for t in &texts {
                assert!(
                    t.0 >= 0.0 && t.1 <= vb[2] && t.2 >= 0.0 && t.3 <= vb[3],
                    "{t:?} outside the viewBox {vb:?}"
                );
            }
            for (i, a) in texts.iter().enumerate() {
                for b in &texts[i + 1..] {
                    let apart = a.1 <= b.0 || b.1 <= a.0 || a.3 <= b.2 || b.3 <= a.2;
                    assert!(apart, "{a:?} overlaps {b:?}");
                }
            }
            let sizes: Vec<&str> = svg
                .match_indices("font-size=\"")
                .map(|(i, _)| &svg[i + 11..i + 11 + svg[i + 11..].find('"').unwrap()])
                .collect();
            assert!(sizes.iter().all(|s| s.parse::<f64>().unwrap() >= 14.0), "{sizes:?}");
        }
        assert!(view.bars_svg.contains(">未填写</text>"));
        assert_eq!(view.income_svg.contains("（监测标准未经核对）"), !opts.policy.confirmed);
    }
}

#[test]
fn charts_are_well_formed_standalone_svg() {
    let mut records = fixture();
    // A village name that needs escaping.
    let odd = "A&B<村>\"'";
    let first = records[0].household_id;
    for h in records.iter_mut().filter(|h| h.household_id == first) {
        h.address.village = odd.into();
    }
    let view = township::view(&records, &options());
    for svg in [&view.bars_svg, &view.income_svg] {
        assert!(
            svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 360 "),
            "{}",
            &svg[..80]
        );
        let names = well_formed(svg);
        assert_eq!(names[0], "svg");
        assert_eq!(names.iter().filter(|n| *n == "svg").count(), 1);
        assert!(svg.contains("A&amp;B&lt;村&gt;&quot;&apos;"));
        assert!(!svg.contains(odd));
    }
    let t = &view.summary;
    // One segment per village and non-empty category.
    let segments: usize =
        t.villages.iter().map(|v| v.categories.iter().filter(|c| c.figure.count > 0).count()).sum();
    assert_eq!(view.bars_svg.matches("data-category=").count(), segments);
    assert!(view.bars_svg.contains("各村核查户数"));
    // One dot per household with a per-capita income.
    assert_eq!(view.income_svg.matches("data-household=").count(), t.township.households.count);
    assert!(view.income_svg.contains("监测标准"));
    assert!(view.income_svg.contains("7000元"));

    // No records at all: still valid.
    let empty = township::view(&[], &options());
    well_formed(&empty.bars_svg);
    well_formed(&empty.income_svg);
    assert_eq!(empty.summary.township.households.count, 0);
}

// ---------------------------------------------------------------------------------------
// The report.

#[test]
fn report_draft_is_filled_from_the_records_and_keeps_edits() {
    let records = fixture();
    let summary = township::summarize(&township::select(&records, &options()));
    let latest = latest(&records);
    let people: usize = latest.iter().map(|h| h.members.len()).sum();
    let monitored: Vec<&&Household> = latest.iter().filter(|h| h.is_monitored()).collect();
    let monitored_people: usize = monitored.iter().map(|h| h.members.len()).sum();

    let mut edits = ReportEdits::new(2023, 1, "");
    let r = report::draft(&summary, &edits);
    assert_eq!(r.title, "额尔和乡2023年一季度防返贫监测和帮扶重点核查工作报告");
    let headings: Vec<&str> = r.sections.iter().map(|s| s.heading.as_str()).collect();
    assert_eq!(
        headings,
        [
            "一、重点核查基本情况",
            "二、动态管理情况",
            "三、典型经验做法",
            "四、存在问题及建议",
            "五、下一步工作计划"
        ]
    );
    let basic = r.section(SectionKey::Basic).generated.join("");
    assert!(
        basic.starts_with(&format!("本季度共核查农牧户 {} 户 {} 人，", latest.len(), people)),
        "{basic}"
    );
    assert!(
        basic.contains(&format!("监测对象 {} 户 {} 人", monitored.len(), monitored_people)),
        "{basic}"
    );
    let general = latest.iter().filter(|h| h.category == Some(Category::General)).count();
    assert!(basic.contains(&format!("其中一般农牧户 {general} 户")));
    let dynamic = r.section(SectionKey::Dynamic).generated.join("");
    let eliminated = monitored.iter().filter(|h| h.elimination.eliminated == Some(true)).count();
    assert!(dynamic.contains(&format!("已消除风险 {eliminated} 户")), "{dynamic}");
    let problems = r.section(SectionKey::Problems).generated.join("");
    let over = latest.iter().filter(|h| over_year(h)).count();
    assert!(problems.contains(&format!("（兜底户除外）{over} 户")), "{problems}");
    assert!(r.section(SectionKey::Experience).generated.is_empty());

    // Text sections: written, stored apart, read back, kept in the export.
    edits.set_text(
        SectionKey::Experience,
        "各村实行“村两委+驻村工作队”分片包户。\n与医保、民政数据比对。",
    );
    edits.set_text(SectionKey::Plan, "4月底前完成帮扶措施录入。");
    let stored = edits.to_json();
    let back = ReportEdits::from_json(&stored).unwrap();
    assert_eq!(back, edits);
    assert_eq!(back.storage_key(), "report:2023-Q1:");
    let r = report::draft(&summary, &back);
    let text = r.to_text();
    assert!(text.starts_with("额尔和乡2023年一季度防返贫监测和帮扶重点核查工作报告\n"));
    assert!(text.contains("　　与医保、民政数据比对。\n"));
    assert!(text.contains("4月底前完成帮扶措施录入。"));
    assert!(!text.contains("请填写：下一步"), "a written section shows no hint");
    assert!(text.trim_end().ends_with("额尔和乡人民政府\n2023年3月25日"));
    let pos: Vec<usize> = headings.iter().map(|h| text.find(h).unwrap()).collect();
    assert!(pos.windows(2).all(|w| w[0] < w[1]));
    // Recomputed figures follow the records; the written text stays.
    let fewer = township::summarize(&township::select(&records[..100], &options()));
    let r2 = report::draft(&fewer, &back);
    assert!(r2.section(SectionKey::Basic).generated[0].starts_with("本季度共核查农牧户 "));
    assert_ne!(r2.section(SectionKey::Basic).generated, r.section(SectionKey::Basic).generated);
    assert_eq!(r2.section(SectionKey::Plan).text, "4月底前完成帮扶措施录入。");
    // An override replaces the generated paragraphs until removed.
    let mut e2 = back.clone();
    e2.set_override(SectionKey::Dynamic, Some("本季度新识别 3 户。"));
    let r3 = report::draft(&summary, &e2);
    assert!(r3.section(SectionKey::Dynamic).overridden);
    assert_eq!(r3.section(SectionKey::Dynamic).generated, ["本季度新识别 3 户。"]);
    e2.set_override(SectionKey::Dynamic, None);
    assert_eq!(
        report::draft(&summary, &e2).section(SectionKey::Dynamic).generated,
        r.section(SectionKey::Dynamic).generated
    );
    assert!(ReportEdits::from_json(r#"{"format":"other/1","year":2023,"quarter":1}"#).is_err());

    // A village's report uses the village's figures.
    let v = &summary.villages[0];
    let hs: Vec<&&Household> = latest.iter().filter(|h| h.address.village == v.name).collect();
    let rv = report::draft(&summary, &ReportEdits::new(2023, 1, &v.name));
    assert_eq!(rv.title, format!("{}2023年一季度防返贫监测和帮扶重点核查工作报告", v.name));
    assert_eq!(rv.addressee, "乡乡村振兴办公室：");
    let p = &rv.section(SectionKey::Basic).generated[0];
    assert!(
        p.starts_with(&format!(
            "本季度共核查农牧户 {} 户 {} 人",
            hs.len(),
            hs.iter().map(|h| h.members.len()).sum::<usize>()
        )),
        "{p}"
    );
    assert!(!rv.to_text().contains("分村看"));
}

#[test]
fn view_of_the_same_records_in_another_order_is_the_same() {
    let mut records = fixture();
    let a = township::view(&records, &options());
    records.reverse();
    let b = township::view(&records, &options());
    assert_eq!(a.summary, b.summary);
    assert_eq!(a.bars_svg, b.bars_svg);
    assert_eq!(a.income_svg, b.income_svg);
    assert_eq!(csv::to_csv(&a.verification), csv::to_csv(&b.verification));
    assert_eq!(csv::to_csv(&a.special_archive), csv::to_csv(&b.special_archive));
    let _ = Duration::days(1);
}

/// The 一般农户特殊档案 lists each household's 佐证材料: the photos' captions and the
/// signatures, marked when the record changed after signing (issue 15).
#[test]
fn the_special_archive_lists_the_evidence() {
    use ruhu::core::evidence::{self, Stroke};
    use ruhu::core::record::SignRole;
    let mut records = fixture();
    let sel = township::select(&records, &options());
    let target = ledgers::special_archive(&sel).rows[0].base.record_id;
    let h = records.iter_mut().find(|h| h.id == target).unwrap();
    for (n, caption) in [(1, "残疾人证"), (2, "危房正面")] {
        h.attachments.push(evidence::new_photo(
            Uuid::from_u128(0xE0 + n),
            caption,
            "",
            None,
            "image/jpeg",
            caption.as_bytes(),
            None,
            None,
        ));
    }
    let svg = evidence::signature_svg(&[Stroke { points: vec![(1.0, 1.0), (9.0, 9.0)] }], 300, 150);
    let sig =
        evidence::new_signature(Uuid::from_u128(0xE9), SignRole::Surveyor, "孟庆春", &svg, h, None);
    h.attachments.push(sig);
    let row = |records: &[Household]| {
        let sel = township::select(records, &options());
        let a = ledgers::special_archive(&sel);
        let r = a.rows.iter().find(|r| r.base.record_id == target).unwrap();
        (r.evidence.text(), csv::to_csv(&a))
    };
    let (cell, bytes) = row(&records);
    assert_eq!(cell, "照片2张：残疾人证、危房正面；签名1个：本户排查人孟庆春");
    assert!(String::from_utf8(bytes).unwrap().contains(&cell), "in the CSV");
    let h = records.iter_mut().find(|h| h.id == target).unwrap();
    h.judgement.reason = "签字后补充的原因".into();
    assert_eq!(
        row(&records).0,
        "照片2张：残疾人证、危房正面；签名1个：本户排查人孟庆春（1个签字后有修改）"
    );
}
