//! The merge rule, in one place: what to do with one incoming record against the record
//! stored under its `id` (issue 13). The app's import, the office's import
//! (`transfer::plan`) and `ruhu merge` all decide with [`decide`]; nothing else compares
//! records for a merge. Nothing typed is replaced silently: a record replaces another only
//! when it descends from it ([`crate::lineage`]), whatever the `revision` numbers say.
//!
//! `I` is the incoming record, `S` the stored one (or what the same import already decided),
//! `H` the stored record's saved states (its history). *Traced* and *untraced*:
//! [`lineage::traced`]. The rows are tried in this order; the first that holds decides.
//!
//! | # | incoming `I` against stored `S` | outcome |
//! |---|---|---|
//! | 1 | `I` is exactly `S` | `Unchanged` |
//! | 2 | `I.revision` over 2⁵³−1, or its `lineage` out of bounds (over 64 devices, a bad device id, a counter 0 or over 2⁵³−1, a bad or 9th hash) | `Refused` (crafted or broken) |
//! | 3 | no `S` | `Add` |
//! | 4 | `S.household_id` is not `I.household_id` | `Refused` (crafted or broken) |
//! | 5 | both traced, `I` descends from `S` (counters ≥, one >) | `Update` |
//! | 6 | both traced, `S` descends from `I` | `Stale` (an older state: nothing to do) |
//! | 7 | both traced, same counters, same content | `Unchanged` |
//! | 8 | both traced, same counters, other content | `Conflict` (a bug or a crafted file) |
//! | 9 | both traced, edited apart (concurrent) | `Conflict` |
//! | 10 | one untraced, same content | `Unchanged` |
//! | 11 | `S`'s content hash is in `I.lineage.from` (`I` was saved on top of exactly `S`) | `Update` |
//! | 12 | `I`'s content hash is in `S.lineage.from` | `Stale` |
//! | 13 | `I` saved by an older app after a traced state (its `lineage.revision` is not its `revision`), `S` traced with counters at or below `I`'s | `Update` |
//! | 14 | `S` saved by an older app after a traced state, `I` traced with counters at or below `S`'s | `Stale` |
//! | 15 | one untraced, `I`'s content equals one of `H` | `Stale` |
//! | 16 | one untraced, anything else (an older export with other content, at any revision) | `Conflict` |
//!
//! Row 1 comes first so that an exact copy is never more than 未变 (a record stored before
//! these checks existed is not refused against itself), and so that the import may take exact
//! copies out before planning (`transfer::take_same`). Rows 11–14 are for the change-over: a
//! record an older app exported or edited meets one that this app saved on top of it, and
//! what can be proven (a content hash, counters that are a lower bound) is an update or an
//! older state instead of a conflict; anything unproven stays a conflict (row 16).
//!
//! *Content* is the record without `computed` and `lineage` ([`lineage::content_bytes`]):
//! what was answered, with its `revision` and times. `Stale` and `Unchanged` write nothing and
//! count as 未变. A conflict keeps both states: the caller holds both (the stored one stays
//! stored, the incoming one is returned in the conflict and must be kept by the caller until
//! a person resolves it) and a person decides; the resolution is a new state descending from
//! both ([`lineage::resolve`], `transfer::take_incoming`), so either old state meets it
//! later as `Stale`. A refusal names the record and the reason in Chinese
//! ([`Refusal::message`]); nothing is written for it.
//!
//! What this replaces: until issue 13 a higher `revision` won (`household-format.md` still says
//! "higher wins on merge" of `revision`). `revision` counts saves, so of two copies edited apart
//! the one with more typing pauses replaced the other. `revision` is now a number for people
//! (第 N 版) and the export mark; the merge reads `lineage`.

use serde_json::Value;

use super::lineage::{self, Order};
use super::record::Household;

/// What to do with one incoming record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// A new record: write it.
    Add,
    /// A later state of the stored record: write it.
    Update,
    /// The stored record as it is: nothing to do.
    Unchanged,
    /// An older state of the stored record: nothing to do.
    Stale,
    /// Edited apart: both states kept, a person decides.
    Conflict,
    /// Not imported, for this reason.
    Refused(Refusal),
}

