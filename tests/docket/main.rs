//! Whole-site tests: each builds a small knowledge base in a temporary folder and checks
//! the output or the diagnostics. One binary, so the crate is linked once.

mod support;

mod diagnostics;
mod engine;
mod references;
mod scaling;
mod shipped;
