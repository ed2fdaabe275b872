//! The rule catalogue: `rules/*.toml`, compiled into the binary. Every rule id a differ emits has
//! an entry here with its class, its documentation and its equivalents in the peers' vocabularies.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::sync::OnceLock;

/// How much a change can hurt, and what it does to the verdict by default.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum Class {
    /// An existing client or consumer can fail: fails the build unless allowed.
    Breaking,
    /// Can fail some clients: reported; fails with `--fail-on risky`.
    Risky,
    /// New optional capability.
    Additive,
    /// Newly deprecated, or a sunset date set or moved.
    Deprecation,
    /// Documentation only; shown with `--verbose`.
    Info,
}

impl Class {
    pub fn as_str(self) -> &'static str {
        match self {
            Class::Breaking => "breaking",
            Class::Risky => "risky",
            Class::Additive => "additive",
            Class::Deprecation => "deprecation",
            Class::Info => "info",
        }
    }

    /// The version bump a change of this class requires (as cargo-semver-checks' `required_update`).
    pub fn required_bump(self) -> crate::policy::Bump {
        use crate::policy::Bump;
        match self {
            Class::Breaking => Bump::Major,
            Class::Risky | Class::Additive | Class::Deprecation => Bump::Minor,
            Class::Info => Bump::Patch,
        }
    }
}

/// When a rule's findings block the run.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Blocks {
    /// As its class says: when the class is at or above `--fail-on`, unless a version bump, an
    /// unstable scope or a waiver allows it.
    #[default]
    ByClass,
    /// At every `--fail-on` level, and only a waiver allows it. For findings that say the
    /// comparison itself is unfinished: no version bump can vouch for what was never compared.
    Always,
}

impl Blocks {
    pub fn as_str(self) -> &'static str {
        match self {
            Blocks::ByClass => "by-class",
            Blocks::Always => "always",
        }
    }

    fn is_by_class(&self) -> bool {
        *self == Blocks::ByClass
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rule {
    pub id: String,
    #[serde(default)]
    pub kind: String,
    pub class: Class,
    /// `blocks = "always"`: blocks whatever `--fail-on` says (see [`Blocks`]).
    #[serde(default, skip_serializing_if = "Blocks::is_by_class")]
    pub blocks: Blocks,
    /// Strictness levels the rule belongs to (Protobuf's `file`/`package`/`wire_json`/`wire`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub levels: Vec<String>,
    /// Its levels under older versions of the peer's configuration where they differ from
    /// `levels` (buf.yaml `v1beta1` and `v1` group some rules differently, or lack them).
    #[serde(default, skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub levels_in: BTreeMap<String, Vec<String>>,
    /// One line: what changed.
    pub summary: String,
    /// Why it breaks, and whom.
    pub why: String,
    /// How to make the change safely.
    pub fix: String,
    /// The same check in the peers' vocabularies: `oasdiff:response-property-removed`.
    #[serde(default)]
    pub equivalents: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RuleFile {
    kind: String,
    rule: Vec<Rule>,
}

/// The catalogue files, embedded at compile time.
const SOURCES: &[(&str, &str)] = &[
    ("rules/core.toml", include_str!("../rules/core.toml")),
    ("rules/openapi.toml", include_str!("../rules/openapi.toml")),
    ("rules/jsonschema.toml", include_str!("../rules/jsonschema.toml")),
    ("rules/protobuf.toml", include_str!("../rules/protobuf.toml")),
    ("rules/avro.toml", include_str!("../rules/avro.toml")),
];

pub struct Catalogue {
    rules: BTreeMap<String, Rule>,
}

impl Catalogue {
    /// The embedded catalogue. Its validity is checked by tests, so a broken file never ships.
    pub fn get() -> &'static Catalogue {
        static CATALOGUE: OnceLock<Catalogue> = OnceLock::new();
        CATALOGUE.get_or_init(|| Catalogue::parse(SOURCES).expect("embedded rule catalogue is valid (tested)"))
    }

    pub fn parse(sources: &[(&str, &str)]) -> Result<Catalogue, String> {
        let mut rules = BTreeMap::new();
        for (name, text) in sources {
            let file: RuleFile = toml::from_str(text).map_err(|e| format!("{name}: {e}"))?;
            for mut rule in file.rule {
                if rule.kind.is_empty() {
                    rule.kind = file.kind.clone();
                }
                if let Some(old) = rules.insert(rule.id.clone(), rule) {
                    return Err(format!("{name}: rule {} is defined twice", old.id));
                }
            }
        }
        Ok(Catalogue { rules })
    }

    pub fn rule(&self, id: &str) -> Option<&Rule> {
        self.rules.get(id)
    }

    /// All rules, sorted by id.
    pub fn iter(&self) -> impl Iterator<Item = &Rule> {
        self.rules.values()
    }

    /// The class of a rule id. Unknown ids (a differ bug) count as breaking so nothing slips by.
    pub fn class_of(&self, id: &str) -> Class {
        self.rule(id).map(|r| r.class).unwrap_or(Class::Breaking)
    }

    /// When findings of a rule id block. Unknown ids go by their class (breaking).
    pub fn blocks_of(&self, id: &str) -> Blocks {
        self.rule(id).map(|r| r.blocks).unwrap_or_default()
    }
}
