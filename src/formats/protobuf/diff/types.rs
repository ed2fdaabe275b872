//! What a field is on the wire, as buf classifies it: its kind (a delimited message is a group),
//! its cardinality, buf's wire and wire+JSON compatibility groups, and its default value.

use super::index::Side;
use crate::formats::protobuf::model::{Field, Label, Presence, Syntax, Type};

/// The field's kind: `Type`, with editions' delimited messages read as groups (as protoreflect).
pub(super) fn kind(f: &Field) -> Type {
    if f.ty == Type::Message && f.features.delimited {
        Type::Group
    } else {
        f.ty
    }
}

pub(super) fn is_required(f: &Field) -> bool {
    f.label == Label::Required || f.features.presence == Presence::LegacyRequired
}

fn has_presence(f: &Field) -> bool {
    f.label != Label::Repeated
        && (matches!(f.ty, Type::Message | Type::Group)
            || f.oneof_index.is_some()
            || f.proto3_optional
            || f.extendee.is_some()
            || f.features.presence != Presence::Implicit)
}

pub(super) fn is_map(f: &Field, side: &Side) -> bool {
    f.label == Label::Repeated
        && f.ty == Type::Message
        && f.type_name.as_deref().and_then(|t| side.message(t)).is_some_and(|m| m.message.map_entry)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Cardinality {
    Explicit,
    Implicit,
    Required,
    Repeated,
    Map,
}

impl Cardinality {
    pub fn of(f: &Field, side: &Side) -> Cardinality {
        if f.label == Label::Repeated {
            if is_map(f, side) {
                Cardinality::Map
            } else {
                Cardinality::Repeated
            }
        } else if is_required(f) {
            Cardinality::Required
        } else if has_presence(f) {
            Cardinality::Explicit
        } else {
            Cardinality::Implicit
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Cardinality::Explicit => "optional with explicit presence",
            Cardinality::Implicit => "optional with implicit presence",
            Cardinality::Required => "required",
            Cardinality::Repeated => "repeated",
            Cardinality::Map => "map",
        }
    }

    /// Presence does not show on the wire; repeated and map fields are the same bytes.
    pub fn wire_group(self) -> u8 {
        match self {
            Cardinality::Explicit | Cardinality::Implicit => 1,
            Cardinality::Required => 2,
            Cardinality::Repeated | Cardinality::Map => 3,
        }
    }

    /// As the wire, but maps and lists differ in JSON.
    pub fn wire_json_group(self) -> u8 {
        match self {
            Cardinality::Map => 4,
            other => other.wire_group(),
        }
    }
}

/// buf's wire compatibility groups (protobuf's "updating a message type" rules).
pub(super) fn wire_group(t: Type) -> u8 {
    match t {
        Type::Int32 | Type::Int64 | Type::Uint32 | Type::Uint64 | Type::Bool => 1,
        Type::Sint32 | Type::Sint64 => 2,
        Type::String => 3,
        Type::Bytes => 4,
        Type::Fixed32 | Type::Sfixed32 => 5,
        Type::Fixed64 | Type::Sfixed64 => 6,
        Type::Double => 7,
        Type::Float => 8,
        Type::Group => 9,
        Type::Message => 10,
        Type::Enum => 11,
    }
}

/// Wire and JSON compatible at once: only same-width integers that JSON spells alike.
pub(super) fn wire_json_group(t: Type) -> u8 {
    match t {
        Type::Int32 | Type::Uint32 => 1,
        Type::Int64 | Type::Uint64 => 2,
        Type::Fixed32 | Type::Sfixed32 => 3,
        Type::Fixed64 | Type::Sfixed64 => 4,
        Type::Bool => 5,
        Type::Sint32 => 6,
        Type::Sint64 => 7,
        Type::String => 8,
        Type::Bytes => 9,
        Type::Double => 10,
        Type::Float => 11,
        Type::Group => 12,
        Type::Message => 13,
        Type::Enum => 14,
    }
}

pub(super) fn type_name(t: Type) -> &'static str {
    match t {
        Type::Double => "double",
        Type::Float => "float",
        Type::Int64 => "int64",
        Type::Uint64 => "uint64",
        Type::Int32 => "int32",
        Type::Fixed64 => "fixed64",
        Type::Fixed32 => "fixed32",
        Type::Bool => "bool",
        Type::String => "string",
        Type::Group => "group",
        Type::Message => "message",
        Type::Bytes => "bytes",
        Type::Uint32 => "uint32",
        Type::Enum => "enum",
        Type::Sfixed32 => "sfixed32",
        Type::Sfixed64 => "sfixed64",
        Type::Sint32 => "sint32",
        Type::Sint64 => "sint64",
    }
}

