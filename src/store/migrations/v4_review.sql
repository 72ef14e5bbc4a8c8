-- Migration 4: the monthly review (réunion mensuelle): meetings, their agenda items with the
-- reasons each dossier is there, and the decision taken on each item. Actions decided are rows
-- of `actions` (origin 'review', review_item_id). A closed meeting is read-only: the store
-- refuses with a French sentence, and these triggers refuse whatever slips past it.
CREATE TABLE reviews (
    id INTEGER PRIMARY KEY,
    date TEXT NOT NULL UNIQUE,
    status TEXT NOT NULL CHECK (status = 'open' OR status = 'closed'),
    -- Attendees as typed, one per line.
    attendees TEXT NOT NULL DEFAULT '',
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL,
    closed_by TEXT,
    closed_at TEXT,
    CHECK ((status = 'closed') = (closed_at IS NOT NULL))
) STRICT;

CREATE TABLE review_items (
    id INTEGER PRIMARY KEY,
    review_id INTEGER NOT NULL REFERENCES reviews(id),
    dossier_id INTEGER NOT NULL REFERENCES dossiers(id),
    position INTEGER NOT NULL,
    -- Reasons as JSON: [{"code": "broken_plan", "text": "plan d'apurement rompu le …"}].
    reasons TEXT NOT NULL DEFAULT '[]',
    -- Debt (cents) and months of arrears (tenths, NULL when undefined) when put on the agenda.
    debt_cents INTEGER NOT NULL,
    months_tenths INTEGER,
    manual INTEGER NOT NULL DEFAULT 0 CHECK (manual IN (0, 1)),
    removed INTEGER NOT NULL DEFAULT 0 CHECK (removed IN (0, 1)),
    added_by TEXT NOT NULL,
    added_at TEXT NOT NULL,
    UNIQUE (review_id, dossier_id)
) STRICT;
CREATE INDEX review_items_dossier ON review_items(dossier_id);

CREATE TABLE review_decisions (
    id INTEGER PRIMARY KEY,
    item_id INTEGER NOT NULL UNIQUE REFERENCES review_items(id),
    kind TEXT NOT NULL,
    text TEXT NOT NULL DEFAULT '',
    -- The timeline event that records it in the dossier.
    event_id INTEGER REFERENCES events(id),
    decided_by TEXT NOT NULL,
    decided_at TEXT NOT NULL
) STRICT;

CREATE TRIGGER review_closed_no_item_insert BEFORE INSERT ON review_items
WHEN (SELECT status FROM reviews WHERE id = NEW.review_id) = 'closed'
BEGIN SELECT RAISE(ABORT, 'réunion close : modification refusée'); END;

CREATE TRIGGER review_closed_no_item_update BEFORE UPDATE ON review_items
WHEN (SELECT status FROM reviews WHERE id = OLD.review_id) = 'closed'
BEGIN SELECT RAISE(ABORT, 'réunion close : modification refusée'); END;

CREATE TRIGGER review_closed_no_decision BEFORE INSERT ON review_decisions
WHEN (SELECT r.status FROM reviews r JOIN review_items i ON i.review_id = r.id
      WHERE i.id = NEW.item_id) = 'closed'
BEGIN SELECT RAISE(ABORT, 'réunion close : modification refusée'); END;

CREATE TRIGGER review_closed_no_decision_update BEFORE UPDATE ON review_decisions
WHEN (SELECT r.status FROM reviews r JOIN review_items i ON i.review_id = r.id
      WHERE i.id = OLD.item_id) = 'closed'
BEGIN SELECT RAISE(ABORT, 'réunion close : modification refusée'); END;

CREATE TRIGGER review_closed_stays_closed BEFORE UPDATE ON reviews
WHEN OLD.status = 'closed'
BEGIN SELECT RAISE(ABORT, 'réunion close : modification refusée'); END;
