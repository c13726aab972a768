//! The shipped knowledge base (`content/` at the repository root) builds cleanly and holds
//! what the issue asks for: every provision, claims on every source, a computed date on
//! every dated deadline, and the disagreements between the sources flagged.

use chrono::NaiveDate;
use docket::BuildOptions;
use docket::model::Kind;

fn options(output: &std::path::Path) -> BuildOptions {
    BuildOptions {
        root: std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")),
        output: Some(output.to_path_buf()),
        as_of: NaiveDate::from_ymd_opt(2026, 7, 15),
        ..BuildOptions::default()
    }
}

#[test]
fn the_shipped_knowledge_base_builds_without_errors_or_broken_references() {
    let dir = tempfile::tempdir().expect("temp dir");
    let output = dir.path().join("public");
    let report = docket::build(&options(&output));
    assert_eq!(
        report.diagnostics.error_count(),
        0,
        "{}",
        report.diagnostics.render(std::path::Path::new(env!("CARGO_MANIFEST_DIR")), false)
    );
    assert!(report.diagnostics.iter().all(|d| d.code != "unresolved-reference" && d.code != "unknown-key"));
    for entry in walkdir::WalkDir::new(&output)
        .into_iter()
        .flatten()
        .filter(|e| e.path().extension().is_some_and(|x| x == "html"))
    {
        let html = std::fs::read_to_string(entry.path()).expect("read");
        assert!(!html.contains("ref-broken"), "{} has a broken reference", entry.path().display());
        assert!(!html.contains("[[") && !html.contains("[@"), "{} has an unrendered reference", entry.path().display());
    }
    let numbers = [
        "1",
        "2",
        "2-a",
        "2-b",
        "2-c",
        "2-c-i",
        "2-c-ii",
        "2-c-iii",
        "2-d",
        "2-e",
        "2-f",
        "3",
        "3-a",
        "3-b",
        "3-b-i",
        "3-b-ii",
        "3-b-iii",
        "3-c",
        "4",
        "general-provisions",
    ];
    for number in numbers {
        assert!(output.join("sections").join(number).join("index.html").is_file(), "no page for provision {number}");
    }
}

#[test]
fn sources_claim_deadlines_compute_and_disagreements_are_flagged() {
    let compiled = docket::compile(&options(std::path::Path::new("/nonexistent")), false);
    let site = &compiled.site;
    let graph = &compiled.graph;
    let sources: Vec<_> = site.of_kind(Kind::Source).collect();
    assert_eq!(sources.len(), 5);
    for (id, source) in &sources {
        assert!(graph.claims_by(*id).count() >= 10, "{} has too few claims", source.id);
    }
    let due = |id: &str| graph.deadlines[site.by_id[id].index()].as_ref().and_then(|d| d.due);
    let day = |m, d| NaiveDate::from_ymd_opt(2026, m, d);
    for thirty in ["dl-cnss-defense", "dl-war-defense", "dl-cisa-directives", "dl-clearinghouse", "dl-omb-grants"] {
        assert_eq!(due(thirty), day(7, 2), "{thirty}");
    }
    for sixty in ["dl-opm-hiring", "dl-benchmarking", "dl-framework"] {
        assert_eq!(due(sixty), day(8, 1), "{sixty}");
    }
    assert_eq!(due("dl-criminal-enforcement"), None, "an ongoing duty has no date");
    let conflict = |subject: &str, attribute: &str| {
        let subject = site
            .by_id
            .get(subject)
            .copied()
            .or_else(|| site.by_id.get(&format!("ai-innovation-security-order:{subject}")).copied())
            .expect(subject);
        graph.claims.conflicts.iter().find(|c| c.subject == subject && c.attribute == attribute)
    };
    for (subject, attribute) in [
        ("dl-omb-grants", "due"),
        ("dl-benchmarking", "due"),
        ("dl-framework", "due"),
        ("dl-opm-hiring", "due"),
        ("3(b)(ii)", "window-measured-against"),
        ("3(b)(iii)", "early-access-recipients"),
        ("3(a)", "acting-agencies"),
        ("2(d)", "acting-agencies"),
        ("2(c)", "directive-count"),
        ("4", "statute-1028"),
        ("ai-innovation-security-order", "scope-vs-eo-14110"),
    ] {
        assert!(conflict(subject, attribute).is_some(), "the {attribute} conflict on {subject} is not flagged");
    }
    let framework = conflict("dl-framework", "due").expect("flagged");
    assert_eq!(framework.computed, day(8, 1));
    assert!(framework.explanations.values().any(|e| e.contains("counted as day 1")), "{framework:?}");
    assert!(conflict("dl-opm-hiring", "due").expect("flagged").reviewed.is_some());
}

