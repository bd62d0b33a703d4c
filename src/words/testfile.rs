//! A test file that cannot be used, in the language asked.

use super::Lang;
use crate::testing::{TestError, TestFileProblem};

/// Another program's words (the system's, the YAML reader's), quoted whole.
fn foreign(text: &str) -> String {
    format!("`{}`", text.replace('`', "'"))
}

impl Lang {
    /// The message.
    pub fn test_error(self, e: &TestError) -> String {
        let path = &e.path;
        match self {
            Lang::En => match &e.problem {
                TestFileProblem::Read { io } => {
                    format!("cannot read test file `{path}`: {}", self.io(io))
                }
                TestFileProblem::Yaml {
                    at: Some((l, c)),
                    text,
                } => {
                    format!("test file `{path}` is not valid: line {l}, column {c}: {text}")
                }
                TestFileProblem::Yaml { at: None, text } => {
                    format!("test file `{path}` is not valid: {text}")
                }
                TestFileProblem::NoPolicy { path: p } => {
                    format!("test file `{path}`: no policy files (`*.zb`) in `{p}`")
                }
                TestFileProblem::PolicyRead { path: p, io } => {
                    format!(
                        "test file `{path}`: cannot read the policy `{p}`: {}",
                        self.io(io)
                    )
                }
                TestFileProblem::PolicyFails { name } => {
                    format!("test file `{path}`: the policy `{name}` does not pass `zhibiao check`")
                }
                TestFileProblem::Chain(c) => format!("test file `{path}`: {}", self.chain_error(c)),
            },
            Lang::Zh => match &e.problem {
                TestFileProblem::Read { io } => {
                    format!("无法读取测试文件 `{path}`：{}", self.io(io))
                }
                TestFileProblem::Yaml {
                    at: Some((l, c)),
                    text,
                } => {
                    format!(
                        "测试文件 `{path}` 有误：第 {l} 行第 {c} 列：{}",
                        foreign(text)
                    )
                }
                TestFileProblem::Yaml { at: None, text } => {
                    format!("测试文件 `{path}` 有误：{}", foreign(text))
                }
                TestFileProblem::NoPolicy { path: p } => {
                    format!("测试文件 `{path}`：`{p}` 中没有政策文件（`*.zb`）")
                }
                TestFileProblem::PolicyRead { path: p, io } => {
                    format!("测试文件 `{path}`：无法读取政策 `{p}`：{}", self.io(io))
                }
                TestFileProblem::PolicyFails { name } => {
                    format!("测试文件 `{path}`：政策 `{name}` 未通过 `zhibiao check`")
                }
                TestFileProblem::Chain(c) => format!("测试文件 `{path}`：{}", self.chain_error(c)),
            },
        }
    }

    /// What to do about it, where there is something to say.
    pub fn test_error_help(self, e: &TestError) -> Option<&'static str> {
        Some(match (self, &e.problem) {
            (Lang::En, TestFileProblem::Yaml { .. }) => {
                "a test file holds `tests:`, a list of cases, each with `name`, `period`, `data` (rows per table: `cases: [{ case_id: C1, … }]`) and `expect` (`{ indicator, department, numerator, denominator, value }`) or `records`"
            }
            (Lang::Zh, TestFileProblem::Yaml { .. }) => {
                "测试文件含 `tests:`，即若干用例，每个用例有 `name`、`period`、`data`（各表的行：`cases: [{ case_id: C1, … }]`）和 `expect`（`{ indicator, department, numerator, denominator, value }`）或 `records`"
            }
            (Lang::En, TestFileProblem::NoPolicy { .. }) => {
                "keep test files in a `tests` folder beside the policy, or name the policy at the top of the file: `policy: ../policy.zb`"
            }
            (Lang::Zh, TestFileProblem::NoPolicy { .. }) => {
                "测试文件应放在政策旁的 `tests` 文件夹中，或在文件开头写明政策：`policy: ../policy.zb`"
            }
            (Lang::En, TestFileProblem::PolicyFails { .. }) => {
                "run `zhibiao check` on the policy: its errors say what to fix"
            }
            (Lang::Zh, TestFileProblem::PolicyFails { .. }) => {
                "请对该政策运行 `zhibiao check`：其错误信息说明如何修改"
            }
            _ => return None,
        })
    }

    /// The `error:` and `help:` lines the command prints.
    pub fn test_error_fault(self, e: &TestError) -> String {
        self.error_lines(&self.test_error(e), self.test_error_help(e))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::words::fault::Io;
    use crate::words::texts::{english_words, han};

    #[test]
    fn every_test_file_problem_has_both_texts() {
        let problems = [
            TestFileProblem::Read {
                io: Io::System {
                    kind: std::io::ErrorKind::NotFound,
                    text: "No such file or directory (os error 2)".into(),
                },
            },
            TestFileProblem::Read {
                io: Io::System {
                    kind: std::io::ErrorKind::Interrupted,
                    text: "Interrupted system call (os error 4)".into(),
                },
            },
            TestFileProblem::Yaml {
                at: Some((3, 5)),
                text: "tests[0]: missing field `expect`".into(),
            },
            TestFileProblem::Yaml {
                at: None,
                text: "EOF while parsing".into(),
            },
            TestFileProblem::NoPolicy {
                path: "policies".into(),
            },
            TestFileProblem::PolicyRead {
                path: "p.zb".into(),
                io: Io::System {
                    kind: std::io::ErrorKind::PermissionDenied,
                    text: "Permission denied (os error 13)".into(),
                },
            },
            TestFileProblem::PolicyFails {
                name: "p.zb".into(),
            },
            TestFileProblem::Chain(crate::workspace::ChainError::NoBase),
        ];
        for problem in problems {
            let e = TestError {
                path: "tests/a.yaml".into(),
                problem,
            };
            let zh = Lang::Zh.test_error_fault(&e);
            assert!(han(&zh) && !english_words(&zh), "{zh}");
            assert!(!han(&Lang::En.test_error_fault(&e)), "{e:?}");
        }
    }
}
