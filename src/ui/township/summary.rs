//! The 汇总 tab: the village table with the township's total, the households behind a
//! tapped figure, and the charts.
//!
//! The table has one row per figure and one column per village plus `<乡>合计`; on a phone it
//! scrolls sideways with the row names kept in view. Blocks and keys (`figures.rs`; the key is
//! on each cell as `data-figure`, with `data-village` or `data-total`):
//!
//! | block | rows (key) |
//! |---|---|
//! | 核查情况 | 核查户数 `households`, 人口 `people` (people), 有错误未定稿 `incomplete` |
//! | 户属性 | the six A1 categories `category:<code>` (+ 未填写 when any), 脱贫户合计 `exited`, 监测对象合计 `monitored`, 监测对象人口 `monitored_people` |
//! | 新识别 | 系统建议纳入监测 `identify_suggested` (engine `identify = yes`), 研判拟纳入监测 `identify_decided` (`judgement.identify` yes, not yet monitored) |
//! | 风险信号（户） | 有风险信号 `at_risk`, one `risk:<code>` per risk rule of the catalogue, 收入接近监测标准 `near_line` |
//! | 重点人群（人） | each group `key_group:<code>` (members), 合计 `key_group_people`, 涉及户数 `key_group_households` |
//! | 风险消除（监测对象） | 已消除风险 `eliminated`, 帮扶消除 `eliminated_assisted`, 自然消除 `eliminated_natural`, 未在系统标注消除 `eliminated_unmarked`, 未消除风险 `not_eliminated` (monitored − eliminated) |
//! | 台账（户） | `ledger:special-archive`, `ledger:verification`, 识别1年以上未消除 `unresolved_over_year`, 有劳动能力未落实开发式帮扶 `development_missing`, `ledger:monitoring` |
//!
//! **Tap a number** → below the table, the households behind it (`Summary::lines`): village,
//! group, head, size, category, per-capita income, the engine's verdict; each links to its
//! record's editor (`app.html#/h/<record id>`) and to its print view. 100 at a time
//! (`再显示 N 户`). People figures say `N 人，M 户`.
//!
//! **Charts** (SVG strings from `township::charts`, shown as they are): households per village
//! stacked by 户属性 — tap a segment for that village's households of that category; per-capita
//! net income of every household against the monitoring line and the warning band — tap a dot
//! for that household. The table is the accessible path to the same lists (the SVG marks are
//! not focusable).

use leptos::prelude::*;

use super::chart::Chart;
use super::data::Computed;
use super::figure_list::FigureList;
use super::village_table::VillageTable;

/// 汇总: figures per village and for the township.
#[component]
pub fn SummaryPage(computed: Computed) -> impl IntoView {
    let view = computed.view.clone();
    view! {
        <div class="township-summary">
            <h2 class="print-title">{format!("{}防返贫监测核查汇总（{}）", view.summary.township_name, computed.period.label())}</h2>
            <VillageTable computed=computed.clone()/>
            <FigureList computed=computed.clone()/>
            <h2>"图表"</h2>
            <p class="muted no-print">"点击图中的色条或圆点，列出对应的农户。"</p>
            <Chart svg=view.bars_svg.clone() name="village-bars"/>
            <Chart svg=view.income_svg.clone() name="income-strip"/>
        </div>
    }
}
