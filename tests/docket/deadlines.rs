//! Deadlines end to end: computed dates and statuses, chained anchors and their errors,
//! the table page without JavaScript, the timeline, the calendar, CSV and JSON exports
//! read back with parsers, and `docket deadlines`.

use std::process::Command;
use std::str::FromStr;

use chrono::NaiveDate;
use docket::diagnostics::Severity::Error;
use docket::render::exports::{CSV_HEADER, DeadlineDocument, SCHEMA};
use docket::resolve::Status;
use icalendar::{Calendar, CalendarComponent, Component, DatePerhapsTime};

use crate::support::{Kb, assert_at, only};

/// An order signed 2026-06-02 with one deadline of every kind, two audiences, two
/// agencies and a source that agrees with one date and disagrees with another.
/// The standard as-of date is 2026-07-15.
fn order() -> Kb {
    let kb = Kb::new();
    kb.write(
        "content/instruments/order.md",
        "+++\ntitle = \"Test Order\"\nsigned = 2026-06-02\nevents = { publication = 2026-06-05 }\n+++\n",
    )
    .write("content/sections/1.md", "+++\nnumber = \"1\"\ntitle = \"Reports\"\n+++\n")
    .write("content/sections/2.md", "+++\nnumber = \"2\"\ntitle = \"Plans\"\n+++\n")
    .write("content/agencies/epa.md", "+++\ntitle = \"Environmental Protection Agency\"\nshort = \"EPA\"\n+++\n")
    .write("content/agencies/doe.md", "+++\ntitle = \"Department of Energy\"\nshort = \"DOE\"\n+++\n")
    .write("content/audiences/utilities.md", "+++\ntitle = \"Utilities\"\n+++\n")
    .write("content/audiences/contractors.md", "+++\ntitle = \"Contractors\"\n+++\n")
    .write(
        "content/sources/gazette.md",
        "+++\ntitle = \"Gazette\"\nshort = \"Gazette\"\n\n\
         [[claims]]\nabout = \"dl-plan\"\nattribute = \"due\"\nvalue = \"July 31, 2026\"\nquote = \"by July 31\"\nlocation = \"p. 1\"\n\n\
         [[claims]]\nabout = \"dl-report\"\nattribute = \"due\"\nvalue = \"July 2, 2026\"\nquote = \"by July 2\"\nlocation = \"p. 2\"\n+++\n",
    );
    let deadlines = [
        (
            "dl-report",
            "Report",
            "1",
            "within 30 days of signing",
            "audiences = [\"utilities\"]\nagencies = [\"epa\"]\ncompleted = { date = 2026-07-01, source = \"gazette\" }",
        ),
        ("dl-plan", "Plan", "2", "within 60 days of signing", "audiences = [\"contractors\"]\nagencies = [\"doe\"]"),
        ("dl-review", "Review", "2", "within 10 days of dl-plan", "audiences = [\"utilities\", \"contractors\"]"),
        ("dl-late", "Late filing", "1", "no later than 2026-07-10", "completed = { date = 2026-07-12 }"),
        ("dl-missed", "Missed", "1", "within 1 month of publication", "audiences = [\"utilities\"]"),
        ("dl-soon", "Soon", "1", "no later than 2026-07-20", "agencies = [\"epa\", \"doe\"]"),
        ("dl-enforce", "Enforce", "2", "ongoing", "agencies = [\"epa\"]"),
        (
            "dl-guidance",
            "Guidance",
            "2",
            "date not yet known",
            "action = \"=HYPERLINK(\\\"x\\\"), then publish; review\"",
        ),
    ];
    for (id, title, provision, rule, extra) in deadlines {
        kb.write(
            &format!("content/deadlines/{id}.md"),
            &format!("+++\ntitle = \"{title}\"\nprovision = \"{provision}\"\nrule = \"{rule}\"\n{extra}\n+++\n"),
        );
    }
    kb
}

const ALL: [&str; 8] =
    ["dl-report", "dl-plan", "dl-review", "dl-late", "dl-missed", "dl-soon", "dl-enforce", "dl-guidance"];

