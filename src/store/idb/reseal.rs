//! The pass that turning the app lock on or off makes over the database: every value about
//! people rewritten as the vault's mode says (sealed while `Sealing`, plain while `Opening`).
//!
//! **A crash cannot break it.** Each value is rewritten on its own (one `put` replaces it
//! whole), inside a transaction that read it, so that a write of another tab in between is
//! never overwritten with an older state; a plain value never begins with the envelope's
//! `MAGIC`, so a database left half done is fully readable with the key, and the pass is
//! simply run again from the start (the caller keeps a marker until it has finished:
//! `ui::lock`, which resumes it on the next unlock before the app opens). Values already as
//! they should be are skipped, so a resumed pass writes only what is left. The records are
//! done in batches of [`BATCH`] per transaction, then the history the same way, then `meta`
//! (marks and app values) in one transaction; a value holding picked files is read first and
//! written in a transaction of its own, only if it is still the same plain value.
//!
//! Then the photos (`attachments`): each value that is not as the mode says is read (its Blob,
//! or its envelope opened), made again (`sealed` or `blob`) and written in a transaction of its
//! own, only if the stored value is still of the same form and length.
//!
//! The pass does not change the store's generation: what the values say is unchanged.

use js_sys::Array;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{IdbKeyRange, IdbTransactionMode};

use super::sealed::{app_object, has_files, refit_json, refit_meta};
use super::{
    attachments, get, js_failed, request, set, IdbStore, ATTACHMENTS, GENERATION, HISTORY, META,
    RECORDS,
};
use crate::store::{vault, StoreError};

/// Values per transaction.
pub const BATCH: u32 = 250;

/// How many values a pass rewrote, and how many it read.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Resealed {
    pub read: u32,
    pub rewritten: u32,
}

/// How many stored values are plain and how many sealed (`records`' and `history`'s `json`, photos,
/// `meta`'s values but `~generation`): what a test asks after a pass.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Census {
    pub plain: u32,
    pub sealed: u32,
}

impl IdbStore {
    /// The pass (module docs): every value rewritten as [`vault::mode`] says. `progress` is
    /// told how many values were read of how many there are.
    pub async fn reseal(&self, progress: impl Fn(u32, u32)) -> Result<Resealed, StoreError> {
        self.reseal_batches(BATCH, None, progress).await
    }

    /// [`reseal`](Self::reseal) with `batch` values per transaction, stopping after
    /// `max_batches` transactions of records and history when given (tests: a pass cut
    /// midway, as by a crash).
    pub async fn reseal_batches(
        &self,
        batch: u32,
        max_batches: Option<u32>,
        progress: impl Fn(u32, u32),
    ) -> Result<Resealed, StoreError> {
        if matches!(vault::mode(), vault::Mode::Locked) {
            return Err(StoreError::failed("应用已上锁，不能转换本机数据"));
        }
        let (records, history, _) = self.value_counts().await?;
        let total = records + history;
        let mut done = Resealed::default();
        let mut batches = 0u32;
        for (name, id_field) in [(RECORDS, "id"), (HISTORY, "record_id")] {
            let mut after: Option<JsValue> = None;
            loop {
                if max_batches.is_some_and(|m| batches >= m) {
                    return Ok(done);
                }
                batches += 1;
                let tx = self.tx(&[name], IdbTransactionMode::Readwrite).await?;
                let store = tx.store(name)?;
                let range: JsValue = match &after {
                    Some(k) => {
                        IdbKeyRange::lower_bound_with_open(k, true).map_err(js_failed)?.into()
                    }
                    None => JsValue::NULL,
                };
                let keys = request(
                    &store.get_all_keys_with_key_and_limit(&range, batch).map_err(js_failed)?,
                );
                let values =
                    request(&store.get_all_with_key_and_limit(&range, batch).map_err(js_failed)?);
                let (keys, values): (Array, Array) =
                    (keys.await?.unchecked_into(), values.await?.unchecked_into());
                if keys.length() == 0 {
                    tx.finish(Ok(())).await?;
                    break;
                }
                let result: Result<(), StoreError> = (|| {
                    let (json_name, id_name) =
                        (JsValue::from_str("json"), JsValue::from_str(id_field));
                    for (k, v) in keys.iter().zip(values.iter()) {
                        let id = get(&v, &id_name)?.as_string().unwrap_or_default();
                        if let Some(json) = refit_json(&id, &get(&v, &json_name)?)? {
                            set(v.unchecked_ref(), &json_name, &json)?;
                            let put = if name == RECORDS {
                                store.put(&v)
                            } else {
                                store.put_with_key(&v, &k)
                            };
                            put.map_err(js_failed)?;
                            done.rewritten += 1;
                        }
                        done.read += 1;
                    }
                    Ok(())
                })();
                after = Some(keys.get(keys.length() - 1));
                tx.finish(result).await?;
                progress(done.read, total);
            }
        }
        // The marks and the app values.
        let tx = self.tx(&[META], IdbTransactionMode::Readwrite).await?;
        let meta = tx.store(META)?;
        let keys = request(&meta.get_all_keys().map_err(js_failed)?);
        let values = request(&meta.get_all().map_err(js_failed)?);
        let (keys, values): (Array, Array) =
            (keys.await?.unchecked_into(), values.await?.unchecked_into());
        let mut with_files = Vec::new();
        let result: Result<(), StoreError> = (|| {
            for (k, v) in keys.iter().zip(values.iter()) {
                let key = k.as_string().unwrap_or_default();
                if key == GENERATION {
                    continue;
                }
                if vault::sealing() && has_files(&v) {
                    with_files.push((key, v));
                    continue;
                }
                if let Some(new) = refit_meta(&key, &v)? {
                    meta.put_with_key(&new, &k).map_err(js_failed)?;
                    done.rewritten += 1;
                }
            }
            Ok(())
        })();
        tx.finish(result).await?;
        // Picked files: read, then written only if the value is still the one read.
        for (key, v) in with_files {
            let new = app_object(&key, &v).await?;
            let tx = self.tx(&[META], IdbTransactionMode::Readwrite).await?;
            let meta = tx.store(META)?;
            let k = JsValue::from_str(&key);
            let now = request(&meta.get(&k).map_err(js_failed)?).await?;
            let same = has_files(&now) && same_files(&now, &v);
            let result = if same {
                done.rewritten += 1;
                meta.put_with_key(&new, &k).map(drop).map_err(js_failed)
            } else {
                Ok(())
            };
            tx.finish(result).await?;
        }
        done.rewritten += self.reseal_attachments().await?;
        Ok(done)
    }

