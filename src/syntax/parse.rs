//! Text → [`PolicyFile`]. pest's pairs never leave this module.

use pest::Parser;
use pest::iterators::Pair;

use super::ast::*;
use crate::source::SourceFile;

#[derive(pest_derive::Parser)]
#[grammar = "../grammar/zhibiao.pest"]
struct PolicyParser;

/// A syntax error, located in its file: what the grammar expected, what
/// stands there, and a hint when the cause is a known stumble. The words are
/// the catalogues' (`words::{en,zh}::check`).
#[derive(Debug)]
pub struct SyntaxError {
    pub expected: Vec<Expect>,
    pub src: crate::source::Named,
    pub span: miette::SourceSpan,
    pub found: Found,
    pub hint: Option<SyntaxHint>,
}

/// Something the grammar would have taken.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Expect {
    /// A keyword, as written: `target`, `because` …
    Keyword(String),
    /// A form of the language, said the same in every language: `per COLUMN`.
    Form(&'static str),
    Name,
    Str,
    Date,
    Number,
    Duration,
    Interval,
    Rank,
    Condition,
    Value,
    Comparison,
    /// A comparison, `is empty` or `in (…)`.
    ComparisonTail,
    Operator,
    Header,
    HeaderField,
    Declaration,
    BecauseReason,
    /// `numerator` or `denominator`.
    Side,
    /// `require` or `exclude`.
    RuleLine,
    Who,
    Bool,
    End,
}

/// What stands where the grammar stopped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Found {
    /// A space the grammar does not know (its code point).
    Invisible(u32),
    FileEnds,
    Unexpected,
    Token(String),
}

/// A known cause of a syntax error.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SyntaxHint {
    InvisibleSpace,
    TypographicQuotes,
    /// `＞`, `≥`, `≤`.
    WideComparison,
    WideComma,
    WideParentheses,
    /// `＝`, `！`, `＜`.
    WideEquals,
    PercentInTarget,
    Hyphen,
    UnclosedString,
    Negative,
    IndicatorBody,
    Because,
}

impl std::fmt::Display for SyntaxError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&crate::words::Lang::En.syntax(self).message)
    }
}

impl std::error::Error for SyntaxError {}

/// In English where no language is asked; `CheckError::said` speaks others.
impl miette::Diagnostic for SyntaxError {
    fn code<'b>(&'b self) -> Option<Box<dyn std::fmt::Display + 'b>> {
        Some(Box::new("zhibiao::syntax"))
    }
    fn help<'b>(&'b self) -> Option<Box<dyn std::fmt::Display + 'b>> {
        crate::words::Lang::En
            .syntax(self)
            .help
            .map(|h| Box::new(h) as Box<dyn std::fmt::Display>)
    }
    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        Some(&self.src)
    }
    fn labels(&self) -> Option<Box<dyn Iterator<Item = miette::LabeledSpan> + '_>> {
        let label = crate::words::Lang::En
            .syntax(self)
            .labels
            .into_iter()
            .next();
        Some(Box::new(std::iter::once(
            miette::LabeledSpan::new_with_span(label, self.span),
        )))
    }
}

/// Parse one policy file.
pub fn parse(src: &SourceFile) -> Result<PolicyFile, Box<SyntaxError>> {
    let mut pairs = PolicyParser::parse(Rule::file, &src.text).map_err(|e| syntax_error(src, e))?;
    let file = pairs.next().grammar("grammar: file");
    let mut inner = file.kids();
    let header = build_header(inner.next().grammar("grammar: header"));
    let mut decls = Vec::new();
    for p in inner {
        if p.as_rule() == Rule::EOI {
            break;
        }
        decls.push(build_decl(p));
    }
    Ok(PolicyFile { header, decls })
}

