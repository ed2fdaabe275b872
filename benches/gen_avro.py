#!/usr/bin/env python3
"""Writes revision REV of a synthetic set of Avro schemas into DIR, for benches/avro.sh.

    gen_avro.py DIR REV [--breaking] [--files N]

Revision 0 has N files (default 1000) under schemas/dNN/: the first fifth define shared named
types (enums, fixed, small records) in namespace com.acme.bench.common; the rest are records of
8 to 12 fields, several of which name a shared type defined in another file (and folder): so
DIR also gets a contractdiff.toml whose one `[[contracts]]` entry makes schemas/ one Avro scope.

Each later revision r changes 10 record files, chosen by a generator seeded with r, so the same
REV always gives the same bytes. The changes are compatible under `backward` (a field added
with a default, an optional field added, int widened to long, a doc changed). With --breaking,
the last revision's changes are half incompatible instead (a field added without a default, a
type changed, an array's items changed, a field renamed without an alias, and, when an earlier
revision added a field with a default, that default dropped, which only a transitive level sees).
"""

import argparse
import json
import os
import random

NAMESPACE = "com.acme.bench"
CHANGED_PER_REVISION = 10


def shared_type(i):
    """Shared named type i: an enum, a fixed or a small record, by turns."""
    ns = f"{NAMESPACE}.common"
    if i % 3 == 0:
        return {"type": "enum", "name": f"Status{i}", "namespace": ns,
                "symbols": ["UNKNOWN", "ACTIVE", "SUSPENDED", "CLOSED"], "default": "UNKNOWN"}
    if i % 3 == 1:
        return {"type": "fixed", "name": f"Hash{i}", "namespace": ns, "size": 16}
    return {"type": "record", "name": f"Address{i}", "namespace": ns, "fields": [
        {"name": "street", "type": "string"},
        {"name": "city", "type": "string"},
        {"name": "zip", "type": ["null", "string"], "default": None},
    ]}


def full_name(schema):
    return f"{schema['namespace']}.{schema['name']}"


def record(i, shared):
    """Record file i, referring to two shared types by full name."""
    rng = random.Random(i)
    first = shared[(i * 7) % len(shared)]
    second = shared[(i * 13 + 5) % len(shared)]
    fields = [
        {"name": "id", "type": "long"},
        {"name": "name", "type": "string"},
        {"name": "created", "type": {"type": "long", "logicalType": "timestamp-millis"}},
        {"name": "amount", "type": "double"},
        {"name": "count", "type": "int"},
        {"name": "tags", "type": {"type": "array", "items": "string"}},
        {"name": "ref_one", "type": full_name(first)},
        {"name": "ref_two", "type": ["null", full_name(second)], "default": None},
    ]
    for extra in range(rng.randint(0, 4)):
        fields.append({"name": f"extra_{extra}", "type": rng.choice(["string", "long", "boolean"]),
                       "doc": f"extra field {extra}"})
    return {"type": "record", "name": f"Entity{i}", "namespace": f"{NAMESPACE}.d{i % 10:02d}",
            "doc": f"entity {i}", "fields": fields}


def compatible_change(schema, r, kind):
    fields = schema["fields"]
    if kind == 0:
        fields.append({"name": f"added_r{r}", "type": "string", "default": ""})
    elif kind == 1:
        fields.append({"name": f"optional_r{r}", "type": ["null", "long"], "default": None})
    elif kind == 2 and any(f["type"] == "int" for f in fields):
        next(f for f in fields if f["type"] == "int")["type"] = "long"
    else:
        schema["doc"] = f"{schema.get('doc', '')} (revised in r{r})"


def breaking_change(schema, r, kind):
    fields = schema["fields"]
    if kind == 0:
        fields.append({"name": f"required_r{r}", "type": "string"})
    elif kind == 1:
        next(f for f in fields if f["name"] == "name")["type"] = "int"
    elif kind == 2:
        next(f for f in fields if f["name"] == "tags")["type"]["items"] = "long"
    elif kind == 3:
        fields[1]["name"] = f"renamed_r{r}"
    else:
        next(f for f in fields if f["name"] == "amount")["type"] = "string"


def drop_an_older_default(records, r):
    """Drops the default of a field that an earlier revision added to some record: base (which
    has the field) still reads fine; the revisions before the field was added do not. Returns
    whether there was such a field."""
    for i in sorted(records):
        for field in records[i]["fields"]:
            if field["name"].startswith("added_r") and field["name"] != f"added_r{r}" and "default" in field:
                del field["default"]
                return True
    return False


def generate(files, rev, breaking):
    n_shared = files // 5
    shared = [shared_type(i) for i in range(n_shared)]
    records = {i: record(i, shared) for i in range(n_shared, files)}
    for r in range(1, rev + 1):
        rng = random.Random(r)
        chosen = sorted(rng.sample(sorted(records), CHANGED_PER_REVISION))
        for k, i in enumerate(chosen):
            last_breaking = breaking and r == rev and k == CHANGED_PER_REVISION - 1
            if last_breaking and drop_an_older_default(records, r):
                continue
            if breaking and r == rev and k % 2 == 1:
                breaking_change(records[i], r, (k // 2) % 5)
            else:
                compatible_change(records[i], r, rng.randrange(4))
    out = {}
    for i, schema in enumerate(shared):
        out[f"schemas/d{i % 10:02d}/shared_{i:04d}.avsc"] = schema
    for i, schema in records.items():
        out[f"schemas/d{i % 10:02d}/entity_{i:04d}.avsc"] = schema
    return out


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("dir")
    parser.add_argument("rev", type=int)
    parser.add_argument("--breaking", action="store_true")
    parser.add_argument("--files", type=int, default=1000)
    args = parser.parse_args()
    for path, schema in generate(args.files, args.rev, args.breaking).items():
        full = os.path.join(args.dir, path)
        os.makedirs(os.path.dirname(full), exist_ok=True)
        text = json.dumps(schema, indent=2) + "\n"
        # Unchanged files keep their bytes (and mtime), as in a real repository.
        try:
            with open(full) as f:
                if f.read() == text:
                    continue
        except FileNotFoundError:
            pass
        with open(full, "w") as f:
            f.write(text)
    # Names resolve within a scope, by default one folder; the shared types cross folders.
    with open(os.path.join(args.dir, "contractdiff.toml"), "w") as f:
        f.write('[[contracts]]\npath = "schemas/**/*.avsc"\n')


if __name__ == "__main__":
    main()
