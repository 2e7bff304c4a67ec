//! Moving records between phones (issue 4): the import plan, conflict resolution, restoring
//! a saved state, and the export mark's meaning. Plain Rust: the web app runs it on what it
//! read from files and from its store; `cargo test` checks it natively.
//!
//! Import, in order:
//! 1. every file is read as the core reads it ([`io::read_bytes`]);
//!    a file that cannot be read is refused as a whole, with its name and the reason, and
//!    contributes nothing;
//! 2. [`history_needed`] names the stored records whose saved states are needed to tell a
//!    stale copy from a conflict (only records that came in with a lower revision);
//! 3. [`plan`] decides every incoming record with [`merge::decide`] against what is stored
//!    (and what this import already decided), giving the records to write — all of them in
//!    one store transaction — the conflicts for a person, and the tally;
//! 4. a conflict is resolved by [`take_incoming`] (written) or by keeping ours (nothing is
//!    written).

use std::collections::HashMap;

use chrono::{DateTime, FixedOffset};
use uuid::Uuid;

use super::io::{self, ReadError};
use super::merge::{self, Outcome, Tally};
use super::record::{Household, Timestamp};

pub mod diff;

pub use diff::{differences, field_label, path_covers, value_text, Difference};

/// Reads the records of a picked file: [`io::read_bytes`] (one reader for the CLI, the app
/// and the store; it checks the tags in a cheap first pass and then reads the records
/// straight from the text).
pub fn read_file(bytes: &[u8]) -> Result<Vec<Household>, ReadError> {
    io::read_bytes(bytes).map(|f| f.records)
}

/// One file picked for import, as read by the core.
#[derive(Debug, Clone)]
pub struct IncomingFile {
    /// The file's name, as the person sees it.
    pub name: String,
    /// Its records, or why it cannot be read.
    pub result: Result<Vec<Household>, ReadError>,
}

/// A file that was not imported, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refused {
    pub name: String,
    pub reason: String,
}

impl Refused {
    /// `批量.json：文件不完整：在第 3 行第 9 列意外结束…`.
    pub fn message(&self) -> String {
        format!("{}：{}", self.name, self.reason)
    }
}

/// An incoming record that a person must decide on: ours and theirs differ and neither
/// simply wins.
#[derive(Debug, Clone, PartialEq)]
pub struct Conflict {
    /// The file it came from.
    pub file: String,
    /// What this phone has (stored, or written earlier in the same import).
    pub local: Household,
    pub incoming: Household,
    /// The fields that differ, for the side-by-side view.
    pub differences: Vec<Difference>,
}

/// What an import will do.
#[derive(Debug, Clone, Default)]
pub struct Plan {
    /// New and updated records, in the order to write them (one transaction).
    pub writes: Vec<Household>,
    /// Records a person must decide on (nothing is written for them yet).
    pub conflicts: Vec<Conflict>,
    /// Files refused as a whole.
    pub refused: Vec<Refused>,
    /// `新增 N · 更新 N · 冲突 N · 无效 N`: records for the first three, refused files for 无效.
    pub tally: Tally,
    /// How many records the readable files held.
    pub records_read: usize,
}

impl Plan {
    /// Counts records [`take_same`] took out before planning: read, and 未变.
    pub fn add_unchanged(&mut self, taken: usize) {
        self.records_read += taken;
        self.tally.unchanged += taken;
    }

    /// The one-line summary (`merge::Tally::summary`).
    pub fn summary(&self) -> String {
        self.tally.summary()
    }
}

