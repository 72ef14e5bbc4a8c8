//! Actions: one task, for one officer, on one dossier, by a date. They come from an officer
//! (from the dossier) or from a decision of the monthly review, and feed "Mes actions".

use chrono::{Datelike, Duration, NaiveDate};

/// Who set the action, so that "Mes actions" and the minutes can say where it comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ActionOrigin {
    /// Set by an officer from the dossier.
    Officer,
    /// Decided in a monthly review.
    Review,
}

impl ActionOrigin {
    /// Stable code stored in the database.
    pub fn code(self) -> &'static str {
        match self {
            ActionOrigin::Officer => "officer",
            ActionOrigin::Review => "review",
        }
    }

    /// Reads a stored code back.
    pub fn from_code(code: &str) -> Option<Self> {
        match code {
            "officer" => Some(ActionOrigin::Officer),
            "review" => Some(ActionOrigin::Review),
            _ => None,
        }
    }

    /// Label shown to users.
    pub fn label_fr(self) -> &'static str {
        match self {
            ActionOrigin::Officer => "agent",
            ActionOrigin::Review => "commission",
        }
    }
}

/// A task given to an officer on a dossier.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Action {
    /// Row id (0 before it is stored).
    pub id: i64,
    /// The dossier it is about.
    pub dossier_id: i64,
    /// Login of the officer who must do it.
    pub assignee: String,
    /// What to do, in the officer's words.
    pub what: String,
    /// By when.
    pub due_on: NaiveDate,
    /// Who set it.
    pub origin: ActionOrigin,
    /// The review item that decided it, for review actions.
    pub review_item_id: Option<i64>,
    /// When it was ticked off, and by whom.
    pub done: Option<(NaiveDate, String)>,
}

impl Action {
    /// Whether it still has to be done.
    pub fn is_open(&self) -> bool {
        self.done.is_none()
    }
}

/// How urgent a dated task is, the groups of "Mes actions".
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Horizon {
    /// Due before today.
    Overdue,
    /// Due today.
    Today,
    /// Due after today and no later than the coming Sunday.
    ThisWeek,
    /// Due later.
    Later,
}

impl Horizon {
    /// The horizon of a task due on `due`, seen on `today`. The week ends on Sunday, as
    /// officers plan it.
    pub fn of(due: NaiveDate, today: NaiveDate) -> Horizon {
        if due < today {
            return Horizon::Overdue;
        }
        if due == today {
            return Horizon::Today;
        }
        let days_to_sunday = 6 - i64::from(today.weekday().num_days_from_monday());
        if due <= today + Duration::days(days_to_sunday) {
            Horizon::ThisWeek
        } else {
            Horizon::Later
        }
    }

    /// Group title shown to users.
    pub fn label_fr(self) -> &'static str {
        match self {
            Horizon::Overdue => "En retard",
            Horizon::Today => "Aujourd'hui",
            Horizon::ThisWeek => "Cette semaine",
            Horizon::Later => "Plus tard",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("valid date")
    }

    #[test]
    fn horizon_groups_by_day_and_week_ending_sunday() {
        // 2026-11-18 is a Wednesday; that week ends on Sunday 22.
        let today = d(2026, 11, 18);
        assert_eq!(Horizon::of(d(2026, 11, 17), today), Horizon::Overdue);
        assert_eq!(Horizon::of(today, today), Horizon::Today);
        assert_eq!(Horizon::of(d(2026, 11, 19), today), Horizon::ThisWeek);
        assert_eq!(Horizon::of(d(2026, 11, 22), today), Horizon::ThisWeek);
        assert_eq!(Horizon::of(d(2026, 11, 23), today), Horizon::Later);
        // On a Sunday, the week is that day only.
        let sunday = d(2026, 11, 22);
        assert_eq!(Horizon::of(d(2026, 11, 23), sunday), Horizon::Later);
    }

    #[test]
    fn origin_codes_round_trip() {
        for o in [ActionOrigin::Officer, ActionOrigin::Review] {
            assert_eq!(ActionOrigin::from_code(o.code()), Some(o));
        }
        assert_eq!(ActionOrigin::from_code("x"), None);
    }
}
