//! Which breaking rules are in force for a module: a `--protobuf-level`/config level, or the
//! `breaking:` section of the head revision's `buf.yaml` (v1beta1, v1, v2).
//!
//! The catalogue (`rules/protobuf.toml`) is the only table: a rule's `levels` are buf's
//! categories, and its `buf:` equivalents name the buf ids it answers to, deprecated ones
//! included (`buf:FIELD_SAME_LABEL` is listed by the three cardinality rules that replaced it).
//! Rules without a `buf:` equivalent are ours (additions, deprecations): they always run.

use super::Level;
use crate::doc::{Document, Node};
use crate::error::{Error, Result};
use crate::rules::{Catalogue, Rule};
use std::collections::{BTreeMap, BTreeSet};

/// The rules in force and what they ignore.
#[derive(Debug, Clone)]
pub struct RuleSet {
    /// The level asked for, or `file` when the rules come from a `use:` list.
    pub level: Level,
    rules: BTreeSet<String>,
    /// Paths relative to the module root (a file, or a folder and everything below it).
    ignore: Vec<String>,
    /// Rule id → paths where only that rule is ignored.
    ignore_only: BTreeMap<String, Vec<String>>,
    ignore_unstable_packages: bool,
}

impl RuleSet {
    /// Every rule whose catalogue entry lists `level`.
    pub fn for_level(level: Level) -> RuleSet {
        Self::for_level_in(level, LATEST)
    }

    /// Every rule in `level` as a buf.yaml of config `version` groups them.
    fn for_level_in(level: Level, version: &str) -> RuleSet {
        let in_level = |r: &&Rule| levels_in(r, version).iter().any(|l| l == level.as_str());
        let rules = protobuf_rules().filter(in_level).map(|r| r.id.clone());
        RuleSet {
            level,
            rules: rules.collect(),
            ignore: Vec::new(),
            ignore_only: BTreeMap::new(),
            ignore_unstable_packages: false,
        }
    }

    /// The `breaking:` section of a `buf.yaml` (`origin` names it in errors). A v2 file's
    /// top-level section is used; see [`RuleSet::from_buf_yaml_for_module`] for `modules[]`.
    /// `level_override` (`--protobuf-level`) replaces `use`/`except`; the ignores still apply.
    pub fn from_buf_yaml(text: &str, origin: &str, level_override: Option<Level>) -> Result<RuleSet> {
        Self::from_buf_yaml_for_module(text, origin, level_override, None)
    }

    /// As [`RuleSet::from_buf_yaml`], for the v2 module whose `path` is `module_path` (relative
    /// to the `buf.yaml`): its own `breaking:` section when it has one, else the top-level one.
    /// v2 ignore paths are relative to the `buf.yaml`, so the module's prefix is taken off them.
    pub fn from_buf_yaml_for_module(
        text: &str,
        origin: &str,
        level_override: Option<Level>,
        module_path: Option<&str>,
    ) -> Result<RuleSet> {
        let doc = Document::parse(origin, text.as_bytes()).map_err(|e| Error::config(e.to_string(), None))?;
        let root = &doc.root;
        if root.is_null() {
            return Ok(Self::for_level(level_override.unwrap_or(Level::File)));
        }
        if root.as_map().is_none() {
            return Err(bad(&doc, root, "a buf.yaml is a map with `version:` and `breaking:` keys"));
        }
        let version = match root.get("version") {
            None => "v1beta1".to_string(),
            Some(v) => v.as_str().ok_or_else(|| bad(&doc, v, "`version` must be v1beta1, v1 or v2"))?.to_string(),
        };
        if !matches!(version.as_str(), "v1beta1" | "v1" | "v2") {
            let v = root.get("version").unwrap_or(root);
            return Err(bad(&doc, v, &format!("unknown buf.yaml version {version:?}: expected v1beta1, v1 or v2")));
        }
        if root.get("plugins").is_some() || root.get("policies").is_some() {
            eprintln!(
                "warning: {origin}: buf plugins and policies are not supported; their rules are skipped, the built-in rules still run"
            );
        }
        let module_prefix = module_path.map(normalize_path).filter(|p| !p.is_empty());
        let mut section = root.get("breaking");
        if version == "v2" {
            if let (Some(path), Some(modules)) = (&module_prefix, root.get("modules").and_then(Node::as_seq)) {
                let module = modules
                    .iter()
                    .find(|m| m.get("path").and_then(Node::as_str).map(normalize_path).as_ref() == Some(path));
                if let Some(own) = module.and_then(|m| m.get("breaking")) {
                    section = Some(own);
                }
            }
        }
        let strip = if version == "v2" { module_prefix.as_deref() } else { None };
        Self::from_section(&doc, section, &version, level_override, strip)
    }

