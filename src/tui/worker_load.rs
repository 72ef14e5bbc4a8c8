//! The worker's loading of what the workstation lists, in steps so that the first frame does
//! not wait for the whole portfolio nor the lookup index, and so that a dossier opened or a
//! change saved meanwhile is answered between two steps instead of after the whole load.
//!
//! At start-up: the first screen of the portfolio (its default order), then the portfolio by
//! chunks of dossier ids, then the index by chunks of household ids. A reload (another
//! session's change) starts at the portfolio.

use super::worker::{Lists, Reply};
use crate::domain::portfolio::PortfolioRow;
use crate::search::IndexBuilder;
use crate::store::{self, Store, StoreError};

/// Rows of the portfolio's first screen: more than the tallest terminal shows.
pub const FIRST_PAGE: usize = 200;
/// Open dossiers read per step.
const PORTFOLIO_CHUNK: usize = 20_000;
/// Households read into the index per step.
const INDEX_CHUNK: i64 = 50_000;

/// Where a load stands.
pub enum Loading {
    /// The first screen of the portfolio is to be read.
    FirstPage,
    /// The portfolio is being read: rows of the dossiers up to id `after`.
    Portfolio {
        /// Last dossier id read.
        after: i64,
        /// Rows read so far.
        rows: Vec<PortfolioRow>,
    },
    /// The index is being built: households up to id `after`.
    Index {
        /// Last household id read.
        after: i64,
        /// The index so far.
        builder: Box<IndexBuilder>,
    },
}

impl Loading {
    /// A reload: the whole portfolio, then the index.
    pub fn reload() -> Loading {
        Loading::Portfolio {
            after: 0,
            rows: Vec::new(),
        }
    }

    /// Runs one step; returns what comes next (None: done) and what to send.
    pub fn step(self, store: &Store, user: &str) -> (Option<Loading>, Vec<Reply>) {
        match self.try_step(store, user) {
            Ok(x) => x,
            Err(e) => (None, vec![Reply::Failed(e.to_string())]),
        }
    }

    fn try_step(
        self,
        store: &Store,
        user: &str,
    ) -> Result<(Option<Loading>, Vec<Reply>), StoreError> {
        let conn = store.conn();
        Ok(match self {
            Loading::FirstPage => {
                let lists = lists(
                    store,
                    user,
                    store::workstation::portfolio_first_page(conn, FIRST_PAGE)?,
                    i64::from(store::workstation::any_household(conn)?),
                )?;
                (
                    Some(Loading::reload()),
                    vec![Reply::FirstPage(Box::new(lists))],
                )
            }
            Loading::Portfolio { after, mut rows } => {
                let chunk = store::workstation::portfolio_after(conn, after, PORTFOLIO_CHUNK)?;
                let done = chunk.len() < PORTFOLIO_CHUNK;
                let after = chunk.last().map_or(after, |r| r.dossier_id);
                rows.extend(chunk);
                if !done {
                    return Ok((Some(Loading::Portfolio { after, rows }), Vec::new()));
                }
                rows.shrink_to_fit();
                let (households, _) = store::counts(conn)?;
                let lists = lists(store, user, rows, households)?;
                let builder = Box::new(IndexBuilder::with_capacity(households.max(0) as usize));
                (
                    Some(Loading::Index { after: 0, builder }),
                    vec![Reply::Lists(Box::new(lists))],
                )
            }
            Loading::Index { after, mut builder } => {
                let mut n = 0;
                let last = store::household_summaries_after(conn, after, INDEX_CHUNK, &mut |s| {
                    let mut one = [s];
                    super::inert::summaries(&mut one);
                    builder.push(&one[0]);
                    n += 1;
                })?;
                if n == INDEX_CHUNK {
                    let after = last.unwrap_or(after);
                    return Ok((Some(Loading::Index { after, builder }), Vec::new()));
                }
                let mut index = builder.finish();
                index.answer_first_keys();
                (None, vec![Reply::Index(Box::new(index))])
            }
        })
    }

    /// A change stored while the portfolio is being read: the row of a dossier already read is
    /// replaced (or dropped when it closed), so that the list sent at the end is current.
    pub fn written(&mut self, dossier_id: i64, row: Option<&PortfolioRow>) {
        if let Loading::Portfolio { after, rows } = self
            && dossier_id <= *after
        {
            rows.retain(|r| r.dossier_id != dossier_id);
            rows.extend(row.cloned());
        }
    }
}

/// What the workstation lists, around a portfolio (its first screen or the whole of it) and
/// a count of households (at the first screen, only whether there is any).
fn lists(
    store: &Store,
    user: &str,
    portfolio: Vec<PortfolioRow>,
    households: i64,
) -> Result<Lists, StoreError> {
    let conn = store.conn();
    Ok(Lists {
        portfolio,
        staff: store::staff(conn)?,
        sectors: store::sectors(conn)?,
        households,
        can_read_social: store::can_read_social_notes(conn, user)?,
    })
}
