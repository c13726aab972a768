//! `docket serve`: incremental rebuilds equal clean builds; the server serves the last good
//! site over HTTP, follows edits, additions, renames and deletions, reports bad edits
//! without breaking the preview, and refuses paths that leave the site.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::PathBuf;
use std::time::{Duration, Instant};

use docket::render::{Contents, OutputFile};
use docket::serve::reload::SCRIPT_TAG;
use docket::serve::{Changes, Rebuilt, ServeOptions, Server, Workspace};

use crate::support::{Kb, snapshot};

// ---------------------------------------------------------------------------------------
// Incremental rebuilds

/// An output file as comparable bytes, whichever way it is held.
fn comparable(files: &[OutputFile]) -> Vec<(String, Vec<u8>)> {
    files
        .iter()
        .map(|file| {
            let bytes = match &file.contents {
                Contents::Bytes(bytes) => bytes.clone(),
                Contents::Shared(bytes) => bytes.to_vec(),
                Contents::Copy(source) => source.display().to_string().into_bytes(),
            };
            (file.path.clone(), bytes)
        })
        .collect()
}

/// Asserts the incremental result equals a clean compile of the same folder: same files,
/// same bytes, same diagnostics.
fn assert_same_as_clean(kb: &Kb, workspace: &Workspace, rebuilt: &Rebuilt, step: &str) {
    let clean = docket::compile(workspace.options(), true);
    let clean_files = comparable(&clean.files);
    // The preview builds the search bundle off the rebuild path, from the rebuilt pages.
    let mut files = rebuilt.files.clone();
    if let Some(language) = &rebuilt.search_language {
        files.extend(docket::render::search::bundle(&rebuilt.files, language));
        files.sort_by(|a, b| a.path.cmp(&b.path));
    }
    let incremental = comparable(&files);
    let paths = |files: &[(String, Vec<u8>)]| files.iter().map(|(p, _)| p.clone()).collect::<Vec<_>>();
    assert_eq!(paths(&incremental), paths(&clean_files), "{step}: the same files");
    for ((path, ours), (_, theirs)) in incremental.iter().zip(&clean_files) {
        assert!(ours == theirs, "{step}: {path} differs from a clean build");
    }
    let shown = |d: &docket::diagnostics::Diagnostics| d.render(kb.root(), false);
    assert_eq!(shown(&rebuilt.diagnostics), shown(&clean.diagnostics.sorted()), "{step}: the same diagnostics");
}

fn content(kb: &Kb, path: &str) -> PathBuf {
    kb.root().join("content").join(path)
}

/// What the watcher reports for edits of `paths`: every change it saw.
fn changed(paths: &[PathBuf]) -> Changes {
    Changes { content: paths.to_vec(), complete: true, ..Changes::default() }
}

