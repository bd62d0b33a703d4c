//! The bulletin as an Excel workbook: 汇总 (the matrix, coloured by status),
//! one sheet per indicator (departments, targets, changes, a native bar
//! chart), 趋势 (values per period, a native line chart per indicator) and
//! 待整改清单 (the records to fix). Numbers are stored as numbers with their
//! formats (a percentage as a fraction shown `0.00%`); headers are frozen.

use std::io::{self, Write};

use rust_xlsxwriter::{
    Chart, Color, ConditionalFormatCell, ConditionalFormatCellRule, Format, FormatAlign,
    FormatBorder, Workbook, Worksheet,
};

use super::words as w;
use super::{Bulletin, Status};
use crate::eval::COURT;
use crate::vocab::Unit;

/// The workbook's bytes.
pub fn write(b: &Bulletin, out: &mut impl Write) -> io::Result<()> {
    // The writer's own words, quoted as another program's: the command says
    // which file it cannot write.
    let bytes = workbook(b).map_err(io::Error::other)?;
    out.write_all(&bytes)
}

/// How a value of `unit` is stored: a percentage as a fraction.
fn stored(unit: Unit, v: f64) -> f64 {
    match unit {
        Unit::Percent => v / 100.0,
        _ => v,
    }
}

/// The number format of a value of `unit`, with the status mark after it.
fn num_format(unit: Unit, mark: &str) -> String {
    let base = match unit {
        Unit::Percent => "0.00%".to_string(),
        Unit::Count => "0".to_string(),
        Unit::Days | Unit::PerCapita => "0.0".to_string(),
        _ => "0.00".to_string(),
    };
    let suffix = match unit {
        Unit::Days => " 天",
        Unit::Count => " 件",
        Unit::Amount => " 元",
        Unit::PerCapita => " 件/人",
        Unit::Points => " 个百分点",
        _ => "",
    };
    let tail = format!(
        "{suffix}{}",
        if mark.is_empty() {
            String::new()
        } else {
            format!(" {mark}")
        }
    );
    if tail.is_empty() {
        base
    } else {
        format!("{base}\"{tail}\"")
    }
}

fn fill(s: Status) -> Option<(u32, u32)> {
    match s {
        Status::Met => Some((0xE8F5E9, 0x2E7D32)),
        Status::Below => Some((0xFFEBEE, 0xC62828)),
        Status::Above => Some((0xFFF3E0, 0xE65100)),
        Status::Undefined => Some((0xF5F5F5, 0x616161)),
        Status::NoTarget => None,
    }
}

fn value_format(unit: Unit, s: Status) -> Format {
    let f = Format::new()
        .set_num_format(num_format(unit, w::mark(s)))
        .set_border(FormatBorder::Thin);
    match fill(s) {
        Some((bg, fg)) => f
            .set_background_color(Color::RGB(bg))
            .set_font_color(Color::RGB(fg)),
        None => f,
    }
}

/// A value cell against its target: the colour and the mark are conditional
/// formats (met, below, above), so a value edited in Excel shows its status
/// again. The cell itself has the plain number format.
fn judged(
    ws: &mut Worksheet,
    row: u32,
    col: u16,
    unit: Unit,
    v: f64,
    t: &crate::eval::TargetResult,
) -> Result<(), rust_xlsxwriter::XlsxError> {
    use ConditionalFormatCellRule as R;
    ws.write_number_with_format(
        row,
        col,
        stored(unit, v),
        &value_format(unit, Status::NoTarget),
    )?;
    let (lo, hi) = (stored(unit, t.value), t.upper.map(|h| stored(unit, h)));
    let met = value_format(unit, Status::Met);
    let below = value_format(unit, Status::Below);
    let above = value_format(unit, Status::Above);
    let rules: Vec<(R<f64>, &Format)> = match (t.op.as_str(), hi) {
        (_, Some(h)) => vec![
            (R::Between(lo, h), &met),
            (R::LessThan(lo), &below),
            (R::GreaterThan(h), &above),
        ],
        (">=", _) => vec![
            (R::GreaterThanOrEqualTo(lo), &met),
            (R::LessThan(lo), &below),
        ],
        (">", _) => vec![
            (R::GreaterThan(lo), &met),
            (R::LessThanOrEqualTo(lo), &below),
        ],
        ("<=", _) => vec![
            (R::LessThanOrEqualTo(lo), &met),
            (R::GreaterThan(lo), &above),
        ],
        ("<", _) => vec![
            (R::LessThan(lo), &met),
            (R::GreaterThanOrEqualTo(lo), &above),
        ],
        _ => vec![
            (R::EqualTo(lo), &met),
            (R::LessThan(lo), &below),
            (R::GreaterThan(lo), &above),
        ],
    };
    for (rule, f) in rules {
        let cf = ConditionalFormatCell::new().set_rule(rule).set_format(f);
        ws.add_conditional_format(row, col, row, col, &cf)?;
    }
    Ok(())
}

