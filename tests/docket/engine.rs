//! The engine: every kind of item, both front-matter formats, plain notes, themes,
//! highlighting, determinism, atomic writes and the output-folder guards.

use crate::support::{Kb, snapshot};

#[test]
fn every_kind_of_item_gets_its_page() {
    let kb = Kb::fixture("all-kinds");
    let report = kb.build();
    assert_eq!(report.items, 12);
    let pages = [
        ("instruments/water-act/index.html", "Clean Water Reporting Act"),
        ("sections/1/index.html", "Purpose"),
        ("sections/2/index.html", "Reporting"),
        ("sections/2-a/index.html", "Monthly reports"),
        ("sources/gazette/index.html", "Gazette report on the Water Act"),
        ("deadlines/dl-first-report/index.html", "First monthly report"),
        ("for/utilities/index.html", "Water utilities"),
        ("agencies/epa/index.html", "Environmental Protection Agency"),
        ("terms/utility/index.html", "Utility"),
        ("alerts/water-act-alert/index.html", "The Water Act: what utilities must do"),
        ("notes/deep/plain-note/index.html", "A plain note"),
    ];
    for (path, title) in pages {
        let html = kb.output(path);
        assert!(html.contains(&format!("<h1>{title}</h1>")) || html.contains(title), "{path} lacks its title");
        assert!(html.starts_with("<!DOCTYPE html>"), "{path}");
    }
    for index in [
        "index.html",
        "provisions/index.html",
        "deadlines/index.html",
        "sources/index.html",
        "glossary/index.html",
        "conflicts/index.html",
        "404.html",
        "sitemap.xml",
        "robots.txt",
        "static/style.css",
        "static/syntax.css",
    ] {
        assert!(kb.public().join(index).is_file(), "{index} is missing");
    }
}

#[test]
fn kind_specific_fields_are_shown() {
    let kb = Kb::fixture("all-kinds");
    kb.build();
    let provision = kb.output("sections/2-a/index.html");
    assert!(provision.contains("Will the EPA publish a form?"), "open question");
    assert!(provision.contains("Set up a reporting process."), "action");
    assert!(provision.contains("high relevance"), "audience relevance");
    let instrument = kb.output("instruments/water-act/index.html");
    assert!(instrument.contains("Pub. L. 999-1") && instrument.contains("31 January 2026"));
    let deadline = kb.output("deadlines/dl-first-report/index.html");
    assert!(deadline.contains("Due 28 February 2026"), "one month after 31 January clamps to the month's end");
    let alert = kb.output("alerts/water-act-alert/index.html");
    assert!(alert.contains("Key takeaways") && alert.contains("A. Author") && alert.contains("Not legal advice."));
    assert!(alert.contains("class=\"deadline-table\""), "the docket block embeds the deadline table");
}

#[test]
fn toml_and_yaml_front_matter_read_the_same_keys() {
    let kb = Kb::fixture("all-kinds");
    kb.build();
    let yaml = kb.output("sections/2/index.html");
    assert!(yaml.contains("<h1>Sec. 2: Reporting</h1>"), "YAML title and number");
    assert!(yaml.contains("href=\"/agencies/epa/\""), "YAML agencies list");
    let toml = kb.output("sections/2-a/index.html");
    assert!(toml.contains("href=\"/agencies/epa/\""), "TOML agencies list");
}

#[test]
fn plain_notes_take_their_title_from_the_heading_or_file_name() {
    let kb = Kb::fixture("all-kinds");
    kb.build();
    let plain = kb.output("notes/deep/plain-note/index.html");
    assert!(plain.contains("<h1>A plain note</h1>"));
    assert_eq!(plain.matches("A plain note</h1>").count(), 1, "the opening heading is not repeated");
    assert!(plain.contains("href=\"/instruments/water-act/\""), "relative .md link resolved");
    let untitled = kb.output("notes/untitled/index.html");
    assert!(untitled.contains("<h1>untitled</h1>"));
}

#[test]
fn fenced_code_is_highlighted_with_classes() {
    let kb = Kb::fixture("all-kinds");
    kb.build();
    let html = kb.output("sections/2-a/index.html");
    assert!(html.contains("<pre class=\"hl-code\"><code class=\"language-rust\">"), "{html}");
    assert!(html.contains("<span class=\"hl-"));
    let css = kb.output("static/syntax.css");
    assert!(css.contains("prefers-color-scheme: dark"));
}

#[test]
fn a_theme_overrides_templates_and_assets_by_path() {
    let kb = Kb::fixture("all-kinds");
    kb.write(
        "docket.toml",
        &format!("theme = \"custom\"\n{}", std::fs::read_to_string(kb.root().join("docket.toml")).expect("config")),
    );
    kb.write(
        "themes/custom/templates/404.html",
        "{% extends \"base.html\" %}{% block main %}<p>Custom not found</p>{% endblock main %}",
    );
    kb.write("themes/custom/static/style.css", "body { color: red; }");
    kb.write("themes/custom/static/extra.txt", "added");
    kb.build();
    assert!(kb.output("404.html").contains("Custom not found"));
    assert_eq!(kb.output("static/style.css"), "body { color: red; }");
    assert_eq!(kb.output("static/extra.txt"), "added");
    assert!(
        kb.output("sections/1/index.html").contains("class=\"site-header\""),
        "templates it does not define stay the default's"
    );
}

