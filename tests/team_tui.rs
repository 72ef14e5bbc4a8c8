//! Two officers on one dossier in the workstation: the second save is refused, the input kept
//! and the other officer's version loaded; and a form's draft is captured and reopened.

mod tui_common;

use crossterm::event::KeyCode;

use impayes::store::{self, Stamp, Store};
use impayes::tui::app::Overlay;
use impayes::tui::draft;
use tui_common::{Bench, ELODIE_ID, PMULLER, ch, ctrl, key};

fn open_dossier_id(b: &Bench) -> i64 {
    b.file().open_dossier().expect("open dossier").id
}

fn form_error(b: &Bench) -> Option<String> {
    match b.app.overlays.last() {
        Some(Overlay::Form(f)) => f.form.error.clone(),
        _ => None,
    }
}

#[test]
fn a_save_over_another_officers_change_is_refused_and_the_input_kept() {
    let mut b = Bench::demo(PMULLER);
    b.open(ELODIE_ID);
    let dossier_id = open_dossier_id(&b);
    b.key(ch('n'));
    for _ in 0..4 {
        b.key(key(KeyCode::Tab));
    }
    b.key(ctrl('u'));
    b.type_text("Ma version");
    // Meanwhile another officer saves the same dossier.
    {
        let mut other = Store::open(&b.db).expect("open");
        other.set_actor(Some("ywalter")).expect("actor");
        other
            .write(|c| {
                let mut d = store::dossier(c, dossier_id)?;
                d.next_action = Some("Sa version".into());
                store::update_dossier(c, &d, &Stamp::now("ywalter"))
            })
            .expect("other save");
    }
    let reqs = b.press(ctrl('s'));
    b.serve(reqs);
    let error = form_error(&b).expect("the form says why");
    assert!(error.contains("modifié par ywalter"), "{error}");
    assert!(error.contains("rien n'a été écrasé"), "{error}");
    match b.app.overlays.last() {
        Some(Overlay::Form(f)) => assert_eq!(f.form.get("next_action"), "Ma version"),
        _ => panic!("the form stays open"),
    }
    let stored = store::dossier(b.store().conn(), dossier_id).expect("dossier");
    assert_eq!(stored.next_action.as_deref(), Some("Sa version"));
}

#[test]
fn a_draft_is_captured_and_reopened_in_the_same_form() {
    let mut b = Bench::demo(PMULLER);
    b.open(ELODIE_ID);
    b.key(ch('r'));
    for _ in 0..3 {
        b.key(key(KeyCode::Tab));
    }
    b.type_text("Avant la coupure");
    let d = draft::capture(&b.app).expect("a dirty form is captured");
    assert_eq!(d.household_id, ELODIE_ID);
    assert_eq!(d.form, draft::DraftForm::Event("reminder".into()));
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("brouillons").join("pmuller.json");
    draft::save(&path, &d).expect("save");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&path).expect("meta").permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    assert!(
        draft::load(&path, "another.sqlite3").is_none(),
        "drafts are per database"
    );
    let back = draft::load(&path, &d.db).expect("load");

    let mut fresh = Bench::demo(PMULLER);
    assert!(
        !draft::reopen(&mut fresh.app, &back),
        "waits for the household's file"
    );
    fresh.open(ELODIE_ID);
    assert!(draft::reopen(&mut fresh.app, &back));
    match fresh.app.overlays.last() {
        Some(Overlay::Form(f)) => {
            assert!(f.form.title.contains("Relance"), "{}", f.form.title);
            assert!(f.form.values().values().any(|v| v == "Avant la coupure"));
            assert!(
                f.form
                    .hint
                    .as_deref()
                    .is_some_and(|h| h.contains("Saisie interrompue"))
            );
        }
        _ => panic!("the form is reopened"),
    }
}
