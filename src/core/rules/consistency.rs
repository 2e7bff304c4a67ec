//! Errors and warnings about the record's own consistency: members, IDs, phone, money, dates.

use super::{member_name, member_path, Rule, RuleCode};
use crate::money::Money;
use crate::record::{Health, Labor, Relation};

pub static HEAD_COUNT: Rule = Rule {
    title: "户主人数不对",
    why: "一户有且只有一位户主，“与户主关系”都以户主为准。",
    after_risks: false,
    check: |f, out| {
        let heads = f.h.members.iter().filter(|m| m.relation == Some(Relation::Head)).count();
        if !f.h.members.is_empty() && heads != 1 {
            let (msg, paths) = if heads == 0 {
                (
                    "家庭成员中没有户主，请把一位成员的与户主关系选为“户主”。".to_string(),
                    vec!["members".to_string()],
                )
            } else {
                (
                    format!("家庭成员中有{heads}位户主，一户只能有一位户主。"),
                    relation_paths(f, Relation::Head),
                )
            };
            out.push(msg, paths);
        }
    },
    ..Rule::of(RuleCode::HeadCount)
};

/// `members[i].relation` of every member with this relation.
fn relation_paths(f: &super::Facts, r: Relation) -> Vec<String> {
    f.members()
        .filter(|(_, m, _)| m.relation == Some(r))
        .map(|(i, _, _)| member_path(i, "relation"))
        .collect()
}

pub static SPOUSE_COUNT: Rule = Rule {
    title: "配偶多于一人",
    why: "“配偶”指户主的配偶，只能有一人；其他成员的配偶应选之儿媳、之女婿等。",
    after_risks: false,
    check: |f, out| {
        let spouses = f.h.members.iter().filter(|m| m.relation == Some(Relation::Spouse)).count();
        if spouses > 1 {
            out.push(
                format!("有{spouses}位成员的与户主关系为“配偶”，户主的配偶只能有一位。"),
                relation_paths(f, Relation::Spouse),
            );
        }
    },
    ..Rule::of(RuleCode::SpouseCount)
};

pub static ID_NUMBER_INVALID: Rule = Rule {
    title: "证件号码有误",
    why: "身份证号（GB 11643-1999）是全国防返贫监测信息系统识别一个人的依据，号码错一位就对不上系统；出生日期和校验码可以当场核对。",
    after_risks: false,
    check: |f, out| {
        for (i, m, mf) in f.members() {
            if let Some(Err(e)) = &mf.id {
                out.push(format!("{}的证件号码有误：{e}。", member_name(i, m)), vec![member_path(i, "id_number")]);
            }
        }
    },
    ..Rule::of(RuleCode::IdNumberInvalid)
};

pub static ID_NUMBER_DUPLICATE: Rule = Rule {
    title: "证件号码重复",
    why: "同一个人不能在一户中登记两次；重复的号码多半是抄错了其中一个。",
    after_risks: false,
    check: |f, out| {
        // A household has a handful of members: compare pairs, no map.
        let keys = &f.members;
        let same = |j: usize, key: &[u8; 18]| keys[j].person_key.as_ref() == Some(key);
        for (i, mf) in keys.iter().enumerate() {
            let Some(key) = &mf.person_key else { continue };
            // Report each group once, at its first member.
            if (0..i).any(|j| same(j, key)) || !(i + 1..keys.len()).any(|j| same(j, key)) {
                continue;
            }
            let group: Vec<usize> = (i..keys.len()).filter(|&j| same(j, key)).collect();
            let names: Vec<String> =
                group.iter().map(|&j| member_name(j, &f.h.members[j])).collect();
            out.push(
                format!(
                    "{}的身份证号相同（{}），同一人不能重复登记。",
                    names.join("和"),
                    super::key_str(key)
                ),
                group.iter().map(|&j| member_path(j, "id_number")).collect(),
            );
        }
    },
    ..Rule::of(RuleCode::IdNumberDuplicate)
};

