//! 机账实一致: a roster (the national system's list, [`crate::roster`]) against the stored
//! records — for each household the latest visit, by the core's one rule for that
//! ([`crate::visits::latest_of_each`]: visit date, `updated_at`, `revision`, id) — giving
//! the 机账实核对台账 (one entry per household, its differences with stable kebab-case codes
//! and a Chinese sentence with the figures) and the 动态管理清单 (what to enter into the
//! national system). `ruhu reconcile` prints [`Reconciliation`] as `ruhu.reconcile/1`.
//!
//! **Matching.** A record belongs to the roster household whose 户编号 it carries (the
//! `roster` key of a draft made from the roster); else to the one holding its head's ID
//! number (the head's household when several hold it); else to the one sharing the most
//! member ID numbers (the first in roster order on a tie). When several records come to the
//! same roster household, a visited one wins over an undated draft, then the stronger match
//! (户编号, head, shared members), then the later visit; the others are not listed again (the
//! same family twice among the records is what the township's `id-number-elsewhere` reports).
//! Persons are matched by their 18-character ID number (the holder's, inside a 残疾人证); a
//! person without an ID on one side is then matched by the same name, but never two persons
//! who both have IDs that differ (that would hide a changed ID behind a matched name).
//!
//! **Status.** `matched`: a visited record (one with a visit date) belongs to the roster
//! household; `not-visited`: none, or only a draft without a visit date (then `record_id`
//! names it); `not-in-roster`: a visited record that belongs to no roster household, listed
//! only when it is an `exited_*` or `monitored_*` household (a `general` household is not
//! expected in the list; one to identify is in the 动态管理清单).
//!
//! **Differences** are only reported where both sides answer: an unanswered record field is
//! the rule engine's `answer-missing`, not a difference with the roster. `roster` and
//! `record` in the JSON are the values compared, as codes (`"son"`, `"exited"`), booleans,
//! money strings or dates (`"2022-06"` for a month). `income-line-differs` judges each side
//! by the monitoring line of the visit's year (`Policy::for_visit`: the given policy for its
//! own year, else that year's shipped, unconfirmed line), never a constant.
//!
//! **Order.** Roster households in roster order, then the `not-in-roster` records by village
//! and head. `records` counts the records read (every stored version), as given.

use std::collections::HashMap;

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::Serialize;
use serde_json::Value;
use uuid::Uuid;

use crate::codes;
use crate::evaluation::Identify;
use crate::id_number;
use crate::money::format_yuan;
use crate::policy::Policy;
use crate::record::{Category, EliminationMethod, Household, Member, Relation};
use crate::roster::{prefill, Roster, RosterHousehold, RosterPerson};
use crate::rules::{self, Context};

#[cfg(test)]
mod tests;

/// The version tag of the reconciliation.
pub const RECONCILE_FORMAT: &str = "ruhu.reconcile/1";

codes! {
    /// What differs between the roster and the records.
    pub enum Code {
        NotVisited = "not-visited": "未入户",
        NotInRoster = "not-in-roster": "不在花名册中",
        CategoryDiffers = "category-differs": "户类型不一致",
        EliminatedDiffers = "eliminated-differs": "风险消除不一致",
        IdentifiedOnDiffers = "identified-on-differs": "识别监测时间不一致",
        IncomeLineDiffers = "income-line-differs": "人均纯收入与监测标准的关系不一致",
        MemberMissing = "member-missing": "花名册有、记录中没有的成员",
        MemberAdded = "member-added": "记录中有、花名册没有的成员",
        NameDiffers = "name-differs": "姓名不一致",
        RelationDiffers = "relation-differs": "与户主关系不一致",
        SexDiffers = "sex-differs": "性别不一致",
        DibaoDiffers = "dibao-differs": "低保不一致",
        TekunDiffers = "tekun-differs": "特困供养不一致",
        MedicalInsuranceDiffers = "medical-insurance-differs": "基本医疗保险不一致",
        RosterIdInvalid = "roster-id-invalid": "花名册证件号码无效",
        RosterIdInTwoHouseholds = "roster-id-in-two-households": "花名册同一证件号码在两户中",
    }
}

