//! The surveyor web app (Leptos 0.8, client-side rendered): the shell, the hash router, the
//! contexts (store, settings, the record being edited) and the pages.

use leptos::prelude::*;

use crate::store::AnyStore;

pub mod app;
pub mod clock;
pub mod editor;
pub mod form;
pub mod handover;
pub mod home;
pub mod household;
pub mod load;
pub mod office;
pub mod parts;
pub mod print;
pub mod review;
pub mod risk;
pub mod router;
pub mod settings;
pub mod start;
pub mod topbar;
pub mod township;
pub mod transfer;
pub mod widgets;

pub use app::App;
pub use office::OfficeApp;

/// Starts the surveyor's app (`app.html`): panic messages to the console, the app on
/// `<body>`, and a request that the browser keep our storage (records must survive storage
/// pressure).
pub fn start() {
    console_error_panic_hook::set_once();
    handover::arrived_from_start();
    request_persistence();
    remove_boot_shell();
    leptos::mount::mount_to_body(|| view! { <App/> });
}

/// Starts the start page (`index.html`, [`start`](mod@start)): the home list from its snapshot.
pub fn start_page() {
    console_error_panic_hook::set_once();
    request_persistence();
    remove_boot_shell();
    leptos::mount::mount_to_body(|| view! { <start::StartApp/> });
}

/// Starts the township office's app (`office.html`, its own bundle); a bare `office.html`
/// opens 汇总.
pub fn start_office() {
    console_error_panic_hook::set_once();
    request_persistence();
    if window().location().hash().unwrap_or_default().is_empty() {
        if let Ok(history) = window().history() {
            let _ = history.replace_state_with_url(
                &wasm_bindgen::JsValue::NULL,
                "",
                Some(&router::Route::Township.fragment()),
            );
        }
    }
    remove_boot_shell();
    leptos::mount::mount_to_body(|| view! { <OfficeApp/> });
}

/// Removes the page's static shell (`#boot` in index.html and office.html: the top bar and
/// 正在载入…, painted before the wasm arrives) just before the app mounts in its place.
fn remove_boot_shell() {
    if let Some(shell) = document().get_element_by_id("boot") {
        shell.remove();
    }
}

/// Asks for persistent storage once (the browser may grant it silently or refuse).
fn request_persistence() {
    let Some(storage) = storage_manager() else { return };
    if let Ok(promise) = storage.persist() {
        wasm_bindgen_futures::spawn_local(async move {
            let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
        });
    }
}

/// `navigator.storage`, which is missing outside secure contexts (web-sys types it as always there).
pub fn storage_manager() -> Option<web_sys::StorageManager> {
    use wasm_bindgen::JsCast;
    let navigator = window().navigator();
    let value =
        js_sys::Reflect::get(&navigator, &wasm_bindgen::JsValue::from_str("storage")).ok()?;
    if value.is_undefined() || value.is_null() {
        return None;
    }
    Some(value.unchecked_into())
}

/// Makes the record store available to every page.
pub fn provide_store_context(store: AnyStore) {
    provide_context(store);
}

/// The record store (`expect_context::<AnyStore>()` for short).
pub fn expect_store() -> AnyStore {
    expect_context::<AnyStore>()
}
