//! Whether the browser keeps our data for good, and how much space it uses: the browser's
//! figure for the whole site, and of it the photos (佐证材料, `store::AttachmentStore`:
//! how many and their bytes).

use leptos::prelude::*;
use wasm_bindgen_futures::JsFuture;

use crate::ui::storage_manager;

/// What `navigator.storage` says.
#[derive(Clone, Debug, PartialEq)]
struct Status {
    persisted: Option<bool>,
    usage: Option<f64>,
    quota: Option<f64>,
    /// The photos kept on this device.
    photos: Option<crate::store::AttachmentTotals>,
}

async fn read_status(store: Option<crate::store::AnyStore>) -> Status {
    use crate::store::AttachmentStore;
    let photos = match store {
        Some(store) => store.attachment_totals().await.ok(),
        None => None,
    };
    let mut status = Status { persisted: None, usage: None, quota: None, photos };
    let Some(storage) = storage_manager() else { return status };
    if let Ok(p) = storage.persisted() {
        status.persisted = JsFuture::from(p).await.ok().and_then(|v| v.as_bool());
    }
    if let Ok(p) = storage.estimate() {
        if let Ok(v) = JsFuture::from(p).await {
            let estimate: web_sys::StorageEstimate = v.into();
            status.usage = estimate.get_usage();
            status.quota = estimate.get_quota();
        }
    }
    status
}

async fn ask_persist() {
    if let Some(p) = storage_manager().and_then(|s| s.persist().ok()) {
        let _ = JsFuture::from(p).await;
    }
}

/// `1.2 MB`.
fn megabytes(bytes: f64) -> String {
    if bytes >= 1024.0 * 1024.0 * 1024.0 {
        format!("{:.1} GB", bytes / 1024.0 / 1024.0 / 1024.0)
    } else {
        format!("{:.1} MB", bytes / 1024.0 / 1024.0)
    }
}

/// 本机存储: persistent or not, space used and available, and a button to ask again.
#[component]
pub fn StorageStatus() -> impl IntoView {
    let store = use_context::<crate::store::AnyStore>();
    let status = crate::ui::load::load(move || read_status(store.clone()));
    let ask = move |_| {
        leptos::task::spawn_local(async move {
            ask_persist().await;
            status.refetch();
        })
    };
    view! {
        <section class="card" aria-labelledby="storage-h">
            <h2 id="storage-h">"本机存储"</h2>
            {move || match status.get() {
                None => view! { <p class="muted">"正在读取…"</p> }.into_any(),
                Some(s) => view! {
                    <p data-testid="persisted">
                        {match s.persisted {
                            Some(true) => "已设为持久保存：浏览器不会自动清除记录。",
                            Some(false) => "未设为持久保存：手机空间不足时，浏览器可能清除记录。请及时导出。",
                            None => "无法得知浏览器是否持久保存。",
                        }}
                    </p>
                    <p data-testid="usage">
                        {match (s.usage, s.quota) {
                            (Some(u), Some(q)) => format!("已用 {}，可用约 {}", megabytes(u), megabytes(q)),
                            (Some(u), None) => format!("已用 {}", megabytes(u)),
                            _ => "无法得知存储用量".to_string(),
                        }}
                    </p>
                    <p data-testid="photo-usage">
                        {match s.photos {
                            Some(t) if t.count > 0 => format!("其中照片 {} 张，共 {}", t.count, crate::core::evidence::size_text(t.bytes)),
                            Some(_) => "本机没有照片。".to_string(),
                            None => "无法得知照片占用的空间".to_string(),
                        }}
                    </p>
                    {(s.persisted == Some(false)).then(|| view! {
                        <button type="button" class="button" on:click=ask>"申请持久保存"</button>
                    })}
                }
                .into_any(),
            }}
        </section>
    }
}
