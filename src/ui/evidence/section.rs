//! The section 佐证材料 at the end of the form: every photo of the record (those taken beside a
//! field too, each saying what it documents) and 添加照片 for the household.

use leptos::prelude::*;

use super::add_photo::AddPhoto;
use super::photo_card::PhotoCard;
use super::Photos;

/// The section 佐证材料.
#[component]
pub fn EvidenceSection() -> impl IntoView {
    let photos = expect_context::<Photos>();
    let ids = Memo::new(move |_| photos.list.with(|l| l.iter().map(|a| a.id).collect::<Vec<_>>()));
    let count = move || {
        let n = ids.with(Vec::len);
        if n == 0 {
            "还没有照片。可拍摄残疾人证、诊断证明、危房、大额支出票据等。".to_string()
        } else {
            format!("共 {n} 张照片")
        }
    };
    view! {
        <section class="form-section card" id="f-evidence" aria-labelledby="s-evidence-h">
            <h2 id="s-evidence-h">"佐证材料"</h2>
            <p class="hint" data-testid="photo-count">{count}</p>
            <div class="photo-list">
                <For each=move || ids.get() key=|id| *id let(id)>
                    <PhotoCard id=id/>
                </For>
            </div>
            <AddPhoto path=""/>
        </section>
    }
}
