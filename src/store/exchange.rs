//! What the exchange of records keeps beside them (issue 13): **standing conflicts** and
//! **receipts**, in each record's marks ([`RecordMeta`], keys `conflicts` and `receipts`), so
//! that neither needs a new object store (no schema change) and both are deleted with the
//! record. Written through [`RecordStore::update_meta`] (one transaction, other marks kept);
//! the decisions are the core's (`core::transfer`, `core::receipt`).
//!
//! # Standing conflicts
//!
//! An import that finds a conflict (`core::merge`: edited apart) keeps the incoming state
//! here ([`keep_conflicts`]): `conflicts: [{ "file", "found_at", "record": <the incoming
//! record> }]`. The stored record stays as it is; the other state is kept until a person
//! resolves the conflict, however often the page is reloaded. A conflict stands while the
//! stored record does not hold its incoming state (`core::transfer::settled`); the
//! resolution (`core::transfer::{take_incoming, keep_local, pick}`: a new state descending
//! from both) is put and the conflicts it settles removed ([`resolve`]). Were the second step
//! lost (the page closed between the two transactions), the conflict is settled all the same
//! and never shown again ([`standing`] filters it), so the two steps need no shared
//! transaction. The same incoming state kept twice (the file imported again) is one conflict;
//! a later state of it replaces it, an older one adds nothing (as `core::transfer::Merger`).
//!
//! # Receipts
//!
//! A receipt (`ruhu.receipt/1`) imported on the surveyor's phone ([`keep_receipt`]) leaves its
//! entry for each stored record in that record's marks: `receipts: [<entry>]` (at most
//! [`MAX_RECEIPTS`], newest last; an entry already there is not added again). The home list
//! asks `core::receipt::status` of each record against them ([`receipt_status`]): 乡镇已接收,
//! 接收后有修改 or 未送达乡镇; a household stands as the least of its visits
//! ([`household_status`]: the home list's `未送达乡镇 N 户`, and the list 清除本机数据 shows
//! before it wipes the phone, `ui::settings::wipe`). Entries for records this phone does not
//! hold are not kept.

use std::collections::{HashMap, HashSet};

use serde_json::{json, Value};
use uuid::Uuid;

use super::{RecordMeta, RecordStore, StoreError};
use crate::core::receipt::{self, Receipt, Received};
use crate::core::record::{Household, Timestamp};
use crate::core::transfer;

/// The marks' key of standing conflicts.
pub const CONFLICTS: &str = "conflicts";
/// The marks' key of receipt entries.
pub const RECEIPTS: &str = "receipts";
/// The most receipt entries kept per record.
pub const MAX_RECEIPTS: usize = 8;

/// A conflict that stands: the incoming state a person has not decided on yet.
#[derive(Debug, Clone, PartialEq)]
pub struct Standing {
    /// The file it came from.
    pub file: String,
    /// When the import found it.
    pub found_at: Timestamp,
    /// The incoming state (without `computed`).
    pub incoming: Household,
}

fn corrupt(id: Uuid, e: impl std::fmt::Display) -> StoreError {
    StoreError::corrupt(format!("记录 {id} 的冲突或回执标记"), e)
}

/// The standing conflicts kept in a record's marks (settled or not).
pub fn conflicts_of(id: Uuid, meta: &RecordMeta) -> Result<Vec<Standing>, StoreError> {
    let Some(list) = meta.extra.get(CONFLICTS) else { return Ok(Vec::new()) };
    let list = list.as_array().ok_or_else(|| corrupt(id, "不是列表"))?;
    list.iter()
        .map(|c| {
            let record = c.get("record").ok_or_else(|| corrupt(id, "缺少 record"))?;
            let bytes = serde_json::to_vec(record).map_err(|e| corrupt(id, e))?;
            let incoming = crate::core::io::parse_household(&bytes).map_err(|e| corrupt(id, e))?;
            let found_at = serde_json::from_value(c.get("found_at").cloned().unwrap_or_default())
                .map_err(|e| corrupt(id, e))?;
            let file = c.get("file").and_then(Value::as_str).unwrap_or_default().to_string();
            Ok(Standing { file, found_at, incoming })
        })
        .collect()
}

