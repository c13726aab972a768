//! One test per diagnostic, each asserting the file, line and column reported.

use docket::diagnostics::Severity::{Error, Warning};

use crate::support::{Kb, assert_at, only};

#[test]
fn malformed_toml_front_matter() {
    let kb = Kb::new();
    kb.write("content/a.md", "+++\ntitle = \"A\"\nupdated = 2026-13-01\n+++\n");
    let report = kb.build_fails();
    assert_at(only(&report, "front-matter"), "content/a.md", 3, 11, Error);
}

#[test]
fn malformed_yaml_front_matter() {
    let kb = Kb::new();
    kb.write("content/a.md", "---\ntitle: A\ntags: [one, two\n---\nbody\n");
    let report = kb.build_fails();
    let diagnostic = only(&report, "front-matter");
    assert_eq!(diagnostic.path.display().to_string(), "content/a.md");
    assert!(diagnostic.line >= 3, "{diagnostic:#?}");
}

#[test]
fn a_wrong_type_in_front_matter() {
    let kb = Kb::new();
    kb.write("content/a.md", "+++\ntitle = \"A\"\ndraft = \"no\"\n+++\n");
    let report = kb.build_fails();
    assert_at(only(&report, "front-matter"), "content/a.md", 3, 9, Error);
}

#[test]
fn unclosed_front_matter() {
    let kb = Kb::new();
    kb.write("content/a.md", "+++\ntitle = \"A\"\n");
    let report = kb.build_fails();
    assert_at(only(&report, "front-matter"), "content/a.md", 1, 1, Error);
}

#[test]
fn unknown_keys_warn_with_the_closest_key() {
    let kb = Kb::new();
    kb.write("content/a.md", "+++\ntitle = \"A\"\nsumary = \"x\"\n+++\n");
    let report = kb.build();
    let diagnostic = only(&report, "unknown-key");
    assert_at(diagnostic, "content/a.md", 3, 1, Warning);
    assert_eq!(diagnostic.hint.as_deref(), Some("did you mean `summary`?"));
}

/// A key that only some kinds read is a warning on any other kind, at the key (in TOML
/// and YAML, under an alias too), naming the kinds it means something on.
#[test]
fn keys_on_the_wrong_kind_warn_at_the_key() {
    let kb = Kb::new();
    kb.write(
        "content/instruments/act.md",
        "+++\ntitle = \"Act\"\nsigned = 2026-01-01\nrule = \"within 5 days\"\n+++\n",
    );
    kb.write(
        "content/deadlines/dl-a.md",
        "---\ntitle: Report\nrule: within 30 days of signing\n  # a comment\nholidays: us-federal\nlabel: Art.\n---\n",
    );
    kb.write("content/sections/1.md", "+++\nnumber = \"1\"\ncompleted = { date = 2026-02-01 }\n+++\n");
    kb.write("content/notes/n.md", "+++\ntitle = \"N\"\nstatus = \"repealed\"\nheading = \"H\"\n+++\n");
    let report = kb.build();
    let mut found: Vec<_> = report.diagnostics.iter().filter(|d| d.code == "key-on-wrong-kind").collect();
    found.sort_by_key(|d| (d.path.clone(), d.line));
    let at: Vec<_> = found
        .iter()
        .map(|d| (d.path.display().to_string(), d.line, d.column, d.severity, d.message.as_str()))
        .collect();
    assert_eq!(
        at,
        vec![
            (
                "content/deadlines/dl-a.md".to_string(),
                5,
                1,
                Warning,
                "`holidays` means something only on instruments; it is ignored on this deadline"
            ),
            (
                "content/deadlines/dl-a.md".to_string(),
                6,
                1,
                Warning,
                "`label` means something only on instruments; it is ignored on this deadline"
            ),
            (
                "content/instruments/act.md".to_string(),
                4,
                1,
                Warning,
                "`rule` means something only on deadlines; it is ignored on this instrument"
            ),
            (
                "content/notes/n.md".to_string(),
                4,
                1,
                Warning,
                "`heading` means something only on provisions; it is ignored on this note"
            ),
            (
                "content/sections/1.md".to_string(),
                3,
                1,
                Warning,
                "`completed` means something only on deadlines; it is ignored on this provision"
            ),
        ]
    );
    assert_eq!(
        found[0].hint.as_deref(),
        Some("remove it, or make this file one of the instruments (set `kind`, or move it to their folder)")
    );
}

