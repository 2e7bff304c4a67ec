//! Cell values to the record's codes. Every enumeration is looked up by its own labels
//! (`codes!`'s `ALL` and `label()`, alternatives split at `/`, groups at ` · `), compared
//! after [`normalise`]; the tables here hold only the roster's wording where it differs from
//! the form's (`1`/`2` for 男/女, `儿子` for 之子, `农村低保` for 是). A value that is none of
//! these is an *unknown label*: `None`, and a warning — never a nearest guess.

use std::str::FromStr;

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::columns::{normalise, same};
use super::table::{number_text, Cell};
use crate::money::{round2, Money};
use crate::record::{
    Category, Education, EliminationMethod, Health, IdType, Labor, Political, Relation, RiskType,
    Sex, WorkArea,
};

/// A value looked up: `Ok(None)` for an empty cell (or a value meaning "none"), `Err(Unknown)`
/// for an unknown label ([`Unknown`]).
pub type Lookup<T> = Result<Option<T>, Unknown>;

/// A value that is none of the labels (nor empty).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Unknown;

/// Looks `text` up among `all` by their labels and the extra `synonyms`.
fn lookup<T: Copy>(
    all: &[T],
    label: fn(T) -> &'static str,
    synonyms: &[(&str, T)],
    text: &str,
) -> Option<T> {
    let t = normalise(text);
    all.iter()
        .copied()
        .find(|v| label(*v).split(['/', '·']).any(|alt| same(&t, alt)))
        .or_else(|| synonyms.iter().find(|(s, _)| same(&t, s)).map(|(_, v)| *v))
}

/// [`lookup`] of a cell, with the empty cell and `none` words as `Ok(None)`.
fn lookup_cell<T: Copy>(
    all: &[T],
    label: fn(T) -> &'static str,
    synonyms: &[(&str, T)],
    none: &[&str],
    text: &str,
) -> Lookup<T> {
    let t = text.trim();
    let n = normalise(t);
    if n.is_empty() || none.iter().any(|w| same(&n, w)) {
        return Ok(None);
    }
    lookup(all, label, synonyms, t).map(Some).ok_or(Unknown)
}

pub fn sex(text: &str) -> Lookup<Sex> {
    let syn = [("1", Sex::Male), ("2", Sex::Female), ("男性", Sex::Male), ("女性", Sex::Female)];
    lookup_cell(Sex::ALL, Sex::label, &syn, &[], text)
}

pub fn id_type(text: &str) -> Lookup<IdType> {
    let syn = [
        ("身份证", IdType::ResidentId),
        ("二代身份证", IdType::ResidentId),
        ("第二代居民身份证", IdType::ResidentId),
        ("残疾证", IdType::DisabilityCert),
        ("残疾人证号", IdType::DisabilityCert),
        ("第二代残疾人证", IdType::DisabilityCert),
    ];
    lookup_cell(IdType::ALL, IdType::label, &syn, &[], text)
}

/// 与户主关系: the form's labels (`之子`), the same without `之` (`子`, `岳父`), and a few
/// spoken forms (`儿子`, `父亲`, `本人`).
pub fn relation(text: &str) -> Lookup<Relation> {
    use Relation::*;
    let syn = [
        ("本人", Head),
        ("儿子", Son),
        ("女儿", Daughter),
        ("父亲", Father),
        ("母亲", Mother),
        ("之曾孙子", GreatGrandchild),
        ("之曾孙女", GreatGrandchild),
        ("之兄弟", Sibling),
        ("之姐妹", Sibling),
        ("其它", Other),
    ];
    let t = text.trim();
    if t.is_empty() {
        return Ok(None);
    }
    let found = lookup(Relation::ALL, Relation::label, &syn, t).or_else(|| {
        (!t.starts_with('之'))
            .then(|| format!("之{t}"))
            .and_then(|with| lookup(Relation::ALL, Relation::label, &syn, &with))
    });
    found.map(Some).ok_or(Unknown)
}

pub fn political(text: &str) -> Lookup<Political> {
    use Political::*;
    let syn = [
        ("党员", CpcMember),
        ("中国共产党党员", CpcMember),
        ("预备党员", CpcProbationary),
        ("中国共产党预备党员", CpcProbationary),
        ("团员", CylMember),
        ("中国共产主义青年团团员", CylMember),
    ];
    lookup_cell(Political::ALL, Political::label, &syn, &[], text)
}

