//! Scaling: the passes that used to be quadratic still give the right answers, and a
//! 1,000-note build stays within twice its committed instruction count.
//!
//! The instruction count is measured with valgrind's callgrind on the test profile's
//! binary with `--jobs 1`: unlike wall time it does not depend on the machine or on what
//! else runs on it, so a 2× threshold catches a quadratic pass or a lost cache without
//! flaking on a busy CI runner. The baseline lives in `bench/baseline.toml`; rerun with
//! `DOCKET_UPDATE_BASELINE=1` after a deliberate change. The build includes the search
//! index, which is docket's own code. Without valgrind (`.ci/run` installs it) the count
//! is skipped with a message and only the build is checked.

use std::path::Path;
use std::process::Command;

use docket::corpus::{CorpusOptions, generate};

use crate::support::Kb;

#[test]
fn attachments_resolve_by_path_and_by_file_name() {
    let kb = Kb::new();
    kb.write("content/files/report.pdf", "%PDF");
    kb.write("content/notes/img/chart.png", "png");
    kb.write("content/notes/a.md", "See [the report](../files/report.pdf), ![[chart.png]] and [[files/report.pdf]].\n");
    kb.build();
    let page = kb.output("notes/a/index.html");
    assert!(page.contains("href=\"/files/report.pdf\""), "{page}");
    assert!(page.contains("src=\"/notes/img/chart.png\""), "{page}");
    assert!(kb.public().join("notes/img/chart.png").is_file());
}

#[test]
fn alert_tables_show_only_the_deadlines_their_filters_name() {
    let kb = Kb::new();
    kb.write("content/instruments/act.md", "+++\ntitle = \"Act\"\nsigned = 2026-01-31\n+++\n");
    kb.write("content/sections/1.md", "+++\nnumber = \"1\"\ntitle = \"One\"\n+++\n");
    kb.write("content/audiences/utilities.md", "+++\ntitle = \"Utilities\"\n+++\n");
    kb.write("content/audiences/farms.md", "+++\ntitle = \"Farms\"\n+++\n");
    kb.write("content/agencies/epa.md", "+++\ntitle = \"EPA\"\n+++\n");
    for (id, audience, agency) in
        [("dl-both", "utilities", "epa"), ("dl-farms", "farms", "epa"), ("dl-none", "utilities", "")]
    {
        let agencies = if agency.is_empty() { String::new() } else { format!("agencies = [\"{agency}\"]\n") };
        kb.write(
            &format!("content/deadlines/{id}.md"),
            &format!("+++\ntitle = \"{id}\"\nprovision = \"1\"\nrule = \"within 30 days of signing\"\naudiences = [\"{audience}\"]\n{agencies}+++\n"),
        );
    }
    kb.write(
        "content/alerts/a.md",
        "+++\ntitle = \"Alert\"\n+++\n```docket\nembed = \"deadlines\"\naudience = \"utilities\"\nagency = \"epa\"\n```\n",
    );
    kb.build();
    let page = kb.output("alerts/a/index.html");
    assert!(page.contains("dl-both"), "{page}");
    assert!(!page.contains("dl-farms") && !page.contains("dl-none"), "{page}");
}

#[test]
fn provision_pages_link_their_neighbours_in_the_instruments_order() {
    let kb = Kb::new();
    kb.write("content/instruments/act.md", "+++\ntitle = \"Act\"\n+++\n");
    for (file, number) in [("two", "2"), ("one", "1"), ("one-a", "1(a)"), ("ten", "10")] {
        kb.write(
            &format!("content/sections/{file}.md"),
            &format!("+++\nnumber = \"{number}\"\ntitle = \"S{number}\"\n+++\n"),
        );
    }
    kb.build();
    let page = kb.output("sections/one-a/index.html");
    let (prev, next) = (page.find("/sections/one/").expect("previous"), page.find("/sections/two/").expect("next"));
    assert!(prev < next, "{page}");
}

