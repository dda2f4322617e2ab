//! The desk's figures for officials (server only): the quarterly 通报 of a
//! subtree, its 稿酬 ledger and the year's 优秀信息员, from the store's
//! counts, as pages and CSV files show them.

use domain::Quarter;
use store::{Actor, FigureRow, FiguresBy, LedgerEntry, Store};

use super::model::{label, yuan, FigureLine, QuarterReport, RankLine, KINDS, LEVELS};
use crate::error::AppError;

/// The unit (in the official's reach; default their first) and quarter
/// (default the current one) a figure page is about.
pub struct Period {
    pub unit_code: String,
    pub unit_name: String,
    pub quarter: Quarter,
    pub reach: Vec<(String, String)>,
}

/// The most units offered in the unit picker (a province has ~150 desks).
const PICKER_UNITS: usize = 300;

pub async fn period(
    store: &Store,
    actor: &Actor,
    unit: Option<&str>,
    quarter: Option<&str>,
    now: i64,
) -> Result<Period, AppError> {
    let quarter = match quarter.map(str::trim).filter(|q| !q.is_empty()) {
        None => Quarter::containing(now),
        Some(raw) => Quarter::parse(raw).ok_or_else(|| AppError::rejected(400, "quarter", "季度的格式是 2026Q4"))?,
    };
    let reach = store.units_in_scope(actor).await.map_err(|e| AppError::from_store("figures", e))?;
    let wanted = unit.map(str::trim).filter(|u| !u.is_empty()).map(str::to_owned);
    let unit_code = match wanted {
        Some(code) => code,
        None => actor
            .units
            .first()
            .map(|(c, _)| c.clone())
            .or_else(|| reach.first().map(|r| r.0.clone()))
            .unwrap_or_default(),
    };
    let Some((_, unit_name, _)) = reach.iter().find(|(c, _, _)| *c == unit_code) else {
        return Err(AppError::rejected(403, "unit", "只能查看本单位及下级单位的统计"));
    };
    let unit_name = unit_name.clone();
    let reach = reach.into_iter().take(PICKER_UNITS).map(|(c, n, _)| (c, n)).collect();
    Ok(Period { unit_code, unit_name, quarter, reach })
}

fn line(row: &FigureRow) -> FigureLine {
    FigureLine {
        name: row.name.clone(),
        unit_name: row.unit_name.clone(),
        submitted: row.submitted,
        late: row.late,
        adopted_own: row.adopted_own,
        adopted_parent: row.adopted_parent,
        adopted_outside: row.adopted_outside,
        held: row.held,
        rejected: row.rejected,
        reported_up: row.reported_up,
        pay: yuan(row.fen),
    }
}

/// The 通报 of `period`: each unit's figures, the total, each
/// correspondent's, and the year's best correspondents so far.
pub async fn quarter_report(store: &Store, period: &Period, now: i64) -> Result<QuarterReport, AppError> {
    let err = |e| AppError::from_store("quarter_report", e);
    let (from, to) = period.quarter.bounds();
    let units = store.quarter_figures(&period.unit_code, from, to, FiguresBy::Unit).await.map_err(err)?;
    let people = store.quarter_figures(&period.unit_code, from, to, FiguresBy::Correspondent).await.map_err(err)?;
    let mut total = FigureRow { name: "合计".to_owned(), ..FigureRow::default() };
    for row in &units {
        total.submitted += row.submitted;
        total.late += row.late;
        total.adopted_own += row.adopted_own;
        total.adopted_parent += row.adopted_parent;
        total.adopted_outside += row.adopted_outside;
        total.held += row.held;
        total.rejected += row.rejected;
        total.reported_up += row.reported_up;
        total.fen += row.fen;
    }
    let (year_from, year_to) = domain::calendar::year_bounds(period.quarter.year());
    let best = store.best_correspondents(&period.unit_code, year_from, year_to.min(to), 10).await.map_err(err)?;
    let next = {
        let (_, end) = period.quarter.bounds();
        (end <= now).then(|| Quarter::containing(end).code())
    };
    Ok(QuarterReport {
        unit_name: period.unit_name.clone(),
        unit_code: period.unit_code.clone(),
        quarter: period.quarter.code(),
        quarter_label: period.quarter.to_string(),
        previous: period.quarter.previous().code(),
        next,
        units: units.iter().map(line).collect(),
        total: line(&total),
        people: people.iter().map(line).collect(),
        best: best
            .into_iter()
            .enumerate()
            .map(|(i, b)| RankLine { place: i + 1, name: b.name, unit_name: b.unit_name, adopted: b.adopted })
            .collect(),
        reach: period.reach.clone(),
    })
}

/// The 通报's columns, in the CSV and on the page.
pub const REPORT_HEADER: [&str; 11] = [
    "单位",
    "信息员",
    "报送",
    "迟报",
    "本级采用",
    "上级采用",
    "外部媒体采用",
    "待用",
    "退稿",
    "报送上级",
    "稿酬（元）",
];

pub fn report_rows(report: &QuarterReport) -> Vec<Vec<String>> {
    let row = |unit: &str, person: &str, l: &FigureLine| {
        vec![
            unit.to_owned(),
            person.to_owned(),
            l.submitted.to_string(),
            l.late.to_string(),
            l.adopted_own.to_string(),
            l.adopted_parent.to_string(),
            l.adopted_outside.to_string(),
            l.held.to_string(),
            l.rejected.to_string(),
            l.reported_up.to_string(),
            l.pay.clone(),
        ]
    };
    let mut rows: Vec<Vec<String>> = report.units.iter().map(|l| row(&l.name, "", l)).collect();
    rows.push(row("合计", "", &report.total));
    rows.extend(report.people.iter().map(|l| row(&l.unit_name, &l.name, l)));
    rows
}

/// The 稿酬 ledger's columns.
pub const LEDGER_HEADER: [&str; 8] = super::model::LEDGER_COLUMNS;

/// The ledger as CSV rows, each correspondent's entries followed by their
/// subtotal, and the grand total last.
pub fn ledger_rows(entries: &[LedgerEntry]) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    let mut total = 0;
    let mut i = 0;
    while i < entries.len() {
        let author = entries[i].author_id;
        let mut subtotal = 0;
        while i < entries.len() && entries[i].author_id == author {
            let e = &entries[i];
            subtotal += e.fen;
            rows.push(vec![
                e.author_name.clone(),
                e.unit_name.clone(),
                e.title.clone(),
                label(KINDS, &e.kind),
                e.adopted_by.clone(),
                label(LEVELS, &e.level),
                crate::clock::date_time_in_shanghai(e.at),
                yuan(e.fen),
            ]);
            i += 1;
        }
        total += subtotal;
        let name = entries[i - 1].author_name.clone();
        rows.push(vec![
            name,
            String::new(),
            "小计".to_owned(),
            String::new(),
            String::new(),
            String::new(),
            String::new(),
            yuan(subtotal),
        ]);
    }
    rows.push(vec![
        "合计".to_owned(),
        String::new(),
        String::new(),
        String::new(),
        String::new(),
        String::new(),
        String::new(),
        yuan(total),
    ]);
    rows
}

pub async fn ledger(store: &Store, period: &Period) -> Result<Vec<LedgerEntry>, AppError> {
    let (from, to) = period.quarter.bounds();
    store.payment_ledger(&period.unit_code, from, to).await.map_err(|e| AppError::from_store("ledger", e))
}
