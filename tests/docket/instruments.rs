//! Several real instruments in their own numbering and wording (issue 18): the
//! `several-instruments` fixture holds an executive order numbered `10.1(b)`, two OMB
//! memoranda numbered `3(a)(iii)` (one rescinding and replacing the other), a revoking
//! order, and the EU AI Act numbered `Article 6(1)(a)` / `Annex III`, with business-day,
//! week, "before" and recurring deadlines, declared numbering schemes, provision statuses
//! with dates, and the AI Act's own holiday calendar. Every date asserted here was counted
//! by hand.

use std::str::FromStr;

use chrono::NaiveDate;
use docket::render::exports::{CSV_HEADER, DeadlineDocument, DeadlineRecord};
use docket::resolve::Status;
use icalendar::{Calendar, CalendarComponent, Component};

use crate::support::Kb;

fn d(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").expect("test dates are valid")
}

fn built() -> Kb {
    let kb = Kb::fixture("several-instruments");
    let report = kb.build();
    assert_eq!(report.diagnostics.iter().count(), 0, "{}", report.diagnostics.render(kb.root(), false));
    kb
}

fn records(kb: &Kb) -> Vec<DeadlineRecord> {
    let document: DeadlineDocument = serde_json::from_str(&kb.output("deadlines.json")).expect("valid JSON");
    document.deadlines
}

fn record<'a>(records: &'a [DeadlineRecord], id: &str) -> &'a DeadlineRecord {
    records.iter().find(|r| r.id == id).unwrap_or_else(|| panic!("no deadline {id}"))
}

#[test]
fn every_date_is_counted_in_the_instruments_own_words() {
    let kb = built();
    let records = records(&kb);
    let expected = [
        // "within 90 days of the date of this order", signed Monday 2023-10-30: a Sunday.
        ("dl-eo-reporting", "2024-01-28", Status::Passed, Some("Sunday")),
        ("dl-eo-omb-guidance", "2024-03-28", Status::Passed, None),
        // "within 10 business days of issuance" from Thursday 2024-03-28.
        ("dl-m24-caio-notice", "2024-04-11", Status::Passed, None),
        // "within 60 days of issuance": Memorial Day, flagged by name.
        ("dl-m24-caio", "2024-05-27", Status::Passed, Some("Memorial Day")),
        // "within 2 weeks of dl-m24-caio".
        ("dl-m24-caio-council", "2024-06-10", Status::Passed, None),
        // "within 10 business days of signing" from Thursday 2024-06-13 under the AI
        // Act's own calendar (no U.S. holidays): Juneteenth, Wednesday the 19th, counts.
        ("dl-eu-notify", "2024-06-27", Status::Passed, None),
        ("dl-eo-rmf", "2024-07-26", Status::Passed, None),
        // "within 20 days of publication": the Official Journal, 2024-07-12.
        ("dl-eu-force", "2024-08-01", Status::Passed, None),
        // A fixed date on a Sunday is flagged like a computed one.
        ("dl-m24-practices", "2024-12-01", Status::Passed, Some("Sunday")),
        // "30 days before dl-eu-prohibitions".
        ("dl-eu-literacy-prep", "2025-01-03", Status::Passed, None),
        ("dl-eu-prohibitions", "2025-02-02", Status::Passed, Some("Sunday")),
        // Due after EO 14110 was revoked on 2025-01-20.
        ("dl-eo-followup", "2025-04-22", Status::Moot, None),
        ("dl-m25-plans", "2025-09-30", Status::Upcoming, None),
        // "annually on 1 December": the next one after the as-of date 2025-03-01.
        ("dl-m24-inventory", "2025-12-01", Status::Upcoming, None),
        // "within 180 days ..., and every two years thereafter until 2036".
        ("dl-m24-plans", "2026-09-24", Status::Upcoming, None),
        ("dl-eu-high-risk", "2027-08-02", Status::Upcoming, None),
    ];
    let got: Vec<_> =
        records.iter().map(|r| (r.id.as_str(), r.due, r.status, r.non_business_note.as_deref())).collect();
    let want: Vec<_> = expected.iter().map(|(id, due, status, note)| (*id, Some(d(due)), *status, *note)).collect();
    assert_eq!(got, want);
    assert_eq!(record(&records, "dl-eo-followup").status_label, "moot: instrument revoked");
    assert!(
        record(&records, "dl-eo-followup").derivation.ends_with("moot: the instrument was revoked on 20 January 2025")
    );
}

