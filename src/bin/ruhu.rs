//! `ruhu`: the native command-line tool on the same core as the web app.
//!
//! Reads `ruhu.household/1` records and `ruhu.export/1` batches, evaluates them with the
//! risk engine, prints a JSON array (`evaluate`) or a report for people (`validate`), the
//! JSON Schema of the record (`schema`) and the rule catalogue (`rules`, `rules --markdown`:
//! the table in the README), and merges files into one batch (`merge`, [`merge`](mod@merge)).
//! Sealed (age) inputs are read with `--identity`; `seal`, `open` and `keygen` make and open
//! them ([`seal`](mod@seal)).
//! Standard library only besides the core. Exit codes: 0 fine, 1 an error-severity finding
//! (`validate`) or a conflict (`merge`), 2 unreadable input or bad arguments.
//!
//! It is for the township office checking the batches surveyors send in, for scripts, and for
//! testing; it reads what the app exports and never changes a file (`merge` writes only the
//! `--out` file it is given).
//!
//! ```sh
//! cargo build --release --bin ruhu          # target/release/ruhu
//! cargo run --bin ruhu -- --help            # or run it through cargo
//! ```
//!
//! - `FILE` may be `-` for standard input. Files over 64 MB, non-UTF-8 text (GBK, UTF-16) and
//!   Excel workbooks are refused with a message saying so (`io::read_bytes`).
//! - All inputs are checked together: the same ID number in two households gives
//!   `id-number-elsewhere`, and a later visit of a household (same `household_id`, or its
//!   `previous_id`) is compared with the earlier one (`income-drop`).
//! - Without `--policy`, each record is judged against the shipped monitoring line of its
//!   visit's year (`Policy::shipped`), which is **unconfirmed** and says so in every income
//!   message. A policy file is JSON with `year` and `monitoring_line` required, read with the
//!   same checks as the app's settings (`io::read_policy`); `tests/fixtures/policy-2023.json`:
//!   ```json
//!   { "year": 2023, "monitoring_line": "7000", "near_line_factor": "1.2",
//!     "elimination_min_months": 6, "unresolved_flag_months": 12, "confirmed": true,
//!     "source": "示例：额尔和乡乡村振兴办公室核对的 2023 年防止返贫监测范围（年人均纯收入 7000 元）" }
//!   ```
//! - `--today` fixes "today" (default: the date in Beijing time); it only matters for
//!   `visit-date-future`. The tests use it so that results do not depend on the clock.
//! - **Attachments** (佐证材料 photos and signatures, `evidence`): `validate` checks each one's
//!   `data` (standard base64, not too large) against its `sha256` and lists the problems under
//!   the household, with their codes (`[attachment-sha256-mismatch] 错误：张伟户的照片“危房正面”
//!   内容与其 sha256 不符…`, 位置 `attachments[1].sha256`), prints the household's 佐证材料
//!   in short, and names at the end the files the app would refuse as a whole; an attachment
//!   error makes the exit code 1. `evaluate`, `merge` and `roster` refuse such a file, as the
//!   app's importer does (`io::read_export`): exit code 2 with the file, the path and the
//!   reason. `tests/fixtures/evidence-tampered.json` holds a good and a tampered photo.
//!
//! # The example files
//!
//! `tests/fixtures/` holds realistic records of 额尔和乡 (names, villages and ID numbers made
//! up; the ID numbers have correct check characters, area code 150722):
//!
//! | file | household | what the engine says |
//! |---|---|---|
//! | `general-no-risk.json` | 额尔和村, 张伟 (汉族), 3 people, 一般农牧户 | no findings; `identify: "no"` |
//! | `exited-below-line.json` | 额尔和村, 敖文明 (达斡尔族), 4 people, 脱贫享受政策户, A27 4,650.00 | `income-below-line`; `yes`, suggested 脱贫不稳定户; two key-group members |
//! | `serious-illness.json` | 霍日里村, 郭建华, wife with 尿毒症, A28 38,000 medical expense | `rigid-expense` (13,666.67 per head, 1,000.00 after the expense); `yes`, suggested 突发严重困难户 |
//! | `monitored-marginal.json` | 西瓦尔图村, 巴特尔 (蒙古族), 边缘易致贫户 identified 2022-03-10, measures, 帮扶消除 after 11 months | no findings; `monitored` |
//! | `minor-version-1.1.json` | 额尔和村, 沃桂芝, 特困供养 | written by a "newer app": format `ruhu.household/1.1`, money as JSON numbers, a lower-case `x`, omitted and unknown keys (all read and kept) |
//! | `batch-2023q1.json` | a `ruhu.export/1` batch of 6 records in 3 villages, with `computed` blocks | below |
//! | `policy-2023.json` | a confirmed 2023 policy file | |
//! | `bad/*.json` | an unknown code, `ruhu.household/2`, not JSON (a CSV), a truncated file, a wrong type, a bad policy | each refused with its path |
//!
//! # Sample runs (trimmed)
//!
//! ```console
//! $ ruhu validate --today 2023-02-24 tests/fixtures/batch-2023q1.json
//! == tests/fixtures/batch-2023q1.json · 第 1/6 条 ==
//! 地址：额尔和乡 额尔和村 第一村民小组
//! 户主：张伟（3 人，一般农牧户）
//! 走访：2023-02-20，排查人 孟庆春，已完成
//! 结论：无风险信号 · 暂无风险
//! A26 家庭总收入：81,000.00 元
//! A27 家庭人均纯收入：22,000.00 元（2023 年监测标准 7,000.00 元，未经核对）
//! 没有发现问题。
//! …
//! == tests/fixtures/batch-2023q1.json · 第 6/6 条 ==
//! 地址：额尔和乡 霍日里村 第一村民小组
//! 户主：何金山（3 人，脱贫户 · 脱贫不享受政策户）
//! 走访：2023-02-23，排查人 何建军，草稿
//! 结论：有风险 · 建议纳入监测（脱贫不稳定户）
//! A26 家庭总收入：22,800.00 元
//! A27 家庭人均纯收入：6,266.67 元（2023 年监测标准 7,000.00 元，未经核对）
//! 错误（6 条）
//!   - [answer-missing] A30 是否全部参加城乡居民基本医疗保险未填写。
//!       位置：guarantees.all_insured
//!   …
//!   - [id-number-invalid] 第2位成员吴凤兰的证件号码有误：身份证号校验码错误（按前17位应为 2）。
//!       位置：members[1].id_number
//! 风险（1 条）
//!   - [income-below-line] 家庭人均纯收入 6,266.67 元（纯收入 18,800.00 元 ÷ 3 人），低于 2023 年监测标准 7,000.00 元（未经核对）。
//!       位置：income
//! 信息（2 条）
//!   - [key-group] 第1位成员何金山（65岁）属于重点人群：慢性病患者。
//!       位置：members[0].name
//!   …
//!
//! 合计 6 条记录：5 条可以定稿，1 条有错误；4 条有风险，3 条建议纳入监测。
//! $ echo $?
//! 1
//! ```
//!
//! `evaluate` prints one Evaluation of `rules.md` per record (trimmed):
//!
//! ```console
//! $ ruhu evaluate --today 2023-02-24 tests/fixtures/serious-illness.json
//! [
//!   {
//!     "record_id": "93ea5ab6-c892-422c-b5a0-5c3b93e518e6",
//!     "engine": "ruhu-rules/1",
//!     "policy": { "year": 2023, "monitoring_line": "7000", …, "confirmed": false, "source": "出厂默认值（未经核对）" },
//!     "per_capita_net": "13666.67",
//!     "per_capita_after_rigid": "1000.00",
//!     "at_risk": true,
//!     "identify": "yes",
//!     "suggested_category": "monitored_hardship",
//!     "suggested_risk_types": ["illness"],
//!     "findings": [
//!       { "code": "rigid-expense", "severity": "risk", "message": "家庭人均纯收入 13,666.67 元，…", "paths": ["income.other_expense"] },
//!       { "code": "key-group", "severity": "info", "message": "第2位成员王秀英（45岁）属于重点人群：大病患者。", "paths": ["members[1].name"] }
//!     ],
//!     "can_finalize": true
//!   }
//! ]
//! $ ruhu evaluate tests/fixtures/batch-2023q1.json | jq -r '.[] | select(.identify == "yes") | [.record_id, .suggested_category, .per_capita_net] | @tsv'
//! ```
//!
//! Unreadable input: the file, the JSON path and what is wrong, in Chinese; exit code 2.
//!
//! ```console
//! $ ruhu evaluate tests/fixtures/bad/unknown-code.json
//! ruhu: tests/fixtures/bad/unknown-code.json: records[3].members[2].relation: 未知的代码 "boss"
//! $ ruhu evaluate tests/fixtures/bad/truncated.json tests/fixtures/bad/format-v2.json
//! ruhu: tests/fixtures/bad/truncated.json: 文件不完整：在第 105 行第 16 列意外结束（可能是保存或传输时被截断）
//! ruhu: tests/fixtures/bad/format-v2.json: format: 不支持的格式版本 "ruhu.household/2"（本程序支持 ruhu.household/1）
//! $ ruhu evaluate tests/fixtures/bad/wrong-type.json
//! ruhu: tests/fixtures/bad/wrong-type.json: guarantees.dropout: 类型不对：应为是/否（true 或 false），实际是 字符串 "否"
//! ```
//!
//! `ruhu rules --markdown` prints the catalogue as a Markdown table (code, severity, title,
//! why); the README's rules table is that output, between `<!-- rules:begin -->` and
//! `<!-- rules:end -->`, and `tests/docs.rs` fails when the two differ. To refresh it, paste the
//! command's output between the markers.
//!
//! Speed: `tests/bench/README.md`, *The CLI* (6,000 records in about a second, optimised).
//!
//! # Keeping things in step
//!
//! - `tests/snapshots/household.schema.json` is the committed schema; `tests/cli.rs` fails when
//!   the types generate a different one. Regenerate with
//!   `cargo run --bin ruhu -- schema > tests/snapshots/household.schema.json` (or
//!   `UPDATE_SNAPSHOTS=1 cargo test --test cli`) and review the diff.
//! - The version-1 single-record fixtures are byte for byte what `io::write_record` writes;
//!   `UPDATE_SNAPSHOTS=1 cargo test --test roundtrip the_example_files` rewrites them (and the
//!   batch's `computed` blocks) after an intended change.
//! - The README's rules table is the output of `ruhu rules --markdown` (above).

