"""Two Python surfaces compared: what stops working in code written against the old generated client or server.

Renames are found through the wire identity each item keeps: a method whose operation (method and path) is still
there under another name was renamed; so was a parameter with the same wire name, a field with the same property
name, an enum member with the same value; a class whose fields (or values) are all the same was renamed.
"""

from __future__ import annotations

from collections.abc import Iterable

from generator.diff import accepts
from generator.diff.accepts import Typed
from generator.diff.change import MODELS, PYTHON, Change
from generator.diff.locate import Locator
from generator.diff.surface import CLIENT, SERVER, Arg, Method, Surface, TypeDef
from generator.api.types import NONE


_TARGET_ORDER = {CLIENT: 0, SERVER: 1, MODELS: 2}


def compare_surfaces(old: Surface, new: Surface, old_at: Locator, new_at: Locator) -> list[Change]:
    changes = _Compare(old_at, new_at, old, new).run(old, new)
    unique = {(c.rule, c.old, c.new, c.message): c for c in changes}
    return sorted(unique.values(), key=lambda c: (not c.breaking, _TARGET_ORDER.get(c.target, 3), c.old, c.new, c.rule, c.message))


class _Compare:
    def __init__(self, old_at: Locator, new_at: Locator, old: Surface, new: Surface) -> None:
        self.old_at, self.new_at = old_at, new_at
        self.old_homes, self.new_homes = _homes(old, old_at), _homes(new, new_at)
        self.changes: list[Change] = []

    def old_home(self, name: str) -> str:
        return self.old_homes.get(name) or self.old_at.schema(name)

    def new_home(self, name: str) -> str:
        return self.new_homes.get(name) or self.new_at.schema(name)

    def emit(self, target: str, rule: str, breaking: bool, message: str, old: str, new: str) -> None:
        self.changes.append(Change(PYTHON, rule, breaking, message, old, new, target))

    def run(self, old: Surface, new: Surface) -> list[Change]:
        for (target, what, before), (_, _, after) in zip(old.names, new.names):
            if before != after:
                self.emit(target, "name-renamed", True, f"{what} `{before}` renamed to `{after}`", "/info/title", "/info/title")
        self._resources(old, new)
        self._methods(old.methods, new.methods)
        self._types(old.types, new.types)
        return self.changes

    def _resources(self, old: Surface, new: Surface) -> None:
        """Resources are matched by tag, then (a renamed tag) by the operations they serve."""
        new_by_tag = {r[0]: r for r in new.resources}
        old_tags = {r[0] for r in old.resources}
        for tag, attr, class_name, interface in old.resources:
            match = new_by_tag.get(tag)
            if match is None:
                served = {m.wire for m in old.methods if m.owner == f"client.{attr}"}
                candidates = [r for r in new.resources if r[0] not in old_tags]
                overlap = [(len(served & {m.wire for m in new.methods if m.owner == f"client.{r[1]}"}), r) for r in candidates]
                best = max(overlap, default=(0, None), key=lambda pair: pair[0])
                match = best[1] if best[0] else None
            if match is None:
                continue  # its methods are reported one by one
            _, new_attr, new_class, new_interface = match
            first_old = next((m.wire for m in old.methods if m.owner == f"client.{attr}"), ("", ""))
            first_new = next((m.wire for m in new.methods if m.owner == f"client.{new_attr}"), ("", ""))
            where_old, where_new = self.old_at.tags(first_old), self.new_at.tags(first_new)
            if attr != new_attr:
                self.emit(CLIENT, "resource-renamed", True, f"client attribute `client.{attr}` renamed to `client.{new_attr}`", where_old, where_new)
            if class_name != new_class:
                self.emit(CLIENT, "class-renamed", True, f"client class `{class_name}` renamed to `{new_class}`", where_old, where_new)
            if interface != new_interface:
                self.emit(SERVER, "class-renamed", True,
                          f"server interface `{interface}` renamed to `{new_interface}` (implementations subclass it)", where_old, where_new)

    def _methods(self, old: Iterable[Method], new: Iterable[Method]) -> None:
        new = list(new)
        by_wire = {(m.target, m.wire, m.variant): m for m in new}
        by_name = {(m.target, m.owner, m.name): m for m in new}
        paired: set[int] = set()
        for before in old:
            after = by_wire.get((before.target, before.wire, before.variant))
            if after is None or id(after) in paired:
                after = by_name.get((before.target, before.owner, before.name))
            if after is None or id(after) in paired:
                what = "client method" if before.target == CLIENT else "server interface method"
                self.emit(before.target, "method-removed", True, f"{what} `{before.dotted}` removed",
                          self.old_at.operation(before.wire), self.new_at.operation(before.wire))
                continue
            paired.add(id(after))
            self._method(before, after)
        for after in new:
            if id(after) not in paired:
                what = "client method" if after.target == CLIENT else "server interface method"
                self.emit(after.target, "method-added", False, f"{what} `{after.dotted}` added",
                          self.old_at.operation(after.wire), self.new_at.operation(after.wire))

    def _method(self, before: Method, after: Method) -> None:
        old_ptr, new_ptr = self.old_at.operation(before.wire, id_=True), self.new_at.operation(after.wire, id_=True)
        if before.dotted != after.dotted:
            if before.target == CLIENT:
                message = f"client method `{before.dotted}` renamed to `{after.dotted}`"
                self.emit(CLIENT, "method-renamed", True, message, old_ptr, new_ptr)
            else:
                message = (f"server interface method `{before.dotted}` renamed to `{after.dotted}`: an implementation "
                           f"overriding `{before.name}` is no longer called (the operation answers 501)")
                self.emit(SERVER, "server-method-renamed", True, message, old_ptr, new_ptr)
        if before.request_class != after.request_class:
            self.emit(SERVER, "class-renamed", True, f"request class `{before.request_class}` renamed to `{after.request_class}`", old_ptr, new_ptr)
        reads = before.target == SERVER  # the server's code reads the request; the client's code writes arguments
        if before.variant in ("call", "implement"):
            self._arguments(before, after, reads)
        way = _direction(before.returns, before.result, after.returns, after.result)
        if way != "same" and before.variant in ("call", "implement"):
            # A caller reads what the client returns; an implementation writes what the server returns.
            breaking = way == "changed" or (way == "widened") == (before.target == CLIENT)
            if before.target == CLIENT and _nothing(before.returns, before.result):
                breaking = False  # callers had nothing to read; an implementation, though, must now return it
            self.emit(before.target, f"return-{way}", breaking, f"`{after.dotted}` returns `{after.returns}` instead of `{before.returns}`", old_ptr, new_ptr)

    def _arguments(self, before: Method, after: Method, reads: bool) -> None:
        new_args = {a.key: a for a in after.args}
        old_keys = {a.key for a in before.args}
        # An argument whose wire identity changed (a path parameter now sent in the query) is found by its name.
        by_name = {a.name: a for a in after.args if a.key not in old_keys}
        noun = "request field" if reads else "parameter"
        matched: set[str] = set()
        for arg in before.args:
            old_ptr = self.old_at.argument(before.wire, arg.key)
            match = new_args.get(arg.key) or by_name.get(arg.name)
            if match is not None:
                matched.add(match.key)
            if match is None:
                self.emit(before.target, "parameter-removed", True, f"{noun} `{arg.name}` of `{after.dotted}` removed", old_ptr,
                          self.new_at.operation(after.wire))
                continue
            self._argument(before, after, arg, match, reads, old_ptr, self.new_at.argument(after.wire, match.key))
        for arg in after.args:
            if arg.key not in old_keys and arg.key not in matched:
                breaking = arg.required and not reads
                what = "required " if arg.required else "optional "
                self.emit(after.target, "parameter-added", breaking, f"{what}{noun} `{arg.name}` of `{after.dotted}` added",
                          self.old_at.operation(before.wire), self.new_at.argument(after.wire, arg.key))

    def _argument(self, before: Method, after: Method, old: Arg, new: Arg, reads: bool, old_ptr: str, new_ptr: str) -> None:
        target, name = after.target, f"`{new.name}` of `{after.dotted}`"
        noun = "request field" if reads else "parameter"
        if old.name != new.name:
            self.emit(target, "parameter-renamed", True, f"{noun} `{old.name}` of `{after.dotted}` renamed to `{new.name}`", old_ptr, new_ptr)
        if not reads:
            if not old.keyword_only and new.keyword_only:
                self.emit(target, "parameter-became-keyword-only", True, f"parameter {name} became keyword-only", old_ptr, new_ptr)
            elif old.keyword_only and not new.keyword_only:
                self.emit(target, "parameter-became-positional", False, f"parameter {name} may now be passed by position", old_ptr, new_ptr)
            elif not old.keyword_only and old.position != new.position:
                self.emit(target, "parameter-moved", True, f"parameter {name} moved from position {old.position + 1} to {new.position + 1}", old_ptr, new_ptr)
        if old.required != new.required:
            # A caller must now pass it; an implementation may now find it missing (None).
            breaking = new.required != reads
            what = "required" if new.required else "optional"
            self.emit(target, f"parameter-became-{what}", breaking, f"{noun} {name} became {what}", old_ptr, new_ptr)
        way = _direction(old.annotation, old.type, new.annotation, new.type)
        if way != "same":
            breaking = way == "changed" or (way == "narrowed") != reads
            self.emit(target, f"annotation-{way}", breaking, f"{noun} {name}: `{old.annotation}` -> `{new.annotation}`", old_ptr, new_ptr)

    def _types(self, old: Iterable[TypeDef], new: Iterable[TypeDef]) -> None:
        old_by_name = {t.name: t for t in old}
        new_by_name = {t.name: t for t in new}
        gone = [t for name, t in old_by_name.items() if name not in new_by_name]
        came = [t for name, t in new_by_name.items() if name not in old_by_name]
        renamed: dict[str, TypeDef] = {}
        for before in gone:
            same = [t for t in came if t.kind == before.kind and _shape(t) == _shape(before) and t.name not in {r.name for r in renamed.values()}]
            if len(same) == 1:
                renamed[before.name] = same[0]
        for before in gone:
            after = renamed.get(before.name)
            old_ptr = self.old_home(before.name)
            if after is None:
                self.emit(MODELS, "class-removed", True, f"{before.kind} `{before.name}` removed", old_ptr, self.new_home(before.name))
            else:
                self.emit(MODELS, "class-renamed", True, f"{before.kind} `{before.name}` renamed to `{after.name}`", old_ptr, self.new_home(after.name))
                self._type(before, after)
        for after in came:
            if after not in renamed.values():
                self.emit(MODELS, "class-added", False, f"{after.kind} `{after.name}` added", self.old_home(after.name), self.new_home(after.name))
        for name, before in old_by_name.items():
            if name in new_by_name:
                self._type(before, new_by_name[name])

    def _type(self, before: TypeDef, after: TypeDef) -> None:
        old_ptr, new_ptr = self.old_home(before.name), self.new_home(after.name)
        if before.kind == "alias" or after.kind == "alias":
            if before.kind != after.kind or _direction(before.annotation, before.type, after.annotation, after.type) != "same":
                self.emit(MODELS, "alias-changed", True, f"`{after.name}` is `{after.annotation or after.kind}` instead of `{before.annotation or before.kind}`", old_ptr, new_ptr)
            return
        enum = after.kind == "enum"
        noun = "member" if enum else "field"
        written = after.kind == "input model"
        new_members = {m.key: m for m in after.members}
        for member in before.members:
            at_old = self.old_at.member(old_ptr, member.key, after.kind)
            match = new_members.get(member.key)
            if match is None:
                self.emit(MODELS, f"{noun}-removed", True, f"{noun} `{after.name}.{member.name}` removed", at_old, new_ptr)
                continue
            at_new = self.new_at.member(new_ptr, match.key, after.kind)
            if member.name != match.name:
                self.emit(MODELS, f"{noun}-renamed", True, f"{noun} `{after.name}.{member.name}` renamed to `{match.name}`", at_old, at_new)
            if enum:
                continue
            if member.required != match.required:
                what = "required" if match.required else "optional"
                breaking = match.required == written  # constructors must pass it / readers may find it missing
                self.emit(MODELS, f"field-became-{what}", breaking, f"field `{after.name}.{match.name}` became {what}", at_old, at_new)
            way = _direction(member.annotation, member.type, match.annotation, match.type)
            if way != "same":
                breaking = way == "changed" or (way == "narrowed") == written
                self.emit(MODELS, f"annotation-{way}", breaking,
                          f"field `{after.name}.{match.name}`: `{member.annotation}` -> `{match.annotation}`", at_old, at_new)
        old_keys = {m.key for m in before.members}
        for member in after.members:
            if member.key not in old_keys:
                breaking = written and member.required
                what = "" if enum else ("required " if member.required else "optional ")
                self.emit(MODELS, f"{noun}-added", breaking, f"{what}{noun} `{after.name}.{member.name}` added",
                          old_ptr, self.new_at.member(new_ptr, member.key, after.kind))


