//! Checked expressions → SQL, over the rows of one table and the rows its
//! relations lead to (LEFT JOINs, one per relation path) and the aggregates
//! over related rows it reads (a join on the aggregate's CTE).
//!
//! The native engine's logic has two values: a comparison, a membership
//! test or a function with an empty value is false, and `not` of it is
//! true. SQL's has three, so every condition is written so that it is never
//! NULL (`COALESCE(…, FALSE)` around each comparison), and `not` then means
//! what it means natively.

use std::collections::BTreeSet;

use super::SqlError;
use super::dialect::Dialect;
use crate::ir::*;
use crate::schema::{ColId, ColType, TableId};
use crate::value::{Lit, fmt_day};
use crate::vocab::{ArithOp, CmpOp};

/// What the generator collects while compiling: the columns read per table
/// and the aggregates needed, in the order they must be defined.
#[derive(Debug, Default)]
pub struct Used {
    pub cols: Vec<BTreeSet<ColId>>,
    pub aggs: Vec<AggId>,
}

impl Used {
    pub fn new(tables: usize) -> Used {
        Used {
            cols: vec![BTreeSet::new(); tables],
            aggs: Vec::new(),
        }
    }
}

/// A row the expression is evaluated on: its alias, table and the relations
/// that lead to it from the base row.
#[derive(Debug, Clone)]
pub struct At {
    pub alias: String,
    pub table: TableId,
    pub path: Vec<RelId>,
}

/// The kind of value an expression gives, as the native comparison sees it.
#[derive(Debug, Clone, Copy, PartialEq)]
enum K {
    Null,
    Bool,
    Num,
    Text,
    /// An enum value; the column it belongs to (`None`: a literal typed against one).
    Enum(Option<(TableId, ColId)>),
    Date,
    DateTime,
}

/// One table's rows with the joins its expressions need.
pub struct Rows<'a> {
    pub p: &'a Policy,
    pub d: &'a dyn Dialect,
    /// The indicator being compiled, for errors.
    pub indicator: String,
    pub base: At,
    pub joins: Vec<String>,
    paths: Vec<(Vec<RelId>, String)>,
    agg_joins: Vec<(String, AggId)>,
}

/// The name of table `t`'s CTE.
pub fn table_cte(d: &dyn Dialect, p: &Policy, t: TableId) -> String {
    d.ident(&format!("t_{}", p.schema.tables[t].name))
}

/// What marks a read of a table in the SQL while it is written.
pub const TABLE_MARK: char = '\u{1}';

/// Where the query reads table `t`: a mark, replaced once every column
/// read of the table is known ([`resolve_tables`]).
pub fn table_ref(t: TableId) -> String {
    format!("{TABLE_MARK}{t}{TABLE_MARK}")
}

