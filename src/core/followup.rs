//! Follow-up visits (再次入户, 回头看): a new visit started from a household's latest record,
//! what changed since then, and who else lists the same person.
//!
//! # A follow-up visit
//!
//! From the household page, `再次入户` starts a new visit from the household's latest record
//! ([`crate::visits`]) with [`start`]: same `household_id`, a new `id`, revision 1, a draft,
//! created and saved now, the given visit date (the app gives today) and the 12-month income
//! period before it, `previous_id` = the record it started from. Kept: address, category,
//! phone, monitoring, members (same member ids, so that changes can be matched), 三保障, risk
//! types, measures, elimination, the assessors. Cleared, as they belong to the new visit:
//! income A21–A28, the judgement, attachments, `computed` (unknown keys inside `income` and
//! `judgement` are kept). The surveyor is the one given (the settings'), else the previous
//! visit's. The app opens the new record in the editor.
//!
//! What differs from the previous visit is [`changes`]`(previous, current)`: field paths
//! (`address.village`, `members[2].labor`), members matched by their `id` (reordering is no
//! change; a new member is `members[3]`, one who is gone `members-removed:<name>`), the
//! `visit` and the record's own keys (`id`, `revision`, `updated_at`, `lineage`, …) ignored,
//! an empty answer equal to an unanswered one. Right after [`start`] the cleared income and
//! judgement are changes until they are answered again. The editor marks each changed field
//! `有变化` from these paths (`ui::household`), and its evaluation gets the previous visit
//! ([`crate::visits::previous`]) for `income-drop`.
//!
//! # Duplicate people (同一人登记在两户)
//!
//! The same 18-character ID (a 残疾人证 counts by its first 18 characters) in two different
//! households is the engine's `id-number-elsewhere` warning, fed by
//! `Context::people_elsewhere` = [`people_index`]`(all records)`, where each household's
//! latest visit counts ([`crate::visits::latest_of_each`]). The app builds that index in the
//! editor (as the ID is typed; until the records are loaded the evaluation runs without it),
//! for the home list (the `身份证号重复` tag on both households, and a filter), the township
//! view, the export writer and the CLI; on import, [`crate::transfer::shared_people`] lists
//! each person the imported households share with another one.

use std::collections::HashMap;

use chrono::{DateTime, FixedOffset, NaiveDate};
use serde_json::Value;
use uuid::Uuid;

use super::dates::default_period;
use super::id_number;
use super::record::{Household, Income, Judgement, Status, Timestamp, Visit};
use super::rules::PersonElsewhere;

/// A new draft visit of the same household, prefilled from `prev`:
/// same `household_id`, new `id`, revision 1, the new visit date and the 12-month income
/// period before it. Kept: address, category, phone, monitoring, members (same member ids,
/// so changes can be matched), 三保障, risk types, measures, elimination, the assessors.
/// Cleared (they belong to the new visit): income A21–A28 (a new period must be asked
/// again), the judgement, attachments, `computed`, `lineage` (the caller begins the new
/// record's with `lineage::begin`). `previous_id` points at `prev`.
pub fn start(
    prev: &Household,
    id: Uuid,
    now: DateTime<FixedOffset>,
    visit_date: NaiveDate,
    surveyor: &str,
) -> Household {
    let (start, end) = default_period(visit_date);
    let mut h = prev.clone();
    h.id = id;
    h.revision = 1;
    // A new record: its lineage begins when it is first stored (`lineage::begin`).
    h.lineage = None;
    h.status = Status::Draft;
    h.created_at = Timestamp(now);
    h.updated_at = Timestamp(now);
    h.visit = Visit {
        date: Some(visit_date),
        period_start: Some(start),
        period_end: Some(end),
        surveyor: if surveyor.is_empty() {
            prev.visit.surveyor.clone()
        } else {
            surveyor.to_string()
        },
        assessors: prev.visit.assessors.clone(),
        extra: prev.visit.extra.clone(),
    };
    h.income = Income { extra: prev.income.extra.clone(), ..Default::default() };
    h.judgement = Judgement { extra: prev.judgement.extra.clone(), ..Default::default() };
    h.attachments.clear();
    h.computed = None;
    h.previous_id = Some(prev.id);
    h
}