/// What a code is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    Household,
    Person,
    /// The roster's own quality.
    Roster,
}

impl Code {
    pub fn scope(self) -> Scope {
        use Code::*;
        match self {
            NotVisited | NotInRoster | CategoryDiffers | EliminatedDiffers
            | IdentifiedOnDiffers | IncomeLineDiffers => Scope::Household,
            MemberMissing
            | MemberAdded
            | NameDiffers
            | RelationDiffers
            | SexDiffers
            | DibaoDiffers
            | TekunDiffers
            | MedicalInsuranceDiffers => Scope::Person,
            RosterIdInvalid | RosterIdInTwoHouseholds => Scope::Roster,
        }
    }
}

codes! {
    /// How a household stands.
    pub enum Status {
        Matched = "matched": "已核对",
        NotVisited = "not-visited": "未入户",
        NotInRoster = "not-in-roster": "不在花名册中",
    }
}

/// One difference.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Difference {
    pub code: Code,
    /// The person it is about (`null` for the household).
    pub id_number: Option<String>,
    /// The roster's value, the record's value (`null` when a side has none).
    pub roster: Value,
    pub record: Value,
    /// One Chinese sentence with its figures.
    pub message: String,
}

/// One household of the 机账实核对台账.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HouseholdCheck {
    pub household_no: Option<String>,
    pub head_id_number: String,
    pub village: String,
    pub record_id: Option<Uuid>,
    pub status: Status,
    pub differences: Vec<Difference>,
    /// The roster household (index into `Roster::households`); not in the JSON.
    #[serde(skip)]
    pub roster_index: Option<usize>,
    /// The head's name (roster's, else record's); not in the JSON.
    #[serde(skip)]
    pub head_name: String,
}

/// `roster` of the JSON.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RosterSummary {
    pub file: String,
    pub households: usize,
    pub people: usize,
    pub unused_columns: Vec<String>,
}

/// The result: `ruhu.reconcile/1` as JSON (exactly `format`, `roster`, `records`,
/// `households`); the 动态管理清单 is beside it, not in that JSON.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Reconciliation {
    pub format: &'static str,
    pub roster: RosterSummary,
    /// Records read.
    pub records: usize,
    pub households: Vec<HouseholdCheck>,
    #[serde(skip)]
    pub changes: DynamicList,
}

/// 动态管理清单: what the notice asks to enter into the national system.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct DynamicList {
    /// 人口自然增加: members in a visit that the roster lacks.
    pub persons_to_add: Vec<PersonChange>,
    /// 人口自然减少: roster persons the visit no longer lists.
    pub persons_to_remove: Vec<PersonChange>,
    /// 新识别: visited households that are not monitoring objects and that the engine
    /// suggests identifying (`identify: yes`), with the people's decision beside it.
    pub households_to_identify: Vec<Identification>,
    /// 风险消除: households whose visit says eliminated while the roster does not.
    pub eliminations: Vec<EliminationChange>,
    /// 户类型变更: `category-differs`.
    pub category_changes: Vec<CategoryChange>,
}

