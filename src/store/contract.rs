//! The [`RecordStore`] contract as async test bodies, shared by every implementation: the
//! memory store runs them natively (`cargo test`), the IndexedDB store in a browser
//! (`tests/store_wasm.rs`). Each takes an empty store and panics on a broken promise.
//! Built only with the `testkit` feature (the tests turn it on), as its records come from
//! the core's `testkit`.

use serde_json::{json, Value};
use uuid::Uuid;

use super::{
    AppValues, AsRead, AttachmentStore, AttachmentTotals, ExportMark, Held, RecordMeta,
    RecordStore, StoredBytes, HISTORY_LIMIT,
};
use crate::core::record::{Household, Timestamp};
use crate::core::testkit;

/// A realistic record number `n` (4 members, income, an unknown key at two levels), with
/// id `Uuid::from_u128(n + 1)` so that id order is number order: the core's
/// [`testkit::stored`].
pub fn sample(n: u64) -> Household {
    testkit::stored(n).build()
}

fn with_revision(mut h: Household, revision: u64) -> Household {
    h.revision = revision;
    h.updated_at = Timestamp(
        chrono::DateTime::parse_from_rfc3339("2023-02-20T09:12:00+08:00").unwrap()
            + chrono::Duration::seconds(revision as i64),
    );
    h
}

pub async fn get_missing_is_none(s: &impl RecordStore) {
    assert_eq!(s.get(Uuid::from_u128(42)).await.unwrap(), None);
    assert!(s.list().await.unwrap().is_empty());
    assert!(s.history(Uuid::from_u128(42)).await.unwrap().is_empty());
    assert_eq!(s.get_meta(Uuid::from_u128(42)).await.unwrap(), None);
}

pub async fn put_then_get_round_trips_unknown_keys(s: &impl RecordStore) {
    let h = sample(7);
    s.put(&h).await.unwrap();
    let back = s.get(h.id).await.unwrap().expect("stored");
    assert_eq!(back, h);
    let v = serde_json::to_value(&back).unwrap();
    assert_eq!(v["app_note"]["kept"], "because unknown keys survive");
    assert_eq!(v["address"]["app_gps"], json!([48.48, 124.5]));
    assert_eq!(v["income"]["transfer"], "3600.50");
}

pub async fn put_replaces_and_list_has_each_once(s: &impl RecordStore) {
    let h = sample(1);
    s.put(&h).await.unwrap();
    let mut changed = with_revision(h.clone(), 2);
    changed.address.village = "西瓦尔图村".into();
    s.put(&changed).await.unwrap();
    let all = s.list().await.unwrap();
    assert_eq!(all.len(), 1);
    assert_eq!(all[0].address.village, "西瓦尔图村");
    assert_eq!(all[0].revision, 2);
    assert_eq!(s.get(h.id).await.unwrap(), Some(changed));
}

pub async fn list_returns_all_in_id_order(s: &impl RecordStore) {
    for n in [5, 0, 30, 12, 3] {
        s.put(&sample(n)).await.unwrap();
    }
    let ids: Vec<Uuid> = s.list().await.unwrap().iter().map(|h| h.id).collect();
    let want: Vec<Uuid> = [0, 3, 5, 12, 30].iter().map(|n| sample(*n).id).collect();
    assert_eq!(ids, want);
}

pub async fn history_is_newest_first_and_pruned(s: &impl RecordStore) {
    let h = sample(3);
    let total = HISTORY_LIMIT as u64 + 5;
    for rev in 1..=total {
        s.put(&with_revision(h.clone(), rev)).await.unwrap();
    }
    let revs: Vec<u64> = s.history(h.id).await.unwrap().iter().map(|h| h.revision).collect();
    let want: Vec<u64> = (total - HISTORY_LIMIT as u64 + 1..=total).rev().collect();
    assert_eq!(revs, want, "the last {HISTORY_LIMIT} states, newest first");
    assert_eq!(s.get(h.id).await.unwrap().unwrap().revision, total);
}

pub async fn history_is_per_record(s: &impl RecordStore) {
    let (a, b) = (sample(1), sample(2));
    s.put(&a).await.unwrap();
    s.put(&with_revision(b.clone(), 1)).await.unwrap();
    s.put(&with_revision(a.clone(), 2)).await.unwrap();
    s.put(&with_revision(b.clone(), 2)).await.unwrap();
    s.put(&with_revision(b.clone(), 3)).await.unwrap();
    let ha: Vec<u64> = s.history(a.id).await.unwrap().iter().map(|h| h.revision).collect();
    let hb: Vec<u64> = s.history(b.id).await.unwrap().iter().map(|h| h.revision).collect();
    assert_eq!(ha, vec![2, 1]);
    assert_eq!(hb, vec![3, 2, 1]);
    assert!(s.history(a.id).await.unwrap().iter().all(|h| h.id == a.id));
}

