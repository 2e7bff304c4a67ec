//! 花名册: the national system's list of 脱贫户 and 监测对象 (全国防返贫监测信息系统), read from
//! the file the township receives (.xlsx, .xls or .csv) into typed households and persons
//! (issue 12). The drafts made from it are in [`prefill`]; the comparison with the stored
//! visits is [`crate::reconcile`].
//!
//! ```text
//! bytes ──table::kind──▶ csv: table::decode (UTF-8 ± BOM, UTF-16, else GBK) + parse_csv
//!                        xlsx/xls (feature `xlsx`): table::read_workbook (calamine, from bytes)
//!       ──columns::find_header (per sheet)──▶ columns by name (synonyms, normalised)
//!       ──rows──▶ RosterPerson per row (labels:: maps cells to the record's codes)
//!       ──group by 户编号──▶ RosterHousehold (household columns from the head's row)
//!       ──checks──▶ warnings (unknown labels, invalid IDs, an ID in two households, no 户主)
//! ```
//!
//! **What the file looks like** (from the county scripts that process these exports): one
//! row per person, the household's columns repeated on each member's row, one to three title
//! rows above the header, columns in any order and any subset. The header is the first of
//! the first [`columns::HEADER_SEARCH_ROWS`] rows holding 姓名 and an ID column; columns are
//! found by name ([`columns::NAMES`]); the rest are listed in [`Roster::unused_columns`].
//!
//! **Refused** (a [`RosterError`] naming file, sheet, row and column, in Chinese): a file with
//! no such header anywhere (the message says what was looked for); an ID cell holding a
//! number (Excel's `1.50722E+17`: the digits are gone, and a rounded ID would be a wrong
//! person), every such cell listed; a file that is neither text (UTF-8, UTF-16, GBK) nor a
//! workbook; a workbook when the core is built without `xlsx`, a GBK text without `gbk`
//! (each with the hint to save the file as UTF-8 CSV); a file with neither 户编号 nor
//! 与户主关系 (nothing tells who lives with whom).
//!
//! **Choices where the issue is silent**
//! - Sheets: every sheet with a header is read (exports split by village); sheets without
//!   one (notes, pivot tables) are skipped with a warning when another sheet has one. The
//!   sheet is named in messages only when the workbook has several.
//! - Grouping: by 户编号, across sheets, in order of first appearance; an empty 户编号 cell
//!   takes the one above it (merged cells read as empty below their first row). Without a
//!   户编号 column, a new household starts at every 户主 row and the rows below it join it
//!   (the export lists each head followed by the members); rows before the first head form
//!   one household, with a warning.
//! - Household columns (address, 户类型, income, …) are taken from the head's row; a column
//!   empty there is taken from the first member's row that has it.
//! - Rows with neither name nor ID (blank, 合计) and repeated header rows are skipped.
//! - Numbers are fine where a number is meant: phone, income, months, `202206`.
//! - 证件类型 missing: an 18-character ID is a 居民身份证, a 20-character one a 残疾人证 (that
//!   is what the format says), anything else stays unanswered.
//! - 户类型 + 监测对象类别 → [`RosterCategory`]: a 监测对象类别 gives its `monitored_*`; else
//!   一般农户/普通农户 is `general`; 脱贫户 is `exited` (either `exited_*`: the export does not
//!   say whether the household 享受政策), unless the cell holds the form's own label.
//! - Unknown labels are warned once per column and value, with the first row and the count.
//!
//! **Features and what they cost a wasm bundle.** The types, the CSV reader (UTF-8, with or
//! without BOM, and UTF-16), [`prefill`] and [`crate::reconcile`] are always built: a bundle
//! that never calls [`read`] (the surveyor's) does not link them. Feature `gbk` adds GBK CSV
//! (encoding_rs); feature `xlsx` adds .xlsx/.xls (calamine, read from bytes; builds for
//! wasm32) and implies `gbk`. Measured on 2026-12-03 as a wasm32 cdylib (opt-level z, LTO, no
//! wasm-opt) on top of what the office page does today (read, evaluate, write, township
//! view: 198 KB gzip): the UTF-8 CSV reader +38 KB gzip, `gbk` +124 KB more (encoding_rs
//! decodes through one dispatch over all its encodings: every CJK table comes along),
//! `xlsx` +155 KB more (with `gbk`'s tables already counted; calamine links encoding_rs
//! itself, so `xlsx` without `gbk` is no smaller), the reconciliation and the drafts +19 KB.
//! The whole roster import is thus about 336 KB gzip: more than the office page's first-load
//! budget leaves (450 KB, 320 KB used), so the page should load it as a bundle of its own
//! when a roster is imported.
//!
//! **Speed** (`cargo bench --bench roster`: 30,000 persons, 36 columns). An .xlsx is read
//! cell by cell with calamine's streaming reader (no range of every cell first, shared
//! strings borrowed); a CSV is split by scanning bytes; each column's labels are looked up
//! once per distinct value (a roster repeats a few hundred values over its rows); a field's
//! column is an array index. Most of the time of an .xlsx is calamine's (unzip, XML).