fn d(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").expect("test dates are valid")
}

/// Due date and status of every deadline, compiled against `as_of`.
fn statuses(kb: &Kb, as_of: &str) -> Vec<(String, Option<NaiveDate>, Status)> {
    let options = docket::BuildOptions { as_of: Some(d(as_of)), ..kb.options() };
    let compiled = docket::compile(&options, false);
    assert!(!compiled.diagnostics.has_errors(), "{}", compiled.diagnostics.render(kb.root(), false));
    compiled
        .graph
        .deadline_order
        .iter()
        .map(|&id| {
            let date = compiled.graph.deadlines[id.index()].as_ref().expect("every deadline is computed");
            (compiled.site.item(id).id.clone(), date.due, date.status)
        })
        .collect()
}

fn status_of(list: &[(String, Option<NaiveDate>, Status)], id: &str) -> Status {
    list.iter().find(|(i, _, _)| i == id).map(|(_, _, s)| *s).expect("listed")
}

#[test]
fn every_rule_kind_gets_its_date_and_the_table_is_sorted_by_it() {
    let kb = order();
    let list = statuses(&kb, "2026-07-15");
    let dates: Vec<(&str, Option<NaiveDate>)> = list.iter().map(|(i, due, _)| (i.as_str(), *due)).collect();
    assert_eq!(
        dates,
        vec![
            ("dl-report", Some(d("2026-07-02"))),
            ("dl-missed", Some(d("2026-07-05"))),
            ("dl-late", Some(d("2026-07-10"))),
            ("dl-soon", Some(d("2026-07-20"))),
            ("dl-plan", Some(d("2026-08-01"))),
            ("dl-review", Some(d("2026-08-11"))),
            ("dl-enforce", None),
            ("dl-guidance", None),
        ]
    );
}

#[test]
fn status_against_several_as_of_dates() {
    let kb = order();
    let on_15_july = statuses(&kb, "2026-07-15");
    for (id, status) in [
        ("dl-report", Status::Met),
        ("dl-late", Status::Late),
        ("dl-missed", Status::Passed),
        ("dl-soon", Status::DueSoon),
        ("dl-plan", Status::Upcoming),
        ("dl-enforce", Status::Ongoing),
        ("dl-guidance", Status::Unknown),
    ] {
        assert_eq!(status_of(&on_15_july, id), status, "{id} on 15 July");
    }
    for (as_of, status) in [
        ("2026-06-10", Status::Upcoming),
        ("2026-07-18", Status::DueSoon),
        ("2026-08-01", Status::DueSoon),
        ("2026-08-02", Status::Passed),
    ] {
        let list = statuses(&kb, as_of);
        assert_eq!(status_of(&list, "dl-plan"), status, "dl-plan on {as_of}");
        let due = list.iter().find(|(i, _, _)| i == "dl-plan").and_then(|(_, due, _)| *due);
        assert_eq!(due, Some(d("2026-08-01")), "status never changes the due date");
    }
    assert_eq!(status_of(&statuses(&kb, "2026-06-10"), "dl-report"), Status::Met, "a recorded completion wins");
}

#[test]
fn chained_anchors_say_how_they_were_counted() {
    let kb = order();
    kb.write(
        "content/deadlines/dl-follow-up.md",
        "+++\ntitle = \"Follow-up\"\nprovision = \"2\"\nrule = \"within 1 month of dl-review\"\n+++\n",
    );
    kb.build();
    let page = kb.output("deadlines/dl-follow-up/index.html");
    assert!(page.contains("Due 11 September 2026"), "plan 1 Aug → review 11 Aug → follow-up 11 Sep");
    assert!(page.contains("1 month after “Review”, 2026-08-11"), "the derivation names the anchor deadline");
    let report = kb.output("deadlines/dl-report/index.html");
    assert!(report.contains("<dt>Completed</dt><dd><time datetime=\"2026-07-01\">1 July 2026</time>, per "));
    let review = kb.output("deadlines/dl-review/index.html");
    assert!(review.contains("10 days after “Plan”, 2026-08-01, day of “Plan” not counted"));
}

