//! Deadline exports: site + graph → `deadlines.ics`, `deadlines.csv`, `deadlines.json`,
//! and one `for/<audience>/deadlines.ics` per audience.
//!
//! Every export is made from the same [`DeadlineRecord`]s, one per deadline in the
//! table's order (by due date, undated last), so the files can never disagree with each
//! other or with the deadline page. Records hold absolute URLs made from `base_url`,
//! whatever the site's URL mode, because exported files leave the site.
//!
//! Builds are deterministic: the calendar's DTSTAMP is midnight UTC of the as-of date
//! (not the wall clock), UIDs are `<deadline id>@<host of base_url>`, and every list is
//! in a fixed order, so the same knowledge base and as-of date give the same bytes.
//!
//! Formats:
//!
//! - iCalendar (RFC 5545) through the `icalendar` crate, which escapes text, folds lines
//!   at 75 octets and ends them with CRLF, as Outlook and Google Calendar require. Each
//!   dated deadline is an all-day event (DTEND is the next day, as the RFC's exclusive
//!   end demands); undated ones (ongoing, not yet known) have no event.
//! - CSV (RFC 4180) through the `csv` crate, CRLF records, lists joined with "; ". A
//!   text cell starting with `=`, `+`, `-`, `@`, tab or carriage return is prefixed with
//!   an apostrophe so a spreadsheet does not run it as a formula.
//! - JSON: a [`DeadlineDocument`], schema `docket-deadlines/1`, documented in the README.

use std::collections::BTreeMap;

use chrono::{Days, NaiveDate, NaiveTime};
use icalendar::{Calendar, Component, Event, EventLike, Property};
use serde::{Deserialize, Serialize};

use crate::model::{ItemId, Kind, Site, instrument_short};
use crate::render::markdown::item_label;
use crate::render::urls::Urls;
use crate::render::{Contents, OutputFile};
use crate::resolve::{DeadlineDate, Graph, Status};
use crate::rules::{Counting, NonBusinessDay, Unit};
use crate::text::{human_date, slugify};

/// The `schema` value of `deadlines.json`; bumped when a field changes meaning.
pub const SCHEMA: &str = "docket-deadlines/1";

/// The route of the site-wide calendar.
pub const ICS_ROUTE: &str = "deadlines.ics";
/// The route of the CSV export.
pub const CSV_ROUTE: &str = "deadlines.csv";
/// The route of the JSON export.
pub const JSON_ROUTE: &str = "deadlines.json";

/// An export format, as `docket deadlines --format` names it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// iCalendar.
    Ics,
    /// Comma-separated values.
    Csv,
    /// JSON.
    Json,
}

/// The whole of `deadlines.json`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DeadlineDocument {
    /// Always [`SCHEMA`].
    pub schema: String,
    /// The knowledge base's title.
    pub title: String,
    /// Its home page.
    pub url: String,
    /// The date statuses are computed against, `YYYY-MM-DD`.
    pub as_of: NaiveDate,
    /// Every deadline, by due date (undated last), then title.
    pub deadlines: Vec<DeadlineRecord>,
}

