//! The household record `ruhu.household/1` (one visit to one household) as plain serde data.
//!
//! Contract: `household-format.md`. Keys are never renamed or re-typed; unknown keys are
//! kept in each object's `extra` and written back. An unanswered yes/no is `None`.
//!
//! # What we chose where the contracts are silent
//!
//! The contracts are `../shared/spec/household-format.md` (`ruhu.household/1`,
//! `ruhu.export/1`) and `../shared/spec/rules.md` (`ruhu-rules/1`).
//!
//! - **Unknown keys** are kept at every level (each object's `extra`, in their order) and
//!   written back. `computed` is dropped on read and recomputed on export. An unanswered
//!   yes/no is `null`, never `false`.
//! - **Money** keeps what was typed when it is not a valid amount (`"12a"`, `"1.234"` stay as
//!   text, flagged `money-invalid` at the field), so nothing typed is lost; valid amounts are
//!   written as 2-decimal strings; full-width digits and thousands separators are accepted on
//!   reading. For the figures an unanswered amount counts as 0 and an invalid one makes A26/A27
//!   `null`; the income rules judge only when A21–A25 are all answered and valid.
//! - **Two added keys**: `previous_id`, the record of the household's previous visit, set by
//!   再次入户; and `lineage` (issue 13), which saved states this one descends from
//!   (`lineage`: one save counter per device). Besides these, only optional keys of an
//!   attachment (below). Export marks and the saved-state history live beside the record in
//!   the store, not in it.
//! - **Attachments** (issue 15, [`crate::evidence`]): an attachment gains optional keys,
//!   absent when empty so a record without them is written as before: `bytes`, `width`,
//!   `height`, `taken_at`, `path` (the JSON path it documents: `""` the household,
//!   `members[2].health`, `guarantees.dangerous_house`, `income.other_expense`, `signatures`),
//!   `member`, and for signatures `role` (`surveyor` 本户排查人, `assessor` 风险研判人, `head`
//!   户主: [`SignRole`]), `signer` and `signed_digest`. **Photos are stored outside the
//!   record** (the stored record's photo has `data: ""`; its bytes are a Blob beside it) and
//!   **exported as base64 `data` inside the `ruhu.export/1` JSON**, not in a zip container: the
//!   export stays one text file, sealed by age as it is and read by the existing importer and
//!   CLI, at the cost of a third more bytes (+33 %). Signatures are small SVG kept inline
//!   (`data` = base64 of the SVG). The importer checks every attachment's `sha256` (hex of the
//!   decoded bytes) and base64 and refuses the whole file by name on an error, storing nothing.
//!   An export larger than 45 MiB (33 MiB when sealed: the armour adds a third) is split into
//!   several files of whole households (`…-第1份共3份.json`) for Chromium's 50 MB Web Share
//!   limit.
//! - **Format versions**: `ruhu.household/1.x` and `ruhu.export/1.x` are read; another major
//!   version is refused (`不支持的格式版本`). A record inside a batch may omit its own tag; a
//!   single record file may not.
//! - **Export files are compact JSON** (half the size of pretty JSON, for WeChat), named
//!   `额尔和乡-额尔和村-2023-02-20-1户.json` / `…-12户.json` / `额尔和乡-2023-02-20-35户.json`
//!   (never a person's name).
//!   Exporting a household takes all its visits; exporting never changes a record.
//! - **Merging** (`merge::decide`, its table in `merge`'s docs): a new `id` is added; a
//!   record that descends from the stored one (by `lineage`) updates it; an older state or the
//!   same content is unchanged; two states edited apart are a **conflict** for a person,
//!   whatever their revisions; a record from before `lineage` with other content is a
//!   conflict unless it is one of our saved states; the same `id` with another
//!   `household_id`, a `revision` over 2⁵³−1 or a `lineage` out of bounds is refused. The
//!   resolution (`用导入的`: `transfer::take_incoming`) is a new state descending from both,
//!   revision `max(ours, theirs) + 1`. An import is written in one transaction after every
//!   file was checked; an unreadable file is refused by name and changes nothing.
//! - **Follow-up visit** (`followup::start`): same `household_id`, new `id`, revision 1, the
//!   12-month income period before the new visit date; members (same member ids), address,
//!   category, 三保障, risk, measures and elimination are kept; income and the judgement are
//!   cleared (a new period must be asked again). `income-drop` (A27 down 30 % or more against
//!   the previous visit) is a warning of the engine.
//! - **Which record counts for a household** (the latest visit, the previous visit) is decided
//!   in one place, the `visits` module, for the home list, the township, the export writer,
//!   follow-up visits and the CLI.
//! - **Policy** (`policy`): the shipped per-year table (2021: 6,000 … 2023: 7,000 … 2026: 8,300
//!   yuan) is marked **unconfirmed** everywhere it shows; the township confirms or corrects the
//!   line in 设置 (or passes a policy file to the CLI). No line is a constant in the engine. **A
//!   visit is judged by its own year's line**: the settings' policy applies to visits of its
//!   year; a record visited in another year is judged by that year's shipped line, shown as
//!   unconfirmed (`Policy::for_visit`), in the editor, the home list, the CLI without
//!   `--policy` and the township pages per period. An export file has one `policy` (the
//!   device's), and every `computed` block in it is evaluated with that one policy, as the
//!   format says.
//! - **Left-behind children**: rules.md's parents are read as members 16 or older (a
//!   12-year-old aunt at home does not make her nephew "not left behind"); with no parent listed
//!   the child counts as left behind when the listed parents all work outside the county
//!   (vacuously true).
//! - **低保 lowered** cannot be read from the format (no amount or grade); the
//!   信息核实核查台账 shows a labelled hint instead (`township::ledgers`). 低保 cancelled is exact
//!   (a member, by ID, on 低保 at the previous visit and not now).

