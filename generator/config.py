"""Configuration: the `[tool.specgen]` table of the nearest pyproject.toml, or a file given with --config.

The table is checked before anything runs: an unknown key or a value of the wrong type is a ConfigError located at
FILE:LINE:COL of the key (the command line exits 2). Paths in the table are relative to the file that holds it.
"""

from __future__ import annotations

import keyword
import os
import re
import tomllib
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Callable

from generator.errors import Problem
from generator.rules import RULES, SEVERITIES

TARGETS = ("client", "server")
_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_PROJECT = re.compile(r"^([A-Za-z0-9]|[A-Za-z0-9][A-Za-z0-9._-]*[A-Za-z0-9])$")  # PEP 508 distribution name
PEP440 = re.compile(r"^\d+(\.\d+)*((a|b|rc)\d+)?(\.post\d+)?(\.dev\d+)?$")
_TOML_ERROR_AT = re.compile(r"\(at line (\d+), column (\d+)\)")


@dataclass(frozen=True)
class Settings:
    """Everything a project configures; every field has a neutral default (None: decided from the document)."""

    spec: str | None = None
    out: str = "generated"
    targets: tuple[str, ...] = TARGETS
    client_package: str | None = None
    server_package: str | None = None
    client_project: str | None = None  # the distribution name in pyproject.toml; default: the package name
    server_project: str | None = None
    version: str | None = None  # default: info.version when it is a PEP 440 version, else 0.0.0
    description: str | None = None  # default: one sentence naming the API's title
    license: str | None = None
    authors: tuple[tuple[str, str], ...] = ()  # (name, email), either may be ""
    templates: str | None = None  # a folder whose files replace the built-in templates of the same path
    rules: tuple[tuple[str, str], ...] = ()  # (rule name, severity) as configured, in file order
    development_key_prefix: str | None = None  # default: the document's x-specgen extension, else "dev_"
    invalid_key_message: str | None = None  # default: the document's x-specgen extension, else "Invalid API key."

    @property
    def rule_severities(self) -> dict[str, str]:
        return dict(self.rules)


class ConfigError(Exception):
    def __init__(self, problem: Problem) -> None:
        super().__init__(str(problem))
        self.problem = problem


def find_pyproject(start: Path) -> Path | None:
    """The nearest pyproject.toml from `start` upwards."""
    for folder in (start, *start.parents):
        candidate = folder / "pyproject.toml"
        if candidate.is_file():
            return candidate
    return None


def load_settings(config: str | None = None, cwd: Path | None = None) -> Settings:
    """The settings of --config FILE (whose [tool.specgen] table must exist), else of the nearest pyproject.toml
    (which need not have one), else the defaults."""
    cwd = cwd or Path.cwd()
    path = Path(config) if config else find_pyproject(cwd)
    if path is None:
        return Settings()
    shown = config or _relative(str(path), cwd)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(Problem(shown, f"cannot read the configuration: {exc}", None, kind="config")) from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        line, column = _toml_error_position(exc)
        message = _TOML_ERROR_AT.sub("", str(exc)).strip()
        raise ConfigError(Problem(shown, f"not valid TOML: {message}", None, line, column, kind="config")) from None
    table = data.get("tool", {}).get("specgen") if isinstance(data.get("tool"), dict) else None
    if table is None:
        if config:
            raise ConfigError(Problem(shown, "no [tool.specgen] table in this file", None, 1, 1, kind="config"))
        return Settings()
    return _settings(table, _Locator(shown, text), path.parent, cwd)


def _toml_error_position(exc: tomllib.TOMLDecodeError) -> tuple[int, int]:
    line, column = getattr(exc, "lineno", None), getattr(exc, "colno", None)
    if isinstance(line, int) and isinstance(column, int):
        return line, column
    found = _TOML_ERROR_AT.search(str(exc))
    return (int(found.group(1)), int(found.group(2))) if found else (1, 1)


def _relative(path: str, cwd: Path) -> str:
    """A path shown and used relative to the working directory when it lies below it, as the user would type it."""
    relative = os.path.relpath(path, cwd)
    return path if relative.startswith("..") else relative


class _Locator:
    """Finds the line and column of a key of [tool.specgen] or one of its sub-tables in the TOML text."""

    def __init__(self, file: str, text: str) -> None:
        self.file = file
        self.lines = text.splitlines()

    def error(self, table: str, key: str | None, message: str) -> ConfigError:
        line, column = self._find(table, key)
        return ConfigError(Problem(self.file, message, None, line, column, kind="config"))

    def _find(self, table: str, key: str | None) -> tuple[int, int]:
        header = re.compile(r"^\s*\[\s*" + re.escape(table).replace(r"\.", r"\s*\.\s*") + r"\s*\]\s*(#.*)?$")
        start = next((i for i, line in enumerate(self.lines) if header.match(line)), None)
        if start is None:
            return 1, 1
        if key is None:
            return start + 1, 1
        assignment = re.compile(r"^(\s*)(\"?)" + re.escape(key) + r"\2\s*=")
        for index in range(start + 1, len(self.lines)):
            if re.match(r"^\s*\[", self.lines[index]):
                break
            found = assignment.match(self.lines[index])
            if found:
                return index + 1, len(found.group(1)) + 1
        return start + 1, 1