#[test]
fn a_cycle_of_anchors_is_an_error_at_the_rule() {
    let kb = Kb::new();
    kb.write("content/instruments/order.md", "+++\ntitle = \"Order\"\nsigned = 2026-06-02\n+++\n")
        .write("content/deadlines/dl-a.md", "+++\ntitle = \"A\"\nrule = \"within 5 days of dl-b\"\n+++\n")
        .write("content/deadlines/dl-b.md", "+++\ntitle = \"B\"\nrule = \"within 5 days of dl-a\"\n+++\n");
    let report = kb.build_fails();
    let diagnostic = only(&report, "deadline-rule");
    assert!(
        diagnostic.message.contains("cycle") && diagnostic.message.contains("dl-a → dl-b → dl-a"),
        "{diagnostic:#?}"
    );
    assert_at(diagnostic, "content/deadlines/dl-a.md", 3, 9, Error);
    assert!(!kb.public().exists(), "a failed build writes nothing");
}

#[test]
fn an_anchor_that_does_not_exist_is_an_error_with_a_suggestion() {
    let kb = order();
    kb.write("content/deadlines/dl-x.md", "+++\ntitle = \"X\"\nrule = \"within 5 days of dl-plna\"\n+++\n");
    let report = kb.build_fails();
    let diagnostic = only(&report, "deadline-rule");
    assert_at(diagnostic, "content/deadlines/dl-x.md", 3, 9, Error);
    assert!(diagnostic.message.contains("`dl-plna`"), "{diagnostic:#?}");
    assert!(diagnostic.hint.as_deref().unwrap_or_default().contains("did you mean `dl-plan`?"), "{diagnostic:#?}");
}

#[test]
fn an_impossible_date_is_an_error_at_the_date() {
    let kb = order();
    kb.write("content/deadlines/dl-x.md", "+++\ntitle = \"X\"\nrule = \"no later than 2026-02-30\"\n+++\n");
    let report = kb.build_fails();
    let diagnostic = only(&report, "deadline-rule");
    assert_at(diagnostic, "content/deadlines/dl-x.md", 3, 23, Error);
    assert!(diagnostic.message.contains("February 2026 has 28 days"), "{diagnostic:#?}");
}

#[test]
fn a_provision_that_does_not_resolve_is_an_error_at_the_key() {
    let kb = order();
    kb.write("content/deadlines/dl-x.md", "+++\ntitle = \"X\"\nprovision = \"9\"\nrule = \"ongoing\"\n+++\n");
    let report = kb.build_fails();
    let diagnostic = only(&report, "unresolved-reference");
    assert_at(diagnostic, "content/deadlines/dl-x.md", 3, 14, Error);
    assert!(diagnostic.message.contains("`provision` names `9`"), "{diagnostic:#?}");
}

#[test]
fn a_completion_source_that_does_not_resolve_is_an_error() {
    let kb = order();
    kb.write(
        "content/deadlines/dl-x.md",
        "+++\ntitle = \"X\"\nrule = \"ongoing\"\ncompleted = { date = 2026-07-01, source = \"gazete\" }\n+++\n",
    );
    let report = kb.build_fails();
    let diagnostic = only(&report, "unresolved-reference");
    assert_at(diagnostic, "content/deadlines/dl-x.md", 4, 44, Error);
    assert_eq!(diagnostic.hint.as_deref(), Some("did you mean `gazette`?"));
}

