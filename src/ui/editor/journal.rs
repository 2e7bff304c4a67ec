//! The journal of unsaved edits: what the form holds that the store does not have yet, kept
//! so that a reload, a crash, a panic or a failed save loses nothing typed (issue 13).
//!
//! **What is guaranteed.** While a record is open, every change of the form is written here
//! synchronously by the autosave's Effect, which runs in a microtask of the change's own task
//! (before the browser runs any other task, long before the debounced save), so anything typed
//! before the page died is in the journal. When a save commits
//! and the form has nothing newer, the entry is removed; otherwise it is rewritten on top of
//! the state just saved. When the record is opened again ([`super::EditorPage`]):
//! - the entry says what the stored state already says → removed, nothing to do (the save
//!   committed before the page died);
//! - the stored state is the one the entry was edited from ([`Entry::base`]), or exactly one
//!   save of this device on top of it (the entry's own save committed as the page died) → the
//!   unsaved answers are put back into the form and saved on top of the stored state
//!   (上次未保存的修改已恢复, with 放弃这些修改);
//! - the stored state is another one (another window, an import saved meanwhile) → the entry
//!   is kept and offered beside the stored state for a person (a conflict: never an overwrite).
//!
//! **Where, and why localStorage.** Records live in IndexedDB (`store`); the journal is the
//! one exception, in `localStorage` under `ruhu-journal:<record id>`, one entry per record
//! with unsaved edits (usually one: the record being edited; about the size of the record,
//! 2–10 KB; sealed with the app lock on, `store::vault::seal_text`). Because localStorage is synchronous, the entry is written before the keystroke's
//! task ends — IndexedDB's writes are asynchronous transactions that a reload or crash
//! can cut — and because it is another storage, it is the fallback when IndexedDB is what
//! failed (full, closed by the browser). Chromium keeps localStorage outside the origin's
//! IndexedDB quota. If localStorage fails too, the form still holds the edit and the editor
//! says 未保存.
//!
//! **Export.** An export of records ([`with_unsaved`]) takes each record's unsaved state from
//! the journal in place of the stored one — as the save would write it, one save on top of
//! its parent — and remembers that state as the entry's parent, so that the next save
//! descends from what was exported (two different states never carry the same lineage).
//!
//! The entry: `{"format":"ruhu.journal/1","base":<the stored state edited on>,
//! "record":<the form's record>,"parent":<an exported unsaved state>?}` (two or three records'
//! JSON: 5–20 KB, written in well under a millisecond).

use gloo_storage::{LocalStorage, Storage};
use serde_json::Value;
use uuid::Uuid;

use crate::core::lineage;
use crate::core::record::{Household, Timestamp};
use crate::store::same_state;

/// The localStorage key prefix of entries.
pub const KEY_PREFIX: &str = "ruhu-journal:";

const FORMAT: &str = "ruhu.journal/1";

/// The unsaved edits of one record.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    /// The stored state the edits were made on.
    pub base: Household,
    /// The record as the form had it.
    pub record: Household,
    /// The unsaved state last exported, which the next save must descend from.
    pub parent: Option<Household>,
}

fn key(id: Uuid) -> String {
    format!("{KEY_PREFIX}{id}")
}

/// Writes the entry of `record` (edited on `base`). A failure (localStorage full or
/// missing) is returned as a message.
pub fn write(
    base: &Household,
    record: &Household,
    parent: Option<&Household>,
) -> Result<(), String> {
    let mut text = String::with_capacity(8192);
    text.push_str("{\"format\":\"");
    text.push_str(FORMAT);
    text.push_str("\",\"base\":");
    text.push_str(&crate::core::json::to_string(base));
    text.push_str(",\"record\":");
    text.push_str(&crate::core::json::to_string(record));
    if let Some(p) = parent {
        text.push_str(",\"parent\":");
        text.push_str(&crate::core::json::to_string(p));
    }
    text.push('}');
    let key = key(record.id);
    // Sealed with the app lock on (`store::vault`): the entry is two records.
    let text = crate::store::vault::seal_text(&key, &text)
        .map_err(|e| format!("本机的临时备份无法写入：{e}"))?;
    LocalStorage::raw()
        .set_item(&key, &text)
        .map_err(|_| "本机的临时备份也无法写入（浏览器存储已满或被禁用）".to_string())
}

