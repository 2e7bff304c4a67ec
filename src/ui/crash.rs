//! A crash is not a frozen page (issue 13): the panic hook of every page. Release builds abort
//! on a panic (`panic = "abort"`), which leaves a page that looks alive and answers nothing;
//! the hook first logs the panic (`console_error_panic_hook`), then shows a Chinese message
//! over the page with 重新载入 (the overlay is plain HTML; its button's click handler is
//! `location.reload` bound to `location` — a JS function, no wasm — so it works after the wasm
//! is gone, and it is no inline `onclick`, which the page's Content-Security-Policy would
//! block). What was typed is in the editor's journal, written at every change
//! (`editor::journal`), so after the reload every value is back in the form.
//!
//! **The test trigger** (`ruhu-debug`): with `localStorage["ruhu-debug"] = "1"` set on the
//! device (nobody's phone has it; the e2e fault suite sets it), the page defines
//! `window.ruhuDebug` with `panic()` (a real panic of the wasm, in a release build: the hook,
//! the abort), `closeDatabase()` (closes the store's IndexedDB connection as a browser does
//! under a page: the next request must open it again) and `storageFull(on)` (every write of
//! the store fails as with a full disk, `QuotaExceededError`, until `storageFull(false)`; kept
//! across reloads in `localStorage["ruhu-debug-storage-full"]`).
//! Without the flag nothing is defined.

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// The overlay, added to `<body>` by the hook.
const OVERLAY: &str = r#"<div id="crash" class="crash" role="alertdialog" aria-labelledby="crash-title"><div class="crash-box"><h2 id="crash-title">程序出错了</h2><p>很抱歉，应用遇到了意外错误，已停止运行。已输入的内容都暂存在本机，重新载入后会回到表单中。</p><button type="button" id="crash-reload" class="button primary big">重新载入</button></div></div>"#;

/// Installs the panic hook, and the test trigger when the device asks for it (the full app:
/// the page where records are edited).
pub fn install() {
    install_hook();
    debug_hooks();
}

/// Installs the panic hook only (the start page and the office's two pages: nothing is typed
/// into a record there, and the start page's bundle stays small).
pub fn install_hook() {
    std::panic::set_hook(Box::new(|info| {
        console_error_panic_hook::hook(info);
        show();
    }));
}

/// Shows the overlay (once).
pub fn show() {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else { return };
    if document.get_element_by_id("crash").is_some() {
        return;
    }
    if let Some(body) = document.body() {
        let _ = body.insert_adjacent_html("beforeend", OVERLAY);
    }
    // `location.reload.bind(location)`: called by the browser on a click, never through wasm.
    let Some(location) = web_sys::window().map(|w| JsValue::from(w.location())) else { return };
    let reload = js_sys::Reflect::get(&location, &"reload".into())
        .ok()
        .and_then(|f| f.dyn_into::<js_sys::Function>().ok());
    if let (Some(reload), Some(button)) = (reload, document.get_element_by_id("crash-reload")) {
        let _ = button.add_event_listener_with_callback("click", &reload.bind0(&location));
    }
}

/// The localStorage key that keeps `storageFull(true)` across reloads.
const FULL: &str = "ruhu-debug-storage-full";

fn debug_hooks() {
    let Some(window) = web_sys::window() else { return };
    let flag = window.local_storage().ok().flatten().and_then(|s| s.get_item("ruhu-debug").ok());
    if flag.flatten().as_deref() != Some("1") {
        return;
    }
    let hooks = js_sys::Object::new();
    let panic =
        Closure::<dyn Fn()>::new(|| panic!("ruhu-debug: a panic asked for by the test trigger"));
    let close = Closure::<dyn Fn()>::new(|| {
        crate::store::IdbStore::new().close_connection_for_test();
    });
    // Kept in localStorage too, so that the disk stays full across a reload.
    let storage = window.local_storage().ok().flatten();
    let full_now = storage.as_ref().and_then(|s| s.get_item(FULL).ok().flatten());
    if full_now.as_deref() == Some("1") {
        crate::store::IdbStore::fail_writes_for_test(Some(crate::store::StoreError::quota()));
    }
    let full = Closure::<dyn Fn(bool)>::new(move |on: bool| {
        crate::store::IdbStore::fail_writes_for_test(on.then(crate::store::StoreError::quota));
        if let Some(s) = &storage {
            let _ = if on { s.set_item(FULL, "1") } else { s.remove_item(FULL) };
        }
    });
    let _ = js_sys::Reflect::set(&hooks, &"storageFull".into(), full.as_ref());
    full.forget();
    let _ = js_sys::Reflect::set(&hooks, &"panic".into(), panic.as_ref());
    let _ = js_sys::Reflect::set(&hooks, &"closeDatabase".into(), close.as_ref());
    let _ = js_sys::Reflect::set(&window, &"ruhuDebug".into(), &hooks);
    panic.forget();
    close.forget();
}
