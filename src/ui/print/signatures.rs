//! The signature lines of section 五: 本户排查人 and the 风险研判人 (不少于2人).

use leptos::prelude::*;

/// Typed names with a line to sign beside each; at least two lines for the assessors.
#[component]
pub fn Signatures(surveyor: String, assessors: Vec<String>) -> impl IntoView {
    let mut names = assessors;
    while names.len() < 2 {
        names.push(String::new());
    }
    view! {
        <div class="signatures">
            <p class="sign-row" data-sign="surveyor">
                <span class="sign-label">"本户排查人："</span>
                <span class="sign-name">{surveyor}</span>
                <span class="sign-label">"签字："</span><span class="sign-line"></span>
            </p>
            <p class="sign-title">"风险研判人（不少于2人）："</p>
            {names
                .into_iter()
                .map(|n| view! {
                    <p class="sign-row" data-sign="assessor">
                        <span class="sign-name">{n}</span>
                        <span class="sign-label">"签字："</span><span class="sign-line"></span>
                    </p>
                })
                .collect_view()}
        </div>
    }
}