#[test]
fn incremental_rebuilds_equal_clean_builds_through_a_series_of_edits() {
    let kb = Kb::fixture("all-kinds");
    let mut workspace = Workspace::new(kb.options());
    let first = workspace.rebuild(&Changes::default());
    assert_same_as_clean(&kb, &workspace, &first, "first build");
    let pages = first.render.pages_rendered;
    assert!(pages > 10 && first.render.pages_reused == 0, "{:?}", first.render);

    let edit = |path: &str, text: &str| {
        kb.write(&format!("content/{path}"), text);
        changed(&[content(&kb, path)])
    };

    let body = std::fs::read_to_string(content(&kb, "sections/2-a.md")).expect("read");
    let rebuilt = workspace.rebuild(&edit("sections/2-a.md", &format!("{body}\nA new closing paragraph.\n")));
    assert_same_as_clean(&kb, &workspace, &rebuilt, "edit a body");
    assert_eq!(rebuilt.documents_read, 1, "only the edited file is read again");
    let prose_only = |rebuilt: &Rebuilt, pages: usize| {
        let render = rebuilt.render;
        assert_eq!((render.pages_rendered, render.pages_reused), (pages, 0), "only the note's pages: {render:?}");
    };
    prose_only(&rebuilt, 1);

    kb.write(
        "content/notes/prose.md",
        "+++\ntitle = \"Prose\"\n+++\n\nAn opening.\n\nSome words. It cites [[epa]] and [[2(a)]].\n",
    );
    workspace.rebuild(&changed(&[content(&kb, "notes/prose.md")]));
    let rebuilt = workspace.rebuild(&edit(
        "notes/prose.md",
        "+++\ntitle = \"Prose\"\n+++\n\nAn opening.\n\nSome more words, and more. It cites [[epa]] and [[2(a)]].\n",
    ));
    assert_same_as_clean(&kb, &workspace, &rebuilt, "prose before references moves them");
    prose_only(&rebuilt, 1);
    let rebuilt = workspace.rebuild(&edit(
        "notes/prose.md",
        "+++\ntitle = \"Prose\"\n+++\n\nAn opening.\n\nSome more words, and more. It cites [[epa]] and [[2(a)]] twice.\n",
    ));
    assert_same_as_clean(&kb, &workspace, &rebuilt, "the sentence of a reference, shown on backlinks");
    assert!(rebuilt.render.pages_reused > 0 && rebuilt.render.pages_rendered > 1, "{:?}", rebuilt.render);

    let alert = std::fs::read_to_string(content(&kb, "alerts/water-act-alert.md")).expect("read");
    let rebuilt = workspace.rebuild(&edit("alerts/water-act-alert.md", &format!("{alert}\nOne more paragraph.\n")));
    assert_same_as_clean(&kb, &workspace, &rebuilt, "an alert's prose");
    prose_only(&rebuilt, 3);
    let home = std::fs::read_to_string(content(&kb, "_index.md")).expect("read");
    let rebuilt = workspace.rebuild(&edit("_index.md", &format!("{home}\nWelcome, again.\n")));
    assert_same_as_clean(&kb, &workspace, &rebuilt, "the home page's prose");
    prose_only(&rebuilt, 1);
    kb.write("static/notice.txt", "Copied as it is.\n");
    let rebuilt = workspace.rebuild(&Changes { statics: true, ..Changes::default() });
    assert_same_as_clean(&kb, &workspace, &rebuilt, "a new file in static/");

    let rebuilt = workspace.rebuild(&edit(
        "agencies/epa.md",
        "+++\ntitle = \"Environmental Protection Administration\"\nshort = \"EPAdm\"\n+++\n\nCollects the reports.\n",
    ));
    assert_same_as_clean(&kb, &workspace, &rebuilt, "retitle an item others link to");
    assert!(rebuilt.render.pages_rendered > 2, "pages naming the agency follow: {:?}", rebuilt.render);

    let rebuilt = workspace.rebuild(&edit(
        "notes/new.md",
        "+++\ntitle = \"A new note\"\n+++\n\nIt discusses [[epa]], [[2(a)]] and [[dl-first-report]].\n",
    ));
    assert_same_as_clean(&kb, &workspace, &rebuilt, "add a note");

    std::fs::rename(content(&kb, "notes/new.md"), content(&kb, "notes/renamed.md")).expect("rename");
    let rebuilt = workspace.rebuild(&changed(&[content(&kb, "notes/new.md"), content(&kb, "notes/renamed.md")]));
    assert_same_as_clean(&kb, &workspace, &rebuilt, "rename a note");

    let rebuilt = workspace.rebuild(&edit(
        "notes/renamed.md",
        "+++\ntitle = \"A new note\"\n+++\n\nIt discusses [[epa]] and [[no-such-item]].\n",
    ));
    assert!(rebuilt.diagnostics.has_errors(), "a broken reference is an error");
    assert_same_as_clean(&kb, &workspace, &rebuilt, "break a reference");

    let rebuilt = workspace.rebuild(&edit(
        "notes/renamed.md",
        "+++\ntitle = \"A new note\"\n+++\n\nIt discusses [[epa]] and [[utility]].\n",
    ));
    assert!(!rebuilt.diagnostics.has_errors());
    assert_same_as_clean(&kb, &workspace, &rebuilt, "fix the reference");

    let rebuilt = workspace.rebuild(&edit(
        "deadlines/dl-first-report.md",
        "+++\ntitle = \"First monthly report\"\nprovision = \"2(a)\"\naction = \"File the first water-quality report\"\nagencies = [\"epa\"]\nrule = \"within 45 days of signing\"\naudiences = [\"utilities\"]\n+++\n\nThe first report is due later.\n",
    ));
    assert_same_as_clean(&kb, &workspace, &rebuilt, "move a deadline");

    std::fs::remove_file(content(&kb, "terms/utility.md")).expect("delete");
    let rebuilt = workspace.rebuild(&changed(&[content(&kb, "terms/utility.md")]));
    assert!(rebuilt.diagnostics.has_errors(), "references to a deleted note are errors");
    assert_same_as_clean(&kb, &workspace, &rebuilt, "delete a note others link to");

    kb.write("content/terms/utility.md", "+++\ntitle = \"Utility\"\n+++\n\nBack again.\n");
    kb.write(
        "themes/default/templates/404.html",
        "{% extends \"base.html\" %}{% block main %}<p>Lost.</p>{% endblock %}",
    );
    let rebuilt = workspace.rebuild(&Changes {
        content: vec![content(&kb, "terms/utility.md")],
        theme: true,
        ..Changes::default()
    });
    assert_same_as_clean(&kb, &workspace, &rebuilt, "restore the note and override a template");
}

