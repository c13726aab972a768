//! First contact: `docket new` scaffolds a knowledge base that checks clean and stays
//! clean as items are added; the command line follows the conventions of the tools people
//! know (colour switches, completions, a man page, errors for a missing root or an empty
//! folder, `--quiet`); the preview serves drafts on request and the site under the path
//! of `base_url`.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::Path;
use std::process::{Command, Output};
use std::time::Duration;

use docket::serve::{ServeOptions, Server};

use crate::support::Kb;

fn docket(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_docket"))
        .args(args)
        .current_dir(dir)
        .env_remove("NO_COLOR")
        .env_remove("CLICOLOR_FORCE")
        .output()
        .expect("run docket")
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).to_string()
}

#[test]
fn the_scaffold_and_two_new_items_of_every_kind_check_without_an_error_or_a_warning() {
    let dir = tempfile::tempdir().expect("temp dir");
    assert!(docket(dir.path(), &["new", "site", "kb"]).status.success());
    let kb = dir.path().join("kb");
    let kinds = ["instrument", "provision", "source", "deadline", "audience", "agency", "term", "alert", "note"];
    for round in 1..=2 {
        for kind in kinds {
            let made = docket(&kb, &["new", kind, &format!("Added {kind} {round}")]);
            assert!(made.status.success(), "new {kind}: {}", stderr(&made));
        }
    }
    let asked = docket(&kb, &["new", "provision", "Annual report", "--number", "2(a)"]);
    assert!(asked.status.success(), "{}", stderr(&asked));
    let taken = docket(&kb, &["new", "provision", "Again", "--number", "2(a)"]);
    assert!(!taken.status.success() && stderr(&taken).contains("already exists"), "{}", stderr(&taken));
    // Provisions got 3 and 4 after the scaffold's 1 and 2, and the asked-for 2(a).
    let numbers: Vec<String> = ["added-provision-1", "added-provision-2", "annual-report"]
        .iter()
        .map(|name| std::fs::read_to_string(kb.join(format!("content/sections/{name}.md"))).expect("written"))
        .map(|text| text.lines().find(|l| l.starts_with("number")).expect("a number").to_string())
        .collect();
    assert!(
        numbers[0].contains("\"3\"") && numbers[1].contains("\"4\"") && numbers[2].contains("\"2(a)\""),
        "{numbers:?}"
    );

    let report = docket::check(&docket::BuildOptions { root: kb.clone(), ..Default::default() });
    assert!(report.diagnostics.is_empty(), "{}", report.diagnostics.render(&kb, false));
    let built = docket(&kb, &["build", "--quiet"]);
    assert!(built.status.success(), "{}", stderr(&built));
    // base_url = "/" keeps the feeds and the e-mail versions, with root-relative links.
    let feed = std::fs::read_to_string(kb.join("public/alerts/feed.xml")).expect("the alert feed");
    assert!(feed.contains("href=\"/alerts/example-alert/\""), "{feed}");
    assert!(kb.join("public/alerts/example-alert/email.html").is_file());
}

#[test]
fn uncommenting_the_scaffolded_claim_keeps_the_keys_after_it_in_place() {
    let dir = tempfile::tempdir().expect("temp dir");
    assert!(docket(dir.path(), &["new", "site", "kb"]).status.success());
    let kb = dir.path().join("kb");
    assert!(docket(&kb, &["new", "source", "Law firm alert"]).status.success());
    let path = kb.join("content/sources/law-firm-alert.md");
    let text = std::fs::read_to_string(&path).expect("read");
    let uncommented: String = text
        .lines()
        .map(|line| match line.strip_prefix("# ") {
            Some(rest) if rest.starts_with("[[claims]]") || rest.contains(" = ") && !rest.starts_with("publisher") => {
                rest.to_string()
            }
            _ => line.to_string(),
        })
        .map(|line| line + "\n")
        .collect();
    let uncommented =
        uncommented.replace("value = \"\"", "value = \"Example agency\"").replace("quote = \"\"", "quote = \"q\"");
    std::fs::write(&path, uncommented).expect("write");
    let report = docket::check(&docket::BuildOptions { root: kb.clone(), ..Default::default() });
    let unknown: Vec<_> = report.diagnostics.iter().filter(|d| d.message.contains("unknown")).collect();
    assert!(unknown.is_empty(), "{}", report.diagnostics.render(&kb, false));
}

