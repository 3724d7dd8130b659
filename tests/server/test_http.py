"""The runtime's HTTP contract, in process (httpx.ASGITransport): auth, validation, errors, body limit."""

from __future__ import annotations

import json
import uuid
from typing import Any

import httpx
import pytest

from posthog_server import ApiError, Context, Reply, create_app, interface, requests
from posthog_server._runtime import DEFAULT_MAX_BODY_BYTES, ApiKey, load_keys

from .conftest import ALL_KEY, KEYS, OTHER_KEY, READ_KEY, THEME_KEY

DATASETS = "/api/projects/1/datasets/"
ERROR_KEYS = {"type", "code", "detail", "attr"}


def assert_error(response: httpx.Response, status: int, type_: str, code: str | None = None) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert set(body) == ERROR_KEYS
    assert body["type"] == type_
    if code is not None:
        assert body["code"] == code
    assert "Traceback" not in response.text
    return dict(body)


def client_for(app: Any, key: str | None) -> httpx.AsyncClient:
    headers = {"Authorization": f"Bearer {key}"} if key else {}
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver", headers=headers)


# --------------------------------------------------------------------------------------------------- auth


async def test_missing_key_is_401(app: Any) -> None:
    async with client_for(app, None) as client:
        body = assert_error(await client.get(DATASETS), 401, "authentication_error", "not_authenticated")
    assert "not provided" in body["detail"]


async def test_unknown_key_is_401(app: Any) -> None:
    async with client_for(app, "phx_nope") as client:
        assert_error(await client.get(DATASETS), 401, "authentication_error", "authentication_failed")


async def test_non_bearer_scheme_is_401(app: Any) -> None:
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as client:
        response = await client.get(DATASETS, headers={"Authorization": f"Basic {ALL_KEY}"})
    assert_error(response, 401, "authentication_error")


async def test_auth_comes_before_validation(app: Any) -> None:
    async with client_for(app, None) as client:
        response = await client.post(DATASETS, content=b"{not json")
    assert_error(response, 401, "authentication_error")


async def test_missing_scope_is_403_naming_it(app: Any) -> None:
    async with client_for(app, READ_KEY) as client:
        assert (await client.get(DATASETS)).status_code == 200
        body = assert_error(await client.post(DATASETS, json={"name": "x"}), 403, "authentication_error")
    assert "dataset:write" in body["detail"]
    assert body["code"] == "permission_denied"


async def test_write_scope_implies_read(app: Any) -> None:
    async with client_for(app, THEME_KEY) as client:
        assert (await client.get("/api/environments/1/data_color_themes/")).status_code == 200
        body = assert_error(await client.get(DATASETS), 403, "authentication_error")
    assert "dataset:read" in body["detail"]


async def test_keys_from_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Any) -> None:
    monkeypatch.setenv("POSTHOG_API_KEYS", json.dumps({"env-key": ["dataset:read"]}))
    app = create_app()
    async with client_for(app, "env-key") as client:
        assert (await client.get(DATASETS)).status_code == 200
    async with client_for(app, ALL_KEY) as client:
        assert (await client.get(DATASETS)).status_code == 401
    keys_file = tmp_path / "keys.json"
    keys_file.write_text(json.dumps({"file-key": "*"}))
    monkeypatch.delenv("POSTHOG_API_KEYS")
    monkeypatch.setenv("POSTHOG_API_KEYS_FILE", str(keys_file))
    assert load_keys(None, "POSTHOG_API_KEYS") == {"file-key": ApiKey(frozenset({"*"}))}


# --------------------------------------------------------------------------------------------------- validation


async def test_malformed_json_is_400(http: httpx.AsyncClient) -> None:
    response = await http.post(DATASETS, content=b'{"name": ', headers={"content-type": "application/json"})
    body = assert_error(response, 400, "validation_error", "parse_error")
    assert body["attr"] is None