#[test]
fn a_1000_note_build_stays_within_twice_the_baseline_instruction_count() {
    let dir = tempfile::tempdir().expect("temp dir");
    let root = dir.path().join("kb");
    let options = CorpusOptions { notes: 1000, seed: 1, out: root.clone(), hugo: None };
    let summary = generate(&options).expect("the corpus is written");
    assert_eq!(summary.items, 1000);
    let output = dir.path().join("public");
    let Some(instructions) = count_instructions(&root, &output) else {
        eprintln!("scaling: valgrind is not installed; instruction count skipped (.ci/run installs it)");
        let report = docket::build(&docket::BuildOptions { root, ..Default::default() });
        assert!(report.succeeded(), "{}", report.diagnostics.render(dir.path(), false));
        return;
    };
    assert!(output.join("index.html").is_file(), "the corpus builds with zero errors");
    let profile = if cfg!(debug_assertions) { "debug" } else { "release" };
    let baseline_file = Path::new(env!("CARGO_MANIFEST_DIR")).join("bench/baseline.toml");
    if std::env::var_os("DOCKET_UPDATE_BASELINE").is_some() {
        update_baseline(&baseline_file, profile, instructions);
        return;
    }
    let Some(baseline) = read_baseline(&baseline_file, profile) else {
        eprintln!("scaling: no {profile} baseline in bench/baseline.toml; record one with DOCKET_UPDATE_BASELINE=1");
        return;
    };
    eprintln!("scaling: {instructions} instructions ({profile}), baseline {baseline}");
    assert!(
        instructions <= baseline * 2,
        "a 1,000-note build took {instructions} instructions, more than twice the baseline {baseline} \
         ({profile} profile, bench/baseline.toml): profile it (bench/NOTES.md) before raising the baseline"
    );
}

/// Instructions of `docket --jobs 1 build` under callgrind, or `None` without valgrind.
fn count_instructions(root: &Path, output: &Path) -> Option<u64> {
    let run = Command::new("valgrind")
        .args(["--tool=callgrind", "--callgrind-out-file=/dev/null"])
        .arg(env!("CARGO_BIN_EXE_docket"))
        .args(["--jobs", "1", "--quiet", "build", "--root"])
        .arg(root)
        .arg("--output")
        .arg(output)
        .output()
        .ok()?;
    let log = String::from_utf8_lossy(&run.stderr);
    assert!(run.status.success(), "the build under valgrind failed:\n{log}");
    let collected = log.lines().find_map(|line| line.split_once("Collected : ").map(|(_, n)| n.trim().to_string()));
    Some(collected.and_then(|n| n.parse().ok()).unwrap_or_else(|| panic!("no instruction count in:\n{log}")))
}

fn read_baseline(file: &Path, profile: &str) -> Option<u64> {
    let text = std::fs::read_to_string(file).expect("bench/baseline.toml exists");
    let table: toml::Table = text.parse().expect("bench/baseline.toml is TOML");
    let value = table.get(profile).and_then(|t| t.get("build_1k_instructions")).and_then(|v| v.as_integer());
    value.map(|n| n as u64)
}

fn update_baseline(file: &Path, profile: &str, instructions: u64) {
    let text = std::fs::read_to_string(file).unwrap_or_default();
    let mut table: toml::Table = text.parse().unwrap_or_default();
    let mut section = toml::Table::new();
    section.insert("build_1k_instructions".into(), toml::Value::Integer(instructions as i64));
    table.insert(profile.into(), toml::Value::Table(section));
    let header = "# Instructions (valgrind callgrind, Ir) of `docket --jobs 1 build --no-search` on the 1,000-note corpus\n\
                  # (`docket generate-corpus --notes 1000 --seed 1`), per cargo profile. Checked by\n\
                  # tests/docket/scaling.rs (fails above 2x); rewrite with DOCKET_UPDATE_BASELINE=1 cargo test scaling.\n";
    std::fs::write(file, format!("{header}{}", toml::to_string(&table).expect("a table serialises")))
        .expect("bench/baseline.toml is writable");
}
