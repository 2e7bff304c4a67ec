//! Saving the record being edited: the one place its persistence lives.
//!
//! One Effect watches the record. Each change is first written to the journal (`journal`:
//! localStorage, synchronously, in a microtask of the change's own task), then saved through the store
//! 300 ms after the last keystroke, and at once when the page is hidden (`visibilitychange`),
//! left (`pagehide`), updated (`ruhu-flush`, sent by the update prompt) or the editor closes.
//! Each save is one save of this device on top of the last saved (or exported) state
//! (`core::lineage::save`: the next revision, one more count in `lineage`) with
//! `updated_at = now`, written with `RecordStore::put_over` the state this editor loaded or
//! last saved, and then copies those three back into the signal; the Effect compares the
//! record with the last saved state, so that copy does not trigger another save.
//!
//! **What is guaranteed.**
//! - Nothing typed is lost: until a save of it has committed, every change is in the journal,
//!   which survives a reload, a crash, a panic and a failed save, and is put back when the
//!   record is opened (`journal::find`).
//! - Nothing newer is overwritten: `put_over` writes only on top of the state this editor
//!   loaded; when another window or an import saved first, the save becomes
//!   [`SaveState::Changed`] — the editor keeps its state (and the journal) and shows both
//!   choices to the person ([`Autosave::keep_mine`]: a resolution descending from both,
//!   `core::lineage::resolve`; [`Autosave::take_theirs`]) — and nothing is written.
//! - A failed save is said: [`SaveState::Failed`] shows 未保存 and the reason in Chinese (storage
//!   full says what to do), and the save is tried again after 1, 2, 4, 8, then every 16 s (and
//!   at once with 重试); the editor and the page ask before they are left ([`super::unsaved_reason`]).
//! - 更新 waits for the save: the update prompt's `ruhu-flush` event carries `waitUntil`, given
//!   a promise that resolves when everything typed has committed and rejects with the reason
//!   when it cannot ([`Autosave::when_saved`]); the page reloads only after it resolved.
//!
//! `updated_at` is RFC 3339 with the phone's offset (`ui::clock`). The browser test
//! (`tests/ui_wasm.rs`) checks that three keystrokes are one save, that the copy back does not
//! save again, that a second change gives revision 3 with the history holding 3, 2, 1, that a
//! failed save retries and a changed record is not overwritten; the e2e fault suite
//! (`tests/e2e/specs/faults-saves.spec.mjs`) the reloads, crashes and failures.

use std::cell::RefCell;
use std::rc::Rc;
use std::time::Duration;

use js_sys::{Function, Promise};
use leptos::prelude::*;
use wasm_bindgen::{JsCast, JsValue};

use super::journal;
use crate::core::lineage;
use crate::core::record::{Household, Timestamp};
use crate::store::{AnyStore, Over, RecordStore, StoreError, StoreErrorKind};
use crate::ui::{clock, device};

/// How long typing must pause before a save.
pub const DEBOUNCE: Duration = Duration::from_millis(300);

/// The longest pause between two tries of a failed save.
pub const MAX_RETRY: Duration = Duration::from_secs(16);

/// The window event the update prompt sends before it reloads the page.
pub const FLUSH_EVENT: &str = "ruhu-flush";

/// Where the record stands with storage.
#[derive(Clone, Debug, PartialEq)]
pub enum SaveState {
    Saved,
    Pending,
    Saving,
    /// The last save failed (the reason, for people); it is tried again.
    Failed(String),
    /// Another window or an import saved another state first; this editor's state is kept
    /// and not saved over it until a person chooses.
    Changed,
    /// Read-only: the record is open in another window.
    Elsewhere,
}

impl SaveState {
    /// For tests and CSS (`data-save-state`).
    pub fn code(&self) -> &'static str {
        match self {
            SaveState::Saved => "saved",
            SaveState::Pending => "pending",
            SaveState::Saving => "saving",
            SaveState::Failed(_) => "failed",
            SaveState::Changed => "changed",
            SaveState::Elsewhere => "elsewhere",
        }
    }

    /// For people.
    pub fn label(&self) -> String {
        match self {
            SaveState::Saved => "已保存".to_string(),
            SaveState::Pending | SaveState::Saving => "保存中…".to_string(),
            SaveState::Failed(_) | SaveState::Changed => "未保存".to_string(),
            SaveState::Elsewhere => "只读".to_string(),
        }
    }

    /// Why the edits are not saved (for [`SaveState::is_unsaved`] states).
    pub fn reason(&self) -> Option<String> {
        match self {
            SaveState::Failed(message) => Some(message.clone()),
            SaveState::Changed => Some("此记录已在别处保存了另一版本".to_string()),
            _ => None,
        }
    }

    /// Edits are not in the store and cannot get there by themselves soon.
    pub fn is_unsaved(&self) -> bool {
        matches!(self, SaveState::Failed(_) | SaveState::Changed)
    }
}