#[test]
fn every_record_names_its_instrument_and_cites_the_provision_as_written() {
    let kb = built();
    let records = records(&kb);
    let label = |id: &str| {
        let r = record(&records, id);
        (r.instrument.as_ref().map(|i| i.label.clone()), r.provision.as_ref().map(|p| p.label.clone()))
    };
    let some = |a: &str, b: &str| (Some(a.to_string()), Some(b.to_string()));
    assert_eq!(label("dl-eo-omb-guidance"), some("EO 14110", "EO 14110 Sec. 10.1(b)"));
    assert_eq!(label("dl-eo-rmf"), some("EO 14110", "EO 14110 Sec. 4.1(a)(i)(A)"));
    assert_eq!(label("dl-m24-plans"), some("M-24-10", "M-24-10 Sec. 3(a)(iii)"));
    assert_eq!(label("dl-eu-high-risk"), some("AI Act", "AI Act Article 6(1)"));
    assert_eq!(label("dl-eu-force"), some("AI Act", "AI Act Article 113"));
    assert_eq!(record(&records, "dl-eo-rmf").instrument.as_ref().map(|i| i.id.as_str()), Some("eo-14110"));

    let csv = kb.output("deadlines.csv");
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let column = CSV_HEADER.iter().position(|h| *h == "instrument").expect("an instrument column");
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("a row")).collect();
    assert!(rows.iter().all(|row| !row[column].is_empty()));
    assert!(rows.iter().any(|row| &row[column] == "M-24-10" && row[5].ends_with("3(a)(iii)")));
    // The AI Act declares `numbering = "article"`: Article 113, written `Art. 113`, is
    // cited with the scheme's label everywhere, the calendar included.
    assert!(csv.contains("AI Act Article 113") && !csv.contains("Art. 113"));
    let calendar = kb.output("deadlines.ics");
    assert!(calendar.contains("AI Act Article 113") && !calendar.contains("Art. 113"));
}

#[test]
fn a_recurring_duty_lists_its_series_and_exports_one_event_with_its_rrule() {
    let kb = built();
    let records = records(&kb);
    let plans = record(&records, "dl-m24-plans");
    let series = ["2024-09-24", "2026-09-24", "2028-09-24", "2030-09-24", "2032-09-24", "2034-09-24", "2036-09-24"];
    assert_eq!(plans.occurrences, series.map(d).to_vec());
    assert_eq!(plans.rrule.as_deref(), Some("FREQ=YEARLY;INTERVAL=2;UNTIL=20361231"));
    let inventory = record(&records, "dl-m24-inventory");
    assert_eq!(inventory.occurrences[..2], [d("2024-12-01"), d("2025-12-01")]);

    let calendar = Calendar::from_str(&kb.output("deadlines.ics")).expect("the calendar parses");
    let events: Vec<_> = calendar
        .components
        .iter()
        .filter_map(|c| match c {
            CalendarComponent::Event(event) => Some(event),
            _ => None,
        })
        .collect();
    assert_eq!(events.len(), records.len(), "one event per deadline, recurring ones included");
    let plans = events.iter().find(|e| e.get_uid() == Some("dl-m24-plans@kb.example.org")).expect("the series");
    assert_eq!(plans.property_value("RRULE"), Some("FREQ=YEARLY;INTERVAL=2;UNTIL=20361231"));
    assert_eq!(plans.property_value("DTSTART"), Some("20240924"));
    let description = plans.get_description().expect("a description");
    assert!(description.contains("Instrument: M-24-10"), "{description}");
}

#[test]
fn the_table_and_timeline_say_which_instrument_and_filter_by_it() {
    let kb = built();
    let page = kb.output("deadlines/index.html");
    assert!(page.contains("<select data-filter=\"instrument\">"), "an instrument filter");
    for option in ["<option value=\"eo-14110\">EO 14110</option>", "<option value=\"eu-ai-act\">AI Act</option>"] {
        assert!(page.contains(option), "{option}");
    }
    assert!(page.contains("data-instrument=\"m-24-10\""));
    assert!(page.contains(">EO 14110 Sec. 10.1(b)</a>"));
    assert!(page.contains(">AI Act Article 6(1)</a>"));
    assert!(page.contains("timeline") && page.contains("M-24-10 Sec. 3(a)(iii)"));
    // EO 14110's follow-up is moot; the timeline's legend says what its mark means.
    let legend = &page[page.find("class=\"timeline-legend\"").expect("a timeline legend")..];
    let legend = &legend[..legend.find("\n</g>").expect("the legend ends")];
    assert!(legend.contains("status-moot") && legend.contains(">moot: instrument revoked</text>"), "{legend}");
    assert!(!page.contains("[["), "no authoring syntax reaches a reader");
}