pub fn education(text: &str) -> Lookup<Education> {
    use Education::*;
    let syn = [
        ("文盲", Illiterate),
        ("半文盲", Illiterate),
        ("高中", Senior),
        ("中专", Senior),
        ("中职", Senior),
        ("职高", Senior),
        ("技校", Senior),
        ("大学专科", College),
        ("专科", College),
        ("本科", BachelorPlus),
        ("大学本科", BachelorPlus),
        ("研究生", BachelorPlus),
        ("硕士", BachelorPlus),
        ("博士", BachelorPlus),
        ("学龄前儿童", Preschool),
    ];
    lookup_cell(Education::ALL, Education::label, &syn, &[], text)
}

/// 健康状况: one or more labels (`长期慢性病,残疾`); `健康` alone or the others combined.
pub fn health(text: &str) -> Result<Vec<Health>, Unknown> {
    use Health::*;
    let syn = [
        ("大病", SeriousIllness),
        ("患大病", SeriousIllness),
        ("慢性病", Chronic),
        ("患有慢性病", Chronic),
        ("残疾人", Disabled),
    ];
    let mut out = Vec::new();
    for part in text.split([',', '，', '、', ';', '；', '/', ' ', '+']) {
        if part.trim().is_empty() {
            continue;
        }
        let h = lookup(Health::ALL, Health::label, &syn, part).ok_or(Unknown)?;
        if !out.contains(&h) {
            out.push(h);
        }
    }
    if out.contains(&Healthy) && out.len() > 1 {
        return Err(Unknown);
    }
    Ok(out)
}

pub fn labor(text: &str) -> Lookup<Labor> {
    use Labor::*;
    let syn = [
        ("弱劳动力", Weak),
        ("半劳动力", Weak),
        ("丧失劳动能力", Lost),
        ("无劳动能力", None),
        ("普通劳动", Ordinary),
        ("技能劳动", Skilled),
    ];
    lookup_cell(Labor::ALL, Labor::label, &syn, &[], text)
}

/// 务工区域 / 务工所在地: the form's labels, with or without the final `务工`; `无`, `未务工`
/// and an empty cell mean not working away.
pub fn work_area(text: &str) -> Lookup<WorkArea> {
    let none = ["无", "未务工", "否", "不务工", "没有务工", "非务工"];
    let t = text.trim();
    let with = if t.ends_with("务工") { t.to_string() } else { format!("{t}务工") };
    let syn = [("国外务工", WorkArea::Abroad), ("乡镇内务工", WorkArea::InTownship)];
    match lookup_cell(WorkArea::ALL, WorkArea::label, &syn, &none, t) {
        Err(Unknown) => {
            lookup(WorkArea::ALL, WorkArea::label, &syn, &with).map(Some).ok_or(Unknown)
        }
        found => found,
    }
}

const YES: &[&str] = &[
    "是",
    "有",
    "参加",
    "已参加",
    "参保",
    "已参保",
    "接受",
    "已接受",
    "享受",
    "已享受",
    "√",
    "✓",
    "y",
    "yes",
    "true",
];
const NO: &[&str] = &[
    "否",
    "无",
    "未参加",
    "没有参加",
    "不参加",
    "未参保",
    "未接受",
    "不享受",
    "未享受",
    "×",
    "n",
    "no",
    "false",
    "未",
];

/// A yes/no cell (是/否 and their usual variants).
pub fn yes_no(text: &str) -> Lookup<bool> {
    flag(text, &[], &[])
}

fn flag(text: &str, yes: &[&str], unknown_as_none: &[&str]) -> Lookup<bool> {
    let t = normalise(text);
    if t.is_empty() || unknown_as_none.iter().any(|n| same(&t, n)) {
        return Ok(None);
    }
    if YES.iter().chain(yes).any(|y| same(&t, y)) {
        Ok(Some(true))
    } else if NO.iter().any(|n| same(&t, n)) {
        Ok(Some(false))
    } else {
        Err(Unknown)
    }
}