fn header_format() -> Format {
    Format::new()
        .set_bold()
        .set_background_color(Color::RGB(0xF1F3F5))
        .set_border(FormatBorder::Thin)
        .set_align(FormatAlign::Center)
        .set_text_wrap()
}

fn text_format() -> Format {
    Format::new().set_border(FormatBorder::Thin)
}

/// A column wide enough for the widest text in it (CJK counts two).
struct Widths(Vec<usize>);

impl Widths {
    fn see(&mut self, col: u16, s: &str) {
        let c = col as usize;
        if self.0.len() <= c {
            self.0.resize(c + 1, 6);
        }
        self.0[c] = self.0[c].max(unicode_width::UnicodeWidthStr::width(s).min(60));
    }
    fn apply(&self, ws: &mut Worksheet) -> Result<(), rust_xlsxwriter::XlsxError> {
        for (c, w) in self.0.iter().enumerate() {
            ws.set_column_width(c as u16, *w as f64 + 2.0)?;
        }
        Ok(())
    }
}

/// A sheet name Excel accepts: at most 31 characters, none of `[]:*?/\`.
fn sheet_name(s: &str) -> String {
    s.chars()
        .map(|c| if "[]:*?/\\".contains(c) { '_' } else { c })
        .take(31)
        .collect()
}

