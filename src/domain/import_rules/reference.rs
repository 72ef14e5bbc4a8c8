//! What identifies an imported line on its account, so that importing a file twice adds
//! nothing.
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

use super::*;

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