#[test]
fn instrument_pages_list_provisions_as_a_tree_deadlines_and_history() {
    let kb = built();
    let eo = kb.output("instruments/eo-14110/index.html");
    // 4 > 4.1 > 4.1(a)(i)(A), in the order's own order, before 10 > 10.1 > 10.1(b).
    let tree = &eo[eo.find("provision-tree").expect("a provision tree")..];
    let at = |label: &str| tree.find(&format!(">EO 14110 {label}</a>")).unwrap_or_else(|| panic!("{label} listed"));
    assert!(at("Sec. 4") < at("Sec. 4.1") && at("Sec. 4.1") < at("Sec. 4.1(a)(i)(A)"));
    assert!(at("Sec. 4.2(a)") < at("Sec. 10") && at("Sec. 10.1") < at("Sec. 10.1(b)"));
    assert!(tree.contains(
        "Sec. 4.1</a> — Developing Guidelines, Standards, and Best Practices for AI Safety and Security<ul>"
    ));
    assert!(eo.contains("Deadlines this instrument sets"));
    assert!(eo.contains("id=\"dl-dl-eo-rmf\"") || eo.contains("dl-eo-rmf"));
    assert!(eo.contains("<dt>Revoked</dt><dd>20 January 2025 by EO 14148</dd>"), "dated history");
    assert!(eo.contains(
        "<time datetime=\"2025-01-20\">20 January 2025</time>: Revoked by <a class=\"ref ref-instrument\" href=\"/instruments/eo-14148/\">"
    ));
    let revoker = kb.output("instruments/eo-14148/index.html");
    assert!(
        revoker.contains(": Revokes <a class=\"ref ref-instrument\" href=\"/instruments/eo-14110/\">"),
        "the link runs both ways"
    );
    let replaced = kb.output("instruments/m-24-10/index.html");
    assert!(!replaced.contains("Superseded by"), "M-25-21 is not issued yet as of 2025-03-01");
    let replacement = kb.output("instruments/m-25-21/index.html");
    assert!(replacement.contains("<dt>In force</dt><dd>not yet, as of 1 March 2025</dd>"), "issued 3 April 2025");
    assert!(!replacement.contains("Supersedes"));
    assert!(!replaced.contains("<dt>Revoked</dt>"), "not yet rescinded as of 2025-03-01");
    let eu = kb.output("instruments/eu-ai-act/index.html");
    assert!(eu.contains("<dt>Events</dt><dd>publication 12 July 2024</dd>"));
    assert!(eu.contains(
        "<dt>Business days</dt><dd>weekends excepted (no public holidays); closed 24 December 2024, 25 December 2024"
    ));
    assert!(!eo.contains("<dt>Business days</dt>"), "EO 14110 counts with the knowledge base's calendar");
    assert!(eu.contains("AI Act Annex III</a>"));
}

