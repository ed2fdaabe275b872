#!/usr/bin/env python3
"""Generate the cases of contract.comparison-incomplete under tests/cases/core/. Run from the
crate root:

    python3 tests/cases/gen/walk_limits.py

Both are a request body reached through a chain of `$ref`s, `L0` -> `L1` -> ... (one schema level
per ref), with the type of `id` at the bottom changed from integer to string:

- fires/: 130 levels. The walk follows 128 (src/formats/jsonschema/limits.rs `MAX_NESTING`) and
  stops at L128: the change is past the limit, so the run reports that it stopped there.
- near-miss/: 100 levels, within the limit: the type change itself is reported
  (openapi.request.type-changed), and nothing says the comparison is incomplete.
"""
import os

ROOT = "tests/cases/core/contract.comparison-incomplete"


def spec(levels, id_type):
    lines = [
        "openapi: 3.0.3",
        "info: {title: chain, version: 1.0.0}",
        "paths:",
        "  /pets:",
        "    post:",
        "      requestBody:",
        "        content:",
        "          application/json:",
        "            schema: {$ref: '#/components/schemas/L0'}",
        "      responses:",
        "        '204': {description: done}",
        "components:",
        "  schemas:",
    ]
    for k in range(levels - 1):
        lines.append(f"    L{k}: {{type: object, properties: {{next: {{$ref: '#/components/schemas/L{k + 1}'}}}}}}")
    lines.append(f"    L{levels - 1}: {{type: object, properties: {{id: {{type: {id_type}}}}}}}")
    return "\n".join(lines) + "\n"


for case, levels in [("fires", 130), ("near-miss", 100)]:
    folder = os.path.join(ROOT, case)
    os.makedirs(folder, exist_ok=True)
    for side, id_type in [("base", "integer"), ("head", "string")]:
        with open(os.path.join(folder, f"{side}.yaml"), "w") as f:
            f.write(spec(levels, id_type))