use std::collections::HashMap;
use std::fmt;

use serde::{Deserialize, Serialize};

use crate::id_number;
use crate::money::Money;
use crate::record::{
    Category, Education, EliminationMethod, Health, IdType, Labor, Political, Relation, RiskType,
    Sex, WorkArea,
};

pub mod columns;
pub mod labels;
pub mod prefill;
pub mod table;
#[cfg(test)]
mod tests;

use columns::{Field, Header};
pub use labels::RosterDate;
use table::{Cell, FileKind, Row, Sheet};

/// A roster as read.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Roster {
    /// The file's name as given (for messages and the drafts' `roster.file`).
    pub file: String,
    /// `xlsx`, `xls` or `csv`.
    pub kind: &'static str,
    /// The text encoding of a CSV file (`UTF-8`, `GBK`, `UTF-16`).
    pub encoding: Option<&'static str>,
    /// The sheets read (those with a header), empty for a CSV file.
    pub sheets: Vec<String>,
    /// Header names that are none of the reader's columns (or a second column of one).
    pub unused_columns: Vec<String>,
    pub households: Vec<RosterHousehold>,
    /// Printed apart (the CLI writes them on stderr): not in the JSON.
    #[serde(skip)]
    pub warnings: Vec<Warning>,
}

/// One household of the roster.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RosterHousehold {
    /// 户编号 (`None` when the file has no such column or the cell is empty).
    pub household_no: Option<String>,
    /// The sheet it was read from (a workbook).
    #[serde(default)]
    pub sheet: Option<String>,
    /// Its first row.
    pub row: u32,
    pub address: RosterAddress,
    /// 户类型 + 监测对象类别.
    pub category: Option<RosterCategory>,
    /// 识别监测时间 (often only the month).
    pub identified: Option<RosterDate>,
    /// 风险是否消除.
    pub eliminated: Option<bool>,
    /// 风险消除方式.
    pub elimination_method: Option<EliminationMethod>,
    /// 消除监测时间.
    pub eliminated_on: Option<RosterDate>,
    /// 人均纯收入（元）, as the system holds it.
    pub per_capita_income: Option<Money>,
    /// 户联系电话.
    pub phone: String,
    /// 致贫风险1…5 / 返贫风险1…5, as A33 codes.
    pub risks: Vec<RiskType>,
    pub persons: Vec<RosterPerson>,
}

/// 县/乡/行政村/自然村, under the record's own key names.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct RosterAddress {
    /// 县（市、区、旗）.
    pub banner: String,
    /// 乡（镇）.
    pub township: String,
    /// 行政村.
    pub village: String,
    /// 自然村.
    pub group: String,
}

/// One person (one row), under the record's `Member` key names where there is one.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RosterPerson {
    /// The spreadsheet row (the first row is 1).
    pub row: u32,
    /// 人编号 / 人口编号.
    pub person_no: String,
    pub name: String,
    pub sex: Option<Sex>,
    pub id_type: Option<IdType>,
    /// As text: spaces and a leading apostrophe dropped, `x` upper-cased.
    pub id_number: String,
    /// 出生日期 (the record reads it from the ID).
    pub birth_date: Option<RosterDate>,
    pub relation: Option<Relation>,
    pub ethnicity: String,
    pub political: Option<Political>,
    pub education: Option<Education>,
    /// 在校生状况 (no key in the record).
    pub in_school: String,
    pub health: Vec<Health>,
    pub labor: Option<Labor>,
    pub work_area: Option<WorkArea>,
    /// 务工时间（月） (no key in the record).
    pub work_months: Option<u32>,
    pub medical_insurance: Option<bool>,
    pub critical_illness_insurance: Option<bool>,
    pub medical_assistance: Option<bool>,
    pub dibao: Option<bool>,
    pub tekun: Option<bool>,
    pub pension_insurance: Option<bool>,
}