@pytest.mark.parametrize(
    ("payload", "attr"),
    [
        ({"name": 5}, "name"),
        ({"name": "x", "description": 3}, "description"),
        ({"name": "x", "deleted": "yes"}, "deleted"),
        ({"name": ["x"]}, "name"),
        ({"name": "x" * 401}, "name"),
    ],
)
async def test_wrong_types_are_400_with_attr(http: httpx.AsyncClient, payload: dict[str, Any], attr: str) -> None:
    body = assert_error(await http.post(DATASETS, json=payload), 400, "validation_error")
    assert body["attr"] == attr


async def test_strict_json_rejects_strings_for_ints(http: httpx.AsyncClient) -> None:
    response = await http.post(
        "/api/environments/1/dashboards/create_from_template_json/", json={"data_color_theme_id": "5"}
    )
    assert assert_error(response, 400, "validation_error")["attr"] == "data_color_theme_id"
    response = await http.post(
        "/api/environments/1/dashboards/create_from_template_json/", json={"restriction_level": 22}
    )
    assert assert_error(response, 400, "validation_error", "invalid_choice")["attr"] == "restriction_level"


async def test_missing_required_is_400_required(http: httpx.AsyncClient) -> None:
    body = assert_error(await http.post(DATASETS, json={"description": "d"}), 400, "validation_error", "required")
    assert body["attr"] == "name"
    response = await http.post("/api/environments/1/dataset_items/", json={})
    assert assert_error(response, 400, "validation_error", "required")["attr"] == "dataset"


async def test_empty_body_is_400(http: httpx.AsyncClient) -> None:
    assert_error(await http.post(DATASETS), 400, "validation_error", "required")


async def test_non_object_body_is_400(http: httpx.AsyncClient) -> None:
    assert_error(await http.post(DATASETS, json=["name"]), 400, "validation_error")


async def test_query_values_are_validated_leniently_and_typed(http: httpx.AsyncClient) -> None:
    assert (await http.get(DATASETS, params={"limit": "5", "offset": "0"})).status_code == 200
    body = assert_error(await http.get(DATASETS, params={"limit": "five"}), 400, "validation_error")
    assert body["attr"] == "limit"
    body = assert_error(await http.get(DATASETS, params={"id__in": "nope"}), 400, "validation_error")
    assert body["attr"] == "id__in"
    body = assert_error(await http.get(DATASETS, params={"order_by": "name"}), 400, "validation_error")
    assert body["attr"] == "order_by"


async def test_read_only_fields_in_input_are_ignored(http: httpx.AsyncClient) -> None:
    response = await http.post(
        DATASETS, json={"name": "n", "id": "not-a-uuid", "team": 99, "created_at": "x", "created_by": 1}
    )
    assert response.status_code == 201, response.text
    body = response.json()
    uuid.UUID(body["id"])
    assert body["team"] == 1
    assert isinstance(body["created_by"], dict)


async def test_invalid_path_value_is_404(http: httpx.AsyncClient) -> None:
    assert_error(await http.get(f"{DATASETS}not-a-uuid/"), 404, "invalid_request", "not_found")
    assert_error(await http.get("/api/environments/1/data_color_themes/abc/"), 404, "invalid_request", "not_found")


# --------------------------------------------------------------------------------------------------- routing errors


async def test_unknown_route_is_404(http: httpx.AsyncClient) -> None:
    assert_error(await http.get("/api/nothing/here/"), 404, "invalid_request", "not_found")


async def test_wrong_method_is_405_with_allow(http: httpx.AsyncClient) -> None:
    response = await http.put(f"{DATASETS}{uuid.uuid4()}/", json={})
    assert_error(response, 405, "invalid_request", "method_not_allowed")
    assert set(response.headers["allow"].split(", ")) == {"GET", "HEAD", "PATCH", "DELETE"}
    response = await http.delete(DATASETS)
    assert_error(response, 405, "invalid_request")
    assert set(response.headers["allow"].split(", ")) == {"GET", "HEAD", "POST"}


