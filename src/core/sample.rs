//! A deterministic generator of realistic sample households for 额尔和乡, 莫旗: fixtures for
//! tests, benchmarks and browser tests, and demo data for the township office. Part of the
//! test kit (feature `testkit`, also `crate::testkit::sample`).
//!
//! [`households`]`(n, villages, seed)` gives the records of `n` households spread over
//! `villages` villages: first each household's latest visit (2023-02-16 … 2023-03-20, the
//! notice's 一季度重点核查), then the extra records, so "last one wins" is wrong on purpose:
//! who reads them has to apply the latest-visit rule ([`crate::visits`]).
//! - An **earlier visit** in 2022 for about one household in seven (11 % of the others, 30 %
//!   of monitoring objects and 低保 households; 739 of 5,000 with seed 2023): same
//!   `household_id`, an older `visit.date`, last year's income, the latest record's
//!   `previous_id` pointing at it. Members born since are absent, an old parent who died since
//!   is present; about a third had 低保 members who no longer have it; some had a higher A24
//!   with the same 低保 members.
//! - An **older revision** of the latest record for about one in thirty (3.3 %): same `id`,
//!   revision − 1, saved 40 minutes earlier, another phone, as a second device would
//!   re-import it.
//!
//! What is in them:
//! - Villages: 12 莫旗-style sample names ([`VILLAGES`], not the official list of 额尔和乡's
//!   villages), more are `第13村`…; groups 一组–五组; three cadres per village as 排查人 and
//!   风险研判人 (sometimes with the township's 驻村第一书记).
//! - Members: 2–7, head + spouse + children, parents or grandchildren by the head's age;
//!   达斡尔族 36 %, 汉族 44 %, 蒙古族 10 %, 鄂温克族 10 % with fitting names; valid IDs
//!   (`id_number::make`, area [`AREA_CODE`] 150722, unique, the sex's parity); chronic and
//!   serious illness by age, disabilities (45 % of the disabled with a 20-character
//!   残疾人证), labour consistent with age and health, parents working outside the county
//!   (留守儿童), a few 特困, 低保, a few uninsured; some water and housing problems.
//! - Categories about 62 % general, 25 % exited, 13 % monitored (`identified_on` from
//!   2020-06, risk types from the engine's suggestions, about 17 % 因自然灾害 (洪涝), measures
//!   — 72 % of those with labour get a development measure — and about 45 % of those
//!   identified 6 months or more eliminated when no risk is left).
//! - Incomes: a per-capita target around the monitoring line (below, in the warning band,
//!   above) split into A21–A25; A28 rigid expenses with their notes (illness, flood, tuition,
//!   accident).
//! - The judgement the way a surveyor would make it, by running the rule engine
//!   (`rules::evaluate`): 85 % of the suggested households identified, a reason for the
//!   key-group or at-risk households not identified (1.5 % without one); about 1 % with an
//!   unanswered A19 (养老保险). `status` is `final` exactly when the engine reports no error.
//!
//! [`today`] is 2023-03-25 (after every visit, before the report is due). The same arguments
//! always give the same records, and every record reads back through serde unchanged
//! (tested in `tests/township.rs`).

use std::collections::HashSet;

use chrono::{DateTime, Datelike, Duration, FixedOffset, Months, NaiveDate, TimeZone};
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;
use uuid::Uuid;

use super::dates::{default_period, whole_months};
use super::evaluation::Identify;
use super::id_number;
use super::money::Money;
use super::policy::Policy;
use super::record::*;
use super::rules;

/// 莫旗's administrative area code, the first 6 digits of the IDs.
pub const AREA_CODE: &str = "150722";

/// The day the sample is "seen" from: after every visit, before the report is due (3月25日).
pub fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2023, 3, 25).expect("valid date")
}

/// Sample village names (莫旗-style; not the official list).
pub const VILLAGES: &[&str] = &[
    "额尔和村",
    "提古拉村",
    "西瓦尔图村",
    "哈力村",
    "库如奇村",
    "登特科村",
    "阿尔拉村",
    "宜卧奇村",
    "兴仁村",
    "太平桥村",
    "五家子村",
    "兴隆堡村",
];

const GROUPS: &[&str] = &["一组", "二组", "三组", "四组", "五组"];

/// The village names the generator uses for `villages` villages.
pub fn village_names(villages: usize) -> Vec<String> {
    (0..villages.max(1))
        .map(|i| VILLAGES.get(i).map(|s| s.to_string()).unwrap_or_else(|| format!("第{}村", i + 1)))
        .collect()
}

// ---------------------------------------------------------------------------------------
// A tiny PRNG (SplitMix64): deterministic on every platform, no crate needed.

/// SplitMix64: small, fast and good enough for fixtures.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed ^ 0x5DEE_CE66_D1CE_4E5B)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (`n > 0`).
    pub fn below(&mut self, n: u64) -> u64 {
        ((self.next_u64() as u128 * n as u128) >> 64) as u64
    }

    /// Uniform in `lo..=hi`.
    pub fn range(&mut self, lo: i64, hi: i64) -> i64 {
        if hi <= lo {
            return lo;
        }
        lo + self.below((hi - lo + 1) as u64) as i64
    }

    /// True with probability `percent`/100.
    pub fn chance(&mut self, percent: u32) -> bool {
        self.below(1000) < percent as u64 * 10
    }

    /// True with probability `permille`/1000.
    pub fn permille(&mut self, permille: u32) -> bool {
        self.below(1000) < permille as u64
    }

    /// One of `xs` (not empty), uniformly.
    pub fn pick<T: Copy>(&mut self, xs: &[T]) -> T {
        xs[self.below(xs.len() as u64) as usize]
    }

    /// One of `xs` by weight.
    pub fn weighted<T: Copy>(&mut self, xs: &[(T, u32)]) -> T {
        let total: u32 = xs.iter().map(|(_, w)| w).sum();
        let mut r = self.below(total as u64) as u32;
        for (x, w) in xs {
            if r < *w {
                return *x;
            }
            r -= w;
        }
        xs[xs.len() - 1].0
    }

    /// A random (version 4) UUID.
    pub fn uuid(&mut self) -> Uuid {
        let bytes = ((self.next_u64() as u128) << 64 | self.next_u64() as u128).to_be_bytes();
        uuid::Builder::from_random_bytes(bytes).into_uuid()
    }
}