/// The roster's 户类型 + 监测对象类别 as the record's 户属性 codes: one category, or
/// `exited` (脱贫户, either `exited_*`). Written as the code (`"general"`, `"exited"`,
/// `"monitored_marginal"`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RosterCategory {
    Is(Category),
    Exited,
}

impl RosterCategory {
    /// Whether a record's category agrees with it (the issue's rule: 脱贫户 matches either
    /// `exited_*`).
    pub fn matches(self, c: Category) -> bool {
        match self {
            RosterCategory::Is(r) => r == c,
            RosterCategory::Exited => c.is_exited(),
        }
    }

    /// The one category it names (`None` for `exited`).
    pub fn category(self) -> Option<Category> {
        match self {
            RosterCategory::Is(c) => Some(c),
            RosterCategory::Exited => None,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            RosterCategory::Is(c) => c.code(),
            RosterCategory::Exited => "exited",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            RosterCategory::Is(c) => c.label(),
            RosterCategory::Exited => "脱贫户",
        }
    }

    pub fn is_monitored(self) -> bool {
        self.category().is_some_and(Category::is_monitored)
    }

    pub fn from_code(s: &str) -> Option<RosterCategory> {
        if s == "exited" {
            Some(RosterCategory::Exited)
        } else {
            Category::from_code(s).map(RosterCategory::Is)
        }
    }
}

impl Serialize for RosterCategory {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.code())
    }
}

impl<'de> Deserialize<'de> for RosterCategory {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        RosterCategory::from_code(&s)
            .ok_or_else(|| serde::de::Error::custom(format!("未知的代码 \"{s}\"")))
    }
}

/// Where in the file: `花名册.xlsx（工作表 二村）第 12 行 证件号码`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Place {
    pub file: String,
    /// Only when the workbook has several sheets.
    pub sheet: Option<String>,
    /// The spreadsheet's row number (the first row is 1).
    pub row: Option<u32>,
    /// The column's header as the file writes it.
    pub column: Option<String>,
}

impl fmt::Display for Place {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.file)?;
        if let Some(s) = &self.sheet {
            write!(f, "（工作表 {s}）")?;
        }
        if let Some(r) = self.row {
            let space = if self.sheet.is_some() { "" } else { " " };
            write!(f, "{space}第 {r} 行")?;
        }
        if let Some(c) = &self.column {
            write!(f, " {c}")?;
        }
        Ok(())
    }
}

/// Why a roster cannot be read: every problem found, each with its place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RosterError {
    pub problems: Vec<(Place, String)>,
}

impl RosterError {
    fn one(place: Place, message: impl Into<String>) -> RosterError {
        RosterError { problems: vec![(place, message.into())] }
    }
}

/// How many problems a message lists before `另有 N 处`.
const SHOWN_PROBLEMS: usize = 20;

impl fmt::Display for RosterError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, (place, message)) in self.problems.iter().take(SHOWN_PROBLEMS).enumerate() {
            if i > 0 {
                f.write_str("\n")?;
            }
            write!(f, "{place}: {message}")?;
        }
        if self.problems.len() > SHOWN_PROBLEMS {
            write!(f, "\n另有 {} 处同类问题", self.problems.len() - SHOWN_PROBLEMS)?;
        }
        Ok(())
    }
}

impl std::error::Error for RosterError {}

