"""specgen against openapi-python-client (with ruff), side by side, interleaved, medians, as ratios.

Installs openapi-python-client and ruff (pinned below) in a throwaway virtual environment under
benchmarks/.opc-venv (ignored by git; delete it at will), writes the synthetic documents with
benchmarks/synthetic.py, and prints every figure of issue 12:

  cold generate (time, peak RSS): spec/posthog.yaml, Twilio v2010 (../shared/specs), synthetic 1,000 operations
  regenerate after one operation's description changed (ours), against openapi-python-client's cold time
  `check` on an unchanged tree (ours; openapi-python-client has no check)
  growth exponent of the cold time, synthetic 500 -> 1,000 -> 2,000 operations
  `./dev.sh generate` a second time on this checkout

A cold run: a fresh output folder, HOME and XDG_CACHE_HOME pointing at empty folders, the working directory an
empty folder (no pyproject.toml to configure either tool). Every document is converted to JSON once by our
loader, so both tools read the same bytes and the edited copy differs by one description only.
Peak RSS: the largest of the sampled sum over the process tree and the kernel's maximum of any one process.
It prints figures and asserts nothing. Runs share the machine: keep --repeat small.

Usage: .venv/bin/python benchmarks/compare_opc.py [--repeat N] [--quick] [--skip-growth] [--skip-dev-sh]
       [--only posthog|twilio|synthetic ...]
"""

from __future__ import annotations

import argparse
import json
import math
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import synthetic  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
VENV = ROOT / "benchmarks" / ".opc-venv"
PINS = ["openapi-python-client==0.29.1", "ruff==0.17.6"]
TWILIO = ROOT.parent / "shared" / "specs" / "big_twilio_api_v2010.yaml"
OURS = [sys.executable, "-m", "generator"]


@dataclass(frozen=True)
class Run:
    seconds: float
    peak_mib: float


