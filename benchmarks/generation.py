"""Generation time and output size per stage, for the curated spec and the real documents beside the checkout.

Prints figures; asserts nothing (speed is judged from these numbers, not by timed tests).
Usage: .venv/bin/python benchmarks/generation.py [SPEC ...]
"""

from __future__ import annotations

import resource
import sys
import tempfile
import time
from pathlib import Path

from generator.diff import history
from generator.diff.compare import compare
from generator.diff.surface import surface

from generator.format import format_files
from generator.python.build import build_api
from generator.pipeline import load_valid
from generator.render import copied_outputs, render

ROOT = Path(__file__).resolve().parent.parent
DEFAULT = [ROOT / "spec" / "posthog.yaml", ROOT.parent / "shared" / "specs" / "big_twilio_api_v2010.yaml"]


def measure(spec: Path) -> None:
    started = time.perf_counter()
    doc, _warnings = load_valid(str(spec), lenient=True)
    loaded = time.perf_counter()
    api = build_api(doc.data, spec.name)
    modelled = time.perf_counter()
    files = render(api)
    rendered = time.perf_counter()
    formatted = format_files(files, verbatim=copied_outputs(api))
    formatted_at = time.perf_counter()
    with tempfile.TemporaryDirectory() as scratch:  # a first generation: the record written, nothing to compare
        history.record(Path(scratch), doc.data, surface(api), formatted, spec.name, {"client": "c", "server": "s"})
    recorded = time.perf_counter()
    compare(doc.data, doc.data, spec.name, spec.name, surface(api), surface(api))  # what a regeneration compares
    done = time.perf_counter()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    copied = copied_outputs(api)
    lines = sum(text.count("\n") for path, text in formatted.items() if path.endswith(".py") and path not in copied)
    operations = sum(len(r.operations) for r in api.resources)
    print(
        f"{spec.name}: {operations} operations, {len(api.models)} models, {lines} generated Python lines (runtimes not counted) | "
        f"load+validate {loaded - started:.2f}s, model {modelled - loaded:.2f}s, render {rendered - modelled:.2f}s, "
        f"black {formatted_at - rendered:.2f}s, record {recorded - formatted_at:.2f}s, compare with the record "
        f"{done - recorded:.2f}s, total {done - started:.2f}s | peak RSS so far {peak / 2**20:.0f} MiB"
    )


if __name__ == "__main__":
    for path in [Path(p) for p in sys.argv[1:]] or [p for p in DEFAULT if p.exists()]:
        measure(path)
