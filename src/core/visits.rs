//! Which record counts for a household: its **latest visit**, the **previous visit** of a
//! record, and the one order in which the records of a household compete. Written once here;
//! the home list ([`crate::listing::entries`]), the township office ([`crate::township::select`]),
//! the export writer ([`crate::io::write_batch`]), the CLI (`ruhu evaluate` / `validate`), the
//! people index of `id-number-elsewhere` ([`crate::followup::people_index`]), and in the app
//! the editor (the previous visit of the record being edited) and the household page (its
//! visits in order) all ask this module.
//!
//! A household (`household_id`) has one record per visit (`id`), and a record may be stored
//! in several saved states (`revision`, `updated_at`): several devices, an older copy
//! re-imported. The records of one file or one store come in no particular order, so nothing
//! here depends on the order of its input (a property test shuffles it).
//!
//! # The order ([`key`], [`cmp`])
//!
//! Of two records of a household, the later one is the one with
//! 1. the later `visit.date` (a record without a visit date is earlier than any dated one);
//! 2. on the same date, the later `updated_at` (the later save);
//! 3. then the higher `revision`;
//! 4. then the larger record `id` (so that two different records of the same day saved at the
//!    same instant still have an order).
//!
//! Two records equal in all four are the same saved state of the same record.
//!
//! # The latest visit ([`latest`], [`latest_of_each`], [`Visits::latest`])
//!
//! The record that counts for a household is its greatest record in that order: the latest
//! visit, and of that visit the latest saved state. The township office first keeps the
//! records whose visit date lies in its window (a quarter); see [`crate::township`].
//!
//! # The previous visit ([`previous`], [`previous_of_each`], [`Visits::previous`])
//!
//! The visit before a record `h` (what `income-drop` compares with, what the follow-up
//! visit's `有变化` marks and ledger (b)'s 低保 changes are measured against) is:
//! 1. the record `h.previous_id` names (the link [`crate::followup::start`] writes), when that
//!    record is among the records, is another record than `h` (another `id`), and was not
//!    visited after `h` (same day or earlier, or either has no date); of several saved states
//!    of it, the latest;
//! 2. otherwise the latest record of `h`'s household, other than `h` itself, with a visit date
//!    before `h`'s (none when `h` has no visit date).
//!
//! So an older saved state of `h` itself (same `id`) is never its previous visit, and the
//! explicit link wins over the dates. In the township view the previous visit may lie outside
//! the window.

use std::borrow::Borrow;
use std::cmp::Ordering;
use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDate;
use uuid::Uuid;

use crate::record::{Household, Timestamp};

/// What the records of one household are ordered by: visit date, `updated_at`, `revision`,
/// record id (see the module docs).
pub type Key = (Option<NaiveDate>, Timestamp, u64, Uuid);

/// The record's place in the order of its household's records.
pub fn key(h: &Household) -> Key {
    (h.visit.date, h.updated_at, h.revision, h.id)
}

/// `a` against `b` in the order of the module docs (`Greater`: `a` is the later).
pub fn cmp(a: &Household, b: &Household) -> Ordering {
    key(a).cmp(&key(b))
}

/// Sorts the visits of a household oldest first (the latest is the last).
pub fn sort<H: Borrow<Household>>(visits: &mut [H]) {
    visits.sort_by(|a, b| cmp(a.borrow(), b.borrow()));
}

/// The latest of these records (of one household): the greatest in the order.
pub fn latest<'a>(records: impl IntoIterator<Item = &'a Household>) -> Option<&'a Household> {
    records.into_iter().max_by(|a, b| cmp(a, b))
}

/// Each household's latest record, in `household_id` order.
pub fn latest_of_each<'a>(records: impl IntoIterator<Item = &'a Household>) -> Vec<&'a Household> {
    let mut latest: BTreeMap<Uuid, &Household> = BTreeMap::new();
    for h in records {
        let e = latest.entry(h.household_id).or_insert(h);
        if cmp(h, e) == Ordering::Greater {
            *e = h;
        }
    }
    latest.into_values().collect()
}

