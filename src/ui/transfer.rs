//! Export and import (issues 4 and 13): records leave the phone as a `ruhu.export/1` file
//! (downloaded, or shared where the browser can share the file) and come in from such files,
//! merged by the one rule of `core::merge` (by lineage: a record replaces another only when
//! it descends from it; copies edited apart are a conflict, kept until a person resolves it
//! side by side; a record of another household under the same id, or a revision over 2⁵³−1,
//! is refused with the reason and never stored). The import is [`import`] (receipts too);
//! standing conflicts are `transfer/conflict.rs`; this module is the export and what both
//! share. The decisions themselves are the core's (`core::transfer`, `core::merge`,
//! `core::receipt`), tested natively.
//!
//! The page that exports or imports provides [`Transfer`] and reloads its list when
//! [`Transfer::changed`] fires.
//!
//! # Export
//!
//! - What: `导出全部` (every record), `导出所选`, `导出本村` (every household of the village,
//!   whatever the filters show), `导出本户` (household page: every visit), `导出` of one visit.
//!   Exporting a household always takes **all its visits**, so the township sees the previous
//!   visit (`income-drop`) and the visit history.
//! - The file is `core::io::write_batch`: each record with its `computed` block (A26, A27 and
//!   the full Evaluation, with the people index and previous visits of the exported records),
//!   the batch's `policy` (the settings' policy) and `exported_at`. Records are written in one
//!   order — village, `household_id`, `visit.date`, `id` — so exporting the same records twice
//!   gives the same file but for `exported_at`. Compact JSON, about half the size of pretty.
//! - The name is `core::io::export_file_name` (`额尔和乡-额尔和村-2023-02-20-12户.json`,
//!   `额尔和乡-额尔和村-2023-02-20-1户.json` for one record, `额尔和乡-2023-02-20-35户.json`
//!   for several villages; the date is the export day). It never names a person: a file's
//!   name is not sealed and shows in every chat it is forwarded to.
//! - **Sealed** (issue 14) when 设置 › 乡镇公钥 is set (`Settings::township_key`): the JSON is
//!   sealed to it (`ui::seal::seal_text`: age X25519, ASCII-armoured) and the file is `….txt`;
//!   the result card says 已加密（只有乡镇能打开） (`data-sealed="yes"`), or 未加密 with where to
//!   set the key. Only the township's identity opens it (the office's import, `ruhu open`,
//!   `age -d -i`). What is not sealed and why: `ui::seal`.
//! - Delivery: the file is downloaded at once (a Blob of its UTF-8 bytes, an object URL and
//!   `<a download>`; Android Chrome saves it in 下载/Download). The result card ([`ExportResult`])
//!   then offers `再次下载`, and `分享` only where `navigator.canShare({ files: [file] })`
//!   accepts **this very file** as it will be shared: `….txt`, `text/plain` (`file::share_name`;
//!   Android Chromium's Web Share refuses `.json`, so a plain export is shared as the same JSON
//!   in a `.txt`, and a sealed one is `.txt` already). The share sheet needs a tap of its own,
//!   hence a second button; the share asks `canShare` again with the file before `share`.
//!   Where files cannot be shared the card says how to send the downloaded file in WeChat
//!   (微信 → 文件 → 下载).
//! - **Export never changes a record** (content, `revision`, `updated_at`): the mark is kept
//!   beside it in the store (`RecordMeta.export = { exported_at, revision, shared }`), written
//!   for all exported records in one transaction (`RecordStore::set_export_marks`,
//!   [`mark_exported`]). The mark claims only what happened: a download once the
//!   `<a download>` was clicked (the file handed to the browser; a failure before that marks
//!   nothing) — `已下载 MM-DD HH:MM` — and a share once `navigator.share` resolved (the share
//!   sheet completed; cancelled marks nothing) — `已分享 MM-DD HH:MM` ([`ExportTag`]). Once
//!   the record is saved again (its `revision` above the marked one) it shows `导出后有修改`
//!   (`core::transfer::ExportState`). Whether the township has it is the receipts' answer
//!   (乡镇已接收, below), not the export mark's.
//!
//! # Receipts (回执)
//!
//! After an import the report offers `生成回执`: a `ruhu.receipt/1` file (`core::receipt`: the
//! office's device id and name, and the id, revision, lineage and content hash of every record
//! received — added, updated, unchanged, stale or in conflict; not the refused ones), to send
//! back. The surveyor imports it like any file (it is told from records by its format); each
//! of its entries for a record on the phone is kept in that record's marks
//! (`store::exchange::keep_receipt`), and the home list marks each household 乡镇已接收, or
//! 接收后有修改 once it was saved after the state received (`core::receipt::status`, by
//! lineage), with `未送达乡镇 N 户` at the top and a filter to them.
//!
//! # Tests
//!
//! Natively (`cargo test`): `core::merge` (the merge table, row by row, and properties of
//! copies edited apart), `core::transfer` (the merge table through `plan`, refused files and
//! records, several revisions in the files, superseded conflicts, the same file twice,
//! `take_incoming`, `restore`, export states, shared people) and `core::transfer::diff`
//! (labelled differences).
//! Sealed files, sharing as `.txt` and 乡镇配置: `tests/e2e/specs/seal.spec.mjs` (see
//! `ui::seal`).
//! In the browser (`./x.sh e2e`), `tests/e2e/specs/records-*.spec.mjs` with helpers in
//! `tests/e2e/fixtures/records/harness.mjs`, each "phone" a fresh browser context:
//! - `records-export`: 3 households → `导出全部` (file name, format, policy, a `computed` block
//!   per record) → marks → export again equal → a fresh phone imports it (`新增 3 · …`) and
//!   exports an equal file → the same file again is `未变 3` → an edit shows `导出后有修改`;
//!   `导出本村`, `导出所选`, `导出本户`; `分享` through a stubbed Web Share API, and the note
//!   without it.
//! - `records-import`: a conflict at the same revision resolved `采用文件` (revision max + 1,
//!   `updated_at` and unknown keys as they came), a lower unknown revision resolved
//!   `保留本机` (a new state above both, our content), our own older state skipped, a higher
//!   revision alone a conflict and a later state (by lineage) taken;
//!   truncated / `ruhu.export/2` / CSV / 50 MB of random bytes each refused by name with its
//!   reason and the store unchanged; a bad file beside a good one.
//! - `faults-exchange` (the fault suite's ledger): copies edited apart on two phones imported
//!   both ways (app and office device: a conflict each time, both states kept, a person
//!   resolves field by field or whole, the result descends from both, a re-import is 未变),
//!   crafted files (same id / other household, a revision over 2⁵³−1: refused with the
//!   reason, the record untouched; one at 2⁵³−1 saturates), the receipt round trip and the
//!   未送达乡镇 count. The store's side: `store::contract` (`update_meta…`,
//!   `conflicts_stand_until_settled`, `receipts_mark_stored_records`) on memory and IndexedDB.

