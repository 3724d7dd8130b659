"""How fast a cold run could be while black formats our output: black's time on output that is already formatted.

For each document, generates the output (in this process, no cache), cuts every formatted per-document module
into the pieces the format stage gives black (format_split.py), and times black on each distinct piece, one
process. Already formatted text is black's cheapest input (one pass, nothing to split), so this is a floor for the
format stage of a cold run: no emission, however exact, makes black faster. Beside it, openapi-python-client's
whole cold run on the same document (compare_opc.py's environment and measurement). Prints figures, asserts
nothing.

Usage: .venv/bin/python benchmarks/black_floor.py [--repeat N] [--only posthog|twilio|synthetic ...]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import compare_opc  # noqa: E402
import synthetic  # noqa: E402

from generator.format import MODE, cores  # noqa: E402
from generator.format_split import parts  # noqa: E402
from generator.pipeline import generate_files  # noqa: E402


def black_seconds(spec: Path) -> tuple[int, int, float]:
    """(lines, distinct pieces, black's CPU seconds) over the formatted per-document modules (not the copied
    runtimes, which are not formatted at generation)."""
    import black

    api, files, _warnings = generate_files(str(spec))
    copied = (f"{api.client_package}/_runtime/", f"{api.server_package}/_runtime/", f"{api.server_package}/_memory/")
    pieces: dict[str, None] = {}
    lines = 0
    for path, text in files.items():
        if path.endswith(".py") and not any(folder in path for folder in copied):
            lines += text.count("\n")
            pieces.update((piece, None) for part in parts(text) for piece in part)
    started = time.process_time()
    for piece in pieces:
        black.format_str(piece, mode=MODE)
    return lines, len(pieces), time.process_time() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=3, help="openapi-python-client runs per document (median)")
    parser.add_argument("--only", choices=("posthog", "twilio", "synthetic"), action="append")
    args = parser.parse_args()
    only = set(args.only or ("posthog", "twilio", "synthetic"))
    opc_bin = compare_opc._opc_venv()
    with tempfile.TemporaryDirectory(prefix="specgen-floor-") as scratch_name:
        scratch = Path(scratch_name)
        docs: dict[str, Path] = {}
        if "posthog" in only:
            docs["posthog"] = compare_opc.as_json(compare_opc.ROOT / "spec" / "posthog.yaml", scratch / "posthog.json")[0]
        if "twilio" in only and compare_opc.TWILIO.is_file():
            docs["twilio"] = compare_opc.as_json(compare_opc.TWILIO, scratch / "twilio.json")[0]
        if "synthetic" in only:
            source = synthetic.write(1000, scratch / "synthetic-1000-source.json")
            docs["synthetic 1000"] = compare_opc.as_json(source, scratch / "synthetic-1000.json")[0]
        bench = compare_opc.Bench(scratch, opc_bin)
        print(f"black on our output already formatted, one process; {cores()} cores here")
        print(f"{'document':16} {'lines':>7} {'pieces':>7} {'black CPU':>10} {'/ cores':>8} {'opc cold':>9} {'floor/opc':>9}")
        for name, spec in docs.items():
            lines, count, seconds = black_seconds(spec)
            opc = statistics.median(bench.opc_cold(spec).seconds for _ in range(max(1, args.repeat)))
            best = seconds / cores()
            print(f"{name:16} {lines:7d} {count:7d} {seconds:9.2f}s {best:7.2f}s {opc:8.2f}s {best / opc:8.2f}x")


if __name__ == "__main__":
    main()