/// A knowledge base with one warning, for the colour tests.
fn with_a_warning() -> Kb {
    let kb = Kb::new();
    kb.write("docket.toml", "title = \"Farbe\"\nbase_url = \"https://example.org/\"\ntitel = \"typo\"\n");
    kb.write("content/notes/eins.md", "+++\ntitle = \"Eins\"\n+++\n\nText.\n");
    kb
}

#[test]
fn colour_follows_the_flag_then_no_color_then_clicolor_force() {
    let kb = with_a_warning();
    let run = |args: &[&str], env: &[(&str, &str)]| {
        let mut command = Command::new(env!("CARGO_BIN_EXE_docket"));
        command.args(args).current_dir(kb.root()).env_remove("NO_COLOR").env_remove("CLICOLOR_FORCE");
        for (key, value) in env {
            command.env(key, value);
        }
        let output = command.output().expect("run docket");
        assert!(stderr(&output).contains("titel"), "{}", stderr(&output));
        stderr(&output).contains("\x1b[")
    };
    assert!(!run(&["check"], &[]), "a pipe gets no colour");
    assert!(run(&["check", "--color", "always"], &[]));
    assert!(run(&["check", "--color", "always"], &[("NO_COLOR", "1")]), "the flag wins over the environment");
    assert!(run(&["check"], &[("CLICOLOR_FORCE", "1")]));
    assert!(!run(&["check"], &[("CLICOLOR_FORCE", "1"), ("NO_COLOR", "1")]), "NO_COLOR wins over CLICOLOR_FORCE");
    assert!(!run(&["check", "--color", "never"], &[("CLICOLOR_FORCE", "1")]));
}

#[test]
fn completions_are_generated_for_bash_zsh_and_fish_and_a_man_page() {
    let dir = tempfile::tempdir().expect("temp dir");
    for (shell, marker) in [("bash", "complete -F"), ("zsh", "#compdef docket"), ("fish", "complete -c docket")] {
        let output = docket(dir.path(), &["completions", shell]);
        let script = String::from_utf8_lossy(&output.stdout);
        assert!(output.status.success() && script.contains(marker), "{shell}: {script}");
        assert!(script.contains("deadlines") && script.contains("as-of"), "{shell} completes subcommands and flags");
    }
    let man = docket(dir.path(), &["man"]);
    let page = String::from_utf8_lossy(&man.stdout);
    assert!(page.starts_with(".ie") || page.contains(".TH docket"), "{page}");
    assert!(page.contains("serve"));
}

#[test]
fn flags_belong_to_the_subcommands_they_mean_something_for() {
    let dir = tempfile::tempdir().expect("temp dir");
    assert!(!docket(dir.path(), &["check", "--relative"]).status.success());
    assert!(!docket(dir.path(), &["new", "note", "x", "--jobs", "2"]).status.success());
    // clap's own usage errors follow --color too.
    assert!(stderr(&docket(dir.path(), &["--color", "always", "check", "--bogus"])).contains("\x1b["));
    assert!(!stderr(&docket(dir.path(), &["--color=never", "check", "--bogus"])).contains("\x1b["));
    let help = String::from_utf8_lossy(&docket(dir.path(), &["new", "--help"]).stdout).to_string();
    assert!(help.contains("Examples:") && help.contains("--number"), "{help}");
    let version = String::from_utf8_lossy(&docket(dir.path(), &["--version"]).stdout).to_string();
    assert!(version.starts_with("docket ") && version.contains('('), "{version}");
}

