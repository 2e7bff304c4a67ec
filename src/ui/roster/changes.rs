//! 动态管理清单: what the notice asks to enter into the national system, as the core's
//! reconciliation lists it ([`crate::core::reconcile::DynamicList`]): persons to add
//! (人口自然增加) and to remove (人口自然减少), households to identify (新识别: the engine's
//! suggestion, with the people's decision beside it), eliminations (风险消除) and category
//! changes (户类型变更). Per village; printable (A4, the ledger sheet). Each household links to
//! its record's print view.

use leptos::prelude::*;

use super::data::Shared;
use super::ledger::villages;
use crate::core::listing::NO_VILLAGE;
use crate::core::reconcile::{DynamicList, HouseholdRef, Reconciliation};
use crate::core::roster::RosterCategory;
use crate::ui::clock;
use crate::ui::router::Route;
use crate::ui::township::html::{attr, esc};

fn village_label(v: &str) -> &str {
    if v.is_empty() {
        NO_VILLAGE
    } else {
        v
    }
}

/// The household's three cells: 村, 户编号, 户主 (linking to the record).
fn front(out: &mut String, h: &HouseholdRef) {
    out.push_str(&format!(
        "<td>{}</td><td class=\"digits\">{}</td>",
        esc(village_label(&h.village)),
        esc(h.household_no.as_deref().unwrap_or(""))
    ));
    match h.record_id {
        Some(id) => out.push_str(&format!(
            "<td class=\"head\"><a{}>{}</a></td>",
            attr("href", &Route::Print(id.to_string()).href()),
            esc(&h.head_name)
        )),
        None => out.push_str(&format!("<td class=\"head\">{}</td>", esc(&h.head_name))),
    }
}

/// One section: its title, count and table.
fn section(
    out: &mut String,
    key: &str,
    title: &str,
    columns: &[&str],
    rows: Vec<Vec<String>>,
    heads: Vec<&HouseholdRef>,
) {
    out.push_str(&format!(
        "<section class=\"change-list\"{}><h3>{} <span class=\"count\">{}</span></h3>",
        attr("data-changes", key),
        esc(title),
        rows.len()
    ));
    if rows.is_empty() {
        out.push_str("<p class=\"muted\">无。</p></section>");
        return;
    }
    out.push_str("<div class=\"table-scroll\"><table class=\"ledger\"><thead><tr><th scope=\"col\">序号</th><th scope=\"col\">村</th><th scope=\"col\">户编号</th><th scope=\"col\">户主</th>");
    for c in columns {
        out.push_str(&format!("<th scope=\"col\">{}</th>", esc(c)));
    }
    out.push_str("</tr></thead><tbody>");
    for (i, (cells, h)) in rows.into_iter().zip(heads).enumerate() {
        out.push_str(&format!("<tr><td class=\"num\">{}</td>", i + 1));
        front(out, h);
        for c in cells {
            out.push_str(&format!("<td>{}</td>", esc(&c)));
        }
        out.push_str("</tr>");
    }
    out.push_str("</tbody></table></div></section>");
}