/// Which household an item of the list is about.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HouseholdRef {
    pub household_no: Option<String>,
    pub village: String,
    pub head_name: String,
    pub head_id_number: String,
    pub record_id: Option<Uuid>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PersonChange {
    pub household: HouseholdRef,
    pub name: String,
    pub id_number: String,
    pub relation: Option<Relation>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Identification {
    pub household: HouseholdRef,
    pub suggested_category: Option<Category>,
    /// 五 是否需要新识别为监测对象, as the people answered.
    pub decided: Option<bool>,
    /// The risk findings' sentences.
    pub reasons: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EliminationChange {
    pub household: HouseholdRef,
    pub method: Option<EliminationMethod>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CategoryChange {
    pub household: HouseholdRef,
    /// The roster's code (`exited` for 脱贫户).
    pub roster: String,
    pub record: Category,
}

/// The 机账实核对台账 as a table, one row per difference (a household without any gets one
/// row saying so), for [`crate::township::to_csv`] (UTF-8 BOM, ID numbers kept as text for
/// Excel): 序号, 村, 户编号, 户主, 户主证件号码, 状态, 代码, 问题, 证件号码, 花名册, 入户记录, 说明.
pub struct LedgerTable<'a>(pub &'a Reconciliation);

impl crate::township::ledgers::Tabular for LedgerTable<'_> {
    fn title(&self) -> &str {
        "机账实核对台账"
    }

    fn columns(&self) -> Vec<&'static str> {
        vec![
            "序号",
            "村",
            "户编号",
            "户主",
            "户主证件号码",
            "状态",
            "代码",
            "问题",
            "证件号码",
            "花名册",
            "入户记录",
            "说明",
        ]
    }

    fn table_rows(&self) -> Vec<(Uuid, Vec<crate::township::ledgers::Cell>)> {
        use crate::township::ledgers::Cell;
        let value = |v: &Value| match v {
            Value::Null => String::new(),
            Value::Bool(b) => yes(*b).to_string(),
            Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        let mut rows = Vec::new();
        for h in &self.0.households {
            let front = |n: usize| {
                vec![
                    Cell::number(n.to_string()),
                    Cell::text(h.village.clone()),
                    Cell::digits(h.household_no.clone().unwrap_or_default()),
                    Cell::text(h.head_name.clone()),
                    Cell::digits(h.head_id_number.clone()),
                    Cell::text(h.status.label()),
                ]
            };
            let id = h.record_id.unwrap_or_default();
            if h.differences.is_empty() {
                let mut cells = front(rows.len() + 1);
                cells.extend([Cell::text(""), Cell::text("一致"), Cell::text("")]);
                cells.extend([
                    Cell::text(""),
                    Cell::text(""),
                    Cell::text("花名册与入户记录一致。"),
                ]);
                rows.push((id, cells));
            }
            for d in &h.differences {
                let mut cells = front(rows.len() + 1);
                cells.push(Cell::text(d.code.code()));
                cells.push(Cell::text(d.code.label()));
                cells.push(Cell::digits(d.id_number.clone().unwrap_or_default()));
                cells.push(Cell::text(value(&d.roster)));
                cells.push(Cell::text(value(&d.record)));
                cells.push(Cell::text(d.message.clone()));
                rows.push((id, cells));
            }
        }
        rows
    }
}

/// The records that count, one per household: the core's one rule for the latest visit
/// ([`crate::visits`]).
fn latest_visits(records: &[Household]) -> Vec<&Household> {
    crate::visits::latest_of_each(records)
}

/// How a record came to a roster household (stronger first).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Match {
    HouseholdNo,
    Head,
    Shared,
}

fn head(h: &Household) -> Option<&Member> {
    h.members.iter().find(|m| m.relation == Some(Relation::Head)).or(h.members.first())
}

fn visited(h: &Household) -> bool {
    h.visit.date.is_some()
}