use std::sync::Arc;

use leptos::prelude::*;
use uuid::Uuid;

use super::settings::SettingsContext;
use super::{clock, expect_store, seal};
use crate::core::io;
use crate::core::record::Household;
use crate::core::transfer::ExportState;
use crate::store::{AnyStore, ExportMark, RecordMeta, RecordStore};

pub mod conflict;
pub mod file;
pub mod import;
mod unlock;

pub use import::{ImportInput, ImportReport, ImportResult};

/// A file just exported, kept so that it can be shared (or downloaded again).
#[derive(Clone, Debug, PartialEq)]
pub struct Exported {
    /// The file's name: `….json`, or `….txt` when sealed.
    pub name: String,
    /// The name it is shared under (`.txt`: Android Chromium shares no `.json`).
    pub share_name: String,
    /// The file's text: the batch's JSON, or its sealed armour.
    pub text: Arc<str>,
    /// Sealed to the township's public key (`ui::seal`).
    pub sealed: bool,
    pub records: usize,
    pub households: usize,
    /// Each record's id and revision, for the mark of a share that completes.
    pub marked: Arc<Vec<(Uuid, u64)>>,
    /// The bytes of every file of this export (all parts).
    pub size: usize,
    /// The further files when the export was split for sharing (`core::io::split_for_share`):
    /// `…-第2份共3份` and on, name and text (`name`/`text` above are the first).
    pub more: Arc<Vec<(String, Arc<str>)>>,
    /// How many photos are in the files, and what could not go with them (Chinese).
    pub photos: usize,
    pub note: Option<String>,
}

