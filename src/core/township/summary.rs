//! The figures per village and for the township. Every figure carries the households behind
//! it (their `household_id`s, in ledger order), so the UI lists them when a figure is tapped;
//! [`Summary::lines`] gives one line per household for that list.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::ledgers::{self, in_special_archive, in_unresolved, in_verification_scope, verification_issues, Issue};
use super::{Entry, Selection};
use crate::core::evaluation::{Identify, KeyGroup, Severity};
use crate::core::policy::Policy;
use crate::core::record::{Category, EliminationMethod, RiskType};
use crate::core::rules::CATALOG;

/// One figure: the number shown and the households behind it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Figure {
    /// What is shown: households, or people for a figure about people.
    pub count: usize,
    /// The households behind the figure, each once.
    pub households: Vec<Uuid>,
}

impl Figure {
    /// Counts one household.
    fn household(&mut self, id: Uuid) {
        if self.households.last() != Some(&id) {
            self.households.push(id);
            self.count += 1;
        }
    }

    /// Counts `n` people of one household.
    fn people(&mut self, id: Uuid, n: usize) {
        if n == 0 {
            return;
        }
        self.count += n;
        if self.households.last() != Some(&id) {
            self.households.push(id);
        }
    }
}

/// A figure under a code and its Chinese label (a category, a finding, a key group…).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Labelled {
    pub code: String,
    pub label: String,
    pub figure: Figure,
}

fn labelled<'a>(items: impl IntoIterator<Item = (&'a str, &'a str)>) -> Vec<Labelled> {
    items.into_iter().map(|(c, l)| Labelled { code: c.to_string(), label: l.to_string(), figure: Figure::default() }).collect()
}

fn slot<'a>(list: &'a mut [Labelled], code: &str) -> Option<&'a mut Figure> {
    list.iter_mut().find(|l| l.code == code).map(|l| &mut l.figure)
}

/// The figures of one village, or of the township.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Tally {
    /// The village (or the township's) name.
    pub name: String,
    /// 核查农牧户 (households: their latest visits).
    pub households: Figure,
    /// 人口 (people).
    pub people: Figure,
    /// 户属性, in the form's order (A1), then `unknown` for records without one.
    pub categories: Vec<Labelled>,
    /// 脱贫户 (both `exited_*`).
    pub exited: Figure,
    /// 监测对象 (all `monitored_*`).
    pub monitored: Figure,
    /// People in monitoring-object households.
    pub monitored_people: Figure,
    /// The engine suggests identification (`identify` = yes).
    pub identify_suggested: Figure,
    /// The surveyors decided to identify (`judgement.identify` yes, not yet `monitored_*`).
    pub identify_decided: Figure,
    /// At least one risk finding (`at_risk`).
    pub at_risk: Figure,
    /// Households by risk finding, one entry per risk rule of the catalogue (zeros included).
    pub risks: Vec<Labelled>,
    /// Households by warning, one entry per warning rule of the catalogue.
    pub warnings: Vec<Labelled>,
    /// Records that still have an error finding (cannot be final).
    pub incomplete: Figure,
    /// 重点人群 members by group (count = people).
    pub key_groups: Vec<Labelled>,
    /// Members in at least one key group (count = people).
    pub key_group_people: Figure,
    /// Households with any key-group member.
    pub key_group_households: Figure,
    /// Ledger (a): key-group households not identified.
    pub special_archive: Figure,
    /// … of which no reason is given.
    pub special_archive_no_reason: Figure,
    /// Monitoring objects by A33 risk type (any position; a household may count under several).
    pub risk_types: Vec<Labelled>,
    /// Monitoring objects whose risk is eliminated (A46 yes).
    pub eliminated: Figure,
    pub eliminated_assisted: Figure,
    pub eliminated_natural: Figure,
    /// Eliminated but not yet marked in the national system (A48 no).
    pub eliminated_unmarked: Figure,
    /// Ledger (c): identified 12 months or more, not eliminated, not 兜底 (`unresolved-over-year`).
    pub unresolved_over_year: Figure,
    /// Ledger (c): labour but no development measure (`development-measures-missing`).
    pub development_missing: Figure,
    /// Ledger (c) as a whole.
    pub unresolved_ledger: Figure,
    /// Ledger (b) as a whole, and by issue.
    pub verification: Figure,
    /// People whose 低保 was cancelled since the previous visit (count = people).
    pub dibao_cancelled: Figure,
    pub dibao_lowered: Figure,
    /// People without basic medical insurance (A14 no; count = people).
    pub uninsured_people: Figure,
    /// Dangerous houses (A32 yes, any grade).
    pub housing: Figure,
    /// Unsafe water (A31 no).
    pub water: Figure,
    /// Risk type 因灾 or 因自然灾害.
    pub disaster: Figure,
    /// Per-capita net income below the line / in the warning band.
    pub below_line: Figure,
    pub near_line: Figure,
    /// Households with a previous visit.
    pub revisited: Figure,
    /// People who joined / left since the previous visit (matched by 18-character ID).
    pub members_added: Figure,
    pub members_removed: Figure,
}

