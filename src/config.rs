//! `contractdiff.toml`: which files are contracts, the policy, and waivers.
//! Its JSON Schema is `schemas/config.schema.json`.

use crate::error::{Error, Result};
use crate::formats::Kind;
use crate::source::Tree;
use globset::{GlobBuilder, GlobSet, GlobSetBuilder};
use serde::Deserialize;
use std::path::Path;

/// The file [`Config::load`] looks for at the root of the head side.
pub const FILE_NAME: &str = "contractdiff.toml";

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
    /// Protobuf: the module root these files' imports are relative to (as buf's module path).
    #[serde(default)]
    pub root: Option<String>,
    /// Avro: the compatibility level of the matched contracts.
    #[serde(default)]
    pub avro_compat: Option<crate::formats::avro::Compat>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PolicyConfig {
    /// A removal is breaking, even with a major bump, unless the element was deprecated in base.
    #[serde(default = "yes")]
    pub require_deprecation: bool,
    /// Lowest class that fails the build.
    #[serde(default)]
    pub fail_on: Option<FailOn>,
    /// Additive changes without a minor bump become risky.
    #[serde(default)]
    pub strict_semver: bool,
    /// Accept `http(s)://` `$ref`s (never fetched; treated as opaque).
    #[serde(default)]
    pub allow_remote_refs: bool,
    /// Breaking changes inside unstable version scopes (`acme.pay.v1beta1`) block too.
    #[serde(default)]
    pub block_unstable: bool,
    /// Protobuf strictness for every module (`--protobuf-level` overrides it); `file` by default.
    #[serde(default)]
    pub protobuf_level: Option<crate::formats::protobuf::Level>,
    /// Avro compatibility for every contract without its own (`--avro-compat` overrides it);
    /// `backward` by default.
    #[serde(default)]
    pub avro_compat: Option<crate::formats::avro::Compat>,
}

impl Default for PolicyConfig {
    fn default() -> Self {
        PolicyConfig {
            require_deprecation: true,
            fail_on: None,
            strict_semver: false,
            allow_remote_refs: false,
            block_unstable: false,
            protobuf_level: None,
            avro_compat: None,
        }
    }
}

/// The classes a build can fail on: the one list for `--fail-on` and `[policy] fail_on`.
/// Failing on additive or info changes would fail every build that adds anything.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum FailOn {
    Breaking,
    Risky,
}

impl FailOn {
    pub fn class(self) -> crate::rules::Class {
        match self {
            FailOn::Breaking => crate::rules::Class::Breaking,
            FailOn::Risky => crate::rules::Class::Risky,
        }
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
    /// Why the change is accepted. Required: a waiver without a reason is refused (by
    /// [`Config::parse`], with a clearer message than serde's "missing field").
    #[serde(default)]
    pub reason: String,
    /// Last day (`YYYY-MM-DD`) the waiver allows the change. A TOML date (`2025-06-30`) or a
    /// string (`"2025-06-30"`); kept as text.
    #[serde(default, deserialize_with = "date_as_text")]
    pub expires: Option<String>,
}

/// A TOML date or a string, as text: both are natural to write, so both are accepted.
fn date_as_text<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<Option<String>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum DateOrText {
        Date(toml::value::Datetime),
        Text(String),
    }
    Ok(Some(match DateOrText::deserialize(deserializer)? {
        DateOrText::Date(date) => date.to_string(),
        DateOrText::Text(text) => text,
    }))
}

impl Config {
    /// The `[[contracts]]` globs compiled into one set whose match indices are the specs'
    /// indices. `*` stays within a folder and `**` crosses folders, as in `.gitignore`.
    pub fn contract_globs(&self) -> Result<GlobSet> {
        let mut set = GlobSetBuilder::new();
        for (i, spec) in self.contracts.iter().enumerate() {
            let glob = GlobBuilder::new(&spec.path).literal_separator(true).build().map_err(|err| {
                Error::config(
                    format!("contracts[{i}].path `{}` is not a valid glob: {err}", spec.path),
                    "use `*` within a folder, `**` across folders, `{a,b}` for alternatives".to_string(),
                )
            })?;
            set.add(glob);
        }
        set.build().map_err(|err| Error::config(format!("cannot compile the contract globs: {err}"), None))
    }

