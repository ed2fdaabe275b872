#!/usr/bin/env python3
"""Generate rules/jsonschema.toml and the rule fixtures under tests/cases/openapi/<rule-id>/ for the
JSON Schema core (src/formats/jsonschema/). Run from the crate root:

    python3 tests/cases/gen/jsonschema_rules.py

One table below, ASPECTS, is the source: each aspect has its class per direction, its docs, its
oasdiff equivalents and a fixture (a base/head schema pair that fires it, and a near miss that must
not). Each aspect becomes two rules, `openapi.request.<aspect>` and `openapi.response.<aspect>`.
"""
import itertools, os, shutil, yaml

B, R, A, I, K = "breaking", "risky", "additive", "info", "risky"
NARROW = (B, I)   # a constraint tightened: old clients' requests rejected; responses only narrower
WIDEN = (I, B)    # a constraint relaxed: responses may carry what old clients reject

WHY = {
    ("request", "breaking"): "The server now rejects requests that existing clients build from the old contract ({what}).",
    ("request", "risky"): "Some requests from existing clients may now be rejected or handled differently ({what}).",
    ("request", "additive"): "Existing clients are unaffected; new clients can use it ({what}).",
    ("request", "info"): "The server still accepts every request it accepted before ({what}); no client breaks.",
    ("response", "breaking"): "Existing clients read responses with the old contract and may now receive data it did not allow ({what}).",
    ("response", "risky"): "Clients that validate responses strictly against the old contract may reject them ({what}).",
    ("response", "additive"): "Existing clients can ignore it ({what}).",
    ("response", "info"): "Everything the server may now send was already allowed by the old contract ({what}); no client breaks.",
}
FIX = {
    "breaking": "Keep accepting (in requests) or keep producing only (in responses) what the old contract allowed, or ship the change in a new major version.",
    "risky": "Check that clients tolerate it (document the change, add it behind a new version or an opt-in), or bump the major version.",
    "additive": "Nothing to fix; bump the minor version.",
    "info": "Nothing to fix.",
}

def bodyprop(d, x):
    return [f"{d}-body-{x}", f"{d}-property-{x}"]

def expand(*parts):
    return ["".join(p) for p in itertools.product(*[p if isinstance(p, list) else [p] for p in parts])]

# oasdiff's bound vocabulary (checker/localizations_src/en/messages.yaml), used to keep only ids
# that exist when the bound equivalents are derived by pattern.
BOUND_VOCAB = set(
    expand("request-", ["body", "property", "parameter"], "-max-length-", ["decreased", "increased", "set"])
    + ["request-read-only-property-max-length-decreased"]
    + expand("response-", ["body", "property"], "-max-length-", ["increased", "unset"])
    + expand("request-", ["body", "property", "parameter"], "-min-length-", ["increased", "decreased"])
    + expand("response-", ["body", "property"], "-min-length-decreased")
    + expand("request-", ["body", "property", "parameter"], "-max-", ["decreased", "increased", "set"])
    + ["request-read-only-property-max-decreased"]
    + expand("response-", ["body", "property"], "-max-increased")
    + expand("request-", ["body", "property", "parameter"], "-min-", ["increased", "decreased", "set"])
    + ["request-read-only-property-min-increased"]
    + expand("response-", ["body", "property"], "-min-decreased")
    + expand("request-", ["body", "property", "parameter"], "-max-items-", ["decreased", "increased"])
    + expand("request-", ["body", "property"], "-max-items-set")
    + ["request-read-only-property-max-items-decreased"]
    + expand("response-", ["body", "property"], "-max-items-increased")
    + expand("request-", ["body", "property", "parameter"], "-min-items-", ["increased", "decreased", "set"])
    + expand("response-", ["body", "property"], "-min-items-", ["decreased", "unset"])
    + expand("request-", ["body", "property"], "-max-properties-", ["decreased", "increased", "set"])
    + ["request-read-only-property-max-properties-decreased"]
    + expand("response-", ["body", "property"], "-max-properties-increased")
    + expand("request-", ["body", "property"], "-min-properties-increased")
    + expand("response-", ["body", "property"], "-min-properties-decreased")
    + expand("request-", ["body", "property", "parameter"], "-exclusive-min-", ["increased", "decreased", "set"])
    + ["request-read-only-property-exclusive-min-increased"]
    + expand("response-", ["body", "property"], "-exclusive-min-decreased")
    + expand("request-", ["body", "property", "parameter"], "-exclusive-max-", ["decreased", "increased", "set"])
    + ["request-read-only-property-exclusive-max-decreased"]
    + expand("response-", ["body", "property"], "-exclusive-max-increased")
    + expand(["request", "response"], "-", ["body", "property"], "-", ["min", "max"], "-contains-", ["increased", "decreased"])
)

