//! `docket mirror mediawiki` against a real MediaWiki: Debian's `mediawiki` package
//! (1.39) with SQLite, installed into a temporary folder and served by `php -S`, then read
//! back through its API. Without PHP or the package the tests skip with a loud message,
//! except under `CI=true`, where that is a failure (as for the browser suite).

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use docket::BuildOptions;
use docket::mirror::api::Client;
use docket::mirror::{Change, MirrorOptions, MirrorReport, mirror};
use serde_json::Value;

use crate::support::Kb;

const MEDIAWIKI: &str = "/usr/share/mediawiki";
const BOT_PASSWORD: &str = "docketmirrortestbotpassword00001";

/// A 1×1 PNG: MediaWiki checks that an upload's bytes match its extension.
const PNG: &[u8] = &[
    137, 80, 78, 71, 13, 10, 26, 10, 0, 0, 0, 13, 73, 72, 68, 82, 0, 0, 0, 1, 0, 0, 0, 1, 8, 2, 0, 0, 0, 144, 119, 83,
    222, 0, 0, 0, 12, 73, 68, 65, 84, 120, 156, 99, 248, 207, 192, 0, 0, 3, 1, 1, 0, 201, 254, 146, 239, 0, 0, 0, 0,
    73, 69, 78, 68, 174, 66, 96, 130,
];

/// A running wiki in a temporary folder; dropping it stops the server.
struct Wiki {
    _dir: tempfile::TempDir,
    server: Child,
    api: String,
}

impl Drop for Wiki {
    fn drop(&mut self) {
        let _ = self.server.kill();
        let _ = self.server.wait();
    }
}

fn missing_prerequisites() -> Vec<String> {
    let mut missing = Vec::new();
    if Command::new("php").arg("--version").output().is_err() {
        missing.push("php (apt-get install php-cli)".to_string());
    } else if !Command::new("php")
        .arg("-m")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).contains("pdo_sqlite"))
    {
        missing.push("php's SQLite driver (apt-get install php-sqlite3)".to_string());
    }
    if !Path::new(MEDIAWIKI).join("maintenance/install.php").is_file() {
        missing.push(format!("{MEDIAWIKI} (apt-get install mediawiki)"));
    }
    missing
}

/// Installs and starts a wiki, or returns `None` (skip) outside CI when it cannot.
fn start_wiki() -> Option<Wiki> {
    let missing = missing_prerequisites();
    if !missing.is_empty() {
        let message = format!("the MediaWiki tests cannot run; missing:\n  {}", missing.join("\n  "));
        if std::env::var("CI").is_ok_and(|v| v == "true") {
            panic!("{message}");
        }
        eprintln!("\n!!!!!!!!!! SKIPPED: {message}\n!!!!!!!!!! (under CI=true this fails)\n");
        return None;
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let wiki = dir.path().join("w");
    std::fs::create_dir(&wiki).expect("mkdir");
    // The package links LocalSettings.php (and more) into /var/lib: copy the tree with
    // links followed, leaving that one out so install.php writes the wiki's own, and of
    // the extensions only the two the mirror uses (a third of the files to copy and
    // delete).
    let entries: Vec<PathBuf> = std::fs::read_dir(MEDIAWIKI)
        .expect("read the mediawiki package")
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            p.file_name().is_some_and(|n| {
                !["LocalSettings.php", "extensions", "extensions-core"].contains(&n.to_str().unwrap_or_default())
            })
        })
        .collect();
    run(Command::new("cp").arg("-rL").args(&entries).arg(&wiki));
    std::fs::create_dir(wiki.join("extensions")).expect("mkdir");
    let extensions = Path::new(MEDIAWIKI).join("extensions");
    run(Command::new("cp")
        .arg("-rL")
        .args([extensions.join("Cite"), extensions.join("SyntaxHighlight_GeSHi")])
        .arg(wiki.join("extensions")));
    let port = TcpListener::bind("127.0.0.1:0").expect("a free port").local_addr().expect("address").port();
    let server_url = format!("http://127.0.0.1:{port}");
    let db = dir.path().join("db");
    std::fs::create_dir(&db).expect("mkdir");
    run(Command::new("php")
        .current_dir(&wiki)
        .args(["maintenance/install.php", "--dbtype", "sqlite", "--dbpath"])
        .arg(&db)
        .args(["--server", &server_url, "--scriptpath", "", "--pass", "docket-admin-password-1", "KB Wiki", "Admin"]));
    let settings = "\n$wgEnableUploads = true;\n$wgEnableBotPasswords = true;\nwfLoadExtension( 'Cite' );\n\
                    wfLoadExtension( 'SyntaxHighlight_GeSHi' );\n";
    let local = wiki.join("LocalSettings.php");
    let mut text = std::fs::read_to_string(&local).expect("LocalSettings.php");
    text.push_str(settings);
    std::fs::write(&local, text).expect("write LocalSettings.php");
    run(Command::new("php").current_dir(&wiki).args([
        "maintenance/createBotPassword.php",
        "--grants",
        "basic,editpage,createeditmovepage,delete,uploadfile",
        "--appid",
        "docket",
        "Admin",
        BOT_PASSWORD,
    ]));
    let server = Command::new("php")
        .current_dir(&wiki)
        .args(["-S", &format!("127.0.0.1:{port}")])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start php -S");
    let wiki = Wiki { _dir: dir, server, api: format!("{server_url}/api.php") };
    let started = Instant::now();
    while Client::new(&wiki.api).get(&[("action", "query"), ("meta", "siteinfo")]).is_err() {
        assert!(started.elapsed() < Duration::from_secs(30), "the wiki did not answer in 30 s");
        std::thread::sleep(Duration::from_millis(100));
    }
    Some(wiki)
}

