//! Trial comparisons: which branch of a `oneOf`/`anyOf` fits the other side best.
//!
//! A trial compares a pair only to score it; the winning branch is then compared for real, so
//! what gets reported is an ordinary walk with the once-per-use-site guard intact. Nested
//! alternatives (a branch holding another `anyOf` whose branches hold another ...) made trials
//! exponential: eight nested 4-branch `anyOf`s are 4^8 trials of the bottom pair. So a trial's
//! score is memoised per contract by the schema pair and direction, and trials spend a budget
//! of their own ([`super::limits::MAX_TRIAL_STEPS`]), never the walk's.
//!
//! What makes a score reusable: a trial starts with an empty once-per-use-site guard, so its
//! findings depend only on the two schemas and the direction, not on what the use site
//! compared before it. Two kinds of scores are not stored: those of trials that stopped at a
//! limit (another context could finish them), and those that leaned on a trial still under way
//! further up (a cycle through alternatives, assumed to add nothing, as the guard assumes for
//! recursive `$ref`s; only the trial that closes the cycle knows its whole answer).

use super::limits::Stops;
use super::walk::Walker;
use super::{Direction, Side};
use crate::change::Change;
use crate::doc::Document;
use crate::rules::{Catalogue, Class};
use std::collections::HashMap;

/// A schema node by place: its document (by address: documents do not move while a contract is
/// compared), its byte range, and its size as a map (the walk compares maps cut down to the
/// keywords both sides share under the original span; those never reach a trial, but a cut map
/// must not pass for the whole one).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
struct NodeId {
    doc: usize,
    start: usize,
    end: usize,
    keys: usize,
}

impl NodeId {
    fn of(side: Side<'_>) -> NodeId {
        NodeId {
            doc: side.doc as *const Document as usize,
            start: side.node.span.start,
            end: side.node.span.end,
            keys: side.node.as_map().map_or(usize::MAX, |m| m.len()),
        }
    }
}

/// A trial: base schema, head schema (as handed to the walk, `$ref`s not yet followed) and the
/// direction they are read in.
type TrialKey = (NodeId, NodeId, Direction);

/// How badly a branch fits: breaking findings first, then findings of any class.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord)]
pub(super) struct Score {
    pub breaking: usize,
    pub findings: usize,
}

impl Score {
    fn of(found: &[Change]) -> Score {
        let catalogue = Catalogue::get();
        let breaking = found.iter().filter(|c| catalogue.class_of(&c.rule) == Class::Breaking).count();
        Score { breaking, findings: found.len() }
    }

    /// Nothing breaking: the branch accepts (or reads) what the other side gives it.
    pub fn accepts(self) -> bool {
        self.breaking == 0
    }
}

/// Scores of finished trials, shared by every use site of a contract.
#[derive(Default)]
pub(super) struct TrialMemo {
    scores: HashMap<TrialKey, Score>,
}

/// A trial under way. `low` is the lowest stack index of an unfinished trial its answer leaned
/// on (its own index when none).
pub(super) struct Frame {
    key: TrialKey,
    low: usize,
}

impl Walker<'_> {
    /// Score comparing `base` with `head` at `path`, without reporting anything.
    pub fn trial(&mut self, base: Side<'_>, head: Side<'_>, path: &str) -> Score {
        let key = (NodeId::of(base), NodeId::of(head), self.dir);
        if let Some(&score) = self.memo.trials.borrow().scores.get(&key) {
            return score;
        }
        if let Some(at) = self.frames.iter().position(|f| f.key == key) {
            let top = self.frames.last_mut().expect("a trial is under way");
            top.low = top.low.min(at);
            return Score::default();
        }
        let index = self.frames.len();
        self.frames.push(Frame { key, low: index });
        let saved_out = std::mem::take(&mut self.out);
        let saved_seen = std::mem::take(&mut self.seen);
        let saved_stops = std::mem::take(&mut self.stops);
        self.compare(base, head, path);
        let found = std::mem::replace(&mut self.out, saved_out);
        self.seen = saved_seen;
        let stops: Stops = std::mem::replace(&mut self.stops, saved_stops);
        let frame = self.frames.pop().expect("pushed above");
        let score = Score::of(&found);
        if frame.low < index {
            let parent = self.frames.last_mut().expect("a lower frame exists");
            parent.low = parent.low.min(frame.low);
        } else if stops.is_empty() {
            self.memo.trials.borrow_mut().scores.insert(key, score);
        }
        // The branch chosen from these scores may be the wrong one when a trial stopped early:
        // the walk that ran the trial did not finish either.
        self.stops.absorb(stops);
        score
    }
}