/// The shipped knowledge base, compiled once per test (no output written).
fn shipped() -> docket::Compiled {
    docket::compile(&options(std::path::Path::new("/nonexistent")), false)
}

/// The item a short id names: an item id, or a provision number of the shipped order.
fn item(site: &docket::model::Site, id: &str) -> docket::model::ItemId {
    site.by_id
        .get(id)
        .copied()
        .or_else(|| site.by_id.get(&format!("ai-innovation-security-order:{id}")).copied())
        .unwrap_or_else(|| panic!("no item {id}"))
}

fn conflict<'a>(
    compiled: &'a docket::Compiled,
    subject: &str,
    attribute: &str,
) -> Option<&'a docket::resolve::Conflict> {
    let subject = item(&compiled.site, subject);
    compiled.graph.claims.conflicts.iter().find(|c| c.subject == subject && c.attribute == attribute)
}

#[test]
fn no_claim_value_names_what_its_quote_does_not() {
    let compiled = shipped();
    let beyond: Vec<_> = compiled
        .diagnostics
        .iter()
        .filter(|d| d.code == "claim-beyond-quote" || d.code == "quote-not-in-source" || d.code == "stale-review")
        .map(|d| format!("{}:{}: {}", d.path.display(), d.line, d.message))
        .collect();
    assert!(beyond.is_empty(), "{beyond:#?}");
}

#[test]
fn every_disagreement_the_content_review_missed_is_recorded() {
    let compiled = shipped();
    // The review's C2 list, each as the claims now record it.
    for (subject, attribute) in [
        ("3(c)", "bars"),
        ("3(a)", "assessments-shared"),
        ("2(a)", "hardening-object"),
        ("2(b)", "hardening-object"),
        ("2(c)", "directive-reach"),
        ("ai-innovation-security-order", "change-from-draft"),
        ("2(c)(iii)", "access-object"),
        ("4", "reach"),
    ] {
        let found = conflict(&compiled, subject, attribute);
        assert!(found.is_some_and(|c| c.reviewed.is_none()), "{attribute} of {subject} is not an open conflict");
    }
    // The builder guide against itself: it stands on two sides of the window conflict.
    let window = conflict(&compiled, "3(b)(ii)", "window-measured-against").expect("flagged");
    let guide = item(&compiled.site, "builder-guide");
    let sides = window
        .positions
        .iter()
        .filter(|claims| claims.iter().any(|&n| compiled.graph.claims.all[n].source == guide))
        .count();
    assert_eq!(sides, 2, "{window:#?}");
}

#[test]
fn check_raises_only_real_open_disagreements() {
    let compiled = shipped();
    let mut open: Vec<(String, String)> = compiled
        .graph
        .claims
        .conflicts
        .iter()
        .filter(|c| c.reviewed.is_none())
        .map(|c| (compiled.site.item(c.subject).id.clone(), c.attribute.clone()))
        .collect();
    open.sort();
    let order = |n: &str| format!("ai-innovation-security-order:{n}");
    let mut real: Vec<(String, String)> = [
        ("ai-innovation-security-order".to_owned(), "change-from-draft"),
        ("ai-innovation-security-order".to_owned(), "prior-trump-ai-orders"),
        ("ai-innovation-security-order".to_owned(), "scope-vs-eo-14110"),
        (order("2(a)"), "expeditious-action-addressee"),
        (order("2(a)"), "hardening-object"),
        (order("2(b)"), "hardening-object"),
        (order("2(c)"), "directive-count"),
        (order("2(c)"), "directive-reach"),
        (order("2(c)(iii)"), "access-object"),
        (order("2(d)"), "vulnerability-scope"),
        (order("3(a)"), "acting-agencies"),
        (order("3(a)"), "assessments-shared"),
        (order("3(a)"), "consulting-agencies"),
        (order("3(b)(ii)"), "window-measured-against"),
        (order("3(b)(iii)"), "early-access-recipients"),
        (order("3(c)"), "bars"),
        (order("4"), "reach"),
        (order("4"), "statute-1028"),
        ("dl-omb-grants".to_owned(), "due"),
    ]
    .into_iter()
    .map(|(s, a)| (s, a.to_owned()))
    .collect();
    real.sort();
    assert_eq!(open, real);
    let warned = compiled.diagnostics.iter().filter(|d| d.code == "conflict").count();
    assert_eq!(warned, real.len(), "one warning per open conflict, none for reviewed ones");
}