#[test]
fn a_file_changed_behind_the_watchers_back_is_noticed_by_its_stamp() {
    let kb = Kb::fixture("all-kinds");
    let mut workspace = Workspace::new(kb.options());
    workspace.rebuild(&Changes::default());
    kb.write("content/notes/untitled.md", "A much longer text than before, so the size differs.\n");
    let rebuilt = workspace.rebuild(&Changes::default());
    assert_eq!(rebuilt.documents_read, 1);
    assert_same_as_clean(&kb, &workspace, &rebuilt, "unannounced edit");
}

#[test]
fn a_complete_list_of_changes_spares_the_walk_but_new_and_deleted_files_still_count() {
    let kb = Kb::fixture("all-kinds");
    let mut workspace = Workspace::new(kb.options());
    workspace.rebuild(&Changes::default());
    kb.write("content/notes/untitled.md", "A much longer text than before, so the size differs.\n");
    let rebuilt = workspace.rebuild(&changed(&[]));
    assert_eq!(rebuilt.documents_read, 0, "a complete list naming nothing: no file is looked at");
    let rebuilt = workspace.rebuild(&Changes::default());
    assert_eq!(rebuilt.documents_read, 1, "without the promise, stamps find the edit");
    assert_same_as_clean(&kb, &workspace, &rebuilt, "noticed later");

    kb.write("content/notes/fresh.md", "+++\ntitle = \"Fresh\"\n+++\n\nAbout [[epa]].\n");
    let rebuilt = workspace.rebuild(&changed(&[content(&kb, "notes/fresh.md"), content(&kb, "notes/.fresh.md.swp")]));
    assert_same_as_clean(&kb, &workspace, &rebuilt, "a new note named by the watcher");
    std::fs::remove_file(content(&kb, "notes/fresh.md")).expect("delete");
    let rebuilt = workspace.rebuild(&changed(&[content(&kb, "notes/fresh.md")]));
    assert_same_as_clean(&kb, &workspace, &rebuilt, "a deleted note named by the watcher");
    kb.write("content/alerts/chart.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\"/>\n");
    let rebuilt = workspace.rebuild(&changed(&[content(&kb, "alerts/chart.svg")]));
    assert_same_as_clean(&kb, &workspace, &rebuilt, "a new attachment");
}

// ---------------------------------------------------------------------------------------
// The server over HTTP

/// A response as a tiny HTTP/1.1 client sees it.
struct Response {
    status: u16,
    headers: String,
    body: String,
}

impl Response {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers.lines().find_map(|line| {
            let (key, value) = line.split_once(':')?;
            key.eq_ignore_ascii_case(name).then(|| value.trim())
        })
    }
}

/// Sends `GET target` exactly as written (no normalisation of `..`) and reads the reply.
fn get(address: SocketAddr, target: &str) -> Response {
    get_as(address, target, "localhost")
}