use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::process::ExitCode;

use chrono::{Datelike, Days, NaiveDate};
use ruhu::core::evaluation::{Evaluation, Severity};
use ruhu::core::evidence;
use ruhu::core::followup::people_index;
use ruhu::core::io::{self, ReadError};
use ruhu::core::policy::Policy;
use ruhu::core::record::Household;
use ruhu::core::rules::{self, yuan, Context, CATALOG};
use ruhu::core::visits;

/// `ruhu merge` (a file of its own beside this one).
#[path = "ruhu/merge.rs"]
mod merge;

/// `ruhu roster` and `ruhu reconcile` (a file of their own beside this one).
#[path = "ruhu/roster.rs"]
mod roster;

/// Sealed files: `--identity`, `ruhu seal`, `ruhu open`, `ruhu keygen`. The CLI is native;
/// the wasm32 lint still compiles it, without the core's `seal`, so there a stub stands in.
#[cfg_attr(not(target_arch = "wasm32"), path = "ruhu/seal.rs")]
#[cfg_attr(target_arch = "wasm32", path = "ruhu/seal_stub.rs")]
mod seal;

const HELP: &str = "\
ruhu — 入户：防返贫监测排查记录的命令行工具
       command-line tool for ruhu household records (ruhu.household/1, ruhu.export/1)