/// One deadline, everything the table shows, with absolute URLs.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DeadlineRecord {
    /// Stable id.
    pub id: String,
    /// Title.
    pub title: String,
    /// The deadline's page.
    pub url: String,
    /// The instrument it belongs to (its provision's), when known.
    pub instrument: Option<Reference>,
    /// The provision that sets it.
    pub provision: Option<Reference>,
    /// What must be done.
    pub action: String,
    /// Acting agencies.
    pub agencies: Vec<Reference>,
    /// Agencies consulted.
    pub consulting: Vec<Reference>,
    /// The rule as written.
    pub rule: String,
    /// The due date, when the rule gives one.
    pub due: Option<NaiveDate>,
    /// The date before any roll to the next business day.
    pub nominal_due: Option<NaiveDate>,
    /// How the date was derived.
    pub derivation: String,
    /// The counting convention used.
    pub counting: Counting,
    /// The weekend and holiday policy used.
    pub non_business_day: NonBusinessDay,
    /// Why the date is not a business day, when it is not (under `flag` and `roll`).
    pub non_business_note: Option<String>,
    /// Status on the as-of date.
    pub status: Status,
    /// The status for people.
    pub status_label: String,
    /// Days from the as-of date to the due date; negative when overdue.
    pub days_left: Option<i64>,
    /// The recorded completion.
    pub completed: Option<CompletionRecord>,
    /// The audiences it matters to, most relevant first.
    pub audiences: Vec<AudienceRecord>,
    /// Sources whose claimed date is the computed date.
    pub sources_agree: Vec<SourceClaim>,
    /// Sources whose claimed date differs.
    pub sources_disagree: Vec<SourceClaim>,
    /// For a recurring duty, every listed occurrence (after the non-business-day policy),
    /// the first included; empty for one-off deadlines.
    pub occurrences: Vec<NaiveDate>,
    /// For a recurring duty whose occurrences an RFC 5545 RRULE reproduces exactly, that
    /// rule (`FREQ=YEARLY;INTERVAL=2;UNTIL=20361231`); the calendar then holds one event
    /// from the first occurrence, else one event per occurrence.
    pub rrule: Option<String>,
}

/// A link to another item.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reference {
    /// Its id.
    pub id: String,
    /// Its short label ("Sec. 3(a)", "CISA").
    pub label: String,
    /// Its title.
    pub title: String,
    /// Its page.
    pub url: String,
}

/// An audience with its relevance.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AudienceRecord {
    /// The audience.
    #[serde(flatten)]
    pub audience: Reference,
    /// `high`, `medium` or `low`.
    pub relevance: String,
}

/// What one source claims about the due date.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SourceClaim {
    /// The source.
    #[serde(flatten)]
    pub source: Reference,
    /// The value it claims, as written.
    pub value: String,
    /// For a disagreement: the reading that would produce it, when one does.
    pub explanation: Option<String>,
}

/// A recorded completion.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CompletionRecord {
    /// When it was done.
    pub date: Option<NaiveDate>,
    /// The source recording it.
    pub source: Option<Reference>,
    /// The editor's note.
    pub note: Option<String>,
}

/// Makes the exports of one site.
pub struct Export<'a> {
    site: &'a Site,
    graph: &'a Graph,
    urls: Urls,
}

