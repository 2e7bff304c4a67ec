//! 解锁乡镇私钥: the import's prompt for the passphrase of the township's identity, shown when
//! sealed files come in on a device that keeps the identity (the office's, `ui::seal`) and
//! this page has not unlocked it yet. Once per page session: the identity unlocked stays in
//! this page's memory only. Unlocking runs scrypt 2^18 in WebAssembly (several seconds, the
//! page frozen meanwhile), so the prompt first paints 正在解锁… A wrong passphrase is said and
//! the files keep waiting; `跳过加密文件` imports the others and refuses the sealed ones by name.

use leptos::prelude::*;

use super::expect_transfer;
use super::import::resume_import;

/// The passphrase prompt of `sealed` waiting files.
#[component]
pub fn KeyPrompt(sealed: usize) -> impl IntoView {
    let t = expect_transfer();
    let pass = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let working = RwSignal::new(false);

    let unlock = move || {
        if working.get_untracked() {
            return;
        }
        let p = pass.get_untracked();
        if p.is_empty() {
            error.set(Some("请输入乡镇私钥的口令".to_string()));
            return;
        }
        error.set(None);
        working.set(true);
        // Paint 正在解锁… before the page is busy with scrypt.
        request_animation_frame(move || {
            set_timeout(
                move || {
                    if let Err(e) = resume_import(t, Some(&p)) {
                        error.set(Some(e));
                        working.set(false);
                    }
                },
                std::time::Duration::from_millis(20),
            )
        });
    };
    let skip = move |_| {
        let _ = resume_import(t, None);
    };

    view! {
        <section class="card key-prompt" aria-labelledby="key-prompt-h" data-testid="key-prompt">
            <h2 id="key-prompt-h">"解锁乡镇私钥"</h2>
            <p>{format!("{sealed} 个文件已加密（只有乡镇能打开）。输入乡镇私钥的口令后导入；本页关闭前不再询问。")}</p>
            <form on:submit=move |ev: leptos::ev::SubmitEvent| { ev.prevent_default(); unlock(); }>
                <label class="field">
                    <span>"私钥口令"</span>
                    <input type="password" name="key-passphrase" autocomplete="current-password"
                        prop:value=move || pass.get() on:input=move |ev| pass.set(event_target_value(&ev))
                        prop:disabled=move || working.get()/>
                </label>
                {move || error.get().map(|e| view! { <p class="alert" role="alert">{e}</p> })}
                {move || working.get().then(|| view! { <p class="muted" role="status">"正在解锁（约需数秒）…"</p> })}
                <div class="actions">
                    <button type="submit" class="button primary" prop:disabled=move || working.get()>"解锁并导入"</button>
                    <button type="button" class="button" on:click=skip prop:disabled=move || working.get()>"跳过加密文件"</button>
                </div>
            </form>
        </section>
    }
}