/// Why an incoming record is refused (a crafted or broken file).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// `revision` over 2⁵³−1.
    RevisionTooLarge(u64),
    /// The same `id` as a stored record of another household.
    OtherHousehold,
    /// `lineage.saves` names more than 64 devices.
    TooManyDevices(usize),
    /// `lineage.saves` is empty or names a device with an invalid id.
    BadDevice,
    /// A counter of `lineage` is 0 or over 2⁵³−1.
    BadCounter,
    /// `lineage.from` holds more than 8 hashes or one that is not a hash.
    BadFrom,
}

impl Refusal {
    /// The reason, in Chinese, for the import report and `ruhu merge`.
    pub fn message(&self) -> String {
        const CRAFTED: &str = "文件可能被改动过或已损坏，此记录未导入";
        match self {
            Refusal::RevisionTooLarge(n) => {
                format!("版本号 revision {n} 超过上限 {}，{CRAFTED}", lineage::MAX_SAFE_INTEGER)
            }
            Refusal::OtherHousehold => format!(
                "记录编号 id 与已有的一条记录相同，但属于另一户（household_id 不同），{CRAFTED}"
            ),
            Refusal::TooManyDevices(n) => format!(
                "修改来源 lineage 列出了 {n} 台设备，超过上限 {}，{CRAFTED}",
                lineage::MAX_DEVICES
            ),
            Refusal::BadDevice => format!("修改来源 lineage 中的设备标识无效，{CRAFTED}"),
            Refusal::BadCounter => {
                format!("修改来源 lineage 中的计数为 0 或超过上限，{CRAFTED}")
            }
            Refusal::BadFrom => format!("修改来源 lineage.from 无效，{CRAFTED}"),
        }
    }

    /// A stable code, for tests and scripts.
    pub fn code(&self) -> &'static str {
        match self {
            Refusal::RevisionTooLarge(_) => "revision-too-large",
            Refusal::OtherHousehold => "other-household",
            Refusal::TooManyDevices(_) => "too-many-devices",
            Refusal::BadDevice => "bad-device",
            Refusal::BadCounter => "bad-counter",
            Refusal::BadFrom => "bad-from",
        }
    }
}

impl std::fmt::Display for Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message())
    }
}

/// The record as compared: [`lineage::content`] (its JSON, `format` set, without `computed`
/// and `lineage`).
pub fn content(h: &Household) -> Value {
    lineage::content(h)
}

/// Whether two records say the same thing, at the same revision and times (the same
/// [`lineage::content_bytes`]; `lineage`, `computed` and `format` are not looked at).
pub fn same_content(a: &Household, b: &Household) -> bool {
    a.revision == b.revision && lineage::content_bytes(a) == lineage::content_bytes(b)
}

/// Exactly the same record (`computed` aside).
fn identical(a: &Household, b: &Household) -> bool {
    if a.computed.is_none() && b.computed.is_none() {
        a == b
    } else {
        Household { computed: None, ..a.clone() } == Household { computed: None, ..b.clone() }
    }
}

/// Decides one incoming record against the stored one (if any) and the stored record's
/// saved states (`history`, any order; only looked at when a side is untraced): the table of
/// the module docs.
pub fn decide<'h>(
    incoming: &Household,
    stored: Option<&Household>,
    history: impl IntoIterator<Item = &'h Household>,
) -> Outcome {
    if stored.is_some_and(|s| identical(incoming, s)) {
        return Outcome::Unchanged;
    }
    if let Err(r) = lineage::check(incoming) {
        return Outcome::Refused(r);
    }
    let Some(stored) = stored else { return Outcome::Add };
    if stored.household_id != incoming.household_id {
        return Outcome::Refused(Refusal::OtherHousehold);
    }
    match (lineage::traced(incoming), lineage::traced(stored)) {
        (Some(i), Some(s)) => match lineage::order(&i.saves, &s.saves) {
            Order::After => Outcome::Update,
            Order::Before => Outcome::Stale,
            Order::Same if same_content(incoming, stored) => Outcome::Unchanged,
            Order::Same | Order::Concurrent => Outcome::Conflict,
        },
        _ => untraced(incoming, stored, history),
    }
}