impl<'a> Export<'a> {
    /// Exports of `site`, with absolute URLs from its `base_url`.
    pub fn new(site: &'a Site, graph: &'a Graph) -> Export<'a> {
        let urls = Urls::new(site.config.base_path(), site.config.origin(), false);
        Export { site, graph, urls }
    }

    /// Every deadline, in the table's order.
    pub fn records(&self) -> Vec<DeadlineRecord> {
        self.graph.deadline_order.iter().map(|&id| self.record(id)).collect()
    }

    /// The deadlines that matter to `audience`, in the table's order.
    pub fn records_for(&self, audience: ItemId) -> Vec<DeadlineRecord> {
        self.graph
            .deadline_order
            .iter()
            .filter(|id| self.graph.audiences[id.index()].iter().any(|(a, _)| *a == audience))
            .map(|&id| self.record(id))
            .collect()
    }

    /// Every export file: the three site-wide files and one calendar per audience.
    pub fn files(&self) -> Vec<OutputFile> {
        let records = self.records();
        let mut files = vec![
            bytes_file(ICS_ROUTE, self.ics(&records, None)),
            bytes_file(CSV_ROUTE, csv(&records)),
            bytes_file(JSON_ROUTE, self.json(records.clone())),
        ];
        // One pass over the records gives each audience its list, in the table's order.
        let mut by_audience: BTreeMap<&str, Vec<DeadlineRecord>> = BTreeMap::new();
        for record in &records {
            for audience in &record.audiences {
                by_audience.entry(audience.audience.id.as_str()).or_default().push(record.clone());
            }
        }
        for (id, audience) in self.site.of_kind(Kind::Audience) {
            let theirs = by_audience.get(audience.id.as_str()).map_or(&[][..], Vec::as_slice);
            files.push(bytes_file(&audience_calendar_route(self.site, id), self.ics(theirs, Some(id))));
        }
        files
    }

    /// One format of the given records as text.
    pub fn write(&self, format: Format, records: Vec<DeadlineRecord>, audience: Option<ItemId>) -> String {
        match format {
            Format::Ics => self.ics(&records, audience),
            Format::Csv => csv(&records),
            Format::Json => self.json(records),
        }
    }

    /// `deadlines.json`.
    pub fn json(&self, deadlines: Vec<DeadlineRecord>) -> String {
        let document = DeadlineDocument {
            schema: SCHEMA.to_string(),
            title: self.site.config.title.clone(),
            url: self.urls.absolute(""),
            as_of: self.site.as_of,
            deadlines,
        };
        let mut json = serde_json::to_string_pretty(&document).expect("records serialise: plain strings and dates");
        json.push('\n');
        json
    }

    /// An iCalendar of the dated records; `audience` names the calendar after it.
    pub fn ics(&self, records: &[DeadlineRecord], audience: Option<ItemId>) -> String {
        let config = &self.site.config;
        let name = match audience {
            Some(id) => format!("{}: deadlines for {}", config.title, self.site.item(id).title),
            None => format!("{}: deadlines", config.title),
        };
        let mut calendar = Calendar::empty();
        for (key, value) in [
            ("VERSION", "2.0"),
            ("PRODID", "-//docket//deadlines//EN"),
            ("CALSCALE", "GREGORIAN"),
            ("METHOD", "PUBLISH"),
        ] {
            calendar.append_property(Property::new(key, value));
        }
        calendar.append_property(Property::new("X-WR-CALNAME", ics_text(&name)));
        if !config.description.is_empty() {
            calendar.append_property(Property::new("X-WR-CALDESC", ics_text(&config.description)));
        }
        // Subscribed calendars refresh daily, as statuses and dates may change per build.
        calendar
            .append_property(Property::new("REFRESH-INTERVAL", "P1D").append_parameter(("VALUE", "DURATION")).done());
        calendar.append_property(Property::new("X-PUBLISHED-TTL", "P1D"));
        for record in records {
            for event in self.events(record) {
                calendar.push(event);
            }
        }
        calendar.to_string()
    }

    /// The events of one record: one for a one-off deadline; for a recurring one, one with
    /// its RRULE, or one per occurrence when no RRULE reproduces the series.
    fn events(&self, record: &DeadlineRecord) -> Vec<Event> {
        let uid = format!("{}@{}", uid_part(&record.id), self.uid_host());
        match (&record.rrule, record.occurrences.as_slice()) {
            (_, []) => record.due.and_then(|due| self.event(record, due, uid)).into_iter().collect(),
            (Some(rule), [first, ..]) => {
                let mut event = self.event(record, *first, uid);
                if let Some(event) = &mut event {
                    event.add_property("RRULE", rule.as_str());
                }
                event.into_iter().collect()
            }
            (None, occurrences) => occurrences
                .iter()
                .enumerate()
                .filter_map(|(n, due)| {
                    self.event(record, *due, format!("{}-{}@{}", uid_part(&record.id), n + 1, self.uid_host()))
                })
                .collect(),
        }
    }

    fn event(&self, record: &DeadlineRecord, due: NaiveDate, uid: String) -> Option<Event> {
        let stamp = self.site.as_of.and_time(NaiveTime::MIN).and_utc();
        let summary = match &record.provision {
            Some(provision) => format!("{} ({})", record.title, provision.label),
            None => record.title.clone(),
        };
        let mut event = Event::new();
        event
            .uid(&uid)
            .timestamp(stamp)
            .starts(due)
            .ends(due.checked_add_days(Days::new(1)).unwrap_or(due))
            .summary(&ics_text(&summary))
            .description(&ics_text(&event_description(record)))
            .url(&record.url)
            // A deadline does not make anyone busy: show it, never block the day.
            .add_property("TRANSP", "TRANSPARENT")
            .add_property("X-MICROSOFT-CDO-ALLDAYEVENT", "TRUE")
            .add_property("X-MICROSOFT-CDO-BUSYSTATUS", "FREE");
        Some(event.done())
    }

    /// The host part of UIDs: the host of `base_url`, else a name made from the title
    /// under the reserved `.invalid` domain, so UIDs stay unique and stable.
    fn uid_host(&self) -> String {
        let origin = self.site.config.origin();
        match origin.split_once("://").map(|(_, host)| host).filter(|h| !h.is_empty()) {
            Some(host) => host.to_string(),
            None => format!("{}.docket.invalid", slugify(&self.site.config.title)),
        }
    }

    fn record(&self, id: ItemId) -> DeadlineRecord {
        let site = self.site;
        let graph = self.graph;
        let item = site.item(id);
        let details = item.deadline();
        let date = graph.deadlines[id.index()].as_ref();
        let claims = graph.claims.about_due_date(id, date);
        let claim = |n: usize, explanation: Option<String>| SourceClaim {
            source: self.reference(graph.claims.all[n].source),
            value: graph.claims.all[n].value_text(),
            explanation,
        };
        DeadlineRecord {
            id: item.id.clone(),
            title: item.title.clone(),
            url: self.urls.absolute(&item.route),
            instrument: graph.instrument_of[id.index()]
                .filter(|_| graph.deadline_provision[id.index()].is_some() || item.doc.front.instrument.is_some())
                .map(|i| self.reference(i)),
            provision: graph.deadline_provision[id.index()].map(|p| self.reference(p)),
            action: details.and_then(|d| d.action.clone()).unwrap_or_else(|| item.title.clone()),
            agencies: graph.agencies[id.index()].iter().map(|&a| self.reference(a)).collect(),
            consulting: graph.consulting[id.index()].iter().map(|&a| self.reference(a)).collect(),
            rule: details.and_then(|d| d.rule_text.clone()).unwrap_or_default(),
            due: date.and_then(|d| d.due),
            nominal_due: date.and_then(|d| d.computed.as_ref().map(|c| c.nominal).or(d.due)),
            derivation: date.map(|d| d.derivation.clone()).unwrap_or_default(),
            counting: date.map_or(site.config.deadlines.counting, |d| d.counting),
            non_business_day: date.map_or(site.config.deadlines.non_business_day, |d| d.policy),
            non_business_note: date.and_then(|d| d.computed.as_ref()).and_then(|c| c.non_business.clone()),
            status: date.map_or(Status::Unknown, |d| d.status),
            status_label: date.map_or(Status::Unknown, |d| d.status).label().to_string(),
            days_left: date.and_then(|d| d.days_left),
            completed: date.and_then(|d| d.completed.as_ref()).map(|c| CompletionRecord {
                date: c.date,
                source: c.source.map(|s| self.reference(s)),
                note: c.note.clone(),
            }),
            audiences: graph.audiences[id.index()]
                .iter()
                .map(|&(a, relevance)| AudienceRecord {
                    audience: self.reference(a),
                    relevance: relevance.label().to_string(),
                })
                .collect(),
            sources_agree: dedup_sources(claims.agree.iter().map(|&n| claim(n, None)).collect()),
            sources_disagree: claims.disagree.into_iter().map(|(n, explanation)| claim(n, explanation)).collect(),
            occurrences: date.map(|d| d.occurrences.iter().map(|o| o.due).collect()).unwrap_or_default(),
            rrule: date.and_then(rrule),
        }
    }

    fn reference(&self, id: ItemId) -> Reference {
        let item = self.site.item(id);
        let label = match item.kind {
            Kind::Instrument => instrument_short(item),
            _ => item_label(item),
        };
        Reference { id: item.id.clone(), label, title: item.title.clone(), url: self.urls.absolute(&item.route) }
    }
}

