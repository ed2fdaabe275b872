//! Command-line arguments → run → exit code. Nothing here decides anything; it wires the
//! pipeline (`run`) to the renderers (`report`).

use crate::error::{Error, Result};
use crate::formats::Kind;
use crate::report::{self, Format};
use crate::rules::Catalogue;
use crate::run::{self, Options, Outcome};
use clap::{Args, Parser, Subcommand};
use std::io::{IsTerminal, Write};
use std::path::PathBuf;

/// Find breaking changes in API and event contracts between two git revisions.
///
/// RANGE follows git: `A..B` compares A with B, `A...B` compares the merge base of A and B with B,
/// a single revision compares it with the work tree, and nothing compares HEAD with the work tree.
/// Exit codes: 0 nothing blocks, 1 a blocking change, 2 an error.
#[derive(Parser, Debug)]
#[command(name = "contractdiff", version, args_conflicts_with_subcommands = true)]
pub struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    /// Revisions to compare: `A..B`, `A...B`, `REV` (against the work tree), or nothing.
    range: Option<String>,
    #[command(flatten)]
    run: RunArgs,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Compare two files or two folders, without git.
    Diff {
        old: PathBuf,
        new: PathBuf,
        #[command(flatten)]
        run: RunArgs,
    },
    /// List the rule catalogue.
    Rules {
        #[arg(long, value_enum, default_value_t = ListFormat::Human)]
        format: ListFormat,
    },
    /// Print one rule's documentation.
    Explain { rule: String },
}

#[derive(Args, Debug, Clone)]
struct RunArgs {
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,
    /// Configuration file (default: contractdiff.toml at the root of the head side).
    #[arg(long)]
    config: Option<PathBuf>,
    /// Only compare contracts of this kind.
    #[arg(long, value_enum)]
    kind: Option<Kind>,
    /// Lowest class of change that fails the run.
    #[arg(long, value_enum)]
    fail_on: Option<crate::config::FailOn>,
    /// Accept `http(s)://` `$ref`s. They are never fetched: their targets are treated as opaque.
    #[arg(long)]
    allow_remote_refs: bool,
    /// Protobuf strictness, as buf's categories (file ⊃ package ⊃ wire_json ⊃ wire).
    #[arg(long, value_enum)]
    protobuf_level: Option<crate::formats::protobuf::Level>,
    /// Avro compatibility level, as the Schema Registry's.
    #[arg(long, value_enum)]
    avro_compat: Option<crate::formats::avro::Compat>,
    /// Also show info-class changes in human output.
    #[arg(long, short)]
    verbose: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum ListFormat {
    Human,
    Json,
}

/// Parse the command line, run, print, and return the exit code.
pub fn main() -> u8 {
    // Temporary folders go when this drops, or when SIGINT/SIGTERM arrives.
    let _scratch = crate::scratch::Guard::install();
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            // clap uses 2 for usage errors and 0 for --help/--version.
            return if e.use_stderr() { 2 } else { 0 };
        }
    };
    let (format, sides) = (cli.format(), cli.requested_sides());
    let panicked = crate::guard::catch_panics();
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| execute(cli))) {
        Ok(Ok(code)) => code,
        Ok(Err(error)) => fail(&error, format, sides),
        Err(_) => {
            let what = panicked.message();
            let error = Error::usage(
                format!("internal error while comparing {} with {}: {what}", sides.0.rev, sides.1.rev),
                "this is a bug in contractdiff, not in your contracts: please report it with the inputs named here"
                    .to_string(),
            );
            fail(&error, format, sides)
        }
    }
}

/// A run that could not finish: the error on stderr, and for `--format json` a report of it on
/// stdout, so that a JSON consumer always reads one shape. Exit code 2.
fn fail(error: &Error, format: Format, (base, head): (report::Revision, report::Revision)) -> u8 {
    let colour = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    eprint!("{}", report::human::render_error(error, colour));
    if format == Format::Json {
        let report = report::Report::of_error(base, head, run::error_report(error));
        let _ = print(&report::json::render(&report));
    }
    2
}

impl Cli {
    fn format(&self) -> Format {
        match &self.command {
            Some(Command::Diff { run, .. }) => run.format,
            Some(_) => Format::Human,
            None => self.run.format,
        }
    }

    /// The two sides as the user named them, for reports of runs that never opened them.
    fn requested_sides(&self) -> (report::Revision, report::Revision) {
        let side = |rev: &str| report::Revision { rev: rev.to_string(), commit: None };
        let (base, head) = match (&self.command, self.range.as_deref()) {
            (Some(Command::Diff { old, new, .. }), _) => (old.display().to_string(), new.display().to_string()),
            (_, None) => ("HEAD".to_string(), "work tree".to_string()),
            (_, Some(range)) => match range.split_once("...").or_else(|| range.split_once("..")) {
                Some((a, b)) => (a.to_string(), b.to_string()),
                None => (range.to_string(), "work tree".to_string()),
            },
        };
        (side(&base), side(&head))
    }
}

