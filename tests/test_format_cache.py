"""The format cache and the reuse of the previous output: black runs only when nothing right is at hand, and
whatever is reused, missing, corrupt or bypassed, the output is byte for byte what black makes (the golden)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import black
import pytest

from generator.cli import main
from generator import format as formatting
from generator.format import key
from generator.format_cache import MAGIC, digest
from generator.write import MANIFEST

GOLDEN = Path(__file__).resolve().parent / "golden" / "enums"
SPEC = GOLDEN / "spec.yaml"


@pytest.fixture
def black_calls(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """The texts black is given; black itself still does the work."""
    calls: list[str] = []
    original = black.format_str

    def counting(src_contents: str, *, mode: black.Mode) -> str:
        calls.append(src_contents)
        return original(src_contents, mode=mode)

    monkeypatch.setattr(black, "format_str", counting)
    yield calls


@pytest.fixture
def cache_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "cache-home"
    monkeypatch.setenv("XDG_CACHE_HOME", str(home))
    return home


def _tree(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}


def _golden_part(tree: dict[str, bytes]) -> dict[str, bytes]:
    """The files the golden case pins (runtimes, record, changelogs and manifest aside)."""
    expected = GOLDEN / "expected"
    return {
        path: tree[path] for path in (p.relative_to(expected).as_posix() for p in expected.rglob("*") if p.is_file())
    }


def _golden() -> dict[str, bytes]:
    expected = GOLDEN / "expected"
    return {p.relative_to(expected).as_posix(): p.read_bytes() for p in expected.rglob("*") if p.is_file()}


def _generate(out: Path, *extra: str) -> dict[str, bytes]:
    assert main(["generate", "--spec", str(SPEC), "--out", str(out), *extra]) == 0
    return _tree(out)


def _keyed(out: Path) -> list[str]:
    """The key of every file black formatted, from the manifest."""
    return [line.split(" ")[1] for line in (out / MANIFEST).read_text().splitlines() if " " in line]


def _entries(home: Path) -> list[Path]:
    return sorted(p for p in (home / "specgen" / "format").rglob("*") if p.is_file())


def test_hit_miss_and_corrupt_entries_give_the_same_bytes(
    tmp_path: Path, cache_home: Path, black_calls: list[str]
) -> None:
    cold = _generate(tmp_path / "cold")
    formatted = len(black_calls)
    assert formatted > 0 and _golden_part(cold) == _golden()
    entries = _entries(cache_home)
    names = {entry.parent.name + entry.name for entry in entries}
    assert {key(text) for text in black_calls} <= names  # an entry for every text black formatted

    black_calls.clear()
    assert _generate(tmp_path / "warm") == cold  # a fresh --out: everything from the cache
    assert black_calls == []

    # Every way an entry can be wrong: garbage, truncated, empty, another key's entry, a body edited under a
    # header that no longer matches it. Each is a miss: formatted again and rewritten whole.
    first_header, first_body = entries[0].read_bytes().split(b"\n", 1)
    damaged = [
        b"not an entry at all",
        entries[1].read_bytes()[:40],
        b"",
        entries[1].read_bytes(),
        first_header + b"\n" + first_body.replace(b"class", b"klass", 1) + b"# edited\n",
    ]
    for entry, data in zip(entries, damaged * (len(entries) // len(damaged) + 1)):
        entry.write_bytes(data)
    black_calls.clear()
    assert _generate(tmp_path / "corrupt") == cold
    assert len(black_calls) == formatted
    for entry in _entries(cache_home):
        header, body = entry.read_bytes().split(b"\n", 1)
        assert header == MAGIC + b" " + (entry.parent.name + entry.name).encode() + b" " + digest(body).encode()


def test_no_cache_neither_reads_nor_writes_the_cache(
    tmp_path: Path, cache_home: Path, black_calls: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    cold = _generate(tmp_path / "cold")
    assert len(set(_keyed(tmp_path / "cold"))) < len(_keyed(tmp_path / "cold"))  # two files share a text...
    assert len(set(black_calls)) == len(black_calls)  # ...formatted once
    unique = len(black_calls)
    black_calls.clear()
    assert _generate(tmp_path / "bypassed", "--no-cache") == cold
    assert len(black_calls) == unique  # nothing taken from the cache
    black_calls.clear()
    assert _generate(tmp_path / "cold", "--no-cache") == cold
    assert len(black_calls) == unique  # nor from the previous output

    other_home = tmp_path / "other-home"
    monkeypatch.setenv("XDG_CACHE_HOME", str(other_home))
    _generate(tmp_path / "again", "--no-cache")
    assert not other_home.exists()


def test_an_unwritable_cache_is_not_fatal(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("the cache folder cannot be made below a file\n")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    assert _golden_part(_generate(tmp_path / "out")) == _golden()


def test_regeneration_and_check_reuse_the_previous_output(
    tmp_path: Path, cache_home: Path, black_calls: list[str]
) -> None:
    out = tmp_path / "out"
    first = _generate(out)
    keyed = {line.split(" ")[0] for line in (out / MANIFEST).read_text().splitlines() if " " in line}
    rendered = {path for path in first if path.endswith(".py") and "/_runtime/" not in path and "/_memory/" not in path}
    assert keyed == rendered  # each file black formatted: its key and hash in the manifest
    shutil.rmtree(cache_home)  # reuse must come from the output folder, not the caches

    black_calls.clear()
    assert _generate(out) == first
    assert main(["check", "--spec", str(SPEC), "--out", str(out)]) == 0
    assert black_calls == []


def test_check_without_formatting_still_sees_a_hand_edited_file(
    tmp_path: Path, cache_home: Path, black_calls: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    _generate(out)
    cold = list(black_calls)
    models = next(out.glob("client/*/models.py"))
    models.write_text(models.read_text() + "HAND_EDITED = 1\n")
    capsys.readouterr()
    black_calls.clear()
    assert main(["check", "--spec", str(SPEC), "--out", str(out)]) == 1
    assert "-HAND_EDITED = 1" in capsys.readouterr().out
    assert black_calls == []  # the right text came from the cache, not from the edited file

    for entry in _entries(cache_home):
        entry.unlink()
    assert main(["check", "--spec", str(SPEC), "--out", str(out)]) == 1
    assert "-HAND_EDITED = 1" in capsys.readouterr().out
    assert 0 < len(black_calls) < len(cold)  # without the cache, only the edited file is formatted again


def test_damaged_compiled_templates_are_compiled_again(tmp_path: Path, cache_home: Path) -> None:
    cold = _generate(tmp_path / "cold")
    compiled = sorted((cache_home / "specgen" / "templates").iterdir())
    assert compiled
    for number, entry in enumerate(compiled):
        entry.write_bytes(entry.read_bytes()[: number * 7])  # empty, the magic cut short, the checksum cut short...
    assert _generate(tmp_path / "warm") == cold
    assert all(entry.stat().st_size > 100 for entry in compiled)  # written again whole


def test_formatting_in_several_processes_gives_the_same_bytes(monkeypatch: pytest.MonkeyPatch) -> None:
    from generator.config import Settings
    from generator.format import Formatter
    from generator.python.build import build_api
    from generator.pipeline import load_valid
    from generator.render import copied_outputs, render

    doc, _warnings = load_valid(str(SPEC))
    api = build_api(doc.data, SPEC.name, doc.pointer_index(), Settings())
    rendered, verbatim = render(api, doc.data), copied_outputs(api)
    progress: list[tuple[int, int]] = []
    monkeypatch.setattr(formatting, "cores", lambda: 4)  # several workers even on a machine with one core
    alone = Formatter(parallel_above=10**12).format_files(rendered, verbatim)
    pooled = Formatter(parallel_above=0, progress=lambda done, total: progress.append((done, total)))
    assert pooled.format_files(rendered, verbatim) == alone
    assert list(alone) == list(rendered)  # the files in the order they were rendered
    assert progress == [(n, pooled.formatted) for n in range(1, pooled.formatted + 1)]
    golden = _golden()
    assert {path: alone[path].encode() for path in golden if path in alone} == {
        p: golden[p] for p in golden if p in alone
    }


def test_formatting_in_parts_is_formatting_the_whole() -> None:
    """Where a module may be cut, and where it must not: a comment, a `...` stub, fmt directives; a class between
    two methods, not after its docstring, an attribute or a stub, nor where a comment comes first."""
    from generator.format import MODE
    from generator.format_split import METHOD_HEADER, join, parts

    module = (
        '"""Doc."""\nimport os\nX=1\nclass A( object ):\n  def f(self): return  1\n\n\n\n\n@decorate\n'
        "def g(a,b):\n    return a\n# about B\nclass B: pass\n\ndef stub(x: int) -> int: ...\ndef stub2(x): ...\n"
        "class C:\n    x: int=1\n\nasync def h():\n  await   g( 1,2 )\n\n"
        'class D:\n    """Doc."""\n\n    def a(self):\n        return 1\n    def b( self ):  return 2\n\n\n\n'
        "    @property\n    def c(self) -> int:\n        return 3\n    # about d\n\n    def d(self):\n        return 4\n\n"
        "    @overload\n    def e(self, x: int) -> int: ...\n    @overload\n    def e(self, x: str) -> str: ...\n"
        "    def e(self, x):\n        return x\n    y = 1\n\n    async def f(self):\n        pass\n"
        "    def g(self): ...\nZ = D()\n"
    )
    cut = parts(module)
    assert [len(pieces) for pieces in cut] == [1, 1, 1, 1, 3]  # before @decorate, stub, h and D
    assert [piece.split("\n")[1].strip() for piece in cut[-1][1:]] == ["@property", "@overload"]
    assert all(piece.startswith(METHOD_HEADER) for piece in cut[-1][1:])
    formatted = [[black.format_str(piece, mode=MODE) for piece in pieces] for pieces in cut]
    assert join(formatted) == black.format_str(module, mode=MODE)
    assert join([[formatted[-1][0], "def lost_its_header(): ...\n"]]) is None
    assert parts(module + "y = [1,\n  2]  # fmt: skip\n") == [[module + "y = [1,\n  2]  # fmt: skip\n"]]
    assert parts("def broken(:\n") == [["def broken(:\n"]]


def test_formatting_in_parts_is_formatting_the_whole_on_real_output() -> None:
    """Every rendered module of spec/posthog.yaml (classes of many methods, overloads, decorators, docstrings),
    formatted piece by piece, is what black makes of the whole module."""
    from generator.config import Settings
    from generator.format import MODE
    from generator.format_split import join, parts
    from generator.python.build import build_api
    from generator.pipeline import load_valid
    from generator.render import copied_outputs, render

    spec = Path(__file__).resolve().parent.parent / "spec" / "posthog.yaml"
    doc, _warnings = load_valid(str(spec))
    api = build_api(doc.data, spec.name, doc.pointer_index(), Settings())
    rendered, verbatim = render(api, doc.data), copied_outputs(api)
    methods = 0
    for path, text in rendered.items():
        if path.endswith(".py") and path not in verbatim:
            cut = parts(text)
            methods += sum(len(pieces) - 1 for pieces in cut)
            assert join([[black.format_str(piece, mode=MODE) for piece in pieces] for pieces in cut]) == black.format_str(
                text, mode=MODE
            ), path
    assert methods > 50


SCRIPT_ON_STDIN = """
import sys
from generator.pipeline import generate_files
_api, files, _warnings = generate_files(sys.argv[1])
print(len(files))
"""


def test_the_library_api_never_spawns_workers_that_would_re_import_the_callers_script(tmp_path: Path) -> None:
    """Worker processes are spawned, and spawning imports the caller's main module again: a script read from stdin
    cannot be, one without a main guard would generate again in every worker. Only the command line uses them.
    100 synthetic operations render well over the size at which the command line would use them."""
    import subprocess
    import sys

    root = Path(__file__).resolve().parent.parent
    document = tmp_path / "synthetic.json"
    subprocess.run([sys.executable, "benchmarks/synthetic.py", "100", str(document)], cwd=root, check=True, capture_output=True)
    result = subprocess.run(
        [sys.executable, "-", str(document)], input=SCRIPT_ON_STDIN, capture_output=True, text=True, cwd=root
    )
    assert result.returncode == 0 and int(result.stdout) > 10, result.stderr[-2000:]
