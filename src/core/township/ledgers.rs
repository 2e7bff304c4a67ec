//! The four ledgers (台账) of the notice, one row per household each, in the order the
//! Selection lists households (village, 村民小组, head).
//!
//! | ledger | who is in it |
//! |---|---|
//! | (a) 一般农户特殊档案 | not a monitoring object, at least one 重点人群 member (the engine's key groups), and the surveyors did not decide to identify (`judgement.identify` is not yes); with the 研判结果 and the reason (`judgement.reason`) |
//! | (b) 信息核实核查台账 | 脱贫户 and 监测对象 (plus households the surveyors decided to identify; every household with [`Options::verification_all_households`](super::Options)) with at least one of: 低保 cancelled since the previous visit, 低保 suspected lowered, a member without basic medical insurance, a dangerous house, unsafe water, a 因灾/因自然灾害 risk type |
//! | (c) 识别1年以上未消除风险 / 有劳动能力未落实开发式帮扶 | monitoring objects with the engine's `unresolved-over-year` (≥ 12 months, not eliminated, 兜底户除外) or `development-measures-missing` finding |
//! | (d) 监测对象风险类型和帮扶措施 | every monitoring object (`monitored_*`), eliminated or not |
//!
//! Every ledger has **one row per household** (none is per member: members are listed inside
//! a cell, `敖斯琴（150722195711282940）上次享受低保，本次未享受；…`). Every ledger starts with
//! 序号, 村, 村民小组, 户主, 身份证号 (the head's, 18 characters), 人口, 户属性 (the short label:
//! 一般农牧户, 脱贫享受政策户, 边缘易致贫户…), then its own columns, and ends with 排查人,
//! 走访日期. Its own columns:
//!
//! | ledger | own columns |
//! |---|---|
//! | (a) [`special_archive`] | 重点人群成员 (`姓名（年龄，类别）`), 重点人群类别, 家庭人均纯收入（元）, 是否存在致贫返贫风险 (the people's answer), 系统研判 (the engine's verdict), 研判结果 (`不纳入监测` / `未研判`), 未纳入原因 (`（未填写）` when empty), 风险研判人, 佐证材料 (the photos' captions and the signatures, `crate::evidence::EvidenceSummary::text`: `照片2张：残疾人证、危房正面；签名2个：本户排查人孟庆春、风险研判人李明（1个签字后有修改）`, or `无`) |
//! | (b) [`verification`] | 核查事项, 取消或降低低保, 未参保人员, 住房安全, 饮水安全, 受灾情况 (with A33a), 上次走访日期 |
//! | (c) [`unresolved`] | 识别时间, 监测时长（月）, 风险类型, 有劳动能力人数, 已落实帮扶措施, 核查事项 (which of the two), 家庭人均纯收入（元） |
//! | (d) [`monitoring`] | 识别时间, 监测时长（月）, 风险类型, 自然灾害类型, 帮扶措施 (`产业帮扶：产业奖补项目、光伏扶贫收益；金融帮扶：…`), 风险是否消除, 消除方式, 系统标注消除, 家庭人均纯收入（元） |
//!
//! Ledger (b)'s issues are 取消低保, 疑似降低低保标准, 未参保 (a member's A14 no, or A30 no),
//! 住房安全隐患 (A32 yes, any grade), 饮水安全隐患 (A31 no) and 受灾 (A33 has 因灾 or
//! 因自然灾害). Ledger (c)'s two findings are the engine's: `unresolved-over-year` (at least
//! `unresolved_flag_months` from `identified_on` to the visit, not eliminated, no member on 低保
//! or 特困) and `development-measures-missing` (at least `elimination_min_months`, a member
//! who can work, none of 产业/就业/金融/公益岗位). Households only *decided* for
//! identification are not yet monitoring objects, so not in (c) or (d).
//!
//! The same predicates ([`in_special_archive`], [`in_verification_scope`] +
//! [`verification_issues`], and the findings of (c)) feed the Summary, so a figure and its
//! ledger always hold the same households.
//!
//! # 低保 cancelled or lowered
//!
//! - **Cancelled** ([`dibao_cancelled`]): a member of the counted record whose 低保 answer is
//!   否 and whose 18-character ID (a 残疾人证 number cut to its first 18 characters) was on a
//!   member with 低保 at the previous visit. A member who left the household is not a
//!   cancellation; without a previous visit nothing is found.
//! - **Lowered** ([`dibao_lowered`]): the format has no 低保 amount or grade, so 降低标准 cannot be
//!   read from a record. What is found is a **hint**, labelled 疑似降低低保标准: every member on
//!   低保 at the previous visit still is (at least one), and A24 转移性收入 fell by
//!   [`DIBAO_LOWERED_DROP_PERCENT`] (20 %) or more
//!   (`低保成员未变，转移性收入由6,000.00元降至4,700.00元，疑似降低标准`). No key was added to the
//!   format; a future key such as a member's monthly 低保 amount would make it exact, and
//!   nothing here depends on it.
//!
//! # Rows and tables
//!
//! Rows are typed ([`SpecialArchiveRow`], [`VerificationRow`], …, each with a [`Base`]); the
//! trait [`Tabular`] (`columns()`, `table_rows()` → cells with a [`CellKind`]) is what the UI
//! renders and the CSV writer reads. [`Ledger::file_name`] names a file
//! `额尔和乡_信息核实核查台账_2023-03-25.csv` (the township pages name their downloads
//! themselves, with hyphens).

