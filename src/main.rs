//! The `docket` command line: parses arguments, calls the library, prints the report.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use chrono::NaiveDate;
use clap::{Args, Parser, Subcommand, ValueEnum};

use docket::model::Kind;
use docket::{BuildOptions, Report};

// Rendering allocates millions of small, short-lived values (tera turns every page's
// context into a tree of JSON values); mimalloc serves them from per-thread pages, where
// glibc's allocator spent a fifth of the build in malloc/free (see bench/NOTES.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// A static site generator for policy knowledge bases.
#[derive(Parser)]
#[command(name = "docket", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
    /// The knowledge-base root (holding docket.toml and content/); default: the nearest
    /// folder upwards that holds docket.toml, else the current folder.
    #[arg(long, global = true)]
    root: Option<PathBuf>,
    /// Print only errors.
    #[arg(long, short, global = true, conflicts_with = "verbose")]
    quiet: bool,
    /// Print warnings in full and timing details.
    #[arg(long, short, global = true)]
    verbose: bool,
    /// Worker threads (default: one per core). `--jobs 1` runs the same code serially.
    #[arg(long, short, global = true)]
    jobs: Option<usize>,
}

#[derive(Subcommand)]
enum Command {
    /// Build the site into the output folder (atomically).
    Build(BuildArgs),
    /// Run every stage but writing; report all errors and warnings.
    Check(CheckArgs),
    /// Create a knowledge base, or an item of a kind with the right front matter.
    New(NewArgs),
    /// Write the knowledge base as plain markdown with every reference a relative link.
    Export(ExportArgs),
    /// Print the deadline table, or export it as iCalendar, CSV or JSON to stdout.
    Deadlines(DeadlinesArgs),
    /// Keep a wiki in sync with the knowledge base.
    #[command(subcommand)]
    Mirror(MirrorCommand),
    /// Serve a live preview: rebuild on save, reload open pages, show errors in place.
    Serve(ServeArgs),
    /// Write a synthetic knowledge base for benchmarks (and optionally a Hugo copy).
    #[command(hide = true)]
    GenerateCorpus(CorpusArgs),
}

#[derive(Args)]
struct ExportArgs {
    #[command(flatten)]
    common: CommonArgs,
    /// What to write: `markdown` (CommonMark/GFM for a Git-backed wiki or Confluence).
    #[arg(long, value_enum, default_value_t = ExportFormat::Markdown)]
    format: ExportFormat,
    /// The folder to write (replaced whole; never the content folder).
    #[arg(long, short)]
    output: PathBuf,
    /// Keep each note's front matter as written, or drop it.
    #[arg(long, value_enum, default_value_t = FrontMatterArg::Keep)]
    front_matter: FrontMatterArg,
    /// Page names and links for a Git-backed wiki: `github-wiki` (flat page names),
    /// `gitlab-wiki` (paths), or `plain` relative `.md` links.
    #[arg(long, value_enum, default_value_t = FlavorArg::Plain)]
    flavor: FlavorArg,
}

#[derive(Clone, Copy, ValueEnum)]
enum FlavorArg {
    Plain,
    GithubWiki,
    GitlabWiki,
}

#[derive(Subcommand)]
enum MirrorCommand {
    /// Write every item as a page of a MediaWiki through its Action API (log in with a
    /// bot password from DOCKET_MEDIAWIKI_USER and DOCKET_MEDIAWIKI_PASSWORD).
    Mediawiki(MediaWikiArgs),
}

#[derive(Args)]
struct MediaWikiArgs {
    #[command(flatten)]
    common: CommonArgs,
    /// The wiki's api.php URL (overrides `api` under [mirror.mediawiki]).
    #[arg(long)]
    api: Option<String>,
    /// Page-title prefix (overrides `prefix` under [mirror.mediawiki]).
    #[arg(long)]
    prefix: Option<String>,
    /// Print the plan (pages to create, update and delete) and write nothing.
    #[arg(long)]
    dry_run: bool,
}

