//! The quarterly report draft (一季度防返贫监测和帮扶重点核查工作报告) with the notice's five
//! sections (三（四）): 重点核查基本情况, 动态管理情况, 典型经验做法, 存在问题及建议,
//! 下一步工作计划.
//!
//! Each section has **generated paragraphs** (figures filled from the [`Summary`], recomputed
//! every time) and an **editable text** the clerk writes. What people write lives in
//! [`ReportEdits`], stored apart from the household records (the UI keeps it under
//! [`ReportEdits::storage_key`]); a section's generated paragraphs may also be replaced by
//! hand (`overrides`), after which its figures no longer update until the override is
//! removed. [`Report::to_text`] gives the plain text to export or print: UTF-8, LF line ends,
//! paragraphs indented with two full-width spaces, the signer and the date (`2023年3月25日`).
//!
//! An empty `unit` is the township's report (to 莫旗乡村振兴局, signed `<乡>人民政府`, with a
//! 分村看 paragraph); a village name makes that village's report (to 乡乡村振兴办公室, signed
//! `<村>村民委员会`). The generated paragraphs, all from the unit's [`Tally`]:
//! 1. **重点核查基本情况** — households and people checked by category, 重点人群 by group, the
//!    特殊档案 count and how many lack a reason, households with risk signals by rule, uninsured
//!    people, housing, water, disaster, ledger (b); below the line and in the warning band (the
//!    line marked 未经核对 when unconfirmed); per village (township report only).
//! 2. **动态管理情况** — suggested against decided new identifications; eliminations (assisted,
//!    natural, not marked in the system), monitoring objects still at risk; risk types; against
//!    the previous visit: members added and removed, 低保 cancelled, suspected lowered.
//! 3. **典型经验做法** — text only.
//! 4. **存在问题及建议** — numbered items, only those not zero: over a year unresolved, no
//!    development measures, eliminated but unmarked, 特殊档案 without a reason, incomplete
//!    records, the warning band.
//! 5. **下一步工作计划** — text only.
//!
//! [`ReportEdits`] (`ruhu.report-edits/1`: year, quarter, unit, `texts` and `overrides` by
//! section code, date) is JSON kept apart from the records under
//! [`ReportEdits::storage_key`] (`report:2023-Q1:` or `report:2023-Q1:哈力村`; the web page
//! prefixes `ruhu.`). `set_override(key, Some(text))` replaces a section's generated
//! paragraphs (`Section::overridden`), `None` restores them. An empty text section prints its
//! hint in brackets, so nothing is silently missing.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::Serialize;

use super::summary::{Figure, Labelled, Summary, Tally};
use super::yuan_text;
use crate::codes;
use crate::reads::{object_reader, Plain};
use crate::record::{Category, Extra, Timestamp};

codes! {
    /// The report's sections (通知三（四）).
    pub enum SectionKey {
        Basic = "basic": "重点核查基本情况",
        Dynamic = "dynamic": "动态管理情况",
        Experience = "experience": "典型经验做法",
        Problems = "problems": "存在问题及建议",
        Plan = "plan": "下一步工作计划",
    }
}

/// The version tag of the stored edits.
pub const REPORT_EDITS_FORMAT: &str = "ruhu.report-edits/1";

/// What people wrote in a report: kept by the UI, separately from the records. (Read by
/// [`object_reader!`], as the record's objects are.)
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReportEdits {
    /// Always `ruhu.report-edits/1`.
    pub format: String,
    pub year: i32,
    /// 1–4.
    pub quarter: u8,
    /// The village the report is for; empty for the whole township.
    #[serde(default)]
    pub unit: String,
    /// Free text per section, by section code (`experience`, `plan`…).
    #[serde(default)]
    pub texts: BTreeMap<String, String>,
    /// Generated paragraphs replaced by hand, by section code.
    #[serde(default)]
    pub overrides: BTreeMap<String, String>,
    /// The day written under the signature; the summary's `today` when empty.
    #[serde(default)]
    pub date: Option<NaiveDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub updated_at: Option<Timestamp>,
    #[serde(flatten)]
    pub extra: Extra,
}

