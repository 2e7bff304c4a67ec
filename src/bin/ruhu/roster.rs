//! `ruhu roster` and `ruhu reconcile`: the national system's list (花名册) read, turned into
//! prefilled drafts, and reconciled with the stored records (issue 12), on the core's
//! `roster` and `reconcile` modules.
//!
//! - `ruhu roster FILE`: the roster as read (JSON) on stdout, its warnings on stderr.
//! - `ruhu roster --prefill [--village NAME] FILE`: the drafts as a `ruhu.export/1` batch.
//! - `ruhu reconcile --roster FILE RECORDS...`: `ruhu.reconcile/1` on stdout (exactly that
//!   format: the 动态管理清单 is not part of it; its counts go to stderr), exit 0 whatever it
//!   finds.
//!
//! Exit 2 when the roster or a record file cannot be read (the message names the cell) or
//! the arguments are wrong.

use std::io::Read;
use std::process::ExitCode;

use chrono::{Datelike, FixedOffset, NaiveDate, TimeZone};
use ruhu::core::io::{self, MAX_INPUT_BYTES};
use ruhu::core::policy::Policy;
use ruhu::core::reconcile;
use ruhu::core::record::Household;
use ruhu::core::roster::{self, prefill, Roster};

use super::{display_name, print_out, read_input, today_in_china, Usage};

/// The options of both commands.
#[derive(Default)]
struct Args {
    prefill: bool,
    village: Option<String>,
    roster: Option<String>,
    policy: Option<String>,
    today: Option<NaiveDate>,
    files: Vec<String>,
}

fn parse(args: &[String], command: &str) -> Result<Args, Usage> {
    let mut o = Args::default();
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
        match (command, key) {
            (_, "--") => only_files = true,
            ("roster", "--prefill") if inline.is_none() => o.prefill = true,
            ("roster", "--village") => o.village = Some(value("--village")?),
            ("reconcile", "--roster") => o.roster = Some(value("--roster")?),
            (_, "--policy") => o.policy = Some(value("--policy")?),
            (_, "--today") => {
                let v = value("--today")?;
                let d = NaiveDate::parse_from_str(&v, "%Y-%m-%d")
                    .map_err(|_| Usage(format!("--today 的日期 \"{v}\" 无效，应为 YYYY-MM-DD")))?;
                o.today = Some(d);
            }
            _ => return Err(Usage(format!("{command} 不认识选项 \"{a}\""))),
        }
    }
    Ok(o)
}

/// Reads a policy file (`None` without `--policy`); the message is printed by the caller.
fn policy(path: &Option<String>) -> Result<Option<Policy>, String> {
    let Some(path) = path else { return Ok(None) };
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("政策参数文件 {path}: 无法读取（{e}）"))?;
    io::read_policy(&text).map(Some).map_err(|e| format!("政策参数文件 {path}: {e}"))
}

/// The bytes of a file (or stdin for `-`), refused beyond the input limit.
pub(super) fn bytes_of(name: &str) -> Result<Vec<u8>, String> {
    let mut bytes = Vec::new();
    let why = |e: std::io::Error| match e.kind() {
        std::io::ErrorKind::NotFound => "文件不存在".to_string(),
        std::io::ErrorKind::PermissionDenied => "没有读取权限".to_string(),
        _ => format!("无法读取（{e}）"),
    };
    if name == "-" {
        std::io::stdin()
            .lock()
            .take(super::seal::MAX_SEALED_BYTES as u64 + 1)
            .read_to_end(&mut bytes)
            .map_err(why)?;
    } else {
        if std::fs::metadata(name).map_err(why)?.is_dir() {
            return Err("这是一个目录，不是文件".into());
        }
        std::fs::File::open(name)
            .map_err(why)?
            .take(super::seal::MAX_SEALED_BYTES as u64 + 1)
            .read_to_end(&mut bytes)
            .map_err(why)?;
    }
    let limit = if ruhu::core::io::is_sealed(&bytes) {
        super::seal::MAX_SEALED_BYTES
    } else {
        MAX_INPUT_BYTES
    };
    if bytes.len() > limit {
        return Err(format!("文件超过 {} MB，不予读取", MAX_INPUT_BYTES / 1024 / 1024));
    }
    Ok(bytes)
}

