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
    /// Write a synthetic knowledge base for benchmarks (and optionally a Hugo copy).
    #[command(hide = true)]
    GenerateCorpus(CorpusArgs),
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
        Command::GenerateCorpus(args) => generate_corpus(args),
    }
}

fn options(root: &std::path::Path, common: &CommonArgs, output: Option<PathBuf>) -> BuildOptions {
    BuildOptions {
        root: root.to_path_buf(),
        output,
        as_of: common.as_of,
        relative_urls: common.relative,
        base_url: common.base_url.clone(),
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