pub static ID_SEX_MISMATCH: Rule = Rule {
    title: "性别与身份证号不符",
    why: "身份证号第17位奇数为男、偶数为女；不符说明性别或号码有一处填错。",
    after_risks: false,
    check: |f, out| {
        for (i, m, mf) in f.members() {
            if let (Some(info), Some(sex)) = (mf.info(), m.sex) {
                if info.sex != sex {
                    out.push(
                        format!(
                            "{}的性别填为{}，但身份证号第17位表示{}。",
                            member_name(i, m),
                            sex.label(),
                            info.sex.label()
                        ),
                        vec![member_path(i, "sex"), member_path(i, "id_number")],
                    );
                }
            }
        }
    },
    ..Rule::of(RuleCode::IdSexMismatch)
};

pub static HEALTH_EXCLUSIVE: Rule = Rule {
    title: "健康状况矛盾",
    why: "A10 “健康”与长期慢性病、患有大病、残疾互斥；后三者可以同时选。",
    after_risks: false,
    check: |f, out| {
        for (i, m, _) in f.members() {
            if m.health.contains(&Health::Healthy) && m.health.len() > 1 {
                out.push(
                    format!("{}的健康状况同时选了“健康”和疾病或残疾，请改正。", member_name(i, m)),
                    vec![member_path(i, "health")],
                );
            }
        }
    },
    ..Rule::of(RuleCode::HealthExclusive)
};

/// A mainland mobile (`1[3-9]` + 9 digits) or a landline (`0` + 2–3-digit area code +
/// 7–8 digits, one hyphen after the area code optional).
pub fn phone_ok(phone: &str) -> bool {
    let p: String = phone.chars().filter(|c| !c.is_whitespace()).collect();
    let b = p.as_bytes();
    let digits = |s: &[u8]| s.iter().all(u8::is_ascii_digit);
    if b.len() == 11 && b[0] == b'1' && (b'3'..=b'9').contains(&b[1]) && digits(b) {
        return true;
    }
    if b.first() != Some(&b'0') {
        return false;
    }
    let check = |area: &[u8], local: &[u8]| {
        (3..=4).contains(&area.len())
            && (7..=8).contains(&local.len())
            && digits(area)
            && digits(local)
    };
    match p.split_once('-') {
        Some((area, local)) => check(area.as_bytes(), local.as_bytes()),
        None => {
            digits(b) && (10..=12).contains(&b.len()) && (3..=4).any(|a| check(&b[..a], &b[a..]))
        }
    }
}

pub static PHONE_INVALID: Rule = Rule {
    title: "电话号码有误",
    why: "户主联系电话用于回访和帮扶联系；号码格式不对就联系不上。",
    after_risks: false,
    check: |f, out| {
        let p = f.h.phone.trim();
        if !p.is_empty() && !phone_ok(p) {
            out.push(format!("户主联系电话“{p}”不是有效的手机号（11位，1开头）或固定电话（区号+7–8位，如0470-4612345）。"), vec!["phone".into()]);
        }
    },
    ..Rule::of(RuleCode::PhoneInvalid)
};

pub static MONEY_INVALID: Rule = Rule {
    title: "金额有误",
    why: "收支以元为单位、最多两位小数，不能为负；金额有误时家庭总收入和人均纯收入无法计算。",
    after_risks: false,
    check: |f, out| {
        let i = &f.h.income;
        let fields: [(&Option<Money>, &str, &str); 7] = [
            (&i.production, "income.production", "A21 生产经营性收入"),
            (&i.wage, "income.wage", "A22 工资性收入"),
            (&i.property, "income.property", "A23 财产性收入"),
            (&i.transfer, "income.transfer", "A24 转移性收入"),
            (&i.production_cost, "income.production_cost", "A25 生产经营性支出"),
            (&i.other_expense, "income.other_expense", "A28 其他支出"),
            (
                &f.h.measures.finance.loan_amount_wan,
                "measures.finance.loan_amount_wan",
                "A36 贷款金额（万元）",
            ),
        ];
        for (v, path, label) in fields {
            if let Some(problem) = v.as_ref().and_then(|m| m.problem()) {
                out.push(
                    format!(
                        "{label}“{}”{problem}。",
                        v.as_ref().map(Money::to_text).unwrap_or_default()
                    ),
                    vec![path.into()],
                );
            }
        }
    },
    ..Rule::of(RuleCode::MoneyInvalid)
};