#[test]
fn a_missing_theme_is_an_error() {
    let kb = Kb::new();
    kb.write("docket.toml", "theme = \"nope\"\n").write("content/a.md", "# A\n");
    let report = kb.build_fails();
    assert!(report.diagnostics.iter().any(|d| d.message.contains("theme `nope` not found")));
}

#[test]
fn two_builds_are_byte_identical_and_so_is_one_thread() {
    let kb = Kb::fixture("all-kinds");
    kb.build();
    let first = snapshot(&kb.public());
    kb.build();
    assert_eq!(first, snapshot(&kb.public()));
    let pool = rayon::ThreadPoolBuilder::new().num_threads(1).build().expect("pool");
    pool.install(|| kb.build());
    assert_eq!(first, snapshot(&kb.public()), "--jobs 1 gives the same bytes");
}

#[test]
fn a_failed_build_leaves_the_previous_output_untouched() {
    let kb = Kb::fixture("all-kinds");
    kb.build();
    let before = snapshot(&kb.public());
    kb.write("content/sections/1.md", "+++\nnumber = \"1\"\ntitle = \"unclosed\n+++\n");
    let report = kb.build_fails();
    assert!(report.written_to.is_none());
    assert_eq!(before, snapshot(&kb.public()));
    let leftovers: Vec<_> = std::fs::read_dir(kb.root())
        .expect("list")
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().contains("docket-"))
        .collect();
    // The lock file stays, on purpose: removing it would let two builds lock two files.
    let names: Vec<String> = leftovers.iter().map(|e| e.file_name().to_string_lossy().to_string()).collect();
    assert_eq!(names, [".public.docket-lock"], "no staging folder is left behind");
}

#[test]
fn output_folder_guards_refuse_dangerous_places() {
    let kb = Kb::fixture("all-kinds");
    let marker = kb.root().join("content/instruments/water-act.md");
    let original = std::fs::read(&marker).expect("read");
    let not_ours = kb.root().join("documents");
    std::fs::create_dir_all(&not_ours).expect("mkdir");
    std::fs::write(not_ours.join("thesis.txt"), "precious").expect("write");
    for output in [
        kb.root().join("content"),
        kb.root().to_path_buf(),
        std::path::PathBuf::from("/"),
        kb.root().join("content/notes"),
        not_ours.clone(),
    ] {
        let mut options = kb.options();
        options.output = Some(output.clone());
        let report = docket::build(&options);
        assert!(!report.succeeded(), "{} must be refused", output.display());
        assert!(report.diagnostics.iter().any(|d| d.message.starts_with("refusing")), "{:?}", report.diagnostics);
    }
    assert_eq!(std::fs::read(&marker).expect("read"), original);
    assert_eq!(std::fs::read_to_string(not_ours.join("thesis.txt")).expect("read"), "precious");
}

#[test]
fn check_writes_nothing() {
    let kb = Kb::fixture("all-kinds");
    let report = docket::check(&kb.options());
    assert!(report.succeeded());
    assert!(report.pages > 10);
    assert!(!kb.public().exists());
}

#[test]
fn the_cli_builds_and_reports_json() {
    let kb = Kb::fixture("all-kinds");
    let binary = env!("CARGO_BIN_EXE_docket");
    let build = std::process::Command::new(binary).arg("build").current_dir(kb.root()).output().expect("run docket");
    assert!(build.status.success(), "{}", String::from_utf8_lossy(&build.stderr));
    assert!(String::from_utf8_lossy(&build.stderr).contains("built "), "prints a summary");
    kb.write("content/notes/broken.md", "See [[nowhere]].\n");
    let check = std::process::Command::new(binary)
        .args(["check", "--format", "json"])
        .current_dir(kb.root())
        .output()
        .expect("run docket");
    assert_eq!(check.status.code(), Some(1));
    let json: serde_json::Value = serde_json::from_slice(&check.stdout).expect("json");
    assert_eq!(json["errors"], 1);
    assert_eq!(json["diagnostics"][0]["path"], "content/notes/broken.md");
    assert_eq!(json["diagnostics"][0]["line"], 1);
    assert_eq!(json["diagnostics"][0]["column"], 5);
}

#[test]
fn new_scaffolds_a_site_that_builds_and_items_of_every_kind() {
    let dir = tempfile::tempdir().expect("temp dir");
    let site = dir.path().join("kb");
    let today = chrono::NaiveDate::from_ymd_opt(2026, 7, 15).expect("date");
    docket::scaffold::knowledge_base(&site, "My KB", today).expect("scaffold");
    for kind in docket::model::Kind::ALL {
        if kind != docket::model::Kind::Instrument {
            let title = format!("New {}", kind.name());
            let new = docket::scaffold::NewItem { kind, title: &title, number: None, today };
            docket::scaffold::item(&site, &new).expect("item");
        }
    }
    let report = docket::check(&docket::BuildOptions { root: site, ..Default::default() });
    let errors: Vec<_> =
        report.diagnostics.iter().filter(|d| d.severity == docket::diagnostics::Severity::Error).collect();
    assert!(errors.is_empty(), "{errors:#?}");
}