/// A17 享受**农村**居民最低生活保障: 是/否, or `农村低保`/`城市低保`/`未享受`. `城市低保` is not
/// an answer to A17 (it is neither yes nor no to 农村低保): `None`, without a warning.
pub fn dibao(text: &str) -> Lookup<bool> {
    flag(text, &["农村低保", "低保", "农村居民最低生活保障", "低保户"], &["城市低保"])
}

/// A18 享受特困供养: 是/否, or `农村特困`/`特困供养`/`分散供养`/`集中供养`/`未享受`;
/// `城市特困` is `None` as for 低保.
pub fn tekun(text: &str) -> Lookup<bool> {
    flag(
        text,
        &["特困供养", "农村特困", "农村特困供养", "分散供养", "集中供养", "特困人员", "特困"],
        &["城市特困", "城市特困供养"],
    )
}

/// 户类型 as read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HouseholdType {
    General,
    /// 脱贫户: 享受政策 or not, the roster does not say.
    Exited,
    /// The form's own label (`脱贫享受政策户`).
    Exact(Category),
    /// 监测户: the category is in 监测对象类别.
    Monitored,
}

pub fn household_type(text: &str) -> Lookup<HouseholdType> {
    let t = text.trim();
    if t.is_empty() {
        return Ok(None);
    }
    let n = normalise(t);
    let is = |words: &[&str]| words.iter().any(|w| same(&n, w));
    if is(&["一般农户", "普通农户", "一般户", "非贫困户"]) {
        return Ok(Some(HouseholdType::General));
    }
    if is(&["脱贫户", "脱贫人口", "已脱贫户"]) {
        return Ok(Some(HouseholdType::Exited));
    }
    if is(&["监测户", "监测对象", "防返贫监测对象"]) {
        return Ok(Some(HouseholdType::Monitored));
    }
    lookup(Category::ALL, Category::label, &[], t)
        .map(|c| Some(HouseholdType::Exact(c)))
        .ok_or(Unknown)
}

/// 监测对象类别: a `monitored_*` category by its short label; empty, `无`, `否` when not
/// monitored.
pub fn monitoring_type(text: &str) -> Lookup<Category> {
    let syn =
        [("边缘户", Category::MonitoredMarginal), ("边缘易致贫", Category::MonitoredMarginal)];
    let none = ["无", "否", "非监测对象", "不是监测对象"];
    match lookup_cell(Category::ALL, Category::short_label, &syn, &none, text) {
        Ok(Some(c)) if !c.is_monitored() => Err(Unknown),
        r => r,
    }
}

pub fn elimination_method(text: &str) -> Lookup<EliminationMethod> {
    lookup_cell(EliminationMethod::ALL, EliminationMethod::label, &[], &[], text)
}

/// 致贫风险 / 返贫风险: the form's A33 labels, also with `致贫`/`返贫` after them (`因病致贫`).
pub fn risk(text: &str) -> Lookup<RiskType> {
    use RiskType::*;
    let syn = [
        ("因产业项目失败", IndustryFailure),
        ("因务工就业不稳", UnstableEmployment),
        ("因就业不稳", UnstableEmployment),
        ("缺劳动力", LaborShortage),
        ("因缺劳动力", LaborShortage),
        ("缺劳力", LaborShortage),
        ("内生动力不足", LackOfDrive),
        ("因意外", Accident),
        ("因新冠疫情", Epidemic),
        ("其它", Other),
    ];
    let t = text.trim();
    let none = ["无"];
    let stripped = ["致贫返贫", "返贫致贫", "致贫", "返贫"]
        .iter()
        .find_map(|s| t.strip_suffix(s))
        .unwrap_or(t);
    lookup_cell(RiskType::ALL, RiskType::label, &syn, &none, stripped)
}

/// A month, or a day, as the roster gives it (识别监测时间 is often only `202206`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct RosterDate {
    pub year: i32,
    pub month: u32,
    /// `None` when the roster gives only the month.
    pub day: Option<u32>,
}

impl RosterDate {
    pub fn from_date(d: NaiveDate) -> RosterDate {
        use chrono::Datelike;
        RosterDate { year: d.year(), month: d.month(), day: Some(d.day()) }
    }

