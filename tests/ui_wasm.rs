//! The app shell in a browser, on a memory store: routes, settings, and the editor's save
//! path (debounce, one revision per save, no save loop, flush on leaving).
//! Run: `CHROMEDRIVER=/usr/bin/chromedriver cargo test --target wasm32-unknown-unknown --test ui_wasm`.
#![cfg(target_arch = "wasm32")]

use leptos::prelude::*;
use ruhu::core::record::Household;
use ruhu::store::{AnyStore, IdbStore, MemoryStore, RecordStore};
use ruhu::ui::handover::{self, Intent, Keeper};
use ruhu::ui::router::{Page, Route};
use ruhu::ui::settings::{parse_names, Settings, STORAGE_KEY};
use ruhu::ui::App;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

async fn sleep(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        web_sys::window()
            .unwrap()
            .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms)
            .unwrap();
    });
    wasm_bindgen_futures::JsFuture::from(promise).await.unwrap();
}

fn document() -> web_sys::Document {
    web_sys::window().unwrap().document().unwrap()
}

/// Waits (up to 3 s) for an element.
async fn find(selector: &str) -> web_sys::Element {
    for _ in 0..300 {
        if let Some(e) = document().query_selector(selector).unwrap() {
            return e;
        }
        sleep(10).await;
    }
    panic!("no {selector} after 3 s");
}

fn type_into(input: &web_sys::Element, text: &str) {
    let input: &web_sys::HtmlInputElement = input.unchecked_ref();
    input.set_value(text);
    input.dispatch_event(&web_sys::Event::new("input").unwrap()).unwrap();
}

/// The mounted app; dropping it unmounts it and disposes its reactive owner.
struct Mounted {
    root: web_sys::HtmlElement,
    _handle: Box<dyn std::any::Any>,
}

impl std::ops::Deref for Mounted {
    type Target = web_sys::HtmlElement;
    fn deref(&self) -> &Self::Target {
        &self.root
    }
}

impl Drop for Mounted {
    fn drop(&mut self) {
        self.root.remove();
    }
}

/// Mounts the app on a fresh `<div>` with `store`, at `route`.
fn mount(store: &MemoryStore, route: &Route) -> Mounted {
    web_sys::window().unwrap().location().set_hash(&route.href()).unwrap();
    let parent: web_sys::HtmlElement = document().create_element("div").unwrap().unchecked_into();
    document().body().unwrap().append_child(&parent).unwrap();
    let store = AnyStore::Memory(store.clone());
    let handle = leptos::mount::mount_to(parent.clone(), move || view! { <App store=store/> });
    Mounted { root: parent, _handle: Box::new(handle) }
}

/// Record `n` of household `n + 1000`, visited 2023-02-20 (the core's builder).
fn record(n: u128) -> Household {
    ruhu::core::testkit::household().id(n).household_id(n + 1000).build()
}

#[wasm_bindgen_test]
fn routes_parse_and_link() {
    assert_eq!(Route::parse(""), Route::Home);
    assert_eq!(Route::parse("#/"), Route::Home);
    assert_eq!(Route::parse("#/settings"), Route::Settings);
    assert_eq!(Route::parse("#/township/"), Route::Township);
    let id = "0b8f9d2e-3c4a-4f5e-9a1b-2c3d4e5f6a7b";
    assert_eq!(Route::parse(&format!("#/h/{id}")), Route::Editor(id.to_string()));
    assert_eq!(Route::parse(&format!("#/h/{id}?x=1")), Route::Editor(id.to_string()));
    assert_eq!(Route::parse("#/nowhere"), Route::NotFound("/nowhere".to_string()));
    for r in [
        Route::Home,
        Route::Settings,
        Route::Township,
        Route::Editor(id.to_string()),
        Route::Print(id.to_string()),
        Route::Roster(String::new()),
        Route::Roster("ledger".to_string()),
    ] {
        assert_eq!(Route::parse(&r.href()), r);
        for page in [Page::Start, Page::Surveyor, Page::Office, Page::Roster] {
            assert_eq!(Route::parse(&r.href_from(page)), r);
        }
    }
}

