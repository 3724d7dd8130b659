"""spec/posthog.yaml against copies with one change each: what a user of the generated client and server sees."""

from __future__ import annotations

import copy
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from generator.diff.change import PYTHON, WIRE, Report
from generator.diff.compare import compare
from generator.pipeline import load_valid

ROOT = Path(__file__).resolve().parents[2]
SPEC = ROOT / "spec" / "posthog.yaml"
ITEM = "/api/projects/{project_id}/datasets/{id}/"
ITEM_POINTER = "/paths/~1api~1projects~1{project_id}~1datasets~1{id}~1"
LIST_POINTER = "/paths/~1api~1projects~1{project_id}~1datasets~1"


@pytest.fixture(scope="module")
def posthog() -> Any:
    return load_valid(str(SPEC))[0].data


def _against(original: Any, change: Any) -> Report:
    edited = copy.deepcopy(original)
    change(edited)
    return compare(original, edited, "posthog.yaml", "edited.yaml")


def _found(report: Report) -> list[tuple[str, str, str, bool, str, str]]:
    return [(c.level, c.target, c.rule, c.breaking, c.old, c.new) for c in report.changes]


def test_an_operation_removed_is_major(posthog: Any) -> None:
    report = _against(posthog, lambda d: d["paths"][ITEM].pop("get"))
    assert (report.verdict, report.next_version) == ("major", "2.0.0")
    assert _found(report) == [
        (WIRE, "", "operation-removed", True, f"{ITEM_POINTER}/get", ITEM_POINTER),
        (PYTHON, "client", "method-removed", True, f"{ITEM_POINTER}/get", ITEM_POINTER),
        (PYTHON, "server", "method-removed", True, f"{ITEM_POINTER}/get", ITEM_POINTER),
    ]
    assert [c.message for c in report.changes][1:] == [
        "client method `client.datasets.retrieve` removed", "server interface method `DatasetsApi.retrieve` removed"]


def test_a_field_made_required_breaks_callers_who_leave_it_out(posthog: Any) -> None:
    report = _against(posthog, lambda d: d["components"]["schemas"]["Dataset"]["required"].append("description"))
    field = "/components/schemas/Dataset/properties/description"
    assert report.verdict == "major"
    found = _found(report)
    assert (WIRE, "", "request-property-became-required", True, field, field) in found
    assert (WIRE, "", "response-property-became-required", False, field, field) in found
    assert (PYTHON, "models", "field-became-required", True, field, field) in found  # DatasetInput, built by callers
    created = [c.message for c in report.changes if c.rule == "parameter-became-required"]
    assert created == ["parameter `description` of `client.environment_datasets.create` became required",
                       "parameter `description` of `client.datasets.create` became required"]


def test_an_operation_id_renamed_is_harmless_on_the_wire_and_renames_the_method(posthog: Any) -> None:
    report = _against(posthog, lambda d: d["paths"][ITEM]["get"].update(operationId="datasets_fetch"))
    assert (report.verdict, report.next_version) == ("major", "2.0.0")
    assert [c for c in report.changes if c.level == WIRE] == []
    at = f"{ITEM_POINTER}/get/operationId"
    assert [(c.target, c.rule, c.message, c.old, c.new) for c in report.changes] == [
        ("client", "method-renamed", "client method `client.datasets.retrieve` renamed to `client.datasets.fetch`", at, at),
        ("server", "class-renamed", "request class `DatasetsRetrieveRequest` renamed to `DatasetsFetchRequest`", at, at),
        ("server", "server-method-renamed", "server interface method `DatasetsApi.retrieve` renamed to `DatasetsApi.fetch`: an "
         "implementation overriding `retrieve` is no longer called (the operation answers 501)", at, at),
    ]


def test_an_optional_query_parameter_added_is_minor(posthog: Any) -> None:
    parameter = {"name": "include_deleted", "in": "query", "required": False, "schema": {"type": "boolean"}}
    report = _against(posthog, lambda d: d["paths"]["/api/projects/{project_id}/datasets/"]["get"]["parameters"].append(parameter))
    assert (report.verdict, report.next_version) == ("minor", "1.1.0")
    added = f"{LIST_POINTER}/get/parameters/5"
    assert _found(report) == [
        (WIRE, "", "parameter-added", False, f"{LIST_POINTER}/get", added),
        (PYTHON, "client", "parameter-added", False, f"{LIST_POINTER}/get", added),
        (PYTHON, "server", "parameter-added", False, f"{LIST_POINTER}/get", added),
    ]


def _cli(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "generator", "diff", *args], capture_output=True, text=True, cwd=cwd)


def test_the_command_exits_1_on_a_breaking_change_0_when_allowed_and_prints_json(tmp_path: Path) -> None:
    renamed = tmp_path / "posthog.yaml"
    renamed.write_text(SPEC.read_text(encoding="utf-8").replace("operationId: datasets_retrieve", "operationId: datasets_fetch"), encoding="utf-8")
    breaking = _cli(str(SPEC), str(renamed), "--format", "json")
    assert breaking.returncode == 1, breaking.stderr
    report = json.loads(breaking.stdout)
    assert (report["verdict"], report["next_version"], report["announced"], report["breaking"]) == ("major", "2.0.0", False, 3)
    assert "client method `client.datasets.retrieve` renamed to `client.datasets.fetch`" in [c["message"] for c in report["changes"]]
    allowed = _cli(str(SPEC), str(renamed), "--allow-breaking", "--format", "markdown")
    assert allowed.returncode == 0
    assert allowed.stdout.startswith("### API changes: 3 breaking, 0 non-breaking changes; major: 1.0.0 -> 2.0.0")