    /// The day, or the first day of the month when only the month is known.
    pub fn first_day(self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.year, self.month, self.day.unwrap_or(1))
            .expect("checked when read")
    }

    /// Whether `d` lies in the same month.
    pub fn same_month(self, d: NaiveDate) -> bool {
        use chrono::Datelike;
        d.year() == self.year && d.month() == self.month
    }

    /// `2022年06月`: the month as messages write it.
    pub fn month_text(self) -> String {
        format!("{}年{:02}月", self.year, self.month)
    }

    fn new(year: i32, month: u32, day: Option<u32>) -> Option<RosterDate> {
        NaiveDate::from_ymd_opt(year, month, day.unwrap_or(1))
            .filter(|_| (1900..=2100).contains(&year))
            .map(|_| RosterDate { year, month, day })
    }
}

impl std::fmt::Display for RosterDate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.day {
            Some(d) => write!(f, "{:04}-{:02}-{:02}", self.year, self.month, d),
            None => write!(f, "{:04}-{:02}", self.year, self.month),
        }
    }
}

impl Serialize for RosterDate {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for RosterDate {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        parse_date_text(&s).ok_or_else(|| serde::de::Error::custom(format!("不是日期 \"{s}\"")))
    }
}

/// A date cell: a workbook date; `YYYYMM`, `YYYYMMDD` (as text or a number);
/// `YYYY-MM-DD`, `YYYY/MM/DD`, `YYYY.MM.DD`, `YYYY-MM`; `YYYY年MM月`, `YYYY年MM月DD日`; a time
/// after the date is ignored.
pub fn date(cell: &Cell) -> Lookup<RosterDate> {
    match cell {
        Cell::Date(d) => Ok(Some(RosterDate::from_date(*d))),
        c if c.is_blank() => Ok(None),
        c => parse_date_text(&c.text()).map(Some).ok_or(Unknown),
    }
}

fn parse_date_text(s: &str) -> Option<RosterDate> {
    let s = s.trim();
    let s = s.split([' ', 'T']).next().unwrap_or(s);
    let s = s.replace(['年', '月'], "-").replace('日', "");
    let s = s.trim_end_matches('-');
    fn num(p: &str) -> Option<&str> {
        (!p.is_empty() && p.bytes().all(|b| b.is_ascii_digit())).then_some(p)
    }
    if let Some(digits) = num(s) {
        let y = digits.get(..4)?.parse().ok()?;
        return match digits.len() {
            6 => RosterDate::new(y, digits[4..6].parse().ok()?, None),
            8 => RosterDate::new(y, digits[4..6].parse().ok()?, Some(digits[6..8].parse().ok()?)),
            _ => None,
        };
    }
    let parts: Vec<&str> = s.split(['-', '/', '.']).collect();
    if parts.iter().any(|p| num(p).is_none()) || parts[0].len() != 4 {
        return None;
    }
    let y = parts[0].parse().ok()?;
    let m = parts.get(1)?.parse().ok()?;
    match parts.len() {
        2 => RosterDate::new(y, m, None),
        3 => RosterDate::new(y, m, Some(parts[2].parse().ok()?)),
        _ => None,
    }
}

/// 人均纯收入（元）: a number, or a text amount (`6,500.00`, `6500元`); a quotient with more
/// than 2 decimals is rounded half-up as the engine rounds.
pub fn money(cell: &Cell) -> Lookup<Money> {
    let text = match cell {
        c if c.is_blank() => return Ok(None),
        Cell::Number(n) => format!("{n}"),
        c => c.text(),
    };
    let t: String = text
        .trim()
        .trim_end_matches('元')
        .chars()
        .filter(|c| !matches!(c, ',' | '，' | ' ' | '\u{3000}'))
        .collect();
    if t.contains(['e', 'E']) {
        return Err(Unknown);
    }
    let d = Decimal::from_str(&t).map_err(|_| Unknown)?;
    Ok(Some(Money::Amount(round2(d))))
}