#[test]
fn disagreements_are_explained_with_the_deadlines_own_counting() {
    let kb = order();
    // Counting the signing day makes 60 days 31 July; the gazette's 31 July then agrees
    // and a source saying 1 August is explained by the other convention.
    kb.write(
        "content/deadlines/dl-plan.md",
        "+++\ntitle = \"Plan\"\nprovision = \"2\"\nrule = \"within 60 days of signing\"\ncounting = \"include-anchor\"\n+++\n",
    )
    .write(
        "content/sources/wire.md",
        "+++\ntitle = \"Wire\"\nshort = \"Wire\"\n[[claims]]\nabout = \"dl-plan\"\nattribute = \"due\"\nvalue = \"2026-08-01\"\nquote = \"q\"\nlocation = \"l\"\n+++\n",
    );
    kb.build();
    let json: DeadlineDocument = serde_json::from_str(&kb.output("deadlines.json")).expect("valid JSON");
    let plan = json.deadlines.iter().find(|r| r.id == "dl-plan").expect("listed");
    assert_eq!(plan.due, Some(d("2026-07-31")));
    assert_eq!(plan.sources_agree.iter().map(|s| s.source.id.as_str()).collect::<Vec<_>>(), ["gazette"]);
    let wire = &plan.sources_disagree[0];
    assert_eq!((wire.source.id.as_str(), wire.value.as_str()), ("wire", "2026-08-01"));
    assert_eq!(wire.explanation.as_deref(), Some("matches if the signing day is not counted"));
}

#[test]
fn the_table_is_complete_without_javascript() {
    let kb = order();
    kb.build();
    let page = kb.output("deadlines/index.html");
    let table = &page[page.find("<table class=\"deadline-table\"").expect("a table")..];
    for id in ALL {
        assert!(table.contains(&format!("<tr id=\"dl-{id}\"")), "{id} has a row");
        assert!(table.contains(&format!("href=\"/deadlines/{id}/\"")), "{id} is linked");
    }
    assert!(!table.contains(" hidden"), "no row is hidden before the script runs");
    assert!(page.contains("<form class=\"table-filters\" hidden"), "filters appear only with the script");
    let plan = &table[table.find("<tr id=\"dl-dl-plan\"").expect("row")..];
    let plan = &plan[..plan.find("</tr>").expect("row end")];
    for expected in [
        "<time datetime=\"2026-08-01\">1 August 2026</time>",
        "<span class=\"flag\">Saturday</span>",
        "href=\"/sections/2/\">Sec. 2</a>",
        "href=\"/agencies/doe/\">DOE</a>",
        "60 days after signing, 2026-06-02, signing day not counted",
        ">upcoming</span>",
        "<td class=\"days\">in 17 days</td>",
        "Gazette</a> says “July 31, 2026” (matches if the signing day is counted as day 1)",
        "data-agencies=\"doe\"",
        "data-audiences=\"contractors\"",
    ] {
        assert!(plan.contains(expected), "dl-plan row lacks {expected}:\n{plan}");
    }
    // The knowledge base does not track completions: a passed date says no more than that.
    assert!(table.contains("<td class=\"days\">10 days ago · completion not tracked</td>"), "dl-missed has passed");
    assert!(!page.contains("overdue"), "nothing is called overdue without tracked completions");
    assert!(table.contains("<td class=\"days\">met 2 days late</td>"), "dl-late was met late");
    assert!(page.contains("<option value=\"epa\">EPA</option>"), "agency filter");
    for href in ["/deadlines.ics", "/deadlines.csv", "/deadlines.json", "/for/utilities/deadlines.ics"] {
        assert!(page.contains(&format!("href=\"{href}\"")), "the page links {href}");
    }
}

#[test]
fn the_timeline_has_a_title_a_description_and_a_label_per_deadline() {
    let kb = order();
    kb.build();
    for page in ["deadlines/index.html", "index.html"] {
        let html = kb.output(page);
        let start = html.find("<svg").unwrap_or_else(|| panic!("{page} has a timeline"));
        let svg = &html[start..html[start..].find("</svg>").expect("closed") + start];
        assert!(svg.contains("role=\"img\""), "{page}");
        assert!(svg.contains("<title id=") && svg.contains("Timeline of 8 deadlines, 2 July 2026 to 11 August 2026"));
        assert!(svg.contains("<desc id=") && svg.contains("As of 15 July 2026."));
        for title in ["Report", "Plan", "Review", "Late filing", "Missed", "Soon", "Enforce"] {
            assert!(
                svg.contains(&format!("Sec. 1: {title} <tspan")) || svg.contains(&format!("Sec. 2: {title} <tspan")),
                "{title} in {page}"
            );
        }
        assert!(!svg.contains("<script"), "no script in {page}");
    }
}

