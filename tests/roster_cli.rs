//! `ruhu roster` and `ruhu reconcile` on rosters written by the tests themselves (an .xlsx
//! by rust_xlsxwriter, a GBK .csv by encoding_rs): output, exit codes, the cell named when a
//! roster cannot be read, and a visit made from a prefilled draft reconciled back.

use std::path::PathBuf;
use std::process::{Command, Output};

use chrono::NaiveDate;
use ruhu::core::id_number::make;
use serde_json::Value;

fn ruhu(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_ruhu")).args(args).output().expect("the ruhu binary runs")
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).expect("stdout is UTF-8")
}

fn stderr(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).expect("stderr is UTF-8")
}

fn json(o: &Output) -> Value {
    assert_eq!(o.status.code(), Some(0), "stderr: {}", stderr(o));
    serde_json::from_str(&stdout(o)).expect("JSON on stdout")
}

/// A file in a temp dir of this test process.
fn temp_file(name: &str, content: &[u8]) -> String {
    let dir: PathBuf = std::env::temp_dir().join(format!("ruhu-roster-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, content).unwrap();
    path.to_string_lossy().into_owned()
}

fn id(y: i32, seq: u16) -> String {
    make("150722", NaiveDate::from_ymd_opt(y, 3, 4).unwrap(), seq)
}

const HEADER: [&str; 12] = [
    "县(市、区、旗)",
    "乡（镇）",
    "行政村",
    "户编号",
    "人口编号",
    "姓名",
    "证件号码",
    "性别",
    "与户主关系",
    "户类型",
    "监测对象类别",
    "村干部意见",
];

/// Two villages: H1 (一村, 边缘易致贫户 of three) and H2 (二村, a 脱贫户 of one). 张小's
/// relation is an unknown label; 李芳's ID has spaces, 张伟's a leading apostrophe.
fn rows() -> Vec<[String; 12]> {
    let r = |v: &str,
             no: &str,
             n: &str,
             name: &str,
             idn: String,
             sex: &str,
             rel: &str,
             kind: &str,
             mon: &str| {
        [
            "莫力达瓦达斡尔族自治旗".into(),
            "额尔和乡".into(),
            v.to_string(),
            no.to_string(),
            n.to_string(),
            name.to_string(),
            idn,
            sex.to_string(),
            rel.to_string(),
            kind.to_string(),
            mon.to_string(),
            String::new(),
        ]
    };
    let spaced = id(1972, 22);
    vec![
        r(
            "一村",
            "H1",
            "P1",
            "张伟",
            format!("'{}", id(1970, 11)),
            "1",
            "户主",
            "脱贫户",
            "边缘易致贫户",
        ),
        r(
            "一村",
            "H1",
            "P2",
            "李芳",
            format!("{} {}", &spaced[..6], &spaced[6..]),
            "2",
            "配偶",
            "脱贫户",
            "边缘易致贫户",
        ),
        r("一村", "H1", "P3", "张小", id(2000, 33), "1", "儿", "脱贫户", "边缘易致贫户"),
        r("二村", "H2", "P4", "王强", id(1960, 31), "1", "户主", "脱贫户", ""),
    ]
}

/// The roster as .xlsx: a title row above the header; `numeric_id` writes 李芳's ID as a
/// number (what Excel does to a column not set to text).
fn xlsx(numeric_id: bool) -> Vec<u8> {
    use rust_xlsxwriter::{Format, Workbook};
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.merge_range(0, 0, 0, 6, "2023年一季度脱贫人口和监测对象花名册", &Format::new()).unwrap();
    for (c, h) in HEADER.iter().enumerate() {
        ws.write_string(1, c as u16, *h).unwrap();
    }
    for (i, row) in rows().iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            let at = (i as u32 + 2, c as u16);
            if numeric_id && i == 1 && c == 6 {
                ws.write_number(at.0, at.1, 150722197203040022.0).unwrap();
            } else if !v.is_empty() {
                ws.write_string(at.0, at.1, v).unwrap();
            }
        }
    }
    wb.save_to_buffer().unwrap()
}

