//! Prefilled drafts (避免重复入户): one draft `ruhu.household/1` record per roster household,
//! written as a `ruhu.export/1` batch that a surveyor imports like any other file.
//!
//! **What a draft holds**: the address (县/乡/行政村/自然村; the form's defaults 莫旗/额尔和乡
//! where the roster has no such column, as a new record has), the category when the roster
//! names one (`exited` — 脱贫户 without 享受政策 or not — stays unanswered: choosing one of
//! the two would be a guess), A2 否 (莫旗 has no resettlement site: the form's default), the
//! phone, `monitoring.identified_on` (the day, or the first day of the month when the roster
//! gives only `202206`: `identified-on-differs` compares months, so this never reports a
//! difference of its own), the risk types (A33: 已监测的对照系统核实), 风险是否消除 and its
//! method (A46, A47) and, when the system says eliminated, A48 标注风险消除 (the roster *is*
//! the system), and every member with every answer the roster gives (name, sex, 证件类型, ID,
//! relation, 民族, 政治面貌, 健康状况, 文化程度, 劳动技能, 务工区域, A14–A19). The head is
//! listed first, the others in roster order. Everything else (the visit, income, 三保障, the
//! judgement, measures, A20) stays unanswered: the visit asks it.
//!
//! **No visit date**: a draft is not a visit. It is 待入户 until the surveyor records the
//! visit (sets `visit.date`); the reconciliation counts an undated record as not visited.
//!
//! **Where it came from**: the top-level key `roster` (a key the app adds; the record keeps
//! it in `extra` and writes it back, and a follow-up visit copies it):
//! `{ "file": "花名册.xlsx", "household_no": "…" | null, "household": RosterHousehold,
//! "member_ids": [UUID, …] }` — the roster's own values as read (typed, under the record's
//! key names) and, for each roster person in order, the id of the member made from them, so
//! that the form can mark what the surveyor changed against the roster.
//!
//! **Ids are deterministic** (UUID v5 in [`NAMESPACE`]) from the household's key
//! ([`RosterHousehold::key`]: 户编号, else the head's ID, else its row): exporting the same
//! roster twice gives the same record, household and member ids, so a second import of the
//! drafts is recognised as the same records, not as new households.

use chrono::{DateTime, FixedOffset, NaiveDate};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::{Roster, RosterHousehold};
use crate::policy::Policy;
use crate::record::{
    Address, Household, Member, Monitoring, Relation, Status, Timestamp, DEFAULT_BANNER,
    DEFAULT_TOWNSHIP, HOUSEHOLD_FORMAT,
};

/// The namespace of the drafts' UUIDs (v5).
pub const NAMESPACE: Uuid = Uuid::from_u128(0x6a1f_3c0e_9b2d_4e57_8c11_72d0_5e4b_a903);

/// The record key holding where a draft came from.
pub const ORIGIN_KEY: &str = "roster";

/// The `roster` key of a draft.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RosterOrigin {
    pub file: String,
    pub household_no: Option<String>,
    /// The roster's own values.
    pub household: RosterHousehold,
    /// The member made from each of `household.persons`, in the same order.
    pub member_ids: Vec<Uuid>,
}

/// The `roster` key of a record, when it has one that reads.
pub fn origin(h: &Household) -> Option<RosterOrigin> {
    serde_json::from_value(h.extra.get(ORIGIN_KEY)?.clone()).ok()
}

/// The 户编号 a record carries in its `roster` key (without reading the rest).
pub fn household_no(h: &Household) -> Option<&str> {
    h.extra.get(ORIGIN_KEY)?.get("household_no")?.as_str().filter(|s| !s.is_empty())
}

fn uuid(kind: &str, key: &str) -> Uuid {
    Uuid::new_v5(&NAMESPACE, format!("ruhu.roster/1 {kind} {key}").as_bytes())
}

