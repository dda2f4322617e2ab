//! Reading spreadsheet exports (CSV): the shared plumbing, and the units file
//! (`code,parent_code,name,level`) officials export from a spreadsheet.

use domain::{UnitRow, UnitTree, UnitTreeError};

const REQUIRED_COLUMNS: [&str; 4] = ["code", "parent_code", "name", "level"];
const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

/// Why a spreadsheet export could not be read at all.
#[derive(Debug, thiserror::Error)]
pub enum CsvFileError {
    #[error("文件不是 UTF-8 编码。请在 Excel 中“另存为 → CSV UTF-8（逗号分隔）”后重新上传。")]
    NotUtf8,
    #[error("文件缺少这些列：{missing}。第一行应为 {expected}")]
    MissingColumns { missing: String, expected: String },
    #[error("第 {line} 行无法读取：{reason}")]
    Malformed { line: usize, reason: String },
}

#[derive(Debug, thiserror::Error)]
pub enum UnitsFileError {
    #[error(transparent)]
    File(#[from] CsvFileError),
    #[error("{}", .0.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n"))]
    Tree(Vec<UnitTreeError>),
}

/// Reads a CSV export: a UTF-8 byte-order mark (Excel adds one) is skipped,
/// column order is free, extra columns are ignored, blank lines skipped.
/// Returns each row's `columns` values with its line number in the file.
/// GBK (Excel's default on Chinese Windows) is refused with instructions
/// rather than guessed at: a wrong guess would store garbled names.
pub fn read_rows<const N: usize>(bytes: &[u8], columns: [&str; N]) -> Result<Vec<(usize, [String; N])>, CsvFileError> {
    let bytes = bytes.strip_prefix(UTF8_BOM).unwrap_or(bytes);
    std::str::from_utf8(bytes).map_err(|_| CsvFileError::NotUtf8)?;
    let mut reader = csv::ReaderBuilder::new().trim(csv::Trim::All).flexible(true).from_reader(bytes);
    let headers = reader.headers().map_err(|e| malformed(1, &e))?.clone();
    let position = |name: &str| headers.iter().position(|h| h.eq_ignore_ascii_case(name));
    let missing: Vec<&str> = columns.iter().copied().filter(|c| position(c).is_none()).collect();
    if !missing.is_empty() {
        return Err(CsvFileError::MissingColumns { missing: missing.join("、"), expected: columns.join(",") });
    }
    let positions = columns.map(|c| position(c).expect("checked above"));
    let mut rows = Vec::new();
    // The csv crate's own line count skips blank lines; officials need the
    // line their spreadsheet shows, so count newlines up to each record.
    let mut lines = LineCounter::new(bytes);
    for record in reader.records() {
        let record = record.map_err(|e| malformed(e.position().map_or(0, |p| lines.line_at(p.byte())), &e))?;
        let line = record.position().map_or(0, |p| lines.line_at(p.byte()));
        if record.iter().all(str::is_empty) {
            continue; // blank lines at the end of spreadsheet exports
        }
        rows.push((line, positions.map(|i| record.get(i).unwrap_or("").to_owned())));
    }
    Ok(rows)
}

/// Parses and checks a whole units file (`code,parent_code,name,level`).
pub fn read_units_file(bytes: &[u8]) -> Result<UnitTree, UnitsFileError> {
    let rows: Vec<UnitRow> = read_rows(bytes, REQUIRED_COLUMNS)?
        .into_iter()
        .map(|(line, [code, parent_code, name, level])| UnitRow { line, code, parent_code, name, level })
        .collect();
    UnitTree::from_rows(&rows).map_err(UnitsFileError::Tree)
}

const ROSTER_COLUMNS: [&str; 7] = ["unit_code", "member_no", "name", "gender", "birth_date", "id_number", "phone"];

/// Reads a roster file (`unit_code,member_no,name,gender,birth_date,id_number,phone`)
/// into unchecked rows; `domain::check_roster` checks them.
pub fn read_roster_file(bytes: &[u8]) -> Result<Vec<domain::RosterRow>, CsvFileError> {
    Ok(read_rows(bytes, ROSTER_COLUMNS)?
        .into_iter()
        .map(|(line, [unit_code, member_no, name, gender, birth_date, id_number, phone])| domain::RosterRow {
            line,
            unit_code,
            member_no,
            name,
            gender,
            birth_date,
            id_number,
            phone,
        })
        .collect())
}

/// Line numbers (1-based) of byte offsets, asked for in increasing order.
struct LineCounter<'a> {
    bytes: &'a [u8],
    offset: usize,
    line: usize,
}

impl<'a> LineCounter<'a> {
    fn new(bytes: &'a [u8]) -> Self {
        Self { bytes, offset: 0, line: 1 }
    }

    fn line_at(&mut self, byte: u64) -> usize {
        let mut target = usize::try_from(byte).unwrap_or(usize::MAX).min(self.bytes.len());
        // A record's position includes the blank lines the reader skipped
        // before it; its line is the first non-blank one.
        while target < self.bytes.len() && matches!(self.bytes[target], b'\r' | b'\n') {
            target += 1;
        }
        if target > self.offset {
            self.line += self.bytes[self.offset..target].iter().filter(|&&b| b == b'\n').count();
            self.offset = target;
        }
        self.line
    }
}

fn malformed(line: usize, error: &csv::Error) -> CsvFileError {
    CsvFileError::Malformed { line, reason: error.to_string() }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_demo_units_file_reads_as_one_tree() {
        let tree = read_units_file(include_bytes!("../../demo/units.csv")).unwrap();
        assert_eq!(tree.root().name.as_ref(), "山东省总工会");
        assert_eq!(tree.units().len(), 71);
    }

    #[test]
    fn a_byte_order_mark_and_reordered_extra_columns_are_accepted() {
        let file =
            "\u{feff}name,level,code,parent_code,备注\n山东省总工会,province,37,,\n济南市总工会,city,370100,37,省会\n";
        let tree = read_units_file(file.as_bytes()).unwrap();
        assert_eq!(tree.units()[1].name.as_ref(), "济南市总工会");
    }

    #[test]
    fn a_gbk_file_is_refused_with_instructions() {
        // "山东省总工会" in GBK.
        let mut file = b"code,parent_code,name,level\n37,,".to_vec();
        file.extend_from_slice(&[0xC9, 0xBD, 0xB6, 0xAB, 0xCA, 0xA1, 0xD7, 0xDC, 0xB9, 0xA4, 0xBB, 0xE1]);
        file.extend_from_slice(b",province\n");
        let error = read_units_file(&file).unwrap_err();
        assert!(matches!(error, UnitsFileError::File(CsvFileError::NotUtf8)));
        assert!(error.to_string().contains("CSV UTF-8"));
    }

    #[test]
    fn missing_columns_are_named() {
        let error = read_units_file("code,name\n37,山东省总工会\n".as_bytes()).unwrap_err();
        assert_eq!(error.to_string(), "文件缺少这些列：parent_code、level。第一行应为 code,parent_code,name,level");
    }

    #[test]
    fn tree_problems_carry_the_file_line() {
        let file = "code,parent_code,name,level\n37,,山东省总工会,province\n\n370100,99,济南市总工会,city\n";
        let error = read_units_file(file.as_bytes()).unwrap_err();
        assert_eq!(error.to_string(), "第 4 行：上级单位 99 不存在");
    }
}
