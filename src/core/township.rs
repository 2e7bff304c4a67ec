//! The township office (乡村振兴办公室, issue 5): every stored record, imported from many
//! surveyors, turned into figures per village and for the township, the four ledgers the
//! notice asks for, SVG charts and the quarterly report draft. Plain Rust; the web app
//! renders what this computes.
//!
//! ```text
//! records ──select()──▶ Selection (one Entry per household: latest visit, previous visit,
//!                        Evaluation)
//!            ├── summary::summarize()      Summary (per village + township, figures with ids)
//!            ├── ledgers::{special_archive, verification, unresolved, monitoring}()
//!            │       └── csv::to_csv()      UTF-8 BOM, CRLF
//!            ├── charts::{village_bars, income_strip}()   standalone SVG strings
//!            └── report::draft()            the quarterly report, editable text kept apart
//! ```
//!
//! [`view`] does all but the report at once and returns an owned [`View`] (summary, the four
//! ledgers, both charts; no borrows), which is what the township pages keep and what
//! `cargo bench --bench township` measures. [`Options::new`]`(policy, today)` sets the
//! monitoring line (the evaluations use it) and "today" (for `visit-date-future`);
//! [`Options::window`] restricts to the visits of a quarter; `verification_all_households`
//! widens ledger (b) to every household. No web crate and no `std::fs` here; the tests are
//! `tests/township.rs` (figures computed independently of this code, exact ledger sets, CSV
//! bytes, SVG), fed by the sample generator.
//!
//! **Which record counts for a household** ([`select`]): records are grouped by
//! `household_id`; among those whose `visit.date` lies in the window of [`Options`] (all,
//! when no window is set), the latest in the order of [`crate::visits`] counts (visit date,
//! then `updated_at`, then `revision`, then record id), so the choice never depends on the
//! order of import. Its **previous visit** is [`crate::visits`]'s: the record its
//! `previous_id` names when that is stored and not visited after it, otherwise the
//! household's latest record with an earlier `visit.date` — inside or outside the window.
//! An older revision of the chosen record (same `id`) is never its previous visit. A record
//! without a visit date only counts when no window is set and the household has nothing
//! dated. The engine evaluates the chosen record with its previous visit (`income-drop`) and
//! the people of all other chosen records (`id-number-elsewhere`, via
//! [`followup::people_index`]) in its context.

use std::collections::HashMap;

use chrono::NaiveDate;
use uuid::Uuid;

use super::evaluation::Evaluation;
use super::followup;
use super::policy::Policy;
use super::record::{Household, Member, Relation, DEFAULT_TOWNSHIP};
use super::rules::{self, Context};
use super::visits::Visits;

pub mod charts;
pub mod csv;
pub mod ledgers;
pub mod report;
pub mod summary;

pub use csv::to_csv;
pub use summary::{summarize, Figure, Summary, Tally};

/// What the township view is computed with.
#[derive(Debug, Clone, PartialEq)]
pub struct Options {
    /// The monitoring line and the other parameters the evaluations use.
    pub policy: Policy,
    /// Today (for `visit-date-future`).
    pub today: NaiveDate,
    /// Only visits on or after this day count (the quarter's first day, say).
    pub from: Option<NaiveDate>,
    /// Only visits on or before this day count.
    pub to: Option<NaiveDate>,
    /// Ledger (b) 信息核实核查台账 covers the notice's 脱贫人口和监测对象 (and households the
    /// surveyors decided to identify); `true` widens it to every household.
    pub verification_all_households: bool,
}

impl Options {
    /// Every stored visit, the notice's scope for ledger (b).
    pub fn new(policy: Policy, today: NaiveDate) -> Options {
        Options { policy, today, from: None, to: None, verification_all_households: false }
    }

    /// Only visits within `from..=to`.
    pub fn window(mut self, from: NaiveDate, to: NaiveDate) -> Options {
        self.from = Some(from);
        self.to = Some(to);
        self
    }

    fn in_window(&self, h: &Household) -> bool {
        if self.from.is_none() && self.to.is_none() {
            return true;
        }
        match h.visit.date {
            None => false,
            Some(d) => self.from.is_none_or(|f| d >= f) && self.to.is_none_or(|t| d <= t),
        }
    }
}

/// One household as the township sees it.
#[derive(Debug, Clone)]
pub struct Entry<'a> {
    /// The record that counts (the latest visit).
    pub record: &'a Household,
    /// The household's previous visit, if any.
    pub previous: Option<&'a Household>,
    /// The engine's result for `record` (with `previous` and the people of the other
    /// households in its context).
    pub evaluation: Evaluation,
    /// How many distinct visits (record ids) of this household are stored.
    pub visits: usize,
}

/// The village name a ledger shows when the record has none.
pub const NO_VILLAGE: &str = "（未填写村）";

impl Entry<'_> {
    pub fn household_id(&self) -> Uuid {
        self.record.household_id
    }

    /// The village, or [`NO_VILLAGE`].
    pub fn village(&self) -> &str {
        village_of(self.record)
    }

    /// The head of household (or the first member).
    pub fn head(&self) -> Option<&Member> {
        let ms = &self.record.members;
        ms.iter().find(|m| m.relation == Some(Relation::Head)).or(ms.first())
    }

    /// Whether the household is a monitoring object (`monitored_*`).
    pub fn monitored(&self) -> bool {
        self.record.is_monitored()
    }
}

