//! 二、家庭成员信息: the members in the order of 序号, each as a card that opens (compact on a
//! phone); add, move up/down, remove with undo. Cards are made again whenever the members'
//! ids change (a member added, moved or removed), so the paths inside a card never change.

use leptos::prelude::*;
use uuid::Uuid;

use crate::core::record::{Member, Relation};
use crate::ui::editor::Editing;
use crate::ui::widgets::messages_at;

use super::member_card::MemberCard;
use super::nav::{focus_when_shown, Nav};

/// Section 二.
#[component]
pub fn MembersSection() -> impl IntoView {
    let Editing { record, .. } = expect_context::<Editing>();
    let nav = expect_context::<Nav>();
    let ids =
        Memo::new(move |_| record.with(|h| h.members.iter().map(|m| m.id).collect::<Vec<Uuid>>()));
    let count = Memo::new(move |_| ids.with(Vec::len));
    let entries = move || ids.get().into_iter().enumerate().collect::<Vec<(usize, Uuid)>>();
    // `members-missing`, `head-count` (no head) point at `members`.
    let messages = messages_at("members".to_string());
    let reveal = crate::ui::widgets::field_context().reveal_missing;
    let add = move |_| {
        let id = Uuid::new_v4();
        record.update(|h| {
            let mut m = Member::new(id);
            if h.members.is_empty() {
                m.relation = Some(Relation::Head);
            }
            h.members.push(m);
        });
        nav.open_member(id);
        let n = record.with_untracked(|h| h.members.len() - 1);
        focus_when_shown(vec![format!("f-members-{n}-name")], 10);
    };
    view! {
        <section class="form-section card" id="f-members" aria-labelledby="s2-h">
            <h2 id="s2-h">"二、家庭成员信息" <span class="count">{move || format!("（{}人）", count.get())}</span></h2>
            <div class="q-messages">
                {move || {
                    let reveal = reveal.get();
                    messages.get().into_iter().filter(|m| reveal || !m.is_missing())
                        .map(|m| view! { <p class="q-msg error" data-code=m.code.as_str()>{m.message}</p> }).collect_view()
                }}
            </div>
            // Not `<For>`: the cards are made again whenever the list of ids changes (add,
            // move, remove; never while typing), which needs no keyed diffing code in the
            // wasm (−13 KB raw). A card keeps its open state (`FormUi::open_members`).
            <ol class="hh-members">
                {move || entries().into_iter().map(|(index, id)| view! { <MemberCard id=id index=index count=count/> }).collect_view()}
            </ol>
            <button type="button" class="button big" on:click=add>"＋ 添加家庭成员"</button>
        </section>
    }
}