#[wasm_bindgen_test]
fn routes_link_across_the_three_pages() {
    let id = "0b8f9d2e-3c4a-4f5e-9a1b-2c3d4e5f6a7b";
    // From the full app: its own routes and the list as fragments, the office's on office.html.
    assert_eq!(Route::Home.href_from(Page::Surveyor), "#/");
    assert_eq!(Route::Editor(id.into()).href_from(Page::Surveyor), format!("#/h/{id}"));
    assert_eq!(Route::New.href_from(Page::Surveyor), "#/new");
    assert_eq!(Route::Township.href_from(Page::Surveyor), "office.html#/township");
    assert_eq!(Route::TownshipReport.href_from(Page::Surveyor), "office.html#/township/report");
    assert_eq!(
        Route::Print(id.into()).href_from(Page::Surveyor),
        format!("office.html#/h/{id}/print")
    );
    // From the start page: the list is its own, everything of the surveyor's is app.html.
    assert_eq!(Route::Home.href_from(Page::Start), "#/");
    assert_eq!(Route::Editor(id.into()).href_from(Page::Start), format!("app.html#/h/{id}"));
    assert_eq!(
        Route::Household(id.into()).href_from(Page::Start),
        format!("app.html#/household/{id}")
    );
    assert_eq!(Route::Settings.href_from(Page::Start), "app.html#/settings");
    assert_eq!(Route::Township.href_from(Page::Start), "office.html#/township");
    // From the office's page: its own routes as fragments, the list on the start page.
    assert_eq!(Route::Township.href_from(Page::Office), "#/township");
    assert_eq!(
        Route::TownshipLedger("verification".into()).href_from(Page::Office),
        "#/township/ledgers/verification"
    );
    assert_eq!(Route::Print(id.into()).href_from(Page::Office), format!("#/h/{id}/print"));
    assert_eq!(Route::Home.href_from(Page::Office), "./#/");
    assert_eq!(Route::Editor(id.into()).href_from(Page::Office), format!("app.html#/h/{id}"));
    assert_eq!(Route::Settings.href_from(Page::Office), "app.html#/settings");
    // The test page is the surveyor's.
    assert_eq!(Route::Township.href(), "office.html#/township");
    assert_eq!(Route::parse("office.html#/township/report"), Route::TownshipReport);
    assert_eq!(Route::parse("./#/h/x"), Route::Editor("x".into()));
    assert_eq!(Route::parse("app.html#/new"), Route::New);
    // The roster page (花名册核对): its own tabs as fragments, the rest on the other pages.
    assert_eq!(Route::Roster(String::new()).href_from(Page::Office), "roster.html#/roster");
    assert_eq!(
        Route::Roster("changes".into()).href_from(Page::Surveyor),
        "roster.html#/roster/changes"
    );
    assert_eq!(Route::Roster("ledger".into()).href_from(Page::Roster), "#/roster/ledger");
    assert_eq!(
        Route::Print(id.into()).href_from(Page::Roster),
        format!("office.html#/h/{id}/print")
    );
    assert_eq!(Route::Editor(id.into()).href_from(Page::Roster), format!("app.html#/h/{id}"));
    assert_eq!(Route::Township.href_from(Page::Roster), "office.html#/township");
    assert_eq!(Route::parse("roster.html#/roster/ledger"), Route::Roster("ledger".into()));
}

