//! Words out of data: one catalogue per language renders the typed values
//! figures and outcomes carry ([`crate::eval::why`]). Nothing else builds a
//! sentence for them; the terms are those of `docs/glossary.md`.

mod chain;
mod check;
mod counts;
mod db;
mod en;
pub mod fault;
mod fmt;
pub mod help;
mod io;
pub mod misuse;
mod names;
mod output;
mod period;
mod sql;
mod testfile;
pub mod testing;
#[cfg(test)]
mod texts;
pub mod view;
mod warn;
mod zh;

use crate::eval::why::{Note, Reason, Undefined, WhyNot};

/// The words of an explanation's layout.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Label {
    Reason,
    Rule,
    Item,
    Target,
    Trail,
    WhyNot,
    Line,
    Version,
    Period,
    /// After a count of records: `3 record(s)`.
    Records,
    /// An item counts once, by its best send.
    ItemOnce,
    /// `: the item is …`
    ItemIs,
    /// Between a value read and the value: `mode is `线下``.
    Is,
}

impl Label {
    pub const ALL: [Label; 13] = [
        Label::Reason,
        Label::Rule,
        Label::Item,
        Label::Target,
        Label::Trail,
        Label::WhyNot,
        Label::Line,
        Label::Version,
        Label::Period,
        Label::Records,
        Label::ItemOnce,
        Label::ItemIs,
        Label::Is,
    ];
}

/// What the first line of a report names.
pub struct ReportHeader<'a> {
    pub document: &'a str,
    pub title: &'a str,
    pub version: &'a str,
    pub effective: &'a str,
    /// The period with its days: `2022-06 (2022-06-01 – 2022-06-30)`.
    pub period: &'a str,
}

/// The fixed words of the indicator report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Term {
    /// After an indicator's title: it is a core indicator.
    Core,
    /// The court's row.
    Court,
    /// Before the list of targets missed, by department.
    BelowTarget,
    /// A warning line's lead.
    Warning,
    /// The `let` measures' line.
    Measures,
    /// Follow-ups: the indicators this one is derived from …
    DerivedFrom,
    /// … and the related ones.
    Related,
}

impl Term {
    pub const ALL: [Term; 7] = [
        Term::Core,
        Term::Court,
        Term::BelowTarget,
        Term::Warning,
        Term::Measures,
        Term::DerivedFrom,
        Term::Related,
    ];
}

/// What the command says about the data it read, around the errors.
#[derive(Debug, Clone, PartialEq)]
pub enum Said {
    /// `N data error(s) in DIR`
    DataErrors {
        count: usize,
        dir: String,
    },
    /// The errors not shown one by one, counted by kind below.
    AndMore {
        count: usize,
    },
    /// `--lenient` left a row out.
    LeftOut {
        at: String,
    },
    MoreLeftOut {
        count: usize,
    },
    /// Only whole tables could not be read: `--lenient` does not help.
    HelpWholeFiles,
    HelpLenient,
    HelpMaxDropped,
    /// `--max-dropped` was passed: how many of a file's rows were left
    /// out, then its first errors.
    TooManyDropped {
        file: String,
        rows: u64,
        dropped: u64,
        percent: f64,
        max: f64,
    },
}

/// The language zhibiao speaks to its user.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    Zh,
    #[default]
    En,
}

impl Lang {
    /// `zh` or `en` (also `zh-CN`, `zh_CN.UTF-8`, `en_US` …).
    pub fn parse(s: &str) -> Option<Lang> {
        let s = s.trim().to_ascii_lowercase();
        if s.starts_with("zh") {
            Some(Lang::Zh)
        } else if s.starts_with("en") {
            Some(Lang::En)
        } else {
            None
        }
    }

    /// The language the environment asks for: `ZHIBIAO_LANG`, then the
    /// locale (`LC_ALL`, `LC_MESSAGES`, `LANG`, the first one set and not
    /// empty): `zh…` is Chinese, anything else English.
    pub fn from_env() -> Lang {
        Lang::detect(|k| std::env::var(k).ok())
    }

