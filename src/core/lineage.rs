//! Record lineage: which saved state of a record descends from which (issue 13), so that a
//! merge can tell "a later state of the same edits" from "edited apart".
//!
//! # The model: version vectors, one counter per device
//!
//! Every record carries `lineage` (a key added to `ruhu.household/1`; nothing renamed):
//!
//! ```json
//! "lineage": {
//!   "saves": { "4f1c2a9e6b3d4e7f8a9b0c1d2e3f4a5b": 27, "9d8e7f6a5b4c4d3e8f2a1b0c9d8e7f6a": 3 },
//!   "revision": 31
//! }
//! ```
//!
//! - `saves`: for each device that ever saved this record (or an ancestor of it), how many of
//!   the saves in its ancestry that device made — a version vector (Dynamo, Riak). A save on
//!   device `d` is `saves[d] += 1` on top of the state it was edited from ([`save`]); a record
//!   created on `d` starts at `{ d: 1 }` ([`begin`]).
//! - `revision`: the record's `revision` when these counters were written. A record whose
//!   `revision` differs was saved since by a writer that does not know lineage (an older ruhu,
//!   which keeps unknown keys and so carries the old `lineage` along, but counts only
//!   `revision`): its counters are only a lower bound. Such a record is **untraced**, as is a
//!   record without `lineage` (older exports); a record whose `lineage.revision` equals its
//!   `revision` is **traced** ([`traced`]).
//! - `from` (only when needed, at most [`MAX_FROM`]): content hashes ([`content_hash`]) of
//!   states the counters do not account for, that this state descends from exactly: the
//!   untraced state a device took up and saved on top of (an old export, a record an older
//!   app edited), and the sides of a resolution that could not be counted. It is what turns
//!   "a traced record against an old one" from a conflict into an update when the old one is
//!   exactly where the new one started, so that the first import after this change is not a
//!   conflict for every record.
//!
//! Comparing two traced states ([`order`]), pointwise on `saves` (a missing device is 0):
//! all counters ≥ and one > → the first **descends** from the second ([`Order::After`]);
//! all equal → the **same** state (different content there is a conflict: a bug or a crafted
//! file); some greater and some smaller → edited apart, **concurrent** ([`Order::Concurrent`]).
//! A resolution by a person ([`resolve`]) takes the pointwise maximum of both sides plus one
//! save of the resolving device, so it descends from both. How `merge::decide` uses this, and
//! the rows for untraced records: [`crate::merge`].
//!
//! The device id is the caller's ([`DeviceId`]): the app keeps a random one per browser
//! profile, the office its own. The core never makes one up, never reads a clock and never
//! draws a random number. A device id must be used by one writer of a record at a time: two
//! writers saving under one id on top of the same state would make two different states with
//! the same counters (two tabs of one browser profile: the app allows one editor per record).
//!
//! # Why not CouchDB's revision trees
//!
//! CouchDB keeps `N-hash` revisions and a bounded `_revisions` list (the last 1,000 by
//! default; a phone would want far fewer). Autosave makes a new state at every pause in
//! typing, hundreds per record: with a list of 50 ancestors, a cadre's file re-imported at the
//! office 300 saves after the office's copy would no longer name the office's state as an
//! ancestor, and a plain update would look like a conflict. Version vectors stay exact at any
//! number of saves, and their size grows with the number of devices that edited a record (one
//! or two; a handful at most), not with the number of saves. What they give up: they cannot say
//! *which* state was the common ancestor (a revision tree can), which the side-by-side view of
//! a conflict does not need — it shows the two states.
//!
//! # Bounds
//!
//! - At most [`MAX_DEVICES`] (64) devices in `saves`, each id 1–64 characters of
//!   `[0-9A-Za-z._:-]`, each counter 1 to 2⁵³−1 (JSON's safe integers), `lineage.revision`
//!   and the record's `revision` at most that; at most
//!   [`MAX_FROM`] (8) hashes in `from`, each 64 lowercase hex digits. An incoming record over
//!   any of these is refused as crafted or broken, with a Chinese reason ([`check`]).
//! - Every increment saturates ([`next_revision`], the counters): nothing wraps. A save that
//!   cannot be counted (a 65th device, a counter at 2⁵³−1) is made **untraced** with the state
//!   it was saved on in `from`: it still descends from that state exactly, and is only a
//!   conflict where a counted save would have been an update — never the other way round.
//! - `from` keeps the newest [`MAX_FROM`] hashes; one pushed out only costs a conflict where an
//!   update could have been told.
//!
//! # What it costs
//!
//! Measured natively with `cargo bench -p ruhu-core --bench lineage` (2 shared cores; two runs,
//! the figures vary by about a third from run to run):
//!
//! - **Bytes per record** (compact JSON, the app's device ids are 32 hex digits): one device,
//!   `"lineage":{"saves":{"<32 hex>":31},"revision":34}`, is **+75 bytes**; two devices +113;
//!   two devices and one hash in `from` +189. On the 5,904-record sample batch (4,393 bytes
//!   per record with `computed`): +1.7 %, +2.6 % and +4.3 %. The size grows with the devices
//!   that edited a record (about 38 bytes each) and the hashes kept (about 66 each, at most
//!   8), never with the number of saves.
//! - **Time per save** (on the sample's largest record, 5,188 bytes of JSON): [`save`] on a
//!   traced record **0.1–0.2 µs** (one or two devices: a small map copied and one count
//!   added), against 17–26 µs for the JSON the store writes at every save anyway. A save on
//!   an untraced record also hashes the state saved on: 27–34 µs, once per record, the first
//!   time it is saved after coming from an older app. [`content_hash`] of a traced record:
//!   47–50 µs (a copy, its JSON, SHA-256).
//! - **Merging**: `merge::decide` of two traced states 0.09–0.15 µs (counters only); where a
//!   side is untraced it compares content (56–81 µs) or hashes one side for `from` (24–32 µs),
//!   as the import already compared content before lineage.

