//! 添加照片: a file input (camera or gallery) that stores each picked photo and adds it to the
//! record (see the module docs of `ui::evidence`).

use leptos::prelude::*;
use uuid::Uuid;
use wasm_bindgen::JsCast;

use super::process::prepare;
use super::Photos;
use crate::core::evidence::new_photo;
use crate::store::{AttachmentStore, StoredBytes};
use crate::ui::editor::Editing;
use crate::ui::{clock, expect_store};

/// The files picked in a file input's `change` event (the input is emptied, so that the same
/// photo can be picked again).
pub fn picked(ev: &web_sys::Event) -> Vec<web_sys::File> {
    let Some(input) = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
    else {
        return Vec::new();
    };
    let files = input.files();
    let out = (0..files.as_ref().map_or(0, |f| f.length()))
        .filter_map(|i| files.as_ref().and_then(|f| f.get(i)))
        .collect();
    input.set_value("");
    out
}

/// Makes `file` the stored bytes of attachment `id` of the record `record_id`: prepared
/// (`process`), then stored. The prepared photo, or the Chinese reason.
pub async fn store_photo(
    store: &crate::store::AnyStore,
    file: &web_sys::File,
    record_id: Uuid,
    id: Uuid,
) -> Result<super::process::Prepared, String> {
    let prepared = prepare(file).await?;
    let item = StoredBytes {
        id,
        record_id,
        mime: "image/jpeg".to_string(),
        bytes: prepared.bytes.clone(),
    };
    store.put_attachments(std::slice::from_ref(&item)).await.map_err(|e| e.message)?;
    Ok(prepared)
}

/// An object URL showing `bytes` (a JPEG).
pub fn object_url(bytes: &[u8]) -> Option<String> {
    let parts = js_sys::Array::of1(&js_sys::Uint8Array::from(bytes));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type("image/jpeg");
    let blob = web_sys::Blob::new_with_u8_array_sequence_and_options(&parts, &options).ok()?;
    web_sys::Url::create_object_url_with_blob(&blob).ok()
}

/// The 添加照片 button: photos for `path` (and `member`, for a member's field).
#[component]
pub fn AddPhoto(
    #[prop(into)] path: String,
    #[prop(optional_no_strip)] member: Option<Uuid>,
    #[prop(optional)] small: bool,
) -> impl IntoView {
    let Editing { record, .. } = expect_context::<Editing>();
    let photos = expect_context::<Photos>();
    let store = expect_store();
    let for_path = path.clone();
    let on_change = move |ev: web_sys::Event| {
        let files = picked(&ev);
        let path = path.clone();
        let store = store.clone();
        leptos::task::spawn_local(async move {
            for file in files {
                let id = Uuid::new_v4();
                let record_id = record.with_untracked(|h| h.id);
                photos.busy.update(|n| *n += 1);
                let result = store_photo(&store, &file, record_id, id).await;
                photos.busy.update(|n| *n = n.saturating_sub(1));
                match result {
                    Ok(p) => {
                        if let Some(url) = object_url(&p.bytes) {
                            photos.put_fresh(id, url);
                        }
                        let a = new_photo(
                            id,
                            "",
                            &path,
                            member,
                            "image/jpeg",
                            &p.bytes,
                            Some((p.width, p.height)),
                            Some(clock::now().to_rfc3339()),
                        );
                        let added = record.try_update(|h| {
                            if h.id == record_id {
                                h.attachments.push(a);
                                true
                            } else {
                                false
                            }
                        });
                        if added != Some(true) {
                            let _ = store.delete_attachments(&[id]).await;
                        }
                        photos.message.set(None);
                    }
                    Err(why) => photos.message.set(Some((path.clone(), why))),
                }
            }
        });
    };
    let message = move || {
        photos.message.with(|m| {
            m.as_ref().filter(|(p, _)| *p == for_path).map(|(_, why)| {
                view! { <p class="q-msg error photo-msg" role="alert" data-testid="photo-error">{why.clone()}</p> }
            })
        })
    };
    view! {
        <div class="add-photo-wrap">
            <label class="button add-photo" class:small=small>
                "添加照片"
                <input type="file" accept="image/*" capture="environment" multiple
                    class="visually-hidden" on:change=on_change/>
            </label>
            {move || (photos.busy.get() > 0).then(|| view! { <span class="photo-busy" role="status">"正在处理照片…"</span> })}
            {message}
        </div>
    }
}
