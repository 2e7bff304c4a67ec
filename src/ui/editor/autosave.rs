//! Saving the record being edited: the one place its persistence lives.
//!
//! One Effect watches the record. A change is saved through the store 300 ms after the last
//! keystroke, and at once when the page is hidden (`visibilitychange`), left (`pagehide`),
//! updated (`ruhu-flush`, sent by the update prompt) or the editor closes. Each save is one
//! save of this device on top of the last saved state (`core::lineage::save`: the next
//! revision, one more count in `lineage`) with `updated_at = now`, and then copies those
//! three back into the signal; the Effect compares the record with the last saved state, so
//! that copy does not trigger another save. Failures become a [`SaveState::Failed`] message, never a panic: the editor
//! shows 保存失败：… with 重试. `updated_at` is RFC 3339 with the phone's offset
//! (`ui::clock`). The browser test (`tests/ui_wasm.rs`) checks that three keystrokes are one
//! save, that the copy back does not save again, and that a second change gives revision 3
//! with the history holding 3, 2, 1.

use std::cell::RefCell;
use std::rc::Rc;
use std::time::Duration;

use leptos::prelude::*;

use crate::core::lineage;
use crate::core::record::{Household, Timestamp};
use crate::store::{AnyStore, RecordStore};
use crate::ui::{clock, device};

/// How long typing must pause before a save.
pub const DEBOUNCE: Duration = Duration::from_millis(300);

/// The window event the update prompt sends before it reloads the page.
pub const FLUSH_EVENT: &str = "ruhu-flush";

/// Where the record stands with storage.
#[derive(Clone, Debug, PartialEq)]
pub enum SaveState {
    Saved,
    Pending,
    Saving,
    Failed(String),
}

impl SaveState {
    /// For tests and CSS (`data-save-state`).
    pub fn code(&self) -> &'static str {
        match self {
            SaveState::Saved => "saved",
            SaveState::Pending => "pending",
            SaveState::Saving => "saving",
            SaveState::Failed(_) => "failed",
        }
    }

    /// For people.
    pub fn label(&self) -> String {
        match self {
            SaveState::Saved => "已保存".to_string(),
            SaveState::Pending | SaveState::Saving => "保存中…".to_string(),
            SaveState::Failed(message) => format!("保存失败：{message}"),
        }
    }
}

struct State {
    /// The state last written to the store.
    saved: Household,
    /// The record as the form has it now.
    latest: Household,
    timer: Option<TimeoutHandle>,
    saving: bool,
    /// A flush was asked for while a save was running.
    again: bool,
}

/// The saver of one editor. Clones share it.
#[derive(Clone)]
pub struct Autosave {
    state: Rc<RefCell<State>>,
    store: AnyStore,
    record: RwSignal<Household>,
    status: RwSignal<SaveState>,
}

impl Autosave {
    /// Starts saving `record` (whose current value is taken as already stored).
    pub fn start(
        store: AnyStore,
        record: RwSignal<Household>,
        status: RwSignal<SaveState>,
    ) -> Autosave {
        let current = record.get_untracked();
        let this = Autosave {
            state: Rc::new(RefCell::new(State {
                saved: current.clone(),
                latest: current,
                timer: None,
                saving: false,
                again: false,
            })),
            store,
            record,
            status,
        };

        Effect::new({
            let this = this.clone();
            move |_| {
                let current = record.get();
                let dirty = {
                    let mut st = this.state.borrow_mut();
                    st.latest = current;
                    st.latest != st.saved
                };
                if dirty {
                    this.schedule();
                }
            }
        });

        let flush_now = {
            let this = this.clone();
            move || this.flush()
        };
        let on_hidden = window_event_listener_untyped("visibilitychange", {
            let flush_now = flush_now.clone();
            move |_| {
                if document().visibility_state() == web_sys::VisibilityState::Hidden {
                    flush_now();
                }
            }
        });
        let on_pagehide = window_event_listener_untyped("pagehide", {
            let flush_now = flush_now.clone();
            move |_| flush_now()
        });
        let on_flush = window_event_listener_untyped(FLUSH_EVENT, move |_| flush_now());
        let on_close = send_wrapper::SendWrapper::new(this.clone());
        on_cleanup(move || {
            on_hidden.remove();
            on_pagehide.remove();
            on_flush.remove();
            on_close.flush();
        });
        this
    }

    /// Saves after [`DEBOUNCE`] unless another change comes first.
    fn schedule(&self) {
        let mut st = self.state.borrow_mut();
        if let Some(timer) = st.timer.take() {
            timer.clear();
        }
        let this = self.clone();
        match set_timeout_with_handle(move || this.flush(), DEBOUNCE) {
            Ok(timer) => st.timer = Some(timer),
            Err(_) => {
                drop(st);
                self.flush();
                return;
            }
        }
        if !st.saving {
            self.status.try_set(SaveState::Pending);
        }
    }

    /// Saves pending changes now (nothing when there are none).
    pub fn flush(&self) {
        let next = {
            let mut st = self.state.borrow_mut();
            if let Some(timer) = st.timer.take() {
                timer.clear();
            }
            if st.saving {
                st.again = true;
                return;
            }
            if st.latest == st.saved {
                return;
            }
            let mut next = st.latest.clone();
            lineage::save(&mut next, &st.saved, &device::id());
            next.updated_at = Timestamp(clock::now());
            st.saving = true;
            next
        };
        self.status.try_set(SaveState::Saving);
        let this = self.clone();
        leptos::task::spawn_local(async move {
            let result = this.store.put(&next).await;
            let again = {
                let mut st = this.state.borrow_mut();
                st.saving = false;
                if result.is_ok() {
                    st.latest.revision = next.revision;
                    st.latest.updated_at = next.updated_at;
                    st.latest.lineage = next.lineage.clone();
                    st.saved = next.clone();
                }
                std::mem::take(&mut st.again)
            };
            match result {
                Ok(()) => {
                    this.record.try_update(|h| {
                        h.revision = next.revision;
                        h.updated_at = next.updated_at;
                        h.lineage = next.lineage.clone();
                    });
                    this.status.try_set(SaveState::Saved);
                }
                Err(e) => {
                    this.status.try_set(SaveState::Failed(e.message));
                }
            }
            if again {
                this.flush();
            }
        });
    }
}
