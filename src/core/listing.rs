//! The home list (入户排查): one entry per household — its latest visit ([`crate::visits`]),
//! evaluated once with the other households (`id-number-elsewhere`) and its previous visit
//! (`income-drop`) — the search and filters, and the grouping by village. Plain Rust, so
//! that the list of 5,000 households is computed once per load and tested natively.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::evaluation::{Identify, Severity};
use super::followup::people_index;
use super::policy::Policy;
use super::receipt::Status as ReceiptStatus;
use super::record::{Category, Household, Status, Timestamp};
use super::rules::{self, Context, RuleCode};
use super::transfer::ExportState;
use super::visits::Visits;

/// How a list names a household without a village.
pub const NO_VILLAGE: &str = "（未填村）";

/// One household in the list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Entry {
    pub household_id: Uuid,
    /// The household's records (indexes into the records given), oldest first in the order of
    /// [`crate::visits`]; the last is the latest.
    pub visits: Vec<usize>,
    /// The latest visit's record id.
    pub record_id: Uuid,
    pub revision: u64,
    pub updated_at: Timestamp,
    pub village: String,
    pub head: String,
    pub members: usize,
    pub category: Option<Category>,
    pub status: Status,
    pub visit_date: Option<NaiveDate>,
    /// The engine's verdict on the latest visit.
    pub at_risk: bool,
    pub identify: Identify,
    pub monitored: bool,
    /// Members in a 重点人群.
    pub key_group_members: usize,
    /// Error findings (answers missing or wrong).
    pub errors: usize,
    /// `id-number-elsewhere` messages: a member is also listed in another household.
    pub elsewhere: Vec<String>,
    /// 待入户: the latest record is a roster draft not visited yet
    /// ([`crate::roster::prefill::is_pending`]). Absent in older snapshots: `false`.
    #[serde(default)]
    pub pending: bool,
    /// Where the household's records stand with the township (回执): the least of its
    /// visits' (`receipt::Status`; not received until the page that has the receipts sets it).
    #[serde(default)]
    pub township: ReceiptStatus,
    /// What the search looks in: names, ID numbers, phone (upper case, no spaces).
    haystack: String,
}

impl Entry {
    /// The village for people ([`NO_VILLAGE`] when empty).
    pub fn village_label(&self) -> &str {
        if self.village.is_empty() {
            NO_VILLAGE
        } else {
            &self.village
        }
    }

    /// The head's name for people.
    pub fn head_label(&self) -> &str {
        if self.head.is_empty() {
            "（未填户主）"
        } else {
            &self.head
        }
    }

    /// Whether every word of the query is in a name, an ID number or the phone.
    pub fn matches_query(&self, query: &str) -> bool {
        query.split_whitespace().map(normalise).all(|w| w.is_empty() || self.haystack.contains(&w))
    }
}

fn normalise(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace() && *c != '-').flat_map(char::to_uppercase).collect()
}

/// The households among `records`, each evaluated once (latest visit, with the people index
/// of all households and its previous visit), most recently changed first.
pub fn entries(records: &[Household], policy: &Policy, today: NaiveDate) -> Vec<Entry> {
    let visits = Visits::new(records);
    let index = people_index(records);
    let mut out: Vec<Entry> = visits
        .households()
        .map(|(household_id, of)| {
            let latest = *of.last().expect("a household has a record");
            let h = &records[latest];
            let previous = visits.previous(h).map(|i| &records[i]);
            let policy = policy.for_visit(h.visit.date);
            let mut ctx = Context::new(&policy, today);
            ctx.people_elsewhere = Some(&index);
            ctx.previous = previous;
            let e = rules::evaluate(h, ctx);
            let mut haystack = String::new();
            for m in &h.members {
                haystack.push_str(&normalise(&m.name));
                haystack.push('\n');
                haystack.push_str(&normalise(&m.id_number));
                haystack.push('\n');
            }
            haystack.push_str(&normalise(&h.phone));
            Entry {
                household_id,
                record_id: h.id,
                revision: h.revision,
                updated_at: h.updated_at,
                village: h.address.village.clone(),
                head: h.head_name().to_string(),
                members: h.members.len(),
                category: h.category,
                status: h.status,
                visit_date: h.visit.date,
                at_risk: e.at_risk,
                identify: e.identify,
                monitored: h.is_monitored(),
                key_group_members: e.key_groups.len(),
                errors: e.of(Severity::Error).count(),
                elsewhere: e
                    .findings
                    .iter()
                    .filter(|f| f.code == RuleCode::IdNumberElsewhere)
                    .map(|f| f.message.clone())
                    .collect(),
                pending: crate::roster::prefill::is_pending(h),
                haystack,
                township: ReceiptStatus::NotReceived,
                visits: of.to_vec(),
            }
        })
        .collect();
    out.sort_by(|a, b| b.updated_at.cmp(&a.updated_at).then(a.household_id.cmp(&b.household_id)));
    out
}

