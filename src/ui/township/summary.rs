//! The 汇总 tab: the village table with the township's total, the households behind a
//! tapped figure, and the charts.

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