fn describe(r: &Rule) -> Option<Expect> {
    if is_keyword(*r) {
        let name = format!("{r:?}");
        return Some(Expect::Keyword(name.trim_start_matches("kw_").to_string()));
    }
    Some(match r {
        Rule::ident | Rule::ident_list | Rule::path => Expect::Name,
        Rule::string => Expect::Str,
        Rule::date => Expect::Date,
        Rule::number | Rule::percent | Rule::signed => Expect::Number,
        Rule::duration | Rule::dur_unit => Expect::Duration,
        Rule::interval => Expect::Interval,
        Rule::schedule => Expect::Form("from DATE"),
        Rule::unit_stmt | Rule::unit_name => {
            Expect::Form("unit percent|ratio|days|count|amount|per_capita|points")
        }
        Rule::rank_stmt | Rule::ascending => Expect::Rank,
        Rule::per_stmt => Expect::Form("per COLUMN"),
        Rule::dept_stmt => Expect::Form("department = PATH"),
        Rule::agg_fn | Rule::m_agg => Expect::Form("sum|avg|median|min|max EXPR of TABLE"),
        Rule::expr | Rule::or_expr | Rule::and_expr | Rule::not_expr | Rule::cmp_expr => {
            Expect::Condition
        }
        Rule::sum | Rule::product | Rule::call => Expect::Value,
        Rule::cmp_op => Expect::Comparison,
        Rule::cmp_tail | Rule::is_test | Rule::in_test => Expect::ComparisonTail,
        Rule::add_op | Rule::mul_op => Expect::Operator,
        Rule::kw_or => Expect::Keyword("or".into()),
        Rule::kw_and => Expect::Keyword("and".into()),
        Rule::header => Expect::Header,
        Rule::header_field => Expect::HeaderField,
        Rule::departments
        | Rule::group
        | Rule::attribution
        | Rule::scope
        | Rule::define
        | Rule::indicator
        | Rule::amendment_stmt => Expect::Declaration,
        Rule::cite => Expect::Form("cite \"…\""),
        Rule::because => Expect::BecauseReason,
        Rule::count => Expect::Form("count TABLE by DATE_COLUMN"),
        Rule::side_block | Rule::side => Expect::Side,
        Rule::rule_line | Rule::require | Rule::exclude => Expect::RuleLine,
        Rule::restrict => Expect::Form("restrict INDICATOR where …"),
        Rule::over => Expect::Form("over INDICATOR numerator"),
        Rule::let_stmt => Expect::Form("let NAME = …"),
        Rule::value_stmt => Expect::Form("value = …"),
        Rule::target => Expect::Form("target DEPARTMENT >= NUMBER"),
        Rule::related => Expect::Form("related INDICATOR, …"),
        Rule::report => Expect::Form("report …"),
        Rule::core_flag => Expect::Form("core"),
        Rule::by_clause => Expect::Form("by DATE_COLUMN"),
        Rule::when_clause => Expect::Form("when CONDITION"),
        Rule::where_clause => Expect::Form("where CONDITION"),
        Rule::distinct => Expect::Form("distinct (…)"),
        Rule::principle => Expect::Form("原则上"),
        Rule::target_who | Rule::court_who | Rule::group_who => Expect::Who,
        Rule::bool_lit => Expect::Bool,
        Rule::remove_target => Expect::Form("remove target …"),
        Rule::EOI => Expect::End,
        _ => return None,
    })
}

fn syntax_error(src: &SourceFile, e: pest::error::Error<Rule>) -> Box<SyntaxError> {
    use pest::error::{ErrorVariant, InputLocation};
    let pos = match e.location {
        InputLocation::Pos(p) => p,
        InputLocation::Span((s, _)) => s,
    };
    let mut expected: Vec<Expect> = Vec::new();
    if let ErrorVariant::ParsingError { positives, .. } = &e.variant {
        for w in positives.iter().filter_map(describe) {
            if !expected.contains(&w) {
                expected.push(w);
            }
        }
    }
    let rest = &src.text[pos.min(src.text.len())..];
    let found_tok: String = rest
        .chars()
        .take_while(|c| !c.is_whitespace())
        .take(20)
        .collect();
    // A space the grammar does not know (a no-break space pasted from Word …).
    if let Some(c) = rest
        .chars()
        .next()
        .filter(|c| c.is_whitespace() && !matches!(c, ' ' | '\t' | '\r' | '\n' | '\u{3000}'))
    {
        return Box::new(SyntaxError {
            expected,
            src: src.named(),
            span: (pos, c.len_utf8()).into(),
            found: Found::Invisible(c as u32),
            hint: Some(SyntaxHint::InvisibleSpace),
        });
    }
    let (found, len) = if found_tok.is_empty() {
        if rest.is_empty() {
            (Found::FileEnds, 0)
        } else {
            (Found::Unexpected, 1)
        }
    } else {
        let len = found_tok.len();
        (Found::Token(found_tok.clone()), len)
    };
    // Full-width punctuation further on the line is the likely cause.
    let line = rest.lines().next().unwrap_or("");
    let hint = if line.contains(['（', '）']) && !found_tok.starts_with(['（', '）']) {
        syntax_hint("（", &expected)
    } else {
        syntax_hint(&found_tok, &expected)
    };
    Box::new(SyntaxError {
        expected,
        src: src.named(),
        span: (pos, len).into(),
        found,
        hint,
    })
}

