//! The deadline timeline: deadlines → one static, accessible SVG, made at build time.
//!
//! The picture is vertical so that every deadline gets a whole line of text, however
//! many fall on the same date: dates run down a central axis, each distinct date gets a
//! marker and its label on the left, and its deadlines are listed one per line on the
//! right. The space between two dates grows with the time between them (logarithmically,
//! so a year does not dwarf a week) and is labelled ("+30 days"). A dashed rule marks
//! the as-of date. Undated deadlines (ongoing duties, dates not yet known) follow below
//! a break in the axis, grouped under their own headings, since they have no place on a
//! time line.
//!
//! Accessibility: the SVG has `role="img"`, a `<title>` and a `<desc>` that lists every
//! deadline in words; every deadline is a text label that says its status, and status
//! is also told by the marker's shape (legend on top), never by colour alone. No
//! script, no external resources; text uses `currentColor` so it follows the page's
//! colour scheme, and the CSS classes let a theme recolour the markers.
//!
//! Output is a pure function of the entries and the as-of date, written with integer
//! coordinates, so the same knowledge base always gives the same bytes.

use std::fmt::Write;

use chrono::NaiveDate;

use crate::model::Site;
use crate::render::markdown::item_label;
use crate::resolve::{DeadlineDate, Graph, Status};
use crate::text::{escape_html, human_date};

/// One deadline on the timeline.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TimelineEntry {
    /// Due date; `None` for ongoing and not-yet-known deadlines.
    pub due: Option<NaiveDate>,
    /// Status on the as-of date.
    pub status: Status,
    /// What the line says: "Sec. 2(c): CISA: release directives".
    pub label: String,
    /// The status in the words pages use ("date passed", not "overdue", where completions
    /// are not tracked).
    pub status_label: &'static str,
}

/// What to draw.
#[derive(Clone, Debug)]
pub struct Timeline<'a> {
    /// The deadlines, dated ones sorted by date (the order of the deadline table).
    pub entries: &'a [TimelineEntry],
    /// The as-of date, marked on the axis.
    pub as_of: NaiveDate,
    /// Prefix of the element ids (`<title>`/`<desc>`), unique on the page.
    pub id: &'a str,
}

/// The entries of every deadline of the site, in the table's order; `told` words a dated
/// deadline's status as the page's other views do.
pub fn entries(site: &Site, graph: &Graph, told: &dyn Fn(&DeadlineDate) -> &'static str) -> Vec<TimelineEntry> {
    graph
        .deadline_order
        .iter()
        .map(|&id| {
            let item = site.item(id);
            let date = graph.deadlines[id.index()].as_ref();
            let label = match graph.deadline_provision[id.index()] {
                Some(provision) => format!("{}: {}", item_label(site.item(provision)), item.title),
                None => item.title.clone(),
            };
            TimelineEntry {
                due: date.and_then(|d| d.due),
                status: date.map_or(Status::Unknown, |d| d.status),
                label,
                status_label: date.map_or(Status::Unknown.label(), told),
            }
        })
        .collect()
}

const WIDTH: i64 = 960;
const DATE_X: i64 = 150;
const AXIS_X: i64 = 170;
const LABEL_X: i64 = 190;
const LINE: i64 = 22;
const TOP: i64 = 56;
/// Characters that fit right of the axis at 13px (an average glyph is about 7px wide).
const LABEL_CHARS: usize = ((WIDTH - LABEL_X) / 7) as usize;

/// Draws the timeline; empty when there are no deadlines.
pub fn svg(timeline: &Timeline<'_>) -> String {
    if timeline.entries.is_empty() {
        return String::new();
    }
    let mut body = String::new();
    let mut y = TOP;
    y = draw_dated(&mut body, timeline, y);
    y = draw_undated(&mut body, timeline.entries, y);
    let height = y + LINE / 2;
    let id = timeline.id;
    let mut out = String::with_capacity(body.len() + 2048);
    let _ = write!(
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"timeline\" role=\"img\" \
         aria-labelledby=\"{id}-title {id}-desc\" viewBox=\"0 0 {WIDTH} {height}\" \
         width=\"{WIDTH}\" height=\"{height}\" font-family=\"system-ui, sans-serif\" font-size=\"13\">\n\
         <title id=\"{id}-title\">{}</title>\n<desc id=\"{id}-desc\">{}</desc>\n",
        escape_html(&title(timeline)),
        escape_html(&description(timeline)),
    );
    legend(&mut out, timeline.entries);
    out.push_str(&body);
    out.push_str("</svg>\n");
    out
}

