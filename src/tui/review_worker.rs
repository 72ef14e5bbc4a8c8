//! The monthly review's requests to the store worker and their answers: the meeting and its
//! agenda, one item's dossier for the meeting screen, and the meeting's writes (each one
//! transaction).

use chrono::NaiveDate;

use super::worker::Reply;
use crate::domain::action::Action;
use crate::domain::agenda::AgendaRules;
use crate::domain::portfolio::HouseholdFile;
use crate::domain::procedure::Rules;
use crate::domain::review::{Decision, DecisionKind, Review, ReviewItem};
use crate::store::{self, NewAction, Stamp, Store, StoreError};

/// What the review pane asks the worker.
#[derive(Debug, Clone)]
pub enum ReviewRequest {
    /// The current meeting (newest open, else newest) and its agenda.
    Load,
    /// One item's dossier, for the meeting screen.
    Item {
        /// The item.
        item_id: i64,
        /// Its household.
        household_id: i64,
        /// Its dossier.
        dossier_id: i64,
        /// The meeting's day ("last time" is before it).
        date: NaiveDate,
        /// Generation, so that a stale answer is dropped.
        generation: u64,
    },
    /// Creates the meeting of `date` with its proposed agenda.
    Create {
        /// Day of the meeting.
        date: NaiveDate,
        /// Thresholds and order.
        agenda: Box<AgendaRules>,
        /// Procedure rules for the deadlines.
        rules: Box<Rules>,
    },
    /// Takes an item off the agenda.
    Remove {
        /// The meeting.
        review_id: i64,
        /// The item's account.
        account: String,
    },
    /// Adds a household's open dossier by hand.
    Add {
        /// The meeting.
        review_id: i64,
        /// The household chosen in the lookup.
        household_id: i64,
        /// The meeting's day (for the debt shown).
        date: NaiveDate,
        /// Agenda order.
        agenda: Box<AgendaRules>,
    },
    /// Records a decision and its actions.
    Decide {
        /// The item.
        item_id: i64,
        /// Quick choice.
        kind: DecisionKind,
        /// The meeting's words.
        text: String,
        /// Actions to give.
        actions: Vec<NewAction>,
    },
    /// Closes the meeting.
    Close {
        /// The meeting.
        review_id: i64,
    },
}

/// One item's dossier as the meeting screen shows it.
#[derive(Debug, Clone)]
pub struct ItemDetail {
    /// The item.
    pub item_id: i64,
    /// The household's file, social notes always hidden (the screen is projected).
    pub file: HouseholdFile,
    /// What the previous meeting decided, with its actions.
    pub previous: Option<(NaiveDate, Decision, Vec<Action>)>,
    /// Actions decided on this item at this meeting.
    pub actions: Vec<Action>,
}

/// The worker's answers to the review pane.
pub enum ReviewReply {
    /// The meeting and its agenda (None: no meeting yet).
    Loaded {
        /// The meeting.
        review: Option<Review>,
        /// Its agenda, removed items left out.
        items: Vec<ReviewItem>,
    },
    /// One item's dossier.
    Item {
        /// Generation of the request.
        generation: u64,
        /// The detail.
        detail: Box<ItemDetail>,
    },
    /// A write succeeded: what to tell, and the item to show next if it changed.
    Done {
        /// French sentence for the footer.
        message: String,
    },
}

/// Answers one review request.
pub fn handle(store: &mut Store, user: &str, req: ReviewRequest) -> Reply {
    match answer(store, user, req) {
        Ok(r) => Reply::Review(r),
        Err(e) => Reply::Failed(e.to_string()),
    }
}

fn answer(store: &mut Store, user: &str, req: ReviewRequest) -> Result<ReviewReply, StoreError> {
    let stamp = Stamp::now(user);
    match req {
        ReviewRequest::Load => {
            let review = store::current_review(store.conn())?;
            let items = match &review {
                Some(r) => store::review_items(store.conn(), r.id, false)?,
                None => Vec::new(),
            };
            Ok(ReviewReply::Loaded { review, items })
        }
        ReviewRequest::Item {
            item_id,
            household_id,
            dossier_id,
            date,
            generation,
        } => {
            let conn = store.conn();
            let mut file = store::household_file(conn, household_id)?;
            file.hide_social_notes();
            let review_id: i64 = conn
                .query_row(
                    "SELECT review_id FROM review_items WHERE id = ?1",
                    [item_id],
                    |r| r.get(0),
                )
                .map_err(StoreError::from)?;
            let actions = store::review_actions(conn, review_id)?
                .remove(&item_id)
                .unwrap_or_default();
            Ok(ReviewReply::Item {
                generation,
                detail: Box::new(ItemDetail {
                    item_id,
                    file,
                    previous: store::previous_decision(conn, dossier_id, date)?,
                    actions,
                }),
            })
        }
        ReviewRequest::Create {
            date,
            agenda,
            rules,
        } => {
            let built = store.write(|conn| {
                store::build_review(conn, date, &[user.to_string()], &agenda, &rules, &stamp)
            })?;
            Ok(ReviewReply::Done {
                message: format!(
                    "Réunion du {} créée : {} dossier(s) proposé(s)",
                    crate::domain::dates::format_fr(date),
                    built.items
                ),
            })
        }
        ReviewRequest::Remove { review_id, account } => {
            store.write(|conn| store::remove_item(conn, review_id, &account))?;
            Ok(ReviewReply::Done {
                message: format!("{account} retiré de l'ordre du jour"),
            })
        }
        ReviewRequest::Add {
            review_id,
            household_id,
            date,
            agenda,
        } => {
            let file = store::household_file(store.conn(), household_id)?;
            let s = file.summary(date);
            let account = file.household.account.clone();
            store.write(|conn| {
                store::add_item(
                    conn,
                    review_id,
                    &account,
                    None,
                    s.balance,
                    s.months_of_arrears,
                    &agenda.order,
                    &stamp,
                )
            })?;
            Ok(ReviewReply::Done {
                message: format!("{account} ajouté à l'ordre du jour"),
            })
        }
        ReviewRequest::Decide {
            item_id,
            kind,
            text,
            actions,
        } => {
            let n = actions.len();
            store.write(|conn| {
                store::record_decision(conn, item_id, kind, &text, &actions, &stamp)
            })?;
            Ok(ReviewReply::Done {
                message: format!("Décision enregistrée : {} ; {n} action(s)", kind.label_fr()),
            })
        }
        ReviewRequest::Close { review_id } => {
            store.write(|conn| store::close_review(conn, review_id, &stamp))?;
            Ok(ReviewReply::Done {
                message: "Réunion close : elle ne peut plus être modifiée".into(),
            })
        }
    }
}
