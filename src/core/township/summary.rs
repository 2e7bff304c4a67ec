//! The figures per village and for the township. Every figure carries the households behind
//! it (their `household_id`s, in ledger order), so the UI lists them when a figure is tapped;
//! [`Summary::lines`] gives one line per household for that list.
//!
//! Every figure is a [`Figure`] `{ count, households }`: `count` is what is shown (households,
//! or people for `people`, `monitored_people`, `key_groups`, `key_group_people`,
//! `dibao_cancelled`, `uninsured_people`, `members_added`, `members_removed`), `households` the
//! `household_id`s behind it in ledger order. A tapped figure's list is
//! `summary.lines(&figure)`: one [`Line`] per household (village, group, head, size, category,
//! per-capita income, the engine's verdict, visit date, record id).
//!
//! A [`Tally`] (one per village, and the township's) holds: households, people; the six A1
//! categories and `unknown`; exited, monitored (and their people); `identify_suggested` (the
//! engine's `identify` = yes) and `identify_decided` (`judgement.identify` yes, not yet
//! monitored); `at_risk`; `risks` and `warnings` by code (one slot per risk or warning rule of
//! the catalogue, zeros included, labelled with the rule's title); `incomplete` (an error
//! finding: cannot be final); `key_groups` by group (members), `key_group_people`,
//! `key_group_households`; `special_archive` (and without a reason); `risk_types` (monitoring
//! objects by A33 type, any position); `eliminated` (assisted, natural, not marked in the
//! system); `unresolved_over_year`, `development_missing`, `unresolved_ledger`;
//! `verification`, `dibao_cancelled`, `dibao_lowered` (within ledger (b)'s scope);
//! `uninsured_people`, `housing`, `water`, `disaster` (all households); `below_line` /
//! `near_line` (per-capita net income against the line and the warning band up to
//! `near_line()`); `revisited`, `members_added`, `members_removed` (by 18-character ID against
//! the previous visit: 人口自然变更). The ledgers' own predicates decide what the ledger figures
//! count (`ledgers`).

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::ledgers::{self, in_special_archive, in_verification_scope, verification_issues, Issue};
use super::{Entry, Selection};
use crate::evaluation::{Identify, KeyGroup, Severity};
use crate::policy::Policy;
use crate::record::{Category, EliminationMethod, RiskType};
use crate::rules::{RuleCode, CATALOG};

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
    items
        .into_iter()
        .map(|(c, l)| Labelled {
            code: c.to_string(),
            label: l.to_string(),
            figure: Figure::default(),
        })
        .collect()
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
        categories.push(Labelled {
            code: "unknown".into(),
            label: "未填写户属性".into(),
            figure: Figure::default(),
        });
        let rules_of = |s: Severity| {
            labelled(CATALOG.iter().filter(move |r| r.severity == s).map(|r| (r.code, r.title)))
        };
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

    /// A finding's figure (risk or warning), by its rule.
    pub fn finding(&self, code: RuleCode) -> Option<&Figure> {
        self.risks.iter().chain(&self.warnings).find(|l| code == *l.code).map(|l| &l.figure)
    }

    /// A key group's figure (count = members).
    pub fn key_group(&self, g: KeyGroup) -> &Figure {
        &self.key_groups.iter().find(|l| l.code == g.code()).expect("every group has a slot").figure
    }

    /// A risk type's figure (monitoring objects).
    pub fn risk_type(&self, t: RiskType) -> &Figure {
        &self.risk_types.iter().find(|l| l.code == t.code()).expect("every type has a slot").figure
    }

    /// Adds one household's facts (computed once, for its village and the township).
    fn add(&mut self, f: &Facts) {
        let id = f.id;
        let mark = |fig: &mut Figure, yes: bool| {
            if yes {
                fig.household(id)
            }
        };
        self.households.household(id);
        self.people.people(id, f.size);
        self.categories[f.category_slot].figure.household(id);
        mark(&mut self.exited, f.exited);
        mark(&mut self.monitored, f.monitored);
        if f.monitored {
            self.monitored_people.people(id, f.size);
        }
        for &i in &f.risk_type_slots {
            self.risk_types[i].figure.household(id);
        }
        mark(&mut self.eliminated, f.eliminated);
        mark(&mut self.eliminated_assisted, f.eliminated_assisted);
        mark(&mut self.eliminated_natural, f.eliminated_natural);
        mark(&mut self.eliminated_unmarked, f.eliminated_unmarked);
        mark(&mut self.identify_decided, f.identify_decided);
        mark(&mut self.identify_suggested, f.identify_suggested);
        mark(&mut self.at_risk, f.at_risk);
        for &i in &f.risk_slots {
            self.risks[i].figure.household(id);
        }
        for &i in &f.warning_slots {
            self.warnings[i].figure.household(id);
        }
        mark(&mut self.incomplete, f.incomplete);
        for &i in &f.key_group_slots {
            self.key_groups[i].figure.people(id, 1);
        }
        self.key_group_people.people(id, f.key_group_people);
        mark(&mut self.key_group_households, f.key_group_people > 0);
        mark(&mut self.special_archive, f.special_archive);
        mark(&mut self.special_archive_no_reason, f.special_archive_no_reason);
        mark(&mut self.unresolved_over_year, f.over_year);
        mark(&mut self.development_missing, f.no_development);
        mark(&mut self.unresolved_ledger, f.over_year || f.no_development);
        mark(&mut self.verification, f.verification);
        self.dibao_cancelled.people(id, f.dibao_cancelled);
        mark(&mut self.dibao_lowered, f.dibao_lowered);
        self.uninsured_people.people(id, f.uninsured);
        mark(&mut self.housing, f.housing);
        mark(&mut self.water, f.water);
        mark(&mut self.disaster, f.disaster);
        mark(&mut self.below_line, f.below_line);
        mark(&mut self.near_line, f.near_line);
        mark(&mut self.revisited, f.revisited);
        self.members_added.people(id, f.members_added);
        self.members_removed.people(id, f.members_removed);
    }
}

