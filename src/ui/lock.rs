//! The app lock (issue 14): a PIN or passphrase set in 设置 › 应用锁, asked when a page that
//! reads records opens and after 5 minutes in the background, and the key that encrypts
//! everything about people on the device while it is on (`store::vault`).
//!
//! **Where it is asked.** Every page that reads records starts through [`gate`]: the full app
//! (`app.html`), the office (`office.html`) and its roster page (`roster.html`), the three
//! bundles built with the cargo feature `vault` (Trunk's `data-cargo-features`). With the lock
//! on, the page mounts only the lock screen (`screen`: an input 密码 and 解锁, nothing from the
//! records, which are not even read) until the data key is held; then the lock screen is
//! unmounted and the page's app mounted. A tab that unlocked once keeps the key for its next
//! pages (`session`: wrapped by a non-extractable WebCrypto key), so moving between the
//! pages does not ask again. After 5 minutes with the page hidden (`visibilitychange`; the
//! time is checked when it shows again, and a timer locks a page left hidden) the session
//! ends and the page reloads: nothing decrypted stays in memory, and the lock screen shows.
//! The editor's journal (written at every change) puts back what was typed after the unlock.
//!
//! **The start page** (`index.html`, bin `ruhu-start`) has no crypto (its bundle is at the
//! first-load budget): with the lock on it hands over to `app.html` at the same route at once
//! ([`is_set`], read before it mounts), so it never reads or writes anything then — no plain
//! snapshot, no stashed files; the store refuses writes while locked too (`vault::Mode::Locked`).
//!
//! **The lock's public parameters** are in `localStorage["ruhu.lock"]` ([`PARAMS`]):
//! `{"format":"ruhu.lock/1","iterations":600000,"salt":…,"wrapped":…,"check":…,"pass":…}`
//! (base64): the PBKDF2 salt and iteration count, the data key wrapped by the key derived from
//! the PIN, `check` (a known text sealed with the data key: a session's key is used only if it
//! opens it), and `pass` while a pass is unfinished. Wrong attempts are counted in
//! `localStorage["ruhu.lock-attempts"]` ([`ATTEMPTS`]): `{"failed":n,"at":ms}`; after the n-th
//! wrong PIN the next try waits 2ⁿ⁻¹ seconds (1, 2, 4 … at most 15 minutes), across reloads.
//! A correct PIN resets it.
//!
//! **Turning it on** (`turn_on`): a random data key and salt; the parameters are written with
//! `"pass":"seal"` *before* any value is sealed (so a crash never leaves sealed values
//! without their key), then the key is held (writes are sealed from now on) and the pass
//! rewrites what is stored: IndexedDB (`IdbStore::reseal`: records, history, marks, app
//! values) and the `localStorage` items about people ([`SEALED_ITEMS`]: settings, the
//! editor's journal, the report drafts); then `pass` is removed. **Turning it off**
//! (`turn_off`, the PIN asked again) writes `"pass":"open"`, writes plain from then on and
//! opens every value the same way; then the parameters go. A pass cut by a crash or a closed
//! tab is resumed at the next unlock, before the app opens (each value is rewritten whole, and
//! plain and sealed values are both read with the key: `store::vault`). **Changing the PIN**
//! wraps the same data key again (one `localStorage` write): nothing else is rewritten.
//!
//! **Other tabs** ([`follow_other_tabs`], on the pages with a gate; the start page, which
//! writes only the files it stashes for an import, checks [`is_set`] before that instead). A
//! tab already open when the lock is turned on, off, or its pass finishes in another tab hears
//! it from the browser (the `storage` event of `localStorage["ruhu.lock"]`, which fires in
//! every other document of the origin) and reloads at once: then its gate asks for the PIN
//! (turned on: this tab has no session for the new key), resumes the pass, or opens plain
//! (turned off). So no tab goes on writing plain values after the lock was turned on, nor
//! sealed ones while another tab opens them all. What was typed there is kept by the editor's
//! journal (written at every change) and offered back after the reload. A change of the PIN
//! alone (same key, no pass) does not reload.
//!
//! What the lock does not protect against, and the key derivation's parameters and cost, are
//! in `store::vault`'s docs.