/// Whether `a` was visited after `b` (both dated, `a`'s date later).
fn visited_after(a: &Household, b: &Household) -> bool {
    matches!((a.visit.date, b.visit.date), (Some(x), Some(y)) if x > y)
}

/// Whether `r` is a visit of `h`'s household before `h`: another record, an earlier date.
fn earlier_visit_of(r: &Household, h: &Household) -> bool {
    r.household_id == h.household_id
        && r.id != h.id
        && matches!((r.visit.date, h.visit.date), (Some(x), Some(y)) if x < y)
}

/// The visit before `h` among `records` (see the module docs). `h` itself may be among them.
/// For every record of a batch at once, [`previous_of_each`] (or a [`Visits`]).
pub fn previous<'a>(records: &'a [Household], h: &Household) -> Option<&'a Household> {
    if let Some(pid) = h.previous_id.filter(|&p| p != h.id) {
        let named = latest(records.iter().filter(|r| r.id == pid));
        if let Some(named) = named.filter(|r| !visited_after(r, h)) {
            return Some(named);
        }
    }
    latest(records.iter().filter(|r| earlier_visit_of(r, h)))
}

/// [`previous`] of every record (indexes into `records`), without comparing every pair.
pub fn previous_of_each(records: &[Household]) -> Vec<Option<usize>> {
    Visits::new(records).previous_of_each()
}

/// The records grouped by household, each household's visits in order: for the callers that
/// ask about many records at once.
#[derive(Debug, Clone)]
pub struct Visits<'a> {
    records: &'a [Household],
    /// Each household's records, oldest first (indexes into `records`).
    households: HashMap<Uuid, Vec<usize>>,
    /// Each record id's latest saved state.
    ids: HashMap<Uuid, usize>,
}

impl<'a> Visits<'a> {
    pub fn new(records: &'a [Household]) -> Visits<'a> {
        let mut households: HashMap<Uuid, Vec<usize>> = HashMap::new();
        let mut ids: HashMap<Uuid, usize> = HashMap::with_capacity(records.len());
        for (i, h) in records.iter().enumerate() {
            households.entry(h.household_id).or_default().push(i);
            let e = ids.entry(h.id).or_insert(i);
            if cmp(h, &records[*e]) == Ordering::Greater {
                *e = i;
            }
        }
        for visits in households.values_mut() {
            visits.sort_by(|&a, &b| cmp(&records[a], &records[b]));
        }
        Visits { records, households, ids }
    }

    /// The records this was made of.
    pub fn records(&self) -> &'a [Household] {
        self.records
    }

    /// The record at an index.
    pub fn get(&self, i: usize) -> &'a Household {
        &self.records[i]
    }

    /// Every household with its records, oldest first, in no particular order of households.
    pub fn households(&self) -> impl Iterator<Item = (Uuid, &[usize])> + '_ {
        self.households.iter().map(|(id, v)| (*id, v.as_slice()))
    }

    /// How many households there are.
    pub fn household_count(&self) -> usize {
        self.households.len()
    }

    /// A household's records, oldest first (empty for a household not among them).
    pub fn of(&self, household_id: Uuid) -> &[usize] {
        self.households.get(&household_id).map(Vec::as_slice).unwrap_or_default()
    }

    /// A household's latest record.
    pub fn latest(&self, household_id: Uuid) -> Option<usize> {
        self.of(household_id).last().copied()
    }

    /// The latest record of a household among those `keep` accepts (the township's window).
    pub fn latest_where(
        &self,
        household_id: Uuid,
        mut keep: impl FnMut(&Household) -> bool,
    ) -> Option<usize> {
        self.of(household_id).iter().rev().copied().find(|&i| keep(&self.records[i]))
    }

    /// The visit before `h` (see the module docs); `h` need not be among the records.
    pub fn previous(&self, h: &Household) -> Option<usize> {
        if let Some(pid) = h.previous_id.filter(|&p| p != h.id) {
            if let Some(&i) = self.ids.get(&pid) {
                if !visited_after(&self.records[i], h) {
                    return Some(i);
                }
            }
        }
        h.visit.date?;
        self.of(h.household_id)
            .iter()
            .rev()
            .copied()
            .find(|&i| earlier_visit_of(&self.records[i], h))
    }

    /// [`Visits::previous`] of every record, by index.
    pub fn previous_of_each(&self) -> Vec<Option<usize>> {
        self.records.iter().map(|h| self.previous(h)).collect()
    }
}