impl Tally {
    fn new(name: &str) -> Tally {
        let mut categories = labelled(Category::ALL.iter().map(|c| (c.code(), c.label())));
        categories.push(Labelled { code: "unknown".into(), label: "未填写户属性".into(), figure: Figure::default() });
        let rules_of = |s: Severity| labelled(CATALOG.iter().filter(move |r| r.severity == s).map(|r| (r.code, r.title)));
        Tally {
            name: name.to_string(),
            households: Figure::default(),
            people: Figure::default(),
            categories,
            exited: Figure::default(),
            monitored: Figure::default(),
            monitored_people: Figure::default(),
            identify_suggested: Figure::default(),
            identify_decided: Figure::default(),
            at_risk: Figure::default(),
            risks: rules_of(Severity::Risk),
            warnings: rules_of(Severity::Warning),
            incomplete: Figure::default(),
            key_groups: labelled(KeyGroup::ALL.iter().map(|g| (g.code(), g.label()))),
            key_group_people: Figure::default(),
            key_group_households: Figure::default(),
            special_archive: Figure::default(),
            special_archive_no_reason: Figure::default(),
            risk_types: labelled(RiskType::ALL.iter().map(|t| (t.code(), t.label()))),
            eliminated: Figure::default(),
            eliminated_assisted: Figure::default(),
            eliminated_natural: Figure::default(),
            eliminated_unmarked: Figure::default(),
            unresolved_over_year: Figure::default(),
            development_missing: Figure::default(),
            unresolved_ledger: Figure::default(),
            verification: Figure::default(),
            dibao_cancelled: Figure::default(),
            dibao_lowered: Figure::default(),
            uninsured_people: Figure::default(),
            housing: Figure::default(),
            water: Figure::default(),
            disaster: Figure::default(),
            below_line: Figure::default(),
            near_line: Figure::default(),
            revisited: Figure::default(),
            members_added: Figure::default(),
            members_removed: Figure::default(),
        }
    }

    /// A category's figure.
    pub fn category(&self, c: Option<Category>) -> &Figure {
        let code = c.map(|c| c.code()).unwrap_or("unknown");
        &self.categories.iter().find(|l| l.code == code).expect("every category has a slot").figure
    }

    /// A finding's figure (risk or warning), by code.
    pub fn finding(&self, code: &str) -> Option<&Figure> {
        self.risks.iter().chain(&self.warnings).find(|l| l.code == code).map(|l| &l.figure)
    }

    /// A key group's figure (count = members).
    pub fn key_group(&self, g: KeyGroup) -> &Figure {
        &self.key_groups.iter().find(|l| l.code == g.code()).expect("every group has a slot").figure
    }

    /// A risk type's figure (monitoring objects).
    pub fn risk_type(&self, t: RiskType) -> &Figure {
        &self.risk_types.iter().find(|l| l.code == t.code()).expect("every type has a slot").figure
    }

