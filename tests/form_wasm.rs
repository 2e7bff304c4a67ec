//! The household form's widgets and skip logic in a real browser: money keeps what was typed
//! (an invalid text stays `Money::Invalid`, with the engine's message at the field), yes/no
//! keeps "unanswered" apart from 否, the ID field's X key, the path→DOM-id rule, and hidden
//! answers cleared by the skip logic.
//! Run: `CHROMEDRIVER=/usr/bin/chromedriver cargo test --target wasm32-unknown-unknown --test form_wasm`
#![cfg(target_arch = "wasm32")]

use chrono::NaiveDate;
use leptos::prelude::*;
use ruhu::core::money::Money;
use ruhu::core::policy::Policy;
use ruhu::core::record::{Category, HouseGrade, Household, IndustryItem, RiskType, WaterIssue};
use ruhu::core::rules::evaluate_simple;
use ruhu::core::testkit;
use ruhu::ui::editor::Editing;
use ruhu::ui::form::nav::{candidate_ids, member_index};
use ruhu::ui::form::skip::{clear_hidden, has_monitoring_answers};
use ruhu::ui::widgets::{dom_id, parse_count, parse_money, toggle, Lens, MoneyInput, YesNo};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

/// A bare record visited on 2023-02-20 (the core's builder).
fn household() -> Household {
    testkit::household().visited(day(2023, 2, 20)).build()
}

/// Lets effects and microtasks run.
async fn tick() {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        web_sys::window()
            .unwrap()
            .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 0)
            .unwrap();
    });
    wasm_bindgen_futures::JsFuture::from(promise).await.unwrap();
}

/// A fresh element on the page to mount into.
fn container() -> web_sys::HtmlElement {
    let doc = web_sys::window().unwrap().document().unwrap();
    let el: web_sys::HtmlElement = doc.create_element("div").unwrap().unchecked_into();
    doc.body().unwrap().append_child(&el).unwrap();
    el
}

/// Mounts `view` with an [`Editing`] context on `record`; returns the record signal.
fn mount<V: IntoView + 'static>(
    el: &web_sys::HtmlElement,
    h: Household,
    view: impl FnOnce() -> V + 'static,
) -> RwSignal<Household> {
    let slot = std::rc::Rc::new(std::cell::Cell::new(None));
    let out = slot.clone();
    let handle = leptos::mount::mount_to(el.clone(), move || {
        let record = RwSignal::new(h);
        let policy = Policy::shipped(2023);
        let evaluation =
            Memo::new(move |_| record.with(|h| evaluate_simple(h, &policy, day(2023, 3, 1))));
        provide_context(Editing { record, evaluation });
        out.set(Some(record));
        view()
    });
    std::mem::forget(handle);
    slot.take().unwrap()
}

fn type_into(input: &web_sys::HtmlInputElement, text: &str) {
    input.set_value(text);
    input.dispatch_event(&web_sys::Event::new("input").unwrap()).unwrap();
}

fn wage_lens() -> Lens<Option<Money>> {
    Lens::new("income.wage", |h| h.income.wage.clone(), |h, v| h.income.wage = v)
}

#[wasm_bindgen_test]
async fn money_input_keeps_what_was_typed() {
    let el = container();
    let record = mount(
        &el,
        household(),
        || view! { <MoneyInput lens=wage_lens() code="A22" label="工资性收入"/> },
    );
    tick().await;
    let field =
        el.query_selector("#f-income-wage").unwrap().expect("the field has the id of its path");
    let input: web_sys::HtmlInputElement =
        field.query_selector("input").unwrap().unwrap().unchecked_into();
    assert_eq!(input.get_attribute("inputmode").as_deref(), Some("decimal"));

    type_into(&input, "12a");
    tick().await;
    assert_eq!(
        record.with_untracked(|h| h.income.wage.clone()),
        Some(Money::Invalid("12a".into()))
    );
    assert_eq!(input.value(), "12a", "the invalid text stays in the field");
    let messages = field
        .query_selector(".q-msg.error")
        .unwrap()
        .expect("the engine's finding is shown at the field");
    assert!(
        messages.text_content().unwrap().contains("不是有效的金额"),
        "{:?}",
        messages.text_content()
    );

    type_into(&input, "1,200.5");
    tick().await;
    assert_eq!(record.with_untracked(|h| h.income.wage.clone()), Some(Money::parse("1200.50")));
    assert_eq!(
        input.value(),
        "1,200.5",
        "a valid amount is shown as typed, not as the file writes it"
    );
    assert!(
        field.query_selector(".q-msg.error").unwrap().is_none(),
        "the error went with the invalid text"
    );

    type_into(&input, "  ");
    tick().await;
    assert_eq!(record.with_untracked(|h| h.income.wage.clone()), None, "blank is unanswered");

    // A change from elsewhere (undo, import) replaces the text.
    record.update(|h| h.income.wage = Some(Money::parse("300")));
    tick().await;
    assert_eq!(input.value(), "300.00");
}