/// The home list without the records it was computed from: what [`entries`] gave, each
/// entry's export state, and how many records there were. The full app keeps one in the
/// store each time it has computed the list; the start page (`index.html`, a much smaller
/// bundle without the rule engine or the record reader) shows it while its [`stamp`] still
/// holds, and hands over to the full app when it does not.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Snapshot {
    pub entries: Vec<Entry>,
    /// `export[i]` is `entries[i]`'s.
    pub export: Vec<ExportState>,
    /// How many records the entries were computed from.
    pub records: usize,
    /// How many conflicts stand (kept for a person to resolve).
    #[serde(default)]
    pub conflicts: usize,
}

/// Bumped when [`Snapshot`] or [`Entry`] change shape.
const SNAPSHOT_FORMAT: &str = "list/2";

/// What a snapshot's list depends on, as one string: the store's generation read before the
/// records were read (any later write of records or marks changes it), the policy (a changed
/// monitoring line changes verdicts), the day (ages, overdue visits) and the build (the rules
/// themselves). A snapshot is shown only when its stamp equals the one made now.
pub fn stamp(generation: &str, policy: &Policy, today: NaiveDate, build: &str) -> String {
    let policy = serde_json::to_string(policy).unwrap_or_default();
    format!("{SNAPSHOT_FORMAT}|{build}|{today}|{generation}|{policy}")
}

/// What the list shows.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filter {
    /// Name, ID number or phone (words are and-ed).
    pub query: String,
    /// 有风险: the engine found a risk.
    pub at_risk: bool,
    /// 监测对象.
    pub monitored: bool,
    /// 重点人群: a member is in a key group.
    pub key_group: bool,
    /// 同一人在别户: a member's ID is also listed in another household.
    pub duplicate: bool,
    /// 草稿 / 已完成, or both.
    pub status: Option<Status>,
    /// 未送达乡镇: a record of the household has not reached the township in its current
    /// state (no receipt names it, or it was changed since).
    pub not_received: bool,
}

impl Filter {
    pub fn matches(&self, e: &Entry) -> bool {
        (!self.at_risk || e.at_risk)
            && (!self.monitored || e.monitored)
            && (!self.key_group || e.key_group_members > 0)
            && (!self.duplicate || !e.elsewhere.is_empty())
            && self.status.is_none_or(|s| e.status == s)
            && (!self.not_received || e.township != ReceiptStatus::Received)
            && e.matches_query(&self.query)
    }

    /// No filter and no query.
    pub fn is_empty(&self) -> bool {
        *self == Filter::default()
    }
}

/// The entries that pass `filter`, grouped by village (villages in Unicode order,
/// [`NO_VILLAGE`] last), each group in list order. Indexes into `entries`.
pub fn by_village(entries: &[Entry], filter: &Filter) -> Vec<(String, Vec<usize>)> {
    let mut groups: BTreeMap<(bool, &str), Vec<usize>> = BTreeMap::new();
    for (i, e) in entries.iter().enumerate() {
        if filter.matches(e) {
            groups.entry((e.village.is_empty(), e.village.as_str())).or_default().push(i);
        }
    }
    groups
        .into_iter()
        .map(|((_, v), is)| (if v.is_empty() { NO_VILLAGE.to_string() } else { v.to_string() }, is))
        .collect()
}

