//! Errors: answers the form requires.

use super::{blank, member_name, member_path, Out, Rule, RuleCode};
use crate::record::MEASURE_KEYS;

pub static ANSWER_MISSING: Rule = Rule {
    title: "必答项未填写",
    why: "排查表的每一项都是研判依据：未答（空白）与答“否”不同，空白的表不能作为已完成记录上报。A28 其他支出可空（按 0 计）。",
    after_risks: false,
    check: |f, out| {
        let h = f.h;
        // Messages and paths are only made for what is missing: most records miss nothing.
        miss(out, blank(&h.address.village), "address.village", "家庭住址的村");
        miss(out, h.category.is_none(), "category", "A1 户属性");
        miss(out, h.visit.date.is_none(), "visit.date", "走访日期");
        for (i, m, _) in f.members() {
            let answers: [(bool, &str, &str); 17] = [
                (blank(&m.name), "name", "A3 姓名"),
                (m.sex.is_none(), "sex", "A4 性别"),
                (m.id_type.is_none(), "id_type", "A5 证件类型"),
                (blank(&m.id_number), "id_number", "A6 证件号码"),
                (m.relation.is_none(), "relation", "A7 与户主关系"),
                (blank(&m.ethnicity), "ethnicity", "A8 民族"),
                (m.political.is_none(), "political", "A9 政治面貌"),
                (m.health.is_empty(), "health", "A10 健康状况"),
                (m.education.is_none(), "education", "A11 文化程度"),
                (m.labor.is_none(), "labor", "A12 劳动技能"),
                (m.medical_insurance.is_none(), "medical_insurance", "A14 是否参加城乡居民基本医疗保险"),
                (m.critical_illness_insurance.is_none(), "critical_illness_insurance", "A15 是否参加大病保险"),
                (m.medical_assistance.is_none(), "medical_assistance", "A16 是否接受医疗救助"),
                (m.dibao.is_none(), "dibao", "A17 是否享受农村居民最低生活保障"),
                (m.tekun.is_none(), "tekun", "A18 是否享受特困供养"),
                (m.pension_insurance.is_none(), "pension_insurance", "A19 是否参加城乡居民基本养老保险"),
                (m.relocated.is_none(), "relocated", "A20 是否易地扶贫搬迁"),
            ];
            for (missing, key, label) in answers {
                if missing {
                    out.push(format!("{}的{label}未填写。", member_name(i, m)), vec![member_path(i, key)]);
                }
            }
        }
        let inc = &h.income;
        for (v, path, label) in [
            (&inc.production, "income.production", "A21 生产经营性收入（没有请填 0）"),
            (&inc.wage, "income.wage", "A22 工资性收入（没有请填 0）"),
            (&inc.property, "income.property", "A23 财产性收入（没有请填 0）"),
            (&inc.transfer, "income.transfer", "A24 转移性收入（没有请填 0）"),
            (&inc.production_cost, "income.production_cost", "A25 生产经营性支出（没有请填 0）"),
        ] {
            miss(out, v.is_none(), path, label);
        }
        let g = &h.guarantees;
        for (v, path, label) in [
            (g.dropout, "guarantees.dropout", "A29 是否有适龄儿童少年失学辍学"),
            (g.all_insured, "guarantees.all_insured", "A30 是否全部参加城乡居民基本医疗保险"),
            (g.safe_water, "guarantees.safe_water", "A31 是否解决安全饮水"),
            (g.dangerous_house, "guarantees.dangerous_house", "A32 是否危房"),
        ] {
            miss(out, v.is_none(), path, label);
        }
        if !f.monitored {
            miss(out, h.judgement.at_risk.is_none(), "judgement.at_risk", "风险研判：是否存在致贫返贫风险");
            miss(out, h.judgement.identify.is_none(), "judgement.identify", "风险研判：是否需要新识别为监测对象");
        }
        if f.monitoring_sections {
            miss(out, h.risk.types.is_empty(), "risk.types", "A33 风险类型");
            for ((key, code, label), applied) in MEASURE_KEYS.iter().zip(h.measures.applied()) {
                if applied.is_none() {
                    out.push(format!("{code} {label}（是/否）未填写。"), vec![format!("measures.{key}.applied")]);
                }
            }
            miss(out, h.elimination.eliminated.is_none(), "elimination.eliminated", "A46 风险是否消除");
        }
    },
    ..Rule::of(RuleCode::AnswerMissing)
};

/// Reports one unanswered question.
fn miss(out: &mut Out, missing: bool, path: &str, what: &str) {
    if missing {
        out.push(format!("{what}未填写。"), vec![path.to_string()]);
    }
}

pub static MEMBERS_MISSING: Rule = Rule {
    title: "没有家庭成员",
    why: "人均纯收入、重点人群和“三保障”都按家庭成员计算；没有成员的户无法研判。",
    after_risks: false,
    check: |f, out| {
        if f.h.members.is_empty() {
            out.push("还没有录入家庭成员，请至少录入户主。".into(), vec!["members".into()]);
        }
    },
    ..Rule::of(RuleCode::MembersMissing)
};