/// [`get`] with the `Host` header given.
fn get_as(address: SocketAddr, target: &str, host: &str) -> Response {
    let mut stream = TcpStream::connect(address).expect("connect");
    stream.set_read_timeout(Some(Duration::from_secs(10))).expect("timeout");
    write!(stream, "GET {target} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n").expect("send");
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).expect("read");
    let text = String::from_utf8_lossy(&raw).to_string();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let status = head.split_whitespace().nth(1).and_then(|s| s.parse().ok()).expect("a status line");
    Response { status, headers: head.to_string(), body: body.to_string() }
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
        stream.set_read_timeout(Some(Duration::from_millis(100))).expect("timeout");
        let mut events = Events { stream, seen: String::new() };
        assert!(events.wait_for("text/event-stream", Duration::from_secs(5)), "an event stream: {}", events.seen);
        events
    }

    /// Waits until `needle` arrives; what was read up to it is consumed.
    fn wait_for(&mut self, needle: &str, timeout: Duration) -> bool {
        let started = Instant::now();
        let mut buffer = [0u8; 4096];
        loop {
            if let Some(at) = self.seen.find(needle) {
                self.seen.drain(..at + needle.len());
                return true;
            }
            if started.elapsed() > timeout {
                return false;
            }
            if let Ok(n) = self.stream.read(&mut buffer) {
                self.seen.push_str(&String::from_utf8_lossy(&buffer[..n]));
            }
        }
    }
}

