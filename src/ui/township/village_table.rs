//! The village table: one row per figure, one column per village and one for the township.
//! A figure above zero is a button listing its households.

use leptos::prelude::*;

use super::data::{mark, Computed, Drill, TownshipData};
use super::figures::{figure, rows};

/// Figures by village, with the township's total in the last column.
#[component]
pub fn VillageTable(computed: Computed) -> impl IntoView {
    let data = expect_context::<TownshipData>();
    let summary = &computed.view.summary;
    let villages: Vec<String> = summary.villages.iter().map(|t| t.name.clone()).collect();
    let columns = villages.len() + 2;
    let total_name = format!("{}合计", summary.township_name);

    let cell = move |key: String, village: Option<String>, count: usize, people: bool| {
        let unit = if people { "人" } else { "户" };
        let title = format!("{}{count}{unit}", village.clone().unwrap_or_default());
        let content = if count == 0 {
            view! { <span class="zero">"0"</span> }.into_any()
        } else {
            let drill = Drill { key: key.clone(), village: village.clone() };
            view! {
                <button type="button" class="fig" title=title
                    on:click=move |_| data.drill.set(Some(drill.clone()))>{count}</button>
            }
            .into_any()
        };
        match village {
            Some(v) => view! { <td data-figure=key data-village=v>{content}</td> }.into_any(),
            None => view! { <td class="total" data-figure=key data-total="">{content}</td> }.into_any(),
        }
    };

    let mut last_group = "";
    let body = rows(summary)
        .into_iter()
        .map(|row| {
            let header = (row.group != last_group).then(|| {
                last_group = row.group;
                view! { <tr class="group"><th colspan=columns scope="colgroup">{row.group}</th></tr> }
            });
            let cells = summary
                .villages
                .iter()
                .map(|t| {
                    let count = figure(t, &row.key).map(|f| f.count).unwrap_or(0);
                    cell(row.key.clone(), Some(t.name.clone()), count, row.people)
                })
                .collect_view();
            let total = figure(&summary.township, &row.key).map(|f| f.count).unwrap_or(0);
            view! {
                {header}
                <tr data-row=row.key.clone()>
                    <th scope="row">{row.label.clone()}</th>
                    {cells}
                    {cell(row.key.clone(), None, total, row.people)}
                </tr>
            }
        })
        .collect_view();

    // The benchmark's end mark: the table is in the document.
    Effect::new(move |_| mark("township-rendered"));

    view! {
        <div class="table-scroll">
            <table class="village-table" data-testid="village-table">
                <thead>
                    <tr>
                        <th scope="col">"指标"</th>
                        {villages.into_iter().map(|v| view! { <th scope="col">{v}</th> }).collect_view()}
                        <th scope="col" class="total">{total_name}</th>
                    </tr>
                </thead>
                <tbody>{body}</tbody>
            </table>
        </div>
    }
}
