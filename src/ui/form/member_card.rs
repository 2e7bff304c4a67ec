//! One member (A3–A20) as a card: a one-line summary (序号, 姓名, 关系, sex and age read from
//! the ID, `N处错误`) that opens to the questions. Birth date, age and sex are shown live from
//! the ID as it is typed.
//!
//! - The facts come from `MemberFacts::of`, the engine's own reading of the ID, with the age on
//!   the visit date. While the ID is not valid the engine's `id-number-invalid` message stands
//!   at the field instead.
//! - A4 性别 is never filled by itself: a chip `按证件号填：男` fills it on a tap.
//! - 民族: the six most common in 莫旗 as chips ([`COMMON_ETHNICITIES`]), any other typed.
//! - A14–A20 come from one table (`MEMBER_YES_NO`): one view code path for the seven.
//! - 上移 / 下移 reorder; 删除此成员 removes with 撤销 (the snackbar). The first member added
//!   to an empty household is 户主 (`members.rs`).

use leptos::prelude::*;

use crate::ui::parts::when;
use uuid::Uuid;

use crate::core::evaluation::Severity;
use crate::core::record::{Health, Member, Sex};
use crate::core::rules::MemberFacts;
use crate::ui::editor::Editing;
use crate::ui::widgets::{
    dom_id, yes_no_view, Choice, IdNumberInput, MemberRef, MultiCheck, TextInput,
};

use super::snackbar::Snackbar;
use super::FormUi;

/// The 民族 most common in 莫旗, offered as one-tap picks (any other can be typed).
pub const COMMON_ETHNICITIES: [&str; 6] =
    ["汉族", "达斡尔族", "蒙古族", "鄂温克族", "鄂伦春族", "满族"];

type YesNoAnswer = (
    &'static str,
    &'static str,
    &'static str,
    fn(&Member) -> Option<bool>,
    fn(&mut Member, Option<bool>),
);

/// A14–A20: the member's yes/no answers (a table: one view code path for the seven).
const MEMBER_YES_NO: [YesNoAnswer; 7] = [
    (
        "medical_insurance",
        "A14",
        "是否参加城乡居民基本医疗保险",
        |x| x.medical_insurance,
        |x, v| x.medical_insurance = v,
    ),
    (
        "critical_illness_insurance",
        "A15",
        "是否参加大病保险",
        |x| x.critical_illness_insurance,
        |x, v| x.critical_illness_insurance = v,
    ),
    (
        "medical_assistance",
        "A16",
        "是否接受医疗救助",
        |x| x.medical_assistance,
        |x, v| x.medical_assistance = v,
    ),
    ("dibao", "A17", "是否享受农村居民最低生活保障", |x| x.dibao, |x, v| x.dibao = v),
    ("tekun", "A18", "是否享受特困供养", |x| x.tekun, |x, v| x.tekun = v),
    (
        "pension_insurance",
        "A19",
        "是否参加城乡居民基本养老保险",
        |x| x.pension_insurance,
        |x, v| x.pension_insurance = v,
    ),
    (
        "relocated",
        "A20",
        "是否易地扶贫搬迁（同步搬迁人口）",
        |x| x.relocated,
        |x, v| x.relocated = v,
    ),
];

/// What a member's ID number tells, for the summary and the live line under the ID.
#[derive(Clone, Debug, PartialEq)]
struct IdFacts {
    birth: Option<chrono::NaiveDate>,
    age: Option<u32>,
    sex: Option<Sex>,
}