// ---------------------------------------------------------------------------------------
// Names.

const DAUR_SURNAMES: &[&str] =
    &["敖", "鄂", "郭", "何", "孟", "沃", "吴", "苏", "金", "德", "安", "杜"];
const HAN_SURNAMES: &[&str] = &[
    "张", "王", "李", "刘", "陈", "杨", "赵", "孙", "周", "徐", "马", "于", "高", "胡", "朱", "韩",
    "崔",
];
const MONGOL_SURNAMES: &[&str] = &["包", "白", "宝", "韩", "乌", "那"];
const EWENKI_SURNAMES: &[&str] = &["杜", "涂", "何", "卡", "索", "关"];

const MALE_GIVEN: &[&str] = &[
    "福山", "永春", "海军", "建华", "志强", "俊杰", "晓东", "宝山", "德胜", "国庆", "文华", "金柱",
    "振江", "玉林", "长青", "庆丰", "立新", "树林", "春生", "广才", "明辉", "浩然", "子轩", "宇航",
    "天佑",
];
const FEMALE_GIVEN: &[&str] = &[
    "桂兰", "玉珍", "秀英", "丽娟", "雪梅", "春梅", "淑兰", "凤芝", "翠花", "红霞", "艳华", "晓梅",
    "海燕", "丽华", "金凤", "秀芳", "欣怡", "雨涵", "梓萱", "思琪",
];
const MONGOL_MALE: &[&str] =
    &["巴特尔", "阿拉坦", "额尔登", "那顺", "宝音", "朝鲁", "苏和", "乌力吉", "满都拉", "特木尔"];
const MONGOL_FEMALE: &[&str] =
    &["乌云", "其其格", "萨仁", "图雅", "塔娜", "娜仁", "斯琴", "高娃", "琪琪", "阿茹娜"];

const SURVEYORS: &[&str] = &[
    "敖文军",
    "孟凡东",
    "郭丽萍",
    "吴海涛",
    "何春燕",
    "张立伟",
    "王志刚",
    "李秀梅",
    "沃金山",
    "鄂红梅",
    "苏德明",
    "刘晓燕",
    "包玉兰",
    "杜建国",
    "陈晓东",
    "金海波",
    "赵立群",
    "孙凤霞",
    "杨春华",
    "涂永军",
    "安志远",
    "徐海英",
    "德力格尔",
    "马春来",
];

const DAUR: &str = "达斡尔族";
const HAN: &str = "汉族";
const MONGOL: &str = "蒙古族";
const EWENKI: &str = "鄂温克族";

fn surname(rng: &mut Rng, ethnicity: &str) -> &'static str {
    match ethnicity {
        DAUR => rng.pick(DAUR_SURNAMES),
        MONGOL => rng.pick(MONGOL_SURNAMES),
        EWENKI => rng.pick(EWENKI_SURNAMES),
        _ => rng.pick(HAN_SURNAMES),
    }
}

fn given(rng: &mut Rng, ethnicity: &str, sex: Sex) -> &'static str {
    let mongol_style = matches!(ethnicity, MONGOL | DAUR | EWENKI)
        && rng.chance(if ethnicity == MONGOL { 55 } else { 20 });
    match (sex, mongol_style) {
        (Sex::Male, true) => rng.pick(MONGOL_MALE),
        (Sex::Female, true) => rng.pick(MONGOL_FEMALE),
        (Sex::Male, false) => rng.pick(MALE_GIVEN),
        (Sex::Female, false) => rng.pick(FEMALE_GIVEN),
    }
}

fn ethnicity(rng: &mut Rng) -> &'static str {
    rng.weighted(&[(DAUR, 36), (HAN, 44), (MONGOL, 10), (EWENKI, 10)])
}

// ---------------------------------------------------------------------------------------
// The generator.

/// Records for `n` households in `villages` villages (see the module comment for what the
/// extra records are). The same arguments always give the same records.
pub fn households(n: usize, villages: usize, seed: u64) -> Vec<Household> {
    let mut g = Gen {
        rng: Rng::new(seed),
        ids: HashSet::new(),
        villages: village_names(villages),
        policy_2023: Policy::shipped(2023),
        policy_2022: Policy::shipped(2022),
    };
    // Uneven village sizes, as in life.
    let weights: Vec<(usize, u32)> =
        (0..g.villages.len()).map(|i| (i, 6 + g.rng.below(9) as u32)).collect();
    let mut latest = Vec::with_capacity(n);
    let mut extra = Vec::new();
    for i in 0..n {
        let v = g.rng.weighted(&weights);
        let mut h = g.household(i, v);
        // Monitoring objects and 低保 households are revisited more often.
        let watched = h.is_monitored() || h.members.iter().any(|m| m.dibao == Some(true));
        if g.rng.permille(if watched { 300 } else { 110 }) {
            let earlier = g.earlier_visit(&h);
            h.previous_id = Some(earlier.id);
            extra.push(earlier);
        }
        if g.rng.permille(33) {
            h.revision = h.revision.max(2);
            extra.push(g.older_revision(&h));
        }
        latest.push(h);
    }
    latest.extend(extra);
    latest
}

struct Gen {
    rng: Rng,
    ids: HashSet<String>,
    villages: Vec<String>,
    policy_2023: Policy,
    policy_2022: Policy,
}

/// One member before it becomes a [`Member`].
struct Person {
    relation: Relation,
    age: u32,
    sex: Sex,
    ethnicity: &'static str,
    surname: &'static str,
}

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).expect("valid date")
}

fn at(date: NaiveDate, minutes: i64) -> DateTime<FixedOffset> {
    let tz = FixedOffset::east_opt(8 * 3600).expect("offset");
    let naive = date.and_hms_opt(8, 0, 0).expect("time") + Duration::minutes(minutes);
    tz.from_local_datetime(&naive).single().expect("fixed offset")
}

/// Whole yuan as a 2-decimal money answer.
fn yuan(v: i64) -> Option<Money> {
    Some(Money::Amount(Decimal::new(v.max(0) * 100, 2)))
}