#[cfg(feature = "vault")]
mod kdf;
#[cfg(feature = "vault")]
pub mod screen;
#[cfg(feature = "vault")]
pub mod session;

/// The `localStorage` item of the lock's public parameters (present = the lock is on).
pub const PARAMS: &str = "ruhu.lock";
/// The `localStorage` item of the count of wrong attempts.
pub const ATTEMPTS: &str = "ruhu.lock-attempts";
/// The `localStorage` items about people, sealed with the lock on: the settings
/// (`ui::settings`), the editor's journal (`ui::editor::journal`, by prefix) and the office's
/// report drafts (`ui::township::report`, by prefix). Their writers and readers go through
/// `store::vault::seal_text` / `open_text` with the item's key as the place.
pub const SEALED_ITEMS: &[&str] = &["ruhu.settings", "ruhu-journal:", "ruhu.report:"];

/// Whether the app lock is on (its parameters are stored). No crypto: the start page asks.
pub fn is_set() -> bool {
    web_sys::window()
        .and_then(|w| w.local_storage().ok().flatten())
        .and_then(|s| s.get_item(PARAMS).ok().flatten())
        .is_some()
}

/// Whether the lock is on and which pass is unfinished, as a `localStorage["ruhu.lock"]`
/// value shows them (`None`: the lock is off). Text only: the start page has no JSON reader
/// for it, and the parameters are written by this module alone (`"pass":"seal"`/`"open"`).
fn lock_state(value: Option<&str>) -> Option<Option<&'static str>> {
    value.map(|v| {
        if v.contains("\"pass\":\"seal\"") {
            Some("seal")
        } else if v.contains("\"pass\":\"open\"") {
            Some("open")
        } else {
            None
        }
    })
}

/// Reloads this page when another tab turns the lock on or off or finishes a pass (module
/// docs: *Other tabs*). Once per page.
pub fn follow_other_tabs() {
    use wasm_bindgen::JsCast;
    let Some(window) = web_sys::window() else { return };
    let listener = wasm_bindgen::closure::Closure::<dyn Fn(web_sys::StorageEvent)>::new(
        |e: web_sys::StorageEvent| {
            if e.key().as_deref() != Some(PARAMS) {
                return;
            }
            let (old, new) = (e.old_value(), e.new_value());
            if lock_state(old.as_deref()) != lock_state(new.as_deref()) {
                if let Some(w) = web_sys::window() {
                    let _ = w.location().reload();
                }
            }
        },
    );
    let _ = window.add_event_listener_with_callback("storage", listener.as_ref().unchecked_ref());
    listener.forget();
}

/// Starts a page that reads records: at once when the lock is off; else after the lock
/// screen (or this tab's session) gave the key, and a pass left unfinished was resumed.
#[cfg(not(feature = "vault"))]
pub fn gate(mount: impl FnOnce() + 'static) {
    if is_set() {
        crate::store::vault::set_locked();
    }
    mount();
}

#[cfg(feature = "vault")]
pub use on::*;

#[cfg(feature = "vault")]
mod on {
    use std::cell::RefCell;

    use gloo_storage::Storage as _;
    use leptos::prelude::*;
    use serde::{Deserialize, Serialize};
    use wasm_bindgen::JsCast;

    use super::{kdf, screen, session, ATTEMPTS, PARAMS, SEALED_ITEMS};
    use crate::store::vault::{self, base64_decode, base64_into, Mode, KDF_ITERATIONS};
    use crate::store::IdbStore;

    /// How long the page may be hidden before it locks.
    pub const BACKGROUND_MS: f64 = 5.0 * 60.0 * 1000.0;
    const FORMAT: &str = "ruhu.lock/1";
    const CHECK_PLACE: &str = "lock/check";
    const CHECK_TEXT: &[u8] = b"ruhu-lock-check";
    /// The longest wait between wrong attempts.
    const MAX_WAIT_S: f64 = 900.0;

    /// Which pass is unfinished.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
    #[serde(rename_all = "lowercase")]
    pub enum Pass {
        Seal,
        Open,
    }

