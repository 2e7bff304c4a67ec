//! Skip logic: which questions the paper makes conditional, and clearing the answers of a
//! question once it is hidden, so that no hidden answer lingers in the record.
//!
//! | shown when | questions | cleared when hidden |
//! |---|---|---|
//! | A1 is a `monitored_*` category | 识别为监测对象日期 | `monitoring.identified_on` |
//! | not a monitoring object | 五 是否需要新识别为监测对象 | `judgement.identify` |
//! | 五 新识别 = 否 | 五 具体原因 | `judgement.reason` |
//! | A31 = 否 | A31 水质/水量不达标 | `guarantees.water_issues` |
//! | A32 = 是 | A32 C级/D级/存在隐患未鉴定 | `guarantees.house_grade` |
//! | monitoring object, or 五 新识别 = 是 | sections 六–八 | `risk`, `measures` (its unknown keys kept), `elimination` (with 撤销, below) |
//! | A33 has 因自然灾害 | A33a | `risk.disaster_types` |
//! | A33 has 其他 | 其他风险（请注明） | `risk.other_note` |
//! | A34–A45 = 是 | that measure's items (A36: loan date, term, amount in 万元; A45: its text) | `items`, `other`, the loan |
//! | an item 其他 is ticked | its 其他 text | `other` |
//! | A46 = 是 | A47–A49 | `method`, `marked_in_system`, `months` |
//!
//! The questions that gate others (A1, 五 新识别, A31, A32, A33, the measures' 是/否 and items, A46)
//! write through [`gating`]: after the write, [`clear_hidden`] clears every hidden answer in
//! the same `record.update`, so a hidden answer never reaches the store. When that empties
//! sections 六–八 (A1 changed away from 监测对象, or 新识别 from 是 to 否), the snackbar offers
//! 撤销 for 8 s, which puts A1, 识别日期, 五 and 六–八 back as they were.

use crate::core::record::{Category, Household, Measure, RiskType};
use crate::ui::widgets::Lens;

use super::snackbar::Snackbar;

fn clear_measure<T>(
    m: &mut Measure<T>,
    other_is_text: bool,
    has_other_item: impl Fn(&[T]) -> bool,
) {
    if m.applied != Some(true) {
        m.items.clear();
        m.other.clear();
    } else if !other_is_text && !has_other_item(&m.items) {
        m.other.clear();
    }
}

/// Clears every answer whose question is hidden.
pub fn clear_hidden(h: &mut Household) {
    let monitored = h.category.is_some_and(Category::is_monitored);
    if !monitored {
        h.monitoring.identified_on = None;
    } else {
        h.judgement.identify = None;
    }
    if h.judgement.identify != Some(false) {
        h.judgement.reason.clear();
    }
    let g = &mut h.guarantees;
    if g.safe_water != Some(false) {
        g.water_issues.clear();
    }
    if g.dangerous_house != Some(true) {
        g.house_grade = None;
    }
    if !super::monitoring_sections(h) {
        let (r, m, e) = (&mut h.risk, &mut h.measures, &mut h.elimination);
        r.types.clear();
        r.disaster_types.clear();
        r.other_note.clear();
        let extra = std::mem::take(&mut m.extra);
        *m = Default::default();
        m.extra = extra;
        e.eliminated = None;
    }
    let r = &mut h.risk;
    if !r.types.contains(&RiskType::NaturalDisaster) {
        r.disaster_types.clear();
    }
    if !r.types.contains(&RiskType::Other) {
        r.other_note.clear();
    }
    let m = &mut h.measures;
    macro_rules! items {
        ($($f:ident),*) => {$(
            clear_measure(&mut m.$f, false, |items| items.iter().any(|i| i.code() == "other"));
        )*};
    }
    items!(
        industry,
        employment,
        ecology,
        public_post,
        education,
        health,
        living,
        infrastructure,
        social_security,
        motivation
    );
    clear_measure(&mut m.other, true, |_| false);
    let f = &mut m.finance;
    if f.applied != Some(true) {
        f.items.clear();
        f.other.clear();
        f.loan_date = None;
        f.loan_term_months = None;
        f.loan_amount_wan = None;
    }
    let e = &mut h.elimination;
    if e.eliminated != Some(true) {
        e.method = None;
        e.marked_in_system = None;
        e.months = None;
    }
}

/// Whether a record holds any answer of sections 六–八.
pub fn has_monitoring_answers(h: &Household) -> bool {
    let r = &h.risk;
    let e = &h.elimination;
    !r.types.is_empty()
        || !r.disaster_types.is_empty()
        || !r.other_note.is_empty()
        || h.measures.applied().iter().any(Option::is_some)
        || e.eliminated.is_some()
        || e.method.is_some()
        || e.marked_in_system.is_some()
        || e.months.is_some()
}

/// A lens whose writes may hide questions: after the write, hidden answers are cleared; when
/// that empties sections 六–八, the snackbar offers to undo the change.
pub fn gating<T: 'static>(lens: Lens<T>, snackbar: Snackbar) -> Lens<T> {
    lens.wrap_set(move |h, v, set| {
        let had = has_monitoring_answers(h).then(|| h.clone());
        set(h, v);
        clear_hidden(h);
        if let Some(before) = had {
            if !has_monitoring_answers(h) {
                let (category, monitoring, judgement) =
                    (before.category, before.monitoring.clone(), before.judgement.clone());
                let (risk, measures, elimination) =
                    (before.risk.clone(), before.measures.clone(), before.elimination.clone());
                snackbar.offer_undo(
                    "六至八部分已不适用，其中的答案已清除",
                    move |h| {
                        h.category = category;
                        h.monitoring = monitoring.clone();
                        h.judgement = judgement.clone();
                        h.risk = risk.clone();
                        h.measures = measures.clone();
                        h.elimination = elimination.clone();
                    },
                );
            }
        }
    })
}
