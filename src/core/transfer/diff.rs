//! What differs between two versions of one record, for people: the conflict view (ours
//! beside theirs), the saved-state history and the follow-up visit's changes. Paths are the
//! engine's (`address.village`, `members[2].labor`); labels and values are the form's
//! Chinese (`第3位成员（敖小宝）· A12 劳动技能`, `弱劳动力或半劳动力`).

use serde_json::{Map, Value};

use crate::record::*;

/// One field that differs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Difference {
    /// The field's path (`members[2].labor`); for an array element that only one side has,
    /// the element's path (`members[3]`).
    pub path: String,
    /// The field for people.
    pub label: String,
    /// Our value for people (`（空）` when absent).
    pub local: String,
    /// Their value for people.
    pub incoming: String,
}

/// Keys never worth showing as a difference (`lineage` with everything under it: it changes
/// at every save, like `revision`, and says nothing to a person that `revision` does not).
const IGNORED: [&str; 3] = ["computed", "format", "lineage"];

fn ignored(path: &str) -> bool {
    IGNORED.iter().any(|k| path == *k || path.strip_prefix(k).is_some_and(|r| r.starts_with('.')))
}

/// Every field whose value differs between `local` and `incoming`, in the incoming record's
/// key order (members and attachments matched by `id`, so reordering is not a difference).
/// Record keys (`revision`, `updated_at`, `status`…) are included: they tell which is newer.
pub fn differences(local: &Household, incoming: &Household) -> Vec<Difference> {
    let (a, b) = (crate::json::to_value(local), crate::json::to_value(incoming));
    let mut paths: Vec<(String, Value, Value)> = Vec::new();
    walk("", &a, &b, &mut paths);
    paths
        .into_iter()
        .filter(|(p, _, _)| !ignored(p))
        .map(|(path, x, y)| {
            // A whole element only we have is indexed in our record; every other path in theirs.
            let side = if path.ends_with(']') && y.is_null() { local } else { incoming };
            let label = field_label(&path, Some(side)).unwrap_or_else(|| path.clone());
            Difference {
                local: value_text(&path, &x),
                incoming: value_text(&path, &y),
                label,
                path,
            }
        })
        .collect()
}

fn walk(path: &str, a: &Value, b: &Value, out: &mut Vec<(String, Value, Value)>) {
    let join = |k: &str| if path.is_empty() { k.to_string() } else { format!("{path}.{k}") };
    match (a, b) {
        (Value::Object(ma), Value::Object(mb)) => {
            for (k, vb) in mb {
                walk(&join(k), ma.get(k).unwrap_or(&Value::Null), vb, out);
            }
            for (k, va) in ma {
                if !mb.contains_key(k) {
                    walk(&join(k), va, &Value::Null, out);
                }
            }
        }
        (Value::Array(xa), Value::Array(xb))
            if keyed(xa) && keyed(xb) && !(xa.is_empty() && xb.is_empty()) =>
        {
            let id = |v: &Value| v.get("id").cloned().unwrap_or(Value::Null);
            for (i, vb) in xb.iter().enumerate() {
                match xa.iter().find(|va| id(va) == id(vb)) {
                    Some(va) => walk(&format!("{path}[{i}]"), va, vb, out),
                    None => out.push((format!("{path}[{i}]"), Value::Null, vb.clone())),
                }
            }
            for (j, va) in xa.iter().enumerate() {
                if !xb.iter().any(|vb| id(vb) == id(va)) {
                    out.push((format!("{path}[{j}]"), va.clone(), Value::Null));
                }
            }
        }
        _ if a != b && !(empty(a) && empty(b)) => {
            out.push((path.to_string(), a.clone(), b.clone()))
        }
        _ => {}
    }
}

/// One step of a path as [`differences`] writes it: a key or an array index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Step {
    Key(String),
    Index(usize),
}

