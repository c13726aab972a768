//! Whole-site tests: each builds a small knowledge base in a temporary folder and checks
//! the output or the diagnostics. One binary, so the crate is linked once.

mod support;

mod bad_input;
mod browser;
mod claims;
mod cli;
mod crawl;
mod deadlines;
mod diagnostics;
mod engine;
mod fuzz_regressions;
mod hardening;
mod hosting;
mod importing;
mod instruments;
mod links;
mod mediawiki;
mod mirroring;
mod pages;
mod reader;
mod references;
mod scaling;
mod search;
mod security;
mod serve;
mod shipped;
mod theming;