/// The records of these households (every visit), for export: indexes into the records.
pub fn records_of<'e>(entries: impl IntoIterator<Item = &'e Entry>) -> Vec<usize> {
    let mut out: Vec<usize> = entries.into_iter().flat_map(|e| e.visits.iter().copied()).collect();
    out.sort_unstable();
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::followup;
    use crate::id_number;
    use crate::money::Money;
    use crate::record::{Health, Labor, Relation};
    use crate::sample;
    use crate::testkit;
    use chrono::{FixedOffset, TimeZone};

    fn d(y: i32, m: u32, dd: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, dd).unwrap()
    }

    fn house(n: u128, village: &str, head: &str, id: &str, minute: u32) -> Household {
        testkit::household()
            .id(n)
            .household_id(n + 100)
            .saved(testkit::at(&format!("2023-02-20T09:{minute:02}:00+08:00")))
            .village(village)
            .phone("139 1234 5678")
            .member(
                testkit::member(n + 200)
                    .name(head)
                    .relation(Relation::Head)
                    .id_number(id)
                    .labor(Labor::Ordinary)
                    .health(&[Health::Healthy]),
            )
            .build()
    }

    /// Complete income answers: the income rules judge (per head = `wage`).
    fn income(h: &mut Household, wage: &str) {
        let i = &mut h.income;
        (i.production, i.property, i.transfer, i.production_cost) = (
            Some(Money::parse("0")),
            Some(Money::parse("0")),
            Some(Money::parse("0")),
            Some(Money::parse("0")),
        );
        i.wage = Some(Money::parse(wage));
    }

    /// 待入户: a roster draft (a `roster` key, no visit date) until its visit is recorded; an
    /// ordinary draft without a visit date is not one; a snapshot without the field reads.
    #[test]
    fn roster_drafts_are_pending_until_visited() {
        let policy = Policy::shipped(2023);
        let mut draft =
            house(1, "宝山村", "孟德海", &id_number::make("150722", d(1970, 3, 8), 11), 1);
        draft.visit.date = None;
        draft.extra.insert(
            crate::roster::prefill::ORIGIN_KEY.to_string(),
            serde_json::json!({ "file": "花名册.xlsx", "household_no": "150722100001" }),
        );
        let mut plain =
            house(2, "宝山村", "敖金山", &id_number::make("150722", d(1958, 1, 20), 41), 2);
        plain.visit.date = None;
        let pending = |records: &[Household]| {
            let mut es = entries(records, &policy, d(2023, 3, 1));
            es.sort_by_key(|e| e.household_id);
            es.iter().map(|e| e.pending).collect::<Vec<_>>()
        };
        assert_eq!(pending(&[draft.clone(), plain.clone()]), vec![true, false]);
        let mut visited = draft.clone();
        visited.visit.date = Some(d(2023, 2, 20));
        assert_eq!(pending(&[visited, plain]), vec![false, false]);
        let mut json = serde_json::to_value(&entries(&[draft], &policy, d(2023, 3, 1))[0]).unwrap();
        json.as_object_mut().unwrap().remove("pending");
        let old: Entry = serde_json::from_value(json).unwrap();
        assert!(!old.pending, "an older snapshot's entry reads as not pending");
    }

    #[test]
    fn one_entry_per_household_with_badges() {
        let policy = Policy::shipped(2023);
        let shared = id_number::make("150722", d(1970, 3, 1), 11);
        let mut a = house(1, "额尔和村", "敖文华", &shared, 1);
        income(&mut a, "30000");
        let mut b = house(2, "哈力村", "郭建华", &shared, 2);
        income(&mut b, "1000");
        let mut c = house(3, "", "巴特尔", &id_number::make("150722", d(1980, 5, 2), 13), 3);
        c.members[0].health = vec![Health::SeriousIllness];
        c.category = Some(Category::MonitoredMarginal);
        let now =
            FixedOffset::east_opt(8 * 3600).unwrap().with_ymd_and_hms(2023, 8, 1, 9, 0, 0).unwrap();
        let later = followup::start(&a, Uuid::from_u128(9), now, d(2023, 8, 1), "");
        let records = vec![a.clone(), b, c, later.clone()];
        let es = entries(&records, &policy, d(2023, 9, 1));
        assert_eq!(es.len(), 3, "one entry per household");
        let ea = es.iter().find(|e| e.household_id == a.household_id).unwrap();
        assert_eq!(
            (ea.record_id, ea.visits.clone()),
            (later.id, vec![0, 3]),
            "the latest visit, visits in order"
        );
        assert_eq!(es[0].household_id, a.household_id, "most recently changed first");
        assert_eq!(ea.elsewhere.len(), 1, "the shared ID is flagged in a");
        let eb = es.iter().find(|e| e.head == "郭建华").unwrap();
        assert_eq!(eb.elsewhere.len(), 1, "and in b");
        assert!(eb.elsewhere[0].contains("额尔和村敖文华户"), "{:?}", eb.elsewhere);
        let ec = es.iter().find(|e| e.head == "巴特尔").unwrap();
        assert!(ec.elsewhere.is_empty());
        assert!(ec.monitored && ec.key_group_members == 1);
        assert_eq!(ec.village_label(), NO_VILLAGE);
        assert!(eb.at_risk, "1,000 a head: below the line");
        assert!(!es.iter().find(|e| e.head == "敖文华").unwrap().at_risk);

        let groups = by_village(&es, &Filter::default());
        let names: Vec<&str> = groups.iter().map(|(v, _)| v.as_str()).collect();
        assert_eq!(names, vec!["哈力村", "额尔和村", NO_VILLAGE]);
        assert_eq!(records_of(es.iter().filter(|e| e.household_id == a.household_id)), vec![0, 3]);
    }

    #[test]
    fn search_and_filters() {
        let policy = Policy::shipped(2023);
        let mut a = house(1, "额尔和村", "敖文华", "15072219700301011x", 1);
        a.members[0].id_number = id_number::normalise(&a.members[0].id_number);
        let mut b = house(2, "哈力村", "郭建华", &id_number::make("150722", d(1981, 1, 1), 15), 2);
        b.status = Status::Final;
        b.phone = "0470-4612345".into();
        b.category = Some(Category::MonitoredUnstable);
        let es = entries(&[a, b], &policy, d(2023, 3, 1));
        let q = |query: &str| -> Vec<String> {
            let f = Filter { query: query.into(), ..Default::default() };
            es.iter().filter(|e| f.matches(e)).map(|e| e.head.clone()).collect()
        };
        assert_eq!(q("敖文"), vec!["敖文华"]);
        assert_eq!(q("011x"), vec!["敖文华"], "a lower-case x finds X");
        assert_eq!(q("13912345678"), vec!["敖文华"], "spaces in the stored phone do not matter");
        assert_eq!(q("04704612345"), vec!["郭建华"], "nor hyphens");
        assert_eq!(q("150722").len(), 2);
        assert_eq!(q("郭 4612345"), vec!["郭建华"], "words are and-ed");
        assert!(q("张三").is_empty());
        let f = |f: Filter| -> Vec<String> {
            es.iter().filter(|e| f.matches(e)).map(|e| e.head.clone()).collect()
        };
        assert_eq!(f(Filter { monitored: true, ..Default::default() }), vec!["郭建华"]);
        assert_eq!(f(Filter { status: Some(Status::Draft), ..Default::default() }), vec!["敖文华"]);
        assert_eq!(f(Filter { status: Some(Status::Final), ..Default::default() }), vec!["郭建华"]);
        assert!(f(Filter { key_group: true, ..Default::default() }).is_empty());
        assert!(
            f(Filter { at_risk: true, ..Default::default() }).is_empty(),
            "income not answered: not judged"
        );
        assert!(Filter::default().is_empty());
    }

    #[test]
    fn sample_households_are_listed_once_each() {
        let records = sample::households(300, 6, 7);
        let es = entries(&records, &Policy::shipped(2023), sample::today());
        assert_eq!(es.len(), 300);
        let total: usize = es.iter().map(|e| e.visits.len()).sum();
        assert_eq!(total, records.len(), "every record belongs to one entry");
        assert!(es.iter().any(|e| e.at_risk) && es.iter().any(|e| !e.at_risk));
        assert!(es.iter().any(|e| e.visits.len() > 1), "some households were visited before");
        let groups = by_village(&es, &Filter::default());
        assert_eq!(groups.len(), 6);
        assert_eq!(groups.iter().map(|(_, g)| g.len()).sum::<usize>(), 300);
    }

    /// The start page shows the list from a snapshot: what it reads back must be the very
    /// list the full app computed, filters and search included.
    #[test]
    fn snapshot_round_trips_the_list() {
        let records = sample::households(300, 6, 7);
        let es = entries(&records, &Policy::shipped(2023), sample::today());
        let export =
            es.iter()
                .enumerate()
                .map(|(i, e)| {
                    if i % 3 == 0 {
                        ExportState::Never
                    } else {
                        ExportState::Exported(e.updated_at)
                    }
                })
                .collect();
        let snap = Snapshot { entries: es, export, records: records.len(), conflicts: 2 };
        let json = serde_json::to_string(&snap).unwrap();
        let back: Snapshot = serde_json::from_str(&json).unwrap();
        assert_eq!(back, snap);
        let filter = Filter { query: snap.entries[7].head.clone(), ..Filter::default() };
        assert_eq!(by_village(&back.entries, &filter), by_village(&snap.entries, &filter));
        assert!(!by_village(&back.entries, &filter).is_empty());
        let mut received = snap.entries.clone();
        received[3].township = ReceiptStatus::Received;
        received[4].township = ReceiptStatus::ChangedSince;
        let not_yet = Filter { not_received: true, ..Filter::default() };
        let shown: usize = by_village(&received, &not_yet).iter().map(|(_, v)| v.len()).sum();
        assert_eq!(shown, received.len() - 1, "changed since is not at the township");
        let risky = Filter { at_risk: true, ..Filter::default() };
        assert_eq!(by_village(&back.entries, &risky), by_village(&snap.entries, &risky));
    }

    /// Each thing the list depends on changes the stamp.
    #[test]
    fn stamp_changes_with_what_the_list_depends_on() {
        let p = Policy::shipped(2023);
        let base = stamp("g1", &p, d(2026, 12, 3), "b1");
        assert_eq!(base, stamp("g1", &p, d(2026, 12, 3), "b1"));
        let mut line = p.clone();
        line.monitoring_line += rust_decimal::Decimal::ONE;
        for other in [
            stamp("g2", &p, d(2026, 12, 3), "b1"),
            stamp("g1", &p, d(2026, 12, 4), "b1"),
            stamp("g1", &p, d(2026, 12, 3), "b2"),
            stamp("g1", &line, d(2026, 12, 3), "b1"),
        ] {
            assert_ne!(other, base);
        }
    }
}