impl Gen {
    fn opposite(sex: Sex) -> Sex {
        if sex == Sex::Male {
            Sex::Female
        } else {
            Sex::Male
        }
    }

    /// The people of one household: head first, in the form's order.
    fn people(&mut self) -> Vec<Person> {
        let rng = &mut self.rng;
        let size = rng.weighted(&[(2usize, 25), (3, 30), (4, 24), (5, 12), (6, 7), (7, 2)]);
        let head_age = rng.weighted(&[(0u32, 20), (1, 45), (2, 35)]);
        let head_age = match head_age {
            0 => rng.range(26, 44) as u32,
            1 => rng.range(45, 64) as u32,
            _ => rng.range(65, 84) as u32,
        };
        let head_sex = if rng.chance(82) { Sex::Male } else { Sex::Female };
        let eth = ethnicity(rng);
        let family = surname(rng, eth);
        let mut out = vec![Person {
            relation: Relation::Head,
            age: head_age,
            sex: head_sex,
            ethnicity: eth,
            surname: family,
        }];
        let spouse = rng.chance(if head_age > 75 { 60 } else { 88 });
        if spouse {
            let e = if rng.chance(70) { eth } else { ethnicity(rng) };
            let age = (head_age as i64 + rng.range(-6, 4)).clamp(20, 90) as u32;
            out.push(Person {
                relation: Relation::Spouse,
                age,
                sex: Self::opposite(head_sex),
                ethnicity: e,
                surname: surname(rng, e),
            });
        }
        // Children take the father's surname.
        let family = if head_sex == Sex::Female && spouse { out[1].surname } else { family };
        let child = |rng: &mut Rng, lo: i64, hi: i64| -> Person {
            let age = rng.range(lo, hi) as u32;
            let sex = if rng.chance(52) { Sex::Male } else { Sex::Female };
            Person {
                relation: if sex == Sex::Male { Relation::Son } else { Relation::Daughter },
                age,
                sex,
                ethnicity: eth,
                surname: family,
            }
        };
        while out.len() < size {
            let have = out.len();
            let p = if head_age < 45 {
                // Young family: children, then a parent of the head.
                let kids = out
                    .iter()
                    .filter(|p| matches!(p.relation, Relation::Son | Relation::Daughter))
                    .count();
                if kids < 3 && head_age >= 22 {
                    child(rng, 0, (head_age as i64 - 21).min(20))
                } else {
                    let sex = if rng.chance(50) { Sex::Male } else { Sex::Female };
                    let relation =
                        if sex == Sex::Male { Relation::Father } else { Relation::Mother };
                    Person {
                        relation,
                        age: head_age + rng.range(22, 32) as u32,
                        sex,
                        ethnicity: eth,
                        surname: if sex == Sex::Male { out[0].surname } else { surname(rng, eth) },
                    }
                }
            } else if head_age < 65 {
                // Middle: grown children, a daughter-in-law, grandchildren.
                let has_son = out.iter().any(|p| p.relation == Relation::Son && p.age >= 22);
                let has_dil = out.iter().any(|p| p.relation == Relation::DaughterInLaw);
                if !has_son || have < 3 {
                    let mut c = child(rng, 14, (head_age as i64 - 20).max(15));
                    if !has_son && c.age >= 22 {
                        c.relation = Relation::Son;
                        c.sex = Sex::Male;
                    }
                    c
                } else if !has_dil {
                    let e = if rng.chance(70) { eth } else { ethnicity(rng) };
                    Person {
                        relation: Relation::DaughterInLaw,
                        age: rng.range(22, 40) as u32,
                        sex: Sex::Female,
                        ethnicity: e,
                        surname: surname(rng, e),
                    }
                } else {
                    let sex = if rng.chance(52) { Sex::Male } else { Sex::Female };
                    let relation =
                        if sex == Sex::Male { Relation::Grandson } else { Relation::Granddaughter };
                    Person {
                        relation,
                        age: rng.range(0, 15) as u32,
                        sex,
                        ethnicity: eth,
                        surname: family,
                    }
                }
            } else {
                // Old head: a son and his wife, grandchildren.
                let has_son = out.iter().any(|p| p.relation == Relation::Son);
                let has_dil = out.iter().any(|p| p.relation == Relation::DaughterInLaw);
                if !has_son {
                    Person {
                        relation: Relation::Son,
                        age: rng.range(32, (head_age as i64 - 22).min(55)) as u32,
                        sex: Sex::Male,
                        ethnicity: eth,
                        surname: family,
                    }
                } else if !has_dil && rng.chance(80) {
                    let e = if rng.chance(70) { eth } else { ethnicity(rng) };
                    Person {
                        relation: Relation::DaughterInLaw,
                        age: rng.range(30, 52) as u32,
                        sex: Sex::Female,
                        ethnicity: e,
                        surname: surname(rng, e),
                    }
                } else {
                    let sex = if rng.chance(52) { Sex::Male } else { Sex::Female };
                    let relation =
                        if sex == Sex::Male { Relation::Grandson } else { Relation::Granddaughter };
                    Person {
                        relation,
                        age: rng.range(2, 20) as u32,
                        sex,
                        ethnicity: eth,
                        surname: family,
                    }
                }
            };
            out.push(p);
        }
        out
    }

    /// A valid, unused 18-character ID for someone of this age and sex on `visit`.
    fn id_for(&mut self, age: u32, sex: Sex, visit: NaiveDate) -> (String, NaiveDate) {
        loop {
            let birth = visit.checked_sub_months(Months::new(age * 12)).unwrap_or(visit)
                - Duration::days(self.rng.range(1, 364));
            let parity = if sex == Sex::Male { 1 } else { 0 };
            let seq = (self.rng.below(500) * 2 + parity) as u16;
            let id = id_number::make(AREA_CODE, birth, seq);
            if self.ids.insert(id.clone()) {
                return (id, birth);
            }
        }
    }

