//! A reference evaluator: a plain row-by-row interpreter of the checked
//! policy, written from the language's description, to check the engine
//! against. It reads every table into memory, follows a relation by a linear
//! search of the parent table, evaluates an aggregate by a scan of every child
//! row, and decides each record for each counted part and measure on its own:
//! no indexes, no chunks, no memos, no fingerprints. It shares with the
//! engine only the checked policy it reads (`ir`), the parsing of one field by
//! its column's type (`data::parse_field`), the registry of functions
//! (`funcs`) and the calendar of periods (`period`); none of `eval`.
// Each test crate that includes this module uses some of it.
#![allow(dead_code)]

pub mod random;

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use zhibiao::ir::*;
use zhibiao::period::Period;
use zhibiao::schema::{ColId, TableId};
use zhibiao::value::{Lit, Value};
use zhibiao::vocab::{AggFn, ArithOp, CmpOp, RuleKind};

/// A field's value, owned.
#[derive(Debug, Clone, PartialEq)]
pub enum V {
    Null,
    Bool(bool),
    Num(f64),
    Text(String),
    Enum(u16),
    Date(i32),
    DateTime(i64),
}

impl V {
    fn of(v: Value<'_>) -> V {
        match v {
            Value::Null => V::Null,
            Value::Bool(b) => V::Bool(b),
            Value::Num(n) => V::Num(n),
            Value::Str(s) => V::Text(s.to_string()),
            Value::Enum(i) => V::Enum(i),
            Value::Date(d) => V::Date(d),
            Value::DateTime(s) => V::DateTime(s),
        }
    }
    fn lit(l: &Lit) -> V {
        match l {
            Lit::Null => V::Null,
            Lit::Bool(b) => V::Bool(*b),
            Lit::Num(n) => V::Num(*n),
            Lit::Str(s) => V::Text(s.clone()),
            Lit::Enum(i, _) => V::Enum(*i),
            Lit::Date(d) => V::Date(*d),
        }
    }
    fn as_value(&self) -> Value<'_> {
        match self {
            V::Null => Value::Null,
            V::Bool(b) => Value::Bool(*b),
            V::Num(n) => Value::Num(*n),
            V::Text(s) => Value::Str(s),
            V::Enum(i) => Value::Enum(*i),
            V::Date(d) => Value::Date(*d),
            V::DateTime(s) => Value::DateTime(*s),
        }
    }
    fn truthy(&self) -> bool {
        *self == V::Bool(true)
    }
    fn num(&self) -> Option<f64> {
        match self {
            V::Num(n) => Some(*n),
            _ => None,
        }
    }
    /// The calendar day of a date or a datetime.
    fn day(&self) -> Option<i32> {
        match self {
            V::Date(d) => Some(*d),
            V::DateTime(s) => Some(s.div_euclid(86_400) as i32),
            _ => None,
        }
    }
}

/// One row of a table: its line in the file and its values by column.
#[derive(Debug, Clone)]
pub struct Row {
    pub line: u64,
    pub vals: Vec<V>,
}

/// Every table of the schema that has a file in the folder, read whole.
pub struct Data {
    pub tables: Vec<Vec<Row>>,
    /// Per table, row and schema relation leaving it: the parent row.
    parents: Vec<Vec<Vec<Option<usize>>>>,
}

/// Read every table of `schema` found in `dir`. A value that does not
/// parse is a panic: the reference is run on clean data only.
pub fn read(schema: &zhibiao::schema::Schema, dir: &Path) -> Data {
    let mut tables = Vec::new();
    for t in &schema.tables {
        let path = dir.join(&t.file);
        let mut rows = Vec::new();
        if path.is_file() {
            let mut rdr = csv::Reader::from_path(&path).expect("open");
            let header: Vec<String> = rdr
                .headers()
                .expect("header")
                .iter()
                .map(|h| h.trim_start_matches('\u{feff}').trim().to_string())
                .collect();
            let pos: Vec<Option<usize>> = t
                .columns
                .iter()
                .map(|c| header.iter().position(|h| *h == c.name))
                .collect();
            for rec in rdr.records() {
                let rec = rec.expect("record");
                let line = rec.position().expect("position").line();
                let vals = t
                    .columns
                    .iter()
                    .zip(&pos)
                    .map(|(c, p)| match p {
                        None => V::Null,
                        Some(p) => {
                            let raw = rec.get(*p).unwrap_or("");
                            match zhibiao::data::parse_field(c, raw) {
                                Ok(v) => V::of(v),
                                Err(e) => panic!("{}:{line}: {:?}", t.file, e.1),
                            }
                        }
                    })
                    .collect();
                rows.push(Row { line, vals });
            }
        }
        tables.push(rows);
    }
    let parents = resolve(schema, &tables);
    Data { tables, parents }
}

