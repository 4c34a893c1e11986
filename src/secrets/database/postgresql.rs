//! OpenBao's built-in `postgresql-database-plugin` (`plugins/database/postgresql`), over the
//! `postgres` crate: the connection from `connection_url` with its `{{username}}` and
//! `{{password}}` templates, `NewUser` (the creation statements in one transaction),
//! `DeleteUser` (custom statements, or the default revocation), `UpdateUser` (expiration,
//! password). Errors are worded as pgx words them, so they read as bao's.

use serde_json::{Map, Value};
use std::time::Duration;

/// The plugin's name in the catalog.
pub const PLUGIN_NAME: &str = "postgresql-database-plugin";

/// `{{ printf "v-%s-%s-%s-%s" (.DisplayName | truncate 8) (.RoleName | truncate 8) (random 20) (unix_time) | truncate 63 }}`.
pub const DEFAULT_USERNAME_TEMPLATE: &str = r#"{{ printf "v-%s-%s-%s-%s" (.DisplayName | truncate 8) (.RoleName | truncate 8) (random 20) (unix_time) | truncate 63 }}"#;

const DEFAULT_EXPIRATION_STATEMENT: &str = "ALTER ROLE \"{{name}}\" VALID UNTIL '{{expiration}}';";
const DEFAULT_CHANGE_PASSWORD_STATEMENT: &str =
    "ALTER ROLE \"{{username}}\" WITH PASSWORD '{{password}}';";

/// How long a connection attempt may take.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// The connection settings of a config's `connection_details`.
pub struct Connection {
    pub url: String,
    pub username: String,
    pub password: String,
}

impl Connection {
    pub fn from_details(details: &Map<String, Value>) -> Connection {
        let s = |k: &str| {
            details
                .get(k)
                .map(|v| crate::framework::field::weak_string(v).unwrap_or_default())
                .unwrap_or_default()
        };
        Connection {
            url: s("connection_url"),
            username: s("username"),
            password: s("password"),
        }
    }

    /// The URL with its templates filled in (`url.PathEscape`d, as connutil does).
    fn resolved_url(&self) -> String {
        self.url
            .replace("{{username}}", &path_escape(&self.username))
            .replace("{{password}}", &path_escape(&self.password))
    }

    /// Opens a connection; the error is pgx's `failed to connect to ...` text.
    pub fn connect(&self) -> Result<postgres::Client, String> {
        if self.url.is_empty() {
            return Err("connection_url cannot be empty".into());
        }
        let url = self.resolved_url();
        let mut config: postgres::Config = url.parse().map_err(|e: postgres::Error| {
            format!("cannot parse `{}`: {}", redact(&url, &self.password), e)
        })?;
        config.connect_timeout(CONNECT_TIMEOUT);
        config.application_name("vaultjwt");
        match config.connect(postgres::NoTls) {
            Ok(c) => Ok(c),
            Err(e) => Err(connect_error(&config, &e)),
        }
    }

    /// Checks the connection works (`verify_connection`).
    pub fn verify(&self) -> Result<(), String> {
        let mut c = self.connect()?;
        c.simple_query("SELECT 1").map_err(|e| sql_error(&e))?;
        Ok(())
    }
}