    fn member(&mut self, p: &Person, visit: NaiveDate, used_names: &mut HashSet<String>) -> Member {
        let mut m = Member::new(self.rng.uuid());
        let mut name = String::new();
        for _ in 0..8 {
            name = format!("{}{}", p.surname, given(&mut self.rng, p.ethnicity, p.sex));
            if used_names.insert(name.clone()) {
                break;
            }
        }
        m.name = name;
        m.sex = Some(p.sex);
        let (id, birth) = self.id_for(p.age, p.sex, visit);
        let age = id_number::age_on(birth, visit);
        m.relation = Some(p.relation);
        m.ethnicity = p.ethnicity.to_string();
        let rng = &mut self.rng;

        // A10 health.
        let mut health = Vec::new();
        let (chronic, serious, disabled) = match age {
            0..=15 => (5, 4, 12),
            16..=59 => (45, 20, 40),
            _ => (220, 60, 70),
        };
        if rng.permille(chronic) {
            health.push(Health::Chronic);
        }
        if rng.permille(serious) {
            health.push(Health::SeriousIllness);
        }
        if rng.permille(disabled) {
            health.push(Health::Disabled);
        }
        if health.is_empty() {
            health.push(Health::Healthy);
        }
        let sick = !health.contains(&Health::Healthy);
        // A5/A6: some disabled members hold a 残疾人证 (ID + category + grade).
        let grade = if health.contains(&Health::Disabled) && rng.chance(45) {
            Some(rng.range(1, 4) as u8)
        } else {
            None
        };
        match grade {
            Some(g) => {
                m.id_type = Some(IdType::DisabilityCert);
                m.id_number = format!("{id}{}{g}", rng.range(1, 7));
            }
            None => {
                m.id_type = Some(IdType::ResidentId);
                m.id_number = id;
            }
        }
        m.health = health;

        // A11 education by birth cohort.
        let born = visit.year() as i64 - age as i64;
        m.education = Some(match age {
            0..=5 => Education::Preschool,
            6..=12 => Education::Primary,
            13..=15 => Education::Junior,
            16..=18 => Education::Senior,
            _ if born < 1960 => rng.weighted(&[
                (Education::Illiterate, 30),
                (Education::Primary, 50),
                (Education::Junior, 20),
            ]),
            _ if born < 1980 => rng.weighted(&[
                (Education::Primary, 35),
                (Education::Junior, 50),
                (Education::Senior, 15),
            ]),
            _ => rng.weighted(&[
                (Education::Junior, 40),
                (Education::Senior, 30),
                (Education::College, 18),
                (Education::BachelorPlus, 12),
            ]),
        });

        // A12 labour, consistent with age and health (no `labor-age-mismatch`).
        let serious = m.health.contains(&Health::SeriousIllness);
        let severe = grade.is_some_and(|g| g <= 2);
        m.labor = Some(match age {
            0..=15 => Labor::None,
            16..=59 if severe || serious => rng.weighted(&[(Labor::Lost, 60), (Labor::Weak, 40)]),
            16..=59 if sick => rng.weighted(&[(Labor::Weak, 45), (Labor::Ordinary, 55)]),
            16..=59 => rng.weighted(&[(Labor::Ordinary, 72), (Labor::Skilled, 28)]),
            60..=69 if !sick => {
                rng.weighted(&[(Labor::Ordinary, 30), (Labor::Weak, 55), (Labor::None, 15)])
            }
            60..=69 => rng.weighted(&[(Labor::Weak, 50), (Labor::Lost, 35), (Labor::None, 15)]),
            _ => rng.weighted(&[(Labor::Weak, 25), (Labor::Lost, 45), (Labor::None, 30)]),
        });
        // A13: adults who can work sometimes work away.
        let works =
            matches!(m.labor, Some(Labor::Ordinary | Labor::Skilled)) && (18..=55).contains(&age);
        m.work_area = if works && rng.chance(32) {
            Some(rng.weighted(&[
                (WorkArea::InTownship, 18),
                (WorkArea::InCounty, 24),
                (WorkArea::InProvince, 30),
                (WorkArea::OutOfProvince, 27),
                (WorkArea::Abroad, 1),
            ]))
        } else {
            None
        };
        // A9.
        m.political = Some(match age {
            0..=13 => Political::Masses,
            14..=28 => rng.weighted(&[
                (Political::CylMember, 40),
                (Political::Masses, 55),
                (Political::CpcMember, 5),
            ]),
            _ => rng.weighted(&[
                (Political::Masses, 88),
                (Political::CpcMember, 11),
                (Political::CpcProbationary, 1),
            ]),
        });
        // A14–A20 (insurance and 低保 are adjusted per household later).
        m.medical_insurance = Some(true);
        m.critical_illness_insurance = Some(true);
        m.medical_assistance = Some(false);
        m.dibao = Some(false);
        m.tekun = Some(false);
        m.pension_insurance = Some(age >= 16 && rng.chance(if age <= 22 { 40 } else { 93 }));
        m.relocated = Some(false);
        m
    }

    /// The latest visit of household number `index` in village `v`.
    fn household(&mut self, index: usize, v: usize) -> Household {
        let visit = d(2023, 2, 16) + Duration::days(self.rng.range(0, 32));
        let now = at(visit, self.rng.range(30, 600));
        let id = self.rng.uuid();
        let household_id = self.rng.uuid();
        let mut h = Household::new(id, household_id, now, visit);
        h.revision = self.rng.range(1, 4) as u64;
        h.updated_at =
            Timestamp(now + Duration::minutes(self.rng.range(5, 90) * h.revision as i64));
        h.address.village = self.villages[v].clone();
        h.address.group = self.rng.pick(GROUPS).to_string();
        // 排查人 and 风险研判人: the village's cadres and the 驻村干部.
        let base = (v * 3) % SURVEYORS.len();
        let team: Vec<&str> = (0..3).map(|k| SURVEYORS[(base + k) % SURVEYORS.len()]).collect();
        h.visit.surveyor = team[self.rng.below(3) as usize].to_string();
        let mut assessors: Vec<String> =
            team.iter().filter(|s| **s != h.visit.surveyor).map(|s| s.to_string()).collect();
        if self.rng.chance(30) {
            // The township's 驻村第一书记 joins some judgements.
            let extra = SURVEYORS[(index * 7 + 5) % SURVEYORS.len()];
            if !team.contains(&extra) {
                assessors.push(extra.to_string());
            }
        }
        h.visit.assessors = assessors;
        h.phone = format!(
            "1{}{:09}",
            self.rng
                .pick(&["38", "39", "50", "51", "52", "58", "59", "80", "87", "89", "55", "33"]),
            self.rng.below(1_000_000_000)
        )[..11]
            .to_string();

        let category = self.rng.weighted(&[
            (Category::General, 620),
            (Category::ExitedSupported, 180),
            (Category::ExitedUnsupported, 70),
            (Category::MonitoredUnstable, 55),
            (Category::MonitoredMarginal, 50),
            (Category::MonitoredHardship, 25),
        ]);
        h.category = Some(category);

        let people = self.people();
        let mut used = HashSet::new();
        h.members = people.iter().map(|p| self.member(p, visit, &mut used)).collect();
        self.left_behind(&mut h, visit);
        self.supports(&mut h, category);
        self.guarantees(&mut h);
        self.income(&mut h, category, visit);
        if category.is_monitored() {
            self.monitoring(&mut h, visit);
        }
        let policy = self.policy_2023.clone();
        self.judge(&mut h, &policy);
        h
    }

