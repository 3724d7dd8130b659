"""Write stage, the only one that touches disk: build the new tree aside, then swap it in.

A failure or an interruption before the swap leaves the previous output exactly as it was.
Unchanged files are hard-linked from the old tree (not rewritten); files the generator made
before but no longer makes are dropped; files it never made (caches, egg-info) are carried over.

The manifest lists every file written, one a line; a file black formatted is followed by the key of the text
black was given (`format.key`) and the SHA-256 of the file, so the next run can take the file as it is instead of
formatting the same text again (`previously_formatted`).
"""

from __future__ import annotations

import ctypes
import difflib
import glob
import os
import re
import shutil
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from generator.errors import Problem, SpecError
from generator.format_cache import digest

MANIFEST = ".generated-files"
_SAFE_PART = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.-]*$")
_DEVICE = re.compile(r"^(con|prn|aux|nul|com\d|lpt\d)(\..*)?$", re.IGNORECASE)
_HASH = re.compile(r"^[0-9a-f]{64}$")


@dataclass(frozen=True)
class WriteReport:
    written: int
    unchanged: int
    removed: int


def check_relative(path: str) -> None:
    parts = path.split("/")
    if not path or path.startswith("/") or any(not _SAFE_PART.match(p) or p in (".", "..") or _DEVICE.match(p) for p in parts):
        raise SpecError([Problem(path, "refusing to write an unsafe output path", kind="output")])


def _is_safe(path: str) -> bool:
    try:
        check_relative(path)
    except SpecError:
        return False
    return True


def _read_manifest(out: Path) -> set[str]:
    """The paths a previous run wrote; lines that are not safe relative paths are ignored, never followed."""
    return set(_manifest_entries(out))


def _manifest_entries(out: Path) -> dict[str, tuple[str, str] | None]:
    """{path: (key of the text black was given, SHA-256 of the file) or None} of the previous run."""
    manifest = out / MANIFEST
    if manifest.is_symlink() or not manifest.is_file():
        return {}
    return manifest_entries(manifest.read_text(encoding="utf-8", errors="replace"))


def manifest_entries(text: str) -> dict[str, tuple[str, str] | None]:
    """The entries of a manifest's text, as _manifest_entries."""
    entries: dict[str, tuple[str, str] | None] = {}
    for line in text.splitlines():
        path, *hashes = line.split(" ")
        if not path or not _is_safe(path) or (hashes and (len(hashes) != 2 or not all(_HASH.match(h) for h in hashes))):
            continue
        entries[path] = (hashes[0], hashes[1]) if hashes else None
    return entries


def previously_formatted(out: Path) -> Callable[[str, str], str | None]:
    """For (path, key of its rendered text): the file as the previous run wrote it into `out`, when that run
    formatted it from text of the same key and the file is unchanged since (its SHA-256 is the recorded one)."""
    entries = _manifest_entries(out) if out.is_dir() and not out.is_symlink() else {}

    def reuse(path: str, key: str) -> str | None:
        entry = entries.get(path)
        if entry is None or entry[0] != key or not no_link_on_the_way(out, path):
            return None
        try:
            data = (out / path).read_bytes()
            return data.decode("utf-8") if digest(data) == entry[1] else None
        except (OSError, UnicodeError):
            return None

    return reuse


def manifest_text(files: dict[str, str], keys: Mapping[str, str]) -> str:
    """The manifest write_tree writes for `files` (`keys`: as write_tree's)."""
    lines = []
    for path in sorted(files):
        if path in keys:
            lines.append(f"{path} {keys[path]} {digest(files[path].encode('utf-8'))}\n")
        else:
            lines.append(f"{path}\n")
    return "".join(lines)


def no_link_on_the_way(out: Path, path: str) -> bool:
    """True when no component of `out/path` below `out` is a symlink: such a path is never read or linked."""
    current = out
    for part in path.split("/"):
        current = current / part
        if current.is_symlink():
            return False
    return True


def _guard(out: Path) -> None:
    if out.is_symlink():
        raise SpecError([Problem(str(out), "the output folder is a symlink; refusing to follow it", kind="output")])
    if out.exists() and not out.is_dir():
        raise SpecError([Problem(str(out), "the output path exists and is not a folder", kind="output")])
    if out.is_dir() and any(out.iterdir()) and not (out / MANIFEST).is_file():
        raise SpecError([Problem(str(out), f"the output folder is not empty and has no {MANIFEST}; refusing to overwrite it", kind="output")])


def _owner_alive(stale: Path) -> bool:
    """Whether the run that made `stale` (named ...-PID) is still going: its folders are not ours to touch."""
    pid = stale.name.rsplit("-", 1)[-1]
    if not pid.isdigit() or int(pid) == os.getpid():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return True


