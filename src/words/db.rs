//! Why no database could be read, in the language asked.

use super::Lang;
use crate::db::DbError;

impl Lang {
    /// The message and the help.
    pub fn db_error(self, e: &DbError) -> (String, String) {
        match self {
            Lang::Zh => zh(e),
            Lang::En => en(e),
        }
    }

    /// The `error:` and `help:` lines the command prints.
    pub fn db_fault(self, e: &DbError) -> String {
        let (message, help) = self.db_error(e);
        self.error_lines(&message, Some(&help))
    }
}

fn en(e: &DbError) -> (String, String) {
    match e {
        DbError::NotUrl { given } => (
            format!("`--engine postgres` runs on a database, and `{given}` is none"),
            "name the database with `--data postgres://USER@HOST:PORT/DATABASE`".into(),
        ),
        DbError::BadUrl { url, why } => (
            format!("`{url}` is not a database URL the client takes: {why}"),
            "write it as `postgres://USER@HOST:PORT/DATABASE`, or with a socket folder as host: `postgres://USER@%2Fvar%2Frun%2Fpostgresql/DATABASE`".into(),
        ),
        DbError::Connect { url, why } => (
            format!("cannot connect to `{url}`: {why}"),
            "check that the server runs and takes connections at that host and port, and the user, password and database name".into(),
        ),
        DbError::Query { url, why } => (
            format!("the database `{url}` refused a query: {why}"),
            "check that the tables are there under the schema's names (or map them with `--table TABLE=NAME`) and that the user may read them".into(),
        ),
    }
}

fn zh(e: &DbError) -> (String, String) {
    match e {
        DbError::NotUrl { given } => (
            format!("`--engine postgres` 须在数据库上运行，而 `{given}` 不是数据库地址"),
            "用 `--data postgres://用户@主机:端口/数据库` 指定数据库".into(),
        ),
        DbError::BadUrl { url, why } => (
            format!("`{url}` 不是客户端能接受的数据库地址：{why}"),
            "写作 `postgres://用户@主机:端口/数据库`，或以套接字目录为主机：`postgres://用户@%2Fvar%2Frun%2Fpostgresql/数据库`".into(),
        ),
        DbError::Connect { url, why } => (
            format!("无法连接 `{url}`：{why}"),
            "请确认服务器正在运行并在该主机和端口接受连接，并核对用户、密码和数据库名".into(),
        ),
        DbError::Query { url, why } => (
            format!("数据库 `{url}` 拒绝了查询：{why}"),
            "请确认各表以 schema 中的名称存在（或用 `--table 表=名称` 对应），且该用户可以读取".into(),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::words::texts::han;

    #[test]
    fn every_database_error_has_both_texts() {
        let s = |x: &str| x.to_string();
        for e in [
            DbError::NotUrl { given: s("data") },
            DbError::BadUrl {
                url: s("postgres://x"),
                why: s("x"),
            },
            DbError::Connect {
                url: s("postgres://x"),
                why: s("x"),
            },
            DbError::Query {
                url: s("postgres://x"),
                why: s("x"),
            },
        ] {
            let zh = Lang::Zh.db_fault(&e);
            assert!(zh.starts_with("错误：") && han(&zh), "{zh}");
            let en = Lang::En.db_fault(&e);
            assert!(en.starts_with("error: ") && !han(&en), "{en}");
        }
    }
}
