//! Rules for reading tenant accounts out of the landlord's books (domain.md §8): the default
//! CSV layout and its TOML mapping, amounts, dates, nature labels, separator and text-encoding
//! detection, the FEC's columns and how its lines become account entries, and the references
//! that make an import idempotent. Pure functions: the reading of files is the CLI's.
//!
//! ## Idempotence
//!
//! An entry is identified on its account by a reference (the store refuses a second entry with
//! the same account and reference):
//!
//! - the source reference when the file gives one (`reference` column; for a FEC,
//!   `fec:JournalCode:EcritureNum`);
//! - when the same source reference appears several times for one account in one file (an ERP
//!   that numbers the quittance, not its lines), the second gets `:2` appended, the third `:3`…;
//! - without a source reference, a content reference `h:<hash>:<rank>`: the first 96 bits of the
//!   SHA-256 of the line's normalised content (account, ISO date, nature code, amount in cents,
//!   label) and the rank of that content among the identical lines of the file. Two identical
//!   payments on the same day in one file are two entries (ranks 1 and 2); importing the file
//!   again, or a newer export that holds the same day, gives the same ranks and adds nothing.
//!
//! Ranks are counted by the store as the lines come (`store::import`): a line whose reference
//! is already on the account from an earlier import is the first of its kind in this file, one
//! whose reference was written by this import is a repeat, so that the common case (a new
//! line) costs no lookup in a table of everything read.
//!   The content is normalised, so `1 234,50` and `1234.5`, `05/11/2026` and `2026-11-05` are
//!   the same line; columns the import does not read are not part of it.

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;

use chrono::{Datelike, NaiveDate};
use serde::Deserialize;
use sha2::{Digest, Sha256};

use super::fold::fold_key;
use super::ledger::EntryKind;

/// The header `export accounts` writes and `import accounts` expects by default.
pub const DEFAULT_HEADER: [&str; 6] = [
    "compte",
    "date",
    "nature",
    "montant",
    "libelle",
    "reference",
];

/// A column the import reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Field {
    /// Account number (`compte`).
    Account,
    /// Value date (`date`).
    Date,
    /// Nature of the entry (`nature`).
    Nature,
    /// Signed amount, positive when charged (`montant`).
    Amount,
    /// Amount charged (`debit`).
    Debit,
    /// Amount paid (`credit`).
    Credit,
    /// Label (`libelle`).
    Label,
    /// Source reference (`reference`).
    Reference,
    /// Holder's name, used when households are created (`nom`).
    Name,
}

impl Field {
    /// Every field, in the order the README lists them.
    pub const ALL: [Field; 9] = [
        Field::Account,
        Field::Date,
        Field::Nature,
        Field::Amount,
        Field::Debit,
        Field::Credit,
        Field::Label,
        Field::Reference,
        Field::Name,
    ];

    /// The default column name, also the key of the mapping's `[columns]` table.
    pub fn name(self) -> &'static str {
        match self {
            Field::Account => "compte",
            Field::Date => "date",
            Field::Nature => "nature",
            Field::Amount => "montant",
            Field::Debit => "debit",
            Field::Credit => "credit",
            Field::Label => "libelle",
            Field::Reference => "reference",
            Field::Name => "nom",
        }
    }

    fn from_name(name: &str) -> Option<Field> {
        Field::ALL.into_iter().find(|f| f.name() == name)
    }
}

/// The optional TOML file given with `--mapping`: other column names, other nature labels, and
/// the FEC's journals.
#[derive(Debug, Clone, Default, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Mapping {
    /// Field separator (`";"`, `","`, `"\t"`, `"|"`); detected from the header when absent.
    pub separator: Option<String>,
    /// `utf-8` or `windows-1252`; detected when absent.
    pub encoding: Option<String>,
    /// Our column name → the file's header text.
    #[serde(default)]
    pub columns: BTreeMap<String, String>,
    /// The file's nature label → our nature (`loyer`, `paiement`, `apl`, `aide`,
    /// `regularisation`, `frais`, `avoir`, `non_valeur`).
    #[serde(default)]
    pub natures: BTreeMap<String, String>,
    /// FEC settings.
    #[serde(default)]
    pub fec: FecMapping,
}

/// FEC settings of the mapping.
#[derive(Debug, Clone, Default, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct FecMapping {
    /// Prefixes of `CompteNum` that are tenant accounts (default `["411"]`).
    pub tenant_accounts: Option<Vec<String>>,
    /// `JournalCode` → nature (checked after the labels).
    #[serde(default)]
    pub journals: BTreeMap<String, String>,
    /// Text found in `EcritureLib` → nature (checked first, in the file's order of keys).
    #[serde(default)]
    pub labels: BTreeMap<String, String>,
}

impl Mapping {
    /// Checks the mapping's names and values; the message is French.
    pub fn validate(&self) -> Result<(), String> {
        for key in self.columns.keys() {
            if Field::from_name(key).is_none() {
                return Err(format!(
                    "colonne « {key} » inconnue dans [columns] (colonnes possibles : {})",
                    Field::ALL.map(Field::name).join(", ")
                ));
            }
        }
        let natures = self
            .natures
            .iter()
            .chain(self.fec.journals.iter())
            .chain(self.fec.labels.iter());
        for (label, nature) in natures {
            if nature_code(nature).is_none() {
                return Err(format!(
                    "nature « {nature} » (pour « {label} ») inconnue : natures possibles {}",
                    EntryKind::ALL.map(EntryKind::erp_label).join(", ")
                ));
            }
        }
        if let Some(sep) = &self.separator {
            parse_separator(sep)?;
        }
        if let Some(enc) = &self.encoding {
            TextEncoding::from_name(enc)?;
        }
        Ok(())
    }
}

/// Reads a separator given as text: `;`, `,`, `|`, `\t` or `tab`.
pub fn parse_separator(text: &str) -> Result<u8, String> {
    match text {
        ";" => Ok(b';'),
        "," => Ok(b','),
        "|" => Ok(b'|'),
        "\t" | "\\t" | "tab" | "tabulation" => Ok(b'\t'),
        _ => Err(format!(
            "séparateur « {text} » non pris en charge (« ; », « , », « | » ou tabulation)"
        )),
    }
}

