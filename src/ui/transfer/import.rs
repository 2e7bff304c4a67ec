//! 导入记录: the file input, the import itself, and its report (the summary line, the files
//! refused with their reasons, the people listed in two households, the conflicts).
//!
//! Everything is checked before anything is stored: every file is read as the core reads it,
//! every record decided against the store, then all new and updated records are written in
//! one store transaction. A file that cannot be read changes nothing.
//!
//! 1. Each picked file is read as the core reads it (`core::transfer::read_file`, i.e.
//!    `core::io::read_bytes`: the same reader as the CLI). A file over
//!    `io::MAX_INPUT_BYTES` (64 MB) is refused before it is read. A file that cannot be read is
//!    **refused as a whole**: its name and reason are listed
//!    (`截断.json：文件不完整：在第 1 行第 5 列意外结束（可能是保存或传输时被截断）`) and it
//!    contributes nothing; the other files of the same pick are still imported.
//!    **Sealed files** (age, `io::is_sealed`; issue 14) are opened first with the township's
//!    identity unlocked in this page (`ui::seal`): when some come in and this device keeps the
//!    office's locked identity, the import stops before anything is decided and asks for its
//!    passphrase (`transfer/unlock.rs`, once per page session), then reads every file again with
//!    them opened; skipped, or on a device without the key, each is refused by name
//!    (此文件已加密，需要乡镇私钥才能打开). A changed or cut sealed file is refused by name with
//!    the core's reason (`加密文件已被改动或损坏…`, `加密文件不完整…`): age authenticates every
//!    chunk, so nothing of it is read. A `.txt` holding plain JSON (a shared export) is read as
//!    a `.json`; a 乡镇配置 picked here is refused with where it goes (设置).
//! 2. Every record is decided with `core::merge::decide` against the stored record (by its
//!    `lineage`; the stored record's saved states are read only where a side has none that
//!    accounts for it: `core::transfer::history_needed`), through `core::transfer::plan`; the
//!    whole table is in `core::merge`'s docs:
//!
//!    | incoming vs stored | outcome | counted as |
//!    |---|---|---|
//!    | no stored record with this `id` | written | 新增 |
//!    | descends from ours (a later state) | written as it came | 更新 |
//!    | same content, or an older state of ours | nothing | 未变 |
//!    | edited apart from ours, whatever the revisions | **conflict** | 冲突 |
//!    | without lineage, other content, none of our saved states | **conflict** | 冲突 |
//!    | same `id`, another household; `revision` over 2⁵³−1; lineage out of bounds | refused, listed with the reason | 无效 |
//!
//!    Several revisions of one record in the files are taken in revision order (the older is
//!    added, the newer updates it when it descends from it). A conflict is dropped (未变) only
//!    when a later incoming state descends from its incoming one. Exact copies are found
//!    cheaply first: the store compares the incoming record with its stored bytes
//!    (`RecordStore::compare`), and a batch this app wrote is cut into each record's bytes as
//!    they are in the file (`io::batch_records_as_written`).
//! 3. All new and updated records are written in **one transaction**
//!    (`RecordStore::put_all_as_read`: a record that came as this app writes it is stored with
//!    the bytes it came as), after every file was read and every record decided. If storing
//!    fails, nothing is stored. The conflicts are kept just before, in a transaction of their
//!    own (`store::exchange::keep_conflicts`, in the records' marks): if that fails, nothing is
//!    written; if the records' write fails after it, a kept conflict still stands against
//!    what is stored (nothing is lost).
//! 4. The report: `新增 N · 更新 N · 冲突 N · 无效 N` (`merge::Tally::summary`, `· 未变 N` when
//!    some were already here; 无效 counts refused files and refused records), the refused
//!    files and records (`core::transfer::Plan::all_refused`), the people the imported
//!    households share with another household (`张伟（1507…）同时登记在：额尔和村张伟户、
//!    霍日里村郭建华户`, `core::transfer::shared_people`, each household's latest visit), and
//!    the conflicts: kept in the store with both states (`store::exchange::keep_conflicts`;
//!    ours stays stored, untouched) and listed on the home page until a person resolves them
//!    (`transfer/conflict.rs`); the report says how many and that nothing was replaced.
//!    **Photos** (issue 15): a file's attachments were checked on reading (the core's
//!    `io::verify_attachments`: base64, `sha256`, size; a mismatch refuses the whole file by
//!    name, so nothing of it is stored). The photos' bytes are taken out of every record read
//!    (`core::transfer::take_photos`, before anything is compared: the stored record's `data`
//!    is empty, so a record exported with its photos and imported again is 未变); those of the
//!    records written (and of the conflicts kept) are stored as Blobs first (`AttachmentStore::put_attachments`,
//!    one transaction); if that fails nothing is written, and if the records' write fails
//!    after it the photos are removed again. Such a record is stored encoded, not as the bytes
//!    it came as (those hold the `data`).
//! 5. Imported records keep every key they came with (unknown keys at any level); `computed`
//!    is dropped and recomputed, as the format says.
//! 6. A receipt (`ruhu.receipt/1`, detected by its format when the file is not records) is
//!    kept in the marks of the records it names that are on the phone
//!    (`store::exchange::keep_receipt`); the report says per receipt how many are 乡镇已接收 /
//!    接收后有修改. Every import's report offers `生成回执` for the records it received
//!    ([`ImportReport::received`], the refused ones left out), which the office sends back.
//!
//! The home list puts the written records into the list it had loaded instead of reading the
//! store again (`ui/home.rs`); the import takes the other households for the duplicate-ID
//! check from that list too. The figures: `tests/bench/README.md`, *Records on the phone*.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use leptos::prelude::*;
use uuid::Uuid;

