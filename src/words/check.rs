//! What `check` says: its diagnostics in the language asked.

use super::{Lang, en, zh};
use crate::check::{CheckError, Texts};
use crate::syntax::SyntaxError;

impl Lang {
    /// A diagnostic's message, labels and help.
    pub fn check(self, e: &CheckError) -> Texts {
        match self {
            Lang::Zh => zh::check::texts_of(e),
            Lang::En => en::check::texts_of(e),
        }
    }

    /// A syntax error's message, label and help.
    pub fn syntax(self, e: &SyntaxError) -> Texts {
        match self {
            Lang::Zh => zh::check::syntax(e),
            Lang::En => en::check::syntax(e),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::{Hint, Mismatch, Names, Shape, Suggestion};
    use crate::words::texts::{english_words, han, own};

    fn s(x: &str) -> String {
        x.to_string()
    }

    /// One value of every kind of structure problem.
    fn shapes() -> Vec<Shape> {
        let ind = || s("HC3");
        vec![
            Shape::DuplicateHeaderField,
            Shape::NoEffective { amendment: false },
            Shape::NoEffective { amendment: true },
            Shape::NoDocument { amendment: false },
            Shape::NoDocument { amendment: true },
            Shape::AmendmentNotAfter {
                date: s("2022-01-01"),
                document: s("嘉法发〔2022〕15号"),
                effective: s("2022-05-31"),
            },
            Shape::AmendmentChangesOnly,
            Shape::NoTargetToRemove {
                indicator: ind(),
                targets: vec![],
            },
            Shape::NoTargetToRemove {
                indicator: ind(),
                targets: vec![s("court"), s("业务部门")],
            },
            Shape::TargetChangeInBase,
            Shape::OwnerIsGroup {
                owner: s("业务部门"),
            },
            Shape::NotMember {
                name: s("立案庭"),
                group: s("业务部门"),
            },
            Shape::NoDepartment,
            Shape::AggregateMisplaced { func: s("any") },
            Shape::AggregateTable { func: s("any") },
            Shape::NotRelated {
                func: s("any"),
                child: s("documents"),
                parent: s("hearings"),
            },
            Shape::AggregateArguments { func: s("count") },
            Shape::DefinitionHidesColumn {
                name: s("mode"),
                table: s("hearings"),
            },
            Shape::DefinitionCycle {
                members: vec![s("a"), s("a")],
            },
            Shape::DefinitionCycle {
                members: vec![s("a"), s("b"), s("a")],
            },
            Shape::ColumnNoField {
                column: s("case_id"),
                field: s("x"),
                relation: Some(s("case")),
            },
            Shape::ColumnNoField {
                column: s("mode"),
                field: s("x"),
                relation: None,
            },
            Shape::RelationNotValue { name: s("case") },
            Shape::DefinitionNoField {
                name: s("d"),
                field: s("x"),
            },
            Shape::GroupCycle {
                members: vec![s("甲"), s("甲")],
            },
            Shape::GroupCycle {
                members: vec![s("甲"), s("乙"), s("甲")],
            },
            Shape::CopiesTwo { indicator: ind() },
            Shape::ValueAndCount { indicator: ind() },
            Shape::TwoValues { indicator: ind() },
            Shape::ComputedRules { indicator: ind() },
            Shape::MeasuresNoValue { indicator: ind() },
            Shape::MixedCount { indicator: ind() },
            Shape::RuleOutsideBlocks,
            Shape::BlockCountsNothing {
                side: s("numerator"),
            },
            Shape::SideInBlock {
                side: s("denominator"),
            },
            Shape::MissingBlock { indicator: ind() },
            Shape::CountsNothing { indicator: ind() },
            Shape::TwoCounts { indicator: ind() },
            Shape::DenominatorRule,
            Shape::NoNumeratorRule { indicator: ind() },
            Shape::CopiesComputed { indicator: ind() },
            Shape::CopyCount,
            Shape::CopyAdds,
            Shape::NotFormula,
            Shape::AmendedMissing {
                name: s("base.zb"),
                path: s("policies/base.zb"),
            },
            Shape::AmendmentCycle,
            Shape::AmendedFails { name: s("base.zb") },
        ]
    }

    fn mismatches() -> Vec<Mismatch> {
        vec![
            Mismatch::NotCondition { ty: "number" },
            Mismatch::Default {
                of: "date",
                got: "number",
            },
            Mismatch::Default {
                of: "text",
                got: "number",
            },
            Mismatch::Default {
                of: "number",
                got: "text",
            },
            Mismatch::CompareOp {
                ty: "text",
                op: "<",
            },
            Mismatch::Compare {
                left: "date",
                right: "text",
                op: ">=",
            },
            Mismatch::ListLiteral { ty: "enum" },
            Mismatch::DurationOn { ty: "number" },
            Mismatch::DurationAlone,
            Mismatch::Arithmetic {
                op: "+",
                ty: "text",
            },
            Mismatch::EnumComputed,
            Mismatch::DepartmentNotText { ty: "date" },
            Mismatch::ByNotDate {
                column: s("mode"),
                ty: "enum",
                table: s("hearings"),
            },
            Mismatch::FoldNeedsNumbers {
                func: "avg",
                ty: "text",
            },
            Mismatch::LookupNumber { ty: "text" },
        ]
    }

    fn hints() -> Vec<Hint> {
        let sug = |close: Vec<String>, all: Vec<String>| Suggestion {
            close,
            all,
            what: Names::Columns,
        };
        vec![
            Hint::Suggest(sug(vec![s("mode")], vec![])),
            Hint::Suggest(sug(vec![], vec![s("mode"), s("status")])),
            Hint::Suggest(sug(vec![], vec![])),
            Hint::SuggestInAmendment(sug(vec![s("立案庭")], vec![])),
            Hint::PeriodFields,
            Hint::IsTable {
                name: s("documents"),
                from: s("cases"),
            },
            Hint::DefinedThrough {
                name: s("d"),
                on: s("cases"),
                relation: s("case"),
            },
            Hint::DefinedElsewhere {
                name: s("d"),
                on: s("cases"),
                table: s("judges"),
            },
        ]
    }

    /// Every kind of structure problem, type mismatch and hint has a
    /// Chinese text with no English words outside quoted names, and an
    /// English one with no Chinese outside them.
    #[test]
    fn every_check_message_has_chinese_and_english_text() {
        let src = crate::source::SourceFile::new("p.zb", "x").named();
        let span: miette::SourceSpan = (0, 1).into();
        let mut errors: Vec<CheckError> = shapes()
            .into_iter()
            .map(|shape| CheckError::Structure {
                shape,
                src: src.clone(),
                span,
            })
            .collect();
        errors.extend(mismatches().into_iter().map(|mismatch| CheckError::Type {
            mismatch,
            src: src.clone(),
            span,
        }));
        errors.extend(hints().into_iter().map(|help| CheckError::Unknown {
            kind: crate::check::Kind::DepartmentOrGroup,
            name: s("x"),
            src: src.clone(),
            span,
            help,
        }));
        for e in &errors {
            let zh = Lang::Zh.check(e);
            let en = Lang::En.check(e);
            let zh_all = [
                zh.message.clone(),
                zh.labels.join(" "),
                zh.help.clone().unwrap_or_default(),
            ];
            for t in &zh_all {
                assert!(han(&own(t)), "no Chinese in {t:?} of {e:?}");
                assert!(!english_words(t), "English words in {t:?} of {e:?}");
            }
            let en_all = [
                en.message.clone(),
                en.labels.join(" "),
                en.help.clone().unwrap_or_default(),
            ];
            for t in &en_all {
                assert!(!t.is_empty(), "empty English text of {e:?}");
                assert!(!han(&own(t)), "Chinese in {t:?} of {e:?}");
            }
        }
    }
}