fn syntax_hint(found: &str, expected: &[Expect]) -> Option<SyntaxHint> {
    let keyword = |k: &str| expected.contains(&Expect::Keyword(k.to_string()));
    Some(if found.starts_with(['“', '”', '「']) {
        SyntaxHint::TypographicQuotes
    } else if found.starts_with(['＞', '≥', '≤']) {
        SyntaxHint::WideComparison
    } else if found.starts_with('，') {
        SyntaxHint::WideComma
    } else if found.starts_with(['（', '）']) {
        SyntaxHint::WideParentheses
    } else if found.starts_with(['＝', '！', '＜']) {
        SyntaxHint::WideEquals
    } else if found.starts_with('%') && expected.contains(&Expect::Form("原则上")) {
        SyntaxHint::PercentInTarget
    } else if found.starts_with('-') && expected.contains(&Expect::Name) {
        SyntaxHint::Hyphen
    } else if rest_is_string_start(found) && found.matches('"').count() == 1 {
        SyntaxHint::UnclosedString
    } else if found.starts_with('-') {
        SyntaxHint::Negative
    } else if keyword("target") && keyword("count") {
        SyntaxHint::IndicatorBody
    } else if keyword("because") || expected.contains(&Expect::BecauseReason) {
        SyntaxHint::Because
    } else {
        return None;
    })
}

/// Children of a pair without keyword tokens (keywords are atomic rules so
/// that `in` never matches the start of `index`, but carry no meaning).
type KidsIter<'i> =
    std::iter::Filter<pest::iterators::Pairs<'i, Rule>, fn(&Pair<'i, Rule>) -> bool>;

/// What the grammar guarantees of a node: a child it always has, a word it
/// only lets through when it names a known function or unit.
trait Grammar<T> {
    fn grammar(self, what: &str) -> T;
}

impl<T> Grammar<T> for Option<T> {
    /// pest only builds trees that match `grammar/zhibiao.pest`, and this
    /// builder follows the same rules, so a missing child is a mismatch
    /// between the two (a bug in zhibiao, caught by the `parse_check` fuzz
    /// target and the fixtures), never something a policy file can cause.
    #[allow(
        clippy::expect_used,
        reason = "a grammar invariant: pest's tree always has this node"
    )]
    fn grammar(self, what: &str) -> T {
        self.expect(what)
    }
}

trait Kids<'i> {
    fn kids(self) -> KidsIter<'i>;
}

impl<'i> Kids<'i> for Pair<'i, Rule> {
    fn kids(self) -> KidsIter<'i> {
        fn keep(p: &Pair<'_, Rule>) -> bool {
            !is_keyword(p.as_rule())
        }
        self.into_inner()
            .filter(keep as fn(&Pair<'i, Rule>) -> bool)
    }
}