    fn from_section(
        doc: &Document,
        section: Option<&Node>,
        version: &str,
        level_override: Option<Level>,
        strip: Option<&str>,
    ) -> Result<RuleSet> {
        let empty = Node { value: crate::doc::Value::Null, span: Default::default() };
        let section = section.unwrap_or(&empty);
        if !section.is_null() && section.as_map().is_none() {
            return Err(bad(doc, section, "`breaking` must be a map (use, except, ignore, ignore_only, ...)"));
        }
        let has_plugins = doc.root.get("plugins").is_some();
        let mut set = match level_override {
            Some(level) => Self::for_level(level),
            None => {
                let used = string_list(doc, section.get("use"), "use")?;
                let mut rules = BTreeSet::new();
                if used.is_empty() {
                    rules.extend(resolve(doc, &("FILE".to_string(), section), version, has_plugins)?);
                }
                for (name, node) in &used {
                    rules.extend(resolve(doc, &(name.clone(), *node), version, has_plugins)?);
                }
                for (name, node) in string_list(doc, section.get("except"), "except")? {
                    for id in resolve(doc, &(name, node), version, has_plugins)? {
                        rules.remove(&id);
                    }
                }
                RuleSet {
                    level: Level::File,
                    rules,
                    ignore: Vec::new(),
                    ignore_only: BTreeMap::new(),
                    ignore_unstable_packages: false,
                }
            }
        };
        let relative = |p: &str| {
            let p = normalize_path(p);
            match strip {
                Some(prefix) if p == prefix => String::new(),
                Some(prefix) => p.strip_prefix(&format!("{prefix}/")).map(str::to_string).unwrap_or(p),
                None => p,
            }
        };
        set.ignore = string_list(doc, section.get("ignore"), "ignore")?.iter().map(|(p, _)| relative(p)).collect();
        if let Some(only) = section.get("ignore_only") {
            let map =
                only.as_map().ok_or_else(|| bad(doc, only, "`ignore_only` maps rule ids or categories to paths"))?;
            for (name, entry) in map {
                let paths: Vec<String> =
                    string_list(doc, Some(&entry.value), "ignore_only")?.iter().map(|(p, _)| relative(p)).collect();
                for id in resolve(doc, &(name.clone(), &entry.value), version, has_plugins)? {
                    set.ignore_only.entry(id).or_default().extend(paths.iter().cloned());
                }
            }
        }
        if let Some(flag) = section.get("ignore_unstable_packages") {
            set.ignore_unstable_packages =
                flag.as_bool().ok_or_else(|| bad(doc, flag, "`ignore_unstable_packages` must be true or false"))?;
        }
        Ok(set)
    }

    /// Whether `rule` runs at all (ours always do).
    pub fn enabled(&self, rule: &str) -> bool {
        self.rules.contains(rule) || is_extra(rule)
    }

    /// Whether a finding of `rule` in `file` (import path, relative to the module root) is kept.
    pub fn selects(&self, rule: &str, file: &str) -> bool {
        self.enabled(rule) && !self.ignores(rule, file)
    }

    /// Whether `file` is ignored for `rule` by `ignore` or `ignore_only`.
    pub fn ignores(&self, rule: &str, file: &str) -> bool {
        let under = |path: &String| path.is_empty() || file == path || file.starts_with(&format!("{path}/"));
        self.ignore.iter().any(under) || self.ignore_only.get(rule).is_some_and(|paths| paths.iter().any(under))
    }

    /// `ignore_unstable_packages: true`: findings in `v1alpha1`-style packages are dropped.
    pub fn ignore_unstable_packages(&self) -> bool {
        self.ignore_unstable_packages
    }