ASPECTS = []

def aspect(name, classes, summary, what, eq, fires, near=None, v31=False, fix=None, dirs=("request", "response")):
    """near=None: the near miss is the fire pair swapped (the opposite change)."""
    ASPECTS.append(dict(name=name, classes=classes, summary=summary, what=what, eq=eq, fires=fires,
                        near=near or (fires[1], fires[0]), v31=v31, fix=fix, dirs=dirs))

S = {"type": "string"}
OBJ = lambda props, req=None, **kw: {"type": "object", "properties": props, **({"required": req} if req else {}), **kw}

# --- types -----------------------------------------------------------------------------------
aspect("type-changed", (B, B), "The schema's type changed to an incompatible one.",
       "values of the old type are rejected, values of the new type are unknown to old readers",
       {"request": bodyprop("request", "type-changed") + ["request-parameter-type-changed", "request-parameter-property-type-changed"]
                   + [f"request-{x}-list-of-types-narrowed" for x in ("body", "property", "parameter", "parameter-property")],
        "response": bodyprop("response", "type-changed") + ["response-header-type-changed"]
                    + [f"response-{x}-list-of-types-widened" for x in ("body", "property")]},
       ({"type": "string"}, {"type": "integer"}), near=({"type": "integer"}, {"type": "number"}))
aspect("type-widened", WIDEN, "The schema's type was widened (integer to number, a type added to a type array, a type removed).",
       "values of the added types",
       {"request": bodyprop("request", "type-generalized") + ["request-parameter-type-generalized", "request-parameter-property-type-generalized"]
                   + [f"request-{x}-list-of-types-widened" for x in ("body", "property", "parameter", "parameter-property")],
        "response": bodyprop("response", "type-changed") + bodyprop("response", "type-generalized") + ["response-header-type-generalized"]
                    + [f"response-{x}-list-of-types-widened" for x in ("body", "property")]},
       ({"type": "integer"}, {"type": "number"}))
aspect("type-narrowed", NARROW, "The schema's type was narrowed (number to integer, a type removed from a type array, a type set where any was allowed).",
       "values of the types no longer allowed",
       {"request": bodyprop("request", "type-changed") + ["request-parameter-type-changed", "request-parameter-property-type-specialized"]
                   + [f"request-{x}-list-of-types-narrowed" for x in ("body", "property", "parameter", "parameter-property")],
        "response": bodyprop("response", "type-specialized") + ["response-header-type-specialized"]
                    + [f"response-{x}-list-of-types-narrowed" for x in ("body", "property")]},
       ({"type": "number"}, {"type": "integer"}))
aspect("became-nullable", WIDEN, "The schema now allows null (`nullable: true`, or \"null\" in the type or in a oneOf/anyOf branch).",
       "null",
       {"request": bodyprop("request", "became-nullable") + ["request-parameter-became-nullable", "request-parameter-property-became-nullable"],
        "response": bodyprop("response", "became-nullable") + ["response-header-became-nullable"]},
       (S, {"type": "string", "nullable": True}))
aspect("became-not-nullable", NARROW, "The schema no longer allows null.",
       "null",
       {"request": bodyprop("request", "became-not-nullable") + ["request-parameter-became-not-nullable", "request-parameter-property-became-not-nullable"],
        "response": bodyprop("response", "became-not-nullable") + ["response-header-became-not-nullable"]},
       ({"type": "string", "nullable": True}, S))

# --- enums -----------------------------------------------------------------------------------
E2, E1 = {"type": "string", "enum": ["a", "b"]}, {"type": "string", "enum": ["a"]}
aspect("enum-value-removed", NARROW, "A value was removed from an enum.", "the removed value",
       {"request": ["request-body-enum-value-removed", "request-property-enum-value-removed", "request-parameter-enum-value-removed",
                    "request-parameter-property-enum-value-removed", "request-read-only-property-enum-value-removed"],
        "response": ["response-property-enum-value-removed", "response-mediatype-enum-value-removed"]},
       (E2, E1))
aspect("enum-value-added", (A, R), "A value was added to an enum.", "the new value (clients that switch over the known values may not handle it)",
       {"request": ["request-property-enum-value-added", "request-parameter-enum-value-added", "request-parameter-property-enum-value-added"],
        "response": ["response-property-enum-value-added", "response-write-only-property-enum-value-added"]},
       (E1, E2), fix="In responses, declare value sets that will grow with x-extensible-enum and ask clients to handle unknown values; otherwise bump the major version.")
