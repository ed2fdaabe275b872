//! What a differ emits. A differ never decides pass or fail: it names the rule and where.

use serde::Serialize;

/// A place in one revision of a contract: file path (relative to the compared root), 1-based line
/// and column, and the byte range for source snippets.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Loc {
    pub file: String,
    pub line: u32,
    pub column: u32,
    #[serde(skip)]
    pub start: usize,
    #[serde(skip)]
    pub end: usize,
}

/// Facts a differ knows about a removed element, for the policy's removal rules.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Removal {
    /// The element was marked `deprecated` in base.
    pub deprecated_in_base: bool,
    /// `x-sunset` (or similar) date stated in base, as written (`YYYY-MM-DD` or RFC 3339).
    pub sunset: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// Rule id from the catalogue, such as `openapi.response.property-removed`.
    pub rule: String,
    /// Human-readable address of the changed element, stable across runs:
    /// `GET /pets 200 application/json $.items[].name`.
    pub locus: String,
    /// One sentence saying what changed, with the old and new values where they help.
    pub message: String,
    pub base: Option<Loc>,
    pub head: Option<Loc>,
    /// Set on removals so the policy can apply deprecation and sunset rules.
    pub removal: Option<Removal>,
    /// The element lives in an unstable version scope (`acme.pay.v1beta1`): reported, but not
    /// blocking unless the policy says `block_unstable`.
    pub unstable: bool,
}

impl Change {
    pub fn new(rule: impl Into<String>, locus: impl Into<String>, message: impl Into<String>) -> Self {
        Change {
            rule: rule.into(),
            locus: locus.into(),
            message: message.into(),
            base: None,
            head: None,
            removal: None,
            unstable: false,
        }
    }

    pub fn at(mut self, base: Option<Loc>, head: Option<Loc>) -> Self {
        self.base = base;
        self.head = head;
        self
    }

    pub fn removal(mut self, removal: Removal) -> Self {
        self.removal = Some(removal);
        self
    }

    pub fn unstable(mut self, unstable: bool) -> Self {
        self.unstable = unstable;
        self
    }
}
