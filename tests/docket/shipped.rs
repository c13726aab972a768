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
