//! Where records live on the device: one trait ([`RecordStore`]), the IndexedDB adapter the
//! app uses (wasm only, `idb`) and an in-memory one ([`memory`]: tests, and any host without
//! IndexedDB).
//!
//! Records are kept as the JSON of the core [`Household`] (`ruhu.household/1`); keys the app
//! or a newer version adds survive the round trip because the core keeps unknown keys.
//! Every saved state of a record is in its history (the last [`HISTORY_LIMIT`] states are
//! kept): [`RecordStore::put`] appends it in the same transaction; [`RecordStore::put_all`]
//! (import: many records in one transaction, all or nothing) leaves the entry to the next
//! write of that record, so that an import of thousands of records writes one value per
//! record — [`RecordStore::history`] lists such a state all the same.
//!
//! The trait (async fns, not `Send`: wasm is single-threaded): `get`, `put`, `put_all`,
//! `put_all_as_read` (an import's records with the bytes each came as, stored as they are when
//! they are this app's own output), `list` (id order), `delete` (record, history, marks),
//! `history` (newest first) and `histories` (several, one transaction), `compare` (for an
//! import: whether the store holds exactly this record, decided on the stored bytes without
//! decoding them), `get_meta` / `put_meta` / `put_meta_all` / `list_meta` /
//! `set_export_marks` ([`RecordMeta`]: the [`ExportMark`] and unknown keys kept), `clear`, and
//! `generation` (a token every write changes, in the write's own transaction). Beside the
//! records, [`AppValues`]: small texts one page leaves for another (the home list's snapshot,
//! `ui::handover`), read together with the record count and the generation; not records, so
//! they change no generation. Errors are [`StoreError`] `{ kind, message }` with a Chinese
//! message (unavailable / quota full / unreadable / failed), never a panic. [`AnyStore`]
//! (IndexedDB or memory) is the cheap `Clone + Send + Sync` handle the app keeps in its context
//! (`ui::provide_store_context`, `ui::expect_store()`).
//!
//! **Saving on top of the loaded state** ([`RecordStore::put_over`], issue 13): the editor's
//! save names the state it was edited from; the store compares it with the stored state
//! ([`same_state`]: `revision`, `updated_at` and `lineage`) inside the write's own
//! transaction and writes only when they are the same state, else returns [`Over::Changed`]
//! with the stored state and writes nothing. So a save of a stale editor (another tab or
//! window saved first, an import updated the record) never overwrites a newer state: the
//! editor keeps its state for a person to resolve. A record deleted meanwhile is written again
//! (nothing is overwritten, and nothing typed is dropped).
//!
//! Other tabs hear of every committed write of the IndexedDB store (`broadcast`, wasm only: the
//! `BroadcastChannel` `ruhu-records`), so their lists and read-only editors read it again.
//! `wipe` (wasm only) deletes every database of the origin, for 清除本机数据.
//!
//! The contract is written once, in `contract`, as async test bodies: the memory store runs
//! them natively (`cargo test -p ruhu --lib store::`), IndexedDB in Chromium
//! (`tests/store_wasm.rs`, plus reopening, pruning over 43 saves and 5,000 records listed).
//!
//! Other small things the app keeps on the device are not here: the settings (and the office's
//! quarterly report text) are small and live in `localStorage` (`ui::settings`,
//! `ui::township::report`).

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use uuid::Uuid;

use crate::core::reads::{object_reader, Plain};
use crate::core::record::{Household, Timestamp};

#[cfg(target_arch = "wasm32")]
pub mod broadcast;
#[cfg(feature = "testkit")]
pub mod contract;
pub mod exchange;
#[cfg(target_arch = "wasm32")]
pub mod idb;
pub mod memory;
pub mod vault;
#[cfg(target_arch = "wasm32")]
pub mod wipe;

#[cfg(target_arch = "wasm32")]
pub use idb::IdbStore;
pub use memory::MemoryStore;

/// How many saved states of one record the history keeps (older ones are pruned on `put`).
pub const HISTORY_LIMIT: usize = 20;

