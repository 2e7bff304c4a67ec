//! Merging incoming records into a store by `id` and `revision`: nothing is overwritten
//! silently (issue 4, `household-format.md`: higher revision wins).
//!
//! | incoming vs stored                                   | outcome      |
//! |------------------------------------------------------|--------------|
//! | no stored record with this `id`                      | `Add`        |
//! | higher `revision`                                    | `Update`     |
//! | same content (ignoring `computed`)                   | `Unchanged`  |
//! | lower `revision`, equal to a state in our history    | `Stale` (kept out, nothing to do) |
//! | equal `revision`, different content                 | `Conflict`   |
//! | lower `revision`, not one of our saved states        | `Conflict` (local edits would be lost) |

use serde_json::Value;

use super::record::Household;

/// What to do with one incoming record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Add,
    Update,
    Unchanged,
    Stale,
    Conflict,
}

/// The record as compared: its JSON without `computed`.
pub fn content(h: &Household) -> Value {
    let mut v = super::json::to_value(h);
    if let Value::Object(m) = &mut v {
        m.remove("computed");
    }
    v
}

/// Whether two records say the same thing (ignoring `computed`).
pub fn same_content(a: &Household, b: &Household) -> bool {
    a.revision == b.revision && content(a) == content(b)
}

/// Decides one incoming record against the stored one (if any) and the stored record's
/// saved states (its history, any order).
pub fn decide(incoming: &Household, stored: Option<&Household>, history: &[Household]) -> Outcome {
    let Some(stored) = stored else { return Outcome::Add };
    if same_content(incoming, stored) {
        return Outcome::Unchanged;
    }
    if incoming.revision > stored.revision {
        return Outcome::Update;
    }
    if incoming.revision < stored.revision && history.iter().any(|h| same_content(h, incoming)) {
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
    pub invalid: usize,
}

impl Tally {
    pub fn count(&mut self, o: Outcome) {
        match o {
            Outcome::Add => self.added += 1,
            Outcome::Update => self.updated += 1,
            Outcome::Unchanged | Outcome::Stale => self.unchanged += 1,
            Outcome::Conflict => self.conflicts += 1,
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
    use super::*;
    use crate::testkit;

    fn rec(rev: u64, village: &str) -> Household {
        let now = testkit::at("2023-02-20T09:00:00+08:00");
        testkit::household().saved(now).revision(rev).village(village).build()
    }

    #[test]
    fn outcomes() {
        let stored = rec(5, "额尔和村");
        assert_eq!(decide(&rec(1, "x"), None, &[]), Outcome::Add);
        assert_eq!(decide(&rec(6, "霍日里村"), Some(&stored), &[]), Outcome::Update);
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

    #[test]
    fn summary_text() {
        let mut t = Tally::default();
        for o in [Outcome::Add, Outcome::Add, Outcome::Update, Outcome::Conflict] {
            t.count(o);
        }
        t.invalid = 1;
        assert_eq!(t.summary(), "新增 2 · 更新 1 · 冲突 1 · 无效 1");
    }
}