fn execute(cli: Cli) -> Result<u8> {
    match cli.command {
        Some(Command::Rules { format }) => print(&list_rules(format)),
        Some(Command::Explain { rule }) => print(&explain(&rule)?),
        Some(Command::Diff { old, new, run }) => {
            let outcome = run::run_paths(&old, &new, &options(&run)?)?;
            render(outcome, &run)
        }
        None => {
            let cwd = std::env::current_dir().map_err(|source| Error::Io { path: ".".into(), source })?;
            let outcome = run::run_range(cli.range.as_deref(), &cwd, &options(&cli.run)?)?;
            render(outcome, &cli.run)
        }
    }
}

fn options(args: &RunArgs) -> Result<Options> {
    let mut options = Options::new(today()?);
    options.kind = args.kind;
    options.config = args.config.clone();
    options.fail_on = args.fail_on.map(crate::config::FailOn::class);
    options.allow_remote_refs = args.allow_remote_refs;
    options.protobuf_level = args.protobuf_level;
    options.avro_compat = args.avro_compat;
    Ok(options)
}

/// Today, or `CONTRACTDIFF_TODAY` (`YYYY-MM-DD`) so runs can be reproduced on another day.
fn today() -> Result<jiff::civil::Date> {
    match std::env::var("CONTRACTDIFF_TODAY") {
        Ok(day) => day.parse().map_err(|_| {
            Error::usage(format!("CONTRACTDIFF_TODAY={day} is not a date"), "use the form YYYY-MM-DD".to_string())
        }),
        Err(_) => Ok(jiff::ZonedDateTime::now().date()),
    }
}

fn render(outcome: Outcome, args: &RunArgs) -> Result<u8> {
    let text = match args.format {
        Format::Json => report::json::render(&outcome.report),
        Format::Human => {
            let stdout = std::io::stdout();
            let colour = stdout.is_terminal() && std::env::var_os("NO_COLOR").is_none();
            report::human::render(
                &outcome.report,
                &outcome.sources,
                &report::human::Style { colour, verbose: args.verbose },
            )
        }
    };
    print(&text)?;
    let code = outcome.exit_code();
    // The process exits next: freeing the parsed documents (tens of MB for a big spec, ~60 ms)
    // would only delay it.
    std::mem::forget(outcome);
    Ok(code)
}

fn print(text: &str) -> Result<u8> {
    let mut stdout = std::io::stdout().lock();
    match stdout.write_all(text.as_bytes()).and_then(|_| stdout.flush()) {
        // A closed pipe (`| head`) is not an error worth reporting.
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(Error::Io { path: "stdout".into(), source: e }),
        _ => Ok(0),
    }
}

fn list_rules(format: ListFormat) -> String {
    let rules: Vec<_> = Catalogue::get().iter().collect();
    if format == ListFormat::Json {
        let listed: Vec<_> = rules
            .iter()
            .map(|r| {
                serde_json::json!({
                    "id": r.id, "kind": r.kind, "class": r.class, "blocks": r.blocks, "levels": r.levels,
                    "summary": r.summary, "equivalents": r.equivalents,
                })
            })
            .collect();
        return format!("{}\n", serde_json::to_string_pretty(&listed).expect("rules serialise"));
    }
    let width = rules.iter().map(|r| r.id.len()).max().unwrap_or(0);
    rules.iter().map(|r| format!("{:width$}  {:11}  {}\n", r.id, r.class.as_str(), r.summary)).collect()
}

fn explain(id: &str) -> Result<String> {
    let catalogue = Catalogue::get();
    let Some(rule) = catalogue.rule(id) else {
        let close: Vec<&str> =
            catalogue.iter().map(|r| r.id.as_str()).filter(|r| r.contains(id) || id.contains(*r)).take(5).collect();
        let hint = if close.is_empty() {
            "`contractdiff rules` lists every rule".to_string()
        } else {
            format!("did you mean {}?", close.join(", "))
        };
        return Err(Error::usage(format!("no rule `{id}`"), hint));
    };
    let mut text = format!(
        "{}  [{}, {}]\n\n{}\n\nWhy it matters\n  {}\n\nHow to fix\n  {}\n",
        rule.id,
        rule.kind,
        rule.class.as_str(),
        rule.summary,
        rule.why.trim(),
        rule.fix.trim()
    );
    if rule.blocks == crate::rules::Blocks::Always {
        text.push_str("\nBlocks: always, at every --fail-on level; a version bump does not allow it, only a waiver\n");
    }
    if !rule.levels.is_empty() {
        text.push_str(&format!("\nLevels: {}\n", rule.levels.join(", ")));
    }
    if !rule.equivalents.is_empty() {
        text.push_str(&format!("\nEquivalents: {}\n", rule.equivalents.join(", ")));
    }
    Ok(text)
}
