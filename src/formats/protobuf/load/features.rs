//! Editions features resolved down the element tree: the edition's (or syntax's) defaults, then
//! whatever each enclosing element sets (file → message → nested message → field, oneof → field,
//! enum → value). proto2 and proto3 map onto the same features, as protoc and buf do.

use super::descriptor::{FeatureSet, EDITION_2024};
use crate::formats::protobuf::model::Edition;
use crate::formats::protobuf::model::{CppStringType, EnumType, JsonFormat, Presence, Syntax, Utf8Validation};

/// The features in force at one element.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Features {
    pub presence: Presence,
    pub enum_type: EnumType,
    pub packed: bool,
    pub utf8: Utf8Validation,
    pub delimited: bool,
    pub json_format: JsonFormat,
    pub java_utf8_verify: bool,
    pub cpp_string_type: CppStringType,
}

impl Features {
    /// What a file of `syntax` starts from. proto3's presence is the scalar default: message
    /// fields, oneof members and `optional` fields get explicit presence when they are resolved.
    pub fn defaults(syntax: Syntax) -> Features {
        let editions = Features {
            presence: Presence::Explicit,
            enum_type: EnumType::Open,
            packed: true,
            utf8: Utf8Validation::Verify,
            delimited: false,
            json_format: JsonFormat::Allow,
            java_utf8_verify: false,
            cpp_string_type: CppStringType::String,
        };
        match syntax {
            Syntax::Proto2 => Features {
                enum_type: EnumType::Closed,
                packed: false,
                utf8: Utf8Validation::None,
                json_format: JsonFormat::LegacyBestEffort,
                ..editions
            },
            Syntax::Proto3 => Features { presence: Presence::Implicit, ..editions },
            Syntax::Editions(Edition::E2023) => editions,
            Syntax::Editions(Edition::E2024) => Features { cpp_string_type: CppStringType::View, ..editions },
        }
    }

    /// These features with what `set` writes on a child element laid over them.
    pub fn with(mut self, set: Option<&FeatureSet>) -> Features {
        let Some(set) = set else { return self };
        match set.field_presence {
            Some(1) => self.presence = Presence::Explicit,
            Some(2) => self.presence = Presence::Implicit,
            Some(3) => self.presence = Presence::LegacyRequired,
            _ => {}
        }
        match set.enum_type {
            Some(1) => self.enum_type = EnumType::Open,
            Some(2) => self.enum_type = EnumType::Closed,
            _ => {}
        }
        match set.repeated_field_encoding {
            Some(1) => self.packed = true,
            Some(2) => self.packed = false,
            _ => {}
        }
        match set.utf8_validation {
            Some(2) => self.utf8 = Utf8Validation::Verify,
            Some(3) => self.utf8 = Utf8Validation::None,
            _ => {}
        }
        match set.message_encoding {
            Some(1) => self.delimited = false,
            Some(2) => self.delimited = true,
            _ => {}
        }
        match set.json_format {
            Some(1) => self.json_format = JsonFormat::Allow,
            Some(2) => self.json_format = JsonFormat::LegacyBestEffort,
            _ => {}
        }
        match set.java.and_then(|java| java.utf8_validation) {
            Some(1) => self.java_utf8_verify = false,
            Some(2) => self.java_utf8_verify = true,
            _ => {}
        }
        match set.cpp.and_then(|cpp| cpp.string_type) {
            Some(1) => self.cpp_string_type = CppStringType::View,
            Some(2) => self.cpp_string_type = CppStringType::Cord,
            Some(3) => self.cpp_string_type = CppStringType::String,
            _ => {}
        }
        self
    }
}

/// The syntax a descriptor declares: `syntax` is `proto2` (or empty), `proto3` or `editions`,
/// and then `edition` says which. Unknown later editions read as the newest we know.
pub fn syntax_of(syntax: Option<&str>, edition: Option<i32>) -> Syntax {
    match syntax {
        Some("proto3") => Syntax::Proto3,
        Some("editions") => match edition {
            Some(e) if e >= EDITION_2024 => Syntax::Editions(Edition::E2024),
            _ => Syntax::Editions(Edition::E2023),
        },
        _ => Syntax::Proto2,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_follow_the_syntax() {
        let p2 = Features::defaults(Syntax::Proto2);
        assert_eq!((p2.enum_type, p2.packed, p2.utf8), (EnumType::Closed, false, Utf8Validation::None));
        assert_eq!(p2.json_format, JsonFormat::LegacyBestEffort);
        let p3 = Features::defaults(Syntax::Proto3);
        assert_eq!((p3.presence, p3.enum_type, p3.packed), (Presence::Implicit, EnumType::Open, true));
        let e24 = Features::defaults(Syntax::Editions(Edition::E2024));
        assert_eq!(e24.cpp_string_type, CppStringType::View);
    }

    #[test]
    fn a_child_overrides_only_what_it_sets() {
        let set = FeatureSet { enum_type: Some(2), ..Default::default() };
        let child = Features::defaults(Syntax::Editions(Edition::E2023)).with(Some(&set));
        assert_eq!(child.enum_type, EnumType::Closed);
        assert_eq!(child.presence, Presence::Explicit);
    }
}
