//! What the editor's evaluation needs besides the record itself: the other households'
//! people (`id-number-elsewhere`, as the ID is typed) and the household's previous visit
//! (`income-drop`, and the `有变化` marks of a follow-up visit). Loaded from the store in the
//! background when the editor opens; the evaluation re-runs when it arrives.
//!
//! # Duplicate people (同一人登记在两户)
//!
//! The same 18-character ID (a 残疾人证 counts by its first 18 characters) in two households
//! is the engine's `id-number-elsewhere` warning, fed by `Context::people_elsewhere` =
//! `core::followup::people_index` over the stored records (each household's latest visit
//! counts). It shows in three places: in the editor as the ID is typed (until the index has
//! loaded, the evaluation runs without it); in the home list, as the `身份证号重复` tag on both
//! households and a filter; and in an import's report, as each person the imported households
//! share with another one (`core::transfer::shared_people`).

use std::collections::HashMap;
use std::sync::Arc;

use chrono::NaiveDate;
use leptos::prelude::*;

use crate::core::evaluation::Evaluation;
use crate::core::followup;
use crate::core::policy::Policy;
use crate::core::record::Household;
use crate::core::rules::{self, Context, PersonElsewhere};
use crate::core::transfer::path_covers;
use crate::core::visits;
use crate::store::RecordStore;
use crate::ui::expect_store;

/// The other households' people and the previous visit of the record being edited.
#[derive(Clone, Debug, Default)]
pub struct Related {
    /// 18-character ID → the households that list it (each household's latest record).
    pub people: Arc<HashMap<String, Vec<PersonElsewhere>>>,
    /// The household's previous visit, if any.
    pub previous: Option<Household>,
    /// Loaded from the store (until then the evaluation runs without them).
    pub loaded: bool,
}

impl Related {
    /// Evaluates `h` with the policy, today, the people index and the previous visit.
    pub fn evaluate(&self, h: &Household, policy: &Policy, today: NaiveDate) -> Evaluation {
        let mut ctx = Context::new(policy, today);
        if self.loaded {
            ctx.people_elsewhere = Some(&self.people);
        }
        ctx.previous = self.previous.as_ref();
        rules::evaluate(h, ctx)
    }
}

/// Starts loading what is related to `record` and gives the signal it arrives in.
pub fn load_related(record: &Household) -> RwSignal<Related> {
    let related = RwSignal::new(Related::default());
    let store = expect_store();
    let record = record.clone();
    leptos::task::spawn_local(async move {
        // A failure leaves the evaluation without these two rules' inputs, as before.
        let Ok(all) = store.list().await else { return };
        let people = followup::people_index(&all);
        let previous = visits::previous(&all, &record).cloned();
        related.try_set(Related { people: Arc::new(people), previous, loaded: true });
    });
    related
}

/// The previous visit of the record being edited and the paths that changed since
/// (`followup::changes`), for the form's `有变化` marks. Provided by the editor; `record` is
/// `None` for a first visit (then nothing is marked).
#[derive(Clone, Copy)]
pub struct PreviousVisit {
    pub record: Memo<Option<Household>>,
    /// Paths that differ from the previous visit (`address.village`, `members[2].labor`,
    /// `members[3]` for a new member, `members-removed:<name>`).
    pub changed: Memo<Vec<String>>,
}

impl PreviousVisit {
    /// Whether the field at `path` differs from the previous visit: the path itself changed,
    /// or a whole element containing it is new (`members[3]` marks `members[3].name`).
    pub fn is_changed(&self, path: &str) -> bool {
        self.changed.with(|c| c.iter().any(|p| path_covers(p, path)))
    }

    /// How many changed paths lie inside `prefix` (a section: `income`, `members[1]`).
    pub fn changed_under(&self, prefix: &str) -> usize {
        self.changed
            .with(|c| c.iter().filter(|p| path_covers(prefix, p) || path_covers(p, prefix)).count())
    }
}

/// Provides [`PreviousVisit`] for the record being edited.
pub fn provide_previous_visit(
    record: RwSignal<Household>,
    related: RwSignal<Related>,
) -> PreviousVisit {
    let previous = Memo::new(move |_| related.with(|r| r.previous.clone()));
    let changed = Memo::new(move |_| {
        previous.with(|p| {
            p.as_ref().map(|p| record.with(|h| followup::changes(p, h))).unwrap_or_default()
        })
    });
    let ctx = PreviousVisit { record: previous, changed };
    provide_context(ctx);
    ctx
}

/// Whether the field at `path` differs from the previous visit (false outside an editor or
/// on a first visit). For the form: `class:changed=move || is_changed("members[0].labor")`.
pub fn is_changed(path: &str) -> bool {
    use_context::<PreviousVisit>().is_some_and(|p| p.is_changed(path))
}
