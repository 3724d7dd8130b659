"""The server's command line with `--db`: data and ids survive a restart; several workers share one database.

Each test starts `python -m posthog_server` in a subprocess on a free loopback port (see `conftest.server_process`).
"""

from __future__ import annotations

import json
import os
import subprocess
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import pytest

from .conftest import ALL_KEY, server_command, server_env, server_process

AUTH = {"Authorization": f"Bearer {ALL_KEY}"}
PROJECT = "42"
DATASETS = f"/api/projects/{PROJECT}/datasets/"
THEMES = f"/api/environments/{PROJECT}/data_color_themes/"
UNLISTED = f"/api/environments/{PROJECT}/dashboards/create_unlisted_dashboard/"


_clients = threading.local()


def fresh(method: str, url: str, **kwargs: Any) -> httpx.Response:
    """One request on a connection of its own (`Connection: close`), so any worker may answer it."""
    client: httpx.Client | None = getattr(_clients, "client", None)
    if client is None:
        client = _clients.client = httpx.Client(timeout=30)  # one per thread: making one costs ~40 ms
    headers = {**AUTH, "Connection": "close", **kwargs.pop("headers", {})}
    return client.request(method, url, headers=headers, **kwargs)


def every_page(base: str, path: str) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    url: str | None = f"{base}{path}?limit=7"
    while url:
        page = fresh("GET", url)
        assert page.status_code == 200, page.text
        items += page.json()["results"]
        url = page.json()["next"]
    return items


def test_restart_with_db_keeps_every_object_and_never_reissues_an_id(tmp_path: Path, keys_file: Path) -> None:
    db = tmp_path / "data.sqlite"
    args = ["--db", str(db), "--keys-file", str(keys_file)]
    with server_process(args, tmp_path / "first.log") as server:
        datasets = [
            fresh("POST", server.url + DATASETS, json={"name": f"d{i}", "metadata": {"i": i}}) for i in range(12)
        ]
        assert all(r.status_code == 201 for r in datasets)
        gone = fresh("PATCH", f"{server.url}{DATASETS}{datasets[0].json()['id']}/", json={"deleted": True})
        assert gone.status_code == 200
        themes = [fresh("POST", server.url + THEMES, json={"name": f"t{i}"}).json() for i in range(5)]
        assert [t["id"] for t in themes] == [1, 2, 3, 4, 5]
        assert fresh("DELETE", f"{server.url}{THEMES}5/").status_code == 204  # the highest id is gone
        unlisted = fresh("POST", server.url + UNLISTED, json={"name": "u", "tags": ["only-once"]})
        assert unlisted.status_code == 200
        before = every_page(server.url, DATASETS)
    assert len(before) == 11

    with server_process(args, tmp_path / "second.log") as server:
        assert every_page(server.url, DATASETS) == before, "every live object, byte for byte, in the same order"
        assert fresh("GET", f"{server.url}{DATASETS}{datasets[0].json()['id']}/").status_code == 404
        for theme in themes[:4]:
            assert fresh("GET", f"{server.url}{THEMES}{theme['id']}/").json() == theme
        assert fresh("GET", f"{server.url}{THEMES}5/").status_code == 404
        assert fresh("POST", server.url + THEMES, json={"name": "after"}).json()["id"] == 6, "5 is never reissued"
        again = fresh("POST", server.url + UNLISTED, json={"name": "u2", "tags": ["only-once"]})
        assert again.status_code == 409, "the uniqueness rule holds over stored rows"
        later = fresh("POST", server.url + DATASETS, json={"name": "later"}).json()
        assert later["created_by"] == before[0]["created_by"], "the key's random identity is stored too"


def _cpu_ticks(pid: int) -> int:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])  # utime + stime


def _workers(parent: int) -> list[int]:
    children = Path(f"/proc/{parent}/task/{parent}/children").read_text().split()
    return [int(pid) for pid in children if b"spawn_main" in Path(f"/proc/{pid}/cmdline").read_bytes()]