#[test]
fn an_unknown_kind() {
    let kb = Kb::new();
    kb.write("content/a.md", "+++\ntitle = \"A\"\nkind = \"provison\"\n+++\n");
    let report = kb.build_fails();
    let diagnostic = only(&report, "unknown-kind");
    assert_at(diagnostic, "content/a.md", 3, 1, Error);
    assert!(diagnostic.hint.as_deref().unwrap_or_default().starts_with("did you mean `provision`?"));
}

#[test]
fn a_provision_without_a_valid_number() {
    let kb = Kb::new();
    kb.write("content/instruments/act.md", "+++\ntitle = \"Act\"\nsigned = 2026-01-01\n+++\n");
    kb.write("content/sections/a.md", "+++\ntitle = \"A\"\nnumber = \"3(b\"\n+++\n");
    kb.write("content/sections/b.md", "+++\ntitle = \"B\"\n+++\n");
    let report = kb.build_fails();
    let found: Vec<_> = report
        .diagnostics
        .iter()
        .filter(|d| d.code == "provision-number")
        .map(|d| (d.path.display().to_string(), d.line, d.column))
        .collect();
    assert_eq!(found, vec![("content/sections/a.md".to_string(), 3, 1), ("content/sections/b.md".to_string(), 1, 1)]);
}

#[test]
fn an_unreadable_provision_status_points_at_it_and_lists_the_forms() {
    let kb = Kb::new();
    kb.write("content/instruments/act.md", "+++\ntitle = \"Act\"\nsigned = 2026-01-01\n+++\n");
    kb.write("content/sections/a.md", "+++\nnumber = \"3\"\nstatus = \"repealed soonish\"\n+++\n");
    let report = kb.build();
    let diagnostic = only(&report, "provision-status");
    // The value starts after `status = "`, on line 3.
    assert_at(diagnostic, "content/sections/a.md", 3, 11, Warning);
    assert!(diagnostic.message.contains("`soonish` is not a date"), "{}", diagnostic.message);
    let hint = diagnostic.hint.as_deref().unwrap_or_default();
    assert!(hint.contains("`repealed on 2025-02-01`") && hint.contains("`reserved`"), "{hint}");
    let page = kb.output("sections/a/index.html");
    assert!(page.contains("<dt>Status</dt><dd>repealed soonish</dd>"), "shown as written");
    assert!(!page.contains("provision-status-"), "no badge for a status docket cannot read");
}

#[test]
fn a_number_off_the_declared_scheme_points_at_it_and_names_the_scheme() {
    let kb = Kb::new();
    kb.write("content/instruments/reg.md", "+++\ntitle = \"Reg\"\nsigned = 2026-01-01\nnumbering = \"article\"\n+++\n");
    kb.write("content/instruments/other.md", "+++\ntitle = \"Other\"\nnumbering = \"roman\"\n+++\n");
    kb.write("content/sections/a.md", "+++\ninstrument = \"reg\"\nnumber = \"10.1(b)\"\n+++\n");
    kb.write("content/sections/b.md", "+++\ninstrument = \"reg\"\nnumber = \"Art. 6(1)\"\n+++\n");
    let report = kb.build_fails();
    let found: Vec<_> = report.diagnostics.iter().filter(|d| d.code == "provision-numbering").collect();
    assert_eq!(found.len(), 2, "{found:#?}");
    let number = found.iter().find(|d| d.path.ends_with("a.md")).expect("the number is reported");
    assert_at(number, "content/sections/a.md", 3, 11, Error);
    assert!(number.message.contains("does not fit the `article` numbering `reg` declares"), "{}", number.message);
    assert!(number.hint.as_deref().unwrap_or_default().contains("`Article 6(1)(a)`"));
    let scheme = found.iter().find(|d| d.path.ends_with("other.md")).expect("the scheme is reported");
    assert_at(scheme, "content/instruments/other.md", 3, 14, Error);
    assert!(scheme.hint.as_deref().unwrap_or_default().contains("`dotted` (10.1(b))"));
}