/// What kind of failure a store reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StoreErrorKind {
    /// The browser gives no IndexedDB (private mode, blocked by settings, very old browser).
    Unavailable,
    /// The device or the browser's share of it is full.
    Quota,
    /// A stored value could not be read back as a record.
    Corrupt,
    /// Anything else the storage reported.
    Failed,
}

/// A storage failure, as a value. `message` is for people (Chinese).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct StoreError {
    pub kind: StoreErrorKind,
    pub message: String,
}

impl StoreError {
    pub fn unavailable(detail: impl std::fmt::Display) -> Self {
        StoreError {
            kind: StoreErrorKind::Unavailable,
            message: format!("无法打开本机存储（IndexedDB）：{detail}。请不要使用无痕（隐私）模式，并允许本网站保存数据。"),
        }
    }
    pub fn quota() -> Self {
        StoreError {
            kind: StoreErrorKind::Quota,
            message: "本机存储空间已满，这次修改没有保存。请先导出记录，再清理手机空间。"
                .to_string(),
        }
    }
    pub fn corrupt(what: impl std::fmt::Display, detail: impl std::fmt::Display) -> Self {
        StoreError {
            kind: StoreErrorKind::Corrupt,
            message: format!("{what}的数据无法读取：{detail}"),
        }
    }
    pub fn failed(detail: impl std::fmt::Display) -> Self {
        StoreError {
            kind: StoreErrorKind::Failed, message: format!("本机存储操作失败：{detail}")
        }
    }
}

/// The export mark of a record: when it was last exported, and at which revision; `shared`
/// when the share sheet completed (else a download was handed to the browser).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExportMark {
    pub exported_at: Timestamp,
    pub revision: u64,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub shared: bool,
}

/// Small per-record marks kept beside the record (not part of the exported JSON).
/// Unknown keys are kept, so a later version can add marks without a migration (read by
/// [`object_reader!`], as the record's objects are).
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct RecordMeta {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub export: Option<ExportMark>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

object_reader!(RecordMeta { export: Plain });

/// What the store holds under a record's id, compared with that record
/// ([`RecordStore::compare`]).
#[derive(Debug, Clone, PartialEq)]
pub enum Held {
    /// No record with this id.
    Absent,
    /// Exactly this record: the same revision and the same stored JSON.
    Same,
    /// Another state of it: the stored record.
    Other(Box<Household>),
}

/// An incoming record as it was written in its file, without its `computed` member: two
/// pieces of the file's bytes (`core::io::batch_records_as_written`). Such bytes read as the
/// record itself, so when they are the stored bytes, the stored record is this record
/// ([`Held::Same`]) — found without encoding it; when they differ, nothing follows from it.
pub type AsRead<'a> = Option<[&'a [u8]; 2]>;

/// How a record as this app writes it begins (`json::to_vec` of a [`Household`]): bytes as
/// read that begin so are stored as they are by [`RecordStore::put_all_as_read`]. (Used by
/// the IndexedDB store and the contract tests only.)
#[cfg_attr(not(any(target_arch = "wasm32", feature = "testkit")), allow(dead_code))]
pub(crate) const WRITTEN_PREFIX: &[u8] = b"{\"format\":\"ruhu.household/1\",\"id\":\"";

/// Whether stored JSON bytes are the record's bytes as read (`as_read`), else its encoding.
/// `buffer` holds the stored bytes; `encoded` is called only when needed.
pub(crate) fn same_bytes(
    stored: &[u8],
    as_read: AsRead<'_>,
    encoded: impl FnOnce() -> Vec<u8>,
) -> bool {
    if let Some([a, b]) = as_read {
        if stored.len() == a.len() + b.len() && stored[..a.len()] == *a && stored[a.len()..] == *b {
            return true;
        }
    }
    stored == encoded().as_slice()
}

