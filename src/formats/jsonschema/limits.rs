//! The walk's bounds, and what it says when one is reached. A bound keeps a pathological contract
//! from hanging CI, but stopping quietly would let a run pass on a comparison it never finished,
//! so every stop becomes a `contract.comparison-incomplete` finding, which always blocks.

use crate::change::{Change, Loc};

/// Deepest schema nesting followed. Documents are already limited by `doc::MAX_DEPTH`; chains of
/// distinct `$ref`s are not, so the walk has its own bound (it also bounds the stack).
pub(super) const MAX_NESTING: usize = 128;

/// Most schema pairs compared by the walk of one use site (trials not counted).
pub(super) const MAX_STEPS: usize = 50_000;

/// Most schema pairs compared by the trials of one use site (which `oneOf`/`anyOf` branch fits
/// best). Trials are memoised, so only schemas that are huge or that keep re-entering their
/// own alternatives get near it; it is apart from [`MAX_STEPS`] so that trials can never eat
/// the budget of the comparison that reports.
pub(super) const MAX_TRIAL_STEPS: usize = 50_000;

/// The core rule every stop is reported as (`rules/core.toml`).
pub const INCOMPLETE: &str = "contract.comparison-incomplete";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Limit {
    Nesting,
    Steps,
    Trials,
}

impl Limit {
    fn why(self) -> String {
        match self {
            Limit::Nesting => format!(
                "nesting limit: the schemas nest deeper than {MAX_NESTING} levels (properties, items, compositions, $refs)"
            ),
            Limit::Steps => {
                format!("step limit: comparing this use site needs more than {MAX_STEPS} schema comparisons")
            }
            Limit::Trials => format!(
                "trial limit: matching oneOf/anyOf branches at this use site needs more than {MAX_TRIAL_STEPS} schema comparisons"
            ),
        }
    }
}

/// Where a limit stopped the walk: the path below the use site and the two schemas not compared.
#[derive(Debug, Clone)]
pub(super) struct Stop {
    pub limit: Limit,
    pub path: String,
    pub base: Loc,
    pub head: Loc,
}

/// The first stop of each limit, in the order met: one finding per use site and limit is
/// enough to block, and the rest of an exhausted budget would repeat it thousands of times.
#[derive(Debug, Default)]
pub(super) struct Stops(Vec<Stop>);

impl Stops {
    pub fn add(&mut self, stop: Stop) {
        if !self.0.iter().any(|s| s.limit == stop.limit) {
            self.0.push(stop);
        }
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Move `other`'s stops in (a trial's, into the walk that ran it).
    pub fn absorb(&mut self, other: Stops) {
        other.0.into_iter().for_each(|s| self.add(s));
    }

    pub fn into_changes(self, locus: &str) -> impl Iterator<Item = Change> + '_ {
        self.0.into_iter().map(move |s| {
            let message = format!("not compared past here: {}", s.limit.why());
            Change::new(INCOMPLETE, format!("{locus} {}", s.path), message).at(Some(s.base), Some(s.head))
        })
    }
}
