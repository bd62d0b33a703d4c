//! The fixed words of the views the command prints of a policy: the targets
//! in force, a target's history, a diff of two versions, the graph and an
//! indicator's dependencies. Codes, names and policy text stay as they are.

use super::Lang;
use crate::graph::Edge;

/// A line (or a word) of a view.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum View {
    TargetsInForce {
        at: Option<String>,
        document: String,
        version: String,
        effective: String,
    },
    TargetHistory {
        code: String,
        name: String,
    },
    IndicatorAdded {
        code: String,
    },
    IndicatorRemoved {
        code: String,
    },
    /// A target changed; `None`: there was none (or is none now).
    TargetChanged {
        code: String,
        department: String,
        from: Option<String>,
        to: Option<String>,
    },
    RuleAdded {
        code: String,
        rule: String,
    },
    RuleRemoved {
        code: String,
        rule: String,
    },
    NoSemanticChanges,
    /// The figures and records of a diff on data, for a period.
    OnData {
        data: String,
        period: String,
    },
    NoFigureChanges,
    /// `deps` / `impact`: nothing on the other side.
    Nothing {
        depends_on: bool,
    },
    ValueReads,
    RelatedHeading,
    /// ` via HC3`
    Via {
        node: String,
    },
    /// `explain --case`: the case was found under another spelling
    /// (full-width brackets, spaces).
    CaseFoundAs {
        given: String,
        found: String,
    },
}

/// How a target changed from one version to the next.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    Set,
    Added,
    Removed,
    Changed,
}

/// The columns of the targets and history tables.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Column {
    Indicator,
    Department,
    Target,
    Document,
    Effective,
    Before,
    After,
}

/// A figure's standing against its targets, in a diff.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Standing {
    Missed,
    Met,
    None,
}

impl Lang {
    pub fn view(self, v: &View) -> String {
        match self {
            Lang::Zh => zh(v),
            Lang::En => en(v),
        }
    }

    pub fn change(self, c: Change) -> &'static str {
        match (self, c) {
            (Lang::Zh, Change::Set) => "设定",
            (Lang::Zh, Change::Added) => "新增",
            (Lang::Zh, Change::Removed) => "删除",
            (Lang::Zh, Change::Changed) => "修改",
            (Lang::En, Change::Set) => "set",
            (Lang::En, Change::Added) => "added",
            (Lang::En, Change::Removed) => "removed",
            (Lang::En, Change::Changed) => "changed",
        }
    }

    pub fn column(self, c: Column) -> &'static str {
        match (self, c) {
            (Lang::Zh, Column::Indicator) => "指标",
            (Lang::Zh, Column::Department) => "部门",
            (Lang::Zh, Column::Target) => "目标",
            (Lang::Zh, Column::Document) => "文件",
            (Lang::Zh, Column::Effective) => "生效",
            (Lang::Zh, Column::Before) => "原目标",
            (Lang::Zh, Column::After) => "新目标",
            (Lang::En, Column::Indicator) => "indicator",
            (Lang::En, Column::Department) => "department",
            (Lang::En, Column::Target) => "target",
            (Lang::En, Column::Document) => "document",
            (Lang::En, Column::Effective) => "effective",
            (Lang::En, Column::Before) => "before",
            (Lang::En, Column::After) => "after",
        }
    }

    pub fn standing(self, s: Standing) -> &'static str {
        match (self, s) {
            (Lang::Zh, Standing::Missed) => "未达标",
            (Lang::Zh, Standing::Met) => "达标",
            (Lang::En, Standing::Missed) => "missed",
            (Lang::En, Standing::Met) => "met",
            (_, Standing::None) => "—",
        }
    }

    pub fn edge(self, e: Edge) -> &'static str {
        match (self, e) {
            (Lang::Zh, Edge::DerivedFrom) => "派生自",
            (Lang::Zh, Edge::Related) => "相关",
            (Lang::Zh, Edge::Reads) => "读取",
            (Lang::En, e) => e.as_str(),
        }
    }
}

fn en(v: &View) -> String {
    match v {
        View::TargetsInForce {
            at,
            document,
            version,
            effective,
        } => format!(
            "targets in force{} — {document} (version {version}, effective {effective})",
            at.as_ref().map(|a| format!(" on {a}")).unwrap_or_default()
        ),
        View::TargetHistory { code, name } => format!("{code} {name} — target history"),
        View::IndicatorAdded { code } => format!("+ indicator {code} added"),
        View::IndicatorRemoved { code } => format!("- indicator {code} removed"),
        View::TargetChanged {
            code,
            department,
            from,
            to,
        } => format!(
            "~ target {code} {department}: {} → {}",
            from.as_deref().unwrap_or("none"),
            to.as_deref().unwrap_or("none")
        ),
        View::RuleAdded { code, rule } => format!("+ {code} rule {rule}"),
        View::RuleRemoved { code, rule } => format!("- {code} rule {rule}"),
        View::NoSemanticChanges => "no semantic changes".into(),
        View::OnData { data, period } => format!("on {data} for {period}:"),
        View::NoFigureChanges => "no figure or record changes".into(),
        View::Nothing { depends_on: true } => "  (nothing depends on it)".into(),
        View::Nothing { depends_on: false } => "  (nothing is needed by it)".into(),
        View::ValueReads => "  its value reads:".into(),
        View::RelatedHeading => {
            "  related (declared: they raise it; its value does not read them):".into()
        }
        View::Via { node } => format!(" via {node}"),
        View::CaseFoundAs { given, found } => {
            format!("case `{given}` not found as written; found as `{found}`")
        }
    }
}

fn zh(v: &View) -> String {
    match v {
        View::TargetsInForce {
            at,
            document,
            version,
            effective,
        } => format!(
            "{} — {document}（版本 {version}，{effective} 起施行）",
            at.as_ref()
                .map_or_else(|| "现行目标".to_string(), |a| format!("{a} 施行的目标"))
        ),
        View::TargetHistory { code, name } => format!("{code} {name} — 目标沿革"),
        View::IndicatorAdded { code } => format!("+ 新增指标 {code}"),
        View::IndicatorRemoved { code } => format!("- 删除指标 {code}"),
        View::TargetChanged {
            code,
            department,
            from,
            to,
        } => format!(
            "~ 目标 {code} {department}：{} → {}",
            from.as_deref().unwrap_or("无"),
            to.as_deref().unwrap_or("无")
        ),
        View::RuleAdded { code, rule } => format!("+ {code} 新增规则 {rule}"),
        View::RuleRemoved { code, rule } => format!("- {code} 删除规则 {rule}"),
        View::NoSemanticChanges => "口径无变化".into(),
        View::OnData { data, period } => format!("以 {data} 的数据、统计期 {period}："),
        View::NoFigureChanges => "指标值和记录均无变化".into(),
        View::Nothing { depends_on: true } => "  （没有依赖它的指标）".into(),
        View::Nothing { depends_on: false } => "  （它不依赖其他指标或列）".into(),
        View::ValueReads => "  其值读取：".into(),
        View::RelatedHeading => {
            "  相关指标（政策声明：它们推动本指标；本指标的值不读取它们）：".into()
        }
        View::Via { node } => format!(" 经 {node}"),
        View::CaseFoundAs { given, found } => {
            format!("未找到所写的案号 `{given}`；按 `{found}` 找到")
        }
    }
}