    fn add(&mut self, e: &Entry, all_verify: bool, policy: &Policy) {
        let h = e.record;
        let id = h.household_id;
        let ev = &e.evaluation;
        self.households.household(id);
        self.people.people(id, h.members.len());
        let code = h.category.map(|c| c.code()).unwrap_or("unknown");
        if let Some(f) = slot(&mut self.categories, code) {
            f.household(id);
        }
        if h.category.is_some_and(Category::is_exited) {
            self.exited.household(id);
        }
        if e.monitored() {
            self.monitored.household(id);
            self.monitored_people.people(id, h.members.len());
            for t in &h.risk.types {
                if let Some(f) = slot(&mut self.risk_types, t.code()) {
                    f.household(id);
                }
            }
            if h.elimination.eliminated == Some(true) {
                self.eliminated.household(id);
                match h.elimination.method {
                    Some(EliminationMethod::Assisted) => self.eliminated_assisted.household(id),
                    Some(EliminationMethod::Natural) => self.eliminated_natural.household(id),
                    None => {}
                }
                if h.elimination.marked_in_system == Some(false) {
                    self.eliminated_unmarked.household(id);
                }
            }
        } else if h.judgement.identify == Some(true) {
            self.identify_decided.household(id);
        }
        if ev.identify == Identify::Yes {
            self.identify_suggested.household(id);
        }
        if ev.at_risk {
            self.at_risk.household(id);
        }
        for f in &ev.findings {
            let list = match f.severity {
                Severity::Risk => &mut self.risks,
                Severity::Warning => &mut self.warnings,
                _ => continue,
            };
            if let Some(fig) = slot(list, &f.code) {
                fig.household(id);
            }
        }
        if !ev.can_finalize {
            self.incomplete.household(id);
        }
        for g in &ev.key_groups {
            for k in &g.groups {
                if let Some(f) = slot(&mut self.key_groups, k.code()) {
                    f.people(id, 1);
                }
            }
        }
        self.key_group_people.people(id, ev.key_groups.len());
        if !ev.key_groups.is_empty() {
            self.key_group_households.household(id);
        }
        if in_special_archive(e) {
            self.special_archive.household(id);
            if h.judgement.reason.is_empty() {
                self.special_archive_no_reason.household(id);
            }
        }
        if e.monitored() && ev.has(ledgers::UNRESOLVED_CODE) {
            self.unresolved_over_year.household(id);
        }
        if e.monitored() && ev.has(ledgers::DEVELOPMENT_CODE) {
            self.development_missing.household(id);
        }
        if in_unresolved(e) {
            self.unresolved_ledger.household(id);
        }
        if in_verification_scope(e, all_verify) {
            let issues = verification_issues(e);
            if !issues.is_empty() {
                self.verification.household(id);
            }
            if issues.contains(&Issue::DibaoCancelled) {
                self.dibao_cancelled.people(id, ledgers::dibao_cancelled(e).len());
            }
            if issues.contains(&Issue::DibaoLowered) {
                self.dibao_lowered.household(id);
            }
        }
        self.uninsured_people.people(id, h.members.iter().filter(|m| m.medical_insurance == Some(false)).count());
        if h.guarantees.dangerous_house == Some(true) {
            self.housing.household(id);
        }
        if h.guarantees.safe_water == Some(false) {
            self.water.household(id);
        }
        if h.risk.types.iter().any(|t| matches!(t, RiskType::Disaster | RiskType::NaturalDisaster)) {
            self.disaster.household(id);
        }
        if let Some(pc) = ev.per_capita_net {
            if pc < policy.monitoring_line {
                self.below_line.household(id);
            } else if pc < policy.near_line() {
                self.near_line.household(id);
            }
        }
        if let Some(prev) = e.previous {
            self.revisited.household(id);
            let keys = |h: &crate::core::record::Household| -> Vec<String> {
                h.members.iter().filter_map(|m| crate::core::id_number::person_key(&m.id_number)).collect()
            };
            let (before, now) = (keys(prev), keys(h));
            self.members_added.people(id, now.iter().filter(|k| !before.contains(k)).count());
            self.members_removed.people(id, before.iter().filter(|k| !now.contains(k)).count());
        }
    }
}

/// One household in a tapped figure's list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Line {
    pub household_id: Uuid,
    pub record_id: Uuid,
    pub village: String,
    pub group: String,
    pub head: String,
    pub size: usize,
    pub category: Option<Category>,
    #[serde(with = "crate::core::evaluation::opt_decimal")]
    pub per_capita_net: Option<Decimal>,
    /// The engine's one-line verdict.
    pub verdict: String,
    pub visit_date: Option<NaiveDate>,
}

/// Figures for every village and the township, computed over a [`Selection`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Summary {
    pub policy: Policy,
    pub today: NaiveDate,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    /// The township's name.
    pub township_name: String,
    /// Records read and households counted (one record each).
    pub records_read: usize,
    /// One tally per village, in the Selection's order.
    pub villages: Vec<Tally>,
    /// The whole township.
    pub township: Tally,
    /// One line per household, in ledger order (for the list behind a figure).
    pub lines: Vec<Line>,
}

impl Summary {
    /// The lines of the households behind a figure, in the figure's order.
    pub fn lines(&self, figure: &Figure) -> Vec<&Line> {
        let index: std::collections::HashMap<Uuid, &Line> = self.lines.iter().map(|l| (l.household_id, l)).collect();
        figure.households.iter().filter_map(|id| index.get(id).copied()).collect()
    }

    /// A village's tally.
    pub fn village(&self, name: &str) -> Option<&Tally> {
        self.villages.iter().find(|t| t.name == name)
    }
}

/// Computes the figures.
pub fn summarize(sel: &Selection) -> Summary {
    let policy = &sel.options.policy;
    let all = sel.options.verification_all_households;
    let mut township = Tally::new(&sel.township);
    let mut villages: Vec<Tally> = sel.villages.iter().map(|v| Tally::new(v)).collect();
    let mut lines = Vec::with_capacity(sel.entries.len());
    let mut vi = 0;
    for e in &sel.entries {
        while villages[vi].name != e.village() {
            vi += 1;
        }
        villages[vi].add(e, all, policy);
        township.add(e, all, policy);
        let h = e.record;
        lines.push(Line {
            household_id: h.household_id,
            record_id: h.id,
            village: e.village().to_string(),
            group: h.address.group.clone(),
            head: e.head().map(|m| m.name.clone()).unwrap_or_default(),
            size: h.members.len(),
            category: h.category,
            per_capita_net: e.evaluation.per_capita_net,
            verdict: e.evaluation.verdict(),
            visit_date: h.visit.date,
        });
    }
    Summary {
        policy: policy.clone(),
        today: sel.options.today,
        from: sel.options.from,
        to: sel.options.to,
        township_name: sel.township.clone(),
        records_read: sel.records_read,
        villages,
        township,
        lines,
    }
}