fn set_conflicts(meta: &mut RecordMeta, list: &[Standing]) {
    if list.is_empty() {
        meta.extra.remove(CONFLICTS);
        return;
    }
    let values = list
        .iter()
        .map(|c| {
            json!({
                "file": c.file,
                "found_at": c.found_at,
                "record": crate::core::json::to_value(&c.incoming),
            })
        })
        .collect();
    meta.extra.insert(CONFLICTS.to_string(), Value::Array(values));
}

/// Marks that say nothing are removed rather than kept empty.
fn or_none(meta: RecordMeta) -> Option<RecordMeta> {
    (meta.export.is_some() || !meta.extra.is_empty()).then_some(meta)
}

/// Keeps the conflicts an import found (`(file, incoming state)`), in one transaction: each
/// stands until a person resolves it (module docs). The same state kept twice is one; a later
/// state of one kept replaces it; an older one adds nothing.
pub async fn keep_conflicts(
    store: &impl RecordStore,
    found: &[(String, Household)],
    found_at: Timestamp,
) -> Result<(), StoreError> {
    if found.is_empty() {
        return Ok(());
    }
    let mut by_id: HashMap<Uuid, Vec<&(String, Household)>> = HashMap::new();
    let mut ids = Vec::new();
    for f in found {
        let list = by_id.entry(f.1.id).or_default();
        if list.is_empty() {
            ids.push(f.1.id);
        }
        list.push(f);
    }
    let mut failure = None;
    store
        .update_meta(&ids, |id, meta| {
            let mut meta = meta.unwrap_or_default();
            let mut list = match conflicts_of(id, &meta) {
                Ok(l) => l,
                Err(e) => {
                    failure = Some(e);
                    return Some(meta);
                }
            };
            for (file, incoming) in by_id.get(&id).into_iter().flatten() {
                let incoming = Household { computed: None, ..incoming.clone() };
                if list.iter().any(|c| transfer::holds(&c.incoming, &incoming)) {
                    continue;
                }
                list.retain(|c| !transfer::holds(&incoming, &c.incoming));
                list.push(Standing { file: file.clone(), found_at, incoming });
            }
            set_conflicts(&mut meta, &list);
            Some(meta)
        })
        .await?;
    failure.map_or(Ok(()), Err)
}

/// The conflicts that stand in `records` (as loaded) with their marks: each with the stored
/// record it stands against, in the records' order. A conflict the stored record settles
/// (`core::transfer::settled`) is left out.
pub fn standing_in(
    records: &[Household],
    metas: &HashMap<Uuid, RecordMeta>,
) -> Vec<(Household, Standing)> {
    let mut out = Vec::new();
    for r in records {
        let Some(meta) = metas.get(&r.id) else { continue };
        if !meta.extra.contains_key(CONFLICTS) {
            continue;
        }
        for c in conflicts_of(r.id, meta).unwrap_or_default() {
            if !transfer::settled(r, &c.incoming) {
                out.push((r.clone(), c));
            }
        }
    }
    out
}

/// Every conflict that stands, read from the store (the marks, then each record concerned).
pub async fn standing(store: &impl RecordStore) -> Result<Vec<(Household, Standing)>, StoreError> {
    let mut out = Vec::new();
    for (id, meta) in store.list_meta().await? {
        if !meta.extra.contains_key(CONFLICTS) {
            continue;
        }
        let Some(stored) = store.get(id).await? else { continue };
        for c in conflicts_of(id, &meta)? {
            if !transfer::settled(&stored, &c.incoming) {
                out.push((stored.clone(), c));
            }
        }
    }
    Ok(out)
}

/// Stores a person's resolution of a conflict (a new state descending from both sides) and
/// removes the conflicts of that record it settles (module docs: two transactions, safe in
/// either order of failure).
pub async fn resolve(store: &impl RecordStore, resolution: &Household) -> Result<(), StoreError> {
    store.put(resolution).await?;
    store
        .update_meta(&[resolution.id], |id, meta| {
            let mut meta = meta?;
            let list = conflicts_of(id, &meta).ok()?;
            let left: Vec<Standing> =
                list.into_iter().filter(|c| !transfer::settled(resolution, &c.incoming)).collect();
            set_conflicts(&mut meta, &left);
            or_none(meta)
        })
        .await
}