//! # What it cannot tell
//!
//! - Which state was the common ancestor of two concurrent ones (see above).
//! - Anything about a file that lies: lineage is not a signature. A crafted record can claim
//!   to descend from everything (large counters); the bounds keep it small, not honest.
//! - Descent through a writer that does not know lineage, beyond "it came after the counted
//!   state": such a record is a conflict against any other descendant of that state.
//! - Two writers under one device id on one state (see above), or a device id reused after
//!   the device's records were lost: the app keeps the id with the records.

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::Value;

use crate::merge::Refusal;
use crate::reads::{object_reader, Plain};
use crate::record::{Extra, Household, NullDefault, HOUSEHOLD_FORMAT};

/// JSON's largest safe integer, 2⁵³−1: the largest `revision` and counter a record may have.
pub const MAX_SAFE_INTEGER: u64 = (1 << 53) - 1;

/// The most devices a record's `saves` may name.
pub const MAX_DEVICES: usize = 64;

/// The most content hashes a record's `from` keeps.
pub const MAX_FROM: usize = 8;

/// The longest device id, in bytes.
pub const MAX_DEVICE_ID: usize = 64;

/// Which saved states a record's state descends from: how many saves each device made in its
/// ancestry (a version vector). Compared pointwise: all counters at least the other's and one
/// more means a later state of it; some more and some fewer means edited apart.
#[derive(Debug, Clone, PartialEq, Serialize, Default)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Lineage {
    /// How many saves in this state's ancestry each device made (a version vector): device
    /// id → count, 1 to 2⁵³−1, at most 64 devices.
    #[cfg_attr(
        feature = "schema",
        schemars(extend(
            "maxProperties" = 64,
            "minProperties" = 1,
            "propertyNames" = { "pattern": "^[0-9A-Za-z._:-]{1,64}$" }
        ))
    )]
    pub saves: BTreeMap<String, u64>,
    /// The record's `revision` when `saves` was written; a record whose `revision` differs was
    /// saved since by a writer that does not know lineage.
    #[cfg_attr(feature = "schema", schemars(range(max = 9007199254740991u64)))]
    pub revision: u64,
    /// Content hashes (SHA-256, hex) of states this one descends from that `saves` does not
    /// account for (records from before lineage, edits by a writer without it). At most 8.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[cfg_attr(
        feature = "schema",
        schemars(length(max = 8), inner(regex(pattern = "^[0-9a-f]{64}$")))
    )]
    pub from: Vec<String>,
    #[serde(flatten)]
    pub extra: Extra,
}