/// One member's card.
#[component]
pub fn MemberCard(id: Uuid, index: usize, count: Memo<usize>) -> impl IntoView {
    let Editing { record, evaluation } = expect_context::<Editing>();
    let ui = expect_context::<FormUi>();
    let m = MemberRef::new(record, id, index);
    let open = Memo::new(move |_| ui.open_members.with(|v| v.contains(&id)));
    let visit = Memo::new(move |_| record.with(|h| h.visit.date));
    let facts = Memo::new(move |_| {
        let visit = visit.get();
        m.member.with(|mem| {
            mem.as_ref().map(|mem| {
                let f = MemberFacts::of(mem, visit);
                let info = f.info();
                IdFacts { birth: info.map(|i| i.birth), age: f.age, sex: info.map(|i| i.sex) }
            })
        })
    });
    let summary = Memo::new(move |_| {
        m.member.with(|mem| {
            mem.as_ref()
                .map(|mem| (mem.name.clone(), mem.relation.map(|r| r.label()).unwrap_or("")))
        })
    });
    let prefix = format!("members[{index}].");
    let errors = Memo::new(move |_| {
        evaluation.with(|e| {
            e.findings
                .iter()
                .filter(|f| {
                    f.severity == Severity::Error && f.paths.iter().any(|p| p.starts_with(&prefix))
                })
                .count()
        })
    });
    let toggle = move |ev: leptos::ev::MouseEvent| {
        ev.prevent_default();
        ui.open_members.update(|v| {
            if let Some(i) = v.iter().position(|x| *x == id) {
                v.remove(i);
            } else {
                v.push(id);
            }
        });
    };
    let line = move || {
        let (name, relation) = summary.get().unwrap_or_default();
        let name = if name.trim().is_empty() { "（未填姓名）".to_string() } else { name };
        let mut parts = vec![name];
        if !relation.is_empty() {
            parts.push(relation.to_string());
        }
        if let Some(f) = facts.get() {
            match (f.sex, f.age) {
                (Some(s), Some(a)) => parts.push(format!("{} {a}岁", s.label())),
                (Some(s), None) => parts.push(s.label().to_string()),
                _ => {}
            }
        }
        parts.join(" · ")
    };
    view! {
        <li class="member" id=dom_id(&format!("members[{index}]"))>
            <details prop:open=move || open.get()>
                <summary on:click=toggle>
                    <span class="seq">{index + 1}</span>
                    <span class="who">{line}</span>
                    {move || (errors.get() > 0).then(|| view! { <span class="badge error">{format!("{}处错误", errors.get())}</span> })}
                </summary>
                {when(move || open.get(), move || view! {
                    <MemberFields m=m facts=facts count=count/>
                }.into_any())}
            </details>
        </li>
    }
}

