"""Every pagination style, end to end: the golden case tests/golden/pagination generated into a temporary folder,
its fake served by uvicorn, walked page by page by the generated client (sync and async).

One subprocess runs every style (the generated packages must not clash with the checked-in ones).
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

from generator.pipeline import generate_files
from generator.write import write_tree

SPEC = Path(__file__).resolve().parents[1] / "golden" / "pagination" / "spec.yaml"

SCRIPT = """
import asyncio
import socket
import threading
import time

import uvicorn
from pages_client import AsyncPagesClient, PagesClient, ServerError
from pages_server import create_app

# (resource, page-size keyword, page attribute) of each paginated list
STYLES = [
    ("next_things", "limit"),
    ("cursor_things", "limit"),
    ("offset_things", "limit"),
    ("page_things", "per_page"),
    ("link_things", "per_page"),
    ("declared_things", "limit"),
]
NAMES = [f"n{i}" for i in range(7)]

with socket.socket() as sock:
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
server = uvicorn.Server(uvicorn.Config(create_app(keys={"k": ["*"]}), port=port, log_level="warning", lifespan="off"))
threading.Thread(target=server.run, daemon=True).start()
while not server.started:
    time.sleep(0.02)
host = f"http://127.0.0.1:{port}"

with PagesClient("k", host=host, max_retries=0) as client:
    for resource, _ in [*STYLES, ("all_things", "")]:
        for name in NAMES:
            getattr(client, resource).create(name=name)
    for resource, size in STYLES:
        api = getattr(client, resource)
        pages = list(api.list_pages(**{size: 3}))
        assert [len(page.results) for page in pages] == [3, 3, 1], (resource, pages)
        assert [thing.name for page in pages for thing in page.results] == NAMES, resource
        assert [thing.name for thing in api.list_all(**{size: 3})] == NAMES, resource
        assert not pages[-1].has_next_page(), resource
    assert [thing.name for thing in client.all_things.list()] == NAMES
    try:
        client.odd_things.list()
    except ServerError as exc:
        assert exc.status_code == 501, exc
    else:
        raise AssertionError("the unclassified list is served")


async def walk() -> None:
    async with AsyncPagesClient("k", host=host, max_retries=0) as client:
        for resource, size in STYLES:
            api = getattr(client, resource)
            pages = [page async for page in await api.list_pages(**{size: 3})]
            assert [len(page.results) for page in pages] == [3, 3, 1], (resource, pages)
            assert [thing.name async for thing in api.list_all(**{size: 3})] == NAMES, resource


asyncio.run(walk())
server.should_exit = True
print("ok")
"""


def test_every_pagination_style_walks_three_pages_sync_and_async(tmp_path: Path) -> None:
    api, files, warnings = generate_files(str(SPEC))
    write_tree(tmp_path / "out", files)
    paths = [str(tmp_path / "out" / "client"), str(tmp_path / "out" / "server")]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(paths)}
    result = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(SCRIPT)], capture_output=True, text=True, env=env, cwd=tmp_path
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert result.stdout.split()[-1] == "ok"


def test_an_unclassified_list_is_a_located_warning() -> None:
    _api, _files, warnings = generate_files(str(SPEC))
    odd = [w for w in warnings if w.pointer == "/paths/~1odd_things~1/get"]
    assert len(odd) == 2, [str(w) for w in warnings]
    assert all(w.line > 1 for w in odd)
    assert "x-pagination" in str(odd[0]) and "501" in str(odd[1])
    assert [w.pointer for w in warnings if w not in odd] == []


BAD_DECLARATIONS = """
openapi: 3.0.3
info: {title: Bad, version: "1"}
paths:
  /a/:
    get:
      x-pagination: {style: sideways}
      parameters: [{name: page, in: query, schema: {type: integer}}]
      responses:
        "200": {description: ok, content: {application/json: {schema: {type: array, items: {type: string}}}}}
  /b/:
    get:
      x-pagination: {style: cursor, next: nowhere, param: from}
      parameters: [{name: from, in: query, schema: {type: string}}]
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {type: object, properties: {rows: {type: array, items: {type: string}}, more: {type: string}}}
"""


def test_a_wrong_x_pagination_is_a_located_warning_and_the_rules_stand(tmp_path: Path) -> None:
    spec = tmp_path / "bad.yaml"
    spec.write_text(BAD_DECLARATIONS)
    api, _files, warnings = generate_files(str(spec))
    located = {w.pointer: w.line for w in warnings if "x-pagination" in w.message}
    assert located == {"/paths/~1a~1/get/x-pagination": 7, "/paths/~1b~1/get/x-pagination/next": 13}, located
    pagings = {op.method_name: op.pagination.paging for r in api.resources for op in r.operations if op.pagination}
    assert pagings["get_a"].style == "page" and pagings["get_a"].param == "page"  # the rules' reading stands
    assert (pagings["get_b"].style, pagings["get_b"].items, pagings["get_b"].next, pagings["get_b"].param) == (
        "cursor",
        "rows",
        "",
        "from",
    )