/// Polls until `check` holds, for at most ten seconds.
fn eventually(what: &str, mut check: impl FnMut() -> bool) {
    let started = Instant::now();
    while !check() {
        assert!(started.elapsed() < Duration::from_secs(10), "timed out waiting for: {what}");
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn start(kb: &Kb) -> Server {
    let options = ServeOptions { root: kb.root().to_path_buf(), port: 0, quiet: true, ..ServeOptions::default() };
    Server::start(&options).expect("the server starts")
}

#[test]
fn pages_are_served_with_content_types_and_the_live_reload_script() {
    let kb = Kb::fixture("all-kinds");
    let server = start(&kb);
    let address = server.address();
    let home = get(address, "/");
    assert_eq!(home.status, 200);
    assert_eq!(home.header("content-type"), Some("text/html; charset=utf-8"));
    assert!(home.body.contains(SCRIPT_TAG), "the live-reload script is injected");
    assert!(home.body.contains(&format!("http://{address}/")), "links point at the server");
    let css = get(address, "/static/style.css");
    assert_eq!((css.status, css.header("content-type")), (200, Some("text/css; charset=utf-8")));
    assert!(!css.body.contains(SCRIPT_TAG));
    let script = get(address, "/__docket/live.js");
    assert!(script.status == 200 && script.body.contains("EventSource"));
    let folder = get(address, "/sections/2-a");
    assert_eq!((folder.status, folder.header("location")), (308, Some("/sections/2-a/")));
    let missing = get(address, "/no/such/page/");
    assert_eq!(missing.status, 404);
    assert!(missing.body.contains(SCRIPT_TAG), "the site's 404 page, with the script");
    assert!(!kb.public().exists(), "serve never writes the output folder");
}

#[test]
fn paths_that_leave_the_site_are_refused() {
    let kb = Kb::fixture("all-kinds");
    kb.write("secret.txt", "TOP-SECRET");
    let server = start(&kb);
    for target in [
        "/../secret.txt",
        "/../../../../etc/passwd",
        "/%2e%2e/secret.txt",
        "/static/%2E%2E/%2e%2e/secret.txt",
        "/..%2fsecret.txt",
        "/static/..%5c..%5csecret.txt",
        "//etc/passwd",
        &format!("/{}", kb.root().join("secret.txt").display()),
        "/./secret.txt",
    ] {
        let response = get(server.address(), target);
        assert!(matches!(response.status, 400 | 404), "{target}: {}", response.status);
        assert!(!response.body.contains("TOP-SECRET") && !response.body.contains("root:"), "{target}");
    }
}

#[test]
fn edits_additions_renames_and_deletions_are_served_live() {
    let kb = Kb::fixture("all-kinds");
    let server = start(&kb);
    let address = server.address();
    let mut events = Events::open(address);

    kb.write(
        "content/agencies/epa.md",
        "+++\ntitle = \"Environmental Protection Agency\"\nshort = \"EPA\"\n+++\n\nNow also audits the reports.\n",
    );
    assert!(events.wait_for("event: reload", Duration::from_secs(10)), "a reload event follows the edit");
    assert!(get(address, "/agencies/epa/").body.contains("Now also audits the reports."));

    kb.write("content/notes/fresh.md", "+++\ntitle = \"Fresh note\"\n+++\n\nIt names [[epa]].\n");
    eventually("the new note is served", || get(address, "/notes/fresh/").status == 200);
    eventually("its backlink appears", || get(address, "/agencies/epa/").body.contains("Fresh note"));

    std::fs::rename(content(&kb, "notes/fresh.md"), content(&kb, "notes/moved.md")).expect("rename");
    eventually("the renamed note is served", || get(address, "/notes/moved/").status == 200);
    assert_eq!(get(address, "/notes/fresh/").status, 404, "the old address is gone");

    std::fs::remove_file(content(&kb, "notes/moved.md")).expect("delete");
    eventually("the deleted note is gone", || get(address, "/notes/moved/").status == 404);
    eventually("its backlink is gone", || !get(address, "/agencies/epa/").body.contains("Fresh note"));
}

#[test]
fn a_bad_edit_keeps_the_last_good_site_and_reports_the_error_until_fixed() {
    let kb = Kb::fixture("all-kinds");
    let server = start(&kb);
    let address = server.address();
    let mut events = Events::open(address);
    let good = get(address, "/notes/deep/plain-note/").body;

    kb.write("content/notes/deep/plain-note.md", "# A plain note\n\nNow it links to [[no-such-note]].\n");
    assert!(
        events.wait_for("event: status", Duration::from_secs(10)),
        "a status event tells pages to show the overlay"
    );
    let status = get(address, "/__docket/status");
    assert_eq!(status.header("content-type"), Some("application/json"));
    let json: serde_json::Value = serde_json::from_str(&status.body).expect("JSON");
    assert_eq!(json["ok"], false);
    let error = &json["diagnostics"][0];
    assert_eq!(error["path"], "content/notes/deep/plain-note.md");
    assert_eq!((error["line"].as_u64(), error["column"].as_u64()), (Some(3), Some(17)), "{error}");
    assert!(error["message"].as_str().is_some_and(|m| m.contains("no-such-note")), "{error}");
    assert_eq!(get(address, "/notes/deep/plain-note/").body, good, "the last good page is still served");

    let epa = std::fs::read_to_string(content(&kb, "agencies/epa.md")).expect("read");
    std::fs::remove_file(content(&kb, "agencies/epa.md")).expect("delete");
    eventually("the deletion's broken references are reported", || {
        let json: serde_json::Value = serde_json::from_str(&get(address, "/__docket/status").body).expect("JSON");
        let names_epa = |d: &serde_json::Value| d["message"].as_str().is_some_and(|m| m.contains("`epa`"));
        json["diagnostics"].as_array().is_some_and(|all| all.iter().any(names_epa))
    });
    assert_eq!(get(address, "/agencies/epa/").status, 200, "the last good site keeps the deleted note");

    kb.write("content/agencies/epa.md", &epa);
    kb.write("content/notes/deep/plain-note.md", "# A plain note\n\nFixed: it links to [[utility]].\n");
    assert!(events.wait_for("event: reload", Duration::from_secs(10)), "the fix reloads open pages");
    eventually("the status is clean again", || get(address, "/__docket/status").body.contains("\"ok\":true"));
    assert!(get(address, "/notes/deep/plain-note/").body.contains("Fixed: it links to"));
}

#[test]
fn build_output_never_holds_the_live_reload_script() {
    let kb = Kb::fixture("all-kinds");
    kb.build();
    for (path, bytes) in snapshot(&kb.public()) {
        let text = String::from_utf8_lossy(&bytes);
        assert!(!text.contains("__docket") && !text.contains("EventSource"), "{path} holds serve-only code");
    }
}

#[test]
fn the_search_index_follows_edits_without_holding_up_the_reload() {
    let kb = Kb::fixture("all-kinds");
    let server = start(&kb);
    let address = server.address();
    let entry = || get(address, "/search-index/meta.json");
    eventually("the first search index is served", || entry().status == 200);
    let before = entry().body;
    let mut events = Events::open(address);
    kb.write("content/notes/zebra.md", "+++\ntitle = \"Zebra crossings\"\n+++\n\nA note about zebras.\n");
    assert!(events.wait_for("event: reload", Duration::from_secs(10)), "the reload does not wait for the index");
    eventually("the index is rebuilt with the new note", || {
        let now = entry();
        now.status == 200 && now.body != before
    });
}

/// Finding 5: the server answered any `Host`, so a page whose domain was rebound to
/// 127.0.0.1 could read the preview and its status.
#[test]
fn a_host_header_naming_another_site_is_refused() {
    let kb = Kb::fixture("all-kinds");
    let server = start(&kb);
    let address = server.address();
    for target in ["/", "/__docket/status", "/static/style.css"] {
        for host in ["evil.example", &format!("evil.example:{}", address.port()), "localhost.evil.example"] {
            let response = get_as(address, target, host);
            assert_eq!(response.status, 421, "{target} as {host}");
            assert!(!response.body.contains("<html"), "nothing of the site leaks: {}", response.body);
        }
        for host in ["localhost".to_string(), address.to_string(), format!("localhost:{}", address.port())] {
            assert_eq!(get_as(address, target, &host).status, 200, "{target} as {host}");
        }
    }
}

/// Finding 5: after `mv content x; mv x content` edits were ignored until docket.toml
/// changed.
#[test]
fn a_content_folder_replaced_whole_is_watched_again() {
    let kb = Kb::fixture("all-kinds");
    let server = start(&kb);
    let address = server.address();
    let aside = kb.root().join("content-aside");
    std::fs::rename(kb.root().join("content"), &aside).expect("move away");
    eventually("the rebuild without a content folder fails", || !server.status().ok);
    std::fs::rename(&aside, kb.root().join("content")).expect("move back");
    eventually("the rebuild after the move back succeeds", || server.status().ok);
    eventually("the site is back after the move", || get(address, "/agencies/epa/").status == 200);
    kb.write(
        "content/agencies/epa.md",
        "+++\ntitle = \"Environmental Protection Agency\"\nshort = \"EPA\"\n+++\n\nEdited after the move.\n",
    );
    eventually("the edit after the move is served", || {
        get(address, "/agencies/epa/").body.contains("Edited after the move.")
    });
}

/// Finding 2: an attachment swapped for a symbolic link after the build was served from
/// where the link led (`/etc/shadow`).
#[cfg(unix)]
#[test]
fn an_attachment_swapped_for_a_link_out_of_the_site_is_not_served() {
    let kb = Kb::fixture("all-kinds");
    kb.write("content/notes/data.txt", "attachment text\n");
    let outside = tempfile::tempdir().expect("temp dir");
    std::fs::write(outside.path().join("secret"), "the secret\n").expect("write");
    let server = start(&kb);
    let address = server.address();
    assert!(get(address, "/notes/data.txt").body.contains("attachment text"));
    let swapped = tempfile::NamedTempFile::new_in(kb.root().join("content/notes")).expect("temp");
    let link = swapped.path().with_extension("lnk");
    std::os::unix::fs::symlink(outside.path().join("secret"), &link).expect("symlink");
    // The swap: a rename over the attachment, as an attacker with write access would.
    std::fs::rename(&link, kb.root().join("content/notes/data.txt")).expect("swap");
    let response = get(address, "/notes/data.txt");
    assert!(!response.body.contains("the secret"), "the link was followed: {}", response.body);
}

#[test]
fn an_edit_to_an_embedded_note_reaches_the_pages_that_draw_it() {
    let kb = Kb::fixture("import-vault");
    let mut workspace = Workspace::new(kb.options());
    let first = workspace.rebuild(&Changes::default());
    assert_same_as_clean(&kb, &workspace, &first, "first build");
    // A prose edit inside the section Home.md and Smith v Jones.md draw in place.
    let path = kb.root().join("Deposit rules.md");
    let body = std::fs::read_to_string(&path).expect("read");
    std::fs::write(&path, body.replace("Student halls may ask for less", "Student halls may ask for much less"))
        .expect("write");
    let rebuilt = workspace.rebuild(&changed(&[path]));
    assert_same_as_clean(&kb, &workspace, &rebuilt, "the embedded note's prose");
    let home = rebuilt.files.iter().find(|f| f.path == "home/index.html").expect("home");
    let html = String::from_utf8_lossy(&comparable(std::slice::from_ref(home))[0].1).into_owned();
    assert!(html.contains("Student halls may ask for much less"), "the embedding page shows the edit");
}
