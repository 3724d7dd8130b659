"""Validate stage: openapi-spec-validator, then our own rules, every problem with its location.

Two groups of rules. Correctness rules (the document is valid OpenAPI, operationIds are unique,
path parameters match their templates) block generation. Policy rules (examples valid against
their schemas, every operation tagged and given its API key scopes) are what `validate` adds on
top, for documents held to our standard; `--lenient` skips them for third-party documents.
"""

from __future__ import annotations

import re
from typing import Any, Iterator

from jsonschema.exceptions import ValidationError, best_match
from openapi_schema_validator import OAS30Validator, OAS31Validator
from openapi_spec_validator import OpenAPIV30SpecValidator, OpenAPIV31SpecValidator
from openapi_spec_validator.validation.exceptions import DuplicateOperationIDError, UnresolvableParameterError
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from generator import paths
from generator.errors import Problem, SpecError, pointer_join
from generator.load import Document
from generator.refs import deref

HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
_LOCATED_BY_US = (DuplicateOperationIDError, UnresolvableParameterError)
_WRONG_CONTAINER = re.compile(r"is not of type ['\"](object|array)['\"]")


def validate(doc: Document, *, policy: bool, warnings: list[Problem] | None = None) -> None:
    """Raise SpecError with every problem found; return quietly when the document is fine.

    With a `warnings` list, OpenAPI schema problems are recorded there instead of raised (`--lenient`):
    real third-party documents often break the letter of the schema in ways a generator can live with.
    """
    version = _version(doc)
    problems = list(_schema_problems(doc, version))
    if problems and warnings is not None:
        # A value of the wrong shape (a list where a mapping must be) cannot be generated from: it stays an error.
        warnings.extend(p.as_warning() for p in problems if not isinstance(p, _Blocking))
        problems = [p for p in problems if isinstance(p, _Blocking)]
    # Our correctness rules read only what they check, so they run on a document the schema refused too
    # (the validator's own duplicate-operationId and path-parameter errors are dropped for these).
    if not problems:
        problems += list(_correctness_problems(doc))
        if policy:
            problems += list(_policy_problems(doc, version))
    else:
        problems += list(_correctness_problems(doc))
    if problems:
        raise SpecError(sorted(problems, key=lambda p: (p.line, p.column, p.message)))


def _version(doc: Document) -> str:
    version = doc.data.get("openapi")
    if version is None:
        raise SpecError([doc.problem("missing 'openapi' field: not an OpenAPI 3.x document", "", "openapi")])
    if not isinstance(version, str) or not re.fullmatch(r"3\.[01]\.\d+(-.+)?", version):
        raise SpecError([doc.problem(f"unsupported OpenAPI version {version!r}; 3.0.x and 3.1.x are supported", "/openapi", "openapi")])
    return version[:3]


def _schema_problems(doc: Document, version: str) -> Iterator[Problem]:
    validator_class = OpenAPIV31SpecValidator if version == "3.1" else OpenAPIV30SpecValidator
    # Schema errors come first, then the validator's semantic walk, which may crash on a document
    # the schema already refused: keep what was found before a crash, and report the crash only alone.
    errors: list[ValidationError] = []
    try:
        for error in validator_class(doc.data).iter_errors():
            errors.append(error)
    except RecursionError:
        if not errors:
            yield doc.problem("the document is too deeply nested or recursive to validate", "", "limit")
    except Exception as exc:  # the validator's own failures must not become tracebacks
        if not errors:
            yield doc.problem(f"the OpenAPI validator failed: {type(exc).__name__}: {exc}", "", "internal")
    for error in errors:
        if isinstance(error, _LOCATED_BY_US):
            continue  # reported by _correctness_problems, with a location the validator does not give
        problem = _from_validation_error(doc, error, "")
        yield _Blocking(**vars(problem)) if _wrong_container(problem) else problem


class _Blocking(Problem):
    """A schema problem --lenient does not forgive: the generator would walk into it."""


def _wrong_container(problem: Problem) -> bool:
    """A mapping or list expected and something else found (the validator's wrapped errors keep only the message)."""
    return bool(_WRONG_CONTAINER.search(problem.message))


