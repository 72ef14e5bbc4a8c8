//! The batch of the day, shared by `impayes letters` and the workstation: select, check again
//! against the accounts, write the files, record the timeline events in one transaction.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;

use super::context::{self, Inputs, LandlordCtx};
use super::{LettersError, Line, Templates, layout, pdf};
use crate::config::Config;
use crate::domain::calendar::Zone;
use crate::domain::dates::format_fr;
use crate::domain::event::{Channel, EventDetail};
use crate::domain::letters::{
    Batch, Campaign, LetterKind, Selected, appointment_day, recheck, select,
};
use crate::store::{self, LetterRecord, Stamp, Store};

/// Output format of a batch.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// A4 PDF.
    Pdf,
    /// Printable HTML.
    Html,
    /// Plain text.
    Txt,
}

impl Format {
    /// File extension.
    pub fn ext(self) -> &'static str {
        match self {
            Format::Pdf => "pdf",
            Format::Html => "html",
            Format::Txt => "txt",
        }
    }
}

/// Templates, campaign and landlord, loaded once.
pub struct Setup {
    /// Checked templates.
    pub templates: Templates,
    /// Campaign rules.
    pub campaign: Campaign,
    /// The landlord's header.
    pub landlord: LandlordCtx,
}

impl Setup {
    /// Loads templates and campaign from `dir` (the shipped ones where a file is absent).
    pub fn load_from(dir: &Path, config: &Config) -> Result<Setup, LettersError> {
        let path = dir.join("campagne.toml");
        let campaign = match std::fs::read_to_string(&path) {
            Ok(text) => Campaign::parse(&text, &path.display().to_string())?,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Campaign::default(),
            Err(source) => {
                return Err(LettersError::Io {
                    path: path.display().to_string(),
                    source,
                });
            }
        };
        Ok(Setup {
            templates: Templates::load(dir)?,
            campaign,
            landlord: LandlordCtx::from_config(&config.letters),
        })
    }

    /// Loads from the config directory's `letters/`.
    pub fn load(config: &Config) -> Result<Setup, LettersError> {
        Self::load_from(&crate::config::letters_dir(), config)
    }
}

/// Selects the batch of `today` (restricted to `levels` when not empty).
pub fn plan(
    store: &Store,
    setup: &Setup,
    today: NaiveDate,
    levels: &[LetterKind],
) -> Result<Batch, LettersError> {
    let facts = store::letter_facts(store.conn(), None)?;
    Ok(select(&facts, today, &setup.campaign, levels))
}

/// One file written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Written {
    /// Account.
    pub account: String,
    /// Letter.
    pub letter: LetterKind,
    /// File.
    pub path: PathBuf,
}

/// What a generation did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Generated {
    /// One file per letter.
    pub files: Vec<Written>,
    /// The combined printable file (None when no letter was left).
    pub combined: Option<PathBuf>,
    /// Dossiers dropped at generation, with the reason (paid since the selection…).
    pub dropped: Vec<(Selected, String)>,
    /// Timeline events recorded (0 for a dry run).
    pub recorded: usize,
}

/// Dossiers dropped at generation, with the reason.
pub type Dropped = Vec<(Selected, String)>;

/// A letter ready to be written: the selection, its rendered lines and its event.
struct Prepared {
    selected: Selected,
    lines: Vec<Line>,
    message: String,
    contact: Option<(Channel, String)>,
    record: LetterRecord,
}

fn prepare(
    store: &Store,
    setup: &Setup,
    selection: &[Selected],
    today: NaiveDate,
) -> Result<(Vec<Prepared>, Dropped), LettersError> {
    let ids: Vec<i64> = selection.iter().map(|s| s.dossier_id).collect();
    let now = store::letter_facts(store.conn(), Some(&ids))?;
    let staff = store::staff(store.conn())?;
    let mut kept = Vec::new();
    let mut dropped = Vec::new();
    for (n, s) in selection.iter().enumerate() {
        let fresh = now.iter().find(|f| f.dossier_id == s.dossier_id);
        if let Err(reason) = recheck(s, fresh, today, &setup.campaign) {
            dropped.push((s.clone(), reason));
            continue;
        }
        let file = store::household_file(store.conn(), s.household_id)?;
        let zone = file
            .home
            .as_ref()
            .map(|h| Zone::for_departement(&h.departement))
            .unwrap_or(Zone::Metropole);
        let appointment_on = appointment_day(today, &setup.campaign.convocation, zone);
        let reference = format!("L-{}-{:04}", today.format("%Y%m%d"), n + 1);
        let ctx = context::build(
            &file,
            &Inputs {
                letter: s.letter,
                today,
                landlord: &setup.landlord,
                staff: &staff,
                campaign: &setup.campaign,
                appointment_on,
                reference: reference.clone(),
            },
        );
        let text = setup.templates.render(s.letter, &ctx)?;
        let message = setup.templates.render_message(&ctx)?;
        let contact = file
            .household
            .phone
            .clone()
            .filter(|p| !p.trim().is_empty())
            .map(|p| (Channel::Sms, p))
            .or_else(|| {
                file.household
                    .email
                    .clone()
                    .filter(|e| !e.trim().is_empty())
                    .map(|e| (Channel::Email, e))
            });
        kept.push(Prepared {
            selected: s.clone(),
            lines: layout(&text),
            message,
            contact,
            record: LetterRecord {
                dossier_id: s.dossier_id,
                date: today,
                detail: s.letter.event(appointment_on),
                text: format!(
                    "Courrier « {} » (lot du {}, réf. {reference})",
                    s.letter.label_fr(),
                    format_fr(today)
                ),
            },
        });
    }
    Ok((kept, dropped))
}

