//! The `docket` command line: parses arguments, calls the library, prints the report.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use chrono::NaiveDate;
use clap::{Args, CommandFactory, FromArgMatches, Parser, Subcommand, ValueEnum};

use docket::model::Kind;
use docket::{BuildOptions, Report};

// Rendering allocates millions of small, short-lived values (tera turns every page's
// context into a tree of JSON values); mimalloc serves them from per-thread pages, where
// glibc's allocator spent a fifth of the build in malloc/free (see bench/NOTES.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// `docket --version`: the crate version, the commit it was built from and that commit's
/// date (set by build.rs; `unknown` outside a Git checkout).
const VERSION: &str =
    concat!(env!("CARGO_PKG_VERSION"), " (", env!("DOCKET_COMMIT"), " ", env!("DOCKET_COMMIT_DATE"), ")");

/// A static site generator for policy knowledge bases.
#[derive(Parser)]
#[command(name = "docket", version = VERSION, about, after_help = EXAMPLES)]
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
    /// Colour in diagnostics and tables: `auto` colours a terminal unless NO_COLOR is set
    /// (CLICOLOR_FORCE colours a pipe too).
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto)]
    color: ColorChoice,
    /// Worker threads (default: one per core); also accepted after build, check, export,
    /// deadlines and serve.
    #[arg(long, short)]
    jobs: Option<usize>,
}

const EXAMPLES: &str = "Examples:
  docket new site my-kb            create a knowledge base that checks clean
  docket serve --open              preview it, rebuilding on save
  docket new provision \"Reporting\" --number \"2(a)\"
  docket check                     report every error and warning
  docket build                     write the site into public/
  docket completions bash > ~/.local/share/bash-completion/completions/docket";

/// When to colour output.
#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum ColorChoice {
    /// On a terminal, unless NO_COLOR is set; CLICOLOR_FORCE forces it on.
    Auto,
    /// Always, even into a pipe.
    Always,
    /// Never.
    Never,
}

/// Worker threads for the commands that build.
#[derive(Args)]
struct JobsArg {
    /// Worker threads (default: one per core). `--jobs 1` runs the same code serially.
    #[arg(long, short)]
    jobs: Option<usize>,
}

#[derive(Subcommand)]
enum Command {
    /// Build the site into the output folder (atomically).
    #[command(
        after_help = "Examples:\n  docket build\n  docket build --output site --base-url https://example.org/kb/\n  docket build --relative        # a site that works from file://"
    )]
    Build(BuildArgs),
    /// Run every stage but writing; report all errors and warnings.
    #[command(
        after_help = "Examples:\n  docket check\n  docket check --format json     # for CI\n  docket check --import          # what was understood of imported content"
    )]
    Check(CheckArgs),
    /// Create a knowledge base, or an item of a kind with the right front matter.
    #[command(
        after_help = "Examples:\n  docket new site my-kb\n  docket new provision \"Reporting duties\"            # the next free number\n  docket new provision \"Annual report\" --number \"2(a)\"\n  docket new source \"Law firm alert\""
    )]
    New(NewArgs),
    /// Write the knowledge base as plain markdown with every reference a relative link.
    #[command(
        after_help = "Examples:\n  docket export --output wiki\n  docket export --output wiki --front-matter drop"
    )]
    Export(ExportArgs),
    /// Print the deadline table, or export it as iCalendar, CSV or JSON to stdout.
    #[command(
        after_help = "Examples:\n  docket deadlines\n  docket deadlines --audience federal-contractors --format ics > deadlines.ics"
    )]
    Deadlines(DeadlinesArgs),
    /// Keep a wiki in sync with the knowledge base.
    #[command(subcommand)]
    Mirror(MirrorCommand),
    /// Serve a live preview: rebuild on save, reload open pages, show errors in place.
    #[command(after_help = "Examples:\n  docket serve --open\n  docket serve --drafts --no-search --port 8080")]
    Serve(ServeArgs),
    /// Print a shell completion script to stdout.
    #[command(
        after_help = "Examples:\n  docket completions bash > ~/.local/share/bash-completion/completions/docket\n  docket completions zsh > ~/.zfunc/_docket\n  docket completions fish > ~/.config/fish/completions/docket.fish"
    )]
    Completions(CompletionsArgs),
    /// Print the manual page (roff) to stdout.
    #[command(after_help = "Examples:\n  docket man > docket.1 && man ./docket.1")]
    Man,
    /// Write a synthetic knowledge base for benchmarks (and optionally a Hugo copy).
    #[command(hide = true)]
    GenerateCorpus(CorpusArgs),
}

