//! The verdict: which changes block the build. Versioning rules (a major bump allows breaking
//! changes), deprecation and sunset rules for removals, waivers from `contractdiff.toml`, and
//! `--fail-on`. Differs only report; this module alone decides.

use crate::change::Change;
use crate::config::{PolicyConfig, Waiver};
use crate::rules::{Blocks, Catalogue, Class};
use jiff::civil::Date;
use serde::Serialize;

/// The version bump a contract made between base and head, or a change requires.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Bump {
    None,
    Patch,
    Minor,
    Major,
}

impl Bump {
    /// The bump from `base` to `head`, reading both as semver (`v` prefix and missing minor or
    /// patch parts tolerated). For `0.x` versions a minor bump counts as major, as Cargo does.
    /// `None` when either side has no readable version.
    pub fn between(base: Option<&str>, head: Option<&str>) -> Option<Bump> {
        let (b, h) = (parse_version(base?)?, parse_version(head?)?);
        if h <= b {
            return Some(Bump::None);
        }
        Some(if h.major > b.major || (b.major == 0 && h.minor > b.minor) {
            Bump::Major
        } else if h.minor > b.minor || (b.major == 0 && h.patch > b.patch) {
            Bump::Minor
        } else if h.major == b.major && h.minor == b.minor && h.patch > b.patch {
            Bump::Patch
        } else {
            // Only pre-release or build metadata moved.
            Bump::None
        })
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Bump::None => "none",
            Bump::Patch => "patch",
            Bump::Minor => "minor",
            Bump::Major => "major",
        }
    }
}

fn parse_version(text: &str) -> Option<semver::Version> {
    let text = text.trim().trim_start_matches(['v', 'V']);
    if let Ok(v) = semver::Version::parse(text) {
        return Some(v);
    }
    // `1`, `1.2`: fill in the missing parts.
    let mut parts = text.splitn(3, '.').map(|p| p.parse::<u64>().ok());
    let major = parts.next()??;
    let minor = parts.next().unwrap_or(Some(0))?;
    let patch = parts.next().unwrap_or(Some(0))?;
    Some(semver::Version::new(major, minor, patch))
}

/// Why a change that would block does not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum AllowedBy {
    /// The contract's version made the bump the change requires.
    VersionBump,
    /// A waiver in `contractdiff.toml` accepts it.
    Waiver,
    /// It lies in an unstable version scope (`v1alpha1`, `v1beta1`, `v1test`), which promises
    /// no compatibility; `block_unstable = true` makes such changes block.
    UnstablePackage,
}

/// A change with the policy's decision on it.
#[derive(Debug, Clone)]
pub struct Judged {
    pub change: Change,
    pub class: Class,
    pub allowed_by: Option<AllowedBy>,
    pub blocking: bool,
    /// Why a removal was not allowed by the bump, for the message.
    pub note: Option<String>,
}

/// Everything the policy needs besides the changes themselves.
pub struct Policy<'a> {
    pub config: &'a PolicyConfig,
    pub waivers: &'a [Waiver],
    /// Lowest class that blocks (`--fail-on`); breaking by default.
    pub fail_on: Class,
    /// The day waivers and sunset dates are judged against.
    pub today: Date,
}