/// The outcome of one record for one counted part or measure, as the
/// engine's observer reports it.
#[derive(Debug, Clone, PartialEq, PartialOrd)]
pub struct Rec {
    pub ind: String,
    /// `part N` or `let N`.
    pub consumer: String,
    pub table: String,
    pub key: String,
    pub department: Option<String>,
    pub outcome: &'static str,
    pub amount: Option<f64>,
}

/// One figure: (indicator, department) → numerator, denominator, value, measures.
#[derive(Debug, Clone, PartialEq)]
pub struct Fig {
    pub numerator: Option<f64>,
    pub denominator: Option<f64>,
    pub value: Option<f64>,
    pub measures: Option<BTreeMap<String, Option<f64>>>,
}

pub struct Result {
    /// (indicator code, department) → figure; a `per` breakdown's figures
    /// under `per:VALUE`.
    pub figures: BTreeMap<(String, String), Fig>,
    pub records: Vec<Rec>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Outcome {
    OutOfPeriod,
    Excluded,
    NotCounted,
    Denominator,
    Numerator,
}

impl Outcome {
    fn name(self) -> &'static str {
        match self {
            Outcome::OutOfPeriod => "out_of_period",
            Outcome::Excluded => "excluded",
            Outcome::NotCounted => "not_counted",
            Outcome::Denominator => "denominator",
            Outcome::Numerator => "numerator",
        }
    }
}

struct Cx<'a> {
    p: &'a Policy,
    d: &'a Data,
    period: &'a Period,
}

/// Evaluate every indicator of `p` over `data` for `period`, the other
/// periods its formulas read included.
pub fn eval(p: &Policy, d: &Data, period: &Period) -> Result {
    let mut priors = HashMap::new();
    for prior in [Prior::Previous, Prior::LastYear] {
        if reads_prior(p, prior) {
            let other = match prior {
                Prior::Previous => period.previous(),
                Prior::LastYear => period.same_last_year(),
            };
            let cx = Cx {
                p,
                d,
                period: &other,
            };
            priors.insert(prior, cx.run(&HashMap::new()).figures);
        }
    }
    let cx = Cx { p, d, period };
    cx.run(&priors)
}

fn reads_prior(p: &Policy, k: Prior) -> bool {
    fn walk(v: &VExpr, k: Prior) -> bool {
        match v {
            VExpr::Prior(_, x) => *x == k,
            VExpr::Arith(_, a, b) | VExpr::Or(a, b) => walk(a, k) || walk(b, k),
            VExpr::Min(v) | VExpr::Max(v) | VExpr::SumDefined(v) => v.iter().any(|x| walk(x, k)),
            _ => false,
        }
    }
    p.indicators
        .iter()
        .any(|i| matches!(&i.body, Body::Formula { value, .. } if walk(value, k)))
}

/// Each row's parent through each relation, by a linear search of the parent
/// table for the row whose key is the relation column's text.
fn resolve(s: &zhibiao::schema::Schema, tables: &[Vec<Row>]) -> Vec<Vec<Vec<Option<usize>>>> {
    let mut out: Vec<Vec<Vec<Option<usize>>>> = tables
        .iter()
        .map(|rows| vec![vec![None; s.relations.len()]; rows.len()])
        .collect();
    for (ri, rel) in s.relations.iter().enumerate() {
        let Some(key) = s.tables[rel.to].key() else {
            continue;
        };
        for (i, row) in tables[rel.from].iter().enumerate() {
            if let V::Text(k) = &row.vals[rel.col] {
                out[rel.from][i][ri] = tables[rel.to]
                    .iter()
                    .position(|r| matches!(&r.vals[key], V::Text(x) if x == k));
            }
        }
    }
    out
}

