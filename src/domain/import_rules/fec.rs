//! The FEC (fichier des écritures comptables, domain.md §8): its columns, where the import
//! finds them in a header, and how a FEC line becomes a tenant's account entry.

use super::*;

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
