"""Naming rules: every Python name in the output is made by these functions (the pass that applies them is
naming.py).

A spec string becomes a name only through these functions, which can return nothing but a
valid, non-reserved identifier. Reserved words are data; the rule is: a reserved name gets a
trailing underscore.
"""

from __future__ import annotations

import builtins
import hashlib
import keyword
import re
import unicodedata
from collections.abc import Container
from typing import Any

from generator.errors import Finding, pointer_join

# Operator characters that would otherwise vanish and make `a<` and `a>` collide.
_SYMBOL_WORDS = {"<=": "_lte_", ">=": "_gte_", "<": "_lt_", ">": "_gt_", "!=": "_ne_", "=": "_eq_", "+": "_plus_"}
_SYMBOLS = re.compile("|".join(re.escape(s) for s in sorted(_SYMBOL_WORDS, key=len, reverse=True)))
_WORD_BOUNDARY = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")
_NON_WORD = re.compile(r"[^0-9a-zA-Z]+")

KEYWORDS = frozenset(keyword.kwlist) | frozenset(keyword.softkwlist) | {"self", "cls"}
# Names our generated modules and pydantic's BaseModel use; a field or parameter must not take them.
RUNTIME_NAMES = frozenset(
    {
        "model_config", "model_fields", "model_dump", "model_validate", "model_copy", "model_extra",
        "model_fields_set", "model_json_schema", "model_construct", "model_post_init", "model_computed_fields",
        "model_dump_json", "model_validate_json", "model_rebuild", "model_parametrized_name", "model_validate_strings",
        "dict", "json", "copy", "parse_obj", "parse_raw", "parse_file", "schema", "schema_json", "construct",
        "validate", "update_forward_refs", "from_orm", "fields", "fields_set",
        "raw", "http", "client", "request", "response", "options", "timeout", "body",
        # Type names the annotations use: a field called `date` would shadow `date` for the fields after it.
        "str", "int", "float", "bool", "bytes", "list", "dict", "date", "datetime",
    }
)
# Class names that would shadow what generated modules import.
RESERVED_CLASSES = frozenset(dir(builtins)) | {
    "Any", "BaseModel", "ConfigDict", "Field", "Enum", "Literal", "Union", "Optional", "UUID", "datetime", "date",
    "ApiModel", "ApiResponse", "Unset", "UNSET", "RootModel", "Annotated",
    "List", "Dict", "TypeAlias", "ClassVar", "Iterator", "AsyncIterator", "ContextManager", "AsyncContextManager",
    "APIRouter", "FastAPI", "Mapping", "Sequence", "KEYS_ENV", "cast", "Unpack",
}


def _ascii_words(raw: str) -> list[str]:
    text = _SYMBOLS.sub(lambda m: _SYMBOL_WORDS[m.group(0)], raw)
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    text = _WORD_BOUNDARY.sub("_", text)
    return [w for w in _NON_WORD.split(text) if w]


def snake(raw: str, *, reserved: frozenset[str] = frozenset(), fallback: str = "value") -> str:
    """`created_at`, `Sid`, `StartTime<`, `_create_in_folder`, `class` -> created_at, sid, start_time_lt, create_in_folder, class_."""
    words = [w.lower() for w in _ascii_words(raw)] or [fallback]
    name = "_".join(words)
    if name[0].isdigit():
        name = f"{fallback}_{name}"
    if name in KEYWORDS or name in reserved:
        name += "_"
    return name


def pascal(raw: str, *, fallback: str = "Model") -> str:
    """`dataset_items`, `paginated-list`, `200` -> DatasetItems, PaginatedList, Model200."""
    words = _ascii_words(raw)
    name = "".join(w[:1].upper() + w[1:] for w in words) or fallback
    if name[0].isdigit():
        name = f"{fallback}{name}"
    if name in RESERVED_CLASSES or name in KEYWORDS:
        name += "_"
    return name


