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
//!    fails, nothing is stored.
//! 4. The report: `新增 N · 更新 N · 冲突 N · 无效 N` (`merge::Tally::summary`, `· 未变 N` when
//!    some were already here; 无效 counts refused files and refused records), the refused
//!    files and records (`core::transfer::Plan::all_refused`), the people the imported
//!    households share with another household (`张伟（1507…）同时登记在：额尔和村张伟户、
//!    霍日里村郭建华户`, `core::transfer::shared_people`, each household's latest visit), and
//!    the conflicts ([`ConflictView`]).
//! 5. Imported records keep every key they came with (unknown keys at any level); `computed`
//!    is dropped and recomputed, as the format says.
//!
//! The home list puts the written records into the list it had loaded instead of reading the
//! store again (`ui/home.rs`); the import takes the other households for the duplicate-ID
//! check from that list too. The figures: `tests/bench/README.md`, *Records on the phone*.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use leptos::prelude::*;
use uuid::Uuid;

use super::conflict::ConflictView;
use super::file;
use super::{expect_transfer, Transfer};
use crate::core::io::{self, ReadError};
use crate::core::record::Household;
use crate::core::transfer::{self as plan, Conflict, IncomingFile, Refused, SharedPerson};
use crate::store::{AnyStore, AsRead, Held, RecordStore};
use crate::ui::expect_store;

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
}

/// A picked file as read: its records (or why it was refused) and the bytes they were read
/// from, so that [`RecordStore::compare`] can find an exact copy of a stored record by
/// comparing bytes, without encoding the record again.
pub struct Picked {
    pub file: IncomingFile,
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

/// Reads one picked file; a file over the size limit is refused without being read.
/// `ms` adds the time spent getting its bytes and reading its records (for the benchmark).
async fn read_file(f: &web_sys::File, ms: &mut [f64; 2]) -> Picked {
    let name = f.name();
    let size = f.size();
    let mut bytes = Vec::new();
    let result = if size > io::MAX_INPUT_BYTES as f64 {
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
    if result.is_err() {
        bytes = Vec::new();
    }
    Picked { file: IncomingFile { name, result }, bytes }
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
    // Where each record is in its file: to find exact copies of stored records, and to store
    // records without encoding them again.
    let places = places(&picked);
    let mut texts: Vec<Vec<u8>> = Vec::with_capacity(count);
    let mut files: Vec<IncomingFile> = Vec::with_capacity(count);
    for p in picked {
        texts.push(p.bytes);
        files.push(p.file);
    }
    let incoming: Vec<&Household> =
        files.iter().filter_map(|f| f.result.as_ref().ok()).flatten().collect();
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
        _ if touched.is_empty() => Arc::new(Vec::new()),
        Some(records) => records,
        None => Arc::new(store.list().await.map_err(|e| e.to_string())?),
    };
    let t4 = file::now_ms();
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
        store
            .put_all_as_read(&p.writes, &bytes)
            .await
            .map_err(|e| format!("导入没有完成，本机记录没有改变：{e}"))?;
    }
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
    };
    Ok((report, p.writes))
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
/// picked again.
pub fn run_import(
    store: AnyStore,
    t: Transfer,
    picked: Vec<web_sys::File>,
    input: Option<web_sys::HtmlInputElement>,
) {
    let report = t.imported;
    if picked.is_empty() || t.busy.get_untracked() {
        return;
    }
    t.busy.set(true);
    t.error.set(None);
    report.set(None);
    leptos::task::spawn_local(async move {
        let t_read = file::now_ms();
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
        match import(&store, files, t.loaded.get_value()).await {
            Ok((mut r, written)) => {
                r.seq = SEQ.with(|s| {
                    s.set(s.get() + 1);
                    s.get()
                });
                report.set(Some(r));
                file::log_timing(&format!("import-shown at_ms={:.0}", file::now_ms()));
                // The page's list takes what was written — after the report is painted
                // (a frame, then a task), not before it.
                if !written.is_empty() {
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

/// The report of the last import on this page, if any.
#[component]
pub fn ImportResult() -> impl IntoView {
    let t = expect_transfer();
    move || t.imported.get().map(|r| view! { <ImportReportView report=r/> })
}

/// The report of one import.
#[component]
fn ImportReportView(report: ImportReport) -> impl IntoView {
    let ImportReport { summary, refused, conflicts, shared, files, seq } = report;
    let title = if files == 1 {
        "导入结果".to_string()
    } else {
        format!("导入结果（{files} 个文件）")
    };
    view! {
        <section class="import-report card" aria-live="polite" data-seq=seq>
            <h2>{title}</h2>
            <p class="import-summary" data-testid="import-summary">{summary}</p>
            {(!refused.is_empty()).then(|| view! {
                <div class="refused alert" role="alert">
                    <p>"以下文件没有导入（本机记录没有因此改变）："</p>
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
                <div class="conflicts">
                    <p>"以下记录本机和导入的版本不同，请逐条选择保留哪一个："</p>
                    {conflicts.into_iter().map(|c| view! { <ConflictView conflict=c/> }).collect_view()}
                </div>
            })}
        </section>
    }
}
