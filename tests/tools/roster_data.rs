//! The benchmark roster (花名册) of a banner: `persons` persons in households of 1–6 in 12
//! villages, 36 columns, one title row, every ID valid and unique; and visits made from its
//! drafts. Shared by `cargo bench --bench roster` (natively) and `cargo run --example
//! roster-fixture -- --bench DIR` (the files of the page benchmark,
//! `tests/e2e/bench/roster.mjs`), so both measure the same roster.

use chrono::{DateTime, NaiveDate};
use ruhu::core::id_number::make;
use ruhu::core::money::Money;
use ruhu::core::record::{Household, Member, Relation};
use ruhu::core::roster::{self, prefill};

pub const HEADER: [&str; 36] = [
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

/// The rows of a roster of `persons` persons (without title and header).
pub fn rows(persons: usize) -> Vec<Vec<String>> {
    let mut out = Vec::with_capacity(persons);
    let relations = ["户主", "配偶", "之子", "之女", "之孙子", "之母"];
    let mut h = 0usize;
    while out.len() < persons {
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
        for (p, relation) in relations.iter().enumerate().take(size.min(persons - out.len())) {
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

/// The roster as an .xlsx (one title row, the header, the rows).
pub fn xlsx(rows: &[Vec<String>]) -> Vec<u8> {
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

/// The roster as a GBK .csv (one title row, the header, the rows).
pub fn gbk_csv(rows: &[Vec<String>]) -> Vec<u8> {
    let mut text = String::from("莫力达瓦达斡尔族自治旗脱贫人口和监测对象花名册\r\n");
    text += &HEADER.join(",");
    for r in rows {
        text += "\r\n";
        text += &r.join(",");
    }
    encoding_rs::GBK.encode(&text).0.into_owned()
}

/// Visits made from the drafts of the first `n` households, with a member dropped in every
/// 10th and a newborn in every 7th.
pub fn records(r: &roster::Roster, n: usize) -> Vec<Household> {
    let now = DateTime::parse_from_rfc3339("2023-02-20T09:00:00+08:00").unwrap();
    r.households
        .iter()
        .take(n)
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
