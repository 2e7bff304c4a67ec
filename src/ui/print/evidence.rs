//! The print's page 佐证材料: after the paper form, every photo of the record with what it
//! documents and its caption, on a page of its own (`break-before: page`, `style/print.css`).
//! The photos are read from this device's store (`store::AttachmentStore`: the surveyor's
//! own, or those an import brought to the office) and shown through object URLs, revoked
//! when the page goes; a photo whose bytes are not here says so.

use leptos::prelude::*;
use uuid::Uuid;

use crate::core::record::{Attachment, AttachmentKind, Household};
use crate::store::AttachmentStore;

/// The page 佐证材料 of `record` (nothing when it has no photo).
#[component]
pub fn EvidencePage(record: Household) -> impl IntoView {
    let photos: Vec<Attachment> = record
        .attachments
        .iter()
        .filter(|a| a.kind == Some(AttachmentKind::Photo))
        .cloned()
        .collect();
    if photos.is_empty() {
        return ().into_any();
    }
    let store = use_context::<crate::store::AnyStore>();
    let urls: RwSignal<Vec<(Uuid, Option<String>)>> = RwSignal::new(Vec::new());
    if let Some(store) = store {
        let ids: Vec<Uuid> = photos.iter().map(|a| a.id).collect();
        leptos::task::spawn_local(async move {
            for id in ids {
                let url = match store.get_attachment(id).await {
                    Ok(Some(b)) => crate::ui::evidence::add_photo::object_url(&b.bytes),
                    _ => None,
                };
                if urls.try_update(|u| u.push((id, url.clone()))).is_none() {
                    if let Some(u) = url {
                        let _ = web_sys::Url::revoke_object_url(&u);
                    }
                    return;
                }
            }
        });
    }
    on_cleanup(move || {
        for (_, u) in urls.try_get_untracked().unwrap_or_default() {
            if let Some(u) = u {
                let _ = web_sys::Url::revoke_object_url(&u);
            }
        }
    });
    let head = crate::core::evidence::household_label(&record);
    let items = photos
        .into_iter()
        .enumerate()
        .map(|(i, a)| {
            let id = a.id;
            let what = crate::ui::evidence::documents(&a, &record);
            let caption = a.caption.trim().to_string();
            let img = move || {
                urls.with(|u| match u.iter().find(|(x, _)| *x == id) {
                    Some((_, Some(url))) => view! { <img src=url.clone() alt=""/> }.into_any(),
                    Some((_, None)) => view! { <p class="missing">"照片内容不在本机"</p> }.into_any(),
                    None => view! { <p class="missing">"正在读取…"</p> }.into_any(),
                })
            };
            view! {
                <figure class="evidence-photo" data-attachment=id.to_string()>
                    {img}
                    <figcaption>
                        <strong>{format!("{}. {what}", i + 1)}</strong>
                        {(!caption.is_empty()).then(|| view! { <span>{format!("：{caption}")}</span> })}
                    </figcaption>
                </figure>
            }
        })
        .collect_view();
    view! {
        <article class="paper evidence-paper" data-testid="print-evidence">
            <header class="paper-head"><h1>"佐证材料"</h1><p class="paper-meta">{head}</p></header>
            <div class="evidence-grid">{items}</div>
        </article>
    }
    .into_any()
}