/// Reconciles a roster with stored records (every stored version; the latest visit of each
/// household counts). `today` is the engine's today (for the identification suggestions).
pub fn reconcile(
    roster: &Roster,
    records: &[Household],
    policy: &Policy,
    today: NaiveDate,
) -> Reconciliation {
    let latest = latest_visits(records);
    let people = roster.person_index();
    let by_no: HashMap<&str, usize> = roster
        .households
        .iter()
        .enumerate()
        .filter_map(|(i, h)| h.household_no.as_deref().map(|n| (n, i)))
        .collect();

    // Each record's roster household, then the best record per roster household.
    let mut best: HashMap<usize, (&Household, Match)> = HashMap::new();
    let mut unmatched: Vec<&Household> = Vec::new();
    for &h in &latest {
        let Some((i, how)) = find_household(roster, &by_no, &people, h) else {
            unmatched.push(h);
            continue;
        };
        let better = |old: &(&Household, Match)| {
            let key = |r: &Household, m: Match| {
                (visited(r), std::cmp::Reverse(m), r.visit.date, r.updated_at, r.id)
            };
            key(h, how) > key(old.0, old.1)
        };
        match best.get(&i) {
            Some(old) if !better(old) => {}
            _ => {
                best.insert(i, (h, how));
            }
        }
    }

    let mut out = DynamicList::default();
    let mut households = Vec::with_capacity(roster.households.len() + unmatched.len());
    for (i, rh) in roster.households.iter().enumerate() {
        let record = best.get(&i).map(|(h, _)| *h);
        let head_person = rh.head();
        let mut check = HouseholdCheck {
            household_no: rh.household_no.clone(),
            head_id_number: head_person.map(|p| p.id_number.clone()).unwrap_or_default(),
            village: if rh.address.village.is_empty() {
                record.map(|h| h.address.village.clone()).unwrap_or_default()
            } else {
                rh.address.village.clone()
            },
            record_id: record.map(|h| h.id),
            status: Status::NotVisited,
            differences: Vec::new(),
            roster_index: Some(i),
            head_name: head_person.map(|p| p.name.clone()).unwrap_or_default(),
        };
        match record {
            Some(h) if visited(h) => {
                check.status = Status::Matched;
                let policy = policy.for_visit(h.visit.date);
                let hr = household_ref(&check, h);
                household_differences(rh, h, &policy, &mut check.differences);
                person_differences(rh, h, &hr, &mut check.differences, &mut out);
                for d in &check.differences {
                    match d.code {
                        Code::EliminatedDiffers if h.elimination.eliminated == Some(true) => {
                            out.eliminations.push(EliminationChange {
                                household: hr.clone(),
                                method: h.elimination.method,
                            })
                        }
                        Code::CategoryDiffers => out.category_changes.push(CategoryChange {
                            household: hr.clone(),
                            roster: rh.category.map(|c| c.code()).unwrap_or("").to_string(),
                            record: h.category.expect("compared"),
                        }),
                        _ => {}
                    }
                }
                identification(h, &policy, today, &hr, &mut out);
            }
            _ => check.differences.push(Difference {
                code: Code::NotVisited,
                id_number: None,
                roster: Value::from(rh.persons.len()),
                record: Value::Null,
                message: match record {
                    Some(_) => format!(
                        "{}（户主{}，{} 人）已有预填的待入户记录，还没有入户。",
                        rh.key(),
                        check.head_name,
                        rh.persons.len()
                    ),
                    None => format!(
                        "{}（户主{}，{} 人）没有入户记录。",
                        rh.key(),
                        check.head_name,
                        rh.persons.len()
                    ),
                },
            }),
        }
        roster_quality(roster, i, &people, &mut check.differences);
        households.push(check);
    }

    let mut extra: Vec<HouseholdCheck> = Vec::new();
    for h in unmatched {
        if !visited(h) {
            continue;
        }
        let policy = policy.for_visit(h.visit.date);
        let head_m = head(h);
        let check = HouseholdCheck {
            household_no: prefill::household_no(h).map(str::to_string),
            head_id_number: head_m.map(|m| m.id_number.clone()).unwrap_or_default(),
            village: h.address.village.clone(),
            record_id: Some(h.id),
            status: Status::NotInRoster,
            differences: Vec::new(),
            roster_index: None,
            head_name: head_m.map(|m| m.name.clone()).unwrap_or_default(),
        };
        let hr = household_ref(&check, h);
        identification(h, &policy, today, &hr, &mut out);
        let Some(c) = h.category.filter(|c| c.is_exited() || c.is_monitored()) else {
            continue;
        };
        let mut check = check;
        check.differences.push(Difference {
            code: Code::NotInRoster,
            id_number: None,
            roster: Value::Null,
            record: Value::from(c.code()),
            message: format!(
                "{}{}户（{}，{} 人）有入户记录，但不在花名册中。",
                village_text(&h.address.village),
                check.head_name,
                c.label(),
                h.members.len()
            ),
        });
        extra.push(check);
    }
    extra.sort_by(|a, b| {
        (&a.village, &a.head_name, a.record_id).cmp(&(&b.village, &b.head_name, b.record_id))
    });
    households.extend(extra);

    Reconciliation {
        format: RECONCILE_FORMAT,
        roster: RosterSummary {
            file: roster.file.clone(),
            households: roster.households.len(),
            people: roster.people(),
            unused_columns: roster.unused_columns.clone(),
        },
        records: records.len(),
        households,
        changes: out,
    }
}

