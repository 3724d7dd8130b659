"""Nothing lost: a generation that fails, is interrupted (Ctrl-C) or killed (kill -9) midway leaves the
previous output folder exactly as it was (byte-identical tree), and the next run cleans up after it.

The child process runs the real CLI with one function wrapped to announce a chosen moment (a file
appears) and then wait, so the parent can signal it there, deterministically.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from hostile.harness import HOSTILE, ROOT, tree_snapshot  # noqa: E402

OLD_SPEC = HOSTILE / "recursive_ok.yaml"
NEW_SPEC = HOSTILE / "inject_values.yaml"

# argv: ready-file, moment, then the CLI arguments. Moments:
#   write:N     after the Nth file written into the staging tree
#   exchange    just before the staging tree and the output folder are swapped
#   swapped     just after the swap, before the old tree (now aside) is removed
#   fallback    in the rename-based swap (no renameat2), between its two renames
#   none        no pause: a plain run
_CHILD = r"""
import os, pathlib, shutil, sys, time
from generator import write
from generator.cli import main

ready, moment = sys.argv[1], sys.argv[2]

# black is layout only and costs seconds per run; every run in this module skips it, so trees compare.
# Its stand-in's output must never be taken for black's by a later run: no format cache, no reuse.
import black
black.format_str = lambda src_contents, *, mode: src_contents
sys.argv.append("--no-cache")

def pause():
    pathlib.Path(ready).write_text("ready")
    time.sleep(120)

if moment.startswith("write:"):
    limit, seen = int(moment.split(":")[1]), []
    original_write = pathlib.Path.write_bytes
    def write_bytes(self, data):
        result = original_write(self, data)
        seen.append(self)
        if len(seen) == limit:
            pause()
        return result
    pathlib.Path.write_bytes = write_bytes
elif moment == "exchange":
    original_exchange = write._exchange
    def exchange(a, b):
        pause()
        return original_exchange(a, b)
    write._exchange = exchange
elif moment == "swapped":
    original_rmtree = shutil.rmtree
    def rmtree(path, *args, **kwargs):
        if ".tmp-" in str(path) and not kwargs.get("ignore_errors"):
            pause()
        return original_rmtree(path, *args, **kwargs)
    shutil.rmtree = rmtree
elif moment == "fallback":
    write._exchange = lambda a, b: False
    original_rename, renames = os.rename, []
    def rename(a, b):
        original_rename(a, b)
        renames.append(b)
        if ".old-" in str(b):
            pause()
    os.rename = rename