/// The reason of a failed save for people, with what to do.
pub fn reason(e: &StoreError) -> String {
    match e.kind {
        StoreErrorKind::Quota => {
            "本机存储空间已满。修改已暂存在浏览器中，会自动重试；请先导出此记录，\
             再清理手机空间（“设置”中的存储状态显示用量）。"
                .to_string()
        }
        _ => format!("{}。修改已暂存在浏览器中，正在自动重试。", e.message),
    }
}

struct State {
    /// The state last read from or written to the store: what a save must be on top of.
    saved: Household,
    /// The state the next save descends from: `saved`, or an unsaved state exported since.
    parent: Option<Household>,
    /// The record as the form has it now.
    latest: Household,
    timer: Option<TimeoutHandle>,
    saving: bool,
    /// A flush was asked for while a save was running.
    again: bool,
    /// Failed tries in a row (the retry's pause doubles).
    failures: u32,
    /// The other state, when another window or an import saved first.
    other: Option<Household>,
    /// Promises of [`Autosave::when_saved`] waiting: (resolve, reject).
    waiters: Vec<(Function, Function)>,
    /// The editor may write (it holds the record's lock).
    editable: bool,
    /// The journal holds an entry of this record.
    journaled: bool,
}

/// The saver of one editor. Clones share it.
#[derive(Clone)]
pub struct Autosave {
    state: Rc<RefCell<State>>,
    store: AnyStore,
    record: RwSignal<Household>,
    pub status: RwSignal<SaveState>,
    /// The other state while [`SaveState::Changed`] (for the editor's banner).
    pub other: RwSignal<Option<Household>>,
}

