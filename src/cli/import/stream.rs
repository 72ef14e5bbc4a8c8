//! The reading side of an import, on its own thread: records are read, decoded and parsed
//! (and a content reference digested when a line has no source reference) on one core while
//! the other stores the previous lines. Lines cross over in chunks through a bounded channel,
//! so that at most `CHUNKS_IN_FLIGHT` chunks wait in memory whatever the size of the file.
//!
//! Items keep the order of the file; every error names its line as before, and reading stops at
//! the first bad line unless invalid lines are skipped.

use std::borrow::Cow;
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};

use crate::domain::import_rules::{FieldDecoder, SourceLine, TextEncoding, reference_base};

use super::Parser;

/// Lines per chunk sent to the writing side.
const CHUNK_LINES: usize = 4096;
/// Chunks waiting in the channel at most (131,072 lines, about 20 MB): the reading starts
/// while the writing side loads the accounts (about 70 ms at 100,000 households, a third of a
/// second at 500,000), and goes on parsing meanwhile instead of stopping a few chunks in.
const CHUNKS_IN_FLIGHT: usize = 32;

/// One data record of the file, parsed.
pub(super) enum Item {
    /// A line to store.
    Line {
        /// Line number in the file (1-based, the header is line 1).
        line_no: u64,
        /// The parsed line, owned.
        line: SourceLine<'static>,
        /// Its content reference base (`h:…`) when the file gives no source reference; None:
        /// the trimmed source reference is the base.
        content_base: Option<String>,
        /// The raw record, kept only when it may have to go to the rejects file.
        raw: Option<csv::ByteRecord>,
        /// Encoding found so far, to write the rejects file in it.
        encoding: Option<TextEncoding>,
    },
    /// A line that cannot be read.
    Invalid {
        /// Line number in the file.
        line_no: u64,
        /// 1-based column.
        column: usize,
        /// What is wrong (French).
        message: String,
        /// The raw record, for the rejects file.
        raw: csv::ByteRecord,
        /// Encoding found so far, to write the rejects file in it.
        encoding: Option<TextEncoding>,
    },
    /// A FEC line on another account than a tenant's.
    Other,
}

/// A chunk of items and how far into the file the reading is.
pub(super) struct Chunk {
    /// Items in file order.
    pub items: Vec<Item>,
    /// Bytes read so far, for the progress bar.
    pub position: u64,
}

/// What the reading thread sends: chunks, or the error that stopped it.
pub(super) type Message = std::result::Result<Chunk, String>;

/// Makes the bounded channel between the two sides.
pub(super) fn channel() -> (SyncSender<Message>, Receiver<Message>) {
    sync_channel(CHUNKS_IN_FLIGHT)
}

fn owned(c: Cow<'_, str>) -> Cow<'static, str> {
    Cow::Owned(c.into_owned())
}

/// Reads every record after the header, parses it and sends it on; returns the decoder (its
/// encoding found). Stops early when the receiver is gone (the writing side failed) or, unless
/// `keep_going`, after the first invalid line. `keep_raw` keeps each line's raw record.
pub(super) fn read_all<R: std::io::Read>(
    reader: &mut csv::Reader<R>,
    parser: &Parser,
    mut decoder: FieldDecoder,
    keep_going: bool,
    keep_raw: bool,
    shown: &str,
    tx: &SyncSender<Message>,
) -> FieldDecoder {
    let mut record = csv::ByteRecord::new();
    let mut items = Vec::with_capacity(CHUNK_LINES);
    let mut lines = 0u64;
    let mut position = 0u64;
    loop {
        match reader.read_byte_record(&mut record) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => {
                let _ = tx.send(Err(format!("lecture impossible de « {shown} » : {e}")));
                return decoder;
            }
        }
        if record.len() == 1 && record[0].iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        lines += 1;
        let pos = record.position();
        let line_no = pos.map_or(lines + 1, |p| p.line());
        position = pos.map_or(position, |p| p.byte());
        let mut stop = false;
        let item = match parser.parse(&record, &mut decoder) {
            Ok(Some(line)) => {
                let content_base = match reference_base(&line) {
                    (base, true) => Some(base.into_owned()),
                    (_, false) => None,
                };
                Item::Line {
                    line_no,
                    line: SourceLine {
                        account: owned(line.account),
                        date: line.date,
                        kind: line.kind,
                        cents: line.cents,
                        label: owned(line.label),
                        reference: line.reference.map(owned),
                        name: line.name.map(owned),
                    },
                    content_base,
                    raw: keep_raw.then(|| record.clone()),
                    encoding: decoder.encoding(),
                }
            }
            Ok(None) => Item::Other,
            Err(e) => {
                stop = !keep_going;
                Item::Invalid {
                    line_no,
                    column: e.column,
                    message: e.message,
                    raw: record.clone(),
                    encoding: decoder.encoding(),
                }
            }
        };
        items.push(item);
        if stop || items.len() == CHUNK_LINES {
            let chunk = Chunk {
                items: std::mem::replace(&mut items, Vec::with_capacity(CHUNK_LINES)),
                position,
            };
            if tx.send(Ok(chunk)).is_err() || stop {
                return decoder;
            }
        }
    }
    if !items.is_empty() {
        let _ = tx.send(Ok(Chunk { items, position }));
    }
    decoder
}