fn is_keyword(r: Rule) -> bool {
    matches!(
        r,
        Rule::kw_policy
            | Rule::kw_document
            | Rule::kw_acknowledge
            | Rule::kw_version
            | Rule::kw_effective
            | Rule::kw_schema
            | Rule::kw_amends
            | Rule::kw_report
            | Rule::kw_departments
            | Rule::kw_department
            | Rule::kw_group
            | Rule::kw_of
            | Rule::kw_scope
            | Rule::kw_exclude
            | Rule::kw_where
            | Rule::kw_define
            | Rule::kw_on
            | Rule::kw_in
            | Rule::kw_remove
            | Rule::kw_indicator
            | Rule::kw_core
            | Rule::kw_cite
            | Rule::kw_because
            | Rule::kw_count
            | Rule::kw_distinct
            | Rule::kw_by
            | Rule::kw_when
            | Rule::kw_numerator
            | Rule::kw_denominator
            | Rule::kw_require
            | Rule::kw_restrict
            | Rule::kw_over
            | Rule::kw_let
            | Rule::kw_sum
            | Rule::kw_unit
            | Rule::kw_max
            | Rule::kw_rank
            | Rule::kw_ascending
            | Rule::kw_per
            | Rule::kw_from
            | Rule::kw_lookup
            | Rule::kw_value
            | Rule::kw_target
            | Rule::kw_court
            | Rule::kw_owner
            | Rule::kw_except
            | Rule::kw_related
            | Rule::kw_found
            | Rule::kw_or
            | Rule::kw_and
            | Rule::kw_not
            | Rule::kw_is
    )
}

fn rest_is_string_start(found: &str) -> bool {
    found.starts_with('"')
}

fn span(p: &Pair<Rule>) -> Span {
    // A non-atomic rule's span may end with the whitespace or comment skipped
    // after its last token; end it at its last token instead.
    let s = p.as_span();
    let mut end = last_token_end(p).unwrap_or(s.end()).max(s.start());
    // Closing parentheses are literals, not tokens: take them in.
    let text = p.as_str();
    let mut i = end - s.start();
    while let Some(rest) = text.get(i..) {
        let trimmed = rest.trim_start();
        if trimmed.starts_with(')') {
            i += rest.len() - trimmed.len() + 1;
            end = s.start() + i;
        } else {
            break;
        }
    }
    Span::new(s.start(), end)
}

fn last_token_end(p: &Pair<Rule>) -> Option<usize> {
    // Atomic and compound-atomic rules hold no skipped text.
    if matches!(
        p.as_rule(),
        Rule::string | Rule::percent | Rule::path | Rule::ident | Rule::duration | Rule::signed
    ) {
        return Some(p.as_span().end());
    }
    match p.clone().into_inner().last() {
        Some(last) => last_token_end(&last),
        None => Some(p.as_span().end()),
    }
}

fn ident(p: Pair<Rule>) -> Ident {
    debug_assert_eq!(p.as_rule(), Rule::ident);
    Ident {
        name: p.as_str().to_string(),
        span: span(&p),
    }
}

fn ident_list(p: Pair<Rule>) -> Vec<Ident> {
    p.kids().map(ident).collect()
}

fn string(p: Pair<Rule>) -> Str {
    let sp = span(&p);
    let inner = p.kids().next().map(|i| i.as_str()).unwrap_or("");
    let mut value = String::with_capacity(inner.len());
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next() {
                Some('n') => value.push('\n'),
                Some(o) => value.push(o),
                None => {}
            }
        } else {
            value.push(c);
        }
    }
    Str { value, span: sp }
}

fn date(p: Pair<Rule>) -> DateLit {
    let text = p.as_str().to_string();
    DateLit {
        date: chrono::NaiveDate::parse_from_str(&text, "%Y-%m-%d").ok(),
        text,
        span: span(&p),
    }
}

fn number(p: Pair<Rule>) -> f64 {
    p.as_str().parse().unwrap_or(f64::NAN)
}

fn build_header(p: Pair<Rule>) -> Header {
    let sp = span(&p);
    let mut inner = p.kids();
    let title = string(inner.next().grammar("grammar: title"));
    let mut h = Header {
        title,
        document: None,
        version: None,
        effective: None,
        schema: None,
        amends: None,
        report: None,
        duplicate_fields: Vec::new(),
        span: sp,
    };
    let mut seen = std::collections::HashSet::new();
    for field in inner {
        let f = field.kids().next().grammar("grammar: header field");
        let which = f.as_rule();
        if !seen.insert(which) {
            h.duplicate_fields.push(span(&f));
        }
        let v = f.kids().next().grammar("grammar: header value");
        match which {
            Rule::h_document => h.document = Some(string(v)),
            Rule::h_version => h.version = Some(string(v)),
            Rule::h_effective => h.effective = Some(date(v)),
            Rule::h_schema => h.schema = Some(string(v)),
            Rule::h_amends => h.amends = Some(string(v)),
            Rule::h_report => h.report = Some(ident(v)),
            _ => unreachable!("grammar: header field {which:?}"),
        }
    }
    h
}