pub async fn put_all_writes_records_and_history(s: &impl RecordStore) {
    let batch: Vec<Household> = (0..10).map(sample).collect();
    s.put_all(&batch).await.unwrap();
    assert_eq!(s.list().await.unwrap(), batch);
    assert_eq!(s.history(batch[4].id).await.unwrap(), vec![batch[4].clone()]);
    s.put_all(&[]).await.unwrap();
    assert_eq!(s.list().await.unwrap().len(), 10);
}

/// An imported state (`put_all`) is a saved state like any other: the history shows it at
/// once, keeps it when a later edit or import replaces it (also two revisions of one record
/// in one `put_all`), and never lists a state twice.
pub async fn put_all_states_stay_in_history(s: &impl RecordStore) {
    let a = sample(1);
    let revs = |hs: Vec<Household>| hs.iter().map(|h| h.revision).collect::<Vec<u64>>();
    s.put_all(&[with_revision(a.clone(), 1)]).await.unwrap();
    assert_eq!(s.history(a.id).await.unwrap(), vec![with_revision(a.clone(), 1)]);
    // The first edit after an import keeps the imported state.
    s.put(&with_revision(a.clone(), 2)).await.unwrap();
    assert_eq!(revs(s.history(a.id).await.unwrap()), vec![2, 1]);
    // An import over an edited record, then two revisions in one import.
    s.put_all(&[with_revision(a.clone(), 3)]).await.unwrap();
    assert_eq!(revs(s.history(a.id).await.unwrap()), vec![3, 2, 1]);
    s.put_all(&[with_revision(a.clone(), 4), with_revision(a.clone(), 5)]).await.unwrap();
    assert_eq!(revs(s.history(a.id).await.unwrap()), vec![5, 4, 3, 2, 1]);
    // Import over import, then an edit.
    s.put_all(&[with_revision(a.clone(), 6)]).await.unwrap();
    s.put(&with_revision(a.clone(), 7)).await.unwrap();
    s.put(&with_revision(a.clone(), 8)).await.unwrap();
    let states = s.history(a.id).await.unwrap();
    assert_eq!(revs(states.clone()), vec![8, 7, 6, 5, 4, 3, 2, 1]);
    assert_eq!(states[2], with_revision(a.clone(), 6), "each state as it was stored");
    assert_eq!(s.get(a.id).await.unwrap(), Some(with_revision(a.clone(), 8)));
    // Deleted: nothing left, and an import of the same id starts a fresh history.
    s.delete(a.id).await.unwrap();
    assert!(s.history(a.id).await.unwrap().is_empty());
    s.put_all(&[with_revision(a.clone(), 9)]).await.unwrap();
    assert_eq!(revs(s.history(a.id).await.unwrap()), vec![9]);
}

/// The last [`HISTORY_LIMIT`] states are kept whichever way they were written.
pub async fn history_limit_holds_with_imports(s: &impl RecordStore) {
    let (a, b) = (sample(1), sample(2));
    let total = HISTORY_LIMIT as u64 + 7;
    for rev in 1..=total {
        // a: imports and edits alternating; b: imports only.
        if rev % 2 == 0 {
            s.put(&with_revision(a.clone(), rev)).await.unwrap();
        } else {
            s.put_all(&[with_revision(a.clone(), rev)]).await.unwrap();
        }
        s.put_all(&[with_revision(b.clone(), rev)]).await.unwrap();
    }
    let want: Vec<u64> = (total - HISTORY_LIMIT as u64 + 1..=total).rev().collect();
    for id in [a.id, b.id] {
        let revs: Vec<u64> = s.history(id).await.unwrap().iter().map(|h| h.revision).collect();
        assert_eq!(revs, want, "the last {HISTORY_LIMIT} states, newest first");
    }
    // Ending on an edit after imports.
    s.put(&with_revision(b.clone(), total + 1)).await.unwrap();
    let revs: Vec<u64> = s.history(b.id).await.unwrap().iter().map(|h| h.revision).collect();
    assert_eq!(revs, (total - HISTORY_LIMIT as u64 + 2..=total + 1).rev().collect::<Vec<_>>());
    // Many states of a new record in one import (with other records: the path of a large write).
    let revs = |hs: Vec<Household>| hs.iter().map(|h| h.revision).collect::<Vec<u64>>();
    let c = sample(3);
    let mut import: Vec<Household> = (1..=total).map(|rev| with_revision(c.clone(), rev)).collect();
    import.extend((10..30).map(sample));
    import.push(with_revision(sample(10), 2));
    s.put_all(&import).await.unwrap();
    assert_eq!(revs(s.history(c.id).await.unwrap()), want);
    assert_eq!(revs(s.history(sample(10).id).await.unwrap()), vec![2, 1]);
    assert_eq!(revs(s.history(sample(11).id).await.unwrap()), vec![1]);
}

