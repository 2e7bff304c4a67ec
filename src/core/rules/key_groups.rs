//! 重点人群 (the notice 一（二）): who in the household belongs to a key group.

use super::{member_path, Facts, Rule, RuleCode};
use crate::evaluation::{KeyGroup, MemberGroups};
use crate::record::{Health, IdType, Labor, Relation};

/// A child's parents among the members, by relation to the head: head and spouse for a son
/// or daughter; the head's children and their spouses for a grandchild. `None` for other
/// relations (the form does not say who their parents are).
fn parent_relations(r: Relation) -> Option<&'static [Relation]> {
    use Relation::*;
    match r {
        Son | Daughter => Some(&[Head, Spouse]),
        Grandson | Granddaughter | DaughterGrandson | DaughterGranddaughter => {
            Some(&[Son, Daughter, DaughterInLaw, SonInLaw])
        }
        _ => None,
    }
}

/// The key groups of every member (only members in at least one group are listed).
pub fn compute(f: &Facts) -> Vec<MemberGroups> {
    let mut out = Vec::new();
    for (_, m, mf) in f.members() {
        let mut groups = Vec::new();
        if m.health.contains(&Health::SeriousIllness) {
            groups.push(KeyGroup::SeriousIllness);
        }
        if m.health.contains(&Health::Chronic) {
            groups.push(KeyGroup::Chronic);
        }
        if m.id_type == Some(IdType::DisabilityCert)
            && mf.info().and_then(|i| i.disability_grade).is_some_and(|g| g <= 2)
        {
            groups.push(KeyGroup::SevereDisability);
        }
        if m.tekun == Some(true) {
            groups.push(KeyGroup::Tekun);
        }
        if let (Some(age), Some(parents)) = (mf.age, m.relation.and_then(parent_relations)) {
            // A member under 16 cannot be anyone's parent (a young aunt or uncle living at
            // home does not make a nephew "not left behind"); unknown ages still count.
            let away = f
                .members()
                .filter(|(_, p, pf)| {
                    p.relation.is_some_and(|r| parents.contains(&r))
                        && pf.age.is_none_or(|a| a >= 16)
                })
                .all(|(_, p, _)| p.work_area.is_some_and(|w| w.outside_county()));
            if age < 16 && away {
                groups.push(KeyGroup::LeftBehindChild);
            }
        }
        if mf.age.is_some_and(|a| a >= 60) && m.labor == Some(Labor::Lost) {
            groups.push(KeyGroup::DisabledElderly);
        }
        if !groups.is_empty() {
            out.push(MemberGroups { member_id: m.id, groups });
        }
    }
    out
}

pub static KEY_GROUP: Rule = Rule {
    title: "重点人群",
    why: "通知一（二）：重点关注有大病重病和负担较重的慢性病患者、重度残疾人、留守儿童和困境儿童、分散供养特困人员、失能老年人口等特殊群众家庭；未纳入监测的要逐户注明研判结果。",
    after_risks: false,
    check: |f, out| {
        // The most frequent finding: one string, written in place.
        use std::fmt::Write;
        for (i, m, mf) in f.members() {
            let Some(groups) = super::groups_of(f, m.id) else { continue };
            let mut msg = String::with_capacity(96);
            let _ = write!(msg, "第{}位成员{}", i + 1, m.name);
            if let Some(age) = mf.age {
                let _ = write!(msg, "（{age}岁）");
            }
            msg.push_str("属于重点人群：");
            for (k, g) in groups.iter().enumerate() {
                if k > 0 {
                    msg.push('、');
                }
                msg.push_str(g.label());
            }
            msg.push('。');
            out.push(msg, vec![member_path(i, "name")]);
        }
    },
    ..Rule::of(RuleCode::KeyGroup)
};
