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
    kb.write("content/deadlines/d.md", "+++\ntitle = \"D\"\nrule = \"within 30 weeks of signing\"\n+++\n");
    let report = kb.build_fails();
    let diagnostic = only(&report, "deadline-rule");
    assert_at(diagnostic, "content/deadlines/d.md", 3, 19, Error);
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