impl Autosave {
    /// Starts saving `record`, which was edited on `saved` (the stored state; the record is
    /// that state unless unsaved edits were put back from the journal) and, when an unsaved
    /// state of it was exported, descends from `parent`. `editable`: whether this editor
    /// holds the record (else nothing is written until [`Autosave::reload`]).
    pub fn start(
        store: AnyStore,
        record: RwSignal<Household>,
        saved: Household,
        parent: Option<Household>,
        editable: bool,
    ) -> Autosave {
        let current = record.get_untracked();
        let status = RwSignal::new(if editable { SaveState::Saved } else { SaveState::Elsewhere });
        let this = Autosave {
            state: Rc::new(RefCell::new(State {
                saved,
                parent,
                latest: current,
                timer: None,
                saving: false,
                again: false,
                failures: 0,
                other: None,
                waiters: Vec::new(),
                editable,
                journaled: false,
            })),
            store,
            record,
            status,
            other: RwSignal::new(None),
        };

        Effect::new({
            let this = this.clone();
            move |_| {
                let current = record.get();
                let dirty = {
                    let mut st = this.state.borrow_mut();
                    st.latest = current;
                    if !st.editable {
                        return;
                    }
                    let dirty = st.latest != st.saved;
                    if dirty {
                        // The journal first, in this task: a crash after it loses nothing.
                        if let Err(e) = journal::write(&st.saved, &st.latest, st.parent.as_ref()) {
                            web_sys::console::warn_1(&e.into());
                        }
                        st.journaled = true;
                    } else if st.journaled {
                        journal::remove(st.latest.id);
                        st.journaled = false;
                    }
                    dirty
                };
                if dirty {
                    this.schedule(DEBOUNCE);
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
        let on_flush = window_event_listener_untyped(FLUSH_EVENT, {
            let this = this.clone();
            move |ev| {
                this.flush();
                // `event.detail.waitUntil(promise)`: the update prompt reloads after it.
                let wait = js_sys::Reflect::get(&ev, &"detail".into())
                    .and_then(|d| js_sys::Reflect::get(&d, &"waitUntil".into()))
                    .ok()
                    .and_then(|f| f.dyn_into::<Function>().ok());
                if let Some(wait) = wait {
                    let _ = wait.call1(&JsValue::UNDEFINED, &this.when_saved());
                }
            }
        });
        let on_close = send_wrapper::SendWrapper::new(this.clone());
        on_cleanup(move || {
            on_hidden.remove();
            on_pagehide.remove();
            on_flush.remove();
            on_close.flush();
        });
        this
    }

    /// Saves after `delay` unless another change comes first.
    fn schedule(&self, delay: Duration) {
        let mut st = self.state.borrow_mut();
        if let Some(timer) = st.timer.take() {
            timer.clear();
        }
        let this = self.clone();
        match set_timeout_with_handle(move || this.flush(), delay) {
            Ok(timer) => st.timer = Some(timer),
            Err(_) => {
                drop(st);
                self.flush();
                return;
            }
        }
        if !st.saving && st.other.is_none() && st.failures == 0 {
            self.status.try_set(SaveState::Pending);
        }
    }

    /// Saves pending changes now (nothing when there are none).
    pub fn flush(&self) {
        let (next, base) = {
            let mut st = self.state.borrow_mut();
            if let Some(timer) = st.timer.take() {
                timer.clear();
            }
            if st.saving {
                st.again = true;
                return;
            }
            if !st.editable || st.other.is_some() {
                return;
            }
            if st.latest == st.saved {
                // Nothing to save: a change undone before its save came (撤销, a character
                // typed and taken back). What is shown is what is stored: say so, or the
                // status would stay 保存中… and its waiters wait for ever.
                st.failures = 0;
                if std::mem::take(&mut st.journaled) {
                    journal::remove(st.saved.id);
                }
                let waiters = std::mem::take(&mut st.waiters);
                drop(st);
                if self.status.get_untracked() != SaveState::Saved {
                    self.status.try_set(SaveState::Saved);
                }
                for (resolve, _) in waiters {
                    let _ = resolve.call0(&JsValue::UNDEFINED);
                }
                return;
            }
            let mut next = st.latest.clone();
            lineage::save(&mut next, st.parent.as_ref().unwrap_or(&st.saved), &device::id());
            next.updated_at = Timestamp(clock::now());
            st.saving = true;
            (next, st.saved.clone())
        };
        if self.status.get_untracked().code() != "failed" {
            self.status.try_set(SaveState::Saving);
        }
        let this = self.clone();
        leptos::task::spawn_local(async move {
            let result = this.store.put_over(&next, &base).await;
            this.finished(next, result);
        });
    }

    /// After a save: what it did, to the state, the journal, the status and the waiters.
    fn finished(&self, next: Household, result: Result<Over, StoreError>) {
        let mut st = self.state.borrow_mut();
        st.saving = false;
        let again = std::mem::take(&mut st.again);
        match result {
            Ok(Over::Written) => {
                st.failures = 0;
                st.latest.revision = next.revision;
                st.latest.updated_at = next.updated_at;
                st.latest.lineage = next.lineage.clone();
                st.saved = next.clone();
                st.parent = None;
                let done = st.latest == st.saved;
                if done {
                    journal::remove(next.id);
                    st.journaled = false;
                } else {
                    let _ = journal::write(&st.saved, &st.latest, None);
                }
                let waiters = if done { std::mem::take(&mut st.waiters) } else { Vec::new() };
                drop(st);
                self.record.try_update(|h| {
                    h.revision = next.revision;
                    h.updated_at = next.updated_at;
                    h.lineage = next.lineage.clone();
                });
                if done {
                    self.status.try_set(SaveState::Saved);
                    for (resolve, _) in waiters {
                        let _ = resolve.call0(&JsValue::UNDEFINED);
                    }
                } else {
                    self.status.try_set(SaveState::Pending);
                    self.flush();
                }
            }
            Ok(Over::Changed(other)) => {
                let _ = journal::write(&st.saved, &st.latest, st.parent.as_ref());
                st.journaled = true;
                st.other = Some((*other).clone());
                let waiters = std::mem::take(&mut st.waiters);
                drop(st);
                self.other.try_set(Some(*other));
                self.status.try_set(SaveState::Changed);
                reject(waiters, &SaveState::Changed.reason().unwrap_or_default());
            }
            Err(e) => {
                st.failures = st.failures.saturating_add(1);
                let pause =
                    Duration::from_secs(1 << st.failures.min(5).saturating_sub(1)).min(MAX_RETRY);
                let waiters = std::mem::take(&mut st.waiters);
                drop(st);
                let message = reason(&e);
                self.status.try_set(SaveState::Failed(message.clone()));
                reject(waiters, &message);
                if again {
                    self.flush();
                } else {
                    self.schedule(pause);
                }
                return;
            }
        }
        if again {
            self.flush();
        }
    }

    /// A promise that resolves when everything typed has been saved, and rejects with the
    /// reason when a save fails or the record was saved elsewhere.
    pub fn when_saved(&self) -> JsValue {
        let mut st = self.state.borrow_mut();
        let status = self.status.get_untracked();
        if let Some(why) = status.reason() {
            return Promise::reject(&JsValue::from_str(&why)).into();
        }
        if !st.saving && (st.latest == st.saved || !st.editable) {
            return Promise::resolve(&JsValue::UNDEFINED).into();
        }
        let waiters = &mut st.waiters;
        Promise::new(&mut |resolve, reject| waiters.push((resolve, reject))).into()
    }

    /// The record was read again from the store (this editor has just got the record's lock,
    /// or, read-only, another window saved it): `stored` is now what a save must be on top
    /// of; the form shows `shown` (the stored state, or unsaved edits put back on top of it).
    pub fn reload(&self, stored: Household, shown: Household, editable: bool) {
        {
            let mut st = self.state.borrow_mut();
            st.saved = stored;
            st.parent = None;
            st.other = None;
            st.failures = 0;
            st.editable = editable;
        }
        self.other.try_set(None);
        self.status.try_set(if editable { SaveState::Saved } else { SaveState::Elsewhere });
        self.record.set(shown);
    }

    /// The journal's edits were made on another state than the stored `other` (saved
    /// elsewhere since): as [`SaveState::Changed`], for a person to choose.
    pub fn set_changed(&self, other: Household) {
        self.state.borrow_mut().other = Some(other.clone());
        self.other.try_set(Some(other));
        self.status.try_set(SaveState::Changed);
    }

    /// The record's state with its unsaved edits, as a save would write it, for an export; the
    /// next save descends from it (see `journal`).
    pub fn export_unsaved(&self) -> Household {
        let mut st = self.state.borrow_mut();
        if st.latest == st.saved {
            return st.saved.clone();
        }
        let mut state = st.latest.clone();
        lineage::save(&mut state, st.parent.as_ref().unwrap_or(&st.saved), &device::id());
        state.updated_at = Timestamp(clock::now());
        let _ = journal::write(&st.saved, &st.latest, Some(&state));
        st.parent = Some(state.clone());
        state
    }

    /// After [`SaveState::Changed`]: keeps this editor's answers, as a new state that descends
    /// from both this editor's and the other one (`lineage::resolve`), saved on top of the
    /// other.
    pub fn keep_mine(&self) {
        let (mine, other) = {
            let st = self.state.borrow();
            let Some(other) = st.other.clone() else { return };
            let mut mine = st.latest.clone();
            lineage::save(&mut mine, st.parent.as_ref().unwrap_or(&st.saved), &device::id());
            (mine, other)
        };
        let mut resolved = lineage::resolve(&mine, &other, &device::id());
        resolved.updated_at = Timestamp(clock::now());
        {
            let mut st = self.state.borrow_mut();
            st.saved = other.clone();
            st.parent = Some(resolved.clone());
            st.other = None;
            // The form's record becomes the resolution (a change): saved on top of `other`.
        }
        self.other.try_set(None);
        self.status.try_set(SaveState::Pending);
        let mut shown = resolved.clone();
        // Saved as one save on top of the resolution: shown with its answers, and the
        // revision fields of `other` so that it differs from `saved` only by the answers.
        shown.revision = other.revision;
        shown.updated_at = other.updated_at;
        shown.lineage = other.lineage.clone();
        self.record.set(shown);
        self.flush();
    }

    /// After [`SaveState::Changed`]: takes the other state and drops this editor's edits.
    pub fn take_theirs(&self) {
        let other = self.state.borrow().other.clone();
        if let Some(other) = other {
            journal::remove(other.id);
            self.state.borrow_mut().journaled = false;
            self.reload(other.clone(), other, true);
        }
    }

    /// Drops the edits put back from the journal: the form shows the stored state again.
    pub fn discard(&self) {
        let saved = self.state.borrow().saved.clone();
        journal::remove(saved.id);
        self.state.borrow_mut().journaled = false;
        self.reload(saved.clone(), saved, true);
    }
}

fn reject(waiters: Vec<(Function, Function)>, why: &str) {
    for (_, reject) in waiters {
        let _ = reject.call1(&JsValue::UNDEFINED, &JsValue::from_str(why));
    }
}
