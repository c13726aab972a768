//! The deadline table for a terminal: deadline records → aligned plain text.
//!
//! `docket deadlines` prints what the deadline page shows, one row per deadline in the
//! page's order: due date, status, days left or overdue, provision, acting agencies and
//! what must be done, in columns aligned by display width (so wide characters and
//! punctuation such as “ ” do not shift them). The last column is cut to fit the
//! terminal's width. Below the table come the source disagreements, since a reader
//! should see them next to the dates they question.
//!
//! Colour is the caller's decision ([`TableOptions::color`]): the CLI turns it on only
//! when stdout is a terminal and `NO_COLOR` is unset. The status word is always printed,
//! so nothing depends on colour.

use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

use crate::render::exports::{DeadlineRecord, due_text};
use crate::resolve::Status;

/// How to print the table.
#[derive(Clone, Copy, Debug)]
pub struct TableOptions {
    /// Colour the status column with ANSI escapes.
    pub color: bool,
    /// The terminal's width in columns; the action column is cut to fit.
    pub width: usize,
}

impl Default for TableOptions {
    fn default() -> Self {
        TableOptions { color: false, width: 120 }
    }
}

const HEADERS: [&str; 6] = ["Due", "Status", "Days", "Provision", "Acting", "Action"];
const GAP: &str = "  ";
/// The action column never gets narrower than this, even in a narrow terminal.
const MIN_ACTION: usize = 24;

/// The table, the disagreements, and a closing count.
pub fn table(records: &[DeadlineRecord], options: TableOptions) -> String {
    let rows: Vec<[String; 6]> = records.iter().map(row).collect();
    let mut widths = HEADERS.map(UnicodeWidthStr::width);
    for row in &rows {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.width());
        }
    }
    let fixed: usize = widths[..5].iter().sum::<usize>() + GAP.len() * 5;
    widths[5] = widths[5].min(options.width.saturating_sub(fixed).max(MIN_ACTION));
    let mut out = String::new();
    let header = HEADERS.map(str::to_string);
    line(&mut out, &header, &widths, None, options.color);
    let rule: Vec<String> = widths.iter().map(|w| "─".repeat(*w)).collect();
    out.push_str(rule.join(GAP).trim_end());
    out.push('\n');
    for (row, record) in rows.iter().zip(records) {
        line(&mut out, row, &widths, Some(record.status), options.color);
    }
    disagreements(&mut out, records);
    let dated = records.iter().filter(|r| r.due.is_some()).count();
    out.push_str(&format!("\n{} deadlines, {dated} with a date.\n", records.len()));
    out
}

fn row(record: &DeadlineRecord) -> [String; 6] {
    let days = match record.days_left {
        Some(0) => "today".to_string(),
        Some(d) if d > 0 => format!("in {d}"),
        Some(d) => format!("{} over", -d),
        None => String::new(),
    };
    [
        due_text(record),
        record.status_label.clone(),
        days,
        record.provision.as_ref().map(|p| p.label.clone()).unwrap_or_default(),
        record.agencies.iter().map(|a| a.label.as_str()).collect::<Vec<_>>().join(", "),
        record.action.clone(),
    ]
}

fn line(out: &mut String, cells: &[String; 6], widths: &[usize; 6], status: Option<Status>, color: bool) {
    let mut text = String::new();
    for (n, (cell, width)) in cells.iter().zip(widths).enumerate() {
        let cell = fit(cell, *width);
        let padding = " ".repeat(width.saturating_sub(cell.width()));
        match (n, status) {
            (1, Some(status)) if color => text.push_str(&format!("{}{cell}\x1b[0m{padding}", ansi(status))),
            _ => {
                text.push_str(&cell);
                text.push_str(&padding);
            }
        }
        if n + 1 < cells.len() {
            text.push_str(GAP);
        }
    }
    out.push_str(text.trim_end());
    out.push('\n');
}

/// Cuts a cell to `width` display columns, with an ellipsis when it had to.
fn fit(cell: &str, width: usize) -> String {
    if cell.width() <= width {
        return cell.to_string();
    }
    let mut out = String::new();
    let mut used = 0;
    for ch in cell.chars() {
        let w = ch.width().unwrap_or(0);
        if used + w + 1 > width {
            break;
        }
        out.push(ch);
        used += w;
    }
    out.push('…');
    out
}

/// The colour of a status: red for overdue, yellow for due soon, green for met.
fn ansi(status: Status) -> &'static str {
    match status {
        Status::Passed | Status::Late => "\x1b[31m",
        Status::DueSoon => "\x1b[33m",
        Status::Met => "\x1b[32m",
        Status::Upcoming => "\x1b[36m",
        Status::Ongoing | Status::Unknown | Status::Moot => "\x1b[2m",
    }
}

fn disagreements(out: &mut String, records: &[DeadlineRecord]) {
    let with: Vec<&DeadlineRecord> = records.iter().filter(|r| !r.sources_disagree.is_empty()).collect();
    if with.is_empty() {
        return;
    }
    out.push_str("\nSources that disagree with the computed date:\n");
    for record in with {
        let provision = record.provision.as_ref().map(|p| format!("{}, ", p.label)).unwrap_or_default();
        out.push_str(&format!("  {} ({provision}due {}):\n", record.title, due_text(record)));
        for claim in &record.sources_disagree {
            let why = claim.explanation.as_deref().map(|e| format!(" — {e}")).unwrap_or_default();
            out.push_str(&format!("    {} says “{}”{why}\n", claim.source.label, claim.value));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_are_cut_by_display_width() {
        assert_eq!(fit("abcdef", 4), "abc…");
        assert_eq!(fit("abc", 4), "abc");
        assert_eq!(fit("日本語です", 5), "日本…");
        assert!(fit("日本語です", 5).width() <= 5);
    }

    #[test]
    fn every_status_has_a_colour() {
        for status in [Status::Passed, Status::DueSoon, Status::Upcoming, Status::Met, Status::Late, Status::Ongoing] {
            assert!(ansi(status).starts_with("\x1b["));
        }
    }
}
