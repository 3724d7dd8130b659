"""The media-type requests of the generated client judged by Prism (see test_prism): the `media_types` golden
document mocked, a multipart upload (file parts, text, array and object parts), a url-encoded form, a text body
and an octet-stream body sent sync and async, none of them rejected; a multipart body missing a required part is.

Skipped, with the reason, when Node.js or npm is absent (or Prism cannot be installed).
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from test_prism import Prism, mock

from generator.pipeline import generate_files
from generator.write import write_tree

ROOT = Path(__file__).resolve().parents[2]
SPEC = ROOT / "tests" / "golden" / "media_types" / "spec.yaml"
PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 40


@pytest.fixture(scope="module")
def media_client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    out = tmp_path_factory.mktemp("media_prism")
    write_tree(out, generate_files(str(SPEC))[1])
    sys.path.insert(0, str(out / "client"))
    try:
        yield importlib.import_module("media_client")
    finally:
        sys.path.remove(str(out / "client"))
        for name in [m for m in sys.modules if m.split(".")[0] == "media_client"]:
            del sys.modules[name]


@pytest.fixture(scope="module")
def prism(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Prism]:
    with mock(SPEC, tmp_path_factory.mktemp("prism_media") / "prism.log") as server:
        yield server


# Without the array and object parts, which Prism cannot read: it takes a repeated part as its last value only
# (stoplightio/prism#2654), and parses a part as JSON only where the document declares an `encoding` for it,
# ignoring OpenAPI's default (an object part is application/json). The generated server reads both
# (tests/server/test_media_types.py).
UPLOAD: dict[str, Any] = {"file": ("photo.png", PNG, "image/png"), "thumbnail": PNG[:100], "title": "holiday"}


def test_media_requests_sync(prism: Prism, media_client: Any) -> None:
    mark = prism.mark()
    with media_client.MediaClient("k", host=prism.url, max_retries=0) as client:
        assert client.files.upload(**UPLOAD).size is not None
        assert client.files.upload(file=PNG, title="only the required parts")
        assert client.forms.submit(email="a@b.c", age=3, newsletter=True)  # no array: as above
        assert isinstance(client.text.echo(body="hello"), str)
        assert client.files.replace("blob", body=PNG)
    assert prism.rejections_since(mark) == 0, prism.log.read_text()[mark:][-3000:]


async def test_media_requests_async(prism: Prism, media_client: Any) -> None:
    mark = prism.mark()
    async with media_client.AsyncMediaClient("k", host=prism.url, max_retries=0) as client:
        assert (await client.files.upload(**UPLOAD)).size is not None
        assert await client.forms.submit(email="a@b.c")
        assert await client.files.replace("blob", body=("a.bin", PNG, "application/octet-stream"))
    assert prism.rejections_since(mark) == 0, prism.log.read_text()[mark:][-3000:]


def test_prism_rejects_a_multipart_body_without_a_required_part(prism: Prism, media_client: Any) -> None:
    mark = prism.mark()
    with media_client.MediaClient("k", host=prism.url, max_retries=0) as client:
        with pytest.raises(media_client.ApiError) as info:
            client.files.upload(file=PNG)  # title is required
    assert info.value.status_code in (400, 422)
    assert prism.rejections_since(mark) == 1