#[derive(Args)]
struct CompletionsArgs {
    /// The shell to complete for.
    shell: clap_complete::Shell,
}

#[derive(Args)]
struct ExportArgs {
    #[command(flatten)]
    common: CommonArgs,
    #[command(flatten)]
    jobs: JobsArg,
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
    #[command(flatten)]
    jobs: JobsArg,
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
    /// Open the preview in the default browser once it is up.
    #[arg(long)]
    open: bool,
    /// Include notes marked `draft = true`.
    #[arg(long)]
    drafts: bool,
    /// Skip the full-text search index (faster rebuilds of a large knowledge base).
    #[arg(long)]
    no_search: bool,
    #[command(flatten)]
    jobs: JobsArg,
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
    /// Make every internal link relative, so the output works from file://.
    #[arg(long)]
    relative: bool,
    #[command(flatten)]
    jobs: JobsArg,
}

#[derive(Args)]
struct CommonArgs {
    /// Date deadline status is computed against (YYYY-MM-DD; default: docket.toml, else today).
    #[arg(long, value_parser = parse_date)]
    as_of: Option<NaiveDate>,
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
    #[command(flatten)]
    jobs: JobsArg,
    /// List the open conflicts between sources, each with the note to review it in, and
    /// count the reviewed ones.
    #[arg(long)]
    conflicts: bool,
    /// Report what was understood of imported content (kinds of note, front-matter keys
    /// read and dropped, titles and ids guessed, template syntax not run, redirects,
    /// tags, links) instead of listing diagnostics.
    #[arg(long, conflicts_with = "conflicts")]
    import: bool,
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
    /// A new provision's number, e.g. `2(a)` (default: the next free top-level number).
    #[arg(long)]
    number: Option<String>,
}

fn parse_date(text: &str) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").map_err(|_| format!("`{text}` is not a date: write YYYY-MM-DD"))
}

fn main() -> ExitCode {
    // `--color` also decides clap's own help and error output, so it is read before parsing.
    let matches = Cli::command().color(help_colour(std::env::args())).get_matches();
    let cli = Cli::from_arg_matches(&matches).unwrap_or_else(|error| error.exit());
    let jobs = cli.jobs.or(match &cli.command {
        Command::Build(args) => args.jobs.jobs,
        Command::Check(args) => args.jobs.jobs,
        Command::Export(args) => args.jobs.jobs,
        Command::Deadlines(args) => args.jobs.jobs,
        Command::Serve(args) => args.jobs.jobs,
        _ => None,
    });
    if let Some(jobs) = jobs
        && let Err(error) = rayon::ThreadPoolBuilder::new().num_threads(jobs.max(1)).build_global()
    {
        eprintln!("error: cannot set up {jobs} worker threads: {error}");
        return ExitCode::FAILURE;
    }
    if let Some(root) = &cli.root
        && !root.is_dir()
    {
        eprintln!("error: --root {}: no such folder", root.display());
        eprintln!("  = help: give the folder that holds docket.toml, or create one with `docket new site PATH`");
        return ExitCode::FAILURE;
    }
    let root = cli.root.clone().unwrap_or_else(|| docket::find_root(&std::env::current_dir().unwrap_or_default()));
    let needs_content =
        matches!(cli.command, Command::Build(_) | Command::Check(_) | Command::Export(_) | Command::Deadlines(_));
    if needs_content && !has_notes(&root) {
        return ExitCode::FAILURE;
    }
    match &cli.command {
        Command::Build(args) => {
            let mut options = options(&root, &args.common, args.output.clone());
            options.relative_urls = args.relative;
            let bar = progress::Bar::new(cli.quiet, colour(cli.color, std::io::stderr().is_terminal()));
            let report = docket::build_observed(&options, &bar);
            bar.finish();
            finish(&cli, &root, &report, Format::Human)
        }
        Command::Check(args) if args.conflicts => conflicts(&root, args),
        Command::Check(args) if args.import => import_report(&root, args),
        Command::Check(args) => {
            let report = docket::check(&options(&root, &args.common, None));
            finish(&cli, &root, &report, args.format)
        }
        Command::New(args) => new(&cli, &root, args),
        Command::Export(args) => export(&cli, &root, args),
        Command::Deadlines(args) => deadlines(&cli, &root, args),
        Command::Mirror(MirrorCommand::Mediawiki(args)) => mirror_mediawiki(&cli, &root, args),
        Command::Serve(args) => serve(&cli, &root, args),
        Command::Completions(args) => {
            clap_complete::generate(args.shell, &mut Cli::command(), "docket", &mut std::io::stdout());
            ExitCode::SUCCESS
        }
        Command::Man => match clap_mangen::Man::new(Cli::command()).render(&mut std::io::stdout()) {
            Ok(()) => ExitCode::SUCCESS,
            Err(error) => {
                eprintln!("error: cannot write the manual page: {error}");
                ExitCode::FAILURE
            }
        },
        Command::GenerateCorpus(args) => generate_corpus(&cli, args),
    }
}