/// The `as_read` of [`RecordStore::compare`], asked for at the first record that needs it.
pub(crate) struct Lazy<'a, F> {
    make: Option<F>,
    list: Vec<AsRead<'a>>,
}

impl<'a, F: FnOnce() -> Vec<AsRead<'a>>> Lazy<'a, F> {
    pub(crate) fn new(make: F) -> Self {
        Lazy { make: Some(make), list: Vec::new() }
    }

    /// The bytes record `i` came as, if known.
    pub(crate) fn get(&mut self, i: usize) -> AsRead<'a> {
        if let Some(make) = self.make.take() {
            self.list = make();
        }
        self.list.get(i).copied().flatten()
    }
}

/// What [`RecordStore::put_over`] did.
#[derive(Debug, Clone, PartialEq)]
pub enum Over {
    /// Written on top of the expected state (or of no state: the record was not stored).
    Written,
    /// The store holds another state than the one expected; nothing was written. The stored
    /// state.
    Changed(Box<Household>),
}

/// Whether two records are the same saved state: the same `revision`, `updated_at` and
/// `lineage` (every save changes the three; an import that replaces a record brings another
/// lineage).
pub fn same_state(a: &Household, b: &Household) -> bool {
    a.revision == b.revision && a.updated_at == b.updated_at && a.lineage == b.lineage
}

/// The records on this device. Futures are not `Send`: wasm is single-threaded.
#[allow(async_fn_in_trait)]
pub trait RecordStore {
    /// The record with this id, if stored.
    async fn get(&self, id: Uuid) -> Result<Option<Household>, StoreError>;
    /// Stores the record as given (the caller sets `revision` and `updated_at`) and appends
    /// this state to its history, pruning the history to the last [`HISTORY_LIMIT`] states;
    /// both in one transaction.
    async fn put(&self, record: &Household) -> Result<(), StoreError>;
    /// [`put`](Self::put) only on top of `base`, the state the caller edited from: in the
    /// same transaction, the stored state is compared with `base` ([`same_state`]); when it is
    /// another state, nothing is written and [`Over::Changed`] gives it. A record not stored
    /// is written.
    async fn put_over(&self, record: &Household, base: &Household) -> Result<Over, StoreError>;
    /// Stores many records in one transaction (import), all or nothing. The history is as
    /// after [`put`](Self::put) of each in turn — every state listed, the last
    /// [`HISTORY_LIMIT`] kept — but a state written here gets its own history entry only
    /// when a later write replaces it (one stored value per new record instead of two).
    async fn put_all(&self, records: &[Household]) -> Result<(), StoreError>;
    /// [`put_all`](Self::put_all) of records read from files, with the bytes each came as
    /// ([`AsRead`], `as_read[i]` for `records[i]`; may be shorter): where those are a record
    /// as this app writes it (compact, tagged first), they are stored as they are instead of
    /// encoding the record again — they read as the very same record.
    async fn put_all_as_read(
        &self,
        records: &[Household],
        as_read: &[AsRead<'_>],
    ) -> Result<(), StoreError> {
        let _ = as_read;
        self.put_all(records).await
    }
    /// Every stored record, in id order.
    async fn list(&self) -> Result<Vec<Household>, StoreError>;
    /// Removes the record, its history and its marks. Removing a missing id is not an error.
    async fn delete(&self, id: Uuid) -> Result<(), StoreError>;
    /// The saved states of a record, newest first (at most [`HISTORY_LIMIT`]); the first is
    /// the current state.
    async fn history(&self, id: Uuid) -> Result<Vec<Household>, StoreError>;
    /// [`history`](Self::history) of several records, in one transaction (in the order of `ids`).
    async fn histories(&self, ids: &[Uuid]) -> Result<Vec<Vec<Household>>, StoreError>;
    /// For each record, what the store holds under its id. [`Held::Same`] is decided on the
    /// stored JSON bytes, without decoding the stored record: first against the bytes the
    /// record came as (`as_read[i]`, when given: [`AsRead`]), then against the record's own
    /// encoding. So checking an import of thousands of unchanged records costs little more
    /// than reading them; only a stored record that differs is decoded ([`Held::Other`]).
    /// `as_read` gives a list empty or as long as `records`; it is called only when some
    /// record is stored (finding where each record is in its file is a scan of the file).
    async fn compare<'a>(
        &self,
        records: &[&Household],
        as_read: impl FnOnce() -> Vec<AsRead<'a>>,
    ) -> Result<Vec<Held>, StoreError>;
    /// The marks of a record, if any were put.
    async fn get_meta(&self, id: Uuid) -> Result<Option<RecordMeta>, StoreError>;
    /// Replaces the marks of a record.
    async fn put_meta(&self, id: Uuid, meta: &RecordMeta) -> Result<(), StoreError>;
    /// [`put_meta`](Self::put_meta) for many records in one transaction (export marks).
    async fn put_meta_all(&self, metas: &[(Uuid, RecordMeta)]) -> Result<(), StoreError>;
    /// The marks of every record that has some, in id order.
    async fn list_meta(&self) -> Result<Vec<(Uuid, RecordMeta)>, StoreError>;
    /// Sets the export mark of each record, keeping its other marks, in one transaction that
    /// starts at the call (a read of the marks that starts later sees them).
    async fn set_export_marks(&self, marks: &[(Uuid, ExportMark)]) -> Result<(), StoreError>;
    /// Removes every record, history and mark.
    async fn clear(&self) -> Result<(), StoreError>;
    /// Changes the marks of records in one transaction (all or nothing): `change(id, marks)`
    /// gets each record's marks (`None` when it has none) and gives its new ones (`None`
    /// removes them). Standing conflicts and receipts are kept this way ([`exchange`]).
    async fn update_meta(
        &self,
        ids: &[Uuid],
        change: impl FnMut(Uuid, Option<RecordMeta>) -> Option<RecordMeta>,
    ) -> Result<(), StoreError>;
    /// A token that changes with every write of records or marks (every method above that
    /// writes), in the same transaction as the write, so that a value computed from what was
    /// read after the token can tell whether the store has changed since. Empty before the
    /// first write.
    async fn generation(&self) -> Result<String, StoreError>;
}