def _homes(surface: Surface, at: Locator) -> dict[str, str]:
    """Where each class is defined: its component schema, or for a class made from an inline schema (an enum
    inside a property), the first field that uses it."""
    homes: dict[str, str] = {}
    for t in surface.types:
        pointer = at.schema(t.name)
        if pointer != "/components/schemas":
            homes[t.name] = pointer
    for method in surface.methods:
        for arg in method.args:
            for used in _top_names(arg.type) if arg.key == "body" else ():
                if used not in homes and (pointer := at.body_schema(method.wire)):
                    homes[used] = pointer
    for t in surface.types:
        for member in t.members:
            for used in _top_names(member.type):
                if used not in homes and t.name in homes and used in {x.name for x in surface.types}:
                    homes[used] = at.member(homes[t.name], member.key, "model")
    return homes


def _shape(t: TypeDef) -> tuple[object, ...]:
    """What a renamed class keeps: its kind, an alias's type, its fields' (or values') keys and whether required."""
    alias = accepts.normal(t.type) if t.type is not None else t.annotation
    return (t.kind, alias, tuple(sorted((m.key, m.required) for m in t.members)))


def _direction(old_text: str, old: Typed | None, new_text: str, new: Typed | None) -> str:
    """How a type changed, compared as trees: "same", "narrowed", "widened" or "changed". A type without its tree (a
    record's, where the recorded document no longer gives the annotation it recorded) is the same only as printed."""
    if old is None or new is None:
        return "same" if old_text == new_text else "changed"
    return accepts.direction(old, new)


def _nothing(printed: str, result: Typed | None) -> bool:
    """The method returned nothing (None); known as printed only, its text is that of None."""
    return result.parts == (NONE,) if result is not None else printed == "None"


def _top_names(typed: Typed | None) -> set[str]:
    return accepts.top_names(typed) if typed is not None else set()
