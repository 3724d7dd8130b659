"""Reading the two documents of a diff: a file, or `REV:path` from git history (`git show`, no shell)."""

from __future__ import annotations

import os
import subprocess
import tempfile
from dataclasses import replace

from generator.errors import Problem, SpecError
from generator.load import MAX_BYTES, Document
from generator.pipeline import load_valid
from generator.refs import MAX_FILES

_DOCUMENT_SUFFIXES = (".yaml", ".yml", ".json")


def is_revision(argument: str) -> bool:
    """`main:api.yaml`, `HEAD~1:spec/posthog.yaml`: a revision and a path, where no such file exists."""
    revision, sep, path = argument.partition(":")
    return bool(sep and revision and path) and not os.path.exists(argument) and len(revision) > 1


def read_document(argument: str) -> Document:
    """The document, its file references inlined, checked against the OpenAPI schema leniently (a diff is about
    two versions someone published, not our policy rules). SpecError with kind `io` when it cannot be read."""
    if not is_revision(argument):
        return _load(argument, argument)
    revision, _, path = argument.partition(":")
    with tempfile.TemporaryDirectory(prefix="specgen-diff-") as folder:
        local = _checkout(revision, path, folder, argument)
        return _load(local, argument)


def _load(path: str, label: str) -> Document:
    try:
        doc, _warnings = load_valid(path, lenient=True)
    except SpecError as exc:
        if path == label:
            raise
        # Problems found in the checked-out copy are shown at REV:path, where the user can find them.
        raise SpecError([replace(p, file=label) if os.path.abspath(p.file) == os.path.abspath(path) else p for p in exc.problems]) from None
    return replace(doc, path=label)


def _git(args: list[str], label: str) -> bytes:
    try:
        result = subprocess.run(["git", *args], capture_output=True, timeout=60, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise SpecError([Problem(label, f"cannot run git ({type(exc).__name__})", kind="io")]) from None
    if result.returncode != 0:
        reason = result.stderr.decode("utf-8", "replace").strip().splitlines()
        raise SpecError([Problem(label, f"git cannot read it: {reason[-1] if reason else 'unknown error'}", kind="io")])
    if len(result.stdout) > MAX_BYTES * MAX_FILES:
        raise SpecError([Problem(label, "git output too large", kind="limit")])
    return result.stdout


def _checkout(revision: str, path: str, folder: str, label: str) -> str:
    """The document's folder at `revision` (documents only, as many as the reference pass would follow), so
    relative `$ref`s to sibling files resolve as they did then. Returns the document's path in `folder`.
    Paths are relative to the working directory, as git reads `REV:./path`."""
    main = os.path.normpath(os.path.relpath(path) if os.path.isabs(path) else path)
    directory = os.path.dirname(main) or "."
    listed = _git(["ls-tree", "-r", "--name-only", revision, "--", directory], label).decode("utf-8", "replace")
    siblings = sorted(n for n in listed.splitlines() if n.endswith(_DOCUMENT_SUFFIXES) and os.path.normpath(n) != main)
    for name in [main, *siblings[: MAX_FILES - 1]]:
        name = os.path.normpath(name)
        data = _git(["show", f"{revision}:{name if name.startswith('..') else './' + name}"], label)
        target = os.path.join(folder, os.path.relpath(name, directory))
        os.makedirs(os.path.dirname(target), exist_ok=True)
        with open(target, "wb") as handle:
            handle.write(data)
    return os.path.join(folder, os.path.relpath(main, directory))
