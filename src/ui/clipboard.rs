//! Copying a text (a public key) to the clipboard, where the browser allows it
//! (`navigator.clipboard.writeText`: a secure context and a user's tap); the caller says what
//! to do otherwise (长按手动复制).

use wasm_bindgen::{JsCast, JsValue};

/// Copies `text`; `false` when the browser has no clipboard here or refused.
pub async fn copy(text: &str) -> bool {
    let nav = leptos::prelude::window().navigator();
    let promise = js_sys::Reflect::get(&nav, &JsValue::from_str("clipboard"))
        .ok()
        .filter(|c| !c.is_undefined())
        .and_then(|c| {
            let write: js_sys::Function =
                js_sys::Reflect::get(&c, &JsValue::from_str("writeText")).ok()?.dyn_into().ok()?;
            write.call1(&c, &JsValue::from_str(text)).ok()
        })
        .and_then(|p| p.dyn_into::<js_sys::Promise>().ok());
    match promise {
        Some(p) => wasm_bindgen_futures::JsFuture::from(p).await.is_ok(),
        None => false,
    }
}
