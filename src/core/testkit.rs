//! The one builder of test households (feature `testkit`; the core's own unit tests see it
//! too), beside the generator of realistic sample batches, [`crate::sample`].
//!
//! ```
//! use ruhu_core::record::Relation;
//! use ruhu_core::testkit;
//!
//! let h = testkit::household().id(7).household_id(1007).village("额尔和村").head(2007, "张伟").build();
//! assert_eq!((h.head_name(), h.revision), ("张伟", 1));
//! let m = testkit::member(10).name("孟淑兰").relation(Relation::Spouse).build();
//! let full = testkit::complete().member(m).build();
//! assert_eq!(full.members.len(), 5);
//! ```
//!
//! Everything is deterministic: fixed ids (`Uuid::from_u128(n)`), a fixed save time and a
//! fixed visit date, so that nothing depends on the clock or on a random number. The starting
//! points:
//! - [`household`]: a bare record, `Household::new` of record 1 of household 2, saved at
//!   [`SAVED_AT`] and visited on [`visit_date`] (the income period the 12 months before it),
//!   a draft of revision 1 in 莫旗 额尔和乡, no member and no answer.
//! - [`complete`]: a complete, valid household on which the engine reports no finding at all
//!   (the table tests of the rules start from it).
//! - [`stored`]`(n)`: the realistic record number `n` of the store's contract tests (four
//!   members, income, unknown keys at two levels).
//!
//! The tests of the app (`tests/common`, the browser tests), the store's contract
//! (`ruhu::store::contract`) and the core's unit tests build their households here; the
//! fixture generators (`tests/tools/*.rs`) and the benchmarks use [`crate::sample`].

use chrono::{DateTime, FixedOffset, NaiveDate};
use serde_json::Value;
use uuid::Uuid;

pub use crate::sample;

use crate::dates::default_period;
use crate::id_number;
use crate::money::Money;
use crate::record::{
    Category, Education, Health, Household, IdType, Labor, Member, Political, Relation, Sex,
    Status, Timestamp, WorkArea,
};

/// When a built record was created and last saved, unless told otherwise.
pub const SAVED_AT: &str = "2023-02-20T09:12:00+08:00";

/// 莫力达瓦达斡尔族自治旗's administrative area code: the first six digits of its IDs.
pub const AREA: &str = "150722";

/// The visit date of a built record: 2023-02-20 (the first quarter's 重点核查).
pub fn visit_date() -> NaiveDate {
    d(2023, 2, 20)
}

/// `NaiveDate` from year, month, day.
pub fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).expect("a real date")
}

/// A time with its offset from RFC 3339 text (`"2023-02-20T09:00:00+08:00"`).
pub fn at(rfc3339: &str) -> DateTime<FixedOffset> {
    DateTime::parse_from_rfc3339(rfc3339).expect("an RFC 3339 time")
}

/// A deterministic UUID (`uuid(7)` is `00000000-0000-0000-0000-000000000007`).
pub fn uuid(n: u128) -> Uuid {
    Uuid::from_u128(n)
}

/// A money answer from text (`money("5000")`, `money("1.234")` for an invalid one).
pub fn money(text: &str) -> Option<Money> {
    Some(Money::parse(text))
}

/// A household being built. [`HouseholdBuilder::build`] gives it.
#[derive(Debug, Clone)]
#[must_use]
pub struct HouseholdBuilder {
    h: Household,
}

/// A bare record (see the module docs).
pub fn household() -> HouseholdBuilder {
    HouseholdBuilder { h: Household::new(uuid(1), uuid(2), at(SAVED_AT), visit_date()) }
}

impl HouseholdBuilder {
    /// The record id, `Uuid::from_u128(n)`.
    pub fn id(mut self, n: u128) -> Self {
        self.h.id = uuid(n);
        self
    }

    /// The household id, `Uuid::from_u128(n)`.
    pub fn household_id(mut self, n: u128) -> Self {
        self.h.household_id = uuid(n);
        self
    }

    /// Created and last saved at `t`.
    pub fn saved(mut self, t: DateTime<FixedOffset>) -> Self {
        self.h.created_at = Timestamp(t);
        self.h.updated_at = Timestamp(t);
        self
    }

    /// Last saved at `t` (created when it was).
    pub fn updated(mut self, t: DateTime<FixedOffset>) -> Self {
        self.h.updated_at = Timestamp(t);
        self
    }

    /// Visited on `date`, with the 12-month income period before it (as `Household::new`).
    pub fn visited(mut self, date: NaiveDate) -> Self {
        let (start, end) = default_period(date);
        self.h.visit.date = Some(date);
        self.h.visit.period_start = Some(start);
        self.h.visit.period_end = Some(end);
        self
    }

