//! The data schema: tables, typed columns, keys and relations, read from YAML.
//! Nothing about any particular table is known to Rust; it is all here.

use std::collections::HashMap;
use std::path::Path;

use serde::Deserialize;

pub type TableId = usize;
pub type ColId = usize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ColType {
    Text,
    Enum,
    Bool,
    Int,
    Decimal,
    Date,
    Datetime,
}

impl ColType {
    pub fn name(&self) -> &'static str {
        match self {
            ColType::Text => "text",
            ColType::Enum => "enum",
            ColType::Bool => "bool",
            ColType::Int => "int",
            ColType::Decimal => "decimal",
            ColType::Date => "date",
            ColType::Datetime => "datetime",
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Column {
    pub name: String,
    #[serde(rename = "type")]
    pub ty: ColType,
    #[serde(default)]
    pub values: Vec<String>,
    #[serde(default)]
    pub key: bool,
    #[serde(default, rename = "ref")]
    pub references: Option<String>,
    #[serde(default, rename = "as")]
    pub relation: Option<String>,
    #[serde(default)]
    pub nullable: bool,
    #[serde(default)]
    pub personal: bool,
    #[serde(default)]
    pub title: Option<String>,
    /// Other header texts exports use for the column (`案号`, `案件编号`); the
    /// name and the title match too.
    #[serde(default)]
    pub aliases: Vec<String>,
}

impl Column {
    /// Every header text that names the column: its name, title and aliases.
    pub fn headers(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.name.as_str())
            .chain(self.title.as_deref())
            .chain(self.aliases.iter().map(String::as_str))
    }
    /// Keys, relations, dates and datetimes need a value unless `nullable`.
    pub fn required(&self) -> bool {
        !self.nullable
            && (self.key
                || self.references.is_some()
                || matches!(self.ty, ColType::Date | ColType::Datetime))
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Table {
    pub name: String,
    pub file: String,
    #[serde(default)]
    pub title: Option<String>,
    /// The file's encoding: `auto` (the default: a BOM, UTF-8, else GBK),
    /// `utf-8`, `gbk` (read as GB18030) or `utf-16`.
    #[serde(default = "auto")]
    pub encoding: crate::data::input::Encoding,
    pub columns: Vec<Column>,
    /// The columns a list of this table's records shows, so that a clerk can
    /// chase them (`case.case_id`, `scheduled_at`): a column of the table, or
    /// one reached through its relations.
    #[serde(default, rename = "list")]
    pub list_paths: Vec<String>,
    /// `list_paths`, resolved when the schema is read.
    #[serde(skip)]
    pub list: Vec<ListColumn>,
}

/// A column shown with a table's records: reached from the table through
/// `path` (relations), then column `col` of table `table`.
#[derive(Debug, Clone)]
pub struct ListColumn {
    /// As written in the schema: `case.case_id`.
    pub path_text: String,
    /// What people call it: the column's title, else its name.
    pub label: String,
    pub path: Vec<usize>,
    pub table: TableId,
    pub col: ColId,
    pub personal: bool,
}

fn auto() -> crate::data::input::Encoding {
    crate::data::input::Encoding::Auto
}

impl Table {
    pub fn col(&self, name: &str) -> Option<ColId> {
        self.columns.iter().position(|c| c.name == name)
    }
    /// The key column, when the table has exactly one.
    pub fn key(&self) -> Option<ColId> {
        let mut keys = self.columns.iter().enumerate().filter(|(_, c)| c.key);
        match (keys.next(), keys.next()) {
            (Some((i, _)), None) => Some(i),
            _ => None,
        }
    }
}

/// A many-to-one relation: `from.col -> to`, navigated as `name`.
#[derive(Debug, Clone)]
pub struct Relation {
    pub from: TableId,
    pub col: ColId,
    pub to: TableId,
    pub name: String,
}

#[derive(Debug, Clone)]
pub struct Schema {
    pub name: String,
    pub version: u32,
    pub tables: Vec<Table>,
    pub relations: Vec<Relation>,
    by_name: HashMap<String, TableId>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSchema {
    name: String,
    #[serde(default)]
    version: u32,
    tables: Vec<Table>,
}

#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum SchemaError {
    #[error("cannot read schema `{path}`: {source}")]
    #[diagnostic(code(zhibiao::schema::io))]
    Io {
        path: String,
        source: std::io::Error,
    },
    #[error("schema `{path}` is not valid: {message}")]
    #[diagnostic(
        code(zhibiao::schema::invalid),
        help("see the comment at the top of policies/schema.yaml for the fields of a table")
    )]
    Invalid { path: String, message: String },
}

impl Schema {
    pub fn load(path: &Path) -> Result<Schema, SchemaError> {
        let text = std::fs::read_to_string(path).map_err(|source| SchemaError::Io {
            path: path.display().to_string(),
            source,
        })?;
        Schema::from_yaml(&text).map_err(|message| SchemaError::Invalid {
            path: path.display().to_string(),
            message,
        })
    }

