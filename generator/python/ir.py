"""The intermediate model: small frozen dataclasses carrying every decided fact.

Everything a template prints is here already: Python names (checked identifiers), type
expressions, Python literals (built with repr), docstrings (escaped). Templates only loop,
branch and print.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from generator.errors import Finding
from generator.python import layout, paging_args
from generator.python.text import literal
from generator.api.pagination import Paging
from generator.api.types import NONE, TypeNode
from generator.python.annotation import Part, render


@dataclass(frozen=True)
class Field:
    name: str
    wire: str  # Python literal of the JSON property name
    wire_name: str  # the JSON property name
    type: TypeNode  # as the schema gives it, null included where null is a value
    default_literal: str  # Python literal used when the field is optional
    extras: tuple[str, ...]  # Field() keyword arguments: alias, constraints
    doc: str  # escaped docstring text, may be ""
    required: bool
    read_only: bool
    write_only: bool
    nullable: bool  # null is a valid value (not merely "absent")
    python_re: bool = False  # its pattern needs Python's re, not pydantic's default engine (python/patterns.py)

    @property
    def type_expr(self) -> str:
        return render(self.type)

    @property
    def annotation(self) -> str:
        """Optional fields default to None (not sent); where null is not a valid value, an explicit null is refused."""
        if self.required or self.nullable:
            return self.type_expr
        return f"Annotated[{self.type_expr} | None, _rt.NotNull]"

    @property
    def declaration(self) -> str:
        """`name: annotation = default` in a model's class body (one level deep), laid out as black prints it."""
        annotation: layout.Expression = self.annotation
        if not (self.required or self.nullable):  # the same as `annotation`, with its brackets for layout
            annotation = layout.Brackets("Annotated", (f"{self.type_expr} | None", "_rt.NotNull"), "[")
        args = ([] if self.required else [self.default_literal]) + list(self.extras)
        if not args:
            return f"{self.name}: {self.annotation}"
        if args == [self.default_literal]:
            return layout.assignment(1, self.name, annotation, self.default_literal)
        # `default=` by keyword: only then does a type checker (pydantic's dataclass_transform) see it optional.
        keywords = args if self.required else [f"default={self.default_literal}", *self.extras]
        return layout.assignment(1, self.name, annotation, layout.call("Field", *keywords))


@dataclass(frozen=True)
class ModelClass:
    name: str
    doc: str
    fields: tuple[Field, ...]
    is_input: bool  # request bodies: unknown and read-only fields are ignored

    @property
    def python_re(self) -> bool:
        """A field's pattern needs Python's re: the model is configured with it (pydantic's regex_engine)."""
        return any(f.python_re for f in self.fields)


@dataclass(frozen=True)
class EnumMember:
    name: str
    value: str  # Python literal
    data: str | int  # the value itself


@dataclass(frozen=True)
class EnumClass:
    name: str
    doc: str
    base: str  # "str" or "int"
    members: tuple[EnumMember, ...]


@dataclass(frozen=True)
class Alias:
    name: str
    type: TypeNode
    doc: str

    @property
    def type_expr(self) -> str:
        return render(self.type)


@dataclass(frozen=True)
class Param:
    name: str
    wire: str  # Python literal of the wire name
    wire_name: str
    location: str  # path, query, header or cookie
    type: TypeNode  # without the Unset part
    required: bool
    explode: bool
    doc: str
    value_expr: str  # how the client passes the value: the name, or `_rt.csv(name)` for explode: false
    request_field: str  # the field declaration in the server's request model

    @property
    def type_expr(self) -> str:
        return render(self.type)

    @property
    def needs_alias(self) -> bool:
        """The wire name is not the Python name: the server's request field declares it (Field(alias=...))."""
        return literal(self.name) != self.wire


@dataclass(frozen=True)
class Body:
    type: TypeNode  # model (or other type) the server validates
    media_type: str  # Python literal
    required: bool
    fields: tuple[Field, ...]  # flattened into client keywords; empty when passed whole as `body`
    media_types: tuple[str, ...] = ()  # every media type the document lists for the body, in its order
    kind: str = "json"  # json, form, multipart, text or binary (api/media.py)

    @property
    def type_expr(self) -> str:
        return render(self.type)


@dataclass(frozen=True)
class Argument:
    """One parameter of a client method, as a fact: what it is on the wire and what it accepts."""

    name: str
    location: str  # path, query, header, cookie; "body" for a body field, "" for the whole body
    wire: str  # the wire name (parameter or property), "" for the whole body
    type: TypeNode
    required: bool
    keyword_only: bool


@dataclass(frozen=True)
class Signatures:
    """A client method's parameters (`self` and `**options` aside): the method itself, the method without its body
    (the iterator, page and streaming variants), and the @overload stubs (request model, then keywords) or ()."""

    method: tuple[Argument, ...]
    read: tuple[Argument, ...]
    overloads: tuple[tuple[Argument, ...], ...]