use rust_decimal::Decimal;
use uuid::Uuid;

use chrono::NaiveDate;

use super::{Entry, Selection};
use crate::dates::whole_months;
use crate::evaluation::KeyGroup;
use crate::id_number;
use crate::money::format_yuan;
use crate::record::{
    Category, DisasterType, EliminationMethod, HouseGrade, Household, Labor, Measure, RiskType,
    WaterIssue,
};
use crate::rules::RuleCode;

// ---------------------------------------------------------------------------------------
// Cells and the generic table.

/// How a cell's text is to be treated by a spreadsheet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CellKind {
    /// Free text (names, reasons).
    Text,
    /// A number or an amount (`6,512.50` is written without separators in CSV).
    Number,
    /// Digits that are not a number (ID numbers): a spreadsheet must keep them as text.
    Digits,
    /// `YYYY-MM-DD`.
    Date,
}

/// One cell of a ledger.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cell {
    pub text: String,
    pub kind: CellKind,
}

impl Cell {
    pub fn text(s: impl Into<String>) -> Cell {
        Cell { text: s.into(), kind: CellKind::Text }
    }
    pub fn number(s: impl Into<String>) -> Cell {
        Cell { text: s.into(), kind: CellKind::Number }
    }
    pub fn digits(s: impl Into<String>) -> Cell {
        Cell { text: s.into(), kind: CellKind::Digits }
    }
    pub fn date(d: Option<NaiveDate>) -> Cell {
        Cell { text: d.map(|d| d.to_string()).unwrap_or_default(), kind: CellKind::Date }
    }
    fn money(d: Option<Decimal>) -> Cell {
        Cell::number(d.map(format_yuan).unwrap_or_default())
    }
}

/// A row of a ledger: its household and its cells after the common ones.
pub trait Row {
    /// The household and the record the row comes from.
    fn base(&self) -> &Base;
    /// The ledger's own cells, in the order of its own columns.
    fn own_cells(&self) -> Vec<Cell>;
}

/// What a ledger is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LedgerKind {
    SpecialArchive,
    Verification,
    Unresolved,
    Monitoring,
}

impl LedgerKind {
    pub const ALL: [LedgerKind; 4] = [
        LedgerKind::SpecialArchive,
        LedgerKind::Verification,
        LedgerKind::Unresolved,
        LedgerKind::Monitoring,
    ];

    /// A stable ASCII code (file names, routes).
    pub fn code(self) -> &'static str {
        match self {
            LedgerKind::SpecialArchive => "special-archive",
            LedgerKind::Verification => "verification",
            LedgerKind::Unresolved => "unresolved",
            LedgerKind::Monitoring => "monitoring",
        }
    }

    /// The ledger's title.
    pub fn title(self) -> &'static str {
        match self {
            LedgerKind::SpecialArchive => "一般农户特殊档案",
            LedgerKind::Verification => "信息核实核查台账",
            LedgerKind::Unresolved => {
                "识别1年以上未消除风险及有劳动能力未落实开发式帮扶监测对象台账"
            }
            LedgerKind::Monitoring => "监测对象风险类型和帮扶措施台账",
        }
    }

    /// What the ledger is for, one sentence (shown under its title).
    pub fn note(self) -> &'static str {
        match self {
            LedgerKind::SpecialArchive => "重点人群未纳入监测的农户，逐户注明研判结果和未纳入原因（通知一（二）3）。",
            LedgerKind::Verification => "取消低保或降低标准、未参保、住房和饮水安全存在隐患、受灾的脱贫人口和监测对象（通知三（二））。",
            LedgerKind::Unresolved => "识别1年以上仍未消除风险的监测对象（兜底户除外），及有劳动能力但未落实产业、就业、金融、公益岗位帮扶的监测对象（通知一（五））。",
            LedgerKind::Monitoring => "全部监测对象的风险类型、帮扶措施和风险消除情况（通知一（五））。",
        }
    }
}

