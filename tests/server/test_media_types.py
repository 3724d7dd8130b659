"""Media types other than JSON through the generated client against the generated server under uvicorn, sync and
async: a multipart upload (1 MB file, text, array and object parts), a whole-body octet-stream upload, a 5 MB
download through the streaming variant, a POST answering an image, server-sent events (timed: the first event
reaches the caller while the server still holds the rest back), a url-encoded form (served by the in-memory fake)
and text/plain. The document is the `media_types` golden case's, generated into a temporary folder."""

from __future__ import annotations

import asyncio
import hashlib
import importlib
import os
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from generator.pipeline import generate_files
from generator.write import write_tree

from .conftest import run_server

ROOT = Path(__file__).resolve().parents[2]
SPEC = ROOT / "tests" / "golden" / "media_types" / "spec.yaml"
KEY = "media-key"
UPLOAD = os.urandom(1_000_000)
OCTETS = os.urandom(1_000_003)
DOWNLOAD = os.urandom(5 * 1024 * 1024)
GATE_TIMEOUT = 5.0


@pytest.fixture(scope="module")
def media(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """The generated packages, imported from a temporary folder (removed from sys.modules afterwards)."""
    out = tmp_path_factory.mktemp("media")
    _api, files, _warnings = generate_files(str(SPEC))
    write_tree(out, files)
    sys.path[:0] = [str(out / "client"), str(out / "server")]
    try:
        yield importlib.import_module("media_client"), importlib.import_module("media_server")
    finally:
        sys.path[:] = [p for p in sys.path if not p.startswith(str(out))]
        for name in [m for m in sys.modules if m.split(".")[0] in ("media_client", "media_server")]:
            del sys.modules[name]


class Recorded:
    """What the implementations received, and what the event streams saw."""

    def __init__(self) -> None:
        self.calls: dict[str, Any] = {}
        self.gate = threading.Event()
        self.first_seen_before_rest: list[bool] = []


def _implementations(server: Any, seen: Recorded) -> dict[str, Any]:
    interface = importlib.import_module("media_server.interface")
    models = importlib.import_module("media_server.models")
    rt = server._runtime

    class Files(interface.FilesApi):  # type: ignore[misc, name-defined]
        async def upload(self, request: Any, ctx: Any) -> Any:
            body = request.body
            seen.calls["upload"] = body
            return models.Upload(
                name=body.file.filename,
                size=body.file.size,
                content_type=body.file.content_type,
                title=body.title,
                parts=len(body.attachments or []),
                tags=body.tags,
                meta=body.meta,
            )

        async def replace(self, request: Any, ctx: Any) -> Any:
            seen.calls["replace"] = request.body
            return models.Upload(name=request.name, size=request.body.size, content_type=request.body.content_type)

        async def download(self, request: Any, ctx: Any) -> Any:
            size = request.size or len(DOWNLOAD)

            def chunks() -> Iterator[bytes]:
                for start in range(0, size, 256 * 1024):
                    yield DOWNLOAD[start : min(start + 256 * 1024, size)]

            return chunks()

    class Images(interface.ImagesApi):  # type: ignore[misc, name-defined]
        async def render(self, request: Any, ctx: Any) -> Any:
            return b"\x89PNG\r\n\x1a\n" + request.body.width.to_bytes(4, "big")

    class Text(interface.TextApi):  # type: ignore[misc, name-defined]
        async def echo(self, request: Any, ctx: Any) -> Any:
            return request.body.upper()

    def gated(items: list[Any]) -> Iterator[Any]:
        """Yields the first item, then holds the rest back until the caller has seen it (or the gate times out)."""
        yield items[0]
        seen.first_seen_before_rest.append(seen.gate.wait(GATE_TIMEOUT))
        yield from items[1:]

    class Chat(interface.ChatApi):  # type: ignore[misc, name-defined]
        async def complete(self, request: Any, ctx: Any) -> Any:
            words = request.body.prompt.split()
            if not request.body.stream and ctx.accept != "text/event-stream":
                return models.Completion(text=" ".join(words))
            chunks = [models.Chunk(index=i, delta=w) for i, w in enumerate(words)]
            return gated([chunks[0], rt.ServerEvent(chunks[1], event="delta", id="2"), *chunks[2:], "[DONE]"])

    class Ticks(interface.TicksApi):  # type: ignore[misc, name-defined]
        async def watch(self, request: Any, ctx: Any) -> Any:
            return gated([{"n": n} for n in range(request.count or 3)])

    return {"files": Files(), "images": Images(), "text": Text(), "chat": Chat(), "ticks": Ticks()}


@pytest.fixture
def live(media: Any) -> Iterator[tuple[Any, str, Recorded]]:
    client_pkg, server_pkg = media
    seen = Recorded()
    store = server_pkg.Store() if hasattr(server_pkg, "Store") else None
    app = server_pkg.create_app(
        keys={KEY: ["*"]}, max_body_bytes=16 * 1024 * 1024, **_implementations(server_pkg, seen)
    )
    with run_server(app, store) as server:
        yield client_pkg, server.url, seen


def _run(flavour: str, client_pkg: Any, url: str, script: Any) -> Any:
    if flavour == "sync":
        with client_pkg.MediaClient(KEY, host=url) as client:
            return script(client)

    async def main() -> Any:
        async with client_pkg.AsyncMediaClient(KEY, host=url) as client:
            return await script(client)

    return asyncio.run(main())


FLAVOURS = pytest.mark.parametrize("flavour", ["sync", "async"])


@FLAVOURS
def test_multipart_upload_arrives_byte_identical(live: Any, flavour: str, tmp_path: Path) -> None:
    client_pkg, url, seen = live
    path = tmp_path / "photo.raw"
    path.write_bytes(UPLOAD)
    kwargs: dict[str, Any] = {
        "title": "holiday",
        "tags": ["a", "b c"],
        "meta": {"a": 1, "b": "x"},
        "thumbnail": b"\x89PNG small",
        "attachments": [b"one", ("two.txt", b"two", "text/plain")],
    }
    if flavour == "sync":
        result = _run(
            flavour, client_pkg, url, lambda c: c.files.upload(file=("photo.png", UPLOAD, "image/png"), **kwargs)
        )
        expected_name, expected_type = "photo.png", "image/png"
    else:
        with path.open("rb") as handle:

            async def script(c: Any) -> Any:
                return await c.files.upload(file=handle, **kwargs)

            result = _run(flavour, client_pkg, url, script)
        expected_name, expected_type = "photo.raw", "application/octet-stream"
    received = seen.calls["upload"]
    assert isinstance(received.file, importlib.import_module("media_server").UploadedFile)
    assert received.file.content == UPLOAD
    assert (received.file.filename, received.file.content_type) == (expected_name, expected_type)
    assert received.thumbnail.content == b"\x89PNG small" and received.thumbnail.filename == "thumbnail"
    assert [(f.filename, f.content, f.content_type) for f in received.attachments] == [
        ("attachments", b"one", "application/octet-stream"),
        ("two.txt", b"two", "text/plain"),
    ]
    assert (received.title, received.tags, received.meta.a, received.meta.b) == ("holiday", ["a", "b c"], 1, "x")
    assert (result.name, result.size, result.content_type, result.parts) == (
        expected_name,
        len(UPLOAD),
        expected_type,
        2,
    )


@FLAVOURS
def test_octet_stream_body_arrives_byte_identical(live: Any, flavour: str, tmp_path: Path) -> None:
    client_pkg, url, seen = live
    path = tmp_path / "blob.bin"
    path.write_bytes(OCTETS)
    with path.open("rb") as handle:  # a file object is streamed in chunks; bytes are sent whole
        body = handle if flavour == "sync" else OCTETS
        if flavour == "sync":
            result = _run(flavour, client_pkg, url, lambda c: c.files.replace("blob", body=body))
        else:

            async def script(c: Any) -> Any:
                return await c.files.replace("blob", body=body)

            result = _run(flavour, client_pkg, url, script)
    received = seen.calls["replace"]
    assert hashlib.sha256(received.content).digest() == hashlib.sha256(OCTETS).digest()
    assert received.content_type == "application/octet-stream"
    assert (result.name, result.size) == ("blob", len(OCTETS))


@FLAVOURS
def test_binary_download_streams_in_chunks(live: Any, flavour: str) -> None:
    client_pkg, url, _seen = live
    if flavour == "sync":

        def script(c: Any) -> Any:
            with c.files.download_stream("big") as streamed:
                chunks = list(streamed.iter_bytes())
            return chunks, c.files.download("small", size=1000)

    else:

        async def script(c: Any) -> Any:  # type: ignore[misc]
            async with c.files.download_stream("big") as streamed:
                chunks = [chunk async for chunk in streamed.aiter_bytes()]
            return chunks, await c.files.download("small", size=1000)

    chunks, small = _run(flavour, client_pkg, url, script)
    assert len(chunks) > 1 and b"".join(chunks) == DOWNLOAD
    assert small == DOWNLOAD[:1000]


@FLAVOURS
def test_post_answering_an_image_has_bytes_and_a_stream(live: Any, flavour: str) -> None:
    client_pkg, url, _seen = live
    if flavour == "sync":

        def script(c: Any) -> Any:
            with c.images.render_stream(width=7) as streamed:
                streamed_bytes = b"".join(streamed.iter_bytes())
                media_type = streamed.headers["content-type"]
            return c.images.render(width=300), streamed_bytes, media_type

    else:

        async def script(c: Any) -> Any:  # type: ignore[misc]
            async with c.images.render_stream(width=7) as streamed:
                streamed_bytes = b"".join([chunk async for chunk in streamed.aiter_bytes()])
                media_type = streamed.headers["content-type"]
            return await c.images.render(width=300), streamed_bytes, media_type

    whole, streamed_bytes, media_type = _run(flavour, client_pkg, url, script)
    assert whole == b"\x89PNG\r\n\x1a\n" + (300).to_bytes(4, "big")
    assert streamed_bytes == b"\x89PNG\r\n\x1a\n" + (7).to_bytes(4, "big") and media_type == "image/png"


@FLAVOURS
def test_events_arrive_one_by_one_and_parsed(live: Any, flavour: str) -> None:
    client_pkg, url, seen = live
    models = importlib.import_module("media_client.models")

    def on_event(index: int) -> None:
        if index == 0:
            seen.gate.set()  # the server holds the other events back until this

    if flavour == "sync":

        def script(c: Any) -> Any:
            got = []
            with c.chat.complete_events(prompt="hello big world", stream=True) as events:
                for index, event in enumerate(events):
                    on_event(index)
                    got.append(event)
            return got, c.chat.complete(prompt="hello big world")

    else:

        async def script(c: Any) -> Any:  # type: ignore[misc]
            got = []
            async with await c.chat.complete_events(prompt="hello big world", stream=True) as events:
                async for event in events:
                    on_event(len(got))
                    got.append(event)
            return got, await c.chat.complete(prompt="hello big world")

    events, whole = _run(flavour, client_pkg, url, script)
    assert seen.first_seen_before_rest == [True], "the first event reached the caller only after the stream ended"
    assert [e.data for e in events[:3]] == [
        models.Chunk(index=i, delta=w) for i, w in enumerate(["hello", "big", "world"])
    ]
    assert (events[1].event, events[1].id, events[0].event) == ("delta", "2", "message")
    assert events[3].text == "[DONE]" and isinstance(events[0], client_pkg.Event)  # re-exported by the package
    assert whole == models.Completion(text="hello big world")


@FLAVOURS
def test_event_stream_closes_early(live: Any, flavour: str) -> None:
    client_pkg, url, seen = live
    if flavour == "sync":

        def script(c: Any) -> Any:
            with c.ticks.watch(count=50) as ticks:
                first = next(iter(ticks))
            return first, ticks.response.is_closed

    else:

        async def script(c: Any) -> Any:  # type: ignore[misc]
            async with await c.ticks.watch(count=50) as ticks:
                first = await ticks.__aiter__().__anext__()
            return first, ticks.response.is_closed

    first, closed = _run(flavour, client_pkg, url, script)
    assert first.data.n == 0 and closed
    seen.gate.set()


@FLAVOURS
def test_form_body_and_text(live: Any, flavour: str) -> None:
    client_pkg, url, _seen = live
    if flavour == "sync":

        def script(c: Any) -> Any:
            return c.forms.submit(email="a@b.c", age=3, newsletter=True, interests=["x", "y z"]), c.text.echo(
                body="héllo\n"
            )

    else:

        async def script(c: Any) -> Any:  # type: ignore[misc]
            form = await c.forms.submit(email="a@b.c", age=3, newsletter=True, interests=["x", "y z"])
            return form, await c.text.echo(body="héllo\n")

    signup, echoed = _run(flavour, client_pkg, url, script)
    assert (signup.email, signup.age, signup.newsletter, signup.interests) == ("a@b.c", 3, True, ["x", "y z"])
    assert echoed == "HÉLLO\n"


def test_client_mistakes_in_media_bodies_are_4xx(live: Any) -> None:
    """A broken multipart body, a text part past the runtime's part limit, text that is no UTF-8, a missing file
    part, a media type the operation does not take: each a 4xx, never a 500."""
    import httpx

    _client_pkg, url, _seen = live
    limit = importlib.import_module("media_server._runtime.binding").MAX_TEXT_PART
    auth = {"authorization": f"Bearer {KEY}"}
    with httpx.Client(base_url=url, headers=auth) as http:
        broken = http.post(
            "/files/", content=b"--x\r\nnot a part", headers={"content-type": "multipart/form-data; boundary=x"}
        )
        huge_text = http.post("/files/", files={"file": ("a", b"x"), "title": (None, "t" * (limit + 1))})
        no_file = http.post("/files/", files={"title": (None, "t")})
        not_utf8 = http.post("/echo", content=b"\xff\xfe", headers={"content-type": "text/plain"})
        wrong_type = http.put("/files/a/content", content=b"{}", headers={"content-type": "application/json"})
    assert [r.status_code for r in (broken, huge_text, no_file, not_utf8, wrong_type)] == [400, 400, 400, 400, 415], [
        r.text for r in (broken, huge_text, no_file, not_utf8, wrong_type)
    ]


def test_the_fake_serves_what_it_can(media: Any) -> None:
    """Without implementations, the in-memory fake stores a multipart upload (a file is its filename there) and a
    form; a download of a file it does not hold is a 404 (a binary action reads the stored row); a JSON-or-events
    operation answers JSON."""
    import httpx

    client_pkg, server_pkg = media
    app = server_pkg.create_app(keys={KEY: ["*"]})

    async def main() -> Any:
        http = httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test")
        async with client_pkg.AsyncMediaClient(KEY, host="http://test", http_client=http) as client:
            uploaded = await client.files.upload(file=("a.png", b"png", "image/png"), title="t", tags=["x", "y"])
            stored = await client.forms.submit(email="a@b.c", interests=["x"])
            with pytest.raises(client_pkg.ApiError) as info:
                await client.files.download("x")
            # Asked for events, the fake answers JSON: the client reads that answer as one event.
            events = [event async for event in await client.chat.complete_events(prompt="hi")]
        return uploaded, stored, info.value.status_code, events

    uploaded, stored, status, events = asyncio.run(main())
    assert len(events) == 1 and "text" in events[0].json()
    assert (uploaded.title, uploaded.tags) == ("t", ["x", "y"])
    assert stored.interests == ["x"] and status == 404


def test_an_event_is_written_as_every_json_answer_is(media: Any) -> None:
    """Event data that is not a model at its top (a dict holding one) leaves out the fields never set, by alias, as a
    JSON answer does: one writer for both (it used to set every field of a nested model)."""
    import pydantic

    class Part(pydantic.BaseModel):
        model_config = pydantic.ConfigDict(populate_by_name=True)
        kind: str = pydantic.Field(alias="type")
        note: str | None = None

    _client_pkg, server_pkg = media
    runtime = importlib.import_module("media_server._runtime")
    written = runtime.media._event_bytes(runtime.ServerEvent({"part": Part(kind="a")}, event="delta"))
    assert written == b'event: delta\ndata: {"part":{"type":"a"}}\n\n'
    assert runtime.base.json_text({"part": Part(kind="a")}) == '{"part":{"type":"a"}}'