fn calendar(text: &str) -> Calendar {
    Calendar::from_str(text).unwrap_or_else(|e| panic!("the calendar parses: {e}\n{text}"))
}

/// Every event as (UID, start date, end date, DTSTAMP, description).
fn events(calendar: &Calendar) -> Vec<(String, NaiveDate, NaiveDate, String, String)> {
    let date = |value: Option<DatePerhapsTime>| match value {
        Some(DatePerhapsTime::Date(date)) => date,
        other => panic!("an all-day date, got {other:?}"),
    };
    calendar
        .components
        .iter()
        .filter_map(|c| match c {
            CalendarComponent::Event(event) => Some((
                event.get_uid().expect("a UID").to_string(),
                date(event.get_start()),
                date(event.get_end()),
                event.property_value("DTSTAMP").expect("a DTSTAMP").to_string(),
                event.get_description().expect("a description").to_string(),
            )),
            _ => None,
        })
        .collect()
}

#[test]
fn the_calendar_reads_back_with_stable_uids_and_all_day_dates() {
    let kb = order();
    kb.build();
    let text = kb.output("deadlines.ics");
    assert!(text.starts_with("BEGIN:VCALENDAR\r\n") && text.ends_with("END:VCALENDAR\r\n"));
    assert!(!text.replace("\r\n", "").contains('\n'), "every line ends with CRLF");
    assert!(text.split("\r\n").all(|line| line.len() <= 75), "lines are folded at 75 octets");
    let parsed = calendar(&text);
    let found = events(&parsed);
    let uids: Vec<&str> = found.iter().map(|e| e.0.as_str()).collect();
    assert_eq!(
        uids,
        [
            "dl-report@example.org",
            "dl-missed@example.org",
            "dl-late@example.org",
            "dl-soon@example.org",
            "dl-plan@example.org",
            "dl-review@example.org"
        ],
        "one event per dated deadline, undated ones left out"
    );
    let plan = &found[4];
    assert_eq!((plan.1, plan.2), (d("2026-08-01"), d("2026-08-02")), "all day, DTEND exclusive");
    assert_eq!(plan.3, "20260715T000000Z", "DTSTAMP is the as-of date");
    assert!(plan.4.contains("Provision: Sec. 2 – Plans (https://example.org/sections/2/)"), "{}", plan.4);
    assert!(plan.4.contains("Details: https://example.org/deadlines/dl-plan/"));
    assert!(plan.4.contains("Gazette says “July 31, 2026” (matches if the signing day is counted as day 1)"));
    assert!(text.contains("DTSTART;VALUE=DATE:20260801\r\n"));

    // Rebuilt on another day, the same deadlines keep their UIDs; rebuilt on the same
    // day, the file is byte for byte the same.
    let again = docket::build(&docket::BuildOptions { as_of: Some(d("2026-09-01")), ..kb.options() });
    assert!(again.succeeded());
    let later = events(&calendar(&kb.output("deadlines.ics")));
    assert_eq!(later.iter().map(|e| e.0.as_str()).collect::<Vec<_>>(), uids);
    assert_eq!(later[4].3, "20260901T000000Z");
    kb.build();
    assert_eq!(kb.output("deadlines.ics"), text);
}

#[test]
fn each_audience_calendar_holds_only_its_deadlines() {
    let kb = order();
    kb.build();
    let uids = |path: &str| -> Vec<String> { events(&calendar(&kb.output(path))).into_iter().map(|e| e.0).collect() };
    assert_eq!(
        uids("for/utilities/deadlines.ics"),
        ["dl-report@example.org", "dl-missed@example.org", "dl-review@example.org"]
    );
    assert_eq!(uids("for/contractors/deadlines.ics"), ["dl-plan@example.org", "dl-review@example.org"]);
    let name = calendar(&kb.output("for/utilities/deadlines.ics"));
    assert_eq!(name.property_value("X-WR-CALNAME"), Some("Fixture KB: deadlines for Utilities"));
}

