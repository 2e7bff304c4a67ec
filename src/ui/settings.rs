//! The surveyor's settings: plain serde data in `localStorage`, a context, and the page.
//!
//! [`Settings`] lives under `localStorage["ruhu.settings"]` ([`STORAGE_KEY`], gloo-storage;
//! sealed with the app lock on, since it names the surveyor and the 研判人: `store::vault`),
//! `#[serde(default)]` so that old or partial values load. The defaults are
//! 莫力达瓦达斡尔族自治旗 / 额尔和乡 and `Policy::shipped(this year)`, shown as 未经核对 until a
//! person ticks the checkbox; changing the line un-confirms it, and changing the year takes that
//! year's shipped (unconfirmed) line. [`provide_settings_context`] / `expect_context::<
//! SettingsContext>()`; one Effect writes every change, and a failure to read or write is
//! shown ([`SettingsContext::error`]), never a panic. Settings are small and per device, so
//! they are not in IndexedDB with the records.
//!
//! The page (`#/settings`, [`SettingsPage`]) also shows whether the browser keeps the data for
//! good (`navigator.storage.persisted()`, requested at start) and how much space it uses
//! (`estimate()`, [`StorageStatus`]), and 清除本机数据 (`wipe`: the hand-over wipe).
//!
//! 乡镇公钥 ([`TownshipKey`], `settings/township_key.rs`): the township's public key that every
//! export is sealed to (`ui::seal`). 导入乡镇配置 ([`TownshipConfigImport`],
//! `settings/township_config.rs`): the office's `ruhu.config/1` (`core::config`) read, what it
//! changes listed (`TownshipConfig::changes`), applied on 确定 (villages, 旗/乡镇, the
//! confirmed line of the year, the public key, whether the lock is required), 取消 keeps all.
//! 本机公钥 ([`DeviceKey`]): this phone's own key, which the office seals prefilled drafts to.
//!
//! The policy applies to the visits of its year: a record visited in another year is judged by
//! that year's shipped line, marked unconfirmed (`Policy::for_visit` / `for_year`), in the
//! editor, the home list and the township pages alike.

use chrono::Datelike;
use gloo_storage::{LocalStorage, Storage};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::core::policy::Policy;
use crate::core::record::{DEFAULT_BANNER, DEFAULT_TOWNSHIP};

mod device_key;
mod lock;
mod lock_required;
mod page;
mod storage_status;
mod township_config;
mod township_key;
mod wipe;

pub use device_key::DeviceKey;
pub use lock_required::LockRequired;
pub use page::SettingsPage;
pub use storage_status::StorageStatus;
pub use township_config::TownshipConfigImport;
pub use township_key::TownshipKey;

/// The `localStorage` key of [`Settings`].
pub const STORAGE_KEY: &str = "ruhu.settings";

/// What the surveyor sets once and every new record starts from.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Settings {
    /// 本户排查人: the surveyor using this phone.
    pub surveyor: String,
    /// 风险研判人 names the surveyor often works with (offered on each record).
    pub assessors: Vec<String>,
    /// 旗 of new records.
    pub banner: String,
    /// 乡镇 of new records.
    pub township: String,
    /// The villages (村) of the township, offered on each record.
    pub villages: Vec<String>,
    /// The policy the engine evaluates with (monitoring year, line, whether a person
    /// confirmed it). The shipped default is unconfirmed.
    pub policy: Policy,
    /// 乡镇公钥: the township's recipient (`age1…`, checked before it is kept) that every
    /// export is sealed to; empty: files are not sealed (`ui::seal`).
    pub township_key: String,
    /// The township's configuration requires the app lock (乡镇配置 `lock_required`): 设置
    /// says so. The lock itself is `settings/lock.rs`'s.
    pub lock_required: bool,
}

impl Default for Settings {
    fn default() -> Self {
        Settings::for_year(super::clock::today().year())
    }
}

impl Settings {
    /// The defaults for a year: 莫旗 / 额尔和乡, the shipped (unconfirmed) policy of that year.
    pub fn for_year(year: i32) -> Self {
        Settings {
            surveyor: String::new(),
            assessors: Vec::new(),
            banner: DEFAULT_BANNER.to_string(),
            township: DEFAULT_TOWNSHIP.to_string(),
            villages: Vec::new(),
            policy: Policy::shipped(year),
            township_key: String::new(),
            lock_required: false,
        }
    }

    /// Reads the stored settings; the defaults when there are none. A stored value that
    /// cannot be read gives the defaults and a message.
    pub fn load() -> (Settings, Option<String>) {
        match LocalStorage::raw().get_item(STORAGE_KEY) {
            Ok(None) => (Settings::default(), None),
            Ok(Some(text)) => {
                // Sealed with the app lock on (`store::vault`), else plain JSON.
                let text = match crate::store::vault::open_text(STORAGE_KEY, &text) {
                    Ok(t) => t,
                    Err(e) => return (Settings::default(), Some(format!("设置无法读取：{e}"))),
                };
                match serde_json::from_str(&text) {
                    Ok(s) => (s, None),
                    Err(e) => {
                        (Settings::default(), Some(format!("设置无法读取（{e}），已改用默认值。")))
                    }
                }
            }
            Err(_) => {
                (Settings::default(), Some("无法读取浏览器存储，设置不会被保存。".to_string()))
            }
        }
    }

    /// Writes the settings to `localStorage` (sealed with the app lock on: they name people).
    pub fn save(&self) -> Result<(), String> {
        let text = serde_json::to_string(self).map_err(|e| format!("设置没有保存：{e}"))?;
        let text = crate::store::vault::seal_text(STORAGE_KEY, &text)
            .map_err(|e| format!("设置没有保存：{e}"))?;
        LocalStorage::raw()
            .set_item(STORAGE_KEY, &text)
            .map_err(|_| "设置没有保存：浏览器存储已满或被禁用。".to_string())
    }
}

/// The settings, for every page (`expect_context::<SettingsContext>()`).
#[derive(Clone, Copy)]
pub struct SettingsContext {
    /// The settings; every change is written to `localStorage`.
    pub settings: RwSignal<Settings>,
    /// The last failure to read or write them, for people.
    pub error: RwSignal<Option<String>>,
}

/// Loads the settings, provides [`SettingsContext`] and keeps `localStorage` in step.
pub fn provide_settings_context() -> SettingsContext {
    let (loaded, error) = Settings::load();
    let ctx = SettingsContext { settings: RwSignal::new(loaded), error: RwSignal::new(error) };
    // The one place settings are persisted: every change after the first read is written.
    Effect::new(move |first_done: Option<()>| {
        let settings = ctx.settings.get();
        if first_done.is_some() {
            ctx.error.set(settings.save().err());
        }
    });
    provide_context(ctx);
    ctx
}

/// Names typed one per line (or separated by commas), trimmed, without blanks or repeats.
pub fn parse_names(text: &str) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    for name in text.split(['\n', ',', '，', '、']).map(str::trim).filter(|s| !s.is_empty()) {
        if !names.iter().any(|n| n == name) {
            names.push(name.to_string());
        }
    }
    names
}