fn gbk_csv() -> Vec<u8> {
    let mut text = String::from("2023年一季度脱贫人口和监测对象花名册\r\n");
    text += &HEADER.join(",");
    for r in rows() {
        text += "\r\n";
        text += &r.join(",");
    }
    let (bytes, _, bad) = encoding_rs::GBK.encode(&text);
    assert!(!bad);
    bytes.into_owned()
}

#[test]
fn roster_prints_the_roster_and_warns_on_stderr() {
    let path = temp_file("花名册.xlsx", &xlsx(false));
    let o = ruhu(&["roster", &path]);
    let v = json(&o);
    assert_eq!(v["file"], "花名册.xlsx");
    assert_eq!(v["kind"], "xlsx");
    assert_eq!(v["unused_columns"], serde_json::json!(["村干部意见"]));
    let hh = v["households"].as_array().unwrap();
    assert_eq!(hh.len(), 2);
    assert_eq!(hh[0]["household_no"], "H1");
    assert_eq!(hh[0]["category"], "monitored_marginal");
    assert_eq!(hh[1]["category"], "exited");
    assert_eq!(hh[0]["persons"][0]["id_number"], id(1970, 11).as_str());
    assert_eq!(hh[0]["persons"][1]["id_number"], id(1972, 22).as_str());
    assert_eq!(hh[0]["persons"][1]["sex"], "female");
    assert_eq!(hh[0]["persons"][2]["relation"], Value::Null);
    assert_eq!(hh[0]["persons"][0]["person_no"], "P1");
    assert!(v.get("warnings").is_none(), "warnings go to stderr");
    let err = stderr(&o);
    assert!(
        err.contains(
            "提醒 [unknown-label] 花名册.xlsx 第 5 行 与户主关系: 无法识别的取值“儿”，未填入"
        ),
        "{err}"
    );
    assert!(
        err.contains("花名册 花名册.xlsx：2 户 4 人，1 条提醒；未使用的列：村干部意见。"),
        "{err}"
    );

    // The same roster as a GBK CSV reads the same.
    let csv = temp_file("花名册.csv", &gbk_csv());
    let c = json(&ruhu(&["roster", &csv]));
    assert_eq!(c["encoding"], "GBK");
    assert_eq!(
        c["households"],
        v["households"]
            .as_array()
            .map(|a| {
                let mut a = a.clone();
                for h in &mut a {
                    h["sheet"] = Value::Null;
                }
                Value::Array(a)
            })
            .unwrap()
    );
}