fn build_decl(p: Pair<Rule>) -> Decl {
    let sp = span(&p);
    match p.as_rule() {
        Rule::departments => Decl::Departments(ident_list(p.kids().next().grammar("list"))),
        Rule::group => {
            let mut i = p.kids();
            let name = ident(i.next().grammar("name"));
            let members = ident_list(i.next().grammar("members"));
            Decl::Group { name, members }
        }
        Rule::attribution => {
            let mut i = p.kids();
            let tables = ident_list(i.next().grammar("tables"));
            let path = i.next().grammar("path").kids().map(ident).collect();
            Decl::Attribution {
                tables,
                path,
                span: sp,
            }
        }
        Rule::scope => {
            let mut i = p.kids();
            let table = ident(i.next().grammar("table"));
            let cond = expr(i.next().grammar("cond"));
            let because = string(i.next().grammar("because").kids().next().grammar("s"));
            let cite = i.next().map(cite);
            Decl::Scope(Scope {
                table,
                cond,
                because,
                cite,
                span: sp,
            })
        }
        Rule::define => {
            let mut i = p.kids();
            let name = ident(i.next().grammar("name"));
            let table = ident(i.next().grammar("table"));
            let e = expr(i.next().grammar("expr"));
            let cite = i.next().map(cite);
            Decl::Define(Define {
                name,
                table,
                expr: e,
                cite,
                span: sp,
            })
        }
        Rule::indicator => Decl::Indicator(build_indicator(p)),
        Rule::amendment_stmt => {
            let mut i = p.kids();
            let indicator = ident(i.next().grammar("indicator"));
            let items = i
                .map(|it| match it.as_rule() {
                    Rule::target => AmendItem::Set(target(it)),
                    Rule::remove_target => {
                        let s = span(&it);
                        AmendItem::Remove(target_who(it.kids().next().grammar("who")), s)
                    }
                    Rule::acknowledge => AmendItem::Acknowledge(acknowledge(it)),
                    r => unreachable!("grammar: amend item {r:?}"),
                })
                .collect();
            Decl::Amend {
                indicator,
                items,
                span: sp,
            }
        }
        r => unreachable!("grammar: decl {r:?}"),
    }
}

fn acknowledge(p: Pair<Rule>) -> Acknowledge {
    let span = span(&p);
    let mut i = p.kids();
    let code = ident(i.next().grammar("code"));
    let department = i.next().map(ident);
    Acknowledge {
        code,
        department,
        span,
    }
}

fn cite(p: Pair<Rule>) -> Str {
    string(p.kids().next().grammar("cite string"))
}

