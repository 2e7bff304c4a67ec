//! The web app (Leptos 0.8, client-side rendered): the three pages' apps, the hash router,
//! the contexts (store, settings, the record being edited) and the pages.
//!
//! **Four pages, one app.** `public/index.html` is the start page (bin `ruhu-start`,
//! [`start_page`], [`start`](mod@start)); `public/app.html` the surveyor's full app (bin
//! `ruhu-app` in `src/main.rs`, [`fn@start`], [`App`]); `public/office.html` the township
//! office's page (bin `ruhu-office`, [`start_office`], [`OfficeApp`]); `public/roster.html`
//! the office's 花名册核对 (bin `ruhu-roster`, feature `roster`: [`start_roster`],
//! [`roster`](mod@roster)). Each is its own Trunk run and wasm bundle; `./x.sh build` builds
//! the office's, the roster page's and the full app's first, then the start page, whose
//! `post_build` hook (`x.sh precache`) merges the other builds into
//! `dist/` and writes the one service worker's file list (`public/sw.js` says how it serves
//! them). Each page has the Trunk links (`../style/*.css`, `copy-file` of the manifest,
//! `sw.js` and `sw-register.js`, `copy-dir` of `icons/`, `rel="rust"` with its `data-bin`,
//! `data-wasm-opt="z"`), a static shell (`#boot`: the top bar and 正在载入…) shown until the
//! wasm runs, and `sw-register.js`: the service worker's registration and update prompt.
//! [`router`] moves a person between the pages as within one app; [`handover`] is what the
//! start page leaves for the full app.
//!
//! **Layout.** `Trunk.toml`: `target = "public/index.html"`, `dist = "dist"`,
//! `public_url = "./"` (relative asset URLs: the app works from any folder of any static
//! host), `offline = true`, the tools pinned (wasm-bindgen 0.2.130, wasm-opt 132), the
//! `post_build` hook. `public/`: the three pages, `manifest.webmanifest`, `icons/` (SVG sources
//! drawn by hand and PNGs rendered from them: 192, 512, maskable 512 with the picture inside
//! the 80 % safe circle), `sw.js`, `sw-register.js`. `style/`: `app.css` (mobile first: 360 px,
//! 48 px touch targets, system fonts), `records.css`, `form.css`, `township.css`, `print.css`.
//! `src/store.rs` + `src/store/`: the storage trait and its adapters. `src/ui.rs` + `src/ui/`:
//! this. `build.rs`: the build's identity (`RUHU_BUILD`, see [`handover::BUILD`]).
//! `.cargo/config.toml`: the wasm test runner and `--cfg erase_components` (Leptos' type
//! erasure, about a tenth off the wasm). `./x.sh serve` builds the office's page and the start
//! page once (debug) and serves the full app with Trunk's live rebuild: open
//! `http://127.0.0.1:8080/` (the start page) or `/app.html`. How `x.sh setup` installs the
//! tools (and skips what is there) is written beside it, in `x.sh`.
//!
//! **Each page's start** ([`fn@start`], [`start_page`], [`start_office`]): the panic hook
//! ([`crash`]: a Chinese message with 重新载入 instead of a frozen page), a
//! request that the browser keep our storage (`navigator.storage.persist()`: records must
//! survive storage pressure; 设置 shows the answer and the usage), the static shell removed,
//! then the page's app mounted on `<body>`. The full app first puts its list under a route the
//! start page opened it at ([`handover::arrived_from_start`]); a bare `office.html` opens 汇总.
//!
//! **Tests of the web app.**
//!
//! | what | where | run |
//! |---|---|---|
//! | store contract on memory | `src/store/memory.rs` (bodies in `src/store/contract.rs`) | `cargo test -p ruhu --lib store::` |
//! | store contract + IndexedDB specifics (reopening, pruning over 43 saves, 5,000 records) | `tests/store_wasm.rs` | `CHROMEDRIVER=/usr/bin/chromedriver cargo test --release --target wasm32-unknown-unknown --test store_wasm` |
//! | routes (the three pages' links, the intents), the hand-over (snapshot, kept files, an intent's route), settings, autosave, home → editor on a memory store | `tests/ui_wasm.rs` | same with `--test ui_wasm` |
//! | widgets and skip logic of the form | `tests/form_wasm.rs` | same with `--test form_wasm` |
//! | the start page and the hand-over | `tests/e2e/specs/start.spec.mjs` | `./x.sh e2e` (after `./x.sh build`) |
//! | shell and PWA on a 360×740 phone (offline reload through the service worker, the update prompt) | `tests/e2e/specs/shell.test.mjs`, `pwa.test.mjs` | `./x.sh e2e` |
//! | the 360 px audit's measured layout (prompt and snackbar stacked, phone on one line, chart text ≥ 12 px and apart, print preview scale) | `tests/e2e/specs/audit-360.spec.mjs` | `./x.sh e2e` |
//!
//! `./x.sh test` runs all of it (see `x.sh`). The e2e helpers (`tests/e2e/lib/app.mjs`) launch
//! `/usr/bin/chromium` with `--no-sandbox` and quiet flags (`lib/chromium-flags.mjs`: no
//! background networking, component updates, sync…) as a 360×740 phone (`zh-CN`,
//! `Asia/Shanghai`), log every request of the context, and `assertSameOrigin()` fails a spec if
//! one left the origin; `HomePage` / `EditorPage` locate by role and label;
//! `storedRecord(page, id)` reads a record straight from IndexedDB. The set-up installs a
//! Chinese font (`fonts-noto-cjk`), so that layout checks measure the glyphs a phone shows.