/// A photo's bytes as kept beside its record (issue 15): never inside the stored record,
/// whose [`Attachment`](crate::core::record::Attachment) has `data: ""` and names the bytes by
/// its `id`. IndexedDB keeps them as a `Blob` in the object store `attachments` (sealed bytes
/// instead with the app lock on), keyed by the attachment id, with the record id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredBytes {
    pub id: Uuid,
    pub record_id: Uuid,
    pub mime: String,
    pub bytes: Vec<u8>,
}

/// What the store holds of attachments, in all (the settings' storage figure).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct AttachmentTotals {
    pub count: u32,
    pub bytes: u64,
}

/// The bytes of records' attachments (photos), beside the records. Writing them changes no
/// [`generation`](RecordStore::generation): the record's metadata write does.
/// [`RecordStore::delete`] removes a record's attachments with it, [`RecordStore::clear`]
/// all of them. A write that fails for lack of space gives [`StoreError::quota`] and writes
/// nothing.
#[allow(async_fn_in_trait)]
pub trait AttachmentStore {
    /// Stores each attachment's bytes (replacing bytes kept under the same id), in one
    /// transaction: all or nothing.
    async fn put_attachments(&self, items: &[StoredBytes]) -> Result<(), StoreError>;
    /// The bytes kept under an attachment id.
    async fn get_attachment(&self, id: Uuid) -> Result<Option<StoredBytes>, StoreError>;
    /// Removes the bytes of these attachments (missing ids are not an error).
    async fn delete_attachments(&self, ids: &[Uuid]) -> Result<(), StoreError>;
    /// The attachments kept for a record: `(id, length in bytes)`, in id order.
    async fn record_attachments(&self, record_id: Uuid) -> Result<Vec<(Uuid, u64)>, StoreError>;
    /// How many attachments are kept and their bytes.
    async fn attachment_totals(&self) -> Result<AttachmentTotals, StoreError>;
}