/// The incoming records that are exact copies of stored records, taken out of the files
/// before [`plan`]: `same[i]` says whether the `i`-th record of the readable files (in file
/// order) is stored exactly as it is (`RecordStore::compare` found it so). Gives them by id
/// — what is stored under that id, for [`plan`]'s `stored` — and how many were taken.
///
/// Such a record is 未变 whatever else the files hold: of the records of its id that
/// [`plan`] takes before it (lower or equal revision), none is written (a lower revision
/// never is; an equal one that differs is a conflict), so it meets the stored record, which
/// it equals. Leaving it out changes nothing else, so [`plan`] of the rest with
/// [`Plan::add_unchanged`] of the count is the plan of all (a test checks it), without
/// comparing thousands of records field by field when a file is imported again.
pub fn take_same(files: &mut [IncomingFile], same: &[bool]) -> (HashMap<Uuid, Household>, usize) {
    let mut taken = HashMap::new();
    let mut count = 0;
    let mut i = 0;
    for file in files {
        let Ok(records) = &mut file.result else { continue };
        let n = records.len();
        let flags = same.get(i..i + n).unwrap_or(&[]);
        i += n;
        if !flags.contains(&true) {
            continue;
        }
        let mut k = 0;
        records.retain_mut(|r| {
            let keep = !flags[k];
            k += 1;
            if !keep {
                count += 1;
                taken.entry(r.id).or_insert_with(|| std::mem::take(r));
            }
            keep
        });
    }
    (taken, count)
}

/// The ids of stored records whose saved states [`plan`] needs: those that came in with a
/// lower revision than ours (a copy of one of our own states is stale, anything else is a
/// conflict). Each id once, in first-seen order.
pub fn history_needed(files: &[IncomingFile], stored: &HashMap<Uuid, Household>) -> Vec<Uuid> {
    let mut out = Vec::new();
    for file in files {
        let Ok(records) = &file.result else { continue };
        for r in records {
            if stored.get(&r.id).is_some_and(|s| r.revision < s.revision) && !out.contains(&r.id) {
                out.push(r.id);
            }
        }
    }
    out
}

/// Decides every record of the readable files against `stored` (id → record) and the
/// stored records' saved states (`history`, id → states, any order; only the ids of
/// [`history_needed`] matter).
///
/// Records of one id are taken in revision order, so two revisions of one record in the
/// files (a later export of the same phone) add the older and update to the newer, and both
/// become saved states. A conflict that a higher incoming revision of the same record then
/// supersedes is dropped (counted as 未变).
pub fn plan(
    files: Vec<IncomingFile>,
    stored: &HashMap<Uuid, Household>,
    history: &HashMap<Uuid, Vec<Household>>,
) -> Plan {
    let mut out = Plan::default();
    let mut incoming: Vec<(String, Household)> = Vec::new();
    for file in files {
        match file.result {
            Ok(records) => {
                out.records_read += records.len();
                incoming.extend(records.into_iter().map(|r| (file.name.clone(), r)));
            }
            Err(e) => {
                out.tally.invalid += 1;
                out.refused.push(Refused { name: file.name, reason: e.to_string() });
            }
        }
    }
    // Stable: records of one id keep their file order among equal revisions.
    incoming.sort_by_key(|(_, r)| (r.id, r.revision));

    // What this import has decided so far, per id: the current state and the states it wrote.
    let mut current: HashMap<Uuid, usize> = HashMap::new(); // id → index into out.writes
    let mut written: HashMap<Uuid, Vec<usize>> = HashMap::new();
    let mut open_conflict: HashMap<Uuid, usize> = HashMap::new(); // id → index into out.conflicts
    let mut superseded: Vec<usize> = Vec::new();

    for (file, record) in incoming {
        let id = record.id;
        let local: Option<&Household> =
            current.get(&id).map(|&i| &out.writes[i]).or_else(|| stored.get(&id));
        // The usual case of a file imported again: the very same record (no need to compare
        // the two as JSON, as `merge::decide` does).
        let outcome = if local
            .is_some_and(|l| l.computed.is_none() && record.computed.is_none() && *l == record)
        {
            Outcome::Unchanged
        } else {
            let mut states: Vec<Household> = history.get(&id).cloned().unwrap_or_default();
            states.extend(written.get(&id).into_iter().flatten().map(|&i| out.writes[i].clone()));
            merge::decide(&record, local, &states)
        };
        out.tally.count(outcome);
        match outcome {
            Outcome::Add | Outcome::Update => {
                if let Some(c) = open_conflict.remove(&id) {
                    if out.conflicts[c].incoming.revision < record.revision {
                        superseded.push(c);
                    } else {
                        open_conflict.insert(id, c);
                    }
                }
                out.writes.push(record);
                let i = out.writes.len() - 1;
                current.insert(id, i);
                written.entry(id).or_default().push(i);
            }
            Outcome::Unchanged | Outcome::Stale => {}
            Outcome::Conflict => {
                let local = local.expect("a conflict has a local record").clone();
                let differences = differences(&local, &record);
                out.conflicts.push(Conflict { file, local, incoming: record, differences });
                if let Some(old) = open_conflict.insert(id, out.conflicts.len() - 1) {
                    // Two conflicting copies of one record: the later (higher revision) one
                    // is shown; the earlier one is superseded.
                    superseded.push(old);
                }
            }
        }
    }
    superseded.sort_unstable();
    superseded.dedup();
    for c in superseded.into_iter().rev() {
        out.conflicts.remove(c);
        out.tally.conflicts -= 1;
        out.tally.unchanged += 1;
    }
    out
}