    /// Some parents work outside the county and leave their children behind.
    fn left_behind(&mut self, h: &mut Household, visit: NaiveDate) {
        let age = |m: &Member| {
            id_number::person_key(&m.id_number)
                .and_then(|k| id_number::parse_resident(&k, Some(visit)).ok())
                .map(|i| id_number::age_on(i.birth, visit))
        };
        let young_children = h.members.iter().any(|m| {
            matches!(m.relation, Some(Relation::Son | Relation::Daughter))
                && age(m).is_some_and(|a| a < 16)
        });
        let grandchildren = h.members.iter().any(|m| {
            matches!(m.relation, Some(Relation::Grandson | Relation::Granddaughter))
                && age(m).is_some_and(|a| a < 16)
        });
        let parents: &[Relation] = if young_children && self.rng.chance(14) {
            &[Relation::Head, Relation::Spouse]
        } else if grandchildren && self.rng.chance(30) {
            &[Relation::Son, Relation::Daughter, Relation::DaughterInLaw]
        } else {
            return;
        };
        let area = self.rng.weighted(&[(WorkArea::InProvince, 45), (WorkArea::OutOfProvince, 55)]);
        for m in h.members.iter_mut().filter(|m| m.relation.is_some_and(|r| parents.contains(&r))) {
            let a = age(m).unwrap_or(0);
            if (16..=60).contains(&a) {
                m.work_area = Some(area);
                if !matches!(m.labor, Some(Labor::Ordinary | Labor::Skilled)) {
                    m.labor = Some(Labor::Ordinary);
                    m.health = vec![Health::Healthy];
                    if m.id_type == Some(IdType::DisabilityCert) {
                        m.id_type = Some(IdType::ResidentId);
                        m.id_number.truncate(18);
                    }
                }
            }
        }
    }

    /// 低保, 特困, medical assistance and the odd uninsured member.
    fn supports(&mut self, h: &mut Household, category: Category) {
        let rng = &mut self.rng;
        let dibao_permille = match category {
            Category::General => 25,
            Category::ExitedSupported => 260,
            Category::ExitedUnsupported => 60,
            _ => 380,
        };
        if rng.permille(dibao_permille) {
            let whole = rng.chance(55);
            for m in h.members.iter_mut() {
                let needy = !m.health.contains(&Health::Healthy)
                    || matches!(m.labor, Some(Labor::Lost | Labor::None | Labor::Weak));
                if whole || needy {
                    m.dibao = Some(true);
                }
            }
            if !h.members.iter().any(|m| m.dibao == Some(true)) {
                h.members[0].dibao = Some(true);
            }
        }
        // 分散供养特困: an old member without labour, not on 低保.
        if rng.permille(if category == Category::General { 6 } else { 20 }) {
            if let Some(m) = h.members.iter_mut().find(|m| {
                matches!(m.labor, Some(Labor::Lost | Labor::None))
                    && m.relation != Some(Relation::Son)
                    && m.relation != Some(Relation::Daughter)
            }) {
                m.tekun = Some(true);
                m.dibao = Some(false);
            }
        }
        let helped = category != Category::General;
        for m in h.members.iter_mut() {
            if m.health.contains(&Health::SeriousIllness) && (helped || rng.chance(30)) {
                m.medical_assistance = Some(true);
            }
        }
        // Someone who works far away let the 城乡居民 insurance lapse.
        if rng.permille(35) {
            let i = rng.below(h.members.len() as u64) as usize;
            h.members[i].medical_insurance = Some(false);
            h.members[i].critical_illness_insurance = Some(false);
        }
    }

    fn guarantees(&mut self, h: &mut Household) {
        let rng = &mut self.rng;
        let g = &mut h.guarantees;
        g.all_insured = Some(h.members.iter().all(|m| m.medical_insurance == Some(true)));
        g.dropout = Some(rng.permille(4));
        g.safe_water = Some(!rng.permille(40));
        if g.safe_water == Some(false) {
            g.water_issues = match rng.below(3) {
                0 => vec![WaterIssue::Quality],
                1 => vec![WaterIssue::Quantity],
                _ => vec![WaterIssue::Quality, WaterIssue::Quantity],
            };
        }
        g.dangerous_house = Some(rng.permille(40));
        if g.dangerous_house == Some(true) {
            g.house_grade = Some(rng.weighted(&[
                (HouseGrade::C, 40),
                (HouseGrade::D, 15),
                (HouseGrade::Unassessed, 45),
            ]));
        }
    }