use super::file;
use super::unlock::KeyPrompt;
use super::{expect_transfer, Transfer};
use crate::core::io::{self, ReadError};
use crate::core::receipt::{self, Receipt};
use crate::core::record::{Household, Timestamp};
use crate::core::transfer::{self as plan, Conflict, IncomingFile, Refused, SharedPerson};
use crate::store::{exchange, AnyStore, AsRead, Held, RecordStore};
use crate::ui::settings::SettingsContext;
use crate::ui::{clock, device, expect_store, seal};

/// What one import did.
#[derive(Clone, Debug, PartialEq)]
pub struct ImportReport {
    /// `新增 N · 更新 N · 冲突 N · 无效 N`.
    pub summary: String,
    pub refused: Vec<Refused>,
    pub conflicts: Vec<Conflict>,
    /// People that the imported households share with another household.
    pub shared: Vec<SharedPerson>,
    /// How many files were picked.
    pub files: usize,
    /// The number of this import on the page (1, 2, …), for tests (`data-seq`).
    pub seq: usize,
    /// What the receipts among the files did: one line each (`回执（额尔和乡…）：…`).
    pub receipts: Vec<String>,
    /// The records received from the files (not refused), for a receipt (回执) to give back.
    pub received: Arc<Vec<Household>>,
}

/// A picked file as read: its records (or why it was refused) and the bytes they were read
/// from, so that [`RecordStore::compare`] can find an exact copy of a stored record by
/// comparing bytes, without encoding the record again.
pub struct Picked {
    pub file: IncomingFile,
    /// The file is sealed and this page has no identity to open it (refused for now; the
    /// import may ask for the passphrase and read it again).
    pub needs_key: bool,
    /// The file is a receipt (`ruhu.receipt/1`): what it says (its `file` holds no record).
    pub receipt: Option<Receipt>,
    /// The file's bytes when its records were read (else empty).
    bytes: Vec<u8>,
}

