//! Two Protobuf modules → changes under buf's breaking rule ids (`rules/protobuf.toml`).
//!
//! Elements are matched as buf matches them: files by import path, messages, enums and services
//! by fully-qualified name, fields and enum values by number, RPCs and oneofs by name,
//! extensions by (extendee, number). Each family lives in its own file; this one holds the
//! indexes, the finding collector (rule selection, ignores, unstable packages) and the order.

mod enums;
mod extensions;
mod fields;
mod files;
mod index;
mod messages;
mod packages;
mod reserved;
mod services;
#[cfg(test)]
mod tests;
mod types;

use super::bufconfig::RuleSet;
use super::model::{File, Module};
use crate::change::{Change, Loc};
use index::Side;

/// Every change from `base` to `head` that `rules` selects, in a stable order.
pub fn diff(base: &Module, head: &Module, rules: &RuleSet) -> Vec<Change> {
    let (base_side, head_side) = (Side::new(base), Side::new(head));
    let mut out = Out { rules, found: Vec::new() };
    let pair = Pair { base: &base_side, head: &head_side };
    files::check(&pair, &mut out);
    packages::check(&pair, &mut out);
    messages::check(&pair, &mut out);
    fields::check(&pair, &mut out);
    enums::check(&pair, &mut out);
    services::check(&pair, &mut out);
    extensions::check(&pair, &mut out);
    out.finish()
}

/// Both revisions, indexed.
struct Pair<'a> {
    pub base: &'a Side<'a>,
    pub head: &'a Side<'a>,
}

/// One side of a finding: the file it is in (for ignores and the package) and where.
struct At<'a> {
    pub file: &'a File,
    pub loc: Loc,
}

impl<'a> At<'a> {
    pub fn new(file: &'a File, loc: Loc) -> Self {
        At { file, loc }
    }

    /// The file as a whole: its first line (where buf points for file-level findings).
    pub fn file(file: &'a File) -> Self {
        At { file, loc: file_start(file) }
    }

    /// `path` where the source has it, else the nearest enclosing element.
    pub fn path(file: &'a File, path: &[i32]) -> Self {
        At { file, loc: file.loc(path) }
    }

    /// The first of `paths` the source has, else `fallback`.
    pub fn first(file: &'a File, paths: &[Vec<i32>], fallback: Loc) -> Self {
        let loc = paths.iter().find_map(|p| file.exact_loc(p)).unwrap_or(fallback);
        At { file, loc }
    }
}

/// The start of a file, as a point (not the whole file's span, which would quote the file).
fn file_start(file: &File) -> Loc {
    Loc { file: file.repo_path.clone(), line: 1, column: 1, start: 0, end: 0 }
}

/// `path` followed by `tail`.
fn sub(path: &[i32], tail: &[i32]) -> Vec<i32> {
    path.iter().chain(tail).copied().collect()
}

/// Collects findings, keeping only those the rule set selects.
struct Out<'r> {
    rules: &'r RuleSet,
    found: Vec<Change>,
}

impl Out<'_> {
    /// Whether `rule` runs (callers skip work for rules not in force).
    pub fn wants(&self, rule: &str) -> bool {
        self.rules.enabled(rule)
    }

    pub fn add(
        &mut self,
        rule: &str,
        locus: impl Into<String>,
        message: impl Into<String>,
        base: Option<At>,
        head: Option<At>,
    ) {
        if !self.wants(rule) {
            return;
        }
        // buf ignores a finding when the file on either side is ignored.
        if head.iter().chain(base.iter()).any(|a| self.rules.ignores(rule, &a.file.name)) {
            return;
        }
        // As buf: a finding with either side in an unstable package is an unstable one.
        let unstable = head.iter().chain(base.iter()).any(|a| is_unstable_package(&a.file.package));
        if unstable && self.rules.ignore_unstable_packages() {
            return;
        }
        let change = Change::new(rule, locus, message).at(base.map(|a| a.loc), head.map(|a| a.loc)).unstable(unstable);
        self.found.push(change);
    }

    fn finish(self) -> Vec<Change> {
        let mut changes = self.found;
        changes.sort_by(|a, b| order_key(a).cmp(&order_key(b)));
        changes
    }
}

fn order_key(c: &Change) -> (String, u32, u32, &str, &str, &str) {
    let loc = c.head.as_ref().or(c.base.as_ref());
    let (file, line, column) = loc.map(|l| (l.file.clone(), l.line, l.column)).unwrap_or_default();
    (file, line, column, c.rule.as_str(), c.locus.as_str(), c.message.as_str())
}

/// buf's unstable package versions (`protoversion`): the last package component is `vN`
/// followed by `alpha`/`beta` (optionally numbered, optionally after a `pN` patch), or `test`.
pub(crate) fn is_unstable_package(package: &str) -> bool {
    let Some(last) = package.rsplit('.').next() else { return false };
    let Some(rest) = last.strip_prefix('v') else { return false };
    let digits = rest.chars().take_while(char::is_ascii_digit).count();
    if digits == 0 || rest.starts_with('0') {
        return false;
    }
    let mut rest = &rest[digits..];
    if rest.is_empty() {
        return false;
    }
    if let Some(test) = rest.strip_prefix("test") {
        return test.chars().all(|c| c.is_ascii_alphanumeric());
    }
    if let Some(patch) = rest.strip_prefix('p') {
        let n = patch.chars().take_while(char::is_ascii_digit).count();
        if n == 0 || patch.starts_with('0') {
            return false;
        }
        rest = &patch[n..];
    }
    let tail = rest.strip_prefix("alpha").or_else(|| rest.strip_prefix("beta"));
    match tail {
        Some(t) => t.is_empty() || (t.chars().all(|c| c.is_ascii_digit()) && !t.starts_with('0')),
        None => false,
    }
}
