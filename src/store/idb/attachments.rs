//! Photos' bytes in IndexedDB (object store `attachments`, issue 15): one value per
//! attachment, `{ id, record_id, mime, bytes, blob }`, the bytes as a `Blob` (the browser keeps
//! a Blob as a file of its own, so reading the store's values does not copy every photo into
//! memory), or with the app lock on `sealed`: the vault's envelope of the bytes at place
//! `attachment/<id>` (a `Uint8Array`). Either is read; each is written as the vault's mode
//! says, and the reseal pass (`reseal`) rewrites them when the lock is turned on or off.
//!
//! A value's bytes are made (and sealed) before its write's transaction opens; a `Blob` is
//! read (`arrayBuffer()`) after the read's transaction has answered, as a transaction does not
//! stay open across other promises.

use js_sys::{Array, Object, Uint8Array};
use uuid::Uuid;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{IdbKeyRange, IdbObjectStore, IdbTransactionMode};

use super::{get, js_failed, key, request, set, IdbStore, ATTACHMENTS, BY_RECORD};
use crate::store::{vault, AttachmentStore, AttachmentTotals, StoreError, StoredBytes};

/// The vault's place of an attachment's bytes.
pub(super) fn place(id: &str) -> String {
    format!("attachment/{id}")
}

/// A `Blob` of `bytes` of type `mime`.
pub(super) fn blob(bytes: &[u8], mime: &str) -> Result<web_sys::Blob, StoreError> {
    let parts = Array::of1(&Uint8Array::from(bytes));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    web_sys::Blob::new_with_u8_array_sequence_and_options(&parts, &options).map_err(js_failed)
}

/// The stored value of one attachment, as the vault's mode says.
pub(super) fn value_of(a: &StoredBytes) -> Result<JsValue, StoreError> {
    let id = a.id.to_string();
    let v = Object::new();
    set(&v, &JsValue::from_str("id"), &JsValue::from_str(&id))?;
    set(&v, &JsValue::from_str("record_id"), &key(a.record_id))?;
    set(&v, &JsValue::from_str("mime"), &JsValue::from_str(&a.mime))?;
    set(&v, &JsValue::from_str("bytes"), &JsValue::from_f64(a.bytes.len() as f64))?;
    match vault::seal(&place(&id), &a.bytes)? {
        Some(envelope) => {
            set(&v, &JsValue::from_str("sealed"), &Uint8Array::from(envelope.as_slice()))?
        }
        None => set(&v, &JsValue::from_str("blob"), blob(&a.bytes, &a.mime)?.as_ref())?,
    }
    Ok(v.into())
}

fn text(v: &JsValue, name: &str) -> Result<String, StoreError> {
    Ok(get(v, &JsValue::from_str(name))?.as_string().unwrap_or_default())
}

fn uuid(v: &JsValue, name: &str) -> Result<Uuid, StoreError> {
    Uuid::parse_str(&text(v, name)?).map_err(|e| StoreError::corrupt("本机保存的照片", e))
}

/// The bytes of a stored value (its Blob read, or its envelope opened).
pub(super) async fn bytes_of(v: &JsValue) -> Result<Vec<u8>, StoreError> {
    let sealed = get(v, &JsValue::from_str("sealed"))?;
    if let Some(envelope) = sealed.dyn_ref::<Uint8Array>() {
        let id = text(v, "id")?;
        return Ok(vault::open(&place(&id), &envelope.to_vec())?.into_owned());
    }
    let blob: web_sys::Blob = get(v, &JsValue::from_str("blob"))?
        .dyn_into()
        .map_err(|_| StoreError::corrupt("本机保存的照片", "缺少内容"))?;
    let buffer = JsFuture::from(blob.array_buffer()).await.map_err(js_failed)?;
    Ok(Uint8Array::new(&buffer).to_vec())
}

/// Deletes every attachment of a record, in the caller's transaction.
pub(super) async fn delete_of_record(store: &IdbObjectStore, id: Uuid) -> Result<(), StoreError> {
    let index = store.index(BY_RECORD).map_err(js_failed)?;
    let range = IdbKeyRange::only(&key(id)).map_err(js_failed)?;
    let keys: Array =
        request(&index.get_all_keys_with_key(&range).map_err(js_failed)?).await?.unchecked_into();
    for k in keys.iter() {
        store.delete(&k).map_err(js_failed)?;
    }
    Ok(())
}

impl AttachmentStore for IdbStore {
    async fn put_attachments(&self, items: &[StoredBytes]) -> Result<(), StoreError> {
        if items.is_empty() {
            return Ok(());
        }
        let values = items.iter().map(value_of).collect::<Result<Vec<_>, _>>()?;
        let tx = self.tx(&[ATTACHMENTS], IdbTransactionMode::Readwrite).await?;
        let result = (|| {
            let store = tx.store(ATTACHMENTS)?;
            for v in &values {
                store.put(v).map_err(js_failed)?;
            }
            Ok(())
        })();
        tx.finish(result).await
    }

    async fn get_attachment(&self, id: Uuid) -> Result<Option<StoredBytes>, StoreError> {
        let tx = self.tx(&[ATTACHMENTS], IdbTransactionMode::Readonly).await?;
        let v = request(&tx.store(ATTACHMENTS)?.get(&key(id)).map_err(js_failed)?).await?;
        if v.is_undefined() {
            return Ok(None);
        }
        Ok(Some(StoredBytes {
            id,
            record_id: uuid(&v, "record_id")?,
            mime: text(&v, "mime")?,
            bytes: bytes_of(&v).await?,
        }))
    }

    async fn delete_attachments(&self, ids: &[Uuid]) -> Result<(), StoreError> {
        if ids.is_empty() {
            return Ok(());
        }
        let tx = self.tx(&[ATTACHMENTS], IdbTransactionMode::Readwrite).await?;
        let result = (|| {
            let store = tx.store(ATTACHMENTS)?;
            for id in ids {
                store.delete(&key(*id)).map_err(js_failed)?;
            }
            Ok(())
        })();
        tx.finish(result).await
    }

    async fn record_attachments(&self, record_id: Uuid) -> Result<Vec<(Uuid, u64)>, StoreError> {
        let tx = self.tx(&[ATTACHMENTS], IdbTransactionMode::Readonly).await?;
        let index = tx.store(ATTACHMENTS)?.index(BY_RECORD).map_err(js_failed)?;
        let range = IdbKeyRange::only(&key(record_id)).map_err(js_failed)?;
        let all: Array =
            request(&index.get_all_with_key(&range).map_err(js_failed)?).await?.unchecked_into();
        let mut out = all
            .iter()
            .map(|v| {
                Ok((
                    uuid(&v, "id")?,
                    get(&v, &JsValue::from_str("bytes"))?.as_f64().unwrap_or(0.0) as u64,
                ))
            })
            .collect::<Result<Vec<_>, StoreError>>()?;
        out.sort();
        Ok(out)
    }

    async fn attachment_totals(&self) -> Result<AttachmentTotals, StoreError> {
        let tx = self.tx(&[ATTACHMENTS], IdbTransactionMode::Readonly).await?;
        let all: Array =
            request(&tx.store(ATTACHMENTS)?.get_all().map_err(js_failed)?).await?.unchecked_into();
        let bytes = JsValue::from_str("bytes");
        let mut t = AttachmentTotals::default();
        for v in all.iter() {
            t.count += 1;
            t.bytes += get(&v, &bytes)?.as_f64().unwrap_or(0.0) as u64;
        }
        Ok(t)
    }
}