    /// The lock's public parameters (module docs of [`super`]).
    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    pub struct Params {
        pub format: String,
        pub iterations: u32,
        pub salt: String,
        pub wrapped: String,
        pub check: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub pass: Option<Pass>,
    }

    fn b64(bytes: &[u8]) -> String {
        let mut s = String::new();
        base64_into(bytes, &mut s);
        s
    }

    fn local() -> Result<web_sys::Storage, String> {
        web_sys::window()
            .and_then(|w| w.local_storage().ok().flatten())
            .ok_or_else(|| "无法使用浏览器存储（localStorage）".to_string())
    }

    impl Params {
        /// The stored parameters: `Ok(None)` when the lock is off.
        pub fn load() -> Result<Option<Params>, String> {
            let Some(text) = local()?.get_item(PARAMS).ok().flatten() else { return Ok(None) };
            serde_json::from_str(&text)
                .map(Some)
                .map_err(|e| format!("应用锁的参数无法读取（{e}）"))
        }

        fn save(&self) -> Result<(), String> {
            let text = serde_json::to_string(self).map_err(|e| e.to_string())?;
            local()?
                .set_item(PARAMS, &text)
                .map_err(|_| "应用锁的参数没有保存（浏览器存储已满或被禁用）".to_string())
        }

        /// The data key, if `kek` opens the wrapped key.
        fn unwrap(&self, kek: &[u8; 32]) -> Option<[u8; 32]> {
            vault::unwrap_key(kek, &base64_decode(&self.wrapped)?)
        }

        /// Whether `key` is this lock's data key.
        fn is_key(&self, key: &[u8; 32]) -> bool {
            base64_decode(&self.check)
                .and_then(|c| vault::open_with_key(key, CHECK_PLACE, &c))
                .is_some_and(|t| t == CHECK_TEXT)
        }

        fn mode(&self) -> Mode {
            if self.pass == Some(Pass::Open) {
                Mode::Opening
            } else {
                Mode::Sealing
            }
        }
    }

    /// The count of wrong attempts and when the last one was.
    #[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
    pub struct Attempts {
        pub failed: u32,
        pub at: f64,
    }

    impl Attempts {
        pub fn load() -> Attempts {
            gloo_storage::LocalStorage::get(ATTEMPTS).unwrap_or_default()
        }

        fn save(&self) {
            let _ = gloo_storage::LocalStorage::set(ATTEMPTS, self);
        }

        /// Seconds to wait before the next try after `failed` wrong ones: 2ⁿ⁻¹, at most 15 min.
        pub fn wait_s(failed: u32) -> f64 {
            if failed == 0 {
                0.0
            } else {
                2f64.powi(failed.min(20) as i32 - 1).min(MAX_WAIT_S)
            }
        }

        /// Milliseconds left before the next try is allowed.
        pub fn left_ms(&self) -> f64 {
            (self.at + Self::wait_s(self.failed) * 1000.0 - js_sys::Date::now()).max(0.0)
        }
    }

    /// A PIN of at least 6 digits, or a passphrase of at least 8 characters that is not only
    /// digits; else what is wrong, in Chinese.
    pub fn check_secret(secret: &str, again: &str) -> Result<(), String> {
        let n = secret.chars().count();
        if secret.trim().is_empty() {
            return Err("请输入新密码。".to_string());
        }
        if secret != secret.trim() {
            return Err("密码的开头和结尾不能是空格。".to_string());
        }
        if secret.chars().all(|c| c.is_ascii_digit()) {
            if n < 6 {
                return Err(format!("数字密码至少要 6 位（现在是 {n} 位）。"));
            }
        } else if n < 8 {
            return Err(format!(
                "含字母或符号的密码至少要 8 个字符（现在是 {n} 个）；也可以用 6 位以上的数字。"
            ));
        }
        if secret != again {
            return Err("两次输入的密码不一样，请重新输入确认新密码。".to_string());
        }
        Ok(())
    }

