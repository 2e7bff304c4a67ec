//! The browser's side of files: downloading a text as a file (Blob + object URL +
//! `<a download>`), sharing it with the Web Share API where the browser can share that very
//! file, and reading a picked file's bytes.
//!
//! **Sharing on Android** (issue 14): Chromium's Web Share takes files only of certain types
//! (pdf, images, audio, video and text types such as `.txt`, `.csv`) and refuses `.json`, so a
//! record file is shared as `.txt` (`text/plain`, [`share_name`]): a sealed file's armour, or
//! the JSON itself when no 乡镇公钥 is set (the import reads JSON in a `.txt` as it reads a
//! `.json`). Whether the browser shares it is asked with the real file
//! (`navigator.canShare({ files: [file] })`, [`can_share`]) before 分享 is offered and again
//! before it is used; where it says no, the file is downloaded instead.

use js_sys::{Array, Object, Reflect};
use leptos::prelude::*;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

/// The MIME type of record files.
pub const JSON_MIME: &str = "application/json";
/// The MIME type of `.txt` files (sealed files, and record files to share).
pub const TEXT_MIME: &str = "text/plain";

/// The MIME type of a file by its name: `.txt` text, `.csv` CSV, else JSON.
pub fn mime_of(name: &str) -> &'static str {
    if name.ends_with(".txt") {
        TEXT_MIME
    } else if name.ends_with(".csv") {
        "text/csv"
    } else {
        JSON_MIME
    }
}

/// The name a file is shared under: `.json` becomes `.txt` (Chromium shares no `.json`).
pub fn share_name(name: &str) -> String {
    match name.strip_suffix(".json") {
        Some(stem) => format!("{stem}.txt"),
        None => name.to_string(),
    }
}

fn js_error(e: JsValue) -> String {
    e.dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .or_else(|| e.as_string())
        .unwrap_or_else(|| format!("{e:?}"))
}

/// The file's parts: its UTF-8 bytes, copied once (no detour through a JS string).
fn parts(text: &str) -> Array {
    Array::of1(&js_sys::Uint8Array::from(text.as_bytes()))
}

/// A Blob of `text`, typed by the file's name ([`mime_of`]).
fn blob(name: &str, text: &str) -> Result<web_sys::Blob, String> {
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime_of(name));
    web_sys::Blob::new_with_u8_array_sequence_and_options(&parts(text), &options).map_err(js_error)
}

/// Saves `text` as a file called `name` (Android Chrome puts it in 下载/Download), typed by
/// its name ([`mime_of`]).
pub fn download(name: &str, text: &str) -> Result<(), String> {
    let blob = blob(name, text)?;
    let url = web_sys::Url::create_object_url_with_blob(&blob).map_err(js_error)?;
    let doc = document();
    let a: web_sys::HtmlAnchorElement = doc.create_element("a").map_err(js_error)?.unchecked_into();
    a.set_href(&url);
    a.set_download(name);
    a.set_rel("noopener");
    a.set_hidden(true);
    let body = doc.body().ok_or("页面没有 body")?;
    body.append_child(&a).map_err(js_error)?;
    a.click();
    a.remove();
    // The download has started reading the Blob; free the URL a while later.
    set_timeout(
        move || drop(web_sys::Url::revoke_object_url(&url)),
        std::time::Duration::from_secs(60),
    );
    Ok(())
}

/// A `File` of `text` typed by its name (the Web Share API shares files, not blobs).
fn file_of(name: &str, text: &str) -> Result<JsValue, String> {
    let ctor = Reflect::get(&js_sys::global(), &JsValue::from_str("File")).map_err(js_error)?;
    let ctor: js_sys::Function = ctor.dyn_into().map_err(|_| "浏览器不支持 File".to_string())?;
    let options = Object::new();
    Reflect::set(&options, &"type".into(), &mime_of(name).into()).map_err(js_error)?;
    let args = Array::of3(&parts(text), &JsValue::from_str(name), &options);
    Reflect::construct(&ctor, &args).map_err(js_error)
}

fn navigator_fn(name: &str) -> Option<js_sys::Function> {
    let nav = window().navigator();
    Reflect::get(&nav, &JsValue::from_str(name)).ok()?.dyn_into().ok()
}

fn share_data(file: &JsValue, title: &str) -> Object {
    let data = Object::new();
    let _ = Reflect::set(&data, &"files".into(), &Array::of1(file));
    let _ = Reflect::set(&data, &"title".into(), &title.into());
    data
}

/// Whether this browser can share this very file (`navigator.canShare({ files: [file] })`
/// with the file made of `name` and `text`): false where there is no Web Share API for files
/// (most desktop browsers) or the type is refused (Android Chromium refuses `.json`; hence
/// [`share_name`]).
pub fn can_share(name: &str, text: &str) -> bool {
    file_of(name, text).is_ok_and(|file| can_share_file(&file))
}

fn can_share_file(file: &JsValue) -> bool {
    let Some(can_share) = navigator_fn("canShare") else { return false };
    if navigator_fn("share").is_none() {
        return false;
    }
    let nav = window().navigator();
    can_share.call1(&nav, &share_data(file, "")).ok().and_then(|v| v.as_bool()).unwrap_or(false)
}

/// How a share ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Shared {
    /// Handed to another app.
    Sent,
    /// The person closed the share sheet.
    Cancelled,
    /// This browser cannot share files: the file was downloaded instead.
    Downloaded,
}

/// Shares the file with the system share sheet (must run in a tap's handler) once
/// `navigator.canShare` accepts this very file; where it does not, downloads it instead.
pub async fn share_or_download(name: &str, text: &str) -> Result<Shared, String> {
    let file = file_of(name, text)?;
    if !can_share_file(&file) {
        download(name, text)?;
        return Ok(Shared::Downloaded);
    }
    let share = navigator_fn("share").ok_or("浏览器不支持分享")?;
    let nav = window().navigator();
    let promise: js_sys::Promise =
        share.call1(&nav, &share_data(&file, name)).map_err(js_error)?.unchecked_into();
    match JsFuture::from(promise).await {
        Ok(_) => Ok(Shared::Sent),
        Err(e)
            if e.dyn_ref::<web_sys::DomException>().is_some_and(|d| d.name() == "AbortError") =>
        {
            Ok(Shared::Cancelled)
        }
        Err(e) => Err(js_error(e)),
    }
}

/// The bytes of a picked file.
pub async fn read_bytes(file: &web_sys::File) -> Result<Vec<u8>, String> {
    let buffer = JsFuture::from(file.array_buffer()).await.map_err(js_error)?;
    Ok(js_sys::Uint8Array::new(&buffer).to_vec())
}

/// The file input of a `change` event and the files picked in it.
pub fn picked_files(ev: &leptos::ev::Event) -> (web_sys::HtmlInputElement, Vec<web_sys::File>) {
    let input: web_sys::HtmlInputElement = event_target(ev);
    let files = input
        .files()
        .map(|list| (0..list.length()).filter_map(|i| list.get(i)).collect())
        .unwrap_or_default();
    (input, files)
}

/// Milliseconds since the page started (for the figures the benchmark prints).
pub fn now_ms() -> f64 {
    window().performance().map(|p| p.now()).unwrap_or_else(js_sys::Date::now)
}

/// Writes a timing line to the console (`ruhu-bench …`), where the benchmark script reads it.
pub fn log_timing(line: &str) {
    web_sys::console::info_1(&JsValue::from_str(&format!("ruhu-bench {line}")));
}
