"""The naming rules: every output name is a valid, non-reserved identifier, decided by written rules."""

from __future__ import annotations

import keyword

import pytest
from hypothesis import given
from hypothesis import strategies as st

from generator.python import names


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("created_at", "created_at"),
        ("createdAt", "created_at"),
        ("HTTPServer", "http_server"),
        ("_create_in_folder", "create_in_folder"),
        ("id__in", "id_in"),
        ("class", "class_"),
        ("match", "match_"),
        ("self", "self_"),
        ("StartTime<", "start_time_lt"),
        ("StartTime>=", "start_time_gte"),
        ("1st", "value_1st"),
        ("ünïcödé", "unicode"),
        ("", "value"),
        ("@@@", "value"),
    ],
)
def test_snake(raw: str, expected: str) -> None:
    assert names.snake(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("dataset_items", "DatasetItems"), ("PostHog", "PostHog"), ("200", "Model200"), ("list", "List_"), ("Any", "Any_")],
)
def test_pascal(raw: str, expected: str) -> None:
    assert names.pascal(raw) == expected


def test_reserved_runtime_names_get_an_underscore() -> None:
    assert names.snake("model_config", reserved=names.RUNTIME_NAMES) == "model_config_"
    assert names.snake("date", reserved=names.RUNTIME_NAMES) == "date_"


def test_enum_member_names() -> None:
    assert [names.constant(v) for v in ("json", "-created_at", "in-progress", "3rd")] == [
        "JSON", "MINUS_CREATED_AT", "IN_PROGRESS", "VALUE_3RD"
    ]


def test_collisions_get_numbered_in_spec_order_with_a_warning() -> None:
    warnings: list[tuple[str, str]] = []
    places = ["/p/0", "/p/1", "/p/2", "/p/3"]
    assert names.unique(["a", "b", "a", "a"], "field", warnings, places=places) == ["a", "b", "a_2", "a_3"]
    assert [w[:2] for w in warnings] == [("field: 'a' is taken; using 'a_2'", "/p/2"), ("field: 'a' is taken; using 'a_3'", "/p/3")]
    assert {w.kind for w in warnings} == {"naming"}


def test_package_names() -> None:
    assert names.package("PostHog", "client") == "posthog_client"
    assert names.package("odd names: 2nd edition", "server") == "oddnames2ndedition_server"
    assert names.package("42", "client") == "api42_client"


@given(st.text())
def test_any_string_becomes_a_safe_identifier(raw: str) -> None:
    for name in (names.snake(raw, reserved=names.RUNTIME_NAMES), names.pascal(raw), names.constant(raw)):
        assert name.isidentifier() and name.isascii()
        assert not keyword.iskeyword(name) and not keyword.issoftkeyword(name)


def test_an_override_must_be_an_identifier_that_is_not_reserved() -> None:
    assert names.override({"x-python-name": "label"}, "/p") == "label"
    assert names.override({"title": "x"}, "/p") is None
    for bad in ("2fast", "with space", "class", "naïve", 7):
        with pytest.raises(names.NameClash) as info:
            names.override({"x-python-name": bad}, "/components/schemas/A")
        assert info.value.findings[0][1] == "/components/schemas/A/x-python-name"
    with pytest.raises(names.NameClash):
        names.override({"x-python-name": "model_config"}, "/p", reserved=names.RUNTIME_NAMES)


def test_fixed_names_keep_their_name_and_two_equal_fixed_names_clash() -> None:
    warnings: list[tuple[str, str]] = []
    chosen = names.unique(["label", "label"], "field", warnings, places=["/a", "/b"], fixed=[False, True])
    assert chosen == ["label_2", "label"] and [w[:2] for w in warnings] == [("field: 'label' is taken; using 'label_2'", "/a")]
    with pytest.raises(names.NameClash) as info:
        names.unique(["x", "x"], "field", [], places=["/a", "/b"], fixed=[True, True])
    assert [f[:2] for f in info.value.findings] == [("x-python-name 'x' is also the field of /a", "/b")]