def _opc_venv() -> Path:
    stamp = VENV / "pins.txt"
    if not (stamp.is_file() and stamp.read_text() == "\n".join(PINS)):
        print(f"installing {', '.join(PINS)} into {VENV} ...", flush=True)
        shutil.rmtree(VENV, ignore_errors=True)
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
        pip = [str(VENV / "bin" / "python"), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
        subprocess.run([*pip, *PINS], check=True)
        stamp.write_text("\n".join(PINS))
    return VENV / "bin"


def _tree_rss(root: int) -> int:
    """Resident KiB of `root` and all its descendants, from /proc."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", "rb") as stat:
                fields = stat.read().rsplit(b")", 1)[1].split()
        except OSError:
            continue
        pid, ppid = int(entry.name), int(fields[1])
        children.setdefault(ppid, []).append(pid)
        rss[pid] = int(fields[21]) * os.sysconf("SC_PAGE_SIZE") // 1024
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        total += rss.get(pid, 0)
        todo.extend(children.get(pid, []))
    return total


def timed(argv: list[str], cwd: Path, env: dict[str, str]) -> Run:
    """Wall time and peak RSS of one command, which must succeed."""
    started = time.perf_counter()
    process = subprocess.Popen(argv, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    sampled = [0]
    done = threading.Event()

    def sample() -> None:
        while not done.wait(0.1):
            sampled[0] = max(sampled[0], _tree_rss(process.pid))

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    assert process.stderr is not None
    errors = process.stderr.read()
    _pid, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    done.set()
    sampler.join()
    if process.returncode != 0:
        raise SystemExit(f"{' '.join(argv)} failed ({process.returncode}):\n{errors.decode(errors='replace')[-3000:]}")
    return Run(elapsed, max(sampled[0], usage.ru_maxrss) / 1024)


class Bench:
    def __init__(self, scratch: Path, opc_bin: Path) -> None:
        self.scratch, self.opc_bin, self.count = scratch, opc_bin, 0

    def _fresh(self, name: str) -> tuple[Path, dict[str, str]]:
        """An empty working folder and an environment whose HOME and cache folders are empty."""
        self.count += 1
        folder = self.scratch / f"{self.count:03d}-{name}"
        (folder / "home").mkdir(parents=True)
        env = dict(os.environ, HOME=str(folder / "home"), XDG_CACHE_HOME=str(folder / "home" / ".cache"))
        env["PATH"] = f"{self.opc_bin}{os.pathsep}{env.get('PATH', '')}"
        env["PYTHONPATH"] = str(ROOT)
        # Both tools run from bytecode, as installed tools do (pip compiles what it installs): a shell's
        # PYTHONDONTWRITEBYTECODE would have ours compile every module on every run, and opc not.
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        (folder / "work").mkdir()
        return folder, env

    def ours_cold(self, spec: Path) -> Run:
        folder, env = self._fresh("ours")
        return timed(
            [*OURS, "generate", "--lenient", "--spec", str(spec), "--out", str(folder / "out")], folder / "work", env
        )

    def opc_cold(self, spec: Path) -> Run:
        folder, env = self._fresh("opc")
        argv = [str(self.opc_bin / "openapi-python-client"), "generate", "--path", str(spec)]
        return timed([*argv, "--output-path", str(folder / "out"), "--overwrite"], folder / "work", env)

    def ours_again(self, spec: Path, edited: Path) -> tuple[Run, Run]:
        """Regenerate after one description changed in the document's file, as a user edits it, then `check` on
        the unchanged tree; the first, cold run (which fills the cache) is not counted."""
        folder, env = self._fresh("ours-again")
        document = folder / "work" / spec.name
        shutil.copyfile(spec, document)
        out = ["--lenient", "--spec", str(document), "--out", str(folder / "out")]
        timed([*OURS, "generate", *out], folder / "work", env)
        shutil.copyfile(edited, document)
        regenerate = timed([*OURS, "generate", *out], folder / "work", env)
        check = timed([*OURS, "check", *out], folder / "work", env)
        return regenerate, check


def as_json(source: Path, target: Path) -> tuple[Path, Path]:
    """The document as JSON (read by our loader: YAML 1.2 scalars), and a copy whose first operation's
    description is changed."""
    from generator.load import load_document

    data = load_document(str(source)).data
    target.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
    for item in data.get("paths", {}).values():
        operation = next((item[m] for m in ("get", "put", "post", "delete", "patch") if m in item), None)
        if operation is not None:
            operation["description"] = (operation.get("description") or "") + " (edited for the benchmark)"
            break
    edited = target.with_name(target.stem + "-edited.json")
    edited.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
    return target, edited


def median(runs: list[Run]) -> Run:
    return Run(statistics.median(r.seconds for r in runs), statistics.median(r.peak_mib for r in runs))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=3, help="runs of each measurement (medians; default 3)")
    parser.add_argument("--quick", action="store_true", help="one run each (same as --repeat 1)")
    parser.add_argument("--skip-growth", action="store_true", help="no 500 and 2,000 operation documents")
    parser.add_argument("--skip-dev-sh", action="store_true", help="do not time ./dev.sh generate")
    parser.add_argument(
        "--only", choices=("posthog", "twilio", "synthetic"), action="append", help="only these documents"
    )
    args = parser.parse_args()
    repeat = 1 if args.quick else max(1, args.repeat)
    opc_bin = _opc_venv()
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "generator")], check=True)
    with tempfile.TemporaryDirectory(prefix="specgen-bench-") as scratch_name:
        scratch = Path(scratch_name)
        only = set(args.only or ("posthog", "twilio", "synthetic"))
        docs: dict[str, tuple[Path, Path]] = {}
        if "posthog" in only:
            docs["posthog"] = as_json(ROOT / "spec" / "posthog.yaml", scratch / "posthog.json")
        if "twilio" in only and TWILIO.is_file():
            docs["twilio"] = as_json(TWILIO, scratch / "twilio.json")
        sizes = [] if "synthetic" not in only else [1000] if args.skip_growth else [500, 1000, 2000]
        for size in sizes:
            source = synthetic.write(size, scratch / f"synthetic-{size}-source.json")
            docs[f"synthetic {size}"] = as_json(source, scratch / f"synthetic-{size}.json")
        bench = Bench(scratch, opc_bin)
        cold: dict[str, dict[str, list[Run]]] = {name: {"ours": [], "opc": []} for name in docs}
        again: dict[str, dict[str, list[Run]]] = {name: {"regenerate": [], "check": []} for name in docs}
        for round_ in range(repeat):
            for name, (spec, edited) in docs.items():
                order = ("ours", "opc") if round_ % 2 == 0 else ("opc", "ours")
                for tool in order:
                    run = bench.ours_cold(spec) if tool == "ours" else bench.opc_cold(spec)
                    cold[name][tool].append(run)
                    print(
                        f"  round {round_ + 1}/{repeat} {name} {tool} cold: {run.seconds:.2f} s, {run.peak_mib:.0f} MiB",
                        flush=True,
                    )
                if not name.startswith("synthetic") or name == "synthetic 1000":
                    regenerate, check = bench.ours_again(spec, edited)
                    again[name]["regenerate"].append(regenerate)
                    again[name]["check"].append(check)
                    print(
                        f"  round {round_ + 1}/{repeat} {name} ours regenerate {regenerate.seconds:.2f} s, check {check.seconds:.2f} s",
                        flush=True,
                    )
                for leftover in scratch.glob("[0-9][0-9][0-9]-*"):
                    shutil.rmtree(leftover, ignore_errors=True)
        _report(cold, again, sizes, repeat)
    if not args.skip_dev_sh:
        _dev_sh(repeat)


def _report(
    cold: dict[str, dict[str, list[Run]]], again: dict[str, dict[str, list[Run]]], sizes: list[int], repeat: int
) -> None:
    print(
        f"\nmedians of {repeat} interleaved run(s); opc = openapi-python-client {PINS[0].split('==')[1]} + ruff {PINS[1].split('==')[1]}"
    )
    print(f"{'document':<16} {'ours cold':>18} {'opc cold':>18} {'time ratio':>10} {'RSS ratio':>9}")
    for name, runs in cold.items():
        ours, opc = median(runs["ours"]), median(runs["opc"])
        print(
            f"{name:<16} {ours.seconds:>7.2f} s {ours.peak_mib:>5.0f} MiB {opc.seconds:>7.2f} s {opc.peak_mib:>5.0f} MiB "
            f"{ours.seconds / opc.seconds:>9.2f}x {ours.peak_mib / opc.peak_mib:>8.2f}x"
        )
    print(f"\n{'document':<16} {'ours regenerate':>16} {'/ opc cold':>10} {'ours check':>11}")
    for name, runs in again.items():
        if not runs["regenerate"]:
            continue
        regenerate, check = median(runs["regenerate"]), median(runs["check"])
        opc = median(cold[name]["opc"])
        print(
            f"{name:<16} {regenerate.seconds:>14.2f} s {regenerate.seconds / opc.seconds:>9.2f}x {check.seconds:>9.2f} s"
        )
    if len(sizes) == 3:
        print("\ngrowth exponent of the cold time (log2 of the time ratio when the operations double)")
        for tool in ("ours", "opc"):
            times = [median(cold[f"synthetic {size}"][tool]).seconds for size in sizes]
            steps = [math.log(b / a, 2) for a, b in zip(times, times[1:])]
            overall = math.log(times[-1] / times[0], 4)
            shown = ", ".join(f"{a}->{b}: {s:.2f}" for a, b, s in zip(sizes, sizes[1:], steps))
            print(f"  {tool:<5} {shown}; {sizes[0]}->{sizes[-1]}: {overall:.2f}")


def _dev_sh(repeat: int) -> None:
    """./dev.sh generate on this checkout: once to install if needed, then timed (an unchanged clone)."""
    subprocess.run([str(ROOT / "dev.sh"), "generate"], cwd=ROOT, check=True, capture_output=True)
    runs = [timed([str(ROOT / "dev.sh"), "generate"], ROOT, dict(os.environ)) for _ in range(repeat)]
    print(f"\n./dev.sh generate a second time: {median(runs).seconds:.2f} s (median of {repeat})")


if __name__ == "__main__":
    main()