fn village_of(h: &Household) -> &str {
    if h.address.village.is_empty() {
        NO_VILLAGE
    } else {
        &h.address.village
    }
}

/// The households that count, in the order the ledgers list them: by village (in
/// [`Selection::villages`] order), 村民小组, head's name, household id.
#[derive(Debug, Clone)]
pub struct Selection<'a> {
    pub options: Options,
    pub entries: Vec<Entry<'a>>,
    /// Village names, sorted (Unicode order), [`NO_VILLAGE`] last.
    pub villages: Vec<String>,
    /// The township the records name most often (额尔和乡 when none does).
    pub township: String,
    /// Records read; records that count (one per household).
    pub records_read: usize,
    index: HashMap<Uuid, usize>,
}

impl<'a> Selection<'a> {
    /// The entry of a household.
    pub fn entry(&self, household_id: Uuid) -> Option<&Entry<'a>> {
        self.index.get(&household_id).map(|&i| &self.entries[i])
    }

    /// The entries of one village.
    pub fn village_entries<'s>(
        &'s self,
        village: &'s str,
    ) -> impl Iterator<Item = &'s Entry<'a>> + 's {
        self.entries.iter().filter(move |e| e.village() == village)
    }
}

/// Picks each household's latest visit and previous visit and evaluates it (see the module
/// comment for the rule).
pub fn select<'a>(records: &'a [Household], options: &Options) -> Selection<'a> {
    let visits = Visits::new(records);
    let mut chosen: Vec<(&'a Household, Option<&'a Household>, usize)> =
        Vec::with_capacity(visits.household_count());
    for (household_id, of) in visits.households() {
        let Some(latest) = visits.latest_where(household_id, |h| options.in_window(h)) else {
            continue;
        };
        let latest = &records[latest];
        let previous = visits.previous(latest).map(|i| &records[i]);
        let mut ids: Vec<Uuid> = of.iter().map(|&i| records[i].id).collect();
        ids.sort_unstable();
        ids.dedup();
        chosen.push((latest, previous, ids.len()));
    }
    chosen.sort_by(|a, b| {
        let (x, y) = (a.0, b.0);
        (
            village_of(x) == NO_VILLAGE,
            village_of(x),
            &x.address.group,
            x.head_name(),
            x.household_id,
        )
            .cmp(&(
                village_of(y) == NO_VILLAGE,
                village_of(y),
                &y.address.group,
                y.head_name(),
                y.household_id,
            ))
    });

    let people = followup::people_index(chosen.iter().map(|c| c.0));
    let entries: Vec<Entry<'a>> = chosen
        .into_iter()
        .map(|(record, previous, visits)| {
            let mut ctx = Context::new(&options.policy, options.today);
            ctx.previous = previous;
            ctx.people_elsewhere = Some(&people);
            Entry { record, previous, evaluation: rules::evaluate(record, ctx), visits }
        })
        .collect();

    let mut villages: Vec<String> = Vec::new();
    for e in &entries {
        if villages.last().map(String::as_str) != Some(e.village()) {
            villages.push(e.village().to_string());
        }
    }
    let mut townships: HashMap<&str, usize> = HashMap::new();
    for e in &entries {
        if !e.record.address.township.is_empty() {
            *townships.entry(e.record.address.township.as_str()).or_default() += 1;
        }
    }
    let township = townships
        .into_iter()
        .max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(a.0)))
        .map(|(t, _)| t.to_string())
        .unwrap_or_else(|| DEFAULT_TOWNSHIP.to_string());
    let index = entries.iter().enumerate().map(|(i, e)| (e.household_id(), i)).collect();
    Selection {
        options: options.clone(),
        entries,
        villages,
        township,
        records_read: records.len(),
        index,
    }
}

/// `7000` for whole yuan, `8400.50` otherwise: how a report or a chart title writes an amount.
pub fn yuan_text(d: rust_decimal::Decimal) -> String {
    if d.fract().is_zero() {
        d.trunc().normalize().to_string()
    } else {
        super::money::format_plain(d)
    }
}

/// Everything the township page shows, computed at once (what the benchmark measures).
#[derive(Debug, Clone)]
pub struct View {
    pub summary: Summary,
    pub special_archive: ledgers::Ledger<ledgers::SpecialArchiveRow>,
    pub verification: ledgers::Ledger<ledgers::VerificationRow>,
    pub unresolved: ledgers::Ledger<ledgers::UnresolvedRow>,
    pub monitoring: ledgers::Ledger<ledgers::MonitoringRow>,
    /// Households per village stacked by category.
    pub bars_svg: String,
    /// Per-capita net income against the monitoring line.
    pub income_svg: String,
}

/// Selects, summarizes, builds the four ledgers and both charts.
pub fn view(records: &[Household], options: &Options) -> View {
    let sel = select(records, options);
    let summary = summarize(&sel);
    View {
        special_archive: ledgers::special_archive(&sel),
        verification: ledgers::verification(&sel),
        unresolved: ledgers::unresolved(&sel),
        monitoring: ledgers::monitoring(&sel),
        bars_svg: charts::village_bars(&summary),
        income_svg: charts::income_strip(&sel),
        summary,
    }
}