aspect("became-enum", NARROW, "The schema was restricted to a list of enum values.", "any value outside the list",
       {"request": ["request-body-became-enum", "request-property-became-enum", "request-parameter-became-enum", "request-header-property-became-enum"],
        "response": []},
       (S, E1))
aspect("enum-removed", (I, R), "The enum restriction was removed: any value of the type is now allowed.", "values outside the old list",
       {"request": [], "response": []}, (E1, S))
X2, X1 = {"type": "string", "x-extensible-enum": ["a", "b"]}, {"type": "string", "x-extensible-enum": ["a"]}
aspect("x-extensible-enum-value-removed", (B, I), "A value was removed from an x-extensible-enum.", "the removed value",
       {"request": ["request-property-x-extensible-enum-value-removed", "request-parameter-x-extensible-enum-value-removed"], "response": []},
       (X2, X1))
aspect("x-extensible-enum-value-added", (A, I), "A value was added to an x-extensible-enum (an open value set clients must tolerate).",
       "the new value, which clients of an extensible enum are required to handle",
       {"request": [], "response": []}, (X1, X2))
aspect("const-changed", (B, B), "The const value changed.", "the old value is rejected and the new one is unknown to old readers",
       {d: bodyprop(d, "const-changed") for d in ("request", "response")},
       ({"const": "a"}, {"const": "b"}), near=({"const": "a"}, {"const": "a", "description": "same value"}), v31=True)
aspect("const-added", NARROW, "A const restriction was added.", "any other value", {d: bodyprop(d, "const-added") for d in ("request", "response")},
       (S, {"type": "string", "const": "a"}), v31=True)
aspect("const-removed", WIDEN, "The const restriction was removed.", "values other than the old const",
       {d: bodyprop(d, "const-removed") for d in ("request", "response")}, ({"type": "string", "const": "a"}, S), v31=True)

# --- bounds ----------------------------------------------------------------------------------
BOUNDS = [  # keyword, upper?, stem, type, low, high, v31, extra
    ("maxLength", True, "max-length", "string", 5, 10, False, {}),
    ("minLength", False, "min-length", "string", 1, 3, False, {}),
    ("maximum", True, "max", "number", 5, 10, False, {}),
    ("minimum", False, "min", "number", 1, 3, False, {}),
    ("exclusiveMaximum", True, "exclusive-max", "number", 5, 10, True, {}),
    ("exclusiveMinimum", False, "exclusive-min", "number", 1, 3, True, {}),
    ("maxItems", True, "max-items", "array", 5, 10, False, {"items": S}),
    ("minItems", False, "min-items", "array", 1, 3, False, {"items": S}),
    ("maxProperties", True, "max-properties", "object", 5, 10, False, {}),
    ("minProperties", False, "min-properties", "object", 1, 3, False, {}),
    ("maxContains", True, "max-contains", "array", 5, 10, True, {"contains": S}),
    ("minContains", False, "min-contains", "array", 1, 3, True, {"contains": S}),
]
for kw, upper, stem, ty, low, high, v31, extra in BOUNDS:
    lo = {"type": ty, **extra, kw: low}
    hi = {"type": ty, **extra, kw: high}
    tight, loose = (f"{stem}-decreased", f"{stem}-increased") if upper else (f"{stem}-increased", f"{stem}-decreased")
    eq_t = {"request": [x for x in expand("request-", ["body", "property", "parameter", "read-only-property"], "-", [tight, f"{stem}-set"]) if x in BOUND_VOCAB],
            "response": [x for x in expand("response-", ["body", "property"], "-", tight) if x in BOUND_VOCAB]}
    eq_l = {"request": [x for x in expand("request-", ["body", "property", "parameter"], "-", loose) if x in BOUND_VOCAB],
            "response": [x for x in expand("response-", ["body", "property"], "-", [loose, f"{stem}-unset"]) if x in BOUND_VOCAB]}
    word_t = "decreased (or set where there was none)" if upper else "increased (or set where there was none)"
    word_l = "increased (or removed)" if upper else "decreased (or removed)"
    aspect(tight, NARROW, f"{kw} was {word_t}.", f"values beyond the new {kw}", eq_t, (hi, lo) if upper else (lo, hi), v31=v31)
    aspect(loose, WIDEN, f"{kw} was {word_l}.", f"values beyond the old {kw}", eq_l, (lo, hi) if upper else (hi, lo), v31=v31)