/// A ledger: its rows, one per household.
#[derive(Debug, Clone, PartialEq)]
pub struct Ledger<R> {
    pub kind: LedgerKind,
    pub rows: Vec<R>,
}

/// Anything that is a table: a title, column names and rows of cells.
pub trait Tabular {
    fn title(&self) -> &str;
    fn columns(&self) -> Vec<&'static str>;
    /// Every row's cells (including 序号), with the household the row is about.
    fn table_rows(&self) -> Vec<(Uuid, Vec<Cell>)>;
}

const FRONT: [&str; 7] = ["序号", "村", "村民小组", "户主", "身份证号", "人口", "户属性"];
const BACK: [&str; 2] = ["排查人", "走访日期"];

impl<R: Row + OwnColumns> Ledger<R> {
    /// The household ids of the rows, in order.
    pub fn household_ids(&self) -> Vec<Uuid> {
        self.rows.iter().map(|r| r.base().household_id).collect()
    }

    /// `额尔和乡_信息核实核查台账_2023-03-25.csv`.
    pub fn file_name(&self, township: &str, day: NaiveDate) -> String {
        format!("{township}_{}_{day}.csv", short_title(self.kind))
    }
}

fn short_title(k: LedgerKind) -> &'static str {
    match k {
        LedgerKind::Unresolved => "监测对象帮扶核查台账",
        LedgerKind::Monitoring => "监测对象台账",
        k => k.title(),
    }
}

/// The ledger-specific column names of a row type.
pub trait OwnColumns {
    const COLUMNS: &'static [&'static str];
}

impl<R: Row + OwnColumns> Tabular for Ledger<R> {
    fn title(&self) -> &str {
        self.kind.title()
    }
    fn columns(&self) -> Vec<&'static str> {
        FRONT.iter().chain(R::COLUMNS).chain(BACK.iter()).copied().collect()
    }
    fn table_rows(&self) -> Vec<(Uuid, Vec<Cell>)> {
        self.rows
            .iter()
            .enumerate()
            .map(|(i, r)| {
                let b = r.base();
                let mut cells = Vec::with_capacity(FRONT.len() + R::COLUMNS.len() + BACK.len());
                cells.push(Cell::number((i + 1).to_string()));
                cells.push(Cell::text(&b.village));
                cells.push(Cell::text(&b.group));
                cells.push(Cell::text(&b.head));
                cells.push(Cell::digits(&b.head_id_number));
                cells.push(Cell::number(b.size.to_string()));
                cells.push(Cell::text(b.category.map(|c| c.short_label()).unwrap_or("未填写")));
                let own = r.own_cells();
                debug_assert_eq!(own.len(), R::COLUMNS.len());
                cells.extend(own);
                cells.push(Cell::text(&b.surveyor));
                cells.push(Cell::date(b.visit_date));
                (b.household_id, cells)
            })
            .collect()
    }
}

// ---------------------------------------------------------------------------------------
// The common columns.

/// The household columns every ledger starts and ends with.
#[derive(Debug, Clone, PartialEq)]
pub struct Base {
    pub household_id: Uuid,
    pub record_id: Uuid,
    pub village: String,
    pub group: String,
    pub head: String,
    /// The head's 18-character ID (a 残疾人证 number is cut to the holder's ID).
    pub head_id_number: String,
    pub size: usize,
    pub category: Option<Category>,
    pub surveyor: String,
    pub visit_date: Option<NaiveDate>,
    /// A27 家庭人均纯收入.
    pub per_capita_net: Option<Decimal>,
}

impl Base {
    fn of(e: &Entry) -> Base {
        let h = e.record;
        let head_id = e
            .head()
            .map(|m| id_number::person_key(&m.id_number).unwrap_or_else(|| m.id_number.clone()))
            .unwrap_or_default();
        Base {
            household_id: h.household_id,
            record_id: h.id,
            village: e.village().to_string(),
            group: h.address.group.clone(),
            head: e.head().map(|m| m.name.clone()).unwrap_or_default(),
            head_id_number: head_id,
            size: h.members.len(),
            category: h.category,
            surveyor: h.visit.surveyor.clone(),
            visit_date: h.visit.date,
            per_capita_net: e.evaluation.per_capita_net,
        }
    }
}