/// True when the content folder holds at least one note; otherwise says so, since an
/// empty site built with exit code 0 looks like success.
fn has_notes(root: &std::path::Path) -> bool {
    let config = docket::config::load(root, &mut docket::diagnostics::Diagnostics::new());
    let content = root.join(&config.content);
    let output = root.join(&config.output);
    let found = walkdir::WalkDir::new(&content)
        .into_iter()
        .filter_entry(|entry| entry.path() != output)
        .filter_map(Result::ok)
        .any(|entry| entry.file_type().is_file() && entry.path().extension().is_some_and(|e| e == "md"));
    if !found {
        let shown: PathBuf = content.components().collect();
        eprintln!("error: no notes in {}: there is nothing to build", shown.display());
        eprintln!(
            "  = help: write markdown notes there, point --root at a knowledge base, or create one with `docket new site PATH`"
        );
    }
    found
}

/// The colour of clap's help and usage errors: as `--color` says when it is given
/// (clap's `auto` already honours NO_COLOR and CLICOLOR_FORCE).
fn help_colour(args: impl Iterator<Item = String>) -> clap::ColorChoice {
    let args: Vec<String> = args.collect();
    let value = args.iter().enumerate().find_map(|(n, arg)| match arg.strip_prefix("--color") {
        Some("") => args.get(n + 1).cloned(),
        Some(rest) => rest.strip_prefix('=').map(str::to_string),
        None => None,
    });
    match value.as_deref() {
        Some("always") => clap::ColorChoice::Always,
        Some("never") => clap::ColorChoice::Never,
        _ => clap::ColorChoice::Auto,
    }
}

/// Whether to colour a stream: `--color` decides when given; under `auto`, NO_COLOR (set
/// and not empty) turns colour off, CLICOLOR_FORCE (set, not empty and not `0`) turns it
/// on, and otherwise a terminal gets colour (https://no-color.org, https://bixense.com/clicolors/).
fn colour(choice: ColorChoice, terminal: bool) -> bool {
    let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    let force = std::env::var_os("CLICOLOR_FORCE").is_some_and(|v| !v.is_empty() && v != "0");
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto if no_color => false,
        ColorChoice::Auto => force || terminal,
    }
}