    /// The specs whose glob (compiled by [`Config::contract_globs`]) matches `path`, first first.
    pub fn specs_matching<'a>(&'a self, globs: &GlobSet, path: &str) -> impl Iterator<Item = &'a ContractSpec> {
        globs.matches(path).into_iter().map(move |i| &self.contracts[i])
    }

    /// `contractdiff.toml` at the root of `tree` (the head side), or the defaults without one.
    pub fn load(tree: &dyn Tree) -> Result<Config> {
        match tree.read(FILE_NAME)? {
            Some(bytes) => Config::parse(&String::from_utf8_lossy(&bytes), &format!("{FILE_NAME} in {}", tree.label())),
            None => Ok(Config::default()),
        }
    }

    /// The file `--config PATH` names.
    pub fn from_file(path: &Path) -> Result<Config> {
        let text =
            std::fs::read_to_string(path).map_err(|source| Error::Io { path: path.display().to_string(), source })?;
        Config::parse(&text, &path.display().to_string())
    }

    /// Parse and check a config's text. `origin` names it in errors.
    pub fn parse(text: &str, origin: &str) -> Result<Config> {
        let config: Config = toml::from_str(text).map_err(|err| {
            let place = err.span().map(|span| crate::doc::line_col_of(text.as_bytes(), span.start));
            let at = place.map(|(line, column)| format!(":{line}:{column}")).unwrap_or_default();
            Error::config(
                format!("{origin}{at}: {}", err.message().trim_end()),
                "see schemas/config.schema.json for the keys and values contractdiff.toml accepts".to_string(),
            )
        })?;
        config.check(origin)?;
        Ok(config)
    }

    /// What TOML and serde cannot say: non-empty globs and rules, reasons, real dates.
    fn check(&self, origin: &str) -> Result<()> {
        for (i, contract) in self.contracts.iter().enumerate() {
            if contract.path.trim().is_empty() {
                return Err(Error::config(
                    format!("{origin}: contracts[{i}].path is empty"),
                    "give a glob relative to the repository root, such as `api/**/openapi.yaml`".to_string(),
                ));
            }
        }
        for (i, waiver) in self.accept.iter().enumerate() {
            let which = format!("{origin}: accept[{i}] (rule `{}`)", waiver.rule);
            if waiver.rule.trim().is_empty() {
                return Err(Error::config(
                    format!("{origin}: accept[{i}] has an empty rule"),
                    "name the rule id the waiver accepts; `contractdiff rules` lists them".to_string(),
                ));
            }
            if waiver.reason.trim().is_empty() {
                return Err(Error::config(
                    format!("{which} has no reason"),
                    "add `reason = \"...\"` saying why the change is accepted, so reviewers can judge it".to_string(),
                ));
            }
            if let Some(expires) = &waiver.expires {
                // Both must accept it: the policy reads an unparsable date as "never expires".
                let is_date =
                    expires.parse::<jiff::civil::Date>().is_ok() && crate::policy::parse_date(expires).is_some();
                if !is_date {
                    return Err(Error::config(
                        format!("{which}: expires `{expires}` is not a date"),
                        "write the last day the waiver applies as YYYY-MM-DD, such as `expires = 2025-06-30`"
                            .to_string(),
                    ));
                }
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const EXAMPLE: &str = r#"
[[contracts]]
path = "api/**/openapi.yaml"
kind = "openapi"

[[contracts]]
path = "events/*.yaml"

[policy]
require_deprecation = false
fail_on = "risky"
strict_semver = true
allow_remote_refs = true

[[accept]]
rule = "openapi.response.property-removed"
locus = "GET /pets 200 application/json $.items[].name"
reason = "no client reads it (checked in the access logs)"
expires = 2025-06-30

[[accept]]
rule = "openapi.operation.removed"
reason = "beta endpoint"
expires = "2026-01-31"
"#;

    fn config_error(text: &str) -> String {
        match Config::parse(text, "contractdiff.toml") {
            Err(Error::Config { message, hint }) => format!("{message} | {}", hint.unwrap_or_default()),
            other => panic!("expected a config error, got {other:?}"),
        }
    }

    #[test]
    fn example_parses_into_every_field() {
        let config = Config::parse(EXAMPLE, "contractdiff.toml").unwrap();
        assert_eq!(config.contracts.len(), 2);
        assert_eq!(config.contracts[0].kind, Some(Kind::Openapi));
        assert_eq!(config.contracts[1].kind, None);
        assert!(!config.policy.require_deprecation);
        assert_eq!(config.policy.fail_on, Some(FailOn::Risky));
        assert!(config.policy.strict_semver && config.policy.allow_remote_refs);
        assert_eq!(config.accept[0].expires.as_deref(), Some("2025-06-30"), "a TOML date");
        assert_eq!(config.accept[1].expires.as_deref(), Some("2026-01-31"), "a string");
        assert_eq!(config.accept[1].locus, None);
    }

    #[test]
    fn empty_file_means_defaults() {
        let config = Config::parse("", "contractdiff.toml").unwrap();
        assert!(config.contracts.is_empty() && config.accept.is_empty());
        assert!(config.policy.require_deprecation);
    }

    #[test]
    fn waiver_without_reason_is_refused_with_a_hint() {
        let missing = config_error("[[accept]]\nrule = \"x.y\"\n");
        assert!(missing.contains("accept[0] (rule `x.y`) has no reason"), "{missing}");
        assert!(missing.contains("reason = "), "{missing}");
        let blank = config_error("[[accept]]\nrule = \"x.y\"\nreason = \"  \"\n");
        assert!(blank.contains("has no reason"), "{blank}");
    }

    #[test]
    fn bad_expiry_dates_are_refused() {
        let error = config_error("[[accept]]\nrule = \"x\"\nreason = \"r\"\nexpires = \"next week\"\n");
        assert!(error.contains("expires `next week` is not a date") && error.contains("YYYY-MM-DD"), "{error}");
        let error = config_error("[[accept]]\nrule = \"x\"\nreason = \"r\"\nexpires = \"2025-02-30\"\n");
        assert!(error.contains("is not a date"), "{error}");
    }

    #[test]
    fn syntax_and_unknown_keys_are_reported_at_line_and_column() {
        let error = config_error("[policy]\nfail_on = \"risky\"\nstrict_semver = yes\n");
        assert!(error.starts_with("contractdiff.toml:3:17:"), "{error}");
        let error = config_error("[policy]\nfail_on_risky = true\n");
        assert!(error.starts_with("contractdiff.toml:2:1:") && error.contains("fail_on_risky"), "{error}");
    }

    #[test]
    fn from_file_reads_the_named_file_and_names_it_in_errors() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("ci.toml");
        std::fs::write(&path, "[policy]\nstrict_semver = true\n").unwrap();
        assert!(Config::from_file(&path).unwrap().policy.strict_semver);
        std::fs::write(&path, "[policy\n").unwrap();
        let Err(Error::Config { message, .. }) = Config::from_file(&path) else { panic!("expected a config error") };
        assert!(message.starts_with(&format!("{}:1:", path.display())), "{message}");
        assert!(matches!(Config::from_file(&dir.path().join("absent.toml")), Err(Error::Io { .. })));
    }

    #[test]
    fn load_reads_the_config_at_the_tree_root_or_defaults() {
        let dir = tempfile::tempdir().unwrap();
        let tree = crate::source::FsTree::folder(dir.path()).unwrap();
        assert!(Config::load(&tree).unwrap().contracts.is_empty());
        std::fs::write(dir.path().join(FILE_NAME), "[[contracts]]\npath = \"a.yaml\"\n").unwrap();
        assert_eq!(Config::load(&tree).unwrap().contracts[0].path, "a.yaml");
    }

    /// The JSON form of a TOML document, dates as `YYYY-MM-DD` strings (as the schema says).
    fn to_json(value: toml::Value) -> serde_json::Value {
        match value {
            toml::Value::Datetime(date) => serde_json::Value::String(date.to_string()),
            toml::Value::Array(items) => items.into_iter().map(to_json).collect(),
            toml::Value::Table(table) => table.into_iter().map(|(k, v)| (k, to_json(v))).collect(),
            other => serde_json::to_value(other).unwrap(),
        }
    }

    fn schema_validator() -> jsonschema::Validator {
        let schema: serde_json::Value =
            serde_json::from_str(include_str!("../schemas/config.schema.json")).expect("the schema is JSON");
        jsonschema::meta::validate(&schema).expect("the schema is a valid JSON Schema");
        jsonschema::options().should_validate_formats(true).build(&schema).expect("the schema compiles")
    }

    fn schema_errors(validator: &jsonschema::Validator, toml_text: &str) -> Vec<String> {
        let instance = to_json(toml::from_str(toml_text).unwrap());
        validator.iter_errors(&instance).map(|e| format!("{} at {}", e, e.instance_path)).collect()
    }

    #[test]
    fn example_config_is_valid_under_the_schema() {
        let validator = schema_validator();
        assert_eq!(schema_errors(&validator, EXAMPLE), Vec::<String>::new());
    }

    #[test]
    fn schema_refuses_what_the_parser_refuses() {
        let validator = schema_validator();
        for bad in [
            "[[accept]]\nrule = \"x\"\n",
            "[[accept]]\nrule = \"x\"\nreason = \"r\"\nexpires = \"next week\"\n",
            "[policy]\nfail_on_risky = true\n",
            "[policy]\nfail_on = \"sometimes\"\n",
            "[policy]\nfail_on = \"info\"\n",
            "[policy]\nfail_on = \"additive\"\n",
            "[[contracts]]\npath = \"a.yaml\"\nkind = \"graphql\"\n",
            "[[contracts]]\nkind = \"openapi\"\n",
            "extra = 1\n",
        ] {
            assert!(!schema_errors(&validator, bad).is_empty(), "schema accepted {bad:?}");
            assert!(Config::parse(bad, "contractdiff.toml").is_err(), "parser accepted {bad:?}");
        }
    }
}
