//! Fuzz target: the deadline rule parser (see `checks::deadline_rule`).
#![no_main]

#[path = "../checks.rs"]
mod checks;

libfuzzer_sys::fuzz_target!(|text: &str| checks::deadline_rule(text));
