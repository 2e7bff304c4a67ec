//! Benchmark: a banner's roster of 30,000 persons (about 9,000 households in 12 villages,
//! 36 columns, one title row), read from .xlsx and from a GBK .csv, and reconciled against
//! 6,000 records (the latest visits of 6,000 of its households, made from their drafts, with
//! a member dropped in every 10th and a newborn in every 7th). Prints the median and the
//! fastest time of each stage (the fastest is the better figure on a busy machine). Run with
//! `cargo bench --bench roster`.
//!
//! The target is under 1 s natively (issue 12) for reading and reconciling; no timing is
//! asserted: this prints figures only.

use std::hint::black_box;
use std::time::{Duration, Instant};

use chrono::{DateTime, NaiveDate};
use ruhu::core::id_number::make;
use ruhu::core::money::Money;
use ruhu::core::policy::Policy;
use ruhu::core::reconcile;
use ruhu::core::record::{Household, Member, Relation};
use ruhu::core::roster::{self, prefill};

const PERSONS: usize = 30_000;
const RECORDS: usize = 6_000;
const RUNS: usize = 5;

const HEADER: [&str; 36] = [
    "县(市、区、旗)",
    "乡(镇)",
    "行政村",
    "自然村",
    "户编号",
    "人编号",
    "姓名",
    "证件号码",
    "证件类型",
    "性别",
    "出生日期",
    "与户主关系",
    "民族",
    "政治面貌",
    "文化程度",
    "在校生状况",
    "健康状况",
    "劳动技能",
    "务工区域",
    "务工时间（月）",
    "是否参加城乡居民基本医疗保险",
    "是否参加大病保险",
    "是否接受医疗救助",
    "享受低保政策情况",
    "享受特困供养政策情况",
    "是否参加城乡居民基本养老保险",
    "户类型",
    "监测对象类别",
    "风险是否消除",
    "风险消除方式",
    "识别监测时间",
    "消除监测时间",
    "人均纯收入（元）",
    "户联系电话",
    "致贫风险1",
    "致贫风险2",
];

/// The rows of the roster (without title and header).
fn rows() -> Vec<Vec<String>> {
    let mut out = Vec::with_capacity(PERSONS);
    let relations = ["户主", "配偶", "之子", "之女", "之孙子", "之母"];
    let mut h = 0usize;
    while out.len() < PERSONS {
        let size = 1 + (h * 7 + 3) % 6;
        let village = format!(
            "{}村",
            [
                "额尔和",
                "西瓦尔图",
                "宝山",
                "兴仁",
                "前进",
                "新发",
                "永安",
                "太平",
                "红星",
                "长胜",
                "团结",
                "富强"
            ][h % 12]
        );
        let monitored = h % 5 == 0;
        for (p, relation) in relations.iter().enumerate().take(size.min(PERSONS - out.len())) {
            let year = 1950 + ((h * 13 + p * 17) % 60) as i32;
            // A distinct area code per household: every ID is unique and valid.
            let birth = NaiveDate::from_ymd_opt(year, 1 + (h % 12) as u32, 1 + (p as u32 * 3) % 28)
                .unwrap();
            let idn = make(&format!("{:06}", 100_000 + h), birth, p as u16);
            let sex = if p % 2 == 1 { "男" } else { "女" };
            let row: Vec<String> = [
                "莫力达瓦达斡尔族自治旗".to_string(),
                "额尔和乡".into(),
                village.clone(),
                format!("{}组", h % 4 + 1),
                format!("15072210{h:08}"),
                format!("15072210{h:08}{p:02}"),
                format!("张{h}{p}"),
                idn,
                "居民身份证".into(),
                sex.into(),
                birth.format("%Y%m%d").to_string(),
                relation.to_string(),
                "达斡尔族".into(),
                "群众".into(),
                "初中".into(),
                "非在校生".into(),
                if p == 0 && h % 3 == 0 { "长期慢性病" } else { "健康" }.into(),
                "普通劳动力".into(),
                if p == 1 { "县外省内务工" } else { "" }.into(),
                if p == 1 { "6" } else { "" }.into(),
                "是".into(),
                "是".into(),
                "否".into(),
                if h % 11 == 0 { "农村低保" } else { "未享受" }.into(),
                "未享受".into(),
                "是".into(),
                "脱贫户".into(),
                if monitored { "边缘易致贫户" } else { "" }.into(),
                if monitored { "否" } else { "" }.into(),
                String::new(),
                if monitored { "202206" } else { "" }.into(),
                String::new(),
                format!("{}", 6000 + (h * 37) % 9000),
                format!("138{:08}", h),
                if monitored { "因病" } else { "" }.into(),
                String::new(),
            ]
            .to_vec();
            out.push(row);
        }
        h += 1;
    }
    out
}

fn xlsx(rows: &[Vec<String>]) -> Vec<u8> {
    use rust_xlsxwriter::Workbook;
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.write_string(0, 0, "莫力达瓦达斡尔族自治旗脱贫人口和监测对象花名册").unwrap();
    for (c, h) in HEADER.iter().enumerate() {
        ws.write_string(1, c as u16, *h).unwrap();
    }
    for (i, r) in rows.iter().enumerate() {
        for (c, v) in r.iter().enumerate() {
            if !v.is_empty() {
                ws.write_string(i as u32 + 2, c as u16, v).unwrap();
            }
        }
    }
    wb.save_to_buffer().unwrap()
}

