//! 添加照片 beside a field a photo proves, with how many it has (the photos themselves are
//! in the section 佐证材料).

use leptos::prelude::*;
use uuid::Uuid;

use super::add_photo::AddPhoto;
use super::Photos;

/// 添加照片 for `path` (and `member`), and the count of its photos.
#[component]
pub fn FieldPhotos(
    #[prop(into)] path: String,
    #[prop(optional)] member: Option<Uuid>,
) -> impl IntoView {
    let photos = expect_context::<Photos>();
    // A member's photos are theirs whatever their place: matched by member and field.
    let field = path.rsplit('.').next().unwrap_or("").to_string();
    let exact = path.clone();
    let count = Memo::new(move |_| {
        photos.list.with(|l| {
            l.iter()
                .filter(|a| match member {
                    Some(m) => a.member == Some(m) && a.path.ends_with(&field),
                    None => a.path == exact,
                })
                .count()
        })
    });
    view! {
        <div class="field-photos">
            <AddPhoto path=path member=member small=true/>
            {move || (count.get() > 0).then(|| view! {
                <a class="photo-count" href="#f-evidence">{format!("已有 {} 张照片（见佐证材料）", count.get())}</a>
            })}
        </div>
    }
}