/// Go's `url.PathEscape`.
fn path_escape(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        let keep = b.is_ascii_alphanumeric()
            || matches!(
                b,
                b'-' | b'_' | b'.' | b'~' | b'$' | b'&' | b'+' | b',' | b'=' | b':' | b'@'
            );
        if keep {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn redact(text: &str, secret: &str) -> String {
    if secret.is_empty() {
        text.to_string()
    } else {
        text.replace(secret, "[password]")
            .replace(&path_escape(secret), "[password]")
    }
}

/// pgx's connection error: `failed to connect to `user=U database=D`:` and one line per
/// attempt (with `sslmode=prefer`, pgx's default, a TLS attempt and then a plain one).
fn connect_error(config: &postgres::Config, e: &postgres::Error) -> String {
    let user = config.get_user().unwrap_or("").to_string();
    let db = config.get_dbname().unwrap_or(&user).to_string();
    let host = match config.get_hosts().first() {
        Some(postgres::config::Host::Tcp(h)) => h.clone(),
        Some(postgres::config::Host::Unix(p)) => p.display().to_string(),
        None => "localhost".into(),
    };
    let port = config.get_ports().first().copied().unwrap_or(5432);
    let ip = host.clone();
    let prefix = format!("{host}:{port} ({ip})");
    let prefer = matches!(config.get_ssl_mode(), postgres::config::SslMode::Prefer);
    let mut lines = Vec::new();
    let refused = std::error::Error::source(e)
        .and_then(|s| s.downcast_ref::<std::io::Error>())
        .map(|io| io.kind());
    if let Some(kind) = refused {
        let what = match kind {
            std::io::ErrorKind::ConnectionRefused => "connect: connection refused".to_string(),
            std::io::ErrorKind::TimedOut => "i/o timeout".to_string(),
            _ => std::error::Error::source(e)
                .map(|s| s.to_string())
                .unwrap_or_default(),
        };
        let line = format!("{prefix}: dial error: dial tcp {host}:{port}: {what}");
        if prefer {
            lines.push(line.clone());
        }
        lines.push(line);
    } else if let Some(db_err) = e.as_db_error() {
        if prefer {
            lines.push(format!(
                "{prefix}: tls error: server refused TLS connection"
            ));
        }
        let kind = if db_err.code().code() == "28P01" {
            "failed SASL auth"
        } else {
            "server error"
        };
        lines.push(format!(
            "{prefix}: {kind}: {}: {} (SQLSTATE {})",
            db_err.severity(),
            db_err.message(),
            db_err.code().code()
        ));
    } else {
        lines.push(format!("{prefix}: {e}"));
    }
    // pgx: one attempt inline, several one per line.
    if lines.len() == 1 {
        format!(
            "failed to connect to `user={user} database={db}`: {}",
            lines[0]
        )
    } else {
        format!(
            "failed to connect to `user={user} database={db}`:\n\t{}",
            lines.join("\n\t")
        )
    }
}

/// pgx's `*pgconn.PgError` text: `ERROR: message (SQLSTATE 42601)`.
pub fn sql_error(e: &postgres::Error) -> String {
    match e.as_db_error() {
        Some(d) => format!(
            "{}: {} (SQLSTATE {})",
            d.severity(),
            d.message(),
            d.code().code()
        ),
        None => e.to_string(),
    }
}

/// `dbutil.QueryHelper`: `{{key}}` replaced by its value.
fn query_helper(tpl: &str, data: &[(&str, &str)]) -> String {
    let mut out = tpl.to_string();
    for (k, v) in data {
        out = out.replace(&format!("{{{{{k}}}}}"), v);
    }
    out
}

/// `strutil.ParseArbitraryStringSlice(stmt, ";")`, trimmed, empty ones dropped.
fn split_statements(stmt: &str) -> Vec<String> {
    stmt.split(';')
        .map(|q| q.trim().to_string())
        .filter(|q| !q.is_empty())
        .collect()
}

/// `containsMultilineStatement`: an `END` keyword outside quotes means the statement is run
/// as one (a `DO $$ ... END $$` block).
fn contains_multiline_statement(stmt: &str) -> bool {
    let mut without = String::new();
    let mut quote: Option<char> = None;
    for c in stmt.chars() {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if c == '\'' || c == '"' => quote = Some(c),
            None => without.push(c),
        }
    }
    without
        .split(|c: char| !(c.is_alphanumeric() || c == '_'))
        .any(|w| w == "END")
}

/// The queries of a list of statements as the plugin runs them.
fn queries(statements: &[String], data: &[(&str, &str)]) -> Vec<String> {
    let mut out = Vec::new();
    for stmt in statements {
        if contains_multiline_statement(stmt) {
            out.push(query_helper(stmt, data));
            continue;
        }
        for q in split_statements(stmt) {
            out.push(query_helper(&q, data));
        }
    }
    out
}

/// The `{{expiration}}` text: Go's `2006-01-02 15:04:05-0700` in local time (UTC here).
pub fn expiration_text(unix: i64) -> String {
    chrono::DateTime::from_timestamp(unix, 0)
        .map(|t| t.format("%Y-%m-%d %H:%M:%S+0000").to_string())
        .unwrap_or_default()
}

/// `NewUser`: runs the creation statements in one transaction.
pub fn new_user(
    conn: &Connection,
    statements: &[String],
    username: &str,
    password: &str,
    expiration: i64,
) -> Result<(), String> {
    if statements.is_empty() {
        return Err("empty creation statements".into());
    }
    let mut client = conn
        .connect()
        .map_err(|e| format!("unable to start transaction: {e}"))?;
    let mut tx = client
        .transaction()
        .map_err(|e| format!("unable to start transaction: {}", sql_error(&e)))?;
    let exp = expiration_text(expiration);
    let data = [
        ("name", username),
        ("username", username),
        ("password", password),
        ("expiration", exp.as_str()),
    ];
    for q in queries(statements, &data) {
        tx.batch_execute(&q)
            .map_err(|e| format!("failed to execute query: {}", sql_error(&e)))?;
    }
    tx.commit().map_err(|e| sql_error(&e))
}

/// Go's `pq.QuoteIdentifier`.
pub fn quote_identifier(name: &str) -> String {
    let end = name.find('\0').unwrap_or(name.len());
    format!("\"{}\"", name[..end].replace('"', "\"\""))
}

/// Whether the role `username` exists.
pub fn user_exists(conn: &Connection, username: &str) -> Result<bool, String> {
    let mut client = conn.connect()?;
    let row = client
        .query_one(
            "SELECT exists (SELECT rolname FROM pg_roles WHERE rolname=$1);",
            &[&username],
        )
        .map_err(|e| sql_error(&e))?;
    Ok(row.get(0))
}

/// `DeleteUser`: the revocation statements in one transaction, or the plugin's default
/// (revoke what can be revoked, then `DROP ROLE IF EXISTS`).
pub fn delete_user(conn: &Connection, statements: &[String], username: &str) -> Result<(), String> {
    let mut client = conn.connect()?;
    if !statements.is_empty() {
        let mut tx = client.transaction().map_err(|e| sql_error(&e))?;
        for q in queries(statements, &[("name", username), ("username", username)]) {
            tx.batch_execute(&q).map_err(|e| sql_error(&e))?;
        }
        return tx.commit().map_err(|e| sql_error(&e));
    }
    let exists: bool = client
        .query_one(
            "SELECT exists (SELECT rolname FROM pg_roles WHERE rolname=$1);",
            &[&username],
        )
        .map_err(|e| sql_error(&e))?
        .get(0);
    if !exists {
        return Ok(());
    }
    let user = quote_identifier(username);
    let mut stmts = Vec::new();
    let rows = client
        .query(
            "SELECT DISTINCT table_schema FROM information_schema.role_column_grants WHERE grantee=$1;",
            &[&username],
        )
        .map_err(|e| sql_error(&e))?;
    for row in rows {
        let schema: String = row.get(0);
        stmts.push(format!(
            "REVOKE ALL PRIVILEGES ON ALL TABLES IN SCHEMA {schema} FROM {user};"
        ));
        stmts.push(format!(
            "REVOKE USAGE ON SCHEMA {} FROM {user};",
            quote_identifier(&schema)
        ));
    }
    stmts.push(format!(
        "REVOKE ALL PRIVILEGES ON ALL TABLES IN SCHEMA public FROM {user};"
    ));
    stmts.push(format!(
        "REVOKE ALL PRIVILEGES ON ALL SEQUENCES IN SCHEMA public FROM {user};"
    ));
    stmts.push(format!("REVOKE USAGE ON SCHEMA public FROM {user};"));
    let dbname: Option<String> = client
        .query_one("SELECT current_database();", &[])
        .map_err(|e| sql_error(&e))?
        .get(0);
    if let Some(db) = dbname {
        stmts.push(format!(
            "REVOKE CONNECT ON DATABASE {} FROM {user};",
            quote_identifier(&db)
        ));
    }
    let mut last = None;
    for q in stmts {
        if let Err(e) = client.batch_execute(&q) {
            last = Some(sql_error(&e));
        }
    }
    if let Some(e) = last {
        return Err(format!("could not perform all revocation statements: {e}"));
    }
    client
        .batch_execute(&format!("DROP ROLE IF EXISTS {user};"))
        .map_err(|e| sql_error(&e))
}

/// `UpdateUser` with a new expiration: the renew statements (default `ALTER ROLE ... VALID
/// UNTIL`) in one transaction.
pub fn renew_user(
    conn: &Connection,
    statements: &[String],
    username: &str,
    expiration: i64,
) -> Result<(), String> {
    let default = [DEFAULT_EXPIRATION_STATEMENT.to_string()];
    let statements = if statements.is_empty() {
        &default[..]
    } else {
        statements
    };
    let mut client = conn.connect()?;
    let mut tx = client.transaction().map_err(|e| sql_error(&e))?;
    let exp = expiration_text(expiration);
    for q in queries(
        statements,
        &[
            ("name", username),
            ("username", username),
            ("expiration", exp.as_str()),
        ],
    ) {
        tx.batch_execute(&q).map_err(|e| sql_error(&e))?;
    }
    tx.commit().map_err(|e| sql_error(&e))
}

/// `UpdateUser` with a new password (root rotation): the statements (default `ALTER ROLE ...
/// WITH PASSWORD`) in one transaction.
pub fn change_password(
    conn: &Connection,
    statements: &[String],
    username: &str,
    password: &str,
) -> Result<(), String> {
    if username.is_empty() {
        return Err("missing username".into());
    }
    let default = [DEFAULT_CHANGE_PASSWORD_STATEMENT.to_string()];
    let statements = if statements.is_empty() {
        &default[..]
    } else {
        statements
    };
    let mut client = conn
        .connect()
        .map_err(|e| format!("unable to get connection: {e}"))?;
    let mut tx = client
        .transaction()
        .map_err(|e| format!("unable to start transaction: {}", sql_error(&e)))?;
    for q in queries(
        statements,
        &[
            ("name", username),
            ("username", username),
            ("password", password),
        ],
    ) {
        tx.batch_execute(&q)
            .map_err(|e| format!("failed to execute query: {}", sql_error(&e)))?;
    }
    tx.commit().map_err(|e| sql_error(&e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn templating_and_splitting() {
        let q = queries(
            &["CREATE ROLE \"{{name}}\" PASSWORD '{{password}}'; GRANT x TO \"{{name}}\";".into()],
            &[("name", "v-a"), ("password", "p")],
        );
        assert_eq!(
            q,
            vec![
                "CREATE ROLE \"v-a\" PASSWORD 'p'".to_string(),
                "GRANT x TO \"v-a\"".to_string()
            ]
        );
        let block = "DO $$ BEGIN CREATE ROLE x; END $$;".to_string();
        assert_eq!(queries(std::slice::from_ref(&block), &[]), vec![block]);
        assert!(!contains_multiline_statement("SELECT 'END'"));
    }

    #[test]
    fn expiration_and_quoting() {
        assert_eq!(expiration_text(0), "1970-01-01 00:00:00+0000");
        assert_eq!(quote_identifier("a\"b"), "\"a\"\"b\"");
        assert_eq!(path_escape("a b/c@"), "a%20b%2Fc@");
    }
}