/// The draft of one roster household, made at `now`.
pub fn draft(file: &str, h: &RosterHousehold, now: DateTime<FixedOffset>) -> Household {
    let key = h.key();
    let member_ids: Vec<Uuid> = h
        .persons
        .iter()
        .map(|p| {
            let person = crate::id_number::person_key(&p.id_number)
                .unwrap_or_else(|| format!("第 {} 行", p.row));
            uuid("member", &format!("{key} {person}"))
        })
        .collect();
    let mut members: Vec<Member> = h
        .persons
        .iter()
        .zip(&member_ids)
        .map(|(p, id)| Member {
            id: *id,
            name: p.name.clone(),
            sex: p.sex,
            id_type: p.id_type,
            id_number: p.id_number.clone(),
            relation: p.relation,
            ethnicity: p.ethnicity.clone(),
            political: p.political,
            health: p.health.clone(),
            education: p.education,
            labor: p.labor,
            work_area: p.work_area,
            medical_insurance: p.medical_insurance,
            critical_illness_insurance: p.critical_illness_insurance,
            medical_assistance: p.medical_assistance,
            dibao: p.dibao,
            tekun: p.tekun,
            pension_insurance: p.pension_insurance,
            ..Member::default()
        })
        .collect();
    // The head first, the others in roster order (a stable sort).
    members.sort_by_key(|m| m.relation != Some(Relation::Head));
    let or =
        |s: &str, default: &str| if s.is_empty() { default.to_string() } else { s.to_string() };
    let mut d = Household {
        format: HOUSEHOLD_FORMAT.to_string(),
        id: uuid("record", &key),
        household_id: uuid("household", &key),
        revision: 1,
        status: Status::Draft,
        created_at: Timestamp(now),
        updated_at: Timestamp(now),
        address: Address {
            banner: or(&h.address.banner, DEFAULT_BANNER),
            township: or(&h.address.township, DEFAULT_TOWNSHIP),
            village: h.address.village.clone(),
            group: h.address.group.clone(),
            ..Address::default()
        },
        category: h.category.and_then(|c| c.category()),
        resettlement_site: Some(false),
        phone: h.phone.clone(),
        monitoring: Monitoring {
            identified_on: h.identified.map(|d| d.first_day()),
            ..Monitoring::default()
        },
        members,
        ..Household::default()
    };
    d.risk.types = h.risks.clone();
    d.elimination.eliminated = h.eliminated;
    d.elimination.method = h.elimination_method;
    if h.eliminated == Some(true) {
        d.elimination.marked_in_system = Some(true);
    }
    let origin = RosterOrigin {
        file: file.to_string(),
        household_no: h.household_no.clone(),
        household: h.clone(),
        member_ids,
    };
    d.extra.insert(ORIGIN_KEY.to_string(), crate::json::to_value(&origin));
    d
}

/// The drafts of every household of a village (`Some`), or of the whole roster.
pub fn drafts(
    roster: &Roster,
    village: Option<&str>,
    now: DateTime<FixedOffset>,
) -> Vec<Household> {
    roster
        .households
        .iter()
        .filter(|h| village.is_none_or(|v| h.address.village == v))
        .map(|h| draft(&roster.file, h, now))
        .collect()
}

/// Whether a record is a roster draft not visited yet (待入户): it has a `roster` key and no
/// visit date.
pub fn is_pending(h: &Household) -> bool {
    h.visit.date.is_none() && h.extra.contains_key(ORIGIN_KEY)
}

/// The answers of a record made from a roster draft that differ from what the roster
/// prefilled, as [`crate::followup::changes`] names them (`category`,
/// `members[2].relation`, `members[3]` for a member the roster does not list,
/// `members-removed:张小` for a roster person no longer listed). An answer the roster left
/// open and the visit gave is not a change. Empty for a record without a `roster` key.
/// (The draft is made again from the key's roster values: the same ids, the same answers.)
pub fn changed_against_roster(h: &Household) -> Vec<String> {
    let Some(o) = origin(h) else { return Vec::new() };
    let prefilled = draft(&o.file, &o.household, h.created_at.0);
    let before = crate::json::to_value(&prefilled);
    let members: std::collections::HashMap<Uuid, serde_json::Value> =
        prefilled.members.iter().map(|m| (m.id, crate::json::to_value(m))).collect();
    let answered = |path: &str| -> bool {
        let given = |v: Option<&serde_json::Value>| match v {
            None | Some(serde_json::Value::Null) => false,
            Some(serde_json::Value::String(s)) => !s.is_empty(),
            Some(serde_json::Value::Array(a)) => !a.is_empty(),
            Some(_) => true,
        };
        if path.starts_with("members-removed:") {
            return true;
        }
        if let Some(rest) = path.strip_prefix("members[") {
            let Some((i, key)) = rest.split_once(']') else { return true };
            let Some(key) = key.strip_prefix('.') else { return true };
            let m = i.parse::<usize>().ok().and_then(|i| h.members.get(i));
            let old = m.and_then(|m| members.get(&m.id));
            let pointer = format!("/{}", key.replace('.', "/"));
            return given(old.and_then(|o| o.pointer(&pointer)));
        }
        given(before.pointer(&format!("/{}", path.replace('.', "/"))))
    };
    crate::followup::changes(&prefilled, h).into_iter().filter(|p| answered(p)).collect()
}

/// The `ruhu.export/1` batch of [`drafts`] (through the io writer: each with its
/// `computed` block under `policy`).
pub fn write_drafts(
    roster: &Roster,
    village: Option<&str>,
    policy: &Policy,
    now: DateTime<FixedOffset>,
    today: NaiveDate,
) -> String {
    crate::io::write_batch(&drafts(roster, village, now), policy, now, today)
}