/// The kind as buf prints it: a group outside proto2 is a delimited message.
pub(super) fn pretty_kind(f: &Field, syntax: Syntax) -> &'static str {
    match kind(f) {
        Type::Group if syntax != Syntax::Proto2 => "message (delimited encoding)",
        other => type_name(other),
    }
}

pub(super) fn is_64_bit_integer(t: Type) -> bool {
    matches!(t, Type::Int64 | Type::Sint64 | Type::Uint64 | Type::Fixed64 | Type::Sfixed64)
}

/// Whether a field can carry a default (singular, not a message).
pub(super) fn can_have_default(f: &Field) -> bool {
    f.label != Label::Repeated && !matches!(kind(f), Type::Message | Type::Group)
}

/// A field's default value, compared as buf does: strings and bytes as text, everything else
/// (bool, enum numbers, integers, floats) as numbers.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum DefaultValue {
    Text(String),
    Int(i128),
    Float {
        value: f64,
        single: bool,
    },
    /// An enum value by number, shown as buf shows it (`Enum.VALUE`).
    Enum {
        number: i32,
        shown: String,
    },
    /// An enum default that could not be resolved (its enum was not compiled: same both sides).
    Unknown(String),
}

impl DefaultValue {
    pub fn of(f: &Field, side: &Side) -> DefaultValue {
        let text = f.default.as_deref();
        match kind(f) {
            Type::String | Type::Bytes => DefaultValue::Text(text.unwrap_or("").to_string()),
            Type::Bool => DefaultValue::Int(i128::from(text == Some("true"))),
            Type::Float | Type::Double => {
                let single = f.ty == Type::Float;
                let value = match text.unwrap_or("0") {
                    "inf" => f64::INFINITY,
                    "-inf" => f64::NEG_INFINITY,
                    "nan" | "-nan" => f64::NAN,
                    t => t.parse().unwrap_or(0.0),
                };
                DefaultValue::Float { value: if single { value as f32 as f64 } else { value }, single }
            }
            Type::Enum => {
                let en = f.type_name.as_deref().and_then(|t| side.enum_by_name(t));
                match (en, text) {
                    (Some(en), text) => {
                        // Unset, an enum field defaults to its first value.
                        let value = match text {
                            Some(name) => en.values.iter().find(|v| v.name == name),
                            None => en.values.first(),
                        };
                        match value {
                            Some(v) => {
                                DefaultValue::Enum { number: v.number, shown: format!("{}.{}", en.name, v.name) }
                            }
                            None => DefaultValue::Unknown(text.unwrap_or("").to_string()),
                        }
                    }
                    (None, t) => DefaultValue::Unknown(t.unwrap_or("").to_string()),
                }
            }
            _ => DefaultValue::Int(text.and_then(|t| t.parse().ok()).unwrap_or(0)),
        }
    }

    pub fn is_zero(&self) -> bool {
        match self {
            DefaultValue::Text(t) | DefaultValue::Unknown(t) => t.is_empty(),
            DefaultValue::Int(i) => *i == 0,
            DefaultValue::Enum { number, .. } => *number == 0,
            DefaultValue::Float { value, .. } => value.to_bits() == 0,
        }
    }

    /// The value as a number, for comparing bools, enums and integers alike (as buf does).
    fn as_int(&self) -> Option<i128> {
        match self {
            DefaultValue::Int(i) => Some(*i),
            DefaultValue::Enum { number, .. } => Some(*number as i128),
            _ => None,
        }
    }

    pub fn same(&self, other: &DefaultValue) -> bool {
        use DefaultValue as D;
        if let (Some(a), Some(b)) = (self.as_int(), other.as_int()) {
            return a == b;
        }
        match (self, other) {
            (D::Text(a), D::Text(b)) => a == b,
            (D::Text(_), _) | (_, D::Text(_)) => false,
            // An unset default of an enum we could not see may be its first value: not a change.
            (D::Unknown(a), D::Unknown(b)) => a == b || a.is_empty() || b.is_empty(),
            (D::Unknown(_), _) | (_, D::Unknown(_)) => true,
            (D::Float { value: a, single: sa }, D::Float { value: b, single: sb }) => {
                (a.is_nan() && b.is_nan()) || if sa != sb { *a as f32 == *b as f32 } else { a == b }
            }
            (D::Float { value, .. }, n) | (n, D::Float { value, .. }) => {
                n.as_int().is_some_and(|i| !value.is_nan() && i as f64 == *value)
            }
            _ => false,
        }
    }

    pub fn show(&self) -> String {
        match self {
            DefaultValue::Text(t) => format!("{t:?}"),
            DefaultValue::Int(i) => i.to_string(),
            DefaultValue::Enum { shown, .. } => shown.clone(),
            DefaultValue::Float { value, .. } => value.to_string(),
            DefaultValue::Unknown(t) => t.clone(),
        }
    }
}