fn build_indicator(p: Pair<Rule>) -> Indicator {
    let sp = span(&p);
    let mut i = p.kids();
    let id = ident(i.next().grammar("id"));
    let name = string(i.next().grammar("name"));
    let mut core = false;
    let mut items = Vec::new();
    for it in i {
        match it.as_rule() {
            Rule::core_flag => core = true,
            Rule::cite => items.push(IndItem::Cite(cite(it))),
            Rule::count => items.push(IndItem::Count(count(it))),
            Rule::side_block => {
                let s = span(&it);
                let mut bi = it.kids();
                let side = side(bi.next().grammar("side"));
                let mut c = None;
                let mut rules = Vec::new();
                for x in bi {
                    match x.as_rule() {
                        Rule::count => c = Some(count(x)),
                        Rule::rule_line => rules.push(rule(x)),
                        r => unreachable!("grammar: side item {r:?}"),
                    }
                }
                items.push(IndItem::SideBlock {
                    side,
                    count: c,
                    rules,
                    span: s,
                });
            }
            Rule::rule_line => items.push(IndItem::Rule(rule(it))),
            Rule::restrict => {
                let s = span(&it);
                let mut r = it.kids();
                let base = ident(r.next().grammar("base"));
                let cond = expr(r.next().grammar("cond"));
                items.push(IndItem::Restrict {
                    base,
                    cond,
                    span: s,
                });
            }
            Rule::over => {
                let s = span(&it);
                let base = ident(it.kids().next().grammar("base"));
                items.push(IndItem::Over { base, span: s });
            }
            Rule::let_stmt => {
                let mut r = it.kids();
                let name = ident(r.next().grammar("name"));
                let measure = measure(r.next().grammar("measure"));
                items.push(IndItem::Let { name, measure });
            }
            Rule::value_stmt => items.push(IndItem::Value(expr(it.kids().next().grammar("expr")))),
            Rule::target => items.push(IndItem::Target(target(it))),
            Rule::acknowledge => items.push(IndItem::Acknowledge(acknowledge(it))),
            Rule::related => {
                let mut r = it.kids();
                let ids = ident_list(r.next().grammar("ids"));
                let c = r.next().map(cite);
                items.push(IndItem::Related { ids, cite: c });
            }
            Rule::report => {
                let s = span(&it);
                let x = it.kids().next().grammar("report");
                let rep = match x.as_rule() {
                    Rule::report_court => Report::Court,
                    Rule::report_found => Report::Found,
                    _ => Report::Group(ident(x)),
                };
                items.push(IndItem::Report(rep, s));
            }
            Rule::unit_stmt => {
                let s = span(&it);
                let mut r = it.kids();
                let unit = Unit::parse(r.next().grammar("unit").as_str()).grammar("grammar: unit");
                let max = r.next().map(|m| (span(&m), number(m))).map(|(s, n)| (n, s));
                items.push(IndItem::Unit { unit, max, span: s });
            }
            Rule::rank_stmt => {
                let s = span(&it);
                let ascending = it.kids().next().is_some();
                items.push(IndItem::Rank { ascending, span: s });
            }
            Rule::dept_stmt => {
                let s = span(&it);
                let path = it.kids().next().grammar("path").kids().map(ident).collect();
                items.push(IndItem::Department { path, span: s });
            }
            Rule::per_stmt => {
                let s = span(&it);
                let path = it.kids().next().grammar("path").kids().map(ident).collect();
                items.push(IndItem::Per { path, span: s });
            }
            r => unreachable!("grammar: indicator item {r:?}"),
        }
    }
    Indicator {
        id,
        name,
        core,
        items,
        span: sp,
    }
}

fn side(p: Pair<Rule>) -> Side {
    if p.as_str().starts_with("numerator") {
        Side::Numerator
    } else {
        Side::Denominator
    }
}

fn count(p: Pair<Rule>) -> Count {
    let sp = span(&p);
    let mut c = Count {
        distinct: None,
        table: Ident {
            name: String::new(),
            span: sp,
        },
        by: None,
        when: None,
        span: sp,
    };
    for x in p.kids() {
        match x.as_rule() {
            Rule::distinct => c.distinct = Some(ident_list(x.kids().next().grammar("list"))),
            Rule::ident => c.table = ident(x),
            Rule::by_clause => c.by = Some(ident(x.kids().next().grammar("by"))),
            Rule::when_clause => c.when = Some(expr(x.kids().next().grammar("when"))),
            r => unreachable!("grammar: count {r:?}"),
        }
    }
    c
}

fn rule(p: Pair<Rule>) -> Rule_ {
    let sp = span(&p);
    let mut side_v = None;
    let mut result = None;
    for x in p.kids() {
        match x.as_rule() {
            Rule::side => side_v = Some((side(x.clone()), span(&x))),
            Rule::require | Rule::exclude => {
                let kind = if x.as_rule() == Rule::require {
                    RuleKind::Require
                } else {
                    RuleKind::Exclude
                };
                let mut r = x.kids();
                let cond = expr(r.next().grammar("cond"));
                let mut because = None;
                let mut c = None;
                for y in r {
                    match y.as_rule() {
                        Rule::because => because = Some(string(y.kids().next().grammar("s"))),
                        Rule::cite => c = Some(cite(y)),
                        r => unreachable!("grammar: rule tail {r:?}"),
                    }
                }
                result = Some((kind, cond, because, c));
            }
            r => unreachable!("grammar: rule {r:?}"),
        }
    }
    let (kind, cond, because, cite) = result.grammar("grammar: rule body");
    Rule_ {
        side: side_v,
        kind,
        cond,
        because,
        cite,
        span: sp,
    }
}

