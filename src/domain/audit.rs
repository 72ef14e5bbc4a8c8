//! Audit records as the `audit` command and the dossier header show them.

use serde::Serialize;

/// One row of the audit log: who changed what and when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AuditRecord {
    /// Order of writing.
    pub id: i64,
    /// UTC timestamp, ISO 8601.
    pub at: String,
    /// Who (the `--user` or login name).
    pub login: String,
    /// insert, update, delete, or a bulk operation (demo, import, purge).
    pub action: String,
    /// Table changed.
    pub entity: String,
    /// Row changed, when one.
    pub entity_id: Option<i64>,
    /// Account of the household concerned, when it still exists.
    pub account: Option<String>,
    /// The row before, as JSON.
    pub before: Option<String>,
    /// The row after (or a bulk operation's summary), as JSON.
    pub after: Option<String>,
}

/// Which audit rows to list.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AuditFilter {
    /// Only this household's.
    pub account: Option<String>,
    /// Only this login's.
    pub login: Option<String>,
    /// At most this many, newest first.
    pub limit: Option<i64>,
}

impl AuditRecord {
    /// French label of the action.
    pub fn action_fr(&self) -> &str {
        match self.action.as_str() {
            "insert" => "ajout",
            "update" => "modification",
            "delete" => "suppression",
            "demo" => "démonstration",
            "import" => "import",
            "purge" => "purge",
            other => other,
        }
    }

    /// The columns whose value changed between before and after (all of them for an insert
    /// or a delete), as `name: old → new`.
    pub fn changes(&self) -> Vec<String> {
        let parse = |s: &Option<String>| {
            s.as_deref().and_then(|t| {
                serde_json::from_str::<serde_json::Map<String, serde_json::Value>>(t).ok()
            })
        };
        let (before, after) = (parse(&self.before), parse(&self.after));
        let show = |v: Option<&serde_json::Value>| match v {
            None | Some(serde_json::Value::Null) => "∅".to_string(),
            Some(serde_json::Value::String(s)) => s.clone(),
            Some(other) => other.to_string(),
        };
        let keys: Vec<String> = match (&before, &after) {
            (Some(b), Some(a)) => a
                .keys()
                .filter(|k| b.get(*k) != a.get(*k))
                .cloned()
                .collect(),
            (Some(m), None) | (None, Some(m)) => m.keys().cloned().collect(),
            (None, None) => Vec::new(),
        };
        keys.iter()
            .map(|k| match (&before, &after) {
                (Some(b), Some(a)) => format!("{k}: {} → {}", show(b.get(k)), show(a.get(k))),
                (Some(b), None) => format!("{k}: {}", show(b.get(k))),
                (None, Some(a)) => format!("{k}: {}", show(a.get(k))),
                (None, None) => String::new(),
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(before: Option<&str>, after: Option<&str>) -> AuditRecord {
        AuditRecord {
            id: 1,
            at: "2026-11-22T10:00:00Z".into(),
            login: "pmuller".into(),
            action: "update".into(),
            entity: "dossiers".into(),
            entity_id: Some(3),
            account: Some("411-000001".into()),
            before: before.map(str::to_string),
            after: after.map(str::to_string),
        }
    }

    #[test]
    fn an_update_lists_only_the_columns_that_changed() {
        let r = record(
            Some(r#"{"phase":"amicable","next_action":null,"version":1}"#),
            Some(r#"{"phase":"litigation","next_action":null,"version":2}"#),
        );
        assert_eq!(
            r.changes(),
            vec!["phase: amicable → litigation", "version: 1 → 2"]
        );
    }

    #[test]
    fn an_insert_lists_every_column() {
        let r = record(None, Some(r#"{"kind":"reminder","text":"x"}"#));
        assert_eq!(r.changes(), vec!["kind: reminder", "text: x"]);
        assert_eq!(r.action_fr(), "modification");
    }
}

/// What a login may do in a database (domain.md §7): staff write; an unknown login reads only.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// An active member of staff with this role.
    Staff(crate::domain::household::Role),
    /// The database has no staff yet: the first user sets it up (init, import, `staff add`).
    Setup,
    /// Not in the staff: reads only, never social notes.
    ReadOnly,
}

impl Access {
    /// Whether writes are allowed.
    pub fn can_write(self) -> bool {
        !matches!(self, Access::ReadOnly)
    }

    /// Whether confidential CESF notes are readable (social workers only).
    pub fn reads_social_notes(self) -> bool {
        matches!(self, Access::Staff(crate::domain::household::Role::Cesf))
    }
}
