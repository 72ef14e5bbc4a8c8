//! The entries' two tiers (issue 4's import speed, `store::tiers`): an import writes into the
//! recent tier, which every reader sees as it sees the settled one; a reference stays unique
//! on its account across both; settling (by `compact`, or by an import past the share) changes
//! nothing anyone reads.

mod common;
mod import_common;

use std::path::{Path, PathBuf};
use std::process::Stdio;

use common::*;
use impayes::domain::figures::format_count;
use import_common::count;

/// A demo staff member allowed to write.
const OFFICER: &str = "cmartin";

struct Base {
    dir: tempfile::TempDir,
    db: PathBuf,
}

impl Base {
    /// A small demo base: 200 households over two years, about 13,000 entries, so that an
    /// import of a few lines stays in the recent tier.
    fn demo() -> Base {
        let dir = tempfile::tempdir().expect("dir");
        std::fs::create_dir_all(dir.path().join("home")).expect("home");
        let db = dir.path().join("tiers.sqlite3");
        let base = Base { dir, db };
        let run = base.run(&["demo", "--households", "200", "--months", "24", "--force"]);
        assert_eq!(run.code, 0, "{}", run.stderr);
        base
    }

    fn run(&self, args: &[&str]) -> Run {
        run(binary(&self.dir.path().join("home"), self.dir.path())
            .stdin(Stdio::null())
            .args(["--user", OFFICER])
            .arg("--db")
            .arg(&self.db)
            .args(["--today", TODAY])
            .args(args))
    }

    fn ok(&self, args: &[&str]) -> String {
        let run = self.run(args);
        assert_eq!(
            run.code, 0,
            "{args:?}\nstdout:\n{}\nstderr:\n{}",
            run.stdout, run.stderr
        );
        run.stdout
    }

    fn one(&self, sql: &str) -> i64 {
        rusqlite::Connection::open(&self.db)
            .expect("open")
            .query_row(sql, [], |r| r.get(0))
            .unwrap_or_else(|e| panic!("{sql}: {e}"))
    }

    fn recent(&self) -> i64 {
        self.one("SELECT COUNT(*) FROM entries WHERE tier = 1")
    }

    fn account(&self, k: i64) -> String {
        rusqlite::Connection::open(&self.db)
            .expect("open")
            .query_row(
                "SELECT account FROM households ORDER BY id LIMIT 1 OFFSET ?1",
                [k],
                |r| r.get(0),
            )
            .expect("account")
    }

    fn write(&self, name: &str, lines: &[String]) -> PathBuf {
        let path = self.dir.path().join(name);
        let mut text = String::from("compte;date;nature;montant;libelle;reference\n");
        for l in lines {
            text.push_str(l);
            text.push('\n');
        }
        std::fs::write(&path, text).expect("write");
        path
    }

    fn import(&self, file: &Path) -> Run {
        let file = file.to_str().expect("utf-8");
        let run = self.run(&["import", "accounts", file, "--format", "csv"]);
        import_common::ok(&run);
        run
    }

    /// What officers read of two accounts: the dossier view with its ledger, the export, and
    /// the figures.
    fn readings(&self, a: &str, b: &str) -> Vec<String> {
        vec![
            self.ok(&["show", a, "--format", "json"]),
            self.ok(&["show", b, "--format", "json"]),
            self.ok(&["export", "accounts"]),
            self.ok(&["stats", "--year", "2026"]),
        ]
    }
}

#[test]
fn recent_entries_read_as_settled_ones_and_stay_unique_across_tiers() {
    let base = Base::demo();
    let (a, b) = (base.account(3), base.account(7));
    // A back-dated line and a line on a day the account already has entries: in a reader's
    // order they fall among the settled entries, not after them.
    let lines = vec![
        format!("{a};15/01/2025;paiement;-12,34;Virement ancien;T-1"),
        format!("{a};05/11/2026;loyer;480,00;Loyer novembre complément;T-2"),
        format!("{a};01/12/2026;loyer;512,40;Loyer décembre;T-3"),
        format!("{b};01/12/2026;loyer;498,10;Loyer décembre;T-4"),
        format!("{b};03/12/2026;apl;-210,55;APL décembre;T-5"),
        format!("{b};03/12/2026;paiement;-100,00;Virement;T-5"),
    ];
    let file = base.write("decembre.csv", &lines);
    let run = base.import(&file);
    assert_eq!(count(&run, "Écritures ajoutées"), 6);
    assert!(
        !run.stdout.contains("Regroupement"),
        "a few lines on 13,000 entries stay recent:\n{}",
        run.stdout
    );
    assert_eq!(base.recent(), 6);
    let check = base.ok(&["check"]);
    assert!(
        check.contains("Écritures importées non regroupées : 6 (regroupées au-delà de"),
        "{check}"
    );

    // A re-import meets the recent tier's entries.
    let again = base.import(&file);
    assert_eq!(count(&again, "Écritures ajoutées"), 0);
    assert_eq!(count(&again, "Doublons ignorés"), 6);
    let before = base.readings(&a, &b);

    // Settled: nothing anyone reads changes.
    let compact = base.ok(&["compact"]);
    assert!(
        compact.contains("Écritures récentes regroupées : 6 en"),
        "{compact}"
    );
    assert_eq!(base.recent(), 0);
    assert_eq!(base.readings(&a, &b), before);
    assert!(base.ok(&["check"]).contains("non regroupées : 0"));

    // A re-import meets the settled tier's entries; an overlapping newer export adds only its
    // new lines, into the recent tier.
    let settled = base.import(&file);
    assert_eq!(count(&settled, "Écritures ajoutées"), 0);
    assert_eq!(count(&settled, "Doublons ignorés"), 6);
    let mut newer = lines.clone();
    newer.push(format!("{a};05/12/2026;paiement;-300,00;Virement;T-6"));
    newer.push(format!("{b};01/12/2026;loyer;498,10;Loyer décembre;T-4"));
    let file = base.write("decembre_bis.csv", &newer);
    let overlap = base.import(&file);
    assert_eq!(count(&overlap, "Écritures ajoutées"), 2);
    assert_eq!(count(&overlap, "Doublons ignorés"), 6);
    assert_eq!(base.recent(), 2);
    // The repeated T-4 line took the second rank of its reference, in the recent tier.
    assert_eq!(
        base.one("SELECT COUNT(*) FROM entries WHERE tier = 1 AND reference LIKE 'T-4%'"),
        1
    );
    assert!(base.ok(&["check"]).contains("Soldes des comptes : ok"));
}

#[test]
fn an_import_past_its_share_settles_once_committed() {
    let base = Base::demo();
    let entries = base.one("SELECT COUNT(*) FROM entries");
    // More lines than an eighth of the entries once they are added (a seventh of those
    // before): the import settles after its commit.
    let accounts: Vec<String> = (0..200).map(|k| base.account(k)).collect();
    let lines: Vec<String> = (0..(entries / 7 + 10))
        .map(|i| {
            format!(
                "{};{:02}/12/2026;paiement;-1,00;Virement;S-{i}",
                accounts[(i % 200) as usize],
                1 + i % 28
            )
        })
        .collect();
    let file = base.write("gros.csv", &lines);
    let run = base.import(&file);
    assert!(
        run.stdout.contains(&format!(
            "Regroupement des écritures récentes : {} en",
            format_count(lines.len() as u64)
        )),
        "{}",
        run.stdout
    );
    assert_eq!(base.recent(), 0);
    assert!(base.ok(&["check"]).contains("Soldes des comptes : ok"));
}