/// The receipt entries kept in a record's marks.
pub fn receipts_of(meta: &RecordMeta) -> Vec<Received> {
    meta.extra
        .get(RECEIPTS)
        .and_then(Value::as_array)
        .map(|l| l.iter().filter_map(|e| serde_json::from_value(e.clone()).ok()).collect())
        .unwrap_or_default()
}

/// Where `record` stands with the township, by the receipts in its marks
/// (`core::receipt::status`).
pub fn receipt_status(record: &Household, meta: Option<&RecordMeta>) -> receipt::Status {
    match meta {
        Some(m) if m.extra.contains_key(RECEIPTS) => receipt::status(record, &receipts_of(m)),
        _ => receipt::Status::NotReceived,
    }
}

/// Where a household stands with the township: the least of its visits' [`receipt_status`]
/// (`visits` index into `records`, as `core::listing::Entry::visits`); one visit the township
/// has not received in its current state makes the household 未送达乡镇.
pub fn household_status(
    visits: &[usize],
    records: &[Household],
    metas: &HashMap<Uuid, RecordMeta>,
) -> receipt::Status {
    visits
        .iter()
        .map(|&i| receipt_status(&records[i], metas.get(&records[i].id)))
        .min()
        .unwrap_or(receipt::Status::NotReceived)
}

/// The households the township has not received in their current state (未送达乡镇 N 户):
/// each household of `records` (`core::visits`) whose [`household_status`] is not received.
/// The one count of it: 设置's lock and wipe sections ask here; the home list's rows carry the
/// same [`household_status`] per entry.
pub fn not_received(
    records: &[Household],
    metas: &HashMap<Uuid, RecordMeta>,
) -> std::collections::HashSet<Uuid> {
    crate::core::visits::Visits::new(records)
        .households()
        .filter(|(_, of)| household_status(of, records, metas) != receipt::Status::Received)
        .map(|(id, _)| id)
        .collect()
}

/// Keeps a receipt's entries for the records of `stored` (the ids this phone holds), in one
/// transaction; gives how many entries were for stored records.
pub async fn keep_receipt(
    store: &impl RecordStore,
    r: &Receipt,
    stored: &HashSet<Uuid>,
) -> Result<usize, StoreError> {
    let mut by_id: HashMap<Uuid, Vec<&Received>> = HashMap::new();
    let mut ids = Vec::new();
    for e in r.records.iter().filter(|e| stored.contains(&e.id)) {
        let list = by_id.entry(e.id).or_default();
        if list.is_empty() {
            ids.push(e.id);
        }
        list.push(e);
    }
    let count = by_id.values().map(Vec::len).sum();
    store
        .update_meta(&ids, |id, meta| {
            let mut meta = meta.unwrap_or_default();
            let mut list = receipts_of(&meta);
            for e in by_id.get(&id).into_iter().flatten() {
                if !list.iter().any(|k| k.sha256 == e.sha256 && k.revision == e.revision) {
                    list.push((*e).clone());
                }
            }
            let drop = list.len().saturating_sub(MAX_RECEIPTS);
            list.drain(..drop);
            let values = list.iter().filter_map(|e| serde_json::to_value(e).ok()).collect();
            meta.extra.insert(RECEIPTS.to_string(), Value::Array(values));
            Some(meta)
        })
        .await?;
    Ok(count)
}

#[cfg(all(test, feature = "testkit"))]
mod tests {
    use super::*;
    use crate::core::testkit;

    #[test]
    fn not_received_counts_households_once() {
        // Two visits of household 1 and one of household 2; no receipts: both households.
        let a = testkit::stored(1).id(1).household_id(10).build();
        let b = testkit::stored(2).id(2).household_id(10).revision(2).build();
        let c = testkit::stored(3).id(3).household_id(20).build();
        let records = vec![a, b, c];
        let unsent = not_received(&records, &HashMap::new());
        assert_eq!(unsent.len(), 2);
        assert!(unsent.contains(&Uuid::from_u128(10)) && unsent.contains(&Uuid::from_u128(20)));
        assert!(not_received(&[], &HashMap::new()).is_empty());
    }
}
