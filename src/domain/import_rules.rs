//! Rules for reading tenant accounts out of the landlord's books (domain.md §8): the default
//! CSV layout and its TOML mapping, amounts, dates, nature labels, separator and text-encoding
//! detection, the FEC's columns and how its lines become account entries, and the references
//! that make an import idempotent. Pure functions: the reading of files is the CLI's.
//!
//! The references that make an import idempotent are in `reference`.

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;

use chrono::{Datelike, NaiveDate};
use serde::Deserialize;
use sha2::{Digest, Sha256};

use super::fold::fold_key;
use super::ledger::EntryKind;

/// The maps read once or more a line (columns, natures): a fast hasher, not SipHash (their
/// keys come from the file's header and the mapping, not from an adversary).
pub type FastMap<K, V> = HashMap<K, V, foldhash::fast::FixedState>;

mod encoding;
mod fec;
mod reference;
pub use encoding::{FieldDecoder, TextEncoding, encode};
pub use fec::{FEC_COLUMNS, FecLayout, FecRules, parse_fec_row, resolve_fec_header};
pub use reference::{SourceLine, content_digest, ranked_reference, reference_base};

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
    pub columns: FastMap<Field, usize>,
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
    by_folded: FastMap<String, EntryKind>,
    /// The same labels as written (the usual case), to skip folding.
    exact: FastMap<String, EntryKind>,
}

impl NatureTable {
    /// Builds the table from the defaults and the mapping's `[natures]`.
    pub fn new(mapping: &Mapping) -> NatureTable {
        let mut by_folded = FastMap::default();
        for k in EntryKind::ALL {
            for name in [k.erp_label(), k.code(), k.label_fr()] {
                by_folded.insert(fold_name(name), k);
            }
        }
        for (name, k) in COMMON_NATURES {
            by_folded.insert(fold_name(name), k);
        }
        let mut exact = FastMap::default();
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
    super::dates::parse_iso(text)
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

/// Formats cents the way the default CSV writes amounts: `-1234,56` (decimal comma, no
/// grouping, so that every spreadsheet and our import read it back).
pub fn format_cents_csv(cents: i64) -> String {
    let sign = if cents < 0 { "-" } else { "" };
    let abs = cents.unsigned_abs();
    format!("{sign}{},{:02}", abs / 100, abs % 100)
}

#[cfg(test)]
mod tests;
