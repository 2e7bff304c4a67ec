//! The grid under a roster: sheets of rows of [`Cell`]s, read from CSV text or (feature
//! `xlsx`) from an .xlsx/.xls workbook. Nothing here knows what a column means.
//!
//! Row numbers are the spreadsheet's own (the first row is 1): a workbook's cells carry
//! their position (an .xls range starts at the first non-empty cell: its offset is added
//! back); a CSV record spanning several lines (a quoted line break) is one row, as Excel
//! shows it. Blank rows are left out (the numbers of the others do not change).

/// One cell as the file holds it. A number stays a number: whether that is acceptable is the
/// column's business (an ID number that Excel turned into `1.50722E+17` has lost digits).
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Empty,
    /// Text (shared: a workbook's shared string is one allocation however often it is used).
    Text(std::rc::Rc<str>),
    Number(f64),
    /// A date cell of a workbook (the serial day converted).
    Date(chrono::NaiveDate),
    Bool(bool),
    /// A cell holding an Excel error (`#N/A`, `#VALUE!`), as text.
    Error(String),
}

impl Cell {
    /// The cell as text: numbers as Excel shows them in the General format for integers
    /// (`13812345678`), otherwise the shortest form that reads back the same.
    pub fn text(&self) -> String {
        match self {
            Cell::Empty => String::new(),
            Cell::Text(s) => s.trim().to_string(),
            Cell::Error(s) => s.trim().to_string(),
            Cell::Number(n) => number_text(*n),
            Cell::Date(d) => d.format("%Y-%m-%d").to_string(),
            Cell::Bool(b) => if *b { "是" } else { "否" }.to_string(),
        }
    }

    /// Empty, or text of spaces only.
    pub fn is_blank(&self) -> bool {
        match self {
            Cell::Empty => true,
            Cell::Text(s) => s.trim().is_empty(),
            _ => false,
        }
    }
}

/// `13812345678.0` → `13812345678`; `6500.5` → `6500.5`.
pub fn number_text(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        format!("{n}")
    }
}

/// One sheet: its name (`None` for a CSV file) and its rows, each with its spreadsheet row
/// number.
#[derive(Debug, Clone, PartialEq)]
pub struct Sheet {
    pub name: Option<String>,
    pub rows: Vec<Row>,
}

/// One row and the number the spreadsheet shows for it.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub number: u32,
    pub cells: Vec<Cell>,
}

impl Row {
    pub fn cell(&self, col: usize) -> &Cell {
        self.cells.get(col).unwrap_or(&Cell::Empty)
    }
}

/// Which kind of file the bytes are, by their first bytes (never by the file name).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    /// A zip container: .xlsx.
    Xlsx,
    /// An OLE2 compound file: .xls (BIFF8).
    Xls,
    /// Anything else is read as CSV text.
    Csv,
}

/// Detects the kind of file.
pub fn kind(bytes: &[u8]) -> FileKind {
    if bytes.starts_with(b"PK\x03\x04") {
        FileKind::Xlsx
    } else if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
        FileKind::Xls
    } else {
        FileKind::Csv
    }
}

/// The encoding a CSV file was read in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Utf8,
    Gbk,
    Utf16,
}

impl Encoding {
    pub fn label(self) -> &'static str {
        match self {
            Encoding::Utf8 => "UTF-8",
            Encoding::Gbk => "GBK",
            Encoding::Utf16 => "UTF-16",
        }
    }
}

/// The text of a CSV file: a UTF-16 BOM → UTF-16 (Excel's "Unicode text"); a UTF-8 BOM or
/// valid UTF-8 → UTF-8; anything else → GBK (Excel's "CSV" on a Chinese Windows), which must
/// decode without a malformed byte (feature `gbk`; without it, such a file is refused with
/// the hint to save it as UTF-8).
pub fn decode(bytes: &[u8]) -> Result<(String, Encoding), String> {
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return std::str::from_utf8(rest)
            .map(|s| (s.to_string(), Encoding::Utf8))
            .map_err(|_| "文件以 UTF-8 标记开头，但内容不是有效的 UTF-8 文本".to_string());
    }
    let utf16 = |rest: &[u8], unit: fn([u8; 2]) -> u16| {
        let units: Vec<u16> =
            rest.chunks(2).map(|c| unit([c[0], *c.get(1).unwrap_or(&0)])).collect();
        String::from_utf16(&units)
            .map(|s| (s, Encoding::Utf16))
            .map_err(|_| "文件是 UTF-16 编码，但其中有无法识别的字节".to_string())
    };
    if let Some(rest) = bytes.strip_prefix(&[0xFF, 0xFE]) {
        return utf16(rest, u16::from_le_bytes);
    }
    if let Some(rest) = bytes.strip_prefix(&[0xFE, 0xFF]) {
        return utf16(rest, u16::from_be_bytes);
    }
    if let Ok(s) = std::str::from_utf8(bytes) {
        return Ok((s.to_string(), Encoding::Utf8));
    }
    gbk(bytes)
}

