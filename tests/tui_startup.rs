//! Start-up at scale: the store worker sends the portfolio's first screen before the whole
//! list and the lookup index, answers other requests between its loading steps, and the
//! workstation shows the first screen as loading, then the whole list in the same order.

mod tui_common;

use std::sync::mpsc;
use std::time::Duration;

use impayes::domain::household::TenantStatus;
use impayes::store::{self, Store};
use impayes::tui::app::{App, Msg};
use impayes::tui::keymap::Keymap;
use impayes::tui::worker::{self, Reply, Request};
use tui_common::{Bench, ELODIE_ID, PMULLER, ch, screen, theme, today};

/// The default order of the portfolio: debt, highest first; ties: account, last first.
fn default_order(rows: &mut [impayes::domain::portfolio::PortfolioRow]) {
    rows.sort_by(|a, b| b.debt.cmp(&a.debt).then(b.account.cmp(&a.account)));
}

#[test]
fn the_first_page_is_the_top_of_the_default_order_and_chunks_make_the_whole_portfolio() {
    let b = Bench::demo(PMULLER);
    let s = Store::open(&b.db).expect("open");
    let conn = s.conn();
    let all = store::portfolio(conn).expect("portfolio");
    let mut present: Vec<_> = all
        .iter()
        .filter(|r| r.status == TenantStatus::Present)
        .cloned()
        .collect();
    assert!(
        present.len() > 5,
        "demo has open dossiers: {}",
        present.len()
    );
    default_order(&mut present);
    let mut page = store::workstation::portfolio_first_page(conn, 5).expect("page");
    default_order(&mut page);
    assert_eq!(page, present[..5].to_vec());
    // More than the indebted dossiers: every present one (the exact choice).
    let mut page = store::workstation::portfolio_first_page(conn, 10_000).expect("page");
    default_order(&mut page);
    assert_eq!(page, present);
    // By chunks of 3 dossier ids: the same rows as the whole query.
    let mut chunked = Vec::new();
    let mut after = 0;
    loop {
        let chunk = store::workstation::portfolio_after(conn, after, 3).expect("chunk");
        let n = chunk.len();
        after = chunk.last().map_or(after, |r| r.dossier_id);
        chunked.extend(chunk);
        if n < 3 {
            break;
        }
    }
    let mut whole = all.clone();
    whole.sort_by_key(|r| r.dossier_id);
    assert_eq!(chunked, whole);
    assert!(store::workstation::any_household(conn).expect("any"));
    // The index by chunks of ids: every household, in id order.
    let mut ids = Vec::new();
    let mut after = 0;
    while let Some(last) =
        store::household_summaries_after(conn, after, 7, &mut |h| ids.push(h.household_id))
            .expect("summaries")
    {
        after = last;
    }
    let every: Vec<i64> = store::household_summaries(conn)
        .expect("all")
        .iter()
        .map(|h| h.household_id)
        .collect();
    assert_eq!(ids, every);
}

struct Live {
    req: mpsc::Sender<Request>,
    rx: mpsc::Receiver<Msg>,
    _worker: std::thread::JoinHandle<()>,
}

fn live(db: &std::path::Path) -> Live {
    live_with(db, Vec::new())
}

/// A worker whose first requests are already queued when it starts, so that what it does
/// with them does not depend on how the threads are scheduled.
fn live_with(db: &std::path::Path, queued: Vec<Request>) -> Live {
    let store = Store::open(db).expect("open");
    let (req, req_rx) = mpsc::channel();
    for r in queued {
        req.send(r).expect("send");
    }
    let (tx, rx) = mpsc::channel();
    let worker = std::thread::spawn(move || worker::run(store, PMULLER.into(), req_rx, tx));
    Live {
        req,
        rx,
        _worker: worker,
    }
}

fn next(l: &Live) -> Reply {
    match l.rx.recv_timeout(Duration::from_secs(20)).expect("reply") {
        Msg::Reply(r) => r,
        _ => panic!("not a reply"),
    }
}

fn kind(r: &Reply) -> &'static str {
    match r {
        Reply::FirstPage(_) => "first page",
        Reply::Lists(_) => "lists",
        Reply::Index(_) => "index",
        Reply::Household { .. } => "household",
        Reply::Failed(_) => "failed",
        Reply::LegalDates { pass: true, .. } => "legal pass",
        Reply::LegalDates { pass: false, .. } => "legal one",
        _ => "other",
    }
}