fn cmp(op: CmpOp, a: &V, b: &V) -> bool {
    use std::cmp::Ordering;
    let o: Option<Ordering> = match (a, b) {
        (V::Num(x), V::Num(y)) => x.partial_cmp(y),
        (V::DateTime(x), V::DateTime(y)) => Some(x.cmp(y)),
        (V::Date(_) | V::DateTime(_), V::Date(_) | V::DateTime(_)) => Some(a.day().cmp(&b.day())),
        (V::Text(x), V::Text(y)) => Some(x.cmp(y)),
        (V::Bool(x), V::Bool(y)) => Some(x.cmp(y)),
        // Enum values are only equal or not.
        (V::Enum(x), V::Enum(y)) => {
            return match op {
                CmpOp::Eq => x == y,
                CmpOp::Ne => x != y,
                _ => false,
            };
        }
        _ => None,
    };
    let Some(o) = o else { return false };
    match op {
        CmpOp::Eq => o.is_eq(),
        CmpOp::Ne => o.is_ne(),
        CmpOp::Lt => o.is_lt(),
        CmpOp::Le => o.is_le(),
        CmpOp::Gt => o.is_gt(),
        CmpOp::Ge => o.is_ge(),
    }
}

/// A number as the engine shows it (a `per` value).
fn show_num(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        let s = format!("{n:.6}");
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    }
}

#[derive(Default, Clone)]
struct Stat {
    vals: Vec<f64>,
}

impl Stat {
    fn fold(&self, f: AggFn) -> Option<f64> {
        let v = &self.vals;
        let sum: f64 = v.iter().sum();
        match f {
            AggFn::Sum => Some(sum),
            _ if v.is_empty() => None,
            AggFn::Avg => Some(sum / v.len() as f64),
            AggFn::Min => v.iter().copied().reduce(f64::min),
            AggFn::Max => v.iter().copied().reduce(f64::max),
            AggFn::Median => {
                let mut s = v.clone();
                s.sort_by(f64::total_cmp);
                let m = s.len() / 2;
                Some(if s.len() % 2 == 1 {
                    s[m]
                } else {
                    (s[m - 1] + s[m]) / 2.0
                })
            }
        }
    }
}

/// A formula's value: a number or undefined.
type Fv = Option<f64>;