用法 Usage:
  ruhu evaluate [--policy 文件] [--today YYYY-MM-DD] 文件...
        输出每条记录的研判结果（JSON 数组，按输入顺序）
        print one Evaluation per record, as a JSON array, in input order
  ruhu validate [--policy 文件] [--today YYYY-MM-DD] 文件...
        逐户检查报告：结论、A26/A27、按级别列出的问题，以及附件（照片、签名）的 sha256 与 base64
        a readable report per record, attachments (sha256, base64) included; exit 1 if any
        error-severity finding or attachment error stands
  ruhu merge --out 输出文件 [--policy 文件] [--today YYYY-MM-DD] 文件...
        按给出的顺序合并记录（按修改来源判断新旧；各自修改过的两份为冲突，保留先读到的一份），
        写出一个批量文件，并输出 JSON 报告（ruhu.merge/1）；有冲突时退出码为 1
        merge records in the order given into one ruhu.export/1 file; prints a ruhu.merge/1
        report; exit 1 if a conflict stands
  ruhu roster [--prefill [--village 村]] [--policy 文件] 花名册
        读取花名册（.xlsx/.xls/.csv）：输出读到的户和人（JSON），提醒写到标准错误；
        --prefill 输出预填的待入户记录（ruhu.export/1），--village 只要一个行政村
        read a roster (national system list) as JSON, warnings on stderr; --prefill writes
        the prefilled draft records (ruhu.export/1), --village for one village only
  ruhu reconcile --roster 花名册 [--policy 文件] [--today YYYY-MM-DD] 文件...
        花名册与入户记录核对（机账实一致），输出 ruhu.reconcile/1（JSON），有差异也退出 0
        reconcile a roster with the records: ruhu.reconcile/1 JSON, exit 0 whatever it finds
  ruhu seal --to age1… 文件 > 文件.txt
        用乡镇公钥加密（age，ASCII 文本）；输出到标准输出
        seal a file to the township's age recipient, armoured, on stdout
  ruhu open --identity 私钥文件 文件   解密到标准输出 / print a sealed file's content
  ruhu keygen --out 私钥文件 [--lock]
        生成乡镇密钥对：私钥写入文件（不覆盖已有文件；--lock 用环境变量 RUHU_PASSPHRASE 的口令
        加密），公钥 age1… 输出到标准输出
        make a key pair: the identity into the file, the recipient on stdout
  ruhu schema              输出 ruhu.household/1 的 JSON Schema / print the JSON Schema
  ruhu rules [--markdown]  列出全部规则 / list the rule catalogue
  ruhu --help | --version