/// The export/import state of one page.
#[derive(Clone, Copy)]
pub struct Transfer {
    /// The last file exported on this page.
    pub exported: RwSignal<Option<Exported>>,
    /// An export or import is running.
    pub busy: RwSignal<bool>,
    /// The last failure, for people.
    pub error: RwSignal<Option<String>>,
    /// Fires when stored records or marks changed (import, conflict choice, export marks).
    pub changed: Trigger,
    /// The report of the last import on this page.
    pub imported: RwSignal<Option<ImportReport>>,
    /// What the last resolution of a conflict on this page did (`已采用文件的版本`).
    pub resolved: RwSignal<Option<String>>,
    /// Sealed files of an import wait for the township key's passphrase (how many).
    pub key_prompt: RwSignal<Option<usize>>,
    /// Every stored record as the page last loaded them, when it keeps them (home): an
    /// import takes the other households from here instead of reading the store again.
    pub loaded: StoredValue<Option<Arc<Vec<Household>>>>,
    /// What the last import wrote (in the order written), set before [`Transfer::changed`]
    /// fires, so that the page can put it into what it loaded instead of reading every record
    /// again; the page takes it.
    pub written: StoredValue<Option<Vec<Household>>>,
}

/// Provides a fresh [`Transfer`] for this page.
pub fn provide_transfer_context() -> Transfer {
    let t = Transfer {
        exported: RwSignal::new(None),
        busy: RwSignal::new(false),
        error: RwSignal::new(None),
        changed: Trigger::new(),
        imported: RwSignal::new(None),
        resolved: RwSignal::new(None),
        key_prompt: RwSignal::new(None),
        loaded: StoredValue::new(None),
        written: StoredValue::new(None),
    };
    provide_context(t);
    t
}

/// The page's [`Transfer`].
pub fn expect_transfer() -> Transfer {
    expect_context::<Transfer>()
}

/// The export state of a record from its marks.
pub fn export_state(record: &Household, meta: Option<&RecordMeta>) -> ExportState {
    let mark = meta.and_then(|m| m.export.as_ref());
    ExportState::of(record.revision, mark.map(|e| (e.exported_at, e.revision)))
        .via(mark.is_some_and(|e| e.shared))
}

/// Writes the batch file of `records` (each with its `computed` block and the policy), seals
/// it to `township_key` when one is set (`ui::seal`: armoured age, `.txt`), and downloads it.
/// The records themselves are not written; their export marks are what [`mark_exported`]
/// stores next.
/// [`export`] with the photos' bytes from the store: each photo's `data` filled (base64,
/// as the format says: the file stays one JSON text that every reader of `ruhu.export/1`
/// reads, the CLI and the office included); over the Web Share limit
/// (`core::evidence::SHARE_LIMIT_BYTES`, less when sealed: the armour is larger) split into
/// several files of whole households (`core::io::split_for_share`), each downloaded.
pub async fn export_with_photos(
    store: &AnyStore,
    records: Vec<Household>,
    policy: &crate::core::policy::Policy,
    township_key: &str,
) -> Result<(Exported, Marks), String> {
    use crate::core::record::AttachmentKind;
    use crate::store::AttachmentStore;
    let ids: Vec<Uuid> = records
        .iter()
        .flat_map(|r| r.attachments.iter())
        .filter(|a| a.kind != Some(AttachmentKind::Signature) && a.data.is_empty())
        .map(|a| a.id)
        .collect();
    if ids.is_empty() {
        return export(records, policy, township_key, None).await;
    }
    let mut bytes = std::collections::HashMap::new();
    for id in &ids {
        if let Some(b) = store.get_attachment(*id).await.map_err(|e| e.message)? {
            bytes.insert(*id, b.bytes);
        }
    }
    export(records, policy, township_key, Some(bytes)).await
}

