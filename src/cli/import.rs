//! `impayes import accounts FILE`: tenant-account lines from the landlord's books (a CSV as
//! ERPs export it, or the FEC), streamed into one transaction, then the arrears detection.
//!
//! The file is read once, record by record (`csv::Reader` over the file, 64 KiB buffer): the
//! first 64 KiB are only looked at to find the separator. Rules (amounts, dates, natures,
//! references, encodings) are in `domain::import_rules`; writes in `store::import`; the
//! summary printed at the end in `summary`.

use std::fs::File;
use std::io::{IsTerminal as _, Read as _, Seek as _, SeekFrom};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context as _, Result, anyhow, bail};
use chrono::NaiveDate;

use super::Context;
use super::args::{ImportAccountsArgs, ImportFormat};
use crate::config::toml_position;
use crate::domain::detection::DetectionRules;
use crate::domain::import_rules::{
    FecRules, Field, FieldDecoder, FieldError, Mapping, NatureTable, SourceLine, TextEncoding,
    detect_separator, parse_csv_row, parse_fec_row, parse_separator, resolve_fec_header,
    resolve_header,
};
use crate::store::{
    AccountSink, DetectionReport, ImportCounts, ImportLog, Stamp, Store, UnknownAccounts,
    detect_arrears_after_writes, record_import,
};

mod rejects;
mod stream;
mod summary;

pub use summary::render_summary;

use rejects::Rejects;

/// What to import and how.
#[derive(Debug, Clone)]
pub struct ImportRequest {
    /// The file.
    pub file: PathBuf,
    /// CSV or FEC.
    pub format: ImportFormat,
    /// TOML mapping.
    pub mapping: Option<PathBuf>,
    /// Encoding, when not detected.
    pub encoding: Option<TextEncoding>,
    /// Roll back at the end.
    pub dry_run: bool,
    /// Import the valid lines, write the others to a rejects file.
    pub skip_invalid: bool,
    /// Where the rejects go (default: beside the file).
    pub rejects: Option<PathBuf>,
    /// Unknown accounts: refuse, create or list.
    pub unknown: UnknownAccounts,
    /// Thresholds of the detection that follows the import (config `[detection]`).
    pub detection: DetectionRules,
}

impl ImportRequest {
    /// From the command line.
    pub fn from_args(a: &ImportAccountsArgs) -> ImportRequest {
        ImportRequest {
            file: a.file.clone(),
            format: a.format,
            mapping: a.mapping.clone(),
            encoding: a.encoding,
            dry_run: a.dry_run,
            skip_invalid: a.skip_invalid,
            rejects: a.rejects.clone(),
            detection: DetectionRules::default(),
            unknown: if a.create_households {
                UnknownAccounts::Create
            } else if a.list_unknown {
                UnknownAccounts::List
            } else {
                UnknownAccounts::Refuse
            },
        }
    }

    /// The rejects file: given, or `NAME.rejets.EXT` beside the file.
    pub fn rejects_path(&self) -> PathBuf {
        if let Some(p) = &self.rejects {
            return p.clone();
        }
        let stem = self
            .file
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_else(|| "import".into());
        let ext = self
            .file
            .extension()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_else(|| "csv".into());
        self.file.with_file_name(format!("{stem}.rejets.{ext}"))
    }
}

/// What an import did.
#[derive(Debug, Clone)]
pub struct ImportOutcome {
    /// Data lines read (header and blank lines excluded).
    pub lines: u64,
    /// FEC lines on other accounts than tenants' (bank, revenue…).
    pub other_accounts: u64,
    /// Entries added, duplicates, households created, unknown accounts.
    pub counts: ImportCounts,
    /// Lines rejected (`--skip-invalid`).
    pub rejected: u64,
    /// The rejects file, when one was written.
    pub rejects_file: Option<PathBuf>,
    /// The first rejects' messages.
    pub reject_samples: Vec<String>,
    /// What the detection did.
    pub detection: DetectionReport,
    /// Separator used.
    pub separator: u8,
    /// Encoding found (None: plain ASCII).
    pub encoding: Option<TextEncoding>,
    /// Whether the file began with a UTF-8 BOM.
    pub bom: bool,
    /// Nothing was stored.
    pub dry_run: bool,
    /// Time spent reading and writing the lines.
    pub import_time: std::time::Duration,
    /// Time spent on the detection.
    pub detection_time: std::time::Duration,
    /// Time spent committing (writing the changed pages to the journal, then into the file);
    /// for a dry run, rolling back.
    pub commit_time: std::time::Duration,
    /// The recent tier settled after the commit, when it had outgrown its share (see
    /// `store::tiers`): every few months of imports.
    pub settled: Option<crate::store::Settled>,
    /// Why settling failed (the import itself is committed; the next one settles).
    pub settle_failed: Option<String>,
}