fn village_text(v: &str) -> &str {
    if v.is_empty() {
        crate::township::NO_VILLAGE
    } else {
        v
    }
}

fn household_ref(c: &HouseholdCheck, h: &Household) -> HouseholdRef {
    HouseholdRef {
        household_no: c.household_no.clone(),
        village: c.village.clone(),
        head_name: if c.head_name.is_empty() {
            h.head_name().to_string()
        } else {
            c.head_name.clone()
        },
        head_id_number: c.head_id_number.clone(),
        record_id: Some(h.id),
    }
}

/// The roster household a record belongs to (see the module docs).
fn find_household(
    roster: &Roster,
    by_no: &HashMap<&str, usize>,
    people: &HashMap<String, Vec<usize>>,
    h: &Household,
) -> Option<(usize, Match)> {
    if let Some(&i) = prefill::household_no(h).and_then(|n| by_no.get(n)) {
        return Some((i, Match::HouseholdNo));
    }
    if let Some(key) = head(h).and_then(|m| id_number::person_key(&m.id_number)) {
        if let Some(holders) = people.get(&key) {
            let as_head = holders.iter().copied().find(|&i| {
                roster.households[i]
                    .head()
                    .and_then(|p| id_number::person_key(&p.id_number))
                    .as_ref()
                    == Some(&key)
            });
            return Some((as_head.unwrap_or(holders[0]), Match::Head));
        }
    }
    let mut shared: HashMap<usize, usize> = HashMap::new();
    for m in &h.members {
        let Some(key) = id_number::person_key(&m.id_number) else { continue };
        for &i in people.get(&key).map(Vec::as_slice).unwrap_or(&[]) {
            *shared.entry(i).or_default() += 1;
        }
    }
    shared
        .into_iter()
        .max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(&a.0)))
        .map(|(i, _)| (i, Match::Shared))
}

fn yes(b: bool) -> &'static str {
    if b {
        "是"
    } else {
        "否"
    }
}

fn household_differences(
    rh: &RosterHousehold,
    h: &Household,
    policy: &Policy,
    out: &mut Vec<Difference>,
) {
    let diff = |code: Code, roster: Value, record: Value, message: String| Difference {
        code,
        id_number: None,
        roster,
        record,
        message,
    };
    if let (Some(r), Some(c)) = (rh.category, h.category) {
        if !r.matches(c) {
            out.push(diff(
                Code::CategoryDiffers,
                r.code().into(),
                c.code().into(),
                format!("花名册的户类型为“{}”，入户记录的户属性为“{}”。", r.label(), c.label()),
            ));
        }
    }
    if let (Some(r), Some(c)) = (rh.eliminated, h.elimination.eliminated) {
        if r != c {
            out.push(diff(
                Code::EliminatedDiffers,
                r.into(),
                c.into(),
                format!("花名册的风险是否消除为“{}”，入户记录（A46）为“{}”。", yes(r), yes(c)),
            ));
        }
    }
    if let (Some(r), Some(d)) = (rh.identified, h.monitoring.identified_on) {
        if !r.same_month(d) {
            out.push(diff(
                Code::IdentifiedOnDiffers,
                r.to_string().into(),
                d.to_string().into(),
                format!(
                    "花名册的识别监测时间为 {}，入户记录为 {d}（{}年{:02}月）。",
                    r.month_text(),
                    chrono::Datelike::year(&d),
                    chrono::Datelike::month(&d)
                ),
            ));
        }
    }
    let roster_income = rh.per_capita_income.as_ref().and_then(|m| m.valid());
    let figures = rules::figures(h);
    let record_income = figures.per_capita_net.filter(|_| figures.income_complete);
    if let (Some(r), Some(c)) = (roster_income, record_income) {
        let line = policy.monitoring_line;
        if (r < line) != (c < line) {
            let side = |d: Decimal| if d < line { "低于" } else { "不低于" };
            out.push(diff(
                Code::IncomeLineDiffers,
                crate::money::format_plain(r).into(),
                crate::money::format_plain(c).into(),
                format!(
                    "花名册人均纯收入 {} 元，{} {} 年监测标准 {} 元{}；入户记录人均纯收入 {} 元，{}监测标准。",
                    format_yuan(r),
                    side(r),
                    policy.year,
                    format_yuan(line),
                    if policy.confirmed { "" } else { "（未经核对）" },
                    format_yuan(c),
                    side(c),
                ),
            ));
        }
    }
}