/// The start page's buttons are routes of the full app's list, and a village survives its
/// address whatever it is called.
#[wasm_bindgen_test]
fn intents_are_routes() {
    for (intent, fragment) in [
        (Intent::Import, "#/import"),
        (Intent::ExportAll, "#/export"),
        (Intent::Select, "#/select"),
        (Intent::ExportVillage("宝山村".into()), "#/export/%E5%AE%9D%E5%B1%B1%E6%9D%91"),
    ] {
        let route = Route::Intent(intent);
        assert_eq!(route.fragment(), fragment);
        assert_eq!(Route::parse(fragment), route);
        assert_eq!(route.page(), Page::Surveyor);
        assert_eq!(route.href_from(Page::Start), format!("app.html{fragment}"));
        assert_eq!(route.href_from(Page::Surveyor), fragment);
    }
    for village in ["（未填村）", "a/b?c#d%e f&g", "乌兰托格嘎查"] {
        let route = Route::Intent(Intent::ExportVillage(village.into()));
        let fragment = route.fragment();
        let segment = fragment.strip_prefix("#/export/").unwrap();
        assert!(segment.is_ascii() && !segment.contains(['/', '?', '#']), "{fragment}");
        assert_eq!(Route::parse(&fragment), route);
    }
    // Not UTF-8, or not a percent sign and two hex digits: no such page.
    assert_eq!(Route::parse("#/export/%E5%AE"), Route::NotFound("/export/%E5%AE".into()));
    assert_eq!(Route::parse("#/export/%4"), Route::NotFound("/export/%4".into()));
    assert_eq!(Route::parse("#/import/x"), Route::NotFound("/import/x".into()));
    // The mark the start page leaves after a route, which parsing ignores.
    let id = "0b8f9d2e-3c4a-4f5e-9a1b-2c3d4e5f6a7b";
    assert_eq!(Route::parse(&format!("app.html#/h/{id}?from=start")), Route::Editor(id.into()));
    assert!(handover::is_from_start(&format!("app.html#/h/{id}?from=start")));
    assert!(handover::is_from_start("#/new?x=1&from=start"));
    assert!(!handover::is_from_start(&format!("#/h/{id}")));
    assert!(!handover::is_from_start("#/h/from=start"));
}

/// The home list's snapshot through the hand-over: kept by the full app under the stamp of
/// its read, read back by the start page while nothing it depends on changed; the empty list
/// when nothing is stored; `None` (hand over) after a write, with another policy or day.
#[wasm_bindgen_test]
async fn the_snapshot_holds_until_what_it_depends_on_changes() {
    let store = MemoryStore::new();
    let policy = Settings::for_year(2023).policy;
    let today = chrono::NaiveDate::from_ymd_opt(2023, 3, 1).unwrap();
    let empty = handover::read_list(&store, &policy, today).await.unwrap().unwrap();
    assert_eq!((empty.entries.len(), empty.records), (0, 0), "nothing stored: the empty list");

    let records = vec![record(1), record(2)];
    store.put_all(&records).await.unwrap();
    assert_eq!(handover::read_list(&store, &policy, today).await.unwrap(), None, "no snapshot");

    let generation = store.generation().await.unwrap();
    let entries = ruhu::core::listing::entries(&records, &policy, today);
    let export = vec![ruhu::core::transfer::ExportState::of(1, None); entries.len()];
    let list = ruhu::core::listing::Snapshot { entries, export, records: 2, conflicts: 0 };
    let owner = Owner::new();
    let keeper = owner.with(Keeper::provide);
    let stamp = handover::stamp(&generation, &policy, today);
    assert!(!keeper.has_kept(&stamp));
    keeper.keep(&store, stamp.clone(), &list).await.unwrap();
    assert!(keeper.has_kept(&stamp));
    assert_eq!(store.generation().await.unwrap(), generation, "keeping it is not a write");
    assert_eq!(handover::read_list(&store, &policy, today).await.unwrap(), Some(list.clone()));
    assert!(stamp.contains(handover::BUILD) && !handover::BUILD.is_empty());

    let tomorrow = today.succ_opt().unwrap();
    assert_eq!(handover::read_list(&store, &policy, tomorrow).await.unwrap(), None, "a new day");
    let mut other = policy.clone();
    other.monitoring_line = 9999.into();
    assert_eq!(handover::read_list(&store, &other, today).await.unwrap(), None, "a new line");
    store.put(&record(3)).await.unwrap();
    assert_eq!(handover::read_list(&store, &policy, today).await.unwrap(), None, "a write");
}