    /// A21–A28 around the monitoring line: a per-capita target, split into the sources.
    fn income(&mut self, h: &mut Household, category: Category, visit: NaiveDate) {
        let rng = &mut self.rng;
        let line = if visit.year() == 2022 { 6500 } else { 7000 };
        let band = match category {
            Category::General => rng.weighted(&[(0, 40), (1, 110), (2, 850)]),
            Category::ExitedSupported | Category::ExitedUnsupported => {
                rng.weighted(&[(0, 40), (1, 220), (2, 740)])
            }
            _ => rng.weighted(&[(0, 300), (1, 350), (2, 350)]),
        };
        let per_capita = match band {
            0 => rng.range(line as i64 * 55 / 100, line as i64 - 1),
            1 => rng.range(line as i64, line as i64 * 12 / 10 - 1),
            _ => rng.range(line as i64 * 12 / 10, line as i64 * 3),
        };
        let size = h.members.len() as i64;
        let net = per_capita * size + rng.range(0, size - 1);
        let away = h.members.iter().filter(|m| m.work_area.is_some()).count() as i64;
        let dibao = h.members.iter().filter(|m| m.dibao == Some(true)).count() as i64;
        let pensioners = h
            .members
            .iter()
            .filter(|m| m.pension_insurance == Some(true) && m.labor.is_some_and(|l| !l.can_work()))
            .count() as i64;
        let transfer = (dibao * rng.range(2400, 4200)
            + pensioners * rng.range(1500, 2100)
            + rng.range(300, 1500))
        .min(net * 6 / 10);
        let property = if rng.chance(45) { rng.range(800, 6000).min(net / 5) } else { 0 };
        let wage = if away > 0 {
            (away * rng.range(9000, 28000)).min((net - transfer - property) * 8 / 10)
        } else if rng.chance(40) {
            rng.range(1000, 8000).min((net - transfer - property) / 3)
        } else {
            0
        };
        let farm_net = net - transfer - property - wage.max(0);
        let cost_share = rng.range(28, 52);
        let production = farm_net * 100 / (100 - cost_share);
        let cost = production - farm_net;
        let i = &mut h.income;
        i.production = yuan(production);
        i.production_cost = yuan(cost);
        i.wage = yuan(wage);
        i.property = yuan(property);
        i.transfer = yuan(transfer);
        // A28: rigid expenses (illness, schooling, a flood).
        let ill = h.members.iter().any(|m| {
            m.health.iter().any(|x| matches!(x, Health::SeriousIllness | Health::Chronic))
        });
        if (ill && rng.chance(18)) || rng.permille(25) {
            let (amount, note) = if ill {
                let note = rng.pick(&[
                    "住院医疗费用自付部分",
                    "大病住院治疗自付费用",
                    "慢性病长期用药支出",
                ]);
                (rng.range(4000, 38000), note)
            } else {
                let choices = [
                    (rng.range(5000, 30000), "2022年洪涝灾害致大豆减产绝收"),
                    (rng.range(6000, 20000), "子女上大学学费和生活费"),
                    (rng.range(5000, 25000), "意外事故受伤治疗费用"),
                ];
                rng.pick(&choices)
            };
            i.other_expense = yuan(amount);
            i.other_expense_note = note.to_string();
        } else {
            i.other_expense = yuan(0);
        }
    }

    /// Sections 六–八 for a monitoring object: when, why, what was done, eliminated or not.
    fn monitoring(&mut self, h: &mut Household, visit: NaiveDate) {
        let identified = d(2020, 6, 1)
            + Duration::days(self.rng.range(0, (visit - d(2020, 6, 1)).num_days() - 20));
        h.monitoring.identified_on = Some(identified);
        let rng = &mut self.rng;
        // A33: the engine's suggestions (illness, disability, …) or the usual causes.
        let policy = self.policy_2023.clone();
        let suggested = rules::evaluate_simple(h, &policy, visit).suggested_risk_types;
        let mut types: Vec<RiskType> = suggested.into_iter().take(2).collect();
        if rng.permille(170) {
            types.insert(0, RiskType::NaturalDisaster);
            if rng.chance(40) {
                types.push(RiskType::Disaster);
            }
        }
        if types.is_empty() || rng.chance(30) {
            let t = rng.weighted(&[
                (RiskType::IndustryFailure, 30),
                (RiskType::UnstableEmployment, 25),
                (RiskType::LackOfDrive, 15),
                (RiskType::Accident, 10),
                (RiskType::Epidemic, 10),
                (RiskType::Schooling, 10),
            ]);
            if !types.contains(&t) {
                types.push(t);
            }
        }
        if types.contains(&RiskType::NaturalDisaster) {
            h.risk.disaster_types = if rng.chance(70) {
                vec![DisasterType::Flood]
            } else {
                vec![DisasterType::Flood, DisasterType::Meteorological]
            };
        }
        h.risk.types = types;
        self.measures(h, true);

        // A46–A49: some are eliminated, when the engine sees no risk left.
        let months = whole_months(identified, visit);
        h.elimination.eliminated = Some(false);
        if months >= 6 && self.rng.chance(45) {
            let mut e = h.clone();
            e.elimination.eliminated = Some(true);
            e.elimination.method = Some(if self.rng.chance(80) {
                EliminationMethod::Assisted
            } else {
                EliminationMethod::Natural
            });
            e.elimination.marked_in_system = Some(self.rng.chance(88));
            e.elimination.months = Some(months);
            if !rules::evaluate_simple(&e, &policy, visit).at_risk {
                h.elimination = e.elimination;
            }
        }
    }

