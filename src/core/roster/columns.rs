//! Which column is which: the header row found among the first rows, columns found by name
//! (never by position), with the synonyms seen in the national system's exports.
//!
//! Header names are compared after [`normalise`]: full-width letters, digits and signs folded
//! to half-width, every kind of space dropped, brackets of either width dropped, a leading
//! `*` (required-column mark) and a trailing colon dropped. So `县（市、区、旗）`,
//! `县(市、区、旗)` and `县 (市、区、旗)` are one name, as are `务工时间（月）` and `务工时间(月)`.
//! A name that is none of ours is listed in [`super::Roster::unused_columns`]; so is a second
//! column of a field already found (the first one wins).

use super::table::{Row, Sheet};

/// How many rows from the top are searched for the header (title rows sit above it).
pub const HEADER_SEARCH_ROWS: usize = 10;

/// Every column the reader uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Field {
    County,
    Township,
    Village,
    Group,
    HouseholdNo,
    PersonNo,
    Name,
    IdNumber,
    IdType,
    Sex,
    BirthDate,
    Relation,
    Ethnicity,
    Political,
    Education,
    InSchool,
    Health,
    Labor,
    WorkArea,
    WorkMonths,
    MedicalInsurance,
    CriticalIllnessInsurance,
    MedicalAssistance,
    Dibao,
    Tekun,
    PensionInsurance,
    HouseholdType,
    MonitoringType,
    Eliminated,
    EliminationMethod,
    IdentifiedOn,
    EliminatedOn,
    PerCapitaIncome,
    Phone,
    /// 致贫风险1…5 / 返贫风险1…5 (also a single 致贫风险 / 风险类型 column).
    Risk,
}

/// The names of each field's column (the first is the name used in messages).
pub const NAMES: &[(Field, &[&str])] = &[
    (Field::County, &["县(市、区、旗)", "县(市、区)", "县", "旗县", "旗县区", "县市区", "旗"]),
    (Field::Township, &["乡(镇)", "乡镇", "乡", "苏木乡镇", "乡镇(街道)"]),
    (Field::Village, &["行政村", "村", "嘎查村", "村(嘎查)"]),
    (Field::Group, &["自然村", "自然村(村民小组)", "村民小组", "组", "自然屯"]),
    (Field::HouseholdNo, &["户编号", "户码"]),
    (Field::PersonNo, &["人编号", "人口编号", "成员编号"]),
    (Field::Name, &["姓名", "成员姓名"]),
    (
        Field::IdNumber,
        &["证件号码", "身份证号", "身份证号码", "身份证件号", "身份证件号码", "证件号"],
    ),
    (Field::IdType, &["证件类型"]),
    (Field::Sex, &["性别"]),
    (Field::BirthDate, &["出生日期", "出生年月"]),
    (Field::Relation, &["与户主关系"]),
    (Field::Ethnicity, &["民族"]),
    (Field::Political, &["政治面貌"]),
    (Field::Education, &["文化程度"]),
    (Field::InSchool, &["在校生状况", "在校生情况"]),
    (Field::Health, &["健康状况"]),
    (Field::Labor, &["劳动技能"]),
    (Field::WorkArea, &["务工区域", "务工所在地"]),
    (Field::WorkMonths, &["务工时间(月)", "务工时间", "务工时长(月)"]),
    (Field::MedicalInsurance, &["是否参加城乡居民基本医疗保险", "是否参加城乡居民医疗保险"]),
    (Field::CriticalIllnessInsurance, &["是否参加大病保险"]),
    (Field::MedicalAssistance, &["是否接受医疗救助"]),
    (
        Field::Dibao,
        &[
            "是否享受农村居民最低生活保障",
            "享受低保政策情况",
            "是否享受低保",
            "是否享受农村最低生活保障",
        ],
    ),
    (
        Field::Tekun,
        &["是否特困供养人员", "享受特困供养政策情况", "是否享受特困供养", "是否特困供养"],
    ),
    (Field::PensionInsurance, &["是否参加城乡居民基本养老保险", "是否参加城乡居民养老保险"]),
    (Field::HouseholdType, &["户类型", "户属性"]),
    (Field::MonitoringType, &["监测对象类别", "监测对象类型"]),
    (Field::Eliminated, &["风险是否消除", "风险是否已消除"]),
    (Field::EliminationMethod, &["风险消除方式"]),
    (Field::IdentifiedOn, &["识别监测时间", "风险识别时间", "首次识别时间", "纳入监测时间"]),
    (Field::EliminatedOn, &["消除监测时间", "风险消除时间"]),
    (
        Field::PerCapitaIncome,
        &["人均纯收入(元)", "人均纯收入", "家庭人均纯收入(元)", "家庭人均纯收入"],
    ),
    (Field::Phone, &["户联系电话", "联系电话", "户主联系电话", "电话"]),
    (Field::Risk, &["致贫风险", "返贫风险", "风险类型", "致贫返贫风险"]),
];

impl Field {
    /// The column's name in messages (`证件号码`).
    pub fn name(self) -> &'static str {
        NAMES.iter().find(|(f, _)| *f == self).map(|(_, n)| n[0]).unwrap_or("")
    }
}

/// Header text in its comparable form (see the module docs).
pub fn normalise(s: &str) -> String {
    let out: String = folded(s).collect();
    let out = out.trim_start_matches('*');
    out.trim_end_matches([':', '：']).to_string()
}

/// The characters of [`normalise`] without the trimming at either end, without allocating.
pub fn folded(s: &str) -> impl Iterator<Item = char> + '_ {
    s.chars().filter_map(|c| {
        let c = match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            c => c,
        };
        match c {
            c if c.is_whitespace() => None,
            '(' | ')' | '[' | ']' | '【' | '】' | '〔' | '〕' => None,
            c => Some(c.to_ascii_lowercase()),
        }
    })
}

