//! Field defaults checked against their types, as the specification encodes defaults in JSON.

use super::model::{Id, Kind, Model};
use serde_json::Value as Json;

/// Whether `value` is a valid default for the type at `id`, as the specification encodes
/// defaults in JSON. Unions accept a value of any branch (Avro 1.12; older parsers wanted the
/// first branch).
pub fn valid_default(model: &Model, id: Id, value: &Json) -> std::result::Result<(), String> {
    let kind = &model.node(id).kind;
    let ok = match kind {
        Kind::Null => value.is_null(),
        Kind::Boolean => value.is_boolean(),
        Kind::Int => value.as_i64().is_some_and(|v| i32::try_from(v).is_ok()),
        Kind::Long => value.is_i64(),
        Kind::Float | Kind::Double => value.is_number(),
        Kind::Bytes | Kind::String | Kind::Fixed(_) => value.is_string(),
        Kind::Enum(e) => value.as_str().is_some_and(|s| e.symbols.iter().any(|(x, _)| x == s)),
        Kind::Array(items) => match value.as_array() {
            Some(values) => return values.iter().try_for_each(|v| valid_default(model, *items, v)),
            None => false,
        },
        Kind::Map(values) => match value.as_object() {
            Some(map) => return map.values().try_for_each(|v| valid_default(model, *values, v)),
            None => false,
        },
        Kind::Record(record) => match value.as_object() {
            Some(map) => {
                for field in &record.fields {
                    match map.get(&field.name) {
                        Some(v) => valid_default(model, field.ty, v)?,
                        None if field.default.is_some() => {}
                        None => return Err(format!("field `{}` of `{}` is missing", field.name, record.named.full)),
                    }
                }
                true
            }
            None => false,
        },
        Kind::Union(branches) => branches.iter().any(|b| valid_default(model, *b, value).is_ok()),
        Kind::Ref(_) => true,
    };
    if ok {
        Ok(())
    } else {
        let shown = value.to_string();
        let shown = if shown.chars().count() > 40 {
            format!("{}…", shown.chars().take(40).collect::<String>())
        } else {
            shown
        };
        Err(format!("{shown} is not a valid {}", kind.label()))
    }
}
