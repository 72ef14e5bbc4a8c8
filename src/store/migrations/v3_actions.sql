-- Migration 3: actions given to one officer on one dossier ("Mes actions"), set by an officer
-- or decided in a monthly review. The dossier's own next_action stays the officer's short
-- reminder; an action is a task with an assignee and a due date that is ticked off when done.
CREATE TABLE actions (
    id INTEGER PRIMARY KEY,
    dossier_id INTEGER NOT NULL REFERENCES dossiers(id),
    assignee TEXT NOT NULL,
    what TEXT NOT NULL CHECK (length(what) > 0),
    due_on TEXT NOT NULL,
    -- 'officer' (set from the dossier) or 'review' (decided in a monthly review).
    origin TEXT NOT NULL CHECK (origin = 'officer' OR origin = 'review'),
    -- The review item that decided it, when origin = 'review' (table added by a later
    -- migration, hence no foreign key).
    review_item_id INTEGER,
    done_on TEXT,
    done_by TEXT,
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL,
    CHECK ((done_on IS NULL) = (done_by IS NULL))
) STRICT;
CREATE INDEX actions_open_by_assignee ON actions(assignee, due_on) WHERE done_on IS NULL;
CREATE INDEX actions_dossier ON actions(dossier_id);