    /// A34–A45. `developing`: a monitoring object (most get a development measure).
    fn measures(&mut self, h: &mut Household, developing: bool) {
        let rng = &mut self.rng;
        let workers = h.members.iter().any(|m| m.labor.is_some_and(Labor::can_work));
        let ill = h.members.iter().any(|m| {
            m.health.iter().any(|x| matches!(x, Health::SeriousIllness | Health::Chronic))
        });
        let students = h.members.iter().any(|m| {
            matches!(m.education, Some(Education::Primary | Education::Junior | Education::Senior))
        });
        let dibao = h.members.iter().any(|m| m.dibao == Some(true));
        let g = &h.guarantees;
        let ms = &mut h.measures;
        fn set<T: Copy>(rng: &mut Rng, m: &mut Measure<T>, applied: bool, pool: &[T]) {
            m.applied = Some(applied);
            m.items.clear();
            if applied {
                let k = 1 + rng.below(pool.len().min(2) as u64) as usize;
                let start = rng.below(pool.len() as u64) as usize;
                for j in 0..k {
                    let x = pool[(start + j) % pool.len()];
                    m.items.push(x);
                }
            }
        }
        let dev = developing && workers && rng.chance(72);
        let which = rng.below(4);
        set(
            rng,
            &mut ms.industry,
            dev && which != 1,
            &[IndustryItem::IndustrySubsidy, IndustryItem::BenefitLinkage, IndustryItem::PvIncome],
        );
        let employed = dev && (which == 1 || rng.chance(30));
        set(
            rng,
            &mut ms.employment,
            employed,
            &[
                EmploymentItem::SkillsTraining,
                EmploymentItem::EnterpriseCoop,
                EmploymentItem::GovPlacement,
                EmploymentItem::TransportSubsidy,
            ],
        );
        let loan = dev && rng.chance(20);
        ms.finance.applied = Some(loan);
        if loan {
            ms.finance.loan_date = Some(d(2022, 4, 1) + Duration::days(rng.range(0, 200)));
            ms.finance.loan_term_months = Some(36);
            ms.finance.loan_amount_wan =
                Some(Money::Amount(Decimal::new(rng.range(2, 5) * 100, 2)));
        }
        let flags = [
            developing && rng.chance(12),
            developing && workers && rng.chance(18),
            developing && students && rng.chance(60),
            developing && ill && rng.chance(85),
            developing
                && (g.safe_water == Some(false) || g.dangerous_house == Some(true))
                && rng.chance(70),
            developing && (dibao || rng.chance(35)),
            developing && rng.chance(25),
        ];
        set(
            rng,
            &mut ms.ecology,
            flags[0],
            &[EcologyItem::EcoRanger, EcologyItem::GrasslandRanger],
        );
        set(
            rng,
            &mut ms.public_post,
            flags[1],
            &[PublicPostItem::Cleaner, PublicPostItem::RoadKeeper, PublicPostItem::WaterKeeper],
        );
        set(
            rng,
            &mut ms.education,
            flags[2],
            &[EducationItem::Grant, EducationItem::YuluPlan, EducationItem::LivingTransportSubsidy],
        );
        set(
            rng,
            &mut ms.health,
            flags[3],
            &[
                HealthItem::InsuranceSubsidy,
                HealthItem::SeriousIllnessTreatment,
                HealthItem::MedicalAssistance,
            ],
        );
        set(
            rng,
            &mut ms.living,
            flags[4],
            &[LivingItem::Water, LivingItem::Housing, LivingItem::Toilet],
        );
        set(rng, &mut ms.infrastructure, false, &[InfrastructureItem::VillageRoad]);
        set(
            rng,
            &mut ms.social_security,
            flags[5],
            &[
                SocialSecurityItem::Dibao,
                SocialSecurityItem::PovertyInsurance,
                SocialSecurityItem::PensionPremium,
            ],
        );
        if dibao
            && ms.social_security.applied == Some(true)
            && !ms.social_security.items.contains(&SocialSecurityItem::Dibao)
        {
            ms.social_security.items.insert(0, SocialSecurityItem::Dibao);
        }
        set(
            rng,
            &mut ms.motivation,
            flags[6],
            &[MotivationItem::Training, MotivationItem::IndustryGuidance],
        );
        ms.other.applied = Some(false);
    }

    /// Section 五 (the people's judgement, led by the engine's suggestion) and the status.
    fn judge(&mut self, h: &mut Household, policy: &Policy) {
        let today = h.visit.date.unwrap_or_else(today);
        let ev = rules::evaluate_simple(h, policy, today);
        if !h.is_monitored() {
            let key = !ev.key_groups.is_empty();
            h.judgement.at_risk = Some(ev.at_risk);
            let identify = ev.identify == Identify::Yes && self.rng.chance(85);
            h.judgement.identify = Some(identify);
            h.judgement.reason.clear();
            if identify {
                let mut types = ev.suggested_risk_types.clone();
                types.truncate(2);
                if types.is_empty() {
                    types.push(RiskType::IndustryFailure);
                }
                h.risk.types = types;
                if h.risk.types.contains(&RiskType::NaturalDisaster) {
                    h.risk.disaster_types = vec![DisasterType::Flood];
                }
                self.measures(h, false);
                h.elimination.eliminated = Some(false);
            } else if (ev.at_risk || key) && !self.rng.permille(15) {
                h.judgement.reason = self.reason(h, &ev).to_string();
            }
        }
        // A small share of drafts: one answer not asked yet.
        if self.rng.permille(12) {
            let i = self.rng.below(h.members.len() as u64) as usize;
            h.members[i].pension_insurance = None;
        }
        let ev = rules::evaluate_simple(h, policy, today);
        h.status = if ev.can_finalize { Status::Final } else { Status::Draft };
    }