/// 务工时间（月）: 0–12 whole months.
pub fn months(cell: &Cell) -> Lookup<u32> {
    let t = match cell {
        c if c.is_blank() => return Ok(None),
        Cell::Number(n) if n.fract() == 0.0 => number_text(*n),
        c => c.text(),
    };
    let t = t.trim().trim_end_matches('月').trim_end_matches('个');
    match t.parse::<u32>() {
        Ok(n) if n <= 12 => Ok(Some(n)),
        _ => Err(Unknown),
    }
}

/// Why an ID cell cannot be read as an ID number (it is an error at that cell, never a
/// rounded number).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdCellError(pub String);

/// An ID number as text: spaces and tabs anywhere, a leading apostrophe (Excel's "text"
/// mark) dropped, full-width digits and `Ｘ` folded, `x` upper-cased. A number cell, or text
/// in scientific notation (`1.50722E+17`, what Excel shows and a CSV then holds), has lost
/// digits: refused.
pub fn id_number(cell: &Cell) -> Result<String, IdCellError> {
    let lost = |shown: &str| {
        IdCellError(format!(
            "单元格是数字（{shown}），证件号码已丢失位数，不能使用；请在原表中把这一列设为“文本”后重新导出"
        ))
    };
    let text = match cell {
        Cell::Number(n) => return Err(lost(&excel_shows(*n))),
        Cell::Empty => return Ok(String::new()),
        c => c.text(),
    };
    let t: String = text
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            '０'..='９' | 'Ｘ' | 'ｘ' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            c => c,
        })
        .collect();
    let t = t.trim_start_matches(['\'', '’', '‘', '＇', '`']);
    if is_scientific(t) {
        return Err(lost(t));
    }
    // No ID is longer than a 残疾人证 number (20): anything longer is not carried on (into a
    // record, a prefilled draft or a ledger cell).
    let n = t.chars().count();
    if n > 20 {
        return Err(IdCellError(format!(
            "证件号码有 {n} 个字符，超过 20 位（身份证号 18 位，残疾人证号 20 位），不能使用"
        )));
    }
    Ok(crate::id_number::normalise(t))
}

/// `1.50722E+17`-like text.
fn is_scientific(t: &str) -> bool {
    let Some((m, e)) = t.split_once(['e', 'E']) else { return false };
    let e = e.trim_start_matches(['+', '-']);
    let m_ok = !m.is_empty() && m.bytes().all(|b| b.is_ascii_digit() || b == b'.');
    m_ok && !e.is_empty() && e.bytes().all(|b| b.is_ascii_digit())
}

/// A number as Excel's General format shows an 18-digit one: `1.50722E+17`.
fn excel_shows(n: f64) -> String {
    if n.abs() >= 1e11 {
        let exp = n.abs().log10().floor() as i32;
        let mantissa = n / 10f64.powi(exp);
        let m = format!("{mantissa:.5}");
        let m = m.trim_end_matches('0').trim_end_matches('.');
        format!("{m}E+{exp}")
    } else {
        number_text(n)
    }
}

