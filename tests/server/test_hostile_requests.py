"""Client mistakes and hostile requests never get a 5xx, and no answer carries anything of a key.

In process (httpx.ASGITransport), over every route the generated app registers, except the disconnect test,
which needs a real socket and the real log set-up of the command line.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
import socket
import time
import secrets
import uuid
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx
import pytest

from posthog_server import Store, create_app
from posthog_server._memory import open_store

from .conftest import ALL_KEY, server_process

ERROR_KEYS = {"type", "code", "detail", "attr"}
BAD_PATH_VALUES = ["²", "①", "9" * 4400, "\x00", "1\x00", "٣"]


def operations(app: Any) -> list[tuple[str, str]]:
    """(method, path template) of every operation the app serves, as its own OpenAPI document lists them."""
    paths = app.openapi()["paths"]
    return [(method.upper(), path) for path, item in paths.items() for method in item]


def fill(template: str, values: dict[str, str]) -> str:
    return re.sub(r"\{(\w+)\}", lambda m: values.get(m.group(1), "1"), template)


def assert_error_shape(response: httpx.Response, status: int | None = None) -> dict[str, Any]:
    assert 400 <= response.status_code < 500, (response.request.url, response.status_code, response.text)
    if status is not None:
        assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == ERROR_KEYS, body
    return dict(body)


@pytest.fixture
def client(app: Any) -> httpx.AsyncClient:
    return httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app),
        base_url="http://testserver",
        headers={"Authorization": f"Bearer {ALL_KEY}"},
    )


# --------------------------------------------------------------------------------------------------- path values


async def test_malformed_path_values_are_4xx_on_every_operation(app: Any, client: httpx.AsyncClient) -> None:
    routes = operations(app)
    assert len(routes) == 23
    async with client:
        for method, template in routes:
            for name in re.findall(r"\{(\w+)\}", template):
                for bad in BAD_PATH_VALUES:
                    url = fill(template, {name: quote(bad, safe="")})
                    body = {"name": "n", "tags": ["t"]} if method in ("POST", "PATCH") else None
                    response = await client.request(method, url, json=body)
                    assert_error_shape(response)


async def test_numbers_spelt_otherwise_name_no_project(client: httpx.AsyncClient, app_store: Store) -> None:
    async with client:
        for bad in ("²", "①", "9" * 4400):
            response = await client.post(f"/api/projects/{bad}/datasets/", json={"name": "n"})
            assert_error_shape(response, 404)
        ok = await client.post("/api/projects/123/datasets/", json={"name": "n"})
    assert ok.status_code == 201 and ok.json()["team"] == 123
    assert len(app_store.rows("datasets")) == 1


# --------------------------------------------------------------------------------------------------- bodies


@pytest.mark.parametrize("number", ["NaN", "Infinity", "-Infinity", "1e999", "-2E+400", "1" + "0" * 400 + ".0"])
async def test_non_finite_numbers_in_json_are_400(client: httpx.AsyncClient, app_store: Store, number: str) -> None:
    content = '{"name": "n", "metadata": {"x": [1, %s]}}' % number
    async with client:
        for path in ("/api/projects/1/datasets/", "/api/environments/1/dashboards/create_from_template_json/"):
            response = await client.post(path, content=content, headers={"content-type": "application/json"})
            assert_error_shape(response, 400)
        patched = await client.patch(
            f"/api/projects/1/datasets/{uuid.uuid4()}/", content=content, headers={"content-type": "application/json"}
        )
        assert_error_shape(patched, 400)
    assert app_store.rows("datasets") == [] and app_store.rows("dashboards") == []


async def test_the_words_nan_and_infinity_inside_strings_are_fine(client: httpx.AsyncClient) -> None:
    async with client:
        response = await client.post(
            "/api/projects/1/datasets/", json={"name": "NaN Infinity", "metadata": {"e": "1e999", "big": 10**400}}
        )
    assert response.status_code == 201, response.text
    assert response.json()["metadata"] == {"e": "1e999", "big": 10**400}


async def test_a_body_of_another_media_type_is_415(app: Any, client: httpx.AsyncClient) -> None:
    with_body = [(method, template) for method, template in operations(app) if method in ("POST", "PATCH")]
    assert len(with_body) == 10
    payload = json.dumps({"name": "n"})
    async with client:
        for method, template in with_body:
            url = fill(template, {"id": str(uuid.uuid4()) if "dataset" in template else "1"})
            for media in ("text/plain", "application/x-www-form-urlencoded", "application/xml", "multipart/form-data"):
                response = await client.request(method, url, content=payload, headers={"content-type": media})
                assert assert_error_shape(response, 415)["code"] == "unsupported_media_type"
            charset = await client.request(
                method, url, content=payload, headers={"content-type": "application/json; charset=utf-8"}
            )
            assert charset.status_code != 415


@pytest.mark.parametrize("query", ["id__in=", "order_by=", "id__in=,", "order_by=created_at,"])
async def test_empty_list_values_are_400(client: httpx.AsyncClient, query: str) -> None:
    async with client:
        for path in ("/api/projects/1/datasets/", "/api/environments/1/datasets/"):
            body = assert_error_shape(await client.get(f"{path}?{query}"), 400)
            assert body["attr"] == query.split("=")[0]


# --------------------------------------------------------------------------------------------------- HEAD


async def test_head_is_served_wherever_get_is(app: Any, client: httpx.AsyncClient) -> None:
    gets = [template for method, template in operations(app) if method == "GET"]
    assert len(gets) == 9
    async with client:
        dashboard = await client.post(
            "/api/environments/1/dashboards/create_from_template_json/", json={"name": "d", "tiles": [{"a": 1}]}
        )
        theme = await client.post("/api/environments/1/data_color_themes/", json={"name": "t"})
        dataset = await client.post("/api/projects/1/datasets/", json={"name": "d"})
        ids = {"dashboards": dashboard.json()["id"], "data_color_themes": theme.json()["id"]}
        for template in gets:
            kind = template.split("/")[4]
            url = fill(template, {"project_id": "1", "id": str(ids.get(kind, dataset.json()["id"]))})
            got = await client.get(url)
            head = await client.head(url)
            assert head.status_code == got.status_code and head.content == b"", url
            assert head.headers["content-type"] == got.headers["content-type"]
            if "content-length" in got.headers:
                assert head.headers["content-length"] == got.headers["content-length"]
        assert (
            await client.head("/api/projects/1/datasets/", headers={"Authorization": "Bearer nope"})
        ).status_code == 401


# --------------------------------------------------------------------------------------------------- keys


def _digest_pieces(key: str, size: int = 10) -> set[str]:
    pieces = set()
    for name in ("md5", "sha1", "sha224", "sha256", "sha384", "sha512", "blake2b", "blake2s", "sha3_256"):
        digest = hashlib.new(name, key.encode()).hexdigest()
        pieces |= {digest[i : i + size] for i in range(len(digest) - size + 1)}
    return pieces


async def test_no_answer_carries_a_key_or_anything_computed_from_it(tmp_path: Path) -> None:
    keys = {
        "sk_" + secrets.token_urlsafe(24): ["*"],
        "k-short": ["*"],
        "Zr0-read-only": ["dataset:read", "project:read"],
    }
    app = create_app(keys=keys, store=open_store(str(tmp_path / "keys.sqlite")))
    answers: list[str] = []
    transport = httpx.ASGITransport(app=app)
    for key in keys:
        async with httpx.AsyncClient(
            transport=transport, base_url="http://t", headers={"Authorization": f"Bearer {key}"}
        ) as client:
            sent = [
                await client.post("/api/projects/9/datasets/", json={"name": "d"}),
                await client.post("/api/environments/9/data_color_themes/", json={"name": "t"}),
                await client.post(
                    "/api/environments/9/dashboards/create_unlisted_dashboard/",
                    json={"name": "u", "tags": [str(uuid.uuid4())]},
                ),
                await client.get("/api/projects/9/datasets/"),
                await client.get("/api/environments/9/data_color_themes/"),
                await client.get("/api/environments/9/dashboards/1/stream_tiles/?format=txt"),
                await client.get("/api/environments/9/dashboards/1/stream_tiles/"),
                await client.get("/api/projects/9/datasets/", headers={"Authorization": f"Bearer {key}x"}),
                await client.get("/api/projects/9/datasets/", headers={"Authorization": f"Bearer {key[:-1]}"}),
            ]
            answers += [r.text + json.dumps(dict(r.headers)) for r in sent]
    text = "\n".join(answers).lower()
    assert '"created_by"' in text and text.count('"status_code"') == 0
    for key in keys:
        size = min(len(key), 8)
        windows = {key[i : i + size] for i in range(len(key) - size + 1)}
        assert not [w for w in windows if w.lower() in text], "a piece of a key in an answer"
        assert not [piece for piece in _digest_pieces(key) if piece in text], "a piece of a key's digest in an answer"


async def test_identity_is_random_per_store_and_kept_by_it(tmp_path: Path) -> None:
    """Nothing about the user comes from the key: two stores give one key two users; one store (even opened by
    two apps, as two workers do) gives it one."""

    async def user(store: Store, key: str = ALL_KEY, keys: dict[str, Any] | None = None) -> dict[str, Any]:
        app = create_app(keys=keys or {key: ["*"]}, store=store)
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://t", headers={"Authorization": f"Bearer {key}"}
        ) as client:
            created = await client.post("/api/projects/3/datasets/", json={"name": "d"})
        assert created.status_code == 201, created.text
        return dict(created.json()["created_by"])

    first, second = await user(Store()), await user(Store())
    assert first["id"] != second["id"] and first["uuid"] != second["uuid"]
    db = str(tmp_path / "identity.sqlite")
    assert await user(open_store(db)) == await user(open_store(db))
    configured = {ALL_KEY: {"scopes": ["*"], "user": {"id": 77, "email": "ops@example.com", "first_name": "Op"}}}
    chosen = await user(Store(), keys=configured)
    assert (chosen["id"], chosen["email"], chosen["first_name"]) == (77, "ops@example.com", "Op")


async def test_every_key_is_compared_whichever_matches(monkeypatch: pytest.MonkeyPatch) -> None:
    compared: list[bytes] = []
    real = hmac.compare_digest

    def spy(a: bytes, b: bytes) -> bool:
        compared.append(a)
        return bool(real(a, b))

    monkeypatch.setattr(hmac, "compare_digest", spy)
    keys = {f"key-{i}": ["*"] for i in range(5)}
    app = create_app(keys=keys)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as client:
        for token in ("key-0", "key-4", "nope"):
            compared.clear()
            response = await client.get("/api/projects/1/datasets/", headers={"Authorization": f"Bearer {token}"})
            assert response.status_code == (401 if token == "nope" else 200)
            assert sorted(compared) == sorted(key.encode() for key in keys)


# --------------------------------------------------------------------------------------------------- disconnects


def test_a_client_that_disconnects_is_one_log_line(tmp_path: Path, keys_file: Path) -> None:
    with server_process(["--keys-file", str(keys_file)], tmp_path / "server.log") as server:
        port = int(server.url.rsplit(":", 1)[1])
        for _ in range(3):
            with socket.create_connection(("127.0.0.1", port)) as sock:
                sock.sendall(
                    b"POST /api/projects/1/datasets/ HTTP/1.1\r\nHost: t\r\n"
                    + f"Authorization: Bearer {ALL_KEY}\r\n".encode()
                    + b'Content-Type: application/json\r\nContent-Length: 5000\r\n\r\n{"name": '
                )
                time.sleep(0.05)
        deadline = time.monotonic() + 10
        while server.log_text().count("disconnected") < 3 and time.monotonic() < deadline:
            time.sleep(0.05)
        log = server.log_text()
    lines = [line for line in log.splitlines() if "disconnected" in line]
    assert len(lines) == 3 and all("POST /api/projects/1/datasets/" in line for line in lines)
    assert "Traceback" not in log and "ERROR" not in log
