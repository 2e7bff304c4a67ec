//! Small view helpers written once, not per use (the wasm holds one copy of a generic view
//! per type it is used with; see tests/bench/README.md, *First-load size*).

use std::sync::Arc;

use leptos::prelude::*;

/// `children` while `when` holds, nothing otherwise: `<Show>` without a type parameter for
/// its children, so every use shares one copy of the code. `when` is memoised (children are
/// made again only when it flips).
pub fn when(
    when: impl Fn() -> bool + Send + Sync + 'static,
    children: impl Fn() -> AnyView + Send + Sync + 'static,
) -> AnyView {
    shown(Memo::new(move |_| when()), Arc::new(children))
}

fn shown(on: Memo<bool>, children: Arc<dyn Fn() -> AnyView + Send + Sync>) -> AnyView {
    (move || on.get().then(|| children())).into_any()
}
