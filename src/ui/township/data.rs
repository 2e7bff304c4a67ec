//! The township office's data: every record stored on the device, read once when the office
//! opens its pages, and the figures, ledgers and charts computed from them once per
//! (period, policy, ledger scope) in a [`Memo`] — never per render.
//!
//! [`provide_township_data`] reads every record with `store.list()` when the office opens the
//! pages; then a `Memo<Option<Result<Computed, String>>>` runs `township::view(&records,
//! &options)` — the latest visit per household, the evaluations, every figure, the four ledgers
//! and both SVG charts — once per (period, policy, ledger (b) scope). Renders only read it.
//! [`Computed`] compares by pointer (a new computation is a new value).
//!
//! - **统计范围** (the period): the quarters that have visits, newest first, and 全部记录. The
//!   default is the quarter of the latest visit. A quarter sets `Options::window(first day,
//!   last day)`: a household counts by its latest visit inside the quarter; its previous visit
//!   may be older (低保 cancelled, 人口变更).
//! - **Policy** ([`policy_for`]): the settings' policy when its `year` is the period's year;
//!   otherwise the shipped default of that year (unconfirmed) with a visible note telling the
//!   office to set and confirm the year in 设置. A phone whose settings say 2026 must not judge
//!   2023 visits with the 2026 line.
//! - **Today** is the device's date: the report's default date and the file names.
//! - Editing a record and coming back reads again (the page is mounted again from another
//!   route). A second visit could skip the read with a copy kept valid by the store's
//!   generation token; not done.
//! - Performance marks `township-start` / `-loaded` / `-computed` (and `-rendered` by the
//!   table) are what `tests/e2e/bench/township.mjs` measures.

use std::sync::Arc;

use chrono::{Datelike, NaiveDate};
use leptos::prelude::*;

use crate::core::policy::Policy;
use crate::core::record::Household;
use crate::core::township::{self, yuan_text, Options, View};
use crate::store::RecordStore;
use crate::ui::settings::SettingsContext;
use crate::ui::{clock, expect_store};

/// A calendar quarter (the notice's 一季度 is `2023, 1`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Quarter {
    pub year: i32,
    /// 1–4.
    pub q: u8,
}

impl Quarter {
    /// The quarter a day falls in.
    pub fn of(d: NaiveDate) -> Quarter {
        Quarter { year: d.year(), q: ((d.month() - 1) / 3 + 1) as u8 }
    }

    pub fn first_day(self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.year, (self.q as u32 - 1) * 3 + 1, 1)
            .expect("a quarter's first day")
    }

    pub fn last_day(self) -> NaiveDate {
        let next = if self.q == 4 {
            Quarter { year: self.year + 1, q: 1 }
        } else {
            Quarter { year: self.year, q: self.q + 1 }
        };
        next.first_day().pred_opt().expect("a quarter's last day")
    }

    /// `2023年一季度`.
    pub fn label(self) -> String {
        format!(
            "{}年{}季度",
            self.year,
            ["一", "二", "三", "四"][(self.q.clamp(1, 4) - 1) as usize]
        )
    }

    /// `2023-Q1` (select values).
    pub fn code(self) -> String {
        format!("{}-Q{}", self.year, self.q)
    }

    pub fn parse(s: &str) -> Option<Quarter> {
        let (y, q) = s.split_once("-Q")?;
        let q: u8 = q.parse().ok()?;
        (1..=4).contains(&q).then_some(Quarter { year: y.parse().ok()?, q })
    }
}

/// Which visits count: all stored ones, or one quarter's.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Period {
    All,
    Quarter(Quarter),
}

impl Period {
    pub fn code(self) -> String {
        match self {
            Period::All => "all".to_string(),
            Period::Quarter(q) => q.code(),
        }
    }

    pub fn parse(s: &str) -> Option<Period> {
        if s == "all" {
            Some(Period::All)
        } else {
            Quarter::parse(s).map(Period::Quarter)
        }
    }

    pub fn label(self) -> String {
        match self {
            Period::All => "全部记录".to_string(),
            Period::Quarter(q) => q.label(),
        }
    }
}

/// The stored records, as read.
#[derive(Debug)]
pub struct Loaded {
    pub records: Vec<Household>,
    /// The quarters with visits, newest first.
    pub quarters: Vec<Quarter>,
}

impl Loaded {
    pub fn new(records: Vec<Household>) -> Loaded {
        let mut quarters: Vec<Quarter> =
            records.iter().filter_map(|h| h.visit.date).map(Quarter::of).collect();
        quarters.sort_unstable_by(|a, b| b.cmp(a));
        quarters.dedup();
        Loaded { records, quarters }
    }

