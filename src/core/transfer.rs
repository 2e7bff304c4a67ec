//! Moving records between phones (issue 4): the import plan, conflict resolution, restoring
//! a saved state, and the export mark's meaning. Plain Rust: the web app runs it on what it
//! read from files and from its store; `cargo test` checks it natively.
//!
//! Import, in order:
//! 1. every file is read as the core reads it ([`io::read_bytes`]);
//!    a file that cannot be read is refused as a whole, with its name and the reason, and
//!    contributes nothing — so is a file with an attachment whose bytes are not base64 or do
//!    not match their `sha256` ([`io::verify_attachments`]); then [`take_photos`] takes the
//!    photos' bytes out of the records (stored beside them, as Blobs);
//! 2. [`history_needed`] names the stored records whose saved states are needed to tell a
//!    stale copy from a conflict (only where a side has no lineage that accounts for it:
//!    [`merge`]'s rows 15–16);
//! 3. [`plan`] decides every incoming record with [`merge::decide`] against what is stored
//!    (and what this import already decided), giving the records to write — all of them in
//!    one store transaction — the conflicts for a person, the refused records and the tally;
//! 4. a conflict is resolved by [`take_incoming`] (written: a new state descending from both)
//!    or by [`keep_local`] (written the same way, with our content), on the device of the
//!    person who chose.
//!
//! [`Merger`] is the same decisions one record at a time in the order given, for callers that
//! choose the order (`ruhu merge`: the files in the order named); [`plan`] is a [`Merger`] over
//! the records sorted by `id` and `revision`, so that several states of one record in the
//! files are written oldest first and all become saved states.
//!
//! Conflicts are never dropped: a later incoming record supersedes a conflict only when it
//! descends from the conflict's incoming state (it holds everything that one held), written
//! (an update) or as a conflict of its own. Two incoming states edited apart from each other
//! and from ours are two conflicts.

use std::collections::HashMap;

use chrono::{DateTime, FixedOffset};
use uuid::Uuid;

use super::io::{self, ReadError};
use super::lineage::{self, DeviceId};
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

/// One record that was not imported ([`Outcome::Refused`]), and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefusedRecord {
    /// The file it came from.
    pub file: String,
    pub id: Uuid,
    pub why: merge::Refusal,
}

impl RefusedRecord {
    /// The reason in Chinese ([`merge::Refusal::message`]).
    pub fn reason(&self) -> String {
        self.why.message()
    }

    /// As a refused file line of the import report: `批量.json：记录 0000…0001：…`.
    pub fn as_refused(&self) -> Refused {
        Refused {
            name: self.file.clone(), reason: format!("记录 {}：{}", self.id, self.reason())
        }
    }
}

/// An incoming record that a person must decide on: ours and theirs were edited apart (or
/// cannot be told apart), so neither simply wins. Both states are here; nothing is written
/// for them until a person chooses ([`take_incoming`], [`keep_local`]).
#[derive(Debug, Clone, PartialEq)]
pub struct Conflict {
    /// The file the incoming state came from.
    pub file: String,
    /// What this phone has (stored, or written earlier in the same import: then
    /// [`local_file`](Self::local_file) names the file).
    pub local: Household,
    pub incoming: Household,
    /// The fields that differ, for the side-by-side view.
    pub differences: Vec<Difference>,
    /// Where `local` came from when this import wrote it (`None`: it is the stored record).
    pub local_file: Option<String>,
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
    /// Records refused one by one (a crafted or broken record in a readable file).
    pub refused_records: Vec<RefusedRecord>,
    /// `新增 N · 更新 N · 冲突 N · 无效 N`: records for the first three, refused files and
    /// refused records for 无效.
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

    /// The refused files, then the refused records as lines of the same kind
    /// ([`RefusedRecord::as_refused`]): everything the import report lists as not imported.
    pub fn all_refused(&self) -> Vec<Refused> {
        let records = self.refused_records.iter().map(RefusedRecord::as_refused);
        self.refused.iter().cloned().chain(records).collect()
    }

    /// The last state written for each record, in the order the records were first written:
    /// one state per record (what `ruhu merge` writes out).
    pub fn latest(&self) -> Vec<&Household> {
        let mut last: HashMap<Uuid, usize> = HashMap::new();
        for (i, w) in self.writes.iter().enumerate() {
            last.insert(w.id, i);
        }
        let mut out = Vec::with_capacity(last.len());
        for w in &self.writes {
            if let Some(i) = last.remove(&w.id) {
                out.push(&self.writes[i]);
            }
        }
        out
    }
}