/// How a separator is named to users.
pub fn separator_name(sep: u8) -> &'static str {
    match sep {
        b';' => "« ; »",
        b',' => "« , »",
        b'|' => "« | »",
        b'\t' => "tabulation",
        _ => "autre",
    }
}

/// Detects the separator from the header line: the most frequent of `;`, tab, `|` and `,`
/// outside quotes (in that order of preference on a tie); `;` when none is present.
pub fn detect_separator(header_line: &[u8]) -> u8 {
    const CANDIDATES: [u8; 4] = [b';', b'\t', b'|', b','];
    let mut counts = [0usize; 4];
    let mut quoted = false;
    for &b in header_line {
        if b == b'\n' {
            break;
        }
        if b == b'"' {
            quoted = !quoted;
            continue;
        }
        if !quoted && let Some(i) = CANDIDATES.iter().position(|c| *c == b) {
            counts[i] += 1;
        }
    }
    let mut best = 0;
    for i in 1..CANDIDATES.len() {
        if counts[i] > counts[best] {
            best = i;
        }
    }
    CANDIDATES[best]
}

/// The folded form used to compare header names and nature labels: lowercase, no accents,
/// spaces, `_`, `-` and `.` dropped ("Libellé" = "libelle", "Non-valeur" = "non_valeur").
pub fn fold_name(text: &str) -> String {
    fold_key(text.trim())
        .chars()
        .filter(|c| !matches!(c, ' ' | '_' | '-' | '.' | '\'' | '/' | '\u{a0}'))
        .collect()
}

/// Where each field is in the file's rows.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Layout {
    /// Column index of each field present.
    pub columns: HashMap<Field, usize>,
    /// Number of columns of the header.
    pub width: usize,
    /// The header's names, for messages.
    pub names: Vec<String>,
}

impl Layout {
    /// Index of a field's column.
    pub fn get(&self, f: Field) -> Option<usize> {
        self.columns.get(&f).copied()
    }
}

/// Finds the fields in a CSV header, by their default names or the mapping's (compared
/// without case, accents or spaces). Needs `compte`, `date`, `nature`, and `montant` or both
/// `debit` and `credit`.
pub fn resolve_header(header: &[String], mapping: &Mapping) -> Result<Layout, String> {
    let folded: Vec<String> = header.iter().map(|h| fold_name(h)).collect();
    let mut layout = Layout {
        width: header.len(),
        names: header.to_vec(),
        ..Layout::default()
    };
    for field in Field::ALL {
        let wanted = mapping
            .columns
            .get(field.name())
            .map(String::as_str)
            .unwrap_or(field.name());
        let key = fold_name(wanted);
        if let Some(i) = folded.iter().position(|h| *h == key) {
            layout.columns.insert(field, i);
        } else if mapping.columns.contains_key(field.name()) {
            return Err(format!(
                "la colonne « {wanted} » indiquée pour « {} » dans la correspondance est absente de l'en-tête",
                field.name()
            ));
        }
    }
    let missing: Vec<&str> = [Field::Account, Field::Date, Field::Nature]
        .into_iter()
        .filter(|f| !layout.columns.contains_key(f))
        .map(Field::name)
        .collect();
    if !missing.is_empty() {
        return Err(format!(
            "colonne(s) {} absente(s) de l'en-tête (en-tête attendu : {} ; autres noms : --mapping)",
            missing.join(", "),
            DEFAULT_HEADER.join(";")
        ));
    }
    let has_amount = layout.columns.contains_key(&Field::Amount);
    let has_dc =
        layout.columns.contains_key(&Field::Debit) && layout.columns.contains_key(&Field::Credit);
    if !has_amount && !has_dc {
        return Err(
            "l'en-tête n'a ni colonne « montant » ni colonnes « debit » et « credit »".into(),
        );
    }
    if has_amount {
        layout.columns.remove(&Field::Debit);
        layout.columns.remove(&Field::Credit);
    }
    Ok(layout)
}

/// Our nature from its ERP label (`loyer`…) or its code (`rent_call`…), folded.
pub fn nature_code(text: &str) -> Option<EntryKind> {
    let f = fold_name(text);
    EntryKind::ALL.into_iter().find(|k| {
        fold_name(k.erp_label()) == f || fold_name(k.code()) == f || fold_name(k.label_fr()) == f
    })
}

/// Labels French ERPs commonly use, beyond ours.
const COMMON_NATURES: [(&str, EntryKind); 24] = [
    ("quittancement", EntryKind::RentCall),
    ("quittance", EntryKind::RentCall),
    ("appel de loyer", EntryKind::RentCall),
    ("loyer et charges", EntryKind::RentCall),
    ("echeance", EntryKind::RentCall),
    ("reglement", EntryKind::Payment),
    ("encaissement", EntryKind::Payment),
    ("virement", EntryKind::Payment),
    ("prelevement", EntryKind::Payment),
    ("cheque", EntryKind::Payment),
    ("especes", EntryKind::Payment),
    ("al", EntryKind::HousingBenefit),
    ("apl/al", EntryKind::HousingBenefit),
    ("allocation logement", EntryKind::HousingBenefit),
    ("caf", EntryKind::HousingBenefit),
    ("msa", EntryKind::HousingBenefit),
    ("fsl", EntryKind::Aid),
    ("regul", EntryKind::Regularisation),
    ("regularisation de charges", EntryKind::Regularisation),
    ("frais de procedure", EntryKind::Fees),
    ("frais d'huissier", EntryKind::Fees),
    ("admission en non-valeur", EntryKind::WriteOff),
    ("effacement", EntryKind::WriteOff),
    ("anv", EntryKind::WriteOff),
];

/// The nature labels a file may use: ours, common ERP ones, then the mapping's (which win).
#[derive(Debug, Clone)]
pub struct NatureTable {
    by_folded: HashMap<String, EntryKind>,
    /// The same labels as written (the usual case), to skip folding.
    exact: HashMap<String, EntryKind>,
}