#[derive(Clone, Copy, ValueEnum)]
enum ExportFormat {
    Markdown,
}

#[derive(Clone, Copy, ValueEnum)]
enum FrontMatterArg {
    Keep,
    Drop,
}

#[derive(Args)]
struct DeadlinesArgs {
    /// Date statuses are computed against (YYYY-MM-DD; default: docket.toml, else today).
    #[arg(long, value_parser = parse_date)]
    as_of: Option<NaiveDate>,
    /// Only the deadlines of this audience (its id).
    #[arg(long)]
    audience: Option<String>,
    /// What to print.
    #[arg(long, value_enum, default_value_t = DeadlineFormat::Table)]
    format: DeadlineFormat,
}

#[derive(Clone, Copy, ValueEnum)]
enum DeadlineFormat {
    /// An aligned table, coloured by status on a terminal (NO_COLOR turns colour off).
    Table,
    /// iCalendar (RFC 5545).
    Ics,
    /// CSV (RFC 4180).
    Csv,
    /// JSON (schema docket-deadlines/1).
    Json,
}

#[derive(Args)]
struct ServeArgs {
    /// Address to listen on; 0.0.0.0 exposes the preview to the network.
    #[arg(long, default_value = "127.0.0.1")]
    bind: std::net::IpAddr,
    /// Port to try first; the next free one is used when it is taken.
    #[arg(long, short, default_value_t = 1111)]
    port: u16,
    /// Date deadline status is computed against (YYYY-MM-DD; default: docket.toml, else today).
    #[arg(long, value_parser = parse_date)]
    as_of: Option<NaiveDate>,
}

#[derive(Args)]
struct CorpusArgs {
    /// Items to write.
    #[arg(long, default_value_t = 1000)]
    notes: usize,
    /// Seed; the same seed gives the same corpus.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Folder for the knowledge base (new or empty).
    #[arg(long)]
    out: PathBuf,
    /// Folder for the same notes as a plain Hugo site (new or empty).
    #[arg(long)]
    hugo: Option<PathBuf>,
}

#[derive(Args)]
struct BuildArgs {
    #[command(flatten)]
    common: CommonArgs,
    /// Output folder (default: `output` of docket.toml, `public`).
    #[arg(long, short)]
    output: Option<PathBuf>,
}

#[derive(Args)]
struct CommonArgs {
    /// Date deadline status is computed against (YYYY-MM-DD; default: docket.toml, else today).
    #[arg(long, value_parser = parse_date)]
    as_of: Option<NaiveDate>,
    /// Make every internal link relative, so the output works from file://.
    #[arg(long)]
    relative: bool,
    /// Override base_url of docket.toml.
    #[arg(long)]
    base_url: Option<String>,
    /// Skip the full-text search index and page (as `search = false` in docket.toml).
    #[arg(long)]
    no_search: bool,
}

#[derive(Args)]
struct CheckArgs {
    #[command(flatten)]
    common: CommonArgs,
    /// Output format of the diagnostics.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    Human,
    Json,
}

#[derive(Args)]
struct NewArgs {
    /// What to create: `site` (a knowledge base in PATH_OR_TITLE), or an item kind.
    #[arg(value_parser = ["site", "instrument", "provision", "source", "deadline", "audience", "agency", "term", "alert", "note"])]
    what: String,
    /// The folder (for `site`) or the item's title.
    path_or_title: String,
}