/// The incoming records that are exact copies of stored records, taken out of the files
/// before [`plan`]: `same[i]` says whether the `i`-th record of the readable files (in file
/// order) is stored exactly as it is (`RecordStore::compare` found it so). Gives them by id
/// — what is stored under that id, for [`plan`]'s `stored` — and how many were taken.
///
/// Such a record is 未变 whatever else the files hold: a record of its id that [`plan`] takes
/// before it is written only when it descends from the stored record, which this one is, so
/// this one then meets a descendant of itself (`Stale`), or else the stored record itself
/// (`Unchanged`); and a record that changes nothing changes nothing for the records after
/// it. Leaving it out changes nothing else, so [`plan`] of the rest with
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

/// The photos' bytes taken out of the records read from files ([`take_photos`]).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TakenPhotos {
    /// Each photo's bytes by attachment id (checked against its `sha256` on reading).
    pub bytes: HashMap<Uuid, Vec<u8>>,
    /// For every record of the readable files, in order (as [`take_same`]'s flags): whether
    /// a photo was taken out of it, so its text in the file is not what is stored (the page
    /// must not store it "as read").
    pub changed: Vec<bool>,
}

/// Takes the photos' bytes out of every record read from files (issue 15,
/// [`crate::evidence::take_photo_bytes`]): each photo's `data` is emptied, as the store keeps
/// it, so that [`plan`] compares the records as stored (a record exported with its photos
/// and imported again is 未变), and the bytes come back to be stored beside the records.
/// Call it right after reading, before [`take_same`] and [`plan`].
pub fn take_photos(files: &mut [IncomingFile]) -> TakenPhotos {
    let mut out = TakenPhotos::default();
    for file in files {
        let Ok(records) = &mut file.result else { continue };
        for h in records {
            let taken = crate::evidence::take_photo_bytes(h);
            out.changed.push(!taken.is_empty());
            out.bytes.extend(taken);
        }
    }
    out
}

/// The ids of stored records whose saved states [`plan`] needs: those met by an incoming
/// record that differs from them where one of the two has no lineage accounting for it (then
/// a copy of one of our own states is stale, anything else a conflict: [`merge`]'s rows
/// 15–16). Each id once, in first-seen order.
pub fn history_needed(files: &[IncomingFile], stored: &HashMap<Uuid, Household>) -> Vec<Uuid> {
    let mut out = Vec::new();
    for file in files {
        let Ok(records) = &file.result else { continue };
        for r in records {
            let needed = stored.get(&r.id).is_some_and(|s| {
                (lineage::traced(r).is_none() || lineage::traced(s).is_none()) && s != r
            });
            if needed && !out.contains(&r.id) {
                out.push(r.id);
            }
        }
    }
    out
}

/// Decides every record of the readable files against `stored` (id → record) and the
/// stored records' saved states (`history`, id → states, any order; only the ids of
/// [`history_needed`] matter): a [`Merger`] over the records in `id`, then `revision` order.
///
/// Records of one id are taken in revision order, so two states of one record in the files (a
/// later export of the same phone) add the older and update to the newer, and both become
/// saved states. (Along a lineage the revision only grows, so an ancestor always comes first.)
pub fn plan(
    files: Vec<IncomingFile>,
    stored: &HashMap<Uuid, Household>,
    history: &HashMap<Uuid, Vec<Household>>,
) -> Plan {
    let mut refused = Vec::new();
    let mut records_read = 0;
    let mut incoming: Vec<(String, Household)> = Vec::new();
    for file in files {
        match file.result {
            Ok(records) => {
                records_read += records.len();
                incoming.extend(records.into_iter().map(|r| (file.name.clone(), r)));
            }
            Err(e) => refused.push(Refused { name: file.name, reason: e.to_string() }),
        }
    }
    // Stable: records of one id keep their file order among equal revisions.
    incoming.sort_by_key(|(_, r)| (r.id, r.revision));
    let mut m = Merger::new(stored, history);
    for (file, record) in incoming {
        m.offer(&file, record);
    }
    let mut out = m.finish();
    out.tally.invalid += refused.len();
    out.refused = refused;
    out.records_read = records_read;
    out
}

/// The import's decisions one record at a time, in the order given ([`merge::decide`] against
/// what is stored and what it already decided). [`Merger::finish`] gives the [`Plan`].
#[derive(Debug)]
pub struct Merger<'a> {
    stored: &'a HashMap<Uuid, Household>,
    history: &'a HashMap<Uuid, Vec<Household>>,
    /// Per id: the index of its current state in `plan.writes` and the file it came from.
    current: HashMap<Uuid, (usize, String)>,
    /// Per id: every state this merge wrote (indices into `plan.writes`).
    written: HashMap<Uuid, Vec<usize>>,
    /// Per id: its conflicts that still stand (indices into `plan.conflicts`).
    open: HashMap<Uuid, Vec<usize>>,
    superseded: Vec<usize>,
    plan: Plan,
}