/// Reads the roster, printing its warnings on stderr; `None` (after printing why) when it
/// cannot be read.
fn read_roster(path: &str) -> Option<Roster> {
    let name = std::path::Path::new(path)
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .filter(|_| path != "-")
        .unwrap_or_else(|| display_name(path).to_string());
    let bytes = match bytes_of(path) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("ruhu: {name}: {e}");
            return None;
        }
    };
    // A sealed roster is opened with --identity like a record file.
    let bytes = match super::seal::opened(&bytes, path) {
        Ok(b) => b.into_owned(),
        Err(e) => {
            eprintln!("ruhu: {name}: {e}");
            return None;
        }
    };
    match roster::read(&name, &bytes) {
        Ok(r) => {
            for w in &r.warnings {
                eprintln!("提醒 [{}] {w}", w.code.code());
            }
            eprintln!(
                "花名册 {name}：{} 户 {} 人，{} 条提醒{}。",
                r.households.len(),
                r.people(),
                r.warnings.len(),
                if r.unused_columns.is_empty() {
                    String::new()
                } else {
                    format!("；未使用的列：{}", r.unused_columns.join("、"))
                }
            );
            Some(r)
        }
        Err(e) => {
            for line in e.to_string().lines() {
                eprintln!("ruhu: {line}");
            }
            None
        }
    }
}

/// Now in Beijing time (UTC+8).
fn now_in_china() -> chrono::DateTime<FixedOffset> {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0);
    FixedOffset::east_opt(8 * 3600)
        .expect("UTC+8")
        .timestamp_opt(secs, 0)
        .single()
        .expect("a valid timestamp")
}

/// `ruhu roster [--prefill [--village NAME]] FILE`.
pub fn roster_cmd(args: &[String]) -> Result<ExitCode, Usage> {
    let o = parse(args, "roster")?;
    let file = match o.files.as_slice() {
        [one] => one,
        [] => return Err(Usage("没有给出花名册文件".into())),
        [_, more, ..] => return Err(Usage(format!("只能给一个花名册文件，多余的参数 \"{more}\""))),
    };
    if o.village.is_some() && !o.prefill {
        return Err(Usage("--village 只和 --prefill 一起使用".into()));
    }
    let today = o.today.unwrap_or_else(today_in_china);
    let policy = match policy(&o.policy) {
        Ok(p) => p.unwrap_or_else(|| Policy::shipped(today.year())),
        Err(e) => {
            eprintln!("ruhu: {e}");
            return Ok(ExitCode::from(2));
        }
    };
    let Some(r) = read_roster(file) else { return Ok(ExitCode::from(2)) };
    if !o.prefill {
        let mut text = serde_json::to_string_pretty(&r).expect("the roster serialises");
        text.push('\n');
        print_out(&text);
        return Ok(ExitCode::SUCCESS);
    }
    if let Some(v) = &o.village {
        if !r.villages().contains(&v.as_str()) {
            let known: Vec<&str> = r.villages().into_iter().filter(|v| !v.is_empty()).collect();
            eprintln!("ruhu: 花名册中没有行政村“{v}”（有：{}）", known.join("、"));
            return Ok(ExitCode::from(2));
        }
    }
    let now = now_in_china();
    let batch = prefill::write_drafts(&r, o.village.as_deref(), &policy, now, today);
    let n = prefill::drafts(&r, o.village.as_deref(), now).len();
    eprintln!("已生成 {n} 户预填的待入户记录（ruhu.export/1）。");
    print_out(&batch);
    Ok(ExitCode::SUCCESS)
}

/// `ruhu reconcile --roster FILE [--policy P] RECORDS...`.
pub fn reconcile_cmd(args: &[String]) -> Result<ExitCode, Usage> {
    let o = parse(args, "reconcile")?;
    let Some(roster_file) = &o.roster else {
        return Err(Usage("reconcile 需要 --roster 花名册文件".into()));
    };
    if o.files.is_empty() {
        return Err(Usage("没有给出入户记录文件".into()));
    }
    let today = o.today.unwrap_or_else(today_in_china);
    let policy = match policy(&o.policy) {
        Ok(p) => p.unwrap_or_else(|| Policy::shipped(today.year())),
        Err(e) => {
            eprintln!("ruhu: {e}");
            return Ok(ExitCode::from(2));
        }
    };
    let mut unreadable = false;
    let roster = read_roster(roster_file);
    unreadable |= roster.is_none();
    let mut records: Vec<Household> = Vec::new();
    for file in &o.files {
        match read_input(file) {
            Ok(export) => records.extend(export.records),
            Err(e) => {
                unreadable = true;
                eprintln!("ruhu: {}: {e}", display_name(file));
            }
        }
    }
    let Some(roster) = roster.filter(|_| !unreadable) else { return Ok(ExitCode::from(2)) };
    let rec = reconcile::reconcile(&roster, &records, &policy, today);
    let c = &rec.changes;
    eprintln!(
        "动态管理清单：人口自然增加 {} 人，自然减少 {} 人；建议新识别 {} 户；风险消除 {} 户；户类型变更 {} 户。",
        c.persons_to_add.len(),
        c.persons_to_remove.len(),
        c.households_to_identify.len(),
        c.eliminations.len(),
        c.category_changes.len()
    );
    let mut text = serde_json::to_string_pretty(&rec).expect("the reconciliation serialises");
    text.push('\n');
    print_out(&text);
    Ok(ExitCode::SUCCESS)
}