/// The RFC 5545 RRULE reproducing a recurring deadline's occurrences, when one does: the
/// policy never moved an occurrence (a rolled date breaks the rhythm), and month or year
/// steps start on a day every month (or year) has, since RRULE skips months without a
/// 31st where docket clamps to the month's end. Business-day steps have no RRULE.
fn rrule(date: &DeadlineDate) -> Option<String> {
    use chrono::Datelike;
    let every = date.every?;
    let first = date.occurrences.first()?;
    if date.occurrences.iter().any(|o| o.due != o.nominal) || date.policy == NonBusinessDay::Roll {
        return None;
    }
    let (freq, interval) = match every.unit {
        Unit::Days => ("DAILY", every.amount),
        Unit::Weeks => ("WEEKLY", every.amount),
        Unit::Months if first.nominal.day() <= 28 => ("MONTHLY", every.amount),
        Unit::Years if (first.nominal.month(), first.nominal.day()) != (2, 29) => ("YEARLY", every.amount),
        Unit::Months | Unit::Years | Unit::BusinessDays => return None,
    };
    let mut rule = format!("FREQ={freq};INTERVAL={interval}");
    if let Some(until) = every.until {
        rule.push_str(&format!(";UNTIL={}", until.format("%Y%m%d")));
    }
    Some(rule)
}

