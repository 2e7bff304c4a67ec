//! Field widgets shared by the household form: each edits one place of the record being
//! edited ([`Editing::record`]) through a [`Lens`], and shows the findings of the engine
//! ([`Editing::evaluation`]) whose paths point at that place.
//!
//! Every widget reads its value through its own `Memo`, so a keystroke in one field updates
//! only that field's DOM (the other memos recompute, compare equal and stop there).
//!
//! | widget | for | notes |
//! |---|---|---|
//! | `YesNo` | A2, A14–A20, A29–A32, 五, A34–A46, A48 | two buttons (`role=radio`); **unanswered shows neither pressed**: it is not 否 |
//! | `Choice<T>` | A1, A4, A5, A7, A9, A11–A13, A32 grade, A47 | any `codes!` enum with its Chinese labels; up to 6 choices as chips, more as a native `<select>` (A7, A11); `none_label` offers `None` as an answer (A13 不外出务工) |
//! | `MultiCheck<T>` | A10, A31 问题, A33, A33a, measure items | checkboxes; `exclusive` (A10 健康 excludes the others), `first_is_main` (A33: marks 主要) |
//! | `MoneyInput` | A21–A25, A28, A36 万元 | `inputmode="decimal"`; the field keeps the typed text (`1,200`, `12.5`, `12a`); the record gets `Money::parse` of it, so an invalid text stays `Money::Invalid` and the engine's `money-invalid` message shows at the field; blank is unanswered |
//! | `IdNumberInput` | A6 | numeric keyboard plus an X key beside the field (`widgets/id_number.rs` says why); stored normalised (spaces out, `x` → `X`) |
//! | `NumericInput` | 户主联系电话 | text kept as typed; `inputmode="tel"` for the phone (the dial pad, which has the hyphen of a landline; `phone-invalid` accepts `0470-4612345`), `numeric` by default |
//! | `CountInput` | A36 期限, A49 | whole months; a non-integer shows 请填写整数 and leaves the answer empty |
//! | `TextInput`, `TextArea` | names, notes, reasons | as typed |
//! | `DateInput` | dates | the phone's date picker |
//!
//! The enum widgets are generic only in a thin layer that maps values to indices
//! ([`index_lens`], [`indices_lens`]); the view is built once, by [`choice_view`] /
//! [`multi_check_view`], so the wasm holds one copy of it, not one per enum.
//!
//! # The path → DOM-id rule
//!
//! A field with the JSON path `p` lives in the element `#f-` + `p` with `[` and `.` made `-`
//! and `]` dropped ([`dom_id`]): `members[2].id_number` → `#f-members-2-id_number`,
//! `measures.finance.loan_amount_wan` → `#f-measures-finance-loan_amount_wan`. Its label is
//! `#…-l` (the controls' `aria-labelledby`), its messages `#…-e` (`aria-describedby`); inputs
//! are also *named* by the path (`input[name="address.village"]`). Whole sections have an
//! element too (`#f-members`, `#f-income`, …), and each member card is `#f-members-<i>`.
//! That is how a finding finds its field: tapping one (risk panel or review page) calls
//! `form::nav::Nav::go(path)`, which reveals unfilled answers, opens the member card of a
//! `members[i]…` path, leaves the review page, then on the next animation frames looks for
//! `#f-<path>`, falling back to its parents (`#f-members-2`, `#f-members`), scrolls it to the
//! middle of the screen and focuses its first control.
//!
//! # Unfilled vs wrong
//!
//! A new record has some 40 unanswered questions. Findings that only say something is not
//! filled in yet ([`UNFILLED_CODES`]: `answer-missing`, `members-missing`, `surveyor-missing`,
//! `assessors-too-few`, the follow-up `…-missing` codes and `judgement-reason-missing`) show at
//! their field only once revealed ([`FieldContext::reveal_missing`]: the first tap on a
//! finding, or the review page). Everything else (an ID that fails, an invalid amount or
//! phone, 性别与身份证号不符, the warnings) shows at once. The risk panel and the review page
//! always list everything. Only error and warning findings are shown at fields
//! ([`message_map`]); risks and key groups are the risk panel's.

use std::collections::HashMap;
use std::sync::Arc;

use leptos::prelude::*;

