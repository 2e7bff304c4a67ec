//! 佐证材料 (issue 15): photos that prove what the form says, and the signatures of the
//! 本户排查人, the 风险研判人 and the 户主 (`signatures`, `signature_pad`: vector SVG kept inline
//! in the record).
//!
//! **Photos.** 添加照片 (a file input, `accept="image/*" capture="environment"`: the camera
//! where the browser offers it, the gallery too) is in the section 佐证材料 at the end of the
//! form ([`section::EvidenceSection`], documenting the household: `path` `""`) and beside the
//! fields a photo proves ([`field_photos::FieldPhotos`]): a member's 健康状况 when it says 残疾
//! or 患有大病 (`members[i].health`, `member` = the member's id, so it stays theirs when members
//! are reordered), 危房 (`guarantees.dangerous_house`), A28 其他支出 (`income.other_expense`).
//! A picked photo is decoded at reduced size and encoded again as JPEG ([`process`]: long edge
//! ≤ 1600 px, quality 0.8, no EXIF — no GPS), its bytes stored as a Blob beside the record
//! (`store::AttachmentStore`, object store `attachments`) and only then its metadata added to
//! the record (`core::evidence::new_photo`: id, sha256, bytes, width, height, taken_at, path,
//! member; `data` empty) through the editor's record signal, so the autosave saves it as any
//! other answer. When the bytes cannot be stored (the disk is full: the store's quota
//! message), the record is not touched and the message shows by the button.
//!
//! Each photo is a card ([`photo_card::PhotoCard`]): its thumbnail (an object URL of the stored
//! bytes, made when the card mounts and revoked when it goes; a photo just taken shows from
//! its own bytes at once), its caption (typed into the record), 重拍 (new bytes under the same
//! attachment id: the record's sha256, size and time follow) and 删除 with 撤销 (the form's
//! snackbar; the bytes are removed from the store when the undo time is over and the record
//! no longer names them).
//!
//! **Keystroke cost.** The cards read the record's photos through one memo ([`Photos::list`]),
//! which a keystroke in another field recomputes (a clone of the photos' metadata) and stops at
//! when it is equal: no card re-renders (`tests/e2e/bench/photo.mjs` measures it with 50
//! photos).
//!
//! **Size.** Only the full app (`app.html`) mounts the form; the start page's bundle does not
//! reach this module (nothing of `ui::start` names it), so it is not linked there.

use std::collections::HashMap;

use leptos::prelude::*;
use uuid::Uuid;

use crate::core::record::{Attachment, AttachmentKind};
use crate::ui::editor::Editing;

pub mod add_photo;
pub mod field_photos;
pub mod photo_card;
pub mod process;
pub mod section;
pub mod signature_pad;
pub mod signatures;

/// The photos of the record being edited (a context, provided with the form's).
#[derive(Clone, Copy)]
pub struct Photos {
    /// The record's photo attachments (metadata), in the record's order.
    pub list: Memo<Vec<Attachment>>,
    /// Object URLs of photos just taken, handed to their card when it mounts (which then owns
    /// and revokes them).
    fresh: StoredValue<HashMap<Uuid, String>>,
    /// What the last photo action could not do (Chinese), by the path it was for.
    pub message: RwSignal<Option<(String, String)>>,
    /// How many photos are being processed now.
    pub busy: RwSignal<u32>,
}

impl Photos {
    /// Hands over the object URL of a photo just stored.
    pub fn put_fresh(self, id: Uuid, url: String) {
        self.fresh.update_value(|m| {
            if let Some(old) = m.insert(id, url) {
                let _ = web_sys::Url::revoke_object_url(&old);
            }
        });
    }

    /// Takes the object URL of a photo just stored, if there is one.
    pub fn take_fresh(self, id: Uuid) -> Option<String> {
        self.fresh.try_update_value(|m| m.remove(&id)).flatten()
    }
}

/// Provides [`Photos`] for the record being edited.
pub fn provide_photos() -> Photos {
    let Editing { record, .. } = expect_context::<Editing>();
    let photos = Photos {
        list: Memo::new(move |_| {
            record.with(|h| {
                h.attachments
                    .iter()
                    .filter(|a| a.kind == Some(AttachmentKind::Photo))
                    .cloned()
                    .collect()
            })
        }),
        fresh: StoredValue::new(HashMap::new()),
        message: RwSignal::new(None),
        busy: RwSignal::new(0),
    };
    provide_context(photos);
    photos
}

/// What a photo documents, for people: `张三 · 健康状况`, `危房`, `其他支出`, `本户`.
pub fn documents(a: &Attachment, h: &crate::core::record::Household) -> String {
    let field = match a.path.rsplit('.').next().unwrap_or("") {
        "health" => "健康状况（残疾、大病）",
        "dangerous_house" => "危房",
        "other_expense" => "其他支出（A28）",
        _ if a.path.is_empty() => return "本户".to_string(),
        _ => a.path.as_str(),
    };
    match a.member.and_then(|m| h.members.iter().find(|x| x.id == m)) {
        Some(m) if !m.name.trim().is_empty() => format!("{} · {field}", m.name.trim()),
        Some(_) => format!("成员 · {field}"),
        None => field.to_string(),
    }
}