/// Whether `label` (a name or label of ours: no `*` before, no colon after) folds to the
/// already [`normalise`]d `text`.
pub fn same(text: &str, label: &str) -> bool {
    text.chars().eq(folded(label))
}

/// The field a header names. `致贫风险1`…`返贫风险5` are [`Field::Risk`].
pub fn field_of(header: &str) -> Option<Field> {
    let h = normalise(header);
    if h.is_empty() {
        return None;
    }
    let base = h.trim_end_matches(|c: char| c.is_ascii_digit());
    for (f, names) in NAMES {
        if names.iter().any(|n| same(&h, n)) {
            return Some(*f);
        }
        if *f == Field::Risk && base != h && names.iter().any(|n| same(base, n)) {
            return Some(*f);
        }
    }
    None
}

/// How many fields there are.
const FIELDS: usize = Field::Risk as usize + 1;

/// The header of one sheet: where it is and which column holds which field.
#[derive(Debug, Clone, PartialEq)]
pub struct Header {
    /// Index into the sheet's rows.
    pub index: usize,
    /// Every field found with its column index; [`Field::Risk`] may hold several columns.
    pub columns: Vec<(Field, usize)>,
    /// The header texts not used, in column order.
    pub unused: Vec<String>,
    /// The (first) column of each field, by `Field as usize`.
    first: [Option<usize>; FIELDS],
}

impl Header {
    /// The column of a field (the first, for [`Field::Risk`]).
    pub fn col(&self, f: Field) -> Option<usize> {
        self.first[f as usize]
    }

    /// Every column of a field, left to right.
    pub fn cols(&self, f: Field) -> impl Iterator<Item = usize> + '_ {
        self.columns.iter().filter(move |(g, _)| *g == f).map(|(_, c)| *c)
    }
}

/// Whether a cell of the 姓名 column repeats the header (a header row repeated on each
/// printed page).
pub fn is_name_header(text: &str) -> bool {
    let names = NAMES.iter().find(|(f, _)| *f == Field::Name).map(|(_, n)| *n).unwrap_or(&[]);
    let t = normalise(text);
    names.iter().any(|n| same(&t, n))
}

/// What a header row must hold, for the refusal message.
pub fn looked_for() -> String {
    let ids: Vec<&str> = NAMES.iter().find(|(f, _)| *f == Field::IdNumber).unwrap().1.to_vec();
    format!(
        "前 {HEADER_SEARCH_ROWS} 行中没有找到表头：表头行应同时有“姓名”列和证件号码列（{}）",
        ids.join("、")
    )
}

/// The header of a sheet: the first of its first rows that holds 姓名 and an ID column.
pub fn find_header(sheet: &Sheet) -> Option<Header> {
    let index = sheet.rows.iter().take(HEADER_SEARCH_ROWS).position(|r| {
        let fields: Vec<Option<Field>> = r.cells.iter().map(|c| field_of(&c.text())).collect();
        fields.contains(&Some(Field::Name)) && fields.contains(&Some(Field::IdNumber))
    })?;
    Some(header_at(&sheet.rows[index], index))
}

fn header_at(row: &Row, index: usize) -> Header {
    let mut columns: Vec<(Field, usize)> = Vec::new();
    let mut unused = Vec::new();
    for (col, cell) in row.cells.iter().enumerate() {
        let text = cell.text();
        if text.is_empty() {
            continue;
        }
        match field_of(&text) {
            Some(f) if f == Field::Risk || !columns.iter().any(|(g, _)| *g == f) => {
                columns.push((f, col))
            }
            _ => unused.push(text),
        }
    }
    let mut first = [None; FIELDS];
    for (f, c) in columns.iter().rev() {
        first[*f as usize] = Some(*c);
    }
    Header { index, columns, unused, first }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::roster::table::parse_csv;

    #[test]
    fn names_and_synonyms() {
        assert_eq!(field_of("县（市、区、旗）"), Some(Field::County));
        assert_eq!(field_of(" 县 (市、区、旗) "), Some(Field::County));
        assert_eq!(field_of("乡（镇）"), Some(Field::Township));
        assert_eq!(field_of("身份证号码"), Some(Field::IdNumber));
        assert_eq!(field_of("＊身份证件号："), Some(Field::IdNumber));
        assert_eq!(field_of("务工时间（月）"), Some(Field::WorkMonths));
        assert_eq!(field_of("人均纯收入（元）"), Some(Field::PerCapitaIncome));
        assert_eq!(field_of("致贫风险3"), Some(Field::Risk));
        assert_eq!(field_of("返贫风险１"), Some(Field::Risk));
        assert_eq!(field_of("享受低保政策情况"), Some(Field::Dibao));
        assert_eq!(field_of("风险是否已消除"), Some(Field::Eliminated));
        assert_eq!(field_of("人口编号"), Some(Field::PersonNo));
        assert_eq!(field_of("备注"), None);
        assert_eq!(field_of("户编号2"), None);
    }

    #[test]
    fn header_below_title_rows() {
        let s = parse_csv(
            "某某旗脱贫人口花名册,,\n导出时间：2023-02-01,,\n序号,姓名,身份证号,姓名\n1,张三,x",
        );
        let h = find_header(&s).unwrap();
        assert_eq!(h.index, 2);
        assert_eq!((h.col(Field::Name), h.col(Field::IdNumber)), (Some(1), Some(2)));
        assert_eq!(h.unused, vec!["序号".to_string(), "姓名".to_string()]);
        assert!(find_header(&parse_csv("姓名,电话\n张三,1")).is_none());
        assert!(looked_for().contains("身份证号码"));
    }
}