fn yes_no(b: Option<bool>) -> &'static str {
    match b {
        Some(true) => "是",
        Some(false) => "否",
        None => "未填",
    }
}

fn join<T>(xs: impl IntoIterator<Item = T>, f: impl Fn(T) -> String, sep: &str) -> String {
    xs.into_iter().map(f).collect::<Vec<_>>().join(sep)
}

// ---------------------------------------------------------------------------------------
// (a) 一般农户特殊档案.

/// A 重点人群 member.
#[derive(Debug, Clone, PartialEq)]
pub struct KeyMember {
    pub name: String,
    pub id_number: String,
    pub age: Option<u32>,
    pub groups: Vec<KeyGroup>,
}

/// A row of (a) 一般农户特殊档案.
#[derive(Debug, Clone, PartialEq)]
pub struct SpecialArchiveRow {
    pub base: Base,
    pub key_members: Vec<KeyMember>,
    /// 是否存在致贫返贫风险 (the people's answer).
    pub at_risk: Option<bool>,
    /// 是否需要新识别 (the people's answer: not yes, or the household would not be here).
    pub identify: Option<bool>,
    /// The engine's verdict (`有风险 · 需研判`).
    pub engine_verdict: String,
    /// 未纳入原因 (`judgement.reason`); empty when the surveyors did not give one.
    pub reason: String,
    pub assessors: Vec<String>,
    /// 佐证材料: the photos' captions and the signatures (issue 15).
    pub evidence: crate::evidence::EvidenceSummary,
}

impl OwnColumns for SpecialArchiveRow {
    const COLUMNS: &'static [&'static str] = &[
        "重点人群成员",
        "重点人群类别",
        "家庭人均纯收入（元）",
        "是否存在致贫返贫风险",
        "系统研判",
        "研判结果",
        "未纳入原因",
        "风险研判人",
        "佐证材料",
    ];
}

impl Row for SpecialArchiveRow {
    fn base(&self) -> &Base {
        &self.base
    }
    fn own_cells(&self) -> Vec<Cell> {
        let members = join(
            &self.key_members,
            |m| {
                let age = m.age.map(|a| format!("{a}岁，")).unwrap_or_default();
                format!("{}（{age}{}）", m.name, join(&m.groups, |g| g.label().to_string(), "、"))
            },
            "；",
        );
        let mut groups: Vec<KeyGroup> =
            self.key_members.iter().flat_map(|m| m.groups.iter().copied()).collect();
        groups.sort();
        groups.dedup();
        let result = match self.identify {
            Some(false) => "不纳入监测",
            _ => "未研判",
        };
        vec![
            Cell::text(members),
            Cell::text(join(groups, |g| g.label().to_string(), "、")),
            Cell::money(self.base.per_capita_net),
            Cell::text(yes_no(self.at_risk)),
            Cell::text(&self.engine_verdict),
            Cell::text(result),
            Cell::text(if self.reason.is_empty() {
                "（未填写）".to_string()
            } else {
                self.reason.clone()
            }),
            Cell::text(self.assessors.join("、")),
            Cell::text(self.evidence.text()),
        ]
    }
}

/// Ledger (a): not a monitoring object, with a key-group member, not decided to identify.
pub fn in_special_archive(e: &Entry) -> bool {
    !e.monitored()
        && !e.evaluation.key_groups.is_empty()
        && e.record.judgement.identify != Some(true)
}

/// Builds ledger (a).
pub fn special_archive(sel: &Selection) -> Ledger<SpecialArchiveRow> {
    let rows = sel
        .entries
        .iter()
        .filter(|e| in_special_archive(e))
        .map(|e| {
            let h = e.record;
            let visit = h.visit.date;
            let key_members = e
                .evaluation
                .key_groups
                .iter()
                .filter_map(|g| {
                    let m = h.members.iter().find(|m| m.id == g.member_id)?;
                    let age = id_number::person_key(&m.id_number)
                        .and_then(|k| id_number::parse_resident(&k, visit).ok())
                        .zip(visit)
                        .map(|(i, v)| id_number::age_on(i.birth, v));
                    Some(KeyMember {
                        name: m.name.clone(),
                        id_number: m.id_number.clone(),
                        age,
                        groups: g.groups.clone(),
                    })
                })
                .collect();
            SpecialArchiveRow {
                base: Base::of(e),
                key_members,
                at_risk: h.judgement.at_risk,
                identify: h.judgement.identify,
                engine_verdict: e.evaluation.verdict(),
                reason: h.judgement.reason.clone(),
                assessors: h.visit.assessors.clone(),
                evidence: crate::evidence::evidence_summary(h),
            }
        })
        .collect();
    Ledger { kind: LedgerKind::SpecialArchive, rows }
}

