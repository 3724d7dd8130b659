"""Every class name of a generated package, decided in one place.

The package's modules import each other's classes, so models, enums, aliases, resource classes, server interfaces
and request classes share one namespace. The names are decided in this order: the names the caller reserves (the
client classes), then the schema components (unique among themselves by the written rules, an `x-python-name`
kept as written), then every derived class (an input or patch model, an inline schema's model or enum, a
resource's classes, a request class) as the model meets it. A derived name already taken moves by the rule
(`Name2`, `Name3`…) with a warning that names both places. The result is a map from what is named to its name.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping

from generator.errors import Finding, pointer_join
from generator.python import names
from generator.spec.schema import SchemaView


class ClassNames:
    def __init__(self, reserved: Iterable[str], warnings: list[Finding]) -> None:
        self.warnings = warnings
        self.taken: dict[str, str] = {name: "" for name in reserved}  # class name -> the pointer of what it names
        self.by_key: dict[Hashable, str] = {}  # what is named -> its class name

    def components(self, components: Mapping[str, SchemaView | None]) -> dict[str, str]:
        """Component key -> class name: unique among themselves, then moved off any reserved name."""
        keys = list(components)
        places = [pointer_join("/components/schemas", k) for k in keys]
        raws = [view.raw if view else None for view in components.values()]
        overrides = [names.override(raw, p, reserved=names.RESERVED_CLASSES) for raw, p in zip(raws, places)]
        candidates = [o or names.pascal(k) for k, o in zip(keys, overrides)]
        fixed = [o is not None for o in overrides]
        chosen = names.unique(candidates, "schema name", self.warnings, raws=keys, joiner="", places=places, fixed=fixed)
        reserved = set(self.taken)
        self.taken.update({name: place for name, place in zip(chosen, places) if name not in reserved})
        found = {}
        for key, name, place in zip(keys, chosen, places):
            found[key] = self.claim(("schema", key), name, place) if name in reserved else name
            self.by_key[("schema", key)] = found[key]
        return found

    def claim(self, key: Hashable, candidate: str, place: str) -> str:
        """The class name of `key`: decided the first time it is asked for, `candidate` unless that is taken."""
        if key in self.by_key:
            return self.by_key[key]
        chosen = names.free(candidate, self.taken, joiner="")
        if chosen != candidate:
            holder = self.taken.get(candidate)
            by = f" (by {holder})" if holder and holder != place else ""
            self.warnings.append(Finding(f"class name {candidate!r} is taken{by}; using {chosen!r}", place))
        self.taken[chosen] = place
        self.by_key[key] = chosen
        return chosen
