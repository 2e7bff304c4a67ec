//! Files as weapons (issue 14, item 8): no CSV the core writes holds a live spreadsheet formula
//! from record data. Hostile values go into every text field of the records (and of a roster)
//! that survives the reader; every CSV writer — the four township ledgers and the
//! reconciliation ledger, in both variants — is read back with an RFC 4180 reader, and
//! - no cell starts a formula (`=`, `+`, `-`, `@`, tab, CR, LF, their full-width forms), except
//!   `="…"` around 1–20 ASCII letters and digits (an ID kept as text; nothing to break out of);
//! - every cell reads back (`township::csv::uncell`) as the table's own text, so nothing is
//!   lost to the guard;
//! - the hostile values really reach the files: each ledger's free-text columns carry some.

use std::collections::BTreeSet;

use serde_json::Value;

use ruhu::core::io;
use ruhu::core::policy::Policy;
use ruhu::core::reconcile::{self, LedgerTable};
use ruhu::core::record::Household;
use ruhu::core::roster;
use ruhu::core::sample;
use ruhu::core::township::csv::{self, CsvOptions};
use ruhu::core::township::ledgers::{CellKind, Tabular};
use ruhu::core::township::{self, Options};

const HOSTILE: &[&str] = &[
    "=1+1",
    "1\"&HYPERLINK(\"http://x\")&\"",
    "@SUM(A1)",
    "+cmd|' /C calc'!A0",
    "-2+3",
    "\t=1+1",
    "\r=1+1",
    "两行\n=1+1",
    "\"=1+1\"",
    "'=1+1",
    "＝1+1",
    "=HYPERLINK(\"http://x\",\"点这里\")",
    "a,b\tc",
];

/// Whether a written cell would start a formula.
fn live(cell: &str) -> bool {
    let id_text = cell.strip_prefix("=\"").and_then(|c| c.strip_suffix('"')).is_some_and(|c| {
        (1..=20).contains(&c.len()) && c.bytes().all(|b| b.is_ascii_alphanumeric())
    });
    cell.starts_with(['=', '+', '-', '@', '\t', '\r', '\n', '＝', '＋', '－', '＠']) && !id_text
}

fn is_hostile(text: &str) -> bool {
    HOSTILE.iter().any(|h| text.contains(h))
}

/// A small RFC 4180 reader (rows of fields, CRLF row ends, quotes doubled), after the BOM.
fn parse_csv(text: &str) -> Vec<Vec<String>> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let (mut rows, mut row, mut field, mut quoted) = (Vec::new(), Vec::new(), String::new(), false);
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                field.push('"');
            }
            (true, '"') => quoted = false,
            (true, c) => field.push(c),
            (false, '"') => {
                assert!(field.is_empty(), "a quote only opens a field: {field:?}");
                quoted = true
            }
            (false, ',') => row.push(std::mem::take(&mut field)),
            (false, '\r') => {
                assert_eq!(chars.next(), Some('\n'), "CR only in CRLF outside quotes");
                row.push(std::mem::take(&mut field));
                rows.push(std::mem::take(&mut row));
            }
            (false, '\n') => panic!("a bare LF outside quotes"),
            (false, '\t') => panic!("a tab outside quotes (Excel may split there)"),
            (false, c) => field.push(c),
        }
    }
    assert!(field.is_empty() && row.is_empty() && !quoted, "the file ends with CRLF");
    rows
}

/// Checks one table in both variants; returns the columns where hostile text arrived.
fn check<T: Tabular>(name: &str, table: &T) -> BTreeSet<&'static str> {
    let columns = table.columns();
    let rows = table.table_rows();
    assert!(!rows.is_empty(), "{name}: rows to check");
    let mut reached = BTreeSet::new();
    for excel in [true, false] {
        let bytes = csv::to_csv_with(table, CsvOptions { bom: excel, excel_text: excel });
        let parsed = parse_csv(std::str::from_utf8(&bytes).unwrap());
        assert_eq!(parsed.len(), rows.len() + 1, "{name}: one line per row, after the header");
        assert_eq!(parsed[0], columns, "{name}: the header");
        for (r, ((_, cells), written)) in rows.iter().zip(&parsed[1..]).enumerate() {
            assert_eq!(written.len(), cells.len(), "{name} row {r}: every cell written");
            for (c, (cell, text)) in cells.iter().zip(written).enumerate() {
                assert!(!live(text), "{name} row {r} {}: a live formula {text:?}", columns[c]);
                let mut want = cell.text.clone();
                if excel && cell.kind == CellKind::Number && !text.contains(',') {
                    want = want.replace(',', "");
                }
                assert_eq!(csv::uncell(text), want, "{name} row {r} {}: reads back", columns[c]);
                if is_hostile(&cell.text) {
                    reached.insert(columns[c]);
                }
            }
        }
    }
    reached
}