/// Resolves a conflict with the incoming record (`用导入的`): written as it came, except its
/// revision, which ends above both (`max(ours, theirs) + 1`), so that the choice wins on every
/// phone this record goes to next. Everything else — `updated_at`, status, unknown keys — is
/// kept as it came. `local` is what the store holds when the person chooses.
pub fn take_incoming(local: &Household, incoming: &Household) -> Household {
    let mut h = incoming.clone();
    h.revision = local.revision.max(incoming.revision) + 1;
    h.computed = None;
    h
}

/// Restores a saved state (`恢复此版本`): its content becomes a new revision of the record,
/// above the current one, saved now.
pub fn restore(current: &Household, state: &Household, now: DateTime<FixedOffset>) -> Household {
    let mut h = state.clone();
    h.id = current.id;
    h.revision = current.revision.max(state.revision) + 1;
    h.updated_at = Timestamp(now);
    h.computed = None;
    h
}

/// Where a record stands with export (the store keeps the mark beside the record).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum ExportState {
    /// Never exported from this phone.
    Never,
    /// Exported at this time, not changed since.
    Exported(Timestamp),
    /// Exported at this time, saved again since (`revision` above the marked one).
    ChangedSince(Timestamp),
}

impl ExportState {
    /// The state of a record at `revision` with an export mark `(exported_at, revision)`.
    pub fn of(revision: u64, mark: Option<(Timestamp, u64)>) -> ExportState {
        match mark {
            None => ExportState::Never,
            Some((at, marked)) if revision > marked => ExportState::ChangedSince(at),
            Some((at, _)) => ExportState::Exported(at),
        }
    }

    /// `已导出 02-20 09:12`, `导出后有修改`, or empty for never.
    pub fn label(&self) -> String {
        match self {
            ExportState::Never => String::new(),
            ExportState::Exported(at) => format!("已导出 {}", at.0.format("%m-%d %H:%M")),
            ExportState::ChangedSince(_) => "导出后有修改".to_string(),
        }
    }

    /// For CSS and tests (`data-export`).
    pub fn code(&self) -> &'static str {
        match self {
            ExportState::Never => "never",
            ExportState::Exported(_) => "exported",
            ExportState::ChangedSince(_) => "changed",
        }
    }
}

/// A person listed in more than one household (by the 18-character ID), as the import
/// report names them: `敖文华（150722…1234）也登记在：额尔和村敖文华户、哈力村郭建华户`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SharedPerson {
    pub name: String,
    pub id_number: String,
    /// The households that list them (village + head), in household-id order.
    pub households: Vec<String>,
    pub household_ids: Vec<Uuid>,
}

impl SharedPerson {
    pub fn message(&self) -> String {
        format!(
            "{}（{}）同时登记在：{}",
            if self.name.is_empty() { "某成员" } else { &self.name },
            self.id_number,
            self.households.join("、")
        )
    }
}

