//! Charts as inline SVG, drawn here: nothing loaded from outside, so a
//! bulletin opens on an intranet with no internet.

use std::fmt::Write;

use super::{Series, Status};
use crate::vocab::Unit;

/// Text safe inside XML and HTML.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// The colour of a status (always shown with its mark as well).
pub fn colour(s: Status) -> &'static str {
    match s {
        Status::Met => "#2e7d32",
        Status::Below => "#c62828",
        Status::Above => "#e65100",
        Status::Undefined => "#9e9e9e",
        Status::NoTarget => "#1565c0",
    }
}

/// Colours of trend lines, in order (the court first).
const LINES: [&str; 8] = [
    "#1f2937", "#c62828", "#e65100", "#6a1b9a", "#00838f", "#558b2f", "#ad1457", "#4e342e",
];

/// Display width in columns (CJK characters are two wide).
fn width(s: &str) -> usize {
    unicode_width::UnicodeWidthStr::width(s)
}

fn scale_max(values: impl Iterator<Item = f64>, unit: Unit) -> f64 {
    let m = values.fold(0.0f64, f64::max);
    match unit {
        Unit::Percent if m <= 100.0 => 100.0,
        _ if m <= 0.0 => 1.0,
        _ => m * 1.1,
    }
}

/// One bar: a department, its value, status and target, and the value as shown.
pub struct Bar {
    pub label: String,
    pub value: Option<f64>,
    pub status: Status,
    pub target: Option<f64>,
    pub text: String,
}

/// Horizontal bars, one per department, with each department's target drawn
/// as a mark across its bar.
pub fn bars(rows: &[Bar], unit: Unit, title: &str) -> String {
    let label_w = rows
        .iter()
        .map(|r| width(&r.label))
        .max()
        .unwrap_or(4)
        .max(4) as f64
        * 7.5
        + 12.0;
    let (bar_h, gap, plot_w) = (16.0, 6.0, 420.0);
    let top = 8.0;
    let h = top + rows.len() as f64 * (bar_h + gap) + 24.0;
    let w = label_w + plot_w + 110.0;
    let max = scale_max(
        rows.iter()
            .flat_map(|r| r.value.into_iter().chain(r.target)),
        unit,
    );
    let x = |v: f64| label_w + (v / max).clamp(0.0, 1.0) * plot_w;
    let mut s = String::new();
    let _ = write!(
        s,
        r#"<svg class="chart bars" role="img" aria-label="{}" xmlns="http://www.w3.org/2000/svg" width="{w:.0}" height="{h:.0}" viewBox="0 0 {w:.0} {h:.0}">"#,
        esc(title)
    );
    // The axis.
    let _ = write!(
        s,
        r##"<line x1="{label_w:.1}" y1="{top}" x2="{label_w:.1}" y2="{:.1}" stroke="#555" stroke-width="1"/>"##,
        h - 20.0
    );
    for (i, bar) in rows.iter().enumerate() {
        let (dept, v, status, target, text) =
            (&bar.label, &bar.value, &bar.status, &bar.target, &bar.text);
        let y = top + i as f64 * (bar_h + gap);
        let _ = write!(
            s,
            r##"<text x="{:.1}" y="{:.1}" text-anchor="end" font-size="12">{}</text>"##,
            label_w - 6.0,
            y + bar_h - 3.0,
            esc(dept)
        );
        if let Some(v) = v {
            let _ = write!(
                s,
                r#"<rect x="{label_w:.1}" y="{y:.1}" width="{:.1}" height="{bar_h}" fill="{}"><title>{} {}</title></rect>"#,
                (x(*v) - label_w).max(0.5),
                colour(*status),
                esc(dept),
                esc(text)
            );
        }
        let _ = write!(
            s,
            r##"<text x="{:.1}" y="{:.1}" font-size="12" fill="#222">{} {}</text>"##,
            v.map_or(label_w, x) + 4.0,
            y + bar_h - 3.0,
            esc(text),
            super::words::mark(*status)
        );
        if let Some(t) = target {
            let tx = x(*t);
            let _ = write!(
                s,
                r##"<line class="target" x1="{tx:.1}" y1="{:.1}" x2="{tx:.1}" y2="{:.1}" stroke="#111" stroke-width="2" stroke-dasharray="3,2"/>"##,
                y - 2.0,
                y + bar_h + 2.0
            );
        }
    }
    let _ = write!(
        s,
        r##"<text x="{label_w:.1}" y="{:.1}" font-size="11" fill="#555">0</text><text x="{:.1}" y="{:.1}" font-size="11" fill="#555" text-anchor="end">{}</text>"##,
        h - 6.0,
        label_w + plot_w,
        h - 6.0,
        esc(&unit.show(max))
    );
    s.push_str("</svg>");
    s
}