def _settings(table: Any, where: _Locator, base: Path, cwd: Path) -> Settings:
    if not isinstance(table, dict):
        raise where.error("tool", "specgen", "[tool.specgen] must be a table")
    values: dict[str, Any] = {}
    for key, value in table.items():
        reader = _READERS.get(key)
        if reader is None:
            known = ", ".join(sorted(_READERS))
            raise where.error("tool.specgen", key, f"unknown key {key!r} in [tool.specgen]; known keys: {known}")
        try:
            values[key.replace("-", "_")] = reader(value)
        except _Invalid as exc:
            raise where.error("tool.specgen", key, f"{key}: {exc}") from None
    if "rules" in table:
        values["rules"] = _rules(table["rules"], where)
    values.setdefault("out", Settings.out)
    for key in ("spec", "out", "templates"):
        if key in values:
            values[key] = _relative(str(base / values[key]), cwd)
    return Settings(**values)


class _Invalid(Exception):
    pass


def _string(value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise _Invalid(f"expected a non-empty string, got {_shown(value)}")
    return value


def _shown(value: Any) -> str:
    return f"{type(value).__name__} {value!r}"[:80]


def _package(value: Any) -> str:
    name = _string(value)
    if not _IDENTIFIER.match(name) or keyword.iskeyword(name):
        raise _Invalid(f"{name!r} is not a Python package name (letters, digits and _, not a keyword)")
    return name


def _project(value: Any) -> str:
    name = _string(value)
    if not _PROJECT.match(name):
        raise _Invalid(f"{name!r} is not a distribution name (letters, digits, '.', '_' and '-')")
    return name


def _version(value: Any) -> str:
    version = _string(value)
    if not PEP440.match(version):
        raise _Invalid(f"{version!r} is not a PEP 440 version such as 1.2.0")
    return version


def _key_prefix(value: Any) -> str:
    prefix = _string(value)
    if not re.fullmatch(r"[A-Za-z0-9_.-]{1,32}", prefix):
        raise _Invalid(f"{prefix!r}: up to 32 letters, digits, '_', '.' or '-'")
    return prefix


def _targets(value: Any) -> tuple[str, ...]:
    if not isinstance(value, list) or not value or any(v not in TARGETS for v in value):
        raise _Invalid(f"expected a non-empty list of {' and '.join(repr(t) for t in TARGETS)}, got {_shown(value)}")
    return tuple(t for t in TARGETS if t in value)


def _authors(value: Any) -> tuple[tuple[str, str], ...]:
    """PEP 621's shape: a list of {name = "...", email = "..."} tables."""
    if not isinstance(value, list):
        raise _Invalid(f"expected a list of {{name = ..., email = ...}} tables, got {_shown(value)}")
    authors = []
    for author in value:
        if not isinstance(author, dict) or not author or set(author) - {"name", "email"}:
            raise _Invalid(f"each author is a table with name and/or email, got {_shown(author)}")
        name, email = author.get("name", ""), author.get("email", "")
        if not isinstance(name, str) or not isinstance(email, str):
            raise _Invalid(f"an author's name and email are strings, got {_shown(author)}")
        authors.append((name, email))
    return tuple(authors)


def _table_placeholder(value: Any) -> Any:
    if not isinstance(value, dict):
        raise _Invalid(f"expected a table ([tool.specgen.rules]), got {_shown(value)}")
    return value


def _rules(value: dict[str, Any], where: _Locator) -> tuple[tuple[str, str], ...]:
    rules = []
    for name, severity in value.items():
        if name not in RULES:
            known = ", ".join(sorted(RULES))
            raise where.error("tool.specgen.rules", name, f"unknown rule {name!r}; known rules: {known}")
        if severity not in SEVERITIES:
            choices = ", ".join(repr(s) for s in SEVERITIES)
            raise where.error("tool.specgen.rules", name, f"rule {name}: severity must be one of {choices}, got {_shown(severity)}")
        rules.append((name, str(severity)))
    return tuple(rules)


_READERS: dict[str, Callable[[Any], Any]] = {
    "spec": _string,
    "out": _string,
    "targets": _targets,
    "client-package": _package,
    "server-package": _package,
    "client-project": _project,
    "server-project": _project,
    "version": _version,
    "description": _string,
    "license": _string,
    "authors": _authors,
    "templates": _string,
    "rules": _table_placeholder,
    "development-key-prefix": _key_prefix,
    "invalid-key-message": _string,
}
CONFIG_KEYS = tuple(_READERS)


def with_overrides(settings: Settings, **overrides: Any) -> Settings:
    """Command-line flags win over the configuration; None means the flag was not given."""
    return replace(settings, **{k: v for k, v in overrides.items() if v is not None})