/// The entry of record `id`, if there is one that can be read.
pub fn read(id: Uuid) -> Option<Entry> {
    let key = key(id);
    let text = LocalStorage::raw().get_item(&key).ok()??;
    parse(&crate::store::vault::open_text(&key, &text).ok()?)
}

fn parse(text: &str) -> Option<Entry> {
    let v: Value = serde_json::from_str(text).ok()?;
    if v.get("format")?.as_str()? != FORMAT {
        return None;
    }
    let household = |v: &Value| crate::core::io::parse_household(v.to_string().as_bytes()).ok();
    let record = household(v.get("record")?)?;
    let base = household(v.get("base")?)?;
    let parent = v.get("parent").and_then(household);
    Some(Entry { base, record, parent })
}

/// Removes the entry of record `id`.
pub fn remove(id: Uuid) {
    let _ = LocalStorage::raw().remove_item(&key(id));
}

/// The ids of the records that have an entry.
pub fn ids() -> Vec<Uuid> {
    let storage = LocalStorage::raw();
    let n = storage.length().unwrap_or(0);
    (0..n)
        .filter_map(|i| storage.key(i).ok().flatten())
        .filter_map(|k| k.strip_prefix(KEY_PREFIX).and_then(|id| Uuid::parse_str(id).ok()))
        .collect()
}

/// Whether two records hold the same answers (everything but `revision`, `updated_at`,
/// `lineage` and `computed`).
pub fn same_answers(a: &Household, b: &Household) -> bool {
    let bare = |h: &Household| Household {
        revision: 0,
        updated_at: b.updated_at,
        lineage: None,
        computed: None,
        ..h.clone()
    };
    bare(a) == bare(b)
}

/// What an entry means against the stored state (see the module docs).
#[derive(Debug, Clone, PartialEq)]
pub enum Found {
    /// Nothing unsaved (the entry was removed).
    Nothing,
    /// Unsaved edits on top of the stored state: put them back.
    Restore(Entry),
    /// Unsaved edits on top of another state than the stored one: a person decides.
    Apart(Entry),
}

/// The journal's entry of `stored`'s record, against it. `device`: this device (a stored
/// state that is exactly one save of it on top of the entry's base is the entry's own save,
/// which committed while the page died: the entry's later edits go on top of it).
pub fn find(stored: &Household, device: &lineage::DeviceId) -> Found {
    let Some(entry) = read(stored.id) else { return Found::Nothing };
    if same_answers(&entry.record, stored) {
        remove(stored.id);
        return Found::Nothing;
    }
    let on = entry.parent.as_ref().unwrap_or(&entry.base);
    if same_state(&entry.base, stored) {
        Found::Restore(entry)
    } else if same_state(on, stored) || one_save_on(stored, on, device) {
        Found::Restore(Entry { base: stored.clone(), parent: None, ..entry })
    } else {
        Found::Apart(entry)
    }
}

/// Whether `stored` is one save of `device` on top of `base` (its revision and lineage are
/// what `lineage::save` makes of `base`).
fn one_save_on(stored: &Household, base: &Household, device: &lineage::DeviceId) -> bool {
    let mut probe = base.clone();
    lineage::save(&mut probe, base, device);
    probe.revision == stored.revision && probe.lineage == stored.lineage
}

/// The unsaved state of an entry as a save would write it: its record, one save of this
/// device on top of its parent (the last exported unsaved state, else its base), at `now`.
pub fn as_saved(entry: &Entry, device: &lineage::DeviceId, now: Timestamp) -> Household {
    let mut next = entry.record.clone();
    let parent = entry.parent.as_ref().unwrap_or(&entry.base);
    lineage::save(&mut next, parent, device);
    next.updated_at = now;
    next
}

/// `records` for an export, each with its unsaved state from the journal when it has one on
/// top of the stored state (see the module docs); the entries of what was exported remember
/// it as their parent.
pub fn with_unsaved(
    mut records: Vec<Household>,
    device: &lineage::DeviceId,
    now: Timestamp,
) -> Vec<Household> {
    let ids = ids();
    if ids.is_empty() {
        return records;
    }
    for r in records.iter_mut().filter(|r| ids.contains(&r.id)) {
        if let Found::Restore(entry) = find(r, device) {
            let state = as_saved(&entry, device, now);
            let _ = write(&entry.base, &entry.record, Some(&state));
            *r = state;
        }
    }
    records
}