文件 FILE  单户记录或批量文件；\"-\" 表示标准输入。所有输入一起检查“同一人登记在别的户”。
           a record or a batch; \"-\" reads stdin. All inputs are checked together.
--policy   政策参数文件，如 {\"year\":2023,\"monitoring_line\":\"7000\"}；
           不给时按走访年份用出厂默认值（未经核对）。
           policy file; default: the shipped, unconfirmed line of the visit's year.
--today    今天的日期（默认按北京时间），用于检查走访日期。 today (default: Beijing time).
--identity 乡镇私钥文件（age-keygen 或 ruhu keygen 生成）：读取加密的记录文件和花名册。
           the township's identity file: read sealed (age) inputs of any command.

退出码 Exit: 0 正常 ok · 1 有错误级问题 errors found (validate) 或有冲突 a conflict (merge) · 2 无法读取或参数错误 unreadable input / bad usage
";

/// A command-line problem: printed as `ruhu: …`, exit 2.
struct Usage(String);

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match run(&args) {
        Ok(code) => code,
        Err(Usage(msg)) => {
            eprintln!("ruhu: {msg}");
            eprintln!("运行 `ruhu --help` 查看用法。 Run `ruhu --help` for usage.");
            ExitCode::from(2)
        }
    }
}

fn run(args: &[String]) -> Result<ExitCode, Usage> {
    let args = seal::take_identity(args)?;
    let Some((cmd, rest)) = args.split_first() else {
        print!("{HELP}");
        return Ok(ExitCode::from(2));
    };
    match cmd.as_str() {
        "-h" | "--help" | "help" => {
            print!("{HELP}");
            Ok(ExitCode::SUCCESS)
        }
        "-V" | "--version" => {
            println!(
                "ruhu {} ({}, {})",
                env!("CARGO_PKG_VERSION"),
                rules_engine(),
                ruhu::core::record::HOUSEHOLD_FORMAT
            );
            Ok(ExitCode::SUCCESS)
        }
        "evaluate" | "validate" => {
            let opts = Options::parse(rest)?;
            Ok(check(cmd == "evaluate", &opts))
        }
        "merge" => {
            let opts = merge::MergeOptions::parse(rest)?;
            Ok(merge::merge(&opts))
        }
        "roster" => roster::roster_cmd(rest),
        "seal" => seal::seal_cmd(rest),
        "open" => seal::open_cmd(rest),
        "keygen" => seal::keygen_cmd(rest),
        "reconcile" => roster::reconcile_cmd(rest),
        "schema" => {
            no_more(rest)?;
            print_out(&schema());
            Ok(ExitCode::SUCCESS)
        }
        "rules" => {
            let markdown = match rest {
                [] => false,
                [m] if m == "--markdown" => true,
                _ => {
                    return Err(Usage(format!("rules 只接受 --markdown，收到 {}", rest.join(" "))))
                }
            };
            print_out(&rules_catalogue(markdown));
            Ok(ExitCode::SUCCESS)
        }
        other => Err(Usage(format!(
            "未知的命令 \"{other}\"（可用：evaluate、validate、merge、roster、reconcile、seal、open、keygen、schema、rules）"
        ))),
    }
}