/// Rows 10–16: at least one side is untraced.
fn untraced<'h>(
    incoming: &Household,
    stored: &Household,
    history: impl IntoIterator<Item = &'h Household>,
) -> Outcome {
    if same_content(incoming, stored) {
        return Outcome::Unchanged;
    }
    let names = |h: &Household, other: &Household| {
        h.lineage
            .as_ref()
            .is_some_and(|l| !l.from.is_empty() && l.from.contains(&lineage::content_hash(other)))
    };
    if names(incoming, stored) {
        return Outcome::Update;
    }
    if names(stored, incoming) {
        return Outcome::Stale;
    }
    // Saved by an older app after a traced state: it descends from that state (its counters)
    // and from everything before it.
    let at_or_before = |earlier: &Household, later: &Household| match (
        lineage::traced(earlier),
        later.lineage.as_ref(),
    ) {
        (Some(e), Some(l)) if lineage::traced(later).is_none() => {
            matches!(lineage::order(&e.saves, &l.saves), Order::Same | Order::Before)
        }
        _ => false,
    };
    if at_or_before(stored, incoming) {
        return Outcome::Update;
    }
    if at_or_before(incoming, stored) {
        return Outcome::Stale;
    }
    if history.into_iter().any(|h| same_content(h, incoming)) {
        return Outcome::Stale;
    }
    Outcome::Conflict
}

/// Counts for the import summary `新增 N · 更新 N · 冲突 N · 无效 N`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tally {
    pub added: usize,
    pub updated: usize,
    pub unchanged: usize,
    pub conflicts: usize,
    /// Refused files and refused records.
    pub invalid: usize,
}

impl Tally {
    pub fn count(&mut self, o: Outcome) {
        match o {
            Outcome::Add => self.added += 1,
            Outcome::Update => self.updated += 1,
            Outcome::Unchanged | Outcome::Stale => self.unchanged += 1,
            Outcome::Conflict => self.conflicts += 1,
            Outcome::Refused(_) => self.invalid += 1,
        }
    }