/// The app's own values, kept beside the records: small texts that one page leaves for another
/// (the start page's hand-over, `ui::handover`, names them and says what they mean). They are
/// not records: putting one changes no [`generation`](RecordStore::generation), and
/// [`clear`](RecordStore::clear) removes them with the records. Keys start with `~` (in
/// IndexedDB they sit in `meta` after every record id, outside what
/// [`list_meta`](RecordStore::list_meta) reads).
#[allow(async_fn_in_trait)]
pub trait AppValues {
    /// How many records are stored, the [`generation`](RecordStore::generation), and the value
    /// under each of `keys` (`None` if absent), read in one transaction: all of one moment.
    async fn read_app_values(&self, keys: &[&str]) -> Result<AppValuesRead, StoreError>;
    /// Puts each `(key, value)`, in one transaction (all or nothing).
    async fn put_app_values(&self, values: &[(&str, &str)]) -> Result<(), StoreError>;
}

/// See [`AppValues::read_app_values`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AppValuesRead {
    /// How many records are stored.
    pub records: u32,
    pub generation: String,
    /// `values[i]` is the value under `keys[i]`.
    pub values: Vec<Option<String>>,
}

/// Whether `key` can name an app value (see [`AppValues`]).
pub(crate) fn check_app_key(key: &str) -> Result<(), StoreError> {
    if key.starts_with('~') {
        Ok(())
    } else {
        Err(StoreError::failed(format!("应用自己的值的键必须以 ~ 开头：{key}")))
    }
}

/// The store the app runs on, chosen at start: IndexedDB in the browser, memory in tests.
/// It is a cheap handle (`Clone`, `Send`, `Sync`), so it can live in a Leptos context.
#[derive(Clone, Debug)]
pub enum AnyStore {
    #[cfg(target_arch = "wasm32")]
    Idb(IdbStore),
    Memory(MemoryStore),
}

macro_rules! delegate {
    ($self:ident, $s:ident => $e:expr) => {
        match $self {
            #[cfg(target_arch = "wasm32")]
            AnyStore::Idb($s) => $e,
            AnyStore::Memory($s) => $e,
        }
    };
}

impl RecordStore for AnyStore {
    async fn get(&self, id: Uuid) -> Result<Option<Household>, StoreError> {
        delegate!(self, s => s.get(id).await)
    }
    async fn put(&self, record: &Household) -> Result<(), StoreError> {
        delegate!(self, s => s.put(record).await)
    }
    async fn put_over(&self, record: &Household, base: &Household) -> Result<Over, StoreError> {
        delegate!(self, s => s.put_over(record, base).await)
    }
    async fn put_all(&self, records: &[Household]) -> Result<(), StoreError> {
        delegate!(self, s => s.put_all(records).await)
    }
    async fn put_all_as_read(
        &self,
        records: &[Household],
        as_read: &[AsRead<'_>],
    ) -> Result<(), StoreError> {
        delegate!(self, s => s.put_all_as_read(records, as_read).await)
    }
    async fn list(&self) -> Result<Vec<Household>, StoreError> {
        delegate!(self, s => s.list().await)
    }
    async fn delete(&self, id: Uuid) -> Result<(), StoreError> {
        delegate!(self, s => s.delete(id).await)
    }
    async fn history(&self, id: Uuid) -> Result<Vec<Household>, StoreError> {
        delegate!(self, s => s.history(id).await)
    }
    async fn histories(&self, ids: &[Uuid]) -> Result<Vec<Vec<Household>>, StoreError> {
        delegate!(self, s => s.histories(ids).await)
    }
    async fn compare<'a>(
        &self,
        records: &[&Household],
        as_read: impl FnOnce() -> Vec<AsRead<'a>>,
    ) -> Result<Vec<Held>, StoreError> {
        delegate!(self, s => s.compare(records, as_read).await)
    }
    async fn get_meta(&self, id: Uuid) -> Result<Option<RecordMeta>, StoreError> {
        delegate!(self, s => s.get_meta(id).await)
    }
    async fn put_meta(&self, id: Uuid, meta: &RecordMeta) -> Result<(), StoreError> {
        delegate!(self, s => s.put_meta(id, meta).await)
    }
    async fn put_meta_all(&self, metas: &[(Uuid, RecordMeta)]) -> Result<(), StoreError> {
        delegate!(self, s => s.put_meta_all(metas).await)
    }
    async fn list_meta(&self) -> Result<Vec<(Uuid, RecordMeta)>, StoreError> {
        delegate!(self, s => s.list_meta().await)
    }
    async fn set_export_marks(&self, marks: &[(Uuid, ExportMark)]) -> Result<(), StoreError> {
        delegate!(self, s => s.set_export_marks(marks).await)
    }
    async fn clear(&self) -> Result<(), StoreError> {
        delegate!(self, s => s.clear().await)
    }
    async fn update_meta(
        &self,
        ids: &[Uuid],
        change: impl FnMut(Uuid, Option<RecordMeta>) -> Option<RecordMeta>,
    ) -> Result<(), StoreError> {
        delegate!(self, s => s.update_meta(ids, change).await)
    }
    async fn generation(&self) -> Result<String, StoreError> {
        delegate!(self, s => s.generation().await)
    }
}