/// Where an audience's calendar is published: beside its landing page.
pub fn audience_calendar_route(site: &Site, audience: ItemId) -> String {
    format!("{}{ICS_ROUTE}", site.item(audience).route)
}

fn bytes_file(path: &str, text: String) -> OutputFile {
    OutputFile { path: path.to_string(), contents: Contents::Bytes(text.into_bytes()) }
}

/// A source that states the computed date twice (two claims) agrees once.
fn dedup_sources(mut claims: Vec<SourceClaim>) -> Vec<SourceClaim> {
    claims.dedup_by(|a, b| a.source.id == b.source.id);
    claims
}

/// Text for an iCalendar TEXT value: the crate escapes `\ , ;` and newlines, but a
/// carriage return would end the content line, so line ends become plain newlines.
fn ics_text(text: &str) -> String {
    text.replace("\r\n", "\n").replace('\r', "\n")
}

/// An id as part of a UID, which the crate writes unescaped: a control character (a CR in
/// an id put a bare CR into the calendar) is percent-encoded, so the UID stays one line
/// and distinct ids stay distinct.
fn uid_part(id: &str) -> String {
    let mut out = String::with_capacity(id.len());
    for c in id.chars() {
        match c {
            '%' => out.push_str("%25"),
            c if c.is_control() => out.push_str(&format!("%{:02X}", u32::from(c))),
            c => out.push(c),
        }
    }
    out
}

/// The event description: what, under which provision, who, how the date was counted,
/// what the sources say, and the link.
fn event_description(record: &DeadlineRecord) -> String {
    let mut lines = vec![record.action.clone()];
    if let Some(instrument) = &record.instrument {
        lines.push(format!("Instrument: {} – {}", instrument.label, instrument.title));
    }
    if let Some(provision) = &record.provision {
        lines.push(format!("Provision: {} – {} ({})", provision.label, provision.title, provision.url));
    }
    if !record.agencies.is_empty() {
        lines.push(format!("Acting: {}", labels(&record.agencies)));
    }
    lines.push(format!("Rule: {}", record.rule));
    lines.push(format!("Date: {}", record.derivation));
    if let Some(note) = &record.non_business_note {
        lines.push(format!("Not a business day: {note}"));
    }
    for claim in &record.sources_disagree {
        let why = claim.explanation.as_deref().map(|e| format!(" ({e})")).unwrap_or_default();
        lines.push(format!("{} says “{}”{why}", claim.source.label, claim.value));
    }
    lines.push(format!("Details: {}", record.url));
    lines.join("\n")
}