pub static VISIT_DATE_FUTURE: Rule = Rule {
    title: "走访日期在今天之后",
    why: "走访日期是收入周期和监测时长的起算点，不能是还没到的日子。",
    after_risks: false,
    check: |f, out| {
        if let Some(d) = f.visit.filter(|d| *d > f.ctx.today) {
            out.push(
                format!("走访日期 {d} 晚于今天（{}）。", f.ctx.today),
                vec!["visit.date".into()],
            );
        }
    },
    ..Rule::of(RuleCode::VisitDateFuture)
};

pub static PERIOD_INVALID: Rule = Rule {
    title: "收入周期有误",
    why: "收支情况的周期为走访前12个月（如2022年2月15日至2023年2月15日），监测标准是年人均纯收入；起止颠倒、不足或超过12个月时收入不可比。",
    after_risks: false,
    check: |f, out| {
        let v = &f.h.visit;
        if let (Some(s), Some(e)) = (v.period_start, v.period_end) {
            let months = crate::dates::whole_months(s, e);
            let problem = if s >= e {
                Some(format!("收入周期起始日 {s} 不早于截止日 {e}，请改正。"))
            } else if months < 12 && (e - s).num_days() < 365 {
                Some(format!("收入周期 {s} 至 {e} 不足12个月，收入不能与监测标准（年收入）直接比较。"))
            } else if months > 12 {
                Some(format!("收入周期 {s} 至 {e} 有 {months} 个月，超过12个月，收入不能与监测标准（年收入）直接比较。"))
            } else {
                None
            };
            if let Some(msg) = problem {
                out.push(msg, vec!["visit.period_start".into(), "visit.period_end".into()]);
            }
        }
    },
    ..Rule::of(RuleCode::PeriodInvalid)
};

pub static LABOR_AGE_MISMATCH: Rule = Rule {
    title: "劳动技能与年龄不符",
    why: "未满16周岁不能算普通或技能劳动力；16–59岁且健康的人通常不会丧失或没有劳动力，可能是填错了，或漏填了疾病残疾。",
    after_risks: false,
    check: |f, out| {
        for (i, m, mf) in f.members() {
            let (Some(age), Some(labor)) = (mf.age, m.labor) else { continue };
            if age < 16 && matches!(labor, Labor::Ordinary | Labor::Skilled) {
                out.push(format!("{}{}岁，未满16周岁，劳动技能不应为{}。", member_name(i, m), age, labor.label()), vec![member_path(i, "labor")]);
            } else if (16..=59).contains(&age) && m.health.contains(&Health::Healthy) && matches!(labor, Labor::Lost | Labor::None) {
                out.push(
                    format!("{}{}岁且健康，劳动技能却为{}，请核实健康状况或劳动技能。", member_name(i, m), age, labor.label()),
                    vec![member_path(i, "labor"), member_path(i, "health")],
                );
            }
        }
    },
    ..Rule::of(RuleCode::LaborAgeMismatch)
};

pub static ID_NUMBER_ELSEWHERE: Rule = Rule {
    title: "同一人登记在别的户",
    why: "一个人只能属于一户；同一身份证号出现在两户，多半是分户、迁移未更新或号码抄错，需要核实，否则人均收入和帮扶会重复计算。",
    after_risks: false,
    check: |f, out| {
        let Some(index) = f.ctx.people_elsewhere else { return };
        for (i, m, mf) in f.members() {
            let Some(key) = &mf.person_key else { continue };
            let others: Vec<&str> = index
                .get(super::key_str(key))
                .into_iter()
                .flatten()
                .filter(|p| p.household_id != f.h.household_id)
                .map(|p| p.label.as_str())
                .collect();
            if !others.is_empty() {
                out.push(
                    format!("{}的身份证号也登记在{}，同一人只能属于一户，请核实。", member_name(i, m), others.join("、")),
                    vec![member_path(i, "id_number")],
                );
            }
        }
    },
    ..Rule::of(RuleCode::IdNumberElsewhere)
};

#[cfg(test)]
mod tests {
    use super::phone_ok;

    #[test]
    fn phones() {
        for ok in [
            "13912345678",
            "0470-4612345",
            "04704612345",
            "010-12345678",
            "01012345678",
            "139 1234 5678",
        ] {
            assert!(phone_ok(ok), "{ok}");
        }
        for bad in [
            "12912345678",
            "1391234567",
            "4612345",
            "0470-461234",
            "0470-461234567",
            "abc",
            "0-1234567",
        ] {
            assert!(!phone_ok(bad), "{bad}");
        }
    }
}