// ---------------------------------------------------------------------------------------
// (b) 信息核实核查台账.

/// What ledger (b) asks to verify.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Issue {
    DibaoCancelled,
    DibaoLowered,
    Uninsured,
    Housing,
    Water,
    Disaster,
}

impl Issue {
    pub fn label(self) -> &'static str {
        match self {
            Issue::DibaoCancelled => "取消低保",
            Issue::DibaoLowered => "疑似降低低保标准",
            Issue::Uninsured => "未参保",
            Issue::Housing => "住房安全隐患",
            Issue::Water => "饮水安全隐患",
            Issue::Disaster => "受灾",
        }
    }
}

/// A person named in a ledger cell.
#[derive(Debug, Clone, PartialEq)]
pub struct PersonRef {
    pub name: String,
    pub id_number: String,
}

/// 低保 suspected lowered: the same members keep 低保, but A24 fell by this share or more.
pub const DIBAO_LOWERED_DROP_PERCENT: i64 = 20;

/// A row of (b) 信息核实核查台账.
#[derive(Debug, Clone, PartialEq)]
pub struct VerificationRow {
    pub base: Base,
    pub issues: Vec<Issue>,
    /// Members with 低保 at the previous visit and without it now (matched by 18-character ID).
    pub dibao_cancelled: Vec<PersonRef>,
    /// A24 转移性收入 at the previous visit and now, when 低保 is suspected lowered.
    pub dibao_lowered: Option<(Decimal, Decimal)>,
    /// Members whose A14 is no (or A30 is no while no member is named).
    pub uninsured: Vec<PersonRef>,
    pub all_insured_no: bool,
    pub house_grade: Option<HouseGrade>,
    pub dangerous_house: bool,
    pub water_issues: Option<Vec<WaterIssue>>,
    pub disaster: Vec<RiskType>,
    pub disaster_types: Vec<DisasterType>,
    pub previous_visit: Option<NaiveDate>,
}

impl OwnColumns for VerificationRow {
    const COLUMNS: &'static [&'static str] = &[
        "核查事项",
        "取消或降低低保",
        "未参保人员",
        "住房安全",
        "饮水安全",
        "受灾情况",
        "上次走访日期",
    ];
}

impl Row for VerificationRow {
    fn base(&self) -> &Base {
        &self.base
    }
    fn own_cells(&self) -> Vec<Cell> {
        let mut dibao: Vec<String> = self
            .dibao_cancelled
            .iter()
            .map(|p| format!("{}（{}）上次享受低保，本次未享受", p.name, p.id_number))
            .collect();
        if let Some((was, now)) = self.dibao_lowered {
            dibao.push(format!(
                "低保成员未变，转移性收入由{}元降至{}元，疑似降低标准",
                format_yuan(was),
                format_yuan(now)
            ));
        }
        let uninsured = if self.uninsured.is_empty() && self.all_insured_no {
            "A30填写未全部参保".to_string()
        } else {
            join(&self.uninsured, |p| format!("{}（{}）", p.name, p.id_number), "；")
        };
        let housing = if self.dangerous_house {
            match self.house_grade {
                Some(HouseGrade::Unassessed) => "存在隐患未鉴定".to_string(),
                Some(g) => format!("{}危房", g.label()),
                None => "危房（未选等级）".to_string(),
            }
        } else {
            String::new()
        };
        let water = match &self.water_issues {
            Some(w) if w.is_empty() => "未解决安全饮水".to_string(),
            Some(w) => join(w, |x| x.label().to_string(), "、"),
            None => String::new(),
        };
        let mut disaster = join(&self.disaster, |t| t.label().to_string(), "、");
        if !self.disaster_types.is_empty() {
            disaster.push_str(&format!(
                "（{}）",
                join(&self.disaster_types, |t| t.label().to_string(), "、")
            ));
        }
        vec![
            Cell::text(join(&self.issues, |i| i.label().to_string(), "、")),
            Cell::text(dibao.join("；")),
            Cell::text(uninsured),
            Cell::text(housing),
            Cell::text(water),
            Cell::text(disaster),
            Cell::date(self.previous_visit),
        ]
    }
}