use crate::core::evaluation::{Evaluation, Severity};
use crate::core::record::Household;
use crate::core::record::{
    Category, DisasterType, EcologyItem, Education, EducationItem, EliminationMethod,
    EmploymentItem, Health, HealthItem, HouseGrade, IdType, IndustryItem, InfrastructureItem,
    Labor, LivingItem, Member, MotivationItem, Political, PublicPostItem, Relation, RiskType, Sex,
    SocialSecurityItem, WaterIssue, WorkArea,
};
use crate::core::rules::RuleCode;
use crate::ui::editor::Editing;

mod choice;
mod date;
mod id_number;
mod money;
mod multi_check;
mod numeric;
mod question;
mod text;
mod yes_no;

pub use choice::{choice_view, index_lens, Choice};
pub use date::DateInput;
pub use id_number::{insert_x, IdNumberInput};
pub use money::{parse_money, MoneyInput};
pub use multi_check::{indices_lens, multi_check_view, toggle, MultiCheck};
pub use numeric::{parse_count, CountInput, NumericInput};
pub use question::{ErrorShown, Field, Question, QuestionIds};
pub use text::{TextArea, TextInput};
pub use yes_no::{yes_no_view, YesNo};

/// `members[2].id_number` → `f-members-2-id_number`: the DOM id of a field's element.
pub fn dom_id(path: &str) -> String {
    let mut id = String::with_capacity(path.len() + 2);
    id.push_str("f-");
    for c in path.chars() {
        match c {
            '[' | '.' => id.push('-'),
            ']' => {}
            c => id.push(c),
        }
    }
    id
}

/// One place in the record: its JSON path and how to read and write it.
///
/// A lens may also carry a narrower reactive source for its value (a member's lens reads the
/// member's own memo), so that a keystroke elsewhere in the record does not re-run it.
pub struct Lens<T> {
    pub path: String,
    get: Getter<T>,
    set: Setter<T>,
    source: Option<Arc<dyn Fn() -> T + Send + Sync>>,
}

type Getter<T> = Arc<dyn Fn(&Household) -> T + Send + Sync>;
type Setter<T> = Arc<dyn Fn(&mut Household, T) + Send + Sync>;

impl<T> Clone for Lens<T> {
    fn clone(&self) -> Self {
        Lens {
            path: self.path.clone(),
            get: self.get.clone(),
            set: self.set.clone(),
            source: self.source.clone(),
        }
    }
}

impl<T: 'static> Lens<T> {
    /// A place with a fixed path (`income.wage`).
    pub fn new(
        path: &'static str,
        get: impl Fn(&Household) -> T + Send + Sync + 'static,
        set: impl Fn(&mut Household, T) + Send + Sync + 'static,
    ) -> Lens<T> {
        Lens::with_path(path.to_string(), get, set)
    }

    /// A place with a computed path (`members[2].name`).
    pub fn with_path(
        path: String,
        get: impl Fn(&Household) -> T + Send + Sync + 'static,
        set: impl Fn(&mut Household, T) + Send + Sync + 'static,
    ) -> Lens<T> {
        Lens { path, get: Arc::new(get), set: Arc::new(set), source: None }
    }

    /// The value in a record.
    pub fn get(&self, h: &Household) -> T {
        (self.get)(h)
    }

    /// Writes the value into a record.
    pub fn set(&self, h: &mut Household, value: T) {
        (self.set)(h, value)
    }

    /// The same place seen through a conversion (`to` reads, `from` writes back).
    pub fn map<U: 'static>(
        self,
        to: impl Fn(T) -> U + Clone + Send + Sync + 'static,
        from: impl Fn(U) -> T + Send + Sync + 'static,
    ) -> Lens<U> {
        let (get, set) = (self.get, self.set);
        let source: Option<Arc<dyn Fn() -> U + Send + Sync>> = self.source.map(|s| {
            let to = to.clone();
            Arc::new(move || to(s())) as Arc<dyn Fn() -> U + Send + Sync>
        });
        Lens {
            path: self.path,
            get: Arc::new(move |h| to(get(h))),
            set: Arc::new(move |h, u| set(h, from(u))),
            source,
        }
    }

    /// The same place with a setter that wraps the original one (`inner`).
    pub fn wrap_set(
        self,
        wrap: impl Fn(&mut Household, T, &(dyn Fn(&mut Household, T) + Send + Sync))
            + Send
            + Sync
            + 'static,
    ) -> Lens<T> {
        let inner = self.set.clone();
        Lens { set: Arc::new(move |h, v| wrap(h, v, &*inner)), ..self }
    }
}

