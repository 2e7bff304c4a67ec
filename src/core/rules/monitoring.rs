//! Monitoring objects: measures, the 1-year flag and risk elimination (A34–A49).

use super::{Facts, Rule, RuleCode};
use crate::record::{EliminationMethod, Labor};

fn anyone_on_dibao_or_tekun(f: &Facts) -> bool {
    f.h.members.iter().any(|m| m.dibao == Some(true) || m.tekun == Some(true))
}

fn months(f: &Facts) -> String {
    f.months_monitored.map(|m| format!("{m} 个月")).unwrap_or_else(|| "时长不明".into())
}

pub static ELIMINATION_WITH_RISK: Rule = Rule {
    title: "仍有风险不能标注消除",
    why: "收入不稳定、“两不愁三保障”及饮水安全未巩固的，不得标注风险消除（通知一（五）：风险稳定消除的才按程序标注）。",
    after_risks: true,
    check: |f, out| {
        if f.eliminated && f.risk_found() {
            out.push(
                format!("本户仍有风险信号（{}），不能标注风险已消除（A46），请先落实帮扶、解决风险。", f.risk_titles()),
                vec!["elimination.eliminated".into()],
            );
        }
    },
    ..Rule::of(RuleCode::EliminationWithRisk)
};

pub static UNRESOLVED_OVER_YEAR: Rule = Rule {
    title: "识别1年以上未消除风险",
    why: "通知一（五）：识别1年以上还未消除致（返）贫风险的监测对象（兜底户除外），要及时落实针对性帮扶，帮助其尽早稳定消除风险。",
    after_risks: false,
    check: |f, out| {
        let Some(m) = f.months_monitored else { return };
        if f.monitored && !f.eliminated && m >= f.policy.unresolved_flag_months && !anyone_on_dibao_or_tekun(f) {
            out.push(
                format!("本户识别为监测对象已 {m} 个月（{} 个月以上）仍未消除风险，且不是兜底户，请落实针对性帮扶。", f.policy.unresolved_flag_months),
                vec!["monitoring.identified_on".into(), "elimination.eliminated".into()],
            );
        }
    },
    ..Rule::of(RuleCode::UnresolvedOverYear)
};

pub static DEVELOPMENT_MEASURES_MISSING: Rule = Rule {
    title: "有劳动力但无开发式帮扶",
    why: "中农组发〔2021〕7号：对有劳动能力的监测对象，坚持开发式帮扶（产业、就业、金融、公益岗位），防止政策养懒汉。",
    after_risks: false,
    check: |f, out| {
        let Some(m) = f.months_monitored else { return };
        let workers = f.h.members.iter().filter(|x| x.labor.is_some_and(Labor::can_work)).count();
        let ms = &f.h.measures;
        let developing = [ms.industry.applied, ms.employment.applied, ms.finance.applied, ms.public_post.applied].contains(&Some(true));
        if f.monitored && !f.eliminated && m >= f.policy.elimination_min_months && workers > 0 && !developing {
            out.push(
                format!("本户有 {workers} 名有劳动能力的成员，识别已 {m} 个月，但未落实产业、就业、金融或公益岗位帮扶。"),
                vec![
                    "measures.industry.applied".into(),
                    "measures.employment.applied".into(),
                    "measures.finance.applied".into(),
                    "measures.public_post.applied".into(),
                ],
            );
        }
    },
    ..Rule::of(RuleCode::DevelopmentMeasuresMissing)
};

pub static MEASURES_MISSING: Rule = Rule {
    title: "未落实帮扶措施",
    why: "通知一（五）：按照监测对象的风险和意愿精准落实帮扶政策；纳入监测（或拟纳入）而没有任何帮扶措施的，要及时落实。",
    after_risks: false,
    check: |f, out| {
        if f.monitoring_sections && !f.eliminated && !f.h.measures.applied().contains(&Some(true)) {
            out.push("本户是（或拟纳入）监测对象，但 A34–A45 还没有任何一项帮扶措施。".into(), vec!["measures".into()]);
        }
    },
    ..Rule::of(RuleCode::MeasuresMissing)
};

pub static ELIMINATION_PREMATURE: Rule = Rule {
    title: "帮扶消除时间过短",
    why: "内蒙古防止返贫动态监测帮扶操作规程：帮扶消除风险的，监测时间原则上不得低于半年（默认6个月，政策参数）。",
    after_risks: false,
    check: |f, out| {
        let min = f.policy.elimination_min_months;
        if f.eliminated && f.h.elimination.method == Some(EliminationMethod::Assisted) && f.months_monitored.is_some_and(|m| m < min) {
            out.push(
                format!("帮扶消除风险的监测时间原则上不少于 {min} 个月，本户识别至今只有 {}。", months(f)),
                vec!["elimination.method".into(), "monitoring.identified_on".into()],
            );
        }
    },
    ..Rule::of(RuleCode::EliminationPremature)
};

pub static ELIMINATION_NO_LABOR: Rule = Rule {
    title: "无劳动力兜底户暂不消除",
    why: "对无劳动能力、靠低保特困兜底的监测对象，风险消除后极易返贫，按规程暂不标注风险消除，持续跟踪。",
    after_risks: false,
    check: |f, out| {
        let ms = &f.h.members;
        let no_labor = !ms.is_empty() && ms.iter().all(|m| matches!(m.labor, Some(Labor::Lost | Labor::None)));
        if f.eliminated && no_labor && anyone_on_dibao_or_tekun(f) {
            out.push("本户成员均无劳动能力且享受低保或特困供养，暂不标注风险消除，持续跟踪。".into(), vec!["elimination.eliminated".into()]);
        }
    },
    ..Rule::of(RuleCode::EliminationNoLabor)
};

pub static ELIMINATION_UNMARKED: Rule = Rule {
    title: "未在系统标注风险消除",
    why: "通知一（五）：确保帮扶信息“机账实”一致；风险已消除的要及时在全国防返贫监测信息系统标注。",
    after_risks: false,
    check: |f, out| {
        if f.eliminated && f.h.elimination.marked_in_system == Some(false) {
            out.push("风险已消除，但还未在全国防返贫监测信息系统内标注（A48），请及时标注，做到机账实一致。".into(), vec!["elimination.marked_in_system".into()]);
        }
    },
    ..Rule::of(RuleCode::EliminationUnmarked)
};

pub static ELIMINATION_MONTHS_MISMATCH: Rule = Rule {
    title: "消除时间间隔与识别日期不符",
    why: "A49 风险消除时间间隔应与识别日期到走访日期的月数一致（相差不超过1个月），否则识别日期或 A49 有一处填错。",
    after_risks: false,
    check: |f, out| {
        if let (Some(given), Some(m)) = (f.h.elimination.months, f.months_monitored) {
            if given.abs_diff(m) > 1 {
                out.push(
                    format!("A49 填写风险消除时间间隔 {given} 个月，但从识别日期到走访日期是 {m} 个月。"),
                    vec!["elimination.months".into(), "monitoring.identified_on".into()],
                );
            }
        }
    },
    ..Rule::of(RuleCode::EliminationMonthsMismatch)
};
