"""`check`, and a `generate` that has nothing to do, answered without generating.

After a run that leaves --out exactly as the generator makes it (a `generate` that wrote it, a `check` that found
nothing to change), the user's cache keeps an entry under a key made of everything the output depends on and of the
output itself:
  - the generator (its code and templates), the Python and the distributions it runs with (fingerprint.py);
  - the working folder, the settings after the command line (spec, out, targets, templates, package names, ...),
    the bytes of the document and of the project's templates folder;
  - --out: its path, its manifest and the bytes of every file the manifest lists.
The entry holds what that run reported (its warnings, and what a `generate` says when nothing changes) and the
files the document references with the digests of the bytes it read, checked again at every lookup. The next `check`
or `generate` makes the same key by hashing the same files: the key is found only when nothing changed, and any
change (an input, the generator, a flag, a file of --out edited or missing) is a miss and the full run.

An entry for the tree a `generate` wrote rests on what history.py promises: the same document generates the same
bytes, and a run whose document and surface are the recorded ones changes nothing (`generate` twice is a no-op).
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from generator import fingerprint, format_cache, result_cache
from generator.config import Settings
from generator.errors import Problem

from generator.write import MANIFEST, manifest_entries, manifest_text, no_link_on_the_way

FORMAT = b"specgen-up-to-date 1"
KIND = "runs"
_MISSING = b"-"
MOST_READ = 32 * 1024 * 1024  # load.MAX_BYTES (not imported: load imports the YAML parser)


@dataclass(frozen=True)
class Known:
    """What the run that left --out as it is reported; a `check` or `generate` now reports the same."""

    warnings: list[Problem]
    summary: tuple[str, ...]  # what `generate` says about the changes (none)
    files: int  # how many files the generator makes (generate: all unchanged)


def _field(digest: hashlib._Hash, data: bytes) -> None:
    digest.update(b"%d:" % len(data))
    digest.update(data)


def _state(manifest: bytes, content: Callable[[str], bytes | None]) -> bytes:
    """The output as the manifest lists it: the manifest's bytes and those of every file it names."""
    digest = hashlib.sha256(manifest)
    for path in sorted(manifest_entries(manifest.decode("utf-8", "replace"))):
        data = content(path)
        _field(digest, path.encode())
        _field(digest, _MISSING if data is None else format_cache.digest(data).encode())
    return digest.digest()


def _state_on_disk(out: Path) -> bytes | None:
    """_state of the folder; None when it is no output of ours or a file cannot be read as a plain file."""
    manifest = out / MANIFEST
    if out.is_symlink() or not out.is_dir() or manifest.is_symlink() or not manifest.is_file():
        return None
    unreadable = False

    def read(path: str) -> bytes | None:
        nonlocal unreadable
        target = out / path
        if not no_link_on_the_way(out, path):
            unreadable = True
            return None
        if not os.path.lexists(target):
            return None
        if not target.is_file():
            unreadable = True
            return None
        return target.read_bytes()

    state = _state(manifest.read_bytes(), read)
    return None if unreadable else state


def _regular_file(path: str) -> bytes:
    """The bytes of a plain file the loader would read (a FIFO or a device is never opened here)."""
    if not Path(path).is_file() or Path(path).stat().st_size > MOST_READ:
        raise OSError(f"{path} is not a regular file the loader reads")
    return Path(path).read_bytes()


class Fingerprint:
    """The inputs of a run, taken before it starts; `key` adds the output folder's state."""

    def __init__(self, settings: Settings) -> None:
        assert settings.spec is not None
        self.settings = settings
        self.out = Path(settings.out)
        self.spec_digest = format_cache.digest(_regular_file(settings.spec))
        self.inputs = self._inputs()
        self.state_before: bytes | None = None  # --out at the lookup

    def _inputs(self) -> bytes:
        settings = self.settings
        digest = hashlib.sha256(FORMAT)
        digest.update(fingerprint.of_run())
        spec = str(settings.spec)
        for text in (os.getcwd(), repr(settings), os.path.abspath(spec), os.path.realpath(spec), os.path.abspath(settings.out)):
            _field(digest, text.encode("utf-8", "surrogateescape"))
        _field(digest, self.spec_digest.encode())
        if settings.templates is not None:
            _field(digest, fingerprint.folder_digest(Path(settings.templates)))
        return digest.digest()

    def _key(self, state: bytes) -> str:
        return hashlib.sha256(self.inputs + state).hexdigest()

    @classmethod
    def taken(cls, settings: Settings) -> Fingerprint | None:
        """The fingerprint, or None when an input cannot be read as a plain file (the full run says why)."""
        try:
            return cls(settings)
        except (OSError, ValueError, UnicodeError):
            return None

    def lookup(self) -> Known | None:
        """What the run that left --out as it is reported, when that run had the same inputs; else None."""
        try:
            state = _state_on_disk(self.out)
            if state is None:
                return None
            self.state_before = state
            text = result_cache.store(KIND).get(self._key(state))
            return _known(json.loads(text)) if text is not None else None
        except (OSError, ValueError, UnicodeError):
            return None

    def remember(
        self, files: dict[str, str], keys: dict[str, str], document_digest: str, inlined: tuple[tuple[str, str, str], ...],
        warnings: list[Problem], summary: tuple[str, ...], *, checked: bool,
    ) -> None:
        """After the full run: --out now holds `files` and their manifest (generate wrote them; `checked`: check
        found them there, unchanged since the lookup). Kept only when the run read the document fingerprinted and
        no input changed during the run."""
        try:
            if document_digest != self.spec_digest or self._inputs() != self.inputs:
                return
            manifest = manifest_text(files, keys).encode("utf-8")
            state = _state(manifest, lambda path: files[path].encode("utf-8") if path in files else None)
            if checked and state != self.state_before:
                return
            value = {
                "warnings": result_cache.problems_to_json(warnings),
                "summary": list(summary),
                "files": len(files),
                "inlined": [list(reference) for reference in inlined],
            }
            result_cache.store(KIND).put(self._key(state), json.dumps(value))
        except (OSError, ValueError, UnicodeError):
            pass


def _known(value: object) -> Known | None:
    """The entry's report, when every file the document references still has the bytes the run read."""
    if not isinstance(value, dict) or set(value) != {"warnings", "summary", "files", "inlined"}:
        return None
    warnings = result_cache.problems_from_json(value["warnings"])
    summary, files, inlined = value["summary"], value["files"], value["inlined"]
    if warnings is None or not isinstance(summary, list) or not all(isinstance(line, str) for line in summary):
        return None
    if not isinstance(files, int) or not isinstance(inlined, list):
        return None
    for reference in inlined:
        if not (isinstance(reference, list) and len(reference) == 3 and all(isinstance(part, str) for part in reference)):
            return None
        joined, target, digest = reference
        try:  # the reference still leads to the same file, which still has the same bytes
            if os.path.realpath(joined) != target or format_cache.digest(_regular_file(target)) != digest:
                return None
        except OSError:
            return None
    return Known(warnings, tuple(summary), files)
