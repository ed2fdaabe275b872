//! Service rules: deleted and added services and RPCs, request and response types, streaming,
//! idempotency level.

use super::index::{nested_name, ServiceRef};
use super::{sub, At, Out, Pair};
use crate::formats::protobuf::model::IdempotencyLevel;
use std::collections::BTreeMap;

pub(super) fn check(pair: &Pair, out: &mut Out) {
    // SERVICE_NO_DELETE: per file; buf points at the file.
    for (file_name, base_file) in &pair.base.module.files {
        let Some(head_file) = pair.head.module.files.get(file_name) else { continue };
        for service in &base_file.services {
            if !head_file.services.iter().any(|s| s.name == service.name) {
                out.add(
                    "protobuf.service-no-delete",
                    service.full_name.as_str(),
                    format!(
                        "Previously present service {:?} was deleted from file {file_name:?}.",
                        nested_name(base_file, &service.full_name)
                    ),
                    Some(At::path(base_file, &service.path)),
                    Some(At::file(head_file)),
                );
            }
        }
    }
    for (name, base) in &pair.base.services {
        if let Some(head) = pair.head.services.get(name) {
            compare(base, head, out);
        }
    }
    for (name, head) in &pair.head.services {
        if !pair.base.services.contains_key(name) && pair.base.module.files.contains_key(&head.file.name) {
            out.add(
                "protobuf.service-added",
                name.to_string(),
                format!("Service {name:?} was added."),
                None,
                Some(At::path(head.file, &head.service.path)),
            );
        }
    }
}

fn compare(base: &ServiceRef, head: &ServiceRef, out: &mut Out) {
    let (b, h) = (base.service, head.service);
    let methods: BTreeMap<&str, _> = h.methods.iter().map(|m| (m.name.as_str(), m)).collect();
    let old_methods: BTreeMap<&str, _> = b.methods.iter().map(|m| (m.name.as_str(), m)).collect();
    for (name, bm) in &old_methods {
        let locus = format!("{}.{name}", h.full_name);
        let Some(hm) = methods.get(name) else {
            out.add(
                "protobuf.rpc-no-delete",
                locus,
                format!("Previously present RPC {name:?} on service {:?} was deleted.", h.name),
                Some(At::path(base.file, &bm.path)),
                Some(At::path(head.file, &h.path)),
            );
            continue;
        };
        let rpc = format!("RPC {name:?} on service {:?}", h.name);
        let here = |tail: &[i32]| {
            (Some(At::path(base.file, &sub(&bm.path, tail))), Some(At::path(head.file, &sub(&hm.path, tail))))
        };
        let streaming = |s: bool| if s { "streaming" } else { "unary" };
        if bm.client_streaming != hm.client_streaming {
            let (o, n) = here(&[]);
            let message = format!(
                "{rpc} changed from client {} to client {}.",
                streaming(bm.client_streaming),
                streaming(hm.client_streaming)
            );
            out.add("protobuf.rpc-same-client-streaming", locus.as_str(), message, o, n);
        }
        if bm.server_streaming != hm.server_streaming {
            let (o, n) = here(&[]);
            let message = format!(
                "{rpc} changed from server {} to server {}.",
                streaming(bm.server_streaming),
                streaming(hm.server_streaming)
            );
            out.add("protobuf.rpc-same-server-streaming", locus.as_str(), message, o, n);
        }
        if bm.input_type != hm.input_type {
            let (o, n) = here(&[2]);
            let message = format!("{rpc} changed request type from {:?} to {:?}.", bm.input_type, hm.input_type);
            out.add("protobuf.rpc-same-request-type", locus.as_str(), message, o, n);
        }
        if bm.output_type != hm.output_type {
            let (o, n) = here(&[3]);
            let message = format!("{rpc} changed response type from {:?} to {:?}.", bm.output_type, hm.output_type);
            out.add("protobuf.rpc-same-response-type", locus.as_str(), message, o, n);
        }
        if bm.idempotency_level != hm.idempotency_level {
            let (o, n) = here(&[4, 34]);
            let message = format!(
                "{rpc} changed option \"idempotency_level\" from {:?} to {:?}.",
                idempotency(bm.idempotency_level),
                idempotency(hm.idempotency_level)
            );
            out.add("protobuf.rpc-same-idempotency-level", locus.as_str(), message, o, n);
        }
        if !bm.deprecated && hm.deprecated {
            let (o, n) = here(&[4, 33]);
            out.add("protobuf.rpc-deprecated", locus.as_str(), format!("{rpc} was deprecated."), o, n);
        }
    }
    for (name, hm) in &methods {
        if !old_methods.contains_key(name) {
            out.add(
                "protobuf.rpc-added",
                format!("{}.{name}", h.full_name),
                format!("RPC {name:?} was added to service {:?}.", h.name),
                Some(At::path(base.file, &b.path)),
                Some(At::path(head.file, &hm.path)),
            );
        }
    }
    if !b.deprecated && h.deprecated {
        out.add(
            "protobuf.service-deprecated",
            h.full_name.as_str(),
            format!("Service {:?} was deprecated.", h.full_name),
            Some(At::path(base.file, &b.path)),
            Some(At::path(head.file, &sub(&h.path, &[3, 33]))),
        );
    }
}

fn idempotency(level: IdempotencyLevel) -> &'static str {
    match level {
        IdempotencyLevel::Unknown => "IDEMPOTENCY_UNKNOWN",
        IdempotencyLevel::NoSideEffects => "NO_SIDE_EFFECTS",
        IdempotencyLevel::Idempotent => "IDEMPOTENT",
    }
}
