//! Which breaking rules are in force for a module: a `--protobuf-level`/config level, or the
//! `breaking:` section of the head revision's `buf.yaml` (v1beta1, v1, v2).

use super::Level;

/// The rules in force and what they ignore.
#[derive(Debug, Clone)]
pub struct RuleSet {
    pub level: Level,
}

impl RuleSet {
    /// Every rule whose catalogue entry lists `level`.
    pub fn for_level(level: Level) -> RuleSet {
        RuleSet { level }
    }
}