fn gbk_csv(rows: &[Vec<String>]) -> Vec<u8> {
    let mut text = String::from("莫力达瓦达斡尔族自治旗脱贫人口和监测对象花名册\r\n");
    text += &HEADER.join(",");
    for r in rows {
        text += "\r\n";
        text += &r.join(",");
    }
    encoding_rs::GBK.encode(&text).0.into_owned()
}

/// 6,000 visits made from the drafts of the first 6,000 households.
fn records(r: &roster::Roster) -> Vec<Household> {
    let now = DateTime::parse_from_rfc3339("2023-02-20T09:00:00+08:00").unwrap();
    r.households
        .iter()
        .take(RECORDS)
        .enumerate()
        .map(|(i, rh)| {
            let mut h = prefill::draft(&r.file, rh, now);
            h.visit.date = NaiveDate::from_ymd_opt(2023, 2, 15 + (i % 10) as u32);
            if i % 10 == 0 && h.members.len() > 1 {
                h.members.pop();
            }
            if i % 7 == 0 {
                let mut baby = Member::new(uuid::Uuid::from_u128(i as u128 + 1));
                baby.name = format!("新生{i}");
                baby.relation = Some(Relation::Grandson);
                h.members.push(baby);
            }
            let n = rust_decimal::Decimal::from(h.members.len());
            h.income.production = Some(Money::parse("0"));
            h.income.wage =
                Some(Money::Amount(n * rust_decimal::Decimal::from(5000 + (i * 53) % 6000)));
            h.income.property = Some(Money::parse("0"));
            h.income.transfer = Some(Money::parse("0"));
            h.income.production_cost = Some(Money::parse("0"));
            h
        })
        .collect()
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn ms(d: Duration) -> String {
    format!("{:8.1} ms", d.as_secs_f64() * 1000.0)
}

fn time<T>(f: impl Fn() -> T) -> (Duration, Duration) {
    let mut v = Vec::with_capacity(RUNS);
    for _ in 0..RUNS {
        let t = Instant::now();
        black_box(f());
        v.push(t.elapsed());
    }
    (median(v.clone()), *v.iter().min().unwrap())
}

fn main() {
    let t = Instant::now();
    let rows = rows();
    let xlsx = xlsx(&rows);
    let csv = gbk_csv(&rows);
    let roster = roster::read("花名册.xlsx", &xlsx).expect("the roster reads");
    let records = records(&roster);
    println!(
        "roster: {} persons in {} households, {} villages; xlsx {} KB, GBK csv {} KB; {} records; generated in {}",
        roster.people(),
        roster.households.len(),
        roster.villages().len(),
        xlsx.len() / 1024,
        csv.len() / 1024,
        records.len(),
        ms(t.elapsed()).trim()
    );
    let policy = Policy::shipped(2023);
    let today = NaiveDate::from_ymd_opt(2023, 2, 28).unwrap();
    let rec = reconcile::reconcile(&roster, &records, &policy, today);
    let matched = rec.households.iter().filter(|h| h.status == reconcile::Status::Matched).count();
    let differences: usize = rec.households.iter().map(|h| h.differences.len()).sum();
    let mut warnings: std::collections::BTreeMap<&str, usize> = Default::default();
    for w in &roster.warnings {
        *warnings.entry(w.code.code()).or_default() += 1;
    }
    let mut codes: std::collections::BTreeMap<&str, usize> = Default::default();
    for d in rec.households.iter().flat_map(|h| &h.differences) {
        *codes.entry(d.code.code()).or_default() += 1;
    }
    println!("reconciled: {matched} matched, {differences} differences {codes:?}");
    println!("roster warnings: {warnings:?}");

    let stages: [(&str, (Duration, Duration)); 8] = [
        ("read xlsx", time(|| roster::read("花名册.xlsx", &xlsx).unwrap())),
        (
            "  of which the workbook's cells (calamine)",
            time(|| roster::table::read_workbook(&xlsx).unwrap()),
        ),
        ("read GBK csv", time(|| roster::read("花名册.csv", &csv).unwrap())),
        (
            "  of which decoding and splitting",
            time(|| roster::table::parse_csv(&roster::table::decode(&csv).unwrap().0)),
        ),
        ("reconcile", time(|| reconcile::reconcile(&roster, &records, &policy, today))),
        (
            "  of which the latest visits (visits::latest_of_each)",
            time(|| ruhu::core::visits::latest_of_each(&records).len()),
        ),
        (
            "read xlsx + reconcile",
            time(|| {
                let r = roster::read("花名册.xlsx", &xlsx).unwrap();
                reconcile::reconcile(&r, &records, &policy, today)
            }),
        ),
        (
            "drafts of one village (ruhu.export/1)",
            time(|| {
                let now = DateTime::parse_from_rfc3339("2023-02-20T09:00:00+08:00").unwrap();
                prefill::write_drafts(&roster, Some("额尔和村"), &policy, now, today)
            }),
        ),
    ];
    println!("{:<40} {:>11} {:>11}", "stage", "median", "fastest");
    for (name, (med, min)) in stages {
        println!("{name:<40} {} {}", ms(med), ms(min));
    }
}
