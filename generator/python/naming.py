"""The naming pass: every Python name of the output, decided once, before any view is made.

Each scope (the package's classes; the client's resources; a resource's methods; an operation's parameters; a
model's fields; an enum's members) takes its candidates from the API model, settles collisions by the written
rules of names.py (`x-python-name` kept as written; then spec order, `2`, `3`…, with a located warning; two fixed
names the same is an error naming both), and the result is a map from what is named to its name: `Names`.
Classes share one namespace (python/classes.py) and are named in the order the API model met them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from generator.api.model import ApiModel, Group, TypedOperation
from generator.api.schemas import Definition, Hint
from generator.errors import Finding, pointer_join
from generator.python import names
from generator.python.classes import ClassNames

# Names a client method signature may not use for a parameter.
PARAM_RESERVED = names.KEYWORDS | names.RUNTIME_NAMES | {"self", "_rt", "result", "cast", "body", "overload"}
# The per-call options every method takes in `**options` (the client runtime's RequestOptions).
PARAM_RESERVED |= {"timeout", "extra_headers", "extra_query", "extra_body", "idempotency_key"}
# `list` stays a valid method name (client.datasets.list): annotations spell it List.
_METHOD_RESERVED = (names.RUNTIME_NAMES - {"list", "dict"}) | {"close"}
# A resource is an attribute of the client, and a keyword of create_app: neither may be shadowed.
_RESOURCE_RESERVED = names.RUNTIME_NAMES | {
    "host", "api_key", "close", "aclose", "max_retries", "backoff", "retry_non_idempotent", "http_client",
    "transport", "headers", "keys", "store", "max_body_bytes", "with_options", "idempotency_header",
}


@dataclass(frozen=True)
class ResourceNames:
    attr: str  # client.attr
    class_name: str
    async_class_name: str
    interface_name: str
    memory_class: str


@dataclass
class MethodNames:
    name: str
    context: str  # the PascalCase stem of the classes the operation defines
    params: tuple[str, ...] = ()  # of each parameter, in the operation's order
    iterator: str = ""  # the walk-every-page method
    pages: str = ""  # the first-page-object method
    events: str = ""  # the event-stream method
    stream: str = ""  # the streaming variant
    request_class: str = ""


@dataclass
class Names:
    client_package: str = ""
    server_package: str = ""
    client_class: str = ""  # the async one is `Async` + this
    classes: dict[str, str] = field(default_factory=dict)  # definition key -> class name
    resources: dict[str, ResourceNames] = field(default_factory=dict)  # tag -> its names
    methods: dict[str, MethodNames] = field(default_factory=dict)  # operation key -> its names
    fields: dict[str, tuple[str, ...]] = field(default_factory=dict)  # model key -> each property's field name
    members: dict[str, tuple[str, ...]] = field(default_factory=dict)  # enum key -> each value's member name


def name_everything(
    model: ApiModel, title: str, warnings: list[Finding], *, client_package: str = "", server_package: str = ""
) -> Names:
    """`title`: the document's title, which names the packages and the client classes; the packages may be fixed
    by the configuration (`client_package`, `server_package`)."""
    result = Names(
        client_package=client_package or names.package(title, "client"),
        server_package=server_package or names.package(title, "server"),
        client_class=f"{names.pascal(title, fallback='Api')}Client",
    )
    # The client classes are named first: a schema called like one of them is the one renamed.
    classes = ClassNames({result.client_class, f"Async{result.client_class}"}, warnings)
    components = {d.component: d for d in model.definitions.values() if d.component}
    for key, name in classes.components({k: d.schema for k, d in components.items()}).items():
        result.classes[components[key].key] = name
    attrs = _resource_attrs(model.groups, warnings)
    for group, attr in zip(model.groups, attrs):
        _methods(group, attr, result, warnings)
    for kind, key in model.met:
        if kind == "definition" and key not in result.classes:
            definition = model.definitions[key]
            result.classes[key] = classes.claim(key, _candidate(definition.hint, result), definition.place)
        elif kind == "operation":
            method = result.methods[key]
            method.request_class = classes.claim((key, "Request"), f"{method.context}Request", key)
        elif kind == "group":
            group = next(g for g in model.groups if g.tag == key)
            attr = attrs[model.groups.index(group)]
            base = names.pascal(attr)
            result.resources[key] = ResourceNames(
                attr, *(classes.claim((key, form), form.format(base), group.pointer)
                        for form in ("{}Resource", "Async{}Resource", "{}Api", "Memory{}Api"))
            )
    for key, definition in model.definitions.items():
        if definition.kind == "model":
            result.fields[key] = result.fields[definition.source] if definition.source else _fields(definition, result, warnings)
        elif definition.kind == "enum":
            result.members[key] = _members(definition, result.classes[key], warnings)
    return result


def _candidate(hint: Hint, result: Names) -> str:
    start = result.classes.get(hint.base) or (result.methods[hint.base].context if hint.base in result.methods else "")
    text = start + "".join(names.pascal(part) if raw else part for part, raw in hint.parts)
    return names.pascal(text) if hint.respell else text


def _resource_attrs(groups: tuple[Group, ...], warnings: list[Finding]) -> list[str]:
    tags = [g.tag for g in groups]
    overrides = [names.override(g.view.raw if g.view else None, g.pointer, reserved=_RESOURCE_RESERVED) for g in groups]
    candidates = [o or names.snake(t, reserved=_RESOURCE_RESERVED, fallback="api") for t, o in zip(tags, overrides)]
    fixed = [o is not None for o in overrides]
    return names.unique(candidates, "resource", warnings, raws=tags, places=[g.pointer for g in groups], fixed=fixed)


def _methods(group: Group, attr: str, result: Names, warnings: list[Finding]) -> None:
    prefix = names.snake(group.tag).rstrip("_") + "_"
    entries = group.operations
    overrides = [names.override(op.facts.view.raw, op.key, reserved=_METHOD_RESERVED) for op in entries]
    candidates = []
    for op, override in zip(entries, overrides):
        raw = op.facts.view.operation_id or f"{op.facts.view.method}_{op.facts.view.path}"
        name = names.snake(str(raw), fallback="call")
        name = name[len(prefix):] if name.startswith(prefix) and len(name) > len(prefix) else name
        candidates.append(override or names.snake(name, reserved=_METHOD_RESERVED))
    chosen = names.unique(candidates, f"{group.tag} method", warnings, places=[op.key for op in entries],
                          fixed=[o is not None for o in overrides])
    taken = set(chosen)

    def fresh(candidate: str, op: TypedOperation) -> str:
        """A method name derived from another (`list_all`, `stream_tiles_stream`) that no other method has."""
        name = names.free(candidate, taken)
        if name != candidate:
            warnings.append(Finding(f"method: {candidate!r} is taken; using {name!r}", op.key))
        taken.add(name)
        return name

    for op, name in zip(entries, chosen):
        method = MethodNames(name, names.pascal(f"{attr}_{name}"))
        method.params = _params(op, method.context, warnings)
        if op.page_item is not None:
            method.iterator, method.pages = fresh(f"{name}_all", op), fresh(f"{name}_pages", op)
        kind = op.facts.success.kind
        if op.events is not None:
            method.events = name if kind == "events" else fresh(f"{name}_events", op)
        if streamable(op):
            method.stream = fresh(f"{name}_stream", op)
        result.methods[op.key] = method


def streamable(op: TypedOperation) -> bool:
    """A binary answer streams for any method (the variant takes the body too); an undocumented one for GET only."""
    kind = op.facts.success.kind
    return (op.facts.view.method == "get" and kind == "raw") or kind == "binary"


def _params(op: TypedOperation, context: str, warnings: list[Finding]) -> tuple[str, ...]:
    views = [p.view for p in op.facts.parameters]
    overrides = [names.override(p.raw, p.pointer, reserved=PARAM_RESERVED) for p in views]
    return tuple(names.unique(
        [o or names.snake(p.name, reserved=PARAM_RESERVED, fallback="param") for p, o in zip(views, overrides)],
        f"{context} parameter", warnings, places=[p.pointer for p in views], fixed=[o is not None for o in overrides],
    ))


def _fields(definition: Definition, result: Names, warnings: list[Finding]) -> tuple[str, ...]:
    props = definition.properties
    places = [p.schema.pointer or definition.schema.pointer for p in props]
    overrides = [names.override(p.schema.raw, place, reserved=names.RUNTIME_NAMES) for p, place in zip(props, places)]
    return tuple(names.unique(
        [o or names.snake(p.wire, reserved=names.RUNTIME_NAMES, fallback="field") for p, o in zip(props, overrides)],
        f"{result.classes[definition.key]} field", warnings, places=places, fixed=[o is not None for o in overrides],
    ))


def _members(definition: Definition, name: str, warnings: list[Finding]) -> tuple[str, ...]:
    candidates = [
        names.constant(str(v), fallback="VALUE") if definition.base == "str" else f"VALUE_{v}".replace("-", "MINUS_")
        for v in definition.values
    ]
    place = pointer_join(definition.schema.pointer, "enum")
    return tuple(names.unique(candidates, f"enum {name} member", warnings, places=[place] * len(candidates)))