fn rules_engine() -> &'static str {
    ruhu::core::evaluation::ENGINE
}

fn no_more(rest: &[String]) -> Result<(), Usage> {
    match rest.first() {
        None => Ok(()),
        Some(a) => Err(Usage(format!("多余的参数 \"{a}\""))),
    }
}

/// Writes to stdout; a closed pipe (`ruhu rules | head`) is not an error worth a panic.
fn print_out(s: &str) {
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(s.as_bytes()).and_then(|_| out.flush());
}

struct Options {
    policy: Option<String>,
    today: Option<NaiveDate>,
    files: Vec<String>,
}

impl Options {
    fn parse(args: &[String]) -> Result<Options, Usage> {
        let mut o = Options { policy: None, today: None, files: Vec::new() };
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
        if o.files.is_empty() {
            return Err(Usage("没有给出要检查的文件".into()));
        }
        Ok(o)
    }
}

/// Today in Beijing time (UTC+8), from the system clock.
fn today_in_china() -> NaiveDate {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    let days = (secs + 8 * 3600) / 86_400;
    NaiveDate::from_ymd_opt(1970, 1, 1)
        .unwrap()
        .checked_add_days(Days::new(days))
        .unwrap_or(NaiveDate::MAX)
}

/// How much of an input is read: one byte more than the largest sealed file (whose armour
/// is a third larger than the plain file it holds), so that the readers can refuse with their
/// messages; a plain file is still refused beyond `io::MAX_INPUT_BYTES` by `io::read_bytes`.
const READ_LIMIT: u64 = seal::MAX_SEALED_BYTES as u64 + 1;

/// Reads one input (a path, or `-` for stdin), refusing what is too large before reading it.
fn read_input(name: &str) -> Result<io::ExportFile, ReadError> {
    let file = read_input_unverified(name)?;
    io::verify_attachments(&file)?;
    Ok(file)
}