/// Members with 低保 at the previous visit and without it now, matched by 18-character ID
/// (a member who left the household is not a cancellation).
pub fn dibao_cancelled(e: &Entry) -> Vec<PersonRef> {
    let Some(prev) = e.previous else { return Vec::new() };
    e.record
        .members
        .iter()
        .filter(|m| m.dibao == Some(false))
        .filter(|m| {
            let Some(key) = id_number::person_key(&m.id_number) else { return false };
            prev.members.iter().any(|p| {
                p.dibao == Some(true)
                    && id_number::person_key(&p.id_number).as_deref() == Some(key.as_str())
            })
        })
        .map(|m| PersonRef { name: m.name.clone(), id_number: m.id_number.clone() })
        .collect()
}

/// 低保 suspected lowered: every member on 低保 at the previous visit still is (and at least
/// one is), and A24 转移性收入 fell by [`DIBAO_LOWERED_DROP_PERCENT`] % or more. The record
/// has no 低保 amount or grade, so this is a hint to verify, not a finding.
pub fn dibao_lowered(e: &Entry) -> Option<(Decimal, Decimal)> {
    let prev = e.previous?;
    let keys = |h: &Household| -> Vec<String> {
        let mut k: Vec<String> = h
            .members
            .iter()
            .filter(|m| m.dibao == Some(true))
            .filter_map(|m| id_number::person_key(&m.id_number))
            .collect();
        k.sort();
        k
    };
    let before = keys(prev);
    let now = keys(e.record);
    if before.is_empty() || !before.iter().all(|k| now.contains(k)) {
        return None;
    }
    let was = prev.income.transfer.as_ref()?.valid()?;
    let is = e.record.income.transfer.as_ref()?.valid()?;
    (was > Decimal::ZERO
        && (was - is) * Decimal::from(100) >= was * Decimal::from(DIBAO_LOWERED_DROP_PERCENT))
    .then_some((was, is))
}

fn has_disaster(h: &Household) -> bool {
    h.risk.types.iter().any(|t| matches!(t, RiskType::Disaster | RiskType::NaturalDisaster))
}

/// Whether ledger (b)'s scope covers the household: 脱贫户, 监测对象, households the
/// surveyors decided to identify (or everyone, by option).
pub fn in_verification_scope(e: &Entry, all: bool) -> bool {
    all || e.record.category.is_some_and(|c| c.is_exited() || c.is_monitored())
        || e.record.judgement.identify == Some(true)
}

/// The issues of ledger (b) that the household has (empty: not in the ledger).
pub fn verification_issues(e: &Entry) -> Vec<Issue> {
    let h = e.record;
    let g = &h.guarantees;
    let mut out = Vec::new();
    if !dibao_cancelled(e).is_empty() {
        out.push(Issue::DibaoCancelled);
    }
    if dibao_lowered(e).is_some() {
        out.push(Issue::DibaoLowered);
    }
    if h.members.iter().any(|m| m.medical_insurance == Some(false)) || g.all_insured == Some(false)
    {
        out.push(Issue::Uninsured);
    }
    if g.dangerous_house == Some(true) {
        out.push(Issue::Housing);
    }
    if g.safe_water == Some(false) {
        out.push(Issue::Water);
    }
    if has_disaster(h) {
        out.push(Issue::Disaster);
    }
    out
}

/// Builds ledger (b).
pub fn verification(sel: &Selection) -> Ledger<VerificationRow> {
    let all = sel.options.verification_all_households;
    let rows = sel
        .entries
        .iter()
        .filter(|e| in_verification_scope(e, all))
        .filter_map(|e| {
            let issues = verification_issues(e);
            if issues.is_empty() {
                return None;
            }
            let h = e.record;
            let g = &h.guarantees;
            Some(VerificationRow {
                base: Base::of(e),
                dibao_cancelled: dibao_cancelled(e),
                dibao_lowered: dibao_lowered(e),
                uninsured: h
                    .members
                    .iter()
                    .filter(|m| m.medical_insurance == Some(false))
                    .map(|m| PersonRef { name: m.name.clone(), id_number: m.id_number.clone() })
                    .collect(),
                all_insured_no: g.all_insured == Some(false),
                house_grade: g.house_grade,
                dangerous_house: g.dangerous_house == Some(true),
                water_issues: (g.safe_water == Some(false)).then(|| g.water_issues.clone()),
                disaster: h
                    .risk
                    .types
                    .iter()
                    .copied()
                    .filter(|t| matches!(t, RiskType::Disaster | RiskType::NaturalDisaster))
                    .collect(),
                disaster_types: if has_disaster(h) {
                    h.risk.disaster_types.clone()
                } else {
                    Vec::new()
                },
                previous_visit: e.previous.and_then(|p| p.visit.date),
                issues,
            })
        })
        .collect();
    Ledger { kind: LedgerKind::Verification, rows }
}

