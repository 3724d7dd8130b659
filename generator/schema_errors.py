"""OpenAPI schema errors, located: each validator error becomes a Problem at the node it is about.

openapi-spec-validator reports two sorts of error. Meta-schema errors (the document against the OpenAPI schema)
come from its fast backend with only a message and the failing keyword's path, so the instance is checked again
against that keyword's part of the meta-schema with jsonschema, and the most specific error is kept. Value errors
(a schema's `default` against the schema itself) carry the schema object, which is found in the document by
identity. Whether a problem stops generation is decided from the error's keyword and instance, never its wording.
"""

from __future__ import annotations

import re
from typing import Any, Iterator

from jsonschema.exceptions import ValidationError
from jsonschema.validators import validator_for

from generator.errors import Problem, pointer_join
from generator.load import Document
from generator.refs import deref, objects

_UNSET = ValidationError("").instance  # what an error made without an instance holds
_WEAK = {"oneOf", "anyOf", "required", "$ref"}  # an alternative that failed says less than the one that nearly fit


class Blocking(Problem):
    """A schema problem generation cannot go past: a mapping or list expected where something else is."""


def located(doc: Document, error: ValidationError, meta_schema: Any, index: dict[int, str]) -> Problem | None:
    """The error as a Problem at the deepest relevant node (a Blocking one when the generator would walk into it);
    None for one whose node cannot be found (the validator's check of one schema, reporting a path inside it)."""
    schema_pointer = index.get(id(error.schema)) if isinstance(error.schema, dict) else None
    if schema_pointer is not None:
        return _value_problem(doc, error, schema_pointer)
    if not _found_at_its_path(doc.data, error):
        return None
    base = _pointer("", error.absolute_path)
    again = _checked_again(doc, error, meta_schema) if not error.context and isinstance(meta_schema, dict) else None
    if again:  # paths relative to the instance checked again
        deepest = _deepest(again)
        pointer = _pointer(base, deepest.absolute_path)
    else:
        deepest = _deepest([error])
        pointer = _pointer("", deepest.absolute_path)
    extra = _unexpected_keys(deepest)
    if extra:  # at the first key that is not allowed, not at its mapping
        pointer = pointer_join(pointer, extra[0])
        hint = " (extensions start with x-)" if "^x-" in deepest.schema.get("patternProperties", {}) else ""
        message = f"unexpected key{'s' if len(extra) > 1 else ''} {', '.join(map(repr, extra))}{hint}"
    else:
        message = _first_line(deepest.message)
    problem = doc.problem(message, pointer, "openapi")
    return Blocking(**vars(problem)) if _wrong_container(deepest) else problem


def _found_at_its_path(data: Any, error: ValidationError) -> bool:
    node = data
    for part in error.absolute_path:
        try:
            node = node[str(part)] if isinstance(node, dict) else node[part]
        except (KeyError, IndexError, TypeError):
            return False
    instance = error.instance
    if instance is _UNSET:
        return False  # a message of the validator's own walk over the schemas, with no place
    # The fast backend gives the whole document as every error's instance.
    return instance is data or node is instance or node == instance


def _value_problem(doc: Document, error: ValidationError, schema_pointer: str) -> Problem:
    """A `default` that its own schema refuses: located at the default (inside it, for a nested value)."""
    keywords = [str(part) for part in error.absolute_schema_path][:-1]  # down to the schema that failed
    tail = schema_pointer.split("/")[len(schema_pointer.split("/")) - len(keywords) :] if keywords else []
    if "$ref" not in keywords and [t.replace("~1", "/").replace("~0", "~") for t in tail] == keywords:
        root = schema_pointer.rsplit("/", len(keywords))[0] if keywords else schema_pointer
        pointer = _pointer(pointer_join(root, "default"), error.absolute_path)
    else:
        pointer = schema_pointer  # reached through a $ref: the schema that refused the value is the best place
    return doc.problem(f"default: {_first_line(error.message)}", pointer, "openapi")