use super::ast::Rule as Rule_;

fn measure(p: Pair<Rule>) -> Measure {
    let sp = span(&p);
    let which = p.as_rule();
    let mut i = p.kids().peekable();
    match which {
        Rule::m_count | Rule::m_agg => {
            let agg = if which == Rule::m_agg {
                let f = i.next().grammar("agg fn");
                let func = AggFn::parse(f.as_str()).grammar("grammar: agg_fn");
                Some((func, expr(i.next().grammar("agg expr"))))
            } else {
                None
            };
            let table = ident(i.next().grammar("table"));
            let mut by = None;
            let mut filter = None;
            for x in i {
                match x.as_rule() {
                    Rule::by_clause => by = Some(ident(x.kids().next().grammar("by"))),
                    Rule::where_clause => filter = Some(expr(x.kids().next().grammar("where"))),
                    r => unreachable!("grammar: measure {r:?}"),
                }
            }
            match agg {
                Some((func, expr)) => Measure::Agg {
                    func,
                    expr,
                    table,
                    by,
                    filter,
                    span: sp,
                },
                None => Measure::Count {
                    table,
                    by,
                    filter,
                    span: sp,
                },
            }
        }
        Rule::m_lookup => {
            let table = ident(i.next().grammar("table"));
            let column = ident(i.next().grammar("column"));
            let filter = expr(i.next().grammar("where").kids().next().grammar("cond"));
            Measure::Lookup {
                table,
                column,
                filter,
                span: sp,
            }
        }
        r => unreachable!("grammar: measure {r:?}"),
    }
}

fn target_who(p: Pair<Rule>) -> TargetWho {
    let x = p.kids().next().grammar("who");
    let sp = span(&x);
    match x.as_rule() {
        Rule::court_who => TargetWho::Court {
            owner: x.kids().next().map(ident),
            span: sp,
        },
        Rule::group_who => {
            let mut i = x.kids();
            let name = ident(i.next().grammar("name"));
            let except = i.next().map(ident_list).unwrap_or_default();
            TargetWho::Group { name, except }
        }
        r => unreachable!("grammar: target who {r:?}"),
    }
}

fn cmp_op(p: &Pair<Rule>) -> CmpOp {
    match p.as_str() {
        "=" => CmpOp::Eq,
        "!=" => CmpOp::Ne,
        "<" => CmpOp::Lt,
        "<=" => CmpOp::Le,
        ">" => CmpOp::Gt,
        _ => CmpOp::Ge,
    }
}

fn target(p: Pair<Rule>) -> Target {
    let sp = span(&p);
    let mut i = p.kids();
    let who = target_who(i.next().grammar("who"));
    let first = i.next().grammar("op");
    let (op, value, value_span, upper) = if first.as_rule() == Rule::interval {
        let mut b = first.kids();
        let lo = b.next().grammar("low");
        let hi = b.next().grammar("high");
        let s = Span::new(span(&lo).start, span(&hi).end);
        (CmpOp::Ge, number(lo), s, Some(number(hi)))
    } else {
        let n = i.next().grammar("number");
        let vs = span(&n);
        (cmp_op(&first), number(n), vs, None)
    };
    let mut schedule = Vec::new();
    let mut principle = false;
    for x in i {
        match x.as_rule() {
            Rule::schedule => {
                let (mut v, mut vs) = (value, value_span);
                for y in x.kids() {
                    match y.as_rule() {
                        Rule::date => schedule.push((v, vs, date(y))),
                        _ => {
                            vs = span(&y);
                            v = number(y);
                        }
                    }
                }
            }
            _ => principle = true,
        }
    }
    Target {
        who,
        op,
        value,
        value_span,
        upper,
        schedule,
        principle,
        span: sp,
    }
}