/// Where each record of the readable files is in its file's bytes (file index, the two
/// ranges of [`AsRead`]), when the file is a batch whose records can be found in its bytes
/// (`io::batch_records_as_written`); in the order of the records.
fn places(picked: &[Picked]) -> Vec<Option<(usize, [std::ops::Range<usize>; 2])>> {
    let mut out = Vec::new();
    for (f, p) in picked.iter().enumerate() {
        let Ok(records) = &p.file.result else { continue };
        match io::batch_records_as_written(&p.bytes).filter(|s| s.len() == records.len()) {
            Some(spans) => out.extend(spans.into_iter().map(|s| Some((f, s)))),
            None => out.extend(records.iter().map(|_| None)),
        }
    }
    out
}

/// The bytes at a place of [`places`].
fn as_read<'a>(
    texts: &'a [Vec<u8>],
    place: &Option<(usize, [std::ops::Range<usize>; 2])>,
) -> AsRead<'a> {
    place.as_ref().map(|(f, [a, b])| [&texts[*f][a.clone()], &texts[*f][b.clone()]])
}

/// Reads one picked file; a file over the size limit is refused without being read. A sealed
/// file is opened with the identity unlocked in this page (`ui::seal`), or refused by name
/// with the core's reason (changed, cut, another key, no key here).
/// `ms` adds the time spent getting its bytes and reading its records (for the benchmark).
async fn read_file(f: &web_sys::File, ms: &mut [f64; 2]) -> Picked {
    let name = f.name();
    let size = f.size();
    let mut bytes = Vec::new();
    let mut needs_key = false;
    let mut result = if size > seal_limit() as f64 {
        Err(ReadError {
            path: String::new(),
            message: format!(
                "文件过大（{:.1} MB），超过 {} MB 的上限；请分村或分批导出",
                size / (1024.0 * 1024.0),
                io::MAX_INPUT_BYTES / (1024 * 1024)
            ),
        })
    } else {
        let t0 = file::now_ms();
        match file::read_bytes(f).await {
            Ok(b) if io::is_sealed(&b) => {
                let opened = seal::open(&b, &name);
                // Not opened by this phone's own key, and the township's is not unlocked here.
                if opened.is_err() && !seal::has_session_identity() {
                    needs_key = true;
                }
                match opened {
                    Ok(plain) => {
                        bytes = plain;
                        let t1 = file::now_ms();
                        let records = plan::read_file(&bytes);
                        ms[0] += t1 - t0;
                        ms[1] += file::now_ms() - t1;
                        file::log_timing(&format!(
                            "import-open bytes={} open_ms={:.0}",
                            b.len(),
                            t1 - t0
                        ));
                        records
                    }
                    Err(reason) => Err(ReadError { path: String::new(), message: reason }),
                }
            }
            Ok(b) if b.len() > io::MAX_INPUT_BYTES => Err(ReadError {
                path: String::new(),
                message: format!(
                    "文件过大（{:.1} MB），超过 {} MB 的上限；请分村或分批导出",
                    size / (1024.0 * 1024.0),
                    io::MAX_INPUT_BYTES / (1024 * 1024)
                ),
            }),
            Ok(b) => {
                bytes = b;
                let t1 = file::now_ms();
                let records = plan::read_file(&bytes);
                ms[0] += t1 - t0;
                ms[1] += file::now_ms() - t1;
                records
            }
            Err(e) => Err(ReadError {
                path: String::new(),
                message: format!("文件无法读取（{e}）"),
            }),
        }
    };
    // A receipt is detected by its format: not records, but read by the receipt reader.
    let mut receipt = None;
    if result.is_err() && !bytes.is_empty() {
        if let Ok(r) = receipt::read(&bytes) {
            receipt = Some(r);
            result = Ok(Vec::new());
        } else if crate::core::config::read_config(&bytes).is_ok() {
            result = Err(ReadError {
                path: String::new(),
                message: "这是乡镇配置文件，不是入户记录：请在“设置”中点“导入乡镇配置”".into(),
            });
        }
    }
    if result.is_err() || receipt.is_some() {
        bytes = Vec::new();
    }
    Picked { file: IncomingFile { name, result }, needs_key, receipt, bytes }
}