async def test_forbidden_delete_is_405(http: httpx.AsyncClient) -> None:
    response = await http.delete(f"{DATASETS}{uuid.uuid4()}/")
    body = assert_error(response, 405, "invalid_request", "method_not_allowed")
    assert "Hard delete" in body["detail"]
    assert set(response.headers["allow"].split(", ")) == {"GET", "HEAD", "PATCH"}


async def test_unimplemented_operation_is_501() -> None:
    class Partial(interface.DatasetsApi):
        async def list(self, request: requests.DatasetsListRequest, ctx: Context) -> Any:
            raise NotImplementedError

    app = create_app(keys=KEYS, datasets=Partial())
    async with client_for(app, ALL_KEY) as client:
        body = assert_error(await client.get(DATASETS), 501, "server_error", "not_implemented")
        assert "list" in body["detail"]
        body = assert_error(await client.post(DATASETS, json={"name": "x"}), 501, "server_error")


async def test_unexpected_exception_is_500_without_traceback() -> None:
    class Broken(interface.DatasetsApi):
        async def list(self, request: requests.DatasetsListRequest, ctx: Context) -> Any:
            raise RuntimeError("secret internals")

    app = create_app(keys=KEYS, datasets=Broken())
    async with client_for(app, ALL_KEY) as client:
        response = await client.get(DATASETS)
    assert_error(response, 500, "server_error")
    assert "secret internals" not in response.text


async def test_custom_implementation_gets_typed_request_and_context() -> None:
    seen: dict[str, Any] = {}

    class Custom(interface.DatasetsApi):
        async def list(self, request: requests.DatasetsListRequest, ctx: Context) -> Any:
            seen.update(request=request, ctx=ctx)
            raise ApiError(409, "busy", code="busy")

        async def retrieve(self, request: requests.DatasetsRetrieveRequest, ctx: Context) -> Any:
            return Reply(202, b"hi", "text/plain", {"X-Test": "1"})

    app = create_app(keys=KEYS, datasets=Custom())
    async with client_for(app, ALL_KEY) as client:
        one, two = uuid.uuid4(), uuid.uuid4()
        response = await client.get(DATASETS, params=[("id__in", f"{one},{two}"), ("limit", "3"), ("zzz", "1")])
        assert_error(response, 409, "invalid_request", "busy")
        response = await client.get(f"{DATASETS}{one}/")
    request, ctx = seen["request"], seen["ctx"]
    assert request.id_in == [one, two] and request.limit == 3 and request.search is None
    assert ctx.key == ALL_KEY and "*" in ctx.scopes
    assert ctx.path == {"project_id": "1"}
    assert ctx.query == {"id__in": [one, two], "limit": 3}
    assert ctx.url.startswith("http://testserver/api/projects/1/datasets/?")
    assert response.status_code == 202 and response.text == "hi" and response.headers["x-test"] == "1"


# --------------------------------------------------------------------------------------------------- limits


async def test_body_over_default_limit_is_413(http: httpx.AsyncClient) -> None:
    payload = json.dumps({"name": "x", "metadata": "y" * DEFAULT_MAX_BODY_BYTES}).encode()
    response = await http.post(DATASETS, content=payload, headers={"content-type": "application/json"})
    assert_error(response, 413, "invalid_request", "request_too_large")


async def test_body_within_default_limit_is_accepted(http: httpx.AsyncClient) -> None:
    payload = json.dumps({"name": "x", "metadata": "y" * (DEFAULT_MAX_BODY_BYTES - 100)}).encode()
    response = await http.post(DATASETS, content=payload, headers={"content-type": "application/json"})
    assert response.status_code == 201


