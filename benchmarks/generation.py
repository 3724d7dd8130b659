"""Generation time and output size per stage, for the curated spec and the real documents beside the checkout.

Prints figures; asserts nothing (speed is judged from these numbers, not by timed tests).
Usage: .venv/bin/python benchmarks/generation.py [SPEC ...]
"""

from __future__ import annotations

import resource
import sys
import time
from pathlib import Path

from generator.format import format_files
from generator.model.build import build_api
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
    done = time.perf_counter()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    copied = copied_outputs(api)
    lines = sum(text.count("\n") for path, text in formatted.items() if path.endswith(".py") and path not in copied)
    operations = sum(len(r.operations) for r in api.resources)
    print(
        f"{spec.name}: {operations} operations, {len(api.models)} models, {lines} generated Python lines (runtimes not counted) | "
        f"load+validate {loaded - started:.2f}s, model {modelled - loaded:.2f}s, render {rendered - modelled:.2f}s, "
        f"black {done - rendered:.2f}s, total {done - started:.2f}s | peak RSS so far {peak / 2**20:.0f} MiB"
    )


if __name__ == "__main__":
    for path in [Path(p) for p in sys.argv[1:]] or [p for p in DEFAULT if p.exists()]:
        measure(path)
