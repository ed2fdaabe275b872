//! Two Protobuf modules → changes under buf's breaking rule ids (`rules/protobuf.toml`).

use super::bufconfig::RuleSet;
use super::model::Module;
use crate::change::Change;

/// Every change from `base` to `head` that `rules` selects, in a stable order.
pub fn diff(_base: &Module, _head: &Module, _rules: &RuleSet) -> Vec<Change> {
    Vec::new()
}
