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

/// A chunk of raw records (line number, byte position, record), read but not yet parsed.
type RawChunk = Vec<(u64, u64, csv::ByteRecord)>;

/// Parses one record into an item; true when reading must stop after it (an invalid line and
/// invalid lines are not skipped).
fn parse_record(
    parser: &Parser,
    record: &csv::ByteRecord,
    line_no: u64,
    decoder: &mut FieldDecoder,
    keep_going: bool,
    keep_raw: bool,
) -> (Item, bool) {
    match parser.parse(record, decoder) {
        Ok(Some(line)) => {
            let content_base = match reference_base(&line) {
                (base, true) => Some(base.into_owned()),
                (_, false) => None,
            };
            let item = Item::Line {
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
            };
            (item, false)
        }
        Ok(None) => (Item::Other, false),
        Err(e) => (
            Item::Invalid {
                line_no,
                column: e.column,
                message: e.message,
                raw: record.clone(),
                encoding: decoder.encoding(),
            },
            !keep_going,
        ),
    }
}

/// Parses a raw chunk; true when reading must stop (see `parse_record`): the items end with
/// the invalid line.
fn parse_chunk(
    parser: &Parser,
    raw: &RawChunk,
    decoder: &mut FieldDecoder,
    keep_going: bool,
    keep_raw: bool,
) -> (Chunk, bool) {
    let mut items = Vec::with_capacity(raw.len());
    let mut position = 0;
    for (line_no, pos, record) in raw {
        let (item, stop) = parse_record(parser, record, *line_no, decoder, keep_going, keep_raw);
        items.push(item);
        position = *pos;
        if stop {
            return (Chunk { items, position }, true);
        }
    }
    (Chunk { items, position }, false)
}

/// Reads up to `CHUNK_LINES` records into `raw` (emptied first), skipping blank lines; Err
/// with the message when the file cannot be read. `lines` and `position` follow the file.
fn read_chunk<R: std::io::Read>(
    reader: &mut csv::Reader<R>,
    raw: &mut RawChunk,
    lines: &mut u64,
    position: &mut u64,
    shown: &str,
) -> std::result::Result<(), String> {
    let mut n = 0;
    while n < CHUNK_LINES {
        if raw.len() == n {
            raw.push((0, 0, csv::ByteRecord::new()));
        }
        let slot = &mut raw[n];
        match reader.read_byte_record(&mut slot.2) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => return Err(format!("lecture impossible de « {shown} » : {e}")),
        }
        let record = &slot.2;
        if record.len() == 1 && record[0].iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        *lines += 1;
        let pos = record.position();
        slot.0 = pos.map_or(*lines + 1, |p| p.line());
        *position = pos.map_or(*position, |p| p.byte());
        slot.1 = *position;
        n += 1;
    }
    raw.truncate(n);
    Ok(())
}

/// Reads every record after the header, parses it and sends it on; returns the decoder (its
/// encoding found). Stops early when the receiver is gone (the writing side failed) or, unless
/// `keep_going`, after the first invalid line. `keep_raw` keeps each line's raw record.
///
/// Once the encoding is known (given, or decided by the first field that is not plain ASCII:
/// it never changes after), every other chunk is parsed by a helper thread while this one
/// reads and parses the next: parsing is most of the reading, and the writing side waits for a
/// whole batch before it writes. Chunks are still sent in file order, so the first invalid
/// line is still the first one the writing side meets. Before the encoding is known, chunks
/// are parsed here, in order, as each line may be the one that decides it.
pub(super) fn read_all<R: std::io::Read>(
    reader: &mut csv::Reader<R>,
    parser: &Parser,
    mut decoder: FieldDecoder,
    keep_going: bool,
    keep_raw: bool,
    shown: &str,
    tx: &SyncSender<Message>,
) -> FieldDecoder {
    let (lines, position) = (&mut 0u64, &mut 0u64);
    std::thread::scope(|scope| {
        // To the helper: a raw chunk and the (decided) decoder; back: the parsed chunk, whether
        // to stop, and the raw chunk's buffers for reuse.
        let (to_helper, helper_in) = sync_channel::<(RawChunk, FieldDecoder)>(1);
        let (helper_out, from_helper) = sync_channel::<(Chunk, bool, RawChunk)>(1);
        scope.spawn(move || {
            for (raw, mut d) in helper_in {
                let (chunk, stop) = parse_chunk(parser, &raw, &mut d, keep_going, keep_raw);
                if helper_out.send((chunk, stop, raw)).is_err() {
                    return;
                }
            }
        });
        let mut spare: Option<RawChunk> = None;
        let mut raw: RawChunk = Vec::new();
        // The chunk the helper is parsing, if any (it comes before the one read after it).
        let mut in_flight = false;
        loop {
            if let Err(m) = read_chunk(reader, &mut raw, lines, position, shown) {
                // The lines the helper holds come before the failure.
                if in_flight
                    && let Ok((chunk, stop, _)) = from_helper.recv()
                    && (tx.send(Ok(chunk)).is_err() || stop)
                {
                    return decoder;
                }
                let _ = tx.send(Err(m));
                return decoder;
            }
            let end = raw.is_empty();
            if !end && !in_flight && decoder.encoding().is_some() {
                let next = spare.take().unwrap_or_default();
                if to_helper
                    .send((std::mem::replace(&mut raw, next), decoder))
                    .is_err()
                {
                    return decoder;
                }
                in_flight = true;
                continue;
            }
            let own = (!end).then(|| parse_chunk(parser, &raw, &mut decoder, keep_going, keep_raw));
            if in_flight {
                in_flight = false;
                let Ok((chunk, stop, back)) = from_helper.recv() else {
                    return decoder;
                };
                spare = Some(back);
                if tx.send(Ok(chunk)).is_err() || stop {
                    return decoder;
                }
            }
            match own {
                Some((chunk, stop)) => {
                    if tx.send(Ok(chunk)).is_err() || stop {
                        return decoder;
                    }
                }
                None => return decoder,
            }
        }
    })
}
