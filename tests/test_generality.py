"""Real third-party documents (../shared/specs): each generates with default flags code that parses, imports,
type-checks, and whose server answers every operation in process: no 5xx to a minimal valid request, but 501 from
an operation the in-memory fake cannot serve (that is its designed answer, warned about at generation)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from generator.load import load_document
from generator.pipeline import generate_files
from generator.refs import check_refs, deref
from generator.rules import operations
from generator.write import write_tree

SPECS = Path(__file__).resolve().parent.parent.parent / "shared" / "specs"
DOCUMENTS = sorted(p.name for p in SPECS.glob("*") if p.suffix in (".yaml", ".json")) if SPECS.is_dir() else []
pytestmark = pytest.mark.skipif(not DOCUMENTS, reason="../shared/specs is not beside this checkout")


# Imports both packages, makes each client, then sends the server (in process) one request per operation, read
# from stdin; prints the route count and the answers that were 5xx (but 501: an operation the fake cannot serve).
SMOKE = """
import importlib, json, sys
from fastapi.testclient import TestClient
client = importlib.import_module(sys.argv[1] + ".client")
server = importlib.import_module(sys.argv[2] + ".app")
for name in dir(client):
    if name.endswith("Client") and not name.startswith("_"):
        getattr(client, name)(api_key="k", host="http://127.0.0.1:9").close() if not name.startswith("Async") else None
app = server.create_app(keys={"k": ["*"]})
http = TestClient(app, raise_server_exceptions=False)
failed = []
for method, path, query, body in json.loads(sys.stdin.read()):
    sent = {"json": body} if body is not None else {}
    reply = http.request(method, path, params=query, headers={"Authorization": "Bearer k"}, **sent)
    if reply.status_code >= 500 and reply.status_code != 501:
        failed.append(f"{method.upper()} {path}: {reply.status_code} {reply.text[:300]}")
print(len(app.routes))
print(json.dumps(failed))
"""


def _generate(spec: str, out: Path) -> tuple[str, str]:
    api, files, _warnings = generate_files(str(SPECS / spec))  # default flags: what a new user runs
    write_tree(out, files)
    for path, text in files.items():
        if path.endswith(".py"):
            compile(text, path, "exec")
    return api.client_package, api.server_package


@pytest.mark.parametrize("spec", DOCUMENTS)
def test_generates_imports_and_runs(spec: str, tmp_path: Path) -> None:
    client, server = _generate(spec, tmp_path)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(tmp_path / "client"), str(tmp_path / "server")])}
    requests = json.dumps(_minimal_requests(spec))
    result = subprocess.run(
        [sys.executable, "-c", SMOKE, client, server], input=requests, capture_output=True, text=True, env=env, cwd=tmp_path
    )
    assert result.returncode == 0, result.stderr[-3000:]
    routes, failed = result.stdout.splitlines()[-2:]
    assert int(routes) >= 1
    assert json.loads(failed) == [], failed  # no 5xx but 501 (an operation the fake says it cannot serve)


def _minimal_requests(spec: str) -> list[tuple[str, str, dict[str, object], object]]:
    """One request per operation: path and required query parameters, and a body with only the required fields."""
    data = check_refs(load_document(str(SPECS / spec))).data
    requests = []
    for _pointer, path, method, item, operation in operations(data):
        params = [deref(data, p) for p in [*item.get("parameters", []), *operation.get("parameters", [])]]
        values = {p["name"]: _value(data, p.get("schema", {}), 0) for p in params if isinstance(p, dict) and "name" in p}
        for name, value in values.items():
            path = path.replace("{" + name + "}", str(value))
        query = {p["name"]: values[p["name"]] for p in params if p.get("in") == "query" and p.get("required")}
        body = deref(data, operation.get("requestBody", {}))
        media = body.get("content", {}).get("application/json") if isinstance(body, dict) else None
        payload = _value(data, media.get("schema", {}), 0) if isinstance(media, dict) and body.get("required") else None
        requests.append((method, path, query, payload))
    return requests


def _value(data: object, schema: object, depth: int) -> object:
    """The smallest value a schema accepts, as far as these documents need (required fields only)."""
    schema = deref(data, schema)
    if not isinstance(schema, dict) or depth > 8:
        return "1"
    if "enum" in schema and schema["enum"]:
        return schema["enum"][0]
    if "const" in schema:
        return schema["const"]
    for key in ("allOf", "oneOf", "anyOf"):
        if isinstance(schema.get(key), list) and schema[key]:
            if key != "allOf":
                return _value(data, schema[key][0], depth + 1)
            merged: dict[str, object] = {}
            for part in schema[key]:
                value = _value(data, part, depth + 1)
                merged.update(value if isinstance(value, dict) else {})
            return merged
    kind = schema.get("type")
    kind = next((k for k in kind if k != "null"), "string") if isinstance(kind, list) else kind
    if kind == "object" or "properties" in schema:
        props = schema.get("properties", {})
        return {name: _value(data, props.get(name, {}), depth + 1) for name in schema.get("required", [])}
    if kind == "array":
        return []
    if kind in ("integer", "number"):
        return max(1, schema.get("minimum", 1))
    if kind == "boolean":
        return True
    formats = {"date-time": "2024-01-01T00:00:00Z", "date": "2024-01-01", "uuid": "00000000-0000-4000-8000-000000000001", "email": "a@b.co", "uri": "https://example.com"}
    return formats.get(schema.get("format"), "1")


def test_generated_code_type_checks(tmp_path: Path, mypy_cache: Path) -> None:
    """mypy --strict over every document's output; documents sharing a title go in separate runs."""
    batches: list[dict[str, Path]] = [{}]
    for spec in DOCUMENTS:
        out = tmp_path / spec.replace(".", "_")
        client, server = _generate(spec, out)
        batch = next((b for b in batches if client not in b), None)
        if batch is None:
            batch = {}
            batches.append(batch)
        batch[client] = out / "client" / client
        batch[server] = out / "server" / server
    for batch in batches:
        result = subprocess.run(
            [sys.executable, "-m", "mypy", "--strict", "--cache-dir", str(mypy_cache), *map(str, batch.values())],
            capture_output=True, text=True, cwd=tmp_path,
        )
        assert result.returncode == 0, result.stdout[-6000:]