    /// `新增 2 · 更新 1 · 冲突 0 · 无效 1` (and `· 未变 N` when some were already here).
    pub fn summary(&self) -> String {
        let mut s = format!(
            "新增 {} · 更新 {} · 冲突 {} · 无效 {}",
            self.added, self.updated, self.conflicts, self.invalid
        );
        if self.unchanged > 0 {
            s.push_str(&format!(" · 未变 {}", self.unchanged));
        }
        s
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;
    use crate::lineage::{DeviceId, Lineage, MAX_SAFE_INTEGER};
    use crate::testkit;

    fn rec(rev: u64, village: &str) -> Household {
        let now = testkit::at("2023-02-20T09:00:00+08:00");
        testkit::household().saved(now).revision(rev).village(village).build()
    }

    fn dev(s: &str) -> DeviceId {
        DeviceId::new(s).unwrap()
    }

    /// A traced record at `revision` with these counters.
    fn traced(rev: u64, village: &str, saves: &[(&str, u64)]) -> Household {
        let mut h = rec(rev, village);
        h.lineage = Some(Lineage {
            saves: saves.iter().map(|(k, v)| (k.to_string(), *v)).collect(),
            revision: rev,
            ..Default::default()
        });
        h
    }

    /// The same record saved since by an older app (revision moved, lineage did not).
    fn by_older_app(h: &Household, village: &str) -> Household {
        let mut t = h.clone();
        t.revision += 1;
        t.address.village = village.into();
        t
    }

    /// The old table, rows without lineage (what files from before issue 13 hold). The row
    /// "higher revision → Update" is gone: issue 13 makes it a conflict.
    #[test]
    fn outcomes() {
        let stored = rec(5, "额尔和村");
        assert_eq!(decide(&rec(1, "x"), None, &[]), Outcome::Add);
        // Before issue 13: Update (higher revision wins). Now: other content, no lineage.
        assert_eq!(decide(&rec(6, "霍日里村"), Some(&stored), &[]), Outcome::Conflict);
        assert_eq!(decide(&rec(5, "额尔和村"), Some(&stored), &[]), Outcome::Unchanged);
        assert_eq!(decide(&rec(5, "霍日里村"), Some(&stored), &[]), Outcome::Conflict);
        assert_eq!(decide(&rec(4, "霍日里村"), Some(&stored), &[]), Outcome::Conflict);
        assert_eq!(
            decide(&rec(4, "霍日里村"), Some(&stored), &[rec(4, "霍日里村")]),
            Outcome::Stale
        );
        let mut with_computed = rec(5, "额尔和村");
        with_computed.computed = Some(serde_json::json!({"total_income": "1.00"}));
        assert_eq!(decide(&with_computed, Some(&stored), &[]), Outcome::Unchanged);
    }

    /// Every row of the module docs' table, in order.
    #[test]
    fn the_merge_table() {
        let s = traced(5, "额尔和村", &[("a", 5)]);
        let other_household = {
            let mut h = traced(6, "额尔和村", &[("a", 6)]);
            h.household_id = testkit::uuid(99);
            h
        };
        let crafted_lineage = |saves: BTreeMap<String, u64>| {
            let mut h = traced(6, "额尔和村", &[]);
            h.lineage.as_mut().unwrap().saves = saves;
            h
        };
        let legacy = rec(5, "额尔和村");
        let legacy_edit = rec(9, "霍日里村");
        let from_legacy = {
            let mut h = legacy.clone();
            h.address.village = "兴仁村".into();
            lineage::save(&mut h, &legacy, &dev("a"));
            h
        };
        let tainted = by_older_app(&s, "西瓦尔图村");
        // The same counters and content, another (harmless) `from`: not identical.
        let mut with_from = s.clone();
        with_from.lineage.as_mut().unwrap().from = vec![lineage::content_hash(&legacy)];
        let huge = rec(MAX_SAFE_INTEGER + 1, "额尔和村");
        let many: BTreeMap<String, u64> = (0..65).map(|i| (format!("d{i}"), 1)).collect();
        let o = |i: &Household, st: Option<&Household>, h: &[Household]| decide(i, st, h);
        let rows: Vec<(u32, Outcome, Outcome)> = vec![
            (1, o(&s, Some(&s), &[]), Outcome::Unchanged),
            (2, o(&huge, None, &[]), Outcome::Refused(Refusal::RevisionTooLarge(1 << 53))),
            (
                2,
                o(&crafted_lineage(many), Some(&s), &[]),
                Outcome::Refused(Refusal::TooManyDevices(65)),
            ),
            (3, o(&s, None, &[]), Outcome::Add),
            (4, o(&other_household, Some(&s), &[]), Outcome::Refused(Refusal::OtherHousehold)),
            (5, o(&traced(6, "霍日里村", &[("a", 6)]), Some(&s), &[]), Outcome::Update),
            (5, o(&traced(6, "霍日里村", &[("a", 5), ("b", 1)]), Some(&s), &[]), Outcome::Update),
            (6, o(&traced(3, "旧村", &[("a", 3)]), Some(&s), &[]), Outcome::Stale),
            (
                1,
                o(&Household { computed: Some(Value::Null), ..s.clone() }, Some(&s), &[]),
                Outcome::Unchanged,
            ),
            (7, o(&with_from, Some(&s), &[]), Outcome::Unchanged),
            (8, o(&traced(5, "别的村", &[("a", 5)]), Some(&s), &[]), Outcome::Conflict),
            // Edited apart, whatever the revisions say: more saves on either side.
            (
                9,
                o(&traced(40, "霍日里村", &[("a", 4), ("b", 36)]), Some(&s), &[]),
                Outcome::Conflict,
            ),
            (9, o(&traced(2, "霍日里村", &[("b", 2)]), Some(&s), &[]), Outcome::Conflict),
            (10, o(&Household { lineage: None, ..s.clone() }, Some(&s), &[]), Outcome::Unchanged),
            (11, o(&from_legacy, Some(&legacy), &[]), Outcome::Update),
            (12, o(&legacy, Some(&from_legacy), &[]), Outcome::Stale),
            (13, o(&tainted, Some(&s), &[]), Outcome::Update),
            (13, o(&tainted, Some(&traced(4, "旧村", &[("a", 4)])), &[]), Outcome::Update),
            (14, o(&s, Some(&tainted), &[]), Outcome::Stale),
            (15, o(&rec(3, "旧村"), Some(&legacy), &[rec(3, "旧村")]), Outcome::Stale),
            (14, o(&traced(3, "旧村", &[("a", 3)]), Some(&tainted), &[]), Outcome::Stale),
            (16, o(&legacy_edit, Some(&legacy), &[]), Outcome::Conflict),
            (16, o(&rec(2, "别的村"), Some(&legacy), &[]), Outcome::Conflict),
            (16, o(&traced(6, "霍日里村", &[("a", 6)]), Some(&legacy), &[]), Outcome::Conflict),
            (16, o(&legacy_edit, Some(&s), &[]), Outcome::Conflict),
            // Saved by an older app after a state, against another descendant of it.
            (16, o(&tainted, Some(&traced(6, "霍日里村", &[("a", 6)])), &[]), Outcome::Conflict),
            (16, o(&traced(6, "霍日里村", &[("a", 6)]), Some(&tainted), &[]), Outcome::Conflict),
            (16, o(&by_older_app(&tainted, "又改"), Some(&tainted), &[]), Outcome::Conflict),
        ];
        for (row, got, want) in rows {
            assert_eq!(got, want, "row {row}");
        }
    }

    /// A resolution descends from both sides, traced or not: either old state meets it as
    /// `Stale`, and it meets either as `Update`.
    #[test]
    fn a_resolution_descends_from_both() {
        let a = traced(7, "本机", &[("a", 7)]);
        let b = traced(3, "导入", &[("a", 1), ("b", 2)]);
        let legacy_a = rec(7, "本机");
        let legacy_b = rec(3, "导入");
        for (x, y) in [(&a, &b), (&legacy_a, &legacy_b), (&a, &legacy_b), (&legacy_a, &b)] {
            assert_eq!(decide(x, Some(y), &[]), Outcome::Conflict);
            for (chosen, other) in [(x, y), (y, x)] {
                let r = lineage::resolve(chosen, other, &dev("office"));
                assert_eq!(r.revision, 8);
                assert_eq!(r.address.village, chosen.address.village);
                for side in [x, y] {
                    assert_eq!(decide(&r, Some(side), &[]), Outcome::Update);
                    assert_eq!(decide(side, Some(&r), &[]), Outcome::Stale);
                }
            }
        }
    }

    #[test]
    fn refusals_say_why_in_chinese() {
        let m = Refusal::RevisionTooLarge(1 << 53).message();
        assert!(m.contains("9007199254740992") && m.contains("未导入"), "{m}");
        assert!(Refusal::OtherHousehold.message().contains("另一户"));
        assert!(Refusal::TooManyDevices(65).message().contains("65 台设备"));
        assert_eq!(Refusal::OtherHousehold.code(), "other-household");
    }

    #[test]
    fn summary_text() {
        let mut t = Tally::default();
        for o in [Outcome::Add, Outcome::Add, Outcome::Update, Outcome::Conflict] {
            t.count(o);
        }
        t.invalid = 1;
        assert_eq!(t.summary(), "新增 2 · 更新 1 · 冲突 1 · 无效 1");
        t.count(Outcome::Refused(Refusal::BadFrom));
        t.count(Outcome::Stale);
        assert_eq!(t.summary(), "新增 2 · 更新 1 · 冲突 1 · 无效 2 · 未变 1");
    }
}

/// Two copies edited apart, in any way (devices, saves, older apps in between, a base from
/// before lineage), are never merged silently, in either order, and a resolution descends
/// from both.
#[cfg(all(test, not(target_arch = "wasm32")))]
mod divergent {
    use std::collections::HashMap;