/// The questions of one member, and the card's actions.
#[component]
fn MemberFields(m: MemberRef, facts: Memo<Option<IdFacts>>, count: Memo<usize>) -> impl IntoView {
    let Editing { record, .. } = expect_context::<Editing>();
    let snackbar = expect_context::<Snackbar>();
    let ui = expect_context::<FormUi>();
    let id = m.id;
    let sex_lens = m.lens("sex", |x| x.sex, |x, v| x.sex = v);
    let sex = sex_lens.memo(record);
    let ethnicity = m.lens("ethnicity", |x| x.ethnicity.clone(), |x, v| x.ethnicity = v);
    let ethnicity_value = ethnicity.memo(record);

    let live = move || {
        facts.get().and_then(|f| {
            let birth = f.birth?;
            let mut text = format!("出生日期 {}", birth.format("%Y-%m-%d"));
            if let Some(a) = f.age {
                text.push_str(&format!(" · {a}岁"));
            }
            if let Some(s) = f.sex {
                text.push_str(&format!(" · {}", s.label()));
            }
            Some(view! { <p class="id-facts" data-testid="id-facts">{text}</p> })
        })
    };
    // One tap fills A4 from the ID when it is unanswered (never filled without a tap).
    let sex_from_id = {
        let sex_lens = sex_lens.clone();
        move || {
            let from_id = facts.get().and_then(|f| f.sex)?;
            if sex.get().is_some() {
                return None;
            }
            let sex_lens = sex_lens.clone();
            Some(view! {
                <div class="chips quick">
                    <button type="button" class="chip" on:click=move |_| sex_lens.write(record, Some(from_id))>
                        {format!("按证件号填：{}", from_id.label())}
                    </button>
                </div>
            })
        }
    };
    let ethnic_picks = {
        let ethnicity = ethnicity.clone();
        COMMON_ETHNICITIES
            .iter()
            .map(|&name| {
                let ethnicity = ethnicity.clone();
                view! {
                    <button type="button" role="radio" class="chip"
                        aria-checked=move || if ethnicity_value.with(|v| v == name) { "true" } else { "false" }
                        on:click=move |_| ethnicity.write(record, name.to_string())>{name}</button>
                }
            })
            .collect_view()
    };

    let move_by = move |delta: isize| {
        record.update(|h| {
            if let Some(i) = h.members.iter().position(|x| x.id == id) {
                let j = i as isize + delta;
                if j >= 0 && (j as usize) < h.members.len() {
                    h.members.swap(i, j as usize);
                }
            }
        });
    };
    let remove = move |_| {
        let removed = record.with_untracked(|h| {
            h.members.iter().position(|x| x.id == id).map(|i| (i, h.members[i].clone()))
        });
        let Some((i, member)) = removed else { return };
        record.update(|h| h.members.retain(|x| x.id != id));
        ui.open_members.update(|v| v.retain(|x| *x != id));
        let name = if member.name.trim().is_empty() {
            format!("第{}位成员", i + 1)
        } else {
            member.name.clone()
        };
        snackbar.offer_undo(format!("已删除{name}"), move |h| {
            if !h.members.iter().any(|x| x.id == member.id) {
                let at = i.min(h.members.len());
                h.members.insert(at, member.clone());
            }
        });
    };
    let first = m.index == 0;
    let last = Memo::new(move |_| count.get() == m.index + 1);

    view! {
        <div class="member-body">
            <TextInput lens=m.lens("name", |x| x.name.clone(), |x, v| x.name = v) code="A3" label="姓名" autocomplete="off"/>
            <Choice lens=m.lens("id_type", |x| x.id_type, |x, v| x.id_type = v) code="A5" label="证件类型"/>
            <IdNumberInput lens=m.lens("id_number", |x| x.id_number.clone(), |x, v| x.id_number = v)
                code="A6" label="居民身份证（残疾人证）号码" hint="残疾人证号为20位：身份证号+残疾类别+残疾等级">
                {live}
            </IdNumberInput>
            <Choice lens=sex_lens code="A4" label="性别"/>
            {sex_from_id}
            <Choice lens=m.lens("relation", |x| x.relation, |x, v| x.relation = v) code="A7" label="与户主关系"/>
            <TextInput lens=ethnicity code="A8" label="民族">
                <div class="chips quick" role="radiogroup" aria-label="常见民族">{ethnic_picks}</div>
            </TextInput>
            <Choice lens=m.lens("political", |x| x.political, |x, v| x.political = v) code="A9" label="政治面貌"/>
            <MultiCheck lens=m.lens("health", |x| x.health.clone(), |x, v| x.health = v) code="A10" label="健康状况"
                hint="“健康”与其他项互斥；长期慢性病、患有大病、残疾可同时选" exclusive=Health::Healthy/>
            {crate::ui::parts::when(move || m.member.with(|x| x.as_ref().is_some_and(|x| x.health.iter().any(|h| matches!(h, Health::Disabled | Health::SeriousIllness)))), move || view! {
                <crate::ui::evidence::field_photos::FieldPhotos path=format!("members[{}].health", m.index) member=id/>
            }.into_any())}
            <Choice lens=m.lens("education", |x| x.education, |x, v| x.education = v) code="A11" label="文化程度"/>
            <Choice lens=m.lens("labor", |x| x.labor, |x, v| x.labor = v) code="A12" label="劳动技能"/>
            <Choice lens=m.lens("work_area", |x| x.work_area, |x, v| x.work_area = v) code="A13" label="务工区域" none_label="不外出务工"/>
            {MEMBER_YES_NO.iter().map(|&(key, code, label, get, set)| yes_no_view(m.lens(key, get, set), code, label.to_string(), "", "是", "否")).collect_view()}
            <div class="member-actions">
                <button type="button" class="button" disabled=first on:click=move |_| move_by(-1)>"上移"</button>
                <button type="button" class="button" disabled=move || last.get() on:click=move |_| move_by(1)>"下移"</button>
                <button type="button" class="button danger" on:click=remove>"删除此成员"</button>
            </div>
        </div>
    }
}