    /// [`Lang::from_env`] over any variables (for tests).
    pub fn detect(var: impl Fn(&str) -> Option<String>) -> Lang {
        if let Some(l) = var("ZHIBIAO_LANG").as_deref().and_then(Lang::parse) {
            return l;
        }
        // The first locale variable set decides: `zh…` Chinese, else English.
        ["LC_ALL", "LC_MESSAGES", "LANG"]
            .into_iter()
            .filter_map(var)
            .find(|v| !v.trim().is_empty())
            .map_or(Lang::En, |v| match Lang::parse(&v) {
                Some(Lang::Zh) => Lang::Zh,
                _ => Lang::En,
            })
    }

    pub fn code(self) -> &'static str {
        match self {
            Lang::Zh => "zh",
            Lang::En => "en",
        }
    }

    /// Why a figure is undefined.
    pub fn undefined(self, u: &Undefined) -> String {
        match self {
            Lang::Zh => zh::undefined(u),
            Lang::En => en::undefined(u),
        }
    }

    /// A note on how a figure's value came about.
    pub fn note(self, n: &Note) -> String {
        match self {
            Lang::Zh => zh::note(n),
            Lang::En => en::note(n),
        }
    }

    /// A word of an explanation's layout.
    pub fn label(self, l: Label) -> &'static str {
        match self {
            Lang::Zh => zh::label(l),
            Lang::En => en::label(l),
        }
    }

    /// A record's outcome for an indicator.
    pub fn outcome(self, o: crate::eval::Outcome) -> &'static str {
        match self {
            Lang::Zh => zh::outcome(o),
            Lang::En => o.as_str(),
        }
    }

    /// The first line of a report: the policy in force and the period.
    pub fn report_header(self, h: &ReportHeader<'_>) -> String {
        match self {
            Lang::Zh => format!(
                "{} {}（版本 {}，{} 起施行）· 统计期 {}",
                h.document, h.title, h.version, h.effective, h.period
            ),
            Lang::En => format!(
                "{} {} (version {}, effective {}) · period {}",
                h.document, h.title, h.version, h.effective, h.period
            ),
        }
    }

    /// The words of the indicator report.
    pub fn term(self, t: Term) -> &'static str {
        match self {
            Lang::Zh => zh::term(t),
            Lang::En => en::term(t),
        }
    }

    /// The report's last line: how many figures missed, and the marks.
    pub fn legend(self, missed: usize, above: bool) -> String {
        match (self, above) {
            (Lang::Zh, true) => format!(
                "{missed} 项未达标（▼ 低于目标，▲ 高于上限）。✓ 达标，✗ 未达标，· 无法计算（分母为 0）。"
            ),
            (Lang::Zh, false) => {
                format!("{missed} 项未达标（▼）。✓ 达标，✗ 未达标，· 无法计算（分母为 0）。")
            }
            (Lang::En, true) => format!(
                "{missed} figure(s) missed a target (▼ below a target, ▲ above a limit). ✓ met, ✗ missed, · undefined (denominator 0)."
            ),
            (Lang::En, false) => format!(
                "{missed} figure(s) below target (▼). ✓ met, ✗ missed, · undefined (denominator 0)."
            ),
        }
    }

    /// A line the command prints about the data (`error:`, `warning:`,
    /// `help:` lead it).
    pub fn said(self, s: &Said) -> String {
        match self {
            Lang::Zh => zh::said(s),
            Lang::En => en::said(s),
        }
    }

    /// A kind of data error, as counted.
    pub fn data_kind(self, k: crate::data::DataErrorKind) -> &'static str {
        match self {
            Lang::Zh => zh::data_kind(k),
            Lang::En => k.describe(),
        }
    }

    /// What is wrong with a piece of the data.
    pub fn problem(self, p: &crate::data::Problem) -> String {
        match self {
            Lang::Zh => zh::problem(p),
            Lang::En => en::problem(p),
        }
    }

    /// Why a record counted as it did.
    pub fn reason(self, r: &Reason) -> String {
        match self {
            Lang::Zh => zh::reason(r),
            Lang::En => en::reason(r),
        }
    }

    /// What a record fed a `let` measure: `counted in `derived` (+2)`; no
    /// amount when its value was empty.
    pub fn counted_in(self, measure: &str, amount: Option<f64>) -> String {
        let a = amount.map(crate::eval::fmt_target);
        match (self, a) {
            (Lang::Zh, Some(a)) => format!("计入 `{measure}`（+{a}）"),
            (Lang::Zh, None) => format!("计入 `{measure}`（无值，不增加）"),
            (Lang::En, Some(a)) => format!("counted in `{measure}` (+{a})"),
            (Lang::En, None) => format!("counted in `{measure}` (no value: adds nothing)"),
        }
    }

    /// The values a check read: `case.category is `民事` (case C1)`.
    pub fn reads(self, reads: &[crate::eval::Read]) -> String {
        let is = self.label(Label::Is);
        let sep = match self {
            Lang::Zh => "，",
            Lang::En => ", ",
        };
        reads
            .iter()
            .map(|r| {
                let via = r.via.as_ref().map(|v| match self {
                    Lang::Zh => format!("（{v}）"),
                    Lang::En => format!(" ({v})"),
                });
                let expr = match self {
                    // Names and expressions are quoted in Chinese text.
                    Lang::Zh => format!("`{}`", r.expr),
                    Lang::En => r.expr.clone(),
                };
                format!(
                    "{expr} {is} `{}`{}",
                    self.shown(&r.value),
                    via.unwrap_or_default()
                )
            })
            .collect::<Vec<_>>()
            .join(sep)
    }

    /// A distinct item as people read it: its values joined by `, `.
    pub fn item(self, key: &str) -> String {
        crate::eval::show_item_with(key, self.blank())
    }

    /// What stands for an empty value: a `per` value or an item's field.
    pub fn blank(self) -> &'static str {
        match self {
            Lang::Zh => "（空）",
            Lang::En => "(empty)",
        }
    }

    /// A fault's lines as the command prints them: `error: …` and, with a
    /// fix, `help: …` (`错误：`, `提示：`).
    pub fn error_lines(self, message: &str, help: Option<&str>) -> String {
        let (error, lead) = match self {
            Lang::Zh => ("错误：", "提示："),
            Lang::En => ("error: ", "help: "),
        };
        match help {
            Some(h) => format!("{error}{message}\n{lead}{h}"),
            None => format!("{error}{message}"),
        }
    }

    /// A value read: its text, or what stood in its place.
    pub fn shown(self, s: &crate::eval::Shown) -> String {
        use crate::eval::{Shown, Special};
        match (s, self) {
            (Shown::Value(v), _) => v.clone(),
            (Shown::Special(Special::Empty), Lang::Zh) => "（空）".into(),
            (Shown::Special(Special::Empty), Lang::En) => "(empty)".into(),
            (Shown::Special(Special::NoRelatedRow), Lang::Zh) => "（无关联记录）".into(),
            (Shown::Special(Special::NoRelatedRow), Lang::En) => "(no related row)".into(),
            (
                Shown::Special(Special::Matches {
                    matched,
                    total,
                    table,
                }),
                Lang::Zh,
            ) => format!("{total} 条 {table} 记录中有 {matched} 条符合"),
            (
                Shown::Special(Special::Matches {
                    matched,
                    total,
                    table,
                }),
                Lang::En,
            ) => format!("{matched} of {total} {table} rows match"),
        }
    }

    /// What would have let a record count.
    pub fn why_not(self, w: &WhyNot) -> String {
        match self {
            Lang::Zh => zh::why_not(w),
            Lang::En => en::why_not(w),
        }
    }

    /// A figure's remark in a table: why it is undefined, or its notes.
    pub fn remark(self, undefined: Option<&Undefined>, notes: &[Note]) -> String {
        let (lead_u, lead_n, sep) = match self {
            Lang::Zh => ("无法计算：", "说明：", "；"),
            Lang::En => ("undefined: ", "note: ", "; "),
        };
        match (undefined, notes.is_empty()) {
            (Some(u), _) => format!("{lead_u}{}", self.undefined(u)),
            (None, false) => {
                let notes: Vec<String> = notes.iter().map(|n| self.note(n)).collect();
                format!("{lead_n}{}", notes.join(sep))
            }
            (None, true) => String::new(),
        }
    }
}