#[test]
fn text_with_commas_semicolons_and_newlines_survives_the_calendar() {
    let kb = order();
    kb.write(
        "content/deadlines/dl-plan.md",
        "+++\ntitle = \"Plan, draft; final\"\nprovision = \"2\"\naction = \"Draft, then file;\\nreview\"\nrule = \"within 60 days of signing\"\n+++\n",
    );
    kb.build();
    let text = kb.output("deadlines.ics");
    assert!(text.contains("SUMMARY:Plan\\, draft\\; final (Sec. 2)\r\n"), "escaped on the wire");
    let plan = events(&calendar(&text)).into_iter().find(|e| e.0.starts_with("dl-plan@")).expect("event");
    assert!(plan.4.starts_with("Draft, then file;\nreview\n"), "unescaped when read: {:?}", plan.4);
}

#[test]
fn the_csv_reads_back_and_neutralises_formulas() {
    let kb = order();
    kb.build();
    let text = kb.output("deadlines.csv");
    assert!(text.contains("\r\n") && !text.replace("\r\n", "").contains('\n'), "RFC 4180 CRLF records");
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let header: Vec<String> = reader.headers().expect("a header").iter().map(str::to_string).collect();
    assert_eq!(header, CSV_HEADER);
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("a record")).collect();
    let ids: Vec<&str> = rows.iter().map(|r| &r[0]).collect();
    assert_eq!(
        ids,
        ["dl-report", "dl-missed", "dl-late", "dl-soon", "dl-plan", "dl-review", "dl-enforce", "dl-guidance"]
    );
    let column = |name: &str| CSV_HEADER.iter().position(|h| *h == name).expect("a column");
    let plan = &rows[4];
    assert_eq!(&plan[column("due")], "2026-08-01");
    assert_eq!(&plan[column("days_left")], "17");
    assert_eq!(&plan[column("status")], "upcoming");
    assert_eq!(
        &plan[column("sources_disagree")],
        "Gazette: July 31, 2026 (matches if the signing day is counted as day 1)"
    );
    assert_eq!(&rows[1][column("days_left")], "-10", "numbers stay numbers");
    assert_eq!(&rows[7][column("action")], "'=HYPERLINK(\"x\"), then publish; review", "a formula is neutralised");
    assert_eq!(&rows[7][column("due")], "");
}

#[test]
fn the_json_round_trips_through_its_schema() {
    let kb = order();
    kb.build();
    let text = kb.output("deadlines.json");
    let document: DeadlineDocument = serde_json::from_str(&text).expect("the documented schema");
    assert_eq!(document.schema, SCHEMA);
    assert_eq!(document.as_of, d("2026-07-15"));
    assert_eq!(document.deadlines.len(), 8);
    assert_eq!(serde_json::to_string_pretty(&document).expect("serialises") + "\n", text, "nothing lost or added");
    let report = &document.deadlines[0];
    assert_eq!(report.id, "dl-report");
    assert_eq!(report.status, Status::Met);
    let completed = report.completed.as_ref().expect("recorded");
    assert_eq!(completed.date, Some(d("2026-07-01")));
    assert_eq!(completed.source.as_ref().map(|s| s.url.as_str()), Some("https://example.org/sources/gazette/"));
    let value: serde_json::Value = serde_json::from_str(&text).expect("JSON");
    assert_eq!(value["deadlines"][4]["due"], "2026-08-01");
    assert_eq!(value["deadlines"][4]["status"], "upcoming");
    assert_eq!(value["deadlines"][4]["non_business_note"], "Saturday");
    assert_eq!(value["deadlines"][6]["due"], serde_json::Value::Null);
    assert_eq!(value["deadlines"][0]["audiences"][0]["id"], "utilities");
}

fn docket(kb: &Kb, args: &[&str]) -> (String, String, bool) {
    let output = Command::new(env!("CARGO_BIN_EXE_docket"))
        .arg("deadlines")
        .arg("--root")
        .arg(kb.root())
        .args(args)
        .env_remove("COLUMNS")
        .output()
        .expect("docket runs");
    (
        String::from_utf8(output.stdout).expect("UTF-8"),
        String::from_utf8(output.stderr).expect("UTF-8"),
        output.status.success(),
    )
}