impl Cx<'_> {
    fn nav(&self, mut t: TableId, mut r: usize, nav: &[RelId]) -> Option<(TableId, usize)> {
        for &rel in nav {
            r = self.d.parents[t][r][rel]?;
            t = self.p.schema.relations[rel].to;
        }
        Some((t, r))
    }

    fn ev(&self, e: &CExpr, t: TableId, r: usize) -> V {
        match &e.kind {
            CKind::Lit(l) => V::lit(l),
            CKind::Period(PeriodEdge::Start) => V::Date(self.period.start),
            CKind::Period(PeriodEdge::End) => V::Date(self.period.end),
            CKind::Col(c) => match self.nav(t, r, &c.nav) {
                Some((tt, rr)) => self.d.tables[tt][rr].vals[c.col].clone(),
                None => V::Null,
            },
            CKind::Def { nav, def } => match self.nav(t, r, nav) {
                Some((tt, rr)) => self.ev(&self.p.defs[*def].expr, tt, rr),
                None => V::Null,
            },
            CKind::Not(a) => V::Bool(!self.ev(a, t, r).truthy()),
            CKind::And(v) => V::Bool(v.iter().all(|x| self.ev(x, t, r).truthy())),
            CKind::Or(v) => V::Bool(v.iter().any(|x| self.ev(x, t, r).truthy())),
            CKind::Cmp(op, a, b) => V::Bool(cmp(*op, &self.ev(a, t, r), &self.ev(b, t, r))),
            CKind::IsEmpty(a, negated) => V::Bool((self.ev(a, t, r) == V::Null) != *negated),
            CKind::In(a, negated, list) => {
                let v = self.ev(a, t, r);
                if v == V::Null {
                    return V::Bool(false);
                }
                let hit = list.iter().any(|l| cmp(CmpOp::Eq, &v, &V::lit(l)));
                V::Bool(hit != *negated)
            }
            CKind::Arith(op, a, b) => {
                let (Some(x), Some(y)) = (self.ev(a, t, r).num(), self.ev(b, t, r).num()) else {
                    return V::Null;
                };
                match op {
                    ArithOp::Add => V::Num(x + y),
                    ArithOp::Sub => V::Num(x - y),
                    ArithOp::Mul => V::Num(x * y),
                    ArithOp::Div if y == 0.0 => V::Null,
                    ArithOp::Div => V::Num(x / y),
                }
            }
            CKind::Default(a, b) => match self.ev(a, t, r) {
                V::Null => self.ev(b, t, r),
                v => v,
            },
            CKind::Call(f, args) => {
                let vals: Vec<V> = args.iter().map(|a| self.ev(a, t, r)).collect();
                let vals: Vec<Value<'_>> = vals.iter().map(V::as_value).collect();
                V::of((zhibiao::funcs::FUNCS[*f].eval)(&vals))
            }
            CKind::Agg(kind, id) => {
                // Every row of the child table whose relation column names
                // this row's key.
                let agg = &self.p.aggs[*id];
                let key = self.p.schema.tables[agg.parent].key().expect("parent key");
                let me = &self.d.tables[t][r].vals[key];
                let (mut hit, mut all) = (0u64, 0u64);
                for (ci, child) in self.d.tables[agg.child].iter().enumerate() {
                    if *me == V::Null || child.vals[agg.rel_col] != *me {
                        continue;
                    }
                    all += 1;
                    if agg
                        .cond
                        .as_ref()
                        .is_none_or(|c| self.ev(c, agg.child, ci).truthy())
                    {
                        hit += 1;
                    }
                }
                match kind {
                    AggKind::Any => V::Bool(hit > 0),
                    AggKind::Every => V::Bool(hit == all),
                    AggKind::Count => V::Num(hit as f64),
                }
            }
        }
    }

    /// A value as text: a department, a `per` value.
    fn text(&self, v: &V, t: TableId, c: ColId) -> Option<String> {
        match v {
            V::Null => None,
            V::Text(s) => Some(s.clone()),
            V::Enum(i) => Some(self.p.schema.tables[t].columns[c].values[*i as usize].clone()),
            V::Bool(b) => Some(if *b { "是" } else { "否" }.to_string()),
            V::Num(n) => Some(show_num(*n)),
            V::Date(d) => Some(zhibiao::value::fmt_day(*d)),
            V::DateTime(s) => Some(zhibiao::value::fmt_datetime(*s)),
        }
    }

    /// The text a column expression reads (`case.department`).
    fn col_text(&self, e: &CExpr, t: TableId, r: usize) -> Option<String> {
        let v = self.ev(e, t, r);
        match &e.kind {
            CKind::Col(c) => {
                let tt = c.table;
                self.text(&v, tt, c.col)
            }
            _ => match v {
                V::Text(s) => Some(s),
                _ => None,
            },
        }
    }

    /// The department a record counts for: `department of T = …`.
    fn department(&self, t: TableId, r: usize) -> Option<String> {
        let a = self.p.attribution[t].as_ref()?;
        let (tt, rr) = self.nav(t, r, &a.nav)?;
        match &self.d.tables[tt][rr].vals[a.col] {
            V::Text(s) => Some(s.clone()),
            V::Enum(i) => Some(self.p.schema.tables[tt].columns[a.col].values[*i as usize].clone()),
            _ => None,
        }
    }

    /// Whether a scope rule puts the record out of scope.
    fn out_of_scope(&self, t: TableId, r: usize) -> bool {
        self.p.scope_paths[t].iter().any(|(si, path)| {
            self.nav(t, r, path)
                .is_some_and(|(st, sr)| self.ev(&self.p.scope[*si].cond, st, sr).truthy())
        })
    }

    fn in_period(&self, t: TableId, r: usize, by: Option<ColId>) -> bool {
        by.is_none_or(|c| {
            self.d.tables[t][r].vals[c]
                .day()
                .is_some_and(|d| self.period.start <= d && d <= self.period.end)
        })
    }

    /// The outcome of a record for a counted part.
    fn decide(&self, part: &Part, t: TableId, r: usize) -> Outcome {
        if self.out_of_scope(t, r) {
            return Outcome::Excluded;
        }
        if !self.in_period(t, r, part.by) {
            return Outcome::OutOfPeriod;
        }
        if let Some(w) = &part.when
            && !self.ev(w, t, r).truthy()
        {
            return Outcome::OutOfPeriod;
        }
        // The first rule of both sides that fails decides; a numerator rule
        // that fails leaves the record in the denominator.
        let mut numerator_fails = false;
        for rule in &part.rules {
            let v = self.ev(&rule.cond, t, r).truthy();
            let fails = match rule.kind {
                RuleKind::Require => !v,
                RuleKind::Exclude => v,
            };
            if !fails {
                continue;
            }
            match (rule.side, rule.kind) {
                (RuleSide::Both, RuleKind::Require) => return Outcome::NotCounted,
                (RuleSide::Both, RuleKind::Exclude) => return Outcome::Excluded,
                (RuleSide::NumeratorOnly, _) => numerator_fails = true,
            }
        }
        match (part.role, numerator_fails) {
            (Role::Both, true) => Outcome::Denominator,
            (Role::Both | Role::Numerator, false) => Outcome::Numerator,
            (Role::Denominator, false) => Outcome::Denominator,
            (_, true) => Outcome::NotCounted,
        }
    }

    /// What a record of outcome `o` adds to [numerator, denominator].
    fn adds(role: Role, o: Outcome) -> [u64; 2] {
        match (role, o) {
            (Role::Both, Outcome::Numerator) => [1, 1],
            (Role::Both, Outcome::Denominator) => [0, 1],
            (Role::Numerator, Outcome::Numerator) => [1, 0],
            (Role::Denominator, Outcome::Denominator) => [0, 1],
            _ => [0, 0],
        }
    }

    /// A record's part in a `let` measure: counted or not, and its amount.
    fn measure(&self, m: &Measure, t: TableId, r: usize) -> (Outcome, Option<f64>) {
        match m {
            Measure::Lookup { filter, col, .. } => {
                if !self.ev(filter, t, r).truthy() {
                    return (Outcome::NotCounted, None);
                }
                (Outcome::Numerator, self.d.tables[t][r].vals[*col].num())
            }
            Measure::Count { by, filter, .. } | Measure::Agg { by, filter, .. } => {
                if self.out_of_scope(t, r) {
                    return (Outcome::Excluded, None);
                }
                if !self.in_period(t, r, *by) {
                    return (Outcome::OutOfPeriod, None);
                }
                if let Some(f) = filter
                    && !self.ev(f, t, r).truthy()
                {
                    return (Outcome::Excluded, None);
                }
                let amount = match m {
                    Measure::Agg { expr, .. } => self.ev(expr, t, r).num(),
                    _ => Some(1.0),
                };
                (Outcome::Numerator, amount)
            }
        }
    }

    fn key(&self, t: TableId, r: usize) -> String {
        let row = &self.d.tables[t][r];
        match self.p.schema.tables[t].key().map(|k| &row.vals[k]) {
            Some(V::Text(k)) => k.clone(),
            _ => format!("line {}", row.line),
        }
    }

    fn run(&self, priors: &HashMap<Prior, BTreeMap<(String, String), Fig>>) -> Result {
        let p = self.p;
        let mut records = Vec::new();
        // Per indicator: its listed figures, department → figure.
        let mut listed: Vec<BTreeMap<String, Fig>> = vec![BTreeMap::new(); p.indicators.len()];
        let mut figures = BTreeMap::new();
        for &ii in &p.order {
            let ind = &p.indicators[ii];
            let rec = |consumer: String, t: TableId, r: usize, dept, o: Outcome, amount| Rec {
                ind: ind.code.clone(),
                consumer,
                table: p.schema.tables[t].name.clone(),
                key: self.key(t, r),
                department: dept,
                outcome: o.name(),
                amount,
            };
            // Department → figure, before the listing.
            let mut cells: BTreeMap<String, Fig> = BTreeMap::new();
            let mut found: Vec<String> = Vec::new();
            match &ind.body {
                Body::Ratio(parts) => {
                    let mut counts: BTreeMap<String, [u64; 2]> = BTreeMap::new();
                    let mut per: BTreeMap<String, [u64; 2]> = BTreeMap::new();
                    let add = |m: &mut BTreeMap<String, [u64; 2]>, k: String, c: [u64; 2]| {
                        let e = m.entry(k).or_default();
                        e[0] += c[0];
                        e[1] += c[1];
                    };
                    for (pi, part) in parts.iter().enumerate() {
                        let t = part.table;
                        // Distinct items in file order: the department of the
                        // first counted row, the best outcome of all.
                        let mut items: HashMap<String, (String, Outcome)> = HashMap::new();
                        for r in 0..self.d.tables[t].len() {
                            let o = self.decide(part, t, r);
                            let dept = match &part.department {
                                Some(e) => self.col_text(e, t, r),
                                None => self.department(t, r),
                            };
                            records.push(rec(format!("part {pi}"), t, r, dept.clone(), o, None));
                            let dept = dept.unwrap_or_default();
                            match &part.distinct {
                                Some(cols) => {
                                    if o < Outcome::Denominator {
                                        continue;
                                    }
                                    // An item is told by its values as shown:
                                    // decimals by their six decimal places.
                                    let item: Vec<Option<String>> = cols
                                        .iter()
                                        .map(|c| self.text(&self.d.tables[t][r].vals[*c], t, *c))
                                        .collect();
                                    // For its best record's department; of
                                    // several, the first by name, a named one
                                    // before none.
                                    let e = items
                                        .entry(format!("{item:?}"))
                                        .or_insert((dept.clone(), o));
                                    let named_first =
                                        |a: &str, b: &str| !a.is_empty() && (b.is_empty() || a < b);
                                    if o > e.1 || (o == e.1 && named_first(&dept, &e.0)) {
                                        *e = (dept, o);
                                    }
                                }
                                None => {
                                    let c = Self::adds(part.role, o);
                                    if c == [0, 0] {
                                        continue;
                                    }
                                    add(&mut counts, dept, c);
                                    if let Some(e) = &part.per {
                                        let k = self.col_text(e, t, r).unwrap_or_default();
                                        add(&mut per, k, c);
                                    }
                                }
                            }
                        }
                        for (dept, o) in items.into_values() {
                            let c = Self::adds(part.role, o);
                            if c != [0, 0] {
                                add(&mut counts, dept, c);
                            }
                        }
                    }
                    let scale = if ind.unit == Unit::Percent {
                        100.0
                    } else {
                        1.0
                    };
                    let fig = |c: [u64; 2]| Fig {
                        numerator: Some(c[0] as f64),
                        denominator: Some(c[1] as f64),
                        value: if ind.unit == Unit::Count {
                            Some(c[0] as f64)
                        } else if c[1] > 0 {
                            Some(c[0] as f64 / c[1] as f64 * scale)
                        } else {
                            None
                        },
                        measures: None,
                    };
                    let mut court = [0, 0];
                    for (d, c) in &counts {
                        court[0] += c[0];
                        court[1] += c[1];
                        if !d.is_empty() {
                            found.push(d.clone());
                            cells.insert(d.clone(), fig(*c));
                        }
                    }
                    cells.insert("court".into(), fig(court));
                    if ind.per.is_some() {
                        // Records with no value are under "", as the report keeps them.
                        for (k, c) in per {
                            figures.insert((ind.code.clone(), format!("per:{k}")), fig(c));
                        }
                    }
                }
                Body::Formula { lets, value } => {
                    // Per measure: department → amounts; and the lookups' hits.
                    let mut stats: Vec<BTreeMap<String, Stat>> = Vec::new();
                    let mut hits: Vec<Vec<Option<f64>>> = Vec::new();
                    for (li, l) in lets.iter().enumerate() {
                        let t = l.measure.table();
                        let mut st: BTreeMap<String, Stat> = BTreeMap::new();
                        let mut h = Vec::new();
                        for r in 0..self.d.tables[t].len() {
                            let (o, amount) = self.measure(&l.measure, t, r);
                            let dept = self.department(t, r);
                            let shown = amount.filter(|_| o == Outcome::Numerator);
                            records.push(rec(format!("let {li}"), t, r, dept.clone(), o, shown));
                            if o != Outcome::Numerator {
                                continue;
                            }
                            match &l.measure {
                                Measure::Lookup { .. } => h.push(amount),
                                _ => {
                                    if let Some(x) = amount {
                                        st.entry(dept.unwrap_or_default())
                                            .or_default()
                                            .vals
                                            .push(x);
                                    }
                                }
                            }
                        }
                        found.extend(st.keys().filter(|d| !d.is_empty()).cloned());
                        stats.push(st);
                        hits.push(h);
                    }
                    for (dep, _) in &ind.derived_from {
                        found.extend(listed[*dep].keys().filter(|d| *d != "court").cloned());
                    }
                    found.sort();
                    found.dedup();
                    for dept in found.iter().map(String::as_str).chain(["court"]) {
                        let mut measures = BTreeMap::new();
                        let lv: Vec<Fv> = lets
                            .iter()
                            .enumerate()
                            .map(|(li, l)| {
                                let v = match &l.measure {
                                    Measure::Lookup { .. } => match hits[li].as_slice() {
                                        [Some(x)] => Some(*x),
                                        _ => None,
                                    },
                                    m => {
                                        let mut s = Stat::default();
                                        for (d, x) in &stats[li] {
                                            if dept == "court" || d == dept {
                                                s.vals.extend(&x.vals);
                                            }
                                        }
                                        let f = match m {
                                            Measure::Agg { func, .. } => *func,
                                            _ => AggFn::Sum,
                                        };
                                        s.fold(f)
                                    }
                                };
                                measures.insert(l.name.clone(), v);
                                v
                            })
                            .collect();
                        let v = self
                            .formula(value, &lv, &listed, priors, dept)
                            .filter(|x| x.is_finite());
                        cells.insert(
                            dept.to_string(),
                            Fig {
                                numerator: None,
                                denominator: None,
                                value: v,
                                measures: (!lets.is_empty()).then_some(measures),
                            },
                        );
                    }
                }
            }
            // The departments listed: as the policy says, then the court.
            let mut depts: Vec<String> = match &ind.report {
                ReportMode::Court => Vec::new(),
                ReportMode::Found => found.clone(),
                ReportMode::Departments(list) => list.iter().chain(&found).cloned().collect(),
            };
            depts.sort();
            depts.dedup();
            depts.push("court".into());
            for d in depts {
                let fig = cells.get(&d).cloned().unwrap_or_else(|| match &ind.body {
                    Body::Ratio(_) => Fig {
                        numerator: Some(0.0),
                        denominator: Some(0.0),
                        value: (ind.unit == Unit::Count).then_some(0.0),
                        measures: None,
                    },
                    Body::Formula { .. } => Fig {
                        numerator: None,
                        denominator: None,
                        value: None,
                        measures: None,
                    },
                });
                figures.insert((ind.code.clone(), d.clone()), fig.clone());
                listed[ii].insert(d, fig);
            }
        }
        Result { figures, records }
    }

    /// A value formula for one department: an undefined operand makes the
    /// result undefined, but for `A or B` and `sum_defined`.
    fn formula(
        &self,
        v: &VExpr,
        lets: &[Fv],
        listed: &[BTreeMap<String, Fig>],
        priors: &HashMap<Prior, BTreeMap<(String, String), Fig>>,
        dept: &str,
    ) -> Fv {
        let f = |x: &VExpr| self.formula(x, lets, listed, priors, dept);
        match v {
            VExpr::Num(n) => Some(*n),
            VExpr::Let(i) => lets[*i],
            VExpr::Ind(i) => listed[*i].get(dept).and_then(|x| x.value),
            VExpr::Prior(i, k) => priors.get(k).and_then(|figs| {
                let code = self.p.indicators[*i].code.clone();
                figs.get(&(code, dept.to_string())).and_then(|x| x.value)
            }),
            VExpr::Or(a, b) => f(a).or_else(|| f(b)),
            VExpr::Arith(op, a, b) => {
                let (x, y) = (f(a)?, f(b)?);
                match op {
                    ArithOp::Add => Some(x + y),
                    ArithOp::Sub => Some(x - y),
                    ArithOp::Mul => Some(x * y),
                    ArithOp::Div if y == 0.0 => None,
                    ArithOp::Div => Some(x / y),
                }
            }
            VExpr::SumDefined(xs) => xs.iter().filter_map(f).reduce(|a, b| a + b),
            VExpr::Min(xs) => xs
                .iter()
                .map(f)
                .collect::<Option<Vec<f64>>>()?
                .into_iter()
                .reduce(f64::min),
            VExpr::Max(xs) => xs
                .iter()
                .map(f)
                .collect::<Option<Vec<f64>>>()?
                .into_iter()
                .reduce(f64::max),
        }
    }
}