    pub fn revision(mut self, revision: u64) -> Self {
        self.h.revision = revision;
        self
    }

    pub fn status(mut self, status: Status) -> Self {
        self.h.status = status;
        self
    }

    /// 村.
    pub fn village(mut self, village: &str) -> Self {
        self.h.address.village = village.into();
        self
    }

    pub fn phone(mut self, phone: &str) -> Self {
        self.h.phone = phone.into();
        self
    }

    /// The visit that came before (`previous_id`).
    pub fn previous(mut self, id: u128) -> Self {
        self.h.previous_id = Some(uuid(id));
        self
    }

    /// Adds a member.
    pub fn member(mut self, m: impl Into<Member>) -> Self {
        self.h.members.push(m.into());
        self
    }

    /// Adds the head of household: member `id` with this name, nothing else answered.
    pub fn head(self, id: u128, name: &str) -> Self {
        self.member(member(id).name(name).relation(Relation::Head))
    }

    /// An unknown key of the record (kept through every read and write).
    pub fn extra(mut self, key: &str, value: Value) -> Self {
        self.h.extra.insert(key.into(), value);
        self
    }

    /// Anything else.
    pub fn with(mut self, f: impl FnOnce(&mut Household)) -> Self {
        f(&mut self.h);
        self
    }

    pub fn build(self) -> Household {
        self.h
    }
}

impl From<HouseholdBuilder> for Household {
    fn from(b: HouseholdBuilder) -> Household {
        b.build()
    }
}

/// A member being built. [`MemberBuilder::build`] gives it.
#[derive(Debug, Clone)]
#[must_use]
pub struct MemberBuilder {
    m: Member,
}

/// Member `Uuid::from_u128(id)`, nothing answered.
pub fn member(id: u128) -> MemberBuilder {
    MemberBuilder { m: Member::new(uuid(id)) }
}

impl MemberBuilder {
    pub fn name(mut self, name: &str) -> Self {
        self.m.name = name.into();
        self
    }

    pub fn relation(mut self, relation: Relation) -> Self {
        self.m.relation = Some(relation);
        self
    }

    pub fn id_number(mut self, id_number: &str) -> Self {
        self.m.id_number = id_number.into();
        self
    }

    pub fn labor(mut self, labor: Labor) -> Self {
        self.m.labor = Some(labor);
        self
    }

    pub fn health(mut self, health: &[Health]) -> Self {
        self.m.health = health.to_vec();
        self
    }

    /// Anything else.
    pub fn with(mut self, f: impl FnOnce(&mut Member)) -> Self {
        f(&mut self.m);
        self
    }

    pub fn build(self) -> Member {
        self.m
    }
}

impl From<MemberBuilder> for Member {
    fn from(b: MemberBuilder) -> Member {
        b.build()
    }
}

/// A valid 18-character resident ID of 莫旗 for this birth date; an odd `seq` is male, an
/// even one female (the 17th digit is the last digit of `seq`).
pub fn id(birth: NaiveDate, seq: u16) -> String {
    id_number::make(AREA, birth, seq)
}

/// A complete member `0x100 + n`: healthy, insured (A14–A16), no 低保/特困, pension insured,
/// not relocated, 群众, not working away, 汉族, 初中, ordinary labour. Sex and ID follow `birth`
/// and `sex` (`seq` chooses the sequence number; its parity is fixed to match `sex`).
pub fn complete_member(
    n: u128,
    name: &str,
    sex: Sex,
    birth: NaiveDate,
    seq: u16,
    relation: Relation,
) -> Member {
    let seq = match sex {
        Sex::Male => seq | 1,
        Sex::Female => seq & !1,
    };
    Member {
        id: uuid(0x100 + n),
        name: name.to_string(),
        sex: Some(sex),
        id_type: Some(IdType::ResidentId),
        id_number: id(birth, seq),
        relation: Some(relation),
        ethnicity: "汉族".to_string(),
        political: Some(Political::Masses),
        health: vec![Health::Healthy],
        education: Some(Education::Junior),
        labor: Some(Labor::Ordinary),
        work_area: None,
        medical_insurance: Some(true),
        critical_illness_insurance: Some(true),
        medical_assistance: Some(false),
        dibao: Some(false),
        tekun: Some(false),
        pension_insurance: Some(true),
        relocated: Some(false),
        ..Default::default()
    }
}