    /// The buf-derived rules in force, sorted (ours are not listed: they always run).
    pub fn rules(&self) -> impl Iterator<Item = &str> {
        self.rules.iter().map(String::as_str)
    }
}

/// The buf.yaml version whose categories the catalogue's `levels` are.
const LATEST: &str = "v2";

/// buf ids that still parse in a buf.yaml but check nothing: `FILE_SAME_PHP_GENERIC_SERVICES`
/// compares an option that protoc (since 30) no longer accepts, so no source can change it.
const RETIRED: &[&str] = &["FILE_SAME_PHP_GENERIC_SERVICES"];

/// A rule's levels under buf.yaml `version`.
fn levels_in<'r>(rule: &'r Rule, version: &str) -> &'r [String] {
    rule.levels_in.get(version).unwrap_or(&rule.levels)
}

fn protobuf_rules() -> impl Iterator<Item = &'static Rule> {
    Catalogue::get().iter().filter(|r| r.kind == "protobuf")
}

fn buf_ids(rule: &Rule) -> impl Iterator<Item = &str> {
    rule.equivalents.iter().filter_map(|e| e.strip_prefix("buf:"))
}

/// A rule of ours (no buf equivalent): additions and deprecations, never blocking.
fn is_extra(rule: &str) -> bool {
    Catalogue::get().rule(rule).is_some_and(|r| r.kind == "protobuf" && buf_ids(r).next().is_none())
}

/// buf's category names, as our levels.
fn category(name: &str, version: &str) -> Option<Level> {
    match name {
        "FILE" => Some(Level::File),
        "PACKAGE" => Some(Level::Package),
        "WIRE_JSON" => Some(Level::WireJson),
        "WIRE" => Some(Level::Wire),
        "CSR" if version == "v2" => Some(Level::Csr),
        _ => None,
    }
}

/// A rule id or category name from a buf.yaml → our rule ids.
fn resolve(doc: &Document, (name, node): &(String, &Node), version: &str, has_plugins: bool) -> Result<Vec<String>> {
    if let Some(level) = category(name, version) {
        return Ok(RuleSet::for_level_in(level, version).rules.into_iter().collect());
    }
    if RETIRED.contains(&name.as_str()) {
        return Ok(Vec::new());
    }
    let ids: Vec<String> = protobuf_rules().filter(|r| buf_ids(r).any(|b| b == name)).map(|r| r.id.clone()).collect();
    if !ids.is_empty() {
        return Ok(ids);
    }
    if has_plugins {
        eprintln!("warning: {}: rule {name:?} is not a built-in buf rule (a plugin's?); skipped", doc.path);
        return Ok(Vec::new());
    }
    let hint = if name == "CSR" {
        "the CSR category exists from buf.yaml version v2 on".to_string()
    } else {
        let close = close_names(name);
        if close.is_empty() {
            "`buf config ls-breaking-rules` lists the rule ids; categories are FILE, PACKAGE, WIRE_JSON, WIRE and CSR"
                .to_string()
        } else {
            format!("did you mean {}?", close.join(" or "))
        }
    };
    Err(Error::config(
        format!("{}:{}:{}: unknown breaking rule or category {name:?}", doc.path, node.span.line, node.span.column),
        hint,
    ))
}

/// Known buf ids and categories near `name`, closest first.
fn close_names(name: &str) -> Vec<String> {
    let mut known: BTreeSet<&str> = protobuf_rules().flat_map(buf_ids).collect();
    known.extend(["FILE", "PACKAGE", "WIRE_JSON", "WIRE", "CSR"]);
    let upper = name.to_ascii_uppercase();
    let mut scored: Vec<(usize, &str)> = known
        .into_iter()
        .map(|k| (edit_distance(&upper, k), k))
        .filter(|(d, k)| *d <= (k.len() / 4).max(2) || (upper.len() >= 4 && k.contains(upper.as_str())))
        .collect();
    scored.sort();
    scored.into_iter().take(3).map(|(_, k)| k.to_string()).collect()
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cur = row[j + 1];
            row[j + 1] = (prev + usize::from(ca != *cb)).min(row[j] + 1).min(cur + 1);
            prev = cur;
        }
    }
    row[b.len()]
}