#[test]
fn a_missing_root_and_a_folder_without_notes_are_errors_that_write_nothing() {
    let dir = tempfile::tempdir().expect("temp dir");
    let missing = dir.path().join("nowhere");
    let output = docket(dir.path(), &["build", "--root", missing.to_str().expect("utf-8")]);
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr(&output).contains("no such folder"), "{}", stderr(&output));
    assert!(!missing.exists(), "nothing is created");
    let empty = dir.path().join("empty");
    std::fs::create_dir(&empty).expect("mkdir");
    for command in ["build", "check"] {
        let output = docket(&empty, &[command]);
        assert_eq!(output.status.code(), Some(1), "{command}");
        assert!(stderr(&output).contains("no notes in"), "{}", stderr(&output));
    }
    assert_eq!(std::fs::read_dir(&empty).expect("read").count(), 0, "no output folder");
}

#[test]
fn quiet_export_prints_nothing_on_success() {
    let kb = with_a_warning();
    let output = docket(kb.root(), &["export", "--output", "wiki", "-q"]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(stderr(&output), "");
    assert!(kb.root().join("wiki").is_dir());
}

fn get(address: SocketAddr, target: &str) -> (u16, String) {
    let mut stream = TcpStream::connect(address).expect("connect");
    stream.set_read_timeout(Some(Duration::from_secs(10))).expect("timeout");
    write!(stream, "GET {target} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n").expect("send");
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).expect("read");
    let text = String::from_utf8_lossy(&raw).to_string();
    let status = text.split_whitespace().nth(1).and_then(|s| s.parse().ok()).expect("a status line");
    (status, text)
}

#[test]
fn the_preview_serves_the_site_under_the_base_url_path_with_drafts_and_search_on_request() {
    let kb = Kb::new();
    kb.write("docket.toml", "title = \"Wissensbasis\"\nlanguage = \"de\"\nbase_url = \"https://example.org/wb/\"\n");
    kb.write("content/notes/oeffentlich.md", "+++\ntitle = \"Öffentlich\"\n+++\n\nEin Text.\n");
    kb.write("content/notes/entwurf.md", "+++\ntitle = \"Entwurf\"\ndraft = true\n+++\n\nNoch nicht fertig.\n");
    let options =
        ServeOptions { root: kb.root().to_path_buf(), port: 0, quiet: true, drafts: true, ..ServeOptions::default() };
    let server = Server::start(&options).expect("the server starts");
    assert!(server.url().ends_with("/wb/"), "{}", server.url());
    let address = server.address();
    let (status, home) = get(address, "/wb/");
    assert_eq!(status, 200, "{home}");
    assert!(home.contains("href=\"/wb/static/style.css\""), "links carry the sub-path");
    let (status, head) = get(address, "/");
    assert_eq!(status, 307);
    assert!(head.to_lowercase().contains("location: /wb/"), "{head}");
    assert_eq!(get(address, "/notes/oeffentlich/").0, 404, "outside the sub-path is not the site");
    assert_eq!(get(address, "/wb/notes/oeffentlich/").0, 200);
    assert_eq!(get(address, "/wb/notes/entwurf/").0, 200, "--drafts publishes drafts");
    assert_eq!(get(address, "/wb/notes").0, 308, "a folder without its slash is redirected");
    drop(server);

    let options = ServeOptions { root: kb.root().to_path_buf(), port: 0, quiet: true, ..ServeOptions::default() };
    let server = Server::start(&options).expect("the server starts");
    assert_eq!(get(server.address(), "/wb/notes/entwurf/").0, 404, "drafts stay out by default");
    assert_eq!(get(server.address(), "/wb/search/").0, 200);
    drop(server);

    let options = ServeOptions {
        root: kb.root().to_path_buf(),
        port: 0,
        quiet: true,
        no_search: true,
        ..ServeOptions::default()
    };
    let server = Server::start(&options).expect("the server starts");
    assert_eq!(get(server.address(), "/wb/search/").0, 404, "--no-search: no search page");
}
