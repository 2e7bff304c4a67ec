//! An in-memory [`RecordStore`]: the same contract as IndexedDB, kept as JSON text so that
//! tests see exactly what a round trip through storage keeps, and kept the way IndexedDB
//! keeps it (a `put_all` state gets its history entry when a later write replaces it), so
//! that the shared contract tests exercise the same rules natively.

use std::collections::{BTreeMap, VecDeque};
use std::sync::{Arc, Mutex};

use uuid::Uuid;

use super::{
    check_app_key, decode, encode, same_bytes, same_state, AppValues, AppValuesRead, AsRead,
    AttachmentStore, AttachmentTotals, ExportMark, Held, Lazy, Over, RecordMeta, RecordStore,
    StoreError, StoredBytes, HISTORY_LIMIT,
};
use crate::core::record::Household;

#[derive(Default, Debug)]
struct Inner {
    records: BTreeMap<String, Stored>,
    /// Oldest first; the current state is not among them when it is `!in_history`.
    history: BTreeMap<String, VecDeque<String>>,
    meta: BTreeMap<String, String>,
    /// Changes with every write ([`RecordStore::generation`]).
    generation: u64,
    /// The app's own values ([`AppValues`]).
    app: BTreeMap<String, String>,
    /// Attachments' bytes by attachment id ([`AttachmentStore`]).
    attachments: BTreeMap<Uuid, StoredBytes>,
    /// Every write fails with this while it is set ([`MemoryStore::fail_writes`]).
    fail: Option<StoreError>,
}

/// Records in memory, lost when the page (or test) ends. Clones share the same data.
#[derive(Clone, Default, Debug)]
pub struct MemoryStore {
    inner: Arc<Mutex<Inner>>,
}

impl MemoryStore {
    pub fn new() -> Self {
        Self::default()
    }

    fn with<T>(
        &self,
        f: impl FnOnce(&mut Inner) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        let mut guard = self.inner.lock().map_err(|_| StoreError::failed("内存存储已损坏"))?;
        f(&mut guard)
    }

    /// Makes every write fail with `error` (a full disk, a closed database) until called with
    /// `None`; reads still work. For tests of what the app does when a save fails.
    pub fn fail_writes(&self, error: Option<StoreError>) {
        if let Ok(mut i) = self.inner.lock() {
            i.fail = error;
        }
    }

    /// [`with`](Self::with) for a write: the store's generation moves on (when it succeeds).
    fn write<T>(
        &self,
        f: impl FnOnce(&mut Inner) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        self.with(|i| {
            if let Some(e) = &i.fail {
                return Err(e.clone());
            }
            let out = f(i)?;
            i.generation += 1;
            Ok(out)
        })
    }
}

/// A stored record: its JSON, and whether that state has its history entry yet.
#[derive(Debug)]
struct Stored {
    json: String,
    in_history: bool,
}

/// Stores one record. `pending`: its state gets no history entry now (see `IdbStore::write`);
/// a replaced state without one gets one first.
fn put_one(inner: &mut Inner, key: String, json: String, pending: bool) {
    let history = inner.history.entry(key.clone()).or_default();
    if let Some(old) = inner.records.remove(&key) {
        if !old.in_history {
            history.push_back(old.json);
        }
    }
    if !pending {
        history.push_back(json.clone());
    }
    let keep = if pending { HISTORY_LIMIT - 1 } else { HISTORY_LIMIT };
    while history.len() > keep {
        history.pop_front();
    }
    inner.records.insert(key, Stored { json, in_history: !pending });
}

impl RecordStore for MemoryStore {
    async fn get(&self, id: Uuid) -> Result<Option<Household>, StoreError> {
        self.with(|i| i.records.get(&id.to_string()).map(|s| decode(&s.json)).transpose())
    }

    async fn put(&self, record: &Household) -> Result<(), StoreError> {
        let json = encode(record)?;
        self.write(|i| {
            put_one(i, record.id.to_string(), json, false);
            Ok(())
        })
    }

