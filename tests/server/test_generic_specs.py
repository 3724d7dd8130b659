"""The generated server (and client) on small specs other than PostHog's, generated into a temporary folder.

Each scenario runs in a subprocess with the temporary packages on `PYTHONPATH`, so they never clash with the
checked-in `posthog_*` packages or with each other.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

from generator.pipeline import generate_files
from generator.write import write_tree

SPEC = """
openapi: 3.0.3
info: {title: Widgets, version: "1.0.0"}
paths:
  /widgets/:
    get:
      operationId: widgets_list
      parameters:
        - {name: limit, in: query, schema: {type: integer}}
        - {name: offset, in: query, schema: {type: integer}}
      responses:
        "200":
          description: ok
          content: {application/json: {schema: {$ref: "#/components/schemas/PaginatedWidgetList"}}}
    post:
      operationId: widgets_create
      requestBody:
        required: true
        content: {application/json: {schema: {$ref: "#/components/schemas/Widget"}}}
      responses:
        "201":
          description: ok
          content: {application/json: {schema: {$ref: "#/components/schemas/Widget"}}}
  /widgets/{id}/:
    parameters:
      - {name: id, in: path, required: true, schema: {type: integer}}
    get:
      operationId: widgets_retrieve
      responses:
        "200":
          description: ok
          content: {application/json: {schema: {$ref: "#/components/schemas/Widget"}}}
    patch:
      operationId: widgets_partial_update
      requestBody:
        content: {application/json: {schema: {$ref: "#/components/schemas/PatchedWidget"}}}
      responses:
        "200":
          description: ok
          content: {application/json: {schema: {$ref: "#/components/schemas/Widget"}}}
  /widgets/{id}/tags/:
    parameters:
      - {name: id, in: path, required: true, schema: {type: integer}}
    post:
      operationId: widgets_tags_create
      parameters:
        - {name: X-Ids, in: header, schema: {type: array, items: {type: integer}}}
      requestBody:
        required: true
        content: {application/x-www-form-urlencoded: {schema: {$ref: "#/components/schemas/TagForm"}}}
      responses:
        "200":
          description: ok
          content: {application/json: {schema: {$ref: "#/components/schemas/TagForm"}}}
  /widgets/{id}/notes/:
    parameters:
      - {name: id, in: path, required: true, schema: {type: integer}}
    post:
      operationId: widgets_notes_create
      requestBody:
        required: true
        content:
          application/json: {schema: {$ref: "#/components/schemas/Note"}}
          application/x-www-form-urlencoded: {schema: {$ref: "#/components/schemas/Note"}}
      responses:
        "200":
          description: ok
          content: {application/json: {schema: {$ref: "#/components/schemas/Note"}}}
components:
  schemas:
    Kind: {type: string, enum: [small, large]}
    Note:
      type: object
      required: [text]
      properties:
        text: {type: string}
        weight: {type: number}
    TagForm:
      type: object
      required: [tags]
      properties:
        tags: {type: array, items: {type: string}}
        flag: {type: boolean}
        kind: {$ref: "#/components/schemas/Kind"}
        count: {type: integer}
        ids: {type: array, items: {type: integer}}
    Widget:
      type: object
      required: [id, name]
      properties:
        id: {type: integer, readOnly: true}
        name: {type: string}
        note: {type: string}
        label: {type: string, nullable: true}
    PatchedWidget:
      type: object
      properties:
        id: {type: integer, readOnly: true}
        name: {type: string}
        note: {type: string}
        label: {type: string, nullable: true}
    PaginatedWidgetList:
      type: object
      required: [count, results]
      properties:
        count: {type: integer}
        next: {type: string, nullable: true}
        previous: {type: string, nullable: true}
        results: {type: array, items: {$ref: "#/components/schemas/Widget"}}
"""


def _run(tmp_path: Path, script: str, *args: str) -> str:
    spec = tmp_path / "widgets.yaml"
    spec.write_text(SPEC)
    api, files, _warnings = generate_files(str(spec), lenient=True)
    assert (api.client_package, api.server_package) == ("widgets_client", "widgets_server")
    write_tree(tmp_path / "out", files)
    paths = [str(tmp_path / "out" / "client"), str(tmp_path / "out" / "server")]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(paths)}
    result = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(script), *args], capture_output=True, text=True, env=env, cwd=tmp_path
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return result.stdout


STORE_SCRIPT = """
import asyncio
import sys

import httpx
from widgets_server import create_app


class Http:
    \"\"\"A synchronous face over an in-process ASGI transport.\"\"\"

    def __init__(self, db) -> None:
        transport = httpx.ASGITransport(app=create_app(keys={"k": ["*"]}, db=db))
        self._client = httpx.AsyncClient(transport=transport, base_url="http://test", headers={"Authorization": "Bearer k"})
        self._loop = asyncio.new_event_loop()

    def __getattr__(self, method):
        return lambda *args, **kwargs: self._loop.run_until_complete(getattr(self._client, method)(*args, **kwargs))