/// The import rule `Stale` (a lower revision equal to one of our saved states is an old copy,
/// not a conflict) holds on what the store keeps: a record imported, then edited here, then
/// the same file imported again.
pub async fn imported_then_edited_is_stale_on_reimport(s: &impl RecordStore) {
    use crate::core::merge::{decide, Outcome};
    let imported = with_revision(sample(4), 1);
    s.put_all(std::slice::from_ref(&imported)).await.unwrap();
    let mut edited = with_revision(imported.clone(), 2);
    edited.address.village = "西瓦尔图村".into();
    s.put(&edited).await.unwrap();
    let stored = s.get(imported.id).await.unwrap().expect("stored");
    let history = s.history(imported.id).await.unwrap();
    assert_eq!(decide(&imported, Some(&stored), &history), Outcome::Stale);
    // Another phone's revision 1 of the same record is not ours: a conflict.
    let mut theirs = imported.clone();
    theirs.address.village = "霍日里村".into();
    assert_eq!(decide(&theirs, Some(&stored), &history), Outcome::Conflict);
}

/// `compare` tells a stored record that is exactly the given one from another state of it
/// (another revision, other content at the same revision, an unknown key more) and from a
/// missing one; for a few records (looked up one by one) and for many (an import).
pub async fn compare_tells_same_other_absent(s: &impl RecordStore) {
    let all: Vec<Household> = (0..40).map(sample).collect();
    s.put_all(&all[..30]).await.unwrap();
    s.put(&all[30]).await.unwrap();
    let mut changed = all[3].clone();
    changed.phone = "13900000000".into();
    let newer = with_revision(all[4].clone(), 2);
    let mut more_keys = all[5].clone();
    more_keys.extra.insert("app_mark".into(), json!(1));
    let few = [
        all[0].clone(),
        changed.clone(),
        newer,
        all[35].clone(),
        all[30].clone(),
        more_keys.clone(),
        all[0].clone(),
    ];
    let other = |h: &Household| Held::Other(Box::new(h.clone()));
    let want = vec![
        Held::Same,
        other(&all[3]),
        other(&all[4]),
        Held::Absent,
        Held::Same,
        other(&all[5]),
        Held::Same,
    ];
    assert_eq!(s.compare(&few.iter().collect::<Vec<_>>(), Vec::new).await.unwrap(), want);
    let many: Vec<Household> = all.iter().cloned().chain([changed, more_keys]).collect();
    let held = s.compare(&many.iter().collect::<Vec<_>>(), Vec::new).await.unwrap();
    assert_eq!(held.len(), 42);
    assert!(held[..31].iter().all(|h| *h == Held::Same), "{:?}", &held[..31]);
    assert!(held[31..40].iter().all(|h| *h == Held::Absent));
    assert_eq!(held[40..], [other(&all[3]), other(&all[5])]);
    assert!(s
        .compare(&[], || -> Vec<AsRead> { panic!("nothing to compare") })
        .await
        .unwrap()
        .is_empty());
    let absent = [&all[35], &all[36]];
    assert_eq!(
        s.compare(&absent, || -> Vec<AsRead> { panic!("not needed: none is stored") })
            .await
            .unwrap(),
        [Held::Absent, Held::Absent]
    );

    // With the bytes each came as: the same answers, whether those bytes are the stored ones
    // (found without encoding), other bytes of the same record (pretty JSON, with a
    // `computed` left in), or missing.
    let encoded: Vec<Vec<u8>> = many.iter().map(crate::core::json::to_vec).collect();
    let pretty: Vec<Vec<u8>> =
        many.iter().map(|h| crate::core::json::to_string_pretty(h).into_bytes()).collect();
    for n in [few.len(), many.len()] {
        let records: Vec<&Household> = many[..n].iter().collect();
        let want = s.compare(&records, Vec::new).await.unwrap();
        let split: Vec<AsRead> =
            encoded[..n].iter().map(|b| Some([&b[..b.len() / 3], &b[b.len() / 3..]])).collect();
        assert_eq!(s.compare(&records, || split).await.unwrap(), want);
        let other_bytes: Vec<AsRead> = pretty[..n]
            .iter()
            .enumerate()
            .map(|(i, b)| (i % 3 != 0).then_some([&b[..], &b[..0]]))
            .collect();
        assert_eq!(s.compare(&records, || other_bytes).await.unwrap(), want);
    }
}

/// `put_all_as_read` stores what `put_all` stores, whether the bytes given are the records
/// as this app writes them (stored as they are), other bytes of them, or none; unknown keys
/// kept, and the stored record is then found exactly by `compare`.
pub async fn put_all_as_read_stores_the_same_records(s: &impl RecordStore) {
    let mut all: Vec<Household> = (0..30).map(sample).collect();
    all[2].extra.insert("app_mark".into(), json!({ "k": [1, "}"] }));
    all.push(with_revision(all[0].clone(), 2));
    let encoded: Vec<Vec<u8>> = all.iter().map(crate::core::json::to_vec).collect();
    assert!(encoded.iter().all(|e| e.starts_with(super::WRITTEN_PREFIX)), "stored as they are");
    let pretty: Vec<Vec<u8>> =
        all.iter().map(|h| crate::core::json::to_string_pretty(h).into_bytes()).collect();
    let as_read: Vec<AsRead> = encoded
        .iter()
        .zip(&pretty)
        .enumerate()
        .map(|(i, (e, p))| match i % 3 {
            0 => Some([&e[..e.len() / 2], &e[e.len() / 2..]]),
            1 => Some([&p[..], &p[..0]]),
            _ => None,
        })
        .collect();
    s.put_all_as_read(&all, &as_read[..25]).await.unwrap();
    let mut want: Vec<Household> = all[1..31].to_vec();
    want.sort_by_key(|h| h.id);
    assert_eq!(s.list().await.unwrap(), want);
    assert_eq!(
        s.get(all[2].id).await.unwrap().unwrap().extra["app_mark"],
        json!({ "k": [1, "}"] })
    );
    assert_eq!(
        s.history(all[0].id).await.unwrap().iter().map(|h| h.revision).collect::<Vec<_>>(),
        vec![2, 1]
    );
    let records: Vec<&Household> = all[1..].iter().collect();
    let held = s.compare(&records, Vec::new).await.unwrap();
    assert!(held.iter().all(|h| *h == Held::Same), "{held:?}");
}

