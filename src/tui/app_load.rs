//! The workstation's side of the start-up load (see `worker_load`): the portfolio's first
//! screen shows while the whole list and the lookup index load.

use super::app::App;
use super::worker::{Lists, Request};

impl App {
    /// The first screen of the portfolio, at start-up. Ignored if the whole list came first.
    pub(super) fn on_first_page(&mut self, l: Lists) -> Vec<Request> {
        if self.portfolio.loaded() {
            return Vec::new();
        }
        self.portfolio.set_first_page(l.portfolio, self.today);
        self.staff = l.staff;
        self.sectors = l.sectors;
        self.households = Some(l.households);
        // The legal dates and the open household wait for the whole list (`Reply::Lists`).
        Vec::new()
    }
}
