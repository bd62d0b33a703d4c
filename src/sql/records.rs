//! What each indicator part and `let` measure reads of its table's records,
//! compiled into the table's one scan: its department, scope rules, `by`,
//! `when` and rules per side (each under a comment with the policy's words),
//! its distinct item and `per` key; then its counts' CTE and output rows.
//! The CTE of an aggregate over related rows is made here too.

use std::fmt::Write as _;

use super::expr::{Rows, agg_cte, table_ref};
use super::{Construct, Gen, Scan, SqlError, comment, conjunction, raw_name};
use crate::ir::*;
use crate::logical::{DeptKey, MeasureKind, MeasurePlan, PartPlan, ScopeUse};
use crate::schema::ColType;
use crate::vocab::{AggFn, RuleKind};

impl<'a> Gen<'a> {
    /// The scan of table `t`, taken out to compile `code` into it.
    #[allow(
        clippy::expect_used,
        reason = "each caller puts the scan back before it takes another"
    )]
    pub(super) fn take_scan(&mut self, t: crate::schema::TableId, code: &str) -> (usize, Scan<'a>) {
        let i = match self.scan_of[t] {
            Some(i) => i,
            None => {
                self.scans.push(Some(Scan {
                    rows: Rows::new(self.p, self.d, code, t, "r"),
                    cols: Vec::new(),
                    department: None,
                    readers: Vec::new(),
                    items: Vec::new(),
                    counted: Some(Vec::new()),
                }));
                self.scan_of[t] = Some(self.scans.len() - 1);
                self.scans.len() - 1
            }
        };
        let mut scan = self.scans[i]
            .take()
            .expect("a scan is put back after each use");
        scan.rows.indicator = code.to_string();
        (i, scan)
    }

    pub(super) fn scan_name(&self, t: crate::schema::TableId) -> String {
        self.d
            .ident(&format!("{}_records", self.p.schema.tables[t].name))
    }

    /// The name of a scan's department column for a consumer: `department`
    /// when it is the table's, else its own.
    fn department_col(&self, scan: &mut Scan<'a>, sql: String, raw: &str, head: &str) -> String {
        match &scan.department {
            None => {
                scan.cols.push((None, format!("{sql} AS department")));
                scan.department = Some(sql);
                "department".into()
            }
            Some(d) if *d == sql => "department".into(),
            Some(_) => {
                let name = self.d.ident(&format!("{raw}_department"));
                scan.cols.push((
                    Some(format!("{head}: its department")),
                    format!("{sql} AS {name}"),
                ));
                name
            }
        }
    }

    /// The group of `part`'s distinct items (its table's items by the same
    /// columns and department), made when it is the first to count them.
    fn item_group(
        &mut self,
        part: &PartPlan,
        items: &[String],
        department: &str,
        scan: &str,
    ) -> usize {
        let found = self
            .item_groups
            .iter()
            .position(|g| g.table == part.table && g.items == items && g.department == department);
        if let Some(i) = found {
            return i;
        }
        let table = &self.p.schema.tables[part.table].name;
        let k = self
            .item_groups
            .iter()
            .filter(|g| g.table == part.table)
            .count();
        let name = match k {
            0 => format!("{table}_items"),
            k => format!("{table}_items_{}", k + 1),
        };
        self.ctes
            .push((String::new(), self.d.ident(&name), String::new()));
        self.item_groups.push(super::ItemGroup {
            table: part.table,
            items: items.to_vec(),
            department: department.to_string(),
            head: format!(
                "the distinct items of {table} ({})",
                item_names(self.p, part).join(", ")
            ),
            scan: scan.to_string(),
            cte: self.ctes.len() - 1,
            parts: Vec::new(),
        });
        self.item_groups.len() - 1
    }

    /// The scope conditions of a table's records: each must not hold.
    fn scope(
        &mut self,
        rows: &mut Rows<'_>,
        scope: &[ScopeUse],
    ) -> Result<Vec<(String, String)>, SqlError> {
        Ok(self
            .scope_hits(rows, scope)?
            .into_iter()
            .map(|(why, hit)| (why, format!("NOT {hit}")))
            .collect())
    }

    /// Per scope rule that reaches a table: the comment and the condition
    /// under which it takes a record out.
    pub(super) fn scope_hits(
        &mut self,
        rows: &mut Rows<'_>,
        scope: &[ScopeUse],
    ) -> Result<Vec<(String, String)>, SqlError> {
        let mut out = Vec::new();
        for s in scope {
            let rule = &self.p.scope[s.rule];
            let base = rows.base.clone();
            let at = rows.follow(&mut self.used, &base, &s.path)?;
            let c = rows.cond(&mut self.used, &rule.cond, &at)?;
            // A record whose relation is empty is not judged by the rule.
            let hit = match rows.exists(&mut self.used, &at)? {
                Some(g) => format!("({g} AND {c})"),
                None => c,
            };
            let cite = rule
                .cite
                .as_ref()
                .map(|c| format!(" ({})", comment(c)))
                .unwrap_or_default();
            out.push((
                format!(
                    "scope: exclude {} where {} — {}{cite}",
                    self.p.schema.tables[rule.table].name,
                    comment(self.p.text_of(rule.cond.loc)),
                    comment(&rule.because)
                ),
                hit,
            ));
        }
        Ok(out)
    }

    pub(super) fn by(&mut self, rows: &Rows<'_>, by: Option<usize>) -> Option<(String, String)> {
        let by = by?;
        let t = rows.base.table;
        let col = rows.col(&mut self.used, &rows.base, by);
        let ty = self.p.schema.tables[t].columns[by].ty;
        // A datetime is in the period when its date is: from the first day's
        // midnight up to the midnight after the last (a range an index serves).
        let inside = if ty == ColType::Datetime {
            format!("{col} >= period.period_start AND {col} < period.period_after")
        } else {
            format!("{col} BETWEEN period.period_start AND period.period_end")
        };
        Some((
            format!(
                "by {}: in the period",
                self.p.schema.tables[t].columns[by].name
            ),
            format!("COALESCE({inside}, FALSE)"),
        ))
    }

    /// The department column of a records CTE.
    pub(super) fn department(
        &mut self,
        rows: &mut Rows<'_>,
        key: &DeptKey,
    ) -> Result<String, SqlError> {
        let base = rows.base.clone();
        let v = match key {
            DeptKey::None => return Ok(format!("CAST('' AS {})", self.d.text_type())),
            DeptKey::Path(c) => {
                let at = rows.follow(&mut self.used, &base, &c.nav)?;
                rows.shown(&mut self.used, &at, c.col)?
            }
            DeptKey::Expr(e) => {
                let CKind::Col(c) = &e.kind else {
                    return Err(rows.unsupported(Construct::DepartmentNotColumn));
                };
                let at = rows.follow(&mut self.used, &base, &c.nav)?;
                rows.shown(&mut self.used, &at, c.col)?
            }
        };
        Ok(format!("COALESCE({v}, '')"))
    }

    pub(super) fn sources(&self, rows: &Rows<'_>) -> String {
        let mut s = format!(
            "  FROM {} AS {}\n  CROSS JOIN period",
            table_ref(rows.base.table),
            rows.base.alias
        );
        for j in &rows.joins {
            let _ = write!(s, "\n  {j}");
        }
        s
    }

    pub(super) fn part(&mut self, part: &PartPlan) -> Result<(), SqlError> {
        let p = self.p;
        let ind = &p.indicators[part.ind];
        let (si, mut scan) = self.take_scan(part.table, &part.code);
        let rows = &mut scan.rows;
        let per = match &part.per {
            Some(e) => Some(self.per(rows, e)?),
            None => None,
        };
        // An item counts for the department of its best record (of those,
        // the first by name): SQL ranks an item's records only where its
        // records' departments may differ.
        let fixed = part.items_fix_department(p);
        let dept = self.department(rows, &part.department)?;
        let mut counted = self.scope(rows, &part.scope)?;
        counted.extend(self.by(rows, part.placement.by));
        if let Some(w) = &part.placement.when {
            let base = rows.base.clone();
            let c = rows.cond(&mut self.used, w, &base)?;
            counted.push((format!("when {}", comment(p.text_of(w.loc))), c));
        }
        let mut numerator = Vec::new();
        for r in &part.rules {
            let base = rows.base.clone();
            let c = rows.cond(&mut self.used, &r.cond, &base)?;
            let (word, c) = match r.kind {
                RuleKind::Require => ("require", c),
                RuleKind::Exclude => ("exclude", format!("NOT {c}")),
            };
            let mut why = format!("{word} {}", comment(p.text_of(r.cond.loc)));
            if let Some(b) = &r.because {
                let _ = write!(why, " — {}", comment(b));
            }
            if let Some(c) = &r.cite {
                let _ = write!(why, " ({})", comment(c));
            }
            match r.side {
                RuleSide::Both => counted.push((why, c)),
                RuleSide::NumeratorOnly => numerator.push((format!("numerator {why}"), c)),
            }
        }
        let mut items = Vec::new();
        for c in part.distinct.iter().flatten() {
            // Natively an item is told by its values as text: decimals with
            // the same six decimal places are one item. Other values are
            // told apart by their text exactly when by their value.
            let base = rows.base.clone();
            items.push(
                if p.schema.tables[part.table].columns[*c].ty == ColType::Decimal {
                    rows.shown(&mut self.used, &base, *c)?
                } else {
                    rows.col(&mut self.used, &base, *c)
                },
            );
        }
        let table = &p.schema.tables[part.table].name;
        let role = match part.role {
            Role::Both => "numerator and denominator",
            Role::Numerator => "numerator",
            Role::Denominator => "denominator",
        };
        let raw = raw_name(&part.code, &(part.part + 1).to_string());
        let name = self.d.ident(&raw);
        let col = |suffix: &str| self.d.ident(&format!("{raw}_{suffix}"));
        let head = format!(
            "{} {} · part {} ({role}): {}{}",
            part.code,
            comment(&ind.name),
            part.part + 1,
            if part.distinct.is_some() {
                "distinct items of "
            } else {
                ""
            },
            table
        );
        let dept_col = self.department_col(&mut scan, dept, &raw, &head);
        let mut first = Some(head);
        let mut item_cols = Vec::new();
        if let Some(cols) = &part.distinct {
            match scan.items.iter().find(|(c, _)| c == cols) {
                Some((_, names)) => item_cols = names.clone(),
                None => {
                    for (i, sql) in items.iter().enumerate() {
                        let c = col(&format!("item_{}", i + 1));
                        scan.cols.push((first.take(), format!("{sql} AS {c}")));
                        item_cols.push(c);
                    }
                    scan.items.push((cols.clone(), item_cols.clone()));
                }
            }
        }
        let per_col = per.as_ref().map(|k| {
            let c = col("per_key");
            scan.cols.push((first.take(), format!("{k} AS {c}")));
            c
        });
        let (counted_col, numerator_col) = (col("counted"), col("numerator_ok"));
        scan.cols.push((
            first.take(),
            format!("{} AS {counted_col}", conjunction(&counted, "    ")),
        ));
        scan.cols.push((
            None,
            format!("{} AS {numerator_col}", conjunction(&numerator, "    ")),
        ));
        scan.readers
            .push(format!("{} · part {}", part.code, part.part + 1));
        if let Some(c) = &mut scan.counted {
            c.push(counted_col.clone());
        }
        let scan_name = self.scan_name(part.table);
        self.scans[si] = Some(scan);
        let both = format!("{counted_col} AND {numerator_col}");
        let (n, d) = match part.role {
            Role::Both => (both.as_str(), counted_col.as_str()),
            Role::Numerator => (both.as_str(), "FALSE"),
            Role::Denominator => ("FALSE", both.as_str()),
        };
        let per_sel = per_col
            .map(|c| format!(" {c} AS per_key,"))
            .unwrap_or_default();
        // A record not counted adds nothing to either side: only the
        // counted ones are read (and grouped into items).
        let counts = if part.distinct.is_some() && !fixed {
            let items = item_cols.join(", ");
            let rank = format!(
                "CASE WHEN {counted_col} AND {numerator_col} THEN 2 WHEN {counted_col} THEN 1 ELSE 0 END"
            );
            format!(
                "  SELECT COALESCE({}, '') AS department,\n    MAX(n) AS n, MAX(d) AS d\n  FROM (\n    SELECT {items}, {dept_col} AS department,\n      CASE WHEN {n} THEN 1 ELSE 0 END AS n,\n      CASE WHEN {d} THEN 1 ELSE 0 END AS d,\n      {rank} AS outcome_rank,\n      MAX({rank}) OVER (PARTITION BY {items}) AS best_rank\n    FROM {scan_name}\n    WHERE {counted_col}\n  ) AS ranked\n  WHERE outcome_rank = best_rank AND best_rank > 0\n  GROUP BY {items}",
                self.d
                    .text_min("CASE WHEN department <> '' THEN department END")
            )
        } else if part.distinct.is_some() {
            let group = self.item_group(part, &item_cols, &dept_col, &scan_name);
            let (gn, gd) = (col("n"), col("d"));
            let g = &mut self.item_groups[group];
            g.parts.push(super::GroupPart {
                what: format!("{} · part {}", part.code, part.part + 1),
                counted: counted_col.clone(),
                n: format!("MAX(CASE WHEN {n} THEN 1 ELSE 0 END) AS {gn}"),
                d: format!("MAX(CASE WHEN {d} THEN 1 ELSE 0 END) AS {gd}"),
            });
            format!(
                "  SELECT department, {gn} AS n, {gd} AS d\n  FROM {}",
                self.ctes[g.cte].1
            )
        } else {
            format!(
                "  SELECT {dept_col} AS department,{per_sel}\n    CASE WHEN {n} THEN 1 ELSE 0 END AS n,\n    CASE WHEN {d} THEN 1 ELSE 0 END AS d\n  FROM {scan_name}\n  WHERE {counted_col}"
            )
        };
        let how = if part.distinct.is_some() {
            format!(
                "one count per item ({}), by its best record{}",
                item_names(p, part).join(", "),
                if fixed {
                    ""
                } else {
                    ", for that record's department (of several, the first by name)"
                }
            )
        } else {
            "one count per record".into()
        };
        self.ctes.push((
            format!(
                "{} {} · part {}: {how}",
                part.code,
                comment(&ind.name),
                part.part + 1
            ),
            name.clone(),
            counts,
        ));
        let t = self.d.text_type();
        let lead = format!(
            "SELECT {} AS indicator, {} AS part, 'ratio' AS kind",
            self.d.string(&part.code),
            self.d.string(&(part.part + 1).to_string())
        );
        self.selects.push(format!(
            "{lead}, 'department' AS grain, department,\n  CAST(SUM(n) AS BIGINT) AS numerator, CAST(SUM(d) AS BIGINT) AS denominator,\n  CAST(NULL AS {num}) AS measure, CAST(NULL AS BIGINT) AS records\nFROM {name} WHERE n + d > 0 GROUP BY department",
            num = self.d.number_type()
        ));
        self.selects.push(format!(
            "{lead}, 'court', CAST(NULL AS {t}),\n  CAST(COALESCE(SUM(n), 0) AS BIGINT), CAST(COALESCE(SUM(d), 0) AS BIGINT),\n  CAST(NULL AS {num}), CAST(NULL AS BIGINT)\nFROM {name}",
            num = self.d.number_type()
        ));
        if per.is_some() {
            self.selects.push(format!(
                "{lead}, 'per' AS grain, per_key,\n  CAST(SUM(n) AS BIGINT), CAST(SUM(d) AS BIGINT),\n  CAST(NULL AS {num}), CAST(NULL AS BIGINT)\nFROM {name} WHERE n + d > 0 GROUP BY per_key",
                num = self.d.number_type()
            ));
        }
        Ok(())
    }

    /// The text a record is broken down by (`per judge_id`): the column's
    /// value as the native engine shows it, `''` when empty.
    fn per(&mut self, rows: &mut Rows<'_>, e: &CExpr) -> Result<String, SqlError> {
        let CKind::Col(c) = &e.kind else {
            return Err(rows.unsupported(Construct::PerExpression));
        };
        let base = rows.base.clone();
        let at = rows.follow(&mut self.used, &base, &c.nav)?;
        Ok(format!(
            "COALESCE({}, '')",
            rows.shown(&mut self.used, &at, c.col)?
        ))
    }

    pub(super) fn measure(&mut self, m: &MeasurePlan) -> Result<(), SqlError> {
        let p = self.p;
        let ind = &p.indicators[m.ind];
        let (si, mut scan) = self.take_scan(m.table, &m.code);
        let rows = &mut scan.rows;
        let lookup = matches!(m.kind, MeasureKind::Lookup(_));
        let dept = self.department(rows, &m.department)?;
        let mut counted = self.scope(rows, &m.scope)?;
        counted.extend(self.by(rows, m.by));
        if let Some(f) = &m.filter {
            let base = rows.base.clone();
            let c = rows.cond(&mut self.used, f, &base)?;
            counted.push((format!("where {}", comment(p.text_of(f.loc))), c));
        }
        let base = rows.base.clone();
        let (amount, kind) = match &m.kind {
            MeasureKind::Count => ("1".to_string(), "count"),
            MeasureKind::Fold(f, e) => (rows.value(&mut self.used, e, &base)?, f.as_str()),
            MeasureKind::Lookup(c) => (rows.col(&mut self.used, &base, *c), "lookup"),
        };
        let num = self.d.number_type();
        let raw = raw_name(&m.code, &format!("let_{}", m.index + 1));
        let name = self.d.ident(&raw);
        let head = format!(
            "{} {} · let {} = {kind} of {}",
            m.code,
            comment(&ind.name),
            m.name,
            p.schema.tables[m.table].name
        );
        // A lookup is court-wide: no department.
        let dept_sel = if lookup {
            String::new()
        } else {
            format!(
                "{} AS department, ",
                self.department_col(&mut scan, dept, &raw, &head)
            )
        };
        let (counted_col, amount_col) = (
            self.d.ident(&format!("{raw}_counted")),
            self.d.ident(&format!("{raw}_amount")),
        );
        scan.cols.push((
            Some(head.clone()),
            format!("{} AS {counted_col}", conjunction(&counted, "    ")),
        ));
        scan.cols
            .push((None, format!("CAST({amount} AS {num}) AS {amount_col}")));
        scan.readers.push(format!("{} · let {}", m.code, m.name));
        if let Some(c) = &mut scan.counted {
            c.push(counted_col.clone());
        }
        let scan_name = self.scan_name(m.table);
        self.scans[si] = Some(scan);
        self.ctes.push((
            head,
            name.clone(),
            format!(
                "  SELECT {dept_sel}{counted_col} AS counted, {amount_col} AS amount\n  FROM {scan_name}"
            ),
        ));
        let lead = format!(
            "SELECT {} AS indicator, {} AS part, {} AS kind",
            self.d.string(&m.code),
            self.d.string(&m.name),
            self.d.string(kind)
        );
        let t = self.d.text_type();
        let fold = |court: bool| match &m.kind {
            MeasureKind::Count => "COUNT(*)".to_string(),
            MeasureKind::Fold(AggFn::Sum, _) if court => "COALESCE(SUM(amount), 0)".into(),
            MeasureKind::Fold(AggFn::Sum, _) => "SUM(amount)".into(),
            MeasureKind::Fold(AggFn::Avg, _) => "AVG(amount)".into(),
            MeasureKind::Fold(AggFn::Min, _) => "MIN(amount)".into(),
            MeasureKind::Fold(AggFn::Max, _) => "MAX(amount)".into(),
            MeasureKind::Fold(AggFn::Median, _) => self.d.median("amount"),
            MeasureKind::Lookup(_) => "CASE WHEN COUNT(*) = 1 THEN MAX(amount) END".into(),
        };
        let records = match &m.kind {
            MeasureKind::Fold(..) => "COUNT(amount)",
            _ => "COUNT(*)",
        };
        if !matches!(m.kind, MeasureKind::Lookup(_)) {
            let filter = match &m.kind {
                MeasureKind::Fold(..) => "counted AND amount IS NOT NULL",
                _ => "counted",
            };
            self.selects.push(format!(
                "{lead}, 'department' AS grain, department,\n  CAST(NULL AS BIGINT) AS numerator, CAST(NULL AS BIGINT) AS denominator,\n  CAST({} AS {num}) AS measure, CAST({records} AS BIGINT) AS records\nFROM {name} WHERE {filter} GROUP BY department",
                fold(false)
            ));
        }
        self.selects.push(format!(
            "{lead}, 'court', CAST(NULL AS {t}),\n  CAST(NULL AS BIGINT), CAST(NULL AS BIGINT),\n  CAST({} AS {num}), CAST({records} AS BIGINT)\nFROM {name} WHERE counted",
            fold(true)
        ));
        Ok(())
    }

    /// The CTE of aggregate `id` (and first of those its condition reads):
    /// per parent row, the child rows that match and all child rows.
    pub(super) fn agg(&mut self, id: AggId, indicator: &str) -> Result<(), SqlError> {
        if self.aggs_done.contains(&id) {
            return Ok(());
        }
        self.aggs_done.push(id);
        let p = self.p;
        let agg = &p.aggs[id];
        let mut rows = Rows::new(p, self.d, indicator, agg.child, "c");
        let base = rows.base.clone();
        let before = self.used.aggs.len();
        let hit = match &agg.cond {
            Some(c) => rows.cond(&mut self.used, c, &base)?,
            None => "TRUE".into(),
        };
        // Aggregates the condition reads come first.
        let inner: Vec<AggId> = self.used.aggs[before..].to_vec();
        for a in inner {
            self.agg(a, indicator)?;
        }
        let parent_key = rows.col(&mut self.used, &base, agg.rel_col);
        let mut body = format!(
            "  SELECT {parent_key} AS parent_key,\n    SUM(CASE WHEN {hit} THEN 1 ELSE 0 END) AS hits,\n    COUNT(*) AS total\n"
        );
        body.push_str(&self.sources(&rows));
        let _ = write!(
            body,
            "\n  WHERE {parent_key} IS NOT NULL\n  GROUP BY {parent_key}"
        );
        let what = match &agg.cond {
            Some(c) => format!(
                "{} rows where {}",
                p.schema.tables[agg.child].name,
                comment(p.text_of(c.loc))
            ),
            None => format!("{} rows", p.schema.tables[agg.child].name),
        };
        self.agg_ctes.push((
            format!(
                "per {} row, its {what}: the rows that match (hits) and all (total)",
                p.schema.tables[agg.parent].name
            ),
            agg_cte(id),
            body,
        ));
        Ok(())
    }
}

/// The names of the columns that make `part`'s distinct items.
fn item_names<'p>(p: &'p Policy, part: &PartPlan) -> Vec<&'p str> {
    part.distinct
        .iter()
        .flatten()
        .map(|c| p.schema.tables[part.table].columns[*c].name.as_str())
        .collect()
}
