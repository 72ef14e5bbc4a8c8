//! Keys inside the overlays (lookup, event-kind picker, palette, forms): while one of them has
//! focus, letters are text, not commands.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::app::{App, Confirm, Overlay, Pane};
use super::form::FormOutcome;
use super::forms::{self, Purpose, Submitted};
use super::keymap::{ACTIONS, Ctx};
use super::worker::Request;

impl App {
    pub(super) fn key_lookup(&mut self, key: KeyEvent) -> Vec<Request> {
        let Some(Overlay::Lookup(l)) = self.overlays.last_mut() else {
            return Vec::new();
        };
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        match key.code {
            KeyCode::Esc => {
                self.overlays.pop();
                self.review.adding = false;
            }
            KeyCode::Enter => {
                let chosen = l
                    .hits
                    .get(l.cursor)
                    .and_then(|h| self.index.as_ref().map(|i| i.household_id(h.index)));
                if let Some(id) = chosen {
                    self.overlays.pop();
                    if self.review.adding {
                        return self.review_add_household(id);
                    }
                    return self.open_household(id);
                }
            }
            KeyCode::Down => l.move_by(1),
            KeyCode::Char('n' | 'j') if ctrl => l.move_by(1),
            KeyCode::Up => l.move_by(-1),
            KeyCode::Char('p' | 'k') if ctrl => l.move_by(-1),
            KeyCode::PageDown => l.move_by(10),
            KeyCode::PageUp => l.move_by(-10),
            KeyCode::Char('u') if ctrl => {
                l.query.clear();
                l.run(self.index.as_ref());
            }
            KeyCode::Backspace => {
                l.query.pop();
                l.run(self.index.as_ref());
            }
            KeyCode::Char(c) if !ctrl => {
                l.query.push(c);
                l.run(self.index.as_ref());
            }
            _ => {}
        }
        Vec::new()
    }

    pub(super) fn key_kinds(&mut self, key: KeyEvent) -> Vec<Request> {
        let Some(Overlay::Kinds(k)) = self.overlays.last_mut() else {
            return Vec::new();
        };
        let n = k.items().len();
        match key.code {
            KeyCode::Esc => {
                self.overlays.pop();
            }
            KeyCode::Down => k.cursor = (k.cursor + 1).min(n.saturating_sub(1)),
            KeyCode::Up => k.cursor = k.cursor.saturating_sub(1),
            KeyCode::Backspace => {
                k.query.pop();
                k.cursor = 0;
            }
            KeyCode::Char(c) if !key.modifiers.contains(KeyModifiers::CONTROL) => {
                k.query.push(c);
                k.cursor = 0;
            }
            KeyCode::Enter => {
                if let Some((code, _, _)) = k.items().get(k.cursor).copied() {
                    self.overlays.pop();
                    self.start_event(code);
                }
            }
            _ => {}
        }
        Vec::new()
    }

    pub(super) fn key_palette(&mut self, key: KeyEvent) -> Vec<Request> {
        let Some(Overlay::Palette(p)) = self.overlays.last_mut() else {
            return Vec::new();
        };
        let n = p.items().len();
        match key.code {
            KeyCode::Esc => {
                self.overlays.pop();
            }
            KeyCode::Down => p.cursor = (p.cursor + 1).min(n.saturating_sub(1)),
            KeyCode::Up => p.cursor = p.cursor.saturating_sub(1),
            KeyCode::Backspace => {
                p.query.pop();
                p.cursor = 0;
            }
            KeyCode::Char(c) if !key.modifiers.contains(KeyModifiers::CONTROL) => {
                p.query.push(c);
                p.cursor = 0;
            }
            KeyCode::Enter => {
                if let Some(&i) = p.items().get(p.cursor) {
                    self.overlays.pop();
                    let info = &ACTIONS[i];
                    match info.ctx {
                        Ctx::Dossier if self.pane != Pane::Dossier => {
                            self.flash = Some((
                                "Cette commande s'applique à un dossier ouvert".into(),
                                true,
                            ));
                            return Vec::new();
                        }
                        Ctx::Portfolio => self.pane = Pane::Portfolio,
                        _ => {}
                    }
                    return self.perform(info.action);
                }
            }
            _ => {}
        }
        Vec::new()
    }

    pub(super) fn key_form(&mut self, key: KeyEvent) -> Vec<Request> {
        let Some(Overlay::Form(state)) = self.overlays.last_mut() else {
            return Vec::new();
        };
        if state.pending {
            return Vec::new();
        }
        match state.form.handle(&key) {
            FormOutcome::Continue => Vec::new(),
            FormOutcome::Cancel => {
                if state.form.dirty {
                    self.confirm = Some(Confirm::DropForm);
                } else {
                    self.overlays.pop();
                }
                Vec::new()
            }
            FormOutcome::Submit => {
                let purpose = state.purpose.clone();
                let form = &mut state.form;
                let dossier = self
                    .dossier
                    .as_ref()
                    .and_then(|d| d.file.as_ref())
                    .and_then(|f| f.open_dossier().cloned());
                let submitted = match &purpose {
                    Purpose::Event { household_id, code } => {
                        forms::submit_event(form, *household_id, code)
                    }
                    Purpose::Phase { dossier_id } => forms::submit_phase(form, *dossier_id),
                    Purpose::FollowUp { .. } => dossier
                        .as_ref()
                        .and_then(|d| forms::submit_follow_up(form, d)),
                    Purpose::PlanSetup { dossier_id } => {
                        forms::submit_plan_setup(form, *dossier_id)
                    }
                    Purpose::PlanInstalments {
                        dossier_id,
                        signed_on,
                        caf_approved,
                    } => {
                        forms::submit_plan_instalments(form, *dossier_id, *signed_on, *caf_approved)
                    }
                    Purpose::Filters => forms::submit_filters(form),
                    Purpose::AddAction { dossier_id } => {
                        super::actions_pane::submit_action(form, *dossier_id, &self.staff)
                    }
                };
                match submitted {
                    None => Vec::new(),
                    Some(Submitted::Write(cmd)) => {
                        state.pending = true;
                        match state.base {
                            Some((dossier_id, version)) => vec![Request::WriteIfUnchanged {
                                cmd,
                                dossier_id,
                                version,
                            }],
                            None => vec![Request::Write(cmd)],
                        }
                    }
                    Some(Submitted::Next(form, purpose)) => {
                        self.overlays.pop();
                        self.push_form(form, purpose);
                        Vec::new()
                    }
                    Some(Submitted::Filters(filters)) => {
                        self.overlays.pop();
                        self.portfolio.filters = filters;
                        self.portfolio.refresh(self.today, None);
                        Vec::new()
                    }
                }
            }
        }
    }
}