/// The engine's figures in the reference's shape.
pub fn engine_figures(r: &zhibiao::eval::Report) -> BTreeMap<(String, String), Fig> {
    let mut out = BTreeMap::new();
    for ind in &r.indicators {
        for f in &ind.figures {
            out.insert(
                (ind.indicator.clone(), f.department.clone()),
                Fig {
                    numerator: f.numerator,
                    denominator: f.denominator,
                    value: f.value,
                    measures: f.measures.clone(),
                },
            );
        }
        if let Some(per) = &ind.per {
            for f in &per.figures {
                out.insert(
                    (ind.indicator.clone(), format!("per:{}", f.department)),
                    Fig {
                        numerator: f.numerator,
                        denominator: f.denominator,
                        value: f.value,
                        measures: None,
                    },
                );
            }
        }
    }
    out
}

/// The engine's record outcomes in the reference's shape.
pub fn engine_records(p: &Policy, outcomes: &[zhibiao::eval::RecordOutcome]) -> Vec<Rec> {
    outcomes
        .iter()
        .filter_map(|o| {
            let consumer = match o.consumer {
                zhibiao::plan::Consumer::Part { part, .. } => format!("part {part}"),
                zhibiao::plan::Consumer::Measure { let_, .. } => format!("let {let_}"),
                zhibiao::plan::Consumer::Agg(_) => return None,
            };
            Some(Rec {
                ind: p.indicators[o.ind].code.clone(),
                consumer,
                table: p.schema.tables[o.table].name.clone(),
                key: o.key.clone(),
                department: o.department.clone(),
                outcome: o.outcome.as_str(),
                amount: o.amount,
            })
        })
        .collect()
}