fn expr(p: Pair<Rule>) -> Expr {
    let sp = span(&p);
    match p.as_rule() {
        Rule::expr => expr(p.kids().next().grammar("expr")),
        Rule::or_expr | Rule::and_expr => {
            let is_or = p.as_rule() == Rule::or_expr;
            let mut parts: Vec<Expr> = p.kids().map(expr).collect();
            if parts.len() == 1 {
                parts.pop().grammar("one")
            } else {
                Expr {
                    kind: if is_or {
                        ExprKind::Or(parts)
                    } else {
                        ExprKind::And(parts)
                    },
                    span: sp,
                }
            }
        }
        Rule::not_expr => {
            let mut i = p.kids();
            let first = i.next().grammar("not");
            if first.as_rule() == Rule::neg {
                let inner = expr(i.next().grammar("operand"));
                Expr {
                    kind: ExprKind::Not(Box::new(inner)),
                    span: sp,
                }
            } else {
                expr(first)
            }
        }
        Rule::cmp_expr => {
            let mut i = p.kids();
            let lhs = expr(i.next().grammar("lhs"));
            let Some(tail) = i.next() else { return lhs };
            let kind = match tail.as_rule() {
                Rule::cmp_tail => {
                    let mut t = tail.kids();
                    let op = cmp_op(&t.next().grammar("op"));
                    let rhs = expr(t.next().grammar("rhs"));
                    ExprKind::Cmp(Box::new(lhs), op, Box::new(rhs))
                }
                Rule::is_test => {
                    let mut negated = false;
                    let mut empty = true;
                    for x in tail.kids() {
                        match x.as_rule() {
                            Rule::neg => negated = true,
                            Rule::kw_set => empty = false,
                            _ => {}
                        }
                    }
                    ExprKind::IsEmpty {
                        expr: Box::new(lhs),
                        negated: negated == empty,
                    }
                }
                Rule::in_test => {
                    let mut negated = false;
                    let mut list = Vec::new();
                    for x in tail.kids() {
                        if x.as_rule() == Rule::neg {
                            negated = true;
                        } else {
                            list.push(expr(x));
                        }
                    }
                    ExprKind::In {
                        expr: Box::new(lhs),
                        negated,
                        list,
                    }
                }
                r => unreachable!("grammar: cmp tail {r:?}"),
            };
            Expr { kind, span: sp }
        }
        Rule::sum | Rule::product => {
            let mut i = p.kids();
            let mut acc = expr(i.next().grammar("operand"));
            while let Some(op) = i.next() {
                let op = match op.as_str() {
                    "+" => ArithOp::Add,
                    "-" => ArithOp::Sub,
                    "*" => ArithOp::Mul,
                    _ => ArithOp::Div,
                };
                let rhs = expr(i.next().grammar("rhs"));
                let s = Span::new(acc.span.start, rhs.span.end);
                acc = Expr {
                    kind: ExprKind::Arith(Box::new(acc), op, Box::new(rhs)),
                    span: s,
                };
            }
            acc
        }
        Rule::percent => Expr {
            kind: ExprKind::Percent(number(p.kids().next().grammar("number"))),
            span: sp,
        },
        Rule::number => Expr {
            kind: ExprKind::Number(number(p)),
            span: sp,
        },
        Rule::duration => {
            let mut i = p.into_inner();
            let n = number(i.next().grammar("number"));
            let unit = match i.next().grammar("unit").as_str() {
                "day" | "days" | "天" => DurUnit::Days,
                "month" | "months" | "个月" => DurUnit::Months,
                _ => DurUnit::Years,
            };
            Expr {
                kind: ExprKind::Duration(n, unit),
                span: sp,
            }
        }
        Rule::string => {
            let s = string(p);
            Expr {
                kind: ExprKind::Str(s.value),
                span: sp,
            }
        }
        Rule::date => Expr {
            kind: ExprKind::Date(date(p)),
            span: sp,
        },
        Rule::bool_lit => Expr {
            kind: ExprKind::Bool(matches!(p.as_str(), "true" | "是")),
            span: sp,
        },
        Rule::call => {
            let mut i = p.kids();
            let name = ident(i.next().grammar("fn"));
            let args = i.map(expr).collect();
            Expr {
                kind: ExprKind::Call { name, args },
                span: sp,
            }
        }
        Rule::path => Expr {
            kind: ExprKind::Path(p.kids().map(ident).collect()),
            span: sp,
        },
        r => unreachable!("grammar: expr {r:?}"),
    }
}
