//! Why the policy files make no one chain of versions, in the language asked.

use super::Lang;

impl Lang {
    /// Why the policy files make no one chain of versions.
    pub fn chain_error(self, e: &crate::workspace::ChainError) -> String {
        use crate::workspace::ChainError;
        match (self, e) {
            (Lang::En, ChainError::NoBase) => "no policy that passes `zhibiao check`".into(),
            (Lang::En, ChainError::ManyBases { files }) => format!(
                "{} independent policies ({}); pass one with `--policy FILE`",
                files.len(),
                files.join(", ")
            ),
            (Lang::En, ChainError::Branches { file, amendments }) => format!(
                "`{file}` is amended by {} files ({}); amendments form one chain",
                amendments.len(),
                amendments.join(", ")
            ),
            (Lang::Zh, ChainError::NoBase) => "没有通过 `zhibiao check` 的政策文件".into(),
            (Lang::Zh, ChainError::ManyBases { files }) => format!(
                "有 {} 个互不相关的基础政策（{}）；请用 `--policy FILE` 指定一个",
                files.len(),
                files.join("、")
            ),
            (Lang::Zh, ChainError::Branches { file, amendments }) => format!(
                "`{file}` 被 {} 个文件修订（{}）；修订须连成一条链",
                amendments.len(),
                amendments.join("、")
            ),
        }
    }

    /// The `error:` line of a chain error.
    pub fn chain_fault(self, e: &crate::workspace::ChainError) -> String {
        self.error_lines(&self.chain_error(e), None)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::words::texts::han;
    use crate::workspace::ChainError;

    #[test]
    fn every_chain_error_has_both_texts() {
        for e in [
            ChainError::NoBase,
            ChainError::ManyBases {
                files: vec!["a.zb".into(), "b.zb".into()],
            },
            ChainError::Branches {
                file: "a.zb".into(),
                amendments: vec!["b.zb".into(), "c.zb".into()],
            },
        ] {
            assert!(Lang::Zh.chain_fault(&e).starts_with("错误："));
            assert!(han(&Lang::Zh.chain_error(&e)));
            assert!(!han(&Lang::En.chain_error(&e)));
        }
    }
}
