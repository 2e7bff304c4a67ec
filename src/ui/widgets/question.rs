//! The frame of one question: its form code and label, the control, and the findings at it.

use leptos::prelude::*;

use super::{dom_id, field_context, messages_at, FieldMessage, Lens};
use crate::core::evaluation::Severity;
use crate::core::record::Household;
use crate::ui::editor::Editing;

/// The ids of a question's parts: `f-…` (the question), `f-…-l` (its label), `f-…-e` (its
/// messages), for `aria-labelledby` and `aria-describedby`.
#[derive(Clone)]
pub struct QuestionIds {
    pub field: String,
    pub label: String,
    pub messages: String,
}

impl QuestionIds {
    pub fn new(path: &str) -> Self {
        let field = dom_id(path);
        QuestionIds { label: format!("{field}-l"), messages: format!("{field}-e"), field }
    }
}

/// Whether a field's messages hold an error the surveyor should see now.
pub fn shows_error(messages: &[FieldMessage], reveal_missing: bool) -> bool {
    messages.iter().any(|m| m.severity == Severity::Error && (reveal_missing || !m.is_missing()))
}

/// What every answer widget starts from: the record being edited, the lens's value as a memo,
/// the findings at its path, whether an error shows there now, its element ids and its path.
pub struct Field<T: Send + Sync + 'static> {
    pub record: RwSignal<Household>,
    pub value: Memo<T>,
    pub messages: RwSignal<Vec<FieldMessage>>,
    pub error: ErrorShown,
    pub ids: QuestionIds,
    pub path: String,
}

impl<T: Clone + PartialEq + Send + Sync + 'static> Field<T> {
    /// The field of `lens` in the editor's record (needs the editor's context).
    pub fn new(lens: &Lens<T>) -> Self {
        let Editing { record, .. } = expect_context::<Editing>();
        let messages = messages_at(lens.path.clone());
        Field {
            record,
            value: lens.memo(record),
            messages,
            error: ErrorShown { messages, reveal: field_context().reveal_missing },
            ids: QuestionIds::new(&lens.path),
            path: lens.path.clone(),
        }
    }
}

/// Whether an error shows at a field now (`shows_error`, tracked), for `aria-invalid`.
#[derive(Clone, Copy)]
pub struct ErrorShown {
    messages: RwSignal<Vec<FieldMessage>>,
    reveal: RwSignal<bool>,
}

impl ErrorShown {
    pub fn get(&self) -> bool {
        self.messages.with(|m| shows_error(m, self.reveal.get()))
    }

    /// `"true"` or `"false"`.
    pub fn attr(&self) -> &'static str {
        if self.get() {
            "true"
        } else {
            "false"
        }
    }
}

/// One question: `<div class="q" id="f-…">` with the code (A1…) and label, the control
/// (children) and, under it, the error and warning findings whose paths point here.
/// `answer-missing` shows only once missing answers are revealed (before that the label
/// carries a small mark).
#[component]
pub fn Question(
    path: String,
    /// The findings at `path` (the widget's own memo, so it can mark its control invalid).
    messages: RwSignal<Vec<FieldMessage>>,
    /// The form code, `A21`; empty for questions without one.
    #[prop(optional)]
    code: &'static str,
    #[prop(into)] label: String,
    /// A line of help under the label.
    #[prop(optional)]
    hint: &'static str,
    children: Children,
) -> impl IntoView {
    let reveal = field_context().reveal_missing;
    let ids = QuestionIds::new(&path);
    let missing = move || messages.with(|m| m.iter().any(FieldMessage::is_missing));
    let class = move || {
        let mut c = String::from("q");
        if missing() {
            c.push_str(" q-missing");
        }
        if messages.with(|m| shows_error(m, reveal.get())) {
            c.push_str(" q-error");
        }
        c
    };
    let shown = move || {
        let reveal = reveal.get();
        messages
            .with(|m| m.iter().filter(|m| reveal || !m.is_missing()).cloned().collect::<Vec<_>>())
    };
    view! {
        <div class=class id=ids.field data-path=path>
            <div class="q-label" id=ids.label>
                {(!code.is_empty()).then(|| view! { <span class="q-code">{code}</span> })}
                <span class="q-text">{label}</span>
            </div>
            {(!hint.is_empty()).then(|| view! { <p class="q-hint">{hint}</p> })}
            {children()}
            <div class="q-messages" id=ids.messages aria-live="polite">
                {move || shown().into_iter().map(|m| {
                    let class = if m.severity == Severity::Error { "q-msg error" } else { "q-msg warning" };
                    view! { <p class=class data-code=m.code.as_str()>{m.message}</p> }
                }).collect_view()}
            </div>
        </div>
    }
}