/// The people that more than one household lists (each household's latest visit counts, as
/// for `id-number-elsewhere`), limited to those involving one of `touching` (household ids;
/// all when `None`). Sorted by ID.
pub fn shared_people<'a>(
    records: impl IntoIterator<Item = &'a Household>,
    touching: Option<&std::collections::HashSet<Uuid>>,
) -> Vec<SharedPerson> {
    let records: Vec<&Household> = records.into_iter().collect();
    let index = super::followup::people_index(records.iter().copied());
    let mut out: Vec<SharedPerson> = index
        .into_iter()
        .filter(|(_, list)| list.len() > 1)
        .filter(|(_, list)| {
            touching.is_none_or(|t| list.iter().any(|p| t.contains(&p.household_id)))
        })
        .map(|(key, mut list)| {
            list.sort_by_key(|p| p.household_id);
            let name = records
                .iter()
                .filter(|r| r.id == list[0].record_id)
                .flat_map(|r| &r.members)
                .find(|m| {
                    super::id_number::person_key(&m.id_number).as_deref() == Some(key.as_str())
                })
                .map(|m| m.name.clone())
                .unwrap_or_default();
            SharedPerson {
                name,
                id_number: key,
                households: list.iter().map(|p| p.label.clone()).collect(),
                household_ids: list.iter().map(|p| p.household_id).collect(),
            }
        })
        .collect();
    out.sort_by(|a, b| a.id_number.cmp(&b.id_number));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::followup;
    use crate::id_number;
    use crate::record::{Member, Relation};
    use crate::testkit;
    use chrono::{NaiveDate, TimeZone};

    fn at(h: u32) -> DateTime<FixedOffset> {
        FixedOffset::east_opt(8 * 3600).unwrap().with_ymd_and_hms(2023, 2, 20, h, 0, 0).unwrap()
    }

    fn rec(n: u128, rev: u64, village: &str) -> Household {
        testkit::household()
            .id(n)
            .household_id(n + 100)
            .saved(at(9))
            .revision(rev)
            .village(village)
            .build()
    }

    fn file(name: &str, records: Vec<Household>) -> IncomingFile {
        IncomingFile { name: name.into(), result: Ok(records) }
    }

    fn stored(rs: &[Household]) -> HashMap<Uuid, Household> {
        rs.iter().map(|r| (r.id, r.clone())).collect()
    }

    #[test]
    fn the_merge_table() {
        let ours = stored(&[
            rec(1, 5, "额尔和村"),
            rec(2, 5, "额尔和村"),
            rec(3, 5, "额尔和村"),
            rec(4, 5, "额尔和村"),
            rec(5, 5, "额尔和村"),
        ]);
        let history: HashMap<Uuid, Vec<Household>> =
            [(Uuid::from_u128(4), vec![rec(4, 3, "旧村"), rec(4, 5, "额尔和村")])].into();
        let files = vec![file(
            "a.json",
            vec![
                rec(9, 1, "新村"),       // new id: added
                rec(1, 6, "霍日里村"),   // higher revision: update
                rec(2, 5, "额尔和村"),   // same: unchanged
                rec(3, 5, "西瓦尔图村"), // same revision, different: conflict
                rec(4, 3, "旧村"),       // lower, one of our states: stale
                rec(5, 2, "别的村"),     // lower, not ours: conflict
            ],
        )];
        assert_eq!(history_needed(&files, &ours), vec![Uuid::from_u128(4), Uuid::from_u128(5)]);
        let p = plan(files, &ours, &history);
        assert_eq!(p.summary(), "新增 1 · 更新 1 · 冲突 2 · 无效 0 · 未变 2");
        let written: Vec<(u128, u64)> =
            p.writes.iter().map(|r| (r.id.as_u128(), r.revision)).collect();
        assert_eq!(written, vec![(1, 6), (9, 1)]);
        let conflicts: Vec<u128> = p.conflicts.iter().map(|c| c.incoming.id.as_u128()).collect();
        assert_eq!(conflicts, vec![3, 5]);
        assert_eq!(p.conflicts[0].local.address.village, "额尔和村");
        assert!(
            p.conflicts[0].differences.iter().any(|d| d.path == "address.village"),
            "{:?}",
            p.conflicts[0].differences
        );
        assert_eq!(p.records_read, 6);
    }

    #[test]
    fn taking_exact_copies_out_first_plans_the_same() {
        let ours_list = [
            rec(1, 5, "一"),
            rec(2, 5, "二"),
            rec(3, 5, "三"),
            rec(4, 5, "四"),
            rec(5, 5, "五"),
            rec(6, 5, "六"),
        ];
        let ours = stored(&ours_list);
        let history: HashMap<Uuid, Vec<Household>> =
            [(Uuid::from_u128(2), vec![rec(2, 3, "旧"), rec(2, 5, "二")])].into();
        let bad = crate::io::read_records("[").unwrap_err();
        let files = || {
            vec![
                file(
                    "a.json",
                    vec![
                        rec(1, 5, "一"),
                        rec(2, 3, "旧"),
                        rec(3, 5, "别的"),
                        rec(9, 1, "新"),
                        rec(4, 5, "四"),
                    ],
                ),
                IncomingFile { name: "坏.json".into(), result: Err(bad.clone()) },
                file(
                    "b.json",
                    vec![
                        rec(2, 5, "二"),
                        rec(3, 5, "三"),
                        rec(4, 6, "四改"),
                        rec(5, 4, "不是我们的"),
                        rec(5, 5, "五"),
                    ],
                ),
                file(
                    "c.json",
                    vec![rec(1, 5, "一"), rec(6, 5, "六"), rec(6, 6, "六改"), rec(6, 5, "六又改")],
                ),
            ]
        };
        // What compare says: stored exactly as it is.
        let same: Vec<bool> = files()
            .iter()
            .filter_map(|f| f.result.as_ref().ok())
            .flatten()
            .map(|r| ours.get(&r.id) == Some(r))
            .collect();
        assert_eq!(same.iter().filter(|&&s| s).count(), 7);
        let all = plan(files(), &ours, &history);
        let mut rest = files();
        let (taken, count) = take_same(&mut rest, &same);
        assert_eq!(count, 7);
        assert!(taken.iter().all(|(id, r)| ours[id] == *r));
        // `stored` as the import builds it: the stored records that differ, and those taken.
        let mut stored_then: HashMap<Uuid, Household> = ours
            .iter()
            .filter(|(id, _)| !taken.contains_key(*id))
            .map(|(k, v)| (*k, v.clone()))
            .collect();
        stored_then.extend(taken);
        let needed = history_needed(&rest, &stored_then);
        assert_eq!(
            needed,
            history_needed(&files(), &ours)
                .into_iter()
                .filter(|id| needed.contains(id))
                .collect::<Vec<_>>()
        );
        let mut p = plan(rest, &stored_then, &history);
        p.add_unchanged(count);
        assert_eq!(p.writes, all.writes);
        assert_eq!(p.conflicts, all.conflicts);
        assert_eq!(p.refused, all.refused);
        assert_eq!(p.records_read, all.records_read);
        assert_eq!(p.summary(), all.summary());
        assert_eq!(all.summary(), "新增 1 · 更新 2 · 冲突 2 · 无效 1 · 未变 9");
    }

    #[test]
    fn a_bad_file_is_refused_whole_and_counted() {
        let bad =
            crate::io::read_records("{\"format\": \"ruhu.household/1\", \"id\": ").unwrap_err();
        let files = vec![
            IncomingFile { name: "坏.json".into(), result: Err(bad) },
            file("好.json", vec![rec(1, 1, "x")]),
        ];
        let p = plan(files, &HashMap::new(), &HashMap::new());
        assert_eq!(p.summary(), "新增 1 · 更新 0 · 冲突 0 · 无效 1");
        assert_eq!(p.refused.len(), 1);
        assert!(
            p.refused[0].message().starts_with("坏.json：文件不完整"),
            "{}",
            p.refused[0].message()
        );
    }

    #[test]
    fn several_revisions_of_one_record_in_the_files() {
        // Files in any order: the older is added, the newer updates it; both are states.
        let files =
            vec![file("新.json", vec![rec(1, 3, "三")]), file("旧.json", vec![rec(1, 2, "二")])];
        let p = plan(files, &HashMap::new(), &HashMap::new());
        assert_eq!(p.writes.iter().map(|r| r.revision).collect::<Vec<_>>(), vec![2, 3]);
        assert_eq!(p.summary(), "新增 1 · 更新 1 · 冲突 0 · 无效 0");

        // An old copy of a state this import wrote is stale, not a conflict.
        let files = vec![
            file("a.json", vec![rec(1, 3, "三"), rec(1, 2, "二")]),
            file("b.json", vec![rec(1, 2, "二")]),
        ];
        let p = plan(files, &HashMap::new(), &HashMap::new());
        assert_eq!(p.summary(), "新增 1 · 更新 1 · 冲突 0 · 无效 0 · 未变 1");

        // A conflict that a higher revision of the same record supersedes is dropped.
        let ours = stored(&[rec(1, 2, "本机")]);
        let files = vec![file("a.json", vec![rec(1, 2, "别处"), rec(1, 4, "更新")])];
        let p = plan(files, &ours, &HashMap::new());
        assert!(p.conflicts.is_empty());
        assert_eq!(p.summary(), "新增 0 · 更新 1 · 冲突 0 · 无效 0 · 未变 1");
        assert_eq!(p.writes[0].address.village, "更新");
    }

    #[test]
    fn the_same_file_twice_is_unchanged() {
        let files = || vec![file("a.json", vec![rec(1, 1, "x"), rec(2, 4, "y")])];
        let first = plan(files(), &HashMap::new(), &HashMap::new());
        let now = stored(&first.writes);
        let again = plan(files(), &now, &HashMap::new());
        assert!(again.writes.is_empty() && again.conflicts.is_empty());
        assert_eq!(again.summary(), "新增 0 · 更新 0 · 冲突 0 · 无效 0 · 未变 2");
    }

    #[test]
    fn computed_is_not_a_difference() {
        let mut theirs = rec(1, 5, "x");
        theirs.computed = Some(serde_json::json!({"total_income": "1.00"}));
        let p = plan(vec![file("a", vec![theirs])], &stored(&[rec(1, 5, "x")]), &HashMap::new());
        assert_eq!(p.tally.unchanged, 1);
    }

    #[test]
    fn taking_the_incoming_one_ends_above_both() {
        let ours = rec(1, 7, "本机");
        let mut theirs = rec(1, 5, "导入");
        theirs.updated_at = Timestamp(at(11));
        theirs.extra.insert("their_key".into(), serde_json::json!({"kept": true}));
        let w = take_incoming(&ours, &theirs);
        assert_eq!(w.revision, 8);
        assert_eq!(w.address.village, "导入");
        assert_eq!(w.updated_at, theirs.updated_at, "kept as it came");
        assert_eq!(w.extra["their_key"], serde_json::json!({"kept": true}));
        assert_eq!(take_incoming(&rec(1, 2, "a"), &rec(1, 9, "b")).revision, 10);
        // Imported again later, the resolved record beats both originals.
        assert_eq!(merge::decide(&w, Some(&ours), &[]), Outcome::Update);
        assert_eq!(
            merge::decide(&ours, Some(&w), &[]),
            Outcome::Conflict,
            "ours is not one of w's states"
        );
        assert_eq!(merge::decide(&ours, Some(&w), std::slice::from_ref(&ours)), Outcome::Stale);
    }

    #[test]
    fn reads_the_apps_files_and_odd_ones() {
        let records = crate::sample::households(120, 4, 9);
        let text = io::write_batch(
            &records,
            &crate::policy::Policy::shipped(2023),
            at(9),
            crate::sample::today(),
        );
        assert_eq!(read_file(text.as_bytes()).unwrap(), records);
        assert_eq!(
            read_file(format!("\u{feff}{text}").as_bytes()).unwrap(),
            records,
            "a BOM is fine"
        );
        assert!(read_file(&text.as_bytes()[..text.len() / 2])
            .unwrap_err()
            .message
            .contains("不完整"));
        assert_eq!(
            read_file(io::write_record(&records[0]).as_bytes()).unwrap(),
            vec![records[0].clone()]
        );

        // Untagged records, other versions, duplicate keys, unknown keys.
        let one = io::write_record(&records[1]);
        let untagged = one.replacen("\"format\": \"ruhu.household/1\",", "", 1);
        let read =
            read_file(format!(r#"{{"format":"ruhu.export/1","records":[{untagged}]}}"#).as_bytes())
                .unwrap();
        assert_eq!(read, vec![records[1].clone()]);
        assert_eq!(
            read_file(format!(r#"{{"format":"ruhu.export/1.2","records":[{one}]}}"#).as_bytes())
                .unwrap()
                .len(),
            1
        );
        assert_eq!(
            read_file(one.replace("ruhu.household/1", "ruhu.household/1.3").as_bytes())
                .unwrap()
                .len(),
            1
        );
        let e =
            read_file(one.replace("ruhu.household/1", "ruhu.household/2").as_bytes()).unwrap_err();
        assert_eq!(
            (e.path.as_str(), e.message.starts_with("不支持的格式版本")),
            ("format", true),
            "{e}"
        );
        let dup = one.replacen("\"revision\": ", "\"revision\": 7, \"revision\": ", 1);
        let e = read_file(dup.as_bytes()).unwrap_err();
        assert!(e.message.contains("出现了两次"), "{e}");
        let extra = one.replacen('{', r#"{"app_note": {"n": [1, 2.5, null]}, "#, 1);
        assert_eq!(
            read_file(extra.as_bytes()).unwrap()[0].extra["app_note"],
            serde_json::json!({"n": [1, 2.5, null]})
        );
        assert_eq!(
            read_file(r#"{"format":"ruhu.household/1","records":[]}"#.as_bytes()).unwrap_err().path,
            "id"
        );
        assert!(read_file(b"\xff\xfe{}").unwrap_err().message.contains("UTF-16"));
        assert!(read_file(b"<html>not json").unwrap_err().message.starts_with("不是 JSON 文件"));
    }

    #[test]
    fn restoring_is_a_new_revision() {
        let state = rec(1, 2, "旧");
        let current = rec(1, 6, "新");
        let r = restore(&current, &state, at(15));
        assert_eq!((r.revision, r.address.village.as_str()), (7, "旧"));
        assert_eq!(r.updated_at, Timestamp(at(15)));
        assert_eq!(r.created_at, current.created_at);
    }

    #[test]
    fn export_states() {
        let t = Timestamp(at(10));
        assert_eq!(ExportState::of(3, None), ExportState::Never);
        assert_eq!(ExportState::of(3, Some((t, 3))), ExportState::Exported(t));
        assert_eq!(ExportState::of(4, Some((t, 3))), ExportState::ChangedSince(t));
        assert_eq!(ExportState::of(3, Some((t, 3))).label(), "已导出 02-20 10:00");
        assert_eq!(ExportState::of(4, Some((t, 3))).label(), "导出后有修改");
        assert_eq!(ExportState::Never.label(), "");
    }

    fn person(n: u128, name: &str, id: &str, relation: Relation) -> Member {
        let mut m = Member::new(Uuid::from_u128(n));
        m.name = name.into();
        m.id_number = id.into();
        m.relation = Some(relation);
        m
    }

    #[test]
    fn shared_people_in_two_households() {
        let d = NaiveDate::from_ymd_opt(1970, 3, 1).unwrap();
        let id = id_number::make("150722", d, 11);
        let mut a = rec(1, 1, "额尔和村");
        a.members.push(person(10, "敖文华", &id, Relation::Head));
        let mut b = rec(2, 1, "哈力村");
        b.members.push(person(20, "郭建华", &id_number::make("150722", d, 13), Relation::Head));
        b.members.push(person(21, "敖文华", &id.to_lowercase(), Relation::Sibling));
        let c = rec(3, 1, "兴仁村");
        let all = vec![a.clone(), b.clone(), c.clone()];
        let shared = shared_people(&all, None);
        assert_eq!(shared.len(), 1);
        assert_eq!(shared[0].households, vec!["额尔和村敖文华户", "哈力村郭建华户"]);
        assert_eq!(shared[0].name, "敖文华");
        assert!(shared[0].message().contains("同时登记在：额尔和村敖文华户、哈力村郭建华户"));
        let only_c: std::collections::HashSet<Uuid> = [c.household_id].into();
        assert!(shared_people(&all, Some(&only_c)).is_empty());
        let only_b: std::collections::HashSet<Uuid> = [b.household_id].into();
        assert_eq!(shared_people(&all, Some(&only_b)).len(), 1);
        // A later visit of a that no longer lists the person: no longer shared.
        let mut later = followup::start(
            &a,
            Uuid::from_u128(50),
            at(12),
            NaiveDate::from_ymd_opt(2023, 8, 1).unwrap(),
            "",
        );
        later.members[0].id_number = id_number::make("150722", d, 15);
        assert!(shared_people(&[a, b, c, later], None).is_empty());
    }
}
