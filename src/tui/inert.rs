//! The one gate where database text enters the workstation: every reply of the store worker
//! passes through `reply` before the model sees it, so names, addresses, labels, notes, the
//! meeting's agenda and decisions and the sector names of the figures are
//! inert (domain::inert) whichever pane or widget draws them. What escapes this gate (the kind
//! fields of an event) still meets ratatui, which drops C0/C1 controls, and `InertBackend`,
//! which replaces bidi controls in every cell drawn.

use crate::domain::inert::{inert_field, inert_text, is_hostile};
use crate::domain::portfolio::{HouseholdFile, HouseholdSummary, PortfolioRow};

use super::review_worker::ReviewReply;
use super::worker::Reply;
use crate::domain::action::Action;
use crate::domain::review::Decision;

fn field(s: &mut String) {
    if let std::borrow::Cow::Owned(clean) = inert_field(s) {
        *s = clean;
    }
}

fn field_opt(s: &mut Option<String>) {
    if let Some(s) = s {
        field(s);
    }
}

/// Makes a household's file inert.
pub fn file(f: &mut HouseholdFile) {
    let h = &mut f.household;
    field(&mut h.account);
    field(&mut h.holder);
    field_opt(&mut h.co_holder);
    field_opt(&mut h.phone);
    field_opt(&mut h.email);
    field_opt(&mut h.forwarding_address);
    if let Some(home) = &mut f.home {
        for s in [
            &mut home.reference,
            &mut home.address,
            &mut home.postcode,
            &mut home.commune,
            &mut home.departement,
            &mut home.sector,
        ] {
            field(s);
        }
    }
    for e in &mut f.entries {
        field(&mut e.label);
        field_opt(&mut e.reference);
    }
    for d in &mut f.dossiers {
        field_opt(&mut d.next_action);
    }
    for e in &mut f.events {
        field(&mut e.author);
        if let std::borrow::Cow::Owned(clean) = inert_text(&e.text) {
            e.text = clean;
        }
    }
    if let Some((who, _)) = &mut f.last_change {
        field(who);
    }
}

/// Makes a portfolio row inert.
pub fn row(r: &mut PortfolioRow) {
    field(&mut r.account);
    field(&mut r.name);
    field(&mut r.sector);
    field_opt(&mut r.referent);
    field_opt(&mut r.next_action);
}

/// Makes the lookup's rows inert (before the index is built from them).
pub fn summaries(rows: &mut [HouseholdSummary]) {
    for r in rows {
        field(&mut r.account);
        field(&mut r.name);
        field(&mut r.address);
        field_opt(&mut r.phone);
    }
}

/// Makes whatever a worker reply carries inert.
pub fn reply(reply: &mut Reply) {
    match reply {
        Reply::Household { file: f, .. } => file(f),
        Reply::Lists(l) | Reply::FirstPage(l) => {
            l.portfolio.iter_mut().for_each(row);
            for s in &mut l.staff {
                field(&mut s.login);
                field(&mut s.full_name);
            }
        }
        Reply::Snapshot(s) => {
            s.portfolio.iter_mut().for_each(row);
            for st in &mut s.staff {
                field(&mut st.login);
                field(&mut st.full_name);
            }
        }
        Reply::Written { row: Some(r), .. } => row(r),
        Reply::Todo { items, .. } => {
            for i in items {
                field(&mut i.account);
                field(&mut i.holder);
                field(&mut i.assignee);
                field(&mut i.what);
            }
        }
        Reply::LettersPlan { batch, .. } => {
            for l in &mut batch.letters {
                field(&mut l.account);
                field(&mut l.name);
                field(&mut l.reason);
            }
            for x in &mut batch.excluded {
                field(&mut x.account);
                field(&mut x.name);
                field(&mut x.reason);
            }
        }
        Reply::Review(r) => review(r),
        Reply::Stats { stats, .. } => {
            for (code, name) in &mut stats.sectors {
                field(code);
                field(name);
            }
        }
        // Our own sentences, which may quote data: inert, but not cut.
        Reply::Failed(m) => {
            if let std::borrow::Cow::Owned(clean) = crate::domain::inert::inert(m, 2_000) {
                *m = clean;
            }
        }
        _ => {}
    }
}