/// Who a person is in a message: `张三（之子，150722…）`.
fn who(name: &str, relation: Option<Relation>, id: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    if let Some(r) = relation {
        parts.push(r.label());
    }
    if !id.is_empty() {
        parts.push(id);
    }
    let name = if name.is_empty() { "（无姓名）" } else { name };
    if parts.is_empty() {
        name.to_string()
    } else {
        format!("{name}（{}）", parts.join("，"))
    }
}

fn person_differences(
    rh: &RosterHousehold,
    h: &Household,
    hr: &HouseholdRef,
    out: &mut Vec<Difference>,
    list: &mut DynamicList,
) {
    let key = |id: &str| id_number::person_key(id);
    let mut matched_member = vec![false; h.members.len()];
    let mut pairs: Vec<(&RosterPerson, Option<usize>)> = Vec::with_capacity(rh.persons.len());
    let by_id: HashMap<String, usize> = h
        .members
        .iter()
        .enumerate()
        .filter_map(|(i, m)| key(&m.id_number).map(|k| (k, i)))
        .collect();
    for p in &rh.persons {
        let found =
            key(&p.id_number).and_then(|k| by_id.get(&k).copied()).filter(|&i| !matched_member[i]);
        if let Some(i) = found {
            matched_member[i] = true;
        }
        pairs.push((p, found));
    }
    // Then by name, when one side has no ID.
    for pair in pairs.iter_mut().filter(|p| p.1.is_none()) {
        let p = pair.0;
        let found = h.members.iter().enumerate().position(|(i, m)| {
            !matched_member[i]
                && !p.name.is_empty()
                && m.name == p.name
                && (key(&p.id_number).is_none() || key(&m.id_number).is_none())
        });
        if let Some(i) = found {
            matched_member[i] = true;
            pair.1 = Some(i);
        }
    }
    for (p, m) in &pairs {
        let id = (!p.id_number.is_empty()).then(|| p.id_number.clone());
        let Some(m) = m.map(|i| &h.members[i]) else {
            out.push(Difference {
                code: Code::MemberMissing,
                id_number: id,
                roster: p.name.clone().into(),
                record: Value::Null,
                message: format!(
                    "花名册中的{}不在入户记录中：是否自然减少（死亡、迁出、婚嫁等）？",
                    who(&p.name, p.relation, &p.id_number)
                ),
            });
            list.persons_to_remove.push(PersonChange {
                household: hr.clone(),
                name: p.name.clone(),
                id_number: p.id_number.clone(),
                relation: p.relation,
            });
            continue;
        };
        let person = who(&p.name, None, &p.id_number);
        let mut diff = |code: Code, roster: Value, record: Value, message: String| {
            out.push(Difference { code, id_number: id.clone(), roster, record, message })
        };
        if !p.name.is_empty() && !m.name.is_empty() && p.name != m.name {
            diff(
                Code::NameDiffers,
                p.name.clone().into(),
                m.name.clone().into(),
                format!(
                    "证件号码 {} 在花名册中的姓名为“{}”，入户记录为“{}”。",
                    p.id_number, p.name, m.name
                ),
            );
        }
        if let (Some(r), Some(c)) = (p.relation, m.relation) {
            if r != c {
                diff(
                    Code::RelationDiffers,
                    r.code().into(),
                    c.code().into(),
                    format!(
                        "{person}在花名册中的与户主关系为“{}”，入户记录为“{}”。",
                        r.label(),
                        c.label()
                    ),
                );
            }
        }
        if let (Some(r), Some(c)) = (p.sex, m.sex) {
            if r != c {
                diff(
                    Code::SexDiffers,
                    r.code().into(),
                    c.code().into(),
                    format!(
                        "{person}在花名册中的性别为“{}”，入户记录为“{}”。",
                        r.label(),
                        c.label()
                    ),
                );
            }
        }
        let flags = [
            (Code::DibaoDiffers, "享受农村低保（A17）", p.dibao, m.dibao),
            (Code::TekunDiffers, "享受特困供养（A18）", p.tekun, m.tekun),
            (
                Code::MedicalInsuranceDiffers,
                "参加城乡居民基本医疗保险（A14）",
                p.medical_insurance,
                m.medical_insurance,
            ),
        ];
        for (code, what, r, c) in flags {
            if let (Some(r), Some(c)) = (r, c) {
                if r != c {
                    diff(
                        code,
                        r.into(),
                        c.into(),
                        format!(
                            "{person}是否{what}：花名册为“{}”，入户记录为“{}”。",
                            yes(r),
                            yes(c)
                        ),
                    );
                }
            }
        }
    }
    for (i, m) in h.members.iter().enumerate() {
        if matched_member[i] {
            continue;
        }
        out.push(Difference {
            code: Code::MemberAdded,
            id_number: (!m.id_number.is_empty()).then(|| m.id_number.clone()),
            roster: Value::Null,
            record: m.name.clone().into(),
            message: format!(
                "入户记录中的{}不在花名册中：是否自然增加（出生、婚入、迁入等）？",
                who(&m.name, m.relation, &m.id_number)
            ),
        });
        list.persons_to_add.push(PersonChange {
            household: hr.clone(),
            name: m.name.clone(),
            id_number: m.id_number.clone(),
            relation: m.relation,
        });
    }
}

