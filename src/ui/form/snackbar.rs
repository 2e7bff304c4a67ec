//! A snackbar with 撤销 (undo) for removals: a member, or the answers of sections 六–八 when
//! they stop applying.

use std::sync::Arc;
use std::time::Duration;

use leptos::prelude::*;

use crate::core::record::Household;
use crate::ui::editor::Editing;

/// How long the undo is offered.
pub const UNDO_FOR: Duration = Duration::from_secs(8);

/// One message with the way to undo what it reports.
#[derive(Clone)]
pub struct Snack {
    pub id: u64,
    pub message: String,
    pub restore: Arc<dyn Fn(&mut Household) + Send + Sync>,
}

/// The snackbar's state (a context).
#[derive(Clone, Copy)]
pub struct Snackbar {
    current: RwSignal<Option<Snack>>,
    next_id: StoredValue<u64>,
}

impl Snackbar {
    pub fn new() -> Snackbar {
        Snackbar { current: RwSignal::new(None), next_id: StoredValue::new(0) }
    }

    /// Shows `message` with 撤销, which runs `restore` on the record.
    pub fn offer_undo(
        self,
        message: impl Into<String>,
        restore: impl Fn(&mut Household) + Send + Sync + 'static,
    ) {
        let id = self.next_id.get_value() + 1;
        self.next_id.set_value(id);
        self.current.set(Some(Snack { id, message: message.into(), restore: Arc::new(restore) }));
        let current = self.current;
        set_timeout(
            move || {
                if current.with_untracked(|s| s.as_ref().is_some_and(|s| s.id == id)) {
                    current.try_set(None);
                }
            },
            UNDO_FOR,
        );
    }
}

impl Default for Snackbar {
    fn default() -> Self {
        Snackbar::new()
    }
}

/// Where the snackbar shows (above the risk panel).
#[component]
pub fn SnackbarHost() -> impl IntoView {
    let bar = expect_context::<Snackbar>();
    let Editing { record, .. } = expect_context::<Editing>();
    move || {
        bar.current.get().map(|snack| {
            let message = snack.message.clone();
            let undo = move |_| {
                let restore = snack.restore.clone();
                record.update(|h| restore(h));
                bar.current.set(None);
            };
            view! {
                <div class="snackbar" role="status">
                    <span>{message}</span>
                    <button type="button" class="button small" on:click=undo>"撤销"</button>
                </div>
            }
        })
    }
}
