//! Files of several reading chunks (4,096 lines each): once the encoding is known, every
//! other chunk is parsed on a helper thread (`cli/import/stream.rs`). The lines must still be
//! decoded with the encoding the file's start decided, counted in file order, and the first
//! invalid line must still be the one reported or the first one rejected.

mod common;
mod import_common;

use common::*;
use import_common::*;

/// Lines per reading chunk in `stream.rs`.
const CHUNK: usize = 4096;

/// A Windows-1252 file of `n` payments on Paul's account, each with its own reference and an
/// accented label, with a date that cannot be read on the 1-based data lines in `bad`.
fn windows_1252_file(s: &Sandbox, n: usize, bad: &[usize]) -> std::path::PathBuf {
    let mut text = String::from("compte;date;nature;montant;libelle;reference\n");
    for i in 1..=n {
        let date = if bad.contains(&i) {
            "31/02/2026"
        } else {
            "03/11/2026"
        };
        text.push_str(&format!(
            "{PAUL};{date};paiement;-1,00;Chèque réglé n° {i};CH-{i}\n"
        ));
    }
    let (bytes, _, _) = encoding_rs::WINDOWS_1252.encode(&text);
    let path = s.path("grand_livre.csv");
    std::fs::write(&path, &bytes).expect("write");
    path
}

#[test]
fn a_file_of_several_chunks_reports_its_first_invalid_line_and_writes_nothing() {
    let s = Sandbox::new();
    // Data line 5,000 is in the second chunk (the helper's), 13,000 in the fourth.
    let (first, second) = (CHUNK + 904, 3 * CHUNK + 712);
    let file = windows_1252_file(&s, 4 * CHUNK + 100, &[second, first]);
    let before = s.state();
    let run = import_file(&s, &file, &[]);
    assert_eq!(run.code, 1, "{}", run.stdout);
    // The header is line 1.
    let at = format!(
        "grand_livre.csv:{}:2 : date « 31/02/2026 » illisible",
        first + 1
    );
    assert!(run.stderr.contains(&at), "{}", run.stderr);
    assert_eq!(s.state(), before);
}

#[test]
fn a_file_of_several_chunks_is_decoded_counted_and_rejected_in_file_order() {
    let s = Sandbox::new();
    let n = 4 * CHUNK + 100;
    let bad = [CHUNK + 904, 2 * CHUNK + 7, 3 * CHUNK + 712];
    let file = windows_1252_file(&s, n, &bad);
    let run = import_file(&s, &file, &["--skip-invalid"]);
    ok(&run);
    assert!(run.stdout.contains("Windows-1252"), "{}", run.stdout);
    assert_eq!(count(&run, "Lignes lues"), n as u64);
    assert_eq!(count(&run, "Écritures ajoutées"), (n - bad.len()) as u64);
    assert_eq!(count(&run, "Lignes rejetées"), bad.len() as u64);
    // Every chunk's labels decoded as Windows-1252, the helper's too.
    let decoded: i64 = s.one(
        "SELECT COUNT(*) FROM entries WHERE label LIKE 'Chèque réglé n° %'
         AND reference LIKE 'CH-%'",
    );
    assert_eq!(decoded, (n - bad.len()) as i64);
    // The rejects, in file order, with their line numbers (the header is line 1).
    let rejects = std::fs::read(s.path("grand_livre.rejets.csv")).expect("rejects");
    let (text, _, _) = encoding_rs::WINDOWS_1252.decode(&rejects);
    let lines: Vec<u64> = text
        .lines()
        .skip(1)
        .map(|l| {
            l.split(';')
                .nth(6)
                .and_then(|n| n.parse().ok())
                .unwrap_or_else(|| panic!("no line number in « {l} »"))
        })
        .collect();
    assert_eq!(lines, bad.map(|b| b as u64 + 1));
    // And the balance moved by every payment imported.
    assert_eq!(
        s.balance(PAUL) - before_balance_of_paul(),
        -100 * (n - bad.len()) as i64
    );
}

/// Paul's balance in the fixture, read from a fresh sandbox.
fn before_balance_of_paul() -> i64 {
    Sandbox::new().balance(PAUL)
}