/// [`read_input`] without the attachments' check (`validate` lists their problems).
fn read_input_unverified(name: &str) -> Result<io::ExportFile, ReadError> {
    let open_err = |e: std::io::Error| {
        let why = match e.kind() {
            std::io::ErrorKind::NotFound => "文件不存在".to_string(),
            std::io::ErrorKind::PermissionDenied => "没有读取权限".to_string(),
            _ => format!("无法读取（{e}）"),
        };
        ReadError { path: String::new(), message: why }
    };
    let mut bytes = Vec::new();
    if name == "-" {
        std::io::stdin().lock().take(READ_LIMIT).read_to_end(&mut bytes).map_err(open_err)?;
    } else {
        let meta = std::fs::metadata(name).map_err(open_err)?;
        if meta.is_dir() {
            return Err(ReadError {
                path: String::new(),
                message: "这是一个目录，不是文件".into(),
            });
        }
        let file = std::fs::File::open(name).map_err(open_err)?;
        // Never read more than the limit + 1 byte: `read_bytes` then refuses with its message.
        file.take(READ_LIMIT).read_to_end(&mut bytes).map_err(open_err)?;
    }
    io::read_bytes_unverified(&seal::opened(&bytes, name)?)
}

/// One record with where it came from.
struct Item {
    file: String,
    /// Position in its file and the file's record count.
    index: usize,
    of: usize,
    batch: bool,
    record: Household,
}

