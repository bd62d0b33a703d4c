//! A connection to a PostgreSQL server (or one of its family: KingbaseES,
//! openGauss), named by a `postgres://` or `postgresql://` URL: the one place
//! zhibiao opens one, for reading tables as a data source and for running
//! the generated SQL on the server.

/// Whether `--data` names a database rather than a folder or a workbook.
pub fn is_url(data: &str) -> bool {
    let lower = data.to_ascii_lowercase();
    lower.starts_with("postgres://") || lower.starts_with("postgresql://")
}

/// Why no connection could be had; [`crate::words`] says it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum DbError {
    /// `--engine postgres` with a `--data` that names no database.
    NotUrl { given: String },
    /// The URL does not parse as a connection string.
    BadUrl { url: String, why: String },
    /// The server could not be reached or refused the connection.
    Connect { url: String, why: String },
    /// A statement the server refused (a missing table or column among them).
    Query { url: String, why: String },
}

impl DbError {
    pub fn url(&self) -> &str {
        match self {
            DbError::NotUrl { given: url }
            | DbError::BadUrl { url, .. }
            | DbError::Connect { url, .. }
            | DbError::Query { url, .. } => url,
        }
    }
}

/// The URL as it may be shown: its password left out.
pub fn shown(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_string();
    };
    let (auth, host) = match rest.rsplit_once('@') {
        Some((a, h)) => (Some(a), h),
        None => (None, rest),
    };
    match auth {
        Some(a) => {
            let user = a.split_once(':').map_or(a, |(u, _)| u);
            format!("{scheme}://{user}@{host}")
        }
        None => url.to_string(),
    }
}

/// The server's own words for an error: its message, detail and hint when it
/// sent them, else the client's.
pub fn server_words(e: &postgres::Error) -> String {
    match e.as_db_error() {
        Some(db) => {
            let mut s = db.message().to_string();
            if let Some(d) = db.detail() {
                s.push_str(": ");
                s.push_str(d);
            }
            s
        }
        None => {
            let mut s = e.to_string();
            let mut src = std::error::Error::source(e);
            while let Some(inner) = src {
                let t = inner.to_string();
                if !s.contains(&t) {
                    s.push_str(": ");
                    s.push_str(&t);
                }
                src = inner.source();
            }
            s
        }
    }
}

/// Connect to the server `url` names, without TLS (court intranets run
/// their databases on the local network).
pub fn connect(url: &str) -> Result<postgres::Client, DbError> {
    let config: postgres::Config = url.parse().map_err(|e: postgres::Error| DbError::BadUrl {
        url: shown(url),
        why: server_words(&e),
    })?;
    config
        .connect(postgres::NoTls)
        .map_err(|e| DbError::Connect {
            url: shown(url),
            why: server_words(&e),
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls() {
        assert!(is_url("postgres://u@h/db"));
        assert!(is_url("PostgreSQL://u@h/db"));
        assert!(!is_url("examples/data"));
        assert_eq!(
            shown("postgres://u:secret@h:5432/db"),
            "postgres://u@h:5432/db"
        );
        assert_eq!(shown("postgres://h/db"), "postgres://h/db");
    }

    #[test]
    fn a_bad_url_is_an_error_not_a_panic() {
        assert!(matches!(
            connect("postgres://u@h:notaport/db"),
            Err(DbError::BadUrl { .. })
        ));
    }
}