def test_two_workers_over_one_db_agree_under_concurrent_writes(tmp_path: Path, keys_file: Path) -> None:
    args = ["--db", str(tmp_path / "shared.sqlite"), "--workers", "2", "--keys-file", str(keys_file)]
    clients, per_client = 16, 8
    with server_process(args, tmp_path / "workers.log") as server:
        on_proc = Path(f"/proc/{server.process.pid}/task").is_dir()
        workers = _workers(server.process.pid) if on_proc else []
        assert len(workers) == 2 or not on_proc
        ticks = {pid: _cpu_ticks(pid) for pid in workers}

        def run(work: Callable[[int], Any], count: int) -> list[Any]:
            with ThreadPoolExecutor(clients) as pool:
                return list(pool.map(work, range(count)))

        def create(i: int) -> tuple[str, int]:
            dataset = fresh("POST", server.url + DATASETS, json={"name": f"w{i}"})
            theme = fresh("POST", server.url + THEMES, json={"name": f"w{i}"})
            assert dataset.status_code == 201 and theme.status_code == 201, dataset.text + theme.text
            return dataset.json()["id"], theme.json()["id"]

        created = run(create, clients * per_client)
        dataset_ids = [dataset for dataset, _ in created]
        theme_ids = sorted(theme for _, theme in created)
        assert len(set(dataset_ids)) == len(created)
        assert theme_ids == list(range(1, len(created) + 1)), "integer ids: each issued once, none skipped"

        found = run(lambda i: fresh("GET", f"{server.url}{DATASETS}{dataset_ids[i]}/").status_code, len(dataset_ids))
        assert found == [200] * len(dataset_ids), "read-your-write on a new connection, whichever worker answers"
        assert {item["id"] for item in every_page(server.url, DATASETS)} == set(dataset_ids)

        tags = run(lambda i: fresh("POST", server.url + UNLISTED, json={"name": f"u{i}", "tags": ["t"]}), clients)
        assert sorted(r.status_code for r in tags) == [200] + [409] * (clients - 1), "one winner across workers"

        if workers:
            assert all(_cpu_ticks(pid) > ticks[pid] for pid in workers), "both workers answered requests"


def test_in_memory_store_refuses_workers() -> None:
    result = subprocess.run(server_command("--workers", "2"), capture_output=True, text=True, env=server_env())
    assert result.returncode == 2
    assert len(result.stderr.strip().splitlines()) == 1 and "--db" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout


def test_invalid_key_configuration_is_one_line_at_start_up() -> None:
    secret = "sk_live_has space"
    env = server_env(POSTHOG_API_KEYS=json.dumps({secret: ["*"]}))
    result = subprocess.run(server_command(), capture_output=True, text=True, env=env, timeout=60)
    assert result.returncode == 2
    assert len(result.stderr.strip().splitlines()) == 1 and "key #1" in result.stderr
    assert "Traceback" not in result.stderr and secret not in result.stderr + result.stdout
    assert os.environ.get("POSTHOG_API_KEYS") != env["POSTHOG_API_KEYS"]


BAD_KEYS = [
    "{not json",
    '["a list"]',
    '{"": ["*"]}',
    '{"sk_with space": ["*"]}',
    '{"sk_ok": 5}',
    '{"sk_ok": [1, 2]}',
    '{"sk_ok": {"scopes": ["*"], "user": "me"}}',
    '{"sk_ok": {"scopes": ["*"], "role": "admin"}}',
]


@pytest.mark.parametrize("raw", BAD_KEYS)
def test_every_bad_key_configuration_is_one_line(
    raw: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from posthog_server import create_app
    from posthog_server._runtime import serve

    monkeypatch.setenv("POSTHOG_API_KEYS", raw)
    monkeypatch.setattr("uvicorn.run", lambda *args, **kwargs: pytest.fail("uvicorn started"))
    with pytest.raises(SystemExit) as exit_info:
        serve(create_app, prog="posthog_server", keys_env="POSTHOG_API_KEYS", argv=[])
    err = capsys.readouterr().err
    assert exit_info.value.code == 2
    assert err.count("\n") == 1 and err.startswith("posthog_server: error: $POSTHOG_API_KEYS")
    assert "sk_" not in err, "the message names the entry's position, never the key"


def test_every_bad_server_option_is_one_line(
    tmp_path: Path, keys_file: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from posthog_server import create_app
    from posthog_server._runtime import serve

    not_a_db = tmp_path / "notes.txt"
    not_a_db.write_text("not a database, " * 100)
    (tmp_path / "bad.json").write_text("{")
    monkeypatch.setattr("uvicorn.run", lambda *args, **kwargs: pytest.fail("uvicorn started"))
    mistakes = [
        ["--keys-file", str(tmp_path / "missing.json")],
        ["--keys-file", str(tmp_path / "bad.json")],
        ["--keys-file", str(keys_file), "--db", str(tmp_path / "no" / "such" / "dir.sqlite")],
        ["--keys-file", str(keys_file), "--db", str(not_a_db)],
        ["--keys-file", str(keys_file), "--workers", "0"],
        ["--keys-file", str(keys_file), "--workers", "3"],
        ["--keys-file", str(keys_file), "--max-body-bytes", "0"],
    ]
    for argv in mistakes:
        with pytest.raises(SystemExit) as exit_info:
            serve(create_app, prog="posthog_server", keys_env="POSTHOG_API_KEYS", argv=argv)
        err = capsys.readouterr().err
        assert exit_info.value.code == 2, argv
        assert err.count("\n") == 1 and err.startswith("posthog_server: error: "), (argv, err)
