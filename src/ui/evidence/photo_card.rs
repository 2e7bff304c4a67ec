//! One photo: its thumbnail, what it documents, its caption, 重拍 and 删除 (with 撤销).

use leptos::prelude::*;
use uuid::Uuid;

use super::add_photo::{object_url, picked, store_photo};
use super::Photos;
use crate::core::evidence::sha256_hex;
use crate::store::AttachmentStore;
use crate::ui::editor::Editing;
use crate::ui::form::snackbar::{Snackbar, UNDO_FOR};
use crate::ui::{clock, expect_store};

/// The card of photo `id` of the record being edited.
#[component]
pub fn PhotoCard(id: Uuid) -> impl IntoView {
    let Editing { record, .. } = expect_context::<Editing>();
    let photos = expect_context::<Photos>();
    let snackbar = expect_context::<Snackbar>();
    let store = expect_store();
    let photo = Memo::new(move |_| photos.list.with(|l| l.iter().find(|a| a.id == id).cloned()));
    let caption = Memo::new(move |_| photo.with(|p| p.as_ref().map(|a| a.caption.clone())));
    let documents = Memo::new(move |_| {
        let a = photo.get()?;
        Some(record.with_untracked(|h| super::documents(&a, h)))
    });

    // The thumbnail: the fresh URL of a photo just taken, else the stored bytes'.
    let url: RwSignal<Option<String>> = RwSignal::new(photos.take_fresh(id));
    // The URL to revoke when the card goes (kept outside the signal, which may be gone first).
    let owned = std::sync::Arc::new(std::sync::Mutex::new(url.get_untracked()));
    let keep = {
        let owned = owned.clone();
        move |u: Option<String>| {
            if let Ok(mut o) = owned.lock() {
                if let Some(old) = std::mem::replace(&mut *o, u.clone()) {
                    if Some(&old) != u.as_ref() {
                        let _ = web_sys::Url::revoke_object_url(&old);
                    }
                }
            }
            url.try_set(u);
        }
    };
    let missing = RwSignal::new(false);
    if url.get_untracked().is_none() {
        let store = store.clone();
        let keep = keep.clone();
        leptos::task::spawn_local(async move {
            match store.get_attachment(id).await {
                Ok(Some(b)) => {
                    if let Some(u) = object_url(&b.bytes) {
                        if url.try_get_untracked().is_some() {
                            keep(Some(u));
                        } else {
                            // The card went meanwhile.
                            let _ = web_sys::Url::revoke_object_url(&u);
                        }
                    }
                }
                _ => {
                    missing.try_set(true);
                }
            }
        });
    }
    on_cleanup(move || {
        if let Some(u) = owned.lock().ok().and_then(|mut o| o.take()) {
            let _ = web_sys::Url::revoke_object_url(&u);
        }
    });

    let set_caption = move |ev: web_sys::Event| {
        let text = event_target_value(&ev);
        record.update(|h| {
            if let Some(a) = h.attachments.iter_mut().find(|a| a.id == id) {
                a.caption = text;
            }
        });
    };

    let retake = {
        let store = store.clone();
        move |ev: web_sys::Event| {
            let Some(file) = picked(&ev).into_iter().next() else { return };
            let keep = keep.clone();
            let store = store.clone();
            leptos::task::spawn_local(async move {
                let record_id = record.with_untracked(|h| h.id);
                photos.busy.update(|n| *n += 1);
                let result = store_photo(&store, &file, record_id, id).await;
                photos.busy.update(|n| *n = n.saturating_sub(1));
                match result {
                    Ok(p) => {
                        if let Some(u) = object_url(&p.bytes) {
                            keep(Some(u));
                            missing.try_set(false);
                        }
                        let sha = sha256_hex(&p.bytes);
                        record.try_update(|h| {
                            if let Some(a) = h.attachments.iter_mut().find(|a| a.id == id) {
                                a.sha256 = sha;
                                a.bytes = Some(p.bytes.len() as u64);
                                a.width = Some(p.width);
                                a.height = Some(p.height);
                                a.taken_at = Some(clock::now().to_rfc3339());
                            }
                        });
                        photos.message.set(None);
                    }
                    Err(why) => {
                        let path = photo.with_untracked(|p| p.as_ref().map(|a| a.path.clone()));
                        photos.message.set(Some((path.unwrap_or_default(), why)));
                    }
                }
            });
        }
    };

    let remove = {
        let store = store.clone();
        move |_| {
            let removed = record.with_untracked(|h| {
                h.attachments.iter().position(|a| a.id == id).map(|i| (i, h.attachments[i].clone()))
            });
            let Some((i, a)) = removed else { return };
            record.update(|h| h.attachments.retain(|x| x.id != id));
            let label = if a.caption.trim().is_empty() {
                "已删除照片".to_string()
            } else {
                format!("已删除照片“{}”", a.caption.trim())
            };
            snackbar.offer_undo(label, move |h| {
                if !h.attachments.iter().any(|x| x.id == a.id) {
                    let at = i.min(h.attachments.len());
                    h.attachments.insert(at, a.clone());
                }
            });
            // The bytes go when the undo is over and the record no longer names them.
            let store = store.clone();
            set_timeout(
                move || {
                    let gone =
                        record.try_with_untracked(|h| !h.attachments.iter().any(|x| x.id == id));
                    if gone == Some(true) {
                        leptos::task::spawn_local(async move {
                            let _ = store.delete_attachments(&[id]).await;
                        });
                    }
                },
                UNDO_FOR + std::time::Duration::from_secs(1),
            );
        }
    };

    let size = move || {
        photo.with(|p| {
            p.as_ref().map(|a| {
                let px = match (a.width, a.height) {
                    (Some(w), Some(h)) => format!("{w}×{h} · "),
                    _ => String::new(),
                };
                format!("{px}{}", crate::core::evidence::size_text(a.bytes.unwrap_or(0)))
            })
        })
    };

    view! {
        <figure class="photo-card" data-testid="photo-card" data-attachment=id.to_string()>
            {move || match url.get() {
                Some(u) => view! { <img class="photo-thumb" src=u alt=move || caption.get().unwrap_or_default() loading="lazy" decoding="async"/> }.into_any(),
                None => view! {
                    <div class="photo-thumb placeholder">{move || if missing.get() { "照片内容不在本机" } else { "…" }}</div>
                }.into_any(),
            }}
            <figcaption>
                <span class="photo-of">{move || documents.get()}</span>
                <span class="photo-size">{size}</span>
                <label class="photo-caption">
                    <span>"说明"</span>
                    <input type="text" prop:value=move || caption.get().unwrap_or_default()
                        on:input=set_caption placeholder="如：残疾人证、危房正面"/>
                </label>
                <div class="photo-actions">
                    <label class="button small">
                        "重拍"
                        <input type="file" accept="image/*" capture="environment" class="visually-hidden" on:change=retake/>
                    </label>
                    <button type="button" class="button small danger" on:click=remove>"删除"</button>
                </div>
            </figcaption>
        </figure>
    }
}