fn write_file(path: &Path, bytes: &[u8]) -> Result<(), LettersError> {
    std::fs::write(path, bytes).map_err(|source| LettersError::Io {
        path: path.display().to_string(),
        source,
    })
}

/// Where and how a batch is written.
#[derive(Debug, Clone, Copy)]
pub struct Output<'a> {
    /// Directory (created if needed).
    pub dir: &'a Path,
    /// File format.
    pub format: Format,
    /// Write the files but record nothing.
    pub dry_run: bool,
}

/// Writes one file per letter and one combined file into `dir`, then records the letters'
/// events in one transaction unless `dry_run`. Every selected dossier is checked again first:
/// one whose account received money since the selection is dropped.
pub fn generate(
    store: &mut Store,
    setup: &Setup,
    selection: &[Selected],
    today: NaiveDate,
    user: &str,
    output: &Output<'_>,
) -> Result<Generated, LettersError> {
    let (dir, format, dry_run) = (output.dir, output.format, output.dry_run);
    let (kept, dropped) = prepare(store, setup, selection, today)?;
    let mut out = Generated {
        dropped,
        ..Generated::default()
    };
    if kept.is_empty() {
        return Ok(out);
    }
    std::fs::create_dir_all(dir).map_err(|source| LettersError::Io {
        path: dir.display().to_string(),
        source,
    })?;
    let title = format!("Courriers du {}", format_fr(today));
    let mut combined_html = Vec::new();
    let mut combined_txt = String::new();
    for (n, p) in kept.iter().enumerate() {
        let name = format!(
            "{:04}_{}_{}.{}",
            n + 1,
            p.selected.account.replace(['/', '\\', ' '], "-"),
            p.selected.letter.code(),
            format.ext()
        );
        let path = dir.join(name);
        let bytes = match format {
            Format::Pdf => {
                pdf::document(p.selected.letter.label_fr(), std::slice::from_ref(&p.lines))
            }
            Format::Html => {
                let section = super::to_html_section(&p.lines);
                combined_html.push(section.clone());
                super::html_document(p.selected.letter.label_fr(), &[section]).into_bytes()
            }
            Format::Txt => {
                let text = super::to_text(&p.lines);
                if n > 0 {
                    combined_txt.push('\u{c}');
                }
                combined_txt.push_str(&text);
                text.into_bytes()
            }
        };
        write_file(&path, &bytes)?;
        out.files.push(Written {
            account: p.selected.account.clone(),
            letter: p.selected.letter,
            path,
        });
    }
    let combined = dir.join(format!("lot_{}.{}", today.format("%Y-%m-%d"), format.ext()));
    let bytes = match format {
        Format::Pdf => {
            let all: Vec<Vec<Line>> = kept.iter().map(|p| p.lines.clone()).collect();
            pdf::document(&title, &all)
        }
        Format::Html => super::html_document(&title, &combined_html).into_bytes(),
        Format::Txt => combined_txt.into_bytes(),
    };
    write_file(&combined, &bytes)?;
    out.combined = Some(combined);
    if !dry_run {
        let records: Vec<LetterRecord> = kept.iter().map(|p| p.record.clone()).collect();
        let stamp = Stamp::on(user, today);
        out.recorded = store.write(|conn| store::record_letters(conn, &records, &stamp))?;
    }
    Ok(out)
}

/// One line of the SMS/e-mail export.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    /// Phone number or e-mail address.
    pub to: String,
    /// SMS or e-mail.
    pub channel: Channel,
    /// The text.
    pub text: String,
}

/// What `messages` produces.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Messages {
    /// One per reachable tenant.
    pub messages: Vec<Message>,
    /// Selected dossiers without phone or e-mail.
    pub unreachable: Vec<Selected>,
    /// Dropped at the check (paid since the selection…).
    pub dropped: Dropped,
}

/// The SMS/e-mail texts of a selection (after the same check as `generate`), and the dossiers
/// without phone or e-mail. With `record`, a `reminder` by SMS or e-mail is recorded for each,
/// in one transaction.
pub fn messages(
    store: &mut Store,
    setup: &Setup,
    selection: &[Selected],
    today: NaiveDate,
    user: &str,
    record: bool,
) -> Result<Messages, LettersError> {
    let (kept, dropped) = prepare(store, setup, selection, today)?;
    let mut out = Vec::new();
    let mut unreachable = Vec::new();
    let mut records = Vec::new();
    for p in kept {
        match p.contact {
            Some((channel, to)) => {
                if let EventDetail::Reminder { level, .. } = p.record.detail {
                    records.push(LetterRecord {
                        detail: EventDetail::Reminder { channel, level },
                        text: format!(
                            "Message « {} » exporté pour envoi",
                            p.selected.letter.label_fr()
                        ),
                        ..p.record.clone()
                    });
                }
                out.push(Message {
                    to,
                    channel,
                    text: p.message,
                });
            }
            None => unreachable.push(p.selected),
        }
    }
    if record && !records.is_empty() {
        let stamp = Stamp::on(user, today);
        store.write(|conn| store::record_letters(conn, &records, &stamp))?;
    }
    Ok(Messages {
        messages: out,
        unreachable,
        dropped,
    })
}

/// The default directory of the workstation's batches: the config's `[letters] output`, else
/// `courriers/` in the data directory; one sub-directory per day.
pub fn default_output(config: &Config, today: NaiveDate) -> PathBuf {
    config
        .letters
        .output
        .clone()
        .unwrap_or_else(|| crate::config::data_dir().join("courriers"))
        .join(today.format("%Y-%m-%d").to_string())
}
