//! The audit log: who changed what and when (domain.md §7, "every change is attributable").
//!
//! SQLite triggers do not know the user, and a trigger of the main schema cannot read a
//! per-connection temp table. So each connection installs TEMP triggers (they live and die with
//! the connection, and may write to the main schema) with its user's login written into them:
//! every write through impayes to the audited tables leaves a row, whatever code path made it.
//! Bulk operations (the demo, imports, purges) drop the triggers for their duration and log one
//! summary row instead, so that millions of entries do not mean millions of audit rows. The
//! table itself refuses UPDATE and DELETE (triggers of migration 5).

use rusqlite::{Connection, OptionalExtension, params};

use super::{Result, Store, StoreError};
use crate::domain::audit::{AuditFilter, AuditRecord};

/// The login recorded when a store's user was never set (should not happen in the binary).
pub const UNKNOWN_ACTOR: &str = "inconnu";

/// One audited table: its columns as they go into the JSON, and how to find the household.
struct Audited {
    table: &'static str,
    /// Expression giving the row's id (`{r}` is NEW or OLD).
    id: &'static str,
    columns: &'static [&'static str],
    /// Expression giving the household's id.
    household: &'static str,
    /// For UPDATE, only these columns fire (cached sums and search keys are not changes).
    update_of: Option<&'static str>,
}

const HOUSEHOLD_OF_DOSSIER: &str = "(SELECT household_id FROM dossiers WHERE id = {r}.dossier_id)";

const AUDITED: &[Audited] = &[
    Audited {
        table: "dossiers",
        id: "{r}.id",
        columns: &[
            "id",
            "household_id",
            "phase",
            "referent_cesf",
            "referent_amicable",
            "referent_litigation",
            "causes",
            "next_action",
            "next_action_on",
            "opened_on",
            "open_reason",
            "closed_on",
            "close_reason",
            "version",
        ],
        household: "{r}.household_id",
        update_of: None,
    },
    Audited {
        table: "events",
        id: "{r}.id",
        columns: &["id", "dossier_id", "date", "kind", "author", "text", "data"],
        household: HOUSEHOLD_OF_DOSSIER,
        update_of: None,
    },
    Audited {
        table: "plans",
        id: "{r}.id",
        columns: &[
            "id",
            "dossier_id",
            "signed_on",
            "amount_cents",
            "caf_approved",
            "status",
            "status_on",
        ],
        household: HOUSEHOLD_OF_DOSSIER,
        update_of: None,
    },
    Audited {
        table: "households",
        id: "{r}.id",
        columns: &[
            "id",
            "account",
            "holder",
            "co_holder",
            "phone",
            "email",
            "size",
            "housing_benefit_cents",
            "status",
            "left_on",
            "forwarding_address",
        ],
        household: "{r}.id",
        update_of: Some(
            "holder, co_holder, phone, email, size, housing_benefit_cents, status, left_on, \
             forwarding_address, account",
        ),
    },
    Audited {
        table: "staff",
        id: "{r}.rowid",
        columns: &["login", "full_name", "role", "phone", "active"],
        household: "NULL",
        update_of: None,
    },
    Audited {
        table: "actions",
        id: "{r}.id",
        columns: &[
            "id",
            "dossier_id",
            "assignee",
            "what",
            "due_on",
            "origin",
            "done_on",
            "done_by",
        ],
        household: HOUSEHOLD_OF_DOSSIER,
        update_of: None,
    },
    Audited {
        table: "note_shares",
        id: "{r}.event_id",
        columns: &["event_id", "shared_by", "shared_at"],
        household: "(SELECT d.household_id FROM events e JOIN dossiers d ON d.id = e.dossier_id \
                    WHERE e.id = {r}.event_id)",
        update_of: None,
    },
];

fn json_of(a: &Audited, r: &str) -> String {
    let pairs: Vec<String> = a
        .columns
        .iter()
        .map(|c| match (a.table, *c) {
            // The log is read by more people than social notes are: it says a note was
            // written, not what it says.
            ("events", "text") => format!(
                "'text', CASE WHEN {r}.kind = 'note' AND json_extract({r}.data, '$.confidential')
                    THEN '[note sociale confidentielle]' ELSE {r}.text END"
            ),
            _ => format!("'{c}', {r}.{c}"),
        })
        .collect();
    format!("json_object({})", pairs.join(", "))
}