#[test]
fn docket_deadlines_prints_an_aligned_table() {
    let kb = order();
    let (out, err, ok) = docket(&kb, &[]);
    assert!(ok, "{err}");
    assert!(!out.contains('\x1b'), "no colour when stdout is not a terminal");
    let lines: Vec<&str> = out.lines().collect();
    assert!(lines[0].starts_with("Due ") && lines[0].contains("Status") && lines[0].contains("Action"));
    let status_column = lines[0].find("Status").expect("a status column");
    for line in &lines[2..10] {
        let (before, status) = line.split_at(status_column);
        assert!(before.ends_with("  ") && !status.starts_with(' '), "the status column is aligned: {line}");
    }
    assert!(lines[2].starts_with("2 July 2026") && lines[2][status_column..].starts_with("met"));
    assert!(lines[6].starts_with("1 August 2026") && lines[6][status_column..].starts_with("upcoming"));
    assert!(lines[8].starts_with("no date") && lines[8][status_column..].starts_with("ongoing"));
    assert!(out.contains("Gazette says “July 31, 2026” — matches if the signing day is counted as day 1"));
    assert!(out.contains("8 deadlines, 6 with a date."));
}

#[test]
fn docket_deadlines_exports_and_filters() {
    let kb = order();
    let (json, err, ok) = docket(&kb, &["--format", "json", "--as-of", "2026-08-02"]);
    assert!(ok, "{err}");
    let document: DeadlineDocument = serde_json::from_str(&json).expect("JSON on stdout");
    assert_eq!(document.as_of, d("2026-08-02"));
    assert_eq!(document.deadlines.iter().find(|r| r.id == "dl-plan").map(|r| r.status), Some(Status::Passed));
    let (ics, _, ok) = docket(&kb, &["--format", "ics", "--audience", "contractors"]);
    assert!(ok);
    let uids: Vec<String> = events(&calendar(&ics)).into_iter().map(|e| e.0).collect();
    assert_eq!(uids, ["dl-plan@example.org", "dl-review@example.org"]);
    let (csv_text, _, ok) = docket(&kb, &["--format", "csv"]);
    assert!(ok && csv_text.starts_with("id,title,due,"));
    let (_, err, ok) = docket(&kb, &["--audience", "nobody"]);
    assert!(!ok && err.contains("`nobody` is not an audience; audiences: contractors, utilities"), "{err}");
}

#[test]
fn docket_deadlines_reports_errors_instead_of_a_table() {
    let kb = order();
    kb.write("content/deadlines/dl-x.md", "+++\ntitle = \"X\"\nrule = \"within 5 days of nowhere\"\n+++\n");
    let (out, err, ok) = docket(&kb, &[]);
    assert!(!ok && out.is_empty());
    assert!(err.contains("content/deadlines/dl-x.md:3:9"), "{err}");
}

/// Hardening (issue 18/21): a chain of 20,000 deadlines, each anchored on the one before,
/// is resolved with an explicit stack; recursion would overflow the test thread's stack.
#[test]
fn a_chain_of_twenty_thousand_deadlines_does_not_overflow_the_stack() {
    const LENGTH: usize = 20_000;
    let kb = Kb::new();
    kb.write("content/instruments/order.md", "+++\ntitle = \"Order\"\nsigned = 2026-01-01\n+++\n");
    // c00000 is anchored on c00001, and so on up to c19999, anchored on signing: the
    // first deadline in route order is the end of the chain, so computing it walks the
    // whole chain at once.
    for n in 0..LENGTH {
        let rule = if n == LENGTH - 1 {
            "within 1 day of signing".to_string()
        } else {
            format!("within 1 day of c{:05}", n + 1)
        };
        kb.write(&format!("content/deadlines/c{n:05}.md"), &format!("+++\ntitle = \"C{n}\"\nrule = \"{rule}\"\n+++\n"));
    }
    let options = docket::BuildOptions { as_of: Some(d("2026-01-01")), ..kb.options() };
    let compiled = docket::compile(&options, false);
    assert!(!compiled.diagnostics.has_errors(), "{}", compiled.diagnostics.render(kb.root(), false));
    let last = compiled.site.by_id["c00000"];
    let due = compiled.graph.deadlines[last.index()].as_ref().and_then(|date| date.due);
    assert_eq!(due, d("2026-01-01").checked_add_days(chrono::Days::new(LENGTH as u64)));
}