/// Names in backquotes, joined by `sep`.
pub(crate) fn quoted(names: &[String], sep: &str) -> String {
    names
        .iter()
        .map(|n| format!("`{n}`"))
        .collect::<Vec<_>>()
        .join(sep)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::eval::why::{Back, Operand};
    use crate::ir::Prior;
    use crate::vocab::AggFn;
    use crate::words::texts::{english_words, han};

    /// One value of every kind; the match makes a new kind a compile error
    /// here until it has a sample (and so a test of both catalogues).
    fn undefined_samples() -> Vec<Undefined> {
        let back = |prior, period: &str| Back {
            prior,
            period: period.into(),
        };
        let all = vec![
            Undefined::NoRecords,
            Undefined::LookupEmpty {
                table: "citywide".into(),
                name: "city_hours".into(),
            },
            Undefined::LookupNone {
                table: "citywide".into(),
                filter: "month = period.start".into(),
                start: "2022-06-01".into(),
                end: "2022-06-30".into(),
            },
            Undefined::LookupMany {
                table: "citywide".into(),
                filter: "month = period.start".into(),
                rows: 2,
            },
            Undefined::NoValues {
                name: "hours".into(),
                func: AggFn::Avg,
            },
            Undefined::NotFinite,
            Undefined::NoFormulaRecords {
                department: "民事庭".into(),
            },
            Undefined::Indicator {
                code: "HC3b".into(),
                when: Some(back(Prior::Previous, "2022-05")),
                reason: Box::new(Undefined::NoRecords),
            },
            Undefined::NoFigure {
                code: "HC3b".into(),
                when: Some(back(Prior::LastYear, "2021-06")),
                department: "民事庭".into(),
            },
            Undefined::PriorNotEvaluated {
                code: "HC3b".into(),
                prior: Prior::LastYear,
            },
            Undefined::ZeroDivisor {
                divisor: Operand::Measure("all".into()),
            },
            Undefined::ZeroDivisor {
                divisor: Operand::Indicator("HC1".into()),
            },
            Undefined::ZeroDivisor {
                divisor: Operand::Expression,
            },
            Undefined::NoTerms,
            Undefined::NoArguments,
        ];
        for u in &all {
            match u {
                Undefined::NoRecords
                | Undefined::LookupEmpty { .. }
                | Undefined::LookupNone { .. }
                | Undefined::LookupMany { .. }
                | Undefined::NoValues { .. }
                | Undefined::NotFinite
                | Undefined::NoFormulaRecords { .. }
                | Undefined::Indicator { .. }
                | Undefined::NoFigure { .. }
                | Undefined::PriorNotEvaluated { .. }
                | Undefined::ZeroDivisor { .. }
                | Undefined::NoTerms
                | Undefined::NoArguments => {}
            }
        }
        all
    }

    fn note_samples() -> Vec<Note> {
        let all = vec![
            Note::StandsIn {
                value: 0.0,
                reason: Undefined::NoRecords,
            },
            Note::LeftOutOfSum {
                reason: Undefined::NoRecords,
            },
        ];
        for n in &all {
            match n {
                Note::StandsIn { .. } | Note::LeftOutOfSum { .. } => {}
            }
        }
        all
    }

    #[test]
    fn every_message_has_chinese_and_english_text() {
        let mut zh_texts: Vec<String> = undefined_samples()
            .iter()
            .map(|u| Lang::Zh.undefined(u))
            .collect();
        zh_texts.extend(note_samples().iter().map(|n| Lang::Zh.note(n)));
        for t in &zh_texts {
            assert!(han(t), "no Chinese: {t}");
            assert!(!english_words(t), "English words in Chinese text: {t}");
        }
        let mut en_texts: Vec<String> = undefined_samples()
            .iter()
            .map(|u| Lang::En.undefined(u))
            .collect();
        en_texts.extend(note_samples().iter().map(|n| Lang::En.note(n)));
        for t in &en_texts {
            assert!(!t.is_empty());
            let own = t.replace("民事庭", "");
            assert!(!han(&own), "Chinese in English text: {t}");
        }
    }

    #[test]
    fn every_label_and_outcome_has_both_texts() {
        use crate::eval::Outcome;
        for t in Term::ALL {
            assert!(han(Lang::Zh.term(t)), "{t:?}");
            assert!(!english_words(Lang::Zh.term(t)), "{t:?}");
            assert!(!Lang::En.term(t).is_empty(), "{t:?}");
        }
        for l in Label::ALL {
            assert!(han(Lang::Zh.label(l)), "{l:?}");
            assert!(!han(Lang::En.label(l)), "{l:?}");
        }
        for o in [
            Outcome::Numerator,
            Outcome::Denominator,
            Outcome::Excluded,
            Outcome::NotCounted,
            Outcome::OutOfPeriod,
        ] {
            assert!(han(Lang::Zh.outcome(o)), "{o:?}");
            assert_eq!(Lang::En.outcome(o), o.as_str());
        }
        use crate::eval::why::{Reason, Unless, WhyNot};
        let c = || "mode = \"电子\"".to_string();
        let reasons = [
            Reason::Because {
                text: "诉前调解案件不纳入".into(),
            },
            Reason::OutsidePeriod {
                column: "held_at".into(),
                period: "2022-06".into(),
                start: "2022-06-01".into(),
                end: "2022-06-30".into(),
            },
            Reason::WhenFalse { condition: c() },
            Reason::NumeratorRequires { condition: c() },
            Reason::Requires { condition: c() },
            Reason::ExcludedBy { condition: c() },
            Reason::NoMatchingWhere,
        ];
        for r in &reasons {
            let z = Lang::Zh.reason(r);
            assert!(han(&z) && !english_words(&z), "{z}");
            assert!(!Lang::En.reason(r).is_empty());
        }
        for u in [
            Unless::InScope,
            Unless::InPeriod,
            Unless::Held(c()),
            Unless::NotHeld(c()),
        ] {
            let w = WhyNot {
                unless: u,
                now: vec![crate::eval::Read {
                    expr: "mode".into(),
                    value: crate::eval::Shown::Value("线下".into()),
                    via: None,
                    personal: false,
                }],
            };
            let z = Lang::Zh.why_not(&w);
            assert!(han(&z) && !english_words(&z), "{z}");
            assert!(Lang::En.why_not(&w).starts_with("would be counted if"));
        }
    }

    #[test]
    fn every_data_problem_has_both_texts() {
        use crate::data::{Expected, MissingColumn, Problem};
        let s = |x: &str| x.to_string();
        let mut all = vec![
            Problem::CannotOpen {
                table: s("hearings"),
                error: crate::words::fault::Io::System {
                    kind: std::io::ErrorKind::NotFound,
                    text: s("No such file or directory (os error 2)"),
                },
            },
            Problem::Unreadable {
                error: crate::data::Unreadable::HtmlWithoutTable,
            },
            Problem::Unreadable {
                error: crate::data::Unreadable::Workbook { reader: s("zip") },
            },
            Problem::Unreadable {
                error: crate::data::Unreadable::NoSheet {
                    wanted: vec![s("hearings"), s("庭审")],
                    sheets: vec![s("Sheet1")],
                },
            },
            Problem::Unreadable {
                error: crate::data::Unreadable::Sheet {
                    sheet: s("hearings"),
                    reader: s("zip"),
                },
            },
            Problem::Unreadable {
                error: crate::data::Unreadable::File {
                    io: crate::words::fault::Io::System {
                        kind: std::io::ErrorKind::PermissionDenied,
                        text: s("Permission denied (os error 13)"),
                    },
                },
            },
            Problem::WrongEncoding {
                table: s("hearings"),
                declared: s("UTF-8"),
                looks: s("GB18030"),
                declare: s("gbk"),
            },
            Problem::CannotReadHeader {
                error: crate::words::fault::Io::System {
                    kind: std::io::ErrorKind::UnexpectedEof,
                    text: s("eof"),
                },
            },
            Problem::MissingColumns {
                columns: vec![MissingColumn {
                    name: s("case_id"),
                    aliases: vec![s("案号")],
                    close: Some(s("案件编号")),
                }],
            },
            Problem::CannotReadRecord {
                error: crate::words::fault::Io::System {
                    kind: std::io::ErrorKind::PermissionDenied,
                    text: s("Permission denied (os error 13)"),
                },
            },
            Problem::Width {
                fields: 3,
                header: 4,
            },
            Problem::NotUtf8 { column: s("mode") },
            Problem::MissingValue { column: s("mode") },
            Problem::NotInList {
                raw: s("线上"),
                column: s("mode"),
                values: vec![s("线下"), s("在线")],
            },
            Problem::Dangling {
                key: s("C9"),
                file: s("cases.csv"),
            },
            Problem::DuplicateKey {
                key: s("C1"),
                first: 3,
            },
            Problem::NoTable {
                table: s("cases"),
                name: s("ods.t_case"),
                database: s("postgres://u@h/db"),
                close: Some(s("t_cases")),
            },
            Problem::NoColumns {
                table: s("hearings"),
                columns: vec![crate::data::MissingColumn {
                    name: s("status"),
                    aliases: Vec::new(),
                    close: Some(s("state")),
                }],
            },
        ];
        for e in [
            crate::db::DbError::BadUrl {
                url: s("postgres://u@h:x/db"),
                why: s("invalid port"),
            },
            crate::db::DbError::Connect {
                url: s("postgres://u@h/db"),
                why: s("connection refused"),
            },
            crate::db::DbError::Query {
                url: s("postgres://u@h/db"),
                why: s("permission denied"),
            },
        ] {
            all.push(Problem::Database { error: e });
        }
        for e in [
            Expected::Bool,
            Expected::WholeNumber,
            Expected::FiniteNumber,
            Expected::Number,
            Expected::Date,
            Expected::Datetime,
            Expected::Text,
        ] {
            all.push(Problem::BadValue {
                raw: s("x"),
                column: s("mode"),
                expected: e,
            });
        }
        for p in &all {
            // The match makes a new kind fail to compile until it has a sample.
            match p {
                Problem::CannotOpen { .. }
                | Problem::Unreadable { .. }
                | Problem::WrongEncoding { .. }
                | Problem::CannotReadHeader { .. }
                | Problem::MissingColumns { .. }
                | Problem::CannotReadRecord { .. }
                | Problem::Width { .. }
                | Problem::NotUtf8 { .. }
                | Problem::MissingValue { .. }
                | Problem::BadValue { .. }
                | Problem::NotInList { .. }
                | Problem::Dangling { .. }
                | Problem::DuplicateKey { .. }
                | Problem::NoTable { .. }
                | Problem::NoColumns { .. }
                | Problem::Database { .. } => {}
            }
            let zh = Lang::Zh.problem(p);
            assert!(han(&zh), "{zh}");
            let en = Lang::En.problem(p);
            assert!(!en.is_empty());
        }
    }

    #[test]
    fn every_line_said_has_both_texts() {
        use crate::data::DataErrorKind as K;
        let all = [
            Said::DataErrors {
                count: 3,
                dir: "data".into(),
            },
            Said::AndMore { count: 3 },
            Said::LeftOut {
                at: "cases.csv:3:7: …".into(),
            },
            Said::MoreLeftOut { count: 3 },
            Said::HelpWholeFiles,
            Said::HelpLenient,
            Said::HelpMaxDropped,
            Said::TooManyDropped {
                file: "hearings.csv".into(),
                rows: 100,
                dropped: 3,
                percent: 3.0,
                max: 1.0,
            },
        ];
        for s in &all {
            match s {
                Said::DataErrors { .. }
                | Said::AndMore { .. }
                | Said::LeftOut { .. }
                | Said::MoreLeftOut { .. }
                | Said::HelpWholeFiles
                | Said::HelpLenient
                | Said::HelpMaxDropped
                | Said::TooManyDropped { .. } => {}
            }
            assert!(han(&Lang::Zh.said(s)), "{s:?}");
            assert!(!han(&Lang::En.said(s)), "{s:?}");
        }
        for k in [
            K::MissingFile,
            K::WrongEncoding,
            K::Unreadable,
            K::MissingColumn,
            K::BadRecord,
            K::BadValue,
            K::UnknownEnumValue,
            K::MissingValue,
            K::DuplicateKey,
            K::DanglingReference,
        ] {
            assert!(han(Lang::Zh.data_kind(k)), "{k:?}");
        }
    }

    #[test]
    fn the_terms_are_the_glossarys() {
        // 分母 for the denominator, 无法计算 for undefined, 统计期 for the period.
        assert_eq!(
            Lang::Zh.undefined(&Undefined::NoRecords),
            "分母为 0（无记录）"
        );
        let r = Lang::Zh.remark(Some(&Undefined::NoRecords), &[]);
        assert_eq!(r, "无法计算：分母为 0（无记录）");
        let none = Undefined::LookupNone {
            table: "citywide".into(),
            filter: "month = period.start".into(),
            start: "2022-06-01".into(),
            end: "2022-06-30".into(),
        };
        assert!(Lang::Zh.undefined(&none).contains("统计期"));
    }

    #[test]
    fn the_language_comes_from_the_flag_then_the_environment() {
        let env = |pairs: &'static [(&'static str, &'static str)]| {
            move |k: &str| {
                pairs
                    .iter()
                    .find(|(n, _)| *n == k)
                    .map(|(_, v)| v.to_string())
            }
        };
        assert_eq!(Lang::detect(env(&[])), Lang::En);
        assert_eq!(Lang::detect(env(&[("LANG", "zh_CN.UTF-8")])), Lang::Zh);
        assert_eq!(Lang::detect(env(&[("LANG", "en_US.UTF-8")])), Lang::En);
        // LC_ALL before LANG; an empty one is skipped.
        assert_eq!(
            Lang::detect(env(&[("LC_ALL", "C"), ("LANG", "zh_CN.UTF-8")])),
            Lang::En
        );
        assert_eq!(
            Lang::detect(env(&[("LC_ALL", ""), ("LC_MESSAGES", "zh_TW")])),
            Lang::Zh
        );
        // ZHIBIAO_LANG first of all.
        assert_eq!(
            Lang::detect(env(&[("ZHIBIAO_LANG", "en"), ("LANG", "zh_CN.UTF-8")])),
            Lang::En
        );
        assert_eq!(Lang::parse("ZH-cn"), Some(Lang::Zh));
        assert_eq!(Lang::parse("fr"), None);
    }

    /// An item's empty value is said in each language and read back from
    /// either word, or from nothing between the commas.
    #[test]
    fn an_empty_item_value_round_trips_in_both_languages() {
        let key = crate::eval::item_of("C1, (empty), 判决书");
        assert_eq!(crate::eval::item_of("C1, （空）, 判决书"), key);
        assert_eq!(crate::eval::item_of("C1,,判决书"), key);
        assert_eq!(Lang::Zh.item(&key), "C1, （空）, 判决书");
        assert_eq!(Lang::En.item(&key), "C1, (empty), 判决书");
        assert_eq!(
            crate::eval::item_values(&key),
            vec![Some("C1"), None, Some("判决书")]
        );
        let empty = crate::eval::Shown::Special(crate::eval::Special::Empty);
        assert_eq!(Lang::Zh.shown(&empty), "（空）");
        assert_eq!(Lang::En.shown(&empty), "(empty)");
    }
}