def constant(raw: str, *, fallback: str = "VALUE") -> str:
    """Enum member names: `json` -> JSON, `-created_at` -> CREATED_AT_DESC is not guessed; `-x` -> MINUS_X."""
    text = raw.replace("-", "_minus_", 1) if raw.startswith("-") else raw
    name = snake(text, fallback=fallback.lower()).rstrip("_").upper() or fallback
    if name[0].isdigit():
        name = f"{fallback}_{name}"
    if keyword.iskeyword(name) or name in {"NAME", "VALUE"}:
        name += "_"
    return name


def unique(
    candidates: list[str],
    what: str,
    warnings: list[Finding],
    *,
    raws: list[str] | None = None,
    joiner: str = "_",
    places: list[str] | None = None,
    fixed: list[bool] | None = None,
) -> list[str]:
    """Resolve collisions by the written rule, with a warning for each: a name the document fixed with
    `x-python-name` keeps it; then a raw name that is already its candidate keeps it (`kind` beats `Kind`); the
    others, in spec order, get 2, 3 ... (`kind_2`, or `Kind2` for classes). Two fixed names that are the same is a
    collision no rule settles: NameClash. `places` holds each candidate's JSON pointer, where findings point."""
    order = list(range(len(candidates)))
    if raws is not None:
        order.sort(key=lambda i: raws[i] != candidates[i])
    if fixed is not None:
        order.sort(key=lambda i: not fixed[i])
    taken: dict[str, int] = {}
    result = list(candidates)
    for index in order:
        name = candidates[index]
        if fixed is not None and fixed[index] and name in taken:
            other = places[taken[name]] if places else ""
            raise NameClash([Finding(f"x-python-name {name!r} is also the {what} of {other or 'another name'}", places[index] if places else "")])
        chosen = free(name, taken, joiner)
        if chosen != name:
            warnings.append(Finding(f"{what}: {name!r} is taken; using {chosen!r}", places[index] if places else ""))
        taken[chosen] = index
        result[index] = chosen
    return result


def free(name: str, taken: Container[str], joiner: str = "_") -> str:
    """`name`, or the first of name2, name3 ... (`joiner` between) that is not taken: what `unique` gives a name
    that comes after all of `taken`, without going through them again (a name derived from another: `list_all`)."""
    chosen, counter = name, 2
    while chosen in taken:
        chosen, counter = f"{name.rstrip('_')}{joiner}{counter}", counter + 1
    return chosen


class NameClash(Exception):
    """Names the written rules cannot settle; each finding is located at one of them."""

    def __init__(self, findings: list[Finding]) -> None:
        super().__init__("; ".join(f.message for f in findings))
        self.findings = findings


def override(node: Any, place: str, *, reserved: frozenset[str] = frozenset()) -> str | None:
    """The `x-python-name` of a document node: a valid identifier that is not a keyword or a reserved name, taken
    as written; None when the node has none. Anything else is a located error."""
    value = node.get("x-python-name") if isinstance(node, dict) else None
    if value is None:
        return None
    if not isinstance(value, str) or not value.isidentifier() or not value.isascii():
        raise NameClash([Finding(f"x-python-name {value!r} is not a Python identifier", pointer_join(place, "x-python-name"))])
    if value in KEYWORDS or value in reserved:
        raise NameClash([Finding(f"x-python-name {value!r} is reserved here", pointer_join(place, "x-python-name"))])
    return value


def env_prefix(raw: str) -> str:
    """Environment variable prefix: `PostHog` -> POSTHOG."""
    return package(raw, "x")[: -len("_x")].upper()


# A package name is a folder name: most file systems refuse more than 255 bytes, and pip and tools show it
# everywhere; a longer title is cut, with a digest of the whole so that two long titles stay apart.
MAX_PACKAGE_BASE = 48


def package(raw: str, suffix: str) -> str:
    """Distribution-safe package name: `PostHog` + `client` -> posthog_client."""
    base = "".join(w.lower() for w in _ascii_words(raw)) or "api"
    if base[0].isdigit():
        base = f"api{base}"
    if len(base) > MAX_PACKAGE_BASE:
        base = base[: MAX_PACKAGE_BASE - 9] + hashlib.sha256(base.encode("ascii")).hexdigest()[:8]
    return f"{base}_{suffix}"
