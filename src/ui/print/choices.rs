//! Printed tick boxes, as on the paper form (□ 是 ■ 否).

use crate::ui::township::html::esc;

/// A row of options; a ticked box is drawn checked.
pub fn choices(out: &mut String, options: &[(&str, bool)]) {
    for (label, on) in options {
        out.push_str(if *on {
            "<span class=\"choice on\" data-on=\"true\">"
        } else {
            "<span class=\"choice\" data-on=\"false\">"
        });
        out.push_str("<span class=\"box\" aria-hidden=\"true\"></span>");
        out.push_str(&esc(label));
        out.push_str("</span>");
    }
}

/// 是 / 否 for a yes-no answer (neither ticked when unanswered).
pub fn yes_no(out: &mut String, answer: Option<bool>) {
    choices(out, &[("是", answer == Some(true)), ("否", answer == Some(false))]);
}

/// Every option of a code list, ticked when chosen.
pub fn of<T: Copy + PartialEq>(
    out: &mut String,
    all: &[T],
    chosen: &[T],
    label: impl Fn(T) -> &'static str,
) {
    let options: Vec<(&str, bool)> = all.iter().map(|&x| (label(x), chosen.contains(&x))).collect();
    choices(out, &options);
}
