//! 设置 › 本机公钥: this phone's own public key, which the township office seals the village's
//! prefilled drafts to (`ui::seal`, *Prefilled drafts*). Made the first time this card shows
//! (`seal::device_recipient`); `复制本机公钥` to send it to the office. Only where the page can
//! seal (`app.html`); the identity itself is never shown or exported.

use leptos::prelude::*;

use crate::core::config::short_key;
use crate::ui::{expect_store, seal};

/// The 本机公钥 card.
#[component]
pub fn DeviceKey() -> impl IntoView {
    let store = expect_store();
    let key = RwSignal::new(None::<Result<String, String>>);
    let note = RwSignal::new(None::<String>);
    if seal::AVAILABLE {
        leptos::task::spawn_local(async move {
            let read = seal::device_recipient(&store).await;
            key.try_set(Some(read));
        });
    }
    let copy = move |_| {
        let Some(Ok(k)) = key.get_untracked() else { return };
        leptos::task::spawn_local(async move {
            note.set(Some(if crate::ui::clipboard::copy(&k).await {
                "本机公钥已复制，可粘贴到微信发给乡镇办。".to_string()
            } else {
                "无法复制：请长按公钥手动复制。".to_string()
            }));
        });
    };
    seal::AVAILABLE.then(|| {
        view! {
            <section class="card device-key" aria-labelledby="device-key-h">
                <h2 id="device-key-h">"本机公钥"</h2>
                <p class="muted small">"乡镇办用它加密发给本机的预填入户文件（含花名册上的姓名、身份证号），只有本机能打开。请复制后发给乡镇办。"</p>
                {move || match key.get() {
                    None => view! { <p class="muted" role="status">"正在读取…"</p> }.into_any(),
                    Some(Err(e)) => view! { <p class="alert" role="alert">{e}</p> }.into_any(),
                    Some(Ok(k)) => view! {
                        <p><code class="recipient" data-testid="device-recipient" title=short_key(&k)>{k.clone()}</code></p>
                        <div class="actions">
                            <button type="button" class="button" on:click=copy>"复制本机公钥"</button>
                        </div>
                    }
                    .into_any(),
                }}
                {move || note.get().map(|n| view! { <p class="muted" role="status">{n}</p> })}
                <p class="muted small">"清除本机数据后会换一把新的密钥：以前发来的加密文件需要乡镇办重新导出。"</p>
            </section>
        }
    })
}