impl Default for ReportEdits {
    fn default() -> Self {
        ReportEdits::new(0, 1, "")
    }
}

object_reader!(ReportEdits required(format, year, quarter) {
    format: Plain, year: Plain, quarter: Plain, unit: Plain, texts: Plain, overrides: Plain, date: Plain,
    updated_at: Plain,
});

impl ReportEdits {
    /// Empty edits for a quarter's report of the township (`unit` empty) or of a village.
    pub fn new(year: i32, quarter: u8, unit: &str) -> ReportEdits {
        ReportEdits {
            format: REPORT_EDITS_FORMAT.to_string(),
            year,
            quarter: quarter.clamp(1, 4),
            unit: unit.to_string(),
            texts: BTreeMap::new(),
            overrides: BTreeMap::new(),
            date: None,
            updated_at: None,
            extra: Extra::new(),
        }
    }

    /// `report:2023-Q1:` (township) or `report:2023-Q1:额尔和村`.
    pub fn storage_key(&self) -> String {
        format!("report:{}-Q{}:{}", self.year, self.quarter, self.unit)
    }

    /// The text written for a section.
    pub fn text(&self, key: SectionKey) -> &str {
        self.texts.get(key.code()).map(String::as_str).unwrap_or("")
    }

    /// Sets (or, when empty, removes) a section's text.
    pub fn set_text(&mut self, key: SectionKey, text: &str) {
        if text.trim().is_empty() {
            self.texts.remove(key.code());
        } else {
            self.texts.insert(key.code().to_string(), text.to_string());
        }
    }

    /// Replaces (or, with `None`, restores) a section's generated paragraphs.
    pub fn set_override(&mut self, key: SectionKey, text: Option<&str>) {
        match text {
            Some(t) => {
                self.overrides.insert(key.code().to_string(), t.to_string());
            }
            None => {
                self.overrides.remove(key.code());
            }
        }
    }

    /// Reads stored edits; refuses another format.
    pub fn from_json(text: &str) -> Result<ReportEdits, String> {
        let e: ReportEdits =
            serde_json::from_str(text).map_err(|e| format!("报告文本无法读取：{e}"))?;
        if e.format != REPORT_EDITS_FORMAT {
            return Err(format!("不认识的报告文本格式 \"{}\"", e.format));
        }
        Ok(e)
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }
}

/// One section of the draft.
#[derive(Debug, Clone, PartialEq)]
pub struct Section {
    pub key: SectionKey,
    /// `一、重点核查基本情况`.
    pub heading: String,
    /// The paragraphs filled from the figures (or the override).
    pub generated: Vec<String>,
    /// The generated paragraphs were replaced by hand.
    pub overridden: bool,
    /// What the clerk wrote.
    pub text: String,
    /// What to write here, shown when `text` is empty.
    pub hint: &'static str,
}

/// The report draft.
#[derive(Debug, Clone, PartialEq)]
pub struct Report {
    pub title: String,
    /// `乡村振兴办公室：`.
    pub addressee: String,
    pub opening: String,
    pub sections: Vec<Section>,
    pub signer: String,
    pub date: NaiveDate,
}

fn quarter_name(q: u8) -> &'static str {
    ["一", "二", "三", "四"][(q.clamp(1, 4) - 1) as usize]
}

fn hint(key: SectionKey) -> &'static str {
    match key {
        SectionKey::Basic => "可补充：核查的组织方式、入户范围、重点人群排查中发现的典型情况。",
        SectionKey::Dynamic => "可补充：人口自然变更、清退、回退等需逐级上报事项。",
        SectionKey::Experience => "请填写：如村“两委”和驻村工作队分片包户、线上线下结合排查、行业部门数据比对、因灾识别绿色通道等做法。",
        SectionKey::Problems => "请填写：核查中发现的其他问题和工作建议。",
        SectionKey::Plan => "请填写：下一步落实帮扶措施、风险消除、信息录入和“回头看”等工作安排。",
    }
}