    /// Why a try to unlock did not open.
    #[derive(Debug, Clone, PartialEq)]
    pub enum Refused {
        /// Too early after wrong attempts: milliseconds left.
        Wait(f64),
        /// A wrong PIN: how many wrong ones now, and the wait before the next.
        Wrong { failed: u32, wait_s: f64 },
        /// Something else failed (a message for people).
        Failed(String),
    }

    /// Tries `secret`: on success the key is held, this tab's session begun and an unfinished
    /// pass resumed (`progress` told of it).
    pub async fn unlock(secret: &str, progress: impl Fn(u32, u32)) -> Result<(), Refused> {
        let params = Params::load().map_err(Refused::Failed)?.ok_or_else(|| {
            Refused::Failed("应用锁已关闭（在另一窗口中）。请重新载入。".to_string())
        })?;
        let attempts = Attempts::load();
        let left = attempts.left_ms();
        if left > 0.0 {
            return Err(Refused::Wait(left));
        }
        let salt = base64_decode(&params.salt)
            .ok_or_else(|| Refused::Failed("应用锁的参数已损坏".to_string()))?;
        let kek = kdf::derive(secret, &salt, params.iterations).await.map_err(Refused::Failed)?;
        let Some(key) = params.unwrap(&kek) else {
            let failed = attempts.failed + 1;
            Attempts { failed, at: js_sys::Date::now() }.save();
            return Err(Refused::Wrong { failed, wait_s: Attempts::wait_s(failed) });
        };
        let _ = local().map(|s| s.remove_item(ATTEMPTS));
        opened(&key, &params, progress).await.map_err(Refused::Failed)?;
        if let Err(e) = session::begin(&key).await {
            web_sys::console::warn_1(&format!("会话密钥未保存：{e}").into());
        }
        Ok(())
    }

    /// Holds `key` and finishes a pass left unfinished.
    async fn opened(
        key: &[u8; 32],
        params: &Params,
        progress: impl Fn(u32, u32),
    ) -> Result<(), String> {
        vault::unlock(key, params.mode());
        hold_web(key).await;
        if let Some(pass) = params.pass {
            finish_pass(pass, progress).await?;
        }
        Ok(())
    }

    /// Gives the key to WebCrypto too, for reading many records at once (`vault::web`); without
    /// it the Rust cipher does all (slower, same result).
    async fn hold_web(key: &[u8; 32]) {
        if let Err(e) = vault::web::hold(key).await {
            web_sys::console::warn_1(&format!("WebCrypto 密钥未载入：{e}").into());
        }
    }

    /// Runs the pass over the store and `localStorage`, then clears its marker (the lock's
    /// parameters go with an opening pass).
    async fn finish_pass(pass: Pass, progress: impl Fn(u32, u32)) -> Result<(), String> {
        IdbStore::new().reseal(progress).await.map_err(|e| e.to_string())?;
        reseal_local().map_err(|e| e.to_string())?;
        match pass {
            Pass::Seal => {
                let mut params = Params::load()?.ok_or("应用锁的参数不见了")?;
                params.pass = None;
                params.save()?;
            }
            Pass::Open => {
                let s = local()?;
                s.remove_item(PARAMS).map_err(|_| "应用锁的参数无法删除".to_string())?;
                let _ = s.remove_item(ATTEMPTS);
                session::end_all().await;
                vault::forget();
            }
        }
        Ok(())
    }

    /// The `localStorage` items about people ([`SEALED_ITEMS`]) rewritten as the vault's mode
    /// says (each one whole: a crash leaves it as it was or as it should be).
    pub fn reseal_local() -> Result<u32, crate::store::StoreError> {
        let storage = local().map_err(crate::store::StoreError::failed)?;
        let n = storage.length().unwrap_or(0);
        let keys: Vec<String> = (0..n)
            .filter_map(|i| storage.key(i).ok().flatten())
            .filter(|k| SEALED_ITEMS.iter().any(|p| k.starts_with(p)))
            .collect();
        let mut rewritten = 0;
        for k in keys {
            let Some(text) = storage.get_item(&k).ok().flatten() else { continue };
            if let Some(new) = vault::refit_text(&k, &text)? {
                storage.set_item(&k, &new).map_err(|_| crate::store::StoreError::quota())?;
                rewritten += 1;
            }
        }
        Ok(rewritten)
    }

