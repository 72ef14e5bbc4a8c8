//! The `impayes` command line: global options, subcommands, and French errors.

/// Writes a line to stdout; a closed pipe (`impayes search … | head`) ends the program quietly
/// instead of panicking.
macro_rules! outln {
    ($($arg:tt)*) => {
        $crate::cli::write_out(&format!("{}\n", format_args!($($arg)*)))
    };
}

/// Writes text to stdout, as `outln!` does, without a newline.
macro_rules! out {
    ($($arg:tt)*) => {
        $crate::cli::write_out(&format!($($arg)*))
    };
}

mod actions;
mod args;
mod bench;
mod calendar;
mod check;
mod compact;
mod create;
mod deadline;
pub mod export;
pub mod import;
pub mod letters;
mod review;
mod review_minutes;
mod search;
mod show;
mod stats;
mod stats_xlsx;
mod team;
mod units;

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context as _, Result};
use chrono::NaiveDate;
use clap::Parser;

pub use args::{
    Cli, Command, ExportAccountsArgs, ExportFormat, ExportWhat, ImportAccountsArgs, ImportFormat,
    ImportWhat, OutputFormat,
};

use crate::config::{self, Config};

/// What every command needs: the database path, the user, the date, and the config.
#[derive(Debug, Clone)]
pub struct Context {
    /// Database file.
    pub db: PathBuf,
    /// Login recorded with every write.
    pub user: String,
    /// The date the program runs as (the clock is an input).
    pub today: NaiveDate,
    /// User settings.
    pub config: Config,
    /// Theme asked on the command line.
    pub theme: Option<String>,
    /// New database files readable and writable by the Unix group (`--group`).
    pub group: bool,
}

impl Context {
    /// Permissions of a database file this run creates.
    pub fn file_mode(&self) -> u32 {
        if self.group {
            crate::store::GROUP_MODE
        } else {
            crate::store::PRIVATE_MODE
        }
    }
}

/// Entry point of the binary: parses, runs, and turns every error into one French sentence.
pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => return args::report_clap_error(e),
    };
    match run(cli) {
        Ok(code) => code,
        Err(e) => {
            // Many errors already end with their source's text (`{source}` in their message):
            // a cause whose text is already said is not repeated.
            let mut message = String::new();
            for cause in e.chain() {
                let text = cause.to_string();
                if message.contains(&text) {
                    continue;
                }
                if !message.is_empty() {
                    message.push_str(" : ");
                }
                message.push_str(&text);
            }
            eprintln!("impayes : {message}");
            ExitCode::from(1)
        }
    }
}

/// Writes to stdout; exits quietly when the reader has gone away (closed pipe).
pub fn write_out(text: &str) {
    use std::io::Write;
    let mut stdout = std::io::stdout().lock();
    if let Err(e) = stdout
        .write_all(text.as_bytes())
        .and_then(|_| stdout.flush())
    {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            std::process::exit(0);
        }
        eprintln!("impayes : écriture impossible sur la sortie standard : {e}");
        std::process::exit(1);
    }
}

fn login_name() -> String {
    std::env::var("USER")
        .or_else(|_| std::env::var("LOGNAME"))
        .ok()
        .filter(|s| !s.trim().is_empty())
        .unwrap_or_else(|| "inconnu".to_string())
}

/// Runs a parsed command line.
pub fn run(cli: Cli) -> Result<ExitCode> {
    let config_path = config::config_dir().join("config.toml");
    let config = Config::load(&config_path)?;
    let db = if cli.demo {
        config::demo_database()
    } else {
        cli.db
            .clone()
            .or_else(|| config.database.clone())
            .unwrap_or_else(config::default_database)
    };
    let ctx = Context {
        db,
        // On the demo database the machine's login is nobody in its staff (read-only): a
        // newcomer works as the demo's head of service unless they pick another login.
        user: cli.user.clone().unwrap_or_else(|| {
            if cli.demo {
                crate::demo::HEAD_OF_SERVICE.to_string()
            } else {
                login_name()
            }
        }),
        today: cli
            .today
            .unwrap_or_else(|| chrono::Local::now().date_naive()),
        config,
        theme: cli.theme.clone(),
        group: cli.group,
    };
    match cli.command {
        None => {
            if cli.demo && !ctx.db.exists() {
                eprintln!(
                    "Première utilisation : création de la base de démonstration « {} »…",
                    ctx.db.display()
                );
                create::demo(
                    &ctx,
                    create::DEMO_HOUSEHOLDS,
                    1,
                    crate::demo::SIMULATED_MONTHS,
                    false,
                    true,
                )?;
            }
            crate::tui::run(&ctx).context("poste de travail")?;
            Ok(ExitCode::SUCCESS)
        }
        Some(Command::Init) => create::init(&ctx),
        Some(Command::Demo {
            households,
            seed,
            months,
            force,
        }) => create::demo(&ctx, households, seed, months, force, false),
        Some(Command::Search {
            query,
            limit,
            format,
        }) => search::run(&ctx, &query, limit, format),
        Some(Command::Show { account, format }) => show::run(&ctx, &account, format),
        Some(Command::Check { format }) => check::run(&ctx, format),
        Some(Command::Stats(args)) => stats::run(&ctx, &args),
        Some(Command::Calendar {
            what: args::CalendarWhat::Holidays(args),
        }) => calendar::holidays_run(&args),
        Some(Command::Deadline(args)) => deadline::run(&args),
        Some(Command::Actions(args)) => actions::run(&ctx, &args),
        Some(Command::Import {
            what: ImportWhat::Accounts(args),
        }) => import::run(&ctx, &args),
        Some(Command::Export {
            what: ExportWhat::Accounts(args),
        }) => export::run(&ctx, &args),
        Some(Command::Bench(args)) => bench::run(&ctx, &args),
        Some(Command::Review { what }) => review::run(&ctx, what),
        Some(Command::Audit(args)) => team::audit(&ctx, &args),
        Some(Command::Staff { what }) => team::staff(&ctx, what),
        Some(Command::Backup { file }) => team::backup(&ctx, &file),
        Some(Command::Compact) => compact::run(&ctx),
        Some(Command::Purge(args)) => team::purge(&ctx, &args),
        Some(Command::ShareNote { event }) => team::share_note(&ctx, event),
        Some(Command::Letters { what }) => letters::run(&ctx, &what),
    }
}
