//! CSV export of a ledger for Excel/WPS: UTF-8 with a byte-order mark (so Excel reads
//! Chinese correctly), CRLF line ends, RFC 4180 quoting, a header row, then one row per
//! household.
//!
//! Two Excel-specific protections, both on by default ([`CsvOptions`]):
//! - **ID numbers stay text.** Excel reads `150722195208193748` as a number and keeps only
//!   15 significant digits (the last three become `000`, the ID is lost). Digit cells are
//!   written as the formula `="150722195208193748"`, which Excel and WPS show as the text.
//!   Turn `excel_text` off for a plain file meant for other programs.
//! - **No formula injection.** A text cell that starts with `=`, `+`, `-`, `@` (or a tab or CR)
//!   gets a leading `'`, so a name or reason is never run as a formula.
//!
//! With `excel_text`, amounts are also written without thousands separators (`6512.50`).
//! A field with a comma, quote, CR or LF is quoted and its quotes doubled, so line breaks
//! inside a reason survive.

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
    if !options.excel_text {
        return quote(&c.text);
    }
    match c.kind {
        CellKind::Digits if !c.text.is_empty() => quote(&format!("=\"{}\"", c.text)),
        CellKind::Text if c.text.starts_with(['=', '+', '-', '@', '\t', '\r']) => {
            quote(&format!("'{}", c.text))
        }
        CellKind::Number => quote(&c.text.replace(',', "")),
        _ => quote(&c.text),
    }
}

/// RFC 4180: a field with a comma, quote, CR or LF is enclosed in quotes, quotes doubled.
pub fn quote(s: &str) -> String {
    if s.contains([',', '"', '\r', '\n']) {
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
    }
}