#[cfg(test)]
mod tests {
    use chrono::{DateTime, Duration};

    use super::*;

    fn d(m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2023, m, day).unwrap()
    }

    fn at(minutes: i64) -> Timestamp {
        let t0 = DateTime::parse_from_rfc3339("2023-02-20T09:00:00+08:00").unwrap();
        Timestamp(t0 + Duration::minutes(minutes))
    }

    /// Record `id` of household `hh`: visit date, saved `minutes` after 9:00, revision.
    fn rec(id: u128, hh: u128, date: Option<NaiveDate>, minutes: i64, revision: u64) -> Household {
        crate::testkit::household()
            .id(id)
            .household_id(hh)
            .saved(at(0).0)
            .updated(at(minutes).0)
            .revision(revision)
            .with(|h| h.visit.date = date)
            .build()
    }

    /// Which of two records of a household is the latest, in both input orders.
    #[test]
    fn the_latest_visit_with_ties() {
        let cases: [(&str, Household, Household); 7] = [
            (
                "later date wins over a later save",
                rec(1, 9, Some(d(3, 1)), 0, 1),
                rec(2, 9, Some(d(2, 1)), 60, 5),
            ),
            (
                "same date: the later updated_at, even at a lower revision",
                rec(1, 9, Some(d(3, 1)), 30, 1),
                rec(2, 9, Some(d(3, 1)), 10, 4),
            ),
            (
                "same record, same date: the later save of it",
                rec(1, 9, Some(d(3, 1)), 30, 2),
                rec(1, 9, Some(d(3, 1)), 10, 3),
            ),
            (
                "same date and updated_at: the higher revision",
                rec(1, 9, Some(d(3, 1)), 10, 3),
                rec(2, 9, Some(d(3, 1)), 10, 2),
            ),
            (
                "all equal but the id: the larger id",
                rec(2, 9, Some(d(3, 1)), 10, 1),
                rec(1, 9, Some(d(3, 1)), 10, 1),
            ),
            ("a date beats no date", rec(1, 9, Some(d(1, 1)), 0, 1), rec(2, 9, None, 90, 9)),
            ("no date on either: the later save", rec(1, 9, None, 20, 1), rec(2, 9, None, 10, 2)),
        ];
        for (what, later, earlier) in cases {
            let ab = [later.clone(), earlier.clone()];
            let ba = [earlier.clone(), later.clone()];
            for records in [&ab, &ba] {
                assert_eq!(latest(records.iter()).map(key), Some(key(&later)), "{what}");
                assert_eq!(latest_of_each(records.iter()).len(), 1, "{what}");
                assert_eq!(key(latest_of_each(records.iter())[0]), key(&later), "{what}");
                let v = Visits::new(records);
                assert_eq!(
                    v.latest(later.household_id).map(|i| key(&records[i])),
                    Some(key(&later))
                );
                let mut sorted: Vec<&Household> = records.iter().collect();
                sort(&mut sorted);
                assert_eq!(key(sorted[1]), key(&later), "{what}");
            }
            assert_eq!(cmp(&later, &earlier), Ordering::Greater, "{what}");
        }
    }

    #[test]
    fn the_previous_visit() {
        let a = rec(1, 9, Some(d(1, 10)), 0, 1);
        let b = rec(2, 9, Some(d(2, 10)), 0, 1);
        let b_old = rec(2, 9, Some(d(2, 10)), -30, 1);
        let mut c = rec(3, 9, Some(d(3, 10)), 0, 2);
        let c_old = rec(3, 9, Some(d(3, 10)), -30, 1);
        let other = rec(4, 8, Some(d(1, 1)), 0, 1);
        let all = [c_old.clone(), other.clone(), b_old.clone(), a.clone(), b.clone(), c.clone()];
        let id = |h: Option<&Household>| h.map(key);
        // The latest earlier visit of the household, never an older save of the record itself.
        assert_eq!(id(previous(&all, &c)), Some(key(&b)));
        assert_eq!(id(previous(&all, &b)), Some(key(&a)));
        assert_eq!(previous(&all, &a), None);
        // The link wins over the dates; of several saves of it, the latest.
        c.previous_id = Some(a.id);
        assert_eq!(id(previous(&all, &c)), Some(key(&a)));
        c.previous_id = Some(b.id);
        assert_eq!(id(previous(&all, &c)), Some(key(&b)), "the latest save of the named record");
        // Even a record of another household, and one of the same day.
        c.previous_id = Some(other.id);
        assert_eq!(id(previous(&all, &c)), Some(key(&other)));
        let mut same_day = rec(5, 9, Some(d(3, 10)), 10, 1);
        same_day.previous_id = Some(c.id);
        assert_eq!(id(previous(&all, &same_day)), Some(key(&c)));
        // Not a later one, nor the record itself, nor one that is not there: the dates decide.
        let mut a2 = a.clone();
        a2.previous_id = Some(c.id);
        assert_eq!(previous(&all, &a2), None);
        c.previous_id = Some(c.id);
        assert_eq!(id(previous(&all, &c)), Some(key(&b)));
        c.previous_id = Some(Uuid::from_u128(77));
        assert_eq!(id(previous(&all, &c)), Some(key(&b)));
        // Without a visit date: only the link.
        let mut undated = rec(6, 9, None, 0, 1);
        assert_eq!(previous(&all, &undated), None);
        undated.previous_id = Some(a.id);
        assert_eq!(id(previous(&all, &undated)), Some(key(&a)));
        // The index agrees with the scan, record by record.
        let v = Visits::new(&all);
        for h in all.iter().chain([&c, &same_day, &a2, &undated]) {
            assert_eq!(v.previous(h).map(|i| key(&all[i])), id(previous(&all, h)));
        }
        let each: Vec<Option<usize>> = all.iter().map(|h| v.previous(h)).collect();
        assert_eq!(previous_of_each(&all), each);
    }

    /// The previous visit under the names `io` has always given it.
    #[test]
    fn previous_visit_by_id_or_date() {
        use crate::io::{previous_visit, previous_visits};
        let household = |n: u128, village: &str, head: &str| {
            let b = crate::testkit::household().id(n).household_id(n + 1000).village(village);
            b.head(n + 2000, head).build()
        };
        let a = household(1, "额尔和村", "张伟");
        let mut later = a.clone();
        later.id = Uuid::from_u128(99);
        later.visit.date = NaiveDate::from_ymd_opt(2023, 8, 1);
        let b = household(2, "霍日里村", "郭建华");
        let all = [a.clone(), b.clone(), later.clone()];
        assert_eq!(previous_visit(&all, &later).map(|h| h.id), Some(a.id));
        assert_eq!(previous_visit(&all, &a), None);
        let mut linked = later.clone();
        linked.previous_id = Some(b.id);
        assert_eq!(previous_visit(&all, &linked).map(|h| h.id), Some(b.id), "previous_id wins");
        assert_eq!(previous_visits(&all), vec![None, None, Some(0)]);
        let all = [a.clone(), b, later, linked];
        assert_eq!(previous_visits(&all), vec![None, None, Some(0), Some(1)]);
    }

    #[test]
    fn a_window_picks_the_latest_inside_it() {
        let all = [
            rec(1, 9, Some(d(1, 10)), 0, 1),
            rec(2, 9, Some(d(2, 10)), 0, 1),
            rec(3, 9, Some(d(3, 10)), 0, 1),
        ];
        let v = Visits::new(&all);
        let hh = Uuid::from_u128(9);
        assert_eq!(v.latest(hh), Some(2));
        assert_eq!(v.latest_where(hh, |h| h.visit.date < Some(d(3, 1))), Some(1));
        assert_eq!(v.latest_where(hh, |h| h.visit.date > Some(d(4, 1))), None);
        assert_eq!(v.of(hh), &[0, 1, 2]);
        assert!(v.of(Uuid::from_u128(1)).is_empty());
        assert_eq!(v.household_count(), 1);
    }
}