/// Whether `later` holds everything `earlier` held: `decide(earlier, later)` finds `earlier`
/// an older state of `later` or the same. A conflict kept for a person (its incoming state)
/// is settled once the stored record holds it ([`settled`]).
pub fn holds(later: &Household, earlier: &Household) -> bool {
    let no_history: [&Household; 0] = [];
    matches!(merge::decide(earlier, Some(later), no_history), Outcome::Stale | Outcome::Unchanged)
}

impl<'a> Merger<'a> {
    /// A merge into `stored` (id → record) with the stored records' saved states (`history`).
    pub fn new(
        stored: &'a HashMap<Uuid, Household>,
        history: &'a HashMap<Uuid, Vec<Household>>,
    ) -> Merger<'a> {
        Merger {
            stored,
            history,
            current: HashMap::new(),
            written: HashMap::new(),
            open: HashMap::new(),
            superseded: Vec::new(),
            plan: Plan::default(),
        }
    }

    /// The record's current state: the last one this merge wrote, else the stored one.
    pub fn current(&self, id: Uuid) -> Option<&Household> {
        self.current.get(&id).map(|(i, _)| &self.plan.writes[*i]).or_else(|| self.stored.get(&id))
    }

    /// Decides one incoming record from `file` and does it: written (added, updated), nothing
    /// (unchanged, stale), a conflict (both states kept), or refused. Counts it.
    pub fn offer(&mut self, file: &str, record: Household) -> Outcome {
        let id = record.id;
        let outcome = {
            let local = self.current(id);
            let writes = &self.plan.writes;
            let states = self
                .history
                .get(&id)
                .into_iter()
                .flatten()
                .chain(self.written.get(&id).into_iter().flatten().map(|&i| &writes[i]));
            merge::decide(&record, local, states)
        };
        self.plan.tally.count(outcome);
        match outcome {
            Outcome::Add | Outcome::Update => {
                // Conflicts whose incoming state this one holds are settled by it.
                if let Some(open) = self.open.get_mut(&id) {
                    let conflicts = &self.plan.conflicts;
                    let superseded = &mut self.superseded;
                    open.retain(|&c| {
                        let settled = holds(&record, &conflicts[c].incoming);
                        if settled {
                            superseded.push(c);
                        }
                        !settled
                    });
                }
                self.plan.writes.push(record);
                let i = self.plan.writes.len() - 1;
                self.current.insert(id, (i, file.to_string()));
                self.written.entry(id).or_default().push(i);
            }
            Outcome::Unchanged | Outcome::Stale => {}
            Outcome::Conflict => {
                let open = self.open.entry(id).or_default();
                let conflicts = &self.plan.conflicts;
                // An older copy of a state already in conflict: nothing new to show.
                if open.iter().any(|&c| holds(&conflicts[c].incoming, &record)) {
                    self.plan.tally.conflicts -= 1;
                    self.plan.tally.unchanged += 1;
                    return Outcome::Stale;
                }
                // A later state of one already in conflict: shown instead of it.
                let superseded = &mut self.superseded;
                open.retain(|&c| {
                    let replaced = holds(&record, &conflicts[c].incoming);
                    if replaced {
                        superseded.push(c);
                    }
                    !replaced
                });
                let (local, local_file) = match self.current.get(&id) {
                    Some((i, f)) => (self.plan.writes[*i].clone(), Some(f.clone())),
                    None => (self.stored[&id].clone(), None),
                };
                let differences = differences(&local, &record);
                self.plan.conflicts.push(Conflict {
                    file: file.to_string(),
                    local,
                    incoming: record,
                    differences,
                    local_file,
                });
                let c = self.plan.conflicts.len() - 1;
                self.open.entry(id).or_default().push(c);
            }
            Outcome::Refused(why) => {
                self.plan.refused_records.push(RefusedRecord { file: file.to_string(), id, why })
            }
        }
        outcome
    }

    /// The plan: the writes, the conflicts that stand — each shown against the record's
    /// state at the end (`local`, with its differences) — the refused records and the tally
    /// (a superseded conflict counts as 未变).
    pub fn finish(mut self) -> Plan {
        self.superseded.sort_unstable();
        self.superseded.dedup();
        for c in self.superseded.into_iter().rev() {
            self.plan.conflicts.remove(c);
            self.plan.tally.conflicts -= 1;
            self.plan.tally.unchanged += 1;
        }
        for c in &mut self.plan.conflicts {
            if let Some((i, f)) = self.current.get(&c.incoming.id) {
                let now = &self.plan.writes[*i];
                if *now != c.local {
                    c.local = now.clone();
                    c.differences = differences(&c.local, &c.incoming);
                }
                c.local_file = Some(f.clone());
            }
        }
        self.plan
    }
}