/// Trend lines over the periods, the targets dashed in the line's colour.
pub fn lines(labels: &[String], series: &[Series], unit: Unit, title: &str) -> String {
    let (left, right, top, plot_h) = (56.0, 150.0, 10.0, 160.0);
    let step = 64.0;
    let plot_w = step * (labels.len().max(2) - 1) as f64;
    let w = left + plot_w + right;
    let h = top + plot_h + 40.0;
    let max = scale_max(
        series
            .iter()
            .flat_map(|s| s.values.iter().flatten().copied().chain(s.target)),
        unit,
    );
    let x = |i: usize| left + i as f64 * step;
    let y = |v: f64| top + plot_h - (v / max).clamp(0.0, 1.0) * plot_h;
    let mut s = String::new();
    let _ = write!(
        s,
        r#"<svg class="chart trend" role="img" aria-label="{}" xmlns="http://www.w3.org/2000/svg" width="{w:.0}" height="{h:.0}" viewBox="0 0 {w:.0} {h:.0}">"#,
        esc(title)
    );
    for k in 0..=4 {
        let v = max * k as f64 / 4.0;
        let _ = write!(
            s,
            r##"<line x1="{left}" y1="{yy:.1}" x2="{:.1}" y2="{yy:.1}" stroke="#ddd" stroke-width="1"/><text x="{:.1}" y="{:.1}" font-size="10" text-anchor="end" fill="#555">{}</text>"##,
            left + plot_w,
            left - 4.0,
            y(v) + 3.0,
            esc(&unit.show(v)),
            yy = y(v)
        );
    }
    for (i, l) in labels.iter().enumerate() {
        let _ = write!(
            s,
            r##"<text x="{:.1}" y="{:.1}" font-size="10" text-anchor="middle" fill="#555">{}</text>"##,
            x(i),
            top + plot_h + 16.0,
            esc(l)
        );
    }
    for (k, ser) in series.iter().enumerate() {
        let c = LINES[k % LINES.len()];
        if let Some(t) = ser.target {
            let _ = write!(
                s,
                r#"<line class="target" x1="{left}" y1="{yy:.1}" x2="{:.1}" y2="{yy:.1}" stroke="{c}" stroke-width="1" stroke-dasharray="5,3"/>"#,
                left + plot_w,
                yy = y(t)
            );
        }
        // A gap where a period has no value.
        let mut path = String::new();
        let mut pen = false;
        for (i, v) in ser.values.iter().enumerate() {
            match v {
                Some(v) => {
                    let _ = write!(
                        path,
                        "{}{:.1},{:.1} ",
                        if pen { "L" } else { "M" },
                        x(i),
                        y(*v)
                    );
                    pen = true;
                }
                None => pen = false,
            }
        }
        let name = super::words::dept(&ser.department);
        if !path.is_empty() {
            let _ = write!(
                s,
                r#"<path d="{}" fill="none" stroke="{c}" stroke-width="2"><title>{}</title></path>"#,
                path.trim_end(),
                esc(name)
            );
        }
        for (i, v) in ser.values.iter().enumerate() {
            if let Some(v) = v {
                let _ = write!(
                    s,
                    r#"<circle cx="{:.1}" cy="{:.1}" r="2.5" fill="{c}"><title>{} {} {}</title></circle>"#,
                    x(i),
                    y(*v),
                    esc(name),
                    esc(&labels[i]),
                    esc(&unit.show(*v))
                );
            }
        }
        let ly = top + 10.0 + k as f64 * 16.0;
        let _ = write!(
            s,
            r#"<line x1="{:.1}" y1="{ly:.1}" x2="{:.1}" y2="{ly:.1}" stroke="{c}" stroke-width="2"/><text x="{:.1}" y="{:.1}" font-size="11">{}</text>"#,
            left + plot_w + 16.0,
            left + plot_w + 34.0,
            left + plot_w + 38.0,
            ly + 4.0,
            esc(name)
        );
    }
    s.push_str("</svg>");
    s
}