#[test]
fn an_instruments_unknown_holiday_calendar_points_at_it_and_lists_the_calendars() {
    let kb = Kb::new();
    kb.write("content/instruments/reg.md", "+++\ntitle = \"Reg\"\nholidays = \"eu\"\n+++\n");
    let report = kb.build_fails();
    let diagnostic = only(&report, "front-matter");
    assert_at(diagnostic, "content/instruments/reg.md", 3, 12, Error);
    assert!(diagnostic.message.contains("expected `us-federal` or `none`"), "{}", diagnostic.message);
}

#[test]
fn duplicate_ids_name_both_files() {
    let kb = Kb::new();
    kb.write("content/notes/a.md", "+++\nid = \"same\"\n+++\n");
    kb.write("content/notes/b.md", "+++\nid = \"same\"\n+++\n");
    let report = kb.build_fails();
    let diagnostic = only(&report, "duplicate-id");
    assert_at(diagnostic, "content/notes/b.md", 2, 1, Error);
    assert_eq!(diagnostic.related[0].path.display().to_string(), "content/notes/a.md");
}

#[test]
fn duplicate_routes_name_both_files() {
    let kb = Kb::new();
    kb.write("content/notes/a.md", "+++\nslug = \"same\"\nid = \"a\"\n+++\n");
    kb.write("content/notes/same.md", "# Same\n");
    let report = kb.build_fails();
    let diagnostic = only(&report, "duplicate-route");
    assert!(diagnostic.message.contains("/notes/same/"));
    assert_eq!(diagnostic.related.len(), 1);
}

#[test]
fn a_file_that_is_not_utf8() {
    let kb = Kb::new();
    std::fs::create_dir_all(kb.root().join("content")).expect("mkdir");
    std::fs::write(kb.root().join("content/bad.md"), [0x23, 0x20, 0xc3, 0x28]).expect("write");
    let report = kb.build_fails();
    assert_at(only(&report, "encoding"), "content/bad.md", 1, 3, Error);
}

#[test]
fn an_unreadable_deadline_rule_points_at_the_word() {
    let kb = Kb::new();
    kb.write("content/instruments/act.md", "+++\ntitle = \"Act\"\nsigned = 2026-01-01\n+++\n");
    kb.write("content/deadlines/d.md", "+++\ntitle = \"D\"\nrule = \"within 30 fortnights of signing\"\n+++\n");
    let report = kb.build_fails();
    let diagnostic = only(&report, "deadline-rule");
    assert_at(diagnostic, "content/deadlines/d.md", 3, 19, Error);
}

#[test]
fn an_unreadable_recurrence_points_at_the_word_and_lists_the_shapes() {
    let kb = Kb::new();
    kb.write("content/instruments/memo.md", "+++\ntitle = \"Memo\"\nsigned = 2024-01-16\n+++\n");
    kb.write(
        "content/deadlines/d.md",
        "+++\ntitle = \"D\"\nrule = \"within 180 days of the date of this memorandum, and every two years thereafter until soon\"\n+++\n",
    );
    let report = kb.build_fails();
    let diagnostic = only(&report, "deadline-rule");
    assert_at(diagnostic, "content/deadlines/d.md", 3, 94, Error);
    assert!(diagnostic.message.contains("until"), "{}", diagnostic.message);
}

#[test]
fn a_provision_number_that_is_no_number_points_at_it() {
    let kb = Kb::new();
    kb.write("content/instruments/eo.md", "+++\ntitle = \"EO\"\nsigned = 2024-01-16\n+++\n");
    kb.write("content/sections/s.md", "+++\ntitle = \"S\"\nnumber = \"10.1(b\"\n+++\n");
    let report = kb.build_fails();
    let diagnostic = only(&report, "provision-number");
    assert_at(diagnostic, "content/sections/s.md", 3, 1, Error);
    assert!(diagnostic.message.contains("never closed"), "{}", diagnostic.message);
    assert!(diagnostic.hint.as_deref().is_some_and(|h| h.contains("Article 6(1)(a)")), "{:?}", diagnostic.hint);
}