M = lambda n: {"type": "number", "multipleOf": n}
aspect("multiple-of-tightened", NARROW, "multipleOf became a multiple of the old one (or was set).", "values that are not multiples of the new divisor",
       {"request": bodyprop("request", "multiple-of-set"), "response": bodyprop("response", "multiple-of-specialized")}, (M(2), M(4)))
aspect("multiple-of-relaxed", WIDEN, "multipleOf became a divisor of the old one (or was removed).", "values that are not multiples of the old divisor",
       {"request": bodyprop("request", "multiple-of-generalized") + bodyprop("request", "multiple-of-unset"), "response": bodyprop("response", "multiple-of-unset")},
       (M(4), M(2)))
aspect("multiple-of-changed", (B, B), "multipleOf changed to a value that neither divides nor is a multiple of the old one.",
       "multiples of the old divisor that are not multiples of the new one, and the reverse",
       {d: bodyprop(d, "multiple-of-changed") for d in ("request", "response")}, (M(2), M(3)), near=(M(2), M(4)))
U = lambda on: {"type": "array", "items": S, **({"uniqueItems": True} if on else {})}
aspect("unique-items-set", NARROW, "uniqueItems was set to true.", "arrays with repeated items",
       {"request": bodyprop("request", "unique-items-set"), "response": []}, (U(False), U(True)))
aspect("unique-items-unset", WIDEN, "uniqueItems was unset.", "arrays with repeated items",
       {"request": bodyprop("request", "unique-items-unset"), "response": bodyprop("response", "unique-items-unset")}, (U(True), U(False)))

# --- string keywords, default ------------------------------------------------------------------
P = lambda pat: {"type": "string", "pattern": pat}
aspect("pattern-added", NARROW, "A pattern was added.", "strings that do not match the pattern",
       {"request": ["request-property-pattern-added", "request-parameter-pattern-added", "pattern-added-error-comment"],
        "response": ["response-property-pattern-added"]}, (S, P("^[a-z]+$")))
aspect("pattern-removed", (I, R), "The pattern was removed.", "strings that did not match the old pattern (only clients that validate patterns notice)",
       {"request": ["request-property-pattern-removed", "request-parameter-pattern-removed"], "response": ["response-property-pattern-removed"]},
       (P("^[a-z]+$"), S))
aspect("pattern-changed", (R, R), "The pattern changed; whether it accepts more or less cannot be decided in general.",
       "strings that match only one of the two patterns",
       {"request": ["request-property-pattern-changed", "request-parameter-pattern-changed", "request-property-pattern-generalized",
                    "request-parameter-pattern-generalized", "pattern-changed-warn-comment"],
        "response": ["response-property-pattern-changed"]},
       (P("^[a-z]+$"), P("^[0-9]+$")), near=(P("^[a-z]+$"), {"type": "string", "pattern": "^[a-z]+$", "description": "same pattern"}))
F = lambda f: {"type": "string", "format": f}
aspect("format-added", (R, I), "A format was added. JSON Schema treats format as an annotation by default, but many servers validate it.",
       "strings that are not of the new format", {"request": [], "response": []}, (S, F("date")))
aspect("format-removed", (I, R), "The format was removed.", "strings of any format", {"request": [], "response": []}, (F("date"), S))
aspect("format-changed", (R, R), "The format changed.", "strings of the old format that the new one rejects, and the reverse",
       {"request": [], "response": []}, (F("date"), F("date-time")), near=(F("date"), {"type": "string", "format": "date", "description": "same format"}))
D = lambda v: {"type": "string", "default": v}
aspect("default-changed", (B, I), "The default value changed.", "clients that omit the value now get other behaviour than they were promised",
       {d: bodyprop(d, "default-value-changed") + (["request-parameter-default-value-changed"] if d == "request" else []) for d in ("request", "response")},
       (D("a"), D("b")), near=(D("a"), {"type": "string", "default": "a", "description": "same default"}))
aspect("default-added", (I, I), "A default value was added.", "nothing changes for clients that send the value",
       {d: bodyprop(d, "default-value-added") + (["request-parameter-default-value-added"] if d == "request" else []) for d in ("request", "response")},
       (S, D("a")))
aspect("default-removed", (R, I), "The default value was removed.", "clients that omit the value relied on the old default",
       {d: bodyprop(d, "default-value-removed") + (["request-parameter-default-value-removed"] if d == "request" else []) for d in ("request", "response")},
       (D("a"), S))

# --- objects ---------------------------------------------------------------------------------
aspect("property-became-required", NARROW, "An existing property became required.", "objects that omit the property",
       {"request": ["request-property-became-required", "request-header-property-became-required"], "response": ["response-property-became-required"]},
       (OBJ({"a": S}), OBJ({"a": S}, ["a"])))