/// `大病患者 3 人、慢性病患者 40 人` from the non-zero entries of a list.
fn list(items: &[Labelled], unit: &str) -> String {
    items
        .iter()
        .filter(|l| l.figure.count > 0)
        .map(|l| format!("{} {} {unit}", l.label, l.figure.count))
        .collect::<Vec<_>>()
        .join("、")
}

fn cat(t: &Tally, c: Category) -> usize {
    t.category(Some(c)).count
}

fn c(f: &Figure) -> usize {
    f.count
}

fn basic(s: &Summary, t: &Tally, township: bool) -> Vec<String> {
    let mut out = Vec::new();
    let mut p = format!(
        "本季度共核查农牧户 {} 户 {} 人，其中一般农牧户 {} 户，脱贫户 {} 户（脱贫享受政策户 {} 户、脱贫不享受政策户 {} 户），监测对象 {} 户 {} 人（脱贫不稳定户 {} 户、边缘易致贫户 {} 户、突发严重困难户 {} 户）。",
        c(&t.households),
        c(&t.people),
        cat(t, Category::General),
        c(&t.exited),
        cat(t, Category::ExitedSupported),
        cat(t, Category::ExitedUnsupported),
        c(&t.monitored),
        c(&t.monitored_people),
        cat(t, Category::MonitoredUnstable),
        cat(t, Category::MonitoredMarginal),
        cat(t, Category::MonitoredHardship),
    );
    let unknown = t.category(None).count;
    if unknown > 0 {
        p.push_str(&format!("另有 {unknown} 户未填写户属性。"));
    }
    out.push(p);

    if c(&t.key_group_people) > 0 {
        let mut p = format!(
            "排查重点人群 {} 人（涉及 {} 户），其中{}（一人可属多类）。",
            c(&t.key_group_people),
            c(&t.key_group_households),
            list(&t.key_groups, "人")
        );
        p.push_str(&format!(
            "重点人群未纳入监测的 {} 户已逐户研判，建立一般农户特殊档案",
            c(&t.special_archive)
        ));
        if c(&t.special_archive_no_reason) > 0 {
            p.push_str(&format!("，其中 {} 户尚未注明未纳入原因", c(&t.special_archive_no_reason)));
        }
        p.push('。');
        out.push(p);
    } else {
        out.push("本季度核查未发现重点人群。".to_string());
    }

    if c(&t.at_risk) > 0 {
        out.push(format!(
            "发现存在致贫返贫风险信号的农户 {} 户，其中{}（一户可有多项）。",
            c(&t.at_risk),
            list(&t.risks, "户")
        ));
    } else {
        out.push("核查农户中未发现致贫返贫风险信号。".to_string());
    }

    out.push(format!(
        "“三保障”和饮水安全方面：未参加城乡居民基本医疗保险 {} 人，住房存在安全隐患 {} 户，饮水安全未解决 {} 户，受灾（因灾、因自然灾害）{} 户；列入信息核实核查台账 {} 户。",
        c(&t.uninsured_people),
        c(&t.housing),
        c(&t.water),
        c(&t.disaster),
        c(&t.verification)
    ));
    out.push(format!(
        "按{}年监测标准 {} 元{}测算，家庭人均纯收入低于监测标准的 {} 户，处于预警区间（{} 元以下）的 {} 户。",
        s.policy.year,
        yuan_text(s.policy.monitoring_line),
        if s.policy.confirmed { "" } else { "（未经核对）" },
        c(&t.below_line),
        yuan_text(s.policy.near_line()),
        c(&t.near_line)
    ));
    if township && s.villages.len() > 1 {
        let parts: Vec<String> = s
            .villages
            .iter()
            .map(|v| {
                format!(
                    "{} {} 户（监测对象 {} 户，有风险信号 {} 户）",
                    v.name,
                    c(&v.households),
                    c(&v.monitored),
                    c(&v.at_risk)
                )
            })
            .collect();
        out.push(format!("分村看：{}。", parts.join("；")));
    }
    out
}