/// A phone cell: a number is fine (`13812345678`).
pub fn phone(cell: &Cell) -> String {
    cell.text()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_by_the_codes_own_labels_and_synonyms() {
        assert_eq!(sex("1"), Ok(Some(Sex::Male)));
        assert_eq!(sex(" 女 "), Ok(Some(Sex::Female)));
        assert_eq!(sex("X"), Err(Unknown));
        assert_eq!(relation("之岳母"), Ok(Some(Relation::MotherInLaw)));
        assert_eq!(relation("之婆婆"), Ok(Some(Relation::MotherInLaw)));
        assert_eq!(relation("子"), Ok(Some(Relation::Son)));
        assert_eq!(relation("儿子"), Ok(Some(Relation::Son)));
        assert_eq!(relation("之曾孙女"), Ok(Some(Relation::GreatGrandchild)));
        assert_eq!(relation("老板"), Err(Unknown));
        assert_eq!(education("高中（含中专）"), Ok(Some(Education::Senior)));
        assert_eq!(education("高中(含中专)"), Ok(Some(Education::Senior)));
        assert_eq!(education("中专"), Ok(Some(Education::Senior)));
        assert_eq!(health("长期慢性病、残疾"), Ok(vec![Health::Chronic, Health::Disabled]));
        assert_eq!(health("健康,残疾"), Err(Unknown));
        assert_eq!(labor("弱劳动力或半劳动力"), Ok(Some(Labor::Weak)));
        assert_eq!(work_area("乡（镇）外县内务工"), Ok(Some(WorkArea::InCounty)));
        assert_eq!(work_area("省外"), Ok(Some(WorkArea::OutOfProvince)));
        assert_eq!(work_area("无"), Ok(None));
        assert_eq!(work_area("北京市"), Err(Unknown));
        assert_eq!(dibao("农村低保"), Ok(Some(true)));
        assert_eq!(dibao("城市低保"), Ok(None));
        assert_eq!(dibao("未享受"), Ok(Some(false)));
        assert_eq!(tekun("分散供养"), Ok(Some(true)));
        assert_eq!(yes_no("是"), Ok(Some(true)));
        assert_eq!(yes_no("可能"), Err(Unknown));
        assert_eq!(household_type("普通农户"), Ok(Some(HouseholdType::General)));
        assert_eq!(household_type("脱贫户"), Ok(Some(HouseholdType::Exited)));
        assert_eq!(
            household_type("脱贫不享受政策户"),
            Ok(Some(HouseholdType::Exact(Category::ExitedUnsupported)))
        );
        assert_eq!(monitoring_type("边缘易致贫户"), Ok(Some(Category::MonitoredMarginal)));
        assert_eq!(monitoring_type(""), Ok(None));
        assert_eq!(monitoring_type("一般农牧户"), Err(Unknown));
        assert_eq!(risk("因病致贫"), Ok(Some(RiskType::Illness)));
        assert_eq!(risk("因缺劳力"), Ok(Some(RiskType::LaborShortage)));
        assert_eq!(elimination_method("帮扶消除"), Ok(Some(EliminationMethod::Assisted)));
    }

    #[test]
    fn dates() {
        let t = |s: &str| date(&Cell::Text(s.into())).map(|d| d.map(|d| d.to_string()));
        assert_eq!(t("202206"), Ok(Some("2022-06".into())));
        assert_eq!(t("20220615"), Ok(Some("2022-06-15".into())));
        assert_eq!(t("2022-6-5"), Ok(Some("2022-06-05".into())));
        assert_eq!(t("2022年06月"), Ok(Some("2022-06".into())));
        assert_eq!(t("2022年6月15日"), Ok(Some("2022-06-15".into())));
        assert_eq!(t("2022/06/15 00:00:00"), Ok(Some("2022-06-15".into())));
        assert_eq!(t("2022-13"), Err(Unknown));
        assert_eq!(t("去年"), Err(Unknown));
        assert_eq!(date(&Cell::Number(202206.0)).unwrap().unwrap().to_string(), "2022-06");
        let d = NaiveDate::from_ymd_opt(2022, 6, 15).unwrap();
        assert_eq!(date(&Cell::Date(d)).unwrap().unwrap().first_day(), d);
    }

    #[test]
    fn id_cells() {
        let t = |s: &str| id_number(&Cell::Text(s.into()));
        assert_eq!(t(" '15072219800101001x\t"), Ok("15072219800101001X".into()));
        assert_eq!(t("150722 1980 0101 001X"), Ok("15072219800101001X".into()));
        assert_eq!(t("１５０７２２"), Ok("150722".into()));
        let e = t("1.50722E+17").unwrap_err();
        assert!(e.0.contains("1.50722E+17"), "{e:?}");
        let e = id_number(&Cell::Number(150722198001010016.0)).unwrap_err();
        assert!(e.0.contains("1.50722E+17"), "{e:?}");
    }

    #[test]
    fn money_and_months() {
        assert_eq!(money(&Cell::Number(6500.5)), Ok(Some(Money::parse("6500.50"))));
        assert_eq!(money(&Cell::Text("6,500元".into())), Ok(Some(Money::parse("6500"))));
        assert_eq!(money(&Cell::Text("5333.333".into())), Ok(Some(Money::parse("5333.33"))));
        assert_eq!(money(&Cell::Text("很多".into())), Err(Unknown));
        assert_eq!(months(&Cell::Text("6个月".into())), Ok(Some(6)));
        assert_eq!(months(&Cell::Number(13.0)), Err(Unknown));
    }
}