/// `members[2].labor` → `[Key(members), Index(2), Key(labor)]`; `None` if it is not a path.
pub(crate) fn parse_path(path: &str) -> Option<Vec<Step>> {
    let mut out = Vec::new();
    for part in path.split('.') {
        let (key, mut rest) = part.split_once('[').map_or((part, ""), |(k, r)| (k, r));
        if key.is_empty() {
            return None;
        }
        out.push(Step::Key(key.to_string()));
        while !rest.is_empty() {
            let (n, after) = rest.split_once(']')?;
            out.push(Step::Index(n.parse().ok()?));
            rest = after.strip_prefix('[').unwrap_or(after);
            if !after.is_empty() && !after.starts_with('[') {
                return None;
            }
        }
    }
    (!out.is_empty()).then_some(out)
}

/// Copies `theirs`'s value at `steps` into `ours` (the path is [`differences`]'s: an index
/// into a keyed array is theirs, or ours for an element only we have). Keyed arrays are
/// matched by `id`: a field of their element goes into ours with that id; a whole element only
/// they have is appended, one only we have is removed. A value they lack is removed.
pub(crate) fn take_at(ours: &mut Value, theirs: &Value, steps: &[Step]) {
    let Some((step, rest)) = steps.split_first() else {
        *ours = theirs.clone();
        return;
    };
    match step {
        Step::Key(k) => {
            let Some(o) = ours.as_object_mut() else {
                *ours = theirs.clone();
                return;
            };
            let t = theirs.get(k.as_str()).unwrap_or(&Value::Null);
            if rest.is_empty() {
                if t.is_null() {
                    o.remove(k.as_str());
                } else {
                    o.insert(k.clone(), t.clone());
                }
                return;
            }
            let slot = o.entry(k.clone()).or_insert(Value::Null);
            if slot.is_null() {
                *slot = match rest[0] {
                    Step::Key(_) => Value::Object(Map::new()),
                    Step::Index(_) => Value::Array(Vec::new()),
                };
            }
            take_at(slot, t, rest);
        }
        &Step::Index(i) => {
            let empty = Vec::new();
            let xb = theirs.as_array().unwrap_or(&empty);
            let Some(xa) = ours.as_array_mut() else {
                *ours = theirs.clone();
                return;
            };
            let keyed_here = keyed(xa) && keyed(xb);
            if !keyed_here {
                match (xa.get_mut(i), xb.get(i)) {
                    (Some(a), Some(b)) => take_at(a, b, rest),
                    (None, Some(b)) if rest.is_empty() => xa.push(b.clone()),
                    (Some(_), None) if rest.is_empty() => {
                        xa.remove(i);
                    }
                    _ => {}
                }
                return;
            }
            let id = |v: &Value| v.get("id").cloned().unwrap_or(Value::Null);
            if rest.is_empty() {
                // A whole element only they have (their index), or only we have (ours).
                if let Some(b) = xb.get(i) {
                    if !xa.iter().any(|a| id(a) == id(b)) {
                        xa.push(b.clone());
                        return;
                    }
                }
                if let Some(a) = xa.get(i) {
                    let ida = id(a);
                    if !xb.iter().any(|b| id(b) == ida) {
                        xa.remove(i);
                        return;
                    }
                }
            }
            if let Some(b) = xb.get(i) {
                if let Some(j) = xa.iter().position(|a| id(a) == id(b)) {
                    take_at(&mut xa[j], b, rest);
                }
            }
        }
    }
}

/// An array of objects that all have an `id` (members, attachments): matched by id.
fn keyed(xs: &[Value]) -> bool {
    xs.iter().all(|v| v.get("id").is_some())
}

fn empty(v: &Value) -> bool {
    match v {
        Value::Null => true,
        Value::String(s) => s.is_empty(),
        Value::Array(a) => a.is_empty(),
        Value::Object(o) => o.is_empty(),
        _ => false,
    }
}