/// "Timeline of 9 deadlines, 2 July 2026 to 1 August 2026".
fn title(timeline: &Timeline<'_>) -> String {
    let dates: Vec<NaiveDate> = timeline.entries.iter().filter_map(|e| e.due).collect();
    let count = timeline.entries.len();
    let noun = if count == 1 { "deadline" } else { "deadlines" };
    match (dates.iter().min(), dates.iter().max()) {
        (Some(first), Some(last)) if first != last => {
            format!("Timeline of {count} {noun}, {} to {}", human_date(*first), human_date(*last))
        }
        (Some(only), _) => format!("Timeline of {count} {noun}, due {}", human_date(*only)),
        _ => format!("Timeline of {count} {noun}, none of them dated"),
    }
}

/// Every deadline in words, in the picture's order.
fn description(timeline: &Timeline<'_>) -> String {
    let mut parts = Vec::new();
    let mut as_of_told = false;
    for entry in timeline.entries {
        match entry.due {
            Some(due) => {
                if !as_of_told && due >= timeline.as_of {
                    parts.push(format!("As of {}.", human_date(timeline.as_of)));
                    as_of_told = true;
                }
                parts.push(format!("{}: {} ({}).", human_date(due), entry.label, entry.status_label));
            }
            None => parts.push(format!("No date: {} ({}).", entry.label, entry.status_label)),
        }
    }
    if !as_of_told {
        let at = parts.iter().position(|p| p.starts_with("No date")).unwrap_or(parts.len());
        parts.insert(at, format!("As of {}.", human_date(timeline.as_of)));
    }
    parts.join(" ")
}

/// The shapes and what they mean, across the top. The moot mark is explained only where
/// a revoked instrument's deadline is drawn, since most knowledge bases never have one.
fn legend(out: &mut String, entries: &[TimelineEntry]) {
    let mut items = vec![
        (Status::Upcoming, "upcoming"),
        (Status::DueSoon, "due soon"),
        (Status::Passed, "passed"),
        (Status::Met, "met"),
        (Status::Late, "met late"),
        (Status::Ongoing, "no date"),
    ];
    if entries.iter().any(|e| e.status == Status::Moot) {
        items.push((Status::Moot, "moot: instrument revoked"));
    }
    out.push_str("<g class=\"timeline-legend\" font-size=\"12\">\n");
    let mut x = 12;
    for (status, label) in items {
        marker(out, status, x + 6, 18);
        let _ = writeln!(out, "<text x=\"{}\" y=\"22\" fill=\"currentColor\">{label}</text>", x + 16);
        x += 22 + 7 * label.len() as i64 + 18;
    }
    out.push_str("</g>\n");
}

/// The dated deadlines, grouped by date, with the as-of rule in its place.
fn draw_dated(out: &mut String, timeline: &Timeline<'_>, mut y: i64) -> i64 {
    let dated: Vec<&TimelineEntry> = timeline.entries.iter().filter(|e| e.due.is_some()).collect();
    let mut previous: Option<NaiveDate> = None;
    let mut as_of_drawn = false;
    let mut start = 0;
    let axis_top = y - LINE / 2;
    while start < dated.len() {
        let date = dated[start].due.expect("only dated entries are collected");
        let end = start + dated[start..].iter().take_while(|e| e.due == Some(date)).count();
        if !as_of_drawn && date >= timeline.as_of {
            y = as_of_rule(out, timeline.as_of, y);
            as_of_drawn = true;
        }
        if let Some(before) = previous {
            y = gap(out, (date - before).num_days(), y);
        }
        y = date_group(out, date, &dated[start..end], y);
        previous = Some(date);
        start = end;
    }
    if !as_of_drawn && !dated.is_empty() {
        y = as_of_rule(out, timeline.as_of, y);
    }
    if !dated.is_empty() {
        let _ = writeln!(
            out,
            "<line class=\"timeline-axis\" x1=\"{AXIS_X}\" y1=\"{axis_top}\" x2=\"{AXIS_X}\" y2=\"{}\" \
             stroke=\"currentColor\" stroke-width=\"2\"/>",
            y - LINE / 2
        );
    }
    y
}