/// A complete, valid household that evaluates with no finding at all (no error, risk,
/// warning or info) under the shipped 2023 policy on 2023-03-01:
///
/// - 额尔和乡 额尔和村 第三村民小组, 一般农牧户, phone 13947012345, visited 2023-02-20 by
///   王建国 with 王建国 and 李秀英 as 风险研判人; income period 2022-02-20 to 2023-02-20;
///   record 1 of household 2, saved 2023-02-20 09:12 (+08:00), a draft of revision 1.
/// - 4 members ([`complete_member`] 1–4): 敖永军 (head, 达斡尔族, male, born 1975-03-12,
///   中共党员, ordinary labor), 李桂芝 (spouse, 汉族, female, 1977-08-05, 小学), 敖海龙 (son,
///   达斡尔族, 2000-06-18, 高中, skilled, works in the township, 共青团员), 敖雪 (daughter,
///   达斡尔族, 2010-09-01, 12 years old, junior school, no labor, no pension insurance). All
///   healthy and insured.
/// - Income: production 36,000, wage 18,000, property 1,200, transfer 2,800, production cost
///   10,000 → total 58,000.00, net 48,000.00, per capita 12,000.00 (above 7,000 × 1.2 = 8,400);
///   A28 other expense 0.
/// - 三保障 and water fine, no dangerous house; judgement: no risk, not identified.
/// - Sections 六–八 left unanswered (they are not asked of a household that is neither
///   monitored nor identified).
pub fn complete() -> HouseholdBuilder {
    let mut head = complete_member(1, "敖永军", Sex::Male, d(1975, 3, 12), 11, Relation::Head);
    head.ethnicity = "达斡尔族".into();
    head.political = Some(Political::CpcMember);
    let mut spouse = complete_member(2, "李桂芝", Sex::Female, d(1977, 8, 5), 22, Relation::Spouse);
    spouse.education = Some(Education::Primary);
    let mut son = complete_member(3, "敖海龙", Sex::Male, d(2000, 6, 18), 31, Relation::Son);
    son.ethnicity = "达斡尔族".into();
    son.education = Some(Education::Senior);
    son.labor = Some(Labor::Skilled);
    son.work_area = Some(WorkArea::InTownship);
    son.political = Some(Political::CylMember);
    let mut daughter =
        complete_member(4, "敖雪", Sex::Female, d(2010, 9, 1), 42, Relation::Daughter);
    daughter.ethnicity = "达斡尔族".into();
    daughter.labor = Some(Labor::None);
    daughter.pension_insurance = Some(false);

    household()
        .village("额尔和村")
        .phone("13947012345")
        .member(head)
        .member(spouse)
        .member(son)
        .member(daughter)
        .with(|h| {
            h.visit.surveyor = "王建国".into();
            h.visit.assessors = vec!["王建国".into(), "李秀英".into()];
            h.address.group = "第三村民小组".into();
            h.category = Some(Category::General);

            let i = &mut h.income;
            i.production = money("36000");
            i.wage = money("18000");
            i.property = money("1200");
            i.transfer = money("2800");
            i.production_cost = money("10000");
            i.other_expense = money("0");

            let g = &mut h.guarantees;
            g.dropout = Some(false);
            g.all_insured = Some(true);
            g.safe_water = Some(true);
            g.dangerous_house = Some(false);

            h.judgement.at_risk = Some(false);
            h.judgement.identify = Some(false);
        })
}

