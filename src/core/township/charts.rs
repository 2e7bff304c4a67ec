//! Standalone SVG charts, built as strings (no crate): valid XML, `viewBox`-based (360 units
//! wide, so they fill a 360 px phone and scale on anything larger), Chinese labels, every
//! text escaped. On a 360 px phone the chart's frame is 324 px wide (page and card padding),
//! so every text is at least [`TEXT`] units: 12.6 CSS px there. Each mark carries `data-household` / `data-village` / `data-category`
//! attributes and a `<title>` so the UI can list households on tap and a hover shows the
//! figure.

use std::fmt::Write;

use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;

use super::summary::Summary;
use super::Selection;
use crate::money::format_yuan;
use crate::record::Category;

/// The chart width in viewBox units.
pub const WIDTH: f64 = 360.0;

const FONT: &str =
    "-apple-system, 'PingFang SC', 'Noto Sans CJK SC', 'Microsoft YaHei', sans-serif";

/// The size of every label, legend and axis text in viewBox units (12 CSS px needs 13.4 in
/// a 324 px frame).
pub const TEXT: f64 = 14.0;
/// The size of a chart's title.
pub const TITLE: f64 = 15.0;
/// The width of the village names' column (six characters at [`TEXT`]) and the gap after it.
const LABEL_W: f64 = 86.0;
/// Axis labels are at least this far apart (the widest, `10.5万`, is about 48 units).
const TICK_LABEL_GAP: f64 = 56.0;

/// Escapes text for XML content and attribute values.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // Control characters are not allowed in XML 1.0.
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => {}
            c => out.push(c),
        }
    }
    out
}

/// The colour of a category (and of "no category").
pub fn category_colour(c: Option<Category>) -> &'static str {
    match c {
        Some(Category::General) => "#9aa5b1",
        Some(Category::ExitedSupported) => "#2e8b57",
        Some(Category::ExitedUnsupported) => "#8fd1a8",
        Some(Category::MonitoredUnstable) => "#d9534f",
        Some(Category::MonitoredMarginal) => "#f0ad4e",
        Some(Category::MonitoredHardship) => "#8e44ad",
        None => "#dddddd",
    }
}

fn category_of(code: &str) -> Option<Category> {
    Category::from_code(code)
}

fn open(out: &mut String, height: f64, title: &str, desc: &str) {
    let _ = write!(
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {WIDTH} {height:.0}\" width=\"100%\" role=\"img\" font-family=\"{}\" font-size=\"{TEXT}\">\
         <title>{}</title><desc>{}</desc><rect width=\"{WIDTH}\" height=\"{height:.0}\" fill=\"#ffffff\"/>",
        escape(FONT),
        escape(title),
        escape(desc)
    );
}

/// A number of units in the viewBox, without needless decimals.
fn n(v: f64) -> String {
    let r = (v * 10.0).round() / 10.0;
    if r.fract() == 0.0 {
        format!("{}", r as i64)
    } else {
        format!("{r:.1}")
    }
}

/// Horizontal bars, one per village, stacked by 户属性; the legend on top (two columns). Each
/// segment is a `<rect data-village=… data-category=…>`.
pub fn village_bars(summary: &Summary) -> String {
    let villages = &summary.villages;
    // Legend: the six categories (and "no category" only when some record lacks one).
    let mut items: Vec<(Option<Category>, &str)> =
        Category::ALL.iter().map(|c| (Some(*c), c.short_label())).collect();
    if summary.township.category(None).count > 0 {
        items.push((None, "未填写"));
    }
    let legend_y = 32.0;
    let legend_row = 20.0;
    let top = legend_y + items.len().div_ceil(2) as f64 * legend_row + 4.0;
    let row = 26.0;
    let height = top + row * villages.len().max(1) as f64 + 8.0;
    let title = format!("各村核查户数（按户属性） · 共{}户", summary.township.households.count);
    let desc = villages
        .iter()
        .map(|v| format!("{}{}户", v.name, v.households.count))
        .collect::<Vec<_>>()
        .join("，");
    let mut out = String::with_capacity(2048 + villages.len() * 800);
    open(&mut out, height, &title, &desc);
    let _ = write!(
        out,
        "<text x=\"8\" y=\"20\" font-size=\"{TITLE}\" font-weight=\"bold\" fill=\"#222\">{}</text>",
        escape(&title)
    );

    for (i, (c, label)) in items.iter().enumerate() {
        let (x, y) = (8.0 + (i % 2) as f64 * 176.0, legend_y + (i / 2) as f64 * legend_row);
        let _ = write!(
            out,
            "<rect x=\"{}\" y=\"{}\" width=\"12\" height=\"12\" fill=\"{}\"/><text x=\"{}\" y=\"{}\" fill=\"#333\">{}</text>",
            n(x),
            n(y),
            category_colour(*c),
            n(x + 17.0),
            n(y + 11.0),
            escape(label)
        );
    }

    let bar_x = 8.0 + LABEL_W;
    let bar_w = WIDTH - bar_x - 38.0;
    let max = villages.iter().map(|v| v.households.count).max().unwrap_or(0).max(1) as f64;
    for (i, v) in villages.iter().enumerate() {
        let y = top + i as f64 * row;
        let _ = write!(
            out,
            "<text x=\"{}\" y=\"{}\" text-anchor=\"end\" fill=\"#222\">{}</text>",
            n(bar_x - 6.0),
            n(y + 18.0),
            escape(&v.name)
        );
        let mut x = bar_x;
        for l in &v.categories {
            if l.figure.count == 0 {
                continue;
            }
            let w = l.figure.count as f64 / max * bar_w;
            let c = category_of(&l.code);
            let _ = write!(
                out,
                "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"18\" fill=\"{}\" data-village=\"{}\" data-category=\"{}\"><title>{}</title></rect>",
                n(x),
                n(y + 4.0),
                n(w.max(0.5)),
                category_colour(c),
                escape(&v.name),
                escape(&l.code),
                escape(&format!("{} · {}：{}户", v.name, l.label, l.figure.count))
            );
            x += w;
        }
        let _ = write!(
            out,
            "<text x=\"{}\" y=\"{}\" fill=\"#222\">{}</text>",
            n(x + 4.0),
            n(y + 18.0),
            v.households.count
        );
    }
    out.push_str("</svg>");
    out
}

