"""The client README's examples and resource groups, built from the model's decided names (no spec text in code).

Each example is runnable Python: the operations are picked by their behaviour (a create, the update and item
operations of the same collection, its paginated list, a streamed read, a refused DELETE with `x-soft-delete`),
arguments are placeholders of the right type, and an object's id comes from the object created first. An example
whose operations the document does not have is left out.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from generator.python import text
from generator.python.annotation import python_name
from generator.python.ir import Example, ModelClass, Operation, Param, Resource, TagGroup
from generator.api.types import FileValue, Named, Primitive, TypeNode

_PLACEHOLDERS = {"str": "'example'", "int": "1", "float": "1.0", "bool": "True"}
_MISSING = {"str": "'does-not-exist'", "int": "999999999", "UUID": "'00000000-0000-0000-0000-000000000000'"}


def _primitive(node: TypeNode) -> str:
    """The Python type of a plain primitive (no null, no union), else "" (no placeholder fits it)."""
    return python_name(node) if isinstance(node, Primitive) else ""


@dataclass(frozen=True)
class Names:
    package: str
    client: str
    async_client: str
    host_env: str
    key_env: str
    log_env: str


def tag_groups(spec: dict[str, Any], resources: tuple[Resource, ...]) -> tuple[TagGroup, ...]:
    """`x-tagGroups: [{name, description, tags}]` (Redoc's extension, with a description)."""
    by_tag = {resource.tag: resource.attr for resource in resources}
    groups = []
    for group in spec.get("x-tagGroups") or []:
        if not isinstance(group, dict) or not isinstance(group.get("tags"), list):
            continue
        attrs = tuple(by_tag[t] for t in (text.literal(str(tag)) for tag in group["tags"]) if t in by_tag)
        if attrs:
            groups.append(
                TagGroup(text.markdown(str(group.get("name") or "")), text.markdown(group.get("description")), attrs)
            )
    return tuple(groups)


def examples(resources: tuple[Resource, ...], models: tuple[ModelClass, ...], names: Names) -> tuple[Example, ...]:
    with_id = {m.name for m in models if any(f.name == "id" and f.wire_name == "id" for f in m.fields)}
    crud = next((c for c in (_Crud.of(r, with_id) for r in resources) if c is not None), None)
    setup = (
        f"from {names.package} import {names.client}\n\n"
        f"client = {names.client}()  # the key from ${names.key_env}, the host from ${names.host_env}\n"
    )
    found = [Example("Set up", "", setup + crud.variables() if crud else setup)]
    if crud is not None:
        found += crud.examples(names)
    defined = {p.name for p in _path(crud.create)} if crud else set()
    soft = next((e for e in (_soft_delete(r, with_id, defined) for r in resources) if e is not None), None)
    found += [soft] if soft else []
    stream = next((op for r in resources for op in r.operations if op.client.stream_name), None)
    if stream is not None:
        resource = next(r for r in resources if stream in r.operations)
        args = ", ".join(
            p.name if p.name in defined else _PLACEHOLDERS.get(_primitive(p.type), "'example'") for p in _path(stream)
        )
        code = (
            f"with client.{resource.attr}.{stream.client.stream_name}({args}) as stream:\n"
            "    for line in stream.iter_lines():\n        print(line)\n"
        )
        found.append(Example("Streaming", f"`{stream.client.stream_name}` reads the body as it arrives.", code))
    return tuple(found) + _media_examples(resources, defined)


def _media_examples(resources: tuple[Resource, ...], defined: set[str]) -> tuple[Example, ...]:
    """An upload (the first body with a file field) and an event stream, where the document has them."""
    found = []
    pairs = [(r, op) for r in resources for op in r.operations]
    upload = next(((r, op) for r, op in pairs if op.body and any(isinstance(f.type, FileValue) for f in op.body.fields)), None)
    if upload is not None:
        resource, op = upload
        fields = op.body.fields if op.body else ()
        files = [f for f in fields if isinstance(f.type, FileValue)]
        chosen = next((f for f in files if f.required), files[0])
        args = [_argument(p, defined) for p in _path(op)]
        for field in fields:
            if field is chosen:
                args.append(f"{field.name}=photo")
            elif field.required and not isinstance(field.type, FileValue):
                args.append(f"{field.name}={_PLACEHOLDERS.get(_primitive(field.type), repr('example'))}")
        code = f'with open("photo.png", "rb") as photo:\n    client.{resource.attr}.{op.method_name}({", ".join(args)})\n'
        note = "A file is bytes, a binary file object (streamed), or a `(filename, content, content_type)` tuple."
        found.append(Example("Uploading a file", note, code))
    events = next(((r, op) for r, op in pairs if op.client.events_name), None)
    if events is not None:
        resource, op = events
        args = [_argument(p, defined) for p in _path(op)]
        args += [f"{f.name}={_PLACEHOLDERS.get(_primitive(f.type), repr('example'))}" for f in (op.body.fields if op.body else ()) if f.required]
        code = (
            f"with client.{resource.attr}.{op.client.events_name}({', '.join(args)}) as events:\n"
            "    for event in events:\n        print(event.event, event.data)\n"
        )
        note = f"`{op.client.events_name}` yields each server-sent event as it arrives; leaving the `with` block closes the stream."
        found.append(Example("Server-sent events", note, code))
    return tuple(found)


def _model_name(node: TypeNode) -> str:
    return node.name if isinstance(node, Named) and node.kind == "model" else ""


def _argument(param: Param, defined: set[str]) -> str:
    return param.name if param.name in defined else _PLACEHOLDERS.get(_primitive(param.type), "'example'")


def _path(op: Operation) -> list[Param]:
    return [p for p in op.params if p.location == "path"]


def _call_args(op: Operation, item: str | None) -> list[str] | None:
    """The path arguments: variables of the set-up block, the created object's id for the item parameter."""
    path = _path(op)
    args = [p.name for p in path]
    if item is not None:
        if not path:
            return None
        args[-1] = f"{item}.id"
    return args


def _required_body(op: Operation) -> list[str] | None:
    """`name='example'` for each required body field, or None when one has no simple placeholder."""
    if op.body is None or not op.body.fields:
        return None
    args = []
    for field in op.body.fields:
        if field.required:
            if _primitive(field.type) not in _PLACEHOLDERS:
                return None
            args.append(f"{field.name}={_PLACEHOLDERS[_primitive(field.type)]}")
    return args


def _kind(resource: Resource, kind: str, collection: str) -> Operation | None:
    return next(
        (op for op in resource.operations if op.server.behaviour.kind == kind and op.server.behaviour.collection == collection), None
    )


@dataclass(frozen=True)
class _Crud:
    """A resource's create, and the item operations, list and PATCH of the same collection."""

    resource: Resource
    create: Operation
    body: list[str]
    update: Operation | None
    retrieve: Operation | None
    listing: Operation | None

    @classmethod
    def of(cls, resource: Resource, with_id: set[str]) -> _Crud | None:
        for create in resource.operations:
            body = _required_body(create)
            if create.server.behaviour.kind == "create" and _model_name(create.result) in with_id and body is not None:
                collection = create.server.behaviour.collection
                listing = _kind(resource, "list", collection)
                return cls(
                    resource,
                    create,
                    body,
                    _kind(resource, "update", collection),
                    _kind(resource, "retrieve", collection),
                    listing if listing is not None and listing.pagination else None,
                )
        return None

    def call(self, op: Operation, item: str | None, extra: list[str], client: str = "client") -> str:
        args = ", ".join([*(_call_args(op, item) or []), *extra])
        return f"{client}.{self.resource.attr}.{op.method_name}({args})"

    def variables(self, defined: frozenset[str] | set[str] = frozenset()) -> str:
        """The path parameters of the create, as variables (those not in `defined` already)."""
        path = [p for p in _path(self.create) if p.name not in defined]
        lines = [f"{p.name} = {_PLACEHOLDERS.get(_primitive(p.type), repr('example'))}  # yours" for p in path]
        return "\n".join(lines) + ("\n" if lines else "")

    def examples(self, names: Names) -> list[Example]:
        found = []
        model = _model_name(self.create.body.type) if self.create.body else ""
        by_model = ", ".join(self.body)
        create = f"created = {self.call(self.create, None, self.body)}\nprint(created.id)\n"
        create += f"\n# or with the request model\nfrom {names.package}.models import {model}\n\n"
        create += f"another = {self.call(self.create, None, [f'{model}({by_model})'])}\n"
        found.append(Example("Create", "Body fields are keyword arguments, or pass the request model.", create))
        if self.update is not None and self.update.body is not None:
            fields = self.update.body.fields
            value = next((f for f in fields if _primitive(f.type) in _PLACEHOLDERS), None)
            null = next((f for f in fields if f.nullable), None)
            code = ""
            if value is not None:
                code += f"# only `{value.name}` is sent: the other fields stay as they are\n"
                new = "'renamed'" if _primitive(value.type) == "str" else _PLACEHOLDERS[_primitive(value.type)]
                code += f"{self.call(self.update, 'created', [f'{value.name}={new}'])}\n"
            if null is not None:
                code += f"# `{null.name}` is sent as null: it is cleared\n{self.call(self.update, 'created', [f'{null.name}=None'])}\n"
            if code:
                note = "A field you do not pass is not sent (unset); `None` is sent as null."
                found.append(Example("Update (PATCH): unset vs null", note, code))
        if self.listing is not None and self.listing.pagination is not None:
            pagination, args = self.listing.pagination, ", ".join(_call_args(self.listing, None) or [])
            attr = f"client.{self.resource.attr}"
            code = f"for item in {attr}.{pagination.iterator_name}({args}):\n    print(item)\n"
            found.append(
                Example("Iterate", f"`{pagination.iterator_name}` follows `next` lazily, page after page.", code)
            )
            code = f"first = {attr}.{pagination.pages_name}({args})\nprint(len(first.results), first.has_next_page())\n"
            code += "for page in first:  # this page, then each following one\n    print(len(page.results))\n"
            code += "if first.has_next_page():\n    second = first.next_page()\n"
            found.append(Example("Pages", "A page object: `.results`, `.has_next_page()`, `.next_page()`.", code))
        if self.retrieve is not None:
            found += self._errors_and_raw(names)
        found.append(self._options())
        found.append(self._async(names))
        return found

    def _errors_and_raw(self, names: Names) -> list[Example]:
        assert self.retrieve is not None
        path = _path(self.retrieve)
        missing = _MISSING.get(_primitive(path[-1].type)) if path else None
        found = []
        if missing is not None:
            args = [p.name for p in path[:-1]] + [missing]
            code = (
                f"from {names.package} import ApiError, NotFoundError\n\ntry:\n"
                f"    client.{self.resource.attr}.{self.retrieve.method_name}({', '.join(args)})\n"
                "except NotFoundError as error:\n    print(error.status_code, error.detail)\n"
                "except ApiError as error:  # every failure: status, connection, timeout, invalid body\n"
                "    print(error)\n"
            )
            found.append(Example("Errors", "Every failure raises an `ApiError` subclass.", code))
        code = (
            f"from {names.package} import with_raw_response\n\n"
            f"response = with_raw_response({'client.' + self.resource.attr + '.' + self.retrieve.method_name})"
            f"({', '.join(_call_args(self.retrieve, 'created') or [])})\n"
            "print(response.status_code, response.headers['content-type'], response.parsed)\n"
        )
        found.append(Example("Raw response", "The parsed result and the HTTP response it came from.", code))
        return found

    def _options(self) -> Example:
        op = self.retrieve or self.create
        item = "created" if op is self.retrieve else None
        extra = [] if op is self.retrieve else self.body
        call = self.call(op, item, [*extra, "timeout=5.0", "extra_headers={'X-Request-Id': 'example'}"])
        code = f"{call}\n\n# a copy of the client with other settings, sharing its connection pool\npatient = client.with_options(timeout=120.0, max_retries=5)\n"
        code += f"{self.call(op, item, extra, client='patient')}\n"
        note = "`timeout`, `extra_headers`, `extra_query`, `extra_body` and `idempotency_key` on every method."
        return Example("Per-call options", note, code)

    def _async(self, names: Names) -> Example:
        code = f"import asyncio\n\nfrom {names.package} import {names.async_client}\n\n\nasync def main() -> None:\n"
        code += f"    async with {names.async_client}() as client:\n"
        code += f"        created = await {self.call(self.create, None, self.body)}\n        print(created.id)\n"
        if self.listing is not None and self.listing.pagination is not None:
            args = ", ".join(_call_args(self.listing, None) or [])
            code += f"        async for item in client.{self.resource.attr}.{self.listing.pagination.iterator_name}({args}):\n"
            code += "            print(item)\n"
        code += "\n\nasyncio.run(main())\n"
        return Example("Async", f"`{names.async_client}` has the same methods, awaited.", code)


def _soft_delete(resource: Resource, with_id: set[str], defined: set[str]) -> Example | None:
    """A refused DELETE (`x-soft-delete`): the PATCH of the same collection that soft-deletes instead."""
    destroy = next((op for op in resource.operations if op.server.soft_delete), None)
    crud = _Crud.of(resource, with_id)
    if destroy is None or crud is None or crud.update is None or crud.update.body is None:
        return None
    fields = {f.wire: f.name for f in crud.update.body.fields}
    if not all(wire in fields for wire, _ in destroy.server.soft_delete):
        return None
    patch = [f"{fields[wire]}={value}" for wire, value in destroy.server.soft_delete]
    code = crud.variables(defined)
    code += f"doomed = {crud.call(crud.create, None, crud.body)}\n"
    code += f"{crud.call(crud.update, 'doomed', patch)}  # instead of {destroy.method_name}, which answers 405\n"
    note = f"`{destroy.method_name}` is refused (405); the API marks objects deleted with a PATCH instead."
    return Example("Soft delete", note, code)