def _from_validation_error(doc: Document, error: ValidationError, base: str) -> Problem:
    if error.context:
        error = best_match([error, *error.context]) or error
    pointer = base
    for part in error.absolute_path:
        pointer = pointer_join(pointer, part)
    message = error.message.splitlines()[0] if error.message else "invalid"
    if len(message) > 200:
        message = message[:200] + "…"
    return doc.problem(message, pointer, "openapi")


def operations(data: dict[str, Any]) -> Iterator[tuple[str, str, str, dict[str, Any], dict[str, Any]]]:
    """Yield (pointer, path, method, path item, operation) in document order."""
    paths = data.get("paths")
    for path, item in (paths if isinstance(paths, dict) else {}).items():
        if not isinstance(item, dict):
            continue
        for method in HTTP_METHODS:
            operation = item.get(method)
            if isinstance(operation, dict):
                yield pointer_join(pointer_join("/paths", path), method), path, method, item, operation


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _correctness_problems(doc: Document) -> Iterator[Problem]:
    seen_ids: dict[str, str] = {}
    for pointer, path, _method, item, operation in operations(doc.data):
        op_id = operation.get("operationId")
        if isinstance(op_id, str):
            if op_id in seen_ids:
                yield doc.problem(f"operationId {op_id!r} is also used at {seen_ids[op_id]}", pointer_join(pointer, "operationId"), "rule")
            else:
                seen_ids[op_id] = pointer
        declared = {
            p["name"]
            for p in (deref(doc.data, p) for p in [*_list(item.get("parameters")), *_list(operation.get("parameters"))])
            if isinstance(p, dict) and p.get("in") == "path" and isinstance(p.get("name"), str)
        }
        templated = set(paths.placeholders(path))
        for name in sorted(templated - declared):
            yield doc.problem(f"path parameter {{{name}}} in {path!r} is not declared", pointer, "rule")
        for name in sorted(declared - templated):
            yield doc.problem(f"path parameter {name!r} is declared but {path!r} has no {{{name}}}", pointer, "rule")


def _policy_problems(doc: Document, version: str) -> Iterator[Problem]:
    for pointer, _path, _method, _item, operation in operations(doc.data):
        if not operation.get("tags"):
            yield doc.problem("operation has no tag", pointer, "rule")
        if not operation.get("operationId"):
            yield doc.problem("operation has no operationId", pointer, "rule")
        security = operation.get("security", doc.data.get("security"))
        if security is None or not any(scopes for requirement in security for scopes in requirement.values()):
            yield doc.problem("operation does not state its required API key scopes in 'security'", pointer, "rule")
    yield from _example_problems(doc, version)


def _example_problems(doc: Document, version: str) -> Iterator[Problem]:
    validator_class = OAS31Validator if version == "3.1" else OAS30Validator
    registry: Registry = Registry().with_resource("urn:spec", Resource.from_contents(doc.data, default_specification=DRAFT202012))
    for pointer, schema_pointer, value in _examples(doc.data, "", None):
        validator = validator_class(
            {"$ref": "urn:spec#" + schema_pointer}, registry=registry, format_checker=validator_class.FORMAT_CHECKER
        )
        try:
            error = best_match(validator.iter_errors(value))
        except RecursionError:
            yield doc.problem("example is too deeply nested to check", pointer, "rule")
            continue
        if error is not None:
            problem = _from_validation_error(doc, error, pointer)
            yield Problem(problem.file, f"example does not match its schema: {problem.message}", problem.pointer, problem.line, problem.column, "rule")


def _examples(node: Any, pointer: str, schema_pointer: str | None) -> Iterator[tuple[str, str, Any]]:
    """Yield (example pointer, schema pointer, example value) for media types, parameters and schemas."""
    if isinstance(node, list):
        for index, value in enumerate(node):
            yield from _examples(value, pointer_join(pointer, index), None)
        return
    if not isinstance(node, dict):
        return
    if "schema" in node and isinstance(node["schema"], dict):
        schema_at = pointer_join(pointer, "schema")
        if "example" in node:
            yield pointer_join(pointer, "example"), schema_at, node["example"]
        for name, example in (node.get("examples") or {}).items():
            if isinstance(example, dict) and "value" in example:
                yield pointer_join(pointer_join(pointer_join(pointer, "examples"), name), "value"), schema_at, example["value"]
    for key, value in node.items():
        if key in ("example", "examples", "enum", "default", "const"):
            continue
        yield from _examples(value, pointer_join(pointer, key), None)