crate::codes! {
    /// What a roster warning is about.
    pub enum WarningCode {
        UnknownLabel = "unknown-label": "无法识别的取值",
        IdInvalid = "id-invalid": "证件号码无效",
        IdMissing = "id-missing": "没有证件号码",
        NameMissing = "name-missing": "没有姓名",
        IdInTwoHouseholds = "id-in-two-households": "同一证件号码在两户中",
        IdTwiceInHousehold = "id-twice-in-household": "同一证件号码在一户中出现两次",
        HeadMissing = "head-missing": "没有户主",
        HeadSeveral = "head-several": "不止一个户主",
        HouseholdNoMissing = "household-no-missing": "没有户编号",
        SheetSkipped = "sheet-skipped": "工作表没有表头",
    }
}

/// A warning: the roster is read, but a person should look.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Warning {
    pub code: WarningCode,
    pub place: Place,
    pub message: String,
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.place, self.message)
    }
}

impl Roster {
    /// Persons in all households.
    pub fn people(&self) -> usize {
        self.households.iter().map(|h| h.persons.len()).sum()
    }

    /// The villages (行政村) in order of first appearance; `""` for households without one.
    pub fn villages(&self) -> Vec<&str> {
        let mut out: Vec<&str> = Vec::new();
        for h in &self.households {
            if !out.contains(&h.address.village.as_str()) {
                out.push(&h.address.village);
            }
        }
        out
    }

    /// The households of one village.
    pub fn village<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a RosterHousehold> {
        self.households.iter().filter(move |h| h.address.village == name)
    }

    /// 18-character ID (the holder's, for a 残疾人证) → the households (indexes) listing it,
    /// each once, in roster order.
    pub fn person_index(&self) -> HashMap<String, Vec<usize>> {
        let mut index: HashMap<String, Vec<usize>> = HashMap::new();
        for (i, h) in self.households.iter().enumerate() {
            for p in &h.persons {
                if let Some(k) = id_number::person_key(&p.id_number) {
                    let v = index.entry(k).or_default();
                    if v.last() != Some(&i) {
                        v.push(i);
                    }
                }
            }
        }
        index
    }
}

impl RosterHousehold {
    /// The 户主 (or the first person).
    pub fn head(&self) -> Option<&RosterPerson> {
        self.persons.iter().find(|p| p.relation == Some(Relation::Head)).or(self.persons.first())
    }

    /// What identifies the household when it has no 户编号: `户编号 …`, else `户主证件号码 …`,
    /// else `第 N 行`.
    pub fn key(&self) -> String {
        match (&self.household_no, self.head()) {
            (Some(n), _) => format!("户编号 {n}"),
            (None, Some(p)) if !p.id_number.is_empty() => format!("户主证件号码 {}", p.id_number),
            _ => format!("第 {} 行", self.row),
        }
    }
}

/// Reads a roster from the bytes of a file; `file` is its name, for messages.
pub fn read(file: &str, bytes: &[u8]) -> Result<Roster, RosterError> {
    let at_file = || Place { file: file.to_string(), ..Place::default() };
    let kind = table::kind(bytes);
    let (sheets, encoding) = match kind {
        FileKind::Csv => {
            let (text, enc) = table::decode(bytes).map_err(|m| RosterError::one(at_file(), m))?;
            (vec![table::parse_csv(&text)], Some(enc.label()))
        }
        FileKind::Xlsx | FileKind::Xls => {
            (read_book(bytes).map_err(|m| RosterError::one(at_file(), m))?, None)
        }
    };
    Reader::new(file, sheets.len() > 1).run(sheets, kind, encoding)
}

#[cfg(feature = "xlsx")]
fn read_book(bytes: &[u8]) -> Result<Vec<Sheet>, String> {
    table::read_workbook(bytes)
}

#[cfg(not(feature = "xlsx"))]
fn read_book(_: &[u8]) -> Result<Vec<Sheet>, String> {
    Err("这是 Excel 表格，本程序的这个版本不读取 Excel 表格：请在 Excel 中另存为 CSV（UTF-8）后再导入".into())
}

/// A household's 户编号 and rows.
type Group<'a, 'r> = (Option<String>, Vec<&'r RowAt<'a>>);

/// One data row with its sheet's header.
struct RowAt<'a> {
    sheet: &'a Sheet,
    header: &'a Header,
    row: &'a Row,
    /// The ID number as read ([`labels::id_number`]).
    id: String,
}