/// `sql` with each table's mark replaced by what reads it, `reads[t]`.
pub fn resolve_tables(sql: &str, reads: &[String]) -> String {
    let mut out = String::with_capacity(sql.len());
    let mut rest = sql;
    while let Some((before, after)) = rest.split_once(TABLE_MARK) {
        out.push_str(before);
        let read = after
            .split_once(TABLE_MARK)
            .and_then(|(t, tail)| Some((reads.get(t.parse::<usize>().ok()?)?, tail)));
        match read {
            Some((r, tail)) => {
                out.push_str(r);
                rest = tail;
            }
            None => {
                out.push(TABLE_MARK);
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

pub fn agg_cte(id: AggId) -> String {
    format!("agg_{}", id + 1)
}

fn num_lit(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        format!("{n:?}")
    }
}

impl<'a> Rows<'a> {
    pub fn new(
        p: &'a Policy,
        d: &'a dyn Dialect,
        indicator: &str,
        table: TableId,
        alias: &str,
    ) -> Self {
        Rows {
            p,
            d,
            indicator: indicator.to_string(),
            base: At {
                alias: alias.to_string(),
                table,
                path: Vec::new(),
            },
            joins: Vec::new(),
            paths: Vec::new(),
            agg_joins: Vec::new(),
        }
    }

    pub fn unsupported(&self, construct: super::Construct) -> SqlError {
        SqlError::Unsupported {
            indicator: self.indicator.clone(),
            construct,
            dialect: self.d.name().to_string(),
        }
    }

    /// `alias.column`, noting the column as read.
    pub fn col(&self, used: &mut Used, at: &At, col: ColId) -> String {
        used.cols[at.table].insert(col);
        let name = &self.p.schema.tables[at.table].columns[col].name;
        format!("{}.{}", at.alias, self.d.ident(name))
    }

    /// The text the native engine shows for column `col` of row `at` (the
    /// key of a `per` breakdown, an item's field, a list column): a number
    /// as a whole number or with at most six decimals, a yes/no as 是/否, a
    /// date and a datetime in ISO form; NULL when empty. A decimal's six
    /// places must round as the native engine rounds (exactly, ties to
    /// even), which only a dialect with exact formatting can write.
    pub fn shown(&mut self, used: &mut Used, at: &At, col: ColId) -> Result<String, SqlError> {
        let c = &self.p.schema.tables[at.table].columns[col];
        let (ty, name) = (c.ty, c.name.clone());
        let v = self.col(used, at, col);
        let text = self.d.text_type();
        Ok(match ty {
            ColType::Text | ColType::Enum => v,
            ColType::Bool => format!("CASE WHEN {v} THEN '是' WHEN NOT {v} THEN '否' END"),
            ColType::Int => format!("CAST(CAST({v} AS BIGINT) AS {text})"),
            ColType::Decimal => match self.d.fixed6(&v) {
                // `-0.0` is shown as `0`, every other number by its six places.
                Some(f) => {
                    format!("CASE WHEN {v} = 0 THEN '0' ELSE rtrim(rtrim({f}, '0'), '.') END")
                }
                None => {
                    let table = self.p.schema.tables[at.table].name.clone();
                    return Err(self.unsupported(super::Construct::DecimalText {
                        column: format!("{table}.{name}"),
                    }));
                }
            },
            ColType::Date => self.d.date_text(&v),
            ColType::Datetime => self.d.datetime_text(&v),
        })
    }

    /// The key column of table `t`.
    pub fn key(&self, t: TableId) -> Result<ColId, SqlError> {
        self.p.schema.tables[t].key().ok_or_else(|| {
            self.unsupported(super::Construct::NoSingleKey {
                table: self.p.schema.tables[t].name.clone(),
            })
        })
    }

    /// The row reached from `at` through `nav`: a LEFT JOIN per relation
    /// path, made once.
    pub fn follow(&mut self, used: &mut Used, at: &At, nav: &[RelId]) -> Result<At, SqlError> {
        let mut cur = at.clone();
        for &r in nav {
            let rel = &self.p.schema.relations[r];
            let mut path = cur.path.clone();
            path.push(r);
            let next = match self.paths.iter().find(|(p, _)| *p == path) {
                Some((_, alias)) => At {
                    alias: alias.clone(),
                    table: rel.to,
                    path,
                },
                None => {
                    // An alias is plain ASCII: a relation named in other
                    // letters is named by its number.
                    let step = if rel.name.is_ascii() {
                        ascii_name(&rel.name)
                    } else {
                        format!("rel{}", r + 1)
                    };
                    let alias = format!("{}_{step}", cur.alias);
                    let key = self.key(rel.to)?;
                    let next = At {
                        alias: alias.clone(),
                        table: rel.to,
                        path: path.clone(),
                    };
                    let on_left = self.col(used, &next, key);
                    let on_right = self.col(used, &cur, rel.col);
                    self.joins.push(format!(
                        "LEFT JOIN {} AS {alias} ON {on_left} = {on_right}",
                        table_ref(rel.to)
                    ));
                    self.paths.push((path, alias));
                    next
                }
            };
            cur = next;
        }
        Ok(cur)
    }

    /// True when the row `at` exists (its relation was not empty).
    pub fn exists(&self, used: &mut Used, at: &At) -> Result<Option<String>, SqlError> {
        if at.path.is_empty() {
            return Ok(None);
        }
        let key = self.key(at.table)?;
        Ok(Some(format!("{} IS NOT NULL", self.col(used, at, key))))
    }

    fn kind(&self, e: &CExpr) -> K {
        let of_col = |t: TableId, c: ColId| match self.p.schema.tables[t].columns[c].ty {
            ColType::Text => K::Text,
            ColType::Enum => K::Enum(Some((t, c))),
            ColType::Bool => K::Bool,
            ColType::Int | ColType::Decimal => K::Num,
            ColType::Date => K::Date,
            ColType::Datetime => K::DateTime,
        };
        match &e.kind {
            CKind::Lit(l) => match l {
                Lit::Null => K::Null,
                Lit::Bool(_) => K::Bool,
                Lit::Num(_) => K::Num,
                Lit::Str(_) => K::Text,
                Lit::Enum(..) => K::Enum(None),
                Lit::Date(_) => K::Date,
            },
            CKind::Col(c) => of_col(c.table, c.col),
            CKind::Period(_) => K::Date,
            CKind::Def { def, .. } => match self.p.defs[*def].ty {
                Ty::Bool => K::Bool,
                Ty::Num => K::Num,
                Ty::Text => K::Text,
                Ty::Enum(t, c) => K::Enum(Some((t, c))),
                Ty::Date => K::Date,
                Ty::DateTime => K::DateTime,
            },
            CKind::Not(_)
            | CKind::And(_)
            | CKind::Or(_)
            | CKind::Cmp(..)
            | CKind::IsEmpty(..)
            | CKind::In(..) => K::Bool,
            CKind::Arith(..) => K::Num,
            CKind::Default(a, b) => match self.kind(a) {
                K::Null => self.kind(b),
                k => k,
            },
            CKind::Call(f, _) => match crate::funcs::FUNCS[*f].gives {
                crate::funcs::Gives::Bool => K::Bool,
                crate::funcs::Gives::Num => K::Num,
                crate::funcs::Gives::Date => K::Date,
            },
            CKind::Agg(AggKind::Count, _) => K::Num,
            CKind::Agg(..) => K::Bool,
        }
    }

    fn lit(&self, l: &Lit) -> String {
        match l {
            Lit::Null => "NULL".into(),
            Lit::Bool(b) => if *b { "TRUE" } else { "FALSE" }.into(),
            Lit::Num(n) if n.fract() == 0.0 && n.abs() < 1e15 => num_lit(*n),
            Lit::Num(n) => format!("CAST({} AS {})", num_lit(*n), self.d.number_type()),
            Lit::Str(s) | Lit::Enum(_, s) => self.d.string(s),
            Lit::Date(d) => format!("DATE '{}'", fmt_day(*d)),
        }
    }

    /// A value as a date (a datetime's date).
    fn as_date(&mut self, used: &mut Used, e: &CExpr, at: &At) -> Result<String, SqlError> {
        let v = self.value(used, e, at)?;
        Ok(match self.kind(e) {
            K::DateTime => format!("CAST({v} AS DATE)"),
            _ => v,
        })
    }

    /// An expression's value (NULL where the native value is empty).
    pub fn value(&mut self, used: &mut Used, e: &CExpr, at: &At) -> Result<String, SqlError> {
        Ok(match &e.kind {
            CKind::Lit(l) => self.lit(l),
            CKind::Period(PeriodEdge::Start) => "period.period_start".into(),
            CKind::Period(PeriodEdge::End) => "period.period_end".into(),
            CKind::Col(c) => {
                let to = self.follow(used, at, &c.nav)?;
                self.col(used, &to, c.col)
            }
            CKind::Def { nav, def } => {
                let to = self.follow(used, at, nav)?;
                let expr = &self.p.defs[*def].expr;
                let v = self.value(used, expr, &to)?;
                if nav.is_empty() {
                    v
                } else {
                    // No related row: the definition is empty there.
                    let guard = self.exists(used, &to)?.unwrap_or_else(|| "TRUE".into());
                    format!("CASE WHEN {guard} THEN {v} END")
                }
            }
            CKind::Not(_)
            | CKind::And(_)
            | CKind::Or(_)
            | CKind::Cmp(..)
            | CKind::IsEmpty(..)
            | CKind::In(..) => self.cond(used, e, at)?,
            CKind::Arith(op, a, b) => {
                let x = self.operand(used, a, at)?;
                let y = self.operand(used, b, at)?;
                match op {
                    ArithOp::Add => format!("({x} + {y})"),
                    ArithOp::Sub => format!("({x} - {y})"),
                    ArithOp::Mul => format!("({x} * {y})"),
                    ArithOp::Div => format!("({x} / NULLIF({y}, 0))"),
                }
            }
            CKind::Default(a, b) => {
                let x = self.value(used, a, at)?;
                let y = self.value(used, b, at)?;
                format!("COALESCE({x}, {y})")
            }
            CKind::Call(f, args) => self.call(used, *f, args, at)?,
            CKind::Agg(kind, id) => {
                let alias = self.agg_join(used, *id, at)?;
                match kind {
                    AggKind::Any => format!("(COALESCE({alias}.hits, 0) > 0)"),
                    AggKind::Every => {
                        format!("(COALESCE({alias}.hits, 0) = COALESCE({alias}.total, 0))")
                    }
                    AggKind::Count => format!(
                        "CAST(COALESCE({alias}.hits, 0) AS {})",
                        self.d.number_type()
                    ),
                }
            }
        })
    }

    /// A number in arithmetic: literals typed as the engine's numbers, so
    /// that `1 / 2` is a half, as natively.
    fn operand(&mut self, used: &mut Used, e: &CExpr, at: &At) -> Result<String, SqlError> {
        match &e.kind {
            CKind::Lit(Lit::Num(n)) => {
                Ok(format!("CAST({} AS {})", num_lit(*n), self.d.number_type()))
            }
            _ => self.value(used, e, at),
        }
    }

    fn agg_join(&mut self, used: &mut Used, id: AggId, at: &At) -> Result<String, SqlError> {
        let agg = &self.p.aggs[id];
        let alias = format!("{}_{}", at.alias, agg_cte(id));
        if !self.agg_joins.iter().any(|(a, _)| *a == alias) {
            let key = self.key(agg.parent)?;
            let k = self.col(used, at, key);
            self.joins.push(format!(
                "LEFT JOIN {} AS {alias} ON {alias}.parent_key = {k}",
                agg_cte(id)
            ));
            self.agg_joins.push((alias.clone(), id));
        }
        if !used.aggs.contains(&id) {
            used.aggs.push(id);
        }
        Ok(alias)
    }

    /// A condition: never NULL.
    pub fn cond(&mut self, used: &mut Used, e: &CExpr, at: &At) -> Result<String, SqlError> {
        Ok(match &e.kind {
            CKind::Not(a) => format!("NOT {}", self.cond(used, a, at)?),
            CKind::And(v) | CKind::Or(v) => {
                let op = if matches!(e.kind, CKind::And(_)) {
                    " AND "
                } else {
                    " OR "
                };
                let parts = v
                    .iter()
                    .map(|x| self.cond(used, x, at))
                    .collect::<Result<Vec<_>, _>>()?;
                format!("({})", parts.join(op))
            }
            CKind::Cmp(op, a, b) => self.compare(used, *op, a, b, at)?,
            CKind::IsEmpty(a, negated) => {
                let v = self.value(used, a, at)?;
                format!("({v} IS {}NULL)", if *negated { "NOT " } else { "" })
            }
            CKind::In(a, negated, list) => self.member(used, a, *negated, list, at)?,
            // A definition that is a condition: the condition itself, on the
            // related row when there is one.
            CKind::Def { nav, def } if self.p.defs[*def].ty == Ty::Bool => {
                let to = self.follow(used, at, nav)?;
                let c = self.cond(used, &self.p.defs[*def].expr, &to)?;
                match self.exists(used, &to)? {
                    Some(g) => format!("({g} AND {c})"),
                    None => c,
                }
            }
            _ => match self.kind(e) {
                K::Bool => format!("COALESCE({}, FALSE)", self.value(used, e, at)?),
                // Only a true bool is true.
                _ => "FALSE".into(),
            },
        })
    }

    fn compare(
        &mut self,
        used: &mut Used,
        op: CmpOp,
        a: &CExpr,
        b: &CExpr,
        at: &At,
    ) -> Result<String, SqlError> {
        let (ka, kb) = (self.kind(a), self.kind(b));
        let sym = match op {
            CmpOp::Eq => "=",
            CmpOp::Ne => "<>",
            CmpOp::Lt => "<",
            CmpOp::Le => "<=",
            CmpOp::Gt => ">",
            CmpOp::Ge => ">=",
        };
        let plain = |s: &mut Self, used: &mut Used| -> Result<String, SqlError> {
            Ok(format!(
                "{} {sym} {}",
                s.value(used, a, at)?,
                s.value(used, b, at)?
            ))
        };
        let inner = match (ka, kb) {
            (K::Num, K::Num)
            | (K::DateTime, K::DateTime)
            | (K::Bool, K::Bool)
            | (K::Date, K::Date) => plain(self, used)?,
            (K::Date | K::DateTime, K::Date | K::DateTime) => format!(
                "{} {sym} {}",
                self.as_date(used, a, at)?,
                self.as_date(used, b, at)?
            ),
            (K::Text, K::Text) if matches!(op, CmpOp::Eq | CmpOp::Ne) => plain(self, used)?,
            (K::Text, K::Text) => {
                let x = self.value(used, a, at)?;
                let y = self.value(used, b, at)?;
                self.d.text_order(&x, sym, &y)
            }
            (K::Enum(x), K::Enum(y)) if matches!(op, CmpOp::Eq | CmpOp::Ne) => {
                if let (Some(x), Some(y)) = (x, y)
                    && x != y
                {
                    return Err(self.unsupported(super::Construct::EnumColumns));
                }
                plain(self, used)?
            }
            // Natively false: an empty value, an order of enums, kinds that differ.
            _ => return Ok("FALSE".into()),
        };
        Ok(format!("COALESCE({inner}, FALSE)"))
    }

    fn member(
        &mut self,
        used: &mut Used,
        a: &CExpr,
        negated: bool,
        list: &[Lit],
        at: &At,
    ) -> Result<String, SqlError> {
        let k = self.kind(a);
        let fits = |l: &Lit| {
            matches!(
                (k, l),
                (K::Text, Lit::Str(_))
                    | (K::Enum(_), Lit::Enum(..))
                    | (K::Num, Lit::Num(_))
                    | (K::Date, Lit::Date(_))
                    | (K::Bool, Lit::Bool(_))
            )
        };
        let v = self.value(used, a, at)?;
        let hits: Vec<String> = list
            .iter()
            .filter(|l| fits(l))
            .map(|l| self.lit(l))
            .collect();
        if list
            .iter()
            .any(|l| !fits(l) && !matches!((k, l), (K::DateTime, Lit::Date(_))))
        {
            return Err(self.unsupported(super::Construct::InListKinds));
        }
        if k == K::DateTime {
            // By the datetime's date.
            let dates: Vec<String> = list.iter().map(|l| self.lit(l)).collect();
            let not = if negated { "NOT " } else { "" };
            return Ok(format!(
                "COALESCE(CAST({v} AS DATE) {not}IN ({}), FALSE)",
                dates.join(", ")
            ));
        }
        if hits.is_empty() {
            // `x in ()` is false, `x not in ()` is true for a value.
            return Ok(if negated {
                format!("({v} IS NOT NULL)")
            } else {
                "FALSE".into()
            });
        }
        let not = if negated { "NOT " } else { "" };
        Ok(format!(
            "COALESCE({v} {not}IN ({}), FALSE)",
            hits.join(", ")
        ))
    }

    /// A call, as its entry in the function registry writes it.
    fn call(
        &mut self,
        used: &mut Used,
        f: crate::funcs::FuncId,
        args: &[CExpr],
        at: &At,
    ) -> Result<String, SqlError> {
        let func = &crate::funcs::FUNCS[f];
        if args.len() != func.args.len() {
            return Err(self.unsupported(super::Construct::Arguments {
                func: func.name.to_string(),
                given: args.len(),
            }));
        }
        let mut sql = Vec::with_capacity(args.len());
        for (e, a) in args.iter().zip(func.args) {
            sql.push(match a {
                crate::funcs::Arg::Day => self.as_date(used, e, at)?,
                _ => self.value(used, e, at)?,
            });
        }
        Ok((func.sql)(self.d, &sql))
    }
}

/// A relation or indicator name as part of an SQL name: ASCII letters,
/// digits and `_`, lower case; anything else becomes `_`.
pub fn ascii_name(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '_'
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_tables_mark_is_replaced_by_what_reads_it() {
        let reads = ["t_cases".to_string(), "(SELECT a FROM b)".to_string()];
        let sql = format!("FROM {} AS r JOIN {} AS s", table_ref(1), table_ref(0));
        assert_eq!(
            resolve_tables(&sql, &reads),
            "FROM (SELECT a FROM b) AS r JOIN t_cases AS s"
        );
        // A mark of no table read is left as it is.
        let odd = format!("a{TABLE_MARK}9{TABLE_MARK}b{TABLE_MARK}");
        assert_eq!(resolve_tables(&odd, &reads), odd);
    }
}