    /// The photos' part of the pass (module docs): how many values it rewrote.
    async fn reseal_attachments(&self) -> Result<u32, StoreError> {
        let tx = self.tx(&[ATTACHMENTS], IdbTransactionMode::Readonly).await?;
        let all: Array =
            request(&tx.store(ATTACHMENTS)?.get_all().map_err(js_failed)?).await?.unchecked_into();
        let sealed_name = JsValue::from_str("sealed");
        let form = |v: &JsValue| -> Result<(bool, Option<f64>), StoreError> {
            Ok((
                !get(v, &sealed_name)?.is_undefined(),
                get(v, &JsValue::from_str("bytes"))?.as_f64(),
            ))
        };
        let mut rewritten = 0;
        for v in all.iter() {
            let (is_sealed, _) = form(&v)?;
            if is_sealed == vault::sealing() {
                continue;
            }
            let item = crate::store::StoredBytes {
                id: uuid::Uuid::parse_str(
                    &get(&v, &JsValue::from_str("id"))?.as_string().unwrap_or_default(),
                )
                .map_err(|e| StoreError::corrupt("本机保存的照片", e))?,
                record_id: uuid::Uuid::parse_str(
                    &get(&v, &JsValue::from_str("record_id"))?.as_string().unwrap_or_default(),
                )
                .map_err(|e| StoreError::corrupt("本机保存的照片", e))?,
                mime: get(&v, &JsValue::from_str("mime"))?.as_string().unwrap_or_default(),
                bytes: attachments::bytes_of(&v).await?,
            };
            let new = attachments::value_of(&item)?;
            let tx = self.tx(&[ATTACHMENTS], IdbTransactionMode::Readwrite).await?;
            let store = tx.store(ATTACHMENTS)?;
            let now = request(&store.get(&get(&v, &JsValue::from_str("id"))?).map_err(js_failed)?)
                .await?;
            let result = if !now.is_undefined() && form(&now)? == form(&v)? {
                rewritten += 1;
                store.put(&new).map(drop).map_err(js_failed)
            } else {
                Ok(())
            };
            tx.finish(result).await?;
        }
        Ok(rewritten)
    }

    /// How many of the stored values are plain and how many sealed (see [`Census`]).
    pub async fn census(&self) -> Result<Census, StoreError> {
        let tx =
            self.tx(&[RECORDS, HISTORY, META, ATTACHMENTS], IdbTransactionMode::Readonly).await?;
        let mut c = Census::default();
        let json = JsValue::from_str("json");
        for name in [RECORDS, HISTORY] {
            let all: Array =
                request(&tx.store(name)?.get_all().map_err(js_failed)?).await?.unchecked_into();
            for v in all.iter() {
                count(&mut c, &get(&v, &json)?);
            }
        }
        let meta = tx.store(META)?;
        let keys = request(&meta.get_all_keys().map_err(js_failed)?);
        let values = request(&meta.get_all().map_err(js_failed)?);
        let (keys, values): (Array, Array) =
            (keys.await?.unchecked_into(), values.await?.unchecked_into());
        for (k, v) in keys.iter().zip(values.iter()) {
            if k.as_string().as_deref() != Some(GENERATION) {
                count(&mut c, &v);
            }
        }
        // Photos: `sealed` or a plain `blob`.
        let all: Array =
            request(&tx.store(ATTACHMENTS)?.get_all().map_err(js_failed)?).await?.unchecked_into();
        for v in all.iter() {
            count(&mut c, &get(&v, &JsValue::from_str("sealed"))?);
        }
        Ok(c)
    }
}

fn count(c: &mut Census, v: &JsValue) {
    let sealed = v.dyn_ref::<js_sys::Uint8Array>().is_some_and(|a| {
        let mut head = [0u8; 4];
        a.length() >= 4 && {
            a.subarray(0, 4).copy_to(&mut head);
            vault::is_sealed(&head)
        }
    });
    if sealed {
        c.sealed += 1;
    } else {
        c.plain += 1;
    }
}

/// Whether two values hold the same files (by name, size and date; the picked files of one
/// stash).
fn same_files(a: &JsValue, b: &JsValue) -> bool {
    let list = |v: &JsValue| -> Vec<(String, f64, f64)> {
        let items: Array =
            if v.is_instance_of::<Array>() { v.clone().unchecked_into() } else { Array::of1(v) };
        items
            .iter()
            .filter_map(|f| f.dyn_into::<web_sys::File>().ok())
            .map(|f| (f.name(), f.size(), f.last_modified()))
            .collect()
    };
    list(a) == list(b)
}
