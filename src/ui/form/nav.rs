//! Going from a finding to its field: open the member card it is in, leave the review page,
//! scroll the field to the middle of the screen and focus its first control.

use leptos::prelude::*;
use uuid::Uuid;
use wasm_bindgen::JsCast;

use crate::core::record::Household;
use crate::ui::editor::Editing;
use crate::ui::router::{navigate, Route};
use crate::ui::widgets::{dom_id, field_context};

use super::FormUi;

/// The index in `members[2].id_number`.
pub fn member_index(path: &str) -> Option<usize> {
    let rest = path.strip_prefix("members[")?;
    rest[..rest.find(']')?].parse().ok()
}

/// The DOM ids to try for a path, most precise first: `f-members-2-id_number`, then
/// `f-members-2`, then `f-members`.
pub fn candidate_ids(path: &str) -> Vec<String> {
    let mut out = vec![dom_id(path)];
    let mut p = path;
    while let Some(cut) = p.rfind(['.', '[']) {
        p = &p[..cut];
        out.push(dom_id(p));
    }
    out
}

/// Navigation to fields (a copyable handle, taken while a component is built).
#[derive(Clone, Copy)]
pub struct Nav {
    record: RwSignal<Household>,
    open_members: RwSignal<Vec<Uuid>>,
    reveal_missing: RwSignal<bool>,
    reviewing: Memo<bool>,
}

impl Nav {
    pub fn new(reviewing: Memo<bool>) -> Nav {
        let Editing { record, .. } = expect_context::<Editing>();
        let ui = expect_context::<FormUi>();
        Nav {
            record,
            open_members: ui.open_members,
            reveal_missing: field_context().reveal_missing,
            reviewing,
        }
    }

    /// Shows the field of `path`: reveals missing answers, opens its member card, leaves the
    /// review page, then scrolls to it and focuses it once it is on screen.
    pub fn go(self, path: &str) {
        self.reveal_missing.set(true);
        if let Some(i) = member_index(path) {
            if let Some(id) = self.record.with_untracked(|h| h.members.get(i).map(|m| m.id)) {
                self.open_members.update(|open| {
                    if !open.contains(&id) {
                        open.push(id)
                    }
                });
            }
        }
        if self.reviewing.get_untracked() {
            let id = self.record.with_untracked(|h| h.id);
            navigate(&Route::Editor(id.to_string()));
        }
        focus_when_shown(candidate_ids(path), 20);
    }

    /// Opens the card of member `id`.
    pub fn open_member(self, id: Uuid) {
        self.open_members.update(|open| {
            if !open.contains(&id) {
                open.push(id)
            }
        });
    }
}

/// Tries each animation frame (up to `frames`) until one of `ids` is in the page and visible,
/// then scrolls it to the middle and focuses its first control.
pub fn focus_when_shown(ids: Vec<String>, frames: u32) {
    request_animation_frame(move || {
        let doc = document();
        let found = ids.iter().find_map(|id| {
            doc.get_element_by_id(id)
                .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
                .filter(|e| e.offset_parent().is_some())
        });
        match found {
            Some(el) => {
                let control = el
                    .query_selector("input:not([type=hidden]), select, textarea, button")
                    .ok()
                    .flatten()
                    .and_then(|c| c.dyn_into::<web_sys::HtmlElement>().ok());
                match control {
                    Some(c) => {
                        let _ = c.focus();
                    }
                    None => {
                        el.set_tab_index(-1);
                        let _ = el.focus();
                    }
                }
                let opts = web_sys::ScrollIntoViewOptions::new();
                opts.set_block(web_sys::ScrollLogicalPosition::Center);
                el.scroll_into_view_with_scroll_into_view_options(&opts);
            }
            None if frames > 0 => focus_when_shown(ids, frames - 1),
            None => {}
        }
    });
}