/// 导入记录 on the start page keeps the picked files in IndexedDB (not a write of records);
/// the full app takes them once. A store that cannot keep files says so.
#[wasm_bindgen_test]
async fn picked_files_are_kept_for_the_full_app_and_taken_once() {
    let idb = IdbStore::named(format!("ruhu-test-stash-{}", uuid::Uuid::new_v4()));
    let store = AnyStore::Idb(idb.clone());
    let file = |name: &str, text: &str| {
        let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(text));
        web_sys::File::new_with_str_sequence(&parts, name).unwrap()
    };
    let before = store.generation().await.unwrap();
    handover::stash_import(&store, &[file("a.json", "{}"), file("b.json", "[]")]).await.unwrap();
    handover::stash_import(&store, &[file("c.json", "{ }"), file("d.json", "[ ]")]).await.unwrap();
    assert_eq!(store.generation().await.unwrap(), before, "keeping files is not a write");
    let taken = handover::take_import(&store).await.unwrap();
    let names: Vec<String> = taken.iter().map(|f| f.name()).collect();
    assert_eq!(names, ["c.json", "d.json"], "the last files kept replace the earlier ones");
    assert!(handover::take_import(&store).await.unwrap().is_empty(), "taken once");
    idb.delete_database().await.unwrap();

    let memory = AnyStore::Memory(MemoryStore::new());
    assert!(handover::stash_import(&memory, &[file("a.json", "{}")]).await.is_err());
    assert!(handover::take_import(&memory).await.unwrap().is_empty());
}

/// An intent's route (`#/select`) opens the list, carries the intent out once the list is
/// there, and becomes the list's own address in place.
#[wasm_bindgen_test]
async fn an_intent_opens_the_list_and_becomes_its_address() {
    let store = MemoryStore::new();
    store.put(&record(1)).await.unwrap();
    let root = mount(&store, &Route::Intent(Intent::Select));
    let select = find("section.home button[aria-pressed=\"true\"]").await;
    assert_eq!(select.text_content().unwrap(), "取消选择");
    assert_eq!(web_sys::window().unwrap().location().hash().unwrap(), "#/");
    assert!(root.query_selector("li.entry input[type=checkbox]").unwrap().is_some());
}

#[wasm_bindgen_test]
fn settings_default_and_names() {
    let s = Settings::for_year(2023);
    assert_eq!((s.banner.as_str(), s.township.as_str()), ("莫力达瓦达斡尔族自治旗", "额尔和乡"));
    assert_eq!(s.policy.monitoring_line, 7000.into());
    assert!(!s.policy.confirmed, "the shipped line is unconfirmed");
    assert_eq!(parse_names(" 李四\n王五，李四、 赵六 ,\n\n"), vec!["李四", "王五", "赵六"]);
}

