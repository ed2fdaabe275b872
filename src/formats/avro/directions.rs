//! Findings of the level's directions turned into changes: backward (head reads base) with
//! the evolution notes, forward (base reads head), one change per cause.

use super::check::{Checker, Finding};
use super::model::{Id, Model};

use super::Compat;
use crate::change::Change;
use std::collections::BTreeMap;

/// The checkers of one base model and one head model, both ways, shared by the contracts
/// checked at one level: a cause they share is reported in the first (the one that reaches the
/// fewest files, so mostly the file that defines the type).
pub struct Directions<'a> {
    /// Head reads base (backward), with the evolution notes when `notes`.
    backward: Checker<'a>,
    /// Base reads head (forward).
    forward: Checker<'a>,
}

impl<'a> Directions<'a> {
    pub fn new(bm: &'a Model, hm: &'a Model, notes: bool) -> Self {
        Directions { backward: Checker::new(hm, bm, notes), forward: Checker::new(bm, hm, false) }
    }
}

/// Both directions the level asks for, and the evolution notes, as changes. `against`: the
/// earlier version compared with (transitive levels), named in messages; its places are not
/// in base, so changes carry no base place.
pub fn directions(
    checkers: &mut Directions,
    b_root: Id,
    h_root: Id,
    locus: &str,
    level: Compat,
    against: Option<&str>,
) -> Vec<Change> {
    let mut changes: Vec<Change> = Vec::new();
    let mut index: BTreeMap<(String, String), usize> = BTreeMap::new();
    // Head reads base: backward findings, and the notes (only against base itself).
    for finding in checkers.backward.check(h_root, b_root, locus) {
        if finding.compat && (!level.backward() || level == Compat::None) {
            continue;
        }
        let prefix = finding.compat.then_some("new readers cannot read old data");
        push(&mut changes, &mut index, to_change(finding, false, prefix, against));
    }
    if level.forward() {
        for finding in checkers.forward.check(b_root, h_root, locus) {
            let key = (finding.rule.to_string(), finding.locus.clone());
            if let Some(&i) = index.get(&key) {
                // Full compatibility: the same cause fails both ways; say so once.
                changes[i].message.push_str("; old readers cannot read new data either");
                continue;
            }
            push(&mut changes, &mut index, to_change(finding, true, Some("old readers cannot read new data"), against));
        }
    }
    changes
}

fn push(changes: &mut Vec<Change>, index: &mut BTreeMap<(String, String), usize>, change: Change) {
    let key = (change.rule.clone(), change.locus.clone());
    if index.contains_key(&key) {
        return;
    }
    index.insert(key, changes.len());
    changes.push(change);
}

/// `head_is_writer`: the finding came from base reading head (forward).
fn to_change(finding: Finding, head_is_writer: bool, prefix: Option<&str>, against: Option<&str>) -> Change {
    let Finding { rule, locus, message, reader, writer, .. } = finding;
    let (base, head) = if head_is_writer { (reader, writer) } else { (writer, reader) };
    let base = if against.is_some() { None } else { base };
    let message = match (prefix, against) {
        (Some(p), Some(a)) => format!("{p} ({a}): {message}"),
        (Some(p), None) => format!("{p}: {message}"),
        (None, _) => message,
    };
    Change::new(rule, locus, message).at(base, head)
}
