"""Where the built-in templates are: an installed generator carries them inside the package; a checkout has them
beside it."""

from __future__ import annotations

from pathlib import Path

_HERE = Path(__file__).resolve().parent
TEMPLATES = _HERE / "templates" if (_HERE / "templates" / "common").is_dir() else _HERE.parent / "templates"