    /// 开启应用锁: a new data key wrapped by `secret`, then the pass that seals what is stored.
    pub async fn turn_on(secret: &str, progress: impl Fn(u32, u32)) -> Result<(), String> {
        kdf::subtle()?;
        if Params::load()?.is_some() {
            return Err("应用锁已经开启。".to_string());
        }
        let key = vault::random_key().map_err(|e| e.to_string())?;
        let mut salt = [0u8; 16];
        vault::random(&mut salt).map_err(|e| e.to_string())?;
        let kek = kdf::derive(secret, &salt, KDF_ITERATIONS).await?;
        let wrapped = vault::wrap_key(&kek, &key).map_err(|e| e.to_string())?;
        let check =
            vault::seal_with_key(&key, CHECK_PLACE, CHECK_TEXT).map_err(|e| e.to_string())?;
        let params = Params {
            format: FORMAT.to_string(),
            iterations: KDF_ITERATIONS,
            salt: b64(&salt),
            wrapped: b64(&wrapped),
            check: b64(&check),
            pass: Some(Pass::Seal),
        };
        // The key is stored (wrapped) before anything is sealed with it.
        params.save()?;
        let _ = local().map(|s| s.remove_item(ATTEMPTS));
        vault::unlock(&key, Mode::Sealing);
        hold_web(&key).await;
        if let Err(e) = session::begin(&key).await {
            web_sys::console::warn_1(&format!("会话密钥未保存：{e}").into());
        }
        watch_background();
        finish_pass(Pass::Seal, progress).await
    }

    /// The data key if `secret` is the lock's PIN (an attempt counted like the lock screen's).
    async fn verify(secret: &str) -> Result<(Params, [u8; 32]), String> {
        let params = Params::load()?.ok_or("应用锁没有开启。")?;
        let attempts = Attempts::load();
        let left = attempts.left_ms();
        if left > 0.0 {
            return Err(format!("密码错误次数过多，请 {} 秒后再试。", (left / 1000.0).ceil()));
        }
        let salt = base64_decode(&params.salt).ok_or("应用锁的参数已损坏")?;
        let kek = kdf::derive(secret, &salt, params.iterations).await?;
        match params.unwrap(&kek) {
            Some(key) => {
                let _ = local().map(|s| s.remove_item(ATTEMPTS));
                Ok((params, key))
            }
            None => {
                let failed = attempts.failed + 1;
                Attempts { failed, at: js_sys::Date::now() }.save();
                Err(format!(
                    "当前密码不对（已错 {failed} 次），请 {} 秒后再试。",
                    Attempts::wait_s(failed)
                ))
            }
        }
    }

    /// 修改密码: the same data key wrapped by `new` (one write; nothing else changes).
    pub async fn change(current: &str, new: &str) -> Result<(), String> {
        let (mut params, key) = verify(current).await?;
        let mut salt = [0u8; 16];
        vault::random(&mut salt).map_err(|e| e.to_string())?;
        let kek = kdf::derive(new, &salt, KDF_ITERATIONS).await?;
        params.salt = b64(&salt);
        params.iterations = KDF_ITERATIONS;
        params.wrapped = b64(&vault::wrap_key(&kek, &key).map_err(|e| e.to_string())?);
        params.save()
    }

    /// 关闭应用锁: after the PIN, every value opened (the pass), then the parameters go.
    pub async fn turn_off(current: &str, progress: impl Fn(u32, u32)) -> Result<(), String> {
        let (mut params, _key) = verify(current).await?;
        params.pass = Some(Pass::Open);
        params.save()?;
        vault::set_mode(Mode::Opening);
        finish_pass(Pass::Open, progress).await
    }

    thread_local! {
        /// The lock screen while it is mounted.
        static SCREEN: RefCell<Option<Box<dyn std::any::Any>>> = const { RefCell::new(None) };
        /// What mounts the page's app once the lock screen opens.
        static MOUNT: RefCell<Option<Box<dyn FnOnce()>>> = const { RefCell::new(None) };
        /// When the page was hidden, and the timer that locks it.
        static HIDDEN: RefCell<Option<(f64, i32)>> = const { RefCell::new(None) };
        static WATCHING: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
    }

