//! 五、风险研判: the people's answers, with the engine's suggestion beside them (never filled
//! in for them).
//!
//! 系统研判（仅供参考，由研判人决定）: `Evaluation::verdict()`, the titles of the risk
//! findings, the number of key-group members and, when the engine says `review`, a note on
//! 三保障 or water risks — next to the people's 是/否. 是否需要新识别 shows only for a household
//! that is not yet a monitoring object, and 选否填写具体原因 only when it is 否.

use leptos::prelude::*;

use crate::ui::parts::when;

use crate::core::evaluation::{Identify, Severity};
use crate::ui::editor::Editing;
use crate::ui::widgets::{Lens, TextArea, YesNo};

use super::skip::gating;
use super::snackbar::Snackbar;

/// The engine's suggestion, as the section shows it.
#[derive(Clone, Debug, PartialEq)]
struct Suggestion {
    verdict: String,
    at_risk: bool,
    identify: Identify,
    risks: Vec<String>,
    key_group_members: usize,
}

/// Section 五.
#[component]
pub fn JudgementSection() -> impl IntoView {
    let Editing { record, evaluation } = expect_context::<Editing>();
    let snackbar = expect_context::<Snackbar>();
    let monitored = Memo::new(move |_| record.with(|h| h.is_monitored()));
    let said_no = Memo::new(move |_| record.with(|h| h.judgement.identify == Some(false)));
    let identify = gating(
        Lens::new("judgement.identify", |h| h.judgement.identify, |h, v| h.judgement.identify = v),
        snackbar,
    );
    let suggestion = Memo::new(move |_| {
        evaluation.with(|e| Suggestion {
            verdict: e.verdict(),
            at_risk: e.at_risk,
            identify: e.identify,
            risks: e.of(Severity::Risk).map(|f| f.code.title().to_string()).fold(
                Vec::new(),
                |mut v, t| {
                    if !v.contains(&t) {
                        v.push(t)
                    }
                    v
                },
            ),
            key_group_members: e.key_groups.len(),
        })
    });
    view! {
        <section class="form-section card" id="f-judgement" aria-labelledby="s5-h">
            <h2 id="s5-h">"五、风险研判"</h2>
            <div class="engine-says" data-testid="engine-suggestion">
                <p class="engine-label">"系统研判（仅供参考，由研判人决定）"</p>
                {move || {
                    let s = suggestion.get();
                    view! {
                        <p class="engine-verdict" class:at-risk=s.at_risk>{s.verdict.clone()}</p>
                        {(!s.risks.is_empty()).then(|| view! { <p class="muted">"风险信号："{s.risks.join("、")}</p> })}
                        {(s.key_group_members > 0).then(|| view! { <p class="muted">{format!("重点人群成员 {} 人", s.key_group_members)}</p> })}
                        {(s.identify == Identify::Review).then(|| view! { <p class="muted">"有“三保障”或饮水风险：请研判是否纳入监测，或由行业部门落实措施。"</p> })}
                    }
                }}
            </div>
            <YesNo lens=Lens::new("judgement.at_risk", |h| h.judgement.at_risk, |h, v| h.judgement.at_risk = v) label="是否存在致贫返贫风险"/>
            {when(move || !monitored.get(), move || view! {
                <YesNo lens=identify.clone() label="是否需要新识别为监测对象"/>
                {when(move || said_no.get(), || view! {
                    <TextArea lens=Lens::new("judgement.reason", |h| h.judgement.reason.clone(), |h, v| h.judgement.reason = v)
                        label="选否填写具体原因" hint="不纳入监测的“重点人群”户须注明研判结果和未纳入原因（一般农户特殊档案）"/>
                }.into_any())}
            }.into_any())}
        </section>
    }
}
