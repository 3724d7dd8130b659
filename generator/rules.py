"""Validation rule sets, the way Spectral and Redocly name theirs.

The default set checks that a document is correct: the OpenAPI schema, refs (refs.py), and the rules below marked
`default`. Opinionated rules state a house style; each is off until a project switches it on in
`[tool.specgen.rules]` with a severity: "error" fails `validate`, "warn" is reported and passes, "off" is silent.
Every problem a rule finds names it (`Problem.rule`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Callable, Iterator, Mapping

from generator.errors import Problem, pointer_join

if TYPE_CHECKING:
    from generator.load import Document

SEVERITIES = ("error", "warn", "off")
HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


@dataclass(frozen=True)
class Rule:
    name: str
    default: str  # its severity when the configuration does not mention it
    description: str


# The correctness rules run in validate.py (generation depends on the first two, so they cannot be switched off);
# they are listed here so that their names are known and documented in one place.
RULES: dict[str, Rule] = {
    rule.name: rule
    for rule in (
        Rule("operation-id-unique", "error", "no two operations share an operationId"),
        Rule("path-params", "error", "every {name} in a path is declared as a path parameter, and every one declared is used"),
        Rule("example-valid", "warn", "every example (schema, parameter, media type, named examples) matches its schema"),
        Rule("operation-tags", "off", "every operation has at least one tag"),
        Rule("operation-id", "off", "every operation has an operationId"),
        Rule("operation-summary", "off", "every operation has a summary"),
        Rule("operation-security", "off", "every operation is protected by a security requirement"),
        Rule("operation-scopes", "off", "every operation states the scopes it needs in its security requirement"),
    )
}
FIXED = frozenset({"operation-id-unique", "path-params"})  # generation cannot proceed without them


@dataclass(frozen=True)
class RuleSet:
    severities: Mapping[str, str]  # rule name -> error | warn | off, for every rule

    @classmethod
    def configured(cls, overrides: Mapping[str, str] = {}, *, lenient: bool = False) -> RuleSet:
        """The defaults, then the project's choices. `lenient` (for documents you do not own) keeps only the
        correctness rules and reports examples that do not match as warnings."""
        severities = {name: rule.default for name, rule in RULES.items()}
        severities.update({name: s for name, s in overrides.items() if name not in FIXED})
        if lenient:
            severities = {name: RULES[name].default for name in severities}
            severities["example-valid"] = "warn"
        return cls(severities)

    def severity(self, name: str) -> str:
        return self.severities.get(name, "off")

    def apply(self, problems: Iterator[Problem]) -> list[Problem]:
        """The problems of rules that are on, each with its rule's severity."""
        kept = []
        for problem in problems:
            severity = self.severity(problem.rule)
            if severity == "warn":
                kept.append(problem.as_warning())
            elif severity == "error":
                kept.append(problem)
        return kept


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


def _requirements(doc: Document, operation: dict[str, Any]) -> list[dict[str, Any]]:
    security = operation.get("security", doc.data.get("security"))
    return [r for r in security if isinstance(r, dict)] if isinstance(security, list) else []


_OperationCheck = Callable[["Document", dict[str, Any]], str | None]  # a message when the operation breaks the rule

_CHECKS: dict[str, _OperationCheck] = {
    "operation-tags": lambda doc, op: None if op.get("tags") else "operation has no tag",
    "operation-id": lambda doc, op: None if op.get("operationId") else "operation has no operationId",
    "operation-summary": lambda doc, op: None if op.get("summary") else "operation has no summary",
    "operation-security": lambda doc, op: (
        None if any(_requirements(doc, op)) else "operation has no security requirement (it is public)"
    ),
    "operation-scopes": lambda doc, op: (
        None
        if any(scopes for requirement in _requirements(doc, op) for scopes in requirement.values())
        else "operation does not state its required scopes in 'security'"
    ),
}


def opinionated_problems(doc: Document, rules: RuleSet) -> Iterator[Problem]:
    active = {name: check for name, check in _CHECKS.items() if rules.severity(name) != "off"}
    if not active:
        return
    for pointer, _path, _method, _item, operation in operations(doc.data):
        for name, check in active.items():
            message = check(doc, operation)
            if message:
                yield doc.problem(message, pointer, "rule").for_rule(name)