/// Resolves a conflict with the incoming record (`用导入的`), chosen on `device`: written as
/// it came — `updated_at`, status, unknown keys — except its revision, which ends above both
/// (`max(ours, theirs) + 1`), and its lineage, which descends from both
/// ([`lineage::resolve`]), so that the choice wins on every phone this record goes to next
/// and either old state meets it as an older one. `local` is what the store holds when the
/// person chooses.
pub fn take_incoming(local: &Household, incoming: &Household, device: &DeviceId) -> Household {
    lineage::resolve(incoming, local, device)
}

/// Resolves a conflict with ours (`保留本机的`), chosen on `device`: our content, as a new
/// state descending from both (as [`take_incoming`]), so that the other state meets it later
/// as an older one instead of as the same conflict again.
pub fn keep_local(local: &Household, incoming: &Household, device: &DeviceId) -> Household {
    lineage::resolve(local, incoming, device)
}

/// Whether a conflict kept for a person is settled by the record stored now: the stored
/// record holds its incoming state (a resolution, or a later state of it). A standing conflict
/// that is settled is dropped, never shown again.
pub fn settled(stored: &Household, incoming: &Household) -> bool {
    holds(stored, incoming)
}

/// Resolves a conflict field by field (`逐项选择`), chosen on `device`: our record with the
/// incoming values at `take` (paths as [`differences`] names them: `address.village`,
/// `members[2].labor`, `members[3]` for a member only one side has — members and attachments
/// are matched by `id`, so a member's field is taken into our member with that id, a member
/// only they have is added, one only we have is removed), as a new state descending from both
/// (as [`take_incoming`]). `revision` cannot be taken (the resolution's is above both).
/// An empty `take` is [`keep_local`]; every path is [`take_incoming`]'s content.
pub fn pick(
    local: &Household,
    incoming: &Household,
    take: &[&str],
    device: &DeviceId,
) -> Result<Household, String> {
    let resolved = lineage::resolve(local, incoming, device);
    if take.is_empty() {
        return Ok(resolved);
    }
    let mut ours = crate::json::to_value(local);
    let theirs = crate::json::to_value(incoming);
    for path in take {
        let steps = diff::parse_path(path).ok_or_else(|| format!("无法识别的字段路径：{path}"))?;
        if matches!(steps.first(), Some(diff::Step::Key(k)) if k == "revision" || k == "lineage") {
            continue;
        }
        diff::take_at(&mut ours, &theirs, &steps);
    }
    let mut h = crate::io::parse_household(&crate::json::to_vec(&ours))
        .map_err(|e| format!("合并后的记录无法读取：{e}"))?;
    h.revision = resolved.revision;
    h.lineage = resolved.lineage;
    h.computed = None;
    Ok(h)
}

/// Restores a saved state (`恢复此版本`) on `device`: its content becomes a new state of the
/// record on top of the current one (revision above both, lineage one more save of `device`
/// on the current one's), saved now.
pub fn restore(
    current: &Household,
    state: &Household,
    now: DateTime<FixedOffset>,
    device: &DeviceId,
) -> Household {
    let mut h = state.clone();
    h.id = current.id;
    h.updated_at = Timestamp(now);
    h.computed = None;
    lineage::save(&mut h, current, device);
    h
}

/// Where a record stands with export (the store keeps the mark beside the record). A mark is
/// only made when the file left the app: a download handed to the browser (the `<a download>`
/// clicked) or a share the system share sheet completed (`navigator.share` resolved), and the
/// label says which (已下载 / 已分享, with the time). Whether the township has it is another
/// matter: receipts (`crate::receipt`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum ExportState {
    /// Never exported from this phone.
    Never,
    /// Downloaded at this time, not changed since.
    Exported(Timestamp),
    /// Shared (the share sheet completed) at this time, not changed since.
    Shared(Timestamp),
    /// Exported at this time, saved again since (`revision` above the marked one).
    ChangedSince(Timestamp),
}

impl ExportState {
    /// The state of a record at `revision` with an export mark `(exported_at, revision)`
    /// (a download; [`via`](Self::via) for a share).
    pub fn of(revision: u64, mark: Option<(Timestamp, u64)>) -> ExportState {
        match mark {
            None => ExportState::Never,
            Some((at, marked)) if revision > marked => ExportState::ChangedSince(at),
            Some((at, _)) => ExportState::Exported(at),
        }
    }

