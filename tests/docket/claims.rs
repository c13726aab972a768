//! Claims compared on a German regulation (`tests/fixtures/claims-verordnung`): an
//! omission is not a disagreement, claims are checked against their own quotes and the
//! source's own text, and a reviewed conflict keeps its note, reviewer and date.

use std::process::Command;

use docket::diagnostics::Severity;

use crate::support::{Kb, assert_at};

fn warnings(report: &docket::Report, code: &str) -> Vec<docket::diagnostics::Diagnostic> {
    report.diagnostics.iter().filter(|d| d.code == code).cloned().collect()
}

#[test]
fn a_source_naming_fewer_agencies_mentions_fewer_and_raises_no_conflict() {
    let kb = Kb::fixture("claims-verordnung");
    let report = docket::check(&kb.options());
    let conflicts = warnings(&report, "conflict");
    assert_eq!(conflicts.len(), 1, "{conflicts:#?}");
    assert!(conflicts[0].message.contains("`zuständig`"), "two exhaustive lists that differ conflict");
    kb.build();
    let page = kb.output("sections/1/index.html");
    assert!(page.contains("mentions fewer"), "the partial list is shown as naming fewer");
    assert!(page.contains("names fewer than <a"), "with the source naming more");
}

#[test]
fn a_claim_value_beyond_its_quote_is_a_warning_at_the_value() {
    let kb = Kb::fixture("claims-verordnung");
    let report = docket::check(&kb.options());
    let beyond = warnings(&report, "claim-beyond-quote");
    assert_eq!(beyond.len(), 1, "{beyond:#?}");
    assert!(beyond[0].message.contains("the agency BfG"), "{}", beyond[0].message);
    assert_at(&beyond[0], "content/sources/zeitung.md", 23, 1, Severity::Warning);
}

#[test]
fn a_quote_missing_from_the_sources_own_text_is_a_warning() {
    let kb = Kb::fixture("claims-verordnung");
    let report = docket::check(&kb.options());
    let missing = warnings(&report, "quote-not-in-source");
    // The other three quotes match once quotation marks and line breaks are normalised.
    assert_eq!(missing.len(), 1, "{missing:#?}");
    assert_at(&missing[0], "content/sources/amtsblatt.md", 33, 1, Severity::Warning);
}

#[test]
fn a_reviewed_conflict_shows_its_note_reviewer_and_date_and_a_stale_review_is_flagged() {
    let kb = Kb::fixture("claims-verordnung");
    let report = kb.build();
    assert!(warnings(&report, "conflict").iter().all(|d| !d.message.contains("Meldefrist")));
    let stale = warnings(&report, "stale-review");
    assert_eq!(stale.len(), 1, "{stale:#?}");
    assert_at(&stale[0], "content/sections/1.md", 13, 1, Severity::Warning);
    let page = kb.output("conflicts/index.html");
    assert!(
        page.contains("<span class=\"flag flag-reviewed\">reviewed</span>"),
        "the reviewed conflict is flagged reviewed"
    );
    assert!(!page.contains("settled"), "one word for it: reviewed, as the filter and counts say");
    assert!(page.contains("R. Prüferin, 20 April 2026"), "with reviewer and date");
    assert!(page.contains("<span class=\"flag\">open</span>"), "the open one is not");
    assert!(!page.contains(">lra<") && !page.contains("“lra”"), "values show labels, not raw ids");
}

#[test]
fn check_conflicts_lists_the_open_conflicts_with_the_note_to_review_each() {
    let kb = Kb::fixture("claims-verordnung");
    let output = Command::new(env!("CARGO_BIN_EXE_docket"))
        .args(["--root", kb.root().to_str().expect("utf-8 path"), "check", "--conflicts"])
        .output()
        .expect("run docket");
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(text.contains("Sec. 1 — zuständig: “LRA” (Blog) vs “UBA” (Amtsblatt)"), "{text}");
    assert!(text.contains("review in content/sections/1.md"), "{text}");
    assert!(text.contains("1 open conflict(s), 1 reviewed"), "{text}");
    assert!(!text.contains("Meldefrist"), "reviewed conflicts are not listed as open: {text}");
}
