//! The signature lines of section 五: 本户排查人 and the 风险研判人 (不少于2人).

use crate::ui::township::html::esc;

/// Typed names with a line to sign beside each; at least two lines for the assessors.
pub fn signatures(out: &mut String, surveyor: &str, assessors: &[String]) {
    out.push_str("<div class=\"signatures\"><p class=\"sign-row\" data-sign=\"surveyor\"><span class=\"sign-label\">本户排查人：</span>");
    out.push_str(&format!("<span class=\"sign-name\">{}</span>", esc(surveyor)));
    out.push_str("<span class=\"sign-label\">签字：</span><span class=\"sign-line\"></span></p><p class=\"sign-title\">风险研判人（不少于2人）：</p>");
    let blanks = 2usize.saturating_sub(assessors.len());
    for name in assessors.iter().map(String::as_str).chain(std::iter::repeat_n("", blanks)) {
        out.push_str(&format!(
            "<p class=\"sign-row\" data-sign=\"assessor\"><span class=\"sign-name\">{}</span><span class=\"sign-label\">签字：</span><span class=\"sign-line\"></span></p>",
            esc(name)
        ));
    }
    out.push_str("</div>");
}