use chrono::{DateTime, FixedOffset, NaiveDate};
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::{Map, Value};
use uuid::Uuid;

use super::lineage::Lineage;
use super::money::{self, Money};
use super::reads::{object_reader, read_as, Plain, ReadAs};
use crate::codes;

/// The version tag of one record.
pub const HOUSEHOLD_FORMAT: &str = "ruhu.household/1";

/// Unknown keys of an object, kept for the round trip.
///
/// Objects are written by serde's derive (`extra` flattened last) and read by
/// [`object_reader!`] (see [`super::reads`] for why); the `serde` attributes on the fields
/// say the same as the readers, for the derive of `Serialize` and of the JSON Schema.
pub type Extra = Map<String, Value>;

/// `null` reads as the type's default (an empty string or list).
fn null_default<'de, D: Deserializer<'de>, T: Default + Deserialize<'de>>(
    d: D,
) -> Result<T, D::Error> {
    Ok(Option::<T>::deserialize(d)?.unwrap_or_default())
}

/// Strings: `null` is empty, surrounding spaces are not part of the answer.
fn text<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    Ok(Option::<String>::deserialize(d)?.map(|s| s.trim().to_string()).unwrap_or_default())
}

/// `computed` as read: dropped, its value skipped without being built (the app recomputes
/// it; a reader never used it). Half the cost of reading an exported batch was these trees.
fn skip_value<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Value>, D::Error> {
    serde::de::IgnoredAny::deserialize(d)?;
    Ok(None)
}

fn id_text<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    Ok(Option::<String>::deserialize(d)?
        .map(|s| super::id_number::normalise(&s))
        .unwrap_or_default())
}

read_as!(
    /// Read with `text`.
    Text: String = text
);
read_as!(
    /// Read with `id_text`.
    IdText: String = id_text
);
read_as!(
    /// Read with `skip_value`.
    Skip: Option<Value> = skip_value
);
read_as!(
    /// `money::opt`: an empty string is no answer.
    MoneyOpt: Option<Money> = money::opt::deserialize
);

/// Read with `null_default`.
pub struct NullDefault;

impl<'de, T: Default + Deserialize<'de>> ReadAs<'de, T> for NullDefault {
    fn read<D: Deserializer<'de>>(d: D) -> Result<T, D::Error> {
        null_default(d)
    }
}

#[cfg(feature = "schema")]
use schemars::JsonSchema;