/// The largest file read: a sealed file is larger than its content (armour), up to
/// `core::seal::MAX_SEALED_BYTES`; a plain one is checked against `io::MAX_INPUT_BYTES`
/// once read.
fn seal_limit() -> usize {
    io::MAX_INPUT_BYTES / 48 * 65 + 64 * 1024
}

/// Imports the files into the store (see the module comment) and returns the report and
/// the records written (in the order written). `Err` only when storing failed, in which case
/// nothing was stored. `loaded`: every stored record, when the page has them (else they are
/// read from the store when needed).
///
/// What it reads from the store: [`RecordStore::compare`] of every incoming record (an
/// exact copy of a stored record is found on the stored bytes, nothing decoded), the saved
/// states of the records that came in with a lower revision (one transaction), and — only
/// when something is written or in conflict — every stored record, for the people the
/// imported households share with another household.
pub async fn import(
    store: &AnyStore,
    picked: Vec<Picked>,
    loaded: Option<Arc<Vec<Household>>>,
) -> Result<(ImportReport, Vec<Household>), String> {
    let t0 = file::now_ms();
    let count = picked.len();
    let receipts: Vec<(String, Receipt)> =
        picked.iter().filter_map(|p| p.receipt.clone().map(|r| (p.file.name.clone(), r))).collect();
    // Where each record is in its file: to find exact copies of stored records, and to store
    // records without encoding them again.
    let mut places = places(&picked);
    let mut texts: Vec<Vec<u8>> = Vec::with_capacity(count);
    let mut files: Vec<IncomingFile> = Vec::with_capacity(count);
    for p in picked {
        texts.push(p.bytes);
        files.push(p.file);
    }
    // Photos: their bytes out of the records first (`core::transfer::take_photos`), so the
    // records are compared and stored as the store keeps them; such a record's text in its
    // file is not what is stored (not stored "as read").
    let taken = plan::take_photos(&mut files);
    for (place, changed) in places.iter_mut().zip(&taken.changed) {
        if *changed {
            *place = None;
        }
    }
    let mut photo_bytes = taken.bytes;
    let incoming: Vec<&Household> =
        files.iter().filter_map(|f| f.result.as_ref().ok()).flatten().collect();
    // What a receipt would name: every record read (the refused ones are taken out below).
    let mut received: Vec<Household> = incoming.iter().map(|r| (*r).clone()).collect();
    // Each incoming (id, revision) once: its place (a write is an incoming record as it came).
    let mut place_of: HashMap<(Uuid, u64), Option<usize>> = HashMap::new();
    for (i, r) in incoming.iter().enumerate() {
        place_of.entry((r.id, r.revision)).and_modify(|p| *p = None).or_insert(Some(i));
    }
    let held = store
        .compare(&incoming, || places.iter().map(|p| as_read(&texts, p)).collect())
        .await
        .map_err(|e| e.to_string())?;
    // What the plan compares with: the stored records that differ from an incoming one, and
    // the incoming records stored exactly as they are (taken out of the files: 未变 whatever
    // else comes, see `plan::take_same`).
    let same: Vec<bool> = held.iter().map(|h| *h == Held::Same).collect();
    let mut stored: HashMap<Uuid, Household> = HashMap::new();
    for (r, h) in incoming.iter().zip(held) {
        if let Held::Other(s) = h {
            stored.insert(r.id, *s);
        }
    }
    drop(incoming);
    let (taken, same) = plan::take_same(&mut files, &same);
    for (id, r) in taken {
        stored.entry(id).or_insert(r);
    }
    let t1 = file::now_ms();
    let needed = plan::history_needed(&files, &stored);
    let history: HashMap<Uuid, Vec<Household>> = needed
        .iter()
        .copied()
        .zip(store.histories(&needed).await.map_err(|e| e.to_string())?)
        .collect();
    let t2 = file::now_ms();
    let mut p = plan::plan(files, &stored, &history);
    p.add_unchanged(same);
    let t3 = file::now_ms();
    // People the imported households share with another household (each household's latest
    // visit): the records stored before this import, with what it writes over them.
    let touched: HashSet<Uuid> = p
        .writes
        .iter()
        .chain(p.conflicts.iter().map(|c| &c.incoming))
        .map(|r| r.household_id)
        .collect();
    let before = match loaded {
        _ if touched.is_empty() && receipts.is_empty() => Arc::new(Vec::new()),
        Some(records) => records,
        None => Arc::new(store.list().await.map_err(|e| e.to_string())?),
    };
    let t4 = file::now_ms();
    // The conflicts stand until a person resolves them: both states kept (ours is stored).
    // Kept first: if that fails, nothing of the import is written.
    // Photos: their bytes out of the records, stored as Blobs before the records.
    // The bytes of the photos of the records written and of the conflicts kept.
    let mut photos: Vec<crate::store::StoredBytes> = Vec::new();
    for r in p.writes.iter().chain(p.conflicts.iter().map(|c| &c.incoming)) {
        for a in &r.attachments {
            if let Some(bytes) = photo_bytes.remove(&a.id) {
                let mime =
                    if a.mime.is_empty() { "image/jpeg".to_string() } else { a.mime.clone() };
                photos.push(crate::store::StoredBytes { id: a.id, record_id: r.id, mime, bytes });
            }
        }
    }
    drop(photo_bytes);
    // What a failed write takes back: the photos that were not stored before.
    let mut before_ids: HashSet<Uuid> = HashSet::new();
    {
        use crate::store::AttachmentStore;
        let records: HashSet<Uuid> = photos.iter().map(|p| p.record_id).collect();
        for r in records {
            let held = store.record_attachments(r).await.map_err(|e| e.to_string())?;
            before_ids.extend(held.into_iter().map(|(id, _)| id));
        }
        store
            .put_attachments(&photos)
            .await
            .map_err(|e| format!("导入没有完成，本机记录没有改变（照片没有保存）：{e}"))?;
    }
    let photo_ids: Vec<Uuid> =
        photos.iter().map(|p| p.id).filter(|id| !before_ids.contains(id)).collect();
    drop(photos);
    let found: Vec<(String, Household)> =
        p.conflicts.iter().map(|c| (c.file.clone(), c.incoming.clone())).collect();
    if let Err(e) = exchange::keep_conflicts(store, &found, Timestamp(clock::now())).await {
        use crate::store::AttachmentStore;
        let _ = store.delete_attachments(&photo_ids).await;
        return Err(format!("导入没有完成，本机记录没有改变（冲突没有保存）：{e}"));
    }
    if !p.writes.is_empty() {
        let bytes: Vec<AsRead> = p
            .writes
            .iter()
            .map(|w| {
                place_of
                    .get(&(w.id, w.revision))
                    .copied()
                    .flatten()
                    .and_then(|i| as_read(&texts, &places[i]))
            })
            .collect();
        if let Err(e) = store.put_all_as_read(&p.writes, &bytes).await {
            use crate::store::AttachmentStore;
            let _ = store.delete_attachments(&photo_ids).await;
            return Err(format!("导入没有完成，本机记录没有改变：{e}"));
        }
    }
    let refused: HashSet<Uuid> = p.refused_records.iter().map(|r| r.id).collect();
    received.retain(|r| !refused.contains(&r.id));
    let receipt_lines = keep_receipts(store, &receipts, &before, &p.writes).await?;
    let t5 = file::now_ms();
    let shared = if touched.is_empty() {
        Vec::new()
    } else {
        let mut all: HashMap<Uuid, &Household> = before.iter().map(|h| (h.id, h)).collect();
        all.extend(p.writes.iter().map(|w| (w.id, w)));
        plan::shared_people(all.into_values(), Some(&touched))
    };
    let t6 = file::now_ms();
    file::log_timing(&format!(
        "import records={} written={} compare_ms={:.0} history_ms={:.0} plan_ms={:.0} list_ms={:.0} store_ms={:.0} check_ms={:.0} total_ms={:.0}",
        p.records_read,
        p.writes.len(),
        t1 - t0,
        t2 - t1,
        t3 - t2,
        t4 - t3,
        t5 - t4,
        t6 - t5,
        t6 - t0
    ));
    let report = ImportReport {
        summary: p.summary(),
        refused: p.all_refused(),
        conflicts: p.conflicts,
        shared,
        files: count,
        seq: 0,
        receipts: receipt_lines,
        received: Arc::new(received),
    };
    Ok((report, p.writes))
}

