//! Fuzz target: the reference scan of a note body (see `checks::references`).
#![no_main]

#[path = "../checks.rs"]
mod checks;

libfuzzer_sys::fuzz_target!(|body: &str| checks::references(body));