// ---------------------------------------------------------------------------------------
// (c) 识别1年以上未消除 / 有劳动能力未落实开发式帮扶.

/// A row of ledger (c).
#[derive(Debug, Clone, PartialEq)]
pub struct UnresolvedRow {
    pub base: Base,
    pub identified_on: Option<NaiveDate>,
    /// Whole months from identification to the visit.
    pub months: Option<u32>,
    pub risk_types: Vec<RiskType>,
    /// Members with 普通、技能 or 弱劳动力.
    pub workers: usize,
    /// Labels of the measures applied (A34–A45).
    pub measures: Vec<&'static str>,
    /// `unresolved-over-year`: identified ≥ 12 months, not eliminated, not a 兜底户.
    pub over_year: bool,
    /// `development-measures-missing`: labour, but no 产业/就业/金融/公益岗位.
    pub no_development: bool,
}

impl OwnColumns for UnresolvedRow {
    const COLUMNS: &'static [&'static str] = &[
        "识别时间",
        "监测时长（月）",
        "风险类型",
        "有劳动能力人数",
        "已落实帮扶措施",
        "核查事项",
        "家庭人均纯收入（元）",
    ];
}

impl Row for UnresolvedRow {
    fn base(&self) -> &Base {
        &self.base
    }
    fn own_cells(&self) -> Vec<Cell> {
        let mut what = Vec::new();
        if self.over_year {
            what.push("识别1年以上未消除风险");
        }
        if self.no_development {
            what.push("有劳动能力未落实开发式帮扶");
        }
        vec![
            Cell::date(self.identified_on),
            Cell::number(self.months.map(|m| m.to_string()).unwrap_or_default()),
            Cell::text(join(&self.risk_types, |t| t.label().to_string(), "、")),
            Cell::number(self.workers.to_string()),
            Cell::text(if self.measures.is_empty() {
                "无".to_string()
            } else {
                self.measures.join("、")
            }),
            Cell::text(what.join("；")),
            Cell::money(self.base.per_capita_net),
        ]
    }
}

/// Ledger (c): a monitoring object with a finding of the 1-year rule
/// ([`RuleCode::UnresolvedOverYear`]) or of the development-measures rule
/// ([`RuleCode::DevelopmentMeasuresMissing`]).
pub fn in_unresolved(e: &Entry) -> bool {
    e.monitored()
        && (e.evaluation.has(RuleCode::UnresolvedOverYear)
            || e.evaluation.has(RuleCode::DevelopmentMeasuresMissing))
}

fn applied_labels(h: &Household) -> Vec<&'static str> {
    crate::record::MEASURE_KEYS
        .iter()
        .zip(h.measures.applied())
        .filter(|(_, a)| *a == Some(true))
        .map(|((_, _, label), _)| *label)
        .collect()
}

/// Builds ledger (c).
pub fn unresolved(sel: &Selection) -> Ledger<UnresolvedRow> {
    let rows = sel
        .entries
        .iter()
        .filter(|e| in_unresolved(e))
        .map(|e| {
            let h = e.record;
            UnresolvedRow {
                base: Base::of(e),
                identified_on: h.monitoring.identified_on,
                months: h
                    .monitoring
                    .identified_on
                    .zip(h.visit.date)
                    .map(|(a, b)| whole_months(a, b)),
                risk_types: h.risk.types.clone(),
                workers: h.members.iter().filter(|m| m.labor.is_some_and(Labor::can_work)).count(),
                measures: applied_labels(h),
                over_year: e.evaluation.has(RuleCode::UnresolvedOverYear),
                no_development: e.evaluation.has(RuleCode::DevelopmentMeasuresMissing),
            }
        })
        .collect();
    Ledger { kind: LedgerKind::Unresolved, rows }
}

// ---------------------------------------------------------------------------------------
// (d) 监测对象风险类型和帮扶措施.