#[test]
fn the_reviews_spurious_and_doubtful_conflicts_are_not_raised() {
    let compiled = shipped();
    // C1: omissions (a news report naming fewer consultees) and article sub-headings.
    for (subject, attribute) in
        [("2(d)", "consulting-agencies"), ("3(a)", "designation-consulting"), ("3", "heading"), ("4", "heading")]
    {
        assert!(conflict(&compiled, subject, attribute).is_none(), "{attribute} of {subject} is still raised");
    }
    // Compatible accounts and counting conventions are reviewed, with reviewer and date.
    for (subject, attribute) in [
        ("ai-innovation-security-order", "withdrawal-reason"),
        ("2(d)", "acting-agencies"),
        ("dl-benchmarking", "due"),
        ("dl-framework", "due"),
        ("dl-opm-hiring", "due"),
    ] {
        let review = conflict(&compiled, subject, attribute).and_then(|c| c.reviewed.as_ref());
        assert!(review.is_some_and(|r| !r.reviewer.is_empty() && r.date.is_some()), "{attribute} of {subject}");
    }
    // The legal-news analysis's "and other agencies" list mentions fewer; it is not a reading.
    let acting = conflict(&compiled, "3(a)", "acting-agencies").expect("flagged");
    let analysis = item(&compiled.site, "legal-news-analysis");
    let claims = &compiled.graph.claims;
    assert!(acting.positions.iter().flatten().all(|&n| claims.all[n].source != analysis), "{acting:#?}");
    assert!(acting.fewer.iter().any(|&(n, _)| claims.all[n].source == analysis));
}

#[test]
fn state_and_local_governments_have_an_audience_page_with_the_cisa_deadline() {
    let dir = tempfile::tempdir().expect("temp dir");
    let output = dir.path().join("public");
    docket::build(&options(&output));
    let page = std::fs::read_to_string(output.join("for/state-and-local-governments/index.html")).expect("page");
    assert!(page.contains("State and local governments"));
    assert!(
        page.contains("dl-cisa-directives/") && page.contains("2 July 2026"),
        "the CISA deadline is listed for them"
    );
}

#[test]
fn no_content_calls_a_deadline_overdue() {
    let content = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("content");
    for entry in walkdir::WalkDir::new(&content).into_iter().flatten().filter(|e| e.file_type().is_file()) {
        let text = std::fs::read_to_string(entry.path()).expect("read").to_lowercase();
        assert!(!text.contains("overdue"), "{} says overdue; nothing tracks completion", entry.path().display());
    }
}

#[test]
fn the_alert_reads_as_of_its_own_date() {
    let compiled = shipped();
    let site = &compiled.site;
    let (_, alert) = site.of_kind(Kind::Alert).next().expect("an alert");
    let docket::model::Details::Alert(details) = &alert.details else { panic!("not an alert") };
    let dated = details.date.expect("the alert is dated");
    // Every dated deadline of its audiences had passed by its date ...
    let audiences: Vec<_> = alert.audiences.iter().map(|a| item(site, &a.target)).collect();
    for (id, deadline) in site.of_kind(Kind::Deadline) {
        let relevant = compiled.graph.audiences[id.index()].iter().any(|(a, _)| audiences.contains(a));
        let due = compiled.graph.deadlines[id.index()].as_ref().and_then(|d| d.due);
        if let (true, Some(due)) = (relevant, due) {
            assert!(due < dated, "{} is due after the alert", deadline.id);
        }
    }
    // ... so its own words treat them as past, and say completion is not tracked.
    let text = alert.doc.text().expect("text").to_lowercase();
    for stale in ["are due", "will fall", "fall on", "due soon", "upcoming", "decide now", "immediate focus"] {
        assert!(!text.contains(stale), "the alert says `{stale}`");
    }
    assert!(text.contains("fell due") && text.contains("none of the five sources reports"), "{text}");
}