sys.exit(main(sys.argv[3:]))
"""


def _generate(spec: Path, out: Path) -> None:
    """A plain run (same child, no pause)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    result = subprocess.run(
        [sys.executable, "-c", _CHILD, str(out.parent / "unused"), "none", "generate", "--spec", str(spec), "--out", str(out)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stderr


@pytest.fixture(scope="module")
def previous(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, bytes | str]]:
    """A folder generated from OLD_SPEC, plus a file of the user's own (carried over by design)."""
    base = tmp_path_factory.mktemp("previous")
    out = base / "out"
    _generate(OLD_SPEC, out)
    (out / "client" / "notes.txt").write_text("the user's own file\n")
    return out, tree_snapshot(out)


@pytest.fixture(scope="module")
def expected_new(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes | str]:
    """What a finished run over the previous output leaves: the same history (its record, each project's
    changelog entry for OLD_SPEC -> NEW_SPEC) as the interrupted runs."""
    out = tmp_path_factory.mktemp("expected") / "out"
    _generate(OLD_SPEC, out)
    _generate(NEW_SPEC, out)
    return tree_snapshot(out)


@pytest.fixture
def out(previous: tuple[Path, dict[str, bytes | str]], tmp_path: Path) -> Path:
    """A private copy of the previous output (copied file by file, so byte-identical)."""
    import shutil

    target = tmp_path / "out"
    shutil.copytree(previous[0], target, symlinks=True)
    assert tree_snapshot(target) == previous[1]
    return target


def _start(out: Path, moment: str, spec: Path = NEW_SPEC) -> tuple[subprocess.Popen[str], Path]:
    ready = out.parent / "ready"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    child = subprocess.Popen(
        [sys.executable, "-c", _CHILD, str(ready), moment, "generate", "--spec", str(spec), "--out", str(out)],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    deadline = time.monotonic() + 60
    while not ready.exists():
        if child.poll() is not None:
            raise AssertionError(f"child ended before the moment {moment}: {child.stderr.read() if child.stderr else ''}")
        if time.monotonic() > deadline:
            child.kill()
            raise AssertionError(f"child never reached the moment {moment}")
        time.sleep(0.02)
    return child, ready


def _stop(child: subprocess.Popen[str], sig: signal.Signals) -> tuple[int, str]:
    child.send_signal(sig)
    _, stderr = child.communicate(timeout=30)
    return child.returncode, stderr


def _leftovers(out: Path) -> list[str]:
    return sorted(p.name for p in out.parent.iterdir() if p.name.startswith(f".{out.name}."))


@pytest.mark.parametrize("moment", ["write:8", "exchange"])
def test_kill_9_before_the_swap_leaves_the_previous_output(out: Path, previous: tuple, moment: str) -> None:
    child, _ = _start(out, moment)
    code, _ = _stop(child, signal.SIGKILL)
    assert code == -signal.SIGKILL
    assert tree_snapshot(out) == previous[1]
    if moment == "exchange":
        # The next run finishes the job and removes what the killed one left beside the folder.
        _generate(NEW_SPEC, out)
        assert _leftovers(out) == []
        assert (out / "client" / "notes.txt").read_text() == "the user's own file\n"


def test_kill_9_after_the_swap_leaves_the_complete_new_output(out: Path, expected_new: dict) -> None:
    child, _ = _start(out, "swapped")
    code, _ = _stop(child, signal.SIGKILL)
    assert code == -signal.SIGKILL
    snapshot = tree_snapshot(out)
    assert snapshot.pop("client/notes.txt") == b"the user's own file\n"
    assert snapshot == expected_new  # all new, never a mix
    assert _leftovers(out)  # the old tree, aside
    _generate(NEW_SPEC, out)
    assert _leftovers(out) == []


def test_kill_9_between_the_fallback_renames_is_recovered(out: Path, previous: tuple) -> None:
    """Without renameat2 the swap is two renames; a kill between them leaves the old tree aside, and the
    next run puts it back before anything else (here a run from the old spec, so the tree must match)."""
    child, _ = _start(out, "fallback")
    code, _ = _stop(child, signal.SIGKILL)
    assert code == -signal.SIGKILL
    assert not out.exists() and any(".old-" in name for name in _leftovers(out))
    _generate(OLD_SPEC, out)
    assert tree_snapshot(out) == previous[1]
    assert _leftovers(out) == []


@pytest.mark.parametrize("moment", ["write:3"])
def test_ctrl_c_leaves_the_previous_output_and_no_litter(out: Path, previous: tuple, moment: str) -> None:
    child, _ = _start(out, moment)
    code, stderr = _stop(child, signal.SIGINT)
    assert code == 130, stderr
    assert "interrupted" in stderr and "Traceback" not in stderr
    assert tree_snapshot(out) == previous[1]
    assert _leftovers(out) == []


def test_ctrl_c_in_the_fallback_swap_puts_the_old_tree_back(out: Path, previous: tuple) -> None:
    child, _ = _start(out, "fallback")
    code, stderr = _stop(child, signal.SIGINT)
    assert code == 130, stderr
    assert tree_snapshot(out) == previous[1]
    assert _leftovers(out) == []


def test_failing_spec_leaves_the_previous_output(out: Path, previous: tuple) -> None:
    from generator.cli import main

    for broken in ("broken/undeclared_path_param.yaml", "refs/remote_ref.yaml", "bounds/alias_bomb.yaml"):
        assert main(["generate", "--spec", str(HOSTILE / broken), "--out", str(out)]) == 1
    assert tree_snapshot(out) == previous[1]
    assert _leftovers(out) == []


def test_failing_write_leaves_the_previous_output(out: Path, previous: tuple, monkeypatch: pytest.MonkeyPatch) -> None:
    """A disk error midway (here the 5th file) fails the run; the old tree stays, the staging tree goes."""
    from generator.cli import main

    original = Path.write_bytes
    calls: list[Path] = []

    def failing(self: Path, data: bytes) -> int:
        calls.append(self)
        if len(calls) == 5:
            raise OSError(28, "No space left on device")
        return original(self, data)

    import black

    monkeypatch.setattr(black, "format_str", lambda src_contents, *, mode: src_contents)
    monkeypatch.setattr(Path, "write_bytes", failing)
    code = main(["generate", "--spec", str(NEW_SPEC), "--out", str(out), "--no-cache"])
    assert code != 0
    assert tree_snapshot(out) == previous[1]
    assert _leftovers(out) == []


@pytest.mark.parametrize("delay", [0.0, 0.1, 0.3, 0.6, 1.0])
def test_ctrl_c_at_any_moment_is_one_line_and_130(out: Path, delay: float) -> None:
    """The real entry (`python -m generator`), interrupted from its first line, through its imports, to its writes:
    one line, exit 130. The clock starts when the entry module is imported (`-X importtime` says so); before that
    only the interpreter itself runs, whose start-up no program can guard."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    child = subprocess.Popen(
        [sys.executable, "-X", "importtime", "-m", "generator", "generate", "--spec", str(NEW_SPEC), "--out", str(out)],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    assert child.stderr is not None
    seen = []
    for line in child.stderr:
        seen.append(line)
        if line.rstrip().endswith("| generator.entry"):
            break
    time.sleep(delay)
    child.send_signal(signal.SIGINT)
    _, rest = child.communicate(timeout=60)
    ours = [line for line in [*seen, *rest.splitlines(keepends=True)] if not line.startswith("import time:")]
    if child.returncode == 0:
        pytest.skip(f"the run finished within {delay}s, before the interrupt")  # a fast machine: nothing to judge
    assert child.returncode == 130, "".join(ours)
    said = [line for line in ours if line.strip() and ": warning: " not in line]  # warnings printed before it stay
    assert "Traceback" not in "".join(ours) and len(said) == 1 and "interrupted" in said[0], "".join(ours)


def test_an_interrupt_wrapped_in_another_error_is_still_an_interrupt(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Ctrl-C while Python creates a class (a dataclass, on a module's first import) reaches us as a RuntimeError
    whose cause is the KeyboardInterrupt: still exit 130 and the one line, not an internal error."""
    import generator.cli as cli

    def interrupted_while_creating_a_class(*_a: object, **_k: object) -> None:
        try:
            raise KeyboardInterrupt
        except KeyboardInterrupt as interrupt:
            raise RuntimeError("Error calling __set_name__") from interrupt

    monkeypatch.setattr(cli, "output_files", interrupted_while_creating_a_class)
    spec = str(HOSTILE / "recursive_ok.yaml")
    assert cli.main(["generate", "--spec", spec, "--out", str(tmp_path / "o")]) == 130
    assert capsys.readouterr().err == "interrupted; the previous output is untouched\n"
