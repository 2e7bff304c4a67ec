//! `ruhu merge --out OUT FILE...`: merges records and batches, in the order given, by the
//! core's one merge rule (`core::merge::decide`, through `core::transfer::Merger`), and writes
//! one `ruhu.export/1` batch to `OUT` with one state per record.
//!
//! - The files are taken in the order named, and each file's records in their order. A record
//!   not seen before is added; one that descends from the state kept so far (by `lineage`)
//!   replaces it; an older state or the same is nothing; two states edited apart are a
//!   **conflict**, whatever their revisions: the first seen is kept (it is what `OUT` holds,
//!   or a later state of it) and the other is listed. A later record that descends from a
//!   listed one settles it (or replaces it in the list). A record with the same `id` as one
//!   kept but another `household_id`, a `revision` over 2⁵³−1 or a `lineage` out of bounds is
//!   refused and listed. Records from before lineage with other content are conflicts.
//! - Standard output is exactly one JSON object (a contract, `ruhu.merge/1`):
//!   ```json
//!   { "format": "ruhu.merge/1",
//!     "added": [ids], "updated": [ids], "unchanged": [ids],
//!     "conflicts": [ { "id": id, "kept": { "file": f, "revision": n }, "other": { "file": f, "revision": n } } ],
//!     "refused": [ { "file": f, "id": id, "reason": "…" } ] }
//!   ```
//!   Each id is in at most one of `added` (seen once), `updated` (a later state replaced the
//!   first seen), `unchanged` (seen again, never replaced) and `conflicts` (a conflict stands:
//!   one entry per other state), in the order first seen; a refused record is in `refused`
//!   with its file and the reason in Chinese. `file` is the argument as given (`-`: stdin).
//! - Exit 0 when no conflict stands, 1 when one does (`OUT` is written either way), 2 on an
//!   unreadable input or bad arguments (then nothing is written and nothing printed on
//!   standard output; each unreadable file is named on standard error).
//! - `OUT`'s `computed` blocks are evaluated with `--policy` if given, else the policy of the
//!   first input batch that names one, else the shipped line of today's year; `exported_at` is
//!   now. `OUT` is written to a temporary file beside it and renamed, so it may be one of the
//!   inputs.

use std::collections::HashMap;
use std::process::ExitCode;

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate};
use ruhu::core::io;
use ruhu::core::merge::Outcome;
use ruhu::core::policy::Policy;
use ruhu::core::transfer::Merger;
use serde_json::{json, Value};
use uuid::Uuid;

use super::{display_name, print_out, read_input, today_in_china, Usage};

/// The arguments of `merge`.
pub struct MergeOptions {
    out: String,
    policy: Option<String>,
    today: Option<NaiveDate>,
    files: Vec<String>,
}

impl MergeOptions {
    pub fn parse(args: &[String]) -> Result<MergeOptions, Usage> {
        let mut o = MergeOptions { out: String::new(), policy: None, today: None, files: vec![] };
        let mut it = args.iter();
        let mut only_files = false;
        while let Some(a) = it.next() {
            if only_files || a == "-" || !a.starts_with('-') {
                o.files.push(a.clone());
                continue;
            }
            let (key, inline) = match a.split_once('=') {
                Some((k, v)) => (k, Some(v.to_string())),
                None => (a.as_str(), None),
            };
            let mut value = |name: &str| -> Result<String, Usage> {
                inline
                    .clone()
                    .or_else(|| it.next().cloned())
                    .ok_or_else(|| Usage(format!("{name} 后面缺少参数值")))
            };
            match key {
                "--" => only_files = true,
                "--out" => o.out = value("--out")?,
                "--policy" => o.policy = Some(value("--policy")?),
                "--today" => {
                    let v = value("--today")?;
                    let d = NaiveDate::parse_from_str(&v, "%Y-%m-%d").map_err(|_| {
                        Usage(format!("--today 的日期 \"{v}\" 无效，应为 YYYY-MM-DD"))
                    })?;
                    o.today = Some(d);
                }
                _ => return Err(Usage(format!("未知的选项 \"{a}\""))),
            }
        }
        if o.out.is_empty() {
            return Err(Usage("merge 需要 --out 输出文件".into()));
        }
        if o.files.is_empty() {
            return Err(Usage("没有给出要合并的文件".into()));
        }
        Ok(o)
    }
}

/// What happened to one id, for the report's lists.
#[derive(Default)]
struct Seen {
    times: usize,
    updated: bool,
}

