//! Fuzz target: front matter (see `checks::front_matter`).
#![no_main]

#[path = "../checks.rs"]
mod checks;

libfuzzer_sys::fuzz_target!(|text: &str| checks::front_matter(text));
