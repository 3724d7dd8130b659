"""Helpers shared by the hostile-input tests: generate, check every file parses, import safely.

The marker a payload tries to create is `MARKER` (relative, so it lands in the importing process's
working folder); every check runs with the working folder set to a fresh temporary folder.
"""

from __future__ import annotations

import ast
import contextlib
import functools
import importlib.util
import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
HOSTILE = Path(__file__).resolve().parent
MARKER = "HOSTILE_MARKER"

# Imports every generated module of both packages and builds the app, as a user would, for each
# (out, cwd) pair given as JSON, under fresh package names, with the working folder set to cwd.
_IMPORT_SCRIPT = """
import importlib, importlib.util, json, os, pathlib, sys, traceback
results = {}
for index, (out, cwd) in enumerate(json.loads(sys.argv[1])):
    os.chdir(cwd)
    try:
        for side in ("client", "server"):
            for pkg in sorted(p for p in (pathlib.Path(out) / side).iterdir() if (p / "__init__.py").is_file()):
                name = f"_hostile{index}_{side}_{pkg.name}"
                spec = importlib.util.spec_from_file_location(name, pkg / "__init__.py", submodule_search_locations=[str(pkg)])
                module = importlib.util.module_from_spec(spec)
                sys.modules[name] = module
                spec.loader.exec_module(module)
                for mod in sorted(pkg.glob("*.py")):
                    if mod.stem != "__init__":
                        importlib.import_module(f"{name}.{mod.stem}")
                if side == "server":
                    module.create_app()
        results[out] = "imported"
    except BaseException:
        results[out] = traceback.format_exc()
print(json.dumps(results))
"""


@contextlib.contextmanager
def cached_black() -> Iterator[None]:
    """black, memoised: the runtime files are the same for every spec and take most of the format time.

    The output is exactly black's; only repeated work is skipped.
    """
    import black

    original = black.format_str

    @functools.lru_cache(maxsize=64)
    def cached(text: str, mode: black.Mode) -> str:
        return original(text, mode=mode)

    def format_str(src_contents: str, *, mode: black.Mode) -> str:
        return cached(src_contents, mode)

    black.format_str = format_str  # type: ignore[assignment]
    try:
        yield
    finally:
        black.format_str = original


def generate_to(spec: Path | str, out: Path) -> dict[str, str]:
    """In-process generate and write, as `generate` does; returns the files."""
    from generator.pipeline import generate_files
    from generator.write import write_tree

    _api, files, _warnings = generate_files(str(spec))
    write_tree(out, files)
    return files


def assert_all_parse(files: dict[str, str]) -> None:
    """Every .py parses and compiles, every .toml parses, no file holds a NUL or a lone surrogate."""
    import tomllib

    for path, source in files.items():
        if path.endswith(".py"):
            tree = ast.parse(source, filename=path)
            compile(tree, path, "exec")
        elif path.endswith(".toml"):
            tomllib.loads(source)
        assert "\x00" not in source, path
        source.encode("utf-8")


def run_cli(*args: str, cwd: Path | None = None, timeout: float = 60, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    full_env = {**os.environ, "PYTHONPATH": str(ROOT), **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "generator", *args], cwd=cwd or ROOT, capture_output=True, text=True,
        timeout=timeout, env=full_env,
    )


def import_in_subprocess(pairs: list[tuple[Path, Path]], timeout: float = 120) -> dict[str, str]:
    """Import every generated module (and build the app) of each `out`, in one child, working folder `cwd`.

    Returns {str(out): "imported" or the traceback}.
    """
    import json

    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    payload = json.dumps([[str(out), str(cwd)] for out, cwd in pairs])
    result = subprocess.run(
        [sys.executable, "-c", _IMPORT_SCRIPT, payload], cwd=pairs[0][1], capture_output=True, text=True, timeout=timeout, env=env
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


def import_in_process(out: Path) -> None:
    """Import both generated packages under fresh unique names (no clash between examples)."""
    for side in ("client", "server"):
        for pkg in sorted(p for p in (out / side).iterdir() if p.is_dir() and (p / "__init__.py").is_file()):
            name = f"_hostile_{side}_{uuid.uuid4().hex}"
            spec = importlib.util.spec_from_file_location(name, pkg / "__init__.py", submodule_search_locations=[str(pkg)])
            assert spec is not None and spec.loader is not None
            module = importlib.util.module_from_spec(spec)
            sys.modules[name] = module
            try:
                spec.loader.exec_module(module)
                for mod in sorted(pkg.glob("*.py")):
                    if mod.stem != "__init__":
                        importlib.import_module(f"{name}.{mod.stem}")
                if side == "server":
                    module.create_app()
            finally:
                for key in [k for k in sys.modules if k == name or k.startswith(name + ".")]:
                    del sys.modules[key]


def tree_snapshot(folder: Path) -> dict[str, bytes | str]:
    """Every entry under `folder`: file bytes, or 'dir' / 'link:target'."""
    snapshot: dict[str, bytes | str] = {}
    for root, dirs, names in os.walk(folder, followlinks=False):
        for name in dirs + names:
            path = Path(root) / name
            rel = path.relative_to(folder).as_posix()
            if path.is_symlink():
                snapshot[rel] = "link:" + os.readlink(path)
            elif path.is_dir():
                snapshot[rel] = "dir"
            else:
                snapshot[rel] = path.read_bytes()
    return snapshot