/// Provision statuses are typed and told as of the as-of date (1 March 2025 here), as a
/// badge with words on the provision's page and in its instrument's tree.
#[test]
fn provision_statuses_read_as_of_the_as_of_date() {
    let kb = built();
    let badge = |slug: &str, words: &str| {
        format!("<span class=\"status provision-status provision-status-{slug}\">{words}</span>")
    };
    let plans = kb.output("sections/m-24-10/3-a-iii/index.html");
    // "repealed on 2025-04-03": not yet repealed on 1 March 2025.
    assert!(plans.contains(&badge("in-force", "in force")), "{plans}");
    assert!(plans.contains("<dt>Status</dt><dd>in force</dd>"));
    assert!(!plans.contains("history-heading"), "no change has happened yet");
    let eu = kb.output("instruments/eu-ai-act/index.html");
    let tree = &eu[eu.find("provision-tree").expect("a provision tree")..];
    // Article 5 "in force from 2025-02-02"; Article 6(1) "in force from 2 August 2027".
    let article_5 = tree.find(">AI Act Article 5</a>").expect("Article 5 listed");
    let article_6 = tree.find(">AI Act Article 6(1)</a>").expect("Article 6(1) listed");
    let in_force = tree.find(&badge("in-force", "in force")).expect("Article 5's badge");
    let not_yet = tree.find(&badge("not-yet-in-force", "not yet in force")).expect("Article 6(1)'s badge");
    assert!(article_5 < in_force && in_force < article_6 && article_6 < not_yet);
    let high_risk = kb.output("sections/eu-ai-act/article-6-1/index.html");
    assert!(high_risk.contains("<dt>Status</dt><dd>not yet in force: from 2 August 2027</dd>"));
    let index = kb.output("provisions/index.html");
    let listed = &index[index.find(">AI Act Article 6(1): Classification").expect("Article 6(1) in the index")..];
    assert!(
        listed[..listed.find("</li>").unwrap_or(listed.len())].contains(&badge("not-yet-in-force", "not yet in force"))
    );
    let prohibitions = kb.output("sections/eu-ai-act/article-5/index.html");
    assert!(prohibitions.contains("<dt>Status</dt><dd>in force since 2 February 2025</dd>"));
}

#[test]
fn a_provision_is_titled_by_its_heading() {
    let kb = built();
    let page = kb.output("sections/eo-14110/10-1-b/index.html");
    assert!(page.contains("<h1>EO 14110 Sec. 10.1(b): OMB guidance to agencies</h1>"), "heading as title");
    let note = kb.output("notes/crosswalk/index.html");
    for label in ["EO 14110 Sec. 10.1(b)", "M-24-10 Sec. 3(a)(iii)", "AI Act Article 6(1)(a)", "AI Act Annex III"] {
        assert!(note.contains(&format!(">{label}</a>")), "{label} in the note");
    }
}

#[test]
fn as_of_a_later_date_the_rescinded_memorandum_is_moot() {
    let kb = Kb::fixture("several-instruments");
    let options = docket::BuildOptions { as_of: Some(d("2025-06-01")), ..kb.options() };
    let report = docket::build(&options);
    assert!(report.succeeded(), "{}", report.diagnostics.render(kb.root(), false));
    let records = records(&kb);
    assert_eq!(record(&records, "dl-m24-plans").status, Status::Moot);
    assert_eq!(record(&records, "dl-m24-inventory").status, Status::Moot);
    assert_eq!(record(&records, "dl-m24-caio").status, Status::Passed, "due before the rescission");
    let replaced = kb.output("instruments/m-24-10/index.html");
    assert!(replaced.contains("<dt>Revoked</dt><dd>3 April 2025 by M-25-21</dd>"));
    assert!(
        replaced.contains(
            "3 April 2025</time>: Revoked by <a class=\"ref ref-instrument\" href=\"/instruments/m-25-21/\">"
        )
    );
    assert!(replaced.contains(
        "3 April 2025</time>: Superseded by <a class=\"ref ref-instrument\" href=\"/instruments/m-25-21/\">"
    ));
    let replacement = kb.output("instruments/m-25-21/index.html");
    assert!(
        replacement.contains(
            "3 April 2025</time>: Supersedes <a class=\"ref ref-instrument\" href=\"/instruments/m-24-10/\">"
        )
    );
    assert!(!replacement.contains("<dt>In force</dt>"));
    // Section 3(a)(iii) was repealed with its memorandum: as of 1 June 2025 it reads so,
    // with the change in its history.
    let plans = kb.output("sections/m-24-10/3-a-iii/index.html");
    assert!(plans.contains("<span class=\"status provision-status provision-status-repealed\">repealed</span>"));
    assert!(plans.contains("<dt>Status</dt><dd>repealed on 3 April 2025</dd>"));
    assert!(plans.contains("<time datetime=\"2025-04-03\">3 April 2025</time>: Repealed</li>"));
}

