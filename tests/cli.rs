//! The `ruhu` binary on the fixtures: JSON output, reports, exit codes and error messages.

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

use serde_json::Value;

fn fixture(name: &str) -> String {
    format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"))
}

fn ruhu(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_ruhu")).args(args).output().expect("the ruhu binary runs")
}

fn ruhu_stdin(args: &[&str], input: &[u8]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_ruhu"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the ruhu binary runs");
    child.stdin.take().unwrap().write_all(input).unwrap();
    child.wait_with_output().unwrap()
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).expect("stdout is UTF-8")
}

fn stderr(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).expect("stderr is UTF-8")
}

/// `evaluate` with a fixed today, expecting exit 0 and a JSON array.
fn evaluate(files: &[&str]) -> Vec<Value> {
    let mut args = vec!["evaluate", "--today", "2023-02-24"];
    args.extend_from_slice(files);
    let o = ruhu(&args);
    assert_eq!(o.status.code(), Some(0), "stderr: {}", stderr(&o));
    match serde_json::from_str(&stdout(&o)).expect("evaluate prints JSON") {
        Value::Array(a) => a,
        other => panic!("expected an array, got {other}"),
    }
}

fn codes(e: &Value) -> Vec<String> {
    e["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["code"].as_str().unwrap().to_string())
        .collect()
}

fn read_json(path: &str) -> Value {
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// A file in the temp dir, unique to this test process.
fn temp_file(name: &str, content: &str) -> String {
    let dir: PathBuf = std::env::temp_dir().join(format!("ruhu-cli-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, content).unwrap();
    path.to_string_lossy().into_owned()
}

#[test]
fn evaluates_each_example_record() {
    let cases = [
        ("exited-below-line.json", "yes", Some("monitored_unstable"), "income-below-line"),
        ("serious-illness.json", "yes", Some("monitored_hardship"), "rigid-expense"),
        ("monitored-marginal.json", "monitored", None, ""),
        ("general-no-risk.json", "no", None, ""),
        ("minor-version-1.1.json", "no", None, "key-group"),
    ];
    for (file, identify, suggested, code) in cases {
        let path = fixture(file);
        let evals = evaluate(&[&path]);
        assert_eq!(evals.len(), 1, "{file}");
        let e = &evals[0];
        assert_eq!(e["record_id"], read_json(&path)["id"], "{file}");
        assert_eq!(e["identify"], identify, "{file}");
        assert_eq!(e["suggested_category"], suggested.map_or(Value::Null, Value::from), "{file}");
        assert_eq!(e["can_finalize"], true, "{file}: {:?}", codes(e));
        if !code.is_empty() {
            assert!(codes(e).contains(&code.to_string()), "{file}: {:?}", codes(e));
        }
    }
    // The figures of the 脱贫户: (9800 + 7200 + 300 + 5100 − 3800) ÷ 4.
    let e = &evaluate(&[&fixture("exited-below-line.json")])[0];
    assert_eq!(
        (e["total_income"].as_str(), e["per_capita_net"].as_str()),
        (Some("22400.00"), Some("4650.00"))
    );
    assert_eq!(e["policy"]["year"], 2023);
    assert_eq!(
        e["policy"]["confirmed"], false,
        "without --policy the shipped, unconfirmed line is used"
    );
    // 41000 ÷ 3 rounds half-up to 13666.67; after the 38000 medical expense, 1000.00.
    let e = &evaluate(&[&fixture("serious-illness.json")])[0];
    assert_eq!(
        (e["per_capita_net"].as_str(), e["per_capita_after_rigid"].as_str()),
        (Some("13666.67"), Some("1000.00"))
    );
    assert!(evaluate(&[&fixture("general-no-risk.json")])[0]["findings"]
        .as_array()
        .unwrap()
        .is_empty());
}

#[test]
fn batch_gives_one_evaluation_per_record_in_order() {
    let path = fixture("batch-2023q1.json");
    let evals = evaluate(&[&path]);
    let batch = read_json(&path);
    let ids: Vec<&Value> = batch["records"].as_array().unwrap().iter().map(|r| &r["id"]).collect();
    assert_eq!(evals.len(), 6);
    assert_eq!(evals.iter().map(|e| &e["record_id"]).collect::<Vec<_>>(), ids);
    let identify: Vec<&str> = evals.iter().map(|e| e["identify"].as_str().unwrap()).collect();
    assert_eq!(identify, ["no", "yes", "review", "yes", "monitored", "yes"]);
    assert!(codes(&evals[2]).contains(&"unsafe-water".to_string()));
    // The unfinished draft: exit is still 0 for `evaluate`, the errors are in the output.
    let draft = &evals[5];
    assert_eq!(draft["can_finalize"], false);
    for code in [
        "answer-missing",
        "assessors-too-few",
        "id-number-invalid",
        "phone-invalid",
        "income-below-line",
    ] {
        assert!(codes(draft).contains(&code.to_string()), "{code} in {:?}", codes(draft));
    }
    let id_finding = draft["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["code"] == "id-number-invalid")
        .unwrap();
    assert_eq!(id_finding["paths"], serde_json::json!(["members[1].id_number"]));
    // Several inputs: file order, then record order.
    let evals =
        evaluate(&[&fixture("general-no-risk.json"), &path, &fixture("serious-illness.json")]);
    assert_eq!(evals.len(), 8);
    assert_eq!(evals[0]["record_id"], read_json(&fixture("general-no-risk.json"))["id"]);
    assert_eq!(evals[7]["record_id"], read_json(&fixture("serious-illness.json"))["id"]);
    // The same household in two inputs is not "someone elsewhere".
    assert!(!evals.iter().any(|e| codes(e).contains(&"id-number-elsewhere".to_string())));
}

#[test]
fn the_same_person_in_two_households_is_flagged_across_inputs() {
    let mut other = read_json(&fixture("general-no-risk.json"));
    other["id"] = "0b8e1a52-7d43-4c1e-9a57-3f2d6c8b9e01".into();
    other["household_id"] = "0b8e1a52-7d43-4c1e-9a57-3f2d6c8b9e02".into();
    other["address"]["village"] = "霍日里村".into();
    let other = temp_file("moved-son.json", &other.to_string());
    let evals = evaluate(&[&fixture("general-no-risk.json"), &other]);
    let f = evals[0]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["code"] == "id-number-elsewhere")
        .expect("flagged");
    assert!(f["message"].as_str().unwrap().contains("霍日里村"), "{f}");
    // Alone, the same record has nothing to compare with.
    assert!(!codes(&evaluate(&[&fixture("general-no-risk.json")])[0])
        .contains(&"id-number-elsewhere".to_string()));
}

#[test]
fn policy_file_and_year_of_the_visit() {
    let evals =
        evaluate(&["--policy", &fixture("policy-2023.json"), &fixture("exited-below-line.json")]);
    assert_eq!(evals[0]["policy"]["confirmed"], true);
    assert_eq!(evals[0]["policy"]["monitoring_line"], "7000");
    // A higher line turns the 大病 household (13666.67 per head) into an income case.
    let high = temp_file("policy-high.json", r#"{"year":2023,"monitoring_line":"14000"}"#);
    let evals = evaluate(&[&format!("--policy={high}"), &fixture("serious-illness.json")]);
    assert!(codes(&evals[0]).contains(&"income-below-line".to_string()), "{:?}", codes(&evals[0]));
    assert_eq!(evals[0]["suggested_category"], "monitored_marginal");
    // Without --policy: the shipped line of the visit's year.
    let mut r = read_json(&fixture("general-no-risk.json"));
    r["visit"]["date"] = "2022-06-01".into();
    let path = temp_file("visit-2022.json", &r.to_string());
    let evals = evaluate(&[&path]);
    assert_eq!(
        (evals[0]["policy"]["year"].as_i64(), evals[0]["policy"]["monitoring_line"].as_str()),
        (Some(2022), Some("6500"))
    );
}

#[test]
fn today_bounds_the_visit_date() {
    let o = ruhu(&["evaluate", "--today", "2023-02-19", &fixture("general-no-risk.json")]);
    assert_eq!(o.status.code(), Some(0));
    let evals: Vec<Value> = serde_json::from_str(&stdout(&o)).unwrap();
    assert!(codes(&evals[0]).contains(&"visit-date-future".to_string()));
    let o = ruhu(&["evaluate", "--today", "2023-13-01", &fixture("general-no-risk.json")]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("--today"), "{}", stderr(&o));
}

#[test]
fn unreadable_inputs_exit_2_naming_file_and_path() {
    let cases = [
        ("bad/unknown-code.json", r#"records[3].members[2].relation: 未知的代码 "boss""#),
        (
            "bad/format-v2.json",
            r#"format: 不支持的格式版本 "ruhu.household/2"（本程序支持 ruhu.household/1）"#,
        ),
        ("bad/wrong-type.json", "guarantees.dropout: 类型不对"),
        ("bad/truncated.json", "文件不完整"),
        ("bad/not-json.json", "不是 JSON 文件"),
        ("policy-2023.json", "format: 缺少 format 键"),
        ("does-not-exist.json", "文件不存在"),
    ];
    for (file, message) in cases {
        let path = fixture(file);
        for cmd in ["evaluate", "validate"] {
            let o = ruhu(&[cmd, &path]);
            assert_eq!(o.status.code(), Some(2), "{cmd} {file}");
            let err = stderr(&o);
            assert!(err.contains(&format!("{path}: {message}")), "{cmd} {file}: {err}");
        }
    }
    // With a good and a bad input, `evaluate` prints nothing (no partial array) …
    let o = ruhu(&["evaluate", &fixture("general-no-risk.json"), &fixture("bad/truncated.json")]);
    assert_eq!(o.status.code(), Some(2));
    assert!(o.stdout.is_empty());
    // … and `validate` still reports the good one.
    let o = ruhu(&[
        "validate",
        "--today",
        "2023-02-24",
        &fixture("general-no-risk.json"),
        &fixture("bad/truncated.json"),
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stdout(&o).contains("户主：张伟"), "{}", stdout(&o));
    assert!(stdout(&o).contains("另有 1 个文件无法读取"), "{}", stdout(&o));
}

#[test]
fn a_bad_policy_file_exits_2() {
    let o = ruhu(&[
        "evaluate",
        "--policy",
        &fixture("bad/policy-bad-line.json"),
        &fixture("general-no-risk.json"),
    ]);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(err.contains("bad/policy-bad-line.json: monitoring_line: "), "{err}");
    assert!(o.stdout.is_empty());
    let o =
        ruhu(&["validate", "--policy", &fixture("nope.json"), &fixture("general-no-risk.json")]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn validate_reports_for_people() {
    let o = ruhu(&["validate", "--today", "2023-02-24", &fixture("exited-below-line.json")]);
    assert_eq!(o.status.code(), Some(0), "risks and warnings do not fail validation");
    let out = stdout(&o);
    for line in [
        "户主：敖文明（4 人，脱贫户 · 脱贫享受政策户）",
        "地址：额尔和乡 额尔和村 第三村民小组",
        "结论：有风险 · 建议纳入监测（脱贫不稳定户）",
        "A26 家庭总收入：22,400.00 元",
        "A27 家庭人均纯收入：4,650.00 元（2023 年监测标准 7,000.00 元，未经核对）",
        "风险（1 条）",
        "  - [income-below-line] 家庭人均纯收入 4,650.00 元",
        "      位置：income",
        "信息（2 条）",
    ] {
        assert!(out.contains(line), "missing {line:?} in\n{out}");
    }
    assert!(!out.contains("错误（"), "{out}");

    let o = ruhu(&[
        "validate",
        "--today",
        "2023-02-24",
        "--policy",
        &fixture("policy-2023.json"),
        &fixture("batch-2023q1.json"),
    ]);
    assert_eq!(o.status.code(), Some(1), "the draft has error findings");
    let out = stdout(&o);
    assert!(out.contains("batch-2023q1.json · 第 6/6 条"), "{out}");
    assert!(out.contains("错误（6 条）"), "{out}");
    assert!(out.contains("位置：members[1].id_number"), "{out}");
    assert!(
        out.contains("（2023 年监测标准 7,000.00 元）"),
        "a confirmed policy is not marked unconfirmed:\n{out}"
    );
    assert!(
        out.contains("合计 6 条记录：5 条可以定稿，1 条有错误；4 条有风险，3 条建议纳入监测。"),
        "{out}"
    );
    // Errors come before risks in the draft's report.
    let draft = &out[out.find("第 6/6 条").unwrap()..];
    assert!(draft.find("错误（").unwrap() < draft.find("风险（").unwrap());
}

#[test]
fn reads_stdin() {
    let text = std::fs::read(fixture("serious-illness.json")).unwrap();
    let o = ruhu_stdin(&["evaluate", "--today", "2023-02-24", "-"], &text);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let evals: Vec<Value> = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(evals[0]["identify"], "yes");
    let o = ruhu_stdin(&["validate", "-"], b"{\"format\": \"ruhu.household/1\", ");
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("标准输入: 文件不完整"), "{}", stderr(&o));
}

/// The committed schema is what the types generate. To regenerate after changing a record
/// type: `cargo run --bin ruhu -- schema > tests/snapshots/household.schema.json`
/// (or run this test with `UPDATE_SNAPSHOTS=1`), and review the diff.
#[test]
fn schema_matches_the_committed_snapshot() {
    let o = ruhu(&["schema"]);
    assert_eq!(o.status.code(), Some(0));
    let generated = stdout(&o);
    let path = format!("{}/tests/snapshots/household.schema.json", env!("CARGO_MANIFEST_DIR"));
    if std::env::var_os("UPDATE_SNAPSHOTS").is_some() {
        std::fs::write(&path, &generated).unwrap();
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    let first_diff = generated
        .lines()
        .zip(committed.lines().chain(std::iter::repeat("<end of file>")))
        .enumerate()
        .find(|(_, (g, c))| g != c)
        .map(|(i, (g, c))| {
            format!("first difference at line {}:\n  generated: {g}\n  committed: {c}", i + 1)
        })
        .unwrap_or_else(|| "the committed file has extra lines at its end".into());
    assert!(
        generated == committed,
        "The JSON Schema generated from the record types differs from tests/snapshots/household.schema.json ({first_diff}).\n\
         If the change is intended, regenerate it with\n\
         \tcargo run --bin ruhu -- schema > tests/snapshots/household.schema.json\n\
         (or UPDATE_SNAPSHOTS=1 cargo test --test cli) and commit it; keys of ruhu.household/1 may be added, never renamed or re-typed."
    );
    // The schema describes the record: its required keys and its codes.
    let s: Value = serde_json::from_str(&generated).unwrap();
    assert_eq!(s["title"], "ruhu.household/1");
    let required = s["required"].as_array().unwrap();
    assert!(required.contains(&Value::from("household_id")));
    let relation = &s["$defs"]["Relation"]["enum"];
    assert!(relation.as_array().unwrap().contains(&Value::from("daughter_in_law")));
    assert_eq!(s["$defs"]["Category"]["enum"].as_array().unwrap().len(), 6);
}

#[test]
fn rules_catalogue() {
    let text = stdout(&ruhu(&["rules"]));
    let md = ruhu(&["rules", "--markdown"]);
    assert_eq!(md.status.code(), Some(0));
    let md = stdout(&md);
    let rows: Vec<&str> = md.lines().filter(|l| l.starts_with("| `")).collect();
    assert_eq!(rows.len(), ruhu::core::rules::CATALOG.len());
    for r in ruhu::core::rules::CATALOG {
        assert!(
            text.contains(&format!("{}  [{}] {}", r.code, r.severity.label(), r.title)),
            "{} missing from text",
            r.code
        );
        let row = rows
            .iter()
            .find(|l| l.starts_with(&format!("| `{}` |", r.code)))
            .expect("a row per rule");
        assert!(row.contains(r.severity.code()) && row.contains(r.title));
        assert_eq!(row.matches(" | ").count(), 3, "no stray column separators in {row}");
    }
    assert!(md
        .starts_with("| 代码 code | 级别 severity | 名称 title | 依据 why |\n|---|---|---|---|\n"));
}

#[test]
fn help_and_usage_errors() {
    let o = ruhu(&["--help"]);
    assert_eq!(o.status.code(), Some(0));
    let help = stdout(&o);
    assert!(
        help.contains("用法 Usage")
            && help.contains("ruhu evaluate")
            && help.contains("ruhu validate")
    );
    for args in [
        &["frobnicate"][..],
        &["evaluate"],
        &["validate", "--polcy", "x.json"],
        &["rules", "--html"],
        &["schema", "extra"],
        &[],
    ] {
        let o = ruhu(args);
        assert_eq!(o.status.code(), Some(2), "{args:?}");
    }
    assert!(stderr(&ruhu(&["evaluate"])).contains("没有给出要检查的文件"));
    assert!(stderr(&ruhu(&["evaluate", "--policy"])).contains("--policy 后面缺少参数值"));
}

#[test]
fn a_later_visit_is_compared_with_the_earlier_one() {
    // 回头看: the same household half a year later, the son's wage gone.
    let first = read_json(&fixture("general-no-risk.json"));
    let mut later = first.clone();
    later["id"] = "5d0c3f7a-1b2e-4c8d-9f60-7a1b2c3d4e5f".into();
    later["previous_id"] = first["id"].clone();
    later["visit"]["date"] = "2023-08-20".into();
    later["income"]["wage"] = "0.00".into();
    let later = temp_file("later-visit.json", &later.to_string());
    let o = ruhu(&["evaluate", "--today", "2023-08-21", &later, &fixture("general-no-risk.json")]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let evals: Vec<Value> = serde_json::from_str(&stdout(&o)).unwrap();
    // (42000 + 1200 + 1800 − 15000) ÷ 3 = 10000 against 22000 before: −54.55%.
    let drop = evals[0]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["code"] == "income-drop")
        .expect("income-drop");
    assert!(drop["message"].as_str().unwrap().contains("2023-02-20"), "{drop}");
    assert!(
        !codes(&evals[1]).contains(&"income-drop".to_string()),
        "the first visit has nothing before it"
    );
    // Alone, the later visit has nothing to compare with.
    assert!(!codes(&evaluate(&[&later])[0]).contains(&"income-drop".to_string()));
}