/// The meeting pane's answers: the agenda (names, referents, decisions typed in the meeting)
/// and the item on the projected screen.
fn review(r: &mut ReviewReply) {
    match r {
        ReviewReply::Loaded { review, items } => {
            if let Some(rv) = review {
                rv.attendees.iter_mut().for_each(field);
                field(&mut rv.created_by);
                field_opt(&mut rv.closed_by);
            }
            for i in items {
                field(&mut i.account);
                field(&mut i.name);
                field(&mut i.sector);
                field_opt(&mut i.referent);
                if let Some(d) = &mut i.decision {
                    decision(d);
                }
            }
        }
        ReviewReply::Item { detail, .. } => {
            file(&mut detail.file);
            if let Some((_, d, actions)) = &mut detail.previous {
                decision(d);
                actions.iter_mut().for_each(action);
            }
            detail.actions.iter_mut().for_each(action);
        }
        ReviewReply::Done { message } => {
            if let std::borrow::Cow::Owned(clean) = crate::domain::inert::inert(message, 2_000) {
                *message = clean;
            }
        }
    }
}

fn decision(d: &mut Decision) {
    if let std::borrow::Cow::Owned(clean) = inert_text(&d.text) {
        d.text = clean;
    }
    field(&mut d.decided_by);
}

fn action(a: &mut Action) {
    field(&mut a.assignee);
    field(&mut a.what);
    if let Some((_, who)) = &mut a.done {
        field(who);
    }
}

/// A terminal backend that lets no hostile character through: any cell whose symbol holds a
/// control or bidi character is drawn as U+FFFD. The last line of defence, for text that did
/// not pass through `reply` (kind fields, the command line's --user).
pub struct InertBackend<B>(pub B);

impl<B: ratatui::backend::Backend> ratatui::backend::Backend for InertBackend<B> {
    type Error = B::Error;

    fn draw<'a, I>(&mut self, content: I) -> Result<(), Self::Error>
    where
        I: Iterator<Item = (u16, u16, &'a ratatui::buffer::Cell)>,
    {
        let mut replaced: Vec<(u16, u16, ratatui::buffer::Cell)> = Vec::new();
        let mut clean: Vec<(u16, u16, &'a ratatui::buffer::Cell)> = Vec::new();
        for (x, y, cell) in content {
            if cell.symbol().chars().any(is_hostile) {
                let mut c = cell.clone();
                c.set_symbol("\u{FFFD}");
                replaced.push((x, y, c));
            } else {
                clean.push((x, y, cell));
            }
        }
        self.0.draw(clean.into_iter())?;
        if replaced.is_empty() {
            return Ok(());
        }
        self.0.draw(replaced.iter().map(|(x, y, c)| (*x, *y, c)))
    }

    fn hide_cursor(&mut self) -> Result<(), Self::Error> {
        self.0.hide_cursor()
    }

    fn show_cursor(&mut self) -> Result<(), Self::Error> {
        self.0.show_cursor()
    }

    fn get_cursor_position(&mut self) -> Result<ratatui::layout::Position, Self::Error> {
        self.0.get_cursor_position()
    }

    fn set_cursor_position<P: Into<ratatui::layout::Position>>(
        &mut self,
        position: P,
    ) -> Result<(), Self::Error> {
        self.0.set_cursor_position(position)
    }

    fn clear(&mut self) -> Result<(), Self::Error> {
        self.0.clear()
    }

    fn clear_region(&mut self, region: ratatui::backend::ClearType) -> Result<(), Self::Error> {
        self.0.clear_region(region)
    }

    fn size(&self) -> Result<ratatui::layout::Size, Self::Error> {
        self.0.size()
    }

    fn window_size(&mut self) -> Result<ratatui::backend::WindowSize, Self::Error> {
        self.0.window_size()
    }

    fn flush(&mut self) -> Result<(), Self::Error> {
        self.0.flush()
    }
}
