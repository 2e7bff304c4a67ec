//! Data loaded asynchronously for a page (a record, the list, the history…): a small stand-in
//! for Leptos's `LocalResource`, which costs a copy of its async machinery per loaded type in
//! the wasm (see tests/bench/README.md, *First-load size*); this is a signal set by a task.

use std::cell::Cell;
use std::future::Future;
use std::rc::Rc;

use leptos::prelude::*;

/// The latest result of a load (`None` until the first one arrives).
pub struct Loaded<T: Send + Sync + 'static> {
    value: RwSignal<Option<T>>,
    again: Trigger,
}

impl<T: Send + Sync + 'static> Clone for Loaded<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T: Send + Sync + 'static> Copy for Loaded<T> {}

impl<T: Clone + Send + Sync + 'static> Loaded<T> {
    /// The latest result (tracked).
    pub fn get(&self) -> Option<T> {
        self.value.get()
    }

    /// The latest result, without tracking.
    pub fn get_untracked(&self) -> Option<T> {
        self.value.get_untracked()
    }
}

impl<T: Send + Sync + 'static> Loaded<T> {
    /// Loads again (the result shown meanwhile is the previous one).
    pub fn refetch(&self) {
        self.again.notify();
    }
}

/// Runs `load` now, and again when a signal read in its synchronous part changes or on
/// [`Loaded::refetch`]; only the result of the latest run is kept (an older one that finishes
/// late is dropped), and nothing is set once the page is gone.
pub fn load<T, Fut>(load: impl Fn() -> Fut + 'static) -> Loaded<T>
where
    T: Send + Sync + 'static,
    Fut: Future<Output = T> + 'static,
{
    let value = RwSignal::new(None);
    let again = Trigger::new();
    let latest = Rc::new(Cell::new(0u32));
    let run = move || {
        again.track();
        let future = load();
        let run = latest.get().wrapping_add(1);
        latest.set(run);
        let latest = latest.clone();
        leptos::task::spawn_local(async move {
            let result = future.await;
            if latest.get() == run {
                value.try_set(Some(result));
            }
        });
    };
    // Effects belong to the page's owner: when the page goes, so does this one.
    Effect::new(move |_| run());
    Loaded { value, again }
}
