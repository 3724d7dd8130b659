"""Real third-party documents (../shared/specs): each generates code that parses, imports, type-checks and runs."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from generator.pipeline import generate_files
from generator.write import write_tree

SPECS = Path(__file__).resolve().parent.parent.parent / "shared" / "specs"
SMALL = sorted(p.name for p in SPECS.glob("*") if p.suffix in (".yaml", ".json") and not p.name.startswith("big_")) if SPECS.is_dir() else []
pytestmark = pytest.mark.skipif(not SMALL, reason="../shared/specs is not beside this checkout")

SMOKE = """
import importlib, sys
client = importlib.import_module(sys.argv[1] + ".client")
server = importlib.import_module(sys.argv[2] + ".app")
for name in dir(client):
    if name.endswith("Client") and not name.startswith("_"):
        getattr(client, name)(api_key="k", host="http://127.0.0.1:9").close() if not name.startswith("Async") else None
app = server.create_app(keys={"k": ["*"]})
print(len(app.routes))
"""


def _generate(spec: str, out: Path) -> tuple[str, str]:
    api, files, _warnings = generate_files(str(SPECS / spec), lenient=True)
    write_tree(out, files)
    for path, text in files.items():
        if path.endswith(".py"):
            compile(text, path, "exec")
    return api.client_package, api.server_package


@pytest.mark.parametrize("spec", SMALL)
def test_generates_imports_and_runs(spec: str, tmp_path: Path) -> None:
    client, server = _generate(spec, tmp_path)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(tmp_path / "client"), str(tmp_path / "server")])}
    result = subprocess.run([sys.executable, "-c", SMOKE, client, server], capture_output=True, text=True, env=env, cwd=tmp_path)
    assert result.returncode == 0, result.stderr[-3000:]
    assert int(result.stdout.split()[-1]) >= 1


def test_generated_code_type_checks(tmp_path: Path) -> None:
    """mypy --strict over every small document's output; documents sharing a title go in separate runs."""
    batches: list[dict[str, Path]] = [{}]
    for spec in SMALL:
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
            [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "--cache-dir", str(tmp_path / ".mypy"), *map(str, batch.values())],
            capture_output=True, text=True, cwd=tmp_path,
        )
        assert result.returncode == 0, result.stdout[-6000:]
