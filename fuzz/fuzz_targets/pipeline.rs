//! Fuzz target: the whole pipeline on one note (see `checks::pipeline`).
#![no_main]

use std::path::PathBuf;
use std::sync::OnceLock;

#[path = "../checks.rs"]
mod checks;

fn knowledge_base() -> &'static PathBuf {
    static ROOT: OnceLock<PathBuf> = OnceLock::new();
    ROOT.get_or_init(|| {
        let root = tempfile::tempdir().expect("temp dir").keep();
        checks::pipeline_knowledge_base(&root);
        root
    })
}

libfuzzer_sys::fuzz_target!(|data: &[u8]| checks::pipeline(knowledge_base(), data));