@dataclass(frozen=True)
class Pagination:
    item: TypeNode  # the type of each item of a page
    iterator_name: str  # the client's walk-every-page method
    pages_name: str  # the client's method returning the first page object
    paging: Paging
    items_attr: str  # the Python attribute of the page model holding the items, "" when the page is a list

    @property
    def item_type(self) -> str:
        return render(self.item)

    @property
    def client_paging(self) -> str:
        """The client runtime's `paging=` argument, or "" for the default."""
        wanted = paging_args.CLIENT[self.paging.style]
        style = paging_args.keywords(self.paging, wanted[:1])
        items = f"items={literal(self.items_attr)}" if self.items_attr != paging_args.DEFAULT["items"] else ""
        args = ", ".join(a for a in (style, items, paging_args.keywords(self.paging, wanted[1:])) if a)
        return f"paging=_rt.Paging({args})" if args else ""


@dataclass(frozen=True)
class Behaviour:
    """What the in-memory server does for an operation, derived from the spec's shape."""

    kind: str  # list, create, retrieve, update, destroy, destroy_forbidden, action_create, action_read
    collection: str  # Python literal naming the store collection
    id_kind: str  # "uuid", "int" or "str"
    unique_by: tuple[str, ...]  # wire names: a create that repeats one answers 409
    memory_call: str  # the in-memory store method serving it, or "unsupported" (answers 501)
    result_model: str  # the model class the store builds, or ""
    detail: str  # Python literal: the 405's description when the spec forbids the method, else ""
    paging: Paging | None = None  # how the fake pages a list

    @property
    def memory_args(self) -> tuple[layout.Expression, ...]:
        """The store call's arguments."""
        if self.memory_call == "forbid":
            return (layout.Whole(self.detail),)
        if self.memory_call in ("destroy", "action_read", "action_create"):
            # as text.literal prints a tuple: a comma after each item
            unique_by = layout.Brackets("unique_by=", tuple(map(literal, self.unique_by)), display=True, comma_after_each=True)
            return ("ctx", self.collection, f'id_kind="{self.id_kind}"', unique_by)
        args = ("ctx", self.collection, self.result_model, f'id_kind="{self.id_kind}"')
        wanted = paging_args.SERVER[:2] if self.paging and self.paging.style == "all" else paging_args.SERVER
        paging = paging_args.items(self.paging, wanted) if self.paging else ()
        return (*args, layout.call("paging=_mem.Paging", *paging)) if paging else args


@dataclass(frozen=True)
class ClientFlavour:
    """An operation's client methods in one flavour (sync or async): each `def` line with its parameters and each
    `return` statement, as source laid out as black prints it (python/layout.py); "" where the method is not made."""

    overloads: tuple[str, ...]  # the @overload stubs, `def name(...) -> R: ...` (request model, or keywords), or ()
    method: str  # `def name(...) -> R:`; "" for an operation answering only events
    call: str  # its `return` of the runtime call
    events: str  # the event-stream method's `def`
    events_call: str
    iterator: str  # the walk-every-page iterator's `def`
    iterator_call: str
    pages: str  # the first-page-object method's `def`
    pages_call: str
    stream: str  # the streaming variant's `def`
    stream_call: str


@dataclass(frozen=True)
class ClientMethod:
    """What the client prints for an operation: its methods (the call, and the page, stream and events variants)."""

    arguments: Signatures  # the parameters of the method, its read variants and its overloads, as facts
    returns: str  # what the method returns
    result_parts: tuple[Part, ...]  # the same as facts: each alternative (none for an events-only operation)
    cast: str  # Python literal of the result type when mypy needs a cast (unions), else ""
    stream_name: str  # the streaming variant's method name, or ""
    events_name: str  # the method returning the event stream (the operation's own name when that is all it answers)
    events_doc: str  # its docstring: the operation's own when events are all it answers
    example_call: str  # one line for the README
    sync: ClientFlavour
    asynchronous: ClientFlavour


@dataclass(frozen=True)
class ServerRoute:
    """What the server prints for an operation: its route, request object, interface method and fake."""

    method: str  # the interface's (and the fake's) `async def name(self, request, ctx) -> R:`, laid out as black does
    request_class: str  # the typed request object
    path: str  # Python literal of the route path, placeholders renamed to parameter names
    result: str  # what the interface method returns
    result_parts: tuple[Part, ...]  # the same as facts: each alternative
    scopes: str  # Python literal tuple
    route_params: str  # Python literal: ((wire, name, location, explode), ...) for the binding, as black prints it
    behaviour: Behaviour  # what the in-memory fake does
    soft_delete: tuple[tuple[str, str], ...]  # x-soft-delete: (wire literal, value literal) the PATCH sends instead

    @property
    def fake(self) -> str:
        """The in-memory fake's method body, `return self._store.…(…)` (without `return` when the method returns
        None), laid out as black prints it there."""
        call = layout.call(f"self._store.{self.behaviour.memory_call}", *self.behaviour.memory_args)
        return layout.statement(2, call, "" if self.result_parts == (NONE,) else "return ")