/// What one household adds to a tally (slots index the lists of [`Tally::new`], which are
/// the same in every tally).
struct Facts {
    id: Uuid,
    size: usize,
    category_slot: usize,
    exited: bool,
    monitored: bool,
    risk_type_slots: Vec<usize>,
    eliminated: bool,
    eliminated_assisted: bool,
    eliminated_natural: bool,
    eliminated_unmarked: bool,
    identify_decided: bool,
    identify_suggested: bool,
    at_risk: bool,
    risk_slots: Vec<usize>,
    warning_slots: Vec<usize>,
    incomplete: bool,
    key_group_slots: Vec<usize>,
    key_group_people: usize,
    special_archive: bool,
    special_archive_no_reason: bool,
    over_year: bool,
    no_development: bool,
    verification: bool,
    dibao_cancelled: usize,
    dibao_lowered: bool,
    uninsured: usize,
    housing: bool,
    water: bool,
    disaster: bool,
    below_line: bool,
    near_line: bool,
    revisited: bool,
    members_added: usize,
    members_removed: usize,
}

impl Facts {
    fn of(e: &Entry, t: &Tally, all_verify: bool, policy: &Policy) -> Facts {
        let h = e.record;
        let ev = &e.evaluation;
        let pos = |list: &[Labelled], code: &str| list.iter().position(|l| l.code == code);
        let monitored = e.monitored();
        let eliminated = monitored && h.elimination.eliminated == Some(true);
        let mut risk_slots = Vec::new();
        let mut warning_slots = Vec::new();
        for f in &ev.findings {
            let (list, out) = match f.severity {
                Severity::Risk => (&t.risks, &mut risk_slots),
                Severity::Warning => (&t.warnings, &mut warning_slots),
                _ => continue,
            };
            if let Some(i) = pos(list, f.code.as_str()) {
                if out.last() != Some(&i) && !out.contains(&i) {
                    out.push(i);
                }
            }
        }
        let scope = in_verification_scope(e, all_verify);
        let issues = if scope { verification_issues(e) } else { Vec::new() };
        let (added, removed) = match e.previous {
            Some(prev) => {
                let keys = |h: &crate::record::Household| -> Vec<String> {
                    h.members
                        .iter()
                        .filter_map(|m| crate::id_number::person_key(&m.id_number))
                        .collect()
                };
                let (before, now) = (keys(prev), keys(h));
                (
                    now.iter().filter(|k| !before.contains(k)).count(),
                    before.iter().filter(|k| !now.contains(k)).count(),
                )
            }
            None => (0, 0),
        };
        let special = in_special_archive(e);
        let pc = ev.per_capita_net;
        Facts {
            id: h.household_id,
            size: h.members.len(),
            category_slot: pos(&t.categories, h.category.map(|c| c.code()).unwrap_or("unknown"))
                .expect("every category has a slot"),
            exited: h.category.is_some_and(Category::is_exited),
            monitored,
            risk_type_slots: if monitored {
                h.risk.types.iter().filter_map(|r| pos(&t.risk_types, r.code())).collect()
            } else {
                Vec::new()
            },
            eliminated,
            eliminated_assisted: eliminated
                && h.elimination.method == Some(EliminationMethod::Assisted),
            eliminated_natural: eliminated
                && h.elimination.method == Some(EliminationMethod::Natural),
            eliminated_unmarked: eliminated && h.elimination.marked_in_system == Some(false),
            identify_decided: !monitored && h.judgement.identify == Some(true),
            identify_suggested: ev.identify == Identify::Yes,
            at_risk: ev.at_risk,
            risk_slots,
            warning_slots,
            incomplete: !ev.can_finalize,
            key_group_slots: ev
                .key_groups
                .iter()
                .flat_map(|g| g.groups.iter().filter_map(|k| pos(&t.key_groups, k.code())))
                .collect(),
            key_group_people: ev.key_groups.len(),
            special_archive: special,
            special_archive_no_reason: special && h.judgement.reason.is_empty(),
            over_year: monitored && ev.has(RuleCode::UnresolvedOverYear),
            no_development: monitored && ev.has(RuleCode::DevelopmentMeasuresMissing),
            verification: !issues.is_empty(),
            dibao_cancelled: if issues.contains(&Issue::DibaoCancelled) {
                ledgers::dibao_cancelled(e).len()
            } else {
                0
            },
            dibao_lowered: issues.contains(&Issue::DibaoLowered),
            uninsured: h.members.iter().filter(|m| m.medical_insurance == Some(false)).count(),
            housing: h.guarantees.dangerous_house == Some(true),
            water: h.guarantees.safe_water == Some(false),
            disaster: h
                .risk
                .types
                .iter()
                .any(|t| matches!(t, RiskType::Disaster | RiskType::NaturalDisaster)),
            below_line: pc.is_some_and(|p| p < policy.monitoring_line),
            near_line: pc.is_some_and(|p| p >= policy.monitoring_line && p < policy.near_line()),
            revisited: e.previous.is_some(),
            members_added: added,
            members_removed: removed,
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
    #[serde(with = "crate::evaluation::opt_decimal")]
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
        let index: std::collections::HashMap<Uuid, &Line> =
            self.lines.iter().map(|l| (l.household_id, l)).collect();
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
        let facts = Facts::of(e, &township, all, policy);
        villages[vi].add(&facts);
        township.add(&facts);
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