/// Space for the time between two dates, labelled: "+30 days".
fn gap(out: &mut String, days: i64, y: i64) -> i64 {
    // log2 keeps a year-long gap within a few lines while a week still shows.
    let extra = (6.0 * (1.0 + days as f64).log2()).round() as i64;
    let height = extra.clamp(4, 60);
    if height >= 14 {
        let label = if days == 1 { "+1 day".to_string() } else { format!("+{days} days") };
        let _ = writeln!(
            out,
            "<text class=\"timeline-gap\" x=\"{DATE_X}\" y=\"{}\" text-anchor=\"end\" font-size=\"11\" \
             fill=\"currentColor\" opacity=\"0.7\">{label}</text>",
            y + height / 2 - LINE / 2 + 4
        );
    }
    y + height
}

/// A dashed rule across the picture at the as-of date.
fn as_of_rule(out: &mut String, as_of: NaiveDate, y: i64) -> i64 {
    let mid = y - LINE / 2 + 4;
    let _ = writeln!(
        out,
        "<g class=\"timeline-as-of\"><line x1=\"{}\" y1=\"{mid}\" x2=\"{}\" y2=\"{mid}\" stroke=\"currentColor\" \
         stroke-dasharray=\"6 4\"/><text x=\"{LABEL_X}\" y=\"{}\" font-weight=\"700\" fill=\"currentColor\">\
         As of {}</text></g>",
        DATE_X - 60,
        WIDTH - 10,
        mid + 16,
        human_date(as_of)
    );
    y + LINE + 8
}

/// One date: its label and marker, and a line per deadline due then.
fn date_group(out: &mut String, date: NaiveDate, entries: &[&TimelineEntry], y: i64) -> i64 {
    let _ = writeln!(
        out,
        "<text class=\"timeline-date\" x=\"{DATE_X}\" y=\"{y}\" text-anchor=\"end\" font-weight=\"700\" \
         fill=\"currentColor\"><tspan>{}</tspan></text>",
        human_date(date)
    );
    rows(out, entries, y)
}

/// A line per deadline, each with its own status marker on the axis.
fn rows(out: &mut String, entries: &[&TimelineEntry], mut y: i64) -> i64 {
    for entry in entries {
        marker(out, entry.status, AXIS_X, y - 4);
        let status = entry.status_label;
        let room = LABEL_CHARS.saturating_sub(status.chars().count() + 3).max(12);
        let label = shorten(&entry.label, room);
        let full = format!("{} ({status})", entry.label);
        let _ = writeln!(
            out,
            "<text class=\"timeline-label status-{}\" x=\"{LABEL_X}\" y=\"{y}\" fill=\"currentColor\">\
             <title>{}</title>{} <tspan font-style=\"italic\">— {status}</tspan></text>",
            entry.status.slug(),
            escape_html(&full),
            escape_html(&label),
        );
        y += LINE;
    }
    y
}

/// Ongoing and not-yet-known deadlines, below a dashed stretch of axis.
fn draw_undated(out: &mut String, entries: &[TimelineEntry], mut y: i64) -> i64 {
    for (status, heading) in [(Status::Ongoing, "Ongoing"), (Status::Unknown, "Date not yet known")] {
        let group: Vec<&TimelineEntry> =
            entries.iter().filter(|e| e.due.is_none() && undated_group(e.status) == status).collect();
        if group.is_empty() {
            continue;
        }
        let _ = writeln!(
            out,
            "<line class=\"timeline-axis-undated\" x1=\"{AXIS_X}\" y1=\"{}\" x2=\"{AXIS_X}\" y2=\"{}\" \
             stroke=\"currentColor\" stroke-width=\"2\" stroke-dasharray=\"3 4\"/>",
            y - LINE / 2,
            y + LINE * (group.len() as i64) - LINE / 2
        );
        let _ = writeln!(
            out,
            "<text class=\"timeline-date\" x=\"{DATE_X}\" y=\"{}\" text-anchor=\"end\" font-weight=\"700\" \
             fill=\"currentColor\">{heading}</text>",
            y + 8
        );
        y = rows(out, &group, y + 8) + 4;
    }
    y
}

/// Undated deadlines are listed as ongoing duties, or as not yet known (including
/// undated ones whose completion is recorded).
fn undated_group(status: Status) -> Status {
    if status == Status::Ongoing { Status::Ongoing } else { Status::Unknown }
}