/// Keeps the entries of each receipt for the records this phone holds (`before`, with what
/// the import wrote) and says, per receipt, where those records stand now.
async fn keep_receipts(
    store: &AnyStore,
    receipts: &[(String, Receipt)],
    before: &[Household],
    written: &[Household],
) -> Result<Vec<String>, String> {
    let mut lines = Vec::new();
    if receipts.is_empty() {
        return Ok(lines);
    }
    let mut now: HashMap<Uuid, &Household> = before.iter().map(|h| (h.id, h)).collect();
    now.extend(written.iter().map(|w| (w.id, w)));
    let ids: HashSet<Uuid> = now.keys().copied().collect();
    for (name, r) in receipts {
        let kept = exchange::keep_receipt(store, r, &ids)
            .await
            .map_err(|e| format!("{name}：回执没有保存：{e}"))?;
        let index = receipt::Index::new([r]);
        let mut seen = HashSet::new();
        let (mut received, mut changed) = (0, 0);
        for e in r.records.iter().filter(|e| seen.insert(e.id)) {
            match now.get(&e.id).map(|h| index.status(h)) {
                Some(receipt::Status::Received) => received += 1,
                Some(receipt::Status::ChangedSince) => changed += 1,
                _ => {}
            }
        }
        let office = if r.office.name.is_empty() { "乡镇" } else { r.office.name.as_str() };
        let mut line = format!(
            "回执（{office}，{}）：乡镇已接收 {received} 条",
            r.issued_at.0.format("%m-%d %H:%M")
        );
        if changed > 0 {
            line.push_str(&format!("，接收后有修改 {changed} 条"));
        }
        let other = r.records.len() - kept;
        if other > 0 {
            line.push_str(&format!("，{other} 条不在本机"));
        }
        lines.push(line);
    }
    Ok(lines)
}

