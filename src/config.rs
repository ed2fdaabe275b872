//! `contractdiff.toml`: which files are contracts, the policy, and waivers.
//! Its JSON Schema is `schemas/config.schema.json`.

use crate::formats::Kind;
use serde::Deserialize;

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// Contracts by glob. Without any, discovery sniffs files.
    #[serde(default)]
    pub contracts: Vec<ContractSpec>,
    #[serde(default)]
    pub policy: PolicyConfig,
    /// Waivers: changes accepted on purpose, until they expire.
    #[serde(default)]
    pub accept: Vec<Waiver>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ContractSpec {
    /// A glob relative to the root: `api/**/openapi.yaml`.
    pub path: String,
    /// The format; sniffed from the content when absent.
    pub kind: Option<Kind>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PolicyConfig {
    /// A removal is breaking, even with a major bump, unless the element was deprecated in base.
    #[serde(default = "yes")]
    pub require_deprecation: bool,
    /// Lowest class that fails the build.
    #[serde(default)]
    pub fail_on: Option<crate::rules::Class>,
    /// Additive changes without a minor bump become risky.
    #[serde(default)]
    pub strict_semver: bool,
    /// Accept `http(s)://` `$ref`s (never fetched; treated as opaque).
    #[serde(default)]
    pub allow_remote_refs: bool,
}

impl Default for PolicyConfig {
    fn default() -> Self {
        PolicyConfig { require_deprecation: true, fail_on: None, strict_semver: false, allow_remote_refs: false }
    }
}

fn yes() -> bool {
    true
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Waiver {
    /// Rule id the waiver applies to.
    pub rule: String,
    /// The change's locus, exactly as reported; absent means every locus of the rule.
    pub locus: Option<String>,
    /// Why the change is accepted. Required: a waiver without a reason is refused.
    pub reason: String,
    /// Last day (`YYYY-MM-DD`) the waiver allows the change.
    pub expires: Option<String>,
}
