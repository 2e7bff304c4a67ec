//! The home page (`/`): start a record, open a stored one.

use leptos::prelude::*;
use uuid::Uuid;

use super::router::{navigate, Route};
use super::settings::{Settings, SettingsContext};
use super::{clock, expect_store};
use crate::core::record::Household;
use crate::store::RecordStore;

/// A new draft for today with the settings' defaults (旗, 乡镇, 本户排查人).
pub fn new_record(settings: &Settings) -> Household {
    let mut h = Household::new(Uuid::new_v4(), Uuid::new_v4(), clock::now(), clock::today());
    if !settings.banner.is_empty() {
        h.address.banner = settings.banner.clone();
    }
    if !settings.township.is_empty() {
        h.address.township = settings.township.clone();
    }
    h.visit.surveyor = settings.surveyor.clone();
    h
}

/// 入户排查: the 新建入户 button and the stored records.
#[component]
pub fn Home() -> impl IntoView {
    let store = expect_store();
    let SettingsContext { settings, .. } = expect_context::<SettingsContext>();
    let error = RwSignal::new(None::<String>);
    let records = LocalResource::new({
        let store = store.clone();
        move || {
            let store = store.clone();
            async move {
                let mut all = store.list().await.map_err(|e| e.to_string())?;
                all.sort_by(|a, b| b.updated_at.cmp(&a.updated_at));
                Ok::<_, String>(all)
            }
        }
    });
    let create = move |_| {
        let store = store.clone();
        let record = new_record(&settings.get_untracked());
        leptos::task::spawn_local(async move {
            match store.put(&record).await {
                Ok(()) => navigate(&Route::Editor(record.id.to_string())),
                Err(e) => error.set(Some(e.to_string())),
            }
        });
    };

    view! {
        <section class="page home">
            <h1>"入户排查"</h1>
            <button type="button" class="button primary big" on:click=create>"新建入户"</button>
            {move || error.get().map(|e| view! { <p class="alert" role="alert">{e}</p> })}
            <h2>"本机记录"</h2>
            {move || match records.get() {
                None => view! { <p class="muted">"正在读取…"</p> }.into_any(),
                Some(Err(e)) => view! { <p class="alert" role="alert">{e}</p> }.into_any(),
                Some(Ok(list)) if list.is_empty() => view! { <p class="muted">"还没有记录。"</p> }.into_any(),
                Some(Ok(list)) => view! {
                    <ul class="records">
                        {list.into_iter().map(|h| view! { <RecordLink record=h/> }).collect_view()}
                    </ul>
                }
                .into_any(),
            }}
        </section>
    }
}

/// One stored record in the list.
#[component]
fn RecordLink(record: Household) -> impl IntoView {
    let href = Route::Editor(record.id.to_string()).href();
    let village = if record.address.village.is_empty() { "（未填村）".to_string() } else { record.address.village.clone() };
    let head = record.head_name().to_string();
    let when = record.updated_at.0.format("%Y-%m-%d %H:%M").to_string();
    view! {
        <li>
            <a class="record-link" href=href>
                <span class="title">{village}" "{head}</span>
                <span class="muted">{when}" · "{record.status.label()}</span>
            </a>
        </li>
    }
}