/// Shuffling the records never changes an answer.
#[cfg(all(test, not(target_arch = "wasm32")))]
mod shuffled {
    use chrono::{DateTime, Duration};
    use proptest::prelude::*;

    use super::*;

    /// A record from small numbers, so that ties are frequent: record id, household, visit day
    /// (0 = none), minutes, revision, the id its `previous_id` names (0 = none).
    fn rec((id, hh, day, minutes, revision, prev): (u8, u8, u8, u8, u8, u8)) -> Household {
        let t0 = DateTime::parse_from_rfc3339("2023-02-20T09:00:00+08:00").unwrap();
        let date = (day > 0).then(|| NaiveDate::from_ymd_opt(2023, 1, day as u32).unwrap());
        crate::testkit::household()
            .id(id as u128)
            .household_id(hh as u128)
            .saved(t0)
            .updated(t0 + Duration::minutes(minutes as i64))
            .revision(revision as u64)
            .with(|h| {
                h.visit.date = date;
                h.previous_id = (prev > 0).then(|| Uuid::from_u128(prev as u128));
            })
            .build()
    }

    /// Records with distinct keys (two records equal in all four are one saved state), and
    /// the same records in another order.
    fn records_and_shuffle() -> impl Strategy<Value = (Vec<Household>, Vec<Household>)> {
        prop::collection::vec((1u8..6, 1u8..4, 0u8..4, 0u8..3, 1u8..3, 0u8..6), 0..14)
            .prop_map(|raw| {
                let mut seen = std::collections::BTreeSet::new();
                raw.into_iter().map(rec).filter(|h| seen.insert(key(h))).collect::<Vec<_>>()
            })
            .prop_flat_map(|records| {
                let shuffled = Just(records.clone()).prop_shuffle();
                (Just(records), shuffled)
            })
    }