object_reader!(Lineage required(saves, revision) { saves: Plain, revision: Plain, from: NullDefault });

/// A device id: what names one writer in `saves` (1–64 characters of `[0-9A-Za-z._:-]`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct DeviceId(String);

impl DeviceId {
    /// The id, if it is one (see [`valid_device`]).
    pub fn new(id: &str) -> Result<DeviceId, String> {
        if valid_device(id) {
            Ok(DeviceId(id.to_string()))
        } else {
            Err(format!("设备标识 \"{id}\" 无效：应为 1 到 {MAX_DEVICE_ID} 个字母、数字或 . _ : -"))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for DeviceId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// Whether `id` may name a device: 1–64 characters of `[0-9A-Za-z._:-]`.
pub fn valid_device(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= MAX_DEVICE_ID
        && id.bytes().all(|b| b.is_ascii_alphanumeric() || b"._:-".contains(&b))
}

/// How one state stands to another.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Order {
    /// The same counters: the same state.
    Same,
    /// The first descends from the second (a later state of it).
    After,
    /// The second descends from the first.
    Before,
    /// Edited apart: neither descends from the other.
    Concurrent,
}

/// Compares two version vectors pointwise (a device missing from one counts 0 there).
pub fn order(a: &BTreeMap<String, u64>, b: &BTreeMap<String, u64>) -> Order {
    let get = |m: &BTreeMap<String, u64>, k: &str| m.get(k).copied().unwrap_or(0);
    let mut greater = false;
    let mut smaller = false;
    for k in a.keys().chain(b.keys()) {
        let (x, y) = (get(a, k), get(b, k));
        greater |= x > y;
        smaller |= x < y;
        if greater && smaller {
            return Order::Concurrent;
        }
    }
    match (greater, smaller) {
        (false, false) => Order::Same,
        (true, false) => Order::After,
        (false, true) => Order::Before,
        (true, true) => Order::Concurrent,
    }
}

/// The record's lineage when it accounts for the record's current state (its
/// `lineage.revision` is the record's `revision`); `None` for a record without lineage or one
/// saved since by a writer that does not know it.
pub fn traced(h: &Household) -> Option<&Lineage> {
    h.lineage.as_ref().filter(|l| l.revision == h.revision)
}

/// The revision after `revision`: one more, saturating at 2⁵³−1 (never wraps).
pub fn next_revision(revision: u64) -> u64 {
    revision.saturating_add(1).min(MAX_SAFE_INTEGER)
}

/// The record as compared and hashed, as bytes: its compact JSON as the core writes it, with
/// `format` set to `ruhu.household/1` and without `computed` and `lineage` (what was answered,
/// and its `revision` and times; keys in the record's order, unknown keys in the order read).
pub fn content_bytes(h: &Household) -> Vec<u8> {
    if h.lineage.is_none() && h.computed.is_none() && h.format == HOUSEHOLD_FORMAT {
        return crate::json::to_vec(h);
    }
    let bare = Household {
        format: HOUSEHOLD_FORMAT.to_string(),
        lineage: None,
        computed: None,
        ..h.clone()
    };
    crate::json::to_vec(&bare)
}

/// [`content_bytes`] as a JSON tree.
pub fn content(h: &Household) -> Value {
    serde_json::from_slice(&content_bytes(h)).expect("serde_json reads what it wrote")
}

/// The content hash of a state: SHA-256, 64 lowercase hex digits, of [`content_bytes`]. The
/// app compares it with its own hashes (`from`, receipts); another program should compare
/// `revision` and `lineage` instead.
pub fn content_hash(h: &Household) -> String {
    crate::evidence::sha256_hex(&content_bytes(h))
}

/// Whether `s` is a content hash as written: 64 lowercase hex digits.
fn is_hash(s: &str) -> bool {
    s.len() == 64 && s.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// Checks an incoming record against the bounds (module docs): `revision` and every counter
/// at most 2⁵³−1, at most 64 valid device ids, no zero counter, at most 8 well-formed hashes.
pub fn check(h: &Household) -> Result<(), Refusal> {
    if h.revision > MAX_SAFE_INTEGER {
        return Err(Refusal::RevisionTooLarge(h.revision));
    }
    h.lineage.as_ref().map_or(Ok(()), check_lineage)
}

/// [`check`] of a lineage on its own (a receipt's entries hold one).
pub fn check_lineage(l: &Lineage) -> Result<(), Refusal> {
    if l.saves.len() > MAX_DEVICES {
        return Err(Refusal::TooManyDevices(l.saves.len()));
    }
    if l.saves.is_empty() || l.saves.keys().any(|k| !valid_device(k)) {
        return Err(Refusal::BadDevice);
    }
    if l.revision > MAX_SAFE_INTEGER || l.saves.values().any(|&n| n == 0 || n > MAX_SAFE_INTEGER) {
        return Err(Refusal::BadCounter);
    }
    if l.from.len() > MAX_FROM || !l.from.iter().all(|f| is_hash(f)) {
        return Err(Refusal::BadFrom);
    }
    Ok(())
}

/// The lineage of a new state made on `device` at `revision` on top of `parents` (one for a
/// save, two for a resolution): the pointwise maximum of their counters plus one save of
/// `device`; the hashes of the parents that are untraced go into `from`. When the save cannot
/// be counted (a 65th device, a counter at its maximum, two sides naming more than 64 devices
/// together) the state is untraced, with every parent's hash in `from`.
fn descend(parents: &[&Household], device: &DeviceId, revision: u64) -> Lineage {
    let mut saves: BTreeMap<String, u64> = BTreeMap::new();
    let mut from: Vec<String> = Vec::new();
    for p in parents {
        if traced(p).is_none() {
            from.push(content_hash(p));
        }
    }
    for p in parents {
        if let Some(l) = &p.lineage {
            for (d, &n) in &l.saves {
                let e = saves.entry(d.clone()).or_insert(0);
                *e = (*e).max(n);
            }
            from.extend(l.from.iter().cloned());
        }
    }
    let counted = saves.len() <= MAX_DEVICES
        && (saves.len() < MAX_DEVICES || saves.contains_key(device.as_str()))
        && saves.get(device.as_str()).copied().unwrap_or(0) < MAX_SAFE_INTEGER;
    let lineage_revision = if counted {
        *saves.entry(device.as_str().to_string()).or_insert(0) += 1;
        revision
    } else {
        // Untraced: the counters of a parent that has some (within the bounds: each parent's
        // are; the state descends from that parent, so from the state they count), and every
        // parent named exactly. (Some parent has counters: without any, the save is counted.)
        saves = parents
            .iter()
            .find_map(|p| p.lineage.as_ref())
            .map(|l| l.saves.clone())
            .unwrap_or_default();
        from.splice(0..0, parents.iter().filter(|p| traced(p).is_some()).map(|p| content_hash(p)));
        // Any value but `revision` marks it untraced; a later save by an older app only
        // ever raises `revision`, so this one stays below it.
        revision.saturating_sub(1)
    };
    let mut seen = std::collections::HashSet::new();
    from.retain(|f| seen.insert(f.clone()));
    from.truncate(MAX_FROM);
    Lineage { saves, revision: lineage_revision, from, extra: Extra::new() }
}

/// A record created on `device` (a new draft, a follow-up visit): its first state,
/// `{ device: 1 }` at its revision.
pub fn begin(h: &mut Household, device: &DeviceId) {
    h.lineage = Some(Lineage {
        saves: [(device.as_str().to_string(), 1)].into(),
        revision: h.revision,
        from: Vec::new(),
        extra: Extra::new(),
    });
}

/// A save on `device` of `h`, edited from `base` (the state it was loaded or last saved as):
/// `revision` one above both (saturating), `lineage` one more save of `device` on top of
/// `base`'s. Everything else is `h` as given (the caller sets `updated_at`).
pub fn save(h: &mut Household, base: &Household, device: &DeviceId) {
    h.revision = next_revision(base.revision.max(h.revision));
    h.lineage = Some(descend(&[base], device, h.revision));
}

/// The resolution of a conflict by a person on `device`: the `chosen` state's content (every
/// key, `updated_at` and status as it is; `computed` dropped), `revision` one above both,
/// and a lineage that descends from both `chosen` and `other`.
pub fn resolve(chosen: &Household, other: &Household, device: &DeviceId) -> Household {
    let mut h = chosen.clone();
    h.revision = next_revision(chosen.revision.max(other.revision));
    h.lineage = Some(descend(&[chosen, other], device, h.revision));
    h.computed = None;
    h
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testkit;

    fn vv(pairs: &[(&str, u64)]) -> BTreeMap<String, u64> {
        pairs.iter().map(|(k, v)| (k.to_string(), *v)).collect()
    }

    fn dev(s: &str) -> DeviceId {
        DeviceId::new(s).unwrap()
    }

    #[test]
    fn orders_pointwise() {
        let cases = [
            (vv(&[("a", 1)]), vv(&[("a", 1)]), Order::Same),
            (vv(&[]), vv(&[]), Order::Same),
            (vv(&[("a", 2)]), vv(&[("a", 1)]), Order::After),
            (vv(&[("a", 1), ("b", 1)]), vv(&[("a", 1)]), Order::After),
            (vv(&[("a", 1)]), vv(&[("a", 1), ("b", 1)]), Order::Before),
            (vv(&[("a", 2)]), vv(&[("a", 1), ("b", 1)]), Order::Concurrent),
            (vv(&[("b", 1)]), vv(&[("a", 1)]), Order::Concurrent),
            (vv(&[("a", 3), ("b", 1)]), vv(&[("a", 2), ("b", 4)]), Order::Concurrent),
        ];
        for (a, b, want) in cases {
            assert_eq!(order(&a, &b), want, "{a:?} vs {b:?}");
        }
    }

    #[test]
    fn device_ids() {
        assert!(DeviceId::new("4f1c2a9e6b3d4e7f8a9b0c1d2e3f4a5b").is_ok());
        assert!(DeviceId::new("office:额尔和乡").is_err());
        assert!(DeviceId::new("").is_err());
        assert!(DeviceId::new(&"a".repeat(64)).is_ok());
        assert!(DeviceId::new(&"a".repeat(65)).unwrap_err().contains("无效"));
        assert!(DeviceId::new("a b").is_err());
    }

    #[test]
    fn revisions_saturate() {
        assert_eq!(next_revision(1), 2);
        assert_eq!(next_revision(MAX_SAFE_INTEGER - 1), MAX_SAFE_INTEGER);
        assert_eq!(next_revision(MAX_SAFE_INTEGER), MAX_SAFE_INTEGER);
        assert_eq!(next_revision(u64::MAX), MAX_SAFE_INTEGER);
    }

    #[test]
    fn saves_count_per_device_and_descend() {
        let a = dev("a");
        let b = dev("b");
        let mut h = testkit::household().build();
        begin(&mut h, &a);
        assert_eq!(traced(&h).unwrap().saves, vv(&[("a", 1)]));
        let base = h.clone();
        h.phone = "13900000000".into();
        save(&mut h, &base, &a);
        assert_eq!((h.revision, traced(&h).unwrap().saves.clone()), (2, vv(&[("a", 2)])));
        let mut other = base.clone();
        save(&mut other, &base, &b);
        assert_eq!(traced(&other).unwrap().saves, vv(&[("a", 1), ("b", 1)]));
        let l = |h: &Household| traced(h).unwrap().saves.clone();
        assert_eq!(order(&l(&h), &l(&base)), Order::After);
        assert_eq!(order(&l(&h), &l(&other)), Order::Concurrent);
        let r = resolve(&h, &other, &b);
        assert_eq!(r.revision, 3);
        assert_eq!(l(&r), vv(&[("a", 2), ("b", 2)]));
        assert_eq!(order(&l(&r), &l(&h)), Order::After);
        assert_eq!(order(&l(&r), &l(&other)), Order::After);
        assert_eq!(r.phone, "13900000000");
        assert!(r.lineage.as_ref().unwrap().from.is_empty(), "both sides were traced");
    }

    #[test]
    fn an_untraced_base_goes_into_from() {
        // A record from an older app: no lineage.
        let old = testkit::household().revision(40).build();
        let mut h = old.clone();
        save(&mut h, &old, &dev("a"));
        let l = traced(&h).unwrap();
        assert_eq!((h.revision, l.saves.clone()), (41, vv(&[("a", 1)])));
        assert_eq!(l.from, vec![content_hash(&old)]);
        // Saved again: the anchor stays.
        let base = h.clone();
        save(&mut h, &base, &dev("a"));
        assert_eq!(traced(&h).unwrap().from, vec![content_hash(&old)]);

        // An older app edited a traced record: revision moved, lineage did not.
        let mut tainted = h.clone();
        tainted.revision += 1;
        tainted.phone = "1".into();
        assert!(traced(&tainted).is_none());
        let mut next = tainted.clone();
        save(&mut next, &tainted, &dev("b"));
        let l = traced(&next).unwrap();
        assert_eq!(l.saves, vv(&[("a", 2), ("b", 1)]));
        assert_eq!(l.from, vec![content_hash(&tainted), content_hash(&old)]);
    }

    #[test]
    fn a_save_that_cannot_be_counted_is_untraced_but_anchored() {
        let mut h = testkit::household().build();
        let saves: BTreeMap<String, u64> = (0..64).map(|i| (format!("d{i}"), 1)).collect();
        h.lineage = Some(Lineage { saves: saves.clone(), revision: 1, ..Default::default() });
        let base = h.clone();
        save(&mut h, &base, &dev("newcomer"));
        assert_eq!(h.revision, 2);
        assert!(traced(&h).is_none(), "a 65th device is not counted");
        let l = h.lineage.as_ref().unwrap();
        assert_eq!(l.saves, saves);
        assert_eq!(l.from, vec![content_hash(&base)]);
        assert!(check(&h).is_ok(), "still within the bounds");

        // A resolution of a record without lineage and one naming 64 devices: the counters
        // of the one that has some, both sides named.
        let legacy = testkit::household().revision(3).phone("1").build();
        let r = resolve(&legacy, &base, &dev("newcomer"));
        let l = r.lineage.as_ref().unwrap();
        assert!(traced(&r).is_none());
        assert_eq!(l.saves, saves);
        assert_eq!(l.from, vec![content_hash(&base), content_hash(&legacy)]);
        assert!(check(&r).is_ok());

        let mut at_max = testkit::household().build();
        at_max.lineage = Some(Lineage {
            saves: vv(&[("a", MAX_SAFE_INTEGER)]),
            revision: 1,
            ..Default::default()
        });
        let base = at_max.clone();
        save(&mut at_max, &base, &dev("a"));
        assert!(traced(&at_max).is_none());
        assert_eq!(at_max.lineage.as_ref().unwrap().saves, vv(&[("a", MAX_SAFE_INTEGER)]));
    }

    #[test]
    fn from_is_bounded_and_without_repeats() {
        let mut h = testkit::household().build();
        let hashes: Vec<String> = (0..8).map(|i| format!("{i:064x}")).collect();
        h.lineage = Some(Lineage {
            saves: vv(&[("a", 1)]),
            revision: 5, // untraced: revision 1
            from: hashes.clone(),
            ..Default::default()
        });
        let base = h.clone();
        save(&mut h, &base, &dev("a"));
        let l = h.lineage.as_ref().unwrap();
        assert_eq!(l.from.len(), MAX_FROM);
        assert_eq!(l.from[0], content_hash(&base));
        assert_eq!(l.from[1..], hashes[..7]);
        let again = resolve(&h, &h, &dev("a"));
        assert_eq!(again.lineage.as_ref().unwrap().from, l.from);
    }

    #[test]
    fn the_bounds() {
        let ok = |l: Option<Lineage>, rev: u64| {
            let mut h = testkit::household().revision(rev).build();
            h.lineage = l;
            check(&h)
        };
        let l = |saves: BTreeMap<String, u64>, from: Vec<String>| {
            Some(Lineage { saves, revision: 1, from, ..Default::default() })
        };
        assert_eq!(ok(None, MAX_SAFE_INTEGER), Ok(()));
        assert_eq!(ok(None, MAX_SAFE_INTEGER + 1), Err(Refusal::RevisionTooLarge(1 << 53)));
        assert_eq!(ok(l(vv(&[("a", 1)]), vec![]), 1), Ok(()));
        let many: BTreeMap<String, u64> = (0..65).map(|i| (format!("d{i}"), 1)).collect();
        assert_eq!(ok(l(many, vec![]), 1), Err(Refusal::TooManyDevices(65)));
        assert_eq!(ok(l(vv(&[]), vec![]), 1), Err(Refusal::BadDevice));
        assert_eq!(ok(l(vv(&[("a b", 1)]), vec![]), 1), Err(Refusal::BadDevice));
        assert_eq!(ok(l(vv(&[("a", 0)]), vec![]), 1), Err(Refusal::BadCounter));
        assert_eq!(ok(l(vv(&[("a", 1 << 53)]), vec![]), 1), Err(Refusal::BadCounter));
        assert_eq!(ok(l(vv(&[("a", 1)]), vec!["x".into()]), 1), Err(Refusal::BadFrom));
        let nine: Vec<String> = (0..9).map(|i| format!("{i:064x}")).collect();
        assert_eq!(ok(l(vv(&[("a", 1)]), nine), 1), Err(Refusal::BadFrom));
    }

    #[test]
    fn the_hash_ignores_format_computed_and_lineage() {
        assert_eq!(content(&testkit::household().build())["format"], HOUSEHOLD_FORMAT);
        let h = testkit::household().build();
        let mut other = h.clone();
        other.format = String::new();
        other.computed = Some(serde_json::json!({"total_income": "1.00"}));
        begin(&mut other, &dev("a"));
        assert_eq!(content_hash(&h), content_hash(&other));
        assert_eq!(content_hash(&h).len(), 64);
        other.phone = "1".into();
        assert_ne!(content_hash(&h), content_hash(&other));
        // SHA-256 itself (FIPS 180-2's "abc").
        assert_eq!(
            crate::evidence::sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn lineage_reads_back_and_keeps_unknown_keys() {
        let text = r#"{"saves":{"a":3,"b":1},"revision":4,"from":null,"note":[1]}"#;
        let l: Lineage = serde_json::from_str(text).unwrap();
        assert_eq!(l.saves, vv(&[("a", 3), ("b", 1)]));
        assert_eq!((l.revision, l.from.len()), (4, 0));
        assert_eq!(l.extra["note"], serde_json::json!([1]));
        assert_eq!(
            crate::json::to_string(&l),
            r#"{"saves":{"a":3,"b":1},"revision":4,"note":[1]}"#
        );
        assert!(serde_json::from_str::<Lineage>(r#"{"revision":4}"#).is_err());
    }
}
