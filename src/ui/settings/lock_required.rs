//! The notice `乡镇要求开启应用锁` (a 乡镇配置 with `lock_required`, `township_config`), on the
//! full app's home list and at the top of 设置, while the lock is off on this phone; the link
//! opens 设置 › 应用锁. The start page has no notice: while the lock is required and off it
//! hands over to the full app's list at once (`start::home`), so the notice is what the
//! surveyor sees on opening the app.

use leptos::prelude::*;

use super::SettingsContext;
use crate::ui::router::Route;

/// The notice, or nothing (the lock is on, or not required).
#[component]
pub fn LockRequired() -> impl IntoView {
    let SettingsContext { settings, .. } = expect_context::<SettingsContext>();
    move || {
        (settings.with(|s| s.lock_required) && !crate::ui::lock::is_set()).then(|| {
            view! {
                <p class="warn lock-required" role="status" data-testid="lock-required">
                    "乡镇要求开启应用锁："<a href=Route::Settings.href()>"请在设置中开启应用锁"</a>"。"
                </p>
            }
        })
    }
}