    async fn put_over(&self, record: &Household, base: &Household) -> Result<Over, StoreError> {
        let json = encode(record)?;
        let key = record.id.to_string();
        // The check and the write under one lock, as in one IndexedDB transaction.
        self.with(|i| {
            if let Some(e) = &i.fail {
                return Err(e.clone());
            }
            if let Some(stored) = i.records.get(&key) {
                let stored = decode(&stored.json)?;
                if !same_state(&stored, base) {
                    return Ok(Over::Changed(Box::new(stored)));
                }
            }
            put_one(i, key, json, false);
            i.generation += 1;
            Ok(Over::Written)
        })
    }

    async fn put_all(&self, records: &[Household]) -> Result<(), StoreError> {
        // All or nothing, like one IndexedDB transaction: encode everything first.
        let encoded = records
            .iter()
            .map(|r| Ok((r.id.to_string(), encode(r)?)))
            .collect::<Result<Vec<_>, StoreError>>()?;
        self.write(|i| {
            encoded.into_iter().for_each(|(key, json)| put_one(i, key, json, true));
            Ok(())
        })
    }

    async fn list(&self) -> Result<Vec<Household>, StoreError> {
        self.with(|i| i.records.values().map(|s| decode(&s.json)).collect())
    }

    async fn delete(&self, id: Uuid) -> Result<(), StoreError> {
        let key = id.to_string();
        self.write(|i| {
            i.records.remove(&key);
            i.history.remove(&key);
            i.meta.remove(&key);
            i.attachments.retain(|_, a| a.record_id != id);
            Ok(())
        })
    }

    async fn history(&self, id: Uuid) -> Result<Vec<Household>, StoreError> {
        self.with(|i| {
            let key = id.to_string();
            let current = i.records.get(&key).filter(|s| !s.in_history).map(|s| &s.json);
            let entries = i.history.get(&key).into_iter().flat_map(|h| h.iter().rev());
            current.into_iter().chain(entries).take(HISTORY_LIMIT).map(|j| decode(j)).collect()
        })
    }

    async fn histories(&self, ids: &[Uuid]) -> Result<Vec<Vec<Household>>, StoreError> {
        let mut out = Vec::with_capacity(ids.len());
        for id in ids {
            out.push(self.history(*id).await?);
        }
        Ok(out)
    }