    pub fn from_yaml(text: &str) -> Result<Schema, String> {
        let raw: RawSchema = serde_yaml::from_str(text).map_err(|e| match e.location() {
            Some(l) => format!("line {}, column {}: {e}", l.line(), l.column()),
            None => e.to_string(),
        })?;
        let mut by_name = HashMap::new();
        for (i, t) in raw.tables.iter().enumerate() {
            if by_name.insert(t.name.clone(), i).is_some() {
                return Err(format!("table `{}` is declared twice", t.name));
            }
        }
        let mut relations = Vec::new();
        for (ti, t) in raw.tables.iter().enumerate() {
            let mut seen = std::collections::HashSet::new();
            for (ci, c) in t.columns.iter().enumerate() {
                if !seen.insert(&c.name) {
                    return Err(format!("column `{}.{}` is declared twice", t.name, c.name));
                }
                if c.ty == ColType::Enum && c.values.is_empty() {
                    return Err(format!(
                        "enum column `{}.{}` lists no values",
                        t.name, c.name
                    ));
                }
                if c.ty != ColType::Enum && !c.values.is_empty() {
                    return Err(format!(
                        "column `{}.{}` lists values but is not an enum",
                        t.name, c.name
                    ));
                }
                if (c.key || c.references.is_some()) && c.ty != ColType::Text {
                    return Err(format!(
                        "key or relation column `{}.{}` must be `text`, not `{}`",
                        t.name,
                        c.name,
                        c.ty.name()
                    ));
                }
                if let Some(r) = &c.references {
                    let Some(&to) = by_name.get(r) else {
                        return Err(format!(
                            "column `{}.{}` refers to unknown table `{r}`",
                            t.name, c.name
                        ));
                    };
                    if raw.tables[to].key().is_none() {
                        return Err(format!(
                            "column `{}.{}` refers to `{r}`, which has no single key column",
                            t.name, c.name
                        ));
                    }
                    let name = c
                        .relation
                        .clone()
                        .unwrap_or_else(|| c.name.trim_end_matches("_id").to_string());
                    relations.push(Relation {
                        from: ti,
                        col: ci,
                        to,
                        name,
                    });
                } else if c.relation.is_some() {
                    return Err(format!(
                        "column `{}.{}` names a relation (`as`) but has no `ref`",
                        t.name, c.name
                    ));
                }
            }
        }
        let mut schema = Schema {
            name: raw.name,
            version: raw.version,
            tables: raw.tables,
            relations,
            by_name,
        };
        for ti in 0..schema.tables.len() {
            let mut list = Vec::new();
            for text in &schema.tables[ti].list_paths {
                list.push(schema.list_column(ti, text)?);
            }
            schema.tables[ti].list = list;
        }
        Ok(schema)
    }

    /// Resolve `case.case_id` from table `from`: relations, then a column.
    fn list_column(&self, from: TableId, text: &str) -> Result<ListColumn, String> {
        let names: Vec<&str> = text.split('.').map(str::trim).collect();
        let (last, rels) = names
            .split_last()
            .ok_or_else(|| format!("an empty `list` entry in `{}`", self.tables[from].name))?;
        let mut t = from;
        let mut path = Vec::new();
        for r in rels {
            let Some(ri) = self
                .relations
                .iter()
                .position(|x| x.from == t && x.name == *r)
            else {
                let known: Vec<&str> = self
                    .relations
                    .iter()
                    .filter(|x| x.from == t)
                    .map(|x| x.name.as_str())
                    .collect();
                return Err(format!(
                    "`list` of `{}`: `{text}`: `{}` has no relation `{r}` (it has: {})",
                    self.tables[from].name,
                    self.tables[t].name,
                    if known.is_empty() {
                        "none".to_string()
                    } else {
                        known.join(", ")
                    }
                ));
            };
            path.push(ri);
            t = self.relations[ri].to;
        }
        let Some(col) = self.tables[t].col(last) else {
            let close = self.tables[t]
                .columns
                .iter()
                .map(|c| (crate::check::distance(last, &c.name), c.name.as_str()))
                .min()
                .filter(|(d, _)| *d <= last.chars().count().div_ceil(2))
                .map(|(_, n)| format!("; did you mean `{n}`?"))
                .unwrap_or_default();
            return Err(format!(
                "`list` of `{}`: `{text}`: `{}` has no column `{last}`{close}",
                self.tables[from].name, self.tables[t].name
            ));
        };
        let c = &self.tables[t].columns[col];
        Ok(ListColumn {
            path_text: text.to_string(),
            label: c.title.clone().unwrap_or_else(|| c.name.clone()),
            path,
            table: t,
            col,
            personal: c.personal,
        })
    }

    pub fn table(&self, name: &str) -> Option<TableId> {
        self.by_name.get(name).copied()
    }

    /// The many-to-one relation named `name` leaving `from`.
    pub fn relation(&self, from: TableId, name: &str) -> Option<&Relation> {
        self.relations
            .iter()
            .find(|r| r.from == from && r.name == name)
    }

    /// Relations from `child` to `parent` (for `any(child, …)` seen from `parent`).
    pub fn relations_between(&self, child: TableId, parent: TableId) -> Vec<&Relation> {
        self.relations
            .iter()
            .filter(|r| r.from == child && r.to == parent)
            .collect()
    }

    pub fn table_names(&self) -> impl Iterator<Item = &str> {
        self.tables.iter().map(|t| t.name.as_str())
    }
}