fn labels(references: &[Reference]) -> String {
    references.iter().map(|r| r.label.as_str()).collect::<Vec<_>>().join(", ")
}

/// The CSV columns, in order.
pub const CSV_HEADER: [&str; 19] = [
    "id",
    "title",
    "due",
    "status",
    "days_left",
    "provision",
    "action",
    "agencies",
    "consulting",
    "rule",
    "derivation",
    "non_business_day",
    "completed",
    "audiences",
    "sources_agree",
    "sources_disagree",
    "url",
    "provision_url",
    "instrument",
];

/// `deadlines.csv`.
pub fn csv(records: &[DeadlineRecord]) -> String {
    let mut writer = csv::WriterBuilder::new().terminator(csv::Terminator::CRLF).from_writer(Vec::new());
    let mut rows = vec![CSV_HEADER.iter().map(|h| h.to_string()).collect::<Vec<_>>()];
    rows.extend(records.iter().map(csv_row));
    for row in rows {
        writer.write_record(&row).expect("writing to memory does not fail");
    }
    let bytes = writer.into_inner().expect("writing to memory does not fail");
    String::from_utf8(bytes).expect("every cell is a Rust string")
}

fn csv_row(record: &DeadlineRecord) -> Vec<String> {
    let date = |d: Option<NaiveDate>| d.map(|d| d.format("%Y-%m-%d").to_string()).unwrap_or_default();
    let completed = record.completed.as_ref().map(|c| {
        let source = c.source.as_ref().map(|s| format!(" ({})", s.label)).unwrap_or_default();
        format!("{}{source}", date(c.date))
    });
    let agree = record.sources_agree.iter().map(|c| c.source.label.clone()).collect::<Vec<_>>().join("; ");
    let disagree = record
        .sources_disagree
        .iter()
        .map(|c| {
            let why = c.explanation.as_deref().map(|e| format!(" ({e})")).unwrap_or_default();
            format!("{}: {}{why}", c.source.label, c.value)
        })
        .collect::<Vec<_>>()
        .join("; ");
    let audiences = record.audiences.iter().map(|a| a.audience.id.clone()).collect::<Vec<_>>().join("; ");
    let text = [record.id.clone(), record.title.clone(), date(record.due), record.status_label.clone()];
    let rest = [
        record.provision.as_ref().map(|p| p.label.clone()).unwrap_or_default(),
        record.action.clone(),
        labels(&record.agencies).replace(", ", "; "),
        labels(&record.consulting).replace(", ", "; "),
        record.rule.clone(),
        record.derivation.clone(),
        record.non_business_note.clone().unwrap_or_default(),
        completed.unwrap_or_default(),
        audiences,
        agree,
        disagree,
        record.url.clone(),
        record.provision.as_ref().map(|p| p.url.clone()).unwrap_or_default(),
        record.instrument.as_ref().map(|i| i.label.clone()).unwrap_or_default(),
    ];
    let mut row: Vec<String> = text.into_iter().map(|cell| neutralise_formula(&cell)).collect();
    // A number we wrote ourselves is safe as it is, and a spreadsheet should see a number.
    row.push(record.days_left.map(|d| d.to_string()).unwrap_or_default());
    row.extend(rest.into_iter().map(|cell| neutralise_formula(&cell)));
    row
}

/// Prefixes a cell a spreadsheet would read as a formula with an apostrophe (the OWASP
/// advice for CSV injection), leaving every other cell untouched.
pub fn neutralise_formula(cell: &str) -> String {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) { format!("'{cell}") } else { cell.to_string() }
}

