//! The verdict: versioning rules, deprecation and sunset rules, waivers, `--fail-on`.

use serde::Serialize;

/// The version bump a contract made between base and head, or a change requires.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Bump {
    None,
    Patch,
    Minor,
    Major,
}