aspect("property-became-optional", WIDEN, "A required property became optional.", "objects without the property",
       {"request": ["request-property-became-optional"], "response": ["response-property-became-optional"]},
       (OBJ({"a": S}, ["a"]), OBJ({"a": S})))
aspect("property-became-read-only", (R, I), "A property became readOnly: clients should no longer send it.",
       "a property clients send that the server may now reject or ignore",
       {"request": ["request-optional-property-became-read-only", "request-required-property-became-read-only"],
        "response": ["response-optional-property-became-read-only", "response-required-property-became-read-only"]},
       (OBJ({"a": S}), OBJ({"a": {"type": "string", "readOnly": True}})))
aspect("property-became-write-only", (I, R), "A property became writeOnly: the server no longer returns it.",
       "responses without the property",
       {"request": ["request-optional-property-became-write-only", "request-required-property-became-write-only"],
        "response": ["response-optional-property-became-write-only", "response-required-property-became-write-only"]},
       (OBJ({"a": S}), OBJ({"a": {"type": "string", "writeOnly": True}})))
aspect("required-property-added", (B, A), "A required property was added.", "objects without the new property",
       {"request": ["new-required-request-property", "new-required-request-property-with-default", "required-request-property-with-default-error-comment",
                    "new-required-request-header-property"],
        "response": ["response-required-property-added", "response-required-write-only-property-added"]},
       (OBJ({"b": S}), OBJ({"a": S, "b": S}, ["a"])), near=(OBJ({"b": S}), OBJ({"a": S, "b": S})))
aspect("property-added", (A, A), "An optional property was added.", "a new optional property",
       {"request": ["new-optional-request-property"], "response": ["response-optional-property-added", "response-optional-write-only-property-added"]},
       (OBJ({"b": S}), OBJ({"a": S, "b": S})))
aspect("required-property-removed", (R, B), "A required property was removed.",
       "objects without a property that was guaranteed (responses), or a property clients still send (requests)",
       {"request": ["request-property-removed"], "response": ["response-required-property-removed", "response-required-write-only-property-removed"]},
       (OBJ({"a": S, "b": S}, ["a"]), OBJ({"b": S})), near=(OBJ({"a": S, "b": S}), OBJ({"b": S})),
       fix="Deprecate the property first and keep it until clients have moved, or bump the major version.")
aspect("property-removed", (R, R), "An optional property was removed.",
       "a property clients still send (the server may reject it when additional properties are not allowed), or read when present",
       {"request": ["request-property-removed"], "response": ["response-optional-property-removed", "response-optional-write-only-property-removed"]},
       (OBJ({"a": S, "b": S}), OBJ({"b": S})),
       fix="Deprecate the property first and keep it until clients have moved, or bump the major version.")
aspect("additional-properties-narrowed", NARROW, "additionalProperties became false or was restricted to a schema.",
       "objects with undeclared properties", {"request": [], "response": []},
       (OBJ({"a": S}), OBJ({"a": S}, additionalProperties=False)))
aspect("additional-properties-widened", (I, R), "additionalProperties was relaxed (false to allowed, or a schema removed).",
       "objects with undeclared properties (most clients ignore them; strict validators reject them)", {"request": [], "response": []},
       (OBJ({"a": S}, additionalProperties=False), OBJ({"a": S})))
T = lambda *items: {"type": "array", "prefixItems": list(items)}
aspect("prefix-items-added", NARROW, "An entry was added to prefixItems.", "arrays whose item at that position does not match",
       {d: bodyprop(d, "prefix-items-added") for d in ("request", "response")}, (T(S), T(S, {"type": "integer"})), v31=True)
aspect("prefix-items-removed", WIDEN, "An entry was removed from prefixItems.", "arrays with any item at that position",
       {d: bodyprop(d, "prefix-items-removed") for d in ("request", "response")}, (T(S, {"type": "integer"}), T(S)), v31=True)