#[cfg(feature = "gbk")]
fn gbk(bytes: &[u8]) -> Result<(String, Encoding), String> {
    match encoding_rs::GBK.decode_without_bom_handling_and_without_replacement(bytes) {
        Some(text) => Ok((text.into_owned(), Encoding::Gbk)),
        None => Err("既不是 UTF-8 也不是 GBK 编码的文本，也不是 Excel 表格（.xlsx/.xls）".into()),
    }
}

#[cfg(not(feature = "gbk"))]
fn gbk(_: &[u8]) -> Result<(String, Encoding), String> {
    Err("不是 UTF-8 编码的文本（可能是 GBK 编码的 CSV，这个版本不读取）：请在 Excel 中另存为“CSV UTF-8”后再导入".into())
}

/// Splits CSV text into rows (RFC 4180: `"` quotes, `""` inside quotes, line breaks inside
/// quotes; a quote inside an unquoted field is kept as it is). The delimiter is a comma, or a
/// tab when the first lines hold more tabs than commas (Excel's "Unicode text" and some
/// exports). Trailing blank rows are dropped. Scans bytes: the delimiter, quote and line
/// breaks are ASCII, so every cut is at a character boundary.
pub fn parse_csv(text: &str) -> Sheet {
    let head: String = text.lines().take(5).collect();
    let delim = if head.matches('\t').count() > head.matches(',').count() { b'\t' } else { b',' };
    let b = text.as_bytes();
    let n = b.len();
    let stop = |c: u8| c == delim || c == b'\n' || c == b'\r';
    let field_end = |from: usize| b[from..].iter().position(|&c| stop(c)).map_or(n, |k| from + k);
    let mut rows = Vec::new();
    let mut cells = Vec::new();
    let mut number = 1u32;
    let mut i = 0;
    while i < n {
        let cell = if b[i] == b'"' {
            let mut s = String::new();
            i += 1;
            loop {
                match b[i..].iter().position(|&c| c == b'"') {
                    Some(k) => {
                        s.push_str(&text[i..i + k]);
                        i += k + 1;
                        if i < n && b[i] == b'"' {
                            s.push('"');
                            i += 1;
                        } else {
                            break;
                        }
                    }
                    None => {
                        s.push_str(&text[i..]);
                        i = n;
                        break;
                    }
                }
            }
            let end = field_end(i);
            s.push_str(&text[i..end]);
            i = end;
            Cell::text_cell(s)
        } else {
            let end = field_end(i);
            let field = &text[i..end];
            i = end;
            if field.is_empty() {
                Cell::Empty
            } else {
                Cell::Text(field.into())
            }
        };
        cells.push(cell);
        if i >= n {
            break;
        }
        if b[i] == delim {
            i += 1;
            if i == n {
                cells.push(Cell::Empty);
            }
            continue;
        }
        // A line break: `\r\n`, `\n` or `\r`.
        i += if b[i] == b'\r' && b.get(i + 1) == Some(&b'\n') { 2 } else { 1 };
        rows.push(Row { number, cells: std::mem::take(&mut cells) });
        number += 1;
    }
    if !cells.is_empty() {
        rows.push(Row { number, cells });
    }
    while rows.last().is_some_and(|r| r.cells.iter().all(Cell::is_blank)) {
        rows.pop();
    }
    Sheet { name: None, rows }
}

impl Cell {
    fn text_cell(s: String) -> Cell {
        if s.is_empty() {
            Cell::Empty
        } else {
            Cell::Text(s.into())
        }
    }
}

