//! CSV export of a ledger for Excel/WPS: UTF-8 with a byte-order mark (so Excel reads
//! Chinese correctly), CRLF line ends, RFC 4180 quoting, a header row, then one row per
//! household. [`to_csv`] is the core's **only** CSV writer: the four ledgers and the
//! reconciliation ledger (`reconcile::LedgerTable`) are [`Tabular`] and go through it, and
//! every cell goes through one function, [`cell`].
//!
//! # No formula from record data (issue 14, item 8)
//!
//! A CSV opened in Excel, WPS or LibreOffice runs a cell that starts with `=`, `+`, `-` or `@`
//! as a formula (`=HYPERLINK(…)` sends a click to any address; `+cmd|' /C calc'!A0` was
//! DDE). Record data — names, reasons, villages, ID numbers as typed — is never such a cell:
//!
//! - **Text** that starts with `=`, `+`, `-`, `@`, a tab, CR or LF (OWASP's list, plus LF),
//!   their full-width forms `＝＋－＠` (a Chinese input method types them), or `'` itself
//!   gets a leading `'` (OWASP's CSV injection advice). Excel shows the `'`, which is the
//!   price: the cell is text. Prefixing `'` too keeps it reversible: a cell starting with `'`
//!   is always the value with one `'` added ([`uncell`] undoes it).
//! - **Quotes** inside a field are doubled and the field quoted (RFC 4180), so `"` cannot end
//!   a field early; a comma, CR, LF or tab quotes the field too.
//! - **ID numbers stay text** ([`CellKind::Digits`]). Excel reads `150722195208193748` as a
//!   number and keeps 15 significant digits (the ID is lost). Such a cell is written as the
//!   formula `="150722195208193748"`, shown by Excel and WPS as the text — but **only when it
//!   is 1 to 20 ASCII letters and digits** (an 18-character ID, a 20-character 残疾人证
//!   number, a 户编号): a string literal without `"` cannot be closed early, so there is
//!   nothing to break out of. Anything else in an ID column (`1"&HYPERLINK(…)&"`, an ID of 25
//!   characters) is written as guarded text instead, never into a formula. Why not the
//!   other tricks: a leading tab (`\t150722…`) keeps the digits but puts a tab into the value,
//!   which a clerk then pastes into the national system; a leading `'` is shown by Excel as
//!   part of a CSV cell. `="…"` shows and copies exactly the ID.
//! - **Numbers** ([`CellKind::Number`]) are written as numbers (without thousands separators
//!   with `excel_text`) only when they are one (`-5.00`, `6512.50`); **dates** only when they
//!   are `YYYY-MM-DD`. Anything else in those columns is guarded text.
//!
//! The plain variant (`excel_text: false`, for other programs) writes ID numbers and amounts
//! as they are but guards text the same way: a file meant for a program still ends up in a
//! spreadsheet.

use super::ledgers::{Cell, CellKind, Tabular};

/// How to write the CSV.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CsvOptions {
    /// Start with the UTF-8 byte-order mark `EF BB BF`.
    pub bom: bool,
    /// Write ID numbers as `="…"` and guard text against formulas (for Excel and WPS).
    pub excel_text: bool,
}

impl Default for CsvOptions {
    fn default() -> Self {
        CsvOptions { bom: true, excel_text: true }
    }
}

/// The UTF-8 byte-order mark.
pub const BOM: &[u8] = b"\xEF\xBB\xBF";

/// The ledger as CSV bytes with the default options (BOM, Excel-safe ID numbers).
pub fn to_csv<T: Tabular>(table: &T) -> Vec<u8> {
    to_csv_with(table, CsvOptions::default())
}

/// The ledger as CSV bytes.
pub fn to_csv_with<T: Tabular>(table: &T, options: CsvOptions) -> Vec<u8> {
    let rows = table.table_rows();
    let mut out = String::with_capacity(64 * (rows.len() + 1) * table.columns().len());
    let header: Vec<String> = table.columns().iter().map(|c| quote(c)).collect();
    out.push_str(&header.join(","));
    out.push_str("\r\n");
    for (_, cells) in &rows {
        let fields: Vec<String> = cells.iter().map(|c| field(c, options)).collect();
        out.push_str(&fields.join(","));
        out.push_str("\r\n");
    }
    let mut bytes = Vec::with_capacity(out.len() + 3);
    if options.bom {
        bytes.extend_from_slice(BOM);
    }
    bytes.extend_from_slice(out.as_bytes());
    bytes
}

fn field(c: &Cell, options: CsvOptions) -> String {
    quote(&cell(&c.text, c.kind, options.excel_text))
}

/// What a spreadsheet cell holds for `text` of `kind` (before RFC 4180 quoting): the one rule
/// of every CSV the core writes (see the module docs). `excel` writes ID numbers as
/// `="…"` and amounts without separators.
pub fn cell(text: &str, kind: CellKind, excel: bool) -> String {
    match kind {
        CellKind::Digits if is_plain_code(text) => {
            if excel {
                format!("=\"{text}\"")
            } else {
                text.to_string()
            }
        }
        CellKind::Number if is_number(text) => {
            if excel {
                text.replace(',', "")
            } else {
                text.to_string()
            }
        }
        CellKind::Date if is_date(text) => text.to_string(),
        _ => guarded(text),
    }
}

