//! The report every renderer reads, and the renderers: one file per output format. Renderers
//! only render; what goes into the report is decided by the pipeline and the policy.

pub mod human;
pub mod json;

use crate::change::Loc;
use crate::formats::Kind;
use crate::policy::{AllowedBy, Bump};
use crate::rules::Class;
use serde::Serialize;

/// The JSON report's shape is a public contract: `schemas/report.schema.json`. Change it only
/// additively.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub version: u32,
    pub verdict: Verdict,
    pub base: Revision,
    pub head: Revision,
    pub contracts: Vec<ContractReport>,
    /// Contracts that could not be loaded. Any error makes the run exit with code 2, but the
    /// other contracts are still reported.
    pub errors: Vec<ErrorReport>,
    /// Files that are, or may be, contracts and were not compared, with why.
    pub skipped: Vec<SkippedReport>,
    /// What a reader must know about the run as a whole (nothing was found to compare, ...).
    pub notes: Vec<String>,
    pub summary: Summary,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    Pass,
    Fail,
    /// Something could not be read or compared (exit code 2): never a pass.
    Error,
}

impl Report {
    /// The report of a run that could not start or finish (a bad revision, configuration or
    /// I/O error): one shape for JSON consumers whatever went wrong.
    pub fn of_error(base: Revision, head: Revision, error: ErrorReport) -> Report {
        Report {
            version: 1,
            verdict: Verdict::Error,
            base,
            head,
            contracts: Vec::new(),
            errors: vec![error],
            skipped: Vec::new(),
            notes: Vec::new(),
            summary: Summary::default(),
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Revision {
    /// How the user named this side: a revision, `work tree`, or a path.
    pub rev: String,
    pub commit: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ContractReport {
    pub kind: Kind,
    pub base: Option<ContractSide>,
    pub head: Option<ContractSide>,
    /// The version bump between base and head; `null` when a side has no readable version.
    pub bump: Option<Bump>,
    pub changes: Vec<ReportedChange>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ContractSide {
    pub path: String,
    pub version: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ReportedChange {
    pub rule: String,
    pub class: Class,
    pub message: String,
    pub locus: String,
    pub base: Option<Loc>,
    pub head: Option<Loc>,
    pub allowed_by: Option<AllowedBy>,
    pub blocking: bool,
    /// Something present in base is gone: renderers show base's lines.
    #[serde(skip)]
    pub removal: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct ErrorReport {
    pub file: Option<String>,
    pub line: Option<u32>,
    pub column: Option<u32>,
    pub message: String,
    pub hint: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct SkippedReport {
    /// `base` or `head`.
    pub side: &'static str,
    /// Control characters escaped.
    pub path: String,
    pub reason: String,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct Summary {
    pub breaking: usize,
    pub risky: usize,
    pub additive: usize,
    pub deprecation: usize,
    pub info: usize,
    pub blocking: usize,
}

impl Summary {
    pub fn count(&mut self, change: &ReportedChange) {
        *match change.class {
            Class::Breaking => &mut self.breaking,
            Class::Risky => &mut self.risky,
            Class::Additive => &mut self.additive,
            Class::Deprecation => &mut self.deprecation,
            Class::Info => &mut self.info,
        } += 1;
        self.blocking += usize::from(change.blocking);
    }
}

/// The loaded documents of both revisions, so renderers can show the changed lines: OpenAPI
/// workspaces as loaded, and the texts other engines kept.
#[derive(Default)]
pub struct Sources {
    pub base: Vec<crate::doc::Workspace>,
    pub head: Vec<crate::doc::Workspace>,
    pub texts: crate::formats::Texts,
}

/// Output formats. Only the implemented ones are offered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Human,
    Json,
}