impl NatureTable {
    /// Builds the table from the defaults and the mapping's `[natures]`.
    pub fn new(mapping: &Mapping) -> NatureTable {
        let mut by_folded = HashMap::new();
        for k in EntryKind::ALL {
            for name in [k.erp_label(), k.code(), k.label_fr()] {
                by_folded.insert(fold_name(name), k);
            }
        }
        for (name, k) in COMMON_NATURES {
            by_folded.insert(fold_name(name), k);
        }
        let mut exact = HashMap::new();
        for k in EntryKind::ALL {
            for name in [k.erp_label(), k.code(), k.label_fr()] {
                exact.insert(name.to_string(), k);
            }
        }
        for (label, nature) in &mapping.natures {
            if let Some(k) = nature_code(nature) {
                by_folded.insert(fold_name(label), k);
                exact.insert(label.clone(), k);
            }
        }
        // A mapped label may shadow a default one once folded: the exact table must agree.
        exact.retain(|label, k| by_folded.get(&fold_name(label)) == Some(k));
        NatureTable { by_folded, exact }
    }

    /// The nature of a label, if known.
    pub fn get(&self, label: &str) -> Option<EntryKind> {
        if let Some(k) = self.exact.get(label) {
            return Some(*k);
        }
        self.by_folded.get(&fold_name(label)).copied()
    }
}

/// Parses an amount to cents: `1234,56`, `1 234,56`, `1.234,56`, `1,234.56`, `1234.56`,
/// `-12,5`, `12,50-`, `+3`, `(45,00)`, with or without `€`. A single `,` or `.` is the decimal
/// separator; when both appear, the last one is, and the other groups thousands (as do spaces
/// and apostrophes). None when it is not an amount or has more than two decimals.
pub fn parse_cents(text: &str) -> Option<i64> {
    let t = text.trim();
    let t = t.strip_suffix('€').unwrap_or(t).trim_end();
    let t = t.strip_suffix("EUR").unwrap_or(t).trim_end();
    let (mut negative, mut t) = match t.strip_prefix('(').and_then(|x| x.strip_suffix(')')) {
        Some(inner) => (true, inner.trim()),
        None => (false, t),
    };
    if let Some(rest) = t.strip_prefix('-') {
        negative = !negative;
        t = rest.trim_start();
    } else if let Some(rest) = t.strip_prefix('+') {
        t = rest.trim_start();
    } else if let Some(rest) = t.strip_suffix('-') {
        negative = !negative;
        t = rest.trim_end();
    }
    // Digits and separators only; spaces of any width and apostrophes group thousands.
    let mut compact = [0u8; 40];
    let mut n = 0;
    for ch in t.chars() {
        match ch {
            '0'..='9' | ',' | '.' => {
                *compact.get_mut(n)? = ch as u8;
                n += 1;
            }
            ' ' | '\u{a0}' | '\u{202f}' | '\'' => {}
            _ => return None,
        }
    }
    let s = &compact[..n];
    let last_sep = s.iter().rposition(|b| *b == b',' || *b == b'.');
    let decimal_at = match last_sep {
        None => None,
        Some(i) => {
            let sep = s[i];
            let other = if sep == b',' { b'.' } else { b',' };
            let repeated = s[..i].contains(&sep);
            if repeated && !s.contains(&other) {
                None // "1.234.567": grouping only
            } else if repeated {
                return None; // "1,2,3.4"
            } else {
                Some(i)
            }
        }
    };
    let (int_part, frac) = match decimal_at {
        Some(i) => (&s[..i], &s[i + 1..]),
        None => (s, &s[s.len()..]),
    };
    if frac.len() > 2 || !frac.iter().all(u8::is_ascii_digit) {
        return None;
    }
    // Grouping separators left in the integer part: groups of three after the first.
    let groups: Vec<&[u8]> = int_part.split(|b| *b == b',' || *b == b'.').collect();
    if groups.len() > 1
        && (groups[0].is_empty() || groups[0].len() > 3 || groups[1..].iter().any(|g| g.len() != 3))
    {
        return None;
    }
    if int_part.is_empty() && frac.is_empty() {
        return None;
    }
    let mut units: i64 = 0;
    for &b in int_part.iter().filter(|b| b.is_ascii_digit()) {
        units = units.checked_mul(10)?.checked_add(i64::from(b - b'0'))?;
    }
    let mut cents: i64 = 0;
    for &b in frac {
        cents = cents * 10 + i64::from(b - b'0');
    }
    if frac.len() == 1 {
        cents *= 10;
    }
    let total = units.checked_mul(100)?.checked_add(cents)?;
    Some(if negative { -total } else { total })
}

/// Parses a date as files write them: `JJ/MM/AAAA` (also `J/M/AAAA`, `JJ-MM-AAAA`,
/// `JJ.MM.AAAA`), ISO `AAAA-MM-JJ`, or `AAAAMMJJ` (FEC); a time after a space or `T` is ignored.
pub fn parse_file_date(text: &str) -> Option<NaiveDate> {
    let t = text.trim();
    let t = t.split([' ', 'T']).next().unwrap_or(t);
    let b = t.as_bytes();
    let num = |s: &[u8]| -> Option<u32> {
        if s.is_empty() || s.len() > 4 || !s.iter().all(u8::is_ascii_digit) {
            return None;
        }
        Some(s.iter().fold(0u32, |a, d| a * 10 + u32::from(d - b'0')))
    };
    if b.len() == 8 && b.iter().all(u8::is_ascii_digit) {
        return NaiveDate::from_ymd_opt(num(&b[0..4])? as i32, num(&b[4..6])?, num(&b[6..8])?);
    }
    let sep = *b.iter().find(|c| matches!(c, b'/' | b'-' | b'.'))?;
    let mut parts = b.split(|c| *c == sep);
    let (p1, p2, p3) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() {
        return None;
    }
    if p1.len() == 4 && p2.len() <= 2 && p3.len() <= 2 {
        NaiveDate::from_ymd_opt(num(p1)? as i32, num(p2)?, num(p3)?)
    } else if p3.len() == 4 && p1.len() <= 2 && p2.len() <= 2 {
        NaiveDate::from_ymd_opt(num(p3)? as i32, num(p2)?, num(p1)?)
    } else {
        None
    }
}

/// Reads a date stored as `AAAA-MM-JJ` (the database's form), quickly.
pub fn parse_iso_date(text: &str) -> Option<NaiveDate> {
    let b = text.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let digits = |s: &[u8]| -> Option<u32> {
        s.iter().try_fold(0u32, |a, d| {
            d.is_ascii_digit().then(|| a * 10 + u32::from(d - b'0'))
        })
    };
    NaiveDate::from_ymd_opt(
        digits(&b[0..4])? as i32,
        digits(&b[5..7])?,
        digits(&b[8..10])?,
    )
}