fn parse_date(text: &str) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").map_err(|_| format!("`{text}` is not a date: write YYYY-MM-DD"))
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    if let Some(jobs) = cli.jobs {
        if let Err(error) = rayon::ThreadPoolBuilder::new().num_threads(jobs.max(1)).build_global() {
            eprintln!("error: cannot set up {jobs} worker threads: {error}");
            return ExitCode::FAILURE;
        }
    }
    let root = cli.root.clone().unwrap_or_else(|| docket::find_root(&std::env::current_dir().unwrap_or_default()));
    match &cli.command {
        Command::Build(args) => {
            let options = options(&root, &args.common, args.output.clone());
            let spinner = progress(&cli);
            let report = docket::build(&options);
            if let Some(spinner) = spinner {
                spinner.finish_and_clear();
            }
            finish(&cli, &root, &report, Format::Human)
        }
        Command::Check(args) => {
            let report = docket::check(&options(&root, &args.common, None));
            finish(&cli, &root, &report, args.format)
        }
        Command::New(args) => new(&root, args),
        Command::Export(args) => export(&cli, &root, args),
        Command::Deadlines(args) => deadlines(&cli, &root, args),
        Command::Mirror(MirrorCommand::Mediawiki(args)) => mirror_mediawiki(&cli, &root, args),
        Command::Serve(args) => serve(&cli, &root, args),
        Command::GenerateCorpus(args) => generate_corpus(args),
    }
}