/// The label of a top-level or nested record key.
fn key_label(section: &str, key: &str) -> Option<&'static str> {
    Some(match (section, key) {
        ("", "id") => "记录编号",
        ("", "household_id") => "户编号",
        ("", "revision") => "修改次数（版本号）",
        ("", "status") => "状态",
        ("", "created_at") => "创建时间",
        ("", "updated_at") => "最后修改时间",
        ("", "category") => "A1 户属性",
        ("", "resettlement_site") => "A2 大中型易地扶贫搬迁集中安置区",
        ("", "phone") => "户主联系电话",
        ("", "members") => "家庭成员",
        ("", "attachments") => "佐证材料",
        ("", "previous_id") => "上次入户的记录",
        ("visit", "date") => "入户日期",
        ("visit", "period_start") => "收支周期开始",
        ("visit", "period_end") => "收支周期结束",
        ("visit", "surveyor") => "本户排查人",
        ("visit", "assessors") => "风险研判人",
        ("address", "banner") => "旗",
        ("address", "township") => "乡镇",
        ("address", "village") => "村",
        ("address", "group") => "自然村（村民小组）",
        ("monitoring", "identified_on") => "识别为监测对象的日期",
        ("income", "production") => "A21 生产经营性收入",
        ("income", "wage") => "A22 工资性收入",
        ("income", "property") => "A23 财产性收入",
        ("income", "transfer") => "A24 转移性收入",
        ("income", "production_cost") => "A25 生产经营性支出",
        ("income", "other_expense") => "A28 其他支出",
        ("income", "other_expense_note") => "A28 其他支出具体为",
        ("guarantees", "dropout") => "A29 有适龄儿童少年失学辍学",
        ("guarantees", "all_insured") => "A30 全部参加城乡居民基本医疗保险",
        ("guarantees", "safe_water") => "A31 解决安全饮水",
        ("guarantees", "water_issues") => "A31 饮水问题",
        ("guarantees", "dangerous_house") => "A32 危房",
        ("guarantees", "house_grade") => "A32 危房等级",
        ("judgement", "at_risk") => "存在致贫返贫风险",
        ("judgement", "identify") => "需要新识别为监测对象",
        ("judgement", "reason") => "研判原因",
        ("risk", "types") => "A33 风险类型",
        ("risk", "disaster_types") => "A33a 自然灾害类型",
        ("risk", "other_note") => "A33 其他风险说明",
        ("elimination", "eliminated") => "A46 风险是否消除",
        ("elimination", "method") => "A47 风险消除方式",
        ("elimination", "marked_in_system") => "A48 已在系统内标注风险消除",
        ("elimination", "months") => "A49 风险消除时间间隔（月）",
        ("member", "name") => "A3 姓名",
        ("member", "sex") => "A4 性别",
        ("member", "id_type") => "A5 证件类型",
        ("member", "id_number") => "A6 证件号码",
        ("member", "relation") => "A7 与户主关系",
        ("member", "ethnicity") => "A8 民族",
        ("member", "political") => "A9 政治面貌",
        ("member", "health") => "A10 健康状况",
        ("member", "education") => "A11 文化程度",
        ("member", "labor") => "A12 劳动技能",
        ("member", "work_area") => "A13 务工区域",
        ("member", "medical_insurance") => "A14 参加城乡居民基本医疗保险",
        ("member", "critical_illness_insurance") => "A15 参加大病保险",
        ("member", "medical_assistance") => "A16 接受医疗救助",
        ("member", "dibao") => "A17 享受农村居民最低生活保障",
        ("member", "tekun") => "A18 享受特困供养",
        ("member", "pension_insurance") => "A19 参加城乡居民基本养老保险",
        ("member", "relocated") => "A20 易地扶贫搬迁（同步搬迁人口）",
        ("measure", "applied") => "是否采取",
        ("measure", "items") => "具体措施",
        ("measure", "other") => "其他（说明）",
        ("measure", "loan_date") => "贷款时间",
        ("measure", "loan_term_months") => "贷款期限（月）",
        ("measure", "loan_amount_wan") => "贷款金额（万元）",
        ("attachment", "caption") => "说明",
        ("attachment", "kind") => "类型",
        ("attachment", "data") => "内容",
        _ => return None,
    })
}

/// `members[2]` → (`members`, Some(2)).
fn split_index(seg: &str) -> (&str, Option<usize>) {
    match seg.split_once('[') {
        Some((name, rest)) => (name, rest.trim_end_matches(']').parse().ok()),
        None => (seg, None),
    }
}