    async fn compare<'a>(
        &self,
        records: &[&Household],
        as_read: impl FnOnce() -> Vec<AsRead<'a>>,
    ) -> Result<Vec<Held>, StoreError> {
        let mut as_read = Lazy::new(as_read);
        self.with(|i| {
            records
                .iter()
                .enumerate()
                .map(|(k, r)| match i.records.get(&r.id.to_string()) {
                    None => Ok(Held::Absent),
                    Some(s)
                        if same_bytes(s.json.as_bytes(), as_read.get(k), || {
                            crate::core::json::to_vec(r)
                        }) =>
                    {
                        Ok(Held::Same)
                    }
                    Some(s) => decode(&s.json).map(|h| Held::Other(Box::new(h))),
                })
                .collect()
        })
    }

    async fn get_meta(&self, id: Uuid) -> Result<Option<RecordMeta>, StoreError> {
        self.with(|i| {
            i.meta
                .get(&id.to_string())
                .map(|j| {
                    serde_json::from_str(j)
                        .map_err(|e| StoreError::corrupt(format!("记录 {id} 的标记"), e))
                })
                .transpose()
        })
    }

    async fn put_meta(&self, id: Uuid, meta: &RecordMeta) -> Result<(), StoreError> {
        let json = serde_json::to_string(meta).map_err(StoreError::failed)?;
        self.write(|i| {
            i.meta.insert(id.to_string(), json);
            Ok(())
        })
    }

    async fn put_meta_all(&self, metas: &[(Uuid, RecordMeta)]) -> Result<(), StoreError> {
        let encoded = metas
            .iter()
            .map(|(id, m)| {
                Ok((id.to_string(), serde_json::to_string(m).map_err(StoreError::failed)?))
            })
            .collect::<Result<Vec<_>, StoreError>>()?;
        self.write(|i| {
            i.meta.extend(encoded);
            Ok(())
        })
    }

    async fn list_meta(&self) -> Result<Vec<(Uuid, RecordMeta)>, StoreError> {
        self.with(|i| {
            i.meta
                .iter()
                .map(|(k, j)| {
                    let id = Uuid::parse_str(k).map_err(|e| StoreError::corrupt("标记", e))?;
                    let meta = serde_json::from_str(j)
                        .map_err(|e| StoreError::corrupt(format!("记录 {id} 的标记"), e))?;
                    Ok((id, meta))
                })
                .collect()
        })
    }

    async fn set_export_marks(&self, marks: &[(Uuid, ExportMark)]) -> Result<(), StoreError> {
        self.write(|i| {
            // All or nothing: every new value first.
            let encoded = marks
                .iter()
                .map(|(id, mark)| {
                    let key = id.to_string();
                    let mut meta: RecordMeta = match i.meta.get(&key) {
                        Some(j) => serde_json::from_str(j)
                            .map_err(|e| StoreError::corrupt(format!("记录 {id} 的标记"), e))?,
                        None => RecordMeta::default(),
                    };
                    meta.export = Some(mark.clone());
                    Ok((key, serde_json::to_string(&meta).map_err(StoreError::failed)?))
                })
                .collect::<Result<Vec<_>, StoreError>>()?;
            i.meta.extend(encoded);
            Ok(())
        })
    }

    async fn clear(&self) -> Result<(), StoreError> {
        self.write(|i| {
            let generation = i.generation;
            *i = Inner { generation, ..Inner::default() };
            Ok(())
        })
    }

    async fn generation(&self) -> Result<String, StoreError> {
        self.with(|i| Ok(i.generation.to_string()))
    }

    async fn update_meta(
        &self,
        ids: &[Uuid],
        mut change: impl FnMut(Uuid, Option<RecordMeta>) -> Option<RecordMeta>,
    ) -> Result<(), StoreError> {
        self.write(|i| {
            // All or nothing: every new value first.
            let mut out = Vec::with_capacity(ids.len());
            for id in ids {
                let key = id.to_string();
                let meta: Option<RecordMeta> = match i.meta.get(&key) {
                    Some(j) => Some(
                        serde_json::from_str(j)
                            .map_err(|e| StoreError::corrupt(format!("记录 {id} 的标记"), e))?,
                    ),
                    None => None,
                };
                let json = change(*id, meta)
                    .map(|m| serde_json::to_string(&m).map_err(StoreError::failed))
                    .transpose()?;
                out.push((key, json));
            }
            for (key, json) in out {
                match json {
                    Some(j) => i.meta.insert(key, j),
                    None => i.meta.remove(&key),
                };
            }
            Ok(())
        })
    }
}

impl AppValues for MemoryStore {
    async fn read_app_values(&self, keys: &[&str]) -> Result<AppValuesRead, StoreError> {
        self.with(|i| {
            Ok(AppValuesRead {
                records: i.records.len() as u32,
                generation: i.generation.to_string(),
                values: keys.iter().map(|k| i.app.get(*k).cloned()).collect(),
            })
        })
    }

    async fn put_app_values(&self, values: &[(&str, &str)]) -> Result<(), StoreError> {
        for (k, _) in values {
            check_app_key(k)?;
        }
        self.with(|i| {
            i.app.extend(values.iter().map(|(k, v)| (k.to_string(), v.to_string())));
            Ok(())
        })
    }
}

impl AttachmentStore for MemoryStore {
    async fn put_attachments(&self, items: &[StoredBytes]) -> Result<(), StoreError> {
        self.with(|i| {
            if let Some(e) = &i.fail {
                return Err(e.clone());
            }
            for a in items {
                i.attachments.insert(a.id, a.clone());
            }
            Ok(())
        })
    }

    async fn get_attachment(&self, id: Uuid) -> Result<Option<StoredBytes>, StoreError> {
        self.with(|i| Ok(i.attachments.get(&id).cloned()))
    }

    async fn delete_attachments(&self, ids: &[Uuid]) -> Result<(), StoreError> {
        self.with(|i| {
            if let Some(e) = &i.fail {
                return Err(e.clone());
            }
            for id in ids {
                i.attachments.remove(id);
            }
            Ok(())
        })
    }

    async fn record_attachments(&self, record_id: Uuid) -> Result<Vec<(Uuid, u64)>, StoreError> {
        self.with(|i| {
            Ok(i.attachments
                .values()
                .filter(|a| a.record_id == record_id)
                .map(|a| (a.id, a.bytes.len() as u64))
                .collect())
        })
    }

