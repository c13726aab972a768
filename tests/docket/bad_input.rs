//! Broken knowledge bases: the corpus in `tests/bad_input/` and cases generated here
//! (binary and non-UTF-8 files, a 50 MB note, 10,000 references on one line, deep
//! nesting, symbolic-link loops). Each build runs on its own thread with a time limit and
//! must give the expected diagnostics (file:line:col), never panic or hang, write nothing
//! outside its output folder, and leave the previous output untouched when it fails.

use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::Duration;

use docket::diagnostics::{Diagnostic, Severity};
use docket::{BuildOptions, Report};

use crate::support::{CONFIG, snapshot};

/// Long enough for a 50 MB note in a debug build on a busy two-core machine.
const TIME_LIMIT: Duration = Duration::from_secs(240);

/// A knowledge base in `<dir>/kb` with a previous good output in `<dir>/kb/public` and an
/// empty `<dir>/outside` that no build may write into.
struct Case {
    dir: tempfile::TempDir,
}

impl Case {
    fn new() -> Case {
        let case = Case { dir: tempfile::tempdir().expect("temp dir") };
        std::fs::create_dir_all(case.content()).expect("mkdir");
        std::fs::create_dir_all(case.dir.path().join("outside")).expect("mkdir");
        std::fs::write(case.root().join("docket.toml"), CONFIG).expect("write");
        std::fs::write(case.content().join("previous.md"), "# Previous\n\nThe last good build.\n").expect("write");
        let report = docket::build(&case.options());
        assert!(report.succeeded(), "{}", report.diagnostics.render(&case.root(), false));
        std::fs::remove_file(case.content().join("previous.md")).expect("remove");
        case
    }

    fn root(&self) -> PathBuf {
        self.dir.path().join("kb")
    }

    fn content(&self) -> PathBuf {
        self.root().join("content")
    }

    fn write(&self, path: &str, bytes: impl AsRef<[u8]>) {
        let target = self.root().join(path);
        std::fs::create_dir_all(target.parent().expect("has a parent")).expect("mkdir");
        std::fs::write(target, bytes).expect("write");
    }

    fn options(&self) -> BuildOptions {
        BuildOptions { root: self.root(), ..BuildOptions::default() }
    }

    /// Everything on disk but the output folder and its staging siblings.
    fn inputs(&self) -> Vec<(String, Vec<u8>)> {
        snapshot(self.dir.path())
            .into_iter()
            .filter(|(path, _)| !path.starts_with("kb/public") && !path.starts_with("kb/.public"))
            .collect()
    }

    /// Builds on a thread; fails the test on a panic or when the time limit passes.
    /// Checks what every build must guarantee and returns the report.
    fn build(&self, name: &str) -> Report {
        let before_output = snapshot(&self.root().join("public"));
        let before_inputs = self.inputs();
        let options = self.options();
        let (sender, receiver) = mpsc::channel();
        let worker = std::thread::spawn(move || {
            let _ = sender.send(docket::build(&options));
        });
        let report = match receiver.recv_timeout(TIME_LIMIT) {
            Ok(report) => report,
            Err(mpsc::RecvTimeoutError::Timeout) => panic!("{name}: the build did not finish in {TIME_LIMIT:?}"),
            Err(mpsc::RecvTimeoutError::Disconnected) => {
                let panic = worker.join().expect_err("the worker ended without a report");
                panic!(
                    "{name}: the build panicked: {:?}",
                    panic.downcast_ref::<String>().map(String::as_str).or(panic.downcast_ref::<&str>().copied())
                );
            }
        };
        assert!(self.inputs() == before_inputs, "{name}: the build wrote outside its output folder");
        if !report.succeeded() {
            assert!(
                snapshot(&self.root().join("public")) == before_output,
                "{name}: a failed build changed the previous output"
            );
        }
        report
    }
}