fn dynamic(t: &Tally) -> Vec<String> {
    let mut out = Vec::new();
    out.push(format!(
        "新识别：按收入、支出和“三保障”情况测算，建议纳入监测 {} 户；经村“两委”和驻村工作队研判，拟新识别纳入监测 {} 户。",
        c(&t.identify_suggested),
        c(&t.identify_decided)
    ));
    let mut p = format!(
        "风险消除：监测对象中已消除风险 {} 户（帮扶消除 {} 户、自然消除 {} 户）",
        c(&t.eliminated),
        c(&t.eliminated_assisted),
        c(&t.eliminated_natural)
    );
    if c(&t.eliminated_unmarked) > 0 {
        p.push_str(&format!(
            "，其中尚未在全国防返贫监测信息系统内标注 {} 户",
            c(&t.eliminated_unmarked)
        ));
    }
    p.push_str(&format!("；未消除风险的监测对象 {} 户。", c(&t.monitored) - c(&t.eliminated)));
    out.push(p);
    let types = list(&t.risk_types, "户");
    if !types.is_empty() {
        out.push(format!("监测对象风险类型：{types}（一户可有多项）。"));
    }
    if c(&t.revisited) > 0 {
        out.push(format!(
            "与上次入户相比（{} 户有上次记录）：家庭成员增加 {} 人、减少 {} 人；取消低保 {} 人（涉及 {} 户），疑似降低低保标准 {} 户。",
            c(&t.revisited),
            c(&t.members_added),
            c(&t.members_removed),
            c(&t.dibao_cancelled),
            t.dibao_cancelled.households.len(),
            c(&t.dibao_lowered)
        ));
    }
    out
}

fn problems(s: &Summary, t: &Tally) -> Vec<String> {
    let mut items = Vec::new();
    if c(&t.unresolved_over_year) > 0 {
        items.push(format!("识别1年以上仍未消除风险的监测对象（兜底户除外）{} 户，需及时落实针对性帮扶，帮助其尽早稳定消除风险", c(&t.unresolved_over_year)));
    }
    if c(&t.development_missing) > 0 {
        items.push(format!("有劳动能力但未落实产业、就业、金融或公益岗位帮扶的监测对象 {} 户，需落实开发式帮扶措施", c(&t.development_missing)));
    }
    if c(&t.eliminated_unmarked) > 0 {
        items.push(format!(
            "已消除风险但未在系统内标注的 {} 户，需及时标注，确保“机账实”一致",
            c(&t.eliminated_unmarked)
        ));
    }
    if c(&t.special_archive_no_reason) > 0 {
        items.push(format!(
            "重点人群未纳入监测但未注明原因的 {} 户，需逐户补充研判结果和佐证材料",
            c(&t.special_archive_no_reason)
        ));
    }
    if c(&t.incomplete) > 0 {
        items.push(format!("{} 户排查记录仍有未填项或错误，需补充完善后定稿", c(&t.incomplete)));
    }
    if c(&t.near_line) > 0 {
        items.push(format!(
            "家庭人均纯收入处于监测标准至 {} 元预警区间的 {} 户，需持续关注收入变化",
            yuan_text(s.policy.near_line()),
            c(&t.near_line)
        ));
    }
    if items.is_empty() {
        return vec!["本季度核查未发现突出问题。".to_string()];
    }
    const NUMS: [&str; 10] = ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十"];
    items.into_iter().enumerate().map(|(i, t)| format!("（{}）{t}。", NUMS[i.min(9)])).collect()
}

