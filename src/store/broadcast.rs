//! Telling the other tabs and windows of this origin that records changed (issue 13: a write
//! in one tab shows in the others' lists). After every write transaction of the IndexedDB
//! store commits, it posts `{ tab, ids }` on the `BroadcastChannel` [`CHANNEL`] (`ids`: the
//! records written, empty for marks, a delete or a clear); [`subscribe`] hears the other
//! tabs' posts (a tab's own are left out by its random `tab` id). A browser without
//! BroadcastChannel posts and hears nothing (each tab still reads the store when it loads).
//!
//! 清除本机数据 (`ui::settings::wipe`) posts `{ tab, ids: [], wipe: true }` ([`post_wipe`]):
//! every other page of the origin forgets its sessionStorage and reloads, emptied. That is
//! heard by `public/sw-register.js` (every page loads it; plain JS, so it works whatever the
//! page's wasm is doing), which leaves out the wiping page itself by its `data-wiping`
//! attribute on `<html>`; [`subscribe`]rs see such a post as "something changed".

use std::cell::OnceCell;

use uuid::Uuid;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{BroadcastChannel, MessageEvent};

/// The channel's name.
pub const CHANNEL: &str = "ruhu-records";

thread_local! {
    static TAB: String = Uuid::new_v4().simple().to_string();
    static POSTER: OnceCell<Option<BroadcastChannel>> = const { OnceCell::new() };
}

/// Tells the other tabs that these records (or, with none, marks or the store) changed.
pub fn post(ids: &[Uuid]) {
    POSTER.with(|p| {
        let Some(channel) = p.get_or_init(|| BroadcastChannel::new(CHANNEL).ok()) else { return };
        let message = js_sys::Object::new();
        let _ = js_sys::Reflect::set(&message, &"tab".into(), &TAB.with(|t| t.as_str().into()));
        let list: js_sys::Array = ids.iter().map(|id| JsValue::from_str(&id.to_string())).collect();
        let _ = js_sys::Reflect::set(&message, &"ids".into(), &list);
        let _ = channel.post_message(&message);
    });
}

/// Tells the other tabs that this device's data is being wiped: they reload (see the module
/// docs). The page that posts must carry `data-wiping` on `<html>` first.
pub fn post_wipe() {
    POSTER.with(|p| {
        let Some(channel) = p.get_or_init(|| BroadcastChannel::new(CHANNEL).ok()) else { return };
        let message = js_sys::Object::new();
        let _ = js_sys::Reflect::set(&message, &"tab".into(), &TAB.with(|t| t.as_str().into()));
        let _ = js_sys::Reflect::set(&message, &"ids".into(), &js_sys::Array::new());
        let _ = js_sys::Reflect::set(&message, &"wipe".into(), &true.into());
        let _ = channel.post_message(&message);
    });
}

/// A subscription: hears until dropped.
pub struct Subscription {
    channel: BroadcastChannel,
    _on_message: Closure<dyn FnMut(MessageEvent)>,
}

impl Drop for Subscription {
    fn drop(&mut self) {
        self.channel.set_onmessage(None);
        self.channel.close();
    }
}

/// Calls `f` with the ids of every post of another tab (empty: something else changed).
pub fn subscribe(mut f: impl FnMut(Vec<Uuid>) + 'static) -> Option<Subscription> {
    let channel = BroadcastChannel::new(CHANNEL).ok()?;
    let own = TAB.with(Clone::clone);
    let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |ev: MessageEvent| {
        let data = ev.data();
        let tab = js_sys::Reflect::get(&data, &"tab".into()).ok().and_then(|t| t.as_string());
        if tab.as_deref() == Some(own.as_str()) {
            return;
        }
        let ids = js_sys::Reflect::get(&data, &"ids".into())
            .ok()
            .and_then(|v| v.dyn_into::<js_sys::Array>().ok())
            .map(|a| {
                a.iter()
                    .filter_map(|v| v.as_string().and_then(|s| Uuid::parse_str(&s).ok()))
                    .collect()
            })
            .unwrap_or_default();
        f(ids);
    });
    channel.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    Some(Subscription { channel, _on_message: on_message })
}
