//! Writes the roster (花名册) files of the browser tests.
//!
//! ```sh
//! cargo run --example roster-fixture                     # tests/e2e/fixtures/roster-e2e.xlsx
//! cargo run --release --example roster-fixture -- --bench target/roster-bench
//! ```
//! Without arguments: the e2e spec's small roster (`tests/e2e/specs/roster.spec.mjs`) — a
//! title row, synonyms (身份证号, 户联系电话), sex as 1/2 on some rows, an ID with spaces and
//! one with a leading apostrophe, two villages (宝山村: 孟德海's household of 3, monitored
//! since 202206, and 敖金山's of 2; 兴仁村: 郭玉 alone). Regenerate and commit it after a
//! change here.
//!
//! `--bench DIR`: the page benchmark's files (`tests/e2e/bench/roster.mjs`), the same roster
//! and records as `cargo bench --bench roster` (`roster_data.rs`): `DIR/roster-30000.xlsx`
//! (30,000 persons) and `DIR/records-6000.json` (`ruhu.export/1`, 6,000 visits made from its
//! drafts).

use chrono::{DateTime, NaiveDate};
use rust_xlsxwriter::Workbook;

use ruhu::core::id_number::make;
use ruhu::core::io::write_batch;
use ruhu::core::policy::Policy;
use ruhu::core::roster;

#[allow(dead_code)]
#[path = "roster_data.rs"]
mod roster_data;

/// The e2e roster's header: synonyms of the national system's exports.
const HEADER: [&str; 14] = [
    "县(市、区、旗)",
    "乡(镇)",
    "行政村",
    "自然村",
    "户编号",
    "姓名",
    "身份证号",
    "性别",
    "与户主关系",
    "民族",
    "户类型",
    "监测对象类别",
    "识别监测时间",
    "户联系电话",
];

fn id(area: &str, y: i32, m: u32, d: u32, seq: u16) -> String {
    make(area, NaiveDate::from_ymd_opt(y, m, d).expect("a date"), seq)
}

/// The e2e roster's rows.
fn e2e_rows() -> Vec<Vec<String>> {
    let row = |village: &str,
               group: &str,
               no: &str,
               name: &str,
               idn: String,
               sex: &str,
               rel: &str,
               kind: &str,
               cat: &str,
               since: &str,
               phone: &str| {
        [
            "莫力达瓦达斡尔族自治旗",
            "额尔和乡",
            village,
            group,
            no,
            name,
            &idn,
            sex,
            rel,
            "达斡尔族",
            kind,
            cat,
            since,
            phone,
        ]
        .iter()
        .map(|s| s.to_string())
        .collect()
    };
    let a = "150722";
    // 孟德海's ID with spaces inside, 吴秀兰's with Excel's leading apostrophe.
    let head = id(a, 1970, 3, 8, 11);
    let spaced = format!("{} {} {}", &head[..6], &head[6..14], &head[14..]);
    vec![
        row(
            "宝山村",
            "一组",
            "150722100001",
            "孟德海",
            spaced,
            "1",
            "户主",
            "脱贫户",
            "边缘易致贫户",
            "202206",
            "13800000001",
        ),
        row(
            "宝山村",
            "一组",
            "150722100001",
            "吴秀兰",
            format!("'{}", id(a, 1972, 5, 1, 22)),
            "2",
            "配偶",
            "脱贫户",
            "边缘易致贫户",
            "202206",
            "13800000001",
        ),
        row(
            "宝山村",
            "一组",
            "150722100001",
            "孟小军",
            id(a, 1996, 9, 9, 31),
            "男",
            "之子",
            "脱贫户",
            "边缘易致贫户",
            "202206",
            "13800000001",
        ),
        row(
            "宝山村",
            "二组",
            "150722100002",
            "敖金山",
            id(a, 1958, 1, 20, 41),
            "男",
            "户主",
            "脱贫户",
            "",
            "",
            "13800000002",
        ),
        row(
            "宝山村",
            "二组",
            "150722100002",
            "敖桂芝",
            id(a, 1960, 2, 2, 52),
            "女",
            "配偶",
            "脱贫户",
            "",
            "",
            "13800000002",
        ),
        row(
            "兴仁村",
            "三组",
            "150722100003",
            "郭玉",
            id(a, 1949, 12, 1, 62),
            "女",
            "户主",
            "脱贫户",
            "",
            "",
            "",
        ),
    ]
}

fn e2e_xlsx() -> Vec<u8> {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.write_string(0, 0, "额尔和乡脱贫人口和监测对象花名册（测试）").expect("cell");
    for (c, h) in HEADER.iter().enumerate() {
        ws.write_string(1, c as u16, *h).expect("cell");
    }
    for (i, r) in e2e_rows().iter().enumerate() {
        for (c, v) in r.iter().enumerate() {
            if !v.is_empty() {
                ws.write_string(i as u32 + 2, c as u16, v).expect("cell");
            }
        }
    }
    wb.save_to_buffer().expect("the workbook")
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.as_slice() {
        [] => {
            let out = "tests/e2e/fixtures/roster-e2e.xlsx";
            let bytes = e2e_xlsx();
            let r = roster::read("roster-e2e.xlsx", &bytes).expect("the e2e roster reads");
            assert_eq!((r.households.len(), r.people()), (3, 6));
            std::fs::write(out, &bytes).unwrap_or_else(|e| panic!("cannot write {out}: {e}"));
            eprintln!(
                "{out}: {} households, {} persons, {} bytes",
                r.households.len(),
                r.people(),
                bytes.len()
            );
        }
        [flag, dir] if flag == "--bench" => {
            std::fs::create_dir_all(dir).unwrap_or_else(|e| panic!("cannot make {dir}: {e}"));
            let rows = roster_data::rows(30_000);
            let xlsx = roster_data::xlsx(&rows);
            let r = roster::read("roster-30000.xlsx", &xlsx).expect("the bench roster reads");
            let records = roster_data::records(&r, 6_000);
            let now = DateTime::parse_from_rfc3339("2023-02-28T09:00:00+08:00").expect("a time");
            let today = NaiveDate::from_ymd_opt(2023, 2, 28).expect("a date");
            let batch = write_batch(&records, &Policy::shipped(2023), now, today);
            let x = format!("{dir}/roster-30000.xlsx");
            let j = format!("{dir}/records-6000.json");
            std::fs::write(&x, &xlsx).unwrap_or_else(|e| panic!("cannot write {x}: {e}"));
            std::fs::write(&j, batch).unwrap_or_else(|e| panic!("cannot write {j}: {e}"));
            eprintln!(
                "{x}: {} persons in {} households ({} KB); {j}: {} records",
                r.people(),
                r.households.len(),
                xlsx.len() / 1024,
                records.len()
            );
        }
        _ => {
            eprintln!("usage: roster-fixture [--bench DIR]");
            std::process::exit(2);
        }
    }
}