#[test]
fn start_sends_the_first_screen_then_the_lists_then_the_index_and_serves_requests_between() {
    let b = Bench::demo(PMULLER);
    // Both queued before the worker starts, as when the officer opens a dossier at once.
    let household = Request::Household {
        id: ELODIE_ID,
        generation: 1,
    };
    let l = live_with(&b.db, vec![Request::Start, household]);
    let replies: Vec<Reply> = (0..4).map(|_| next(&l)).collect();
    let kinds: Vec<&str> = replies.iter().map(kind).collect();
    // The household asked at once is answered before the loading steps end.
    assert_eq!(kinds, ["household", "first page", "lists", "index"]);
    let (Reply::FirstPage(first), Reply::Lists(lists), Reply::Index(index)) =
        (&replies[1], &replies[2], &replies[3])
    else {
        unreachable!()
    };
    assert!(first.portfolio.len() <= 200);
    assert!(
        first
            .portfolio
            .iter()
            .all(|r| r.status == TenantStatus::Present)
    );
    assert!(first.portfolio.iter().all(|r| lists.portfolio.contains(r)));
    assert!(lists.households > 0 && first.households == 1);
    assert_eq!(index.len() as i64, lists.households);
    // A reload (another session wrote) does not send a first page again.
    l.req.send(Request::Snapshot).expect("send");
    assert_eq!(kind(&next(&l)), "lists");
    assert_eq!(kind(&next(&l)), "index");
}

fn app() -> App {
    let keymap = Keymap::new(&Default::default()).expect("keymap");
    App::new(PMULLER, today(), theme("mono"), keymap, "test")
}

#[test]
fn the_portfolio_shows_its_first_screen_as_loading_then_the_whole_list_in_the_same_order() {
    let b = Bench::demo(PMULLER);
    let l = live(&b.db);
    l.req.send(Request::Start).expect("send");
    let mut app = app();
    let first = next(&l);
    assert_eq!(kind(&first), "first page");
    let Reply::FirstPage(page) = &first else {
        unreachable!()
    };
    let page_len = page.portfolio.len();
    assert!(app.update(Msg::Reply(first)).is_empty());
    assert!(app.portfolio.is_partial());
    let s = screen(&app, 80, 24);
    assert!(s.contains("Chargement du portefeuille…"), "{s}");
    assert!(s.contains("1/…"), "{s}");
    // Keys work on what is there: the cursor moves, the lookup says the index is loading.
    app.update(Msg::Key(ch('j')));
    let chosen = app.portfolio.selected().expect("row").dossier_id;
    app.update(Msg::Key(ch('/')));
    assert!(screen(&app, 80, 24).contains("Index en cours de chargement…"));
    for c in "elodie".chars() {
        app.update(Msg::Key(ch(c)));
    }
    // The whole list keeps the order, the cursor on the same dossier.
    let lists = next(&l);
    assert_eq!(kind(&lists), "lists");
    app.update(Msg::Reply(lists));
    assert!(!app.portfolio.is_partial());
    assert!(app.portfolio.len() >= page_len);
    assert_eq!(app.portfolio.selected().expect("row").dossier_id, chosen);
    let s = screen(&app, 80, 24);
    assert!(!s.contains("Chargement du portefeuille"), "{s}");
    // The index arrives: the lookup typed meanwhile runs.
    let index = next(&l);
    assert_eq!(kind(&index), "index");
    app.update(Msg::Reply(index));
    let s = screen(&app, 80, 24);
    assert!(s.contains("Élodie Béranger"), "{s}");
}

#[test]
fn the_legal_dates_pass_waits_for_the_index() {
    let b = Bench::demo(PMULLER);
    let legal = |pass| Request::LegalDates {
        households: vec![ELODIE_ID],
        pass,
        today: today(),
        rules: Box::default(),
    };
    // Queued before the worker starts: the start, the background pass, then one household's
    // date after a write. (Sent to a running worker, the whole load can end before the pass
    // is even received on a loaded machine; that made this test fail once in CI.)
    let l = live_with(&b.db, vec![Request::Start, legal(true), legal(false)]);
    let kinds: Vec<&str> = (0..5).map(|_| kind(&next(&l))).collect();
    // One household's date is not background work: answered at once. The pass waits for
    // the index, behind the loads in their order.
    assert_eq!(
        kinds,
        ["legal one", "first page", "lists", "index", "legal pass"]
    );
}