# --- composition -----------------------------------------------------------------------------
ALT = lambda kw, *types: {kw: [{"type": t} for t in types]}
for kw, stem in (("oneOf", "one-of"), ("anyOf", "any-of")):
    aspect(f"{stem}-added", (A, B), f"A branch was added to {kw}.", "values of the new branch",
           {d: bodyprop(d, f"{stem}-added") for d in ("request", "response")}, (ALT(kw, "string", "integer"), ALT(kw, "string", "integer", "boolean")))
    aspect(f"{stem}-removed", (B, I), f"A branch was removed from {kw}.", "values only the removed branch accepted",
           {d: bodyprop(d, f"{stem}-removed") for d in ("request", "response")}, (ALT(kw, "string", "integer", "boolean"), ALT(kw, "string", "integer")))
    aspect(f"wrapped-in-{stem}", (I, I), f"The schema was restructured into a {kw}; the branches are compared with the old schema and reported separately.",
           "nothing by itself (findings about the branches are reported on their own)",
           {"request": ["request-body-wrapped-in-one-of", "request-body-wrapped-in-one-of-original-preserved", "request-body-type-generalized"] if kw == "oneOf" else [],
            "response": ["response-body-wrapped-in-one-of", "response-body-wrapped-in-one-of-original-preserved"] if kw == "oneOf" else []},
           (S, ALT(kw, "string", "integer")))
AMB_BASE = OBJ({"a": S, "b": S}, ["a", "b"])
aspect("one-of-ambiguous", (B, I), "The schema was wrapped into a oneOf in which more than one branch accepts what the old schema accepted.",
       "payloads valid under the old schema match several oneOf branches, which oneOf rejects",
       {"request": ["request-body-wrapped-in-one-of"], "response": []},
       (AMB_BASE, {"oneOf": [OBJ({"a": S, "b": S}, ["a"]), OBJ({"a": S, "b": S}, ["b"])]}),
       near=(AMB_BASE, {"oneOf": [OBJ({"a": S, "b": S}, ["a"]), {"type": "integer"}]}), dirs=("request",),
       fix="Make the branches mutually exclusive (a discriminator property with distinct const values), or use anyOf.")
AO = lambda *branches: {**OBJ({"a": S}), **({"allOf": list(branches)} if branches else {})}
aspect("all-of-added", NARROW, "A constraining branch was added to allOf.", "values the new branch rejects",
       {d: bodyprop(d, "all-of-added") for d in ("request", "response")}, (AO(), AO({"required": ["a"]})))
aspect("all-of-removed", WIDEN, "A constraining branch was removed from allOf.", "values the removed branch rejected",
       {d: bodyprop(d, "all-of-removed") for d in ("request", "response")}, (AO({"required": ["a"]}), AO()))
aspect("all-of-added-annotation-only", (I, I), "An allOf branch holding only annotations (title, description, ...) was added.",
       "nothing: annotations do not constrain values", {d: bodyprop(d, "all-of-added-annotation-only") for d in ("request", "response")},
       (AO(), AO({"description": "annotation only"})))
aspect("all-of-removed-annotation-only", (I, I), "An allOf branch holding only annotations was removed.",
       "nothing: annotations do not constrain values", {d: bodyprop(d, "all-of-removed-annotation-only") for d in ("request", "response")},
       (AO({"description": "annotation only"}), AO()))
N = {"type": "string", "not": {"enum": ["x"]}}
aspect("not-added", NARROW, "A not subschema was added.", "values the not subschema matches", {"request": [], "response": []}, (S, N))
aspect("not-removed", WIDEN, "The not subschema was removed.", "values the not subschema excluded", {"request": [], "response": []}, (N, S))
DI = lambda disc=None: {**OBJ({"kind": S}), **({"discriminator": disc} if disc else {})}
aspect("discriminator-added", (R, I), "A discriminator was added.", "payloads whose discriminator property does not name a known branch",
       {d: bodyprop(d, "discriminator-added") for d in ("request", "response")}, (DI(), DI({"propertyName": "kind"})))
aspect("discriminator-removed", (I, R), "The discriminator was removed.", "clients that dispatch on the discriminator lose the hint",
       {d: bodyprop(d, "discriminator-removed") for d in ("request", "response")}, (DI({"propertyName": "kind"}), DI()))
aspect("discriminator-property-name-changed", (B, B), "The discriminator's propertyName changed.", "payloads that name their branch with the old property",
       {d: bodyprop(d, "discriminator-property-name-changed") for d in ("request", "response")},
       (DI({"propertyName": "kind"}), DI({"propertyName": "type"})), near=(DI({"propertyName": "kind"}), DI({"propertyName": "kind", "mapping": {}})))
MAP = lambda m: DI({"propertyName": "kind", "mapping": m})
aspect("discriminator-mapping-added", (A, R), "A discriminator mapping entry was added.", "a discriminator value old readers do not know",
       {d: bodyprop(d, "discriminator-mapping-added") for d in ("request", "response")},
       (MAP({"a": "#/components/schemas/A"}), MAP({"a": "#/components/schemas/A", "b": "#/components/schemas/B"})))