/// Writes a date as `AAAA-MM-JJ` into a buffer (no allocation), for SQLite.
pub fn iso_date(d: NaiveDate, buf: &mut [u8; 10]) -> &str {
    let y = d.year().clamp(0, 9999) as u32;
    let (m, day) = (d.month(), d.day());
    let digits = [
        y / 1000,
        y / 100 % 10,
        y / 10 % 10,
        y % 10,
        10,
        m / 10,
        m % 10,
        10,
        day / 10,
        day % 10,
    ];
    for (slot, v) in buf.iter_mut().zip(digits) {
        *slot = if v == 10 { b'-' } else { b'0' + v as u8 };
    }
    std::str::from_utf8(buf).unwrap_or("0000-00-00")
}

/// The text encodings the import reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextEncoding {
    /// UTF-8, with or without BOM.
    Utf8,
    /// Windows-1252 (Latin-1 as Windows writes it).
    Windows1252,
}

impl TextEncoding {
    /// Reads the name given on the command line or in the mapping.
    pub fn from_name(name: &str) -> Result<TextEncoding, String> {
        match fold_name(name).as_str() {
            "utf8" => Ok(TextEncoding::Utf8),
            "windows1252" | "cp1252" | "latin1" | "iso88591" | "iso885915" | "ansi" => {
                Ok(TextEncoding::Windows1252)
            }
            _ => Err(format!(
                "encodage « {name} » non pris en charge (utf-8 ou windows-1252)"
            )),
        }
    }

    /// The name shown to users.
    pub fn label(self) -> &'static str {
        match self {
            TextEncoding::Utf8 => "UTF-8",
            TextEncoding::Windows1252 => "Windows-1252",
        }
    }
}

/// Decodes fields as they stream by. Given an encoding, uses it; otherwise the first field
/// that is not plain ASCII decides: valid UTF-8 means UTF-8, anything else Windows-1252 (both
/// agree on ASCII, so nothing read before is affected).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FieldDecoder {
    decided: Option<TextEncoding>,
    forced: bool,
}

impl FieldDecoder {
    /// A decoder with a fixed encoding, or one that detects it.
    pub fn new(encoding: Option<TextEncoding>) -> FieldDecoder {
        FieldDecoder {
            decided: encoding,
            forced: encoding.is_some(),
        }
    }

    /// The encoding found so far (None: only ASCII seen).
    pub fn encoding(&self) -> Option<TextEncoding> {
        self.decided
    }

    /// Whether the encoding was given rather than detected.
    pub fn forced(&self) -> bool {
        self.forced
    }

    /// Decodes one field; Err when it is not valid in the (given or detected) UTF-8.
    pub fn decode<'a>(&mut self, bytes: &'a [u8]) -> Result<Cow<'a, str>, String> {
        if bytes.is_ascii() {
            // SAFETY-free: ASCII is valid UTF-8.
            return Ok(Cow::Borrowed(std::str::from_utf8(bytes).unwrap_or("")));
        }
        match self.decided {
            Some(TextEncoding::Windows1252) => Ok(encoding_rs::WINDOWS_1252
                .decode_without_bom_handling(bytes)
                .0),
            Some(TextEncoding::Utf8) => std::str::from_utf8(bytes).map(Cow::Borrowed).map_err(|_| {
                if self.forced {
                    "texte invalide en UTF-8 (le fichier est-il en windows-1252 ? voir --encoding)"
                        .to_string()
                } else {
                    "texte invalide en UTF-8 alors que le début du fichier est en UTF-8 (indiquez l'encodage avec --encoding)"
                        .to_string()
                }
            }),
            None => match std::str::from_utf8(bytes) {
                Ok(s) => {
                    self.decided = Some(TextEncoding::Utf8);
                    Ok(Cow::Borrowed(s))
                }
                Err(_) => {
                    self.decided = Some(TextEncoding::Windows1252);
                    Ok(encoding_rs::WINDOWS_1252
                        .decode_without_bom_handling(bytes)
                        .0)
                }
            },
        }
    }
}

/// Encodes text for a file in `encoding` (the rejects file keeps the source's encoding).
pub fn encode(text: &str, encoding: Option<TextEncoding>) -> Cow<'_, [u8]> {
    match encoding {
        Some(TextEncoding::Windows1252) => match encoding_rs::WINDOWS_1252.encode(text).0 {
            Cow::Borrowed(b) => Cow::Borrowed(b),
            Cow::Owned(v) => Cow::Owned(v),
        },
        _ => Cow::Borrowed(text.as_bytes()),
    }
}

/// One account line read from a file, before it is stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceLine<'a> {
    /// Account number.
    pub account: Cow<'a, str>,
    /// Value date.
    pub date: NaiveDate,
    /// Nature.
    pub kind: EntryKind,
    /// Amount in cents, positive when charged.
    pub cents: i64,
    /// Label.
    pub label: Cow<'a, str>,
    /// Source reference, if the file gives one (not yet ranked).
    pub reference: Option<Cow<'a, str>>,
    /// Holder's name, for households created by the import.
    pub name: Option<Cow<'a, str>>,
}

/// The base of a line's reference: its source reference, or `h:` and the first 96 bits (24
/// hexadecimal digits) of its content digest when the file gives none; `content` tells which.
pub fn reference_base<'a>(line: &'a SourceLine<'_>) -> (Cow<'a, str>, bool) {
    match line
        .reference
        .as_deref()
        .map(str::trim)
        .filter(|r| !r.is_empty())
    {
        Some(r) => (Cow::Borrowed(r), false),
        None => {
            let digest = content_digest(line);
            let mut out = String::with_capacity(26);
            out.push_str("h:");
            for b in &digest[..12] {
                let _ = write!(out, "{b:02x}");
            }
            (Cow::Owned(out), true)
        }
    }
}

/// The reference of the `rank`-th line (from 1) of a file sharing a base on one account: a
/// source reference as it is the first time, then `:2`, `:3`…; a content reference always
/// ranked (`h:…:1`, `h:…:2`…).
pub fn ranked_reference(base: &str, content: bool, rank: u32) -> Cow<'_, str> {
    if rank <= 1 && !content {
        Cow::Borrowed(base)
    } else {
        Cow::Owned(format!("{base}:{}", rank.max(1)))
    }
}