/// A marker whose shape says the status: filled circle upcoming, triangle due soon,
/// crossed circle passed, ticked circle met, square met late, dashed circle undated,
/// struck-through circle moot.
fn marker(out: &mut String, status: Status, x: i64, y: i64) {
    let class = format!("timeline-marker status-{}", status.slug());
    let shape = match status {
        Status::Upcoming => format!("<circle cx=\"{x}\" cy=\"{y}\" r=\"6\" fill=\"#1f4f8a\"/>"),
        Status::DueSoon => {
            format!("<path d=\"M{x} {} L{} {} L{} {} Z\" fill=\"#8a4b00\"/>", y - 7, x + 7, y + 6, x - 7, y + 6)
        }
        Status::Passed => format!(
            "<circle cx=\"{x}\" cy=\"{y}\" r=\"6\" fill=\"#fff\" stroke=\"#9b1c1c\" stroke-width=\"2\"/>\
             <path d=\"M{} {} L{} {} M{} {} L{} {}\" stroke=\"#9b1c1c\" stroke-width=\"2\"/>",
            x - 3,
            y - 3,
            x + 3,
            y + 3,
            x + 3,
            y - 3,
            x - 3,
            y + 3
        ),
        Status::Met => format!(
            "<circle cx=\"{x}\" cy=\"{y}\" r=\"6\" fill=\"#1d6b35\"/>\
             <path d=\"M{} {y} L{} {} L{} {}\" fill=\"none\" stroke=\"#fff\" stroke-width=\"2\"/>",
            x - 3,
            x - 1,
            y + 3,
            x + 3,
            y - 3
        ),
        Status::Late => format!(
            "<rect x=\"{}\" y=\"{}\" width=\"12\" height=\"12\" fill=\"#fff\" stroke=\"#9b1c1c\" stroke-width=\"2\"/>",
            x - 6,
            y - 6
        ),
        Status::Ongoing | Status::Unknown => format!(
            "<circle cx=\"{x}\" cy=\"{y}\" r=\"6\" fill=\"#fff\" stroke=\"#56606b\" stroke-width=\"2\" \
             stroke-dasharray=\"2 2\"/>"
        ),
        // Moot (the instrument was revoked first): a struck-through grey circle.
        Status::Moot => format!(
            "<circle cx=\"{x}\" cy=\"{y}\" r=\"6\" fill=\"#fff\" stroke=\"#56606b\" stroke-width=\"2\"/>\
             <path d=\"M{} {y} L{} {y}\" stroke=\"#56606b\" stroke-width=\"2\"/>",
            x - 6,
            x + 6
        ),
    };
    let _ = writeln!(out, "<g class=\"{class}\">{shape}</g>");
}