def check(http) -> int:
    \"\"\"The store's behaviour; returns the id of the first of the two widgets it creates.\"\"\"
    created = http.post("/widgets/", json={"name": "a"})
    assert created.status_code == 201, created.text
    row = created.json()
    assert row == {"id": row["id"], "name": "a"}, row
    wid = row["id"]

    with_null = http.post("/widgets/", json={"name": "b", "label": None})
    assert with_null.status_code == 201, with_null.text
    assert with_null.json() == {"id": with_null.json()["id"], "name": "b", "label": None}, with_null.text

    got = http.get(f"/widgets/{wid}/")
    assert got.status_code == 200, got.text
    assert got.json() == {"id": wid, "name": "a"}, got.text
    head = http.head(f"/widgets/{wid}/")
    assert head.status_code == 200 and head.content == b"", head
    assert head.headers["content-length"] == got.headers["content-length"]

    page = http.get("/widgets/")
    assert page.status_code == 200, page.text
    assert page.json()["count"] == 2, page.text
    assert page.json()["results"][0] == {"id": wid, "name": "a"}, page.text
    assert page.json()["results"][1]["label"] is None, page.text
    assert "note" not in page.json()["results"][1], page.text

    patched = http.patch(f"/widgets/{wid}/", json={"label": "x"})
    assert patched.status_code == 200, patched.text
    assert patched.json() == {"id": wid, "name": "a", "label": "x"}, patched.text

    patched = http.patch(f"/widgets/{wid}/", json={"note": "n", "label": None})
    assert patched.status_code == 200, patched.text
    assert patched.json() == {"id": wid, "name": "a", "note": "n", "label": None}, patched.text

    null_note = http.patch(f"/widgets/{wid}/", json={"note": None})
    assert null_note.status_code == 400, null_note.text
    assert http.get(f"/widgets/{wid}/").json() == {"id": wid, "name": "a", "note": "n", "label": None}

    for bad in ("%C2%B2", "9" * 40, "%00"):
        assert http.get(f"/widgets/{bad}/").status_code == 404
    typed = http.post("/widgets/", content=b'{"name": "c"}', headers={"content-type": "text/plain"})
    assert typed.status_code == 415 and typed.json()["code"] == "unsupported_media_type", typed.text
    nan = http.post("/widgets/", content=b'{"name": NaN}', headers={"content-type": "application/json"})
    assert nan.status_code == 400, nan.text
    return wid


check(Http(None))
db = sys.argv[1]
last = check(Http(db))
again = Http(db).post("/widgets/", json={"name": "after a restart"})
assert again.json()["id"] == last + 2, (last, again.text)  # after the run's two widgets: no id issued twice
assert Http(db).get("/widgets/").json()["count"] == 3
print("ok")
"""


def test_memory_store_omits_unsent_optional_fields(tmp_path: Path) -> None:
    """An optional non-nullable field the client did not send is neither stored as null nor a 500; the same on the
    SQLite store, which keeps the rows and ids for the next app; HEAD, 404 for malformed ids, 415, NaN."""
    assert _run(tmp_path, STORE_SCRIPT, str(tmp_path / "widgets.sqlite")).split()[-1] == "ok"


FORM_SCRIPT = """
import asyncio

import httpx
from widgets_client import AsyncWidgetsClient
from widgets_client.models import Kind
from widgets_server import _runtime as _rt, create_app, memory


class Api(memory.MemoryWidgetsApi):
    async def tags_create(self, request, ctx):
        body = request.body.model_dump(mode="json", exclude_unset=True)
        return _rt.Reply.json({**body, "header_ids": request.x_ids})

    async def notes_create(self, request, ctx):
        return request.body


async def main() -> None:
    from widgets_server import Store

    app = create_app(widgets=Api(Store()), keys={"k": ["*"]})
    transport = httpx.ASGITransport(app=app)
    async with AsyncWidgetsClient(api_key="k", host="http://test", transport=transport) as client:
        result = await client.widgets.tags_create(
            3, tags=["a", "b c", "d,e"], flag=True, kind=Kind.LARGE, count=4, ids=[1, 2], x_ids=[7, 8]
        )
        assert result.tags == ["a", "b c", "d,e"], result
        assert result.flag is True and result.kind == Kind.LARGE and result.count == 4, result
        assert result.ids == [1, 2], result
        assert result.model_extra == {"header_ids": [7, 8]}, result.model_extra

        one = await client.widgets.tags_create(3, tags=["solo"], flag=False)
        assert one.tags == ["solo"] and one.flag is False, one
        assert one.kind is None and one.ids is None, one
        assert one.model_extra == {"header_ids": None}, one.model_extra

    # An operation taking JSON and a form: both bound, anything else 415.
    async with httpx.AsyncClient(transport=transport, base_url="http://test", headers={"Authorization": "Bearer k"}) as http:
        as_json = await http.post("/widgets/3/notes/", json={"text": "j", "weight": 2.5})
        as_form = await http.post("/widgets/3/notes/", data={"text": "f", "weight": "1.5"})
        as_text = await http.post("/widgets/3/notes/", content=b"text=t", headers={"content-type": "text/plain"})
        nan_form = await http.post("/widgets/3/notes/", data={"text": "f", "weight": "nan"})
    assert as_json.json() == {"text": "j", "weight": 2.5}, as_json.text
    assert as_form.json() == {"text": "f", "weight": 1.5}, as_form.text
    assert as_text.status_code == 415, as_text.text
    assert nan_form.status_code == 400, nan_form.text
    print("ok")


asyncio.run(main())
"""


def test_form_body_round_trip(tmp_path: Path) -> None:
    """Form bodies: lists as repeated keys, booleans as true/false, enums by value; list headers comma-joined."""
    assert _run(tmp_path, FORM_SCRIPT).split()[-1] == "ok"