    use proptest::prelude::*;

    use super::*;
    use crate::lineage::DeviceId;
    use crate::testkit;
    use crate::transfer::Merger;

    /// One save: on which device of the branch (0–2), or by an older app that does not know
    /// lineage (3).
    type Step = u8;

    /// A line of states from `base`, one per step, on the branch's devices (`names`).
    fn line(base: &Household, names: &[&str], steps: &[Step], tag: &str) -> Vec<Household> {
        let mut states: Vec<Household> = Vec::new();
        for (n, &step) in steps.iter().enumerate() {
            let prev = states.last().unwrap_or(base).clone();
            let mut h = prev.clone();
            h.phone = format!("{tag}{n}");
            match names.get(step as usize) {
                Some(d) => lineage::save(&mut h, &prev, &DeviceId::new(d).unwrap()),
                None => h.revision += 1, // an older app: revision only
            }
            states.push(h);
        }
        states
    }

    fn branch() -> impl Strategy<Value = Vec<Step>> {
        prop::collection::vec(0u8..4, 1..12)
    }

    proptest! {
        #[test]
        fn copies_edited_apart_are_always_a_conflict(
            traced_base in any::<bool>(),
            base_saves in 0u64..5,
            x_steps in branch(),
            y_steps in branch(),
            resolver in 0usize..7,
            x_first in any::<bool>(),
        ) {
            let mut base = testkit::household().phone("base").build();
            if traced_base {
                lineage::begin(&mut base, &DeviceId::new("origin").unwrap());
                for _ in 0..base_saves {
                    let prev = base.clone();
                    lineage::save(&mut base, &prev, &DeviceId::new("origin").unwrap());
                }
            }
            // Each device writes one line: the two branches have their own devices.
            let xs = line(&base, &["xa", "xb", "xc"], &x_steps, "x");
            let ys = line(&base, &["ya", "yb", "yc"], &y_steps, "y");
            let (x, y) = (xs.last().unwrap(), ys.last().unwrap());

            // Either way round, with the stored side's own saved states as history.
            prop_assert_eq!(decide(x, Some(y), &ys), Outcome::Conflict);
            prop_assert_eq!(decide(y, Some(x), &xs), Outcome::Conflict);

            // Merged in either order: the first is kept, the other stands as a conflict.
            let (first, second) = if x_first { (x, y) } else { (y, x) };
            let (none, no_history) = (HashMap::new(), HashMap::new());
            let mut m = Merger::new(&none, &no_history);
            prop_assert_eq!(m.offer("1.json", first.clone()), Outcome::Add);
            prop_assert_eq!(m.offer("2.json", second.clone()), Outcome::Conflict);
            let p = m.finish();
            prop_assert_eq!(p.latest(), vec![first]);
            prop_assert_eq!(p.conflicts.len(), 1);
            prop_assert_eq!(&p.conflicts[0].incoming, second);
            prop_assert_eq!(&p.conflicts[0].local, first);

            // The resolution, on any device, descends from both: it updates either, and
            // either meets it as an older state.
            let devices = ["xa", "xb", "xc", "ya", "yb", "yc", "office"];
            let device = DeviceId::new(devices[resolver]).unwrap();
            for (chosen, other) in [(x, y), (y, x)] {
                let r = lineage::resolve(chosen, other, &device);
                prop_assert!(r.revision > x.revision.max(y.revision));
                prop_assert_eq!(&r.phone, &chosen.phone);
                for side in [x, y] {
                    prop_assert_eq!(decide(&r, Some(side), &[]), Outcome::Update);
                    prop_assert_eq!(decide(side, Some(&r), &[]), Outcome::Stale);
                }
            }
        }

        /// Along one line of states, with every save counted, a later state updates an
        /// earlier one and an earlier one is stale against a later one.
        #[test]
        fn a_line_of_counted_saves_only_moves_forward(steps in prop::collection::vec(0u8..3, 1..12)) {
            let base = testkit::household().build();
            let mut states = vec![base.clone()];
            states.extend(line(&base, &["a", "b", "c"], &steps, "s"));
            for i in 1..states.len() {
                for j in 0..i {
                    prop_assert_eq!(decide(&states[i], Some(&states[j]), &[]), Outcome::Update);
                    prop_assert_eq!(decide(&states[j], Some(&states[i]), &[]), Outcome::Stale);
                }
            }
        }
    }
}