#[test]
fn an_unreadable_roster_exits_2_naming_the_cell() {
    let path = temp_file("数字.xlsx", &xlsx(true));
    let o = ruhu(&["roster", &path]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(stdout(&o), "");
    assert_eq!(
        stderr(&o).trim_end(),
        "ruhu: 数字.xlsx 第 4 行 证件号码: 单元格是数字（1.50722E+17），证件号码已丢失位数，不能使用；请在原表中把这一列设为“文本”后重新导出"
    );
    let none = temp_file("名单.csv", "户主,电话\n张伟,13800000000\n".as_bytes());
    let o = ruhu(&["roster", &none]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("名单.csv: 前 10 行中没有找到表头"), "{}", stderr(&o));
    let o = ruhu(&["roster", "/nonexistent/花名册.xlsx"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("花名册.xlsx: 文件不存在"), "{}", stderr(&o));
    let o = ruhu(&["roster", "--village", "一村", &path]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("--village 只和 --prefill 一起使用"), "{}", stderr(&o));
}

#[test]
fn prefill_writes_drafts_with_the_same_ids_each_time() {
    let path = temp_file("花名册-prefill.xlsx", &xlsx(false));
    let a = json(&ruhu(&["roster", "--prefill", &path]));
    let b = json(&ruhu(&["roster", "--prefill", &path]));
    assert_eq!(a["format"], "ruhu.export/1");
    let ids = |v: &Value| -> Vec<Value> {
        v["records"].as_array().unwrap().iter().map(|r| r["id"].clone()).collect()
    };
    assert_eq!(ids(&a).len(), 2);
    assert_eq!(ids(&a), ids(&b));
    let first = &a["records"][0];
    assert_eq!(first["category"], "monitored_marginal");
    assert_eq!(first["visit"]["date"], Value::Null);
    assert_eq!(first["roster"]["household_no"], "H1");
    assert_eq!(first["roster"]["file"], "花名册-prefill.xlsx");
    assert_eq!(first["members"].as_array().unwrap().len(), 3);

    let one = json(&ruhu(&["roster", "--prefill", "--village", "二村", &path]));
    assert_eq!(one["records"].as_array().unwrap().len(), 1);
    assert_eq!(one["records"][0]["address"]["village"], "二村");
    let o = ruhu(&["roster", "--prefill", "--village", "三村", &path]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("花名册中没有行政村“三村”（有：一村、二村）"), "{}", stderr(&o));
}

#[test]
fn a_visit_from_a_draft_reconciles_with_exactly_its_changes() {
    let roster = temp_file("花名册-visit.xlsx", &xlsx(false));
    let drafts = json(&ruhu(&["roster", "--prefill", "--village", "一村", &roster]));
    // The visit: a newborn added, 张小 gone, the rest as the roster has it.
    let mut visit = drafts["records"][0].clone();
    visit["visit"]["date"] = "2023-02-20".into();
    let members = visit["members"].as_array_mut().unwrap();
    members.retain(|m| m["name"] != "张小");
    members.push(serde_json::json!({
        "id": "00000000-0000-0000-0000-000000000009", "name": "张宝", "relation": "grandson"
    }));
    let visit_file = temp_file("visit.json", serde_json::to_string(&visit).unwrap().as_bytes());

    let o = ruhu(&["reconcile", "--roster", &roster, "--today", "2023-02-24", &visit_file]);
    let v = json(&o);
    let keys = |v: &Value| v.as_object().unwrap().keys().cloned().collect::<Vec<_>>();
    assert_eq!(keys(&v), vec!["format", "roster", "records", "households"]);
    assert_eq!(v["format"], "ruhu.reconcile/1");
    assert_eq!(
        v["roster"],
        serde_json::json!({ "file": "花名册-visit.xlsx", "households": 2, "people": 4, "unused_columns": ["村干部意见"] })
    );
    assert_eq!(v["records"], 1);
    let h1 = &v["households"][0];
    assert_eq!(
        keys(h1),
        vec!["household_no", "head_id_number", "village", "record_id", "status", "differences"]
    );
    assert_eq!((h1["household_no"].as_str(), h1["status"].as_str()), (Some("H1"), Some("matched")));
    assert_eq!(h1["record_id"], visit["id"]);
    assert_eq!(h1["head_id_number"], id(1970, 11).as_str());
    let codes: Vec<&str> =
        h1["differences"].as_array().unwrap().iter().map(|d| d["code"].as_str().unwrap()).collect();
    assert_eq!(codes, vec!["member-missing", "member-added"]);
    assert_eq!(h1["differences"][0]["id_number"], id(2000, 33).as_str());
    assert_eq!(
        keys(&h1["differences"][0]),
        vec!["code", "id_number", "roster", "record", "message"]
    );
    assert!(
        stderr(&o).contains("动态管理清单：人口自然增加 1 人，自然减少 1 人；建议新识别 0 户；风险消除 0 户；户类型变更 0 户。"),
        "{}",
        stderr(&o)
    );
    let h2 = &v["households"][1];
    assert_eq!((h2["status"].as_str(), &h2["record_id"]), (Some("not-visited"), &Value::Null));

    // Unreadable input: exit 2; no --roster: exit 2.
    let bad = temp_file("bad.json", b"{");
    assert_eq!(ruhu(&["reconcile", "--roster", &roster, &bad]).status.code(), Some(2));
    let o = ruhu(&["reconcile", &visit_file]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("reconcile 需要 --roster"), "{}", stderr(&o));
}