/// Cuts a label to `chars` characters at a word boundary, with an ellipsis.
fn shorten(text: &str, chars: usize) -> String {
    if text.chars().count() <= chars {
        return text.to_string();
    }
    let cut: String = text.chars().take(chars.saturating_sub(1)).collect();
    let at_word = cut.rfind(' ').filter(|&i| i > chars / 2).map_or(cut.as_str(), |i| &cut[..i]);
    format!("{}…", at_word.trim_end_matches([' ', ',', ';', ':']))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").expect("test dates are valid")
    }

    fn entry(due: Option<&str>, status: Status, label: &str) -> TimelineEntry {
        TimelineEntry { due: due.map(d), status, label: label.to_string(), status_label: status.label() }
    }

    fn draw(entries: &[TimelineEntry], as_of: &str) -> String {
        svg(&Timeline { entries, as_of: d(as_of), id: "tl" })
    }

    #[test]
    fn nothing_to_draw_gives_nothing() {
        assert_eq!(draw(&[], "2026-07-01"), "");
    }

    #[test]
    fn title_and_description_name_every_deadline() {
        let entries = [
            entry(Some("2026-07-02"), Status::Passed, "Sec. 2(a): Report"),
            entry(Some("2026-08-01"), Status::Upcoming, "Sec. 3(a): Benchmark"),
            entry(None, Status::Ongoing, "Sec. 4: Enforce"),
        ];
        let svg = draw(&entries, "2026-07-15");
        assert!(svg.contains("role=\"img\"") && svg.contains("aria-labelledby=\"tl-title tl-desc\""));
        assert!(svg.contains("<title id=\"tl-title\">Timeline of 3 deadlines, 2 July 2026 to 1 August 2026</title>"));
        assert!(svg.contains(
            "<desc id=\"tl-desc\">2 July 2026: Sec. 2(a): Report (passed, nothing recorded). As of 15 July 2026. \
             1 August 2026: Sec. 3(a): Benchmark (upcoming). No date: Sec. 4: Enforce (ongoing).</desc>"
        ));
        assert!(!svg.contains("<script"));
    }

    #[test]
    fn every_deadline_gets_a_label_saying_its_status() {
        let entries = [
            entry(Some("2026-07-02"), Status::Passed, "Report A"),
            entry(Some("2026-07-02"), Status::Met, "Report B"),
            entry(Some("2026-07-02"), Status::Late, "Report C"),
            entry(None, Status::Unknown, "Report D"),
        ];
        let svg = draw(&entries, "2026-07-15");
        for (label, status) in
            [("Report A", "passed"), ("Report B", "met"), ("Report C", "met late"), ("Report D", "date not yet known")]
        {
            let line = svg.lines().find(|l| l.contains(&format!(">{label} <tspan"))).expect("a label per deadline");
            assert!(line.contains(&format!("— {status}")), "{line}");
        }
        assert_eq!(
            svg.matches("class=\"timeline-date\"").count(),
            2,
            "one date label for three deadlines, one heading"
        );
        assert!(svg.contains(">Date not yet known</text>"));
    }

    #[test]
    fn many_deadlines_on_one_date_each_get_their_own_line() {
        let entries: Vec<TimelineEntry> =
            (0..12).map(|n| entry(Some("2026-08-01"), Status::Upcoming, &format!("Deadline {n}"))).collect();
        let svg = draw(&entries, "2026-07-15");
        let ys: Vec<&str> = svg
            .lines()
            .filter(|l| l.starts_with("<text class=\"timeline-label"))
            .map(|l| l.split("y=\"").nth(1).and_then(|r| r.split('"').next()).expect("a y"))
            .collect();
        let mut unique = ys.clone();
        unique.dedup();
        assert_eq!((ys.len(), unique.len()), (12, 12), "no two labels overlap");
    }

    #[test]
    fn shapes_differ_by_status_not_only_colour() {
        let shape = |status| {
            let mut out = String::new();
            marker(&mut out, status, 0, 0);
            out.replace(|c: char| c == '#' || c.is_ascii_hexdigit(), "")
        };
        let all = [
            Status::Upcoming,
            Status::DueSoon,
            Status::Passed,
            Status::Met,
            Status::Late,
            Status::Ongoing,
            Status::Moot,
        ];
        for (i, a) in all.iter().enumerate() {
            for b in &all[i + 1..] {
                assert_ne!(shape(*a), shape(*b), "{a:?} and {b:?} look alike without colour");
            }
        }
    }

    #[test]
    fn the_as_of_rule_sits_between_past_and_future() {
        let entries =
            [entry(Some("2026-07-02"), Status::Passed, "Past"), entry(Some("2026-09-01"), Status::Upcoming, "Future")];
        let svg = draw(&entries, "2026-08-01");
        let (past, as_of, future) = (
            svg.find(">Past <").unwrap(),
            svg.find("As of 1 August 2026</text>").unwrap(),
            svg.find(">Future <").unwrap(),
        );
        assert!(past < as_of && as_of < future);
        assert!(svg.contains(">+61 days</text>"));
    }

    #[test]
    fn output_is_deterministic_and_escaped() {
        let entries = [entry(Some("2026-07-02"), Status::Upcoming, "R&D <report>")];
        let first = draw(&entries, "2026-07-01");
        assert_eq!(first, draw(&entries, "2026-07-01"));
        assert!(first.contains("R&amp;D &lt;report&gt;") && !first.contains("<report>"));
    }

    #[test]
    fn the_legend_explains_the_moot_mark_where_one_is_drawn() {
        let legend_of = |svg: &str| {
            let start = svg.find("<g class=\"timeline-legend\"").expect("a legend");
            svg[start..start + svg[start..].find("\n</g>\n").expect("the legend ends")].to_string()
        };
        let moot = draw(&[entry(Some("2026-09-01"), Status::Moot, "Revoked duty")], "2026-08-01");
        let legend = legend_of(&moot);
        assert!(legend.contains(">moot: instrument revoked</text>"), "{legend}");
        assert!(legend.contains("status-moot"), "the legend draws the moot marker: {legend}");
        let live = draw(&[entry(Some("2026-09-01"), Status::Upcoming, "Live duty")], "2026-08-01");
        assert!(!legend_of(&live).contains("moot"), "no moot entry, no moot key");
    }

    #[test]
    fn long_labels_are_shortened_at_a_word() {
        let long = "word ".repeat(40);
        let short = shorten(long.trim(), 30);
        assert!(short.ends_with('…') && short.chars().count() <= 30, "{short}");
        assert_eq!(shorten("short", 30), "short");
    }
}