@dataclass(frozen=True)
class Operation:
    method_name: str
    http_method: str  # "GET"
    path: str  # the document's path template
    summary: str  # escaped, one line
    doc: str  # escaped docstring text
    params: tuple[Param, ...]
    body: Body | None
    success_status: int
    result: TypeNode  # the success body's type (None when there is none, or it is not JSON)
    result_kind: str  # model, none, raw (undocumented), binary, text or events
    result_media: str  # Python literal of the success media type of a binary, text or events result, else ""
    events_item: TypeNode | None  # the type of each event's data when the answer may be an event stream
    error_statuses: tuple[int, ...]  # documented 4xx/5xx, listed in the server README
    pagination: Pagination | None
    idempotency_header: str  # Python literal of the header carrying an idempotency key (x-idempotency-key), or ""
    error_model: str  # the model class of the operation's error schema where it is not the document's common one
    client: ClientMethod
    server: ServerRoute

    @property
    def events_type(self) -> str:
        return render(self.events_item) if self.events_item is not None else ""


@dataclass(frozen=True)
class Resource:
    tag: str  # Python literal of the spec's tag
    tag_name: str  # the tag itself
    attr: str  # client.attr
    class_name: str  # client resource class
    async_class_name: str
    interface_name: str  # server interface
    memory_class: str  # its in-memory implementation
    router_name: str
    doc: str
    operations: tuple[Operation, ...]

    @property
    def router(self) -> str:
        """The server's `def <router_name>(impl) -> APIRouter:`, laid out as black prints it (at the top level)."""
        return layout.definition(0, f"def {self.router_name}", (f"impl: interface.{self.interface_name}",), "APIRouter")

    @property
    def include(self) -> str:
        """create_app's `app.include_router(...)` of this resource's router, laid out as black prints it there."""
        router = layout.call(self.router_name, f"{self.attr} or memory.{self.memory_class}(store)")
        return layout.statement(1, layout.call("app.include_router", router))

    @property
    def soft_deletes(self) -> tuple[tuple[str, str], ...]:
        """(collection literal, the fields and values of a soft-deleted row as a dict literal) of each collection
        an operation of this resource soft-deletes (`x-soft-delete`): the fake hides such rows."""
        found = {
            op.server.behaviour.collection: "{" + ", ".join(f"{wire}: {value}" for wire, value in op.server.soft_delete) + "}"
            for op in self.operations
            if op.server.soft_delete
        }
        return tuple(found.items())


@dataclass(frozen=True)
class Example:
    """One README example: runnable Python, built from decided names and literals only."""

    title: str  # markdown
    note: str  # markdown, may be ""
    code: str  # Python source


@dataclass(frozen=True)
class TagGroup:
    """`x-tagGroups`: resources presented together in the README, with the group's description."""

    title: str  # markdown
    doc: str  # markdown
    attrs: tuple[str, ...]  # the client attributes of its resources


@dataclass(frozen=True)
class Api:
    title: str  # escaped text
    version: str  # PEP 440-safe version string
    source: str  # spec file name shown in headers, escaped
    client_package: str
    server_package: str
    client_project: str  # distribution names (pyproject.toml), from the configuration; default: the package names
    server_project: str
    client_description: str  # escaped for a TOML basic string
    server_description: str
    license: str  # escaped for a TOML basic string, "" for none
    authors: tuple[tuple[str, str], ...]  # (name, email) escaped for TOML basic strings, either may be ""
    client_class: str
    async_client_class: str
    user_agent: str  # Python literal
    api_key_env: str  # Python literal
    host_env: str  # Python literal
    log_env: str  # Python literal: the environment variable switching the client's logging on
    default_host: str  # Python literal
    hosts: tuple[tuple[str, str], ...]  # (escaped description, URL literal) of each server
    models: tuple[ModelClass, ...]
    enums: tuple[EnumClass, ...]
    aliases: tuple[Alias, ...]
    resources: tuple[Resource, ...]
    title_literal: str
    title_toml: str  # escaped for a TOML basic string
    title_markdown: str
    doc_markdown: str
    server_keys_env: str  # Python literal
    server_keys_env_doc: str  # escaped text
    imports: dict[str, tuple[str, ...]]  # module kind -> its import lines (standard library and third party)
    examples: tuple[Example, ...]  # the client README's examples, in order
    tag_groups: tuple[TagGroup, ...]
    model_imports: dict[str, str]  # module kind -> its `from .models import …` of the model classes it uses, or ""
    warnings: tuple[Finding, ...]  # (message, JSON pointer)
    # package ("client"/"server") -> the media names it re-exports (File, Event...) when the document uses them
    media_exports: dict[str, tuple[str, ...]] = field(default_factory=dict)
    error_model: str = ""  # the model class of the document's common error schema; "" for RFC 9457 problem details