fn workbook(b: &Bulletin) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    let mut wb = Workbook::new();
    let head = header_format();
    let text = text_format();
    let bold = Format::new().set_bold();

    // 汇总: departments × indicators.
    {
        let ws = wb.add_worksheet();
        ws.set_name("汇总")?;
        let mut widths = Widths(Vec::new());
        let title = format!("{} {} {}", b.title, w::BULLETIN, b.period.label);
        ws.write_string_with_format(0, 0, &title, &bold)?;
        let meta = format!(
            "{}：{}　{}：{}　{}：{} 至 {}　{}：{}",
            w::DOCUMENT,
            b.document,
            w::VERSION,
            b.version,
            w::PERIOD,
            crate::value::fmt_day(b.period.start),
            crate::value::fmt_day(b.period.end),
            w::DATA_AS_OF,
            b.data_as_of.as_deref().unwrap_or("—")
        );
        ws.write_string(1, 0, &meta)?;
        ws.write_string(2, 0, w::LEGEND)?;
        let top = 4u32;
        ws.write_string_with_format(top, 0, w::DEPARTMENT, &head)?;
        widths.see(0, w::DEPARTMENT);
        for (i, s) in b.indicators.iter().enumerate() {
            let col = i as u16 + 1;
            let h = format!("{}\n{}", s.code, s.name);
            ws.write_string_with_format(top, col, &h, &head)?;
            widths.see(col, &s.code);
            widths.see(col, &s.name.chars().take(8).collect::<String>());
        }
        ws.set_row_height(top, 45)?;
        for (r, d) in b
            .departments
            .iter()
            .map(String::as_str)
            .chain([COURT])
            .enumerate()
        {
            let row = top + 1 + r as u32;
            ws.write_string_with_format(row, 0, w::dept(d), &text)?;
            widths.see(0, w::dept(d));
            for (i, s) in b.indicators.iter().enumerate() {
                let col = i as u16 + 1;
                let Some(x) = s.rows.iter().find(|x| x.department == d) else {
                    continue;
                };
                match x.value {
                    Some(v) if x.target.is_some() && x.status != Status::Undefined => {
                        if let Some(t) = &x.target {
                            judged(ws, row, col, s.unit, v, t)?;
                        }
                        widths.see(
                            col,
                            &format!("{} {}", w::value(s.unit, x.value), w::mark(x.status)),
                        );
                    }
                    Some(v) => {
                        ws.write_number_with_format(
                            row,
                            col,
                            stored(s.unit, v),
                            &value_format(s.unit, x.status),
                        )?;
                        widths.see(
                            col,
                            &format!("{} {}", w::value(s.unit, x.value), w::mark(x.status)),
                        );
                    }
                    None => {
                        ws.write_string_with_format(
                            row,
                            col,
                            format!("— {}", w::mark(x.status)).trim_end(),
                            &value_format(s.unit, x.status),
                        )?;
                    }
                }
            }
        }
        ws.set_freeze_panes(top + 1, 1)?;
        widths.apply(ws)?;
    }

    // One sheet per indicator.
    for s in &b.indicators {
        let name = sheet_name(&format!("{} {}", s.code, s.name));
        let ws = wb.add_worksheet();
        ws.set_name(&name)?;
        let mut widths = Widths(Vec::new());
        ws.write_string_with_format(0, 0, format!("{} {}", s.code, s.name), &bold)?;
        if !s.targets.is_empty() {
            ws.write_string(1, 0, format!("{}：{}", w::TARGET, s.targets.join("；")))?;
        }
        let cols = [
            w::DEPARTMENT.to_string(),
            w::VALUE.to_string(),
            w::NUMERATOR.to_string(),
            w::DENOMINATOR.to_string(),
            w::TARGET.to_string(),
            w::STATUS.to_string(),
            format!("{}（{}）", w::CHANGE, b.previous.label),
            format!("{}（{}）", w::YEAR_CHANGE, b.last_year.label),
            w::RANK.to_string(),
        ];
        let top = 3u32;
        for (c, h) in cols.iter().enumerate() {
            ws.write_string_with_format(top, c as u16, h, &head)?;
            widths.see(c as u16, h);
        }
        let points = Format::new()
            .set_num_format("+0.00\" 个百分点\";-0.00\" 个百分点\";0.00\" 个百分点\"")
            .set_border(FormatBorder::Thin);
        let percent_change = Format::new()
            .set_num_format("+0.0%;-0.0%;0.0%")
            .set_border(FormatBorder::Thin);
        let count = Format::new()
            .set_num_format("0")
            .set_border(FormatBorder::Thin);
        for (r, x) in s.rows.iter().enumerate() {
            let row = top + 1 + r as u32;
            ws.write_string_with_format(row, 0, w::dept(&x.department), &text)?;
            widths.see(0, w::dept(&x.department));
            match (x.value, &x.target) {
                (Some(v), Some(t)) if x.status != Status::Undefined => {
                    judged(ws, row, 1, s.unit, v, t)?;
                }
                (Some(v), _) => {
                    ws.write_number_with_format(
                        row,
                        1,
                        stored(s.unit, v),
                        &value_format(s.unit, x.status),
                    )?;
                }
                (None, _) => {
                    ws.write_string_with_format(row, 1, "—", &value_format(s.unit, x.status))?;
                }
            }
            widths.see(
                1,
                &format!("{} {}", w::value(s.unit, x.value), w::mark(x.status)),
            );
            if let Some(n) = x.numerator {
                ws.write_number_with_format(row, 2, n, &count)?;
            }
            if let Some(n) = x.denominator {
                ws.write_number_with_format(row, 3, n, &count)?;
            }
            let t = x
                .target
                .as_ref()
                .map(|t| w::target(s.unit, t))
                .unwrap_or_default();
            ws.write_string_with_format(row, 4, &t, &text)?;
            widths.see(4, &t);
            let st = match &x.undefined_reason {
                Some(why) => format!("{}：{}", w::status(x.status), why),
                None => w::status(x.status).to_string(),
            };
            ws.write_string_with_format(row, 5, &st, &text)?;
            widths.see(5, &st);
            for (col, c) in [(6u16, x.change), (7u16, x.year_change)] {
                match c {
                    Some(c) if c.points => {
                        ws.write_number_with_format(row, col, c.delta, &points)?;
                    }
                    Some(c) => {
                        ws.write_number_with_format(row, col, c.delta / 100.0, &percent_change)?;
                    }
                    None => {
                        ws.write_string_with_format(row, col, "—", &text)?;
                    }
                }
                widths.see(col, &w::change(c));
            }
            if let Some(rank) = x.rank {
                ws.write_number_with_format(row, 8, rank as f64, &count)?;
            }
        }
        ws.set_freeze_panes(top + 1, 1)?;
        widths.apply(ws)?;
        if !s.rows.is_empty() {
            let last = top + s.rows.len() as u32;
            let mut chart = Chart::new_bar();
            chart.title().set_name(&format!("{} {}", s.code, s.name));
            chart
                .add_series()
                .set_name(w::VALUE)
                .set_categories((name.as_str(), top + 1, 0, last, 0))
                .set_values((name.as_str(), top + 1, 1, last, 1));
            chart.legend().set_hidden();
            ws.insert_chart(top + 2 + s.rows.len() as u32, 0, &chart)?;
        }
    }

    // 趋势: per indicator, the periods across, one row per line.
    {
        let ws = wb.add_worksheet();
        ws.set_name(w::TREND)?;
        let mut widths = Widths(Vec::new());
        let mut row = 0u32;
        let mut charts: Vec<(u32, Chart)> = Vec::new();
        for s in &b.indicators {
            ws.write_string_with_format(row, 0, format!("{} {}", s.code, s.name), &bold)?;
            row += 1;
            ws.write_string_with_format(row, 0, w::DEPARTMENT, &head)?;
            for (i, p) in b.trend.iter().enumerate() {
                ws.write_string_with_format(row, i as u16 + 1, &p.label, &head)?;
                widths.see(i as u16 + 1, &p.label);
            }
            let header_row = row;
            let mut chart = Chart::new_line();
            chart.title().set_name(&format!("{} {}", s.code, s.name));
            for ser in &s.trend {
                row += 1;
                ws.write_string_with_format(row, 0, w::dept(&ser.department), &text)?;
                widths.see(0, w::dept(&ser.department));
                for (i, v) in ser.values.iter().enumerate() {
                    let col = i as u16 + 1;
                    match v {
                        Some(v) => {
                            ws.write_number_with_format(
                                row,
                                col,
                                stored(s.unit, *v),
                                &Format::new()
                                    .set_num_format(num_format(s.unit, ""))
                                    .set_border(FormatBorder::Thin),
                            )?;
                        }
                        None => {
                            ws.write_string_with_format(row, col, "—", &text)?;
                        }
                    }
                    widths.see(col, &w::value(s.unit, *v));
                }
                let last_col = b.trend.len() as u16;
                chart
                    .add_series()
                    .set_name((w::TREND, row, 0))
                    .set_categories((w::TREND, header_row, 1, header_row, last_col))
                    .set_values((w::TREND, row, 1, row, last_col));
            }
            charts.push((header_row, chart));
            row += 2;
        }
        ws.set_freeze_panes(0, 1)?;
        widths.apply(ws)?;
        let chart_col = b.trend.len() as u16 + 2;
        for (i, (_, chart)) in charts.iter().enumerate() {
            ws.insert_chart(i as u32 * 16, chart_col, chart)?;
        }
    }

    // 待整改清单: every record to fix, one row each.
    {
        let ws = wb.add_worksheet();
        ws.set_name(w::TO_FIX)?;
        let mut widths = Widths(Vec::new());
        let mut context: Vec<String> = Vec::new();
        for c in &b.chases {
            for col in &c.columns {
                if !context.contains(col) {
                    context.push(col.clone());
                }
            }
        }
        let mut cols: Vec<String> = vec![
            w::DEPARTMENT.to_string(),
            w::INDICATOR.to_string(),
            w::TARGET.to_string(),
            w::TABLE.to_string(),
            w::KEY.to_string(),
            w::LINE.to_string(),
        ];
        cols.extend(context.iter().cloned());
        cols.extend([w::REASON.to_string(), w::RULE.to_string()]);
        for (i, h) in cols.iter().enumerate() {
            ws.write_string_with_format(0, i as u16, h, &head)?;
            widths.see(i as u16, h);
        }
        let mut row = 0u32;
        for c in &b.chases {
            let unit = b.unit_of(&c.indicator);
            let ind = if c.source == c.indicator {
                format!("{} {}", c.indicator, c.name)
            } else {
                format!("{} {}（{}）", c.indicator, c.name, c.source)
            };
            for r in &c.records {
                row += 1;
                let mut cells: Vec<(u16, String)> = vec![
                    (0, w::dept(&c.department).to_string()),
                    (1, ind.clone()),
                    (2, w::target(unit, &c.target)),
                    (3, r.table.clone()),
                    (4, r.key.clone()),
                ];
                for (name, v) in c.columns.iter().zip(&r.context) {
                    if let Some(i) = context.iter().position(|x| x == name) {
                        cells.push((6 + i as u16, v.clone()));
                    }
                }
                let after = 6 + context.len() as u16;
                cells.push((after, r.reason.clone().unwrap_or_default()));
                cells.push((after + 1, r.rule.clone().unwrap_or_default()));
                for (col, v) in cells {
                    ws.write_string_with_format(row, col, &v, &text)?;
                    widths.see(col, &v);
                }
                ws.write_number_with_format(row, 5, r.line as f64, &text)?;
            }
        }
        ws.set_freeze_panes(1, 0)?;
        ws.autofilter(0, 0, row.max(1), cols.len() as u16 - 1)?;
        widths.apply(ws)?;
    }
    wb.save_to_buffer()
}