fn sql_text(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

/// The SQL creating the temp triggers that log `login`'s writes.
fn triggers_sql(login: &str) -> String {
    let who = sql_text(login);
    let at = "strftime('%Y-%m-%dT%H:%M:%SZ', 'now')";
    let mut sql = String::new();
    for a in AUDITED {
        for (op, row, before, after) in [
            ("INSERT", "NEW", "NULL".to_string(), json_of(a, "NEW")),
            ("UPDATE", "NEW", json_of(a, "OLD"), json_of(a, "NEW")),
            ("DELETE", "OLD", json_of(a, "OLD"), "NULL".to_string()),
        ] {
            let on = match (op, a.update_of) {
                ("UPDATE", Some(cols)) => format!("UPDATE OF {cols}"),
                _ => op.to_string(),
            };
            sql.push_str(&format!(
                "CREATE TEMP TRIGGER IF NOT EXISTS audit_{table}_{lower} AFTER {on} ON main.{table}
                 BEGIN
                   INSERT INTO audit (at, login, action, entity, entity_id, household_id, before,
                       after)
                   VALUES ({at}, {who}, '{lower}', '{table}', {id}, {household}, {before},
                       {after});
                 END;\n",
                table = a.table,
                lower = op.to_lowercase(),
                id = a.id.replace("{r}", row),
                household = a.household.replace("{r}", row),
            ));
        }
    }
    sql
}

fn drop_sql() -> String {
    let mut sql = String::new();
    for a in AUDITED {
        for op in ["insert", "update", "delete"] {
            sql.push_str(&format!(
                "DROP TRIGGER IF EXISTS temp.audit_{}_{op};\n",
                a.table
            ));
        }
    }
    sql
}

impl Store {
    /// Says who writes through this connection: every later write to an audited table is
    /// logged under `login`. `None` stops row-by-row logging (bulk operations, which log one
    /// summary with `log_bulk`).
    pub fn set_actor(&mut self, login: Option<&str>) -> Result<()> {
        self.conn.execute_batch(&drop_sql())?;
        if let Some(login) = login {
            self.conn.execute_batch(&triggers_sql(login))?;
        }
        self.actor = login.map(str::to_string);
        Ok(())
    }

    /// The login writes are audited under (None in bulk mode).
    pub fn actor(&self) -> Option<&str> {
        self.actor.as_deref()
    }

    /// Runs `f` without row-by-row audit (the demo, imports), then puts the triggers back as
    /// they were (for `login` if they were on) whatever `f` returned.
    pub fn without_audit<T, E: From<StoreError>>(
        &mut self,
        login: &str,
        f: impl FnOnce(&mut Store) -> std::result::Result<T, E>,
    ) -> std::result::Result<T, E> {
        let was_on = self.actor.is_some();
        self.set_actor(None)?;
        let out = f(self);
        self.set_actor(was_on.then_some(login))?;
        out
    }
}

/// Logs one bulk operation (demo, import, purge) as a single audit row; `summary` is JSON.
pub fn log_bulk(
    conn: &Connection,
    login: &str,
    action: &str,
    entity: &str,
    entity_id: Option<i64>,
    household_id: Option<i64>,
    summary: &serde_json::Value,
) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO audit (at, login, action, entity, entity_id, household_id, after)
         VALUES (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), ?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![
        login,
        action,
        entity,
        entity_id,
        household_id,
        summary.to_string()
    ])?;
    Ok(())
}

/// The audit log, newest first, filtered by account and/or login. The filters are written
/// into the statement only when given, so that each uses its index (household or login, then
/// id) and reads no more rows than it lists.
pub fn audit_log(conn: &Connection, filter: &AuditFilter) -> Result<Vec<AuditRecord>> {
    let household = match &filter.account {
        Some(account) => match super::household_id(conn, account)? {
            Some(id) => Some(id),
            None => return Ok(Vec::new()),
        },
        None => None,
    };
    let mut conditions = Vec::new();
    if household.is_some() {
        conditions.push("a.household_id = ?1");
    }
    if filter.login.is_some() {
        conditions.push("a.login = ?2");
    }
    let filter_sql = if conditions.is_empty() {
        String::new()
    } else {
        format!("WHERE {}", conditions.join(" AND "))
    };
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT a.id, a.at, a.login, a.action, a.entity, a.entity_id, h.account, a.before,
                a.after
         FROM audit a LEFT JOIN households h ON h.id = a.household_id
         {filter_sql}
         ORDER BY a.id DESC LIMIT ?3"
    ))?;
    let limit = filter.limit.unwrap_or(i64::MAX);
    let map = |r: &rusqlite::Row<'_>| {
        Ok(AuditRecord {
            id: r.get(0)?,
            at: r.get(1)?,
            login: r.get(2)?,
            action: r.get(3)?,
            entity: r.get(4)?,
            entity_id: r.get(5)?,
            account: r.get(6)?,
            before: r.get(7)?,
            after: r.get(8)?,
        })
    };
    // ?1 and ?2 are bound even when the statement does not use them: SQLite numbers its
    // parameters up to the highest one written (?3).
    let rows = stmt.query_map(params![household, filter.login, limit], map)?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Who last changed something of a household and when: the newest audit row, else the
/// `updated_by` of its newest dossier (history written in bulk has no audit rows).
pub fn last_change(conn: &Connection, household_id: i64) -> Result<Option<(String, String)>> {
    let audited: Option<(String, String)> = conn
        .prepare_cached(
            "SELECT login, at FROM audit WHERE household_id = ?1 ORDER BY id DESC LIMIT 1",
        )?
        .query_row([household_id], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    if audited.is_some() {
        return Ok(audited);
    }
    Ok(conn
        .prepare_cached(
            "SELECT updated_by, updated_at FROM dossiers WHERE household_id = ?1
             ORDER BY updated_at DESC, id DESC LIMIT 1",
        )?
        .query_row([household_id], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_login_with_a_quote_cannot_break_out_of_the_trigger() {
        let sql = triggers_sql("o'brien'); DROP TABLE audit; --");
        assert!(sql.contains("'o''brien''); DROP TABLE audit; --'"));
    }
}
