"""A list's paging facts as the arguments of the runtimes' `Paging(...)`, as source: only the facts a runtime reads
for the paging style, and only where they differ from the runtimes' defaults."""

from __future__ import annotations

from generator.api.pagination import Paging
from generator.python.text import literal


def keywords(paging: Paging, names: tuple[str, ...]) -> str:
    """`name=literal, ...` for each of `names` whose value is not the runtimes' default, as source."""
    return ", ".join(items(paging, names))


def items(paging: Paging, names: tuple[str, ...]) -> tuple[str, ...]:
    """`name=literal` for each of `names` whose value is not the runtimes' default."""
    return tuple(f"{n}={literal(getattr(paging, n))}" for n in names if getattr(paging, n) != DEFAULT[n])


# What the runtimes assume when a list says nothing else: Django REST framework's limit/offset envelope.
DEFAULT: dict[str, object] = dict(
    style="next", items="results", next="next", previous="previous", param="offset", limit="limit", total="count",
    pages="", numbered=False,
)
# The facts each runtime reads for a style (the client takes `items` as a Python attribute, apart).
CLIENT = {
    "next": ("style", "next"), "cursor": ("style", "next", "param"), "offset": ("style", "param", "limit", "total"),
    "page": ("style", "param", "limit", "pages"), "link": ("style",), "all": ("style",),
}
SERVER = ("style", "items", "next", "previous", "param", "limit", "total", "pages", "numbered")