    /// The period shown first: the quarter of the latest visit (all records when none is dated).
    pub fn default_period(&self) -> Period {
        self.quarters.first().map(|q| Period::Quarter(*q)).unwrap_or(Period::All)
    }
}

/// The policy the township pages evaluate a period with: the settings' policy when it is for
/// the period's year, else the shipped (unconfirmed) default of that year, with a note saying so.
pub fn policy_for(settings: &Policy, year: i32) -> (Policy, Option<String>) {
    let policy = settings.for_year(year).into_owned();
    let note = (settings.year != year).then(|| {
        format!(
            "设置中的监测标准是 {} 年的；本页统计 {} 年的走访，按 {} 年出厂默认值 {} 元（未经核对）计算。可在“设置”中把年度改为 {} 年并核对。",
            settings.year,
            year,
            year,
            yuan_text(policy.monitoring_line),
            year
        )
    });
    (policy, note)
}

/// What the township pages show, computed at once.
#[derive(Clone, Debug)]
pub struct Computed {
    pub view: Arc<View>,
    pub period: Period,
    /// The quarter the report is for (the period's, or the latest visit's when all are shown).
    pub quarter: Quarter,
    /// Set when the policy is not the settings' one.
    pub policy_note: Option<String>,
}

impl PartialEq for Computed {
    /// A new computation is a new value (comparing two views field by field would cost
    /// as much as computing one).
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.view, &other.view)
    }
}

/// What a tapped figure lists: a figure key (see `figures`) of a village, or of the township
/// (`village: None`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Drill {
    pub key: String,
    pub village: Option<String>,
}

/// The township pages' shared state (`expect_context::<TownshipData>()`).
#[derive(Clone, Copy)]
pub struct TownshipData {
    /// The stored records; `None` while they are read.
    pub loaded: RwSignal<Option<Result<Arc<Loaded>, String>>>,
    /// The period chosen; `None` until the records are read (then their latest quarter).
    pub period: RwSignal<Option<Period>>,
    /// Ledger (b) over every household, not only 脱贫户 and 监测对象.
    pub verification_all: RwSignal<bool>,
    /// Everything computed; `None` while the records are read.
    pub computed: Memo<Option<Result<Computed, String>>>,
    /// The figure whose households are listed.
    pub drill: RwSignal<Option<Drill>>,
}

/// `performance.mark(name)` (for the benchmark); ignored where there is no Performance API.
pub fn mark(name: &str) {
    if let Some(p) = window().performance() {
        let _ = p.mark(name);
    }
}

/// Reads every stored record and provides [`TownshipData`].
pub fn provide_township_data() -> TownshipData {
    let SettingsContext { settings, .. } = expect_context::<SettingsContext>();
    let loaded = RwSignal::new(None::<Result<Arc<Loaded>, String>>);
    let period = RwSignal::new(None::<Period>);
    let verification_all = RwSignal::new(false);
    let drill = RwSignal::new(None::<Drill>);

    mark("township-start");
    let store = expect_store();
    leptos::task::spawn_local(async move {
        let result =
            store.list().await.map(|r| Arc::new(Loaded::new(r))).map_err(|e| e.to_string());
        mark("township-loaded");
        if let Ok(l) = &result {
            period.try_set(Some(l.default_period()));
        }
        loaded.try_set(Some(result));
    });

    let today = clock::today();
    let computed = Memo::new(move |_| {
        let loaded = loaded.get()?;
        let all = verification_all.get();
        let chosen = period.get();
        let settings_policy = settings.with(|s| s.policy.clone());
        Some(loaded.map(|l| {
            let period = chosen.unwrap_or_else(|| l.default_period());
            let quarter = match period {
                Period::Quarter(q) => q,
                Period::All => l.quarters.first().copied().unwrap_or_else(|| Quarter::of(today)),
            };
            let (policy, policy_note) = policy_for(&settings_policy, quarter.year);
            let mut options = Options::new(policy, today);
            options.verification_all_households = all;
            if let Period::Quarter(q) = period {
                options = options.window(q.first_day(), q.last_day());
            }
            let view = township::view(&l.records, &options);
            mark("township-computed");
            Computed { view: Arc::new(view), period, quarter, policy_note }
        }))
    });

    let data = TownshipData { loaded, period, verification_all, computed, drill };
    provide_context(data);
    data
}