/// The sheets of an .xlsx or .xls workbook, in the workbook's order. An .xlsx is read cell
/// by cell (calamine's streaming reader: shared strings are borrowed, no range of every cell
/// is built first); an .xls through calamine's range.
#[cfg(feature = "xlsx")]
pub fn read_workbook(bytes: &[u8]) -> Result<Vec<Sheet>, String> {
    use calamine::Reader;
    let open_err = |e: &dyn std::fmt::Display| format!("无法打开 Excel 表格（{e}）");
    let sheet_err =
        |name: &str, e: &dyn std::fmt::Display| format!("无法读取工作表“{name}”（{e}）");
    let mut sheets = Vec::new();
    if kind(bytes) == FileKind::Xlsx {
        let mut book: calamine::Xlsx<_> =
            calamine::Xlsx::new(std::io::Cursor::new(bytes)).map_err(|e| open_err(&e))?;
        for name in book.sheet_names() {
            let mut cells = book.worksheet_cells_reader(&name).map_err(|e| sheet_err(&name, &e))?;
            let mut rows: Vec<Row> = Vec::new();
            // One `Rc<str>` per shared string (by its address in the workbook's table).
            let mut shared: std::collections::HashMap<(usize, usize), std::rc::Rc<str>> =
                std::collections::HashMap::new();
            while let Some(cell) = cells.next_cell().map_err(|e| sheet_err(&name, &e))? {
                let (r, c) = cell.get_position();
                let value = match cell.get_value() {
                    calamine::DataRef::SharedString(s) if !s.is_empty() => Cell::Text(
                        shared
                            .entry((s.as_ptr() as usize, s.len()))
                            .or_insert_with(|| (*s).into())
                            .clone(),
                    ),
                    other => from_data_ref(other),
                };
                if value.is_blank() {
                    continue;
                }
                let number = r + 1;
                if rows.last().map(|row| row.number) != Some(number) {
                    rows.push(Row { number, cells: Vec::new() });
                }
                let row = rows.last_mut().expect("pushed");
                let c = c as usize;
                if row.cells.len() <= c {
                    row.cells.resize(c + 1, Cell::Empty);
                }
                row.cells[c] = value;
            }
            // The cells come row by row; keep the rows in order whatever the file does.
            rows.sort_by_key(|row| row.number);
            sheets.push(Sheet { name: Some(name), rows });
        }
        return Ok(sheets);
    }
    // Never calamine's `open_workbook_auto`: it would link the .xlsb and .ods readers too.
    let mut book: calamine::Xls<_> =
        calamine::Xls::new(std::io::Cursor::new(bytes)).map_err(|e| open_err(&e))?;
    for name in book.sheet_names() {
        let range = book.worksheet_range(&name).map_err(|e| sheet_err(&name, &e))?;
        let (row0, col0) = range.start().unwrap_or((0, 0));
        let mut rows = Vec::with_capacity(range.height());
        for (i, r) in range.rows().enumerate() {
            if r.iter().all(|d| matches!(d, calamine::Data::Empty)) {
                continue;
            }
            let mut cells = vec![Cell::Empty; col0 as usize];
            cells.extend(r.iter().map(from_data));
            rows.push(Row { number: row0 + i as u32 + 1, cells });
        }
        sheets.push(Sheet { name: Some(name), rows });
    }
    Ok(sheets)
}

#[cfg(feature = "xlsx")]
fn from_date(dt: &calamine::ExcelDateTime) -> Cell {
    if !dt.is_datetime() {
        return Cell::Number(dt.as_f64());
    }
    let (y, m, d, ..) = dt.to_ymd_hms_milli();
    chrono::NaiveDate::from_ymd_opt(y as i32, m as u32, d as u32)
        .map(Cell::Date)
        .unwrap_or(Cell::Number(dt.as_f64()))
}

#[cfg(feature = "xlsx")]
fn from_data(d: &calamine::Data) -> Cell {
    use calamine::Data;
    match d {
        Data::Empty => Cell::Empty,
        Data::String(s) => Cell::text_cell(s.clone()),
        Data::Int(n) => Cell::Number(*n as f64),
        Data::Float(f) => Cell::Number(*f),
        Data::Bool(b) => Cell::Bool(*b),
        Data::DateTime(dt) => from_date(dt),
        Data::DateTimeIso(s) | Data::DurationIso(s) => Cell::Text(s.as_str().into()),
        Data::Error(e) => Cell::Error(format!("{e}")),
    }
}

