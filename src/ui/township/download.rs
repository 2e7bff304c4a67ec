//! Saving a file from the page (Blob + `<a download>`): no server, works offline.

use leptos::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Blob, BlobPropertyBag, HtmlAnchorElement, Url};

/// Offers `bytes` as a download named `file_name`. Errors are for people (Chinese).
pub fn download(bytes: &[u8], file_name: &str, mime: &str) -> Result<(), String> {
    let fail = |e: wasm_bindgen::JsValue| {
        format!("文件没有生成：{}", e.as_string().unwrap_or_else(|| format!("{e:?}")))
    };
    let parts = js_sys::Array::of1(&js_sys::Uint8Array::from(bytes));
    let options = BlobPropertyBag::new();
    options.set_type(mime);
    let blob = Blob::new_with_u8_array_sequence_and_options(&parts, &options).map_err(fail)?;
    let url = Url::create_object_url_with_blob(&blob).map_err(fail)?;
    let anchor: HtmlAnchorElement = document().create_element("a").map_err(fail)?.unchecked_into();
    anchor.set_href(&url);
    anchor.set_download(file_name);
    let body = document().body().ok_or("页面没有 body")?;
    body.append_child(&anchor).map_err(fail)?;
    anchor.click();
    let _ = body.remove_child(&anchor);
    // The browser has taken the file; free the URL a little later.
    set_timeout(
        move || {
            let _ = Url::revoke_object_url(&url);
        },
        std::time::Duration::from_secs(30),
    );
    Ok(())
}

/// A file name part without characters that Windows refuses (`\ / : * ? " < > |`).
pub fn safe_name(s: &str) -> String {
    s.chars()
        .map(|c| {
            if matches!(c, '\\' | '/' | ':' | '*' | '?' | '"' | '<' | '>' | '|') || c.is_control() {
                '_'
            } else {
                c
            }
        })
        .collect()
}