pub async fn export(
    mut records: Vec<Household>,
    policy: &crate::core::policy::Policy,
    township_key: &str,
    photos: Option<std::collections::HashMap<Uuid, Vec<u8>>>,
) -> Result<(Exported, Marks), String> {
    if records.is_empty() {
        return Err("没有可导出的记录".into());
    }
    let t0 = file::now_ms();
    // One order for every export: village, household, then the household's records in the
    // order of `core::visits` (a round trip gives the same file).
    records.sort_by(|a, b| {
        (&a.address.village, a.household_id)
            .cmp(&(&b.address.village, b.household_id))
            .then_with(|| crate::core::visits::cmp(a, b))
    });
    let now = clock::now();
    let today = clock::today();
    let sealed = !township_key.is_empty();
    let mut photo_count = 0;
    let mut note = None;
    let mut parts: Vec<(String, String)> = match &photos {
        None => vec![(
            io::export_file_name(&records, today),
            io::write_batch(&records, policy, now, today),
        )],
        Some(bytes) => {
            photo_count = bytes.len();
            let limit = crate::core::evidence::share_limit(sealed);
            let lookup = |id: Uuid| bytes.get(&id).cloned();
            let split = io::split_for_share(&records, policy, now, today, &lookup, limit);
            if !split.missing.is_empty() {
                let labels: Vec<String> = split.missing.iter().map(|m| m.label.clone()).collect();
                note = Some(format!(
                    "{} 张照片的内容不在本机，文件中没有这些照片：{}",
                    split.missing.len(),
                    labels.join("、")
                ));
            }
            split.parts.into_iter().map(|p| (p.name, p.text)).collect()
        }
    };
    let t1 = file::now_ms();
    if sealed {
        for (name, text) in &mut parts {
            *text = seal::seal_text(text, township_key)?;
            *name = seal::sealed_name(name);
        }
    }
    let size = parts.iter().map(|(_, t)| t.len()).sum();
    let mut parts = parts.into_iter();
    let (name, text) = parts.next().ok_or("没有可导出的记录")?;
    let more: Vec<(String, Arc<str>)> = parts.map(|(n, t)| (n, Arc::from(t))).collect();
    let t_sealed = file::now_ms();
    let households =
        records.iter().map(|r| r.household_id).collect::<std::collections::HashSet<_>>().len();
    let marked = Arc::new(records.iter().map(|r| (r.id, r.revision)).collect::<Vec<_>>());
    let exported = Exported {
        share_name: file::share_name(&name),
        name,
        text: Arc::from(text),
        sealed,
        records: records.len(),
        households,
        marked,
        size,
        more: Arc::new(more),
        photos: photo_count,
        note,
    };
    file::download(&exported.name, &exported.text)?;
    for (name, text) in exported.more.iter() {
        file::download(name, text)?;
    }
    let t2 = file::now_ms();
    file::log_timing(&format!(
        "export records={} bytes={} sealed={} write_batch_ms={:.0} seal_ms={:.0} download_ms={:.0} total_ms={:.0}",
        exported.records,
        exported.text.len(),
        sealed,
        t1 - t0,
        t_sealed - t1,
        t2 - t_sealed,
        t2 - t0
    ));
    let marks = Marks {
        at: crate::core::record::Timestamp(now),
        records: records.iter().map(|r| (r.id, r.revision)).collect(),
        shared: false,
    };
    Ok((exported, marks))
}