    /// What is asked about a batch, as keys (indexes change with the order): each household's
    /// latest record, each record's previous visit, each household's visits in order.
    type Answers = (Vec<Key>, Vec<(Key, Option<Key>)>, Vec<(Uuid, Vec<Key>)>);

    /// The answers about `records`.
    fn answers(records: &[Household]) -> Answers {
        let latest: Vec<Key> = latest_of_each(records).into_iter().map(key).collect();
        let mut previous: Vec<(Key, Option<Key>)> = previous_of_each(records)
            .into_iter()
            .zip(records)
            .map(|(p, h)| (key(h), p.map(|i| key(&records[i]))))
            .collect();
        previous.sort();
        let v = Visits::new(records);
        let mut households: Vec<(Uuid, Vec<Key>)> = v
            .households()
            .map(|(hh, is)| (hh, is.iter().map(|&i| key(&records[i])).collect()))
            .collect();
        households.sort();
        (latest, previous, households)
    }

    proptest! {
        #[test]
        fn the_order_of_the_records_does_not_matter((records, shuffled) in records_and_shuffle()) {
            prop_assert_eq!(answers(&records), answers(&shuffled));
            for h in &records {
                prop_assert_eq!(previous(&records, h).map(key), previous(&shuffled, h).map(key));
            }
        }
    }
}