/// The report draft for the township (edits.unit empty or the township's name) or for one
/// village.
pub fn draft(summary: &Summary, edits: &ReportEdits) -> Report {
    let unit = edits.unit.trim();
    let township = unit.is_empty() || unit == summary.township_name;
    let tally = if township {
        &summary.township
    } else {
        summary.village(unit).unwrap_or(&summary.township)
    };
    let name = if township { summary.township_name.clone() } else { unit.to_string() };
    let q = quarter_name(edits.quarter);
    let title = format!("{name}{}年{q}季度防返贫监测和帮扶重点核查工作报告", edits.year);
    let (addressee, signer, we) = if township {
        ("莫旗乡村振兴局：".to_string(), format!("{}人民政府", summary.township_name), "我乡")
    } else {
        ("乡乡村振兴办公室：".to_string(), format!("{name}村民委员会"), "我村")
    };
    let opening = format!(
        "按照《关于开展{}年{q}季度防返贫监测和帮扶重点核查工作的通知》要求，{we}组织村“两委”、驻村干部开展了重点核查工作，现将有关情况报告如下：",
        edits.year
    );
    let sections = SectionKey::ALL
        .iter()
        .enumerate()
        .map(|(i, &key)| {
            let generated = match key {
                SectionKey::Basic => basic(summary, tally, township),
                SectionKey::Dynamic => dynamic(tally),
                SectionKey::Problems => problems(summary, tally),
                SectionKey::Experience | SectionKey::Plan => Vec::new(),
            };
            let over = edits.overrides.get(key.code());
            Section {
                key,
                heading: format!("{}、{}", ["一", "二", "三", "四", "五"][i], key.label()),
                generated: match over {
                    Some(t) => {
                        t.lines().map(|l| l.trim().to_string()).filter(|l| !l.is_empty()).collect()
                    }
                    None => generated,
                },
                overridden: over.is_some(),
                text: edits.text(key).to_string(),
                hint: hint(key),
            }
        })
        .collect();
    Report {
        title,
        addressee,
        opening,
        sections,
        signer,
        date: edits.date.unwrap_or(summary.today),
    }
}

impl Report {
    /// The section with this key.
    pub fn section(&self, key: SectionKey) -> &Section {
        self.sections.iter().find(|s| s.key == key).expect("every section is drafted")
    }

    /// Plain text for export (UTF-8, LF line ends, paragraphs indented with two full-width
    /// spaces). An empty text section shows its hint in brackets, so nothing is silently
    /// missing from a printed draft.
    pub fn to_text(&self) -> String {
        const INDENT: &str = "\u{3000}\u{3000}";
        let mut out = String::new();
        out.push_str(&self.title);
        out.push_str("\n\n");
        out.push_str(&self.addressee);
        out.push('\n');
        out.push_str(INDENT);
        out.push_str(&self.opening);
        out.push('\n');
        for s in &self.sections {
            out.push_str(INDENT);
            out.push_str(&s.heading);
            out.push('\n');
            for p in &s.generated {
                out.push_str(INDENT);
                out.push_str(p);
                out.push('\n');
            }
            let text: Vec<&str> = s.text.lines().map(str::trim).filter(|l| !l.is_empty()).collect();
            if text.is_empty() {
                if s.generated.is_empty() {
                    out.push_str(INDENT);
                    out.push_str(&format!("（{}）\n", s.hint));
                }
            } else {
                for l in text {
                    out.push_str(INDENT);
                    out.push_str(l);
                    out.push('\n');
                }
            }
        }
        out.push('\n');
        out.push_str(&format!("{}\n{}\n", self.signer, chinese_date(self.date)));
        out
    }
}

/// `2023年3月25日`.
pub fn chinese_date(d: NaiveDate) -> String {
    d.format("%Y年%-m月%-d日").to_string()
}
