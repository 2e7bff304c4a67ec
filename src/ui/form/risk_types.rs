//! 六、监测对象风险类型 (A33, A33a): the first chosen is the main risk; the engine's suggested
//! types are offered as one-tap chips.
//!
//! The engine's `suggested_risk_types` not yet chosen are `+ 因病`-style chips (people choose:
//! nothing is ticked by itself); a chosen type goes last, the first is 主要, and
//! `把…设为主要` moves another to the front. A33a shows with 因自然灾害, 其他风险 with 其他.

use leptos::prelude::*;

use crate::ui::parts::when;

use crate::core::record::RiskType;
use crate::ui::editor::Editing;
use crate::ui::widgets::{Lens, MultiCheck, TextInput};

use super::skip::gating;
use super::snackbar::Snackbar;

/// Section 六.
#[component]
pub fn RiskTypesSection() -> impl IntoView {
    let Editing { record, evaluation } = expect_context::<Editing>();
    let snackbar = expect_context::<Snackbar>();
    let types = gating(
        Lens::new("risk.types", |h| h.risk.types.clone(), |h, v| h.risk.types = v),
        snackbar,
    );
    let chosen = types.memo(record);
    let offered = Memo::new(move |_| {
        let chosen = chosen.get();
        evaluation.with(|e| {
            e.suggested_risk_types
                .iter()
                .copied()
                .filter(|t| !chosen.contains(t))
                .collect::<Vec<_>>()
        })
    });
    let natural = Memo::new(move |_| chosen.with(|t| t.contains(&RiskType::NaturalDisaster)));
    let other = Memo::new(move |_| chosen.with(|t| t.contains(&RiskType::Other)));
    let add = {
        let types = types.clone();
        move |t: RiskType| {
            let mut list = chosen.get_untracked();
            if !list.contains(&t) {
                list.push(t);
            }
            types.write(record, list);
        }
    };
    let make_main = {
        let types = types.clone();
        move |t: RiskType| {
            let mut list = chosen.get_untracked();
            list.retain(|&x| x != t);
            list.insert(0, t);
            types.write(record, list);
        }
    };
    view! {
        <section class="form-section card" id="f-risk" aria-labelledby="s6-h">
            <h2 id="s6-h">"六、监测对象风险类型"</h2>
            <p class="q-hint">"已监测的对照系统核实；新纳入监测的对照主要风险选择。第一个选中的为主要风险。"</p>
            {move || {
                let list = offered.get();
                (!list.is_empty()).then(|| {
                    let add = add.clone();
                    view! {
                        <div class="suggest" data-testid="suggested-risk-types">
                            <span class="muted">"系统建议："</span>
                            {list.into_iter().map(|t| {
                                let add = add.clone();
                                view! { <button type="button" class="chip suggest-chip" on:click=move |_| add(t)>"+ "{t.label()}</button> }
                            }).collect_view()}
                        </div>
                    }
                })
            }}
            <MultiCheck lens=types code="A33" label="风险类型" first_is_main=true/>
            {move || {
                let list = chosen.get();
                (list.len() > 1).then(|| {
                    let make_main = make_main.clone();
                    view! {
                        <div class="chips quick" role="group" aria-label="设为主要风险">
                            {list.into_iter().skip(1).map(|t| {
                                let make_main = make_main.clone();
                                view! { <button type="button" class="chip" on:click=move |_| make_main(t)>{format!("把{}设为主要", t.label())}</button> }
                            }).collect_view()}
                        </div>
                    }
                })
            }}
            {when(move || natural.get(), move || view! {
                <MultiCheck lens=Lens::new("risk.disaster_types", |h| h.risk.disaster_types.clone(), |h, v| h.risk.disaster_types = v)
                    code="A33a" label="因自然灾害" column=true/>
            }.into_any())}
            {when(move || other.get(), move || view! {
                <TextInput lens=Lens::new("risk.other_note", |h| h.risk.other_note.clone(), |h, v| h.risk.other_note = v) label="其他风险（请注明）"/>
            }.into_any())}
        </section>
    }
}