def _checked_again(doc: Document, error: ValidationError, meta_schema: dict[str, Any]) -> list[ValidationError]:
    """The fast backend's error found again with jsonschema, so that it has its context (the alternatives tried)."""
    keyword_path = list(error.absolute_schema_path)
    subschema: Any = meta_schema
    instance: Any = doc.data
    try:
        for part in keyword_path[:-1]:
            subschema = subschema[part]
        for part in error.absolute_path:
            instance = instance[str(part)] if isinstance(instance, dict) else instance[part]  # "200" comes back as 200
        validator_class = validator_for(meta_schema)
        checker = validator_class(meta_schema, format_checker=validator_class.FORMAT_CHECKER).evolve(schema=subschema)
        return list(checker.iter_errors(instance)) if keyword_path else []
    except Exception:  # a path or meta-schema this cannot walk: keep the error as it came
        return []


def _deepest(errors: list[ValidationError]) -> ValidationError:
    """Down the contexts to the most specific error: the deepest in the document, then one that is not about an
    alternative (a failed `$ref` branch, a missing key), then one whose type fits."""
    while True:
        error = max(errors, key=lambda e: (len(e.absolute_path), e.validator not in _WEAK, _matches_type(e)))
        if not error.context:
            return error
        errors = list(error.context)


def _unexpected_keys(error: ValidationError) -> list[str]:
    if error.validator != "additionalProperties" or not isinstance(error.instance, dict) or not isinstance(error.schema, dict):
        return []
    known = error.schema.get("properties", {})
    patterns = [re.compile(p) for p in error.schema.get("patternProperties", {})]
    return [k for k in error.instance if k not in known and not any(p.search(k) for p in patterns)]


def _matches_type(error: ValidationError) -> bool:
    """The alternative whose own type fits the instance is the one the author meant (an object, not a $ref)."""
    return bool(error.validator != "type")


def _wrong_container(error: ValidationError) -> bool:
    """A mapping or a list expected by the OpenAPI schema, and something else found."""
    if error.validator != "type":
        return False
    expected = error.validator_value if isinstance(error.validator_value, list) else [error.validator_value]
    wants_mapping = "object" in expected and not isinstance(error.instance, dict)
    wants_list = "array" in expected and not isinstance(error.instance, list)
    return (wants_mapping or wants_list) and not any(_fits(error.instance, kind) for kind in expected)


def _fits(value: Any, kind: str) -> bool:
    kinds = {"object": dict, "array": list, "string": str, "boolean": bool, "null": type(None)}
    if kind in ("integer", "number"):
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    return isinstance(value, kinds.get(kind, ()))


def _pointer(base: str, parts: Any) -> str:
    for part in parts:
        base = pointer_join(base, part)
    return base


def _first_line(message: str) -> str:
    message = message.splitlines()[0] if message else "invalid"
    return message[:200] + "…" if len(message) > 200 else message


def undefined_required(doc: Document) -> Iterator[Problem]:
    """A schema with allOf whose `required` names a property none of its parts defines (the validator finds these
    too, but says nothing of where): at the schema's `required`."""
    for pointer, node in _schemas_with_all_of(doc.data):
        required = node.get("required")
        if not isinstance(required, list):
            continue
        defined = _property_names(doc.data, node, set())
        missing = [name for name in required if isinstance(name, str) and name not in defined]
        if missing:
            message = f"required names {', '.join(map(repr, missing))}, which no part of the allOf defines"
            yield doc.problem(message, pointer_join(pointer, "required"), "openapi")


def _schemas_with_all_of(data: Any) -> Iterator[tuple[str, dict[str, Any]]]:
    return ((pointer, node) for pointer, node in objects(data) if isinstance(node.get("allOf"), list))


def _property_names(data: Any, schema: Any, seen: set[int]) -> set[str]:
    schema = deref(data, schema)
    if not isinstance(schema, dict) or id(schema) in seen:
        return set()
    seen.add(id(schema))
    names = set(schema["properties"]) if isinstance(schema.get("properties"), dict) else set()
    for key in ("allOf", "anyOf", "oneOf"):
        members = schema.get(key)
        for part in members if isinstance(members, list) else []:
            names |= _property_names(data, part, seen)
    for key in ("items", "not"):
        names |= _property_names(data, schema.get(key), seen)
    return names
