"""Media types as kinds: how a request body is sent and how an answer is read, whatever the API."""

from __future__ import annotations

import re
from dataclasses import dataclass

from generator.spec import MediaView
from generator.spec.schema import SchemaView

_JSON = re.compile(r"^application/([a-z0-9.+-]*\+)?json$")
_XML = re.compile(r"^application/([a-z0-9.+-]*\+)?xml$")
FORM = "application/x-www-form-urlencoded"
MULTIPART = "multipart/form-data"
EVENT_STREAM = "text/event-stream"


def essence(media_type: str) -> str:
    """`type/subtype`, lower case, parameters dropped."""
    return media_type.split(";", 1)[0].strip().lower()


def kind(media_type: str) -> str:
    """json, form, multipart, events, text (text/*, XML), any (a wildcard: `*/*`, `image/*`, whose content the
    document does not pin down) or binary (anything else: octet-stream, images, PDF…)."""
    found = essence(media_type)
    if "*" in found:
        return "any"
    if _JSON.match(found):
        return "json"
    if found == FORM:
        return "form"
    if found.startswith("multipart/"):
        return "multipart"
    if found == EVENT_STREAM:
        return "events"
    if found.startswith("text/") or _XML.match(found):
        return "text"
    return "binary"


def preferred(content: tuple[MediaView, ...]) -> MediaView | None:
    """The media type the generated code speaks: the first JSON one, else the first form, else the first (an event
    stream only when nothing else is offered: it is then a method of its own)."""
    for wanted in (("json",), ("form", "multipart")):
        for media in content:
            if kind(media.media_type) in wanted:
                return media
    others = [m for m in content if kind(m.media_type) != "events"] or list(content)
    return others[0] if others else None


@dataclass(frozen=True)
class Events:
    """A response that may be an event stream: its media type and the documented schema of each event's data."""

    media_type: str
    schema: SchemaView | None  # None when undocumented


def events(content: tuple[MediaView, ...]) -> Events | None:
    for media in content:
        if kind(media.media_type) == "events":
            return Events(media.media_type, media.schema)
    return None