/// The regression of issue 18: a deadline whose provision did not resolve was reported as
/// "the instrument has no `signed` date" and then dated from another instrument's signing.
#[test]
fn an_unresolved_provision_is_that_and_never_no_signed_date() {
    let kb = Kb::new();
    kb.write("docket.toml", "title = \"Two\"\ndefault_instrument = \"eo\"\n");
    kb.write("content/instruments/eo.md", "+++\ntitle = \"EO\"\nsigned = 2024-01-16\n+++\n");
    kb.write("content/instruments/memo.md", "+++\ntitle = \"Memo\"\n+++\n");
    kb.write("content/sections/1.md", "+++\ntitle = \"One\"\nnumber = \"1\"\n+++\n");
    kb.write(
        "content/deadlines/d.md",
        "+++\ntitle = \"D\"\nprovision = \"memo:9(z)\"\nrule = \"within 30 days of signing\"\n+++\n",
    );
    let report = kb.build_fails();
    let diagnostic = only(&report, "unresolved-reference");
    assert_at(diagnostic, "content/deadlines/d.md", 3, 14, Error);
    assert!(report.diagnostics.iter().all(|d| d.code != "deadline-rule"), "{:?}", report.diagnostics);
}

#[test]
fn an_unresolved_reference_points_at_itself_with_suggestions() {
    let kb = Kb::new();
    kb.write("content/terms/covered-model.md", "# Covered model\n");
    kb.write("content/notes/n.md", "# N\n\nFirst line.\nSee the [[covered-modle]] here.\n");
    let report = kb.build_fails();
    let diagnostic = only(&report, "unresolved-reference");
    assert_at(diagnostic, "content/notes/n.md", 4, 9, Error);
    assert_eq!(diagnostic.hint.as_deref(), Some("did you mean `covered-model`?"));
}

#[test]
fn a_broken_config_value() {
    let kb = Kb::new();
    kb.write("docket.toml", "title = \"x\"\n[deadlines]\ndue_soon_days = \"soon\"\n");
    kb.write("content/a.md", "# A\n");
    let report = kb.build_fails();
    assert_at(only(&report, "config"), "docket.toml", 3, 17, Error);
}

#[test]
fn every_error_of_a_run_is_reported() {
    let kb = Kb::new();
    kb.write("content/a.md", "[[one]] and [[two]]\n");
    kb.write("content/b.md", "+++\ntitle = { text = 3 }\n+++\n[[three]]\n");
    let report = kb.build_fails();
    assert_eq!(report.diagnostics.error_count(), 4, "{:#?}", report.diagnostics);
}

#[test]
fn a_lifecycle_link_to_no_instrument_points_at_it() {
    let kb = Kb::new();
    kb.write("content/instruments/m-24-10.md", "+++\ntitle = \"M-24-10\"\nsigned = 2024-03-28\n+++\n");
    kb.write(
        "content/instruments/m-25-21.md",
        "+++\ntitle = \"M-25-21\"\nsigned = 2025-04-03\nsupersedes = [\"m-24-1O\"]\n+++\n",
    );
    let report = kb.build_fails();
    let diagnostic = only(&report, "unresolved-reference");
    assert_at(diagnostic, "content/instruments/m-25-21.md", 4, 16, Error);
    assert!(
        diagnostic.hint.as_deref().is_some_and(|h| h.starts_with("did you mean `m-24-10`")),
        "{:?}",
        diagnostic.hint
    );
}

/// With several instruments and no default, a deadline that names neither a provision
/// nor an instrument has no signing date; the error says why, at the rule.
#[test]
fn a_deadline_of_no_instrument_says_so() {
    let kb = Kb::new();
    kb.write("content/instruments/a.md", "+++\ntitle = \"A\"\nsigned = 2024-01-16\n+++\n");
    kb.write("content/instruments/b.md", "+++\ntitle = \"B\"\nsigned = 2024-02-16\n+++\n");
    kb.write("content/deadlines/d.md", "+++\ntitle = \"D\"\nrule = \"within 30 days of signing\"\n+++\n");
    let report = kb.build_fails();
    let diagnostic = only(&report, "deadline-rule");
    assert_at(diagnostic, "content/deadlines/d.md", 3, 9, Error);
    assert!(diagnostic.message.contains("does not say which instrument"), "{}", diagnostic.message);
}

/// Finding 6: a collision with a generated page did not name the file that caused it.
#[test]
fn a_note_colliding_with_a_generated_page_is_named() {
    let kb = Kb::new();
    kb.write("content/notes/a.md", "# A\n");
    kb.write("content/deadlines.md", "+++\nslug = \"deadlines\"\n+++\n# Clash\n");
    let report = kb.build_fails();
    let diagnostic = only(&report, "duplicate-route");
    assert_eq!(diagnostic.path.display().to_string(), "content/deadlines.md", "{diagnostic:?}");
}
