//! What the store worker's answers do to the workstation's model: lists, the lookup index,
//! a household's file, written changes, another session's writes, and refusals.

use super::app::{App, Overlay};
use super::worker::{Reply, Request};

impl App {
    /// Takes one worker answer; returns what to ask next.
    pub(super) fn on_reply(&mut self, reply: Reply) -> Vec<Request> {
        match reply {
            Reply::Snapshot(s) => {
                let s = *s;
                let mut out = self.on_reply(Reply::Lists(Box::new(super::worker::Lists {
                    portfolio: s.portfolio,
                    staff: s.staff,
                    sectors: s.sectors,
                    households: s.households,
                    can_read_social: s.can_read_social,
                })));
                out.extend(self.on_reply(Reply::Index(Box::new(s.index))));
                out
            }
            Reply::Lists(l) => {
                let l = *l;
                self.portfolio.set_rows(l.portfolio, self.today);
                self.staff = l.staff;
                self.sectors = l.sectors;
                self.households = Some(l.households);
                let mut out = self.reload_household();
                out.extend(self.after_lists());
                out
            }
            Reply::FirstPage(l) => self.on_first_page(*l),
            Reply::Index(index) => {
                self.index = Some(*index);
                // Refresh an open lookup against the new index.
                if let Some(Overlay::Lookup(l)) = self.overlays.last_mut() {
                    l.reset();
                    l.run(self.index.as_ref());
                }
                Vec::new()
            }
            Reply::Household { generation, file } => {
                if generation == self.generation
                    && let Some(d) = &mut self.dossier
                    && d.household_id == file.household.id
                {
                    d.set_file(file, self.today, &self.rules, &self.detection);
                }
                Vec::new()
            }
            Reply::Written {
                household_id,
                row,
                dossier_id,
                message,
            } => {
                if let Some(id) = dossier_id {
                    self.portfolio.update_row(id, row.map(|r| *r), self.today);
                }
                if let Some(Overlay::Form(f)) = self.overlays.last()
                    && f.pending
                {
                    self.overlays.pop();
                }
                self.flash = Some((message, false));
                let mut out = if self
                    .dossier
                    .as_ref()
                    .is_some_and(|d| d.household_id == household_id)
                {
                    self.reload_household()
                } else {
                    Vec::new()
                };
                out.extend(self.after_write(household_id));
                out
            }
            Reply::Stats { generation, stats } => {
                self.dashboard.set_stats(generation, stats);
                Vec::new()
            }
            Reply::ExternalChange => {
                self.flash = Some(("Données mises à jour par un autre poste".into(), false));
                let mut out = vec![Request::Snapshot];
                if self.review.loaded {
                    out.push(Request::Review(super::review_worker::ReviewRequest::Load));
                }
                out.extend(self.dashboard_after_external_change());
                out
            }
            Reply::Review(r) => self.on_review_reply(r),
            Reply::LettersPlan { batch, output } => {
                self.letters.set_batch(*batch, output);
                Vec::new()
            }
            Reply::LettersDone(lines) => {
                self.flash = lines.first().map(|l| (l.clone(), false));
                self.letters.report = lines;
                self.letters.busy = true;
                vec![
                    Request::LettersPlan { today: self.today },
                    Request::Snapshot,
                ]
            }
            Reply::Failed(message) => {
                self.letters.busy = false;
                if let Some(Overlay::Form(f)) = self.overlays.last_mut()
                    && f.pending
                {
                    f.pending = false;
                    f.form.error = Some(format!("Enregistrement refusé : {message}"));
                } else {
                    self.flash = Some((message, true));
                }
                Vec::new()
            }
            Reply::Todo { .. } | Reply::LegalDates { .. } => self.on_actions_reply(reply),
        }
    }
}