#[wasm_bindgen_test]
async fn yes_no_keeps_unanswered_apart_from_no() {
    let el = container();
    let lens = Lens::new(
        "guarantees.dropout",
        |h: &Household| h.guarantees.dropout,
        |h, v| h.guarantees.dropout = v,
    );
    let record = mount(
        &el,
        household(),
        move || view! { <YesNo lens=lens code="A29" label="是否有适龄儿童少年失学辍学"/> },
    );
    tick().await;
    let group = el
        .query_selector("#f-guarantees-dropout [role=radiogroup]")
        .unwrap()
        .expect("a radio group");
    assert_eq!(group.child_element_count(), 2);
    let yes: web_sys::HtmlElement = group.first_element_child().unwrap().unchecked_into();
    let no: web_sys::HtmlElement = group.last_element_child().unwrap().unchecked_into();
    let radio = |i: u32| if i == 0 { yes.clone() } else { no.clone() };
    assert_eq!(radio(0).get_attribute("aria-checked").as_deref(), Some("false"));
    assert_eq!(
        radio(1).get_attribute("aria-checked").as_deref(),
        Some("false"),
        "unanswered is not 否"
    );
    assert_eq!(record.with_untracked(|h| h.guarantees.dropout), None);

    radio(1).click();
    tick().await;
    assert_eq!(record.with_untracked(|h| h.guarantees.dropout), Some(false));
    assert_eq!(radio(1).get_attribute("aria-checked").as_deref(), Some("true"));
    radio(0).click();
    tick().await;
    assert_eq!(record.with_untracked(|h| h.guarantees.dropout), Some(true));
    assert_eq!(radio(1).get_attribute("aria-checked").as_deref(), Some("false"));
}

#[wasm_bindgen_test]
fn paths_become_dom_ids() {
    assert_eq!(dom_id("members[2].id_number"), "f-members-2-id_number");
    assert_eq!(dom_id("measures.finance.loan_amount_wan"), "f-measures-finance-loan_amount_wan");
    assert_eq!(dom_id("income"), "f-income");
    assert_eq!(
        candidate_ids("members[2].id_number"),
        ["f-members-2-id_number", "f-members-2", "f-members"]
    );
    assert_eq!(member_index("members[12].name"), Some(12));
    assert_eq!(member_index("income.wage"), None);
}

#[wasm_bindgen_test]
fn typed_text_parsing() {
    assert_eq!(parse_money(""), None);
    assert_eq!(parse_money("abc"), Some(Money::Invalid("abc".into())));
    assert_eq!(
        parse_money("1.234"),
        Some(Money::Invalid("1.234".into())),
        "more than 2 decimals is kept, not rounded"
    );
    assert_eq!(parse_count(" 36 "), Ok(Some(36)));
    assert_eq!(parse_count(""), Ok(None));
    assert!(parse_count("3.5").is_err());
    assert_eq!(ruhu::ui::widgets::insert_x("1234", 4, 4), ("1234X".to_string(), 5));
    assert_eq!(
        ruhu::ui::widgets::insert_x("12ab34", 2, 4),
        ("12X34".to_string(), 3),
        "a selection is replaced"
    );
}

#[wasm_bindgen_test]
fn health_is_exclusive_and_risk_types_keep_their_order() {
    let mut health = vec![1, 2];
    toggle(&mut health, 0, true, Some(0));
    assert_eq!(health, [0], "健康 clears the others");
    toggle(&mut health, 3, true, Some(0));
    assert_eq!(health, [3], "another clears 健康");
    let mut types = vec![RiskType::Illness];
    toggle(&mut types, RiskType::NaturalDisaster, true, None);
    toggle(&mut types, RiskType::Illness, false, None);
    toggle(&mut types, RiskType::Illness, true, None);
    assert_eq!(
        types,
        [RiskType::NaturalDisaster, RiskType::Illness],
        "new choices go last: the first stays the main risk"
    );
}

#[wasm_bindgen_test]
fn hidden_answers_are_cleared() {
    let mut h = household();
    h.category = Some(Category::MonitoredMarginal);
    h.monitoring.identified_on = Some(day(2022, 6, 1));
    h.guarantees.safe_water = Some(true);
    h.guarantees.water_issues = vec![WaterIssue::Quality];
    h.guarantees.dangerous_house = Some(false);
    h.guarantees.house_grade = Some(HouseGrade::C);
    h.risk.types = vec![RiskType::Illness];
    h.risk.disaster_types = vec![ruhu::core::record::DisasterType::Flood];
    h.measures.industry.applied = Some(false);
    h.measures.industry.items = vec![IndustryItem::PvIncome];
    h.measures.employment.applied = Some(true);
    h.measures.employment.other = "text without the 其他 item".into();
    h.measures.finance.applied = Some(false);
    h.measures.finance.loan_term_months = Some(36);
    h.elimination.eliminated = Some(false);
    h.elimination.months = Some(3);
    clear_hidden(&mut h);
    assert_eq!(
        h.monitoring.identified_on,
        Some(day(2022, 6, 1)),
        "shown for a monitored household"
    );
    assert!(h.guarantees.water_issues.is_empty(), "A31 是 hides 水质/水量");
    assert_eq!(h.guarantees.house_grade, None, "A32 否 hides the grade");
    assert!(h.risk.disaster_types.is_empty(), "A33a only with 因自然灾害");
    assert_eq!(h.risk.types, [RiskType::Illness]);
    assert!(h.measures.industry.items.is_empty(), "items only when the measure is 是");
    assert_eq!(h.measures.employment.other, "", "其他 text only with the 其他 item");
    assert_eq!(h.measures.finance.loan_term_months, None);
    assert_eq!(h.elimination.months, None, "A47–A49 only when A46 is 是");
    assert!(has_monitoring_answers(&h));

    // No longer a monitoring object and not to be identified: 六–八 and the date go.
    h.category = Some(Category::General);
    h.judgement.identify = Some(false);
    h.judgement.reason = "收入稳定".into();
    clear_hidden(&mut h);
    assert_eq!(h.monitoring.identified_on, None);
    assert!(!has_monitoring_answers(&h), "sections 六–八 are cleared");
    assert_eq!(h.judgement.reason, "收入稳定", "the reason stays with 新识别 = 否");
    h.judgement.identify = Some(true);
    clear_hidden(&mut h);
    assert_eq!(h.judgement.reason, "", "the reason is asked only with 否");
}
