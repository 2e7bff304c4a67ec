//! 一、基本信息: the visit, the address, A1, A2, the phone, the identification date of a
//! monitoring object, 本户排查人 and 风险研判人.
//!
//! - 走访日期 moves the income period with it while the period is still the default one (the
//!   12 months ending on the visit, `dates::default_period`).
//! - 村: the settings' villages as one-tap chips, or any name typed.
//! - A2 starts as 否 (a new record says so: 莫旗 has no large resettlement site).
//! - 本户排查人: a new record takes the settings' surveyor; when it is empty, a one-tap
//!   `填入 <name>` offers it again.
//! - 风险研判人: the chosen names as removable chips, the settings' remembered names as
//!   `+ 名字` picks, and a box for anyone else.
//! - A1 writes through `skip::gating`: changing it can hide 识别日期, 五 新识别 or 六–八.

use leptos::prelude::*;

use crate::ui::parts::when;

use crate::core::dates::default_period;
use crate::ui::editor::Editing;
use crate::ui::settings::SettingsContext;
use crate::ui::widgets::{
    messages_at, Choice, DateInput, Lens, NumericInput, Question, QuestionIds, TextInput, YesNo,
};

use super::skip::gating;
use super::snackbar::Snackbar;

/// Section 一.
#[component]
pub fn BasicSection() -> impl IntoView {
    let Editing { record, .. } = expect_context::<Editing>();
    let snackbar = expect_context::<Snackbar>();
    let monitored = Memo::new(move |_| record.with(|h| h.is_monitored()));

    // The income period follows the visit date while it is still the default one.
    let visit_date = Lens::new(
        "visit.date",
        |h| h.visit.date,
        |h, d| {
            let v = &mut h.visit;
            let was_default = match v.date {
                Some(old) => {
                    (v.period_start, v.period_end)
                        == (Some(default_period(old).0), Some(default_period(old).1))
                }
                None => v.period_start.is_none() && v.period_end.is_none(),
            };
            v.date = d;
            if let (Some(new), true) = (d, was_default) {
                let (s, e) = default_period(new);
                v.period_start = Some(s);
                v.period_end = Some(e);
            }
        },
    );
    let category = gating(Lens::new("category", |h| h.category, |h, v| h.category = v), snackbar);

    view! {
        <section class="form-section card" id="f-basic" aria-labelledby="s1-h">
            <h2 id="s1-h">"一、基本信息"</h2>
            <DateInput lens=visit_date label="走访日期"/>
            <div class="row2 dates">
                <DateInput lens=Lens::new("visit.period_start", |h| h.visit.period_start, |h, v| h.visit.period_start = v) label="收入周期起"/>
                <DateInput lens=Lens::new("visit.period_end", |h| h.visit.period_end, |h, v| h.visit.period_end = v) label="收入周期止"/>
            </div>
            <fieldset class="group" id="f-address">
                <legend>"家庭住址"</legend>
                <div class="row2 place">
                    <TextInput lens=Lens::new("address.banner", |h| h.address.banner.clone(), |h, v| h.address.banner = v) label="旗"/>
                    <TextInput lens=Lens::new("address.township", |h| h.address.township.clone(), |h, v| h.address.township = v) label="乡镇"/>
                </div>
                <VillageInput/>
                <TextInput lens=Lens::new("address.group", |h| h.address.group.clone(), |h, v| h.address.group = v) label="自然村（村民小组）"/>
            </fieldset>
            <Choice lens=category code="A1" label="户属性" column=true/>
            {when(move || monitored.get(), move || view! {
                <DateInput lens=Lens::new("monitoring.identified_on", |h| h.monitoring.identified_on, |h, v| h.monitoring.identified_on = v)
                    label="识别为监测对象日期" hint="帮扶消除期限和“识别1年以上未消除”从这一天算起"/>
            }.into_any())}
            <YesNo lens=Lens::new("resettlement_site", |h| h.resettlement_site, |h, v| h.resettlement_site = v)
                code="A2" label="大中型易地扶贫搬迁集中安置区" hint="莫旗没有大中型易地扶贫搬迁集中安置区，全部选否"/>
            <NumericInput lens=Lens::new("phone", |h| h.phone.clone(), |h, v| h.phone = v) label="户主联系电话" autocomplete="tel" inputmode="tel"/>
            <SurveyorInput/>
            <AssessorsInput/>
        </section>
    }
}

