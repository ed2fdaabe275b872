//! The JSON Schema compatibility core: "can a reader with the new schema read everything a writer
//! with the old one produced?" (requests), or "can an old reader read everything the new writer
//! produces?" (responses). Shared by OpenAPI and, later, AsyncAPI.
//!
//! The caller gives the use site's [`Direction`]; the core emits one [`Change`] per finding with
//! rule id `{prefix}.{request|response}.{aspect}` (`openapi.response.property-removed`).
//!
//! One module per concern: `types` (type sets and nullability), `enums` (enum, const,
//! x-extensible-enum), `bounds` (numeric, length, size bounds), `objects` (properties, required,
//! additionalProperties, items), `compose` (oneOf/anyOf/allOf/not, discriminator), `keywords`
//! (pattern, format, default and the 3.1 keywords). `walk` holds the recursion itself, `trial`
//! the memoised trial comparisons that pick a branch, `limits` the bounds and their findings.

mod bounds;
mod compose;
mod enums;
mod keywords;
mod limits;
mod memo;
mod objects;
mod trial;
mod types;
mod walk;

#[cfg(test)]
mod tests;

use crate::change::Change;
use crate::doc::{Document, Node, Workspace};

/// Who reads the data the schema describes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Direction {
    /// The contract's owner reads it (request bodies, parameters, request headers; AsyncAPI
    /// messages it receives): the new schema must accept everything the old one accepted.
    Request,
    /// Existing clients read it (responses, response headers; messages the owner sends): the old
    /// schema must accept everything the new one can produce.
    Response,
}

impl Direction {
    pub fn as_str(self) -> &'static str {
        match self {
            Direction::Request => "request",
            Direction::Response => "response",
        }
    }

    /// The other direction: a `not` subschema is read the opposite way round.
    pub fn flipped(self) -> Direction {
        match self {
            Direction::Request => Direction::Response,
            Direction::Response => Direction::Request,
        }
    }
}

/// A schema node in its revision: the workspace (to follow `$ref`s), the document holding it.
#[derive(Clone, Copy)]
pub struct Side<'a> {
    pub ws: &'a Workspace,
    pub doc: &'a Document,
    pub node: &'a Node,
}

/// Where a contract's findings go, with what its schema comparisons have learned so far (shared
/// by all its use sites, so unchanged shared schemas are compared once). Derefs to the findings.
#[derive(Default)]
pub struct Findings {
    pub changes: Vec<Change>,
    memo: memo::Memo,
}

impl std::ops::Deref for Findings {
    type Target = Vec<Change>;
    fn deref(&self) -> &Vec<Change> {
        &self.changes
    }
}

impl std::ops::DerefMut for Findings {
    fn deref_mut(&mut self) -> &mut Vec<Change> {
        &mut self.changes
    }
}

/// Compare two schemas at one use site and push the findings to `out`.
///
/// `locus` names the use site (`POST /pets request application/json`); findings below it append a
/// JSON path (`$.owner.name`, `$.tags[]`). `prefix` is the format's rule-id prefix (`openapi`).
/// A schema reached along several paths of one use site is reported once, at the first. Where a
/// limit stopped the comparison, a `contract.comparison-incomplete` finding says so (once per use
/// site and limit).
pub fn diff(base: Side<'_>, head: Side<'_>, dir: Direction, prefix: &str, locus: &str, out: &mut Findings) {
    let Findings { changes, memo } = out;
    let mut walker = walk::Walker::new(memo, dir, prefix, locus);
    walker.compare(base, head, "$");
    changes.extend(walker.finish());
}
