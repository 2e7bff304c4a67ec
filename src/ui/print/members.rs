//! Section 二 家庭成员信息: the member table with the form's columns A3–A20.

use crate::core::record::Member;
use crate::ui::township::html::esc;

fn yn(b: Option<bool>) -> &'static str {
    match b {
        Some(true) => "是",
        Some(false) => "否",
        None => "",
    }
}

fn label<T: Copy>(x: Option<T>, f: impl Fn(T) -> &'static str) -> &'static str {
    x.map(f).unwrap_or("")
}

/// The column heads: code and name.
const HEADS: [(&str, &str); 19] = [
    ("", "序号"),
    ("A3", "姓名"),
    ("A4", "性别"),
    ("A5", "证件类型"),
    ("A6", "居民身份证（残疾人证）"),
    ("A7", "与户主关系"),
    ("A8", "民族"),
    ("A9", "政治面貌"),
    ("A10", "健康状况"),
    ("A11", "文化程度"),
    ("A12", "劳动技能"),
    ("A13", "务工区域"),
    ("A14", "是否参加城乡居民基本医疗保险"),
    ("A15", "是否参加大病保险"),
    ("A16", "是否接受医疗救助"),
    ("A17", "是否享受农村居民最低生活保障"),
    ("A18", "是否享受特困供养"),
    ("A19", "是否参加城乡居民基本养老保险"),
    ("A20", "是否易地扶贫搬迁（同步搬迁人口）"),
];

/// The members, one row each in the form's 序号 order, and blank rows up to 5 like the paper.
pub fn member_table(out: &mut String, members: &[Member]) {
    out.push_str("<table class=\"members\"><colgroup>");
    for i in 0..HEADS.len() {
        out.push_str(&format!("<col class=\"c{i}\">"));
    }
    out.push_str("</colgroup><thead><tr>");
    for (code, name) in HEADS {
        out.push_str(&format!("<th scope=\"col\"><span class=\"code\">{code}</span>{name}</th>"));
    }
    out.push_str("</tr></thead><tbody>");
    for (i, m) in members.iter().enumerate() {
        let health: Vec<&str> = m.health.iter().map(|h| h.label()).collect();
        let cells: [String; 19] = [
            (i + 1).to_string(),
            m.name.clone(),
            label(m.sex, |x| x.label()).to_string(),
            label(m.id_type, |x| x.label()).to_string(),
            m.id_number.clone(),
            label(m.relation, |x| x.label()).to_string(),
            m.ethnicity.clone(),
            label(m.political, |x| x.label()).to_string(),
            health.join("、"),
            label(m.education, |x| x.label()).to_string(),
            label(m.labor, |x| x.label()).to_string(),
            label(m.work_area, |x| x.label()).to_string(),
            yn(m.medical_insurance).to_string(),
            yn(m.critical_illness_insurance).to_string(),
            yn(m.medical_assistance).to_string(),
            yn(m.dibao).to_string(),
            yn(m.tekun).to_string(),
            yn(m.pension_insurance).to_string(),
            yn(m.relocated).to_string(),
        ];
        out.push_str("<tr>");
        for (c, text) in cells.iter().enumerate() {
            out.push_str(if c == 4 { "<td class=\"id\">" } else { "<td>" });
            out.push_str(&esc(text));
            out.push_str("</td>");
        }
        out.push_str("</tr>");
    }
    for _ in members.len()..5 {
        out.push_str("<tr class=\"blank\">");
        out.push_str(&"<td></td>".repeat(HEADS.len()));
        out.push_str("</tr>");
    }
    out.push_str("</tbody></table>");
}