/// The list (of one village, or all) as HTML.
fn list_html(list: &DynamicList, village: Option<&str>) -> String {
    let keep = |h: &HouseholdRef| village.is_none_or(|v| h.village == v);
    let mut out = String::new();
    fn persons(
        v: &[crate::core::reconcile::PersonChange],
        keep: impl Fn(&HouseholdRef) -> bool,
    ) -> (Vec<Vec<String>>, Vec<&HouseholdRef>) {
        let kept: Vec<_> = v.iter().filter(|p| keep(&p.household)).collect();
        (
            kept.iter()
                .map(|p| {
                    vec![
                        p.name.clone(),
                        p.id_number.clone(),
                        p.relation.map(|r| r.label().to_string()).unwrap_or_default(),
                    ]
                })
                .collect::<Vec<_>>(),
            kept.iter().map(|p| &p.household).collect::<Vec<_>>(),
        )
    }
    let (rows, heads) = persons(&list.persons_to_add, keep);
    section(
        &mut out,
        "persons-to-add",
        "人口自然增加（新增成员）",
        &["姓名", "证件号码", "与户主关系"],
        rows,
        heads,
    );
    let (rows, heads) = persons(&list.persons_to_remove, keep);
    section(
        &mut out,
        "persons-to-remove",
        "人口自然减少（减少成员）",
        &["姓名", "证件号码", "与户主关系"],
        rows,
        heads,
    );

    let kept: Vec<_> = list.households_to_identify.iter().filter(|i| keep(&i.household)).collect();
    section(
        &mut out,
        "households-to-identify",
        "新识别（系统研判建议纳入监测）",
        &["建议类别", "研判结论", "理由"],
        kept.iter()
            .map(|i| {
                vec![
                    i.suggested_category.map(|c| c.label().to_string()).unwrap_or_default(),
                    match i.decided {
                        Some(true) => "已研判：纳入".to_string(),
                        Some(false) => "已研判：不纳入".to_string(),
                        None => "未研判".to_string(),
                    },
                    i.reasons.join("；"),
                ]
            })
            .collect(),
        kept.iter().map(|i| &i.household).collect(),
    );

    let kept: Vec<_> = list.eliminations.iter().filter(|e| keep(&e.household)).collect();
    section(
        &mut out,
        "eliminations",
        "风险消除",
        &["消除方式"],
        kept.iter()
            .map(|e| vec![e.method.map(|m| m.label().to_string()).unwrap_or_default()])
            .collect(),
        kept.iter().map(|e| &e.household).collect(),
    );

    let kept: Vec<_> = list.category_changes.iter().filter(|c| keep(&c.household)).collect();
    section(
        &mut out,
        "category-changes",
        "户类型变更",
        &["花名册", "入户记录"],
        kept.iter()
            .map(|c| {
                vec![
                    RosterCategory::from_code(&c.roster)
                        .map(|r| r.label().to_string())
                        .unwrap_or_else(|| c.roster.clone()),
                    c.record.label().to_string(),
                ]
            })
            .collect(),
        kept.iter().map(|c| &c.household).collect(),
    );
    out
}

/// 动态管理清单, per village.
#[component]
pub fn ChangesPage(rec: Shared<Reconciliation>, township: String) -> impl IntoView {
    let village = RwSignal::new(None::<String>);
    let options = villages(&rec)
        .into_iter()
        .map(|v| view! { <option value=v.clone()>{village_label(&v).to_string()}</option> })
        .collect_view();
    let html = {
        let rec = rec.clone();
        move || list_html(&rec.changes, village.get().as_deref())
    };
    let print = move |_| {
        let _ = window().print();
    };
    let meta = move || {
        let v =
            village.get().map(|v| village_label(&v).to_string()).unwrap_or_else(|| "全部村".into());
        format!("单位：{township}　范围：{v}　制表日期：{}", clock::today())
    };
    view! {
        <section class="ledger-page changes-page" data-ledger-page="changes">
            <h2 class="ledger-title">"动态管理清单"</h2>
            <p class="muted no-print">"入户记录与花名册相比的变化，需录入全国防返贫监测信息系统。"</p>
            <div class="roster-filters no-print">
                <label>"村 "
                    <select name="changes-village" on:change=move |ev| {
                        let v = event_target_value(&ev);
                        village.set(if v == super::ledger::ALL_VILLAGES { None } else { Some(v) });
                    }>
                        <option value=super::ledger::ALL_VILLAGES>"全部村"</option>
                        {options}
                    </select>
                </label>
            </div>
            <p class="ledger-meta">{meta}</p>
            <div class="actions no-print">
                <button type="button" class="button" data-action="print" on:click=print>"打印"</button>
            </div>
            <div inner_html=html></div>
            <p class="signature-line print-only">"填表人：__________　　审核人：__________　　乡村振兴办公室（盖章）"</p>
        </section>
    }
}