impl RowAt<'_> {
    fn cell(&self, f: Field) -> &Cell {
        match self.header.col(f) {
            Some(c) => self.row.cell(c),
            None => &Cell::Empty,
        }
    }

    fn text(&self, f: Field) -> String {
        self.cell(f).text()
    }

    /// The header as written in the file, for messages.
    fn column_name(&self, f: Field) -> String {
        let col = self.header.col(f);
        let header_row = &self.sheet.rows[self.header.index];
        col.map(|c| header_row.cell(c).text()).unwrap_or_else(|| f.name().to_string())
    }
}

/// The reading of one file: the place builder and the warnings collected.
struct Reader {
    file: String,
    several_sheets: bool,
    warnings: Vec<Warning>,
    /// (sheet, column header, value) → index into `warnings` and the count.
    unknown: HashMap<(Option<String>, String, String), (usize, usize)>,
    /// The labels looked up so far, per field and cell text (a roster repeats a few hundred
    /// values over tens of thousands of rows).
    memo: HashMap<Field, HashMap<String, Box<dyn std::any::Any>>>,
}

impl Reader {
    fn new(file: &str, several_sheets: bool) -> Reader {
        Reader {
            file: file.to_string(),
            several_sheets,
            warnings: Vec::new(),
            unknown: HashMap::new(),
            memo: HashMap::new(),
        }
    }

    fn place(&self, sheet: &Sheet, row: Option<u32>, column: Option<String>) -> Place {
        Place {
            file: self.file.clone(),
            sheet: if self.several_sheets { sheet.name.clone() } else { None },
            row,
            column,
        }
    }

    fn place_of(&self, r: &RowAt, f: Option<Field>) -> Place {
        self.place(r.sheet, Some(r.row.number), f.map(|f| r.column_name(f)))
    }

    fn warn(&mut self, code: WarningCode, place: Place, message: String) {
        self.warnings.push(Warning { code, place, message });
    }

    /// An unknown label: one warning per column and value, counting the rows.
    fn unknown(&mut self, r: &RowAt, f: Field, value: &str) {
        let key = (r.sheet.name.clone(), r.column_name(f), value.to_string());
        if let Some((i, n)) = self.unknown.get_mut(&key) {
            *n += 1;
            let first = self.warnings[*i].place.row.unwrap_or(0);
            self.warnings[*i].message = unknown_message(value, *n, first);
            return;
        }
        let place = self.place_of(r, Some(f));
        self.unknown.insert(key, (self.warnings.len(), 1));
        self.warn(WarningCode::UnknownLabel, place, unknown_message(value, 1, 0));
    }