/// The export marks of one export: when, and each record's id and revision.
pub struct Marks {
    pub at: crate::core::record::Timestamp,
    pub records: Vec<(Uuid, u64)>,
    /// The file was shared (the share sheet completed), not downloaded.
    pub shared: bool,
}

/// Stores the export marks (`RecordMeta.export`, other marks kept), all in one transaction.
pub async fn mark_exported(store: &AnyStore, marks: Marks) -> Result<(), String> {
    let t0 = file::now_ms();
    let all: Vec<(Uuid, ExportMark)> = marks
        .records
        .into_iter()
        .map(|(id, revision)| {
            (id, ExportMark { exported_at: marks.at, revision, shared: marks.shared })
        })
        .collect();
    store
        .set_export_marks(&all)
        .await
        .map_err(|e| format!("文件已导出，但导出标记没有保存：{e}"))?;
    file::log_timing(&format!(
        "export-marks records={} marks_ms={:.0}",
        all.len(),
        file::now_ms() - t0
    ));
    Ok(())
}

/// Runs an export for a button: reads what `pick` chooses from the store, exports it, shows
/// the result (or the failure) in the page's [`Transfer`].
pub fn run_export(pick: impl FnOnce(Vec<Household>) -> Vec<Household> + 'static) {
    spawn_export(
        move |store| async move { Ok(pick(store.list().await.map_err(|e| e.to_string())?)) },
    );
}

/// [`run_export`] of records the page already holds (the home list: no second read of the
/// store).
pub fn run_export_records(records: Vec<Household>) {
    spawn_export(move |_| async move { Ok(records) });
}

fn spawn_export<F, Fut>(records: F)
where
    F: FnOnce(AnyStore) -> Fut + 'static,
    Fut: std::future::Future<Output = Result<Vec<Household>, String>> + 'static,
{
    let store = expect_store();
    let SettingsContext { settings, .. } = expect_context::<SettingsContext>();
    let t = expect_transfer();
    if t.busy.get_untracked() {
        return;
    }
    file::log_timing(&format!("export-start at_ms={:.0}", file::now_ms()));
    t.busy.set(true);
    t.error.set(None);
    let (policy, key) = settings.with_untracked(|s| (s.policy.clone(), s.township_key.clone()));
    leptos::task::spawn_local(async move {
        let result = async {
            let chosen = records(store.clone()).await?;
            export_with_photos(&store, chosen, &policy, &key).await
        }
        .await;
        match result {
            // The file is out: say so at once, then mark the records (a transaction that
            // starts before any later read of the marks, so every list shows them).
            Ok((done, marks)) => {
                t.exported.set(Some(done));
                file::log_timing(&format!("export-shown at_ms={:.0}", file::now_ms()));
                match mark_exported(&store, marks).await {
                    Ok(()) => t.changed.notify(),
                    Err(e) => t.error.set(Some(e)),
                }
            }
            Err(e) => t.error.set(Some(e)),
        }
        t.busy.set(false);
    });
}