/// Rolled occurrences break an RRULE's rhythm, so the calendar lists each one.
#[test]
fn a_rolled_series_is_one_event_per_occurrence() {
    let kb = Kb::new();
    kb.write("docket.toml", "title = \"Rolled\"\nbase_url = \"https://kb.example.org/\"\nas_of = 2024-11-15\n[deadlines]\nnon_business_day = \"roll\"\n");
    kb.write("content/instruments/m.md", "+++\ntitle = \"Memo\"\nshort = \"M\"\nsigned = 2024-03-28\n+++\n");
    kb.write("content/sections/1.md", "+++\nnumber = \"1\"\nheading = \"Reports\"\n+++\n");
    kb.write(
        "content/deadlines/report.md",
        "+++\ntitle = \"Report\"\nprovision = \"1\"\nrule = \"no later than December 1, 2024, and annually thereafter until 2026\"\n+++\n",
    );
    kb.build();
    let records = records(&kb);
    let report = record(&records, "report");
    // Sunday 2024-12-01 rolls to Monday; 2025 and 2026 fall on weekdays.
    assert_eq!(report.occurrences, ["2024-12-02", "2025-12-01", "2026-12-01"].map(d).to_vec());
    assert_eq!(report.rrule, None);
    assert_eq!(report.due, Some(d("2024-12-02")));
    assert_eq!(report.non_business_note.as_deref(), Some("rolled from Sunday 2024-12-01"));
    let calendar = Calendar::from_str(&kb.output("deadlines.ics")).expect("the calendar parses");
    let uids: Vec<_> = calendar
        .components
        .iter()
        .filter_map(|c| match c {
            CalendarComponent::Event(event) => event.get_uid().map(str::to_string),
            _ => None,
        })
        .collect();
    assert_eq!(uids, ["report-1@kb.example.org", "report-2@kb.example.org", "report-3@kb.example.org"]);
}

/// One rule, two calendars: an instrument's own `holidays` and `closed_dates` decide the
/// business days and the roll of every deadline anchored on it.
#[test]
fn each_instrument_counts_business_days_by_its_own_calendar() {
    let kb = Kb::new();
    kb.write("docket.toml", "title = \"Calendars\"\nas_of = 2024-06-01\n[deadlines]\nnon_business_day = \"roll\"\nclosed_dates = [2024-07-05]\n");
    let instrument = |id: &str, extra: &str| {
        let text = format!("+++\ntitle = \"{id}\"\nshort = \"{id}\"\nsigned = 2024-06-13\n{extra}+++\n");
        kb.write(&format!("content/instruments/{id}.md"), &text);
        kb.write(&format!("content/sections/{id}-1.md"), &format!("+++\ninstrument = \"{id}\"\nnumber = \"1\"\n+++\n"));
    };
    instrument("us", "");
    instrument("eu", "holidays = \"none\"\nclosed_dates = [2024-06-27]\n");
    instrument("uk", "holidays = \"none\"\n");
    for id in ["us", "eu", "uk"] {
        let deadline = |name: &str, rule: &str| {
            let text = format!("+++\ntitle = \"{name}\"\nprovision = \"{id}:1\"\nrule = \"{rule}\"\n+++\n");
            kb.write(&format!("content/deadlines/{id}-{name}.md"), &text);
        };
        deadline("count", "within 10 business days of signing");
        deadline("roll", "no later than July 4, 2024");
    }
    let report = kb.build();
    assert_eq!(report.diagnostics.iter().count(), 0, "{}", report.diagnostics.render(kb.root(), false));
    let records = records(&kb);
    let due = |id: &str| record(&records, id).due;
    // Thursday 2024-06-13 + 10 business days: the U.S. skips Juneteenth (Wednesday the
    // 19th), so Friday the 28th; with no holidays, Thursday the 27th; the EU instrument
    // lists the 27th as closed, so Friday the 28th again, for another reason.
    assert_eq!(due("us-count"), Some(d("2024-06-28")));
    assert_eq!(due("uk-count"), Some(d("2024-06-27")));
    assert_eq!(due("eu-count"), Some(d("2024-06-28")));
    // Thursday 2024-07-04 is Independence Day in the U.S.: rolled past it to Friday the
    // 5th, which docket.toml lists as closed, so to Monday the 8th. Elsewhere a
    // working day; the EU instrument's own list replaces the knowledge base's.
    assert_eq!(due("us-roll"), Some(d("2024-07-08")));
    assert_eq!(
        record(&records, "us-roll").non_business_note.as_deref(),
        Some("rolled from Independence Day 2024-07-04")
    );
    assert_eq!(due("uk-roll"), Some(d("2024-07-04")));
    assert_eq!(due("eu-roll"), Some(d("2024-07-04")));
}