/// `histories` is `history` of each id, in the order asked (a missing record has none).
pub async fn histories_of_several_records(s: &impl RecordStore) {
    let (a, b, c) = (sample(1), sample(2), sample(3));
    s.put_all(std::slice::from_ref(&a)).await.unwrap();
    s.put(&with_revision(a.clone(), 2)).await.unwrap();
    s.put(&b).await.unwrap();
    let many = s.histories(&[a.id, c.id, b.id]).await.unwrap();
    assert_eq!(
        many,
        vec![s.history(a.id).await.unwrap(), Vec::new(), s.history(b.id).await.unwrap()]
    );
    assert_eq!(many[0].iter().map(|h| h.revision).collect::<Vec<_>>(), vec![2, 1]);
    assert!(s.histories(&[]).await.unwrap().is_empty());
}

pub async fn meta_round_trips_and_lists(s: &impl RecordStore) {
    let (a, b) = (sample(1), sample(2));
    s.put(&a).await.unwrap();
    let mut meta: RecordMeta = serde_json::from_value(json!({
        "export": { "exported_at": "2023-03-01T10:00:00+08:00", "revision": 4 },
        "later_mark": { "x": 1 }
    }))
    .unwrap();
    s.put_meta(a.id, &meta).await.unwrap();
    let back = s.get_meta(a.id).await.unwrap().expect("meta stored");
    assert_eq!(back, meta);
    assert_eq!(back.export.as_ref().map(|e| e.revision), Some(4));
    assert_eq!(serde_json::to_value(&back).unwrap()["later_mark"], json!({ "x": 1 }));
    assert_eq!(s.get_meta(b.id).await.unwrap(), None);

    meta.export = Some(ExportMark { exported_at: a.updated_at, revision: 5, shared: false });
    s.put_meta(a.id, &meta).await.unwrap();
    s.put_meta(b.id, &RecordMeta::default()).await.unwrap();
    let listed = s.list_meta().await.unwrap();
    assert_eq!(listed, vec![(a.id, meta), (b.id, RecordMeta::default())]);
    // Marks are not records.
    assert_eq!(s.list().await.unwrap().len(), 1);
}

pub async fn put_meta_all_writes_every_mark(s: &impl RecordStore) {
    let (a, b) = (sample(1), sample(2));
    s.put_meta(
        a.id,
        &RecordMeta { export: None, extra: serde_json::from_value(json!({ "kept": 1 })).unwrap() },
    )
    .await
    .unwrap();
    let mark = |r: &Household| RecordMeta {
        export: Some(ExportMark { exported_at: r.updated_at, revision: r.revision, shared: false }),
        ..Default::default()
    };
    s.put_meta_all(&[(a.id, mark(&a)), (b.id, mark(&b))]).await.unwrap();
    assert_eq!(
        s.list_meta().await.unwrap(),
        vec![(a.id, mark(&a)), (b.id, mark(&b))],
        "replaced, not merged"
    );
    s.put_meta_all(&[]).await.unwrap();
    assert_eq!(s.list_meta().await.unwrap().len(), 2);
}

/// `set_export_marks` sets the export mark and keeps every other mark; for a few records and
/// for many.
pub async fn set_export_marks_keeps_other_marks(s: &impl RecordStore) {
    let kept: RecordMeta = serde_json::from_value(json!({ "later_mark": { "x": 1 } })).unwrap();
    let (a, b) = (sample(1), sample(2));
    s.put_meta(a.id, &kept).await.unwrap();
    let mark = |rev: u64| ExportMark { exported_at: a.updated_at, revision: rev, shared: false };
    s.set_export_marks(&[(a.id, mark(3)), (b.id, mark(1))]).await.unwrap();
    let listed = s.list_meta().await.unwrap();
    assert_eq!(listed.len(), 2);
    assert_eq!(listed[0], (a.id, RecordMeta { export: Some(mark(3)), ..kept.clone() }));
    assert_eq!(listed[1], (b.id, RecordMeta { export: Some(mark(1)), ..Default::default() }));
    // Many at once, over marks set before.
    let many: Vec<(Uuid, ExportMark)> = (0..30).map(|n| (sample(n).id, mark(n + 10))).collect();
    s.set_export_marks(&many).await.unwrap();
    let listed = s.list_meta().await.unwrap();
    assert_eq!(listed.len(), 30);
    assert!(listed
        .iter()
        .zip(&many)
        .all(|((id, m), (want_id, want))| id == want_id && m.export.as_ref() == Some(want)));
    assert_eq!(listed[1].1.extra, kept.extra, "record 1's other mark is still there");
    s.set_export_marks(&[]).await.unwrap();
}

