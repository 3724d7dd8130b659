"""The `example-valid` rule: every example in the document matches the schema it illustrates.

Examples are found at every level: a schema's own `example` (and 3.1's `examples` list), at any depth of a schema
(properties, items, compositions, ...), and the `example`/`examples` of parameters, headers and media types, which
are checked against their `schema`.
"""

from __future__ import annotations

from typing import Any, Iterator

from jsonschema.exceptions import ValidationError, best_match
from openapi_schema_validator import OAS30Validator, OAS31Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from generator.errors import Problem, pointer_join
from generator.load import Document

# Keywords whose value is a schema, a list of schemas, or a mapping of names to schemas.
_ONE_SCHEMA = ("items", "additionalProperties", "not", "if", "then", "else", "contains", "propertyNames",
               "unevaluatedItems", "unevaluatedProperties", "additionalItems", "contentSchema")  # fmt: skip
_SCHEMA_LISTS = ("allOf", "anyOf", "oneOf", "prefixItems")
_SCHEMA_MAPS = ("properties", "patternProperties", "dependentSchemas", "$defs", "definitions")
_VALUES = ("example", "examples", "enum", "default", "const")  # data, never walked for examples


def example_problems(doc: Document, version: str, describe: Any) -> Iterator[Problem]:
    """`describe(doc, error, pointer)` turns a validator error into a located Problem."""
    validator_class = OAS31Validator if version == "3.1" else OAS30Validator
    resource = Resource.from_contents(doc.data, default_specification=DRAFT202012)
    registry: Registry = Registry().with_resource("urn:spec", resource)
    for pointer, schema_pointer, value in _document_examples(doc.data):
        validator = validator_class(
            {"$ref": "urn:spec#" + schema_pointer}, registry=registry, format_checker=validator_class.FORMAT_CHECKER
        )
        try:
            error: ValidationError | None = best_match(validator.iter_errors(value))
        except RecursionError:
            yield doc.problem("example is too deeply nested to check", pointer, "rule").for_rule("example-valid")
            continue
        except Exception as exc:  # an unresolvable or unusual schema must not become a traceback
            message = f"example cannot be checked against its schema: {type(exc).__name__}"
            yield doc.problem(message, pointer, "rule").as_warning().for_rule("example-valid")
            continue
        if error is not None:
            problem = describe(doc, error, pointer)
            message = f"example does not match its schema: {problem.message}"
            yield doc.problem(message, problem.pointer, "rule").for_rule("example-valid")


def _document_examples(data: Any) -> Iterator[tuple[str, str, Any]]:
    components = data.get("components") if isinstance(data, dict) else None
    schemas = components.get("schemas") if isinstance(components, dict) else None
    if isinstance(schemas, dict):
        for name, schema in schemas.items():
            yield from _schema_examples(schema, pointer_join("/components/schemas", name), set())
    yield from _examples(data, "", skip_schemas=True)


def _examples(node: Any, pointer: str, skip_schemas: bool = False) -> Iterator[tuple[str, str, Any]]:
    """Yield (example pointer, schema pointer, value) for parameters, headers and media types, and the schemas
    under their `schema`."""
    if isinstance(node, list):
        for index, value in enumerate(node):
            yield from _examples(value, pointer_join(pointer, index))
        return
    if not isinstance(node, dict):
        return
    schema = node.get("schema")
    if isinstance(schema, dict):
        schema_at = pointer_join(pointer, "schema")
        if "example" in node:
            yield pointer_join(pointer, "example"), schema_at, node["example"]
        named = node.get("examples")
        for name, example in (named if isinstance(named, dict) else {}).items():
            if isinstance(example, dict) and "value" in example:
                yield pointer_join(pointer_join(pointer_join(pointer, "examples"), name), "value"), schema_at, example["value"]
        yield from _schema_examples(schema, schema_at, set())
    for key, value in node.items():
        if key in _VALUES or key == "schema" or (skip_schemas and pointer == "/components" and key == "schemas"):
            continue
        yield from _examples(value, pointer_join(pointer, key))


def _schema_examples(schema: Any, pointer: str, seen: set[int]) -> Iterator[tuple[str, str, Any]]:
    """A schema's own examples, then those of every schema inside it (references are not followed: the schema
    they name is walked where it is defined)."""
    if not isinstance(schema, dict) or id(schema) in seen:
        return
    seen.add(id(schema))
    if "example" in schema:
        yield pointer_join(pointer, "example"), pointer, schema["example"]
    if isinstance(schema.get("examples"), list):
        for index, value in enumerate(schema["examples"]):
            yield pointer_join(pointer_join(pointer, "examples"), index), pointer, value
    for key in _ONE_SCHEMA:
        if isinstance(schema.get(key), dict):
            yield from _schema_examples(schema[key], pointer_join(pointer, key), seen)
        elif key == "items" and isinstance(schema.get(key), list):
            for index, item in enumerate(schema[key]):
                yield from _schema_examples(item, pointer_join(pointer_join(pointer, key), index), seen)
    for key in _SCHEMA_LISTS:
        if isinstance(schema.get(key), list):
            for index, item in enumerate(schema[key]):
                yield from _schema_examples(item, pointer_join(pointer_join(pointer, key), index), seen)
    for key in _SCHEMA_MAPS:
        if isinstance(schema.get(key), dict):
            for name, item in schema[key].items():
                yield from _schema_examples(item, pointer_join(pointer_join(pointer, key), name), seen)
