"""Which regular-expression engine a schema's `pattern` needs in the generated models.

pydantic compiles patterns with Rust's `regex` crate by default, which has no backreferences, lookaround, atomic
groups, possessive quantifiers or conditionals (it guarantees linear time instead). A pattern using one of those
is given to Python's `re` (the model gets `regex_engine="python-re"`); one that `re` cannot compile either is
dropped with a warning, so the generated package always imports. Decided by these written rules, never by the
libraries installed where the generator runs, so the output is the same everywhere.
"""

from __future__ import annotations

import re
import warnings

DEFAULT, PYTHON, UNUSABLE = "default", "python-re", "unusable"

_PYTHON_ONLY = re.compile(
    r"\\[1-9]"  # a numbered backreference
    r"|\\k<"  # a named backreference
    r"|\(\?P="  # Python's named backreference
    r"|\(\?<?[=!]"  # lookahead, lookbehind
    r"|\(\?>"  # an atomic group
    r"|[*+?}]\+"  # a possessive quantifier
    r"|\(\?\("  # a conditional
    r"|\\Z"  # Python's end of text (Rust spells it \z)
)


def engine(pattern: str) -> str:
    """DEFAULT, PYTHON (the model needs Python's re) or UNUSABLE (neither engine: drop it)."""
    if not _PYTHON_ONLY.search(_without_escaped_backslashes(pattern)):
        return DEFAULT
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            re.compile(pattern)
    except (re.error, RecursionError, OverflowError, ValueError):
        return UNUSABLE
    return PYTHON


def _without_escaped_backslashes(pattern: str) -> str:
    """`\\\\1` is a backslash then 1, not a backreference: take the escaped backslashes out first."""
    return pattern.replace("\\\\", "")
