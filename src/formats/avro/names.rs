//! Avro names: validity, full names from a name and its enclosing namespace, and the version
//! segment of a namespace (`com.acme.v2`).

/// `[A-Za-z_][A-Za-z0-9_]*`, the specification's rule for every name part.
pub fn is_valid_name(name: &str) -> bool {
    let mut chars = name.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// A namespace is empty or dot-separated valid names.
pub fn is_valid_namespace(namespace: &str) -> bool {
    namespace.is_empty() || namespace.split('.').all(is_valid_name)
}

/// The full name of `name` written inside `namespace`: a dotted name is already full.
pub fn full_name(name: &str, namespace: Option<&str>) -> String {
    match namespace {
        Some(ns) if !ns.is_empty() && !name.contains('.') => format!("{ns}.{name}"),
        _ => name.to_string(),
    }
}

/// Splits a full name into its namespace and its unqualified name.
pub fn split(full: &str) -> (Option<&str>, &str) {
    match full.rsplit_once('.') {
        Some((ns, name)) => (Some(ns), name),
        None => (None, full),
    }
}

/// The last `vN` segment of a namespace, with its number: `com.acme.v2` → `("v2", 2)`.
pub fn version_segment(namespace: &str) -> Option<(String, u64)> {
    namespace.split('.').rev().find_map(|segment| {
        let digits = segment.strip_prefix('v')?;
        let number = digits.parse::<u64>().ok().filter(|_| !digits.is_empty() && !digits.starts_with('+'))?;
        Some((segment.to_string(), number))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_versions() {
        assert!(is_valid_name("_User1") && !is_valid_name("1User") && !is_valid_name("a-b") && !is_valid_name(""));
        assert!(is_valid_namespace("com.acme") && !is_valid_namespace("com..acme"));
        assert_eq!(full_name("User", Some("com.acme")), "com.acme.User");
        assert_eq!(full_name("org.x.User", Some("com.acme")), "org.x.User");
        assert_eq!(full_name("User", None), "User");
        assert_eq!(split("com.acme.User"), (Some("com.acme"), "User"));
        assert_eq!(version_segment("com.acme.v2.events"), Some(("v2".to_string(), 2)));
        assert_eq!(version_segment("com.acme.v1beta1"), None);
        assert_eq!(version_segment("com.acme"), None);
    }
}
