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

/// A style sheet the page writes itself (`css`, followed as it changes), adopted by the
/// document (`document.adoptedStyleSheets`, a constructed `CSSStyleSheet`) while the calling
/// component lives. Not a `<style>` element: the page's Content-Security-Policy (no
/// `'unsafe-inline'` in style-src) blocks those, while a sheet set through CSSOM is allowed.
pub fn adopted_style(css: impl Fn() -> String + 'static) {
    use send_wrapper::SendWrapper;
    let Ok(sheet) = web_sys::CssStyleSheet::new() else { return };
    let Some(document) = web_sys::window().and_then(|w| w.document()) else { return };
    let sheets = document.adopted_style_sheets();
    sheets.push(&sheet);
    document.set_adopted_style_sheets(&sheets);
    let written = sheet.clone();
    Effect::new(move |_| {
        let _ = written.replace_sync(&css());
    });
    let sheet = SendWrapper::new(wasm_bindgen::JsValue::from(sheet));
    on_cleanup(move || {
        let Some(document) = web_sys::window().and_then(|w| w.document()) else { return };
        let kept: js_sys::Array =
            document.adopted_style_sheets().iter().filter(|s| s != &*sheet).collect();
        document.set_adopted_style_sheets(&kept);
    });
}