/// SHA-256 of a line's normalised content: account, ISO date, nature code, cents and label,
/// separated by the ASCII unit separator so that fields cannot run into each other.
pub fn content_digest(line: &SourceLine<'_>) -> [u8; 32] {
    let mut buf = [0u8; 10];
    let mut h = Sha256::new();
    h.update(line.account.trim().as_bytes());
    h.update([0x1f]);
    h.update(iso_date(line.date, &mut buf).as_bytes());
    h.update([0x1f]);
    h.update(line.kind.code().as_bytes());
    h.update([0x1f]);
    h.update(line.cents.to_string().as_bytes());
    h.update([0x1f]);
    h.update(line.label.trim().as_bytes());
    h.finalize().into()
}

/// A field that cannot be read: its 1-based column and a French message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    /// 1-based column of the faulty field.
    pub column: usize,
    /// What is wrong.
    pub message: String,
}

impl FieldError {
    fn new(index: usize, message: String) -> FieldError {
        FieldError {
            column: index + 1,
            message,
        }
    }
}

/// Reads one CSV row (raw fields) into a line, decoding text with `decoder`.
pub fn parse_csv_row<'a>(
    field: impl Fn(usize) -> Option<&'a [u8]>,
    layout: &Layout,
    natures: &NatureTable,
    decoder: &mut FieldDecoder,
) -> Result<SourceLine<'a>, FieldError> {
    let mut text = |f: Field| -> Result<Option<(usize, Cow<'a, str>)>, FieldError> {
        let Some(i) = layout.get(f) else {
            return Ok(None);
        };
        let raw = field(i).ok_or_else(|| {
            FieldError::new(
                i,
                format!(
                    "colonne « {} » manquante (ligne trop courte)",
                    layout.names[i]
                ),
            )
        })?;
        decoder
            .decode(raw)
            .map(|s| Some((i, trim_cow(s))))
            .map_err(|m| FieldError::new(i, m))
    };
    let (ai, account) = text(Field::Account)?.unwrap_or_default();
    if account.is_empty() {
        return Err(FieldError::new(ai, "numéro de compte vide".into()));
    }
    let (di, date_text) = text(Field::Date)?.unwrap_or_default();
    let date = parse_file_date(&date_text).ok_or_else(|| {
        FieldError::new(
            di,
            format!("date « {date_text} » illisible (attendu JJ/MM/AAAA ou AAAA-MM-JJ)"),
        )
    })?;
    let (ni, nature_text) = text(Field::Nature)?.unwrap_or_default();
    let kind = natures.get(&nature_text).ok_or_else(|| {
        FieldError::new(
            ni,
            format!(
                "nature « {nature_text} » inconnue (attendu {} ; autres libellés : [natures] de --mapping)",
                EntryKind::ALL.map(EntryKind::erp_label).join(", ")
            ),
        )
    })?;
    let amount = |found: Option<(usize, Cow<'a, str>)>, empty_is_zero: bool| match found {
        Some((_, s)) if empty_is_zero && s.is_empty() => Ok(0),
        Some((i, s)) => {
            parse_cents(&s).ok_or_else(|| FieldError::new(i, format!("montant « {s} » illisible")))
        }
        None => Ok(0),
    };
    let cents = if layout.get(Field::Amount).is_some() {
        amount(text(Field::Amount)?, false)?
    } else {
        amount(text(Field::Debit)?, true)? - amount(text(Field::Credit)?, true)?
    };
    let label = text(Field::Label)?.map(|(_, s)| s).unwrap_or_default();
    let reference = text(Field::Reference)?
        .map(|(_, s)| s)
        .filter(|s| !s.is_empty());
    let name = text(Field::Name)?.map(|(_, s)| s).filter(|s| !s.is_empty());
    Ok(SourceLine {
        account,
        date,
        kind,
        cents,
        label,
        reference,
        name,
    })
}

fn trim_cow(s: Cow<'_, str>) -> Cow<'_, str> {
    match s {
        Cow::Borrowed(b) => Cow::Borrowed(b.trim()),
        Cow::Owned(o) => {
            let t = o.trim();
            if t.len() == o.len() {
                Cow::Owned(o)
            } else {
                Cow::Owned(t.to_string())
            }
        }
    }
}

/// The 18 columns of a FEC (article A47 A-1 of the Livre des procédures fiscales).
pub const FEC_COLUMNS: [&str; 18] = [
    "JournalCode",
    "JournalLib",
    "EcritureNum",
    "EcritureDate",
    "CompteNum",
    "CompteLib",
    "CompAuxNum",
    "CompAuxLib",
    "PieceRef",
    "PieceDate",
    "EcritureLib",
    "Debit",
    "Credit",
    "EcritureLet",
    "DateLet",
    "ValidDate",
    "Montantdevise",
    "Idevise",
];

/// Where the FEC columns the import reads are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FecLayout {
    journal: usize,
    number: usize,
    date: usize,
    account: usize,
    account_label: usize,
    aux: usize,
    aux_label: usize,
    piece: usize,
    label: usize,
    debit: Option<usize>,
    credit: Option<usize>,
    /// Variant of the FEC with `Montant` and `Sens` (D/C) instead of `Debit` and `Credit`.
    amount_sense: Option<(usize, usize)>,
}

/// Finds the FEC columns in a header (names compared without case).
pub fn resolve_fec_header(header: &[String]) -> Result<FecLayout, String> {
    let folded: Vec<String> = header.iter().map(|h| fold_name(h)).collect();
    let find = |name: &str| folded.iter().position(|h| *h == fold_name(name));
    let need = |name: &str| {
        find(name).ok_or_else(|| {
            format!(
                "colonne « {name} » absente de l'en-tête : ce n'est pas un FEC (colonnes attendues : {})",
                FEC_COLUMNS.join(", ")
            )
        })
    };
    let (debit, credit) = (find("Debit"), find("Credit"));
    let amount_sense = match (find("Montant"), find("Sens")) {
        (Some(m), Some(s)) => Some((m, s)),
        _ => None,
    };
    if (debit.is_none() || credit.is_none()) && amount_sense.is_none() {
        return Err("colonnes « Debit » et « Credit » (ou « Montant » et « Sens ») absentes de l'en-tête du FEC".into());
    }
    Ok(FecLayout {
        journal: need("JournalCode")?,
        number: need("EcritureNum")?,
        date: need("EcritureDate")?,
        account: need("CompteNum")?,
        account_label: need("CompteLib")?,
        aux: need("CompAuxNum")?,
        aux_label: need("CompAuxLib")?,
        piece: need("PieceRef")?,
        label: need("EcritureLib")?,
        debit,
        credit,
        amount_sense,
    })
}