/// Keys that describe the record rather than the household; never "changes".
const META: [&str; 10] = [
    "format",
    "id",
    "household_id",
    "revision",
    "status",
    "created_at",
    "updated_at",
    "computed",
    "previous_id",
    "lineage",
];

/// The field paths of `cur` whose value differs from `prev` (`address.village`,
/// `members[2].labor`, `members[3]` for a member who is new, `income.wage`…). Members are
/// matched by their `id`, so reordering is not a change; a member of `prev` who is gone is
/// reported as `members-removed:<name>`.
pub fn changes(prev: &Household, cur: &Household) -> Vec<String> {
    let mut out = Vec::new();
    let (Value::Object(a), Value::Object(b)) =
        (super::json::to_value(prev), super::json::to_value(cur))
    else {
        return out;
    };
    for (k, vb) in &b {
        if META.contains(&k.as_str()) || k == "members" || (k == "visit") {
            continue;
        }
        diff(k, a.get(k).unwrap_or(&Value::Null), vb, &mut out);
    }
    let before: HashMap<Uuid, &super::record::Member> =
        prev.members.iter().map(|m| (m.id, m)).collect();
    for (i, m) in cur.members.iter().enumerate() {
        match before.get(&m.id) {
            None => out.push(format!("members[{i}]")),
            Some(old) => {
                let (va, vb) = (super::json::to_value(old), super::json::to_value(m));
                diff(&format!("members[{i}]"), &va, &vb, &mut out);
            }
        }
    }
    for m in &prev.members {
        if !cur.members.iter().any(|c| c.id == m.id) {
            out.push(format!("members-removed:{}", m.name));
        }
    }
    out
}

fn diff(path: &str, a: &Value, b: &Value, out: &mut Vec<String>) {
    match (a, b) {
        (Value::Object(ma), Value::Object(mb)) => {
            for (k, vb) in mb {
                diff(&format!("{path}.{k}"), ma.get(k).unwrap_or(&Value::Null), vb, out);
            }
        }
        _ if a != b && !(empty(a) && empty(b)) => out.push(path.to_string()),
        _ => {}
    }
}

fn empty(v: &Value) -> bool {
    match v {
        Value::Null => true,
        Value::String(s) => s.is_empty(),
        Value::Array(a) => a.is_empty(),
        _ => false,
    }
}