impl Policy<'_> {
    pub fn judge(&self, changes: Vec<Change>, bump: Option<Bump>) -> Vec<Judged> {
        let catalogue = Catalogue::get();
        changes
            .into_iter()
            .map(|change| {
                let class = catalogue.class_of(&change.rule);
                let (allowed_by, note, blocking) = match catalogue.blocks_of(&change.rule) {
                    Blocks::ByClass => {
                        let (allowed_by, note) = self.allowance(&change, class, bump);
                        // Classes are ordered from most to least severe.
                        (allowed_by, note, class <= self.fail_on && allowed_by.is_none())
                    }
                    // Only a waiver: a bump or an unstable scope says nothing about what was
                    // never compared.
                    Blocks::Always => {
                        let waived = self.waivers.iter().any(|w| self.waiver_applies(w, &change));
                        (waived.then_some(AllowedBy::Waiver), None, !waived)
                    }
                };
                Judged { change, class, allowed_by, blocking, note }
            })
            .collect()
    }

    fn allowance(&self, change: &Change, class: Class, bump: Option<Bump>) -> (Option<AllowedBy>, Option<String>) {
        if self.waivers.iter().any(|w| self.waiver_applies(w, change)) {
            return (Some(AllowedBy::Waiver), None);
        }
        if class > self.fail_on {
            return (None, None);
        }
        if change.unstable && !self.config.block_unstable {
            return (Some(AllowedBy::UnstablePackage), None);
        }
        let bumped = bump.is_some_and(|b| b >= class.required_bump());
        if !bumped {
            return (None, None);
        }
        if let Some(removal) = &change.removal {
            if let Some(sunset) = removal.sunset.as_deref().and_then(parse_date) {
                if self.today < sunset {
                    return (None, Some(format!("removed before its sunset date {sunset}")));
                }
            } else if self.config.require_deprecation && !removal.deprecated_in_base {
                return (None, Some("removed without being deprecated first".into()));
            }
        }
        (Some(AllowedBy::VersionBump), None)
    }

    fn waiver_applies(&self, waiver: &Waiver, change: &Change) -> bool {
        waiver.rule == change.rule
            && waiver.locus.as_deref().is_none_or(|l| l == change.locus)
            && waiver.expires.as_deref().and_then(parse_date).is_none_or(|last_day| self.today <= last_day)
    }
}

