"""Validate stage: openapi-spec-validator, then our own rules, every problem with its location.

What generation needs always runs: the document is valid OpenAPI, operationIds are unique, path parameters match
their templates. The `validate` command adds the rest of a rule set (rules.py): examples (examples.py) and the
opinionated rules a project switches on.
"""

from __future__ import annotations

import re
from typing import Any, Iterator

from jsonschema.exceptions import ValidationError, best_match
from openapi_spec_validator import OpenAPIV30SpecValidator, OpenAPIV31SpecValidator
from openapi_spec_validator.schemas import schema_v30, schema_v31
from openapi_spec_validator.validation.exceptions import (
    DuplicateOperationIDError,
    ExtraParametersError,
    UnresolvableParameterError,
)

from generator import paths
from generator.errors import Problem, SpecError, pointer_join
from generator.examples import example_problems
from generator.load import Document
from generator.refs import deref
from generator.rules import RuleSet, opinionated_problems
from generator.schema_errors import Blocking, located, undefined_required
from generator.server_auth import extension_problems
from generator.rules import operations as operations  # the model walks operations the same way

_LOCATED_BY_US = (DuplicateOperationIDError, ExtraParametersError, UnresolvableParameterError)


def validate(doc: Document, *, rules: RuleSet | None = None, lenient: bool = False) -> list[Problem]:
    """Raise SpecError with every error found; return the warnings (an empty list when the document is fine).

    Without `rules`, only what generation needs: the OpenAPI schema, operationIds unique, path parameters.
    With `rules` (the `validate` command), examples and the opinionated rules the set switches on as well.
    `lenient` (what `generate` does) reports OpenAPI schema problems as warnings instead: real third-party
    documents often break the letter of the schema in ways a generator can live with (an unknown keyword, a
    default or example of the wrong type). Only a mapping or list of the wrong type stops generation.
    """
    version = _version(doc)
    warnings: list[Problem] = []
    problems = list(_schema_problems(doc, version))
    if problems and lenient:
        # A value of the wrong shape (a list where a mapping must be) cannot be generated from: it stays an error.
        warnings.extend(p.as_warning() for p in problems if not isinstance(p, Blocking))
        problems = [p for p in problems if isinstance(p, Blocking)]
    # Our correctness rules read only what they check, so they run on a document the schema refused too
    # (the validator's own duplicate-operationId and path-parameter errors are dropped for these).
    problems += [*_correctness_problems(doc), *extension_problems(doc)]
    if rules is not None and not problems:
        found = [*example_problems(doc, version, _from_validation_error), *opinionated_problems(doc, rules)]
        for problem in rules.apply(iter(found)):
            (warnings if problem.severity == "warning" else problems).append(problem)
    if problems:
        raise SpecError(sorted([*problems, *warnings], key=lambda p: (p.line, p.column, p.message)))
    return sorted(warnings, key=lambda p: (p.line, p.column, p.message))


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
    extra = [error for error in errors if isinstance(error, ExtraParametersError)]
    ours = list(undefined_required(doc)) if extra else []
    yield from ours
    if extra and not ours:  # the validator counts defined names a little differently: its words, unplaced
        yield doc.problem(extra[0].message, "", "openapi")
    meta_schema = schema_v31 if version == "3.1" else schema_v30
    index = doc.pointer_index() if errors else {}
    seen: set[tuple[str, str | None]] = set()
    unlocated: list[ValidationError] = []
    for error in errors:
        if isinstance(error, _LOCATED_BY_US):
            continue  # reported by _correctness_problems, with a location the validator does not give
        problem = located(doc, error, meta_schema.__wrapped__, index)
        if problem is None:
            unlocated.append(error)
        elif (problem.message, problem.pointer) not in seen:  # the validator walks a shared schema once per use
            seen.add((problem.message, problem.pointer))
            yield problem
    if unlocated and not seen:
        # Only the validator's check of one schema found these (with a path inside that schema): said once, unplaced.
        yield doc.problem(f"a schema is invalid: {unlocated[0].message.splitlines()[0][:200]}", "", "openapi")


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


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _correctness_problems(doc: Document) -> Iterator[Problem]:
    seen_ids: dict[str, str] = {}
    for pointer, path, _method, item, operation in operations(doc.data):
        op_id = operation.get("operationId")
        if isinstance(op_id, str):
            if op_id in seen_ids:
                message = f"operationId {op_id!r} is also used at {seen_ids[op_id]}"
                yield doc.problem(message, pointer_join(pointer, "operationId"), "rule").for_rule("operation-id-unique")
            else:
                seen_ids[op_id] = pointer
        declared = {
            p["name"]
            for p in (deref(doc.data, p) for p in [*_list(item.get("parameters")), *_list(operation.get("parameters"))])
            if isinstance(p, dict) and p.get("in") == "path" and isinstance(p.get("name"), str)
        }
        templated = set(paths.placeholders(path))
        for name in sorted(templated - declared):
            yield doc.problem(f"path parameter {{{name}}} in {path!r} is not declared", pointer, "rule").for_rule("path-params")
        for name in sorted(declared - templated):
            message = f"path parameter {name!r} is declared but {path!r} has no {{{name}}}"
            yield doc.problem(message, pointer, "rule").for_rule("path-params")