pub static SURVEYOR_MISSING: Rule = Rule {
    title: "未填本户排查人",
    why: "排查表须由本户排查人签字负责；没有排查人的记录无法追溯。",
    after_risks: false,
    check: |f, out| {
        if blank(&f.h.visit.surveyor) {
            out.push("未填写本户排查人。".into(), vec!["visit.surveyor".into()]);
        }
    },
    ..Rule::of(RuleCode::SurveyorMissing)
};

pub static ASSESSORS_TOO_FEW: Rule = Rule {
    title: "风险研判人不足2人",
    why: "排查表要求风险研判人不少于2人，研判结果须由两人以上共同作出。",
    after_risks: false,
    check: |f, out| {
        // Distinct non-blank names, counted without allocating (the list is short).
        let names = &f.h.visit.assessors;
        let distinct = (0..names.len())
            .filter(|&i| {
                !blank(&names[i]) && !names[..i].iter().any(|n| n.trim() == names[i].trim())
            })
            .count();
        if distinct < 2 {
            out.push(
                format!("风险研判人须不少于2人（不同的人），现有{distinct}人。"),
                vec!["visit.assessors".into()],
            );
        }
    },
    ..Rule::of(RuleCode::AssessorsTooFew)
};

pub static WATER_ISSUE_MISSING: Rule = Rule {
    title: "未选饮水问题",
    why: "A31 选“否”时须具体说明是水质还是水量不达标，饮水改造措施据此确定。",
    after_risks: false,
    check: |f, out| {
        let g = &f.h.guarantees;
        if g.safe_water == Some(false) && g.water_issues.is_empty() {
            out.push(
                "A31 未解决安全饮水，请选择具体问题：水质不达标或水量不达标。".into(),
                vec!["guarantees.water_issues".into()],
            );
        }
    },
    ..Rule::of(RuleCode::WaterIssueMissing)
};

pub static HOUSE_GRADE_MISSING: Rule = Rule {
    title: "未选危房等级",
    why: "A32 选“是”时须注明C级、D级或存在隐患未鉴定，住房保障措施据此确定。",
    after_risks: false,
    check: |f, out| {
        let g = &f.h.guarantees;
        if g.dangerous_house == Some(true) && g.house_grade.is_none() {
            out.push(
                "A32 是危房，请选择C级、D级或存在隐患未鉴定。".into(),
                vec!["guarantees.house_grade".into()],
            );
        }
    },
    ..Rule::of(RuleCode::HouseGradeMissing)
};

pub static DISASTER_TYPE_MISSING: Rule = Rule {
    title: "未选自然灾害类型",
    why: "表上注明“如选因自然灾害的，继续选填A33类型”；因灾识别绿色通道需要灾害类型。",
    after_risks: false,
    check: |f, out| {
        let r = &f.h.risk;
        if r.types.contains(&crate::record::RiskType::NaturalDisaster)
            && r.disaster_types.is_empty()
        {
            out.push(
                "风险类型含因自然灾害，请在 A33a 选择灾害类型。".into(),
                vec!["risk.disaster_types".into()],
            );
        }
    },
    ..Rule::of(RuleCode::DisasterTypeMissing)
};

pub static IDENTIFIED_ON_MISSING: Rule = Rule {
    title: "未填识别日期",
    why: "监测对象的帮扶消除期限（不少于半年）和“识别1年以上未消除”都从识别日期算起。",
    after_risks: false,
    check: |f, out| {
        if f.monitored && f.h.monitoring.identified_on.is_none() {
            out.push(
                format!(
                    "户属性为{}，请填写识别为监测对象的日期。",
                    f.h.category.map(|c| c.label()).unwrap_or("")
                ),
                vec!["monitoring.identified_on".into()],
            );
        }
    },
    ..Rule::of(RuleCode::IdentifiedOnMissing)
};

pub static ELIMINATION_METHOD_MISSING: Rule = Rule {
    title: "未选风险消除方式",
    why: "A46 风险已消除时须注明是自然消除还是帮扶消除（A47），两者的期限要求不同。",
    after_risks: false,
    check: |f, out| {
        if f.eliminated && f.h.elimination.method.is_none() {
            out.push(
                "A46 风险已消除，请选择 A47 风险消除方式。".into(),
                vec!["elimination.method".into()],
            );
        }
    },
    ..Rule::of(RuleCode::EliminationMethodMissing)
};

pub static JUDGEMENT_REASON_MISSING: Rule = Rule {
    title: "未纳入监测未注明原因",
    why: "通知要求：对“重点人群”未纳入监测的要逐户注明研判结果，说明未纳入原因，建立一般农户特殊档案。",
    after_risks: true,
    check: |f, out| {
        let j = &f.h.judgement;
        let key_group = !f.key_groups.is_empty();
        if !f.monitored && j.identify == Some(false) && (f.risk_found() || key_group) && blank(&j.reason) {
            let why = match (f.risk_found(), key_group) {
                (true, true) => format!("本户有风险信号（{}）且有重点人群成员", f.risk_titles()),
                (true, false) => format!("本户有风险信号（{}）", f.risk_titles()),
                _ => "本户有重点人群成员".to_string(),
            };
            out.push(format!("{why}，但研判为不纳入监测，请填写未纳入的具体原因。"), vec!["judgement.reason".into()]);
        }
    },
    ..Rule::of(RuleCode::JudgementReasonMissing)
};
