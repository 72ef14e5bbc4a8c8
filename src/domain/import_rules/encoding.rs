//! The text encodings an ERP export may use (UTF-8, with or without BOM, or Windows-1252),
//! detected as fields stream by, and the encoding of what the import writes back (rejects).

use super::*;

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