    /// Why a household with a risk or a key-group member is not identified.
    fn reason(&mut self, h: &Household, ev: &super::evaluation::Evaluation) -> &'static str {
        use super::evaluation::KeyGroup as K;
        let groups: Vec<K> = ev.key_groups.iter().flat_map(|g| g.groups.iter().copied()).collect();
        if ev.has("unsafe-housing") || ev.has("housing-unassessed") {
            return "住房已列入2023年农村危房改造计划，由住建部门鉴定改造，家庭收入稳定高于监测标准，经研判暂不纳入";
        }
        if ev.has("unsafe-water") {
            return "饮水问题已上报水利部门，列入农村供水巩固提升工程，家庭收入稳定，经研判暂不纳入";
        }
        if ev.has("uninsured") {
            return "未参保成员在外地务工，已督促其在户籍地补缴，家庭收入稳定高于监测标准，经研判暂不纳入";
        }
        if ev.has("income-below-line") || ev.has("rigid-expense") {
            return "家庭有稳定务工收入，上年减收为一次性因素，经村两委和驻村工作队研判暂不纳入，持续关注";
        }
        if ev.has("dropout") {
            return "辍学学生已劝返复学，家庭收入稳定，经研判暂不纳入";
        }
        let _ = h;
        match groups.first() {
            Some(K::SeriousIllness) => "大病患者已参加基本医疗保险和大病保险，住院费用报销后自付可承受，家庭收入稳定高于监测标准，经研判暂不纳入",
            Some(K::Chronic) => self.rng.pick(&[
                "慢性病患者已办理门诊慢特病卡，报销后负担可承受，家庭人均纯收入高于监测标准，经研判暂不纳入",
                "慢性病病情稳定，长期用药已纳入门诊报销，家庭收入稳定，经研判暂不纳入",
            ]),
            Some(K::SevereDisability) => "已享受困难残疾人生活补贴和重度残疾人护理补贴，家庭有劳动力、收入稳定，经研判暂不纳入",
            Some(K::Tekun) => "已纳入分散供养特困人员救助供养，基本生活有保障，经研判暂不纳入",
            Some(K::LeftBehindChild) => "父母在外务工收入稳定，由祖父母照料，义务教育有保障，经研判暂不纳入",
            Some(K::DisabledElderly) => "失能老人由子女赡养照料，已参加养老保险，家庭收入稳定，经研判暂不纳入",
            None => "经村两委和驻村工作队研判，家庭收入稳定，“两不愁三保障”及饮水安全有保障，暂不纳入",
        }
    }

    /// The household's earlier visit in 2022: same household and members, an older date,
    /// last year's income; for about a third, 低保 that this visit no longer has.
    fn earlier_visit(&mut self, latest: &Household) -> Household {
        let mut h = latest.clone();
        let visit = d(2022, 5, 10) + Duration::days(self.rng.range(0, 200));
        let now = at(visit, self.rng.range(30, 600));
        h.id = self.rng.uuid();
        h.revision = self.rng.range(1, 3) as u64;
        h.created_at = Timestamp(now);
        h.updated_at = Timestamp(now + Duration::minutes(30));
        h.previous_id = None;
        let (start, end) = default_period(visit);
        h.visit.date = Some(visit);
        h.visit.period_start = Some(start);
        h.visit.period_end = Some(end);
        h.judgement = Judgement::default();
        // 人口自然变更: who was born since was not there; an old parent who died since was.
        h.members.retain(|m| {
            id_number::person_key(&m.id_number)
                .and_then(|k| id_number::parse_resident(&k, None).ok())
                .is_some_and(|i| i.birth < visit)
        });
        if self.rng.chance(10) {
            let head = &h.members[0];
            let head_age =
                id_number::parse_resident(&head.id_number[..18.min(head.id_number.len())], None)
                    .map(|i| id_number::age_on(i.birth, visit))
                    .unwrap_or(60);
            let sex = if self.rng.chance(60) { Sex::Female } else { Sex::Male };
            let eth = head.ethnicity.clone();
            let eth: &'static str =
                [DAUR, HAN, MONGOL, EWENKI].into_iter().find(|e| *e == eth).unwrap_or(HAN);
            let family = head.name.chars().next().map(|c| c.to_string()).unwrap_or_default();
            let family: &'static str = DAUR_SURNAMES
                .iter()
                .chain(HAN_SURNAMES)
                .chain(MONGOL_SURNAMES)
                .chain(EWENKI_SURNAMES)
                .copied()
                .find(|s| *s == family)
                .unwrap_or("王");
            let person = Person {
                relation: if sex == Sex::Male { Relation::Father } else { Relation::Mother },
                age: (head_age + self.rng.range(22, 30) as u32).min(98),
                sex,
                ethnicity: eth,
                surname: if sex == Sex::Male { family } else { surname(&mut self.rng, eth) },
            };
            let mut used: HashSet<String> = h.members.iter().map(|m| m.name.clone()).collect();
            let mut m = self.member(&person, visit, &mut used);
            m.labor = Some(Labor::Lost);
            m.health = vec![Health::SeriousIllness];
            m.id_type = Some(IdType::ResidentId);
            m.id_number.truncate(18);
            h.members.push(m);
            h.guarantees.all_insured =
                Some(h.members.iter().all(|m| m.medical_insurance == Some(true)));
        }
        // Before identification the household was not yet a monitoring object.
        if let (Some(c), Some(on)) = (h.category, h.monitoring.identified_on) {
            if c.is_monitored() && on > visit {
                h.category = Some(if c == Category::MonitoredUnstable {
                    Category::ExitedSupported
                } else {
                    Category::General
                });
                h.monitoring.identified_on = None;
                h.risk = Risk::default();
                h.measures = Measures::default();
                h.elimination = Elimination::default();
            }
        }
        if h.elimination.eliminated == Some(true) {
            h.elimination = Elimination { eliminated: Some(false), ..Default::default() };
        }
        // Last year's income: the same household, a little different.
        let scale = self.rng.range(85, 125);
        for m in [
            &mut h.income.production,
            &mut h.income.production_cost,
            &mut h.income.wage,
            &mut h.income.property,
            &mut h.income.transfer,
        ] {
            if let Some(Money::Amount(a)) = m {
                let v =
                    (*a * Decimal::from(scale) / Decimal::from(100)).round().to_i64().unwrap_or(0);
                *a = Decimal::new(v * 100, 2);
            }
        }
        // A higher 低保 档次 then, the same members on 低保 now (A24 was higher).
        if h.members.iter().any(|m| m.dibao == Some(true)) && self.rng.chance(40) {
            if let Some(Money::Amount(a)) = &mut h.income.transfer {
                let v = (*a * Decimal::from(16) / Decimal::from(10)).round().to_i64().unwrap_or(0);
                *a = Decimal::new(v * 100, 2);
            }
        }
        // 低保 then; cancelled since.
        if self.rng.chance(35) {
            let n = h.members.len();
            let k = 1 + self.rng.below(n.min(2) as u64) as usize;
            for m in h
                .members
                .iter_mut()
                .filter(|m| m.dibao == Some(false) && m.tekun != Some(true))
                .take(k)
            {
                m.dibao = Some(true);
            }
        }
        if !h.is_monitored() {
            // Sections 六–八 belong to the later identification.
            if latest.judgement.identify == Some(true) {
                h.risk = Risk::default();
                h.measures = Measures::default();
                h.elimination = Elimination::default();
            }
        }
        let policy = self.policy_2022.clone();
        self.judge(&mut h, &policy);
        h
    }

    /// An older revision of the same record, as a second device still holds it.
    fn older_revision(&mut self, latest: &Household) -> Household {
        let mut h = latest.clone();
        h.revision = latest.revision - 1;
        h.updated_at = Timestamp(latest.updated_at.0 - Duration::minutes(40));
        h.phone = format!("13{:09}", self.rng.below(1_000_000_000));
        h
    }
}