/// Whether two numbers are the same figure: equal, or within rounding of
/// sums taken in another order.
pub fn close(a: Option<f64>, b: Option<f64>) -> bool {
    match (a, b) {
        (None, None) => true,
        (Some(x), Some(y)) => x == y || (x - y).abs() <= 1e-9 * x.abs().max(y.abs()).max(1.0),
        _ => false,
    }
}

fn same_fig(a: &Fig, b: &Fig) -> bool {
    close(a.numerator, b.numerator)
        && close(a.denominator, b.denominator)
        && close(a.value, b.value)
        && match (&a.measures, &b.measures) {
            (None, None) => true,
            (Some(x), Some(y)) => {
                x.len() == y.len()
                    && x.iter()
                        .zip(y)
                        .all(|((k1, v1), (k2, v2))| k1 == k2 && close(*v1, *v2))
            }
            _ => false,
        }
}

/// Every difference between two sets of figures, one line each.
pub fn figure_diffs(
    engine: &BTreeMap<(String, String), Fig>,
    reference: &BTreeMap<(String, String), Fig>,
) -> Vec<String> {
    let mut out = Vec::new();
    for (k, e) in engine {
        match reference.get(k) {
            None => out.push(format!("{k:?}: engine {e:?}, reference none")),
            Some(r) if !same_fig(e, r) => out.push(format!("{k:?}: engine {e:?}, reference {r:?}")),
            Some(_) => {}
        }
    }
    for (k, r) in reference {
        if !engine.contains_key(k) {
            out.push(format!("{k:?}: engine none, reference {r:?}"));
        }
    }
    out
}

/// Every difference between two lists of record outcomes (as multisets).
pub fn record_diffs(engine: &[Rec], reference: &[Rec]) -> Vec<String> {
    let key = |r: &Rec| {
        format!(
            "{} {} {} {} {:?} {} {:?}",
            r.ind,
            r.consumer,
            r.table,
            r.key,
            r.department,
            r.outcome,
            r.amount.map(|a| (a * 1e6).round() as i64)
        )
    };
    let mut count: BTreeMap<String, i64> = BTreeMap::new();
    for r in engine {
        *count.entry(key(r)).or_default() += 1;
    }
    for r in reference {
        *count.entry(key(r)).or_default() -= 1;
    }
    count
        .into_iter()
        .filter(|(_, n)| *n != 0)
        .map(|(k, n)| {
            if n > 0 {
                format!("engine only ({n}): {k}")
            } else {
                format!("reference only ({}): {k}", -n)
            }
        })
        .collect()
}