/// Per-capita net income (A27) of every household as a dot, one strip per village, against
/// the monitoring line (red) and the warning band up to `line × near_line_factor` (amber).
/// Dots past the right edge are drawn at the edge as open circles; `data-household` on each.
pub fn income_strip(sel: &Selection) -> String {
    let policy = &sel.options.policy;
    let line = policy.monitoring_line.to_f64().unwrap_or(0.0);
    let near = policy.near_line().to_f64().unwrap_or(line);
    let mut values: Vec<f64> = sel
        .entries
        .iter()
        .filter_map(|e| e.evaluation.per_capita_net)
        .filter_map(|d| d.to_f64())
        .collect();
    values.sort_by(|a, b| a.total_cmp(b));
    // The scale: up to the 95th percentile or 3 × the line, whichever is more, rounded up.
    let p95 = values.get(values.len().saturating_sub(1) * 95 / 100).copied().unwrap_or(0.0);
    let step = if line > 0.0 { line } else { 5000.0 };
    let xmax = ((p95.max(line * 3.0).max(step)) / step).ceil() * step;
    let xmin = values.first().copied().unwrap_or(0.0).min(0.0);

    let villages = &sel.villages;
    let unconfirmed = if policy.confirmed { None } else { Some("（监测标准未经核对）") };
    // Title, the count line, "unconfirmed" on a line of its own, then the legend.
    let legend_y = if unconfirmed.is_some() { 78.0 } else { 60.0 };
    let top = legend_y + 14.0;
    let strip = 30.0;
    let plot_h = strip * villages.len().max(1) as f64;
    let height = top + plot_h + 26.0;
    let x0 = 8.0 + LABEL_W;
    let x1 = WIDTH - 12.0;
    let sx = |v: f64| x0 + (v.clamp(xmin, xmax) - xmin) / (xmax - xmin).max(1.0) * (x1 - x0);

    let line_text = format!("{}元", super::yuan_text(policy.monitoring_line));
    let below = values.iter().filter(|v| **v < line).count();
    let title = format!("家庭人均纯收入与监测标准（{line_text}）");
    let desc = format!("共{}户，低于监测标准{}户", values.len(), below);
    let mut out = String::with_capacity(4096 + sel.entries.len() * 200);
    open(&mut out, height, &title, &desc);
    let _ = write!(
        out,
        "<text x=\"8\" y=\"20\" font-size=\"{TITLE}\" font-weight=\"bold\" fill=\"#222\">{}</text>",
        escape(&title)
    );
    let _ = write!(out, "<text x=\"8\" y=\"40\" fill=\"#555\">{}</text>", escape(&desc));
    if let Some(note) = unconfirmed {
        let _ = write!(out, "<text x=\"8\" y=\"58\" fill=\"#6b4d00\">{}</text>", escape(note));
    }

    // Legend.
    for (i, (label, colour)) in
        [("监测对象", "#d9534f"), ("脱贫户", "#2e8b57"), ("一般农牧户", "#7b8794")]
            .iter()
            .enumerate()
    {
        let x = 8.0 + i as f64 * 100.0;
        let _ = write!(
            out,
            "<circle cx=\"{}\" cy=\"{}\" r=\"5\" fill=\"{colour}\"/><text x=\"{}\" y=\"{}\" fill=\"#333\">{}</text>",
            n(x + 5.0),
            n(legend_y - 5.0),
            n(x + 14.0),
            n(legend_y),
            escape(label)
        );
    }

    // The warning band and the line.
    let _ = write!(
        out,
        "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"#fff3cd\"><title>{}</title></rect>",
        n(sx(line)),
        n(top),
        n((sx(near) - sx(line)).max(0.0)),
        n(plot_h),
        escape(&format!("预警区间：{}元至{}元", format_yuan(policy.monitoring_line), format_yuan(policy.near_line())))
    );
    for (i, _) in villages.iter().enumerate() {
        let y = top + i as f64 * strip;
        if i % 2 == 1 {
            let _ = write!(out, "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"#000\" fill-opacity=\"0.03\"/>", n(x0), n(y), n(x1 - x0), n(strip));
        }
    }
    let _ = write!(
        out,
        "<line x1=\"{x}\" y1=\"{}\" x2=\"{x}\" y2=\"{}\" stroke=\"#d9534f\" stroke-width=\"1.5\" stroke-dasharray=\"4 3\"><title>{}</title></line>",
        n(top - 4.0),
        n(top + plot_h),
        escape(&format!("监测标准 {line_text}")),
        x = n(sx(line))
    );

    // Axis ticks at multiples of the line. The first and the last are labelled, and every
    // `every`-th between them that is not too near the last, so labels stay apart when the
    // scale is long.
    let last = ((xmax + 0.5) / step).floor() as usize;
    let tick_gap = sx(step) - sx(0.0);
    let every =
        if tick_gap > 0.0 { (TICK_LABEL_GAP / tick_gap).ceil().max(1.0) as usize } else { 1 };
    let axis_y = top + plot_h + 19.0;
    for i in 0..=last {
        let t = i as f64 * step;
        let x = n(sx(t));
        let _ = write!(
            out,
            "<line x1=\"{x}\" y1=\"{}\" x2=\"{x}\" y2=\"{}\" stroke=\"#999\"/>",
            n(top + plot_h),
            n(top + plot_h + 4.0)
        );
        let labelled =
            i == last || (i % every == 0 && (last - i) as f64 * tick_gap >= TICK_LABEL_GAP);
        if labelled {
            let label = if t >= 10000.0 {
                format!("{}万", n(t / 10000.0))
            } else {
                format!("{}", t as i64)
            };
            let anchor = if i == last {
                "end"
            } else if i == 0 {
                "start"
            } else {
                "middle"
            };
            let _ = write!(
                out,
                "<text x=\"{x}\" y=\"{}\" text-anchor=\"{anchor}\" fill=\"#555\">{}</text>",
                n(axis_y),
                escape(&label)
            );
        }
    }
    // The unit, left of the axis under the village names.
    let _ = write!(
        out,
        "<text x=\"{}\" y=\"{}\" text-anchor=\"end\" fill=\"#555\">元/人·年</text>",
        n(x0 - 6.0),
        n(axis_y)
    );

    // Dots, one group per village and kind (general first, monitoring objects on top).
    const KINDS: [(&str, &str); 3] =
        [("general", "#7b8794"), ("exited", "#2e8b57"), ("monitored", "#d9534f")];
    for (i, v) in villages.iter().enumerate() {
        let y = top + i as f64 * strip;
        let _ = write!(
            out,
            "<text x=\"{}\" y=\"{}\" text-anchor=\"end\" fill=\"#222\">{}</text>",
            n(x0 - 6.0),
            n(y + strip / 2.0 + 5.0),
            escape(v)
        );
        for (kind, colour) in KINDS {
            let mut opened = false;
            for e in sel.village_entries(v) {
                let k = match e.record.category {
                    Some(c) if c.is_monitored() => "monitored",
                    Some(c) if c.is_exited() => "exited",
                    _ => "general",
                };
                let Some(pc) = e.evaluation.per_capita_net.filter(|_| k == kind) else { continue };
                if !opened {
                    let _ = write!(out, "<g fill=\"{colour}\" fill-opacity=\"0.75\" data-village=\"{}\" data-group=\"{kind}\">", escape(v));
                    opened = true;
                }
                let value = pc.to_f64().unwrap_or(0.0);
                // A stable jitter from the household id, so the picture does not move between renders.
                let jitter = (e.household_id().as_u128() % 1000) as f64 / 1000.0;
                let cy = y + 5.0 + jitter * (strip - 10.0);
                let off = if value > xmax || value < xmin {
                    format!(" fill=\"none\" stroke=\"{colour}\"")
                } else {
                    String::new()
                };
                let head = e.head().map(|m| m.name.as_str()).unwrap_or("");
                let _ = write!(
                    out,
                    "<circle cx=\"{}\" cy=\"{}\" r=\"2.6\"{off} data-household=\"{}\"><title>{}</title></circle>",
                    n(sx(value)),
                    n(cy),
                    e.household_id(),
                    escape(&format!("{head}户 {}元", format_yuan(pc)))
                );
            }
            if opened {
                out.push_str("</g>");
            }
        }
    }
    out.push_str("</svg>");
    out
}

/// `Decimal` → viewBox value (for callers that draw their own marks).
pub fn to_f64(d: Decimal) -> f64 {
    d.to_f64().unwrap_or(0.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes() {
        assert_eq!(escape("a<b>&\"c'"), "a&lt;b&gt;&amp;&quot;c&apos;");
        assert_eq!(escape("村\u{1}名"), "村名");
    }

    #[test]
    fn numbers() {
        assert_eq!(n(12.0), "12");
        assert_eq!(n(12.345), "12.3");
    }
}