impl<T: Clone + PartialEq + Send + Sync + 'static> Lens<T> {
    /// The value in the record being edited, as a memo: it notifies only when this value changes.
    pub fn memo(&self, record: RwSignal<Household>) -> Memo<T> {
        match &self.source {
            Some(source) => {
                let source = source.clone();
                Memo::new(move |_| source())
            }
            None => {
                let get = self.get.clone();
                Memo::new(move |_| record.with(|h| get(h)))
            }
        }
    }

    /// Writes a value into the record being edited (one `update`: one save, one evaluation).
    pub fn write(&self, record: RwSignal<Household>, value: T) {
        let set = self.set.clone();
        record.update(move |h| set(h, value));
    }

    /// The same place, its value read through `source` (a narrower reactive source).
    pub fn with_source(mut self, source: impl Fn() -> T + Send + Sync + 'static) -> Lens<T> {
        self.source = Some(Arc::new(source));
        self
    }
}

/// A member of the household at its index in `members`: a member card is made again when
/// members move, so a card's paths (`members[2].name`) never change while it lives.
#[derive(Clone, Copy)]
pub struct MemberRef {
    pub id: uuid::Uuid,
    pub index: usize,
    /// The member as the record holds it, set by one effect only when the member changes: the
    /// member's fields read it, so typing elsewhere does not reach them.
    pub member: RwSignal<Option<Member>>,
}

impl MemberRef {
    /// Follows the member `id` at `index` of the record being edited.
    pub fn new(record: RwSignal<Household>, id: uuid::Uuid, index: usize) -> MemberRef {
        fn at(h: &Household, index: usize, id: uuid::Uuid) -> Option<&Member> {
            h.members.get(index).filter(|m| m.id == id)
        }
        let member = RwSignal::new(record.with_untracked(|h| at(h, index, id).cloned()));
        Effect::new(move |_| {
            let changed = record.with(|h| {
                let now = at(h, index, id);
                member.with_untracked(|m| m.as_ref() != now).then(|| now.cloned())
            });
            if let Some(now) = changed {
                member.set(now);
            }
        });
        MemberRef { id, index, member }
    }

    /// The path of one of the member's answers (`members[2].name`).
    pub fn path(self, key: &str) -> String {
        format!("members[{}].{key}", self.index)
    }

    /// A lens on one of the member's answers.
    pub fn lens<T: Default + Clone + PartialEq + Send + Sync + 'static>(
        self,
        key: &'static str,
        get: fn(&Member) -> T,
        set: fn(&mut Member, T),
    ) -> Lens<T> {
        let id = self.id;
        let member = self.member;
        Lens::with_path(
            self.path(key),
            move |h| h.members.iter().find(|m| m.id == id).map(get).unwrap_or_default(),
            move |h, v| {
                if let Some(m) = h.members.iter_mut().find(|m| m.id == id) {
                    set(m, v)
                }
            },
        )
        .with_source(move || member.with(|m| m.as_ref().map(get).unwrap_or_default()))
    }
}

/// A form code enumeration (made by `codes!`): its values in the paper's order and labels.
pub trait Code: Copy + PartialEq + Send + Sync + 'static {
    fn all() -> &'static [Self];
    fn code(self) -> &'static str;
    fn label(self) -> &'static str;
    fn from_code(s: &str) -> Option<Self>;
}

macro_rules! impl_code {
    ($($t:ty),* $(,)?) => {$(
        impl Code for $t {
            fn all() -> &'static [Self] { <$t>::ALL }
            fn code(self) -> &'static str { <$t>::code(self) }
            fn label(self) -> &'static str { <$t>::label(self) }
            fn from_code(s: &str) -> Option<Self> { <$t>::from_code(s) }
        }
    )*};
}

impl_code!(
    Category,
    Sex,
    IdType,
    Relation,
    Political,
    Health,
    Education,
    Labor,
    WorkArea,
    WaterIssue,
    HouseGrade,
    RiskType,
    DisasterType,
    IndustryItem,
    EmploymentItem,
    EcologyItem,
    PublicPostItem,
    EducationItem,
    HealthItem,
    LivingItem,
    InfrastructureItem,
    SocialSecurityItem,
    MotivationItem,
    EliminationMethod,
);