/// The realistic record number `n` of the store's contract tests: record `n + 1` (so that id
/// order is number order) of household `u128::MAX - n`, 张三 with 李四 and 王五, village
/// `第{n % 12}村` 一组, 一般农牧户, four members of one family (敖某某 head, 郭某某 spouse,
/// 敖小某 son, 敖小小 daughter, all with the same ID number 150722198001010011, 达斡尔族,
/// healthy, insured, member ids `(n + 1) << 8 | k`), income with a 看病 expense, 三保障 fine,
/// no risk; and unknown keys at two levels (`app_note` with `n`, `address.app_gps`).
pub fn stored(n: u64) -> HouseholdBuilder {
    let person = |k: u128, name: &str, relation: Relation, sex: Sex| {
        member(((n as u128 + 1) << 8) + k).name(name).relation(relation).with(|m| {
            m.sex = Some(sex);
            m.id_type = Some(IdType::ResidentId);
            m.id_number = "150722198001010011".into();
            m.ethnicity = "达斡尔族".into();
            m.political = Some(Political::Masses);
            m.health = vec![Health::Healthy];
            m.education = Some(Education::Junior);
            m.labor = Some(Labor::Ordinary);
            m.medical_insurance = Some(true);
            m.critical_illness_insurance = Some(true);
            m.medical_assistance = Some(false);
            m.dibao = Some(false);
            m.tekun = Some(false);
            m.pension_insurance = Some(true);
            m.relocated = Some(false);
        })
    };
    household()
        .id(n as u128 + 1)
        .household_id(u128::MAX - n as u128)
        .village(&format!("第{}村", n % 12))
        .phone("13812345678")
        .member(person(1, "敖某某", Relation::Head, Sex::Male))
        .member(person(2, "郭某某", Relation::Spouse, Sex::Female))
        .member(person(3, "敖小某", Relation::Son, Sex::Male))
        .member(person(4, "敖小小", Relation::Daughter, Sex::Female))
        .extra("app_note", serde_json::json!({ "kept": "because unknown keys survive", "n": n }))
        .with(|h| {
            h.visit.surveyor = "张三".into();
            h.visit.assessors = vec!["李四".into(), "王五".into()];
            h.address.group = "一组".into();
            h.address.extra.insert("app_gps".into(), serde_json::json!([48.48, 124.5]));
            h.category = Some(Category::General);
            let i = &mut h.income;
            i.production = money("23000.00");
            i.wage = money("18000");
            i.property = money("0");
            i.transfer = money("3600.50");
            i.production_cost = money("9000");
            i.other_expense = money("2000");
            i.other_expense_note = "看病".into();
            let g = &mut h.guarantees;
            g.dropout = Some(false);
            g.all_insured = Some(true);
            g.safe_water = Some(true);
            g.dangerous_house = Some(false);
            h.judgement.at_risk = Some(false);
            h.judgement.identify = Some(false);
        })
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn a_bare_record_is_household_new_of_fixed_values() {
        assert_eq!(
            household().build(),
            Household::new(uuid(1), uuid(2), at(SAVED_AT), d(2023, 2, 20))
        );
        let h = household().visited(d(2022, 11, 20)).build();
        assert_eq!(h, Household::new(uuid(1), uuid(2), at(SAVED_AT), d(2022, 11, 20)));
    }

    /// [`stored`] is the very record the store's contract built from JSON before it moved here.
    #[test]
    fn the_stored_record_is_the_contracts() {
        for n in [0, 1, 7, 12, 30] {
            assert_eq!(stored(n).build(), contract_json(n), "record {n}");
        }
    }

    /// The store contract's record as it was written, from JSON.
    fn contract_json(n: u64) -> Household {
        let id = Uuid::from_u128(n as u128 + 1);
        let member = |k: u32, name: &str, relation: &str, sex: &str| {
            json!({
                "id": Uuid::from_u128(((n as u128 + 1) << 8) + k as u128), "name": name, "sex": sex,
                "id_type": "resident_id", "id_number": "150722198001010011", "relation": relation,
                "ethnicity": "达斡尔族", "political": "masses", "health": ["healthy"], "education": "junior",
                "labor": "ordinary", "work_area": null, "medical_insurance": true,
                "critical_illness_insurance": true, "medical_assistance": false, "dibao": false,
                "tekun": false, "pension_insurance": true, "relocated": false
            })
        };
        let value = json!({
            "format": "ruhu.household/1", "id": id, "household_id": Uuid::from_u128(u128::MAX - n as u128),
            "revision": 1, "status": "draft",
            "created_at": "2023-02-20T09:12:00+08:00", "updated_at": "2023-02-20T09:12:00+08:00",
            "visit": { "date": "2023-02-20", "period_start": "2022-02-20", "period_end": "2023-02-20",
                       "surveyor": "张三", "assessors": ["李四", "王五"] },
            "address": { "banner": "莫力达瓦达斡尔族自治旗", "township": "额尔和乡",
                         "village": format!("第{}村", n % 12), "group": "一组", "app_gps": [48.48, 124.5] },
            "category": "general", "resettlement_site": false, "phone": "13812345678",
            "members": [member(1, "敖某某", "head", "male"), member(2, "郭某某", "spouse", "female"),
                        member(3, "敖小某", "son", "male"), member(4, "敖小小", "daughter", "female")],
            "income": { "production": "23000.00", "wage": "18000", "property": "0", "transfer": "3600.50",
                        "production_cost": "9000", "other_expense": "2000", "other_expense_note": "看病" },
            "guarantees": { "dropout": false, "all_insured": true, "safe_water": true, "dangerous_house": false },
            "judgement": { "at_risk": false, "identify": false, "reason": "" },
            "app_note": { "kept": "because unknown keys survive", "n": n }
        });
        serde_json::from_value(value).expect("the sample is a valid record")
    }

    #[test]
    fn the_complete_household_has_no_finding() {
        let policy = crate::policy::Policy::shipped(2023);
        let ev = crate::rules::evaluate_simple(&complete().build(), &policy, d(2023, 3, 1));
        assert!(ev.findings.is_empty(), "{:?}", ev.findings);
    }
}