/// `evaluate` and `validate`: read everything, then evaluate every record.
fn check(json: bool, o: &Options) -> ExitCode {
    let today = o.today.unwrap_or_else(today_in_china);
    let policy = match &o.policy {
        None => None,
        Some(path) => match std::fs::read_to_string(path) {
            Ok(text) => match io::read_policy(&text) {
                Ok(p) => Some(p),
                Err(e) => {
                    eprintln!("ruhu: 政策参数文件 {path}: {e}");
                    return ExitCode::from(2);
                }
            },
            Err(e) => {
                eprintln!("ruhu: 政策参数文件 {path}: 无法读取（{e}）");
                return ExitCode::from(2);
            }
        },
    };

    let mut items = Vec::new();
    let mut unreadable = 0;
    for file in &o.files {
        // `validate` lists every attachment's problem; `evaluate` refuses such a file, as the
        // app's importer does.
        let read = if json { read_input(file) } else { read_input_unverified(file) };
        match read {
            Ok(export) => {
                let batch = export.exported_at.is_some() || export.records.len() != 1;
                let of = export.records.len();
                for (index, record) in export.records.into_iter().enumerate() {
                    items.push(Item { file: file.clone(), index, of, batch, record });
                }
            }
            Err(e) => {
                unreadable += 1;
                eprintln!("ruhu: {}: {e}", display_name(file));
            }
        }
    }
    if json && unreadable > 0 {
        return ExitCode::from(2);
    }

    let records: Vec<Household> = items.iter().map(|i| i.record.clone()).collect();
    let index = people_index(&records);
    let previous = visits::previous_of_each(&records);
    let mut shipped: BTreeMap<i32, Policy> = BTreeMap::new();
    let evaluations: Vec<Evaluation> = records
        .iter()
        .zip(&previous)
        .map(|(h, prev)| {
            let p = match &policy {
                Some(p) => p,
                None => {
                    let year = h.visit.date.map(|d| d.year()).unwrap_or(today.year());
                    shipped.entry(year).or_insert_with(|| Policy::shipped(year))
                }
            };
            let mut ctx = Context::new(p, today);
            ctx.people_elsewhere = Some(&index);
            ctx.previous = prev.map(|i| &records[i]);
            rules::evaluate(h, ctx)
        })
        .collect();

    if json {
        let mut text = serde_json::to_string_pretty(&evaluations).expect("evaluations serialise");
        text.push('\n');
        print_out(&text);
        return ExitCode::SUCCESS;
    }

    let attachments: Vec<Vec<evidence::Diagnostic>> =
        items.iter().map(|i| evidence::check_attachments(&i.record)).collect();
    let mut out = String::new();
    for ((item, eval), diags) in items.iter().zip(&evaluations).zip(&attachments) {
        report(&mut out, item, eval, diags);
    }
    // The files the app would refuse as a whole for an attachment error.
    let mut refused: Vec<&str> = Vec::new();
    for (item, diags) in items.iter().zip(&attachments) {
        if diags.iter().any(|d| d.severity == Severity::Error)
            && refused.last() != Some(&item.file.as_str())
        {
            refused.push(&item.file);
        }
    }
    summary(&mut out, &evaluations, unreadable);
    if !refused.is_empty() {
        use std::fmt::Write as _;
        let names: Vec<&str> = refused.iter().map(|f| display_name(f)).collect();
        let _ = writeln!(
            out,
            "{} 个文件的附件有错误（内容与 sha256 不符、不是有效的 base64 或过大），应用会拒绝导入整个文件：{}",
            refused.len(),
            names.join("、")
        );
    }
    print_out(&out);
    if unreadable > 0 {
        ExitCode::from(2)
    } else if !refused.is_empty() || evaluations.iter().any(|e| !e.can_finalize) {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

fn display_name(file: &str) -> &str {
    if file == "-" {
        "标准输入"
    } else {
        file
    }
}

/// The report for people of one record.
fn report(out: &mut String, item: &Item, e: &Evaluation, attachments: &[evidence::Diagnostic]) {
    use std::fmt::Write as _;
    let h = &item.record;
    let place = if item.batch {
        format!(" · 第 {}/{} 条", item.index + 1, item.of)
    } else {
        String::new()
    };
    let _ = writeln!(out, "== {}{place} ==", display_name(&item.file));
    let a = &h.address;
    let address: Vec<&str> = [a.township.as_str(), a.village.as_str(), a.group.as_str()]
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect();
    let _ = writeln!(
        out,
        "地址：{}",
        if address.is_empty() { "（未填）".to_string() } else { address.join(" ") }
    );
    let head = h.head_name();
    let category = h.category.map(|c| c.label()).unwrap_or("户属性未填");
    let _ = writeln!(
        out,
        "户主：{}（{} 人，{category}）",
        if head.is_empty() { "（未填）" } else { head },
        h.members.len()
    );
    let visit = h.visit.date.map(|d| d.to_string()).unwrap_or_else(|| "（未填）".into());
    let surveyor =
        if h.visit.surveyor.is_empty() { "（未填）" } else { h.visit.surveyor.as_str() };
    let _ = writeln!(out, "走访：{visit}，排查人 {surveyor}，{}", h.status.label());
    let _ = writeln!(out, "结论：{}", e.verdict());
    let money = |d: Option<rust_decimal::Decimal>| {
        d.map(|d| format!("{} 元", yuan(d))).unwrap_or_else(|| "无法计算（收入有误）".into())
    };
    let p = &e.policy;
    let confirmed = if p.confirmed { "" } else { "，未经核对" };
    let _ = writeln!(out, "A26 家庭总收入：{}", money(e.total_income));
    let _ = writeln!(
        out,
        "A27 家庭人均纯收入：{}（{} 年监测标准 {} 元{confirmed}）",
        money(e.per_capita_net),
        p.year,
        yuan(p.monitoring_line)
    );
    if !h.attachments.is_empty() {
        let _ = writeln!(out, "佐证材料：{}", evidence::evidence_summary(h).text());
    }
    if e.findings.is_empty() && attachments.is_empty() {
        let _ = writeln!(out, "没有发现问题。");
    }
    for sev in Severity::ALL {
        let fs: Vec<_> = e.of(*sev).collect();
        if fs.is_empty() {
            continue;
        }
        let _ = writeln!(out, "{}（{} 条）", sev.label(), fs.len());
        for f in fs {
            let _ = writeln!(out, "  - [{}] {}", f.code, f.message);
            if !f.paths.is_empty() {
                let _ = writeln!(out, "      位置：{}", f.paths.join("，"));
            }
        }
    }
    if !attachments.is_empty() {
        let errors = attachments.iter().filter(|d| d.severity == Severity::Error).count();
        let _ = writeln!(
            out,
            "附件问题（{} 条{}）",
            attachments.len(),
            if errors > 0 { format!("，其中 {errors} 条错误") } else { String::new() }
        );
        for d in attachments {
            let _ = writeln!(out, "  - [{}] {}：{}", d.code.code(), d.severity.label(), d.message);
            let _ = writeln!(out, "      位置：{}", d.path);
        }
    }
    out.push('\n');
}

fn summary(out: &mut String, evals: &[Evaluation], unreadable: usize) {
    use std::fmt::Write as _;
    let n = evals.len();
    let errors = evals.iter().filter(|e| !e.can_finalize).count();
    let risky = evals.iter().filter(|e| e.at_risk).count();
    let identify =
        evals.iter().filter(|e| e.identify == ruhu::core::evaluation::Identify::Yes).count();
    let _ = write!(
        out,
        "合计 {n} 条记录：{} 条可以定稿，{errors} 条有错误；{risky} 条有风险，{identify} 条建议纳入监测。",
        n - errors
    );
    if unreadable > 0 {
        let _ = write!(out, "另有 {unreadable} 个文件无法读取（见上方错误信息）。");
    }
    out.push('\n');
}

/// The CLI is native; `cargo test --target wasm32-unknown-unknown` (the browser tests) still
/// compiles it, without schemars.
#[cfg(target_arch = "wasm32")]
fn schema() -> String {
    String::new()
}

/// The JSON Schema of `ruhu.household/1`, from the record types.
#[cfg(not(target_arch = "wasm32"))]
fn schema() -> String {
    let mut s = serde_json::to_value(schemars::schema_for!(Household)).expect("schema serialises");
    if let Some(o) = s.as_object_mut() {
        o.insert("title".into(), "ruhu.household/1".into());
        o.insert(
            "description".into(),
            "入户：防返贫监测《农牧户基本情况摸底排查表》一户一次走访的记录（household-format.md）。Unknown keys are kept by readers.".into(),
        );
    }
    if let Some(format) = s.pointer_mut("/properties/format").and_then(|f| f.as_object_mut()) {
        format.insert("pattern".into(), "^ruhu\\.household/1(\\.[0-9]+)*$".into());
        format.insert(
            "description".into(),
            "Always `ruhu.household/1` (a record inside a ruhu.export/1 batch may leave it out)."
                .into(),
        );
        format.remove("default");
    }
    // A single record file must carry its tag (the reader refuses one without it).
    if let Some(required) = s.pointer_mut("/required").and_then(|r| r.as_array_mut()) {
        if !required.iter().any(|k| k == "format") {
            required.insert(0, "format".into());
        }
    }
    let mut text = serde_json::to_string_pretty(&s).expect("schema serialises");
    text.push('\n');
    text
}

/// The rule catalogue as text or a markdown table.
fn rules_catalogue(markdown: bool) -> String {
    use std::fmt::Write as _;
    let mut out = String::new();
    if markdown {
        let cell = |s: &str| s.replace('|', "\\|").replace('\n', " ");
        out.push_str("| 代码 code | 级别 severity | 名称 title | 依据 why |\n|---|---|---|---|\n");
        for r in CATALOG {
            let _ = writeln!(
                out,
                "| `{}` | {} `{}` | {} | {} |",
                r.code,
                r.severity.label(),
                r.severity.code(),
                cell(r.title),
                cell(r.why)
            );
        }
    } else {
        let _ = writeln!(out, "{} 共 {} 条规则\n", rules_engine(), CATALOG.len());
        for r in CATALOG {
            let _ = writeln!(out, "{}  [{}] {}", r.code, r.severity.label(), r.title);
            let _ = writeln!(out, "    {}\n", r.why);
        }
    }
    out
}