/// `roster-id-invalid` and `roster-id-in-two-households` of roster household `i`.
fn roster_quality(
    roster: &Roster,
    i: usize,
    people: &HashMap<String, Vec<usize>>,
    out: &mut Vec<Difference>,
) {
    let rh = &roster.households[i];
    for p in &rh.persons {
        let id_type = p.id_type.unwrap_or(crate::record::IdType::ResidentId);
        let problem = if p.id_number.is_empty() {
            Some("没有证件号码".to_string())
        } else {
            id_number::parse(id_type, &p.id_number, None).err().map(|e| e.to_string())
        };
        if let Some(why) = problem {
            out.push(Difference {
                code: Code::RosterIdInvalid,
                id_number: (!p.id_number.is_empty()).then(|| p.id_number.clone()),
                roster: p.id_number.clone().into(),
                record: Value::Null,
                message: format!(
                    "花名册第 {} 行{}的证件号码无效：{why}。",
                    p.row,
                    who(&p.name, None, &p.id_number)
                ),
            });
        }
        let Some(key) = id_number::person_key(&p.id_number) else { continue };
        let Some(holders) = people.get(&key).filter(|h| h.len() > 1) else { continue };
        let others: Vec<String> =
            holders.iter().filter(|&&j| j != i).map(|&j| roster.households[j].key()).collect();
        out.push(Difference {
            code: Code::RosterIdInTwoHouseholds,
            id_number: Some(p.id_number.clone()),
            roster: p.id_number.clone().into(),
            record: Value::Null,
            message: format!(
                "花名册中{}同时登记在本户（{}）和{}。",
                who(&p.name, None, &p.id_number),
                rh.key(),
                others.join("、")
            ),
        });
    }
}

/// A visited household the engine suggests identifying, when it is not monitored yet.
fn identification(
    h: &Household,
    policy: &Policy,
    today: NaiveDate,
    hr: &HouseholdRef,
    out: &mut DynamicList,
) {
    if h.is_monitored() {
        return;
    }
    // `identify: yes` needs income-below-line or rigid-expense: without either figure below
    // the line, the engine need not run.
    let f = rules::figures(h);
    let below = |x: Option<Decimal>| x.is_some_and(|x| x < policy.monitoring_line);
    if !(f.income_complete && (below(f.per_capita_net) || below(f.per_capita_after_rigid))) {
        return;
    }
    let e = rules::evaluate(h, Context::new(policy, today));
    if e.identify != Identify::Yes {
        return;
    }
    out.households_to_identify.push(Identification {
        household: hr.clone(),
        suggested_category: e.suggested_category,
        decided: h.judgement.identify,
        reasons: e.of(crate::evaluation::Severity::Risk).map(|f| f.message.clone()).collect(),
    });
}