/// 村: the settings' villages as one-tap choices, or any name typed.
#[component]
fn VillageInput() -> impl IntoView {
    let Editing { record, .. } = expect_context::<Editing>();
    let SettingsContext { settings, .. } = expect_context::<SettingsContext>();
    let lens =
        Lens::new("address.village", |h| h.address.village.clone(), |h, v| h.address.village = v);
    let value = lens.memo(record);
    let villages = Memo::new(move |_| settings.with(|s| s.villages.clone()));
    let pick = {
        let lens = lens.clone();
        move |name: String| {
            let lens = lens.clone();
            let chosen = name.clone();
            view! {
                <button type="button" role="radio" class="chip"
                    aria-checked=move || if value.with(|v| *v == chosen) { "true" } else { "false" }
                    on:click=move |_| lens.write(record, name.clone())>
                    {name.clone()}
                </button>
            }
        }
    };
    view! {
        <TextInput lens=lens label="村">
            {move || {
                let list = villages.get();
                (!list.is_empty()).then(|| view! {
                    <div class="chips quick" role="radiogroup" aria-label="本乡的村">
                        {list.into_iter().map(pick.clone()).collect_view()}
                    </div>
                })
            }}
        </TextInput>
    }
}

/// 本户排查人, with the settings' surveyor as a quick pick.
#[component]
fn SurveyorInput() -> impl IntoView {
    let Editing { record, .. } = expect_context::<Editing>();
    let SettingsContext { settings, .. } = expect_context::<SettingsContext>();
    let lens =
        Lens::new("visit.surveyor", |h| h.visit.surveyor.clone(), |h, v| h.visit.surveyor = v);
    let value = lens.memo(record);
    let me = Memo::new(move |_| settings.with(|s| s.surveyor.trim().to_string()));
    let set_me = {
        let lens = lens.clone();
        move |_| lens.write(record, me.get_untracked())
    };
    view! {
        <TextInput lens=lens label="本户排查人" autocomplete="name">
            {when(move || !me.get().is_empty() && value.with(|v| v.trim().is_empty()), move || view! {
                <div class="chips quick">
                    <button type="button" class="chip" on:click=set_me.clone()>{move || format!("填入 {}", me.get())}</button>
                </div>
            }.into_any())}
        </TextInput>
    }
}

/// 风险研判人 (at least 2): the chosen names as removable chips, the settings' remembered
/// names as one-tap picks, and a box to add any other name.
#[component]
fn AssessorsInput() -> impl IntoView {
    let Editing { record, .. } = expect_context::<Editing>();
    let SettingsContext { settings, .. } = expect_context::<SettingsContext>();
    let lens =
        Lens::new("visit.assessors", |h| h.visit.assessors.clone(), |h, v| h.visit.assessors = v);
    let chosen = lens.memo(record);
    let messages = messages_at(lens.path.clone());
    let ids = QuestionIds::new(&lens.path);
    let remembered = Memo::new(move |_| settings.with(|s| s.assessors.clone()));
    let draft = RwSignal::new(String::new());

    let toggle = {
        let lens = lens.clone();
        move |name: String| {
            let mut list = chosen.get_untracked();
            if let Some(i) = list.iter().position(|n| n.trim() == name.trim()) {
                list.remove(i);
            } else if !name.trim().is_empty() {
                list.push(name.trim().to_string());
            }
            lens.write(record, list);
        }
    };
    let add_typed = {
        let toggle = toggle.clone();
        move || {
            let name = draft.get_untracked();
            let name = name.trim();
            if !name.is_empty() && !chosen.with_untracked(|l| l.iter().any(|n| n.trim() == name)) {
                toggle(name.to_string());
            }
            draft.set(String::new());
        }
    };
    let chosen_view = {
        let toggle = toggle.clone();
        move || {
            chosen
                .get()
                .into_iter()
                .map(|name| {
                    let toggle = toggle.clone();
                    let n = name.clone();
                    view! {
                        <button type="button" class="chip chosen" aria-label=format!("移除研判人{name}")
                            on:click=move |_| toggle(n.clone())>
                            {name.clone()}" ×"
                        </button>
                    }
                })
                .collect_view()
        }
    };
    let picks = {
        let toggle = toggle.clone();
        move || {
            let chosen = chosen.get();
            remembered
                .get()
                .into_iter()
                .filter(|n| !chosen.iter().any(|c| c.trim() == n.trim()))
                .map(|name| {
                    let toggle = toggle.clone();
                    let n = name.clone();
                    view! { <button type="button" class="chip" on:click=move |_| toggle(n.clone())>"+ "{name}</button> }
                })
                .collect_view()
        }
    };
    let add_click = {
        let add_typed = add_typed.clone();
        move |_| add_typed()
    };
    view! {
        <Question path=lens.path.clone() messages=messages label="风险研判人（不少于2人）">
            <div class="chips" role="group" aria-labelledby=ids.label>{chosen_view}</div>
            <div class="chips quick" role="group" aria-label="常用研判人">{picks}</div>
            <div class="with-key">
                <input type="text" autocomplete="name" placeholder="其他研判人姓名" aria-label="添加研判人"
                    name="assessor-new"
                    prop:value=move || draft.get()
                    on:input=move |ev| draft.set(event_target_value(&ev))
                    on:keydown=move |ev| if ev.key() == "Enter" { ev.prevent_default(); add_typed() }/>
                <button type="button" class="button" on:click=add_click>"添加"</button>
            </div>
        </Question>
    }
}