aspect("discriminator-mapping-removed", (B, I), "A discriminator mapping entry was removed.", "payloads that use the removed discriminator value",
       {d: bodyprop(d, "discriminator-mapping-deleted") for d in ("request", "response")},
       (MAP({"a": "#/components/schemas/A", "b": "#/components/schemas/B"}), MAP({"a": "#/components/schemas/A"})))
aspect("discriminator-mapping-changed", (B, B), "A discriminator mapping entry now names another schema.", "payloads with that discriminator value are read with another schema",
       {d: bodyprop(d, "discriminator-mapping-changed") for d in ("request", "response")},
       (MAP({"a": "#/components/schemas/A"}), MAP({"a": "#/components/schemas/B"})),
       near=(MAP({"a": "#/components/schemas/A"}), MAP({"a": "#/components/schemas/A", "b": "#/components/schemas/B"})))

# --- JSON Schema 2020-12 keywords (OpenAPI 3.1) -------------------------------------------------
IF = {"properties": {"kind": {"const": "a"}}}
COND = lambda **kw: {**OBJ({"kind": S, "x": S}), **kw}
aspect("if-changed", (B, B), "The if condition changed, so then/else apply to other values.", "values for which another branch now applies",
       {"request": [], "response": []}, (COND(**{"if": IF, "then": {"required": ["x"]}}), COND(**{"if": {"properties": {"kind": {"const": "b"}}}, "then": {"required": ["x"]}})),
       near=(COND(**{"if": IF, "then": {"required": ["x"]}}), COND(**{"if": IF, "then": {"required": ["x"]}, "description": "same"})), v31=True)
for kw in ("if", "then", "else"):
    other = {"if": IF} if kw != "if" else {}
    sub_ = {"required": ["x"]} if kw != "if" else IF
    if kw == "if":
        base, head = COND(), COND(**{"if": IF})
    else:
        base, head = COND(**other), COND(**other, **{kw: sub_})
    aspect(f"{kw}-added", NARROW, f"An {kw} subschema was added.", f"values the {kw} subschema rejects",
           {d: bodyprop(d, f"{kw}-added") for d in ("request", "response")}, (base, head), v31=True)
    aspect(f"{kw}-removed", WIDEN, f"The {kw} subschema was removed.", f"values the {kw} subschema rejected",
           {d: bodyprop(d, f"{kw}-removed") for d in ("request", "response")}, (head, base), v31=True)
DR = lambda m=None: {**OBJ({"a": S, "b": S, "c": S}), **({"dependentRequired": m} if m is not None else {})}
aspect("dependent-required-added", NARROW, "A dependentRequired entry was added.", "objects with the trigger property but without its dependents",
       {d: bodyprop(d, "dependent-required-added") for d in ("request", "response")}, (DR(), DR({"a": ["b"]})), v31=True)
aspect("dependent-required-removed", WIDEN, "A dependentRequired entry was removed.", "objects with the trigger property but without its dependents",
       {d: bodyprop(d, "dependent-required-removed") for d in ("request", "response")}, (DR({"a": ["b"]}), DR()), v31=True)
aspect("dependent-required-changed", (B, B), "The properties a dependentRequired entry requires changed.", "objects that satisfy only one of the two lists",
       {d: bodyprop(d, "dependent-required-changed") for d in ("request", "response")}, (DR({"a": ["b"]}), DR({"a": ["c"]})),
       near=(DR({"a": ["b"]}), DR({"a": ["b"], "c": ["a"]})), v31=True)
for kw, stem, val in (("dependentSchemas", "dependent-schema", {"a": {"required": ["b"]}}),
                      ("patternProperties", "pattern-property", {"^x-": {"type": "string"}})):
    base, head = OBJ({"a": S, "b": S}), {**OBJ({"a": S, "b": S}), kw: val}
    aspect(f"{stem}-added", NARROW, f"A {kw} entry was added.", f"objects the new {kw} entry rejects",
           {d: bodyprop(d, f"{stem}-added") for d in ("request", "response")}, (base, head), v31=True)
    aspect(f"{stem}-removed", WIDEN, f"A {kw} entry was removed.", f"objects the removed {kw} entry rejected",
           {d: bodyprop(d, f"{stem}-removed") for d in ("request", "response")}, (head, base), v31=True)