use leptos::prelude::*;

use crate::store::AnyStore;

pub mod app;
pub mod clock;
pub mod crash;
pub mod device;
pub mod editor;
pub mod evidence;
pub mod form;
pub mod handover;
pub mod home;
pub mod household;
pub mod load;
pub mod lock;
pub mod office;
pub mod parts;
pub mod print;
pub mod review;
pub mod risk;
pub mod roster;
pub mod router;
pub mod seal;
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
    crash::install();
    handover::arrived_from_start();
    request_persistence();
    remove_boot_shell();
    lock::gate(|| leptos::mount::mount_to_body(|| view! { <App/> }));
}

/// Starts the start page (`index.html`, [`start`](mod@start)): the home list from its snapshot.
pub fn start_page() {
    crash::install_hook();
    // With the app lock on, the records are sealed and this bundle has no crypto: the full
    // app (its lock screen) shows this route instead, and nothing is read or written here.
    if lock::is_set() {
        crate::store::vault::set_locked();
        handover::open_in_app(&router::Route::current());
        return;
    }
    request_persistence();
    remove_boot_shell();
    leptos::mount::mount_to_body(|| view! { <start::StartApp/> });
}

/// Starts the township office's app (`office.html`, its own bundle); a bare `office.html`
/// opens 汇总.
pub fn start_office() {
    crash::install_hook();
    request_persistence();
    open_bare_page_at(&router::Route::Township);
    remove_boot_shell();
    lock::gate(|| leptos::mount::mount_to_body(|| view! { <OfficeApp/> }));
}

/// Starts the township office's roster page (`roster.html`, bin `ruhu-roster`, built with the
/// `.xlsx` reader: [`roster`](mod@roster)); a bare `roster.html` opens `#/roster`.
pub fn start_roster() {
    crash::install_hook();
    request_persistence();
    open_bare_page_at(&router::Route::Roster(String::new()));
    remove_boot_shell();
    lock::gate(|| leptos::mount::mount_to_body(|| view! { <roster::RosterApp/> }));
}

/// A page opened bare (no `#/…`) shows `route` (the address is replaced, not added to the
/// history).
fn open_bare_page_at(route: &router::Route) {
    if window().location().hash().unwrap_or_default().is_empty() {
        if let Ok(history) = window().history() {
            let _ = history.replace_state_with_url(
                &wasm_bindgen::JsValue::NULL,
                "",
                Some(&route.fragment()),
            );
        }
    }
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