/// The result of the last export: its file name, whether it is sealed, 分享 where this very
/// file can be shared (`navigator.canShare` asked with it, as `.txt`), and 再次下载.
#[component]
pub fn ExportResult() -> impl IntoView {
    let t = expect_transfer();
    let share_note = RwSignal::new(None::<String>);
    move || {
        let error = t.error.get().map(|e| view! { <p class="alert" role="alert">{e}</p> });
        let done = t.exported.get().map(|done| {
            let can_share = file::can_share(&done.share_name, &done.text);
            let share = {
                let done = done.clone();
                let store = expect_store();
                move |_| {
                    let done = done.clone();
                    let store = store.clone();
                    leptos::task::spawn_local(async move {
                        let note = match file::share_or_download(&done.share_name, &done.text).await {
                            // The share sheet completed: the records are marked 已分享.
                            Ok(file::Shared::Sent) => {
                                let marks = Marks {
                                    at: crate::core::record::Timestamp(clock::now()),
                                    records: (*done.marked).clone(),
                                    shared: true,
                                };
                                match mark_exported(&store, marks).await {
                                    Ok(()) => {
                                        t.changed.notify();
                                        "已分享".to_string()
                                    }
                                    Err(e) => e,
                                }
                            }
                            Ok(file::Shared::Cancelled) => "已取消分享".to_string(),
                            Ok(file::Shared::Downloaded) => "此浏览器不能直接分享文件，已再次下载".to_string(),
                            Err(e) => format!("分享失败：{e}"),
                        };
                        share_note.set(Some(note));
                    });
                }
            };
            let again = {
                let done = done.clone();
                move |_| {
                    let all = std::iter::once((done.name.clone(), done.text.clone()))
                        .chain(done.more.iter().cloned());
                    for (name, text) in all {
                        if let Err(e) = file::download(&name, &text) {
                            t.error.set(Some(e));
                        }
                    }
                }
            };
            // One file over the share limit is not offered to the share sheet (it would refuse).
            let can_share = can_share && done.more.is_empty();
            let parts = done.more.len() + 1;
            let size_note = format!(
                "文件约 {}{}{}",
                crate::core::evidence::size_text(done.size as u64),
                if done.photos > 0 { format!("，含 {} 张照片", done.photos) } else { String::new() },
                if parts > 1 {
                    format!("；超过分享上限（50 MB），已分成 {parts} 个文件下载，请逐个发送")
                } else {
                    String::new()
                },
            );
            let photo_note = done.note.clone();
            let label = format!("已下载 {} 户（{} 条记录）：", done.households, done.records);
            let sealed = done.sealed;
            view! {
                <div class="export-result card" role="status" data-sealed=if sealed { "yes" } else { "no" }>
                    <p>{label}<span class="file-name">{done.name.clone()}</span></p>
                    <p class="muted" data-testid="export-size">{size_note}</p>
                    {photo_note.map(|n| view! { <p class="warn" data-testid="export-photo-note">{n}</p> })}
                    {if sealed {
                        view! { <p class="ok sealed-note" data-testid="sealed-note">"已加密（只有乡镇能打开）：文件内容用乡镇公钥加密，转发途中别人看不到其中的个人信息。"</p> }.into_any()
                    } else {
                        view! { <p class="warn sealed-note" data-testid="sealed-note">"未加密：没有设置乡镇公钥，拿到文件的人都能看到其中的个人信息（设置 › 乡镇公钥）。"</p> }.into_any()
                    }}
                    <p class="muted">"文件已下载到手机的“下载”文件夹。"</p>
                    <div class="actions">
                        {can_share.then(|| view! {
                            <button type="button" class="button primary" on:click=share.clone()>"分享"</button>
                        })}
                        <button type="button" class="button" on:click=again>"再次下载"</button>
                    </div>
                    {(!can_share).then(|| view! {
                        <p class="muted small">"此浏览器不能直接分享文件：请在微信中选择“文件”，从“下载”里发送。"</p>
                    })}
                    {move || share_note.get().map(|n| view! { <p class="muted">{n}</p> })}
                </div>
            }
        });
        view! { {error} {done} }
    }
}

/// `已下载 02-20 09:12` / `已分享 02-20 09:12` / `导出后有修改` as a small tag (nothing
/// when never exported).
#[component]
pub fn ExportTag(state: ExportState) -> impl IntoView {
    let label = state.label();
    (!label.is_empty())
        .then(|| view! { <span class="tag export" data-export=state.code()>{label}</span> })
}
