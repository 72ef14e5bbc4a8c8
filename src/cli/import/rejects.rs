//! The rejects file of `import accounts --skip-invalid`: the rejected lines as read, in the
//! source's separator and encoding, with the line number and what is wrong.

use std::fs::File;
use std::io::BufWriter;
use std::path::PathBuf;

use anyhow::{Context as _, Result};

use crate::domain::import_rules::{TextEncoding, encode};

/// The rejects file, created at the first reject.
pub(super) struct Rejects {
    pub(super) path: PathBuf,
    pub(super) separator: u8,
    pub(super) header: csv::ByteRecord,
    pub(super) writer: Option<csv::Writer<BufWriter<File>>>,
    pub(super) write: bool,
    pub(super) bom: bool,
    pub(super) count: u64,
    pub(super) samples: Vec<String>,
}

impl Rejects {
    pub(super) fn add(
        &mut self,
        record: &csv::ByteRecord,
        line: u64,
        message: &str,
        encoding: Option<TextEncoding>,
    ) -> Result<()> {
        self.count += 1;
        if self.samples.len() < 20 {
            self.samples.push(format!("ligne {line} : {message}"));
        }
        if !self.write {
            return Ok(());
        }
        if self.writer.is_none() {
            let mut file = File::create(&self.path).with_context(|| {
                format!(
                    "impossible de créer le fichier des rejets « {} »",
                    self.path.display()
                )
            })?;
            if self.bom {
                std::io::Write::write_all(&mut file, &[0xEF, 0xBB, 0xBF])?;
            }
            let mut w = csv::WriterBuilder::new()
                .delimiter(self.separator)
                .flexible(true)
                .from_writer(BufWriter::new(file));
            let mut header = self.header.clone();
            header.push_field(b"ligne");
            header.push_field(b"erreur");
            w.write_byte_record(&header)?;
            self.writer = Some(w);
        }
        if let Some(w) = self.writer.as_mut() {
            let mut out = record.clone();
            out.push_field(line.to_string().as_bytes());
            out.push_field(&encode(message, encoding));
            w.write_byte_record(&out)?;
        }
        Ok(())
    }

    pub(super) fn finish(&mut self) -> Result<Option<PathBuf>> {
        match self.writer.take() {
            Some(mut w) => {
                w.flush().with_context(|| {
                    format!("écriture impossible dans « {} »", self.path.display())
                })?;
                Ok(Some(self.path.clone()))
            }
            None => Ok(None),
        }
    }
}
