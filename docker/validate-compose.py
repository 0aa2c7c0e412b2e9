#!/usr/bin/env python3
"""Checks docker-compose files where the `docker compose` plugin is missing (it is on the machines that built
these manifests): YAML syntax, Compose interpolation (${VAR}, ${VAR:-default}, $$), the override merge, and the
result against the Compose Specification's JSON schema (compose-spec/compose-spec, schema/compose-spec.json).

    python3 docker/validate-compose.py SCHEMA.json docker-compose.yml [docker-compose.gpu.yml ...]

Needs PyYAML and jsonschema. `docker compose -f ... config` remains the reference check where it exists.
"""
import copy
import json
import os
import re
import sys

import jsonschema
import yaml

VAR = re.compile(r"\$(\$|\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?\})")


def interpolate(value):
    if isinstance(value, dict):
        return {k: interpolate(v) for k, v in value.items()}
    if isinstance(value, list):
        return [interpolate(v) for v in value]
    if not isinstance(value, str):
        return value

    def replace(match):
        if match.group(1) == "$":
            return "$"
        name, op, default = match.group(2), match.group(3), match.group(4)
        current = os.environ.get(name)
        if op in (":-",):
            return current if current else default
        if op == "-":
            return current if current is not None else default
        if op in (":?", "?"):
            if not current:
                raise SystemExit(f"required variable {name} is not set: {default}")
            return current
        return current or ""

    return VAR.sub(replace, value)


def merge(base, override):
    """Compose's merge, close enough for validation: mappings merge, anything else is replaced."""
    if isinstance(base, dict) and isinstance(override, dict):
        out = dict(base)
        for key, value in override.items():
            out[key] = merge(base[key], value) if key in base else value
        return out
    return copy.deepcopy(override)


def main(argv):
    schema = json.load(open(argv[1]))
    model = {}
    for path in argv[2:]:
        document = yaml.safe_load(open(path))
        model = merge(model, document)
        print(f"parsed {path}")
    model = interpolate(model)
    # Extension fields (x-*) are allowed by the schema; drop them to keep the printout short.
    model = {k: v for k, v in model.items() if not k.startswith("x-")}
    errors = sorted(jsonschema.Draft7Validator(schema).iter_errors(model), key=lambda e: list(e.path))
    for error in errors:
        print("ERROR", "/".join(map(str, error.path)), error.message)
    services = model.get("services", {})
    for name, service in services.items():
        for dependency in (service.get("depends_on") or {}):
            if dependency not in services:
                errors.append(dependency)
                print(f"ERROR services/{name}/depends_on: unknown service {dependency}")
    for name, service in services.items():
        for volume in service.get("volumes", []):
            source = volume.split(":")[0] if isinstance(volume, str) else volume.get("source")
            if source and not source.startswith((".", "/")) and source not in (model.get("volumes") or {}):
                errors.append(source)
                print(f"ERROR services/{name}/volumes: undeclared volume {source}")
    if errors:
        return 1
    print(f"OK: {len(services)} services valid against the Compose schema: {', '.join(services)}")
    if "--print" in os.environ.get("VALIDATE_COMPOSE_FLAGS", ""):
        print(yaml.safe_dump(model, sort_keys=False))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