fn run(command: &mut Command) {
    let output = command.output().expect("run a MediaWiki set-up command");
    assert!(
        output.status.success(),
        "{command:?} failed:\n{}\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}

fn options(wiki: &Wiki, build: BuildOptions, prefix: &str) -> MirrorOptions<'static> {
    MirrorOptions {
        build,
        api: Some(wiki.api.clone()),
        prefix: Some(prefix.to_string()),
        credentials: Some(("Admin@docket".to_string(), BOT_PASSWORD.to_string())),
        dry_run: false,
        progress: None,
    }
}

fn mirror_into(wiki: &Wiki, build: BuildOptions, prefix: &str) -> MirrorReport {
    mirror(&options(wiki, build, prefix))
}

fn assert_mirrored(report: &MirrorReport, root: &Path) {
    assert!(report.succeeded(), "the mirror failed:\n{}", report.diagnostics.render(root, false));
}

/// The titles a mirror created.
fn created(report: &MirrorReport) -> Vec<String> {
    report.written.iter().filter(|(c, _)| *c == Change::Create).map(|(_, t)| t.clone()).collect()
}

fn query(wiki: &Wiki, params: &[(&str, &str)]) -> Value {
    Client::new(&wiki.api).get(params).expect("the API answers")
}

/// Which of the titles exist.
fn existing(wiki: &Wiki, titles: &[String]) -> Vec<String> {
    let mut found = Vec::new();
    for batch in titles.chunks(50) {
        let answer = query(wiki, &[("action", "query"), ("titles", &batch.join("|"))]);
        for page in answer["query"]["pages"].as_array().expect("pages") {
            if !page["missing"].as_bool().unwrap_or(false) {
                found.push(page["title"].as_str().expect("title").to_string());
            }
        }
    }
    found.sort();
    found
}

/// The targets of every link of the pages that do not exist (red links); also counts
/// the links checked.
fn red_links(wiki: &Wiki, titles: &[String]) -> (Vec<String>, usize) {
    let mut red = Vec::new();
    let mut checked = 0;
    for title in titles {
        let mut continued: Option<String> = None;
        loop {
            let mut params =
                vec![("action", "query"), ("generator", "links"), ("titles", title.as_str()), ("gpllimit", "max")];
            if let Some(from) = &continued {
                params.push(("gplcontinue", from.as_str()));
            }
            let answer = query(wiki, &params);
            for page in answer["query"]["pages"].as_array().into_iter().flatten() {
                checked += 1;
                if page["missing"].as_bool().unwrap_or(false) {
                    red.push(format!("{title} -> {}", page["title"].as_str().unwrap_or_default()));
                }
            }
            match answer["continue"]["gplcontinue"].as_str() {
                Some(next) => continued = Some(next.to_string()),
                None => break,
            }
        }
    }
    (red, checked)
}

fn parsed_html(wiki: &Wiki, title: &str) -> String {
    let answer = query(wiki, &[("action", "parse"), ("page", title), ("prop", "text")]);
    answer["parse"]["text"].as_str().unwrap_or_else(|| panic!("no HTML for {title}: {answer}")).to_string()
}

/// HTML with numeric character references and `&amp;` decoded, as a browser shows it
/// (tags are kept).
fn decode_entities(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(at) = rest.find("&#") {
        out.push_str(&rest[..at]);
        let after = &rest[at + 2..];
        match after.find(';').and_then(|end| Some((end, after[..end].parse::<u32>().ok().and_then(char::from_u32)?))) {
            Some((end, c)) => {
                out.push(c);
                rest = &after[end + 1..];
            }
            None => {
                out.push_str("&#");
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out.replace("&amp;", "&")
}

fn wikitext(wiki: &Wiki, title: &str) -> String {
    let answer = query(
        wiki,
        &[("action", "query"), ("prop", "revisions"), ("rvprop", "content"), ("rvslots", "main"), ("titles", title)],
    );
    answer["query"]["pages"][0]["revisions"][0]["slots"]["main"]["content"].as_str().unwrap_or_default().to_string()
}

fn edit_as_admin(wiki: &Wiki, params: &[(&str, &str)]) {
    let mut client = Client::new(&wiki.api);
    client.login("Admin@docket", BOT_PASSWORD).expect("login");
    client.post(params).expect("an edit by hand");
}

#[test]
fn the_shipped_knowledge_base_mirrors_into_mediawiki_with_no_red_links() {
    let Some(wiki) = start_wiki() else { return };
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let build = BuildOptions { root: root.clone(), ..BuildOptions::default() };
    let started = Instant::now();
    let first = mirror_into(&wiki, build.clone(), "EO/");
    let first_time = started.elapsed();
    assert_mirrored(&first, &root);
    assert_eq!(first.edits, first.pages, "every page and file is written once");
    let mut titles = created(&first);
    titles.sort();
    assert_eq!(existing(&wiki, &titles), titles, "every item's page exists");
    let (red, checked) = red_links(&wiki, &titles);
    assert!(red.is_empty(), "red links:\n{}", red.join("\n"));
    assert!(checked > 500, "only {checked} links checked");

    // A provision that sets a deadline shows the due date and its citations.
    let compiled = docket::compile(&build, false);
    let graph = &compiled.graph;
    let (deadline, provision) = graph
        .deadline_order
        .iter()
        .find_map(|d| {
            let provision = graph.deadline_provision[d.index()]?;
            (graph.deadlines[d.index()].as_ref()?.due.is_some() && !graph.citations[provision.index()].is_empty())
                .then_some((*d, provision))
        })
        .expect("a cited provision with a dated deadline");
    let due = docket::text::human_date(graph.deadlines[deadline.index()].as_ref().and_then(|d| d.due).expect("due"));
    let item = compiled.site.item(provision);
    let title = format!("EO/{}", docket::render::markdown::item_label_long(item));
    let html = parsed_html(&wiki, &title);
    assert!(html.contains(&due), "{title} shows the due date {due}:\n{html}");
    let source = compiled.site.item(graph.citations[provision.index()][0]);
    assert!(
        html.contains(&format!(">{}</a>", source.short_label())),
        "{title} cites {}:\n{html}",
        source.short_label()
    );
    assert!(!html.contains("[[") && !html.contains("[@"), "no authoring syntax:\n{html}");

    let started = Instant::now();
    let second = mirror_into(&wiki, build, "EO/");
    assert_mirrored(&second, &root);
    assert_eq!(second.edits, 0, "a second run changes nothing: {:?}", second.plan);
    eprintln!(
        "mirrored the shipped knowledge base: {} pages, {} edits in {:.1} s; second run {} edits in {:.1} s",
        first.pages,
        first.edits,
        first_time.as_secs_f64(),
        second.edits,
        started.elapsed().as_secs_f64()
    );
}

#[test]
fn a_fixture_stays_in_sync_and_foreign_pages_are_left_alone() {
    let Some(wiki) = start_wiki() else { return };
    let kb = Kb::fixture("all-kinds");
    std::fs::write(kb.root().join("content/attachments.png"), PNG).expect("write");
    kb.write("content/notes/map.md", "# Map\n\nThe basin: ![[attachments.png]]\n");
    kb.write(
        "content/notes/hostile.md",
        "# Hostile text\n\nIt says ]] and {{template}} and a | pipe, ~~~~ and \\_\\_NOTOC\\_\\_ and\n\
         \\* not a list; see [[water-act|the act]] and [the gazette](../sources/gazette.md).\n\n\
         | a | b |\n| --- | --- |\n| x = y | `{{code}}` |\n\nA note.[^1]\n\n[^1]: Footnote with ''quotes''.\n\n\
         ```rust\nfn main() {}\n```\n",
    );
    kb.write("content/notes/lonely.md", "# Lonely\n\nA note nothing links to.\n");
    let wrong = mirror(&MirrorOptions {
        credentials: Some(("Admin@docket".to_string(), "not-the-password".to_string())),
        ..options(&wiki, kb.options(), "Water/")
    });
    let message = wrong.diagnostics.render(kb.root(), false);
    assert!(!wrong.succeeded() && message.contains("(login-failed)"), "{message}");
    assert!(message.contains("Special:BotPasswords") && message.contains("nothing was written"), "{message}");
    // A page written by someone else, where docket would write the gazette's page.
    let foreign = "Water/Gazette report on the Water Act";
    edit_as_admin(&wiki, &[("action", "edit"), ("title", foreign), ("text", "Written by hand."), ("createonly", "1")]);
    let refused = mirror_into(&wiki, kb.options(), "Water/");
    assert!(!refused.succeeded(), "a page docket does not own is never overwritten");
    assert_eq!(refused.edits, 0, "nothing is written when a page is in the way");
    let message = refused.diagnostics.render(kb.root(), false);
    assert!(
        message.contains("`Water/Gazette report on the Water Act` already exists") && message.contains("--prefix"),
        "{message}"
    );
    assert_eq!(wikitext(&wiki, foreign), "Written by hand.");
    edit_as_admin(&wiki, &[("action", "delete"), ("title", foreign)]);
    let first = mirror_into(&wiki, kb.options(), "Water/");
    assert_mirrored(&first, kb.root());
    let mut titles = created(&first);
    titles.sort();
    assert!(titles.contains(&"File:Water attachments.png".to_string()), "{titles:?}");
    assert_eq!(existing(&wiki, &titles), titles);
    let (red, _) = red_links(&wiki, &titles);
    assert!(red.is_empty(), "red links:\n{}", red.join("\n"));

    let html = parsed_html(&wiki, "Water/Hostile text");
    let shown = decode_entities(&html);
    for text in
        ["]]", "{{template}}", "a | pipe", "~~~~", "__NOTOC__", "* not a list", "x = y", "<code>{{code}}</code>"]
    {
        assert!(shown.contains(text), "`{text}` renders as text:\n{html}");
    }
    assert!(html.contains("class=\"wikitable\"") && html.contains("mw-references"), "table and footnotes:\n{html}");
    assert!(html.contains(">the act</a>") && html.contains(">the gazette</a>"), "links keep their labels:\n{html}");
    assert!(parsed_html(&wiki, "Water/Map").contains("<img"), "the attachment is shown");
    let second = mirror_into(&wiki, kb.options(), "Water/");
    assert_mirrored(&second, kb.root());
    assert_eq!(second.edits, 0, "a second run changes nothing: {:?}", second.plan);
    kb.write("content/notes/lonely.md", "# Lonely\n\nA note nothing links to, edited.\n");
    let plan = mirror(&MirrorOptions { dry_run: true, ..options(&wiki, kb.options(), "Water/") });
    assert_mirrored(&plan, kb.root());
    assert_eq!(plan.plan, vec![(Change::Update, "Water/Lonely".to_string())], "a dry run prints the plan");
    assert_eq!(plan.edits, 0, "and writes nothing");
    let edited = mirror_into(&wiki, kb.options(), "Water/");
    assert_mirrored(&edited, kb.root());
    assert_eq!(edited.written, vec![(Change::Update, "Water/Lonely".to_string())], "one note, one edit");
    assert!(wikitext(&wiki, "Water/Lonely").contains("edited."));
    std::fs::remove_file(kb.root().join("content/notes/lonely.md")).expect("remove");
    let removed = mirror_into(&wiki, kb.options(), "Water/");
    assert_mirrored(&removed, kb.root());
    assert!(removed.written.contains(&(Change::Delete, "Water/Lonely".to_string())), "{:?}", removed.written);
    assert!(existing(&wiki, &["Water/Lonely".to_string()]).is_empty(), "the page of a deleted note is deleted");
}