async def test_configured_limit_counts_streamed_bytes() -> None:
    app = create_app(keys=KEYS, max_body_bytes=64)
    async with client_for(app, ALL_KEY) as client:
        assert (await client.post(DATASETS, json={"name": "small"})).status_code == 201
        response = await client.post(DATASETS, json={"name": "x" * 100})
        assert_error(response, 413, "invalid_request")

        async def chunks() -> Any:  # no Content-Length: chunked upload
            yield b'{"name": "'
            for _ in range(10):
                yield b"x" * 10
            yield b'"}'

        response = await client.post(DATASETS, content=chunks(), headers={"content-type": "application/json"})
        assert "content-length" not in response.request.headers
        assert_error(response, 413, "invalid_request", "request_too_large")


async def test_long_query_strings_and_unknown_params_never_500(http: httpx.AsyncClient) -> None:
    response = await http.get(DATASETS, params={"search": "s" * 30_000, "unknown": "u" * 30_000})
    assert response.status_code == 200
    response = await http.get(DATASETS + "?" + "&".join(f"p{i}=v{i}" for i in range(3_000)))
    assert response.status_code == 200
    response = await http.get(DATASETS, params={"limit": "9" * 5000})
    assert response.status_code in (200, 400)
    response = await http.get(DATASETS, params={"offset": "-5", "limit": "-1"})
    assert response.status_code == 200
    response = await http.get(DATASETS + "?%ff%fe=%00&search=%ff")
    assert response.status_code == 200


async def test_success_rendering(http: httpx.AsyncClient) -> None:
    created = await http.post("/api/environments/7/data_color_themes/", json={"name": "t", "colors": ["#fff"]})
    assert created.status_code == 201
    assert created.headers["content-type"] == "application/json"
    theme = created.json()
    deleted = await http.delete(f"/api/environments/7/data_color_themes/{theme['id']}/")
    assert deleted.status_code == 204 and deleted.content == b""
    assert (await http.get(f"/api/environments/7/data_color_themes/{theme['id']}/")).status_code == 404


async def test_explicit_null_for_non_nullable_field_is_400(http: httpx.AsyncClient) -> None:
    response = await http.post("/api/environments/1/dashboards/create_from_template_json/", json={"description": None})
    assert assert_error(response, 400, "validation_error", "null")["attr"] == "description"


# --------------------------------------------------------------------------------------------------- command line


def test_serve_prints_a_development_key(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    import uvicorn

    from posthog_server._runtime import serve

    calls: list[dict[str, Any]] = []
    monkeypatch.delenv("POSTHOG_API_KEYS", raising=False)
    monkeypatch.delenv("POSTHOG_API_KEYS_FILE", raising=False)
    monkeypatch.setattr(uvicorn, "run", lambda app, **kwargs: calls.append({"app": app, **kwargs}))
    seen: dict[str, Any] = {}

    def factory(**kwargs: Any) -> Any:
        seen.update(kwargs)
        return create_app(**kwargs)

    serve(
        factory, prog="posthog_server", keys_env="POSTHOG_API_KEYS", argv=["--port", "9999", "--max-body-bytes", "10"]
    )
    out = capsys.readouterr().out
    (key,) = seen["keys"]
    assert f"Bearer {key}" in out and seen["keys"][key] == ["*"] and seen["max_body_bytes"] == 10
    assert calls[0]["host"] == "127.0.0.1" and calls[0]["port"] == 9999


def test_serve_reads_a_keys_file(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    import uvicorn

    from posthog_server._runtime import serve

    monkeypatch.setattr(uvicorn, "run", lambda app, **kwargs: None)
    keys_file = tmp_path / "keys.json"
    keys_file.write_text(json.dumps({"k1": ["dataset:read"]}))
    seen: dict[str, Any] = {}
    serve(
        lambda **kw: seen.update(kw) or create_app(**kw),
        prog="p",
        keys_env="POSTHOG_API_KEYS",
        argv=["--keys-file", str(keys_file)],
    )
    assert seen["keys"] == {"k1": {"scopes": ["dataset:read"], "user": {}}}
    assert "development key" not in capsys.readouterr().out