/// A list of strings (a single string is accepted as a list of one).
fn string_list<'a>(doc: &Document, node: Option<&'a Node>, key: &str) -> Result<Vec<(String, &'a Node)>> {
    let Some(node) = node else { return Ok(Vec::new()) };
    if node.is_null() {
        return Ok(Vec::new());
    }
    if let Some(s) = node.as_str() {
        return Ok(vec![(s.to_string(), node)]);
    }
    let items = node.as_seq().ok_or_else(|| bad(doc, node, &format!("`{key}` must be a list of strings")))?;
    items
        .iter()
        .map(|item| {
            item.as_str()
                .map(|s| (s.to_string(), item))
                .ok_or_else(|| bad(doc, item, &format!("`{key}` entries must be strings")))
        })
        .collect()
}

fn normalize_path(p: &str) -> String {
    let p = p.trim().trim_start_matches("./").trim_end_matches('/');
    if p == "." {
        String::new()
    } else {
        p.to_string()
    }
}

fn bad(doc: &Document, node: &Node, message: &str) -> Error {
    Error::config(
        format!("{}:{}:{}: {message}", doc.path, node.span.line, node.span.column),
        "see https://buf.build/docs/configuration/v2/buf-yaml/ for the `breaking` keys".to_string(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(yaml: &str) -> RuleSet {
        RuleSet::from_buf_yaml(yaml, "buf.yaml", None).unwrap()
    }

    #[test]
    fn level_selects_the_catalogue_levels() {
        let file = RuleSet::for_level(Level::File);
        let wire = RuleSet::for_level(Level::Wire);
        assert!(file.enabled("protobuf.message-no-delete"));
        assert!(!wire.enabled("protobuf.message-no-delete"));
        assert!(wire.enabled("protobuf.field-wire-compatible-type"));
        assert!(!file.enabled("protobuf.field-wire-compatible-type"));
        assert!(wire.rules().count() < file.rules().count());
    }

    #[test]
    fn no_breaking_section_means_file() {
        let s = set("version: v2\n");
        assert_eq!(s.rules().collect::<Vec<_>>(), RuleSet::for_level(Level::File).rules().collect::<Vec<_>>());
        assert!(set("version: v1\n").enabled("protobuf.field-no-delete"));
    }

    #[test]
    fn categories_follow_the_config_version() {
        // v1 has no FIELD_SAME_DEFAULT, EXTENSION_NO_DELETE or PACKAGE_EXTENSION_NO_DELETE.
        let v1 = set("version: v1\nbreaking:\n  use: [FILE, PACKAGE]\n");
        assert!(!v1.enabled("protobuf.field-same-default") && !v1.enabled("protobuf.extension-no-delete"));
        assert!(!v1.enabled("protobuf.package-extension-no-delete"));
        assert!(set("version: v2\nbreaking:\n  use: [FILE]\n").enabled("protobuf.field-same-default"));
        // v1beta1's WIRE compares types strictly, with FIELD_SAME_TYPE.
        let wire = set("version: v1beta1\nbreaking:\n  use: [WIRE]\n");
        assert!(wire.enabled("protobuf.field-same-type") && wire.enabled("protobuf.field-same-cardinality"));
        assert!(!wire.enabled("protobuf.field-wire-compatible-type"));
        assert!(!wire.enabled("protobuf.file-same-package"));
        assert!(set("version: v1\nbreaking:\n  use: [WIRE]\n").enabled("protobuf.field-wire-compatible-type"));
    }

    #[test]
    fn retired_ids_are_accepted_and_check_nothing() {
        let s = set("version: v1\nbreaking:\n  use: [FILE_SAME_PHP_GENERIC_SERVICES]\n");
        assert_eq!(s.rules().count(), 0);
    }

    #[test]
    fn use_except_and_deprecated_ids() {
        let s = set("version: v1\nbreaking:\n  use: [WIRE, FIELD_SAME_LABEL]\n  except: [RPC_SAME_REQUEST_TYPE]\n");
        assert!(s.enabled("protobuf.field-same-cardinality"));
        assert!(s.enabled("protobuf.field-wire-json-compatible-cardinality"));
        assert!(s.enabled("protobuf.rpc-same-response-type"));
        assert!(!s.enabled("protobuf.rpc-same-request-type"));
        let named = set("version: v1\nbreaking:\n  use: [MESSAGE_SAME_MESSAGE_SET_WIRE_FORMAT]\n");
        assert!(named.enabled("protobuf.message-same-message-set-wire-format"));
        assert!(!RuleSet::for_level(Level::File).enabled("protobuf.message-same-message-set-wire-format"));
    }

    #[test]
    fn extras_always_run() {
        let s = set("version: v1\nbreaking:\n  use: [FIELD_NO_DELETE]\n");
        assert!(s.enabled("protobuf.field-added"));
        assert!(s.enabled("protobuf.rpc-deprecated"));
        assert!(!s.enabled("protobuf.message-no-delete"));
    }

    #[test]
    fn ignores_files_and_folders() {
        let s = set("version: v1\nbreaking:\n  ignore: [a/c, x.proto]\n  ignore_only:\n    FIELD_NO_DELETE: [b]\n");
        assert!(!s.selects("protobuf.message-no-delete", "a/c/d.proto"));
        assert!(s.selects("protobuf.message-no-delete", "a/cd.proto"));
        assert!(!s.selects("protobuf.message-no-delete", "x.proto"));
        assert!(!s.selects("protobuf.field-no-delete", "b/1.proto"));
        assert!(s.selects("protobuf.message-no-delete", "b/1.proto"));
    }

    #[test]
    fn v2_module_section_and_relative_ignores() {
        let yaml = "version: v2\nmodules:\n  - path: proto\n    breaking:\n      use: [WIRE]\n      ignore: [proto/a]\nbreaking:\n  use: [FILE]\n";
        let s = RuleSet::from_buf_yaml_for_module(yaml, "buf.yaml", None, Some("proto")).unwrap();
        assert!(!s.enabled("protobuf.message-no-delete"));
        assert!(!s.selects("protobuf.field-no-delete-unless-number-reserved", "a/x.proto"));
        let top = RuleSet::from_buf_yaml(yaml, "buf.yaml", None).unwrap();
        assert!(top.enabled("protobuf.message-no-delete"));
    }

    #[test]
    fn unknown_ids_name_close_ones() {
        let err =
            RuleSet::from_buf_yaml("version: v1\nbreaking:\n  use: [FIELD_NO_DELET]\n", "buf.yaml", None).unwrap_err();
        let Error::Config { message, hint } = err else { panic!("a config error") };
        assert!(message.contains("buf.yaml:3:"), "{message}");
        assert!(hint.unwrap().contains("FIELD_NO_DELETE"));
        assert!(RuleSet::from_buf_yaml("version: v1\nbreaking:\n  use: [CSR]\n", "b", None).is_err());
        assert!(RuleSet::from_buf_yaml("version: v2\nbreaking:\n  use: [CSR]\n", "b", None).is_ok());
    }

    #[test]
    fn plugin_rules_are_skipped_when_plugins_are_configured() {
        let yaml = "version: v2\nplugins:\n  - plugin: buf-plugin-foo\nbreaking:\n  use: [FILE, PLUGIN_RULE]\n";
        let s = RuleSet::from_buf_yaml(yaml, "buf.yaml", None).unwrap();
        assert!(s.enabled("protobuf.field-no-delete"));
    }

    #[test]
    fn v1beta1_uses_the_same_categories() {
        let s = set("version: v1beta1\nbuild:\n  roots: [root]\nbreaking:\n  use: [PACKAGE]\n  ignore_unstable_packages: true\n");
        assert!(s.enabled("protobuf.package-no-delete"));
        assert!(!s.enabled("protobuf.message-no-delete"));
        assert!(s.ignore_unstable_packages());
    }

    #[test]
    fn override_and_unstable_flag() {
        let s = RuleSet::from_buf_yaml(
            "version: v1\nbreaking:\n  use: [FIELD_NO_DELETE]\n  ignore_unstable_packages: true\n",
            "b",
            Some(Level::Wire),
        )
        .unwrap();
        assert!(s.enabled("protobuf.field-wire-compatible-type"));
        assert!(s.ignore_unstable_packages());
        assert!(RuleSet::from_buf_yaml("version: v1\nbreaking: [1]\n", "b", None).is_err());
    }
}