def _recover(out: Path) -> None:
    """A run killed between the two renames of the fallback swap leaves the old tree aside: put it back.

    Folders a killed run left (its staging tree, or the old tree after an exchange) are removed; those
    of a run still going are left alone.
    """
    name = glob.escape(out.name)
    for stale in sorted(out.parent.glob(f".{name}.old-*")):
        if stale.is_symlink() or _owner_alive(stale):
            continue
        if not os.path.lexists(out):
            os.rename(stale, out)
        else:
            shutil.rmtree(stale, ignore_errors=True)
    for stale in out.parent.glob(f".{name}.tmp-*"):
        if stale.is_symlink() or _owner_alive(stale):
            continue
        shutil.rmtree(stale, ignore_errors=True)


def _same_file(out: Path, path: str, data: bytes) -> bool:
    old = out / path
    try:
        return (
            no_link_on_the_way(out, path) and old.is_file() and old.stat().st_size == len(data) and old.read_bytes() == data
        )
    except OSError:
        return False


def _link_or_copy(source: Path, target: Path) -> None:
    try:
        os.link(source, target, follow_symlinks=False)
    except OSError:
        shutil.copy2(source, target, follow_symlinks=False)


def write_tree(out: Path, files: dict[str, str], keys: Mapping[str, str] | None = None) -> WriteReport:
    """`keys`: for each file black formatted, the key of the text it was given (recorded in the manifest)."""
    for path in files:
        check_relative(path)
    out = Path(os.path.abspath(out))
    out.parent.mkdir(parents=True, exist_ok=True)
    _recover(out)
    _guard(out)
    old_manifest = _read_manifest(out)
    staging = out.parent / f".{out.name}.tmp-{os.getpid()}"
    written = unchanged = 0
    try:
        staging.mkdir()
        for path, text in sorted(files.items()):
            data = text.encode("utf-8")
            target = staging / path
            target.parent.mkdir(parents=True, exist_ok=True)
            if _same_file(out, path, data):
                _link_or_copy(out / path, target)
                unchanged += 1
            else:
                target.write_bytes(data)
                written += 1
        _carry_foreign(out, staging, old_manifest | set(files) | {MANIFEST})
        (staging / MANIFEST).write_text(manifest_text(files, keys or {}), encoding="utf-8")
        _swap(staging, out)
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)
    return WriteReport(written, unchanged, len(old_manifest - set(files)))


def _carry_foreign(out: Path, staging: Path, ours: set[str]) -> None:
    if not out.is_dir():
        return
    for root, dirs, names in os.walk(out, followlinks=False):
        for name in names + [d for d in dirs if os.path.islink(os.path.join(root, d))]:
            source = Path(root) / name
            relative = source.relative_to(out).as_posix()
            if relative in ours:
                continue
            target = staging / relative
            if os.path.lexists(target) or not no_link_on_the_way(staging, relative):
                continue  # the new tree has its own file or folder there: the old entry is not carried
            target.parent.mkdir(parents=True, exist_ok=True)
            if source.is_symlink():
                os.symlink(os.readlink(source), target)
            else:
                _link_or_copy(source, target)


def _swap(staging: Path, out: Path) -> None:
    if not out.exists():
        os.rename(staging, out)
        return
    if _exchange(staging, out):
        shutil.rmtree(staging)
        return
    aside = out.parent / f".{out.name}.old-{os.getpid()}"
    try:
        os.rename(out, aside)
        os.rename(staging, out)
    except BaseException:  # an error or Ctrl-C between (or just after) the renames: put the old tree back
        if not os.path.lexists(out) and os.path.lexists(aside):
            os.rename(aside, out)
        raise
    shutil.rmtree(aside)


def _exchange(a: Path, b: Path) -> bool:
    """Atomically exchange two folders (Linux renameat2 RENAME_EXCHANGE); False where unsupported."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd, rename_exchange = -100, 2
    return bool(renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0)


def drift(out: Path, files: dict[str, str]) -> list[str]:
    """Unified diffs of every file that differs between `out` and `files`; empty when none."""
    diffs: list[str] = []
    expected_paths = set(files)
    for path in sorted(expected_paths | _read_manifest(out)):
        target = out / path
        readable = no_link_on_the_way(out, path) and target.is_file()
        old = target.read_text(encoding="utf-8", errors="replace") if readable else None
        new = files.get(path)
        if old == new:
            continue
        diff = difflib.unified_diff(
            (old or "").splitlines(keepends=True), (new or "").splitlines(keepends=True),
            fromfile=f"{out.name}/{path}" + (" (missing)" if old is None else ""),
            tofile=f"generated now/{path}" + (" (no longer generated)" if new is None else ""),
        )
        diffs.append("".join(diff) or f"{path}: differs\n")
    return diffs
