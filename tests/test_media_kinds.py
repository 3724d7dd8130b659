"""How each media type is spoken (generator/api/media.py): the kind decides the client method's result, the body
argument and the server's answer."""

from __future__ import annotations

import pytest

from generator.api.media import kind


@pytest.mark.parametrize(
    ("media_type", "expected"),
    [
        ("application/json", "json"),
        ("application/problem+json; charset=utf-8", "json"),
        ("Application/JSON", "json"),
        ("application/x-www-form-urlencoded", "form"),
        ("multipart/form-data", "multipart"),
        ("multipart/mixed", "multipart"),
        ("text/event-stream", "events"),
        ("text/plain; charset=utf-8", "text"),
        ("text/csv", "text"),
        ("application/xml", "text"),
        ("application/atom+xml", "text"),
        ("application/octet-stream", "binary"),
        ("image/png", "binary"),
        ("application/pdf", "binary"),
        ("*/*", "any"),  # springdoc's default: the content is not pinned down, read as an undocumented answer
        ("image/*", "any"),
    ],
)
def test_kind(media_type: str, expected: str) -> None:
    assert kind(media_type) == expected