/// The `导入记录` file input (one or many files); the report goes to [`Transfer::imported`]
/// (shown by [`ImportResult`]).
#[component]
pub fn ImportInput() -> impl IntoView {
    let store = expect_store();
    let t: Transfer = expect_transfer();
    let on_change = move |ev: leptos::ev::Event| {
        let (input, picked) = file::picked_files(&ev);
        run_import(store.clone(), t, picked, Some(input));
    };
    view! {
        <label class="button file-button" for="import-records">"导入记录"</label>
        <input id="import-records" class="visually-hidden" type="file" multiple on:change=on_change
            prop:disabled=move || t.busy.get()/>
    }
}

thread_local! {
    /// Imports run on this page (the report's `seq`).
    static SEQ: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

/// Imports the picked files: reads them, merges them into the store, shows the report, then
/// hands what was written to the page's list. `input` is cleared so that the same file can be
/// picked again. Sealed files that this page cannot open yet, on a device that keeps the
/// township's locked identity, first ask for its passphrase (`transfer/unlock.rs`); the import then
/// runs again with them opened (or, if the person skips, refuses them by name).
pub fn run_import(
    store: AnyStore,
    t: Transfer,
    picked: Vec<web_sys::File>,
    input: Option<web_sys::HtmlInputElement>,
) {
    run_import_asking(store, t, picked, input, true)
}

/// The files of an import waiting for the passphrase, and the locked identity to unlock.
struct Waiting {
    store: AnyStore,
    files: Vec<web_sys::File>,
    locked: String,
}

thread_local! {
    static WAITING: std::cell::RefCell<Option<Waiting>> = const { std::cell::RefCell::new(None) };
}

fn run_import_asking(
    store: AnyStore,
    t: Transfer,
    picked: Vec<web_sys::File>,
    input: Option<web_sys::HtmlInputElement>,
    ask: bool,
) {
    let report = t.imported;
    if picked.is_empty() || t.busy.get_untracked() {
        return;
    }
    t.busy.set(true);
    t.error.set(None);
    t.key_prompt.set(None);
    report.set(None);
    leptos::task::spawn_local(async move {
        let t_read = file::now_ms();
        // This phone's own key opens prefilled drafts sealed to it (`ui::seal`).
        if seal::AVAILABLE {
            if let Err(e) = seal::load_device_identity(&store).await {
                web_sys::console::warn_1(&e.into());
            }
        }
        let mut files = Vec::with_capacity(picked.len());
        let mut ms = [0.0; 2];
        for f in &picked {
            files.push(read_file(f, &mut ms).await);
        }
        file::log_timing(&format!(
            "import-read files={} at_ms={t_read:.0} read_ms={:.0} bytes_ms={:.0} parse_ms={:.0}",
            files.len(),
            file::now_ms() - t_read,
            ms[0],
            ms[1]
        ));
        if let Some(input) = input {
            input.set_value("");
        }
        let sealed = files.iter().filter(|p| p.needs_key).count();
        if sealed > 0 {
            match seal::stored_key(&store).await.map(|k| k.locked) {
                // The township's key is here: ask its passphrase, then read the files again.
                Ok(Some(locked)) if ask && seal::AVAILABLE => {
                    WAITING.with(|w| {
                        *w.borrow_mut() =
                            Some(Waiting { store: store.clone(), files: picked, locked })
                    });
                    t.key_prompt.set(Some(sealed));
                    t.busy.set(false);
                    return;
                }
                Ok(Some(_)) => {}
                _ => {
                    for p in files.iter_mut().filter(|p| p.needs_key) {
                        if let Err(e) = &mut p.file.result {
                            e.message
                                .push_str("（本机没有乡镇私钥：加密给乡镇的文件请在乡镇办生成密钥的电脑上导入；发给本机的预填入户文件请乡镇办按本机公钥重新导出）");
                        }
                    }
                }
            }
        }
        match import(&store, files, t.loaded.get_value()).await {
            Ok((mut r, written)) => {
                r.seq = SEQ.with(|s| {
                    s.set(s.get() + 1);
                    s.get()
                });
                // Conflicts kept and receipts change marks: the page reads the store again.
                let marks = !r.conflicts.is_empty() || !r.receipts.is_empty();
                report.set(Some(r));
                file::log_timing(&format!("import-shown at_ms={:.0}", file::now_ms()));
                // The page's list takes what was written — after the report is painted
                // (a frame, then a task), not before it.
                if marks {
                    t.changed.notify();
                } else if !written.is_empty() {
                    request_animation_frame(move || {
                        set_timeout(
                            move || {
                                if t.written.try_set_value(Some(written)).is_none() {
                                    t.changed.notify();
                                }
                            },
                            std::time::Duration::ZERO,
                        )
                    });
                }
            }
            Err(e) => t.error.set(Some(e)),
        }
        t.busy.set(false);
    });
}

/// The report of the last import on this page, if any (and the passphrase prompt of sealed
/// files waiting for it).
#[component]
pub fn ImportResult() -> impl IntoView {
    let t = expect_transfer();
    view! {
        {move || t.key_prompt.get().map(|n| view! { <KeyPrompt sealed=n/> })}
        {move || t.imported.get().map(|r| view! { <ImportReportView report=r/> })}
    }
}

/// Unlocks the township's identity with `pass` and imports the waiting files again (`None`:
/// without it, the sealed files refused by name). `Err`: the passphrase did not unlock it.
pub fn resume_import(t: Transfer, pass: Option<&str>) -> Result<(), String> {
    let Some(w) = WAITING.with(|w| w.borrow_mut().take()) else { return Ok(()) };
    if let Some(pass) = pass {
        if let Err(e) = seal::unlock(&w.locked, pass) {
            WAITING.with(|slot| *slot.borrow_mut() = Some(w));
            return Err(e);
        }
    }
    t.key_prompt.set(None);
    run_import_asking(w.store, t, w.files, None, false);
    Ok(())
}

/// The report of one import.
#[component]
fn ImportReportView(report: ImportReport) -> impl IntoView {
    let ImportReport { summary, refused, conflicts, shared, files, seq, receipts, received } =
        report;
    let title = if files == 1 {
        "导入结果".to_string()
    } else {
        format!("导入结果（{files} 个文件）")
    };
    view! {
        <section class="import-report card" aria-live="polite" data-seq=seq>
            <h2>{title}</h2>
            <p class="import-summary" data-testid="import-summary">{summary}</p>
            {(!receipts.is_empty()).then(|| view! {
                <ul class="receipt-lines">
                    {receipts.into_iter().map(|l| view! { <li class="receipt-line">{l}</li> }).collect_view()}
                </ul>
            })}
            {(!refused.is_empty()).then(|| view! {
                <div class="refused alert" role="alert">
                    <p>"以下文件或记录没有导入（本机记录没有因此改变）："</p>
                    <ul>
                        {refused.into_iter().map(|r| view! {
                            <li class="refused-file"><strong>{r.name.clone()}</strong>"："{r.reason.clone()}</li>
                        }).collect_view()}
                    </ul>
                </div>
            })}
            {(!shared.is_empty()).then(|| view! {
                <div class="shared warn">
                    <p>"同一身份证号登记在不同的户，请核实："</p>
                    <ul>{shared.into_iter().map(|s| view! { <li>{s.message()}</li> }).collect_view()}</ul>
                </div>
            })}
            {(!conflicts.is_empty()).then(|| view! {
                <p class="conflicts-note warn">{format!(
                    "{} 条记录本机和文件的版本是分别修改的：两个版本都已保存，本机记录没有被替换。请在“待处理的冲突”中逐条选择。",
                    conflicts.len()
                )}</p>
            })}
            {(!received.is_empty()).then(|| view! { <ReceiptButton received=received/> })}
        </section>
    }
}

/// `生成回执`: the receipt (`ruhu.receipt/1`, `core::receipt`) of the records this import
/// received, downloaded to send back to the surveyors (the office's device and name).
#[component]
fn ReceiptButton(received: Arc<Vec<Household>>) -> impl IntoView {
    let SettingsContext { settings, .. } = expect_context::<SettingsContext>();
    let note = RwSignal::new(None::<String>);
    let give = move |_| {
        let township = settings.with_untracked(|s| s.township.clone());
        let name = format!("{township}乡村振兴办公室");
        let r = receipt::make(received.iter(), &device::id(), &name, Timestamp(clock::now()));
        let file_name = receipt::file_name(&r);
        note.set(Some(match file::download(&file_name, &receipt::write(&r)) {
            Ok(()) => {
                format!("回执已下载：{file_name}（{} 条），请发回给排查人导入。", r.records.len())
            }
            Err(e) => format!("回执没有生成：{e}"),
        }));
    };
    view! {
        <div class="receipt-give">
            <button type="button" class="button" on:click=give>"生成回执"</button>
            <span class="muted small">"（乡镇用：告诉排查人哪些记录已收到）"</span>
            {move || note.get().map(|n| view! { <p class="muted receipt-note">{n}</p> })}
        </div>
    }
}
