//! What a run warns of, in the language asked.

use super::Lang;
use crate::warning::Warning;

impl Lang {
    /// A warning, without its lead (`warning:`, `警告：`).
    pub fn warning(self, w: &Warning) -> String {
        match self {
            Lang::Zh => zh(w),
            Lang::En => en(w),
        }
    }

    /// A warning line as the command prints it: `warning: …`.
    pub fn warning_line(self, w: &Warning) -> String {
        match self {
            Lang::Zh => format!("警告：{}", zh(w)),
            Lang::En => format!("warning: {}", en(w)),
        }
    }
}

fn en(w: &Warning) -> String {
    match w {
        Warning::LeftOut { rows, file } => {
            format!("{rows} row(s) of `{file}` were left out because of data errors")
        }
        Warning::UnknownDepartment {
            department,
            close: Some(c),
        } => format!(
            "department `{department}` in the data is not one of the policy's departments; did you mean `{c}`? its records get no department target"
        ),
        Warning::UnknownDepartment {
            department,
            close: None,
        } => format!(
            "department `{department}` in the data is not one of the policy's departments; its records get no department target"
        ),
        Warning::BeforeEffective { start, effective } => format!(
            "the period starts on {start} but the policy is in force from {effective}: its rules are applied to days before it"
        ),
        Warning::NotCounted { period, start, end } => format!(
            "the counts hold no rows of {period} ({start} – {end}), which formulas read: give its counts too (`zhibiao sql --period {period}`)"
        ),
        Warning::BeforeFirstVersion {
            document,
            effective,
        } => format!(
            "the period ends before the first version takes effect ({document} on {effective}); using it anyway"
        ),
        Warning::SpansVersions {
            before,
            before_effective,
            until,
            after,
            after_effective,
        } => format!(
            "the period spans a change of version: {before} (effective {before_effective}) until {until}, then {after} (effective {after_effective}); the figures use {after}"
        ),
    }
}

fn zh(w: &Warning) -> String {
    match w {
        Warning::LeftOut { rows, file } => {
            format!("`{file}` 有 {rows} 行因数据错误未计入")
        }
        Warning::UnknownDepartment {
            department,
            close: Some(c),
        } => format!(
            "数据中的部门 `{department}` 不是政策所列的部门；是不是 `{c}`？其记录不计入任何部门目标"
        ),
        Warning::UnknownDepartment {
            department,
            close: None,
        } => format!("数据中的部门 `{department}` 不是政策所列的部门；其记录不计入任何部门目标"),
        Warning::BeforeEffective { start, effective } => {
            format!("统计期自 {start} 起，而政策自 {effective} 起施行：其规则也用于施行前的日子")
        }
        Warning::NotCounted { period, start, end } => format!(
            "计数中没有公式所读取的统计期 {period}（{start} 至 {end}）的行：请一并给出其计数（`zhibiao sql --period {period}`）"
        ),
        Warning::BeforeFirstVersion {
            document,
            effective,
        } => format!(
            "统计期在首个版本施行之前结束（{document}，{effective} 起施行）；仍按该版本计算"
        ),
        Warning::SpansVersions {
            before,
            before_effective,
            until,
            after,
            after_effective,
        } => format!(
            "统计期跨越版本更替：{before}（{before_effective} 起施行）至 {until}，其后为 {after}（{after_effective} 起施行）；指标按 {after} 计算"
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::words::texts::han;

    fn samples() -> Vec<Warning> {
        vec![
            Warning::LeftOut {
                rows: 3,
                file: "hearings.csv".into(),
            },
            Warning::UnknownDepartment {
                department: "民事审判".into(),
                close: Some("民事审判庭".into()),
            },
            Warning::UnknownDepartment {
                department: "执行局".into(),
                close: None,
            },
            Warning::BeforeEffective {
                start: "2022-05-01".into(),
                effective: "2022-05-31".into(),
            },
            Warning::NotCounted {
                period: "2022-05".into(),
                start: "2022-05-01".into(),
                end: "2022-05-31".into(),
            },
            Warning::BeforeFirstVersion {
                document: "嘉法发〔2022〕15号".into(),
                effective: "2022-05-31".into(),
            },
            Warning::SpansVersions {
                before: "嘉法发〔2022〕15号".into(),
                before_effective: "2022-05-31".into(),
                until: "2023-01-31".into(),
                after: "嘉法发〔2023〕2号".into(),
                after_effective: "2023-02-01".into(),
            },
        ]
    }

    #[test]
    fn every_warning_has_chinese_and_english_text() {
        for w in samples() {
            let zh = Lang::Zh.warning(&w);
            let own: String = zh.split('`').step_by(2).collect();
            assert!(han(&own), "no Chinese: {zh}");
            assert!(
                !own.split(|c: char| !c.is_ascii_alphabetic())
                    .any(|x| x.len() > 1),
                "English words in Chinese text: {zh}"
            );
            let en = Lang::En.warning(&w);
            let own: String = en
                .split('`')
                .step_by(2)
                .collect::<String>()
                .replace("嘉法发〔2022〕15号", "")
                .replace("嘉法发〔2023〕2号", "");
            assert!(!han(&own), "Chinese in English text: {en}");
        }
    }
}
