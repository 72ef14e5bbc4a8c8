-- Migration 5: team use. An append-only audit log, an admin role, a row version on dossiers
-- (two officers saving the same dossier), and the explicit sharing of confidential notes.
-- Runs with foreign keys off (Store::prepare turns them on after migrating) because the staff
-- table is rebuilt; the migration is checked with PRAGMA foreign_key_check afterwards.

-- Who changed what: one row per write to dossiers, events, plans, households, staff and
-- actions, written by per-connection TEMP triggers that know the user (see store/audit.rs),
-- and one summary row per bulk operation (demo, import, purge). Never updated, never deleted.
CREATE TABLE audit (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    login TEXT NOT NULL,
    -- 'insert', 'update', 'delete', or a bulk operation: 'demo', 'import', 'purge'.
    action TEXT NOT NULL,
    entity TEXT NOT NULL,
    entity_id INTEGER,
    -- The household concerned, for `impayes audit --dossier ACCOUNT` (no foreign key: a purge
    -- deletes households whose audit stays).
    household_id INTEGER,
    -- The row as JSON before and after the change (NULL for an insert's before, a delete's
    -- after); a bulk operation's summary in `after`.
    before TEXT,
    after TEXT
) STRICT;
CREATE INDEX audit_household ON audit(household_id, id) WHERE household_id IS NOT NULL;
CREATE INDEX audit_login ON audit(login, id);

CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
BEGIN
    SELECT RAISE(ABORT, 'le journal d''audit ne se modifie pas');
END;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
BEGIN
    SELECT RAISE(ABORT, 'le journal d''audit ne s''efface pas');
END;

-- The staff table, rebuilt to accept the admin role (its CHECK is part of the table).
CREATE TABLE staff_v4 (
    login TEXT PRIMARY KEY,
    full_name TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role = 'cesf' OR role = 'amicable' OR role = 'litigation'
        OR role = 'manager' OR role = 'admin'),
    phone TEXT,
    active INTEGER NOT NULL DEFAULT 1
) STRICT;
INSERT INTO staff_v4 (login, full_name, role, phone, active)
    SELECT login, full_name, role, phone, active FROM staff;
DROP TABLE staff;
ALTER TABLE staff_v4 RENAME TO staff;

-- Bumped by every save of a dossier: a save that read version n is refused if the row is no
-- longer at n (another officer saved in between).
ALTER TABLE dossiers ADD COLUMN version INTEGER NOT NULL DEFAULT 0;

-- A CESF's confidential note shown to non-social workers of the service because its author
-- (or another CESF) shared it explicitly.
CREATE TABLE note_shares (
    event_id INTEGER PRIMARY KEY REFERENCES events(id) ON DELETE CASCADE,
    shared_by TEXT NOT NULL,
    shared_at TEXT NOT NULL
) STRICT;