    /// This state, the mark being a completed share when `shared`.
    pub fn via(self, shared: bool) -> ExportState {
        match self {
            ExportState::Exported(at) if shared => ExportState::Shared(at),
            other => other,
        }
    }

    /// `已下载 02-20 09:12`, `已分享 02-20 09:12`, `导出后有修改`, or empty for never.
    pub fn label(&self) -> String {
        match self {
            ExportState::Never => String::new(),
            ExportState::Exported(at) => format!("已下载 {}", at.0.format("%m-%d %H:%M")),
            ExportState::Shared(at) => format!("已分享 {}", at.0.format("%m-%d %H:%M")),
            ExportState::ChangedSince(_) => "导出后有修改".to_string(),
        }
    }

    /// For CSS and tests (`data-export`): a download and a share are both `exported`.
    pub fn code(&self) -> &'static str {
        match self {
            ExportState::Never => "never",
            ExportState::Exported(_) | ExportState::Shared(_) => "exported",
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

    fn dev(s: &str) -> DeviceId {
        DeviceId::new(s).unwrap()
    }

    /// `rec` with lineage: saved `rev` times on device `d`, all on one line of states.
    fn on(d: &str, n: u128, rev: u64, village: &str) -> Household {
        let mut h = rec(n, rev, village);
        h.lineage = Some(lineage::Lineage {
            saves: [(d.to_string(), rev)].into(),
            revision: rev,
            ..Default::default()
        });
        h
    }

    /// Records without lineage (files from before issue 13).
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
                rec(1, 6, "霍日里村"),   // higher revision, other content: conflict (issue 13)
                rec(2, 5, "额尔和村"),   // same: unchanged
                rec(3, 5, "西瓦尔图村"), // same revision, different: conflict
                rec(4, 3, "旧村"),       // lower, one of our states: stale
                rec(5, 2, "别的村"),     // lower, not ours: conflict
            ],
        )];
        // Every stored record met by a different one without lineage.
        let needed = [1, 3, 4, 5].map(Uuid::from_u128).to_vec();
        assert_eq!(history_needed(&files, &ours), needed);
        let p = plan(files, &ours, &history);
        assert_eq!(p.summary(), "新增 1 · 更新 0 · 冲突 3 · 无效 0 · 未变 2");
        let written: Vec<(u128, u64)> =
            p.writes.iter().map(|r| (r.id.as_u128(), r.revision)).collect();
        assert_eq!(written, vec![(9, 1)]);
        let conflicts: Vec<u128> = p.conflicts.iter().map(|c| c.incoming.id.as_u128()).collect();
        assert_eq!(conflicts, vec![1, 3, 5]);
        assert_eq!(p.conflicts[0].local.revision, 5, "both states are in the conflict");
        assert_eq!(p.conflicts[0].incoming.address.village, "霍日里村");
        let p = Plan { conflicts: p.conflicts[1..].to_vec(), ..p };
        assert_eq!(p.conflicts[0].local.address.village, "额尔和村");
        assert!(
            p.conflicts[0].differences.iter().any(|d| d.path == "address.village"),
            "{:?}",
            p.conflicts[0].differences
        );
        assert_eq!(p.records_read, 6);
    }

    /// The same rows with lineage (one device, `a`, saved them in order), and the rows only
    /// lineage can tell: edited apart, and refused.
    #[test]
    fn the_merge_table_with_lineage() {
        let ours = stored(&[
            on("a", 1, 5, "额尔和村"),
            on("a", 2, 5, "额尔和村"),
            on("a", 3, 5, "额尔和村"),
            on("a", 4, 5, "额尔和村"),
            on("a", 5, 5, "额尔和村"),
        ]);
        let mut apart = rec(5, 40, "别的村");
        apart.lineage = Some(lineage::Lineage {
            saves: [("a".to_string(), 2), ("b".to_string(), 38)].into(),
            revision: 40,
            ..Default::default()
        });
        let mut other_household = on("a", 2, 6, "额尔和村");
        other_household.household_id = Uuid::from_u128(999);
        let files = vec![file(
            "a.json",
            vec![
                on("a", 9, 1, "新村"),       // new id: added
                on("a", 1, 6, "霍日里村"),   // descends: update
                on("a", 3, 5, "西瓦尔图村"), // same counters, different: conflict
                on("a", 4, 3, "旧村"),       // an older state: stale (no history needed)
                apart,                       // edited apart, 40 saves: conflict
                other_household,             // same id, other household: refused
                rec(6, u64::MAX, "x"),       // a huge revision: refused
            ],
        )];
        assert!(history_needed(&files, &ours).is_empty());
        let p = plan(files, &ours, &HashMap::new());
        assert_eq!(p.summary(), "新增 1 · 更新 1 · 冲突 2 · 无效 2 · 未变 1");
        let written: Vec<(u128, u64)> =
            p.writes.iter().map(|r| (r.id.as_u128(), r.revision)).collect();
        assert_eq!(written, vec![(1, 6), (9, 1)]);
        let conflicts: Vec<u128> = p.conflicts.iter().map(|c| c.incoming.id.as_u128()).collect();
        assert_eq!(conflicts, vec![3, 5]);
        let refused: Vec<(u128, &str)> =
            p.refused_records.iter().map(|r| (r.id.as_u128(), r.why.code())).collect();
        assert_eq!(refused, vec![(2, "other-household"), (6, "revision-too-large")]);
        assert!(p.all_refused()[0].message().starts_with("a.json：记录 00000000-"));
        assert!(p.all_refused()[0].message().contains("另一户"), "{:?}", p.all_refused());
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
        // Before issue 13: 新增 1 · 更新 2 · 冲突 2 · 无效 1 · 未变 9 (4 and 6 updated by their
        // higher revisions). Without lineage, other content is a conflict.
        assert_eq!(all.summary(), "新增 1 · 更新 0 · 冲突 5 · 无效 1 · 未变 8");
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
        // Without lineage (files from before issue 13) two states of one record cannot be
        // told from two copies edited apart: a conflict, never a silent update. (Before: the
        // older was added and the newer updated it.)
        let files =
            vec![file("新.json", vec![rec(1, 3, "三")]), file("旧.json", vec![rec(1, 2, "二")])];
        let p = plan(files, &HashMap::new(), &HashMap::new());
        assert_eq!(p.writes.iter().map(|r| r.revision).collect::<Vec<_>>(), vec![2]);
        assert_eq!(p.summary(), "新增 1 · 更新 0 · 冲突 1 · 无效 0");
        assert_eq!((p.conflicts[0].local.revision, p.conflicts[0].incoming.revision), (2, 3));
        assert_eq!(p.conflicts[0].local_file.as_deref(), Some("旧.json"));

        // An exact copy of a state this import wrote is unchanged. (Before: 更新 1, 冲突 0.)
        let files = vec![
            file("a.json", vec![rec(1, 3, "三"), rec(1, 2, "二")]),
            file("b.json", vec![rec(1, 2, "二")]),
        ];
        let p = plan(files, &HashMap::new(), &HashMap::new());
        assert_eq!(p.summary(), "新增 1 · 更新 0 · 冲突 1 · 无效 0 · 未变 1");

        // Two copies edited apart from ours and from each other are two conflicts: neither is
        // dropped. (Before: the higher revision updated ours and the other was dropped.)
        let ours = stored(&[rec(1, 2, "本机")]);
        let files = vec![file("a.json", vec![rec(1, 2, "别处"), rec(1, 4, "更新")])];
        let p = plan(files, &ours, &HashMap::new());
        assert!(p.writes.is_empty());
        assert_eq!(p.summary(), "新增 0 · 更新 0 · 冲突 2 · 无效 0");
        let theirs: Vec<&str> =
            p.conflicts.iter().map(|c| c.incoming.address.village.as_str()).collect();
        assert_eq!(theirs, vec!["别处", "更新"]);
    }

    /// What the test above did before issue 13, now with lineage: states of one device's line
    /// are told apart from copies edited apart.
    #[test]
    fn several_states_of_one_record_with_lineage() {
        // Files in any order: the older is added, the newer updates it; both are states.
        let files = vec![
            file("新.json", vec![on("a", 1, 3, "三")]),
            file("旧.json", vec![on("a", 1, 2, "二")]),
        ];
        let p = plan(files, &HashMap::new(), &HashMap::new());
        assert_eq!(p.writes.iter().map(|r| r.revision).collect::<Vec<_>>(), vec![2, 3]);
        assert_eq!(p.summary(), "新增 1 · 更新 1 · 冲突 0 · 无效 0");

        // An old copy of a state this import wrote is stale, not a conflict.
        let files = vec![
            file("a.json", vec![on("a", 1, 3, "三"), on("a", 1, 2, "二")]),
            file("b.json", vec![on("a", 1, 2, "二")]),
        ];
        let p = plan(files, &HashMap::new(), &HashMap::new());
        assert_eq!(p.summary(), "新增 1 · 更新 1 · 冲突 0 · 无效 0 · 未变 1");

        // A conflict that a later state of the same edits supersedes is dropped: the later
        // state holds everything the earlier one did.
        let ours = stored(&[on("a", 1, 2, "本机")]);
        let mut elsewhere = on("b", 1, 2, "别处");
        let mut later = on("b", 1, 4, "更新");
        elsewhere.lineage.as_mut().unwrap().saves.insert("a".into(), 1);
        later.lineage.as_mut().unwrap().saves.insert("a".into(), 2);
        let p = plan(
            vec![file("a.json", vec![elsewhere.clone(), later.clone()])],
            &ours,
            &HashMap::new(),
        );
        assert!(p.conflicts.is_empty());
        assert_eq!(p.summary(), "新增 0 · 更新 1 · 冲突 0 · 无效 0 · 未变 1");
        assert_eq!(p.writes[0].address.village, "更新");

        // A later state of a conflicting copy is shown instead of it (still a conflict).
        later.lineage.as_mut().unwrap().saves.insert("a".into(), 1);
        let p = plan(vec![file("a.json", vec![elsewhere, later])], &ours, &HashMap::new());
        assert_eq!(p.summary(), "新增 0 · 更新 0 · 冲突 1 · 无效 0 · 未变 1");
        assert_eq!(p.conflicts[0].incoming.address.village, "更新");
        assert_eq!(p.conflicts[0].local_file, None, "ours is the stored record");
    }

    /// The conflicts of a merge are shown against the record's state at its end.
    #[test]
    fn a_conflict_is_shown_against_the_last_state() {
        let (none, no_history) = (HashMap::new(), HashMap::new());
        let mut m = Merger::new(&none, &no_history);
        let mut apart = on("b", 1, 2, "别处");
        apart.lineage.as_mut().unwrap().saves.insert("a".into(), 1);
        assert_eq!(m.offer("1.json", on("a", 1, 2, "二")), Outcome::Add);
        assert_eq!(m.offer("2.json", apart), Outcome::Conflict);
        assert_eq!(m.offer("3.json", on("a", 1, 3, "三")), Outcome::Update);
        assert_eq!(m.current(Uuid::from_u128(1)).unwrap().address.village, "三");
        let p = m.finish();
        assert_eq!(p.conflicts.len(), 1);
        let c = &p.conflicts[0];
        assert_eq!(
            (c.local.address.village.as_str(), c.local_file.as_deref()),
            ("三", Some("3.json"))
        );
        assert!(c.differences.iter().any(|d| d.path == "address.village" && d.local == "三"));
        assert_eq!(p.latest().iter().map(|h| h.revision).collect::<Vec<_>>(), vec![3]);
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
        let w = take_incoming(&ours, &theirs, &dev("office"));
        assert_eq!(w.revision, 8);
        assert_eq!(w.address.village, "导入");
        assert_eq!(w.updated_at, theirs.updated_at, "kept as it came");
        assert_eq!(w.extra["their_key"], serde_json::json!({"kept": true}));
        assert_eq!(take_incoming(&rec(1, 2, "a"), &rec(1, 9, "b"), &dev("office")).revision, 10);
        // Imported again later, the resolved record beats both originals.
        assert_eq!(merge::decide(&w, Some(&ours), &[]), Outcome::Update);
        assert_eq!(merge::decide(&w, Some(&theirs), &[]), Outcome::Update);
        // Before issue 13 a conflict ("ours is not one of w's states"); the resolution now
        // descends from both, so either original is an older state of it.
        assert_eq!(merge::decide(&ours, Some(&w), &[]), Outcome::Stale);
        assert_eq!(merge::decide(&theirs, Some(&w), &[]), Outcome::Stale);
        assert_eq!(merge::decide(&ours, Some(&w), std::slice::from_ref(&ours)), Outcome::Stale);

        // Keeping ours is a new state too, with our content, descending from both.
        let k = keep_local(&ours, &theirs, &dev("office"));
        assert_eq!((k.revision, k.address.village.as_str()), (8, "本机"));
        assert_eq!(merge::decide(&theirs, Some(&k), &[]), Outcome::Stale);
        assert_eq!(merge::decide(&k, Some(&theirs), &[]), Outcome::Update);
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
        let r = restore(&current, &state, at(15), &dev("a"));
        assert_eq!((r.revision, r.address.village.as_str()), (7, "旧"));
        // A new state on top of the current one.
        assert_eq!(merge::decide(&r, Some(&current), &[]), Outcome::Update);
        let current = on("a", 1, 6, "新");
        let r = restore(&current, &on("a", 1, 2, "旧"), at(15), &dev("a"));
        let saves = &r.lineage.as_ref().unwrap().saves;
        assert_eq!((r.revision, saves["a"]), (7, 7));
        assert_eq!(r.updated_at, Timestamp(at(15)));
        assert_eq!(r.created_at, current.created_at);
    }

    #[test]
    fn export_states() {
        let t = Timestamp(at(10));
        assert_eq!(ExportState::of(3, None), ExportState::Never);
        assert_eq!(ExportState::of(3, Some((t, 3))), ExportState::Exported(t));
        assert_eq!(ExportState::of(4, Some((t, 3))), ExportState::ChangedSince(t));
        assert_eq!(ExportState::of(3, Some((t, 3))).label(), "已下载 02-20 10:00");
        assert_eq!(ExportState::of(3, Some((t, 3))).via(true).label(), "已分享 02-20 10:00");
        assert_eq!(ExportState::of(4, Some((t, 3))).via(true), ExportState::ChangedSince(t));
        assert_eq!(ExportState::of(3, Some((t, 3))).via(true).code(), "exported");
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
    fn picking_fields_from_both_sides() {
        let mut ours = on("a", 1, 3, "额尔和村");
        ours.phone = "111".into();
        ours.members.push(person(10, "敖文华", "", Relation::Head));
        ours.members.push(person(11, "本机成员", "", Relation::Son));
        let mut theirs = ours.clone();
        theirs.lineage.as_mut().unwrap().saves =
            [("a".to_string(), 2), ("b".to_string(), 1)].into();
        theirs.lineage.as_mut().unwrap().revision = 3;
        theirs.address.village = "别处村".into();
        theirs.phone = "222".into();
        theirs.members[0].name = "敖文化".into();
        theirs.members.remove(1);
        theirs.members.insert(0, person(12, "导入成员", "", Relation::Daughter));
        assert_eq!(merge::decide(&theirs, Some(&ours), &[]), Outcome::Conflict);
        let paths: Vec<String> = differences(&ours, &theirs).into_iter().map(|d| d.path).collect();
        for p in ["address.village", "phone", "members[0]", "members[1].name", "members[1]"] {
            assert!(paths.iter().any(|x| x == p), "{p} in {paths:?}");
        }
        let r =
            pick(&ours, &theirs, &["address.village", "members[1].name", "members[0]"], &dev("c"))
                .unwrap();
        assert_eq!((r.address.village.as_str(), r.phone.as_str()), ("别处村", "111"));
        let names: Vec<&str> = r.members.iter().map(|m| m.name.as_str()).collect();
        assert_eq!(names, vec!["敖文化", "本机成员", "导入成员"]);
        assert_eq!(r.revision, 4);
        // The resolution descends from both: either side met again is an older state.
        assert_eq!(merge::decide(&ours, Some(&r), &[]), Outcome::Stale);
        assert_eq!(merge::decide(&theirs, Some(&r), &[]), Outcome::Stale);
        assert!(settled(&r, &theirs) && !settled(&ours, &theirs));
        assert_eq!(merge::decide(&r, Some(&ours), &[]), Outcome::Update);
        // A member only we have, taken from theirs: removed.
        let r = pick(&ours, &theirs, &["members[1]"], &dev("c")).unwrap();
        assert_eq!(r.members.iter().map(|m| m.id.as_u128()).collect::<Vec<_>>(), vec![10]);
        // Nothing taken: ours, resolved; everything taken: theirs' content.
        let k = pick(&ours, &theirs, &[], &dev("c")).unwrap();
        assert_eq!(k, keep_local(&ours, &theirs, &dev("c")));
        let all: Vec<String> = differences(&ours, &theirs).into_iter().map(|d| d.path).collect();
        let all: Vec<&str> = all.iter().map(String::as_str).collect();
        let t = pick(&ours, &theirs, &all, &dev("c")).unwrap();
        assert_eq!(
            crate::lineage::content(&Household { revision: 0, ..t.clone() })["address"],
            crate::lineage::content(&theirs)["address"]
        );
        let mut ids: Vec<u128> = t.members.iter().map(|m| m.id.as_u128()).collect();
        ids.sort_unstable();
        assert_eq!(ids, vec![10, 12]);
        assert_eq!(t.phone, "222");
        assert!(pick(&ours, &theirs, &["members[x]"], &dev("c")).unwrap_err().contains("无法识别"));
        // revision is never taken.
        assert_eq!(pick(&ours, &theirs, &["revision"], &dev("c")).unwrap().revision, 4);
    }

    #[test]
    fn paths_parse() {
        use diff::{parse_path, Step};
        assert_eq!(
            parse_path("members[2].labor"),
            Some(vec![Step::Key("members".into()), Step::Index(2), Step::Key("labor".into())])
        );
        assert_eq!(
            parse_path("a[1][2]"),
            Some(vec![Step::Key("a".into()), Step::Index(1), Step::Index(2)])
        );
        assert_eq!(parse_path(""), None);
        assert_eq!(parse_path("a[1]x"), None);
        assert_eq!(parse_path("a[b]"), None);
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
