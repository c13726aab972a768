//! Measures `docket serve`'s edit-to-reload latency: the time from writing a note to the
//! server-sent `reload` event open pages act on. It includes the watcher's debounce
//! window, the incremental rebuild and publishing.
//!
//! ```sh
//! cargo run --release --example serve_latency                      # 10,000 notes of the benchmark corpus
//! cargo run --release --example serve_latency -- --notes 1000
//! cargo run --release --example serve_latency -- --copy /work/main # a copy of a knowledge base
//! cargo run --release --example serve_latency -- --edits 20
//! ```
//!
//! The knowledge base is written to (or copied into) a temporary folder; nothing else is
//! touched.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use docket::corpus::{CorpusOptions, generate};
use docket::serve::{ServeOptions, Server};

// The allocator of the `docket` binary, so the latency measured is the one editors see.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

struct Args {
    notes: usize,
    copy: Option<PathBuf>,
    edits: usize,
}

fn args() -> Args {
    let mut args = Args { notes: 10_000, copy: None, edits: 10 };
    let mut given = std::env::args().skip(1);
    while let Some(flag) = given.next() {
        let value = given.next().unwrap_or_else(|| panic!("{flag} needs a value"));
        match flag.as_str() {
            "--notes" => args.notes = value.parse().expect("--notes takes a number"),
            "--edits" => args.edits = value.parse().expect("--edits takes a number"),
            "--copy" => args.copy = Some(PathBuf::from(value)),
            other => panic!("unknown flag {other}: use --notes N, --copy PATH or --edits N"),
        }
    }
    args
}

fn main() {
    let args = args();
    let dir = tempfile::tempdir().expect("temp dir");
    let started = Instant::now();
    let notes = match &args.copy {
        Some(source) => copy_kb(source, dir.path()),
        None => {
            let options = CorpusOptions { notes: args.notes, seed: 1, out: dir.path().to_path_buf(), hugo: None };
            generate(&options).expect("the corpus is written");
            markdown_notes(dir.path())
        }
    };
    println!("knowledge base: {} notes to edit, prepared in {:.1} s", notes.len(), started.elapsed().as_secs_f64());
    let options = ServeOptions { root: dir.path().to_path_buf(), port: 0, quiet: true, ..ServeOptions::default() };
    let started = Instant::now();
    let server = Server::start(&options).expect("the server starts");
    let status = server.status();
    println!(
        "first build: {:.0} ms ({} pages, {} errors) — server ready after {:.0} ms",
        status.rebuild_ms,
        status.pages_rendered,
        status.errors,
        started.elapsed().as_secs_f64() * 1000.0
    );
    let mut events = Events::open(server.address());
    let mut latencies = Vec::new();
    for n in 0..args.edits {
        let path = dir.path().join(&notes[n * 7919 % notes.len()]);
        let mut text = std::fs::read_to_string(&path).expect("read the note");
        text.push_str(&format!("\nEdited for measurement {n}.\n"));
        let written = Instant::now();
        std::fs::write(&path, text).expect("write the note");
        let event = events.next_rebuild(Duration::from_secs(60)).expect("a rebuild event");
        let latency = written.elapsed();
        let status = server.status();
        println!(
            "edit {n}: {event} after {:.1} ms (rebuild {:.1} ms: {} read, {} pages rendered, {} reused)",
            latency.as_secs_f64() * 1000.0,
            status.rebuild_ms,
            status.documents_read,
            status.pages_rendered,
            status.pages_reused
        );
        latencies.push(latency);
        std::thread::sleep(Duration::from_millis(100));
    }
    latencies.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "edit-to-event latency over {} edits: min {:.1} ms, median {:.1} ms, max {:.1} ms (debounce {} ms included)",
        latencies.len(),
        ms(latencies[0]),
        ms(latencies[latencies.len() / 2]),
        ms(latencies[latencies.len() - 1]),
        options.debounce.as_millis()
    );
}

/// Copies `docket.toml`, `content/` and `static/` of a knowledge base (not `themes/`: a
/// repository's `themes/default` belongs to its own engine version; this binary embeds
/// its own); returns the markdown files to edit.
fn copy_kb(source: &Path, target: &Path) -> Vec<String> {
    let mut notes = Vec::new();
    for entry in walkdir::WalkDir::new(source).into_iter().flatten() {
        let Ok(relative) = entry.path().strip_prefix(source) else { continue };
        let wanted =
            relative.starts_with("content") || relative.starts_with("static") || relative == Path::new("docket.toml");
        if !wanted {
            continue;
        }
        let destination = target.join(relative);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&destination).expect("create a folder");
        } else {
            std::fs::create_dir_all(destination.parent().expect("in a folder")).expect("create a folder");
            std::fs::copy(entry.path(), &destination).expect("copy a file");
            let name = relative.to_string_lossy().to_string();
            if name.starts_with("content") && name.ends_with(".md") && !name.ends_with("_index.md") {
                notes.push(name);
            }
        }
    }
    notes.sort();
    notes
}

/// The markdown files under `root/content`, relative to `root`, sorted.
fn markdown_notes(root: &Path) -> Vec<String> {
    let mut notes: Vec<String> = walkdir::WalkDir::new(root.join("content"))
        .into_iter()
        .flatten()
        .filter(|entry| entry.path().extension().is_some_and(|e| e == "md"))
        .filter_map(|entry| entry.path().strip_prefix(root).ok().map(|p| p.to_string_lossy().to_string()))
        .collect();
    notes.sort();
    notes
}

/// The server-sent event stream, read as raw text.
struct Events {
    stream: TcpStream,
    seen: String,
}

impl Events {
    fn open(address: SocketAddr) -> Events {
        let mut stream = TcpStream::connect(address).expect("connect");
        write!(stream, "GET /__docket/events HTTP/1.1\r\nHost: localhost\r\n\r\n").expect("send");
        stream.set_read_timeout(Some(Duration::from_millis(5))).expect("timeout");
        Events { stream, seen: String::new() }
    }

    /// Waits for the next `reload` or `status` event and names it.
    fn next_rebuild(&mut self, timeout: Duration) -> Option<&'static str> {
        let started = Instant::now();
        let mut buffer = [0u8; 4096];
        loop {
            for name in ["reload", "status"] {
                let needle = format!("event: {name}");
                if let Some(at) = self.seen.find(&needle) {
                    self.seen.drain(..at + needle.len());
                    return Some(name);
                }
            }
            if started.elapsed() > timeout {
                return None;
            }
            if let Ok(n) = self.stream.read(&mut buffer) {
                self.seen.push_str(&String::from_utf8_lossy(&buffer[..n]));
            }
        }
    }
}