/// Text as a cell that no spreadsheet runs: a leading `'` when it starts like a formula (or
/// with `'`).
pub fn guarded(text: &str) -> String {
    if text.starts_with(FORMULA_STARTS) {
        format!("'{text}")
    } else {
        text.to_string()
    }
}

/// The characters a cell may not start with as it is: a spreadsheet's formula starts (`=`,
/// `+`, `-`, `@`, with tab, CR and LF before them), their full-width forms, and the guard `'`.
pub const FORMULA_STARTS: [char; 12] =
    ['=', '+', '-', '@', '\t', '\r', '\n', '＝', '＋', '－', '＠', '\''];

/// The value of a cell written by [`cell`] (after RFC 4180 unquoting): `="…"` and the guard
/// `'` taken off. For tests and for reading back a ledger.
pub fn uncell(cell: &str) -> &str {
    if let Some(inner) = cell.strip_prefix("=\"").and_then(|c| c.strip_suffix('"')) {
        if is_plain_code(inner) {
            return inner;
        }
    }
    cell.strip_prefix('\'').filter(|rest| rest.starts_with(FORMULA_STARTS)).unwrap_or(cell)
}

/// 1 to 20 ASCII letters and digits: safe inside `="…"`.
fn is_plain_code(s: &str) -> bool {
    (1..=20).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_alphanumeric())
}

/// `-1,234.50`, `12`, `0.5`: a number a spreadsheet reads as one (separators optional).
fn is_number(s: &str) -> bool {
    let digits = s.strip_prefix('-').unwrap_or(s);
    let (int, frac) = digits.split_once('.').unwrap_or((digits, "0"));
    !int.is_empty()
        && int.bytes().all(|b| b.is_ascii_digit() || b == b',')
        && int.as_bytes()[0].is_ascii_digit()
        && !frac.is_empty()
        && frac.bytes().all(|b| b.is_ascii_digit())
}

/// `YYYY-MM-DD`.
fn is_date(s: &str) -> bool {
    s.len() == 10
        && s.bytes()
            .enumerate()
            .all(|(i, b)| if i == 4 || i == 7 { b == b'-' } else { b.is_ascii_digit() })
}

/// RFC 4180: a field with a comma, quote, CR or LF is enclosed in quotes, quotes doubled;
/// a tab too (a reader that guesses the delimiter, Excel's import among them, may split there).
pub fn quote(s: &str) -> String {
    if s.contains([',', '"', '\r', '\n', '\t']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoting() {
        assert_eq!(quote("敖福山"), "敖福山");
        assert_eq!(quote("a,b"), "\"a,b\"");
        assert_eq!(quote("他说\"好\""), "\"他说\"\"好\"\"\"");
        assert_eq!(quote("两行\r\n文字"), "\"两行\r\n文字\"");
    }

    #[test]
    fn excel_fields() {
        let o = CsvOptions::default();
        assert_eq!(
            field(&Cell::digits("150722195208193748"), o),
            "\"=\"\"150722195208193748\"\"\""
        );
        assert_eq!(field(&Cell::text("=1+2"), o), "'=1+2");
        assert_eq!(field(&Cell::number("12,345.60"), o), "12345.60");
        assert_eq!(field(&Cell::number("-5.00"), o), "-5.00");
        let plain = CsvOptions { bom: false, excel_text: false };
        assert_eq!(field(&Cell::digits("150722195208193748"), plain), "150722195208193748");
        // The plain variant guards text too.
        assert_eq!(field(&Cell::text("@SUM(A1)"), plain), "'@SUM(A1)");
    }

    /// Hostile values in every kind of cell: none starts a formula except `="…"` of letters
    /// and digits, and every one reads back as it was.
    #[test]
    fn hostile_cells() {
        let hostile = [
            "=1+1",
            "1\"&HYPERLINK(\"http://x\")&\"",
            "@SUM(A1)",
            "+cmd|' /C calc'!A0",
            "-2+3",
            "\t=1",
            "\r=1",
            "\n=1",
            "a\n=1",
            "\"=1\"",
            "'=1",
            "''",
            "＝1+1",
            "－1",
            "=HYPERLINK(\"http://x\",\"点\")",
            "1507221952081937480000000",
            "15072219520819374X",
            "-",
            "",
        ];
        for excel in [true, false] {
            for kind in [CellKind::Text, CellKind::Digits, CellKind::Number, CellKind::Date] {
                for h in hostile {
                    let c = cell(h, kind, excel);
                    let live = c.starts_with([
                        '=', '+', '-', '@', '\t', '\r', '\n', '＝', '＋', '－', '＠',
                    ]);
                    let id_text = c.starts_with("=\"") && is_plain_code(&c[2..c.len() - 1]);
                    assert!(!live || id_text, "{kind:?} {h:?} → {c:?}");
                    assert_eq!(uncell(&c), h, "{kind:?} {h:?} → {c:?} reads back");
                }
            }
        }
        assert_eq!(
            cell("1\"&HYPERLINK(\"http://x\")&\"", CellKind::Digits, true),
            "1\"&HYPERLINK(\"http://x\")&\""
        );
        assert_eq!(
            cell("1507221952081937480000000", CellKind::Digits, true),
            "1507221952081937480000000"
        );
        assert_eq!(cell("15072219520819374X", CellKind::Digits, true), "=\"15072219520819374X\"");
    }
}
