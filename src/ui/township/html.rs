//! HTML written as text for the large read-only parts of these pages (the village table, the
//! ledgers, the lists behind figures, the printed record). They are rendered once from the
//! computed figures and never change in place, so a string set as `inner_html` does the job
//! of a tree of view types at a fraction of the code size (the first-load budget); taps are
//! handled by one listener on the container, reading `data-*` attributes. Every text goes
//! through [`esc`].
//!
//! Against `view!` trees this cut 36 KB gzip of the office's bundle when these pages landed
//! (`tests/bench/README.md`, *First-load size*). A head's name or 村民小组 holding HTML shows as
//! text and runs nothing (checked by `township.spec.mjs`).

use std::fmt::Write;

pub use crate::core::township::charts::escape as esc;

/// Appends HTML as it is.
pub fn raw(out: &mut String, s: &str) {
    out.push_str(s);
}

/// Appends escaped text.
pub fn text(out: &mut String, s: &str) {
    out.push_str(&esc(s));
}

/// `<tag attrs>escaped text</tag>`; `attrs` are written as given (escape their values).
pub fn el(out: &mut String, tag: &str, attrs: &str, body: &str) {
    let _ = write!(
        out,
        "<{tag}{}{attrs}>{}</{tag}>",
        if attrs.is_empty() { "" } else { " " },
        esc(body)
    );
}

/// ` name="value"` with the value escaped.
pub fn attr(name: &str, value: &str) -> String {
    format!(" {name}=\"{}\"", esc(value))
}