/// The Chinese name of a field path (`members[2].labor` → `第3位成员（敖小宝）· A12 劳动技能`),
/// naming members from `record` when given. `None` for a path it does not know (the caller
/// shows the path itself). Also names `members-removed:<name>` from `followup::changes`.
pub fn field_label(path: &str, record: Option<&Household>) -> Option<String> {
    if let Some(name) = path.strip_prefix("members-removed:") {
        return Some(format!("成员已不在本户：{name}"));
    }
    let mut segs = path.split('.');
    let first = segs.next()?;
    let rest: Vec<&str> = segs.collect();
    let (name, index) = split_index(first);
    match (name, index) {
        ("members", Some(i)) => {
            let who = record
                .and_then(|h| h.members.get(i))
                .map(|m| m.name.as_str())
                .filter(|n| !n.is_empty());
            let member = match who {
                Some(n) => format!("第{}位成员（{n}）", i + 1),
                None => format!("第{}位成员", i + 1),
            };
            match rest.as_slice() {
                [] => Some(member),
                [key] => Some(format!("{member} · {}", key_label("member", key).unwrap_or(key))),
                more => Some(format!("{member} · {}", more.join("."))),
            }
        }
        ("attachments", Some(i)) => {
            let item = format!("佐证材料 {}", i + 1);
            match rest.as_slice() {
                [] => Some(item),
                [key] => Some(format!("{item} · {}", key_label("attachment", key).unwrap_or(key))),
                more => Some(format!("{item} · {}", more.join("."))),
            }
        }
        ("measures", None) => {
            let (key, field) = (rest.first()?, rest.get(1));
            let (_, code, label) = MEASURE_KEYS.iter().find(|(k, _, _)| k == key)?;
            let measure = format!("{code} {label}");
            match field {
                None => Some(measure),
                Some(f) => Some(format!("{measure} · {}", key_label("measure", f).unwrap_or(f))),
            }
        }
        (section, None) => match rest.as_slice() {
            [] => key_label("", section).map(str::to_string),
            [key] => key_label(section, key).map(str::to_string),
            _ => None,
        },
        _ => None,
    }
}

/// A value for people: codes as their labels, yes/no as 是/否, money in 元, lists joined.
pub fn value_text(path: &str, v: &Value) -> String {
    let key = path.rsplit('.').next().unwrap_or(path);
    let (key, _) = split_index(key);
    let measure = path.strip_prefix("measures.").and_then(|r| r.split('.').next());
    let text = match v {
        Value::Null => "（空）".to_string(),
        Value::Bool(true) => "是".into(),
        Value::Bool(false) => "否".into(),
        Value::Number(n) => n.to_string(),
        Value::String(s) if s.is_empty() => "（空）".into(),
        Value::String(s) => code_label(path, key, measure, s).unwrap_or_else(|| {
            if path.starts_with("income.") && key != "other_expense_note" {
                format!("{s} 元")
            } else {
                s.clone()
            }
        }),
        Value::Array(xs) if xs.is_empty() => "（空）".into(),
        Value::Array(xs) => xs
            .iter()
            .map(|x| match x {
                Value::String(s) => code_label(path, key, measure, s).unwrap_or_else(|| s.clone()),
                other => value_text("", other),
            })
            .collect::<Vec<_>>()
            .join("、"),
        Value::Object(o) => object_text(o),
    };
    shorten(text)
}

/// A whole member or attachment that only one side has.
fn object_text(o: &Map<String, Value>) -> String {
    let s = |k: &str| o.get(k).and_then(Value::as_str).unwrap_or("");
    if o.contains_key("relation") || o.contains_key("id_number") {
        let relation = Relation::from_code(s("relation")).map(Relation::label).unwrap_or("");
        let name = if s("name").is_empty() { "（未填姓名）" } else { s("name") };
        return [name, relation]
            .iter()
            .filter(|x| !x.is_empty())
            .copied()
            .collect::<Vec<_>>()
            .join(" · ");
    }
    if o.contains_key("mime") || o.contains_key("sha256") {
        let kind =
            AttachmentKind::from_code(s("kind")).map(AttachmentKind::label).unwrap_or("附件");
        return format!("{kind} {}", s("caption")).trim().to_string();
    }
    format!("{} 项", o.len())
}