/// Reads the mapping file, with the line and column of a TOML error.
pub fn load_mapping(path: Option<&Path>) -> Result<Mapping> {
    let Some(path) = path else {
        return Ok(Mapping::default());
    };
    let text = std::fs::read_to_string(path).with_context(|| {
        format!(
            "impossible de lire le fichier de correspondance « {} »",
            path.display()
        )
    })?;
    let mapping: Mapping = toml::from_str(&text).map_err(|e| {
        let (line, column) = toml_position(&text, &e);
        anyhow!(
            "{}:{line}:{column} : fichier de correspondance invalide : {}",
            path.display(),
            e.message()
        )
    })?;
    mapping
        .validate()
        .map_err(|m| anyhow!("{} : {m}", path.display()))?;
    Ok(mapping)
}

/// How the lines of the file are read.
enum Parser {
    Csv {
        layout: crate::domain::import_rules::Layout,
        natures: NatureTable,
    },
    Fec {
        layout: crate::domain::import_rules::FecLayout,
        rules: FecRules,
    },
}

impl Parser {
    fn parse<'a>(
        &self,
        record: &'a csv::ByteRecord,
        decoder: &mut FieldDecoder,
    ) -> Result<Option<SourceLine<'a>>, FieldError> {
        match self {
            Parser::Csv { layout, natures } => {
                parse_csv_row(|i| record.get(i), layout, natures, decoder).map(Some)
            }
            Parser::Fec { layout, rules } => {
                parse_fec_row(|i| record.get(i), layout, rules, decoder)
            }
        }
    }

    fn account_column(&self) -> usize {
        match self {
            Parser::Csv { layout, .. } => layout.get(Field::Account).unwrap_or(0) + 1,
            Parser::Fec { layout, .. } => layout.account_column() + 1,
        }
    }
}