#[test]
fn a_passed_deadline_is_overdue_only_where_completions_are_tracked() {
    let kb = order();
    let missed_row = |kb: &Kb| {
        let page = kb.output("deadlines/index.html");
        let row = &page[page.find("<tr id=\"dl-dl-missed\"").expect("row")..];
        row[..row.find("</tr>").expect("row end")].to_string()
    };
    kb.build();
    let untracked = missed_row(&kb);
    assert!(untracked.contains(">date passed</span>") && untracked.contains("completion not tracked"), "{untracked}");
    assert!(untracked.contains("class=\"status status-passed\""), "{untracked}");
    let deadline = kb.output("deadlines/dl-missed/index.html");
    assert!(deadline.contains("date passed") && !deadline.contains("overdue"), "the deadline page says the same");

    kb.write("docket.toml", &format!("{}\n[deadlines]\ntrack_completion = true\n", crate::support::CONFIG));
    kb.build();
    let tracked = missed_row(&kb);
    assert!(tracked.contains("class=\"status status-overdue\">overdue</span>"), "{tracked}");
    assert!(tracked.contains("<td class=\"days\">10 days overdue</td>"), "{tracked}");
}

#[test]
fn a_dated_alert_tells_every_status_as_of_its_own_date() {
    let kb = order();
    kb.write(
        "content/alerts/early.md",
        "+++\ntitle = \"Early alert\"\ndate = 2026-06-22\n+++\n\nWhat is due.\n\n```docket\nembed = \"deadlines\"\n```\n",
    );
    kb.build();
    let alert = kb.output("alerts/early/index.html");
    let row = |id: &str| {
        let at = alert.find(&format!("href=\"/deadlines/{id}/\"")).unwrap_or_else(|| panic!("{id} in the alert"));
        let start = alert[..at].rfind("<tr").expect("row start");
        let end = at + alert[at..].find("</tr>").expect("row end");
        alert[start..end].to_string()
    };
    // On 22 June, dl-missed (due 5 July) was due soon and dl-soon (20 July) a month away,
    // although the build's as-of date (15 July) has passed the first.
    assert!(
        row("dl-missed").contains(">due soon</span>") && row("dl-missed").contains("in 13 days"),
        "{}",
        row("dl-missed")
    );
    assert!(row("dl-soon").contains(">upcoming</span>") && row("dl-soon").contains("in 28 days"), "{}", row("dl-soon"));
    let table = kb.output("deadlines/index.html");
    assert!(table.contains("10 days ago · completion not tracked"), "the site's own table stays as of 15 July");
}

#[test]
fn the_timeline_words_a_passed_date_as_the_table_does() {
    // The water-act fixture: one deadline has passed on its as-of date, none is recorded done.
    let kb = Kb::fixture("all-kinds");
    kb.build();
    let svg = |kb: &Kb| {
        let html = kb.output("deadlines/index.html");
        let start = html.find("<svg").expect("a timeline");
        html[start..start + html[start..].find("</svg>").expect("closed")].to_string()
    };
    let untracked = svg(&kb);
    assert!(untracked.contains("— date passed</tspan>"), "{untracked}");
    assert!(untracked.contains("(date passed)."), "the description says it too");
    assert!(!untracked.contains("nothing recorded") && !untracked.contains("overdue"), "{untracked}");

    let config = std::fs::read_to_string(kb.root().join("docket.toml")).expect("config");
    kb.write("docket.toml", &format!("{config}\n[deadlines]\ntrack_completion = true\n"));
    kb.build();
    assert!(svg(&kb).contains("— overdue</tspan>"), "where completions are tracked, a passed date is overdue");
}