    /// A looked-up value (memoised per field and text); an unknown label is warned and read
    /// as no answer.
    fn label<T: Clone + Default + 'static>(
        &mut self,
        r: &RowAt,
        f: Field,
        look: fn(&str) -> Result<T, labels::Unknown>,
    ) -> T {
        let owned;
        let text = match r.cell(f) {
            Cell::Text(s) => s.trim(),
            Cell::Empty => "",
            c => {
                owned = c.text();
                owned.as_str()
            }
        };
        let memo = self.memo.entry(f).or_default();
        let found =
            match memo.get(text).and_then(|b| b.downcast_ref::<Result<T, labels::Unknown>>()) {
                Some(v) => v.clone(),
                None => {
                    let v = look(text);
                    memo.insert(text.to_string(), Box::new(v.clone()));
                    v
                }
            };
        match found {
            Ok(v) => v,
            Err(labels::Unknown) => {
                self.unknown(r, f, text);
                T::default()
            }
        }
    }

    fn cell_value<T>(
        &mut self,
        r: &RowAt,
        f: Field,
        look: fn(&Cell) -> labels::Lookup<T>,
    ) -> Option<T> {
        match look(r.cell(f)) {
            Ok(v) => v,
            Err(labels::Unknown) => {
                let text = r.text(f);
                self.unknown(r, f, &text);
                None
            }
        }
    }

    fn run(
        mut self,
        sheets: Vec<Sheet>,
        kind: FileKind,
        encoding: Option<&'static str>,
    ) -> Result<Roster, RosterError> {
        let headers: Vec<Option<Header>> = sheets.iter().map(columns::find_header).collect();
        if headers.iter().all(Option::is_none) {
            let place = Place { file: self.file.clone(), ..Place::default() };
            return Err(RosterError::one(place, columns::looked_for()));
        }
        let mut unused_columns: Vec<String> = Vec::new();
        let mut sheet_names = Vec::new();
        let mut rows: Vec<RowAt> = Vec::new();
        let mut problems = Vec::new();
        for (sheet, header) in sheets.iter().zip(&headers) {
            let Some(header) = header else {
                let place = self.place(sheet, None, None);
                self.warn(
                    WarningCode::SheetSkipped,
                    place,
                    format!("已跳过：{}", columns::looked_for()),
                );
                continue;
            };
            if let Some(n) = &sheet.name {
                sheet_names.push(n.clone());
            }
            for u in &header.unused {
                if !unused_columns.contains(u) {
                    unused_columns.push(u.clone());
                }
            }
            for row in &sheet.rows[header.index + 1..] {
                let mut r = RowAt { sheet, header, row, id: String::new() };
                let name = r.text(Field::Name);
                let id = r.cell(Field::IdNumber);
                if (name.is_empty() && id.is_blank()) || columns::is_name_header(&name) {
                    continue;
                }
                match labels::id_number(id) {
                    Ok(id) => r.id = id,
                    Err(e) => problems.push((self.place_of(&r, Some(Field::IdNumber)), e.0)),
                }
                rows.push(r);
            }
        }
        if !problems.is_empty() {
            return Err(RosterError { problems });
        }
        let groups = self.group(&rows)?;
        let households: Vec<RosterHousehold> =
            groups.iter().map(|(no, members)| self.household(no.clone(), members)).collect();
        let mut roster = Roster {
            file: self.file.clone(),
            kind: match kind {
                FileKind::Xlsx => "xlsx",
                FileKind::Xls => "xls",
                FileKind::Csv => "csv",
            },
            encoding,
            sheets: sheet_names,
            unused_columns,
            households,
            warnings: Vec::new(),
        };
        let group_rows: Vec<&[&RowAt]> = groups.iter().map(|(_, g)| g.as_slice()).collect();
        self.check(&roster, &group_rows);
        roster.warnings = self.warnings;
        Ok(roster)
    }

    /// The rows of each household, by 户编号 (filled down) or, without that column, from each
    /// 户主 row to the next.
    fn group<'a, 'r>(&mut self, rows: &'r [RowAt<'a>]) -> Result<Vec<Group<'a, 'r>>, RosterError> {
        let mut groups: Vec<(Option<String>, Vec<&RowAt>)> = Vec::new();
        let has_no = rows.iter().any(|r| r.header.col(Field::HouseholdNo).is_some());
        if has_no {
            let mut index: HashMap<String, usize> = HashMap::new();
            let mut above: Option<(*const Sheet, String)> = None;
            let mut warned = false;
            for r in rows {
                let mut no = r.text(Field::HouseholdNo);
                let sheet = r.sheet as *const Sheet;
                if no.is_empty() {
                    match &above {
                        Some((s, n)) if *s == sheet => no = n.clone(),
                        _ => {}
                    }
                } else {
                    above = Some((sheet, no.clone()));
                }
                if no.is_empty() && !warned {
                    warned = true;
                    let place = self.place_of(r, Some(Field::HouseholdNo));
                    self.warn(
                        WarningCode::HouseholdNoMissing,
                        place,
                        "户编号为空，这些行按一户读取".into(),
                    );
                }
                match index.get(&no) {
                    Some(&i) => groups[i].1.push(r),
                    None => {
                        index.insert(no.clone(), groups.len());
                        groups.push(((!no.is_empty()).then_some(no), vec![r]));
                    }
                }
            }
            return Ok(groups);
        }
        if rows.iter().all(|r| r.header.col(Field::Relation).is_none()) {
            let place = Place { file: self.file.clone(), ..Place::default() };
            return Err(RosterError::one(place, "没有“户编号”列，也没有“与户主关系”列，无法分户"));
        }
        for r in rows {
            let head = labels::relation(&r.text(Field::Relation)) == Ok(Some(Relation::Head));
            if head || groups.is_empty() {
                groups.push((None, vec![r]));
            } else {
                groups.last_mut().expect("not empty").1.push(r);
            }
        }
        if let Some(first) = groups.first().and_then(|g| g.1.first()) {
            if labels::relation(&first.text(Field::Relation)) != Ok(Some(Relation::Head)) {
                let place = self.place_of(first, Some(Field::Relation));
                self.warn(
                    WarningCode::HouseholdNoMissing,
                    place,
                    "没有户编号列，第一个户主之前的行按一户读取".into(),
                );
            }
        }
        Ok(groups)
    }

    fn household(&mut self, household_no: Option<String>, rows: &[&RowAt]) -> RosterHousehold {
        let persons: Vec<RosterPerson> = rows.iter().map(|r| self.person(r)).collect();
        let head = persons.iter().position(|p| p.relation == Some(Relation::Head)).unwrap_or(0);
        // The row a household column is read from: the head's, else the first that has it.
        let from = |f: Field| -> &RowAt {
            if !rows[head].cell(f).is_blank() {
                return rows[head];
            }
            rows.iter().copied().find(|r| !r.cell(f).is_blank()).unwrap_or(rows[head])
        };
        let text = |f: Field| from(f).text(f);
        let address = RosterAddress {
            banner: text(Field::County),
            township: text(Field::Township),
            village: text(Field::Village),
            group: text(Field::Group),
        };
        let household_type =
            self.label(from(Field::HouseholdType), Field::HouseholdType, labels::household_type);
        let monitoring =
            self.label(from(Field::MonitoringType), Field::MonitoringType, labels::monitoring_type);
        let category = match (monitoring, household_type) {
            (Some(m), _) => Some(RosterCategory::Is(m)),
            (None, Some(labels::HouseholdType::General)) => {
                Some(RosterCategory::Is(Category::General))
            }
            (None, Some(labels::HouseholdType::Exited)) => Some(RosterCategory::Exited),
            (None, Some(labels::HouseholdType::Exact(c))) => Some(RosterCategory::Is(c)),
            (None, Some(labels::HouseholdType::Monitored)) | (None, None) => None,
        };
        let mut risks = Vec::new();
        let r = from(Field::Risk);
        for col in r.header.cols(Field::Risk).collect::<Vec<_>>() {
            let text = r.row.cell(col).text();
            for part in text.split([',', '，', '、', ';', '；']) {
                match labels::risk(part) {
                    Ok(Some(t)) if !risks.contains(&t) => risks.push(t),
                    Ok(_) => {}
                    Err(labels::Unknown) => self.unknown(r, Field::Risk, part.trim()),
                }
            }
        }
        RosterHousehold {
            household_no,
            sheet: rows[0].sheet.name.clone(),
            row: rows[0].row.number,
            address,
            category,
            identified: self.cell_value(
                from(Field::IdentifiedOn),
                Field::IdentifiedOn,
                labels::date,
            ),
            eliminated: self.label(from(Field::Eliminated), Field::Eliminated, labels::yes_no),
            elimination_method: self.label(
                from(Field::EliminationMethod),
                Field::EliminationMethod,
                labels::elimination_method,
            ),
            eliminated_on: self.cell_value(
                from(Field::EliminatedOn),
                Field::EliminatedOn,
                labels::date,
            ),
            per_capita_income: self.cell_value(
                from(Field::PerCapitaIncome),
                Field::PerCapitaIncome,
                labels::money,
            ),
            phone: labels::phone(from(Field::Phone).cell(Field::Phone)),
            risks,
            persons,
        }
    }

    fn person(&mut self, r: &RowAt) -> RosterPerson {
        let id_number = r.id.clone();
        let id_type = self.label(r, Field::IdType, labels::id_type).or(match id_number.len() {
            18 => Some(IdType::ResidentId),
            20 => Some(IdType::DisabilityCert),
            _ => None,
        });
        let health = self.label(r, Field::Health, labels::health);
        RosterPerson {
            row: r.row.number,
            person_no: r.text(Field::PersonNo),
            name: r.text(Field::Name),
            sex: self.label(r, Field::Sex, labels::sex),
            id_type,
            id_number,
            birth_date: self.cell_value(r, Field::BirthDate, labels::date),
            relation: self.label(r, Field::Relation, labels::relation),
            ethnicity: r.text(Field::Ethnicity),
            political: self.label(r, Field::Political, labels::political),
            education: self.label(r, Field::Education, labels::education),
            in_school: r.text(Field::InSchool),
            health,
            labor: self.label(r, Field::Labor, labels::labor),
            work_area: self.label(r, Field::WorkArea, labels::work_area),
            work_months: self.cell_value(r, Field::WorkMonths, labels::months),
            medical_insurance: self.label(r, Field::MedicalInsurance, labels::yes_no),
            critical_illness_insurance: self.label(
                r,
                Field::CriticalIllnessInsurance,
                labels::yes_no,
            ),
            medical_assistance: self.label(r, Field::MedicalAssistance, labels::yes_no),
            dibao: self.label(r, Field::Dibao, labels::dibao),
            tekun: self.label(r, Field::Tekun, labels::tekun),
            pension_insurance: self.label(r, Field::PensionInsurance, labels::yes_no),
        }
    }

    /// Names, IDs and heads: warnings only (the reconciliation reports the same as
    /// `roster-id-invalid` and `roster-id-in-two-households`).
    /// `rows[i]` are the rows of household `i`, one per person, in the same order.
    fn check(&mut self, roster: &Roster, rows: &[&[&RowAt]]) {
        let mut seen: HashMap<String, (usize, u32)> = HashMap::new();
        for (i, h) in roster.households.iter().enumerate() {
            let at = |k: usize| rows[i][k];
            let heads = h.persons.iter().filter(|p| p.relation == Some(Relation::Head)).count();
            let first = at(0);
            match heads {
                0 => {
                    let place = self.place_of(first, Some(Field::Relation));
                    self.warn(
                        WarningCode::HeadMissing,
                        place,
                        format!("{}（{} 人）没有户主", h.key(), h.persons.len()),
                    );
                }
                1 => {}
                n => {
                    let place = self.place_of(first, Some(Field::Relation));
                    self.warn(
                        WarningCode::HeadSeveral,
                        place,
                        format!("{} 有 {n} 个户主", h.key()),
                    );
                }
            }
            for (k, p) in h.persons.iter().enumerate() {
                let r = at(k);
                if p.name.is_empty() {
                    let place = self.place_of(r, Some(Field::Name));
                    self.warn(
                        WarningCode::NameMissing,
                        place,
                        format!("证件号码为 {} 的成员没有姓名", p.id_number),
                    );
                }
                if p.id_number.is_empty() {
                    let place = self.place_of(r, Some(Field::IdNumber));
                    self.warn(WarningCode::IdMissing, place, format!("{} 没有证件号码", p.name));
                    continue;
                }
                if let Err(e) =
                    id_number::parse(p.id_type.unwrap_or(IdType::ResidentId), &p.id_number, None)
                {
                    let place = self.place_of(r, Some(Field::IdNumber));
                    self.warn(
                        WarningCode::IdInvalid,
                        place,
                        format!("{} 的证件号码 {} 无效：{e}", p.name, p.id_number),
                    );
                }
                let Some(key) = id_number::person_key(&p.id_number) else { continue };
                match seen.get(&key) {
                    Some(&(j, row)) if j == i => {
                        let place = self.place_of(r, Some(Field::IdNumber));
                        self.warn(
                            WarningCode::IdTwiceInHousehold,
                            place,
                            format!("证件号码 {key} 在本户第 {row} 行已出现"),
                        );
                    }
                    Some(&(j, row)) => {
                        let other = &roster.households[j];
                        let place = self.place_of(r, Some(Field::IdNumber));
                        let message = format!(
                            "证件号码 {key}（{}）也在另一户中：{}，第 {row} 行",
                            p.name,
                            other.key()
                        );
                        self.warn(WarningCode::IdInTwoHouseholds, place, message);
                    }
                    None => {
                        seen.insert(key, (i, p.row));
                    }
                }
            }
        }
    }
}

fn unknown_message(value: &str, count: usize, first_row: u32) -> String {
    if count == 1 {
        format!("无法识别的取值“{value}”，未填入")
    } else {
        format!("无法识别的取值“{value}”，未填入（共 {count} 行，首见第 {first_row} 行）")
    }
}