/// Default `EcritureLib` words that tell a FEC line's nature (folded, matched as words).
const FEC_LABEL_DEFAULTS: [(&str, EntryKind); 16] = [
    ("apl", EntryKind::HousingBenefit),
    ("allocation logement", EntryKind::HousingBenefit),
    ("caf", EntryKind::HousingBenefit),
    ("msa", EntryKind::HousingBenefit),
    ("fsl", EntryKind::Aid),
    ("aide", EntryKind::Aid),
    ("regularisation", EntryKind::Regularisation),
    ("regul", EntryKind::Regularisation),
    ("avoir", EntryKind::CreditNote),
    ("non valeur", EntryKind::WriteOff),
    ("irrecouvrable", EntryKind::WriteOff),
    ("effacement", EntryKind::WriteOff),
    ("frais", EntryKind::Fees),
    ("huissier", EntryKind::Fees),
    ("loyer", EntryKind::RentCall),
    ("quittance", EntryKind::RentCall),
];

/// Default `JournalCode` prefixes: sales / rent-call journals and bank / cash journals.
const FEC_JOURNAL_DEFAULTS: [(&str, EntryKind); 10] = [
    ("QT", EntryKind::RentCall),
    ("QUI", EntryKind::RentCall),
    ("LOY", EntryKind::RentCall),
    ("VT", EntryKind::RentCall),
    ("VE", EntryKind::RentCall),
    ("BQ", EntryKind::Payment),
    ("BNQ", EntryKind::Payment),
    ("BAN", EntryKind::Payment),
    ("CA", EntryKind::Payment),
    ("ENC", EntryKind::Payment),
];

/// How FEC lines become tenant-account entries.
#[derive(Debug, Clone)]
pub struct FecRules {
    tenant_prefixes: Vec<String>,
    labels: Vec<(String, EntryKind)>,
    journals: Vec<(String, EntryKind)>,
}

impl FecRules {
    /// Defaults completed by the mapping's `[fec]` table (whose entries are checked first).
    pub fn new(mapping: &Mapping) -> FecRules {
        let tenant_prefixes = mapping
            .fec
            .tenant_accounts
            .clone()
            .unwrap_or_else(|| vec!["411".to_string()]);
        let mut labels: Vec<(String, EntryKind)> = mapping
            .fec
            .labels
            .iter()
            .filter_map(|(l, n)| Some((fold_words(l), nature_code(n)?)))
            .collect();
        labels.extend(FEC_LABEL_DEFAULTS.iter().map(|(l, k)| (fold_words(l), *k)));
        let mut journals: Vec<(String, EntryKind)> = mapping
            .fec
            .journals
            .iter()
            .filter_map(|(j, n)| Some((j.trim().to_uppercase(), nature_code(n)?)))
            .collect();
        journals.extend(
            FEC_JOURNAL_DEFAULTS
                .iter()
                .map(|(j, k)| (format!("{j}*"), *k)),
        );
        FecRules {
            tenant_prefixes,
            labels,
            journals,
        }
    }

    /// Whether a `CompteNum` is a tenant account.
    pub fn is_tenant_account(&self, compte: &str) -> bool {
        self.tenant_prefixes
            .iter()
            .any(|p| compte.trim().starts_with(p.as_str()))
    }

    /// The nature of a FEC line: the mapping's labels, the default label words, the mapping's
    /// journals, the default journal prefixes; failing all, a debit is a rent call and a
    /// credit a payment.
    pub fn kind(&self, journal: &str, label: &str, cents: i64) -> EntryKind {
        let words = format!(" {} ", fold_words(label));
        if let Some((_, k)) = self
            .labels
            .iter()
            .find(|(l, _)| words.contains(&format!(" {l} ")))
        {
            return *k;
        }
        let j = journal.trim().to_uppercase();
        for (pattern, k) in &self.journals {
            let hit = match pattern.strip_suffix('*') {
                Some(prefix) => j.starts_with(prefix),
                None => j == *pattern,
            };
            if hit {
                return *k;
            }
        }
        if cents >= 0 {
            EntryKind::RentCall
        } else {
            EntryKind::Payment
        }
    }
}

/// Folds a text into lowercase ASCII words separated by single spaces.
fn fold_words(text: &str) -> String {
    let folded = fold_key(text);
    let mut out = String::with_capacity(folded.len());
    for w in folded.split(|c: char| !c.is_ascii_alphanumeric()) {
        if w.is_empty() {
            continue;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(w);
    }
    out
}

/// Reads one FEC row. Ok(None) for a line that is not on a tenant account (bank, revenue…).
/// The reference is `fec:JournalCode:EcritureNum`; the tenant is `CompAuxNum` when filled,
/// else `CompteNum`; the amount is `Debit − Credit`.
pub fn parse_fec_row<'a>(
    field: impl Fn(usize) -> Option<&'a [u8]>,
    layout: &FecLayout,
    rules: &FecRules,
    decoder: &mut FieldDecoder,
) -> Result<Option<SourceLine<'a>>, FieldError> {
    let mut text = |i: usize| -> Result<Cow<'a, str>, FieldError> {
        let raw = field(i).ok_or_else(|| {
            FieldError::new(
                i,
                format!(
                    "colonne « {} » manquante (ligne trop courte)",
                    layout.name_of(i)
                ),
            )
        })?;
        decoder
            .decode(raw)
            .map(trim_cow)
            .map_err(|m| FieldError::new(i, m))
    };
    let compte = text(layout.account)?;
    if !rules.is_tenant_account(&compte) {
        return Ok(None);
    }
    let aux = text(layout.aux)?;
    let (account, name) = if aux.is_empty() {
        (compte, text(layout.account_label)?)
    } else {
        (aux, text(layout.aux_label)?)
    };
    let date_text = text(layout.date)?;
    let date = parse_file_date(&date_text).ok_or_else(|| {
        FieldError::new(
            layout.date,
            format!("date « {date_text} » illisible (attendu AAAAMMJJ)"),
        )
    })?;
    let money = |i: usize, s: Cow<'a, str>| {
        if s.is_empty() {
            return Ok(0);
        }
        parse_cents(&s).ok_or_else(|| FieldError::new(i, format!("montant « {s} » illisible")))
    };
    let cents = match (layout.debit, layout.credit, layout.amount_sense) {
        (Some(d), Some(c), _) => money(d, text(d)?)? - money(c, text(c)?)?,
        (_, _, Some((m, s))) => {
            let amount = money(m, text(m)?)?;
            let sense = text(s)?;
            match sense.to_ascii_uppercase().as_str() {
                "D" | "+1" | "1" => amount,
                "C" | "-1" => -amount,
                _ => {
                    return Err(FieldError::new(
                        s,
                        format!("sens « {sense} » illisible (attendu D ou C)"),
                    ));
                }
            }
        }
        _ => 0,
    };
    let journal = text(layout.journal)?;
    let number = text(layout.number)?;
    let label = text(layout.label)?;
    let kind = rules.kind(&journal, &label, cents);
    let reference = if number.is_empty() {
        let piece = text(layout.piece)?;
        (!piece.is_empty()).then(|| Cow::Owned(format!("fec:{journal}:piece:{piece}")))
    } else {
        Some(Cow::Owned(format!("fec:{journal}:{number}")))
    };
    Ok(Some(SourceLine {
        account,
        date,
        kind,
        cents,
        label,
        reference,
        name: Some(name).filter(|n| !n.is_empty()),
    }))
}