#[wasm_bindgen_test]
fn unreadable_settings_give_defaults_and_a_message() {
    let storage = web_sys::window().unwrap().local_storage().unwrap().unwrap();
    storage.set_item(STORAGE_KEY, "{not json").unwrap();
    let (s, error) = Settings::load();
    assert_eq!(s.township, "额尔和乡");
    assert!(error.unwrap().contains("设置无法读取"));
    storage.set_item(STORAGE_KEY, r#"{"surveyor":"张三","villages":["西瓦尔图村"]}"#).unwrap();
    let (s, error) = Settings::load();
    assert_eq!((s.surveyor.as_str(), s.villages.len(), error), ("张三", 1, None));
    assert_eq!(s.banner, "莫力达瓦达斡尔族自治旗", "missing keys take their defaults");
    storage.remove_item(STORAGE_KEY).unwrap();
}

#[wasm_bindgen_test]
async fn the_editor_saves_once_per_change_without_a_loop() {
    let store = MemoryStore::new();
    let h = record(1);
    store.put(&h).await.unwrap();
    let root = mount(&store, &Route::Editor(h.id.to_string()));
    let input = find("input[name=\"address.village\"]").await;

    type_into(&input, "西");
    type_into(&input, "西瓦");
    type_into(&input, "西瓦尔图村");
    // Within the debounce nothing is written yet.
    sleep(100).await;
    assert_eq!(store.get(h.id).await.unwrap().unwrap().revision, 1);
    // After it, one save with all three keystrokes.
    sleep(500).await;
    let saved = store.get(h.id).await.unwrap().unwrap();
    assert_eq!(saved.address.village, "西瓦尔图村");
    assert_eq!(saved.revision, 2);
    assert!(saved.updated_at > h.updated_at);
    assert_eq!(root.query_selector("[data-save-state=saved]").unwrap().map(|_| ()), Some(()));
    // Copying the revision back into the form does not save again.
    sleep(800).await;
    assert_eq!(store.get(h.id).await.unwrap().unwrap().revision, 2);
    assert_eq!(store.history(h.id).await.unwrap().len(), 2);

    // A second change is a second revision.
    type_into(&input, "额尔和村");
    sleep(600).await;
    let saved = store.get(h.id).await.unwrap().unwrap();
    assert_eq!((saved.address.village.as_str(), saved.revision), ("额尔和村", 3));
    let revs: Vec<u64> = store.history(h.id).await.unwrap().iter().map(|h| h.revision).collect();
    assert_eq!(revs, vec![3, 2, 1]);
}

#[wasm_bindgen_test]
async fn leaving_the_editor_saves_at_once() {
    let store = MemoryStore::new();
    let h = record(2);
    store.put(&h).await.unwrap();
    let _root = mount(&store, &Route::Editor(h.id.to_string()));
    let input = find("input[name=\"address.village\"]").await;
    type_into(&input, "宝山村");
    sleep(20).await;
    web_sys::window().unwrap().location().set_hash(&Route::Settings.href()).unwrap();
    sleep(100).await; // well within the 300 ms debounce
    let saved = store.get(h.id).await.unwrap().unwrap();
    assert_eq!((saved.address.village.as_str(), saved.revision), ("宝山村", 2));
}

#[wasm_bindgen_test]
async fn a_missing_record_says_so() {
    let store = MemoryStore::new();
    let root = mount(&store, &Route::Editor(uuid::Uuid::from_u128(99).to_string()));
    for _ in 0..100 {
        if root.text_content().unwrap().contains("找不到这条记录") {
            return;
        }
        sleep(10).await;
    }
    panic!("no message: {}", root.text_content().unwrap());
}

#[wasm_bindgen_test]
async fn home_creates_a_record_with_the_settings_defaults() {
    let storage = web_sys::window().unwrap().local_storage().unwrap().unwrap();
    storage.set_item(STORAGE_KEY, r#"{"surveyor":"张三","township":"宝山镇"}"#).unwrap();
    let store = MemoryStore::new();
    let root = mount(&store, &Route::Home);
    let button = find("button.primary").await;
    assert!(root.text_content().unwrap().contains("入户排查"));
    button.unchecked_ref::<web_sys::HtmlElement>().click();
    for _ in 0..100 {
        if matches!(Route::current(), Route::Editor(_)) {
            break;
        }
        sleep(10).await;
    }
    let Route::Editor(id) = Route::current() else {
        panic!("not in the editor: {:?}", Route::current())
    };
    let created = store.get(id.parse().unwrap()).await.unwrap().expect("stored before opening");
    assert_eq!(created.visit.surveyor, "张三");
    assert_eq!(created.address.township, "宝山镇");
    assert_eq!(created.address.banner, "莫力达瓦达斡尔族自治旗");
    assert_eq!(created.revision, 1);
    assert_ne!(created.id, created.household_id);
    storage.remove_item(STORAGE_KEY).unwrap();
}

#[wasm_bindgen_test]
async fn the_editor_judges_a_visit_by_its_own_years_line() {
    // The settings hold this year's policy (a fresh device: the shipped default of today's
    // year); a 2023 visit is judged by 2023's line, not by this year's.
    let store = MemoryStore::new();
    let h = record(7);
    store.put(&h).await.unwrap();
    let root = mount(&store, &Route::Editor(h.id.to_string()));
    let line = find("[data-testid=policy-line]").await;
    let label = line.previous_element_sibling().unwrap().text_content().unwrap();
    assert_eq!(label, "2023年监测标准");
    assert!(line.text_content().unwrap().starts_with("7,000.00 元"), "{:?}", line.text_content());
    drop(root);
}

/// Waits (up to `ms`) until `selector` is there.
async fn until(selector: &str, ms: i32) -> web_sys::Element {
    for _ in 0..ms / 20 {
        if let Some(e) = document().query_selector(selector).unwrap() {
            return e;
        }
        sleep(20).await;
    }
    panic!("no {selector} after {ms} ms");
}

fn journal_entry(id: uuid::Uuid) -> Option<String> {
    let storage = web_sys::window().unwrap().local_storage().unwrap().unwrap();
    storage.get_item(&format!("{}{id}", ruhu::ui::editor::journal::KEY_PREFIX)).unwrap()
}

#[wasm_bindgen_test]
async fn a_failed_save_says_why_keeps_the_edit_and_retries() {
    let store = MemoryStore::new();
    let h = record(30);
    store.put(&h).await.unwrap();
    let root = mount(&store, &Route::Editor(h.id.to_string()));
    let input = find("input[name=\"address.village\"]").await;
    store.fail_writes(Some(ruhu::store::StoreError::quota()));
    type_into(&input, "哈力村");
    // The journal has it at once (the Effect runs in a microtask of the keystroke's task),
    // long before the debounced save.
    sleep(0).await;
    assert!(journal_entry(h.id).is_some_and(|j| j.contains("哈力村")));
    until("[data-save-state=failed]", 2000).await;
    let text = root.text_content().unwrap();
    assert!(
        text.contains("未保存") && text.contains("存储空间已满") && text.contains("导出"),
        "{text}"
    );
    assert!(ruhu::ui::editor::unsaved_reason().is_some(), "the leave guards know");
    assert_eq!(store.get(h.id).await.unwrap().unwrap().revision, 1, "nothing written");
    // Space again: the retry (1 s, then 2 s) saves it without a click.
    store.fail_writes(None);
    until("[data-save-state=saved]", 4000).await;
    let saved = store.get(h.id).await.unwrap().unwrap();
    assert_eq!((saved.address.village.as_str(), saved.revision), ("哈力村", 2));
    assert_eq!(journal_entry(h.id), None, "the journal is emptied once saved");
    assert!(ruhu::ui::editor::unsaved_reason().is_none());
}

#[wasm_bindgen_test]
async fn a_save_over_a_state_saved_elsewhere_is_not_written() {
    let store = MemoryStore::new();
    let h = record(31);
    store.put(&h).await.unwrap();
    let root = mount(&store, &Route::Editor(h.id.to_string()));
    let input = find("input[name=\"address.village\"]").await;
    type_into(&input, "哈力村");
    until("[data-save-state=saved]", 2000).await;
    sleep(400).await;
    // Another writer (an import, another window) saves on top of the same state.
    let ours = store.get(h.id).await.unwrap().unwrap();
    let mut theirs = ours.clone();
    theirs.address.group = "四组".into();
    let other = ruhu::core::lineage::DeviceId::new("other-phone").unwrap();
    ruhu::core::lineage::save(&mut theirs, &ours, &other);
    store.put(&theirs).await.unwrap();
    type_into(&input, "哈力村东");
    until("[data-save-state=changed]", 2000).await;
    assert_eq!(store.get(h.id).await.unwrap().unwrap(), theirs, "not overwritten");
    assert!(root.text_content().unwrap().contains("另一版本"));
    // 保留本窗口的修改: a state descending from both.
    let keep: web_sys::HtmlElement =
        until("[data-testid=changed-elsewhere] .button.primary", 1000).await.unchecked_into();
    keep.click();
    until("[data-save-state=saved]", 2000).await;
    sleep(400).await;
    let resolved = store.get(h.id).await.unwrap().unwrap();
    assert_eq!(resolved.address.village, "哈力村东");
    assert!(resolved.revision > theirs.revision);
    let l = resolved.lineage.unwrap();
    let t = theirs.lineage.unwrap();
    assert!(t.saves.iter().all(|(d, n)| l.saves.get(d).is_some_and(|m| m >= n)), "{l:?}");
}