#[cfg(feature = "xlsx")]
fn from_data_ref(d: &calamine::DataRef) -> Cell {
    use calamine::DataRef;
    match d {
        DataRef::Empty => Cell::Empty,
        DataRef::String(s) => Cell::text_cell(s.clone()),
        DataRef::SharedString(s) => Cell::text_cell(s.to_string()),
        DataRef::Int(n) => Cell::Number(*n as f64),
        DataRef::Float(f) => Cell::Number(*f),
        DataRef::Bool(b) => Cell::Bool(*b),
        DataRef::DateTime(dt) => from_date(dt),
        DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => Cell::Text(s.as_str().into()),
        DataRef::Error(e) => Cell::Error(format!("{e}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_quotes_line_breaks_and_tabs() {
        let s = parse_csv("a,\"b,\"\"c\"\"\",d\r\n\"x\ny\",,z\n\n");
        assert_eq!(s.rows.len(), 2);
        assert_eq!(s.rows[0].cells[1], Cell::Text("b,\"c\"".into()));
        assert_eq!(s.rows[1].number, 2);
        assert_eq!(
            s.rows[1].cells,
            vec![Cell::Text("x\ny".into()), Cell::Empty, Cell::Text("z".into())]
        );
        let blank = parse_csv("a,b\n\nc,\rd,\"e\"x,\"unclosed");
        let numbers: Vec<u32> = blank.rows.iter().map(|r| r.number).collect();
        assert_eq!(numbers, vec![1, 2, 3, 4]);
        assert_eq!(blank.rows[1].cells, vec![Cell::Empty]);
        assert_eq!(blank.rows[2].cells, vec![Cell::Text("c".into()), Cell::Empty]);
        assert_eq!(blank.rows[3].cells[1], Cell::Text("ex".into()));
        assert_eq!(blank.rows[3].cells[2], Cell::Text("unclosed".into()));
        assert_eq!(parse_csv("a,\"x\"\"\"\n").rows[0].cells[1], Cell::Text("x\"".into()));
        assert_eq!(parse_csv("").rows.len(), 0);
        let t = parse_csv("姓名\t证件号码\n张三\t1");
        assert_eq!(t.rows[1].cells[1], Cell::Text("1".into()));
    }

    #[test]
    fn encodings() {
        assert_eq!(
            decode("\u{feff}姓名".as_bytes()).unwrap(),
            ("姓名".to_string(), Encoding::Utf8)
        );
        let mut utf16 = vec![0xFF, 0xFE];
        utf16.extend("姓名".encode_utf16().flat_map(u16::to_le_bytes));
        assert_eq!(decode(&utf16).unwrap(), ("姓名".to_string(), Encoding::Utf16));
        let mut be = vec![0xFE, 0xFF];
        be.extend("姓名".encode_utf16().flat_map(u16::to_be_bytes));
        assert_eq!(decode(&be).unwrap().0, "姓名");
        // 姓名 in GBK.
        let gbk = [0xD0, 0xD5, 0xC3, 0xFB];
        #[cfg(feature = "gbk")]
        assert_eq!(decode(&gbk).unwrap(), ("姓名".to_string(), Encoding::Gbk));
        #[cfg(not(feature = "gbk"))]
        assert!(decode(&gbk).unwrap_err().contains("另存为“CSV UTF-8”"));
        assert!(decode(&[0x81, 0x20, 0xFF]).is_err());
    }

    #[test]
    fn kinds_and_numbers() {
        assert_eq!(kind(b"PK\x03\x04rest"), FileKind::Xlsx);
        assert_eq!(kind(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0]), FileKind::Xls);
        assert_eq!(kind("姓名".as_bytes()), FileKind::Csv);
        assert_eq!(number_text(13812345678.0), "13812345678");
        assert_eq!(number_text(6500.5), "6500.5");
        assert_eq!(number_text(1.50722e17), "150722000000000000");
    }
}