fn serve(cli: &Cli, root: &std::path::Path, args: &ServeArgs) -> ExitCode {
    let options = docket::serve::ServeOptions {
        root: root.to_path_buf(),
        as_of: args.as_of,
        bind: args.bind,
        port: args.port,
        quiet: cli.quiet,
        ..docket::serve::ServeOptions::default()
    };
    match docket::serve::Server::start(&options) {
        Ok(server) => {
            eprintln!("serving {} at {} (Ctrl-C to stop)", root.display(), server.url());
            server.wait();
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}

fn deadlines(cli: &Cli, root: &std::path::Path, args: &DeadlinesArgs) -> ExitCode {
    use docket::render::exports::{Export, Format as ExportFormat};
    let options = BuildOptions { root: root.to_path_buf(), as_of: args.as_of, ..BuildOptions::default() };
    let compiled = docket::compile(&options, false);
    let diagnostics = compiled.diagnostics.sorted();
    if diagnostics.has_errors() || cli.verbose {
        let report = Report {
            diagnostics,
            pages: 0,
            files: 0,
            items: compiled.site.items.len(),
            elapsed: std::time::Duration::ZERO,
            written_to: None,
            timings: compiled.timings.clone(),
        };
        if !report.succeeded() {
            eprint!("{}", report.diagnostics.render(root, std::io::stderr().is_terminal()));
            eprintln!("failed: {} error(s); fix them to see the deadlines", report.diagnostics.error_count());
            return ExitCode::FAILURE;
        }
        print_human(cli, root, &report);
    }
    let site = &compiled.site;
    let audience = match &args.audience {
        None => None,
        Some(name) => match site.by_id.get(name).filter(|&&id| site.item(id).kind == Kind::Audience) {
            Some(&id) => Some(id),
            None => {
                let known: Vec<&str> = site.of_kind(Kind::Audience).map(|(_, a)| a.id.as_str()).collect();
                eprintln!("error: `{name}` is not an audience; audiences: {}", known.join(", "));
                return ExitCode::FAILURE;
            }
        },
    };
    let export = Export::new(site, &compiled.graph);
    let records = match audience {
        Some(id) => export.records_for(id),
        None => export.records(),
    };
    let text = match args.format {
        DeadlineFormat::Table => docket::render::terminal::table(&records, terminal_options()),
        DeadlineFormat::Ics => export.write(ExportFormat::Ics, records, audience),
        DeadlineFormat::Csv => export.write(ExportFormat::Csv, records, audience),
        DeadlineFormat::Json => export.write(ExportFormat::Json, records, audience),
    };
    print!("{text}");
    ExitCode::SUCCESS
}

/// Colour only on a terminal, and never when NO_COLOR is set (https://no-color.org).
/// The width from COLUMNS when the shell exports it, else 120 columns on a terminal and
/// no limit in a pipe, so nothing is cut from text another program reads.
fn terminal_options() -> docket::render::terminal::TableOptions {
    let terminal = std::io::stdout().is_terminal();
    let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    let columns = std::env::var("COLUMNS").ok().and_then(|c| c.parse().ok());
    let width = columns.unwrap_or(if terminal { 120 } else { usize::MAX });
    docket::render::terminal::TableOptions { color: terminal && !no_color, width }
}

fn options(root: &std::path::Path, common: &CommonArgs, output: Option<PathBuf>) -> BuildOptions {
    BuildOptions {
        root: root.to_path_buf(),
        output,
        as_of: common.as_of,
        relative_urls: common.relative,
        base_url: common.base_url.clone(),
        no_search: common.no_search,
    }
}

fn progress(cli: &Cli) -> Option<indicatif::ProgressBar> {
    if cli.quiet || !std::io::stderr().is_terminal() {
        return None;
    }
    let spinner = indicatif::ProgressBar::new_spinner();
    spinner.set_message("building…");
    spinner.enable_steady_tick(std::time::Duration::from_millis(120));
    Some(spinner)
}

fn finish(cli: &Cli, root: &std::path::Path, report: &Report, format: Format) -> ExitCode {
    match format {
        Format::Json => {
            let json = serde_json::json!({
                "ok": report.succeeded(),
                "errors": report.diagnostics.error_count(),
                "warnings": report.diagnostics.warning_count(),
                "diagnostics": report.diagnostics,
            });
            println!("{}", serde_json::to_string_pretty(&json).unwrap_or_default());
        }
        Format::Human => print_human(cli, root, report),
    }
    if report.succeeded() { ExitCode::SUCCESS } else { ExitCode::FAILURE }
}

fn print_human(cli: &Cli, root: &std::path::Path, report: &Report) {
    let color = std::io::stderr().is_terminal();
    let shown: docket::diagnostics::Diagnostics = {
        let mut list = docket::diagnostics::Diagnostics::new();
        list.extend(
            report
                .diagnostics
                .iter()
                .filter(|d| !cli.quiet || d.severity == docket::diagnostics::Severity::Error)
                .cloned(),
        );
        list
    };
    eprint!("{}", shown.render(root, color));
    if cli.quiet && report.succeeded() {
        return;
    }
    if cli.verbose {
        let stages: Vec<String> = report
            .timings
            .iter()
            .map(|(stage, time)| format!("{stage} {:.1} ms", time.as_secs_f64() * 1000.0))
            .collect();
        eprintln!("stages: {}", stages.join(", "));
    }
    let counts =
        format!("{} error(s), {} warning(s)", report.diagnostics.error_count(), report.diagnostics.warning_count());
    let millis = report.elapsed.as_secs_f64() * 1000.0;
    match &report.written_to {
        Some(folder) => eprintln!(
            "built {} pages ({} files, {} items) into {} in {millis:.0} ms; {counts}",
            report.pages,
            report.files,
            report.items,
            folder.display()
        ),
        None if report.succeeded() => {
            eprintln!("checked {} items ({} pages) in {millis:.0} ms; {counts}", report.items, report.pages)
        }
        None => eprintln!("failed: {counts}; nothing was written"),
    }
}

fn export(cli: &Cli, root: &std::path::Path, args: &ExportArgs) -> ExitCode {
    let ExportFormat::Markdown = args.format;
    let options = docket::export::ExportOptions {
        build: options(root, &args.common, None),
        output: args.output.clone(),
        front_matter: match args.front_matter {
            FrontMatterArg::Keep => docket::export::FrontMatter::Keep,
            FrontMatterArg::Drop => docket::export::FrontMatter::Drop,
        },
        flavor: match args.flavor {
            FlavorArg::Plain => docket::export::Flavor::Plain,
            FlavorArg::GithubWiki => docket::export::Flavor::GithubWiki,
            FlavorArg::GitlabWiki => docket::export::Flavor::GitlabWiki,
        },
    };
    let report = docket::export::export(&options);
    eprint!("{}", report.diagnostics.render(root, std::io::stderr().is_terminal()));
    match &report.written_to {
        Some(folder) if !cli.quiet => {
            eprintln!("exported {} files into {} in {} ms", report.files, folder.display(), report.elapsed.as_millis())
        }
        Some(_) => {}
        None => eprintln!("failed: {} error(s); nothing was written", report.diagnostics.error_count()),
    }
    if report.written_to.is_some() { ExitCode::SUCCESS } else { ExitCode::FAILURE }
}

fn mirror_mediawiki(cli: &Cli, root: &std::path::Path, args: &MediaWikiArgs) -> ExitCode {
    use docket::mirror::{Change, MirrorOptions, mirror};
    let user = std::env::var("DOCKET_MEDIAWIKI_USER").ok().filter(|u| !u.is_empty());
    let password = std::env::var("DOCKET_MEDIAWIKI_PASSWORD").ok().filter(|p| !p.is_empty());
    let bar = (!cli.quiet && !args.dry_run && std::io::stderr().is_terminal()).then(|| {
        let bar = indicatif::ProgressBar::new(0);
        if let Ok(style) = indicatif::ProgressStyle::with_template("{bar:30} {pos}/{len} {wide_msg}") {
            bar.set_style(style);
        }
        bar
    });
    let tick = |done: usize, total: usize, title: &str| {
        if let Some(bar) = &bar {
            bar.set_length(total as u64);
            bar.set_position(done as u64);
            bar.set_message(title.to_string());
        }
    };
    let options = MirrorOptions {
        build: options(root, &args.common, None),
        api: args.api.clone(),
        prefix: args.prefix.clone(),
        credentials: user.zip(password),
        dry_run: args.dry_run,
        progress: Some(&tick),
    };
    let report = mirror(&options);
    if let Some(bar) = &bar {
        bar.finish_and_clear();
    }
    eprint!("{}", report.diagnostics.render(root, std::io::stderr().is_terminal()));
    let counts = format!(
        "{} to create, {} to update, {} to delete",
        report.count(Change::Create),
        report.count(Change::Update),
        report.count(Change::Delete)
    );
    if args.dry_run {
        for (change, title) in &report.plan {
            println!("{:<7} {title}", change.label());
        }
        eprintln!("plan for {} pages: {counts}; nothing was written (dry run)", report.pages);
    } else if report.succeeded() && !cli.quiet {
        let waited = if report.waited.is_zero() {
            String::new()
        } else {
            format!(", {:.1} s of it waiting on the wiki's rate limits", report.waited.as_secs_f64())
        };
        eprintln!(
            "mirrored {} pages: {} edit(s) ({counts}) in {:.1} s{waited}",
            report.pages,
            report.edits,
            report.elapsed.as_secs_f64()
        );
    } else if !report.succeeded() {
        eprintln!("failed: {} error(s); {} edit(s) were made", report.diagnostics.error_count(), report.edits);
    }
    if report.succeeded() { ExitCode::SUCCESS } else { ExitCode::FAILURE }
}

fn generate_corpus(args: &CorpusArgs) -> ExitCode {
    let options = docket::corpus::CorpusOptions {
        notes: args.notes,
        seed: args.seed,
        out: args.out.clone(),
        hugo: args.hugo.clone(),
    };
    match docket::corpus::generate(&options) {
        Ok(summary) => {
            eprintln!(
                "wrote {} items ({} words, {} cross-references) into {}",
                summary.items,
                summary.words,
                summary.references,
                args.out.display()
            );
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}

fn new(root: &std::path::Path, args: &NewArgs) -> ExitCode {
    let result = if args.what == "site" {
        let dir = PathBuf::from(&args.path_or_title);
        let title = dir.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_else(|| "Knowledge base".into());
        docket::scaffold::knowledge_base(&dir, &title)
            .map(|files| files.iter().map(|f| f.display().to_string()).collect::<Vec<_>>().join("\n"))
    } else {
        let kind = Kind::from_name(&args.what).expect("clap restricts the kinds");
        docket::scaffold::item(root, kind, &args.path_or_title).map(|path| path.display().to_string())
    };
    match result {
        Ok(written) => {
            println!("{written}");
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}
