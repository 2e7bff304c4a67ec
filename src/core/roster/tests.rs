//! The roster reader on files written by the tests themselves: CSV (UTF-8, BOM, GBK) and,
//! with the `xlsx` feature, workbooks from rust_xlsxwriter. No .xls writer exists for Rust;
//! the .xls path is calamine's own (tested there) and here only its refusal of a broken file.

use chrono::NaiveDate;

use super::*;
use crate::id_number::make;

fn d(y: i32, m: u32, dd: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, dd).unwrap()
}

/// A valid ID (odd sequence: male).
fn id(y: i32, seq: u16) -> String {
    make("150722", d(y, 3, 4), seq)
}

pub(crate) const HEADER: [&str; 14] = [
    "县（市、区、旗）",
    "乡(镇)",
    "行政村",
    "自然村",
    "户编号",
    "姓名",
    "身份证号码",
    "性别",
    "与户主关系",
    "户类型",
    "监测对象类别",
    "识别监测时间",
    "享受低保政策情况",
    "备注",
];

fn row(no: &str, name: &str, id: &str, sex: &str, rel: &str, kind: &str, mon: &str) -> Vec<String> {
    [
        "莫力达瓦达斡尔族自治旗",
        "额尔和乡",
        "额尔和村",
        "一组",
        no,
        name,
        id,
        sex,
        rel,
        kind,
        mon,
        "202206",
        "未享受",
        "",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect()
}

fn csv_line(cells: &[String]) -> String {
    cells
        .iter()
        .map(|c| {
            if c.contains([',', '"', '\n']) {
                format!("\"{}\"", c.replace('"', "\"\""))
            } else {
                c.clone()
            }
        })
        .collect::<Vec<_>>()
        .join(",")
}

/// Two title rows, the header, a monitored household of three (IDs with spaces, an
/// apostrophe and a lower-case x; sex as 1/2; an unknown relation label) and a 脱贫户.
fn sample_rows() -> Vec<Vec<String>> {
    let x_id = {
        // An ID ending in X, written with a lower-case x.
        let mut seq = 0;
        loop {
            let i = id(2010, seq);
            if i.ends_with('X') {
                break i.to_lowercase();
            }
            seq += 1;
        }
    };
    let head = id(1970, 11);
    let spaced = format!("{} {} {}", &id(1972, 22)[..6], &id(1972, 22)[6..14], &id(1972, 22)[14..]);
    vec![
        row("H001", "张伟", &format!("'{head}"), "1", "户主", "脱贫户", "边缘易致贫户"),
        row("H001", "李芳", &spaced, "2", "配偶", "脱贫户", "边缘易致贫户"),
        row("H001", "张小", &x_id, "男", "老板", "脱贫户", "边缘易致贫户"),
        row("H002", "王强", &format!("\t{}\t", id(1960, 31)), "男", "户主", "脱贫户", ""),
    ]
}

fn sample_csv() -> String {
    let mut lines =
        vec!["2023年脱贫户和监测对象花名册,,,".to_string(), "导出时间：2023-02-01".to_string()];
    lines.push(csv_line(&HEADER.map(String::from)));
    lines.extend(sample_rows().iter().map(|r| csv_line(r)));
    lines.join("\r\n") + "\r\n"
}

fn check_sample(r: &Roster) {
    assert_eq!(r.households.len(), 2);
    assert_eq!(r.people(), 4);
    assert_eq!(r.unused_columns, vec!["备注".to_string()]);
    let h = &r.households[0];
    assert_eq!(h.household_no.as_deref(), Some("H001"));
    assert_eq!(h.address.banner, "莫力达瓦达斡尔族自治旗");
    assert_eq!(h.address.village, "额尔和村");
    assert_eq!(h.category, Some(RosterCategory::Is(Category::MonitoredMarginal)));
    assert_eq!(h.identified.map(|d| d.to_string()).as_deref(), Some("2022-06"));
    let p = &h.persons;
    assert_eq!(p[0].id_number, id(1970, 11), "apostrophe dropped");
    assert_eq!(p[1].id_number, id(1972, 22), "spaces dropped");
    assert!(p[2].id_number.ends_with('X'), "x upper-cased: {}", p[2].id_number);
    assert_eq!(
        (p[0].sex, p[1].sex, p[2].sex),
        (Some(Sex::Male), Some(Sex::Female), Some(Sex::Male))
    );
    assert_eq!(
        (p[0].relation, p[1].relation, p[2].relation),
        (Some(Relation::Head), Some(Relation::Spouse), None)
    );
    assert_eq!(p[0].dibao, Some(false));
    assert_eq!(p[0].id_type, Some(IdType::ResidentId));
    assert_eq!(r.households[1].category, Some(RosterCategory::Exited));
    assert_eq!(r.households[1].persons[0].id_number, id(1960, 31), "tabs dropped");
    let unknown: Vec<&Warning> =
        r.warnings.iter().filter(|w| w.code == WarningCode::UnknownLabel).collect();
    assert_eq!(unknown.len(), 1, "{:?}", r.warnings);
    assert_eq!(unknown[0].place.row, Some(6));
    assert_eq!(unknown[0].place.column.as_deref(), Some("与户主关系"));
    assert!(
        unknown[0].to_string().contains("第 6 行 与户主关系: 无法识别的取值“老板”"),
        "{}",
        unknown[0]
    );
}

#[test]
fn csv_with_title_rows_synonyms_and_messy_ids() {
    let r = read("花名册.csv", sample_csv().as_bytes()).unwrap();
    assert_eq!((r.kind, r.encoding), ("csv", Some("UTF-8")));
    check_sample(&r);
    assert_eq!(r.warnings.len(), 1, "{:?}", r.warnings);
    let bom = format!("\u{feff}{}", sample_csv());
    check_sample(&read("花名册.csv", bom.as_bytes()).unwrap());
}

#[cfg(feature = "gbk")]
#[test]
fn csv_in_gbk_and_with_a_bom() {
    let text = sample_csv();
    let (gbk, _, unmappable) = encoding_rs::GBK.encode(&text);
    assert!(!unmappable);
    assert!(std::str::from_utf8(&gbk).is_err(), "really GBK bytes");
    let r = read("花名册.csv", &gbk).unwrap();
    assert_eq!(r.encoding, Some("GBK"));
    check_sample(&r);
    let bom = format!("\u{feff}{}", sample_csv());
    let r = read("花名册.csv", bom.as_bytes()).unwrap();
    check_sample(&r);
}

#[test]
fn an_id_in_scientific_notation_is_refused_at_its_cell() {
    let mut rows = sample_rows();
    rows[1][6] = "1.50722E+17".into();
    rows[3][6] = "1.50722E+17".into();
    let mut text = csv_line(&HEADER.map(String::from));
    for r in &rows {
        text += "\n";
        text += &csv_line(r);
    }
    let e = read("花名册.csv", text.as_bytes()).unwrap_err();
    assert_eq!(e.problems.len(), 2, "every such cell: {e}");
    let first = e.to_string();
    assert!(
        first.starts_with("花名册.csv 第 3 行 身份证号码: 单元格是数字（1.50722E+17）"),
        "{first}"
    );
    assert!(first.contains("\n花名册.csv 第 5 行 身份证号码"), "{first}");
}

#[test]
fn no_header_is_refused_with_what_was_looked_for() {
    let e = read("名单.csv", "户主,电话\n张伟,13800000000\n".as_bytes()).unwrap_err();
    let m = e.to_string();
    assert!(m.starts_with("名单.csv: 前 10 行中没有找到表头"), "{m}");
    assert!(m.contains("“姓名”") && m.contains("证件号码") && m.contains("身份证号"), "{m}");
    let e = read("x.csv", &[0x81, 0x20, 0xFF, 0xFF]).unwrap_err();
    #[cfg(feature = "gbk")]
    assert!(e.to_string().contains("既不是 UTF-8 也不是 GBK"), "{e}");
    #[cfg(not(feature = "gbk"))]
    assert!(e.to_string().starts_with("x.csv: 不是 UTF-8 编码的文本"), "{e}");
}

#[test]
fn without_household_numbers_households_start_at_each_head() {
    let text = "姓名,证件号码,与户主关系,行政村\n\
                张伟,150722197003040011,户主,一村\n李芳,,配偶,一村\n\
                王强,150722196003040031,户主,二村\n王小,,之子,二村\n王二,,子,二村\n";
    let r = read("a.csv", text.as_bytes()).unwrap();
    let sizes: Vec<usize> = r.households.iter().map(|h| h.persons.len()).collect();
    assert_eq!(sizes, vec![2, 3]);
    assert_eq!(r.households[1].household_no, None);
    assert!(r.households[1].key().starts_with("户主证件号码 150722196003040031"));
    assert_eq!(r.villages(), vec!["一村", "二村"]);
    let e = read("b.csv", "姓名,证件号码\n张伟,1\n".as_bytes()).unwrap_err();
    assert!(e.to_string().contains("没有“户编号”列，也没有“与户主关系”列"), "{e}");
}

#[test]
fn an_empty_household_number_takes_the_one_above() {
    let text = format!(
        "户编号,姓名,证件号码,与户主关系\nH1,张伟,{},户主\n,李芳,{},配偶\nH2,王强,{},户主\n",
        id(1970, 11),
        id(1972, 22),
        id(1960, 31)
    );
    let r = read("a.csv", text.as_bytes()).unwrap();
    assert_eq!(r.households.iter().map(|h| h.persons.len()).collect::<Vec<_>>(), vec![2, 1]);
}

#[test]
fn warnings_for_ids_and_heads() {
    let shared = id(1980, 41);
    let valid = id(1980, 43);
    let bad = format!("{}{}", &valid[..17], if valid.ends_with('0') { '1' } else { '0' });
    let text = format!(
        "户编号,姓名,证件号码,与户主关系\n\
         H1,张伟,{},户主\nH1,张三,{shared},之子\nH1,张四,{bad},之子\n\
         H2,李四,{shared},配偶\nH2,李五,,之女\n",
        id(1970, 11),
    );
    let r = read("a.csv", text.as_bytes()).unwrap();
    let codes: Vec<(WarningCode, Option<u32>)> =
        r.warnings.iter().map(|w| (w.code, w.place.row)).collect();
    assert_eq!(
        codes,
        vec![
            (WarningCode::IdInvalid, Some(4)),
            (WarningCode::HeadMissing, Some(5)),
            (WarningCode::IdInTwoHouseholds, Some(5)),
            (WarningCode::IdMissing, Some(6)),
        ],
        "{:#?}",
        r.warnings
    );
    let two = &r.warnings[2].to_string();
    assert!(two.contains("也在另一户中：户编号 H1，第 3 行"), "{two}");
    assert!(r.warnings[0].message.contains("校验码"), "{}", r.warnings[0]);
    assert_eq!(r.person_index()[&shared], vec![0, 1]);
}

#[test]
fn household_columns_come_from_the_head_and_every_member_column_maps() {
    let head = id(1970, 11);
    let text = format!(
        "户编号,姓名,证件号码,证件类型,与户主关系,民族,政治面貌,文化程度,在校生状况,健康状况,劳动技能,\
         务工区域,务工时间（月）,是否参加城乡居民基本医疗保险,是否参加大病保险,是否接受医疗救助,\
         是否特困供养人员,是否参加城乡居民基本养老保险,人均纯收入（元）,户联系电话,风险是否消除,风险消除方式,\
         消除监测时间,致贫风险1,致贫风险2,出生日期,人口编号\n\
         H1,张小,{kid},居民身份证,之子,达斡尔族,群众,小学,小学,健康,无劳动力,,,是,是,否,否,否,,,,,,,,2010-03-04,P2\n\
         H1,张伟,{head},身份证,户主,达斡尔族,中共党员,初中,非在校生,\"长期慢性病,残疾\",弱劳动力,省外务工,8,是,否,是,分散供养,是,\
         \"6,512.5\",13812345678,是,帮扶消除,2023年01月,因病,因残,19700304,P1\n",
        kid = id(2010, 12),
    );
    let r = read("a.csv", text.as_bytes()).unwrap();
    assert!(r.warnings.is_empty(), "{:#?}", r.warnings);
    let h = &r.households[0];
    assert_eq!(h.phone, "13812345678");
    assert_eq!(h.per_capita_income, Some(Money::parse("6512.50")));
    assert_eq!(
        (h.eliminated, h.elimination_method),
        (Some(true), Some(EliminationMethod::Assisted))
    );
    assert_eq!(h.eliminated_on.map(|d| d.to_string()).as_deref(), Some("2023-01"));
    assert_eq!(h.risks, vec![RiskType::Illness, RiskType::Disability]);
    let p = &h.persons[1];
    assert_eq!(p.name, "张伟");
    assert_eq!(p.person_no, "P1");
    assert_eq!(p.political, Some(Political::CpcMember));
    assert_eq!(p.education, Some(Education::Junior));
    assert_eq!(p.health, vec![Health::Chronic, Health::Disabled]);
    assert_eq!(p.labor, Some(Labor::Weak));
    assert_eq!((p.work_area, p.work_months), (Some(WorkArea::OutOfProvince), Some(8)));
    assert_eq!(
        (
            p.medical_insurance,
            p.critical_illness_insurance,
            p.medical_assistance,
            p.tekun,
            p.pension_insurance
        ),
        (Some(true), Some(false), Some(true), Some(true), Some(true))
    );
    assert_eq!(p.birth_date.map(|d| d.to_string()).as_deref(), Some("1970-03-04"));
    assert_eq!(h.persons[0].in_school, "小学");
    assert_eq!(h.persons[0].work_area, None);
    assert_eq!(p.ethnicity, "达斡尔族");
}

#[cfg(feature = "xlsx")]
mod xlsx {
    use super::*;
    use rust_xlsxwriter::{Format, Workbook, XlsxError};

    /// A workbook: each sheet with a merged title row above the header, then `rows`; the
    /// ID column (6) as text, except cells listed in `numeric` (row index, value).
    pub(crate) fn workbook(
        sheets: &[(&str, Vec<Vec<String>>)],
        numeric: &[(usize, f64)],
    ) -> Vec<u8> {
        let build = || -> Result<Vec<u8>, XlsxError> {
            let mut wb = Workbook::new();
            for (name, rows) in sheets {
                let ws = wb.add_worksheet();
                ws.set_name(*name)?;
                if rows.is_empty() {
                    ws.write_string(0, 0, "说明：本表由系统导出")?;
                    continue;
                }
                ws.merge_range(0, 0, 0, 5, "2023年脱贫户和监测对象花名册", &Format::new())?;
                for (c, h) in HEADER.iter().enumerate() {
                    ws.write_string(1, c as u16, *h)?;
                }
                for (i, r) in rows.iter().enumerate() {
                    for (c, v) in r.iter().enumerate() {
                        if c == 6 {
                            if let Some((_, n)) = numeric.iter().find(|(j, _)| *j == i) {
                                ws.write_number(i as u32 + 2, c as u16, *n)?;
                                continue;
                            }
                        }
                        if !v.is_empty() {
                            ws.write_string(i as u32 + 2, c as u16, v)?;
                        }
                    }
                }
            }
            wb.save_to_buffer()
        };
        build().expect("the workbook is written")
    }

    #[test]
    fn xlsx_like_the_csv() {
        let mut rows = sample_rows();
        rows.insert(0, vec![String::new(); 14]); // a blank row under the header
        let bytes = workbook(&[("Sheet1", rows)], &[]);
        let r = read("花名册.xlsx", &bytes).unwrap();
        assert_eq!((r.kind, r.encoding), ("xlsx", None));
        assert_eq!(r.sheets, vec!["Sheet1".to_string()]);
        // Rows are the spreadsheet's: title 1, header 2, blank 3, people 4–7.
        let unknown = r.warnings.iter().find(|w| w.code == WarningCode::UnknownLabel).unwrap();
        assert_eq!(
            unknown.to_string(),
            "花名册.xlsx 第 6 行 与户主关系: 无法识别的取值“老板”，未填入"
        );
        assert_eq!(r.households[0].persons[0].row, 4);
        assert_eq!(r.households.len(), 2);
        assert_eq!(r.households[0].persons[2].id_number.len(), 18);
    }

    #[test]
    fn a_numeric_id_cell_is_refused_never_rounded() {
        let bytes = workbook(&[("Sheet1", sample_rows())], &[(1, 150722197203040022.0)]);
        let e = read("花名册.xlsx", &bytes).unwrap_err();
        assert_eq!(e.problems.len(), 1);
        assert_eq!(
            e.to_string(),
            "花名册.xlsx 第 4 行 身份证号码: 单元格是数字（1.50722E+17），证件号码已丢失位数，不能使用；请在原表中把这一列设为“文本”后重新导出"
        );
    }

    #[test]
    fn several_sheets_are_named_and_a_sheet_without_header_skipped() {
        let rows = sample_rows();
        let (a, b) = rows.split_at(3);
        let mut bytes_sheets = vec![("一村", a.to_vec()), ("二村", b.to_vec())];
        let with_numeric = workbook(&bytes_sheets, &[(0, 1.5e17)]);
        let e = read("花名册.xlsx", &with_numeric).unwrap_err();
        assert!(e.to_string().starts_with("花名册.xlsx（工作表 一村）第 3 行 身份证号码"), "{e}");
        bytes_sheets.push(("说明", vec![]));
        let r = read("花名册.xlsx", &workbook(&bytes_sheets, &[])).unwrap();
        assert_eq!(r.sheets, vec!["一村".to_string(), "二村".to_string()]);
        let skipped = r.warnings.iter().find(|w| w.code == WarningCode::SheetSkipped).unwrap();
        assert!(skipped.to_string().starts_with("花名册.xlsx（工作表 说明）: 已跳过"), "{skipped}");
        assert_eq!(r.households.len(), 2);
        assert_eq!(r.households[1].sheet.as_deref(), Some("二村"));
        let unknown = r.warnings.iter().find(|w| w.code == WarningCode::UnknownLabel).unwrap();
        assert!(
            unknown.to_string().starts_with("花名册.xlsx（工作表 一村）第 5 行 与户主关系"),
            "{unknown}"
        );
    }

    #[test]
    fn a_household_on_two_sheets_is_one_household() {
        let rows = sample_rows();
        let (a, b) = rows.split_at(1);
        let bytes = workbook(&[("一村", a.to_vec()), ("二村", b.to_vec())], &[]);
        let r = read("花名册.xlsx", &bytes).unwrap();
        assert_eq!(r.households.iter().map(|h| h.persons.len()).collect::<Vec<_>>(), vec![3, 1]);
        let unknown = r.warnings.iter().find(|w| w.code == WarningCode::UnknownLabel).unwrap();
        assert!(unknown.to_string().starts_with("花名册.xlsx（工作表 二村）第 4 行"), "{unknown}");
    }

    #[test]
    fn a_broken_xls_is_refused() {
        let mut bytes = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
        bytes.extend([0u8; 504]);
        let e = read("旧表.xls", &bytes).unwrap_err();
        assert!(e.to_string().starts_with("旧表.xls: 无法打开 Excel 表格"), "{e}");
    }
}

#[cfg(not(feature = "xlsx"))]
#[test]
fn without_the_xlsx_feature_a_workbook_is_refused_with_a_hint() {
    let e = read("花名册.xlsx", b"PK\x03\x04....").unwrap_err();
    assert!(e.to_string().contains("另存为 CSV"), "{e}");
}

mod drafts {
    use super::*;
    use crate::roster::prefill::{self, draft, drafts, origin, write_drafts};
    use chrono::DateTime;
    use uuid::Uuid;

    fn now(s: &str) -> DateTime<chrono::FixedOffset> {
        DateTime::parse_from_rfc3339(s).unwrap()
    }

    #[test]
    fn a_draft_holds_what_the_roster_says_and_nothing_else() {
        let mut r = read("花名册.csv", sample_csv().as_bytes()).unwrap();
        // The head listed after a member: the draft puts the head first.
        r.households[0].persons.rotate_left(1);
        let h = &r.households[0];
        let t = now("2023-02-20T09:00:00+08:00");
        let dr = draft(&r.file, h, t);
        assert_eq!(
            (dr.format.as_str(), dr.revision, dr.status),
            ("ruhu.household/1", 1, crate::record::Status::Draft)
        );
        assert_eq!(dr.visit.date, None, "a draft is not a visit");
        assert_eq!(
            (dr.address.banner.as_str(), dr.address.township.as_str()),
            ("莫力达瓦达斡尔族自治旗", "额尔和乡")
        );
        assert_eq!((dr.address.village.as_str(), dr.address.group.as_str()), ("额尔和村", "一组"));
        assert_eq!(dr.category, Some(Category::MonitoredMarginal));
        assert_eq!(dr.monitoring.identified_on, Some(d(2022, 6, 1)));
        assert_eq!(dr.resettlement_site, Some(false));
        let names: Vec<&str> = dr.members.iter().map(|m| m.name.as_str()).collect();
        assert_eq!(names, vec!["张伟", "李芳", "张小"]);
        let head = &dr.members[0];
        assert_eq!(
            (head.sex, head.relation, head.id_number.as_str()),
            (Some(Sex::Male), Some(Relation::Head), id(1970, 11).as_str())
        );
        assert_eq!((head.dibao, head.tekun, head.labor), (Some(false), None, None));
        assert_eq!(dr.income, crate::record::Income::default(), "income is asked at the visit");
        assert_eq!(dr.judgement, crate::record::Judgement::default());
        // Where it came from, and the member made from each roster person.
        let o = origin(&dr).unwrap();
        assert_eq!((o.file.as_str(), o.household_no.as_deref()), ("花名册.csv", Some("H001")));
        assert_eq!(&o.household, h);
        assert_eq!(o.member_ids[0], dr.members[1].id, "李芳, the first roster row");
        assert_eq!(prefill::household_no(&dr), Some("H001"));
        // 脱贫户: which exited_* is not known, so unanswered.
        let exited = draft(&r.file, &r.households[1], t);
        assert_eq!(exited.category, None);
        assert_eq!(origin(&exited).unwrap().household.category, Some(RosterCategory::Exited));
    }

    #[test]
    fn the_answers_a_visit_changed_against_the_roster() {
        let r = read("花名册.csv", sample_csv().as_bytes()).unwrap();
        let mut h = draft(&r.file, &r.households[0], now("2023-02-20T09:00:00+08:00"));
        assert!(prefill::is_pending(&h));
        assert!(prefill::changed_against_roster(&h).is_empty());
        h.visit.date = Some(d(2023, 2, 21));
        h.income.wage = Some(crate::money::Money::parse("30000"));
        h.members[1].relation = Some(Relation::Other);
        h.members[1].labor = Some(Labor::Ordinary); // the roster had no 劳动技能 column
        h.members.remove(2);
        h.members.push(crate::record::Member::new(Uuid::from_u128(5)));
        h.category = Some(Category::MonitoredHardship);
        assert!(!prefill::is_pending(&h));
        assert_eq!(
            prefill::changed_against_roster(&h),
            vec!["category", "members[1].relation", "members[2]", "members-removed:张小"]
        );
        let mut plain = h.clone();
        plain.extra.clear();
        assert!(prefill::changed_against_roster(&plain).is_empty());
        assert!(!prefill::is_pending(&crate::record::Household::default()));
    }

    #[test]
    fn the_same_roster_gives_the_same_ids() {
        let r = read("花名册.csv", sample_csv().as_bytes()).unwrap();
        let a = drafts(&r, None, now("2023-02-20T09:00:00+08:00"));
        let b = drafts(&r, None, now("2023-03-01T10:00:00+08:00"));
        let ids = |v: &[crate::record::Household]| -> Vec<Uuid> {
            v.iter()
                .flat_map(|h| {
                    [h.id, h.household_id].into_iter().chain(h.members.iter().map(|m| m.id))
                })
                .collect()
        };
        assert_eq!(ids(&a), ids(&b));
        let mut all = ids(&a);
        all.sort();
        all.dedup();
        assert_eq!(all.len(), ids(&a).len(), "no id twice");
        assert_ne!(a[0].id, a[1].id);
    }

    #[test]
    fn a_village_batch_reads_back_as_records() {
        let text = sample_csv();
        let mut r = read("花名册.csv", text.as_bytes()).unwrap();
        r.households[1].address.village = "二村".into();
        let t = now("2023-02-20T09:00:00+08:00");
        let batch = write_drafts(
            &r,
            Some("二村"),
            &crate::policy::Policy::shipped(2023),
            t,
            d(2023, 2, 20),
        );
        let back = crate::io::read_bytes(batch.as_bytes()).unwrap();
        assert_eq!(back.records.len(), 1);
        assert_eq!(back.records[0].head_name(), "王强");
        assert_eq!(origin(&back.records[0]).unwrap().household, r.households[1]);
        assert_eq!(back.records[0], draft(&r.file, &r.households[1], t));
        assert_eq!(
            write_drafts(&r, None, &crate::policy::Policy::shipped(2023), t, d(2023, 2, 20))
                .matches("\"roster\":")
                .count(),
            2
        );
    }
}

#[test]
fn a_repeated_header_and_blank_or_total_rows_are_skipped() {
    let text = format!(
        "户编号,姓名,证件号码,与户主关系\nH1,张伟,{},户主\n,,,\n户编号,姓名,证件号码,与户主关系\nH2,王强,{},户主\n合计,,,\n",
        id(1970, 11),
        id(1960, 31)
    );
    let r = read("a.csv", text.as_bytes()).unwrap();
    let rows: Vec<u32> =
        r.households.iter().flat_map(|h| h.persons.iter().map(|p| p.row)).collect();
    assert_eq!(rows, vec![2, 5]);
    assert!(r.warnings.is_empty(), "{:?}", r.warnings);
}

/// Whatever the bytes, the reader answers (a roster or an error), never panics.
#[cfg(not(target_arch = "wasm32"))]
mod never_panics {
    use super::*;
    use proptest::prelude::*;

    fn piece() -> impl Strategy<Value = String> {
        prop::sample::select(vec![
            ",",
            "\"",
            "\n",
            "\r\n",
            " ",
            "'",
            "姓名",
            "证件号码",
            "户编号",
            "与户主关系",
            "户主",
            "配偶",
            "H1",
            "1.5E+17",
            "150722197003040114",
            "x",
            "性别",
            "1",
            "2",
            "识别监测时间",
            "2022年6月",
            "人均纯收入",
            "元",
            "致贫风险1",
            "因病",
            "\t",
            "\u{feff}",
        ])
        .prop_map(str::to_string)
    }

    proptest! {
        #[test]
        fn csv_like_text(parts in prop::collection::vec(piece(), 0..80)) {
            let text: String = parts.concat();
            let _ = read("p.csv", text.as_bytes());
        }

        #[test]
        fn any_bytes(bytes in prop::collection::vec(any::<u8>(), 0..200), prefix in 0..3usize) {
            // As they are, or behind a zip (.xlsx) or OLE (.xls) signature.
            let mut b = [&b""[..], b"PK\x03\x04", &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]][prefix].to_vec();
            b.extend(bytes);
            let _ = read("p.bin", &b);
        }
    }
}