/// A source naming a recurring duty's first date agrees with the series; another date
/// disagrees.
#[test]
fn claims_about_a_series_agree_with_any_of_its_occurrences() {
    let kb = built();
    let records = records(&kb);
    let inventory = record(&records, "dl-m24-inventory");
    assert_eq!(inventory.sources_agree.iter().map(|c| c.source.label.as_str()).collect::<Vec<_>>(), ["Digest"]);
    assert!(inventory.sources_disagree.is_empty());
    let plans = record(&records, "dl-m24-plans");
    assert_eq!(plans.sources_disagree.iter().map(|c| c.value.as_str()).collect::<Vec<_>>(), ["September 30, 2024"]);
}

/// A moot deadline is no longer owed, so nothing counts down to it: not the table's Days
/// column, the deadline's page, its audience's page, an alert's e-mail, the terminal
/// table nor the exports, while its due date and derivation stay.
#[test]
fn a_moot_deadline_does_not_count_down() {
    let kb = Kb::fixture("several-instruments");
    kb.write("content/audiences/agency-cios.md", "+++\ntitle = \"Agency CIOs\"\n+++\n\nChief information officers.\n");
    kb.write(
        "content/deadlines/dl-eo-followup.md",
        "+++\ntitle = \"Follow-up report (illustrative: falls after the revocation)\"\n\
         provision = \"eo-14110:4.1(a)(i)(A)\"\nrule = \"within 540 days of the date of this order\"\n\
         audiences = [\"agency-cios\"]\n+++\n",
    );
    kb.write(
        "content/alerts/cio-alert.md",
        "+++\ntitle = \"What CIOs still owe\"\ndate = 2025-02-01\n+++\n\n```docket\nembed = \"deadlines\"\naudience = \"agency-cios\"\n```\n",
    );
    let report = kb.build();
    assert_eq!(report.diagnostics.iter().count(), 0, "{}", report.diagnostics.render(kb.root(), false));
    let countdown = |page: &str| page.contains(" days overdue") || page.contains(">in ") || page.contains("(in ");

    let table = kb.output("deadlines/index.html");
    let row = &table[table.find("id=\"dl-dl-eo-followup\"").expect("the moot row")..];
    let row = &row[..row.find("</tr>").expect("the row ends")];
    assert!(row.contains("data-days=\"\""), "a moot row sorts with the undated: {row}");
    assert!(
        row.contains(
            "<td class=\"days\"><span aria-hidden=\"true\">—</span><span class=\"visually-hidden\">no countdown: moot</span></td>"
        ),
        "{row}"
    );
    assert!(row.contains("<time datetime=\"2025-04-22\">"), "the due date stays: {row}");
    let live = &table[table.find("id=\"dl-dl-m25-plans\"").expect("a live row")..];
    assert!(live[..live.find("</tr>").expect("ends")].contains("<td class=\"days\">in 213 days</td>"));

    for page in ["deadlines/dl-eo-followup/index.html", "for/agency-cios/index.html", "alerts/cio-alert/email.html"] {
        let page = kb.output(page);
        assert!(page.contains("moot: instrument revoked"), "the status is said: {page}");
        assert!(!countdown(&page), "no countdown: {page}");
    }

    let records = records(&kb);
    assert_eq!(record(&records, "dl-eo-followup").status, Status::Moot);
    assert_eq!(record(&records, "dl-eo-followup").days_left, None);
    assert_eq!(record(&records, "dl-m25-plans").days_left, Some(213));
    let json = kb.output("deadlines.json");
    let moot = &json[json.find("\"id\": \"dl-eo-followup\"").expect("the moot record")..];
    assert!(moot[..moot.find("\"completed\"").expect("later fields")].contains("\"days_left\": null"), "{moot}");
    let csv = kb.output("deadlines.csv");
    let line = csv.lines().find(|l| l.starts_with("dl-eo-followup,")).expect("the moot line");
    let days_column = CSV_HEADER.iter().position(|c| *c == "days_left").expect("a days column");
    let cells: Vec<&str> = line.split(',').collect();
    assert_eq!((cells[days_column - 1], cells[days_column]), ("moot: instrument revoked", ""), "{line}");
}