/// Imports a file into `store` as of `today`; `progress` draws a bar on stderr.
pub fn import_accounts(
    store: &mut Store,
    req: &ImportRequest,
    user: &str,
    today: NaiveDate,
    progress: bool,
) -> Result<ImportOutcome> {
    let mapping = load_mapping(req.mapping.as_deref())?;
    let shown = req.file.display().to_string();
    let mut file = File::open(&req.file)
        .with_context(|| format!("impossible d'ouvrir le fichier « {shown} »"))?;
    let size = file.metadata().map(|m| m.len()).unwrap_or(0);
    let mut head = Vec::with_capacity(1 << 16);
    (&mut file)
        .take(1 << 16)
        .read_to_end(&mut head)
        .with_context(|| format!("lecture impossible de « {shown} »"))?;
    let bom = head.starts_with(&[0xEF, 0xBB, 0xBF]);
    let body = if bom { &head[3..] } else { &head[..] };
    if body.iter().all(u8::is_ascii_whitespace) {
        bail!("{shown} : fichier vide");
    }
    let separator = match &mapping.separator {
        Some(s) => parse_separator(s).map_err(|m| anyhow!(m))?,
        None => detect_separator(body),
    };
    let encoding = match (req.encoding, &mapping.encoding) {
        (Some(e), _) => Some(e),
        (None, Some(name)) => Some(TextEncoding::from_name(name).map_err(|m| anyhow!(m))?),
        (None, None) if bom => Some(TextEncoding::Utf8),
        (None, None) => None,
    };
    file.seek(SeekFrom::Start(if bom { 3 } else { 0 }))?;
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(separator)
        .has_headers(false)
        .flexible(true)
        .buffer_capacity(1 << 16)
        .from_reader(file);
    let mut decoder = FieldDecoder::new(encoding);
    let mut header_raw = csv::ByteRecord::new();
    if !reader
        .read_byte_record(&mut header_raw)
        .with_context(|| format!("lecture impossible de « {shown} »"))?
    {
        bail!("{shown} : fichier vide");
    }
    let mut header = Vec::with_capacity(header_raw.len());
    for (i, f) in header_raw.iter().enumerate() {
        header.push(
            decoder
                .decode(f)
                .map_err(|m| anyhow!("{shown}:1:{} : {m}", i + 1))?
                .into_owned(),
        );
    }
    let parser = match req.format {
        ImportFormat::Csv => Parser::Csv {
            layout: resolve_header(&header, &mapping).map_err(|m| anyhow!("{shown}:1 : {m}"))?,
            natures: NatureTable::new(&mapping),
        },
        ImportFormat::Fec => Parser::Fec {
            layout: resolve_fec_header(&header).map_err(|m| anyhow!("{shown}:1 : {m}"))?,
            rules: FecRules::new(&mapping),
        },
    };
    let bar = if progress && size > 0 {
        let pb = indicatif::ProgressBar::new(size);
        if let Ok(style) = indicatif::ProgressStyle::with_template(
            "{spinner} {bar:40} {percent:>3} % — {bytes}/{total_bytes}, reste {eta}",
        ) {
            pb.set_style(style);
        }
        Some(pb)
    } else {
        None
    };
    let mut rejects = Rejects {
        path: req.rejects_path(),
        separator,
        header: header_raw.clone(),
        writer: None,
        write: req.skip_invalid && !req.dry_run,
        bom,
        count: 0,
        samples: Vec::new(),
    };
    let stamp = Stamp::now(user);
    let format_code = match req.format {
        ImportFormat::Csv => "csv",
        ImportFormat::Fec => "fec",
    };

    let started = std::time::Instant::now();
    let keep_raw = req.skip_invalid && req.unknown == UnknownAccounts::Refuse;
    let result = store.bulk(!req.dry_run, |conn| -> Result<ImportOutcome> {
        let (mut lines, mut other_accounts) = (0u64, 0u64);
        let mut first_unknown: Option<(u64, String)> = None;
        // The file is read and parsed on a second thread while this one stores (see stream.rs).
        let (tx, rx) = stream::channel();
        let (stored, decoder, sink) = std::thread::scope(|scope| -> Result<_> {
            let (parser, shown) = (&parser, shown.as_str());
            let reading = scope.spawn(move || {
                let decoder = stream::read_all(
                    &mut reader,
                    parser,
                    decoder,
                    req.skip_invalid,
                    keep_raw,
                    shown,
                    &tx,
                );
                drop(tx);
                decoder
            });
            // The reading starts first: the file is parsed while the accounts are loaded.
            let mut sink = match AccountSink::new(conn, stamp.clone(), req.unknown) {
                Ok(sink) => sink,
                Err(e) => {
                    drop(rx);
                    let _ = reading.join();
                    return Err(e.into());
                }
            };
            let stored = (|| -> Result<()> {
                for message in &rx {
                    let chunk = message.map_err(|m| anyhow!(m))?;
                    if let Some(pb) = &bar {
                        pb.set_position(chunk.position);
                    }
                    for item in chunk.items {
                        lines += 1;
                        let (line_no, line, content_base, raw, encoding) = match item {
                            stream::Item::Line {
                                line_no,
                                line,
                                content_base,
                                raw,
                                encoding,
                            } => (line_no, line, content_base, raw, encoding),
                            stream::Item::Other => {
                                other_accounts += 1;
                                continue;
                            }
                            stream::Item::Invalid {
                                line_no,
                                column,
                                message,
                                raw,
                                encoding,
                            } => {
                                if req.skip_invalid {
                                    rejects.add(
                                        &raw,
                                        line_no,
                                        &format!("colonne {column} : {message}"),
                                        encoding,
                                    )?;
                                    continue;
                                }
                                bail!("{shown}:{line_no}:{column} : {message}");
                            }
                        };
                        if let Some(household_id) = sink.household(&line)? {
                            sink.queue(household_id, line, content_base)?;
                            continue;
                        }
                        match req.unknown {
                            UnknownAccounts::List | UnknownAccounts::Create => {}
                            UnknownAccounts::Refuse if req.skip_invalid => {
                                if let Some(raw) = &raw {
                                    rejects.add(
                                        raw,
                                        line_no,
                                        &format!(
                                            "colonne {} : compte « {} » inconnu de la base",
                                            parser.account_column(),
                                            line.account
                                        ),
                                        encoding,
                                    )?;
                                }
                            }
                            UnknownAccounts::Refuse => {
                                if first_unknown.is_none() {
                                    first_unknown = Some((line_no, line.account.to_string()));
                                }
                            }
                        }
                    }
                }
                Ok(())
            })();
            // On an error the receiver goes, and the reading thread stops at its next chunk.
            drop(rx);
            let decoder = reading
                .join()
                .map_err(|_| anyhow!("{shown} : la lecture du fichier s'est arrêtée"));
            Ok((stored, decoder, sink))
        })?;
        stored?;
        let decoder = decoder?;
        show_step(&bar, "écriture des lignes, des soldes et des sommes…");
        let (counts, written) = sink.finish()?;
        if let Some((line_no, account)) = first_unknown {
            let all: Vec<&str> = counts.unknown.keys().map(String::as_str).collect();
            let listed = if all.len() > 10 {
                format!("{}…", all[..10].join(", "))
            } else {
                all.join(", ")
            };
            bail!(
                "{shown}:{line_no}:{} : compte « {account} » inconnu de la base ({} compte(s) inconnu(s) : {listed}) ; rien n'a été importé : --create-households crée les ménages, --list-unknown importe le reste et liste ces comptes",
                parser.account_column(),
                all.len()
            );
        }
        let import_time = started.elapsed();
        show_step(&bar, "détection des impayés…");
        let detection =
            detect_arrears_after_writes(conn, today, &req.detection, &stamp, Some(&written))?;
        let detection_time = started.elapsed() - import_time;
        let rejected = rejects.count;
        record_import(
            conn,
            &ImportLog {
                file: shown.clone(),
                format: format_code.into(),
                lines,
                added: counts.added,
                duplicates: counts.duplicates,
                rejected,
                households_created: counts.households_created,
                dossiers_opened: detection.opened.len() as u64,
            },
            &stamp,
        )?;
        let rejects_file = rejects.finish()?;
        if !req.dry_run {
            show_step(&bar, "validation : enregistrement dans la base…");
        }
        Ok(ImportOutcome {
            lines,
            other_accounts,
            counts,
            rejected,
            rejects_file,
            reject_samples: std::mem::take(&mut rejects.samples),
            detection,
            separator,
            encoding: decoder.encoding(),
            bom,
            dry_run: req.dry_run,
            import_time,
            detection_time,
            commit_time: std::time::Duration::ZERO,
            settled: None,
            settle_failed: None,
        })
    });
    let result = result.map(|mut o| {
        o.commit_time = started
            .elapsed()
            .saturating_sub(o.import_time + o.detection_time);
        o
    });
    // Committed: the import stands whatever happens next. Settling is a write of its own,
    // whose failure (another session writing, say) is reported and left to the next import.
    let result = result.map(|mut o| {
        if !o.dry_run {
            show_step(&bar, "regroupement des écritures récentes…");
            match store.settle_if_due() {
                Ok(settled) => o.settled = settled,
                Err(e) => o.settle_failed = Some(e.to_string()),
            }
        }
        o
    });
    if let Some(pb) = &bar {
        pb.finish_and_clear();
    }
    if result.is_err() {
        // A failed import writes nothing, not even a partial rejects file.
        if let Some(w) = rejects.writer.take() {
            drop(w);
            let _ = std::fs::remove_file(&rejects.path);
        }
    }
    result
}

/// Once every line is read, the bar becomes a spinner naming the step under way: on a large
/// base the sums, the detection and the commit take seconds after the file's 100 %.
fn show_step(bar: &Option<indicatif::ProgressBar>, step: &'static str) {
    let Some(pb) = bar else { return };
    if let Ok(style) = indicatif::ProgressStyle::with_template("{spinner} {msg}") {
        pb.set_style(style);
    }
    pb.set_message(step);
    pb.enable_steady_tick(std::time::Duration::from_millis(120));
}

/// Runs `impayes import accounts`.
pub fn run(ctx: &Context, args: &ImportAccountsArgs) -> Result<ExitCode> {
    let mut req = ImportRequest::from_args(args);
    req.detection = ctx.config.detection_rules();
    let mut store = Store::open(&ctx.db)?;
    if !req.dry_run {
        crate::store::require_write(store.conn(), &ctx.user)?;
    }
    let progress = std::io::stderr().is_terminal();
    // Audited as one row (record_import), not entry by entry.
    let outcome = store.without_audit(&ctx.user, |s| {
        import_accounts(s, &req, &ctx.user, ctx.today, progress)
    })?;
    out!("{}", render_summary(&req, &outcome, ctx.today));
    Ok(ExitCode::SUCCESS)
}