/// "2 July 2026", or "no date" for undated deadlines, for text outputs.
pub fn due_text(record: &DeadlineRecord) -> String {
    record.due.map(human_date).unwrap_or_else(|| "no date".to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::{Computed, Every, HolidayCalendar};

    fn day(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").expect("test dates are valid")
    }

    /// A recurring deadline's date whose occurrences fall on `nominal` and, after the
    /// policy, on `due`.
    fn series(every: Every, policy: NonBusinessDay, dates: &[(&str, &str)]) -> DeadlineDate {
        let occurrences: Vec<Computed> = dates
            .iter()
            .map(|(nominal, due)| Computed {
                due: day(due),
                nominal: day(nominal),
                derivation: String::new(),
                non_business: None,
            })
            .collect();
        DeadlineDate {
            due: occurrences.first().map(|o| o.due),
            computed: occurrences.first().cloned(),
            derivation: String::new(),
            status: Status::Upcoming,
            days_left: None,
            basis: None,
            counting: Counting::ExcludeAnchor,
            policy,
            completed: None,
            occurrences,
            every: Some(every),
            calendar: HolidayCalendar::default(),
        }
    }

    #[test]
    fn an_rrule_only_where_it_reproduces_the_series() {
        let years = |amount, until: Option<&str>| Every { amount, unit: Unit::Years, until: until.map(day) };
        let flag = NonBusinessDay::Flag;
        let plans = series(years(2, Some("2036-12-31")), flag, &[("2024-09-24", "2024-09-24")]);
        assert_eq!(rrule(&plans).as_deref(), Some("FREQ=YEARLY;INTERVAL=2;UNTIL=20361231"));
        let weekly = Every { amount: 2, unit: Unit::Weeks, until: None };
        assert_eq!(
            rrule(&series(weekly, flag, &[("2026-01-05", "2026-01-05")])).as_deref(),
            Some("FREQ=WEEKLY;INTERVAL=2")
        );
        let daily = Every { amount: 180, unit: Unit::Days, until: None };
        assert_eq!(
            rrule(&series(daily, flag, &[("2026-01-05", "2026-01-05")])).as_deref(),
            Some("FREQ=DAILY;INTERVAL=180")
        );
        // RRULE skips months without a 31st and years without a 29 February; docket clamps.
        let monthly = Every { amount: 1, unit: Unit::Months, until: None };
        assert_eq!(rrule(&series(monthly, flag, &[("2026-01-31", "2026-01-31")])), None);
        assert_eq!(rrule(&series(years(1, None), flag, &[("2024-02-29", "2024-02-29")])), None);
        // A rolled occurrence (or a policy that may roll one) breaks the rhythm.
        assert_eq!(rrule(&series(years(1, None), NonBusinessDay::Roll, &[("2025-12-01", "2025-12-01")])), None);
        let business = Every { amount: 10, unit: Unit::BusinessDays, until: None };
        assert_eq!(rrule(&series(business, flag, &[("2026-01-05", "2026-01-05")])), None);
    }

    #[test]
    fn formulas_are_neutralised_and_nothing_else() {
        for dangerous in ["=1+1", "+1", "-2+3", "@SUM(A1)", "\tx", "\rx"] {
            assert_eq!(neutralise_formula(dangerous), format!("'{dangerous}"));
        }
        for safe in ["2026-08-01", "Sec. 3(a)", "", "a=b", " =x"] {
            assert_eq!(neutralise_formula(safe), safe);
        }
    }

    #[test]
    fn carriage_returns_never_reach_a_content_line() {
        assert_eq!(ics_text("a\r\nb\rc"), "a\nb\nc");
    }

    /// Finding 6: an id containing a CR put a bare CR into the `.ics`.
    #[test]
    fn control_characters_in_an_id_are_encoded_in_its_uid() {
        assert_eq!(uid_part("a\rb\n%c"), "a%0Db%0A%25c");
        assert_eq!(uid_part("sec-3(a)"), "sec-3(a)");
    }
}