macro_rules! record_struct {
    ($(#[$m:meta])* pub struct $name:ident $body:tt) => {
        $(#[$m])*
        #[derive(Debug, Clone, PartialEq, Serialize, Default)]
        #[cfg_attr(feature = "schema", derive(JsonSchema))]
        pub struct $name $body
    };
}

record_struct! {
/// One visit to one household.
pub struct Household {
    /// Always `ruhu.household/1` when written (a record inside a batch may leave it out).
    #[serde(default)]
    pub format: String,
    /// This record (this visit).
    pub id: Uuid,
    /// The household across visits.
    pub household_id: Uuid,
    /// +1 on every saved change, at most 2⁵³−1; shown as 第 N 版. Merging goes by `lineage`,
    /// not by this number.
    pub revision: u64,
    pub status: Status,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
    #[serde(default)]
    pub visit: Visit,
    #[serde(default)]
    pub address: Address,
    /// A1 户属性.
    #[serde(default)]
    pub category: Option<Category>,
    /// A2 大中型易地扶贫搬迁集中安置区.
    #[serde(default)]
    pub resettlement_site: Option<bool>,
    /// 户主联系电话.
    #[serde(default, deserialize_with = "text")]
    pub phone: String,
    #[serde(default)]
    pub monitoring: Monitoring,
    /// 二 家庭成员信息, in the order of 序号.
    #[serde(default, deserialize_with = "null_default")]
    pub members: Vec<Member>,
    #[serde(default)]
    pub income: Income,
    #[serde(default)]
    pub guarantees: Guarantees,
    #[serde(default)]
    pub judgement: Judgement,
    #[serde(default)]
    pub risk: Risk,
    #[serde(default)]
    pub measures: Measures,
    #[serde(default)]
    pub elimination: Elimination,
    #[serde(default, deserialize_with = "null_default")]
    pub attachments: Vec<Attachment>,
    /// Added by ruhu (not in the paper form): the record of this household's previous visit,
    /// for a follow-up visit (再次入户) started from it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub previous_id: Option<Uuid>,
    /// Added by ruhu (issue 13): which saved states this one descends from, one save counter
    /// per device; absent in records from before it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lineage: Option<Lineage>,
    /// A26, A27 and the Evaluation: written on export, ignored and recomputed on import.
    // Never read: always `None` after reading (`skip_value`).
    #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "skip_value")]
    pub computed: Option<Value>,
    #[serde(flatten)]
    pub extra: Extra,
}
}

object_reader!(Household required(id, household_id, revision, status, created_at, updated_at) {
    format: Plain, id: Plain, household_id: Plain, revision: Plain, status: Plain, created_at: Plain,
    updated_at: Plain, visit: Plain, address: Plain, category: Plain, resettlement_site: Plain, phone: Text,
    monitoring: Plain, members: NullDefault, income: Plain, guarantees: Plain, judgement: Plain, risk: Plain,
    measures: Plain, elimination: Plain, attachments: NullDefault, previous_id: Plain, lineage: Plain,
    computed: Skip,
});

/// An RFC 3339 timestamp that keeps its offset.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(transparent)]
pub struct Timestamp(
    #[cfg_attr(feature = "schema", schemars(with = "String"))] pub DateTime<FixedOffset>,
);

impl Default for Timestamp {
    fn default() -> Self {
        Timestamp(DateTime::UNIX_EPOCH.fixed_offset())
    }
}

codes! {
    /// Record status: `final` only when no error-severity finding is left.
    #[derive(Default)]
    pub enum Status { #[default] Draft = "draft": "草稿", Final = "final": "已完成" }
}

record_struct! {
/// The visit: when, who, and the income period.
pub struct Visit {
    /// Day of the home visit.
    pub date: Option<NaiveDate>,
    /// Income period start (default: 12 months before `date`).
    pub period_start: Option<NaiveDate>,
    pub period_end: Option<NaiveDate>,
    /// 本户排查人.
    #[serde(default, deserialize_with = "text")]
    pub surveyor: String,
    /// 风险研判人 (at least 2 distinct names).
    #[serde(default, deserialize_with = "null_default")]
    pub assessors: Vec<String>,
    #[serde(flatten)]
    pub extra: Extra,
}
}

object_reader!(Visit {
    date: Plain,
    period_start: Plain,
    period_end: Plain,
    surveyor: Text,
    assessors: NullDefault
});

record_struct! {
/// 家庭住址.
pub struct Address {
    /// 旗 (default 莫力达瓦达斡尔族自治旗).
    #[serde(default, deserialize_with = "text")]
    pub banner: String,
    /// 乡镇 (default 额尔和乡).
    #[serde(default, deserialize_with = "text")]
    pub township: String,
    /// 村.
    #[serde(default, deserialize_with = "text")]
    pub village: String,
    /// 自然村（村民小组）.
    #[serde(default, deserialize_with = "text")]
    pub group: String,
    #[serde(flatten)]
    pub extra: Extra,
}
}

object_reader!(Address { banner: Text, township: Text, village: Text, group: Text });

record_struct! {
/// When the household became a monitoring object.
pub struct Monitoring {
    pub identified_on: Option<NaiveDate>,
    #[serde(flatten)]
    pub extra: Extra,
}
}

object_reader!(Monitoring { identified_on: Plain });

codes! {
    /// A1 户属性.
    pub enum Category {
        General = "general": "一般农牧户",
        ExitedSupported = "exited_supported": "脱贫户 · 脱贫享受政策户",
        ExitedUnsupported = "exited_unsupported": "脱贫户 · 脱贫不享受政策户",
        MonitoredUnstable = "monitored_unstable": "监测对象 · 脱贫不稳定户",
        MonitoredMarginal = "monitored_marginal": "监测对象 · 边缘易致贫户",
        MonitoredHardship = "monitored_hardship": "监测对象 · 突发严重困难户",
    }
}

impl Category {
    /// 监测对象: any `monitored_*` category.
    pub fn is_monitored(self) -> bool {
        matches!(
            self,
            Category::MonitoredUnstable | Category::MonitoredMarginal | Category::MonitoredHardship
        )
    }
    /// 脱贫户: `exited_*`.
    pub fn is_exited(self) -> bool {
        matches!(self, Category::ExitedSupported | Category::ExitedUnsupported)
    }
    /// The short label (`边缘易致贫户`) without the group.
    pub fn short_label(self) -> &'static str {
        self.label().rsplit(" · ").next().unwrap_or(self.label())
    }
}

record_struct! {
/// 二 家庭成员信息: one member (A3–A20).
pub struct Member {
    /// 序号: stable across edits.
    pub id: Uuid,
    /// A3 姓名.
    #[serde(default, deserialize_with = "text")]
    pub name: String,
    /// A4 性别.
    #[serde(default)]
    pub sex: Option<Sex>,
    /// A5 证件类型.
    #[serde(default)]
    pub id_type: Option<IdType>,
    /// A6 证件号码 (an `x` is stored as `X`).
    #[serde(default, deserialize_with = "id_text")]
    pub id_number: String,
    /// A7 与户主关系.
    #[serde(default)]
    pub relation: Option<Relation>,
    /// A8 民族 (its Chinese name).
    #[serde(default, deserialize_with = "text")]
    pub ethnicity: String,
    /// A9 政治面貌.
    #[serde(default)]
    pub political: Option<Political>,
    /// A10 健康状况: `healthy` alone, or any of the others.
    #[serde(default, deserialize_with = "null_default")]
    pub health: Vec<Health>,
    /// A11 文化程度.
    #[serde(default)]
    pub education: Option<Education>,
    /// A12 劳动技能.
    #[serde(default)]
    pub labor: Option<Labor>,
    /// A13 务工区域 (`None`: not working away).
    #[serde(default)]
    pub work_area: Option<WorkArea>,
    /// A14 参加城乡居民基本医疗保险.
    #[serde(default)]
    pub medical_insurance: Option<bool>,
    /// A15 参加大病保险.
    #[serde(default)]
    pub critical_illness_insurance: Option<bool>,
    /// A16 接受医疗救助.
    #[serde(default)]
    pub medical_assistance: Option<bool>,
    /// A17 享受农村居民最低生活保障.
    #[serde(default)]
    pub dibao: Option<bool>,
    /// A18 享受特困供养.
    #[serde(default)]
    pub tekun: Option<bool>,
    /// A19 参加城乡居民基本养老保险.
    #[serde(default)]
    pub pension_insurance: Option<bool>,
    /// A20 易地扶贫搬迁（同步搬迁人口）.
    #[serde(default)]
    pub relocated: Option<bool>,
    #[serde(flatten)]
    pub extra: Extra,
}
}

object_reader!(Member required(id) {
    id: Plain, name: Text, sex: Plain, id_type: Plain, id_number: IdText, relation: Plain, ethnicity: Text,
    political: Plain, health: NullDefault, education: Plain, labor: Plain, work_area: Plain,
    medical_insurance: Plain, critical_illness_insurance: Plain, medical_assistance: Plain, dibao: Plain,
    tekun: Plain, pension_insurance: Plain, relocated: Plain,
});

codes! { /// A4 性别.
pub enum Sex { Male = "male": "男", Female = "female": "女" } }
codes! { /// A5 证件类型.
pub enum IdType { ResidentId = "resident_id": "居民身份证", DisabilityCert = "disability_cert": "残疾人证" } }
codes! {
    /// A7 与户主关系.
    pub enum Relation {
        Head = "head": "户主", Spouse = "spouse": "配偶", Son = "son": "之子", Daughter = "daughter": "之女",
        DaughterInLaw = "daughter_in_law": "之儿媳", SonInLaw = "son_in_law": "之女婿",
        Grandson = "grandson": "之孙子", Granddaughter = "granddaughter": "之孙女",
        DaughterGrandson = "daughter_grandson": "之外孙子", DaughterGranddaughter = "daughter_granddaughter": "之外孙女",
        Father = "father": "之父", Mother = "mother": "之母",
        FatherInLaw = "father_in_law": "之岳父/之公公", MotherInLaw = "mother_in_law": "之岳母/之婆婆",
        Grandfather = "grandfather": "之祖父/之外祖父", Grandmother = "grandmother": "之祖母/之外祖母",
        Sibling = "sibling": "之兄弟姐妹", GreatGrandchild = "great_grandchild": "之曾孙子女",
        NephewNiece = "nephew_niece": "之侄儿/之侄女", SiblingInLaw = "sibling_in_law": "之兄弟媳妇",
        Uncle = "uncle": "之叔伯", Other = "other": "其他",
    }
}
codes! {
    /// A9 政治面貌.
    pub enum Political {
        CpcMember = "cpc_member": "中共党员", CpcProbationary = "cpc_probationary": "中共预备党员",
        CylMember = "cyl_member": "共青团员", Masses = "masses": "群众",
    }
}
codes! {
    /// A10 健康状况.
    pub enum Health {
        Healthy = "healthy": "健康", Chronic = "chronic": "长期慢性病",
        SeriousIllness = "serious_illness": "患有大病", Disabled = "disabled": "残疾",
    }
}
codes! {
    /// A11 文化程度.
    pub enum Education {
        Illiterate = "illiterate": "文盲或半文盲", Primary = "primary": "小学", Junior = "junior": "初中",
        Senior = "senior": "高中（含中专）", College = "college": "大专", BachelorPlus = "bachelor_plus": "本科及以上",
        Preschool = "preschool": "学龄前",
    }
}
codes! {
    /// A12 劳动技能.
    pub enum Labor {
        Ordinary = "ordinary": "普通劳动力", Skilled = "skilled": "技能劳动力",
        Weak = "weak": "弱劳动力或半劳动力", Lost = "lost": "丧失劳动力", None = "none": "无劳动力",
    }
}
impl Labor {
    /// 有劳动能力: ordinary, skilled or weak.
    pub fn can_work(self) -> bool {
        matches!(self, Labor::Ordinary | Labor::Skilled | Labor::Weak)
    }
}
codes! {
    /// A13 务工区域.
    pub enum WorkArea {
        InTownship = "in_township": "乡（镇）内务工", InCounty = "in_county": "乡（镇）外县内务工",
        InProvince = "in_province": "县外省内务工", OutOfProvince = "out_of_province": "省外务工",
        Abroad = "abroad": "境外务工",
    }
}
impl WorkArea {
    /// Works outside the county (for 留守儿童).
    pub fn outside_county(self) -> bool {
        matches!(self, WorkArea::InProvince | WorkArea::OutOfProvince | WorkArea::Abroad)
    }
}

record_struct! {
/// 三 收支情况 (A21–A28), money in yuan.
pub struct Income {
    /// A21 生产经营性收入.
    #[serde(default, with = "money::opt")]
    #[cfg_attr(feature = "schema", schemars(with = "Option<Money>"))]
    pub production: Option<Money>,
    /// A22 工资性收入.
    #[serde(default, with = "money::opt")]
    #[cfg_attr(feature = "schema", schemars(with = "Option<Money>"))]
    pub wage: Option<Money>,
    /// A23 财产性收入.
    #[serde(default, with = "money::opt")]
    #[cfg_attr(feature = "schema", schemars(with = "Option<Money>"))]
    pub property: Option<Money>,
    /// A24 转移性收入.
    #[serde(default, with = "money::opt")]
    #[cfg_attr(feature = "schema", schemars(with = "Option<Money>"))]
    pub transfer: Option<Money>,
    /// A25 生产经营性支出.
    #[serde(default, with = "money::opt")]
    #[cfg_attr(feature = "schema", schemars(with = "Option<Money>"))]
    pub production_cost: Option<Money>,
    /// A28 其他支出 (empty reads as 0).
    #[serde(default, with = "money::opt")]
    #[cfg_attr(feature = "schema", schemars(with = "Option<Money>"))]
    pub other_expense: Option<Money>,
    /// A28 具体为.
    #[serde(default, deserialize_with = "text")]
    pub other_expense_note: String,
    #[serde(flatten)]
    pub extra: Extra,
}
}

object_reader!(Income {
    production: MoneyOpt,
    wage: MoneyOpt,
    property: MoneyOpt,
    transfer: MoneyOpt,
    production_cost: MoneyOpt,
    other_expense: MoneyOpt,
    other_expense_note: Text,
});

record_struct! {
/// 四 三保障和安全饮水 (A29–A32).
pub struct Guarantees {
    /// A29 有适龄儿童少年失学辍学.
    pub dropout: Option<bool>,
    /// A30 全部参加城乡居民基本医疗保险.
    pub all_insured: Option<bool>,
    /// A31 解决安全饮水.
    pub safe_water: Option<bool>,
    /// A31 如选否.
    #[serde(default, deserialize_with = "null_default")]
    pub water_issues: Vec<WaterIssue>,
    /// A32 危房.
    pub dangerous_house: Option<bool>,
    /// A32 如选是.
    pub house_grade: Option<HouseGrade>,
    #[serde(flatten)]
    pub extra: Extra,
}
}

object_reader!(Guarantees {
    dropout: Plain,
    all_insured: Plain,
    safe_water: Plain,
    water_issues: NullDefault,
    dangerous_house: Plain,
    house_grade: Plain,
});

codes! { /// A31 如选否.
pub enum WaterIssue { Quality = "quality": "水质不达标", Quantity = "quantity": "水量不达标" } }
codes! { /// A32 如选是.
pub enum HouseGrade { C = "c": "C级", D = "d": "D级", Unassessed = "unassessed": "存在隐患未鉴定" } }

record_struct! {
/// 五 风险研判: the people's decision.
pub struct Judgement {
    /// 是否存在致贫返贫风险.
    pub at_risk: Option<bool>,
    /// 是否需要新识别为监测对象.
    pub identify: Option<bool>,
    /// 选否填写具体原因 (also the 特殊档案's 研判结果).
    #[serde(default, deserialize_with = "text")]
    pub reason: String,
    #[serde(flatten)]
    pub extra: Extra,
}
}

object_reader!(Judgement { at_risk: Plain, identify: Plain, reason: Text });

record_struct! {
/// 六 监测对象风险类型 (A33, A33a).
pub struct Risk {
    /// A33: the first is the main risk.
    #[serde(default, deserialize_with = "null_default")]
    pub types: Vec<RiskType>,
    /// A33a, required with `natural_disaster`.
    #[serde(default, deserialize_with = "null_default")]
    pub disaster_types: Vec<DisasterType>,
    /// Text for `other`.
    #[serde(default, deserialize_with = "text")]
    pub other_note: String,
    #[serde(flatten)]
    pub extra: Extra,
}
}

object_reader!(Risk { types: NullDefault, disaster_types: NullDefault, other_note: Text });

codes! {
    /// A33 风险类型.
    pub enum RiskType {
        Illness = "illness": "因病", Schooling = "schooling": "因学", Disaster = "disaster": "因灾",
        Disability = "disability": "因残", NaturalDisaster = "natural_disaster": "因自然灾害",
        Accident = "accident": "因意外事故", Epidemic = "epidemic": "因疫情",
        IndustryFailure = "industry_failure": "因产业失败", UnstableEmployment = "unstable_employment": "因就业不稳定",
        LaborShortage = "labor_shortage": "因缺劳力", LackOfDrive = "lack_of_drive": "因发展动力不足",
        Other = "other": "其他",
    }
}
codes! {
    /// A33a 因自然灾害.
    pub enum DisasterType {
        Flood = "flood": "洪涝灾害", Geological = "geological": "地质灾害", Drought = "drought": "旱灾",
        Biological = "biological": "生物灾害（虫灾）", Meteorological = "meteorological": "气象灾害",
        Other = "other": "其他（森林草原、地震、海洋灾害等）",
    }
}

/// One assistance measure (A34–A45): `applied`, the ticked items, and `other` text.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(bound(serialize = "T: Serialize"))]
pub struct Measure<T> {
    #[serde(default)]
    pub applied: Option<bool>,
    #[serde(default = "Vec::new", deserialize_with = "null_default")]
    #[cfg_attr(feature = "schema", schemars(default))]
    pub items: Vec<T>,
    #[serde(default, deserialize_with = "text")]
    pub other: String,
    #[serde(flatten)]
    pub extra: Extra,
}

object_reader!(Measure<T> { applied: Plain, items: NullDefault, other: Text });

impl<T> Default for Measure<T> {
    fn default() -> Self {
        Measure { applied: None, items: Vec::new(), other: String::new(), extra: Extra::new() }
    }
}

record_struct! {
/// A36 金融帮扶: 脱贫人口小额信贷.
pub struct FinanceMeasure {
    #[serde(default)]
    pub applied: Option<bool>,
    /// No items for this measure; kept for the common shape.
    #[serde(default, deserialize_with = "null_default")]
    pub items: Vec<NoItem>,
    #[serde(default, deserialize_with = "text")]
    pub other: String,
    /// 贷款时间.
    #[serde(default)]
    pub loan_date: Option<NaiveDate>,
    /// 贷款期限（月）.
    #[serde(default)]
    pub loan_term_months: Option<u32>,
    /// 贷款金额（万元）.
    #[serde(default, with = "money::opt")]
    #[cfg_attr(feature = "schema", schemars(with = "Option<Money>"))]
    pub loan_amount_wan: Option<Money>,
    #[serde(flatten)]
    pub extra: Extra,
}
}

object_reader!(FinanceMeasure {
    applied: Plain,
    items: NullDefault,
    other: Text,
    loan_date: Plain,
    loan_term_months: Plain,
    loan_amount_wan: MoneyOpt,
});

codes! { /// Measures without items (A36, A45).
pub enum NoItem {} }

record_struct! {
/// 七 监测对象帮扶措施 (A34–A45).
pub struct Measures {
    /// A34 产业帮扶.
    #[serde(default)]
    pub industry: Measure<IndustryItem>,
    /// A35 就业帮扶.
    #[serde(default)]
    pub employment: Measure<EmploymentItem>,
    /// A36 金融帮扶.
    #[serde(default)]
    pub finance: FinanceMeasure,
    /// A37 生态帮扶.
    #[serde(default)]
    pub ecology: Measure<EcologyItem>,
    /// A38 公益岗位帮扶.
    #[serde(default)]
    pub public_post: Measure<PublicPostItem>,
    /// A39 教育帮扶.
    #[serde(default)]
    pub education: Measure<EducationItem>,
    /// A40 健康帮扶.
    #[serde(default)]
    pub health: Measure<HealthItem>,
    /// A41 生活条件改善.
    #[serde(default)]
    pub living: Measure<LivingItem>,
    /// A42 基础设施建设.
    #[serde(default)]
    pub infrastructure: Measure<InfrastructureItem>,
    /// A43 综合保障.
    #[serde(default)]
    pub social_security: Measure<SocialSecurityItem>,
    /// A44 扶志扶智.
    #[serde(default)]
    pub motivation: Measure<MotivationItem>,
    /// A45 其他.
    #[serde(default)]
    pub other: Measure<NoItem>,
    #[serde(flatten)]
    pub extra: Extra,
}
}

object_reader!(Measures {
    industry: Plain,
    employment: Plain,
    finance: Plain,
    ecology: Plain,
    public_post: Plain,
    education: Plain,
    health: Plain,
    living: Plain,
    infrastructure: Plain,
    social_security: Plain,
    motivation: Plain,
    other: Plain,
});

codes! {
    /// A34 产业帮扶.
    pub enum IndustryItem {
        IndustrySubsidy = "industry_subsidy": "产业奖补项目",
        BenefitLinkage = "benefit_linkage": "托管托养、入股分红、集体经济、资产收益等利益联结机制类项目",
        PvIncome = "pv_income": "光伏扶贫收益", TourismEcommerce = "tourism_ecommerce": "旅游电商项目",
        Other = "other": "其他",
    }
}
codes! {
    /// A35 就业帮扶.
    pub enum EmploymentItem {
        Workshop = "workshop": "扶贫车间就业", WorkRelief = "work_relief": "以工代赈",
        EnterpriseCoop = "enterprise_coop": "企业、合作社务工", IndustrialPark = "industrial_park": "产业园区、基地务工",
        ProductionTraining = "production_training": "生产经营技术培训", SkillsTraining = "skills_training": "岗位、务工等劳动技能培训",
        TransportSubsidy = "transport_subsidy": "交通补助", LaborSubsidy = "labor_subsidy": "劳务补助",
        GovPlacement = "gov_placement": "其他政府安置、引导就业", Other = "other": "其他",
    }
}
codes! {
    /// A37 生态帮扶.
    pub enum EcologyItem {
        EcoRanger = "eco_ranger": "生态护林员", ForestRanger = "forest_ranger": "公益林护林员",
        GrasslandRanger = "grassland_ranger": "护草员", EcoIndustry = "eco_industry": "生态扶贫产业项目",
        Reforestation = "reforestation": "新增退耕还林项目", Other = "other": "其他",
    }
}
codes! {
    /// A38 公益岗位帮扶.
    pub enum PublicPostItem {
        Cleaner = "cleaner": "保洁员", WaterKeeper = "water_keeper": "护水员", RoadKeeper = "road_keeper": "护路员",
        Informant = "informant": "信息员", BorderGuard = "border_guard": "护边员", Carer = "carer": "护理员",
        SecurityAide = "security_aide": "治安协管员", PvKeeper = "pv_keeper": "光伏电站管护员", Other = "other": "其他",
    }
}
codes! {
    /// A39 教育帮扶.
    pub enum EducationItem {
        PersuadeReturn = "persuade_return": "劝返措施", HomeTeaching = "home_teaching": "送教上门措施",
        LivingTransportSubsidy = "living_transport_subsidy": "生活费、交通费补贴", YuluPlan = "yulu_plan": "雨露计划",
        StudentLoan = "student_loan": "助学贷款", Grant = "grant": "享受助学金", Other = "other": "其他",
    }
}
codes! {
    /// A40 健康帮扶.
    pub enum HealthItem {
        InsuranceSubsidy = "insurance_subsidy": "城乡居民基本医疗保险费补贴",
        SeriousIllnessTreatment = "serious_illness_treatment": "大病救治",
        MedicalAssistance = "medical_assistance": "医疗救助", Other = "other": "其他",
    }
}
codes! {
    /// A41 生活条件改善.
    pub enum LivingItem {
        Water = "water": "安全饮水改造", Housing = "housing": "房屋改造", Toilet = "toilet": "厕所改造",
        AccessRoad = "access_road": "入户路改造", Other = "other": "其他",
    }
}
codes! {
    /// A42 基础设施建设.
    pub enum InfrastructureItem {
        VillageRoad = "village_road": "通村组硬化路", ProductionPower = "production_power": "通生产用电",
        HouseholdPower = "household_power": "通生活用电", Broadband = "broadband": "光纤宽带接入",
        IndustryRoad = "industry_road": "产业路", Irrigation = "irrigation": "小型农田水利设施",
        Clinic = "clinic": "建造卫生室", Venue = "venue": "建造活动场所", Other = "other": "其他",
    }
}
codes! {
    /// A43 综合保障.
    pub enum SocialSecurityItem {
        Dibao = "dibao": "低保", Tekun = "tekun": "特困供养", PensionPremium = "pension_premium": "代缴养老保险费",
        DisabilityLivingSubsidy = "disability_living_subsidy": "困难残疾人生活补贴",
        SevereDisabilityCareSubsidy = "severe_disability_care_subsidy": "重度残疾人护理补贴",
        TemporaryAssistance = "temporary_assistance": "政府临时救助",
        CollectiveIncomeAid = "collective_income_aid": "集体经济收入救助",
        IndustryDividend = "industry_dividend": "扶贫产业收益直接分红",
        PovertyInsurance = "poverty_insurance": "防贫保", Other = "other": "其他",
    }
}
codes! {
    /// A44 扶志扶智.
    pub enum MotivationItem {
        Training = "training": "教育培训", EmploymentGuidance = "employment_guidance": "引导就业",
        IndustryGuidance = "industry_guidance": "引导发展产业", ConsumptionAid = "consumption_aid": "消费帮扶、订单农业",
        MaterialReward = "material_reward": "物质奖励", Other = "other": "其他",
    }
}

/// The twelve measures by key, form code and label, for loops in rules and UI.
pub const MEASURE_KEYS: [(&str, &str, &str); 12] = [
    ("industry", "A34", "产业帮扶"),
    ("employment", "A35", "就业帮扶"),
    ("finance", "A36", "金融帮扶"),
    ("ecology", "A37", "生态帮扶"),
    ("public_post", "A38", "公益岗位帮扶"),
    ("education", "A39", "教育帮扶"),
    ("health", "A40", "健康帮扶"),
    ("living", "A41", "生活条件改善"),
    ("infrastructure", "A42", "基础设施建设"),
    ("social_security", "A43", "综合保障"),
    ("motivation", "A44", "扶志扶智"),
    ("other", "A45", "其他"),
];

impl Measures {
    /// `applied` of each measure, in the order of [`MEASURE_KEYS`].
    pub fn applied(&self) -> [Option<bool>; 12] {
        [
            self.industry.applied,
            self.employment.applied,
            self.finance.applied,
            self.ecology.applied,
            self.public_post.applied,
            self.education.applied,
            self.health.applied,
            self.living.applied,
            self.infrastructure.applied,
            self.social_security.applied,
            self.motivation.applied,
            self.other.applied,
        ]
    }
}

record_struct! {
/// 八 监测对象风险消除 (A46–A49).
pub struct Elimination {
    /// A46 风险是否消除.
    pub eliminated: Option<bool>,
    /// A47 风险消除方式.
    pub method: Option<EliminationMethod>,
    /// A48 是否在全国防返贫监测系统内标注风险消除.
    pub marked_in_system: Option<bool>,
    /// A49 风险消除时间间隔（月）.
    pub months: Option<u32>,
    #[serde(flatten)]
    pub extra: Extra,
}
}

object_reader!(Elimination {
    eliminated: Plain,
    method: Plain,
    marked_in_system: Plain,
    months: Plain
});

codes! { /// A47 风险消除方式.
pub enum EliminationMethod { Natural = "natural": "自然消除", Assisted = "assisted": "帮扶消除" } }

record_struct! {
/// A photo of evidence (佐证材料) or a signature.
pub struct Attachment {
    pub id: Uuid,
    pub kind: Option<AttachmentKind>,
    #[serde(default, deserialize_with = "text")]
    pub caption: String,
    #[serde(default, deserialize_with = "text")]
    pub mime: String,
    #[serde(default, deserialize_with = "text")]
    pub sha256: String,
    /// Base64 of the bytes. In an exported file every attachment's `data` is filled; in the
    /// app's store a photo's is empty (its bytes are kept beside the record) and a
    /// signature's SVG stays here.
    #[serde(default, deserialize_with = "text")]
    pub data: String,
    // Added by ruhu (issue 15), all optional: absent, empty or `null` in older records, and
    // not written when empty, so a record without them is written as before.
    /// The length of the decoded bytes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bytes: Option<u64>,
    /// Photos: pixels after resizing.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub width: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub height: Option<u32>,
    /// When it was captured in the app, RFC 3339 with its offset.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub taken_at: Option<String>,
    /// The JSON path of what it documents, written as diagnostics write paths: `""` the
    /// household (the section 佐证材料), `members[2].health`, `guarantees.dangerous_house`,
    /// `income.other_expense`; `signatures` for a signature.
    #[serde(default, deserialize_with = "text", skip_serializing_if = "String::is_empty")]
    pub path: String,
    /// The member it concerns (stable when members are reordered).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub member: Option<Uuid>,
    /// Signatures: who signs (本户排查人, 风险研判人, 户主).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<SignRole>,
    /// Signatures: the signer's name.
    #[serde(default, deserialize_with = "text", skip_serializing_if = "String::is_empty")]
    pub signer: String,
    /// Signatures: the digest of the record when it was signed (hex SHA-256 of the record
    /// without its signatures and bookkeeping: ruhu's `evidence::content_digest`).
    #[serde(default, deserialize_with = "text", skip_serializing_if = "String::is_empty")]
    pub signed_digest: String,
    #[serde(flatten)]
    pub extra: Extra,
}
}

object_reader!(Attachment required(id) {
    id: Plain, kind: Plain, caption: Text, mime: Text, sha256: Text, data: Text,
    bytes: Plain, width: Plain, height: Plain, taken_at: Plain, path: Text, member: Plain,
    role: Plain, signer: Text, signed_digest: Text,
});

codes! { /// Attachment kind.
pub enum AttachmentKind { Photo = "photo": "照片", Signature = "signature": "签名" } }

codes! { /// Who signs a record (the paper form's signature lines).
pub enum SignRole { Surveyor = "surveyor": "本户排查人", Assessor = "assessor": "风险研判人", Head = "head": "户主" } }

/// Defaults for a new record in 莫旗.
pub const DEFAULT_BANNER: &str = "莫力达瓦达斡尔族自治旗";
pub const DEFAULT_TOWNSHIP: &str = "额尔和乡";

impl Household {
    /// A new, empty draft for a household seen on `visit_date`, with the form's defaults
    /// (莫旗, 额尔和乡, A2 否, the 12-month income period ending on the visit).
    pub fn new(
        id: Uuid,
        household_id: Uuid,
        now: DateTime<FixedOffset>,
        visit_date: NaiveDate,
    ) -> Household {
        let (start, end) = super::dates::default_period(visit_date);
        Household {
            format: HOUSEHOLD_FORMAT.to_string(),
            id,
            household_id,
            revision: 1,
            status: Status::Draft,
            created_at: Timestamp(now),
            updated_at: Timestamp(now),
            visit: Visit {
                date: Some(visit_date),
                period_start: Some(start),
                period_end: Some(end),
                ..Default::default()
            },
            address: Address {
                banner: DEFAULT_BANNER.to_string(),
                township: DEFAULT_TOWNSHIP.to_string(),
                ..Default::default()
            },
            resettlement_site: Some(false),
            ..Default::default()
        }
    }

    /// The revision after this one: `revision + 1`, saturating at 2⁵³−1
    /// ([`crate::lineage::next_revision`]; never wraps).
    pub fn next_revision(&self) -> u64 {
        super::lineage::next_revision(self.revision)
    }

    /// The head's name, or the first member's, for lists and file names.
    pub fn head_name(&self) -> &str {
        self.members
            .iter()
            .find(|m| m.relation == Some(Relation::Head))
            .or(self.members.first())
            .map(|m| m.name.as_str())
            .unwrap_or("")
    }

    /// Whether the household is a monitoring object.
    pub fn is_monitored(&self) -> bool {
        self.category.is_some_and(Category::is_monitored)
    }
}

impl Member {
    /// A new empty member with a fresh id.
    pub fn new(id: Uuid) -> Member {
        Member { id, ..Default::default() }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every key the derive writes is a key its `object_reader!` knows: a record with every
    /// kind of object, written and read back, is the same record with nothing in any `extra`.
    /// (A field added to a struct but not to its reader would come back in `extra`.)
    #[test]
    fn every_written_key_is_read_back_into_its_field() {
        let mut h = crate::testkit::household().previous(3).build();
        h.members.push(Member::new(Uuid::from_u128(4)));
        h.attachments.push(Attachment { id: Uuid::from_u128(5), ..Attachment::default() });
        h.income.wage = Some(Money::parse("100.00"));
        h.measures.finance.loan_amount_wan = Some(Money::parse("1.00"));
        let base = h.clone();
        crate::lineage::save(&mut h, &base, &crate::lineage::DeviceId::new("a").unwrap());
        let text = String::from_utf8(crate::json::to_vec(&h)).unwrap();
        let back: Household = serde_json::from_str(&text).unwrap();
        assert_eq!(back, h);
        let extras = [
            &back.extra,
            &back.visit.extra,
            &back.address.extra,
            &back.monitoring.extra,
            &back.members[0].extra,
            &back.income.extra,
            &back.guarantees.extra,
            &back.judgement.extra,
            &back.risk.extra,
            &back.measures.extra,
            &back.measures.industry.extra,
            &back.measures.finance.extra,
            &back.elimination.extra,
            &back.attachments[0].extra,
            &back.lineage.as_ref().expect("lineage read back").extra,
        ];
        assert!(extras.iter().all(|e| e.is_empty()), "{text}");
    }
}