fn code_label(path: &str, key: &str, measure: Option<&str>, s: &str) -> Option<String> {
    let label = match (measure, key) {
        (Some("industry"), "items") => IndustryItem::from_code(s).map(IndustryItem::label),
        (Some("employment"), "items") => EmploymentItem::from_code(s).map(EmploymentItem::label),
        (Some("ecology"), "items") => EcologyItem::from_code(s).map(EcologyItem::label),
        (Some("public_post"), "items") => PublicPostItem::from_code(s).map(PublicPostItem::label),
        (Some("education"), "items") => EducationItem::from_code(s).map(EducationItem::label),
        (Some("health"), "items") => HealthItem::from_code(s).map(HealthItem::label),
        (Some("living"), "items") => LivingItem::from_code(s).map(LivingItem::label),
        (Some("infrastructure"), "items") => {
            InfrastructureItem::from_code(s).map(InfrastructureItem::label)
        }
        (Some("social_security"), "items") => {
            SocialSecurityItem::from_code(s).map(SocialSecurityItem::label)
        }
        (Some("motivation"), "items") => MotivationItem::from_code(s).map(MotivationItem::label),
        (_, "status") if path == "status" => Status::from_code(s).map(Status::label),
        (_, "category") => Category::from_code(s).map(Category::label),
        (_, "sex") => Sex::from_code(s).map(Sex::label),
        (_, "id_type") => IdType::from_code(s).map(IdType::label),
        (_, "relation") => Relation::from_code(s).map(Relation::label),
        (_, "political") => Political::from_code(s).map(Political::label),
        (_, "health") if path.starts_with("members") => Health::from_code(s).map(Health::label),
        (_, "education") if path.starts_with("members") => {
            Education::from_code(s).map(Education::label)
        }
        (_, "labor") => Labor::from_code(s).map(Labor::label),
        (_, "work_area") => WorkArea::from_code(s).map(WorkArea::label),
        (_, "water_issues") => WaterIssue::from_code(s).map(WaterIssue::label),
        (_, "house_grade") => HouseGrade::from_code(s).map(HouseGrade::label),
        (_, "types") if path.starts_with("risk") => RiskType::from_code(s).map(RiskType::label),
        (_, "disaster_types") => DisasterType::from_code(s).map(DisasterType::label),
        (_, "method") => EliminationMethod::from_code(s).map(EliminationMethod::label),
        (_, "kind") => AttachmentKind::from_code(s).map(AttachmentKind::label),
        (_, "created_at" | "updated_at") => {
            return chrono::DateTime::parse_from_rfc3339(s)
                .ok()
                .map(|t| t.format("%Y-%m-%d %H:%M:%S").to_string());
        }
        _ => None,
    };
    label.map(str::to_string)
}

/// Whether `outer` is the path `inner` or one of its ancestors (`members[3]` covers
/// `members[3].name`; `members[1]` does not cover `members[10]`).
pub fn path_covers(outer: &str, inner: &str) -> bool {
    inner == outer
        || (inner.starts_with(outer)
            && matches!(inner.as_bytes().get(outer.len()), Some(b'.') | Some(b'[')))
}