    async fn attachment_totals(&self) -> Result<AttachmentTotals, StoreError> {
        self.with(|i| {
            Ok(AttachmentTotals {
                count: i.attachments.len() as u32,
                bytes: i.attachments.values().map(|a| a.bytes.len() as u64).sum(),
            })
        })
    }
}

#[cfg(test)]
mod tests {
    use super::super::contract;
    use super::MemoryStore;

    /// Runs a future that never waits (the memory store never does).
    fn block_on<F: std::future::Future>(f: F) -> F::Output {
        let mut f = std::pin::pin!(f);
        let mut cx = std::task::Context::from_waker(std::task::Waker::noop());
        match f.as_mut().poll(&mut cx) {
            std::task::Poll::Ready(v) => v,
            std::task::Poll::Pending => panic!("the memory store never waits"),
        }
    }

    macro_rules! contract_tests {
        ($($name:ident),* $(,)?) => {$(
            #[test]
            fn $name() {
                block_on(contract::$name(&MemoryStore::new()));
            }
        )*};
    }

    contract_tests!(
        get_missing_is_none,
        put_then_get_round_trips_unknown_keys,
        put_replaces_and_list_has_each_once,
        list_returns_all_in_id_order,
        history_is_newest_first_and_pruned,
        history_is_per_record,
        put_all_writes_records_and_history,
        put_all_states_stay_in_history,
        history_limit_holds_with_imports,
        imported_then_edited_is_stale_on_reimport,
        compare_tells_same_other_absent,
        put_all_as_read_stores_the_same_records,
        histories_of_several_records,
        meta_round_trips_and_lists,
        put_meta_all_writes_every_mark,
        set_export_marks_keeps_other_marks,
        delete_removes_record_history_and_meta,
        clear_removes_everything,
        every_write_changes_the_generation,
        app_values_round_trip,
        put_over_writes_on_top_of_its_base,
        put_over_never_overwrites_another_state,
        put_over_writes_a_record_not_stored,
    );

    // Standing conflicts, receipts and marks changed in one transaction (issue 13, exchange).
    contract_tests!(
        update_meta_changes_and_removes_marks,
        conflicts_stand_until_settled,
        receipts_mark_stored_records,
    );

    // Photos' bytes beside their records (issue 15).
    contract_tests!(
        attachments_round_trip_and_replace,
        attachments_go_with_their_record,
        attachments_are_cleared,
    );

    #[test]
    fn a_failed_attachment_write_stores_nothing() {
        use super::super::{AttachmentStore, StoreError};
        let s = MemoryStore::new();
        s.fail_writes(Some(StoreError::quota()));
        let a = contract::photo(1, 1, 10);
        block_on(async {
            let e = s.put_attachments(std::slice::from_ref(&a)).await.unwrap_err();
            assert_eq!(e, StoreError::quota());
            assert_eq!(s.get_attachment(a.id).await.unwrap(), None);
        });
    }

    #[test]
    fn failed_writes_change_nothing() {
        use super::super::{RecordStore, StoreError};
        let s = MemoryStore::new();
        let h = contract::sample(1);
        block_on(async {
            s.put(&h).await.unwrap();
            let generation = s.generation().await.unwrap();
            s.fail_writes(Some(StoreError::quota()));
            let mut next = h.clone();
            next.address.village = "哈力村".into();
            next.revision = 2;
            assert_eq!(s.put_over(&next, &h).await.unwrap_err(), StoreError::quota());
            assert_eq!(s.put(&next).await.unwrap_err(), StoreError::quota());
            assert_eq!(s.get(h.id).await.unwrap(), Some(h.clone()));
            assert_eq!(s.generation().await.unwrap(), generation);
            s.fail_writes(None);
            s.put_over(&next, &h).await.unwrap();
            assert_eq!(s.get(h.id).await.unwrap(), Some(next));
        });
    }

    #[test]
    fn lists_five_thousand() {
        block_on(contract::lists_many(&MemoryStore::new(), 5000));
    }

    #[test]
    fn clones_share_data() {
        let a = MemoryStore::new();
        let b = a.clone();
        let h = contract::sample(1);
        block_on(async {
            use super::super::RecordStore;
            a.put(&h).await.unwrap();
            assert_eq!(b.get(h.id).await.unwrap(), Some(h));
        });
    }
}
