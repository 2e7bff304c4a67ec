//! Risks and warnings from 三保障和安全饮水 (A29–A32) and the members' insurance.

use super::{member_name, member_path, Rule, RuleCode};
use crate::record::HouseGrade;

pub static DROPOUT: Rule = Rule {
    title: "义务教育保障未落实",
    why: "“两不愁三保障”之一：义务教育有保障。有适龄儿童少年失学辍学即存在风险（通知一（一））。",
    after_risks: false,
    check: |f, out| {
        if f.h.guarantees.dropout == Some(true) {
            out.push(
                "家中有适龄儿童少年失学辍学（A29），义务教育保障未落实。".into(),
                vec!["guarantees.dropout".into()],
            );
        }
    },
    ..Rule::of(RuleCode::Dropout)
};

pub static UNINSURED: Rule = Rule {
    title: "基本医疗保障未落实",
    why: "“三保障”之一：基本医疗有保障。通知三（二）要求对未参保的脱贫人口和监测对象建立核实核查台账。",
    after_risks: false,
    check: |f, out| {
        let g = &f.h.guarantees;
        let uninsured: Vec<(usize, String)> = f
            .members()
            .filter(|(_, m, _)| m.medical_insurance == Some(false))
            .map(|(i, m, _)| (i, member_name(i, m)))
            .collect();
        if uninsured.is_empty() && g.all_insured != Some(false) {
            return;
        }
        let mut paths = vec!["guarantees.all_insured".to_string()];
        paths.extend(uninsured.iter().map(|(i, _)| member_path(*i, "medical_insurance")));
        let msg = if uninsured.is_empty() {
            "A30 填写家庭成员未全部参加城乡居民基本医疗保险，基本医疗保障未落实。".to_string()
        } else {
            let names: Vec<&str> = uninsured.iter().map(|(_, n)| n.as_str()).collect();
            format!("有 {} 名成员未参加城乡居民基本医疗保险（{}），基本医疗保障未落实。", uninsured.len(), names.join("、"))
        };
        out.push(msg, paths);
    },
    ..Rule::of(RuleCode::Uninsured)
};

pub static UNSAFE_WATER: Rule = Rule {
    title: "饮水安全未解决",
    why: "“两不愁三保障”及饮水安全：未解决安全饮水即存在风险，可通过安全饮水改造等行业措施解决。",
    after_risks: false,
    check: |f, out| {
        let g = &f.h.guarantees;
        if g.safe_water == Some(false) {
            let issues: Vec<&str> = g.water_issues.iter().map(|w| w.label()).collect();
            let detail = if issues.is_empty() {
                String::new()
            } else {
                format!("（{}）", issues.join("、"))
            };
            out.push(
                format!("未解决安全饮水{detail}，饮水安全保障未落实。"),
                vec!["guarantees.safe_water".into()],
            );
        }
    },
    ..Rule::of(RuleCode::UnsafeWater)
};

pub static UNSAFE_HOUSING: Rule = Rule {
    title: "住房安全未保障",
    why: "“三保障”之一：住房安全有保障。经鉴定为C级或D级危房的，住房安全保障未落实。",
    after_risks: false,
    check: |f, out| {
        let g = &f.h.guarantees;
        if g.dangerous_house == Some(true)
            && matches!(g.house_grade, Some(HouseGrade::C | HouseGrade::D))
        {
            let grade = g.house_grade.map(|x| x.label()).unwrap_or_default();
            out.push(
                format!("住房为{grade}危房，住房安全保障未落实。"),
                vec!["guarantees.dangerous_house".into(), "guarantees.house_grade".into()],
            );
        }
    },
    ..Rule::of(RuleCode::UnsafeHousing)
};

pub static HOUSING_UNASSESSED: Rule = Rule {
    title: "住房存在隐患未鉴定",
    why: "存在安全隐患而未鉴定的住房，在鉴定前按有风险对待（通知三（二）：住房存在隐患的要核实核查）。",
    after_risks: false,
    check: |f, out| {
        let g = &f.h.guarantees;
        if g.dangerous_house == Some(true) && g.house_grade == Some(HouseGrade::Unassessed) {
            out.push("住房存在安全隐患但尚未鉴定，请尽快鉴定住房安全等级。".into(), vec!["guarantees.house_grade".into()]);
        }
    },
    ..Rule::of(RuleCode::HousingUnassessed)
};

pub static INSURED_INCONSISTENT: Rule = Rule {
    title: "参保情况前后不一",
    why: "A30“是否全部参加基本医疗保险”应与每位成员的 A14 一致，不一致说明有一处填错。",
    after_risks: false,
    check: |f, out| {
        let g = &f.h.guarantees;
        let members = &f.h.members;
        let not: Vec<usize> = f
            .members()
            .filter(|(_, m, _)| m.medical_insurance == Some(false))
            .map(|(i, _, _)| i)
            .collect();
        let all = !members.is_empty() && members.iter().all(|m| m.medical_insurance == Some(true));
        if g.all_insured == Some(true) && !not.is_empty() {
            let mut paths = vec!["guarantees.all_insured".to_string()];
            paths.extend(not.iter().map(|i| member_path(*i, "medical_insurance")));
            out.push(
                format!("A30 填写全部参保，但有 {} 名成员的 A14 为未参保。", not.len()),
                paths,
            );
        } else if g.all_insured == Some(false) && all {
            out.push(
                format!("A30 填写未全部参保，但全部 {} 名成员的 A14 都为已参保。", members.len()),
                vec!["guarantees.all_insured".into()],
            );
        }
    },
    ..Rule::of(RuleCode::InsuredInconsistent)
};