/// Every person (by 18-character ID) in the given records, with the households that list
/// them: the input of `id-number-elsewhere`. Only each household's latest record counts
/// ([`crate::visits::latest_of_each`]); households are listed in `household_id` order.
pub fn people_index<'a>(
    records: impl IntoIterator<Item = &'a Household>,
) -> HashMap<String, Vec<PersonElsewhere>> {
    let mut index: HashMap<String, Vec<PersonElsewhere>> = HashMap::new();
    for h in super::visits::latest_of_each(records) {
        let label = format!("{}{}户", h.address.village, h.head_name());
        for m in &h.members {
            if let Some(key) = id_number::person_key(&m.id_number) {
                let list = index.entry(key).or_default();
                if !list.iter().any(|p| p.household_id == h.household_id) {
                    list.push(PersonElsewhere {
                        household_id: h.household_id,
                        record_id: h.id,
                        label: label.clone(),
                    });
                }
            }
        }
    }
    index
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::money::Money;
    use crate::record::{Labor, Member, Relation};
    use crate::testkit;
    use chrono::TimeZone;

    fn now() -> DateTime<FixedOffset> {
        FixedOffset::east_opt(8 * 3600).unwrap().with_ymd_and_hms(2023, 2, 20, 9, 0, 0).unwrap()
    }
    fn d(y: i32, m: u32, dd: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, dd).unwrap()
    }

    fn prev() -> Household {
        let couple = [("敖文华", Relation::Head), ("孟淑兰", Relation::Spouse)];
        couple
            .into_iter()
            .enumerate()
            .fold(
                testkit::household().saved(now()).visited(d(2022, 11, 20)),
                |h, (i, (name, rel))| {
                    h.member(
                        testkit::member(10 + i as u128)
                            .name(name)
                            .relation(rel)
                            .labor(Labor::Ordinary)
                            .id_number(&testkit::id(d(1970 + i as i32, 3, 1), 11 + i as u16)),
                    )
                },
            )
            .village("额尔和村")
            .with(|h| {
                h.income.wage = testkit::money("12000");
                h.judgement.at_risk = Some(false);
            })
            .build()
    }

    #[test]
    fn follow_up_keeps_the_household_and_clears_the_visit() {
        let p = prev();
        let h = start(&p, Uuid::from_u128(3), now(), d(2023, 2, 20), "吴晓东");
        assert_eq!((h.household_id, h.revision, h.previous_id), (p.household_id, 1, Some(p.id)));
        assert_ne!(h.id, p.id);
        assert_eq!(
            (h.visit.period_start, h.visit.period_end),
            (Some(d(2022, 2, 20)), Some(d(2023, 2, 20)))
        );
        assert_eq!(h.income.wage, None);
        assert_eq!(h.judgement.at_risk, None);
        assert_eq!(h.members, p.members);
        assert_eq!(h.visit.surveyor, "吴晓东");
        assert!(
            changes(&p, &h).iter().all(|c| c.starts_with("income.") || c.starts_with("judgement.")),
            "{:?}",
            changes(&p, &h)
        );
    }

    #[test]
    fn changes_are_paths() {
        let p = prev();
        let mut h = start(&p, Uuid::from_u128(3), now(), d(2023, 2, 20), "");
        h.income.wage = Some(Money::parse("12000"));
        h.judgement.at_risk = Some(false);
        assert!(changes(&p, &h).is_empty(), "{:?}", changes(&p, &h));
        // The new record's lineage (it has its own) is not a change of the household.
        let mut p_saved = p.clone();
        crate::lineage::begin(&mut p_saved, &crate::lineage::DeviceId::new("a").unwrap());
        crate::lineage::begin(&mut h, &crate::lineage::DeviceId::new("b").unwrap());
        assert!(changes(&p_saved, &h).is_empty(), "{:?}", changes(&p_saved, &h));
        assert!(changes(&p, &h).is_empty(), "{:?}", changes(&p, &h));
        h.members.swap(0, 1);
        assert!(changes(&p, &h).is_empty(), "reordering is no change");
        h.members[0].labor = Some(Labor::Weak);
        h.address.group = "一组".into();
        let mut m = Member::new(Uuid::from_u128(99));
        m.name = "敖小宝".into();
        h.members.push(m);
        assert_eq!(changes(&p, &h), vec!["address.group", "members[0].labor", "members[2]"]);
        h.members.remove(1);
        assert!(changes(&p, &h).contains(&"members-removed:敖文华".to_string()));
    }

    #[test]
    fn people_index_uses_latest_visit() {
        let p = prev();
        let mut other = prev();
        other.id = Uuid::from_u128(7);
        other.household_id = Uuid::from_u128(8);
        other.members.truncate(1);
        let index = people_index([&p, &other]);
        let key = id_number::person_key(&p.members[0].id_number).unwrap();
        assert_eq!(index[&key].len(), 2);
        let key2 = id_number::person_key(&p.members[1].id_number).unwrap();
        assert_eq!(index[&key2].len(), 1);
        assert_eq!(index[&key2][0].label, "额尔和村敖文华户");
    }
}