/// One expected diagnostic: `severity code path[:line[:column]] [words]`.
fn matches(expected: &str, found: &Diagnostic) -> bool {
    let mut parts = expected.splitn(4, ' ');
    let (severity, code, place, words) = (
        parts.next().unwrap_or(""),
        parts.next().unwrap_or(""),
        parts.next().unwrap_or(""),
        parts.next().unwrap_or(""),
    );
    let severity_ok = match severity {
        "error" => found.severity == Severity::Error,
        "warning" => found.severity == Severity::Warning,
        other => panic!("unknown severity `{other}` in an expect file"),
    };
    let mut place = place.split(':');
    let path_ok = place.next() == Some(found.path.display().to_string().as_str());
    let line_ok = place.next().is_none_or(|l| l.parse() == Ok(found.line));
    let column_ok = place.next().is_none_or(|c| c.parse() == Ok(found.column));
    let text = format!("{} {}", found.message, found.hint.as_deref().unwrap_or(""));
    severity_ok && code == found.code && path_ok && line_ok && column_ok && text.contains(words.trim())
}

/// What differs from the expected diagnostics, one line each.
fn unexpected(name: &str, case: &Case, report: &Report, expected: &[&str]) -> Vec<String> {
    let rendered = report.diagnostics.render(&case.root(), false);
    let mut problems = Vec::new();
    for line in expected {
        if !report.diagnostics.iter().any(|d| matches(line, d)) {
            problems.push(format!("{name}: expected `{line}`, got:\n{rendered}"));
        }
    }
    let errors_expected = expected.iter().any(|l| l.starts_with("error"));
    if report.succeeded() == errors_expected {
        problems.push(format!(
            "{name}: the build should {}:\n{rendered}",
            if errors_expected { "fail" } else { "succeed" }
        ));
    }
    for diagnostic in report.diagnostics.iter() {
        // Tera reports no line for an error while rendering (a template's `range` too big).
        let render_error = diagnostic.code == "template" && diagnostic.message.starts_with("rendering");
        let placed = diagnostic.line > 0
            || diagnostic.path.ends_with("docket.toml")
            || diagnostic.code == "symlink"
            || render_error;
        if !placed {
            problems.push(format!("{name}: a diagnostic without line and column: {diagnostic:?}"));
        }
    }
    problems
}

