//! The signature lines of section 五: 本户排查人 and the 风险研判人 (不少于2人), and 户主 when
//! the head signed in the app.
//!
//! Each line is the typed name and a line to sign on (`.sign-line`). A signature made in the
//! app (`ui/evidence/signatures.rs`, whose [`lines`] this prints) is drawn on its line as an
//! `<img src="data:image/svg+xml;base64,…">` of the stored SVG, sized to the line by
//! `style/township.css` (`.sign-line.signed`, `.sign-img`): vector, so it is sharp on paper at
//! any size. A signature made before a later change has 签字后有修改 printed beside it
//! (`.sign-stale`). A line with no signature stays blank, to be signed by hand.

use crate::core::record::{Household, SignRole};
use crate::ui::evidence::signatures::{lines, Line};
use crate::ui::township::html::esc;

/// The line to sign on: the signature when there is one, else blank.
fn sign_line(out: &mut String, line: &Line) {
    match &line.signed {
        Some(s) => {
            out.push_str("<span class=\"sign-line signed\">");
            match &s.src {
                Some(src) => out.push_str(&format!(
                    "<img class=\"sign-img\" src=\"{}\" alt=\"{}的签名\">",
                    esc(src),
                    esc(&s.signer)
                )),
                None => out.push_str("<span class=\"small\">（签名数据无法显示）</span>"),
            }
            out.push_str("</span>");
            if s.stale {
                out.push_str("<span class=\"sign-stale\">签字后有修改</span>");
            }
        }
        None => out.push_str("<span class=\"sign-line\"></span>"),
    }
}

/// Typed names with a line to sign beside each (the signature on it when signed in the app);
/// at least two lines for the assessors.
pub fn signatures(out: &mut String, h: &Household) {
    let all = lines(h);
    out.push_str("<div class=\"signatures\">");
    for line in all.iter().filter(|l| l.role == SignRole::Surveyor) {
        out.push_str("<p class=\"sign-row\" data-sign=\"surveyor\"><span class=\"sign-label\">本户排查人：</span>");
        out.push_str(&format!("<span class=\"sign-name\">{}</span>", esc(&line.name)));
        out.push_str("<span class=\"sign-label\">签字：</span>");
        sign_line(out, line);
        out.push_str("</p>");
    }
    out.push_str("<p class=\"sign-title\">风险研判人（不少于2人）：</p>");
    for line in all.iter().filter(|l| l.role == SignRole::Assessor) {
        out.push_str(&format!(
            "<p class=\"sign-row\" data-sign=\"assessor\"><span class=\"sign-name\">{}</span><span class=\"sign-label\">签字：</span>",
            esc(&line.name)
        ));
        sign_line(out, line);
        out.push_str("</p>");
    }
    // The paper form has no line for the head; printed only when the head signed in the app.
    for line in all.iter().filter(|l| l.role == SignRole::Head && l.signed.is_some()) {
        out.push_str(
            "<p class=\"sign-row\" data-sign=\"head\"><span class=\"sign-label\">户主：</span>",
        );
        out.push_str(&format!("<span class=\"sign-name\">{}</span>", esc(&line.name)));
        out.push_str("<span class=\"sign-label\">签字：</span>");
        sign_line(out, line);
        out.push_str("</p>");
    }
    out.push_str("</div>");
}
