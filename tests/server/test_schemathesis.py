"""Schemathesis (4.x) over every operation of the spec, every check, against the server under uvicorn.

Runs the CLI (`schemathesis run`: examples, coverage, fuzzing and stateful phases) in a subprocess against a
fresh in-memory server started in this process, authenticated with a `"*"` key. Bounded by
`SCHEMATHESIS_MAX_EXAMPLES` (default 15) so the whole run stays well under two minutes;
`SCHEMATHESIS_SEED` picks the seed (default fixed, for a reproducible CI run).

One adjustment, about how Schemathesis reads this spec rather than about the server:
`positive_data_acceptance` also expects 405 for the three `DELETE` operations on datasets and dataset items:
  the spec documents them as always refused with 405 ("Hard delete of this model is not allowed").
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from posthog_server import Store, create_app

from .conftest import run_server

ROOT = Path(__file__).resolve().parents[2]
SPEC = ROOT / "spec" / "posthog.yaml"
KEY = "phx_schemathesis_all_scopes"

# Every check is enabled (the default of a config file); `--checks all` on the command line would override the
# per-operation settings below.
CONFIG = """
[checks]
enabled = true

[checks.positive_data_acceptance]
expected-statuses = ["2xx", "3xx", "401", "403", "404", "409", "429"]

[[operations]]
include-method = "DELETE"
include-path-regex = "/datasets/|/dataset_items/"
checks.positive_data_acceptance.expected-statuses = ["2xx", "3xx", "401", "403", "404", "405", "409", "429"]
"""


def _schemathesis() -> list[str]:
    script = Path(sys.executable).parent / "schemathesis"
    if script.exists():
        return [str(script)]
    found = shutil.which("schemathesis") or shutil.which("st")
    if found is None:
        pytest.skip("schemathesis is not installed")
    return [found]


def test_schemathesis_all_checks(tmp_path: Path) -> None:
    spec_path = SPEC
    config_path = tmp_path / "schemathesis.toml"
    config_path.write_text(CONFIG, encoding="utf-8")
    max_examples = os.environ.get("SCHEMATHESIS_MAX_EXAMPLES", "15")
    seed = os.environ.get("SCHEMATHESIS_SEED", "20240601")

    store = Store()
    with run_server(create_app(keys={KEY: ["*"]}, store=store), store) as server:
        command = [
            *_schemathesis(),
            "--config-file",
            str(config_path),
            "run",
            str(spec_path),
            "--url",
            server.url,
            "--header",
            f"Authorization: Bearer {KEY}",
            "--phases",
            "examples,coverage,fuzzing,stateful",
            "--max-examples",
            max_examples,
            "--seed",
            seed,
            "--workers",
            "1",
            "--request-timeout",
            "20",
        ]
        started = time.monotonic()
        result = subprocess.run(
            command,
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=600,
            env={**os.environ, "NO_COLOR": "1", "SCHEMATHESIS_TELEMETRY": "false"},
        )
        elapsed = time.monotonic() - started
    output = result.stdout + result.stderr
    print(output[-3000:])
    print(f"schemathesis took {elapsed:.1f}s")
    assert result.returncode == 0, output
    assert "23 selected / 23 total" in output
    assert output.strip() and " failures" not in output.splitlines()[-1]
    assert len(store.rows("datasets")) > 0, "the run created data through the server"
