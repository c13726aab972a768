//! Replays saved fuzz inputs through the fuzz targets' own checks (`fuzz/checks.rs`):
//! the seeds in `fuzz/corpus/TARGET/seed-*` and every crash kept in
//! `tests/fuzz_regressions/TARGET/`, so what fuzzing once found stays fixed under plain
//! `cargo test`, with no fuzzer installed.

use std::path::{Path, PathBuf};

#[path = "../../fuzz/checks.rs"]
mod checks;

/// Every saved input of a target, by file name.
fn inputs(target: &str) -> Vec<(String, Vec<u8>)> {
    let repository = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut found = Vec::new();
    for folder in [repository.join("fuzz/corpus").join(target), repository.join("tests/fuzz_regressions").join(target)]
    {
        for entry in std::fs::read_dir(&folder).into_iter().flatten().flatten() {
            let name = entry.file_name().to_string_lossy().to_string();
            let seed_or_kept =
                folder.ends_with(Path::new("fuzz_regressions").join(target)) || name.starts_with("seed-");
            if entry.path().is_file() && seed_or_kept && name != "README.md" && !name.starts_with('.') {
                found.push((format!("{}/{name}", folder.display()), std::fs::read(entry.path()).expect("read")));
            }
        }
    }
    found.sort();
    assert!(!found.is_empty(), "no saved input for {target}");
    found
}

/// Runs `check` on every input as text (the string targets skip non-UTF-8 inputs, as
/// libFuzzer's `&str` targets do).
fn replay_text(target: &str, check: fn(&str)) {
    for (name, bytes) in inputs(target) {
        if let Ok(text) = std::str::from_utf8(&bytes) {
            let result = std::panic::catch_unwind(|| check(text));
            assert!(result.is_ok(), "{name} panics again");
        }
    }
}

#[test]
fn saved_front_matter_inputs_do_not_panic() {
    replay_text("front_matter", checks::front_matter);
}

#[test]
fn saved_reference_scan_inputs_do_not_panic() {
    replay_text("references", checks::references);
}

#[test]
fn saved_deadline_rule_inputs_do_not_panic() {
    replay_text("deadline_rule", checks::deadline_rule);
}

#[test]
fn saved_whole_pipeline_inputs_do_not_panic() {
    let dir = tempfile::tempdir().expect("temp dir");
    let root: PathBuf = dir.path().to_path_buf();
    checks::pipeline_knowledge_base(&root);
    for (name, bytes) in inputs("pipeline") {
        let result = std::panic::catch_unwind(|| checks::pipeline(&root, &bytes));
        assert!(result.is_ok(), "{name} panics again");
    }
}