/// `merge`: read everything, merge in order, write `OUT`, print the report.
pub fn merge(o: &MergeOptions) -> ExitCode {
    let today = o.today.unwrap_or_else(today_in_china);
    let mut policy = match &o.policy {
        None => None,
        Some(path) => match std::fs::read_to_string(path).map_err(|e| format!("无法读取（{e}）"))
        {
            Ok(text) => match io::read_policy(&text) {
                Ok(p) => Some(p),
                Err(e) => {
                    eprintln!("ruhu: 政策参数文件 {path}: {e}");
                    return ExitCode::from(2);
                }
            },
            Err(e) => {
                eprintln!("ruhu: 政策参数文件 {path}: {e}");
                return ExitCode::from(2);
            }
        },
    };

    let mut inputs = Vec::new();
    let mut unreadable = false;
    for file in &o.files {
        match read_input(file) {
            Ok(export) => {
                if policy.is_none() {
                    policy = export.policy.clone();
                }
                inputs.push((file.clone(), export.records));
            }
            Err(e) => {
                unreadable = true;
                eprintln!("ruhu: {}: {e}", display_name(file));
            }
        }
    }
    if unreadable {
        eprintln!("ruhu: 有文件无法读取，没有写出 {}", o.out);
        return ExitCode::from(2);
    }

    let (none, no_history) = (HashMap::new(), HashMap::new());
    let mut m = Merger::new(&none, &no_history);
    let mut order: Vec<Uuid> = Vec::new();
    let mut seen: HashMap<Uuid, Seen> = HashMap::new();
    for (file, records) in inputs {
        for record in records {
            let id = record.id;
            match m.offer(&file, record) {
                Outcome::Refused(_) => continue,
                outcome => {
                    let s = seen.entry(id).or_insert_with(|| {
                        order.push(id);
                        Seen::default()
                    });
                    s.times += 1;
                    s.updated |= outcome == Outcome::Update;
                }
            }
        }
    }
    let plan = m.finish();

    let in_conflict: std::collections::HashSet<Uuid> =
        plan.conflicts.iter().map(|c| c.incoming.id).collect();
    let (mut added, mut updated, mut unchanged) = (vec![], vec![], vec![]);
    for id in &order {
        let s = &seen[id];
        let list = if in_conflict.contains(id) {
            continue;
        } else if s.updated {
            &mut updated
        } else if s.times > 1 {
            &mut unchanged
        } else {
            &mut added
        };
        list.push(Value::String(id.to_string()));
    }
    let conflicts: Vec<Value> = plan
        .conflicts
        .iter()
        .map(|c| {
            json!({
                "id": c.incoming.id.to_string(),
                "kept": { "file": c.local_file.clone().unwrap_or_default(), "revision": c.local.revision },
                "other": { "file": c.file, "revision": c.incoming.revision },
            })
        })
        .collect();
    let refused: Vec<Value> = plan
        .refused_records
        .iter()
        .map(|r| json!({ "file": r.file, "id": r.id.to_string(), "reason": r.reason() }))
        .collect();

    let policy = policy.unwrap_or_else(|| Policy::shipped(today.year()));
    let records: Vec<_> = plan.latest().into_iter().cloned().collect();
    let text = io::write_batch(&records, &policy, now_in_china(), today);
    if let Err(e) = write_atomically(&o.out, text.as_bytes()) {
        eprintln!("ruhu: 无法写出 {}：{e}", o.out);
        return ExitCode::from(2);
    }

    let report = json!({
        "format": "ruhu.merge/1",
        "added": added,
        "updated": updated,
        "unchanged": unchanged,
        "conflicts": conflicts,
        "refused": refused,
    });
    let mut out = serde_json::to_string_pretty(&report).expect("the report serialises");
    out.push('\n');
    print_out(&out);
    if plan.conflicts.is_empty() {
        ExitCode::SUCCESS
    } else {
        eprintln!(
            "ruhu: {} 处冲突（两份记录各自修改过）：{} 中保留先读到的一份，另一份见 conflicts，请人工核对",
            plan.conflicts.len(),
            o.out
        );
        ExitCode::from(1)
    }
}

/// Now in Beijing time (UTC+8), from the system clock, to the second.
pub(super) fn now_in_china() -> DateTime<FixedOffset> {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0);
    let utc8 = FixedOffset::east_opt(8 * 3600).expect("UTC+8 is an offset");
    DateTime::from_timestamp(secs, 0).unwrap_or_default().with_timezone(&utc8)
}

/// Writes `bytes` to a temporary file beside `path`, then renames it over `path`: a reader
/// never sees half a file, and an input named as `OUT` is read whole before it is replaced.
fn write_atomically(path: &str, bytes: &[u8]) -> std::io::Result<()> {
    let target = std::path::Path::new(path);
    let name = target.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let tmp = target.with_file_name(format!(".{name}.ruhu-merge-{}", std::process::id()));
    std::fs::write(&tmp, bytes)?;
    std::fs::rename(&tmp, target).inspect_err(|_| {
        let _ = std::fs::remove_file(&tmp);
    })
}