/// `YYYY-MM-DD`, or the date part of an RFC 3339 timestamp.
pub fn parse_date(text: &str) -> Option<Date> {
    let day = text.trim().get(..10)?;
    day.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::change::Removal;

    #[test]
    fn bumps_follow_semver_with_zero_major_shifted() {
        assert_eq!(Bump::between(Some("1.2.3"), Some("2.0.0")), Some(Bump::Major));
        assert_eq!(Bump::between(Some("1.2.3"), Some("1.3.0")), Some(Bump::Minor));
        assert_eq!(Bump::between(Some("1.2.3"), Some("1.2.4")), Some(Bump::Patch));
        assert_eq!(Bump::between(Some("1.2.3"), Some("1.2.3")), Some(Bump::None));
        assert_eq!(Bump::between(Some("2.0.0"), Some("1.9.0")), Some(Bump::None));
        assert_eq!(Bump::between(Some("0.3.1"), Some("0.4.0")), Some(Bump::Major));
        assert_eq!(Bump::between(Some("0.3.1"), Some("0.3.2")), Some(Bump::Minor));
        assert_eq!(Bump::between(Some("v1"), Some("v2.1")), Some(Bump::Major));
        assert_eq!(Bump::between(Some("latest"), Some("2.0.0")), None);
        assert_eq!(Bump::between(None, Some("2.0.0")), None);
    }

    fn policy<'a>(config: &'a PolicyConfig, waivers: &'a [Waiver]) -> Policy<'a> {
        Policy { config, waivers, fail_on: Class::Breaking, today: "2026-06-01".parse().unwrap() }
    }

    // Rule ids are looked up in the real catalogue; unknown ids count as breaking, which is
    // what these tests want without depending on any particular rule's class.
    fn breaking_change() -> Change {
        Change::new("test.unknown-rule", "GET /pets", "something broke")
    }

    #[test]
    fn breaking_change_blocks_without_bump_and_is_allowed_by_major() {
        let config = PolicyConfig::default();
        let p = policy(&config, &[]);
        let judged = p.judge(vec![breaking_change()], Some(Bump::Minor));
        assert!(judged[0].blocking);
        let judged = p.judge(vec![breaking_change()], Some(Bump::Major));
        assert_eq!(judged[0].allowed_by, Some(AllowedBy::VersionBump));
        assert!(!judged[0].blocking);
    }

    #[test]
    fn removal_needs_deprecation_and_respects_sunset() {
        let config = PolicyConfig::default();
        let p = policy(&config, &[]);
        let undeprecated = breaking_change().removal(Removal::default());
        assert!(p.judge(vec![undeprecated.clone()], Some(Bump::Major))[0].blocking);
        let lenient = PolicyConfig { require_deprecation: false, ..PolicyConfig::default() };
        assert!(!policy(&lenient, &[]).judge(vec![undeprecated], Some(Bump::Major))[0].blocking);

        let deprecated = breaking_change().removal(Removal { deprecated_in_base: true, sunset: None });
        assert!(!p.judge(vec![deprecated], Some(Bump::Major))[0].blocking);

        let early = breaking_change().removal(Removal { deprecated_in_base: true, sunset: Some("2026-12-31".into()) });
        let judged = p.judge(vec![early], Some(Bump::Major));
        assert!(judged[0].blocking);
        assert!(judged[0].note.as_deref().unwrap().contains("sunset"));
        let late = breaking_change().removal(Removal { deprecated_in_base: true, sunset: Some("2026-01-31".into()) });
        assert!(!p.judge(vec![late], Some(Bump::Major))[0].blocking);
    }

    #[test]
    fn waivers_match_rule_and_locus_until_they_expire() {
        let config = PolicyConfig::default();
        let waiver = |locus: Option<&str>, expires: Option<&str>| Waiver {
            rule: "test.unknown-rule".into(),
            locus: locus.map(Into::into),
            reason: "partners migrated".into(),
            expires: expires.map(Into::into),
        };
        let allowed = |w: Waiver| !policy(&config, &[w]).judge(vec![breaking_change()], None)[0].blocking;
        assert!(allowed(waiver(None, None)));
        assert!(allowed(waiver(Some("GET /pets"), Some("2026-06-01"))));
        assert!(!allowed(waiver(Some("GET /cats"), None)));
        assert!(!allowed(waiver(None, Some("2026-05-31"))));
    }

    #[test]
    fn unstable_scopes_are_reported_but_block_only_when_asked() {
        let config = PolicyConfig::default();
        let judged = policy(&config, &[]).judge(vec![breaking_change().unstable(true)], None);
        assert_eq!(judged[0].allowed_by, Some(AllowedBy::UnstablePackage));
        assert!(!judged[0].blocking);
        let strict = PolicyConfig { block_unstable: true, ..PolicyConfig::default() };
        assert!(policy(&strict, &[]).judge(vec![breaking_change().unstable(true)], None)[0].blocking);
        assert!(policy(&config, &[]).judge(vec![breaking_change()], None)[0].blocking);
    }

    #[test]
    fn always_blocking_rules_block_at_every_level_and_yield_only_to_a_waiver() {
        let config = PolicyConfig::default();
        let rule = Catalogue::get()
            .iter()
            .find(|r| r.blocks == Blocks::Always && r.class > Class::Breaking)
            .expect("the catalogue has an always-blocking rule below breaking")
            .id
            .clone();
        let change = Change::new(rule.clone(), "GET /pets 200 $.a", "not compared past here");
        let p = policy(&config, &[]);
        assert_eq!(p.fail_on, Class::Breaking);
        let judged = p.judge(vec![change.clone()], Some(Bump::Major));
        assert!(judged[0].blocking, "a major bump must not allow it");
        assert_eq!(judged[0].allowed_by, None);
        assert!(p.judge(vec![change.clone().unstable(true)], None)[0].blocking, "nor an unstable scope");
        let waiver = Waiver { rule, locus: None, reason: "checked by hand".into(), expires: Some("2026-12-31".into()) };
        let waivers = [waiver];
        let judged = policy(&config, &waivers).judge(vec![change], None);
        assert_eq!(judged[0].allowed_by, Some(AllowedBy::Waiver));
        assert!(!judged[0].blocking);
    }

    #[test]
    fn fail_on_risky_blocks_risky_changes() {
        let config = PolicyConfig::default();
        let mut p = policy(&config, &[]);
        let risky = Catalogue::get()
            .iter()
            .find(|r| r.class == Class::Risky && r.blocks == Blocks::ByClass)
            .expect("the catalogue has a risky rule")
            .id
            .clone();
        let change = Change::new(risky, "GET /pets", "risky");
        assert!(!p.judge(vec![change.clone()], None)[0].blocking);
        p.fail_on = Class::Risky;
        assert!(p.judge(vec![change], None)[0].blocking);
    }
}
