//! One editor per record (issue 13): a record open in one tab or window is read-only in the
//! others (此记录正在另一窗口中编辑), and becomes editable there when the first one leaves it.
//!
//! **How.** The Web Locks API (`navigator.locks`, every tab and window of the origin, the
//! installed app included): the editor asks for the exclusive lock `ruhu-record-<id>` with
//! `ifAvailable`; granted, it holds it (the request's callback returns a promise resolved
//! when the editor closes); refused, the editor opens read-only and queues a plain request,
//! granted when the holder releases it — the editor closes, the tab is closed, reloaded or
//! crashes (the browser releases a dead page's locks). The page then reads the record again
//! and becomes editable. While read-only it reads the record again whenever another tab
//! writes it (`store::broadcast`), so it shows the other window's typing.
//!
//! **What is guaranteed, and the safety net.** A lock only makes a second writer unlikely;
//! what makes an overwrite impossible is the store: every save is `put_over` the state this
//! editor loaded, checked in the write's transaction, and a save of a stale editor becomes a
//! conflict for a person (autosave's `SaveState::Changed`), never an overwrite, and a revision
//! never goes backwards. Where `navigator.locks` is missing (an old browser), the editor is
//! editable and relies on that check alone.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use js_sys::{Function, Object, Promise, Reflect};
use leptos::prelude::*;
use uuid::Uuid;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// The lock of one record, held or waited for. Released by [`RecordLock::release`].
pub struct RecordLock {
    /// `Some(true)` held, `Some(false)` held by another tab (waiting), `None` not answered yet.
    pub held: RwSignal<Option<bool>>,
    release: Rc<RefCell<Option<Function>>>,
    closed: Rc<Cell<bool>>,
}

/// The lock's name for record `id`.
pub fn name(id: Uuid) -> String {
    format!("ruhu-record-{id}")
}

fn locks() -> Option<JsValue> {
    let navigator = window().navigator();
    let locks = Reflect::get(&navigator, &"locks".into()).ok()?;
    (!locks.is_undefined() && !locks.is_null()).then_some(locks)
}

impl RecordLock {
    /// Asks for the lock of record `id` (see the module docs).
    pub fn request(id: Uuid) -> RecordLock {
        let lock =
            RecordLock { held: RwSignal::new(None), release: Rc::default(), closed: Rc::default() };
        let Some(locks) = locks() else {
            lock.held.set(Some(true));
            return lock;
        };
        let name = JsValue::from_str(&name(id));
        let (held, release, closed) = (lock.held, lock.release.clone(), lock.closed.clone());
        // Granted: hold it until released (or give it back at once if the editor has closed).
        let grant = Rc::new(move |_lock: JsValue| -> JsValue {
            if closed.get() {
                return JsValue::UNDEFINED;
            }
            held.try_set(Some(true));
            let release = release.clone();
            Promise::new(&mut |resolve, _| *release.borrow_mut() = Some(resolve)).into()
        });
        let queued = {
            let (locks, name, grant) = (locks.clone(), name.clone(), grant.clone());
            move || {
                let grant = grant.clone();
                let cb = Closure::<dyn FnMut(JsValue) -> JsValue>::new(move |l| grant(l));
                call(&locks, "request", &[&name, cb.as_ref()]);
                cb.forget();
            }
        };
        let first = Closure::<dyn FnMut(JsValue) -> JsValue>::new(move |l: JsValue| {
            if l.is_null() {
                held.try_set(Some(false));
                queued();
                JsValue::UNDEFINED
            } else {
                grant(l)
            }
        });
        let options = Object::new();
        let _ = Reflect::set(&options, &"ifAvailable".into(), &JsValue::TRUE);
        if !call(&locks, "request", &[&name, &options, first.as_ref()]) {
            lock.held.set(Some(true));
        }
        first.forget();
        lock
    }

    /// Gives the lock back (or stops waiting for it).
    pub fn release(&self) {
        self.closed.set(true);
        if let Some(resolve) = self.release.borrow_mut().take() {
            let _ = resolve.call0(&JsValue::UNDEFINED);
        }
    }
}

/// Calls `target[method](...args)`; whether it was called.
fn call(target: &JsValue, method: &str, args: &[&JsValue]) -> bool {
    let Ok(f) = Reflect::get(target, &method.into()) else { return false };
    let Some(f) = f.dyn_ref::<Function>() else { return false };
    let list: js_sys::Array = args.iter().copied().collect();
    let result = f.apply(target, &list);
    if let Some(p) = result.as_ref().ok().and_then(|r| r.dyn_ref::<Promise>()) {
        // A rejected request (an aborted lock) is not an error to report.
        let ignore = Closure::<dyn FnMut(JsValue)>::new(|_| {});
        let _ = p.catch(&ignore);
        ignore.forget();
    }
    result.is_ok()
}