    /// Starts a page that reads records (module docs of [`super`]).
    pub fn gate(mount: impl FnOnce() + 'static) {
        let params = match Params::load() {
            Ok(None) => return mount(),
            Ok(Some(p)) => Some(p),
            Err(e) => {
                web_sys::console::error_1(&e.into());
                None
            }
        };
        vault::set_locked();
        // Before anything is mounted Leptos has no executor yet.
        wasm_bindgen_futures::spawn_local(async move {
            if let Some(params) = params {
                if let Some(key) = session::resume().await.filter(|k| params.is_key(k)) {
                    let status = status_line("正在打开…");
                    let done = opened(&key, &params, |done, total| {
                        status.set_text_content(Some(&format!("正在转换本机数据… {done}/{total}")))
                    })
                    .await;
                    status.remove();
                    if done.is_ok() {
                        watch_background();
                        return mount();
                    }
                    vault::set_locked();
                }
            }
            show_screen(mount);
        });
    }

    fn status_line(text: &str) -> web_sys::Element {
        let doc = document();
        let p = doc.create_element("p").expect("an element");
        p.set_class_name("page muted");
        let _ = p.set_attribute("role", "status");
        p.set_text_content(Some(text));
        if let Some(body) = doc.body() {
            let _ = body.append_child(&p);
        }
        p
    }

    fn show_screen(mount: impl FnOnce() + 'static) {
        MOUNT.with(|m| *m.borrow_mut() = Some(Box::new(mount)));
        let handle = leptos::mount::mount_to(document().body().expect("a body"), move || {
            view! { <screen::LockScreen opened=Callback::new(|()| screen_opened())/> }
        });
        SCREEN.with(|s| *s.borrow_mut() = Some(Box::new(handle)));
    }

    /// The lock screen gave the key: it is unmounted (after the handler that opened it has
    /// returned) and the page's app mounted.
    fn screen_opened() {
        set_timeout(
            || {
                SCREEN.with(|s| s.borrow_mut().take());
                watch_background();
                if let Some(mount) = MOUNT.with(|m| m.borrow_mut().take()) {
                    mount();
                }
            },
            std::time::Duration::ZERO,
        );
    }

    /// Locks the page now: this tab's session ends, the key is dropped, and the page reloads
    /// (nothing decrypted stays in memory; the lock screen shows).
    pub fn lock_now() {
        vault::set_locked();
        wasm_bindgen_futures::spawn_local(async {
            session::end().await;
            let _ = window().location().reload();
        });
    }

    /// Locks the page after [`BACKGROUND_MS`] hidden (once per page).
    fn watch_background() {
        if WATCHING.with(|w| w.replace(true)) {
            return;
        }
        let listener = wasm_bindgen::closure::Closure::<dyn Fn()>::new(|| {
            if !super::is_set() || vault::mode() != Mode::Sealing && vault::mode() != Mode::Opening
            {
                return;
            }
            let hidden = document().visibility_state() == web_sys::VisibilityState::Hidden;
            let now = js_sys::Date::now();
            if hidden {
                let timer = window()
                    .set_timeout_with_callback_and_timeout_and_arguments_0(
                        wasm_bindgen::closure::Closure::once_into_js(|| {
                            if document().visibility_state() == web_sys::VisibilityState::Hidden {
                                lock_now();
                            }
                        })
                        .unchecked_ref(),
                        BACKGROUND_MS as i32,
                    )
                    .unwrap_or(0);
                HIDDEN.with(|h| {
                    if let Some((_, old)) = h.borrow_mut().replace((now, timer)) {
                        window().clear_timeout_with_handle(old);
                    }
                });
            } else if let Some((since, timer)) = HIDDEN.with(|h| h.borrow_mut().take()) {
                window().clear_timeout_with_handle(timer);
                if now - since >= BACKGROUND_MS {
                    lock_now();
                }
            }
        });
        let _ = document().add_event_listener_with_callback(
            "visibilitychange",
            listener.as_ref().unchecked_ref(),
        );
        listener.forget();
    }
}
