"""Format stage: black, in process, on every Python file; nothing touches disk."""

from __future__ import annotations

import black

from generator.errors import Problem, SpecError

MODE = black.Mode(target_versions={black.TargetVersion.PY311}, line_length=120)


def format_files(files: dict[str, str], verbatim: frozenset[str] = frozenset()) -> dict[str, str]:
    """Black on every rendered Python file; `verbatim` files (copied runtimes, kept black-clean in
    templates/ by a test) are passed through, which saves most of a small spec's generation time."""
    formatted: dict[str, str] = {}
    for path, text in files.items():
        if not path.endswith(".py") or path in verbatim:
            formatted[path] = text
            continue
        try:
            formatted[path] = black.format_str(text, mode=MODE)
            # black only parses; compiling also catches what the parser lets through (a repeated argument).
            compile(formatted[path], path, "exec", dont_inherit=True)
        except Exception as exc:  # a template bug: say which file, never a traceback
            first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            raise SpecError([Problem(path, f"generated code does not compile (a generator bug): {first}", kind="internal")]) from None
    return formatted