fn assert_expected(name: &str, case: &Case, report: &Report, expected: &[&str]) {
    let problems = unexpected(name, case, report, expected);
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn every_broken_knowledge_base_of_the_corpus_is_reported_and_nothing_is_damaged() {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/bad_input");
    let mut cases: Vec<PathBuf> =
        std::fs::read_dir(&corpus).expect("corpus").flatten().map(|e| e.path()).filter(|p| p.is_dir()).collect();
    cases.sort();
    assert!(cases.len() >= 15, "the corpus lost cases");
    let mut problems = Vec::new();
    for folder in cases {
        let name = folder.file_name().expect("named").to_string_lossy().to_string();
        let case = Case::new();
        for file in snapshot(&folder) {
            if file.0 != "expect" {
                case.write(&file.0, &file.1);
            }
        }
        let expect = std::fs::read_to_string(folder.join("expect")).expect("every case has an expect file");
        let expected: Vec<&str> = expect.lines().filter(|l| !l.trim().is_empty()).collect();
        let report = case.build(&name);
        problems.extend(unexpected(&name, &case, &report, &expected));
        if report.succeeded() {
            assert_output_stays_inside(&name, &case);
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// Every file of a successful build is under its output folder (slugs such as
/// `../../x` must not climb out).
fn assert_output_stays_inside(name: &str, case: &Case) {
    let outside = snapshot(&case.dir.path().join("outside"));
    assert!(outside.is_empty(), "{name}: wrote {outside:?} outside");
    assert!(
        !case.dir.path().join("escaped-by-slug").exists() && !case.root().join("y").exists(),
        "{name}: a slug escaped"
    );
}

#[test]
fn binary_and_non_utf8_files_are_errors_at_the_offending_byte() {
    for (name, bytes, place) in [
        ("latin-1", b"line one\ncaf\xe9 au lait\n".to_vec(), "content/notes/a.md:2:4"),
        ("nul bytes", vec![0u8; 64], "content/notes/a.md:1:1"),
        ("utf-16", b"\xff\xfeh\0i\0".to_vec(), "content/notes/a.md:1:1"),
        ("png under a .md name", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec(), "content/notes/a.md:1:1"),
    ] {
        let case = Case::new();
        case.write("content/notes/a.md", bytes);
        case.write("content/notes/fine.md", "# Fine\n");
        let report = case.build(name);
        assert_expected(name, &case, &report, &[&format!("error encoding {place}")]);
    }
}

#[test]
fn a_50_mb_note_builds_within_the_time_limit() {
    let case = Case::new();
    let paragraph = "The agency must act within 30 days of signing; see [[b]] and [@src, Sec. 2] for what \
                     the sources say. Critical-infrastructure operators should read **this** section twice.\n\n";
    let mut note = String::with_capacity(50 * 1024 * 1024 + paragraph.len());
    note.push_str("+++\ntitle = \"Big\"\n+++\n");
    while note.len() < 50 * 1024 * 1024 {
        note.push_str(paragraph);
    }
    case.write("content/notes/big.md", note);
    case.write("content/notes/b.md", "# B\n");
    case.write("content/sources/src.md", "+++\ntitle = \"Src\"\n+++\n");
    let report = case.build("50 MB note");
    assert_expected("50 MB note", &case, &report, &[]);
}

#[test]
fn ten_thousand_references_on_one_line_build_quickly() {
    let case = Case::new();
    let line: Vec<String> = (0..10_000).map(|i| format!("[[b|ref {i}]]")).collect();
    case.write("content/notes/a.md", format!("# A\n\n{}\n", line.join(" ")));
    case.write("content/notes/b.md", "# B\n");
    let started = std::time::Instant::now();
    let report = case.build("10,000 references");
    assert_expected("10,000 references", &case, &report, &[]);
    // Quadratic context extraction took 13 s here in a debug build; linear takes < 1 s.
    assert!(started.elapsed() < Duration::from_secs(60), "took {:?}", started.elapsed());
    let a = std::fs::read_to_string(case.root().join("public/notes/a/index.html")).expect("a's page");
    assert_eq!(a.matches("href=\"/notes/b/\"").count(), 10_000, "every reference is a link");
    let b = std::fs::read_to_string(case.root().join("public/notes/b/index.html")).expect("b's page");
    assert!(b.contains("href=\"/notes/a/\""), "a is a backlink on b");
}

#[test]
fn deeply_nested_lists_and_quotes_do_not_overflow_the_stack() {
    let case = Case::new();
    let lists: String = (0..5_000).map(|depth| format!("{}- level {depth} [[b]]\n", "  ".repeat(depth))).collect();
    let quotes = format!("{} deep [[b]]\n", ">".repeat(10_000));
    let brackets = format!("{}b{}\n", "[".repeat(10_000), "]".repeat(10_000));
    let emphasis = format!("{}x{}\n", "*_".repeat(5_000), "_*".repeat(5_000));
    case.write("content/notes/lists.md", format!("# Lists\n\n{lists}"));
    case.write("content/notes/quotes.md", format!("# Quotes\n\n{quotes}\n{brackets}\n{emphasis}"));
    case.write("content/notes/b.md", "# B\n");
    let report = case.build("deep nesting");
    assert!(report.diagnostics.iter().all(|d| d.severity == Severity::Warning), "{:#?}", report.diagnostics);
}

#[cfg(unix)]
#[test]
fn symbolic_link_loops_and_links_out_of_the_content_folder_are_not_followed() {
    use std::os::unix::fs::symlink;
    let case = Case::new();
    case.write("content/notes/a.md", "# A\n");
    case.write("../outside-secret.md", "# Secret\n\nmust never be published\n");
    let notes = case.content().join("notes");
    symlink(".", notes.join("loop")).expect("symlink");
    symlink("../notes", notes.join("up")).expect("symlink");
    symlink(case.dir.path().join("outside-secret.md"), notes.join("secret.md")).expect("symlink");
    symlink(case.dir.path(), case.content().join("everything")).expect("symlink");
    symlink("dangling-target", notes.join("dangling.md")).expect("symlink");
    let report = case.build("symlink loops");
    assert!(report.succeeded(), "{}", report.diagnostics.render(&case.root(), false));
    let symlinks = report.diagnostics.iter().filter(|d| d.code == "symlink").count();
    assert_eq!(symlinks, 5, "one warning per link: {:#?}", report.diagnostics);
    let published = snapshot(&case.root().join("public"));
    assert!(published.iter().all(|(_, bytes)| !String::from_utf8_lossy(bytes).contains("must never be published")));
}