/// `docket check --conflicts`: the open conflicts, where to review each, and how many are
/// reviewed; fails only when the knowledge base has errors.
fn conflicts(root: &std::path::Path, args: &CheckArgs) -> ExitCode {
    let compiled = docket::compile(&options(root, &args.common, None), false);
    let list = docket::resolve::claims::conflict_list(&compiled.site, &compiled.graph.claims, root);
    let reviewed = list.iter().filter(|c| c.reviewed).count();
    let open: Vec<_> = list.iter().filter(|c| !c.reviewed).collect();
    match args.format {
        Format::Json => {
            let json = serde_json::json!({ "open": open, "reviewed": reviewed });
            println!("{}", serde_json::to_string_pretty(&json).unwrap_or_default());
        }
        Format::Human => {
            for conflict in &open {
                println!("{} — {}: {}", conflict.subject, conflict.attribute, conflict.summary);
                println!(
                    "  review in {}: [[reviewed_conflicts]] attribute = \"{}\", note = \"…\", reviewer = \"…\", date = YYYY-MM-DD",
                    conflict.note, conflict.attribute
                );
            }
            println!("{} open conflict(s), {reviewed} reviewed", open.len());
        }
    }
    if compiled.diagnostics.has_errors() {
        eprint!("{}", compiled.diagnostics.sorted().render(root, std::io::stderr().is_terminal()));
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

/// `docket check --import`: what docket made of content written for another tool; fails
/// only when the knowledge base has errors (which `docket check` lists).
fn import_report(root: &std::path::Path, args: &CheckArgs) -> ExitCode {
    let compiled = docket::compile(&options(root, &args.common, None), false);
    let report =
        docket::resolve::import_report::ImportReport::new(&compiled.site, &compiled.graph, &compiled.diagnostics);
    match args.format {
        Format::Json => println!("{}", serde_json::to_string_pretty(&report).unwrap_or_default()),
        Format::Human => print!("{report}"),
    }
    if compiled.diagnostics.has_errors() { ExitCode::FAILURE } else { ExitCode::SUCCESS }
}

fn serve(cli: &Cli, root: &std::path::Path, args: &ServeArgs) -> ExitCode {
    let options = docket::serve::ServeOptions {
        root: root.to_path_buf(),
        as_of: args.as_of,
        bind: args.bind,
        port: args.port,
        quiet: cli.quiet,
        drafts: args.drafts,
        no_search: args.no_search,
        ..docket::serve::ServeOptions::default()
    };
    match docket::serve::Server::start(&options) {
        Ok(server) => {
            if !cli.quiet {
                eprintln!("serving {} at {} (Ctrl-C to stop)", root.display(), server.url());
            }
            if args.open {
                open_browser(&server.url());
            }
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
            eprint!("{}", report.diagnostics.render(root, colour(cli.color, std::io::stderr().is_terminal())));
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
        DeadlineFormat::Table => docket::render::terminal::table(&records, terminal_options(cli.color)),
        DeadlineFormat::Ics => export.write(ExportFormat::Ics, records, audience),
        DeadlineFormat::Csv => export.write(ExportFormat::Csv, records, audience),
        DeadlineFormat::Json => export.write(ExportFormat::Json, records, audience),
    };
    print!("{text}");
    ExitCode::SUCCESS
}

/// Colour as [`colour`] decides for stdout. The width from COLUMNS when the shell exports
/// it, else 120 columns on a terminal and no limit in a pipe, so nothing is cut from text
/// another program reads.
fn terminal_options(choice: ColorChoice) -> docket::render::terminal::TableOptions {
    let terminal = std::io::stdout().is_terminal();
    let columns = std::env::var("COLUMNS").ok().and_then(|c| c.parse().ok());
    let width = columns.unwrap_or(if terminal { 120 } else { usize::MAX });
    docket::render::terminal::TableOptions { color: colour(choice, terminal), width }
}

/// Opens `url` in the default browser; a failure is reported, not fatal, since the
/// preview runs either way.
fn open_browser(url: &str) {
    let command = if cfg!(target_os = "macos") {
        "open"
    } else if cfg!(windows) {
        "explorer"
    } else {
        "xdg-open"
    };
    let spawned = std::process::Command::new(command)
        .arg(url)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn();
    if let Err(error) = spawned {
        eprintln!("warning: cannot open a browser with `{command}`: {error}; open {url} yourself");
    }
}

fn options(root: &std::path::Path, common: &CommonArgs, output: Option<PathBuf>) -> BuildOptions {
    BuildOptions {
        root: root.to_path_buf(),
        output,
        as_of: common.as_of,
        relative_urls: false,
        base_url: common.base_url.clone(),
        no_search: common.no_search,
        drafts: false,
    }
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
    let color = colour(cli.color, std::io::stderr().is_terminal());
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
    if cli.verbose {
        eprint!("{}", shown.render(root, color));
    } else {
        eprint!(
            "{}",
            shown.render_bounded(
                root,
                color,
                docket::diagnostics::EXAMPLES_PER_CODE,
                Path::new(docket::config::CONFIG_FILE),
            )
        );
    }
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
    let mut shown = docket::diagnostics::Diagnostics::new();
    shown.extend(
        report.diagnostics.iter().filter(|d| !cli.quiet || d.severity == docket::diagnostics::Severity::Error).cloned(),
    );
    eprint!("{}", shown.render(root, colour(cli.color, std::io::stderr().is_terminal())));
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
    eprint!("{}", report.diagnostics.render(root, colour(cli.color, std::io::stderr().is_terminal())));
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

fn generate_corpus(cli: &Cli, args: &CorpusArgs) -> ExitCode {
    let options = docket::corpus::CorpusOptions {
        notes: args.notes,
        seed: args.seed,
        out: args.out.clone(),
        hugo: args.hugo.clone(),
    };
    match docket::corpus::generate(&options) {
        Ok(summary) if cli.quiet => {
            let _ = summary;
            ExitCode::SUCCESS
        }
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

fn new(cli: &Cli, root: &std::path::Path, args: &NewArgs) -> ExitCode {
    let today = chrono::Local::now().date_naive();
    let result = if args.what == "site" {
        let dir = PathBuf::from(&args.path_or_title);
        let title = dir.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_else(|| "Knowledge base".into());
        docket::scaffold::knowledge_base(&dir, &title, today)
            .map(|files| files.iter().map(|f| f.display().to_string()).collect::<Vec<_>>().join("\n"))
    } else {
        let kind = Kind::from_name(&args.what).expect("clap restricts the kinds");
        let new = docket::scaffold::NewItem { kind, title: &args.path_or_title, number: args.number.as_deref(), today };
        docket::scaffold::item(root, &new).map(|path| path.display().to_string())
    };
    match result {
        Ok(written) => {
            if !cli.quiet {
                println!("{written}");
            }
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}

/// The build's progress on stderr: the stage, and files rendered out of the items known,
/// drawn only on a terminal, and only once the build has run for a second, so quick
/// builds print nothing but their summary.
mod progress {
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::time::{Duration, Instant};

    use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

    /// How long a build runs before the bar appears.
    const DELAY: Duration = Duration::from_secs(1);

    /// The bar, hidden until [`DELAY`] has passed.
    pub(crate) struct Bar {
        bar: Option<ProgressBar>,
        started: Instant,
        shown: AtomicBool,
    }

    impl Bar {
        /// A bar for a build; none under `--quiet` or when stderr is not a terminal.
        pub(crate) fn new(quiet: bool, color: bool) -> Bar {
            let wanted = !quiet && std::io::IsTerminal::is_terminal(&std::io::stderr());
            let bar = wanted.then(|| {
                let template = if color {
                    "{spinner} {prefix:.bold.cyan} [{bar:30}] {pos} files of about {len}, {elapsed}"
                } else {
                    "{spinner} {prefix} [{bar:30}] {pos} files of about {len}, {elapsed}"
                };
                let style = ProgressStyle::with_template(template).expect("a valid template").progress_chars("=> ");
                let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::hidden()).with_style(style);
                bar.enable_steady_tick(Duration::from_millis(120));
                bar
            });
            Bar { bar, started: Instant::now(), shown: AtomicBool::new(false) }
        }

        fn reveal(&self, bar: &ProgressBar) {
            if self.started.elapsed() >= DELAY && !self.shown.swap(true, Ordering::Relaxed) {
                bar.set_draw_target(ProgressDrawTarget::stderr());
            }
        }

        /// Clears the bar before the summary is printed.
        pub(crate) fn finish(&self) {
            if let Some(bar) = &self.bar {
                bar.finish_and_clear();
            }
        }
    }

    impl docket::Progress for Bar {
        fn stage(&self, name: &'static str, items: usize) {
            if let Some(bar) = &self.bar {
                bar.set_prefix(format!("{name:<7}"));
                if items > 0 && bar.length().is_none_or(|len| len < items as u64) {
                    bar.set_length(items as u64);
                }
                self.reveal(bar);
            }
        }

        fn file(&self) {
            if let Some(bar) = &self.bar {
                bar.inc(1);
                if bar.length().is_some_and(|len| bar.position() > len) {
                    bar.set_length(bar.position());
                }
                self.reveal(bar);
            }
        }
    }
}
