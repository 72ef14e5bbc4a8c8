//! The letters pane on the workstation's demo database (150 homes, seed 7, 22/11/2026, theme
//! `mono`): the batch with its reasons, unticking, the two-step generation through the store
//! worker, and what the pane says afterwards.

mod tui_common;

use crossterm::event::KeyCode;

use impayes::domain::event::EventDetail;
use impayes::tui::app::Pane;
use tui_common::{Bench, PMULLER, ch, key, screen};

fn letters_bench(dir: &std::path::Path) -> Bench {
    let mut b = Bench::demo(PMULLER);
    b.app.letters.dir = Some(dir.to_path_buf());
    b.key(ch('5'));
    assert_eq!(b.app.pane, Pane::Letters);
    assert!(b.app.letters.batch.is_some(), "batch loaded");
    b
}

#[test]
fn batch_pane_snapshots() {
    let mut b = letters_bench(std::path::Path::new("/srv/courriers/2026-11-22"));
    let n = b.app.letters.batch.as_ref().map_or(0, |x| x.letters.len());
    assert!(n >= 2, "the demo has a batch ({n})");
    for (w, h) in [(80, 24), (120, 40)] {
        insta::assert_snapshot!(format!("letters_batch_{w}x{h}"), screen(&b.app, w, h));
    }
    // Untick the first dossier (space moves down), then press w once: armed.
    b.key(ch(' '));
    assert_eq!(b.app.letters.ticked().len(), n - 1);
    b.key(ch('w'));
    assert!(b.app.letters.armed);
    for (w, h) in [(80, 24), (120, 40)] {
        insta::assert_snapshot!(format!("letters_armed_{w}x{h}"), screen(&b.app, w, h));
    }
    // Any other key disarms.
    b.key(key(KeyCode::Down));
    assert!(!b.app.letters.armed);
    // `e` lists the dossiers the skip rules held back, with why; ticking is refused there.
    b.key(ch('e'));
    assert!(b.app.letters.show_excluded);
    for (w, h) in [(80, 24), (120, 40)] {
        insta::assert_snapshot!(format!("letters_excluded_{w}x{h}"), screen(&b.app, w, h));
    }
    let before = b.app.letters.ticked().len();
    b.key(ch(' '));
    assert_eq!(b.app.letters.ticked().len(), before);
    assert!(b.app.flash.as_ref().is_some_and(|(_, error)| *error));
    b.key(ch('e'));
    assert!(!b.app.letters.show_excluded);
}

#[test]
fn generation_writes_pdfs_records_events_and_says_where() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("lot");
    let mut b = letters_bench(&out);
    let batch = b.app.letters.batch.clone().expect("batch");
    let kept: Vec<_> = batch.letters.iter().skip(1).cloned().collect();
    b.key(ch(' '));
    b.key(ch('w'));
    b.key(ch('w'));
    let report = b.app.letters.report.join("\n");
    assert!(
        report.contains(&format!(
            "{} courrier(s) écrit(s) dans {}",
            kept.len(),
            out.display()
        )),
        "{report}"
    );
    assert!(report.contains("lot_2026-11-22.pdf"), "{report}");
    let pdfs = std::fs::read_dir(&out)
        .expect("output dir")
        .filter(|e| {
            e.as_ref()
                .is_ok_and(|e| e.path().extension().is_some_and(|x| x == "pdf"))
        })
        .count();
    assert_eq!(pdfs, kept.len() + 1);
    // The kept dossiers have today's letter on their timeline; the unticked ones do not.
    let store = b.store();
    let has_letter_today = |household_id: i64| {
        impayes::store::events_of_household(store.conn(), household_id)
            .expect("events")
            .iter()
            .any(|e| {
                e.date == tui_common::today()
                    && e.text.contains("lot du 22/11/2026")
                    && matches!(
                        e.detail,
                        EventDetail::Reminder { .. } | EventDetail::Appointment { .. }
                    )
            })
    };
    for s in &kept {
        assert!(has_letter_today(s.household_id), "{}", s.account);
    }
    for s in batch.letters.iter().take(1) {
        assert!(!has_letter_today(s.household_id), "{}", s.account);
    }
    // The pane reloaded the batch: the generated letters are no longer proposed.
    let again = b.app.letters.batch.as_ref().expect("batch");
    assert_eq!(again.letters.len(), 1);
    let text = screen(&b.app, 80, 24);
    assert!(text.contains("Dernière génération"), "{text}");
}