/// Replaces string leaves of the record (outside money, lineage and the computed block) by
/// hostile values, keeping each replacement only when the record still reads.
fn poison(h: &Household, k: &mut usize) -> Household {
    let mut v: Value = serde_json::from_str(&io::write_record(h)).unwrap();
    fn leaves(v: &Value, path: &mut Vec<String>, out: &mut Vec<Vec<String>>) {
        match v {
            Value::String(_) => out.push(path.clone()),
            Value::Array(a) => a.iter().enumerate().for_each(|(i, x)| {
                path.push(i.to_string());
                leaves(x, path, out);
                path.pop();
            }),
            Value::Object(o) => o.iter().for_each(|(key, x)| {
                if !["format", "income", "lineage", "computed", "id", "household_id"]
                    .contains(&key.as_str())
                {
                    path.push(key.clone());
                    leaves(x, path, out);
                    path.pop();
                }
            }),
            _ => {}
        }
    }
    let mut paths = Vec::new();
    leaves(&v, &mut Vec::new(), &mut paths);
    for p in paths {
        let pointer = format!("/{}", p.join("/"));
        let old = v.pointer(&pointer).cloned().unwrap();
        *v.pointer_mut(&pointer).unwrap() = Value::String(HOSTILE[*k % HOSTILE.len()].into());
        if io::parse_household(v.to_string().as_bytes()).is_ok() {
            *k += 1;
        } else {
            *v.pointer_mut(&pointer).unwrap() = old;
        }
    }
    io::parse_household(v.to_string().as_bytes()).unwrap()
}

#[test]
fn no_ledger_cell_is_a_formula() {
    let clean = sample::households(120, 3, 7);
    let mut k = 0;
    // Every other household poisoned, so the ledgers hold both kinds.
    let records: Vec<Household> = clean
        .iter()
        .enumerate()
        .map(|(i, h)| {
            // A photo with a caption, for the 佐证材料 column (issue 15).
            let mut h = h.clone();
            h.attachments.push(ruhu::core::evidence::new_photo(
                uuid::Uuid::from_u128(0xE000 + i as u128),
                "门牌",
                "",
                None,
                "image/jpeg",
                b"x",
                None,
                None,
            ));
            if i % 2 == 0 {
                poison(&h, &mut k)
            } else {
                h
            }
        })
        .collect();
    assert!(k > 500, "hostile values placed: {k}");
    let view = township::view(&records, &Options::new(Policy::shipped(2023), sample::today()));
    let every = ["村", "村民小组", "户主", "身份证号", "排查人"];
    for (name, reached) in [
        ("一般农户特殊档案", check("special_archive", &view.special_archive)),
        ("信息核实核查台账", check("verification", &view.verification)),
        ("监测对象台账", check("monitoring", &view.monitoring)),
    ] {
        for col in every {
            assert!(reached.contains(col), "{name}: hostile text reached {col} ({reached:?})");
        }
    }
    let special = check("special_archive", &view.special_archive);
    for col in ["重点人群成员", "未纳入原因", "风险研判人", "佐证材料"] {
        assert!(special.contains(col), "special archive: {col} ({special:?})");
    }
    // Ledger (c) may be empty for this sample; when it is not, it is checked the same way.
    if !view.unresolved.rows.is_empty() {
        check("unresolved", &view.unresolved);
    }
}

#[test]
fn no_reconciliation_cell_is_a_formula() {
    use ruhu::core::id_number::make;
    let d = |y, m, dd| chrono::NaiveDate::from_ymd_opt(y, m, dd).unwrap();
    let q = |s: &str| format!("\"{}\"", s.replace('"', "\"\""));
    let mut text =
        String::from("户编号,行政村,姓名,证件号码,性别,与户主关系,户类型,人均纯收入（元）\n");
    for (i, h) in HOSTILE.iter().enumerate() {
        let head = make("150722", d(1960, 1, 1 + i as u32), 11);
        let child = make("150722", d(2000, 1, 1 + i as u32), 13);
        let village = q(&format!("{h}村"));
        text +=
            &format!("{},{village},{},{head},男,户主,一般户,9000\n", q(&format!("H{i}{h}")), q(h));
        text += &format!(
            "{},{village},{},{child},男,之子,一般户,9000\n",
            q(&format!("H{i}{h}")),
            q(&format!("子{h}"))
        );
    }
    // An ID cell of 25 characters is refused with the cell named, not carried on.
    let long = format!("{text}H99,一村,王五,1507221960010100110000000,男,户主,一般户,9000\n");
    let e = roster::read("花名册.csv", long.as_bytes()).unwrap_err().to_string();
    assert!(e.contains("超过 20 位"), "{e}");

    let r = roster::read("花名册.csv", text.as_bytes()).unwrap();
    let now = chrono::DateTime::parse_from_rfc3339("2023-02-20T09:00:00+08:00").unwrap();
    let mut k = 3;
    let records: Vec<Household> = r
        .households
        .iter()
        .map(|rh| {
            let mut h = roster::prefill::draft(&r.file, rh, now);
            h.visit.date = Some(d(2023, 2, 20));
            // A member the roster lacks, with a hostile name: a difference row.
            let mut extra = h.members[0].clone();
            extra.id = uuid::Uuid::from_u128(k as u128 + 9000);
            extra.name = HOSTILE[k % HOSTILE.len()].into();
            extra.id_number = make("150722", d(2010, 5, 1 + (k % 28) as u32), 21);
            extra.relation = Some(ruhu::core::record::Relation::Son);
            h.members.push(extra);
            // The child's name differs from the roster's: the roster's hostile name is shown.
            h.members[1].name = "张小".into();
            k += 1;
            h
        })
        .collect();
    let rec = reconcile::reconcile(&r, &records, &Policy::shipped(2023), d(2023, 2, 24));
    let reached = check("reconcile", &LedgerTable(&rec));
    for col in ["村", "户编号", "户主", "花名册", "入户记录", "说明"] {
        assert!(reached.contains(col), "reconciliation: hostile text reached {col} ({reached:?})");
    }
}