/// A row of ledger (d).
#[derive(Debug, Clone, PartialEq)]
pub struct MonitoringRow {
    pub base: Base,
    pub identified_on: Option<NaiveDate>,
    pub months: Option<u32>,
    pub risk_types: Vec<RiskType>,
    pub disaster_types: Vec<DisasterType>,
    /// `产业帮扶：产业奖补项目、光伏扶贫收益`, one entry per applied measure.
    pub measures: Vec<String>,
    pub eliminated: Option<bool>,
    pub method: Option<EliminationMethod>,
    pub marked_in_system: Option<bool>,
}

impl OwnColumns for MonitoringRow {
    const COLUMNS: &'static [&'static str] = &[
        "识别时间",
        "监测时长（月）",
        "风险类型",
        "自然灾害类型",
        "帮扶措施",
        "风险是否消除",
        "消除方式",
        "系统标注消除",
        "家庭人均纯收入（元）",
    ];
}

impl Row for MonitoringRow {
    fn base(&self) -> &Base {
        &self.base
    }
    fn own_cells(&self) -> Vec<Cell> {
        let eliminated = self.eliminated == Some(true);
        vec![
            Cell::date(self.identified_on),
            Cell::number(self.months.map(|m| m.to_string()).unwrap_or_default()),
            Cell::text(join(&self.risk_types, |t| t.label().to_string(), "、")),
            Cell::text(join(&self.disaster_types, |t| t.label().to_string(), "、")),
            Cell::text(self.measures.join("；")),
            Cell::text(yes_no(self.eliminated)),
            Cell::text(if eliminated {
                self.method.map(|m| m.label()).unwrap_or("未填")
            } else {
                ""
            }),
            Cell::text(if eliminated { yes_no(self.marked_in_system) } else { "" }),
            Cell::money(self.base.per_capita_net),
        ]
    }
}

fn measure_text<T: Copy>(
    label: &str,
    m: &Measure<T>,
    item: impl Fn(T) -> &'static str,
) -> Option<String> {
    if m.applied != Some(true) {
        return None;
    }
    let mut items: Vec<String> = m.items.iter().map(|i| item(*i).to_string()).collect();
    if !m.other.is_empty() {
        items.push(m.other.clone());
    }
    Some(if items.is_empty() {
        label.to_string()
    } else {
        format!("{label}：{}", items.join("、"))
    })
}

/// The applied measures with their items, one string each.
pub fn measures_text(h: &Household) -> Vec<String> {
    let ms = &h.measures;
    let finance = if ms.finance.applied == Some(true) {
        let mut t = "金融帮扶".to_string();
        if let Some(a) = ms.finance.loan_amount_wan.as_ref().and_then(|m| m.valid()) {
            t.push_str(&format!("：脱贫人口小额信贷{}万元", a.normalize()));
            if let Some(n) = ms.finance.loan_term_months {
                t.push_str(&format!("（{n}个月）"));
            }
        }
        Some(t)
    } else {
        None
    };
    [
        measure_text("产业帮扶", &ms.industry, |i| i.label()),
        measure_text("就业帮扶", &ms.employment, |i| i.label()),
        finance,
        measure_text("生态帮扶", &ms.ecology, |i| i.label()),
        measure_text("公益岗位帮扶", &ms.public_post, |i| i.label()),
        measure_text("教育帮扶", &ms.education, |i| i.label()),
        measure_text("健康帮扶", &ms.health, |i| i.label()),
        measure_text("生活条件改善", &ms.living, |i| i.label()),
        measure_text("基础设施建设", &ms.infrastructure, |i| i.label()),
        measure_text("综合保障", &ms.social_security, |i| i.label()),
        measure_text("扶志扶智", &ms.motivation, |i| i.label()),
        measure_text("其他", &ms.other, |i| i.label()),
    ]
    .into_iter()
    .flatten()
    .collect()
}

/// Builds ledger (d): every monitoring object.
pub fn monitoring(sel: &Selection) -> Ledger<MonitoringRow> {
    let rows = sel
        .entries
        .iter()
        .filter(|e| e.monitored())
        .map(|e| {
            let h = e.record;
            MonitoringRow {
                base: Base::of(e),
                identified_on: h.monitoring.identified_on,
                months: h
                    .monitoring
                    .identified_on
                    .zip(h.visit.date)
                    .map(|(a, b)| whole_months(a, b)),
                risk_types: h.risk.types.clone(),
                disaster_types: h.risk.disaster_types.clone(),
                measures: measures_text(h),
                eliminated: h.elimination.eliminated,
                method: h.elimination.method,
                marked_in_system: h.elimination.marked_in_system,
            }
        })
        .collect();
    Ledger { kind: LedgerKind::Monitoring, rows }
}
