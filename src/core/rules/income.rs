//! Risks and warnings from income (A21–A28) against the monitoring line.

use rust_decimal::Decimal;

use super::{figures, yuan, Facts, Rule, RuleCode};

/// The per-capita figure the income rules judge, when they can judge.
fn judged(f: &Facts) -> Option<Decimal> {
    let fig = &f.figures;
    (fig.income_complete && fig.household_size > 0).then_some(fig.per_capita_net).flatten()
}

fn line_text(f: &Facts) -> String {
    let unconfirmed = if f.policy.confirmed { "" } else { "（未经核对）" };
    format!("{} 年监测标准 {} 元{unconfirmed}", f.year(), yuan(f.policy.monitoring_line))
}

pub static INCOME_BELOW_LINE: Rule = Rule {
    title: "人均纯收入低于监测标准",
    why: "中农组发〔2021〕7号：家庭年人均纯收入低于防止返贫监测范围的，纳入监测。A27 = (A26 家庭总收入 − A25 生产经营性支出) ÷ 家庭人口。",
    after_risks: false,
    check: |f, out| {
        let Some(pc) = judged(f) else { return };
        if pc < f.policy.monitoring_line {
            out.push(
                format!(
                    "家庭人均纯收入 {} 元（纯收入 {} 元 ÷ {} 人），低于 {}。",
                    yuan(pc),
                    yuan(f.figures.net_income.unwrap_or_default()),
                    f.figures.household_size,
                    line_text(f)
                ),
                vec!["income".into()],
            );
        }
    },
    ..Rule::of(RuleCode::IncomeBelowLine)
};

pub static RIGID_EXPENSE: Rule = Rule {
    title: "刚性支出过大",
    why: "中农组发〔2021〕7号：因病因学因灾因意外事故等刚性支出较大或收入大幅缩减，导致基本生活出现严重困难的，纳入监测（突发严重困难户）。A28 记录这类支出。",
    after_risks: false,
    check: |f, out| {
        let Some(pc) = judged(f) else { return };
        let Some(after) = f.figures.per_capita_after_rigid else { return };
        if pc >= f.policy.monitoring_line && after < f.policy.monitoring_line {
            let note = f.h.income.other_expense_note.trim();
            let note = if note.is_empty() { String::new() } else { format!("（{note}）") };
            out.push(
                format!(
                    "家庭人均纯收入 {} 元，不低于 {}，但扣除其他刚性支出 {} 元{note}后人均只有 {} 元，低于监测标准。",
                    yuan(pc),
                    line_text(f),
                    yuan(f.figures.other_expense),
                    yuan(after)
                ),
                vec!["income.other_expense".into()],
            );
        }
    },
    ..Rule::of(RuleCode::RigidExpense)
};

pub static INCOME_NEAR_LINE: Rule = Rule {
    title: "收入接近监测标准",
    why: "收入略高于监测标准的户，一次疾病或减产就可能跌破标准；预警线为监测标准乘以预警系数（默认1.2），需要持续关注。",
    after_risks: false,
    check: |f, out| {
        let Some(pc) = judged(f) else { return };
        let line = f.policy.monitoring_line;
        // The band's edge is line × factor exactly; the message shows it rounded.
        if pc >= line && pc < line * f.policy.near_line_factor {
            let near = f.policy.near_line();
            out.push(
                format!(
                    "家庭人均纯收入 {} 元，不低于 {}，但低于预警线 {} 元（监测标准的 {} 倍），需关注收入变化。",
                    yuan(pc),
                    line_text(f),
                    yuan(near),
                    f.policy.near_line_factor.normalize()
                ),
                vec!["income".into()],
            );
        }
    },
    ..Rule::of(RuleCode::IncomeNearLine)
};

pub static INCOME_DROP: Rule = Rule {
    title: "收入大幅缩减",
    why: "中农组发〔2021〕7号把“收入大幅缩减”列为风险情形；与上次入户相比人均纯收入下降30%及以上的，要核实原因，必要时按突发严重困难户纳入。",
    after_risks: false,
    check: |f, out| {
        let Some(prev) = f.ctx.previous else { return };
        let Some(now) = judged(f) else { return };
        let before = figures(prev);
        let Some(was) = before.per_capita_net.filter(|_| before.income_complete) else { return };
        if was <= Decimal::ZERO {
            return;
        }
        let fall = (was - now) / was;
        if fall >= Decimal::new(3, 1) {
            let pct = crate::money::round2(fall * Decimal::from(100)).normalize();
            let when = prev.visit.date.map(|d| format!("{d}")).unwrap_or_else(|| "上次".into());
            out.push(
                format!("家庭人均纯收入从上次入户（{when}）的 {} 元降到 {} 元，下降 {pct}%（30% 及以上为收入大幅缩减），请核实原因。", yuan(was), yuan(now)),
                vec!["income".into()],
            );
        }
    },
    ..Rule::of(RuleCode::IncomeDrop)
};
