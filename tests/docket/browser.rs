//! The browser suite (`tests/browser/`, run with `node --test`) as part of `cargo test`:
//! real Chromium through playwright-core on the built shipped knowledge base (every page
//! loads cleanly, the deadline table sorts and filters, the audience chooser leads to the
//! right page, search and live reload once they exist), axe-core accessibility checks and
//! the Nu HTML Checker. Screenshots and reports land in `target/browser-artifacts/`.
//!
//! The suite needs node, Chromium, Java and `npm ci` in `tests/browser`. When one is
//! missing the test fails under `CI=true`, and otherwise skips with a loud message, so a
//! plain `cargo test` on a laptop without a browser still runs everything else.

use std::path::{Path, PathBuf};
use std::process::Command;

/// What the suite needs that is not there, in words a developer can act on.
fn missing_prerequisites(suite: &Path) -> Vec<String> {
    let mut missing = Vec::new();
    let runs = |program: &str, arg: &str| Command::new(program).arg(arg).output().is_ok_and(|o| o.status.success());
    if !runs("node", "--version") {
        missing.push("node (apt-get install nodejs npm)".to_string());
    }
    if !runs("java", "-version") {
        missing.push("java (apt-get install default-jre-headless)".to_string());
    }
    if !runs("pdftotext", "-v") {
        missing.push("pdftotext (apt-get install poppler-utils)".to_string());
    }
    let chromium = std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".to_string());
    if !Path::new(&chromium).is_file() {
        missing.push(format!("{chromium} (apt-get install chromium chromium-driver)"));
    }
    for package in ["playwright-core", "axe-core", "vnu-jar"] {
        if !suite.join("node_modules").join(package).is_dir() {
            missing.push(format!("tests/browser/node_modules/{package} (cd tests/browser && npm ci)"));
        }
    }
    missing
}

#[test]
fn the_browser_accessibility_and_html_validity_suite_passes() {
    let repository = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let suite = repository.join("tests/browser");
    let missing = missing_prerequisites(&suite);
    if !missing.is_empty() {
        let message = format!("the browser suite cannot run; missing:\n  {}", missing.join("\n  "));
        if std::env::var("CI").is_ok_and(|v| v == "true") {
            panic!("{message}");
        }
        eprintln!("\n!!!!!!!!!! SKIPPED: {message}\n!!!!!!!!!! (under CI=true this fails)\n");
        return;
    }
    let artifacts = repository.join("target/browser-artifacts");
    let run = Command::new("node")
        .args(["--test", "--test-concurrency=1", "--test-timeout=600000"])
        .current_dir(&suite)
        .env("DOCKET_BIN", env!("CARGO_BIN_EXE_docket"))
        .env("DOCKET_ROOT", &repository)
        .env("DOCKET_ARTIFACTS", &artifacts)
        .output()
        .expect("node runs");
    let report = format!("{}{}", String::from_utf8_lossy(&run.stdout), String::from_utf8_lossy(&run.stderr));
    std::fs::create_dir_all(&artifacts).expect("artifact folder");
    std::fs::write(artifacts.join("node-test.tap"), &report).expect("write the report");
    let summary: Vec<&str> = report.lines().filter(|l| l.starts_with("# ") || l.contains("# SKIP")).collect();
    eprintln!("browser suite ({}):\n{}", artifacts.display(), summary.join("\n"));
    assert!(run.status.success(), "the browser suite failed:\n{report}");
}