impl FecLayout {
    /// Index of the column that names the tenant (`CompAuxNum`).
    pub fn account_column(&self) -> usize {
        self.aux
    }

    fn name_of(&self, i: usize) -> &'static str {
        [
            (self.journal, "JournalCode"),
            (self.number, "EcritureNum"),
            (self.date, "EcritureDate"),
            (self.account, "CompteNum"),
            (self.account_label, "CompteLib"),
            (self.aux, "CompAuxNum"),
            (self.aux_label, "CompAuxLib"),
            (self.piece, "PieceRef"),
            (self.label, "EcritureLib"),
        ]
        .iter()
        .find(|(j, _)| *j == i)
        .map_or("?", |(_, n)| *n)
    }
}

/// Formats cents the way the default CSV writes amounts: `-1234,56` (decimal comma, no
/// grouping, so that every spreadsheet and our import read it back).
pub fn format_cents_csv(cents: i64) -> String {
    let sign = if cents < 0 { "-" } else { "" };
    let abs = cents.unsigned_abs();
    format!("{sign}{},{:02}", abs / 100, abs % 100)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("valid test date")
    }

    #[test]
    fn amounts_in_every_french_and_english_way() {
        assert_eq!(parse_cents("1234,56"), Some(123_456));
        assert_eq!(parse_cents("1 234,56"), Some(123_456));
        assert_eq!(parse_cents("1\u{a0}234,56 €"), Some(123_456));
        assert_eq!(parse_cents("1\u{202f}234,5"), Some(123_450));
        assert_eq!(parse_cents("1.234,56"), Some(123_456));
        assert_eq!(parse_cents("1,234.56"), Some(123_456));
        assert_eq!(parse_cents("1234.56"), Some(123_456));
        assert_eq!(parse_cents("-380,00"), Some(-38_000));
        assert_eq!(parse_cents("380,00-"), Some(-38_000));
        assert_eq!(parse_cents("(45,00)"), Some(-4_500));
        assert_eq!(parse_cents("+12"), Some(1_200));
        assert_eq!(parse_cents("0,5"), Some(50));
        assert_eq!(parse_cents("1.234.567"), Some(123_456_700));
        assert_eq!(parse_cents("1 234 567,8"), Some(123_456_780));
        assert_eq!(parse_cents(",5"), Some(50));
        assert_eq!(parse_cents("1.234"), None);
        assert_eq!(parse_cents("12,345"), None);
        assert_eq!(parse_cents("1,23.4"), None);
        assert_eq!(parse_cents("12,3,4"), None);
        assert_eq!(parse_cents("abc"), None);
        assert_eq!(parse_cents(""), None);
        assert_eq!(parse_cents("-"), None);
        assert_eq!(parse_cents("12a"), None);
    }

    #[test]
    fn dates_french_iso_and_fec() {
        assert_eq!(parse_file_date("05/11/2026"), Some(d(2026, 11, 5)));
        assert_eq!(parse_file_date("5/11/2026"), Some(d(2026, 11, 5)));
        assert_eq!(parse_file_date("05-11-2026"), Some(d(2026, 11, 5)));
        assert_eq!(parse_file_date("2026-11-05"), Some(d(2026, 11, 5)));
        assert_eq!(parse_file_date("20261105"), Some(d(2026, 11, 5)));
        assert_eq!(parse_file_date("2026-11-05T00:00:00"), Some(d(2026, 11, 5)));
        assert_eq!(parse_file_date("05/11/2026 08:30"), Some(d(2026, 11, 5)));
        assert_eq!(parse_file_date("31/02/2026"), None);
        assert_eq!(parse_file_date("2026/13/01"), None);
        assert_eq!(parse_file_date("hier"), None);
        let mut buf = [0u8; 10];
        assert_eq!(iso_date(d(2026, 3, 9), &mut buf), "2026-03-09");
        assert_eq!(parse_iso_date("2026-03-09"), Some(d(2026, 3, 9)));
        assert_eq!(parse_iso_date("2026-02-30"), None);
        assert_eq!(parse_iso_date("09/03/2026"), None);
    }

    #[test]
    fn separator_is_the_most_frequent_outside_quotes() {
        assert_eq!(detect_separator(b"compte;date;nature;montant"), b';');
        assert_eq!(detect_separator(b"compte,date,nature,montant"), b',');
        assert_eq!(
            detect_separator(b"JournalCode\tJournalLib\tEcritureNum"),
            b'\t'
        );
        assert_eq!(
            detect_separator(b"JournalCode|JournalLib|EcritureNum"),
            b'|'
        );
        assert_eq!(detect_separator(b"\"a,b,c\";\"d,e\";f"), b';');
        assert_eq!(detect_separator(b"compte"), b';');
    }

    #[test]
    fn header_by_default_names_or_mapping() {
        let header: Vec<String> = [
            "Compte",
            "Date",
            "Nature",
            "Montant",
            "Libellé",
            "Référence",
        ]
        .map(String::from)
        .to_vec();
        let l = resolve_header(&header, &Mapping::default()).expect("layout");
        assert_eq!(l.get(Field::Label), Some(4));
        assert_eq!(l.get(Field::Reference), Some(5));
        let header: Vec<String> = ["N° locataire", "Date op", "Code", "Débit", "Crédit"]
            .map(String::from)
            .to_vec();
        let mapping: Mapping = toml::from_str(
            "[columns]\ncompte = \"N° locataire\"\ndate = \"Date op\"\nnature = \"Code\"\n",
        )
        .expect("mapping");
        let l = resolve_header(&header, &mapping).expect("layout");
        assert_eq!(l.get(Field::Account), Some(0));
        assert_eq!(l.get(Field::Debit), Some(3));
        assert_eq!(l.get(Field::Credit), Some(4));
        let err = resolve_header(&header, &Mapping::default()).expect_err("no mapping");
        assert!(err.contains("compte"), "{err}");
    }

    #[test]
    fn natures_default_and_mapped() {
        let mapping: Mapping =
            toml::from_str("[natures]\n\"QUIT\" = \"loyer\"\n\"VIR CAF\" = \"apl\"\n")
                .expect("mapping");
        mapping.validate().expect("valid");
        let t = NatureTable::new(&mapping);
        assert_eq!(t.get("loyer"), Some(EntryKind::RentCall));
        assert_eq!(t.get("Non-valeur"), Some(EntryKind::WriteOff));
        assert_eq!(t.get("non_valeur"), Some(EntryKind::WriteOff));
        assert_eq!(t.get("Régularisation"), Some(EntryKind::Regularisation));
        assert_eq!(t.get("quit"), Some(EntryKind::RentCall));
        assert_eq!(t.get("vir caf"), Some(EntryKind::HousingBenefit));
        assert_eq!(t.get("bonbon"), None);
        let bad: Mapping = toml::from_str("[natures]\nX = \"bonbon\"\n").expect("mapping");
        assert!(bad.validate().is_err());
    }

    #[test]
    fn decoder_detects_on_the_first_non_ascii_field() {
        let mut dec = FieldDecoder::new(None);
        assert_eq!(dec.decode(b"abc").expect("ascii"), "abc");
        assert_eq!(dec.encoding(), None);
        assert_eq!(dec.decode(b"B\xe9ranger").expect("1252"), "Béranger");
        assert_eq!(dec.encoding(), Some(TextEncoding::Windows1252));
        let mut dec = FieldDecoder::new(None);
        assert_eq!(dec.decode("Béranger".as_bytes()).expect("utf8"), "Béranger");
        assert!(dec.decode(b"B\xe9ranger").is_err());
        assert_eq!(
            encode("Libellé", Some(TextEncoding::Windows1252)).as_ref(),
            b"Libell\xe9"
        );
    }

    fn line(label: &str, cents: i64, reference: Option<&str>) -> SourceLine<'static> {
        SourceLine {
            account: Cow::Owned("411-1".into()),
            date: d(2026, 11, 5),
            kind: EntryKind::Payment,
            cents,
            label: Cow::Owned(label.into()),
            reference: reference.map(|r| Cow::Owned(r.into())),
            name: None,
        }
    }

    #[test]
    fn references_are_the_source_one_or_a_stable_content_digest_then_ranked() {
        let first = line("Virement", -10_000, None);
        let (a, content) = reference_base(&first);
        assert!(content);
        assert!(a.starts_with("h:") && a.len() == 26, "{a}");
        // The same content gives the same base on every run; another amount, another base.
        assert_eq!(reference_base(&line("Virement", -10_000, None)).0, a);
        assert_ne!(reference_base(&line("Virement", -10_001, None)).0, a);
        // Labels are part of the content; surrounding spaces are not.
        assert_eq!(reference_base(&line(" Virement ", -10_000, None)).0, a);
        assert_ne!(reference_base(&line("Chèque", -10_000, None)).0, a);
        assert_eq!(ranked_reference(&a, true, 1), format!("{a}:1"));
        assert_eq!(ranked_reference(&a, true, 2), format!("{a}:2"));
        let l = line("Loyer", 40_000, Some(" Q-12 "));
        let (r, content) = reference_base(&l);
        assert_eq!((r.as_ref(), content), ("Q-12", false));
        assert_eq!(ranked_reference("Q-12", false, 1), "Q-12");
        assert_eq!(ranked_reference("Q-12", false, 2), "Q-12:2");
    }

    #[test]
    fn fec_natures_by_label_then_journal_then_sign() {
        let rules = FecRules::new(&Mapping::default());
        assert!(rules.is_tenant_account("41100042"));
        assert!(!rules.is_tenant_account("512000"));
        assert_eq!(
            rules.kind("BQ", "Virement CAF APL novembre", -15_000),
            EntryKind::HousingBenefit
        );
        assert_eq!(
            rules.kind("BQ", "Virement Dupont", -15_000),
            EntryKind::Payment
        );
        assert_eq!(
            rules.kind("VT", "Quittancement 11/2026", 50_000),
            EntryKind::RentCall
        );
        assert_eq!(
            rules.kind("OD", "Frais d'huissier", 12_000),
            EntryKind::Fees
        );
        assert_eq!(rules.kind("OD", "Divers", 12_000), EntryKind::RentCall);
        assert_eq!(rules.kind("OD", "Divers", -12_000), EntryKind::Payment);
        let mapping: Mapping = toml::from_str(
            "[fec]\ntenant_accounts = [\"4111\"]\n[fec.journals]\nOD = \"frais\"\n[fec.labels]\n\"bonus\" = \"avoir\"\n",
        )
        .expect("mapping");
        let rules = FecRules::new(&mapping);
        assert!(!rules.is_tenant_account("4110001"));
        assert_eq!(rules.kind("OD", "Divers", 12_000), EntryKind::Fees);
        assert_eq!(
            rules.kind("BQ", "Bonus fidélité", -1_000),
            EntryKind::CreditNote
        );
    }

    #[test]
    fn csv_amounts_are_written_plainly() {
        assert_eq!(format_cents_csv(-123_456), "-1234,56");
        assert_eq!(format_cents_csv(5), "0,05");
        assert_eq!(parse_cents(&format_cents_csv(-123_456)), Some(-123_456));
    }
}