pub async fn delete_removes_record_history_and_meta(s: &impl RecordStore) {
    let (a, b) = (sample(1), sample(2));
    s.put(&a).await.unwrap();
    s.put(&with_revision(a.clone(), 2)).await.unwrap();
    s.put(&b).await.unwrap();
    s.put_meta(
        a.id,
        &RecordMeta {
            export: Some(ExportMark { exported_at: a.updated_at, revision: 2, shared: false }),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    s.put_meta(b.id, &RecordMeta::default()).await.unwrap();
    s.delete(a.id).await.unwrap();
    assert_eq!(s.get(a.id).await.unwrap(), None);
    assert!(s.history(a.id).await.unwrap().is_empty());
    assert_eq!(s.get_meta(a.id).await.unwrap(), None);
    // The other record is untouched.
    assert_eq!(s.list().await.unwrap(), vec![b.clone()]);
    assert_eq!(s.history(b.id).await.unwrap().len(), 1);
    assert!(s.get_meta(b.id).await.unwrap().is_some());
    // Deleting again is fine.
    s.delete(a.id).await.unwrap();
}

pub async fn clear_removes_everything(s: &impl RecordStore) {
    for n in 0..3 {
        s.put(&sample(n)).await.unwrap();
        s.put_meta(sample(n).id, &RecordMeta::default()).await.unwrap();
    }
    s.clear().await.unwrap();
    assert!(s.list().await.unwrap().is_empty());
    assert!(s.list_meta().await.unwrap().is_empty());
    assert!(s.history(sample(1).id).await.unwrap().is_empty());
    // Still usable afterwards.
    s.put(&sample(9)).await.unwrap();
    assert_eq!(s.list().await.unwrap().len(), 1);
}

/// Stores `n` realistic records in one batch and lists them back, all intact.
pub async fn lists_many(s: &impl RecordStore, n: u64) {
    let batch: Vec<Household> = (0..n).map(sample).collect();
    s.put_all(&batch).await.unwrap();
    let all = s.list().await.unwrap();
    assert_eq!(all.len(), n as usize);
    assert_eq!(all.first(), batch.first());
    assert_eq!(all.last(), batch.last());
    let notes: Vec<&Value> = all.iter().map(|h| &h.extra["app_note"]["n"]).collect();
    assert!(notes.iter().enumerate().all(|(i, v)| v.as_u64() == Some(i as u64)));
}

/// Every write of records or marks gives a new generation, in the store (what the start page
/// reads); reads, the list's snapshot (an app value) and an empty write do not.
pub async fn every_write_changes_the_generation(s: &(impl RecordStore + AppValues)) {
    let mut seen = vec![s.generation().await.unwrap()];
    let after = |what: &str, g: String, seen: &mut Vec<String>| {
        assert!(!seen.contains(&g), "{what} must give a new generation ({g:?} seen before)");
        seen.push(g);
    };
    let (a, b) = (sample(1), sample(2));
    s.put(&a).await.unwrap();
    after("put", s.generation().await.unwrap(), &mut seen);
    s.put_all(std::slice::from_ref(&b)).await.unwrap();
    after("put_all", s.generation().await.unwrap(), &mut seen);
    s.put_all_as_read(&[with_revision(b.clone(), 2)], &[]).await.unwrap();
    after("put_all_as_read", s.generation().await.unwrap(), &mut seen);
    s.put_meta(a.id, &RecordMeta::default()).await.unwrap();
    after("put_meta", s.generation().await.unwrap(), &mut seen);
    s.put_meta_all(&[(b.id, RecordMeta::default())]).await.unwrap();
    after("put_meta_all", s.generation().await.unwrap(), &mut seen);
    let mark = ExportMark { exported_at: a.updated_at, revision: 1, shared: false };
    s.set_export_marks(&[(a.id, mark)]).await.unwrap();
    after("set_export_marks", s.generation().await.unwrap(), &mut seen);
    s.delete(b.id).await.unwrap();
    after("delete", s.generation().await.unwrap(), &mut seen);

    let now = s.generation().await.unwrap();
    s.list().await.unwrap();
    s.list_meta().await.unwrap();
    s.put_app_values(&[("~list-stamp", "stamp"), ("~list", "[]")]).await.unwrap();
    assert_eq!(s.generation().await.unwrap(), now, "reads and the snapshot leave the generation");
    assert_eq!(s.read_app_values(&[]).await.unwrap().generation, now);

    s.clear().await.unwrap();
    after("clear", s.generation().await.unwrap(), &mut seen);
}

/// The start page's read (`ui::handover`): the record count, the generation and the app
/// values (the list's snapshot: its stamp and JSON) as last put, in one read; `clear` removes
/// them, marks do not count as records, the values are not record marks, and a key that does
/// not start with `~` is refused.
pub async fn app_values_round_trip(s: &(impl RecordStore + AppValues)) {
    const KEYS: [&str; 2] = ["~list-stamp", "~list"];
    let empty = s.read_app_values(&KEYS).await.unwrap();
    assert_eq!((empty.records, empty.values), (0, vec![None, None]));
    for n in 0..3 {
        s.put(&sample(n)).await.unwrap();
    }
    s.put_meta(sample(0).id, &RecordMeta::default()).await.unwrap();
    let json = r#"{"entries":[],"note":"列表"}"#;
    s.put_app_values(&[(KEYS[0], "g|policy|2026-12-03"), (KEYS[1], json)]).await.unwrap();
    let snap = s.read_app_values(&KEYS).await.unwrap();
    assert_eq!(snap.records, 3);
    assert_eq!(snap.generation, s.generation().await.unwrap());
    assert_eq!(snap.values[0].as_deref(), Some("g|policy|2026-12-03"));
    assert_eq!(snap.values[1].as_deref(), Some(json));
    // The snapshot is not a record mark.
    assert_eq!(s.list_meta().await.unwrap().len(), 1);
    s.put_app_values(&[(KEYS[0], "newer"), (KEYS[1], "[1]")]).await.unwrap();
    let newer = s.read_app_values(&[KEYS[1], "~absent", KEYS[0]]).await.unwrap();
    assert_eq!(newer.values, [Some("[1]".to_string()), None, Some("newer".to_string())]);
    // Only the app's own keys: an id-like key would be read as a record's marks.
    assert!(s.put_app_values(&[("list", "x")]).await.is_err());
    assert_eq!(s.list_meta().await.unwrap().len(), 1);
    s.clear().await.unwrap();
    let cleared = s.read_app_values(&KEYS).await.unwrap();
    assert_eq!((cleared.records, cleared.values), (0, vec![None, None]));
}

// ---- Standing conflicts, receipts and marks changed in one transaction (issue 13,
// exchange): `RecordStore::update_meta` and `store::exchange` on top of it.

fn traced(n: u64, device: &str) -> Household {
    let mut h = sample(n);
    crate::core::lineage::begin(&mut h, &crate::core::lineage::DeviceId::new(device).unwrap());
    h
}

/// `h` saved once more on `device`, with another phone number.
fn saved_on(h: &Household, device: &str, phone: &str) -> Household {
    let mut next = h.clone();
    next.phone = phone.into();
    crate::core::lineage::save(&mut next, h, &crate::core::lineage::DeviceId::new(device).unwrap());
    next
}

pub async fn update_meta_changes_and_removes_marks(s: &impl RecordStore) {
    let (a, b) = (sample(1), sample(2));
    s.put(&a).await.unwrap();
    let mark = ExportMark { exported_at: a.updated_at, revision: 1, shared: true };
    s.set_export_marks(&[(a.id, mark.clone())]).await.unwrap();
    let g0 = s.generation().await.unwrap();
    let mut seen = Vec::new();
    s.update_meta(&[a.id, b.id], |id, meta| {
        seen.push((id, meta.is_some()));
        let mut m = meta.unwrap_or_default();
        m.extra.insert("note".into(), json!(id.to_string()));
        Some(m)
    })
    .await
    .unwrap();
    assert_eq!(seen, vec![(a.id, true), (b.id, false)]);
    assert_ne!(s.generation().await.unwrap(), g0, "a write of marks");
    let ma = s.get_meta(a.id).await.unwrap().unwrap();
    assert_eq!(ma.export, Some(mark), "other marks kept (and `shared` round-trips)");
    assert_eq!(ma.extra["note"], json!(a.id.to_string()));
    assert_eq!(s.get_meta(b.id).await.unwrap().unwrap().extra["note"], json!(b.id.to_string()));
    s.update_meta(&[b.id], |_, _| None).await.unwrap();
    assert_eq!(s.get_meta(b.id).await.unwrap(), None, "None removes the marks");
    assert_eq!(s.list_meta().await.unwrap().len(), 1);
    s.update_meta(&[], |_, m| m).await.unwrap();
}

pub async fn conflicts_stand_until_settled(s: &impl RecordStore) {
    use super::exchange;
    let base = traced(1, "a");
    let ours = saved_on(&base, "a", "111");
    let theirs = saved_on(&base, "b", "222");
    let older_theirs = theirs.clone();
    let later_theirs = saved_on(&theirs, "b", "333");
    s.put(&ours).await.unwrap();
    let mark = ExportMark { exported_at: ours.updated_at, revision: ours.revision, shared: false };
    s.set_export_marks(&[(ours.id, mark.clone())]).await.unwrap();
    let at = ours.updated_at;
    exchange::keep_conflicts(s, &[("b.json".into(), theirs.clone())], at).await.unwrap();
    let standing = exchange::standing(s).await.unwrap();
    assert_eq!(standing.len(), 1);
    assert_eq!(standing[0].0, ours, "against the stored record, which is unchanged");
    assert_eq!(standing[0].1.incoming, theirs, "both states kept");
    assert_eq!(standing[0].1.file, "b.json");
    assert_eq!(s.get(ours.id).await.unwrap().unwrap(), ours);

    // The same state again, or an older copy: still one. A later state replaces it.
    exchange::keep_conflicts(s, &[("b2.json".into(), older_theirs)], at).await.unwrap();
    assert_eq!(exchange::standing(s).await.unwrap().len(), 1);
    exchange::keep_conflicts(s, &[("c.json".into(), later_theirs.clone())], at).await.unwrap();
    let standing = exchange::standing(s).await.unwrap();
    assert_eq!(standing.len(), 1);
    assert_eq!(
        (standing[0].1.incoming.phone.as_str(), standing[0].1.file.as_str()),
        ("333", "c.json")
    );
    // What the home list computes from what it loaded is the same.
    let metas: std::collections::HashMap<Uuid, RecordMeta> =
        s.list_meta().await.unwrap().into_iter().collect();
    assert_eq!(exchange::standing_in(&s.list().await.unwrap(), &metas), standing);

    // Resolved by a person: a new state from both; the conflict is gone, marks kept.
    let device = crate::core::lineage::DeviceId::new("a").unwrap();
    let r = crate::core::transfer::keep_local(&ours, &later_theirs, &device);
    exchange::resolve(s, &r).await.unwrap();
    assert!(exchange::standing(s).await.unwrap().is_empty());
    let meta = s.get_meta(ours.id).await.unwrap().unwrap();
    assert!(!meta.extra.contains_key(exchange::CONFLICTS));
    assert_eq!(meta.export, Some(mark));
    assert_eq!(s.get(ours.id).await.unwrap().unwrap(), r);

    // A conflict whose record was settled without `resolve` (the marks' write lost) is not
    // shown: the stored record holds its incoming state.
    let two = traced(2, "a");
    let apart = saved_on(&two, "b", "9");
    s.put(&two).await.unwrap();
    exchange::keep_conflicts(s, &[("x.json".into(), apart.clone())], at).await.unwrap();
    assert_eq!(exchange::standing(s).await.unwrap().len(), 1);
    s.put(&crate::core::transfer::take_incoming(&two, &apart, &device)).await.unwrap();
    assert!(exchange::standing(s).await.unwrap().is_empty());
}

pub async fn receipts_mark_stored_records(s: &impl RecordStore) {
    use super::exchange::{self, receipt_status};
    use crate::core::receipt::{self, Status};
    let (a, b) = (traced(1, "a"), traced(2, "a"));
    s.put_all(&[a.clone(), b.clone()]).await.unwrap();
    let office = crate::core::lineage::DeviceId::new("office").unwrap();
    let elsewhere = traced(3, "z");
    let r = receipt::make([&a, &elsewhere], &office, "额尔和乡", a.updated_at);
    let stored: std::collections::HashSet<Uuid> = [a.id, b.id].into();
    assert_eq!(exchange::keep_receipt(s, &r, &stored).await.unwrap(), 1);
    assert_eq!(exchange::keep_receipt(s, &r, &stored).await.unwrap(), 1);
    let status = |h: Household| async move {
        let meta = s.get_meta(h.id).await.unwrap();
        receipt_status(&h, meta.as_ref())
    };
    assert_eq!(status(a.clone()).await, Status::Received);
    assert_eq!(status(b.clone()).await, Status::NotReceived);
    assert_eq!(s.get_meta(elsewhere.id).await.unwrap(), None, "only stored records are marked");
    let meta = s.get_meta(a.id).await.unwrap().unwrap();
    assert_eq!(exchange::receipts_of(&meta).len(), 1, "an entry kept once");
    let edited = saved_on(&a, "a", "5");
    s.put(&edited).await.unwrap();
    assert_eq!(status(edited).await, Status::ChangedSince);
}

/// The next saved state of `h` (as the editor makes one: revision, time and a village typed).
fn edited(h: &Household, village: &str) -> Household {
    let mut next = with_revision(h.clone(), h.revision + 1);
    next.address.village = village.into();
    let device = crate::core::lineage::DeviceId::new("contract-device").unwrap();
    crate::core::lineage::save(&mut next, h, &device);
    next
}

pub async fn put_over_writes_on_top_of_its_base(s: &impl RecordStore) {
    let h = sample(3);
    s.put(&h).await.unwrap();
    let a = edited(&h, "哈力村");
    assert_eq!(s.put_over(&a, &h).await.unwrap(), super::Over::Written);
    let b = edited(&a, "宝山村");
    assert_eq!(s.put_over(&b, &a).await.unwrap(), super::Over::Written);
    assert_eq!(s.get(h.id).await.unwrap(), Some(b.clone()));
    let revs: Vec<u64> = s.history(h.id).await.unwrap().iter().map(|h| h.revision).collect();
    assert_eq!(revs, [b.revision, a.revision, h.revision]);
}

pub async fn put_over_never_overwrites_another_state(s: &impl RecordStore) {
    let h = sample(4);
    s.put(&h).await.unwrap();
    // Another tab saved first, on top of the same state.
    let theirs = edited(&h, "哈力村");
    assert_eq!(s.put_over(&theirs, &h).await.unwrap(), super::Over::Written);
    let generation = s.generation().await.unwrap();
    // Ours, edited from the state both loaded: refused, with theirs given back.
    let ours = edited(&h, "宝山村");
    assert_eq!(
        s.put_over(&ours, &h).await.unwrap(),
        super::Over::Changed(Box::new(theirs.clone()))
    );
    assert_eq!(s.get(h.id).await.unwrap(), Some(theirs.clone()));
    assert_eq!(s.history(h.id).await.unwrap().len(), 2);
    assert_eq!(s.generation().await.unwrap(), generation, "nothing written");
    // The same revision with other content or times is another state too.
    let mut same_revision = theirs.clone();
    same_revision.updated_at = with_revision(theirs.clone(), 99).updated_at;
    assert!(matches!(
        s.put_over(&edited(&same_revision, "x"), &same_revision).await.unwrap(),
        super::Over::Changed(_)
    ));
    // On top of what is stored, it is written.
    let next = edited(&theirs, "宝山村");
    assert_eq!(s.put_over(&next, &theirs).await.unwrap(), super::Over::Written);
    assert_eq!(s.get(h.id).await.unwrap(), Some(next));
}

pub async fn put_over_writes_a_record_not_stored(s: &impl RecordStore) {
    let h = sample(5);
    let next = edited(&h, "哈力村");
    assert_eq!(s.put_over(&next, &h).await.unwrap(), super::Over::Written);
    assert_eq!(s.get(h.id).await.unwrap(), Some(next));
}

/// Photo `n` of record `record` (ids `Uuid::from_u128(1000 + n)`), `len` bytes.
pub fn photo(record: u64, n: u128, len: usize) -> StoredBytes {
    StoredBytes {
        id: Uuid::from_u128(1000 + n),
        record_id: sample(record).id,
        mime: "image/jpeg".into(),
        bytes: (0..len).map(|i| (i * 7 + n as usize) as u8).collect(),
    }
}

pub async fn attachments_round_trip_and_replace(s: &(impl RecordStore + AttachmentStore)) {
    assert_eq!(s.get_attachment(Uuid::from_u128(1001)).await.unwrap(), None);
    assert_eq!(s.attachment_totals().await.unwrap(), AttachmentTotals::default());
    let generation = s.generation().await.unwrap();
    let (a, b) = (photo(1, 1, 3000), photo(1, 2, 10));
    s.put_attachments(&[a.clone(), b.clone()]).await.unwrap();
    assert_eq!(s.get_attachment(a.id).await.unwrap(), Some(a.clone()));
    assert_eq!(s.get_attachment(b.id).await.unwrap(), Some(b.clone()));
    assert_eq!(s.generation().await.unwrap(), generation, "bytes change no generation");
    // A retake: other bytes under the same id.
    let mut retaken = photo(1, 1, 500);
    retaken.bytes[0] = 99;
    s.put_attachments(std::slice::from_ref(&retaken)).await.unwrap();
    assert_eq!(s.get_attachment(a.id).await.unwrap(), Some(retaken));
    assert_eq!(s.record_attachments(a.record_id).await.unwrap(), vec![(a.id, 500), (b.id, 10)]);
    assert_eq!(s.attachment_totals().await.unwrap(), AttachmentTotals { count: 2, bytes: 510 });
    s.delete_attachments(&[b.id, Uuid::from_u128(77)]).await.unwrap();
    assert_eq!(s.get_attachment(b.id).await.unwrap(), None);
    assert_eq!(s.attachment_totals().await.unwrap(), AttachmentTotals { count: 1, bytes: 500 });
}

pub async fn attachments_go_with_their_record(s: &(impl RecordStore + AttachmentStore)) {
    let (h1, h2) = (sample(1), sample(2));
    s.put(&h1).await.unwrap();
    s.put(&h2).await.unwrap();
    let (a, b, c) = (photo(1, 1, 20), photo(1, 2, 30), photo(2, 3, 40));
    s.put_attachments(&[a.clone(), b.clone(), c.clone()]).await.unwrap();
    s.delete(h1.id).await.unwrap();
    assert_eq!(s.get_attachment(a.id).await.unwrap(), None);
    assert_eq!(s.get_attachment(b.id).await.unwrap(), None);
    assert!(s.record_attachments(h1.id).await.unwrap().is_empty());
    assert_eq!(s.get_attachment(c.id).await.unwrap(), Some(c.clone()));
    assert_eq!(s.record_attachments(h2.id).await.unwrap(), vec![(c.id, 40)]);
}

pub async fn attachments_are_cleared(s: &(impl RecordStore + AttachmentStore)) {
    s.put(&sample(1)).await.unwrap();
    s.put_attachments(&[photo(1, 1, 20)]).await.unwrap();
    s.clear().await.unwrap();
    assert_eq!(s.attachment_totals().await.unwrap(), AttachmentTotals::default());
    assert_eq!(s.get_attachment(Uuid::from_u128(1001)).await.unwrap(), None);
}