impl AppValues for AnyStore {
    async fn read_app_values(&self, keys: &[&str]) -> Result<AppValuesRead, StoreError> {
        delegate!(self, s => s.read_app_values(keys).await)
    }
    async fn put_app_values(&self, values: &[(&str, &str)]) -> Result<(), StoreError> {
        delegate!(self, s => s.put_app_values(values).await)
    }
}

impl AttachmentStore for AnyStore {
    async fn put_attachments(&self, items: &[StoredBytes]) -> Result<(), StoreError> {
        delegate!(self, s => s.put_attachments(items).await)
    }
    async fn get_attachment(&self, id: Uuid) -> Result<Option<StoredBytes>, StoreError> {
        delegate!(self, s => s.get_attachment(id).await)
    }
    async fn delete_attachments(&self, ids: &[Uuid]) -> Result<(), StoreError> {
        delegate!(self, s => s.delete_attachments(ids).await)
    }
    async fn record_attachments(&self, record_id: Uuid) -> Result<Vec<(Uuid, u64)>, StoreError> {
        delegate!(self, s => s.record_attachments(record_id).await)
    }
    async fn attachment_totals(&self) -> Result<AttachmentTotals, StoreError> {
        delegate!(self, s => s.attachment_totals().await)
    }
}

#[cfg(target_arch = "wasm32")]
impl AnyStore {
    /// The IndexedDB store this is, if it is one (values only IndexedDB can keep, such as
    /// picked files, live there: [`IdbStore::put_app_object`]).
    pub fn idb(&self) -> Option<&IdbStore> {
        match self {
            AnyStore::Idb(s) => Some(s),
            AnyStore::Memory(_) => None,
        }
    }
}

/// A record as stored JSON text.
pub(crate) fn encode(record: &Household) -> Result<String, StoreError> {
    Ok(crate::core::json::to_string(record))
}

/// A record from stored JSON text.
pub(crate) fn decode(json: &str) -> Result<Household, StoreError> {
    decode_bytes(json.as_bytes())
}

/// A record from stored JSON bytes (UTF-8).
pub(crate) fn decode_bytes(json: &[u8]) -> Result<Household, StoreError> {
    // The core's one record reader (one copy of the serde code in the wasm build).
    crate::core::io::parse_household(json).map_err(|e| {
        let id = serde_json::from_slice::<Value>(json)
            .ok()
            .and_then(|v| v.get("id").and_then(Value::as_str).map(str::to_string))
            .unwrap_or_default();
        StoreError::corrupt(format!("记录 {id} "), e)
    })
}