/// Long values (photo data, long notes) are cut for the side-by-side view.
fn shorten(s: String) -> String {
    const MAX: usize = 80;
    if s.chars().count() <= MAX {
        return s;
    }
    let cut: String = s.chars().take(MAX).collect();
    format!("{cut}…（共 {} 字）", s.chars().count())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::money::Money;
    use crate::testkit;
    use uuid::Uuid;

    fn base() -> Household {
        testkit::household()
            .saved(testkit::at("2023-02-20T09:00:00+08:00"))
            .village("额尔和村")
            .member(
                testkit::member(10).name("敖文华").relation(Relation::Head).labor(Labor::Ordinary),
            )
            .member(
                testkit::member(11)
                    .name("孟淑兰")
                    .relation(Relation::Spouse)
                    .labor(Labor::Ordinary),
            )
            .build()
    }

    #[test]
    fn labelled_differences() {
        let ours = base();
        let mut theirs = base();
        theirs.revision = 2;
        theirs.address.village = "哈力村".into();
        theirs.members.swap(0, 1);
        theirs.members[1].labor = Some(Labor::Weak);
        theirs.income.wage = Some(Money::parse("12000"));
        theirs.category = Some(Category::MonitoredMarginal);
        let mut child = Member::new(Uuid::from_u128(30));
        child.name = "敖小宝".into();
        child.relation = Some(Relation::Son);
        theirs.members.push(child);
        theirs.extra.insert("app_note".into(), serde_json::json!("新键"));
        // Lineage is not shown, whether one side has none or both differ in it.
        crate::lineage::begin(&mut theirs, &crate::lineage::DeviceId::new("a").unwrap());
        let mut ours_saved = ours.clone();
        crate::lineage::begin(&mut ours_saved, &crate::lineage::DeviceId::new("b").unwrap());
        assert_eq!(differences(&ours_saved, &theirs), differences(&ours, &theirs));
        let d = differences(&ours, &theirs);
        let rows: Vec<(&str, &str, &str, &str)> = d
            .iter()
            .map(|d| (d.path.as_str(), d.label.as_str(), d.local.as_str(), d.incoming.as_str()))
            .collect();
        assert_eq!(
            rows,
            vec![
                ("revision", "修改次数（版本号）", "1", "2"),
                ("address.village", "村", "额尔和村", "哈力村"),
                ("category", "A1 户属性", "（空）", "监测对象 · 边缘易致贫户"),
                (
                    "members[1].labor",
                    "第2位成员（敖文华） · A12 劳动技能",
                    "普通劳动力",
                    "弱劳动力或半劳动力"
                ),
                ("members[2]", "第3位成员（敖小宝）", "（空）", "敖小宝 · 之子"),
                ("income.wage", "A22 工资性收入", "（空）", "12000.00 元"),
                ("app_note", "app_note", "（空）", "新键"),
            ]
        );
    }

    #[test]
    fn removed_members_and_empty_values() {
        let ours = base();
        let mut theirs = base();
        theirs.members.truncate(1);
        theirs.phone = String::new();
        theirs.visit.assessors = vec![];
        let d = differences(&ours, &theirs);
        assert_eq!(d.len(), 1, "{d:?}");
        assert_eq!(
            (d[0].path.as_str(), d[0].local.as_str(), d[0].incoming.as_str()),
            ("members[1]", "孟淑兰 · 配偶", "（空）")
        );
        assert_eq!(d[0].label, "第2位成员（孟淑兰）");
    }

    #[test]
    fn ancestors_cover() {
        assert!(path_covers("members[3]", "members[3].name"));
        assert!(path_covers("income", "income.wage"));
        assert!(path_covers("income.wage", "income.wage"));
        assert!(!path_covers("members[1]", "members[10].name"));
        assert!(!path_covers("income.wage", "income"));
    }

    #[test]
    fn labels() {
        let h = base();
        assert_eq!(
            field_label("measures.finance.loan_amount_wan", None).unwrap(),
            "A36 金融帮扶 · 贷款金额（万元）"
        );
        assert_eq!(
            field_label("members[0].id_number", Some(&h)).unwrap(),
            "第1位成员（敖文华） · A6 证件号码"
        );
        assert_eq!(
            field_label("members[5].id_number", Some(&h)).unwrap(),
            "第6位成员 · A6 证件号码"
        );
        assert_eq!(field_label("members-removed:敖文华", None).unwrap(), "成员已不在本户：敖文华");
        assert_eq!(field_label("guarantees.house_grade", None).unwrap(), "A32 危房等级");
        assert_eq!(field_label("nonsense.key.deep", None), None);
        assert_eq!(
            value_text("measures.industry.items", &serde_json::json!(["pv_income", "other"])),
            "光伏扶贫收益、其他"
        );
        assert_eq!(value_text("risk.types", &serde_json::json!(["illness"])), "因病");
        assert_eq!(value_text("status", &serde_json::json!("final")), "已完成");
        assert_eq!(
            value_text("updated_at", &serde_json::json!("2023-02-20T09:12:00+08:00")),
            "2023-02-20 09:12:00"
        );
        let long = "照".repeat(200);
        assert!(
            value_text("attachments[0].data", &serde_json::json!(long)).ends_with("…（共 200 字）")
        );
    }
}