for kw, stem, base in (("propertyNames", "property-names", {"type": "object"}), ("contains", "contains", {"type": "array"}),
                       ("contentSchema", "content-schema", {"type": "string", "contentMediaType": "application/json"})):
    head = {**base, kw: {"maxLength": 5} if kw == "propertyNames" else ({"type": "string"} if kw == "contains" else {"type": "object"})}
    aspect(f"{stem}-added", NARROW, f"A {kw} subschema was added.", f"values the {kw} subschema rejects",
           {d: bodyprop(d, f"{stem}-added") for d in ("request", "response")}, (base, head), v31=True)
    aspect(f"{stem}-removed", WIDEN, f"The {kw} subschema was removed.", f"values the {kw} subschema rejected",
           {d: bodyprop(d, f"{stem}-removed") for d in ("request", "response")}, (head, base), v31=True)
for kw, stem, base in (("unevaluatedProperties", "unevaluated-properties", {"type": "object"}), ("unevaluatedItems", "unevaluated-items", {"type": "array"})):
    head = {**base, kw: False}
    aspect(f"{stem}-added", NARROW, f"An {kw} constraint was added.", f"values with unevaluated members",
           {d: bodyprop(d, f"{stem}-added") for d in ("request", "response")}, (base, head), v31=True)
    aspect(f"{stem}-removed", WIDEN, f"The {kw} constraint was removed.", f"values with unevaluated members",
           {d: bodyprop(d, f"{stem}-removed") for d in ("request", "response")}, (head, base), v31=True)
for kw, stem, val in (("contentEncoding", "content-encoding", "base64"), ("contentMediaType", "content-media-type", "image/png")):
    base, head = S, {"type": "string", kw: val}
    aspect(f"{stem}-changed", (B, B), f"{kw} was added, removed or changed: the string's content must be encoded or read differently.",
           f"strings encoded the old way", {d: bodyprop(d, f"{stem}-changed") for d in ("request", "response")},
           (base, head), near=(head, {**head, "description": "same"}), v31=True)

# --- output ----------------------------------------------------------------------------------
def toml_str(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'

def doc(schema, direction, v31):
    op = {"operationId": "op", "responses": {"200": {"description": "OK"}}}
    if direction == "request":
        op["requestBody"] = {"content": {"application/json": {"schema": schema}}}
    else:
        op["responses"]["200"]["content"] = {"application/json": {"schema": schema}}
    d = {"openapi": "3.1.0" if v31 else "3.0.3", "info": {"title": "Fixture", "version": "1.0.0"}, "paths": {"/things": {"post": op}}}
    if "#/components/schemas/" in yaml.safe_dump(schema):
        d["components"] = {"schemas": {"A": {"type": "object"}, "B": {"type": "object"}}}
    return yaml.safe_dump(d, sort_keys=False, default_flow_style=False)

def main():
    root = os.getcwd()
    out = ["# JSON Schema core rules (src/formats/jsonschema/): one rule per aspect and use-site direction.",
           "# Generated by tests/cases/gen/jsonschema_rules.py; edit the table there and re-run.",
           "# request: the server reads what old clients write (the new schema must accept all the old one did).",
           "# response: old clients read what the new server writes (the old schema must accept all the new one can produce).",
           'kind = "openapi"', ""]
    for a in ASPECTS:
        if a["v31"] and "nullable" in str(a["fires"]):
            raise SystemExit("nullable fixtures must be 3.0")
        for i, d in enumerate(("request", "response")):
            if d not in a["dirs"]:
                continue
            cls = a["classes"][i]
            rid = f"openapi.{d}.{a['name']}"
            eq = [f"oasdiff:{x}" for x in a["eq"].get(d, [])]
            fix = a["fix"] if (a["fix"] and cls in ("breaking", "risky")) else FIX[cls]
            out += ["[[rule]]", f"id = {toml_str(rid)}", f"class = {toml_str(cls)}", f"summary = {toml_str(a['summary'])}",
                    f"why = {toml_str(WHY[(d, cls)].format(what=a['what']))}", f"fix = {toml_str(fix)}",
                    "equivalents = [" + ", ".join(toml_str(e) for e in eq) + "]", ""]
            for kind, (b, h) in (("fires", a["fires"]), ("near-miss", a["near"])):
                folder = os.path.join(root, "tests/cases/openapi", rid, kind)
                if os.path.isdir(folder):
                    shutil.rmtree(folder)
                os.makedirs(folder)
                with open(os.path.join(folder, "base.yaml"), "w") as f:
                    f.write(doc(b, d, a["v31"]))
                with open(os.path.join(folder, "head.yaml"), "w") as f:
                    f.write(doc(h, d, a["v31"]))
    with open(os.path.join(root, "rules/jsonschema.toml"), "w") as f:
        f.write("\n".join(out))

if __name__ == "__main__":
    main()