/// A finding as a field shows it.
#[derive(Clone, Debug, PartialEq)]
pub struct FieldMessage {
    pub code: RuleCode,
    pub severity: Severity,
    pub message: String,
}

/// The codes of findings that only say something is not filled in yet. At a field they show
/// once missing answers are revealed (the risk panel and the review page always list them).
pub const UNFILLED_CODES: [RuleCode; 10] = [
    RuleCode::AnswerMissing,
    RuleCode::MembersMissing,
    RuleCode::SurveyorMissing,
    RuleCode::AssessorsTooFew,
    RuleCode::WaterIssueMissing,
    RuleCode::HouseGradeMissing,
    RuleCode::DisasterTypeMissing,
    RuleCode::IdentifiedOnMissing,
    RuleCode::EliminationMethodMissing,
    RuleCode::JudgementReasonMissing,
];

impl FieldMessage {
    /// Says only that something is not filled in yet ([`UNFILLED_CODES`]).
    pub fn is_missing(&self) -> bool {
        UNFILLED_CODES.contains(&self.code)
    }
}

/// Error and warning findings by path, in the engine's order.
pub type MessageMap = HashMap<String, Vec<FieldMessage>>;

/// The error and warning findings of an evaluation by path.
pub fn message_map(e: &Evaluation) -> MessageMap {
    let mut by_path: MessageMap = HashMap::new();
    for f in e.findings.iter().filter(|f| matches!(f.severity, Severity::Error | Severity::Warning))
    {
        for p in &f.paths {
            by_path.entry(p.clone()).or_default().push(FieldMessage {
                code: f.code,
                severity: f.severity,
                message: f.message.clone(),
            });
        }
    }
    by_path
}

/// What the widgets share: the findings of each path, and whether unanswered questions are
/// shown as errors yet (a new form is not a wall of red; the risk panel and review reveal them).
///
/// Each path's findings live in a signal of their own, set by one effect only when they
/// change: a keystroke that leaves a field's findings as they were does not touch that field.
#[derive(Clone, Copy)]
pub struct FieldContext {
    /// The signal of each path shown.
    registry: StoredValue<HashMap<String, ArcRwSignal<Vec<FieldMessage>>>, LocalStorage>,
    /// The findings by path as last set.
    current: StoredValue<MessageMap, LocalStorage>,
    pub reveal_missing: RwSignal<bool>,
}

/// Provides [`FieldContext`] for `evaluation` and keeps every path's findings in step.
pub fn provide_field_context(evaluation: Memo<Evaluation>) -> FieldContext {
    let ctx = FieldContext {
        registry: StoredValue::new_local(HashMap::new()),
        current: StoredValue::new_local(evaluation.with_untracked(message_map)),
        reveal_missing: RwSignal::new(false),
    };
    Effect::new(move |_| {
        let next = evaluation.with(message_map);
        let changed: Vec<(ArcRwSignal<Vec<FieldMessage>>, Vec<FieldMessage>)> =
            ctx.current.with_value(|old| {
                ctx.registry.with_value(|registry| {
                    old.keys()
                        .chain(next.keys())
                        .filter(|p| old.get(*p) != next.get(*p))
                        .filter_map(|p| {
                            registry
                                .get(p)
                                .map(|sig| (sig.clone(), next.get(p).cloned().unwrap_or_default()))
                        })
                        .collect()
                })
            });
        ctx.current.set_value(next);
        for (sig, messages) in changed {
            if sig.with_untracked(|m| *m != messages) {
                sig.set(messages);
            }
        }
    });
    provide_context(ctx);
    ctx
}

/// The field context, made on first use (a widget mounted alone, as in tests, still works).
pub fn field_context() -> FieldContext {
    use_context::<FieldContext>()
        .unwrap_or_else(|| provide_field_context(expect_context::<Editing>().evaluation))
}

/// The findings of one path, as a signal that changes only when they do.
pub fn messages_at(path: String) -> RwSignal<Vec<FieldMessage>> {
    let ctx = field_context();
    let initial = ctx.current.with_value(|m| m.get(&path).cloned().unwrap_or_default());
    let sig = ctx.registry.with_value(|r| r.get(&path).cloned());
    let sig = match sig {
        Some(s) => s,
        None => {
            let s = ArcRwSignal::new(initial);
            ctx.registry.update_value(|r| {
                r.insert(path, s.clone());
            });
            s
        }
    };
    RwSignal::from(sig)
}
